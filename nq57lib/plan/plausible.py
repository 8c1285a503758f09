"""Targets the plan sets outside what their indicator can measure, set aside with a reason.

A share cannot exceed 100%, a ward counts far below ten million (``UNIT_BOUNDS`` in
:mod:`nq57lib.core.vocab`, lowered by an indicator's ``max:`` in indicators.yaml:
:attr:`~nq57lib.plan.registry.Indicator.bounds`). A target outside that range — "150%", a
number of 400 digits — is a drafting error: judging progress against it would print
"chưa đạt 150%" or worse. The catalogue keeps such a target (its id and line stay the
plan's) with the reason in its ``set_aside`` column; ``check-plan`` reports it as an
error; the assessment skips it (:func:`usable_targets`), and the briefing lists it with
the reason in annex 1.
"""

from __future__ import annotations

import math

import pandas as pd

from nq57lib.core.fmt import fmt_number, fmt_target, is_missing
from nq57lib.core.vocab import UNIT_BOUNDS
from nq57lib.plan.registry import Indicator

# Above this a figure is shown as "a number too large" rather than written out in full.
_SHOWN_UP_TO = 1e15


def _range_text(low: float | None, high: float | None, unit: str) -> str:
    """A range as the analyst reads it: "0–100%", "0–10.000.000", "≤ 500"."""
    percent = "%" if unit == "%" else ""
    if low is not None and high is not None:
        return f"{fmt_number(low, 2)}–{fmt_number(high, 2)}{percent}"
    if high is not None:
        return f"≤ {fmt_number(high, 2)}{percent}"
    return f"≥ {fmt_number(low, 2)}{percent}"


def bounds_for(indicator: Indicator | None, unit: str) -> tuple[float | None, float | None]:
    """The range a target of ``indicator`` can take: the indicator's bounds, else (an
    unbounded indicator, or none) those of the unit the plan wrote the figure in."""
    bounds = indicator.bounds if indicator is not None else (None, None)
    if bounds == (None, None):
        bounds = UNIT_BOUNDS.get(unit, (None, None))
    return bounds


def set_aside_reason(
    comparator: object, value: object, value_max: object, unit: str, indicator: Indicator | None
) -> str:
    """Why a target cannot be assessed (Vietnamese, lower case), or "" when it can."""
    figures = [float(v) for v in (value, value_max) if not is_missing(v)]
    if not figures:
        return ""  # a qualitative target: no figure to bound
    if not all(math.isfinite(v) for v in figures):
        return "mục tiêu không phải là một số hữu hạn"
    low, high = bounds_for(indicator, unit)
    outside = [
        v for v in figures if (low is not None and v < low) or (high is not None and v > high)
    ]
    if not outside:
        return ""
    shown_unit = indicator.unit if indicator is not None and indicator.unit != "other" else unit
    where = f"nằm ngoài khoảng hợp lý của chỉ số ({_range_text(low, high, shown_unit)})"
    if max(abs(v) for v in outside) > _SHOWN_UP_TO:
        return f"mục tiêu là một số quá lớn, {where}"
    shown = fmt_target(str(comparator or "="), figures[0], value_max, unit)
    return f"mục tiêu {shown} {where}"


def set_aside_reasons(targets: pd.DataFrame, indicators) -> pd.Series:
    """The reason of every target (the ``set_aside`` column): "" for a usable target.

    ``indicators`` is a registry (reviewed and provisional indicators); a target linked to
    none is bounded by its own unit.
    """
    known = {i.id: i for i in indicators}
    reasons = [
        set_aside_reason(
            getattr(t, "comparator", None),
            t.value,
            getattr(t, "value_max", None),
            getattr(t, "unit", "other"),
            known.get(t.indicator_id),
        )
        for t in targets.itertuples(index=False)
    ]
    return pd.Series(reasons, index=targets.index, dtype=object)


def usable_targets(targets: pd.DataFrame, indicators) -> pd.DataFrame:
    """The targets progress can be judged against: those without a reason to set them
    aside, checked again here whatever the frame's origin (a CSV has no such column)."""
    if targets.empty:
        return targets
    return targets[set_aside_reasons(targets, indicators) == ""]
