"""Section paths: which headings stand above each line ("Ch.3 > Protecting the public > CRC").

Inspectorate reports nest four levels: a numbered chapter, an inspection domain (or context
heading), an organisation ("CRC effectiveness", "The NPS") and a topic ("Delivery"). HTML pages
give the levels by their tags; in plain text and PDF text a heading is recognised by its shape
(a short line without a full stop) and its level by its words.
"""

from __future__ import annotations

import re

from .document import Line

CHAPTER = re.compile(r"^\s*(\d)\W{0,3}\s+([A-Z].{0,75})$")
APPENDIX = re.compile(r"^\s*(Appendix \d+)\s*:\s*(.*)$")
#: Level-1 headings of chapter 2 and the front and back matter.
CONTEXT_HEADINGS = (
    "National context",
    "Local context",
    "Organisational arrangements",
    "Foreword",
    "Key facts",
    "Recommendations",
    "Contents",
    "Ratings summary",
    "Overall findings",
    "Key findings",
)
ORGANISATION_HEADINGS = {
    "crc effectiveness": "CRC",
    "nps effectiveness": "NPS",
    "the crc": "CRC",
    "the nps": "NPS",
    "the crc and nps working together": "CRC and NPS together",
    "the nps and crc working together": "CRC and NPS together",
}
_END = re.compile(r"[.,;:!?”\"’')]$")


def organisation_of_heading(text: str) -> str | None:
    return ORGANISATION_HEADINGS.get(" ".join(text.lower().split()))


def looks_like_heading(line: Line, previous: Line | None, following: Line | None) -> bool:
    """A short, capitalised line without closing punctuation that opens a block."""
    text = line.stripped
    if not text or len(text) > 80 or _END.search(text) or line.table is not None:
        return False
    if not (text[0].isupper() or CHAPTER.match(line.text)) or text.startswith(("•", "“", '"', "‘")):
        return False
    if re.search(r"\d", text) and not CHAPTER.match(line.text) and not APPENDIX.match(text):
        return False
    if (
        len(text.split()) > (14 if CHAPTER.match(line.text) else 9)
        or ":" in text
        and not APPENDIX.match(text)
    ):
        return False
    opens_block = (
        previous is None
        or not previous.stripped
        or previous.heading
        or previous.page != line.page
        or line.text.startswith(" ")
        and not line.text.startswith("  ")
    )
    after = following.stripped if following is not None else ""
    if CHAPTER.match(line.text):
        return opens_block
    return opens_block and not (after and after[0].islower())


def assign_sections(lines: list[Line], domain_labels: set[str]) -> dict[str, str]:
    """Mark heading lines and give every line the path of headings above it (in place).

    A line already marked as a heading (HTML) is one whatever its shape. Returns the title of
    each chapter ("Ch.2": "The arrangements for delivering probation services ...").
    """
    titles: dict[str, str] = {}
    chapter: str | None = None
    chapter_number = 0
    levels: list[str | None] = [None, None, None]  # domain or context, organisation, topic
    domains = {label.lower() for label in domain_labels}
    index = 0
    while index < len(lines):
        line = lines[index]
        previous = lines[index - 1] if index else None
        following = lines[index + 1] if index + 1 < len(lines) else None
        if line.table is None and (line.heading or looks_like_heading(line, previous, following)):
            text = " ".join(line.stripped.split())
            chapter_match = CHAPTER.match(line.text)
            appendix = APPENDIX.match(text)
            organisation = organisation_of_heading(text)
            heading = True
            number = int(chapter_match.group(1)) if chapter_match else 0
            # chapters count up (a footnote or list item opening with a number does not)
            if (
                chapter_match
                and chapter_number < number
                and (not chapter_number or number <= chapter_number + 2)
            ):
                chapter_number = number
                chapter = f"Ch.{chapter_number}"
                levels = [None, None, None]
                titles[chapter] = chapter_match.group(2).strip()
                # a chapter title may run over lines ("1 Overall judgements" / "and ...")
                while (
                    following is not None and following.stripped and following.stripped[0].islower()
                ):
                    titles[chapter] += " " + following.stripped
                    following.heading = True
                    following.section = _path(chapter, levels)
                    index += 1
                    following = lines[index + 1] if index + 1 < len(lines) else None
            elif appendix:
                chapter, levels = appendix.group(1), [appendix.group(2) or None, None, None]
            elif text in ("Foreword", "Key facts", "Contents"):
                chapter, levels = None, [text, None, None]
            elif text.lower() in domains or text in CONTEXT_HEADINGS:
                levels = [text, None, None]
            elif organisation:
                levels = [levels[0], organisation, None]
            elif line.heading or not _is_sentence_fragment(text):
                levels = [levels[0], levels[1], text]
            else:
                heading = False
            line.heading = heading
        line.section = _path(chapter, levels)
        index += 1
    return titles


def _is_sentence_fragment(text: str) -> bool:
    """Words that rarely open a heading: an article, a pronoun or a conjunction."""
    first = text.split()[0].lower()
    return first in {
        "and",
        "or",
        "but",
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "we",
        "it",
        "they",
        "he",
        "she",
        "there",
        "if",
        "as",
        "when",
        "while",
        "in",
        "of",
        "to",
        "for",
        "dame",
        "hm",
        "his",
        "her",
        "one",
        "another",
    }


def _path(chapter: str | None, levels: list[str | None]) -> tuple[str, ...]:
    parts = [chapter] if chapter else []
    parts.extend(level for level in levels if level)
    return tuple(parts)
