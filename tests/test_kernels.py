"""Warm kernels: one kernel and one set of channels per worker, an empty namespace per run."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from probation_inspections.build.kernels import WarmKernel


def notebook(path, *sources: str):
    node = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    node.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    cell = nbformat.v4.new_code_cell("label = 'default'")
    cell.metadata["tags"] = ["parameters"]
    node.cells.insert(0, cell)
    nbformat.write(node, path)
    return path


def text(executed) -> str:
    return "".join(o.get("text", "") for cell in executed.cells for o in cell.get("outputs", []))


@pytest.fixture
def kernel(tmp_path):
    warm = WarmKernel(tmp_path)
    yield warm
    warm.close()


def test_runs_reuse_one_kernel_and_its_channels(kernel, tmp_path):
    source = notebook(tmp_path / "pid.ipynb", "import os\nprint(os.getpid(), label)")
    first = text(kernel.run(source, {"label": "a"})).split()
    threads = threading.active_count()
    outputs = [text(kernel.run(source, {"label": str(n)})).split() for n in range(5)]
    assert {pid for pid, _ in outputs} == {first[0]}
    assert [label for _, label in outputs] == ["0", "1", "2", "3", "4"]
    # Each run used to open new channels and a heartbeat thread that were never closed.
    assert threading.active_count() == threads


def test_each_run_starts_from_an_empty_namespace(kernel, tmp_path):
    kernel.run(notebook(tmp_path / "define.ipynb", "leftover = 1"), {})
    executed = kernel.run(
        notebook(tmp_path / "look.ipynb", "print('leftover' in dir(), label)"), {"label": "x"}
    )
    assert text(executed).split() == ["False", "x"]


def test_a_failed_run_gets_a_new_kernel_next(kernel, tmp_path):
    pid = notebook(tmp_path / "pid.ipynb", "import os\nprint(os.getpid())")
    before = text(kernel.run(pid, {}))
    with pytest.raises(Exception, match="ZeroDivisionError"):
        kernel.run(notebook(tmp_path / "fail.ipynb", "1 / 0"), {})
    assert text(kernel.run(pid, {})) != before


@pytest.mark.skipif(os.name != "posix", reason="Unix-domain sockets")
def test_kernels_listen_on_private_sockets_removed_with_them(kernel, tmp_path):
    kernel.run(notebook(tmp_path / "one.ipynb", "1"), {})
    # No TCP port: nothing another process takes meanwhile can stop the kernel from starting.
    assert kernel.km.transport == "ipc"
    sockets = Path(kernel.km.ip).parent
    assert sockets.is_dir() and any(sockets.iterdir())
    kernel.close()
    assert not sockets.exists()


def test_two_kernels_started_at_once_both_run(tmp_path):
    source = notebook(tmp_path / "pid.ipynb", "import os\nprint(os.getpid())")
    kernels = [WarmKernel(tmp_path) for _ in range(2)]
    with ThreadPoolExecutor(2) as pool:
        pids = list(pool.map(lambda k: text(k.run(source, {})), kernels))
    for k in kernels:
        k.close()
    assert len(set(pids)) == 2


def test_kernels_get_the_environment_they_are_given_and_this_process_keeps_its_own(tmp_path):
    from probation_inspections.build.kernels import run_fresh

    source = notebook(
        tmp_path / "env.ipynb", "import os\nprint(os.environ.get('PROBATION_KERNEL_MARK', 'unset'))"
    )
    before = dict(os.environ)
    warm = WarmKernel(tmp_path, {"PROBATION_KERNEL_MARK": "warm"})
    try:
        assert text(warm.run(source, {})).strip() == "warm"
    finally:
        warm.close()
    fresh = run_fresh(source, {}, tmp_path, {"PROBATION_KERNEL_MARK": "fresh"})
    assert text(fresh).strip() == "fresh"
    assert dict(os.environ) == before, "starting kernels changed this process's environment"
