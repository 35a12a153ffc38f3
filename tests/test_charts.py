"""Charts a statistician would sign: the finding as title, never colour alone, the whole group."""

from __future__ import annotations

import pandas as pd
import pytest

from probation_inspections.analysis.reproduction import group_coverage
from probation_inspections.analysis.sources import with_source_kind
from probation_inspections.report.figures import (
    DIRECTION_COLOUR_WORDS,
    DIRECTION_COLOURS,
    ORGANISATION_MARKERS,
    caseload_figure,
    caseload_finding,
    coverage_figure,
    coverage_finding,
    judgement_finding,
    judgement_interval_figure,
    need_finding,
    period_words,
    range_finding,
    ratings_figure,
    ratings_finding,
)
from probation_inspections.report.setup import use_theme


@pytest.fixture(autouse=True)
def theme():
    use_theme()
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def round_results() -> pd.DataFrame:
    """Figures about the 2018/19 round as `reproduce` gives them: counts by type (21 CRCs, 7
    NPS divisions) and of the whole round (28 services), and a group only 5 of 30 curated."""
    return pd.DataFrame(
        {
            "population": ["round"] * 3 + ["omi2"],
            "population_label": ["All 28 probation services"] * 3 + ["English regions"],
            "organisation_type": ["CRC", "NPS", None, None],
            "members_expected": [21, 7, 28, 30],
            "members_curated": [21, 7, 28, 5],
        }
    )


def test_a_group_is_drawn_at_its_full_size_not_the_size_of_one_type():
    groups = group_coverage(round_results())
    whole = groups.set_index("population_label")
    assert whole.loc["All 28 probation services", "members_expected"] == 28
    assert whole.loc["All 28 probation services", "members_curated"] == 28
    fig = coverage_figure(groups)
    written = sorted(t.get_text() for t in fig.axes[0].texts)
    assert written == ["28 of 28", "5 of 30"], "each bar says its count against the group's size"
    assert coverage_finding(groups) == "1 of 2 groups are curated in full"


def test_the_group_and_its_curated_members_differ_by_fill_not_only_colour():
    fig = coverage_figure(group_coverage(round_results()))
    hatches = {patch.get_hatch() for patch in fig.axes[0].patches}
    assert "///" in hatches and None in hatches


def overall() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "inspection_id": ["2018-10-a", "2018-11-b", "2023-03-c", "2023-03-d"],
            "published": ["2018-10-31", "2018-11-20", "2023-03-01", "2023-03-09"],
            "organisation_type": ["CRC", "NPS", "PDU", "PDU"],
            "organisation": ["a-crc", "b-nps", "c-pdu", "d-pdu"],
            "organisation_label": ["A CRC", "B NPS", "C PDU", "D PDU"],
            "rating": ["requires_improvement", "good", "inadequate", "requires_improvement"],
            "rating_label": ["Requires improvement", "Good", "Inadequate", "Requires improvement"],
            "rating_rank": [3, 2, 4, 3],
            "certainty": ["reported", "reported", "derived", "reported"],
        }
    )


def test_organisation_types_have_their_own_marks_as_well_as_colours():
    fig = ratings_figure(overall(), {1: "Outstanding", 2: "Good", 3: "RI", 4: "Inadequate"})
    _, names = fig.axes[0].get_legend_handles_labels()
    assert {"CRC", "NPS", "PDU"} <= set(names)
    assert len({ORGANISATION_MARKERS[k] for k in ("CRC", "NPS", "PDU")}) == 3
    paths = {
        tuple(map(tuple, c.get_paths()[0].vertices.round(2)))
        for c in fig.axes[0].collections
        if c.get_label() in ("CRC", "NPS", "PDU")
    }
    assert len(paths) == 3, "a circle, a square and a diamond"


def test_the_ratings_title_states_the_most_common_rating():
    names = {"requires_improvement": "Requires improvement", "good": "Good"}
    assert ratings_finding(overall(), names) == (
        "Requires improvement was the most common overall rating: 2 of 4 rated services"
    )
    tied = overall().iloc[:2]
    assert ratings_finding(tied, names).startswith("Good and Requires improvement were")
    assert period_words(overall()["published"]) == "2018 to 2023"
    assert period_words(["2017-01-12"]) == "2017"


def test_judgement_directions_differ_by_hatch_and_the_legend_names_their_colours():
    judgements = pd.DataFrame(
        {
            "organisation_type": ["CRC"] * 3,
            "domain_label": ["Case supervision"] * 3,
            "aspect": ["plans", "reviews", "women"],
            "direction": ["sufficient", "insufficient", "prevalence"],
            "share_low": [0.5, 0.2, 0.1],
            "share_high": [0.7, 0.4, 0.3],
        }
    )
    fig = judgement_interval_figure(judgements)
    hatches = [p.get_hatch() for p in fig.axes[0].patches]
    assert len(set(hatches)) == 3, hatches
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    for direction, word in DIRECTION_COLOUR_WORDS.items():
        assert any(t.startswith(word) for t in legend), (direction, legend)
    assert DIRECTION_COLOURS["insufficient"] == "#D55E00"  # Okabe-Ito vermilion: orange
    assert judgement_finding(judgements) == (
        "As many judgements describe sufficient work as work that was not (1 each)"
    )
    more = pd.concat([judgements, judgements.iloc[[1]]], ignore_index=True)
    assert judgement_finding(more) == (
        "More judgements describe work that was not sufficient than work that was (2 against 1)"
    )


def test_caseload_bars_are_hatched_by_type_and_labelled_with_their_value():
    caseloads = pd.DataFrame(
        {
            "inspection_id": ["a", "a"],
            "area": ["Staffordshire", "Staffordshire"],
            "organisation_type": ["CRC", "NPS"],
            "staff_grade_label": ["PO", "PSO"],
            "basis": ["management_information", "staff_estimate"],
            "mean_caseload": [66.0, 41.0],
            "min_caseload": [None, 30.0],
            "max_caseload": [None, 52.0],
            "unit": ["cases_per_fte", "cases_per_fte"],
        }
    )
    fig = caseload_figure(caseloads)
    assert {p.get_hatch() or "" for p in fig.axes[0].patches} == {"", "///"}
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["41", "66"]
    assert caseload_finding(caseloads) == (
        "Mean caseloads ranged from 41 to 66 cases per full-time equivalent"
    )


def test_the_need_and_range_titles_state_the_finding():
    aligned = pd.DataFrame(
        {"percent_crc": [80.0, 40.0, 50.0, None], "percent_nps": [60.0, 55.0, 50.0, 30.0]}
    )
    assert need_finding(aligned) == (
        "The CRC's percentage was higher than the NPS's for 1 of the 3 needs both list, lower for 1"
    )
    ranges = pd.DataFrame(
        {
            "highlight_value": [70.0, 40.0],
            "published_lowest": [60.0, 45.0],
            "published_highest": [80.0, 75.0],
            "published_average": [65.0, 60.0],
        }
    )
    assert range_finding(ranges, "Staffordshire") == (
        "Staffordshire scored within the published range in 1 of 2 domains, above the "
        "published average in 1"
    )


def test_a_rating_from_news_is_a_secondary_source_not_under_the_ogl():
    inspections = pd.DataFrame(
        {
            "inspection_id": ["2018-10-a", "2018-11-b"],
            "source_publisher": ["Russell Webster (blog)", "HM Inspectorate of Probation"],
            "licence": ["OGL-3.0", "OGL-3.0"],
        }
    )
    shown = with_source_kind(overall().iloc[:2], inspections)
    assert shown["source_kind"].tolist() == ["Secondary", "Primary"]
    assert shown["source_licence"].tolist() == [
        "facts only, text © Russell Webster (blog)",
        "OGL-3.0",
    ]


def test_a_source_is_described_by_kind_publisher_and_the_licence_that_applies():
    from probation_inspections.analysis.sources import describe_source

    assert describe_source("HM Inspectorate of Probation", "OGL-3.0") == (
        "Primary: HM Inspectorate of Probation, OGL-3.0"
    )
    assert describe_source("BBC News", "OGL-3.0") == (
        "Secondary: BBC News, facts only, text © BBC News"
    )


def test_a_profile_of_a_news_source_says_secondary_and_claims_no_ogl():
    from probation_inspections.analysis.profile import inspection_overview

    inspections = pd.DataFrame(
        [
            {
                "inspection_id": "2018-10-west-yorkshire-crc",
                "title": "West Yorkshire CRC",
                "programme": "adult_probation_2018",
                "area": "West Yorkshire",
                "kind": "inspection",
                "published": "2018-10-31",
                "fieldwork_start": None,
                "fieldwork_end": None,
                "document_type": "commentary",
                "source_title": "HMIP on West Yorkshire CRC",
                "source_publisher": "Russell Webster (blog)",
                "source_url": "http://www.russellwebster.com/hmipwyorks18/",
                "date_accessed": "2026-11-22",
                "licence": "OGL-3.0",
                "coverage": None,
            }
        ]
    )
    overview = dict(inspection_overview(inspections, "2018-10-west-yorkshire-crc"))
    assert overview["Kind of source"].startswith("Secondary: Russell Webster (blog)")
    assert "OGL" not in overview["Licence of the facts"]
