"""Read a source file into a `Document`: PDF text layer, Inspectorate HTML page, or plain text.

PDFs keep their page numbers; running headers and footers are dropped (and kept as a title
hint); a page set in two columns is read column by column; a vertical gap between lines becomes
a blank line, as in the text copies. HTML headings become the section path.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..errors import DataError, DataIssue, display_path
from .document import Document, Line, find_tables
from .sections import CHAPTER, assign_sections, organisation_of_heading

PDF_SUFFIXES = (".pdf",)
HTML_SUFFIXES = (".html", ".htm")
#: A running header or footer: the same words on at least this share of pages.
RUNNING_SHARE = 0.5
#: Top and bottom bands of a page (share of its height) where running lines stand.
RUNNING_BAND = 0.09


def read_document(path: Path, domain_labels: set[str]) -> Document:
    """The document at `path`, its kind told by its suffix (anything else is read as text)."""
    path = Path(path)
    if not path.is_file():
        raise DataError(
            [DataIssue(display_path(path), None, None, "source not found, or not a file")]
        )
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        document = read_pdf(path)
    elif suffix in HTML_SUFFIXES:
        document = read_html(path)
    else:
        document = read_text(path)
    mark_footnotes(document.lines)
    document.tables = find_tables(document.lines)
    if document.kind != "html":
        document.chapters = assign_sections(document.lines, domain_labels)
    else:
        for table in document.tables:
            for line in [table.label, *table.body]:
                line.section = table.label.section
    return document


FOOTNOTE = re.compile(r"^(?P<number>\d{1,2})\s+\S")


def _page_starts(lines: list[Line]) -> list[int]:
    """Indexes of the lines that open a page (a new page number, or in a text copy a line
    indented by one space)."""
    starts = []
    for index in range(1, len(lines)):
        line, previous = lines[index], lines[index - 1]
        if line.page != previous.page or (
            line.text.startswith(" ") and not line.text.startswith("  ")
        ):
            starts.append(index)
    return starts + [len(lines)]


def mark_footnotes(lines: list[Line]) -> None:
    """Footnotes at the foot of a page ("6 We inspected probation services in ...") get the role
    "footnote": prose recognisers skip them, key facts read their dates. A footnote is a line
    opening with a number that the text above marks ("Trust6"), in the last block of a page."""
    text_above = ""
    done = 0
    for start in _page_starts(lines):
        text_above += " ".join(line.text for line in lines[done:start])
        end = start
        while end > done and not lines[end - 1].stripped:
            end -= 1
        first = end
        while first > done and lines[first - 1].stripped and end - first < 14:
            first -= 1
        numbers, footnote_from = [], None
        for index in range(first, end):
            match = FOOTNOTE.match(lines[index].stripped)
            if match and re.search(r"[A-Za-z)’'.,\d]" + match["number"] + r"(?!\d)", text_above):
                if footnote_from is None or numbers and int(match["number"]) > numbers[-1]:
                    footnote_from = index if footnote_from is None else footnote_from
                    numbers.append(int(match["number"]))
        if footnote_from is not None:
            for line in lines[footnote_from:end]:
                line.role = "footnote"
        done = start


# Plain text ----------------------------------------------------------------------------------


def read_text(path: Path) -> Document:
    """Plain text; a form feed starts a new page (pages are unknown without one)."""
    raw = _decoded(path)
    paged = "\f" in raw
    lines: list[Line] = []
    page: int | None = 1 if paged else None
    for number, text in enumerate(raw.split("\n"), start=1):
        pieces = text.split("\f")
        for position, piece in enumerate(pieces):
            if position and page is not None:  # a form feed: the text is paged
                page += 1
            if position == len(pieces) - 1 or piece:
                lines.append(Line(piece.rstrip("\r"), number, page))
    title, furniture = _running_lines([line.stripped for line in lines])
    if not paged:
        _number_pages(lines, furniture)
    kept = [line for line in lines if line.stripped not in furniture]
    return Document(kept, "text", path.name, title_hint=title)


def _number_pages(lines: list[Line], furniture: set[str]) -> None:
    """Pages of a text copy of a PDF without form feeds: a line indented by one space opens a
    page there, and the numbered running lines ("... Stoke 53") give the offset. Pages are set
    only when at least two running lines agree on it; otherwise they stay unknown."""
    index, offsets = 1, set()
    indexes = []
    for position, line in enumerate(lines):
        if position and line.text.startswith(" ") and not line.text.startswith("  "):
            index += 1
        indexes.append(index)
        if line.stripped in furniture:
            offsets.add(int(line.stripped.rsplit(" ", 1)[1]) - index)
    if len(offsets) == 1 and sum(1 for line in lines if line.stripped in furniture) >= 2:
        offset = offsets.pop()
        for line, page in zip(lines, indexes, strict=True):
            line.page = page + offset


def _decoded(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _running_lines(texts: list[str]) -> tuple[str | None, set[str]]:
    """Footer lines such as "Quality & Impact inspection: Staffordshire and Stoke 53": the same
    words followed by a page number, at least twice. Returns the words and the lines."""
    pattern = re.compile(r"^(.{12,}?)\s+(\d{1,3})$")
    counts: Counter[str] = Counter()
    found: dict[str, set[str]] = {}
    for text in texts:
        match = pattern.match(text)
        if match and not match.group(1)[0].isdigit():
            counts[match.group(1)] += 1
            found.setdefault(match.group(1), set()).add(text)
    repeated = [words for words, n in counts.most_common() if n >= 2]
    if not repeated:
        return None, set()
    return repeated[0], found[repeated[0]]


# PDF -----------------------------------------------------------------------------------------


def read_pdf(path: Path) -> Document:
    """The text layer of a PDF, page by page, through pypdf."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [_page_rows(page) for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as err:
        raise DataError(
            [DataIssue(display_path(path), None, None, f"cannot be read as a PDF ({err})")]
        ) from None
    if not any(text for rows in pages for _, text, _ in rows):
        raise DataError(
            [
                DataIssue(
                    display_path(path),
                    None,
                    None,
                    "has no text layer (a scanned report?): run OCR on it, or "
                    "draft from the HTML page or a text copy",
                )
            ]
        )
    running = _running_texts(pages)
    _, footers = _running_lines([text for rows in pages for _, text, _ in rows])
    gaps = Counter(
        round(a[0] - b[0])
        for rows in pages
        for a, b in zip(rows, rows[1:], strict=False)
        if a[1] and b[1] and a[0] - b[0] > 2
    )
    # the distance between the lines of a paragraph: the smallest that recurs
    spacing = min((gap for gap, n in gaps.items() if n >= 2), default=0)
    lines: list[Line] = []
    number = 0
    for page_number, rows in enumerate(pages, start=1):
        previous_y = None
        for y, text, band in rows:
            if not text:
                number += 1
                lines.append(Line("", number, page_number))
                previous_y = None
                continue
            if band and _furniture_key(text) in running or text in footers:
                continue
            if previous_y is not None and spacing and (previous_y - y) > 1.6 * spacing:
                number += 1
                lines.append(Line("", number, page_number))
            number += 1
            lines.append(Line(text, number, page_number))
            previous_y = y
        number += 1
        lines.append(Line("", number, page_number))
    return Document(lines, "pdf", path.name, title_hint=_title_of(running, pages))


def _title_of(running: set[str], pages) -> str | None:
    """The longest running line, as printed (page number dropped)."""
    texts = [
        re.sub(r"\s*\d{1,3}\s*$", "", text)
        for rows in pages
        for _, text, band in rows
        if band and _furniture_key(text) in running
    ]
    return max(texts, key=len) if texts else None


def _page_rows(page) -> list[tuple[float, str, bool]]:
    """(y, text, in top or bottom band) of each line of a page, in reading order."""
    fragments: list[tuple[float, float, str, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        x = tm[4] * cm[0] + cm[4]
        y = tm[5] * cm[3] + cm[5]
        size = (font_size or 10) * (tm[0] or 1) * (cm[0] or 1)
        fragments.append((x, y, text.replace("\n", " "), abs(size)))

    page.extract_text(visitor_text=visit)
    box = page.mediabox
    width, height = float(box.width), float(box.height)
    columns = _columns(fragments, width)
    rows = []
    for index, column in enumerate(columns):
        if index:
            rows.append((height, "", False))  # a column break is a paragraph break
        by_y: dict[float, list[tuple[float, str]]] = {}
        for x, y, text, _ in column:
            key = next((k for k in by_y if abs(k - y) < 2), round(y, 1))
            by_y.setdefault(key, []).append((x, text))
        for y in sorted(by_y, reverse=True):
            pieces = sorted(by_y[y])
            text = " ".join(" ".join(t.split()) for _, t in pieces)
            band = y > height * (1 - RUNNING_BAND) or y < height * RUNNING_BAND
            rows.append((y, text, band))
    return rows


def _columns(fragments, width: float) -> list[list]:
    """One column, or two when a gutter runs down the middle of the page: no line crosses it and
    many long lines start right of it (a table's short right-hand cells do not count)."""
    middle = width / 2
    if not fragments:
        return [fragments]
    crossing = [
        f for f in fragments if f[0] < middle - 5 and f[0] + len(f[2]) * f[3] * 0.45 > middle + 5
    ]
    right = [f for f in fragments if f[0] >= middle - 5 and len(f[2]) >= 25]
    if not crossing and len(right) >= 0.3 * len(fragments):
        left = [f for f in fragments if f[0] < middle - 5]
        rest = [f for f in fragments if f[0] >= middle - 5]
        return [left, rest]
    return [fragments]


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()).lower())


def _running_texts(pages) -> set[str]:
    """Lines in the top or bottom band that repeat (numbers aside) on most pages."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for rows in pages:
        counts.update({_furniture_key(text) for _, text, band in rows if band})
    needed = max(2, RUNNING_SHARE * len(pages))
    return {key for key, n in counts.items() if n >= needed}


# HTML ----------------------------------------------------------------------------------------

HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5")


def read_html(path: Path) -> Document:
    """An Inspectorate report page: its headings (h2 and below under the h1 title) give each
    paragraph, list item and table row its section path."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_decoded(path), "html.parser")
    for junk in soup(["script", "style", "nav", "footer", "header", "noscript"]):
        junk.decompose()
    main = soup.find("main") or soup.body or soup
    title_tag = soup.find("h1") or soup.find("title")
    title = " ".join(title_tag.get_text(" ").split()) if title_tag else None
    lines: list[Line] = []
    stack: list[tuple[int, str]] = []
    chapters: dict[str, str] = {}

    def section_name(text: str) -> str:
        """ "CRC effectiveness" reads CRC; "3. An evaluation ..." reads Ch.3 (title kept)."""
        chapter = CHAPTER.match(text)
        if chapter:
            chapters[f"Ch.{chapter.group(1)}"] = chapter.group(2)
            return f"Ch.{chapter.group(1)}"
        return organisation_of_heading(text) or text

    def add(text: str, heading: bool = False, role: str | None = None) -> None:
        text = " ".join(text.split())
        if not text:
            return
        section = tuple(words for _, words in stack)
        lines.append(Line(text, len(lines) + 1, None, section, heading=heading, role=role))
        lines.append(Line("", len(lines) + 1, None, section))

    for element in main.find_all(list(HEADING_TAGS) + ["p", "li", "table"]):
        if element.name in HEADING_TAGS:
            level = int(element.name[1])
            if level == 1:
                continue
            stack[:] = [(lvl, words) for lvl, words in stack if lvl < level]
            stack.append((level, section_name(" ".join(element.get_text(" ").split()))))
            add(element.get_text(" "), heading=True)
        elif element.name == "table":
            caption = element.find("caption")
            label = caption.get_text(" ") if caption else ""
            match = re.search(r"Table\s+(\d+)", label)
            if match:
                add(f"Table {match.group(1)}")
            for row in element.find_all("tr"):
                add(" ".join(cell.get_text(" ") for cell in row.find_all(["th", "td"])))
            rest = re.sub(r"Table\s+\d+[:.]?", "", label).strip()
            if rest:
                add(rest, role="caption")
        elif (
            element.find_parent(["table", "li"]) is None
            or element.name == "li"
            and element.find_parent("table") is None
        ):
            if element.name == "p" and element.find_parent("li") is not None:
                continue
            add(element.get_text(" "))
    return Document(lines, "html", path.name, title_hint=title, chapters=chapters)
