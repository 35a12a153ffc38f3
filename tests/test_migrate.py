"""The migration to the data model: every measure in use becomes a code or an alias, once."""

from __future__ import annotations

import csv

import pytest

from probation_inspections.curated.migrate import JudgementMove, migrate, move_key_facts
from probation_inspections.validation import validate


def _key_facts(root, rows):
    path = root / "inspections" / "2017-01-test-area" / "key_facts.csv"
    path.write_text(
        "measure,scope,value,value_text,qualifier,unit,as_of,source_locator\n"
        + "".join(f"{r}\n" for r in rows),
        encoding="utf-8",
    )


def test_a_new_measure_becomes_a_code_and_a_known_alias_stays_an_alias(data_root):
    _key_facts(
        data_root,
        [
            "crcs_created,England and Wales,21,,,count,2014-06,Notes 3",
            "women_in_sample,CRC,5,,,people,,Ch.3",
        ],
    )
    changes = migrate(data_root)
    assert changes == ["measure women_in_sample", "alias crcs_created -> crcs_in_england_and_wales"]
    with (data_root / "reference" / "measures.csv").open(encoding="utf-8") as handle:
        measures = {row["measure"]: row for row in csv.DictReader(handle)}
    assert measures["women_in_sample"]["unit"] == "people"
    assert "crcs_created" not in measures, "an alias is not a second code"
    assert validate(data_root=data_root).ok


def test_the_migration_changes_nothing_the_second_time(data_root):
    _key_facts(
        data_root,
        [
            "people_supervised,CRC,2500,,,people,2016-06,Key facts",
            "tr_introduced,England and Wales,,2014-06,,month,,Notes 2",
        ],
    )
    first = migrate(data_root)
    before = {p.name: p.read_bytes() for p in (data_root / "reference").iterdir()}
    assert "alias tr_introduced -> transforming_rehabilitation_split" in first
    assert migrate(data_root) == []
    assert {p.name: p.read_bytes() for p in (data_root / "reference").iterdir()} == before


def test_curated_rows_are_never_rewritten(data_root):
    _key_facts(data_root, ["crcs_total,England and Wales,21,,,count,,Key facts"])
    path = data_root / "inspections" / "2017-01-test-area" / "key_facts.csv"
    before = path.read_bytes()
    migrate(data_root)
    assert path.read_bytes() == before


def test_measures_curators_wrote_by_hand_keep_their_bytes(data_root):
    path = data_root / "reference" / "measures.csv"
    path.write_text(
        path.read_text(encoding="utf-8")
        + 'women_in_sample,women in the sample,people,"quoted, by hand"\n',
        encoding="utf-8",
    )
    before = path.read_bytes()
    _key_facts(
        data_root, ["women_in_sample,CRC,5,,,people,,Ch.3", "new_measure,CRC,1,,,count,,Ch.3"]
    )
    assert migrate(data_root) == ["measure new_measure"]
    assert path.read_bytes().startswith(before), "existing rows are never rewritten"


# Headline shares: key facts that the data model now holds as judgements with a percent ------

MOVES = (
    JudgementMove(
        "2017-01-test-area",
        "cases_sufficient_risk_of_harm_assessment",
        "assessment of risk of harm was sufficient",
        "sufficient",
        "cases",
        organisation_type="CRC",
        domain_label="Protecting the public",
        domain_inferred=False,
    ),
    JudgementMove(
        "2017-01-test-area",
        "cases_domestic_abuse_information_not_requested",
        "domestic abuse information was not requested where it should have been",
        "insufficient",
        "cases where relevant",
        organisation_type="CRC",
        domain_label="Protecting the public",
        denominator=25,
    ),
)


def _csv_rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_headline_share_moves_from_key_facts_to_a_judgement_with_its_percent(data_root):
    folder = data_root / "inspections" / "2017-01-test-area"
    (folder / "key_facts.csv").write_text(
        "measure,scope,value,value_text,qualifier,unit,as_of,source_locator,notes\n"
        "cases_sufficient_risk_of_harm_assessment,Test CRC (cases inspected),33,,,percent,"
        '2017-01,"report foreword, para 5",the number of cases is not given\n'
        "people_supervised,Test CRC,2500,,,people,,Key facts,\n"
        "cases_domestic_abuse_information_not_requested,Test CRC,6,,,cases,,news article,\n",
        encoding="utf-8",
    )
    judgements_before = (folder / "judgements.csv").read_text(encoding="utf-8")
    changes = move_key_facts(MOVES, data_root)
    assert changes == [
        "judgement 2017-01-test-area cases_sufficient_risk_of_harm_assessment (from key_facts)",
        "judgement 2017-01-test-area cases_domestic_abuse_information_not_requested "
        "(from key_facts)",
    ]
    facts = (folder / "key_facts.csv").read_text(encoding="utf-8")
    assert facts == (
        "measure,scope,value,value_text,qualifier,unit,as_of,source_locator,notes\n"
        "people_supervised,Test CRC,2500,,,people,,Key facts,\n"
    ), "a figure that is not a headline share stays, byte for byte"
    rows = _csv_rows(folder / "judgements.csv")
    assert len(rows) == judgements_before.count("\n") - 1 + 2, "every earlier row is kept"
    share, count = rows[-2], rows[-1]
    assert (share["percent"], share["count"], share["denominator"]) == ("33", "", "")
    assert share["source_locator"] == "report foreword, para 5"
    assert share["field_certainty"] == "", "a domain named by the move is not inferred"
    assert "the number of cases is not given" in share["notes"]
    assert "scope Test CRC (cases inspected), as of 2017-01" in share["notes"]
    assert (count["count"], count["denominator"], count["percent"]) == ("6", "25", "")
    assert count["field_certainty"] == "domain_label=inferred"
    report = validate(data_root=data_root)
    assert report.ok, report.issues


def test_moving_headline_shares_twice_changes_nothing(data_root):
    folder = data_root / "inspections" / "2017-01-test-area"
    _key_facts(
        data_root,
        ["cases_sufficient_risk_of_harm_assessment,Test CRC,33,,,percent,,,foreword"],
    )
    move_key_facts(MOVES, data_root)
    assert not (folder / "key_facts.csv").exists(), "an emptied table is absent, not blank"
    after = (folder / "judgements.csv").read_bytes()
    assert move_key_facts(MOVES, data_root) == []
    assert (folder / "judgements.csv").read_bytes() == after


def test_an_earlier_judgements_file_gains_the_new_columns_and_keeps_its_values(data_root):
    folder = data_root / "inspections" / "2017-01-test-area"
    before = _csv_rows(folder / "judgements.csv")
    _key_facts(
        data_root,
        ["cases_sufficient_risk_of_harm_assessment,Test CRC,33,,,percent,,,foreword"],
    )
    move_key_facts(MOVES, data_root)
    after = _csv_rows(folder / "judgements.csv")
    assert [{k: row[k] for k in old} for row, old in zip(after, before, strict=False)] == before
    assert {"percent", "field_certainty"} <= set(after[0])


def test_only_a_percent_a_count_of_cases_or_a_share_in_words_becomes_a_judgement(data_root):
    _key_facts(
        data_root,
        ["cases_sufficient_risk_of_harm_assessment,Test CRC,40,,,people,,foreword"],
    )
    with pytest.raises(ValueError, match="only a percent, a count of cases or a share in words"):
        move_key_facts(MOVES, data_root)


def test_a_share_in_words_moves_as_its_quantifier(data_root):
    folder = data_root / "inspections" / "2017-01-test-area"
    _key_facts(
        data_root,
        ["cases_sufficient_risk_of_harm_assessment,Test CRC,,Almost half,,fraction,,foreword"],
    )
    move_key_facts(MOVES, data_root)
    moved = _csv_rows(folder / "judgements.csv")[-1]
    assert (moved["quantifier"], moved["percent"], moved["count"]) == ("almost half", "", "")
    report = validate(data_root=data_root)
    assert report.ok, report.issues
