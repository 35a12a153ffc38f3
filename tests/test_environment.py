"""The descriptions of the environment agree: pyproject.toml, requirements.lock, environment.yml."""

from __future__ import annotations

import re
import runpy
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

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


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def direct() -> list[Requirement]:
    names = project()["dependencies"] + [
        r for extra in project()["optional-dependencies"].values() for r in extra
    ]
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
        assert requirement.specifier.contains(pins[name]), (
            f"{name}=={pins[name]} in the lock is outside {requirement.specifier}"
        )


def test_the_lock_holds_the_dependencies_of_every_package_it_pins():
    # frictionless needs petl, typer needs rich ...: each of them pinned too, within range.
    pins, environment = lock(), {"extra": "", "python_version": "3.11"}
    for name in pins:
        for text in metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker and not requirement.marker.evaluate(environment):
                continue
            needed = canonical(requirement.name)
            assert needed in pins, f"{name} needs {needed}, which requirements.lock lacks"
            assert requirement.specifier.contains(pins[needed], prereleases=True), (
                f"{name} needs {requirement}, the lock pins {needed}=={pins[needed]}"
            )


def test_environment_yml_pins_every_locked_package_as_the_lock_does():
    pins, conda = lock(), conda_pins()
    differ = {n: (conda.get(n), v) for n, v in pins.items() if conda.get(n) != v}
    assert not differ, f"environment.yml against the lock (yml, lock): {differ}"
    assert set(conda) == set(pins), f"pinned in environment.yml only: {set(conda) - set(pins)}"


def test_environment_yml_is_the_one_generated_from_the_lock():
    script = runpy.run_path(str(ROOT / "scripts" / "environment_yml.py"))
    assert (ROOT / "environment.yml").read_text() == script["render"](), (
        "environment.yml is not current: run `make environment`"
    )


def test_environment_yml_renders_a_changed_pin(tmp_path):
    script = runpy.run_path(str(ROOT / "scripts" / "environment_yml.py"))
    changed = tmp_path / "requirements.lock"
    changed.write_text("pandas==9.9.9\n# a comment\n\nscipy==1.0\n")
    pip = next(
        d["pip"]
        for d in yaml.safe_load(script["render"](changed))["dependencies"]
        if isinstance(d, dict)
    )
    assert pip == ["pandas==9.9.9", "scipy==1.0", "-e ."]


def test_environment_yml_uses_a_python_the_project_supports():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    version = python.split("=", 1)[1]
    assert SpecifierSet(project()["requires-python"]).contains(version + ".0")
    assert version == f"{sys.version_info.major}.{sys.version_info.minor}", (
        "environment.yml names another Python than the one the tests run on"
    )


def test_python_has_no_upper_bound_and_jupyterlab_is_an_extra():
    assert all(spec.operator in (">=", ">") for spec in SpecifierSet(project()["requires-python"]))
    runtime = {canonical(Requirement(r).name) for r in project()["dependencies"]}
    extras = project()["optional-dependencies"]
    assert "jupyterlab" not in runtime
    assert "jupyterlab" in {canonical(Requirement(r).name) for r in extras["lab"]}
    assert {"pytest", "nbval"} <= {canonical(Requirement(r).name) for r in extras["test"]}
    assert {"frictionless", "openpyxl"} <= runtime
