"""Organisations inspected: their names, the people they supervise, and the inspection sample
(cases inspected, service users spoken with)."""

from __future__ import annotations

import re

from ..document import Document, Line, locator
from ..paragraphs import paragraphs, split_sentences
from ..rows import DraftRow, Labels
from .ratings import organisation_of_title

SUPERVISING = re.compile(
    r"\b(?:responsible for supervising|supervis(?:es|ed|ing))\s+"
    r"(?P<qualifier>more than |over |around |about |approximately )?"
    r"(?P<number>\d{1,3}(?:,\d{3})+|\d{4,})\b"
)
QUALIFIERS = {
    "more than": "more than",
    "over": "more than",
    "around": "approximately",
    "about": "approximately",
    "approximately": "approximately",
}
SAMPLE = re.compile(
    r"sample consisted of (?P<total>\d+) cases, (?P<crc>\d+) of which were CRC "
    r"cases and (?P<nps>\d+) of which were NPS cases"
)
NAMES = {
    "CRC": re.compile(
        r"\b(?P<name>(?:[A-Z][\w&,'’-]*\s(?:&\s|and\s|of\s)?){1,6}"
        r"(?:CRC|Community Rehabilitation Company))\b"
    ),
    "NPS": re.compile(
        r"\b(?P<name>NPS (?:[A-Z][\w-]* ){1,4}division|(?:[A-Z][\w-]* ){1,4}"
        r"division of the (?:NPS|National Probation Service))\b"
    ),
}
SUPERVISED_BY = re.compile(
    r"(?P<number>\d{1,3}(?:,\d{3})+|\d{4,})\s+The number of offenders "
    r"supervised by the (?P<name>[^\d]+?(?:CRC|NPS))"
)
SPOKE = re.compile(
    r"spoke with (?P<total>\d+) service users, (?P<crc>\d+) from the CRC and "
    r"(?P<nps>\d+) from the NPS"
)


def recognise(document: Document, labels: Labels, meta: dict) -> list[DraftRow]:
    kind, label = organisation_of_title(meta)
    found: dict[str, dict] = {}
    evidence: dict[str, list[tuple[str, str, Line]]] = {}
    for run in paragraphs(document.prose()):
        text = " ".join(" ".join(ln.stripped for ln in run).split())
        for sentence in split_sentences(text):
            where = (locator(run[0].section, run[0].page), sentence, run[0])
            for match in SUPERVISING.finditer(sentence):
                qualifier = QUALIFIERS.get((match["qualifier"] or "").strip(), "exact")
                current = found.setdefault(kind or "Area", {})
                # an exact figure beats a rounded one ("more than 8,000" then "8,136")
                if "supervised_population" in current and qualifier != "exact":
                    continue
                current["supervised_population"] = int(match["number"].replace(",", ""))
                current["supervised_population_qualifier"] = qualifier
                evidence.setdefault(kind or "Area", []).append(where)
            for pattern, column in (
                (SAMPLE, "cases_sampled"),
                (SPOKE, "service_users_interviewed"),
            ):
                counted = pattern.search(sentence)
                if counted:
                    for organisation, group in (("CRC", "crc"), ("NPS", "nps"), ("Area", "total")):
                        found.setdefault(organisation, {})[column] = int(counted[group])
                        evidence.setdefault(organisation, []).append(where)
    names = _names(document, labels)
    _key_fact_populations(document, found, evidence)
    drafted = []
    for organisation, values in found.items():
        places = evidence[organisation]
        locators = "; ".join(dict.fromkeys(place for place, _, _ in places))
        sentence = " / ".join(dict.fromkeys(text for _, text, _ in places))
        line = places[0][2]
        name = (
            label
            if organisation == kind
            else (meta.get("area") if organisation == "Area" else names.get(organisation))
        )
        row = DraftRow(
            "organisations",
            {"organisation_type": organisation, "organisation_label": name, **values},
            locators,
            sentence,
            line.number,
            line.page,
        )
        if name:
            labels.known(row, "organisation", name)
        else:
            row.guess("organisation's name not found: write it as the source does", 0.4)
        drafted.append(row)
    return drafted


def _names(document: Document, labels: Labels) -> dict[str, str]:
    """The name the document gives each organisation type: the first a vocabulary knows, else
    the one written most often."""
    text = " ".join(" ".join(line.stripped for line in document.prose()).split())
    names = {}
    for kind, pattern in NAMES.items():
        found = [re.sub(r"^(?:The|the|by|of|and) ", "", m["name"]) for m in pattern.finditer(text)]
        known = [name for name in found if labels.code("organisation", name)]
        if known or found:
            names[kind] = known[0] if known else max(set(found), key=found.count)
    return names


def _key_fact_populations(document: Document, found: dict, evidence: dict) -> None:
    """ "13,797 The number of offenders supervised by the ... CRC" on a key facts page."""
    lines = [line for line in document.lines if "Key facts" in line.section]
    text = " ".join(" ".join(line.stripped for line in lines).split())
    for match in SUPERVISED_BY.finditer(text):
        line = next((ln for ln in lines if ln.stripped.startswith(match["number"])), lines[0])
        kind = next((k for k, pattern in NAMES.items() if pattern.search(match["name"])), None)
        if kind and "supervised_population" not in found.get(kind, {}):
            found.setdefault(kind, {})["supervised_population"] = int(
                match["number"].replace(",", "")
            )
            found[kind]["supervised_population_qualifier"] = "exact"
            evidence.setdefault(kind, []).append(
                (locator(line.section, line.page), match.group(0), line)
            )
