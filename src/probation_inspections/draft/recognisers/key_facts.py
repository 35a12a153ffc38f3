"""Key facts pages: a figure beside its label ("13,797 The number of offenders supervised by
..."), with the further figures its label gives and the dates of its footnoted sources."""

from __future__ import annotations

import re

from ..dates import date_or_year
from ..document import Document, Line, locator
from ..paragraphs import paragraphs
from ..rows import DraftRow, Labels

FIGURE = re.compile(
    r"^(?P<figure>[-–]?\d[\d,]*(?:[.\ufffd]\d+)?)(?P<percent>%)?"
    r"(?:\s*\(of (?P<of>\d[\d,]*)\))?\s+(?P<label>[A-Z].*)$"
)
FOOTNOTE = re.compile(r"^(?P<number>\d{1,2})\s+(?P<text>[A-Z‘'].*)$")
INNER_PERCENT = re.compile(r"(?P<value>[-–]?\d+(?:\.\d+)?)%")
RANGE = re.compile(r"ranged from (?P<low>[-–]?\d+(?:\.\d+)?)% to (?P<high>[-–]?\d+(?:\.\d+)?)%")
STOP_WORDS = {
    "the",
    "of",
    "a",
    "an",
    "by",
    "to",
    "in",
    "which",
    "who",
    "were",
    "was",
    "with",
    "their",
    "for",
    "as",
    "has",
    "have",
    "been",
    "having",
    "that",
    "relate",
    "all",
    "its",
    "and",
    "or",
    "number",
    "proportion",
    "total",
}
#: Units of counted figures, from "The number of offenders ..."; others are a `count`.
COUNTED_UNITS = ("offenders", "people", "cases", "staff", "service users")
NATIONAL = re.compile(r"England (?:&|and) Wales|across CRCs|\bCRCs\b|nationally", re.I)


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("\ufffd", ".").replace("–", "-"))


def _clean(label: str) -> str:
    """A label without its footnote marks ("Wales1" reads "Wales", "supervision)1 2." too)."""
    label = re.sub(r"(?<=[A-Za-z)])\d{1,2}(?:\s\d{1,2})*(?=[\s.,]|$)", "", label)
    return " ".join(label.split())


def _footnotes(label: str) -> list[int]:
    return [
        int(n)
        for n in re.findall(r"(?<=[A-Za-z)])(\d{1,2}(?:\s\d{1,2})*)(?=[\s.,]|$)", label)
        for n in n.split()
    ]


def _stems(text: str) -> set[str]:
    """Content words cut to six letters: "supervised" and "supervision" read alike."""
    return {
        w[:6]
        for w in re.findall(r"[a-z]+", text.lower().replace("&", "and"))
        if w not in STOP_WORDS
    }


#: Units that are all counts of something.
COUNT_UNITS = {"count", "offenders", "people", "cases", "staff", "service users"}


def _same_kind(unit: str | None, wanted: str | None) -> bool:
    if not isinstance(unit, str) or not unit or wanted is None:
        return True
    return unit == wanted or unit in COUNT_UNITS and wanted in COUNT_UNITS


def measure_of(label: str, labels: Labels | None = None, unit: str | None = None) -> str:
    """The measure of the vocabulary whose words the label all contains and whose unit is of
    the same kind (the one with most words), else a snake_case name made from the label."""
    if labels is not None:
        table = labels.reference.tables.get("measure")
        words = _stems(label)
        if table is not None:
            units = table["unit"] if "unit" in table.columns else [None] * len(table)
            fits = [
                (len(stems), code)
                for code, name, kind in zip(table["measure"], table["label"], units, strict=False)
                if isinstance(name, str)
                and (stems := _stems(name))
                and stems <= words
                and _same_kind(kind, unit)
            ]
            if fits:
                return max(fits)[1]
    kept = [w for w in re.findall(r"[a-z]+", label.lower()) if w not in STOP_WORDS]
    return "_".join(kept[:6]) or "figure"


def scope_of(label: str) -> str:
    """England and Wales for a national figure; else the organisation or place the label names."""
    head = label.split(".")[0]
    if re.search(r"England (?:&|and) Wales", head):
        return "England and Wales"
    if re.search(r"\bCRCs\b", head):
        return "England and Wales"
    found = re.search(r"\b(CRC|NPS|PDU)\b", head)
    if found:
        place = re.search(r"\b(?:NPS|CRC|PDU) in (?P<place>[A-Z][a-z]+(?: [A-Z][a-z]+)*)", head)
        return place.group("place") if place else found.group(1)
    return "Area"


def recognise(document: Document, labels: Labels, meta: dict) -> list[DraftRow]:
    lines = [line for line in document.lines if "Key facts" in line.section]
    if not lines:
        return []
    notes: dict[int, str] = {}
    blocks: list[list[Line]] = []
    for run in paragraphs(lines, footnotes=True):
        for line in run:
            note = FOOTNOTE.match(line.stripped)
            if (
                note
                and not FIGURE.match(line.stripped.replace(note["number"], "", 1).strip())
                and len(line.stripped) > 30
                and int(note["number"]) <= 20
                and not re.match(r"^\d+\s+The ", line.stripped)
            ):
                notes[int(note["number"])] = note["text"]
            elif FIGURE.match(line.stripped):
                blocks.append([line])
            elif (
                blocks and blocks[-1][-1] is run[run.index(line) - 1] if run.index(line) else False
            ):
                blocks[-1].append(line)
    drafted = []
    for block in blocks:
        first = block[0]
        match = FIGURE.match(first.stripped)
        if match is None:  # never: every block starts at a figure line (above)
            continue
        raw_label = " ".join([match["label"]] + [line.stripped for line in block[1:]])
        label = _clean(raw_label)
        as_of = next(
            (d for n in _footnotes(raw_label) if (d := date_or_year(notes.get(n, "")))), None
        )
        where = locator(first.section, first.page)
        main_label = label.split(". ")[0]
        counted = re.search(
            r"number of (?:[\w-]+ ){0,2}?(offenders|people|cases|staff)\b", main_label
        )
        unit = (
            "percent"
            if match["percent"]
            else (counted.group(1) if counted and counted.group(1) in COUNTED_UNITS else "count")
        )
        figures = [(_number(match["figure"]), scope_of(main_label), main_label, unit)]
        if match["of"]:
            figures.append(
                (_number(match["of"]), "England and Wales", f"{main_label} out of", "count")
            )
        rest = label[len(main_label) :]
        ranged = RANGE.search(rest)
        for inner in INNER_PERCENT.finditer(rest):
            scope = "England and Wales" if NATIONAL.search(rest) else scope_of(rest)
            sub = rest[: inner.end()].split(". ")[-1].strip(" .")
            if ranged and inner.start() >= ranged.start():
                which = "lowest" if inner.group("value") == ranged.group("low") else "highest"
                sub = f"{which} of: {main_label}"
            figures.append((_number(inner.group("value")), scope, sub, "percent"))
        for value, scope, text, unit_of in figures:
            # the total a figure is "of" is another measure than the figure's own
            vocabulary = None if text.endswith(" out of") else labels
            measure = measure_of(text, vocabulary, unit_of)
            values = {
                "measure": measure,
                "scope": scope,
                "value": value,
                "qualifier": "exact",
                "unit": unit_of,
                "as_of": as_of,
            }
            row = DraftRow(
                "key_facts", values, where, f"{match['figure']} {label}", first.number, first.page
            )
            if labels.known(row, "measure", measure):
                row.guess(
                    f"measure '{values['measure']}': the vocabulary's, from the label's words", 0.1
                )
            if text is not main_label:
                row.guess("a further figure of the label; scope from its words", 0.15)
            if scope == "Area":
                row.guess("scope not named: the inspected area", 0.2)
            drafted.append(row)
    return drafted
