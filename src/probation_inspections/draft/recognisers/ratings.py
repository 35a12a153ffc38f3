"""Ratings of 2018 and later: a ratings summary (each standard with its rating, and the overall
rating) and the rating sentences of press releases ("received an overall rating of
'Inadequate'")."""

from __future__ import annotations

import re

from ..document import Document, locator
from ..paragraphs import paragraphs, split_sentences
from ..rows import DraftRow, Labels

RATING = r"(?P<rating>Outstanding|Good|Requires? improvement|Requiring improvement|Inadequate)"
SUMMARY_ROW = re.compile(
    r"^(?P<number>\d\.\d)\s+(?P<standard>[A-Z][\w ,&'-]+?)\s+" + RATING + r"\s*$", re.I
)
OVERALL_ROW = re.compile(r"^Overall(?: rating)?\s*[:\-–]?\s+" + RATING + r"\s*$", re.I)
OVERALL_SENTENCE = re.compile(
    r"(?:overall rating of|rated? (?:it )?(?:overall )?as|given an? |"
    r"rated overall as)\W{0,3}" + RATING,
    re.I,
)
STANDARD_SENTENCE = re.compile(
    r"(?P<standard>[a-z][\w ]{3,40}?) (?:across the board )?was "
    r"rated as\W{0,3}" + RATING,
    re.I,
)


def organisation_of_title(meta: dict) -> tuple[str | None, str | None]:
    title = meta.get("title") or ""
    for kind, pattern in (
        ("PDU", r"\bPDU\b|Probation Delivery Unit|Probation Service rated"),
        ("CRC", r"\bCRC\b|Community Rehabilitation Company"),
        ("NPS", r"\bNPS\b|National Probation Service"),
    ):
        if re.search(pattern, title):
            area = re.sub(r"\s+(?:PDU|CRC|NPS)$", "", meta.get("area") or "")
            return kind, f"{area} {kind}" if area else None
    return None, meta.get("area")


def recognise(document: Document, labels: Labels, meta: dict) -> list[DraftRow]:
    kind, organisation = organisation_of_title(meta)
    drafted: list[DraftRow] = []
    seen: set[str] = set()

    def add(standard: str, rating: str, line, evidence: str, guess: str | None) -> None:
        if standard.lower() in seen:
            return
        seen.add(standard.lower())
        row = DraftRow(
            "ratings",
            {
                "organisation_type": kind,
                "organisation_label": organisation,
                "standard_label": standard,
                "rating_label": rating,
            },
            locator(line.section, line.page, line.table),
            evidence,
            line.number,
            line.page,
        )
        labels.known(row, "rating", rating)
        labels.known(row, "standard", standard)
        if organisation:
            labels.known(row, "organisation", organisation)
        if guess:
            row.guess(guess, 0.25)
        drafted.append(row)

    for line in document.lines:
        summary = SUMMARY_ROW.match(line.stripped)
        overall = OVERALL_ROW.match(line.stripped)
        if summary:
            add(
                f"{summary['number']} {summary['standard']}",
                summary["rating"],
                line,
                line.stripped,
                None,
            )
        elif overall:
            add("Overall", overall["rating"], line, line.stripped, None)
    for run in paragraphs(document.lines):
        text = " ".join(" ".join(ln.stripped for ln in run).split())
        for sentence in split_sentences(text):
            match = OVERALL_SENTENCE.search(sentence)
            if match:
                add(
                    "Overall",
                    match["rating"],
                    run[0],
                    sentence,
                    "overall rating read from a sentence",
                )
            for standard in STANDARD_SENTENCE.finditer(sentence):
                add(
                    standard["standard"].strip().capitalize(),
                    standard["rating"],
                    run[0],
                    sentence,
                    "standard named in a sentence: check it is a rated standard",
                )
    return drafted
