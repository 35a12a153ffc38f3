"""Staffing and caseload tables (grade, establishment, mean caseload) and the caseload figures
stated in sentences: staff estimates, highest caseloads, workload measurement."""

from __future__ import annotations

import re

from ..document import Document, locator
from ..paragraphs import paragraphs, split_sentences
from ..rows import DraftRow, Labels
from ..whose import organisation_of_caption, organisation_of_section

NUMBERS = re.compile(r"^(?P<numbers>\d+(?:\.\d+)?(?:\s+\d+(?:\.\d+)?)?)$")
BETWEEN_CASES = re.compile(
    r"between (?P<low>\d+) and (?P<high>\d+) cases per (?P<per>[\w\s-]+?"
    r"(?:member of staff|employee|officer|practitioner))"
)
UP_TO = re.compile(
    r"(?P<grade>(?:[a-z-]+ ){0,3}(?:grades|officers|staff|practitioners))"
    r" (?:now )?(?:holding|responsible for|held) up to (?P<high>\d+) cases"
)
CAPACITY = re.compile(
    r"(?P<grade>(?:[a-z-]+ ){0,2}(?:officers|staff|practitioners)) working at "
    r"between (?P<low>\d+)% and (?P<high>\d+)% capacity"
)
SKIPPED_SECTIONS = ("Foreword", "Key facts")


def _is_staffing(header: str) -> bool:
    lowered = header.lower()
    return "grade" in lowered and ("caseload" in lowered or "establishment" in lowered)


def table_rows(document: Document, labels: Labels) -> list[DraftRow]:
    drafted = []
    for table in document.tables:
        header = " ".join(line.stripped for line in table.body[:3])
        if not _is_staffing(header):
            continue
        organisation = organisation_of_caption(table.caption, table.section)
        start = (
            next((i for i, line in enumerate(table.body) if "caseload" in line.stripped.lower()), 0)
            + 1
        )
        if start < len(table.body) and table.body[start].stripped.lower() == "caseload":
            start += 1
        label: list[str] = []
        for line in table.body[start:]:
            text = line.stripped
            if not text:
                continue
            match = NUMBERS.match(text)
            trailing = re.match(
                r"^(?P<label>.*?[A-Za-z)])\s+(?P<numbers>\d+(?:\.\d+)?"
                r"(?:\s+\d+(?:\.\d+)?)?)$",
                text,
            )
            if not match and trailing:
                label.append(trailing.group("label"))
                match = trailing
            if not match:
                label.append(text)
                continue
            numbers = [float(n) for n in match.group("numbers").split()]
            grade = " ".join(" ".join(label).split())
            label = []
            values: dict[str, object]
            values = {
                "organisation_type": organisation,
                "staff_grade_label": grade,
                "basis": "management_information",
                "establishment_fte": numbers[0],
                "mean_caseload": numbers[1] if len(numbers) > 1 else None,
                "unit": "cases_per_fte",
            }
            row = DraftRow(
                "caseloads",
                values,
                locator(table.section, line.page, table.number),
                f"{grade}: {text}",
                line.number,
                line.page,
            )
            labels.known(row, "staff_grade", grade)
            if "Source:" in table.caption and "management" not in table.caption.lower():
                row.guess(
                    "basis: management information (the caption names the provider as source)", 0.1
                )
            drafted.append(row)
    return drafted


def sentence_rows(document: Document, labels: Labels) -> list[DraftRow]:
    """Caseload ranges and maxima stated in prose (including the cells of tables)."""
    drafted = []
    for run in paragraphs(document.lines):
        first = run[0]
        if any(part in SKIPPED_SECTIONS for part in first.section):
            continue
        text = " ".join(" ".join(line.stripped for line in run).split())
        for sentence in split_sentences(text):
            line = next(
                (ln for ln in run if ln.stripped and ln.stripped.split()[0] in sentence), first
            )
            organisation = organisation_of_section(first.section)
            where = locator(first.section, line.page, first.table)
            for match in BETWEEN_CASES.finditer(sentence):
                drafted.append(
                    _row(
                        labels,
                        organisation,
                        match.group("per").strip(),
                        "staff_estimate"
                        if re.search(r"\bestimated?\b", sentence)
                        else "inspection_finding",
                        {
                            "min_caseload": float(match["low"]),
                            "max_caseload": float(match["high"]),
                            "unit": "cases_per_fte",
                        },
                        where,
                        sentence,
                        line,
                    )
                )
            for match in UP_TO.finditer(sentence):
                drafted.append(
                    _row(
                        labels,
                        organisation,
                        match.group("grade").strip(),
                        "inspection_finding",
                        {"max_caseload": float(match["high"]), "unit": "cases_per_fte"},
                        where,
                        sentence,
                        line,
                    )
                )
            for match in CAPACITY.finditer(sentence):
                drafted.append(
                    _row(
                        labels,
                        organisation,
                        match.group("grade").strip(),
                        "workload_measurement",
                        {
                            "min_caseload": float(match["low"]),
                            "max_caseload": float(match["high"]),
                            "unit": "percent_of_capacity",
                        },
                        where,
                        sentence,
                        line,
                    )
                )
    return drafted


def _row(labels, organisation, grade, basis, numbers, where, sentence, line) -> DraftRow:
    grade = re.sub(r"^(?:(?:some|with|the|all|many|\w+ed)\s+)+", "", grade)
    values = {
        "organisation_type": organisation,
        "staff_grade_label": grade,
        "basis": basis,
        **numbers,
    }
    row = DraftRow("caseloads", values, where, sentence, line.number, line.page)
    row.guess(f"basis '{basis}' from the wording", 0.2)
    if organisation is None:
        row.guess("organisation not found in the section headings", 0.4)
    labels.known(row, "staff_grade", grade)
    return row


def recognise(document: Document, labels: Labels, meta: dict) -> list[DraftRow]:
    return table_rows(document, labels) + sentence_rows(document, labels)
