"""The status of every indicator at a period, and its history across periods (pure).

:func:`assess` takes the target catalogue, the processed observations and the registry,
and returns one status row per indicator for its next milestone plus one per earlier
milestone not achieved; a target outside its indicator's plausible range is skipped
(:mod:`nq57lib.plan.plausible`). It reads no file and no clock. The rules are in
:mod:`nq57lib.assess.rules` and docs/methodology.md.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from nq57lib.assess.milestones import Context, milestones
from nq57lib.assess.observations import (
    cached_period,
    check_columns,
    resolve_revisions,
    visible,
    with_time_columns,
)
from nq57lib.assess.rules import assess_indicator
from nq57lib.assess.statuses import STATUS_LABELS_VI
from nq57lib.core.errors import ValidationError
from nq57lib.core.fmt import fmt_target, fmt_value
from nq57lib.core.periods import Period
from nq57lib.core.schema import HISTORY_COLUMNS, OBSERVATION_COLUMNS, STATUS_COLUMNS
from nq57lib.core.vocab import COMPARATORS
from nq57lib.plan.plausible import usable_targets

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
    period = Period.parse(period)
    check_columns(targets, _NEEDED_TARGET_COLUMNS, "targets")
    check_columns(observations, ("period", "indicator_id", "value"), "observations")
    if baseline != "first":
        cached_period(baseline)
    linked = targets[targets["indicator_id"].notna()]
    problems = _check_targets(linked, registry)
    if problems:
        raise ValidationError("targets", problems)
    # A target outside its indicator's range ("150%") is never judged against; check-plan
    # and the briefing's annex 1 say why it has no status.
    linked = usable_targets(linked, registry)
    if len(observations):
        obs = resolve_revisions(visible(with_time_columns(observations), period))
    else:
        obs = with_time_columns(pd.DataFrame(columns=list(OBSERVATION_COLUMNS)))
        obs["revised_from"], obs["revised_status_from"], obs["revised_in"] = np.nan, "", ""
    by_indicator = dict(tuple(obs.groupby("indicator_id", sort=False)))
    empty = obs.iloc[0:0]
    plan_start = float(linked["milestone_year"].min()) if len(linked) else float(period.year)
    plan_years = tuple(sorted({int(y) for y in linked["milestone_year"].dropna()}))
    order = {ind.id: n for n, ind in enumerate(registry)}
    rows: list[dict] = []
    for indicator_id, group in linked.groupby("indicator_id", sort=False):
        indicator = registry[indicator_id]
        ctx = Context(
            period=period,
            indicator=indicator,
            baseline=baseline,
            plan_start=plan_start,
            plan_years=plan_years,
        )
        path = milestones(group, indicator.kind, indicator.unit)
        rows.extend(assess_indicator(ctx, path, by_indicator.get(indicator_id, empty)))
    result = pd.DataFrame(rows, columns=list(STATUS_COLUMNS))
    result["status_vi"] = result["status"].map(STATUS_LABELS_VI)
    result["_order"] = result["indicator_id"].map(order)
    result = result.sort_values(["area", "_order", "milestone_year"], kind="stable").drop(
        columns="_order"
    )
    return result.reset_index(drop=True)


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
    frames = [
        known[p.code] if p.code in known else assess(targets, timed, p, registry, baseline)
        for p in ordered
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


def display_table(status: pd.DataFrame) -> pd.DataFrame:
    """The status table as ward users read it: Vietnamese headers and number formats."""
    rows = []
    for r in status.itertuples(index=False):
        qualitative = not r.comparator
        rows.append(
            {
                "Lĩnh vực": r.area,
                "Chỉ tiêu": r.name_vi,
                "Mốc": r.milestone_year,
                "Mục tiêu": "định tính"
                if qualitative
                else fmt_target(r.comparator, r.target, r.value_max, r.unit),
                "Giá trị": "" if qualitative else fmt_value(r.value, r.unit),
                "Kỳ số liệu": r.value_period,
                "Tình trạng": STATUS_LABELS_VI[r.status],
                "Cách tính / ghi chú": r.method_note,
            }
        )
    return pd.DataFrame(rows)
