"""Bring curated folders to the current data model; safe to run again (it changes nothing twice).

`python -m probation_inspections.curated.migrate` does, in order:

1. the key-fact measure vocabulary (`data/reference/measures.csv`): every measure a folder uses
   that is neither a code nor an alias becomes a code, with its words and its most common unit;
   the aliases below are recorded once in `aliases.csv` (vocabulary `measure`);
2. nothing else is rewritten: new columns are optional or default from others, so curated rows
   stay byte for byte as the curator wrote them. The build never runs this; a curator does.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from .. import config

MEASURES_FILE = "measures.csv"
MEASURE_COLUMNS = ("measure", "label", "unit", "notes")

#: Names curators gave one fact: alias -> code.
MEASURE_ALIASES = {
    "crcs_total": "crcs_in_england_and_wales",
    "crcs_created": "crcs_in_england_and_wales",
    "crcs_owned_by_rrp": "crcs_owned",
    "crcs_run_by_owner": "crcs_owned",
    "people_supervised": "offenders_supervised",
    "programme_start": "qi_programme_start",
    "tr_introduced": "transforming_rehabilitation_split",
    "probation_trusts_abolished": "transforming_rehabilitation_split",
    "previous_inspection_month": "previous_inspection",
    "former_trust_last_inspected": "previous_inspection",
}
#: Codes the aliases point at that no folder uses under the code's own name.
MEASURE_CODES: dict[str, tuple[str, str | None]] = {
    "previous_inspection": ("previous inspection of the organisation or its predecessor", "date"),
}
ALIAS_NOTE = "one fact named differently by curators (migration of the measure vocabulary)"


def _words(code: str) -> str:
    return code.replace("_", " ")


def _read_rows(path: Path) -> tuple[list[str], list[dict]]:
    if not path.exists():
        return [], []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write_rows(path: Path, header: list[str], rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _append_rows(path: Path, header: list[str], rows: list[dict]) -> None:
    """Add rows at the end, leaving every existing byte as it was."""
    text = path.read_text(encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writerows({column: row.get(column, "") for column in header} for row in rows)
    path.write_text(
        text + ("" if text.endswith("\n") else "\n") + buffer.getvalue(), encoding="utf-8"
    )


def used_measures(
    data_root: Path | None = None, folders: Iterable[Path] | None = None
) -> dict[str, Counter]:
    """measure as written -> Counter of its units, over the key_facts.csv of `folders` (by
    default every curated inspection folder)."""
    found: dict[str, Counter] = {}
    if folders is None:
        folders = config.inspections_dir(data_root).iterdir()
    for path in sorted(Path(f) / "key_facts.csv" for f in folders):
        if not path.is_file():
            continue
        _, rows = _read_rows(path)
        for row in rows:
            measure = (row.get("measure") or "").strip()
            if measure:
                found.setdefault(measure, Counter())[(row.get("unit") or "").strip()] += 1
    return found


def migrate_measures(
    data_root: Path | None = None, folders: Iterable[Path] | None = None
) -> list[str]:
    """Add the measures in use to the vocabulary and the aliases; return what was added.

    `folders`: the folders whose measures are added (default: every curated inspection); a
    reviewed draft's folder, say, before it is accepted."""
    reference = config.reference_dir(data_root)
    path = reference / MEASURES_FILE
    header, rows = _read_rows(path)
    header = header or list(MEASURE_COLUMNS)
    known = {row["measure"] for row in rows}
    alias_header, aliases = _read_rows(reference / "aliases.csv")
    aliased = {row["label"] for row in aliases if row.get("vocabulary") == "measure"}
    added, new_rows = [], []
    used = used_measures(data_root, folders)
    wanted = {MEASURE_ALIASES.get(m, m): units for m, units in used.items()}
    for code, (_label, unit) in MEASURE_CODES.items():
        if code in wanted:
            wanted[code] = Counter({unit: 1})
    for code in sorted(wanted):
        if code in known or code in aliased:
            continue
        label, unit = MEASURE_CODES.get(code, (_words(code), None))
        unit = unit or wanted[code].most_common(1)[0][0]
        new_rows.append({"measure": code, "label": label, "unit": unit, "notes": ""})
        known.add(code)
        added.append(f"measure {code}")
    if not path.exists():
        _write_rows(path, header, new_rows)
    elif new_rows:  # rows curators wrote stay byte for byte as they are
        _append_rows(path, header, new_rows)
    new_aliases = [
        {
            "vocabulary": "measure",
            "label": alias,
            "code": code,
            "source_url": "",
            "notes": ALIAS_NOTE,
        }
        for alias, code in sorted(MEASURE_ALIASES.items())
        if alias not in aliased and alias in used
    ]
    if new_aliases:
        _append_rows(reference / "aliases.csv", alias_header, new_aliases)
        added.extend(f"alias {row['label']} -> {row['code']}" for row in new_aliases)
    return added


def migrate(data_root: Path | None = None) -> list[str]:
    """Every step, in order; returns a line per change made (empty when nothing was left)."""
    return migrate_measures(data_root)


def main() -> int:
    changes = migrate()
    for change in changes:
        print(change)
    print(f"{len(changes)} change(s)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
