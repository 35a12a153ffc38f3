"""Validation results for every inspection, validating again only the inspections that changed."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import config
from ..errors import BuildError, DataIssue, display_path
from ..fingerprint import Inputs, code_fingerprint, dataset_fingerprint
from .outcome import Outcome

if TYPE_CHECKING:
    import pandas as pd

_log = logging.getLogger(__name__)


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


@dataclass
class Validation(Outcome):
    """What `probation-inspections validate` reports, whether each inspection was validated in
    this run or its results were reused from the last build (they read the same)."""

    inspections: list[str]  # the inspections asked for (default: every curated one)
    issues: dict[str, list[DataIssue]]
    notices_of: dict[str, list[DataIssue]]
    checks: int  # rule checks run on them
    general_issues: list[DataIssue] = field(default_factory=list)
    skipped: list[DataIssue] = field(default_factory=list)
    #: The inspections validated by this run; the others' results were reused.
    validated: list[str] = field(default_factory=list)

    def notices(self) -> list[DataIssue]:
        return sorted(n for i in sorted(self.notices_of) for n in self.notices_of[i])


def validate_reusing(
    inspection_ids: list[str] | None = None, data_root: Path | None = None
) -> Validation:
    """Validate inspections (all by default), reusing the results the last build stored for
    every inspection unchanged since (same files, reference files, code and library versions).

    Fingerprints are compared first: Great Expectations is imported, and suites built, only
    when some inspection must be validated again.
    """
    from ..curated.inspection import list_inspections
    from ..tables import read_manifest

    root = Path(data_root or config.data_dir()).resolve()
    found, skipped = list_inspections(data_root)
    wanted = list(dict.fromkeys(inspection_ids)) if inspection_ids is not None else found
    inputs, code = Inputs(root), code_fingerprint()
    keys = {i: inputs.inspection_key(i, code, root) for i in wanted if i in found}
    stored = _stored_records(read_manifest(root), keys)
    todo = [i for i in wanted if i not in stored]
    _log.debug(
        "validate: %d inspection(s) validated, %d unchanged since the last build reused",
        len(todo),
        len(stored),
    )
    if not stored:  # nothing to reuse (and vocabularies not known to load): validate afresh
        return _from_report(_fresh(inspection_ids, data_root, frozenset()))
    if todo:
        report = _fresh(inspection_ids and todo, data_root, frozenset(stored))
        if report.general_issues:
            return _from_report(report)
        validation = _from_report(report)
        skipped = report.skipped
    else:
        validation = Validation([], {}, {}, 0)
    validation.inspections = sorted(set(wanted))
    validation.skipped = skipped if inspection_ids is None else []
    for inspection_id, record in stored.items():
        validation.issues[inspection_id] = [_issue(r, root) for r in record["issues"]]
        validation.notices_of[inspection_id] = [_issue(r, root) for r in record["notices"]]
        validation.checks += record["checks"]
    return validation


def _fresh(inspection_ids, data_root, known):
    from .suites import validate

    return validate(inspection_ids, data_root, known=known)


def _from_report(report) -> Validation:
    return Validation(
        sorted(report.inspections),
        dict(report.issues),
        {i: list(inspection.notices) for i, inspection in report.inspections.items()},
        len(report.results),
        list(report.general_issues),
        list(report.skipped),
        validated=sorted(report.inspections),
    )


#: What a build's manifest holds beyond load()'s, and what reusing its results needs.
_BUILD_KEYS = ("inspections", "excluded", "issues", "general_issues", "meta")


def _build_manifest(data_root: Path, force: bool) -> dict | None:
    """The last build's manifest; None when forced, when there is none, or when load() wrote it
    (it keeps no per-inspection problems or meta)."""
    from ..tables import read_manifest

    manifest = None if force else read_manifest(data_root)
    if manifest is not None and not all(key in manifest for key in _BUILD_KEYS):
        return None
    return manifest


def unchanged_since_last_build(
    data_root: Path, inputs: Inputs, code: str, force: bool = False
) -> bool:
    """Whether nothing validation reads changed since the last build, so that `check_data`
    reuses its results and validates nothing."""
    manifest = _build_manifest(data_root, force)
    return manifest is not None and manifest.get("fingerprint") == dataset_fingerprint(
        inputs=inputs, code=code
    )


def check_data(
    data_root: Path, inputs: Inputs, code: str, force: bool, echo, write: bool = True
) -> Checked:
    """Validation results for every inspection, re-validating only those whose files changed."""
    import pandas as pd

    manifest = _build_manifest(data_root, force)
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
    keys = {i: inputs.inspection_key(i, code, data_root) for i in found}
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
    records = {i: previous["records"][i] for i in reused}
    checks = report.results["inspection_id"].value_counts()
    for inspection_id, inspection in report.inspections.items():
        frame = inspection.tables.get("inspections")
        row = frame.iloc[0].to_dict() if frame is not None else {}
        meta[inspection_id] = {
            k: _text(row.get(k)) for k in ("title", "area", "programme", "published", "kind")
        }
        if report.issues.get(inspection_id):
            issues[inspection_id] = [str(x) for x in report.issues[inspection_id]]
        records[inspection_id] = _record(
            report.issues.get(inspection_id, []),
            inspection.notices,
            int(checks.get(inspection_id, 0)),
            data_root,
        )
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
                "records": records,
                "records_context": _context(),
            },
            data_root,
        )
    return checked


#: A build with more inspection folders than this validates them in a child process
#: (`check_data_apart`).
APART_FROM = 400


def check_data_apart(
    data_root: Path, inputs: Inputs, code: str, force: bool, echo, write: bool = True
) -> Checked:
    """`check_data` in a child process, its lines echoed here as they come.

    Reading and validating a thousand inspections builds up about a gigabyte of tables and
    Great Expectations' own objects, and a process keeps most of that memory after it frees
    them; the child gives it all back when it ends, so the build's process holds only what
    validation found while its kernels run the reports. The child is killed if this process is
    interrupted; if it dies, the build stops and says so.
    """
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_check_data_in_child,
        args=(sender, data_root, inputs, code, force, write),
        daemon=True,
    )
    child.start()
    sender.close()
    answered = False
    try:
        while True:
            try:
                kind, value = receiver.recv()
            except EOFError:
                child.join()
                raise BuildError(
                    f"validation stopped: its process ended (exit code {child.exitcode}) "
                    "before it had checked the data; nothing was written"
                ) from None
            if kind == "line":
                echo(value)
                continue
            answered = True
            if kind == "error":
                raise value
            return value
    finally:
        receiver.close()
        if answered:  # the child only ends now
            child.join(timeout=10)
        if child.is_alive():  # interrupted, or stuck at its end
            child.kill()
            child.join()


def _check_data_in_child(sender, data_root, inputs, code, force, write) -> None:
    try:
        checked = check_data(
            data_root, inputs, code, force, lambda line: sender.send(("line", line)), write
        )
        sender.send(("done", checked))
    except Exception as error:  # noqa: BLE001 - raised again in the parent
        sender.send(("error", error))
    finally:
        sender.close()


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

    stored = _stored_records(manifest, keys)
    reused = set(stored)
    if not reused or manifest is None:
        return set(), {}
    results = _cached_results(data_root)
    if results is None:
        return set(), {}
    return reused, {
        "meta": manifest["meta"],
        "issues": manifest["issues"],
        "records": stored,
        "results": results[results["inspection_id"].isin(reused)],
    }


def _stored_records(manifest: dict | None, keys: dict[str, str]) -> dict[str, dict]:
    """The stored results (`_record`) of the inspections whose key is unchanged since the
    build that stored them, and whose messages would read the same now. A manifest that holds
    none, or holds them damaged, gives none."""
    if not isinstance(manifest, dict):
        return {}
    before, records = manifest.get("validation_keys"), manifest.get("records")
    if not isinstance(before, dict) or not isinstance(records, dict):
        return {}
    same_context = manifest.get("records_context") == _context()
    return {
        i: records[i]
        for i, key in keys.items()
        if before.get(i) == key
        and _well_formed(records.get(i))
        and (same_context or not records[i]["issues"])
    }


def _well_formed(record) -> bool:
    """Whether a stored result can be printed again (a damaged one is validated afresh)."""
    if not isinstance(record, dict) or type(record.get("checks")) is not int:
        return False
    return all(
        isinstance(issues, list) and all(_well_formed_issue(x) for x in issues)
        for issues in (record.get("issues"), record.get("notices"))
    )


def _well_formed_issue(record) -> bool:
    return (
        isinstance(record, dict)
        and set(record) == _RECORD_FIELDS
        and isinstance(record["path"], str)
        and isinstance(record["relative"], bool)
        and (record["line"] is None or type(record["line"]) is int)
        and isinstance(record["rule"], str)
        and all(
            record[k] is None or isinstance(record[k], str) for k in ("column", "inspection_id")
        )
        and (record["value"] is None or isinstance(record["value"], (str, int, float)))
    )


# Stored results: what validation said of one inspection, printable again exactly ------------

#: The fields of a stored issue: DataIssue's, its path made independent of the working
#: directory (`relative`: the path is relative to the data directory).
_RECORD_FIELDS = {"path", "relative", "line", "column", "rule", "value", "inspection_id"}


def _context() -> dict:
    """What messages say besides their inspection's files: where data is looked for."""
    return {"search_order": config.search_order()}


def _record(issues, notices, checks: int, data_root: Path) -> dict:
    """One inspection's validation results as the manifest keeps them: its issues and notices,
    located, and how many rule checks it had."""
    root = Path(data_root).resolve()
    return {
        "issues": [_stored_issue(i, root) for i in issues],
        "notices": [_stored_issue(n, root) for n in notices],
        "checks": checks,
    }


def _stored_issue(issue: DataIssue, root: Path) -> dict:
    record = {**issue.to_dict(), "relative": False}
    record["line"] = None if issue.line is None else int(issue.line)
    record["value"] = _json_value(issue.value)
    shown = Path(issue.path)  # as display_path shows it: relative to the working directory
    full = shown if shown.is_absolute() else Path.cwd().resolve() / shown
    try:
        inside = (full.parent.resolve() / full.name).relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return record  # not a file of the data directory ("inspection id"): kept as written
    if display_path(root / inside) == issue.path:
        record.update(path=inside.as_posix(), relative=True)
    return record


def _json_value(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "item"):  # a numpy scalar
        return value.item()
    return str(value)


def _issue(record: dict, root: Path) -> DataIssue:
    fields = {k: v for k, v in record.items() if k != "relative"}
    if record["relative"]:
        fields["path"] = display_path(root / record["path"])
    return DataIssue(**fields)


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
