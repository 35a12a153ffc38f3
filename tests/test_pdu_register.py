"""The PDU register as a vocabulary, and coverage of inspections by region ("N of 108")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from probation_inspections import load, reference
from probation_inspections.analysis.coverage import (
    INSPECTED,
    NOT_INSPECTED,
    PREDECESSOR,
    coverage_phrase,
    inspections_by_pdu,
    pdu_coverage,
    pdu_status,
)
from probation_inspections.curated.vocabularies import Reference
from probation_inspections.errors import DataError

SHIPPED_REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"


def unregistered_pdus(
    register: pd.DataFrame, organisations: pd.DataFrame, inspections: pd.DataFrame
) -> list[str]:
    """Inspected PDU organisations the register neither lists nor names as a predecessor:
    they are left out of the coverage until they are linked (data/reference/pdus.csv)."""
    linked = set(register["organisation"].dropna().astype(str))
    for value in register["predecessors"].dropna().astype(str):
        linked.update(p for p in value.split("|") if p)
    return sorted(set(inspections_by_pdu(organisations, inspections)) - linked)


# --- The shipped register -----------------------------------------------------------------


def test_the_register_holds_12_regions_and_108_geographic_units():
    register = reference("pdu")
    geographic = register[register["geographic"] == "yes"]
    assert len(register) == 120, "108 geographic units and 12 others (unpaid work, courts...)"
    assert len(geographic) == 108
    assert register["region"].nunique() == register["region_code"].nunique() == 12
    per_region = geographic.groupby("region_label").size().to_dict()
    assert per_region["London"] == 18 and per_region["North West Region"] == 13
    assert per_region["Wales"] == 6 and per_region["Kent Surrey Sussex Region"] == 5


UNITS_PER_REGION = {  # geographic units per region code, as the register's region lists give them
    "N53": 6,
    "N56": 8,
    "N50": 8,
    "N57": 5,
    "N07": 18,
    "N54": 7,
    "N51": 13,
    "N59": 7,
    "N58": 9,
    "N03": 6,
    "N52": 10,
    "N55": 11,
}


def test_each_region_has_the_units_its_register_list_gives():
    register = reference("pdu")
    geographic = register[register["geographic"] == "yes"]
    assert geographic.groupby("region_code").size().to_dict() == UNITS_PER_REGION
    regions = register.drop_duplicates("region_code").set_index("region_code")["region"]
    assert regions["N52"] == "probation-service-west-midlands"
    assert regions["N03"] == "probation-service-wales"


def test_staffordshire_and_stoke_was_split_into_north_and_south_in_december_2024():
    register = reference("pdu").set_index("label")
    for half in ("Staffordshire North", "Staffordshire South"):
        assert register.loc[half, "formed"] == "2024-12"
        assert register.loc[half, "predecessors"] == "staffordshire-stoke-pdu"
    assert "Staffordshire and Stoke" not in register.index, "the register is after the split"


def test_greater_manchester_reconfigured_in_april_2025_keeps_tameside_as_a_predecessor():
    register = reference("pdu").set_index("label")
    assert register.loc["Stockport and Tameside", "formed"] == "2025-04"
    assert register.loc["Stockport and Tameside", "predecessors"] == "tameside-pdu"
    assert register.loc["Salford and Trafford", "formed"] == "2025-04"
    manchester = register[register["region_label"] == "Greater Manchester"]
    assert (manchester["geographic"] == "yes").sum() == 8


def test_the_inspectorates_names_map_to_the_register_through_aliases():
    names = Reference.load()
    assert names.to_code("pdu", "Swansea Neath Port Talbot PDU") == "N03SNT"
    assert reference("pdu").set_index("pdu").loc["N03SNT", "label"] == "Swansea, Neath Port-Talbot"
    assert names.to_code("pdu", "Cornwall & Isles of Scilly") == "N58CIOS"
    assert names.to_code("pdu", "Stockport & Tameside") == "N50STTA"
    assert names.to_code("pdu", "South Tyneside and Gateshead PDU") == "N54SOT"


def test_every_inspected_pdu_is_linked_to_the_register():
    missing = unregistered_pdus(reference("pdu"), load("organisations"), load("inspections"))
    assert missing == [], (
        f"PDU organisations {missing} are not in the register: give each its unit's code in "
        "data/reference/pdus.csv (column organisation, or predecessors for a unit since "
        "reconfigured) and its name in aliases.csv (vocabulary pdu)"
    )


def test_shipped_coverage_counts_the_inspected_units_out_of_108():
    register = reference("pdu")
    table = pdu_coverage(register, load("organisations"), load("inspections"))
    total = table[table["region_label"] == "All regions"].iloc[0]
    linked = register.loc[register["geographic"] == "yes", "organisation"].dropna()
    assert total["pdus"] == 108
    assert total["inspected"] == linked.nunique(), "every linked unit has been inspected"
    assert total["predecessor_inspected"] == 3, (
        "Staffordshire North and South, Stockport and Tameside"
    )
    assert total["inspected"] + total["predecessor_inspected"] + total["not_inspected"] == 108
    assert total["coverage"] == (
        f"{total['inspected']} of 108 PDUs inspected (3 more "
        "inspected only before their reconfiguration)"
    )
    regions = table[table["region"].notna()]
    assert len(regions) == 12 and regions["pdus"].sum() == 108
    west_midlands = regions.set_index("region").loc["probation-service-west-midlands"]
    assert (west_midlands["pdus"], west_midlands["predecessor_inspected"]) == (10, 2)


def test_birmingham_north_east_and_solihull_is_inspected_by_its_2022_inspection():
    status = pdu_status(reference("pdu"), load("organisations"), load("inspections"))
    unit = status.set_index("pdu").loc["N52BNES"]
    assert unit["status"] == INSPECTED
    assert unit["inspections"] == "2022-08-birmingham-north-east-solihull-pdu"


# --- Coverage on a small register -----------------------------------------------------------


def _register(rows):
    columns = [
        "pdu",
        "label",
        "region_code",
        "region_label",
        "region",
        "geographic",
        "organisation",
        "predecessors",
    ]
    return pd.DataFrame(rows, columns=columns)


@pytest.fixture
def small():
    register = _register(
        [
            ("A1", "Alpha", "N01", "North", "north", "yes", "alpha-pdu", None),
            ("A2", "Beta East", "N01", "North", "north", "yes", None, "beta-pdu"),
            ("A3", "Gamma", "N01", "North", "north", "yes", None, None),
            ("AU", "Unpaid Work", "N01", "North", "north", "no", None, None),
            ("B1", "Delta", "N02", "South", "south", "yes", "delta-pdu", None),
        ]
    )
    organisations = pd.DataFrame(
        {
            "inspection_id": [
                "2023-01-alpha-pdu",
                "2022-05-beta-pdu",
                "2024-01-north-region",
                "2023-03-pdus-overview",
            ],
            "organisation_type": ["PDU", "PDU", "Region", "PDU"],
            "organisation": ["alpha-pdu", "beta-pdu", "north", "delta-pdu"],
        }
    )
    inspections = pd.DataFrame(
        {
            "inspection_id": [
                "2023-01-alpha-pdu",
                "2022-05-beta-pdu",
                "2024-01-north-region",
                "2023-03-pdus-overview",
            ],
            "kind": ["inspection", "inspection", "inspection", "overview"],
        }
    )
    return register, organisations, inspections


def test_a_unit_formed_from_an_inspected_one_is_counted_apart(small):
    status = pdu_status(*small).set_index("pdu")
    assert status.loc["A1", "status"] == INSPECTED
    assert status.loc["A2", "status"] == PREDECESSOR
    assert status.loc["A2", "predecessor_inspections"] == "2022-05-beta-pdu"
    assert status.loc["A3", "status"] == NOT_INSPECTED
    assert "AU" not in status.index, "non-geographic units are not PDUs to inspect"


def test_an_overview_naming_a_pdu_is_not_an_inspection_of_it(small):
    status = pdu_status(*small).set_index("pdu")
    assert status.loc["B1", "status"] == NOT_INSPECTED


def test_coverage_by_region_in_words(small):
    table = pdu_coverage(*small).set_index("region_label")
    assert (
        table.loc["North", "coverage"]
        == "1 of 3 PDUs inspected (1 more inspected only before its reconfiguration)"
    )
    assert table.loc["South", "coverage"] == "0 of 1 PDU inspected"
    assert table.loc[
        "All regions", ["pdus", "inspected", "predecessor_inspected", "not_inspected"]
    ].tolist() == [4, 1, 1, 2]
    assert list(table.index) == ["North", "South", "All regions"]


def test_an_inspected_pdu_missing_from_the_register_is_named(small):
    register, organisations, inspections = small
    organisations = pd.concat(
        [
            organisations,
            pd.DataFrame(
                {
                    "inspection_id": ["2023-02-omega-pdu"],
                    "organisation_type": ["PDU"],
                    "organisation": ["omega-pdu"],
                }
            ),
        ],
        ignore_index=True,
    )
    inspections = pd.concat(
        [
            inspections,
            pd.DataFrame({"inspection_id": ["2023-02-omega-pdu"], "kind": ["inspection"]}),
        ],
        ignore_index=True,
    )
    assert unregistered_pdus(register, organisations, inspections) == ["omega-pdu"]


def test_coverage_phrase_agrees_in_number():
    assert (
        coverage_phrase(37, 108, 3)
        == "37 of 108 PDUs inspected (3 more inspected only before their reconfiguration)"
    )
    assert coverage_phrase(0, 1) == "0 of 1 PDU inspected"


# --- Bad register rows are refused with their file, line, column and rule ------------------


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(SHIPPED_REFERENCE, root / "reference")
    (root / "inspections").mkdir()
    return root


def _edit(root: Path, old: str, new: str) -> None:
    path = root / "reference" / "pdus.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(root: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        Reference.load(root).aliases  # noqa: B018
    return [str(issue).replace(f"{root}/", "") for issue in caught.value.issues]


def test_a_unit_whose_geographic_flag_is_neither_yes_nor_no_is_refused(shipped_copy):
    _edit(
        shipped_copy,
        "N53DERS,Derbyshire,N53,East Midlands Region,probation-service-east-midlands,yes,",
        "N53DERS,Derbyshire,N53,East Midlands Region,probation-service-east-midlands,maybe,",
    )
    assert _problems(shipped_copy) == [
        "reference/pdus.csv:3 geographic=maybe: must be one of: yes, no"
    ]


def test_a_region_that_is_not_a_region_organisation_is_refused(shipped_copy):
    _edit(
        shipped_copy,
        "N50BOLT,Bolton,N50,Greater Manchester,probation-service-greater-manchester,",
        "N50BOLT,Bolton,N50,Greater Manchester,wigan-pdu,",
    )
    assert _problems(shipped_copy) == [
        "reference/pdus.csv:18 region=wigan-pdu: must be an organisation of type Region "
        "(organisations.csv)"
    ]


def test_an_organisation_linked_to_two_units_is_refused(shipped_copy):
    _edit(
        shipped_copy,
        "N50BOLT,Bolton,N50,Greater Manchester,probation-service-greater-manchester,yes,,",
        "N50BOLT,Bolton,N50,Greater Manchester,"
        "probation-service-greater-manchester,yes,manchester-north-pdu,",
    )
    problems = _problems(shipped_copy)
    assert problems == [
        "reference/pdus.csv:20 organisation=manchester-north-pdu: is already "
        "linked to the unit on line 18"
    ]


def test_a_linked_organisation_whose_name_does_not_map_to_the_unit_is_refused(shipped_copy):
    aliases = shipped_copy / "reference" / "aliases.csv"
    text = aliases.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("pdu,Derby City PDU,"))
    aliases.write_text(text.replace(line + "\n", ""), encoding="utf-8")
    assert _problems(shipped_copy) == [
        "reference/pdus.csv:2 organisation=derby-city-pdu: the name 'Derby City PDU' must map "
        "to N53DRBY through aliases.csv (vocabulary pdu)"
    ]
