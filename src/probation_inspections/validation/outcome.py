"""The verdicts read off a validation run: which inspections pass, which fail, and every issue."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import DataIssue


class Outcome:
    """Shared by a fresh validation and one that reuses stored results.

    A subclass holds `inspections` (the ids, or a mapping keyed by id), `issues` (id -> its
    issues), `general_issues` (not tied to one inspection) and `skipped` (entries that are not
    inspection folders).
    """

    inspections: Iterable[str]
    issues: dict[str, list[DataIssue]]
    general_issues: list[DataIssue]
    skipped: list[DataIssue]

    @property
    def valid_ids(self) -> list[str]:
        if self.general_issues:
            return []
        return sorted(i for i in self.inspections if not self.issues.get(i))

    @property
    def failed_ids(self) -> list[str]:
        return sorted(i for i in self.inspections if self.issues.get(i))

    @property
    def ok(self) -> bool:
        return not self.general_issues and not self.skipped and not self.failed_ids

    def all_issues(self) -> list[DataIssue]:
        issues = [*self.general_issues, *self.skipped]
        for inspection_id in sorted(self.issues):
            issues.extend(sorted(self.issues[inspection_id]))
        return issues
