"""Many wards in one run: ``nq57 run --period P --projects WARD_A WARD_B …``.

A city or district office draws up every ward's report for the quarter in one go. Each
ward is a project folder with its own ``ward.yaml``, data and reports; the wards share
one kernel and the render processes (:class:`~nq57lib.run.pipeline.Workers`), so the
imports are paid once and a ward's reports are laid out while the kernel works on the
next ward. The next ward is also prepared meanwhile — its lock taken, the request checked
against it, its stale earlier periods cleaned — in a thread of this process, so the
kernel does not wait for it. Each ward holds its own tree's lock from its preparation
until its reports are in place.

One line is printed per ward and period as it ends, then a table of every ward and period
(:meth:`BatchResult.summary_text`). A ward that fails — a profile that does not load,
missing data, a notebook that fails, another run holding its lock — never stops the
others; :attr:`BatchResult.exit_code` is the number of wards that failed.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from nq57lib.core.errors import Nq57Error, os_error_text
from nq57lib.core.fmt import fmt_number
from nq57lib.core.periods import Period
from nq57lib.core.project import Project
from nq57lib.core.textnorm import utf8_safe
from nq57lib.run.pipeline import held_tree, prepare_ward, run_ward, ward_run
from nq57lib.run.progress import Progress
from nq57lib.run.request import RunRequest
from nq57lib.run.results import PeriodResult, reason
from nq57lib.run.ward import WardRun
from nq57lib.run.workers import Workers

# An exit status is one byte, and the shell keeps 126 and above for itself.
MAX_EXIT_CODE = 125
# Wards a kernel works on before a fresh one takes over: its memory grows about 1.4 MB a
# ward (docs/performance.md, "A whole city"), so 25 wards bound it to about 35 MB more.
KERNEL_WARDS = 25


@dataclass
class WardResult:
    folder: Path
    name: str  # "phường Hồng Bàng", or the folder's name when its profile does not load
    periods: list[PeriodResult] = field(default_factory=list)
    error: str | None = None  # why the ward could not run at all
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None and all(p.ok for p in self.periods)


@dataclass
class BatchResult:
    wards: list[WardResult]
    seconds: float

    @property
    def failed(self) -> int:
        return sum(not w.ok for w in self.wards)

    @property
    def exit_code(self) -> int:
        """How many wards failed (0: every ward's every report is done)."""
        return min(self.failed, MAX_EXIT_CODE)

    def summary_text(self) -> str:
        rows = [("Phường/xã", "Kỳ", "Kết quả", "Giây", "Báo cáo hoặc lý do")]
        for ward in self.wards:
            if ward.error is not None:
                rows.append((ward.name, "—", "✗ thất bại", "—", ward.error))
            for p in ward.periods:
                outcome = "✓ xong" if p.ok else "✗ thất bại"
                where = str(p.report_dir) if p.ok else reason(p.error)
                rows.append((ward.name, p.period.code, outcome, fmt_number(p.seconds, 1), where))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        lines = [
            f"nq57 run: {len(self.wards) - self.failed}/{len(self.wards)} phường/xã thành công "
            f"trong {fmt_number(self.seconds, 1)} giây."
        ]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
            lines.append("  ".join([*cells, row[4]]))
        for ward in self.wards:
            lines.extend(
                f"  ! {ward.name}: không tạo {fmt.upper()}: {why}"
                for fmt, why in ward.skipped.items()
            )
        return utf8_safe("\n".join(line.rstrip() for line in lines))


def run_batch(
    projects: Sequence[Path | str], request: RunRequest, *, progress: TextIO | bool = True
) -> BatchResult:
    """Run ``request`` for each project folder in turn (see the module's doc); each ward's
    paths are its own profile's. ``progress`` is :func:`~nq57lib.run.pipeline.run_pipeline`'s;
    here it prints one line per ward and period, and each period's run.json keeps its own
    ward's lines."""
    clock = time.perf_counter()
    chosen = list(request.periods)
    folders = [Path(p).expanduser().resolve() for p in dict.fromkeys(str(p) for p in projects)]
    stream = sys.stderr if progress is True else (progress or None)
    wards = [WardResult(folder, folder.name) for folder in folders]
    loaded = [_load(ward) for ward in wards]
    first = next((project for project in loaded if project is not None), None)
    if first is None:  # no ward's profile loads: each says why, nothing starts
        return BatchResult(wards, time.perf_counter() - clock)
    printer = _Printer(Progress("batch", stream))
    holding: list[threading.Thread] = []
    total = len(chosen) * len(folders)
    base = ward_run(first, request, Progress(first.root.name))
    # Without a PDF, a ward's rendering is its HTML (a quarter of a second): a render
    # process would hold 95 MB beside the kernel for it, so a render thread does it here.
    processes = request.render_processes if "pdf" in request.formats else 0
    ahead: Future | None = None  # the next ward's preparation
    try:
        with Workers.started(base, processes, total) as workers:
            _freeze_imports()
            for n, (ward, project) in enumerate(zip(wards, loaded, strict=True)):
                final = n == len(wards) - 1
                ready, ahead = (ahead.result() if ahead is not None else None), None
                if ready is None and project is not None:
                    ready = _prepare(project, request, chosen)
                following = None if final else loaded[n + 1]
                if following is not None:
                    ahead = _prepare_ahead(following, request, chosen)
                if ready is not None:
                    ward.error = _run_one(ward, ready, workers, final, printer, holding)
                if ward.error is not None:
                    printer.say(f"[{ward.name}] ✗ {ward.error}")
                    if final:
                        workers.last_notebooks_done()
                if not final and (n + 1) % KERNEL_WARDS == 0:
                    # A fresh kernel now and then: what a long-lived one keeps ward after
                    # ward (pandas' references, caches) is let go; it imports while the
                    # next ward is prepared.
                    workers.kernel.stop()
                    workers.kernel.start()
            for thread in holding:
                thread.join()
    finally:
        # Interrupted: a ward prepared for nothing lets go of its lock (one still being
        # prepared holds it until this process ends, which the next run puts right).
        if ahead is not None and ahead.done() and ahead.result().stack is not None:
            ahead.result().stack.close()
    return BatchResult(wards, time.perf_counter() - clock)


def _freeze_imports() -> None:
    """Import what preparing a ward needs (pandas, openpyxl, the cleaning) once the kernel
    is starting, and tell the collector that what the imports made lives as long as the
    batch: it need not scan it again ward after ward (the kernel does the same,
    :data:`nq57lib.run.kernel.WARM_UP_CODE`)."""
    import nq57lib.collect.ingest  # noqa: F401

    gc.freeze()


@dataclass
class _Ready:
    """A ward prepared for its notebooks: its run, its lock held (``stack``) and each
    report's data period; or why it cannot run (``error``), or what its preparation
    raised that is not the ward's own failure (``raised``: re-raised in the batch's
    thread)."""

    run: WardRun | None = None
    stack: contextlib.ExitStack | None = None
    sources: dict[Period, Period] | None = None
    error: str | None = None
    raised: BaseException | None = None


def _prepare(project: Project, request: RunRequest, chosen: list[Period]) -> _Ready:
    run = ward_run(project, request, Progress(project.root.name))
    stack = contextlib.ExitStack()
    try:
        stack.enter_context(held_tree(run, chosen))
        sources = prepare_ward(chosen, run)
    except (Nq57Error, OSError) as error:
        stack.close()
        return _Ready(error=_why(error))
    except BaseException as error:  # handed to the batch's thread, which raises it
        stack.close()
        return _Ready(raised=error)
    return _Ready(run, stack, sources)


def _prepare_ahead(project: Project, request: RunRequest, chosen: list[Period]) -> Future:
    """:func:`_prepare` in a thread of its own, while the kernel works on this ward. A
    daemon: an interrupted batch does not wait for it (its writes are atomic)."""
    future: Future = Future()

    def work() -> None:
        future.set_result(_prepare(project, request, chosen))

    threading.Thread(target=work, name="nq57-prepare", daemon=True).start()
    return future


def _load(ward: WardResult) -> Project | None:
    """``ward``'s project; None, with ``ward.error`` saying why, if it cannot be loaded."""
    try:
        project = Project.load(ward.folder)
    except Nq57Error as error:
        ward.error = str(error)
        return None
    except OSError as error:
        ward.error = os_error_text(error)
        return None
    ward.name = utf8_safe(project.profile.ward)
    return project


def _run_one(ward, ready, workers, final, printer, holding):
    """The ward's notebooks now; its lock released by a thread once its reports are in.
    Why the ward could not run, or None."""
    if ready.raised is not None:
        raise ready.raised
    if ready.error is not None:
        return ready.error
    run, stack, chosen = ready.run, ready.stack, list(ready.run.request.periods)
    try:
        ran = run_ward(chosen, run, workers, final, ready.sources)
    except (Nq57Error, OSError) as error:
        stack.close()
        return _why(error)
    except BaseException:
        stack.close()
        raise
    ward.periods = [result for result, _ in ran]
    ward.skipped = run.outcome.skipped
    futures = [f for _, f in ran if f is not None]
    for result, future in ran:
        if future is None:
            printer.period(ward, result)
        else:
            future.add_done_callback(lambda _f, r=result: printer.period(ward, r))
    thread = threading.Thread(target=_release, args=(futures, stack), daemon=True)
    thread.start()
    holding.append(thread)
    return None


def _why(error: Nq57Error | OSError) -> str:
    """A ward's failure in the words the batch prints for it."""
    return os_error_text(error) if isinstance(error, OSError) else str(error)


def _release(futures: list[Future], stack: contextlib.ExitStack) -> None:
    wait(futures)
    stack.close()


class _Printer:
    """One line per ward and period, whole, whichever thread ends it."""

    def __init__(self, progress: Progress):
        self.progress = progress

    def say(self, text: str) -> None:
        self.progress.say(text)

    def period(self, ward: WardResult, result: PeriodResult) -> None:
        head = f"[{ward.name} · {result.period.code}]"
        if result.ok:
            self.say(f"{head} ✓ {fmt_number(result.seconds, 1)} s → {result.report_dir}")
        else:
            self.say(f"{head} ✗ {reason(result.error)}")
