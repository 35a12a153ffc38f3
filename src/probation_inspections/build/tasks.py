"""The reports a build makes: one task per notebook and parameter set, and when each is current."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import config
from ..fingerprint import Inputs, digest

if TYPE_CHECKING:
    from ..validation.incremental import Checked


#: Tables every report reads besides its own (titles, dates, programmes).
ALWAYS_READ = ("inspections",)


@dataclass(frozen=True)
class Comparison:
    notebook: str
    title: str
    what: str
    reads: tuple[str, ...]  # tables it loads; tests/test_build.py checks the list is complete


COMPARISONS = (
    Comparison(
        "cross_area_ranges",
        "Scores across areas: lowest, highest and average",
        "Table 1-style ranges regenerated from the curated areas, beside the ranges the "
        "reports published, with coverage and a verdict.",
        ("domain_scores", "published_aggregates", "organisations"),
    ),
    Comparison(
        "crc_vs_nps_sufficiency",
        "CRC and NPS: sufficiency by assessed need",
        "The two organisations' need tables aligned by need, with differences in "
        "percentage points.",
        ("need_sufficiency", "organisations"),
    ),
    Comparison(
        "reproduction",
        "Published figures, reproduced",
        "Every count, range or total the Inspectorate published about a group of "
        "services, recomputed from the curated inspections, with coverage and a verdict.",
        ("published_aggregates", "organisations", "ratings", "domain_scores"),
    ),
    Comparison(
        "pdu_comparison",
        "PDUs and regions of the Probation Service compared",
        "Headline case-sample shares (with Wilson intervals where the sample is known), "
        "overall and standards ratings of the 2021- programme, by region, with the "
        "coverage of the 108 PDUs.",
        ("organisations", "ratings", "judgements"),
    ),
    Comparison(
        "ratings_and_caseloads",
        "Ratings and caseloads",
        "Ratings across services and time; caseloads and workload findings.",
        (
            "ratings",
            "organisations",
            "caseloads",
            "key_facts",
            "judgements",
            "published_aggregates",
        ),
    ),
)


@dataclass(frozen=True)
class Task:
    """One notebook run with one parameter set, rendered to one page."""

    notebook: str
    parameters: tuple[tuple[str, str], ...]
    html: str  # path below reports/
    title: str
    reads: tuple[str, ...] | None = None  # None: every table of one inspection (a profile)

    @property
    def name(self) -> str:
        args = ",".join(f"{k}={v}" for k, v in self.parameters)
        return f"{self.notebook}({args})" if args else self.notebook

    @property
    def inspection_id(self) -> str | None:
        return dict(self.parameters).get("inspection_id") if self.reads is None else None

    @property
    def executed(self) -> str:
        stem = Path(self.html).with_suffix("").as_posix().replace("/", "__")
        return f"notebooks/{stem}.ipynb"

    @property
    def depth(self) -> int:
        return self.html.count("/")


@dataclass
class Outcome:
    task: Task
    status: str  # ran, skipped, failed, planned
    seconds: float = 0.0
    message: str = ""


def task_key(task: Task, inputs: Inputs, code: str, valid_ids: list[str]) -> dict[str, str]:
    """What a task's output depends on, by component (so a rebuild can say why)."""
    notebook = (config.notebooks_dir() / f"{task.notebook}.ipynb").read_bytes()
    if task.reads is None:
        if task.inspection_id is None:
            raise ValueError(f"task {task.name} reads one inspection but names none")
        data = inputs.inspection(task.inspection_id)
    else:
        data = inputs.tables(task.reads + ALWAYS_READ) + " " + ",".join(valid_ids)
    return {
        "notebook": digest(notebook, json.dumps(task.parameters).encode()),
        "code": code,
        "data": digest(data.encode(), inputs.reference.encode()),
    }


def plan(checked: Checked, only: list[str] | None = None) -> list[Task]:
    """Every report to build: one profile per valid inspection, then the comparisons."""
    tasks = []
    for inspection_id in checked.valid_ids:
        if only and inspection_id not in only:
            continue
        meta = checked.meta.get(inspection_id, {})
        title = meta.get("title") or inspection_id
        kind = "Overview" if meta.get("kind") == "overview" else "Inspection profile"
        tasks.append(
            Task(
                "inspection_profile",
                (("inspection_id", inspection_id),),
                f"profiles/{inspection_id}.html",
                f"{kind}: {title}",
            )
        )
    for comparison in COMPARISONS:
        tasks.append(
            Task(
                comparison.notebook,
                (),
                f"{comparison.notebook}.html",
                comparison.title,
                comparison.reads,
            )
        )
    return tasks


def _why(task: Task, key: dict, state: dict, reports: Path, force: bool) -> str | None:
    """None if the task's output is current; otherwise the reason to run it."""
    if force:
        return "forced"
    before = state.get(task.name)
    if not before:
        return "never built"
    if not (reports / task.html).exists():
        return "page missing"
    changed = [part for part in ("notebook", "code", "data") if before.get(part) != key[part]]
    if changed:
        return " and ".join(changed) + " changed"
    return None
