"""Reading curated folders: types, harmonisation, and located errors for malformed files."""

from __future__ import annotations

import pytest

from probation_inspections.curated.inspection import check_inspection_id, read_inspection
from probation_inspections.curated.readers import read_csv, read_yaml
from probation_inspections.curated.vocabularies import Reference
from probation_inspections.errors import DataError

ID = "2017-01-test-area"


def read(data_root):
    return read_inspection(ID, Reference.load(data_root), data_root)


def test_labels_as_published_are_kept_beside_their_codes(data_root):
    needs = read(data_root).tables["need_sufficiency"]
    crc = needs[needs["organisation_type"] == "CRC"].set_index("need")
    assert crc.loc["drugs", "need_label"] == "Drug misuse", "Drug misuse should map to drugs"
    nps = needs[needs["organisation_type"] == "NPS"].set_index("need")
    assert nps.loc["drugs", "need_label"] == "Drugs", "Drugs should map to the same need"


def test_rows_keep_their_line_numbers_in_the_file(data_root):
    needs = read(data_root).tables["need_sufficiency"]
    assert list(needs.index) == [2, 3, 4, 5, 6]


def test_numbers_are_typed_and_provenance_defaults_are_filled(data_root):
    needs = read(data_root).tables["need_sufficiency"]
    assert str(needs["percent_sufficient"].dtype) == "Float64"
    assert str(needs["priority_rank"].dtype) == "Int64"
    assert set(needs["certainty"]) == {"reported"}
    assert set(needs["source_url"]) == {"https://example.org/report"}


def test_quantifiers_become_share_intervals_and_counts_exact_shares(data_root):
    judgements = read(data_root).tables["judgements"].set_index("quantifier")
    assert judgements.loc["almost half", "share_low"] == 0.4
    assert judgements.loc["almost half", "share_high"] == 0.5
    assert judgements.loc["almost half", "quantifier_basis"] == "project assumption"
    assert judgements.loc["in only one case", "share_low"] == pytest.approx(6 / 25)
    assert judgements.loc["in only one case", "quantifier_basis"] == "exact count"


def test_a_percent_sign_is_refused_with_file_line_and_column(data_root):
    path = data_root / "inspections" / ID / "need_sufficiency.csv"
    path.write_text(path.read_text().replace(",54,", ",54%,"))
    issues = [str(i) for i in read(data_root).issues]
    assert any(
        i.endswith(
            "need_sufficiency.csv:2 percent_sufficient=54%: must be a plain "
            "number (no %, commas or words)"
        )
        for i in issues
    ), issues


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty: a header row is required"),
        (b"\xef\xbb\xbfa,b\n1,2\n", "starts with a byte order mark (BOM)"),
        (b"a,b\n\xff\xfe,2\n", "is not valid UTF-8"),
        (b"a;b;c\n1;2;3\n", "the delimiter must be a comma"),
        (b'a,b\n"1,2\n', "is not valid CSV"),
        (b"a,b\n1,2,3\n", "has 3 fields where the header has 2"),
        (b"a,a\n1,2\n", "column appears twice in the header"),
    ],
)
def test_malformed_csv_gives_a_located_message(tmp_path, content, message):
    path = tmp_path / "table.csv"
    path.write_bytes(content)
    with pytest.raises(DataError) as caught:
        read_csv(path)
    assert message in str(caught.value)
    assert "table.csv" in str(caught.value)


def test_unknown_columns_are_named(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,percent\n1,2\n")
    with pytest.raises(DataError, match=r"t.csv:1 percent: is not a column of this table"):
        read_csv(path, expected=["a", "b"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!python/object/apply:os.system ['true']\n", "tags that build objects"),
        ("a: [1, 2\n", "is not valid YAML"),
        ("- just\n- a list\n", "must be a mapping"),
    ],
)
def test_yaml_is_read_safely_with_located_errors(tmp_path, text, message):
    path = tmp_path / "inspection.yaml"
    path.write_text(text)
    with pytest.raises(DataError, match=message):
        read_yaml(path)


def test_yaml_dates_stay_as_written(tmp_path):
    path = tmp_path / "inspection.yaml"
    path.write_text("published: 2017-01-12\nfieldwork: 2016-09\n")
    data, lines = read_yaml(path)
    assert data == {"published": "2017-01-12", "fieldwork": "2016-09"}
    assert lines == {"published": 1, "fieldwork": 2}


@pytest.mark.parametrize("bad", ["../x", "/etc", "2017-01-a/b", "2017-1-x", "2017-01-X", "", ".."])
def test_ids_that_could_escape_the_data_folder_are_refused(bad):
    with pytest.raises(DataError, match="inspection id"):
        check_inspection_id(bad)


def test_a_file_outside_the_data_model_is_reported(data_root):
    (data_root / "inspections" / ID / "notes.txt").write_text("scratch")
    assert any(
        "notes.txt: is not a file of the data model" in str(i) for i in read(data_root).issues
    )
