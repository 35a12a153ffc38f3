"""Validate curated inspections with Great Expectations suites derived from the schema.

Great Expectations is imported here only (it takes seconds), and each table's suite runs once over
the rows of all inspections together; failures are mapped back to inspection, file and line.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..curated.inspection import Inspection, list_inspections, read_inspection
from ..curated.schema import TABLES
from ..curated.vocabularies import Reference
from ..errors import DataError, DataIssue
from ..fingerprint import digest
from .outcome import Outcome
from .rules import RELATION_RULES, ColumnRule, column_rules

RESULT_COLUMNS = [
    "inspection_id",
    "table",
    "column",
    "rule",
    "expectation",
    "checked_rows",
    "failed_rows",
    "success",
]


@dataclass
class ValidationReport(Outcome):
    """What validation found: issues per inspection and the result of every rule."""

    inspections: dict[str, Inspection] = field(default_factory=dict)
    issues: dict[str, list[DataIssue]] = field(default_factory=dict)
    general_issues: list[DataIssue] = field(default_factory=list)  # not tied to an inspection
    #: Entries of data/inspections/ that are not inspection folders (a stray `untitled folder`,
    #: a link): reported, and skipped without stopping the inspections beside them.
    skipped: list[DataIssue] = field(default_factory=list)
    results: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=RESULT_COLUMNS))
    reference: Reference | None = None  # the vocabularies read (None if they failed to load)

    def notices(self) -> list[DataIssue]:
        """What was ignored without failing anything (files an operating system left)."""
        return sorted(n for i in sorted(self.inspections) for n in self.inspections[i].notices)


def validate(
    inspection_ids: list[str] | None = None,
    data_root: Path | None = None,
    known: frozenset[str] | set[str] = frozenset(),
) -> ValidationReport:
    """Read and validate inspections (all by default); never raises for bad data.

    `known`: inspections left out of "all" because the caller holds their results already (an
    inspection is validated on its own: no rule compares two inspections). Results are ordered
    by inspection, so that results validated apart and put together equal one run over all.
    """
    report = ValidationReport()
    try:
        reference = report.reference = Reference.load(data_root)
    except DataError as err:
        report.general_issues.extend(err.issues)
        return report
    found, issues = list_inspections(data_root)
    if inspection_ids is None:
        inspection_ids = [i for i in found if i not in known]
        report.skipped.extend(issues)
    for inspection_id in inspection_ids:
        inspection = read_inspection(inspection_id, reference, data_root)
        report.inspections[inspection_id] = inspection
        report.issues[inspection_id] = list(inspection.issues)
    results = [pd.DataFrame(columns=RESULT_COLUMNS)]
    if report.inspections:  # Great Expectations takes seconds to import: only when needed
        results = [_run_suites(report, reference), _run_relations(report, reference)]
    report.results = pd.concat(
        [r for r in results if not r.empty] or [results[0]], ignore_index=True
    ).sort_values("inspection_id", kind="stable", ignore_index=True)
    for inspection_id, issues in report.issues.items():
        report.issues[inspection_id] = sorted(set(issues))
    return report


def _combined(report: ValidationReport, table: str) -> tuple[pd.DataFrame, list[tuple]]:
    """All inspections' rows of a table, on a plain index, with (inspection, line) per row."""
    frames: list[pd.DataFrame] = []
    origin: list[tuple] = []
    for inspection_id, inspection in report.inspections.items():
        frame = inspection.tables.get(table)
        if frame is None or frame.empty:
            continue
        frames.append(frame.reset_index(drop=True))
        origin.extend((inspection_id, int(line)) for line in frame.index)
    if not frames:
        return pd.DataFrame(), []
    combined = pd.concat(frames, ignore_index=True)
    # Plain Python objects: the expectations see None for missing values, whatever the dtype.
    combined = combined.astype(object).where(combined.notna(), None)
    return combined, origin


def _run_suites(report: ValidationReport, reference: Reference) -> pd.DataFrame:
    suites = _Suites()
    rows = []
    for name, table in TABLES.items():
        frame, origin = _combined(report, name)
        if frame.empty:
            continue
        rules = column_rules(table, reference)
        for number, failed_rows in suites.failures(name, frame, rules):
            rule = rules[number]
            failed = [
                index for index in failed_rows if not _unchecked(report, name, origin[index], rule)
            ]
            rows.extend(_result_rows(rule, origin, failed))
            for index in failed:
                inspection_id, line = origin[index]
                value = _value(frame, rule, index)
                inspection = report.inspections[inspection_id]
                report.issues[inspection_id].append(
                    DataIssue(
                        inspection.path_of(table),
                        _line(inspection, name, line, rule.columns[0]),
                        rule.column,
                        rule.message(value, reference),
                        value,
                        inspection_id,
                    )
                )
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


#: What Great Expectations returns of each rule: whether it holds, then the rows that break it.
BOOLEAN_ONLY = {"result_format": "BOOLEAN_ONLY"}
COMPLETE = {"result_format": "COMPLETE"}

#: How many suites' outcomes a process keeps (see `_Suites`).
KEPT_OUTCOMES = 256
_OUTCOMES: OrderedDict[str, list[tuple[int, list[int]]]] = OrderedDict()


class _Suites:
    """Each table's suite, run by Great Expectations over the table's rows.

    What a suite finds depends on the rows and the rules only, so a process keeps the outcomes
    of the last KEPT_OUTCOMES suites it ran, by a digest of both: the same rows validated again
    with the same rules (a curator validating again in a notebook after editing one file, where
    every other table is as it was) are not run again. Great Expectations is imported, and its
    context made, only when a suite has to run.
    """

    def __init__(self):
        self._source: Any = None

    def failures(self, name: str, frame: pd.DataFrame, rules: list[ColumnRule]):
        """(rule number, positions of the rows that fail it) for every rule, in rule order."""
        key = _digest_of(name, frame, rules)
        if key in _OUTCOMES:
            _OUTCOMES.move_to_end(key)
            return _OUTCOMES[key]
        found = self._run(name, frame, rules)
        _OUTCOMES[key] = found
        while len(_OUTCOMES) > KEPT_OUTCOMES:
            _OUTCOMES.popitem(last=False)
        return found

    def _run(self, name: str, frame: pd.DataFrame, rules: list[ColumnRule]):
        source = self._datasource()  # first: it quiets Great Expectations before importing it
        import great_expectations as gx
        import great_expectations.expectations as gxe

        def suite(numbers: list[int]):
            return gx.ExpectationSuite(
                name=name,
                expectations=[
                    getattr(gxe, rules[n].expectation)(**rules[n].kwargs, meta={"rule": n})
                    for n in numbers
                ],
            )

        def numbered(outcome) -> list[tuple[int, Any]]:
            out = []
            for result in outcome.results:
                if result.expectation_config is None:
                    raise RuntimeError(f"a result of table {name} names no expectation")
                out.append((int(result.expectation_config.meta["rule"]), result))
            return out

        # The suite is validated on the batch directly: a stored suite and validation
        # definition would serialise every expectation and result into the context's stores,
        # a fifth of the validation time, for nothing that is read again.
        batch = (
            source.add_dataframe_asset(name)
            .add_batch_definition_whole_dataframe(name)
            .get_batch(batch_parameters={"dataframe": frame})
        )
        # Whether each rule holds first: the failing rows of every rule would cost more than half
        # of a suite's time, and most rules hold. Only the rules that fail run again, for them.
        first = numbered(batch.validate(suite(list(range(len(rules)))), result_format=BOOLEAN_ONLY))
        failing = [number for number, result in first if not result.success]
        rows = (
            dict(numbered(batch.validate(suite(failing), result_format=COMPLETE)))
            if failing
            else {}
        )
        return [
            (number, _failed_rows(rules[number], rows[number], frame) if number in rows else [])
            for number, _ in first
        ]

    def _datasource(self):
        if self._source is None:
            os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
            logging.getLogger("great_expectations").setLevel(logging.ERROR)
            import great_expectations as gx

            context = gx.get_context(mode="ephemeral")
            _quiet(context)
            self._source = context.data_sources.add_pandas("curated")
        return self._source


def _digest_of(name: str, frame: pd.DataFrame, rules: list[ColumnRule]) -> str:
    """A digest of a table's rows (values with their types, in order) and of its rules."""
    content = (
        name,
        list(frame.columns),
        frame.to_numpy().tolist(),
        [(rule.expectation, repr(sorted(rule.kwargs.items()))) for rule in rules],
    )
    return digest(pickle.dumps(content, protocol=5))


def _unchecked(report: ValidationReport, table: str, origin: tuple, rule: ColumnRule) -> bool:
    """True if the row fails only because of a value already reported as an issue."""
    inspection_id, line = origin
    unchecked = report.inspections[inspection_id].unchecked
    return any((table, line, column) in unchecked for column in rule.columns)


def _quiet(context) -> None:
    """No progress bars in logs and reports."""
    try:
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context.variables.progress_bars = ProgressBarsConfig(globally=False)
    except (ImportError, AttributeError):  # pragma: no cover - older layouts
        pass


def _failed_rows(rule: ColumnRule, result, frame: pd.DataFrame) -> list[int]:
    if result.success:
        return []
    indexes = (result.result or {}).get("unexpected_index_list")
    if indexes is None:
        if result.exception_info and result.exception_info.get("raised_exception"):
            raise RuntimeError(
                f"expectation {rule.expectation} on {rule.table}.{rule.column} "
                f"failed to run: {result.exception_info.get('exception_message')}"
            )
        return list(range(len(frame)))
    out = []
    for index in indexes:
        out.append(int(index["index"] if isinstance(index, dict) and "index" in index else index))
    return sorted(set(out))


def _value(frame: pd.DataFrame, rule: ColumnRule, index: int) -> str | None:
    values = [frame.at[index, c] for c in rule.columns if c in frame.columns]
    if all(v is None for v in values):
        return None
    return ", ".join("" if v is None else _plain(v) for v in values)


def _plain(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _result_rows(rule: ColumnRule, origin: list[tuple], failed: list[int]) -> list[dict]:
    checked: dict[str, int] = {}
    for inspection_id, _ in origin:
        checked[inspection_id] = checked.get(inspection_id, 0) + 1
    failures: dict[str, int] = {}
    for index in failed:
        failures[origin[index][0]] = failures.get(origin[index][0], 0) + 1
    return [
        {
            "inspection_id": inspection_id,
            "table": rule.table,
            "column": rule.column,
            "rule": rule.description,
            "expectation": rule.expectation,
            "checked_rows": count,
            "failed_rows": failures.get(inspection_id, 0),
            "success": failures.get(inspection_id, 0) == 0,
        }
        for inspection_id, count in checked.items()
    ]


def _line(inspection: Inspection, table: str, line: int | None, column: str | None):
    """The line to show: inspection.yaml's rows are fields, so point at the field's line."""
    if table == "inspections" and column:
        return inspection.yaml_lines.get(column, line)
    return line


def _run_relations(report: ValidationReport, reference: Reference) -> pd.DataFrame:
    rows = []
    for inspection_id, inspection in report.inspections.items():
        present = [t for t in TABLES if t in inspection.tables]
        for rule in RELATION_RULES:
            if not any(t in present for t in rule.tables):
                continue
            findings = (
                rule.check(inspection.tables, reference)
                if rule.uses_reference
                else rule.check(inspection.tables)
            )
            checked = sum(len(inspection.tables[t]) for t in rule.tables if t in present)
            rows.append(
                {
                    "inspection_id": inspection_id,
                    "table": ", ".join(rule.tables),
                    "column": "",
                    "rule": rule.description,
                    "expectation": "relation: " + rule.name,
                    "checked_rows": checked,
                    "failed_rows": len(findings),
                    "success": not findings,
                }
            )
            for table, line, column, value in findings:
                path = inspection.path_of(TABLES[table])
                report.issues[inspection_id].append(
                    DataIssue(
                        path,
                        _line(inspection, table, line, column),
                        column,
                        rule.description,
                        value,
                        inspection_id,
                    )
                )
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)
