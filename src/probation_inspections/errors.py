"""The one error type of the package: a data problem located by file, line, column and rule."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class DataIssue:
    """One broken rule, located precisely enough for a curator to fix it."""

    path: str
    line: int | None
    column: str | None
    rule: str
    value: str | None = None
    inspection_id: str | None = None

    def __str__(self) -> str:
        path = printable(self.path)
        where = path if self.line is None else f"{path}:{self.line}"
        what = ""
        if self.column:
            what = f" {_shown(self.column)}" + (
                f"={_shown(self.value)}" if self.value is not None else ""
            )
        elif self.value is not None:
            what = f" {_shown(self.value)}"
        return f"{where}{what}: {self.rule}"

    def to_dict(self) -> dict:
        return asdict(self)


#: Longest value shown in a message (the JSON output keeps the whole value).
SHOWN_VALUE_LENGTH = 120


def printable(text) -> str:
    """Text safe to print on a terminal: every control character escaped (a newline shows as
    \\n, ESC as \\x1b), so that curated text can never move the cursor, clear the screen or
    set the window title."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in str(text))


def _shown(value) -> str:
    """A value on one line: control characters escaped, long values cut short."""
    text = printable(value)
    if len(text) > SHOWN_VALUE_LENGTH:
        text = text[: SHOWN_VALUE_LENGTH - 3] + "..."
    return text


class BuildError(Exception):
    """A build that cannot start or cannot write: one line on the command line, exit 1."""


class DataError(Exception):
    """Raised when curated data cannot be read or breaks a rule; carries every issue found."""

    def __init__(self, issues: list[DataIssue]):
        self.issues = sorted(issues, key=lambda i: (i.path, i.line or 0, i.column or "", i.rule))
        super().__init__("\n".join(str(i) for i in self.issues))

    def __reduce__(self):
        # Made again from its issues (validation in a child process hands them back whole).
        return (type(self), (self.issues,))


def display_path(path: Path) -> str:
    """A path as people should read it in a message: relative to the working directory if below.

    The path itself is never resolved: a link is named as the link, never by what it points at.
    """
    path = Path(path)
    try:
        shown = path.parent.resolve() / path.name
        return str(shown.relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(path)
