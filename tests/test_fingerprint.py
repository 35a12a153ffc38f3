"""What makes processed data stale: one fingerprint of the curated files, the code, the versions."""

from __future__ import annotations

import json
import shutil

import pytest

from probation_inspections import config, tables
from probation_inspections.fingerprint import code_fingerprint, dataset_fingerprint


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """A copy of the package's files, which the fingerprint reads instead of the package."""
    copy = tmp_path / "package"
    shutil.copytree(
        config.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "_bundled")
    )
    monkeypatch.setattr(config, "PACKAGE_DIR", copy)
    return copy


@pytest.mark.parametrize(
    "module",
    ["validation/suites.py", "errors.py", "analysis/needs.py", "curated/templates/inspection.yaml"],
)
def test_a_change_to_any_file_of_the_package_makes_processed_data_stale(
    data_root, package_copy, module
):
    before = dataset_fingerprint(data_root)
    path = package_copy / module
    path.write_text(path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert dataset_fingerprint(data_root) != before, f"an edit of {module} went unnoticed"


def test_the_same_code_anywhere_has_the_same_fingerprint(package_copy, monkeypatch):
    copied = code_fingerprint()
    monkeypatch.setattr(
        config, "PACKAGE_DIR", config.PROJECT_ROOT / "src" / "probation_inspections"
    )
    assert code_fingerprint() == copied, "the fingerprint depends on where the package lies"


def test_an_edited_curated_or_reference_file_makes_processed_data_stale(data_root):
    before = dataset_fingerprint(data_root)
    needs = data_root / "inspections" / "2017-01-test-area" / "need_sufficiency.csv"
    needs.write_text(needs.read_text(encoding="utf-8").replace(",54,", ",55,"), encoding="utf-8")
    after_edit = dataset_fingerprint(data_root)
    assert after_edit != before
    aliases = data_root / "reference" / "aliases.csv"
    aliases.write_text(
        aliases.read_text(encoding="utf-8") + "need,Drink,alcohol\n", encoding="utf-8"
    )
    assert dataset_fingerprint(data_root) != after_edit


def test_load_validates_again_when_the_code_changed_since_the_tables_were_written(
    data_root, package_copy, monkeypatch
):
    monkeypatch.setenv(config.DATA_DIR_ENV, str(data_root))
    tables._tables.cache_clear()
    first = tables.load("need_sufficiency")
    out = data_root / "processed"
    manifest = json.loads((out / tables.MANIFEST).read_text())
    assert manifest["fingerprint"] == dataset_fingerprint(data_root), (
        "load() caches what it validated under the fingerprint of the current code and data"
    )
    # Processed tables written for the current code, with a marker row that only they hold.
    marked = first.copy()
    marked.loc[0, "percent_sufficient"] = 99
    frames = {name: tables.load(name) for name in tables.TABLES}
    frames["need_sufficiency"] = marked
    tables.write_processed(
        frames,
        tables.load_validation_results(),
        {"fingerprint": dataset_fingerprint(data_root)},
        data_root,
    )
    tables._tables.cache_clear()
    assert tables.load("need_sufficiency").loc[0, "percent_sufficient"] == 99, (
        "current processed tables are read"
    )
    suites = package_copy / "validation" / "suites.py"
    suites.write_text(suites.read_text(encoding="utf-8") + "\n# a changed rule\n", encoding="utf-8")
    assert tables.load("need_sufficiency").loc[0, "percent_sufficient"] != 99, (
        "after a change to validation code, load() validated again instead of reading old tables"
    )
    tables._tables.cache_clear()


def test_load_reads_the_curated_files_again_only_when_one_of_them_changed(data_root, monkeypatch):
    """Every notebook of a build calls load() once per table: were each call to read every
    curated file, a build of N inspections would read N x N files."""
    from probation_inspections import fingerprint

    reads = []
    monkeypatch.setattr(
        fingerprint,
        "curated_bytes",
        lambda path, read=fingerprint.curated_bytes: reads.append(path.name) or read(path),
    )
    first = fingerprint.current_fingerprint(data_root)
    assert first == dataset_fingerprint(data_root) and reads
    reads.clear()
    assert fingerprint.current_fingerprint(data_root) == first
    assert reads == [], "unchanged files were read again"

    needs = data_root / "inspections" / "2017-01-test-area" / "need_sufficiency.csv"
    needs.write_text(needs.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert fingerprint.current_fingerprint(data_root) == dataset_fingerprint(data_root) != first


def test_in_a_build_kernel_the_named_snapshot_is_the_fingerprint_of_its_data_only(
    data_root, tmp_path, monkeypatch
):
    from probation_inspections.fingerprint import current_fingerprint

    other = tmp_path / "other"
    shutil.copytree(data_root, other)
    computed = current_fingerprint(other)
    monkeypatch.setenv(config.DATA_DIR_ENV, str(data_root))
    monkeypatch.setenv(config.SNAPSHOT_ENV, "the state the build validated")
    path = data_root / "inspections" / "2017-01-test-area" / "need_sufficiency.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",54,", ",55,"), encoding="utf-8")
    assert current_fingerprint(data_root) == "the state the build validated", (
        "a report of one build reads the data the build validated, edited since or not"
    )
    assert current_fingerprint(other) == computed, "another directory is fingerprinted as ever"
    monkeypatch.delenv(config.SNAPSHOT_ENV)
    assert current_fingerprint(data_root) == dataset_fingerprint(data_root)
