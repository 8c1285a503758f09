"""A failed period's record: ``reports/_failed/<P>/`` with the notebooks it ran and ``run.json``.

The handler runs because something already went wrong, often because the system refuses
writes (a full disk, a read-only folder, a raw file whose name is not UTF-8 in the
record). So it must not fail itself. It builds the record from less and less (no input
hashes, then a minimal record) and writes less and less (without the notebooks, then
nothing). When nothing can be written, one line of the summary says why. Each attempt
builds its folder beside ``_failed/<P>`` and removes it on failure, so nothing is left
behind.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from nq57lib.core import config
from nq57lib.core.atomic import atomic_dir
from nq57lib.core.errors import os_error_text
from nq57lib.core.periods import Period
from nq57lib.core.textnorm import utf8_safe
from nq57lib.run.provenance import input_hashes, outcome_record, run_record, write_run_json
from nq57lib.run.results import PeriodResult, reason
from nq57lib.run.ward import WardRun


def failed_dir(run: WardRun, period: Period) -> Path:
    return run.reports_dir / config.FAILED_DIR / period.code


def why(problem: BaseException, path_named: bool = False) -> str:
    """What went wrong, on one line; without the path when the sentence names it already."""
    if isinstance(problem, OSError):
        if path_named:
            return problem.strerror or type(problem).__name__
        return os_error_text(problem)
    return utf8_safe(f"{type(problem).__name__}: {problem}".splitlines()[0])


def keep_failure(
    period: Period,
    run: WardRun,
    result: PeriodResult,
    source: Path | None,
    error: BaseException,
    inputs: dict | None = None,
) -> PeriodResult:
    """Record ``error`` as the period's outcome and keep what it ran in ``_failed/<P>/``.

    ``source`` is the folder of executed notebooks (None if it could not even be made).
    Never raises, except for the interruption of a second Ctrl-C.
    """
    result.error = error
    result.failed_dir = None
    result.seconds = time.perf_counter() - result.clock
    target = failed_dir(run, period)
    record = _record(period, run, result, inputs)
    try:
        _write(target, source, record)
        result.failed_dir = target
    # Broad on purpose, here and below: the handler must survive any failure of its own
    # (a full disk, a bug in a record's field), or the run would end with a traceback and
    # no record at all.
    except Exception as problem:
        try:
            lean = {**record, "kept_notebooks": f"không sao lưu được: {why(problem)}"}
            _write(target, None, lean)
            result.failed_dir = target
        except Exception as last:
            result.record_problem = utf8_safe(
                f"Không ghi được {target / 'run.json'}: {why(last, path_named=True)}"
            )
    run.say(period, f"FAILED — {reason(error)}")
    if result.record_problem:
        run.say(period, f"{result.record_problem}")
    return result


def _write(target: Path, source: Path | None, record: dict) -> None:
    with atomic_dir(target) as keep:
        if source is not None and source.is_dir():
            for item in sorted(source.iterdir()):
                if item.is_file() and not item.name.startswith("."):
                    shutil.copy2(item, keep / item.name)
        write_run_json(keep, record)


def _record(period: Period, run: WardRun, result: PeriodResult, inputs: dict | None):
    if inputs is None:
        try:
            inputs = input_hashes(result, run)
        except Exception as problem:  # broad on purpose: see keep_failure
            inputs = {"error": why(problem)}
    try:
        return run_record(period, run, result, inputs)
    except Exception as problem:  # broad on purpose: see keep_failure
        return {
            **outcome_record(period, result),
            "outcome": "failed",
            "inputs": inputs,
            "record_error": why(problem),
        }
