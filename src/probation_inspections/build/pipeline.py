"""The build: validate, write processed tables, run the notebooks, render the pages, index last.

- Incremental: a task (one notebook with one parameter set) is skipped when the hash of what it
  reads (its notebook, the package code, the library versions, the curated files of the tables it
  reads) matches its last successful run; likewise an inspection is validated again only when
  its files, the reference files or the package code changed since the last build.
- Parallel: tasks run on `jobs` workers, each keeping one warm kernel (see kernels.py).
- Robust: a broken inspection is reported and skipped, its last good report kept and marked stale;
  every file is written to a temporary name and renamed into place.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from .. import atomic, config
from ..errors import BuildError
from ..fingerprint import Inputs, code_fingerprint, dataset_fingerprint
from ..report.stamp import Stamp
from ..validation.incremental import (
    APART_FROM,
    Checked,
    check_data,
    check_data_apart,
    unchanged_since_last_build,
)
from .runner import Workers, run_tasks
from .site import write_site
from .tasks import Outcome, Task, _why, plan, task_key

STATE_FILE = ".build/state.json"


@dataclass
class BuildResult:
    validation: Checked
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.validation.ok and all(o.status != "failed" for o in self.outcomes)


def build(
    jobs: int | None = None,
    force: bool = False,
    only: list[str] | None = None,
    data_root: Path | None = None,
    reports: Path | None = None,
    dry_run: bool = False,
    warm: bool = True,
    echo=print,
    cell_timeout: float | None = None,
) -> BuildResult:
    """Validate and build every report; returns what ran, what was skipped, what failed."""
    started = time.perf_counter()
    data_root = Path(data_root or config.data_dir()).resolve()
    reports = Path(reports or config.reports_dir()).resolve()
    if not dry_run:
        check_reports_folder(reports, data_root)
    stamp = Stamp.from_environment()  # the same date and commit on every page of this build

    inputs = Inputs(data_root)
    code = code_fingerprint()  # hashes every package file: once per build
    kernels = {  # where the notebooks' load() reads, and which state of the data it reads
        config.DATA_DIR_ENV: str(data_root),
        config.SNAPSHOT_ENV: dataset_fingerprint(inputs=inputs, code=code),
    }
    jobs = max(1, jobs or os.cpu_count() or 1)
    workers = None
    if warm and not dry_run and not unchanged_since_last_build(data_root, inputs, code, force):
        # Kernels need the data directory only: started now, they come up while validation
        # runs. With nothing to validate there is nothing to overlap (and often nothing to run).
        workers = Workers(jobs, kernels, cell_timeout)
    # Kernels are killed at once on Ctrl-C, and shut down when the build ends (Workers).
    with workers if workers is not None else nullcontext():
        validation = check_data_apart if len(inputs.files) > APART_FROM else check_data
        checked = validation(data_root, inputs, code, force, echo, write=not dry_run)
        result = BuildResult(checked)
        if checked.general_issues:
            # A broken vocabulary (or files changed while they were read) leaves nothing to build
            # from: the published site stays exactly as it was.
            echo("nothing was built or written: the problems above must be fixed first")
            return result
        tasks = plan(checked, only)
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
        if dry_run:
            if checked.validated:
                shown = checked.validated[:10] + (["..."] if len(checked.validated) > 10 else [])
                echo(
                    f"validated {len(checked.validated)} changed inspection(s) to plan the build "
                    f"(nothing written): {', '.join(shown)}"
                )
            echo(f"would run {len(todo)} of {len(tasks)} report(s):")
            for outcome in result.outcomes:
                if outcome.status == "planned":
                    echo(f"  {outcome.task.name}: {outcome.message}")
            return result
        echo(
            f"running {len(todo)} report(s), {len(tasks) - len(todo)} unchanged, "
            f"{min(jobs, max(1, len(todo)))} at a time ..."
        )
        lock = threading.Lock()

        def remember(task: Task) -> None:
            with lock:
                state[task.name] = keys[task.name]
                _write_state(state_path, state)

        for task in todo:
            state.pop(task.name, None)
        if todo:
            _write_state(state_path, state)
            result.outcomes.extend(
                run_tasks(
                    todo,
                    reports,
                    jobs,
                    echo,
                    warm,
                    remember,
                    kernels,
                    timeout=cell_timeout,
                    stamp=stamp,
                    workers=workers,
                )
            )
        write_site(result, reports, data_root, stamp)
        _summary(result, time.perf_counter() - started, reports, echo)
        return result


def check_reports_folder(reports: Path, data_root: Path) -> None:
    """Refuse a reports folder that cannot be written, or that lies inside the data folder
    (pages must never be mistaken for curated data), before anything is validated or written.
    """
    if reports == data_root or data_root in reports.parents:
        raise BuildError(
            f"{reports}: the reports folder must not be inside the data folder {data_root}"
        )
    try:
        reports.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=reports):
            pass
    except OSError as err:
        raise BuildError(
            f"{reports}: the reports folder cannot be written ({err.strerror or err})"
        ) from None


def _summary(result: BuildResult, elapsed: float, reports: Path, echo) -> None:
    counts = {s: sum(o.status == s for o in result.outcomes) for s in ("ran", "skipped", "failed")}
    ran = sorted((o for o in result.outcomes if o.status != "skipped"), key=lambda o: -o.seconds)
    if ran:
        echo("time per report:")
        for outcome in ran:
            echo(f"  {outcome.seconds:6.1f}s  {outcome.status:6}  {outcome.task.name}")
    echo(
        f"built in {elapsed:.1f}s: {counts['ran']} ran, {counts['skipped']} unchanged, "
        f"{counts['failed']} failed; open {reports / 'index.html'}"
    )


def _read_state(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_state(path: Path, state: dict) -> None:
    atomic.write_text(path, json.dumps(state, indent=1, sort_keys=True) + "\n")
