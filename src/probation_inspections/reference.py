"""Reference vocabularies (data/reference/) and the mapping of published labels to codes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from . import config
from .errors import DataError, DataIssue, display_path
from .schema import VOCABULARIES
from .tabular import read_csv

ALIASES_FILE = "aliases.csv"


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
