"""A judgement's share interval: from its exact count, its published percentage, or its
quantifier under one reading.

The loader derives `share_low`, `share_high` and `quantifier_basis` of every judgement with
`judgement_shares` (central reading); analysis/wording.py asks the same function for the strict
and loose readings. docs/assumptions-and-caveats.md states the readings in words.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

Reading = Literal["central", "strict", "loose"]

#: Readings of the quantifier vocabulary and the columns of quantifiers.csv holding them.
READINGS: dict[Reading, tuple[str, str]] = {
    "central": ("share_low", "share_high"),
    "strict": ("strict_low", "strict_high"),
    "loose": ("loose_low", "loose_high"),
}

#: Why a judgement has no interval, by the kind of its quantifier.
_NO_INTERVAL = {"count": "count without denominator", "relative": "relative to another finding"}


def _quantifier_table(quantifiers: pd.DataFrame) -> pd.DataFrame:
    """quantifiers.csv (as read, or as `reference("quantifier")`) indexed by word, numeric."""
    table = quantifiers.copy()
    numeric = ["count_low", "count_high"] + [c for pair in READINGS.values() for c in pair]
    for column in numeric:
        if column in table:
            table[column] = pd.to_numeric(table[column], errors="coerce")
    return table.drop_duplicates("quantifier").set_index("quantifier")


def _known(value) -> bool:
    return value is not None and not pd.isna(value)


def judgement_shares(
    judgements: pd.DataFrame, quantifiers: pd.DataFrame, reading: Reading = "central"
) -> pd.DataFrame:
    """The judgements with `share_low`, `share_high` and `quantifier_basis` set.

    - An exact count of a known denominator (0 <= count <= denominator) is its share under
      every reading ("exact count").
    - Otherwise a published percentage is its share under every reading ("published
      percentage"): a point, not an interval; its sampling interval needs the sample size
      (`denominator`), which analysis/intervals.py uses when it is known.
    - A share word ("almost half") gives the interval of `reading` from quantifiers.csv.
    - A count word ("in one case") over a known denominator gives count_low/denominator ..
      count_high/denominator.
    - A relative word ("the remainder") and a count word without a denominator have no
      interval (missing), and the basis says why.
    """
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {tuple(READINGS)}, not {reading!r}")
    low_column, high_column = READINGS[reading]
    words = _quantifier_table(quantifiers)
    lows, highs, bases = [], [], []
    percents = (
        judgements["percent"] if "percent" in judgements else pd.Series([None] * len(judgements))
    )
    for word, count, denominator, percent in zip(
        judgements["quantifier"],
        judgements["count"],
        judgements["denominator"],
        percents,
        strict=True,
    ):
        low = high = basis = None
        known = _known(denominator) and denominator > 0
        entry = words.loc[word] if _known(word) and word in words.index else None
        kind = None if entry is None else str(entry["kind"])
        if known and _known(count) and 0 <= count <= denominator:
            low = high = float(count) / float(denominator)
            basis = "exact count"
        elif _known(percent) and 0 <= percent <= 100:
            low = high = float(percent) / 100.0
            basis = "published percentage"
        elif kind == "share" and entry is not None:
            low, high = float(entry[low_column]), float(entry[high_column])
            basis = str(entry.get("basis"))
        elif (
            kind == "count"
            and entry is not None
            and known
            and _known(entry.get("count_low"))
            and _known(entry.get("count_high"))
        ):
            low = min(1.0, float(entry["count_low"]) / float(denominator))
            high = min(1.0, float(entry["count_high"]) / float(denominator))
            basis = str(entry.get("basis"))
        else:
            basis = None if kind is None else _NO_INTERVAL.get(kind)
        lows.append(low)
        highs.append(high)
        bases.append(basis)
    table = judgements.copy()
    table["share_low"] = pd.array(lows, dtype="Float64")
    table["share_high"] = pd.array(highs, dtype="Float64")
    table["quantifier_basis"] = pd.array(bases, dtype="string")
    return table
