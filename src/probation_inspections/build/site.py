"""The site's own pages: the index readers query, the validation page, the build status page.

Each page is a template of report/templates rendered inside the page shell (report/shell.py);
this module gathers what they show and writes them, the index last.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from markupsafe import Markup

from .. import atomic
from ..analysis.sources import SOURCE_KINDS, source_kind, source_licence
from ..report import shell
from ..report.shell import SITE_TITLE
from ..report.stamp import Stamp
from ..report.text import count_words
from .tasks import COMPARISONS

if TYPE_CHECKING:
    from .pipeline import BuildResult

#: The index table's columns (key: header), in order.
INDEX_COLUMNS = {
    "inspection": "Inspection",
    "type": "Type",
    "programme": "Programme",
    "area": "Area",
    "region": "Region",
    "published": "Published",
    "rating": "Overall rating",
    "source_line": "Source",
    "year": "Year",
    "source": "Kind of source",
}
#: Columns filtered by a pane but not shown as columns (the table says them in other words).
INDEX_HIDDEN = ("year", "source")
#: The columns a reader filters by, each with a pane of its values, in the order shown.
INDEX_PANES = ("type", "year", "rating", "source", "programme", "region")
INDEX_TABLE_ID = "inspection-table"
NOT_RATED = "not rated"
NOT_RECORDED = "not recorded"


#: What each status of an inspection's report means, in the build status page's words.
STATUS_WORDS = {
    "ok": "up to date",
    "failed": "not built: data fails validation",
    "stale": "last good report kept: data now fails validation",
    "report-failed": "not built: the report failed to build",
    "report-stale": "last good report kept: the report failed to build",
    "missing": "not built",
}
STALE_START, STALE_END = "<!-- stale notice -->", "<!-- /stale notice -->"
MAIN_START = '<main id="content">\n'


def mark_stale(path: Path, status: str, reasons: list[str]) -> None:
    """Say on a kept page itself that it is out of date, and why (replacing an older notice)."""
    text = unmark(path.read_text(encoding="utf-8"))
    notice = (
        shell.environment()
        .get_template("stale_notice.html.j2")
        .render(
            status=status,
            reasons=reasons,
            start=Markup(STALE_START),  # noqa: S704 - this module's fixed comment markers
            end=Markup(STALE_END),  # noqa: S704
        )
    )
    atomic.write_text(path, text.replace(MAIN_START, MAIN_START + notice, 1))


def unmark(text: str) -> str:
    start = text.find(STALE_START)
    if start < 0:
        return text
    end = text.index(STALE_END, start) + len(STALE_END) + 1
    return text[:start] + text[end:]


def unmark_stale(path: Path) -> None:
    """Remove the out-of-date notice of a page that is current again."""
    text = path.read_text(encoding="utf-8")
    if STALE_START in text:
        atomic.write_text(path, unmark(text))


@dataclass
class IndexEntry:
    """One inspection (or overview) as the build left it."""

    inspection_id: str
    title: str
    area: str
    programme: str
    published: str
    status: str  # ok, failed, stale (last good report kept), missing
    href: str | None
    errors: list[str]
    kind: str = "inspection"  # or overview: annual reports, summaries, statistics, commentary

    @property
    def status_text(self) -> str:
        return STATUS_WORDS.get(self.status, self.status)

    @property
    def css(self) -> str:
        return {"ok": "ok", "stale": "stale", "report-stale": "stale"}.get(self.status, "failed")


@dataclass
class ComparisonEntry:
    title: str
    href: str | None
    what: str
    status: str  # ok, failed to build, not built


# The index -------------------------------------------------------------------------------------


def inspection_rows(
    inspections: pd.DataFrame,
    organisations: pd.DataFrame,
    ratings: pd.DataFrame,
    programme_labels: dict[str, str],
    rating_labels: dict[str, str],
    kind: str = "inspection",
    pdu_regions: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One row per service inspected: the inspection, the service's type, region and overall
    rating (by its label), the programme by its label, when it was published, and its source
    (primary or secondary, publisher, licence as it applies). `kind="overview"`: the annual
    reports, summaries and statistics instead, one row each. `pdu_regions`: the region of each
    PDU of the register, by organisation code (`register_regions`), shown for a PDU in place of
    the region as its source wrote it, so that one region has one name."""
    is_overview = inspections["kind"].fillna("inspection") == "overview"
    documents = inspections[is_overview if kind == "overview" else ~is_overview]
    overall = ratings[ratings["standard"] == "overall"][
        ["inspection_id", "organisation", "rating"]
    ].drop_duplicates(["inspection_id", "organisation"])
    services = organisations[["inspection_id", "organisation", "organisation_type", "region"]]
    if kind == "overview":  # across many services: none is its own
        services = services.iloc[0:0]
    rows = documents.merge(services, on="inspection_id", how="left").merge(
        overall, on=["inspection_id", "organisation"], how="left"
    )

    def text(column: str) -> pd.Series:
        return rows[column].astype("string").fillna("").astype(str)

    publishers, licences = text("source_publisher"), text("licence")
    out = pd.DataFrame(
        {
            "inspection_id": text("inspection_id"),
            "title": text("title"),
            "type": text("organisation_type"),
            "programme": text("programme").map(lambda c: programme_labels.get(c, c)),
            "area": text("area"),
            "region": [
                (pdu_regions or {}).get(code) or region or NOT_RECORDED
                for code, region in zip(text("organisation"), text("region"), strict=True)
            ],
            "year": text("published").str[:4],
            "published": text("published"),
            "rating": text("rating").map(lambda c: rating_labels.get(c, c) if c else NOT_RATED),
            "source": [SOURCE_KINDS[source_kind(p)] for p in publishers],
            "publisher": publishers,
            "licence": [
                source_licence(p, lic) for p, lic in zip(publishers, licences, strict=True)
            ],
        }
    )
    out["source_line"] = [
        f"{k}: {p} ({lic})"
        for k, p, lic in zip(out["source"], out["publisher"], out["licence"], strict=True)
    ]
    return out.sort_values(["published", "inspection_id", "type"], kind="stable", ignore_index=True)


def interactive_table(
    rows: pd.DataFrame, hrefs: dict[str, str], table_id: str = INDEX_TABLE_ID
) -> Markup:
    """The index table as DataTables, from the itables package in its offline mode (the library
    is embedded in the page: it works from file:// and requests nothing): search, sort, a pane
    of values for each column of INDEX_PANES, a CSV download. Every row is on the one page, and
    in the plain table shown where scripts do not run. Every cell is escaped here; the
    inspection's title links its page."""
    from ..report.interactive import datatable_html, datatables_bundle

    link = shell.environment().get_template("cell_link.html.j2")
    titles = [
        # A link rendered by an autoescaping template: markup already safe.
        Markup(link.render(href=hrefs[i], text=t).strip())  # noqa: S704
        if i in hrefs
        else Markup.escape(t)
        for i, t in zip(rows["inspection_id"], rows["title"], strict=True)
    ]
    shown = pd.DataFrame(
        {
            header: titles if key == "inspection" else [Markup.escape(v) for v in rows[key]]
            for key, header in INDEX_COLUMNS.items()
        }
    )
    table = datatable_html(
        shown,
        table_id,
        panes=[INDEX_COLUMNS[c] for c in INDEX_PANES],
        hidden=[INDEX_COLUMNS[c] for c in INDEX_HIDDEN],
        download="probation-inspections-index",
    )
    return Markup(datatables_bundle() + table)  # noqa: S704 - the library's script, escaped cells


def index_page(
    rows: pd.DataFrame,
    hrefs: dict[str, str],
    overviews: pd.DataFrame | None,
    comparisons: list[ComparisonEntry],
    validation_summary: str,
    stamp: Stamp,
    coverage=None,
) -> str:
    """The index: every inspection in a table readers filter, sort and search; the overviews;
    the comparisons; coverage by region when the register of PDUs is known."""
    return shell.page(
        "index.html.j2",
        SITE_TITLE,
        stamp,
        inspections_table=interactive_table(rows, hrefs),
        inspections_count=rows["inspection_id"].nunique(),
        rows_count=len(rows),
        overviews=[]
        if overviews is None
        else [
            {**row, "href": hrefs.get(row["inspection_id"])} for row in overviews.to_dict("records")
        ],
        comparisons=comparisons,
        validation_summary=validation_summary,
        coverage=coverage,
    )


# The maintainers' pages -----------------------------------------------------------------------


def build_page(
    entries: list[IndexEntry],
    comparisons: list[ComparisonEntry],
    validation_summary: str,
    stamp: Stamp,
) -> str:
    """For maintainers: each inspection's and comparison's status after the last build, with
    every problem found."""
    return shell.page(
        "build.html.j2",
        "Build status",
        stamp,
        entries=entries,
        comparisons=comparisons,
        validation_summary=validation_summary,
    )


def validation_page(
    results: pd.DataFrame,
    issues_by_inspection: dict[str, list[str]],
    general: list[str],
    stamp: Stamp,
) -> str:
    """Every rule checked per inspection, with its outcome, and every problem found."""
    inspections = []
    for inspection_id in sorted(set(results["inspection_id"]) | set(issues_by_inspection)):
        rows = results[results["inspection_id"] == inspection_id]
        problems = issues_by_inspection.get(inspection_id, [])
        passed = int(rows["success"].sum())
        inspections.append(
            {
                "id": inspection_id,
                "passed": passed,
                "checked": len(rows),
                "problems": problems,
                "ok": not problems and passed == len(rows),
                "rules": [
                    {
                        "table": r.table,
                        "column": r.column,
                        "rule": r.rule,
                        "expectation": r.expectation,
                        "checked_rows": int(r.checked_rows),
                        "failed_rows": int(r.failed_rows),
                        "success": bool(r.success),
                    }
                    for r in rows.itertuples()
                ],
            }
        )
    return shell.page(
        "validation.html.j2",
        "Validation of the curated data",
        stamp,
        inspections=inspections,
        general=general,
    )


# Writing the site ------------------------------------------------------------------------------


def write_site(result: BuildResult, reports: Path, data_root: Path, stamp: Stamp) -> None:
    """The validation page, the build status page and the index, each atomically; the index
    last, as it must never link a page that is not written yet."""
    checked = result.validation
    failed_tasks = {o.task.html: o.message for o in result.outcomes if o.status == "failed"}
    entries = []
    for inspection_id in sorted(set(checked.valid_ids) | set(checked.failed_ids)):
        meta = checked.meta.get(inspection_id, {})
        href = f"profiles/{inspection_id}.html"
        exists = (reports / href).exists()
        issues = list(checked.issues.get(inspection_id, []))
        if issues:
            status = "stale" if exists else "failed"
        elif href in failed_tasks:  # the data is valid: the notebook failed, not the data
            issues.append(f"report failed to build: {failed_tasks[href]}")
            status = "report-stale" if exists else "report-failed"
        else:
            status = "ok"
        if exists and status in ("stale", "report-stale"):
            mark_stale(reports / href, STATUS_WORDS[status], issues)
        elif exists and status == "ok":
            unmark_stale(reports / href)
        entries.append(
            IndexEntry(
                inspection_id,
                meta.get("title") or inspection_id,
                meta.get("area", ""),
                meta.get("programme", ""),
                meta.get("published", ""),
                status,
                href if exists else None,
                issues,
                meta.get("kind") or "inspection",
            )
        )
    comparisons = []
    for comparison in COMPARISONS:
        href = f"{comparison.notebook}.html"
        status = "ok" if href not in failed_tasks else "failed to build"
        if not (reports / href).exists():
            status = "not built"
        comparisons.append(
            ComparisonEntry(
                comparison.title, href if status != "not built" else None, comparison.what, status
            )
        )
    results = checked.results
    total = len(results)
    passed = int(results["success"].sum()) if total else 0
    summary = (
        f"{len(checked.valid_ids)} of "
        f"{count_words(len(checked.valid_ids) + len(checked.failed_ids), 'inspection')} "
        f"pass validation; {passed} of {total} rule checks passed."
    )
    atomic.write_text(
        reports / "validation.html",
        validation_page(
            results, checked.issues, [*checked.general_issues, *checked.skipped], stamp
        ),
    )
    atomic.write_text(
        reports / "validation.json",
        json.dumps(
            {
                "valid": checked.valid_ids,
                "failed": checked.failed_ids,
                "issues": checked.issues,
                "general_issues": checked.general_issues,
                "skipped": checked.skipped,
            },
            indent=2,
            sort_keys=True,
        )
        + "\n",
    )
    atomic.write_text(reports / "build.html", build_page(entries, comparisons, summary, stamp))
    hrefs = {e.inspection_id: e.href for e in entries if e.href}
    rows, overviews, coverage = index_rows(data_root, bool(checked.general_issues))
    atomic.write_text(
        reports / "index.html",
        index_page(rows, hrefs, overviews, comparisons, summary, stamp, coverage),
    )


def register_regions(register: pd.DataFrame, organisations: pd.DataFrame) -> dict[str, str]:
    """{PDU organisation code: the label of its region} for every PDU of the register that is
    linked to an organisation, its region named as the organisations vocabulary names it."""
    from ..curated.vocabularies import code_labels

    labels = code_labels("organisation", organisations)
    linked = register.dropna(subset=["organisation", "region"])
    return {
        str(code): labels[str(region)]
        for code, region in zip(linked["organisation"], linked["region"], strict=True)
        if str(region) in labels
    }


def index_rows(
    data_root: Path, nothing_valid: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame, dict | None]:
    """The index's rows of inspections and of overviews, and the coverage of the PDU register
    by region (None without a register), from the combined tables the build wrote and the
    vocabularies."""
    from ..analysis.coverage import pdu_coverage
    from ..curated.vocabularies import Reference, code_labels
    from ..tables import _all

    reference = Reference.load(data_root).tables
    programmes = code_labels("programme", reference["programme"])
    ratings = code_labels("rating", reference["rating"])
    if nothing_valid:
        empty = pd.DataFrame(
            columns=[
                "inspection_id",
                "kind",
                "title",
                "programme",
                "area",
                "published",
                "document_type",
                "source_publisher",
                "licence",
                "organisation",
                "organisation_type",
                "region",
                "standard",
                "rating",
            ]
        )
        tables = {"inspections": empty, "organisations": empty, "ratings": empty}
    else:
        tables = _all(data_root)
    frames = (tables["inspections"], tables["organisations"], tables["ratings"])
    coverage = None
    register = reference.get("pdu")
    if register is not None and len(register) and not nothing_valid:
        by_region = pdu_coverage(register, tables["organisations"], tables["inspections"])
        regions = by_region[by_region["region"].notna()]
        total = by_region[by_region["region"].isna()]
        coverage = {
            "summary": str(total["coverage"].iloc[0]) if len(total) else "",
            "rows": [
                {
                    "region": r["region_label"],
                    "inspected": int(r["inspected"]),
                    "total": int(r["pdus"]),
                    "coverage": r["coverage"],
                }
                for r in regions.to_dict("records")
            ],
        }
    regions = register_regions(register, reference["organisation"]) if register is not None else {}
    return (
        inspection_rows(*frames, programmes, ratings, pdu_regions=regions),
        inspection_rows(*frames, programmes, ratings, kind="overview"),
        coverage,
    )
