"""What every page says about itself: the data version, the build date, the commit, a citation."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from .. import config, repository

#: Environment variable that names the commit a build shows (else the checkout's HEAD).
COMMIT_ENV = "PROBATION_INSPECTIONS_COMMIT"


@dataclass(frozen=True)
class Stamp:
    """What a page was built from: the data version, the build date and the commit."""

    version: str
    built: dt.date
    commit: str | None = None

    @property
    def built_text(self) -> str:
        return f"{self.built.day} {self.built:%B %Y}"

    @classmethod
    def from_environment(cls, environ=None, root: Path | None = None) -> Stamp:
        """The stamp of a build: SOURCE_DATE_EPOCH (else today, UTC) and the commit named by
        PROBATION_INSPECTIONS_COMMIT (else the checkout's HEAD; none outside a checkout), so
        that a build given the same inputs writes the same bytes."""
        environ = os.environ if environ is None else environ
        epoch = environ.get("SOURCE_DATE_EPOCH")
        built = (
            dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
        ).date()
        commit = environ.get(COMMIT_ENV) or _checkout_commit(root or config.PROJECT_ROOT)
        return cls(metadata.version("probation-inspections"), built, commit or None)


def _checkout_commit(root: Path) -> str | None:
    """The first 12 digits of the commit of the checkout at `root` (not of a repository that
    merely holds the folder an installed package is in)."""
    head = repository.commit(root) if (root / ".git").exists() else None
    return head[:12] if head else None


@cache
def _citation_file() -> dict:
    import yaml

    try:
        text = (config.PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8")
    except OSError:
        return {}
    return yaml.safe_load(text) or {}


def citation(page_title: str, stamp: Stamp, cff: dict | None = None) -> str:
    """'Authors (year). Title, version V. Page “…”, built D from commit C.', from CITATION.cff
    (the package's name and version where the file is not at hand, as in an installed wheel)."""
    cff = _citation_file() if cff is None else cff
    names = [
        a.get("name") or " ".join(filter(None, (a.get("given-names"), a.get("family-names"))))
        for a in cff.get("authors", [])
    ]
    authors = "; ".join(n for n in names if n) or "probation-inspections contributors"
    year = str(cff.get("date-released", stamp.built))[:4]
    title = cff.get("title") or "probation-inspections"
    version = cff.get("version") or stamp.version
    built = f"built {stamp.built_text}" + (f" from commit {stamp.commit}" if stamp.commit else "")
    return f"{authors} ({year}). {title}, version {version}. Page “{page_title}”, {built}."
