"""The page shell: Jinja2 templates with autoescaping, the one stylesheet, the one rule for links.

Every page of the site is a template of report/templates that extends `shell.html.j2` (site
navigation, the stylesheet, and a footer with the data version, build date, commit and a
citation). Templates escape every value; markup enters a page only as `Markup` made by a
template or by a library that escaped its input (nbconvert's body of an executed notebook, the
index's table). `safe_url` is the one rule for links made from data: only http(s) addresses.
"""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .. import config
from .stamp import Stamp, citation

SITE_TITLE = "Probation inspections: curated data and comparisons"
LICENCE_NOTE = (
    "Facts from documents of HM Inspectorate of Probation and the Ministry of Justice are reused "
    "under the Open Government Licence v3.0. Facts reported by news, blogs and commentary are "
    "cited with their source; their text is not reproduced. Each figure carries its source. "
    "Built by the probation-inspections package from the data in its repository."
)
TEMPLATES = config.PACKAGE_DIR / "report" / "templates"
#: Output metadata of a display meant for the notebook only (the stylesheet that notebooks show
#: for Jupyter): pages leave it out, since the shell carries the same stylesheet.
NOTEBOOK_ONLY = "probation_inspections/notebook-only"
#: Cells with one of these tags are kept in the executed notebook and left off its page (the
#: plain-text blocks the notebook tests compare, and the lines that introduce them).
NOTEBOOK_ONLY_TAGS = ("nbval-check-output", "notebook-only")
#: What a heading's anchor link shows (a pilcrow) and is called by a screen reader.
ANCHOR_LINK_TEXT = (
    '<span><span aria-hidden="true">¶</span>'
    '<span class="visually-hidden">Link to this section</span></span>'
)
#: A code of the data model as written in text: a snake_case name or a file name.
CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?:\.csv|\.yaml)?\b|\b[a-z]+\.(?:csv|yaml)\b")


def safe_url(url) -> str | None:
    """The URL if it may be a link (http or https, no spaces), else None: it stays text."""
    if (
        isinstance(url, str)
        and url.lower().startswith(("http://", "https://"))
        and not any(c.isspace() for c in url)
    ):
        return url
    return None


def code_parts(text) -> list[tuple[str, bool]]:
    """`text` cut into (part, is it a code) pieces, for templates that mark codes up as code."""
    text = "" if text is None else str(text)
    parts, position = [], 0
    for match in CODE.finditer(text):
        parts += [(text[position : match.start()], False), (match.group(0), True)]
        position = match.end()
    return [p for p in [*parts, (text[position:], False)] if p[0]]


def _breakable(name) -> Markup:
    """A name (CamelCase, snake_case) that may wrap between its words."""
    escaped = str(Markup.escape("" if name is None else str(name)))
    return Markup(re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=_)(?=[a-z])", "<wbr>", escaped))  # noqa: S704 - escaped above


@cache
def environment() -> Environment:
    """The one Jinja2 environment of the site: autoescaping on, unknown names an error."""
    env = Environment(
        loader=PackageLoader("probation_inspections", "report/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(safe_url=safe_url, code_parts=code_parts, breakable=_breakable)
    return env


def link(url, text=None) -> Markup:
    """A link to `url` if it is safe (see safe_url), else the escaped text alone."""
    # The template's macros are attributes made when it is loaded, unknown to a type checker.
    macros: Any = environment().get_template("macros.html.j2").module
    return Markup(macros.link(url, url if text is None else text))  # noqa: S704 - an autoescaped macro


def stylesheet_text() -> str:
    """The one stylesheet of the site, the reports' blocks and the index's table included."""
    return (TEMPLATES / "site.css").read_text(encoding="utf-8")


def page(template: str, title: str, stamp: Stamp, depth: int = 0, **context) -> str:
    """A whole page: `template` (which extends the shell) with the shell's context."""
    return (
        environment()
        .get_template(template)
        .render(
            title=title,
            up="../" * depth,
            stylesheet=Markup(stylesheet_text()),  # noqa: S704 - the package's own file
            stamp=stamp,
            citation=citation(title, stamp),
            licence_note=LICENCE_NOTE,
            **context,
        )
    )


def report_page(title: str, body: str, stamp: Stamp, depth: int = 0) -> str:
    """An executed notebook's page: its body (HTML made by nbconvert) inside the shell."""
    return page("report.html.j2", title, stamp, depth, body=Markup(body))  # noqa: S704 - nbconvert's escaped body


def notebook_body(notebook) -> str:
    """The readable content of an executed notebook: markdown and outputs, never code or errors.

    Standard-error streams (warnings) and notebook-only displays are left out; error outputs
    make the build fail before rendering, so they never reach a page. Headings keep their ids,
    and their anchor link has a name for screen readers (an empty link has none).
    """
    import nbformat

    clean = nbformat.from_dict(notebook)
    for cell in clean.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"  # papermill draws a random id: keep pages stable
        if cell.get("cell_type") == "code":
            cell["outputs"] = [o for o in cell.get("outputs", []) if _shown(o)]
    body, _ = _exporter().from_notebook_node(clean)
    return body


_EXPORTERS = threading.local()


def _exporter():
    """This thread's HTML exporter, made once: making one compiles nbconvert's templates (a
    tenth of a second a page). Each build worker renders its own pages on its own thread."""
    exporter = getattr(_EXPORTERS, "exporter", None)
    if exporter is None:
        # Imported here: nbformat's schema validation takes over a second to import, and a
        # build with nothing to render (the no-op) should not pay for it.
        from nbconvert import HTMLExporter
        from nbconvert.preprocessors import TagRemovePreprocessor

        exporter = HTMLExporter(
            template_name="basic",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            anchor_link_text=ANCHOR_LINK_TEXT,
            # The notebook's schema checked once, after the last preprocessor, not after each
            # of its thirteen: the same check, a sixth of a page's rendering time saved.
            optimistic_validation=True,
        )
        exporter.register_preprocessor(
            TagRemovePreprocessor(remove_cell_tags=set(NOTEBOOK_ONLY_TAGS), enabled=True),
            enabled=True,
        )
        _EXPORTERS.exporter = exporter
    return exporter


def _shown(output) -> bool:
    if output.get("output_type") == "error":
        return False
    if output.get("output_type") == "stream":
        return output.get("name") != "stderr"
    return not output.get("metadata", {}).get(NOTEBOOK_ONLY)
