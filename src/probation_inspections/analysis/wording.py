"""Worded judgements ("almost half") as share intervals under each reading of the quantifier
vocabulary, and whether a conclusion survives all readings."""

from __future__ import annotations

import pandas as pd

from ..curated.shares import READINGS, Reading, judgement_shares


def judgement_intervals(
    judgements: pd.DataFrame, quantifiers: pd.DataFrame, reading: Reading = "central"
) -> pd.DataFrame:
    """The judgements with share_low/share_high recomputed under one reading of the words.

    'central' is the reading the loader uses, 'strict' the narrow one, 'loose' the wide one
    (columns of quantifiers.csv); the shares come from the loader's own function
    (`curated.shares.judgement_shares`). Adds a `reading` column; other columns are kept.
    """
    table = judgement_shares(judgements, quantifiers, reading)
    table["reading"] = pd.array([reading] * len(table), dtype="string")
    return table.reset_index(drop=True)


def side_of(low, high, threshold: float = 0.5) -> str | None:
    """'above', 'below' or 'undetermined': where a share interval lies against a threshold.

    An interval touching the threshold at one end counts as on the other side, because the
    vocabulary's bounds at one half are exclusive ('the majority' is more than half, 'almost
    half' and 'less than half' are less than half). An interval that is the threshold itself
    (exactly half) is undetermined. Missing bounds give None.
    """
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return None
    low, high = float(low), float(high)
    if low >= threshold and high > threshold:
        return "above"
    if high <= threshold and low < threshold:
        return "below"
    return "undetermined"


def sensitivity(
    judgements: pd.DataFrame, quantifiers: pd.DataFrame, threshold: float = 0.5
) -> pd.DataFrame:
    """Does each judgement's conclusion against `threshold` survive every reading of its words?

    With the default threshold the conclusion is whether more or fewer than half of the cases
    had the stated direction ("majority sufficient"). Columns: inspection_id,
    organisation_type, domain, aspect, quantifier, direction, count, denominator,
    source_locator, then side_central, side_strict, side_loose ('above', 'below',
    'undetermined'; see `side_of`), conclusion and statement:
    - 'holds': every reading puts the share on the same side of the threshold;
    - 'undetermined': no reading puts it on either side;
    - 'flips': the side depends on the reading (a side under one, the other side or no side
      under another);
    - missing: no reading gives an interval (relative words, counts without denominator).
    A reading without an interval for a row (a blank column in the vocabulary) is left out.
    `statement` puts a conclusion that holds in words, e.g. 'more than half: sufficient'.
    """
    keys = [
        "inspection_id",
        "organisation_type",
        "domain",
        "aspect",
        "quantifier",
        "direction",
        "count",
        "denominator",
        "source_locator",
    ]
    table = judgements[[c for c in keys if c in judgements]].copy().reset_index(drop=True)
    for reading in READINGS:
        shares = judgement_intervals(judgements, quantifiers, reading)
        sides = [
            side_of(lo, hi, threshold)
            for lo, hi in zip(shares["share_low"], shares["share_high"], strict=True)
        ]
        table[f"side_{reading}"] = pd.array(sides, dtype="string")
    conclusions: list[str | None] = []
    statements: list[str | None] = []
    share = f"{threshold:.0%}" if threshold != 0.5 else "half"
    for row in table[[f"side_{r}" for r in READINGS]].itertuples(index=False):
        sides = [s for s in row if not pd.isna(s)]
        if not sides:
            conclusions.append(None)
            statements.append(None)
        elif all(s == "undetermined" for s in sides):
            conclusions.append("undetermined")
            statements.append(None)
        elif len(set(sides)) == 1:
            conclusions.append("holds")
            statements.append(("more than " if sides[0] == "above" else "less than ") + share)
        else:
            conclusions.append("flips")
            statements.append(None)
    table["conclusion"] = pd.array(conclusions, dtype="string")
    if "direction" in table:
        statements = [
            None if s is None or pd.isna(d) else f"{s}: {d}"
            for s, d in zip(statements, table["direction"], strict=True)
        ]
    table["statement"] = pd.array(statements, dtype="string")
    return table


#: The conclusion of a finding whose words give no interval under any reading.
NO_INTERVAL = "no interval (relative word or count alone)"
#: Conclusions that depend on how the words are read.
IN_DOUBT = ("flips", "undetermined")


def conclusion_counts(checked: pd.DataFrame) -> pd.DataFrame:
    """How many findings (rows of `sensitivity`) hold, flip, stay undetermined or give no
    interval: columns conclusion, findings; most frequent first."""
    tally = checked["conclusion"].astype("string").fillna(NO_INTERVAL)
    return tally.value_counts().rename_axis("conclusion").reset_index(name="findings")


def conclusions_in_doubt(checked: pd.DataFrame) -> pd.DataFrame:
    """The findings of `sensitivity` whose conclusion flips or stays undetermined."""
    return checked[checked["conclusion"].isin(IN_DOUBT).fillna(False)].reset_index(drop=True)
