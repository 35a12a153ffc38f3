"""The analysis functions, on small tables written from the reports by hand.

The Staffordshire and Stoke rows are those of the January 2017 Quality & Impact report:
Table 8 (CRC need sufficiency), Table 11 (NPS need sufficiency) and Table 1 (OMI2 scores of
the Staffordshire and West Midlands Probation Trust against the English regions inspected).
"""

from __future__ import annotations

import pandas as pd
import pytest

from probation_inspections.analysis.caseloads import caseload_table, workload_findings
from probation_inspections.analysis.needs import (
    align_need_sufficiency,
    align_need_sufficiency_all,
    need_difference_summary,
    need_sufficiency_for,
    sample_sizes,
    with_sample_intervals,
)
from probation_inspections.analysis.profile import (
    failed_rules,
    inspection_overview,
    judgement_intervals,
    validation_summary,
)
from probation_inspections.analysis.ranges import (
    cross_area_points,
    cross_area_ranges,
    programme_domains,
)
from probation_inspections.analysis.ratings import (
    inadequate_by_standard,
    overall_ratings,
    rating_counts,
    ratings_for,
    standard_ratings,
)
from probation_inspections.analysis.select import with_sources
from probation_inspections.curated.schema import PANDAS_DTYPES, TABLES
from probation_inspections.report.text import describe_value, format_date, format_period, words

STAFFS = "2017-01-staffordshire-stoke"
REPORT_URL = "https://www.justiceinspectorates.gov.uk/hmiprobation/example-report.pdf"


def table(name: str, rows: list[dict]) -> pd.DataFrame:
    """A table as `load` returns it: every schema column, nullable dtypes."""
    spec = TABLES[name]
    frame = pd.DataFrame(rows, columns=spec.column_names)
    return frame.astype({c.name: PANDAS_DTYPES[c.kind] for c in spec.columns})


def need_rows(
    inspection_id: str, kind: str, locator: str, needs: list[tuple[str, str, int]]
) -> list[dict]:
    return [
        {
            "inspection_id": inspection_id,
            "organisation_type": kind,
            "need": code,
            "need_label": label,
            "priority_rank": rank,
            "percent_sufficient": percent,
            "certainty": "reported",
            "source_locator": locator,
            "source_url": REPORT_URL,
        }
        for rank, (code, label, percent) in enumerate(needs, start=1)
    ]


TABLE_8_CRC = [
    ("thinking_and_behaviour", "Thinking and behaviour", 54),
    ("drugs", "Drug misuse", 81),
    ("relationships", "Relationships", 40),
    ("alcohol", "Alcohol misuse", 67),
    ("emotional_wellbeing", "Emotional well-being", 60),
    ("attitudes_to_offending", "Attitudes to offending", 40),
]
TABLE_11_NPS = [
    ("thinking_and_behaviour", "Thinking and behaviour", 67),
    ("lifestyle_and_associates", "Lifestyles and associates", 67),
    ("relationships", "Relationships", 36),
    ("emotional_wellbeing", "Emotional well-being", 50),
    ("drugs", "Drugs", 40),
    ("alcohol", "Alcohol", 80),
]


@pytest.fixture
def need_sufficiency() -> pd.DataFrame:
    return table(
        "need_sufficiency",
        need_rows(STAFFS, "CRC", "Table 8", TABLE_8_CRC)
        + need_rows(STAFFS, "NPS", "Table 11", TABLE_11_NPS),
    )


@pytest.fixture
def aligned(need_sufficiency) -> pd.DataFrame:
    return align_need_sufficiency(need_sufficiency, STAFFS).set_index("need")


# --- Need sufficiency --------------------------------------------------------------------------


def test_table_8_and_table_11_are_aligned_by_need(aligned):
    crc = aligned["percent_crc"]
    nps = aligned["percent_nps"]
    assert crc["thinking_and_behaviour"] == 54, "Table 8 thinking-and-behaviour share should be 54"
    assert nps["thinking_and_behaviour"] == 67, "Table 11 thinking-and-behaviour share should be 67"
    assert crc["drugs"] == 81 and nps["drugs"] == 40, (
        "'Drug misuse' (Table 8) and 'Drugs' (Table 11) should be one need: 81 against 40"
    )
    assert crc["alcohol"] == 67 and nps["alcohol"] == 80, "alcohol should be 67 against 80"


def test_labels_are_kept_as_published_on_each_side(aligned):
    assert aligned.loc["drugs", "need_label_crc"] == "Drug misuse"
    assert aligned.loc["drugs", "need_label_nps"] == "Drugs"


def test_difference_is_crc_minus_nps_in_percentage_points(aligned):
    expected = {
        "thinking_and_behaviour": -13,
        "drugs": 41,
        "relationships": 4,
        "alcohol": -13,
        "emotional_wellbeing": 10,
    }
    for need, difference in expected.items():
        assert aligned.loc[need, "difference_pp"] == difference, (
            f"{need}: CRC minus NPS should be {difference} points"
        )


def test_five_needs_in_both_tables_and_one_in_each_only(aligned):
    presence = aligned["presence"].to_dict()
    assert sorted(n for n, p in presence.items() if p == "both") == [
        "alcohol",
        "drugs",
        "emotional_wellbeing",
        "relationships",
        "thinking_and_behaviour",
    ]
    assert presence["attitudes_to_offending"] == "CRC only", (
        "attitudes to offending is only in Table 8 (CRC)"
    )
    assert presence["lifestyle_and_associates"] == "NPS only", (
        "lifestyle and associates is only in Table 11 (NPS)"
    )
    assert pd.isna(aligned.loc["attitudes_to_offending", "difference_pp"]), (
        "a need in one table only has no difference"
    )


def test_needs_in_both_come_first_in_the_crc_tables_order(need_sufficiency):
    aligned = align_need_sufficiency(need_sufficiency, STAFFS)
    assert list(aligned["need"]) == [
        "thinking_and_behaviour",
        "drugs",
        "relationships",
        "alcohol",
        "emotional_wellbeing",
        "attitudes_to_offending",
        "lifestyle_and_associates",
    ]
    assert list(aligned.columns[:9]) == [
        "need",
        "need_label_crc",
        "need_label_nps",
        "priority_rank_crc",
        "priority_rank_nps",
        "percent_crc",
        "percent_nps",
        "difference_pp",
        "presence",
    ]


def test_other_inspections_rows_are_left_out(need_sufficiency):
    other = table(
        "need_sufficiency",
        need_rows("2017-08-gloucestershire", "CRC", "Table 8", [("drugs", "Drugs", 10)]),
    )
    both = pd.concat([need_sufficiency, other], ignore_index=True)
    aligned = align_need_sufficiency(both, STAFFS).set_index("need")
    assert aligned.loc["drugs", "percent_crc"] == 81


def test_narrowest_interval_of_half_of_40_cases_is_wilsons_for_20_of_40():
    shares = pd.DataFrame(
        {
            "percent_crc": pd.array([50], dtype="Float64"),
            "percent_nps": pd.array([50], dtype="Float64"),
        }
    )
    row = with_sample_intervals(shares, 40, None).iloc[0]
    assert round(row["low_crc"], 1) == 35.2 and round(row["high_crc"], 1) == 64.8
    assert pd.isna(row["low_nps"]), "without a sample size there is no interval"


def test_narrowest_intervals_use_the_samples_of_40_crc_and_21_nps_cases(aligned):
    table_ = with_sample_intervals(aligned.reset_index(), 40, 21).set_index("need")
    assert table_.loc["drugs", "low_crc"] > table_.loc["drugs", "high_nps"], (
        "drugs: 81% of at most 40 and 40% of at most 21 cases cannot overlap"
    )
    assert bool(table_.loc["thinking_and_behaviour", "intervals_overlap"]), (
        "thinking and behaviour: 54% and 67% of small samples overlap"
    )
    assert pd.isna(table_.loc["attitudes_to_offending", "low_nps"])


def test_sample_sizes_come_from_organisations():
    organisations = table(
        "organisations",
        [
            {
                "inspection_id": STAFFS,
                "organisation_type": "CRC",
                "organisation": "swm-crc",
                "cases_sampled": 40,
            },
            {
                "inspection_id": STAFFS,
                "organisation_type": "NPS",
                "organisation": "nps-midlands",
                "cases_sampled": 21,
            },
        ],
    )
    assert sample_sizes(organisations, STAFFS) == {"CRC": 40, "NPS": 21}


def test_pooled_view_keeps_only_inspections_with_both_tables(need_sufficiency):
    crc_only = table(
        "need_sufficiency",
        need_rows("2018-10-west-yorkshire-crc", "CRC", "Table 2", [("drugs", "Drugs", 50)]),
    )
    second = table(
        "need_sufficiency",
        need_rows("2017-08-gloucestershire", "CRC", "Table 8", [("drugs", "Drugs", 70)])
        + need_rows("2017-08-gloucestershire", "NPS", "Table 11", [("drugs", "Drug misuse", 75)]),
    )
    pooled = align_need_sufficiency_all(
        pd.concat([need_sufficiency, crc_only, second], ignore_index=True)
    )
    assert sorted(pooled["inspection_id"].unique()) == [
        "2017-01-staffordshire-stoke",
        "2017-08-gloucestershire",
    ]
    summary = need_difference_summary(pooled).set_index("need")
    assert summary.loc["drugs", "inspections"] == 2
    assert summary.loc["drugs", "crc_higher"] == 1 and summary.loc["drugs", "nps_higher"] == 1
    assert summary.loc["drugs", "median_difference_pp"] == 18, "median of +41 and -5 is 18"


# --- Cross-area ranges -------------------------------------------------------------------------

OMI2 = ["omi2_reducing_reoffending", "omi2_risk_of_harm", "omi2_sentence_served"]
TRUST = "staffordshire-west-midlands-trust"
POPULATION = "English regions inspected to date"
POPULATION_CODE = "omi2_english_regions_to_date"


def score(organisation: str, domain: str, percent: float, inspection_id: str = STAFFS) -> dict:
    return {
        "inspection_id": inspection_id,
        "organisation_type": "Trust",
        "organisation_label": organisation.replace("-", " ").title(),
        "organisation": organisation,
        "domain_label": domain,
        "domain": domain,
        "percent": percent,
        "period": "2013",
        "certainty": "reported",
        "source_locator": "Table 1",
        "source_url": REPORT_URL,
    }


def aggregate(statistic: str, domain: str, value: float) -> dict:
    return {
        "inspection_id": STAFFS,
        "statistic": statistic,
        "population_label": POPULATION,
        "population": POPULATION_CODE,
        "domain_label": domain,
        "domain": domain,
        "value": value,
        "unit": "percent",
        "period": "2013",
        "certainty": "reported",
        "source_locator": "Table 1",
        "source_url": REPORT_URL,
    }


@pytest.fixture
def table_1() -> tuple[pd.DataFrame, pd.DataFrame]:
    scores = table(
        "domain_scores", [score(TRUST, d, v) for d, v in zip(OMI2, (78, 75, 78), strict=True)]
    )
    published = []
    for domain, (low, high, mean) in zip(
        OMI2, ((64, 83, 74), (62, 82, 73), (69, 86, 79)), strict=True
    ):
        published += [
            aggregate("lowest", domain, low),
            aggregate("highest", domain, high),
            aggregate("average", domain, mean),
        ]
    return scores, table("published_aggregates", published)


def test_table_1_puts_the_trust_beside_the_published_ranges(table_1):
    ranges = cross_area_ranges(*table_1, OMI2, highlight=TRUST).set_index("domain")
    assert list(ranges.index) == OMI2, "domains should be in the order asked for"
    assert list(ranges["highlight_value"]) == [78, 75, 78], (
        "Table 1: the Staffordshire and West Midlands Trust scored 78, 75 and 78"
    )
    assert list(ranges["published_lowest"]) == [64, 62, 69]
    assert list(ranges["published_highest"]) == [83, 82, 86]
    assert list(ranges["published_average"]) == [74, 73, 79]


def test_one_curated_area_is_not_a_range_and_not_a_reproduction(table_1):
    ranges = cross_area_ranges(*table_1, OMI2, highlight=TRUST)
    assert set(ranges["areas_curated"]) == {1}
    assert set(ranges["verdict"]) == {"not reproducible yet"}, (
        "one area of an unenumerated population cannot reproduce a range"
    )
    detail = ranges.loc[0, "verdict_detail"]
    assert "only 1 area" in detail and "not a range" in detail
    assert "not enumerated" in detail
    assert ranges["consistent"].all(), "the Trust's scores lie within the published ranges"


def test_all_areas_curated_and_matching_is_reproduced():
    domain = OMI2[0]
    scores = table(
        "domain_scores", [score("a", domain, 64), score("b", domain, 75), score("c", domain, 83)]
    )
    published = table(
        "published_aggregates",
        [
            aggregate("lowest", domain, 64),
            aggregate("highest", domain, 83),
            aggregate("average", domain, 74),
            aggregate("count", domain, 3),
        ],
    )
    row = cross_area_ranges(scores, published, [domain]).iloc[0]
    assert row["verdict"] == "reproduced", row["verdict_detail"]
    assert row["curated_average"] == pytest.approx(74.0)


def test_all_areas_curated_but_a_value_differs():
    domain = OMI2[0]
    scores = table("domain_scores", [score("a", domain, 60), score("b", domain, 83)])
    published = table(
        "published_aggregates",
        [
            aggregate("lowest", domain, 64),
            aggregate("highest", domain, 83),
            aggregate("count", domain, 2),
        ],
    )
    row = cross_area_ranges(scores, published, [domain]).iloc[0]
    assert row["verdict"] == "differs"
    assert "lowest 60 curated against 64 published (-4.0 points)" in row["verdict_detail"]
    assert not row["consistent"], "60 lies below the published lowest of 64"


def test_some_areas_missing_is_not_reproducible_yet():
    domain = OMI2[0]
    scores = table("domain_scores", [score("a", domain, 70), score("b", domain, 80)])
    published = table("published_aggregates", [aggregate("count", domain, 6)])
    row = cross_area_ranges(scores, published, [domain]).iloc[0]
    assert row["verdict"] == "not reproducible yet"
    assert "2 of the 6 areas" in row["verdict_detail"]


def test_an_enumerated_population_names_the_missing_areas_and_leaves_out_others():
    domain = OMI2[0]
    scores = table(
        "domain_scores",
        [score("a", domain, 64), score("b", domain, 83), score("elsewhere", domain, 50)],
    )
    published = table(
        "published_aggregates", [aggregate("lowest", domain, 64), aggregate("highest", domain, 83)]
    )
    populations = pd.DataFrame(
        {"population": [POPULATION_CODE], "members": ["3"], "member_organisations": ["a|b|c"]}
    )
    row = cross_area_ranges(scores, published, [domain], populations=populations).iloc[0]
    assert row["verdict"] == "not reproducible yet"
    assert row["areas_curated"] == 2, "'elsewhere' is not in the report's population"
    assert "2 of the 3 areas" in row["verdict_detail"]
    assert "missing: c" in row["verdict_detail"]
    assert "outside the population are left out" in row["verdict_detail"]
    complete = pd.concat([scores, table("domain_scores", [score("c", domain, 75)])])
    row = cross_area_ranges(complete, published, [domain], populations=populations).iloc[0]
    assert row["verdict"] == "reproduced", row["verdict_detail"]


def test_points_mark_the_highlighted_area(table_1):
    points = cross_area_points(table_1[0], OMI2, highlight=TRUST)
    assert points["highlighted"].all() and len(points) == 3


# --- Ratings, caseloads, judgements, key facts ---------------------------------------------------


def inspections_table() -> pd.DataFrame:
    return table(
        "inspections",
        [
            {
                "inspection_id": "2018-12-staffordshire-west-midlands-crc",
                "published": "2018-12",
                "programme": "crc_2018",
                "area": "Staffordshire and West Midlands",
                "title": "An inspection of SWM CRC",
            },
            {
                "inspection_id": "2018-10-west-yorkshire-crc",
                "published": "2018-10-04",
                "programme": "crc_2018",
                "area": "West Yorkshire",
                "title": "An inspection of WY CRC",
            },
        ],
    )


def rating(inspection_id, organisation, standard, label, rank, standard_label=None) -> dict:
    return {
        "inspection_id": inspection_id,
        "organisation_type": "CRC",
        "organisation_label": organisation,
        "organisation": organisation,
        "standard_label": standard_label or standard.title(),
        "standard": standard,
        "rating_label": label,
        "rating": label.lower().replace(" ", "_"),
        "rating_rank": rank,
        "certainty": "reported",
        "source_locator": "Ratings table",
        "source_url": REPORT_URL,
    }


def test_overall_ratings_are_listed_oldest_first_apart_from_standards():
    ratings = table(
        "ratings",
        [
            rating(
                "2018-12-staffordshire-west-midlands-crc",
                "swm-crc",
                "overall",
                "Requires improvement",
                3,
            ),
            rating(
                "2018-12-staffordshire-west-midlands-crc",
                "swm-crc",
                "leadership",
                "Good",
                2,
                "1.1 Leadership",
            ),
            rating("2018-10-west-yorkshire-crc", "wy-crc", "overall", "Requires improvement", 3),
        ],
    )
    overall = overall_ratings(ratings, inspections_table())
    assert list(overall["organisation"]) == ["wy-crc", "swm-crc"], (
        "West Yorkshire (October 2018) was published before Staffordshire (December 2018)"
    )
    standards = standard_ratings(ratings, inspections_table())
    assert list(standards["standard_label"]) == ["1.1 Leadership"]
    counts = rating_counts(overall)
    assert counts.loc[0, "organisations"] == 2 and counts.loc[0, "rating"] == "requires_improvement"


def test_an_inspections_ratings_put_the_overall_rating_first():
    inspection = "2018-12-staffordshire-west-midlands-crc"
    ratings = table(
        "ratings",
        [
            rating(inspection, "swm-crc", "leadership", "Good", 2, "1.1 Leadership"),
            rating(inspection, "swm-crc", "staffing", "Requires improvement", 3, "1.2 Staffing"),
            rating(inspection, "swm-crc", "overall", "Requires improvement", 3, "Overall"),
        ],
    )
    assert list(ratings_for(ratings, inspection)["standard_label"]) == [
        "Overall",
        "1.1 Leadership",
        "1.2 Staffing",
    ]


def test_caseloads_keep_each_basis_apart():
    caseloads = table(
        "caseloads",
        [
            {
                "inspection_id": STAFFS,
                "organisation_type": "NPS",
                "staff_grade": "po",
                "staff_grade_label": "PO",
                "basis": "management_information",
                "mean_caseload": 42,
                "unit": "cases_per_fte",
                "source_locator": "Table 3",
            },
            {
                "inspection_id": STAFFS,
                "organisation_type": "CRC",
                "staff_grade": "pso",
                "staff_grade_label": "PSO",
                "basis": "staff_estimate",
                "mean_caseload": 70,
                "unit": "cases_per_fte",
                "source_locator": "Ch.2",
            },
            {
                "inspection_id": STAFFS,
                "organisation_type": "CRC",
                "staff_grade": "pso",
                "staff_grade_label": "PSO",
                "basis": "management_information",
                "mean_caseload": 55,
                "unit": "cases_per_fte",
                "source_locator": "Table 3",
            },
        ],
    )
    rows = caseload_table(caseloads, inspection_id=STAFFS)
    assert list(zip(rows["organisation_type"], rows["basis"], strict=True)) == [
        ("CRC", "management_information"),
        ("CRC", "staff_estimate"),
        ("NPS", "management_information"),
    ]


def test_workload_findings_gather_key_facts_and_judgements():
    facts = table(
        "key_facts",
        [
            {
                "inspection_id": STAFFS,
                "measure": "average_caseload",
                "scope": "CRC",
                "value": 60,
                "qualifier": "approximately",
                "unit": "cases",
                "source_locator": "Ch.2",
            },
            {
                "inspection_id": STAFFS,
                "measure": "supervised_population",
                "scope": "Area",
                "value": 5000,
                "unit": "people",
                "source_locator": "Key facts",
            },
        ],
    )
    judgements = table(
        "judgements",
        [
            {
                "inspection_id": STAFFS,
                "organisation_type": "CRC",
                "domain": "qi_delivery",
                "domain_label": "Delivery",
                "aspect": "Staff said workloads were too high",
                "quantifier": "most",
                "direction": "prevalence",
                "base": "staff",
                "source_locator": "Ch.4",
            },
        ],
    )
    found = workload_findings(facts, judgements)
    assert list(found["kind"]) == ["judgement", "key fact"]
    assert found.loc[1, "value"] == "approximately 60 cases"


def test_judgement_intervals_mark_exact_counts():
    judgements = table(
        "judgements",
        [
            {
                "inspection_id": STAFFS,
                "organisation_type": "NPS",
                "domain": "qi_protecting",
                "domain_label": "Protecting the public",
                "aspect": "Risk assessment done",
                "quantifier": "6 of the 25",
                "direction": "sufficient",
                "base": "cases",
                "count": 6,
                "denominator": 25,
                "share_low": 0.24,
                "share_high": 0.24,
                "source_locator": "Ch.3",
            },
            {
                "inspection_id": STAFFS,
                "organisation_type": "CRC",
                "domain": "qi_protecting",
                "domain_label": "Protecting the public",
                "aspect": "Home visits",
                "quantifier": "almost half",
                "direction": "insufficient",
                "base": "cases",
                "share_low": 0.4,
                "share_high": 0.5,
                "source_locator": "Ch.3",
            },
        ],
    )
    rows = judgement_intervals(judgements, STAFFS)
    assert list(rows["organisation_type"]) == ["CRC", "NPS"]
    assert list(rows["exact"]) == [False, True], "'6 of the 25' is an exact count"


def test_key_facts_read_as_words():
    assert describe_value(1200, "more than", "people") == "more than 1,200 people"
    assert describe_value(54, None, "percent") == "54%"
    assert describe_value(2.5, "exact", "days") == "2.5 days"
    assert describe_value(1, "exact", "days") == "1 day", "one-day workshops"
    assert describe_value(2017, "exact", "year") == "2017", "a year has no thousands separator"
    assert describe_value(pd.NA) is None
    assert describe_value(pd.NA, None, "year_month", "2012-06") == "June 2012", (
        "a figure that is not a number is shown from its text"
    )


def test_abbreviations_in_measures_stay_in_capitals():
    assert words("bme_population_share") == "BME population share"
    assert words("csc_operational_since") == "CSC operational since"


def test_measures_read_as_words():
    assert words("crcs_inspected_since_april_2018") == "CRCs inspected since april 2018"
    assert describe_value(21, None, "count") == "21", "a count needs no unit word"


def test_need_tables_of_one_inspection_keep_the_published_priority_order(need_sufficiency):
    rows = need_sufficiency_for(need_sufficiency, STAFFS)
    crc = rows[rows["organisation_type"] == "CRC"]
    assert list(crc["need_label"])[:3] == [
        "Thinking and behaviour",
        "Drug misuse",
        "Relationships",
    ], "Table 8 order"


def test_dates_read_as_words():
    assert format_date("2017-01-12") == "12 January 2017"
    assert format_date("2016-09") == "September 2016"
    assert format_date("2019-23") == "autumn 2019"
    assert format_date("2019-09/2019-11") == "September 2019 to November 2019"
    assert format_date("2014") == "2014"
    assert format_period("2016-09", "2016-10") == "September 2016 to October 2016"
    assert format_period(None, "2016-10") == "October 2016"


def test_inspection_overview_names_the_programme_and_leaves_out_unknowns():
    inspections = table(
        "inspections",
        [
            {
                "inspection_id": STAFFS,
                "title": "Quality & Impact inspection",
                "programme": "quality_and_impact",
                "area": "Staffordshire and Stoke",
                "kind": "inspection",
                "published": "2017-01-12",
                "document_type": "full_report",
                "source_title": "Report",
                "source_url": REPORT_URL,
                "licence": "OGL-3.0",
            }
        ],
    )
    programmes = pd.DataFrame({"programme": ["quality_and_impact"], "label": ["Quality & Impact"]})
    overview = dict(inspection_overview(inspections, STAFFS, programmes))
    assert overview["Inspection"] == "Quality & Impact inspection"
    assert overview["Programme"] == "Quality & Impact"
    assert overview["Published"] == "12 January 2017"
    assert "Fieldwork" not in overview, "fieldwork dates were not curated"
    with pytest.raises(KeyError):
        inspection_overview(inspections, "2099-01-nowhere")
    inspections["kind"] = "overview"
    summary = dict(inspection_overview(inspections, STAFFS))
    assert summary["Overview, not an inspection"] == "Quality & Impact inspection"
    assert "Inspection" not in summary


def test_sources_name_the_page_only_when_it_is_another_one():
    rows = table(
        "recommendations",
        [
            {
                "inspection_id": STAFFS,
                "number": 1,
                "addressee": "CRC",
                "theme": "a",
                "source_locator": "Recommendations",
                "source_url": REPORT_URL,
            },
            {
                "inspection_id": STAFFS,
                "number": 2,
                "addressee": "NPS",
                "theme": "b",
                "source_locator": "press release, para 3",
                "source_url": "https://www.gov.uk/press-release",
            },
        ],
    )
    shown = with_sources(rows, document_url=REPORT_URL)
    assert list(shown["Source"]) == [
        "Recommendations",
        "press release, para 3, https://www.gov.uk/press-release",
    ]
    by_inspection = with_sources(rows, document_url={STAFFS: REPORT_URL})
    assert list(by_inspection["Source"]) == list(shown["Source"]), (
        "each row's own inspection document can be given by inspection id"
    )


def test_validation_summary_counts_rules_by_table():
    results = pd.DataFrame(
        {
            "inspection_id": [STAFFS] * 3,
            "table": ["ratings", "need_sufficiency", "need_sufficiency"],
            "column": ["rating", "percent_sufficient", "need"],
            "rule": ["is on the scale", "is between 0 and 100", "is a known need"],
            "expectation": ["expect_column_values_to_be_in_set"] * 3,
            "checked_rows": [4, 12, 12],
            "failed_rows": [0, 1, 0],
            "success": [True, False, True],
        }
    )
    summary = validation_summary(results).set_index("table")
    assert summary.loc["need_sufficiency", "rules"] == 2
    assert summary.loc["need_sufficiency", "failed"] == 1
    assert list(failed_rules(results)["rule"]) == ["is between 0 and 100"]


def test_programme_domains_follow_the_vocabulary_order():
    domains = pd.DataFrame(
        {
            "domain": [
                "omi2_compliance_and_enforcement",
                "omi2_risk_of_harm",
                "qi_protecting",
                "omi2_likelihood_of_reoffending",
            ],
            "programme": ["omi2", "omi2", "quality_and_impact", "omi2"],
            "order": ["3", "1", "1", "2"],
        },
        dtype="string",
    )
    assert programme_domains(domains, "omi2") == [
        "omi2_risk_of_harm",
        "omi2_likelihood_of_reoffending",
        "omi2_compliance_and_enforcement",
    ], "Table 1 lists risk of harm first"


def test_standards_are_ranked_by_how_often_they_were_rated_inadequate():
    standards = pd.DataFrame(
        {
            "inspection_id": ["a", "a", "b", "b", "c"],
            "organisation": ["x", "x", "y", "y", "z"],
            "standard": ["assessment", "leadership", "assessment", "leadership", "assessment"],
            "rating": ["inadequate", "good", "inadequate", "inadequate", "requires_improvement"],
        }
    )
    table = inadequate_by_standard(standards)
    assert list(table["standard"]) == ["assessment", "leadership"]
    assessment = table.iloc[0]
    assert (assessment["inadequate"], assessment["services_rated"]) == (2, 3), (
        "assessment was rated for 3 services, 2 of them Inadequate"
    )


def test_the_crc_against_nps_comparison_says_how_many_areas_it_rests_on(need_sufficiency):
    from probation_inspections.analysis.needs import areas_compared

    inspections = pd.DataFrame(
        {
            "inspection_id": [STAFFS, "2017-08-gloucestershire"],
            "area": ["Staffordshire and Stoke-on-Trent", "Gloucestershire"],
        }
    )
    assert areas_compared(need_sufficiency, inspections) == "1 area curated so far"
    assert areas_compared(need_sufficiency.iloc[0:0], inspections) == "0 areas curated so far"
