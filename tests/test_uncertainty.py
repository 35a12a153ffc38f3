"""Uncertainty of the curated figures, worked as examples a reviewer can check by hand.

Denominators are worked out by listing small fractions; the Wilson interval is checked against
scipy's own implementation, Newcombe's interval against the worked example of his 1998 paper.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy.stats import binomtest, norm

from probation_inspections import load, reference
from probation_inspections.analysis.intervals import (
    DENOMINATORS,
    distinguishable_across_denominators,
    newcombe_difference,
    wilson_interval,
)
from probation_inspections.analysis.needs import need_differences, need_differences_compared
from probation_inspections.analysis.percentages import (
    consistent_counts,
    decimals_of,
    largest_denominator,
    published_percent,
    smallest_denominator,
)
from probation_inspections.analysis.wording import judgement_intervals, sensitivity, side_of

STAFFS = "2017-01-staffordshire-stoke"
SHARED_NEEDS = [
    "thinking_and_behaviour",
    "drugs",
    "relationships",
    "alcohol",
    "emotional_wellbeing",
]


# --- Which counts can give a published percentage ----------------------------------------------


@pytest.mark.parametrize(
    ("percent", "sample", "smallest", "k", "why"),
    [
        # 6/11 = 54.5 prints 55 and 6/12 = 50, 7/12 = 58.3: 13 is the first n that gives 54.
        (54, 40, 13, 7, "Table 8 thinking-and-behaviour 54% (7/13 = 53.8%)"),
        # 1/2 = 50, 1/3 = 33.3, 1/4 = 25 and 2/4 = 50: n = 5 is the first with 40.
        (40, 40, 5, 2, "40% (2/5)"),
        # 12/15 = 80 and 13/15 = 86.7; 9/11 = 81.8 prints 82: 13/16 = 81.25 is the first 81.
        (81, 40, 16, 13, "Table 8 drug misuse 81% (13/16 = 81.25%)"),
        # 2/3 = 66.7 prints 67.
        (67, 21, 3, 2, "Table 11 thinking-and-behaviour 67% (2/3)"),
        # 3/8 = 37.5 prints 38, 4/10 = 40, 4/11 = 36.4 prints 36.
        (36, 21, 11, 4, "Table 11 relationships 36% (4/11 = 36.4%)"),
        # 1/67 = 1.49 prints 1 but 1/66 = 1.52 prints 2.
        (1, 100, 67, 1, "1% needs at least 67 cases (1/67 = 1.49%)"),
        (0, 40, 1, 0, "0% is possible with a single case (0/1)"),
        (100, 40, 1, 1, "100% is possible with a single case (1/1)"),
    ],
)
def test_smallest_denominator_worked_by_hand(percent, sample, smallest, k, why):
    assert smallest_denominator(percent, sample) == smallest, (
        f"{why}: with a sample of {sample} the published {percent}% should need at least "
        f"{smallest} cases"
    )
    assert consistent_counts(percent, sample)[0] == (k, smallest), why
    assert published_percent(k, smallest) == percent, why


def test_table_8_thinking_and_behaviour_54_percent_needs_at_least_13_of_40_cases():
    pairs = consistent_counts(54, 40)
    assert pairs == [(7, 13), (13, 24), (14, 26), (15, 28), (19, 35), (20, 37), (21, 39)], (
        "54% of at most 40 cases: only these counts print as 54% (every other n misses it)"
    )
    assert largest_denominator(54, 40) == 39, (
        "54% of all 40 cases is impossible (21/40 = 52.5%, 22/40 = 55%): at most 39 cases"
    )


def test_every_consistent_pair_prints_as_the_published_percentage():
    for percent in range(0, 101):
        for k, n in consistent_counts(percent, 30):
            assert 1 <= n <= 30 and 0 <= k <= n
            assert published_percent(k, n) == percent, f"{k}/{n} does not print {percent}%"
        found = set(consistent_counts(percent, 30))
        brute = {
            (k, n)
            for n in range(1, 31)
            for k in range(n + 1)
            if math.floor(100 * k / n + 0.5 + 1e-12) == percent
        }
        assert found == brute, f"{percent}%: the search window missed or added counts"


def test_percentages_no_small_sample_can_give_are_empty():
    assert consistent_counts(1, 40) == [], "1% is impossible with 40 cases or fewer"
    assert consistent_counts(99, 40) == [], "99% is impossible with 40 cases or fewer"
    assert smallest_denominator(1, 40) is None
    assert consistent_counts(54, 0) == [], "no sample, no count"


def test_rounding_convention_decides_exact_halves():
    # 1/8 = 12.5% exactly: half up prints 13, half to even prints 12.
    assert published_percent(1, 8, "half_up") == 13
    assert published_percent(1, 8, "half_even") == 12
    assert smallest_denominator(13, 8, rounding="half_up") == 8
    assert smallest_denominator(13, 8, rounding="half_even") is None
    # Half to even: 1/9 = 11.1, 2/14 = 14.3, 2/15 = 13.3 is the first 13%.
    assert smallest_denominator(13, 40, rounding="half_even") == 15
    # 1/2 = 50% is no tie at whole percent, so both conventions agree.
    assert smallest_denominator(50, 40, rounding="half_even") == 2


def test_percentages_printed_with_a_decimal():
    # 2/3 = 66.67% prints 66.7 to one decimal; 66.7 cannot come from fewer than 3 cases.
    assert decimals_of(66.7) == 1 and decimals_of(54) == 0
    assert smallest_denominator(66.7, 40, decimals=1) == 3
    with pytest.raises(ValueError, match="decimal"):
        consistent_counts(66.7, 40)


def test_impossible_percentages_are_refused():
    with pytest.raises(ValueError):
        consistent_counts(101, 40)
    with pytest.raises(ValueError):
        consistent_counts(54, 40, rounding="bankers")


# --- Wilson interval ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "n"),
    [
        (0, 1),
        (1, 1),
        (0, 5),
        (5, 5),
        (2, 5),
        (7, 13),
        (13, 16),
        (4, 11),
        (21, 39),
        (1, 40),
        (39, 40),
        (50, 100),
    ],
)
def test_wilson_interval_is_wilsons_score_interval(k, n):
    # Wilson (1927): (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n).
    z, p = norm.ppf(0.975), k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert wilson_interval(k, n) == pytest.approx(
        (max(0, centre - half), min(1, centre + half)), abs=1e-12
    ), f"{k} of {n} cases"


def test_wilson_interval_by_hand_and_at_the_edges():
    z2 = norm.ppf(0.975) ** 2
    # None of 5 cases: the interval is 0 to z^2 / (n + z^2) = 0.4345.
    assert wilson_interval(0, 5) == (0.0, pytest.approx(z2 / (5 + z2)))
    assert wilson_interval(5, 5) == (pytest.approx(5 / (5 + z2)), 1.0)
    low90, high90 = wilson_interval(7, 13, confidence=0.90)
    low95, high95 = wilson_interval(7, 13)
    assert low95 < low90 < high90 < high95, "a 90% interval lies inside the 95% one"


def test_the_smallest_consistent_denominator_gives_the_widest_interval_of_54_percent():
    n = smallest_denominator(54, 40)
    k = consistent_counts(54, 40)[0][0]
    assert (k, n) == (7, 13), "54% of at most 40 cases: read as 7 of 13"
    low, high = wilson_interval(k, n)
    assert (low, high) == pytest.approx((0.2914, 0.7679), abs=1e-4), (
        "54% may be anything from 29% to 77% of the cases with the need"
    )
    wide = high - low
    for k, n in consistent_counts(54, 40)[1:]:
        low, high = wilson_interval(k, n)
        assert high - low < wide, f"{k}/{n} should give a narrower interval than 7/13"


def test_smallest_denominator_gives_the_widest_interval_for_every_whole_percentage():
    for percent in range(0, 101):
        pairs = consistent_counts(percent, 100)
        widths = [high - low for low, high in (wilson_interval(k, n) for k, n in pairs)]
        assert max(widths) == widths[0], (
            f"{percent}%: a larger denominator should never give a wider interval"
        )


# --- Newcombe interval for a difference --------------------------------------------------------


def test_newcombe_reproduces_the_worked_example_of_newcombe_1998():
    # Newcombe (1998), Statistics in Medicine 17:873-890, Table II, example (a), method 10.
    diff = newcombe_difference(56, 70, 48, 80)
    assert diff.difference == pytest.approx(0.2)
    assert (diff.low, diff.high) == pytest.approx((0.0524, 0.3339), abs=5e-5)
    assert diff.excludes_zero


def test_newcombe_for_equal_shares_is_symmetric_about_zero():
    # 5/10 against 5/10: each Wilson interval is 0.5 -/+ 0.2634 (z = 1.96: half-width
    # 1.96 * sqrt(0.025 + 3.8416/400) / (1 + 3.8416/10)); the difference gets sqrt(2) of it.
    diff = newcombe_difference(5, 10, 5, 10)
    assert diff.difference == 0
    assert diff.low == pytest.approx(-diff.high)
    assert diff.high == pytest.approx(math.sqrt(2) * 0.2634, abs=2e-4)
    assert not diff.excludes_zero, "identical shares cannot be told apart"


def test_newcombe_swaps_sign_when_the_groups_swap():
    forward = newcombe_difference(13, 16, 2, 5)
    backward = newcombe_difference(2, 5, 13, 16)
    assert (backward.low, backward.high) == pytest.approx((-forward.high, -forward.low))


# --- CRC against NPS in Staffordshire and Stoke ------------------------------------------------


@pytest.fixture(scope="module")
def staffordshire():
    return load("need_sufficiency", inspections=STAFFS), load("organisations", inspections=STAFFS)


def test_staffordshire_needs_read_at_the_smallest_consistent_denominators(staffordshire):
    needs, organisations = staffordshire
    table = need_differences(needs, organisations, STAFFS).set_index("need")
    assert list(table.index) == SHARED_NEEDS, "the five needs in both Table 8 and Table 11"
    assert set(table["cases_sampled_crc"]) == {40} and set(table["cases_sampled_nps"]) == {21}
    counts = {need: (row.k_crc, row.n_crc, row.k_nps, row.n_nps) for need, row in table.iterrows()}
    assert counts == {
        "thinking_and_behaviour": (7, 13, 2, 3),  # 54% and 67%
        "drugs": (13, 16, 2, 5),  # 81% and 40%
        "relationships": (2, 5, 4, 11),  # 40% and 36%
        "alcohol": (2, 3, 4, 5),  # 67% and 80%
        "emotional_wellbeing": (3, 5, 1, 2),  # 60% and 50%
    }
    assert table["reproduces_published"].all()
    drugs = table.loc["drugs"]
    assert drugs["difference_pp"] == 41
    assert (drugs["diff_low_pp"], drugs["diff_high_pp"]) == pytest.approx((-2.9, 72.0), abs=0.05)
    assert not table["distinguishable"].any(), (
        "read at the fewest cases the percentages allow, no CRC-NPS difference in the five "
        "shared needs can be told apart from zero, not even drug misuse's 41 points"
    )


@pytest.mark.parametrize("denominators", DENOMINATORS)
def test_each_share_is_shown_with_the_wilson_interval_of_its_counts(staffordshire, denominators):
    needs, organisations = staffordshire
    table = need_differences(needs, organisations, STAFFS, denominators)
    for row in table.itertuples():
        for side in ("crc", "nps"):
            k, n = getattr(row, f"k_{side}"), getattr(row, f"n_{side}")
            ci = binomtest(int(k), int(n)).proportion_ci(method="wilson")
            assert (getattr(row, f"low_{side}"), getattr(row, f"high_{side}")) == pytest.approx(
                (100 * ci.low, 100 * ci.high), abs=1e-9
            ), f"{row.need} ({side}, {k} of {n} cases, {denominators})"


def test_staffordshire_needs_read_at_the_largest_consistent_denominators(staffordshire):
    needs, organisations = staffordshire
    table = need_differences(needs, organisations, STAFFS, "largest").set_index("need")
    assert (table.loc["drugs", "k_crc"], table.loc["drugs", "n_crc"]) == (30, 37)
    assert (table.loc["drugs", "k_nps"], table.loc["drugs", "n_nps"]) == (8, 20)
    distinguishable = list(table.index[table["distinguishable"].to_numpy(dtype=bool)])
    assert distinguishable == ["drugs"], (
        "only if nearly every sampled case had the need does drug misuse (CRC 81% against "
        "NPS 40%) stand out; the other four needs stay indistinguishable"
    )
    assert table.loc["drugs", "diff_low_pp"] == pytest.approx(14.8, abs=0.05)


def test_drug_misuse_verdict_hangs_on_the_unknown_denominators(staffordshire):
    # CRC 81% of at most 40: n in 16, 21, 26, 27, 31, 32, 36, 37; NPS 40% of at most 21:
    # n in 5, 10, 15, 20. Only NPS 2 of 5 with CRC 13/16, 17/21 or 21/26 leaves zero inside.
    assert distinguishable_across_denominators(81, 40, 40, 21) == (29, 32), (
        "drug misuse CRC 81% against NPS 40% is distinguishable for 29 of the 32 possible "
        "pairs of denominators"
    )
    needs, organisations = staffordshire
    table = need_differences(needs, organisations, STAFFS).set_index("need")
    assert table.loc["drugs", "distinguishable_pairs"] == 29
    others = table.drop(index="drugs")
    assert (others["distinguishable_pairs"] == 0).all(), (
        "the other four shared needs are indistinguishable whatever the denominators"
    )


def test_whole_sample_reading_cannot_reproduce_the_published_percentages(staffordshire):
    needs, organisations = staffordshire
    table = need_differences(needs, organisations, STAFFS, "whole_sample").set_index("need")
    assert (
        table.loc["thinking_and_behaviour", "k_crc"],
        table.loc["thinking_and_behaviour", "n_crc"],
    ) == (22, 40)
    assert not table["reproduces_published"].any(), (
        "for every shared need one of the two percentages is not a whole number of the "
        "sampled cases (22/40 = 55%, not 54%): not every sampled case had each need"
    )
    compared = need_differences_compared(needs, organisations, STAFFS)
    assert list(compared["denominators"].unique()) == list(DENOMINATORS)
    assert len(compared) == 3 * len(SHARED_NEEDS)


def test_unknown_samples_leave_the_intervals_missing(staffordshire):
    needs, organisations = staffordshire
    without = organisations.assign(
        cases_sampled=pd.array([pd.NA] * len(organisations), dtype="Int64")
    )
    table = need_differences(needs, without, STAFFS)
    assert len(table) == len(SHARED_NEEDS)
    assert table["n_crc"].isna().all() and table["distinguishable"].isna().all()
    with pytest.raises(ValueError):
        need_differences(needs, organisations, STAFFS, "median")


# --- Worded judgements -------------------------------------------------------------------------


QUANTIFIERS = pd.DataFrame(
    {
        "quantifier": [
            "the majority",
            "almost half",
            "half",
            "a high proportion",
            "many",
            "in one case",
            "the remainder",
        ],
        "kind": ["share", "share", "share", "share", "share", "count", "relative"],
        "count_low": [None, None, None, None, None, 1, None],
        "count_high": [None, None, None, None, None, 1, None],
        "share_low": [0.5, 0.4, 0.48, 0.4, 0.3, None, None],
        "share_high": [0.75, 0.5, 0.52, 0.8, 0.7, None, None],
        "strict_low": [0.55, 0.45, 0.5, 0.5, 0.4, None, None],
        "strict_high": [0.7, 0.49, 0.5, 0.7, 0.6, None, None],
        "loose_low": [0.5, 0.35, 0.45, 0.25, 0.15, None, None],
        "loose_high": [0.9, 0.5, 0.55, 0.95, 0.9, None, None],
    }
)


def _judgements(rows):
    columns = ["quantifier", "direction", "count", "denominator"]
    table = pd.DataFrame(rows, columns=columns)
    return table.astype(
        {"quantifier": "string", "direction": "string", "count": "Int64", "denominator": "Int64"}
    )


def test_each_reading_gives_its_own_interval_and_exact_counts_stay_exact():
    judgements = _judgements(
        [
            ("the majority", "sufficient", None, None),
            (None, "sufficient", 6, 25),
            ("in one case", "insufficient", None, 40),
            ("the remainder", "insufficient", None, None),
        ]
    )
    expected = {"central": (0.5, 0.75), "strict": (0.55, 0.7), "loose": (0.5, 0.9)}
    for reading, bounds in expected.items():
        table = judgement_intervals(judgements, QUANTIFIERS, reading)
        assert (table.loc[0, "share_low"], table.loc[0, "share_high"]) == bounds, reading
        assert table.loc[1, "share_low"] == table.loc[1, "share_high"] == 0.24, (
            "6 of 25 cases is 24% whatever the reading"
        )
        assert table.loc[2, "share_low"] == table.loc[2, "share_high"] == 1 / 40, (
            "'in one case' of 40 is one fortieth"
        )
        assert pd.isna(table.loc[3, "share_low"]), "'the remainder' has no interval of its own"
        assert set(table["reading"]) == {reading}
    with pytest.raises(ValueError):
        judgement_intervals(judgements, QUANTIFIERS, "generous")


def test_shipped_readings_nest_strict_inside_central_inside_loose():
    words = reference("quantifier")
    words = words[words["kind"].eq("share")]
    number = {c: pd.to_numeric(words[c]) for c in words.columns if c.endswith(("_low", "_high"))}
    nested = (
        (number["loose_low"] <= number["share_low"])
        & (number["share_low"] <= number["strict_low"])
        & (number["strict_high"] <= number["share_high"])
        & (number["share_high"] <= number["loose_high"])
    )
    assert nested.all(), f"not nested: {list(words.loc[~nested, 'quantifier'])}"


def test_sensitivity_says_whether_a_majority_survives_every_reading():
    judgements = _judgements(
        [
            ("the majority", "sufficient", None, None),
            ("almost half", "insufficient", None, None),
            ("half", "prevalence", None, None),
            ("a high proportion", "insufficient", None, None),
            ("many", "sufficient", None, None),
            (None, "sufficient", 20, 40),
            ("the remainder", "insufficient", None, None),
        ]
    )
    table = sensitivity(judgements, QUANTIFIERS)
    assert list(table["conclusion"].fillna("no interval")) == [
        "holds",
        "holds",
        "undetermined",
        "flips",
        "undetermined",
        "undetermined",
        "no interval",
    ], "exactly half (20 of 40) is neither a majority nor a minority"
    assert table.loc[0, "statement"] == "more than half: sufficient", (
        "'the majority' means more than half under every reading"
    )
    assert table.loc[1, "statement"] == "less than half: insufficient", (
        "'almost half' stays below half even at its loose upper bound of exactly one half"
    )
    assert list(table.loc[3, ["side_central", "side_strict", "side_loose"]]) == [
        "undetermined",
        "above",
        "undetermined",
    ], "'a high proportion' is a majority only under the strict reading"


def test_side_of_a_threshold():
    assert side_of(0.5, 0.75) == "above"
    assert side_of(0.4, 0.5) == "below"
    assert side_of(0.5, 0.5) == "undetermined"
    assert side_of(0.3, 0.7) == "undetermined"
    assert side_of(0.7, 0.9, threshold=0.65) == "above"
    assert side_of(None, 0.5) is None
