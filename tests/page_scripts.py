"""The one rule on scripts in the built pages, shared by the build and browser tests: the index
and the profiles carry DataTables (their tables to filter) and nothing else that runs; every
other page carries no script at all."""

from __future__ import annotations

import re
from pathlib import Path

#: What every script of a page with tables to filter is: DataTables embedded from itables'
#: bundle, the start of one of its tables, or the line that shows a table kept hidden until then.
TABLE_SCRIPTS = ("injectModule(", "new ITable(", '.removeAttribute("hidden")')


def has_tables_to_filter(reports: Path, page: Path) -> bool:
    return page == reports / "index.html" or page.parent.name == "profiles"


def scripts_of(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S | re.I)


def script_problems(reports: Path, page: Path, html: str) -> list[str]:
    """What breaks the rule on `page`: each script that is not DataTables', or any script on a
    page without tables to filter."""
    scripts = scripts_of(html)
    if has_tables_to_filter(reports, page):
        return [s[:80] for s in scripts if not any(k in s for k in TABLE_SCRIPTS)]
    return ["a script element"] if scripts or "<script" in html.lower() else []
