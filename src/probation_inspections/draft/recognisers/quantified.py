"""Quantified sentences: a finding worded with a quantifier of `quantifiers.csv` ("almost half of
the cases"), an exact count ("6 of the 25 relevant CRC cases") or a share ("40 per cent of
cases"), drafted as judgements with best guesses of whose work, whose cases, direction, base
and domain."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Document, locator
from ..paragraphs import Sentence, finding_sentences, table_sentences
from ..rows import DraftRow, Labels
from ..whose import domain_of, organisation_of_caption, organisation_of_section

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
BASE_NOUN = (
    r"cases?|service users?|staff(?: members)?|responsible officers?|officers|"
    r"practitioners|managers|women|men|them|those|issues|circumstances|examples|"
    r"people|individuals|offenders|failures|sample|activity|activities"
)
#: After a quantifier: "of the", a determiner and up to three modifiers, then what is counted.
_NOT_MODIFIER = (
    r"(?!(?:in|on|at|this|that|which|who|was|were|had|has|to|among|of|the|a|an|"
    r"for|with|by|from|and|or|it|is)\b)"
)
COUNTED = re.compile(
    r"^\s*(?:of\s+)?(?:(?:the|these|those|our|its|their|all)\s+)?"
    r"(?P<modifiers>(?:" + _NOT_MODIFIER + r"[\w-]+\s+){0,3}?)(?P<noun>" + BASE_NOUN + r")\b",
    re.I,
)
#: Quantifiers that qualify a clause rather than a noun ("sufficient in the main").
ADVERBIAL = {
    "in the main",
    "mostly",
    "often",
    "rarely",
    "invariably",
    "little or no",
    "the remainder",
    "in the remainder",
}
#: Adverbial quantifiers that also qualify things other than findings ("provision has often
#: waned"): kept only where the clause names what is counted.
FREQUENCY = {"often", "rarely"}
#: Quantifiers that carry their own noun ("in one case").
SELF_COUNTED = re.compile(r"\b(?:case|instance)s?$")
_NUMBER = r"\d+|" + "|".join(NUMBER_WORDS)
EXACT_COUNT = re.compile(
    r"\b(?P<count>"
    + _NUMBER
    + r") of (?:the )?(?P<denominator>"
    + _NUMBER
    + r") (?P<rest>(?:[\w-]+ ){0,3}?(?:"
    + BASE_NOUN
    + r"))\b",
    re.I,
)
PER_CENT = re.compile(
    r"\b(?P<percent>\d+(?:\.\d+)?)(?: per cent|%) of (?:the )?(?:[\w-]+ ){0,2}?"
    r"(?P<noun>" + BASE_NOUN + r")\b",
    re.I,
)
NO_EVIDENCE = re.compile(
    r"\b(?:no evidence of|did not find (?:any )?evidence of any|there "
    r"(?:were|was) no)\b"
)
SAMPLE_WORDS = re.compile(
    r"\b(?:in the cases|of cases|case sample|in the sample|sample "
    r"inspected|cases we inspected|cases being)\b",
    re.I,
)
CLAUSE_BREAK = re.compile(
    r";\s*(?:that\s+)?|,\s+(?:and|but|albeit|while|whereas|yet)\s+|"
    r"\s+but\s+|\s+and that\s+|,\s+and\s+(?=clearly|in\s)|\s+and\s+(?=in\s)"
)
NEGATIVE = re.compile(
    r"\b(?:not|no|insufficient\w*|poor\w*|fail\w*|lack\w*|unaccept\w*|weak\w*|"
    r"under-estimated|too (?:high|low|great)|disrupted|unaware|confus\w*|"
    r"inhibit\w*|inability|unsatisfactory|without|absent|overlooked|"
    r"disappoint\w*|of concern|concerned|nothing|little|limited|inadequate\w*)\b",
    re.I,
)
EVALUATIVE = re.compile(
    r"\b(?:sufficient\w*|insufficient\w*|good|appropriate\w*|adequate\w*|"
    r"well|satisfactory|correct\w*|effective\w*|positive\w*|progress|"
    r"poor\w*|accurate\w*|proper\w*|reasonabl\w*|not|no|fail\w*|"
    r"successful\w*|responsive|unacceptable|unaware|too|reviewed|"
    r"undertaken|adjusted|revised|managed|met|took? into account|"
    r"taken into account|dealt with|valued|supportive|support\w*)\b",
    re.I,
)
#: Outcomes and characteristics of cases rather than judgements of work.
PREVALENCE = re.compile(
    r"\b(?:had|have|has)\s+(?:not\s+)?(?:re)?offended\b|\babided?\b|"
    r"further offences|\bevident in\b|\binvolving\b|\baccessing\b|"
    r"\bcases access\b|\bmentioned\b|\blinks with\b|\brisk escalation\b|"
    r"\bwere (?:identified|created)\b|\bresponse to\b|\bview of\b",
    re.I,
)
WHERE_RELEVANT = re.compile(
    r"\bwhere (?:we deemed this|this would be reasonably|a review was|"
    r"relevant|required|appropriate|necessary)|\brelevant\b|"
    r"\bwhere (?:[\w ]+ )?(?:required|expected|necessary)",
    re.I,
)
NPS_AGENT = re.compile(
    r"\b(?:by|from) the NPS\b|\bthe NPS (?:had|has|was|were|provided|"
    r"produced)\b|\bNPS court\b",
    re.I,
)
STOP = {
    "the",
    "of",
    "a",
    "an",
    "in",
    "we",
    "our",
    "was",
    "were",
    "had",
    "been",
    "that",
    "and",
    "to",
    "be",
    "by",
    "for",
    "with",
    "which",
    "this",
    "there",
    "their",
    "found",
    "considered",
    "saw",
    "it",
    "is",
    "as",
    "on",
    "at",
    "us",
    "did",
    "do",
    "so",
    "its",
    "they",
    "has",
    "cases",
    "case",
    "sample",
    "inspected",
    "however",
    "also",
    "where",
    "those",
    "them",
}


@dataclass
class Found:
    quantifier: str | None
    start: int
    end: int
    count: int | None = None
    denominator: int | None = None
    noun: str | None = None
    modifiers: str = ""
    adverbial: bool = False
    percent: float | None = None


def quantifier_pattern(words: list[str]) -> re.Pattern:
    ordered = sorted(words, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ordered) + r")\b", re.I)


def clauses(sentence: str) -> list[tuple[int, str]]:
    """(offset, text) of each clause; a finding is sought once per clause."""
    pieces, start = [], 0
    for match in CLAUSE_BREAK.finditer(sentence):
        pieces.append((start, sentence[start : match.start()]))
        start = match.end()
    pieces.append((start, sentence[start:]))
    return [(offset, text) for offset, text in pieces if text.strip()]


def find_in_clause(clause: str, pattern: re.Pattern, kinds: dict[str, str]) -> Found | None:
    """The first quantified phrase of a clause that counts cases, people or issues."""
    exact = EXACT_COUNT.search(clause)
    share = PER_CENT.search(clause)
    candidates: list[Found] = []
    if exact:
        count = exact["count"].lower()
        denominator = exact["denominator"].lower()
        candidates.append(
            Found(
                None,
                exact.start(),
                exact.end(),
                NUMBER_WORDS.get(count) or int(count),
                NUMBER_WORDS.get(denominator) or int(denominator),
                exact["rest"].split()[-1],
                " ".join(exact["rest"].split()[:-1]),
            )
        )
    if share:
        candidates.append(
            Found(
                None,
                share.start(),
                share.end(),
                noun=share["noun"],
                percent=float(share["percent"]),
            )
        )
    evidence = NO_EVIDENCE.search(clause)
    if evidence and SAMPLE_WORDS.search(clause):
        candidates.append(Found("none", evidence.start(), evidence.end(), count=0, adverbial=True))
    for match in pattern.finditer(clause):
        word = match.group(0).lower()
        counted = COUNTED.match(clause[match.end() :])
        if SELF_COUNTED.search(word):
            candidates.append(Found(word, match.start(), match.end(), noun="case"))
        elif counted and not _superlative(clause, match):
            candidates.append(
                Found(
                    word,
                    match.start(),
                    match.end() + counted.end(),
                    noun=counted["noun"],
                    modifiers=counted["modifiers"].strip(),
                )
            )
        elif word in ADVERBIAL and (
            re.search(r"\b(?:" + BASE_NOUN + r")\b", clause, re.I)
            or word not in FREQUENCY
            and EVALUATIVE.search(clause)
        ):
            candidates.append(Found(word, match.start(), match.end(), adverbial=True))
    if not candidates:
        return None
    return min(candidates, key=lambda found: found.start)


def _superlative(clause: str, match: re.Match) -> bool:
    """ "the most prevalent", "most common": `most` before an adjective is no quantifier."""
    before = clause[: match.start()].rstrip().lower()
    return match.group(0).lower() == "most" and (before.endswith(("the", "was")))


def _aspect(clause: str, found: Found) -> str:
    """What was judged, as a short run of the clause's content words (for the curator to
    rewrite in their own words)."""
    rest = clause[: found.start] + " " + clause[found.end :]
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", rest) if w.lower() not in STOP]
    return " ".join(words[:9]).lower()


def direction_of(clause: str, found: Found) -> tuple[str, bool]:
    """(direction, sure): insufficient when the clause is negative, sufficient when it judges,
    prevalence when it only describes."""
    rest = clause[: found.start] + " " + clause[found.end :]
    negatives = NEGATIVE.findall(rest)
    if PREVALENCE.search(rest):
        return ("prevalence", False)
    if negatives:
        return "insufficient", len(negatives) == 1
    if EVALUATIVE.search(rest):
        return "sufficient", True
    return "prevalence", False


def base_of(clause: str, found: Found) -> str:
    noun = (found.noun or "").lower()
    if noun.startswith(("staff", "responsible officer", "officers", "practitioners", "managers")):
        return "staff"
    if noun.startswith(
        ("service user", "women", "men", "people", "individuals", "offenders")
    ) and re.search(
        r"\b(?:spoke|interview\w*|contact\w*|said|view|response|"
        r"undertaking)\b",
        clause,
        re.I,
    ):
        return "service users"
    if noun.startswith("issues"):
        return "issues"
    if WHERE_RELEVANT.search(clause):
        return "cases where relevant"
    return "cases"


def whose_work(
    clause: str, found: Found, section_organisation: str | None
) -> tuple[str | None, str | None, str | None]:
    """(whose work, whose cases, why): the organisation named in the counted phrase, else the
    organisation acting in the clause, else that of the section."""
    named = re.findall(r"\b(CRC|NPS)\b", found.modifiers)
    if named:  # "very few NPS cases": the NPS's own cases
        return named[0], named[0], "named in the counted phrase"
    if section_organisation == "CRC" and NPS_AGENT.search(clause):
        return "NPS", "CRC", "the NPS acts in the sentence (seen in CRC cases)"
    return section_organisation, section_organisation, None


def recognise(document: Document, labels: Labels, meta: dict) -> list[DraftRow]:
    table = labels.reference.tables["quantifier"]
    kinds = dict(zip(table["quantifier"], table["kind"], strict=False))
    counts = {
        word: (low, high)
        for word, low, high in zip(
            table["quantifier"], table.get("count_low"), table.get("count_high"), strict=False
        )
    }
    pattern = quantifier_pattern(list(kinds))
    programme = meta.get("programme")
    domains = labels.domain_labels(programme) or labels.domain_labels()
    samples = meta.get("samples", {})
    drafted: list[DraftRow] = []
    captions = {t.number: t.caption for t in document.tables}
    for sentence in finding_sentences(document) + table_sentences(document):
        drafted.extend(
            _rows(
                sentence, pattern, kinds, counts, domains, samples, captions, document, labels, meta
            )
        )
    return drafted


def _share_row(
    clause: str, found: Found, sentence: Sentence, organisation: str | None, meta: dict
) -> DraftRow:
    """ "sufficient in only 42 per cent of cases": an exact share of the case sample, drafted as a
    key fact (percent of the cases inspected), as curated folders hold them."""
    line = sentence.line
    words = [w for w in _aspect(clause, found).split() if w.isalpha()][:6]
    scope = (
        (
            meta.get("organisation_label")
            if organisation in (None, meta.get("organisation_type"))
            else None
        )
        or organisation
        or "all"
    )
    values = {
        "measure": "_".join(["cases", *words]) or "cases_share",
        "scope": f"{scope} (cases inspected)",
        "value": found.percent,
        "qualifier": "exact",
        "unit": "percent",
        "as_of": (meta.get("published") or "")[:7] or None,
        "notes": f"direction: {direction_of(clause, found)[0]}; whose work: "
        f"{organisation or 'not found'}",
    }
    row = DraftRow(
        "key_facts",
        values,
        locator(line.section, line.page, sentence.in_table),
        sentence.text,
        line.number,
        line.page,
    )
    row.guess("share of the case sample: measure made from the sentence's words", 0.2)
    return row


def _rows(
    sentence: Sentence, pattern, kinds, counts, domains, samples, captions, document, labels, meta
) -> list[DraftRow]:
    line = sentence.line
    caption = captions.get(sentence.in_table, "") if sentence.in_table else ""
    if sentence.in_table:
        section_organisation = organisation_of_caption(caption, line.section)
    else:
        section_organisation = organisation_of_section(line.section)
    chapter_title = document.chapters.get(line.section[0], "") if line.section else ""
    domain = domain_of(line.section, caption + " " + chapter_title, domains)
    rows = []
    for _, clause in clauses(sentence.text):
        found = find_in_clause(clause, pattern, kinds)
        if found is None:
            continue
        if found.percent is not None:
            rows.append(
                _share_row(
                    clause,
                    found,
                    sentence,
                    section_organisation or meta.get("organisation_type"),
                    meta,
                )
            )
            continue
        if sentence.foreword:
            continue  # a foreword's worded findings restate the chapters'
        quantifier, notes = found.quantifier, []
        if quantifier and quantifier.startswith("only ") and kinds.get(quantifier[5:]) == "share":
            notes.append(f"published as {quantifier}")
            quantifier = quantifier[5:]
        work, cases, why = whose_work(clause, found, section_organisation)
        direction, sure = direction_of(clause, found)
        count, denominator = found.count, found.denominator
        values: dict[str, object] = {
            "organisation_type": work,
            "domain_label": domain,
            "aspect": _aspect(clause, found),
            "quantifier": quantifier,
            "direction": direction,
            "base": base_of(clause, found),
        }
        row = DraftRow(
            "judgements",
            values,
            locator(line.section, line.page, sentence.in_table),
            sentence.text,
            line.number,
            line.page,
        )
        if quantifier and kinds.get(quantifier) == "count":
            low, high = counts.get(quantifier, (None, None))
            if low == low and low is not None and low == high:
                count = int(low)
        if count is not None:
            values["count"] = count
            if denominator is None and count and work in samples:
                denominator = samples[work]
                row.guess(f"denominator: the {work} sample ({denominator} cases)", 0.2)
        if denominator is not None:
            values["denominator"] = denominator
        if work != cases and cases:
            values["cases_organisation_type"] = cases
        if notes:
            values["notes"] = "; ".join(notes)
        row.guess("aspect: the sentence's own words, to be rewritten", 0.05)
        if why:
            row.guess(f"whose work: {work} ({why})", 0.3)
        elif work is None:
            row.guess("whose work: no organisation found", 0.5)
        else:
            row.guess(
                f"whose work: {work} from the "
                + ("table caption" if sentence.in_table else "section heading"),
                0.1,
            )
        if not sure:
            row.guess(f"direction '{direction}' uncertain", 0.2)
        if found.adverbial:
            row.guess(f"'{quantifier}' qualifies the clause, not a count of cases", 0.15)
        if domain is None:
            row.guess("domain not found in the headings", 0.3)
        if values["base"] == "cases where relevant":
            row.guess("base: cases where relevant (from the wording)", 0.1)
        rows.append(row)
    return rows
