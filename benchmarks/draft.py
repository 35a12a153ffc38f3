"""How well `probation-inspections draft` recovers the hand-curated seed datasets.

Drafts the seed report (../shared/seeds/002_df056c31e2e4c28f.txt beside the repository) and
compares the draft, table by table, with the curated 2017-01-staffordshire-stoke: a drafted row
counts when it matches a curated row one to one on what must agree (value, organisation, rank;
for judgements the quantifier or count and whose work), and its locator is right when it names
the same table, or the same chapter and section. Then drafts the four press releases and
commentary among the seeds and compares ratings, populations, dates and recommendation counts
with the curated folders whose inspection.yaml names the same source URL.

    python benchmarks/draft.py            # prints the tables; exit 1 if a target is missed
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from probation_inspections import config  # noqa: E402
from probation_inspections.curated.readers import read_csv, read_yaml  # noqa: E402
from probation_inspections.curated.vocabularies import Reference  # noqa: E402
from probation_inspections.draft.compare import compare_table  # noqa: E402
from probation_inspections.draft.drafting import draft_rows  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
REPORT = "002_df056c31e2e4c28f.txt"
REPORT_ID = "2017-01-staffordshire-stoke"
#: The other seeds and the source URL their curated folder names.
RELEASES = {
    "000_c5b2f39150fd9d31.txt": "https://www.justiceinspectorates.gov.uk/hmiprobation/media/press-releases/2018/12/"
    "staffswestmidscrc/",
    "001_1097272ed46cb179.txt": "http://www.russellwebster.com/hmipwyorks18/",
    "003_cc493d2517a2e61d.txt": "https://www.justiceinspectorates.gov.uk/hmiprobation/media/press-releases/2017/08/"
    "gloucestershireqi/",
    "004_3a48d63f005d11ae.txt": "https://www.justiceinspectorates.gov.uk/hmiprobation/media/press-releases/2022/08/"
    "birmingham-north-east-and-solihull-probation-service-rated-as-inadequate/",
}
#: (table, minimum recall, minimum precision); locators must be right on every matched row.
TARGETS = {
    "need_sufficiency": (1.0, None),
    "domain_scores": (1.0, None),
    "published_aggregates": (1.0, None),
    "caseloads": (1.0, None),
    "key_facts": (0.9, None),
    "judgements": (0.8, 0.85),
}
#: Compared and printed, without a target.
INFORMATIONAL = ("organisations", "recommendations")


def curated_rows(folder: Path, table: str, key_facts_page: bool = False) -> list[dict]:
    path = folder / f"{table}.csv"
    if not path.exists():
        return []
    frame = read_csv(path)
    rows = [
        {k: (None if v is None else v) for k, v in row.items()} for row in frame.to_dict("records")
    ]
    if key_facts_page and table == "key_facts":  # other figures have no recogniser
        rows = [r for r in rows if "Key facts" in str(r.get("source_locator"))]
    return rows


def drafted_by_table(rows) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in rows:
        values = dict(row.values, source_locator=row.locator)
        out.setdefault(row.table, []).append(values)
    return out


def percent(value: float) -> str:
    return "  n/a" if math.isnan(value) else f"{100 * value:5.1f}%"


def report_table(reference: Reference) -> tuple[list[str], bool, list]:
    folder = config.inspections_dir() / REPORT_ID
    _, _, rows = draft_rows(SEEDS / REPORT, reference)
    drafted = drafted_by_table(rows)
    lines = [
        f"Seed report {REPORT} against data/inspections/{REPORT_ID}",
        "",
        f"{'table':22} {'curated':>7} {'drafted':>7} {'matched':>7} {'recall':>7} "
        f"{'precision':>9} {'locators':>8}  target            met",
    ]
    ok, scores = True, []
    for table, (want_recall, want_precision) in TARGETS.items():
        score = compare_table(
            table,
            curated_rows(folder, table, key_facts_page=True),
            drafted.get(table, []),
            reference,
        )
        scores.append(score)
        located = score.locators_right / score.matched if score.matched else float("nan")
        met = (
            score.recall >= want_recall
            and (want_precision is None or score.precision >= want_precision)
            and (not score.matched or score.locators_right == score.matched)
        )
        ok &= met
        target = (
            f"R>={want_recall:.0%}"
            + (f" P>={want_precision:.0%}" if want_precision else "")
            + " loc=100%"
        )
        lines.append(
            f"{table:22} {score.curated:7} {score.drafted:7} {score.matched:7} "
            f"{percent(score.recall):>7} {percent(score.precision):>9} "
            f"{percent(located):>8}  {target:17} {'yes' if met else 'NO'}"
        )
    for table in INFORMATIONAL:
        score = compare_table(table, curated_rows(folder, table), drafted.get(table, []), reference)
        scores.append(score)
        located = score.locators_right / score.matched if score.matched else float("nan")
        lines.append(
            f"{table:22} {score.curated:7} {score.drafted:7} {score.matched:7} "
            f"{percent(score.recall):>7} {percent(score.precision):>9} "
            f"{percent(located):>8}  (no target)"
        )
    return lines, ok, scores


def release_checks(reference: Reference) -> tuple[list[str], bool]:
    folders = {}
    for folder in sorted(config.inspections_dir().iterdir()):
        path = folder / "inspection.yaml"
        if path.exists():
            meta, _ = read_yaml(path)
            folders[meta.get("source_url")] = folder
    lines = [
        "",
        "Press releases and commentary among the seeds",
        "",
        f"{'seed':26} {'field':28} {'curated':24} {'drafted':24} agrees",
    ]
    agreed = total = 0
    for seed, url in RELEASES.items():
        folder = folders.get(url)
        if folder is None:
            lines.append(f"{seed:26} no curated folder names {url}")
            continue
        _, meta, rows = draft_rows(SEEDS / seed, reference)
        curated_meta, _ = read_yaml(folder / "inspection.yaml")
        drafted = drafted_by_table(rows)
        checks = []
        overall = [r for r in curated_rows(folder, "ratings") if r["standard_label"] == "Overall"]
        if overall:
            mine = [r for r in drafted.get("ratings", []) if r["standard_label"] == "Overall"]
            checks.append(
                (
                    "overall rating",
                    reference.to_code("rating", overall[0]["rating_label"]),
                    reference.to_code("rating", mine[0]["rating_label"]) if mine else None,
                )
            )
        for column in ("published", "fieldwork_start", "fieldwork_end"):
            if curated_meta.get(column):
                checks.append((column, str(curated_meta[column]), meta.get(column)))
        populations = [
            r for r in curated_rows(folder, "organisations") if r.get("supervised_population")
        ]
        for row in populations:
            mine = [
                r
                for r in drafted.get("organisations", [])
                if r.get("supervised_population") is not None
            ]
            checks.append(
                (
                    f"population ({row['organisation_type']})",
                    str(row["supervised_population"]),
                    str(mine[0]["supervised_population"]) if mine else None,
                )
            )
        facts = [
            r
            for r in curated_rows(folder, "key_facts")
            if str(r.get("measure", "")).startswith("recommendations")
        ]
        mine = {
            r["measure"]: r["value"]
            for r in drafted.get("key_facts", [])
            if r["measure"].startswith("recommendations")
        }
        for row in facts:
            value = float(row["value"])
            found = next((name for name, v in mine.items() if v == value), None)
            checks.append((row["measure"], f"{value:g}", f"{value:g} ({found})" if found else None))
        recommendations = curated_rows(folder, "recommendations")
        if recommendations:
            checks.append(
                (
                    "recommendations listed",
                    str(len(recommendations)),
                    str(len(drafted.get("recommendations", []))),
                )
            )
        for field, want, got in checks:
            good = got is not None and (got == want or got.split(" ")[0] == want)
            agreed += good
            total += 1
            lines.append(
                f"{seed:26} {field:28} {str(want):24} {str(got):24} {'yes' if good else 'NO'}"
            )
    lines.append(f"\n{agreed} of {total} press-release facts agree")
    return lines, agreed == total


def wrong_guesses(scores) -> list[str]:
    lines = ["", "Guesses most often wrong on matched rows (column: curated -> drafted)"]
    counts = Counter()
    for score in scores:
        for (column, curated, drafted), n in score.disagreements.items():
            counts[(score.table, column, curated, drafted)] += n
    for (table, column, curated, drafted), n in counts.most_common(12):
        lines.append(f"  {n:3}  {table}.{column}: {curated or '(empty)'} -> {drafted or '(empty)'}")
    return lines


def main() -> int:
    if not (SEEDS / REPORT).exists():
        print(
            f"skipped: the seed documents are not at {SEEDS} (a copy of shared/ beside the "
            "repository)"
        )
        return 0
    reference = Reference.load()
    lines, ok, scores = report_table(reference)
    release_lines, releases_ok = release_checks(reference)
    print("\n".join(lines + wrong_guesses(scores) + release_lines))
    if "-v" in sys.argv:
        for score in scores:
            for row in score.missed:
                print("MISSED", score.table, {k: v for k, v in row.items() if v})
            for row in score.extra:
                print("EXTRA ", score.table, {k: v for k, v in row.items() if v})
    return 0 if ok and releases_ok else 1


if __name__ == "__main__":
    sys.exit(main())
