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


def broken_kernel(folder: Path, behaviour: str) -> dict[str, str]:
    """The environment of a kernel that never comes up: its launcher, found first on
    PYTHONPATH, notes each start in `starts.txt`, then exits ("die") or waits ("hang")."""
    folder.mkdir()
    (folder / "ipykernel_launcher.py").write_text(
        "import os, sys, time\n"
        "with open(os.environ['KERNEL_STARTS'], 'a') as f:\n"
        "    f.write(f'{os.getpid()}\\n')\n"
        f"if {behaviour == 'hang'}:\n"
        "    time.sleep(600)\n"
        "sys.exit(3)\n"
    )
    return {"PYTHONPATH": str(folder), "KERNEL_STARTS": str(folder / "starts.txt")}


def still_running(pid: int) -> bool:
    """Whether the process runs, or is a zombie nobody waited for."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow  # each case waits for a kernel to die or time out (seconds)
@pytest.mark.parametrize(
    ("behaviour", "problem"),
    [
        ("die", "the kernel died at start-up"),
        ("hang", "the kernel did not answer within 1 s of its start"),
    ],
)
def test_a_kernel_that_dies_or_never_answers_at_start_up_is_replaced_once_then_the_report_fails(
    tmp_path, behaviour, problem
):
    from probation_inspections.build.kernels import _LIVE, START_ATTEMPTS, KernelDied

    environment = broken_kernel(tmp_path / "broken", behaviour)
    warm = WarmKernel(tmp_path, environment, start_timeout=1)
    source = notebook(tmp_path / "one.ipynb", "1")
    with pytest.raises(KernelDied) as failure:
        warm.run(source, {})
    assert str(failure.value) == (
        f"no kernel would start: {problem} (tried {START_ATTEMPTS} fresh kernels)"
    )
    starts = [int(pid) for pid in (tmp_path / "broken" / "starts.txt").read_text().split()]
    assert len(starts) == START_ATTEMPTS == 2
    assert not [pid for pid in starts if still_running(pid)], "a kernel outlived its failed start"
    assert warm.km is None and not _LIVE


def test_a_kernel_found_dead_between_two_notebooks_is_replaced_before_the_next(kernel, tmp_path):
    import signal

    pid = notebook(tmp_path / "pid.ipynb", "import os\nprint(os.getpid())")
    first = int(text(kernel.run(pid, {})))
    os.kill(first, signal.SIGKILL)
    kernel.km.provisioner.process.wait(timeout=10)
    assert int(text(kernel.run(pid, {}))) != first


@pytest.mark.skipif(os.name != "posix", reason="Unix-domain sockets")
def test_below_a_temporary_folder_too_deep_for_a_socket_path_kernels_still_start(
    tmp_path, monkeypatch
):
    import tempfile

    from probation_inspections.build.kernels import SOCKET_PATH_MAX

    deep = tmp_path / ("d" * 60) / ("e" * 40)  # a test's folder below pytest-xdist's, say
    deep.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    warm = WarmKernel(tmp_path)
    try:
        assert text(warm.run(notebook(tmp_path / "one.ipynb", "print(1)"), {})).strip() == "1"
        assert len(f"{warm.km.ip}-5") <= SOCKET_PATH_MAX
    finally:
        warm.close()


UNREACHABLE = """
import json, sys, tempfile, threading
from pathlib import Path
from probation_inspections.build import kernels
kernels.SOCKET_PATH_MAX = 10_000  # sockets where no kernel can bind them: nothing answers
tempfile.tempdir = sys.argv[1]
warm = kernels.WarmKernel(Path(sys.argv[2]))
failures = []
def worker():
    for _ in range(2):
        try:
            warm.run(Path(sys.argv[3]), {})
        except kernels.NotebookFailed as error:
            failures.append(str(error))
    warm.close()
thread = threading.Thread(target=worker)
thread.start()
thread.join()
print(json.dumps(failures))
"""


@pytest.mark.slow  # starts a process that starts kernels (seconds)
@pytest.mark.skipif(os.name != "posix", reason="Unix-domain sockets")
def test_a_process_whose_kernels_could_not_be_reached_still_exits(tmp_path):
    """A failed start once left zmq sockets to the garbage collector, whose clean-up at exit
    waited for ever: the build wrote its pages and never ended."""
    import json
    import subprocess
    import sys

    deep = tmp_path / ("d" * 60) / ("e" * 40)
    deep.mkdir(parents=True)
    source = notebook(tmp_path / "one.ipynb", "1")
    done = subprocess.run(
        [sys.executable, "-c", UNREACHABLE, str(deep), str(tmp_path), str(source)],
        capture_output=True,
        text=True,
        timeout=120,  # ends in seconds; without the fix it never does
    )
    assert done.returncode == 0, done.stderr
    failures = json.loads(done.stdout)
    assert len(failures) == 2
    for message in failures:
        assert message.startswith(
            "no kernel would start: the kernel could not be started (ZMQError: File name too long"
        )
