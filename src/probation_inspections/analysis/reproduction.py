"""The one verdict engine: published aggregates recomputed from the curated rows.

A published aggregate (a count of services by rating, a lowest/highest/average score, a national
total) covers a population (reference/populations.csv, read once by `read_populations`). Its
members are the inspections of its round (`round_members`): inspections under its programme,
published within its window (`published_from` to `published_to`), of its organisation types,
and of the organisations it lists (`member_organisations`) when it lists them. An organisation
inspected again later is never taken in its later inspection: a later inspection is outside the
round, and two inspections of one organisation inside it leave the figure unreproducible until
the window says which one the source counted.

The verdict (`decide`, the same for counts and for ranges of scores) is `reproduced` when every
member is curated and the recomputed value equals the published one; `consistent` when it equals
it but some of the values used were derived or inferred rather than read, or the published
figure itself was (the agreement is then partly by construction); `differs` (with the
difference) when every member is curated and it does not; and `not reproducible yet` (with what
is missing, and what a single missing member must be when the published totals pin it down)
otherwise. A count of an unstated number of members has its curated members as a lower bound:
more of them with the rating than published already `differs`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from .select import blank

REPRODUCED, CONSISTENT, DIFFERS, NOT_YET = (
    "reproduced",
    "consistent",
    "differs",
    "not reproducible yet",
)
#: A domain the reports publish no range for (cross-area ranges only).
NOTHING_PUBLISHED = "no published range"

COLUMNS = [
    "inspection_id",
    "population",
    "population_label",
    "statistic",
    "organisation_type",
    "standard",
    "rating",
    "domain",
    "period",
    "unit",
    "published",
    "recomputed",
    "members_expected",
    "members_curated",
    "coverage",
    "verdict",
    "difference",
    "explanation",
    "source_locator",
    "source_url",
]


def _text(value) -> str | None:
    return None if blank(value) else str(value).strip()


@dataclass(frozen=True)
class Population:
    """A population of populations.csv: who a published aggregate is about."""

    code: str
    label: str | None = None
    programme: str | None = None
    organisation_types: tuple[str, ...] = ()
    period: str | None = None
    size: int | None = None  # `members`: how many the source says it has
    listed: tuple[str, ...] | None = None  # `member_organisations`, when the source names them
    published_from: str | None = None  # YYYY-MM
    published_to: str | None = None

    @classmethod
    def from_row(cls, row) -> Population:
        types = _text(row.get("organisation_types"))
        listed = _text(row.get("member_organisations"))
        size = _text(row.get("members"))
        return cls(
            code=str(row["population"]),
            label=_text(row.get("label")),
            programme=_text(row.get("programme")),
            organisation_types=tuple(t for t in (types or "").split("|") if t),
            period=_text(row.get("period")),
            size=None if size is None else int(float(size)),
            listed=None if listed is None else tuple(m for m in listed.split("|") if m),
            published_from=_text(row.get("published_from")),
            published_to=_text(row.get("published_to")),
        )


def read_populations(populations: pd.DataFrame | None) -> dict[str, Population]:
    """The population vocabulary (`reference("population")`), by code: the one reading of it."""
    if populations is None or "population" not in populations.columns:
        return {}
    return {
        str(row["population"]): Population.from_row(row)
        for row in populations.to_dict("records")
        if not blank(row.get("population"))
    }


def round_members(
    population: Population, candidates: pd.DataFrame, quoted: bool = False
) -> pd.DataFrame:
    """The rows of `candidates` in the population's round: programme, publication window,
    organisation types and listed organisations. Never "each organisation's latest".

    `candidates`: one row per inspection and organisation (and whatever else the caller needs),
    with `organisation`, `organisation_type`, `programme` and `published`. `quoted`: the rows
    are figures a report of another programme quotes (their domain places them in the round):
    the programme and publication window, which are the quoting report's, are not tested.
    """
    frame = candidates
    if not quoted and population.programme is not None:
        frame = frame[frame["programme"] == population.programme]
    month = frame["published"].astype("string").str.slice(0, 7)
    if not quoted and population.published_from is not None:
        frame, month = (
            frame[month >= population.published_from],
            month[month >= population.published_from],
        )
    if not quoted and population.published_to is not None:
        frame = frame[month <= population.published_to]
    if population.organisation_types:
        frame = frame[frame["organisation_type"].isin(population.organisation_types)]
    if population.listed is not None:
        frame = frame[frame["organisation"].isin(population.listed)]
    return frame.sort_values(
        ["organisation", "published", "inspection_id"], kind="stable"
    ).reset_index(drop=True)


def _twice(found: pd.DataFrame) -> str | None:
    """Why the round is ambiguous: an organisation with two inspections in it, or None."""
    counts = found.groupby("organisation")["inspection_id"].nunique()
    twice = counts[counts > 1]
    if twice.empty:
        return None
    named = "; ".join(
        f"{organisation}: "
        + ", ".join(sorted(set(found.loc[found["organisation"] == organisation, "inspection_id"])))
        for organisation in twice.index
    )
    return (
        f"{len(twice)} organisation(s) have more than one inspection in the population's "
        f"round ({named}); give the population a publication window (published_from, "
        "published_to) that holds only the inspections the source counted"
    )


def rated_organisations(
    organisations: pd.DataFrame, inspections: pd.DataFrame, ratings: pd.DataFrame
) -> pd.DataFrame:
    """One row per organisation inspected under a programme, with the inspection's date and
    programme and its overall rating (from `ratings`)."""
    meta = inspections[["inspection_id", "programme", "published"]]
    frame = organisations.merge(meta, on="inspection_id", how="left")
    overall = ratings[ratings["standard"] == "overall"][
        ["inspection_id", "organisation", "rating", "certainty"]
    ]
    overall = overall.rename(columns={"certainty": "rating_certainty"})
    frame = frame.drop(columns=["overall_rating"]).merge(
        overall, on=["inspection_id", "organisation"], how="left"
    )
    return frame


def _expected(aggregate: pd.Series, population: Population | None, aggregates: pd.DataFrame):
    """How many members the published figure rests on, if the sources say."""
    kind = aggregate.get("organisation_type")
    size = None if population is None else population.size
    if blank(kind):
        return size
    # A count of the population's members of this type, published beside it.
    same = aggregates[
        (aggregates["population"] == aggregate["population"])
        & (aggregates["statistic"] == "count")
        & (aggregates["organisation_type"] == kind)
        & aggregates["rating"].isna()
        & aggregates["standard"].isna()
    ]
    if not same.empty:
        return int(same["value"].iloc[0])
    if population is not None and population.organisation_types == (kind,):
        return size
    return None


def reproduce(
    aggregates: pd.DataFrame,
    populations: pd.DataFrame,
    organisations: pd.DataFrame,
    inspections: pd.DataFrame,
    ratings: pd.DataFrame,
    domain_scores: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per published aggregate: published and recomputed values, coverage, verdict.

    `domain_scores` is needed only for ranges of scores (lowest, highest, average); without it
    they are not reproducible.
    """
    if domain_scores is None:
        domain_scores = pd.DataFrame(
            columns=["inspection_id", "organisation", "organisation_type", "domain", "percent"]
        )
    candidates = rated_organisations(organisations, inspections, ratings)
    scores = scored_organisations(domain_scores, inspections)
    by_code = read_populations(populations)
    rows = []
    for aggregate in aggregates.itertuples(index=False):
        aggregate = pd.Series(aggregate._asdict())
        population = by_code.get(aggregate["population"])
        row = {c: aggregate.get(c) for c in COLUMNS if c in aggregate.index}
        row["published"] = aggregate["value"]
        row.update(_verdict(aggregate, population, aggregates, candidates, ratings, scores))
        rows.append(row)
    out = pd.DataFrame(rows, columns=COLUMNS)
    return _name_the_gaps(out, aggregates, by_code, candidates)


def scored_organisations(domain_scores: pd.DataFrame, inspections: pd.DataFrame) -> pd.DataFrame:
    """Domain scores with their inspection's programme and publication date; the same score
    curated from two inspections is kept once (the first inspection in id order)."""
    meta = inspections[["inspection_id", "programme", "published"]]
    frame = domain_scores.merge(meta, on="inspection_id", how="left")
    if "organisation" not in frame.columns:
        frame["organisation"] = frame["organisation_type"]
    keys = [c for c in ("organisation", "domain", "period", "percent") if c in frame.columns]
    frame = frame.sort_values(["inspection_id"], kind="stable").drop_duplicates(keys)
    return frame.reset_index(drop=True)


def _certainty(aggregate: pd.Series) -> str:
    certainty = aggregate.get("certainty")
    return "reported" if blank(certainty) else str(certainty)


def _verdict(aggregate, population, aggregates, candidates, ratings, scores) -> dict:
    statistic = aggregate["statistic"]
    if statistic in ("lowest", "highest", "average") and not blank(aggregate["domain"]):
        return score_verdict(aggregate, population, scores)
    if statistic != "count":
        what = (
            "every member's figure at the same date"
            if statistic == "total"
            else "the case-level results behind the share"
        )
        return {
            "verdict": NOT_YET,
            "recomputed": None,
            "members_expected": None,
            "members_curated": None,
            "coverage": "",
            "explanation": f"a {statistic} needs {what}, which no curated table holds",
        }
    found = (
        round_members(population, candidates) if population is not None else candidates.iloc[0:0]
    )
    if not blank(aggregate["organisation_type"]):
        found = found[found["organisation_type"] == aggregate["organisation_type"]]
    expected = _expected(aggregate, population, aggregates)
    ambiguous = _twice(found)
    if blank(aggregate["rating"]):
        return decide(
            float(aggregate["value"]),
            len(found),
            len(found),
            expected,
            certainty=_certainty(aggregate),
            ambiguous=ambiguous,
        )
    if blank(aggregate["standard"]) or aggregate["standard"] == "overall":
        rated = found[found["rating"].notna()]
    else:
        standard = ratings[ratings["standard"] == aggregate["standard"]]
        standard = standard.rename(columns={"certainty": "rating_certainty"})
        rated = found.drop(columns=["rating_certainty"]).merge(
            standard[["inspection_id", "organisation", "rating", "rating_certainty"]],
            on=["inspection_id", "organisation"],
            suffixes=("_overall", ""),
        )
    counted = rated[rated["rating"] == aggregate["rating"]]
    # A rating derived by subtraction from published totals settles every count of its
    # population, not only the count of its own rating.
    unread = rated[rated["rating_certainty"].fillna("reported") != "reported"]
    label = "organisation_label" if "organisation_label" in rated.columns else "organisation"
    result = decide(
        float(aggregate["value"]),
        len(counted),
        len(rated),
        expected,
        derived=sorted(unread[label].astype(str)),
        certainty=_certainty(aggregate),
        ambiguous=ambiguous,
    )
    return _lower_bound(result, float(aggregate["value"]), counted[label].astype(str))


def _lower_bound(result: dict, published: float, counted: pd.Series) -> dict:
    """A count of an unstated number of members: the curated members are some of them, so
    their count is a lower bound. More than the published figure already differs; otherwise
    the explanation says that no curated member contradicts it so far."""
    if result["verdict"] != NOT_YET or result["members_expected"] is not None:
        return result
    if "does not enumerate" not in str(result["explanation"]) or not result["members_curated"]:
        return result
    if len(counted) > published:
        return {
            **result,
            "verdict": DIFFERS,
            "difference": len(counted) - published,
            "explanation": (
                f"{len(counted)} curated member(s) already have this rating, more than the "
                f"{published:g} published ({', '.join(sorted(counted)[:5])}); the curated "
                "members are only part of the population, so the count can only grow"
            ),
        }
    return {
        **result,
        "explanation": (
            f"{result['explanation']}; {len(counted)} of them with this rating, so none "
            f"contradicts the {published:g} published so far"
        ),
    }


def score_members(
    aggregate: pd.Series, population: Population | None, scores: pd.DataFrame
) -> pd.DataFrame:
    """The curated scores of the aggregate's domain in the population's round."""
    scores = scores[scores["domain"] == aggregate["domain"]]
    if population is not None:
        # A report of another programme may quote the scores of this programme's inspections
        # (a 2017 report quoting 2012 scores): the domain places those in the round, not the
        # quoting report's programme or publication date.
        own = (
            scores["programme"] == population.programme
            if population.programme
            else pd.Series(True, index=scores.index)
        )
        scores = pd.concat(
            [
                round_members(population, scores[own]),
                round_members(population, scores[~own], quoted=True),
            ]
        )
        scores = scores.sort_values(
            ["organisation", "published", "inspection_id"], kind="stable"
        ).reset_index(drop=True)
    if not blank(aggregate.get("organisation_type")):
        scores = scores[scores["organisation_type"] == aggregate["organisation_type"]]
    return scores


def score_verdict(
    aggregate: pd.Series,
    population: Population | None,
    scores: pd.DataFrame,
    tolerance: float = 0.5,
    expected: int | None = None,
) -> dict:
    """The verdict on a published lowest, highest or average score of a domain (or a count of
    the areas it covers).

    `scores`: `scored_organisations(...)`; the reports round to whole percent, hence the
    tolerance of half a point. `expected`: how many members the figure rests on, when the
    population does not say but the source does (a count published beside the range).
    """
    found = score_members(aggregate, population, scores)
    values = found["percent"].astype(float)
    recomputed = None
    if len(values):
        recomputed = {
            "lowest": values.min(),
            "highest": values.max(),
            "average": values.mean(),
            "count": float(len(values)),
        }[aggregate["statistic"]]
    if population is not None and population.size is not None:
        expected = population.size
    derived = []
    if "certainty" in found.columns:
        unread = found[found["certainty"].fillna("reported") != "reported"]
        derived = sorted(unread["organisation"].astype(str))
    listed = None if population is None else population.listed
    missing = None if listed is None else [m for m in listed if m not in set(found["organisation"])]
    return decide(
        float(aggregate["value"]),
        recomputed,
        len(values),
        expected,
        tolerance=tolerance,
        derived=derived,
        certainty=_certainty(aggregate),
        ambiguous=_twice(found),
        missing=missing,
        what="scores",
    )


def decide(
    published: float,
    recomputed,
    curated: int,
    expected,
    tolerance: float = 0.0,
    derived: Sequence[str] = (),
    certainty: str = "reported",
    ambiguous: str | None = None,
    missing: list[str] | None = None,
    what: str = "ratings",
) -> dict:
    """The verdict on one published figure: the one rule for counts and scores alike.

    `recomputed`: the value from the curated members (None: nothing to recompute from);
    `curated`: how many members are curated; `expected`: how many the source says there are
    (None: it does not say); `derived`: members whose value was derived or inferred, not read;
    `certainty`: how the published figure itself was curated; `ambiguous`: why the round's
    members are not known (an organisation inspected twice in it); `missing`: members the
    population lists that are not curated; `what`: the word for the members' values.
    """
    coverage = (
        f"{curated} of {expected}" if expected is not None else f"{curated} of an unstated number"
    )
    result = {
        "recomputed": recomputed,
        "members_expected": expected,
        "members_curated": curated,
        "coverage": coverage,
        "difference": None,
    }
    if ambiguous is not None:
        result.update(verdict=NOT_YET, explanation=ambiguous)
    elif expected is None:
        result.update(
            verdict=NOT_YET,
            explanation="the source does not enumerate the "
            f"population; {curated} member(s) curated",
        )
    elif curated < expected:
        named = ""
        if missing:
            named = (
                " (missing: "
                + ", ".join(missing[:5])
                + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
                + ")"
            )
        result.update(
            verdict=NOT_YET,
            explanation=f"{expected - curated} of {expected} members not curated yet{named}",
        )
    elif recomputed is not None and math.isclose(recomputed, published, abs_tol=tolerance):
        result.update(
            verdict=REPRODUCED, difference=0.0, explanation=f"all {expected} members curated"
        )
        reasons = []
        if derived:
            reasons.append(
                f"{len(derived)} of their {what} were derived or inferred rather "
                f"than read ({'; '.join(derived)})"
            )
        if certainty != "reported":
            reasons.append(f"the published figure itself was {certainty}, not read as written")
        if reasons:
            result.update(
                verdict=CONSISTENT,
                explanation=(
                    f"all {expected} members curated, but "
                    + " and ".join(reasons)
                    + ", so the agreement is partly by construction"
                ),
            )
    else:
        difference = None if recomputed is None else recomputed - published
        result.update(
            verdict=DIFFERS,
            difference=difference,
            explanation=f"recomputed {recomputed:g} against {published:g} published"
            if recomputed is not None
            else "nothing to recompute from",
        )
        if curated > expected:
            result["explanation"] += f"; {curated} curated members for {expected} published"
    return result


def _name_the_gaps(
    out: pd.DataFrame,
    aggregates: pd.DataFrame,
    populations: dict[str, Population],
    candidates: pd.DataFrame,
) -> pd.DataFrame:
    """Where one member is missing and the published counts pin it down, say what it must be.

    With one member missing, a published count of a rating (of a type) one above the curated
    count names the missing member's rating (and type): "the missing service must be a CRC rated
    Good".
    """
    counts = out[out["statistic"] == "count"]
    for code, group in counts.groupby("population"):
        total = group[
            group["organisation_type"].isna()
            & group["rating"].isna()
            & group["members_expected"].notna()
        ]
        if (
            total.empty
            or int(total["members_expected"].iloc[0]) - int(total["members_curated"].iloc[0]) != 1
        ):
            continue
        population = populations.get(code)
        found = round_members(population, candidates) if population else candidates.iloc[0:0]
        if _twice(found):
            continue
        overall = group[
            group["rating"].notna() & (group["standard"].isna() | (group["standard"] == "overall"))
        ]
        rating, kind = None, None
        for row in overall.itertuples():
            members = (
                found
                if blank(row.organisation_type)
                else found[found["organisation_type"] == row.organisation_type]
            )
            short = row.published - (members["rating"] == row.rating).sum()
            if short == 1:
                rating = row.rating
                kind = row.organisation_type if not blank(row.organisation_type) else kind
        if rating is None:
            continue
        if kind is None and population is not None and len(population.organisation_types) == 1:
            kind = population.organisation_types[0]
        label = _rating_label(aggregates, rating)
        sentence = (
            f"the missing service must be {'an' if (kind or 'x')[0] in 'AEINOU' else 'a'}"
            f" {kind} rated {label}"
            if kind
            else f"the missing service must be rated {label}"
        )
        for index in group.index[group["verdict"] == NOT_YET]:
            out.at[index, "explanation"] = f"{out.at[index, 'explanation']}; {sentence}"
    return out


def _rating_label(aggregates: pd.DataFrame, rating: str) -> str:
    labels = (
        aggregates.loc[aggregates["rating"] == rating, "rating_label"].dropna()
        if "rating_label" in aggregates.columns
        else pd.Series(dtype=object)
    )
    return str(labels.iloc[0]) if len(labels) else rating.replace("_", " ").capitalize()


def group_coverage(results: pd.DataFrame) -> pd.DataFrame:
    """How much of each group whose size the sources state is curated, one row per group (of
    `reproduce`'s results): population, population_label, members_expected, members_curated,
    sorted by label. A figure about one type of the group's services ('21 CRCs' of 'all 28
    services') counts fewer members than the group: the group's row is its widest figure."""
    columns = ["population", "population_label", "members_expected", "members_curated"]
    known = results.dropna(subset=["members_expected"])
    if known.empty:
        return pd.DataFrame(columns=columns)
    widest = known.sort_values(
        ["population", "members_expected", "members_curated"],
        ascending=[True, False, False],
        kind="mergesort",
    ).drop_duplicates("population")
    return widest.sort_values("population_label", kind="mergesort")[columns].reset_index(drop=True)


def by_explanation(results: pd.DataFrame) -> pd.DataFrame:
    """`reproduce`'s results grouped for reading: the figures of one group that share an
    explanation are next to each other, under a `reason` that says once the group's label and
    that explanation ("All 28 probation services: all 28 members curated"). Each row keeps its
    own published and recomputed figure and verdict; groups in label order, then by verdict."""
    label = results["population_label"].where(
        results["population_label"].notna(), results["population"]
    )
    explanation = results["explanation"].fillna("").astype(str)
    reason = label.astype(str).where(explanation == "", label.astype(str) + ": " + explanation)
    out = results.assign(reason=reason)
    order = ["reason", "verdict", "statistic"]
    return out.sort_values(
        order, kind="mergesort", key=lambda column: column.astype(str).str.lower()
    ).reset_index(drop=True)
