"""The quarterly run: 10-clean → 20-compare → 30-briefing, then HTML, PDF and the Excel appendix.

``nq57 run --period P`` calls :func:`run_pipeline`. Papermill's Python API executes the
notebooks in one Jupyter kernel for the whole run (papermill accepts a running kernel
manager), its namespace reset between notebooks, so pandas, matplotlib and nq57lib are
imported once per run. The HTML and PDF are made by render processes beside the kernel
(:mod:`nq57lib.run.renderers`; ``render_processes=0`` renders in this process), so period
k is laid out while the kernel works on period k+1, and the last period's PDF is laid out
in two parts at once when the kernel has stopped. Cleaning and comparison whose inputs
have not changed since the period's last report are reused (:mod:`nq57lib.run.reuse`).
docs/performance.md has the figures.

Safety: every notebook's parameters cell is checked before anything runs (an unknown or
missing parameter is a :class:`ParameterError`). Each period is built in a staging folder
beside ``reports/<P>/`` and swapped in only when complete, so a failed run leaves the
previous report untouched; the executed notebooks of a failed run are kept in
``reports/_failed/<P>/`` with ``run.json`` saying what failed, in which notebook and cell
(:mod:`nq57lib.run.failures`, which cannot fail itself). A refusal by the system while a
period runs (a full disk, a read-only folder) fails that period as a
:class:`SystemRefusalError`, one line naming the path. A run holds the tree's lock
(:mod:`nq57lib.run.lock`) from start to end, and first puts right what a killed run left.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import TextIO

from nq57lib.core import config
from nq57lib.core.atomic import make_staging, refuse_file, swap_dir
from nq57lib.core.errors import (
    EngineUnavailableError,
    NotebookExecutionError,
    Nq57Error,
    RenderError,
    SystemRefusalError,
)
from nq57lib.core.fmt import fmt_number
from nq57lib.core.periods import Period
from nq57lib.core.profile import STEERING
from nq57lib.core.project import Project
from nq57lib.run.failures import failed_dir, keep_failure
from nq57lib.run.kernel import KERNEL_NAME, Kernel, quiet
from nq57lib.run.lock import tree_lock
from nq57lib.run.params import STEERING_STEP, STEPS, source_cell_index
from nq57lib.run.progress import Progress
from nq57lib.run.provenance import (
    input_hashes,
    parameters,
    run_record,
    shows_illustrative,
    versions,
    write_run_json,
)
from nq57lib.run.renderers import render_briefing
from nq57lib.run.request import RunRequest
from nq57lib.run.results import PeriodResult, RunResult, StepResult, intake
from nq57lib.run.reuse import REUSABLE, fingerprint, reusable
from nq57lib.run.ward import WardRun, backfill_history, preflight
from nq57lib.run.workers import Workers

CELL_TIMEOUT_S = 600


def _execute(
    step: str, job: PeriodResult, run: WardRun, kernel: Kernel, out: Path, issuer: str = ""
) -> None:
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    source = run.request.notebooks_dir / f"{step}.ipynb"
    # Where the executed notebook will be kept if this step fails (see keep_failure).
    kept = failed_dir(run, job.period) / out.name
    km = kernel.ensure()
    interrupted = False
    try:
        with quiet("papermill"):
            papermill.execute_notebook(
                str(source),
                str(out),
                parameters=parameters(step, job, run, issuer),
                kernel_name=KERNEL_NAME,
                km=km,
                progress_bar=run.progress.shows_bar,
                request_save_on_cell_execute=False,
                execution_timeout=CELL_TIMEOUT_S,
            )
    except KeyboardInterrupt:
        interrupted = True  # the kernel is still busy with the cell: it is killed, not reset
        raise
    except PapermillExecutionError as error:
        raise NotebookExecutionError(
            source.name,
            source_cell_index(out, error.cell_index),
            error.ename,
            str(error.evalue).strip(),
            executed_path=kept,
        ) from None
    except (DeadKernelError, CellTimeoutError) as error:
        kernel.stop()
        raise NotebookExecutionError(
            source.name, None, type(error).__name__, str(error), executed_path=kept
        ) from None
    finally:
        if not interrupted:
            kernel.reset()


def _run_notebooks(period: Period, run: WardRun, kernel: Kernel, work: Path, result):
    """Phase 1 (this thread, the kernel busy): execute the three notebooks into ``work``."""
    for step in STEPS:
        started = time.perf_counter()
        out = work / f"{step}.ipynb"
        if _reused(step, period, run, result, out):
            result.steps.append(StepResult(step, time.perf_counter() - started, "reused", out))
            continue
        run.say(period, f"{step} …")
        try:
            _execute(step, result, run, kernel, out)
        except Exception:  # whatever stopped it, the step is recorded as failed
            result.steps.append(StepResult(step, time.perf_counter() - started, "failed", out))
            raise
        result.steps.append(StepResult(step, time.perf_counter() - started, "ok", out))
    if run.project.profile.steering is not None:
        # The steering committee's report: the same briefing, issued and signed by it.
        started = time.perf_counter()
        out = work / f"{STEERING_STEP}.ipynb"
        run.say(period, f"{STEERING_STEP} …")
        try:
            _execute("30-briefing", result, run, kernel, out, issuer=STEERING)
        except Exception:
            result.steps.append(StepResult(STEERING_STEP, time.perf_counter() - started,
                                           "failed", out))  # fmt: skip
            raise
        result.steps.append(StepResult(STEERING_STEP, time.perf_counter() - started, "ok", out))


def _reused(step: str, period: Period, run: WardRun, result: PeriodResult, out: Path):
    """Copy the last report's executed ``step`` into ``out`` when its inputs are unchanged
    (:mod:`nq57lib.run.reuse`); True if it did."""
    if step not in REUSABLE:
        return False
    print_ = result.fingerprints[step] = fingerprint(step, result, run)
    kept = reusable(step, result, run, print_) if run.request.reuse else None
    if kept is None:
        return False
    shutil.copyfile(kept, out)
    run.say(period, f"{step}: inputs unchanged since the last report, reused")
    return True


def _render(
    period: Period, run: WardRun, stage: Path, result: PeriodResult, workers, split: bool
) -> None:
    """Phase 2 (a render thread): HTML and PDF from the executed briefing, made by the
    render processes (or in this process when there are none), and the Excel appendix."""
    _check_pdf_engine(run, workers)
    pool = workers.pool
    wanted = [f for f in run.formats if f in ("html", "pdf")]
    if wanted:
        started = time.perf_counter()
        run.say(period, f"render {'+'.join(wanted)} ({run.request.engine}) …")
        title = result.title
        warning = config.ILLUSTRATIVE_WARNING if shows_illustrative(result, run) else None
        briefings = [("30-briefing.ipynb", f"bao-cao-{period.code}")]
        if (stage / f"{STEERING_STEP}.ipynb").is_file():
            briefings.append((f"{STEERING_STEP}.ipynb", f"bao-cao-bcd-{period.code}"))
        try:
            for name, stem in briefings:
                notebook = stage / name
                if pool is None:
                    from nq57lib.report.render import render_notebook

                    render_notebook(
                        notebook, stage, wanted, run.request.engine,
                        basename=stem, title=title, warning=warning,
                    )  # fmt: skip
                else:
                    render_briefing(pool, notebook, stage, stem, wanted, title=title,
                                    warning=warning, split=split)  # fmt: skip
        except (Nq57Error, OSError):
            result.steps.append(StepResult("render", time.perf_counter() - started, "failed"))
            raise
        result.steps.append(StepResult("render", time.perf_counter() - started, "ok"))
    _export(period, run, stage, result)
    if "xlsx" in run.formats:
        appendix = run.processed_dir / result.data.code / "status.xlsx"
        if not appendix.is_file():
            raise RenderError("xlsx", f"{appendix} not found: 20-compare did not write it")
        shutil.copyfile(appendix, stage / f"phu-luc-{period.code}.xlsx")


def _export(period: Period, run: WardRun, stage: Path, result: PeriodResult) -> None:
    """The ward's standard export of the period (``du-lieu/``: tidy tables and their
    datapackage.json), from the same tables the briefing read."""
    from datetime import date

    from nq57lib.report.data import load_briefing_data
    from nq57lib.report.export import FOLDER, write_export

    data = load_briefing_data(
        run.project,  # its folders are the run's (--raw-dir … applied)
        result.data,
        run.request.illustrative,
        report_period=period if period != result.data else None,
        as_of=run.request.as_of,
    )
    write_export(data, stage / FOLDER, date.today())


def _check_pdf_engine(run: WardRun, workers: Workers) -> None:
    """Before a run's (or a ward's) first render: the renderers say whether the PDF engine
    can run here, and without it the PDF is left out."""
    with run.outcome.guard:
        if "pdf" in run.formats:
            problem = workers.engine_problem()
            if problem is not None:
                _skip_pdf(run, problem)


def _skip_pdf(run: WardRun, error: EngineUnavailableError) -> None:
    """An optional system library (Pango) or program (chromium) is missing: the HTML
    briefing is still worth having, so the run goes on without the PDF and says so."""
    run.outcome.skipped["pdf"] = str(error)
    run.progress.warn(f"WARNING: no PDF this run — {error}")


def _as_failure(error: BaseException) -> BaseException:
    """A refusal by the system becomes the period's :class:`SystemRefusalError`."""
    return SystemRefusalError(error) if isinstance(error, OSError) else error


def _expected(error: BaseException) -> bool:
    """A failure that ends the period, not the run (any other one is a bug or Ctrl-C)."""
    return isinstance(error, Nq57Error | OSError)


def _start(
    period: Period, run: WardRun, workers: Workers, result: PeriodResult
) -> tuple[Path, dict] | None:
    """Phase 1 (this thread, the kernel busy): the notebooks of ``period`` into a work
    folder beside ``reports/<P>/``. Returns (work folder, input hashes), or None when the
    period failed (its record kept and the work folder removed)."""
    work = None
    try:
        reports = run.reports_dir
        work = make_staging(reports / period.code, kind=".work-", lock=reports / config.LOCK_FILE)
        workers.hold(work)
        _run_notebooks(period, run, workers.kernel, work, result)
        return work, input_hashes(result, run)
    except KeyboardInterrupt:
        # Ctrl-C or SIGTERM: the run stops and says so once; nothing failed to record.
        if work is not None:
            workers.let_go(work)
        raise
    except BaseException as error:
        # Bugs come here too: their record is kept before they go on up.
        try:
            keep_failure(period, run, result, work, _as_failure(error))
        finally:
            if work is not None:
                workers.let_go(work)
        if not _expected(error):
            raise
        return None


def _finish(
    period: Period,
    run: WardRun,
    result: PeriodResult,
    work: Path,
    inputs: dict,
    workers: Workers,
    split: bool = False,
):
    """Phase 2 (a render thread): render inside the work folder and swap it in as
    ``reports/<P>/``; on any failure keep the record and leave the previous report."""
    target = run.reports_dir / period.code
    try:
        _render(period, run, work, result, workers, split)
        made = sorted(p for p in work.iterdir() if not p.name.startswith("."))
        result.files = {p.name: target / p.name for p in made}
        units_due = run.project.profile.calendar.units_due(result.data)
        result.intake = intake(run.processed_dir, result.data, units_due)
        result.files["run.json"] = target / "run.json"
        result.seconds = time.perf_counter() - result.clock
        write_run_json(work, run_record(period, run, result, inputs))
        if workers.stopping.is_set():
            return result  # interrupted: the previous report stays
        swap_dir(work, target)
    except BaseException as error:
        result.files = {}
        if workers.stopping.is_set():
            return result  # what failed was killed by the interruption, which says so
        keep_failure(period, run, result, work, _as_failure(error), inputs)
        if not _expected(error):
            raise
        return result
    finally:
        workers.let_go(work)
    shutil.rmtree(failed_dir(run, period), ignore_errors=True)
    result.report_dir = target
    run.say(period, f"done in {fmt_number(result.seconds, 1)} s → {target}")
    return result


def run_pipeline(
    project: Project, request: RunRequest, *, progress: TextIO | bool = True
) -> RunResult:
    """Clean, compare and brief each period of ``request`` for ``project`` in time order
    (its folders: :meth:`Project.with_paths` for others); one failed period never stops
    the rest.

    Raises before anything runs when the request does not fit the ward (a missing raw
    folder, notebook parameters that do not match; the request's own periods and formats
    are checked by :meth:`RunRequest.make`), or at once with :class:`RunLockedError` when
    another run, clean or compare holds the tree's lock; the lock held, it first puts right
    what a killed run left (:mod:`nq57lib.run.lock`). A refusal by the system while a
    period runs fails that period (``RunResult.exit_code`` 2). A PDF engine that is not
    installed (WeasyPrint without Pango, no Chromium) does not fail the run: the PDF is
    skipped, the HTML written, and ``RunResult.skipped`` says why. A notebook or rendering
    failure is recorded in the returned :class:`RunResult` (``ok`` is False, the error
    names notebook and cell) and the previous report stays in place.
    ``progress``: True prints one line per step on stderr (and papermill's cell progress
    bar when stderr is a terminal), a stream receives the lines, False is silent; the lines
    are also kept in each period's run.json (:mod:`nq57lib.run.progress`).
    Several wards in one run: :func:`nq57lib.run.batch.run_batch`.
    """
    clock = time.perf_counter()
    stream = sys.stderr if progress is True else (progress or None)
    run = ward_run(project, request, Progress(project.root.name, stream))
    chosen = list(request.periods)
    processes = request.render_processes
    with held_tree(run, chosen), Workers.started(run, processes, len(chosen)) as workers:
        ward = run_ward(chosen, run, workers, final=True)
        results = [result for result, _ in ward]
        for _, future in ward:
            if future is not None:
                future.result()
    return RunResult(results, time.perf_counter() - clock, dict(run.outcome.skipped))


def ward_run(project: Project, request: RunRequest, progress: Progress) -> WardRun:
    """One ward's run of ``request``."""
    return WardRun(project=project, request=request, progress=progress, versions=versions())


@contextlib.contextmanager
def held_tree(run: WardRun, chosen: list[Period]) -> Iterator[None]:
    """The tree's lock, held; what a killed run left put right and said."""
    codes = " ".join(p.code for p in chosen)
    with tree_lock(run.processed_dir, run.reports_dir, f"nq57 run {codes}") as done:
        for line in done:
            run.say(None, line)
        # A reports "folder" that is a file refuses the whole run before anything runs.
        refuse_file(run.reports_dir)
        yield


def prepare_ward(chosen: list[Period], run: WardRun) -> dict[Period, Period]:
    """What comes before a ward's notebooks: the request checked against the ward and
    its stale earlier periods cleaned (in this process); each report's data period.
    A batch prepares the next ward while the kernel works on this one."""
    sources = preflight(chosen, run)
    run.reports_dir.mkdir(parents=True, exist_ok=True)
    run.outcome.backfilled = backfill_history(sorted(set(sources.values())), run)
    return sources


def run_ward(
    chosen: list[Period],
    run: WardRun,
    workers: Workers,
    final: bool,
    sources: dict[Period, Period] | None = None,
) -> list[tuple[PeriodResult, Future | None]]:
    """The notebooks of each period, in this thread; each report's rendering handed to a
    render thread (its Future, or None when the period failed before). ``final``: no
    other ward follows, so the kernel stops after the last period's notebooks.
    ``sources``: :func:`prepare_ward`'s answer when the ward was prepared already."""
    if sources is None:
        sources = prepare_ward(chosen, run)
    ward: list[tuple[PeriodResult, Future | None]] = []
    for n, period in enumerate(chosen):
        result = PeriodResult(period, data_period=sources[period])
        result.title = run.project.profile.report_title(period.report_label)
        started = _start(period, run, workers, result)
        last = final and n == len(chosen) - 1
        future = None
        if started is not None:
            # The last PDF is laid out in parts, side by side once the kernel has stopped.
            split = last and workers.processes > 1
            future = workers.submit(_finish, period, run, result, *started, workers, split)
        ward.append((result, future))
        if last:
            workers.last_notebooks_done()
    return ward
