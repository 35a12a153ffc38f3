"""Which counts of cases can produce a published whole-number percentage, from how many cases."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Literal

import pandas as pd

Rounding = Literal["half_up", "half_even"]


_ROUNDINGS = ("half_up", "half_even")


def _check_rounding(rounding: str) -> None:
    if rounding not in _ROUNDINGS:
        raise ValueError(f"rounding must be one of {_ROUNDINGS}, not {rounding!r}")


def _round(value: Fraction, rounding: Rounding) -> int:
    """Round an exact non-negative fraction to an integer under the named convention."""
    if rounding == "half_up":
        return math.floor(value + Fraction(1, 2))
    # Fraction.__round__ without ndigits rounds exact halves to the even neighbour.
    return round(value)


def _scaled_percent(percent, decimals: int) -> int:
    """The published percentage as an integer number of 10**-decimals percent.

    Raises ValueError when the percentage is outside 0..100 or has more decimals than stated,
    because a percentage that cannot have been printed that way has no consistent counts.
    """
    if percent is None or pd.isna(percent):
        raise ValueError("the percentage is missing")
    if decimals < 0:
        raise ValueError("decimals must be 0 or more")
    scaled = float(percent) * 10**decimals
    whole = round(scaled)
    if abs(scaled - whole) > 1e-6:
        raise ValueError(f"{percent}% has more than {decimals} decimal place(s)")
    if not 0 <= whole <= 100 * 10**decimals:
        raise ValueError(f"{percent}% is not a percentage between 0 and 100")
    return whole


def decimals_of(percent, most: int = 3) -> int:
    """How many decimal places a published percentage was printed with: 54 -> 0, 66.7 -> 1."""
    for decimals in range(most + 1):
        scaled = float(percent) * 10**decimals
        if abs(scaled - round(scaled)) <= 1e-6:
            return decimals
    raise ValueError(f"{percent}% has more than {most} decimal places")


def published_percent(k: int, n: int, rounding: Rounding = "half_up", decimals: int = 0) -> float:
    """The percentage a report would print for k of n cases: 7 of 13 -> 54.0 (53.85 rounded).

    Rounding is to `decimals` places (0: whole percent), 'half_up' (an exact half goes up:
    1/8 -> 13%; the default, as the reports do not state their convention) or 'half_even'
    (an exact half goes to the even neighbour: 1/8 -> 12%). Computed in exact fractions, so
    that a true half is never mistaken for 0.4999... in floating point.
    """
    _check_rounding(rounding)
    if n < 1 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n and n >= 1, got k={k}, n={n}")
    scale = 10**decimals
    return _round(Fraction(100 * scale * k, n), rounding) / scale


def _counts_at(target: int, n: int, rounding: Rounding, decimals: int) -> list[int]:
    """Every k in 0..n for which k/n prints as `target` (in 10**-decimals percent)."""
    scale = 100 * 10**decimals
    # Only k within half a printed unit of target*n/scale can round to the target; the exact
    # check settles the edges, so the window may be a little generous.
    low = math.floor(Fraction((2 * target - 1) * n, 2 * scale))
    high = math.ceil(Fraction((2 * target + 1) * n, 2 * scale))
    return [
        k
        for k in range(max(0, low), min(n, high) + 1)
        if _round(Fraction(scale * k, n), rounding) == target
    ]


def consistent_counts(
    percent, max_n: int, rounding: Rounding = "half_up", decimals: int = 0
) -> list[tuple[int, int]]:
    """Every (k, n) with 1 <= n <= max_n and 0 <= k <= n whose k/n prints as `percent`.

    `percent` is the published figure (e.g. 54), `max_n` an upper bound on the number of
    cases behind it (the organisation's sample). Pairs are sorted by n, then k. An empty list
    means no sample of at most `max_n` cases can give that figure. Rounding as in
    `published_percent`.
    """
    _check_rounding(rounding)
    target = _scaled_percent(percent, decimals)
    return [
        (k, n) for n in range(1, int(max_n) + 1) for k in _counts_at(target, n, rounding, decimals)
    ]


def smallest_denominator(
    percent, max_n: int, rounding: Rounding = "half_up", decimals: int = 0
) -> int | None:
    """The fewest cases that can give the published percentage (None when none can).

    54% with a sample of 40 -> 13 (7/13 = 53.8%): at least 13 cases had the need.
    """
    pairs = consistent_counts(percent, max_n, rounding, decimals)
    return pairs[0][1] if pairs else None


def largest_denominator(
    percent, max_n: int, rounding: Rounding = "half_up", decimals: int = 0
) -> int | None:
    """The most cases, at most `max_n`, that can give the published percentage (or None).

    54% with a sample of 40 -> 39 (21/39 = 53.8%): 54% of all 40 cases is impossible.
    """
    pairs = consistent_counts(percent, max_n, rounding, decimals)
    return pairs[-1][1] if pairs else None


def _count_at(percent, n: int, rounding: Rounding, decimals: int) -> int:
    """The k giving `percent` with n cases, closest to percent*n/100 if several do."""
    target = _scaled_percent(percent, decimals)
    ks = _counts_at(target, n, rounding, decimals)
    if not ks:
        raise ValueError(f"no count of {n} cases gives {percent}%")
    # Several k per n happen only when n exceeds 100 * 10**decimals.
    exact = Fraction(target * n, 100 * 10**decimals)
    return min(ks, key=lambda k: (abs(k - exact), k))


def _one_count_per_n(percent, max_n: int, rounding: Rounding) -> list[tuple[int, int]]:
    """The consistent (k, n) pairs with one k per n (the one closest to percent * n / 100)."""
    decimals = decimals_of(percent)
    ns = sorted({n for _, n in consistent_counts(percent, max_n, rounding, decimals)})
    return [(_count_at(percent, n, rounding, decimals), n) for n in ns]
