"""Strict readers for curated files: CSV and YAML that fail with located messages, never tracebacks.

Every row keeps its line number in the file (the DataFrame index), so that any later rule can
point a curator at the exact line.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import stat
from collections.abc import Hashable
from pathlib import Path

import pandas as pd
import yaml

from ..errors import DataError, DataIssue, display_path

#: A whole number and a plain decimal number as a curator writes them: no %, commas, words,
#: exponents or spaces. The one reading of numbers in curated and reference files.
INTEGER_RE = re.compile(r"^[+-]?[0-9]+$")
NUMBER_RE = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")

#: Largest curated file read (the largest curated table is a few kilobytes).
LARGEST_FILE = 16 * 2**20

#: Files that operating systems, spreadsheets and editors leave in folders: never curated data.
#: A folder holding them is read as if they were not there (with a notice).
_LITTER_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini", ".ipynb_checkpoints"}
_LITTER_RE = re.compile(r"^(?:~\$.*|\.~lock\..*#|\._.+)$")

_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


def is_litter(name: str) -> bool:
    """True for what an operating system or an editor leaves behind (`.DS_Store`, `Thumbs.db`,
    `~$book.xlsx`, `.~lock.ratings.csv#`, `.ipynb_checkpoints`)."""
    return name in _LITTER_NAMES or bool(_LITTER_RE.match(name))


def not_regular(path: Path) -> str | None:
    """Why `path` is not a regular file to read (a link, a pipe, a device, a folder), or None.

    Never follows a link: what a link points at is neither read nor named.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        from .. import config

        return f"file is missing ({config.search_order()})"
    except OSError as err:
        return f"cannot be read ({err.strerror})"
    if stat.S_ISLNK(mode):
        return (
            "is a symbolic link: curated files must be regular files inside the data "
            "directory (copy the file here instead of linking to it)"
        )
    if stat.S_ISDIR(mode):
        return "is a folder where a file is expected"
    if not stat.S_ISREG(mode):
        return (
            f"is {_KINDS.get(stat.S_IFMT(mode), 'not a regular file')}: curated files "
            "must be regular files"
        )
    return None


def read_bytes(path: Path) -> bytes:
    """The bytes of a curated file: a regular file, never through a link, never endless."""
    shown = display_path(path)
    problem = not_regular(path)
    if problem is not None:
        raise DataError([DataIssue(shown, None, None, problem)])
    try:
        # O_NOFOLLOW and O_NONBLOCK: a file swapped for a link or a pipe after the check above
        # fails here instead of being followed or blocking.
        fd = os.open(
            path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        )
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise DataError(
                    [
                        DataIssue(
                            shown,
                            None,
                            None,
                            "is not a regular file: curated files must be regular files",
                        )
                    ]
                )
            raw = handle.read(LARGEST_FILE + 1)
    except OSError as err:
        problem = (
            "is a symbolic link: curated files must be regular files inside the data directory"
            if err.errno == errno.ELOOP
            else f"cannot be read ({err.strerror})"
        )
        raise DataError([DataIssue(shown, None, None, problem)]) from None
    if len(raw) > LARGEST_FILE:
        raise DataError(
            [
                DataIssue(
                    shown,
                    None,
                    None,
                    f"is larger than {LARGEST_FILE // 2**20} MB: a curated file is a small table",
                )
            ]
        )
    return raw


def read_text(path: Path) -> str:
    """The text of a curated file, refusing what a curator should fix: BOM, other encodings."""
    shown = display_path(path)
    raw = read_bytes(path)
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DataError(
            [
                DataIssue(
                    shown, 1, None, "starts with a byte order mark (BOM): save as UTF-8 without BOM"
                )
            ]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(
            [
                DataIssue(
                    shown,
                    line,
                    None,
                    f"is not valid UTF-8 (byte 0x{raw[err.start]:02x}): save the file as UTF-8",
                )
            ]
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise DataError([DataIssue(shown, line, None, "contains a NUL byte")])
    return text


def read_csv(path: Path, expected: list[str] | None = None) -> pd.DataFrame:
    """Read a comma-separated file into strings (None for empty cells), indexed by line number.

    `expected`: the columns the table may have; others are refused by name.
    """
    shown = display_path(path)
    text = read_text(path)
    if not text.strip():
        raise DataError([DataIssue(shown, None, None, "file is empty: a header row is required")])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, lines = [], []
    start = 1  # a row is located by the line it starts on (a quoted cell may span lines)
    try:
        header = next(reader)
        start = reader.line_num + 1
        for record in reader:
            if record and any(cell.strip() for cell in record):
                rows.append(record)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as err:
        problem = f"is not valid CSV ({err})"
        if "unexpected end of data" in str(err):
            problem = "is not valid CSV: a quoted cell starting on this line is never closed"
        raise DataError([DataIssue(shown, start, None, problem)]) from None
    header = [h.strip() for h in header]
    issues, usable = _check_header(shown, header, expected)
    if not usable:
        raise DataError(issues)  # rows cannot be checked against a header that is not one
    for line, record in zip(lines, rows, strict=True):
        if len(record) != len(header):
            issues.append(
                DataIssue(
                    shown,
                    line,
                    None,
                    f"has {len(record)} fields where the "
                    f"header has {len(header)} (check quoting and delimiter)",
                )
            )
    if issues:
        raise DataError(issues)
    frame = pd.DataFrame(
        [[cell.strip() or None for cell in record] for record in rows],
        columns=header,
        index=pd.Index(lines, name="line"),
        dtype="string",
    )
    return frame


def _check_header(
    shown: str, header: list[str], expected: list[str] | None
) -> tuple[list[DataIssue], bool]:
    """Issues of the header row, and whether it is usable to check the rows against."""
    if not any(header):
        return [
            DataIssue(
                shown,
                1,
                None,
                "first line is empty: the header row (column names) must be the first line",
            )
        ], False
    if len(header) == 1 and any(sep in header[0] for sep in (";", "\t", "|")):
        return [
            DataIssue(shown, 1, None, "header has a single column: the delimiter must be a comma")
        ], False
    if expected is not None and len(header) > 1 and not set(header) & set(expected):
        return [
            DataIssue(
                shown,
                1,
                None,
                "first line is not a header row: none of its cells "
                "is a column of this table (expected column names: " + ", ".join(expected) + ")",
            )
        ], False
    issues = []
    seen = set()
    for name in header:
        if not name:
            issues.append(DataIssue(shown, 1, None, "header has an empty column name"))
        elif name in seen:
            issues.append(DataIssue(shown, 1, name, "column appears twice in the header"))
        elif expected is not None and name not in expected:
            issues.append(
                DataIssue(
                    shown,
                    1,
                    name,
                    "is not a column of this table (expected one of: " + ", ".join(expected) + ")",
                )
            )
        seen.add(name)
    return issues, True


_YAML_TAG_PREFIX = "tag:yaml.org,2002:"


class _LineLoader(yaml.SafeLoader):
    """Safe YAML loader that records each key's line and refuses every explicit tag.

    Curated files hold plain values only: a tag (`!!python/object`, `!!int`, `!custom`) is
    refused where it stands, before anything is constructed from it.
    """

    def compose_node(self, parent, index):
        event = self.peek_event()
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and not isinstance(event, yaml.AliasEvent):
            shown = "!!" + tag[len(_YAML_TAG_PREFIX) :] if tag.startswith(_YAML_TAG_PREFIX) else tag
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"tag {shown} is not allowed (tags that build objects are not "
                "allowed; write plain values)",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode):
    mapping = {}
    lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "a key must be a plain value, not a list or a mapping",
                key_node.start_mark,
            )
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key} appears twice", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        lines[key] = key_node.start_mark.line + 1
    mapping_with_lines = _LinedDict(mapping)
    mapping_with_lines.lines = lines
    return mapping_with_lines


class _LinedDict(dict):
    lines: dict


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Text stays text as written: `yes` is "yes" (not True), `0x1F`, `.nan`, `1e3` and `2019-02-30`
# are the characters written, never a number, a boolean or a date. Only an empty value (or
# `~`, `null`) means "no value".
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _texts(value):
    """Every text in a YAML value: itself, or the keys and values inside it."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _texts(key)
            yield from _texts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _texts(inner)


def read_yaml(path: Path) -> tuple[dict, dict[str, int]]:
    """A YAML mapping and the line of each top-level key."""
    shown = display_path(path)
    text = read_text(path)
    if not text.strip():
        raise DataError(
            [
                DataIssue(
                    shown, None, None, "file is empty: the fields of the inspection are required"
                )
            ]
        )
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        problem = err.problem or err.context or "syntax error"
        raise DataError([DataIssue(shown, line, None, f"is not valid YAML: {problem}")]) from None
    except yaml.YAMLError as err:
        problem = " ".join(str(err).split())
        raise DataError([DataIssue(shown, None, None, f"is not valid YAML: {problem}")]) from None
    except RecursionError:
        raise DataError(
            [DataIssue(shown, None, None, "is not valid YAML: nested too deeply")]
        ) from None
    if not isinstance(data, dict):
        raise DataError([DataIssue(shown, 1, None, "must be a mapping of field: value")])
    lines = getattr(data, "lines", {})
    nul = [
        DataIssue(
            shown,
            lines.get(key),
            str(key),
            "contains a NUL character (written as an escape such as \\0): remove it",
        )
        for key, value in data.items()
        if any("\x00" in t for t in _texts({key: value}))
    ]
    if nul:
        raise DataError(nul)
    return dict(data), lines
