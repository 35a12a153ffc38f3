"""Dates as curators write them, each with its precision, read by one function: `parse_date`.

A date may be known to the day (`2017-01-12`), the month (`2017-01`), a season (`2019-21`,
ISO 8601-2 / EDTF season codes: 21 spring, 22 summer, 23 autumn, 24 winter), a range written
as an ISO 8601 interval of any of those (`2019-09/2019-11`), or a year (`2017`). Every other
part of the package that needs to understand a date calls `parse_date`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

DAY, MONTH, SEASON, RANGE, YEAR = "day", "month", "season", "range", "year"
PRECISIONS = (DAY, MONTH, SEASON, RANGE, YEAR)

#: The written forms (a syntax check for the schema's regular-expression rules; `parse_date`
#: also checks the calendar: no 31 April, no range that ends before it starts).
_SINGLE = r"[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?|-2[1-4])?"
DATE_PATTERN = rf"^{_SINGLE}(?:/{_SINGLE})?$"
_SINGLE_RE = re.compile(r"^(?P<year>[0-9]{4})(?:-(?P<part>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?$")

#: Season code -> (first month, last month); winter runs into the next year.
SEASONS = {21: ("spring", 3, 5), 22: ("summer", 6, 8), 23: ("autumn", 9, 11), 24: ("winter", 12, 2)}


@dataclass(frozen=True)
class PartialDate:
    """A date as written, with its precision and the first and last day it may stand for."""

    text: str
    precision: str
    first: date
    last: date

    def contains(self, other: PartialDate) -> bool:
        return self.first <= other.first and other.last <= self.last


def _single(text: str) -> PartialDate:
    match = _SINGLE_RE.match(text)
    if not match:
        raise ValueError(
            f"{text!r} is not a date (write YYYY-MM-DD, YYYY-MM, a season "
            "YYYY-21..24, a year YYYY or a range A/B)"
        )
    year = int(match["year"])
    part, day = match["part"], match["day"]
    if part is None:
        return PartialDate(text, YEAR, date(year, 1, 1), date(year, 12, 31))
    number = int(part)
    if day is None and number in SEASONS:
        _, start, end = SEASONS[number]
        last_year = year + 1 if end < start else year
        return PartialDate(
            text,
            SEASON,
            date(year, start, 1),
            date(last_year, end, calendar.monthrange(last_year, end)[1]),
        )
    if not 1 <= number <= 12:
        raise ValueError(f"{text!r}: {part} is neither a month (01-12) nor a season (21-24)")
    if day is None:
        return PartialDate(
            text,
            MONTH,
            date(year, number, 1),
            date(year, number, calendar.monthrange(year, number)[1]),
        )
    try:
        whole = date(year, number, int(day))
    except ValueError:
        raise ValueError(f"{text!r} is not a day of the calendar") from None
    return PartialDate(text, DAY, whole, whole)


def parse_date(value) -> PartialDate:
    """Read a curated date; a ValueError says in words what is wrong with it."""
    text = str(value).strip()
    if "/" in text:
        start_text, _, end_text = text.partition("/")
        start, end = _single(start_text), _single(end_text)
        if end.last < start.first:
            raise ValueError(f"{text!r}: the range ends before it starts")
        return PartialDate(text, RANGE, start.first, end.last)
    return _single(text)
