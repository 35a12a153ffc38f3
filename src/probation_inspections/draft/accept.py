"""`probation-inspections accept ID`: move a reviewed draft into data/inspections/<id>/.

Refused while any row (or inspection.yaml) is still `certainty: drafted`, while a curated
folder of that id exists (curated data is never overwritten), and while the folder does not
validate. The folder is validated as a copy beside the vocabularies first, so a refused accept
leaves the draft as it was and data/inspections/ untouched.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .. import config
from ..curated.inspection import inspection_folder
from ..curated.readers import read_csv, read_yaml
from ..curated.schema import CSV_TABLES, INSPECTIONS
from ..errors import DataError, DataIssue, display_path
from .drafting import draft_folder, drafts_dir
from .rows import DRAFTED

MODEL_FILES = {INSPECTIONS.filename} | {table.filename for table in CSV_TABLES}
REVIEW_PAGE = "review.html"


def unreviewed(folder: Path) -> list[DataIssue]:
    """Every row still drafted, located by file and line."""
    issues = []
    yaml_path = folder / INSPECTIONS.filename
    if yaml_path.exists():
        meta, field_lines = read_yaml(yaml_path)
        if meta.get("certainty") == DRAFTED:
            issues.append(
                DataIssue(
                    display_path(yaml_path),
                    field_lines.get("certainty"),
                    "certainty",
                    "still drafted: check every field, then delete this line",
                    DRAFTED,
                )
            )
    for table in CSV_TABLES:
        path = folder / table.filename
        if not path.exists():
            continue
        frame = read_csv(path)
        if "certainty" not in frame.columns:
            continue
        lines = [int(line) for line, value in frame["certainty"].items() if value == DRAFTED]
        if lines:
            issues.append(
                DataIssue(
                    display_path(path),
                    lines[0],
                    "certainty",
                    f"{len(lines)} row(s) still drafted (lines "
                    f"{_ranges(lines)}): check each against the source and set "
                    "reported, derived or inferred, or delete it",
                    DRAFTED,
                )
            )
    return issues


def _ranges(lines: list[int]) -> str:
    """[2, 3, 4, 7] reads "2-4, 7"."""
    spans: list[list[int]] = []
    for line in lines:
        if spans and line == spans[-1][1] + 1:
            spans[-1][1] = line
        else:
            spans.append([line, line])
    return ", ".join(f"{a}-{b}" if b > a else f"{a}" for a, b in spans)


def accept(inspection_id: str, data_root: Path | None = None) -> Path:
    """Validate the reviewed draft and move it into data/inspections/<id>/; returns that path."""
    from ..validation import validate

    source = draft_folder(inspection_id, data_root)
    target = inspection_folder(inspection_id, data_root)
    if not source.is_dir():
        raise DataError(
            [
                DataIssue(
                    display_path(source),
                    None,
                    None,
                    "no draft with this id (run `probation-inspections draft`)",
                )
            ]
        )
    if target.exists():
        raise DataError(
            [
                DataIssue(
                    display_path(target),
                    None,
                    None,
                    "a curated folder with this id exists; curated data is never overwritten",
                )
            ]
        )
    issues = unreviewed(source)
    if issues:
        raise DataError(issues)
    staging = Path(tempfile.mkdtemp(prefix=f".accept-{inspection_id}-", dir=drafts_dir(data_root)))
    try:
        shutil.copytree(config.reference_dir(data_root), config.reference_dir(staging))
        staged = inspection_folder(inspection_id, staging)
        staged.mkdir(parents=True)
        for path in sorted(source.iterdir()):
            if path.name in MODEL_FILES:
                shutil.copy2(path, staged / path.name)
        report = validate([inspection_id], data_root=staging)
        if not report.ok:
            raise DataError([_in_draft(issue, staged, source) for issue in report.all_issues()])
        target.parent.mkdir(parents=True, exist_ok=True)
        staged.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for path in source.iterdir():
        if path.name in MODEL_FILES or path.name == REVIEW_PAGE:
            path.unlink()
    if not any(source.iterdir()):
        source.rmdir()  # files of the curator's own stay in the draft folder
    return target


def _in_draft(issue: DataIssue, staged: Path, source: Path) -> DataIssue:
    """The issue as found in the staged copy, pointed at the draft file the curator edits."""
    return DataIssue(
        issue.path.replace(display_path(staged), display_path(source)),
        issue.line,
        issue.column,
        issue.rule,
        issue.value,
        issue.inspection_id,
    )
