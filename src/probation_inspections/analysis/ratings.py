"""Ratings across services and time, and the standards most often rated Inadequate."""

from __future__ import annotations

import pandas as pd

from ..curated.vocabularies import code_labels
from ..report.text import words
from .select import _equals, for_inspection


def _with_inspection(table: pd.DataFrame, inspections: pd.DataFrame) -> pd.DataFrame:
    context = inspections[["inspection_id", "published", "programme", "area"]]
    return table.merge(context, on="inspection_id", how="left")


_RATING_COLUMNS = [
    "inspection_id",
    "published",
    "programme",
    "area",
    "organisation_type",
    "organisation",
    "organisation_label",
    "rating",
    "rating_label",
    "rating_rank",
    "certainty",
    "source_locator",
    "source_url",
]


def _rated(
    ratings: pd.DataFrame, inspections: pd.DataFrame, programme: str | None, overall: bool
) -> pd.DataFrame:
    """The overall ratings (`overall=True`) or the standards' ratings, with their inspection's
    publication, programme and area; `programme`: keep one programme only."""
    rows = ratings[_equals(ratings["standard"], "overall") == overall]
    rows = _with_inspection(rows, inspections)
    if programme:
        rows = rows[_equals(rows["programme"], programme)]
    return rows


def overall_ratings(
    ratings: pd.DataFrame, inspections: pd.DataFrame, programme: str | None = None
) -> pd.DataFrame:
    """Overall ratings of every rated organisation, oldest inspection first.

    Columns: inspection_id, published, programme, area, organisation_type, organisation,
    organisation_label, rating, rating_label, rating_rank, certainty, source_locator,
    source_url. `programme`: keep one programme only.
    """
    overall = _rated(ratings, inspections, programme, overall=True)
    overall = overall.sort_values(["published", "inspection_id", "organisation"], kind="mergesort")
    return overall[_RATING_COLUMNS].reset_index(drop=True)


def standard_ratings(
    ratings: pd.DataFrame, inspections: pd.DataFrame, programme: str | None = None
) -> pd.DataFrame:
    """Ratings of standards and domains (everything but the overall rating), in report order.

    Columns as `overall_ratings` plus standard and standard_label; sorted by publication,
    organisation and standard label (the labels carry the report's numbering, '1.1 ...').
    """
    rows = _rated(ratings, inspections, programme, overall=False)
    at = _RATING_COLUMNS.index("rating")
    columns = [*_RATING_COLUMNS[:at], "standard", "standard_label", *_RATING_COLUMNS[at:]]
    rows = rows.assign(_label=rows["standard_label"].str.lower())
    rows = rows.sort_values(
        ["published", "inspection_id", "organisation", "_label"], kind="mergesort"
    )
    return rows[columns].reset_index(drop=True)


def ratings_for(ratings: pd.DataFrame, inspection_id: str) -> pd.DataFrame:
    """One inspection's ratings: each organisation's overall rating first, then its standards
    in the report's numbering (standard labels such as '1.1 Leadership')."""
    rows = for_inspection(ratings, inspection_id)
    rows = rows.assign(
        _overall=~_equals(rows["standard"], "overall"), _label=rows["standard_label"].str.lower()
    )
    rows = rows.sort_values(
        ["organisation_type", "organisation", "_overall", "_label"], kind="mergesort"
    )
    return rows.drop(columns=["_overall", "_label"]).reset_index(drop=True)


def rating_counts(overall: pd.DataFrame) -> pd.DataFrame:
    """How many organisations received each overall rating, by programme and organisation type.

    Ratings are counted by code (`rating`), so that "Requires improvement" and "Requiring
    Improvement" as published are one rating. Columns: programme, organisation_type,
    rating_rank, rating, organisations; best rating first within each group.
    """
    columns = ["programme", "organisation_type", "rating_rank", "rating"]
    counts = (
        overall.groupby(columns, dropna=False, sort=True)
        .size()
        .rename("organisations")
        .reset_index()
    )
    counts["organisations"] = counts["organisations"].astype("Int64")
    return counts.sort_values(columns, kind="mergesort").reset_index(drop=True)


def inadequate_by_standard(
    standards: pd.DataFrame, labels: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Standards ranked by how many curated services were rated Inadequate on them, beside how
    many services had that standard rated at all (the coverage of each count)."""
    columns = ["standard", "label", "services_rated", "inadequate", "share_inadequate"]
    if standards.empty:
        return pd.DataFrame(columns=columns)
    frame = standards.drop_duplicates(["inspection_id", "organisation", "standard"])
    grouped = frame.groupby("standard")
    table = pd.DataFrame(
        {
            "services_rated": grouped["organisation"].count(),
            "inadequate": grouped["rating"].apply(lambda r: int((r == "inadequate").sum())),
        }
    ).reset_index()
    table["share_inadequate"] = table["inadequate"] / table["services_rated"]
    names = {} if labels is None else code_labels("standard", labels)
    table["label"] = table["standard"].map(lambda s: names.get(s, words(s)))
    table = table.sort_values(
        ["inadequate", "share_inadequate", "standard"], ascending=[False, False, True]
    )
    return table[columns].reset_index(drop=True)


#: What a published count of every service of a group, whatever its rating, counts.
SERVICES = "services"


def published_rating_counts(
    results: pd.DataFrame,
    rating_scale: pd.DataFrame,
    population: str | None = None,
    totals: bool = False,
) -> pd.DataFrame:
    """The published counts of ratings among `reproduction.reproduce`'s results, with what was
    recomputed: `organisation_type` 'all' where a count is of every type, the rating's `rank`,
    sorted by where it was stated, group, type, standard and rank (best first). `population`:
    one group only; `totals`: keep the counts of services of no one rating (rank missing,
    last in their group). `counted`: the rating, or SERVICES for such a count."""
    counts = results[results["statistic"] == "count"]
    if population is not None:
        counts = counts[counts["population"] == population]
    if not totals:
        counts = counts[counts["rating"].notna()]
    counts = counts.copy()
    counts["organisation_type"] = counts["organisation_type"].fillna("all")
    ranks = dict(zip(rating_scale["rating"], rating_scale["rank"], strict=True))
    counts["rank"] = pd.array([ranks.get(r) for r in counts["rating"]], dtype="Int64")
    counts["counted"] = counts["rating"].astype("string").fillna(SERVICES)
    order = ["inspection_id", "population", "organisation_type", "standard", "rank"]
    return counts.sort_values(order, kind="mergesort", na_position="last").reset_index(drop=True)
