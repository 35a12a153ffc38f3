"""Select one inspection's rows of a table, and say where each row was read."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd


def _equals(values: pd.Series, wanted) -> pd.Series:
    """A plain boolean mask `values == wanted` in which missing values are False."""
    return values.eq(wanted).fillna(False).astype(bool)


def for_inspection(table: pd.DataFrame, inspection_id: str) -> pd.DataFrame:
    """The rows of one inspection, in their loaded (key) order, with a fresh index."""
    return table[_equals(table["inspection_id"], inspection_id)].reset_index(drop=True)


def with_sources(table: pd.DataFrame,
                 document_url: str | Mapping[str, str] | None = None) -> pd.DataFrame:
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
