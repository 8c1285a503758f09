"""What a run is asked to do, checked before anything runs: periods, formats, raw data,
notebooks and their parameters; and the earlier periods it must clean first."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from nq57lib.collect.entries import period_entries, register_entries
from nq57lib.core.errors import InputMissingError, Nq57Error, ParameterError, ValidationError
from nq57lib.core.periods import Period
from nq57lib.core.project import Project
from nq57lib.run.params import STEP_PARAMETERS, STEPS, check_parameters
from nq57lib.run.results import Settings, say
from nq57lib.run.scope import data_period, raw_periods

FORMATS = ("html", "pdf", "xlsx")


def parse_periods(periods: Sequence[str] | str) -> list[Period]:
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


def check_formats(formats: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        problems = [f"unknown format {f!r}" for f in unknown] or ["no format given"]
        raise ValidationError(f"--formats (choose from {', '.join(FORMATS)})", problems)
    return chosen


def _newest(paths) -> float:
    return max((p.stat().st_mtime for p in paths if p.is_file()), default=0.0)


def stale_history(chosen: list[Period], project: Project) -> list[Period]:
    """Earlier raw periods whose processed tables are missing or older than their inputs.

    The comparison of P reads every processed period up to P; a quarterly run on a fresh
    machine (or after a unit resubmits an earlier quarter, the ward office amends the
    assignment register, or an analyst edits the registry, the units file or the plan)
    must not judge trends on a partial or outdated history, so those periods are cleaned
    again first.
    """
    latest = max(chosen)
    raw_dir, processed_dir = project.raw_dir, project.processed_dir
    shared = max(
        _newest(e.path for e in register_entries(raw_dir) if not e.problem),
        _newest((project.registry_path, project.units_path, project.plan_path)),
    )
    stale = []
    for period in raw_periods(raw_dir):
        if period in chosen or not period < latest:
            continue
        done = processed_dir / period.code / "observations.csv"
        # Listed as cleaning lists them: no recursion, no link followed out of the raw folder.
        newest_raw = _newest(e.path for e in period_entries(raw_dir / period.code, raw_dir))
        if not done.is_file() or done.stat().st_mtime < max(newest_raw, shared):
            stale.append(period)
    return sorted(stale)


def backfill_history(chosen: list[Period], settings: Settings) -> list[str]:
    """Clean the stale earlier periods in this process (the kernel is still warming up)."""
    stale = stale_history(chosen, settings.project)
    if not stale:
        return []

    # Imported here, not at the top: the kernel starts before pandas loads in this process.
    from nq57lib.collect.ingest import clean_period

    for period in stale:
        say(settings, f"[{period.code}] history: cleaning (processed tables missing or stale)")
        clean_period(settings.project, period)
    return [p.code for p in stale]


def _raise_gathered(errors: list[Nq57Error], source: str) -> None:
    """One error as itself (its own class and message); several as one ValidationError."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ValidationError(source, [str(e) for e in errors])


def preflight(periods: list[Period], settings: Settings) -> dict[Period, Period]:
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
