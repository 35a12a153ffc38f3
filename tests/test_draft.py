"""Drafting a curated folder from a report: text, PDF and HTML sources, the draft folder, the
review page, and accepting a reviewed draft."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from probation_inspections.cli import main
from probation_inspections.curated.inspection import list_inspections
from probation_inspections.curated.vocabularies import Reference
from probation_inspections.draft.accept import accept
from probation_inspections.draft.compare import locator_agrees, parse_locator
from probation_inspections.draft.drafting import draft, draft_folder, draft_rows
from probation_inspections.errors import DataError
from probation_inspections.validation import validate
from report_documents import (
    ROOT,
    SHORT_REPORT,
    TITLE,
    pages_of,
    seed_report_text,
    write_html,
    write_pdf,
)

needs_seed = pytest.mark.skipif(
    seed_report_text() is None,
    reason="the seed report is not beside the repository "
    "(../shared/seeds/002_df056c31e2e4c28f.txt)",
)


@pytest.fixture(scope="module")
def reference() -> Reference:
    return Reference.load(ROOT / "data")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data directory with the project's vocabularies and no inspections."""
    root = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", root / "reference")
    (root / "inspections").mkdir()
    return root


def rows_of(rows, table: str) -> list[dict]:
    return [dict(r.values, source_locator=r.locator, page=r.page) for r in rows if r.table == table]


def written(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# The three formats ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def short_sources(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sources")
    text = folder / "testshire.txt"
    text.write_text(SHORT_REPORT, encoding="utf-8")
    page_html = folder / "testshire.html"
    write_html(page_html, SHORT_REPORT, TITLE)
    pdf = folder / "testshire.pdf"
    write_pdf(pdf, pages_of(SHORT_REPORT, split_table=8), TITLE)
    return {"text": text, "html": page_html, "pdf": pdf}


@pytest.mark.parametrize("kind", ["text", "html", "pdf"])
def test_each_format_drafts_the_same_need_table_judgements_and_recommendations(
    short_sources, reference, kind
):
    _, meta, rows = draft_rows(short_sources[kind], reference)
    needs = rows_of(rows, "need_sufficiency")
    assert [(n["need_label"], n["priority_rank"], n["percent_sufficient"]) for n in needs] == [
        ("Thinking and behaviour", 1, 48),
        ("Drug misuse", 2, 75),
        ("Alcohol misuse", 3, 60),
    ]
    assert {n["organisation_type"] for n in needs} == {"CRC"}, "Table 8 is about the CRC sample"
    assert all(
        n["source_locator"].startswith("Table 8; Ch.3 Reducing reoffending > CRC") for n in needs
    )
    judgements = rows_of(rows, "judgements")
    assert [(j["organisation_type"], j["quantifier"]) for j in judgements] == [
        ("CRC", "almost half"),
        ("CRC", "two-thirds"),
        ("NPS", "in only one case"),
    ]
    assert judgements[0]["direction"] == "insufficient", "'not good enough' is insufficient"
    assert judgements[2]["count"] == 1 and judgements[2]["denominator"] == 18, (
        "a single NPS case counts against the NPS sample of 18"
    )
    recommendations = rows_of(rows, "recommendations")
    assert [(r["number"], r["addressee"]) for r in recommendations] == [(1, "NPS"), (2, "NPS")]
    assert meta["title"] == TITLE and meta["area"] == "Testshire"
    assert meta["programme"] == "quality_and_impact" and meta["published"] == "2017-03"


def test_key_facts_page_gives_each_figure_with_its_scope_and_source_date(short_sources, reference):
    _, _, rows = draft_rows(short_sources["text"], reference)
    facts = [(f["value"], f["scope"], f["unit"], f["as_of"]) for f in rows_of(rows, "key_facts")]
    assert facts == [
        (5120, "CRC", "offenders", "2016-09-30"),
        (61, "CRC", "percent", "2016-09-30"),
        (56, "England and Wales", "percent", "2016-09-30"),
    ]


def test_a_text_copy_gets_page_numbers_only_when_its_numbered_footers_agree(tmp_path, reference):
    agreeing = tmp_path / "agreeing.txt"
    agreeing.write_text(SHORT_REPORT, encoding="utf-8")
    _, _, rows = draft_rows(agreeing, reference)
    assert rows_of(rows, "key_facts")[0]["source_locator"] == "Key facts; p. 3"
    assert rows_of(rows, "need_sufficiency")[0]["page"] == 6
    disagreeing = tmp_path / "disagreeing.txt"
    disagreeing.write_text(SHORT_REPORT.replace("Testshire 5", "Testshire 9"), encoding="utf-8")
    _, _, rows = draft_rows(disagreeing, reference)
    assert all(r.page is None for r in rows), "footers that disagree give no pages"


def test_pdf_rows_carry_their_page_and_a_table_split_over_two_pages_survives(
    short_sources, reference
):
    _, _, rows = draft_rows(short_sources["pdf"], reference)
    pages = [n["page"] for n in rows_of(rows, "need_sufficiency")]
    assert pages == [5, 5, 6], "Table 8 breaks after its second row"
    assert rows_of(rows, "key_facts")[0]["source_locator"] == "Key facts; p. 2"
    assert all(r.page is not None for r in rows)


def test_pdf_running_header_and_footer_are_not_read_as_text(short_sources):
    from probation_inspections.draft.readers import read_document

    document = read_document(short_sources["pdf"], {"Protecting the public"})
    texts = [line.stripped for line in document.lines]
    assert TITLE not in texts and not any(t.isdigit() for t in texts)
    assert document.title_hint == TITLE


def test_a_pdf_without_a_text_layer_is_refused_with_a_clear_reason(tmp_path, reference):
    from reportlab.pdfgen import canvas

    scanned = tmp_path / "scanned.pdf"
    sheet = canvas.Canvas(str(scanned))
    sheet.rect(72, 72, 300, 500, fill=1)  # a page image stands in for scanned text
    sheet.save()
    with pytest.raises(DataError, match="no text layer"):
        draft_rows(scanned, reference)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(DataError, match="broken.pdf"):
        draft_rows(broken, reference)


def test_html_headings_become_the_section_path(short_sources, reference):
    _, _, rows = draft_rows(short_sources["html"], reference)
    judgement = rows_of(rows, "judgements")[0]
    assert judgement["source_locator"] == "Ch.1 Protecting the public > CRC"
    assert judgement["domain_label"] == "Protecting the public"


PDU_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Testford PDU</title></head><body>
<header><nav>Home</nav></header><main>
<h1>An inspection of probation services in: Testford PDU</h1>
<h2>Foreword</h2>
<p>We found Testford PDU to be stretched. Overall, Testford PDU has been rated as
'Requires improvement'.</p>
<p>Assessment of the risk of harm was sufficient in only 42 per cent of cases.</p>
<h2>Ratings</h2>
<table><caption>Ratings summary</caption>
<tr><th>Standard</th><th>Rating</th></tr>
<tr><td>Overall rating</td><td>Requires improvement</td></tr>
<tr><td>1.1 Leadership</td><td>Good</td></tr>
<tr><td>2.1 Assessment</td><td>Inadequate</td></tr>
</table>
<h2>Recommendations</h2>
<p>We have made six recommendations. Four of the recommendations are for the PDU.</p>
</main></body></html>
"""


def test_a_rated_pdu_page_gives_its_ratings_summary_shares_and_recommendation_counts(
    tmp_path, reference
):
    page = tmp_path / "testford.html"
    page.write_text(PDU_PAGE, encoding="utf-8")
    _, meta, rows = draft_rows(page, reference)
    assert meta["programme"] == "probation_service_2021"
    ratings = [
        (r["organisation_type"], r["organisation_label"], r["standard_label"], r["rating_label"])
        for r in rows_of(rows, "ratings")
    ]
    assert ratings == [
        ("PDU", "Testford PDU", "Overall", "Requires improvement"),
        ("PDU", "Testford PDU", "1.1 Leadership", "Good"),
        ("PDU", "Testford PDU", "2.1 Assessment", "Inadequate"),
    ]
    facts = {(f["measure"], f["value"]) for f in rows_of(rows, "key_facts")}
    assert ("recommendations_total", 6) in facts and ("recommendations_to_pdu", 4) in facts
    share = next(f for f in rows_of(rows, "key_facts") if f["unit"] == "percent")
    assert share["value"] == 42 and share["scope"] == "Testford PDU (cases inspected)"
    assert share["source_locator"] == "Foreword"


# The seed report in each format ---------------------------------------------------------------


@needs_seed
def test_seed_report_as_a_pdf_keeps_pages_tables_and_a_two_column_page(tmp_path, reference):
    text = seed_report_text()
    pdf = tmp_path / "report.pdf"
    placed = write_pdf(
        pdf,
        pages_of(text, split_table=8, two_columns="Recommendations"),
        "Quality & Impact inspection: Staffordshire and Stoke",
    )
    _, _, from_pdf = draft_rows(pdf, reference)
    source = tmp_path / "report.txt"
    source.write_text(text, encoding="utf-8")
    _, _, from_text = draft_rows(source, reference)

    def values(rows, table):
        return [
            {k: v for k, v in r.items() if k not in ("source_locator", "page")}
            for r in rows_of(rows, table)
        ]

    for table in ("need_sufficiency", "domain_scores", "published_aggregates", "caseloads"):
        assert values(from_pdf, table) == values(from_text, table), (
            f"{table} differs between PDF and text"
        )
    table8 = rows_of(from_pdf, "need_sufficiency")[:6]
    assert table8[0]["percent_sufficient"] == 54, "Table 8 thinking-and-behaviour share is 54"
    assert table8[0]["page"] == placed["Thinking and behaviour 54%"]
    assert table8[2]["page"] == table8[0]["page"] + 1, "Table 8 continues on the next page"
    recommendations = rows_of(from_pdf, "recommendations")
    assert [r["addressee"] for r in recommendations] == [
        "CRC+NPS",
        "CRC+NPS",
        "CRC",
        "CRC",
        "CRC",
        "NPS",
        "NPS",
        "NOMS",
    ], "the two-column recommendations page is read column by column"
    assert all(r["page"] == placed["Recommendations"] for r in recommendations)


@needs_seed
def test_seed_report_as_html_drafts_its_need_tables(tmp_path, reference):
    page = tmp_path / "report.html"
    write_html(page, seed_report_text(), "Quality & Impact inspection: Staffordshire and Stoke")
    _, _, rows = draft_rows(page, reference)
    needs = rows_of(rows, "need_sufficiency")
    assert [n["organisation_type"] for n in needs] == ["CRC"] * 6 + ["NPS"] * 6
    assert needs[6]["source_locator"].startswith("Table 11")


# The draft folder, review page and accept ------------------------------------------------------


def test_draft_writes_curated_files_with_every_row_drafted_and_located(short_sources, data_dir):
    folder = draft(short_sources["pdf"], "2017-03-testshire", data_dir)
    assert folder == data_dir / "drafts" / "2017-03-testshire"
    for table in ("need_sufficiency", "judgements", "key_facts", "recommendations"):
        rows = written(folder / f"{table}.csv")
        assert rows and all(r["certainty"] == "drafted" and r["source_locator"] for r in rows)
    assert "certainty: drafted" in (folder / "inspection.yaml").read_text(encoding="utf-8")
    review = (folder / "review.html").read_text(encoding="utf-8")
    assert "Thinking and behaviour 48%" in review and "p. 5" in review


def test_draft_never_replaces_an_existing_draft(short_sources, data_dir):
    draft(short_sources["text"], "2017-03-testshire", data_dir)
    with pytest.raises(DataError, match="a draft with this id exists"):
        draft(short_sources["text"], "2017-03-testshire", data_dir)


def test_review_page_escapes_the_source_and_lists_unknown_labels_least_certain_first(
    tmp_path, data_dir
):
    source = tmp_path / "odd.txt"
    source.write_text(
        SHORT_REPORT.replace("Drug misuse 75%", "Gambling <b>habits</b> 75%"), encoding="utf-8"
    )
    folder = draft(source, "2017-03-testshire", data_dir)
    review = (folder / "review.html").read_text(encoding="utf-8")
    assert "<b>habits</b>" not in review and "Gambling &lt;b&gt;habits&lt;/b&gt;" in review
    assert "Labels the vocabularies do not know" in review
    table = review[review.index('id="need_sufficiency"') :]
    assert table.index("Gambling") < table.index("Thinking and behaviour"), (
        "the row with an unknown label is least certain and comes first"
    )


def test_validate_and_list_never_read_drafts(short_sources, data_dir):
    draft(short_sources["text"], "2017-03-testshire", data_dir)
    ids, issues = list_inspections(data_dir)
    assert ids == [] and issues == []
    assert validate(data_root=data_dir).inspections == {}


def test_validation_refuses_drafted_rows_in_curated_folders(short_sources, data_dir):
    folder = draft(short_sources["text"], "2017-03-testshire", data_dir)
    shutil.copytree(
        folder,
        data_dir / "inspections" / "2017-03-testshire",
        ignore=shutil.ignore_patterns("review.html"),
    )
    report = validate(["2017-03-testshire"], data_root=data_dir)
    assert not report.ok
    assert any(i.column == "certainty" and i.value == "drafted" for i in report.all_issues())


def test_accept_refuses_while_any_row_is_drafted(short_sources, data_dir):
    folder = draft(short_sources["text"], "2017-03-testshire", data_dir)
    review(folder, leave_drafted="judgements.csv")
    with pytest.raises(DataError) as refused:
        accept("2017-03-testshire", data_dir)
    assert "judgements.csv" in str(refused.value) and "still drafted" in str(refused.value)
    assert folder.exists() and not (data_dir / "inspections" / "2017-03-testshire").exists()


def test_accept_moves_a_reviewed_draft_that_validates(short_sources, data_dir):
    folder = draft(short_sources["text"], "2017-03-testshire", data_dir)
    review(folder)
    target = accept("2017-03-testshire", data_dir)
    assert target == data_dir / "inspections" / "2017-03-testshire"
    assert not folder.exists() and not (target / "review.html").exists()
    assert validate(["2017-03-testshire"], data_root=data_dir).ok


def test_accept_keeps_the_curators_own_files_in_the_draft_folder(short_sources, data_dir):
    folder = draft(short_sources["text"], "2017-03-testshire", data_dir)
    review(folder)
    (folder / "questions-for-the-inspectorate.txt").write_text("Table 8 base?\n", encoding="utf-8")
    accept("2017-03-testshire", data_dir)
    assert sorted(p.name for p in folder.iterdir()) == ["questions-for-the-inspectorate.txt"]


def test_accept_never_overwrites_a_curated_folder(short_sources, data_dir):
    folder = draft(short_sources["text"], "2017-03-testshire", data_dir)
    review(folder)
    curated = data_dir / "inspections" / "2017-03-testshire"
    curated.mkdir()
    (curated / "inspection.yaml").write_text("kept: true\n", encoding="utf-8")
    with pytest.raises(DataError, match="never overwritten"):
        accept("2017-03-testshire", data_dir)
    assert (curated / "inspection.yaml").read_text(encoding="utf-8") == "kept: true\n"


def test_accept_reports_validation_problems_in_the_draft_and_moves_nothing(short_sources, data_dir):
    folder = draft(short_sources["text"], "2017-03-testshire", data_dir)
    review(folder, source_url=None)
    with pytest.raises(DataError) as refused:
        accept("2017-03-testshire", data_dir)
    assert "drafts/2017-03-testshire/inspection.yaml" in str(refused.value)
    assert "source_url" in str(refused.value)
    assert folder.exists() and not (data_dir / "inspections" / "2017-03-testshire").exists()


def test_cli_draft_and_accept_exit_codes(short_sources, data_dir, monkeypatch, capsys):
    monkeypatch.setenv("PROBATION_INSPECTIONS_DATA", str(data_dir))
    assert main(["draft", str(short_sources["text"]), "--id", "2017-03-testshire"]) == 0
    assert "review.html" in capsys.readouterr().out
    assert main(["accept", "2017-03-testshire"]) == 1
    assert main(["draft", str(short_sources["text"]), "--id", "../escape"]) == 1
    assert draft_folder("2017-03-testshire", data_dir).exists()


def review(
    folder: Path,
    leave_drafted: str | None = None,
    source_url: str | None = "https://example.org/testshire-report",
) -> None:
    """What a curator does after checking every row: certainty set, metadata completed, the
    organisations (not yet in the vocabularies) left for later, and the measures new to the
    measure vocabulary added to it."""
    from probation_inspections.curated.migrate import migrate_measures

    (folder / "organisations.csv").unlink()
    migrate_measures(folder.parents[1], folders=[folder])
    for path in folder.glob("*.csv"):
        if path.name != leave_drafted:
            path.write_text(
                path.read_text(encoding="utf-8").replace(",drafted,", ",reported,"),
                encoding="utf-8",
            )
    meta = (folder / "inspection.yaml").read_text(encoding="utf-8")
    meta = meta.replace("certainty: drafted\n", "")
    if source_url:
        meta = meta.replace("source_url:", f"source_url: {source_url}  #", 1)
    (folder / "inspection.yaml").write_text(meta, encoding="utf-8")


# Comparing a draft with a curated folder -----------------------------------------------------


def test_locators_agree_on_the_table_or_on_chapter_and_section():
    assert locator_agrees("Table 8", "Table 8; Ch.3 Reducing reoffending > CRC > Delivery; p. 31")
    assert not locator_agrees("Table 8", "Table 11; Ch.3 Reducing reoffending > NPS")
    assert locator_agrees(
        "Ch.1 Overall judgements > Protecting the public > CRC",
        "Ch.1 Protecting the public > CRC; p. 4",
    )
    assert not locator_agrees(
        "Ch.1 Overall judgements > Protecting the public > CRC", "Ch.3 Protecting the public > CRC"
    )
    assert not locator_agrees(
        "Ch.1 Overall judgements > Protecting the public > NPS",
        "Ch.1 Abiding by the sentence > NPS",
    )
    assert locator_agrees(
        "Ch.2 Staffing and caseloads (CRC); Foreword",
        "Ch.2 Organisational arrangements > CRC > Staffing and caseloads",
    )
    assert parse_locator("Table 3")[0].table == 3


@needs_seed
def test_the_draft_benchmark_meets_its_targets_on_the_seed_documents(capsys):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "draft_benchmark", ROOT / "benchmarks" / "draft.py"
    )
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    assert benchmark.main() == 0, capsys.readouterr().out
    printed = capsys.readouterr().out
    assert "need_sufficiency" in printed and "press-release facts agree" in printed


CHAPTER_THREE = """\
 3. An evaluation of the quality of probation services in Testshire

Protecting the public

CRC effectiveness

Assessment and planning

In almost all of the cases in our sample, the information passed by the NPS to the CRC was good.
Plans had been adjusted after a review in only 6 of the 25 relevant CRC cases inspected.

Good practice example: Sam is a 30 year old who had many previous convictions.

His officer saw him weekly, and in most weeks he attended.

We found that in most cases the number of contacts was sufficient for the needs of the case;
that most failures to comply were dealt with appropriately. One officer told us:

“some of my cases never get a home visit”.

Most service users in our case sample had not reoffended.

NPS effectiveness

Delivery

In two-thirds of cases the work to keep others safe was not good enough.
"""


def test_quantified_findings_get_whose_work_direction_base_and_count(tmp_path, reference):
    source = tmp_path / "chapter.txt"
    source.write_text(CHAPTER_THREE, encoding="utf-8")
    _, _, rows = draft_rows(source, reference)
    found = [
        (
            j["organisation_type"],
            j["quantifier"],
            j.get("count"),
            j.get("denominator"),
            j["direction"],
            j["base"],
        )
        for j in rows_of(rows, "judgements")
    ]
    assert found == [
        ("NPS", "almost all", None, None, "sufficient", "cases"),
        ("CRC", None, 6, 25, "sufficient", "cases where relevant"),
        ("CRC", "most", None, None, "sufficient", "cases"),
        ("CRC", "most", None, None, "sufficient", "cases"),
        ("CRC", "most", None, None, "prevalence", "cases"),
        ("NPS", "two-thirds", None, None, "insufficient", "cases"),
    ], "the practice example and the quotation are not findings across the sample"
    first = rows_of(rows, "judgements")[0]
    assert first["cases_organisation_type"] == "CRC", "the NPS's work, seen in CRC cases"
    assert first["source_locator"] == "Ch.3 Protecting the public > CRC > Assessment and planning"


LINES = st.sampled_from(
    [
        "",
        " Key facts",
        "Table 8",
        "Area of assessed need % of cases",
        "Drugs 40%",
        "64% 83% 74% 78%",
        "Lowest Highest Average",
        " 3. An evaluation",
        "CRC effectiveness",
        "NPS effectiveness",
        "In almost half of the cases the plan was poor.",
        "6 of the 25 relevant CRC cases",
        "1. improve the plans",
        "The CRC should:",
        "12,345 The number of offenders supervised by the X CRC1",
        "1 Source: statistics as at 30 June 2016.",
        "Good practice example: Ann is 30.",
        "“quoted”",
        "Staff grade Establishment Mean caseload",
        "probation officers 12 60",
        "Report title 7",
        "Overall rating Inadequate",
        "1.1 Leadership Good",
        "rated as ‘Good’",
        "\ufffd",
        "Delivery",
    ]
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(LINES, st.text(max_size=40)), max_size=40))
def test_any_text_drafts_or_fails_with_a_located_message(tmp_path, reference, lines):
    source = tmp_path / "report.txt"
    source.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    try:
        _, _, rows = draft_rows(source, reference)
    except DataError:
        return
    for row in rows:
        assert row.locator and row.table and 0 <= row.confidence <= 1
