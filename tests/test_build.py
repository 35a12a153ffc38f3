"""The full build, as `make reports` runs it: every report regenerated from the shipped data."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from probation_inspections import config
from probation_inspections.build.pipeline import build
from probation_inspections.build.tasks import ALWAYS_READ, COMPARISONS
from probation_inspections.fingerprint import Inputs, code_fingerprint
from probation_inspections.tables import READ_LOG_ENV
from probation_inspections.validation.incremental import check_data

ROOT = Path(__file__).resolve().parents[1]


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A copy of the shipped data and a first, cold build of it."""
    tmp = tmp_path_factory.mktemp("build")
    data, reports = tmp / "data", tmp / "reports"
    for folder in ("inspections", "reference"):
        shutil.copytree(ROOT / "data" / folder, data / folder)
    saved = {k: os.environ.get(k) for k in (config.DATA_DIR_ENV, config.REPORTS_DIR_ENV)}
    os.environ[config.DATA_DIR_ENV] = str(data)
    os.environ[config.REPORTS_DIR_ENV] = str(reports)
    result = build(jobs=2, data_root=data, reports=reports, echo=lambda *_: None)
    yield data, reports, result
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"#]+)"', html)


def test_the_cold_build_succeeds(site):
    _, _, result = site
    assert result.ok, [(o.task.name, o.message) for o in result.outcomes]
    assert {o.status for o in result.outcomes} == {"ran"}


def test_the_index_links_five_profiles_and_three_comparisons(site):
    _, reports, _ = site
    index = (reports / "index.html").read_text()
    targets = links(index)
    profiles = [t for t in targets if t.startswith("profiles/")]
    shipped = [p for p in (ROOT / "data" / "inspections").iterdir() if p.is_dir()]
    assert len(profiles) == len(shipped) >= 5
    for inspection_id in SEEDS:
        assert f"profiles/{inspection_id}.html" in profiles
    for name in ("cross_area_ranges", "crc_vs_nps_sufficiency", "ratings_and_caseloads"):
        assert f"{name}.html" in targets
    for target in targets:
        if not target.startswith("http"):
            assert (reports / target).exists(), f"index links a missing page {target}"


def test_the_index_lists_overviews_apart_from_inspections(site):
    _, reports, _ = site
    index = (reports / "index.html").read_text()
    inspections, rest = index.split('<h2 id="overviews">', 1)
    overviews = rest.split('<h2 id="comparisons">', 1)[0]
    kinds = {p.name: re.search(r"^kind: (\w+)$", (p / "inspection.yaml").read_text(), re.M)[1]
             for p in (ROOT / "data" / "inspections").iterdir() if p.is_dir()}
    for inspection_id, kind in kinds.items():
        link = f'href="profiles/{inspection_id}.html"'
        assert link in (overviews if kind == "overview" else inspections), inspection_id
        title = "Overview: " if kind == "overview" else "Inspection profile: "
        assert f"<title>{title}" in (reports / "profiles" / f"{inspection_id}.html").read_text()


def test_no_page_shows_code_or_a_traceback(site):
    _, reports, _ = site
    pages = sorted(reports.rglob("*.html"))
    assert len(pages) >= 10
    for page in pages:
        text = page.read_text()
        assert "Traceback" not in text, page
        assert "jp-InputArea" not in text and "input_area" not in text, f"code shown in {page}"
        if page != reports / "index.html":  # the index's table is interactive: its scripts
            assert "<script" not in text.lower(), f"{page} carries a script"


def test_processed_tables_are_written_for_researchers(site):
    data, _, _ = site
    processed = data / "processed"
    for table in ("need_sufficiency", "judgements", "organisations", "validation_results"):
        assert (processed / f"{table}.csv").exists()
        assert (processed / f"{table}.parquet").exists()


def test_a_second_build_with_nothing_changed_runs_nothing(site):
    data, reports, _ = site
    before = tree_digest(reports)
    result = build(jobs=2, data_root=data, reports=reports, echo=lambda *_: None)
    assert result.ok
    assert {o.status for o in result.outcomes} == {"skipped"}
    after = tree_digest(reports)
    assert {k: v for k, v in after.items() if k.startswith("profiles/")} == \
        {k: v for k, v in before.items() if k.startswith("profiles/")}


SEEDS = ["2017-01-staffordshire-stoke", "2017-08-gloucestershire", "2018-10-west-yorkshire-crc",
         "2018-12-staffordshire-west-midlands-crc", "2022-08-birmingham-north-east-solihull-pdu"]


def test_warm_parallel_reports_equal_fresh_sequential_papermill_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795305600")  # both builds show the same date
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    seeds = [SEEDS[0], SEEDS[-1]]  # the full report and a press release: every kind of section
    for inspection_id in seeds:
        shutil.copytree(ROOT / "data" / "inspections" / inspection_id,
                        data / "inspections" / inspection_id)
    warm, fresh = tmp_path / "warm", tmp_path / "fresh"
    assert build(jobs=2, data_root=data, reports=warm, echo=lambda *_: None).ok
    processed = tree_digest(data / "processed")
    result = build(jobs=1, force=True, warm=False, data_root=data, reports=fresh,
                   echo=lambda *_: None)
    assert result.ok
    warm_pages = {k: v for k, v in tree_digest(warm).items() if k.endswith(".html")}
    fresh_pages = {k: v for k, v in tree_digest(fresh).items() if k.endswith(".html")}
    assert len(warm_pages) == len(seeds) + len(COMPARISONS) + 2  # with index and validation
    assert warm_pages == fresh_pages, "a warm-kernel page differs from a fresh papermill run"
    assert tree_digest(data / "processed") == processed, "processed tables are not reproducible"


@pytest.mark.parametrize("comparison", COMPARISONS, ids=lambda c: c.notebook)
def test_each_comparison_declares_every_table_it_reads(site, tmp_path, comparison):
    from probation_inspections.build.kernels import run_fresh

    log = tmp_path / "reads.log"
    os.environ[READ_LOG_ENV] = str(log)
    try:
        run_fresh(ROOT / "notebooks" / f"{comparison.notebook}.ipynb", {},
                  ROOT / "notebooks")
    finally:
        os.environ.pop(READ_LOG_ENV)
    read = set(log.read_text().split()) if log.exists() else set()
    undeclared = read - set(comparison.reads) - set(ALWAYS_READ)
    assert not undeclared, f"{comparison.notebook} reads {undeclared} without declaring it: " \
        "an edit there would not rebuild it"


@contextmanager
def one_value_edited(data: Path):
    """One need_sufficiency value of Staffordshire and Stoke changed, then put back."""
    path = data / "inspections" / "2017-01-staffordshire-stoke" / "need_sufficiency.csv"
    original = path.read_text()
    path.write_text(original.replace("Thinking and behaviour,1,54,",
                                     "Thinking and behaviour,1,55,", 1))
    try:
        yield
    finally:
        path.write_text(original)


def test_an_edit_revalidates_its_inspection_only_and_gives_a_full_builds_tables(site):
    data, reports, _ = site
    with one_value_edited(data):
        result = build(jobs=2, data_root=data, reports=reports, echo=lambda *_: None)
        assert result.ok
        assert result.validation.validated == ["2017-01-staffordshire-stoke"]
        assert sorted(o.task.name for o in result.outcomes if o.status == "ran") == [
            "crc_vs_nps_sufficiency", "inspection_profile(inspection_id=2017-01-staffordshire-stoke)"]
        incremental = tree_digest(data / "processed")
        full = check_data(data, Inputs(data), code_fingerprint(), force=True, echo=lambda *_: None)
        assert sorted(full.validated) == sorted(result.validation.valid_ids)
        assert tree_digest(data / "processed") == incremental, \
            "tables and results validated in part differ from one validation of everything"
        assert full.issues == result.validation.issues == {}
    assert build(jobs=2, data_root=data, reports=reports, echo=lambda *_: None).ok


def test_dry_run_names_exactly_the_reports_an_edit_affects(site):
    data, reports, _ = site
    processed = tree_digest(data / "processed")
    said = []
    with one_value_edited(data):
        result = build(dry_run=True, data_root=data, reports=reports, echo=said.append)
    planned = sorted(o.task.name for o in result.outcomes if o.status == "planned")
    assert planned == ["crc_vs_nps_sufficiency",
                       "inspection_profile(inspection_id=2017-01-staffordshire-stoke)"]
    assert "validated 1 changed inspection(s) to plan the build (nothing written): " \
        "2017-01-staffordshire-stoke" in said
    assert tree_digest(data / "processed") == processed, "a dry run writes nothing"


def test_a_broken_inspection_keeps_its_last_good_report_and_the_rest_build(site):
    data, reports, _ = site
    broken = "2017-08-gloucestershire"
    profile = reports / "profiles" / f"{broken}.html"
    kept = profile.read_bytes()
    path = data / "inspections" / broken / "inspection.yaml"
    path.write_text(path.read_text().replace("programme: quality_and_impact",
                                             "programme: no_such_programme"))
    curated = tree_digest(data / "inspections")
    result = build(jobs=2, data_root=data, reports=reports, echo=lambda *_: None)
    assert not result.ok, "a failing inspection makes the build report failure"
    assert result.validation.failed_ids == [broken]
    assert result.validation.validated == [broken], "the others are unchanged"
    assert profile.read_bytes() == kept, "the last good report is kept"
    status = (reports / "build.html").read_text()
    assert "last good report kept" in status
    assert "programme=no_such_programme" in status
    assert all(o.status != "failed" for o in result.outcomes)
    assert tree_digest(data / "inspections") == curated, "the build never writes curated data"
