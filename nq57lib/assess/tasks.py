"""The status of every task at a period, its history, and the units' scorecards (pure).

Rules (docs/methodology.md, "Nhiệm vụ"; the tests check the same worked examples):

- a task is tracked when the assignment register has a row for it; an activity without a
  row of its own follows its task and is not counted apart; a task or duty without a row
  is ``unassigned``;
- the lead unit's latest report up to period P decides; when the lead says nothing in P,
  its last reported state carries forward and the row is ``stale``; no report at all is
  ``no_report``;
- a task is *due* in P when its deadline is on or before P's last day;
- done: ``done_on_time`` when the completion date is on or before the deadline, else
  ``done_late``; without a date, the completion date is the last day of the first period
  that reported completion;
- under way: ``in_progress``, or ``in_progress_overdue`` once due; not started:
  ``not_started`` or ``not_started_overdue``; a standing task ("Thường xuyên", "Hằng năm")
  reported under way or done is ``recurring``, and never overdue.
- "due" and "done" are judged at the cut-off date (the period's last day, or the reporting
  regime's cut-off, the 14th of its last month): a completion dated after the cut-off is
  not done yet at it. A completion on the deadline day is on time.
- each task also falls in one of the Government's categories (:func:`task_category`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

import pandas as pd

from nq57lib.assess.categories import bases, category_counts
from nq57lib.assess.observations import cached_period
from nq57lib.assess.statuses import (
    TASK_DONE,
    TASK_OVERDUE,
)
from nq57lib.core.fmt import fmt_date, is_missing
from nq57lib.core.periods import Period
from nq57lib.core.schema import SCORECARD_COLUMNS, TASK_HISTORY_COLUMNS, TASK_STATUS_COLUMNS


def _parents(tasks: pd.DataFrame) -> dict[str, str]:
    return dict(zip(tasks["task_id"], tasks["parent_id"], strict=True))


def _covered(task_id: str, parents: dict[str, str], assigned: set[str]) -> bool:
    """True when an assigned parent covers ``task_id`` (itself not assigned)."""
    current = parents.get(task_id, "")
    while current in parents:
        if current in assigned:
            return True
        current = parents[current]
    return False


def _day(text: object) -> date | None:
    return None if is_missing(text) or not str(text) else date.fromisoformat(str(text))


def _decide(
    state: str, deadline: date | None, recurring: bool, completed: date | None, cutoff: date
) -> str:
    if recurring:
        return "not_started" if state == "not_started" else "recurring"
    if state == "done" and completed is not None and completed > cutoff:
        state = "in_progress"  # finished after the cut-off: under way at it
    due = deadline is not None and deadline <= cutoff
    if state == "done":
        on_time = deadline is None or (completed is not None and completed <= deadline)
        return "done_on_time" if on_time else "done_late"
    if state == "in_progress":
        return "in_progress_overdue" if due else "in_progress"
    return "not_started_overdue" if due else "not_started"


def task_category(status: str, deadline: date | None, recurring: bool, cutoff: date) -> str:
    """The Government's category of a task at ``cutoff`` ("" for an unassigned task).

    Completed on time or late; not completed within the deadline or past it; a standing
    task or one without a deadline is counted apart (``no_deadline``) whatever its state.
    A task whose lead has not reported is not completed: within or past its deadline.
    """
    if status == "unassigned":
        return ""
    if recurring or deadline is None:
        return "no_deadline"
    if status == "done_on_time":
        return "completed_on_time"
    if status == "done_late":
        return "completed_late"
    return "open_overdue" if deadline <= cutoff else "open_in_time"


def _last_day(period: Period, cutoff: date) -> str:
    return "ngày cuối kỳ" if cutoff == period.end else "ngày chốt số liệu"


def _completion(done: pd.DataFrame) -> tuple[date, bool]:
    """(completion date, whether a unit wrote it) from the lead's "done" reports, in order."""
    dated = done[done["completed_on"].fillna("").astype(str) != ""]
    if len(dated):
        return _day(dated["completed_on"].iloc[-1]), True
    return Period.parse(str(done["period"].iloc[0])).end, False


def _note(
    status: str, row: dict, latest: pd.Series | None, written: bool, period: Period, cutoff: date
) -> str:
    deadline = _day(row["deadline"])
    parts = []
    if status == "unassigned":
        return "Chưa có trong bảng phân công nhiệm vụ."
    if status == "no_report":
        parts.append("Đơn vị chủ trì chưa báo cáo nhiệm vụ này.")
    elif status in TASK_DONE:
        completed = _day(row["completed_on"])
        how = "" if written else " (không ghi ngày: tính ngày cuối kỳ báo cáo hoàn thành)"
        parts.append(f"Hoàn thành ngày {fmt_date(completed)}{how}, hạn {fmt_date(deadline)}.")
        if status == "done_late":
            parts.append(f"Chậm {(completed - deadline).days} ngày.")
    elif status in TASK_OVERDUE:
        late = (cutoff - deadline).days
        parts.append(
            f"Đã quá hạn {fmt_date(deadline)} ({late} ngày)."
            if late
            else f"Đến hạn {fmt_date(deadline)} ({_last_day(period, cutoff)}) nhưng chưa "
            "hoàn thành."
        )
    elif status == "recurring" or row["recurring"]:
        parts.append("Nhiệm vụ thường xuyên, không có hạn hoàn thành.")
    elif deadline is not None:
        parts.append(f"Hạn {fmt_date(deadline)}.")
    if latest is not None and row["stale"]:
        shown = Period.parse(str(latest["period"])).short_label
        parts.append(f"Kỳ này đơn vị chưa báo cáo; giữ tình trạng báo cáo {shown}.")
    return " ".join(parts)


def assess_tasks(
    tasks: pd.DataFrame,
    assignments: pd.DataFrame,
    reports: pd.DataFrame,
    period: Period | str,
    cutoff: date | None = None,
) -> pd.DataFrame:
    """One status row per tracked or unassigned task at ``period`` (see the module rules).

    ``tasks`` is the task catalogue, ``assignments`` the register as cleaned for the period
    (``assignments.csv``), ``reports`` the units' task reports of every period (their
    ``task_reports.csv``); only reports of periods ending by ``period`` are used.
    ``cutoff`` is the date the statuses are judged at (default: the period's last day).
    """
    period = Period.parse(period)
    cutoff = cutoff or period.end
    by_task = {row["task_id"]: row for row in assignments.to_dict("records")}
    parents = _parents(tasks)
    grouped: dict[str, pd.DataFrame] = {}
    if len(reports):
        known = {code: cached_period(str(code)) for code in pd.unique(reports["period"])}
        ends = reports["period"].map(lambda c: known[c].end)
        visible = reports[ends <= period.end].assign(
            _end=ends, _months=reports["period"].map(lambda c: -known[c].months)
        )
        visible = visible.sort_values(["_end", "_months"], kind="stable")
        grouped = dict(tuple(visible.groupby("task_id", sort=False)))
    rows = []
    for task in tasks.itertuples(index=False):
        assignment = by_task.get(task.task_id)
        if assignment is None and (
            task.kind == "activity" or _covered(task.task_id, parents, set(by_task))
        ):
            continue  # an activity without a row of its own follows its task
        row = {
            "period": period.code,
            "task_id": task.task_id,
            "parent_id": task.parent_id,
            "kind": task.kind,
            "group": task.group,
            "lead_unit": assignment["lead_unit"] if assignment else "",
            "coordinators": assignment["coordinators"] if assignment else "",
            "deadline": assignment["deadline"] if assignment else "",
            "recurring": bool(assignment and assignment["recurring"]),
            "deadline_text": assignment["deadline_text"] if assignment else "",
            "state": "",
            "completed_on": "",
            "status": "unassigned",
            "category": "",
            "stale": False,
            "report_period": "",
            "source_file": "",
            "source_sheet": "",
            "source_cell": "",
            "note": "",
            "text": task.text,
        }
        latest, written = None, False
        if assignment is not None:
            mine = grouped.get(task.task_id)
            if mine is not None:
                mine = mine[mine["reported_by"] == assignment["lead_unit"]]
            if mine is None or mine.empty:
                row["status"] = "no_report"
            else:
                latest = mine.iloc[-1]
                row.update(
                    state=latest["state"],
                    stale=str(latest["period"]) != period.code,
                    report_period=str(latest["period"]),
                    source_file=latest["source_file"],
                    source_sheet=latest["source_sheet"],
                    source_cell=latest["source_cell"],
                )
                completed = None
                if latest["state"] == "done":
                    completed, written = _completion(mine[mine["state"] == "done"])
                    if not written:  # the day figures were cut off, not the calendar's
                        completed = min(completed, cutoff)
                    row["completed_on"] = completed.isoformat()
                row["status"] = _decide(
                    latest["state"], _day(row["deadline"]), row["recurring"], completed, cutoff
                )
        row["category"] = task_category(
            row["status"], _day(row["deadline"]), row["recurring"], cutoff
        )
        row["note"] = _note(row["status"], row, latest, written, period, cutoff)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(TASK_STATUS_COLUMNS))


def task_history(
    tasks: pd.DataFrame,
    assignments_by_period: dict[str, pd.DataFrame],
    reports: pd.DataFrame,
    known: dict[str, pd.DataFrame] | None = None,
    cutoff: Callable[[Period], date] | None = None,
) -> pd.DataFrame:
    """Every task's status at each period, as known then (that period's register and reports).

    ``previous_status``/``changed`` compare a task with its row in the preceding period;
    ``cutoff`` gives each period's cut-off date (default: its last day).
    """
    known = known or {}
    ordered = sorted(assignments_by_period, key=Period.parse)
    day = cutoff or (lambda p: p.end)
    frames = [
        known[code]
        if code in known
        else assess_tasks(
            tasks, assignments_by_period[code], reports, code, day(Period.parse(code))
        )
        for code in ordered
    ]
    if not frames:
        return pd.DataFrame(columns=list(TASK_HISTORY_COLUMNS))
    history = pd.concat(frames, ignore_index=True)
    rank = {code: n for n, code in enumerate(ordered)}
    history["_rank"] = history["period"].map(rank)
    history = history.sort_values(["task_id", "_rank"], kind="stable")
    grouped = history.groupby("task_id", sort=False)
    previous = grouped["status"].shift(1).where(grouped["_rank"].shift(1) == history["_rank"] - 1)
    history["previous_status"] = previous.fillna("")
    history["changed"] = (history["previous_status"] != "") & (
        history["previous_status"] != history["status"]
    )
    history = history.sort_values(["_rank"], kind="stable")
    return history[list(TASK_HISTORY_COLUMNS)].reset_index(drop=True)


def unit_scorecard(status: pd.DataFrame, units: Iterable[tuple[str, str]]) -> pd.DataFrame:
    """Per lead unit: its tracked tasks counted by status and by category, most behind first.

    ``units`` gives (code, name) of every unit to list (a unit with no task shows zeros).
    ``due`` counts the tasks that have fallen due by the cut-off or are already completed
    (a task finished early is due, and done, at once: :data:`DUE_CATEGORIES`);
    ``on_time_rate`` is the share of them completed on time, ``completion_rate_due`` the
    share completed at all, ``completion_rate_all`` the completed share of every task with
    a deadline. So a unit that completed a task on time never shows 0% (docs/methodology.md).
    """
    tracked = status[status["status"] != "unassigned"]
    units = list(units)
    listed = {code for code, _ in units}
    # A lead the units file does not list still has its row: no task is left out of a sum.
    units += [(code, code) for code in pd.unique(tracked["lead_unit"]) if code not in listed]
    rows = []
    for code, name in units:
        mine = tracked[tracked["lead_unit"] == code]
        counts = mine["status"].value_counts()
        by = category_counts(mine)
        dated, done, due = bases(by)
        rows.append(
            {
                "period": status["period"].iloc[0] if len(status) else "",
                "unit": code,
                "unit_name": name,
                "assigned": len(mine),
                "due": due,
                "done_on_time": int(counts.get("done_on_time", 0)),
                "done_late": int(counts.get("done_late", 0)),
                "in_progress": int(counts.get("in_progress", 0)),
                "overdue": int(sum(counts.get(s, 0) for s in TASK_OVERDUE)),
                "not_started": int(counts.get("not_started", 0)),
                "no_report": int(counts.get("no_report", 0)),
                "recurring": int(counts.get("recurring", 0)),
                "on_time_rate": by["completed_on_time"] / due if due else float("nan"),
                **by,
                "with_deadline": dated,
                "completion_rate_due": done / due if due else float("nan"),
                "completion_rate_all": done / dated if dated else float("nan"),
            }
        )
    frame = pd.DataFrame(rows, columns=list(SCORECARD_COLUMNS))
    frame["_rate"] = frame["on_time_rate"].fillna(1.0)
    frame = frame.sort_values(
        ["open_overdue", "no_report", "_rate", "assigned"],
        ascending=[False, False, True, False],
        kind="stable",
    )
    return frame.drop(columns="_rate").reset_index(drop=True)
