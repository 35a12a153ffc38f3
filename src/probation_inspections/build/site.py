"""HTML pages for readers: the site shell, executed notebooks without code, the index, validation.

Every string that comes from data is escaped here; a URL becomes a link only if it is http(s).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import atomic
from .tasks import COMPARISONS

if TYPE_CHECKING:
    from .pipeline import BuildResult

SITE_TITLE = "Probation inspections: curated data and comparisons"

CSS = """
:root { --ink:#1b1b1b; --muted:#555; --rule:#d8d8d8; --accent:#0b5394; --bad:#a61b1b;
        --warn:#8a5a00; --good:#2d6a2d; }
* { box-sizing: border-box; }
body { margin:0; font:16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color:var(--ink); background:#fff; }
header.site { background:#102a43; color:#fff; padding:.6rem 1.2rem; }
header.site a { color:#fff; text-decoration:none; margin-right:1.2rem; }
header.site a.home { font-weight:600; }
main { max-width: 62rem; margin: 0 auto; padding: 1rem 1.2rem 3rem; }
h1 { font-size:1.7rem; line-height:1.25; } h2 { font-size:1.3rem; margin-top:2rem; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .92rem; }
th, td { border-bottom:1px solid var(--rule); padding:.3rem .6rem; text-align:left;
         vertical-align: top; }
th { background:#f3f5f7; }
td.num, th.num { text-align:right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0 1.5rem; } figure img { max-width:100%; height:auto; }
figcaption, .caption, .source { color:var(--muted); font-size:.88rem; }
.status-ok { color:var(--good); font-weight:600; }
.status-failed { color:var(--bad); font-weight:600; }
.status-stale { color:var(--warn); font-weight:600; }
.note { border-left:4px solid var(--accent); background:#f4f8fc; padding:.5rem .8rem; }
pre { background:#f6f6f6; padding:.6rem; overflow-x:auto; font-size:.85rem; }
.scroll { max-width:100%; overflow-x:auto; }
table.rules td:nth-child(3) { min-width:14rem; overflow-wrap:anywhere; }
table.rules td:nth-child(4) { font-size:.85rem; }
table.rules td:last-child { white-space:nowrap; }
footer.site { border-top:1px solid var(--rule); color:var(--muted); font-size:.85rem;
              max-width:62rem; margin:0 auto; padding:1rem 1.2rem 2rem; }
"""

FOOTER = (
    "Curated facts from reports and press releases of HM Inspectorate of Probation, reused "
    "under the Open Government Licence v3.0; each figure carries its source. Built by the "
    "probation-inspections package from the data in its repository."
)


def esc(value) -> str:
    """Escape any value for HTML text or attributes."""
    return html.escape("" if value is None else str(value), quote=True)


def link(url, text=None) -> str:
    """A link if `url` is http(s); otherwise the escaped text alone (never a script URL)."""
    label = esc(text if text is not None else url)
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return f'<a href="{esc(url)}">{label}</a>'
    return label


def page(title: str, body: str, depth: int = 0) -> str:
    """A whole page: site header with navigation, the body, the footer."""
    up = "../" * depth
    nav = (f'<a class="home" href="{up}index.html">Probation inspections</a>'
           f'<a href="{up}index.html#inspections">Inspections</a>'
           f'<a href="{up}index.html#comparisons">Comparisons</a>'
           f'<a href="{up}validation.html">Validation</a>')
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<header class=\"site\"><nav>{nav}</nav></header>\n<main>\n{body}\n</main>\n"
        f"<footer class=\"site\">{esc(FOOTER)}</footer>\n</body>\n</html>\n"
    )


STALE_START, STALE_END = "<!-- stale notice -->", "<!-- /stale notice -->"


def mark_stale(path: Path, status: str, reasons: list[str]) -> None:
    """Say on a kept page itself that it is out of date, and why (replacing an older notice)."""
    text = unmark(path.read_text(encoding="utf-8"))
    items = "".join(f"<li><code>{esc(r)}</code></li>" for r in reasons[:20])
    more = f"<li>… and {len(reasons) - 20} more</li>" if len(reasons) > 20 else ""
    notice = (f"{STALE_START}<div class=\"note stale-notice\"><p><strong class=\"status-stale\">"
              f"Out of date</strong>: {esc(status)}. This page was built from an earlier "
              f"version of the data.</p><ul>{items}{more}</ul></div>{STALE_END}\n")
    atomic.write_text(path, text.replace("<main>\n", "<main>\n" + notice, 1))


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


#: Cells with one of these tags are kept in the executed notebook and left off its page.
NOTEBOOK_ONLY_TAGS = ("nbval-check-output", "notebook-only")


def notebook_body(notebook) -> str:
    """The readable content of an executed notebook: markdown and outputs, never code or errors.

    Standard-error streams (warnings) are left out; error outputs make the build fail before
    rendering, so they never reach a page.
    """
    # Imported here: nbformat's schema validation takes over a second to import, and a build
    # with nothing to render (the no-op) should not pay for it.
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="basic", exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True,
                            anchor_link_text="")
    # The plain-text blocks the notebook tests compare, and the lines that introduce them,
    # stay in the executed notebook and out of the page.
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=set(NOTEBOOK_ONLY_TAGS), enabled=True),
        enabled=True)
    clean = nbformat.from_dict(notebook)
    for cell in clean.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"  # papermill draws a random id: keep pages stable
        if cell.get("cell_type") == "code":
            cell["outputs"] = [o for o in cell.get("outputs", [])
                               if not (o.get("output_type") == "stream"
                                       and o.get("name") == "stderr")
                               and o.get("output_type") != "error"]
    body, _ = exporter.from_notebook_node(clean)
    return body


@dataclass
class IndexEntry:
    inspection_id: str
    title: str
    area: str
    programme: str
    published: str
    status: str  # ok, failed, stale (last good report kept), missing
    href: str | None
    errors: list[str]
    kind: str = "inspection"  # or overview: annual reports, summaries, statistics, commentary


def index_page(entries: list[IndexEntry], comparisons: list[tuple[str, str, str, str]],
               validation_summary: str) -> str:
    """The index: every inspection with its date and status, the overviews (annual reports,
    summaries, statistics, commentary across inspections), every comparison report."""
    inspections = _entry_rows([e for e in entries if e.kind != "overview"])
    overviews = _entry_rows([e for e in entries if e.kind == "overview"])
    comparison_rows = "".join(
        f"<tr><td><a href=\"{esc(href)}\">{esc(title)}</a></td><td>{esc(what)}</td>"
        f"<td><span class=\"status-{'ok' if status == 'ok' else 'failed'}\">"
        f"{esc('up to date' if status == 'ok' else status)}</span></td></tr>"
        for title, href, what, status in comparisons)
    head = ("<table><thead><tr><th>{}</th><th>Area</th><th>Programme</th><th>Published</th>"
            "<th>Status</th></tr></thead><tbody>")
    overview_part = "" if not overviews else f"""
<h2 id="overviews">Annual reports, summaries and statistics</h2>
<p class="note">Documents across many inspections or the whole country: annual reports, programme
summaries, statistics releases, commentary. Their figures are kept as published aggregates and key
facts, which the comparison reports set beside the inspections; they are not inspections and are
not counted as such.</p>
{head.format("Document")}
{overviews}
</tbody></table>"""
    body = f"""
<h1>{esc(SITE_TITLE)}</h1>
<p class="note">Each inspection of probation services by HM Inspectorate of Probation curated here
is a small, validated dataset: every number has its source document, table or section. The pages
below are regenerated from those datasets; none is edited by hand.</p>
<h2 id="inspections">Inspections</h2>
{head.format("Inspection")}
{inspections}
</tbody></table>{overview_part}
<h2 id="comparisons">Comparisons across inspections</h2>
<table><thead><tr><th>Report</th><th>What it shows</th><th>Status</th></tr></thead><tbody>
{comparison_rows}
</tbody></table>
<h2 id="validation">Validation</h2>
<p>{validation_summary} <a href="validation.html">See every rule checked.</a></p>
"""
    return page(SITE_TITLE, body)


#: What each status of an inspection's report means, in the index's words.
STATUS_WORDS = {"ok": "up to date", "failed": "not built: data fails validation",
                "stale": "last good report kept: data now fails validation",
                "report-failed": "not built: the report failed to build",
                "report-stale": "last good report kept: the report failed to build",
                "missing": "not built"}


def _entry_rows(entries: list[IndexEntry]) -> str:
    rows = []
    for e in entries:
        status = STATUS_WORDS.get(e.status, e.status)
        css = {"ok": "ok", "stale": "stale", "report-stale": "stale"}.get(e.status, "failed")
        title = f'<a href="{esc(e.href)}">{esc(e.title)}</a>' if e.href else esc(e.title)
        errors = ""
        if e.errors:
            items = "".join(f"<li><code>{esc(x)}</code></li>" for x in e.errors[:20])
            more = f"<li>… and {len(e.errors) - 20} more</li>" if len(e.errors) > 20 else ""
            errors = f"<details><summary>{len(e.errors)} problem(s)</summary><ul>{items}{more}" \
                     "</ul></details>"
        rows.append(
            f"<tr><td>{title}<br><span class=\"caption\">{esc(e.inspection_id)}</span></td>"
            f"<td>{esc(e.area)}</td><td>{esc(e.programme)}</td><td>{esc(e.published)}</td>"
            f"<td><span class=\"status-{css}\">{esc(status)}</span>{errors}</td></tr>")
    return "".join(rows)


def _breakable(name) -> str:
    """An escaped name (CamelCase, snake_case) that may wrap between its words."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=_)(?=[a-z])", "<wbr>", esc(name))


def validation_page(results, issues_by_inspection: dict[str, list[str]],
                    general: list[str]) -> str:
    """Every rule checked per inspection, with its outcome, and every problem found."""
    parts = ["<h1>Validation of the curated data</h1>",
             "<p class=\"note\">Each inspection's tables are checked against the rules derived "
             "from the data model (types, ranges, vocabularies, unique keys, source locators) and "
             "rules across tables. An inspection that breaks a rule is left out of the combined "
             "tables and its report is not rebuilt.</p>"]
    if general:
        items = "".join(f"<li><code>{esc(x)}</code></li>" for x in general)
        parts.append(f"<h2>Problems outside any inspection</h2><ul>{items}</ul>")
    inspection_ids = sorted(set(results["inspection_id"]) | set(issues_by_inspection))
    summary_rows, sections = [], []
    for inspection_id in inspection_ids:
        rows = results[results["inspection_id"] == inspection_id]
        issues = issues_by_inspection.get(inspection_id, [])
        passed = int(rows["success"].sum())
        ok = not issues and passed == len(rows)
        status = '<span class="status-ok">passes</span>' if ok else \
            '<span class="status-failed">fails</span>'
        summary_rows.append(
            f'<tr><td><a href="#{esc(inspection_id)}">{esc(inspection_id)}</a></td>'
            f'<td class="num">{passed} of {len(rows)}</td><td class="num">{len(issues)}</td>'
            f"<td>{status}</td></tr>")
        sections.append(f"<h2 id=\"{esc(inspection_id)}\">{esc(inspection_id)}</h2>")
        sections.append(f"<p>{passed} of {len(rows)} rules passed; "
                        f"{len(issues)} problem(s).</p>")
        if issues:
            items = "".join(f"<li><code>{esc(x)}</code></li>" for x in issues)
            sections.append(f"<ul>{items}</ul>")
        table_rows = "".join(
            f"<tr><td>{_breakable(r.table)}</td><td>{_breakable(r.column)}</td>"
            f"<td>{esc(r.rule)}</td><td><code>{_breakable(r.expectation)}</code></td>"
            f"<td class=\"num\">{int(r.checked_rows)}</td>"
            f"<td class=\"num\">{int(r.failed_rows)}</td>"
            f"<td>{'<span class=status-ok>passed</span>' if r.success else '<span class=status-failed>failed</span>'}</td></tr>"  # noqa: E501
            for r in rows.itertuples())
        # The rules of an inspection that fails are shown open: the failing ones stand out.
        sections.append(f"<details{'' if ok else ' open'}><summary>Rules checked "
                        f"({len(rows)})</summary><div class=\"scroll\"><table class=\"rules\">"
                        "<thead><tr><th>Table</th>"
                        "<th>Column</th><th>Rule</th><th>Expectation</th>"
                        "<th class=num>Rows checked</th><th class=num>Rows failing</th>"
                        "<th>Result</th></tr></thead><tbody>"
                        f"{table_rows}</tbody></table></div></details>")
    if inspection_ids:
        parts.append("<table><thead><tr><th>Inspection</th><th class=num>Rules passed</th>"
                     "<th class=num>Problems</th><th>Result</th></tr></thead><tbody>"
                     + "".join(summary_rows) + "</tbody></table>")
    parts.extend(sections)
    return page("Validation of the curated data", "\n".join(parts))


def write_index(result: BuildResult, reports: Path) -> None:
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
        entries.append(IndexEntry(
            inspection_id, meta.get("title") or inspection_id, meta.get("area", ""),
            meta.get("programme", ""), meta.get("published", ""), status,
            href if exists else None, issues, meta.get("kind") or "inspection"))
    comparisons = []
    for comparison in COMPARISONS:
        href = f"{comparison.notebook}.html"
        status = "ok" if href not in failed_tasks else "failed to build"
        if not (reports / href).exists():
            status = "not built"
        comparisons.append((comparison.title, href, comparison.what, status))
    results = checked.results
    total = len(results)
    passed = int(results["success"].sum()) if total else 0
    summary = (f"{len(checked.valid_ids)} of {len(checked.valid_ids) + len(checked.failed_ids)} "
               f"inspection(s) pass validation; {passed} of {total} rule checks passed.")
    # The index last: it must never link a page that is not written yet.
    atomic.write_text(reports / "validation.html", validation_page(
        results, checked.issues, [*checked.general_issues, *checked.skipped]))
    atomic.write_text(reports / "validation.json", json.dumps(
        {"valid": checked.valid_ids, "failed": checked.failed_ids, "issues": checked.issues,
         "general_issues": checked.general_issues, "skipped": checked.skipped},
        indent=2, sort_keys=True) + "\n")
    atomic.write_text(reports / "index.html", index_page(entries, comparisons, summary))
