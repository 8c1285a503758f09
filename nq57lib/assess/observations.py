"""Observations as the assessment reads them: timed, revisions resolved, flows totalled.

Pure functions on the processed observations (``observations.csv`` rows, optionally with a
``vintage`` column naming the report each row came from). The charts use the same
revision and flow rules, so a figure drawn is the figure assessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from nq57lib.core.errors import PeriodError, ValidationError
from nq57lib.core.fmt import is_missing
from nq57lib.core.periods import Period


@lru_cache(maxsize=4096)
def cached_period(code: str) -> Period:
    return Period.parse(code)


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def as_bool(value: object) -> bool:
    if is_missing(value):
        return False
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def check_columns(frame: pd.DataFrame, needed: Iterable[str], subject: str) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValidationError(subject, [f"missing column(s): {', '.join(missing)}"])


def with_time_columns(observations: pd.DataFrame) -> pd.DataFrame:
    """Copy with period/vintage as text and their end times and month spans as columns."""
    obs = observations.copy()
    obs["period"] = obs["period"].astype(str)
    if "vintage" not in obs.columns:
        obs["vintage"] = obs["period"]
    obs["vintage"] = obs["vintage"].astype(str)
    codes = pd.unique(pd.concat([obs["period"], obs["vintage"]], ignore_index=True))
    problems = []
    parsed: dict[str, Period] = {}
    for code in codes:
        try:
            parsed[code] = cached_period(code)
        except PeriodError as error:
            problems.append(str(error))
    if problems:
        raise ValidationError("observations", problems)
    obs["t_end"] = obs["period"].map(lambda c: parsed[c].end_time)
    obs["n_months"] = obs["period"].map(lambda c: parsed[c].months)
    obs["m_first"] = obs["period"].map(lambda c: month_index(parsed[c].year, parsed[c].first_month))
    obs["m_last"] = obs["period"].map(lambda c: month_index(parsed[c].year, parsed[c].last_month))
    obs["v_end"] = obs["vintage"].map(lambda c: parsed[c].end_time)
    obs["v_months"] = obs["vintage"].map(lambda c: parsed[c].months)
    obs["value"] = pd.to_numeric(obs["value"], errors="coerce")
    if "status" not in obs.columns:
        obs["status"] = np.nan
    return obs


def resolve_revisions(observations: pd.DataFrame) -> pd.DataFrame:
    """One row per (indicator, period): the figure from the latest report.

    A later period's file may restate an earlier period's value (``vintage`` is the folder
    the row came from; without that column each row is its own vintage). The restated
    figure replaces the earlier one, and ``revised_from`` / ``revised_in`` keep what it
    replaced. Two different figures for the same indicator and period in the same report
    are a conflict the analyst must settle: they raise :class:`ValidationError`.
    """
    obs = observations if "t_end" in observations.columns else with_time_columns(observations)
    obs = obs.sort_values(["indicator_id", "period", "v_end", "v_months"], kind="stable")
    keys = ["indicator_id", "period", "vintage"]
    same_report = obs[obs.duplicated(keys, keep=False)]
    if len(same_report):
        distinct = same_report.drop_duplicates([*keys, "value", "status"])
        clashes = distinct[distinct.duplicated(keys, keep=False)]
        if len(clashes):
            problems = [
                f"{ind} kỳ {per} (báo cáo kỳ {vin}): hai giá trị khác nhau "
                + ", ".join(str(v) for v in grp["value"].where(grp["value"].notna(), grp["status"]))
                for (ind, per, vin), grp in clashes.groupby(keys, sort=True)
            ]
            raise ValidationError(
                "observations (giá trị mâu thuẫn trong cùng một báo cáo)", problems
            )
        obs = obs.drop_duplicates([*keys, "value", "status"])
    latest = obs.drop_duplicates(["indicator_id", "period"], keep="last").copy()
    latest["revised_from"] = np.nan
    latest["revised_status_from"] = ""
    latest["revised_in"] = ""
    earlier = obs.drop(index=latest.index)
    if len(earlier):
        prior = earlier.drop_duplicates(["indicator_id", "period"], keep="last")
        joined = latest.reset_index().merge(
            prior[["indicator_id", "period", "value", "status", "vintage"]],
            on=["indicator_id", "period"],
            suffixes=("", "_prior"),
        )
        value_changed = ~(
            (joined["value"] == joined["value_prior"])
            | (joined["value"].isna() & joined["value_prior"].isna())
        )
        status_changed = joined["status"].fillna("") != joined["status_prior"].fillna("")
        changed = joined[value_changed | status_changed]
        latest.loc[changed["index"], "revised_from"] = changed["value_prior"].to_numpy()
        latest.loc[changed["index"], "revised_status_from"] = changed["status_prior"].to_numpy()
        latest.loc[changed["index"], "revised_in"] = changed["vintage"].to_numpy()
    return latest.sort_values(["indicator_id", "t_end", "n_months"], kind="stable")


def visible(obs: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Rows known at the end of ``period``: observed and reported no later than it."""
    end = period.end_time
    return obs[(obs["t_end"] <= end + 1e-9) & (obs["v_end"] <= end + 1e-9)]


def level_series(sub: pd.DataFrame) -> pd.DataFrame:
    """Numeric observations in time order; at equal end dates the coarser report wins."""
    series = sub[sub["value"].notna()].sort_values(["t_end", "n_months"], kind="stable")
    return series.drop_duplicates("t_end", keep="last")


def flow_total(
    sub: pd.DataFrame, first_month: int, last_month: int
) -> tuple[float, np.ndarray, list[str]]:
    """Sum of flow counts within [first_month, last_month] without double counting.

    Calendar periods nest (months in quarters in halves in years), so taking the coarsest
    reports first and skipping any finer report whose months are already covered counts
    every month once; a unit's own quarterly total wins over its monthly figures.
    """
    inside = sub[
        (sub["m_first"] >= first_month) & (sub["m_last"] <= last_month) & sub["value"].notna()
    ]
    covered = np.zeros(last_month - first_month + 1, dtype=bool)
    total, used = 0.0, []
    for row in inside.sort_values(["n_months", "m_first"], ascending=[False, True]).itertuples(
        index=False
    ):
        span = slice(row.m_first - first_month, row.m_last - first_month + 1)
        if covered[span].any():
            continue
        covered[span] = True
        total += float(row.value)
        used.append(row.period)
    return total, covered, used


def missing_months_text(covered: np.ndarray, first_month: int) -> str:
    missing = [first_month + i for i in np.flatnonzero(~covered)]
    labels = [f"{m % 12 + 1}/{m // 12}" for m in missing]
    if len(labels) > 4:
        labels = [*labels[:2], "…", labels[-1]]
    return ", ".join(labels)


def flow_yearly(observations: pd.DataFrame) -> pd.Series:
    """Total of a flow indicator per calendar year, each month counted once (the charts).

    ``observations`` are one indicator's rows after :func:`resolve_revisions` (or raw rows
    with ``period`` and ``value``); the rule is :func:`flow_total`'s, year by year.
    """
    timed = observations if "m_first" in observations.columns else with_time_columns(observations)
    totals: dict[int, float] = {}
    for year in sorted({cached_period(c).year for c in timed["period"]}):
        total, _covered, used = flow_total(timed, month_index(year, 1), month_index(year, 12))
        if used:
            totals[year] = total
    return pd.Series(totals, dtype=float)
