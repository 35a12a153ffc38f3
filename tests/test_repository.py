"""The one question asked of git: which commit a checkout has, and whether files differ from it.

Pages (report/stamp.py), the data release (export.py) and the wheel's bundled copy (setup.py)
all ask it through repository.commit.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from probation_inspections import repository

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(folder: Path, *arguments: str) -> str:
    done = subprocess.run(
        [
            "git",
            "-C",
            str(folder),
            "-c",
            "user.name=Curator",
            "-c",
            "user.email=c@example.org",
            *arguments,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def checkout(tmp_path):
    folder = tmp_path / "checkout"
    (folder / "data").mkdir(parents=True)
    (folder / "notes").mkdir()
    (folder / "data" / "ratings.csv").write_text("rating\ngood\n")
    (folder / "notes" / "todo.txt").write_text("check the ratings\n")
    git(folder, "init", "-q")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "Curate the ratings")
    return folder


def test_a_clean_checkout_names_its_commit(checkout):
    assert repository.commit(checkout) == git(checkout, "rev-parse", "HEAD")
    assert re.fullmatch(r"[0-9a-f]{40}", repository.commit(checkout, ["data"]))


def test_a_changed_file_marks_the_commit_dirty_only_where_it_is_asked_about(checkout):
    head = git(checkout, "rev-parse", "HEAD")
    (checkout / "notes" / "todo.txt").write_text("done\n")
    assert repository.commit(checkout, ["data"]) == head
    assert repository.commit(checkout, ["notes"]) == f"{head}-dirty"
    assert repository.commit(checkout, ["."]) == f"{head}-dirty"
    assert repository.commit(checkout) == head  # nothing asked about: no check of files


def test_outside_a_repository_there_is_no_commit(tmp_path):
    assert repository.commit(tmp_path) is None
    assert repository.commit(tmp_path / "missing") is None
