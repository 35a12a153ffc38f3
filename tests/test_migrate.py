"""The migration to the data model: every measure in use becomes a code or an alias, once."""

from __future__ import annotations

import csv

from probation_inspections.curated.migrate import migrate
from probation_inspections.validation import validate


def _key_facts(root, rows):
    path = root / "inspections" / "2017-01-test-area" / "key_facts.csv"
    path.write_text(
        "measure,scope,value,value_text,qualifier,unit,as_of,source_locator\n"
        + "".join(f"{r}\n" for r in rows),
        encoding="utf-8",
    )


def test_a_new_measure_becomes_a_code_and_a_known_alias_stays_an_alias(data_root):
    _key_facts(
        data_root,
        [
            "crcs_created,England and Wales,21,,,count,2014-06,Notes 3",
            "women_in_sample,CRC,5,,,people,,Ch.3",
        ],
    )
    changes = migrate(data_root)
    assert changes == ["measure women_in_sample", "alias crcs_created -> crcs_in_england_and_wales"]
    with (data_root / "reference" / "measures.csv").open(encoding="utf-8") as handle:
        measures = {row["measure"]: row for row in csv.DictReader(handle)}
    assert measures["women_in_sample"]["unit"] == "people"
    assert "crcs_created" not in measures, "an alias is not a second code"
    assert validate(data_root=data_root).ok


def test_the_migration_changes_nothing_the_second_time(data_root):
    _key_facts(
        data_root,
        [
            "people_supervised,CRC,2500,,,people,2016-06,Key facts",
            "tr_introduced,England and Wales,,2014-06,,month,,Notes 2",
        ],
    )
    first = migrate(data_root)
    before = {p.name: p.read_bytes() for p in (data_root / "reference").iterdir()}
    assert "alias tr_introduced -> transforming_rehabilitation_split" in first
    assert migrate(data_root) == []
    assert {p.name: p.read_bytes() for p in (data_root / "reference").iterdir()} == before


def test_curated_rows_are_never_rewritten(data_root):
    _key_facts(data_root, ["crcs_total,England and Wales,21,,,count,,Key facts"])
    path = data_root / "inspections" / "2017-01-test-area" / "key_facts.csv"
    before = path.read_bytes()
    migrate(data_root)
    assert path.read_bytes() == before


def test_measures_curators_wrote_by_hand_keep_their_bytes(data_root):
    path = data_root / "reference" / "measures.csv"
    path.write_text(
        path.read_text(encoding="utf-8")
        + 'women_in_sample,women in the sample,people,"quoted, by hand"\n',
        encoding="utf-8",
    )
    before = path.read_bytes()
    _key_facts(
        data_root, ["women_in_sample,CRC,5,,,people,,Ch.3", "new_measure,CRC,1,,,count,,Ch.3"]
    )
    assert migrate(data_root) == ["measure new_measure"]
    assert path.read_bytes().startswith(before), "existing rows are never rewritten"
