"""One verdict per indicator per period: the table every view of the briefing reads.

``status.csv`` has a row per indicator and milestone (the next one, and each earlier one
not met). A leader reads indicators: :func:`verdicts` picks each indicator's headline
milestone and says why, whether it needs the leader's attention and why, who leads it,
its current value and the period that value is from, and which milestones are already met
or missed. Counts, lists, charts and unit tables of the report all select from this one
table (``verdicts.csv``); none picks rows of ``status.csv`` for itself.
docs/methodology.md §9 states the rules with a worked example. Pure: frames in, a frame out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from nq57lib.assess.milestones import row_due_time
from nq57lib.assess.observations import as_bool
from nq57lib.assess.statuses import LATER, NO_FIGURE, STATUS_LABELS_VI, urgency
from nq57lib.core.fmt import is_missing
from nq57lib.core.periods import Period
from nq57lib.core.schema import VERDICT_COLUMNS

# Why the headline milestone is the one shown (docs/methodology.md §9).
HEADLINES = ("missed", "only", "all_met", "most_urgent")
# Why an indicator needs the leader's attention, the most pressing first (its rank).
ATTENTION_REASONS = (
    "missed_milestone",  # a milestone's deadline has passed and it was not met
    "falling",  # moving away from its target
    "too_slow",  # behind the pace its next milestone needs
    "slow_by_one_method",  # on track by one of the two progress methods, slow by the other
    "no_figure_due",  # a milestone's deadline has passed and there is no figure to judge it
)
_BY_STATUS = {
    "overdue": "missed_milestone",
    "deteriorating": "falling",
    "off_track": "too_slow",
    "needs_acceleration": "too_slow",
}


def lead_units(units: Iterable, register: pd.DataFrame) -> dict[str, str]:
    """Indicator → name of the unit leading it: the assignment register's row where it names
    the target (``target_leads.csv``), else the unit that reports it (the units file)."""
    units = list(units)
    names = {u.code: u.name_vi for u in units}
    leads = {i: u.name_vi for u in units for i in u.indicators}
    for row in register.itertuples(index=False):
        leads[row.indicator_id] = names.get(row.lead_unit, row.lead_unit)
    return leads


# The helpers work on plain records (one dict per status row): a verdict per indicator in
# pandas took half a second a period, more than the whole comparison besides.
Row = dict


def _headline(rows: list[Row]) -> tuple[Row, str]:
    """The milestone a leader is told about, and why (one of :data:`HEADLINES`)."""
    if all(r["status"] == "achieved" for r in rows):
        return max(rows, key=lambda r: int(r["milestone_year"])), "all_met"
    first = min(rows, key=lambda r: (urgency(r["status"]), int(r["milestone_year"])))
    if first["status"] == "overdue":
        return first, "missed"
    return first, "only" if len(rows) == 1 else "most_urgent"


def _past_due(row: Row, period: Period) -> bool:
    return row_due_time(row) <= period.end_time + 1e-9


def _attention(rows: list[Row], head: Row, period: Period) -> str:
    """Why the indicator needs the leader's attention ("" when it does not)."""
    if head["status"] in _BY_STATUS:
        return _BY_STATUS[head["status"]]
    if any(r["status"] == "on_track" and as_bool(r.get("methods_disagree")) for r in rows):
        return "slow_by_one_method"
    if head["status"] == "no_data" and _past_due(head, period):
        return "no_figure_due"
    return ""


def _current(rows: list[Row], head: Row) -> tuple[object, str]:
    """The indicator's latest value and its period. A flow's value is the total of its
    headline window; a level's, stock's or stage's is the latest reported, whichever
    milestone row carries it (an overdue 2025 milestone keeps the stage it had at its
    deadline, the 2030 row today's)."""
    if head["kind"] == "flow":
        return head["value"], _text(head["value_period"])
    dated = [r for r in rows if _text(r["value_period"])]
    if not dated:
        return head["value"], ""
    # The last of the latest, as the rows are ordered.
    latest = max(reversed(dated), key=lambda r: Period.parse(_text(r["value_period"])))
    return latest["value"], _text(latest["value_period"])


def _change(before: str, after: str) -> str:
    """'better' when the headline status moved towards "achieved", 'worse' away from it;
    '' when either has no judgement (no figure, not assessed yet): not comparable."""
    unjudged = (*NO_FIGURE, *LATER)
    if not before or before == after or before in unjudged or after in unjudged:
        return ""
    return "better" if urgency(after) > urgency(before) else "worse"


def _text(value: object) -> str:
    return "" if is_missing(value) else str(value)


def _years(rows: list[Row], status: str) -> list[str]:
    return [str(int(r["milestone_year"])) for r in rows if r["status"] == status]


def _grouped(status: pd.DataFrame) -> dict[str, list[Row]]:
    """Each indicator's status rows as records, in the frame's order."""
    groups: dict[str, list[Row]] = {}
    for row in status.to_dict("records"):
        groups.setdefault(row["indicator_id"], []).append(row)
    return groups


def verdicts(
    status: pd.DataFrame,
    period: Period | str,
    leads: Mapping[str, str] | None = None,
    *,
    reporters: Mapping[str, str] | None = None,
    previous: pd.DataFrame | None = None,
    year_to_date: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per indicator of ``status`` (``status.csv`` of ``period``), in its order,
    with the columns :data:`~nq57lib.core.schema.VERDICT_COLUMNS`. ``leads`` and
    ``reporters`` name each indicator's lead and reporting unit; ``previous`` is the
    status of the previous processed period (its headline statuses give ``change``);
    ``year_to_date`` the check of the units' own cumulative figures
    (:func:`nq57lib.assess.cumulative.check_year_to_date`)."""
    period = Period.parse(period)
    leads, reporters = leads or {}, reporters or {}
    before = {}
    if previous is not None and len(previous):
        before = {ident: _headline(rows)[0]["status"] for ident, rows in _grouped(previous).items()}
    totals = {}
    if year_to_date is not None:
        totals = {r.indicator_id: (r.unit_total, bool(r.agrees)) for r in year_to_date.itertuples()}
    out = []
    for indicator_id, rows in _grouped(status).items():
        head, why = _headline(rows)
        reason = _attention(rows, head, period)
        value, value_period = _current(rows, head)
        met = [y for y in _text(head.get("milestones_met", "")).split("; ") if y]
        out.append(
            {
                "period": period.code,
                "indicator_id": indicator_id,
                "name": head["name_vi"],
                "area": head["area"],
                "kind": head["kind"],
                "unit": head["unit"],
                "lead_unit": leads.get(indicator_id, ""),
                "reported_by": reporters.get(indicator_id, ""),
                "milestone_year": int(head["milestone_year"]),
                "headline": why,
                "status": head["status"],
                "status_vi": STATUS_LABELS_VI.get(head["status"], head["status"]),
                "attention": bool(reason),
                "attention_reason": reason,
                "value": value,
                "value_period": value_period,
                "value_current": bool(value_period) and value_period == period.code,
                "milestones_met": "; ".join([*met, *_years(rows, "achieved")]),
                "milestones_missed": "; ".join(_years(rows, "overdue")),
                "milestones_open": "; ".join(
                    str(int(r["milestone_year"]))
                    for r in rows
                    if r["status"] != "achieved" and r["status"] not in LATER
                ),
                "figure_owed": any(r["status"] == "no_data" for r in rows),
                "progress_ratio": head["progress_ratio"],
                "methods_disagree": any(as_bool(r.get("methods_disagree")) for r in rows),
                "previous_status": before.get(indicator_id, ""),
                "change": _change(before.get(indicator_id, ""), head["status"]),
                "unit_total": totals.get(indicator_id, (math.nan, ""))[0],
                "unit_total_agrees": totals.get(indicator_id, (math.nan, ""))[1],
            }
        )
    frame = pd.DataFrame(out, columns=[c for c in VERDICT_COLUMNS if c != "attention_rank"])
    return _ranked(frame)


def _ranked(frame: pd.DataFrame) -> pd.DataFrame:
    """``attention_rank`` 1, 2, … over the indicators needing attention: the most pressing
    reason first, then the least progress, then the nearest milestone, then plan order."""
    needing = frame[frame["attention"]]
    order = needing.assign(
        _reason=needing["attention_reason"].map(ATTENTION_REASONS.index),
        _ratio=pd.to_numeric(needing["progress_ratio"], errors="coerce"),
        _at=range(len(needing)),
    ).sort_values(["_reason", "_ratio", "milestone_year", "_at"], na_position="last")
    rank = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    rank.loc[order.index] = range(1, len(order) + 1)
    frame.insert(list(VERDICT_COLUMNS).index("attention_rank"), "attention_rank", rank)
    return frame.reset_index(drop=True)


def attention_list(verdicts: pd.DataFrame) -> pd.DataFrame:
    """The indicators needing the leader's attention, in their rank order."""
    needing = verdicts[verdicts["attention"].map(as_bool)]
    return needing.sort_values("attention_rank", kind="stable").reset_index(drop=True)


def headline_rows(
    verdicts: pd.DataFrame, status: pd.DataFrame, keep: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The status row of each verdict's headline milestone, in the verdicts' order, with
    the verdict columns named in ``keep`` (verdict column → name in the result)."""
    keep = dict(keep or {})
    own = verdicts[["indicator_id", "milestone_year", *keep]].rename(columns=keep)
    own = own.assign(milestone_year=own["milestone_year"].astype(int))
    rows = status.assign(milestone_year=status["milestone_year"].astype(int))
    return own.merge(rows, on=["indicator_id", "milestone_year"], how="left", validate="1:1")
