"""What the briefing of one period reads, loaded once: :class:`BriefingData`.

:func:`load_briefing_data` is the report stage's only reader of files (the processed
tables of the period and the observations before it) and of the clock (the report's
date); every section builder works on the loaded data alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from nq57lib.collect.units import load_reporting_units
from nq57lib.core import config
from nq57lib.core.errors import InputMissingError, ValidationError
from nq57lib.core.periods import Period
from nq57lib.core.processed import (
    is_illustrative,
    processed_periods,
    quality_says_illustrative,
    read_observations,
    read_table,
)
from nq57lib.core.schema import SCORECARD_COLUMNS, TASK_REPORT_COLUMNS, TASK_STATUS_COLUMNS
from nq57lib.plan.registry import load_registry

# The status columns the briefing cannot do without.
NEEDED_STATUS_COLUMNS = (
    "period", "indicator_id", "area", "milestone_year", "comparator", "target", "value_max",
    "value", "value_period", "baseline", "baseline_period", "expected_now", "gap",
    "progress_ratio", "status", "method_note", "name_vi", "kind", "unit",
)  # fmt: skip
_TEXT_COLUMNS = {"period": str, "value_period": str, "baseline_period": str, "previous_status": str}


@dataclass(frozen=True)
class BriefingData:
    """Every table the briefing of one period draws on.

    ``status`` is the comparison's ``status.csv`` (it carries each indicator's name, unit
    and kind); ``history`` its ``status_history.csv``; ``submissions`` is optional (which
    unit sent what). ``indicator_names`` names every registry indicator, for the lists of
    what a unit still owes. ``report_date`` is printed in the date line.
    """

    period: Period
    status: pd.DataFrame
    history: pd.DataFrame
    observations: pd.DataFrame
    quarantine: pd.DataFrame
    quality: pd.DataFrame
    submissions: pd.DataFrame
    illustrative: bool = True
    indicator_names: dict[str, str] = field(default_factory=dict)
    report_date: date = field(default_factory=date.today)
    task_status: pd.DataFrame = field(default_factory=lambda: _empty(TASK_STATUS_COLUMNS))
    scorecard: pd.DataFrame = field(default_factory=lambda: _empty(SCORECARD_COLUMNS))
    task_reports: pd.DataFrame = field(default_factory=lambda: _empty(TASK_REPORT_COLUMNS))
    unit_names: dict[str, str] = field(default_factory=dict)


def _empty(columns) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=_TEXT_COLUMNS, keep_default_na=False, na_values=[""])


def _optional_csv(path: Path) -> pd.DataFrame:
    return _read_csv(path) if path.exists() else pd.DataFrame()


def load_briefing_data(
    period: str | Period,
    processed_dir: Path | str | None = None,
    illustrative: bool = False,
    report_date: date | None = None,
) -> BriefingData:
    """Read what cleaning and comparison wrote for ``period`` (and the observations before it).

    The data are marked illustrative when ``illustrative`` is set or when the data say so
    themselves (:func:`nq57lib.core.processed.is_illustrative`): the label is never lost.
    ``report_date`` defaults to today.
    """
    period = Period.parse(period)
    processed_dir = Path(processed_dir) if processed_dir else config.DATA_PROCESSED
    folder = processed_dir / period.code
    status_path = folder / "status.csv"
    if not status_path.exists():
        raise InputMissingError(status_path, f"run `nq57 compare --period {period.code}` first")
    status = _read_csv(status_path)
    missing = [c for c in NEEDED_STATUS_COLUMNS if c not in status.columns]
    if missing:
        raise ValidationError(str(status_path), [f"column '{c}' is missing" for c in missing])
    earlier = [p for p in processed_periods(processed_dir) if p <= period]
    observations = read_observations(processed_dir, earlier)
    return BriefingData(
        period=period,
        status=status,
        history=_optional_csv(folder / "status_history.csv"),
        observations=observations,
        quarantine=_optional_csv(folder / "quarantine.csv"),
        quality=_optional_csv(folder / "quality.csv"),
        submissions=_optional_csv(folder / "submissions.csv"),
        illustrative=bool(illustrative)
        or is_illustrative(observations)
        or quality_says_illustrative(processed_dir, [period]),
        indicator_names={i.id: i.name_vi for i in load_registry()},
        report_date=report_date or date.today(),
        task_status=read_table(folder / "task_status.csv", TASK_STATUS_COLUMNS),
        scorecard=read_table(folder / "unit_scorecard.csv", SCORECARD_COLUMNS),
        task_reports=read_table(folder / "task_reports.csv", TASK_REPORT_COLUMNS),
        unit_names={u.code: u.name_vi for u in load_reporting_units()},
    )
