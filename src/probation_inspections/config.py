"""Paths of the project, derived from one root so that no module or notebook builds its own.

The data is found in this order: the directory named by $PROBATION_INSPECTIONS_DATA, then the
`data/` of the repository checkout the package runs from, then the copy bundled in the installed
package (setup.py copies data/ and notebooks/ into the wheel). The bundled copy is never written:
its processed tables go to the user's cache directory.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parents[1]

#: Environment variable that points the package at another data directory (tests, benchmarks).
DATA_DIR_ENV = "PROBATION_INSPECTIONS_DATA"
#: Environment variable that points the build at another output directory.
REPORTS_DIR_ENV = "PROBATION_INSPECTIONS_REPORTS"
#: Set by the build in its kernels' environment: the fingerprint of the data it validated and
#: wrote processed tables for. Every report of one build then reads that one state of the data,
#: and `load()` need not look at every curated file again on each call (see
#: `fingerprint.current_fingerprint`).
SNAPSHOT_ENV = "PROBATION_INSPECTIONS_SNAPSHOT"

INSPECTION_ID_PATTERN = r"^[0-9]{4}-[0-9]{2}-[a-z0-9-]+$"


#: Where the data can come from, in the order they are tried (see `locate`).
SOURCES = ("environment", "checkout", "bundled")
SOURCE_WORDS = {
    "environment": f"${DATA_DIR_ENV}",
    "checkout": "the repository checkout",
    "bundled": "the copy bundled in the package",
}
#: The copy of data/ and notebooks/ an installed wheel carries.
BUNDLED_DIR = PACKAGE_DIR / "_bundled"


@dataclass(frozen=True)
class Location:
    """The data in use: where it was found (one of SOURCES) and its directory."""

    source: str
    root: Path


def checkout_root() -> Path | None:
    """The repository checkout the package runs from (an editable install), if any."""
    if (PROJECT_ROOT / "pyproject.toml").is_file() and (PROJECT_ROOT / "data").is_dir():
        return PROJECT_ROOT
    return None


def locate() -> Location:
    """The data directory: $PROBATION_INSPECTIONS_DATA, else the checkout's data/, else the copy
    bundled in the package."""
    named = os.environ.get(DATA_DIR_ENV)
    if named:
        return Location("environment", Path(named))
    checkout = checkout_root()
    if checkout is not None:
        return Location("checkout", checkout / "data")
    return Location("bundled", BUNDLED_DIR / "data")


def search_order() -> str:
    """The order the data directory is chosen in, and which was chosen: every message about a
    missing file or folder says it, so that the reader knows where the file was expected."""
    return (
        f"data is looked for in {', then '.join(SOURCE_WORDS[s] for s in SOURCES)}; "
        f"in use: {SOURCE_WORDS[locate().source]}"
    )


def data_dir() -> Path:
    """The data directory in use (see `locate`)."""
    return locate().root


def inspections_dir(root: Path | None = None) -> Path:
    return (root or data_dir()) / "inspections"


def reference_dir(root: Path | None = None) -> Path:
    return (root or data_dir()) / "reference"


def processed_dir(root: Path | None = None) -> Path:
    """Where the combined tables of a data directory go: its `processed/`, or, for the bundled
    copy and any directory that cannot be written, a folder of the user's cache directory."""
    root = Path(root or data_dir())
    if not _is_bundled(root) and _writable(root / "processed"):
        return root / "processed"
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return cache_dir() / f"processed-{digest}"


def cache_dir() -> Path:
    """The user's cache directory for this version of the package."""
    from importlib import metadata

    import platformdirs

    return platformdirs.user_cache_path("probation-inspections") / metadata.version(
        "probation-inspections"
    )


def _is_bundled(root: Path) -> bool:
    return root.resolve().is_relative_to(BUNDLED_DIR.resolve())


def _writable(folder: Path) -> bool:
    """Whether `folder` can be written, or created in the nearest folder that exists."""
    while not folder.exists():
        if folder.parent == folder:
            return False
        folder = folder.parent
    return os.access(folder, os.W_OK | os.X_OK)


def reports_dir() -> Path:
    """Where the build writes: $PROBATION_INSPECTIONS_REPORTS, the checkout's reports/, or
    reports/ in the working directory for an installed package."""
    named = os.environ.get(REPORTS_DIR_ENV)
    if named:
        return Path(named)
    checkout = checkout_root()
    return checkout / "reports" if checkout else Path.cwd() / "reports"


def notebooks_dir() -> Path:
    """The report notebooks: the checkout's, else the copy bundled in the package."""
    checkout = checkout_root()
    return checkout / "notebooks" if checkout else BUNDLED_DIR / "notebooks"
