"""What git says of a checkout: the commit it has, and whether files differ from that commit.

It uses the standard library only and imports nothing of the package: setup.py loads this file
by its path when the wheel is built, when neither the package nor its dependencies can be
imported.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path


def commit(folder: Path, dirty: Sequence[str] = ()) -> str | None:
    """The commit checked out in the repository holding `folder`, with `-dirty` when any of the
    paths `dirty` (relative to `folder`) differs from it; None outside a repository or without
    git."""
    try:
        head = _git(folder, "rev-parse", "HEAD", timeout=10)
        if head.returncode != 0:
            return None
        changed = bool(dirty) and bool(
            _git(folder, "status", "--porcelain", "--", *dirty, timeout=30).stdout.strip()
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return head.stdout.strip() + ("-dirty" if changed else "")


def _git(folder: Path, *arguments: str, timeout: float) -> subprocess.CompletedProcess[str]:
    # git as found on PATH, with fixed arguments: no input reaches a shell or the command.
    return subprocess.run(  # noqa: S603
        ["git", "-C", str(folder), *arguments],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
