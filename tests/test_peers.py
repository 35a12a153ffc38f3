"""A profile's answer first: the service's title, its ratings at a glance, and its peers.

The tables are small and written by hand after the 2018/19 round: West Yorkshire CRC (October
2018, Requires improvement), two other CRCs and an NPS division of the same round, and two PDUs
of one region inspected in 2022.
"""

from __future__ import annotations

import pandas as pd
import pytest

from probation_inspections.analysis.peers import (
    compared_with,
    distribution_in_words,
    region_peers,
    round_distribution,
    round_for,
    standing_sentence,
)
from probation_inspections.analysis.profile import profile_title, rating_summary, values_not_read
from probation_inspections.analysis.reproduction import rated_organisations

SCALE = pd.DataFrame(
    {
        "scale": ["hmip_4_point"] * 4,
        "rating": ["outstanding", "good", "requires_improvement", "inadequate"],
        "label": ["Outstanding", "Good", "Requires improvement", "Inadequate"],
        "rank": [1, 2, 3, 4],
    }
)

POPULATIONS = pd.DataFrame(
    {
        "population": ["round_2018_19", "providers_to_2019_01", "crcs_listed", "pdus_2022"],
        "label": [
            "All 28 probation services (2018/19 round)",
            "Providers rated to January 2019",
            "CRCs listed by name",
            "PDU reports published in 2022",
        ],
        "programme": [
            "adult_probation_2018",
            "adult_probation_2018",
            "adult_probation_2018",
            "probation_service_2021",
        ],
        "organisation_types": ["CRC|NPS", "CRC|NPS", "CRC", "PDU"],
        "members": [28, 9, 13, 15],
        "published_from": ["2018-09", "2018-09", None, "2022-01"],
        "published_to": ["2019-09", "2019-01", None, "2022-12"],
        "member_organisations": [None, None, "west-yorkshire-crc|essex-crc", None],
    }
)

INSPECTIONS = pd.DataFrame(
    {
        "inspection_id": [
            "2018-10-west-yorkshire-crc",
            "2018-11-essex-crc",
            "2019-03-dlnr-crc",
            "2019-02-nps-midlands",
            "2022-08-bnes-pdu",
            "2022-09-warwickshire-pdu",
        ],
        "title": [
            "Inspection of West Yorkshire CRC",
            "Essex CRC",
            "DLNR CRC",
            "NPS Midlands",
            "Birmingham North, East and Solihull PDU",
            "Warwickshire PDU",
        ],
        "area": ["West Yorkshire", "Essex", "DLNR", "Midlands", "Birmingham", "Warwickshire"],
        "kind": ["inspection"] * 6,
        "programme": ["adult_probation_2018"] * 4 + ["probation_service_2021"] * 2,
        "published": [
            "2018-10-31",
            "2018-11-20",
            "2019-03-01",
            "2019-02-10",
            "2022-08-04",
            "2022-09-01",
        ],
    }
)

ORGANISATIONS = pd.DataFrame(
    {
        "inspection_id": INSPECTIONS["inspection_id"],
        "organisation_type": ["CRC", "CRC", "CRC", "NPS", "PDU", "PDU"],
        "organisation": [
            "west-yorkshire-crc",
            "essex-crc",
            "dlnr-crc",
            "nps-midlands",
            "bnes-pdu",
            "warwickshire-pdu",
        ],
        "organisation_label": [
            "West Yorkshire CRC",
            "Essex CRC",
            "DLNR CRC",
            "NPS Midlands",
            "Birmingham North, East and Solihull PDU",
            "Warwickshire PDU",
        ],
        "region": [
            None,
            None,
            None,
            None,
            "Probation Service – West Midlands",
            "Probation Service – West Midlands",
        ],
        "overall_rating": [None] * 6,
    }
)

RATINGS = pd.DataFrame(
    {
        "inspection_id": list(INSPECTIONS["inspection_id"]) + ["2022-08-bnes-pdu"],
        "organisation": list(ORGANISATIONS["organisation"]) + ["bnes-pdu"],
        "organisation_label": list(ORGANISATIONS["organisation_label"])
        + ["Birmingham North, East and Solihull PDU"],
        "standard": ["overall"] * 6 + ["leadership"],
        "standard_label": ["Overall"] * 6 + ["1.1 Leadership"],
        "rating": [
            "requires_improvement",
            "requires_improvement",
            "inadequate",
            "good",
            "inadequate",
            "requires_improvement",
            "inadequate",
        ],
        "rating_label": [
            "Requiring Improvement",
            "Requires improvement",
            "Inadequate",
            "Good",
            "Inadequate",
            "Requires improvement",
            "Inadequate",
        ],
        "certainty": [None, None, None, "inferred", None, None, "derived"],
    }
)


@pytest.fixture
def candidates():
    return rated_organisations(ORGANISATIONS, INSPECTIONS, RATINGS)


def test_the_round_is_the_widest_publication_window_around_the_inspection():
    population = round_for(POPULATIONS, "adult_probation_2018", "CRC", "2018-10-31")
    assert population.code == "round_2018_19"


def test_a_service_published_outside_every_window_has_no_round():
    assert round_for(POPULATIONS, "adult_probation_2018", "CRC", "2020-05-01") is None
    assert round_for(POPULATIONS, "omi2", "Trust", "2011-05") is None


def test_the_rounds_ratings_are_counted_by_type_best_first(candidates):
    population = round_for(POPULATIONS, "adult_probation_2018", "CRC", "2018-10-31")
    distribution = round_distribution(population, candidates, SCALE)
    assert distribution_in_words(distribution, "CRC") == "Requires improvement 2, Inadequate 1"
    assert distribution_in_words(distribution, "NPS") == "Good 1"
    assert distribution_in_words(distribution, "PDU") is None


def test_west_yorkshire_is_one_of_two_crcs_rated_requires_improvement(candidates):
    population = round_for(POPULATIONS, "adult_probation_2018", "CRC", "2018-10-31")
    distribution = round_distribution(population, candidates, SCALE)
    assert standing_sentence(distribution, "CRC", "requires_improvement", "the round") == (
        "One of 2 CRCs rated Requires improvement in the round; 3 of its CRCs are curated"
    )
    assert standing_sentence(distribution, "CRC", "inadequate", "the round").startswith(
        "The only CRC rated Inadequate"
    )
    assert standing_sentence(distribution, "CRC", None, "the round") is None


def test_a_round_with_one_curated_service_of_its_type_says_so_in_the_singular(candidates):
    population = round_for(POPULATIONS, "adult_probation_2018", "NPS", "2018-10-31")
    distribution = round_distribution(population, candidates, SCALE)
    assert standing_sentence(distribution, "NPS", "good", "the round") == (
        "The only NPS division rated Good in the round; 1 of its NPS divisions is curated"
    )


def test_a_pdus_peers_are_the_other_pdus_of_its_region(candidates):
    peers = region_peers(
        candidates, "bnes-pdu", "Probation Service – West Midlands", "probation_service_2021"
    )
    assert list(peers["organisation"]) == ["warwickshire-pdu"]
    assert region_peers(candidates, "west-yorkshire-crc", None, "adult_probation_2018").empty


def test_compared_with_names_the_round_and_the_region():
    crc = dict(
        compared_with(
            "2018-10-west-yorkshire-crc", INSPECTIONS, ORGANISATIONS, RATINGS, POPULATIONS, SCALE
        )
    )
    assert crc["West Yorkshire CRC in its round"].startswith(
        "One of 2 CRCs rated Requires improvement in All 28 probation services (2018/19 round)"
    )
    assert (
        crc["NPS divisions of All 28 probation services (2018/19 round), by overall rating"]
        == "Good 1."
    )
    pdu = dict(
        compared_with("2022-08-bnes-pdu", INSPECTIONS, ORGANISATIONS, RATINGS, POPULATIONS, SCALE)
    )
    assert pdu["Other PDUs of Probation Service – West Midlands"] == (
        "Warwickshire PDU: Requires improvement (2022)."
    )


def test_the_title_names_the_service_and_the_month():
    assert (
        profile_title(INSPECTIONS, ORGANISATIONS, "2018-10-west-yorkshire-crc")
        == "West Yorkshire CRC: inspection of October 2018"
    )
    with pytest.raises(KeyError):
        profile_title(INSPECTIONS, ORGANISATIONS, "2030-01-nowhere")


def test_ratings_at_a_glance_are_in_words_and_say_what_was_not_read():
    rows = RATINGS[RATINGS["inspection_id"] == "2022-08-bnes-pdu"]
    assert rating_summary(rows, SCALE) == [
        ("Overall rating", "Inadequate"),
        ("Standards", "1.1 Leadership: Inadequate (derived, not read as written)"),
    ]
    nps = RATINGS[RATINGS["inspection_id"] == "2019-02-nps-midlands"]
    assert rating_summary(nps, SCALE)[0] == (
        "Overall rating",
        "Good (inferred, not read as written)",
    )
    assert rating_summary(nps, SCALE)[1] == ("Standards", "not rated in the source")


def test_values_not_read_are_counted_by_table():
    tables = {"ratings": RATINGS}
    assert (
        values_not_read(tables, "2022-08-bnes-pdu")
        == "Values not read as written: 1 rating derived."
    )
    assert (
        values_not_read(tables, "2018-10-west-yorkshire-crc")
        == "Every value on this page was read as written in the source."
    )
