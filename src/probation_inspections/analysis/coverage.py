"""Coverage of the PDU register: how many probation delivery units have been inspected, by region.

Pure functions over `reference("pdu")` (the register, data/reference/pdus.csv), `load(
"organisations")` and `load("inspections")`. A unit counts as inspected when an inspection (not
an overview) curates it as a PDU organisation; a unit formed by a reconfiguration whose
predecessor was inspected is counted apart ("inspected before it was reconfigured"), never as
inspected itself. Only geographic units count: the register's non-geographic units (unpaid work,
courts, public-protection teams) are not inspected as PDUs.
"""

from __future__ import annotations

import pandas as pd

from .select import blank

INSPECTED = "inspected"
PREDECESSOR = "predecessor inspected"
NOT_INSPECTED = "not inspected"
STATUSES = (INSPECTED, PREDECESSOR, NOT_INSPECTED)

STATUS_COLUMNS = [
    "region",
    "region_label",
    "pdu",
    "label",
    "organisation",
    "status",
    "inspections",
    "predecessor_inspections",
]
REGION_COLUMNS = [
    "region",
    "region_label",
    "pdus",
    "inspected",
    "predecessor_inspected",
    "not_inspected",
    "coverage",
]


def inspections_by_pdu(
    organisations: pd.DataFrame, inspections: pd.DataFrame
) -> dict[str, list[str]]:
    """{PDU organisation code: ids of the inspections that curate it}, inspections only."""
    kinds = dict(
        zip(inspections["inspection_id"], inspections["kind"].fillna("inspection"), strict=True)
    )
    rows = organisations[(organisations["organisation_type"] == "PDU").fillna(False)]
    found: dict[str, list[str]] = {}
    for organisation, inspection_id in zip(
        rows["organisation"], rows["inspection_id"], strict=True
    ):
        if blank(organisation) or kinds.get(inspection_id) != "inspection":
            continue
        found.setdefault(str(organisation), []).append(str(inspection_id))
    return {code: sorted(set(ids)) for code, ids in found.items()}


def pdu_status(
    register: pd.DataFrame, organisations: pd.DataFrame, inspections: pd.DataFrame
) -> pd.DataFrame:
    """One row per geographic unit of the register: whether it, or only a unit it replaced,
    has been inspected, and by which inspections (ids joined by ', ').

    Columns: region, region_label, pdu, label, organisation, status, inspections,
    predecessor_inspections. Sorted by region label, then unit label.
    """
    inspected = inspections_by_pdu(organisations, inspections)
    units = register[(register["geographic"] == "yes").fillna(False)]
    rows = []
    for unit in units.to_dict("records"):
        own = [] if blank(unit.get("organisation")) else inspected.get(unit["organisation"], [])
        predecessors = (
            []
            if blank(unit.get("predecessors"))
            else [p for p in str(unit["predecessors"]).split("|") if p]
        )
        earlier = sorted({i for p in predecessors for i in inspected.get(p, [])})
        status = INSPECTED if own else PREDECESSOR if earlier else NOT_INSPECTED
        rows.append(
            {
                "region": unit["region"],
                "region_label": unit["region_label"],
                "pdu": unit["pdu"],
                "label": unit["label"],
                "organisation": None if blank(unit.get("organisation")) else unit["organisation"],
                "status": status,
                "inspections": ", ".join(own) or None,
                "predecessor_inspections": ", ".join(earlier) or None,
            }
        )
    table = pd.DataFrame(rows, columns=STATUS_COLUMNS)
    table = table.sort_values(["region_label", "label"], kind="mergesort")
    return table.astype("string").reset_index(drop=True)


def coverage_phrase(inspected: int, units: int, predecessor: int = 0) -> str:
    """'37 of 108 PDUs inspected', with the units inspected only before a reconfiguration."""
    noun = "PDU" if units == 1 else "PDUs"
    phrase = f"{inspected} of {units} {noun} inspected"
    if predecessor:
        phrase += (
            f" ({predecessor} more inspected only before "
            f"{'its' if predecessor == 1 else 'their'} reconfiguration)"
        )
    return phrase


def pdu_coverage(
    register: pd.DataFrame,
    organisations: pd.DataFrame,
    inspections: pd.DataFrame,
    total: bool = True,
) -> pd.DataFrame:
    """Coverage by region: units in the register, inspected, inspected only as a predecessor,
    not inspected, and the coverage in words ("4 of 8 PDUs inspected").

    Regions in the order of their labels; with `total`, a last row "All regions" (region empty).
    """
    status = pdu_status(register, organisations, inspections)
    rows = []
    groups = list(status.groupby(["region", "region_label"], sort=False))
    if total:
        groups.append(((None, "All regions"), status))
    for (region, label), group in groups:
        counts = group["status"].value_counts()
        inspected = int(counts.get(INSPECTED, 0))
        earlier = int(counts.get(PREDECESSOR, 0))
        rows.append(
            {
                "region": region,
                "region_label": label,
                "pdus": len(group),
                "inspected": inspected,
                "predecessor_inspected": earlier,
                "not_inspected": int(counts.get(NOT_INSPECTED, 0)),
                "coverage": coverage_phrase(inspected, len(group), earlier),
            }
        )
    table = pd.DataFrame(rows, columns=REGION_COLUMNS)
    return table.astype(
        {
            "region": "string",
            "region_label": "string",
            "pdus": "Int64",
            "inspected": "Int64",
            "predecessor_inspected": "Int64",
            "not_inspected": "Int64",
            "coverage": "string",
        }
    )
