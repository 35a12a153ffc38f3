"""Run parameterised notebooks the way papermill does, in kernels kept warm between runs.

A kernel start and the imports a notebook makes (pandas, seaborn, matplotlib) cost seconds; a
build that runs the same notebook for many inspections pays them once per worker instead of once
per notebook. Each run is parameterised by papermill itself (the same injected cell), starts from
an emptied namespace, and yields the same outputs as a fresh `papermill` run (tests/test_build.py
compares the pages both produce; tests/test_kernels.py checks the reuse itself).
"""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache, partial
from pathlib import Path

import nbformat
from jupyter_client import KernelClient

#: The kernel talks to this process over loopback only; its start-up notice about unencrypted
#: TCP is noise in build logs.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]
#: Seconds a cell may run before the report fails (`build --cell-timeout`).
TIMEOUT = 600


class NotebookFailed(Exception):
    """A report's notebook failed: the kernel died, a cell timed out, or a cell raised."""


def describe_failure(error: BaseException, notebook=None, timeout: float = TIMEOUT) -> str:
    """What went wrong, named for what it is, with the cell where the notebook says."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    name = type(error).__name__
    if isinstance(error, DeadKernelError) or name == "DeadKernelError":
        return "the kernel died while running the notebook (out of memory, or killed)"
    cell = getattr(error, "cell_index", None)
    if cell is None and notebook is not None:
        cell = _failed_cell(notebook)
    where = "" if cell is None else f" {cell + 1}"
    if isinstance(error, CellTimeoutError) or name == "CellTimeoutError":
        return (f"cell{where} timed out after {timeout:g} s (a longer limit: build "
                "--cell-timeout SECONDS)")
    ename, evalue = getattr(error, "ename", None), getattr(error, "evalue", None)
    if ename:
        return f"cell{where} raised {ename}: {evalue}"
    text = str(error).strip().splitlines()
    return f"{name}: {text[-1] if text else ''}"


def _failed_cell(notebook) -> int | None:
    """The index of the cell that raised, or else the one that started and never finished."""
    cells = notebook.get("cells", [])
    for index, cell in enumerate(cells):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return index
    for index, cell in enumerate(cells):
        timing = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in timing and "shell.execute_reply" not in timing:
            return index
    return None


class _Sockets:
    """A private directory for one kernel's sockets, removed with the kernel.

    Over TCP a kernel is handed ports that were free when they were chosen; with several kernels
    starting at once (and the ephemeral ports of every other connection on the machine) one of
    them can be taken before the kernel binds it, and the kernel dies at start-up. Unix-domain
    sockets in a directory of their own cannot collide. Where they are not available (Windows)
    kernels keep TCP.
    """

    def __init__(self):
        self._dir = tempfile.TemporaryDirectory(prefix="probation-kernel-") \
            if os.name == "posix" else None

    def manager(self, environment: dict[str, str] | None = None):
        """A kernel manager, not yet started, whose kernel listens in this directory and gets
        `environment` besides this process's own."""
        manager = _manager_class()
        if self._dir is None:
            return manager(kernel_name="python3", environment=environment)
        return manager(kernel_name="python3", transport="ipc",
                       ip=str(Path(self._dir.name) / "kernel"), environment=environment)

    def remove(self) -> None:
        if self._dir is not None:
            self._dir.cleanup()


#: Kernel managers whose kernels may be running: stopped by `kill_all` on Ctrl-C.
_LIVE: set = set()


@lru_cache(maxsize=1)
def _manager_class():
    """AsyncKernelManager that starts its kernel with extra environment variables.

    The build tells kernels where the data is through their environment, never by changing
    the environment of its own process (other threads, and the caller, keep theirs).
    """
    from jupyter_client.manager import AsyncKernelManager

    class _Manager(AsyncKernelManager):
        def __init__(self, *args, environment: dict[str, str] | None = None, **kwargs):
            super().__init__(*args, **kwargs)
            self._environment = dict(environment or {})

        async def start_kernel(self, **kw):
            kw["env"] = {**kw.get("env", os.environ), **self._environment}
            return await super().start_kernel(**kw)

    return _Manager


def _shutdown(km) -> None:
    _LIVE.discard(km)
    if km.has_kernel:
        from jupyter_core.utils import run_sync

        run_sync(km.shutdown_kernel)()


def kill_all() -> None:
    """Kill every kernel this process started and has not shut down (an interrupted build):
    kernels run in sessions of their own, so no Ctrl-C reaches them, and none may outlive the
    build."""
    import signal

    for km in list(_LIVE):
        _LIVE.discard(km)
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is None or process.poll() is not None:
            continue
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (OSError, AttributeError):
            process.kill()
        process.wait(timeout=10)


def parameterised(source: Path, parameters: dict) -> nbformat.NotebookNode:
    """The notebook with papermill's injected-parameters cell, exactly as papermill makes it."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    notebook = load_notebook_node(str(source))
    if not parameters:
        return notebook  # papermill injects no cell when it is given no parameters
    return parameterize_notebook(notebook, parameters, report_mode=False, kernel_name="python3",
                                 language="python")


def check_parameters(source: Path, parameters: dict) -> None:
    """Refuse a parameter the notebook does not declare (papermill would only warn)."""
    from papermill.inspection import inspect_notebook

    declared = set(inspect_notebook(str(source)))
    unknown = sorted(set(parameters) - declared)
    if unknown:
        raise NotebookFailed(f"{source.name} has no parameter {', '.join(unknown)}; its "
                             f"parameters: {', '.join(sorted(declared)) or 'none'}")


def run_fresh(source: Path, parameters: dict, cwd: Path,
              environment: dict[str, str] | None = None,
              timeout: float = TIMEOUT) -> nbformat.NotebookNode:
    """A plain papermill run: new kernel, run, shut down."""
    import papermill

    check_parameters(source, parameters)
    sockets = _Sockets()
    km = sockets.manager(environment)
    _LIVE.add(km)
    try:
        with _tmp_output() as output:
            try:
                papermill.execute_notebook(str(source), str(output), parameters=parameters,
                                           kernel_name="python3", progress_bar=False,
                                           log_output=False, cwd=str(cwd), km=km,
                                           execution_timeout=timeout,
                                           extra_arguments=KERNEL_ARGUMENTS)
            except Exception as error:
                executed = nbformat.read(output, as_version=4) if output.exists() else None
                raise NotebookFailed(describe_failure(error, executed, timeout)) from error
            return nbformat.read(output, as_version=4)
    finally:
        _shutdown(km)
        sockets.remove()


class WarmKernel:
    """One kernel reused for successive notebooks; not thread-safe (one per worker thread)."""

    def __init__(self, cwd: Path, environment: dict[str, str] | None = None,
                 timeout: float = TIMEOUT):
        self.cwd = Path(cwd)
        self.environment = environment
        self.timeout = timeout
        self.km = None
        self.kc: KernelClient | None = None
        self._sockets: _Sockets | None = None

    def run(self, source: Path, parameters: dict) -> nbformat.NotebookNode:
        from nbclient import NotebookClient

        check_parameters(source, parameters)
        notebook = parameterised(source, parameters)
        resources = {"metadata": {"path": str(self.cwd)}}
        if self.km is None:  # the first run starts the kernel and opens its channels
            self._sockets = _Sockets()
            self.km = self._sockets.manager(self.environment)
            _LIVE.add(self.km)
            client = NotebookClient(notebook, km=self.km, timeout=self.timeout,
                                    resources=resources, extra_arguments=KERNEL_ARGUMENTS)
            execute = partial(client.execute, cleanup_kc=False, cwd=str(self.cwd))
        else:
            self._reset()
            client = self._client(notebook, resources=resources)
            execute = client.execute
        try:
            execute()
        except BaseException as error:
            self.kc = client.kc
            self.close()  # a failed run may leave state behind: the next one gets a new kernel
            if isinstance(error, Exception):
                raise NotebookFailed(describe_failure(error, notebook, self.timeout)) \
                    from error
            raise
        self.kc = client.kc  # unchanged after the first run, which opened it
        return notebook

    def _reset(self) -> None:
        """Empty the user namespace so that no name survives from the previous notebook."""
        reset = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
            "%reset -f\nimport matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt")])
        self._client(reset).execute()

    def _client(self, notebook: nbformat.NotebookNode, **kwargs):
        """A client for the running kernel that reuses its channels.

        NotebookClient takes no kernel client argument: left to itself it opens new channels (and
        a heartbeat thread) on every run and never closes them, so memory grows with each report.
        """
        from nbclient import NotebookClient

        client = NotebookClient(notebook, km=self.km, timeout=self.timeout, **kwargs)
        client.kc = self.kc
        return client

    def close(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None:
            _shutdown(self.km)
        if self._sockets is not None:
            self._sockets.remove()
        self.km = self.kc = self._sockets = None


class _tmp_output:
    def __enter__(self) -> Path:
        import tempfile

        self._dir = tempfile.TemporaryDirectory(prefix="probation-run-")
        return Path(self._dir.name) / "executed.ipynb"

    def __exit__(self, *exc) -> None:
        self._dir.cleanup()
