"""`validate` after a build: unchanged inspections keep the build's results, and say the same.

A curator who runs `probation-inspections validate` after a build, with nothing changed, gets
exactly what a fresh run prints (text and JSON, same exit code) in a fraction of the time: the
build stored each inspection's problems and notices with its fingerprint, and only inspections
whose files, vocabularies or code changed are validated again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from probation_inspections import cli
from probation_inspections.config import DATA_DIR_ENV
from probation_inspections.fingerprint import Inputs, code_fingerprint
from probation_inspections.validation import incremental, suites
from test_corpus import build_case

ROOT = Path(__file__).resolve().parents[1]
ID = "2017-01-test-area"
OTHER = "2018-01-other-area"


def run_validate(data_root: Path, monkeypatch, capsys, *args: str) -> dict[str, tuple]:
    """`validate` in text and in JSON: (exit code, stdout, stderr) of each."""
    monkeypatch.setenv(DATA_DIR_ENV, str(data_root))
    printed = {}
    for name, extra in (("text", []), ("json", ["--format", "json"])):
        code = cli.main(["validate", *args, *extra])
        out, err = capsys.readouterr()
        printed[name] = (code, out, err)
    return printed


def build_validation(data_root: Path, monkeypatch) -> None:
    """The build's validation stage on the data directory in use, which stores every
    inspection's results."""
    monkeypatch.setenv(DATA_DIR_ENV, str(data_root))
    incremental.check_data(data_root, Inputs(data_root), code_fingerprint(), False, lambda _: None)


@pytest.fixture
def validated(monkeypatch) -> list[str]:
    """The inspections validated from here on (the others' results were reused)."""
    seen: list[str] = []
    real = suites.validate

    def spy(*args, **kwargs):
        report = real(*args, **kwargs)
        seen.extend(report.inspections)
        return report

    monkeypatch.setattr(suites, "validate", spy)
    return seen


def add_inspection(data_root: Path, inspection_id: str = OTHER) -> None:
    """A second valid inspection, copied from the first (its id names its publication month)."""
    folder = data_root / "inspections" / inspection_id
    folder.mkdir()
    for path in (data_root / "inspections" / ID).iterdir():
        (folder / path.name).write_text(
            path.read_text()
            .replace(ID, inspection_id)
            .replace("published: 2017-01-12", "published: 2018-01-12")
        )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, path
    path.write_text(text.replace(old, new))


def test_validate_after_a_build_prints_what_a_fresh_validate_prints(
    data_root, monkeypatch, capsys, validated
):
    add_inspection(data_root)
    cold = run_validate(data_root, monkeypatch, capsys)
    build_validation(data_root, monkeypatch)
    validated.clear()
    warm = run_validate(data_root, monkeypatch, capsys)
    assert validated == [], "nothing changed: no inspection is validated again"
    assert warm == cold
    assert cold["text"][0] == 0
    assert cold["text"][1].startswith("2 inspection(s) valid, 0 failing;")


@pytest.mark.parametrize(
    "case",
    [
        "rule-range-percent-over-100",  # a broken rule, located
        "file-litter-ds-store",  # a notice only, exit 0
        "yaml-missing-file",  # a message that says where data is looked for
        "folder-name-not-an-id",  # a stray folder beside the inspection
    ],
)
def test_a_broken_inspection_reads_the_same_after_a_build(
    case, tmp_path, monkeypatch, capsys, validated
):
    data_root = tmp_path / "data"
    build_case(case, data_root)
    monkeypatch.chdir(data_root)
    cold = run_validate(data_root, monkeypatch, capsys)
    build_validation(data_root, monkeypatch)
    validated.clear()
    warm = run_validate(data_root, monkeypatch, capsys)
    assert validated == []
    assert warm == cold
    code, out, err = cold["text"]
    expected = (ROOT / "tests" / "corpus" / case / "expected.txt").read_text().splitlines()
    assert [line for line in (out + err).splitlines() if "rule checks" not in line] == expected
    assert json.loads(cold["json"][1])["issues"] or code == 0


def test_messages_name_files_from_where_validate_runs_not_where_the_build_ran(
    data_root, tmp_path, monkeypatch, capsys, validated
):
    edit(data_root / "inspections" / ID / "need_sufficiency.csv", ",54,", ",540,")
    monkeypatch.chdir(tmp_path)  # the build names data/inspections/...
    build_validation(data_root, monkeypatch)
    monkeypatch.chdir(data_root)  # validate names inspections/...
    validated.clear()
    warm = run_validate(data_root, monkeypatch, capsys)
    assert validated == []
    shutil.rmtree(data_root / "processed")
    assert warm == run_validate(data_root, monkeypatch, capsys)
    assert warm["text"][1].startswith(
        f"inspections/{ID}/need_sufficiency.csv:2 percent_sufficient=540: must be between"
    )


def test_editing_one_csv_validates_only_that_inspection_and_shows_its_problem(
    data_root, monkeypatch, capsys, validated
):
    add_inspection(data_root)
    build_validation(data_root, monkeypatch)
    edit(
        data_root / "inspections" / OTHER / "need_sufficiency.csv",
        "Drug misuse,2,81",
        "Drug misuse,2,181",
    )
    validated.clear()
    warm = run_validate(data_root, monkeypatch, capsys)
    assert validated == [OTHER, OTHER], "text, then JSON: only the edited inspection"
    code, out, _ = warm["text"]
    assert code == 1
    assert (
        f"{OTHER}/need_sufficiency.csv:3 percent_sufficient=181: must be between 0 and 100" in out
    )
    assert "1 inspection(s) valid, 1 failing" in out
    shutil.rmtree(data_root / "processed")
    assert warm == run_validate(data_root, monkeypatch, capsys)


def test_a_changed_vocabulary_validates_every_inspection_again(
    data_root, monkeypatch, capsys, validated
):
    add_inspection(data_root)
    build_validation(data_root, monkeypatch)
    # Both inspections write the NPS need as "Drugs": renamed in the vocabulary, both fail.
    edit(data_root / "reference" / "needs.csv", "drugs,Drugs,", "drugs,Drug use,")
    validated.clear()
    warm = run_validate(data_root, monkeypatch, capsys, "--format", "json")
    assert sorted(validated) == [ID, ID, OTHER, OTHER]
    failed = json.loads(warm["json"][1])["failed"]
    assert failed == [ID, OTHER]
    shutil.rmtree(data_root / "processed")
    assert warm == run_validate(data_root, monkeypatch, capsys, "--format", "json")


def test_a_folder_added_inside_an_inspection_after_the_build_is_reported(
    data_root, monkeypatch, capsys, validated
):
    build_validation(data_root, monkeypatch)
    (data_root / "inspections" / ID / "scans").mkdir()
    validated.clear()
    code, out, _ = run_validate(data_root, monkeypatch, capsys)["text"]
    assert validated == [ID, ID], "validated again, for the text and for the JSON"
    assert code == 1
    assert f"{ID}/scans: is a folder: is not a file of the data model" in out


def test_validate_of_named_inspections_reuses_theirs(data_root, monkeypatch, capsys, validated):
    add_inspection(data_root)
    edit(data_root / "inspections" / ID / "need_sufficiency.csv", ",54,", ",540,")
    cold = run_validate(data_root, monkeypatch, capsys, ID)
    build_validation(data_root, monkeypatch)
    validated.clear()
    warm = run_validate(data_root, monkeypatch, capsys, ID)
    assert validated == []
    assert warm == cold
    assert json.loads(warm["json"][1])["failed"] == [ID]


@pytest.mark.parametrize(
    "damage",
    [
        "manifest not JSON",
        "stored results damaged",
        "stored results of another shape",
        "stored problem without a file name",
    ],
)
def test_a_missing_or_damaged_store_means_validating_afresh(
    damage, data_root, monkeypatch, capsys, validated
):
    edit(data_root / "inspections" / ID / "need_sufficiency.csv", ",54,", ",540,")
    cold = run_validate(data_root, monkeypatch, capsys)
    build_validation(data_root, monkeypatch)
    manifest = data_root / "processed" / "manifest.json"
    stored = json.loads(manifest.read_text())
    if damage == "manifest not JSON":
        manifest.write_text('{"records": ')
    elif damage == "stored results damaged":
        stored["records"][ID]["issues"] = "not a list"
        manifest.write_text(json.dumps(stored))
    elif damage == "stored results of another shape":
        stored["records"] = [stored["records"]]
        manifest.write_text(json.dumps(stored))
    else:
        stored["records"][ID]["issues"][0]["path"] = None
        manifest.write_text(json.dumps(stored))
    validated.clear()
    assert run_validate(data_root, monkeypatch, capsys) == cold
    assert validated == [ID, ID]


def test_validate_after_a_build_does_not_start_great_expectations(data_root, tmp_path, monkeypatch):
    """Checked in a new process: importing Great Expectations is most of a cold validate."""
    build_validation(data_root, monkeypatch)
    script = (
        "import sys; from probation_inspections import cli; code = cli.main(['validate']); "
        "print('great_expectations' in sys.modules, code)"
    )
    env = {**os.environ, DATA_DIR_ENV: str(data_root)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    lines = done.stdout.splitlines()
    assert lines[0].startswith("1 inspection(s) valid, 0 failing;"), done.stdout + done.stderr
    assert lines[-1] == "False 0", "unchanged: Great Expectations never imported"
    (data_root / "inspections" / ID / "notes.txt").write_text("a curator's note")
    again = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert again.stdout.splitlines()[-1] == "True 1", "a changed inspection is validated"


@pytest.mark.slow
def test_the_shipped_data_reads_the_same_after_a_build(tmp_path, monkeypatch, capsys):
    data_root = tmp_path / "data"
    for folder in ("reference", "inspections"):
        shutil.copytree(ROOT / "data" / folder, data_root / folder)
    monkeypatch.chdir(tmp_path)
    cold = run_validate(data_root, monkeypatch, capsys)
    build_validation(data_root, monkeypatch)
    assert run_validate(data_root, monkeypatch, capsys) == cold
    assert cold["text"][0] == 0


def test_results_kept_from_an_earlier_build_equal_those_of_validating_everything(
    data_root, monkeypatch
):
    add_inspection(data_root)
    edit(data_root / "inspections" / ID / "need_sufficiency.csv", ",54,", ",540,")
    build_validation(data_root, monkeypatch)
    edit(data_root / "inspections" / OTHER / "need_sufficiency.csv", ",81,", ",82,")
    build_validation(data_root, monkeypatch)  # the other validated again, the first kept
    manifest = data_root / "processed" / "manifest.json"
    kept = json.loads(manifest.read_text())
    incremental.check_data(data_root, Inputs(data_root), code_fingerprint(), True, lambda _: None)
    assert kept["records"] == json.loads(manifest.read_text())["records"]
    assert kept["records"][ID]["issues"][0]["path"] == f"inspections/{ID}/need_sufficiency.csv"


def test_validation_in_a_child_process_finds_writes_and_says_what_it_does_in_process(
    data_root, tmp_path, monkeypatch
):
    """A build of many inspections validates in a child process (`check_data_apart`), which
    hands back what it found and echoes its lines as they come; small data shows it is the same
    validation."""
    add_inspection(data_root)
    edit(data_root / "inspections" / ID / "need_sufficiency.csv", ",54,", ",540,")
    monkeypatch.setenv(DATA_DIR_ENV, str(data_root))
    twin = tmp_path / "twin"
    shutil.copytree(data_root, twin)
    here_lines: list[str] = []
    apart_lines: list[str] = []
    here = incremental.check_data(
        data_root, Inputs(data_root), code_fingerprint(), False, here_lines.append
    )
    monkeypatch.setenv(DATA_DIR_ENV, str(twin))
    apart = incremental.check_data_apart(
        twin, Inputs(twin), code_fingerprint(), False, apart_lines.append
    )
    assert (apart.valid_ids, apart.failed_ids) == (here.valid_ids, here.failed_ids)
    assert apart.failed_ids == [ID]
    assert apart.results.equals(here.results)
    assert [line.replace(str(twin), "DATA") for line in apart_lines] == [
        line.replace(str(data_root), "DATA") for line in here_lines
    ]
    for table in ("need_sufficiency.csv", "validation_results.csv", "manifest.json"):
        assert (twin / "processed" / table).exists(), table
    assert (twin / "processed" / "need_sufficiency.csv").read_bytes() == (
        data_root / "processed" / "need_sufficiency.csv"
    ).read_bytes()


def test_a_data_error_crosses_from_the_child_process_whole():
    import pickle

    from probation_inspections.errors import DataError, DataIssue

    error = DataError([DataIssue("inspections/x/ratings.csv", 3, "rating", "not a rating", "A")])
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 - bytes made just above
    assert isinstance(again, DataError) and again.issues == error.issues
    assert str(again) == str(error)
