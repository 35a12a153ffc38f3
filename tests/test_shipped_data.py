"""The data shipped in data/ validates and holds the published figures of the seed documents."""

from __future__ import annotations

import pytest

from probation_inspections import load
from probation_inspections.validation import validate

STAFFS = "2017-01-staffordshire-stoke"
SHIPPED = [
    "2017-01-staffordshire-stoke",
    "2017-08-gloucestershire",
    "2018-10-west-yorkshire-crc",
    "2018-12-staffordshire-west-midlands-crc",
    "2022-08-birmingham-north-east-solihull-pdu",
]


@pytest.fixture(scope="module")
def report():
    return validate()


def test_every_shipped_inspection_passes_every_rule(report):
    assert [str(i) for i in report.all_issues()] == []
    assert set(SHIPPED) <= set(report.valid_ids), "the five seed inspections are shipped"


def test_every_row_of_every_table_has_a_source_locator_and_url():
    for table in (
        "organisations",
        "ratings",
        "domain_scores",
        "published_aggregates",
        "need_sufficiency",
        "caseloads",
        "judgements",
        "key_facts",
        "recommendations",
    ):
        frame = load(table)
        assert frame["source_locator"].notna().all(), f"{table}: a row has no locator"
        assert frame["source_url"].str.match(r"^https?://").all(), f"{table}: bad source_url"


TABLE_8 = {  # CRC, in priority order
    "Thinking and behaviour": 54,
    "Drug misuse": 81,
    "Relationships": 40,
    "Alcohol misuse": 67,
    "Emotional well-being": 60,
    "Attitudes to offending": 40,
}
TABLE_11 = {  # NPS, in priority order
    "Thinking and behaviour": 67,
    "Lifestyles and associates": 67,
    "Relationships": 36,
    "Emotional well-being": 50,
    "Drugs": 40,
    "Alcohol": 80,
}


@pytest.mark.parametrize(
    ("organisation_type", "published", "table"),
    [("CRC", TABLE_8, "Table 8"), ("NPS", TABLE_11, "Table 11")],
)
def test_need_sufficiency_holds_tables_8_and_11(organisation_type, published, table):
    needs = load("need_sufficiency", inspections=STAFFS)
    assert len(needs) == 12, "Tables 8 and 11 have 12 rows together"
    rows = needs[needs["organisation_type"] == organisation_type].sort_values("priority_rank")
    assert list(rows["need_label"]) == list(published), f"{table} needs in priority order"
    for label, percent in published.items():
        value = rows.loc[rows["need_label"] == label, "percent_sufficient"].iloc[0]
        assert value == percent, f"{table} {label} share should be {percent}"
    assert set(rows["source_locator"]) == {table}


def test_drug_and_alcohol_labels_harmonise_across_the_two_tables():
    needs = load("need_sufficiency", inspections=STAFFS)
    codes = needs.groupby("organisation_type")["need"].apply(set)
    assert codes["CRC"] & codes["NPS"] == {
        "thinking_and_behaviour",
        "drugs",
        "alcohol",
        "relationships",
        "emotional_wellbeing",
    }


def test_table_1_scores_and_published_ranges():
    scores = load("domain_scores", inspections=STAFFS).set_index("domain")["percent"]
    assert scores.to_dict() == {
        "omi2_risk_of_harm": 78,
        "omi2_likelihood_of_reoffending": 75,
        "omi2_compliance_and_enforcement": 78,
    }
    aggregates = load("published_aggregates", inspections=STAFFS)
    table = aggregates.pivot(index="domain", columns="statistic", values="value")
    assert table.loc["omi2_risk_of_harm"].to_dict() == {"average": 74, "highest": 83, "lowest": 64}
    assert table.loc["omi2_likelihood_of_reoffending"].to_dict() == {
        "average": 73,
        "highest": 82,
        "lowest": 62,
    }
    assert table.loc["omi2_compliance_and_enforcement"].to_dict() == {
        "average": 79,
        "highest": 86,
        "lowest": 69,
    }


def test_samples_of_the_staffordshire_inspection():
    organisations = load("organisations", inspections=STAFFS).set_index("organisation_type")
    assert organisations.loc["CRC", "cases_sampled"] == 40
    assert organisations.loc["NPS", "cases_sampled"] == 21
    assert organisations.loc["Area", "cases_sampled"] == 61
    assert organisations.loc["Area", "service_users_interviewed"] == 29


def _organisation(inspection_id, organisation_type):
    organisations = load("organisations", inspections=inspection_id)
    rows = organisations[organisations["organisation_type"] == organisation_type]
    assert len(rows) == 1, f"{inspection_id} should have one {organisation_type}"
    return rows.iloc[0]


def test_ratings_and_populations_of_the_2018_crcs_and_the_2022_pdu():
    west_yorkshire = _organisation("2018-10-west-yorkshire-crc", "CRC")
    assert west_yorkshire["overall_rating"] == "requires_improvement"
    assert west_yorkshire["supervised_population"] == 8136
    staffs_wm = _organisation("2018-12-staffordshire-west-midlands-crc", "CRC")
    assert staffs_wm["overall_rating"] == "requires_improvement"
    assert staffs_wm["supervised_population"] == 13531
    birmingham = _organisation("2022-08-birmingham-north-east-solihull-pdu", "PDU")
    assert birmingham["overall_rating"] == "inadequate"


def test_the_2012_inspection_date_is_kept_both_ways():
    facts = load("key_facts", inspections=STAFFS)
    months = facts.loc[facts["measure"] == "previous_inspection_month", "value_text"]
    assert set(months) == {"2012-02", "2012-06"}


OVERVIEWS = {
    "2013-02-omi2-programme-summary",
    "2019-01-probation-league-table-2018-19",
    "2019-10-annual-summary-2018-19",
    "2020-12-annual-report-2020",
    "2022-07-offender-management-statistics-jan-mar-2022",
    "2022-09-chief-inspector-blog",
    "2022-11-london-pdus-2022",
    "2023-01-chief-inspector-blog",
    "2023-09-annual-report-2022-2023",
    "2024-07-offender-management-statistics-jan-mar-2024",
    "2025-00-dynamic-inspection-announcement",
    "2025-03-annual-report-2024-2025",
    "2025-04-offender-management-statistics-oct-dec-2024",
}


def test_overviews_are_told_apart_from_inspections():
    inspections = load("inspections")
    kinds = dict(zip(inspections["inspection_id"], inspections["kind"], strict=True))
    assert {i for i, kind in kinds.items() if kind == "overview"} == OVERVIEWS
    assert set(kinds.values()) == {"inspection", "overview"}
    # An overview rates nothing and inspects no organisation: its figures are about groups.
    for table in ("ratings", "organisations", "domain_scores", "need_sufficiency"):
        assert not set(load(table)["inspection_id"]) & OVERVIEWS, table
