"""Figures and tables as readers see them: escaped, formatted, with sources, stable bytes."""

from __future__ import annotations

import base64
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from probation_inspections.report.figures import (
    _swarm_offsets,
    cross_area_figure,
    figure_png,
    need_sufficiency_figure,
    ratings_figure,
)
from probation_inspections.report.html import (
    details_html,
    document_sources,
    figure_html,
    note_html,
    table_html,
    text_table,
)
from probation_inspections.report.setup import use_theme
from probation_inspections.report.text import MISSING  # noqa: E402

SCRIPT = "<script>alert(1)</script>"
IMAGE = '<img src=x onerror="alert(2)">'


def html_of(obj) -> str:
    return obj.data


@pytest.fixture(autouse=True)
def theme():
    use_theme()
    yield
    plt.close("all")


def small_figure():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(["CRC", "NPS"], [54, 67])
    ax.set_ylabel("Cases (%)")
    return fig


# --- Escaping ------------------------------------------------------------------------------------


def test_labels_from_data_are_escaped_in_tables():
    table = pd.DataFrame({"need_label": [SCRIPT, IMAGE], "percent": [54, 67]})
    out = html_of(table_html(table, caption=f"Needs {SCRIPT}", sources=[IMAGE]))
    assert "<script>" not in out and "<img src=x" not in out, (
        "a label written as HTML must be shown as text, not run"
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in out


def test_captions_titles_and_alt_text_of_figures_are_escaped():
    out = html_of(
        figure_html(
            small_figure(),
            title=SCRIPT,
            caption=IMAGE,
            sources=[SCRIPT],
            alt=f'x" onload="{SCRIPT}',
        )
    )
    assert "<script>" not in out and "<img src=x" not in out
    assert 'alt="x&quot; onload=&quot;&lt;script&gt;' in out, (
        "a quote in alt text must not end the attribute"
    )


def test_only_http_and_https_urls_become_links():
    table = pd.DataFrame(
        {
            "Source": [
                "Table 8, https://www.justiceinspectorates.gov.uk/report.pdf",
                "javascript:alert(document.cookie)",
                'http://example.org/a"onmouseover="alert(3)',
            ]
        }
    )
    out = html_of(table_html(table, caption="Sources"))
    assert '<a href="https://www.justiceinspectorates.gov.uk/report.pdf">' in out
    assert 'href="javascript' not in out, "a javascript: URL must not become a link"
    assert "javascript:alert(document.cookie)" in out, "it stays visible as text"
    assert 'onmouseover="' not in out, "a quote ends the link, it cannot add an attribute"


def test_notes_and_details_are_escaped():
    assert "<script>" not in html_of(note_html(SCRIPT))
    out = html_of(details_html([("Area", SCRIPT), ("Link", "https://example.org/x?a=1&b=2")]))
    assert "<script>" not in out
    assert 'href="https://example.org/x?a=1&amp;b=2"' in out


# --- Tables ----------------------------------------------------------------------------------


def test_tables_format_numbers_and_show_missing_values_as_a_dash():
    table = pd.DataFrame(
        {
            "need": pd.array(["Drug misuse", "Attitudes to offending"], dtype="string"),
            "percent_crc": pd.array([81, 40], dtype="Float64"),
            "percent_nps": pd.array([40, None], dtype="Float64"),
            "difference_pp": pd.array([41, None], dtype="Float64"),
            "population": pd.array([12345, None], dtype="Int64"),
        }
    )
    out = html_of(
        table_html(
            table,
            caption="Need sufficiency",
            formats={"percent_crc": "percent", "percent_nps": "percent", "difference_pp": "pp"},
            columns={
                "need": "Need",
                "percent_crc": "CRC",
                "percent_nps": "NPS",
                "difference_pp": "CRC minus NPS",
                "population": "People",
            },
        )
    )
    assert "81%" in out and "+41 pp" in out and "12,345" in out
    assert out.count(MISSING) == 3
    assert "NaN" not in out and "&lt;NA&gt;" not in out, "no raw missing-value markers"
    assert "<th" in out and "percent_crc" not in out, "headers are the people's names"
    assert re.search(r"<td[^>]*>0</td>", out) is None, "no index column"


def test_an_empty_table_says_what_is_missing():
    out = html_of(table_html(pd.DataFrame({"a": []}), caption="Caseloads"))
    assert "Caseloads: not given in the source." in out


def test_text_table_is_aligned_plain_text():
    table = pd.DataFrame(
        {
            "need": pd.array(["drugs", "attitudes_to_offending"], dtype="string"),
            "percent_crc": pd.array([81, 40], dtype="Float64"),
            "percent_nps": pd.array([40, None], dtype="Float64"),
        }
    )
    assert text_table(table) == (
        "need                    percent_crc  percent_nps\n"
        "drugs                            81           40\n"
        "attitudes_to_offending           40            \u2014"
    )


# --- Figures ---------------------------------------------------------------------------------


def test_a_figure_is_embedded_under_its_title_with_caption_and_linked_source():
    out = html_of(
        figure_html(
            small_figure(),
            title="The CRC was ahead on 5 of 7 needs",
            subtitle="Percent of cases, Staffordshire and Stoke, 2016",
            caption="Staffordshire and Stoke, 2017.",
            sources=["Tables 8 and 11", "https://www.justiceinspectorates.gov.uk/r.pdf"],
        )
    )
    title = '<figure class="pi-figure"><figcaption><span class="pi-title">The CRC was ahead'
    assert out.startswith(title), "the finding is the title, above the chart"
    assert out.index("Percent of cases, Staffordshire") < out.index("<img")
    assert 'alt="The CRC was ahead on 5 of 7 needs. Percent of cases, Staffordshire and ' in out
    assert "Source: Tables 8 and 11; " in out
    assert '<a href="https://www.justiceinspectorates.gov.uk/r.pdf">' in out
    png = base64.b64decode(re.search(r"base64,([^\"]+)\"", out).group(1))
    assert png.startswith(b"\x89PNG")
    assert b"Software" not in png and b"matplotlib" not in png.lower()


def test_two_builds_give_the_same_png_bytes():
    assert figure_png(small_figure()) == figure_png(small_figure())


def test_figure_html_closes_the_figure_so_it_is_not_shown_twice():
    fig = small_figure()
    figure_html(fig, title="t", caption="c")
    assert fig.number not in plt.get_fignums()


def test_need_sufficiency_figure_draws_one_row_per_need():
    aligned = pd.DataFrame(
        {
            "need": ["drugs", "attitudes_to_offending"],
            "need_label_crc": pd.array(["Drug misuse", "Attitudes to offending"], dtype="string"),
            "need_label_nps": pd.array(["Drugs", None], dtype="string"),
            "percent_crc": pd.array([81, 40], dtype="Float64"),
            "percent_nps": pd.array([40, None], dtype="Float64"),
            "presence": ["both", "CRC only"],
        }
    )
    fig = need_sufficiency_figure(aligned)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Drug misuse / Drugs", "Attitudes to offending (CRC only)"], (
        "a need with two published labels shows both; a need in one table says which"
    )
    assert "%" in fig.axes[0].get_xlabel(), "the axis names its unit"


def test_ratings_figure_shows_the_whole_scale_best_at_the_top():
    overall = pd.DataFrame(
        {
            "published": ["2018-10-04", "2018-12", "2022-08"],
            "organisation": [
                "west-yorkshire-crc",
                "staffordshire-west-midlands-crc",
                "birmingham-north-east-solihull-pdu",
            ],
            "organisation_label": [
                "West Yorkshire CRC",
                "Staffordshire & West Midlands CRC",
                "Birmingham North, East and Solihull PDU",
            ],
            "organisation_type": ["CRC", "CRC", "PDU"],
            "rating_label": ["Requires improvement", "requires improvement", "Inadequate"],
            "rating_rank": pd.array([3, 3, 4], dtype="Int64"),
        }
    )
    scale = {1: "Outstanding", 2: "Good", 3: "Requires improvement", 4: "Inadequate"}
    fig = ratings_figure(overall, scale)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(scale.values())
    assert ax.get_ylim()[0] > ax.get_ylim()[1], "the best rating (rank 1) is at the top"
    assert "year" in ax.get_xlabel()


def test_cross_area_figure_marks_the_highlighted_area():
    ranges = pd.DataFrame(
        {
            "domain": ["omi2_risk_of_harm"],
            "domain_label": ["Risk of Harm to others"],
            "published_lowest": [64.0],
            "published_highest": [83.0],
            "published_average": [74.0],
        }
    )
    points = pd.DataFrame(
        {"domain": ["omi2_risk_of_harm"], "percent": [78.0], "highlighted": [True]}
    )
    fig = cross_area_figure(ranges, points, "Staffordshire & West Midlands Trust")
    names = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Staffordshire & West Midlands Trust" in names
    assert "published range (lowest to highest)" in names
    assert "%" in fig.axes[0].get_xlabel()


def test_dots_published_close_together_are_spread_without_randomness():
    offsets = _swarm_offsets([2019.0, 2019.01, 2019.02, 2021.0], gap=0.12)
    assert offsets[0] == 0 and offsets[3] == 0, "distant dots stay on the line"
    assert len(set(offsets[:3])) == 3, "close dots get distinct offsets"
    assert offsets == _swarm_offsets([2019.0, 2019.01, 2019.02, 2021.0], 0.12)


def test_a_locator_links_to_its_page_only_when_the_page_is_http():
    table = pd.DataFrame(
        {
            "source_locator": ["Table 8", "press release, para 3", "note <b>"],
            "source_url": [
                "https://www.justiceinspectorates.gov.uk/r.pdf",
                "javascript:alert(1)",
                None,
            ],
        }
    )
    out = html_of(
        table_html(
            table,
            caption="Sources",
            columns={"source_locator": "Source"},
            links={"source_locator": "source_url"},
        )
    )
    assert '<a href="https://www.justiceinspectorates.gov.uk/r.pdf">Table 8</a>' in out
    assert "press release, para 3</td>" in out and "javascript" not in out
    assert "note &lt;b&gt;" in out


def test_many_documents_are_counted_not_listed_in_a_caption():
    urls = [f"https://example.org/{i}" for i in range(5)]
    assert document_sources(urls[:2]) == urls[:2]
    assert document_sources(urls + [None]) == ["5 documents, each linked from its row in the table"]
