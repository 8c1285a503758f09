"""Progress arithmetic: comparator checks, the Open SDG growth ratio, the straight-line share.

Everything here works on plain numbers so that each formula can be checked by hand
(docs/methodology.md gives a worked example of each, and the tests use the same numbers).
Time is in fractional years at period ends (:attr:`nq57lib.periods.Period.end_time`,
:func:`nq57lib.periods.milestone_time`).

The growth ratio follows Statistics Canada's method as implemented in Open SDG's
``sdg-build`` (``sdg/ProgressMeasure.py``):

    CAGR(a, b, t_a, t_b) = (a / b) ** (1 / (t_a - t_b)) - 1
    R = sign(y0) · d · CAGR(y_now, y0, t_now, t0) / |CAGR(y_target, y0, T, t0)|

with zero base or target values replaced by 0.001, ``d`` = +1 for "increase" and −1 for
"decrease", and the categories R ≥ 0.95, 0.60 ≤ R < 0.95, 0 ≤ R < 0.60, R < 0.
Where there is no quantitative requirement, the observed CAGR alone is compared with
1.5 % and 0.5 % a year, both scaled down near a natural limit (100 % for percentages) by
``C = 1 − (y0 / limit) ** 4.44``.
"""

from __future__ import annotations

import math

from nq57lib.core.fmt import is_missing
from nq57lib.core.vocab import COMPARATORS

ON_TRACK_RATIO = 0.95
ACCELERATE_RATIO = 0.60
ZERO_SUBSTITUTE = 0.001
TREND_HIGH = 0.015
TREND_MED = 0.005
LIMIT_EXPONENT = 4.44
PERCENT_LIMIT = 100.0
# Comparisons of reported figures with plan figures tolerate float noise ("80,0" vs 80).
TOLERANCE = 1e-9


def direction_sign(direction: str) -> int:
    """+1 for "increase", −1 for "decrease"."""
    if direction == "increase":
        return 1
    if direction == "decrease":
        return -1
    raise ValueError(f"direction must be 'increase' or 'decrease', not {direction!r}")


def meets(
    value: float | None,
    comparator: str,
    target: float,
    value_max: float | None = None,
    direction: str = "increase",
) -> bool:
    """Whether ``value`` satisfies the milestone.

    A bare figure (``=``, "đạt 100%") is a level to reach in the indicator's direction,
    so it reads as ``>=`` for an increasing indicator and ``<=`` for a decreasing one.
    ``range`` is inclusive at both ends. Strict comparators stay strict: 3,0% is not
    "trên 3%".
    """
    if is_missing(value):
        return False
    if comparator == "=":
        comparator = ">=" if direction_sign(direction) > 0 else "<="
    if comparator == ">=":
        return value >= target - TOLERANCE
    if comparator == ">":
        return value > target + TOLERANCE
    if comparator == "<=":
        return value <= target + TOLERANCE
    if comparator == "<":
        return value < target - TOLERANCE
    if comparator == "range":
        if is_missing(value_max):
            raise ValueError("a 'range' target needs value_max")
        return target - TOLERANCE <= value <= value_max + TOLERANCE
    raise ValueError(f"unknown comparator {comparator!r}; expected one of {', '.join(COMPARATORS)}")


def cagr(value: float, base: float, t: float, t0: float) -> float:
    """Compound annual growth rate from ``base`` at ``t0`` to ``value`` at ``t``."""
    if t <= t0:
        raise ValueError(f"growth needs a later time: t={t} is not after t0={t0}")
    return (value / base) ** (1.0 / (t - t0)) - 1.0


def _substitute_zero(value: float) -> float:
    return ZERO_SUBSTITUTE if value == 0 else value


def cagr_ratio(
    base: float,
    current: float,
    target: float,
    t0: float,
    t: float,
    t_target: float,
    direction: str = "increase",
) -> float | None:
    """Open SDG ratio R of observed to required annual growth.

    Returns ``None`` when the ratio is undefined: fewer than two time points, values of
    opposite signs, or a required growth of exactly zero (the baseline sits on the target).
    """
    if t <= t0 or t_target <= t0:
        return None
    base = _substitute_zero(base)
    target = _substitute_zero(target)
    if (base > 0 > current) or (base < 0 < current) or (base > 0 > target) or (base < 0 < target):
        return None
    sign = -1 if base < 0 else 1
    observed = cagr(current, base, t, t0)
    required = cagr(target, base, t_target, t0)
    if required == 0:
        return None
    return sign * direction_sign(direction) * observed / abs(required)


def classify_ratio(ratio: float | None) -> str | None:
    """Category of a ratio (R or the straight-line share) against 0.95 / 0.60 / 0."""
    if ratio is None or math.isnan(ratio):
        return None
    if ratio >= ON_TRACK_RATIO:
        return "on_track"
    if ratio >= ACCELERATE_RATIO:
        return "needs_acceleration"
    if ratio >= 0:
        return "off_track"
    return "deteriorating"


def expected_on_path(base: float, target: float, t0: float, t: float, t_target: float) -> float:
    """Value on the straight line from (t0, base) to (t_target, target) at time ``t``."""
    if t_target <= t0:
        return target
    share_of_time = min(max((t - t0) / (t_target - t0), 0.0), 1.0)
    return base + (target - base) * share_of_time


def straight_line_share(
    base: float, current: float, target: float, t0: float, t: float, t_target: float
) -> float | None:
    """Share of the straight-line progress expected by now that has been made.

    ``(current − base) / (expected_now − base)``: 1 means exactly on the line, 0 no
    movement, negative a move away from the target. ``None`` when nothing was expected yet
    (no time has passed, or the baseline already sits on the target).
    """
    if t <= t0:
        return None
    expected = expected_on_path(base, target, t0, t, t_target)
    if expected == base:
        return None
    return (current - base) / (expected - base)


def limit_coefficient(base: float, limit: float) -> float:
    """Statistics Canada's threshold scaling factor C near a natural limit (sdg-build)."""
    base, limit = abs(base), abs(limit)
    if base >= 2 * limit:
        return 1.0
    if base <= limit:
        return 1.0 - (base / limit) ** LIMIT_EXPONENT
    return 1.0 - ((2 * limit - base) / limit) ** LIMIT_EXPONENT


def classify_trend(
    growth: float, base: float, direction: str = "increase", limit: float | None = None
) -> str:
    """Category of an observed CAGR where no required growth exists (Open SDG method 1).

    Thresholds 1.5 % and 0.5 % a year, scaled by :func:`limit_coefficient` when the
    indicator has a natural limit in its desired direction (100 % for an increasing
    percentage); a baseline already at the limit with growth ≥ 0 is on track.
    """
    value = (-1 if base < 0 else 1) * direction_sign(direction) * growth
    coefficient = 1.0
    if limit is not None and direction_sign(direction) > 0:
        coefficient = limit_coefficient(base, limit)
    if value < 0:
        return "deteriorating"
    if coefficient == 0:
        return "on_track"
    if value >= TREND_HIGH * coefficient:
        return "on_track"
    if value >= TREND_MED * coefficient:
        return "needs_acceleration"
    return "off_track"


def pro_rata_share(year_to_date: float, annual: float, year_fraction: float) -> float | None:
    """Year-to-date total over the pro-rata share of an annual figure (Q3 → 75 %)."""
    expected = annual * year_fraction
    if expected <= 0:
        return None
    return year_to_date / expected
