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
from functools import lru_cache
from pathlib import Path
from typing import Any

import nbformat

#: The kernel talks to this process over loopback only; its start-up notice about unencrypted
#: TCP is noise in build logs.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]
#: What a warm kernel is started with: as nbclient starts one, history kept in memory only (no
#: history database shared by concurrent kernels).
START_ARGUMENTS = [*KERNEL_ARGUMENTS, "--HistoryManager.hist_file=:memory:"]
#: Seconds a starting kernel may take to answer before it is taken for dead.
START_TIMEOUT = 120
#: Kernels tried, each fresh, before a report fails because no kernel would start.
START_ATTEMPTS = 2
#: What `WarmKernel.warm_up` imports: the libraries every report notebook imports (pandas,
#: matplotlib, seaborn, scipy through the package's report modules; pyarrow through load()).
#: It reads no data. Last, the objects these imports made are frozen out of the garbage
#: collector's view: they live as long as the kernel, and each notebook's namespace reset
#: (`%reset`, which collects garbage) would otherwise walk them all again (a fifth of a second
#: a report).
WARM_UP = (
    "import pyarrow.parquet\n"
    "import probation_inspections\n"
    "import probation_inspections.report.figures\n"
    "import probation_inspections.report.html\n"
    "import probation_inspections.report.setup\n"
    "import gc\n"
    "gc.freeze()"
)
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
        return (
            f"cell{where} timed out after {timeout:g} s (a longer limit: build "
            "--cell-timeout SECONDS)"
        )
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


#: The longest path of a Unix-domain socket: `sun_path` holds 108 bytes on Linux and 104 on
#: macOS, the closing NUL included. A longer one cannot be bound by the kernel nor connected to.
SOCKET_PATH_MAX = 103
_SOCKETS_PREFIX = "probation-"  # tempfile adds 8 random characters
_SOCKET_NAME = "k"  # jupyter_client names a kernel's five sockets `k-1` ... `k-5`


def _socket_parent() -> str | None:
    """Where a kernel's socket directory goes: the temporary folder if the sockets' paths fit
    there, else /tmp; None if neither will do (then kernels use TCP)."""
    for parent in (tempfile.gettempdir(), "/tmp"):  # noqa: S108 - a private folder is made in it
        longest = os.path.join(parent, _SOCKETS_PREFIX + "x" * 8, f"{_SOCKET_NAME}-99")
        if len(os.fsencode(longest)) <= SOCKET_PATH_MAX and os.path.isdir(parent):
            return parent
    return None


class _Sockets:
    """A private directory for one kernel's sockets, removed with the kernel.

    Over TCP a kernel is handed ports that were free when they were chosen; with several kernels
    starting at once (and the ephemeral ports of every other connection on the machine) one of
    them can be taken before the kernel binds it, and the kernel dies at start-up. Unix-domain
    sockets in a directory of their own cannot collide. A socket's path has a short limit
    (SOCKET_PATH_MAX): below a deep temporary folder (a test's, say) the directory is made in
    /tmp instead. Where Unix-domain sockets are not available (Windows), or no folder is short
    enough, kernels keep TCP.
    """

    def __init__(self):
        parent = _socket_parent() if os.name == "posix" else None
        self._dir = (
            tempfile.TemporaryDirectory(prefix=_SOCKETS_PREFIX, dir=parent) if parent else None
        )

    def manager(self, environment: dict[str, str] | None = None):
        """A kernel manager, not yet started, whose kernel listens in this directory and gets
        `environment` besides this process's own."""
        manager = _manager_class()
        if self._dir is None:
            return manager(kernel_name="python3", environment=environment)
        return manager(
            kernel_name="python3",
            transport="ipc",
            ip=str(Path(self._dir.name) / _SOCKET_NAME),
            environment=environment,
        )

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
    """Stop the kernel of `km` and free the sockets its manager holds, whatever state it is in
    (running, dead, or never reachable); never raises.

    The kernel is killed, not asked to shut down: a kernel let go has finished its work or is
    being replaced, so it has nothing to save, and ipykernel's own shutdown can race with its
    output thread and print a traceback into the build's output. Nothing is left to the garbage
    collector: a zmq context it destroys at exit while a socket is still open waits for ever,
    and the build never ends.
    """
    from jupyter_core.utils import run_sync

    _LIVE.discard(km)
    _kill(km)
    try:
        run_sync(km.cleanup_resources)()
    except Exception:  # noqa: BLE001, S110 - its context is destroyed below all the same
        pass
    if not km.context.closed:
        km.context.destroy(linger=0)


def _close_client(kc) -> None:
    """Stop a kernel client's channels and destroy its zmq context (every socket in it, one
    left half-open by a failed connection included); never raises."""
    try:
        kc.stop_channels()
    except Exception:  # noqa: BLE001, S110 - a channel that never opened: its socket goes below
        pass
    if not kc.context.closed:
        kc.context.destroy(linger=0)


def _kill(km) -> None:
    """SIGKILL the kernel's process group (kernels run in sessions of their own) and reap it."""
    import signal

    process = getattr(getattr(km, "provisioner", None), "process", None)
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (OSError, AttributeError):
        process.kill()
    process.wait(timeout=10)


def kill_all() -> None:
    """Kill every kernel this process started and has not shut down (an interrupted build):
    kernels run in sessions of their own, so no Ctrl-C reaches them, and none may outlive the
    build."""
    for km in list(_LIVE):
        _LIVE.discard(km)
        _kill(km)


def parameterised(source: Path, parameters: dict) -> nbformat.NotebookNode:
    """The notebook with papermill's injected-parameters cell, exactly as papermill makes it."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    notebook = load_notebook_node(str(source))
    if not parameters:
        return notebook  # papermill injects no cell when it is given no parameters
    return parameterize_notebook(
        notebook, parameters, report_mode=False, kernel_name="python3", language="python"
    )


def check_parameters(source: Path, parameters: dict) -> None:
    """Refuse a parameter the notebook does not declare (papermill would only warn)."""
    from papermill.inspection import inspect_notebook

    declared = set(inspect_notebook(str(source)))
    unknown = sorted(set(parameters) - declared)
    if unknown:
        raise NotebookFailed(
            f"{source.name} has no parameter {', '.join(unknown)}; its "
            f"parameters: {', '.join(sorted(declared)) or 'none'}"
        )


def run_fresh(
    source: Path,
    parameters: dict,
    cwd: Path,
    environment: dict[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> nbformat.NotebookNode:
    """A plain papermill run: new kernel, run, shut down."""
    import papermill

    check_parameters(source, parameters)
    sockets = _Sockets()
    km = sockets.manager(environment)
    _LIVE.add(km)
    try:
        with _tmp_output() as output:
            try:
                papermill.execute_notebook(
                    str(source),
                    str(output),
                    parameters=parameters,
                    kernel_name="python3",
                    progress_bar=False,
                    log_output=False,
                    cwd=str(cwd),
                    km=km,
                    execution_timeout=timeout,
                    extra_arguments=KERNEL_ARGUMENTS,
                )
            except Exception as error:
                executed = nbformat.read(output, as_version=4) if output.exists() else None
                raise NotebookFailed(describe_failure(error, executed, timeout)) from error
            return nbformat.read(output, as_version=4)
    finally:
        _shutdown(km)
        sockets.remove()


class KernelDied(NotebookFailed):
    """No kernel could be started: each died at start-up, or never answered."""


def _start_problem(error: BaseException, timeout: float) -> str:
    """What went wrong with one kernel start, in words."""
    text = str(error)
    if "died before replying" in text:
        return "the kernel died at start-up"
    if "didn't respond" in text:
        return f"the kernel did not answer within {timeout:g} s of its start"
    lines = text.strip().splitlines()
    return f"the kernel could not be started ({type(error).__name__}: {lines[-1] if lines else ''})"


class WarmKernel:
    """One kernel reused for successive notebooks; not thread-safe (one per worker thread).

    The kernel is started by `start` (or by the first `run`), on the thread that runs the
    notebooks. A start waits until the kernel answers, at most `start_timeout` seconds, and
    watches that its process stays alive meanwhile; a kernel that dies at start-up, or never
    answers, is killed and replaced by a fresh one, up to START_ATTEMPTS kernels in all. A kernel
    found dead between two notebooks is replaced the same way before the next one runs.
    """

    def __init__(
        self,
        cwd: Path,
        environment: dict[str, str] | None = None,
        timeout: float = TIMEOUT,
        start_timeout: float = START_TIMEOUT,
    ):
        self.cwd = Path(cwd)
        self.environment = environment
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.km: Any = None  # an AsyncKernelManager
        self.kc: Any = None  # its AsyncKernelClient
        self._sockets: _Sockets | None = None
        self._used = False  # a notebook ran in this kernel: empty its namespace first

    def start(self) -> None:
        """Start the kernel, unless one is running: raises KernelDied if none would start."""
        from jupyter_core.utils import run_sync

        if self.km is not None:
            if run_sync(self.km.is_alive)():
                return
            self.close()  # died since its last notebook: a fresh one takes its place
        problems = []
        for _attempt in range(START_ATTEMPTS):
            try:
                self._start_once()
                return
            except Exception as error:  # noqa: BLE001 - every failed start gets a fresh kernel
                problems.append(_start_problem(error, self.start_timeout))
                self.close()
        raise KernelDied(
            f"no kernel would start: {problems[-1]} (tried {START_ATTEMPTS} fresh kernels)"
        )

    def _start_once(self) -> None:
        from jupyter_core.utils import run_sync

        self._sockets = _Sockets()
        self.km = self._sockets.manager(self.environment)
        _LIVE.add(self.km)
        run_sync(self.km.start_kernel)(extra_arguments=START_ARGUMENTS, cwd=str(self.cwd))
        self.kc = self.km.client()
        self.kc.start_channels()
        # Asks for the kernel's info until it answers; raises if the kernel's process ends
        # (checked each second) or `start_timeout` passes.
        run_sync(self.kc.wait_for_ready)(timeout=self.start_timeout)
        self.kc.allow_stdin = False

    def warm_up(self) -> None:
        """Start the kernel and import what every notebook imports (WARM_UP), so that the first
        notebook runs as fast as the next; raises NotebookFailed if that fails (the kernel is
        closed then, and the next run starts a fresh one).

        A notebook run after it starts from an emptied namespace, as after any other notebook:
        only the imported modules remain.
        """
        self.start()
        warm = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(WARM_UP)])
        try:
            self._used = True
            self._client(warm).execute()
        except Exception as error:
            self.close()
            raise NotebookFailed(describe_failure(error, warm, self.timeout)) from error

    def run(self, source: Path, parameters: dict) -> nbformat.NotebookNode:
        check_parameters(source, parameters)
        notebook = parameterised(source, parameters)
        self.start()
        client = self._client(notebook, resources={"metadata": {"path": str(self.cwd)}})
        try:
            if self._used:
                self._reset()
            self._used = True
            client.execute()
        except BaseException as error:
            self.close()  # a failed run may leave state behind: the next one gets a new kernel
            if isinstance(error, Exception):
                raise NotebookFailed(describe_failure(error, notebook, self.timeout)) from error
            raise
        return notebook

    def _reset(self) -> None:
        """Empty the user namespace so that no name survives from the previous notebook."""
        reset = nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_code_cell(
                    "%reset -f\nimport matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt"
                )
            ]
        )
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
        """Stop the kernel (see `_shutdown`) and free its sockets; never raises."""
        kc, km, sockets = self.kc, self.km, self._sockets
        self.km = self.kc = self._sockets = None
        self._used = False
        if kc is not None:
            _close_client(kc)
        if km is not None:
            _shutdown(km)
        if sockets is not None:
            sockets.remove()


class _tmp_output:
    def __enter__(self) -> Path:
        import tempfile

        self._dir = tempfile.TemporaryDirectory(prefix="probation-run-")
        return Path(self._dir.name) / "executed.ipynb"

    def __exit__(self, *exc) -> None:
        self._dir.cleanup()
