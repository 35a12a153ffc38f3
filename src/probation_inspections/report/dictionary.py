"""The data dictionary (docs/data-dictionary.md), generated from the schema and the rules."""

from __future__ import annotations

from ..curated.schema import TABLES, VOCABULARIES, Column
from ..validation.rules import RELATION_RULES

HEADER = """# Data dictionary

Generated from `src/probation_inspections/curated/schema.py` and `validation/rules.py` by
`probation-inspections docs`; a test checks that this file is current. Do not edit by hand.

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
        lines.append(
            f"File: `{table.filename}`. Unique key: "
            + (", ".join(f"`{k}`" for k in table.key) or "none")
            + ".\n"
        )
        lines.append("| column | type | unit | description | rules |")
        lines.append("|---|---|---|---|---|")
        for column in table.columns:
            name = f"`{column.name}`" + ("" if column.curated else " *(derived)*")
            description = column.description.replace("|", "\\|")
            rules = _rules(column).replace("|", "\\|")
            lines.append(
                f"| {name} | {column.kind} | {column.unit or ''} | {description} | {rules} |"
            )
        lines.append("")
    lines.append("## Rules across rows and tables\n")
    lines.append("| rule | tables | what it checks |")
    lines.append("|---|---|---|")
    for rule in RELATION_RULES:
        lines.append(f"| `{rule.name}` | {', '.join(rule.tables)} | {rule.description} |")
    lines.append("")
    lines.extend(_vocabularies())
    return "\n".join(lines)


def _vocabularies() -> list[str]:
    """Sections for the reference vocabularies whose columns the schema documents."""
    from ..curated.vocabularies import REGISTER_RULES

    lines = []
    for vocab in VOCABULARIES.values():
        if not vocab.columns:
            continue
        lines.append(f"## Vocabulary `{vocab.name}`\n")
        lines.append(f"{vocab.description}\n")
        lines.append(
            f"File: `data/reference/{vocab.filename}`. Code: `{vocab.code_column}` "
            "(unique). Read and checked with the other vocabularies: a broken row "
            "stops validation with its file, line, column and rule.\n"
        )
        lines.append("| column | type | description | rules |")
        lines.append("|---|---|---|---|")
        for column in vocab.columns:
            description = column.description.replace("|", "\\|")
            rules = _rules(column).replace("|", "\\|")
            lines.append(f"| `{column.name}` | {column.kind} | {description} | {rules} |")
        lines.append("")
        if vocab.name == "pdu":
            lines.append("| rule | what it checks |")
            lines.append("|---|---|")
            for name, description in REGISTER_RULES:
                lines.append(f"| `{name}` | {description.replace('|', chr(92) + '|')} |")
            lines.append("")
    return lines


DATA_LOG_HEADER = """# Data log

Every inspection curated in `data/inspections/`, from which source, with what coverage. Generated
from the curated files by `probation-inspections docs`; a test checks that this file is current.
Do not edit by hand. Rows marked *derived* or *inferred* were not read directly from a source;
reports show that certainty beside the value.
"""


def render_data_log(data_root=None) -> str:
    from ..curated.inspection import list_inspections, read_inspection
    from ..curated.schema import CSV_TABLES
    from ..curated.vocabularies import Reference

    reference = Reference.load(data_root)
    ids, _ = list_inspections(data_root)
    inspections = {i: read_inspection(i, reference, data_root) for i in ids}
    kinds = [_cell(x.tables["inspections"].iloc[0].get("kind")) for x in inspections.values()]
    lines = [
        DATA_LOG_HEADER,
        f"{len(ids)} folders: {kinds.count('inspection')} inspections and "
        f"{kinds.count('overview')} overviews (annual reports, summaries, statistics, "
        "commentary).\n",
        "| folder | kind | published | programme | document | rows by table | derived / "
        "inferred rows | discrepancies (between sources) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    details = []
    for inspection_id, inspection in inspections.items():
        meta = inspection.tables["inspections"].iloc[0]
        counts, uncertain = [], 0
        for table in CSV_TABLES:
            frame = inspection.tables.get(table.name)
            if frame is not None and len(frame):
                counts.append(f"{table.name} {len(frame)}")
                uncertain += int((frame["certainty"] != "reported").sum())
        title = _cell(meta["title"])
        url = meta["source_url"]
        document = _cell(meta["document_type"])
        source = f"[{document}]({url})" if isinstance(url, str) else document
        lines.append(
            f"| `{inspection_id}`<br>{title} | {_cell(meta['kind'])} | "
            f"{_cell(meta['published'])} | "
            f"{_cell(meta['programme'])} | {source} | {', '.join(counts) or 'none'} | "
            f"{uncertain} |"
        )
        discrepancies = inspection.tables.get("discrepancies")
        disagreements = ""
        if discrepancies is not None and len(discrepancies):
            per = discrepancies.drop_duplicates("discrepancy")
            between = int((per["scope"] == "between sources").sum())
            disagreements = f"{len(per)} ({between})"
        lines[-1] += f" {disagreements} |"
        coverage = _cell(meta["coverage"])
        if coverage:
            details.append(f"### `{inspection_id}`\n\n{coverage}\n")
        if discrepancies is not None and len(discrepancies):
            details.append(
                _discrepancy_list(inspection_id if not coverage else None, discrepancies)
            )
    lines.append("\n## Coverage notes\n")
    lines.extend(details)
    return "\n".join(lines) + "\n"


def _discrepancy_list(heading: str | None, discrepancies) -> str:
    """The discrepancies of one folder as a list: the field, each value with its locator and
    source, and whether the values come from one source or several."""
    lines = [f"### `{heading}`\n"] if heading else []
    lines.append("Discrepancies:\n")
    for _, rows in discrepancies.groupby("discrepancy", sort=True):
        rows = rows.sort_values("position")
        first = rows.iloc[0]
        values = "; ".join(
            f"{_cell(r['value'])} ({_cell(r['source_locator'])}"
            + (f", {r['source_url']}" if first["scope"] == "between sources" else "")
            + ")"
            for _, r in rows.iterrows()
        )
        lines.append(f"- {_cell(first['field'])} ({first['scope']}): {values}")
    return "\n".join(lines) + "\n"


def _cell(value) -> str:
    import pandas as pd

    if value is None or pd.isna(value):
        return ""
    return " ".join(str(value).split()).replace("|", "\\|")
