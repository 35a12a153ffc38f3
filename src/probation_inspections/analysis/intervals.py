"""Interval estimates of shares: Wilson score intervals for one share, Newcombe's hybrid score
interval for the difference of two independent shares."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from scipy.stats import binomtest

from .percentages import (
    Rounding,
    _one_count_per_n,
)

Denominators = Literal["smallest", "largest", "whole_sample"]


#: Ways of choosing the unknown denominator behind a published percentage.
DENOMINATORS: tuple[Denominators, ...] = ("smallest", "largest", "whole_sample")


def wilson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for the share k/n, as fractions (0..1), from scipy.

    Chosen over the textbook normal (Wald) interval because with a few dozen cases and
    shares near 0 or 1 the Wald interval is too narrow and can leave 0..1; Wilson's stays
    inside and keeps close to its nominal coverage.
    """
    if n < 1 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n and n >= 1, got k={k}, n={n}")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    interval = binomtest(int(k), int(n)).proportion_ci(confidence_level=confidence, method="wilson")
    # At k = 0 or k = n one bound is exactly 0 or 1; rounding error must not move it.
    low = 0.0 if k == 0 else max(0.0, float(interval.low))
    high = 1.0 if k == n else min(1.0, float(interval.high))
    return low, high


@dataclass(frozen=True)
class DifferenceInterval:
    """A difference of two shares (first minus second) with its interval, as fractions."""

    difference: float
    low: float
    high: float

    @property
    def excludes_zero(self) -> bool:
        """True when the interval lies wholly above or wholly below zero."""
        return self.low > 0 or self.high < 0


def newcombe_difference(
    k1: int, n1: int, k2: int, n2: int, confidence: float = 0.95
) -> DifferenceInterval:
    """Newcombe's hybrid score interval for k1/n1 - k2/n2 (independent samples).

    Method 10 of Newcombe (1998, Statistics in Medicine 17:873-890), without continuity
    correction: each share gets its Wilson interval (l, u), and the distance from the
    difference to each end combines the two shares' distances to the bounds that lie
    towards that end. It keeps Wilson's good behaviour with small samples and extreme shares,
    where the simple normal interval of a difference is too narrow. Assumes the two samples
    are independent (different cases).
    """
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_interval(k1, n1, confidence)
    l2, u2 = wilson_interval(k2, n2, confidence)
    difference = p1 - p2
    below = math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    above = math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return DifferenceInterval(difference, difference - below, difference + above)


def distinguishable_across_denominators(
    percent1,
    max_n1: int,
    percent2,
    max_n2: int,
    confidence: float = 0.95,
    rounding: Rounding = "half_up",
) -> tuple[int, int]:
    """(distinguishable, total): over every pair of denominators consistent with both
    published percentages, how many give a Newcombe interval that excludes zero.

    A verdict that holds for all pairs does not depend on the unknown denominators; one that
    holds for some only does, and a report should say so.
    """
    first = _one_count_per_n(percent1, max_n1, rounding)
    second = _one_count_per_n(percent2, max_n2, rounding)
    hits = sum(
        newcombe_difference(k1, n1, k2, n2, confidence).excludes_zero
        for k1, n1 in first
        for k2, n2 in second
    )
    return hits, len(first) * len(second)
