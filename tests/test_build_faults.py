"""Faults a build must survive: files edited while it reads them, broken caches, write errors,
Ctrl-C, failing notebooks, and pages kept from an earlier build.

Most tests drive the build's stages in this process on the small fixture of conftest.py (no
notebook runs); the Ctrl-C test runs a real build and is marked slow.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from probation_inspections import cli
from probation_inspections.build import pipeline, site
from probation_inspections.build.kernels import NotebookFailed, check_parameters, describe_failure
from probation_inspections.build.pipeline import BuildResult
from probation_inspections.build.tasks import Outcome, Task
from probation_inspections.config import DATA_DIR_ENV, REPORTS_DIR_ENV
from probation_inspections.fingerprint import Inputs, code_fingerprint
from probation_inspections.report import shell
from probation_inspections.report.stamp import Stamp
from probation_inspections.validation import incremental, suites

ROOT = Path(__file__).resolve().parents[1]
ID = "2017-01-test-area"


def check(data_root: Path, lines: list[str] | None = None, **kwargs):
    """Validate as the build does (results reused when nothing changed), echo into `lines`."""
    echo = (lines if lines is not None else []).append
    return incremental.check_data(
        data_root, Inputs(data_root), code_fingerprint(), False, echo, **kwargs
    )


@pytest.fixture
def use_data(data_root, monkeypatch, tmp_path):
    monkeypatch.setenv(DATA_DIR_ENV, str(data_root))
    monkeypatch.setenv(REPORTS_DIR_ENV, str(tmp_path / "reports"))
    monkeypatch.chdir(tmp_path)
    return data_root


# Inputs that change or break while the build reads them -----------------------------------------


def test_a_csv_edited_while_it_is_validated_stops_the_build_and_writes_nothing(
    data_root, monkeypatch
):
    real = suites.validate
    path = data_root / "inspections" / ID / "need_sufficiency.csv"

    def validate_then_edit(*args, **kwargs):
        report = real(*args, **kwargs)
        path.write_text(path.read_text().replace(",54,", ",55,"))  # a curator saves meanwhile
        return report

    monkeypatch.setattr(suites, "validate", validate_then_edit)
    checked = check(data_root)
    assert checked.general_issues == [
        f"inspections/{ID}/need_sufficiency.csv: changed while the build was reading the "
        "curated files; nothing was written: run the build again"
    ]
    assert not (data_root / "processed").exists(), (
        "processed tables must never claim to be current for inputs they were not built from"
    )


def test_the_processed_tables_are_fingerprinted_as_they_were_read(data_root):
    from probation_inspections.fingerprint import dataset_fingerprint
    from probation_inspections.tables import read_manifest

    check(data_root)
    assert read_manifest(data_root)["fingerprint"] == dataset_fingerprint(data_root)


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_a_missing_or_corrupt_validation_cache_is_rebuilt(data_root, damage):
    first = check(data_root)
    cache = data_root / "processed" / "validation_results.parquet"
    if damage == "missing":
        cache.unlink()
    else:
        cache.write_bytes(b"PAR1 not really parquet")
    lines = []
    again = check(data_root, lines)
    assert again.valid_ids == first.valid_ids == [ID]
    assert not any("reused" in line for line in lines[:1]), lines
    assert len(again.results) == len(first.results)


def test_an_unchanged_broken_inspection_still_prints_its_problems(data_root):
    path = data_root / "inspections" / ID / "need_sufficiency.csv"
    path.write_text(path.read_text().replace(",54,", ",540,"))
    check(data_root)
    lines = []
    checked = check(data_root, lines)
    assert lines[0] == "curated data unchanged since the last build: validation results reused"
    assert checked.failed_ids == [ID] and not checked.ok
    assert any(
        "need_sufficiency.csv:2 percent_sufficient=540: must be between 0 and 100" in line
        for line in lines
    ), lines


def test_a_stray_folder_is_reported_and_the_inspections_beside_it_are_built(data_root):
    (data_root / "inspections" / "untitled folder").mkdir()
    checked = check(data_root)
    assert checked.valid_ids == [ID]
    assert len(checked.skipped) == 1
    assert checked.skipped[0].endswith(
        "inspections/untitled folder: folder name is not a "
        "valid inspection id (year-month-area, e.g. 2017-01-"
        "staffordshire-stoke)"
    )
    assert not checked.ok
    assert (data_root / "processed" / "need_sufficiency.csv").exists()


def test_a_broken_vocabulary_stops_the_build_before_anything_is_written(
    data_root, tmp_path, monkeypatch
):
    monkeypatch.setenv(DATA_DIR_ENV, str(data_root))  # the build points its kernels there
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "index.html").write_text("the published site")
    path = data_root / "reference" / "rating_scales.csv"
    path.write_text(
        path.read_text().replace("inadequate,Inadequate,4", "inadequate,Inadequate,4.0")
    )
    lines = []
    result = pipeline.build(data_root=data_root, reports=reports, echo=lines.append)
    assert not result.ok
    assert any("rating_scales.csv:5 rank=4.0: must be a whole number" in line for line in lines)
    assert lines[-1] == "nothing was built or written: the problems above must be fixed first"
    assert sorted(p.name for p in reports.iterdir()) == ["index.html"]
    assert (reports / "index.html").read_text() == "the published site"
    assert not (data_root / "processed").exists()


#: The stamp of the pages these tests write (a fixed date and commit).
STAMP = Stamp.from_environment({"SOURCE_DATE_EPOCH": "0", "PROBATION_INSPECTIONS_COMMIT": "0"})


def write_site(result: BuildResult, reports: Path, data_root: Path) -> None:
    site.write_site(result, reports, data_root, STAMP)


def test_a_linked_csv_never_reaches_the_pages_or_the_manifest(data_root, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("organisation_type,top-secret-first-line\n")
    target = data_root / "inspections" / ID / "need_sufficiency.csv"
    target.unlink()
    target.symlink_to(secret)
    checked = check(data_root)
    reports = tmp_path / "reports"
    write_site(BuildResult(checked), reports, data_root)
    written = [
        reports / "index.html",
        reports / "validation.html",
        reports / "validation.json",
        data_root / "processed" / "manifest.json",
    ]
    for path in written:
        if path.exists():
            assert "top-secret" not in path.read_text(), path
    assert "is a symbolic link" in (reports / "validation.html").read_text()


# Write errors ---------------------------------------------------------------------------------


def test_a_reports_path_that_is_a_file_is_one_line_and_exit_1(
    use_data, tmp_path, capsys, monkeypatch
):
    (tmp_path / "reports").write_text("not a folder")
    assert cli.main(["build"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert err.strip().endswith("the reports folder cannot be written (File exists)")


def test_a_read_only_reports_folder_is_one_line_and_exit_1(use_data, capsys, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(pipeline.tempfile, "TemporaryFile", read_only)
    assert cli.main(["build"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.endswith("the reports folder cannot be written (Read-only file system)"), err
    assert len(err.splitlines()) == 1


def test_a_reports_folder_inside_the_data_folder_is_refused(use_data, capsys, monkeypatch):
    monkeypatch.setenv(REPORTS_DIR_ENV, str(use_data / "inspections" / "reports"))
    assert cli.main(["build"]) == 1
    err = capsys.readouterr().err.strip()
    assert "the reports folder must not be inside the data folder" in err
    assert not (use_data / "inspections" / "reports").exists()


def test_a_full_disk_during_a_build_is_one_line_and_exit_1(use_data, capsys, monkeypatch):
    def full(**kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "reports/index.html")

    monkeypatch.setattr("probation_inspections.build.build", full)
    assert cli.main(["build"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        "build failed: reports/index.html: No space left on device; nothing was "
        "replaced by a partial file"
    )


# Usage -----------------------------------------------------------------------------------------


def test_build_of_an_id_no_inspection_has_exits_2_naming_it(use_data, capsys):
    assert cli.main(["build", "2019-01-nowhere"]) == 2
    assert capsys.readouterr().err.strip() == (
        "no curated inspection has the id 2019-01-nowhere (see `probation-inspections list`)"
    )


def test_the_cell_timeout_must_be_positive(use_data, capsys):
    assert cli.main(["build", "--cell-timeout", "0"]) == 2
    assert "--cell-timeout" in capsys.readouterr().err


def test_docs_with_a_scratch_data_directory_never_rewrites_the_repository_docs(use_data, capsys):
    docs = ROOT / "docs"
    before = {p.name: p.read_bytes() for p in docs.glob("*.md")}
    assert cli.main(["docs"]) == 2
    assert "nothing written" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in docs.glob("*.md")} == before


# Notebook failures -----------------------------------------------------------------------------


def test_notebook_failures_are_named_for_what_they_are():
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Title"),
            nbformat.v4.new_code_cell("x = 1"),
            nbformat.v4.new_code_cell(
                "1 / 0",
                outputs=[
                    nbformat.v4.new_output(
                        "error", ename="ZeroDivisionError", evalue="division by zero", traceback=[]
                    )
                ],
            ),
        ]
    )
    error = Exception("cell failed")
    error.ename, error.evalue = "ZeroDivisionError", "division by zero"
    assert describe_failure(error, notebook) == "cell 3 raised ZeroDivisionError: division by zero"
    assert (
        describe_failure(DeadKernelError("Kernel died"))
        == "the kernel died while running the notebook (out of memory, or killed)"
    )
    running = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "import time; time.sleep(9)", metadata={"execution": {"iopub.execute_input": "t"}}
            )
        ]
    )
    assert (
        describe_failure(CellTimeoutError("timed out"), running, 30)
        == "cell 1 timed out after 30 s (a longer limit: build --cell-timeout SECONDS)"
    )


def test_a_parameter_the_notebook_does_not_declare_is_refused(tmp_path):
    source = tmp_path / "report.ipynb"
    cell = nbformat.v4.new_code_cell("inspection_id = None", metadata={"tags": ["parameters"]})
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nbformat.v4.new_notebook(cells=[cell], metadata=kernel), source)
    check_parameters(source, {"inspection_id": "2017-01-x"})
    with pytest.raises(
        NotebookFailed,
        match="report.ipynb has no parameter inspection_idd; its parameters: inspection_id",
    ):
        check_parameters(source, {"inspection_idd": "2017-01-x"})


def test_a_failed_report_of_valid_data_is_never_called_a_validation_failure(data_root, tmp_path):
    checked = check(data_root)
    reports = tmp_path / "reports"
    task = Task("inspection_profile", (("inspection_id", ID),), f"profiles/{ID}.html", "Profile")
    outcome = Outcome(task, "failed", 1.0, "cell 4 timed out after 600 s")
    write_site(BuildResult(checked, [outcome]), reports, data_root)
    index = (reports / "build.html").read_text()  # the build status page, for maintainers
    assert "not built: the report failed to build" in index
    assert "data fails validation" not in index and "data now fails validation" not in index
    assert "cell 4 timed out after 600 s" in index


def test_a_kept_page_says_on_itself_that_it_is_stale_and_why(data_root, tmp_path):
    reports = tmp_path / "reports"
    page = reports / "profiles" / f"{ID}.html"
    page.parent.mkdir(parents=True)
    page.write_text(shell.report_page("Profile", "<p>the numbers of last week</p>", STAMP, depth=1))
    path = data_root / "inspections" / ID / "need_sufficiency.csv"
    path.write_text(path.read_text().replace(",54,", ",540,"))
    write_site(BuildResult(check(data_root)), reports, data_root)
    text = page.read_text()
    assert "Out of date</strong>: last good report kept: data now fails validation" in text
    assert "percent_sufficient=540: must be between 0 and 100" in text
    assert text.count(site.STALE_START) == 1
    write_site(BuildResult(check(data_root)), reports, data_root)  # again: one notice, not two
    assert page.read_text().count(site.STALE_START) == 1
    path.write_text(path.read_text().replace(",540,", ",54,"))
    write_site(BuildResult(check(data_root)), reports, data_root)
    assert site.STALE_START not in page.read_text(), "a current page carries no notice"
    assert "<p>the numbers of last week</p>" in page.read_text()


# Figures ----------------------------------------------------------------------------------------


def test_a_dollar_in_curated_text_is_drawn_literally_and_never_fails_a_figure():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from probation_inspections.report.figures import figure_png

    fig, ax = plt.subplots()
    ax.set_title("$5m to $3m")
    ax.set_yticks([0, 1], ["$\\notacommand$", "an area"])
    assert figure_png(fig).startswith(b"\x89PNG")
    assert not ax.title.get_parse_math()
    plt.close(fig)


# Ctrl-C ----------------------------------------------------------------------------------------


def _marked(marker: str) -> list[int]:
    found = []
    needle = f"PROBATION_CTRL_C_TEST={marker}".encode()
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if (
                    needle in (proc / "environ").read_bytes().split(b"\0")
                    and (proc / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
                ):
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


#: Runs the command given after it with Ctrl-C (SIGINT) at its default, whatever was inherited.
DEFAULT_CTRL_C = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_ctrl_c_stops_a_build_with_one_line_exit_130_and_no_kernel_left(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    for inspection_id in ("2017-01-staffordshire-stoke", "2018-10-west-yorkshire-crc"):
        shutil.copytree(
            ROOT / "data" / "inspections" / inspection_id, data / "inspections" / inspection_id
        )
    marker = uuid.uuid4().hex
    env = {
        **os.environ,
        DATA_DIR_ENV: str(data),
        REPORTS_DIR_ENV: str(tmp_path / "reports"),
        "PROBATION_CTRL_C_TEST": marker,
        "PYTHONUNBUFFERED": "1",
    }
    script = Path(sys.executable).with_name("probation-inspections")
    process = subprocess.Popen(
        # As from a terminal: a suite started in the background by a shell without job control
        # inherits Ctrl-C ignored, and Python then leaves it ignored in the build too.
        [sys.executable, "-c", DEFAULT_CTRL_C, str(script), "build", "--jobs", "2"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        for line in process.stdout:
            # The first report is written: both kernels are up and the other reports are still to
            # run (a fixed sleep here could outlast the whole run on a fast machine).
            if re.match(r"^\s*1/\d+ ", line) or time.monotonic() > deadline:
                break
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends
        code = process.wait(timeout=60)
        err = process.stderr.read()
        assert code == 130, err
        assert "Traceback" not in err
        assert err.strip().splitlines()[-1].startswith("interrupted: build stopped")
        deadline = time.monotonic() + 15
        while _marked(marker) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _marked(marker), "a kernel outlived the interrupted build"
    finally:
        for pid in _marked(marker):
            os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            process.kill()
