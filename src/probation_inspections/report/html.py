"""Tables, notes, lists and figures as reader-ready HTML: escaped text, sources beside numbers."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure

from .figures import figure_png
from .text import MISSING, _is_missing, format_value

_URL = re.compile(r"https?://[^\s<>\"'()\[\]{}]+", re.IGNORECASE)


_TRAILING = ".,;:!?"


def linked_text(text) -> str:
    """Escape text for HTML and turn http(s) URLs in it into links; nothing else is trusted."""
    if _is_missing(text):
        return MISSING
    text = str(text)
    parts, position = [], 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(url)
        parts.append(html.escape(text[position : match.start()]))
        parts.append(f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>')
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts)


def _sources_text(sources) -> str:
    if sources is None:
        return ""
    if isinstance(sources, str):
        sources = [sources]
    items = [str(s) for s in sources if not _is_missing(s) and str(s).strip()]
    return "; ".join(items)


def _sources_html(sources) -> str:
    text = _sources_text(sources)
    if not text:
        return ""
    return f'<span class="pi-sources">Source: {linked_text(text)}</span>'


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
        series.dtype
    )


def _select(
    table: pd.DataFrame, columns: Mapping[str, str] | Sequence[str] | None
) -> tuple[pd.DataFrame, list[str]]:
    """The columns to show (in order) and their headers."""
    if columns is None:
        return table, [str(c) for c in table.columns]
    if isinstance(columns, Mapping):
        return table[list(columns)], [str(h) for h in columns.values()]
    return table[list(columns)], [str(c) for c in columns]


def _cells(table: pd.DataFrame, formats: Mapping[str, str | Callable] | None) -> list[list[str]]:
    formats = formats or {}
    return [
        [
            format_value(value, formats.get(column))
            for column, value in zip(table.columns, row, strict=True)
        ]
        for row in table.itertuples(index=False, name=None)
    ]


def heading_html(text: str, level: int = 1) -> HTML:
    """A heading whose text comes from the data, escaped (a Markdown heading would render it)."""
    return HTML(f"<h{level}>{html.escape(str(text))}</h{level}>")


def note_html(text: str, kind: str = "note") -> HTML:
    """A short note beside the numbers; kind 'note', 'caution' or 'missing'."""
    css = {"note": "pi-note", "caution": "pi-note pi-caution", "missing": "pi-note pi-missing"}[
        kind
    ]
    return HTML(f'<div class="{css}">{linked_text(text)}</div>')


def missing_html(what: str) -> HTML:
    """The note shown where a section has no data: '<what>: not given in the source.'"""
    return note_html(f"{what}: not given in the source.", kind="missing")


def list_html(items: Iterable[str], title: str | None = None) -> HTML:
    """A bulleted list of short texts (escaped, URLs linked) under an optional title."""
    body = "".join(f"<li>{linked_text(item)}</li>" for item in items)
    heading = f'<span class="pi-title">{html.escape(title)}</span>' if title else ""
    return HTML(f'<div class="pi-details">{heading}<ul>{body}</ul></div>')


def details_html(pairs: Iterable[tuple[str, str]], title: str | None = None) -> HTML:
    """Label and value pairs (what was inspected, when, ...) as a definition list."""
    body = "".join(
        f"<dt>{html.escape(str(label))}</dt><dd>{linked_text(value)}</dd>" for label, value in pairs
    )
    heading = f'<span class="pi-title">{html.escape(title)}</span>' if title else ""
    return HTML(f'<div class="pi-details">{heading}<dl>{body}</dl></div>')


def table_html(
    table: pd.DataFrame,
    caption: str,
    sources=None,
    formats: Mapping[str, str | Callable] | None = None,
    columns: Mapping[str, str] | Sequence[str] | None = None,
    empty: str = "Not given in the source.",
    links: Mapping[str, str] | None = None,
) -> HTML:
    """A table for people: chosen columns with plain headers, formatted numbers, '—' for
    missing values, no index, every cell escaped (URLs linked), caption and sources.

    `columns`: {column: header} (or a list of columns) to show, in order; `formats`:
    {column: format} (see `FORMATS` and `format_value`); `links`: {shown column: URL column}
    to link a cell's text (a source locator, say) to the page in another column, when that
    page is http(s). An empty table gives a note saying what is missing (`empty`), so a
    section never silently disappears.
    """
    if table.empty:
        return note_html(f"{caption.rstrip('. ')}: {empty[0].lower()}{empty[1:]}", kind="missing")
    shown, headers = _select(table, columns)
    numeric = [_is_numeric(shown[c]) for c in shown.columns]
    targets = {
        column: list(table[url])
        for column, url in (links or {}).items()
        if column in shown.columns and url in table.columns
    }
    head = "".join(
        f'<th scope="col"{_num(is_num)}>{html.escape(h)}</th>'
        for h, is_num in zip(headers, numeric, strict=True)
    )
    body = []
    for i, row in enumerate(_cells(shown, formats)):
        cells = []
        for column, cell, is_num in zip(shown.columns, row, numeric, strict=True):
            url = targets[column][i] if column in targets else None
            if cell != MISSING and isinstance(url, str) and _URL.fullmatch(url.strip()) is not None:
                text = f'<a href="{html.escape(url.strip(), quote=True)}">{html.escape(cell)}</a>'
            else:
                text = linked_text(cell)
            cells.append(f"<td{_num(is_num)}>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    sources_part = _sources_html(sources)
    return HTML(
        f'<div class="pi-table"><table><caption>{html.escape(caption)}'
        f"{sources_part}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def document_sources(urls: Iterable, limit: int = 3) -> list[str]:
    """The documents behind a figure or table for its caption: the URLs themselves when
    there are at most `limit`, otherwise how many there are (each row links its own)."""
    distinct = sorted({str(u) for u in urls if not _is_missing(u)})
    if len(distinct) <= limit:
        return distinct
    return [f"{len(distinct)} documents, each linked from its row in the table"]


def _num(is_numeric: bool) -> str:
    return ' class="pi-num"' if is_numeric else ""


def text_table(
    table: pd.DataFrame,
    formats: Mapping[str, str | Callable] | None = None,
    columns: Mapping[str, str] | Sequence[str] | None = None,
) -> str:
    """A small table as aligned plain text (numbers right, text left, '—' for missing), for
    outputs compared exactly by the notebook tests."""
    shown, headers = _select(table, columns)
    rows = _cells(shown, formats)
    numeric = [_is_numeric(shown[c]) for c in shown.columns]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells):
        padded = [
            c.rjust(w) if is_num else c.ljust(w)
            for c, w, is_num in zip(cells, widths, numeric, strict=True)
        ]
        return "  ".join(padded).rstrip()

    return "\n".join([line(headers)] + [line(r) for r in rows])


def figure_html(
    fig: Figure, title: str, caption: str, sources=None, alt: str | None = None
) -> HTML:
    """A figure for people: the PNG embedded, alt text, and a caption with title, coverage
    and sources (escaped; URLs linked). The matplotlib figure is closed, so that the notebook
    does not show it a second time."""
    png = figure_png(fig)
    alt_text = alt or str(fig.get_label() or title)
    plt.close(fig)
    data = base64.b64encode(png).decode("ascii")
    return HTML(
        f'<figure class="pi-figure"><img src="data:image/png;base64,{data}" '
        f'alt="{html.escape(alt_text, quote=True)}"/>'
        f'<figcaption><span class="pi-title">{html.escape(title)}</span>'
        f"{html.escape(caption)}{_sources_html(sources)}</figcaption></figure>"
    )
