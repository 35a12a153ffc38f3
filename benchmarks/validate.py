"""`validate` with nothing changed since the last build, against a cold `validate`.

Prints the times of a cold `probation-inspections validate` (no build results to reuse) and of
one after the build's validation stage has run on the same data (every inspection unchanged),
and their ratio. Target: the warm run takes at most 0.10 of the cold one. Run on a copy of the
shipped data, side by side in one run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TARGET = 0.10


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=False, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-validate-") as work:
        data = Path(work) / "data"
        shutil.copytree(ROOT / "data" / "reference", data / "reference")
        shutil.copytree(ROOT / "data" / "inspections", data / "inspections")
        env = {**os.environ, "PROBATION_INSPECTIONS_DATA": str(data)}
        validate = [str(BIN / "probation-inspections"), "validate"]
        cold = min(timed(validate, env) for _ in range(2))
        stage = (
            "from pathlib import Path; from probation_inspections.fingerprint import "
            "Inputs, code_fingerprint; from probation_inspections.validation.incremental "
            f"import check_data; d = Path({str(data)!r}); "
            "check_data(d, Inputs(d), code_fingerprint(), False, lambda *_: None)"
        )
        subprocess.run([sys.executable, "-c", stage], env=env, check=True)
        warm = min(timed(validate, env) for _ in range(3))
    ratio = warm / cold
    print(f"validate, cold:                      {cold:6.2f} s")
    print(f"validate, nothing changed since build: {warm:6.2f} s")
    print(f"ratio {ratio:.3f} (target <= {TARGET:.2f}): {'met' if ratio <= TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()
