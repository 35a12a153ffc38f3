"""Select one inspection's rows of a table, and say where each row was read."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd


def _equals(values: pd.Series, wanted) -> pd.Series:
    """A plain boolean mask `values == wanted` in which missing values are False."""
    return values.eq(wanted).fillna(False).astype(bool)


def blank(value) -> bool:
    """A cell with no value: None, NA or NaN, or an empty string."""
    return value is None or (not isinstance(value, str) and pd.isna(value)) or value == ""


def for_inspection(table: pd.DataFrame, inspection_id: str) -> pd.DataFrame:
    """The rows of one inspection, in their loaded (key) order, with a fresh index."""
    return table[_equals(table["inspection_id"], inspection_id)].reset_index(drop=True)


def with_sources(
    table: pd.DataFrame, document_url: str | Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Add a `Source` column for display: the locator, and the page when it is another one.

    Rows read from the inspection's own document show their locator only ("Table 8"); rows
    read from another page show "locator, URL" so that the page can be followed. The
    document is `document_url` (the one the table's caption cites) or, given a mapping
    {inspection_id: source_url}, each row's own inspection document.
    """
    table = table.copy()
    sources = []
    urls = table["source_url"] if "source_url" in table else pd.Series(pd.NA, index=table.index)
    if isinstance(document_url, Mapping):
        documents = [document_url.get(i) for i in table["inspection_id"]]
    else:
        documents = [document_url] * len(table)
    for locator, url, document in zip(table["source_locator"], urls, documents, strict=True):
        parts = [] if pd.isna(locator) else [str(locator)]
        if not pd.isna(url) and url != document:
            parts.append(str(url))
        sources.append(", ".join(parts) if parts else pd.NA)
    table["Source"] = pd.array(sources, dtype="string")
    return table


def distinct_sources(table: pd.DataFrame) -> list[str]:
    """The source locators of a table, each once, in the order they first appear."""
    seen: list[str] = []
    for locator in table["source_locator"].dropna():
        if locator not in seen:
            seen.append(str(locator))
    return seen


def _interval_width(row) -> float:
    low, high = row.get("share_low"), row.get("share_high")
    if pd.isna(low) or pd.isna(high):
        return float("inf")
    return float(high) - float(low)


def one_statement_per_finding(judgements: pd.DataFrame) -> pd.DataFrame:
    """The judgements with each finding once, for pooled counts and shares.

    Statements that share a `finding_id` within an inspection (a Chapter 1 summary and its
    Chapter 3 detail, an enablers and barriers item and its judgement) are one finding: the
    statement kept is the most precise (an exact count, else the narrowest share interval),
    the first in loaded order on a tie. A row without a `finding_id` is a finding of its own.
    Order and index of the kept rows are as given.
    """
    if judgements.empty or "finding_id" not in judgements:
        return judgements
    ids = judgements["finding_id"]
    widths = judgements.apply(_interval_width, axis=1)
    keep = pd.Series(True, index=judgements.index)
    linked = ids.notna()
    if linked.any():
        inspections = (
            judgements["inspection_id"]
            if "inspection_id" in judgements
            else pd.Series("", index=judgements.index)
        )  # one inspection's rows
        order = pd.DataFrame(
            {
                "inspection_id": inspections,
                "finding_id": ids,
                "width": widths,
                "position": range(len(judgements)),
            },
            index=judgements.index,
        )[linked]
        best = order.sort_values(["width", "position"], kind="mergesort").drop_duplicates(
            ["inspection_id", "finding_id"]
        )
        keep[linked] = False
        keep[best.index] = True
    return judgements[keep]
