"""The build: validate, write processed tables, run the notebooks, render HTML pages.

- Incremental: a task (one notebook with one parameter set) is skipped when the hash of what it
  reads (its notebook, the package code, the library versions, the curated files of the tables it
  reads) matches its last successful run; likewise an inspection is validated again only when
  its files, the reference files or the package code changed since the last build.
- Parallel: tasks run on `jobs` workers, each keeping one warm kernel (see kernels.py).
- Robust: a broken inspection is reported and skipped, its last good report kept and marked stale;
  every file is written to a temporary name and renamed into place.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from . import atomic, config, pages

STATE_FILE = ".build/state.json"
VERSIONED = ("pandas", "numpy", "matplotlib", "seaborn", "papermill", "nbconvert", "nbformat",
             "nbclient", "great-expectations", "scipy", "ipykernel", "pyarrow")

#: Tables every report reads besides its own (titles, dates, programmes).
ALWAYS_READ = ("inspections",)


@dataclass(frozen=True)
class Comparison:
    notebook: str
    title: str
    what: str
    reads: tuple[str, ...]  # tables it loads; tests/test_build.py checks the list is complete


COMPARISONS = (
    Comparison("cross_area_ranges", "Scores across areas: lowest, highest and average",
               "Table 1-style ranges regenerated from the curated areas, beside the ranges the "
               "reports published, with coverage and a verdict.",
               ("domain_scores", "published_aggregates", "organisations")),
    Comparison("crc_vs_nps_sufficiency", "CRC and NPS: sufficiency by assessed need",
               "The two organisations' need tables aligned by need, with differences in "
               "percentage points.",
               ("need_sufficiency", "organisations")),
    Comparison("reproduction", "Published figures, reproduced",
               "Every count, range or total the Inspectorate published about a group of "
               "services, recomputed from the curated inspections, with coverage and a verdict.",
               ("published_aggregates", "organisations", "ratings", "domain_scores")),
    Comparison("ratings_and_caseloads", "Ratings and caseloads",
               "Ratings across services and time; caseloads and workload findings.",
               ("ratings", "organisations", "caseloads", "key_facts", "judgements",
                "published_aggregates")),
)


@dataclass(frozen=True)
class Task:
    """One notebook run with one parameter set, rendered to one page."""

    notebook: str
    parameters: tuple[tuple[str, str], ...]
    html: str  # path below reports/
    title: str
    reads: tuple[str, ...] | None = None  # None: every table of one inspection (a profile)

    @property
    def name(self) -> str:
        args = ",".join(f"{k}={v}" for k, v in self.parameters)
        return f"{self.notebook}({args})" if args else self.notebook

    @property
    def inspection_id(self) -> str | None:
        return dict(self.parameters).get("inspection_id") if self.reads is None else None

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
    status: str  # ran, skipped, failed, planned
    seconds: float = 0.0
    message: str = ""


@dataclass
class Checked:
    """What validation found, freshly or from the last build when no curated file changed."""

    valid_ids: list[str]
    failed_ids: list[str]
    issues: dict[str, list[str]]
    general_issues: list[str]
    meta: dict[str, dict]  # inspection id -> title, area, programme, published, kind
    results: object  # pandas DataFrame of rule results
    validated: list[str] | None = None  # the inspections validated by this build ([]: none)

    @property
    def ok(self) -> bool:
        return not self.general_issues and not self.failed_ids


@dataclass
class BuildResult:
    validation: Checked
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.validation.ok and all(o.status != "failed" for o in self.outcomes)


# Hashes ----------------------------------------------------------------------------------------

def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "little") + part)
    return digest.hexdigest()


def _files_digest(paths) -> str:
    return _digest(*(p.name.encode() + b"\0" + p.read_bytes() for p in sorted(paths)))


def code_fingerprint() -> str:
    """The package's code and the versions of the libraries that shape a report."""
    parts = [p.relative_to(config.PACKAGE_DIR).as_posix().encode() + p.read_bytes()
             for p in sorted(config.PACKAGE_DIR.rglob("*")) if p.is_file()
             and p.suffix in (".py", ".yaml") and "__pycache__" not in p.parts
             and "_bundled" not in p.parts]  # the data an installed package carries
    for name in VERSIONED:
        try:
            parts.append(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=none".encode())
    return _digest(*parts)


@dataclass
class Inputs:
    """Hashes of the curated files, by inspection and table, read once per build."""

    data_root: Path

    def __post_init__(self) -> None:
        root = config.inspections_dir(self.data_root)
        self.files: dict[str, dict[str, str]] = {}
        for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
            self.files[folder.name] = {p.name: _files_digest([p])
                                       for p in folder.iterdir() if p.is_file()}
        reference = config.reference_dir(self.data_root)
        self.reference = _files_digest([p for p in reference.glob("*") if p.is_file()]) \
            if reference.is_dir() else ""

    def inspection(self, inspection_id: str) -> str:
        return _digest(json.dumps(self.files.get(inspection_id, {}), sort_keys=True).encode())

    def tables(self, tables) -> str:
        wanted = {"inspection.yaml"} | {f"{t}.csv" for t in tables}
        chosen = {i: {n: h for n, h in files.items() if n in wanted}
                  for i, files in self.files.items()}
        return _digest(json.dumps(chosen, sort_keys=True).encode())

    def everything(self) -> str:
        return _digest(json.dumps(self.files, sort_keys=True).encode(), self.reference.encode())


def task_key(task: Task, inputs: Inputs, code: str, valid_ids: list[str]) -> dict[str, str]:
    """What a task's output depends on, by component (so a rebuild can say why)."""
    notebook = (config.notebooks_dir() / f"{task.notebook}.ipynb").read_bytes()
    if task.reads is None:
        data = inputs.inspection(task.inspection_id)
    else:
        data = inputs.tables(task.reads + ALWAYS_READ) + " " + ",".join(valid_ids)
    return {"notebook": _digest(notebook, json.dumps(task.parameters).encode()),
            "code": code, "data": _digest(data.encode(), inputs.reference.encode())}


# Planning --------------------------------------------------------------------------------------

def plan(checked: Checked, only: list[str] | None = None) -> list[Task]:
    """Every report to build: one profile per valid inspection, then the comparisons."""
    tasks = []
    for inspection_id in checked.valid_ids:
        if only and inspection_id not in only:
            continue
        meta = checked.meta.get(inspection_id, {})
        title = meta.get("title") or inspection_id
        kind = "Overview" if meta.get("kind") == "overview" else "Inspection profile"
        tasks.append(Task("inspection_profile", (("inspection_id", inspection_id),),
                          f"profiles/{inspection_id}.html", f"{kind}: {title}"))
    for comparison in COMPARISONS:
        tasks.append(Task(comparison.notebook, (), f"{comparison.notebook}.html",
                          comparison.title, comparison.reads))
    return tasks


def _why(task: Task, key: dict, state: dict, reports: Path, force: bool) -> str | None:
    """None if the task's output is current; otherwise the reason to run it."""
    if force:
        return "forced"
    before = state.get(task.name)
    if not before:
        return "never built"
    if not (reports / task.html).exists():
        return "page missing"
    changed = [part for part in ("notebook", "code", "data") if before.get(part) != key[part]]
    if changed:
        return " and ".join(changed) + " changed"
    return None


# Validation, fresh or cached -------------------------------------------------------------------

def check_data(data_root: Path, inputs: Inputs, code: str, force: bool, echo,
               write: bool = True) -> Checked:
    """Validation results for every inspection, re-validating only those whose files changed."""
    import pandas as pd

    from .datasets import read_manifest

    manifest = None if force else read_manifest(data_root)
    fingerprint = inputs.everything() + code
    if manifest and manifest.get("build_fingerprint") == fingerprint:
        results = pd.read_parquet(config.processed_dir(data_root) / "validation_results.parquet")
        echo("curated data unchanged since the last build: validation results reused")
        from .loading import check_inspection_id

        for inspection_id in [*manifest["inspections"], *manifest["excluded"]]:
            check_inspection_id(inspection_id)  # ids become paths of pages
        return Checked(manifest["inspections"], manifest["excluded"], manifest["issues"],
                       manifest["general_issues"], manifest["meta"], results, validated=[])

    from .datasets import combine, inputs_fingerprint, write_processed
    from .loading import list_inspections, read_inspection
    from .validation import validate

    found, _ = list_inspections(data_root)
    # The data directory too: the problems kept for an unchanged inspection name its files.
    keys = {i: _digest(inputs.inspection(i).encode(), inputs.reference.encode(), code.encode(),
                       str(data_root).encode()) for i in found}
    reused, previous = _reusable(manifest, keys, data_root)
    echo(f"validating {len(found) - len(reused)} inspection(s)"
         + (f"; {len(reused)} unchanged since the last build, their results reused"
            if reused else "") + " ...")
    report = validate(data_root=data_root, known=reused)
    for issue in report.all_issues():
        echo(f"  {issue}")
    meta = {i: previous["meta"][i] for i in reused}
    issues = {i: previous["issues"][i] for i in reused if previous["issues"].get(i)}
    for inspection_id, inspection in report.inspections.items():
        frame = inspection.tables.get("inspections")
        row = frame.iloc[0].to_dict() if frame is not None else {}
        meta[inspection_id] = {k: _text(row.get(k)) for k in ("title", "area", "programme",
                                                               "published", "kind")}
        if report.issues.get(inspection_id):
            issues[inspection_id] = [str(x) for x in report.issues[inspection_id]]
    general = [str(i) for i in report.general_issues]
    ids = sorted(reused | set(report.inspections))
    valid = [] if general else [i for i in ids if i not in issues]
    results = report.results  # ordered by inspection, as are the reused ones: merge in order
    if reused:
        results = pd.concat([previous["results"], results], ignore_index=True).sort_values(
            "inspection_id", kind="stable", ignore_index=True)
    checked = Checked(valid, [i for i in ids if i in issues], issues, general, meta, results,
                      validated=sorted(report.inspections))
    echo(f"  {len(checked.valid_ids)} inspection(s) valid, {len(checked.failed_ids)} failing")
    if write and not general:
        tables = {i: report.inspections[i].tables if i in report.inspections
                  else read_inspection(i, report.reference, data_root).tables for i in valid}
        write_processed(combine(tables), results, {
            "fingerprint": inputs_fingerprint(data_root), "build_fingerprint": fingerprint,
            "inspections": checked.valid_ids, "excluded": checked.failed_ids,
            "issues": checked.issues, "general_issues": checked.general_issues,
            "meta": meta, "validation_keys": keys}, data_root)
    return checked


def _reusable(manifest: dict | None, keys: dict[str, str], data_root: Path):
    """The inspections whose validation results the last build left and that have not changed
    since (same files, reference files and code), with those results."""
    import pandas as pd

    before = (manifest or {}).get("validation_keys") or {}
    reused = {i for i, key in keys.items() if before.get(i) == key}
    if not reused:
        return set(), {}
    try:
        results = pd.read_parquet(config.processed_dir(data_root) / "validation_results.parquet")
    except (OSError, ValueError):
        return set(), {}
    return reused, {"meta": manifest["meta"], "issues": manifest["issues"],
                    "results": results[results["inspection_id"].isin(reused)]}


def _text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


# Running ---------------------------------------------------------------------------------------

def render(task: Task, notebook, reports: Path) -> None:
    """Write the executed notebook and its page, each atomically."""
    import nbformat

    html = pages.page(task.title, pages.notebook_body(notebook), depth=task.depth)
    atomic.write_text(reports / task.executed, nbformat.writes(notebook) + "\n")
    atomic.write_text(reports / task.html, html)


def _failure_message(error: BaseException) -> str:
    ename, evalue = getattr(error, "ename", None), getattr(error, "evalue", None)
    if ename:
        return f"{ename}: {evalue}"
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[-1] if text else ''}"


class Progress:
    """One status line for the whole build: a bar, tasks done of total, current task, time."""

    def __init__(self, total: int, echo, width: int = 24):
        self.total, self.echo, self.width = total, echo, width
        self.done = 0
        self.started = time.perf_counter()
        self.current: dict[int, str] = {}
        self.lock = threading.Lock()
        self.live = echo is print and sys.stdout.isatty()

    def start(self, worker: int, name: str) -> None:
        with self.lock:
            self.current[worker] = name
            self._draw()

    def finish(self, worker: int, outcome: Outcome) -> None:
        with self.lock:
            self.done += 1
            self.current.pop(worker, None)
            verb = {"ran": "ran", "failed": "FAILED"}[outcome.status]
            detail = f": {outcome.message}" if outcome.message else ""
            line = (f"  {self._bar()} {verb} {outcome.task.name} in {outcome.seconds:.1f}s"
                    f"{detail}")
            if self.live:
                sys.stdout.write("\r\033[K")
            self.echo(line)
            self._draw()

    def _bar(self) -> str:
        filled = int(self.width * self.done / self.total) if self.total else self.width
        elapsed = time.perf_counter() - self.started
        return f"[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} " \
               f"{elapsed:5.1f}s"

    def _draw(self) -> None:
        if self.live and self.done < self.total:
            running = ", ".join(self.current.values())
            sys.stdout.write(f"\r\033[K  {self._bar()} running {running}"[:200])
            sys.stdout.flush()


def run_tasks(tasks: list[Task], reports: Path, jobs: int, echo, warm: bool = True,
              on_success=None) -> list[Outcome]:
    """Run tasks on `jobs` workers; each worker keeps one kernel warm across its tasks."""
    from .kernels import WarmKernel, run_fresh

    pending: queue.Queue[Task] = queue.Queue()
    # Profiles first (many, similar), so that the comparisons overlap with their tail.
    for task in sorted(tasks, key=lambda t: (t.reads is not None, t.name)):
        pending.put(task)
    outcomes: list[Outcome] = []
    progress = Progress(len(tasks), echo)
    cwd = config.notebooks_dir()

    def worker(number: int) -> None:
        kernel = WarmKernel(cwd) if warm else None
        try:
            while True:
                try:
                    task = pending.get_nowait()
                except queue.Empty:
                    return
                progress.start(number, task.name)
                started = time.perf_counter()
                source = config.notebooks_dir() / f"{task.notebook}.ipynb"
                try:
                    parameters = dict(task.parameters)
                    notebook = kernel.run(source, parameters) if kernel else \
                        run_fresh(source, parameters, cwd)
                    render(task, notebook, reports)
                    outcome = Outcome(task, "ran", time.perf_counter() - started)
                    if on_success:
                        on_success(task)
                except Exception as error:  # noqa: BLE001 - one failed report must not stop others
                    outcome = Outcome(task, "failed", time.perf_counter() - started,
                                      _failure_message(error))
                with progress.lock:
                    outcomes.append(outcome)
                progress.finish(number, outcome)
        finally:
            if kernel:
                kernel.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True)
               for n in range(max(1, min(jobs, len(tasks))))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


# The build -------------------------------------------------------------------------------------

def build(jobs: int | None = None, force: bool = False, only: list[str] | None = None,
          data_root: Path | None = None, reports: Path | None = None, dry_run: bool = False,
          warm: bool = True, echo=print) -> BuildResult:
    """Validate and build every report; returns what ran, what was skipped, what failed."""
    started = time.perf_counter()
    data_root = Path(data_root or config.data_dir()).resolve()
    reports = Path(reports or config.reports_dir()).resolve()
    os.environ[config.DATA_DIR_ENV] = str(data_root)

    inputs = Inputs(data_root)
    code = code_fingerprint()  # hashes every package file: once per build
    checked = check_data(data_root, inputs, code, force, echo, write=not dry_run)
    result = BuildResult(checked)
    tasks = plan(checked, only) if not checked.general_issues else []
    state_path = reports / STATE_FILE
    state = _read_state(state_path)
    keys = {t.name: task_key(t, inputs, code, checked.valid_ids) for t in tasks}
    todo = []
    for task in tasks:
        reason = _why(task, keys[task.name], state, reports, force)
        if reason is None:
            result.outcomes.append(Outcome(task, "skipped", message="unchanged"))
        else:
            todo.append(task)
            if dry_run:
                result.outcomes.append(Outcome(task, "planned", message=reason))
    jobs = max(1, jobs or os.cpu_count() or 1)
    if dry_run:
        if checked.validated:
            shown = checked.validated[:10] + (["..."] if len(checked.validated) > 10 else [])
            echo(f"validated {len(checked.validated)} changed inspection(s) to plan the build "
                 f"(nothing written): {', '.join(shown)}")
        echo(f"would run {len(todo)} of {len(tasks)} report(s):")
        for outcome in result.outcomes:
            if outcome.status == "planned":
                echo(f"  {outcome.task.name}: {outcome.message}")
        return result
    echo(f"running {len(todo)} report(s), {len(tasks) - len(todo)} unchanged, "
         f"{min(jobs, max(1, len(todo)))} at a time ...")
    lock = threading.Lock()

    def remember(task: Task) -> None:
        with lock:
            state[task.name] = keys[task.name]
            _write_state(state_path, state)

    for task in todo:
        state.pop(task.name, None)
    if todo:
        _write_state(state_path, state)
        result.outcomes.extend(run_tasks(todo, reports, jobs, echo, warm, remember))
    _write_index(result, reports)
    _summary(result, time.perf_counter() - started, reports, echo)
    return result


def _summary(result: BuildResult, elapsed: float, reports: Path, echo) -> None:
    counts = {s: sum(o.status == s for o in result.outcomes) for s in ("ran", "skipped",
                                                                        "failed")}
    ran = sorted((o for o in result.outcomes if o.status != "skipped"),
                 key=lambda o: -o.seconds)
    if ran:
        echo("time per report:")
        for outcome in ran:
            echo(f"  {outcome.seconds:6.1f}s  {outcome.status:6}  {outcome.task.name}")
    echo(f"built in {elapsed:.1f}s: {counts['ran']} ran, {counts['skipped']} unchanged, "
         f"{counts['failed']} failed; open {reports / 'index.html'}")


def _read_state(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_state(path: Path, state: dict) -> None:
    atomic.write_text(path, json.dumps(state, indent=1, sort_keys=True) + "\n")


def _write_index(result: BuildResult, reports: Path) -> None:
    checked = result.validation
    failed_tasks = {o.task.html: o.message for o in result.outcomes if o.status == "failed"}
    entries = []
    for inspection_id in sorted(set(checked.valid_ids) | set(checked.failed_ids)):
        meta = checked.meta.get(inspection_id, {})
        href = f"profiles/{inspection_id}.html"
        exists = (reports / href).exists()
        issues = list(checked.issues.get(inspection_id, []))
        if href in failed_tasks:
            issues.append(f"report failed to build: {failed_tasks[href]}")
        status = "ok" if not issues else ("stale" if exists else "failed")
        entries.append(pages.IndexEntry(
            inspection_id, meta.get("title") or inspection_id, meta.get("area", ""),
            meta.get("programme", ""), meta.get("published", ""), status,
            href if exists else None, issues, meta.get("kind") or "inspection"))
    comparisons = []
    for comparison in COMPARISONS:
        href = f"{comparison.notebook}.html"
        status = "ok" if href not in failed_tasks else "failed to build"
        if not (reports / href).exists():
            status = "not built"
        comparisons.append((comparison.title, href, comparison.what, status))
    results = checked.results
    total = len(results)
    passed = int(results["success"].sum()) if total else 0
    summary = (f"{len(checked.valid_ids)} of {len(checked.valid_ids) + len(checked.failed_ids)} "
               f"inspection(s) pass validation; {passed} of {total} rule checks passed.")
    # The index last: it must never link a page that is not written yet.
    atomic.write_text(reports / "validation.html", pages.validation_page(
        results, checked.issues, checked.general_issues))
    atomic.write_text(reports / "validation.json", json.dumps(
        {"valid": checked.valid_ids, "failed": checked.failed_ids, "issues": checked.issues,
         "general_issues": checked.general_issues}, indent=2, sort_keys=True) + "\n")
    atomic.write_text(reports / "index.html", pages.index_page(entries, comparisons, summary))


__all__ = ["COMPARISONS", "BuildResult", "Task", "build", "plan", "run_tasks"]
