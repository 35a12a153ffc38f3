"""The README's curator walkthrough, followed step by step as a new curator would."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEP = re.compile(
    r"<!-- walkthrough-(shell|file: (?P<name>[\w.]+)) -->\n```\w*\n(?P<body>.*?)```", re.S
)


def walkthrough_script() -> str:
    """The README's steps as one bash script: its commands, and its files written in place."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    bin_dir = str(Path(sys.executable).parent)
    lines = ["set -euo pipefail", f"cd {ROOT}"]
    inspection_id = None
    for step in STEP.finditer(readme):
        body = step.group("body").replace(".venv/bin/", bin_dir + "/")
        if step.group("name") is None:
            lines.append(body)
            found = re.search(r"probation-inspections new (\S+)", body)
            inspection_id = found.group(1) if found else inspection_id
        else:
            target = (
                f'"$PROBATION_INSPECTIONS_DATA/inspections/{inspection_id}/{step.group("name")}"'
            )
            lines.append(f"cat > {target} <<'WALKTHROUGH_EOF'\n{body}WALKTHROUGH_EOF")
    lines.append('echo "DATA=$PROBATION_INSPECTIONS_DATA"')
    lines.append('echo "REPORTS=$PROBATION_INSPECTIONS_REPORTS"')
    assert inspection_id, "the walkthrough must start with `probation-inspections new`"
    return "\n".join(lines) + "\n"


def test_the_readme_walkthrough_adds_an_inspection_that_appears_on_the_index():
    script = walkthrough_script()
    assert script.count("cat >") >= 3, "the walkthrough shows the curated files"
    run = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(Path.home())},
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    out = dict(
        line.split("=", 1)
        for line in run.stdout.splitlines()
        if line.startswith(("DATA=", "REPORTS="))
    )
    reports = Path(out["REPORTS"])
    index = (reports / "index.html").read_text(encoding="utf-8")
    inspection_id = "2022-08-birmingham-north-east-solihull-pdu"
    assert f'href="profiles/{inspection_id}.html"' in index
    profile = (reports / "profiles" / f"{inspection_id}.html").read_text(encoding="utf-8")
    assert "Inadequate" in profile
    assert "Traceback" not in profile
