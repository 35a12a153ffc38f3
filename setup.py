"""Build hook: the wheel carries a copy of the curated data and the notebooks.

Everything else about the package is in pyproject.toml. The data lives once in git (data/,
notebooks/); building the package copies it into probation_inspections/_bundled/ of the wheel,
with BUNDLE.json naming the commit it was copied from. Editable installs copy nothing: they read
the repository checkout itself.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: What is copied, from the repository root into _bundled/ (data/processed is a build product).
BUNDLED = ("data/inspections", "data/reference", "data/LICENSE", "notebooks")


def _commit() -> str | None:
    """The commit the copy is made from (`-dirty` when data or notebooks differ from it)."""
    path = ROOT / "src" / "probation_inspections" / "repository.py"
    spec = importlib.util.spec_from_file_location("_repository", path)
    if spec is None or spec.loader is None:
        return None
    repository = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(repository)
    return repository.commit(ROOT, ["data", "notebooks"])


class BuildWithData(build_py):
    def run(self) -> None:
        editable = getattr(self, "editable_mode", False)
        if not editable:  # an in-tree build/ must not keep modules that have moved since
            shutil.rmtree(Path(self.build_lib) / "probation_inspections", ignore_errors=True)
        super().run()
        if editable:
            return
        bundle = Path(self.build_lib) / "probation_inspections" / "_bundled"
        shutil.rmtree(bundle, ignore_errors=True)
        for name in BUNDLED:
            source, target = ROOT / name, bundle / name
            if source.is_dir():
                shutil.copytree(
                    source, target, ignore=shutil.ignore_patterns(".*", "__pycache__", "*.pyc")
                )
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
        (bundle / "BUNDLE.json").write_text(
            json.dumps({"commit": _commit()}) + "\n", encoding="utf-8"
        )


setup(cmdclass={"build_py": BuildWithData})
