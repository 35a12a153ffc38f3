"""Reference vocabularies (data/reference/) and the mapping of published labels to codes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import DataError, DataIssue, display_path
from .readers import INTEGER_RE, NUMBER_RE, read_csv
from .schema import CERTAINTIES, VOCABULARIES, Column

ALIASES_FILE = "aliases.csv"
ALIAS_COLUMNS = ("vocabulary", "label", "code")

#: Columns the package computes with, beyond each vocabulary's code: checked when it is read, so
#: that a broken reference file is reported (file, line, column) rather than failing later.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {"rating": ("rank",), "quantifier": ("kind",)}
#: Whole-number columns of the vocabularies (empty allowed), read as strictly as curated ones.
WHOLE_COLUMNS = {"domain": ("order",), "standard": ("order",), "population": ("members",)}
for _vocabulary in VOCABULARIES.values():
    if _vocabulary.columns:
        REQUIRED_COLUMNS[_vocabulary.name] = tuple(
            c.name for c in _vocabulary.columns if c.required
        )
QUANTIFIER_KINDS = ("share", "count", "relative")
#: The share intervals of a quantifier, narrowest inside: loose contains share contains strict.
NESTED_SHARES = ("loose_low", "share_low", "strict_low", "strict_high", "share_high", "loose_high")


@dataclass
class Reference:
    """All vocabularies of one data directory, read once."""

    root: Path

    @classmethod
    def load(cls, data_root: Path | None = None) -> Reference:
        ref = cls(config.reference_dir(data_root))
        ref.tables  # noqa: B018 - read now so that errors surface at load time
        ref.aliases  # noqa: B018
        return ref

    @cached_property
    def tables(self) -> dict[str, pd.DataFrame]:
        tables, issues = {}, []
        for name, vocab in VOCABULARIES.items():
            path = self.root / vocab.filename
            try:
                frame = read_csv(path)
            except DataError as err:
                issues.extend(err.issues)
                continue
            if vocab.code_column not in frame.columns:
                issues.append(
                    DataIssue(
                        display_path(path), 1, vocab.code_column, "required column is missing"
                    )
                )
                continue
            duplicated = frame[frame[vocab.code_column].duplicated()]
            for line, code in duplicated[vocab.code_column].items():
                issues.append(
                    DataIssue(
                        display_path(path),
                        int(line),
                        vocab.code_column,
                        "codes must be unique in a vocabulary",
                        code,
                    )
                )
            issues.extend(_check_vocabulary(name, frame, display_path(path)))
            tables[name] = frame
        if not issues:
            for vocab in VOCABULARIES.values():
                issues.extend(_check_codes(vocab, tables, display_path(self.root / vocab.filename)))
            issues.extend(_check_register(tables, display_path(self.root / "pdus.csv")))
        if issues:
            raise DataError(issues)
        return tables

    def codes(self, vocabulary: str) -> set[str]:
        vocab = VOCABULARIES[vocabulary]
        return set(self.tables[vocabulary][vocab.code_column].dropna())

    @cached_property
    def aliases(self) -> dict[str, dict[str, str]]:
        """vocabulary -> {label as published: code}; every code is also its own label."""
        path = self.root / ALIASES_FILE
        frame = read_csv(path)
        missing = [c for c in ALIAS_COLUMNS if c not in frame.columns]
        if missing:
            raise DataError(
                [
                    DataIssue(display_path(path), 1, column, "required column is missing")
                    for column in missing
                ]
            )
        issues: list[DataIssue] = []
        mapping: dict[str, dict[str, str]] = {name: {} for name in VOCABULARIES}
        for name, vocab in VOCABULARIES.items():
            table = self.tables[name]
            for code in table[vocab.code_column].dropna():
                mapping[name][code] = code
            if vocab.label_column in table.columns:
                for code, label in (
                    table[[vocab.code_column, vocab.label_column]].dropna().itertuples(index=False)
                ):
                    mapping[name][label.strip()] = code
        for line, row in frame.iterrows():
            vocabulary, label, code = row.get("vocabulary"), row.get("label"), row.get("code")
            if vocabulary not in mapping:
                issues.append(
                    DataIssue(
                        display_path(path),
                        int(line),
                        "vocabulary",
                        "not a known vocabulary",
                        str(vocabulary),
                    )
                )
            elif code not in self.codes(vocabulary):
                issues.append(
                    DataIssue(
                        display_path(path),
                        int(line),
                        "code",
                        f"not a code of vocabulary {vocabulary}",
                        str(code),
                    )
                )
            elif pd.isna(label):
                issues.append(
                    DataIssue(display_path(path), int(line), "label", "must not be empty")
                )
            else:
                known = mapping[vocabulary].get(label.strip())
                if known is not None and known != code:
                    issues.append(
                        DataIssue(
                            display_path(path),
                            int(line),
                            "label",
                            f"already maps to {known}",
                            label,
                        )
                    )
                mapping[vocabulary][label.strip()] = code
        if not issues:
            issues.extend(
                _check_register_names(self.tables, mapping, display_path(self.root / "pdus.csv"))
            )
        if issues:
            raise DataError(issues)
        return mapping

    def to_code(self, vocabulary: str, label) -> str | None:
        if label is None or pd.isna(label):
            return None
        return self.aliases[vocabulary].get(str(label).strip())

    def labels(self, vocabulary: str) -> set[str]:
        return set(self.aliases[vocabulary])

    def rating_rank(self, rating: str | None) -> int | None:
        table = self.tables["rating"]
        match = table.loc[table["rating"] == rating, "rank"]
        return None if match.empty else int(match.iloc[0])

    def quantifier(self, word: str | None) -> pd.Series | None:
        """The row of `word` in the quantifier vocabulary (its first, if listed twice), or None."""
        return self._quantifier_rows.get(word)

    @cached_property
    def _quantifier_rows(self) -> dict[str | None, pd.Series]:
        table = self.tables["quantifier"]
        rows: dict[str | None, pd.Series] = {}
        for position, word in enumerate(table["quantifier"].tolist()):
            if not pd.isna(word):
                rows.setdefault(word, table.iloc[position])
        return rows


def _numbers(
    frame: pd.DataFrame, columns, shown: str, issues: list[DataIssue], whole: bool = False
) -> pd.DataFrame:
    """The columns as numbers; a cell that is not one is an issue (and stays empty).

    Read as strictly as a curated table: `4.0` is not a whole number, `1e3` and `50%` are not
    numbers.
    """
    out = pd.DataFrame(index=frame.index)
    pattern = INTEGER_RE if whole else NUMBER_RE
    for column in columns:
        if column not in frame.columns:
            continue
        text = frame[column]
        bad = text.notna() & ~text.fillna("0").str.match(pattern).astype(bool)
        for line, value in text[bad].items():
            issues.append(
                DataIssue(
                    shown,
                    int(line),
                    column,
                    "must be a whole number (no decimals)" if whole else "must be a plain number",
                    value,
                )
            )
        values = pd.to_numeric(text.where(~bad), errors="coerce")
        out[column] = values.astype("Int64") if whole else values
    return out


def _check_vocabulary(name: str, frame: pd.DataFrame, shown: str) -> list[DataIssue]:
    """What the package needs of a vocabulary beyond unique codes (REQUIRED_COLUMNS)."""
    issues = [
        DataIssue(shown, 1, column, "required column is missing")
        for column in REQUIRED_COLUMNS.get(name, ())
        if column not in frame.columns
    ]
    if issues:
        return issues
    _numbers(frame, WHOLE_COLUMNS.get(name, ()), shown, issues, whole=True)
    for column in VOCABULARIES[name].columns:
        issues.extend(_check_column(column, frame, shown))
    if name == "population":
        issues.extend(_check_population_sizes(frame, shown))
    if name == "rating":
        ranks = _numbers(frame, ["rank"], shown, issues, whole=True)["rank"]
        for line in ranks.index[frame["rank"].isna() | (ranks < 1).fillna(False)]:
            issues.append(
                DataIssue(
                    shown,
                    int(line),
                    "rank",
                    "must be a whole number from 1 (1 = best)",
                    frame.at[line, "rank"],
                )
            )
    if name == "quantifier":
        for line, kind in frame["kind"].items():
            if kind not in QUANTIFIER_KINDS:
                issues.append(
                    DataIssue(
                        shown,
                        int(line),
                        "kind",
                        "must be one of: " + ", ".join(QUANTIFIER_KINDS),
                        kind,
                    )
                )
        shares = _numbers(frame, NESTED_SHARES, shown, issues)
        counts = _numbers(frame, ["count_low", "count_high"], shown, issues, whole=True)
        for line in frame.index[frame["kind"] == "share"]:
            given = [
                (c, shares.at[line, c])
                for c in NESTED_SHARES
                if c in shares.columns and pd.notna(shares.at[line, c])
            ]
            values = [v for _, v in given]
            if any(
                c not in frame.columns or pd.isna(frame.at[line, c])
                for c in ("share_low", "share_high")
            ):
                issues.append(
                    DataIssue(
                        shown,
                        int(line),
                        "share_low, share_high",
                        "a share quantifier needs share_low and share_high",
                    )
                )
            elif values and (values != sorted(values) or values[0] < 0 or values[-1] > 1):
                issues.append(
                    DataIssue(
                        shown,
                        int(line),
                        ", ".join(c for c, _ in given),
                        "the intervals must nest within 0 and 1: " + " <= ".join(NESTED_SHARES),
                        ", ".join(f"{v:g}" for v in values),
                    )
                )
        if set(counts.columns) == {"count_low", "count_high"}:
            wrong = counts["count_low"] > counts["count_high"]
            for line in counts.index[wrong.fillna(False)]:
                issues.append(
                    DataIssue(
                        shown,
                        int(line),
                        "count_low",
                        "must not exceed count_high",
                        str(frame.at[line, "count_low"]),
                    )
                )
    return issues


def _check_column(column: Column, frame: pd.DataFrame, shown: str) -> list[DataIssue]:
    """The rules of a documented vocabulary column that need no other vocabulary."""
    if column.name not in frame.columns:
        return []
    issues = []
    values = frame[column.name]
    if column.required:
        for line in values.index[values.isna()]:
            issues.append(DataIssue(shown, int(line), column.name, "must not be empty"))
    present = values.dropna()
    if column.allowed:
        for line, value in present[~present.isin(column.allowed)].items():
            issues.append(
                DataIssue(
                    shown,
                    int(line),
                    column.name,
                    "must be one of: " + ", ".join(column.allowed),
                    value,
                )
            )
    if column.pattern:
        wrong = ~present.astype(str).str.contains(column.pattern, regex=True)
        for line, value in present[wrong].items():
            issues.append(
                DataIssue(
                    shown, int(line), column.name, f"must match the pattern {column.pattern}", value
                )
            )
    return issues


def _check_codes(vocab, tables: dict[str, pd.DataFrame], shown: str) -> list[DataIssue]:
    """Columns of a documented vocabulary that hold codes of another vocabulary."""
    issues = []
    frame = tables.get(vocab.name)
    for column in vocab.columns:
        if not column.vocabulary or frame is None or column.name not in frame.columns:
            continue
        other = VOCABULARIES[column.vocabulary]
        known = set(tables[column.vocabulary][other.code_column].dropna())
        for line, value in frame[column.name].dropna().items():
            if value not in known:
                issues.append(
                    DataIssue(
                        shown,
                        int(line),
                        column.name,
                        f"must be a code of vocabulary {column.vocabulary} ({other.filename})",
                        value,
                    )
                )
    return issues


def _check_population_sizes(frame: pd.DataFrame, shown: str) -> list[DataIssue]:
    """`out_of` (how many organisations the population is drawn from) is a whole number not
    below a numeric `members`; `members_certainty` says how the counts were obtained."""
    issues: list[DataIssue] = []
    if "out_of" in frame.columns:
        out_of = _numbers(frame, ["out_of"], shown, issues, whole=True)["out_of"]
        members = pd.to_numeric(frame.get("members"), errors="coerce")
        for line in frame.index[(out_of < members).fillna(False)]:
            issues.append(
                DataIssue(
                    shown,
                    int(line),
                    "out_of",
                    "must not be less than members",
                    frame.at[line, "out_of"],
                )
            )
    if "members_certainty" in frame.columns:
        given = frame["members_certainty"].dropna()
        for line, value in given[~given.isin(CERTAINTIES)].items():
            issues.append(
                DataIssue(
                    shown,
                    int(line),
                    "members_certainty",
                    "must be one of: " + ", ".join(CERTAINTIES),
                    value,
                )
            )
    return issues


#: Rules of the PDU register (pdus.csv) that compare it with the organisations vocabulary and
#: the aliases; listed in the data dictionary.
REGISTER_RULES = (
    (
        "region_is_a_region",
        "region must be an organisation of type Region, the same for every unit of a region_code",
    ),
    (
        "organisation_is_a_pdu",
        "organisation and predecessors must be organisations of type "
        "PDU; an organisation is linked to one unit at most",
    ),
    (
        "region_agrees",
        "a linked organisation's region, when organisations.csv gives one, must "
        "be the unit's region",
    ),
    (
        "names_map_to_the_unit",
        "a linked organisation's name must be the unit's name or map to "
        "its code through aliases.csv (vocabulary pdu)",
    ),
)


def _types(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    organisations = tables["organisation"]
    if "organisation_type" not in organisations.columns:
        return {}
    return dict(zip(organisations["organisation"], organisations["organisation_type"], strict=True))


def _check_register(tables: dict[str, pd.DataFrame], shown: str) -> list[DataIssue]:
    register = tables.get("pdu")
    if register is None or "organisation" not in tables:
        return []
    issues, types = [], _types(tables)
    regions: dict[str, str] = {}
    for line, code, region in register[["region_code", "region"]].dropna().itertuples():
        if types.get(region) != "Region":
            issues.append(
                DataIssue(
                    shown,
                    int(line),
                    "region",
                    "must be an organisation of type Region (organisations.csv)",
                    region,
                )
            )
        elif regions.setdefault(code, region) != region:
            issues.append(
                DataIssue(
                    shown,
                    int(line),
                    "region",
                    f"region_code {code} is already region {regions[code]}",
                    region,
                )
            )
    linked: dict[str, int] = {}
    for line, organisation in register["organisation"].dropna().items():
        if types.get(organisation) != "PDU":
            issues.append(
                DataIssue(
                    shown,
                    int(line),
                    "organisation",
                    "must be an organisation of type PDU (organisations.csv)",
                    organisation,
                )
            )
        elif organisation in linked:
            issues.append(
                DataIssue(
                    shown,
                    int(line),
                    "organisation",
                    f"is already linked to the unit on line {linked[organisation]}",
                    organisation,
                )
            )
        linked.setdefault(organisation, int(line))
    if "predecessors" in register.columns:
        for line, value in register["predecessors"].dropna().items():
            for organisation in str(value).split("|"):
                if types.get(organisation) != "PDU":
                    issues.append(
                        DataIssue(
                            shown,
                            int(line),
                            "predecessors",
                            "must be organisations of type PDU joined by |",
                            organisation,
                        )
                    )
    organisations = tables["organisation"].set_index("organisation")
    if "region" in organisations.columns:
        for line, unit in register.dropna(subset=["organisation"]).iterrows():
            stated = organisations["region"].get(unit["organisation"])
            if isinstance(stated, str) and stated != unit["region"]:
                issues.append(
                    DataIssue(
                        shown,
                        int(line),
                        "region",
                        f"organisations.csv gives {unit['organisation']} the region {stated}",
                        unit["region"],
                    )
                )
    return issues


def _check_register_names(
    tables: dict[str, pd.DataFrame], mapping: dict[str, dict[str, str]], shown: str
) -> list[DataIssue]:
    register = tables.get("pdu")
    if register is None:
        return []
    labels = tables["organisation"].set_index("organisation")["label"]
    issues = []
    for line, unit in register.dropna(subset=["organisation"]).iterrows():
        name = labels.get(unit["organisation"])
        if isinstance(name, str) and mapping["pdu"].get(name.strip()) != unit["pdu"]:
            issues.append(
                DataIssue(
                    shown,
                    int(line),
                    "organisation",
                    f"the name '{name}' "
                    f"must map to {unit['pdu']} through aliases.csv "
                    "(vocabulary pdu)",
                    unit["organisation"],
                )
            )
    return issues


class CodeLabels(dict):
    """Codes of a vocabulary and their labels: a mapping, and a function for table formats that
    gives a code the vocabulary lacks back as it is (a missing value stays missing)."""

    def __call__(self, code):
        if code is None or (not isinstance(code, str) and pd.isna(code)):
            return code
        return self.get(code, code)


def code_labels(vocabulary: str, table: pd.DataFrame, by: str | None = None) -> CodeLabels:
    """The label of every code of `vocabulary`, from its table (`reference(vocabulary)`):
    `code_labels("rating", reference("rating"))("requires_improvement")` is "Requires
    improvement". `by`: another column to look labels up by (a rating's `rank`)."""
    known = VOCABULARIES[vocabulary]
    key = by or known.code_column
    for column in (key, known.label_column):
        if column not in table.columns:
            raise ValueError(f"vocabulary {vocabulary} has no column {column!r}")
    rows = table.dropna(subset=[key])
    return CodeLabels(zip(rows[key].tolist(), rows[known.label_column].tolist(), strict=True))
