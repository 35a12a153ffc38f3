"""Killing `probation-inspections build` at any moment leaves no truncated or half-written output.

The build runs as a subprocess on a copy of the shipped data (the reference files and four of the
curated inspections: the moments of a build do not depend on how many inspections it covers, and
four keep the ten runs within three minutes) and is killed with SIGKILL, with its whole process
tree (its process group, and the notebook kernels, which run in sessions of their own), at ten
moments spread over a run: while importing, while validating, while a processed table is being
written, while kernels start, while notebooks run, just after a report is written, and while
the index is written. The runs share one reports
folder, so each run resumes the work the killed ones left (done notebooks are skipped), and one
cold build's worth of work is spread over the ten kills. After every kill, every file under
reports/ and data/processed/ must be whole: HTML that ends with </html>, JSON and notebooks that
parse, Parquet that reads, CSV with the right header. Temporary files (`.<name>.<random>.tmp`,
see atomic.py) may be left behind by a kill but must never look like, or be linked as, outputs.
A last, uninterrupted build must then succeed.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pyarrow.parquet as pq
import pytest

from probation_inspections.config import DATA_DIR_ENV, REPORTS_DIR_ENV
from probation_inspections.curated.schema import TABLES
from probation_inspections.tables import MANIFEST, VALIDATION_RESULTS
from probation_inspections.validation import RESULT_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
MARKER = "PROBATION_KILL_TEST_RUN"  # set in the build's environment, inherited by its kernels
TEMPORARY = re.compile(r"^\..+\.tmp$")  # atomic.py writes `.<name>.<random>.tmp`, then renames
RUN_TIMEOUT = (
    420  # seconds: a cold build takes about a minute on two cores, more beside other tests
)


#: Inspections copied (those present; at least three, so that the runs killed after a report
#: is written always leave reports to write): every table, ratings, a PDU.
INSPECTIONS = (
    "2017-01-staffordshire-stoke",
    "2017-08-gloucestershire",
    "2018-10-west-yorkshire-crc",
    "2022-08-birmingham-north-east-solihull-pdu",
)
RUNNING = r"^running \d+ report"
TASK_DONE = r"\d+/\d+ +[\d.]+s (ran|FAILED) "


@dataclass(frozen=True)
class Kill:
    """Kill `delay` seconds after the build prints a line matching `after`, or as soon as a file
    whose name matches `file` is written below `folder` ("reports" or "processed") during the
    run; with neither, `delay` seconds after the start."""

    moment: str
    after: str | None = None
    delay: float = 0.0
    file: str | None = None
    folder: str = "reports"


KILLS = [
    Kill("importing", delay=0.5),
    Kill("validating with Great Expectations", r"^validating [0-9]+ inspection", 0.8),
    Kill(
        "writing data/processed (a temporary file is open)", file=r"^\..*\.tmp$", folder="processed"
    ),
    Kill("starting kernels", RUNNING, 0.0),
    Kill("notebooks running", RUNNING, 1.0),
    Kill("right after a report is written", TASK_DONE, 0.0),
    Kill("50 ms after a report is written", TASK_DONE, 0.05),
    Kill("1 s after a report is written", TASK_DONE, 1.0),
    Kill("early in a run that resumes", RUNNING, 1.5),
    Kill("writing the index and validation pages", file=r"^(\.index\.html\..*\.tmp|index\.html)$"),
]


def build_command() -> list[str]:
    script = Path(sys.executable).with_name("probation-inspections")
    if script.exists():
        return [str(script), "build", "--jobs", "2"]
    return [sys.executable, "-m", "probation_inspections.cli", "build", "--jobs", "2"]


class Build:
    """A build subprocess whose output lines are read as they come."""

    def __init__(self, env: dict[str, str], cwd: Path):
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            build_command(),
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )  # its own process group, killed as a whole
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, kill: Kill, folder: Path, timeout: float) -> bool:
        """True once the moment of `kill` comes; False if the build ended first."""
        deadline = time.monotonic() + timeout
        since = time.time() - 0.01
        while time.monotonic() < deadline:
            if kill.after is None and kill.file is None:
                return self.process.poll() is None
            while True:
                try:
                    line = self.lines.get_nowait()
                except queue.Empty:
                    break
                if line is None:
                    return False
                self.log.append(line)
                if kill.after and re.search(kill.after, line):
                    return True
            if kill.file and _written(folder, kill.file, since):
                return True
            time.sleep(0.001)
        raise AssertionError(
            f"{kill.moment!r} did not come within {timeout}s:\n" + "\n".join(self.log)
        )

    def finish(self, timeout: float) -> int:
        code = self.process.wait(timeout=timeout)
        while (line := self.lines.get(timeout=5)) is not None:
            self.log.append(line)
        return code


def _written(folder: Path, pattern: str, since: float) -> bool:
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if re.match(pattern, entry.name):
                    try:
                        if entry.stat().st_mtime >= since:
                            return True
                    except FileNotFoundError:  # renamed or removed meanwhile
                        return True
    except FileNotFoundError:
        pass
    return False


def marked_processes(marker: str) -> list[int]:
    """Live processes whose environment carries `marker`: the build and everything it started."""
    found = []
    needle = f"{MARKER}={marker}".encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if needle not in (proc / "environ").read_bytes().split(b"\0"):
                continue
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            found.append(int(proc.name))
    return found


def kill_tree(build: Build, marker: str) -> bool:
    """SIGKILL the build's process group and every process it started; True if it was alive."""
    alive = build.process.poll() is None
    try:
        os.killpg(build.process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    # Kernels run in sessions of their own: kill their groups too, found by the marker.
    for pid in marked_processes(marker):
        for kill in (lambda p: os.killpg(p, signal.SIGKILL), lambda p: os.kill(p, signal.SIGKILL)):
            try:
                kill(pid)
            except (ProcessLookupError, PermissionError):
                pass
    build.process.wait(timeout=30)
    deadline = time.monotonic() + 15
    while (left := marked_processes(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left, f"processes of the killed build still run: {left}"
    return alive


# What a whole output looks like -----------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.count = {"html": 0, "body": 0, "main": 0}

    def handle_starttag(self, tag, attrs):
        if tag in self.count:
            self.count[tag] += 1
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.count:
            assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open}"
            self.open.pop()


def check_html(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>"), f"{path} does not start as a page"
    assert text.rstrip().endswith("</html>"), f"{path} is truncated"
    parser = _Tags()
    parser.feed(text)
    parser.close()
    assert parser.count == {"html": 1, "body": 1, "main": 1} and not parser.open, path


def check_csv(path: Path) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    expected = RESULT_COLUMNS if path.stem == VALIDATION_RESULTS else TABLES[path.stem].column_names
    assert list(frame.columns) == expected, f"{path} has a wrong header"
    assert path.read_bytes().endswith(b"\n"), f"{path} is truncated"


def check_parquet(path: Path) -> None:
    table = pq.read_table(path)
    expected = RESULT_COLUMNS if path.stem == VALIDATION_RESULTS else TABLES[path.stem].column_names
    assert table.column_names == expected, path


def check_notebook(path: Path) -> None:
    notebook = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    nbformat.validate(notebook)
    assert notebook.cells, path


CHECKS = {
    ".html": check_html,
    ".csv": check_csv,
    ".parquet": check_parquet,
    ".ipynb": check_notebook,
    ".json": lambda p: json.loads(p.read_text(encoding="utf-8")),
}


def check_outputs(data: Path, reports: Path) -> dict[str, int]:
    """Every output is whole; temporary files are only temporary files. Returns counts."""
    counts = {"outputs": 0, "temporary": 0}
    for folder in (reports, data / "processed"):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []:
            if TEMPORARY.match(path.name):
                counts["temporary"] += 1
                assert path.suffix not in CHECKS, path
                continue
            assert path.suffix in CHECKS, f"unexpected file {path}"
            CHECKS[path.suffix](path)
            counts["outputs"] += 1
    processed = data / "processed"
    if (processed / MANIFEST).exists():  # written last: every table was written before it
        for name in [*TABLES, VALIDATION_RESULTS]:
            for suffix in (".csv", ".parquet"):
                assert (processed / f"{name}{suffix}").exists(), f"manifest without {name}"
    index = reports / "index.html"
    if index.exists():
        for target in re.findall(r'href="([^"#:]+)', index.read_text(encoding="utf-8")):
            assert not TEMPORARY.match(Path(target).name), f"index links {target}"
            # The index is written last (test_build checks the order of the writes), so a kill
            # never leaves it linking a page not written yet.
            assert (reports / target).is_file(), f"index links a missing page {target}"
    return counts


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_a_killed_build_never_leaves_a_half_written_output(tmp_path):
    data, reports = tmp_path / "data", tmp_path / "reports"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    copied = [i for i in INSPECTIONS if (ROOT / "data" / "inspections" / i).is_dir()]
    assert len(copied) >= 3, f"the kill test needs three of {INSPECTIONS} in data/inspections"
    for inspection_id in copied:
        shutil.copytree(
            ROOT / "data" / "inspections" / inspection_id, data / "inspections" / inspection_id
        )
    (tmp_path / "tmp").mkdir()
    marker = uuid.uuid4().hex
    env = {
        **os.environ,
        DATA_DIR_ENV: str(data),
        REPORTS_DIR_ENV: str(reports),
        MARKER: marker,
        "PYTHONUNBUFFERED": "1",
        "TMPDIR": str(tmp_path / "tmp"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    curated = digest(data / "inspections") | digest(data / "reference")
    started = time.monotonic()
    record = []
    try:
        for kill in KILLS:
            build = Build(env, tmp_path)
            watched = reports if kill.folder == "reports" else data / "processed"
            reached = build.wait_for(kill, watched, timeout=RUN_TIMEOUT)
            if reached:
                time.sleep(kill.delay)
            alive = kill_tree(build, marker)
            assert alive, f"the build ended before the kill {kill.moment!r}:\n" + "\n".join(
                build.log
            )
            counts = check_outputs(data, reports)
            record.append((kill.moment, round(time.monotonic() - build.started, 1), counts))
            assert digest(data / "inspections") | digest(data / "reference") == curated

        build = Build(env, tmp_path)
        code = build.finish(timeout=RUN_TIMEOUT)
        assert code == 0, "\n".join(build.log)
    finally:
        for pid in marked_processes(marker):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    counts = check_outputs(data, reports)
    record.append(("(last build, not killed)", round(time.monotonic() - build.started, 1), counts))
    for moment, seconds, found in record:
        print(
            f"{moment:52s} after {seconds:5.1f}s: {found['outputs']:3d} outputs whole, "
            f"{found['temporary']} temporary file(s)"
        )
    print(f"total {time.monotonic() - started:.0f}s")
    assert any(line.startswith("built in") for line in build.log), build.log
    profiles = sorted(p.name for p in (reports / "profiles").glob("*.html"))
    shipped = sorted(f"{p.name}.html" for p in (data / "inspections").iterdir() if p.is_dir())
    assert profiles == shipped
    for page in (
        "index.html",
        "validation.html",
        "cross_area_ranges.html",
        "crc_vs_nps_sufficiency.html",
        "ratings_and_caseloads.html",
    ):
        assert (reports / page).is_file(), page
    assert digest(data / "inspections") | digest(data / "reference") == curated
