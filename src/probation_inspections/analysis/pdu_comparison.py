"""Across the PDUs and regions of the 2021- programme: headline case-sample shares with their
Wilson intervals where the sample size is known, overall and standards ratings, by region.

Pure functions over `load("judgements")`, `load("ratings")`, `load("organisations")`,
`load("inspections")` and `reference("organisation")` (whose `region` column places a PDU in its
region). A headline share is a judgement with a published percentage or an exact count and
denominator; a worded judgement ("less than half") is not a share and is left to the profiles.
"""

from __future__ import annotations

import pandas as pd

from .intervals import wilson_interval
from .ratings import overall_ratings, standard_ratings
from .select import _equals, blank

PROGRAMME = "probation_service_2021"
#: Organisations whose inspections the comparison sets side by side.
AREA_TYPES = ("PDU", "Region", "National")
#: Ratings below Good on the four-point scale.
BELOW_GOOD = ("requires_improvement", "inadequate")

#: Why a share has, or lacks, an interval.
EXACT, FROM_PERCENT, NO_SAMPLE = (
    "exact count",
    "count recovered from the percentage and the sample",
    "sample size not known",
)

SHARE_COLUMNS = [
    "inspection_id",
    "published",
    "region",
    "region_label",
    "organisation_type",
    "organisation",
    "organisation_label",
    "aspect",
    "direction",
    "base",
    "percent",
    "count",
    "denominator",
    "interval_low",
    "interval_high",
    "interval_basis",
    "certainty",
    "source_locator",
    "source_url",
]


def _programme_inspections(inspections: pd.DataFrame, programme: str) -> pd.DataFrame:
    chosen = _equals(inspections["programme"], programme) & _equals(
        inspections["kind"], "inspection"
    )
    return inspections[chosen]


def organisation_regions(organisations_reference: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """{organisation code: (region code, region label)}: a PDU's region (the `region` column of
    reference/organisations.csv), a region itself; national bodies have none."""
    labels = dict(
        zip(organisations_reference["organisation"], organisations_reference["label"], strict=True)
    )
    regions: dict[str, tuple[str, str]] = {}
    for row in organisations_reference.to_dict("records"):
        code, kind = row["organisation"], row.get("organisation_type")
        if kind == "Region":
            regions[code] = (code, str(row["label"]))
        elif not blank(row.get("region")):
            region = str(row["region"])
            regions[code] = (region, str(labels.get(region, region)))
    return regions


def recovered_count(percent: float, n: int) -> int | None:
    """The count of `n` cases whose share prints as `percent` (rounded to its written
    precision), the nearest to percent x n / 100; None when no count of n prints so."""
    written = f"{float(percent):g}"
    decimals = len(written.split(".")[1]) if "." in written else 0
    tolerance = 0.5 * 10 ** (-decimals) + 1e-9
    nearest = round(float(percent) * n / 100)
    for k in sorted(
        range(max(0, nearest - 1), min(n, nearest + 1) + 1), key=lambda k: abs(k - nearest)
    ):
        if abs(100 * k / n - float(percent)) <= tolerance:
            return k
    return None


def _interval(percent, count, denominator, confidence: float):
    """(share in percent, low, high, basis) of one judgement; low and high missing without
    a sample size."""
    if not blank(count) and not blank(denominator) and 0 <= int(count) <= int(denominator):
        k, n = int(count), int(denominator)
        low, high = wilson_interval(k, n, confidence)
        return 100 * k / n, 100 * low, 100 * high, EXACT
    if blank(percent):
        return None, None, None, None
    if not blank(denominator) and int(denominator) >= 1:
        recovered = recovered_count(float(percent), int(denominator))
        if recovered is not None:
            low, high = wilson_interval(recovered, int(denominator), confidence)
            return float(percent), 100 * low, 100 * high, FROM_PERCENT
    return float(percent), None, None, NO_SAMPLE


def headline_shares(
    judgements: pd.DataFrame,
    inspections: pd.DataFrame,
    organisations: pd.DataFrame,
    organisations_reference: pd.DataFrame,
    programme: str = PROGRAMME,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Every headline case-sample share of the programme's PDU, regional and national
    inspections: its percentage (published, or from the exact count), and the Wilson interval
    (in percent) where the sample size is known.

    A share given with its count and denominator is exact; a percentage with a known
    denominator has the interval of the count that prints as that percentage; a percentage
    alone keeps its interval missing (`interval_basis` says which). Columns: SHARE_COLUMNS;
    sorted by aspect, then by share.
    """
    chosen = _programme_inspections(inspections, programme)
    rows = judgements[judgements["inspection_id"].isin(chosen["inspection_id"])]
    rows = rows[rows["organisation_type"].isin(AREA_TYPES).fillna(False)]
    percent = rows["percent"] if "percent" in rows else pd.Series(pd.NA, index=rows.index)
    exact = rows["count"].notna() & rows["denominator"].notna()
    rows = rows[(percent.notna() | exact).fillna(False)]
    named = organisations[
        ["inspection_id", "organisation_type", "organisation", "organisation_label"]
    ].drop_duplicates(["inspection_id", "organisation_type"])
    rows = rows.merge(named, on=["inspection_id", "organisation_type"], how="left")
    rows = rows.merge(chosen[["inspection_id", "published"]], on="inspection_id", how="left")
    regions = organisation_regions(organisations_reference)
    out = []
    for row in rows.to_dict("records"):
        share, low, high, basis = _interval(
            row.get("percent"), row.get("count"), row.get("denominator"), confidence
        )
        region, region_label = regions.get(row.get("organisation"), (None, None))
        out.append(
            {
                **{c: row.get(c) for c in SHARE_COLUMNS},
                "percent": share,
                "interval_low": low,
                "interval_high": high,
                "interval_basis": basis,
                "region": region,
                "region_label": region_label,
            }
        )
    table = pd.DataFrame(out, columns=SHARE_COLUMNS)
    for column in ("percent", "interval_low", "interval_high"):
        table[column] = pd.array(table[column], dtype="Float64")
    for column in ("count", "denominator"):
        table[column] = pd.array(table[column], dtype="Int64")
    table = table.sort_values(["aspect", "percent", "inspection_id"], kind="mergesort")
    return table.reset_index(drop=True)


def share_summary(shares: pd.DataFrame) -> dict[str, int]:
    """How many shares, of how many inspections, have an interval; and how many of the shares
    of work done well (direction sufficient) are below one half."""
    sufficient = shares[_equals(shares["direction"], "sufficient")]
    return {
        "shares": len(shares),
        "inspections": int(shares["inspection_id"].nunique()),
        "with_interval": int(shares["interval_low"].notna().sum()),
        "sufficient": len(sufficient),
        "sufficient_below_half": int((sufficient["percent"] < 50).fillna(False).sum()),
        "sufficient_wholly_below_half": int((sufficient["interval_high"] < 50).fillna(False).sum()),
    }


def area_ratings(
    ratings: pd.DataFrame,
    inspections: pd.DataFrame,
    organisations_reference: pd.DataFrame,
    programme: str = PROGRAMME,
) -> pd.DataFrame:
    """The overall rating of every PDU, region and national body the programme inspected, with
    its region; columns of `ratings.overall_ratings` plus region and region_label."""
    chosen = _programme_inspections(inspections, programme)
    overall = overall_ratings(ratings, chosen, programme)
    overall = overall[overall["organisation_type"].isin(AREA_TYPES).fillna(False)]
    regions = organisation_regions(organisations_reference)
    overall = overall.assign(
        region=[regions.get(o, (None, None))[0] for o in overall["organisation"]],
        region_label=[regions.get(o, (None, None))[1] for o in overall["organisation"]],
    )
    return overall.astype({"region": "string", "region_label": "string"}).reset_index(drop=True)


def ratings_by_region(overall: pd.DataFrame, scale: pd.DataFrame) -> pd.DataFrame:
    """Overall ratings counted by region (rows) and rating (columns, best first), with the
    number below Good; national bodies are counted under "National"."""
    ordered = scale.sort_values("rank")
    ordered = ordered[ordered["rating"].isin(overall["rating"])]
    labels = overall["region_label"].fillna("National")
    counts = pd.crosstab(labels, overall["rating"]).reindex(columns=ordered["rating"], fill_value=0)
    counts.columns = list(ordered["label"])
    counts["Rated"] = counts.sum(axis=1)
    counts["Below Good"] = (
        overall.groupby(labels)["rating"]
        .apply(lambda r: int(r.isin(BELOW_GOOD).sum()))
        .reindex(counts.index, fill_value=0)
    )
    counts.index.name = "Region"
    return counts.reset_index().astype({c: "Int64" for c in counts.columns})


def standards_grid(
    ratings: pd.DataFrame,
    inspections: pd.DataFrame,
    standards_reference: pd.DataFrame,
    programme: str = PROGRAMME,
) -> pd.DataFrame:
    """One row per inspected organisation, one column per standard (in the framework's order):
    the rating code of each standard the report gives (missing where none is curated)."""
    chosen = _programme_inspections(inspections, programme)
    rows = standard_ratings(ratings, chosen, programme)
    rows = rows[rows["organisation_type"].isin(AREA_TYPES).fillna(False)]
    if rows.empty:
        return pd.DataFrame(columns=["inspection_id", "organisation_label"])
    grid = rows.pivot_table(
        index=["inspection_id", "published", "organisation_label"],
        columns="standard",
        values="rating",
        aggfunc="first",
    )
    known = standards_reference[standards_reference["standard"].isin(grid.columns)]
    order = list(known["standard"]) + [s for s in grid.columns if s not in set(known["standard"])]
    grid = grid[order].reset_index()
    grid.columns.name = None
    return grid.sort_values(["published", "inspection_id"], kind="mergesort").reset_index(drop=True)


def since(overall: pd.DataFrame, month: str, organisation_type: str = "PDU") -> dict[str, int]:
    """Of the organisations of `organisation_type` whose report was published in `month`
    (YYYY-MM) or later: how many are rated, and how many below Good."""
    published = overall["published"].astype("string").str.slice(0, 7)
    rows = overall[_equals(overall["organisation_type"], organisation_type) & (published >= month)]
    return {
        "rated": len(rows),
        "below_good": int(rows["rating"].isin(BELOW_GOOD).sum()),
    }


def finding_title(shares: pd.DataFrame, overall: pd.DataFrame) -> str:
    """The page's title, stating its finding from the numbers."""
    summary = share_summary(shares)
    if overall.empty:
        return "No rated PDU, regional or national inspection of the programme is curated yet"
    below = int(overall["rating"].isin(BELOW_GOOD).sum())
    parts = [
        f"{below} of {len(overall)} PDU, regional and national inspections since 2021 rated "
        "below Good"
    ]
    if summary["sufficient"]:
        parts.append(
            f"{summary['sufficient_below_half']} of {summary['sufficient']} headline shares of "
            "work done well were under half the cases"
        )
    return "; ".join(parts)


REGION_COLUMNS = [
    "region",
    "region_label",
    "coverage",
    "pdu_inspections_rated",
    "pdu_inspections_below_good",
    "regional_rating",
    "headline_shares",
]


def by_region(coverage: pd.DataFrame, overall: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """One row per region of the register (`coverage.pdu_coverage`, with its total row last):
    its PDUs inspected ("4 of 8 PDUs inspected"), the programme's rated PDU inspections there
    and how many were rated below Good, the region's own overall rating where inspected, and
    the headline shares curated for it and its PDUs."""
    regions_in_register = int(coverage["region"].notna().sum())
    pdus = overall[_equals(overall["organisation_type"], "PDU")]
    regions = overall[_equals(overall["organisation_type"], "Region")]
    rows = []
    for row in coverage.to_dict("records"):
        region = row["region"]
        everywhere = blank(region)
        mine = pdus if everywhere else pdus[_equals(pdus["region"], region)]
        own = regions if everywhere else regions[_equals(regions["region"], region)]
        share_rows = shares if everywhere else shares[_equals(shares["region"], region)]
        rows.append(
            {
                "region": None if everywhere else region,
                "region_label": row["region_label"],
                "coverage": row["coverage"],
                "pdu_inspections_rated": len(mine),
                "pdu_inspections_below_good": int(mine["rating"].isin(BELOW_GOOD).sum()),
                "regional_rating": (
                    f"{own['organisation'].nunique()} of {regions_in_register} regions rated, "
                    f"{int(own['rating'].isin(BELOW_GOOD).sum())} below Good"
                    if everywhere
                    else ", ".join(own["rating_label"].astype(str)) or None
                ),
                "headline_shares": len(share_rows),
            }
        )
    table = pd.DataFrame(rows, columns=REGION_COLUMNS)
    return table.astype(
        {
            "region": "string",
            "region_label": "string",
            "coverage": "string",
            "pdu_inspections_rated": "Int64",
            "pdu_inspections_below_good": "Int64",
            "regional_rating": "string",
            "headline_shares": "Int64",
        }
    )
