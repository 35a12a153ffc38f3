"""Write environment.yml (conda, mamba, Binder) from requirements.lock: every locked package,
pinned to the version the lock gives, so a conda or Binder environment is the tested one.

Usage: `python scripts/environment_yml.py > environment.yml` (or `make environment`);
tests/test_environment.py checks that the committed file is what this script writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The Python the lock was resolved and tested on (the package itself needs >= 3.11).
PYTHON = "3.11"

HEADER = f"""\
# Generated from requirements.lock by scripts/environment_yml.py (`make environment`):
# do not edit by hand. Every package is pinned as in the lock, so a conda, mamba or Binder
# environment is the one the tests ran in; tests/test_environment.py checks the two agree.
name: probation-inspections
channels:
  - conda-forge
dependencies:
  - python={PYTHON}
  - pip
  - pip:
"""


def locked(lock: Path = ROOT / "requirements.lock") -> list[str]:
    """The `name==version` lines of the lock, in its order (comments and blanks dropped)."""
    lines = [line.strip() for line in lock.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def render(lock: Path = ROOT / "requirements.lock") -> str:
    pins = "".join(f"      - {line}\n" for line in locked(lock))
    return HEADER + pins + "      - -e .\n"


if __name__ == "__main__":
    sys.stdout.write(render())
