"""The public way in: `load(table)` returns a validated table combined across inspections.

When data/processed/ (or, for read-only data, its folder in the user's cache directory) holds the
tables of the current curated files, `load` reads them (well under a second). Otherwise it says
so, validates the curated data once in this process (seconds), leaves out with a warning any
inspection that breaks a rule, and writes the tables there, so that the next process reads them.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from functools import lru_cache, partial
from pathlib import Path

import pandas as pd

from . import atomic, config
from .curated.inspection import check_inspection_id
from .curated.schema import PANDAS_DTYPES, TABLES, VOCABULARIES
from .curated.vocabularies import Reference
from .errors import DataError, DataIssue
from .fingerprint import current_fingerprint

MANIFEST = "manifest.json"
VALIDATION_RESULTS = "validation_results"


def combine(tables_by_inspection: dict[str, dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """One frame per table across inspections, in schema column order, sorted by key."""
    combined = {}
    for name, table in TABLES.items():
        frames = [
            tables[name].reset_index(drop=True)
            for _, tables in sorted(tables_by_inspection.items())
            if name in tables
        ]
        if frames:
            frame = pd.concat(frames, ignore_index=True)[table.column_names]
        else:
            frame = pd.DataFrame(
                {c.name: pd.Series(dtype=PANDAS_DTYPES[c.kind]) for c in table.columns}
            )
        sort_by = [c for c in table.key if c in frame.columns] or ["inspection_id"]
        frame = frame.sort_values(sort_by, kind="stable", na_position="last")
        combined[name] = frame.reset_index(drop=True)
    return combined


def write_processed(
    tables: dict[str, pd.DataFrame],
    results: pd.DataFrame,
    manifest: dict,
    data_root: Path | None = None,
) -> Path:
    """Write the combined tables (CSV for people, Parquet for types) and the manifest last."""
    out = config.processed_dir(data_root)
    for name, frame in {**tables, VALIDATION_RESULTS: results}.items():
        atomic.write_text(out / f"{name}.csv", frame.to_csv(index=False, lineterminator="\n"))
        atomic.write_with(out / f"{name}.parquet", partial(frame.to_parquet, index=False))
    atomic.write_text(out / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return out


def read_manifest(data_root: Path | None = None) -> dict | None:
    path = config.processed_dir(data_root) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class LeftOutWarning(UserWarning):
    """Inspections left out of every table because they break validation rules; their ids are
    in `inspection_ids`, so that a report can name each one to its readers."""

    PREFIX = "left out (they break validation rules; run `probation-inspections validate`): "

    def __init__(self, inspection_ids: list[str] | str):
        if isinstance(inspection_ids, str):  # the message itself, as warnings re-raised give it
            listed = inspection_ids.removeprefix(self.PREFIX)
            inspection_ids = [i for i in listed.split(", ") if i]
        self.inspection_ids = list(inspection_ids)
        super().__init__(self.PREFIX + ", ".join(self.inspection_ids))


#: The inspections left out of the tables served for (data directory, fingerprint).
_LEFT_OUT: dict[tuple[str, str], list[str]] = {}


def _warn_left_out(failed_ids: list[str]) -> None:
    if failed_ids:
        warnings.warn(LeftOutWarning(failed_ids), stacklevel=4)


def left_out(data_root: Path | None = None) -> list[str]:
    """The inspections left out of the tables `load()` serves because they break validation
    rules (each also named by a LeftOutWarning when the tables are first read): a report can
    name them to its readers even where warnings went elsewhere (to logging, say)."""
    root = Path(data_root or config.data_dir()).resolve()
    fingerprint = current_fingerprint(root)
    _tables(str(root), fingerprint)
    return list(_LEFT_OUT.get((str(root), fingerprint), []))


@lru_cache(maxsize=4)
def _tables(data_root: str, fingerprint: str) -> dict[str, pd.DataFrame]:
    root = Path(data_root)
    manifest = read_manifest(root)
    if manifest and manifest.get("fingerprint") == fingerprint:
        out = config.processed_dir(root)
        try:
            tables = {
                name: pd.read_parquet(out / f"{name}.parquet")
                for name in [*TABLES, VALIDATION_RESULTS]
            }
        except (OSError, ValueError):
            pass  # a cache that cannot be read is rebuilt below
        else:
            _LEFT_OUT[(data_root, fingerprint)] = list(manifest.get("excluded") or [])
            _warn_left_out(manifest.get("excluded") or [])
            return tables
    from .curated.inspection import list_inspections
    from .validation.suites import validate

    found, _ = list_inspections(root)
    print(f"validating {len(found)} inspections once; later calls read the cache", file=sys.stderr)
    report = validate(data_root=root)
    if report.general_issues:
        raise DataError(report.general_issues)
    _LEFT_OUT[(data_root, fingerprint)] = list(report.failed_ids)
    _warn_left_out(report.failed_ids)
    tables = combine({i: report.inspections[i].tables for i in report.valid_ids})
    try:
        write_processed(
            tables,
            report.results,
            {
                "fingerprint": fingerprint,
                "inspections": report.valid_ids,
                "excluded": report.failed_ids,
            },
            root,
        )
    except OSError as err:
        warnings.warn(
            f"validated tables not cached ({config.processed_dir(root)}: "
            f"{err.strerror or err}); the next process validates again",
            stacklevel=3,
        )
    tables[VALIDATION_RESULTS] = report.results
    return tables


def _all(data_root: Path | None = None) -> dict[str, pd.DataFrame]:
    root = Path(data_root or config.data_dir()).resolve()
    return _tables(str(root), current_fingerprint(root))


def load(table: str, inspections: list[str] | str | None = None) -> pd.DataFrame:
    """The validated table `table` (see the data dictionary), combined across inspections.

    `inspections`: an id or a list of ids to keep (default: all valid inspections).
    """
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; tables: {', '.join(TABLES)}")
    _record_read(table)
    tables = _all()
    frame = tables[table]
    if inspections is not None:
        wanted = [inspections] if isinstance(inspections, str) else list(inspections)
        for inspection_id in wanted:
            check_inspection_id(inspection_id)
        _check_known(wanted, set(tables["inspections"]["inspection_id"]))
        frame = frame[frame["inspection_id"].isin(wanted)]
    return frame.reset_index(drop=True).copy()


def _check_known(wanted: list[str], valid: set[str]) -> None:
    """Refuse ids that are not valid curated inspections, rather than return no rows."""
    unknown = [i for i in wanted if i not in valid]
    if not unknown:
        return
    curated = [i for i in unknown if config.inspections_dir().joinpath(i).is_dir()]
    parts = []
    if curated:
        parts.append(
            "left out because they break validation rules (run `probation-"
            "inspections validate`): " + ", ".join(curated)
        )
    missing = [i for i in unknown if i not in curated]
    if missing:
        parts.append("no curated inspection has the id: " + ", ".join(missing))
    raise ValueError("; ".join(parts))


#: When set, every table `load` reads is appended to this file (the build's dependency check).
READ_LOG_ENV = "PROBATION_INSPECTIONS_READ_LOG"


def _record_read(table: str) -> None:
    log = os.environ.get(READ_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(table + "\n")


def load_validation_results(inspection_id: str | None = None) -> pd.DataFrame:
    """Every validation rule per inspection with its outcome (what was checked)."""
    frame = _all()[VALIDATION_RESULTS]
    if inspection_id is not None:
        frame = frame[frame["inspection_id"] == check_inspection_id(inspection_id)]
    return frame.reset_index(drop=True).copy()


def reference(vocabulary: str) -> pd.DataFrame:
    """A reference vocabulary of data/reference/ (e.g. `need`, `quantifier`, `organisation`)."""
    if vocabulary not in VOCABULARIES:
        raise ValueError(
            f"unknown vocabulary {vocabulary!r}; vocabularies: {', '.join(VOCABULARIES)}"
        )
    root = config.data_dir().resolve()
    tables = _reference(str(root), current_fingerprint(root)).tables
    return tables[vocabulary].reset_index(drop=True).copy()


@lru_cache(maxsize=4)
def _reference(data_root: str, fingerprint: str) -> Reference:
    """The vocabularies of a data directory, read and checked once for each state of its files
    (`fingerprint`): a notebook asks for several, and a warm kernel runs many notebooks."""
    return Reference.load(Path(data_root))


__all__ = ["DataError", "DataIssue", "load", "load_validation_results", "reference"]
