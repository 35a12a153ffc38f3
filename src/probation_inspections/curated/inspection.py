"""Read one inspection folder into typed, harmonised tables (labels as published -> codes)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import DataError, DataIssue, display_path
from .readers import INTEGER_RE, NUMBER_RE, is_litter, read_csv, read_yaml
from .schema import (
    DISCREPANCIES,
    FIELD_SOURCES,
    INSPECTIONS,
    INTEGER,
    NUMBER,
    OPTIONAL_PROVENANCE,
    PANDAS_DTYPES,
    STRING,
    TABLES,
    URL_PATTERN,
    YAML_EXTRAS,
    Table,
)
from .shares import judgement_shares
from .vocabularies import Reference

_ID_RE = re.compile(config.INSPECTION_ID_PATTERN)
_URL_RE = re.compile(URL_PATTERN)
#: Whole numbers beyond this are refused: they would not survive the numeric columns exactly.
_LARGEST_INTEGER = 10**15 - 1
_LARGEST_NUMBER = 1e15


def check_inspection_id(value: str) -> str:
    """Return `value` if it is a valid inspection id; refuse anything that could escape a folder."""
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):
        raise DataError(
            [
                DataIssue(
                    "inspection id",
                    None,
                    None,
                    "must look like 2017-01-staffordshire-stoke (year-month-"
                    "area, lower case letters, digits and hyphens)",
                    repr(value),
                )
            ]
        )
    return value


def inspection_folder(inspection_id: str, data_root: Path | None = None) -> Path:
    return config.inspections_dir(data_root) / check_inspection_id(inspection_id)


def list_inspections(data_root: Path | None = None) -> tuple[list[str], list[DataIssue]]:
    """Ids of the curated inspections, sorted; folders whose names are not ids are issues.

    What is not a folder named by an id (a stray `untitled folder`, a link, a file) is reported
    and skipped: it never stops the others from being read.
    """
    root = config.inspections_dir(data_root)
    ids: list[str] = []
    issues: list[DataIssue] = []
    if not root.is_dir():
        return ids, [
            DataIssue(
                display_path(root), None, None, f"folder is missing ({config.search_order()})"
            )
        ]
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or is_litter(entry.name):
            continue
        if entry.is_symlink():
            issues.append(
                DataIssue(
                    display_path(entry),
                    None,
                    None,
                    "is a symbolic link: "
                    "an inspection folder must be a folder inside the data "
                    "directory",
                )
            )
        elif not entry.is_dir():
            continue  # a file beside the folders (a README) is not an inspection
        elif _ID_RE.fullmatch(entry.name):
            ids.append(entry.name)
        else:
            issues.append(
                DataIssue(
                    display_path(entry),
                    None,
                    None,
                    "folder name is not a valid inspection id "
                    "(year-month-area, e.g. 2017-01-staffordshire-stoke)",
                )
            )
    return ids, issues


@dataclass
class Inspection:
    """One inspection's tables, typed and harmonised; `issues` holds what could not be read."""

    inspection_id: str
    folder: Path
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    issues: list[DataIssue] = field(default_factory=list)
    #: What was ignored without failing the inspection (files an operating system left).
    notices: list[DataIssue] = field(default_factory=list)
    yaml_lines: dict[str, int] = field(default_factory=dict)
    #: (table, line, column) whose value is missing because of an issue already reported (a
    #: column absent from the header, a value that is not a number, an unknown label, a
    #: default that inspection.yaml could not give): rules do not report them a second time.
    unchecked: set[tuple[str, int, str]] = field(default_factory=set)

    def path_of(self, table: Table) -> str:
        return display_path(self.folder / table.filename)


def read_inspection(
    inspection_id: str, reference: Reference, data_root: Path | None = None
) -> Inspection:
    folder = inspection_folder(inspection_id, data_root)
    inspection = Inspection(inspection_id, folder)
    if folder.is_symlink():
        inspection.issues.append(
            DataIssue(
                display_path(folder),
                None,
                None,
                "is a symbolic "
                "link: an inspection folder must be a folder "
                "inside the data directory",
            )
        )
        return inspection
    if not folder.is_dir():
        inspection.issues.append(
            DataIssue(
                display_path(folder),
                None,
                None,
                f"folder is missing: no curated inspection has this id ({config.search_order()})",
            )
        )
        return inspection
    try:
        entries = sorted(folder.iterdir())
    except OSError as err:
        inspection.issues.append(
            DataIssue(display_path(folder), None, None, f"folder cannot be read ({err.strerror})")
        )
        return inspection
    meta = _read_metadata(inspection)
    source_url = meta.get("source_url") if meta else None
    if not (isinstance(source_url, str) and _URL_RE.match(source_url)):
        source_url = None  # reported in inspection.yaml; rows are not filled from it
    for table in TABLES.values():
        if table.from_yaml:
            continue
        path = folder / table.filename
        if path not in entries:
            continue
        try:
            raw = read_csv(path, expected=[c.name for c in table.curated_columns])
        except DataError as err:
            inspection.issues.extend(err.issues)
            continue
        frame, issues, unchecked = _typed(raw, table, display_path(path))
        inspection.issues.extend(issues)
        frame = _harmonise(frame, table, reference, inspection_id, source_url)
        unchecked |= _not_harmonised(frame, table, source_url)
        inspection.unchecked.update((table.name, line, column) for line, column in unchecked)
        inspection.tables[table.name] = frame
    known = {t.filename for t in TABLES.values()}
    for path in entries:
        if is_litter(path.name):
            inspection.notices.append(
                DataIssue(
                    display_path(path),
                    None,
                    None,
                    "ignored: left by the operating system or an editor, not curated data",
                )
            )
        elif path.name not in known:
            problem = (
                "is not a file of the data model (expected inspection.yaml or one of "
                "the table CSVs)"
            )
            if path.is_dir() and not path.is_symlink():
                problem = "is a folder: " + problem
            inspection.issues.append(DataIssue(display_path(path), None, None, problem))
    _derive(inspection, reference)
    return inspection


def _read_metadata(inspection: Inspection) -> dict | None:
    path = inspection.folder / INSPECTIONS.filename
    try:
        data, lines = read_yaml(path)
    except DataError as err:
        inspection.issues.extend(err.issues)
        return None
    inspection.yaml_lines = lines
    shown = display_path(path)
    known = set(INSPECTIONS.column_names) | set(YAML_EXTRAS)
    for key in data:
        if key not in known:
            inspection.issues.append(
                DataIssue(shown, lines.get(key), str(key), "is not a field of inspection.yaml")
            )
    if data.get("inspection_id") != inspection.inspection_id:
        inspection.issues.append(
            DataIssue(
                shown,
                lines.get("inspection_id"),
                "inspection_id",
                f"must equal the folder name {inspection.inspection_id}",
                None if data.get("inspection_id") is None else str(data.get("inspection_id")),
            )
        )
    row = {}
    for column in INSPECTIONS.columns:
        value = data.get(column.name)
        if isinstance(value, (dict, list)):
            inspection.issues.append(
                DataIssue(shown, lines.get(column.name), column.name, "must be a single value")
            )
            inspection.unchecked.add((INSPECTIONS.name, lines.get("inspection_id", 1), column.name))
            value = None
        row[column.name] = None if value is None else str(value).strip() or None
    row["inspection_id"] = inspection.inspection_id
    line = lines.get("inspection_id", 1)
    frame = pd.DataFrame(
        [row], columns=INSPECTIONS.column_names, index=pd.Index([line], name="line")
    )
    inspection.tables[INSPECTIONS.name] = frame.astype("string")
    _read_yaml_tables(inspection, data, shown)
    return data


def _entry_line(entry, key: str, default: int | None) -> int | None:
    return getattr(entry, "lines", {}).get(key, default)


def _listed(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else []


def _read_yaml_tables(inspection: Inspection, data: dict, shown: str) -> None:
    """The `discrepancies` list and the `field_sources` mapping as tables (one row a value)."""
    lines = inspection.yaml_lines
    source_url = data.get("source_url") if isinstance(data.get("source_url"), str) else None
    rows, index = [], []
    entries = data.get("discrepancies") or []
    if not isinstance(entries, list):
        inspection.issues.append(
            DataIssue(
                shown,
                lines.get("discrepancies"),
                "discrepancies",
                "must be a list of entries (field, values, locators, sources, note)",
            )
        )
        entries = []
    for number, entry in enumerate(entries, start=1):
        line = _entry_line(entry, "field", lines.get("discrepancies"))
        if not isinstance(entry, dict):
            inspection.issues.append(
                DataIssue(shown, line, "discrepancies", "each entry must be a mapping")
            )
            continue
        values, locators = _listed(entry.get("values")), _listed(entry.get("locators"))
        sources = (
            _listed(entry.get("sources"))
            if entry.get("sources") is not None
            else [None] * len(values)
        )
        if len(values) < 2 or len(locators) != len(values) or len(sources) != len(values):
            inspection.issues.append(
                DataIssue(
                    shown,
                    line,
                    "discrepancies",
                    "an entry needs two or more values, and one locator (and, between sources, "
                    "one source) per value",
                    f"{len(values)} values, {len(locators)} locators, {len(sources)} sources",
                )
            )
            continue
        urls = [u if u else source_url for u in sources]
        scope = "between sources" if len({u for u in urls if u}) > 1 else "within one source"
        for position, (value, locator, url) in enumerate(
            zip(values, locators, urls, strict=True), start=1
        ):
            rows.append(
                {
                    "inspection_id": inspection.inspection_id,
                    "discrepancy": number,
                    "field": _text(entry.get("field")),
                    "position": position,
                    "value": _text(value),
                    "source_locator": _text(locator),
                    "source_url": _text(url),
                    "scope": scope,
                    "note": _text(entry.get("note")),
                }
            )
            index.append(line)
    inspection.tables[DISCREPANCIES.name] = _frame(DISCREPANCIES, rows, index)
    rows, index = [], []
    mapping = data.get("field_sources") or {}
    if not isinstance(mapping, dict):
        inspection.issues.append(
            DataIssue(
                shown,
                lines.get("field_sources"),
                "field_sources",
                "must map a field to its source_url, locator and certainty",
            )
        )
        mapping = {}
    for field_name, entry in mapping.items():
        line = getattr(mapping, "lines", {}).get(field_name, lines.get("field_sources"))
        if not isinstance(entry, dict):
            inspection.issues.append(
                DataIssue(
                    shown,
                    line,
                    str(field_name),
                    "must be a mapping of source_url, locator, certainty and notes",
                )
            )
            continue
        unknown = sorted(set(entry) - {"source_url", "locator", "certainty", "notes"})
        for key in unknown:
            inspection.issues.append(
                DataIssue(
                    shown,
                    _entry_line(entry, key, line),
                    str(key),
                    "is not a key of a field source (source_url, locator, certainty, notes)",
                )
            )
        rows.append(
            {
                "inspection_id": inspection.inspection_id,
                "field": _text(field_name),
                "value": _text(data.get(field_name)),
                "certainty": _text(entry.get("certainty")) or "reported",
                "source_locator": _text(entry.get("locator")),
                "source_url": _text(entry.get("source_url")),
                "notes": _text(entry.get("notes")),
            }
        )
        index.append(line)
    inspection.tables[FIELD_SOURCES.name] = _frame(FIELD_SOURCES, rows, index)


def _text(value) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value).strip() or None


def _frame(table: Table, rows: list[dict], index: list) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows, columns=table.column_names, index=pd.Index([i or 1 for i in index], name="line")
    )
    return pd.DataFrame(
        {c.name: _as_kind(frame[c.name], c.kind) for c in table.columns}, index=frame.index
    )


def _typed(
    raw: pd.DataFrame, table: Table, shown: str
) -> tuple[pd.DataFrame, list[DataIssue], set[tuple[int, str]]]:
    """Parse each curated column to its kind; unparseable cells are issues (and become NA).

    Also returns the (line, column) cells left empty by an issue reported here.
    """
    issues = []
    unchecked: set[tuple[int, str]] = set()
    columns = {}
    for column in table.curated_columns:
        if column.name not in raw.columns:
            if (
                column.required
                and column.name not in OPTIONAL_PROVENANCE
                and column.default_from is None
            ):
                issues.append(
                    DataIssue(shown, 1, column.name, "required column is missing from the header")
                )
                unchecked.update((int(line), column.name) for line in raw.index)
            columns[column.name] = _empty(raw.index, column.kind)
            continue
        values = raw[column.name]
        if column.kind in (INTEGER, NUMBER) and values.notna().any():
            pattern = INTEGER_RE if column.kind == INTEGER else NUMBER_RE
            bad = values.notna() & ~values.fillna("0").str.match(pattern)
            for line, value in values[bad].items():
                word = "a whole number" if column.kind == INTEGER else "a plain number"
                issues.append(
                    DataIssue(
                        shown,
                        int(line),
                        column.name,
                        f"must be {word} (no %, commas or words)",
                        value,
                    )
                )
            values = values.where(~bad)
            large = values.notna() & (
                pd.to_numeric(values, errors="coerce").abs()
                > (_LARGEST_INTEGER if column.kind == INTEGER else _LARGEST_NUMBER)
            )
            for line, value in values[large].items():
                issues.append(
                    DataIssue(
                        shown, int(line), column.name, "is too large (at most 15 digits)", value
                    )
                )
            values = values.where(~large)
            unchecked.update((int(line), column.name) for line in values.index[bad | large])
        columns[column.name] = _as_kind(values, column.kind)
    return pd.DataFrame(columns, index=raw.index), issues, unchecked


def _empty(index: pd.Index, kind: str) -> pd.Series:
    return pd.Series(pd.array([pd.NA] * len(index), dtype=PANDAS_DTYPES[kind]), index=index)


def _as_kind(values: pd.Series, kind: str) -> pd.Series:
    if kind == INTEGER:
        return pd.to_numeric(values, errors="coerce").astype("Int64")
    if kind == NUMBER:
        return pd.to_numeric(values, errors="coerce").astype("Float64")
    return values.astype(PANDAS_DTYPES[STRING])


def _not_harmonised(
    frame: pd.DataFrame, table: Table, source_url: str | None
) -> set[tuple[int, str]]:
    """Cells left empty by harmonisation because of an issue reported elsewhere: the code of a
    label the vocabulary lacks (reported on the label), a source_url inspection.yaml could not
    give (reported there)."""
    cells: set[tuple[int, str]] = set()
    for label in table.labels:
        unknown = frame[label.label_column].notna() & frame[label.code_column].isna()
        cells.update((int(line), label.code_column) for line in frame.index[unknown])
    if source_url is None and "source_url" in frame:
        cells.update((int(line), "source_url") for line in frame.index[frame["source_url"].isna()])
    return cells


def _harmonise(
    frame: pd.DataFrame,
    table: Table,
    reference: Reference,
    inspection_id: str,
    source_url: str | None,
) -> pd.DataFrame:
    columns = {name: frame[name] for name in frame.columns}
    columns["inspection_id"] = pd.Series(inspection_id, index=frame.index, dtype="object")
    for label in table.labels:
        columns[label.code_column] = frame[label.label_column].map(
            lambda value, v=label.vocabulary: reference.to_code(v, value)
        )
    if "certainty" in columns:
        columns["certainty"] = columns["certainty"].fillna("reported")
    if "source_url" in columns and source_url:
        columns["source_url"] = columns["source_url"].fillna(source_url)
    for column in table.curated_columns:
        if column.default_from and column.name in columns:
            columns[column.name] = columns[column.name].fillna(columns[column.default_from])
    typed = {}
    for column in table.columns:
        values = columns.get(column.name)
        if values is None:
            values = _empty(frame.index, column.kind)
        elif str(values.dtype) != PANDAS_DTYPES[column.kind]:
            values = _as_kind(values, column.kind)
        typed[column.name] = values
    return pd.DataFrame(typed, index=frame.index)


def _derive(inspection: Inspection, reference: Reference) -> None:
    """Columns computed from other tables or the vocabularies."""
    tables = inspection.tables
    if "ratings" in tables:
        ratings = tables["ratings"]
        ratings["rating_rank"] = ratings["rating"].map(reference.rating_rank).astype("Int64")
        # No rank without a known rating: the rating label's own rules report it.
        inspection.unchecked.update(
            ("ratings", int(line), "rating_rank")
            for line in ratings.index[ratings["rating"].isna()]
        )
    if "judgements" in tables:
        tables["judgements"] = judgement_shares(
            tables["judgements"], reference.tables["quantifier"]
        )
    if "organisations" in tables:
        organisations = tables["organisations"]
        overall = pd.DataFrame(columns=["organisation", "rating", "rating_label"])
        if "ratings" in tables:
            ratings = tables["ratings"]
            overall = ratings.loc[
                ratings["standard"] == "overall", ["organisation", "rating", "rating_label"]
            ]
            overall = overall.drop_duplicates("organisation")
        by_org = overall.set_index("organisation")
        organisations["overall_rating"] = (
            organisations["organisation"].map(by_org["rating"]).astype("string")
        )
        organisations["rating_label"] = (
            organisations["organisation"].map(by_org["rating_label"]).astype("string")
        )
