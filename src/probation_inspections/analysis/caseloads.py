"""Caseloads by staff grade, and the key facts and judgements that are findings about workloads."""

from __future__ import annotations

import pandas as pd

from ..report.text import describe_value, words
from .ratings import _with_inspection
from .select import for_inspection

#: Words that mark a key fact or judgement as a finding about workloads.
WORKLOAD_PATTERN = r"caseload|workload|vacanc|staffing|sickness|turnover"


def caseload_table(
    caseloads: pd.DataFrame,
    inspections: pd.DataFrame | None = None,
    inspection_id: str | None = None,
) -> pd.DataFrame:
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


def workload_findings(
    key_facts: pd.DataFrame,
    judgements: pd.DataFrame,
    pattern: str = WORKLOAD_PATTERN,
    inspection_id: str | None = None,
) -> pd.DataFrame:
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
    facts = key_facts[
        key_facts["measure"]
        .str.contains(pattern, case=False, regex=True)
        .fillna(False)
        .astype(bool)
    ]
    found = judgements[
        judgements["aspect"]
        .str.contains(pattern, case=False, regex=True)
        .fillna(False)
        .astype(bool)
    ]
    rows = []
    for fact in facts.itertuples(index=False):
        rows.append(
            {
                "inspection_id": fact.inspection_id,
                "kind": "key fact",
                "scope": fact.scope,
                "finding": words(fact.measure),
                "value": describe_value(
                    fact.value, fact.qualifier, fact.unit, getattr(fact, "value_text", None)
                ),
                "source_locator": fact.source_locator,
                "source_url": fact.source_url,
            }
        )
    for judgement in found.itertuples(index=False):
        rows.append(
            {
                "inspection_id": judgement.inspection_id,
                "kind": "judgement",
                "scope": judgement.organisation_type,
                "finding": judgement.aspect,
                "value": judgement.quantifier,
                "source_locator": judgement.source_locator,
                "source_url": judgement.source_url,
            }
        )
    columns = ["inspection_id", "kind", "scope", "finding", "value", "source_locator", "source_url"]
    table = pd.DataFrame(rows, columns=columns).astype("string")
    return table.sort_values(
        ["inspection_id", "kind", "scope", "finding"], kind="mergesort"
    ).reset_index(drop=True)
