"""Report documents made offline for the draft tests: a short report in the Inspectorate's
layout (written for the tests), the seed report's text when it is beside the repository, and
renderings of either as a PDF (reportlab) or an Inspectorate-style HTML page."""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_REPORT = ROOT.parent / "shared" / "seeds" / "002_df056c31e2e4c28f.txt"

#: A short report with the structures the drafter recognises. Its sentences are written for
#: the tests (names and figures invented), in the layout of a Quality & Impact report.
SHORT_REPORT = """\
 Foreword
This inspection looked at probation work in Testshire.

Jane Doe
HM Chief Inspector of Probation
March 2017
 Key facts

5,120 The number of offenders supervised by the Testshire CRC1

61%  The proportion of the CRC cases which relate to a custodial sentence1. The
  proportion for all England & Wales was 56%

1 Offender Management Caseload Statistics as at 30 September 2016, Ministry of Justice.

Quality & Impact inspection: Testshire 3
 1. Overall judgements
and recommendations

Protecting the public

CRC effectiveness

In almost half of the cases we looked at, the plan to manage risk of harm was not good
enough. The service user's risk was reviewed in two-thirds of cases.

NPS effectiveness

In only one case was the level of risk judged too low.

 Recommendations

The National Probation Service should:

1. set out how managers check the quality of risk assessments

2. make sure every case is reviewed when risk changes.

Quality & Impact inspection: Testshire 5

 3. An evaluation of the quality of probation services in Testshire

Reducing reoffending

CRC effectiveness

Delivery

Table 8

Area of assessed need % of cases with sufficient
intervention

Thinking and behaviour 48%

Drug misuse 75%

Alcohol misuse 60%

Sufficiency scores from the inspection findings relating to the most prevalent assessed needs
of cases in the CRC inspection sample, listed in priority order.

Appendix 1: Inspection methodology

In Testshire, the sample consisted of 50 cases, 32 of which were CRC cases and 18 of which were
NPS cases.
"""

TITLE = "Quality & Impact inspection: Testshire"


def seed_report_text() -> str | None:
    return SEED_REPORT.read_text(encoding="utf-8") if SEED_REPORT.exists() else None


@dataclass
class Page:
    lines: list[str]
    right: list[str] = field(default_factory=list)  # second column, when the page has two


def pages_of(
    text: str, split_table: int | None = None, two_columns: str | None = None
) -> list[Page]:
    """The text's pages: a line starting with one space opens a page, as in the text copies.
    `split_table`: break the page half way through that table's rows. `two_columns`: set the
    page that starts with this heading in two columns."""
    pages: list[Page] = []
    current: list[str] = []
    in_table = False
    rows_seen = 0
    for line in text.replace("\ufffd", ".").split("\n"):
        if line.startswith(" ") and not line.startswith("  ") and current:
            pages.append(Page(current))
            current = []
        current.append(line.strip())
        if split_table is not None:
            if line.strip() == f"Table {split_table}":
                in_table, rows_seen = True, 0
            elif in_table and line.strip().endswith("%") and line.strip()[:1].isalpha():
                rows_seen += 1
                if rows_seen == 2:
                    pages.append(Page(current))
                    current, in_table = [], False
    if current:
        pages.append(Page(current))
    if two_columns:
        for page in pages:
            if page.lines and page.lines[0] == two_columns:
                page.lines = _narrow(page.lines)
                half = len(page.lines) // 2
                while half < len(page.lines) and page.lines[half]:
                    half += 1  # break the columns between paragraphs
                page.lines, page.right = page.lines[:half], page.lines[half:]
    return pages


def _narrow(lines: list[str], width: int = 44) -> list[str]:
    """The lines rewrapped to fit a column (paragraphs kept)."""
    out: list[str] = []
    paragraph: list[str] = []
    for line in lines + [""]:
        if line:
            paragraph.append(line)
            continue
        if paragraph:
            out.extend(textwrap.wrap(" ".join(paragraph), width))
        paragraph = []
        out.append("")
    return out[:-1]


LEADING = 12.5
TOP, BOTTOM = 780, 60


def write_pdf(path: Path, pages: list[Page], title: str) -> dict[str, int]:
    """Draw the pages on A4 with a running header (the title) and a footer (the page number);
    a page too long for one sheet runs on to the next. Returns the PDF page of each line."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    sheet = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    width = A4[0]
    placed: dict[str, int] = {}
    number = 1

    def furniture() -> None:
        sheet.setFont("Helvetica", 8)
        sheet.drawString(72, 815, title)
        sheet.drawString(width - 90, 30, str(number))
        sheet.setFont("Helvetica", 10)

    for page in pages:
        furniture()
        if page.right:
            # two columns drawn row by row, so that the content stream interleaves them
            for row in range(max(len(page.lines), len(page.right))):
                y = TOP - row * LEADING
                for x, column in ((60, page.lines), (width / 2 + 10, page.right)):
                    if row < len(column) and column[row]:
                        sheet.drawString(x, y, column[row])
                        placed.setdefault(column[row], number)
        else:
            y = TOP
            for line in page.lines:
                if y < BOTTOM:
                    sheet.showPage()
                    number += 1
                    furniture()
                    y = TOP
                if line:
                    sheet.drawString(72, y, line)
                    placed.setdefault(line, number)
                y -= LEADING
        sheet.showPage()
        number += 1
    sheet.save()
    return placed


def write_html(path: Path, text: str, title: str) -> None:
    """The report as an Inspectorate report page: h1 title; h2 chapters; h3 domains; h4
    organisations; h5 topics; paragraphs; tables with a caption naming "Table N"."""
    from probation_inspections.draft.document import TABLE_LABEL

    levels = {
        "Protecting the public": "h3",
        "Reducing reoffending": "h3",
        "CRC effectiveness": "h4",
        "NPS effectiveness": "h4",
        "Delivery": "h5",
        "Key facts": "h2",
        "Foreword": "h2",
        "Recommendations": "h3",
    }
    out = [
        f"<!DOCTYPE html><html lang='en'><head><title>{html.escape(title)}</title></head>",
        "<body><header><nav>Home | Inspections</nav></header><main>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    text = re.sub(r"\n(?= \S)", "\n\n", text.replace("\ufffd", "."))  # a page opens a block
    blocks = [b.strip() for b in text.split("\n\n")]
    index = 0
    while index < len(blocks):
        block = " ".join(blocks[index].split())
        index += 1
        if not block:
            continue
        if TABLE_LABEL.match(block):
            rows, caption = [], ""
            while index < len(blocks):
                cell = " ".join(blocks[index].split())
                index += 1
                if cell.startswith("Sufficiency scores"):
                    caption = cell
                    break
                rows.append(cell)
            out.append(f"<table><caption>{block}: {html.escape(caption)}</caption>")
            header, *body = rows
            out.append(f"<tr><th>{html.escape(header)}</th></tr>")
            for row in body:
                label, _, value = row.rpartition(" ")
                out.append(f"<tr><td>{html.escape(label)}</td><td>{value}</td></tr>")
            out.append("</table>")
        elif block in levels:
            out.append(f"<{levels[block]}>{html.escape(block)}</{levels[block]}>")
        elif block[:2] in ("1.", "3.") and len(block) < 90 and not block[3:4].islower():
            out.append(f"<h2>{html.escape(block)}</h2>")
        elif block.startswith("Appendix"):
            out.append(f"<h2>{html.escape(block.split(chr(10))[0])}</h2>")
        else:
            out.append(f"<p>{html.escape(block)}</p>")
    out.append("</main><footer>Crown copyright</footer></body></html>")
    path.write_text("\n".join(out), encoding="utf-8")
