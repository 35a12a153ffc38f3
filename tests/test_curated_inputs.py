"""Curated inputs that must be refused or contained, beyond the corpus of one-defect cases.

Each test names the kind of input a new curator (or someone hostile) could leave in the data
directory, and what the package does with it.
"""

from __future__ import annotations

import errno
import json
import os
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from probation_inspections import cli
from probation_inspections import tables as datasets
from probation_inspections.config import DATA_DIR_ENV
from probation_inspections.curated import scaffold
from probation_inspections.curated.dates import parse_date
from probation_inspections.curated.inspection import read_inspection
from probation_inspections.curated.readers import is_litter, read_yaml
from probation_inspections.curated.schema import DATE_WORDS
from probation_inspections.curated.vocabularies import Reference
from probation_inspections.errors import DataError, DataIssue, display_path, printable
from probation_inspections.validation import validate
from probation_inspections.validation.rules import FORMULA_RE, did_you_mean

ID = "2017-01-test-area"


@pytest.fixture
def use_data(data_root, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(data_root))
    monkeypatch.chdir(data_root)
    datasets._tables.cache_clear()
    yield data_root
    datasets._tables.cache_clear()


def copy_inspection(data_root: Path, new_id: str, published: str) -> Path:
    """A second valid inspection, published in the month its id names."""
    folder = data_root / "inspections" / new_id
    folder.mkdir()
    for path in (data_root / "inspections" / ID).iterdir():
        text = path.read_text().replace(ID, new_id)
        (folder / path.name).write_text(
            text.replace("published: 2017-01-12", f"published: {published}")
        )
    return folder


# Dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2019-02-28", date(2019, 2, 28), date(2019, 2, 28)),
        ("2020-02-29", date(2020, 2, 29), date(2020, 2, 29)),
        ("2019-02", date(2019, 2, 1), date(2019, 2, 28)),
        ("2021", date(2021, 1, 1), date(2021, 12, 31)),
    ],
)
def test_a_curated_date_spans_the_days_it_may_stand_for(text, first, last):
    parsed = parse_date(text)
    assert (parsed.first, parsed.last) == (first, last)


@pytest.mark.parametrize("text", ["2022-02-30", "2019-02-29", "2016-13", "2016-00"])
def test_dates_that_do_not_exist_are_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_date_messages_say_the_accepted_forms_in_words():
    assert "YYYY-MM-DD" in DATE_WORDS and "a month YYYY-MM" in DATE_WORDS
    assert "[0-9]" not in DATE_WORDS and "^" not in DATE_WORDS, "no regular expression"


# YAML text stays text --------------------------------------------------------------------------


def test_yaml_words_numbers_and_dates_in_text_fields_stay_as_written(tmp_path):
    path = tmp_path / "inspection.yaml"
    path.write_text(
        "area: yes\ntitle: .nan\ncoverage: 0x1F\nnotes: 2019-02-30\n"
        "source_title: 1e3\nlicence: no\nfieldwork_end:\nsource_publisher: ~\n"
    )
    data, _ = read_yaml(path)
    assert data == {
        "area": "yes",
        "title": ".nan",
        "coverage": "0x1F",
        "notes": "2019-02-30",
        "source_title": "1e3",
        "licence": "no",
        "fieldwork_end": None,
        "source_publisher": None,
    }


def test_an_area_called_yes_reaches_the_table_as_yes(data_root):
    path = data_root / "inspections" / ID / "inspection.yaml"
    path.write_text(path.read_text().replace("area: Test area", "area: yes"))
    inspection = read_inspection(ID, Reference.load(data_root), data_root)
    assert inspection.tables["inspections"]["area"].iloc[0] == "yes"


# Spreadsheet formulas ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+2", "+44 20", "@SUM(A1)", "\tx", "\rx", "-x", "- list", "-"])
def test_text_a_spreadsheet_would_run_is_caught(text):
    assert FORMULA_RE.match(text)


@pytest.mark.parametrize("text", ["-5", "-0.5", "-.5", "Ch.3", "a = b", "e-mail", "50%"])
def test_negative_numbers_and_ordinary_text_are_not_formulas(text):
    assert not FORMULA_RE.match(text)


def test_a_formula_never_reaches_the_processed_tables(use_data):
    path = use_data / "inspections" / ID / "need_sufficiency.csv"
    path.write_text(path.read_text().replace("Table 11", '=HYPERLINK("x")', 1))
    report = validate(data_root=use_data)
    assert report.failed_ids == [ID]
    with pytest.warns(UserWarning, match="left out"):
        frame = datasets.load("need_sufficiency")
    assert frame.empty


# Files that are not regular files, stray folders, litter --------------------------------------


def test_a_link_is_named_as_the_link_never_by_its_target(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ratings.csv").symlink_to("/etc/passwd")
    assert display_path(tmp_path / "ratings.csv") == "ratings.csv"


def test_a_linked_csv_is_never_read_or_echoed(use_data, capsys):
    secret = use_data.parent / "secret.csv"
    secret.write_text("organisation_type,secret-first-line\n")
    target = use_data / "inspections" / ID / "need_sufficiency.csv"
    target.unlink()
    target.symlink_to(secret)
    code = cli.main(["validate", "--format", "json"])
    out = capsys.readouterr().out
    assert code == 1
    assert "secret" not in out, "nothing outside the data directory appears in a message"
    assert "is a symbolic link" in out


def test_a_stray_folder_is_reported_and_the_inspections_beside_it_stay_valid(data_root):
    (data_root / "inspections" / "untitled folder").mkdir()
    report = validate(data_root=data_root)
    assert report.valid_ids == [ID], "a stray folder never empties the list of inspections"
    assert not report.ok
    assert [str(i) for i in report.skipped] == [
        f"{display_path(data_root / 'inspections' / 'untitled folder')}: folder name is not a "
        "valid inspection id (year-month-area, e.g. 2017-01-staffordshire-stoke)"
    ]


def test_an_unreadable_folder_fails_only_its_own_inspection(data_root, monkeypatch):
    copy_inspection(data_root, "2017-02-other-area", "2017-02-09")
    denied = str(data_root / "inspections" / ID)
    real_listdir = os.listdir

    def listdir(path="."):
        if os.fspath(path) == denied:
            raise PermissionError(errno.EACCES, "Permission denied", denied)
        return real_listdir(path)

    monkeypatch.setattr(os, "listdir", listdir)
    report = validate(data_root=data_root)
    assert report.valid_ids == ["2017-02-other-area"]
    assert [i.rule for i in report.issues[ID]] == ["folder cannot be read (Permission denied)"]


@pytest.mark.parametrize(
    "name",
    [
        ".DS_Store",
        "Thumbs.db",
        "~$ratings.xlsx",
        ".~lock.ratings.csv#",
        ".ipynb_checkpoints",
        "._ratings.csv",
    ],
)
def test_operating_system_litter_is_recognised(name):
    assert is_litter(name)


@pytest.mark.parametrize("name", ["ratings.csv", "inspection.yaml", "notes.txt", "~ratings.csv"])
def test_curated_and_other_files_are_not_litter(name):
    assert not is_litter(name)


def test_litter_is_a_notice_in_json_and_never_fails_the_inspection(use_data, capsys):
    (use_data / "inspections" / ID / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    code = cli.main(["validate", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["valid"] == [ID]
    assert [n["path"] for n in report["notices"]] == [f"inspections/{ID}/.DS_Store"]


# Vocabulary messages -------------------------------------------------------------------------


def test_a_typo_of_a_known_label_is_suggested_and_another_wording_is_not():
    known = {"Requires improvement", "Good", "Inadequate", "Outstanding"}
    assert did_you_mean("Requires improvment", known) == "Requires improvement"
    assert did_you_mean("good", known) == "Good"
    assert did_you_mean("Requiring improvement overall", known) is None
    assert did_you_mean("Very good", known) is None


def test_the_curating_guide_never_asks_for_a_typo_to_become_an_alias():
    guide = (Path(__file__).resolve().parents[1] / "docs" / "curating.md").read_text()
    assert "did you mean" in guide
    assert "never add a misspelling" in guide.lower()


# What the command line prints ----------------------------------------------------------------


def test_terminal_control_characters_in_a_title_are_escaped_by_list(use_data, capsys):
    path = use_data / "inspections" / ID / "inspection.yaml"
    path.write_text(
        path.read_text().replace("title: Test inspection", 'title: "\\e]0;owned\\a\\e[2JTest"')
    )
    code = cli.main(["list"])
    out = capsys.readouterr().out
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert out == f"{ID}\t2017-01-12\t\\x1b]0;owned\\x07\\x1b[2JTest\n"


def test_control_characters_in_a_folder_name_are_escaped_in_messages():
    issue = DataIssue("inspections/evil\x1b[2J", None, None, "folder name is not a valid id")
    assert str(issue) == "inspections/evil\\x1b[2J: folder name is not a valid id"
    assert printable("tab\there") == "tab\\there"


# `new` ---------------------------------------------------------------------------------------


def test_new_refuses_an_id_longer_than_a_folder_name_can_be(use_data, capsys):
    long_id = "2019-03-" + "a" * 300
    code = cli.main(["new", long_id])
    err = capsys.readouterr().err
    assert code == 1
    assert "a folder name has at most 255 bytes" in err
    assert sorted(p.name for p in (use_data / "inspections").iterdir()) == [ID]


@pytest.mark.parametrize("failure", [errno.ENOSPC, errno.EACCES, errno.EROFS])
def test_new_on_a_full_or_unwritable_disk_leaves_nothing_behind(
    use_data, capsys, monkeypatch, failure
):
    real_write = Path.write_text
    written = []

    def write_text(self, *args, **kwargs):
        if written:  # the second file fails: a half-made folder would be left
            raise OSError(failure, os.strerror(failure))
        written.append(self)
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)
    code = cli.main(["new", "2019-03-new-area"])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert err.strip() == (
        f"inspections/2019-03-new-area: cannot be created "
        f"({os.strerror(failure)}); nothing was written"
    )
    assert sorted(p.name for p in (use_data / "inspections").iterdir()) == [ID]


def test_new_in_a_folder_that_cannot_be_written_is_a_message(use_data, capsys, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("tempfile.mkdtemp", refuse)
    assert cli.main(["new", "2019-03-new-area"]) == 1
    assert capsys.readouterr().err.strip() == (
        "inspections/2019-03-new-area: cannot be created (Permission denied); nothing was written"
    )


def test_new_makes_the_whole_folder(use_data):
    folder = scaffold.new_inspection("2019-03-new-area")
    assert folder.name == "2019-03-new-area"
    assert (folder / "inspection.yaml").read_text().count("2019-03-new-area") >= 1
    assert not [p for p in (use_data / "inspections").iterdir() if p.name.startswith(".")]


# load() ---------------------------------------------------------------------------------------


def test_load_with_an_unknown_id_says_so_instead_of_returning_no_rows(use_data):
    with pytest.raises(ValueError, match="no curated inspection has the id: 2019-01-nowhere"):
        datasets.load("need_sufficiency", inspections="2019-01-nowhere")


def test_load_with_an_inspection_that_fails_validation_says_why(use_data):
    other = copy_inspection(use_data, "2017-02-other-area", "2017-02-09")
    path = other / "need_sufficiency.csv"
    path.write_text(path.read_text().replace(",54,", ",540,"))
    with pytest.warns(UserWarning, match="left out"):
        frame = datasets.load("need_sufficiency", inspections=[ID])
    assert set(frame["inspection_id"]) == {ID}
    with pytest.raises(ValueError, match="left out because they break validation rules"):
        datasets.load("need_sufficiency", inspections=["2017-02-other-area"])


def test_load_with_known_ids_returns_their_rows(use_data):
    frame = datasets.load("need_sufficiency", inspections=[ID])
    assert isinstance(frame, pd.DataFrame) and len(frame) == 5


def test_a_yaml_nul_escape_is_refused_like_a_nul_byte(tmp_path):
    path = tmp_path / "inspection.yaml"
    path.write_text('title: "a\\0b"\n')
    with pytest.raises(DataError, match="title: contains a NUL character"):
        read_yaml(path)
