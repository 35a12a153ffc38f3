"""Dates written in words ("30 June 2016", "April - June 2016", "January 2017") as ISO text."""

from __future__ import annotations

import re

MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
_MONTH = "(" + "|".join(MONTHS) + ")"
DAY_MONTH_YEAR = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)? " + _MONTH + r",? ((?:19|20)\d{2})\b", re.I
)
MONTH_YEAR = re.compile(r"\b" + _MONTH + r" ((?:19|20)\d{2})\b", re.I)
MONTH_RANGE = re.compile(r"\b" + _MONTH + r"\s*[-–]\s*" + _MONTH + r" ((?:19|20)\d{2})\b", re.I)


def dates_in(text: str) -> list[str]:
    """Every date in `text`, most precise first at each place: a day (2016-06-30) or a month
    (2016-06; the end month of a range such as "April - June 2016")."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern, build in (
        (DAY_MONTH_YEAR, lambda m: f"{m[3]}-{MONTHS[m[2].lower()]:02d}-{int(m[1]):02d}"),
        (MONTH_RANGE, lambda m: f"{m[3]}-{MONTHS[m[2].lower()]:02d}"),
        (MONTH_YEAR, lambda m: f"{m[2]}-{MONTHS[m[1].lower()]:02d}"),
    ):
        for match in pattern.finditer(text):
            if any(start <= match.start() < end for start, end in taken):
                continue
            taken.append((match.start(), match.end()))
            found.append((match.start(), build(match)))
    return [date for _, date in sorted(found)]


YEAR = re.compile(r"\b((?:19|20)\d{2})\b")


def date_or_year(text: str) -> str | None:
    """The first date in `text`, or else its first year."""
    found = dates_in(text)
    if found:
        return found[0]
    year = YEAR.search(text)
    return year.group(1) if year else None
