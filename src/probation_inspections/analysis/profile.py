"""One inspection's profile: what was inspected, its sample, findings, recommendations and
validation results, as tables ready to show."""

from __future__ import annotations

import pandas as pd

from ..report.text import describe_value, format_date, format_period, words
from .select import for_inspection


def inspection_overview(inspections: pd.DataFrame, inspection_id: str,
                        programmes: pd.DataFrame | None = None) -> list[tuple[str, str]]:
    """What was inspected, when, by whom and from which document, as (label, text) pairs.

    `programmes`: the programme vocabulary (`reference("programme")`), to name the programme
    in words; without it the code is shown. Fields the source does not give are left out.
    """
    rows = for_inspection(inspections, inspection_id)
    if rows.empty:
        raise KeyError(f"no inspection {inspection_id!r} in the curated data")
    row = rows.iloc[0]
    programme = row["programme"]
    if programmes is not None and not pd.isna(programme):
        labels = programmes.set_index("programme")
        if programme in labels.index and "label" in labels.columns:
            programme = labels.loc[programme, "label"]
    document = {"full_report": "full report", "press_release": "press release",
                "commentary": "commentary", "summary": "summary"}
    kind = row.get("kind")
    overview = isinstance(kind, str) and kind == "overview"
    fields = [
        ("Overview, not an inspection" if overview else "Inspection", row["title"]),
        ("Area or service", row["area"]),
        ("Programme", programme),
        ("Published", format_date(row["published"])),
        ("Fieldwork", format_period(row["fieldwork_start"], row["fieldwork_end"])),
        ("Document published by", row["source_publisher"]),
        ("Document curated", row["source_title"]),
        ("Kind of document", document.get(row["document_type"], row["document_type"])),
        ("Link", row["source_url"]),
        ("Read on", format_date(row["date_accessed"])),
        ("Licence of the facts", row["licence"]),
        ("What was curated", row["coverage"]),
    ]
    return [(label, str(value)) for label, value in fields
            if value is not None and not pd.isna(value)]


def judgement_intervals(judgements: pd.DataFrame, inspection_id: str) -> pd.DataFrame:
    """An inspection's quantified judgements, each with the share interval its wording implies.

    Columns: organisation_type, domain, domain_label, aspect, quantifier, direction, base,
    count, denominator, share_low, share_high, quantifier_basis, exact (the share comes from a
    count), source_locator, source_url. Sorted by organisation type, domain and aspect, so
    that a chart groups findings about the same organisation and domain.
    """
    rows = for_inspection(judgements, inspection_id)
    rows = rows.assign(exact=(rows["share_low"] == rows["share_high"]).astype("boolean"))
    rows = rows.sort_values(["organisation_type", "domain", "aspect", "quantifier"],
                            kind="mergesort")
    columns = ["organisation_type", "domain", "domain_label", "aspect", "quantifier",
               "direction", "base", "count", "denominator", "share_low", "share_high",
               "quantifier_basis", "exact", "source_locator", "source_url"]
    return rows[columns].reset_index(drop=True)


def key_facts_for(key_facts: pd.DataFrame, inspection_id: str) -> pd.DataFrame:
    """An inspection's key facts with the figure in words (`figure`: 'more than 1,200 people',
    or the `value_text` of a figure that is not a number, such as a month).

    Sorted by scope, measure and date; `measure` is also given in words (`measure_words`).
    """
    rows = for_inspection(key_facts, inspection_id)
    texts = rows["value_text"] if "value_text" in rows else pd.Series(pd.NA, index=rows.index)
    rows = rows.assign(
        figure=pd.array([describe_value(v, q, u, t) for v, q, u, t in
                         zip(rows["value"], rows["qualifier"], rows["unit"], texts,
                             strict=True)], dtype="string"),
        measure_words=pd.array([words(m) for m in rows["measure"]], dtype="string"),
    )
    return rows.sort_values(["scope", "measure", "as_of"], kind="mergesort",
                            na_position="first").reset_index(drop=True)


def organisation_samples(organisations: pd.DataFrame, inspection_id: str) -> pd.DataFrame:
    """The organisations of one inspection with population and sample, population in words."""
    rows = for_inspection(organisations, inspection_id)
    rows = rows.assign(population=pd.array(
        [describe_value(v, q, "people") for v, q in
         zip(rows["supervised_population"], rows["supervised_population_qualifier"],
             strict=True)], dtype="string"))
    return rows.sort_values(["organisation_type", "organisation"],
                            kind="mergesort").reset_index(drop=True)


def recommendations_for(recommendations: pd.DataFrame, inspection_id: str) -> pd.DataFrame:
    """An inspection's recommendations in report order (unnumbered ones last)."""
    rows = for_inspection(recommendations, inspection_id)
    return rows.sort_values(["number", "addressee", "theme"], kind="mergesort",
                            na_position="last").reset_index(drop=True)


def validation_summary(results: pd.DataFrame) -> pd.DataFrame:
    """Per table: how many rules were checked, how many passed and failed, rows checked.

    Columns: table, rules, passed, failed, rows_checked (the most rows any rule checked).
    Sorted by table.
    """
    columns = ["table", "rules", "passed", "failed", "rows_checked"]
    if results.empty:
        return pd.DataFrame(columns=columns).astype({"table": "string", "rules": "Int64",
                                                     "passed": "Int64", "failed": "Int64",
                                                     "rows_checked": "Int64"})
    success = results["success"].astype("boolean").fillna(False).astype(bool)
    frame = results.assign(_passed=success, _failed=~success)
    summary = frame.groupby("table", sort=True).agg(
        rules=("rule", "size"), passed=("_passed", "sum"), failed=("_failed", "sum"),
        rows_checked=("checked_rows", "max")).reset_index()
    return summary.astype({"table": "string", "rules": "Int64", "passed": "Int64",
                           "failed": "Int64", "rows_checked": "Int64"})[columns]


def failed_rules(results: pd.DataFrame) -> pd.DataFrame:
    """The rules that failed, by table and column, with how many rows broke each."""
    success = results["success"].astype("boolean").fillna(False).astype(bool)
    failed = results[~success]
    columns = [c for c in ("inspection_id", "table", "column", "rule", "failed_rows",
                           "checked_rows") if c in failed.columns]
    return failed.sort_values(columns[:4], kind="mergesort")[columns].reset_index(drop=True)
