"""A report's set-up: one call that opens a notebook (theme, stylesheet, data, notes)."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from contextlib import redirect_stderr
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import seaborn as sns
from IPython.display import HTML, display

from .figures import DPI, PALETTE

#: Pandas' own display, for a reader who shows a table in Jupyter beside the report's tables:
#: every column, long texts cut at 80 characters, a dozen rows at each end.
DISPLAY_OPTIONS = {
    "display.max_columns": None,
    "display.max_colwidth": 80,
    "display.max_rows": 24,
    "display.width": 120,
}


def use_theme() -> None:
    """Set the one seaborn theme and palette of the reports (call once per notebook)."""
    sns.set_theme(
        context="notebook",
        style="whitegrid",
        palette=list(PALETTE),
        rc={
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "font.family": "DejaVu Sans",
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.labelsize": 10.5,
            "xtick.labelsize": 9.5,
            "ytick.labelsize": 9.5,
            "legend.fontsize": 9.5,
            "legend.frameon": False,
            "svg.hashsalt": "probation-inspections",
            # Curated text is drawn as written: "$5m to $3m" is never read as mathematics.
            "text.parse_math": False,
        },
    )


def stylesheet() -> HTML:
    """The site's one stylesheet, to display once at the top of a notebook for Jupyter; pages
    leave this display out, since the page shell carries the same stylesheet."""
    from .shell import NOTEBOOK_ONLY, stylesheet_text

    return HTML(f"<style>{stylesheet_text()}</style>", metadata={NOTEBOOK_ONLY: True})


@dataclass
class Report:
    """What a notebook opened: its tables, the validation results it asked for, the data
    directory they come from, and the notes on the data shown to readers."""

    tables: dict[str, pd.DataFrame]
    data_dir: Path
    validation: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]


def check_parameters(parameters: Mapping[str, object]) -> None:
    """Refuse a notebook parameter that is not text (or None), and an inspection id that is
    not one, naming the parameter: `papermill -p inspection_id 2017` passes a number."""
    from ..curated.inspection import check_inspection_id
    from ..errors import DataError

    for name, value in parameters.items():
        if value is not None and not isinstance(value, str):
            raise ValueError(
                f"parameter {name} must be text, got {type(value).__name__} {value!r} "
                f"(papermill: -p {name} VALUE, or -r {name} VALUE for raw text)"
            )
        if name.endswith("inspection_id") and value:
            try:
                check_inspection_id(value)
            except DataError as err:
                raise ValueError(f"parameter {name}: {err}") from err


_PATTERN = re.compile(r"must match the pattern \S+")
_FILE_TO_EDIT = re.compile(r"\s*\((?:data/)?[\w./-]+\.(?:csv|yaml)\)")


def rule_for_readers(description: str) -> str:
    """A rule's description without what only a curator needs: the regular expression a value
    must match, and the file of the repository to edit."""
    text = _PATTERN.sub("must be written in the form the data model requires", description)
    return _FILE_TO_EDIT.sub("", text)


def left_out_notes(inspection_ids: Iterable[str], results: pd.DataFrame) -> list[str]:
    """One note per inspection left out of the tables, saying why: the rules it failed (from
    the validation results), or that it could not be read at all."""
    from ..analysis.profile import failed_rules

    notes = []
    for inspection_id in sorted(set(inspection_ids)):
        own = results[results["inspection_id"] == inspection_id] if len(results) else results
        failed = failed_rules(own) if len(own) else own
        reasons = []
        for row in failed.drop_duplicates(["table", "column", "rule"]).itertuples():
            where = f"{row.table}, column {row.column}" if pd.notna(row.column) else row.table
            reasons.append(f"{where}: {rule_for_readers(row.rule)}")
        why = (
            "it breaks validation rules (" + "; ".join(reasons) + ")"
            if reasons
            else "its curated files could not be read as the data model requires"
        )
        notes.append(
            f"Inspection {inspection_id} is left out of this page: {why}. "
            "Its figures are in none of the tables below."
        )
    return notes


def notes_on_data(
    caught: Iterable[warnings.WarningMessage], results: pd.DataFrame, left_out: Iterable[str] = ()
) -> list[str]:
    """The notes for readers on the data loaded: each inspection left out (`left_out`, and any
    LeftOutWarning caught) named with the reason, then every other warning raised while
    loading, as it was worded."""
    from ..tables import LeftOutWarning

    excluded: list[str] = list(left_out)
    notes: list[str] = []
    for warning in caught:
        if isinstance(warning.message, LeftOutWarning):
            excluded.extend(warning.message.inspection_ids)
        elif issubclass(warning.category, UserWarning):
            text = f"Note on the data: {warning.message}"
            if text not in notes:
                notes.append(text)
    return left_out_notes(excluded, results) + notes


def open_report(
    *tables: str,
    parameters: Mapping[str, object] | None = None,
    validation_of: str | None = None,
    title: str | Callable[[dict[str, pd.DataFrame]], str] | None = None,
    interactive: bool = False,
) -> Report:
    """Open a report notebook in one call, its only set-up cell.

    Checks the notebook's `parameters`, sets the figure theme and pandas' display options,
    displays the site's stylesheet (for Jupyter only), loads `tables` (the names the report
    declares in build/tasks.py, no others) from the data directory, and the validation results
    of `validation_of` when given. Then it displays the title when given (text, or a function
    of the tables), and below it every warning raised while loading as a note on the page,
    each inspection left out named with the reason. `interactive`: the page shows tables to
    filter (report/interactive.py), so DataTables is embedded once, first.
    """
    from .. import config
    from ..tables import left_out, load, load_validation_results
    from .html import heading_html, note_html

    check_parameters(parameters or {})
    use_theme()
    for option, value in DISPLAY_OPTIONS.items():
        pd.set_option(option, value)
    data_dir = config.data_dir()
    display(stylesheet())
    if interactive:
        from .interactive import datatables_bundle

        display(HTML(str(datatables_bundle())))
    # The first load of stale tables says on stderr that it validates; that is for a terminal,
    # not for the page's readers.
    with warnings.catch_warnings(record=True) as caught, redirect_stderr(io.StringIO()):
        warnings.simplefilter("always")
        loaded = {name: load(name) for name in tables}
        validation = load_validation_results(validation_of) if validation_of else None
    # Named from the tables themselves, not only from the warning: a library imported while
    # loading (Great Expectations) may send warnings to logging, where the page never sees them.
    excluded = left_out() if tables else []
    results = load_validation_results() if excluded or _left_out(caught) else pd.DataFrame()
    report = Report(loaded, data_dir, validation, notes_on_data(caught, results, excluded))
    try:
        if title is not None:
            display(heading_html(title(loaded) if callable(title) else title))
    finally:  # a title that cannot be found (an inspection left out) still shows the notes
        for note in report.notes:
            display(note_html(note, kind="caution"))
    return report


def _left_out(caught: Iterable[warnings.WarningMessage]) -> bool:
    from ..tables import LeftOutWarning

    return any(isinstance(w.message, LeftOutWarning) for w in caught)
