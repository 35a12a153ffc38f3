"""Screenshots of the built site for the documentation: `python scripts/screenshots.py OUT`.

Opens pages of `reports/` (after `make reports`) in Debian's Chromium from `file://`, at 1280 x 800
and at 390 px wide, and writes one PNG per view into OUT (default `docs/screenshots`). The index is
also shown filtered to PDUs, 2023, Inadequate, as a reader would filter it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "reports"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

#: (file name, page under reports/, viewport width, whole page?)
VIEWS = [
    ("index", "index.html", 1280, False),
    ("index-390px", "index.html", 390, False),
    ("profile-west-yorkshire-crc", "profiles/2018-10-west-yorkshire-crc.html", 1280, False),
    ("profile-west-yorkshire-crc-390px", "profiles/2018-10-west-yorkshire-crc.html", 390, False),
    ("crc-vs-nps-sufficiency", "crc_vs_nps_sufficiency.html", 1280, False),
    ("pdu-comparison", "pdu_comparison.html", 1280, True),
    ("reproduction", "reproduction.html", 1280, False),
    ("ratings-and-caseloads", "ratings_and_caseloads.html", 1280, False),
]
FILTERS = [("Type", "PDU"), ("Year", "2023"), ("Overall rating", "Inadequate")]


def choose(page, pane: str, value: str) -> None:
    """Click `value` in the index's search pane of the column titled `pane`."""
    box = page.locator("div.dtsp-searchPane").filter(
        has=page.locator(f"input[placeholder='{pane}']")
    )
    box.locator("tr").filter(
        has=page.locator("span.dtsp-name", has_text=re.compile(f"^{re.escape(value)}$"))
    ).first.click()
    page.wait_for_timeout(300)


def main(out: Path) -> int:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for name, path, width, whole in VIEWS:
            page = browser.new_page(viewport={"width": width, "height": 800})
            page.goto((REPORTS / path).as_uri())
            page.wait_for_load_state("load")
            page.screenshot(path=str(out / f"{name}.png"), full_page=whole)
            page.close()
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto((REPORTS / "index.html").as_uri())
        page.wait_for_selector("div.dtsp-searchPane", timeout=15_000)
        for pane, value in FILTERS:
            choose(page, pane, value)
        page.screenshot(path=str(out / "index-filtered-pdu-2023-inadequate.png"), full_page=True)
        browser.close()
    print(f"wrote {len(VIEWS) + 1} screenshots to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
