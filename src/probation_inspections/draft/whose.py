"""Best guesses of whose work a passage judges, whose cases it was seen in, and its domain."""

from __future__ import annotations

import re

ORGANISATION_WORDS = {
    "CRC": r"\bCRCs?\b|Community Rehabilitation Compan(?:y|ies)",
    "NPS": r"\bNPS\b|National Probation Service",
    "PDU": r"\bPDUs?\b|Probation Delivery Units?",
}
#: Section headings that name both organisations: findings about the area as a whole.
BOTH = "CRC and NPS together"


def organisation_of_section(section: tuple[str, ...]) -> str | None:
    """CRC, NPS or Area (both together) from the nearest organisation heading."""
    for part in reversed(section):
        if part == BOTH:
            return "Area"
        if part in ("CRC", "NPS", "PDU"):
            return part
    return None


def organisations_named(text: str) -> list[str]:
    """The organisation types a text names, in the order of their first mention."""
    found = []
    for kind, pattern in ORGANISATION_WORDS.items():
        match = re.search(pattern, text)
        if match:
            found.append((match.start(), kind))
    return [kind for _, kind in sorted(found)]


def organisation_of_caption(caption: str, section: tuple[str, ...]) -> str | None:
    """ "... for the CRC and NPS working together ..." is the area; "for the NPS" the NPS."""
    if re.search(r"CRC and (?:the )?NPS|NPS and (?:the )?CRC|working together", caption):
        return "Area"
    named = organisations_named(caption)
    if len(named) == 1:
        return named[0]
    return organisation_of_section(section)


def domain_of(section: tuple[str, ...], caption: str, domain_labels: set[str]) -> str | None:
    """The domain label of the section (or named in a table's caption)."""
    lowered = caption.lower()
    for label in sorted(domain_labels, key=len, reverse=True):
        if label.lower() in lowered:
            return label
    for part in section:
        for label in domain_labels:
            if part.lower() == label.lower():
                return label
    return None
