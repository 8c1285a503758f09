"""What a run works with besides its own thread: the kernel, the render processes and the
render threads, shared across its periods (and a batch's wards), and how they all stop.

A run ends in one of two ways. Normally every render thread finishes its report and the
processes are closed. Interrupted (Ctrl-C, SIGTERM: :mod:`nq57lib.run.interrupts`), nothing
more is waited for than a few seconds: :attr:`Workers.stopping` tells the render threads to
swap nothing in and record nothing, the kernel and the render processes are killed (a job
they were doing fails at once), and the work folders still in use are removed.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from nq57lib.core.errors import EngineUnavailableError
from nq57lib.run.kernel import Kernel
from nq57lib.run.renderers import RenderPool
from nq57lib.run.ward import WardRun

# How long an interrupted run waits for its render threads to notice and let go.
STOP_WAIT_S = 5.0


def renders(run: WardRun) -> bool:
    return bool({"html", "pdf"} & set(run.formats))


def load_renderers(run: WardRun) -> EngineUnavailableError | None:
    """Rendering in this process: import nbconvert and the PDF engine (≈1 s) while the
    kernel runs the first notebook; why the PDF engine cannot run here, or None."""
    import nq57lib.report.render  # noqa: F401  (nbconvert, the exporter and its template)

    if "pdf" in run.formats:
        from nq57lib.report.render import check_engine

        try:
            check_engine(run.request.engine)
        except EngineUnavailableError as error:
            return error
    return None


@dataclass
class Workers:
    """The kernel, the render processes and the render threads a run shares across its
    periods (and a batch across its wards). Rendering period k overlaps with the notebooks
    of period k+1: a render thread waits on the render processes (in-process rendering
    has one thread, which first loads the renderers)."""

    kernel: Kernel
    pool: RenderPool | None
    threads: ThreadPoolExecutor
    processes: int
    # Rendering in this process: the loading of the renderers (its outcome, once done).
    loaded: Future | None = None
    # Set when the run is interrupted: render threads then swap in and record nothing.
    stopping: threading.Event = field(default_factory=threading.Event)
    # Work folders in use (made by the notebooks' thread, removed by a render thread).
    folders: set[Path] = field(default_factory=set)
    futures: list[Future] = field(default_factory=list)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    @contextlib.contextmanager
    def started(cls, run: WardRun, processes: int, periods: int) -> Iterator[Workers]:
        kernel = Kernel(run.request.notebooks_dir)
        pool = RenderPool(run.request.engine) if processes and renders(run) else None
        threads = ThreadPoolExecutor(
            max_workers=max(1, periods) if pool is not None else 1,
            thread_name_prefix="nq57-render",
        )
        workers = cls(kernel, pool, threads, processes)
        try:
            # The kernel and the first render process import at the same time, each in
            # its own process, while this one validates (a second render process imports
            # after the first). A second one fits in memory beside the kernel only while
            # nothing is laid out: from the start for one period, else once the kernel
            # has stopped (see last_notebooks_done). A lone first process warms up while
            # it waits for the first briefing; two idle ones would not fit warmed.
            kernel.start()
            if pool is None:
                if renders(run):
                    workers.loaded = threads.submit(load_renderers, run)
            else:
                pool.add_process()
                if periods == 1 and processes > 1:
                    pool.add_process()
                else:
                    pool.submit("warm_up")
            yield workers
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM (Interrupted): stop now
            workers.stop_now()
            raise
        finally:
            # Jobs not started fail first, so no render thread waits for them.
            kernel.stop()
            if pool is not None:
                pool.close()
            threads.shutdown(wait=not workers.stopping.is_set(), cancel_futures=True)

    def submit(self, fn, *args) -> Future:
        """Hand a report's rendering to a render thread."""
        future = self.threads.submit(fn, *args)
        self.futures.append(future)
        return future

    def hold(self, folder: Path) -> None:
        with self._guard:
            self.folders.add(folder)

    def let_go(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        with self._guard:
            self.folders.discard(folder)

    def stop_now(self) -> None:
        """The run is interrupted: kill the kernel and the render processes, give the render
        threads a few seconds to let go, and remove the work folders still in use."""
        self.stopping.set()
        self.kernel.kill()
        if self.pool is not None:
            self.pool.close()  # kills the processes: a job they were doing fails at once
        wait([f for f in self.futures if not f.done()], timeout=STOP_WAIT_S)
        with self._guard:
            left = list(self.folders)
        for folder in left:
            self.let_go(folder)

    def engine_problem(self) -> EngineUnavailableError | None:
        """Why the PDF engine cannot run here (as the renderers found), or None."""
        if self.pool is not None:
            return self.pool.engine_problem()
        return self.loaded.result() if self.loaded is not None else None

    def last_notebooks_done(self) -> None:
        """The kernel's memory goes to a second render process for the last reports."""
        self.kernel.stop()
        if self.pool is not None and self.pool.size < self.processes:
            self.pool.add_process()
