"""Progress arithmetic, checked against numbers worked out by hand (docs/methodology.md)."""

from __future__ import annotations

import math

import pytest

from nq57lib.assess import progress
from nq57lib.core.periods import Period, milestone_time


@pytest.mark.parametrize(
    ("value", "comparator", "target", "value_max", "direction", "expected"),
    [
        (80.0, ">=", 80, None, "increase", True),
        (79.9, ">=", 80, None, "increase", False),
        (3.0, ">", 3, None, "increase", False),  # "trên 3%": the floor itself is not enough
        (3.01, ">", 3, None, "increase", True),
        (100.0, "=", 100, None, "increase", True),  # a bare figure is a level to reach
        (99.0, "=", 100, None, "increase", False),
        (5.0, "=", 5, None, "decrease", True),
        (6.0, "=", 5, None, "decrease", False),
        (0.5, "<", 1, None, "decrease", True),
        (1.0, "<", 1, None, "decrease", False),
        (1.0, "<=", 1, None, "decrease", True),
        (80.0, "range", 80, 90, "increase", True),
        (90.0, "range", 80, 90, "increase", True),
        (79.0, "range", 80, 90, "increase", False),
        (91.0, "range", 80, 90, "increase", False),
        (float("nan"), ">=", 80, None, "increase", False),
    ],
)
def test_meets(value, comparator, target, value_max, direction, expected):
    assert progress.meets(value, comparator, target, value_max, direction) is expected


def test_meets_rejects_unknown_comparator_and_open_range():
    with pytest.raises(ValueError, match="unknown comparator"):
        progress.meets(1.0, "~", 1)
    with pytest.raises(ValueError, match="value_max"):
        progress.meets(1.0, "range", 1)


def test_times_are_fractional_years_at_period_ends():
    assert Period.parse("2025-Q4").end_time == 2026.0
    assert Period.parse("2026-Q3").end_time == 2026.75
    assert milestone_time(2030) == 2031.0


def test_cagr_worked_example_vneid():
    # (72/65)^(1/0.75) − 1 = exp(4/3 · ln 1.10769) − 1 = exp(0.13637) − 1 = 0.14611
    assert progress.cagr(72, 65, 2026.75, 2026.0) == pytest.approx(0.14611, abs=1e-5)
    # (85/65)^(1/5) − 1 = exp(0.26826 / 5) − 1 = 0.05512
    assert progress.cagr(85, 65, 2031.0, 2026.0) == pytest.approx(0.05512, abs=1e-5)
    # R = 0.14611 / 0.05512 = 2.651
    ratio = progress.cagr_ratio(65, 72, 85, 2026.0, 2026.75, 2031.0)
    assert ratio == pytest.approx(2.651, abs=1e-3)
    assert progress.classify_ratio(ratio) == "on_track"


def test_cagr_needs_a_later_time():
    with pytest.raises(ValueError):
        progress.cagr(1, 1, 2026.0, 2026.0)


@pytest.mark.parametrize(
    ("current", "ratio", "category"),
    [
        (43, 0.8879, "needs_acceleration"),  # 0.075 / 0.08447
        (41, 0.2960, "off_track"),  # 0.025 / 0.08447
        (38, -0.5919, "deteriorating"),  # −0.05 / 0.08447
    ],
)
def test_cagr_ratio_categories(current, ratio, category):
    # Baseline 40 at 2026.0, target 60 by 2031.0: required (1.5)^(1/5) − 1 = 0.08447.
    value = progress.cagr_ratio(40, current, 60, 2026.0, 2027.0, 2031.0)
    assert value == pytest.approx(ratio, abs=1e-4)
    assert progress.classify_ratio(value) == category


@pytest.mark.parametrize(
    ("ratio", "category"),
    [
        (0.95, "on_track"),
        (0.9499, "needs_acceleration"),
        (0.60, "needs_acceleration"),
        (0.5999, "off_track"),
        (0.0, "off_track"),
        (-0.0001, "deteriorating"),
        (None, None),
    ],
)
def test_thresholds_are_095_and_060(ratio, category):
    assert progress.classify_ratio(ratio) == category


def test_straight_line_share():
    # expected now = 65 + (85 − 65) · 0.75/5 = 68; share = (72 − 65)/(68 − 65) = 2.333
    assert progress.expected_on_path(65, 85, 2026.0, 2026.75, 2031.0) == pytest.approx(68.0)
    assert progress.straight_line_share(65, 72, 85, 2026.0, 2026.75, 2031.0) == pytest.approx(7 / 3)
    # 40 → 43 in one of five years towards 60: expected 44, share 3/4
    assert progress.straight_line_share(40, 43, 60, 2026.0, 2027.0, 2031.0) == pytest.approx(0.75)
    # nothing can be said before time passes, or when the baseline sits on the target
    assert progress.straight_line_share(40, 43, 60, 2026.0, 2026.0, 2031.0) is None
    assert progress.straight_line_share(60, 60, 60, 2026.0, 2027.0, 2031.0) is None


def test_methods_can_disagree():
    # 20 → 30 in a year towards 80 by 2031: CAGR 0.5 / 0.3195 = 1.565 (on track) while the
    # straight line expected 32, so 10/12 = 0.833 (needs acceleration).
    ratio = progress.cagr_ratio(20, 30, 80, 2026.0, 2027.0, 2031.0)
    share = progress.straight_line_share(20, 30, 80, 2026.0, 2027.0, 2031.0)
    assert ratio == pytest.approx(1.5649, abs=1e-4)
    assert share == pytest.approx(0.8333, abs=1e-4)
    assert progress.classify_ratio(ratio) == "on_track"
    assert progress.classify_ratio(share) == "needs_acceleration"


def test_baseline_zero_is_replaced_by_0001():
    # (2/0.001)^1 − 1 = 1999 over (50/0.001)^(1/10) − 1 = 1.9505 → R = 1024.9
    ratio = progress.cagr_ratio(0, 2, 50, 2026.0, 2027.0, 2036.0)
    assert ratio == pytest.approx(1024.86, abs=0.01)
    # the straight line says 2 of an expected 5: 0.4
    assert progress.straight_line_share(0, 2, 50, 2026.0, 2027.0, 2036.0) == pytest.approx(0.4)


def test_target_zero_is_replaced_by_0001():
    # required (0.001/8)^(1/5) − 1 = −0.83428; observed 4/8 − 1 = −0.5;
    # R = (−1)(−0.5)/0.83428 = 0.5993 (just under 0.60)
    assert progress.cagr(0.001, 8, 2031.0, 2026.0) == pytest.approx(-0.83428, abs=1e-5)
    ratio = progress.cagr_ratio(8, 4, 0, 2026.0, 2027.0, 2031.0, "decrease")
    assert ratio == pytest.approx(0.5993, abs=1e-4)
    assert progress.classify_ratio(ratio) == "off_track"
    # straight line: expected 6.4, share (4 − 8)/(6.4 − 8) = 2.5
    assert progress.straight_line_share(8, 4, 0, 2026.0, 2027.0, 2031.0) == pytest.approx(2.5)


def test_baseline_past_the_target_gives_a_negative_ratio_when_falling_back():
    # 85 → 78 while the target is 80: required (80/85)^(1/5) − 1 < 0, observed < 0.
    ratio = progress.cagr_ratio(85, 78, 80, 2026.0, 2026.75, 2031.0)
    assert ratio < 0
    assert progress.classify_ratio(ratio) == "deteriorating"


def test_ratio_undefined_when_required_growth_is_zero_or_signs_differ():
    assert progress.cagr_ratio(3.0, 3.0, 3.0, 2026.0, 2027.0, 2041.0) is None
    assert progress.cagr_ratio(5.0, -1.0, 8.0, 2026.0, 2027.0, 2031.0) is None
    assert progress.cagr_ratio(5.0, 6.0, 8.0, 2026.0, 2026.0, 2031.0) is None


def test_strict_floor_below_the_floor_uses_the_ratio():
    # 2.5 → 2.8 in a year towards "> 3" by 2041: 0.12 / ((3/2.5)^(1/15) − 1 = 0.012229) = 9.813
    ratio = progress.cagr_ratio(2.5, 2.8, 3.0, 2026.0, 2027.0, 2041.0)
    assert ratio == pytest.approx(9.813, abs=1e-3)


def test_limit_coefficient_near_100_percent():
    # C = 1 − (y0/limit)^4.44
    assert progress.limit_coefficient(0, 100) == 1.0
    assert progress.limit_coefficient(100, 100) == 0.0
    assert progress.limit_coefficient(90, 100) == pytest.approx(1 - 0.9**4.44)
    assert progress.limit_coefficient(90, 100) == pytest.approx(0.3736, abs=1e-4)
    assert progress.limit_coefficient(3, 100) == pytest.approx(1.0, abs=1e-6)
    assert progress.limit_coefficient(250, 100) == 1.0


def test_trend_thresholds_scale_near_the_limit():
    # At a 90% baseline C = 0.3736: thresholds 1.5%·C = 0.560% and 0.5%·C = 0.187%.
    assert progress.classify_trend(0.006, 90, "increase", 100) == "on_track"
    assert progress.classify_trend(0.004, 90, "increase", 100) == "needs_acceleration"
    assert progress.classify_trend(0.001, 90, "increase", 100) == "off_track"
    # The same 0.4%/year far from the limit is limited progress.
    assert progress.classify_trend(0.004, 10, "increase", 100) == "off_track"
    # At the limit, holding on (growth ≥ 0) is on track; any fall deteriorates.
    assert progress.classify_trend(0.0, 100, "increase", 100) == "on_track"
    assert progress.classify_trend(-0.001, 100, "increase", 100) == "deteriorating"
    # Strict floor sitting on the floor: no growth is limited progress.
    assert progress.classify_trend(0.0, 3.0, "increase", 100) == "off_track"


def test_pro_rata_share():
    # Q3: 6 so far against 75% of 10 = 7.5 → 0.8
    assert progress.pro_rata_share(6, 10, 0.75) == pytest.approx(0.8)
    assert progress.pro_rata_share(6, 0, 0.75) is None


def test_direction_sign():
    assert progress.direction_sign("increase") == 1
    assert progress.direction_sign("decrease") == -1
    with pytest.raises(ValueError):
        progress.direction_sign("up")
    assert math.isclose(progress.ON_TRACK_RATIO, 0.95) and math.isclose(
        progress.ACCELERATE_RATIO, 0.60
    )
