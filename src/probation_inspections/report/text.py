"""Dates, numbers and codes in words, as a reader would write them."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from ..curated.dates import DAY, RANGE, SEASON, SEASONS, YEAR, parse_date

#: Units that need no word after the number ("21", not "21 count").
UNITLESS = ("count", "ordinal", "number", "rank", "ratio")


#: Abbreviations written in capitals when a snake_case measure is put into words.
ACRONYMS = {
    "crc": "CRC",
    "crcs": "CRCs",
    "nps": "NPS",
    "pdu": "PDU",
    "pdus": "PDUs",
    "mappa": "MAPPA",
    "rar": "RAR",
    "rars": "RARs",
    "fte": "FTE",
    "moj": "MoJ",
    "hmpps": "HMPPS",
    "noms": "NOMS",
    "psr": "PSR",
    "psrs": "PSRs",
    "ttg": "TTG",
    "oasys": "OASys",
    "uk": "UK",
    "iom": "IOM",
    "rrp": "RRP",
    "bbr": "BBR",
    "ete": "ETE",
    "ldu": "LDU",
    "bme": "BME",
    "csc": "CSC",
}


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(value) -> str | None:
    """A curated date in words, at its precision (read by `dates.parse_date`): '2017-01-12' ->
    '12 January 2017', '2016-09' -> 'September 2016', '2019-23' -> 'autumn 2019',
    '2019-09/2019-11' -> 'September 2019 to November 2019', '2014' -> '2014'; text that is
    not a date is returned unchanged."""
    if value is None or pd.isna(value):
        return None
    text = str(value)
    try:
        parsed = parse_date(text)
    except ValueError:
        return text
    if parsed.precision == RANGE:
        start, _, end = text.partition("/")
        return f"{format_date(start)} to {format_date(end)}"
    if parsed.precision == SEASON:
        return f"{SEASONS[int(text[5:7])][0]} {text[:4]}"
    if parsed.precision == YEAR:
        return text[:4]
    month = _MONTHS[parsed.first.month - 1]
    if parsed.precision == DAY:
        return f"{parsed.first.day} {month} {parsed.first.year}"
    return f"{month} {parsed.first.year}"


def words(code) -> str | None:
    """A snake_case code in words: 'crcs_inspected_since_april_2018' -> 'CRCs inspected since
    april 2018' (first letter capitalised, known abbreviations in capitals)."""
    if code is None or pd.isna(code):
        return None
    parts = [ACRONYMS.get(part, part) for part in str(code).split("_") if part]
    text = " ".join(parts)
    return text[:1].upper() + text[1:]


def format_period(start, end) -> str | None:
    """A fieldwork period in words: 'September 2016 to October 2016', or one end alone."""
    start, end = format_date(start), format_date(end)
    if start and end:
        return start if start == end else f"{start} to {end}"
    return start or end


def describe_value(value, qualifier=None, unit=None, text=None) -> str | None:
    """A figure as a person would write it: 'more than 1,200 people', '54%', 'June 2014'.

    `text`: the figure when it is not a number (key facts' `value_text`), e.g. a month.
    """
    unit = None if unit is None or pd.isna(unit) else str(unit)
    if value is None or pd.isna(value):
        if text is None or pd.isna(text):
            return None
        shown = format_date(text)
    else:
        number = float(value)
        shown = (
            f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}".rstrip("0").rstrip(".")
        )
        if unit == "year" and number.is_integer():
            shown = f"{number:.0f}"  # a year is written as one: 2017, not "2,017 year"
        elif unit in ("percent", "%"):
            shown = f"{shown}%"
        elif unit and unit not in UNITLESS:
            noun = unit.replace("_", " ")
            shown = count_words(number, noun[:-1] if noun.endswith("s") else noun, noun)
    if qualifier is not None and not pd.isna(qualifier) and qualifier != "exact":
        shown = f"{qualifier} {shown}"
    return shown


def count_words(count, singular: str, plural: str | None = None) -> str:
    """'1 case', '2 cases', '1,200 people' (`plural` when it is not `singular` + 's')."""
    number = float(count)
    shown = f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}".rstrip("0").rstrip(".")
    return f"{shown} {singular if number == 1 else (plural or singular + 's')}"


def join_words(words: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    words = [str(w) for w in words]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


#: What a missing value looks like in a table.
MISSING = "\u2014"


#: Units of the data model in words.
UNIT_WORDS = {
    "cases_per_fte": "cases per full-time equivalent",
    "percent_of_capacity": "percent of capacity",
    "percent": "percent",
}


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(isinstance(value, float) and math.isnan(value))
    except TypeError:
        return False


def _plain_number(number: float, decimals: int = 2) -> str:
    if float(number).is_integer():
        return f"{number:,.0f}"
    return f"{number:,.{decimals}f}".rstrip("0").rstrip(".")


#: Named formats for `table_html(formats=...)` and `text_table(formats=...)`.
FORMATS: dict[str, Callable[[Any], str]] = {
    "int": lambda v: f"{int(round(float(v))):,}",
    "number": lambda v: _plain_number(float(v)),
    "one_decimal": lambda v: f"{float(v):,.1f}",
    "percent": lambda v: f"{float(v):.0f}%",
    "percent_one_decimal": lambda v: f"{float(v):.1f}%",
    "share": lambda v: f"{float(v) * 100:.0f}%",
    "pp": lambda v: f"{float(v):+.0f} pp" if float(v) != 0 else "0 pp",
    "date": lambda v: _format_date(v),
    "yes_no": lambda v: "yes" if bool(v) else "no",
    "text": lambda v: str(v),
    "words": lambda v: str(v).replace("_", " "),
    "unit": lambda v: UNIT_WORDS.get(str(v), str(v).replace("_", " ")),
}


def _format_date(value) -> str:
    return format_date(value) or MISSING


def format_value(value, fmt: str | Callable | None = None) -> str:
    """One cell as text: a named format, a format string ('{:.1f}'), a function, or a default
    that writes integers with thousands separators and drops trailing zeros. Missing: '—'."""
    if _is_missing(value):
        return MISSING
    if callable(fmt):
        return str(fmt(value))
    if isinstance(fmt, str):
        return FORMATS[fmt](value) if fmt in FORMATS else fmt.format(value)
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        return _plain_number(float(value))
    return str(value)
