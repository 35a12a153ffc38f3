"""Where the data comes from, and what the first and later `load()` calls do with it.

The data is found in this order: $PROBATION_INSPECTIONS_DATA, the repository checkout, the copy
bundled in an installed package. (tests/test_wheel.py installs the real wheel.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from probation_inspections import cli, config, load, tables
from probation_inspections.curated.readers import read_csv
from probation_inspections.curated.scaffold import new_inspection
from probation_inspections.errors import DataError

ORDER = (
    "data is looked for in $PROBATION_INSPECTIONS_DATA, then the repository checkout, then "
    "the copy bundled in the package"
)


@pytest.fixture
def installed(tmp_path, monkeypatch, data_root):
    """The package as a wheel installs it: no checkout around it, the data bundled inside."""
    bundle = tmp_path / "site-packages" / "probation_inspections" / "_bundled"
    shutil.copytree(data_root, bundle / "data")
    (bundle / "BUNDLE.json").write_text('{"commit": "0123abc"}\n', encoding="utf-8")
    monkeypatch.setattr(config, "PROJECT_ROOT", tmp_path / "site-packages")
    monkeypatch.setattr(config, "BUNDLED_DIR", bundle)
    monkeypatch.delenv(config.DATA_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return bundle


@pytest.fixture
def fresh():
    """load() as in a new process: nothing remembered from earlier calls."""
    tables._tables.cache_clear()
    yield
    tables._tables.cache_clear()


def test_the_environment_variable_comes_first(monkeypatch, data_root):
    monkeypatch.setenv(config.DATA_DIR_ENV, str(data_root))
    assert config.locate() == config.Location("environment", data_root)


def test_a_checkout_uses_its_own_data_folder(monkeypatch):
    monkeypatch.delenv(config.DATA_DIR_ENV, raising=False)
    assert config.locate() == config.Location("checkout", config.PROJECT_ROOT / "data")
    assert config.notebooks_dir() == config.PROJECT_ROOT / "notebooks"


def test_an_installed_package_uses_its_bundled_copy(installed):
    assert config.locate() == config.Location("bundled", installed / "data")
    assert config.notebooks_dir() == installed / "notebooks"
    assert config.reports_dir() == Path.cwd() / "reports"


def test_processed_tables_of_the_bundled_copy_go_to_the_users_cache(installed, tmp_path):
    processed = config.processed_dir()
    assert processed.is_relative_to(tmp_path / "cache" / "probation-inspections")
    assert not processed.is_relative_to(installed)


def test_a_missing_file_names_the_search_order_and_the_data_in_use(installed):
    with pytest.raises(DataError) as raised:
        read_csv(installed / "data" / "reference" / "nowhere.csv")
    message = str(raised.value)
    assert "nowhere.csv: file is missing" in message
    assert ORDER in message and "in use: the copy bundled in the package" in message


def test_load_from_the_bundled_copy_writes_nothing_into_the_package(installed, fresh, capsys):
    before = sorted(p.relative_to(installed) for p in installed.rglob("*"))
    frame = load("need_sufficiency")
    assert len(frame) == 5
    assert sorted(p.relative_to(installed) for p in installed.rglob("*")) == before
    assert (config.processed_dir() / "manifest.json").exists()


def test_first_load_says_it_validates_once_and_the_next_reads_the_cache(
    monkeypatch, data_root, fresh, capsys
):
    monkeypatch.setenv(config.DATA_DIR_ENV, str(data_root))
    first = load("judgements")
    said = capsys.readouterr().err
    assert "validating 1 inspections once; later calls read the cache" in said
    assert (data_root / "processed" / "manifest.json").exists()
    tables._tables.cache_clear()  # as a new process would start
    second = load("judgements")
    assert "validating" not in capsys.readouterr().err
    assert second.equals(first)


def test_an_edit_makes_the_next_load_validate_again(monkeypatch, data_root, fresh, capsys):
    monkeypatch.setenv(config.DATA_DIR_ENV, str(data_root))
    load("need_sufficiency")
    capsys.readouterr()
    path = data_root / "inspections" / "2017-01-test-area" / "need_sufficiency.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",54,", ",55,"), encoding="utf-8")
    tables._tables.cache_clear()
    frame = load("need_sufficiency")
    assert "validating 1 inspections once" in capsys.readouterr().err
    assert 55 in frame["percent_sufficient"].tolist()


def test_an_inspection_left_out_is_still_named_when_read_from_the_cache(
    monkeypatch, data_root, fresh
):
    broken = data_root / "inspections" / "2017-02-broken-area"
    shutil.copytree(data_root / "inspections" / "2017-01-test-area", broken)
    yaml = broken / "inspection.yaml"
    yaml.write_text(
        yaml.read_text(encoding="utf-8").replace("2017-01-test-area", "2017-02-broken-area"),
        encoding="utf-8",
    )
    needs = broken / "need_sufficiency.csv"
    needs.write_text(needs.read_text(encoding="utf-8").replace(",54,", ",154,"), encoding="utf-8")
    monkeypatch.setenv(config.DATA_DIR_ENV, str(data_root))
    with pytest.warns(UserWarning, match="left out.*2017-02-broken-area"):
        load("ratings")
    tables._tables.cache_clear()
    with pytest.warns(UserWarning, match="left out.*2017-02-broken-area"):
        assert set(load("need_sufficiency")["inspection_id"]) == {"2017-01-test-area"}


def test_new_refuses_to_write_into_the_bundled_copy(installed):
    with pytest.raises(DataError, match="read-only"):
        new_inspection("2024-01-new-area")
    assert not (installed / "data" / "inspections" / "2024-01-new-area").exists()


def test_info_says_which_data_from_where_and_which_version(installed, capsys):
    from probation_inspections import __version__

    assert cli.main(["info"]) == 0
    out = capsys.readouterr().out
    assert f"version:      {__version__}" in out
    assert "from:         bundled" in out
    assert "commit:       0123abc" in out
    assert "inspections:  1" in out
    assert str(installed / "data") in out


def test_export_command_writes_the_package_and_refuses_a_foreign_directory(
    monkeypatch, data_root, tmp_path, fresh, capsys
):
    monkeypatch.setenv(config.DATA_DIR_ENV, str(data_root))
    target = tmp_path / "release"
    assert cli.main(["export", str(target), "--archive"]) == 0
    assert (target / "datapackage.json").exists()
    assert list(tmp_path.glob("probation-inspections-data-*.zip"))
    assert cli.main(["export", str(target)]) == 0, "an earlier export is replaced"
    other = tmp_path / "mine"
    other.mkdir()
    (other / "thesis.docx").write_bytes(b"keep")
    assert cli.main(["export", str(other)]) == 2
    assert (other / "thesis.docx").read_bytes() == b"keep"
