"""The data release: a Frictionless Data Package and an Excel workbook of the shipped data, read
back as a researcher would (frictionless, pandas, openpyxl)."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import frictionless
import openpyxl
import pandas as pd
import pytest

import probation_inspections
from probation_inspections import load
from probation_inspections.curated.schema import DATE, STRING, TABLES, VOCABULARIES, Column, Table
from probation_inspections.export import (
    ATTRIBUTION,
    NAME,
    VERSION_COLUMN,
    export,
    iso_date,
    table_schema,
    write_archive,
)
from probation_inspections.workbook import CONTENTS, COVER, NOTES

VERSION = probation_inspections.__version__
PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "Float64", "date": "string"}


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """The shipped data exported once, as `probation-inspections export DIR` writes it."""
    return export(tmp_path_factory.mktemp("release") / "export", archive=True)


def descriptor(package: Path) -> dict:
    return json.loads((package / "datapackage.json").read_text(encoding="utf-8"))


def read_resource(package: Path, resource: dict) -> pd.DataFrame:
    """A CSV of the package read with pandas as its table schema types it."""
    fields = resource["schema"]["fields"]
    frame = pd.read_csv(
        package / resource["path"],
        keep_default_na=False,
        na_values=[""],
        dtype={f["name"]: PANDAS_TYPES[f["type"]] for f in fields},
    )
    for f in fields:
        if f["type"] == "date":
            frame[f["name"]] = pd.to_datetime(frame[f["name"]], format="%Y-%m-%d")
    return frame


def test_the_package_passes_frictionless_validation(package):
    report = frictionless.validate(package / "datapackage.json")
    errors = [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors]
    assert report.valid, "\n".join(errors[:20])
    assert {task.name for task in report.tasks} == {
        *TABLES,
        *(f"vocabulary_{v}" for v in VOCABULARIES),
    }


def test_a_rating_code_outside_its_vocabulary_fails_validation(package, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(package, broken)
    ratings = broken / "data" / "ratings.csv"
    text = ratings.read_text(encoding="utf-8")
    ratings.write_text(text.replace(",requires_improvement,", ",splendid,", 1), encoding="utf-8")
    report = frictionless.validate(broken / "datapackage.json")
    assert not report.valid
    failed = [e for task in report.tasks for e in task.errors if task.name == "ratings"]
    assert {e.type for e in failed} & {"constraint-error", "foreign-key"}


def test_every_csv_reads_back_with_pandas_against_its_schema(package):
    for resource in descriptor(package)["resources"]:
        frame = read_resource(package, resource)
        names = [f["name"] for f in resource["schema"]["fields"]]
        assert list(frame.columns) == names, resource["name"]
        for f in resource["schema"]["fields"]:
            if f.get("constraints", {}).get("required"):
                assert frame[f["name"]].notna().all(), f"{resource['name']}.{f['name']} empty"
        if resource["name"] in TABLES:
            loaded = load(resource["name"])
            assert len(frame) == len(loaded), resource["name"]
            for column in TABLES[resource["name"]].columns:
                if column.kind != DATE:
                    pd.testing.assert_series_equal(
                        frame[column.name], loaded[column.name], check_names=False
                    )


def test_every_date_column_is_an_iso_date_with_its_precision_beside_it(package):
    for resource in descriptor(package)["resources"]:
        fields = [f["name"] for f in resource["schema"]["fields"]]
        dates = [f["name"] for f in resource["schema"]["fields"] if f["type"] == "date"]
        raw = pd.read_csv(package / resource["path"], dtype="string", keep_default_na=False)
        for name in dates:
            given = raw[name][raw[name] != ""]
            assert given.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").all(), name
            assert pd.to_datetime(given, format="%Y-%m-%d", errors="coerce").notna().all()
            assert fields[fields.index(name) + 1] == f"{name}_precision"
            assert ((raw[name] == "") == (raw[f"{name}_precision"] == "")).all()
    inspections = pd.read_csv(package / "data" / "inspections.csv", dtype="string")
    durham = inspections.set_index("inspection_id").loc["2016-08-durham"]
    assert (durham["published"], durham["published_precision"]) == ("2016-08-01", "month")
    birmingham = inspections.set_index("inspection_id").loc[
        "2022-08-birmingham-north-east-solihull-pdu"
    ]
    assert (birmingham["published"], birmingham["published_precision"]) == ("2022-08-18", "day")


def test_curated_dates_become_the_first_day_of_what_is_known():
    assert iso_date("2022-08-18") == ("2022-08-18", "day")
    assert iso_date("2022-08") == ("2022-08-01", "month")
    assert iso_date("2019") == ("2019-01-01", "year")
    assert iso_date(None) == (None, None)
    with pytest.raises(ValueError):
        iso_date("2022-02-30")
    with pytest.raises(ValueError):
        iso_date("August 2022")


def test_codes_stand_beside_their_labels_and_refer_to_the_vocabularies(package):
    ratings = next(r for r in descriptor(package)["resources"] if r["name"] == "ratings")
    names = [f["name"] for f in ratings["schema"]["fields"]]
    assert names.index("rating") == names.index("rating_label") + 1
    assert names.index("standard") == names.index("standard_label") + 1
    references = {fk["fields"][0]: fk["reference"] for fk in ratings["schema"]["foreignKeys"]}
    assert references["rating"] == {"resource": "vocabulary_rating", "fields": ["rating"]}
    assert references["inspection_id"]["resource"] == "inspections"
    rating = next(f for f in ratings["schema"]["fields"] if f["name"] == "rating")
    assert "requires_improvement" in rating["constraints"]["enum"]
    assert ratings["schema"]["primaryKey"] == ["inspection_id", "organisation", "standard"]


def test_schemas_follow_the_schema_module_so_a_new_table_comes_along():
    table = Table(
        "interventions_example",
        "intervention",
        "An example table.",
        key=("inspection_id", "programme"),
        columns=(
            Column("inspection_id", STRING, "Id.", required=True),
            Column("programme", STRING, "Programme code.", required=True, vocabulary="programme"),
            Column("started", DATE, "When it started."),
            Column("sessions", "integer", "Sessions.", minimum=1, unit="sessions"),
        ),
    )
    schema = table_schema(table, {"programme": ["a", "b"]}, "9.9.9")
    fields = {f["name"]: f for f in schema["fields"]}
    assert list(fields) == [
        "inspection_id",
        "programme",
        "started",
        "started_precision",
        "sessions",
        VERSION_COLUMN,
    ]
    assert fields["programme"]["constraints"] == {"required": True, "enum": ["a", "b"]}
    assert fields["started"]["type"] == "date" and "required" not in fields["started"].get(
        "constraints", {}
    )
    assert fields["sessions"] == {
        "name": "sessions",
        "type": "integer",
        "description": "Sessions.",
        "unit": "sessions",
        "constraints": {"minimum": 1},
    }
    assert fields[VERSION_COLUMN]["constraints"]["enum"] == ["9.9.9"]
    assert schema["primaryKey"] == ["inspection_id", "programme"]
    assert {
        "fields": ["programme"],
        "reference": {"resource": "vocabulary_programme", "fields": ["programme"]},
    } in schema["foreignKeys"]


def test_the_package_names_its_version_commit_licence_sources_and_contributors(package):
    described = descriptor(package)
    assert described["name"] == NAME
    assert described["version"] == VERSION
    assert re.fullmatch(r"[0-9a-f]{40}(-dirty)?|unknown", described["commit"])
    assert described["licenses"][0]["name"] == "OGL-UK-3.0"
    assert described["attribution"] == ATTRIBUTION
    assert {c["title"] for c in described["contributors"]} >= {"HM Inspectorate of Probation"}
    paths = {s["path"] for s in described["sources"]}
    assert set(load("inspections")["source_url"]) <= paths
    for resource in described["resources"]:
        assert resource["version"] == VERSION
        frame = pd.read_csv(package / resource["path"], dtype="string")
        assert (frame[VERSION_COLUMN] == VERSION).all(), resource["name"]


def test_the_workbook_has_cover_contents_notes_and_a_sheet_per_table(package):
    book = openpyxl.load_workbook(package / f"{NAME}-{VERSION}.xlsx")
    resources = [r["name"] for r in descriptor(package)["resources"]]
    assert book.sheetnames == [COVER, CONTENTS, NOTES, *resources]
    cover = "\n".join(str(c.value) for row in book[COVER].iter_rows() for c in row if c.value)
    for needed in (
        "Source",
        "Version",
        VERSION,
        "Licence",
        "Open Government Licence v3.0",
        "Contact",
    ):
        assert needed in cover
    for sheet in book.worksheets:
        assert sheet.merged_cells.ranges == set(), f"{sheet.title} has merged cells"
        assert sheet["A1"].value, f"{sheet.title} has no title in A1"
    contents = book[CONTENTS]
    listed = [row[0] for row in contents.iter_rows(min_row=4, values_only=True)]
    assert listed == resources


def test_workbook_tables_have_unit_headers_and_no_blank_cells(package):
    book = openpyxl.load_workbook(package / f"{NAME}-{VERSION}.xlsx")
    needs = book["need_sufficiency"]
    (table,) = needs.tables.values()
    headers = [c.value for c in needs[table.ref][0]]
    assert "percent_sufficient (percent)" in headers
    caseloads = book["caseloads"]
    (table,) = caseloads.tables.values()
    headers = [c.value for c in caseloads[table.ref][0]]
    assert {"establishment_fte (FTE)", "mean_caseload (in the unit of column unit)"} <= set(headers)
    for name in TABLES:
        sheet = book[name]
        (table,) = sheet.tables.values()
        rows = list(sheet[table.ref])
        assert len(rows) - 1 == max(1, len(load(name))), name
        assert all(cell.value is not None for row in rows for cell in row), name
    published = book["inspections"]
    (table,) = published.tables.values()
    header_row = [c.value for c in published[table.ref][0]]
    column = header_row.index("published")
    assert all(row[column].is_date for row in list(published[table.ref])[1:])


def test_the_archive_holds_the_package_under_one_folder_and_is_reproducible(package, tmp_path):
    archive = package.parent / f"{NAME}-{VERSION}.zip"
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
    folder = f"{NAME}-{VERSION}"
    assert f"{folder}/datapackage.json" in names
    assert f"{folder}/data/ratings.csv" in names
    assert all(n.startswith(folder + "/") for n in names)
    again = write_archive(package, tmp_path / "again.zip", folder)
    assert again.read_bytes() == archive.read_bytes()


def test_export_refuses_a_directory_that_holds_something_else(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError, match="holds no data package"):
        export(tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
