"""Paths of the project, derived from one root so that no module or notebook builds its own."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parents[1]

#: Environment variable that points the package at another data directory (tests, benchmarks).
DATA_DIR_ENV = "PROBATION_INSPECTIONS_DATA"
#: Environment variable that points the build at another output directory.
REPORTS_DIR_ENV = "PROBATION_INSPECTIONS_REPORTS"

INSPECTION_ID_PATTERN = r"^[0-9]{4}-[0-9]{2}-[a-z0-9-]+$"


def data_dir() -> Path:
    """The data directory: `data/` of the project unless the environment names another."""
    return Path(os.environ.get(DATA_DIR_ENV) or PROJECT_ROOT / "data")


def inspections_dir(root: Path | None = None) -> Path:
    return (root or data_dir()) / "inspections"


def reference_dir(root: Path | None = None) -> Path:
    return (root or data_dir()) / "reference"


def processed_dir(root: Path | None = None) -> Path:
    return (root or data_dir()) / "processed"


def reports_dir() -> Path:
    return Path(os.environ.get(REPORTS_DIR_ENV) or PROJECT_ROOT / "reports")


def notebooks_dir() -> Path:
    return PROJECT_ROOT / "notebooks"
