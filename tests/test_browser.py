"""The reports in a real browser: headless Chromium (Debian's), driven by playwright.

The reports are built once, by `probation-inspections build`, from a copy of the shipped data
(the reference files and a few inspections: set PROBATION_INSPECTIONS_BROWSER_ALL=1 to take every
shipped inspection) to which two inspections are added whose texts carry script and image
injections: one valid (its profile and the comparisons show the texts), one that fails
validation (the index and the validation page list its problems, values included). Every page is
opened: no console message, no page error, no dialog; every figure's image is shown with a
non-zero size; every link of the index resolves (local files exist; external links are counted,
never fetched: every request other than a local file is refused); injected texts appear as text,
never as markup. A PNG screenshot of each page is written to reports/screenshots/ of the build
(and copied to the project's reports/screenshots/ for reviewers).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest

from probation_inspections.config import DATA_DIR_ENV, REPORTS_DIR_ENV

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed at /usr/bin/chromium (`make browser` installs it)")

#: Shipped inspections copied (those present): every table, ratings, a PDU.
INSPECTIONS = ("2017-01-staffordshire-stoke", "2017-08-gloucestershire",
               "2018-10-west-yorkshire-crc", "2022-08-birmingham-north-east-solihull-pdu")
TEMPLATE = "2017-01-staffordshire-stoke"  # copied, with injected texts, as the two below
INJECTED = "2017-02-injected-labels"  # valid: its texts reach the profile and the comparisons
BROKEN = "2017-03-injected-and-broken"  # fails validation: its texts reach the problem lists
SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
BUILD_TIMEOUT = 900


# The dataset ------------------------------------------------------------------------------------


def edit_csv(path: Path, edit) -> None:
    """Rewrite a curated CSV through `edit(rows)` (a list of dicts, in order)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = list(reader.fieldnames), list(reader)
    edit(rows)
    for row in rows:
        fields += [k for k in row if k not in fields]
        row.update({k: row.get(k) or "" for k in fields})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def edit_yaml(path: Path, values: dict[str, str]) -> None:
    """Replace top-level fields of inspection.yaml (JSON strings are valid YAML scalars)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for key, value in values.items():
        new = f"{key}: {json.dumps(value)}"
        found = [i for i, line in enumerate(lines) if line.startswith(f"{key}:")]
        if found:
            end = found[0] + 1
            while end < len(lines) and lines[end].startswith((" ", "\t")):
                end += 1  # a folded or block value continues on indented lines
            lines[found[0]:end] = [new]
        else:
            lines.append(new)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def first_row(column: str, value: str):
    """An edit of `edit_csv`: set `column` of the first row."""
    def edit(rows):
        rows[0][column] = value
    return edit


def add_injected_inspections(data: Path) -> None:
    from probation_inspections.curated.vocabularies import Reference

    reference = Reference.load(data)
    inspections = data / "inspections"
    for inspection_id in (INJECTED, BROKEN):
        folder = inspections / inspection_id
        shutil.copytree(ROOT / "data" / "inspections" / TEMPLATE, folder)
        edit_yaml(folder / "inspection.yaml", {
            "inspection_id": inspection_id,
            "title": f"Injected {SCRIPT} title {IMAGE}",
            "area": f"Area {IMAGE}",
            "source_title": f"Source {SCRIPT}",
            "coverage": f"Coverage with {SCRIPT} and {IMAGE} and a link "
                        "javascript:alert(1) that must stay text",
        })

        edit_csv(folder / "organisations.csv", first_row("owner", f"Owner {IMAGE}"))
        edit_csv(folder / "organisations.csv", first_row("notes", f"Note {SCRIPT}"))
        edit_csv(folder / "judgements.csv", first_row("aspect", f"aspect {SCRIPT} {IMAGE}"))
        edit_csv(folder / "judgements.csv", first_row("notes", f"judgement note {IMAGE}"))
        edit_csv(folder / "recommendations.csv", first_row("theme", f"theme {SCRIPT}"))
        edit_csv(folder / "key_facts.csv", first_row("notes", f"fact note {IMAGE}"))
        edit_csv(folder / "caseloads.csv", first_row("source_locator", f"Table 3 {SCRIPT}"))

    # The valid one: a published need label that is markup, mapped to its code by an alias.
    needs = inspections / INJECTED / "need_sufficiency.csv"
    with needs.open(newline="", encoding="utf-8") as handle:
        label = next(csv.DictReader(handle))["need_label"]
    code = reference.to_code("need", label)
    edit_csv(data / "reference" / "aliases.csv",
             lambda rows: rows.append({"vocabulary": "need", "label": SCRIPT, "code": code}))
    edit_csv(needs, first_row("need_label", SCRIPT))

    # The broken one: an unknown label and a source_url that is a script, both listed as issues.
    edit_csv(inspections / BROKEN / "need_sufficiency.csv", first_row("need_label", IMAGE))
    edit_yaml(inspections / BROKEN / "inspection.yaml", {"source_url": "javascript:alert(1)"})


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The built reports (and the data they came from)."""
    tmp = tmp_path_factory.mktemp("browser")
    data, reports = tmp / "data", tmp / "reports"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    shipped = sorted(p.name for p in (ROOT / "data" / "inspections").iterdir() if p.is_dir())
    chosen = shipped if os.environ.get("PROBATION_INSPECTIONS_BROWSER_ALL") else \
        [i for i in INSPECTIONS if i in shipped]
    assert TEMPLATE in shipped and chosen
    for inspection_id in chosen:
        shutil.copytree(ROOT / "data" / "inspections" / inspection_id,
                        data / "inspections" / inspection_id)
    add_injected_inspections(data)
    env = {**os.environ, DATA_DIR_ENV: str(data), REPORTS_DIR_ENV: str(reports),
           "JUPYTER_RUNTIME_DIR": str(tmp / "runtime")}
    script = Path(sys.executable).with_name("probation-inspections")
    command = [str(script)] if script.exists() else [sys.executable, "-m",
                                                    "probation_inspections.cli"]
    done = subprocess.run([*command, "build", "--jobs", "2"], env=env, cwd=tmp,
                          capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    log = done.stdout + done.stderr
    assert done.returncode == 1, f"the broken inspection makes the build report failure\n{log}"
    assert "Traceback" not in log, log
    assert " FAILED " not in log, f"every report builds\n{log}"
    assert f"inspections/{BROKEN}/" in log, log
    return data, reports, log


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """One page opened in a fresh context: what it logged, which requests it tried."""

    def __init__(self, browser, path: Path):
        self.console, self.errors, self.dialogs, self.refused = [], [], [], []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri(), wait_until="load")

    def _route(self, route):
        if route.request.url.startswith("file://") or route.request.url.startswith("data:"):
            route.continue_()
        else:
            self.refused.append(route.request.url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def close(self):
        self.context.close()


def pages_of(reports: Path) -> list[Path]:
    return sorted(p for p in reports.rglob("*.html") if "screenshots" not in p.parts)


def screenshot_name(reports: Path, page: Path) -> str:
    return page.relative_to(reports).with_suffix("").as_posix().replace("/", "__") + ".png"


@pytest.fixture(scope="module")
def visits(site, browser):
    """Every page opened once: checks gathered, a screenshot taken (details opened)."""
    _, reports, _ = site
    shots = reports / "screenshots"
    shots.mkdir(exist_ok=True)
    found = {}
    for path in pages_of(reports):
        visit = Visit(browser, path)
        page = visit.page
        closed = page.eval_on_selector_all("details", "els => els.filter(d => !d.open).length")
        # Everything shown, to the reader of the screenshot and to the checks of the text.
        page.eval_on_selector_all("details", "els => els.forEach(d => d.open = true)")
        found[path] = {
            "closed_details": closed,
            "console": visit.console, "errors": visit.errors, "dialogs": visit.dialogs,
            "refused": visit.refused,
            "images": page.eval_on_selector_all(
                "figure img", "els => els.map(i => ({complete: i.complete, width: "
                "i.naturalWidth, height: i.naturalHeight, src: i.src.slice(0, 30)}))"),
            "visible": [page.locator("figure img").nth(i).is_visible()
                        for i in range(page.locator("figure img").count())],
            "links": page.eval_on_selector_all("a[href]", "els => els.map(a => ("
                                               "{href: a.getAttribute('href'), "
                                               "url: a.href}))"),
            "scripts": page.locator("script").count(),
            "handlers": page.eval_on_selector_all(
                "*", "els => els.filter(e => Array.from(e.attributes).some("
                "a => a.name.startsWith('on'))).length"),
            "injected_images": page.locator("img[src='x']").count(),
            "overflow": page.evaluate("() => document.documentElement.scrollWidth "
                                      "- document.documentElement.clientWidth"),
            "text": page.inner_text("body"),
            "html": path.read_text(encoding="utf-8"),
        }
        page.screenshot(path=str(shots / screenshot_name(reports, path)), full_page=True)
        visit.close()
    project_shots = ROOT / "reports" / "screenshots"
    try:
        project_shots.mkdir(parents=True, exist_ok=True)
        for png in shots.glob("*.png"):
            shutil.copyfile(png, project_shots / png.name)
    except OSError:  # a read-only checkout: the screenshots stay in the build's folder
        pass
    print(f"\nscreenshots of {len(found)} pages in {shots}")
    return found


def test_every_page_opens_without_console_messages_errors_or_dialogs(visits):
    assert len(visits) >= 8
    for path, seen in visits.items():
        assert not seen["console"], (path.name, seen["console"])
        assert not seen["errors"], (path.name, seen["errors"])
        assert not seen["dialogs"], (path.name, seen["dialogs"])
        assert not seen["refused"], f"{path.name} tried to load {seen['refused']}"


def test_no_page_is_wider_than_the_window(visits):
    """Wide tables scroll inside the page; the page itself never scrolls sideways."""
    wide = {path.name: seen["overflow"] for path, seen in visits.items() if seen["overflow"] > 1}
    assert not wide, f"pages wider than a 1280 px window (px too wide): {wide}"


def test_every_figure_image_is_shown_with_a_size(visits):
    figures = 0
    for path, seen in visits.items():
        assert len(seen["images"]) == len(seen["visible"]), path
        for image, visible in zip(seen["images"], seen["visible"], strict=True):
            assert image["complete"] and image["width"] > 0 and image["height"] > 0, \
                (path.name, image)
            assert visible, (path.name, image)
            figures += 1
    assert figures >= 4, "the profiles and comparisons carry figures"


def test_every_link_of_the_index_resolves(site, visits):
    _, reports, _ = site
    links = visits[reports / "index.html"]["links"]
    local, external = [], []
    for link in links:
        url = urlparse(link["url"])
        if url.scheme in ("http", "https"):
            external.append(link["url"])
        else:
            assert url.scheme == "file", link
            local.append(Path(unquote(url.path)))
    for target in local:
        assert target.is_file(), f"index links a missing file {target}"
        assert reports in target.parents, f"index links outside the reports: {target}"
    profiles = [t for t in local if t.parent.name == "profiles"]
    assert len(profiles) == len(list((reports / "profiles").glob("*.html")))
    print(f"\nindex: {len(local)} local links, all present; {len(external)} external links "
          "(not fetched)")


def test_no_page_links_anything_but_http_or_local_pages(visits):
    for path, seen in visits.items():
        for link in seen["links"]:
            scheme = urlparse(link["url"]).scheme
            assert scheme in ("http", "https", "file"), (path.name, link)
        assert "javascript:" not in " ".join(link["href"] for link in seen["links"]).lower()


def test_injected_texts_are_shown_as_text_and_never_run(site, visits):
    _, reports, _ = site
    for path, seen in visits.items():
        assert seen["scripts"] == 0, f"{path.name} carries a script element"
        assert seen["handlers"] == 0, f"{path.name} carries an event handler attribute"
        assert seen["injected_images"] == 0, f"{path.name} carries the injected image"
        assert "<script" not in seen["html"].lower(), path.name
        assert "<img src=x" not in seen["html"], path.name
    shown = {
        reports / "profiles" / f"{INJECTED}.html": [SCRIPT, IMAGE],
        reports / "index.html": [SCRIPT, IMAGE],
        reports / "validation.html": [IMAGE],
    }
    for path, texts in shown.items():
        for text in texts:
            assert text in visits[path]["text"], f"{path.name} does not show {text} as text"
    profile = visits[reports / "profiles" / f"{INJECTED}.html"]["text"]
    assert f"aspect {SCRIPT} {IMAGE}" in profile
    assert f"Owner {IMAGE}" in profile
    assert f"Note {SCRIPT}" in profile or f"theme {SCRIPT}" in profile
    assert f"{BROKEN}.html" not in " ".join(
        link["href"] for link in visits[reports / "index.html"]["links"]), \
        "an inspection failing validation gets no page"
    index_text = visits[reports / "index.html"]["text"]
    assert "source_url=javascript:alert(1)" in index_text, "the refused URL is listed as text"


def test_the_validation_page_shows_every_rule_of_every_inspection(site, visits, browser):
    data, reports, _ = site
    results = pd.read_csv(data / "processed" / "validation_results.csv")
    path = reports / "validation.html"
    visit = Visit(browser, path)
    page = visit.page
    try:
        inspections = sorted(set(results["inspection_id"]))
        assert BROKEN in inspections and INJECTED in inspections
        for inspection_id in inspections:
            section = page.locator(f"h2[id='{inspection_id}']")
            assert section.count() == 1, inspection_id
            rows = results[results["inspection_id"] == inspection_id]
            passed = int(rows["success"].sum())
            summary = section.locator("xpath=following-sibling::p[1]").inner_text()
            assert summary.startswith(f"{passed} of {len(rows)} rules passed"), \
                (inspection_id, summary)
            details = section.locator("xpath=following-sibling::details[1]")
            failing = passed < len(rows) or inspection_id == BROKEN
            assert (details.get_attribute("open") is not None) == failing, \
                f"{inspection_id}: the rules are shown open exactly when it fails"
            if not failing:
                details.locator("summary").click()
            table_rows = details.locator("tbody tr")
            assert table_rows.count() == len(rows), inspection_id
            assert table_rows.first.is_visible()
            expectations = details.locator("tbody tr td:nth-child(4)").all_inner_texts()
            assert all(e.startswith(("Expect", "relation: ")) for e in expectations)
            outcomes = set(details.locator("tbody tr td:last-child").all_inner_texts())
            assert outcomes <= {"passed", "failed"}, outcomes
            assert ("failed" in outcomes) == (passed < len(rows)), inspection_id
        broken = page.locator(f"h2[id='{BROKEN}'] ~ ul").first.inner_text()
        assert f"need_label={IMAGE}" in broken
        assert not visit.dialogs and not visit.errors and not visit.console
    finally:
        visit.close()
    assert re.search(r"\d+ of \d+ rules passed", visits[path]["text"])
