"""The data model: every curated table and its columns, written once.

Loading (types), harmonisation (labels to codes), the Great Expectations suites and the data
dictionary are all derived from the definitions here, so a rule is stated in one place only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .dates import DATE_PATTERN as _DATE_PATTERN

# Value kinds: how a cell is parsed from CSV and which pandas dtype holds it.
STRING, INTEGER, NUMBER, DATE = "string", "integer", "number", "date"
PANDAS_DTYPES = {STRING: "string", INTEGER: "Int64", NUMBER: "Float64", DATE: "string"}

#: A date with its precision: a day, a month, a season, a range (ISO 8601 interval) or a year;
#: read by `dates.parse_date`, which also checks the calendar.
DATE_PATTERN = _DATE_PATTERN
DATE_WORDS = (
    "must be a date: a day YYYY-MM-DD, a month YYYY-MM, a season YYYY-21 to YYYY-24 "
    "(spring to winter), a year YYYY, or a range of those as START/END"
)
URL_PATTERN = r"^https?://[^\s<>\"']+$"

ORGANISATION_TYPES = ("CRC", "NPS", "PDU", "Trust", "Region", "Area", "National")
CERTAINTIES = ("reported", "derived", "inferred")
DOCUMENT_TYPES = ("full_report", "press_release", "commentary", "summary")
#: What a folder curates: one inspection, or a document across many (annual reports, programme
#: summaries, statistics releases, commentary on a round of inspections).
KINDS = ("inspection", "overview")
STATISTICS = ("lowest", "highest", "average", "count", "total", "share")
DIRECTIONS = ("sufficient", "insufficient", "prevalence")
BASES = (
    "cases",
    "cases where relevant",
    "staff",
    "service users",
    "issues",
    "court work",
    "failures to comply",
    "plans",
)
#: Kinds of item of a qualitative table (enablers and barriers, lists of features, changes).
FINDING_KINDS = ("enabler", "barrier", "feature", "change", "comment", "strength", "weakness")
DISCREPANCY_SCOPES = ("within one source", "between sources")
#: Fields of inspection.yaml whose value may come from another document (field_sources).
SOURCED_FIELDS = ("published", "fieldwork_start", "fieldwork_end", "title", "area")
DELIVERY_METHODS = ("group", "one-to-one", "group or one-to-one")
FINDING_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_CERTAINTY_WORDS = "(?:reported|derived|inferred)"
#: `field_certainty`: the certainty of single fields where it differs from the row's.
FIELD_CERTAINTY_PATTERN = rf"^[a-z_]+={_CERTAINTY_WORDS}(?:; ?[a-z_]+={_CERTAINTY_WORDS})*$"
CASELOAD_BASES = (
    "management_information",
    "staff_estimate",
    "inspection_finding",
    "workload_measurement",
)
CASELOAD_UNITS = ("cases_per_fte", "percent_of_capacity")
QUALIFIERS = ("exact", "more than", "nearly", "approximately", "up to", "less than", "at least")
ADDRESSEES = ("CRC", "NPS", "NOMS", "HMPPS", "MoJ", "PDU", "Region")
ADDRESSEE_PATTERN = r"^(?:" + "|".join(ADDRESSEES) + r")(?:\+(?:" + "|".join(ADDRESSEES) + r"))*$"


@dataclass(frozen=True)
class Column:
    """One column of a table and the rules its values obey."""

    name: str
    kind: str
    description: str
    required: bool = False
    curated: bool = True  # False: added by the loader (ids, harmonised codes, derived shares)
    minimum: float | None = None
    maximum: float | None = None
    strict_minimum: bool = False  # True: the value must be greater than `minimum`
    allowed: tuple[str, ...] | None = None
    vocabulary: str | None = None  # codes of this reference vocabulary (harmonised columns)
    pattern: str | None = None
    pattern_words: str | None = None  # the pattern rule in words, for curators
    unit: str | None = None
    default_from: str | None = None  # an empty cell takes the value of this column of the row


@dataclass(frozen=True)
class Label:
    """A label kept as published, harmonised to a code through `aliases.csv`."""

    label_column: str
    code_column: str
    vocabulary: str


@dataclass(frozen=True)
class Table:
    """A curated table: one CSV per inspection, combined across inspections by the loader."""

    name: str
    row: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    labels: tuple[Label, ...] = ()
    from_yaml: bool = False  # the `inspections` table comes from inspection.yaml

    @property
    def filename(self) -> str:
        return "inspection.yaml" if self.from_yaml else f"{self.name}.csv"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def curated_columns(self) -> list[Column]:
        return [c for c in self.columns if c.curated]


def _id() -> Column:
    return Column(
        "inspection_id",
        STRING,
        "Inspection the row belongs to (its folder name: publication year-month and area).",
        required=True,
        curated=False,
        pattern=r"^[0-9]{4}-[0-9]{2}-[a-z0-9-]+$",
    )


def _provenance() -> tuple[Column, ...]:
    return (
        Column(
            "certainty",
            STRING,
            "How the value was obtained: read from the source (reported), computed from "
            "reported values (derived) or inferred from wording or context (inferred). "
            "Empty in the CSV means reported.",
            required=True,
            allowed=CERTAINTIES,
        ),
        Column(
            "source_locator",
            STRING,
            "Where in the source the value stands: table, section path, paragraph or page.",
            required=True,
        ),
        Column(
            "source_url",
            STRING,
            "Page the row was read on; empty in the CSV means the inspection's source_url.",
            required=True,
            pattern=URL_PATTERN,
        ),
        Column(
            "field_certainty",
            STRING,
            "Certainty of single fields where it differs from "
            "the row's, e.g. `region=inferred` or `denominator=derived; count=reported`.",
            pattern=FIELD_CERTAINTY_PATTERN,
        ),
        Column("notes", STRING, "Caveats in the curator's words."),
    )


def _organisation_type(description: str = "Kind of organisation the row is about.") -> Column:
    return Column(
        "organisation_type", STRING, description, required=True, allowed=ORGANISATION_TYPES
    )


def _organisation() -> tuple[Column, ...]:
    return (
        Column(
            "organisation_label",
            STRING,
            "Organisation's name as the source writes it.",
            required=True,
        ),
        Column(
            "organisation",
            STRING,
            "Organisation code (reference/organisations.csv).",
            required=True,
            curated=False,
            vocabulary="organisation",
        ),
    )


def _percent(name: str, description: str, required: bool = True) -> Column:
    return Column(
        name, NUMBER, description, required=required, minimum=0, maximum=100, unit="percent"
    )


ORGANISATION_LABEL = Label("organisation_label", "organisation", "organisation")

#: The publisher whose own documents are primary sources.
INSPECTORATE = "HM Inspectorate of Probation"
#: Publishers whose documents are Crown copyright, reused under the Open Government Licence.
CROWN_PUBLISHERS = frozenset({INSPECTORATE, "Ministry of Justice"})
#: The licence of facts from a Crown publisher's document, and of facts from any other's.
OGL, FACTS_ONLY = "OGL-3.0", "facts-only"

TABLES: dict[str, Table] = {}


def _register(table: Table) -> Table:
    TABLES[table.name] = table
    return table


INSPECTIONS = _register(
    Table(
        name="inspections",
        row="inspection",
        description="What was inspected, when, under which programme, and the document curated.",
        from_yaml=True,
        key=("inspection_id",),
        columns=(
            _id(),
            Column("title", STRING, "Title of the inspection.", required=True),
            Column(
                "programme",
                STRING,
                "Inspection programme (reference/programmes.csv).",
                required=True,
                vocabulary="programme",
            ),
            Column("area", STRING, "Area or service inspected.", required=True),
            Column(
                "kind",
                STRING,
                "`inspection`: the report or release of one inspection; "
                "`overview`: a document across many inspections or the whole country (annual "
                "report, programme summary, statistics release, commentary).",
                required=True,
                allowed=KINDS,
            ),
            Column(
                "published",
                DATE,
                "Publication date with its precision: a day (YYYY-MM-DD), "
                "a month (YYYY-MM), a season (YYYY-21..24), a range (an ISO 8601 interval, "
                "YYYY-MM/YYYY-MM) or a year (YYYY).",
                required=True,
                pattern=DATE_PATTERN,
                pattern_words=DATE_WORDS,
            ),
            Column(
                "fieldwork_start",
                DATE,
                "Start of fieldwork (a date with its precision).",
                pattern=DATE_PATTERN,
                pattern_words=DATE_WORDS,
            ),
            Column(
                "fieldwork_end",
                DATE,
                "End of fieldwork (a date with its precision).",
                pattern=DATE_PATTERN,
                pattern_words=DATE_WORDS,
            ),
            Column(
                "document_type",
                STRING,
                "Kind of document curated.",
                required=True,
                allowed=DOCUMENT_TYPES,
            ),
            Column("source_title", STRING, "Title of the document curated.", required=True),
            Column("source_publisher", STRING, "Publisher of the document curated."),
            Column(
                "source_url",
                STRING,
                "Where the document is published.",
                required=True,
                pattern=URL_PATTERN,
            ),
            Column(
                "date_accessed",
                DATE,
                "When the source was read.",
                pattern=DATE_PATTERN,
                pattern_words=DATE_WORDS,
            ),
            Column(
                "licence",
                STRING,
                f"Licence of the curated facts: {OGL} only for a document of a Crown publisher "
                f"({' or '.join(sorted(CROWN_PUBLISHERS))}); for news, blogs and other "
                f"publishers {FACTS_ONLY} (the facts are cited, the text stays the "
                "publisher's).",
                required=True,
            ),
            Column("coverage", STRING, "What was curated and what the source lacks."),
        ),
    )
)

ORGANISATIONS = _register(
    Table(
        name="organisations",
        row="organisation inspected (or described) in an inspection",
        description="Organisations in an inspection with their size and the inspection sample; "
        "the overall rating is joined from `ratings`.",
        key=("inspection_id", "organisation"),
        labels=(ORGANISATION_LABEL,),
        columns=(
            _id(),
            _organisation_type(),
            *_organisation(),
            Column("owner", STRING, "Owner of a CRC (or parent body) as published."),
            Column("region", STRING, "Region or division the organisation belongs to."),
            Column(
                "overall_rating",
                STRING,
                "Overall rating code, from `ratings` (standard overall).",
                curated=False,
                vocabulary="rating",
            ),
            Column(
                "rating_label",
                STRING,
                "Overall rating as published, from `ratings`.",
                curated=False,
            ),
            Column(
                "supervised_population",
                INTEGER,
                "People supervised by the organisation.",
                minimum=0,
                unit="people",
            ),
            Column(
                "supervised_population_qualifier",
                STRING,
                "How exact the population is (empty: exact).",
                allowed=QUALIFIERS,
            ),
            Column(
                "population_as_of",
                DATE,
                "Date or month the population refers to.",
                pattern=DATE_PATTERN,
                pattern_words=DATE_WORDS,
            ),
            Column(
                "cases_sampled",
                INTEGER,
                "Cases inspected in the organisation's sample.",
                minimum=0,
                unit="cases",
            ),
            Column(
                "service_users_interviewed",
                INTEGER,
                "People on probation the inspectors spoke with.",
                minimum=0,
                unit="people",
            ),
            *_provenance(),
        ),
    )
)

RATINGS = _register(
    Table(
        name="ratings",
        row="rating of a standard, a domain or the whole organisation",
        description="Ratings on the programme's scale; standard `overall` is the overall rating.",
        key=("inspection_id", "organisation", "standard"),
        labels=(
            ORGANISATION_LABEL,
            Label("standard_label", "standard", "standard"),
            Label("rating_label", "rating", "rating"),
        ),
        columns=(
            _id(),
            _organisation_type(),
            *_organisation(),
            Column(
                "standard_label",
                STRING,
                "Standard or domain rated, as published (`Overall` for the overall rating).",
                required=True,
            ),
            Column(
                "standard",
                STRING,
                "Standard code (reference/standards.csv).",
                required=True,
                curated=False,
                vocabulary="standard",
            ),
            Column("rating_label", STRING, "Rating as published.", required=True),
            Column(
                "rating",
                STRING,
                "Rating code (reference/rating_scales.csv).",
                required=True,
                curated=False,
                vocabulary="rating",
            ),
            Column(
                "rating_rank",
                INTEGER,
                "Position of the rating on its scale (1 = best).",
                required=True,
                curated=False,
                minimum=1,
            ),
            *_provenance(),
        ),
    )
)

DOMAIN_SCORES = _register(
    Table(
        name="domain_scores",
        row="score of an organisation in a domain",
        description="Share of cases meeting the standard of a domain, per organisation.",
        key=("inspection_id", "organisation", "domain", "period"),
        labels=(ORGANISATION_LABEL, Label("domain_label", "domain", "domain")),
        columns=(
            _id(),
            _organisation_type(),
            *_organisation(),
            Column("domain_label", STRING, "Domain as published.", required=True),
            Column(
                "domain",
                STRING,
                "Domain code (reference/domains.csv).",
                required=True,
                curated=False,
                vocabulary="domain",
            ),
            _percent("percent", "Percent of cases meeting the standard."),
            Column("period", STRING, "Year or period the score refers to.", required=True),
            *_provenance(),
        ),
    )
)

PUBLISHED_AGGREGATES = _register(
    Table(
        name="published_aggregates",
        row="statistic the source states about a group of areas or services",
        description="Lowest, highest, average, counts or totals the source publishes for a "
        "population of areas or services (reference/populations.csv), kept to be reproduced from "
        "curated rows.",
        key=(
            "inspection_id",
            "statistic",
            "population",
            "organisation_type",
            "domain",
            "standard",
            "rating",
            "period",
        ),
        labels=(
            Label("population_label", "population", "population"),
            Label("domain_label", "domain", "domain"),
            Label("standard_label", "standard", "standard"),
            Label("rating_label", "rating", "rating"),
        ),
        columns=(
            _id(),
            Column("statistic", STRING, "What is stated.", required=True, allowed=STATISTICS),
            Column(
                "population_label",
                STRING,
                "The group of areas or services it covers, as published.",
                required=True,
            ),
            Column(
                "population",
                STRING,
                "Population code (reference/populations.csv).",
                required=True,
                curated=False,
                vocabulary="population",
            ),
            Column(
                "organisation_type",
                STRING,
                "Only organisations of this type are counted (empty: the whole population).",
                allowed=ORGANISATION_TYPES,
            ),
            Column("domain_label", STRING, "Domain as published (empty when not by domain)."),
            Column("domain", STRING, "Domain code.", curated=False, vocabulary="domain"),
            Column(
                "standard_label",
                STRING,
                "Standard whose ratings are counted (`Overall` for "
                "overall ratings; empty when not about ratings).",
            ),
            Column("standard", STRING, "Standard code.", curated=False, vocabulary="standard"),
            Column(
                "rating_label",
                STRING,
                "Rating counted, as published (empty when not a count of ratings).",
            ),
            Column("rating", STRING, "Rating code.", curated=False, vocabulary="rating"),
            Column("value", NUMBER, "The value stated.", required=True),
            Column("unit", STRING, "Unit of the value.", required=True),
            Column("period", STRING, "Year or period it refers to.", required=True),
            *_provenance(),
        ),
    )
)

NEED_SUFFICIENCY = _register(
    Table(
        name="need_sufficiency",
        row="assessed need of an organisation's sample",
        description="Percent of cases with an assessed need in which the intervention delivered "
        "was sufficient, listed in the priority order the report gives.",
        key=("inspection_id", "organisation_type", "need"),
        labels=(Label("need_label", "need", "need"),),
        columns=(
            _id(),
            _organisation_type(),
            Column("need_label", STRING, "Need as published.", required=True),
            Column(
                "need",
                STRING,
                "Need code (reference/needs.csv).",
                required=True,
                curated=False,
                vocabulary="need",
            ),
            Column(
                "priority_rank",
                INTEGER,
                "Position in the published priority order (1 = first).",
                required=True,
                minimum=1,
            ),
            _percent(
                "percent_sufficient",
                "Percent of cases with this need in which the intervention was sufficient.",
            ),
            *_provenance(),
        ),
    )
)

CASELOADS = _register(
    Table(
        name="caseloads",
        row="caseload figure for a staff grade",
        description="Staffing establishment and caseloads per full-time equivalent, by grade and "
        "by how the figure was obtained.",
        key=("inspection_id", "organisation_type", "staff_grade", "basis"),
        labels=(Label("staff_grade_label", "staff_grade", "staff_grade"),),
        columns=(
            _id(),
            _organisation_type(),
            Column("staff_grade_label", STRING, "Staff grade as published.", required=True),
            Column(
                "staff_grade",
                STRING,
                "Staff grade code (reference/staff_grades.csv).",
                required=True,
                curated=False,
                vocabulary="staff_grade",
            ),
            Column(
                "basis",
                STRING,
                "How the figure was obtained.",
                required=True,
                allowed=CASELOAD_BASES,
            ),
            Column(
                "establishment_fte",
                NUMBER,
                "Staffing establishment, full-time equivalent.",
                minimum=0,
                strict_minimum=True,
                unit="FTE",
            ),
            Column("mean_caseload", NUMBER, "Mean caseload.", minimum=0),
            Column("min_caseload", NUMBER, "Lowest caseload stated.", minimum=0),
            Column("max_caseload", NUMBER, "Highest caseload stated.", minimum=0),
            Column("unit", STRING, "Unit of the caseload figures.", allowed=CASELOAD_UNITS),
            *_provenance(),
        ),
    )
)

JUDGEMENTS = _register(
    Table(
        name="judgements",
        row="narrative judgement quantified by the inspectorate's wording",
        description='Findings given in words ("almost half", "two-thirds"), as a published '
        "percentage or as an exact count, with the share interval the wording implies "
        "(reference/quantifiers.csv), the count gives or the percentage states.",
        key=(
            "inspection_id",
            "organisation_type",
            "cases_organisation_type",
            "domain",
            "aspect",
            "quantifier",
            "source_locator",
        ),
        labels=(Label("domain_label", "domain", "domain"),),
        columns=(
            _id(),
            _organisation_type("Organisation whose work is judged (`Area`: both together)."),
            Column(
                "cases_organisation_type",
                STRING,
                "Organisation whose cases the work was seen "
                "in (the NPS's work seen in CRC cases: `CRC`); empty in the CSV means the same as "
                "organisation_type.",
                required=True,
                allowed=ORGANISATION_TYPES,
                default_from="organisation_type",
            ),
            Column("domain_label", STRING, "Domain as published.", required=True),
            Column(
                "domain", STRING, "Domain code.", required=True, curated=False, vocabulary="domain"
            ),
            Column("aspect", STRING, "What was judged, in the curator's words.", required=True),
            Column(
                "finding_id",
                STRING,
                "Links the statements of one finding (Chapter 1 and "
                "Chapter 3, a judgement and its qualitative item): pooled counts use each "
                "finding once. Empty: the row is a finding of its own.",
                pattern=FINDING_ID_PATTERN,
            ),
            Column(
                "quantifier",
                STRING,
                "The inspectorate's wording, lower case (empty when the "
                "source gives only an exact count or a percentage).",
                vocabulary="quantifier",
            ),
            Column(
                "direction",
                STRING,
                "Whether the share is of cases where work was "
                "sufficient, insufficient, or of cases with a characteristic.",
                required=True,
                allowed=DIRECTIONS,
            ),
            Column("count", INTEGER, "Exact count when the source gives one.", minimum=0),
            Column("denominator", INTEGER, "Exact denominator when known.", minimum=1),
            _percent(
                "percent",
                'The share as a percentage, exactly as published ("in only 33 per cent of '
                'cases": 33); when count and denominator are also given, it must agree with '
                "them within its rounding.",
                required=False,
            ),
            Column("base", STRING, "What the share is of.", required=True, allowed=BASES),
            Column(
                "share_low",
                NUMBER,
                "Lower end of the share the wording implies (the share itself for an exact "
                "count or a published percentage).",
                curated=False,
                minimum=0,
                maximum=1,
                unit="fraction",
            ),
            Column(
                "share_high",
                NUMBER,
                "Upper end of the share the wording implies (the share itself for an exact "
                "count or a published percentage).",
                curated=False,
                minimum=0,
                maximum=1,
                unit="fraction",
            ),
            Column(
                "quantifier_basis",
                STRING,
                "Where the share interval comes from: exact count, "
                "published percentage, arithmetic, the inspectorate, or this project's "
                "assumption.",
                curated=False,
            ),
            *_provenance(),
        ),
    )
)

KEY_FACTS = _register(
    Table(
        name="key_facts",
        row="figure not held by another table",
        description="Other figures: national and local context, samples, counts, dates.",
        key=("inspection_id", "measure", "scope", "as_of", "source_locator"),
        labels=(Label("measure", "measure_code", "measure"),),
        columns=(
            _id(),
            Column(
                "measure",
                STRING,
                "What is measured (snake_case), as the curator wrote it: a "
                "code or an alias of reference/measures.csv.",
                required=True,
                pattern=r"^[a-z0-9_]+$",
            ),
            Column(
                "measure_code",
                STRING,
                "Measure code (reference/measures.csv): aliases such "
                "as `crcs_total` and `crcs_created` name one fact.",
                required=True,
                curated=False,
                vocabulary="measure",
            ),
            Column(
                "scope",
                STRING,
                "What the figure is about (organisation type or place).",
                required=True,
            ),
            Column("value", NUMBER, "The figure, when it is a number."),
            Column(
                "value_text",
                STRING,
                "The fact, when it is not a number (a date, a month, a "
                "name); exactly one of value and value_text is given.",
            ),
            Column(
                "qualifier", STRING, "How exact the figure is (empty: exact).", allowed=QUALIFIERS
            ),
            Column("unit", STRING, "Unit of the figure.", required=True),
            Column("as_of", STRING, "Date, month or period the figure refers to."),
            *_provenance(),
        ),
    )
)

RECOMMENDATIONS = _register(
    Table(
        name="recommendations",
        row="recommendation",
        description="Recommendations by addressee, with a short paraphrased theme.",
        key=("inspection_id", "addressee", "theme"),
        columns=(
            _id(),
            Column("number", INTEGER, "Number in the report (empty for partial lists).", minimum=1),
            Column(
                "addressee",
                STRING,
                "Who it is addressed to (codes joined by `+`).",
                required=True,
                pattern=ADDRESSEE_PATTERN,
            ),
            Column("theme", STRING, "What it asks for, in the curator's words.", required=True),
            *_provenance(),
        ),
    )
)

QUALITATIVE_FINDINGS = _register(
    Table(
        name="qualitative_findings",
        row="item of a table or list of findings given in words",
        description="Enablers and barriers, lists of features and the organisational changes a "
        "report tabulates, one item a row, paraphrased. An item that carries a quantity is also a "
        "row of `judgements`, linked by `finding_id`.",
        key=("inspection_id", "source_locator", "organisation_type", "kind", "item", "topic"),
        labels=(Label("domain_label", "domain", "domain"),),
        columns=(
            _id(),
            _organisation_type(
                "Organisation whose work the item is about (`Area`: both together)."
            ),
            Column(
                "domain_label",
                STRING,
                "Domain as published (empty when the table is not about one domain).",
            ),
            Column("domain", STRING, "Domain code.", curated=False, vocabulary="domain"),
            Column(
                "kind",
                STRING,
                "What the item is: an enabler or a barrier of an enablers and "
                "barriers table, a feature of a list, an organisational change or an "
                "inspectors' comment on it, a strength or a weakness stated outside a table.",
                required=True,
                allowed=FINDING_KINDS,
            ),
            Column(
                "item",
                INTEGER,
                "Number of the item in its table (empty for unnumbered lists).",
                minimum=1,
            ),
            Column("topic", STRING, "Row heading of the table, when it has one (e.g. Estates)."),
            Column(
                "finding",
                STRING,
                "The item in the curator's words (paraphrased, never pasted).",
                required=True,
            ),
            Column(
                "finding_id",
                STRING,
                "Links the item to the judgement or other statements of the same finding.",
                pattern=FINDING_ID_PATTERN,
            ),
            *_provenance(),
        ),
    )
)

INTERVENTIONS = _register(
    Table(
        name="interventions",
        row="intervention programme an organisation offers",
        description="Programmes listed by a report (e.g. the interventions a CRC offers within "
        "rehabilitation activity requirements), with who provides them and how many sessions.",
        key=("inspection_id", "organisation_type", "programme", "source_locator"),
        columns=(
            _id(),
            _organisation_type("Organisation offering the programme."),
            Column(
                "programme",
                STRING,
                "Name of the intervention programme as published.",
                required=True,
            ),
            Column("provider", STRING, "Who delivers or designed it, as published."),
            Column("purpose", STRING, "What it is for, in the curator's words."),
            Column("delivery", STRING, "How it is delivered.", allowed=DELIVERY_METHODS),
            Column(
                "sessions_from",
                INTEGER,
                "Fewest sessions (empty when not stated or flexible).",
                minimum=1,
                unit="sessions",
            ),
            Column(
                "sessions_to",
                INTEGER,
                "Most sessions (equal to sessions_from for a fixed "
                "number; empty when not stated or flexible).",
                minimum=1,
                unit="sessions",
            ),
            Column(
                "accredited", STRING, "Whether the programme is accredited.", allowed=("yes", "no")
            ),
            *_provenance(),
        ),
    )
)

DISCREPANCIES = _register(
    Table(
        name="discrepancies",
        row="value of a figure on which sources, or parts of one source, disagree",
        description="Disagreements kept rather than silently resolved: inside one source (two "
        "sections of a report) or between sources (a report and a news article). One row per "
        "value, numbered by discrepancy; from the `discrepancies` list of inspection.yaml.",
        from_yaml=True,
        key=("inspection_id", "discrepancy", "position"),
        columns=(
            _id(),
            Column(
                "discrepancy",
                INTEGER,
                "Number of the discrepancy in inspection.yaml (1 = first).",
                required=True,
                curated=False,
                minimum=1,
            ),
            Column(
                "field",
                STRING,
                "The figure the values are of (table.column or a description).",
                required=True,
            ),
            Column(
                "position",
                INTEGER,
                "Which of the values this row is (1 = first).",
                required=True,
                curated=False,
                minimum=1,
            ),
            Column("value", STRING, "One of the values, as the source gives it.", required=True),
            Column(
                "source_locator", STRING, "Where in its source this value stands.", required=True
            ),
            Column(
                "source_url",
                STRING,
                "The source of this value; empty in inspection.yaml "
                "means the inspection's source_url.",
                required=True,
                pattern=URL_PATTERN,
            ),
            Column(
                "scope",
                STRING,
                "Whether the values come from one source or several.",
                required=True,
                curated=False,
                allowed=DISCREPANCY_SCOPES,
            ),
            Column("note", STRING, "What is known about the disagreement, in the curator's words."),
        ),
    )
)

FIELD_SOURCES = _register(
    Table(
        name="field_sources",
        row="field of inspection.yaml taken from another document than the inspection's source",
        description="Where a single value of inspection.yaml (a publication day, a fieldwork "
        "month) was read when it is not in the document curated; from the `field_sources` "
        "mapping of inspection.yaml.",
        from_yaml=True,
        key=("inspection_id", "field"),
        columns=(
            _id(),
            Column(
                "field",
                STRING,
                "The field of inspection.yaml.",
                required=True,
                allowed=SOURCED_FIELDS,
            ),
            Column("value", STRING, "Its value in inspection.yaml.", curated=False),
            Column(
                "certainty",
                STRING,
                "How the value was obtained.",
                required=True,
                allowed=CERTAINTIES,
            ),
            Column(
                "source_locator", STRING, "Where in that document the value stands.", required=True
            ),
            Column(
                "source_url",
                STRING,
                "The document the value was read in.",
                required=True,
                pattern=URL_PATTERN,
            ),
            Column("notes", STRING, "Caveats in the curator's words."),
        ),
    )
)

#: Tables read from CSV files in an inspection folder.
CSV_TABLES = tuple(t for t in TABLES.values() if not t.from_yaml)

#: Keys of inspection.yaml beyond the columns of `inspections`: the tables read from it, notes.
YAML_EXTRAS = ("discrepancies", "field_sources", "notes")

#: Columns every CSV table may carry without a value.
OPTIONAL_PROVENANCE = ("certainty", "source_url", "field_certainty", "notes")


@dataclass(frozen=True)
class Vocabulary:
    """A reference vocabulary: a CSV of codes in data/reference/.

    `columns`, when given, are checked when the vocabulary is read (required, allowed values,
    pattern, vocabulary codes) and listed in the data dictionary with `description`.
    """

    name: str
    filename: str
    code_column: str
    label_column: str = "label"
    extra: tuple[str, ...] = field(default_factory=tuple)
    description: str = ""
    columns: tuple[Column, ...] = ()


GEOGRAPHIC = ("yes", "no")
#: A register code of a probation region (N03 Wales ... N59 South Central).
REGION_CODE_PATTERN = r"^N[0-9]{2}$"
MONTH_PATTERN = r"^[0-9]{4}-(?:0[1-9]|1[0-2])$"

PDU_REGISTER_COLUMNS = (
    Column(
        "pdu", STRING, "The unit's code in the register.", required=True, pattern=r"^[A-Z0-9]+$"
    ),
    Column(
        "label",
        STRING,
        "The unit's name as the register stores it; other names, such as "
        "the Inspectorate's, map to the code through aliases.csv (vocabulary `pdu`).",
        required=True,
    ),
    Column(
        "region_code",
        STRING,
        "The register's code of the region.",
        required=True,
        pattern=REGION_CODE_PATTERN,
    ),
    Column("region_label", STRING, "The region's name as the register stores it.", required=True),
    Column(
        "region",
        STRING,
        "The region as an organisation (reference/organisations.csv, type Region).",
        required=True,
        vocabulary="organisation",
    ),
    Column(
        "geographic",
        STRING,
        "`yes` for a probation delivery unit covering an area; `no` "
        "for other units (unpaid work, courts, public-protection teams), which coverage "
        "does not count.",
        required=True,
        allowed=GEOGRAPHIC,
    ),
    Column(
        "organisation",
        STRING,
        "The curated organisation that is this unit (type PDU), when it has been curated.",
        vocabulary="organisation",
    ),
    Column(
        "formed",
        STRING,
        "Month the unit was formed by a reconfiguration, when known (YYYY-MM).",
        pattern=MONTH_PATTERN,
    ),
    Column("replaces", STRING, "Names of the units it replaced, as published (`; `)."),
    Column(
        "predecessors",
        STRING,
        "Curated organisations (type PDU) it replaced, codes joined "
        "by `|`: their inspections count as inspections before the reconfiguration.",
    ),
    Column(
        "source_url", STRING, "Where the register was read.", required=True, pattern=URL_PATTERN
    ),
    Column("notes", STRING, "Caveats in the curator's words."),
)


VOCABULARIES: dict[str, Vocabulary] = {
    v.name: v
    for v in (
        Vocabulary("programme", "programmes.csv", "programme"),
        Vocabulary("domain", "domains.csv", "domain"),
        Vocabulary("standard", "standards.csv", "standard"),
        Vocabulary("rating", "rating_scales.csv", "rating"),
        Vocabulary("need", "needs.csv", "need"),
        Vocabulary("staff_grade", "staff_grades.csv", "staff_grade"),
        Vocabulary("organisation", "organisations.csv", "organisation"),
        Vocabulary("quantifier", "quantifiers.csv", "quantifier", label_column="quantifier"),
        Vocabulary("population", "populations.csv", "population"),
        Vocabulary("measure", "measures.csv", "measure"),
        Vocabulary(
            "pdu",
            "pdus.csv",
            "pdu",
            description="The probation regions and their delivery units as the Ministry of "
            "Justice's estate register records them (June 2025): one row per unit, with its "
            "region and, where curated, the organisation that is the unit. Coverage of "
            'inspections ("N of 108 PDUs inspected") counts its geographic units.',
            columns=PDU_REGISTER_COLUMNS,
        ),
    )
}
