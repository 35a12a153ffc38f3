"""CRC against NPS sufficiency by assessed need: the two tables aligned by need, with intervals."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from .intervals import (
    DENOMINATORS,
    Denominators,
    distinguishable_across_denominators,
    newcombe_difference,
    wilson_interval,
)
from .percentages import (
    Rounding,
    _count_at,
    _round,
    _scaled_percent,
    decimals_of,
    largest_denominator,
    published_percent,
    smallest_denominator,
)
from .select import _equals, for_inspection

#: The two organisations compared by the need-sufficiency tables of the 2016-2018 reports.
CRC, NPS = "CRC", "NPS"


#: Order in which aligned needs are listed: needs in both tables first.
PRESENCE_ORDER = ("both", "CRC only", "NPS only")


def align_need_sufficiency(need_sufficiency: pd.DataFrame, inspection_id: str) -> pd.DataFrame:
    """One row per assessed need, with the CRC and NPS tables of one inspection side by side.

    Columns: need, need_label_crc, need_label_nps, priority_rank_crc, priority_rank_nps,
    percent_crc, percent_nps, difference_pp (CRC minus NPS, in percentage points; missing when
    the need is in one table only), presence ('both', 'CRC only' or 'NPS only'), source_crc,
    source_nps. Needs in both tables come first, in the CRC table's order; then needs in one
    table only, each in its table's order.
    """
    rows = for_inspection(need_sufficiency, inspection_id)
    sides = []
    for kind in (CRC, NPS):
        side = rows[_equals(rows["organisation_type"], kind)]
        suffix = kind.lower()
        sides.append(
            side[
                ["need", "need_label", "priority_rank", "percent_sufficient", "source_locator"]
            ].rename(
                columns={
                    "need_label": f"need_label_{suffix}",
                    "priority_rank": f"priority_rank_{suffix}",
                    "percent_sufficient": f"percent_{suffix}",
                    "source_locator": f"source_{suffix}",
                }
            )
        )
    aligned = sides[0].merge(sides[1], on="need", how="outer")
    aligned["difference_pp"] = aligned["percent_crc"].astype("Float64") - aligned[
        "percent_nps"
    ].astype("Float64")
    in_crc, in_nps = aligned["percent_crc"].notna(), aligned["percent_nps"].notna()
    presence = pd.Series("both", index=aligned.index, dtype="string")
    presence[in_crc & ~in_nps] = "CRC only"
    presence[~in_crc & in_nps] = "NPS only"
    aligned["presence"] = presence
    aligned["_order"] = presence.map({p: i for i, p in enumerate(PRESENCE_ORDER)})
    aligned = aligned.sort_values(
        ["_order", "priority_rank_crc", "priority_rank_nps", "need"],
        na_position="last",
        kind="mergesort",
    )
    columns = [
        "need",
        "need_label_crc",
        "need_label_nps",
        "priority_rank_crc",
        "priority_rank_nps",
        "percent_crc",
        "percent_nps",
        "difference_pp",
        "presence",
        "source_crc",
        "source_nps",
    ]
    return aligned[columns].reset_index(drop=True)


def need_sufficiency_for(need_sufficiency: pd.DataFrame, inspection_id: str) -> pd.DataFrame:
    """One inspection's need tables as published: by organisation, in priority order."""
    rows = for_inspection(need_sufficiency, inspection_id)
    return rows.sort_values(
        ["organisation_type", "priority_rank", "need"], kind="mergesort"
    ).reset_index(drop=True)


def _whole_sample_interval(
    percent, cases, confidence: float = 0.95
) -> tuple[float, float] | tuple[None, None]:
    """Wilson interval (in percent) of a percentage read as a count of all `cases` cases.

    (None, None) when the percentage or the number of cases is unknown, or no cases.
    """
    if percent is None or cases is None or pd.isna(percent) or pd.isna(cases) or cases <= 0:
        return None, None
    k, n, _ = _counts_for(percent, int(cases), "whole_sample", "half_up")
    if k is None or n is None:
        return None, None
    low, high = wilson_interval(k, n, confidence)
    return low * 100, high * 100


def sample_sizes(organisations: pd.DataFrame, inspection_id: str) -> dict[str, int | None]:
    """Cases sampled per organisation type in one inspection ({'CRC': 40, 'NPS': 21})."""
    rows = for_inspection(organisations, inspection_id)
    sizes: dict[str, int | None] = {}
    for kind, group in rows.groupby("organisation_type", sort=True):
        cases = group["cases_sampled"].dropna()
        sizes[str(kind)] = int(cases.sum()) if len(cases) else None
    return sizes


def with_sample_intervals(
    aligned: pd.DataFrame, cases_crc: int | None, cases_nps: int | None
) -> pd.DataFrame:
    """Add the narrowest 95% interval each percentage could have, given the sample sizes.

    The reports give each need's percentage of the cases *with that need*, but not how many
    cases that was; it is at most the organisation's sample. The interval computed with the
    whole sample (columns low_crc, high_crc, low_nps, high_nps, in percent) is therefore the
    narrowest possible: the true uncertainty is wider. It is the Wilson interval of the nearest
    whole count of the sample, the one `need_differences(..., denominators="whole_sample")`
    uses. `intervals_overlap` says whether even these narrowest intervals overlap (then the two
    percentages cannot be told apart).
    """
    table = aligned.copy()
    for suffix, cases in (("crc", cases_crc), ("nps", cases_nps)):
        bounds = [_whole_sample_interval(p, cases) for p in table[f"percent_{suffix}"]]
        table[f"low_{suffix}"] = pd.array([b[0] for b in bounds], dtype="Float64")
        table[f"high_{suffix}"] = pd.array([b[1] for b in bounds], dtype="Float64")
    overlap = (table["low_crc"] <= table["high_nps"]) & (table["low_nps"] <= table["high_crc"])
    table["intervals_overlap"] = overlap.astype("boolean")
    return table


def align_need_sufficiency_all(need_sufficiency: pd.DataFrame) -> pd.DataFrame:
    """`align_need_sufficiency` for every inspection with both a CRC and an NPS table.

    One row per inspection and need, with `inspection_id` first; inspections in id order.
    """
    frames = []
    for inspection_id, rows in need_sufficiency.groupby("inspection_id", sort=True):
        kinds = set(rows["organisation_type"].dropna())
        if {CRC, NPS} <= kinds:
            aligned = align_need_sufficiency(rows, str(inspection_id))
            aligned.insert(0, "inspection_id", str(inspection_id))
            frames.append(aligned)
    if not frames:
        empty = align_need_sufficiency(need_sufficiency.iloc[0:0], "")
        empty.insert(0, "inspection_id", pd.Series(dtype="string"))
        return empty
    return pd.concat(frames, ignore_index=True)


def need_difference_summary(aligned_all: pd.DataFrame) -> pd.DataFrame:
    """Per need, across inspections: how often CRC or NPS was higher, and the differences.

    Only needs listed in both tables of an inspection count. Columns: need, inspections,
    crc_higher, nps_higher, equal, lowest_difference_pp, highest_difference_pp,
    median_difference_pp. Sorted by number of inspections (most first), then need.
    """
    both = aligned_all[_equals(aligned_all["presence"], "both")]
    rows = []
    for need, group in both.groupby("need", sort=True):
        diff = group["difference_pp"].astype("Float64").dropna()
        rows.append(
            {
                "need": need,
                "inspections": int(group["inspection_id"].nunique()),
                "crc_higher": int((diff > 0).sum()),
                "nps_higher": int((diff < 0).sum()),
                "equal": int((diff == 0).sum()),
                "lowest_difference_pp": float(diff.min()) if len(diff) else None,
                "highest_difference_pp": float(diff.max()) if len(diff) else None,
                "median_difference_pp": float(diff.median()) if len(diff) else None,
            }
        )
    columns = [
        "need",
        "inspections",
        "crc_higher",
        "nps_higher",
        "equal",
        "lowest_difference_pp",
        "highest_difference_pp",
        "median_difference_pp",
    ]
    summary = pd.DataFrame(rows, columns=columns)
    summary = summary.astype(
        {
            "need": "string",
            "inspections": "Int64",
            "crc_higher": "Int64",
            "nps_higher": "Int64",
            "equal": "Int64",
            "lowest_difference_pp": "Float64",
            "highest_difference_pp": "Float64",
            "median_difference_pp": "Float64",
        }
    )
    summary = summary.sort_values(
        ["inspections", "need"], ascending=[False, True], kind="mergesort"
    )
    return summary.reset_index(drop=True)


def _cases_sampled(organisations: pd.DataFrame, inspection_id: str, kind: str) -> int | None:
    rows = for_inspection(organisations, inspection_id)
    cases = rows.loc[rows["organisation_type"].eq(kind).fillna(False), "cases_sampled"]
    cases = cases.dropna()
    return int(cases.sum()) if len(cases) else None


def _counts_for(
    percent, max_n: int | None, denominators: Denominators, rounding: Rounding
) -> tuple[int | None, int | None, bool | None]:
    """(k, n, k/n prints as the published percentage) under the chosen denominator rule."""
    if max_n is None or pd.isna(percent) or max_n < 1:
        return None, None, None
    decimals = decimals_of(percent)
    if denominators == "whole_sample":
        n = max_n
        scale = 10**decimals
        k = _round(Fraction(_scaled_percent(percent, decimals) * n, 100 * scale), rounding)
        return k, n, published_percent(k, n, rounding, decimals) == float(percent)
    pick = smallest_denominator if denominators == "smallest" else largest_denominator
    picked = pick(percent, max_n, rounding, decimals)
    if picked is None:
        return None, None, False
    return _count_at(percent, picked, rounding, decimals), picked, True


def need_differences(
    need_sufficiency: pd.DataFrame,
    organisations: pd.DataFrame,
    inspection_id: str,
    denominators: Denominators = "smallest",
    confidence: float = 0.95,
    rounding: Rounding = "half_up",
) -> pd.DataFrame:
    """CRC minus NPS sufficiency per need listed by both, with intervals, in CRC table order.

    Each percentage is read as k of n cases, n bounded by the organisation's `cases_sampled`:
    - 'smallest' (default): the smallest n that prints as the published percentage, the
      cautious reading (widest intervals) since the number of cases with the need is unknown;
    - 'largest': the largest such n, the most optimistic reading that still reproduces the
      published figure;
    - 'whole_sample': n = the whole sample and k = percent * n / 100 rounded; this may not
      reproduce the published figure (54% of 40 cases is not a whole number of cases), which
      `reproduces_published` records.

    Columns: need, percent_crc, percent_nps, difference_pp (published, CRC minus NPS),
    cases_sampled_crc, cases_sampled_nps, k_crc, n_crc, k_nps, n_nps, low_crc, high_crc,
    low_nps, high_nps (Wilson, in percent), estimate_pp (100 * (k_crc/n_crc - k_nps/n_nps)),
    diff_low_pp, diff_high_pp (Newcombe, in percentage points), distinguishable (the
    Newcombe interval excludes 0), reproduces_published, distinguishable_pairs and
    denominator_pairs (of all pairs of denominators consistent with both percentages, how
    many make the difference distinguishable: the verdict's dependence on the unknown
    denominators; the same under every rule), denominators. Intervals assume the
    CRC and NPS cases are independent samples; they are missing when a sample size is not
    curated or no count gives the published figure.
    """
    if denominators not in DENOMINATORS:
        raise ValueError(f"denominators must be one of {DENOMINATORS}, not {denominators!r}")
    aligned = align_need_sufficiency(need_sufficiency, inspection_id)
    aligned = aligned[aligned["presence"].eq("both").fillna(False)]
    samples = {kind: _cases_sampled(organisations, inspection_id, kind) for kind in (CRC, NPS)}
    rows = []
    for need, pc, pn in zip(
        aligned["need"], aligned["percent_crc"], aligned["percent_nps"], strict=True
    ):
        row = {
            "need": need,
            "percent_crc": pc,
            "percent_nps": pn,
            "difference_pp": float(pc) - float(pn),
            "cases_sampled_crc": samples[CRC],
            "cases_sampled_nps": samples[NPS],
        }
        kc, nc, ok_c = _counts_for(pc, samples[CRC], denominators, rounding)
        kn, nn, ok_n = _counts_for(pn, samples[NPS], denominators, rounding)
        row.update(
            k_crc=kc,
            n_crc=nc,
            k_nps=kn,
            n_nps=nn,
            reproduces_published=None if ok_c is None or ok_n is None else bool(ok_c and ok_n),
        )
        if kc is not None and nc is not None and kn is not None and nn is not None:
            low_c, high_c = wilson_interval(kc, nc, confidence)
            low_n, high_n = wilson_interval(kn, nn, confidence)
            diff = newcombe_difference(kc, nc, kn, nn, confidence)
            row.update(
                low_crc=100 * low_c,
                high_crc=100 * high_c,
                low_nps=100 * low_n,
                high_nps=100 * high_n,
                estimate_pp=100 * diff.difference,
                diff_low_pp=100 * diff.low,
                diff_high_pp=100 * diff.high,
                distinguishable=diff.excludes_zero,
            )
        cases_crc, cases_nps = samples[CRC], samples[NPS]
        if cases_crc and cases_nps:
            hits, pairs = distinguishable_across_denominators(
                pc, cases_crc, pn, cases_nps, confidence, rounding
            )
            row.update(distinguishable_pairs=hits, denominator_pairs=pairs)
        rows.append(row)
    columns = [
        "need",
        "percent_crc",
        "percent_nps",
        "difference_pp",
        "cases_sampled_crc",
        "cases_sampled_nps",
        "k_crc",
        "n_crc",
        "k_nps",
        "n_nps",
        "low_crc",
        "high_crc",
        "low_nps",
        "high_nps",
        "estimate_pp",
        "diff_low_pp",
        "diff_high_pp",
        "distinguishable",
        "reproduces_published",
        "distinguishable_pairs",
        "denominator_pairs",
    ]
    table = pd.DataFrame(rows, columns=columns)
    dtypes = {c: "Float64" for c in columns}
    dtypes.update(
        {
            c: "Int64"
            for c in (
                "cases_sampled_crc",
                "cases_sampled_nps",
                "k_crc",
                "n_crc",
                "k_nps",
                "n_nps",
                "distinguishable_pairs",
                "denominator_pairs",
            )
        }
    )
    dtypes.update(need="string", distinguishable="boolean", reproduces_published="boolean")
    table = table.astype(dtypes)
    table["denominators"] = pd.array([denominators] * len(table), dtype="string")
    return table.reset_index(drop=True)


#: The readings of a need's unknown number of cases, in words for readers.
READINGS: dict[str, str] = {
    "smallest": "cautious: fewest cases",
    "largest": "optimistic: most cases",
    "whole_sample": "every sampled case had the need",
}


def need_differences_compared(
    need_sufficiency: pd.DataFrame,
    organisations: pd.DataFrame,
    inspection_id: str,
    confidence: float = 0.95,
    rounding: Rounding = "half_up",
    denominators: tuple[Denominators, ...] = DENOMINATORS,
) -> pd.DataFrame:
    """`need_differences` under each denominator rule, stacked (column `denominators`).

    For a report that shows the cautious and the optimistic reading side by side: a
    difference distinguishable only under 'largest' or 'whole_sample' rests on the
    assumption that nearly every sampled case had the need. Beside `need_differences`'
    columns: `reading` (the rule in words, READINGS), `crc_cases` and `nps_cases` ("k/n":
    cases sufficient of cases with the need), `interval` ("-3 to +41 pp"). Empty when the
    sample of either organisation is not curated (no reading can bound the counts).
    """
    if any(_cases_sampled(organisations, inspection_id, kind) is None for kind in (CRC, NPS)):
        return pd.DataFrame()
    frames = [
        need_differences(need_sufficiency, organisations, inspection_id, rule, confidence, rounding)
        for rule in denominators
    ]
    table = pd.concat(frames, ignore_index=True)
    table["reading"] = table["denominators"].map(READINGS).astype("string")
    table["crc_cases"] = _fractions(table["k_crc"], table["n_crc"])
    table["nps_cases"] = _fractions(table["k_nps"], table["n_nps"])
    table["interval"] = pd.array(
        [
            None if pd.isna(lo) or pd.isna(hi) else f"{lo:+.0f} to {hi:+.0f} pp"
            for lo, hi in zip(table["diff_low_pp"], table["diff_high_pp"], strict=True)
        ],
        dtype="string",
    )
    return table


def _fractions(counts: pd.Series, totals: pd.Series) -> pd.Series:
    return pd.Series(
        [
            None if pd.isna(k) or pd.isna(n) else f"{k}/{n}"
            for k, n in zip(counts, totals, strict=True)
        ],
        index=counts.index,
        dtype="string",
    )


def distinguishable_needs(compared: pd.DataFrame, denominators: Denominators) -> list[str]:
    """The needs whose difference is distinguishable from zero under one reading of
    `need_differences_compared`, in its order."""
    if compared.empty:
        return []
    rows = compared[compared["denominators"] == denominators]
    return rows.loc[rows["distinguishable"].fillna(False).astype(bool), "need"].tolist()


def inspection_to_compare(
    need_sufficiency: pd.DataFrame, inspections: pd.DataFrame, inspection_id: str
) -> tuple[str, str | None]:
    """The inspection a CRC against NPS report shows, and a note when it is not the one asked
    for: `inspection_id` when it is curated and valid; otherwise the first (by id) with both a
    CRC and an NPS need table, or `inspection_id` still when none has both."""
    if len(for_inspection(inspections, inspection_id)):
        return inspection_id, None
    kinds = need_sufficiency.groupby("inspection_id")["organisation_type"].agg(set)
    both = sorted(i for i, k in kinds.items() if {CRC, NPS} <= set(k))
    missing = f"{inspection_id} is not among the curated inspections that passed validation; "
    if both:
        return both[0], missing + f"showing {both[0]} instead."
    return inspection_id, missing + "no curated inspection has both a CRC and an NPS need table."


def areas_compared(need_sufficiency: pd.DataFrame, inspections: pd.DataFrame) -> str:
    """How far the CRC against NPS comparison reaches, for its title: '1 area curated so far'
    (the areas of the inspections with both a CRC and an NPS need table)."""
    from ..report.text import count_words

    kinds = need_sufficiency.groupby("inspection_id")["organisation_type"].agg(set)
    both = [i for i, k in kinds.items() if {CRC, NPS} <= set(k)]
    areas = inspections.loc[inspections["inspection_id"].isin(both), "area"].nunique()
    return f"{count_words(areas, 'area')} curated so far"
