"""Tables, notes, lists and figures as reader-ready HTML: escaped text, sources beside numbers."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure

from .figures import figure_png
from .labels import CODE_COLUMNS, in_words, label_formatter
from .text import MISSING, _is_missing, format_date, format_value

_URL = re.compile(r"https?://[^\s<>\"'()\[\]{}]+", re.IGNORECASE)


_TRAILING = ".,;:!?"


def linked_text(text) -> str:
    """Escape text for HTML and turn http(s) URLs in it into links; nothing else is trusted.
    Codes of the data model in the text are written as their labels (`labels.in_words`)."""
    if _is_missing(text):
        return MISSING
    text = str(text)
    parts, position = [], 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(url)
        parts.append(html.escape(in_words(text[position : match.start()])))
        parts.append(f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>')
        position = end
    parts.append(html.escape(in_words(text[position:])))
    return "".join(parts)


@dataclass(frozen=True)
class Document:
    """A source as readers cite it: title, publisher, date, and where to read it."""

    title: str
    publisher: str | None = None
    date: str | None = None
    url: str | None = None

    @property
    def text(self) -> str:
        said = ", ".join(p for p in (self.publisher, self.date) if p)
        return f"{self.title} ({said})" if said else self.title

    def html(self) -> str:
        said = ", ".join(html.escape(p) for p in (self.publisher, self.date) if p)
        title = html.escape(self.title)
        if self.url and _URL.fullmatch(self.url):
            title = f'<a href="{html.escape(self.url, quote=True)}">{title}</a>'
        return f"{title} ({said})" if said else title


#: A file of the repository named as a source: a reference vocabulary (reference/quantifiers.csv).
_REFERENCE_PATH = re.compile(r"^(?:data/)?reference/([a-z_]+)\.csv$")


def reference_document(path: str) -> Document | None:
    """The document a reference vocabulary named by its path stands for: the vocabulary of
    this data release, which cites its own sources row by row; None if `path` is none."""
    from .. import __version__
    from ..curated.schema import VOCABULARIES

    match = _REFERENCE_PATH.match(str(path).strip())
    if match is None:
        return None
    named = {v.filename: v for v in VOCABULARIES.values()}.get(f"{match.group(1)}.csv")
    what = named.name.replace("_", " ") if named else match.group(1).replace("_", " ")
    title = {
        "quantifier": "How the Inspectorate's words of quantity are read: ranges assumed by "
        "this project, each with its basis",
        "population": "Groups of services the Inspectorate's figures are about, with their "
        "size as the sources state it",
    }.get(what, f"Reference vocabulary of {what}s, each entry with its source")
    return Document(title, "probation-inspections", f"data version {__version__}")


def _source_items(sources) -> list[Document | str]:
    if sources is None:
        return []
    if isinstance(sources, (str, Document)):
        sources = [sources]
    items: list[Document | str] = []
    known: dict[str, Document] | None = None
    for source in sources:
        if isinstance(source, Document):
            items.append(source)
        elif not _is_missing(source) and str(source).strip():
            text = str(source).strip()
            if _URL.fullmatch(text):
                known = _documents(None) if known is None else known
                items.append(known.get(text, text))
            else:
                items.append(reference_document(text) or text)
    return items


def _sources_text(sources) -> str:
    return "; ".join(i.text if isinstance(i, Document) else i for i in _source_items(sources))


def _sources_html(sources) -> str:
    items = _source_items(sources)
    if not items:
        return ""
    shown = "; ".join(i.html() if isinstance(i, Document) else linked_text(i) for i in items)
    return f'<span class="pi-sources">Source: {shown}</span>'


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
    download: bool = True,
    groups: Mapping[str, str] | None = None,
) -> HTML:
    """A table for people: chosen columns with plain headers, formatted numbers, '—' for
    missing values, no index, every cell escaped (URLs linked), caption and sources.

    `columns`: {column: header} (or a list of columns) to show, in order; `formats`:
    {column: format} (see `FORMATS` and `format_value`); `links`: {shown column: URL column}
    to link a cell's text (a source locator, say) to the page in another column, when that
    page is http(s); `download`: a link under the table to the shown columns as CSV (see
    `csv_link`); `groups`: {column: header} of one column not shown in the rows, whose value
    consecutive rows share: it is said once, in a line above its rows (each run of rows is one
    `<tbody>`), and kept in the CSV under its header. An empty table gives a note saying what
    is missing (`empty`), so a section never silently disappears.
    """
    if table.empty:
        return note_html(f"{caption.rstrip('. ')}: {empty[0].lower()}{empty[1:]}", kind="missing")
    shown, headers = _select(table, columns)
    formats = {
        **{
            c: label_formatter(v)
            for c, v in CODE_COLUMNS.items()
            if c in shown.columns and not _is_numeric(shown[c])
        },
        **(formats or {}),
    }
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
    group = next(iter(groups or {}), None)
    labels = None if group is None else [format_value(v, None) for v in table[group]]
    body: list[str] = []
    for i, row in enumerate(_cells(shown, formats)):
        if labels is not None and (i == 0 or labels[i] != labels[i - 1]):
            if i:
                body.append("</tbody><tbody>")
            body.append(
                f'<tr class="pi-group"><th scope="rowgroup" colspan="{len(headers)}">'
                f"{linked_text(labels[i])}</th></tr>"
            )
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
    extra = [c for c in (links or {}).values() if c in table.columns and c not in shown.columns]
    behind = pd.concat([shown.set_axis(headers, axis=1), table[extra]], axis=1)
    if group is not None:
        behind.insert(0, str((groups or {})[group]), list(table[group]))
    link = csv_link(behind, caption, sources) if download else ""
    return HTML(
        f'<div class="pi-table"><table><caption>{html.escape(caption)}'
        f"{sources_part}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>{link}</div>"
    )


def document_sources(urls: Iterable, limit: int = 3, documents: pd.DataFrame | None = None):
    """The documents behind a figure or table for its caption: each document (title,
    publisher, date, linked) when there are at most `limit`, otherwise how many there are
    (each row links its own). `documents`: the inspections table that describes them (by
    default, the curated inspections); a URL it does not describe is shown as itself."""
    distinct = sorted({str(u) for u in urls if not _is_missing(u)})
    if len(distinct) > limit:
        return [f"{len(distinct)} documents, each linked from its row in the table"]
    known = _documents(documents)
    return [known.get(url, url) for url in distinct]


def _documents(inspections: pd.DataFrame | None) -> dict[str, Document]:
    """{source URL: Document} of the inspections table (by default, the curated one)."""
    if inspections is None:
        try:
            from .. import config
            from ..fingerprint import current_fingerprint

            root = config.data_dir().resolve()
            return _curated_documents(str(root), current_fingerprint(root))
        except Exception:  # noqa: BLE001 - no curated data: the URLs are shown as they are
            return {}
    return _documents_of(inspections)


@lru_cache(maxsize=4)
def _curated_documents(data_root: str, fingerprint: str) -> dict[str, Document]:
    """The documents of the curated inspections, once for each state of the data: a profile
    asks for them in every caption, and each reads the whole inspections table."""
    from ..tables import load

    return _documents_of(load("inspections"))


def _documents_of(inspections: pd.DataFrame) -> dict[str, Document]:
    found: dict[str, Document] = {}
    for row in inspections.sort_values("inspection_id").to_dict("records"):
        url = row.get("source_url")
        if _is_missing(url) or str(url) in found:
            continue
        title = row.get("source_title")
        title = row.get("title") if _is_missing(title) else title
        publisher = row.get("source_publisher")
        found[str(url)] = Document(
            str(title),
            None if _is_missing(publisher) else str(publisher),
            format_date(row.get("published")),
            str(url),
        )
    return found


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


def csv_text(data: pd.DataFrame, title: str, sources=None) -> str:
    """The data behind a table or figure as CSV: two lines starting with `#` (its title and
    its source line), then a header and the rows, values as curated (no formatting)."""
    lines = [f"# {title}"]
    said = _sources_text(sources)
    if said:
        lines.append(f"# Source: {said}")
    return "\n".join(lines) + "\n" + data.to_csv(index=False, lineterminator="\n")


def _file_name(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", str(title).lower()).strip("-")[:60].rstrip("-")
    return f"{slug or 'data'}.csv"


def csv_link(data: pd.DataFrame, title: str, sources=None) -> str:
    """A link that downloads `csv_text(data, title, sources)`: the CSV is inside the page (a
    data: URI), so that the page works offline and from file:// and fetches nothing."""
    payload = base64.b64encode(csv_text(data, title, sources).encode("utf-8")).decode("ascii")
    name = _file_name(title)
    return (
        f'<p class="pi-download"><a href="data:text/csv;charset=utf-8;base64,{payload}" '
        f'download="{html.escape(name, quote=True)}">Download the data (CSV, '
        f"{len(data):,} row{'' if len(data) == 1 else 's'})</a></p>"
    )


def figure_html(
    fig: Figure,
    title: str,
    caption: str,
    sources=None,
    alt: str | None = None,
    subtitle: str | None = None,
    data: pd.DataFrame | None = None,
) -> HTML:
    """A figure for people: its title (the finding) and subtitle (units, place, period)
    above the chart, the PNG embedded with alt text that says what it shows (`alt`, else
    the title and subtitle), then a note on how to read it, the sources and, given `data`,
    a link to the data behind it as CSV. Text is escaped; URLs are linked. The matplotlib
    figure is closed, so that the notebook does not show it a second time."""
    png = figure_png(fig)
    alt_text = alt or ". ".join(t.rstrip(". ") for t in (title, subtitle) if t) + "."
    plt.close(fig)
    image = base64.b64encode(png).decode("ascii")
    heading = f'<span class="pi-title">{html.escape(title)}</span>'
    if subtitle:
        heading += f'<span class="pi-subtitle">{html.escape(subtitle)}</span>'
    link = csv_link(data, title, sources) if data is not None else ""
    return HTML(
        f'<figure class="pi-figure"><figcaption>{heading}</figcaption>'
        f'<img src="data:image/png;base64,{image}" alt="{html.escape(alt_text, quote=True)}"/>'
        f'<p class="pi-figure-note">{linked_text(caption)}{_sources_html(sources)}</p>'
        f"{link}</figure>"
    )
