"""Paragraphs and sentences of a document's prose, with the line each starts on."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Document, Line

#: Sections whose sentences are not findings of the inspection: front matter, context, back
#: matter. Their figures are drafted by the recognisers made for them (key facts, metadata).
CONTEXT_SECTIONS = ("Foreword", "Key facts", "National context", "Local context", "Contents")
#: Boxed examples and quotations: narratives of single cases, not findings across the sample.
EXAMPLE_START = re.compile(
    r"^(?:Good|Poor) practice examples?\s*:|^Organisational strength\s*:", re.I
)
QUOTE_START = ("“", '"', "‘")


@dataclass
class Sentence:
    text: str
    line: Line  # the line it starts on
    in_table: int | None = None  # the "Table N" it stands in
    foreword: bool = False  # in a foreword, which restates findings or gives headline shares


def paragraphs(lines: list[Line], footnotes: bool = False) -> list[list[Line]]:
    """Runs of non-blank lines; headings stand alone; a new page does not break a paragraph;
    footnotes are left out unless asked for."""
    runs: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if line.role == "footnote" and not footnotes:
            continue
        if not line.stripped or line.heading:
            if current:
                runs.append(current)
            current = []
            continue
        if current and _starts_block(current[-1], line):
            runs.append(current)
            current = []
        current.append(line)
    if current:
        runs.append(current)
    return runs


def _starts_block(previous: Line, line: Line) -> bool:
    """A practice example, a quotation after a colon, or a new page after a finished sentence
    opens a new paragraph even without a blank line."""
    text, before = line.stripped, previous.stripped
    if EXAMPLE_START.match(text) or re.match(r"^\d{1,2}\.\s+\S", text):
        return True
    if text.startswith(QUOTE_START) and before.endswith(":"):
        return True
    new_page = line.page != previous.page or (
        line.text.startswith(" ") and not line.text.startswith("  ")
    )
    return new_page and before.endswith((".", "”", '"', "!", "?")) and text[:1].isupper()


def _joined(run: list[Line]) -> str:
    text = ""
    for line in run:
        piece = line.stripped
        if text.endswith("-") and not text.endswith(" -"):
            text = text + piece  # a word broken at the line end
        else:
            text = f"{text} {piece}" if text else piece
    return " ".join(text.split())


SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’]?\s+(?=[A-Z“‘\"])")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


NOT_NAMES = {
    "The",
    "There",
    "This",
    "That",
    "These",
    "His",
    "Her",
    "She",
    "They",
    "Their",
    "Overall",
    "Instead",
    "When",
    "During",
    "Given",
    "Since",
    "While",
    "Where",
    "One",
    "Another",
    "Despite",
    "Mitchell’s",
}


def _example_names(text: str) -> set[str]:
    """Names of the people in a practice example ("Eric is a 45 year old ...")."""
    names = set(re.findall(r"\b([A-Z][a-z]{2,})(?= is | was | has | also |’s|'s)", text))
    names |= set(re.findall(r"examples?:\s+([A-Z][a-z]{2,})\b", text))
    return names - NOT_NAMES


QUOTED = re.compile(r"[“\"][^”\"]{3,}[”\"]")


def finding_sentences(document: Document) -> list[Sentence]:
    """Sentences of the prose that may state findings: practice examples, quotations and
    context sections left out."""
    sentences: list[Sentence] = []
    names: set[str] = set()
    in_example = False
    for run in paragraphs(document.prose()):
        first = run[0]
        text = _joined(run)
        foreword = "Foreword" in first.section
        if (
            any(part in CONTEXT_SECTIONS for part in first.section)
            and not foreword
            or first.section[:1]
            and first.section[0].startswith("Appendix")
        ):
            continue
        if EXAMPLE_START.match(text):
            in_example, names = True, _example_names(text)
            continue
        if in_example and (
            re.match(
                r"^(?:He|She|His|Her|They|Their|This|The case|The "
                r"responsible officer|During the course)\b",
                text,
            )
            or any(name in text for name in names)
        ):
            continue
        in_example = False
        if text.startswith(QUOTE_START):
            continue
        text = QUOTED.sub("(quotation)", text)
        for sentence in split_sentences(text):
            sentences.append(Sentence(sentence, _line_of(run, sentence), foreword=foreword))
    return sentences


def table_sentences(document: Document, kinds: tuple[str, ...] = ("enablers",)) -> list[Sentence]:
    """Sentences in the cells of enablers-and-barriers tables (items numbered "1.", "2.")."""
    sentences = []
    for table in document.tables:
        header = " ".join(line.stripped for line in table.body[:2]).lower()
        if not any(kind in header for kind in kinds):
            continue
        cells: list[list[Line]] = []
        current: list[Line] = []
        for line in table.body[1:]:
            text = line.stripped
            if re.fullmatch(r"\d+\.?", text) or not text:
                if current:
                    cells.append(current)
                current = []
                continue
            text = re.sub(r"^\d+\.\s*", "", text)
            stripped = Line(text, line.number, line.page, line.section, table=line.table)
            if re.match(r"^\d+\.\s", line.stripped) and current:
                cells.append(current)
                current = []
            current.append(stripped)
        if current:
            cells.append(current)
        for cell in cells:
            for sentence in split_sentences(_joined(cell)):
                sentences.append(Sentence(sentence, _line_of(cell, sentence), table.number))
    return sentences


def _line_of(run: list[Line], sentence: str) -> Line:
    """The line of `run` on which `sentence` starts (its first words)."""
    head = " ".join(sentence.split()[:3])
    for line in run:
        if head and head in " ".join(line.stripped.split()):
            return line
    words = sentence.split()[:1]
    for line in run:
        if words and words[0] in line.stripped:
            return line
    return run[0]
