"""Sources by kind and licence: the Inspectorate's own documents, and what others wrote of them."""

from __future__ import annotations

import pandas as pd

from ..curated.schema import CROWN_PUBLISHERS, INSPECTORATE

SOURCE_KINDS = {"primary": "Primary", "secondary": "Secondary"}


def _name(publisher) -> str:
    """A publisher's name, empty when it is not recorded (None, NA or blank)."""
    if publisher is None or (not isinstance(publisher, str) and pd.isna(publisher)):
        return ""
    return str(publisher).strip()


def source_kind(publisher) -> str:
    """'primary' for a document of the Inspectorate itself (a report, press release, summary or
    blog of the Inspectorate), else 'secondary': news, blogs, commentary and other bodies'
    publications that report on it."""
    return "primary" if _name(publisher) == INSPECTORATE else "secondary"


def source_licence(publisher, licence) -> str:
    """The licence of a source as it applies: the curated one (the OGL) for Crown publishers;
    for any other publisher, that its facts are cited and its text stays its own."""
    if _name(publisher) in CROWN_PUBLISHERS:
        return _name(licence)
    return f"facts only, text © {_name(publisher) or 'its publisher'}"


def with_source_kind(frame: pd.DataFrame, inspections: pd.DataFrame) -> pd.DataFrame:
    """`frame` (rows with an `inspection_id`) with the kind of its source beside each row:
    `source_kind` ('Primary' for the Inspectorate's own document, else 'Secondary'), its
    `source_publisher` and the `source_licence` as it applies (the OGL only for Crown
    publishers)."""
    meta = inspections.drop_duplicates("inspection_id").set_index("inspection_id")
    publishers = frame["inspection_id"].map(meta["source_publisher"])
    licences = frame["inspection_id"].map(meta["licence"])
    return frame.assign(
        source_kind=[SOURCE_KINDS[source_kind(p)] for p in publishers],
        source_publisher=list(publishers),
        source_licence=[
            source_licence(p, lic) for p, lic in zip(publishers, licences, strict=True)
        ],
    )


def describe_source(publisher, licence) -> str:
    """A source's kind, publisher and licence as it applies, in words: 'Primary: HM
    Inspectorate of Probation, OGL-3.0' or 'Secondary: BBC News, facts only, text © BBC
    News'."""
    kind = SOURCE_KINDS[source_kind(publisher)]
    name = _name(publisher) or "publisher not recorded"
    return f"{kind}: {name}, {source_licence(publisher, licence)}"
