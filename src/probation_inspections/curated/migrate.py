"""Bring curated folders to the current data model; safe to run again (it changes nothing twice).

`python -m probation_inspections.curated.migrate` does, in order (step 3 is `move_key_facts`
with `HEADLINE_SHARE_MOVES`):

1. the key-fact measure vocabulary (`data/reference/measures.csv`): every measure a folder uses
   that is neither a code nor an alias becomes a code, with its words and its most common unit;
   the aliases below are recorded once in `aliases.csv` (vocabulary `measure`);
2. nothing else is rewritten: new columns are optional or default from others, so curated rows
   stay byte for byte as the curator wrote them. The build never runs this; a curator does.

`move_key_facts` moves figures curated as key facts into `judgements` when the data model
gains a place for them (a headline share of cases, now a judgement with `percent`): the curator
names each row and the judgement's fields; the key fact's value, locator, certainty, source and
notes go with it, its scope and date into the notes; every other byte of both files stays.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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


#: Units of key facts that are a share given in words ("a quarter" of the cases inspected).
WORDED_SHARE_UNITS = ("fraction", "share of cases", "share of inspected cases")


@dataclass(frozen=True)
class JudgementMove:
    """How one key fact (`measure` of `inspection_id`) becomes a judgement.

    `organisation_type` empty: the type of the inspection's one organisation. `denominator`:
    the sample the share is of, when known (`denominator_certainty` says how it was obtained,
    when not read beside the share). The key fact's value becomes `percent` (unit `percent`)
    or `count` (unit `cases`); a share in words (`value_text`, unit `fraction` or `share of
    cases`) becomes the `quantifier`, which must then be in quantifiers.csv."""

    inspection_id: str
    measure: str
    aspect: str
    direction: str
    base: str
    domain_label: str = "PDU case supervision"
    domain_inferred: bool = True
    organisation_type: str = ""
    denominator: int | None = None
    denominator_certainty: str = ""


def _records(text: str) -> list[tuple[int, int, list[str]]]:
    """(first line, last line, fields) of each CSV record of `text`, lines counted from 0."""
    out, start = [], 0
    reader = csv.reader(io.StringIO(text))
    for fields in reader:
        end = reader.line_num - 1
        out.append((start, end, fields))
        start = end + 1
    return out


def _organisation_type(folder: Path) -> str:
    _, rows = _read_rows(folder / "organisations.csv")
    types = sorted({row["organisation_type"] for row in rows if row.get("organisation_type")})
    if len(types) != 1:
        raise ValueError(
            f"{folder / 'organisations.csv'}: {len(types)} organisation types; "
            "name the judgement's organisation_type in its move"
        )
    return types[0]


def _judgement(move: JudgementMove, fact: dict, folder: Path) -> dict:
    unit = (fact.get("unit") or "").strip()
    value = (fact.get("value") or "").strip()
    words = (fact.get("value_text") or "").strip()
    worded = unit in WORDED_SHARE_UNITS and bool(words) and not value
    if not worded and (unit not in ("percent", "cases") or not value):
        raise ValueError(
            f"{folder / 'key_facts.csv'}: {move.measure} has unit {unit!r} and value "
            f"{value or words!r}; only a percent, a count of cases or a share in words "
            "becomes a judgement"
        )
    moved = ", ".join(
        part
        for part in (
            f"measure {move.measure}",
            f"scope {fact.get('scope', '').strip()}",
            f"as of {fact['as_of'].strip()}" if (fact.get("as_of") or "").strip() else "",
        )
        if part
    )
    notes = [(fact.get("notes") or "").strip()]
    if move.domain_inferred:
        notes.append("domain assigned by the curator: the source does not name it")
    notes.append(f"moved from key_facts ({moved})")
    field_certainty = [
        "domain_label=inferred" if move.domain_inferred else "",
        f"denominator={move.denominator_certainty}" if move.denominator_certainty else "",
    ]
    return {
        "organisation_type": move.organisation_type or _organisation_type(folder),
        "cases_organisation_type": "",
        "domain_label": move.domain_label,
        "aspect": move.aspect,
        "quantifier": words.lower() if worded else "",
        "direction": move.direction,
        "count": value if unit == "cases" else "",
        "denominator": "" if move.denominator is None else str(move.denominator),
        "percent": value if unit == "percent" else "",
        "base": move.base,
        "finding_id": "",
        "certainty": fact.get("certainty") or "",
        "field_certainty": "; ".join(f for f in field_certainty if f),
        "source_locator": fact.get("source_locator") or "",
        "source_url": fact.get("source_url") or "",
        "notes": "; ".join(n for n in notes if n),
    }


def _add_columns(path: Path, header: list[str], wanted: list[str]) -> list[str]:
    """`header` with the columns of `wanted` it lacks added at the end of every record (each
    existing value left as it was)."""
    missing = [c for c in wanted if c not in header]
    if not missing:
        return header
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    for _, end, _fields in _records(text)[1:]:  # the header gets the names below
        line = lines[end]
        body = line.rstrip("\r\n")
        lines[end] = body + "," * len(missing) + line[len(body) :]
    lines[0] = lines[0].rstrip("\r\n") + "," + ",".join(missing) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return header + missing


JUDGEMENT_COLUMNS = [
    "organisation_type",
    "cases_organisation_type",
    "domain_label",
    "aspect",
    "quantifier",
    "direction",
    "count",
    "denominator",
    "percent",
    "base",
    "finding_id",
    "certainty",
    "field_certainty",
    "source_locator",
    "source_url",
    "notes",
]


def move_key_facts(moves: Iterable[JudgementMove], data_root: Path | None = None) -> list[str]:
    """Move each named key fact into the inspection's judgements.csv; return what was moved.

    A move whose key fact is no longer there (moved before) is skipped, so a second run
    changes nothing. The judgement is written first and the key fact removed after, so an
    interrupted run leaves the figure in both files, never in neither; a judgement already
    there (same aspect and locator) is not written twice."""
    inspections = config.inspections_dir(data_root)
    by_folder: dict[str, list[JudgementMove]] = {}
    for move in moves:
        by_folder.setdefault(move.inspection_id, []).append(move)
    changes: list[str] = []
    for inspection_id, folder_moves in sorted(by_folder.items()):
        folder = inspections / inspection_id
        facts_path = folder / "key_facts.csv"
        if not facts_path.is_file():
            continue
        text = facts_path.read_text(encoding="utf-8")
        records = _records(text)
        fact_header = records[0][2]
        wanted: Mapping[str, JudgementMove] = {m.measure: m for m in folder_moves}
        found = []
        for start, end, fields in records[1:]:
            fact = dict(zip(fact_header, fields, strict=False))
            if fact.get("measure", "").strip() in wanted:
                found.append((start, end, fact))
        if not found:
            continue
        rows = [_judgement(wanted[f["measure"].strip()], f, folder) for _, _, f in found]
        path = folder / "judgements.csv"
        if path.is_file():
            header, existing = _read_rows(path)
            header = _add_columns(path, header, JUDGEMENT_COLUMNS)
            there = {(r.get("aspect"), r.get("source_locator")) for r in existing}
            new = [r for r in rows if (r["aspect"], r["source_locator"]) not in there]
            if new:
                _append_rows(path, header, new)
        else:
            _write_rows(path, JUDGEMENT_COLUMNS, rows)
        lines = text.splitlines(keepends=True)
        drop = {line for start, end, _ in found for line in range(start, end + 1)}
        kept = [line for number, line in enumerate(lines) if number not in drop]
        if len(kept) > 1:
            facts_path.write_text("".join(kept), encoding="utf-8")
        else:
            facts_path.unlink()  # nothing left but the header: the table is absent
        changes.extend(
            f"judgement {inspection_id} {f['measure'].strip()} (from key_facts)"
            for _, _, f in found
        )
    return changes


_ASSESS_ROH = "assessment of risk of harm was sufficient"
_DELIVER_SAFE = "implementation and delivery of work to keep people safe was sufficient"
_DA_NOT_REQUESTED = "domestic abuse information was not requested where it should have been"
_CHILD_NOT_REQUESTED = "child safeguarding information was not requested where it should have been"

#: The headline case-sample shares of the 2021-2025 PDU, regional and national inspections,
#: curated as key facts before judgements held a percentage (data model of 2026-12).
HEADLINE_SHARE_MOVES: tuple[JudgementMove, ...] = (
    JudgementMove(
        "2022-08-warwickshire-pdu",
        "cases_sufficient_keeping_people_safe",
        "work to keep people safe was sufficient",
        "sufficient",
        "cases",
    ),
    JudgementMove(
        "2023-02-derby-city-pdu",
        "cases_domestic_abuse_information_not_requested",
        "domestic abuse information was requested from neither the police nor children's services",
        "insufficient",
        "cases",
    ),
    JudgementMove(
        "2023-02-leicester-leicestershire-rutland-pdu",
        "cases_sufficient_court_report_work",
        "court report work was sufficient",
        "sufficient",
        "court work",
    ),
    JudgementMove(
        "2023-06-knowsley-st-helens-pdu",
        "cases_sufficient_risk_of_serious_harm_assessment",
        _ASSESS_ROH,
        "sufficient",
        "cases",
    ),
    JudgementMove(
        "2023-08-somerset-pdu",
        "cases_sufficient_risk_assessment",
        _ASSESS_ROH,
        "sufficient",
        "cases",
    ),
    JudgementMove(
        "2024-04-nottingham-city-pdu",
        "cases_safeguarding_information_used_in_assessment",
        "safeguarding information received was used to inform the assessment",
        "sufficient",
        "cases",
    ),
    JudgementMove(
        "2024-05-kent-surrey-sussex-region",
        "cases_sufficient_implementation_delivery_keeping_safe",
        _DELIVER_SAFE,
        "sufficient",
        "cases",
    ),
    JudgementMove(
        "2024-05-kent-surrey-sussex-region",
        "victims_able_to_contribute_before_release",
        "victims were able to contribute before the person's release",
        "sufficient",
        "cases where relevant",
    ),
    JudgementMove(
        "2024-07-essex-south-pdu",
        "cases_sufficient_implementation_delivery_keeping_safe",
        _DELIVER_SAFE,
        "sufficient",
        "cases",
    ),
    JudgementMove(
        "2024-08-derbyshire-pdu",
        "cases_sufficient_implementation_delivery_keeping_safe",
        _DELIVER_SAFE,
        "sufficient",
        "cases",
    ),
    JudgementMove(
        "2024-08-essex-north-pdu",
        "cases_management_oversight_missing_or_insufficient",
        "management oversight was missing or insufficient",
        "insufficient",
        "cases",
    ),
    JudgementMove(
        "2025-03-north-east-region",
        "cases_sufficient_risk_of_harm_assessment",
        _ASSESS_ROH,
        "sufficient",
        "cases",
    ),
    JudgementMove(
        "2025-03-north-east-region",
        "cases_sufficient_implementation_delivery_keeping_safe",
        _DELIVER_SAFE,
        "sufficient",
        "cases",
    ),
    JudgementMove(
        "2025-03-stockton-hartlepool-pdu",
        "cases_sufficient_risk_of_harm_assessment",
        _ASSESS_ROH,
        "sufficient",
        "cases",
    ),
    JudgementMove(
        "2025-04-national-inspection-hmpps",
        "cases_delivery_supporting_desistance",
        "implementation and delivery of work to support desistance was sufficient",
        "sufficient",
        "cases",
    ),
    JudgementMove(
        "2025-04-national-inspection-hmpps",
        "cases_delivery_keeping_people_safe",
        _DELIVER_SAFE,
        "sufficient",
        "cases",
    ),
    JudgementMove(
        "2025-05-leicester-leicestershire-rutland-pdu",
        "cases_child_safeguarding_information_not_requested",
        _CHILD_NOT_REQUESTED,
        "insufficient",
        "cases where relevant",
    ),
    JudgementMove(
        "2025-05-leicester-leicestershire-rutland-pdu",
        "cases_domestic_abuse_information_not_requested",
        _DA_NOT_REQUESTED,
        "insufficient",
        "cases where relevant",
    ),
    JudgementMove(
        "2025-07-north-tyneside-northumberland-pdu",
        "cases_domestic_abuse_information_not_requested",
        _DA_NOT_REQUESTED,
        "insufficient",
        "cases where relevant",
        denominator=50,
    ),
    JudgementMove(
        "2025-07-north-tyneside-northumberland-pdu",
        "cases_child_safeguarding_information_not_requested",
        _CHILD_NOT_REQUESTED,
        "insufficient",
        "cases where relevant",
        denominator=49,
    ),
    JudgementMove(
        "2022-02-west-kent-pdu",
        "cases_sufficient_risk_of_serious_harm_work",
        "work to manage the risk of serious harm was sufficient",
        "sufficient",
        "cases",
    ),
    JudgementMove(
        "2022-02-west-kent-pdu",
        "cases_desistance_evidenced",
        "work on desistance was evidenced",
        "sufficient",
        "cases",
    ),
    JudgementMove(
        "2022-05-essex-north-pdu",
        "cases_sufficient_keeping_public_safe",
        "work to keep the public safe was sufficient",
        "sufficient",
        "cases",
    ),
    JudgementMove(
        "2025-03-cwm-taf-morgannwg-pdu",
        "cases_sufficient_planning_keeping_safe",
        "planning to keep people safe was sufficient",
        "sufficient",
        "cases",
    ),
    JudgementMove(
        "2025-12-kent-surrey-sussex-public-protection",
        "cases_meeting_standard_planning_and_reviewing",
        "planning and reviewing met the standard for public protection",
        "sufficient",
        "cases",
        denominator=56,
        denominator_certainty="derived",
    ),
    JudgementMove(
        "2026-01-south-central-public-protection",
        "cases_sufficient_risk_of_harm_assessment",
        _ASSESS_ROH,
        "sufficient",
        "cases",
        denominator=56,
        denominator_certainty="derived",
    ),
    JudgementMove(
        "2025-07-north-tyneside-northumberland-pdu",
        "cases_domestic_abuse_information_insufficient",
        "domestic abuse information received was insufficient",
        "insufficient",
        "cases",
    ),
)


def migrate(data_root: Path | None = None) -> list[str]:
    """Every step, in order; returns a line per change made (empty when nothing was left)."""
    return migrate_measures(data_root) + move_key_facts(HEADLINE_SHARE_MOVES, data_root)


def main() -> int:
    changes = migrate()
    for change in changes:
        print(change)
    print(f"{len(changes)} change(s)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
