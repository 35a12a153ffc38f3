"""Headline case-sample shares ("assessment of risk of harm was sufficient in only 33 per cent of
cases") as judgements with a published percentage, and the cross-area comparison of the
2021- programme: shares with their Wilson intervals, ratings by region, the page's finding."""

from __future__ import annotations

import pandas as pd
import pytest

from probation_inspections.analysis import pdu_comparison as comparison
from probation_inspections.analysis.intervals import wilson_interval
from probation_inspections.curated.schema import PANDAS_DTYPES, TABLES
from probation_inspections.curated.shares import judgement_shares
from probation_inspections.validation.rules import _percent_agrees, _wording_or_count

QUANTIFIERS = pd.DataFrame(
    {
        "quantifier": ["less than half"],
        "kind": ["share"],
        "share_low": [0.25],
        "share_high": [0.5],
        "basis": ["project assumption"],
    }
)


def table(name: str, rows: list[dict]) -> pd.DataFrame:
    """A table as `load` returns it: every schema column, nullable dtypes."""
    spec = TABLES[name]
    frame = pd.DataFrame(rows, columns=spec.column_names)
    return frame.astype({c.name: PANDAS_DTYPES[c.kind] for c in spec.columns})


def judgement(inspection_id: str, aspect: str, **values) -> dict:
    return {
        "inspection_id": inspection_id,
        "organisation_type": values.pop("organisation_type", "PDU"),
        "cases_organisation_type": values.pop("cases_organisation_type", "PDU"),
        "domain_label": "PDU case supervision",
        "domain": "ps21_case_supervision",
        "aspect": aspect,
        "direction": values.pop("direction", "sufficient"),
        "base": values.pop("base", "cases"),
        "certainty": "reported",
        "source_locator": values.pop("source_locator", "report foreword, para 4"),
        **values,
    }


# The share of a published percentage ----------------------------------------------------------


def test_a_published_percentage_is_its_own_share_with_no_interval_of_words():
    rows = table(
        "judgements",
        [judgement("2025-03-stockton-hartlepool-pdu", "assessment of risk of harm", percent=33)],
    )
    shares = judgement_shares(rows, QUANTIFIERS)
    assert shares.loc[0, "share_low"] == shares.loc[0, "share_high"] == pytest.approx(0.33)
    assert shares.loc[0, "quantifier_basis"] == "published percentage"


def test_an_exact_count_outranks_the_percentage_printed_beside_it():
    rows = table(
        "judgements",
        [judgement("x", "plans reviewed", count=6, denominator=50, percent=12)],
    )
    shares = judgement_shares(rows, QUANTIFIERS)
    assert shares.loc[0, "quantifier_basis"] == "exact count"
    assert shares.loc[0, "share_low"] == pytest.approx(0.12)


def test_a_percentage_beside_a_wording_is_the_share_not_the_wording_interval():
    rows = table(
        "judgements",
        [judgement("x", "risk assessed", quantifier="less than half", percent=31)],
    )
    shares = judgement_shares(rows, QUANTIFIERS)
    assert (shares.loc[0, "share_low"], shares.loc[0, "share_high"]) == (0.31, 0.31)


# The rules ---------------------------------------------------------------------------------


def test_a_percentage_alone_is_enough_for_a_judgement():
    rows = table("judgements", [judgement("x", "risk assessed", percent=24)])
    assert _wording_or_count({"judgements": rows}) == []


def test_a_percentage_that_does_not_round_from_its_count_is_named_with_the_share():
    rows = table(
        "judgements",
        [
            judgement("x", "agrees", count=8, denominator=49, percent=16),
            judgement("x", "agrees to a decimal", count=8, denominator=49, percent=16.3),
            judgement("x", "disagrees", count=8, denominator=49, percent=18),
            judgement("x", "disagrees at a decimal", count=8, denominator=49, percent=16.4),
        ],
    )
    findings = _percent_agrees({"judgements": rows})
    assert findings == [
        ("judgements", 2, "percent", "18 (8 of 49 is 16.3 per cent)"),
        ("judgements", 3, "percent", "16.4 (8 of 49 is 16.3 per cent)"),
    ]


def test_half_a_percent_either_way_still_rounds_to_the_published_percentage():
    rows = table(
        "judgements",
        [
            judgement("x", "one in eight is 12.5", count=1, denominator=8, percent=13),
            judgement("x", "and also 12", count=1, denominator=8, percent=12),
        ],
    )
    assert _percent_agrees({"judgements": rows}) == []


# The comparison ---------------------------------------------------------------------------


def test_recovered_count_is_the_count_that_prints_as_the_percentage():
    assert comparison.recovered_count(33, 40) == 13  # 13 of 40 is 32.5 per cent
    assert comparison.recovered_count(24, 50) == 12
    assert comparison.recovered_count(1, 10) is None, "no count of 10 cases prints as 1%"
    assert comparison.recovered_count(22, 56) is None, "12 of 56 is 21.4%, 13 of 56 is 23.2%"


@pytest.fixture
def programme():
    inspections = pd.DataFrame(
        {
            "inspection_id": [
                "2025-03-stockton",
                "2025-07-north-tyneside",
                "2024-05-kss",
                "2017-01-staffs",
                "2025-03-annual-report",
            ],
            "programme": ["probation_service_2021"] * 3
            + ["quality_and_impact", "probation_service_2021"],
            "kind": ["inspection"] * 4 + ["overview"],
            "published": ["2025-03", "2025-07", "2024-05", "2017-01-12", "2025-03"],
            "area": ["Stockton", "North Tyneside", "KSS", "Staffordshire", "England and Wales"],
        }
    ).astype("string")
    organisations = pd.DataFrame(
        {
            "inspection_id": [
                "2025-03-stockton",
                "2025-07-north-tyneside",
                "2024-05-kss",
                "2017-01-staffs",
            ],
            "organisation_type": ["PDU", "PDU", "Region", "CRC"],
            "organisation": ["stockton-pdu", "north-tyneside-pdu", "ps-kss", "staffs-crc"],
            "organisation_label": [
                "Stockton PDU",
                "North Tyneside PDU",
                "KSS region",
                "Staffs CRC",
            ],
        }
    ).astype("string")
    reference = pd.DataFrame(
        {
            "organisation": ["stockton-pdu", "north-tyneside-pdu", "ps-ne", "ps-kss"],
            "label": [
                "Stockton PDU",
                "North Tyneside PDU",
                "Probation Service – North East",
                "Probation Service – KSS",
            ],
            "organisation_type": ["PDU", "PDU", "Region", "Region"],
            "region": ["ps-ne", "ps-ne", None, None],
        }
    ).astype("string")
    judgements = table(
        "judgements",
        [
            judgement("2025-03-stockton", "assessment of risk of harm was sufficient", percent=33),
            judgement(
                "2025-07-north-tyneside",
                "domestic abuse information not requested",
                direction="insufficient",
                count=6,
                denominator=50,
            ),
            judgement(
                "2024-05-kss",
                "delivery kept people safe",
                organisation_type="Region",
                cases_organisation_type="Region",
                percent=23,
                denominator=56,
            ),
            judgement(
                "2024-05-kss",
                "work reviewed",
                organisation_type="Region",
                cases_organisation_type="Region",
                quantifier="less than half",
            ),
            judgement(
                "2017-01-staffs",
                "risk assessed",
                organisation_type="CRC",
                cases_organisation_type="CRC",
                count=20,
                denominator=40,
            ),
        ],
    )
    return judgements, inspections, organisations, reference


def test_each_share_of_the_programme_carries_its_wilson_interval_where_the_sample_is_known(
    programme,
):
    judgements, inspections, organisations, reference = programme
    shares = comparison.headline_shares(judgements, inspections, organisations, reference)
    by_aspect = shares.set_index("aspect")
    assert list(shares["inspection_id"]) == [
        "2025-03-stockton",
        "2024-05-kss",
        "2025-07-north-tyneside",
    ], "worded findings and other programmes are left out"
    exact = by_aspect.loc["domestic abuse information not requested"]
    low, high = wilson_interval(6, 50)
    assert (exact["percent"], exact["interval_low"], exact["interval_high"]) == pytest.approx(
        (12, 100 * low, 100 * high)
    )
    assert exact["interval_basis"] == comparison.EXACT
    assert exact["region_label"] == "Probation Service – North East"
    recovered = by_aspect.loc["delivery kept people safe"]
    low, high = wilson_interval(13, 56)  # 13 of the 56 cases is the count that prints as 23%
    assert recovered["interval_basis"] == comparison.FROM_PERCENT
    assert (recovered["interval_low"], recovered["interval_high"]) == pytest.approx(
        (100 * low, 100 * high)
    )
    alone = by_aspect.loc["assessment of risk of harm was sufficient"]
    assert alone["percent"] == 33 and pd.isna(alone["interval_low"])
    assert alone["interval_basis"] == comparison.NO_SAMPLE


def test_the_summary_counts_shares_of_work_done_well_below_half(programme):
    judgements, inspections, organisations, reference = programme
    shares = comparison.headline_shares(judgements, inspections, organisations, reference)
    summary = comparison.share_summary(shares)
    assert summary == {
        "shares": 3,
        "inspections": 3,
        "with_interval": 2,
        "sufficient": 2,
        "sufficient_below_half": 2,
        "sufficient_wholly_below_half": 1,  # only the region's share has a known sample
    }


def ratings_rows(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    return table(
        "ratings",
        [
            {
                "inspection_id": inspection_id,
                "organisation_type": kind,
                "organisation": organisation,
                "organisation_label": organisation,
                "standard_label": standard,
                "standard": standard.lower(),
                "rating_label": rating,
                "rating": rating.lower().replace(" ", "_"),
                "rating_rank": {"Good": 2, "Requires improvement": 3, "Inadequate": 4}[rating],
                "certainty": "reported",
                "source_locator": "press release",
            }
            for inspection_id, kind, organisation, standard, rating in rows
        ],
    )


SCALE = pd.DataFrame(
    {
        "rating": ["outstanding", "good", "requires_improvement", "inadequate"],
        "label": ["Outstanding", "Good", "Requires improvement", "Inadequate"],
        "rank": [1, 2, 3, 4],
    }
)


def test_ratings_are_counted_by_region_with_those_below_good(programme):
    _, inspections, _, reference = programme
    ratings = ratings_rows(
        [
            ("2025-03-stockton", "PDU", "stockton-pdu", "Overall", "Requires improvement"),
            ("2025-07-north-tyneside", "PDU", "north-tyneside-pdu", "Overall", "Good"),
            ("2024-05-kss", "Region", "ps-kss", "Overall", "Inadequate"),
            ("2017-01-staffs", "CRC", "staffs-crc", "Overall", "Inadequate"),
            ("2025-03-stockton", "PDU", "stockton-pdu", "Assessment", "Inadequate"),
        ]
    )
    overall = comparison.area_ratings(ratings, inspections, reference)
    assert len(overall) == 3, "one overall rating per inspected PDU or region of the programme"
    counts = comparison.ratings_by_region(overall, SCALE).set_index("Region")
    north_east = counts.loc["Probation Service – North East"]
    assert (north_east["Good"], north_east["Requires improvement"], north_east["Rated"]) == (
        1,
        1,
        2,
    )
    assert north_east["Below Good"] == 1
    assert counts.loc["Probation Service – KSS", "Below Good"] == 1
    assert comparison.since(overall, "2025-01") == {"rated": 2, "below_good": 1}
    standards = pd.DataFrame({"standard": ["assessment"], "label": ["Assessment"]})
    grid = comparison.standards_grid(ratings, inspections, standards)
    assert list(grid["organisation_label"]) == ["stockton-pdu"]
    assert grid.loc[0, "assessment"] == "inadequate"


def test_the_title_states_the_finding_from_the_numbers(programme):
    judgements, inspections, organisations, reference = programme
    shares = comparison.headline_shares(judgements, inspections, organisations, reference)
    overall = pd.DataFrame({"rating": ["requires_improvement", "good", "inadequate"]})
    assert comparison.finding_title(shares, overall) == (
        "2 of 3 PDU, regional and national inspections since 2021 rated below Good; "
        "2 of 2 headline shares of work done well were under half the cases"
    )


def test_a_title_without_ratings_says_none_is_curated(programme):
    judgements, inspections, organisations, reference = programme
    shares = comparison.headline_shares(judgements, inspections, organisations, reference)
    assert comparison.finding_title(shares, pd.DataFrame({"rating": []})) == (
        "No rated PDU, regional or national inspection of the programme is curated yet"
    )


# The shipped data -------------------------------------------------------------------------


def test_the_headline_shares_of_2021_2025_are_judgements_no_longer_key_facts():
    from probation_inspections import load

    judgements, key_facts = load("judgements"), load("key_facts")
    stockton = judgements[judgements["inspection_id"] == "2025-03-stockton-hartlepool-pdu"]
    assert list(stockton["percent"]) == [33]
    assert list(stockton["source_locator"]) == ["report foreword, para 5"]
    assert list(stockton["field_certainty"]) == ["domain_label=inferred"]
    moved = key_facts["measure"].str.startswith("cases_sufficient").fillna(False)
    assert not moved.any(), "no headline share of a PDU or region is left as a key fact"
    north_tyneside = judgements[
        judgements["inspection_id"] == "2025-07-north-tyneside-northumberland-pdu"
    ].set_index("aspect")
    not_requested = north_tyneside.loc[
        "domestic abuse information was not requested where it should have been"
    ]
    assert (not_requested["count"], not_requested["denominator"]) == (6, 50)


def test_no_curated_pdu_inspection_since_march_2024_contradicts_the_chief_inspector():
    """The Chief Inspector appointed in March 2024 said every PDU he inspected was rated
    Inadequate or Requires improvement: none Good, none Outstanding. The counts are
    recomputed from the curated PDUs of that window; the source does not say how many PDUs
    there were, so the verdict waits on the number, but no curated rating contradicts it."""
    from probation_inspections import load, reference
    from probation_inspections.analysis.reproduction import NOT_YET, reproduce

    results = reproduce(
        load("published_aggregates"),
        reference("population"),
        load("organisations"),
        load("inspections"),
        load("ratings"),
    )
    statement = results[results["population"] == "probation_service_2021_pdus_from_2024_03"]
    assert sorted(statement["rating"]) == ["good", "outstanding"]
    assert (statement["published"] == 0).all() and (statement["recomputed"] == 0).all()
    assert (statement["members_curated"] >= 30).all()
    assert set(statement["verdict"]) == {NOT_YET}
    assert statement["explanation"].str.contains("does not enumerate").all()
    assert statement["explanation"].str.contains("none contradicts the 0 published").all()


def test_each_region_shows_its_coverage_ratings_and_shares_with_the_total_last(programme):
    judgements, inspections, organisations, reference = programme
    shares = comparison.headline_shares(judgements, inspections, organisations, reference)
    ratings = ratings_rows(
        [
            ("2025-03-stockton", "PDU", "stockton-pdu", "Overall", "Requires improvement"),
            ("2025-07-north-tyneside", "PDU", "north-tyneside-pdu", "Overall", "Good"),
            ("2024-05-kss", "Region", "ps-kss", "Overall", "Inadequate"),
        ]
    )
    overall = comparison.area_ratings(ratings, inspections, reference)
    coverage = pd.DataFrame(
        {
            "region": ["ps-kss", "ps-ne", None],
            "region_label": ["Kent, Surrey and Sussex", "North East", "All regions"],
            "coverage": [
                "0 of 5 PDUs inspected",
                "2 of 7 PDUs inspected",
                "2 of 12 PDUs inspected",
            ],
        }
    )
    table = comparison.by_region(coverage, overall, shares).set_index("region_label")
    assert table.loc["North East", "pdu_inspections_rated"] == 2
    assert table.loc["North East", "pdu_inspections_below_good"] == 1
    assert pd.isna(table.loc["North East", "regional_rating"]), "the region itself not inspected"
    assert table.loc["Kent, Surrey and Sussex", "regional_rating"] == "Inadequate"
    assert table.loc["Kent, Surrey and Sussex", "headline_shares"] == 1
    assert table.loc["All regions", "regional_rating"] == ("1 of 2 regions rated, 1 below Good")
    assert table.loc["All regions", "headline_shares"] == 3
