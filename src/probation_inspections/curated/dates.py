"""Curated dates: the one reading of a date written in a curated file, and what it spans.

Every date column (`published`, fieldwork, `population_as_of`, ...) is read by `date_span`, so a
new precision (a season, an interval, a year) is added here once and every rule follows.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

#: The forms a curated date may take, in the words every date message uses.
DATE_FORMS = "a date YYYY-MM-DD, or YYYY-MM when only the month is known"

_DAY_RE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_YEAR_RE = re.compile(r"^([0-9]{4})$")


def date_span(text, year: bool = False) -> tuple[date, date] | None:
    """The first and last day a curated date covers (a day: itself; a month: its days), or
    None when `text` is not a date that exists in one of the accepted forms (DATE_FORMS).

    `year`: a bare year (YYYY) is accepted too, spanning the year (the programme vocabulary
    dates some programmes by year only).
    """
    if not isinstance(text, str):
        return None
    if year and (match := _YEAR_RE.fullmatch(text)):
        return date(int(match[1]), 1, 1), date(int(match[1]), 12, 31)
    try:
        if match := _DAY_RE.fullmatch(text):
            day = date(*(int(part) for part in match.groups()))
            return day, day
        if match := _MONTH_RE.fullmatch(text):
            year, month = (int(part) for part in match.groups())
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:  # 2022-02-30, month 13, year 0
        return None
    return None


def date_problem(text) -> str | None:
    """The message for a value that is not a curated date, or None when it is one."""
    if date_span(text) is not None:
        return None
    return f"must be {DATE_FORMS} (a day that exists)"
