"""Analysis of the curated tables: pure functions from DataFrames to DataFrames.

Every function takes the tables `probation_inspections.load` returns (columns as in `schema`)
and returns a new, sorted DataFrame (or a short list of texts); nothing is read from disk and
nothing is drawn here, so that the notebooks stay thin and the numbers they show come from
code that is tested on its own (tests/test_analysis.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

#: The two organisations compared by the need-sufficiency tables of the 2016-2018 reports.
CRC, NPS = "CRC", "NPS"
#: Order in which aligned needs are listed: needs in both tables first.
PRESENCE_ORDER = ("both", "CRC only", "NPS only")
#: z for a two-sided 95% interval.
Z_95 = 1.959963984540054
#: Statistics of `published_aggregates` that describe a range of areas.
RANGE_STATISTICS = ("lowest", "highest", "average", "count")
#: Words that mark a key fact or judgement as a finding about workloads.
WORKLOAD_PATTERN = r"caseload|workload|vacanc|staffing|sickness|turnover"

#: Units that need no word after the number ("21", not "21 count").
UNITLESS = ("count", "ordinal", "number", "rank", "ratio")
#: Abbreviations written in capitals when a snake_case measure is put into words.
ACRONYMS = {"crc": "CRC", "crcs": "CRCs", "nps": "NPS", "pdu": "PDU", "pdus": "PDUs",
            "mappa": "MAPPA", "rar": "RAR", "rars": "RARs", "fte": "FTE", "moj": "MoJ",
            "hmpps": "HMPPS", "noms": "NOMS", "psr": "PSR", "psrs": "PSRs", "ttg": "TTG",
            "oasys": "OASys", "uk": "UK", "iom": "IOM", "rrp": "RRP", "bbr": "BBR",
            "ete": "ETE", "ldu": "LDU"}

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


# --- Selecting and describing --------------------------------------------------------------


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


def format_date(value) -> str | None:
    """'2017-01-12' -> '12 January 2017', '2016-09' -> 'September 2016'; other text unchanged."""
    if value is None or pd.isna(value):
        return None
    text = str(value)
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?", text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return text
    year, month, day = match.group(1), _MONTHS[int(match.group(2)) - 1], match.group(3)
    return f"{int(day)} {month} {year}" if day else f"{month} {year}"


def words(code) -> str | None:
    """A snake_case code in words: 'crcs_inspected_since_april_2018' -> 'CRCs inspected since
    april 2018' (first letter capitalised, known abbreviations in capitals)."""
    if code is None or pd.isna(code):
        return None
    parts = [ACRONYMS.get(part, part) for part in str(code).split("_") if part]
    text = " ".join(parts)
    return text[:1].upper() + text[1:]


def format_period(start, end) -> str | None:
    """A fieldwork period in words: 'September 2016 to October 2016', or one end alone."""
    start, end = format_date(start), format_date(end)
    if start and end:
        return start if start == end else f"{start} to {end}"
    return start or end


def describe_value(value, qualifier=None, unit=None, text=None) -> str | None:
    """A figure as a person would write it: 'more than 1,200 people', '54%', 'June 2014'.

    `text`: the figure when it is not a number (key facts' `value_text`), e.g. a month.
    """
    unit = None if unit is None or pd.isna(unit) else str(unit)
    if value is None or pd.isna(value):
        if text is None or pd.isna(text):
            return None
        shown = format_date(text)
    else:
        number = float(value)
        shown = (f"{number:,.0f}" if number.is_integer()
                 else f"{number:,.2f}".rstrip("0").rstrip("."))
        if unit in ("percent", "%"):
            shown = f"{shown}%"
        elif unit and unit not in UNITLESS:
            shown = f"{shown} {unit.replace('_', ' ')}"
    if qualifier is not None and not pd.isna(qualifier) and qualifier != "exact":
        shown = f"{qualifier} {shown}"
    return shown


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


# --- Need sufficiency: CRC against NPS ---------------------------------------------------------


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
        sides.append(side[["need", "need_label", "priority_rank", "percent_sufficient",
                           "source_locator"]].rename(columns={
                               "need_label": f"need_label_{suffix}",
                               "priority_rank": f"priority_rank_{suffix}",
                               "percent_sufficient": f"percent_{suffix}",
                               "source_locator": f"source_{suffix}"}))
    aligned = sides[0].merge(sides[1], on="need", how="outer")
    aligned["difference_pp"] = (aligned["percent_crc"].astype("Float64")
                                - aligned["percent_nps"].astype("Float64"))
    in_crc, in_nps = aligned["percent_crc"].notna(), aligned["percent_nps"].notna()
    presence = pd.Series("both", index=aligned.index, dtype="string")
    presence[in_crc & ~in_nps] = "CRC only"
    presence[~in_crc & in_nps] = "NPS only"
    aligned["presence"] = presence
    aligned["_order"] = presence.map({p: i for i, p in enumerate(PRESENCE_ORDER)})
    aligned = aligned.sort_values(["_order", "priority_rank_crc", "priority_rank_nps", "need"],
                                  na_position="last", kind="mergesort")
    columns = ["need", "need_label_crc", "need_label_nps", "priority_rank_crc",
               "priority_rank_nps", "percent_crc", "percent_nps", "difference_pp", "presence",
               "source_crc", "source_nps"]
    return aligned[columns].reset_index(drop=True)


def need_sufficiency_for(need_sufficiency: pd.DataFrame, inspection_id: str) -> pd.DataFrame:
    """One inspection's need tables as published: by organisation, in priority order."""
    rows = for_inspection(need_sufficiency, inspection_id)
    return rows.sort_values(["organisation_type", "priority_rank", "need"],
                            kind="mergesort").reset_index(drop=True)


def wilson_interval(percent, cases, z: float = Z_95) -> tuple[float, float] | tuple[None, None]:
    """Wilson score interval (in percent) for a percentage observed in `cases` cases.

    Returns (None, None) when the percentage or the number of cases is unknown or zero cases.
    """
    if percent is None or cases is None or pd.isna(percent) or pd.isna(cases) or cases <= 0:
        return None, None
    p, n = float(percent) / 100, float(cases)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half) * 100, min(1.0, centre + half) * 100


def sample_sizes(organisations: pd.DataFrame, inspection_id: str) -> dict[str, int | None]:
    """Cases sampled per organisation type in one inspection ({'CRC': 40, 'NPS': 21})."""
    rows = for_inspection(organisations, inspection_id)
    sizes: dict[str, int | None] = {}
    for kind, group in rows.groupby("organisation_type", sort=True):
        cases = group["cases_sampled"].dropna()
        sizes[str(kind)] = int(cases.sum()) if len(cases) else None
    return sizes


def with_sample_intervals(aligned: pd.DataFrame, cases_crc: int | None,
                          cases_nps: int | None) -> pd.DataFrame:
    """Add the narrowest 95% interval each percentage could have, given the sample sizes.

    The reports give each need's percentage of the cases *with that need*, but not how many
    cases that was; it is at most the organisation's sample. The interval computed with the
    whole sample (columns low_crc, high_crc, low_nps, high_nps, in percent) is therefore the
    narrowest possible: the true uncertainty is wider. `intervals_overlap` says whether even
    these narrowest intervals overlap (then the two percentages cannot be told apart).
    """
    table = aligned.copy()
    for suffix, cases in (("crc", cases_crc), ("nps", cases_nps)):
        bounds = [wilson_interval(p, cases) for p in table[f"percent_{suffix}"]]
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
        rows.append({
            "need": need,
            "inspections": int(group["inspection_id"].nunique()),
            "crc_higher": int((diff > 0).sum()),
            "nps_higher": int((diff < 0).sum()),
            "equal": int((diff == 0).sum()),
            "lowest_difference_pp": float(diff.min()) if len(diff) else None,
            "highest_difference_pp": float(diff.max()) if len(diff) else None,
            "median_difference_pp": float(diff.median()) if len(diff) else None,
        })
    columns = ["need", "inspections", "crc_higher", "nps_higher", "equal",
               "lowest_difference_pp", "highest_difference_pp", "median_difference_pp"]
    summary = pd.DataFrame(rows, columns=columns)
    summary = summary.astype({"need": "string", "inspections": "Int64", "crc_higher": "Int64",
                              "nps_higher": "Int64", "equal": "Int64",
                              "lowest_difference_pp": "Float64",
                              "highest_difference_pp": "Float64",
                              "median_difference_pp": "Float64"})
    summary = summary.sort_values(["inspections", "need"], ascending=[False, True],
                                  kind="mergesort")
    return summary.reset_index(drop=True)


# --- Cross-area ranges (Table 1 of the 2016-2017 reports) -----------------------------------


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
        published = _published_range(published_aggregates, domain) or [None]
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


# --- Ratings ---------------------------------------------------------------------------------


def _with_inspection(table: pd.DataFrame, inspections: pd.DataFrame) -> pd.DataFrame:
    context = inspections[["inspection_id", "published", "programme", "area"]]
    return table.merge(context, on="inspection_id", how="left")


def overall_ratings(ratings: pd.DataFrame, inspections: pd.DataFrame,
                    programme: str | None = None) -> pd.DataFrame:
    """Overall ratings of every rated organisation, oldest inspection first.

    Columns: inspection_id, published, programme, area, organisation_type, organisation,
    organisation_label, rating, rating_label, rating_rank, certainty, source_locator,
    source_url. `programme`: keep one programme only.
    """
    overall = ratings[_equals(ratings["standard"], "overall")]
    overall = _with_inspection(overall, inspections)
    if programme:
        overall = overall[_equals(overall["programme"], programme)]
    columns = ["inspection_id", "published", "programme", "area", "organisation_type",
               "organisation", "organisation_label", "rating", "rating_label", "rating_rank",
               "certainty", "source_locator", "source_url"]
    overall = overall.sort_values(["published", "inspection_id", "organisation"],
                                  kind="mergesort")
    return overall[columns].reset_index(drop=True)


def standard_ratings(ratings: pd.DataFrame, inspections: pd.DataFrame,
                     programme: str | None = None) -> pd.DataFrame:
    """Ratings of standards and domains (everything but the overall rating), in report order.

    Columns as `overall_ratings` plus standard and standard_label; sorted by publication,
    organisation and standard label (the labels carry the report's numbering, '1.1 ...').
    """
    rows = ratings[~_equals(ratings["standard"], "overall")]
    rows = _with_inspection(rows, inspections)
    if programme:
        rows = rows[_equals(rows["programme"], programme)]
    columns = ["inspection_id", "published", "programme", "area", "organisation_type",
               "organisation", "organisation_label", "standard", "standard_label", "rating",
               "rating_label", "rating_rank", "certainty", "source_locator", "source_url"]
    rows = rows.assign(_label=rows["standard_label"].str.lower())
    rows = rows.sort_values(["published", "inspection_id", "organisation", "_label"],
                            kind="mergesort")
    return rows[columns].reset_index(drop=True)


def ratings_for(ratings: pd.DataFrame, inspection_id: str) -> pd.DataFrame:
    """One inspection's ratings: each organisation's overall rating first, then its standards
    in the report's numbering (standard labels such as '1.1 Leadership')."""
    rows = for_inspection(ratings, inspection_id)
    rows = rows.assign(_overall=~_equals(rows["standard"], "overall"),
                       _label=rows["standard_label"].str.lower())
    rows = rows.sort_values(["organisation_type", "organisation", "_overall", "_label"],
                            kind="mergesort")
    return rows.drop(columns=["_overall", "_label"]).reset_index(drop=True)


def rating_counts(overall: pd.DataFrame) -> pd.DataFrame:
    """How many organisations received each overall rating, by programme and organisation type.

    Ratings are counted by code (`rating`), so that "Requires improvement" and "Requiring
    Improvement" as published are one rating. Columns: programme, organisation_type,
    rating_rank, rating, organisations; best rating first within each group.
    """
    columns = ["programme", "organisation_type", "rating_rank", "rating"]
    counts = (overall.groupby(columns, dropna=False, sort=True).size()
              .rename("organisations").reset_index())
    counts["organisations"] = counts["organisations"].astype("Int64")
    return counts.sort_values(columns, kind="mergesort").reset_index(drop=True)


# --- Caseloads and workload findings ---------------------------------------------------------


def caseload_table(caseloads: pd.DataFrame, inspections: pd.DataFrame | None = None,
                   inspection_id: str | None = None) -> pd.DataFrame:
    """Caseload figures (Table 3 of the 2016-2017 reports and statements in the text).

    One row per inspection, organisation type, staff grade and basis, sorted that way (by
    publication when `inspections` is given). With `inspections`, published and area are
    added. `inspection_id`: keep one inspection only.
    """
    rows = caseloads if inspection_id is None else for_inspection(caseloads, inspection_id)
    keys = ["inspection_id", "organisation_type", "staff_grade", "basis"]
    if inspections is not None:
        rows = _with_inspection(rows, inspections)
        keys = ["published", *keys]
    return rows.sort_values(keys, kind="mergesort").reset_index(drop=True)


def workload_findings(key_facts: pd.DataFrame, judgements: pd.DataFrame,
                      pattern: str = WORKLOAD_PATTERN,
                      inspection_id: str | None = None) -> pd.DataFrame:
    """Key facts and judgements about caseloads, workloads and staffing, in one list.

    A row is kept when its measure (key facts) or aspect (judgements) matches `pattern`
    (case-insensitive). Columns: inspection_id, kind ('key fact' or 'judgement'), scope (the
    organisation or place), finding (the measure or aspect in words), value (the figure or
    the inspectorate's wording), source_locator, source_url. Sorted by inspection, kind,
    scope, finding.
    """
    if inspection_id is not None:
        key_facts = for_inspection(key_facts, inspection_id)
        judgements = for_inspection(judgements, inspection_id)
    facts = key_facts[key_facts["measure"].str.contains(pattern, case=False, regex=True)
                      .fillna(False).astype(bool)]
    found = judgements[judgements["aspect"].str.contains(pattern, case=False, regex=True)
                       .fillna(False).astype(bool)]
    rows = []
    for fact in facts.itertuples(index=False):
        rows.append({"inspection_id": fact.inspection_id, "kind": "key fact",
                     "scope": fact.scope,
                     "finding": words(fact.measure),
                     "value": describe_value(fact.value, fact.qualifier, fact.unit,
                                             getattr(fact, "value_text", None)),
                     "source_locator": fact.source_locator, "source_url": fact.source_url})
    for judgement in found.itertuples(index=False):
        rows.append({"inspection_id": judgement.inspection_id, "kind": "judgement",
                     "scope": judgement.organisation_type, "finding": judgement.aspect,
                     "value": judgement.quantifier,
                     "source_locator": judgement.source_locator,
                     "source_url": judgement.source_url})
    columns = ["inspection_id", "kind", "scope", "finding", "value", "source_locator",
               "source_url"]
    table = pd.DataFrame(rows, columns=columns).astype("string")
    return table.sort_values(["inspection_id", "kind", "scope", "finding"],
                             kind="mergesort").reset_index(drop=True)


# --- One inspection's findings -----------------------------------------------------------------


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


# --- Validation results --------------------------------------------------------------------------


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


def tables_with_rows(tables: dict[str, pd.DataFrame], inspection_id: str) -> list[str]:
    """Names of the tables that hold at least one row of the inspection, sorted."""
    return sorted(name for name, table in tables.items()
                  if len(for_inspection(table, inspection_id)))


def distinct_sources(table: pd.DataFrame) -> list[str]:
    """The source locators of a table, each once, in the order they first appear."""
    seen: list[str] = []
    for locator in table["source_locator"].dropna():
        if locator not in seen:
            seen.append(str(locator))
    return seen


def join_words(words: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    words = [str(w) for w in words]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def inadequate_by_standard(standards: pd.DataFrame, labels: pd.DataFrame | None = None
                           ) -> pd.DataFrame:
    """Standards ranked by how many curated services were rated Inadequate on them, beside how
    many services had that standard rated at all (the coverage of each count)."""
    columns = ["standard", "label", "services_rated", "inadequate", "share_inadequate"]
    if standards.empty:
        return pd.DataFrame(columns=columns)
    frame = standards.drop_duplicates(["inspection_id", "organisation", "standard"])
    grouped = frame.groupby("standard")
    table = pd.DataFrame({
        "services_rated": grouped["organisation"].count(),
        "inadequate": grouped["rating"].apply(lambda r: int((r == "inadequate").sum())),
    }).reset_index()
    table["share_inadequate"] = table["inadequate"] / table["services_rated"]
    names = {} if labels is None else dict(zip(labels["standard"], labels["label"],
                                               strict=True))
    table["label"] = table["standard"].map(lambda s: names.get(s, words(s)))
    table = table.sort_values(["inadequate", "share_inadequate", "standard"],
                              ascending=[False, False, True])
    return table[columns].reset_index(drop=True)
