"""Recommendations with their addressees: numbered lists under "The National Probation Service
should:", and the counts press releases give ("made eight recommendations ... five ...")."""

from __future__ import annotations

import re

from ..document import Document, locator
from ..paragraphs import paragraphs, split_sentences
from ..rows import DraftRow, Labels

ADDRESSEES = (
    ("CRC+NPS", r"Community Rehabilitation Company and (?:the )?National Probation Service"),
    ("CRC", r"Community Rehabilitation Compan(?:y|ies)|\bCRCs?\b"),
    ("NPS", r"National Probation Service|\bNPS\b"),
    ("NOMS", r"National Offender Management Service|\bNOMS\b"),
    ("HMPPS", r"Prison and Probation Service|\bHMPPS\b"),
    ("MoJ", r"Ministry of Justice|\bMoJ\b"),
    ("Region", r"\bregion(?:al)?\b"),
    ("PDU", r"\bPDU\b|Probation Delivery Unit|local level"),
)
SHOULD = re.compile(r"^(?:The |the )?(?P<who>[A-Z][\w ,&]+?)\s+should:?\s*$")
NUMBERED = re.compile(r"^(?P<number>\d{1,2})\.\s+(?P<text>\S.*)$")
COUNT_WORDS = {
    w: n
    for n, w in enumerate(
        (
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
        )
    )
}
COUNT = re.compile(
    r"\b(?P<count>\d+|" + "|".join(COUNT_WORDS) + r")\s+(?:of the )?"
    r"(?:remaining )?recommendations?\b",
    re.I,
)


def addressee_of(text: str) -> str | None:
    codes: list[str] = []
    for code, pattern in ADDRESSEES:
        if re.search(pattern, text) and not any(
            set(code.split("+")) <= set(c.split("+")) for c in codes
        ):
            codes.append(code)
    return (
        "+".join(
            sorted(
                {p for c in codes for p in c.split("+")},
                key=lambda c: (
                    [a for a, _ in ADDRESSEES].index(c) if c in [a for a, _ in ADDRESSEES] else 99
                ),
            )
        )
        or None
    )


def listed(document: Document) -> list[DraftRow]:
    """Numbered recommendations of a Recommendations section, each under the addressee of the
    "... should:" paragraph above it."""
    drafted = []
    lines = [ln for ln in document.prose() if "Recommendations" in ln.section]
    who = None
    for run in paragraphs(lines):
        text = " ".join(" ".join(ln.stripped for ln in run).split())
        if text.endswith("should:"):
            who = addressee_of(text)
            continue
        numbered = NUMBERED.match(text)
        if not numbered:
            continue
        theme = numbered["text"].rstrip(".")
        drafted.append(
            _recommendation(
                run,
                int(numbered["number"]),
                who,
                theme,
                text,
                ("theme: the source's words, to be paraphrased", 0.1),
                missing_addressee=0.5,
            )
        )
    drafted.extend(included(document))
    return drafted


def _recommendation(
    run: list,
    number: int | None,
    who: str | None,
    theme: str,
    source_text: str,
    why: tuple[str, float],
    missing_addressee: float,
) -> DraftRow:
    """One drafted recommendation, located at its paragraph, with the reasons it is uncertain."""
    row = DraftRow(
        "recommendations",
        {"number": number, "addressee": who, "theme": theme},
        locator(run[0].section, run[0].page),
        source_text,
        run[0].number,
        run[0].page,
    )
    row.guess(*why)
    if who is None:
        row.guess("addressee not found", missing_addressee)
    return row


INCLUDED = re.compile(r"recommendations (?:which|that) included:?\s*(?P<items>.+)$", re.I)
SHOULD_ITEMS = re.compile(r"^The (?P<who>[A-Z][\w ]+?) should (?P<items>.+)$")


def included(document: Document) -> list[DraftRow]:
    """Partial lists of press releases: "recommendations which included: the CRC reducing ...,
    ... and improving ...", and the next sentence's "The NPS should X and Y"."""
    drafted: list[DraftRow] = []
    for run in paragraphs(document.prose()):
        text = " ".join(" ".join(ln.stripped for ln in run).split())
        sentences = split_sentences(text)
        for index, sentence in enumerate(sentences):
            match = INCLUDED.search(sentence)
            if not match:
                continue
            items = re.split(r",\s+(?:and\s+)?", match["items"].rstrip("."))
            who = addressee_of(items[0])
            found = [(who, item) for item in items]
            for following in sentences[index + 1 : index + 3]:
                should = SHOULD_ITEMS.match(following)
                if should:
                    whom = addressee_of(should["who"])
                    parts = re.split(
                        r"\s+and\s+(?=ensure|improve|make|develop|set|reduce|"
                        r"review|provide)",
                        should["items"].rstrip("."),
                    )
                    found.extend((whom, part) for part in parts)
            drafted.extend(
                _recommendation(
                    run,
                    None,
                    whom,
                    item.strip(),
                    sentence,
                    ("partial list in a sentence; addressee from its words", 0.3),
                    missing_addressee=0.4,
                )
                for whom, item in found
            )
    return drafted


def counted(document: Document, meta: dict) -> list[DraftRow]:
    """Counts of recommendations stated in sentences, as key facts."""
    drafted = []
    for run in paragraphs(document.prose()):
        text = " ".join(" ".join(ln.stripped for ln in run).split())
        for sentence in split_sentences(text):
            for match in COUNT.finditer(sentence):
                word = match["count"].lower()
                value = COUNT_WORDS.get(word, None) if not word.isdigit() else int(word)
                if value is None:
                    continue
                after = sentence[match.end() :]
                whom = (
                    addressee_of(after.split(".")[0])
                    if re.match(r"\s+(?:were|was|are)?\s*(?:aimed|for|to|addressed)", after)
                    else None
                )
                measure = (
                    "recommendations_total"
                    if whom is None
                    else "recommendations_to_" + whom.lower().replace("+", "_and_")
                )
                row = DraftRow(
                    "key_facts",
                    {
                        "measure": measure,
                        "scope": meta.get("area") or "inspection",
                        "value": value,
                        "unit": "count",
                        "as_of": (meta.get("published") or "")[:7] or None,
                    },
                    locator(run[0].section, run[0].page),
                    sentence,
                    run[0].number,
                    run[0].page,
                )
                row.guess("count of recommendations from a sentence; addressee from its words", 0.2)
                drafted.append(row)
    return drafted


def recognise(document: Document, labels: Labels, meta: dict) -> list[DraftRow]:
    return listed(document) + counted(document, meta)
