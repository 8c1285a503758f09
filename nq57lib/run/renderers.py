"""Render processes: HTML and PDF made beside the kernel, on the machine's other core.

nbconvert and WeasyPrint take 0.7 s to import and about 2 s to lay out a briefing; in the
run's own process they would also hold the interpreter lock that the notebooks' client
needs. So a run hands rendering to processes of its own (:class:`RenderPool`), started
when the run starts so that they import while the kernel does. Each takes jobs from one
queue, in order: a job names a function of :mod:`nq57lib.report.render` and its
arguments (paths, strings, numbers) and gets back its result or its error.

Memory decides how many: a kernel holds about 160 MB and a render process up to 150 MB
while it lays out a briefing, and a run stays under 400 MB. So while the kernel works only
one process lays out; a second one is added when the kernel has stopped (or from the start
when the run has one period, since then nothing is laid out while the kernel works), and
the last period's PDF is laid out in two parts at once (:mod:`nq57lib.report.parts`).

Errors come back as what they were, pickled: any :class:`~nq57lib.core.errors.Nq57Error`
with its fields (they pickle by design), an ``OSError`` with its errno and paths (the
pipeline turns it into a :class:`SystemRefusalError`). Anything else — a bug, or an error
of a library that does not pickle — and a process that dies (a crash in a system
library, the out-of-memory killer) fail that job as a :class:`RenderError` naming what
happened; the next job gets a new process.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
import time
import traceback
from concurrent.futures import Future, InvalidStateError, wait
from pathlib import Path

from nq57lib.core.errors import EngineUnavailableError, Nq57Error, RenderError

# What a render process may be asked to do: names of nq57lib.report.render functions.
JOBS = ("warm_up", "render_notebook", "write_html", "write_part", "join_numbered")
CLOSE_TIMEOUT_S = 5
STOPPED = "the run is stopping"
_MAIN = "from nq57lib.run.renderers import main; main()"
_STOP = None


def serve(conn, engine: str) -> None:
    """A render process's life: import, say whether ``engine`` can run, then do jobs.
    It ends quietly when the run has gone (its pipes closed), whatever it was doing."""
    # Ctrl-C reaches every process of the terminal; the run decides what stops, and when.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_parent()
    try:
        from nq57lib.report import render
    except Exception as error:  # a broken installation: every job will say so
        conn.send(("broken", _describe(error)))
        return
    problem = None
    try:
        with _libraries_from_ldconfig():
            render.check_engine(engine)
    except EngineUnavailableError as error:
        problem = error
    conn.send(("ready", problem))
    # Laying out a briefing makes a few million objects; the cyclic collector, run again
    # and again as they pile up, took 0.6 s of a 2.3 s layout. So it runs once after each
    # job (0.3 s, its answer already sent), and never over what the imports made.
    gc.freeze()
    gc.disable()
    while True:
        try:
            message = conn.recv()
        except EOFError:  # the run has gone
            return
        if message is _STOP:
            return
        name, args, kwargs = message
        try:
            conn.send(("ok", getattr(render, name)(*args, **kwargs)))
        except Exception as error:  # every failure goes back to the job's caller
            conn.send(("error", _describe(error)))
        gc.collect()


@contextlib.contextmanager
def _libraries_from_ldconfig():
    """WeasyPrint opens each system library (Pango, HarfBuzz …) by trying up to six names,
    and each name that is not a file is looked up by ``ctypes.util.find_library``, which
    starts ldconfig, gcc and ld: some twenty processes and 0.2 s at every start of a render
    process. Here one ``ldconfig -p`` answers every name; a name it does not list is
    reported missing at once, and WeasyPrint goes on to the library's soname
    (``libpango-1.0.so.0``), which the dynamic loader finds wherever it is installed."""
    import ctypes.util

    try:
        listing = subprocess.run(
            ["ldconfig", "-p"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        yield  # no ldconfig: the standard lookup
        return
    # "libpango-1.0.so.0 (libc6,x86-64) => /usr/lib/…": this process's word size only.
    wide = sys.maxsize > 2**32
    sonames = {}
    for line in listing.splitlines()[1:]:
        name, _, rest = line.strip().partition(" ")
        flags = rest.partition(")")[0]
        if name.startswith("lib") and ".so" in name and ("64" in flags) == wide:
            sonames.setdefault(name[3:].split(".so", 1)[0], name)
    standard = ctypes.util.find_library
    ctypes.util.find_library = lambda name: sonames.get(name.removeprefix("lib"))
    try:
        yield
    finally:
        ctypes.util.find_library = standard


def _plain(value):
    """Paths as strings, in lists and tuples too: what crosses the pipe is plain data."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _describe(error: BaseException) -> Exception:
    """The error to send back: itself when it is nq57's or the system's (both pickle with
    their fields), else a :class:`RenderError` naming it and where it was raised."""
    where = traceback.extract_tb(error.__traceback__)[-1:]
    place = f" ({Path(where[0].filename).name}:{where[0].lineno})" if where else ""
    if isinstance(error, Nq57Error | OSError):
        error.__traceback__ = None  # tracebacks do not pickle; the fields say it all
        try:
            pickle.dumps(error)
            return error
        except Exception:  # an OSError subclass of a library with an odd constructor
            pass
    return RenderError("pdf", f"the render process failed: {type(error).__name__}: {error}{place}")


class _Channel:
    """Python objects over a pair of byte streams (the render process is nq57's own)."""

    def __init__(self, reading, writing):
        self.reading, self.writing = reading, writing

    def send(self, message) -> None:
        pickle.dump(message, self.writing, protocol=pickle.HIGHEST_PROTOCOL)
        self.writing.flush()

    def recv(self):
        return pickle.load(self.reading)  # EOFError once the other side has gone

    def close(self) -> None:
        for stream in (self.writing, self.reading):
            with contextlib.suppress(OSError, ValueError):
                stream.close()


def main() -> None:
    """The render process: ``python -P -c "from nq57lib.run.renderers import main; main()" ENGINE``.

    Its jobs come on stdin and its answers go on a private copy of stdout; what a library
    prints goes to stderr and can never break the exchange.
    """
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    try:
        serve(_Channel(sys.stdin.buffer, answers), sys.argv[1])
    except (EOFError, OSError, pickle.PickleError):
        # The run has gone (killed, or it stopped us): nobody reads an answer or a
        # traceback. Exit at once, without flushing into the broken pipe at shutdown.
        os._exit(0)


PARENT_POLL_S = 0.5


def _end_with_parent() -> None:
    """Exit quietly as soon as the run that started this process is gone, even in the
    middle of a layout (a run killed with ``kill -9`` cannot stop its render processes)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_S)
        os._exit(0)

    threading.Thread(target=watch, name="nq57-parent", daemon=True).start()


class _Process:
    """One render process and the pipes to it."""

    def __init__(self, engine: str):
        command = [sys.executable, "-P", "-c", _MAIN, engine]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.conn = _Channel(self.process.stdout, self.process.stdin)
        # Set by ready(): why every job must fail (a broken installation), if it must.
        self.broken: Exception | None = None

    def ready(self) -> EngineUnavailableError | None:
        """Wait for the imports; why the engine cannot run, or None."""
        try:
            kind, detail = self.conn.recv()
        except (EOFError, OSError, pickle.UnpicklingError):
            self.broken = RenderError("pdf", self.died())
            return None
        if kind == "broken":
            self.broken = detail
            return None
        return detail

    def call(self, name: str, args: tuple, kwargs: dict) -> tuple:
        if self.broken:
            return ("error", self.broken)
        self.conn.send((name, args, kwargs))
        return self.conn.recv()

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(_STOP)
        self.conn.close()
        try:
            self.process.wait(CLOSE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def died(self) -> str:
        try:
            code = self.process.wait(CLOSE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            code = None
        return f"the render process stopped unexpectedly (exit code {code})"


class RenderPool:
    """Render processes taking jobs from one queue; :meth:`submit` returns a Future."""

    def __init__(self, engine: str = "weasyprint"):
        self.engine = engine
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._feeders: list[threading.Thread] = []
        self._processes: set[_Process] = set()
        self._engine_problem: Future = Future()
        self._lock = threading.Lock()
        self._closed = False
        self._last_ready: threading.Event | None = None

    @property
    def size(self) -> int:
        return len(self._feeders)

    def add_process(self) -> None:
        """Start one more render process; it takes jobs once it has imported. Processes
        import one after another: two at once would take both cores from the kernel."""
        with self._lock:
            if self._closed:
                return
            ready = threading.Event()
            feeder = threading.Thread(
                target=self._feed, args=(self._last_ready, ready), name="nq57-render", daemon=True
            )
            self._last_ready = ready
            self._feeders.append(feeder)
            feeder.start()

    def engine_problem(self) -> EngineUnavailableError | None:
        """Why the PDF engine cannot run (as the first process found), or None."""
        return self._engine_problem.result()

    def submit(self, name: str, *args, **kwargs) -> Future:
        """Queue ``nq57lib.report.render.<name>(*args, **kwargs)`` (one of :data:`JOBS`)."""
        if name not in JOBS:
            raise ValueError(f"not a render job: {name}")
        future: Future = Future()
        with self._lock:
            if self._closed:  # the run is stopping: no process will take it
                future.set_exception(RenderError("pdf", STOPPED))
                return future
            self._jobs.put((future, name, _plain(args), {k: _plain(v) for k, v in kwargs.items()}))
        return future

    def close(self) -> None:
        """Stop the processes: jobs not started fail at once, running ones are abandoned
        (their process killed, they fail too); later jobs fail as they are submitted."""
        with self._lock:
            self._closed = True
            feeders = list(self._feeders)
            running = list(self._processes)
        with contextlib.suppress(queue.Empty):
            while True:
                job = self._jobs.get_nowait()
                if job is not _STOP:
                    # Failed, not cancel()ed: a cancelled Future wakes no one blocked in
                    # concurrent.futures.wait() (render_briefing's), which then hung.
                    with contextlib.suppress(InvalidStateError):
                        job[0].set_exception(RenderError("pdf", STOPPED))
        for process in running:
            process.kill()
        for _ in feeders:
            self._jobs.put(_STOP)
        # No render thread may wait for an answer no process will give.
        if not self._engine_problem.done():
            with contextlib.suppress(Exception):
                self._engine_problem.set_result(None)
        for feeder in feeders:
            feeder.join(2 * CLOSE_TIMEOUT_S)  # bounded: a daemon thread, ended with us

    def _start(self) -> _Process:
        process = _Process(self.engine)
        with self._lock:
            self._processes.add(process)
            if self._closed:  # closed while it started: close() did not see it
                process.kill()
        problem = process.ready()
        if not self._engine_problem.done():
            with contextlib.suppress(Exception):  # another feeder may have set it first
                self._engine_problem.set_result(problem)
        return process

    def _end(self, process: _Process) -> None:
        with self._lock:
            self._processes.discard(process)
        process.stop()

    def _feed(self, previous: threading.Event | None, ready: threading.Event) -> None:
        if previous is not None:
            previous.wait()
        try:
            process = self._start()
        finally:
            ready.set()
        try:
            while (job := self._jobs.get()) is not _STOP:
                future, name, args, kwargs = job
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    kind, payload = process.call(name, args, kwargs)
                except (EOFError, OSError, pickle.UnpicklingError):
                    future.set_exception(RenderError("pdf", process.died()))
                    self._end(process)
                    if self._closed:
                        return
                    process = self._start()
                    continue
                if kind == "ok":
                    future.set_result(payload)
                else:
                    future.set_exception(payload)
        finally:
            self._end(process)


def render_briefing(
    pool: RenderPool,
    notebook: Path,
    folder: Path,
    stem: str,
    formats: list[str],
    *,
    title: str,
    warning: str | None,
    split: bool,
) -> None:
    """``<stem>.html`` and ``<stem>.pdf`` of the executed ``notebook`` in ``folder``, made
    by the pool's processes. With ``split`` (and a WeasyPrint PDF of a notebook that can be
    cut, see :mod:`nq57lib.report.parts`) the PDF's parts are laid out side by side by as
    many processes as are free, then joined; otherwise one job makes everything."""
    parts = (
        _count_parts(notebook) if split and "pdf" in formats and pool.engine == "weasyprint" else 1
    )
    if parts == 1:
        pool.submit(
            "render_notebook", notebook, folder, formats, pool.engine,
            basename=stem, title=title, warning=warning,
        ).result()  # fmt: skip
        return
    files = [folder / f".{stem}.part-{n}.pdf" for n in range(parts)]
    jobs = [pool.submit("write_part", notebook, n, file, title) for n, file in enumerate(files)]
    if "html" in formats:
        jobs.append(pool.submit("write_html", notebook, folder / f"{stem}.html", title))
    try:
        landscape = [wide for part in _results(jobs)[:parts] for wide in part]
        pool.submit("join_numbered", files, folder / f"{stem}.pdf", landscape).result()
    finally:
        for file in files:
            file.unlink(missing_ok=True)


def _count_parts(notebook: Path) -> int:
    from nq57lib.report.parts import count_parts

    try:
        return count_parts(notebook)
    except (OSError, ValueError):  # the render job reads it again and says what is wrong
        return 1


def _results(jobs: list[Future]) -> list:
    """Every job's result; when one failed, its error once all have ended (none of them
    is then still writing into a folder the caller may remove)."""
    wait(jobs)
    for job in jobs:
        if job.exception() is not None:
            raise job.exception()
    return [job.result() for job in jobs]
