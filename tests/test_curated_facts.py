"""Facts curated from later collections: OMI2 trusts, the 2018/19 round and the 2019/20 context.

Each test reads the shipped data through the public `load` and `reference`, as a user would.
"""

from __future__ import annotations

import pandas as pd

from probation_inspections import load, reference
from probation_inspections.analysis.reproduction import (
    NOT_YET,
    rated_organisations,
    read_populations,
    round_members,
)

OMI2_DOMAINS = [
    "omi2_risk_of_harm",
    "omi2_likelihood_of_reoffending",
    "omi2_compliance_and_enforcement",
]


def _population(code: str) -> pd.Series:
    populations = reference("population").set_index("population")
    return populations.loc[code]


def _members(code: str, candidates: pd.DataFrame) -> pd.DataFrame:
    """The candidates in the population's round, by the one membership rule."""
    return round_members(read_populations(reference("population"))[code], candidates)


def _scores(organisation: str) -> dict[str, int]:
    scores = load("domain_scores")
    rows = scores[scores["organisation"] == organisation]
    return dict(zip(rows["domain"], rows["percent"], strict=True))


def test_york_and_north_yorkshire_is_an_omi2_inspection_with_three_scores():
    inspections = load("inspections").set_index("inspection_id")
    assert inspections.loc["2012-07-york-north-yorkshire-trust", "programme"] == "omi2"
    assert _scores("york-north-yorkshire-trust") == {
        "omi2_risk_of_harm": 72,
        "omi2_likelihood_of_reoffending": 74,
        "omi2_compliance_and_enforcement": 79,
    }


OMI2_TRUSTS = {
    "staffordshire-west-midlands-trust",
    "york-north-yorkshire-trust",
    "west-mercia-trust",
    "wiltshire-trust",
    "south-yorkshire-trust",
}


def test_five_trusts_have_their_three_omi2_scores():
    scores = load("domain_scores")
    omi2 = scores[scores["domain"].isin(OMI2_DOMAINS)]
    assert set(omi2["organisation"]) == OMI2_TRUSTS
    assert _scores("west-mercia-trust") == {
        "omi2_risk_of_harm": 82,
        "omi2_likelihood_of_reoffending": 81,
        "omi2_compliance_and_enforcement": 83,
    }
    inspections = load("inspections").set_index("inspection_id")
    assert inspections.loc["2012-00-west-mercia-trust", "published"] == "2012", (
        "only the year of the West Mercia report is known"
    )
    assert inspections.loc["2010-00-south-yorkshire-trust", "published"] == "2010/2012"


def test_the_west_mercia_report_publishes_table_1s_highest_and_average_over_30_trusts():
    aggregates = load("published_aggregates")
    table_1 = aggregates[aggregates["population"] == "omi2_english_regions_to_date"]
    by_source = table_1.pivot_table(
        index=["domain", "statistic"], columns="inspection_id", values="value"
    )
    both = by_source.dropna()
    assert len(both) == 6, "highest and average of three domains appear in both reports"
    assert (both["2012-00-west-mercia-trust"] == both["2017-01-staffordshire-stoke"]).all()


def test_table_1_verdict_says_five_of_thirty_curated():
    from probation_inspections.analysis.ranges import cross_area_ranges

    ranges = cross_area_ranges(
        load("domain_scores"),
        load("published_aggregates"),
        OMI2_DOMAINS,
        populations=reference("population"),
    )
    table_1 = ranges[ranges["published_population"] == "English regions inspected to date"]
    assert len(table_1) == 3
    assert set(table_1["verdict"]) == {"not reproducible yet"}
    assert set(table_1["published_count"]) == {30}
    assert all("5 of the 30 areas" in detail for detail in table_1["verdict_detail"])


def test_wiltshire_highest_scores_are_derived_and_its_period_inferred():
    aggregates = load("published_aggregates", inspections="2011-00-wiltshire-trust")
    highest = aggregates[aggregates["statistic"] == "highest"]
    assert set(highest["certainty"]) == {"derived"}
    assert set(aggregates["field_certainty"]) == {"period=inferred"}


def test_the_programme_summary_gives_shares_of_cases_not_averages_of_trusts():
    aggregates = load("published_aggregates", inspections="2013-02-omi2-programme-summary")
    assert set(aggregates["statistic"]) == {"share"}
    assert dict(zip(aggregates["domain"], aggregates["value"], strict=True)) == {
        "omi2_risk_of_harm": 75,
        "omi2_likelihood_of_reoffending": 74,
        "omi2_compliance_and_enforcement": 79,
    }


def test_the_table_1_population_is_30_of_the_35_english_trusts_and_says_it_is_inferred():
    table_1 = _population("omi2_english_regions_to_date")
    assert (table_1["programme"], table_1["organisation_types"]) == ("omi2", "Trust")
    assert (int(table_1["members"]), int(table_1["out_of"])) == (30, 35)
    assert table_1["period"] == "2009-09/2012"
    # The 30 is read in the West Mercia report; that Table 1 covers the same 30 is reasoned
    # from the equal highest and average scores, so the count is not 'reported'.
    assert table_1["members_certainty"] == "inferred"


def test_the_whole_programme_covers_all_36_trusts_of_england_and_wales():
    everyone = _population("omi2_trusts_england_wales")
    assert int(everyone["members"]) == 36
    assert everyone["period"] == "2009-09/2012-11"


def test_the_2019_20_inspections_are_context_not_ratings_of_the_2018_19_round():
    candidates = rated_organisations(load("organisations"), load("inspections"), load("ratings"))
    first = _members("adult_probation_2018_round_2018_19", candidates)
    second = _members("adult_probation_2018_round_2019_20", candidates)
    assert len(first) == 28, "the 2018/19 round keeps its 28 services"
    assert "2020-02-northumbria-crc" not in set(first["inspection_id"])
    assert {
        "2020-02-northumbria-crc",
        "2020-03-derbyshire-leicestershire-nottinghamshire-rutland-crc",
    } <= set(second["inspection_id"])
    # The same CRC keeps its 2018/19 report in the first round.
    northumbria = first.set_index("organisation").loc["northumbria-crc"]
    assert northumbria["inspection_id"] == "2018-11-northumbria-crc"


def test_the_2019_20_case_supervision_ratings_are_read_and_the_unchanged_overall_is_derived():
    ratings = load("ratings")
    dlnr = ratings[
        ratings["inspection_id"] == "2020-03-derbyshire-leicestershire-nottinghamshire-rutland-crc"
    ]
    by_standard = dict(
        zip(dlnr["standard"], zip(dlnr["rating"], dlnr["certainty"], strict=True), strict=True)
    )
    for standard in (
        "ap18_assessment",
        "ap18_planning",
        "ap18_implementation_and_delivery",
        "ap18_reviewing",
    ):
        assert by_standard[standard] == ("inadequate", "reported")
    assert by_standard["overall"] == ("requires_improvement", "derived"), (
        "the release says only that the overall rating did not change"
    )


def test_norfolk_and_suffolk_standard_counts_add_up_to_ten_with_the_subtraction_derived():
    facts = load("key_facts", inspections="2019-09-norfolk-suffolk-crc").set_index("measure")
    assert facts.loc["standards_rated_good", "value"] == 2
    assert facts.loc["standards_rated_good", "certainty"] == "reported"
    assert facts.loc["standards_rated_requires_improvement", "certainty"] == "derived"
    ratings = load("ratings", inspections="2019-09-norfolk-suffolk-crc")
    rated = ratings[ratings["standard"] != "overall"]
    inadequate = int((rated["rating"] == "inadequate").sum())
    outstanding = int((rated["rating"] == "outstanding").sum())
    total = (
        facts.loc["standards_rated_good", "value"]
        + facts.loc["standards_rated_requires_improvement", "value"]
        + inadequate
        + outstanding
    )
    assert (inadequate, outstanding, total) == (4, 1, 10)


def test_warwickshire_and_west_mercia_has_three_standards_doing_well_and_seven_to_improve():
    facts = load("key_facts", inspections="2019-07-warwickshire-west-mercia-crc")
    values = dict(zip(facts["measure"], facts["value"], strict=True))
    assert (
        values["standards_performing_well"] + values["standards_rated_requires_improvement"] == 10
    )


def test_leadership_good_for_all_but_one_of_nine_is_a_derived_count_over_a_window():
    aggregates = load("published_aggregates", inspections="2019-01-probation-league-table-2018-19")
    leadership = aggregates[aggregates["standard"] == "ap18_leadership"].iloc[0]
    assert (leadership["value"], leadership["certainty"]) == (8, "derived")
    candidates = rated_organisations(load("organisations"), load("inspections"), load("ratings"))
    window = _members("adult_probation_2018_providers_to_2019_01", candidates)
    assert len(window) == 9, "the reports published by 23 January 2019 are the nine providers"
    assert sorted(window["organisation_type"].value_counts().to_dict().items()) == [
        ("CRC", 7),
        ("NPS", 2),
    ]


def test_essex_child_safeguarding_share_carries_over_the_wording_and_says_so():
    judgements = load("judgements", inspections="2018-10-essex-crc").set_index("aspect")
    abuse = judgements.loc["inspected cases with domestic abuse concerns"]
    children = judgements.loc["inspected cases with child safeguarding concerns"]
    assert abuse["quantifier"] == children["quantifier"] == "about one third"
    assert (abuse["certainty"], children["certainty"]) == ("reported", "derived")
    assert abuse["share_low"] < 1 / 3 < abuse["share_high"]


def test_the_2019_20_round_is_still_not_reproducible_with_two_of_ten_rated_services(
    shipped_reproduction,
):
    result = shipped_reproduction
    rows = result[result["population"] == "adult_probation_2018_round_2019_20"]
    assert set(rows["verdict"]) == {NOT_YET}
    assert set(rows.loc[rows["organisation_type"].isna() & rows["rating"].isna(), "coverage"]) == {
        "2 of 10"
    }
