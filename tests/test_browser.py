"""The site in a real browser: headless Chromium (Debian's), driven by playwright.

The site is built once, by `probation-inspections build`, from a copy of the shipped data (the
reference files and a few inspections: set PROBATION_INSPECTIONS_BROWSER_ALL=1 to take every
shipped inspection) to which two inspections are added whose texts carry script and image
injections: one valid (its profile, the index and the comparisons show the texts), one that fails
validation (the build status and validation pages list its problems, values included).

Every page is opened once in one Chromium: no console message, no page error, no dialog, no
request other than the page's own files (every other request is refused and counted); every
figure's image is shown with a non-zero size; every link of the index resolves; injected texts
appear as text, never as markup; axe-core (from npm, pinned in tests/browser/package-lock.json,
installed by `make browser`) finds no violation; at 390 px wide no page scrolls sideways. The
index answers a reader's question by its filters: PDUs, 2023, Inadequate. A PNG screenshot of
each page is written to a temporary folder (or to PROBATION_INSPECTIONS_SCREENSHOTS), never into
the project.
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

from page_scripts import script_problems, scripts_of
from page_words import words_problems as reader_words_problems
from probation_inspections.config import DATA_DIR_ENV, REPORTS_DIR_ENV

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS_ENV = "PROBATION_INSPECTIONS_SCREENSHOTS"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed at /usr/bin/chromium (`make browser` installs it)",
    ),
]

#: Shipped inspections copied (those present): every table, ratings, PDUs of 2022 to 2024 rated
#: Inadequate and otherwise, so that the index's filters have something to leave out.
INSPECTIONS = (
    "2017-01-staffordshire-stoke",
    "2017-08-gloucestershire",
    "2018-10-west-yorkshire-crc",
    "2022-08-birmingham-north-east-solihull-pdu",
    "2023-03-hull-east-riding-pdu",
    "2023-03-kirklees-pdu",
    "2023-03-sheffield-pdu",
    "2024-11-kirklees-pdu",
)
TEMPLATE = "2017-01-staffordshire-stoke"  # copied, with injected texts, as the two below
INJECTED = "2017-02-injected-labels"  # valid: its texts reach the profile and the comparisons
BROKEN = "2017-03-injected-and-broken"  # fails validation: its texts reach the problem lists
SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
BUILD_TIMEOUT = 900
NARROW = 390
#: A screenshot may take long on a busy machine; it says nothing about the page.
SCREENSHOT_TIMEOUT = 120_000
#: The profile whose whole page is kept as a screenshot (the others: their first screen).
PROFILE_SHOWN = "2018-10-west-yorkshire-crc"
#: The pages the build writes itself (the others are executed notebooks).
SITE_PAGES = ("index.html", "validation.html", "build.html")


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
            lines[found[0] : end] = [new]
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
        edit_yaml(
            folder / "inspection.yaml",
            {
                "inspection_id": inspection_id,
                "published": f"{inspection_id[:7]}-15",  # the id's month, as validation asks
                "title": f"Injected {SCRIPT} title {IMAGE}",
                "area": f"Area {IMAGE}",
                "source_title": f"Source {SCRIPT}",
                "coverage": f"Coverage with {SCRIPT} and {IMAGE} and a link "
                "javascript:alert(1) that must stay text",
            },
        )

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
    edit_csv(
        data / "reference" / "aliases.csv",
        lambda rows: rows.append({"vocabulary": "need", "label": SCRIPT, "code": code}),
    )
    edit_csv(needs, first_row("need_label", SCRIPT))

    # The broken one: an unknown label and a source_url that is a script, both listed as issues.
    edit_csv(inspections / BROKEN / "need_sufficiency.csv", first_row("need_label", IMAGE))
    edit_yaml(inspections / BROKEN / "inspection.yaml", {"source_url": "javascript:alert(1)"})


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The built site (and the data it came from)."""
    tmp = tmp_path_factory.mktemp("browser")
    data, reports = tmp / "data", tmp / "reports"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    shipped = sorted(p.name for p in (ROOT / "data" / "inspections").iterdir() if p.is_dir())
    chosen = (
        shipped
        if os.environ.get("PROBATION_INSPECTIONS_BROWSER_ALL")
        else [i for i in INSPECTIONS if i in shipped]
    )
    assert TEMPLATE in shipped and chosen
    for inspection_id in chosen:
        shutil.copytree(
            ROOT / "data" / "inspections" / inspection_id, data / "inspections" / inspection_id
        )
    add_injected_inspections(data)
    env = {
        **os.environ,
        DATA_DIR_ENV: str(data),
        REPORTS_DIR_ENV: str(reports),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
    }
    script = Path(sys.executable).with_name("probation-inspections")
    command = (
        [str(script)] if script.exists() else [sys.executable, "-m", "probation_inspections.cli"]
    )
    done = subprocess.run(
        [*command, "build", "--jobs", "2"],
        env=env,
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
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


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE.is_file(), f"axe-core is not installed at {AXE}: run `make browser`"
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def screenshots() -> Path | None:
    """The folder for screenshots when $PROBATION_INSPECTIONS_SCREENSHOTS names one; else None,
    and none are taken (they are for people to look at, and a third of this check's time)."""
    chosen = os.environ.get(SCREENSHOTS_ENV)
    if not chosen:
        return None
    folder = Path(chosen)
    folder.mkdir(parents=True, exist_ok=True)
    assert ROOT / "reports" not in [folder, *folder.parents], "screenshots stay out of reports/"
    return folder


def shoot(page, folder: Path | None, name: str, full_page: bool) -> None:
    """A screenshot of the page as `name` in `folder` (none without a folder)."""
    if folder is not None:
        page.screenshot(path=str(folder / name), full_page=full_page, timeout=SCREENSHOT_TIMEOUT)


class Visit:
    """One page opened in a fresh context: what it logged, which requests it tried."""

    def __init__(self, browser, path: Path, width: int = 1280):
        self.console, self.errors, self.dialogs, self.refused = [], [], [], []
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri(), wait_until="load")
        if (
            self.page.locator("table.dataTable").count()
            or self.page.locator("[id$='_fallback']").count()
        ):
            # The index's table is drawn by DataTables once its module has loaded.
            self.page.wait_for_selector("div.dtsp-searchPane", timeout=15_000)

    def _route(self, route):
        # The page's own files, and what it makes itself (data: images, the blob: URL from
        # which the table's embedded module is imported); nothing else.
        if route.request.url.startswith(("file://", "data:", "blob:")):
            route.continue_()
        else:
            self.refused.append(route.request.url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def overflow(self) -> int:
        return self.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )

    def close(self):
        self.context.close()


def pages_of(reports: Path) -> list[Path]:
    return sorted(reports.rglob("*.html"))


def screenshot_name(reports: Path, page: Path, suffix: str = "") -> str:
    return page.relative_to(reports).with_suffix("").as_posix().replace("/", "__") + suffix + ".png"


def axe_violations(page, axe_source: str) -> list[dict]:
    """axe-core's violations on the page as it stands (every rule axe runs by default)."""
    page.add_script_tag(content=axe_source)
    return page.evaluate("""async () => (await axe.run(document)).violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))""")


@pytest.fixture(scope="module")
def visits(site, browser, axe_source, screenshots):
    """Every page opened once: checks gathered, axe run, a screenshot taken (details opened),
    then the same page at 390 px wide."""
    _, reports, _ = site
    found = {}
    for path in pages_of(reports):
        visit = Visit(browser, path)
        page = visit.page
        seen = {
            "closed_details": page.eval_on_selector_all(
                "details", "els => els.filter(d => !d.open).length"
            ),
            "scripts": page.locator("script").count(),
            "handlers": page.eval_on_selector_all(
                "*",
                "els => els.filter(e => Array.from(e.attributes).some("
                "a => a.name.startsWith('on'))).length",
            ),
            "injected_images": page.locator("img[src='x']").count(),
        }
        seen["axe"] = axe_violations(page, axe_source)  # as a reader first finds the page
        # Everything shown, to the reader of the screenshot and to the checks of the text.
        page.eval_on_selector_all("details", "els => els.forEach(d => d.open = true)")
        seen.update(
            {
                "images": page.eval_on_selector_all(
                    "figure img",
                    "els => els.map(i => ({complete: i.complete, width: "
                    "i.naturalWidth, height: i.naturalHeight, src: i.src.slice(0, 30)}))",
                ),
                "visible": [
                    page.locator("figure img").nth(i).is_visible()
                    for i in range(page.locator("figure img").count())
                ],
                "links": page.eval_on_selector_all(
                    "a[href]", "els => els.map(a => ({href: a.getAttribute('href'), url: a.href}))"
                ),
                "overflow": visit.overflow(),
                "tables_without_data": page.eval_on_selector_all(
                    ".pi-table", "els => els.filter(e => !e.querySelector('a[download]')).length"
                ),
                "title_below_image": page.eval_on_selector_all(
                    ".pi-figure",
                    "els => els.map((e, i) => [i, e.querySelector('.pi-title'), "
                    "e.querySelector('img')]).filter(([i, t, img]) => !t || !img || "
                    "t.getBoundingClientRect().top > img.getBoundingClientRect().top)"
                    ".map(([i]) => i)",
                ),
                "figures_without_data": page.eval_on_selector_all(
                    ".pi-figure", "els => els.filter(e => !e.querySelector('a[download]')).length"
                ),
                "text": page.inner_text("body"),
                "html": path.read_text(encoding="utf-8"),
            }
        )
        # Whole pages for the site's own pages and one profile, the first screen of the others.
        whole = path.parent == reports and path.name in SITE_PAGES or path.stem == PROFILE_SHOWN
        shoot(page, screenshots, screenshot_name(reports, path), whole)
        page.set_viewport_size({"width": NARROW, "height": 900})
        page.wait_for_timeout(50)
        seen["narrow_overflow"] = visit.overflow()
        if path.parent == reports:
            shoot(page, screenshots, screenshot_name(reports, path, "-390px"), False)
        # Last, as it changes the page: the text a reader reads as words, code left out.
        page.eval_on_selector_all("code", "els => els.forEach(e => e.hidden = true)")
        seen["prose"] = page.inner_text("body")
        seen.update(
            console=visit.console, errors=visit.errors, dialogs=visit.dialogs, refused=visit.refused
        )
        found[path] = seen
        visit.close()
    if screenshots is not None:
        print(f"\nscreenshots of {len(found)} pages in {screenshots}")
    return found


def test_every_page_opens_without_console_messages_errors_dialogs_or_requests(visits):
    assert len(visits) >= 10
    for path, seen in visits.items():
        assert not seen["console"], (path.name, seen["console"])
        assert not seen["errors"], (path.name, seen["errors"])
        assert not seen["dialogs"], (path.name, seen["dialogs"])
        assert not seen["refused"], f"{path.name} tried to load {seen['refused']}"


def test_axe_finds_no_violation_on_any_page(visits):
    found = {path.name: seen["axe"] for path, seen in visits.items() if seen["axe"]}
    assert not found, json.dumps(found, indent=1)
    print(f"\naxe-core: 0 violations on {len(visits)} pages")


def test_no_page_is_wider_than_the_window_even_at_390_px(visits):
    """Wide tables scroll inside the page; the page itself, navigation included, never scrolls
    sideways."""
    wide = {path.name: seen["overflow"] for path, seen in visits.items() if seen["overflow"] > 1}
    assert not wide, f"pages wider than a 1280 px window (px too wide): {wide}"
    narrow = {
        path.name: seen["narrow_overflow"]
        for path, seen in visits.items()
        if seen["narrow_overflow"] > 1
    }
    assert not narrow, f"pages wider than a {NARROW} px window (px too wide): {narrow}"


def test_every_figure_image_is_shown_with_a_size(visits):
    figures = 0
    for path, seen in visits.items():
        assert len(seen["images"]) == len(seen["visible"]), path
        for image, visible in zip(seen["images"], seen["visible"], strict=True):
            assert image["complete"] and image["width"] > 0 and image["height"] > 0, (
                path.name,
                image,
            )
            assert visible, (path.name, image)
            figures += 1
    assert figures >= 4, "the profiles and comparisons carry figures"


def test_every_table_offers_its_data_as_csv(visits):
    """Each report table links the CSV of the data behind it, inside the page (a data: URI),
    so that it downloads offline and from file://."""
    missing = {
        path.name: seen["tables_without_data"]
        for path, seen in visits.items()
        if seen["tables_without_data"]
    }
    assert not missing, f"tables without a CSV download: {missing}"


def test_every_figure_offers_its_data_as_csv_under_its_title(visits):
    """Each figure links the CSV of the data drawn, and its title, the finding, stands above
    the chart."""
    figures = {
        path.name: seen["figures_without_data"]
        for path, seen in visits.items()
        if seen["figures_without_data"]
    }
    assert not figures, f"figures without a CSV download: {figures}"
    for path, seen in visits.items():
        for position in seen["title_below_image"]:
            raise AssertionError(f"{path.name}: figure {position} has its title below the chart")


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
    profiles = {t for t in local if t.parent.name == "profiles"}
    assert profiles == set((reports / "profiles").glob("*.html")), "every profile is listed"
    assert reports / "build.html" in local and reports / "validation.html" in local
    print(
        f"\nindex: {len(local)} local links, all present; {len(external)} external links "
        "(not fetched)"
    )


def test_no_page_links_anything_but_http_local_pages_or_its_own_data(visits):
    """Links go to web pages, to the site's pages, or download the CSV a page carries."""
    for path, seen in visits.items():
        for link in seen["links"]:
            scheme = urlparse(link["url"]).scheme
            own_data = link["href"].startswith("data:text/csv;charset=utf-8;base64,")
            assert scheme in ("http", "https", "file") or own_data, (path.name, link)
        assert "javascript:" not in " ".join(link["href"] for link in seen["links"]).lower()


def test_only_tables_to_filter_run_scripts_and_injected_texts_never_run(site, visits):
    """The index and the profiles carry DataTables (their tables to filter) and nothing else
    that runs; every other page carries no script at all."""
    _, reports, _ = site
    for path, seen in visits.items():
        assert seen["handlers"] == 0, f"{path.name} carries an event handler attribute"
        assert seen["injected_images"] == 0, f"{path.name} carries the injected image"
        assert SCRIPT not in seen["html"] and IMAGE not in seen["html"], path.name
        assert script_problems(reports, path, seen["html"]) == [], path.name
        assert len(scripts_of(seen["html"])) == seen["scripts"], path.name
    assert visits[reports / "index.html"]["scripts"] > 0, "the index's table is interactive"
    profile = reports / "profiles" / f"{PROFILE_SHOWN}.html"
    assert visits[profile]["scripts"] > 0, "a profile's key facts and judgements are filtered"
    shown = {
        reports / "profiles" / f"{INJECTED}.html": [SCRIPT, IMAGE],
        reports / "index.html": [SCRIPT, IMAGE],
        reports / "validation.html": [IMAGE],
        reports / "build.html": [IMAGE],
    }
    for path, texts in shown.items():
        for text in texts:
            assert text in visits[path]["text"], f"{path.name} does not show {text} as text"
    profile = visits[reports / "profiles" / f"{INJECTED}.html"]["text"]
    assert f"aspect {SCRIPT} {IMAGE}" in profile
    assert f"Owner {IMAGE}" in profile
    assert f"Note {SCRIPT}" in profile or f"theme {SCRIPT}" in profile
    assert f"{BROKEN}.html" not in " ".join(
        link["href"] for link in visits[reports / "index.html"]["links"]
    ), "an inspection failing validation gets no page"
    build_text = visits[reports / "build.html"]["text"]
    assert "source_url=javascript:alert(1)" in build_text, "the refused URL is listed as text"


def words_problems(seen: dict) -> list[str]:
    """What a page says that a reader should never read: the test suite, codes as words."""
    return reader_words_problems(seen["html"], seen["prose"])


def test_the_site_pages_speak_in_readers_words(site, visits):
    """The index, the validation and build pages show labels, never the data model's codes as
    words; code (file and column names on the maintainers' pages) is marked up as code."""
    _, reports, _ = site
    for name in SITE_PAGES:
        assert not words_problems(visits[reports / name]), (
            name,
            words_problems(visits[reports / name]),
        )


def test_no_page_speaks_of_tests_or_shows_a_code_as_a_word(visits):
    found = {path.name: words_problems(seen) for path, seen in visits.items()}
    assert not {name: problems for name, problems in found.items() if problems}, found


def test_every_page_says_what_it_was_built_from_and_how_to_cite_it(site, visits):
    from probation_inspections import __version__

    _, reports, _ = site
    for path, seen in visits.items():
        text = seen["text"]
        assert f"Data version {__version__}" in text, path.name
        assert re.search(r"built \d{1,2} [A-Z][a-z]+ \d{4}", text), path.name
        assert "Cite this page:" in text, path.name
        assert f"version {__version__}" in text.split("Cite this page:")[1], path.name


def test_details_are_closed_only_where_nothing_fails(site, visits):
    """The validation page shows the rules of a passing inspection closed and of a failing one
    open; the build page opens the problems of every inspection that was not built."""
    data, reports, _ = site
    results = pd.read_csv(data / "processed" / "validation_results.csv")
    passing = [
        i for i, rows in results.groupby("inspection_id") if rows["success"].all() and i != BROKEN
    ]
    assert visits[reports / "validation.html"]["closed_details"] == len(passing)
    assert visits[reports / "build.html"]["closed_details"] == 0


def pane(page, title: str):
    """The search pane of the index's table whose column is `title`."""
    return page.locator("div.dtsp-searchPane").filter(
        has=page.locator(f"input[placeholder='{title}']")
    )


def choose(page, title: str, value: str) -> None:
    pane(page, title).locator("tr").filter(
        has=page.locator("span.dtsp-name", has_text=re.compile(f"^{re.escape(value)}$"))
    ).first.click()


def test_the_index_answers_which_pdus_were_rated_inadequate_in_2023(site, browser, screenshots):
    """Three choices (Type: PDU, Year: 2023, Overall rating: Inadequate) leave exactly the
    inspections that the ratings table gives for that question."""
    data, reports, _ = site
    saved = os.environ.get(DATA_DIR_ENV)
    os.environ[DATA_DIR_ENV] = str(data)
    try:
        from probation_inspections import load

        ratings, inspections = load("ratings"), load("inspections")
    finally:
        if saved is None:
            os.environ.pop(DATA_DIR_ENV)
        else:
            os.environ[DATA_DIR_ENV] = saved
    overall = ratings[
        (ratings["standard"] == "overall")
        & (ratings["organisation_type"] == "PDU")
        & (ratings["rating"] == "inadequate")
    ]
    published = inspections.set_index("inspection_id")["published"].astype(str)
    expected = sorted(i for i in overall["inspection_id"] if published[i].startswith("2023"))
    assert len(expected) >= 2, "the browser's data holds PDUs rated Inadequate in 2023"
    others = set(ratings.loc[ratings["organisation_type"] == "PDU", "inspection_id"]) - set(
        expected
    )
    assert others, "and PDUs that the filters must leave out"

    visit = Visit(browser, reports / "index.html")
    page = visit.page
    try:
        choose(page, "Type", "PDU")
        choose(page, "Year", "2023")
        choose(page, "Overall rating", "Inadequate")
        page.wait_for_timeout(100)
        table = page.locator("table#inspection-table")
        rows = table.locator("tbody tr")
        hrefs = [rows.nth(i).locator("a").first.get_attribute("href") for i in range(rows.count())]
        shown = sorted(Path(h).stem for h in hrefs)
        assert shown == expected
        assert (
            page.locator("div.dt-info")
            .inner_text()
            .startswith(f"Showing 1 to {len(expected)} of {len(expected)} entries")
        )
        shoot(page, screenshots, "index-filtered-pdu-2023-inadequate.png", True)
        assert not visit.errors and not visit.console and not visit.refused
    finally:
        visit.close()


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
            assert summary.startswith(f"{passed} of {len(rows)} rules passed"), (
                inspection_id,
                summary,
            )
            details = section.locator("xpath=following-sibling::details[1]")
            failing = passed < len(rows) or inspection_id == BROKEN
            assert (details.get_attribute("open") is not None) == failing, (
                f"{inspection_id}: the rules are shown open exactly when it fails"
            )
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


#: The first screen of a laptop: what a reader sees before scrolling.
FIRST_SCREEN = {"width": 1280, "height": 800}


def test_west_yorkshire_crc_shows_its_rating_and_its_rounds_ratings_on_the_first_screen(
    site, browser, screenshots
):
    """ "How did West Yorkshire CRC do, and compared with whom?": its overall rating and the
    ratings of the 2018/19 round by type stand within the first 800 px at 1280 px wide."""
    data, reports, _ = site
    ratings = pd.read_csv(data / "processed" / "ratings.csv")
    overall = ratings[
        (ratings["inspection_id"] == PROFILE_SHOWN) & (ratings["standard"] == "overall")
    ]
    scale = pd.read_csv(data / "reference" / "rating_scales.csv")
    label = scale.set_index("rating")["label"][overall["rating"].iloc[0]]
    visit = Visit(browser, reports / "profiles" / f"{PROFILE_SHOWN}.html")
    page = visit.page
    try:
        page.set_viewport_size(FIRST_SCREEN)
        page.evaluate("() => window.scrollTo(0, 0)")
        rating = page.locator("dt", has_text=re.compile(r"^Overall rating$")).first
        value = rating.locator("xpath=following-sibling::dd[1]")
        assert value.inner_text().strip() == label
        distributions = page.locator("dt", has_text=re.compile(r"by overall rating$"))
        assert distributions.count() >= 1, "the round's ratings by type are given"
        shown = [distributions.nth(i) for i in range(distributions.count())]
        shown += [d.locator("xpath=following-sibling::dd[1]") for d in list(shown)]
        texts = " ".join(d.inner_text() for d in shown)
        assert re.search(r"Requires improvement \d+", texts), texts
        for element in [rating, value, *shown]:
            box = element.bounding_box()
            assert box is not None and box["y"] + box["height"] <= FIRST_SCREEN["height"], (
                element.inner_text(),
                box,
            )
        shoot(page, screenshots, f"{PROFILE_SHOWN}-first-screen.png", False)
        assert not visit.errors and not visit.console and not visit.refused
    finally:
        visit.close()
