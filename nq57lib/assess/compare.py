"""Status of every indicator against the plan's milestones for a reporting period.

:func:`assess` is pure: the target catalogue and the processed observations in, one status
row per indicator (its next milestone) plus one per earlier milestone not achieved, out.
:func:`compare_period` is the thin wrapper that reads ``<processed>/<code>/observations.csv``
for every period up to P and writes ``status.csv``, ``status_history.csv`` and the Excel
appendix. The rules, thresholds and worked examples are in ``docs/methodology.md``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from nq57lib.assess import progress
from nq57lib.core import config
from nq57lib.core.atomic import write_csv_atomic
from nq57lib.core.errors import InputMissingError, PeriodError, ValidationError
from nq57lib.core.fmt import fmt_number, fmt_percent, is_missing
from nq57lib.core.periods import Period, milestone_time
from nq57lib.core.processed import (
    is_illustrative,
    processed_periods,
    quality_says_illustrative,
    read_observations,
)
from nq57lib.core.schema import OBSERVATION_COLUMNS, STAGE_LABELS_VI, STAGES

STATUSES = (
    "achieved",
    "on_track",
    "needs_acceleration",
    "off_track",
    "deteriorating",
    "overdue",
    "no_data",
    "insufficient_data",
    "not_due",
)
STATUS_LABELS_VI = {
    "achieved": "đạt",
    "on_track": "đúng tiến độ",
    "needs_acceleration": "cần đẩy nhanh",
    "off_track": "chậm tiến độ",
    "deteriorating": "đi xuống",
    "overdue": "quá hạn chưa đạt",
    "no_data": "chưa có số liệu",
    "insufficient_data": "chưa đủ số liệu",
    "not_due": "chưa đến kỳ áp dụng",
}
# The catalogue columns assess() cannot do without.
_NEEDED_TARGET_COLUMNS = ("indicator_id", "milestone_year", "comparator", "value")

STATUS_COLUMNS = (
    "period",
    "indicator_id",
    "area",
    "milestone_year",
    "comparator",
    "target",
    "value_max",
    "value",
    "value_period",
    "baseline",
    "baseline_period",
    "expected_now",
    "gap",
    "progress_ratio",
    "status",
    "method_note",
    "status_vi",
    "name_vi",
    "kind",
    "unit",
    "direction",
    "per_year",
    "row_role",
    "decided_by",
    "cagr_ratio",
    "straight_line_share",
    "methods_disagree",
    "target_id",
    "target_text",
)
HISTORY_COLUMNS = (
    "period",
    "indicator_id",
    "area",
    "milestone_year",
    "row_role",
    "value",
    "progress_ratio",
    "status",
    "status_vi",
    "previous_status",
    "changed",
)

# A stage needs a year to finish: inside the last year before the deadline an
# unfinished deliverable must be pushed, and one not started is behind.
LAST_YEAR = 1.0
# A deliverable not started is still on time while less than half its window has gone.
HALF_WINDOW = 0.5


# ── helpers ─────────────────────────────────────────────────────────────────


@lru_cache(maxsize=4096)
def _period(code: str) -> Period:
    return Period.parse(code)


def _month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def _as_bool(value: object) -> bool:
    if is_missing(value):
        return False
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def fmt_value(value: float | None, unit: str) -> str:
    """A figure as shown to ward users: ``85,5%``, ``12``, ``0,72``."""
    if is_missing(value):
        return "—"
    if unit == "%":
        return fmt_percent(value, 1)
    if unit == "count":
        return fmt_number(value, 1)
    return fmt_number(value, 2)


def fmt_target(comparator: str, target: float, value_max: float | None, unit: str) -> str:
    """The milestone as shown to ward users: ``≥ 80%``, ``> 3%``, ``80–90%``."""
    if is_missing(target):
        return "—"
    if comparator == "range":
        low = fmt_value(target, unit).rstrip("%")
        return f"{low}–{fmt_value(value_max, unit)}"
    symbol = {">=": "≥ ", ">": "> ", "<=": "≤ ", "<": "< ", "=": ""}.get(comparator, "")
    return f"{symbol}{fmt_value(target, unit)}"


def _ratio_text(value: float | None) -> str:
    return "—" if is_missing(value) else fmt_number(value, 2)


# ── observations ────────────────────────────────────────────────────────────


def _check_columns(frame: pd.DataFrame, needed: Iterable[str], subject: str) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValidationError(subject, [f"missing column(s): {', '.join(missing)}"])


def _with_time_columns(observations: pd.DataFrame) -> pd.DataFrame:
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
            parsed[code] = _period(code)
        except PeriodError as error:
            problems.append(str(error))
    if problems:
        raise ValidationError("observations", problems)
    obs["t_end"] = obs["period"].map(lambda c: parsed[c].end_time)
    obs["n_months"] = obs["period"].map(lambda c: parsed[c].months)
    obs["m_first"] = obs["period"].map(
        lambda c: _month_index(parsed[c].year, parsed[c].first_month)
    )
    obs["m_last"] = obs["period"].map(lambda c: _month_index(parsed[c].year, parsed[c].last_month))
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
    obs = observations if "t_end" in observations.columns else _with_time_columns(observations)
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


def _visible(obs: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Rows known at the end of ``period``: observed and reported no later than it."""
    end = period.end_time
    return obs[(obs["t_end"] <= end + 1e-9) & (obs["v_end"] <= end + 1e-9)]


# ── targets ─────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class _Milestone:
    year: int
    comparator: str
    target: float
    value_max: float
    per_year: bool
    qualitative: bool
    target_id: str
    text: str
    note: str = ""

    @property
    def time(self) -> float:
        return milestone_time(self.year)

    def path_target(self, direction: str) -> float:
        """The figure the on-track path aims at (the near bound of a range)."""
        if self.comparator == "range" and progress.direction_sign(direction) < 0:
            return self.value_max
        return self.target


def _milestones(targets: pd.DataFrame, kind: str, unit: str) -> list[_Milestone]:
    """One milestone per year (the first the plan states), figures made usable."""
    frame = targets.sort_values(
        ["milestone_year", "source_line"] if "source_line" in targets else ["milestone_year"]
    )
    frame = frame.drop_duplicates("milestone_year", keep="first")
    result = []
    for row in frame.itertuples(index=False):
        comparator = str(row.comparator) if not is_missing(row.comparator) else ">="
        target = float(row.value) if not is_missing(row.value) else math.nan
        value_max = getattr(row, "value_max", math.nan)
        value_max = float(value_max) if not is_missing(value_max) else math.nan
        qualitative = kind == "milestone" or (
            _as_bool(getattr(row, "qualitative", False)) and math.isnan(target) and kind == "level"
        )
        note = ""
        if kind in ("flow", "stock") and math.isnan(target):
            # "Phấn đấu hằng năm có học sinh đạt giải": a count with no figure means "some".
            target, comparator = 1.0, ">="
            note = "Chỉ tiêu không nêu số cụ thể: hiểu là ít nhất 1."
        result.append(
            _Milestone(
                year=int(row.milestone_year),
                comparator=comparator,
                target=target,
                value_max=value_max,
                per_year=_as_bool(getattr(row, "per_year", False)),
                qualitative=qualitative,
                target_id=str(getattr(row, "target_id", "")),
                text=str(getattr(row, "text", "") or ""),
                note=note,
            )
        )
    return result


# ── per-indicator evaluation ────────────────────────────────────────────────


@dataclass
class _Context:
    period: Period
    indicator: object
    baseline: str
    plan_start: float
    plan_years: tuple[int, ...] = ()
    rows: list[dict] = field(default_factory=list)

    def quota_first_year(self, m: _Milestone) -> int | None:
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

    def row(self, m: _Milestone, role: str) -> dict:
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
        }


def _finish(row: dict, status: str, *notes: str) -> dict:
    row["status"] = status
    row["method_note"] = " ".join(n for n in notes if n)
    return row


def _beyond_range(value: float, m: _Milestone, direction: str) -> bool:
    """A value past a range's far bound in the desired direction exceeds the plan."""
    if m.comparator != "range" or is_missing(value):
        return False
    if progress.direction_sign(direction) > 0:
        return value > m.value_max
    return value < m.target


def _met(value: float, m: _Milestone, direction: str) -> bool:
    return progress.meets(value, m.comparator, m.target, m.value_max, direction) or _beyond_range(
        value, m, direction
    )


def _met_later(
    value: float, m: _Milestone, later: Sequence[_Milestone], direction: str
) -> _Milestone | None:
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


def _level_series(sub: pd.DataFrame) -> pd.DataFrame:
    """Numeric observations in time order; at equal end dates the coarser report wins."""
    series = sub[sub["value"].notna()].sort_values(["t_end", "n_months"], kind="stable")
    return series.drop_duplicates("t_end", keep="last")


def _pick_baseline(series: pd.DataFrame, baseline: str) -> int | None:
    if baseline == "first":
        return 0 if len(series) else None
    start = _period(baseline).end_time
    later = np.flatnonzero(series["t_end"].to_numpy() >= start - 1e-9)
    return int(later[0]) if len(later) else None


def _revision_note(obs_row: pd.Series, unit: str) -> str:
    if not obs_row.get("revised_in"):
        return ""
    if is_missing(obs_row.get("value")):
        before = STAGE_LABELS_VI.get(str(obs_row.get("revised_status_from")), "—")
        after = STAGE_LABELS_VI.get(str(obs_row.get("status")), "—")
    else:
        before, after = fmt_value(obs_row["revised_from"], unit), fmt_value(obs_row["value"], unit)
    return (
        f"Số liệu kỳ {obs_row['period']} được điều chỉnh trong báo cáo kỳ "
        f"{obs_row['revised_in']}: {before} → {after}."
    )


def _assess_level(
    ctx: _Context, m: _Milestone, later: Sequence[_Milestone], series: pd.DataFrame, role: str
) -> dict:
    """Level or stock indicator (a value at a point in time) against one milestone."""
    row = ctx.row(m, role)
    period, unit, direction = ctx.period, ctx.unit, ctx.direction
    deadline = m.time
    if m.per_year:
        # An annual figure binds every year: this year's verdict is due at the year's end.
        deadline = min(deadline, float(period.year + 1)) if role == "next" else deadline
        if role == "overdue":
            series = series[series["t_end"] <= deadline + 1e-9]
    if math.isnan(m.target):
        return _finish(row, "insufficient_data", "Chỉ tiêu không nêu số cụ thể để so sánh.", m.note)
    if not len(series):
        past = " Mốc đã qua hạn." if deadline <= period.end_time else ""
        return _finish(row, "no_data", f"Chưa có số liệu.{past}", m.note)
    last = series.iloc[-1]
    value, t = float(last["value"]), float(last["t_end"])
    row["value"], row["value_period"] = value, last["period"]
    notes = [m.note, _revision_note(last, unit)]
    if last["period"] != period.code:
        notes.append(f"Số liệu mới nhất là kỳ {last['period']}.")
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
        text = f"{fmt_value(value, unit)} đạt mục tiêu {shown_target}"
        if _beyond_range(value, m, direction):
            text += " (vượt cận trên của khoảng)"
        if early is not None:
            early_target = fmt_target(early.comparator, early.target, early.value_max, unit)
            text += f"; đã đạt sớm mốc {early.year} ({early_target})"
        return _finish(row, "achieved", text + ".", *notes)
    if base_index is None:
        return _finish(
            row, "insufficient_data", f"Không có số liệu từ kỳ gốc {ctx.baseline}.", *notes
        )

    if t > t0:
        row["expected_now"] = progress.expected_on_path(base, target, t0, t, deadline)
        if target != base:
            row["progress_ratio"] = (value - base) / (target - base)
    if deadline <= period.end_time:
        return _finish(
            row,
            "overdue",
            f"Hết hạn {fmt_deadline(deadline)}: {fmt_value(value, unit)} chưa đạt {shown_target}.",
            *notes,
        )
    if t <= t0:
        return _finish(
            row,
            "insufficient_data",
            f"Mới có một kỳ số liệu ({last['period']}): chưa tính được xu hướng.",
            *notes,
        )
    if _met(base, m, direction):
        # The straight line would point backwards; the only way to miss is to fall back.
        row["decided_by"] = "baseline_met"
        ratio = progress.cagr_ratio(base, value, target, t0, t, deadline, direction)
        row["cagr_ratio"] = ratio if ratio is not None else math.nan
        return _finish(
            row,
            "deteriorating",
            f"Kỳ gốc {base_row['period']} đã đạt ({fmt_value(base, unit)}), nay giảm còn "
            f"{fmt_value(value, unit)} dưới mục tiêu {shown_target}.",
            *notes,
        )
    ratio = progress.cagr_ratio(base, value, target, t0, t, deadline, direction)
    share = progress.straight_line_share(base, value, target, t0, t, deadline)
    by_ratio, by_share = progress.classify_ratio(ratio), progress.classify_ratio(share)
    row["cagr_ratio"] = ratio if ratio is not None else math.nan
    row["straight_line_share"] = share if share is not None else math.nan
    row["methods_disagree"] = bool(by_ratio and by_share and by_ratio != by_share)
    if by_ratio and base != 0 and target != 0:
        row["decided_by"], status, row["progress_ratio"] = "cagr", by_ratio, ratio
        how = (
            f"Tăng trưởng bình quân năm thực tế so với yêu cầu R = {_ratio_text(ratio)} "
            f"(ngưỡng 0,95/0,60); đường thẳng: {_ratio_text(share)}."
        )
    elif by_share:
        row["decided_by"], status, row["progress_ratio"] = "straight_line", by_share, share
        zero = "kỳ gốc bằng 0" if base == 0 else "mục tiêu bằng 0"
        how = (
            f"Theo đường thẳng: đã đi được {_ratio_text(share)} quãng đường kỳ vọng đến nay "
            f"({zero}: tỷ số CAGR R = {_ratio_text(ratio)} chỉ để tham khảo)."
        )
    else:
        growth = progress.cagr(
            value or progress.ZERO_SUBSTITUTE, base or progress.ZERO_SUBSTITUTE, t, t0
        )
        limit = progress.PERCENT_LIMIT if unit == "%" else None
        row["decided_by"], status = "trend", progress.classify_trend(growth, base, direction, limit)
        how = (
            f"Kỳ gốc nằm đúng ngưỡng mục tiêu {shown_target}: xét tốc độ tăng bình quân năm "
            f"{fmt_percent(growth * 100, 2)} (ngưỡng 1,5%/0,5% điều chỉnh gần giới hạn)."
        )
    disagree = ""
    if row["methods_disagree"]:
        disagree = (
            f"Hai phương pháp khác nhau (CAGR: {STATUS_LABELS_VI[by_ratio]}; "
            f"đường thẳng: {STATUS_LABELS_VI[by_share]})."
        )
    return _finish(row, status, how, disagree, *notes)


def fmt_deadline(time: float) -> str:
    """Deadline at a year's end, shown as 31/12/YYYY."""
    return f"31/12/{round(time) - 1}"


def _flow_total(
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


def _missing_months_text(covered: np.ndarray, first_month: int) -> str:
    missing = [first_month + i for i in np.flatnonzero(~covered)]
    labels = [f"{m % 12 + 1}/{m // 12}" for m in missing]
    if len(labels) > 4:
        labels = [*labels[:2], "…", labels[-1]]
    return ", ".join(labels)


def _assess_flow(
    ctx: _Context, m: _Milestone, window_start: float, sub: pd.DataFrame, role: str
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
        first_month = _month_index(period.year, 1)
        last_month = _month_index(period.year, period.last_month)
        label = f"Lũy kế năm {period.year}"
        fraction = period.year_fraction
    elif m.per_year:
        first_month, last_month = _month_index(m.year, 1), _month_index(m.year, 12)
        label, fraction = f"Cả năm {m.year}", 1.0
    else:
        start_year = round(window_start)
        first_month = _month_index(start_year, 1)
        end_month = min(_month_index(m.year, 12), _month_index(period.year, period.last_month))
        last_month = end_month
        end_year = min(m.year, period.year)
        span = f"năm {start_year}" if end_year == start_year else f"{start_year}–{end_year}"
        label = f"Lũy kế {span}"
        fraction = min((last_month - first_month + 1) / ((m.year - start_year + 1) * 12), 1.0)
    total, covered, used = _flow_total(sub, first_month, last_month)
    annual = m.target
    row["target"] = annual
    if not used:
        return _finish(row, "no_data", f"{label}: chưa có số liệu.", m.note)
    latest = sorted(used, key=lambda c: _period(c).end_time)[-1]
    row["value"], row["value_period"] = total, latest
    row["gap"] = annual - total
    row["expected_now"] = annual * fraction
    shown = fmt_target(m.comparator, annual, m.value_max, unit)
    revised = [
        _revision_note(r, unit)
        for _, r in sub[sub["period"].isin(used) & (sub["revised_in"] != "")].iterrows()
    ]
    notes = [m.note, *revised]
    if progress.meets(total, m.comparator, annual, m.value_max, ctx.direction):
        row["progress_ratio"] = total / annual if annual else 1.0
        return _finish(row, "achieved", f"{label}: {fmt_value(total, unit)}, đạt {shown}.", *notes)
    complete = bool(covered.all())
    missing_text = (
        "" if complete else f" Thiếu số liệu tháng {_missing_months_text(covered, first_month)}."
    )
    year_end = fraction >= 1.0
    if not complete:
        return _finish(
            row,
            "insufficient_data",
            f"{label}: {fmt_value(total, unit)}/{fmt_value(annual, unit)}.{missing_text}",
            *notes,
        )
    if year_end:
        row["progress_ratio"] = total / annual if annual else math.nan
        return _finish(
            row,
            "overdue",
            f"{label}: {fmt_value(total, unit)}/{fmt_value(annual, unit)}, không đạt {shown}.",
            *notes,
        )
    share = progress.pro_rata_share(total, annual, fraction)
    row["progress_ratio"] = share if share is not None else math.nan
    row["decided_by"] = "pro_rata"
    status = progress.classify_ratio(share) or "insufficient_data"
    return _finish(
        row,
        status,
        f"{label}: {fmt_value(total, unit)} so với {fmt_value(annual * fraction, unit)} "
        f"({fmt_percent(fraction * 100, 1)} của {fmt_value(annual, unit)}); "
        f"tỷ lệ {_ratio_text(share)}.",
        *notes,
    )


def _assess_stage(
    ctx: _Context,
    m: _Milestone,
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
        return _finish(row, "achieved", "Đã báo cáo hoàn thành ở mốc sau.")
    if not len(window):
        past = " Mốc đã qua hạn." if deadline <= period.end_time else ""
        return _finish(row, "no_data", f"Chưa có báo cáo tiến độ.{past}")
    last = window.iloc[-1]
    stage = str(last["status"])
    row["value_period"] = last["period"]
    row["value"] = float(STAGES[stage])
    label = STAGE_LABELS_VI[stage]
    notes = [_revision_note(last, ctx.unit)]
    if stage == "done":
        return _finish(row, "achieved", f"Kỳ {last['period']}: {label}.", *notes)
    if deadline <= period.end_time:
        return _finish(row, "overdue", f"Hết hạn {fmt_deadline(deadline)}: {label}.", *notes)
    remaining = deadline - float(last["t_end"])
    elapsed = (float(last["t_end"]) - window_start) / (deadline - window_start)
    when = (
        f"Kỳ {last['period']}: {label}; còn {fmt_number(remaining, 2)} năm "
        f"đến hạn {fmt_deadline(deadline)}."
    )
    if len(window) > 1 and STAGES[str(window.iloc[-2]["status"])] > STAGES[stage]:
        before = STAGE_LABELS_VI[str(window.iloc[-2]["status"])]
        return _finish(row, "deteriorating", when, f"Lùi từ '{before}' về '{label}'.", *notes)
    if stage == "in_progress":
        status = "on_track" if remaining > LAST_YEAR else "needs_acceleration"
    elif remaining <= LAST_YEAR:
        status = "off_track"
    else:
        status = "on_track" if elapsed < HALF_WINDOW else "needs_acceleration"
    return _finish(row, status, when, *notes)


def _assess_indicator(ctx: _Context, milestones: list[_Milestone], sub: pd.DataFrame) -> list[dict]:
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
    series = _level_series(sub) if kind in ("level", "stock") else None
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

    rows = []
    for i in range(current):
        earlier = evaluate(i, "overdue")
        if earlier["status"] != "achieved":
            rows.append(earlier)
    m = milestones[current]
    first_year = ctx.quota_first_year(m)
    if m.per_year and not m.qualitative and first_year is not None and period.year < first_year:
        rows.append(_not_due(ctx, m, role))
    else:
        rows.append(evaluate(current, role))
    return rows


def _not_due(ctx: _Context, m: _Milestone, role: str) -> dict:
    first = ctx.quota_first_year(m)
    return _finish(
        ctx.row(m, role),
        "not_due",
        f"Chỉ tiêu hằng năm của mốc {m.year} áp dụng từ năm {first} đến năm {m.year}; "
        f"kỳ {ctx.period.code} chưa đến kỳ áp dụng.",
        m.note,
    )


# ── public API ──────────────────────────────────────────────────────────────


def _check_targets(targets: pd.DataFrame, registry) -> list[str]:
    problems = []
    unknown = sorted(set(targets["indicator_id"].dropna()) - {i.id for i in registry})
    if unknown:
        problems.append(f"indicator(s) not in the registry: {', '.join(unknown)}")
    bad = sorted(set(targets["comparator"].dropna()) - set(progress.COMPARATORS))
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
    _check_columns(targets, _NEEDED_TARGET_COLUMNS, "targets")
    _check_columns(observations, ("period", "indicator_id", "value"), "observations")
    if baseline != "first":
        _period(baseline)
    linked = targets[targets["indicator_id"].notna()]
    problems = _check_targets(linked, registry)
    if problems:
        raise ValidationError("targets", problems)
    if len(observations):
        obs = resolve_revisions(_visible(_with_time_columns(observations), period))
    else:
        obs = _with_time_columns(pd.DataFrame(columns=list(OBSERVATION_COLUMNS)))
        obs["revised_from"], obs["revised_status_from"], obs["revised_in"] = np.nan, "", ""
    by_indicator = dict(tuple(obs.groupby("indicator_id", sort=False)))
    empty = obs.iloc[0:0]
    plan_start = float(linked["milestone_year"].min()) if len(linked) else float(period.year)
    plan_years = tuple(sorted({int(y) for y in linked["milestone_year"].dropna()}))
    order = {ind.id: n for n, ind in enumerate(registry)}
    rows: list[dict] = []
    for indicator_id, group in linked.groupby("indicator_id", sort=False):
        indicator = registry[indicator_id]
        ctx = _Context(
            period=period,
            indicator=indicator,
            baseline=baseline,
            plan_start=plan_start,
            plan_years=plan_years,
        )
        milestones = _milestones(group, indicator.kind, indicator.unit)
        rows.extend(_assess_indicator(ctx, milestones, by_indicator.get(indicator_id, empty)))
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
    timed = _with_time_columns(observations) if len(observations) else observations
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


# ── files ───────────────────────────────────────────────────────────────────


def _load_targets(plan_path: Path | None) -> pd.DataFrame:
    from nq57lib.plan.catalogue import build_catalogue

    return build_catalogue(plan_path).targets


@dataclass
class ComparisonResult:
    period: Period
    status: pd.DataFrame
    history: pd.DataFrame
    output_dir: Path
    observations: pd.DataFrame
    targets: pd.DataFrame
    illustrative: bool = False
    files: dict[str, Path] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        counts = self.status["status"].value_counts()
        return {s: int(counts.get(s, 0)) for s in STATUSES}

    def attention(self, n: int = 6) -> pd.DataFrame:
        """Rows that most need leadership's attention, worst status first."""
        severity = {
            s: i
            for i, s in enumerate(("overdue", "deteriorating", "off_track", "needs_acceleration"))
        }
        rows = self.status[self.status["status"].isin(severity)].copy()
        rows["_severity"] = rows["status"].map(severity)
        return (
            rows.sort_values(["_severity", "area"], kind="stable").drop(columns="_severity").head(n)
        )

    def summary_text(self) -> str:
        total = len(self.status)
        parts = [f"{STATUS_LABELS_VI[s]} {n}" for s, n in self.counts().items() if n]
        lines = [
            f"So sánh với mốc kế hoạch — {self.period.label_vi} ({self.period.code}): "
            f"{total} dòng, {self.status['indicator_id'].nunique()} chỉ tiêu.",
            "  " + " · ".join(parts),
        ]
        if self.illustrative:
            lines.append(f"  ({config.ILLUSTRATIVE_LABEL})")
        changed = int(self.history["changed"].sum()) if len(self.history) else 0
        lines.append(
            f"  Diễn biến: {changed} lần đổi trạng thái qua {self.history['period'].nunique()} kỳ."
        )
        lines.extend(f"  Đã ghi: {path}" for path in self.files.values())
        return "\n".join(lines)


def compare_period(
    period: Period | str,
    processed_dir: Path | str | None = None,
    plan_path: Path | str | None = None,
    baseline: str = "first",
) -> ComparisonResult:
    """Compare period P with the milestones and write status, history and the appendix."""
    from nq57lib.assess.appendix import write_appendix

    period = Period.parse(period)
    processed_dir = Path(processed_dir) if processed_dir else config.DATA_PROCESSED
    output_dir = processed_dir / period.code
    if not (output_dir / "observations.csv").is_file():
        raise InputMissingError(
            output_dir / "observations.csv",
            f"kỳ {period.code} chưa được làm sạch — "
            f"chạy `nq57 clean --period {period.code}` trước.",
        )
    periods = [p for p in processed_periods(processed_dir) if p <= period]
    observations = read_observations(processed_dir, periods)
    targets = _load_targets(Path(plan_path) if plan_path else None)
    from nq57lib.plan.registry import load_registry

    registry = load_registry()
    status = assess(targets, observations, period, registry, baseline)
    history = status_history(
        targets, observations, periods, registry, baseline, known={period.code: status}
    )
    illustrative = is_illustrative(observations) or quality_says_illustrative(
        processed_dir, periods
    )
    files = {
        "status": write_csv_atomic(status, output_dir / "status.csv"),
        "history": write_csv_atomic(history, output_dir / "status_history.csv"),
    }
    files["appendix"] = write_appendix(
        status, history, output_dir / "status.xlsx", period=period, illustrative=illustrative
    )
    return ComparisonResult(
        period=period,
        status=status,
        history=history,
        output_dir=output_dir,
        observations=observations,
        targets=targets,
        illustrative=illustrative,
        files=files,
    )
