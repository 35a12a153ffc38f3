"""Property-based tests: whatever bytes or shapes a curated file holds, the loaders answer with a
result or with the project's own error (`DataError`, located by file and line), never another
exception.

Deterministic (derandomized) and bounded (200 examples per property, no deadline), so that the
suite gives the same verdict on every run and machine.
"""

from __future__ import annotations

import re
import shutil
import string
import tempfile
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from probation_inspections.curated.inspection import read_inspection
from probation_inspections.curated.readers import read_csv, read_yaml
from probation_inspections.curated.schema import CSV_TABLES, INSPECTIONS, TABLES
from probation_inspections.curated.vocabularies import Reference
from probation_inspections.errors import DataError, DataIssue
from probation_inspections.validation.rules import RELATION_RULES
from test_corpus import INSPECTION_ID, write_base

settings.register_profile(
    "probation-fuzz",
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("probation-fuzz")

#: Examples run by each property (reported by the tests' names and the reply to reviewers).
EXAMPLES = FUZZ.max_examples


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory(prefix="probation-fuzz-") as tmp:
        yield Path(tmp)


#: Files of the base inspection kept beside the file under test: what the other files refer to
#: (its metadata, its organisations). Fewer files keep each example fast.
KEPT = (INSPECTIONS.filename, "organisations.csv")


@pytest.fixture(scope="module")
def dataset(workdir):
    """A valid data directory, the pristine files of its inspection, and its reference."""
    root = workdir / "data"
    write_base(root)
    folder = root / "inspections" / INSPECTION_ID
    pristine = {p.name: p.read_bytes() for p in folder.iterdir()}
    return root, pristine, Reference.load(root)


def outcome(read, path: Path):
    """Run a loader; return its result, or the DataError it raised (any other error fails)."""
    try:
        return read(path)
    except DataError as err:
        assert err.issues, "a DataError carries at least one issue"
        for issue in err.issues:
            assert isinstance(issue, DataIssue)
            assert issue.path.endswith(path.name), issue
            assert "\n" not in str(issue), "one line per issue"
        return err


def check_frame(frame: pd.DataFrame) -> None:
    assert frame.index.name == "line"
    lines = list(frame.index)
    assert lines == sorted(set(lines)) and all(line >= 2 for line in lines)
    assert frame.columns.is_unique
    for column in frame.columns:
        assert all(v is pd.NA or isinstance(v, str) for v in frame[column].tolist())


# Arbitrary bytes ------------------------------------------------------------------------------

ANY_BYTES = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=600).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(max_size=600).map(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8", "surrogatepass")),
)


@FUZZ
@given(content=ANY_BYTES)
def test_read_csv_takes_any_bytes(workdir, content):
    path = workdir / "any.csv"
    path.write_bytes(content)
    for expected in (None, ["organisation_type", "need_label", "priority_rank"]):
        result = outcome(lambda p, e=expected: read_csv(p, expected=e), path)
        if isinstance(result, pd.DataFrame):
            check_frame(result)


@FUZZ
@given(content=ANY_BYTES)
def test_read_yaml_takes_any_bytes(workdir, content):
    path = workdir / "any.yaml"
    path.write_bytes(content)
    result = outcome(read_yaml, path)
    if not isinstance(result, DataError):
        data, lines = result
        assert isinstance(data, dict) and isinstance(lines, dict)


# CSV shapes -----------------------------------------------------------------------------------

CELL_ALPHABET = string.ascii_letters + string.digits + " ,;\t\"'\n\r.-+%£é€<>&/\\|\x00\x0b\u2028"
CELLS = st.one_of(
    st.text(alphabet=CELL_ALPHABET, max_size=12),
    st.sampled_from(
        [
            "",
            " ",
            "CRC",
            "NPS",
            "Area",
            "Drugs",
            "Drug misuse",
            "1",
            "2",
            "0",
            "-1",
            "101",
            "54.5",
            "1e3",
            "nan",
            "inf",
            "9" * 25,
            "Good",
            "Overall",
            "almost half",
            "https://example.org/x",
            "javascript:alert(1)",
            "<script>alert(1)</script>",
            '"quoted"',
            "a,b",
            "2017-01-12",
        ]
    ),
)
COLUMN_NAMES = st.one_of(
    st.sampled_from(sorted({c.name for t in TABLES.values() for c in t.columns})),
    st.text(alphabet=CELL_ALPHABET, max_size=8),
)


@st.composite
def csv_texts(draw, header=COLUMN_NAMES) -> bytes:
    names = draw(st.lists(header, min_size=0, max_size=8))
    width = max(len(names), 1)
    rows = draw(
        st.lists(st.lists(CELLS, min_size=max(0, width - 1), max_size=width + 1), max_size=8)
    )
    delimiter = draw(st.sampled_from([",", ",", ",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    quote_all = draw(st.booleans())

    def cell(value: str) -> str:
        if quote_all or any(ch in value for ch in '",\n\r'):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [delimiter.join(cell(n) for n in names)]
    lines += [delimiter.join(cell(c) for c in row) for row in rows]
    text = newline.join(lines) + draw(st.sampled_from(["", newline, newline * 3]))
    if draw(st.integers(0, 9)) == 0:  # now and then, break the quoting on purpose
        position = draw(st.integers(0, len(text)))
        text = text[:position] + '"' + text[position:]
    return text.encode("utf-8", "surrogatepass")


@FUZZ
@given(content=csv_texts())
def test_read_csv_takes_any_csv_shape(workdir, content):
    path = workdir / "shape.csv"
    path.write_bytes(content)
    expected = [c.name for c in TABLES["need_sufficiency"].curated_columns]
    for wanted in (None, expected):
        result = outcome(lambda p, e=wanted: read_csv(p, expected=e), path)
        if isinstance(result, pd.DataFrame):
            check_frame(result)


# YAML shapes ----------------------------------------------------------------------------------

YAML_KEYS = st.one_of(
    st.sampled_from(INSPECTIONS.column_names + ["discrepancies", "notes"]),
    st.text(alphabet=string.ascii_letters + "_ -:?&*!", max_size=10),
)
YAML_VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            "~",
            "null",
            "yes",
            "no",
            "on",
            "1",
            "-0x1F",
            "0o17",
            "1_000",
            ".inf",
            ".nan",
            "2017-01-12",
            "2017-01",
            "2017-13-45",
            "12:30:00",
            "'quoted'",
            '"esc\\x00aped"',
            "[a, b]",
            "{a: 1}",
            "[unclosed",
            "{unclosed",
            "&anchor value",
            "*anchor",
            "*nowhere",
            "!!python/object/apply:os.system ['true']",
            "!!python/name:os.system",
            "!!int abc",
            "!!float x",
            "!!bool maybe",
            "!!timestamp nope",
            "!!binary '%%%'",
            "!!set {a, b}",
            "!!omap [a: 1]",
            "!!str 5",
            "!include other.yaml",
            "! plain",
            "|\n  block\n  text",
            ">-\n  folded",
            "- item",
            ": colon",
            "a: b: c",
            "# comment",
            "@reserved",
            "`tick",
            "<script>alert(1)</script>",
            "https://example.org/r",
            "quality_and_impact",
        ]
    ),
    st.text(alphabet=string.printable + "é€\u2028\x85\ufeff", max_size=20),
)


@st.composite
def yaml_texts(draw) -> bytes:
    if draw(st.booleans()):
        # Structured: a real document (nested lists and mappings), then maybe cut or spliced.
        leaves = st.one_of(
            st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10)
        )
        tree = draw(
            st.recursive(
                leaves,
                lambda inner: st.one_of(
                    st.lists(inner, max_size=3),
                    st.dictionaries(st.text(max_size=6), inner, max_size=3),
                ),
                max_leaves=12,
            )
        )
        document = {draw(YAML_KEYS): tree, "inspection_id": draw(YAML_VALUES)}
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        if draw(st.booleans()):
            cut = draw(st.integers(0, len(text)))
            text = text[:cut] + draw(YAML_VALUES) + text[cut:]
        return text.encode("utf-8", "surrogatepass")
    # Line by line: keys, values, indentation, document markers, directives.
    lines = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["", "  ", "    ", "\t", "- ", "? ", "  - "]),
                YAML_KEYS,
                st.sampled_from([": ", ":", " : ", ":\n  "]),
                YAML_VALUES,
            ),
            max_size=10,
        )
    )
    prefix = draw(
        st.sampled_from(
            ["", "---\n", "%YAML 1.1\n---\n", "%TAG ! tag:x,2000:\n---\n", "\ufeff", "...\n"]
        )
    )
    text = prefix + "\n".join(f"{indent}{key}{sep}{value}" for indent, key, sep, value in lines)
    return text.encode("utf-8", "surrogatepass")


@FUZZ
@given(content=yaml_texts())
def test_read_yaml_takes_any_yaml_shape(workdir, content):
    path = workdir / "shape.yaml"
    path.write_bytes(content)
    result = outcome(read_yaml, path)
    if not isinstance(result, DataError):
        data, lines = result
        assert isinstance(data, dict)
        assert all(isinstance(line, int) and line >= 1 for line in lines.values())


def test_yaml_tags_never_build_objects(workdir):
    """The tags that would run code are refused where they stand, whatever their form."""
    for tag in (
        "!!python/object/apply:os.system ['true']",
        "!!python/name:os.system",
        "!!python/object/new:os.system [true]",
        "!<tag:yaml.org,2002:python/none> x",
    ):
        path = workdir / "tag.yaml"
        path.write_text(f"inspection_id: 2017-01-test-area\ntitle: {tag}\n")
        with pytest.raises(
            DataError,
            match=r"tag\.yaml:2: is not valid YAML: tag .* is not "
            "allowed",
        ):
            read_yaml(path)


# Whole inspections ----------------------------------------------------------------------------

FILES = [INSPECTIONS.filename] + [t.filename for t in CSV_TABLES] + ["extra.txt"]


@st.composite
def table_texts(draw, filename: str) -> bytes:
    """A CSV with the table's own header (most of it) and cells of every sort."""
    table = next((t for t in CSV_TABLES if t.filename == filename), None)
    if table is None:
        return draw(csv_texts())
    names = [c.name for c in table.curated_columns]
    header = (
        draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True))
        if draw(st.booleans())
        else names
    )
    return (
        draw(csv_texts(header=st.sampled_from(header)))
        if draw(st.integers(0, 4)) == 0
        else _table_csv(draw, header)
    )


def _table_csv(draw, header: list[str]) -> bytes:
    rows = draw(st.lists(st.lists(CELLS, min_size=len(header), max_size=len(header)), max_size=6))
    lines = [",".join(header)]
    for row in rows:
        lines.append(
            ",".join(
                '"' + c.replace('"', '""') + '"' if any(ch in c for ch in '",\n\r') else c
                for c in row
            )
        )
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")


@st.composite
def inspection_files(draw) -> tuple[str, bytes]:
    filename = draw(st.sampled_from(FILES))
    kind = draw(st.sampled_from(["bytes", "shape", "shape", "shape"]))
    if kind == "bytes":
        return filename, draw(ANY_BYTES)
    if filename == INSPECTIONS.filename:
        return filename, draw(yaml_texts())
    return filename, draw(table_texts(filename))


@FUZZ
@given(change=inspection_files())
def test_read_inspection_takes_any_file(dataset, change):
    root, pristine, reference = dataset
    folder = root / "inspections" / INSPECTION_ID
    shutil.rmtree(folder)
    folder.mkdir()
    filename, content = change
    for name in KEPT:
        (folder / name).write_bytes(pristine[name])
    (folder / filename).write_bytes(content)
    try:
        inspection = read_inspection(INSPECTION_ID, reference, root)
    except DataError as err:  # allowed, though read_inspection reports issues instead
        assert err.issues
        return
    for issue in inspection.issues:
        assert isinstance(issue, DataIssue) and "\n" not in str(issue)
    for name, frame in inspection.tables.items():
        assert list(frame.columns) == TABLES[name].column_names, name
    # The rules across tables take whatever the loader returns.
    for rule in RELATION_RULES:
        findings = (
            rule.check(inspection.tables, reference)
            if rule.uses_reference
            else rule.check(inspection.tables)
        )
        for table, line, column, value in findings:
            assert table in TABLES and (line is None or isinstance(line, int))
            assert column is None or isinstance(column, str)
            assert value is None or isinstance(value, str)


# Ids and HTML ---------------------------------------------------------------------------------

ID_TEXT = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[a-z0-9-]{1,20}", fullmatch=True),
    st.from_regex(
        r"[0-9]{4}-[0-9]{2}-[a-z0-9-]{1,10}[/\\.\n\x00 A-Z][a-z./-]{0,10}", fullmatch=True
    ),
)


@FUZZ
@given(value=ID_TEXT)
def test_an_inspection_id_is_a_plain_folder_name_or_refused(value):
    from probation_inspections.curated.inspection import check_inspection_id

    try:
        assert check_inspection_id(value) == value
    except DataError as err:
        assert str(err).startswith("inspection id "), err
        return
    assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[a-z0-9-]+", value), value
    assert Path(value).name == value and value not in (".", "..")


HTML_TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(
        st.sampled_from(
            [
                "<script>alert(1)</script>",
                "<img src=x onerror=alert(1)>",
                "javascript:alert(1)",
                "JaVaScRiPt:x",
                " https://a.example/x",
                'https://a.example/"onmouseover=alert(1)',
                "http://b.example",
                "data:text/html,<b>x</b>",
                "&amp;",
                "&lt;",
                "'",
                '"',
                "<",
                ">",
                "text",
                " ",
            ]
        ),
        max_size=6,
    ).map("".join),
)


def tags_of(markup: str) -> list[str]:
    return re.findall(r"<[^>]*>", markup)


@FUZZ
@given(url=HTML_TEXT, text=st.one_of(st.none(), HTML_TEXT))
def test_a_link_is_made_only_of_an_http_url_and_escaped_text(url, text):
    from markupsafe import escape

    from probation_inspections.report.shell import link

    assert not tags_of(str(escape(url))), "escaped text carries no markup"
    markup = str(link(url, text))
    tags = tags_of(markup)
    if re.fullmatch(r"https?://\S+", url, flags=re.IGNORECASE):
        assert tags == [f'<a href="{escape(url)}">', "</a>"], markup
    else:
        assert tags == [], markup


@FUZZ
@given(text=HTML_TEXT)
def test_linked_text_links_only_http_urls(text):
    from probation_inspections.report.html import linked_text

    markup = linked_text(text)
    for tag in tags_of(markup):
        assert tag == "</a>" or re.fullmatch(
            r'<a href="https?://[^"<>\s]*">', tag, flags=re.IGNORECASE
        ), (text, markup)
    assert "<script" not in markup.lower() and "<img" not in markup.lower()
