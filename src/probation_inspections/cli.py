"""Command line: `probation-inspections validate|build|list|new|draft|accept|docs|export|info`.

Exit codes: 0 success, 1 data or notebook failure, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from .errors import BuildError, DataError, printable


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="probation-inspections",
        description="Curated, validated datasets of probation inspections and their reports.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check the curated data against every rule")
    validate.add_argument("ids", nargs="*", metavar="ID", help="inspections (default: all)")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    build = sub.add_parser("build", help="validate, then build every report into reports/")
    build.add_argument(
        "ids", nargs="*", metavar="ID", help="build the profiles of these inspections only"
    )
    build.add_argument(
        "--jobs", type=int, default=None, help="notebooks run at once (default: all cores)"
    )
    build.add_argument("--force", action="store_true", help="ignore the build cache")
    build.add_argument(
        "--dry-run", action="store_true", help="list what would run and why, run nothing"
    )
    build.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="start a new kernel for every report (plain papermill runs)",
    )
    build.add_argument(
        "--cell-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="seconds a notebook cell may run before its report fails (default 600)",
    )
    build.add_argument(
        "--reports",
        type=Path,
        metavar="DIR",
        default=None,
        help="write the site into DIR (default: $PROBATION_INSPECTIONS_REPORTS, "
        "the checkout's reports/, else ./reports)",
    )
    sub.add_parser("list", help="list the curated inspections")
    new = sub.add_parser("new", help="create a curated folder from the template")
    new.add_argument("id", metavar="ID", help="e.g. 2019-03-durham-tees-valley-crc")
    draft = sub.add_parser(
        "draft",
        help="draft a curated folder from a report (PDF, HTML or "
        "text) into data/drafts/ID/, with review.html",
    )
    draft.add_argument("source", metavar="SOURCE", help="the report: .pdf, .html or text")
    draft.add_argument(
        "--id", required=True, metavar="ID", dest="id", help="e.g. 2017-01-staffordshire-stoke"
    )
    accept = sub.add_parser(
        "accept", help="move a reviewed draft into data/inspections/ID/ and validate it"
    )
    accept.add_argument("id", metavar="ID")
    docs = sub.add_parser("docs", help="write docs/data-dictionary.md and docs/data-log.md")
    docs.add_argument(
        "--check", action="store_true", help="exit 1 if the files are not current, write nothing"
    )
    export = sub.add_parser(
        "export",
        help="write the data release (Frictionless Data Package and Excel workbook) into DIR",
    )
    export.add_argument(
        "directory",
        type=Path,
        metavar="DIR",
        help="new or empty directory, or one holding an earlier export",
    )
    export.add_argument(
        "--archive",
        action="store_true",
        help="also write probation-inspections-data-<version>.zip beside DIR",
    )
    sub.add_parser("info", help="which data is in use, from where, and which version")
    return parser


def _version() -> str:
    from . import __version__

    return __version__


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except DataError as err:
        print(err, file=sys.stderr)
        return 1
    except BuildError as err:
        print(printable(err), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # Kernels are shut down by the workers as the interrupt unwinds; pages written so far
        # were written whole, and the others are kept as they were.
        print(
            f"interrupted: {args.command} stopped; pages already written are complete, the "
            "others are as they were",
            file=sys.stderr,
        )
        return 130
    except OSError as err:  # a full disk, a read-only or missing folder, while writing
        where = f"{err.filename}: " if getattr(err, "filename", None) else ""
        print(
            printable(
                f"{args.command} failed: {where}{err.strerror or err}; nothing was "
                "replaced by a partial file"
            ),
            file=sys.stderr,
        )
        return 1


def _validate(args) -> int:
    from .curated.inspection import check_inspection_id
    from .validation.incremental import validate_reusing

    ids = [check_inspection_id(i) for i in args.ids] or None
    report = validate_reusing(ids)  # the last build's results for unchanged inspections
    issues = report.all_issues()
    notices = report.notices()
    if args.format == "json":
        print(
            json.dumps(
                {
                    "valid": report.valid_ids,
                    "failed": report.failed_ids,
                    "issues": [i.to_dict() for i in issues],
                    "notices": [n.to_dict() for n in notices],
                },
                indent=2,
            )
        )
    else:
        for issue in issues:
            print(issue)
        for notice in notices:
            print(f"notice: {notice}", file=sys.stderr)
        checks = report.checks
        print(
            f"{len(report.valid_ids)} inspection(s) valid, {len(report.failed_ids)} failing; "
            f"{checks} rule checks, {len(issues)} problem(s)"
        )
    return 0 if report.ok else 1


def _build(args) -> int:
    from . import config
    from .build import build
    from .curated.inspection import check_inspection_id

    if args.jobs is not None and args.jobs < 1:
        print("--jobs must be at least 1", file=sys.stderr)
        return 2
    if args.cell_timeout is not None and args.cell_timeout <= 0:
        print("--cell-timeout must be a number of seconds above 0", file=sys.stderr)
        return 2
    only = [check_inspection_id(i) for i in args.ids] or None
    unknown = [i for i in only or [] if not (config.inspections_dir() / i).is_dir()]
    if unknown:
        print(
            f"no curated inspection has the id {', '.join(unknown)} (see `probation-"
            "inspections list`)",
            file=sys.stderr,
        )
        return 2
    result = build(
        jobs=args.jobs,
        force=args.force,
        only=only,
        dry_run=args.dry_run,
        warm=not args.fresh_kernels,
        cell_timeout=args.cell_timeout,
        reports=args.reports,
    )
    return 0 if result.ok else 1


def _list(args) -> int:
    from . import config
    from .curated.inspection import list_inspections
    from .curated.readers import read_yaml

    ids, issues = list_inspections()
    for inspection_id in ids:
        try:
            meta, _ = read_yaml(config.inspections_dir() / inspection_id / "inspection.yaml")
        except DataError:
            meta = {}
        fields = (inspection_id, meta.get("published") or "", meta.get("title") or "")
        print("\t".join(printable(f) for f in fields))
    for issue in issues:
        print(issue, file=sys.stderr)
    return 0 if not issues else 1


def _new(args) -> int:
    from .curated.scaffold import new_inspection

    folder = new_inspection(args.id)
    print(
        f"created {printable(folder)}: fill in inspection.yaml and the tables, then run "
        f"`probation-inspections validate {args.id}`"
    )
    return 0


def _docs(args) -> int:
    from . import config
    from .report.dictionary import render, render_data_log

    docs = config.PROJECT_ROOT / "docs"
    shipped = (config.PROJECT_ROOT / "data").resolve()
    if config.data_dir().resolve() != shipped and not args.check:
        # The docs describe the repository's data: a scratch data directory never rewrites them.
        print(
            f"docs/ describes the repository's data ({shipped}); the data directory is "
            f"{printable(config.data_dir())} ({config.DATA_DIR_ENV}): nothing written",
            file=sys.stderr,
        )
        return 2
    stale = []
    for name, text in (("data-dictionary.md", render()), ("data-log.md", render_data_log())):
        path = docs / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if stale:
        print(f"not current: {', '.join(stale)}; run `probation-inspections docs`", file=sys.stderr)
        return 1
    return 0


def _export(args) -> int:
    from .export import export, release_info

    try:
        directory = export(args.directory, archive=args.archive)
    except FileExistsError as err:
        print(err, file=sys.stderr)
        return 2
    release = release_info()
    print(f"wrote the data package and workbook of version {release.version} into {directory}")
    if args.archive:
        print(f"wrote {directory.parent / release.archive_name}")
    return 0


def _info(args) -> int:
    from . import config
    from .curated.inspection import list_inspections
    from .export import release_info
    from .fingerprint import dataset_fingerprint
    from .tables import read_manifest

    location, release = config.locate(), release_info()
    found, _ = list_inspections(release.data_dir)
    manifest = read_manifest(release.data_dir) or {}
    current = manifest.get("fingerprint") == dataset_fingerprint(release.data_dir)
    print(f"version:      {release.version}")
    print(f"data:         {release.data_dir}")
    print(f"from:         {location.source} ({config.search_order()})")
    print(f"commit:       {release.commit or 'unknown'}")
    print(f"inspections:  {len(found)}")
    print(f"notebooks:    {config.notebooks_dir()}")
    print(
        f"processed:    {config.processed_dir(release.data_dir)} ("
        + ("current" if current else "not current: the next load() validates once")
        + ")"
    )
    return 0


def _draft(args) -> int:
    from .draft.cli import draft_command

    return draft_command(args.source, args.id)


def _accept(args) -> int:
    from .draft.cli import accept_command

    return accept_command(args.id)


_COMMANDS = {
    "validate": _validate,
    "build": _build,
    "list": _list,
    "new": _new,
    "docs": _docs,
    "draft": _draft,
    "accept": _accept,
    "export": _export,
    "info": _info,
}


def run() -> None:
    """The `probation-inspections` command: `main`, then a quick exit.

    Every file a command writes is complete when `main` returns; what remains is the tearing
    down of every imported module, which after a build (Great Expectations, pandas, matplotlib)
    takes most of a second. Output is flushed and logging shut down first, then the process
    ends without it.
    """
    code = main()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said on it
            pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
