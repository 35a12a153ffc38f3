"""Fingerprints of what a build product depends on: the package code, library versions, inputs."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from . import config

VERSIONED = ("pandas", "numpy", "matplotlib", "seaborn", "papermill", "nbconvert", "nbformat",
             "nbclient", "great-expectations", "scipy", "ipykernel", "pyarrow", "jinja2",
             "itables")


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "little") + part)
    return digest.hexdigest()


def _files_digest(paths) -> str:
    return _digest(*(p.name.encode() + b"\0" + p.read_bytes() for p in sorted(paths)))


def code_fingerprint() -> str:
    """The package's code and the versions of the libraries that shape a report."""
    parts = [p.relative_to(config.PACKAGE_DIR).as_posix().encode() + p.read_bytes()
             for p in sorted(config.PACKAGE_DIR.rglob("*")) if p.is_file()
             and p.suffix in (".py", ".yaml", ".j2", ".css") and "__pycache__" not in p.parts]
    for name in VERSIONED:
        try:
            parts.append(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=none".encode())
    return _digest(*parts)


@dataclass
class Inputs:
    """Hashes of the curated files, by inspection and table, read once per build."""

    data_root: Path

    def __post_init__(self) -> None:
        root = config.inspections_dir(self.data_root)
        self.files: dict[str, dict[str, str]] = {}
        for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
            self.files[folder.name] = {p.name: _files_digest([p])
                                       for p in folder.iterdir() if p.is_file()}
        reference = config.reference_dir(self.data_root)
        self.reference = _files_digest([p for p in reference.glob("*") if p.is_file()]) \
            if reference.is_dir() else ""

    def inspection(self, inspection_id: str) -> str:
        return _digest(json.dumps(self.files.get(inspection_id, {}), sort_keys=True).encode())

    def tables(self, tables) -> str:
        wanted = {"inspection.yaml"} | {f"{t}.csv" for t in tables}
        chosen = {i: {n: h for n, h in files.items() if n in wanted}
                  for i, files in self.files.items()}
        return _digest(json.dumps(chosen, sort_keys=True).encode())

    def everything(self) -> str:
        return _digest(json.dumps(self.files, sort_keys=True).encode(), self.reference.encode())
