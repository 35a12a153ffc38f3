"""The build's progress: one plain line per finished report in logs, a tqdm bar on a terminal."""

from __future__ import annotations

import io
import re
import sys

from probation_inspections.build.runner import Progress
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
