"""review.html: every drafted row beside the sentence or table row it came from, grouped by
table, least certain first (a Jinja2 template, autoescaped)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from ..curated.schema import TABLES
from .document import Document
from .rows import DraftRow
from .writer import YAML_FIELDS, cell

#: Columns not shown among a row's values (the page shows them elsewhere).
HIDDEN = {"certainty", "source_locator", "source_url"}


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("probation_inspections.draft", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
    )


def render_review(
    inspection_id: str, source_name: str, meta: dict, by_table: dict[str, list[DraftRow]]
) -> str:
    groups: list[dict] = []
    unknown: dict[tuple[str, str], list[str]] = {}
    for table, rows in by_table.items():
        ordered = sorted(rows, key=lambda r: (r.confidence, getattr(r, "csv_line", 0)))
        for row in ordered:
            # A DraftRow has no `shown`: it is set here for the review page only.
            row.shown = [  # type: ignore[attr-defined]
                (k, cell(v))
                for k, v in row.values.items()
                if v not in (None, "") and k not in HIDDEN
            ]
            for vocabulary, label in row.unknown:
                unknown.setdefault((vocabulary, label), []).append(
                    f"{TABLES[table].filename}:{getattr(row, 'csv_line', '?')}"
                )
        groups.append({"table": table, "filename": TABLES[table].filename, "rows": ordered})
    metadata = [
        (name, meta.get(name))
        for name in YAML_FIELDS
        if name not in ("inspection_id", "kind", "licence", "coverage", "source_publisher")
    ]
    return (
        _environment()
        .get_template("review.html.j2")
        .render(
            inspection_id=inspection_id,
            source_name=source_name,
            groups=groups,
            total=sum(len(g["rows"]) for g in groups),
            unknown=sorted(unknown.items()),
            metadata=metadata,
        )
    )


def write_review(
    folder: Path,
    inspection_id: str,
    document: Document,
    meta: dict,
    by_table: dict[str, list[DraftRow]],
) -> Path:
    path = folder / "review.html"
    path.write_text(render_review(inspection_id, document.name, meta, by_table), encoding="utf-8")
    return path
