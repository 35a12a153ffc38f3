"""Write a draft folder: inspection.yaml and one CSV per table found, in the curated format
(every row `certainty: drafted` with its locator)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from ..curated.schema import INSPECTORATE, OGL, TABLES
from .rows import DRAFTED, DraftRow

#: inspection.yaml fields in the order of the curated template.
YAML_FIELDS = (
    "inspection_id",
    "title",
    "programme",
    "area",
    "kind",
    "published",
    "fieldwork_start",
    "fieldwork_end",
    "document_type",
    "source_title",
    "source_publisher",
    "source_url",
    "date_accessed",
    "licence",
    "coverage",
)
REQUIRED_NOTE = {
    "source_url": "required: where the document is published",
    "date_accessed": "when you read the source (YYYY-MM-DD)",
    "programme": "guessed from the wording: check against data/reference/programmes.csv",
    "published": "day or month as the source gives it; never a guessed day",
    "fieldwork_start": "only if the source states it",
    "fieldwork_end": "only if the source states it",
}


def inspection_yaml(meta: dict, inspection_id: str, source_name: str, tables: list[str]) -> str:
    values = {
        "inspection_id": inspection_id,
        "title": meta.get("title"),
        "programme": meta.get("programme"),
        "area": meta.get("area"),
        "kind": "inspection",
        "published": meta.get("published"),
        "fieldwork_start": meta.get("fieldwork_start"),
        "fieldwork_end": meta.get("fieldwork_end"),
        "document_type": meta.get("document_type"),
        "source_title": meta.get("source_title"),
        "source_publisher": INSPECTORATE,  # a draft of another publisher's document: see licence
        "source_url": None,
        "date_accessed": None,
        "licence": OGL,  # OGL only for a Crown publisher's document (rule licence_applies)
        "coverage": f"Drafted from {source_name}: "
        + (", ".join(tables) or "no tables")
        + ". Say what was curated and what the source lacks.",
    }
    lines = [
        f"# Drafted by `probation-inspections draft` from {source_name}. Check every field",
        "# against the source, fill in the empty ones, then delete the next line.",
        f"certainty: {DRAFTED}",
    ]
    for name in YAML_FIELDS:
        value = values[name]
        note = REQUIRED_NOTE.get(name)
        if value is None:
            lines.append(f"{name}:" + (f"  # {note}" if note else ""))
            continue
        dumped = yaml.safe_dump(
            {name: str(value)}, allow_unicode=True, width=100, default_flow_style=False
        ).rstrip("\n")
        if note and "\n" not in dumped:
            dumped += f"  # {note}"
        lines.append(dumped)
    return "\n".join(lines) + "\n"


def table_csv(table: str, rows: list[DraftRow]) -> str:
    """The curated CSV of `table` with the drafted rows, in the order found."""
    columns = [c.name for c in TABLES[table].curated_columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        values = dict(row.values)
        values["certainty"] = DRAFTED
        values["source_locator"] = row.locator
        writer.writerow(["" if values.get(c) is None else cell(values.get(c)) for c in columns])
    return out.getvalue()


def cell(value) -> str:
    """A value as written in a CSV cell (78.0 reads 78)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_folder(
    folder: Path, meta: dict, inspection_id: str, source_name: str, rows: list[DraftRow]
) -> dict[str, list[DraftRow]]:
    """Write the draft into `folder` (created; it must not exist). Returns the rows by table,
    with each row's CSV line number set on it."""
    by_table: dict[str, list[DraftRow]] = {}
    for row in rows:
        by_table.setdefault(row.table, []).append(row)
    folder.mkdir(parents=True)
    order = [name for name in TABLES if name in by_table]
    for name in order:
        for line, row in enumerate(by_table[name], start=2):
            row.csv_line = line  # type: ignore[attr-defined]
        (folder / TABLES[name].filename).write_text(
            table_csv(name, by_table[name]), encoding="utf-8"
        )
    (folder / "inspection.yaml").write_text(
        inspection_yaml(meta, inspection_id, source_name, order), encoding="utf-8"
    )
    return {name: by_table[name] for name in order}
