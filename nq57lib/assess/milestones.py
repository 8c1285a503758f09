"""A plan's milestones for one indicator, and the context a status row is built in."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from nq57lib.assess import progress
from nq57lib.assess.notes import Finding, method_note
from nq57lib.assess.observations import as_bool
from nq57lib.core.fmt import is_missing
from nq57lib.core.periods import Period, milestone_time


@dataclass(frozen=True)
class Milestone:
    year: int
    comparator: str
    target: float
    value_max: float
    per_year: bool
    qualitative: bool
    target_id: str
    text: str
    note: str = ""  # a reason of assess.notes the plan's wording implies (at_least_one)

    @property
    def time(self) -> float:
        return milestone_time(self.year)

    def due(self, role: str, period: Period) -> float:
        """When a status row for this milestone falls due (see :func:`due_time`)."""
        return due_time(self.year, self.per_year, role, period)

    def path_target(self, direction: str) -> float:
        """The figure the on-track path aims at (the near bound of a range)."""
        if self.comparator == "range" and progress.direction_sign(direction) < 0:
            return self.value_max
        return self.target


def due_time(year: int, per_year: bool, role: str, period: Period) -> float:
    """When a status row's milestone falls due: the end of its year; an annual figure
    binds every year, so as the next milestone it is due at the end of ``period``'s year."""
    deadline = milestone_time(year)
    if per_year and role == "next":
        deadline = min(deadline, float(period.year + 1))
    return deadline


def row_due_time(row) -> float:
    """:func:`due_time` of a row of ``status.csv``."""
    return due_time(
        int(row["milestone_year"]),
        as_bool(row.get("per_year", False)),
        str(row.get("row_role", "")),
        Period.parse(str(row["period"])),
    )


def milestones(targets: pd.DataFrame, kind: str, unit: str) -> list[Milestone]:
    """One milestone per year (the first the plan states), figures made usable."""
    frame = targets.sort_values(
        ["milestone_year", "source_line"] if "source_line" in targets else ["milestone_year"]
    )
    frame = frame.drop_duplicates("milestone_year", keep="first")
    result = []
    # Plain dicts: a named tuple per call costs more than the whole path for 52 indicators.
    for row in frame.to_dict("records"):
        comparator = str(row["comparator"]) if not is_missing(row["comparator"]) else ">="
        target = float(row["value"]) if not is_missing(row["value"]) else math.nan
        value_max = row.get("value_max", math.nan)
        value_max = float(value_max) if not is_missing(value_max) else math.nan
        qualitative = kind == "milestone" or (
            as_bool(row.get("qualitative", False)) and math.isnan(target) and kind == "level"
        )
        note = ""
        if kind in ("flow", "stock") and math.isnan(target):
            # "Phấn đấu hằng năm có học sinh đạt giải": a count with no figure means "some".
            target, comparator = 1.0, ">="
            note = "at_least_one"  # a reason of assess.notes
        result.append(
            Milestone(
                year=int(row["milestone_year"]),
                comparator=comparator,
                target=target,
                value_max=value_max,
                per_year=as_bool(row.get("per_year", False)),
                qualitative=qualitative,
                target_id=str(row.get("target_id", "")),
                text=str(row.get("text", "") or ""),
                note=note,
            )
        )
    return result


@dataclass
class Context:
    period: Period
    indicator: object
    baseline: str
    plan_start: float
    plan_years: tuple[int, ...] = ()

    def quota_first_year(self, m: Milestone) -> int | None:
        """First year of a per-year quota: the year after the plan's previous milestone.

        "Đến hết năm 2045: phấn đấu hằng năm có ≥ 02 dự án" sets a quota for 2041–2045, the
        span that section of the plan covers, not for every year since the plan began.
        None for the plan's first milestone, which applies from the start.
        """
        earlier = [y for y in self.plan_years if y < m.year]
        return max(earlier) + 1 if earlier else None

    @property
    def unit(self) -> str:
        return self.indicator.unit

    @property
    def direction(self) -> str:
        return self.indicator.direction

    def row(self, m: Milestone, role: str) -> dict:
        ind = self.indicator
        return {
            "period": self.period.code,
            "indicator_id": ind.id,
            "area": ind.area,
            "milestone_year": m.year,
            "comparator": m.comparator if not m.qualitative else "",
            "target": m.target if not m.qualitative else math.nan,
            "value_max": m.value_max,
            "value": math.nan,
            "value_period": "",
            "baseline": math.nan,
            "baseline_period": "",
            "expected_now": math.nan,
            "gap": math.nan,
            "progress_ratio": math.nan,
            "status": "no_data",
            "method_note": "",
            "name_vi": ind.name_vi,
            "kind": ind.kind,
            "unit": ind.unit,
            "direction": ind.direction,
            "per_year": m.per_year,
            "row_role": role,
            "decided_by": "",
            "cagr_ratio": math.nan,
            "straight_line_share": math.nan,
            "methods_disagree": False,
            "target_id": m.target_id,
            "target_text": m.text,
            "milestones_met": "",
            "missing_months": "",
        }


def finish(row: dict, status: str, *findings: Finding | None) -> dict:
    """The row's status and, in words from :mod:`nq57lib.assess.notes`, why."""
    row["status"] = status
    row["method_note"] = method_note(list(findings))
    return row
