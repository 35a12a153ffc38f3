"""Every validation rule, derived from the schema (per column) or stated once here (across tables).

Column rules become Great Expectations expectations (see `validation`); relation rules compare
tables of one inspection and run in pandas. The data dictionary lists both from this module.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pandas as pd

from ..curated.dates import parse_date
from ..curated.schema import (
    CROWN_PUBLISHERS,
    CSV_TABLES,
    DATE,
    DATE_PATTERN,
    FACTS_ONLY,
    FIELD_CERTAINTY_PATTERN,
    INSPECTIONS,
    OGL,
    ORGANISATION_TYPES,
    STRING,
    TABLES,
    VOCABULARIES,
    Column,
    Table,
)
from ..curated.vocabularies import Reference

_DATE_RE = re.compile(DATE_PATTERN)
_FIELD_CERTAINTY_RE = re.compile(FIELD_CERTAINTY_PATTERN)


@dataclass(frozen=True)
class ColumnRule:
    """A rule on the values of one table, checked by one Great Expectations expectation."""

    table: str
    columns: tuple[str, ...]
    description: str
    expectation: str  # Great Expectations class name
    kwargs: dict = field(default_factory=dict, hash=False, compare=False)
    vocabulary: str | None = None  # the vocabulary whose labels or codes the values must be

    @property
    def column(self) -> str:
        return ", ".join(self.columns)

    def message(self, value, reference: Reference | None) -> str:
        """The description, with the nearest known label or code when the value is a near
        miss of one (a typo to correct, never a new alias to add)."""
        if self.vocabulary is None or reference is None or value is None:
            return self.description
        suggestion = did_you_mean(str(value), reference.labels(self.vocabulary))
        return (
            self.description
            if suggestion is None
            else f'{self.description}; did you mean "{suggestion}"?'
        )


def did_you_mean(value: str, known) -> str | None:
    """The known label nearest to `value`, when it is close enough to be a typo of it."""
    folded = {label.casefold(): label for label in sorted(known)}
    if value.strip().casefold() in folded:
        return folded[value.strip().casefold()]
    close = difflib.get_close_matches(value.strip().casefold(), list(folded), n=1, cutoff=0.88)
    return folded[close[0]] if close else None


def _number(value: float) -> str:
    return f"{value:g}"


def _plain(value) -> str:
    """A number as a curator wrote it: 70 rather than 70.0."""
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


def column_rules(table: Table, reference: Reference | None = None) -> list[ColumnRule]:
    """The rules of `table`. Without `reference`, vocabulary rules are listed without values."""
    rules: list[ColumnRule] = []
    label_of = {label.code_column: label for label in table.labels}
    for column in table.columns:
        if column.name == "inspection_id" and not table.from_yaml:
            continue  # set by the loader from the folder name, checked there
        rules.extend(_rules_for_column(table, column, label_of, reference))
    if len(table.key) == 1:
        rules.append(
            ColumnRule(
                table.name,
                table.key,
                f"{table.key[0]} must be unique",
                "ExpectColumnValuesToBeUnique",
                {"column": table.key[0]},
            )
        )
    elif table.key:
        rules.append(
            ColumnRule(
                table.name,
                table.key,
                "each row must be unique on " + ", ".join(table.key),
                "ExpectCompoundColumnsToBeUnique",
                {"column_list": list(table.key)},
            )
        )
    return rules


def _rules_for_column(
    table: Table, column: Column, label_of: dict, reference: Reference | None
) -> Iterator[ColumnRule]:
    name = column.name
    target = label_of[name].label_column if name in label_of else name
    if column.required:
        yield ColumnRule(
            table.name,
            (target,),
            "must not be empty",
            "ExpectColumnValuesToNotBeNull",
            {"column": target},
        )
    if name in label_of:
        label = label_of[name]
        yield ColumnRule(
            table.name,
            (label.label_column,),
            f"must be a known label of vocabulary {label.vocabulary} (data/reference/aliases.csv)",
            "ExpectColumnValuesToBeInSet",
            {
                "column": label.label_column,
                "value_set": sorted(reference.labels(label.vocabulary)) if reference else [],
            },
            vocabulary=label.vocabulary,
        )
    if column.minimum is not None or column.maximum is not None:
        if column.maximum is None and column.minimum is not None:
            words = (
                f"must be greater than {_number(column.minimum)}"
                if column.strict_minimum
                else f"must be at least {_number(column.minimum)}"
            )
        elif column.minimum is None and column.maximum is not None:
            words = f"must be at most {_number(column.maximum)}"
        elif column.minimum is not None and column.maximum is not None:
            words = f"must be between {_number(column.minimum)} and {_number(column.maximum)}"
        yield ColumnRule(
            table.name,
            (name,),
            words,
            "ExpectColumnValuesToBeBetween",
            {
                "column": name,
                "min_value": column.minimum,
                "max_value": column.maximum,
                "strict_min": column.strict_minimum,
            },
        )
    if column.allowed:
        yield ColumnRule(
            table.name,
            (name,),
            "must be one of: " + ", ".join(column.allowed),
            "ExpectColumnValuesToBeInSet",
            {"column": name, "value_set": list(column.allowed)},
        )
    if column.vocabulary and name not in label_of and column.curated:
        yield ColumnRule(
            table.name,
            (name,),
            f"must be a code of vocabulary {column.vocabulary} (data/reference/"
            f"{VOCABULARIES[column.vocabulary].filename})",
            "ExpectColumnValuesToBeInSet",
            {
                "column": name,
                "value_set": sorted(reference.labels(column.vocabulary)) if reference else [],
            },
            vocabulary=column.vocabulary,
        )
    if column.pattern:
        yield ColumnRule(
            table.name,
            (name,),
            column.pattern_words or f"must match the pattern {column.pattern}",
            "ExpectColumnValuesToMatchRegex",
            {"column": name, "regex": column.pattern},
        )


# Relation rules -------------------------------------------------------------------------------

Finding = tuple[str, int | None, str | None, str | None]  # table, line, column, value


@dataclass(frozen=True)
class RelationRule:
    """A rule across rows or tables of one inspection."""

    name: str
    tables: tuple[str, ...]
    description: str
    check: Callable[..., list[Finding]]
    uses_reference: bool = False  # True: `check(tables, reference)`, else `check(tables)`


def _priority_ranks(tables: dict[str, pd.DataFrame]) -> list[Finding]:
    frame = tables.get("need_sufficiency")
    findings: list[Finding] = []
    if frame is None:
        return findings
    for organisation_type, group in frame.groupby("organisation_type"):
        ranks = group["priority_rank"]
        if ranks.isna().any() or organisation_type not in ORGANISATION_TYPES:
            continue  # a rank or type that is missing or malformed is reported by its own rule
        counts = ranks.value_counts()
        given = ", ".join(str(int(r)) for r in ranks)
        for line, rank in ranks.items():
            # A rank below 1 is reported by the range rule of priority_rank.
            if rank > len(group) or (rank >= 1 and counts[rank] > 1):
                findings.append(
                    (
                        "need_sufficiency",
                        int(line),
                        "priority_rank",
                        f"{int(rank)} (ranks given: {given})",
                    )
                )
    return findings


ORGANISATION_TABLES = (
    "need_sufficiency",
    "caseloads",
    "judgements",
    "ratings",
    "domain_scores",
    "qualitative_findings",
    "interventions",
)


def _organisations_known(tables: dict[str, pd.DataFrame]) -> list[Finding]:
    organisations = tables.get("organisations")
    if organisations is None:
        return []  # no organisations.csv, or one that could not be read (reported itself)
    known = set(organisations["organisation_type"].dropna()) | {"Area", "National"}
    findings: list[Finding] = []
    for name in ORGANISATION_TABLES:
        frame = tables.get(name)
        if frame is None:
            continue
        for column in ("organisation_type", "cases_organisation_type"):
            if column not in frame:
                continue
            for line, value in frame[column].items():
                # A type outside the list is reported by the allowed-values rule.
                if pd.notna(value) and value not in known and value in ORGANISATION_TYPES:
                    findings.append((name, int(line), column, value))
    return findings


def _organisation_listed(tables: dict[str, pd.DataFrame]) -> list[Finding]:
    """A rating or score is of an organisation organisations.csv lists."""
    organisations = tables.get("organisations")
    if organisations is None:
        return []  # no organisations.csv, or one that could not be read (reported itself)
    listed = set(organisations["organisation"].dropna())
    findings: list[Finding] = []
    for name in ("ratings", "domain_scores"):
        frame = tables.get(name)
        if frame is None:
            continue
        # An unknown label (no code) is reported by the label's vocabulary rule.
        unlisted = frame["organisation"].notna() & ~frame["organisation"].isin(listed)
        findings.extend(
            (name, int(line), "organisation_label", value)
            for line, value in frame.loc[unlisted, "organisation_label"].items()
        )
    return findings


def _sample_totals(tables: dict[str, pd.DataFrame]) -> list[Finding]:
    organisations = tables.get("organisations")
    if organisations is None:
        return []
    findings: list[Finding] = []
    area = organisations[organisations["organisation_type"] == "Area"]
    parts = organisations[organisations["organisation_type"].isin(["CRC", "NPS", "PDU"])]
    for column in ("cases_sampled", "service_users_interviewed"):
        values = parts[column].dropna()
        for line, total in area[column].dropna().items():
            if len(values) == len(parts) and len(values) > 1 and int(values.sum()) != int(total):
                findings.append(
                    (
                        "organisations",
                        int(line),
                        column,
                        f"{total} (parts add up to {int(values.sum())})",
                    )
                )
    return findings


def _share_bounds(tables: dict[str, pd.DataFrame]) -> list[Finding]:
    frame = tables.get("judgements")
    if frame is None:
        return []
    bad = (
        frame["count"].notna()
        & frame["denominator"].notna()
        & (frame["count"] > frame["denominator"])
    )
    return [
        ("judgements", int(line), "count", str(value))
        for line, value in frame.loc[bad, "count"].items()
    ]


def _wording_or_count(tables: dict[str, pd.DataFrame]) -> list[Finding]:
    frame = tables.get("judgements")
    if frame is None:
        return []
    exact = frame["count"].notna() & frame["denominator"].notna()
    published = frame["percent"].notna() if "percent" in frame else False
    bad = frame["quantifier"].isna() & ~exact & ~published
    return [("judgements", int(line), "quantifier", None) for line in frame.index[bad]]


def _percent_tolerance(percent: float) -> float:
    """Half a unit of the last decimal place the percentage is written with (33: 0.5;
    33.3: 0.05), and a little for binary fractions."""
    written = f"{percent:g}"
    decimals = len(written.split(".")[1]) if "." in written else 0
    return 0.5 * 10 ** (-decimals) + 1e-9


def _percent_agrees(tables: dict[str, pd.DataFrame]) -> list[Finding]:
    """A published percentage given beside an exact count and denominator is their share,
    within the percentage's rounding."""
    frame = tables.get("judgements")
    if frame is None or "percent" not in frame:
        return []
    findings: list[Finding] = []
    given = frame["percent"].notna() & frame["count"].notna() & frame["denominator"].notna()
    for line, row in frame[given].iterrows():
        count, denominator, percent = int(row["count"]), int(row["denominator"]), row["percent"]
        if denominator < 1 or count > denominator or not 0 <= percent <= 100:
            continue  # reported by the range and count_within_denominator rules
        share = 100 * count / denominator
        if abs(share - float(percent)) > _percent_tolerance(float(percent)):
            findings.append(
                (
                    "judgements",
                    int(line),
                    "percent",
                    f"{_plain(percent)} ({count} of {denominator} is {share:.1f} per cent)",
                )
            )
    return findings


def _reference_number(word: pd.Series, column: str) -> float | None:
    value = pd.to_numeric(word.get(column), errors="coerce")  # a scalar in, a scalar out
    return None if pd.isna(value) else float(value)


def _quantifier_agrees(tables: dict[str, pd.DataFrame], reference: Reference) -> list[Finding]:
    """An exact count given beside the wording must fall in the wording's interval."""
    frame = tables.get("judgements")
    if frame is None or reference is None:
        return []
    findings: list[Finding] = []
    for line, row in frame.iterrows():
        word = reference.quantifier(row["quantifier"]) if pd.notna(row["quantifier"]) else None
        if word is None or pd.isna(row["count"]):
            continue
        count, denominator = int(row["count"]), row["denominator"]
        if word.get("kind") == "count":
            value, shown = float(count), str(count)
            low, high = _reference_number(word, "count_low"), _reference_number(word, "count_high")
        elif word.get("kind") == "share" and pd.notna(denominator) and denominator > 0:
            value = count / float(denominator)
            shown = f"{count} of {int(denominator)}"
            low = _reference_number(word, "loose_low")
            high = _reference_number(word, "loose_high")
            low = _reference_number(word, "share_low") if low is None else low
            high = _reference_number(word, "share_high") if high is None else high
        else:
            continue
        if (low is not None and value < low - 1e-9) or (high is not None and value > high + 1e-9):
            interval = (
                f"{'' if low is None else _number(low)} to {'' if high is None else _number(high)}"
            )
            findings.append(
                ("judgements", int(line), "count", f"{shown} ({row['quantifier']}: {interval})")
            )
    return findings


def _caseload_order(tables: dict[str, pd.DataFrame]) -> list[Finding]:
    frame = tables.get("caseloads")
    if frame is None:
        return []
    bad = (
        frame["min_caseload"].notna()
        & frame["max_caseload"].notna()
        & (frame["min_caseload"] > frame["max_caseload"])
    )
    return [
        ("caseloads", int(line), "min_caseload", _plain(value))
        for line, value in frame.loc[bad, "min_caseload"].items()
    ]


def _one_value(tables: dict[str, pd.DataFrame]) -> list[Finding]:
    frame = tables.get("key_facts")
    if frame is None:
        return []
    bad = frame["value"].isna() == frame["value_text"].isna()
    return [
        ("key_facts", int(line), "value", None if pd.isna(v) else _plain(v))
        for line, v in frame.loc[bad, "value"].items()
    ]


#: Text a spreadsheet would run as a formula when the CSV is opened: = + @ (and a tab or carriage
#: return before them), or - not followed by a number (-5 and -0.5 are numbers).
FORMULA_RE = re.compile(r"^(?:[=+@\t\r]|-(?![0-9.]))")


def _licence_applies(tables: dict[str, pd.DataFrame]) -> list[Finding]:
    """The Open Government Licence only for a document of a Crown publisher."""
    frame = tables.get("inspections")
    if frame is None or "source_publisher" not in frame.columns:
        return []
    findings: list[Finding] = []
    for line, row in frame.iterrows():
        licence, publisher = row.get("licence"), row.get("source_publisher")
        if (
            isinstance(licence, str)
            and licence.strip().upper().startswith("OGL")
            and isinstance(publisher, str)
            and publisher.strip()
            and publisher.strip() not in CROWN_PUBLISHERS
        ):
            findings.append(("inspections", int(line), "licence", f"{licence} ({publisher})"))
    return findings


def _formula_text(tables: dict[str, pd.DataFrame]) -> list[Finding]:
    findings: list[Finding] = []
    for name, table in TABLES.items():
        frame = tables.get(name)
        if frame is None:
            continue
        for column in table.curated_columns:
            if column.kind != STRING or column.name not in frame.columns:
                continue
            # A loop over the values: a few dozen rows per column, where a pandas string
            # method per column costs more than the rows themselves.
            series = frame[column.name]
            for line, value in zip(series.index, series.tolist(), strict=True):
                if not pd.isna(value) and FORMULA_RE.match(str(value)):
                    findings.append((name, int(line), column.name, value))
    return findings


def _date(value):
    """A curated date parsed by `dates.parse_date`, or None (empty or malformed: a malformed
    date is reported by the calendar rule)."""
    if not isinstance(value, str):
        return None
    try:
        return parse_date(value)
    except ValueError:
        return None


def _dates_in_order(tables: dict[str, pd.DataFrame]) -> list[Finding]:
    frame = tables.get("inspections")
    if frame is None:
        return []
    findings: list[Finding] = []
    for line, row in frame.iterrows():
        start, end, published = (
            _date(row[c]) for c in ("fieldwork_start", "fieldwork_end", "published")
        )
        # Dates have precisions: a month contains its days, so compare the widest readings.
        if end and published and end.first > published.last:
            findings.append(("inspections", int(line), "fieldwork_end", end.text))
        if start and end and start.first > end.last:
            findings.append(("inspections", int(line), "fieldwork_start", start.text))
        elif start and not end and published and start.first > published.last:
            findings.append(("inspections", int(line), "fieldwork_start", start.text))
    return findings


def _id_month_is_published(tables: dict[str, pd.DataFrame]) -> list[Finding]:
    """The id's year-month is the month of publication."""
    frame = tables.get("inspections")
    if frame is None:
        return []
    findings: list[Finding] = []
    for line, row in frame.iterrows():
        published, inspection_id = row["published"], row["inspection_id"]
        day = _date(published)
        if (
            day is not None
            and day.precision in ("day", "month")
            and isinstance(inspection_id, str)
            and inspection_id[:7] != published[:7]
        ):
            findings.append(
                (
                    "inspections",
                    int(line),
                    "inspection_id",
                    f"{inspection_id} (published {published})",
                )
            )
    return findings


def _within_programme(tables: dict[str, pd.DataFrame], reference: Reference) -> list[Finding]:
    """Fieldwork falls within the programme's span (programmes.csv), and publication does not
    precede its start."""
    frame = tables.get("inspections")
    if frame is None or reference is None:
        return []
    programmes = reference.tables["programme"].set_index("programme")
    findings: list[Finding] = []
    for line, row in frame.iterrows():
        if row["programme"] not in programmes.index:
            continue  # an unknown programme is reported by its vocabulary rule
        programme = programmes.loc[row["programme"]]
        first, last = _date(programme.get("start")), _date(programme.get("end"))
        for column in ("fieldwork_start", "fieldwork_end", "published"):
            span = _date(row[column])
            # A report is published after its fieldwork, so possibly after the programme ended.
            late = last and span and span.first > last.last and column != "published"
            if span and ((first and span.last < first.first) or late):
                findings.append(
                    (
                        "inspections",
                        int(line),
                        column,
                        f"{row[column]} ({row['programme']}: "
                        f"{programme.get('start') or ''} to "
                        f"{programme.get('end') or ''})",
                    )
                )
    return findings


def _calendar_dates(tables: dict[str, pd.DataFrame]) -> list[Finding]:
    """Dates that have the written form but are not on the calendar (31 April, a range that
    ends before it starts)."""
    findings: list[Finding] = []
    for name, frame in tables.items():
        table = TABLES.get(name)
        if table is None:
            continue
        for column in table.columns:
            if column.kind != DATE or column.name not in frame:
                continue
            for line, value in frame[column.name].dropna().items():
                if not _DATE_RE.match(str(value)):
                    continue  # the pattern rule reports it
                try:
                    parse_date(value)
                except ValueError:
                    findings.append((name, int(line), column.name, str(value)))
    facts = tables.get("key_facts")
    if facts is not None:
        dated = facts[(facts["unit"] == "date") & facts["value_text"].notna()]
        for line, value in dated["value_text"].items():
            try:
                parse_date(value)
            except ValueError:
                findings.append(("key_facts", int(line), "value_text", str(value)))
    return findings


def _field_certainty(tables: dict[str, pd.DataFrame]) -> list[Finding]:
    """`field_certainty` names curated columns of its own table, each once."""
    findings: list[Finding] = []
    for name, frame in tables.items():
        table = TABLES.get(name)
        if table is None or "field_certainty" not in frame:
            continue
        columns = {c.name for c in table.curated_columns} - {"field_certainty", "certainty"}
        for line, value in frame["field_certainty"].dropna().items():
            if not _FIELD_CERTAINTY_RE.match(str(value)):
                continue  # the pattern rule reports it
            names = [part.split("=")[0].strip() for part in str(value).split(";")]
            if any(n not in columns for n in names) or len(set(names)) != len(names):
                findings.append((name, int(line), "field_certainty", str(value)))
    return findings


def _sessions_ordered(tables: dict[str, pd.DataFrame]) -> list[Finding]:
    frame = tables.get("interventions")
    if frame is None:
        return []
    bad = (
        frame["sessions_from"].notna()
        & frame["sessions_to"].notna()
        & (frame["sessions_from"] > frame["sessions_to"])
    )
    return [
        ("interventions", int(line), "sessions_from", _plain(value))
        for line, value in frame.loc[bad, "sessions_from"].items()
    ]


RELATION_RULES: tuple[RelationRule, ...] = (
    RelationRule(
        "priority_rank_permutation",
        ("need_sufficiency",),
        "priority_rank must number the needs 1..n, once each, within an organisation type",
        _priority_ranks,
    ),
    RelationRule(
        "organisation_in_organisations",
        ORGANISATION_TABLES,
        "organisation_type must be one of the inspection's organisations (organisations.csv)",
        _organisations_known,
    ),
    RelationRule(
        "organisation_listed",
        ("ratings", "domain_scores"),
        "a rating or score must be of an organisation listed in the inspection's organisations.csv",
        _organisation_listed,
    ),
    RelationRule(
        "sample_adds_up",
        ("organisations",),
        "the Area's sample must equal the sum of its organisations' samples",
        _sample_totals,
    ),
    RelationRule(
        "count_within_denominator",
        ("judgements",),
        "count must not exceed denominator",
        _share_bounds,
    ),
    RelationRule(
        "wording_or_count",
        ("judgements",),
        "a judgement needs the inspectorate's wording (quantifier), an exact count "
        "and denominator, or a published percentage",
        _wording_or_count,
    ),
    RelationRule(
        "percent_agrees_with_count",
        ("judgements",),
        "a published percentage given with an exact count and denominator must equal "
        "100 x count / denominator within its rounding (33 covers 32.5 to 33.5)",
        _percent_agrees,
    ),
    RelationRule(
        "count_agrees_with_quantifier",
        ("judgements",),
        "an exact count given with a quantifier must fall in the interval the wording "
        "implies (quantifiers.csv: count_low to count_high for counts, loose_low to "
        "loose_high for shares)",
        _quantifier_agrees,
        uses_reference=True,
    ),
    RelationRule(
        "caseload_range_ordered",
        ("caseloads",),
        "min_caseload must not exceed max_caseload",
        _caseload_order,
    ),
    RelationRule(
        "one_value",
        ("key_facts",),
        "exactly one of value (a number) and value_text (anything else) must be given",
        _one_value,
    ),
    RelationRule(
        "fieldwork_before_publication",
        (INSPECTIONS.name,),
        "fieldwork must start before it ends and end before publication",
        _dates_in_order,
    ),
    RelationRule(
        "id_month_is_published",
        (INSPECTIONS.name,),
        "the inspection id must begin with the year and month of published "
        "(rename the folder or correct the date)",
        _id_month_is_published,
    ),
    RelationRule(
        "licence_applies",
        (INSPECTIONS.name,),
        f"the licence {OGL} applies only to documents of "
        f"{' or '.join(sorted(CROWN_PUBLISHERS))}: the facts of any other publisher's "
        f"document are {FACTS_ONLY}",
        _licence_applies,
    ),
    RelationRule(
        "no_formula_text",
        tuple(TABLES),
        "text must not begin with =, +, @, a tab or a carriage return, nor with - "
        "unless a number follows: a spreadsheet would run it as a formula",
        _formula_text,
    ),
    RelationRule(
        "dates_within_programme",
        (INSPECTIONS.name,),
        "fieldwork must fall within the programme's span (programmes.csv start to "
        "end), and publication must not precede its start",
        _within_programme,
        uses_reference=True,
    ),
    RelationRule(
        "dates_on_the_calendar",
        (INSPECTIONS.name, "organisations", "key_facts"),
        "a date (and a key fact whose unit is date) must be a day, month, season, "
        "range or year of the calendar, and a range must not end before it starts",
        _calendar_dates,
    ),
    RelationRule(
        "field_certainty_names_columns",
        tuple(t.name for t in CSV_TABLES),
        "field_certainty must name columns of its own table, each once",
        _field_certainty,
    ),
    RelationRule(
        "sessions_range_ordered",
        ("interventions",),
        "sessions_from must not exceed sessions_to",
        _sessions_ordered,
    ),
)


def all_column_rules(reference: Reference | None = None) -> dict[str, list[ColumnRule]]:
    return {name: column_rules(table, reference) for name, table in TABLES.items()}


__all__ = [
    "CSV_TABLES",
    "RELATION_RULES",
    "ColumnRule",
    "RelationRule",
    "all_column_rules",
    "column_rules",
]
