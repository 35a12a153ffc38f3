"""A drafted row: the values for one curated table, where they came from and how sure the
drafter is of its guesses."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..curated.vocabularies import Reference

#: The certainty every drafted row carries until a curator has checked it.
DRAFTED = "drafted"


@dataclass
class DraftRow:
    table: str  # name of the curated table (schema.TABLES)
    values: dict[str, object]
    locator: str
    evidence: str  # the sentence or table row the values were read from
    line: int  # line of the evidence in the reading of the source
    page: int | None = None
    #: How sure the drafter is of its guesses, from 0 (a guess) to 1 (read as printed).
    confidence: float = 1.0
    guesses: list[str] = field(default_factory=list)  # what was guessed, in words
    unknown: list[tuple[str, str]] = field(default_factory=list)  # (vocabulary, label)

    def guess(self, what: str, penalty: float) -> None:
        """Record a guess and lower the row's confidence by `penalty`."""
        self.guesses.append(what)
        self.confidence = max(0.0, round(self.confidence - penalty, 2))


class Labels:
    """Published labels looked up in the vocabularies; labels not found are collected."""

    def __init__(self, reference: Reference):
        self.reference = reference

    def code(self, vocabulary: str, label: str | None) -> str | None:
        if not label:
            return None
        return self.reference.to_code(vocabulary, label)

    def known(self, row: DraftRow, vocabulary: str, label: str | None) -> bool:
        """True if `label` maps to a code; otherwise it is listed on the row for the curator."""
        if self.code(vocabulary, label):
            return True
        if label:
            row.unknown.append((vocabulary, label))
            row.guess(f"{vocabulary} label '{label}' is not in the vocabularies", 0.2)
        return False

    def vocabulary_label_in(self, vocabulary: str, text: str) -> str | None:
        """The longest label of `vocabulary` written inside `text` (case-insensitive)."""
        lowered = " ".join(text.lower().split())
        found = [
            label
            for label in self.reference.labels(vocabulary)
            if len(label) > 3 and label.lower() in lowered
        ]
        return max(found, key=len) if found else None

    def domain_labels(self, programme: str | None = None) -> set[str]:
        table = self.reference.tables["domain"]
        if programme:
            table = table[table["programme"] == programme]
        return set(table["label"].dropna())
