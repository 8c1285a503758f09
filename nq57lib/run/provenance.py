"""Provenance of a run: hashes of what it read and wrote, versions, and its ``run.json``."""

from __future__ import annotations

import contextlib
import hashlib
import json
import platform
from collections.abc import Iterable
from datetime import datetime
from importlib import metadata
from pathlib import Path

from nq57lib.collect.entries import (
    list_entries,
    period_entries,
    readable_files,
    register_entries,
)
from nq57lib.core import config
from nq57lib.core.atomic import write_text_atomic
from nq57lib.core.errors import Nq57Error
from nq57lib.core.periods import Period
from nq57lib.core.processed import quality_says_illustrative
from nq57lib.core.textnorm import utf8_safe
from nq57lib.run.params import STEP_PARAMETERS, STEPS
from nq57lib.run.results import PeriodResult
from nq57lib.run.ward import WardRun

VERSIONS_OF = (
    "nq57lib", "pandas", "numpy", "openpyxl", "matplotlib", "papermill", "nbclient",
    "nbconvert", "nbformat", "ipykernel", "jupyter_client", "weasyprint", "pypdf",
)  # fmt: skip


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def shown(path: Path, root: Path) -> str:
    """``path`` relative to the project folder ``root`` if inside it."""
    try:
        return utf8_safe(str(path.resolve().relative_to(root)))
    except ValueError:
        return utf8_safe(str(path.resolve()))


def hashes(paths: Iterable[Path], root: Path) -> dict[str, str]:
    """Hashes of the regular files among ``paths``; one larger than any file nq57 reads
    (the plan's and the workbooks' cap) is not read either: nq57 refused it unread."""
    cap = max(config.MAX_PLAN_FILE_BYTES, config.MAX_WORKBOOK_BYTES)
    return {
        shown(p, root): sha256(p) for p in sorted(paths) if p.is_file() and p.stat().st_size <= cap
    }


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in VERSIONS_OF:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def parameters(step: str, job: PeriodResult, run: WardRun, issuer: str = "") -> dict:
    """What each notebook of a report's run receives: the data period for cleaning and
    comparison; the briefing also gets the report's own period, the cut-off date and who
    issues it ("" the People's Committee, "bcd" the steering committee)."""
    values = {
        "issuer": issuer,
        "project": str(run.project.root),
        "period": job.data.code,
        "report_period": job.period.code if job.period != job.data else "",
        "as_of": run.request.as_of.isoformat() if run.request.as_of else "",
        "raw_dir": str(run.raw_dir),
        "processed_dir": str(run.processed_dir),
        "illustrative": run.request.illustrative,
        # The briefing draws its own charts; the comparison's are for analysts in JupyterLab.
        "draw_charts": False,
    }
    return {name: values[name] for name in STEP_PARAMETERS[step]}


def outcome_record(period: Period, result: PeriodResult) -> dict:
    """The part of run.json that needs nothing but the period's result (when, how long,
    which step failed and why): the failure handler's last resort writes it alone."""
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
        "data_period": result.data.code,
    }


def shows_illustrative(result: PeriodResult, run: WardRun) -> bool:
    """Whether the briefing says "số liệu minh họa": forced by the run, or carried by the
    data's cleaning record."""
    return run.request.illustrative or quality_says_illustrative(run.processed_dir, [result.data])


def calendar_record(period: Period, data: Period, run: WardRun) -> dict:
    """The report's window, cut-off and due dates by the ward's calendar (page 1 prints
    them): the window is the report's period, the cut-off its data period's (or --as-of)."""
    calendar = run.project.profile.calendar
    cutoff = calendar.cutoff(data, run.request.as_of)
    units_due = calendar.units_due(period)
    return {
        "mode": calendar.cutoff_mode,
        "start": calendar.start(period).isoformat(),
        "cutoff": cutoff.isoformat(),
        "report_due": calendar.report_due(period).isoformat(),
        "units_due": units_due.isoformat() if units_due else None,
    }


def run_record(period: Period, run: WardRun, result: PeriodResult, inputs: dict):
    return {
        **outcome_record(period, result),
        "project": str(run.project.root),
        "as_of": run.request.as_of.isoformat() if run.request.as_of else None,
        "calendar": calendar_record(period, result.data, run),
        "parameters": {step: parameters(step, result, run) for step in STEPS},
        "formats": run.formats,
        "engine": run.request.engine,
        "backfilled": run.outcome.backfilled,
        "skipped": run.outcome.skipped,
        "illustrative": shows_illustrative(result, run),
        "files": sorted(p.name for p in result.files.values()),
        "inputs": inputs,
        "reuse": result.fingerprints,
        # Written by a render thread, maybe while this process works on another ward.
        "outputs": {
            "processed": hashes((run.processed_dir / result.data.code).glob("*"), run.project.root)
        },
        "versions": run.versions,
        "log": run.progress.run_json.lines(period.code),  # the period's progress lines
    }


def _files(folder: Path, root: Path | None = None) -> list[Path]:
    """The regular files under ``folder`` that reading would open, listed without
    recursion (a chain of 1,100 folders raised RecursionError from rglob) and without
    following a link out of ``root`` (default ``folder``)."""
    if not folder.is_dir():
        return []
    entries = list_entries(folder, root or folder)
    return sorted(readable_files(entries, config.MAX_WORKBOOK_BYTES))


def raw_reads(raw: Path, period: str) -> list[Path]:
    """What a period's run reads of its raw folder, as cleaning and the briefing read it:
    the units' files (a link leading outside the raw folder, a FIFO or a file over the
    workbook cap is refused there, so it is neither hashed here) and the narrative."""
    folder = raw / period
    if not folder.is_dir():
        return []
    found = readable_files(period_entries(folder, raw), config.MAX_WORKBOOK_BYTES)
    narrative = list_entries(
        folder, raw, recursive=False, keep=lambda name: name == config.NARRATIVE_FILE
    )
    found += readable_files(narrative, config.MAX_NARRATIVE_BYTES)
    return sorted(found)


def step_reads(step: str, job: PeriodResult, run: WardRun) -> dict[str, list[Path]]:
    """The files ``step`` reads for ``job`` (besides its notebook), by kind: what run.json
    lists as inputs and what a reused step's fingerprint covers."""
    project = run.project
    shared = {
        "plan": [project.plan_path],
        "profile": [project.profile_path],
        "registry": [project.registry_path, project.units_path],
    }
    if step == "10-clean":
        raw = run.raw_dir
        return {
            "raw": raw_reads(raw, job.data.code),
            "register": sorted(readable_files(register_entries(raw), config.MAX_WORKBOOK_BYTES)),
            **shared,
        }
    earlier = []
    for folder in sorted(run.processed_dir.glob("*")):
        with contextlib.suppress(Nq57Error):
            if folder.is_dir() and Period.parse(folder.name) < job.data:
                earlier.extend(_files(folder, run.processed_dir))
    return {"earlier_processed": earlier, **shared}


def input_hashes(job: PeriodResult, run: WardRun) -> dict:
    """Hashes of everything the run of ``job``'s period read, taken when it read them."""
    read: dict[str, list[Path]] = {}
    for step in ("10-clean", "20-compare"):
        for kind, paths in step_reads(step, job, run).items():
            read.setdefault(kind, []).extend(p for p in paths if p not in read.get(kind, []))
    root = run.project.root
    return {
        **{kind: hashes(paths, root) for kind, paths in read.items()},
        "notebooks": hashes((run.request.notebooks_dir / f"{s}.ipynb" for s in STEPS), root),
    }


def json_safe(value):
    """``value`` as JSON in a UTF-8 file can hold it: text :func:`utf8_safe` (a raw file
    named with bytes that are not UTF-8, an error quoting it), paths as text."""
    if isinstance(value, dict):
        return {json_safe(str(k)): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, str):
        return utf8_safe(value)
    if isinstance(value, Path):
        return utf8_safe(str(value))
    return value


def write_run_json(folder: Path, record: dict) -> None:
    text = json.dumps(json_safe(record), ensure_ascii=False, indent=2, default=str)
    write_text_atomic(text + "\n", folder / "run.json")
