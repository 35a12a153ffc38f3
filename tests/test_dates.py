"""Dates are written with their precision and read by one function."""

from __future__ import annotations

from datetime import date

import pytest

from probation_inspections.curated.dates import parse_date


@pytest.mark.parametrize(
    ("written", "precision", "first", "last"),
    [
        ("2017-01-12", "day", date(2017, 1, 12), date(2017, 1, 12)),
        ("2016-09", "month", date(2016, 9, 1), date(2016, 9, 30)),
        ("2016-02", "month", date(2016, 2, 1), date(2016, 2, 29)),  # a leap year
        ("2019-23", "season", date(2019, 9, 1), date(2019, 11, 30)),  # autumn 2019
        ("2019-24", "season", date(2019, 12, 1), date(2020, 2, 29)),  # winter runs into 2020
        ("2019-09/2019-11", "range", date(2019, 9, 1), date(2019, 11, 30)),
        ("2014", "year", date(2014, 1, 1), date(2014, 12, 31)),
    ],
)
def test_each_precision_stands_for_the_days_it_may_mean(written, precision, first, last):
    parsed = parse_date(written)
    assert (parsed.precision, parsed.first, parsed.last) == (precision, first, last)


@pytest.mark.parametrize(
    "written",
    [
        "2017-02-30",
        "2017-13",
        "2019-25",
        "2019-11/2019-09",
        "12/01/2017",
        "January 2017",
        "2017-1-12",
    ],
)
def test_a_date_off_the_calendar_or_in_another_form_is_refused_in_words(written):
    with pytest.raises(ValueError, match=r"'"):
        parse_date(written)


def test_a_month_contains_its_days():
    assert parse_date("2017-01").contains(parse_date("2017-01-12"))
    assert not parse_date("2017-01-12").contains(parse_date("2017-01"))
