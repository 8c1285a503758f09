"""The tasks' side of comparing a period: read what cleaning wrote, assess, keep history.

:func:`compare_tasks` reads every processed period's ``assignments.csv`` (the register as
it stood when that period was cleaned) and ``task_reports.csv``, and returns the task
statuses at P, their history and the units' scorecard; :mod:`nq57lib.assess.compare`
writes them beside the targets' tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from nq57lib.assess.tasks import assess_tasks, task_history, unit_scorecard
from nq57lib.collect.units import ReportingUnits
from nq57lib.core.calendar import ReportingCalendar
from nq57lib.core.errors import NoTasksError
from nq57lib.core.periods import Period
from nq57lib.core.processed import read_table, read_tables
from nq57lib.core.schema import ASSIGNMENT_COLUMNS, TASK_REPORT_COLUMNS
from nq57lib.plan.tasks import TaskCatalogue, build_task_catalogue


@dataclass(frozen=True)
class TaskResult:
    status: pd.DataFrame
    history: pd.DataFrame
    scorecard: pd.DataFrame
    reports: pd.DataFrame  # every task report up to P (the briefing quotes P's)
    catalogue: TaskCatalogue


def compare_tasks(
    period: Period,
    processed_dir: Path,
    periods: list[Period],
    units: ReportingUnits,
    plan_path: Path | str,
    calendar: ReportingCalendar | None = None,
) -> TaskResult | None:
    """Task statuses at ``period``, judged at each period's cut-off date (``calendar``,
    default: the period's last day); None when the plan has no tasks section."""
    calendar = calendar or ReportingCalendar()
    try:
        catalogue = build_task_catalogue(plan_path)
    except NoTasksError:
        return None
    registers = {
        p.code: read_table(processed_dir / p.code / "assignments.csv", ASSIGNMENT_COLUMNS)
        for p in periods
    }
    reports = read_tables(processed_dir, periods, "task_reports", TASK_REPORT_COLUMNS)
    status = assess_tasks(
        catalogue.tasks, registers[period.code], reports, period, calendar.cutoff(period)
    )
    history = task_history(
        catalogue.tasks, registers, reports, known={period.code: status}, cutoff=calendar.cutoff
    )
    leads = [(u.code, u.name_vi) for u in units]
    scorecard = unit_scorecard(status, leads)
    return TaskResult(status, history, scorecard, reports, catalogue)
