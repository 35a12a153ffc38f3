"""The `draft` and `accept` subcommands: what they print and their exit codes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..errors import display_path


def draft_command(source: str, inspection_id: str) -> int:
    from ..curated.inspection import inspection_folder
    from .drafting import draft

    folder = draft(Path(source), inspection_id)
    if inspection_folder(inspection_id).exists():
        print(
            f"note: {display_path(inspection_folder(inspection_id))} is curated already; "
            "accept will not replace it (compare the draft with it instead)"
        )
    counts = Counter(
        path.stem
        for path in folder.glob("*.csv")
        for _ in range(sum(1 for _ in path.open(encoding="utf-8")) - 1)
    )
    tables = ", ".join(f"{name} {n}" for name, n in sorted(counts.items())) or "no tables"
    print(f"drafted {display_path(folder)}: {tables}")
    print(
        f"review every row in {display_path(folder / 'review.html')}, edit the files, then "
        f"run `probation-inspections accept {inspection_id}`"
    )
    return 0


def accept_command(inspection_id: str) -> int:
    from .accept import accept
    from .drafting import draft_folder

    folder = accept(inspection_id)
    print(
        f"accepted: {display_path(folder)} validates and is curated; run "
        f"`probation-inspections build` to add its profile"
    )
    left = draft_folder(inspection_id)
    if left.exists():
        print(
            f"kept in {display_path(left)} (not files of the data model): "
            + ", ".join(sorted(p.name for p in left.iterdir()))
        )
    return 0
