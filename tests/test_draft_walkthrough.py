"""The README's walkthrough from a report's PDF to a built profile, followed step by step."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from report_documents import ROOT, pages_of, seed_report_text, write_pdf

STEP = re.compile(
    r"<!-- draft-walkthrough-(shell|file: (?P<name>[\w.]+)) -->\n```\w*\n"
    r"(?P<body>.*?)```",
    re.S,
)


def walkthrough_script() -> tuple[str, str]:
    """The README's steps as one bash script (its commands, its files written into the draft),
    and the inspection id it drafts."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    bin_dir = str(Path(sys.executable).parent)
    lines = ["set -euo pipefail", f"cd {ROOT}"]
    inspection_id = None
    for step in STEP.finditer(readme):
        body = step.group("body").replace(".venv/bin/", bin_dir + "/")
        if step.group("name") is None:
            lines.append(body)
            found = re.search(r"probation-inspections draft \S+ --id (\S+)", body)
            inspection_id = found.group(1) if found else inspection_id
        else:
            target = f'"$PROBATION_INSPECTIONS_DATA/drafts/{inspection_id}/{step.group("name")}"'
            lines.append(f"cat > {target} <<'WALKTHROUGH_EOF'\n{step.group('body')}WALKTHROUGH_EOF")
    lines.append('echo "DATA=$PROBATION_INSPECTIONS_DATA"')
    lines.append('echo "REPORTS=$PROBATION_INSPECTIONS_REPORTS"')
    assert inspection_id, "the walkthrough must start with `probation-inspections draft`"
    return "\n".join(lines) + "\n", inspection_id


@pytest.mark.skipif(
    seed_report_text() is None,
    reason="the seed report is not beside the repository "
    "(../shared/seeds/002_df056c31e2e4c28f.txt)",
)
def test_the_readme_draft_walkthrough_reaches_a_built_profile(tmp_path):
    script, inspection_id = walkthrough_script()
    assert "probation-inspections accept" in script and script.count("cat >") >= 2
    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)
    write_pdf(
        home / "Downloads" / "staffordshire-and-stoke.pdf",
        pages_of(seed_report_text(), split_table=8),
        "Quality & Impact inspection: Staffordshire and Stoke",
    )
    run = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(home)},
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "drafted" in run.stdout and "accepted" in run.stdout
    out = dict(
        line.split("=", 1)
        for line in run.stdout.splitlines()
        if line.startswith(("DATA=", "REPORTS="))
    )
    data = Path(out["DATA"])
    assert not (data / "drafts" / inspection_id).exists(), "accept moved the draft"
    curated = data / "inspections" / inspection_id
    assert sorted(p.name for p in curated.iterdir()) == ["inspection.yaml", "need_sufficiency.csv"]
    assert (home / "later" / "judgements.csv").exists(), "unreviewed tables wait aside"
    profile = (Path(out["REPORTS"]) / "profiles" / f"{inspection_id}.html").read_text("utf-8")
    assert "Thinking and behaviour" in profile and "Traceback" not in profile
