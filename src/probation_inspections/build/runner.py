"""Run the tasks on parallel workers, each with a warm kernel, and render each page atomically."""

from __future__ import annotations

import queue
import sys
import threading
import time
from pathlib import Path
from typing import Any

from .. import atomic, config
from ..report import shell
from ..report.stamp import Stamp
from .tasks import Outcome, Task


def render(task: Task, notebook, reports: Path, stamp: Stamp) -> None:
    """Write the executed notebook and its page, each atomically."""
    import nbformat

    html = shell.report_page(task.title, shell.notebook_body(notebook), stamp, depth=task.depth)
    atomic.write_text(reports / task.executed, nbformat.writes(notebook) + "\n")
    atomic.write_text(reports / task.html, html)


def _failure_message(error: BaseException) -> str:
    """One line for the index: a notebook's failure as kernels.describe_failure names it, or
    what else went wrong while rendering the page."""
    from .kernels import NotebookFailed, describe_failure

    if isinstance(error, NotebookFailed):
        return str(error)
    return describe_failure(error)


class Progress:
    """Progress of the build: a tqdm bar on a terminal, plain log lines otherwise.

    Every finished task gets one line (`3/9   12.3s ran NAME in 2.1s`), written above the bar
    on a terminal, or as the only output in logs and CI.
    """

    def __init__(self, total: int, echo):
        self.total, self.echo, self.done = total, echo, 0
        self.started = time.perf_counter()
        self.current: dict[int, str] = {}
        self.lock = threading.Lock()
        self.bar = None
        if echo is print and sys.stdout.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="report", dynamic_ncols=True, leave=False)

    def start(self, worker: int, name: str) -> None:
        with self.lock:
            self.current[worker] = name
            if self.bar is not None:
                self.bar.set_postfix_str(", ".join(self.current.values()), refresh=True)

    def finish(self, worker: int, outcome: Outcome) -> None:
        with self.lock:
            self.done += 1
            self.current.pop(worker, None)
            verb = {"ran": "ran", "failed": "FAILED"}[outcome.status]
            detail = f": {outcome.message}" if outcome.message else ""
            elapsed = time.perf_counter() - self.started
            line = (
                f"  {self.done}/{self.total} {elapsed:6.1f}s {verb} {outcome.task.name} "
                f"in {outcome.seconds:.1f}s{detail}"
            )
            if self.bar is None:
                self.echo(line)
                return
            self.bar.write(line)
            self.bar.set_postfix_str(", ".join(self.current.values()), refresh=False)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class Workers:
    """Worker threads that run tasks, each in a kernel of its own kept warm across its tasks.

    Each worker starts its kernel, and imports in it what every notebook imports, as soon as it
    is created, before any task is given: a build creates its workers before it validates, so
    that the kernels' start-up overlaps validation (kernels need the data directory, which they
    get in `environment`, not the validation results). `run` gives them their tasks, once;
    `close` stops the workers and their kernels, whether they ran tasks or not.

    `environment`: variables the kernels get besides this process's own (the data directory);
    this process's environment is left as it is. `timeout`: seconds a cell may run (default
    `kernels.TIMEOUT`). `warm=False`: a fresh papermill run per task, nothing started before.
    """

    def __init__(
        self,
        jobs: int,
        environment: dict[str, str] | None = None,
        timeout: float | None = None,
        warm: bool = True,
    ):
        from .kernels import TIMEOUT

        self.environment, self.timeout, self.warm = environment, timeout or TIMEOUT, warm
        self.cwd = config.notebooks_dir()
        self._pending: queue.Queue[Task | None] = queue.Queue()
        self._stop = threading.Event()  # set on Ctrl-C: no worker takes another task
        self._outcomes: list[Outcome] = []
        self._context: Any = None  # the run's progress, reports folder, stamp, on_success
        self._ended = False
        self._threads = [
            threading.Thread(target=self._work, args=(n,), daemon=True) for n in range(max(1, jobs))
        ]
        for thread in self._threads:
            thread.start()

    def run(
        self, tasks: list[Task], reports: Path, echo, on_success=None, stamp: Stamp | None = None
    ) -> list[Outcome]:
        """Run the tasks on the workers; every page carries `stamp` (by default, the one the
        environment gives: see Stamp). Returns their outcomes, in the order they finished."""
        progress = Progress(len(tasks), echo)
        self._context = (progress, reports, stamp or Stamp.from_environment(), on_success)
        # Profiles first (many, similar), so that the comparisons overlap with their tail.
        for task in sorted(tasks, key=lambda t: (t.reads is not None, t.name)):
            self._pending.put(task)
        try:
            self.close()
        except KeyboardInterrupt:
            self.abort()
            raise
        finally:
            progress.close()
        return self._outcomes

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        """Leaving a `with` block: on Ctrl-C every kernel is killed at once; in any case the
        workers stop and shut their kernels down."""
        if kind is not None and issubclass(kind, KeyboardInterrupt):
            self.abort()
        self.close()

    def abort(self) -> None:
        """On Ctrl-C: no worker takes another task, and every kernel is killed at once."""
        from .kernels import kill_all

        self._stop.set()
        kill_all()

    def close(self) -> None:
        """Stop the workers once their current task is done; each shuts its kernel down."""
        if not self._ended:
            self._ended = True
            for _ in self._threads:
                self._pending.put(None)  # one end of work per worker, after every task
        for thread in self._threads:
            while thread.is_alive():
                thread.join(0.2)  # a plain join would hold off Ctrl-C until the thread ends

    def _work(self, number: int) -> None:
        from .kernels import NotebookFailed, WarmKernel

        kernel = WarmKernel(self.cwd, self.environment, self.timeout) if self.warm else None
        try:
            if kernel is not None:
                try:
                    kernel.warm_up()
                except NotebookFailed:
                    pass  # the first task starts a fresh kernel, and fails naming why if none
            while not self._stop.is_set():
                task = self._pending.get()
                if task is None:
                    return
                self._run(number, kernel, task)
        finally:
            if kernel is not None:
                kernel.close()

    def _run(self, number: int, kernel, task: Task) -> None:
        from .kernels import run_fresh

        progress, reports, stamp, on_success = self._context
        progress.start(number, task.name)
        started = time.perf_counter()
        source = self.cwd / f"{task.notebook}.ipynb"
        try:
            parameters = dict(task.parameters)
            notebook = (
                kernel.run(source, parameters)
                if kernel
                else run_fresh(source, parameters, self.cwd, self.environment, self.timeout)
            )
            render(task, notebook, reports, stamp)
            outcome = Outcome(task, "ran", time.perf_counter() - started)
            if on_success:
                on_success(task)
        except Exception as error:  # noqa: BLE001 - one failed report must not stop others
            outcome = Outcome(
                task, "failed", time.perf_counter() - started, _failure_message(error)
            )
        with progress.lock:
            self._outcomes.append(outcome)
        progress.finish(number, outcome)


def run_tasks(
    tasks: list[Task],
    reports: Path,
    jobs: int,
    echo,
    warm: bool = True,
    on_success=None,
    environment: dict[str, str] | None = None,
    timeout: float | None = None,
    stamp: Stamp | None = None,
    workers: Workers | None = None,
) -> list[Outcome]:
    """Run tasks on `jobs` workers (see Workers), or on `workers` already started; each worker
    keeps one kernel warm across its tasks."""
    with workers or Workers(min(jobs, len(tasks)), environment, timeout, warm) as running:
        return running.run(tasks, reports, echo, on_success, stamp)
