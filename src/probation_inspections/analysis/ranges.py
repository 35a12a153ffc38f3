"""Cross-area ranges (Table 1 of the 2016-2017 reports): lowest, highest and average scores
across the curated areas, beside the ranges the reports published, with a verdict."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .reproduction import (
    CONSISTENT,
    DIFFERS,
    NOT_YET,
    NOTHING_PUBLISHED,
    REPRODUCED,
    Population,
    read_populations,
    score_members,
    score_verdict,
    scored_organisations,
)
from .select import _equals

#: Statistics of `published_aggregates` that describe a range of areas.
RANGE_STATISTICS = ("lowest", "highest", "average", "count")


def programme_domains(domains: pd.DataFrame, programme: str) -> list[str]:
    """Domain codes of a programme (`reference("domain")`), in the vocabulary's `order`."""
    if "programme" not in domains.columns:
        return [str(d) for d in domains["domain"].dropna() if str(d).startswith(f"{programme}_")]
    rows = domains[_equals(domains["programme"], programme)]
    if "order" in rows.columns:
        order = pd.to_numeric(rows["order"], errors="coerce")
        rows = rows.assign(_order=order).sort_values(
            ["_order", "domain"], kind="mergesort", na_position="last"
        )
    return [str(d) for d in rows["domain"]]


def cross_area_points(
    domain_scores: pd.DataFrame, domains: Sequence[str], highlight: str | None = None
) -> pd.DataFrame:
    """The curated area scores behind a cross-area range: one row per area and domain.

    Columns: domain, domain_label, organisation, organisation_label, organisation_type,
    percent, period, inspection_id, source_locator, source_url, highlighted. Domains in the
    order given, areas by organisation code. The same score curated from two inspections is
    kept once (the first inspection in id order).
    """
    scores = domain_scores[domain_scores["domain"].isin(list(domains)).fillna(False)]
    scores = scores.sort_values(["inspection_id", "source_locator"], kind="mergesort")
    scores = scores.drop_duplicates(["organisation", "domain", "period", "percent"])
    order = {d: i for i, d in enumerate(domains)}
    points = scores.assign(_order=scores["domain"].map(order))
    points = points.sort_values(["_order", "organisation", "period"], kind="mergesort")
    points["highlighted"] = _equals(points["organisation"], highlight) if highlight else False
    columns = [
        "domain",
        "domain_label",
        "organisation",
        "organisation_label",
        "organisation_type",
        "percent",
        "period",
        "inspection_id",
        "source_locator",
        "source_url",
        "highlighted",
    ]
    return points[columns].reset_index(drop=True)


def _published_range(published_aggregates: pd.DataFrame, domain: str) -> list[dict]:
    """The ranges the reports publish for a domain: one dict per (population, period)."""
    table = published_aggregates
    if "population" not in table.columns and "population_label" in table.columns:
        table = table.assign(population=table["population_label"])
    if "population_label" not in table.columns:
        table = table.assign(population_label=table["population"])
    rows = table[
        _equals(table["domain"], domain) & table["statistic"].isin(RANGE_STATISTICS).fillna(False)
    ]
    ranges = []
    for (population, period), group in rows.groupby(["population", "period"], sort=True):
        values = {
            str(s): float(v)
            for s, v in zip(group["statistic"], group["value"], strict=True)
            if not pd.isna(v)
        }
        labels = sorted(set(group["population_label"].dropna())) or [str(population)]
        locators = sorted(set(group["source_locator"].dropna()))
        inspections = sorted(set(group["inspection_id"].dropna()))
        certainties = (
            set(group["certainty"].dropna()) - {"reported"}
            if "certainty" in group.columns
            else set()
        )
        ranges.append(
            {
                "population": str(population),
                "label": labels[0],
                "period": str(period),
                "values": values,
                "source": ", ".join(locators),
                "inspections": ", ".join(inspections),
                "certainty": sorted(certainties)[0] if certainties else "reported",
            }
        )
    return ranges


def _whole(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _range_verdict(
    published: dict | None,
    domain: str,
    population: Population | None,
    scores: pd.DataFrame,
    tolerance: float,
) -> tuple[str, str, bool | None]:
    """(verdict, explanation, consistent) for one domain's published range, decided by the one
    verdict engine (`reproduction.score_verdict`) for each published statistic.

    `consistent`: whether the curated values at least lie within the published lowest and
    highest (None when either is not published or nothing is curated).
    """
    if published is None:
        return (NOTHING_PUBLISHED, "the curated reports publish no range for this domain", None)
    values, label = published["values"], published["label"]
    probe = pd.Series(
        {
            "domain": domain,
            "organisation_type": None,
            "statistic": "count",
            "value": values.get("count", float("nan")),
        }
    )
    curated = score_members(probe, population, scores)["percent"].astype(float)
    n = len(curated)
    lowest, highest = values.get("lowest"), values.get("highest")
    consistent = None
    if n and lowest is not None and highest is not None:
        consistent = bool(((curated >= lowest) & (curated <= highest)).all())
    if n == 0:
        return (
            NOT_YET,
            f"no area of the report's population ({label}) is curated for this domain",
            consistent,
        )
    expected = (
        population.size
        if population is not None and population.size is not None
        else values.get("count")
    )
    decided = {
        statistic: score_verdict(
            pd.Series(
                {
                    "domain": domain,
                    "organisation_type": None,
                    "statistic": statistic,
                    "value": value,
                    "certainty": published.get("certainty"),
                }
            ),
            population,
            scores,
            tolerance,
            expected=None if expected is None else int(expected),
        )
        for statistic, value in values.items()
        if statistic in RANGE_STATISTICS
    }
    verdict = next(
        v
        for v in (DIFFERS, NOT_YET, CONSISTENT, REPRODUCED)
        if any(d["verdict"] == v for d in decided.values())
    )
    within = (
        ""
        if consistent is None
        else "; every curated value lies within the published range"
        if consistent
        else "; a curated value lies outside the published range"
    )
    first = next(d for d in decided.values() if d["verdict"] == verdict)
    if verdict == NOT_YET and expected is None:
        single = (
            "only 1 area is curated, so the curated 'range' is a single value, not a range"
            if n == 1
            else f"{n} areas are curated"
        )
        return (
            verdict,
            f"{single}; the report's population ({label}) is not enumerated, so "
            f"which areas are missing is not known{within}",
            consistent,
        )
    if verdict == NOT_YET and first["members_curated"] < first["members_expected"]:
        missing = first["explanation"].partition(" (missing: ")[2].rstrip(")")
        named = f" (missing: {missing})" if missing else ""
        return (
            verdict,
            f"{n} of the {_whole(expected)} areas of the report's population "
            f"({label}) are curated{named}{within}",
            consistent,
        )
    if verdict == NOT_YET:
        return verdict, first["explanation"] + within, consistent
    if verdict == DIFFERS and n > expected:
        return (
            verdict,
            f"{n} areas are curated but the report's population ({label}) has "
            f"{_whole(expected)}: the curated areas are not that population",
            consistent,
        )
    if verdict == DIFFERS:
        gaps = [
            f"{statistic} {_whole(d['recomputed'])} curated against "
            f"{_whole(values[statistic])} published ({d['difference']:+.1f} points)"
            for statistic, d in decided.items()
            if d["verdict"] == DIFFERS and statistic != "count"
        ]
        return verdict, "; ".join(gaps) or first["explanation"], consistent
    if verdict == CONSISTENT:
        return verdict, first["explanation"], consistent
    return (
        verdict,
        f"all {n} areas of the report's population ({label}) are curated and the "
        "lowest, highest and average match",
        consistent,
    )


def cross_area_ranges(
    domain_scores: pd.DataFrame,
    published_aggregates: pd.DataFrame,
    domains: Sequence[str],
    highlight: str | None = None,
    populations: pd.DataFrame | None = None,
    tolerance: float = 0.5,
    inspections: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Table 1 regenerated: per domain, the range across curated areas beside the published one.

    Columns: domain, domain_label, areas_curated, curated_lowest, curated_highest,
    curated_average, highlight_value, published_population (as published),
    published_period, published_count, published_lowest, published_highest,
    published_average, verdict, verdict_detail, consistent, published_source, published_in.

    `populations`: the population vocabulary (`reference("population")`); `inspections`: the
    inspections table, for the programme and publication date of each score. The areas that
    count are the population's members by the one membership rule
    (`reproduction.round_members`), and the verdict is the one verdict engine's
    (`reproduction.score_verdict`), the same as on the reproduction page: 'reproduced' only
    when the curated areas are the report's whole population and the lowest, highest and
    average agree within `tolerance` points (the reports round to whole percent);
    'consistent' when they agree but a value used, or the published range itself, was
    derived or inferred; 'differs' when they are the population and a value does not agree;
    'not reproducible yet' when areas are missing or the population is not enumerated; 'no
    published range' when the reports give none. Coverage is known when the population
    states its size or the report states how many areas it covers (statistic `count`).
    `consistent` says whether the curated values at least lie within the published lowest
    and highest. Domains in the order given; a domain with several published populations
    has a row for each.
    """
    points = cross_area_points(domain_scores, domains, highlight)
    by_code = read_populations(populations)
    if inspections is None:  # no programme or date known: every score is matched by its domain
        inspections = pd.DataFrame(
            {
                "inspection_id": domain_scores["inspection_id"].unique(),
                "programme": None,
                "published": None,
            }
        )
    scores = scored_organisations(domain_scores, inspections)
    rows = []
    for domain in domains:
        mine = points[_equals(points["domain"], domain)]
        labels = mine["domain_label"].dropna()
        published_labels = published_aggregates.loc[
            _equals(published_aggregates["domain"], domain), "domain_label"
        ].dropna()
        label = (
            labels.iloc[0]
            if len(labels)
            else published_labels.iloc[0]
            if len(published_labels)
            else domain
        )
        highlighted = mine.loc[mine["highlighted"], "percent"].dropna()
        published: list[dict | None] = [*_published_range(published_aggregates, domain)] or [None]
        if mine.empty and published == [None]:
            continue
        for pub in published:
            population = by_code.get(pub["population"]) if pub else None
            size = None if population is None else population.size
            members = score_members(
                pd.Series({"domain": domain, "organisation_type": None}), population, scores
            )
            counted = (
                mine[mine["organisation"].isin(set(members["organisation"]))]
                if population is not None
                else mine
            )
            curated = counted["percent"].astype("Float64").dropna().astype(float)
            verdict, detail, consistent = _range_verdict(pub, domain, population, scores, tolerance)
            outside = len(mine) - len(counted)
            if outside:
                detail += (
                    f"; {outside} curated score(s) of areas outside the population are left out"
                )
            values = pub["values"] if pub else {}
            rows.append(
                {
                    "domain": domain,
                    "domain_label": label,
                    "areas_curated": int(counted["organisation"].nunique()),
                    "curated_lowest": float(curated.min()) if len(curated) else None,
                    "curated_highest": float(curated.max()) if len(curated) else None,
                    "curated_average": float(curated.mean()) if len(curated) else None,
                    "highlight_value": float(highlighted.iloc[0]) if len(highlighted) else None,
                    "published_population": pub["label"] if pub else None,
                    "published_period": pub["period"] if pub else None,
                    "published_count": float(size) if size is not None else values.get("count"),
                    "published_lowest": values.get("lowest"),
                    "published_highest": values.get("highest"),
                    "published_average": values.get("average"),
                    "verdict": verdict,
                    "verdict_detail": detail,
                    "consistent": consistent,
                    "published_source": pub["source"] if pub else None,
                    "published_in": pub["inspections"] if pub else None,
                }
            )
    columns = [
        "domain",
        "domain_label",
        "areas_curated",
        "curated_lowest",
        "curated_highest",
        "curated_average",
        "highlight_value",
        "published_population",
        "published_period",
        "published_count",
        "published_lowest",
        "published_highest",
        "published_average",
        "verdict",
        "verdict_detail",
        "consistent",
        "published_source",
        "published_in",
    ]
    table = pd.DataFrame(rows, columns=columns)
    text = (
        "domain",
        "domain_label",
        "published_population",
        "published_period",
        "verdict",
        "verdict_detail",
        "published_source",
        "published_in",
    )
    dtypes = {c: "string" if c in text else "Float64" for c in columns}
    dtypes.update({"areas_curated": "Int64", "consistent": "boolean"})
    return table.astype(dtypes)
