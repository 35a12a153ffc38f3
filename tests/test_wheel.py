"""The wheel carries its data: built from this checkout, installed with only its dependencies
(pinned by the lock) into a fresh virtual environment, and used from a directory outside the
checkout, as a researcher would after `pip install`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from probation_inspections import load

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def run(command: list[str], cwd: Path, env: dict, timeout: int = 1800) -> str:
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh environment with the wheel installed; a working directory and a cache of its own."""
    tmp = tmp_path_factory.mktemp("wheel")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PROBATION_INSPECTIONS_") and k not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    env["XDG_CACHE_HOME"] = str(tmp / "cache")
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp / "dist"),
            str(ROOT),
        ],
        ROOT,
        env,
    )
    (wheel,) = (tmp / "dist").glob("probation_inspections-*.whl")
    venv.create(tmp / "venv", with_pip=True)
    python = tmp / "venv" / "bin" / "python"
    run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            # Byte-compiling every installed module is almost half of the install time, and a
            # researcher's first import compiles what it uses anyway.
            "--no-compile",
            "-c",
            str(ROOT / "requirements.lock"),
            str(wheel),
        ],
        tmp,
        env,
    )
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    return {
        "python": python,
        "cli": tmp / "venv" / "bin" / "probation-inspections",
        "cwd": elsewhere,
        "env": env,
        "cache": tmp / "cache",
        "wheel": wheel,
    }


def site_packages(python: Path) -> Path:
    out = subprocess.run(
        [
            str(python),
            "-c",
            "import probation_inspections, pathlib; "
            "print(pathlib.Path(probation_inspections.__file__).parent)",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd="/",
    )
    return Path(out.stdout.strip())


def test_the_wheel_holds_data_notebooks_and_templates_but_no_build_products(installed):
    import zipfile

    with zipfile.ZipFile(installed["wheel"]) as wheel:
        names = wheel.namelist()
    bundled = "probation_inspections/_bundled/"
    assert f"{bundled}data/reference/domains.csv" in names
    assert f"{bundled}data/LICENSE" in names
    assert f"{bundled}notebooks/inspection_profile.ipynb" in names
    package = ROOT / "src" / "probation_inspections"
    templates = [
        p.relative_to(package.parent).as_posix()
        for p in package.rglob("templates/*")
        if p.is_file()
    ]
    assert "probation_inspections/curated/templates/inspection.yaml" in templates
    assert set(templates) <= set(names), "templates missing from the wheel"
    assert not [n for n in names if "/processed/" in n or n.endswith(".parquet")]
    curated = sorted(
        p.relative_to(ROOT / "data").as_posix()
        for p in (ROOT / "data" / "inspections").rglob("*")
        if p.is_file()
    )
    assert (
        sorted(
            n.removeprefix(f"{bundled}data/")
            for n in names
            if n.startswith(f"{bundled}data/inspections/")
        )
        == curated
    )


def test_info_names_the_bundled_data_and_the_version(installed):
    out = run([str(installed["cli"]), "info"], installed["cwd"], installed["env"])
    from probation_inspections import __version__

    assert "bundled" in out
    assert __version__ in out


#: Profiles built from the installed wheel: a full report, a commentary with a rating, and a PDU
#: inspection's press release. Every other profile comes from the same notebook and the same
#: bundled folders, which the first test checks hold every curated file; `make reports` builds
#: them all.
BUILT = (
    "2017-01-staffordshire-stoke",
    "2018-10-west-yorkshire-crc",
    "2022-08-birmingham-north-east-solihull-pdu",
)


def test_build_writes_the_index_and_the_pages_into_the_directory_given(installed, tmp_path):
    reports = tmp_path / "site"
    out = run(
        [str(installed["cli"]), "build", "--reports", str(reports), "--jobs", "2", *BUILT],
        installed["cwd"],
        installed["env"],
    )
    ids = set(load("inspections")["inspection_id"])
    assert set(BUILT) <= ids
    assert f"validating {len(ids)} inspection(s)" in out, "the bundled data was not all read"
    assert (reports / "index.html").exists()
    pages = sorted(p.stem for p in (reports / "profiles").glob("*.html"))
    assert pages == sorted(BUILT)
    for comparison in (
        "cross_area_ranges",
        "crc_vs_nps_sufficiency",
        "reproduction",
        "ratings_and_caseloads",
        "validation",
    ):
        assert (reports / f"{comparison}.html").exists(), comparison
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert all(f"profiles/{i}.html" in index for i in BUILT)


def test_load_returns_every_curated_rating_from_any_directory(installed):
    # After the build above (tests run in file order), load() reads the tables the build wrote
    # into the user's cache folder; run alone, it validates the bundled copy itself.
    script = (
        "import json; from probation_inspections import load; r = load('ratings'); "
        "print(json.dumps(sorted(r[['inspection_id', 'organisation', 'standard', "
        "'rating']].astype(str).values.tolist())))"
    )
    out = run([str(installed["python"]), "-c", script], installed["cwd"], installed["env"])
    here = load("ratings")[["inspection_id", "organisation", "standard", "rating"]]
    assert json.loads(out.strip().splitlines()[-1]) == sorted(here.astype(str).values.tolist())
    package = site_packages(installed["python"])
    assert not (package / "_bundled" / "data" / "processed").exists(), (
        "processed tables were written into site-packages"
    )
    assert list(installed["cache"].rglob("manifest.json")), "no cache in the user's cache folder"
