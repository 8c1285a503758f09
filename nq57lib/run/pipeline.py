"""The quarterly run: 10-clean → 20-compare → 30-briefing, then HTML, PDF and the Excel appendix.

``nq57 run --period P`` calls :func:`run_pipeline`. Everything happens in this process:
papermill's Python API executes the notebooks, nbconvert and WeasyPrint render in-process.
One Jupyter kernel serves the whole run (papermill accepts a running kernel manager), its
namespace reset between notebooks, so pandas, matplotlib and nq57lib are imported once per
run rather than once per notebook — that is most of the time a run takes.

Safety: every notebook's parameters cell is checked before anything runs (an unknown or
missing parameter is a :class:`ParameterError`). Each period is built in a staging folder
beside ``reports/<P>/`` and swapped in only when complete, so a failed run leaves the
previous report untouched; the executed notebooks of a failed run are kept in
``reports/_failed/<P>/`` with ``run.json`` saying what failed, in which notebook and cell.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import logging
import os
import platform
import queue
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import TextIO

from nq57lib.core import config
from nq57lib.core.atomic import atomic_dir, write_text_atomic
from nq57lib.core.errors import (
    EngineUnavailableError,
    InputMissingError,
    NotebookExecutionError,
    Nq57Error,
    ParameterError,
    RenderError,
    ValidationError,
)
from nq57lib.core.fmt import fmt_number
from nq57lib.core.periods import Period
from nq57lib.core.processed import quality_says_illustrative

# `make lab` installs jupyterlab, whose jupyter-events brings rfc3987-syntax; jsonschema
# (imported by nbformat) then builds that package's IRI grammar on import: +1.4 s measured
# here for every process that touches nbformat, for a format no notebook schema uses.
# jsonschema treats the package as optional, so this one-process run declines it.
sys.modules.setdefault("rfc3987_syntax", None)

STEPS = ("10-clean", "20-compare", "30-briefing")
# Exactly what each notebook's parameters cell must declare.
STEP_PARAMETERS = {
    "10-clean": ("period", "raw_dir", "processed_dir"),
    "20-compare": ("period", "processed_dir", "draw_charts"),
    "30-briefing": ("period", "processed_dir", "illustrative"),
}
FORMATS = ("html", "pdf", "xlsx")
FAILED_DIR = "_failed"
KERNEL_NAME = "python3"
CELL_TIMEOUT_S = 600
KERNEL_START_TIMEOUT_S = 60
_VERSIONS_OF = (
    "nq57lib", "pandas", "numpy", "openpyxl", "matplotlib", "papermill", "nbclient",
    "nbconvert", "nbformat", "ipykernel", "jupyter_client", "weasyprint", "pypdf",
)  # fmt: skip
# Run between notebooks in the shared kernel: no variable or figure survives from one
# notebook to the next, while imported modules (the slow part) stay loaded.
_RESET_CODE = (
    "get_ipython().run_line_magic('reset', '-f')\n"
    "import matplotlib.pyplot as _nq57_plt\n_nq57_plt.close('all')\ndel _nq57_plt\n"
)


# Imported in the kernel as soon as it starts (best effort: a failure here is ignored and
# resurfaces, with its real message, in the notebook that needs the module).
_WARM_UP_CODE = """
import importlib
for _name in ("pandas", "matplotlib", "matplotlib_inline.backend_inline", "nq57lib.collect.ingest",
              "nq57lib.assess.compare", "nq57lib.report.charts", "nq57lib.report.briefing"):
    try:
        importlib.import_module(_name)
    except Exception:
        pass
del _name, importlib
"""


# ── results ─────────────────────────────────────────────────────────────────


@dataclass
class StepResult:
    name: str
    seconds: float
    outcome: str  # "ok" or "failed"
    path: Path | None = None


@dataclass
class PeriodResult:
    period: Period
    steps: list[StepResult] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)
    report_dir: Path | None = None
    failed_dir: Path | None = None
    error: Nq57Error | None = None
    seconds: float = 0.0
    started: datetime = field(default_factory=lambda: datetime.now().astimezone())
    clock: float = field(default_factory=time.perf_counter, repr=False)

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class RunResult:
    periods: list[PeriodResult]
    seconds: float
    skipped: dict[str, str] = field(default_factory=dict)  # format -> why it was not made

    @property
    def ok(self) -> bool:
        return all(p.ok for p in self.periods)

    @property
    def errors(self) -> list[Nq57Error]:
        return [p.error for p in self.periods if p.error is not None]

    def summary_text(self) -> str:
        done = sum(p.ok for p in self.periods)
        lines = [
            f"nq57 run: {done}/{len(self.periods)} kỳ thành công "
            f"trong {fmt_number(self.seconds, 1)} giây."
        ]
        for result in self.periods:
            label = f"{result.period.label_vi} ({result.period.code})"
            if result.ok:
                lines.append(f"  ✓ {label}: {result.report_dir}")
                lines.extend(f"      {path.name}" for path in result.files.values())
            else:
                lines.append(f"  ✗ {label}: THẤT BẠI — {result.error}")
                if result.failed_dir:
                    lines.append(f"      Notebook đã chạy và run.json lưu tại {result.failed_dir}")
                lines.append("      Báo cáo trước đó của kỳ này (nếu có) được giữ nguyên.")
        lines.extend(f"  ! Không tạo {fmt.upper()}: {why}" for fmt, why in self.skipped.items())
        return "\n".join(lines)


# ── validation before anything runs ─────────────────────────────────────────


def notebook_parameters(path: Path) -> dict[str, dict]:
    """Parameters declared in the notebook's ``parameters`` cell, as papermill sees them.

    Papermill's line parser skips a line holding a second ``=`` (say, in the help comment)
    although it injects values into such a notebook just fine; names it missed are
    recovered from the cell's Python syntax so that validation matches what really runs.
    """
    import nbformat
    import papermill

    try:
        with _quiet("papermill"):
            found = dict(papermill.inspect_notebook(str(path)))
    except ValueError as error:  # e.g. no kernel named in the notebook's metadata
        raise ValidationError(path.name, [str(error)]) from None
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" not in cell.metadata.get("tags", []):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError as error:
            raise ParameterError(f"{path.name} (parameters cell: {error.msg})") from None
        for node in tree.body:
            targets = (
                node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            )
            for target in targets:
                if isinstance(target, ast.Name) and target.id not in found:
                    found[target.id] = {"name": target.id, "inferred_type_name": "None"}
    return found


def check_parameters(path: Path, parameters: Iterable[str]) -> None:
    """Raise :class:`ParameterError` unless ``parameters`` are exactly the declared ones."""
    declared = set(notebook_parameters(path))
    given = set(parameters)
    unknown, missing = sorted(given - declared), sorted(declared - given)
    if unknown or missing:
        raise ParameterError(path.name, unknown=unknown, missing=missing)


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


# ── the shared kernel ───────────────────────────────────────────────────────


@contextlib.contextmanager
def _quiet(logger_name: str, level: int = logging.ERROR) -> Iterator[None]:
    """Silence a library's warnings we have already turned into checks of our own."""
    logger = logging.getLogger(logger_name)
    before = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(before)


class _Kernel:
    """One python3 kernel for the whole run, over IPC sockets in a private folder.

    Right after start it is asked to import what the notebooks need; that runs in the
    kernel's process while this one validates the notebooks and loads the renderers.
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
        self.km = _tracking_manager()(
            kernel_name=KERNEL_NAME, transport="ipc", ip=os.path.join(self._sockets, "k")
        )
        try:
            self.km.start_kernel(cwd=str(self.cwd))
        except NoSuchKernel:
            raise NotebookExecutionError(
                "kernel", None, "NoSuchKernel",
                f"no Jupyter kernel named {KERNEL_NAME!r}; run `make install` (ipykernel)",
            ) from None  # fmt: skip
        # Imports run in the kernel while this process validates notebooks and loads the
        # renderers; the first notebook waits for them (see ensure).
        self._warmer = threading.Thread(target=self._run_code, args=(_WARM_UP_CODE,), daemon=True)
        self._warmer.start()
        return self.km

    def _run_code(self, code: str) -> bool:
        """Run ``code`` on a client of its own; False if the kernel does not answer.

        Only the shell channel is used: the reply is queued for us even if it comes before
        we listen, so there is no need for the IOPub handshake of ``wait_for_ready``.
        """
        client = self.km.client()
        client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        try:
            msg_id = client.execute(code, silent=True, store_history=False, allow_stdin=False)
            while (
                client.get_shell_msg(timeout=KERNEL_START_TIMEOUT_S)["parent_header"].get("msg_id")
                != msg_id
            ):
                continue
        except queue.Empty:
            return False
        finally:
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
        if self.km.is_alive() and not self._run_code(_RESET_CODE):
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


def _tracking_manager():
    """A KernelManager that remembers the clients it hands out, so that they can be closed.

    nbclient leaves the channels of its client open when the kernel manager is not its
    own (we pass ours to reuse one kernel), which would leak a few threads per notebook.
    """
    from jupyter_client.manager import KernelManager

    class TrackingKernelManager(KernelManager):
        def client(self, **kwargs):
            client = super().client(**kwargs)
            self.__dict__.setdefault("_nq57_clients", []).append(client)
            return client

        def close_clients(self) -> None:
            for client in self.__dict__.pop("_nq57_clients", []):
                if client.channels_running:
                    client.stop_channels()

    return TrackingKernelManager


# ── provenance ──────────────────────────────────────────────────────────────


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(config.PROJECT_ROOT))
    except ValueError:
        return str(path.resolve())


def _hashes(paths: Iterable[Path]) -> dict[str, str]:
    return {_shown(p): _sha256(p) for p in sorted(paths) if p.is_file()}


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in _VERSIONS_OF:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


# ── one period ──────────────────────────────────────────────────────────────


@dataclass
class _Settings:
    raw_dir: Path
    processed_dir: Path
    reports_dir: Path
    notebooks_dir: Path
    formats: list[str]
    engine: str
    illustrative: bool
    progress: TextIO | None
    versions: dict[str, str]
    backfilled: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


def _say(settings: _Settings, text: str) -> None:
    if settings.progress is not None:
        print(text, file=settings.progress, flush=True)


def _parameters(step: str, period: Period, settings: _Settings) -> dict:
    values = {
        "period": period.code,
        "raw_dir": str(settings.raw_dir),
        "processed_dir": str(settings.processed_dir),
        "illustrative": settings.illustrative,
        # The briefing draws its own charts; the comparison's are for analysts in JupyterLab.
        "draw_charts": False,
    }
    return {name: values[name] for name in STEP_PARAMETERS[step]}


def _source_cell_index(executed: Path, failed_index: int) -> int:
    """Index of the failing cell in the source notebook.

    Papermill counts its own injected-parameters cell in ``failed_index``, then writes the
    executed notebook with two error-banner cells added; neither exists in the source.
    """
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    cells = [c for c in nb.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
    injected = sum(
        "injected-parameters" in c.metadata.get("tags", []) for c in cells[:failed_index]
    )
    return failed_index - injected


def _execute(step: str, period: Period, settings: _Settings, kernel: _Kernel, out: Path) -> None:
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    source = settings.notebooks_dir / f"{step}.ipynb"
    # Where the executed notebook will be kept if this step fails (see _keep_failed).
    kept = _failed_dir(settings, period) / out.name
    km = kernel.ensure()
    try:
        with _quiet("papermill"):
            papermill.execute_notebook(
                str(source),
                str(out),
                parameters=_parameters(step, period, settings),
                kernel_name=KERNEL_NAME,
                km=km,
                progress_bar=bool(settings.progress is not None and settings.progress.isatty()),
                request_save_on_cell_execute=False,
                execution_timeout=CELL_TIMEOUT_S,
            )
    except PapermillExecutionError as error:
        raise NotebookExecutionError(
            source.name,
            _source_cell_index(out, error.cell_index),
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


def _run_notebooks(period: Period, settings: _Settings, kernel: _Kernel, work: Path, result):
    """Phase 1 (this thread, the kernel busy): execute the three notebooks into ``work``."""
    for step in STEPS:
        started = time.perf_counter()
        _say(settings, f"[{period.code}] {step} …")
        out = work / f"{step}.ipynb"
        try:
            _execute(step, period, settings, kernel, out)
        except Nq57Error:
            result.steps.append(StepResult(step, time.perf_counter() - started, "failed", out))
            raise
        result.steps.append(StepResult(step, time.perf_counter() - started, "ok", out))


def _render(period: Period, settings: _Settings, stage: Path, result: PeriodResult) -> None:
    """Phase 2 (worker thread): HTML and PDF from the executed briefing, the Excel appendix."""
    from nq57lib.report.briefing import report_title
    from nq57lib.report.render import render_notebook

    wanted = [f for f in settings.formats if f in ("html", "pdf")]
    if wanted:
        started = time.perf_counter()
        _say(settings, f"[{period.code}] render {'+'.join(wanted)} ({settings.engine}) …")
        try:
            render_notebook(
                stage / "30-briefing.ipynb",
                stage,
                wanted,
                settings.engine,
                basename=f"bao-cao-{period.code}",
                title=report_title(period),
            )
        except Nq57Error:
            result.steps.append(StepResult("render", time.perf_counter() - started, "failed"))
            raise
        result.steps.append(StepResult("render", time.perf_counter() - started, "ok"))
    if "xlsx" in settings.formats:
        appendix = settings.processed_dir / period.code / "status.xlsx"
        if not appendix.is_file():
            raise RenderError("xlsx", f"{appendix} not found: 20-compare did not write it")
        shutil.copyfile(appendix, stage / f"phu-luc-{period.code}.xlsx")


def _run_record(period: Period, settings: _Settings, result: PeriodResult, inputs: dict):
    error = result.error
    return {
        "period": period.code,
        "outcome": "ok" if error is None else "failed",
        "started": result.started.isoformat(timespec="seconds"),
        "finished": datetime.now().astimezone().isoformat(timespec="seconds"),
        "seconds": round(result.seconds, 3),
        "steps": [
            {"step": s.name, "seconds": round(s.seconds, 3), "outcome": s.outcome}
            for s in result.steps
        ],
        "error": None
        if error is None
        else {
            "type": type(error).__name__,
            "message": str(error),
            "notebook": getattr(error, "notebook", None),
            "cell_index": getattr(error, "cell_index", None),
        },
        "parameters": {step: _parameters(step, period, settings) for step in STEPS},
        "formats": settings.formats,
        "engine": settings.engine,
        "backfilled": settings.backfilled,
        "skipped": settings.skipped,
        # What the briefing showed: forced by the parameter or carried by the data.
        "illustrative": settings.illustrative
        or quality_says_illustrative(settings.processed_dir, [period]),
        "files": sorted(p.name for p in result.files.values()),
        "inputs": inputs,
        "outputs": {"processed": _hashes((settings.processed_dir / period.code).glob("*"))},
        "versions": settings.versions,
    }


def _inputs(period: Period, settings: _Settings) -> dict:
    """Hashes of everything the run of ``period`` read, taken when it read them."""
    raw = settings.raw_dir / period.code
    earlier = []
    for folder in settings.processed_dir.glob("*"):
        with contextlib.suppress(Nq57Error):
            if folder.is_dir() and Period.parse(folder.name) < period:
                earlier.append(folder / "observations.csv")
    return {
        "raw": _hashes(raw.rglob("*") if raw.is_dir() else []),
        "earlier_processed": _hashes(earlier),
        "plan": _hashes([config.PLAN_PATH]),
        "registry": _hashes([config.REGISTRY_PATH, config.REPORTING_UNITS_PATH]),
        "notebooks": _hashes(settings.notebooks_dir / f"{s}.ipynb" for s in STEPS),
    }


def _write_run_json(folder: Path, record: dict) -> None:
    write_text_atomic(json.dumps(record, ensure_ascii=False, indent=2) + "\n", folder / "run.json")


def _load_renderers(settings: _Settings) -> None:
    """Import nbconvert and the PDF engine (≈1 s) while the kernel runs the first notebook.

    Runs first on the render thread, so every period's rendering sees its outcome.
    """
    if {"html", "pdf"} & set(settings.formats):
        import nq57lib.report.render  # noqa: F401  (nbconvert, the exporter and its template)

        if "pdf" in settings.formats:
            _drop_pdf_without_engine(settings)


def _drop_pdf_without_engine(settings: _Settings) -> None:
    """An optional system library (Pango) or program (chromium) is missing: the HTML
    briefing is still worth having, so the run goes on without the PDF and says so."""
    from nq57lib.report.render import check_engine

    try:
        check_engine(settings.engine)
    except EngineUnavailableError as error:
        settings.formats.remove("pdf")
        settings.skipped["pdf"] = str(error)
        _say(settings, f"WARNING: no PDF this run — {error}")


def _failed_dir(settings: _Settings, period: Period) -> Path:
    return settings.reports_dir / FAILED_DIR / period.code


def _fail(period: Period, settings: _Settings, result: PeriodResult, source: Path, error, inputs):
    """Keep what a failed period produced in ``reports/_failed/<P>/``, with its run.json."""
    result.error = error
    result.failed_dir = _failed_dir(settings, period)
    result.seconds = time.perf_counter() - result.clock
    with atomic_dir(result.failed_dir) as keep:
        for item in source.iterdir():
            if item.is_file():
                shutil.copy2(item, keep / item.name)
        _write_run_json(keep, _run_record(period, settings, result, inputs))
    _say(settings, f"[{period.code}] FAILED — {error}")
    return result


def _finish(period: Period, settings: _Settings, result: PeriodResult, work: Path, inputs: dict):
    """Phase 2: render into a staging folder and swap it in as ``reports/<P>/``."""
    target = settings.reports_dir / period.code
    try:
        with atomic_dir(target) as stage:
            for item in work.iterdir():
                shutil.move(str(item), stage / item.name)
            try:
                _render(period, settings, stage, result)
            except Nq57Error as error:
                _fail(period, settings, result, stage, error, inputs)
                raise
            result.files = {p.name: target / p.name for p in sorted(stage.iterdir())}
            result.files["run.json"] = target / "run.json"
            result.seconds = time.perf_counter() - result.clock
            _write_run_json(stage, _run_record(period, settings, result, inputs))
    except Nq57Error:
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(_failed_dir(settings, period), ignore_errors=True)
    result.report_dir = target
    _say(settings, f"[{period.code}] done in {fmt_number(result.seconds, 1)} s → {target}")
    return result


# ── public entry point ──────────────────────────────────────────────────────


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
) -> RunResult:
    """Clean, compare and brief each period in time order; one failed period never stops the rest.

    Raises before anything runs when the request itself is wrong (a bad period or format,
    a missing raw folder, notebook parameters that do not match, an unavailable PDF engine).
    A notebook or rendering failure is recorded in the returned :class:`RunResult` (``ok`` is
    False, the error names notebook and cell) and the previous report stays in place.
    ``illustrative`` forces the "Số liệu minh họa" label; it is also shown whenever the
    cleaned data carry it. ``progress``: True prints one line per step on stderr (and
    papermill's cell progress bar when stderr is a terminal), a stream receives the lines,
    False is silent.
    """
    clock = time.perf_counter()
    chosen = _parse_periods(periods)
    settings = _Settings(
        raw_dir=Path(raw_dir or config.DATA_RAW).resolve(),
        processed_dir=Path(processed_dir or config.DATA_PROCESSED).resolve(),
        reports_dir=Path(reports_dir or config.REPORTS_DIR).resolve(),
        notebooks_dir=Path(notebooks_dir or config.NOTEBOOKS_DIR).resolve(),
        formats=_check_formats(formats),
        engine=engine,
        illustrative=bool(illustrative),
        progress=sys.stderr if progress is True else (progress or None),
        versions=_versions(),
    )
    kernel = _Kernel(settings.notebooks_dir)
    results: list[PeriodResult] = []
    try:
        # The kernel warms up (imports) in its own process while this one validates.
        kernel.start()
        _preflight(chosen, settings)
        settings.backfilled = _backfill_history(chosen, settings)
        # Rendering period k overlaps with the notebooks of period k+1: one worker thread.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="nq57-render") as renderer:
            # Load nbconvert and WeasyPrint while the kernel runs the first notebooks.
            pending = [renderer.submit(_load_renderers, settings)]
            for period in chosen:
                result = PeriodResult(period)
                settings.reports_dir.mkdir(parents=True, exist_ok=True)
                work = Path(
                    tempfile.mkdtemp(prefix=f".{period.code}.work.", dir=settings.reports_dir)
                )
                try:
                    _run_notebooks(period, settings, kernel, work, result)
                except Nq57Error as error:
                    results.append(
                        _fail(period, settings, result, work, error, _inputs(period, settings))
                    )
                    shutil.rmtree(work, ignore_errors=True)
                    continue
                inputs = _inputs(period, settings)
                pending.append(renderer.submit(_finish, period, settings, result, work, inputs))
                results.append(result)
            for future in pending:
                future.result()
    finally:
        kernel.stop()
    return RunResult(results, time.perf_counter() - clock, dict(settings.skipped))


def _stale_history(chosen: list[Period], raw_dir: Path, processed_dir: Path) -> list[Period]:
    """Earlier raw periods whose processed tables are missing or older than their workbooks.

    The comparison of P reads every processed period up to P; a quarterly run on a fresh
    machine (or after a unit resubmits an earlier quarter) must not judge trends on a
    partial history, so those periods are cleaned again first.
    """
    latest = max(chosen)
    stale = []
    for folder in sorted(p for p in raw_dir.iterdir() if p.is_dir()):
        try:
            period = Period.parse(folder.name)
        except Nq57Error:
            continue  # e.g. data/raw/plan
        if period in chosen or not period < latest:
            continue
        done = processed_dir / period.code / "observations.csv"
        newest_raw = max((f.stat().st_mtime for f in folder.rglob("*") if f.is_file()), default=0)
        if not done.is_file() or done.stat().st_mtime < newest_raw:
            stale.append(period)
    return sorted(stale)


def _backfill_history(chosen: list[Period], settings: _Settings) -> list[str]:
    """Clean the stale earlier periods in this process (the kernel is still warming up)."""
    stale = _stale_history(chosen, settings.raw_dir, settings.processed_dir)
    if not stale:
        return []
    from nq57lib.collect.ingest import clean_period

    for period in stale:
        _say(settings, f"[{period.code}] history: cleaning (processed tables missing or stale)")
        clean_period(period, raw_dir=settings.raw_dir, processed_dir=settings.processed_dir)
    return [p.code for p in stale]


def _preflight(periods: list[Period], settings: _Settings) -> None:
    missing = [
        settings.raw_dir / p.code for p in periods if not (settings.raw_dir / p.code).is_dir()
    ]
    if len(missing) == 1:
        raise InputMissingError(missing[0], "put the units' Excel workbooks of that period there")
    if missing:
        raise ValidationError(
            "raw data", [f"{path} not found: put the units' workbooks there" for path in missing]
        )
    notebooks = [settings.notebooks_dir / f"{step}.ipynb" for step in STEPS]
    absent = [str(nb) for nb in notebooks if not nb.is_file()]
    if absent:
        raise ValidationError("notebooks", [f"{nb} not found" for nb in absent])
    problems: list[ParameterError] = []
    for step, notebook in zip(STEPS, notebooks, strict=True):
        try:
            check_parameters(notebook, STEP_PARAMETERS[step])
        except ParameterError as error:
            problems.append(error)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationError("notebook parameters", [str(p) for p in problems])
