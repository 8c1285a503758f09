"""One ward's run: its project, the request, its progress reporter and what it decided.

:class:`WardRun` is what the stages of :mod:`nq57lib.run.pipeline` pass each other. Its
parts stay apart: the :class:`~nq57lib.run.request.RunRequest` (frozen, shared by every
ward of a batch), the :class:`~nq57lib.run.progress.Progress` (the screen and run.json),
and the :class:`WardOutcome` (what the run decided along the way: a PDF left out, earlier
periods cleaned again), which goes into the results.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from nq57lib.core.errors import InputMissingError, ParameterError, ValidationError
from nq57lib.core.periods import Period
from nq57lib.core.project import Project
from nq57lib.run.params import STEP_PARAMETERS, STEPS, check_parameters
from nq57lib.run.progress import Progress
from nq57lib.run.request import RunRequest, raise_gathered, stale_history
from nq57lib.run.scope import data_period


@dataclass
class WardOutcome:
    """What a ward's run decided while it ran (results, never the request)."""

    backfilled: list[str] = field(default_factory=list)  # earlier periods cleaned again
    skipped: dict[str, str] = field(default_factory=dict)  # format -> why it was not made
    # Render threads decide a skip; one at a time.
    guard: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)


@dataclass(frozen=True)
class WardRun:
    project: Project  # the ward's profile and folders (the run's --raw-dir … applied)
    request: RunRequest
    progress: Progress
    versions: dict[str, str]
    outcome: WardOutcome = field(default_factory=WardOutcome)

    @property
    def raw_dir(self) -> Path:
        return self.project.raw_dir

    @property
    def processed_dir(self) -> Path:
        return self.project.processed_dir

    @property
    def reports_dir(self) -> Path:
        return self.project.reports_dir

    @property
    def formats(self) -> list[str]:
        """The formats still to make: the request's, less those the run had to leave out."""
        return [f for f in self.request.formats if f not in self.outcome.skipped]

    def say(self, period: Period | None, text: str) -> None:
        """One progress line, headed by the period it is about."""
        code = period.code if period is not None else None
        self.progress.say(f"[{code}] {text}" if code else text, period=code)


def backfill_history(chosen: list[Period], ward: WardRun) -> list[str]:
    """Clean the stale earlier periods in this process (the kernel is still warming up)."""
    stale = stale_history(chosen, ward.project)
    if not stale:
        return []

    # Imported here, not at the top: the kernel starts before pandas loads in this process.
    from nq57lib.collect.ingest import clean_period

    for period in stale:
        ward.say(period, "history: cleaning (processed tables missing or stale)")
        clean_period(ward.project, period)
    return [p.code for p in stale]


def preflight(periods: list[Period], ward: WardRun) -> dict[Period, Period]:
    """Check the request against the ward before anything runs; return each report's
    data period."""
    sources, problems = {}, []
    for period in periods:
        try:
            sources[period] = data_period(period, ward.raw_dir, ward.request.as_of)
        except InputMissingError as error:
            problems.append(error)
    raise_gathered(problems, "raw data")
    notebooks = [ward.request.notebooks_dir / f"{step}.ipynb" for step in STEPS]
    absent = [str(nb) for nb in notebooks if not nb.is_file()]
    if absent:
        raise ValidationError("notebooks", [f"{nb} not found" for nb in absent])
    checked: list[ParameterError] = []
    for step, notebook in zip(STEPS, notebooks, strict=True):
        try:
            check_parameters(notebook, STEP_PARAMETERS[step])
        except ParameterError as error:
            checked.append(error)
    raise_gathered(checked, "notebook parameters")
    return sources
