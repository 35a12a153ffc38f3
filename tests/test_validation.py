"""Validation: rules derived from the schema catch defective rows and name them precisely."""

from __future__ import annotations

import json

import pytest

from probation_inspections import cli
from probation_inspections.config import DATA_DIR_ENV
from probation_inspections.validation import validate

ID = "2017-01-test-area"


@pytest.fixture
def use_data(data_root, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(data_root))
    return data_root


def edit(data_root, name, old, new):
    path = data_root / "inspections" / ID / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_the_valid_fixture_passes_every_rule(data_root):
    report = validate(data_root=data_root)
    assert report.ok, report.all_issues()
    assert report.results["success"].all()
    assert len(report.results) > 50


def test_a_percentage_over_100_is_caught_with_file_line_column_and_rule(data_root):
    edit(data_root, "need_sufficiency.csv", "Drug misuse,2,81", "Drug misuse,2,154")
    report = validate(data_root=data_root)
    assert report.failed_ids == [ID]
    messages = [str(i) for i in report.issues[ID]]
    assert any(
        m.endswith(
            f"inspections/{ID}/need_sufficiency.csv:3 percent_sufficient=154: "
            "must be between 0 and 100"
        )
        for m in messages
    ), messages


def test_an_unknown_need_label_is_caught(data_root):
    edit(data_root, "need_sufficiency.csv", "Drugs,2,40", "Gambling,2,40")
    messages = [str(i) for i in validate(data_root=data_root).issues[ID]]
    assert any(
        "need_sufficiency.csv:6 need_label=Gambling: must be a known label of vocabulary need" in m
        for m in messages
    ), messages


def test_a_missing_source_locator_is_caught(data_root):
    edit(data_root, "organisations.csv", ",21,7,Appendix 1", ",21,7,")
    messages = [str(i) for i in validate(data_root=data_root).issues[ID]]
    assert any(
        "organisations.csv:3 source_locator" in m and "must not be empty" in m for m in messages
    ), messages


def test_duplicate_rows_break_the_key(data_root):
    edit(data_root, "need_sufficiency.csv", "NPS,Drugs,2,40", "NPS,Thinking and behaviour,2,40")
    messages = [str(i) for i in validate(data_root=data_root).issues[ID]]
    assert any("must be unique on inspection_id, organisation_type, need" in m for m in messages), (
        messages
    )


def test_priority_ranks_must_number_the_needs_once_each(data_root):
    edit(data_root, "need_sufficiency.csv", "Alcohol misuse,3,67", "Alcohol misuse,5,67")
    messages = [str(i) for i in validate(data_root=data_root).issues[ID]]
    assert any("priority_rank must number the needs 1..n" in m for m in messages), messages


def test_fieldwork_must_end_before_publication(data_root):
    edit(data_root, "inspection.yaml", "fieldwork_end: 2016-10", "fieldwork_end: 2017-03")
    messages = [str(i) for i in validate(data_root=data_root).issues[ID]]
    assert any("inspection.yaml:7 fieldwork_end=2017-03: fieldwork must" in m for m in messages), (
        messages
    )


def test_a_source_url_that_is_not_http_is_refused(data_root):
    edit(data_root, "inspection.yaml", "https://example.org/report", "javascript:alert(1)")
    messages = [str(i) for i in validate(data_root=data_root).issues[ID]]
    assert any("source_url=javascript:alert(1): must match the pattern" in m for m in messages), (
        messages
    )


def test_one_broken_inspection_does_not_stop_the_others(data_root):
    other = data_root / "inspections" / "2018-01-other-area"
    other.mkdir()
    for f in (data_root / "inspections" / ID).iterdir():
        # Its id names the month it was published in.
        (other / f.name).write_text(
            f.read_text()
            .replace(ID, "2018-01-other-area")
            .replace("published: 2017-01-12", "published: 2018-01-12")
        )
    edit(data_root, "need_sufficiency.csv", "Drug misuse,2,81", "Drug misuse,2,-1")
    report = validate(data_root=data_root)
    assert report.valid_ids == ["2018-01-other-area"]
    assert report.failed_ids == [ID]


def test_cli_validate_exits_1_and_prints_located_errors(use_data, capsys):
    edit(use_data, "need_sufficiency.csv", "Drug misuse,2,81", "Drug misuse,2,154")
    assert cli.main(["validate"]) == 1
    out = capsys.readouterr().out
    assert "need_sufficiency.csv:3 percent_sufficient=154: must be between 0 and 100" in out
    assert "Traceback" not in out


def test_cli_validate_json_and_success(use_data, capsys):
    assert cli.main(["validate", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "valid": [ID],
        "failed": [],
        "issues": [],
        "notices": [],
    }


def test_cli_usage_errors_exit_2(use_data):
    with pytest.raises(SystemExit) as caught:
        cli.main(["frobnicate"])
    assert caught.value.code == 2


def test_cli_refuses_an_id_that_is_a_path(use_data, capsys):
    assert cli.main(["validate", "../../etc"]) == 1
    assert "inspection id" in capsys.readouterr().err


def test_cli_new_scaffolds_a_folder_that_fails_until_filled_in(use_data, capsys):
    assert cli.main(["new", "2019-03-new-area"]) == 0
    folder = use_data / "inspections" / "2019-03-new-area"
    assert (folder / "inspection.yaml").exists()
    assert (folder / "need_sufficiency.csv").read_text().startswith("organisation_type,")
    assert cli.main(["validate", "2019-03-new-area"]) == 1
    out = capsys.readouterr().out
    assert "inspection.yaml:9 title: must not be empty" in out
    before = (folder / "inspection.yaml").read_bytes()
    assert cli.main(["new", "2019-03-new-area"]) == 1, "an existing folder is never overwritten"
    assert (folder / "inspection.yaml").read_bytes() == before


def test_validating_the_same_rows_again_runs_only_the_suites_whose_rows_changed(
    data_root, monkeypatch
):
    from probation_inspections.validation import suites

    ran: list[str] = []
    run = suites._Suites._run

    def counting(self, name, frame, rules):
        ran.append(name)
        return run(self, name, frame, rules)

    monkeypatch.setattr(suites._Suites, "_run", counting)
    monkeypatch.setattr(suites, "_OUTCOMES", type(suites._OUTCOMES)())
    first = validate(data_root=data_root)
    assert first.ok and "need_sufficiency" in ran
    ran.clear()
    assert validate(data_root=data_root).results.equals(first.results)
    assert ran == [], "nothing changed: no suite runs again"
    path = data_root / "inspections" / "2017-01-test-area" / "need_sufficiency.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",54,", ",154,"), encoding="utf-8")
    again = validate(data_root=data_root)
    assert ran == ["need_sufficiency"]
    assert not again.ok
    assert any("need_sufficiency.csv" in str(i) for i in again.all_issues())
