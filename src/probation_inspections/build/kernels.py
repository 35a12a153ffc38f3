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
TIMEOUT = 600


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
    if km.has_kernel:
        from jupyter_core.utils import run_sync

        run_sync(km.shutdown_kernel)()


def parameterised(source: Path, parameters: dict) -> nbformat.NotebookNode:
    """The notebook with papermill's injected-parameters cell, exactly as papermill makes it."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    notebook = load_notebook_node(str(source))
    if not parameters:
        return notebook  # papermill injects no cell when it is given no parameters
    return parameterize_notebook(notebook, parameters, report_mode=False, kernel_name="python3",
                                 language="python")


def run_fresh(source: Path, parameters: dict, cwd: Path,
              environment: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """A plain papermill run: new kernel, run, shut down."""
    import papermill

    sockets = _Sockets()
    km = sockets.manager(environment)
    try:
        with _tmp_output() as output:
            papermill.execute_notebook(str(source), str(output), parameters=parameters,
                                       kernel_name="python3", progress_bar=False,
                                       log_output=False, cwd=str(cwd), km=km,
                                       extra_arguments=KERNEL_ARGUMENTS)
            return nbformat.read(output, as_version=4)
    finally:
        _shutdown(km)
        sockets.remove()


class WarmKernel:
    """One kernel reused for successive notebooks; not thread-safe (one per worker thread)."""

    def __init__(self, cwd: Path, environment: dict[str, str] | None = None):
        self.cwd = Path(cwd)
        self.environment = environment
        self.km = None
        self.kc: KernelClient | None = None
        self._sockets: _Sockets | None = None

    def run(self, source: Path, parameters: dict) -> nbformat.NotebookNode:
        from nbclient import NotebookClient

        notebook = parameterised(source, parameters)
        resources = {"metadata": {"path": str(self.cwd)}}
        if self.km is None:  # the first run starts the kernel and opens its channels
            self._sockets = _Sockets()
            self.km = self._sockets.manager(self.environment)
            client = NotebookClient(notebook, km=self.km, timeout=TIMEOUT, resources=resources,
                                    extra_arguments=KERNEL_ARGUMENTS)
            execute = partial(client.execute, cleanup_kc=False, cwd=str(self.cwd))
        else:
            self._reset()
            client = self._client(notebook, resources=resources)
            execute = client.execute
        try:
            execute()
        except BaseException:
            self.kc = client.kc
            self.close()  # a failed run may leave state behind: the next one gets a new kernel
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

        client = NotebookClient(notebook, km=self.km, timeout=TIMEOUT, **kwargs)
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
