"""The site's pages as a reader meets them: from templates, escaped, stamped, citable, queryable."""

from __future__ import annotations

import datetime as dt
import re

import nbformat
import pandas as pd
import pytest

from probation_inspections.analysis import sources
from probation_inspections.build.site import (
    NOT_RATED,
    IndexEntry,
    build_page,
    index_page,
    inspection_rows,
    register_regions,
    validation_page,
)
from probation_inspections.report import shell
from probation_inspections.report import stamp as stamps
from probation_inspections.report.stamp import Stamp

STAMP = Stamp("0.1.0", dt.date(2026, 12, 1), "0123456789ab")
SCRIPT = "<script>alert(1)</script>"
PROGRAMMES = {
    "probation_service_2021": "Inspections of the unified Probation Service",
    "quality_and_impact": "Quality & Impact inspection",
}
RATINGS = {"inadequate": "Inadequate", "requires_improvement": "Requires improvement"}


# Links and what a page says about itself -------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://www.justiceinspectorates.gov.uk/hmiprobation/", True),
        ("HTTP://example.org/report.pdf", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<b>x</b>", False),
        (" https://example.org/leading-space", False),
        ("https://example.org/a page", False),
        (None, False),
    ],
)
def test_only_an_http_address_becomes_a_link(url, linked):
    assert (shell.safe_url(url) is not None) == linked
    markup = str(shell.link(url, "the report"))
    assert markup.startswith("<a href=") == linked
    assert "javascript:" not in markup and "<b>" not in markup


def test_a_build_is_stamped_with_the_date_and_commit_it_is_given():
    stamp = Stamp.from_environment(
        {"SOURCE_DATE_EPOCH": "1764547200", stamps.COMMIT_ENV: "abc123def456"}
    )
    assert stamp.built == dt.date(2025, 12, 1)
    assert stamp.built_text == "1 December 2025"
    assert stamp.commit == "abc123def456"


def test_outside_a_checkout_a_build_names_no_commit(tmp_path):
    stamp = Stamp.from_environment({"SOURCE_DATE_EPOCH": "0"}, root=tmp_path)
    assert stamp.commit is None and stamp.built == dt.date(1970, 1, 1)


def test_the_citation_comes_from_citation_cff():
    cff = {
        "authors": [{"name": "probation-inspections contributors"}],
        "title": "probation-inspections: curated inspections",
        "version": "0.1.0",
        "date-released": "2026-11-22",
    }
    assert stamps.citation("Validation of the curated data", STAMP, cff) == (
        "probation-inspections contributors (2026). probation-inspections: curated "
        "inspections, version 0.1.0. Page “Validation of the curated data”, built 1 December "
        "2026 from commit 0123456789ab."
    )
    person = {**cff, "authors": [{"given-names": "Ada", "family-names": "Lovelace"}]}
    assert stamps.citation("Index", STAMP, person).startswith("Ada Lovelace (2026).")


def test_every_page_shows_its_data_version_build_date_commit_and_citation():
    page = build_page([], [], "0 of 0 inspection(s) pass validation.", STAMP)
    assert "Data version 0.1.0" in page and "built 1 December 2026" in page
    assert "<code>0123456789ab</code>" in page
    assert "Cite this page:" in page and "Page “Build status”" in page
    assert page.count("<style>") == 1, "one stylesheet"


def test_a_page_is_the_same_bytes_for_the_same_inputs():
    entries = [
        IndexEntry(
            "2023-03-kirklees-pdu",
            "Kirklees",
            "Kirklees",
            "x",
            "2023-03",
            "ok",
            "profiles/2023-03-kirklees-pdu.html",
            [],
        )
    ]
    rows = inspection_rows(*kirklees_tables(), PROGRAMMES, RATINGS)
    hrefs = {"2023-03-kirklees-pdu": "profiles/2023-03-kirklees-pdu.html"}
    first = index_page(rows, hrefs, None, [], "1 of 1", STAMP)
    assert first == index_page(rows, hrefs, None, [], "1 of 1", STAMP)
    assert build_page(entries, [], "1 of 1", STAMP) == build_page(entries, [], "1 of 1", STAMP)


# Sources --------------------------------------------------------------------------------------


def test_the_inspectorates_own_documents_are_primary_sources_and_news_secondary():
    assert sources.source_kind("HM Inspectorate of Probation") == "primary"
    assert sources.source_kind("BBC News") == "secondary"
    assert sources.source_kind("Russell Webster (blog)") == "secondary"
    assert sources.source_kind("Ministry of Justice") == "secondary"


def test_the_open_government_licence_is_shown_only_for_crown_publishers():
    assert sources.source_licence("HM Inspectorate of Probation", "OGL-3.0") == "OGL-3.0"
    assert sources.source_licence("Ministry of Justice", "OGL-3.0") == "OGL-3.0"
    news = sources.source_licence("BBC News", "OGL-3.0")
    assert "OGL" not in news and "BBC News" in news


# The index ------------------------------------------------------------------------------------


def kirklees_tables():
    inspections = pd.DataFrame(
        {
            "inspection_id": ["2023-03-kirklees-pdu", "2016-08-durham", "2023-04-annual-report"],
            "title": [
                "Inspection of probation services: Kirklees PDU",
                "Quality & Impact inspection of probation work in Durham",
                "Annual report",
            ],
            "programme": ["probation_service_2021", "quality_and_impact", "probation_service_2021"],
            "area": ["Kirklees", "Durham", "England and Wales"],
            "kind": ["inspection", "inspection", "overview"],
            "published": ["2023-03-30", "2016-08", "2023-04"],
            "document_type": ["press_release", "commentary", "summary"],
            "source_publisher": [
                "HM Inspectorate of Probation",
                "Russell Webster (blog)",
                "HM Inspectorate of Probation",
            ],
            "licence": ["OGL-3.0", "OGL-3.0", "OGL-3.0"],
        }
    )
    organisations = pd.DataFrame(
        {
            "inspection_id": ["2023-03-kirklees-pdu", "2016-08-durham"],
            "organisation": ["kirklees-pdu", None],
            "organisation_type": ["PDU", "Area"],
            "region": ["Probation Service – Yorkshire and the Humber", None],
        }
    )
    ratings = pd.DataFrame(
        {
            "inspection_id": ["2023-03-kirklees-pdu", "2023-03-kirklees-pdu"],
            "organisation": ["kirklees-pdu", "kirklees-pdu"],
            "standard": ["overall", "ps21_leadership"],
            "rating": ["inadequate", "requires_improvement"],
        }
    )
    return inspections, organisations, ratings


def test_the_index_has_one_row_per_service_inspected_in_readers_words():
    rows = inspection_rows(*kirklees_tables(), PROGRAMMES, RATINGS)
    assert list(rows["inspection_id"]) == ["2016-08-durham", "2023-03-kirklees-pdu"], (
        "overviews are listed apart; rows in order of publication"
    )
    kirklees = rows.iloc[1]
    assert kirklees["type"] == "PDU" and kirklees["year"] == "2023"
    assert kirklees["rating"] == "Inadequate", "the overall rating, by its label"
    assert kirklees["programme"] == "Inspections of the unified Probation Service"
    assert kirklees["source_line"] == "Primary: HM Inspectorate of Probation (OGL-3.0)"
    durham = rows.iloc[0]
    assert durham["rating"] == NOT_RATED and durham["region"] == "not recorded"
    assert durham["source"] == "Secondary" and "OGL" not in durham["licence"]


def test_a_pdu_is_shown_in_its_registers_region_when_its_source_names_none():
    inspections, organisations, ratings = kirklees_tables()
    organisations["region"] = [None, None]
    register = pd.DataFrame(
        {
            "pdu": ["N51KRKL", "N51WAKE"],
            "region": ["probation-service-yorkshire-humber", "probation-service-yorkshire-humber"],
            "organisation": ["kirklees-pdu", None],  # Wakefield: no curated organisation yet
        }
    )
    vocabulary = pd.DataFrame(
        {
            "organisation": ["probation-service-yorkshire-humber"],
            "label": ["Probation Service – Yorkshire and the Humber"],
            "organisation_type": ["Region"],
        }
    )
    regions = register_regions(register, vocabulary)
    assert regions == {"kirklees-pdu": "Probation Service – Yorkshire and the Humber"}
    rows = inspection_rows(
        inspections, organisations, ratings, PROGRAMMES, RATINGS, pdu_regions=regions
    )
    shown = dict(zip(rows["inspection_id"], rows["region"], strict=True))
    assert shown == {
        "2023-03-kirklees-pdu": "Probation Service – Yorkshire and the Humber",
        "2016-08-durham": "not recorded",
    }


def test_an_index_without_overviews_lists_none():
    inspections, organisations, ratings = kirklees_tables()
    documents = inspections[inspections["kind"] == "inspection"]
    assert inspection_rows(
        documents, organisations, ratings, PROGRAMMES, RATINGS, kind="overview"
    ).empty


def test_overviews_are_listed_apart_with_their_source():
    tables = kirklees_tables()
    overviews = inspection_rows(*tables, PROGRAMMES, RATINGS, kind="overview")
    assert list(overviews["inspection_id"]) == ["2023-04-annual-report"]
    page = index_page(inspection_rows(*tables, PROGRAMMES, RATINGS), {}, overviews, [], "", STAMP)
    listed = page.split('<h2 id="overviews">')[1].split('<h2 id="comparisons">')[0]
    assert "Annual report" in listed
    assert "Primary: HM Inspectorate of Probation (OGL-3.0)" in listed


def test_the_index_table_is_interactive_offline_and_escapes_what_it_shows():
    inspections, organisations, ratings = kirklees_tables()
    inspections.loc[0, "area"] = f"Kirklees {SCRIPT}"
    rows = inspection_rows(inspections, organisations, ratings, PROGRAMMES, RATINGS)
    page = index_page(
        rows,
        {"2023-03-kirklees-pdu": "profiles/2023-03-kirklees-pdu.html"},
        None,
        [],
        "1 of 1",
        STAMP,
    )
    assert SCRIPT not in page and "Kirklees &amp;lt;script&amp;gt;" not in page
    assert "Kirklees &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "searchPanes" in page, "the table has panes of values to filter by"
    assert not re.search(r"<(?:script|link)[^>]*\b(?:src|href)=", page), "nothing is fetched"
    assert not re.search(r"""(?:from|import\()\s*['"]https?:""", page), "no module from the web"
    assert len(re.findall(r'\bid="inspection-table"', page)) == 1, "ids are unique"


# The maintainers' pages and the reports --------------------------------------------------------


def test_the_validation_page_escapes_problems_and_marks_codes_as_code():
    results = pd.DataFrame(
        {
            "inspection_id": ["2017-01-x"],
            "table": ["need_sufficiency"],
            "column": ["need"],
            "rule": ["must be a known label of vocabulary need_label"],
            "expectation": ["ExpectColumnValuesToBeInSet"],
            "checked_rows": [3],
            "failed_rows": [1],
            "success": [False],
        }
    )
    page = validation_page(results, {"2017-01-x": [f"need_label={SCRIPT}"]}, [], STAMP)
    assert SCRIPT not in page and "need_label=&lt;script&gt;" in page
    assert "vocabulary <code>need_label</code>" in page
    assert "<details open>" in page, "a failing inspection's rules are shown open"


def test_a_report_page_names_its_heading_links_and_leaves_out_notebook_only_displays():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Inspection profile\n\nText."),
        nbformat.v4.new_code_cell(
            "stylesheet()",
            outputs=[
                nbformat.v4.new_output(
                    "display_data",
                    data={"text/html": "<style>.x{}</style>"},
                    metadata={shell.NOTEBOOK_ONLY: True},
                )
            ],
        ),
        nbformat.v4.new_code_cell(
            "table()",
            outputs=[
                nbformat.v4.new_output("display_data", data={"text/html": "<p>the table</p>"})
            ],
        ),
    ]
    body = shell.notebook_body(notebook)
    assert 'id="Inspection-profile"' in body, "headings keep their ids"
    links = re.findall(r'<a class="anchor-link" href="#Inspection-profile">(.*?)</a>', body)
    assert links and "Link to this section" in links[0], "a heading's link has a name"
    assert ".x{}" not in body and "<p>the table</p>" in body
    page = shell.report_page("Inspection profile: Kirklees", body, STAMP, depth=1)
    assert 'href="../index.html"' in page and 'href="../build.html"' in page
    assert "<p>the table</p>" in page


def test_code_parts_cut_text_at_the_data_models_codes():
    assert shell.code_parts("unique on inspection_id, need (quantifiers.csv)") == [
        ("unique on ", False),
        ("inspection_id", True),
        (", need (", False),
        ("quantifiers.csv", True),
        (")", False),
    ]
