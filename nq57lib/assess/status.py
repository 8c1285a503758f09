"""The status of every indicator at a period, and its history across periods (pure).

:func:`assess` takes the target catalogue, the processed observations and the registry,
and returns one status row per indicator for its next milestone plus one per earlier
milestone not achieved; a target outside its indicator's plausible range is skipped
(:mod:`nq57lib.plan.plausible`). It reads no file and no clock. The rules are in
:mod:`nq57lib.assess.rules` and docs/methodology.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nq57lib.assess.milestones import Context, Milestone, milestones
from nq57lib.assess.observations import (
    cached_period,
    check_columns,
    resolve_revisions,
    visible,
    with_time_columns,
)
from nq57lib.assess.rules import assess_indicator
from nq57lib.assess.statuses import STATUS_LABELS_VI, label
from nq57lib.core.errors import ValidationError
from nq57lib.core.fmt import fmt_target, fmt_value
from nq57lib.core.periods import Period
from nq57lib.core.schema import HISTORY_COLUMNS, OBSERVATION_COLUMNS, STATUS_COLUMNS
from nq57lib.core.vocab import COMPARATORS
from nq57lib.plan.plausible import usable_targets
from nq57lib.plan.registry import Indicator

# The catalogue columns assess() cannot do without.
_NEEDED_TARGET_COLUMNS = ("indicator_id", "milestone_year", "comparator", "value")


def _check_targets(targets: pd.DataFrame, registry) -> list[str]:
    problems = []
    unknown = sorted(set(targets["indicator_id"].dropna()) - {i.id for i in registry})
    if unknown:
        problems.append(f"indicator(s) not in the registry: {', '.join(unknown)}")
    bad = sorted(set(targets["comparator"].dropna()) - set(COMPARATORS))
    if bad:
        problems.append(f"unknown comparator(s): {', '.join(bad)}")
    ranges = targets[(targets["comparator"] == "range")]
    if "value_max" in targets and ranges["value_max"].isna().any():
        problems.append("a 'range' target has no value_max")
    return problems


@dataclass(frozen=True)
class _Plan:
    """What every period's assessment shares: each indicator's milestone path."""

    paths: list[tuple[Indicator, list[Milestone]]]
    plan_start: float | None
    plan_years: tuple[int, ...]
    order: dict[str, int]


def _prepare(targets: pd.DataFrame, registry, baseline: str) -> _Plan:
    check_columns(targets, _NEEDED_TARGET_COLUMNS, "targets")
    if baseline != "first":
        cached_period(baseline)
    linked = targets[targets["indicator_id"].notna()]
    problems = _check_targets(linked, registry)
    if problems:
        raise ValidationError("targets", problems)
    # A target outside its indicator's range ("150%") is never judged against; check-plan
    # and the briefing's annex 1 say why it has no status.
    linked = usable_targets(linked, registry)
    paths = []
    for indicator_id, group in linked.groupby("indicator_id", sort=False):
        indicator = registry[indicator_id]
        paths.append((indicator, milestones(group, indicator.kind, indicator.unit)))
    # (built once per run: status_history and assess_periods share it across periods)
    return _Plan(
        paths=paths,
        plan_start=float(linked["milestone_year"].min()) if len(linked) else None,
        plan_years=tuple(sorted({int(y) for y in linked["milestone_year"].dropna()})),
        order={ind.id: n for n, ind in enumerate(registry)},
    )


def assess(
    targets: pd.DataFrame,
    observations: pd.DataFrame,
    period: Period | str,
    registry,
    baseline: str = "first",
) -> pd.DataFrame:
    """Status rows for ``period``: one per indicator for its next milestone, plus one per
    earlier milestone not achieved (see docs/methodology.md for every rule).

    ``observations`` follow the processed schema (``period, indicator_id, value, …,
    status``); an optional ``vintage`` column names the report each row came from, so a
    value restated by a later report replaces the earlier one. Only rows observed and
    reported no later than ``period`` are used. ``baseline`` is "first" (the first
    observation) or a period code (that period's value, or the first one after it).
    """
    check_columns(observations, ("period", "indicator_id", "value"), "observations")
    plan = _prepare(targets, registry, baseline)
    timed = with_time_columns(observations) if len(observations) else observations
    return _assess(plan, timed, Period.parse(period), baseline)


def _assess(plan: _Plan, timed: pd.DataFrame, period: Period, baseline: str) -> pd.DataFrame:
    """:func:`assess` on prepared milestone paths and observations with time columns."""
    if len(timed):
        obs = resolve_revisions(visible(timed, period))
    else:
        obs = with_time_columns(pd.DataFrame(columns=list(OBSERVATION_COLUMNS)))
        obs["revised_from"], obs["revised_status_from"], obs["revised_in"] = np.nan, "", ""
    by_indicator = dict(tuple(obs.groupby("indicator_id", sort=False)))
    empty = obs.iloc[0:0]
    plan_start = plan.plan_start if plan.plan_start is not None else float(period.year)
    rows: list[dict] = []
    for indicator, path in plan.paths:
        ctx = Context(
            period=period,
            indicator=indicator,
            baseline=baseline,
            plan_start=plan_start,
            plan_years=plan.plan_years,
        )
        rows.extend(assess_indicator(ctx, path, by_indicator.get(indicator.id, empty)))
    result = pd.DataFrame(rows, columns=list(STATUS_COLUMNS))
    result["status_vi"] = result["status"].map(STATUS_LABELS_VI)
    result["_order"] = result["indicator_id"].map(plan.order)
    result = result.sort_values(["area", "_order", "milestone_year"], kind="stable").drop(
        columns="_order"
    )
    return result.reset_index(drop=True)


def assess_periods(
    targets: pd.DataFrame,
    observations: pd.DataFrame,
    periods: Iterable[Period | str],
    registry,
    baseline: str = "first",
) -> dict[str, pd.DataFrame]:
    """:func:`assess` at each period (code → status rows), the milestone paths built once."""
    check_columns(observations, ("period", "indicator_id", "value"), "observations")
    plan = _prepare(targets, registry, baseline)
    timed = with_time_columns(observations) if len(observations) else observations
    # The comparison of each period assesses every earlier one again (its history): in a
    # run of several periods, the same status at the same period, from the same rows.
    same_plan = _digest(targets, repr(list(registry)), baseline)
    assessed = {}
    for p in sorted({Period.parse(x) for x in periods}):
        seen = visible(timed, p) if len(timed) else timed
        key = (p.code, same_plan, _digest(seen))
        if key not in _ASSESSED:
            if len(_ASSESSED) >= _ASSESSED_MAX:
                _ASSESSED.pop(next(iter(_ASSESSED)))
            _ASSESSED[key] = _assess(plan, timed, p, baseline)
        assessed[p.code] = _ASSESSED[key].copy()
    return assessed


# Status frames by (period, plan, visible rows): a kernel's memory of what it assessed.
_ASSESSED: dict[tuple, pd.DataFrame] = {}
_ASSESSED_MAX = 64


def _digest(frame: pd.DataFrame, *more: str) -> str:
    """A hash of a frame's contents (and of ``more`` text)."""
    digest = hashlib.sha256()
    if len(frame):
        hashed = pd.util.hash_pandas_object(frame.astype(str), index=False)
        digest.update(hashed.to_numpy().tobytes())
    digest.update("\0".join([*map(str, frame.columns), *more]).encode("utf-8"))
    return digest.hexdigest()


def status_history(
    targets: pd.DataFrame,
    observations: pd.DataFrame,
    periods: Iterable[Period | str],
    registry,
    baseline: str = "first",
    known: dict[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Status at each period as it was known then (reports up to that period only).

    ``known`` maps period codes to :func:`assess` results already computed with the same
    arguments, so the caller's current period is not assessed twice.

    ``previous_status``/``changed`` compare each indicator-milestone with its row in the
    preceding listed period, so a revision shows up where it was reported and never
    rewrites an earlier period's verdict.
    """
    ordered = sorted({Period.parse(p) for p in periods})
    if not ordered:
        return pd.DataFrame(columns=list(HISTORY_COLUMNS))
    timed = with_time_columns(observations) if len(observations) else observations
    known = known or {}
    # The milestone paths are the same at every period: built once.
    missing = any(p.code not in known for p in ordered)
    plan = _prepare(targets, registry, baseline) if missing else None
    frames = [
        known[p.code] if p.code in known else _assess(plan, timed, p, baseline) for p in ordered
    ]
    history = pd.concat(frames, ignore_index=True)
    rank = {p.code: n for n, p in enumerate(ordered)}
    history["_rank"] = history["period"].map(rank)
    history = history.sort_values(["indicator_id", "milestone_year", "_rank"], kind="stable")
    grouped = history.groupby(["indicator_id", "milestone_year"], sort=False)
    previous = grouped["status"].shift(1)
    previous_rank = grouped["_rank"].shift(1)
    # A milestone absent from the previous period (achieved then, or not yet listed) has no
    # comparable previous status.
    previous = previous.where(previous_rank == history["_rank"] - 1)
    history["previous_status"] = previous.fillna("")
    history["changed"] = (history["previous_status"] != "") & (
        history["previous_status"] != history["status"]
    )
    history = history.sort_values(
        ["_rank", "area", "indicator_id", "milestone_year"], kind="stable"
    )
    return history[list(HISTORY_COLUMNS)].reset_index(drop=True)


def display_table(status: pd.DataFrame, areas: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The status table as ward users read it: Vietnamese headers and number formats, each
    area by its name (``areas``: letter → name), each period as "Quý III/2026"."""
    areas = areas or {}
    rows = []
    for r in status.itertuples(index=False):
        qualitative = not r.comparator
        rows.append(
            {
                "Lĩnh vực": areas.get(r.area, r.area),
                "Chỉ tiêu": r.name_vi,
                "Mốc": r.milestone_year,
                "Mục tiêu": "định tính"
                if qualitative
                else fmt_target(r.comparator, r.target, r.value_max, r.unit),
                "Giá trị": "" if qualitative else fmt_value(r.value, r.unit),
                "Kỳ số liệu": Period.parse(r.value_period).short_label if r.value_period else "",
                "Tình trạng": label(r.status),
                "Cách tính / ghi chú": r.method_note,
            }
        )
    return pd.DataFrame(rows)
