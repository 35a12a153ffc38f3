"""Codes in readers' words on the pages, through the one lookup of labels by code
(`curated.vocabularies.code_labels`).

A code (`requires_improvement`, `ap18_case_supervision`, `omi2`, `key_facts`) is how the data
model names a value; readers read its label (Requires improvement, 2. Case supervision, Offender
Management Inspection 2, key facts). The labels come from the reference vocabularies of the data
in use (data/reference/), tables' and columns' names from the schema. Tables label their code
columns and every text of a page writes the codes in it as labels (report/html.py).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from .. import config
from ..curated.schema import TABLES, VOCABULARIES
from .text import ACRONYMS, _is_missing, words

#: A code as the data model writes it, alone or as a field (`key_facts.offenders_supervised`).
CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?:\.[a-z][a-z0-9_]*)?\b")
#: The tables of the data model in words, as a reader names them.
TABLE_WORDS = {name: name.replace("_", " ") for name in TABLES}
#: Columns of the data model that hold a vocabulary's codes, by column: shown by their label.
CODE_COLUMNS: dict[str, str] = {
    column.name: column.vocabulary
    for table in TABLES.values()
    for column in table.columns
    if column.vocabulary is not None
}


@cache
def _labels(reference_dir: str) -> dict[str, dict[str, str]]:
    """{vocabulary: {code: label}} of a reference directory, through the one lookup of labels
    by code (`curated.vocabularies.code_labels`)."""
    from ..curated.vocabularies import Reference, code_labels

    tables = Reference(Path(reference_dir)).tables
    return {
        name: dict(code_labels(name, tables[name]))
        for name, vocabulary in VOCABULARIES.items()
        if vocabulary.label_column in tables[name].columns
    }


def vocabulary_labels(vocabulary: str) -> dict[str, str]:
    """{code: label} of one vocabulary of the data in use."""
    if vocabulary not in VOCABULARIES:
        raise ValueError(
            f"unknown vocabulary {vocabulary!r}; vocabularies: {', '.join(VOCABULARIES)}"
        )
    return _labels(str(config.reference_dir())).get(vocabulary, {})


def label(vocabulary: str, code) -> str | None:
    """The label of `code` in `vocabulary` ('rating', 'requires_improvement' -> 'Requires
    improvement'), as `code_labels` gives it; a code the vocabulary does not hold is looked up
    in the others, else put into words, never shown as a code ('not_rated' -> 'Not rated');
    text that is no code is returned as it is."""
    if _is_missing(code):
        return None
    text = str(code)
    found = vocabulary_labels(vocabulary).get(text) or _any_label(text)
    if found is not None:
        return str(found)
    return words(text) if CODE.fullmatch(text) else text


def label_formatter(vocabulary: str):
    """A format for `table_html(formats=...)`: a column's codes shown by their label."""
    return lambda code: label(vocabulary, code) or ""


def _any_label(code: str) -> str | None:
    if code in TABLE_WORDS:
        return TABLE_WORDS[code]
    labels = _labels(str(config.reference_dir()))
    for vocabulary in (
        "measure",
        "domain",
        "standard",
        "rating",
        "need",
        "staff_grade",
        "programme",
        "population",
        "organisation",
    ):
        found = labels.get(vocabulary, {}).get(code)
        if found is not None:
            return str(found)
    return None


def _code_in_words(match: re.Match) -> str:
    code = match.group(0)
    table, _, field = code.partition(".")
    if field and table in TABLE_WORDS:
        return f"{TABLE_WORDS[table]}: {_any_label(field) or _plain(field)}"
    return _any_label(code) or _plain(code)


def _plain(code: str) -> str:
    """A code of no vocabulary in lower-case words ('finding_id' -> 'finding id')."""
    return " ".join(ACRONYMS.get(part, part) for part in code.replace(".", "_").split("_") if part)


def in_words(text) -> str:
    """Text with every code of the data model in it written as its label: a table
    ('qualitative_findings' -> 'qualitative findings'), a field ('key_facts.unemployment_rate'
    -> 'key facts: unemployment rate'), a vocabulary's code ('requires_improvement' ->
    'Requires improvement'); any other snake_case name in lower-case words."""
    if _is_missing(text):
        return text
    return CODE.sub(_code_in_words, str(text))
