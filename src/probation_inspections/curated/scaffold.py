"""`probation-inspections new ID`: a curated folder from the template, ready to fill in."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .. import config
from ..errors import DataError, DataIssue, display_path
from .inspection import inspection_folder
from .schema import CSV_TABLES

#: Longest folder name most file systems allow, in bytes.
LONGEST_NAME = 255


def new_inspection(inspection_id: str, data_root: Path | None = None) -> Path:
    """Create data/inspections/<id>/ with inspection.yaml and one header-only CSV per table.

    Refuses to touch an existing folder: curated data is never overwritten. The folder is made
    whole or not at all: it is written under a hidden temporary name and renamed when complete,
    so a full disk or a folder that cannot be written leaves nothing behind.
    """
    folder = inspection_folder(inspection_id, data_root)
    if data_root is None and config.locate().source == "bundled":
        raise DataError(
            [
                DataIssue(
                    display_path(folder),
                    None,
                    None,
                    "the data bundled in the package is read-only: copy it (or "
                    "clone the repository) and point $"
                    f"{config.DATA_DIR_ENV} at the copy",
                )
            ]
        )
    shown = display_path(folder)
    if len(inspection_id.encode()) > LONGEST_NAME:
        raise DataError(
            [
                DataIssue(
                    "inspection id",
                    None,
                    None,
                    f"is {len(inspection_id)} "
                    f"characters long; a folder name has at most {LONGEST_NAME}"
                    " bytes: shorten the area part",
                )
            ]
        )
    if os.path.lexists(folder):
        raise DataError(
            [DataIssue(shown, None, None, "already exists; curated data is never overwritten")]
        )
    template = (Path(__file__).with_name("templates") / "inspection.yaml").read_text("utf-8")
    scratch = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".new-", dir=folder.parent))
        (scratch / "inspection.yaml").write_text(
            template.replace("{inspection_id}", inspection_id), encoding="utf-8"
        )
        for table in CSV_TABLES:
            header = ",".join(c.name for c in table.curated_columns)
            (scratch / table.filename).write_text(header + "\n", encoding="utf-8")
        os.rename(scratch, folder)  # fails rather than replace a folder made meanwhile
        scratch = None
    except OSError as err:
        reason = err.strerror or str(err)
        if os.path.lexists(folder) and scratch is not None:
            reason = "it was created meanwhile; curated data is never overwritten"
        raise DataError(
            [DataIssue(shown, None, None, f"cannot be created ({reason}); nothing was written")]
        ) from None
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return folder
