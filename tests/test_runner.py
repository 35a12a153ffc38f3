"""The build's workers, whose kernels start before they are given work, and its progress: one
plain line per finished report in logs, a tqdm bar on a terminal."""

from __future__ import annotations

import io
import os
import re
import sys
import time
from pathlib import Path

from probation_inspections.build.runner import Progress, Workers
from probation_inspections.build.tasks import Outcome, Task

PROFILE = Task(
    "inspection_profile",
    (("inspection_id", "2017-01-test-area"),),
    "profiles/2017-01-test-area.html",
    "Inspection profile: Test",
)
RANGES = Task("cross_area_ranges", (), "cross_area_ranges.html", "Ranges", ("domain_scores",))


def test_in_a_log_each_finished_report_is_one_line_with_its_count_and_time():
    lines = []
    progress = Progress(2, lines.append)
    progress.start(0, PROFILE.name)
    progress.finish(0, Outcome(PROFILE, "ran", 2.5))
    progress.start(1, RANGES.name)
    progress.finish(1, Outcome(RANGES, "failed", 1.0, "KeyError: 'domain'"))
    progress.close()
    assert len(lines) == 2
    assert re.search(
        r"^  1/2 +[\d.]+s ran inspection_profile\(inspection_id=2017-01-test-area\)"
        r" in 2\.5s$",
        lines[0],
    ), lines[0]
    assert re.search(
        r"^  2/2 +[\d.]+s FAILED cross_area_ranges in 1\.0s: KeyError: 'domain'$", lines[1]
    ), lines[1]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_a_tqdm_bar_counts_the_reports_and_the_lines_stay(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setattr(sys, "stderr", terminal)
    progress = Progress(1, print)
    assert progress.bar is not None, "no bar on a terminal"
    progress.start(0, PROFILE.name)
    progress.finish(0, Outcome(PROFILE, "ran", 2.5))
    assert progress.bar.n == 1
    progress.close()
    assert re.search(r"1/1 +[\d.]+s ran inspection_profile", terminal.getvalue())


def test_a_bar_is_never_drawn_into_a_log(monkeypatch):
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert Progress(3, print).bar is None, "a log file got a progress bar"


def test_workers_start_their_kernels_before_any_task_and_stop_them_unused(tmp_path):
    """A build creates its workers before it validates: their kernels come up meanwhile."""
    (tmp_path / "sitecustomize.py").write_text(  # runs first in every kernel that starts
        "import os\n"
        "with open(os.environ['KERNEL_STARTS'], 'a') as f:\n"
        "    f.write(f'{os.getpid()}\\n')\n"
    )
    starts = tmp_path / "starts.txt"
    workers = Workers(2, {"PYTHONPATH": str(tmp_path), "KERNEL_STARTS": str(starts)})
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(pids := _pids(starts)) < 2:
            time.sleep(0.1)  # the caller validates meanwhile; no task was given
        assert len(pids) == 2, "two kernels started before any task"
    finally:
        workers.close()
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        raise AssertionError(f"kernel {pid} outlived its workers")


def _pids(path: Path) -> list[int]:
    return [int(p) for p in path.read_text().split()] if path.exists() else []
