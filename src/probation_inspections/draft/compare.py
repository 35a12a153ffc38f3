"""How close a draft is to a curated folder: rows matched one to one on what must agree (value,
organisation, rank ...), recall and precision per table, and whether the locators agree."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..curated.vocabularies import Reference


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        return round(float(value), 3)
    except (TypeError, ValueError):
        return None


def _text(value) -> str:
    return "" if value is None else " ".join(str(value).lower().split())


def _scope(value) -> str:
    return _text(value).replace("&", "and")


def _quantifier(value) -> str:
    word = _text(value)
    return word[5:] if word.startswith("only ") and not word.startswith("only one") else word


def match_key(table: str, row: dict, reference: Reference) -> tuple | None:
    """What a drafted row must share with a curated row to count as the same row."""
    code = reference.to_code
    if table == "need_sufficiency":
        return (
            row.get("organisation_type"),
            code("need", row.get("need_label")),
            _number(row.get("priority_rank")),
            _number(row.get("percent_sufficient")),
        )
    if table == "domain_scores":
        return (
            row.get("organisation_type"),
            code("domain", row.get("domain_label")),
            _number(row.get("percent")),
        )
    if table == "published_aggregates":
        return (
            row.get("statistic"),
            code("domain", row.get("domain_label")),
            _number(row.get("value")),
        )
    if table == "caseloads":
        return (
            row.get("organisation_type"),
            row.get("basis"),
            *(
                _number(row.get(c))
                for c in ("establishment_fte", "mean_caseload", "min_caseload", "max_caseload")
            ),
        )
    if table == "key_facts":
        return (_number(row.get("value")), _scope(row.get("scope")))
    if table == "judgements":
        quantifier = _quantifier(row.get("quantifier"))
        if quantifier:
            return (row.get("organisation_type"), quantifier)
        return (row.get("organisation_type"), "count", _number(row.get("count")))
    if table == "organisations":
        return (
            row.get("organisation_type"),
            _number(row.get("supervised_population")),
            _number(row.get("cases_sampled")),
            _number(row.get("service_users_interviewed")),
        )
    if table == "recommendations":
        return (_number(row.get("number")), row.get("addressee"))
    return None


@dataclass
class Locator:
    table: int | None
    chapter: str | None
    parts: list[str]


def parse_locator(text: str) -> list[Locator]:
    """Each alternative of a locator ("Ch.2 Staffing (CRC); Foreword") as table, chapter and
    normalised section names."""
    found: list[Locator] = []
    for alternative in str(text or "").split(";"):
        alternative = alternative.strip()
        if not alternative or re.fullmatch(r"p\. ?\d+", alternative):
            continue
        table = re.match(r"Table (\d+)", alternative)
        if table and found and found[-1].table is None:
            pass
        parts, chapter = [], None
        for part in re.split(r">|\(|\)", alternative):
            part = part.strip().lower()
            chapter_match = re.match(r"ch\.(\d+)\s*(.*)", part)
            if chapter_match:
                chapter = f"ch.{chapter_match.group(1)}"
                part = chapter_match.group(2)
            part = re.sub(r"^the |\s+effectiveness$", "", part).replace(
                "working together", "together"
            )
            if part and not part.startswith("table "):
                parts.append(part)
        found.append(Locator(int(table.group(1)) if table else None, chapter, parts))
    return found


#: Chapter titles curators write after the chapter number and drafts leave out.
CHAPTER_TITLES = ("overall judgements",)


def locator_agrees(curated: str, drafted: str) -> bool:
    """The draft's locator names the curated table, or the same chapter and every section the
    curated locator names."""
    drafts = parse_locator(drafted)
    table = next((d.table for d in drafts if d.table is not None), None)
    chapter = next((d.chapter for d in drafts if d.chapter), None)
    parts = {p for d in drafts for p in d.parts}
    for wanted in parse_locator(curated):
        if wanted.table is not None:
            if wanted.table == table:
                return True
            continue
        if wanted.chapter and wanted.chapter != chapter:
            continue
        names = [p for p in wanted.parts if p not in CHAPTER_TITLES]
        if all(p in parts for p in names):
            return True
    return False


@dataclass
class TableScore:
    table: str
    curated: int
    drafted: int
    matched: int
    locators_right: int
    disagreements: Counter = field(default_factory=Counter)
    missed: list[dict] = field(default_factory=list)
    extra: list[dict] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched / self.curated if self.curated else float("nan")

    @property
    def precision(self) -> float:
        return self.matched / self.drafted if self.drafted else float("nan")


#: Columns compared on matched rows to tell which guesses go wrong.
CHECKED = {
    "judgements": (
        "cases_organisation_type",
        "direction",
        "domain_label",
        "base",
        "count",
        "denominator",
    ),
    "key_facts": ("unit", "as_of"),
    "caseloads": ("staff_grade_label", "unit"),
    "need_sufficiency": ("need_label",),
    "organisations": ("organisation_label",),
}


def compare_table(
    table: str, curated: list[dict], drafted: list[dict], reference: Reference
) -> TableScore:
    """Match curated rows to drafted rows one to one on their key: first the pairs whose
    locators also agree, then the rest; then count."""
    score = TableScore(table, len(curated), len(drafted), 0, 0)
    free = list(range(len(drafted)))
    keys = [match_key(table, row, reference) for row in drafted]
    pairs: dict[int, int] = {}
    for located in (True, False):
        for index, row in enumerate(curated):
            if index in pairs:
                continue
            key = match_key(table, row, reference)
            where = row.get("source_locator", "") or ""
            candidates = [
                i
                for i in free
                if keys[i] == key
                and (not located or locator_agrees(where, drafted[i].get("source_locator", "")))
            ]
            if candidates:
                pairs[index] = candidates[0]
                free.remove(candidates[0])
    for index, row in enumerate(curated):
        if index not in pairs:
            score.missed.append(row)
            continue
        mine = drafted[pairs[index]]
        score.matched += 1
        if locator_agrees(row.get("source_locator", "") or "", mine.get("source_locator", "")):
            score.locators_right += 1
        for column in CHECKED.get(table, ()):
            ours, theirs = mine.get(column), row.get(column)
            vocabulary = {
                "domain_label": "domain",
                "organisation_label": "organisation",
                "need_label": "need",
                "staff_grade_label": "staff_grade",
            }.get(column)
            if vocabulary:  # labels agree when they name the same code
                ours = reference.to_code(vocabulary, ours) or ours
                theirs = reference.to_code(vocabulary, theirs) or theirs
            if _text(ours) != _text(theirs) and not (
                _number(ours) is not None and _number(ours) == _number(theirs)
            ):
                score.disagreements[(column, _text(theirs), _text(ours))] += 1
    score.extra = [drafted[i] for i in free]
    return score
