"""Run parameterised notebooks the way papermill does, in kernels kept warm between runs.

A kernel start and the imports a notebook makes (pandas, seaborn, matplotlib) cost seconds; a
build that runs the same notebook for many inspections pays them once per worker instead of once
per notebook. Each run is parameterised by papermill itself (the same injected cell), starts from
an emptied namespace, and yields the same outputs as a fresh `papermill` run (tests/test_build.py
compares the pages both produce; tests/test_kernels.py checks the reuse itself).
"""

from __future__ import annotations

from pathlib import Path

import nbformat

#: The kernel talks to this process over loopback only; its start-up notice about unencrypted
#: TCP is noise in build logs.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]
TIMEOUT = 600


def parameterised(source: Path, parameters: dict) -> nbformat.NotebookNode:
    """The notebook with papermill's injected-parameters cell, exactly as papermill makes it."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    notebook = load_notebook_node(str(source))
    if not parameters:
        return notebook  # papermill injects no cell when it is given no parameters
    return parameterize_notebook(notebook, parameters, report_mode=False, kernel_name="python3",
                                 language="python")


def run_fresh(source: Path, parameters: dict, cwd: Path) -> nbformat.NotebookNode:
    """A plain papermill run: new kernel, run, shut down."""
    import papermill

    with _tmp_output() as output:
        papermill.execute_notebook(str(source), str(output), parameters=parameters,
                                   kernel_name="python3", progress_bar=False, log_output=False,
                                   cwd=str(cwd), extra_arguments=KERNEL_ARGUMENTS)
        return nbformat.read(output, as_version=4)


class WarmKernel:
    """One kernel reused for successive notebooks; not thread-safe (one per worker thread)."""

    def __init__(self, cwd: Path):
        self.cwd = Path(cwd)
        self.km = None
        self.kc = None

    def run(self, source: Path, parameters: dict) -> nbformat.NotebookNode:
        from nbclient import NotebookClient

        notebook = parameterised(source, parameters)
        resources = {"metadata": {"path": str(self.cwd)}}
        if self.km is None:
            client = NotebookClient(notebook, kernel_name="python3", timeout=TIMEOUT,
                                    resources=resources, extra_arguments=KERNEL_ARGUMENTS)
            try:
                client.execute(cleanup_kc=False, cwd=str(self.cwd))
            finally:
                self.km, self.kc = client.km, client.kc
            return notebook
        self._reset()
        client = self._client(notebook, resources=resources)
        try:
            client.execute()
        except BaseException:
            self.close()  # a failed run may leave state behind: the next one gets a new kernel
            raise
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
        if self.km is not None and self.km.has_kernel:
            from jupyter_core.utils import run_sync

            run_sync(self.km.shutdown_kernel)()
        self.km = self.kc = None


class _tmp_output:
    def __enter__(self) -> Path:
        import tempfile

        self._dir = tempfile.TemporaryDirectory(prefix="probation-run-")
        return Path(self._dir.name) / "executed.ipynb"

    def __exit__(self, *exc) -> None:
        self._dir.cleanup()
