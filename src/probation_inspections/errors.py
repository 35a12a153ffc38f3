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
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = ""
        if self.column:
            what = f" {_shown(self.column)}" + (f"={_shown(self.value)}"
                                                if self.value is not None else "")
        elif self.value is not None:
            what = f" {_shown(self.value)}"
        return f"{where}{what}: {self.rule}"

    def to_dict(self) -> dict:
        return asdict(self)


#: Longest value shown in a message (the JSON output keeps the whole value).
SHOWN_VALUE_LENGTH = 120


def _shown(value) -> str:
    """A value on one line: control characters escaped (a newline in a cell stays visible as
    \\n), long values cut short."""
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in str(value))
    if len(text) > SHOWN_VALUE_LENGTH:
        text = text[:SHOWN_VALUE_LENGTH - 3] + "..."
    return text


class DataError(Exception):
    """Raised when curated data cannot be read or breaks a rule; carries every issue found."""

    def __init__(self, issues: list[DataIssue]):
        self.issues = sorted(issues, key=lambda i: (i.path, i.line or 0, i.column or "", i.rule))
        super().__init__("\n".join(str(i) for i in self.issues))


def display_path(path: Path) -> str:
    """A path as people should read it in a message: relative to the working directory if below."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
