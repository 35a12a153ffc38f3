"""The notebooks: stored clean, parameterised, and reproducing the report's own tables.

Notebooks are stored without outputs. For nbval, each one is copied to a temporary folder with
the expected output of its `nbval-check-output` cells put in from
tests/notebook_outputs/<notebook>/<cell id>.txt; those files are written from the report text
(Tables 1, 3, 8 and 11 and Appendix 1 of the Staffordshire and Stoke report), so a passing run
means the curated data and the analysis regenerate what the report printed. Every other cell
must run without error (nbval's lax mode).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
EXPECTED = Path(__file__).resolve().parent / "notebook_outputs"
NAMES = tuple(sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")))
CHECK = "nbval-check-output"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def checked_cells(notebook) -> list:
    return [c for c in notebook.cells if CHECK in tags(c)]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_stored_clean_with_a_parameters_cell(name):
    notebook = read(name)
    nbformat.validate(notebook)
    assert (notebook.nbformat, notebook.nbformat_minor) >= (4, 5), "cell ids need nbformat 4.5"
    assert notebook.metadata.get("kernelspec") == KERNELSPEC, (
        "papermill and nbval need the python3 kernelspec"
    )
    assert notebook.cells[0].cell_type == "markdown" and notebook.cells[0].source.startswith(
        "# "
    ), "the first cell is the report's title"
    parameters = [c for c in notebook.cells if "parameters" in tags(c)]
    assert len(parameters) == 1, "exactly one cell tagged `parameters`"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name}: cell {cell.id} is stored with outputs"
            assert cell.execution_count is None, f"{name}: cell {cell.id} has an execution count"
    ids = [c.id for c in notebook.cells]
    assert len(set(ids)) == len(ids), "cell ids are unique"


@pytest.mark.parametrize("name", NAMES)
def test_every_checked_cell_has_an_expected_output_and_no_more(name):
    cells = {c.id for c in checked_cells(read(name))}
    files = {p.stem for p in (EXPECTED / name).glob("*.txt")}
    assert cells, f"{name} has no `{CHECK}` cell"
    assert cells == files, f"{name}: checked cells {sorted(cells)} against files {sorted(files)}"


def with_expected_outputs(name: str) -> nbformat.NotebookNode:
    notebook = read(name)
    for cell in checked_cells(notebook):
        text = (EXPECTED / name / f"{cell.id}.txt").read_text(encoding="utf-8")
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
        cell.execution_count = 1  # nbval ignores outputs of cells marked as never run
    return notebook


def test_notebooks_run_and_reproduce_the_reports_tables_under_nbval(tmp_path):
    for name in NAMES:
        nbformat.write(with_expected_outputs(name), tmp_path / f"{name}.ipynb")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "-p",
            "no:cacheprovider",
            "-q",
            *sorted(str(p) for p in tmp_path.glob("*.ipynb")),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, (
        f"nbval failed (a notebook errors, or a regenerated table differs from the report):\n"
        f"{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
    )


def test_profile_runs_from_papermill_for_a_press_release_inspection(tmp_path):
    papermill = pytest.importorskip("papermill")
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS / "inspection_profile.ipynb"),
        str(out),
        parameters={"inspection_id": "2018-12-staffordshire-west-midlands-crc"},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(NOTEBOOKS),
    )
    executed = nbformat.read(out, as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in tags(c)]
    assert injected and "2018-12-staffordshire-west-midlands-crc" in injected[0].source
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", f"cell {cell.id} failed"
            assert output.get("name") != "stderr", (
                f"cell {cell.id} wrote to stderr (readers would see warnings): {output.get('text')}"
            )
    shown = "".join(
        o.get("data", {}).get("text/html", "") for c in executed.cells for o in c.get("outputs", [])
    )
    (line,) = re.findall(r"Not given in the source: [^<]*", shown)
    assert "need sufficiency" in line and "caseloads" in line, (
        "a press release lacks need tables and caseloads: one line names the sections"
    )
    assert 'id="Caseloads"' not in shown and 'id="Need-sufficiency"' not in shown
    assert "Staffordshire &amp; West Midlands CRC" in shown
