"""The status rules: a level, a flow or a qualitative stage against one milestone.

Each ``assess_*`` function returns one status row (a dict of ``STATUS_COLUMNS``): the
status, the numbers that decided it, and why, as findings (a reason and its facts) that
:mod:`nq57lib.assess.notes` puts into words for ``method_note``; the rules hold no
wording. docs/methodology.md states every rule with a worked example; the tests check the
same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from nq57lib.assess import progress
from nq57lib.assess.milestones import Context, Milestone, finish
from nq57lib.assess.notes import Finding, finding
from nq57lib.assess.observations import (
    cached_period,
    flow_total,
    level_series,
    missing_months_text,
    month_index,
)
from nq57lib.core.fmt import fmt_target, is_missing
from nq57lib.core.vocab import STAGES

# A stage needs a year to finish: inside the last year before the deadline an
# unfinished deliverable must be pushed, and one not started is behind.
LAST_YEAR = 1.0

# A deliverable not started is still on time while less than half its window has gone.
HALF_WINDOW = 0.5


def _beyond_range(value: float, m: Milestone, direction: str) -> bool:
    """A value past a range's far bound in the desired direction exceeds the plan."""
    if m.comparator != "range" or is_missing(value):
        return False
    if progress.direction_sign(direction) > 0:
        return value > m.value_max
    return value < m.target


def _met(value: float, m: Milestone, direction: str) -> bool:
    return progress.meets(value, m.comparator, m.target, m.value_max, direction) or _beyond_range(
        value, m, direction
    )


def _met_later(
    value: float, m: Milestone, later: Sequence[Milestone], direction: str
) -> Milestone | None:
    """The furthest later, more demanding milestone that ``value`` already meets."""
    sign = progress.direction_sign(direction)
    found = None
    for other in later:
        if other.qualitative or other.per_year or math.isnan(other.target):
            continue
        if sign * other.path_target(direction) <= sign * m.path_target(direction):
            continue
        if progress.meets(value, other.comparator, other.target, other.value_max, direction):
            found = other
    return found


def _pick_baseline(series: pd.DataFrame, baseline: str) -> int | None:
    if baseline == "first":
        return 0 if len(series) else None
    start = cached_period(baseline).end_time
    later = np.flatnonzero(series["t_end"].to_numpy() >= start - 1e-9)
    return int(later[0]) if len(later) else None


def assessment_horizon(ctx: Context) -> int | None:
    """The milestone year the plan is judged against now: its first milestone in or after
    the period's year (2030 in 2026 for milestones 2025, 2030, 2035, 2045)."""
    return min((y for y in ctx.plan_years if y >= ctx.period.year), default=None)


def _no_figure(ctx: Context, m: Milestone, row: dict, *findings: Finding | None) -> dict:
    """No figure for ``m``: owed ("no_data") unless ``m`` lies beyond the milestone the plan
    is judged against now, when it is not assessed yet and nobody owes a figure for it."""
    horizon = assessment_horizon(ctx)
    if horizon is not None and m.year > horizon:
        return finish(row, "not_assessed", finding("beyond_horizon", year=m.year, horizon=horizon))
    return finish(row, "no_data", *findings)


def _plan_note(m: Milestone) -> Finding | None:
    """What the plan's wording of the milestone implies (a count with no figure: ≥ 1)."""
    return finding(m.note) if m.note else None


def _revision_note(obs_row: pd.Series, unit: str) -> Finding | None:
    if not obs_row.get("revised_in"):
        return None
    where = {"period": obs_row["period"], "revised_in": obs_row["revised_in"]}
    if is_missing(obs_row.get("value")):
        stages = (obs_row.get("revised_status_from"), obs_row.get("status"))
        return finding("revised", **where, before_stage=stages[0], after_stage=stages[1])
    return finding(
        "revised", **where, before=obs_row["revised_from"], after=obs_row["value"], unit=unit
    )


def _assess_level(
    ctx: Context, m: Milestone, later: Sequence[Milestone], series: pd.DataFrame, role: str
) -> dict:
    """Level or stock indicator (a value at a point in time) against one milestone."""
    row = ctx.row(m, role)
    period, unit, direction = ctx.period, ctx.unit, ctx.direction
    deadline = m.due(role, period)
    if m.per_year and role == "overdue":
        series = series[series["t_end"] <= deadline + 1e-9]
    if math.isnan(m.target):
        return finish(row, "insufficient_data", finding("no_figure"), _plan_note(m))
    if not len(series):
        past = deadline <= period.end_time
        return _no_figure(ctx, m, row, finding("no_data", past=past), _plan_note(m))
    last = series.iloc[-1]
    value, t = float(last["value"]), float(last["t_end"])
    row["value"], row["value_period"] = value, last["period"]
    notes = [_plan_note(m), _revision_note(last, unit)]
    if last["period"] != period.code:
        notes.append(finding("latest_period", period=last["period"]))
    target = m.path_target(direction)
    sign = progress.direction_sign(direction)
    row["gap"] = sign * (target - value)
    shown_target = fmt_target(m.comparator, m.target, m.value_max, unit)

    base_index = _pick_baseline(series, ctx.baseline)
    if base_index is not None:
        base_row = series.iloc[base_index]
        base, t0 = float(base_row["value"]), float(base_row["t_end"])
        row["baseline"], row["baseline_period"] = base, base_row["period"]
    else:
        base, t0 = math.nan, math.nan

    early = _met_later(value, m, later, direction) if role == "next" else None
    if early is not None or _met(value, m, direction):
        row["progress_ratio"] = 1.0
        met = finding(
            "met",
            value=value,
            unit=unit,
            target=shown_target,
            beyond=_beyond_range(value, m, direction),
            early_year=early.year if early is not None else None,
            early_target=(
                fmt_target(early.comparator, early.target, early.value_max, unit)
                if early is not None
                else None
            ),
        )
        return finish(row, "achieved", met, *notes)
    if base_index is None:
        return finish(
            row, "insufficient_data", finding("no_baseline", baseline=ctx.baseline), *notes
        )

    if t > t0:
        row["expected_now"] = progress.expected_on_path(base, target, t0, t, deadline)
        if target != base:
            row["progress_ratio"] = (value - base) / (target - base)
    if deadline <= period.end_time:
        missed = finding(
            "missed_at_deadline", deadline=deadline, value=value, unit=unit, target=shown_target
        )
        return finish(row, "overdue", missed, *notes)
    if t <= t0:
        return finish(
            row, "insufficient_data", finding("one_period", period=last["period"]), *notes
        )
    if _met(base, m, direction):
        # The straight line would point backwards; the only way to miss is to fall back.
        row["decided_by"] = "baseline_met"
        ratio = progress.cagr_ratio(base, value, target, t0, t, deadline, direction)
        row["cagr_ratio"] = ratio if ratio is not None else math.nan
        fell = finding(
            "fell_from_met_baseline",
            baseline_period=base_row["period"],
            baseline=base,
            value=value,
            unit=unit,
            target=shown_target,
        )
        return finish(row, "deteriorating", fell, *notes)
    ratio = progress.cagr_ratio(base, value, target, t0, t, deadline, direction)
    share = progress.straight_line_share(base, value, target, t0, t, deadline)
    by_ratio, by_share = progress.classify_ratio(ratio), progress.classify_ratio(share)
    row["cagr_ratio"] = ratio if ratio is not None else math.nan
    row["straight_line_share"] = share if share is not None else math.nan
    row["methods_disagree"] = bool(by_ratio and by_share and by_ratio != by_share)
    if by_ratio and base != 0 and target != 0:
        row["decided_by"], status, row["progress_ratio"] = "cagr", by_ratio, ratio
        how = finding("by_cagr", ratio=ratio, share=share)
    elif by_share:
        row["decided_by"], status, row["progress_ratio"] = "straight_line", by_share, share
        zero = "baseline" if base == 0 else "target"
        how = finding("by_straight_line", share=share, ratio=ratio, zero=zero)
    else:
        growth = progress.cagr(
            value or progress.ZERO_SUBSTITUTE, base or progress.ZERO_SUBSTITUTE, t, t0
        )
        limit = progress.PERCENT_LIMIT if unit == "%" else None
        row["decided_by"], status = "trend", progress.classify_trend(growth, base, direction, limit)
        how = finding("by_trend", target=shown_target, growth=growth)
    disagree = None
    if row["methods_disagree"]:
        disagree = finding("methods_disagree", by_ratio=by_ratio, by_share=by_share)
    return finish(row, status, how, disagree, *notes)


def _assess_flow(
    ctx: Context, m: Milestone, window_start: float, sub: pd.DataFrame, role: str
) -> dict:
    """Flow indicator (a count within a period) against one milestone.

    Per-year targets: this year's total so far against the pro-rata share of the annual
    figure, a verdict at the year's end. Other targets: the total since the milestone's
    window opened (the previous milestone or the plan's start) against the pro-rata share
    of the figure over that window.
    """
    row = ctx.row(m, role)
    period, unit = ctx.period, ctx.unit
    if role == "next" and m.per_year:
        first_month = month_index(period.year, 1)
        last_month = month_index(period.year, period.last_month)
        window = {"window": "year_to_date", "start": period.year}
        fraction = period.year_fraction
    elif m.per_year:
        first_month, last_month = month_index(m.year, 1), month_index(m.year, 12)
        window, fraction = {"window": "whole_year", "start": m.year}, 1.0
    else:
        start_year = round(window_start)
        first_month = month_index(start_year, 1)
        end_month = min(month_index(m.year, 12), month_index(period.year, period.last_month))
        last_month = end_month
        end_year = min(m.year, period.year)
        window = {"window": "span", "start": start_year, "end": end_year}
        fraction = min((last_month - first_month + 1) / ((m.year - start_year + 1) * 12), 1.0)
    total, covered, used = flow_total(sub, first_month, last_month)
    annual = m.target
    row["target"] = annual
    if not used:
        return _no_figure(ctx, m, row, finding("flow_no_data", **window), _plan_note(m))
    latest = sorted(used, key=lambda c: cached_period(c).end_time)[-1]
    row["value"], row["value_period"] = total, latest
    row["gap"] = annual - total
    row["expected_now"] = annual * fraction
    shown = fmt_target(m.comparator, annual, m.value_max, unit)
    revised = [
        _revision_note(r, unit)
        for _, r in sub[sub["period"].isin(used) & (sub["revised_in"] != "")].iterrows()
    ]
    notes = [_plan_note(m), *revised]
    figures = {**window, "value": total, "annual": annual, "unit": unit, "target": shown}
    if progress.meets(total, m.comparator, annual, m.value_max, ctx.direction):
        row["progress_ratio"] = total / annual if annual else 1.0
        return finish(row, "achieved", finding("flow_met", **figures), *notes)
    year_end = fraction >= 1.0
    if not covered.all():
        months = row["missing_months"] = missing_months_text(covered, first_month)
        if year_end:
            # The window has closed: what arrived is all there will be, and it falls short
            # (a total that meets the target was judged above). The missing months are named.
            row["progress_ratio"] = total / annual if annual else math.nan
            short = finding("flow_missed_partial", **figures, months=months)
            return finish(row, "overdue", short, *notes)
        gaps = finding("flow_months_missing", **figures, months=months)
        return finish(row, "insufficient_data", gaps, *notes)
    if year_end:
        row["progress_ratio"] = total / annual if annual else math.nan
        return finish(row, "overdue", finding("flow_missed", **figures), *notes)
    share = progress.pro_rata_share(total, annual, fraction)
    row["progress_ratio"] = share if share is not None else math.nan
    row["decided_by"] = "pro_rata"
    status = progress.classify_ratio(share) or "insufficient_data"
    pro_rata = finding(
        "flow_pro_rata", **figures, expected=annual * fraction, fraction=fraction, share=share
    )
    return finish(row, status, pro_rata, *notes)


def _assess_stage(
    ctx: Context,
    m: Milestone,
    window_start: float,
    sub: pd.DataFrame,
    later_done: bool,
    role: str,
) -> dict:
    """Qualitative milestone: the stage reported in its window against the time left."""
    row = ctx.row(m, role)
    period = ctx.period
    deadline = m.time
    now = min(period.end_time, deadline)
    stages = sub[sub["status"].isin(STAGES.keys())]
    window = stages[(stages["t_end"] > window_start + 1e-9) & (stages["t_end"] <= now + 1e-9)]
    window = window.sort_values(["t_end", "n_months"], kind="stable")
    if later_done:
        return finish(row, "achieved", finding("done_at_later_milestone"))
    if not len(window):
        past = deadline <= period.end_time
        return _no_figure(ctx, m, row, finding("no_stage_report", past=past))
    last = window.iloc[-1]
    stage = str(last["status"])
    row["value_period"] = last["period"]
    row["value"] = float(STAGES[stage])
    notes = [_revision_note(last, ctx.unit)]
    if stage == "done":
        return finish(
            row, "achieved", finding("stage_done", period=last["period"], stage=stage), *notes
        )
    if deadline <= period.end_time:
        late = finding("stage_at_deadline", deadline=deadline, stage=stage)
        return finish(row, "overdue", late, *notes)
    remaining = deadline - float(last["t_end"])
    elapsed = (float(last["t_end"]) - window_start) / (deadline - window_start)
    when = finding(
        "stage_time_left",
        period=last["period"],
        stage=stage,
        remaining=remaining,
        deadline=deadline,
    )
    if len(window) > 1 and STAGES[str(window.iloc[-2]["status"])] > STAGES[stage]:
        back = finding("stage_went_back", before=str(window.iloc[-2]["status"]), stage=stage)
        return finish(row, "deteriorating", when, back, *notes)
    if stage == "in_progress":
        status = "on_track" if remaining > LAST_YEAR else "needs_acceleration"
    elif remaining <= LAST_YEAR:
        status = "off_track"
    else:
        status = "on_track" if elapsed < HALF_WINDOW else "needs_acceleration"
    return finish(row, status, when, *notes)


def assess_indicator(ctx: Context, milestones: list[Milestone], sub: pd.DataFrame) -> list[dict]:
    period = ctx.period
    kind = ctx.indicator.kind
    if any(m.per_year for m in milestones):
        # Annual quotas: the milestone whose quota covers this period's year.
        current = next((i for i, m in enumerate(milestones) if m.year >= period.year), None)
    else:
        current = next(
            (i for i, m in enumerate(milestones) if m.time > period.end_time + 1e-9), None
        )
    role = "next"
    if current is None:
        current, role = len(milestones) - 1, "last"
    starts = [ctx.plan_start, *(m.time for m in milestones[:-1])]
    series = level_series(sub) if kind in ("level", "stock") else None
    stages = sub[sub["status"].isin(STAGES.keys())] if len(sub) else sub
    done_times = (
        stages.loc[stages["status"] == "done", "t_end"].to_numpy() if len(stages) else np.array([])
    )

    def evaluate(i: int, role: str) -> dict:
        m = milestones[i]
        if m.qualitative:
            later_done = bool(len(done_times) and (done_times > m.time + 1e-9).any())
            return _assess_stage(ctx, m, starts[i], sub, later_done, role)
        if kind == "flow":
            return _assess_flow(ctx, m, starts[i], sub, role)
        return _assess_level(ctx, m, milestones[i + 1 :], series, role)

    rows, met = [], []
    for i in range(current):
        earlier = evaluate(i, "overdue")
        if earlier["status"] != "achieved":
            rows.append(earlier)
        else:  # no row of its own, but stated once with the indicator (verdicts.csv)
            met.append(str(milestones[i].year))
    m = milestones[current]
    first_year = ctx.quota_first_year(m)
    if m.per_year and not m.qualitative and first_year is not None and period.year < first_year:
        rows.append(_not_due(ctx, m, role))
    else:
        rows.append(evaluate(current, role))
    for row in rows:
        row["milestones_met"] = "; ".join(met)
    return rows


def _not_due(ctx: Context, m: Milestone, role: str) -> dict:
    first = ctx.quota_first_year(m)
    late_start = finding("quota_not_started", year=m.year, first=first, period=ctx.period.code)
    return finish(ctx.row(m, role), "not_due", late_start, _plan_note(m))
