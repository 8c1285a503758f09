"""The reporting calendar: the days a period's figures cover, its cut-off and its due date.

Two ways a ward counts a period, chosen in its profile (``reporting.cutoff``):

- ``calendar``: the period's own days (2026-Q3 is 01/7/2026 → 30/9/2026);
- ``regime``: the reporting regime of the State administrative system (Nghị định
  09/2019/NĐ-CP, Điều 12): figures are cut off from the 15th of the month before the
  period to the 14th of its last month — 2026-Q3 is 15/6/2026 → 14/9/2026, the year 2026 is
  15/12/2025 → 14/12/2026, "9 tháng" 2026 is 15/12/2025 → 14/9/2026.

The report is due ``report_due_days`` working days after the cut-off (two by default: the
regime's "trong vòng 02 ngày làm việc"); the units' workbooks, where the profile sets
``units_due_days``, that many working days after it. Working days are Monday to Friday;
public holidays are not known here, so a due date falling on one is a day early.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from nq57lib.core.periods import Period

CUTOFF_MODES = ("calendar", "regime")
REGIME_DAY = 14  # the regime's last day of a period, in its last month


def add_working_days(day: date, count: int) -> date:
    """``day`` moved ``count`` working days (Mon–Fri) forward (backward when negative)."""
    step = 1 if count >= 0 else -1
    left = abs(count)
    while left:
        day += timedelta(days=step)
        if day.weekday() < 5:
            left -= 1
    return day


@dataclass(frozen=True)
class ReportingCalendar:
    """How a ward cuts its periods (see the module text)."""

    cutoff_mode: str = "calendar"
    report_due_days: int = 2
    units_due_days: int | None = None

    def __post_init__(self) -> None:
        if self.cutoff_mode not in CUTOFF_MODES:
            raise ValueError(f"cutoff_mode must be one of {CUTOFF_MODES}")

    def start(self, period: Period) -> date:
        """The first day whose figures the period counts."""
        if self.cutoff_mode == "calendar":
            return period.start
        before = date(period.year, period.first_month, 1) - timedelta(days=1)
        return before.replace(day=REGIME_DAY + 1)

    def cutoff(self, period: Period, as_of: date | None = None) -> date:
        """The last day whose figures the period counts: the date tasks are judged at (or
        ``as_of``, a report drawn up before it, if sooner)."""
        day = period.end if self.cutoff_mode == "calendar" else (
            date(period.year, period.last_month, REGIME_DAY))  # fmt: skip
        return min(day, as_of) if as_of else day

    def report_due(self, period: Period) -> date:
        """The day the ward's report of ``period`` is due."""
        return add_working_days(self.cutoff(period), self.report_due_days)

    def units_due(self, period: Period) -> date | None:
        """The day the units' workbooks are due; None when the profile sets no such day."""
        if self.units_due_days is None:
            return None
        return add_working_days(self.cutoff(period), self.units_due_days)
