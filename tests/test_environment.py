"""The three descriptions of the environment agree: pyproject.toml, requirements.lock, environment.yml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonical(name)] = version
    return pins


def direct() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = project["dependencies"] + [r for extra in project["optional-dependencies"].values()
                                       for r in extra]
    return [Requirement(r) for r in names]


def conda_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    return {canonical(p.split("==")[0]): p.split("==")[1] for p in pip if "==" in p}


def test_every_direct_dependency_is_locked_within_its_range():
    pins = lock()
    for requirement in direct():
        name = canonical(requirement.name)
        assert name in pins, f"{name} is not in requirements.lock"
        assert requirement.specifier.contains(pins[name]), \
            f"{name}=={pins[name]} in the lock is outside {requirement.specifier}"


def test_environment_yml_pins_every_direct_dependency_as_the_lock_does():
    pins, conda = lock(), conda_pins()
    for requirement in direct():
        name = canonical(requirement.name)
        assert conda.get(name) == pins[name], \
            f"environment.yml pins {name} to {conda.get(name)}, the lock to {pins[name]}"
    assert set(conda) <= {canonical(r.name) for r in direct()}, "environment.yml pins extras"


def test_environment_yml_uses_the_python_of_the_project():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]
