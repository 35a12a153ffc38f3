"""Build benchmark: the project's build against the loop a user would otherwise write.

Measured side by side in one run, on this machine, on a copy of the five seed inspections:

- naive     papermill + `jupyter nbconvert --to html --no-input`, one notebook after another,
            over the same notebooks and parameters as the build (every run pays a kernel start
            and its imports, and validates the data itself through `load`);
- cold      `probation-inspections build --force` from an empty reports/ and no processed data;
- no-op     `build` again with nothing changed;
- one edit  `build` after changing one value in one inspection's CSV;
- scale     cold builds of 10 and 100 synthetic inspections (made from the shipped ones, values
            varied with a fixed seed), giving the time per added inspection, compared with one
            bare `papermill` run of an empty notebook; peak memory of the 100-inspection build
            (all processes of the build summed);
- 1,000     with `--thousand`, a cold build of 1,000 synthetic inspections and its peak memory
            (long: tens of minutes on two cores).

Prints a table of seconds, ratios to naive and targets, then where a cold and a one-edit build
spend their time: start-up (imports, fingerprints, kernels launched), validation (Great
Expectations' import included; the kernels start meanwhile), the reports, the index and site
pages, and the exit; beside it the import of Great Expectations alone.

Usage: `python benchmarks/build.py` (or `make bench`); `--quick` skips the 100-inspection build.

Targets: cold <= 0.08 x naive, one edit <= 0.05 x naive, no-op <= 0.02 x naive, time per added
inspection <= 0.25 x a bare papermill run, peak memory of the 1,000-inspection build <= 2 GiB.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CLI = str(BIN / "probation-inspections")

#: Ratios to naive (or to a bare papermill run, for the time per added inspection) not to exceed.
TARGETS = {"cold": 0.08, "noop": 0.02, "edit": 0.05, "per_inspection": 0.25, "peak_memory_gib": 2.0}


def environment(data: Path, reports: Path) -> dict:
    env = dict(os.environ)
    env["PROBATION_INSPECTIONS_DATA"] = str(data)
    env["PROBATION_INSPECTIONS_REPORTS"] = str(reports)
    return env


class PeakMemory:
    """Samples the summed resident memory of a process and all its descendants."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    children.setdefault(int(fields[1]), []).append(int(entry.name))
                except (OSError, IndexError, ValueError):
                    continue
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, []))
        return tree

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid in self._tree():
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1]) * 1024
                except OSError:
                    continue
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)


#: The phases of a build, each ending at the first line of the build's output that matches (the
#: last match for the reports, one line per report); the exit ends with the process.
PHASES = (
    ("start-up", re.compile(r"^(validating |curated data unchanged)")),
    ("validation", re.compile(r"^running \d+ report")),
    ("reports", re.compile(r"^\s+\d+/\d+ ")),
    ("index and pages", re.compile(r"^built in ")),
)


def timed(command: list[str], env: dict, memory: bool = False) -> tuple[float, int, dict]:
    """Seconds, peak memory (when asked) and the seconds of each phase (PHASES, then "exit")."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    errors: list[str] = []
    reader = threading.Thread(target=lambda: errors.extend(process.stderr), daemon=True)
    reader.start()
    ends: dict[str, float] = {}

    def read_lines() -> None:
        for line in process.stdout:
            for name, pattern in PHASES:
                if pattern.match(line) and (name == "reports" or name not in ends):
                    ends[name] = time.perf_counter()

    if memory:
        with PeakMemory(process.pid) as sampler:
            read_lines()
            process.wait()
        peak = sampler.peak
    else:
        read_lines()
        process.wait()
        peak = 0
    finished = time.perf_counter()
    reader.join()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{''.join(errors)}")
    phases, last = {}, started
    for name, _ in PHASES:
        if name in ends:
            phases[name], last = ends[name] - last, ends[name]
    phases["exit"] = finished - last
    return finished - started, peak, phases


def import_seconds(module: str) -> float:
    """Seconds a fresh process takes to import `module` (the median of three)."""
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
        runs.append(time.perf_counter() - started)
    return sorted(runs)[1]


#: The five inspections of the seed documents: every kind of source (a full report, press
#: releases, a commentary), small enough for the naive loop to run in minutes.
SEEDS = (
    "2017-01-staffordshire-stoke",
    "2017-08-gloucestershire",
    "2018-10-west-yorkshire-crc",
    "2018-12-staffordshire-west-midlands-crc",
    "2022-08-birmingham-north-east-solihull-pdu",
)


def copy_data(target: Path) -> Path:
    shutil.copytree(ROOT / "data" / "reference", target / "reference")
    for inspection_id in SEEDS:
        shutil.copytree(
            ROOT / "data" / "inspections" / inspection_id, target / "inspections" / inspection_id
        )
    return target


def tasks(data: Path) -> list[tuple[str, dict]]:
    """The notebooks and parameters the build runs for this data (valid inspections)."""
    sys.path.insert(0, str(ROOT / "src"))
    from probation_inspections.build.tasks import COMPARISONS

    ids = sorted(p.name for p in (data / "inspections").iterdir() if p.is_dir())
    return [("inspection_profile", {"inspection_id": i}) for i in ids] + [
        (c.notebook, {}) for c in COMPARISONS
    ]


def naive(data: Path, work: Path) -> float:
    env = environment(data, work / "naive-reports")
    started = time.perf_counter()
    for number, (notebook, parameters) in enumerate(tasks(data)):
        out = work / f"naive-{number}.ipynb"
        command = [
            str(BIN / "papermill"),
            str(ROOT / "notebooks" / f"{notebook}.ipynb"),
            str(out),
            "--cwd",
            str(ROOT / "notebooks"),
            "-k",
            "python3",
        ]
        for key, value in parameters.items():
            command += ["-p", key, value]
        subprocess.run(command, env=env, check=True, capture_output=True)
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)],
            env=env,
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - started


def bare_papermill(work: Path) -> float:
    import nbformat

    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    empty.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    source = work / "empty.ipynb"
    nbformat.write(empty, source)
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(
            [str(BIN / "papermill"), str(source), str(work / "empty-out.ipynb"), "-k", "python3"],
            check=True,
            capture_output=True,
        )
        runs.append(time.perf_counter() - started)
    return sorted(runs)[1]


def synthetic(source: Path, target: Path, count: int, seed: int = 2026) -> Path:
    """`count` inspections made from the shipped ones, with percentages varied."""
    rng = random.Random(seed)
    shutil.copytree(source / "reference", target / "reference")
    originals = [source / "inspections" / i for i in SEEDS]
    for number in range(count):
        original = originals[number % len(originals)]
        # An id begins with the month of publication (a validation rule): keep the original's.
        new_id = f"{original.name[:7]}-synthetic-{number:03d}"
        folder = target / "inspections" / new_id
        folder.mkdir(parents=True)
        for path in original.iterdir():
            text = path.read_text(encoding="utf-8").replace(original.name, new_id)
            if path.suffix == ".csv":
                text = vary(text, rng)
            (folder / path.name).write_text(text, encoding="utf-8")
    return target


def vary(text: str, rng: random.Random) -> str:
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows:
        return text
    for row in rows:
        for column in ("percent", "percent_sufficient"):
            if row.get(column):
                row[column] = str(max(0, min(100, int(float(row[column])) + rng.randint(-9, 9))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def edit_one_value(data: Path) -> None:
    path = data / "inspections" / "2017-01-staffordshire-stoke" / "need_sufficiency.csv"
    path.write_text(
        path.read_text().replace("Thinking and behaviour,1,54,", "Thinking and behaviour,1,55,", 1)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 100-inspection build")
    parser.add_argument(
        "--thousand",
        action="store_true",
        help="also build 1,000 synthetic inspections (long) and report its peak memory",
    )
    args = parser.parse_args()
    cores = os.cpu_count()
    rows = []
    with tempfile.TemporaryDirectory(prefix="probation-bench-") as tmp:
        work = Path(tmp)
        data = copy_data(work / "data")
        runs = len(tasks(data))
        t_naive = naive(data, work)
        rows.append(("naive (sequential papermill + nbconvert)", t_naive, None))

        reports = work / "reports"
        env = environment(data, reports)
        t_cold, _, cold_phases = timed([CLI, "build", "--force"], env)
        rows.append(("cold: build --force, empty reports/", t_cold, TARGETS["cold"]))
        t_noop, _, _ = timed([CLI, "build"], env)
        rows.append(("no-op: build, nothing changed", t_noop, TARGETS["noop"]))
        edit_one_value(data)
        t_edit, _, edit_phases = timed([CLI, "build"], env)
        rows.append(("one edit: build after one CSV value", t_edit, TARGETS["edit"]))
        gx_import = import_seconds("great_expectations")
        python_start = import_seconds("sys")

        bare = bare_papermill(work)
        scale = {}
        counts = (10,) if args.quick else (10, 100)
        for count in counts + ((1000,) if args.thousand else ()):
            sdata = synthetic(ROOT / "data", work / f"synthetic-{count}", count)
            senv = environment(sdata, work / f"synthetic-reports-{count}")
            scale[count] = timed([CLI, "build", "--force"], senv, memory=True)[:2]
            rows.append((f"scale: cold build of {count} inspections", scale[count][0], None))

    print(
        f"\nBuild benchmark on {cores} core(s); naive = {runs} notebook runs over "
        "the five seed inspections\n"
    )
    print(f"{'measure':48} {'seconds':>9} {'/ naive':>9} {'target':>8}")
    for name, seconds, target in rows:
        ratio = seconds / t_naive
        verdict = (
            "" if target is None else (f"<= {target:g}" + (" ok" if ratio <= target else " MISSED"))
        )
        print(f"{name:48} {seconds:9.1f} {ratio:9.3f} {verdict:>8}")
    print(f"{'bare papermill run of an empty notebook':48} {bare:9.2f}")
    print("\nwhere the time goes (seconds):")
    names = [name for name, _ in PHASES] + ["exit"]
    print(f"  {'':10}" + "".join(f"{name:>17}" for name in names))
    for label, phases in (("cold", cold_phases), ("one edit", edit_phases)):
        print(f"  {label:10}" + "".join(f"{phases.get(name, 0.0):17.2f}" for name in names))
    print(
        f"  a fresh Python process takes {python_start:.2f} s to start; importing Great "
        f"Expectations in one takes {gx_import - python_start:.2f} s more "
        f"({(gx_import - python_start) / t_naive:.3f} x naive), paid by every build that "
        "validates"
    )
    if 100 in scale:
        per = (scale[100][0] - scale[10][0]) / 90
        ratio = per / bare
        target = TARGETS["per_inspection"]
        print(
            f"{'time per added inspection (10 -> 100)':48} {per:9.2f} {'':9} "
            f"{ratio:.2f} x bare papermill (target <= {target:g}: "
            f"{'ok' if ratio <= target else 'MISSED'})"
        )
    for count in sorted(c for c in scale if c >= 100):
        peak = scale[count][1] / 2**30
        target = TARGETS["peak_memory_gib"]
        verdict = (
            f"target <= {target:g} GiB: {'ok' if peak <= target else 'MISSED'}"
            if count == 1000
            else "(the target is for 1,000: --thousand)"
        )
        print(f"{f'peak memory, {count}-inspection build (GiB)':48} {peak:9.2f} {'':9} {verdict}")
    print(
        json.dumps(
            {
                "cores": cores,
                "naive": t_naive,
                "cold": t_cold,
                "noop": t_noop,
                "edit": t_edit,
                "bare_papermill": bare,
                "phases": {"cold": cold_phases, "edit": edit_phases},
                "great_expectations_import": gx_import - python_start,
                "scale": {k: v[0] for k, v in scale.items()},
                "peak_memory_bytes": {k: v[1] for k, v in scale.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
