"""What a report chooses and computes before it shows anything, as the notebooks call it: the
inspection shown, the readings of a need difference, the counts of ratings, the coverage of
groups, and the label of every code."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from probation_inspections import load, reference  # noqa: E402
from probation_inspections.analysis.needs import (  # noqa: E402
    READINGS,
    distinguishable_needs,
    inspection_to_compare,
    need_differences,
    need_differences_compared,
)
from probation_inspections.analysis.ratings import SERVICES, published_rating_counts  # noqa: E402
from probation_inspections.analysis.reproduction import group_coverage  # noqa: E402
from probation_inspections.curated.vocabularies import code_labels  # noqa: E402
from probation_inspections.report.figures import coverage_figure  # noqa: E402

STAFFS = "2017-01-staffordshire-stoke"
ROUND = "adult_probation_2018_round_2018_19"


@pytest.fixture(scope="module")
def round_results(shipped_reproduction):
    return shipped_reproduction


# --- Labels of codes ---------------------------------------------------------------------------


def test_a_rating_code_reads_as_its_label_and_an_unknown_code_stays_as_it_is():
    ratings = code_labels("rating", reference("rating"))
    assert ratings("requires_improvement") == "Requires improvement"
    assert ratings["good"] == "Good", "a mapping too, for figures that take one"
    assert ratings("services") == "services"
    assert ratings(None) is None and pd.isna(ratings(pd.NA))


def test_ratings_are_labelled_by_rank_best_first():
    by_rank = code_labels("rating", reference("rating"), by="rank")
    assert [by_rank[rank] for rank in sorted(by_rank)[:2]] == ["Outstanding", "Good"]


def test_a_need_and_an_organisation_have_their_labels():
    assert code_labels("need", reference("need"))("drugs") != "drugs"
    organisations = code_labels("organisation", reference("organisation"))
    assert organisations("staffordshire-west-midlands-trust") != (
        "staffordshire-west-midlands-trust"
    )


def test_a_vocabulary_table_without_its_label_column_is_refused():
    with pytest.raises(ValueError, match="vocabulary need has no column 'label'"):
        code_labels("need", pd.DataFrame({"need": ["drugs"]}))


# --- The inspection a CRC against NPS report shows ---------------------------------------------


def test_the_inspection_asked_for_is_shown_when_it_is_curated():
    chosen, note = inspection_to_compare(load("need_sufficiency"), load("inspections"), STAFFS)
    assert (chosen, note) == (STAFFS, None)


def test_an_inspection_not_curated_falls_back_to_one_with_both_need_tables_and_says_so():
    needs = load("need_sufficiency")
    chosen, note = inspection_to_compare(needs, load("inspections"), "2030-01-nowhere")
    assert set(needs.loc[needs["inspection_id"] == chosen, "organisation_type"]) == {"CRC", "NPS"}
    assert note == (
        "2030-01-nowhere is not among the curated inspections that passed validation; "
        f"showing {chosen} instead."
    )


def test_without_any_pair_of_need_tables_the_note_says_there_is_none():
    needs = load("need_sufficiency")
    crc_only = needs[needs["organisation_type"] == "CRC"]
    chosen, note = inspection_to_compare(crc_only, load("inspections"), "2030-01-nowhere")
    assert chosen == "2030-01-nowhere"
    assert note.endswith("no curated inspection has both a CRC and an NPS need table.")


# --- The cautious and the optimistic reading ---------------------------------------------------


def test_both_readings_of_staffordshire_stand_side_by_side_with_their_cases_in_words():
    needs, organisations = load("need_sufficiency"), load("organisations")
    compared = need_differences_compared(
        needs, organisations, STAFFS, denominators=("smallest", "largest")
    )
    cautious = compared[compared["reading"] == READINGS["smallest"]].set_index("need")
    assert cautious.loc["thinking_and_behaviour", "crc_cases"] == "7/13"  # 54% of 13 cases
    assert cautious.loc["thinking_and_behaviour", "nps_cases"] == "2/3"  # 67%
    low = need_differences(needs, organisations, STAFFS).set_index("need")
    expected = (
        f"{low.loc['drugs', 'diff_low_pp']:+.0f} to {low.loc['drugs', 'diff_high_pp']:+.0f} pp"
    )
    assert cautious.loc["drugs", "interval"] == expected
    assert set(compared["reading"]) == {"cautious: fewest cases", "optimistic: most cases"}


def test_more_cases_make_at_least_as_many_differences_distinguishable():
    compared = need_differences_compared(
        load("need_sufficiency"),
        load("organisations"),
        STAFFS,
        denominators=("smallest", "largest"),
    )
    cautious = distinguishable_needs(compared, "smallest")
    optimistic = distinguishable_needs(compared, "largest")
    assert set(cautious) <= set(optimistic)
    assert optimistic, "with the most cases, some need differs beyond chance"


def test_without_a_sample_size_there_is_no_reading_to_show():
    organisations = load("organisations").assign(
        cases_sampled=lambda f: pd.array([pd.NA] * len(f), dtype="Int64")
    )
    compared = need_differences_compared(load("need_sufficiency"), organisations, STAFFS)
    assert compared.empty
    assert distinguishable_needs(compared, "smallest") == []


# --- Published counts of ratings ---------------------------------------------------------------


def test_the_round_counts_are_listed_by_type_best_rating_first_totals_last(round_results):
    counts = published_rating_counts(
        round_results, reference("rating"), population=ROUND, totals=True
    )
    crc = counts.head(4)
    assert list(crc["organisation_type"]) == ["CRC"] * 4
    assert list(crc["counted"]) == ["good", "requires_improvement", "inadequate", SERVICES]
    assert list(crc["published"]) == [1, 19, 1, 21]
    assert list(counts["organisation_type"].unique()) == ["CRC", "NPS", "all"]


def test_counts_of_ratings_alone_leave_the_totals_of_services_out(round_results):
    counts = published_rating_counts(round_results, reference("rating"))
    assert counts["rating"].notna().all() and (counts["statistic"] == "count").all()
    ours = counts[counts["population"] == ROUND]
    assert len(ours) == 9, "12 counts of the round, less its three totals of services"


# --- Coverage of groups ------------------------------------------------------------------------


def test_a_group_is_drawn_at_its_full_size_not_at_the_size_of_one_type(round_results):
    coverage = group_coverage(round_results).set_index("population")
    assert coverage.loc[ROUND, "members_expected"] == 28, "all 28 services, not the 21 CRCs"
    assert coverage.index.is_unique


def test_the_coverage_chart_has_one_bar_pair_per_group(round_results):
    coverage = group_coverage(round_results)
    fig = coverage_figure(coverage)
    ax = fig.axes[0]
    assert len(ax.patches) == 2 * len(coverage)
    widths = sorted(p.get_width() for p in ax.patches)
    assert 28 in widths
    assert "groups" in fig.get_label()
