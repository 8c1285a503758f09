"""The quarterly run: 10-clean → 20-compare → 30-briefing, then HTML, PDF and the Excel appendix.

``nq57 run --period P`` calls :func:`run_pipeline`. Everything happens in this process:
papermill's Python API executes the notebooks, nbconvert and WeasyPrint render in-process
(or a system Chromium, ``--pdf-engine chromium``).
One Jupyter kernel serves the whole run (papermill accepts a running kernel manager), its
namespace reset between notebooks, so pandas, matplotlib and nq57lib are imported once per
run rather than once per notebook — that is most of the time a run takes.

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

import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import TextIO

from nq57lib.core import config
from nq57lib.core.atomic import refuse_file, swap_dir
from nq57lib.core.errors import (
    EngineUnavailableError,
    InputMissingError,
    NotebookExecutionError,
    Nq57Error,
    ParameterError,
    RenderError,
    SystemRefusalError,
    ValidationError,
)
from nq57lib.core.fmt import fmt_number
from nq57lib.core.periods import Period
from nq57lib.core.processed import quality_says_illustrative
from nq57lib.run.failures import failed_dir, keep_failure
from nq57lib.run.kernel import KERNEL_NAME, Kernel, quiet
from nq57lib.run.lock import tree_lock
from nq57lib.run.params import STEP_PARAMETERS, STEPS, check_parameters, source_cell_index
from nq57lib.run.provenance import input_hashes, parameters, run_record, versions, write_run_json
from nq57lib.run.renderers import RenderPool, render_briefing
from nq57lib.run.results import PeriodResult, RunResult, Settings, StepResult, intake, say
from nq57lib.run.reuse import REUSABLE, fingerprint, reusable
from nq57lib.run.scope import data_period, raw_periods

FORMATS = ("html", "pdf", "xlsx")

FAILED_DIR = config.FAILED_DIR

CELL_TIMEOUT_S = 600


def _parse_periods(periods: Sequence[str] | str) -> list[Period]:
    if isinstance(periods, str | Period):
        periods = [periods]
    parsed, problems = set(), []
    for label in periods:
        try:
            parsed.add(Period.parse(label))
        except Nq57Error as error:
            problems.append(str(error))
    if problems:
        raise ValidationError("--period", problems)
    if not parsed:
        raise ValidationError("--period", ["give at least one period, e.g. 2026-Q3"])
    return sorted(parsed)


def _check_formats(formats: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        problems = [f"unknown format {f!r}" for f in unknown] or ["no format given"]
        raise ValidationError(f"--formats (choose from {', '.join(FORMATS)})", problems)
    return chosen


def _execute(step: str, job: PeriodResult, settings: Settings, kernel: Kernel, out: Path) -> None:
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    source = settings.notebooks_dir / f"{step}.ipynb"
    # Where the executed notebook will be kept if this step fails (see keep_failure).
    kept = failed_dir(settings, job.period) / out.name
    km = kernel.ensure()
    try:
        with quiet("papermill"):
            papermill.execute_notebook(
                str(source),
                str(out),
                parameters=parameters(step, job, settings),
                kernel_name=KERNEL_NAME,
                km=km,
                progress_bar=bool(settings.progress is not None and settings.progress.isatty()),
                request_save_on_cell_execute=False,
                execution_timeout=CELL_TIMEOUT_S,
            )
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
        kernel.reset()


def _run_notebooks(period: Period, settings: Settings, kernel: Kernel, work: Path, result):
    """Phase 1 (this thread, the kernel busy): execute the three notebooks into ``work``."""
    for step in STEPS:
        started = time.perf_counter()
        out = work / f"{step}.ipynb"
        if _reused(step, period, settings, result, out):
            result.steps.append(StepResult(step, time.perf_counter() - started, "reused", out))
            continue
        say(settings, f"[{period.code}] {step} …")
        try:
            _execute(step, result, settings, kernel, out)
        except Exception:  # whatever stopped it, the step is recorded as failed
            result.steps.append(StepResult(step, time.perf_counter() - started, "failed", out))
            raise
        result.steps.append(StepResult(step, time.perf_counter() - started, "ok", out))


def _reused(step: str, period: Period, settings: Settings, result: PeriodResult, out: Path):
    """Copy the last report's executed ``step`` into ``out`` when its inputs are unchanged
    (:mod:`nq57lib.run.reuse`); True if it did."""
    if step not in REUSABLE:
        return False
    print_ = result.fingerprints[step] = fingerprint(step, result, settings)
    kept = reusable(step, result, settings, print_) if settings.reuse else None
    if kept is None:
        return False
    shutil.copyfile(kept, out)
    say(settings, f"[{period.code}] {step}: inputs unchanged since the last report, reused")
    return True


def _illustrative(result: PeriodResult, settings: Settings) -> bool:
    return settings.illustrative or quality_says_illustrative(settings.processed_dir, [result.data])


def _render(
    period: Period, settings: Settings, stage: Path, result: PeriodResult, pool, split: bool
) -> None:
    """Phase 2 (a render thread): HTML and PDF from the executed briefing, made by the
    render processes (or in this process when there are none), and the Excel appendix."""
    if pool is not None:
        _check_pdf_engine(settings, pool)
    wanted = [f for f in settings.formats if f in ("html", "pdf")]
    if wanted:
        started = time.perf_counter()
        say(settings, f"[{period.code}] render {'+'.join(wanted)} ({settings.engine}) …")
        notebook = stage / "30-briefing.ipynb"
        stem = f"bao-cao-{period.code}"
        title = config.profile().report_title(period.report_label)
        warning = config.ILLUSTRATIVE_WARNING if _illustrative(result, settings) else None
        try:
            if pool is None:
                from nq57lib.report.render import render_notebook

                render_notebook(
                    notebook, stage, wanted, settings.engine,
                    basename=stem, title=title, warning=warning,
                )  # fmt: skip
            else:
                render_briefing(
                    pool, notebook, stage, stem, wanted, title=title, warning=warning, split=split
                )
        except (Nq57Error, OSError):
            result.steps.append(StepResult("render", time.perf_counter() - started, "failed"))
            raise
        result.steps.append(StepResult("render", time.perf_counter() - started, "ok"))
    if "xlsx" in settings.formats:
        appendix = settings.processed_dir / result.data.code / "status.xlsx"
        if not appendix.is_file():
            raise RenderError("xlsx", f"{appendix} not found: 20-compare did not write it")
        shutil.copyfile(appendix, stage / f"phu-luc-{period.code}.xlsx")


def _load_renderers(settings: Settings) -> None:
    """Rendering in this process: import nbconvert and the PDF engine (≈1 s) while the
    kernel runs the first notebook. Runs first on the render thread, so every period's
    rendering sees its outcome."""
    if {"html", "pdf"} & set(settings.formats):
        import nq57lib.report.render  # noqa: F401  (nbconvert, the exporter and its template)

        if "pdf" in settings.formats:
            from nq57lib.report.render import check_engine

            try:
                check_engine(settings.engine)
            except EngineUnavailableError as error:
                _skip_pdf(settings, error)


_ENGINE_CHECKED = threading.Lock()


def _check_pdf_engine(settings: Settings, pool: RenderPool) -> None:
    """Once per run, before the first render: the render processes say whether the PDF
    engine can run here."""
    with _ENGINE_CHECKED:
        if "pdf" in settings.formats and "pdf" not in settings.skipped:
            problem = pool.engine_problem()
            if problem is not None:
                _skip_pdf(settings, problem)


def _skip_pdf(settings: Settings, error: EngineUnavailableError) -> None:
    """An optional system library (Pango) or program (chromium) is missing: the HTML
    briefing is still worth having, so the run goes on without the PDF and says so."""
    settings.formats.remove("pdf")
    settings.skipped["pdf"] = str(error)
    say(settings, f"WARNING: no PDF this run — {error}")


def _as_failure(error: BaseException) -> BaseException:
    """A refusal by the system becomes the period's :class:`SystemRefusalError`."""
    return SystemRefusalError(error) if isinstance(error, OSError) else error


def _expected(error: BaseException) -> bool:
    """A failure that ends the period, not the run (any other one is a bug or Ctrl-C)."""
    return isinstance(error, Nq57Error | OSError)


def _start(
    period: Period, settings: Settings, kernel: Kernel, result: PeriodResult
) -> tuple[Path, dict] | None:
    """Phase 1 (this thread, the kernel busy): the notebooks of ``period`` into a work
    folder beside ``reports/<P>/``. Returns (work folder, input hashes), or None when the
    period failed (its record kept and the work folder removed)."""
    work = None
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{period.code}.work-", dir=settings.reports_dir))
        _run_notebooks(period, settings, kernel, work, result)
        return work, input_hashes(result, settings)
    except BaseException as error:
        # Ctrl-C and bugs come here too: their record is kept before they go on up.
        try:
            keep_failure(period, settings, result, work, _as_failure(error))
        finally:
            if work is not None:
                shutil.rmtree(work, ignore_errors=True)
        if not _expected(error):
            raise
        return None


def _finish(
    period: Period,
    settings: Settings,
    result: PeriodResult,
    work: Path,
    inputs: dict,
    pool: RenderPool | None = None,
    split: bool = False,
):
    """Phase 2 (a render thread): render inside the work folder and swap it in as
    ``reports/<P>/``; on any failure keep the record and leave the previous report."""
    target = settings.reports_dir / period.code
    try:
        _render(period, settings, work, result, pool, split)
        result.files = {p.name: target / p.name for p in sorted(work.iterdir())}
        result.intake = intake(settings.processed_dir, result.data)
        result.files["run.json"] = target / "run.json"
        result.seconds = time.perf_counter() - result.clock
        write_run_json(work, run_record(period, settings, result, inputs))
        swap_dir(work, target)
    except BaseException as error:
        result.files = {}
        keep_failure(period, settings, result, work, _as_failure(error), inputs)
        if not _expected(error):
            raise
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(failed_dir(settings, period), ignore_errors=True)
    result.report_dir = target
    say(settings, f"[{period.code}] done in {fmt_number(result.seconds, 1)} s → {target}")
    return result


def run_pipeline(
    periods: Sequence[str] | str,
    raw_dir: Path | str | None = None,
    processed_dir: Path | str | None = None,
    reports_dir: Path | str | None = None,
    formats: Iterable[str] = FORMATS,
    *,
    notebooks_dir: Path | str | None = None,
    engine: str = "weasyprint",
    illustrative: bool = False,
    progress: TextIO | bool = True,
    as_of: date | str | None = None,
    render_processes: int = 2,
    reuse: bool = True,
) -> RunResult:
    """Clean, compare and brief each period in time order; one failed period never stops the rest.

    Raises before anything runs when the request itself is wrong (a bad period, format or
    engine name, a missing raw folder, notebook parameters that do not match), or at once
    with :class:`RunLockedError` when another run, clean or compare holds the tree's lock;
    the lock held, it first puts right what a killed run left (:mod:`nq57lib.run.lock`). A
    refusal by the system while a period runs fails that period (``RunResult.exit_code`` 2).
    A PDF engine
    that is not installed (WeasyPrint without Pango, no Chromium) does not fail the run:
    the PDF is skipped, the HTML written, and ``RunResult.skipped`` says why.
    A notebook or rendering failure is recorded in the returned :class:`RunResult` (``ok`` is
    False, the error names notebook and cell) and the previous report stays in place.
    ``illustrative`` forces the "Số liệu minh họa" label; it is also shown whenever the
    cleaned data carry it. ``progress``: True prints one line per step on stderr (and
    papermill's cell progress bar when stderr is a terminal), a stream receives the lines,
    False is silent. A period may be a month, quarter, half-year or year; ``as_of`` (a
    date) draws a report up from the periods that ended by then (:mod:`nq57lib.run.scope`).
    ``render_processes``: how many processes lay out reports (:mod:`nq57lib.run.renderers`);
    0 renders in this process, one period after another (slower; nothing is started).
    ``reuse``: cleaning and comparison whose inputs have not changed since the period's
    last report are not run again (:mod:`nq57lib.run.reuse`); False runs every step.
    """
    clock = time.perf_counter()
    chosen = _parse_periods(periods)
    settings = Settings(
        raw_dir=Path(raw_dir or config.DATA_RAW).resolve(),
        processed_dir=Path(processed_dir or config.DATA_PROCESSED).resolve(),
        reports_dir=Path(reports_dir or config.REPORTS_DIR).resolve(),
        notebooks_dir=Path(notebooks_dir or config.NOTEBOOKS_DIR).resolve(),
        formats=_check_formats(formats),
        engine=engine,
        illustrative=bool(illustrative),
        progress=sys.stderr if progress is True else (progress or None),
        versions=versions(),
        as_of=date.fromisoformat(as_of) if isinstance(as_of, str) else as_of,
        project=config.PROJECT_ROOT,
        reuse=bool(reuse),
    )
    codes = " ".join(p.code for p in chosen)
    with tree_lock(settings.processed_dir, settings.reports_dir, f"nq57 run {codes}") as done:
        for line in done:
            say(settings, line)
        # A reports "folder" that is a file refuses the whole run before anything runs.
        refuse_file(settings.reports_dir)
        results = _run_periods(chosen, settings, max(0, int(render_processes)))
    return RunResult(results, time.perf_counter() - clock, dict(settings.skipped))


def _run_periods(chosen: list[Period], settings: Settings, processes: int) -> list[PeriodResult]:
    kernel = Kernel(settings.notebooks_dir, project=settings.project)
    pool = RenderPool(settings.engine) if processes and _renders(settings) else None
    results: list[PeriodResult] = []
    try:
        # The kernel and the first render process import at the same time, each in its own
        # process, while this one validates (the second render process imports after the
        # first). A second one fits in memory beside the kernel only while nothing is laid
        # out: from the start for one period, else once the kernel has stopped.
        kernel.start()
        if pool is not None:
            pool.add_process()
            if len(chosen) == 1 and processes > 1:
                pool.add_process()
        sources = _preflight(chosen, settings)
        settings.reports_dir.mkdir(parents=True, exist_ok=True)
        settings.backfilled = _backfill_history(sorted(set(sources.values())), settings)
        # Rendering period k overlaps with the notebooks of period k+1 (render threads wait
        # on the render processes; in-process rendering has one thread).
        workers = len(chosen) if pool is not None else 1
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="nq57-render") as threads:
            pending = [] if pool is not None else [threads.submit(_load_renderers, settings)]
            for n, period in enumerate(chosen):
                result = PeriodResult(period, data_period=sources[period])
                results.append(result)
                started = _start(period, settings, kernel, result)
                last = n == len(chosen) - 1
                if started is not None:
                    # The last PDF is laid out in parts, by two processes once the kernel
                    # has stopped and given its memory to the second.
                    split = last and processes > 1
                    pending.append(
                        threads.submit(_finish, period, settings, result, *started, pool, split)
                    )
                if last:
                    kernel.stop()
                    if pool is not None and pool.size < processes:
                        pool.add_process()
            for future in pending:
                future.result()
    finally:
        kernel.stop()
        if pool is not None:
            pool.close()
    return results


def _renders(settings: Settings) -> bool:
    return bool({"html", "pdf"} & set(settings.formats))


def _newest(paths) -> float:
    return max((p.stat().st_mtime for p in paths if p.is_file()), default=0.0)


def _stale_history(chosen: list[Period], raw_dir: Path, processed_dir: Path) -> list[Period]:
    """Earlier raw periods whose processed tables are missing or older than their inputs.

    The comparison of P reads every processed period up to P; a quarterly run on a fresh
    machine (or after a unit resubmits an earlier quarter, the ward office amends the
    assignment register, or an analyst edits the registry, the units file or the plan)
    must not judge trends on a partial or outdated history, so those periods are cleaned
    again first.
    """
    latest = max(chosen)
    register = raw_dir / config.REGISTER_DIR
    shared = max(
        _newest(register.rglob("*")) if register.is_dir() else 0.0,
        _newest((config.REGISTRY_PATH, config.REPORTING_UNITS_PATH, config.PLAN_PATH)),
    )
    stale = []
    for period in raw_periods(raw_dir):
        if period in chosen or not period < latest:
            continue
        done = processed_dir / period.code / "observations.csv"
        newest_raw = _newest((raw_dir / period.code).rglob("*"))
        if not done.is_file() or done.stat().st_mtime < max(newest_raw, shared):
            stale.append(period)
    return sorted(stale)


def _backfill_history(chosen: list[Period], settings: Settings) -> list[str]:
    """Clean the stale earlier periods in this process (the kernel is still warming up)."""
    stale = _stale_history(chosen, settings.raw_dir, settings.processed_dir)
    if not stale:
        return []

    # Imported here, not at the top: the kernel starts before pandas loads in this process.
    from nq57lib.collect.ingest import clean_period

    for period in stale:
        say(settings, f"[{period.code}] history: cleaning (processed tables missing or stale)")
        clean_period(period, raw_dir=settings.raw_dir, processed_dir=settings.processed_dir)
    return [p.code for p in stale]


def _raise_gathered(errors: list[Nq57Error], source: str) -> None:
    """One error as itself (its own class and message); several as one ValidationError."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ValidationError(source, [str(e) for e in errors])


def _preflight(periods: list[Period], settings: Settings) -> dict[Period, Period]:
    """Check the request before anything runs; return each report's data period."""
    sources, problems = {}, []
    for period in periods:
        try:
            sources[period] = data_period(period, settings.raw_dir, settings.as_of)
        except InputMissingError as error:
            problems.append(error)
    _raise_gathered(problems, "raw data")
    notebooks = [settings.notebooks_dir / f"{step}.ipynb" for step in STEPS]
    absent = [str(nb) for nb in notebooks if not nb.is_file()]
    if absent:
        raise ValidationError("notebooks", [f"{nb} not found" for nb in absent])
    checked: list[ParameterError] = []
    for step, notebook in zip(STEPS, notebooks, strict=True):
        try:
            check_parameters(notebook, STEP_PARAMETERS[step])
        except ParameterError as error:
            checked.append(error)
    _raise_gathered(checked, "notebook parameters")
    return sources
