"""A whole report in the data: findings stated twice count once, items of enablers and barriers
tables and interventions are shown in report order, and disagreements are listed side by side."""

from __future__ import annotations

import pandas as pd
import pytest

from probation_inspections import load
from probation_inspections.analysis.profile import (
    discrepancies_for,
    interventions_for,
    judgement_intervals,
    qualitative_findings_for,
    sessions_in_words,
)
from probation_inspections.analysis.select import one_statement_per_finding

STAFFS = "2017-01-staffordshire-stoke"


@pytest.fixture(scope="module")
def judgements():
    return load("judgements", inspections=STAFFS)


def test_a_finding_stated_in_chapter_1_and_chapter_3_counts_once(judgements):
    once = one_statement_per_finding(judgements)
    linked = judgements["finding_id"].dropna()
    assert len(judgements) - len(once) == len(linked) - linked.nunique()
    kept = once[once["finding_id"] == "crc-rr-plan"]
    assert len(kept) == 1
    # "most" (Ch.1) and "two-thirds" (Ch.3) state one finding: the narrower wording is kept.
    assert kept.iloc[0]["quantifier"] == "two-thirds"


def test_an_exact_count_is_the_statement_kept():
    rows = pd.DataFrame(
        {
            "inspection_id": ["x", "x", "x"],
            "finding_id": ["f", "f", None],
            "quantifier": ["most", None, "half"],
            "share_low": [0.6, 0.24, 0.45],
            "share_high": [0.9, 0.24, 0.55],
        }
    )
    once = one_statement_per_finding(rows)
    assert list(once["quantifier"].fillna("count")) == ["count", "half"]


def test_the_same_finding_id_in_two_inspections_is_two_findings():
    rows = pd.DataFrame(
        {
            "inspection_id": ["a", "b"],
            "finding_id": ["f", "f"],
            "share_low": [0.6, 0.6],
            "share_high": [0.9, 0.9],
        }
    )
    assert len(one_statement_per_finding(rows)) == 2


def test_the_profile_shows_where_the_nps_work_was_seen(judgements):
    shown = judgement_intervals(judgements, STAFFS)
    seen = shown[shown["seen_in"].notna()]
    assert set(seen["organisation_type"]) == {"NPS"}
    assert set(seen["seen_in"]) == {"CRC cases"}


@pytest.mark.parametrize(
    ("low", "high", "words"),
    [(6, 18, "6 to 18"), (6, 6, "6"), (None, 21, "up to 21"), (None, None, None)],
)
def test_sessions_in_words(low, high, words):
    assert sessions_in_words(low, high) == words


def test_table_4_lists_the_ten_interventions_with_their_sessions():
    interventions = interventions_for(load("interventions", inspections=STAFFS), STAFFS)
    table_4 = interventions[interventions["source_locator"] == "Table 4"]
    assert len(table_4) == 10, "two of the ten rows were missing before"
    by_name = table_4.set_index("programme")["sessions"]
    assert by_name["Foundations of Rehabilitation"] == "6 to 18"
    assert by_name["Structured Intervention to Address Domestic Abuse"] == "up to 21"
    assert pd.isna(by_name["Engagement Toolkit"]) and pd.isna(by_name["Addressing Benefit Fraud"])
    assert list(interventions["source_locator"])[:10] == ["Table 4"] * 10, "tables first"


def test_enablers_and_barriers_come_in_table_order():
    findings = qualitative_findings_for(load("qualitative_findings", inspections=STAFFS), STAFFS)
    tables = [int(t.split()[1]) for t in findings["source_locator"]]
    assert tables == sorted(tables)
    assert sorted(set(tables)) == [2, 5, 6, 7, 9, 10, 12, 13, 14, 15, 16]
    table_10 = findings[findings["source_locator"] == "Table 10"]
    assert list(table_10["kind"]) == ["enabler"] * 6 + ["barrier"] * 6
    assert list(table_10["item"]) == [1, 2, 3, 4, 5, 6] * 2


def test_each_quantified_item_of_a_table_is_also_a_judgement(judgements):
    findings = load("qualitative_findings", inspections=STAFFS)
    linked = set(findings["finding_id"].dropna())
    assert linked <= set(judgements["finding_id"].dropna())


def test_a_discrepancy_lists_each_value_with_where_it_stands():
    table = discrepancies_for(
        load("discrepancies", inspections="2017-06-suffolk"), "2017-06-suffolk"
    )
    assert len(table) == 1
    row = table.iloc[0]
    assert row["scope"] == "between sources"
    assert row["values"].startswith("2017-06-15 (news article")
    assert "russellwebster.com" in row["values"]
