"""Recompute the aggregates the Inspectorate published from the curated rows, with a verdict.

A published aggregate (a count of services by rating, a lowest/highest/average score, a national
total) covers a population (reference/populations.csv). Its members are named there
(`member_organisations`) or selected by programme, organisation type and publication window.
The verdict is `reproduced` when every member is curated and the recomputed value equals the
published one; `consistent` when it equals it but some of the ratings counted were derived or
inferred rather than read (possibly from these very totals, so the agreement is partly by
construction); `differs` (with the difference) when every member is curated and it does not; and
`not reproducible yet` (with what is missing) otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

REPRODUCED, CONSISTENT, DIFFERS, NOT_YET = ("reproduced", "consistent", "differs",
                                            "not reproducible yet")

COLUMNS = ["inspection_id", "population", "population_label", "statistic", "organisation_type",
           "standard", "rating", "domain", "period", "unit", "published", "recomputed",
           "members_expected", "members_curated", "coverage", "verdict", "difference",
           "explanation", "source_locator", "source_url"]


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or value == ""


def rated_organisations(organisations: pd.DataFrame, inspections: pd.DataFrame,
                        ratings: pd.DataFrame) -> pd.DataFrame:
    """One row per organisation inspected under a programme, with the inspection's date and
    programme and its overall rating (from `ratings`)."""
    meta = inspections[["inspection_id", "programme", "published"]]
    frame = organisations.merge(meta, on="inspection_id", how="left")
    overall = ratings[ratings["standard"] == "overall"][["inspection_id", "organisation",
                                                         "rating", "certainty"]]
    overall = overall.rename(columns={"certainty": "rating_certainty"})
    frame = frame.drop(columns=["overall_rating"]).merge(
        overall, on=["inspection_id", "organisation"], how="left")
    return frame


def members(population: pd.Series, candidates: pd.DataFrame) -> pd.DataFrame:
    """The curated members of a population, one row per organisation (its latest rating)."""
    listed = population.get("member_organisations")
    types = [] if _blank(population.get("organisation_types")) else \
        str(population["organisation_types"]).split("|")
    frame = candidates
    if not _blank(listed):
        frame = frame[frame["organisation"].isin(str(listed).split("|"))]
    else:
        if not _blank(population.get("programme")):
            frame = frame[frame["programme"] == population["programme"]]
        start, end = population.get("published_from"), population.get("published_to")
        month = frame["published"].str.slice(0, 7)
        if not _blank(start):
            frame = frame[month >= start]
            month = frame["published"].str.slice(0, 7)
        if not _blank(end):
            frame = frame[month <= end]
    if types:
        frame = frame[frame["organisation_type"].isin(types)]
    frame = frame.sort_values(["organisation", "published"])
    return frame.drop_duplicates("organisation", keep="last").reset_index(drop=True)


def _expected(aggregate: pd.Series, population: pd.Series, aggregates: pd.DataFrame):
    """How many members the published figure rests on, if the sources say."""
    kind = aggregate["organisation_type"]
    if _blank(kind):
        size = population.get("members")
        return None if _blank(size) else int(float(size))
    # A count of the population's members of this type, published beside it.
    same = aggregates[(aggregates["population"] == aggregate["population"])
                      & (aggregates["statistic"] == "count")
                      & (aggregates["organisation_type"] == kind)
                      & aggregates["rating"].isna() & aggregates["standard"].isna()]
    if not same.empty:
        return int(same["value"].iloc[0])
    types = str(population.get("organisation_types") or "").split("|")
    if types == [kind] and not _blank(population.get("members")):
        return int(float(population["members"]))
    return None


def reproduce(aggregates: pd.DataFrame, populations: pd.DataFrame,
              organisations: pd.DataFrame, inspections: pd.DataFrame,
              ratings: pd.DataFrame, domain_scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per published aggregate: published and recomputed values, coverage, verdict.

    `domain_scores` is needed only for ranges of scores (lowest, highest, average); without it
    they are not reproducible.
    """
    if domain_scores is None:
        domain_scores = pd.DataFrame(columns=["inspection_id", "organisation_type", "domain",
                                              "percent"])
    candidates = rated_organisations(organisations, inspections, ratings)
    by_code = populations.set_index("population")
    rows = []
    for aggregate in aggregates.itertuples(index=False):
        aggregate = pd.Series(aggregate._asdict())
        population = by_code.loc[aggregate["population"]] \
            if aggregate["population"] in by_code.index else pd.Series(dtype=object)
        row = {c: aggregate.get(c) for c in COLUMNS if c in aggregate.index}
        row["published"] = aggregate["value"]
        row.update(_verdict(aggregate, population, aggregates, candidates, ratings,
                            domain_scores))
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def _verdict(aggregate, population, aggregates, candidates, ratings, domain_scores) -> dict:
    statistic = aggregate["statistic"]
    if statistic in ("lowest", "highest", "average") and not _blank(aggregate["domain"]):
        return _score_verdict(aggregate, population, domain_scores)
    if statistic != "count":
        what = "every member's figure at the same date" if statistic == "total" else \
            "the case-level results behind the share"
        return {"verdict": NOT_YET, "recomputed": None, "members_expected": None,
                "members_curated": None, "coverage": "",
                "explanation": f"a {statistic} needs {what}, which no curated table holds"}
    found = members(population, candidates) if not population.empty else candidates.iloc[0:0]
    if not _blank(aggregate["organisation_type"]):
        found = found[found["organisation_type"] == aggregate["organisation_type"]]
    expected = _expected(aggregate, population, aggregates)
    if _blank(aggregate["rating"]):
        return _compare(float(aggregate["value"]), len(found), len(found), expected)
    if _blank(aggregate["standard"]) or aggregate["standard"] == "overall":
        rated = found[found["rating"].notna()]
    else:
        standard = ratings[ratings["standard"] == aggregate["standard"]]
        standard = standard.rename(columns={"certainty": "rating_certainty"})
        rated = found.drop(columns=["rating_certainty"]).merge(
            standard[["inspection_id", "organisation", "rating", "rating_certainty"]],
            on=["inspection_id", "organisation"], suffixes=("_overall", ""))
    counted = rated[rated["rating"] == aggregate["rating"]]
    # A rating derived by subtraction from published totals settles every count of its
    # population, not only the count of its own rating.
    unread = rated[rated["rating_certainty"].fillna("reported") != "reported"]
    label = "organisation_label" if "organisation_label" in rated.columns else "organisation"
    return _compare(float(aggregate["value"]), len(counted), len(rated), expected,
                    derived=sorted(unread[label].astype(str)))


def _score_verdict(aggregate, population, domain_scores) -> dict:
    types = [] if population.empty or _blank(population.get("organisation_types")) else \
        str(population["organisation_types"]).split("|")
    scores = domain_scores[domain_scores["domain"] == aggregate["domain"]]
    if types:
        scores = scores[scores["organisation_type"].isin(types)]
    values = scores["percent"].astype(float)
    recomputed = None
    if len(values):
        recomputed = {"lowest": values.min(), "highest": values.max(),
                      "average": values.mean()}[aggregate["statistic"]]
    expected = None if population.empty or _blank(population.get("members")) else \
        int(float(population["members"]))
    return _compare(float(aggregate["value"]), recomputed, len(values), expected,
                    tolerance=0.5)


def _compare(published: float, recomputed, curated: int, expected, tolerance: float = 0.0,
             derived: Sequence[str] = ()) -> dict:
    """The verdict; `derived`: the members whose rating was derived or inferred, not read."""
    coverage = f"{curated} of {expected}" if expected is not None else \
        f"{curated} of an unstated number"
    result = {"recomputed": recomputed, "members_expected": expected,
              "members_curated": curated, "coverage": coverage, "difference": None}
    if expected is None:
        result.update(verdict=NOT_YET, explanation="the source does not enumerate the "
                      f"population; {curated} member(s) curated")
    elif curated < expected:
        result.update(verdict=NOT_YET, explanation=f"{expected - curated} of {expected} "
                      "members not curated yet")
    elif recomputed is not None and math.isclose(recomputed, published, abs_tol=tolerance):
        result.update(verdict=REPRODUCED, difference=0.0,
                      explanation=f"all {expected} members curated")
        if derived:
            result.update(verdict=CONSISTENT, explanation=(
                f"all {expected} members curated, but {len(derived)} of their ratings were "
                f"derived or inferred rather than read ({'; '.join(derived)}), so the agreement "
                "is partly by construction"))
    else:
        difference = None if recomputed is None else recomputed - published
        result.update(verdict=DIFFERS, difference=difference,
                      explanation=f"recomputed {recomputed:g} against {published:g} published"
                      if recomputed is not None else "nothing to recompute from")
        if curated > expected:
            result["explanation"] += f"; {curated} curated members for {expected} published"
    return result
