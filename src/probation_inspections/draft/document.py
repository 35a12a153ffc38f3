"""A source document as the recognisers see it: lines, each with its page and section path.

Readers (`read_text`, `read_pdf`, `read_html`) turn a file into a `Document`; every recogniser
reads only this, so a finding carries the same kind of locator whatever the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Words that open a table's caption in the Inspectorate's reports ("Table 8 ... Sufficiency
#: scores from ..."); a caption closes the table block.
CAPTION_STARTS = (
    "List of",
    "Sufficiency scores",
    "Findings scores",
    "Breakdown of",
    "Operational changes",
    "Source:",
    "Ratings summary",
)

TABLE_LABEL = re.compile(r"^\s*Table\s+(\d+)\s*$")


@dataclass
class Line:
    """One line of the source: its text, where it stands, and the headings above it."""

    text: str
    number: int  # line number in the reader's output (1 = first), for evidence
    page: int | None = None
    section: tuple[str, ...] = ()
    heading: bool = False  # the line is (part of) a heading
    table: int | None = None  # number of the "Table N" block the line belongs to
    role: str | None = None  # "footnote", or within a table: "label", "body" or "caption"

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass
class TableBlock:
    """The lines of a "Table N" block: label, body and caption."""

    number: int
    label: Line
    body: list[Line]
    caption: str

    @property
    def section(self) -> tuple[str, ...]:
        return self.label.section

    @property
    def page(self) -> int | None:
        return self.label.page

    @property
    def locator(self) -> str:
        return locator(self.section, self.page, table=self.number)


@dataclass
class Document:
    """Lines of one source, in reading order, with its title when the reader found one."""

    lines: list[Line]
    kind: str  # "pdf", "html" or "text"
    name: str  # file name, for messages
    title_hint: str | None = None  # running header/footer or HTML title
    tables: list[TableBlock] = field(default_factory=list)
    chapters: dict[str, str] = field(default_factory=dict)  # "Ch.2": its title

    def prose(self) -> list[Line]:
        """Lines outside "Table N" blocks and footnotes."""
        return [line for line in self.lines if line.table is None and line.role != "footnote"]


def locator(section: tuple[str, ...], page: int | None = None, table: int | None = None) -> str:
    """`Table 8; Ch.3 Reducing reoffending > CRC > Delivery; p. 31` (the parts that are known)."""
    parts = []
    if table is not None:
        parts.append(f"Table {table}")
    path = " > ".join(_join_chapter(section))
    if path:
        parts.append(path)
    if page is not None:
        parts.append(f"p. {page}")
    return "; ".join(parts) or "whole document"


def _join_chapter(section: tuple[str, ...]) -> list[str]:
    """("Ch.3", "Reducing reoffending", ...) reads "Ch.3 Reducing reoffending > ..."."""
    parts = list(section)
    if len(parts) >= 2 and re.fullmatch(r"Ch\.\d+", parts[0]):
        parts = [f"{parts[0]} {parts[1]}", *parts[2:]]
    return parts


def find_tables(lines: list[Line]) -> list[TableBlock]:
    """Every "Table N" block, from its label line to its caption (or the next label); its lines
    are marked so that headings and prose recognisers leave them alone."""
    tables = []
    index = 0
    while index < len(lines):
        match = TABLE_LABEL.match(lines[index].text)
        if not match:
            index += 1
            continue
        number, label = int(match.group(1)), lines[index]
        label.table, label.role = number, "label"
        body: list[Line] = []
        caption: list[str] = []
        index += 1
        while index < len(lines) and len(body) < 200:
            line = lines[index]
            if TABLE_LABEL.match(line.text):
                break
            index += 1
            if line.role == "caption" or line.stripped.startswith(CAPTION_STARTS) or caption:
                line.table, line.role = number, "caption"
                caption.append(line.stripped)
                # a caption runs to its full stop
                if (
                    line.stripped.endswith(".")
                    or len(caption) == 4
                    or index == len(lines)
                    or not lines[index].stripped
                ):
                    break
                continue
            line.table, line.role = number, "body"
            body.append(line)
        tables.append(TableBlock(number, label, body, " ".join(caption)))
    return tables
