"""Run the tasks on parallel workers, each with a warm kernel, and render each page atomically."""

from __future__ import annotations

import queue
import sys
import threading
import time
from pathlib import Path

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
            line = (f"  {self.done}/{self.total} {elapsed:6.1f}s {verb} {outcome.task.name} "
                    f"in {outcome.seconds:.1f}s{detail}")
            if self.bar is None:
                self.echo(line)
                return
            self.bar.write(line)
            self.bar.set_postfix_str(", ".join(self.current.values()), refresh=False)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_tasks(tasks: list[Task], reports: Path, jobs: int, echo, warm: bool = True,
              on_success=None, environment: dict[str, str] | None = None,
              timeout: float | None = None, stamp: Stamp | None = None) -> list[Outcome]:
    """Run tasks on `jobs` workers; each worker keeps one kernel warm across its tasks.

    `environment`: variables the kernels get besides this process's own (the data directory);
    this process's environment is left as it is. `timeout`: seconds a cell may run (default
    `kernels.TIMEOUT`). Every page carries `stamp` (by default, the one the environment gives:
    see Stamp).
    """
    from .kernels import TIMEOUT, WarmKernel, kill_all, run_fresh

    timeout = timeout or TIMEOUT

    pending: queue.Queue[Task] = queue.Queue()
    # Profiles first (many, similar), so that the comparisons overlap with their tail.
    for task in sorted(tasks, key=lambda t: (t.reads is not None, t.name)):
        pending.put(task)
    outcomes: list[Outcome] = []
    stamp = stamp or Stamp.from_environment()
    progress = Progress(len(tasks), echo)
    cwd = config.notebooks_dir()

    stop = threading.Event()  # set on Ctrl-C: no worker takes another task

    def worker(number: int) -> None:
        kernel = WarmKernel(cwd, environment, timeout) if warm else None
        try:
            while not stop.is_set():
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
                        run_fresh(source, parameters, cwd, environment, timeout)
                    render(task, notebook, reports, stamp)
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
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(0.2)  # a plain join would hold off Ctrl-C until the thread ends
    except KeyboardInterrupt:
        stop.set()
        kill_all()
        raise
    finally:
        progress.close()
    return outcomes
