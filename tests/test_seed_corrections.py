"""The corrections of the seed datasets: each test is one finding of the line-by-line audit of the
Staffordshire and Stoke report (and the 2018 press release on its CRC) against the curated rows."""

from __future__ import annotations

import pandas as pd
import pytest

from probation_inspections import load

STAFFS = "2017-01-staffordshire-stoke"
WEST_MIDLANDS_CRC = "2018-12-staffordshire-west-midlands-crc"


@pytest.fixture(scope="module")
def judgements():
    return load("judgements", inspections=STAFFS)


def _one(frame, **where):
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, f"expected one row where {where}, found {len(rows)}"
    return rows.iloc[0]


def test_no_routine_review_reads_as_review_in_no_case(judgements):
    # "No evidence of cases being routinely reviewed": the share of cases where review (the
    # expected work) was done is none, not the share where it was lacking.
    review = _one(judgements, aspect="routine review of cases whatever the risk level")
    assert (review["quantifier"], review["direction"]) == ("none", "sufficient")


def test_the_nps_work_seen_in_crc_cases_is_credited_to_the_nps(judgements):
    seen = judgements[
        (judgements["organisation_type"] == "NPS")
        & (judgements["cases_organisation_type"] == "CRC")
    ]
    assert sorted(seen["source_locator"]) == [
        "Ch.3 Abiding by the sentence > CRC > Delivery",
        "Ch.3 Protecting the public > CRC > Assessment and planning",
        "Ch.3 Reducing reoffending > CRC > Assessment and planning",
    ]
    crc_own = judgements[judgements["organisation_type"] == "CRC"]
    assert not crc_own["aspect"].str.contains("NPS").any(), "no CRC row judges the NPS's work"


def test_a_judgement_seen_in_its_own_cases_needs_no_second_organisation(judgements):
    own = _one(judgements, aspect="plan to protect known adults")
    assert own["cases_organisation_type"] == own["organisation_type"] == "CRC"


def test_single_case_denominators_are_derived_from_the_sample(judgements):
    single = judgements[judgements["denominator"].isin([40, 21])]
    assert len(single) == 8
    assert set(single["certainty"]) == {"derived"}
    assert set(single["field_certainty"]) == {"denominator=derived"}
    # The one denominator the report states itself stays reported.
    stated = _one(judgements, aspect="plan adjusted following review")
    assert (stated["denominator"], stated["certainty"]) == (25, "reported")


def test_the_midlands_region_is_inferred_where_the_report_does_not_name_it():
    organisations = load("organisations", inspections=STAFFS).set_index("organisation_type")
    for kind in ("CRC", "Trust", "Area"):
        assert organisations.at[kind, "field_certainty"] == "region=inferred", kind
        assert organisations.at[kind, "certainty"] == "reported", "the rest of the row was read"
    assert organisations.at["NPS", "region"] == "Midlands"  # named in the division's name
    assert pd.isna(organisations.at["NPS", "field_certainty"])


def test_the_workload_rank_and_its_month_are_derived_in_the_2018_release():
    facts = load("key_facts", inspections=WEST_MIDLANDS_CRC).set_index("measure")
    assert facts.at["workload_rank_among_crcs_inspected", "certainty"] == "derived"
    assert facts.at["caseload_threshold_exceeded", "certainty"] == "derived"
    assert facts.at["crcs_inspected_since_april_2018", "certainty"] == "reported"


def test_unpaid_work_described_as_good_is_a_finding_not_a_rating():
    ratings = load("ratings", inspections=WEST_MIDLANDS_CRC)
    assert list(ratings["standard"]) == ["overall"], "the release rates the CRC overall only"
    findings = load("qualitative_findings", inspections=WEST_MIDLANDS_CRC)
    unpaid = _one(findings, topic="Unpaid work")
    assert unpaid["kind"] == "strength"
    assert unpaid["source_locator"] == "press release, para 10"


@pytest.mark.parametrize(
    ("measure", "value", "precision"),
    [
        ("short_sentence_supervision_extended", "2014", "year"),  # L347
        ("crc_leadership_structure_as_of", "2016-05-26", "day"),  # L462
        ("operating_model_document_published", "2015-12", "month"),  # L471
        ("nps_staff_deployment_as_of", "2016-08-04", "day"),  # L839
    ],
)
def test_the_dates_of_chapter_2_are_curated_with_their_precision(measure, value, precision):
    from probation_inspections.curated.dates import parse_date

    fact = _one(load("key_facts", inspections=STAFFS), measure=measure)
    assert fact["value_text"] == value
    assert parse_date(fact["value_text"]).precision == precision


@pytest.mark.parametrize(
    ("locator", "quantifier", "base"),
    [
        ("Table 5", "some", "staff"),  # L1101
        ("Ch.3 Protecting the public > NPS > Assessment and planning", "many", "cases"),  # L1155
        ("Ch.3 Reducing reoffending > NPS > Assessment and planning", "some", "cases"),  # L1768
        ("Ch.3 Reducing reoffending > NPS > Delivery", "some", "cases"),  # L1839
    ],
)
def test_quantified_items_that_were_missing_are_judgements(judgements, locator, quantifier, base):
    rows = judgements[
        (judgements["source_locator"] == locator) & (judgements["quantifier"] == quantifier)
    ]
    assert (rows["base"] == base).any(), f"{locator}: no '{quantifier}' judgement of {base}"


def test_table_10_limited_use_of_womens_services_is_a_judgement(judgements):
    row = _one(judgements, source_locator="Table 10", quantifier="limited")
    assert row["finding_id"] == "crc-rr-womens-services-use"
    assert row["share_high"] <= 0.2


def test_table_14_poor_reporting_in_some_cases_links_to_the_disrupted_supervision(judgements):
    linked = judgements[judgements["finding_id"] == "crc-abs-disrupted-supervision"]
    assert sorted(linked["source_locator"]) == [
        "Ch.3 Abiding by the sentence > CRC > Delivery",
        "Table 14",
    ]


def test_the_nps_counterpart_of_the_crc_abiding_finding_is_curated(judgements):
    nps = _one(
        judgements,
        organisation_type="NPS",
        source_locator="Ch.3 Abiding by the sentence > NPS",
        aspect="service user abided by sentence conditions",
    )
    crc = _one(
        judgements, organisation_type="CRC", source_locator="Ch.3 Abiding by the sentence > CRC"
    )
    assert nps["quantifier"] == crc["quantifier"] == "most"


@pytest.mark.parametrize(
    ("field", "values"),
    [
        (
            "judgements (CRC, Protecting the public, review of cases)",
            ["none routinely reviewed", "less than one-third formally reviewed"],
        ),  # L171 / L1060
        (
            "judgements (CRC, Reducing reoffending, use of the commissioned women's services)",
            ["none of the women in the sample", "limited use in the sample"],
        ),  # L1616 / T10
        ("key_facts.population (date of the estimate)", ["mid-2015", "June 2015"]),  # L2334-2336
    ],
)
def test_the_three_contradictions_inside_the_report_are_discrepancies(field, values):
    discrepancies = load("discrepancies", inspections=STAFFS)
    rows = discrepancies[discrepancies["field"] == field].sort_values("position")
    assert list(rows["value"]) == values
    assert set(rows["scope"]) == {"within one source"}
