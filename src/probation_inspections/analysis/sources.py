"""Sources by kind and licence: the Inspectorate's own documents, and what others wrote of them."""

from __future__ import annotations

#: The publisher whose own documents are primary sources.
INSPECTORATE = "HM Inspectorate of Probation"
#: Publishers whose documents are Crown copyright, reused under the Open Government Licence.
CROWN_PUBLISHERS = frozenset({INSPECTORATE, "Ministry of Justice"})
SOURCE_KINDS = {"primary": "Primary", "secondary": "Secondary"}


def source_kind(publisher) -> str:
    """'primary' for a document of the Inspectorate itself (a report, press release, summary or
    blog of the Inspectorate), else 'secondary': news, blogs, commentary and other bodies'
    publications that report on it."""
    return "primary" if str(publisher or "").strip() == INSPECTORATE else "secondary"


def source_licence(publisher, licence) -> str:
    """The licence of a source as it applies: the curated one (the OGL) for Crown publishers;
    for any other publisher, that its facts are cited and its text stays its own."""
    if str(publisher or "").strip() in CROWN_PUBLISHERS:
        return str(licence or "")
    return f"facts only, text © {str(publisher or '').strip() or 'its publisher'}"
