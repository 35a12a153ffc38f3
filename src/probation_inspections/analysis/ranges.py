"""Cross-area ranges (Table 1 of the 2016-2017 reports): lowest, highest and average scores
across the curated areas, beside the ranges the reports published, with a verdict."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from .select import _equals

#: Statistics of `published_aggregates` that describe a range of areas.
RANGE_STATISTICS = ("lowest", "highest", "average", "count")


def programme_domains(domains: pd.DataFrame, programme: str) -> list[str]:
    """Domain codes of a programme (`reference("domain")`), in the vocabulary's `order`."""
    if "programme" not in domains.columns:
        return [str(d) for d in domains["domain"].dropna()
                if str(d).startswith(f"{programme}_")]
    rows = domains[_equals(domains["programme"], programme)]
    if "order" in rows.columns:
        order = pd.to_numeric(rows["order"], errors="coerce")
        rows = rows.assign(_order=order).sort_values(["_order", "domain"], kind="mergesort",
                                                     na_position="last")
    return [str(d) for d in rows["domain"]]


def cross_area_points(domain_scores: pd.DataFrame, domains: Sequence[str],
                      highlight: str | None = None) -> pd.DataFrame:
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
    columns = ["domain", "domain_label", "organisation", "organisation_label",
               "organisation_type", "percent", "period", "inspection_id", "source_locator",
               "source_url", "highlighted"]
    return points[columns].reset_index(drop=True)


def population_sizes(populations: pd.DataFrame | None) -> dict[str, dict]:
    """{population code: {"size": int | None, "members": list | None, ...}} from the
    population vocabulary (`reference("population")`).

    Its `members` column holds either the number of members (the source says how many areas
    or services it covers, not which) or their organisation codes separated by ';', ',' or
    spaces (the population is enumerated). `programme` and `organisation_types` ('CRC|NPS')
    are kept to find the curated ratings a published count is about.
    """
    if populations is None or "population" not in populations.columns:
        return {}
    found: dict[str, dict] = {}
    for row in populations.to_dict("records"):
        code = row.get("population")
        if code is None or pd.isna(code):
            continue
        listed = row.get("members")
        size, members = None, None
        if listed is not None and not pd.isna(listed):
            text = str(listed).strip()
            if re.fullmatch(r"[0-9]+", text):
                size = int(text)
            else:
                members = sorted({m for m in re.split(r"[;,\s]+", text) if m})
                size = len(members)
        types = row.get("organisation_types")
        programme = row.get("programme")
        found[str(code)] = {
            "size": size, "members": members,
            "label": None if pd.isna(row.get("label")) else row.get("label"),
            "programme": None if programme is None or pd.isna(programme) else str(programme),
            "organisation_types": ([] if types is None or pd.isna(types)
                                   else [t for t in str(types).split("|") if t]),
        }
    return found


def _published_range(published_aggregates: pd.DataFrame, domain: str) -> list[dict]:
    """The ranges the reports publish for a domain: one dict per (population, period)."""
    table = published_aggregates
    if "population" not in table.columns and "population_label" in table.columns:
        table = table.assign(population=table["population_label"])
    if "population_label" not in table.columns:
        table = table.assign(population_label=table["population"])
    rows = table[_equals(table["domain"], domain)
                 & table["statistic"].isin(RANGE_STATISTICS).fillna(False)]
    ranges = []
    for (population, period), group in rows.groupby(["population", "period"], sort=True):
        values = {str(s): float(v) for s, v in zip(group["statistic"], group["value"],
                                                     strict=True) if not pd.isna(v)}
        labels = sorted(set(group["population_label"].dropna())) or [str(population)]
        locators = sorted(set(group["source_locator"].dropna()))
        inspections = sorted(set(group["inspection_id"].dropna()))
        ranges.append({"population": str(population), "label": labels[0],
                       "period": str(period), "values": values,
                       "source": ", ".join(locators), "inspections": ", ".join(inspections)})
    return ranges


def _whole(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _range_verdict(curated: pd.Series, published: dict | None, tolerance: float,
                   size: int | None = None,
                   missing: list[str] | None = None) -> tuple[str, str, bool | None]:
    """(verdict, explanation, consistent) for one domain's curated values and published range.

    `curated`: the curated values of areas in the population (all curated areas when the
    population's members are not known); `size`: how many areas the population has, when the
    vocabulary says; `missing`: members not curated, when the vocabulary lists them.
    """
    n = len(curated)
    if published is None:
        return ("no published range", "the curated reports publish no range for this domain",
                None)
    values, population = published["values"], published["label"]
    lowest, highest = values.get("lowest"), values.get("highest")
    consistent = None
    if n and lowest is not None and highest is not None:
        consistent = bool(((curated >= lowest) & (curated <= highest)).all())
    if n == 0:
        return ("not reproducible yet",
                f"no area of the report's population ({population}) is curated for this "
                "domain", consistent)
    within = ("" if consistent is None else
              "; every curated value lies within the published range" if consistent else
              "; a curated value lies outside the published range")
    count = values.get("count")
    if size is not None:
        count = float(size)
    if count is None:
        single = ("only 1 area is curated, so the curated 'range' is a single value, not a "
                  "range" if n == 1 else f"{n} areas are curated")
        return ("not reproducible yet",
                f"{single}; the report's population ({population}) is not enumerated, so "
                f"which areas are missing is not known{within}", consistent)
    if n < count:
        named = ""
        if missing:
            shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more"
                                              if len(missing) > 5 else "")
            named = f" (missing: {shown})"
        return ("not reproducible yet",
                f"{n} of the {_whole(count)} areas of the report's population ({population}) "
                f"are curated{named}{within}", consistent)
    if n > count:
        return ("differs",
                f"{n} areas are curated but the report's population ({population}) has "
                f"{_whole(count)}: the curated areas are not that population", consistent)
    ours = {"lowest": float(curated.min()), "highest": float(curated.max()),
            "average": float(curated.mean())}
    differences = []
    for statistic in ("lowest", "highest", "average"):
        theirs = values.get(statistic)
        if theirs is None:
            continue
        gap = ours[statistic] - theirs
        if abs(gap) > tolerance:
            differences.append(f"{statistic} {_whole(ours[statistic])} curated against "
                               f"{_whole(theirs)} published ({gap:+.1f} points)")
    if differences:
        return "differs", "; ".join(differences), consistent
    return ("reproduced",
            f"all {n} areas of the report's population ({population}) are curated and the "
            "lowest, highest and average match", consistent)


def cross_area_ranges(domain_scores: pd.DataFrame, published_aggregates: pd.DataFrame,
                      domains: Sequence[str], highlight: str | None = None,
                      populations: pd.DataFrame | None = None,
                      tolerance: float = 0.5) -> pd.DataFrame:
    """Table 1 regenerated: per domain, the range across curated areas beside the published one.

    Columns: domain, domain_label, areas_curated, curated_lowest, curated_highest,
    curated_average, highlight_value, published_population (as published),
    published_period, published_count, published_lowest, published_highest,
    published_average, verdict, verdict_detail, consistent, published_source, published_in.

    `populations`: the population vocabulary (`reference("population")`). When it lists a
    population's members, only curated areas among them count, and the missing ones are
    named; otherwise every curated area counts and coverage is known only if the report
    states how many areas it covers (statistic `count`).

    The verdict is 'reproduced' only when the curated areas are the report's whole population
    and the lowest, highest and average agree within `tolerance` points (the reports round to
    whole percent); 'differs' when they are the population and a value does not agree;
    'not reproducible yet' when areas are missing or the population is not enumerated; 'no
    published range' when the reports give none. `consistent` says whether the curated values
    at least lie within the published lowest and highest. Domains in the order given; a
    domain with several published populations has a row for each.
    """
    points = cross_area_points(domain_scores, domains, highlight)
    sizes = population_sizes(populations)
    rows = []
    for domain in domains:
        mine = points[_equals(points["domain"], domain)]
        labels = mine["domain_label"].dropna()
        published_labels = published_aggregates.loc[
            _equals(published_aggregates["domain"], domain), "domain_label"].dropna()
        label = (labels.iloc[0] if len(labels) else
                 published_labels.iloc[0] if len(published_labels) else domain)
        highlighted = mine.loc[mine["highlighted"], "percent"].dropna()
        published: list[dict | None] = [*_published_range(published_aggregates, domain)] or [None]
        if mine.empty and published == [None]:
            continue
        for pub in published:
            known = sizes.get(pub["population"], {}) if pub else {}
            members, size = known.get("members"), known.get("size")
            counted = mine if members is None else mine[mine["organisation"].isin(members)]
            missing = (None if members is None else
                       [m for m in members if m not in set(counted["organisation"])])
            curated = counted["percent"].astype("Float64").dropna().astype(float)
            verdict, detail, consistent = _range_verdict(curated, pub, tolerance, size,
                                                         missing)
            outside = len(mine) - len(counted)
            if outside:
                detail += (f"; {outside} curated score(s) of areas outside the population "
                           "are left out")
            values = pub["values"] if pub else {}
            rows.append({
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
            })
    columns = ["domain", "domain_label", "areas_curated", "curated_lowest", "curated_highest",
               "curated_average", "highlight_value", "published_population",
               "published_period", "published_count", "published_lowest",
               "published_highest", "published_average", "verdict", "verdict_detail",
               "consistent", "published_source", "published_in"]
    table = pd.DataFrame(rows, columns=columns)
    text = ("domain", "domain_label", "published_population", "published_period", "verdict",
            "verdict_detail", "published_source", "published_in")
    dtypes = {c: "string" if c in text else "Float64" for c in columns}
    dtypes.update({"areas_curated": "Int64", "consistent": "boolean"})
    return table.astype(dtypes)
