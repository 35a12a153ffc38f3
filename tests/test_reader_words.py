"""Reader pages speak in readers' words: codes as labels, sources as documents, data as CSV."""

from __future__ import annotations

import base64
import io
import re

import pandas as pd

from page_words import words_problems
from probation_inspections.report.html import (
    Document,
    csv_text,
    document_sources,
    figure_html,
    note_html,
    table_html,
)
from probation_inspections.report.labels import in_words, label


def html_of(obj) -> str:
    return obj.data if hasattr(obj, "data") else str(obj)


def prose_of(page: str) -> str:
    """The words a reader reads: tags and code elements left out."""
    page = re.sub(r"<code>.*?</code>", " ", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


# --- One lookup from a code to its label ------------------------------------------------------


def test_a_rating_a_domain_and_a_programme_are_shown_by_their_labels():
    assert label("rating", "requires_improvement") == "Requires improvement"
    assert label("programme", "omi2") == "Offender Management Inspection 2"
    assert label("domain", "qi_arrangements") == "Arrangements for delivering probation services"
    assert not re.search(r"_", label("domain", "ap18_case_supervision"))


def test_a_code_no_vocabulary_holds_is_put_into_words_and_other_text_kept():
    assert label("rating", "not_yet_rated") == "Not yet rated"
    assert label("rating", "Requires improvement") == "Requires improvement"
    assert label("rating", None) is None


def test_codes_inside_curated_text_are_written_as_labels():
    text = (
        "key_facts.offenders_supervised (CRC): kept as published, mapped to "
        "requires_improvement; enablers in qualitative_findings"
    )
    shown = in_words(text)
    assert "key facts: " in shown and "Requires improvement" in shown
    assert "qualitative findings" in shown
    assert not words_problems("", shown)


def test_a_table_shows_labels_where_the_data_holds_codes():
    ratings = pd.DataFrame(
        {
            "standard": ["overall", "ap18_leadership"],
            "rating": ["requires_improvement", "inadequate"],
            "organisations": [19, 2],
        }
    )
    out = html_of(table_html(ratings, caption="Ratings"))
    assert "Requires improvement" in out and "Inadequate" in out
    assert "1.1 Leadership" in out
    assert not words_problems(out, prose_of(out))


# --- The words check can fail ------------------------------------------------------------------


def test_the_words_check_names_a_code_shown_as_a_word_and_the_test_suite():
    page = "<p>The CRC was rated requires_improvement (the test suite compares it).</p>"
    problems = words_problems(page, prose_of(page))
    assert problems == ["says 'test suite'", "shows codes as words: ['requires_improvement']"]


def test_the_words_check_passes_a_code_marked_up_as_code_and_plain_words():
    page = "<p>Rated Requires improvement; the file <code>key_facts.csv</code>.</p>"
    assert words_problems(page, prose_of(page)) == []


def test_a_note_written_with_a_code_reaches_the_page_in_words():
    out = html_of(note_html("Kept as published, mapped to requires_improvement."))
    assert "mapped to Requires improvement." in out
    assert not words_problems(out, prose_of(out))


# --- Sources are documents ---------------------------------------------------------------------


def test_a_reference_file_named_as_a_source_is_shown_as_a_document_not_a_path():
    out = html_of(
        table_html(
            pd.DataFrame({"conclusion": ["holds"], "findings": [3]}),
            caption="Findings",
            sources=["reference/quantifiers.csv"],
        )
    )
    assert "reference/quantifiers.csv" not in out and ".csv" not in prose_of(out)
    assert "How the Inspectorate&#x27;s words of quantity are read" in out
    assert "probation-inspections, data version" in out


def test_a_curated_document_is_shown_by_title_publisher_and_date_with_its_link():
    url = "https://www.justiceinspectorates.gov.uk/hmiprobation/inspections/staffordshireandstoke/"
    inspections = pd.DataFrame(
        {
            "inspection_id": ["2017-01-staffordshire-stoke"],
            "title": ["Quality & Impact inspection of probation work in Staffordshire and Stoke"],
            "source_title": ["Quality & Impact inspection: Staffordshire and Stoke"],
            "source_publisher": ["HM Inspectorate of Probation"],
            "published": ["2017-01-12"],
            "source_url": [url],
        }
    )
    [document] = document_sources([url, url], documents=inspections)
    assert document == Document(
        "Quality & Impact inspection: Staffordshire and Stoke",
        "HM Inspectorate of Probation",
        "12 January 2017",
        url,
    )
    out = html_of(table_html(pd.DataFrame({"a": [1]}), caption="A", sources=[document]))
    assert f'<a href="{url}">Quality &amp; Impact inspection: Staffordshire and Stoke</a>' in out
    assert "(HM Inspectorate of Probation, 12 January 2017)" in out


# --- Every table and figure carries its data ---------------------------------------------------


def downloaded(out: str) -> str:
    match = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)" download="([^"]+)"', out)
    assert match, "a CSV download link"
    return base64.b64decode(match.group(1)).decode("utf-8")


def test_a_table_links_the_csv_of_its_shown_columns_with_its_source_line():
    table = pd.DataFrame(
        {"need": ["drugs", "alcohol"], "percent_crc": [81.0, 40.0], "hidden": ["x", "y"]}
    )
    out = html_of(
        table_html(
            table,
            caption="Sufficiency by need",
            sources=["Tables 8 and 11"],
            columns={"need": "Need", "percent_crc": "CRC (%)"},
        )
    )
    text = downloaded(out)
    assert text.startswith("# Sufficiency by need\n# Source: Tables 8 and 11\n")
    data = pd.read_csv(io.StringIO(text), comment="#")
    assert list(data.columns) == ["Need", "CRC (%)"]
    assert data["CRC (%)"].tolist() == [81.0, 40.0]
    assert "2 rows" in out


def test_a_figure_links_the_data_drawn_when_given_it():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    drawn = pd.DataFrame({"year": [2017, 2018], "score": [3, 4]})
    out = html_of(
        figure_html(
            fig,
            title="Scores rose",
            subtitle="Percent, 2017-2018",
            caption="c",
            sources=["Table 1"],
            data=drawn,
        )
    )
    assert pd.read_csv(io.StringIO(downloaded(out)), comment="#").equals(drawn)
    assert csv_text(drawn, "Scores rose", ["Table 1"]).splitlines()[:2] == [
        "# Scores rose",
        "# Source: Table 1",
    ]
