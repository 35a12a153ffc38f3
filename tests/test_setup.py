"""A report's one set-up call: parameters checked, tables loaded, every warning on the page."""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from probation_inspections import config, tables  # noqa: E402
from probation_inspections.report import setup  # noqa: E402
from probation_inspections.report.setup import open_report  # noqa: E402

GOOD = "2017-01-test-area"
BROKEN = "2017-02-broken-area"


@pytest.fixture
def shown(monkeypatch):
    """What the set-up displays, in order, as the HTML a page would carry."""
    outputs: list[str] = []
    monkeypatch.setattr(setup, "display", lambda obj: outputs.append(obj.data))
    return outputs


@pytest.fixture
def use_data(data_root, monkeypatch):
    monkeypatch.setenv(config.DATA_DIR_ENV, str(data_root))
    tables._tables.cache_clear()
    yield data_root
    tables._tables.cache_clear()


def break_a_copy(data_root: Path) -> None:
    """A second area whose need table gives a percentage of 154: validation leaves it out."""
    broken = data_root / "inspections" / BROKEN
    shutil.copytree(data_root / "inspections" / GOOD, broken)
    yaml = broken / "inspection.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(GOOD, BROKEN), encoding="utf-8")
    needs = broken / "need_sufficiency.csv"
    needs.write_text(needs.read_text(encoding="utf-8").replace(",54,", ",154,"), encoding="utf-8")


def test_the_report_opens_with_the_tables_it_names_and_nothing_else(use_data, shown):
    report = open_report("inspections", "need_sufficiency")
    assert set(report.tables) == {"inspections", "need_sufficiency"}
    assert set(report["need_sufficiency"]["inspection_id"]) == {GOOD}
    assert report.notes == []
    assert report.data_dir == use_data
    assert len(shown) == 1 and shown[0].startswith("<style>"), "only the stylesheet is shown"


def test_an_inspection_left_out_is_named_on_the_page_with_its_reason(use_data, shown):
    break_a_copy(use_data)
    report = open_report("need_sufficiency", title="CRC and NPS")
    assert set(report["need_sufficiency"]["inspection_id"]) == {GOOD}
    (note,) = report.notes
    assert f"Inspection {BROKEN} is left out of this page" in note
    assert "need_sufficiency, column percent_sufficient" in note, "the reason names the rule"
    assert "<h1>CRC and NPS</h1>" in shown[1]
    assert BROKEN in shown[2] and "pi-caution" in shown[2], "the note follows the title"


def test_the_note_survives_a_second_load_from_the_cache(use_data, shown):
    break_a_copy(use_data)
    open_report("ratings")
    tables._tables.cache_clear()  # a new kernel: the tables come from data/processed/
    again = open_report("ratings")
    assert len(again.notes) == 1 and BROKEN in again.notes[0]
    assert "percent_sufficient" in again.notes[0]


def test_a_title_that_cannot_be_made_still_shows_why(use_data, shown):
    break_a_copy(use_data)

    def missing(loaded):
        raise KeyError(f"no inspection {BROKEN!r} in the curated data")

    with pytest.raises(KeyError, match=BROKEN):
        open_report("inspections", title=missing)
    assert any(BROKEN in html and "left out" in html for html in shown)


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"inspection_id": 2017}, "parameter inspection_id must be text, got int"),
        ({"inspection_id": "Staffordshire"}, "parameter inspection_id"),
        ({"programme": ["omi2"]}, "parameter programme must be text, got list"),
    ],
)
def test_a_parameter_of_the_wrong_kind_is_refused_before_anything_loads(
    use_data, shown, parameters, message
):
    with pytest.raises(ValueError, match=message):
        open_report("inspections", parameters=parameters)
    assert shown == []


def test_empty_and_absent_parameters_are_allowed(use_data, shown):
    report = open_report("inspections", parameters={"programme": None, "population": ""})
    assert "inspections" in report.tables


@pytest.mark.slow
def test_the_reproduction_page_names_an_inspection_left_out(tmp_path, monkeypatch):
    """A plain papermill run over data with one broken inspection: the reader of the page, not
    only the kernel's standard error, is told which inspection is left out and why."""
    papermill = pytest.importorskip("papermill")
    import nbformat

    from probation_inspections.report.shell import notebook_body

    root = Path(__file__).resolve().parents[1]
    frozen = root / "tests" / "digests" / "data"
    data = tmp_path / "data"
    shutil.copytree(frozen / "reference", data / "reference")
    shutil.copytree(
        frozen / "inspections" / "2018-10-west-yorkshire-crc",
        data / "inspections" / "2018-10-west-yorkshire-crc",
    )
    broken = data / "inspections" / "2017-01-staffordshire-stoke"
    shutil.copytree(frozen / "inspections" / "2017-01-staffordshire-stoke", broken)
    needs = broken / "need_sufficiency.csv"
    text = needs.read_text(encoding="utf-8")
    assert ",54," in text
    needs.write_text(text.replace(",54,", ",154,", 1), encoding="utf-8")
    monkeypatch.setenv(config.DATA_DIR_ENV, str(data))
    out = tmp_path / "reproduction.ipynb"
    papermill.execute_notebook(
        str(root / "notebooks" / "reproduction.ipynb"),
        str(out),
        kernel_name="python3",
        progress_bar=False,
        cwd=str(root / "notebooks"),
    )
    page = notebook_body(nbformat.read(out, as_version=4))
    assert "Inspection 2017-01-staffordshire-stoke is left out of this page" in page
    note = page.split("is left out of this page")[1].split("</div>")[0]
    assert "must be between 0 and 100" in note, f"with the rule it breaks: {note}"


def test_a_left_out_warning_raised_again_from_its_message_keeps_the_inspections():
    first = tables.LeftOutWarning([GOOD, BROKEN])
    again = tables.LeftOutWarning(str(first))  # how warnings re-raised by category are made
    assert again.inspection_ids == [GOOD, BROKEN] and str(again) == str(first)


def test_validating_stale_tables_is_said_on_a_terminal_but_not_on_the_page(use_data, shown, capsys):
    open_report("inspections")
    assert "validating" not in capsys.readouterr().err
    assert not any("validating" in html for html in shown)
    shutil.rmtree(config.processed_dir(use_data))
    tables._tables.cache_clear()
    tables.load("inspections")
    assert "validating" in capsys.readouterr().err, "load() outside a page still says so"


def test_a_rule_named_to_readers_drops_its_pattern_and_the_file_to_edit():
    assert setup.rule_for_readers(
        "must be a known label of vocabulary need (data/reference/aliases.csv)"
    ) == ("must be a known label of vocabulary need")
    assert setup.rule_for_readers("must match the pattern ^https?://[^\\s<>\"']+$") == (
        "must be written in the form the data model requires"
    )
    assert setup.rule_for_readers("must be between 0 and 100") == "must be between 0 and 100"
