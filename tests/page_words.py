"""The one rule on words in the built pages, shared by the reader-words and browser tests: a
page never mentions the test suite, and its prose never shows a code of the data model."""

from __future__ import annotations

import re

#: A code as a reader should never read it: a snake_case name of the data model.
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def words_problems(page_html: str, prose: str) -> list[str]:
    """What a page says that a reader should never read: the test suite (anywhere in the
    page), or codes as words in its `prose` (the text a reader reads, code elements left
    out). Empty when the page speaks in readers' words."""
    problems = ["says 'test suite'"] if "test suite" in page_html.lower() else []
    codes = sorted(set(SNAKE_CASE.findall(prose)))
    return problems + ([f"shows codes as words: {codes[:12]}"] if codes else [])
