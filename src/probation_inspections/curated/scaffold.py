"""`probation-inspections new ID`: a curated folder from the template, ready to fill in."""

from __future__ import annotations

from pathlib import Path

from .. import config
from ..errors import DataError, DataIssue, display_path
from .inspection import inspection_folder
from .schema import CSV_TABLES


def new_inspection(inspection_id: str, data_root: Path | None = None) -> Path:
    """Create data/inspections/<id>/ with inspection.yaml and one header-only CSV per table.

    Refuses to touch an existing folder: curated data is never overwritten.
    """
    folder = inspection_folder(inspection_id, data_root)
    if data_root is None and config.locate().source == "bundled":
        raise DataError([DataIssue(display_path(folder), None, None,
                                   "the data bundled in the package is read-only: copy it (or "
                                   "clone the repository) and point $"
                                   f"{config.DATA_DIR_ENV} at the copy")])
    if folder.exists():
        raise DataError([DataIssue(display_path(folder), None, None,
                                   "already exists; curated data is never overwritten")])
    template = (Path(__file__).with_name("templates") / "inspection.yaml").read_text("utf-8")
    folder.mkdir(parents=True)
    (folder / "inspection.yaml").write_text(
        template.replace("{inspection_id}", inspection_id), encoding="utf-8")
    for table in CSV_TABLES:
        header = ",".join(c.name for c in table.curated_columns)
        (folder / table.filename).write_text(header + "\n", encoding="utf-8")
    return folder
