"""The build, as `make reports` runs it, over the five seed inspections and one overview.

The build tests need every kind of page and section, not every inspection: the seeds (a full
report, press releases, a commentary) and one overview give that. Every shipped inspection is
validated by test_shipped_data.py, and the wheel test (marked slow) builds the whole site from
the installed package.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest

from page_scripts import script_problems
from probation_inspections import atomic, config
from probation_inspections.build import site as site_module
from probation_inspections.build.pipeline import build
from probation_inspections.build.tasks import ALWAYS_READ, COMPARISONS
from probation_inspections.fingerprint import Inputs, code_fingerprint
from probation_inspections.tables import READ_LOG_ENV
from probation_inspections.validation.incremental import check_data

ROOT = Path(__file__).resolve().parents[1]


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


#: The seed inspections (every kind of section) and one overview (listed apart on the index).
SEEDS = [
    "2017-01-staffordshire-stoke",
    "2017-08-gloucestershire",
    "2018-10-west-yorkshire-crc",
    "2018-12-staffordshire-west-midlands-crc",
    "2022-08-birmingham-north-east-solihull-pdu",
]
OVERVIEW = "2019-10-annual-summary-2018-19"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A copy of the seeds, an overview and the vocabularies, and a first, cold build of it.

    Yields the data folder, the reports folder, the build's result and the files the build
    wrote, in the order their writes completed (every build product goes through atomic.py).
    """
    tmp = tmp_path_factory.mktemp("build")
    data, reports = tmp / "data", tmp / "reports"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    for inspection_id in [*SEEDS, OVERVIEW]:
        shutil.copytree(
            ROOT / "data" / "inspections" / inspection_id, data / "inspections" / inspection_id
        )
    saved = {k: os.environ.get(k) for k in (config.DATA_DIR_ENV, config.REPORTS_DIR_ENV)}
    os.environ[config.DATA_DIR_ENV] = str(data)
    os.environ[config.REPORTS_DIR_ENV] = str(reports)
    written: list[str] = []
    replace = os.replace

    def recording_replace(source, target):
        replace(source, target)
        written.append(Path(target).relative_to(tmp).as_posix())

    with mock.patch.object(atomic.os, "replace", recording_replace):
        result = build(jobs=2, data_root=data, reports=reports, echo=lambda *_: None)
    yield data, reports, result, written
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"#]+)"', html)


def test_the_cold_build_succeeds(site):
    _, _, result, _ = site
    assert result.ok, [(o.task.name, o.message) for o in result.outcomes]
    assert {o.status for o in result.outcomes} == {"ran"}


def test_the_index_links_every_profile_and_every_comparison(site):
    data, reports, _, _ = site
    index = (reports / "index.html").read_text()
    targets = links(index)
    profiles = sorted({t for t in targets if t.startswith("profiles/")})  # a row per service
    assert profiles == sorted(f"profiles/{p.name}.html" for p in (data / "inspections").iterdir())
    for comparison in COMPARISONS:
        assert f"{comparison.notebook}.html" in targets, f"{comparison.notebook} not on the index"
        assert (reports / f"{comparison.notebook}.html").is_file()
    for target in targets:
        if not target.startswith("http"):
            assert (reports / target).exists(), f"index links a missing page {target}"


def test_the_index_is_written_after_every_page_it_links(site):
    _, reports, _, written = site
    index = "reports/index.html"
    assert written.count(index) == 1
    after_index = written[written.index(index) + 1 :]
    linked = {
        f"reports/{t}"
        for t in links((reports / "index.html").read_text())
        if not t.startswith("http")
    } - {index}
    assert linked <= set(written[: written.index(index)]), (
        "the index must be written last: a kill before a linked page is written leaves a "
        "dangling link"
    )
    assert not [p for p in after_index if p.endswith(".html")], after_index


def test_the_index_lists_overviews_apart_from_inspections(site):
    data, reports, _, _ = site
    index = (reports / "index.html").read_text()
    inspections, rest = index.split('<h2 id="overviews">', 1)
    overviews = rest.split('<h2 id="comparisons">', 1)[0]
    kinds = {
        p.name: re.search(r"^kind: (\w+)$", (p / "inspection.yaml").read_text(), re.M)[1]
        for p in (data / "inspections").iterdir()
    }
    assert set(kinds.values()) == {"inspection", "overview"}
    for inspection_id, kind in kinds.items():
        link = f'href="profiles/{inspection_id}.html"'
        assert link in (overviews if kind == "overview" else inspections), inspection_id
        title = "Overview: " if kind == "overview" else "Inspection profile: "
        assert f"<title>{title}" in (reports / "profiles" / f"{inspection_id}.html").read_text()


def test_no_page_shows_code_or_a_traceback(site):
    _, reports, _, _ = site
    pages = sorted(reports.rglob("*.html"))
    assert len(pages) >= 10
    for page in pages:
        text = page.read_text()
        assert "Traceback" not in text, page
        assert "jp-InputArea" not in text and "input_area" not in text, f"code shown in {page}"
        assert script_problems(reports, page, text) == [], f"{page} carries a script"


def test_processed_tables_are_written_for_researchers(site):
    data, _, _, _ = site
    processed = data / "processed"
    for table in ("need_sufficiency", "judgements", "organisations", "validation_results"):
        assert (processed / f"{table}.csv").exists()
        assert (processed / f"{table}.parquet").exists()


def test_a_second_build_with_nothing_changed_runs_nothing(site):
    data, reports, _, _ = site
    before = tree_digest(reports)
    result = build(jobs=2, data_root=data, reports=reports, echo=lambda *_: None)
    assert result.ok
    assert {o.status for o in result.outcomes} == {"skipped"}
    after = tree_digest(reports)
    assert {k: v for k, v in after.items() if k.startswith("profiles/")} == {
        k: v for k, v in before.items() if k.startswith("profiles/")
    }


def test_warm_parallel_reports_equal_fresh_sequential_papermill_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795305600")  # both builds show the same date
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    seeds = [SEEDS[0], SEEDS[-1]]  # the full report and a press release: every kind of section
    for inspection_id in seeds:
        shutil.copytree(
            ROOT / "data" / "inspections" / inspection_id, data / "inspections" / inspection_id
        )
    warm, fresh = tmp_path / "warm", tmp_path / "fresh"
    assert build(jobs=2, data_root=data, reports=warm, echo=lambda *_: None).ok
    processed = tree_digest(data / "processed")
    result = build(
        jobs=1, force=True, warm=False, data_root=data, reports=fresh, echo=lambda *_: None
    )
    assert result.ok
    warm_pages = {k: v for k, v in tree_digest(warm).items() if k.endswith(".html")}
    fresh_pages = {k: v for k, v in tree_digest(fresh).items() if k.endswith(".html")}
    assert len(warm_pages) == len(seeds) + len(COMPARISONS) + 3  # index, validation, build
    assert warm_pages == fresh_pages, "a warm-kernel page differs from a fresh papermill run"
    assert tree_digest(data / "processed") == processed, "processed tables are not reproducible"


@pytest.fixture(scope="module")
def comparison_reads(site, tmp_path_factory) -> dict[str, set[str]]:
    """The tables each comparison's notebook loads, as the build runs them: one after another in
    one warm kernel, each logging the tables it asks `load()` for (READ_LOG_ENV)."""
    from probation_inspections.build.kernels import WarmKernel

    log = tmp_path_factory.mktemp("reads") / "reads.log"
    kernel = WarmKernel(ROOT / "notebooks", {READ_LOG_ENV: str(log)})
    reads = {}
    try:
        for comparison in COMPARISONS:
            log.write_text("")
            kernel.run(ROOT / "notebooks" / f"{comparison.notebook}.ipynb", {})
            reads[comparison.notebook] = set(log.read_text().split())
    finally:
        kernel.close()
    return reads


@pytest.mark.parametrize("comparison", COMPARISONS, ids=lambda c: c.notebook)
def test_each_comparison_declares_every_table_it_reads(comparison_reads, comparison):
    read = comparison_reads[comparison.notebook]
    assert read, f"{comparison.notebook} loaded no table: the read log is not working"
    undeclared = read - set(comparison.reads) - set(ALWAYS_READ)
    assert not undeclared, (
        f"{comparison.notebook} reads {undeclared} without declaring it: "
        "an edit there would not rebuild it"
    )


@contextmanager
def one_value_edited(data: Path):
    """One need_sufficiency value of Staffordshire and Stoke changed, then put back."""
    path = data / "inspections" / "2017-01-staffordshire-stoke" / "need_sufficiency.csv"
    original = path.read_text()
    path.write_text(
        original.replace("Thinking and behaviour,1,54,", "Thinking and behaviour,1,55,", 1)
    )
    try:
        yield
    finally:
        path.write_text(original)


def test_an_edit_revalidates_its_inspection_only_and_gives_a_full_builds_tables(site):
    data, reports, _, _ = site
    with one_value_edited(data):
        result = build(jobs=2, data_root=data, reports=reports, echo=lambda *_: None)
        assert result.ok
        assert result.validation.validated == ["2017-01-staffordshire-stoke"]
        assert sorted(o.task.name for o in result.outcomes if o.status == "ran") == [
            "crc_vs_nps_sufficiency",
            "inspection_profile(inspection_id=2017-01-staffordshire-stoke)",
        ]
        incremental = tree_digest(data / "processed")
        full = check_data(data, Inputs(data), code_fingerprint(), force=True, echo=lambda *_: None)
        assert sorted(full.validated) == sorted(result.validation.valid_ids)
        assert tree_digest(data / "processed") == incremental, (
            "tables and results validated in part differ from one validation of everything"
        )
        assert full.issues == result.validation.issues == {}
    assert build(jobs=2, data_root=data, reports=reports, echo=lambda *_: None).ok


def test_dry_run_names_exactly_the_reports_an_edit_affects(site):
    data, reports, _, _ = site
    processed = tree_digest(data / "processed")
    said = []
    with one_value_edited(data):
        result = build(dry_run=True, data_root=data, reports=reports, echo=said.append)
    planned = sorted(o.task.name for o in result.outcomes if o.status == "planned")
    assert planned == [
        "crc_vs_nps_sufficiency",
        "inspection_profile(inspection_id=2017-01-staffordshire-stoke)",
    ]
    assert (
        "validated 1 changed inspection(s) to plan the build (nothing written): "
        "2017-01-staffordshire-stoke" in said
    )
    assert tree_digest(data / "processed") == processed, "a dry run writes nothing"


def test_a_broken_inspection_keeps_its_last_good_report_and_the_rest_build(site):
    data, reports, _, _ = site
    broken = "2017-08-gloucestershire"
    profile = reports / "profiles" / f"{broken}.html"
    kept = profile.read_bytes()
    path = data / "inspections" / broken / "inspection.yaml"
    path.write_text(
        path.read_text().replace("programme: quality_and_impact", "programme: no_such_programme")
    )
    curated = tree_digest(data / "inspections")
    result = build(jobs=2, data_root=data, reports=reports, echo=lambda *_: None)
    assert not result.ok, "a failing inspection makes the build report failure"
    assert result.validation.failed_ids == [broken]
    assert result.validation.validated == [broken], "the others are unchanged"
    page = profile.read_text()
    assert site_module.unmark(page) == kept.decode(), "the last good report is kept"
    assert "Out of date</strong>: last good report kept: data now fails validation" in page, (
        "the kept page says on itself that it is stale"
    )
    status = (reports / "build.html").read_text()
    assert "last good report kept" in status
    assert "programme=no_such_programme" in status
    assert all(o.status != "failed" for o in result.outcomes)
    assert tree_digest(data / "inspections") == curated, "the build never writes curated data"
