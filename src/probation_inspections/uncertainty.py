"""How sure can a reader be? Sampling and wording uncertainty of the curated figures.

The inspection reports publish whole-number percentages of small case samples without the
number of cases behind each percentage, and many findings only in words ("almost half",
"most"). This module turns those into honest intervals:

- which (cases meeting, cases counted) pairs can produce a published percentage, and the
  smallest such denominator (`consistent_counts`, `smallest_denominator`);
- Wilson score intervals for one share and Newcombe's hybrid score interval for the
  difference of two independent shares (`wilson_interval`, `share_interval`,
  `newcombe_difference`);
- CRC against NPS need sufficiency with those intervals (`need_differences`);
- the share intervals of worded judgements under the three readings of the quantifier
  vocabulary, and whether a conclusion survives all of them (`judgement_intervals`,
  `sensitivity`);
- labels that keep small coverage visible (`coverage_label`, `is_range`).

Everything is a pure function of plain numbers or of the DataFrames `load` returns; nothing
is read from disk or drawn. docs/assumptions-and-caveats.md states the assumptions in words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import pandas as pd
from scipy.stats import norm

from .analysis import CRC, NPS, align_need_sufficiency, for_inspection

Rounding = Literal["half_up", "half_even"]
Reading = Literal["central", "strict", "loose"]
Denominators = Literal["smallest", "largest", "whole_sample"]

#: Readings of the quantifier vocabulary and the columns of quantifiers.csv holding them.
READINGS: dict[str, tuple[str, str]] = {
    "central": ("share_low", "share_high"),
    "strict": ("strict_low", "strict_high"),
    "loose": ("loose_low", "loose_high"),
}
#: Ways of choosing the unknown denominator behind a published percentage.
DENOMINATORS = ("smallest", "largest", "whole_sample")
#: Fewest areas over which a lowest-highest range is drawn as a distribution.
MIN_AREAS_FOR_RANGE = 3

_ROUNDINGS = ("half_up", "half_even")


# --- Percentages and the counts that can produce them -----------------------------------------


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


def published_percent(k: int, n: int, rounding: Rounding = "half_up",
                      decimals: int = 0) -> float:
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
    return [k for k in range(max(0, low), min(n, high) + 1)
            if _round(Fraction(scale * k, n), rounding) == target]


def consistent_counts(percent, max_n: int, rounding: Rounding = "half_up",
                      decimals: int = 0) -> list[tuple[int, int]]:
    """Every (k, n) with 1 <= n <= max_n and 0 <= k <= n whose k/n prints as `percent`.

    `percent` is the published figure (e.g. 54), `max_n` an upper bound on the number of
    cases behind it (the organisation's sample). Pairs are sorted by n, then k. An empty list
    means no sample of at most `max_n` cases can give that figure. Rounding as in
    `published_percent`.
    """
    _check_rounding(rounding)
    target = _scaled_percent(percent, decimals)
    return [(k, n) for n in range(1, int(max_n) + 1)
            for k in _counts_at(target, n, rounding, decimals)]


def smallest_denominator(percent, max_n: int, rounding: Rounding = "half_up",
                         decimals: int = 0) -> int | None:
    """The fewest cases that can give the published percentage (None when none can).

    54% with a sample of 40 -> 13 (7/13 = 53.8%): at least 13 cases had the need.
    """
    pairs = consistent_counts(percent, max_n, rounding, decimals)
    return pairs[0][1] if pairs else None


def largest_denominator(percent, max_n: int, rounding: Rounding = "half_up",
                        decimals: int = 0) -> int | None:
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


# --- Intervals ---------------------------------------------------------------------------------


def z_value(confidence: float = 0.95) -> float:
    """Two-sided standard normal quantile: 1.95996... for 95%."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    return float(norm.ppf(0.5 + confidence / 2))


def wilson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for the share k/n, as fractions (0..1).

    Chosen over the textbook normal (Wald) interval because with a few dozen cases and
    shares near 0 or 1 the Wald interval is too narrow and can leave 0..1; Wilson's stays
    inside and keeps close to its nominal coverage. Same result as
    `scipy.stats.binomtest(k, n).proportion_ci(method="wilson")`.
    """
    if n < 1 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n and n >= 1, got k={k}, n={n}")
    z = z_value(confidence)
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # At k = 0 or k = n one bound is exactly 0 or 1; rounding error must not move it.
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return low, high


@dataclass(frozen=True)
class ShareInterval:
    """A published percentage with the counts assumed behind it and their Wilson interval."""

    percent: float
    k: int
    n: int
    low: float
    high: float


def share_interval(percent, max_n: int, confidence: float = 0.95,
                   rounding: Rounding = "half_up", decimals: int = 0) -> ShareInterval:
    """Wilson interval of a published percentage at its smallest consistent denominator.

    The reports give the share of cases *with a need* but not how many cases had it: some
    number n <= max_n. The smallest n that can produce the printed figure is the least
    information the figure can carry, so its interval is the widest one the data allow
    (for whole percentages and samples up to 100 every larger consistent n gives a narrower
    interval; a test checks it). Raises ValueError when no sample of at most `max_n` cases
    gives the figure.
    """
    n = smallest_denominator(percent, max_n, rounding, decimals)
    if n is None:
        raise ValueError(f"{percent}% cannot come from any sample of at most {max_n} cases")
    k = _count_at(percent, n, rounding, decimals)
    low, high = wilson_interval(k, n, confidence)
    return ShareInterval(float(percent), k, n, low, high)


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


def newcombe_difference(k1: int, n1: int, k2: int, n2: int,
                        confidence: float = 0.95) -> DifferenceInterval:
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


def distinguishable_across_denominators(percent1, max_n1: int, percent2, max_n2: int,
                                        confidence: float = 0.95,
                                        rounding: Rounding = "half_up") -> tuple[int, int]:
    """(distinguishable, total): over every pair of denominators consistent with both
    published percentages, how many give a Newcombe interval that excludes zero.

    A verdict that holds for all pairs does not depend on the unknown denominators; one that
    holds for some only does, and a report should say so.
    """
    first = _one_count_per_n(percent1, max_n1, rounding)
    second = _one_count_per_n(percent2, max_n2, rounding)
    hits = sum(newcombe_difference(k1, n1, k2, n2, confidence).excludes_zero
               for k1, n1 in first for k2, n2 in second)
    return hits, len(first) * len(second)


def _one_count_per_n(percent, max_n: int, rounding: Rounding) -> list[tuple[int, int]]:
    """The consistent (k, n) pairs with one k per n (the one closest to percent * n / 100)."""
    decimals = decimals_of(percent)
    ns = sorted({n for _, n in consistent_counts(percent, max_n, rounding, decimals)})
    return [(_count_at(percent, n, rounding, decimals), n) for n in ns]


# --- CRC against NPS need sufficiency ---------------------------------------------------------


def _cases_sampled(organisations: pd.DataFrame, inspection_id: str, kind: str) -> int | None:
    rows = for_inspection(organisations, inspection_id)
    cases = rows.loc[rows["organisation_type"].eq(kind).fillna(False), "cases_sampled"]
    cases = cases.dropna()
    return int(cases.sum()) if len(cases) else None


def _counts_for(percent, max_n: int | None, denominators: Denominators,
                rounding: Rounding) -> tuple[int | None, int | None, bool | None]:
    """(k, n, k/n prints as the published percentage) under the chosen denominator rule."""
    if max_n is None or pd.isna(percent) or max_n < 1:
        return None, None, None
    decimals = decimals_of(percent)
    if denominators == "whole_sample":
        n = max_n
        scale = 10**decimals
        k = _round(Fraction(_scaled_percent(percent, decimals) * n, 100 * scale), rounding)
        return k, n, published_percent(k, n, rounding, decimals) == float(percent)
    pick = smallest_denominator if denominators == "smallest" else largest_denominator
    n = pick(percent, max_n, rounding, decimals)
    if n is None:
        return None, None, False
    return _count_at(percent, n, rounding, decimals), n, True


def need_differences(need_sufficiency: pd.DataFrame, organisations: pd.DataFrame,
                     inspection_id: str, denominators: Denominators = "smallest",
                     confidence: float = 0.95, rounding: Rounding = "half_up") -> pd.DataFrame:
    """CRC minus NPS sufficiency per need listed by both, with intervals, in CRC table order.

    Each percentage is read as k of n cases, n bounded by the organisation's `cases_sampled`:
    - 'smallest' (default): the smallest n that prints as the published percentage, the
      cautious reading (widest intervals) since the number of cases with the need is unknown;
    - 'largest': the largest such n, the most optimistic reading that still reproduces the
      published figure;
    - 'whole_sample': n = the whole sample and k = percent * n / 100 rounded; this may not
      reproduce the published figure (54% of 40 cases is not a whole number of cases), which
      `reproduces_published` records.

    Columns: need, percent_crc, percent_nps, difference_pp (published, CRC minus NPS),
    cases_sampled_crc, cases_sampled_nps, k_crc, n_crc, k_nps, n_nps, low_crc, high_crc,
    low_nps, high_nps (Wilson, in percent), estimate_pp (100 * (k_crc/n_crc - k_nps/n_nps)),
    diff_low_pp, diff_high_pp (Newcombe, in percentage points), distinguishable (the
    Newcombe interval excludes 0), reproduces_published, distinguishable_pairs and
    denominator_pairs (of all pairs of denominators consistent with both percentages, how
    many make the difference distinguishable: the verdict's dependence on the unknown
    denominators; the same under every rule), denominators. Intervals assume the
    CRC and NPS cases are independent samples; they are missing when a sample size is not
    curated or no count gives the published figure.
    """
    if denominators not in DENOMINATORS:
        raise ValueError(f"denominators must be one of {DENOMINATORS}, not {denominators!r}")
    aligned = align_need_sufficiency(need_sufficiency, inspection_id)
    aligned = aligned[aligned["presence"].eq("both").fillna(False)]
    samples = {kind: _cases_sampled(organisations, inspection_id, kind) for kind in (CRC, NPS)}
    rows = []
    for need, pc, pn in zip(aligned["need"], aligned["percent_crc"], aligned["percent_nps"],
                            strict=True):
        row = {"need": need, "percent_crc": pc, "percent_nps": pn,
               "difference_pp": float(pc) - float(pn),
               "cases_sampled_crc": samples[CRC], "cases_sampled_nps": samples[NPS]}
        kc, nc, ok_c = _counts_for(pc, samples[CRC], denominators, rounding)
        kn, nn, ok_n = _counts_for(pn, samples[NPS], denominators, rounding)
        row.update(k_crc=kc, n_crc=nc, k_nps=kn, n_nps=nn,
                   reproduces_published=None if ok_c is None or ok_n is None
                   else bool(ok_c and ok_n))
        if None not in (kc, nc, kn, nn):
            low_c, high_c = wilson_interval(kc, nc, confidence)
            low_n, high_n = wilson_interval(kn, nn, confidence)
            diff = newcombe_difference(kc, nc, kn, nn, confidence)
            row.update(low_crc=100 * low_c, high_crc=100 * high_c, low_nps=100 * low_n,
                       high_nps=100 * high_n, estimate_pp=100 * diff.difference,
                       diff_low_pp=100 * diff.low, diff_high_pp=100 * diff.high,
                       distinguishable=diff.excludes_zero)
        if samples[CRC] and samples[NPS]:
            hits, pairs = distinguishable_across_denominators(
                pc, samples[CRC], pn, samples[NPS], confidence, rounding)
            row.update(distinguishable_pairs=hits, denominator_pairs=pairs)
        rows.append(row)
    columns = ["need", "percent_crc", "percent_nps", "difference_pp", "cases_sampled_crc",
               "cases_sampled_nps", "k_crc", "n_crc", "k_nps", "n_nps", "low_crc", "high_crc",
               "low_nps", "high_nps", "estimate_pp", "diff_low_pp", "diff_high_pp",
               "distinguishable", "reproduces_published", "distinguishable_pairs",
               "denominator_pairs"]
    table = pd.DataFrame(rows, columns=columns)
    dtypes = {c: "Float64" for c in columns}
    dtypes.update({c: "Int64" for c in ("cases_sampled_crc", "cases_sampled_nps", "k_crc",
                                        "n_crc", "k_nps", "n_nps", "distinguishable_pairs",
                                        "denominator_pairs")})
    dtypes.update(need="string", distinguishable="boolean", reproduces_published="boolean")
    table = table.astype(dtypes)
    table["denominators"] = pd.array([denominators] * len(table), dtype="string")
    return table.reset_index(drop=True)


def need_differences_compared(need_sufficiency: pd.DataFrame, organisations: pd.DataFrame,
                              inspection_id: str, confidence: float = 0.95,
                              rounding: Rounding = "half_up") -> pd.DataFrame:
    """`need_differences` under every denominator rule, stacked (column `denominators`).

    For a report that shows the cautious and the optimistic reading side by side: a
    difference distinguishable only under 'largest' or 'whole_sample' rests on the
    assumption that nearly every sampled case had the need.
    """
    frames = [need_differences(need_sufficiency, organisations, inspection_id, rule,
                               confidence, rounding) for rule in DENOMINATORS]
    return pd.concat(frames, ignore_index=True)


# --- Worded judgements -------------------------------------------------------------------------


def _quantifier_table(quantifiers: pd.DataFrame) -> pd.DataFrame:
    """quantifiers.csv (as read, or as `reference("quantifier")`) indexed by word, numeric."""
    table = quantifiers.copy()
    numeric = ["count_low", "count_high"] + [c for pair in READINGS.values() for c in pair]
    for column in numeric:
        if column in table:
            table[column] = pd.to_numeric(table[column], errors="coerce")
    return table.drop_duplicates("quantifier").set_index("quantifier")


def judgement_intervals(judgements: pd.DataFrame, quantifiers: pd.DataFrame,
                        reading: Reading = "central") -> pd.DataFrame:
    """The judgements with share_low/share_high recomputed under one reading of the words.

    'central' is the reading the loader uses, 'strict' the narrow one, 'loose' the wide one
    (columns of quantifiers.csv). Rows with an exact count and denominator keep their exact
    share under every reading. A count word ('in one case') with a known denominator and no
    count gives count_low/denominator .. count_high/denominator. Words of kind 'relative'
    ('the remainder') and count words without a denominator have no interval (missing).
    Adds a `reading` column; other columns are kept.
    """
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {tuple(READINGS)}, not {reading!r}")
    low_col, high_col = READINGS[reading]
    words = _quantifier_table(quantifiers)
    lows, highs = [], []
    for word, count, denominator in zip(judgements["quantifier"], judgements["count"],
                                        judgements["denominator"], strict=True):
        low = high = None
        known = not pd.isna(denominator) and denominator > 0
        entry = None if pd.isna(word) or word not in words.index else words.loc[word]
        if known and not pd.isna(count):
            low = high = float(count) / float(denominator)
        elif entry is not None and entry["kind"] == "share":
            low, high = float(entry[low_col]), float(entry[high_col])
        elif (entry is not None and entry["kind"] == "count" and known
              and not pd.isna(entry["count_low"]) and not pd.isna(entry["count_high"])):
            low = min(1.0, float(entry["count_low"]) / float(denominator))
            high = min(1.0, float(entry["count_high"]) / float(denominator))
        lows.append(low)
        highs.append(high)
    table = judgements.copy()
    table["share_low"] = pd.array(lows, dtype="Float64")
    table["share_high"] = pd.array(highs, dtype="Float64")
    table["reading"] = pd.array([reading] * len(table), dtype="string")
    return table.reset_index(drop=True)


def side_of(low, high, threshold: float = 0.5) -> str | None:
    """'above', 'below' or 'undetermined': where a share interval lies against a threshold.

    An interval touching the threshold at one end counts as on the other side, because the
    vocabulary's bounds at one half are exclusive ('the majority' is more than half, 'almost
    half' and 'less than half' are less than half). An interval that is the threshold itself
    (exactly half) is undetermined. Missing bounds give None.
    """
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return None
    low, high = float(low), float(high)
    if low >= threshold and high > threshold:
        return "above"
    if high <= threshold and low < threshold:
        return "below"
    return "undetermined"


def sensitivity(judgements: pd.DataFrame, quantifiers: pd.DataFrame,
                threshold: float = 0.5) -> pd.DataFrame:
    """Does each judgement's conclusion against `threshold` survive every reading of its words?

    With the default threshold the conclusion is whether more or fewer than half of the cases
    had the stated direction ("majority sufficient"). Columns: inspection_id,
    organisation_type, domain, aspect, quantifier, direction, count, denominator,
    source_locator, then side_central, side_strict, side_loose ('above', 'below',
    'undetermined'; see `side_of`), conclusion and statement:
    - 'holds': every reading puts the share on the same side of the threshold;
    - 'undetermined': no reading puts it on either side;
    - 'flips': the side depends on the reading (a side under one, the other side or no side
      under another);
    - missing: no reading gives an interval (relative words, counts without denominator).
    A reading without an interval for a row (a blank column in the vocabulary) is left out.
    `statement` puts a conclusion that holds in words, e.g. 'more than half: sufficient'.
    """
    keys = ["inspection_id", "organisation_type", "domain", "aspect", "quantifier",
            "direction", "count", "denominator", "source_locator"]
    table = judgements[[c for c in keys if c in judgements]].copy().reset_index(drop=True)
    for reading in READINGS:
        shares = judgement_intervals(judgements, quantifiers, reading)
        sides = [side_of(lo, hi, threshold)
                 for lo, hi in zip(shares["share_low"], shares["share_high"], strict=True)]
        table[f"side_{reading}"] = pd.array(sides, dtype="string")
    conclusions, statements = [], []
    share = f"{threshold:.0%}" if threshold != 0.5 else "half"
    for row in table[[f"side_{r}" for r in READINGS]].itertuples(index=False):
        sides = [s for s in row if not pd.isna(s)]
        if not sides:
            conclusions.append(None)
            statements.append(None)
        elif all(s == "undetermined" for s in sides):
            conclusions.append("undetermined")
            statements.append(None)
        elif len(set(sides)) == 1:
            conclusions.append("holds")
            statements.append(("more than " if sides[0] == "above" else "less than ") + share)
        else:
            conclusions.append("flips")
            statements.append(None)
    table["conclusion"] = pd.array(conclusions, dtype="string")
    if "direction" in table:
        statements = [None if s is None or pd.isna(d) else f"{s}: {d}"
                      for s, d in zip(statements, table["direction"], strict=True)]
    table["statement"] = pd.array(statements, dtype="string")
    return table


# --- Coverage ----------------------------------------------------------------------------------


def coverage_label(n_covered: int, n_population: int | None, noun: str = "services") -> str:
    """'3 of 28 services': how much of a population a figure rests on, in words.

    With an unknown population (the report does not enumerate it): '1 of an unknown number of
    services'. Raises ValueError when more are covered than exist.
    """
    if n_covered < 0:
        raise ValueError("n_covered must be 0 or more")
    if n_population is None or pd.isna(n_population):
        return f"{n_covered} of an unknown number of {noun}"
    if n_covered > n_population:
        raise ValueError(f"{n_covered} covered out of only {n_population}")
    return f"{n_covered} of {int(n_population)} {noun}"


def is_range(n_areas: int) -> bool:
    """Whether values over `n_areas` areas may be drawn as a range (a distribution).

    Below three areas a lowest and a highest are just the values themselves (or one value
    twice); they must be shown and labelled as such, not as a spread.
    """
    return n_areas >= MIN_AREAS_FOR_RANGE
