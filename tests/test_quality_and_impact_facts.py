"""Facts collected later on the Quality & Impact programme (2016-2018): publication dates on which
sources disagree are kept as discrepancies between sources, beside the value the folder keeps."""

from __future__ import annotations

import pytest

from probation_inspections import load


@pytest.mark.parametrize(
    ("inspection_id", "kept", "values"),
    [
        ("2017-06-suffolk", "2017-06-15", ["2017-06-15", "2017-06-16"]),
        ("2018-03-london-crc", "2018-03", ["2018-03", "2018-02-08"]),
    ],
)
def test_publication_dates_that_sources_disagree_on_are_discrepancies_between_sources(
    inspection_id, kept, values
):
    inspection = load("inspections", inspections=inspection_id).iloc[0]
    assert inspection["published"] == kept
    discrepancies = load("discrepancies", inspections=inspection_id)
    published = discrepancies[discrepancies["field"] == "inspections.published"]
    assert list(published.sort_values("position")["value"]) == values
    assert set(published["scope"]) == {"between sources"}
    assert published["source_url"].nunique() == 2, "each value names its own source"


@pytest.mark.parametrize(
    ("inspection_id", "certainty"),
    [
        ("2017-06-suffolk", "derived"),  # the day before the article's date
        ("2018-03-london-crc", "inferred"),  # the month in the release's address
        ("2016-09-derbyshire", "inferred"),
        ("2017-01-staffordshire-stoke", "reported"),  # a blog post dated on the day of release
    ],
)
def test_a_publication_date_from_another_document_names_its_source(inspection_id, certainty):
    sources = load("field_sources", inspections=inspection_id).set_index("field")
    assert sources.at["published", "certainty"] == certainty
    published = load("inspections", inspections=inspection_id).iloc[0]["published"]
    assert sources.at["published", "value"] == published


def test_one_in_four_gwent_cases_on_six_weekly_phone_calls():
    judgement = load("judgements", inspections="2017-04-gwent").iloc[0]
    assert (judgement["organisation_type"], judgement["quantifier"]) == ("CRC", "one in four")
    assert judgement["share_low"] <= 0.25 <= judgement["share_high"]


def test_the_previous_london_inspection_year_is_a_date_of_year_precision():
    from probation_inspections.curated.dates import parse_date

    facts = load("key_facts", inspections="2016-12-north-london")
    previous = facts[facts["measure_code"] == "previous_inspection"].iloc[0]
    assert (previous["value_text"], parse_date(previous["value_text"]).precision) == (
        "2014",
        "year",
    )


@pytest.mark.parametrize("inspection_id", ["2016-09-derbyshire", "2016-12-north-london"])
def test_crc_quality_verdicts_in_words_are_qualitative_findings(inspection_id):
    findings = load("qualitative_findings", inspections=inspection_id)
    assert list(findings["kind"]) == ["weakness"]
    assert list(findings["organisation_type"]) == ["CRC"]
