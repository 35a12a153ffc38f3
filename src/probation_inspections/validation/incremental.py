"""Validation results for every inspection, validating again only the inspections that changed."""

from __future__ import annotations

from dataclasses import dataclass
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

    @property
    def ok(self) -> bool:
        return not self.general_issues and not self.failed_ids


def check_data(data_root: Path, inputs: Inputs, code: str, force: bool, echo,
               write: bool = True) -> Checked:
    """Validation results for every inspection, re-validating only those whose files changed."""
    import pandas as pd

    from ..tables import read_manifest

    manifest = None if force else read_manifest(data_root)
    fingerprint = dataset_fingerprint(inputs=inputs, code=code)
    if manifest and manifest.get("fingerprint") == fingerprint:
        results = pd.read_parquet(config.processed_dir(data_root) / "validation_results.parquet")
        echo("curated data unchanged since the last build: validation results reused")
        from ..curated.inspection import check_inspection_id

        for inspection_id in [*manifest["inspections"], *manifest["excluded"]]:
            check_inspection_id(inspection_id)  # ids become paths of pages
        return Checked(manifest["inspections"], manifest["excluded"], manifest["issues"],
                       manifest["general_issues"], manifest["meta"], results, validated=[])

    from ..curated.inspection import list_inspections, read_inspection
    from ..tables import combine, write_processed
    from .suites import validate

    found, _ = list_inspections(data_root)
    # The data directory too: the problems kept for an unchanged inspection name its files.
    keys = {i: _digest(inputs.inspection(i).encode(), inputs.reference.encode(), code.encode(),
                       str(data_root).encode()) for i in found}
    reused, previous = _reusable(manifest, keys, data_root)
    echo(f"validating {len(found) - len(reused)} inspection(s)"
         + (f"; {len(reused)} unchanged since the last build, their results reused"
            if reused else "") + " ...")
    report = validate(data_root=data_root, known=reused)
    for issue in report.all_issues():
        echo(f"  {issue}")
    meta = {i: previous["meta"][i] for i in reused}
    issues = {i: previous["issues"][i] for i in reused if previous["issues"].get(i)}
    for inspection_id, inspection in report.inspections.items():
        frame = inspection.tables.get("inspections")
        row = frame.iloc[0].to_dict() if frame is not None else {}
        meta[inspection_id] = {k: _text(row.get(k)) for k in ("title", "area", "programme",
                                                               "published", "kind")}
        if report.issues.get(inspection_id):
            issues[inspection_id] = [str(x) for x in report.issues[inspection_id]]
    general = [str(i) for i in report.general_issues]
    ids = sorted(reused | set(report.inspections))
    valid = [] if general else [i for i in ids if i not in issues]
    results = report.results  # ordered by inspection, as are the reused ones: merge in order
    if reused:
        results = pd.concat([previous["results"], results], ignore_index=True).sort_values(
            "inspection_id", kind="stable", ignore_index=True)
    checked = Checked(valid, [i for i in ids if i in issues], issues, general, meta, results,
                      validated=sorted(report.inspections))
    echo(f"  {len(checked.valid_ids)} inspection(s) valid, {len(checked.failed_ids)} failing")
    if write and not general:
        reference = report.reference
        if reference is None:  # vocabularies that fail to load are a general issue
            raise RuntimeError("the vocabularies of data/reference/ did not load")
        tables = {i: report.inspections[i].tables if i in report.inspections
                  else read_inspection(i, reference, data_root).tables for i in valid}
        write_processed(combine(tables), results, {
            "fingerprint": fingerprint,
            "inspections": checked.valid_ids, "excluded": checked.failed_ids,
            "issues": checked.issues, "general_issues": checked.general_issues,
            "meta": meta, "validation_keys": keys}, data_root)
    return checked


def _reusable(manifest: dict | None, keys: dict[str, str], data_root: Path):
    """The inspections whose validation results the last build left and that have not changed
    since (same files, reference files and code), with those results."""
    import pandas as pd

    before = (manifest or {}).get("validation_keys") or {}
    reused = {i for i, key in keys.items() if before.get(i) == key}
    if not reused or manifest is None:
        return set(), {}
    try:
        results = pd.read_parquet(config.processed_dir(data_root) / "validation_results.parquet")
    except (OSError, ValueError):
        return set(), {}
    return reused, {"meta": manifest["meta"], "issues": manifest["issues"],
                    "results": results[results["inspection_id"].isin(reused)]}


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
