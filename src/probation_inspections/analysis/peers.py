"""Where one inspected service stands among its peers: its round's ratings, its region's PDUs.

A *round* is a population of reference/populations.csv with a publication window (from and to)
under the inspection's programme and covering its organisation type; the widest such window
around the inspection's publication is the round. Populations are read and their members
selected by `reproduction` (`read_populations`, `round_members`), the one reading of a
population, so a profile and the reproduction report count alike.
"""

from __future__ import annotations

import pandas as pd

from ..curated.vocabularies import code_labels
from .reproduction import Population, read_populations, round_members
from .select import blank


def round_for(
    populations: pd.DataFrame, programme, organisation_type, published
) -> Population | None:
    """The round (population) an inspection published on `published` belongs to, or None.

    Of the populations of `programme` that cover `organisation_type`, do not list their
    members, and whose publication window holds the inspection's month: the largest."""
    if blank(programme) or blank(published):
        return None
    month = str(published)[:7]
    rounds = [
        p
        for p in read_populations(populations).values()
        if p.programme == programme
        and organisation_type in p.organisation_types
        and p.listed is None
        and p.published_from is not None
        and p.published_to is not None
        and p.published_from <= month <= p.published_to
    ]
    return max(rounds, key=lambda p: p.size or 0, default=None)


def round_distribution(
    population: Population, candidates: pd.DataFrame, rating_scale: pd.DataFrame
) -> pd.DataFrame:
    """How many curated members of a round received each overall rating, by organisation type.

    `candidates`: `reproduction.rated_organisations(...)`. Columns: organisation_type, rating,
    rating_label, rating_rank, organisations; best rating first within each type. Members
    without a curated rating are counted as rating "not curated"."""
    frame = round_members(population, candidates)
    scale = rating_scale.drop_duplicates("rating").set_index("rating")
    rating = frame["rating"].where(frame["rating"].notna(), "not_curated")
    counts = (
        pd.DataFrame({"organisation_type": frame["organisation_type"], "rating": rating})
        .groupby(["organisation_type", "rating"])
        .size()
        .rename("organisations")
        .reset_index()
    )
    counts["rating_label"] = counts["rating"].map(scale["label"]).fillna("Rating not curated")
    counts["rating_rank"] = counts["rating"].map(scale["rank"]).fillna(99).astype(int)
    counts = counts.sort_values(["organisation_type", "rating_rank"], kind="mergesort")
    return counts[
        ["organisation_type", "rating", "rating_label", "rating_rank", "organisations"]
    ].reset_index(drop=True)


#: Organisation types in the plural, as a reader writes them.
PLURALS = {
    "CRC": "CRCs",
    "NPS": "NPS divisions",
    "PDU": "PDUs",
    "Trust": "trusts",
    "Region": "regions",
}


def _plural(organisation_type: str, count: int) -> str:
    if count == 1:
        return "NPS division" if organisation_type == "NPS" else organisation_type
    return PLURALS.get(organisation_type, f"{organisation_type}s")


def standing_sentence(
    distribution: pd.DataFrame, organisation_type: str, rating, round_label: str
) -> str | None:
    """'One of 19 CRCs rated Requires improvement in All 28 probation services (2018/19 round);
    21 of its CRCs are curated'.

    None when the service has no overall rating or its type is not in the round."""
    own = distribution[distribution["organisation_type"] == organisation_type]
    if blank(rating) or own.empty:
        return None
    same = own[own["rating"] == rating]
    if same.empty:
        return None
    count, total = int(same["organisations"].sum()), int(own["organisations"].sum())
    label = same["rating_label"].iloc[0]
    if count == 1:
        head = f"The only {_plural(organisation_type, 1)} rated {label}"
    else:
        head = f"One of {count} {_plural(organisation_type, count)} rated {label}"
    verb = "is" if total == 1 else "are"
    return f"{head} in {round_label}; {total} of its {_plural(organisation_type, 2)} {verb} curated"


def distribution_in_words(distribution: pd.DataFrame, organisation_type: str) -> str | None:
    """'Good 1, Requires improvement 19, Inadequate 1' for one organisation type."""
    own = distribution[distribution["organisation_type"] == organisation_type]
    if own.empty:
        return None
    return ", ".join(
        f"{label} {int(n)}"
        for label, n in zip(own["rating_label"], own["organisations"], strict=True)
    )


def region_peers(candidates: pd.DataFrame, organisation, region, programme) -> pd.DataFrame:
    """The other organisations of `region` inspected under `programme`, each with its latest
    overall rating: organisation, organisation_label, published, rating, rating_certainty.
    Empty when the region is not known."""
    columns = ["organisation", "organisation_label", "published", "rating", "rating_certainty"]
    if blank(region) or "region" not in candidates.columns:
        return pd.DataFrame(columns=columns)
    frame = candidates[
        (candidates["region"] == region)
        & (candidates["programme"] == programme)
        & (candidates["organisation"] != organisation)
    ]
    frame = frame.sort_values(["organisation", "published"], kind="mergesort")
    frame = frame.drop_duplicates("organisation", keep="last")
    return frame.sort_values("organisation_label", kind="mergesort")[columns].reset_index(drop=True)


def compared_with(
    inspection_id: str,
    inspections: pd.DataFrame,
    organisations: pd.DataFrame,
    ratings: pd.DataFrame,
    populations: pd.DataFrame,
    rating_scale: pd.DataFrame,
) -> list[tuple[str, str]]:
    """Where each rated organisation of an inspection stands among its peers, as (label, text)
    pairs: its standing in its round and the round's ratings by type, and the latest ratings
    of its region's other organisations under the same programme. Empty when there is nothing
    to compare (an unrated inspection)."""
    from .reproduction import rated_organisations

    candidates = rated_organisations(organisations, inspections, ratings)
    own = candidates[candidates["inspection_id"] == inspection_id]
    names = code_labels("rating", rating_scale)
    pairs = []
    for _, row in own.iterrows():
        if blank(row.get("rating")):
            continue
        who = row["organisation_label"]
        population = round_for(
            populations, row["programme"], row["organisation_type"], row["published"]
        )
        if population is not None:
            distribution = round_distribution(population, candidates, rating_scale)
            label = population.label or population.code
            sentence = standing_sentence(
                distribution, row["organisation_type"], row["rating"], label
            )
            if sentence:
                pairs.append((f"{who} in its round", sentence + "."))
            for kind in distribution["organisation_type"].drop_duplicates():
                counted = distribution_in_words(distribution, kind)
                if counted:
                    pairs.append(
                        (f"{_plural(kind, 2)} of {label}, by overall rating", counted + ".")
                    )
        region = row.get("region")
        peers = region_peers(candidates, row["organisation"], region, row["programme"])
        if len(peers):
            pairs.append(
                (
                    f"Other {_plural(row['organisation_type'], 2)} of {region}",
                    "; ".join(
                        f"{p['organisation_label']}: "
                        f"{names.get(p['rating'], 'rating not curated')}"
                        f" ({str(p['published'])[:4]})"
                        for _, p in peers.iterrows()
                    )
                    + ".",
                )
            )
    return pairs
