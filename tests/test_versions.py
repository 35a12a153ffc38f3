"""One version names the package and its data: pyproject.toml, the installed metadata,
CITATION.cff and the changelog agree."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import yaml

import probation_inspections

ROOT = Path(__file__).resolve().parents[1]


def project_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def changelog_versions() -> list[str]:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    return re.findall(r"^## \[([^\]]+)\]", text, flags=re.MULTILINE)


def test_the_installed_package_reports_the_version_of_pyproject():
    assert metadata.version("probation-inspections") == project_version()
    assert probation_inspections.__version__ == project_version()


def test_citation_names_the_package_version():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(citation["version"]) == project_version()


def test_changelog_has_a_section_for_the_version_and_a_data_section_in_each():
    versions = changelog_versions()
    assert versions[0] == "Unreleased"
    assert project_version() in versions, "CHANGELOG.md has no section for the current version"
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    for section in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        assert "\n### Data\n" in section, f"no Data section under {section.splitlines()[0]}"


def test_released_versions_are_dated_and_newest_first():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(
        r"^## \[([0-9][^\]]*)\] - ([0-9]{4}-[0-9]{2}-[0-9]{2})$", text, flags=re.MULTILINE
    )
    assert [v for v, _ in released] == changelog_versions()[1:], "a release heading lacks its date"
    keys = [tuple(int(p) for p in v.split(".")) for v, _ in released]
    assert keys == sorted(keys, reverse=True)


def test_the_command_line_prints_the_version(capsys):
    from probation_inspections import cli

    try:
        cli.main(["--version"])
    except SystemExit as done:
        assert done.code == 0
    assert capsys.readouterr().out.strip() == f"probation-inspections {project_version()}"
