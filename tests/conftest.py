"""Shared fixtures: a small, valid data directory written from scratch for each test."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

REFERENCE = {
    "programmes.csv": """\
        programme,label,start,end,rating_scale,source_url,notes
        quality_and_impact,Quality & Impact,2016-04,2018-03,,https://example.org/qi,
        adult_probation_2018,Adult probation 2018,2018-04,2021-06,hmip_4_point,https://example.org/ap,
        """,
    "domains.csv": """\
        domain,programme,label,order,source_url
        qi_protecting_the_public,quality_and_impact,Protecting the public,1,https://example.org/d
        qi_reducing_reoffending,quality_and_impact,Reducing reoffending,2,https://example.org/d
        """,
    "standards.csv": """\
        standard,programme,domain,label,order,source_url
        overall,,,Overall,0,https://example.org/s
        """,
    "rating_scales.csv": """\
        scale,rating,label,rank
        hmip_4_point,outstanding,Outstanding,1
        hmip_4_point,good,Good,2
        hmip_4_point,requires_improvement,Requires improvement,3
        hmip_4_point,inadequate,Inadequate,4
        """,
    "needs.csv": """\
        need,label,description
        drugs,Drugs,Drug misuse
        alcohol,Alcohol,Alcohol misuse
        thinking_and_behaviour,Thinking and behaviour,
        """,
    "staff_grades.csv": """\
        staff_grade,label
        probation_officer,Probation officer
        """,
    "organisations.csv": """\
        organisation,label,organisation_type,owner,region,source_url
        test-crc,Test CRC,CRC,Owner Ltd,Midlands,https://example.org/o
        test-nps,NPS Test division,NPS,,Midlands,https://example.org/o
        test-region,Probation Service – Test region,Region,,,https://example.org/o
        """,
    "pdus.csv": """\
        pdu,label,region_code,region_label,region,geographic,organisation,formed,replaces,predecessors,source_url,notes
        N99TEST,Test Town,N99,Test Region,test-region,yes,,,,,https://example.org/register,
        N99UPW,Unpaid Work,N99,Test Region,test-region,no,,,,,https://example.org/register,
        """,
    "quantifiers.csv": """\
        quantifier,kind,share_low,share_high,strict_low,strict_high,loose_low,loose_high,basis,source_url,notes
        almost half,share,0.4,0.5,0.43,0.49,0.35,0.5,project assumption,,
        two-thirds,share,0.62,0.71,0.64,0.69,0.6,0.75,arithmetic,,
        in only one case,count,,,,,,,arithmetic,,
        """,
    "populations.csv": """\
        population,label,programme,organisation_types,period,members,published_from,published_to,member_organisations,definition,source_url,notes
        test_round,Test round,adult_probation_2018,CRC|NPS,2018-19,2,2018-09,2019-09,,Services of a test round,https://example.org/p,
        """,
    "measures.csv": """\
        measure,label,unit,notes
        offenders_supervised,offenders supervised,offenders,
        crcs_in_england_and_wales,CRCs in England and Wales,count,
        people_supervised,people supervised,people,
        crc_owner_since,month the owner took over the CRC,month,
        """,
    "aliases.csv": """\
        vocabulary,label,code
        need,Drug misuse,drugs
        need,Alcohol misuse,alcohol
        rating,Requiring Improvement,requires_improvement
        measure,crcs_total,crcs_in_england_and_wales
        """,
}

INSPECTION = {
    "inspection.yaml": """\
        inspection_id: 2017-01-test-area
        title: Test inspection
        programme: quality_and_impact
        area: Test area
        published: 2017-01-12
        fieldwork_start: 2016-09
        fieldwork_end: 2016-10
        document_type: full_report
        source_title: A test report
        source_url: https://example.org/report
        licence: OGL-3.0
        kind: inspection
        """,
    "organisations.csv": """\
        organisation_type,organisation_label,owner,cases_sampled,service_users_interviewed,source_locator
        CRC,Test CRC,Owner Ltd,40,22,Appendix 1
        NPS,NPS Test division,,21,7,Appendix 1
        """,
    "need_sufficiency.csv": """\
        organisation_type,need_label,priority_rank,percent_sufficient,source_locator
        CRC,Thinking and behaviour,1,54,Table 8
        CRC,Drug misuse,2,81,Table 8
        CRC,Alcohol misuse,3,67,Table 8
        NPS,Thinking and behaviour,1,67,Table 11
        NPS,Drugs,2,40,Table 11
        """,
    "judgements.csv": """\
        organisation_type,domain_label,aspect,quantifier,direction,count,denominator,base,source_locator
        CRC,Protecting the public,risk of harm kept to a minimum,almost half,insufficient,,,cases,Ch.3
        NPS,Protecting the public,reasonable action on risk of harm,two-thirds,sufficient,,,cases,Ch.3
        CRC,Reducing reoffending,plans adjusted after review,in only one case,sufficient,6,25,cases where relevant,Ch.3
        """,
}


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture(scope="session")
def shipped_reproduction():
    """Every published figure of the shipped data recomputed, as the reproduction report does:
    computed once per test process, read by the tests of its verdicts."""
    from probation_inspections import load, reference
    from probation_inspections.analysis.reproduction import reproduce

    return reproduce(
        load("published_aggregates"),
        reference("population"),
        load("organisations"),
        load("inspections"),
        load("ratings"),
        load("domain_scores"),
    )


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    """A valid data directory with one inspection, `2017-01-test-area`."""
    root = tmp_path / "data"
    write_tree(root / "reference", REFERENCE)
    write_tree(root / "inspections" / "2017-01-test-area", INSPECTION)
    return root


#: Markers of whole test modules, so that `make test-fast` can leave out what is slow:
#: `build` runs the build (kernels, notebooks, pages), `browser` drives Chromium, `slow` takes
#: more than a few seconds for another reason (nbval over every notebook, SIGKILL runs, a wheel
#: installed in a fresh environment, validating every shipped inspection). A test may also carry a marker of its own.
MODULE_MARKERS = {
    "test_build": ("build",),
    "test_seed_digests": ("build",),
    "test_walkthrough": ("build",),
    "test_draft_walkthrough": ("build",),
    "test_kill": ("build", "slow"),
    "test_notebooks": ("slow",),
    "test_shipped_data": ("slow",),  # these three validate every shipped inspection
    "test_curated_facts": ("slow",),
    "test_docs": ("slow",),
    # Each runs `validate` as a command, which imports Great Expectations (about 10 s each).
    "test_validate_reuse": ("slow",),
    "test_browser": ("browser", "build"),
}


#: The longest test files, longest first (seconds of a full run on two cores, beside the other
#: worker: about 65, 65, 60, 60, 35, 30, 25). `make test` hands whole files to two workers in
#: the order of collection (`--no-loadscope-reorder`), so these start first and the many short
#: files fill in behind them. By default pytest-xdist hands out the files with most tests first,
#: so the wheel test (four tests, a minute) started last and the run ended on one worker.
LONGEST_FIRST = (
    "test_kill",
    "test_browser",
    "test_build",
    "test_wheel",
    "test_validate_reuse",
    "test_corpus",
    "test_notebooks",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        for marker in MODULE_MARKERS.get(_module(item), ()):
            item.add_marker(marker)
    rank = {name: number for number, name in enumerate(LONGEST_FIRST)}
    # A stable sort: the tests of a file keep their order (some build on the one before).
    items.sort(key=lambda item: rank.get(_module(item), len(rank)))


def _module(item) -> str:
    return item.module.__name__.rpartition(".")[2]


def pytest_configure(config):
    """With several xdist workers, the controller brings the processed tables of the data in use
    up to date once, before the workers start: otherwise every worker that loads the shipped
    data validates it itself, all at once, on a fresh clone or after any change to the code. A
    problem is left for the tests to find and report."""
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    import warnings

    from probation_inspections import load

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            load("inspections")
        except Exception:  # noqa: BLE001, S110 - the tests that load the data report it
            pass
