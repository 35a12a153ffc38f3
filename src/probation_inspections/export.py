"""A versioned release of the data for people who do not use Python.

`export(directory)` writes the validated tables, combined across inspections, as

- a Frictionless Data Package: `datapackage.json` (name, version, commit, licence with its
  attribution, sources, contributors) and one CSV per table in `data/`, with labels as
  published beside their harmonised codes; the table schemas are generated from the schema
  module (types, required fields, enumerations from the vocabularies, primary keys, foreign keys
  to the vocabulary tables, which are exported too);
- an Excel workbook of the same tables, laid out as the Government Analysis Function advises for
  spreadsheets: cover sheet, contents, notes, one table per sheet starting in cell A1 above a
  marked-up table, no merged cells, units in the headers, no blank cells.

Dates are written as ISO 8601 dates (the first day of what is known) with a precision column
beside each: `published` = `2022-08-01`, `published_precision` = `month`, so that R's
`as.Date`, readr and Stata's `import delimited` read them as dates. Every table has a
`data_version` column: the version of the package and of its data.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import atomic, config, repository
from .curated.dates import PRECISIONS as DATE_PRECISIONS
from .curated.dates import parse_date
from .curated.schema import DATE, INTEGER, NUMBER, STRING, TABLES, VOCABULARIES, Column, Table

NAME = "probation-inspections-data"
TITLE = "Probation inspections in England and Wales: curated, validated data"
DESCRIPTION = (
    "Facts from the inspections of probation services in England and Wales by HM Inspectorate "
    "of Probation: ratings, scores by domain, sufficiency by assessed need, caseloads, narrative "
    "judgements and their share intervals, recommendations and the statistics the Inspectorate "
    "published about groups of services. Every row carries its source locator, its source URL "
    "and how certain it is (reported, derived or inferred). Labels are kept as published beside "
    "harmonised codes from the reference vocabularies."
)
LICENCE = {
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
ATTRIBUTION = (
    "Contains public sector information published by HM Inspectorate of Probation and the "
    "Ministry of Justice and licensed under the Open Government Licence v3.0. Facts taken from "
    "news, blogs and other publishers' documents are cited as facts only: their text stays the "
    "publisher's. The licence column of the inspections table says which applies to each source."
)
PUBLISHER = {
    "title": "HM Inspectorate of Probation",
    "path": "https://www.justiceinspectorates.gov.uk/hmiprobation/",
}
CONTRIBUTORS = "probation-inspections contributors"
CONTACT = (
    "probation-inspections contributors, through the issue tracker of the project's "
    "repository (see CITATION.cff)"
)
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"

#: The column added to every exported table.
VERSION_COLUMN = "data_version"
#: How precisely a date is known; the precision column beside each date column says which.
PRECISIONS = DATE_PRECISIONS
FRICTIONLESS_TYPES = {STRING: "string", INTEGER: "integer", NUMBER: "number", DATE: "date"}
#: Reference columns that hold fractions (reference/quantifiers.csv); other reference columns
#: are integers when every value is a whole number, else text (section numbers such as `1.10`).
NUMBER_REFERENCE_COLUMNS = (
    "share_low",
    "share_high",
    "strict_low",
    "strict_high",
    "loose_low",
    "loose_high",
)
#: Written in the workbook where a cell is empty (Government Analysis Function shorthand).
EMPTY_CELL = "[x]"


@dataclass(frozen=True)
class Release:
    """What identifies the data exported: its version, the commit and where it was read."""

    version: str
    commit: str | None
    data_dir: Path

    @property
    def archive_name(self) -> str:
        return f"{NAME}-{self.version}.zip"

    @property
    def workbook_name(self) -> str:
        return f"{NAME}-{self.version}.xlsx"


def release_info() -> Release:
    """The version and commit of the data in use (config.locate())."""
    from . import __version__

    location = config.locate()
    root = location.root.resolve()
    commit = bundled_commit() if location.source == "bundled" else repository.commit(root, ["."])
    return Release(__version__, commit, root)


def bundled_commit() -> str | None:
    """The commit the bundled copy was made from (BUNDLE.json, written when the wheel is built)."""
    try:
        return json.loads((config.BUNDLED_DIR / "BUNDLE.json").read_text("utf-8"))["commit"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


# Dates -----------------------------------------------------------------------------------------


def iso_date(value) -> tuple[str | None, str | None]:
    """A curated date as (first ISO day of what is known, precision), read by
    `dates.parse_date`: '2022-08-18' -> ('2022-08-18', 'day'), '2022-08' -> ('2022-08-01',
    'month'), '2019-23' -> ('2019-09-01', 'season'), '2019-09/2019-11' -> ('2019-09-01',
    'range'), '2019' -> ('2019-01-01', 'year'); empty -> (None, None)."""
    if value is None or pd.isna(value) or not str(value).strip():
        return None, None
    parsed = parse_date(value)  # raises ValueError on 2022-13 or 02-30
    return parsed.first.isoformat(), parsed.precision


def precision_column(name: str) -> str:
    return f"{name}_precision"


# Tables ----------------------------------------------------------------------------------------


def vocabulary_resource(name: str) -> str:
    return f"vocabulary_{name}"


def table_frame(table: Table, frame: pd.DataFrame, version: str) -> pd.DataFrame:
    """The exported form of a table: its columns in schema order, each date column followed by
    its precision, and the data version last."""
    out = {}
    for column in table.columns:
        if column.kind == DATE:
            pairs = [iso_date(v) for v in frame[column.name]]
            out[column.name] = pd.array([d for d, _ in pairs], dtype="string")
            out[precision_column(column.name)] = pd.array([p for _, p in pairs], dtype="string")
        else:
            out[column.name] = frame[column.name].array
    out[VERSION_COLUMN] = pd.array([version] * len(frame), dtype="string")
    return pd.DataFrame(out, index=range(len(frame)))


def reference_frame(name: str, frame: pd.DataFrame, version: str) -> pd.DataFrame:
    out = frame.reset_index(drop=True).copy()
    for column in out.columns:
        out[column] = _reference_values(column, out[column])
    out[VERSION_COLUMN] = pd.array([version] * len(out), dtype="string")
    return out


def _reference_values(column: str, values: pd.Series) -> pd.Series:
    kind = _reference_kind(column, values)
    if kind == "integer":
        return pd.to_numeric(values).astype("Int64")
    if kind == "number":
        return pd.to_numeric(values).astype("Float64")
    return values.astype("string")


def _reference_kind(column: str, values: pd.Series) -> str:
    given = values.dropna().astype(str)
    if column in NUMBER_REFERENCE_COLUMNS:
        return "number"
    if len(given) and given.str.fullmatch(r"0|-?[1-9][0-9]*").all():
        return "integer"
    return "string"


def field(column: Column, codes: dict[str, list[str]]) -> dict:
    """A Table Schema field from a schema column: type, description, constraints, unit."""
    described: dict[str, Any] = {
        "name": column.name,
        "type": FRICTIONLESS_TYPES[column.kind],
        "description": column.description,
    }
    if column.kind == DATE:
        described["description"] += (
            f" Written as the first day of what is known; "
            f"{precision_column(column.name)} says how precise."
        )
    if column.unit:
        described["unit"] = column.unit
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.allowed:
        constraints["enum"] = list(column.allowed)
    elif column.vocabulary:
        constraints["enum"] = codes[column.vocabulary]
    if column.pattern and column.kind == STRING:
        constraints["pattern"] = column.pattern
    if column.minimum is not None:
        constraints["exclusiveMinimum" if column.strict_minimum else "minimum"] = column.minimum
    if column.maximum is not None:
        constraints["maximum"] = column.maximum
    if constraints:
        described["constraints"] = constraints
    return described


def _precision_field(column: Column) -> dict:
    described: dict[str, Any] = {
        "name": precision_column(column.name),
        "type": "string",
        "description": f"How precisely {column.name} is known: " + ", ".join(PRECISIONS) + ".",
        "constraints": {"enum": list(PRECISIONS)},
    }
    if column.required:
        described["constraints"]["required"] = True
    return described


def _version_field(version: str) -> dict:
    return {
        "name": VERSION_COLUMN,
        "type": "string",
        "description": "Version of the data this row belongs to.",
        "constraints": {"required": True, "enum": [version]},
    }


def table_schema(table: Table, codes: dict[str, list[str]], version: str) -> dict:
    fields = []
    for column in table.columns:
        fields.append(field(column, codes))
        if column.kind == DATE:
            fields.append(_precision_field(column))
    fields.append(_version_field(version))
    schema = {"fields": fields, "missingValues": [""]}
    if table.key:
        schema["primaryKey"] = list(table.key)
    foreign = []
    if table.name != "inspections":
        foreign.append(
            {
                "fields": ["inspection_id"],
                "reference": {"resource": "inspections", "fields": ["inspection_id"]},
            }
        )
    for column in table.columns:
        if column.vocabulary:
            vocab = VOCABULARIES[column.vocabulary]
            foreign.append(
                {
                    "fields": [column.name],
                    "reference": {
                        "resource": vocabulary_resource(vocab.name),
                        "fields": [vocab.code_column],
                    },
                }
            )
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def reference_schema(name: str, frame: pd.DataFrame, version: str) -> dict:
    vocab = VOCABULARIES[name]
    types = {"Int64": "integer", "Float64": "number"}
    fields = []
    for column in frame.columns:
        if column == VERSION_COLUMN:
            continue
        described = {"name": column, "type": types.get(str(frame[column].dtype), "string")}
        if column == vocab.code_column:
            described["description"] = f"Code of the {name} vocabulary."
            described["constraints"] = {"required": True, "unique": True}
        fields.append(described)
    fields.append(_version_field(version))
    return {"fields": fields, "missingValues": [""], "primaryKey": [vocab.code_column]}


# The package -----------------------------------------------------------------------------------


@dataclass
class Exported:
    name: str  # resource name, also the sheet name
    title: str
    description: str
    frame: pd.DataFrame
    schema: dict
    path: str  # below the package directory


def collect(release: Release) -> list[Exported]:
    """Every table to export, data tables first, then the vocabularies they refer to."""
    from .tables import load, reference

    vocabularies = {name: reference(name) for name in VOCABULARIES}
    codes = {
        name: sorted(frame[VOCABULARIES[name].code_column].dropna().astype(str))
        for name, frame in vocabularies.items()
    }
    exported = []
    for table in TABLES.values():
        frame = table_frame(table, load(table.name), release.version)
        exported.append(
            Exported(
                table.name,
                table.name.replace("_", " ").capitalize(),
                f"{table.description} One row per {table.row}.",
                frame,
                table_schema(table, codes, release.version),
                f"data/{table.name}.csv",
            )
        )
    for name, vocab in VOCABULARIES.items():
        frame = reference_frame(name, vocabularies[name], release.version)
        exported.append(
            Exported(
                vocabulary_resource(name),
                f"Vocabulary: {name.replace('_', ' ')}",
                f"Reference vocabulary of {name} codes (data/reference/{vocab.filename}): "
                "each code with its label and what defines it.",
                frame,
                reference_schema(name, frame, release.version),
                f"vocabularies/{vocab.filename}",
            )
        )
    return exported


def sources(inspections: pd.DataFrame) -> list[dict]:
    """The publisher, then every document curated (title and address), in order of address."""
    documents = inspections[["source_title", "source_url"]].drop_duplicates("source_url")
    return [PUBLISHER] + [
        {"title": title, "path": url}
        for title, url in sorted(documents.itertuples(index=False), key=lambda d: d[1])
    ]


def descriptor(release: Release, exported: list[Exported]) -> dict:
    inspections = next(e.frame for e in exported if e.name == "inspections")
    return {
        "$schema": PROFILE,
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": release.version,
        "commit": release.commit or "unknown",
        "licenses": [LICENCE],
        "attribution": ATTRIBUTION,
        "contact": CONTACT,
        "keywords": ["probation", "inspection", "England and Wales", "criminal justice"],
        "contributors": [
            {"title": CONTRIBUTORS, "roles": ["creator"]},
            {"title": PUBLISHER["title"], "path": PUBLISHER["path"], "roles": ["publisher"]},
        ],
        "sources": sources(inspections),
        "resources": [
            {
                "name": e.name,
                "type": "table",
                "path": e.path,
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": e.title,
                "description": e.description,
                "version": release.version,
                "licenses": [LICENCE],
                "schema": e.schema,
            }
            for e in exported
        ],
    }


def csv_text(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def export(directory: Path, archive: bool = False) -> Path:
    """Write the data package and the workbook of the data in use into `directory` (replaced
    whole when it holds an earlier export); with `archive`, also `<name>-<version>.zip` beside
    it. Returns `directory`."""
    directory = Path(directory).resolve()
    if (
        directory.exists()
        and any(directory.iterdir())
        and not (directory / "datapackage.json").exists()
    ):
        raise FileExistsError(
            f"{directory} is not empty and holds no data package: export "
            "into a new or empty directory"
        )
    release = release_info()
    exported = collect(release)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        for item in exported:
            target = staging / item.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(csv_text(item.frame), encoding="utf-8")
        (staging / "datapackage.json").write_text(
            json.dumps(descriptor(release, exported), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        from .workbook import write_workbook

        write_workbook(staging / release.workbook_name, release, exported)
        _replace(staging, directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if archive:
        write_archive(
            directory,
            directory.parent / release.archive_name,
            release.archive_name.removesuffix(".zip"),
        )
    return directory


def _replace(staging: Path, directory: Path) -> None:
    """Move the finished export into place; an earlier export is removed only then."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)
    old = None
    if directory.exists():
        old = directory.with_name(f".{directory.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        directory.rename(old)
    staging.rename(directory)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


#: Timestamp of every member of the archive, so that the same export gives the same zip.
ARCHIVE_TIME = (2020, 1, 1, 0, 0, 0)


def write_archive(directory: Path, target: Path, folder: str) -> Path:
    """A zip of `directory` with its files under `folder/`, in sorted order, fixed times."""

    def writer(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(p for p in directory.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(
                    f"{folder}/{path.relative_to(directory).as_posix()}", ARCHIVE_TIME
                )
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())

    atomic.write_with(target, writer)
    return target


__all__ = ["NAME", "Release", "export", "iso_date", "release_info", "write_archive"]
