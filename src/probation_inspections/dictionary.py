"""The data dictionary (docs/data-dictionary.md), generated from the schema and the rules."""

from __future__ import annotations

from .rules import RELATION_RULES
from .schema import TABLES, VOCABULARIES, Column

HEADER = """# Data dictionary

Generated from `src/probation_inspections/schema.py` and `rules.py` by
`probation-inspections dictionary`; a test checks that this file is current. Do not edit by hand.

Every table is long and tidy: one row per the unit named below. `load(table)` returns exactly
these columns. Columns marked *derived* are added by the loader (codes harmonised from labels,
ids, shares); the others are written by curators in `data/inspections/<id>/<table>.csv` (or
`inspection.yaml`).
"""


def _rules(column: Column) -> str:
    parts = []
    if column.required:
        parts.append("required")
    if column.minimum is not None or column.maximum is not None:
        low = "" if column.minimum is None else f"{column.minimum:g}"
        high = "" if column.maximum is None else f"{column.maximum:g}"
        bracket = "(" if column.strict_minimum else "["
        parts.append(f"range {bracket}{low}, {high}]")
    if column.allowed:
        parts.append("one of " + ", ".join(f"`{a}`" for a in column.allowed))
    if column.vocabulary:
        parts.append(f"codes of `{VOCABULARIES[column.vocabulary].filename}`")
    if column.pattern:
        parts.append(f"pattern `{column.pattern}`")
    return "; ".join(parts)


def render() -> str:
    lines = [HEADER]
    for table in TABLES.values():
        lines.append(f"## `{table.name}`\n")
        lines.append(f"One row per {table.row}. {table.description}\n")
        lines.append(f"File: `{table.filename}`. Unique key: "
                     + (", ".join(f"`{k}`" for k in table.key) or "none") + ".\n")
        lines.append("| column | type | unit | description | rules |")
        lines.append("|---|---|---|---|---|")
        for column in table.columns:
            name = f"`{column.name}`" + ("" if column.curated else " *(derived)*")
            description = column.description.replace("|", "\\|")
            rules = _rules(column).replace("|", "\\|")
            lines.append(f"| {name} | {column.kind} | {column.unit or ''} | {description} | "
                         f"{rules} |")
        lines.append("")
    lines.append("## Rules across rows and tables\n")
    lines.append("| rule | tables | what it checks |")
    lines.append("|---|---|---|")
    for rule in RELATION_RULES:
        lines.append(f"| `{rule.name}` | {', '.join(rule.tables)} | {rule.description} |")
    lines.append("")
    return "\n".join(lines)
