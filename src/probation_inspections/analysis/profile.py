"""One inspection's profile: what was inspected, its sample, findings, recommendations and
validation results, as tables ready to show."""

from __future__ import annotations

import re

import pandas as pd

from ..curated.vocabularies import code_labels
from ..report.text import describe_value, format_date, format_period, join_words, words
from .select import for_inspection
from .sources import describe_source, source_licence


def inspection_overview(
    inspections: pd.DataFrame, inspection_id: str, programmes: pd.DataFrame | None = None
) -> list[tuple[str, str]]:
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
    document = {
        "full_report": "full report",
        "press_release": "press release",
        "commentary": "commentary",
        "summary": "summary",
    }
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
        ("Kind of source", describe_source(row["source_publisher"], row["licence"])),
        ("Read on", format_date(row["date_accessed"])),
        ("Licence of the facts", source_licence(row["source_publisher"], row["licence"])),
        ("What was curated", row["coverage"]),
    ]
    return [
        (label, str(value)) for label, value in fields if value is not None and not pd.isna(value)
    ]


def judgement_intervals(judgements: pd.DataFrame, inspection_id: str) -> pd.DataFrame:
    """An inspection's quantified judgements, each with the share interval its wording implies.

    Columns: organisation_type, domain, domain_label, aspect, quantifier, direction, base,
    count, denominator, share_low, share_high, quantifier_basis, exact (the share comes from a
    count), source_locator, source_url. Sorted by organisation type, domain and aspect, so
    that a chart groups findings about the same organisation and domain.
    """
    rows = for_inspection(judgements, inspection_id)
    rows = rows.assign(exact=(rows["share_low"] == rows["share_high"]).astype("boolean"))
    rows = rows.sort_values(
        ["organisation_type", "domain", "aspect", "quantifier"], kind="mergesort"
    )
    columns = [
        "organisation_type",
        "cases_organisation_type",
        "domain",
        "domain_label",
        "aspect",
        "quantifier",
        "direction",
        "base",
        "count",
        "denominator",
        "share_low",
        "share_high",
        "quantifier_basis",
        "exact",
        "finding_id",
        "certainty",
        "source_locator",
        "source_url",
    ]
    rows = rows.assign(
        seen_in=pd.array(
            [
                None if pd.isna(cases) or cases == own else f"{cases} cases"
                for own, cases in zip(
                    rows["organisation_type"], rows["cases_organisation_type"], strict=True
                )
            ],
            dtype="string",
        )
    )
    return rows[[*columns, "seen_in"]].reset_index(drop=True)


def _table_number(locator) -> tuple:
    """Sort key of a locator: tables by their number, then everything else by its text."""
    match = re.match(r"^Table ([0-9]+)", str(locator))
    return (0, int(match.group(1)), "") if match else (1, 0, str(locator))


def qualitative_findings_for(findings: pd.DataFrame, inspection_id: str) -> pd.DataFrame:
    """An inspection's findings in words (enablers and barriers, lists, changes) in report
    order: by table number, then organisation, kind (enablers before barriers) and item."""
    rows = for_inspection(findings, inspection_id)
    kinds = {
        kind: rank
        for rank, kind in enumerate(
            ("change", "comment", "feature", "enabler", "barrier", "strength", "weakness")
        )
    }
    order = rows.assign(
        _table=[_table_number(v) for v in rows["source_locator"]],
        _kind=[kinds.get(k, 99) for k in rows["kind"]],
    )
    order = order.sort_values(
        ["_table", "topic", "organisation_type", "_kind", "item"],
        kind="mergesort",
        na_position="first",
    )
    return order.drop(columns=["_table", "_kind"]).reset_index(drop=True)


def sessions_in_words(sessions_from, sessions_to) -> str | None:
    """'6 to 18', '6', 'up to 21', or None when the number of sessions is not fixed."""
    low = None if pd.isna(sessions_from) else int(sessions_from)
    high = None if pd.isna(sessions_to) else int(sessions_to)
    if low is None and high is None:
        return None
    if low is None:
        return f"up to {high}"
    if high is None or high == low:
        return str(low) if high is not None else f"at least {low}"
    return f"{low} to {high}"


def interventions_for(interventions: pd.DataFrame, inspection_id: str) -> pd.DataFrame:
    """An inspection's intervention programmes by source (tables by number) and name, with
    `sessions` in words."""
    rows = for_inspection(interventions, inspection_id)
    rows = rows.assign(_table=[_table_number(v) for v in rows["source_locator"]])
    rows = rows.sort_values(["_table", "organisation_type", "programme"], kind="mergesort")
    return (
        rows.drop(columns="_table")
        .reset_index(drop=True)
        .assign(
            sessions=pd.array(
                [
                    sessions_in_words(a, b)
                    for a, b in zip(rows["sessions_from"], rows["sessions_to"], strict=True)
                ],
                dtype="string",
            )
        )
    )


def discrepancies_for(discrepancies: pd.DataFrame, inspection_id: str) -> pd.DataFrame:
    """An inspection's discrepancies, one row each: the field, its values each with where it
    stands (and, between sources, which source), scope and note, in inspection.yaml order."""
    rows = for_inspection(discrepancies, inspection_id)
    out = []
    for number, group in rows.groupby("discrepancy", sort=True):
        group = group.sort_values("position")
        first = group.iloc[0]
        between = first["scope"] == "between sources"
        values = "; ".join(
            f"{value} ({locator}{', ' + url if between and isinstance(url, str) else ''})"
            for value, locator, url in zip(
                group["value"], group["source_locator"], group["source_url"], strict=True
            )
        )
        out.append(
            {
                "discrepancy": int(number),
                "field": first["field"],
                "values": values,
                "scope": first["scope"],
                "note": first["note"],
            }
        )
    return pd.DataFrame(out, columns=["discrepancy", "field", "values", "scope", "note"])


def key_facts_for(key_facts: pd.DataFrame, inspection_id: str) -> pd.DataFrame:
    """An inspection's key facts with the figure in words (`figure`: 'more than 1,200 people',
    or the `value_text` of a figure that is not a number, such as a month).

    Sorted by scope, measure and date; `measure` is also given in words (`measure_words`).
    """
    rows = for_inspection(key_facts, inspection_id)
    texts = rows["value_text"] if "value_text" in rows else pd.Series(pd.NA, index=rows.index)
    rows = rows.assign(
        figure=pd.array(
            [
                describe_value(v, q, u, t)
                for v, q, u, t in zip(
                    rows["value"], rows["qualifier"], rows["unit"], texts, strict=True
                )
            ],
            dtype="string",
        ),
        measure_words=pd.array([words(m) for m in rows["measure"]], dtype="string"),
    )
    return rows.sort_values(
        ["scope", "measure", "as_of"], kind="mergesort", na_position="first"
    ).reset_index(drop=True)


def organisation_samples(organisations: pd.DataFrame, inspection_id: str) -> pd.DataFrame:
    """The organisations of one inspection with population and sample, population in words."""
    rows = for_inspection(organisations, inspection_id)
    rows = rows.assign(
        population=pd.array(
            [
                describe_value(v, q, "people")
                for v, q in zip(
                    rows["supervised_population"],
                    rows["supervised_population_qualifier"],
                    strict=True,
                )
            ],
            dtype="string",
        )
    )
    return rows.sort_values(["organisation_type", "organisation"], kind="mergesort").reset_index(
        drop=True
    )


def recommendations_for(recommendations: pd.DataFrame, inspection_id: str) -> pd.DataFrame:
    """An inspection's recommendations in report order (unnumbered ones last)."""
    rows = for_inspection(recommendations, inspection_id)
    return rows.sort_values(
        ["number", "addressee", "theme"], kind="mergesort", na_position="last"
    ).reset_index(drop=True)


def validation_summary(results: pd.DataFrame) -> pd.DataFrame:
    """Per table: how many rules were checked, how many passed and failed, rows checked.

    Columns: table, rules, passed, failed, rows_checked (the most rows any rule checked).
    Sorted by table.
    """
    columns = ["table", "rules", "passed", "failed", "rows_checked"]
    if results.empty:
        return pd.DataFrame(columns=columns).astype(
            {
                "table": "string",
                "rules": "Int64",
                "passed": "Int64",
                "failed": "Int64",
                "rows_checked": "Int64",
            }
        )
    success = results["success"].astype("boolean").fillna(False).astype(bool)
    frame = results.assign(_passed=success, _failed=~success)
    summary = (
        frame.groupby("table", sort=True)
        .agg(
            rules=("rule", "size"),
            passed=("_passed", "sum"),
            failed=("_failed", "sum"),
            rows_checked=("checked_rows", "max"),
        )
        .reset_index()
    )
    return summary.astype(
        {
            "table": "string",
            "rules": "Int64",
            "passed": "Int64",
            "failed": "Int64",
            "rows_checked": "Int64",
        }
    )[columns]


def failed_rules(results: pd.DataFrame) -> pd.DataFrame:
    """The rules that failed, by table and column, with how many rows broke each."""
    success = results["success"].astype("boolean").fillna(False).astype(bool)
    failed = results[~success]
    columns = [
        c
        for c in ("inspection_id", "table", "column", "rule", "failed_rows", "checked_rows")
        if c in failed.columns
    ]
    return failed.sort_values(columns[:4], kind="mergesort")[columns].reset_index(drop=True)


#: Certainties that are not a reading of the source as written.
NOT_READ = ("derived", "inferred")


def profile_title(
    inspections: pd.DataFrame, organisations: pd.DataFrame, inspection_id: str
) -> str:
    """The page's title naming the service: 'West Yorkshire CRC: inspection of October 2018'.

    The service is the one organisation inspected, or the area when there are several (an
    area inspection of a CRC and an NPS division); an overview keeps its own title."""
    rows = for_inspection(inspections, inspection_id)
    if rows.empty:
        raise KeyError(f"no inspection {inspection_id!r} in the curated data")
    row = rows.iloc[0]
    kind = row.get("kind")
    if isinstance(kind, str) and kind == "overview":
        return str(row["title"])
    own = for_inspection(organisations, inspection_id)
    labels = own["organisation_label"].dropna().unique() if len(own) else []
    name = labels[0] if len(labels) == 1 else row["area"]
    published = row["published"]
    when = format_date(str(published)[:7]) if not pd.isna(published) else None
    return f"{name}: inspection of {when}" if when else str(name)


def _with_certainty(text: str, certainty) -> str:
    if isinstance(certainty, str) and certainty in NOT_READ:
        return f"{text} ({certainty}, not read as written)"
    return text


def rating_summary(ratings: pd.DataFrame, rating_scale: pd.DataFrame) -> list[tuple[str, str]]:
    """An inspection's ratings at a glance, as (label, text) pairs: each organisation's overall
    rating, then its standards' ratings in report order, each rating in words and marked when
    it was derived or inferred rather than read. `ratings`: `ratings.ratings_for(...)`."""
    names = code_labels("rating", rating_scale)
    pairs = []
    several = ratings["organisation"].nunique() > 1
    for _organisation, rows in ratings.groupby("organisation", sort=False):
        who = f"{rows['organisation_label'].iloc[0]}: " if several else ""
        overall = rows[rows["standard"] == "overall"]
        for _, row in overall.iterrows():
            pairs.append(
                (
                    f"{who}Overall rating",
                    _with_certainty(
                        names.get(row["rating"], row["rating_label"]), row.get("certainty")
                    ),
                )
            )
        standards = rows[rows["standard"] != "overall"]
        if len(standards):
            pairs.append(
                (
                    f"{who}Standards",
                    "; ".join(
                        _with_certainty(
                            f"{r['standard_label']}: {names.get(r['rating'], r['rating_label'])}",
                            r.get("certainty"),
                        )
                        for _, r in standards.iterrows()
                    ),
                )
            )
        else:
            pairs.append((f"{who}Standards", "not rated in the source"))
    return pairs


def values_not_read(tables: dict[str, pd.DataFrame], inspection_id: str) -> str:
    """How many of an inspection's values were derived or inferred rather than read, by table:
    'Values not read as written: 1 key fact inferred; 2 judgements derived.'"""
    parts = []
    for name, table in sorted(tables.items()):
        if "certainty" not in table.columns or "inspection_id" not in table.columns:
            continue
        own = for_inspection(table, inspection_id)
        for certainty in NOT_READ:
            count = int((own["certainty"] == certainty).sum())
            if count:
                thing = (words(name) or name).lower()
                thing = thing[:-1] if count == 1 and thing.endswith("s") else thing
                parts.append(f"{count} {thing} {certainty}")
    if not parts:
        return "Every value on this page was read as written in the source."
    return "Values not read as written: " + "; ".join(parts) + "."


#: The topics key facts are grouped by, in the order shown, each with the words of a measure's
#: code that put a fact under it (the first topic that matches wins; else OTHER_TOPIC).
FACT_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "The inspection: fieldwork, sample, interviews",
        ("fieldwork", "sample", "interview", "inspected", "case_time", "commencement"),
    ),
    (
        "Ratings and standing among inspections",
        ("rated", "rating", "rank", "score", "order", "sequence", "first_", "last_report"),
    ),
    ("Publication and history", ("publication", "previous", "since", "start", "date")),
    (
        "People supervised and the area",
        (
            "supervised",
            "population",
            "people_",
            "offenders",
            "releases",
            "reoffending",
            "sentence",
            "local_authorities",
            "district",
            "mappa",
        ),
    ),
    (
        "Staff and workloads",
        (
            "staff",
            "caseload",
            "vacanc",
            "officer",
            "practitioner",
            "sickness",
            "workload",
            "posts",
            "training",
            "qualification",
            "manager",
        ),
    ),
    (
        "Quality of the work with cases",
        (
            "cases_",
            "assignments",
            "court",
            "licence",
            "home_visits",
            "safeguarding",
            "domestic_abuse",
            "risk",
            "standard",
        ),
    ),
    (
        "Services, programmes and performance",
        (
            "programme",
            "service",
            "iom",
            "liaison",
            "mental_health",
            "metric",
            "measures",
            "target",
            "wait",
        ),
    ),
    (
        "Organisations, owners and contracts",
        ("crc", "nps", "contract", "owner", "csc", "operating_model", "office", "premises"),
    ),
)
OTHER_TOPIC = "Other figures"


def fact_topic(measure) -> str:
    """The topic of a key fact, from the words of its measure's code (FACT_TOPICS)."""
    code = "" if measure is None or pd.isna(measure) else str(measure)
    for topic, keys in FACT_TOPICS:
        if any(key in code for key in keys):
            return topic
    return OTHER_TOPIC


def key_facts_by_topic(key_facts: pd.DataFrame, inspection_id: str) -> pd.DataFrame:
    """`key_facts_for`, with each fact's `topic` (FACT_TOPICS), sorted by topic in that
    order, then as `key_facts_for` sorts them."""
    facts = key_facts_for(key_facts, inspection_id)
    codes = facts["measure_code"] if "measure_code" in facts else facts["measure"]
    codes = codes.fillna(facts["measure"])
    facts["topic"] = pd.array([fact_topic(c) for c in codes], dtype="string")
    order = {topic: i for i, (topic, _) in enumerate(FACT_TOPICS)}
    return facts.sort_values(
        "topic", key=lambda t: t.map(lambda v: order.get(v, len(order))), kind="mergesort"
    ).reset_index(drop=True)


#: The optional sections of a profile: (key, what the section shows in readers' words, the
#: tables whose rows of the inspection it shows).
PROFILE_SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ratings", "ratings", ("ratings",)),
    (
        "scores",
        "scores and figures about groups of services",
        ("domain_scores", "published_aggregates"),
    ),
    ("key_facts", "key facts", ("key_facts",)),
    ("judgements", "quantified judgements", ("judgements",)),
    ("findings", "findings in words", ("qualitative_findings",)),
    ("interventions", "interventions", ("interventions",)),
    ("needs", "need sufficiency", ("need_sufficiency",)),
    ("caseloads", "caseloads", ("caseloads",)),
    ("recommendations", "recommendations", ("recommendations",)),
)


def sections_given(tables: dict[str, pd.DataFrame], inspection_id: str) -> set[str]:
    """The keys of PROFILE_SECTIONS for which the inspection has curated rows."""
    return {
        key
        for key, _, names in PROFILE_SECTIONS
        if any(len(for_inspection(tables[name], inspection_id)) for name in names)
    }


def not_given_line(given: set[str]) -> str | None:
    """One line for every section the source does not give: 'Not given in the source:
    caseloads, need sufficiency, interventions.' (in the profile's order); None when every
    section is given."""
    missing = [words for key, words, _ in PROFILE_SECTIONS if key not in given]
    if not missing:
        return None
    return f"Not given in the source: {join_words(missing)}."


def shares_implied(judgements: pd.DataFrame) -> pd.DataFrame:
    """The judgements (of `judgement_intervals`) whose wording implies a share of cases."""
    return judgements[judgements["share_low"].notna()].reset_index(drop=True)


def item_counts(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings in words (of `qualitative_findings_for`) counted by organisation and kind:
    columns organisation_type, kind, items."""
    return (
        findings.groupby(["organisation_type", "kind"], dropna=False)
        .size()
        .reset_index(name="items")
    )


def addressees(value) -> str:
    """Who a recommendation is addressed to, in words: 'CRC+NPS' is 'CRC and NPS'."""
    return " and ".join(part.strip() for part in str(value).split("+"))
