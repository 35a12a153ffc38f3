"""Fingerprints of what a build product depends on: the package code, library versions, inputs.

One module for `load()` and the build: processed data are current when `dataset_fingerprint`
of the data directory equals the one their manifest was written with. It covers every file of
the package (so a change to any rule, reader or validation code makes `load()` validate again),
the versions of the libraries that shape tables and pages, and every curated and reference file.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from . import config

#: Bumped when the layout of data/processed/ changes, so that an older layout is never read.
FORMAT_VERSION = 1
#: What `Inputs` holds for a folder inside an inspection folder (it has no bytes to hash).
FOLDER = "folder"
#: Libraries whose versions shape the tables and pages.
VERSIONED = (
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbconvert",
    "nbformat",
    "nbclient",
    "great-expectations",
    "scipy",
    "ipykernel",
    "pyarrow",
    "jinja2",
    "itables",
)


def digest(*parts: bytes) -> str:
    """The SHA-256 of `parts`, each prefixed by its length (so no two lists of parts collide)."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(len(part).to_bytes(8, "little") + part)
    return hashed.hexdigest()


def curated_bytes(path: Path) -> bytes:
    """What a fingerprint holds of a curated file: its bytes, or why it cannot be read.

    Read as the readers read it (`curated.readers.read_bytes`): a link, a pipe or a device is
    never followed or opened, and an unreadable file is fingerprinted by its problem, so that a
    build never reads outside the data directory, hangs or stops on one.
    """
    from .curated.readers import read_bytes
    from .errors import DataError

    try:
        return read_bytes(path)
    except DataError as err:
        return b"\0unreadable\0" + err.issues[0].rule.encode()


def _files_digest(paths) -> str:
    return digest(*(p.name.encode() + b"\0" + curated_bytes(p) for p in sorted(paths)))


def _entries(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []


def _package_files() -> list[Path]:
    """Every file of the package's code and templates (not a wheel's bundled data)."""
    return sorted(
        p
        for p in config.PACKAGE_DIR.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and "_bundled" not in p.parts
        and p.suffix != ".pyc"
    )


@lru_cache(maxsize=1)
def _versions() -> bytes:
    parts = []
    for name in VERSIONED:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=none")
    return "\n".join(parts).encode()


@lru_cache(maxsize=4)
def _code_digest(stats: tuple) -> str:
    parts = [
        p.relative_to(config.PACKAGE_DIR).as_posix().encode() + b"\0" + p.read_bytes()
        for p in _package_files()
    ]
    return digest(*parts, _versions())


def code_fingerprint() -> str:
    """Every file of the package and the versions of the libraries that shape a report.

    Read again only when a file of the package changed (size or modification time), so that
    `load()` can ask for it on every call.
    """
    stats = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in _package_files())
    return _code_digest(stats)


def dataset_fingerprint(
    data_root: Path | None = None, inputs: Inputs | None = None, code: str | None = None
) -> str:
    """What processed data rest on: the curated and reference files, the code, the versions."""
    inputs = inputs or Inputs(Path(data_root or config.data_dir()))
    return digest(
        f"format {FORMAT_VERSION}".encode(),
        inputs.everything().encode(),
        (code or code_fingerprint()).encode(),
    )


def current_fingerprint(data_root: Path) -> str:
    """`dataset_fingerprint(data_root)` for `load()`, which asks for it on every call: the files
    are read and hashed again only when one of them changed (its size or modification time), as
    the package's files are (`code_fingerprint`). Otherwise each call would read every curated
    file, and a build of N inspections, whose every notebook calls `load()` for each table it
    reads, would read N x N files.

    In a build's kernels the build names the fingerprint of the data it validated
    (`config.SNAPSHOT_ENV`), and that is the answer for its data directory: no file is looked at.
    """
    root = Path(data_root)
    snapshot = os.environ.get(config.SNAPSHOT_ENV)
    if snapshot and os.environ.get(config.DATA_DIR_ENV):
        if Path(os.environ[config.DATA_DIR_ENV]).resolve() == root.resolve():
            return snapshot
    return _dataset_digest(str(root), _input_stats(root), code_fingerprint())


@lru_cache(maxsize=4)
def _dataset_digest(data_root: str, stats: tuple, code: str) -> str:
    return dataset_fingerprint(Path(data_root), code=code)


def _input_stats(data_root: Path) -> tuple:
    """Size and modification time of every entry `Inputs` reads: the inspection folders, the
    entries in each, and the reference files."""
    folders = [
        p for p in _entries(config.inspections_dir(data_root)) if p.is_dir() and not p.is_symlink()
    ]
    entries = [e for folder in folders for e in _entries(folder)]
    entries += _entries(config.reference_dir(data_root))
    stats: list[tuple] = []
    for entry in [*folders, *entries]:
        try:
            info = entry.lstat()
        except OSError:
            stats.append((str(entry), None))
            continue
        stats.append((str(entry), info.st_mode, info.st_ino, info.st_size, info.st_mtime_ns))
    return tuple(stats)


@dataclass
class Inputs:
    """Hashes of the curated files, by inspection and table, read once per build."""

    data_root: Path

    def __post_init__(self) -> None:
        root = config.inspections_dir(self.data_root)
        self.files: dict[str, dict[str, str]] = {}
        for folder in (p for p in _entries(root) if p.is_dir() and not p.is_symlink()):
            # A folder inside an inspection folder is named too: reading the inspection reports
            # it (or ignores it with a notice), so adding one changes what validation says.
            self.files[folder.name] = {
                p.name: FOLDER if p.is_dir() and not p.is_symlink() else _files_digest([p])
                for p in _entries(folder)
            }
        reference = config.reference_dir(self.data_root)
        self.reference = _files_digest(
            [p for p in _entries(reference) if not p.is_dir() or p.is_symlink()]
        )

    def inspection(self, inspection_id: str) -> str:
        return digest(json.dumps(self.files.get(inspection_id, {}), sort_keys=True).encode())

    def inspection_key(self, inspection_id: str, code: str, data_root: Path) -> str:
        """What one inspection's validation results rest on: its files as read, the reference
        files, the code and library versions (`code_fingerprint`), and the data directory (its
        messages name its files). Equal keys, equal results: the build and `validate` reuse them.
        """
        return digest(
            f"format {FORMAT_VERSION}".encode(),
            self.inspection(inspection_id).encode(),
            self.reference.encode(),
            code.encode(),
            str(Path(data_root).resolve()).encode(),
        )

    def tables(self, tables) -> str:
        wanted = {"inspection.yaml"} | {f"{t}.csv" for t in tables}
        chosen = {
            i: {n: h for n, h in files.items() if n in wanted} for i, files in self.files.items()
        }
        return digest(json.dumps(chosen, sort_keys=True).encode())

    def everything(self) -> str:
        return digest(json.dumps(self.files, sort_keys=True).encode(), self.reference.encode())
