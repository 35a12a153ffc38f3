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
              on_success=None, stamp: Stamp | None = None) -> list[Outcome]:
    """Run tasks on `jobs` workers; each worker keeps one kernel warm across its tasks. Every
    page carries `stamp` (by default, the one the environment gives: see Stamp)."""
    from .kernels import WarmKernel, run_fresh

    pending: queue.Queue[Task] = queue.Queue()
    # Profiles first (many, similar), so that the comparisons overlap with their tail.
    for task in sorted(tasks, key=lambda t: (t.reads is not None, t.name)):
        pending.put(task)
    outcomes: list[Outcome] = []
    stamp = stamp or Stamp.from_environment()
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
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
