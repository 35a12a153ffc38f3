"""Validation results for every inspection, validating again only the inspections that changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import config
from ..fingerprint import Inputs, _digest, dataset_fingerprint

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Checked:
    """What validation found, freshly or from the last build when no curated file changed."""

    valid_ids: list[str]
    failed_ids: list[str]
    issues: dict[str, list[str]]
    general_issues: list[str]
    meta: dict[str, dict]  # inspection id -> title, area, programme, published, kind
    results: pd.DataFrame  # rule results
    validated: list[str] | None = None  # the inspections validated by this build ([]: none)
    #: Entries of data/inspections/ that are not inspection folders: reported and skipped.
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.general_issues and not self.skipped and not self.failed_ids


#: What a build's manifest holds beyond load()'s, and what reusing its results needs.
_BUILD_KEYS = ("inspections", "excluded", "issues", "general_issues", "meta")


def check_data(
    data_root: Path, inputs: Inputs, code: str, force: bool, echo, write: bool = True
) -> Checked:
    """Validation results for every inspection, re-validating only those whose files changed."""
    import pandas as pd

    from ..tables import read_manifest

    manifest = None if force else read_manifest(data_root)
    if manifest is not None and not all(key in manifest for key in _BUILD_KEYS):
        manifest = None  # written by load(), which keeps no per-inspection problems or meta
    fingerprint = dataset_fingerprint(inputs=inputs, code=code)
    results = (
        _cached_results(data_root)
        if manifest and manifest.get("fingerprint") == fingerprint
        else None
    )
    if results is not None and manifest is not None:  # results are read only with a manifest
        echo("curated data unchanged since the last build: validation results reused")
        from ..curated.inspection import check_inspection_id

        for inspection_id in [*manifest["inspections"], *manifest["excluded"]]:
            check_inspection_id(inspection_id)  # ids become paths of pages
        checked = Checked(
            manifest["inspections"],
            manifest["excluded"],
            manifest["issues"],
            manifest["general_issues"],
            manifest["meta"],
            results,
            validated=[],
            skipped=manifest.get("skipped", []),
        )
        _echo_problems(checked, echo)
        return checked

    from ..curated.inspection import list_inspections, read_inspection
    from ..tables import combine, write_processed
    from .suites import validate

    # What validation reads is fingerprinted before it reads (`inputs`) and checked after: a
    # file edited meanwhile makes the build stop rather than publish tables under the wrong
    # fingerprint.

    found, _ = list_inspections(data_root)
    # The data directory too: the problems kept for an unchanged inspection name its files.
    keys = {
        i: _digest(
            inputs.inspection(i).encode(),
            inputs.reference.encode(),
            code.encode(),
            str(data_root).encode(),
        )
        for i in found
    }
    reused, previous = _reusable(manifest, keys, data_root)
    echo(
        f"validating {len(found) - len(reused)} inspection(s)"
        + (
            f"; {len(reused)} unchanged since the last build, their results reused"
            if reused
            else ""
        )
        + " ..."
    )
    report = validate(data_root=data_root, known=reused)
    for issue in report.all_issues():
        echo(f"  {issue}")
    meta = {i: previous["meta"][i] for i in reused}
    issues = {i: previous["issues"][i] for i in reused if previous["issues"].get(i)}
    for inspection_id, inspection in report.inspections.items():
        frame = inspection.tables.get("inspections")
        row = frame.iloc[0].to_dict() if frame is not None else {}
        meta[inspection_id] = {
            k: _text(row.get(k)) for k in ("title", "area", "programme", "published", "kind")
        }
        if report.issues.get(inspection_id):
            issues[inspection_id] = [str(x) for x in report.issues[inspection_id]]
    general = [str(i) for i in report.general_issues]
    changed = _changed_since(inputs, data_root)
    if changed:
        general.append(
            f"{changed}: changed while the build was reading the curated files; "
            "nothing was written: run the build again"
        )
        echo(f"  {general[-1]}")
    ids = sorted(reused | set(report.inspections))
    valid = [] if general else [i for i in ids if i not in issues]
    results = report.results  # ordered by inspection, as are the reused ones: merge in order
    if reused:
        results = pd.concat([previous["results"], results], ignore_index=True).sort_values(
            "inspection_id", kind="stable", ignore_index=True
        )
    checked = Checked(
        valid,
        [i for i in ids if i in issues],
        issues,
        general,
        meta,
        results,
        validated=sorted(report.inspections),
        skipped=[str(i) for i in report.skipped],
    )
    for inspection_id in sorted(reused & set(issues)):  # unchanged, still broken: say so again
        for issue in issues[inspection_id]:
            echo(f"  {issue}")
    echo(f"  {len(checked.valid_ids)} inspection(s) valid, {len(checked.failed_ids)} failing")
    if write and not general:
        reference = report.reference
        if reference is None:  # vocabularies that fail to load are a general issue
            raise RuntimeError("the vocabularies of data/reference/ did not load")
        tables = {
            i: report.inspections[i].tables
            if i in report.inspections
            else read_inspection(i, reference, data_root).tables
            for i in valid
        }
        write_processed(
            combine(tables),
            results,
            {
                "fingerprint": fingerprint,
                "inspections": checked.valid_ids,
                "excluded": checked.failed_ids,
                "issues": checked.issues,
                "general_issues": checked.general_issues,
                "skipped": checked.skipped,
                "meta": meta,
                "validation_keys": keys,
            },
            data_root,
        )
    return checked


def _cached_results(data_root: Path):
    """The validation results the last build stored, or None when missing or unreadable (the
    build then validates again)."""
    import pandas as pd

    try:
        return pd.read_parquet(config.processed_dir(data_root) / "validation_results.parquet")
    except (OSError, ValueError):
        return None


def _echo_problems(checked: Checked, echo) -> None:
    """The problems an unchanged data directory still has: a build that exits 1 says why."""
    for issue in [*checked.general_issues, *checked.skipped]:
        echo(f"  {issue}")
    for inspection_id in checked.failed_ids:
        for issue in checked.issues.get(inspection_id, []):
            echo(f"  {issue}")


def _changed_since(inputs: Inputs, data_root: Path) -> str | None:
    """The curated files changed since `inputs` was taken, or None."""
    now = Inputs(data_root)
    if now.everything() == inputs.everything():
        return None
    names = sorted(
        f"inspections/{i}/{name}"
        for i in set(now.files) | set(inputs.files)
        for name in set(now.files.get(i, {})) | set(inputs.files.get(i, {}))
        if now.files.get(i, {}).get(name) != inputs.files.get(i, {}).get(name)
    )
    if now.reference != inputs.reference:
        names.append("reference")
    return ", ".join(names) or "the curated files"


def _reusable(manifest: dict | None, keys: dict[str, str], data_root: Path):
    """The inspections whose validation results the last build left and that have not changed
    since (same files, reference files and code), with those results."""

    before = (manifest or {}).get("validation_keys") or {}
    reused = {i for i, key in keys.items() if before.get(i) == key}
    if not reused or manifest is None:
        return set(), {}
    results = _cached_results(data_root)
    if results is None:
        return set(), {}
    return reused, {
        "meta": manifest["meta"],
        "issues": manifest["issues"],
        "results": results[results["inspection_id"].isin(reused)],
    }


def _text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)
