"""Load benchmark: the first `load()` after a fresh clone against the next one, each in a new
process, on a copy of the shipped data with no processed tables (as a fresh clone has).

- first   validates every inspection once and writes the cache (data/processed/);
- second  a new process that reads the cache (target: at most 1 s for the call).

Each is timed twice: the `load("ratings")` call itself (import excluded), and the whole process
(interpreter start, `import probation_inspections`, the call). Prints seconds and the ratio of
first to second. Usage: `python benchmarks/load.py` (or `make bench-load`); `--repeat N` times
the second call N times and reports the slowest.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 1.0
PROBE = (
    "import sys, time; started = time.perf_counter(); "
    "from probation_inspections import load; imported = time.perf_counter(); "
    "rows = len(load('ratings')); done = time.perf_counter(); "
    "print(f'{imported - started:.3f} {done - imported:.3f} {rows}')"
)


def one_process(data: Path) -> tuple[float, float, float, int, str]:
    """(import seconds, load seconds, process seconds, rows, what it said on stderr)."""
    env = {**os.environ, "PROBATION_INSPECTIONS_DATA": str(data)}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - started
    imported, loaded, rows = done.stdout.split()
    return float(imported), float(loaded), wall, int(rows), done.stderr.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="load-bench-") as tmp:
        data = Path(tmp) / "data"
        for part in ("inspections", "reference"):
            shutil.copytree(ROOT / "data" / part, data / part)
        first = one_process(data)
        seconds = [one_process(data) for _ in range(max(1, args.repeat))]
    second = max(seconds, key=lambda s: s[1])
    print(f"first load() said: {first[4] or '(nothing)'}")
    print(f"{'':8} {'load() s':>9} {'process s':>10} {'import s':>9} rows")
    for name, row in (("first", first), ("second", second)):
        print(f"{name:8} {row[1]:9.3f} {row[2]:10.3f} {row[0]:9.3f} {row[3]}")
    print(
        f"ratio first/second: load() {first[1] / second[1]:.1f}x, process "
        f"{first[2] / second[2]:.1f}x"
    )
    verdict = "met" if second[1] <= TARGET_SECONDS else "MISSED"
    print(
        f"target: second load() <= {TARGET_SECONDS:.1f} s ({second[1] / TARGET_SECONDS:.2f} "
        f"of it): {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
