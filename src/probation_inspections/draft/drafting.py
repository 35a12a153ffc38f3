"""`probation-inspections draft SOURCE --id ID`: read a report, run the recognisers, write the
draft folder and its review page."""

from __future__ import annotations

from pathlib import Path

from .. import config
from ..curated.inspection import check_inspection_id
from ..curated.vocabularies import Reference
from ..errors import DataError, DataIssue, display_path
from .document import Document
from .readers import read_document
from .recognisers import (
    caseloads,
    comparison,
    key_facts,
    metadata,
    organisations,
    percent_tables,
    quantified,
    ratings,
    recommendations,
)
from .rows import DraftRow, Labels

#: Table recognisers, in the order they run; metadata runs first and informs them.
RECOGNISERS = (
    organisations,
    comparison,
    percent_tables,
    caseloads,
    key_facts,
    ratings,
    recommendations,
    quantified,
)


def drafts_dir(data_root: Path | None = None) -> Path:
    """data/drafts/: drafted folders waiting for review (never read as curated data)."""
    return (data_root or config.data_dir()) / "drafts"


def draft_folder(inspection_id: str, data_root: Path | None = None) -> Path:
    return drafts_dir(data_root) / check_inspection_id(inspection_id)


def draft_rows(source: Path, reference: Reference) -> tuple[Document, dict, list[DraftRow]]:
    """The document, its inspection.yaml values and every drafted row."""
    labels = Labels(reference)
    document = read_document(Path(source), labels.domain_labels())
    meta = metadata.recognise(document, labels)
    meta["organisation_type"], meta["organisation_label"] = ratings.organisation_of_title(meta)
    rows: list[DraftRow] = []
    for recogniser in RECOGNISERS:
        rows.extend(recogniser.recognise(document, labels, meta))
    return document, meta, rows


def draft(source: Path, inspection_id: str, data_root: Path | None = None) -> Path:
    """Write data/drafts/<id>/ (inspection.yaml, the tables, review.html); refuses to replace a
    draft that exists, which may hold a curator's edits."""
    from .review import write_review
    from .writer import write_folder

    folder = draft_folder(inspection_id, data_root)
    if folder.exists():
        raise DataError(
            [
                DataIssue(
                    display_path(folder),
                    None,
                    None,
                    "a draft with this id exists (it may hold your edits): "
                    "accept it, or delete the folder to draft again",
                )
            ]
        )
    reference = Reference.load(data_root)
    document, meta, rows = draft_rows(source, reference)
    by_table = write_folder(folder, meta, inspection_id, Path(source).name, rows)
    write_review(folder, inspection_id, document, meta, by_table)
    return folder
