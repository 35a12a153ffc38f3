"""An inspection's profile as a reader scans it: sections not given said in one line, key facts
and judgements grouped by topic in tables to filter, an explanation said once per group."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from probation_inspections import load, reference
from probation_inspections.analysis.profile import (
    FACT_TOPICS,
    OTHER_TOPIC,
    PROFILE_SECTIONS,
    addressees,
    fact_topic,
    item_counts,
    judgement_intervals,
    key_facts_by_topic,
    not_given_line,
    qualitative_findings_for,
    sections_given,
    shares_implied,
)
from probation_inspections.analysis.select import one_statement_per_finding
from probation_inspections.analysis.wording import (
    conclusion_counts,
    conclusions_in_doubt,
    sensitivity,
)
from probation_inspections.report.interactive import (
    SAID,
    datatable_html,
    datatables_bundle,
    escaped,
    said_once,
)

WEST_YORKSHIRE = "2018-10-west-yorkshire-crc"
STAFFS = "2017-01-staffordshire-stoke"
TABLES = sorted({name for _, _, names in PROFILE_SECTIONS for name in names})


@pytest.fixture(scope="module")
def tables():
    return {name: load(name) for name in TABLES}


# --- Sections the source does not give ---------------------------------------------------------


def test_a_commentary_gives_ratings_facts_and_judgements_and_nothing_else(tables):
    given = sections_given(tables, WEST_YORKSHIRE)
    assert given == {"ratings", "key_facts", "judgements"}
    assert not_given_line(given) == (
        "Not given in the source: scores and figures about groups of services, findings in "
        "words, interventions, need sufficiency, caseloads and recommendations."
    )


def test_a_full_report_gives_every_section_but_ratings_and_needs_no_line_when_all_are_given(
    tables,
):
    given = sections_given(tables, STAFFS)
    assert {"key_facts", "judgements", "needs", "caseloads", "recommendations"} <= given
    assert "ratings" not in given, "Quality & Impact inspections were not rated"
    assert not_given_line({key for key, _, _ in PROFILE_SECTIONS}) is None


# --- Key facts by topic ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "topic"),
    [
        ("fieldwork_weeks", "The inspection: fieldwork, sample, interviews"),
        ("magistrates_interviewed", "The inspection: fieldwork, sample, interviews"),
        ("crcs_rated_requires_improvement", "Ratings and standing among inspections"),
        ("offenders_supervised", "People supervised and the area"),
        ("probation_officer_vacancy_rate", "Staff and workloads"),
        ("cases_sufficient_risk_assessment", "Quality of the work with cases"),
        ("crc_contract_length", "Organisations, owners and contracts"),
        ("e3_key_areas", OTHER_TOPIC),
        (None, OTHER_TOPIC),
    ],
)
def test_a_fact_is_filed_under_the_topic_its_measure_names(measure, topic):
    assert fact_topic(measure) == topic


def test_staffordshire_facts_come_in_the_order_of_the_topics(tables):
    facts = key_facts_by_topic(tables["key_facts"], STAFFS)
    assert len(facts) == len(tables["key_facts"].query("inspection_id == @STAFFS"))
    order = [topic for topic, _ in FACT_TOPICS] + [OTHER_TOPIC]
    seen = [order.index(t) for t in facts["topic"]]
    assert seen == sorted(seen)
    assert facts["topic"].nunique() >= 4, "a full report's facts spread over several topics"


# --- Said once per group -----------------------------------------------------------------------


JUDGED = pd.DataFrame(
    {
        "organisation_type": ["CRC", "CRC", "CRC", "NPS"],
        "domain_label": ["Case supervision"] * 3 + ["Case supervision"],
        "aspect": ["plans", "reviews", "risk", "court reports"],
        "quantifier_basis": ["project assumption"] * 3 + ["arithmetic"],
        "base": ["cases", "cases", "staff", "cases"],
    }
)


def test_an_explanation_shared_by_every_row_of_a_group_is_said_once_beside_its_name():
    grouped = said_once(
        JUDGED,
        groups=["organisation_type", "domain_label"],
        explained=["quantifier_basis", "base"],
        names={"quantifier_basis": "range from", "base": "shares of"},
    )
    crc = grouped[grouped["organisation_type"] == "CRC"]
    assert set(crc["group"]) == {"CRC, Case supervision: range from project assumption"}
    assert (crc["quantifier_basis"] == SAID).all(), "said in the name, blank on the rows"
    assert list(crc["base"]) == ["cases", "cases", "staff"], "not the same on every row: kept"
    nps = grouped[grouped["organisation_type"] == "NPS"]
    assert list(nps["group"]) == ["NPS, Case supervision"], "one row: nothing to say once"
    assert list(nps["quantifier_basis"]) == ["arithmetic"]


def test_a_column_said_once_in_every_group_leaves_the_table():
    grouped = said_once(JUDGED.iloc[:2], ["organisation_type"], ["base"], {"base": "shares of"})
    shown = escaped(grouped, {"group": "Group", "aspect": "What was judged", "base": "Base"})
    assert list(shown.columns) == ["Group", "What was judged"]


def test_cells_are_escaped_and_written_as_the_tables_write_them():
    frame = pd.DataFrame({"aspect": ["<script>alert(1)</script>"], "share": [0.3], "x": [None]})
    shown = escaped(frame, {"aspect": "Aspect", "share": "Share", "x": "X"}, {"share": "share"})
    assert shown.loc[0, "Aspect"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert shown.loc[0, "Share"] == "30%" and shown.loc[0, "X"] == "\u2014"


# --- The table readers filter ------------------------------------------------------------------


def options_of(html: str) -> dict:
    found = re.search(r"let dt_args = (\{.*?\});\n", html, re.S)
    assert found, html[:500]
    return json.loads(found.group(1))


def test_a_grouped_table_filters_by_its_panes_and_hides_its_group_column():
    shown = escaped(
        said_once(
            JUDGED, ["organisation_type"], ["quantifier_basis"], {"quantifier_basis": "from"}
        ),
        {"group": "Group", "organisation_type": "Organisation", "aspect": "What was judged"},
    )
    html = datatable_html(
        shown, "judgements", panes=["Organisation"], group="Group", every_pane=True
    )
    options = options_of(html)
    assert options["rowGroup"] == {"dataSrc": 0}
    assert options["order"] == [], "groups in the order of the rows (topics in their order)"
    assert options["searchPanes"]["columns"] == [1]
    assert {"targets": [0], "visible": False} in options["columnDefs"]
    assert {"targets": [1], "searchPanes": {"show": True}} in options["columnDefs"]
    assert options["buttons"][0]["extend"] == "csvHtml5"
    assert "<script" in html and 'id="judgements"' in html
    assert "import" not in html.split("<script")[0], "the library comes from the bundle"


def test_the_bundle_is_the_library_itself_embedded_for_offline_pages():
    bundle = str(datatables_bundle())
    assert "injectModule" in bundle and "http" not in bundle.split("<noscript>")[0][:2000]


# --- What the notebook used to compute ---------------------------------------------------------


def test_the_chart_shows_only_the_judgements_that_imply_a_share(tables):
    judgements = judgement_intervals(tables["judgements"], STAFFS)
    shown = shares_implied(judgements)
    assert shown["share_low"].notna().all()
    assert 0 < len(shown) < len(judgements), "some wordings imply no share"


def test_conclusions_are_counted_once_per_finding_and_the_doubtful_ones_listed(tables):
    own = one_statement_per_finding(
        tables["judgements"][tables["judgements"]["inspection_id"] == STAFFS]
    )
    checked = sensitivity(own, reference("quantifier"))
    counts = conclusion_counts(checked)
    assert counts["findings"].sum() == len(checked)
    doubtful = conclusions_in_doubt(checked)
    assert set(doubtful["conclusion"]) <= {"flips", "undetermined"}
    assert len(doubtful) == int(checked["conclusion"].isin(["flips", "undetermined"]).sum())


def test_findings_in_words_are_counted_by_organisation_and_kind(tables):
    findings = qualitative_findings_for(tables["qualitative_findings"], STAFFS)
    counts = item_counts(findings)
    assert counts["items"].sum() == len(findings)
    assert set(counts.columns) == {"organisation_type", "kind", "items"}


def test_a_recommendation_to_two_organisations_names_both_in_words():
    assert addressees("CRC+NPS") == "CRC and NPS"
    assert addressees("NPS") == "NPS"
