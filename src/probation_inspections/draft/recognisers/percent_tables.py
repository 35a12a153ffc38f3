""" "Table N" blocks whose rows pair a label with one percentage: need sufficiency (needs in
priority order) or domain scores."""

from __future__ import annotations

import re

from ..document import Document, Line, TableBlock, locator
from ..rows import DraftRow, Labels
from ..whose import organisation_of_caption

PERCENT_ROW = re.compile(
    r"^(?P<label>[A-Za-z‘'][^%\d]*?)\s+"
    r"(?P<value>\d{1,3}(?:[.\ufffd]\d+)?)\s*%$"
)
NEED_WORDS = re.compile(r"\bneeds?\b", re.I)


def percent(text: str) -> float:
    """ "67�1" (a decimal point lost in a text copy) reads 67.1."""
    return float(text.replace("\ufffd", "."))


def label_rows(table: TableBlock) -> list[tuple[Line, str, float]]:
    """(line, label, percent) of each row that is a label and one percentage."""
    rows = []
    for line in table.body:
        match = PERCENT_ROW.match(line.stripped)
        if match:
            rows.append((line, " ".join(match.group("label").split()), percent(match["value"])))
    return rows


def table_kind(table: TableBlock, rows, labels: Labels) -> str | None:
    header = " ".join(line.stripped for line in table.body[:4]) + " " + table.caption
    texts = [label for _, label, _ in rows]
    as_needs = sum(1 for label in texts if labels.code("need", label))
    as_domains = sum(1 for label in texts if labels.code("domain", label))
    if as_domains > as_needs:
        return "domain_scores"
    if as_needs or NEED_WORDS.search(header):
        return "need_sufficiency"
    return None


def recognise(document: Document, labels: Labels, meta: dict) -> list[DraftRow]:
    drafted = []
    for table in document.tables:
        rows = label_rows(table)
        if len(rows) < 2:
            continue
        kind = table_kind(table, rows, labels)
        if kind is None:
            continue
        organisation = organisation_of_caption(table.caption, table.section)
        for rank, (line, label, value) in enumerate(rows, start=1):
            where = locator(table.section, line.page, table=table.number)
            values: dict[str, object]
            if kind == "need_sufficiency":
                values = {
                    "organisation_type": organisation,
                    "need_label": label,
                    "priority_rank": rank,
                    "percent_sufficient": value,
                }
                vocabulary = "need"
            else:
                values = {
                    "organisation_type": organisation,
                    "organisation_label": meta.get("organisation_labels", {}).get(organisation),
                    "domain_label": label,
                    "percent": value,
                    "period": meta.get("year"),
                }
                vocabulary = "domain"
            row = DraftRow(kind, values, where, line.stripped, line.number, line.page)
            labels.known(row, vocabulary, label)
            if organisation is None:
                row.guess("organisation not named in the caption or section", 0.4)
            elif organisation not in " ".join(table.caption.split()):
                row.guess(f"organisation {organisation} from the section heading", 0.15)
            if kind == "need_sufficiency" and "priority order" not in table.caption:
                row.guess(
                    "rank taken from the row order (caption does not say priority order)", 0.1
                )
            if kind == "domain_scores" and not values.get("period"):
                row.guess("period not stated: the year it refers to", 0.2)
            drafted.append(row)
    return drafted
