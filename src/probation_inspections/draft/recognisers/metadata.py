"""Metadata for inspection.yaml: title, area, programme, publication month, fieldwork dates,
document type, and the sample sizes other recognisers use as denominators."""

from __future__ import annotations

import re

from ...curated.vocabularies import Reference
from ..dates import dates_in
from ..document import Document
from ..rows import Labels

PROGRAMME_WORDS = (
    ("quality_and_impact", re.compile(r"Quality (?:&|and) Impact", re.I)),
    (
        "probation_service_2021",
        re.compile(
            r"Probation Delivery Units?|\bPDUs?\b|unified "
            r"Probation Service|Probation Service [–-]"
        ),
    ),
    (
        "adult_probation_2018",
        re.compile(
            r"\b(?:CRC|NPS)\b.*\b(?:rated|rating)|"
            r"\b(?:rated|rating)\b.*\b(?:CRC|NPS)\b",
            re.I,
        ),
    ),
)
PUBLISHED = re.compile(
    r"(?:report (?:is )?(?:available|published)|published (?:today|on)|"
    r"publishing)[^\n]{0,100}",
    re.I,
)
FIELDWORK = re.compile(
    r"(?:[Ff]ieldwork[^.\n]{0,80}?took place in|at the time of the "
    r"inspection in)\s+([A-Z][a-z]+(?: (?:and|to|-|–) [A-Z][a-z]+)? \d{4})"
)
SAMPLE = re.compile(
    r"sample consisted of (?P<total>\d+) cases, (?P<crc>\d+) of which were CRC "
    r"cases and (?P<nps>\d+) of which were NPS cases"
)
AREA_PATTERNS = (
    re.compile(r"inspection(?: of [\w ]+)?:\s*(?P<area>[A-Z][\w&,' ]+?)\s*$"),
    re.compile(
        r"^(?P<area>[A-Z][\w&,' ]+?)\s+(?:Probation Service|Probation Delivery Unit|PDU|"
        r"CRC|Community Rehabilitation Company)\b"
    ),
    re.compile(r"(?:services|work) in (?P<area>[A-Z][\w&,' ]+?)(?:\s*[-–:]|\s*$)"),
)


def title_of(document: Document) -> str | None:
    if document.title_hint:
        return document.title_hint
    for line in document.lines:
        if line.stripped and line.stripped not in ("Foreword", "Contents"):
            return line.stripped
    return None


def area_of(title: str | None) -> str | None:
    for pattern in AREA_PATTERNS:
        match = pattern.search(title or "")
        if match:
            return match.group("area").strip(" ,")
    return None


def programme_of(text: str, reference: Reference) -> str | None:
    known = reference.codes("programme")
    for code, pattern in PROGRAMME_WORDS:
        if code in known and pattern.search(text):
            return code
    return None


def published_of(document: Document) -> str | None:
    """The date the report says it is published, else the month the foreword is signed."""
    text = "\n".join(line.stripped for line in document.lines)
    for match in PUBLISHED.finditer(text):
        found = dates_in(match.group(0))
        if found:
            return found[0]
    signed = re.search(
        r"Chief Inspector of Probation\W+((?:[A-Z][a-z]+ )?(?:19|20)\d{2})", " ".join(text.split())
    )
    if signed:
        found = dates_in(signed.group(1))
        if found:
            return found[0][:7]
    return None


def recognise(document: Document, labels: Labels) -> dict:
    title = title_of(document)
    text = (title or "") + "\n" + "\n".join(line.stripped for line in document.lines)
    fieldwork = FIELDWORK.search(text)
    months = dates_in(fieldwork.group(1)) if fieldwork else []
    sample = SAMPLE.search(" ".join(text.split()))
    published = published_of(document)
    meta = {
        "title": title,
        "area": area_of(title),
        "programme": programme_of(text, labels.reference),
        "published": published,
        "fieldwork_start": months[0] if months else None,
        "fieldwork_end": months[-1] if months else None,
        "document_type": "full_report" if len(document.lines) > 400 else "press_release",
        "source_title": title,
        "samples": {"CRC": int(sample["crc"]), "NPS": int(sample["nps"])} if sample else {},
    }
    meta["year"] = published[:4] if published else None
    return meta
