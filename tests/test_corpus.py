"""The bad-input corpus: small broken datasets, one defect each, and the exact messages they give.

Each case is a folder `tests/corpus/<case>/` holding only what differs from a valid base dataset:

- files laid out as in a data directory (`inspections/2017-01-test-area/...`, `reference/...`),
  copied over the base byte for byte (so a case can hold a BOM, Latin-1 or a NUL byte);
- `remove.txt` (optional): paths, relative to the data directory, deleted from the base;
- `args.txt` (optional): arguments given to `validate` (default: none, i.e. every inspection);
- `make.txt` (optional): what git cannot hold, made after the copy, one per line:
  `symlink PATH TARGET`, `fifo PATH`, `mkdir PATH`, `file PATH` (empty), `unreadable PATH` (PATH relative to the data
  directory; an unreadable PATH cannot be opened, even by root);
- `exit.txt` (optional): the exit code `validate` must give (default 1);
- `expected.txt`: the exact problem lines `probation-inspections validate` must print, paths
  relative to the data directory, one per line (notices, on stderr, after them).

The base is the fixture of `conftest.py` (REFERENCE and INSPECTION) with the files of
`tests/corpus/_base/` laid over it (reference files the fixture lacks, an Area row, a judgement
with an exact count). `tests/corpus/_tables/` holds a valid version of every other table: a case
that breaks one of them carries its broken copy, so that every case validates only the tables it
needs (Great Expectations takes seconds per run). See `tests/corpus/README.md`.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import stat
from pathlib import Path

import pytest

from conftest import INSPECTION, REFERENCE, write_tree
from probation_inspections import cli
from probation_inspections.config import DATA_DIR_ENV
from probation_inspections.curated.schema import CSV_TABLES
from probation_inspections.errors import DataIssue
from probation_inspections.validation.rules import RELATION_RULES, all_column_rules

CORPUS = Path(__file__).resolve().parent / "corpus"
BASE = CORPUS / "_base"
TABLES = CORPUS / "_tables"
INSPECTION_ID = "2017-01-test-area"
CASE_FILES = {"expected.txt", "remove.txt", "args.txt", "make.txt", "exit.txt"}
SUMMARY = re.compile(r"^\d+ inspection\(s\) valid, \d+ failing; \d+ rule checks, \d+ problem\(s\)$")
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))


def kind(case: str) -> str:
    """A case's kind: the first word of its name (csv, yaml, type, rule, relation, ...)."""
    return case.split("-", 1)[0]


#: The quick suite (`make test-fast`) runs the first case of each kind; `make test` runs all.
QUICK = {next(c for c in CASES if kind(c) == k) for k in sorted({kind(c) for c in CASES})}


def corpus_cases(cases: list[str]) -> list:
    return [c if c in QUICK else pytest.param(c, marks=pytest.mark.slow) for c in cases]


def write_base(root: Path, every_table: bool = False) -> None:
    """The valid base dataset in `root` (a data directory); with `every_table`, every table."""
    write_tree(root / "reference", REFERENCE)
    write_tree(root / "inspections" / INSPECTION_ID, INSPECTION)
    overlay(BASE, root)
    if every_table:
        overlay(TABLES, root)


def overlay(source: Path, root: Path) -> None:
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source)
        if str(relative) in CASE_FILES:
            continue
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def build_case(case: str, root: Path) -> list[Path]:
    """The data directory of a case in `root`; returns the paths made unreadable."""
    write_base(root)
    folder = CORPUS / case
    overlay(folder, root)
    remove = folder / "remove.txt"
    if remove.exists():
        for line in remove.read_text(encoding="utf-8").splitlines():
            if line.strip():
                (root / line.strip()).unlink()
    return make_special(folder, root)


def make_special(folder: Path, root: Path) -> list[Path]:
    """Make what `make.txt` lists: links, named pipes, folders, unreadable files."""
    unreadable = []
    make = folder / "make.txt"
    lines = make.read_text(encoding="utf-8").splitlines() if make.exists() else []
    for line in (line.split() for line in lines if line.strip()):
        what, path = line[0], root / line[1]
        path.parent.mkdir(parents=True, exist_ok=True)
        if what != "unreadable" and (path.is_file() or path.is_symlink()):
            path.unlink()
        if what == "symlink":
            path.symlink_to(line[2])
        elif what == "fifo":
            os.mkfifo(path)
        elif what == "mkdir":
            path.mkdir(exist_ok=True)
        elif what == "file":
            path.write_bytes(b"")
        elif what == "unreadable":
            if not path.exists():
                path.mkdir()
            path.chmod(0)
            unreadable.append(path)
        else:
            raise ValueError(f"{folder.name}/make.txt: unknown kind {what!r}")
    return unreadable


def no_access(monkeypatch, paths: list[Path]) -> None:
    """Opening or listing `paths` fails with "Permission denied", as for a user other than
    root (root reads files whatever their mode)."""
    if not paths:
        return
    denied = {str(p) for p in paths}
    real_open, real_scandir, real_listdir = os.open, os.scandir, os.listdir

    def check(path):
        if not isinstance(path, int) and os.fspath(path) in denied:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))

    def fake_open(path, *args, **kwargs):
        check(path)
        return real_open(path, *args, **kwargs)

    def fake_scandir(path="."):
        check(path)
        return real_scandir(path)

    def fake_listdir(path="."):
        check(path)
        return real_listdir(path)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "scandir", fake_scandir)
    monkeypatch.setattr(os, "listdir", fake_listdir)


def restore_access(paths: list[Path]) -> None:
    for path in paths:
        path.chmod(stat.S_IRWXU)


def digest(root: Path) -> dict[str, str]:
    """Every entry of `root` by what it is: a file by its bytes, a link by its target, other
    entries (folders, pipes) by their kind. Never reads through a link or from a pipe."""
    out = {}
    for path in sorted(root.rglob("*")):
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            out[str(path.relative_to(root))] = "link " + os.readlink(path)
        elif stat.S_ISREG(mode) and os.access(path, os.R_OK) and mode & 0o777:
            out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[str(path.relative_to(root))] = f"mode {stat.S_IFMT(mode):o} {mode & 0o777:o}"
    return out


def expected_exit(case: str) -> int:
    exit_file = CORPUS / case / "exit.txt"
    return int(exit_file.read_text(encoding="utf-8")) if exit_file.exists() else 1


def expected_lines(case: str) -> list[str]:
    text = (CORPUS / case / "expected.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


def run_validate(root: Path, case: str, monkeypatch, capsys, *extra: str):
    args_file = CORPUS / case / "args.txt"
    args = args_file.read_text(encoding="utf-8").split() if args_file.exists() else []
    monkeypatch.setenv(DATA_DIR_ENV, str(root))
    monkeypatch.chdir(root)  # messages name files relative to the data directory
    code = cli.main(["validate", *args, *extra])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_the_corpus_has_at_least_40_cases():
    assert len(CASES) >= 40, CASES


def test_the_base_dataset_with_every_table_is_valid(data_root, monkeypatch, capsys):
    write_base(data_root, every_table=True)
    tables = {p.stem for p in (data_root / "inspections" / INSPECTION_ID).glob("*.csv")}
    assert tables == {t.name for t in CSV_TABLES}, "the base holds every table of the model"
    monkeypatch.setenv(DATA_DIR_ENV, str(data_root))
    monkeypatch.chdir(data_root)
    code = cli.main(["validate"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.startswith("1 inspection(s) valid, 0 failing;"), out


@pytest.mark.parametrize("case", corpus_cases(CASES))
def test_case_fails_with_its_exact_messages(case, data_root, monkeypatch, capsys):
    unreadable = build_case(case, data_root)
    before = digest(data_root)
    no_access(monkeypatch, unreadable)
    try:
        code, out, err = run_validate(data_root, case, monkeypatch, capsys)
    finally:
        monkeypatch.undo()
        restore_access(unreadable)
    assert code == expected_exit(case), f"{case}: exit code {code}\n{out}{err}"
    assert "Traceback" not in out + err
    printed = [line for line in (out + err).splitlines() if line and not SUMMARY.match(line)]
    assert printed == expected_lines(case), f"{case} printed:\n" + "\n".join(printed)
    for path in unreadable:
        path.chmod(0)
    assert digest(data_root) == before, "validation must never write curated files"
    restore_access(unreadable)


# `--format json` gives the same issues as the text: checked on one case of each kind (each run of
# the validation takes seconds).
JSON_CASES = [
    "csv-unclosed-quote",
    "yaml-python-object-tag",
    "type-percent-sign",
    "rule-range-percent-over-100",
    "rule-unique-need-twice",
    "relation-sample-does-not-add-up",
    "reference-alias-to-unknown-code",
    "folder-name-not-an-id",
    "id-argument-not-an-id",
]


@pytest.mark.parametrize("case", JSON_CASES)
def test_case_fails_the_same_way_in_json(case, data_root, monkeypatch, capsys):
    build_case(case, data_root)
    code, out, err = run_validate(data_root, case, monkeypatch, capsys, "--format", "json")
    assert code == 1
    assert "Traceback" not in out + err
    if not out.strip():  # refused before validation (an id that is not one): message on stderr
        assert err.strip().splitlines() == expected_lines(case)
        return
    report = json.loads(out)
    # A stray folder beside the inspection is reported and skipped: the inspection stays valid.
    assert report["valid"] == ([INSPECTION_ID] if case == "folder-name-not-an-id" else [])
    issues = [DataIssue(**issue) for issue in report["issues"]]
    assert [str(issue) for issue in issues] == expected_lines(case)
    assert all(
        set(issue) == {"path", "line", "column", "rule", "value", "inspection_id"}
        for issue in report["issues"]
    )


# Coverage: every rule and every malformed-file message has a case -------------------------


def all_expected() -> list[str]:
    return [line for case in CASES for line in expected_lines(case)]


def test_every_relation_rule_has_a_case():
    lines = all_expected()
    missing = [
        rule.name
        for rule in RELATION_RULES
        if not any(line.endswith(f": {rule.description}") for line in lines)
    ]
    assert not missing, f"relation rules without a corpus case: {missing}"


COLUMN_RULE_WORDS = {
    "ExpectColumnValuesToNotBeNull": ["must not be empty"],
    "ExpectColumnValuesToBeBetween": [
        "must be between",
        "must be at least",
        "must be greater than",
    ],
    "ExpectColumnValuesToBeInSet": [
        "must be one of:",
        "must be a known label of vocabulary",
        "must be a code of vocabulary",
    ],
    "ExpectColumnValuesToMatchRegex": ["must match the pattern"],
    "ExpectCompoundColumnsToBeUnique": ["each row must be unique on"],
}


def test_every_kind_of_column_rule_has_a_case():
    kinds = {rule.expectation for rules in all_column_rules().values() for rule in rules}
    # The only single-column key is inspections.inspection_id: one inspection.yaml per folder,
    # named by the folder, cannot repeat it.
    kinds.discard("ExpectColumnValuesToBeUnique")
    assert kinds <= set(COLUMN_RULE_WORDS), f"new kind of rule without corpus words: {kinds}"
    lines = all_expected()
    missing = [
        words
        for kind in kinds
        for words in COLUMN_RULE_WORDS[kind]
        if not any(f": {words}" in line for line in lines)
    ]
    assert not missing, f"column rules without a corpus case: {missing}"


MALFORMED = [
    "starts with a byte order mark (BOM)",
    "is not valid UTF-8",
    "contains a NUL byte",
    "file is empty",
    "file is missing",
    "is not valid CSV",
    "the delimiter must be a comma",
    "first line is not a header row",
    "first line is empty",
    "fields where the header has",
    "column appears twice in the header",
    "header has an empty column name",
    "is not a column of this table",
    "required column is missing from the header",
    "is not valid YAML: tag !!python/object",
    "is not valid YAML: found",
    "is not valid YAML: key",
    "must be a mapping of field: value",
    "is not a field of inspection.yaml",
    "must be a single value",
    "must equal the folder name",
    "is not a file of the data model",
    "folder name is not a valid inspection id",
    "must be a whole number",
    "must be a plain number",
    "is too large",
]


@pytest.mark.parametrize("words", MALFORMED)
def test_every_malformed_file_message_has_a_case(words):
    assert any(words in line for line in all_expected()), words


def test_each_case_is_small_and_documented():
    for case in CASES:
        folder = CORPUS / case
        assert (folder / "expected.txt").exists(), f"{case} has no expected.txt"
        files = [
            p
            for p in folder.rglob("*")
            if (p.is_file() or p.is_symlink()) and p.name not in CASE_FILES
        ]
        assert len(files) <= 2, f"{case}: a case changes one thing ({files})"
        assert all(p.stat().st_size < 4096 for p in files), f"{case}: keep cases small"
