"""Reference vocabularies (data/reference/) and the mapping of published labels to codes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import DataError, DataIssue, display_path
from .readers import INTEGER_RE, NUMBER_RE, read_csv
from .schema import VOCABULARIES

ALIASES_FILE = "aliases.csv"
ALIAS_COLUMNS = ("vocabulary", "label", "code")

#: Columns the package computes with, beyond each vocabulary's code: checked when it is read, so
#: that a broken reference file is reported (file, line, column) rather than failing later.
REQUIRED_COLUMNS = {"rating": ("rank",), "quantifier": ("kind",)}
#: Whole-number columns of the vocabularies (empty allowed), read as strictly as curated ones.
WHOLE_COLUMNS = {"domain": ("order",), "standard": ("order",), "population": ("members",)}
QUANTIFIER_KINDS = ("share", "count", "relative")
#: The share intervals of a quantifier, narrowest inside: loose contains share contains strict.
NESTED_SHARES = ("loose_low", "share_low", "strict_low", "strict_high", "share_high",
                 "loose_high")


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
                issues.append(DataIssue(display_path(path), 1, vocab.code_column,
                                        "required column is missing"))
                continue
            duplicated = frame[frame[vocab.code_column].duplicated()]
            for line, code in duplicated[vocab.code_column].items():
                issues.append(DataIssue(display_path(path), int(line), vocab.code_column,
                                        "codes must be unique in a vocabulary", code))
            issues.extend(_check_vocabulary(name, frame, display_path(path)))
            tables[name] = frame
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
            raise DataError([DataIssue(display_path(path), 1, column, "required column is "
                                       "missing") for column in missing])
        issues, mapping = [], {name: {} for name in VOCABULARIES}
        for name, vocab in VOCABULARIES.items():
            table = self.tables[name]
            for code in table[vocab.code_column].dropna():
                mapping[name][code] = code
            if vocab.label_column in table.columns:
                for code, label in table[[vocab.code_column, vocab.label_column]].dropna()\
                        .itertuples(index=False):
                    mapping[name][label.strip()] = code
        for line, row in frame.iterrows():
            vocabulary, label, code = row.get("vocabulary"), row.get("label"), row.get("code")
            if vocabulary not in mapping:
                issues.append(DataIssue(display_path(path), int(line), "vocabulary",
                                        "not a known vocabulary", str(vocabulary)))
            elif code not in self.codes(vocabulary):
                issues.append(DataIssue(display_path(path), int(line), "code",
                                        f"not a code of vocabulary {vocabulary}", str(code)))
            elif pd.isna(label):
                issues.append(DataIssue(display_path(path), int(line), "label",
                                        "must not be empty"))
            else:
                known = mapping[vocabulary].get(label.strip())
                if known is not None and known != code:
                    issues.append(DataIssue(display_path(path), int(line), "label",
                                            f"already maps to {known}", label))
                mapping[vocabulary][label.strip()] = code
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
        table = self.tables["quantifier"]
        match = table[table["quantifier"] == word]
        return None if match.empty else match.iloc[0]


def _numbers(frame: pd.DataFrame, columns, shown: str, issues: list[DataIssue],
             whole: bool = False) -> pd.DataFrame:
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
            issues.append(DataIssue(shown, int(line), column, "must be a whole number (no "
                                    "decimals)" if whole else "must be a plain number",
                                    value))
        values = pd.to_numeric(text.where(~bad), errors="coerce")
        out[column] = values.astype("Int64") if whole else values
    return out


def _check_vocabulary(name: str, frame: pd.DataFrame, shown: str) -> list[DataIssue]:
    """What the package needs of a vocabulary beyond unique codes (REQUIRED_COLUMNS)."""
    issues = [DataIssue(shown, 1, column, "required column is missing")
              for column in REQUIRED_COLUMNS.get(name, ()) if column not in frame.columns]
    if issues:
        return issues
    _numbers(frame, WHOLE_COLUMNS.get(name, ()), shown, issues, whole=True)
    if name == "rating":
        ranks = _numbers(frame, ["rank"], shown, issues, whole=True)["rank"]
        for line in ranks.index[frame["rank"].isna() | (ranks < 1).fillna(False)]:
            issues.append(DataIssue(shown, int(line), "rank", "must be a whole number from 1 "
                                    "(1 = best)", frame.at[line, "rank"]))
    if name == "quantifier":
        for line, kind in frame["kind"].items():
            if kind not in QUANTIFIER_KINDS:
                issues.append(DataIssue(shown, int(line), "kind", "must be one of: "
                                        + ", ".join(QUANTIFIER_KINDS), kind))
        shares = _numbers(frame, NESTED_SHARES, shown, issues)
        counts = _numbers(frame, ["count_low", "count_high"], shown, issues, whole=True)
        for line in frame.index[frame["kind"] == "share"]:
            given = [(c, shares.at[line, c]) for c in NESTED_SHARES
                     if c in shares.columns and pd.notna(shares.at[line, c])]
            values = [v for _, v in given]
            if any(c not in frame.columns or pd.isna(frame.at[line, c])
                   for c in ("share_low", "share_high")):
                issues.append(DataIssue(shown, int(line), "share_low, share_high",
                                        "a share quantifier needs share_low and share_high"))
            elif values and (values != sorted(values) or values[0] < 0 or values[-1] > 1):
                issues.append(DataIssue(
                    shown, int(line), ", ".join(c for c, _ in given),
                    "the intervals must nest within 0 and 1: " + " <= ".join(NESTED_SHARES),
                    ", ".join(f"{v:g}" for v in values)))
        if set(counts.columns) == {"count_low", "count_high"}:
            wrong = counts["count_low"] > counts["count_high"]
            for line in counts.index[wrong.fillna(False)]:
                issues.append(DataIssue(shown, int(line), "count_low",
                                        "must not exceed count_high",
                                        str(frame.at[line, "count_low"])))
    return issues

