"""The build: validate, write processed tables, run the notebooks with papermill, render HTML.

A broken inspection is reported and skipped (its last good report is kept and marked stale);
every file is written to a temporary name and renamed into place; a task whose inputs have not
changed since its last successful run is skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from . import atomic, config, pages
from .datasets import combine, inputs_fingerprint, write_processed
from .validation import ValidationReport, validate

STATE_FILE = ".build/state.json"
VERSIONED = ("pandas", "numpy", "matplotlib", "seaborn", "papermill", "nbconvert", "nbformat",
             "great-expectations", "scipy", "ipykernel")

COMPARISONS = (
    ("cross_area_ranges", "Scores across areas: lowest, highest and average",
     "Table 1-style ranges regenerated from the curated areas, beside the ranges the reports "
     "published, with coverage and a verdict."),
    ("crc_vs_nps_sufficiency", "CRC and NPS: sufficiency by assessed need",
     "The two organisations' need tables aligned by need, with differences in percentage "
     "points."),
    ("ratings_and_caseloads", "Ratings and caseloads",
     "Ratings across services and time; caseloads and workload findings."),
)


@dataclass(frozen=True)
class Task:
    """One notebook run with one parameter set, rendered to one page."""

    notebook: str
    parameters: tuple[tuple[str, str], ...]
    html: str  # path below reports/
    title: str

    @property
    def name(self) -> str:
        args = ",".join(f"{k}={v}" for k, v in self.parameters)
        return f"{self.notebook}({args})" if args else self.notebook

    @property
    def executed(self) -> str:
        stem = Path(self.html).with_suffix("").as_posix().replace("/", "__")
        return f"notebooks/{stem}.ipynb"

    @property
    def depth(self) -> int:
        return self.html.count("/")


@dataclass
class Outcome:
    task: Task
    status: str  # ran, skipped, failed
    seconds: float = 0.0
    message: str = ""


@dataclass
class BuildResult:
    validation: ValidationReport
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.validation.ok and all(o.status != "failed" for o in self.outcomes)


def plan(report: ValidationReport, only: list[str] | None = None) -> list[Task]:
    """Every report to build: one profile per valid inspection, then the comparisons."""
    tasks = []
    for inspection_id in report.valid_ids:
        if only and inspection_id not in only:
            continue
        meta = report.inspections[inspection_id].tables["inspections"].iloc[0]
        tasks.append(Task("inspection_profile", (("inspection_id", inspection_id),),
                          f"profiles/{inspection_id}.html",
                          f"Inspection profile: {meta['title']}"))
    for notebook, title, _ in COMPARISONS:
        tasks.append(Task(notebook, (), f"{notebook}.html", title))
    return tasks


def _code_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(config.PACKAGE_DIR.rglob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    for name in VERSIONED:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    return digest.hexdigest()


def task_key(task: Task, data_fingerprint: str, code_fingerprint: str) -> str:
    notebook = (config.notebooks_dir() / f"{task.notebook}.ipynb").read_bytes()
    digest = hashlib.sha256(notebook)
    digest.update(json.dumps(task.parameters).encode())
    digest.update(data_fingerprint.encode() + code_fingerprint.encode())
    return digest.hexdigest()


def run_task(task: Task, reports: Path) -> None:
    """Execute the notebook into a temporary folder, then move the notebook and page in place."""
    import nbformat
    import papermill

    source = config.notebooks_dir() / f"{task.notebook}.ipynb"
    with tempfile.TemporaryDirectory(prefix="probation-build-") as tmp:
        executed = Path(tmp) / "executed.ipynb"
        papermill.execute_notebook(
            str(source), str(executed), parameters=dict(task.parameters),
            kernel_name="python3", progress_bar=False, log_output=False,
            cwd=str(config.notebooks_dir()),
            # The kernel talks to this process over loopback only; its start-up notice about
            # unencrypted TCP is noise in build logs.
            extra_arguments=["--IPKernelApp.log_level=ERROR"])
        notebook = nbformat.read(executed, as_version=4)
        html = pages.page(task.title, pages.notebook_body(notebook), depth=task.depth)
    atomic.write_text(reports / task.executed, nbformat.writes(notebook) + "\n")
    atomic.write_text(reports / task.html, html)


def _failure_message(error: BaseException) -> str:
    name = type(error).__name__
    ename, evalue = getattr(error, "ename", None), getattr(error, "evalue", None)
    if ename:
        cell = getattr(error, "exec_count", None)
        return f"{ename}: {evalue}" + (f" (cell {cell})" if cell else "")
    return f"{name}: {error}"


def build(jobs: int | None = None, force: bool = False, only: list[str] | None = None,
          data_root: Path | None = None, reports: Path | None = None,
          echo=print) -> BuildResult:
    """Validate and build every report; returns what ran, what was skipped, what failed."""
    started = time.perf_counter()
    data_root = Path(data_root or config.data_dir()).resolve()
    reports = Path(reports or config.reports_dir()).resolve()
    os.environ[config.DATA_DIR_ENV] = str(data_root)

    echo("validating curated data ...")
    report = validate(data_root=data_root)
    for issue in report.all_issues():
        echo(f"  {issue}")
    echo(f"  {len(report.valid_ids)} inspection(s) valid, {len(report.failed_ids)} failing")

    if not report.general_issues:
        tables = combine({i: report.inspections[i].tables for i in report.valid_ids})
        fingerprint = inputs_fingerprint(data_root)
        write_processed(tables, report.results,
                        {"fingerprint": fingerprint, "inspections": report.valid_ids,
                         "excluded": report.failed_ids}, data_root)
    else:
        fingerprint = ""

    result = BuildResult(report)
    tasks = plan(report, only) if not report.general_issues else []
    state_path = reports / STATE_FILE
    state = {} if force else _read_state(state_path)
    code = _code_fingerprint()
    keys = {t.name: task_key(t, fingerprint, code) for t in tasks}
    todo = []
    for task in tasks:
        fresh = state.get(task.name) == keys[task.name] and (reports / task.html).exists()
        if fresh:
            result.outcomes.append(Outcome(task, "skipped", message="unchanged"))
        else:
            todo.append(task)
    jobs = max(1, jobs or os.cpu_count() or 1)
    echo(f"running {len(todo)} notebook(s), {len(tasks) - len(todo)} unchanged, "
         f"{jobs} at a time ...")
    done = 0
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_timed, run_task, task, reports): task for task in todo}
        for future in as_completed(futures):
            task = futures[future]
            seconds, error = future.result()
            done += 1
            if error is None:
                state[task.name] = keys[task.name]
                _write_state(state_path, state)
                result.outcomes.append(Outcome(task, "ran", seconds))
                echo(f"  [{done}/{len(todo)}] ran {task.name} in {seconds:.1f}s")
            else:
                state.pop(task.name, None)
                _write_state(state_path, state)
                message = _failure_message(error)
                result.outcomes.append(Outcome(task, "failed", seconds, message))
                echo(f"  [{done}/{len(todo)}] FAILED {task.name}: {message}")

    _write_index(result, reports)
    elapsed = time.perf_counter() - started
    counts = {s: sum(o.status == s for o in result.outcomes) for s in ("ran", "skipped",
                                                                        "failed")}
    echo(f"built in {elapsed:.1f}s: {counts['ran']} ran, {counts['skipped']} unchanged, "
         f"{counts['failed']} failed; open {reports / 'index.html'}")
    return result


def _timed(function, *args):
    started = time.perf_counter()
    try:
        function(*args)
    except Exception as error:  # noqa: BLE001 - a failed notebook must not stop the others
        return time.perf_counter() - started, error
    return time.perf_counter() - started, None


def _read_state(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_state(path: Path, state: dict) -> None:
    atomic.write_text(path, json.dumps(state, indent=1, sort_keys=True) + "\n")


def _write_index(result: BuildResult, reports: Path) -> None:
    report = result.validation
    failed_tasks = {o.task.html: o.message for o in result.outcomes if o.status == "failed"}
    entries = []
    for inspection_id in sorted(report.inspections):
        inspection = report.inspections[inspection_id]
        meta_frame = inspection.tables.get("inspections")
        meta = meta_frame.iloc[0].to_dict() if meta_frame is not None else {}
        href = f"profiles/{inspection_id}.html"
        exists = (reports / href).exists()
        issues = [str(i) for i in report.issues.get(inspection_id, [])]
        if href in failed_tasks:
            issues.append(f"report failed to build: {failed_tasks[href]}")
        if not issues:
            status = "ok"
        else:
            status = "stale" if exists else "failed"
        entries.append(pages.IndexEntry(
            inspection_id, _text(meta.get("title")) or inspection_id,
            _text(meta.get("area")), _text(meta.get("programme")),
            _text(meta.get("published")), status, href if exists else None, issues))
    comparisons = []
    for notebook, title, what in COMPARISONS:
        href = f"{notebook}.html"
        status = "ok" if href not in failed_tasks else "failed to build"
        if not (reports / href).exists():
            status = "not built"
        comparisons.append((title, href, what, status))
    total = len(report.results)
    passed = int(report.results["success"].sum()) if total else 0
    summary = (f"{len(report.valid_ids)} of {len(report.inspections)} inspection(s) pass "
               f"validation; {passed} of {total} rule checks passed.")
    atomic.write_text(reports / "index.html", pages.index_page(entries, comparisons, summary))
    issues = {i: [str(x) for x in v] for i, v in report.issues.items() if v}
    atomic.write_text(reports / "validation.html", pages.validation_page(
        report.results, issues, [str(i) for i in report.general_issues]))
    atomic.write_text(reports / "validation.json", json.dumps(
        {"valid": report.valid_ids, "failed": report.failed_ids,
         "issues": [i.to_dict() for i in report.all_issues()]}, indent=2) + "\n")


def _text(value) -> str:
    if value is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(0 if build().ok else 1)
