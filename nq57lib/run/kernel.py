"""One Jupyter kernel for a whole run: started early, warmed up, reset between notebooks.

Papermill accepts a running kernel manager, so the three notebooks of every period share
one kernel whose namespace is cleared between them; pandas, matplotlib and nq57lib are
imported once per run rather than once per notebook.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import shutil
import tempfile
import threading
import time
import types
from collections.abc import Iterator
from pathlib import Path

from nq57lib.core.errors import NotebookExecutionError

KERNEL_NAME = "python3"

KERNEL_START_TIMEOUT_S = 60
# No input history: nobody recalls a notebook's cells in the run's kernel, and its SQLite
# writes and kept outputs cost every cell of every ward of a batch.
KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]

# Run between notebooks in the shared kernel: no variable, output or figure survives from
# one notebook to the next, while imported modules (the slow part) stay loaded. `%reset -f`
# would do it in 0.16 s (a full garbage collection and a history write); this takes 5 ms.
RESET_CODE = """
def _nq57_reset(ip=get_ipython()):
    import re, sys
    for name in [n for n in list(ip.user_ns) if not n.startswith("_")
                 and n not in ip.user_ns_hidden]:
        del ip.user_ns[name]
    # The displayed results: Out and _, __, ___, _N (what DisplayHook.flush clears, without
    # its full garbage collection).
    ip.user_ns["Out"].clear()
    for name in [n for n in ip.user_ns if re.fullmatch(r"_\\d+", n)]:
        del ip.user_ns[name]
    ip.displayhook._ = ip.displayhook.__ = ip.displayhook.___ = ""
    ip.user_ns.update({"_": "", "__": "", "___": ""})
    # IPython 9 also keeps every output's mime bundle (the briefing's HTML, its charts) and
    # every exception in its history, for %notebook: a batch of wards would keep them all.
    for kept in ("outputs", "exceptions"):
        store = getattr(ip.history_manager, kept, None)
        if hasattr(store, "clear"):
            store.clear()
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
_nq57_reset()
del _nq57_reset
"""

# Imported in the kernel as soon as it starts (best effort: a failure here is ignored and
# resurfaces, with its real message, in the notebook that needs the module).
WARM_UP_CODE = """
import importlib
for _name in ("pandas", "matplotlib", "matplotlib_inline.backend_inline", "nq57lib.collect.ingest",
              "nq57lib.assess.compare", "nq57lib.report.charts", "nq57lib.report.briefing"):
    try:
        importlib.import_module(_name)
    except Exception:
        pass
del _name, importlib
# What the imports made lives as long as the kernel: the collector need not scan it again.
import gc
gc.freeze()
del gc
"""


@contextlib.contextmanager
def quiet(logger_name: str, level: int = logging.ERROR) -> Iterator[None]:
    """Silence a library's warnings we have already turned into checks of our own."""
    logger = logging.getLogger(logger_name)
    before = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(before)


class Kernel:
    """One python3 kernel for the whole run, over IPC sockets in a private folder.

    Right after start it is asked to import what the notebooks need; that runs in the
    kernel's process while this one validates the notebooks and loads the renderers.
    The kernel works on no project of its own: each notebook is told its project's folder
    by its ``project`` parameter, so a batch of wards shares the kernel safely. Its cwd is
    the notebooks' folder.
    """

    def __init__(self, cwd: Path):
        self.cwd = cwd
        self.km = None
        self._sockets: str | None = None
        self._warmer: threading.Thread | None = None

    def start(self):
        from jupyter_client.kernelspec import NoSuchKernel

        self._sockets = tempfile.mkdtemp(prefix="nq57-kernel-")
        # IPC rather than TCP: no open port, no "running over TCP without encryption" noise.
        self.km = tracking_manager()(
            kernel_name=KERNEL_NAME, transport="ipc", ip=os.path.join(self._sockets, "k")
        )
        try:
            self.km.start_kernel(
                cwd=str(self.cwd), env=dict(os.environ), extra_arguments=KERNEL_ARGUMENTS
            )
        except NoSuchKernel:
            raise NotebookExecutionError(
                "kernel", None, "NoSuchKernel",
                f"no Jupyter kernel named {KERNEL_NAME!r}; run `make install` (ipykernel)",
            ) from None  # fmt: skip
        # Imports run in the kernel while this process validates notebooks and loads the
        # renderers; the first notebook waits for them (see ensure).
        self._warmer = threading.Thread(target=self._run_code, args=(WARM_UP_CODE,), daemon=True)
        self._warmer.start()
        return self.km

    def _run_code(self, code: str) -> bool:
        """Run ``code`` on a client of its own; False if the kernel does not answer.

        Only the shell channel is used: the reply is queued for us even if it comes before
        we listen, so there is no need for the IOPub handshake of ``wait_for_ready``.
        """
        client = None
        try:
            # Inside the try: a Ctrl-C during start-up may close the kernel before the
            # client's channels open, and the warm-up thread must end quietly then too.
            client = self.km.client()
            client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
            msg_id = client.execute(code, silent=True, store_history=False, allow_stdin=False)
            while (
                client.get_shell_msg(timeout=KERNEL_START_TIMEOUT_S)["parent_header"].get("msg_id")
                != msg_id
            ):
                continue
        except queue.Empty:
            return False
        except Exception:  # broad on purpose: the kernel was shut down under us (Ctrl-C)
            return False
        finally:
            if client is not None:
                with contextlib.suppress(Exception):
                    client.stop_channels()
        return True

    def ensure(self):
        """The running kernel, warmed up; a dead one is replaced first."""
        if self.km is None or not self.km.is_alive():
            self.stop()
            self.start()
        if self._warmer is not None:
            self._warmer.join()
            self._warmer = None
        return self.km

    def reset(self) -> None:
        """Clear the namespace between notebooks (a dead kernel is restarted instead)."""
        if self.km is None:
            return
        self.km.close_clients()
        if self.km.is_alive() and not self._run_code(RESET_CODE):
            self.stop()  # an unresponsive kernel is replaced before the next notebook

    def stop(self) -> None:
        if self._warmer is not None:
            self._warmer.join()
            self._warmer = None
        if self.km is not None:
            self.km.close_clients()
            with contextlib.suppress(RuntimeError):
                self.km.shutdown_kernel(now=True)
            self.km = None
        if self._sockets:
            shutil.rmtree(self._sockets, ignore_errors=True)
            self._sockets = None

    def kill(self) -> None:
        """The run is interrupted: SIGKILL the kernel's process and forget it.

        Nothing of jupyter_client is called: the interruption may have left papermill's
        event loop with tasks half run, and a shutdown through that loop resumes them on
        sockets being closed (zmq then aborts the process). The warm-up thread, a daemon,
        is not waited for either: its answer may never come.
        """
        self._warmer = None
        km, self.km = self.km, None
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None:
            with contextlib.suppress(OSError):
                process.kill()
        if self._sockets:
            shutil.rmtree(self._sockets, ignore_errors=True)
            self._sockets = None


async def _quick_ready(client, timeout: float | None = None) -> None:
    """The kernel answers kernel_info and IOPub is connected; what IOPub holds now is
    drained without waiting for silence (nbclient matches every message to its request)."""
    from jupyter_core.utils import ensure_async

    deadline = time.monotonic() + (KERNEL_START_TIMEOUT_S if timeout is None else timeout)
    while True:
        client.kernel_info()
        try:
            reply = await ensure_async(client.shell_channel.get_msg(timeout=1))
        except queue.Empty:
            reply = None
        if reply is not None and reply["msg_type"] == "kernel_info_reply":
            try:  # IOPub is connected once the kernel's status for this request arrives
                await ensure_async(client.iopub_channel.get_msg(timeout=0.2))
            except queue.Empty:
                pass
            else:
                client._handle_kernel_info_reply(reply)
                break
        if time.monotonic() > deadline:
            raise RuntimeError(f"the kernel did not answer in {KERNEL_START_TIMEOUT_S} s")
    while True:
        try:
            await ensure_async(client.iopub_channel.get_msg(timeout=0))
        except queue.Empty:
            return


def tracking_manager():
    """A KernelManager that remembers the clients it hands out, so that they can be closed.

    nbclient leaves the channels of its client open when the kernel manager is not its
    own (we pass ours to reuse one kernel), which would leak a few threads per notebook.
    """
    from jupyter_client.manager import KernelManager
    from jupyter_core.utils import run_sync

    class TrackingKernelManager(KernelManager):
        def client(self, **kwargs):
            client = super().client(**kwargs)
            # nbclient waits for a new client to be ready before each notebook; the stock
            # wait ends with 0.2 s of IOPub silence, which our warmed kernel never needs.
            client.wait_for_ready = types.MethodType(run_sync(_quick_ready), client)
            self.__dict__.setdefault("_nq57_clients", []).append(client)
            return client

        def close_clients(self) -> None:
            for client in self.__dict__.pop("_nq57_clients", []):
                if client.channels_running:
                    client.stop_channels()

    return TrackingKernelManager
