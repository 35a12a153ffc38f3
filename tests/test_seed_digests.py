"""The five seed inspections build into pages and processed tables whose bytes do not drift.

A build of the seeds is compared, file by file, with the SHA-256 digests stored in
tests/digests/seeds.json. A refactoring must leave every digest as it was. When a change to the
pages or tables is intended, regenerate the stored digests and name the change in the commit
message (which pages changed, and why):

    .venv/bin/python tests/test_seed_digests.py --update

The seeds are built from a frozen copy of their curated folders and of the reference files
(tests/digests/data/), so that curating the shipped data never moves a digest: only code does.
When a change to the code needs the copy changed too (a new required column, say), change the
copy, regenerate the digests and say so in the commit message.

The manifest and the build state are left out: they hold fingerprints of the code itself, which
change with any edit, and say nothing a reader sees.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STORED = Path(__file__).with_name("digests") / "seeds.json"
#: The frozen copy of the seeds' curated folders and of the reference files they were built from.
FROZEN = Path(__file__).with_name("digests") / "data"

#: The inspections of the seed documents: a full report, press releases, a commentary.
SEEDS = (
    "2017-01-staffordshire-stoke",
    "2017-08-gloucestershire",
    "2018-10-west-yorkshire-crc",
    "2018-12-staffordshire-west-midlands-crc",
    "2022-08-birmingham-north-east-solihull-pdu",
)

#: The build date and commit every page of the seed build shows (see report/stamp.py).
STAMP = {"SOURCE_DATE_EPOCH": "1795305600", "PROBATION_INSPECTIONS_COMMIT": "000000000000"}

#: Build products that fingerprint the code rather than show the data.
NOT_DIGESTED = ("manifest.json", "state.json")


def build_seeds(work: Path) -> dict[str, str]:
    """Build the seeds in `work`; the digest of every page and processed table, by path."""
    from probation_inspections import build

    data, reports = work / "data", work / "reports"
    shutil.copytree(FROZEN / "reference", data / "reference")
    for inspection_id in SEEDS:
        shutil.copytree(
            FROZEN / "inspections" / inspection_id, data / "inspections" / inspection_id
        )
    saved = dict(os.environ)
    try:
        # Pages show their build date and commit: fixed here, so that only code moves a digest.
        os.environ.update(STAMP)
        result = build.build(jobs=2, data_root=data, reports=reports, echo=lambda *_: None)
    finally:  # the environment of the tests that follow is theirs
        os.environ.clear()
        os.environ.update(saved)
    assert result.ok, [(o.task.name, o.message) for o in result.outcomes]
    digests = {}
    for label, folder, suffixes in (
        ("reports", reports, (".html", ".json")),
        ("processed", data / "processed", (".csv", ".parquet")),
    ):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in suffixes and path.name not in NOT_DIGESTED:
                name = f"{label}/{path.relative_to(folder).as_posix()}"
                digests[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def test_a_build_of_the_seeds_matches_the_stored_digests(tmp_path):
    stored = json.loads(STORED.read_text(encoding="utf-8"))
    built = build_seeds(tmp_path)
    assert sorted(built) == sorted(stored), "the build writes other pages or tables than stored"
    changed = sorted(name for name in stored if built[name] != stored[name])
    assert not changed, (
        f"pages or tables changed: {changed}; if intended, run "
        "`python tests/test_seed_digests.py --update` and name the change "
        "in the commit message"
    )


def update(work: Path) -> None:
    """Rebuild the seeds and store their digests (for an intended change to pages or tables)."""
    digests = build_seeds(work)
    STORED.parent.mkdir(parents=True, exist_ok=True)
    STORED.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"stored {len(digests)} digests in {STORED.relative_to(ROOT)}")


if __name__ == "__main__":
    import tempfile

    if sys.argv[1:] != ["--update"]:
        raise SystemExit("usage: python tests/test_seed_digests.py --update")
    with tempfile.TemporaryDirectory() as tmp:
        update(Path(tmp))
