"""Many wards in one run: ``nq57 run --period P --projects WARD_A WARD_B …``.

A city or district office draws up every ward's report for the quarter in one go. Each
ward is a project folder with its own ``ward.yaml``, data and reports; the wards share
one kernel and the render processes (:class:`~nq57lib.run.pipeline.Workers`), so the
imports are paid once and a ward's reports are laid out while the kernel works on the
next ward. Each ward holds its own tree's lock until its reports are in place.

One line is printed per ward and period as it ends, then a table of every ward and period
(:meth:`BatchResult.summary_text`). A ward that fails — a profile that does not load,
missing data, a notebook that fails, another run holding its lock — never stops the
others; :attr:`BatchResult.exit_code` is the number of wards that failed.
"""

from __future__ import annotations

import contextlib
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
from nq57lib.core.project import Project
from nq57lib.core.textnorm import utf8_safe
from nq57lib.run.pipeline import held_tree, run_ward, ward_run
from nq57lib.run.progress import Progress
from nq57lib.run.request import RunRequest
from nq57lib.run.results import PeriodResult, reason
from nq57lib.run.workers import Workers

# An exit status is one byte, and the shell keeps 126 and above for itself.
MAX_EXIT_CODE = 125
# Wards a kernel works on before a fresh one takes over: its memory grows about 1.4 MB a
# ward (docs/performance.md, "A whole city"), so 20 wards bound it to about 30 MB more.
KERNEL_WARDS = 20


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
    with Workers.started(base, request.render_processes, total) as workers:
        for n, (ward, project) in enumerate(zip(wards, loaded, strict=True)):
            final = n == len(wards) - 1
            if project is not None:
                ward.error = _run_one(ward, project, request, workers, final, printer, holding)
            if ward.error is not None:
                printer.say(f"[{ward.name}] ✗ {ward.error}")
                if final:
                    workers.last_notebooks_done()
            if not final and (n + 1) % KERNEL_WARDS == 0:
                # A fresh kernel now and then: what a long-lived one keeps ward after ward
                # (pandas' references, caches) is let go; it imports while the next ward's
                # history is cleaned here.
                workers.kernel.stop()
                workers.kernel.start()
        for thread in holding:
            thread.join()
    return BatchResult(wards, time.perf_counter() - clock)


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


def _run_one(ward, project, request, workers, final, printer, holding):
    """The ward's notebooks now; its lock released by a thread once its reports are in.
    Why the ward could not run, or None."""
    run = ward_run(project, request, Progress(project.root.name))
    chosen = list(request.periods)
    stack = contextlib.ExitStack()
    try:
        stack.enter_context(held_tree(run, chosen))
        ran = run_ward(chosen, run, workers, final)
    except (Nq57Error, OSError) as error:
        stack.close()
        return os_error_text(error) if isinstance(error, OSError) else str(error)
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
