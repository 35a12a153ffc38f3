"""The OMI2 comparison table: an area's score per domain beside the lowest, highest and average
published across the areas inspected to date (domain_scores and published_aggregates)."""

from __future__ import annotations

import re

from ..document import Document, TableBlock, locator
from ..rows import DraftRow, Labels
from .percent_tables import percent

STATISTIC_WORDS = ("lowest", "highest", "average")
NUMBERS_ROW = re.compile(r"^(?:\d{1,3}(?:[.\ufffd]\d+)?\s*%\s*){3,}$")
ORGANISATION = re.compile(r"for (?:the )?(?P<label>[A-Z][\w&' ]+?(?:Probation Trust|CRC|PDU))")


def header_split(table: TableBlock) -> int:
    """Index of the first body line after the header (the line naming the statistics)."""
    for index, line in enumerate(table.body):
        if re.search(r"\bAverage\b", line.stripped) and re.search(r"Lowest", line.stripped):
            return index + 1
    return -1


def population_label(header: str, labels: Labels) -> tuple[str, bool]:
    """The vocabulary's label of the population the header describes, or its own words."""
    words = set(re.findall(r"[a-z]+", header.lower()))
    for label in sorted(labels.reference.labels("population"), key=len, reverse=True):
        tokens = set(re.findall(r"[a-z]+", label.lower()))
        if len(tokens) >= 3 and tokens <= words:
            return label, True
    match = re.search(r"Scores from the (.+?)(?: Scores for|$)", header)
    return (match.group(1) if match else header), False


def recognise(document: Document, labels: Labels, meta: dict) -> list[DraftRow]:
    drafted = []
    for table in document.tables:
        start = header_split(table)
        if start < 0:
            continue
        header = " ".join(line.stripped for line in table.body[:start])
        order = sorted(STATISTIC_WORDS, key=lambda word: header.lower().find(word))
        area_last = header.find("Scores for") > header.find("Scores from") >= 0
        population, known_population = population_label(header, labels)
        found = ORGANISATION.search(table.caption)
        organisation_label = found.group("label") if found else None
        organisation_type = (
            "Trust"
            if organisation_label and "Trust" in organisation_label
            else "CRC"
            if organisation_label and "CRC" in organisation_label
            else None
        )
        year = re.search(r"\b(19|20)\d{2}\b", table.caption)
        period = year.group(0) if year else None
        label_lines: list[str] = []
        for line in table.body[start:]:
            text = line.stripped
            if not text:
                continue
            if not NUMBERS_ROW.match(text):
                label_lines.append(text)
                continue
            values = [percent(v) for v in re.findall(r"(\d{1,3}(?:[.\ufffd]\d+)?)\s*%", text)]
            row_label = " ".join(label_lines)
            label_lines = []
            domain_label = labels.vocabulary_label_in("domain", row_label) or row_label
            statistics = values[:3] if area_last else values[1:4]
            area_value = values[3] if area_last else values[0]
            where = locator(table.section, line.page, table=table.number)
            evidence = f"{row_label}: {text}"
            for statistic, value in zip(order, statistics, strict=False):
                row = DraftRow(
                    "published_aggregates",
                    {
                        "statistic": statistic,
                        "population_label": population,
                        "domain_label": domain_label,
                        "value": value,
                        "unit": "percent",
                        "period": period,
                    },
                    where,
                    evidence,
                    line.number,
                    line.page,
                )
                labels.known(row, "domain", domain_label)
                if not known_population:
                    labels.known(row, "population", population)
                row.guess("statistic columns read from the header order", 0.05)
                drafted.append(row)
            row = DraftRow(
                "domain_scores",
                {
                    "organisation_type": organisation_type,
                    "organisation_label": organisation_label,
                    "domain_label": domain_label,
                    "percent": area_value,
                    "period": period,
                },
                where,
                evidence,
                line.number,
                line.page,
            )
            labels.known(row, "domain", domain_label)
            if organisation_label:
                labels.known(row, "organisation", organisation_label)
            else:
                row.guess("organisation not named in the caption", 0.4)
            drafted.append(row)
    return drafted
