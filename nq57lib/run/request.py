"""What a run is asked to do (:class:`RunRequest`), checked before anything runs; and the
earlier periods a ward must clean first (:func:`stale_history`).

One request serves ``nq57 run`` for one ward and ``nq57 run --projects`` for many: the
command line builds it once (``cli._run_request``), and what a ward's run decides along
the way (a PDF left out, history cleaned) is kept in its results, never in the request."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from nq57lib.collect.entries import period_entries, register_entries
from nq57lib.core import config
from nq57lib.core.errors import Nq57Error, ValidationError
from nq57lib.core.periods import Period
from nq57lib.core.project import Project
from nq57lib.run.scope import raw_periods

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


def raise_gathered(errors: Sequence[Nq57Error], source: str) -> None:
    """One error as itself (its own class and message); several as one ValidationError."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ValidationError(source, [str(e) for e in errors])


@dataclass(frozen=True)
class RunRequest:
    """What to run, for one ward or for each ward of a batch alike; made by :meth:`make`.

    ``formats``: of :data:`FORMATS`. ``engine``: the PDF engine. ``illustrative`` forces the
    "Số liệu minh họa" label (it is shown anyway whenever the data carry it). ``as_of``: the
    cut-off of a report drawn up before its period ends (:mod:`nq57lib.run.scope`).
    ``reuse``: cleaning and comparison whose inputs are unchanged since the period's last
    report are not run again (:mod:`nq57lib.run.reuse`). ``render_processes``: how many
    processes lay out reports (0: in this process). ``notebooks_dir``: the notebooks run.
    """

    periods: tuple[Period, ...]
    formats: tuple[str, ...] = FORMATS
    engine: str = "weasyprint"
    illustrative: bool = False
    as_of: date | None = None
    reuse: bool = True
    render_processes: int = 2
    notebooks_dir: Path = config.NOTEBOOKS_DIR

    @classmethod
    def make(
        cls,
        periods: Sequence[str] | str,
        formats: Iterable[str] = FORMATS,
        *,
        engine: str = "weasyprint",
        illustrative: bool = False,
        as_of: date | str | None = None,
        reuse: bool = True,
        render_processes: int = 2,
        notebooks_dir: Path | str | None = None,
    ) -> RunRequest:
        """The request, its periods and formats checked (a :class:`ValidationError` names
        every problem at once)."""
        errors: list[ValidationError] = []
        chosen: list[Period] = []
        made: list[str] = []
        cut_off = None
        try:
            chosen = parse_periods(periods)
        except ValidationError as error:
            errors.append(error)
        try:
            made = check_formats(formats)
        except ValidationError as error:
            errors.append(error)
        try:
            cut_off = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
        except ValueError:
            errors.append(ValidationError("--as-of", [f"not a date YYYY-MM-DD: {as_of!r}"]))
        raise_gathered(errors, "the run request")
        return cls(
            periods=tuple(chosen),
            formats=tuple(made),
            engine=engine,
            illustrative=bool(illustrative),
            as_of=cut_off,
            reuse=bool(reuse),
            render_processes=max(0, int(render_processes)),
            notebooks_dir=Path(notebooks_dir or config.NOTEBOOKS_DIR).resolve(),
        )
