"""Organisations inspected: their names, the people they supervise, and the inspection sample
(cases inspected, service users spoken with)."""

from __future__ import annotations

import re

from ..document import Document, locator
from ..paragraphs import paragraphs, split_sentences
from ..rows import DraftRow, Labels
from .ratings import organisation_of_title

SUPERVISING = re.compile(r"\b(?:responsible for supervising|supervis(?:es|ed|ing))\s+"
                         r"(?P<qualifier>more than |over |around |about |approximately )?"
                         r"(?P<number>\d{1,3}(?:,\d{3})+|\d{4,})\b")
QUALIFIERS = {"more than": "more than", "over": "more than", "around": "approximately",
              "about": "approximately", "approximately": "approximately"}
SAMPLE = re.compile(r"sample consisted of (?P<total>\d+) cases, (?P<crc>\d+) of which were CRC "
                    r"cases and (?P<nps>\d+) of which were NPS cases")
SPOKE = re.compile(r"spoke with (?P<total>\d+) service users, (?P<crc>\d+) from the CRC and "
                   r"(?P<nps>\d+) from the NPS")


def recognise(document: Document, labels: Labels, meta: dict) -> list[DraftRow]:
    kind, label = organisation_of_title(meta)
    found: dict[str, dict] = {}
    evidence: dict[str, tuple] = {}
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
                evidence[kind or "Area"] = where
            for pattern, column in ((SAMPLE, "cases_sampled"),
                                    (SPOKE, "service_users_interviewed")):
                match = pattern.search(sentence)
                if match:
                    for organisation, group in (("CRC", "crc"), ("NPS", "nps"),
                                                ("Area", "total")):
                        found.setdefault(organisation, {})[column] = int(match[group])
                        evidence.setdefault(organisation, where)
    drafted = []
    for organisation, values in found.items():
        where, sentence, line = evidence[organisation]
        name = label if organisation == kind else (meta.get("area") if organisation == "Area"
                                                   else None)
        row = DraftRow("organisations", {"organisation_type": organisation,
                                         "organisation_label": name, **values},
                       where, sentence, line.number, line.page)
        if name:
            labels.known(row, "organisation", name)
        else:
            row.guess("organisation's name not found: write it as the source does", 0.4)
        drafted.append(row)
    return drafted
