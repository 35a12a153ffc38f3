"""The Excel workbook of the data release (openpyxl), laid out as the Government Analysis
Function advises for spreadsheets: a cover sheet (title, source, version, licence, contact), a
contents sheet, a notes sheet and one sheet per table; each sheet's title in cell A1, every
table marked up as an Excel table under a header row that says its units, no merged cells, no
blank cells inside a table (an empty cell is written `[x]` and explained in the notes).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table as ExcelTable
from openpyxl.worksheet.table import TableStyleInfo

from .export import (
    ATTRIBUTION,
    CONTACT,
    DESCRIPTION,
    EMPTY_CELL,
    LICENCE,
    PUBLISHER,
    TITLE,
    VERSION_COLUMN,
    Exported,
    Release,
)

COVER, CONTENTS, NOTES = "Cover", "Contents", "Notes"

#: The notes every table sheet points to.
NOTE_TEXTS = (
    (
        "note 1",
        "Empty cells are written [x]: the source does not give the value, or it does not "
        "apply to the row. In the CSV files they are empty.",
    ),
    (
        "note 2",
        "Dates are ISO 8601 dates (year-month-day) of the first day of what is known. "
        "The column beside each date, named with _precision, says whether the day, the "
        "month or only the year is known: published 2022-08-01 with precision month "
        "means August 2022.",
    ),
    (
        "note 3",
        "Labels are kept as the source writes them (columns ending in _label) beside a "
        "harmonised code from the vocabulary sheets (the column without _label).",
    ),
    (
        "note 4",
        "certainty says how a value was obtained: reported (read as written in the "
        "source), derived (computed from reported values) or inferred (reasoned from "
        "wording or context). source_locator says where in the source it stands.",
    ),
    (
        "note 5",
        "Units are given in brackets in the column headers where a column has one. "
        "Shares are fractions from 0 to 1; percents are from 0 to 100.",
    ),
    (
        "note 6",
        "data_version is the version of the data release the row belongs to; cite it "
        "with the commit given on the cover sheet.",
    ),
)


def header(name: str, schema_field: dict, columns=()) -> str:
    """A column header with its unit: the schema's unit, or for a number whose unit varies by
    row, the column that gives it."""
    unit = schema_field.get("unit")
    if unit:
        return f"{name} ({unit})"
    if schema_field.get("type") in ("number", "integer") and "unit" in columns and name != "unit":
        return f"{name} (in the unit of column unit)"
    return name


def _cell(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return EMPTY_CELL
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _title(sheet, text: str) -> None:
    sheet["A1"] = text
    sheet["A1"].style = "Headline 1"


def _table(sheet, name: str, top: int, headers: list[str], rows: list[list]) -> None:
    """Headers in row `top`, rows below, marked up as one Excel table."""
    for column, text in enumerate(headers, start=1):
        sheet.cell(row=top, column=column, value=text)
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=top + offset, column=column, value=_cell(value))
    last = f"{get_column_letter(len(headers))}{top + max(1, len(rows))}"
    if not rows:  # a table needs a data row: say there is none
        for column in range(1, len(headers) + 1):
            sheet.cell(row=top + 1, column=column, value=EMPTY_CELL)
    table = ExcelTable(displayName=f"table_{name}", ref=f"A{top}:{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
    sheet.add_table(table)
    for column, text in enumerate(headers, start=1):
        cells = [str(text)] + [str(r[column - 1]) for r in rows[:200]]
        width = min(60, max(10, max(len(c) for c in cells) + 2))
        sheet.column_dimensions[get_column_letter(column)].width = width


def _cover(book: Workbook, release: Release) -> None:
    sheet = book.active
    sheet.title = COVER
    _title(sheet, TITLE)
    lines = [
        ("About these data", DESCRIPTION),
        (
            "Source",
            f"{PUBLISHER['title']}: inspection reports, press releases and other "
            f"documents ({PUBLISHER['path']}), curated row by row; every row names its "
            "document and where in it the value stands.",
        ),
        ("Version", f"{release.version} (commit {release.commit or 'unknown'})"),
        ("Licence", f"{LICENCE['title']}: {LICENCE['path']}. {ATTRIBUTION}"),
        ("Contact", CONTACT),
        (
            "Contents",
            f"The {CONTENTS} sheet lists every table; the {NOTES} sheet explains "
            "the notes the tables refer to. The same tables are in the CSV files of "
            "the data package (datapackage.json).",
        ),
    ]
    row = 2
    for heading, text in lines:
        sheet.cell(row=row, column=1, value=heading).style = "Headline 2"
        sheet.cell(row=row + 1, column=1, value=text)
        row += 2
    sheet.column_dimensions["A"].width = 120


def _contents(book: Workbook, exported: list[Exported]) -> None:
    sheet = book.create_sheet(CONTENTS)
    _title(sheet, "Contents")
    sheet["A2"] = "This worksheet contains one table. Sheet names link to their sheets."
    rows = [[e.name, e.description, len(e.frame)] for e in exported]
    _table(sheet, "contents", 3, ["Sheet name", "Table description", "Rows (count)"], rows)
    for offset, item in enumerate(exported, start=1):
        cell = sheet.cell(row=3 + offset, column=1)
        cell.hyperlink = f"#'{item.name}'!A1"
        cell.style = "Hyperlink"


def _notes(book: Workbook) -> None:
    sheet = book.create_sheet(NOTES)
    _title(sheet, "Notes")
    sheet["A2"] = "This worksheet contains one table. Table sheets refer to these notes."
    _table(sheet, "notes", 3, ["Note number", "Note text"], [list(n) for n in NOTE_TEXTS])
    sheet.column_dimensions["B"].width = 100


def _data_sheet(book: Workbook, item: Exported, release: Release) -> None:
    sheet = book.create_sheet(item.name)
    _title(sheet, f"{item.title} (version {release.version})")
    sheet["A2"] = item.description
    sheet["A3"] = (
        "This worksheet contains one table. Notes: [note 1] to [note 6] on the "
        f"{NOTES} sheet. Source: {PUBLISHER['title']}; each row names its document "
        "(source_url) and where in it (source_locator)."
    )
    fields = {f["name"]: f for f in item.schema["fields"]}
    headers = [header(c, fields.get(c, {}), item.frame.columns) for c in item.frame.columns]
    rows = item.frame.astype(object).where(item.frame.notna(), None).values.tolist()
    dates = [i for i, c in enumerate(item.frame.columns) if fields.get(c, {}).get("type") == "date"]
    for row in rows:
        for i in dates:
            row[i] = None if row[i] is None else dt.date.fromisoformat(row[i])
    _table(sheet, item.name, 4, headers, rows)
    for i in dates:
        for (cell,) in sheet.iter_rows(min_row=5, min_col=i + 1, max_col=i + 1):
            cell.number_format = "yyyy-mm-dd"


def write_workbook(path: Path, release: Release, exported: list[Exported]) -> Path:
    book = Workbook()
    _cover(book, release)
    _contents(book, exported)
    _notes(book)
    for item in exported:
        _data_sheet(book, item, release)
    book.save(path)
    return path


__all__ = ["COVER", "CONTENTS", "NOTES", "VERSION_COLUMN", "header", "write_workbook"]
