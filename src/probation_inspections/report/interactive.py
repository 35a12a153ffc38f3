"""Tables readers filter, sort and search: DataTables from itables, embedded for offline use."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from .text import MISSING, format_value

#: At every draw (the panes are redrawn as filters change): the panes' search boxes, which
#: DataTables leaves without a label, are named after their column; the rows' box, which
#: scrolls sideways when the table is wider than the page, is a named region keyboards reach.
LABEL_PANES = """function () {
  const container = this.api().table().container();
  container.querySelectorAll("input.dtsp-search")
    .forEach(box => box.setAttribute("aria-label", "Filter by " + box.placeholder));
  const table = this.api().table().node();
  const rows = table.closest("div.dt-scroll-body");
  if (rows) {
    rows.setAttribute("tabindex", "0");
    rows.setAttribute("role", "region");
    rows.setAttribute("aria-label", "Rows of the table " + table.id.replace(/-/g, " "));
  }
}"""


#: A cell whose value is said once, in its group's name.
SAID = ""


def datatables_bundle() -> Markup:
    """DataTables itself, from inside the itables package (offline mode): once per page, before
    its first table; the page then works from file:// and requests nothing."""
    import itables
    from itables.javascript import generate_init_offline_itables_html

    bundle = Path(itables.__file__).parent / "html" / "dt_bundle.js"
    return Markup(generate_init_offline_itables_html(bundle))  # noqa: S704 - the library's own


def escaped(
    table: pd.DataFrame,
    columns: dict[str, str],
    formats: Mapping[str, str | Callable] | None = None,
) -> pd.DataFrame:
    """The `columns` of `table` ({column: header}) as escaped text for `datatable_html`, each
    written as `table_html` writes it (`formats`, see `text.format_value`; missing: —). A
    column said once in every group's name (see `said_once`) is left out."""
    formats = formats or {}
    return pd.DataFrame(
        {
            header: [
                Markup.escape(SAID if _said(v) else format_value(v, formats.get(column)))
                for v in table[column]
            ]
            for column, header in columns.items()
            if len(table) == 0 or not all(_said(v) for v in table[column])
        }
    )


def datatable_html(
    shown: pd.DataFrame,
    table_id: str,
    panes: Sequence[str] = (),
    hidden: Iterable[str] = (),
    group: str | None = None,
    download: str = "table",
    every_pane: bool = False,
) -> Markup:
    """A table to search, sort and filter: a pane of values for each column of `panes`, a CSV
    download (named `download`), every row on the one page; `group`: a column whose values head
    groups of rows (hidden, said once per group). `shown`: headers and escaped cells (see
    `escaped`; a cell may be markup made from escaped text, a link say). `every_pane`: show
    the pane of each column of `panes` even when its values are few or all different (a
    short table), which DataTables would otherwise leave out. Needs
    `datatables_bundle` displayed before it on the page."""
    from itables import JavascriptFunction, to_html_datatable

    columns = list(shown.columns)
    invisible = [columns.index(c) for c in (*hidden, *([group] if group else []))]
    options: dict[str, Any] = {}
    definitions: list[dict[str, Any]] = [{"targets": invisible, "visible": False}]
    if every_pane:
        definitions.append(
            {"targets": [columns.index(c) for c in panes], "searchPanes": {"show": True}}
        )
    if group is not None:
        options["rowGroup"] = {"dataSrc": columns.index(group)}
        options["order"] = []  # the rows' own order: groups in the order the caller sorted
    table = to_html_datatable(
        shown,
        table_id=table_id,
        connected=False,
        allow_html=True,
        showIndex=False,
        display_logo_when_loading=False,
        maxBytes=0,
        classes="display compact",
        style="width:100%",
        paging=False,
        scrollX=True,
        columnDefs=definitions,
        drawCallback=JavascriptFunction(LABEL_PANES),
        layout={
            "top2": "buttons",
            "top1": "searchPanes",
            "topStart": "info",
            "topEnd": "search",
            "bottomStart": None,
            "bottomEnd": None,
        },
        buttons=[
            {
                "extend": "csvHtml5",
                "text": "Download the table (CSV)",
                "title": download,
                "exportOptions": {"columns": list(range(len(columns)))},
            }
        ],
        searchPanes={
            "columns": [columns.index(c) for c in panes],
            "controls": False,
            "cascadePanes": True,
            "viewTotal": True,
            "initCollapsed": False,
            "layout": "columns-3",
            "orderable": False,
            # Each pane lists all its values in a box no taller than they need.
            "dtOpts": {
                "scroller": False,
                "paging": False,
                "scrollY": "40rem",
                "scrollCollapse": True,
            },
        },
        **options,
    )
    return Markup(table)  # noqa: S704 - every cell escaped by the caller (see `escaped`)


def said_once(
    table: pd.DataFrame,
    groups: Sequence[str],
    explained: Sequence[str],
    names: dict[str, str],
    formats: Mapping[str, str | Callable] | None = None,
) -> pd.DataFrame:
    """Rows grouped by `groups`, with a `group` column naming each group; an explanation (a
    column of `explained`) that is the same on every row of a group of several rows is said
    once, in the group's name ("CRC, Case supervision: range from project assumption"), and
    left blank (SAID) on its rows. `names`: {explained column: words before its value}; `formats`:
    how a value is written in the name (see `text.format_value`)."""
    formats = formats or {}
    out = table.copy()
    parts = out[list(groups)].astype("string").fillna(MISSING)
    names_of_groups = parts.apply(lambda row: ", ".join(row), axis=1) if len(out) else parts
    labels = pd.Series(list(names_of_groups) if len(out) else [], index=out.index, dtype="string")
    for name, rows in out.groupby(labels, sort=False).groups.items():
        said = []
        if len(rows) > 1:
            for column in explained:
                values = out.loc[rows, column]
                if values.notna().all() and values.nunique() == 1:
                    value = format_value(values.iloc[0], formats.get(column))
                    said.append(f"{names[column]} {value}")
                    out.loc[rows, column] = SAID
        if said:
            labels[rows] = f"{name}: {'; '.join(said)}"
    out["group"] = labels
    return out


def _said(value) -> bool:
    return isinstance(value, str) and value == SAID
