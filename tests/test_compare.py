"""Statuses computed by hand for every status and every edge case of docs/methodology.md."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from example import EXAMPLE, example_registry

from nq57lib.assess import compare as compare_module
from nq57lib.assess.compare import compare_period
from nq57lib.assess.status import assess, status_history
from nq57lib.core.errors import InputMissingError, ValidationError
from nq57lib.core.processed import ILLUSTRATIVE_MARKER
from nq57lib.plan.registry import Indicator, Registry

REGISTRY = example_registry()
REQUIRED = (
    "period,indicator_id,area,milestone_year,comparator,target,value_max,value,value_period,"
    "baseline,baseline_period,expected_now,gap,progress_ratio,status,method_note"
).split(",")


def target(indicator_id, year, comparator=">=", value=None, value_max=None, per_year=False, line=1):
    return {
        "target_id": f"{indicator_id}-{year}",
        "indicator_id": indicator_id,
        "milestone_year": year,
        "area": REGISTRY[indicator_id].area if indicator_id in REGISTRY else "e",
        "comparator": comparator if value is not None else None,
        "value": value,
        "value_max": value_max,
        "unit": "%",
        "per_year": per_year,
        "aspirational": False,
        "qualitative": value is None,
        "scope": "ward",
        "text": f"target {indicator_id} {year}",
        "source_line": line,
    }


def targets(*rows):
    return pd.DataFrame(list(rows))


def obs(*rows):
    """Rows (period, indicator_id, value[, status[, vintage]])."""
    records = []
    for row in rows:
        period, indicator_id, value, *rest = row
        record = {"period": period, "indicator_id": indicator_id, "value": value}
        record["status"] = rest[0] if rest else None
        if len(rest) > 1:
            record["vintage"] = rest[1]
        records.append(record)
    frame = pd.DataFrame(records)
    frame["value"] = pd.to_numeric(frame["value"])
    return frame


def only(status: pd.DataFrame, indicator_id: str, year: int) -> pd.Series:
    rows = status[(status["indicator_id"] == indicator_id) & (status["milestone_year"] == year)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


VNEID = targets(
    target("vneid_residents", 2025, value=70), target("vneid_residents", 2030, value=85)
)


# ── levels ──────────────────────────────────────────────────────────────────


def test_on_track_worked_example_and_output_columns():
    status = assess(
        VNEID,
        obs(("2025-Q4", "vneid_residents", 65), ("2026-Q3", "vneid_residents", 72)),
        "2026-Q3",
        REGISTRY,
    )
    assert list(status.columns[: len(REQUIRED)]) == REQUIRED
    # 72 ≥ 70 now: the 2025 milestone was met late, so only the 2030 row remains.
    assert list(status["milestone_year"]) == [2030]
    row = only(status, "vneid_residents", 2030)
    assert row["status"] == "on_track" and row["status_vi"] == "đúng tiến độ"
    assert row["baseline"] == 65 and row["baseline_period"] == "2025-Q4"
    assert row["value"] == 72 and row["value_period"] == "2026-Q3"
    assert row["expected_now"] == pytest.approx(68.0)
    assert row["gap"] == pytest.approx(13.0)
    assert row["cagr_ratio"] == pytest.approx(2.651, abs=1e-3)
    assert row["progress_ratio"] == pytest.approx(2.651, abs=1e-3)
    assert row["straight_line_share"] == pytest.approx(7 / 3)
    assert row["decided_by"] == "cagr" and not row["methods_disagree"]
    assert "R = 2,65" in row["method_note"]


@pytest.mark.parametrize(
    ("current", "status"),
    [(43, "needs_acceleration"), (41, "off_track"), (38, "deteriorating")],
)
def test_ratio_statuses(current, status):
    frame = targets(target("dossiers_online", 2030, value=60))
    rows = assess(
        frame,
        obs(("2025-Q4", "dossiers_online", 40), ("2026-Q4", "dossiers_online", current)),
        "2026-Q4",
        REGISTRY,
    )
    assert only(rows, "dossiers_online", 2030)["status"] == status


def test_methods_disagree_cagr_decides():
    frame = targets(target("dossiers_online", 2030, value=80))
    rows = assess(
        frame,
        obs(("2025-Q4", "dossiers_online", 20), ("2026-Q4", "dossiers_online", 30)),
        "2026-Q4",
        REGISTRY,
    )
    row = only(rows, "dossiers_online", 2030)
    assert row["status"] == "on_track"
    assert row["methods_disagree"]
    assert row["straight_line_share"] == pytest.approx(0.8333, abs=1e-4)
    assert "Hai phương pháp khác nhau" in row["method_note"]


def test_achieved_and_achieved_early():
    frame = targets(
        target("vneid_residents", 2030, value=85, line=1),
        target("vneid_residents", 2035, value=95, line=2),
    )
    rows = assess(frame, obs(("2026-Q3", "vneid_residents", 96)), "2026-Q3", REGISTRY)
    row = only(rows, "vneid_residents", 2030)
    assert row["status"] == "achieved"
    assert "đạt sớm mốc 2035" in row["method_note"]
    assert row["gap"] == pytest.approx(-11.0)


def test_overdue_earlier_milestone_plus_next_row():
    status = assess(
        VNEID,
        obs(("2025-Q4", "vneid_residents", 65), ("2026-Q3", "vneid_residents", 68)),
        "2026-Q3",
        REGISTRY,
    )
    assert list(status["milestone_year"]) == [2025, 2030]
    overdue = only(status, "vneid_residents", 2025)
    assert overdue["status"] == "overdue" and overdue["status_vi"] == "quá hạn chưa đạt"
    assert overdue["row_role"] == "overdue"
    assert overdue["gap"] == pytest.approx(2.0)
    assert "31/12/2025" in overdue["method_note"]
    # the 2030 row: 65 → 68 over 0.75 years; straight line expected 68 → share 1.0
    assert only(status, "vneid_residents", 2030)["straight_line_share"] == pytest.approx(1.0)


def test_overdue_at_the_year_end_period_itself():
    status = assess(VNEID, obs(("2025-Q4", "vneid_residents", 65)), "2025-Q4", REGISTRY)
    assert only(status, "vneid_residents", 2025)["status"] == "overdue"
    # one observation: no trend for 2030 yet
    assert only(status, "vneid_residents", 2030)["status"] == "insufficient_data"


def test_single_observation():
    status = assess(VNEID, obs(("2026-Q3", "vneid_residents", 72)), "2026-Q3", REGISTRY)
    row = only(status, "vneid_residents", 2030)
    assert row["status"] == "insufficient_data" and row["status_vi"] == "chưa đủ số liệu"
    assert row["baseline_period"] == "2026-Q3"
    # a single point can still show a milestone met
    met = assess(VNEID, obs(("2026-Q3", "vneid_residents", 90)), "2026-Q3", REGISTRY)
    assert only(met, "vneid_residents", 2030)["status"] == "achieved"


def test_no_data():
    status = assess(VNEID, obs(("2026-Q3", "dossiers_online", 50)), "2026-Q3", REGISTRY)
    assert set(status["status"]) == {"no_data"}
    assert set(status["status_vi"]) == {"chưa có số liệu"}
    assert "Mốc đã qua hạn" in only(status, "vneid_residents", 2025)["method_note"]


def test_observations_after_the_period_are_ignored():
    data = obs(
        ("2025-Q4", "vneid_residents", 65),
        ("2026-Q3", "vneid_residents", 72),
        ("2026-Q4", "vneid_residents", 99),
    )
    row = only(assess(VNEID, data, "2026-Q3", REGISTRY), "vneid_residents", 2030)
    assert row["value"] == 72


def test_baseline_configurable():
    data = obs(
        ("2025-Q4", "vneid_residents", 60),
        ("2026-Q1", "vneid_residents", 65),
        ("2026-Q3", "vneid_residents", 72),
    )
    row = only(
        assess(VNEID, data, "2026-Q3", REGISTRY, baseline="2025-Q3"), "vneid_residents", 2030
    )
    # 2025-Q3 has no value: the first one after it (2025-Q4) is the baseline
    assert row["baseline_period"] == "2025-Q4" and row["baseline"] == 60
    row = only(
        assess(VNEID, data, "2026-Q3", REGISTRY, baseline="2026-Q1"), "vneid_residents", 2030
    )
    assert row["baseline_period"] == "2026-Q1" and row["baseline"] == 65


# ── edge cases ──────────────────────────────────────────────────────────────


def test_baseline_zero_straight_line_decides():
    frame = targets(target("coverage_6g", 2035, value=50))
    data = obs(("2025-Q4", "coverage_6g", 0), ("2026-Q4", "coverage_6g", 2))
    row = only(assess(frame, data, "2026-Q4", REGISTRY), "coverage_6g", 2035)
    assert row["cagr_ratio"] == pytest.approx(1024.86, abs=0.01)
    assert row["straight_line_share"] == pytest.approx(0.4)
    assert row["decided_by"] == "straight_line"
    assert row["status"] == "off_track" and row["methods_disagree"]


def _incidents_registry() -> Registry:
    incidents = Indicator(
        id="security_incidents",
        area="e",
        name_vi="Số sự cố mất an toàn thông tin",
        name_en="Security incidents",
        unit="count",
        kind="level",
        direction="decrease",
    )
    return Registry(path=Path("test"), indicators=(incidents,))


def test_target_zero_straight_line_decides():
    frame = targets(target("security_incidents", 2030, "<=", 0))
    data = obs(("2025-Q4", "security_incidents", 8), ("2026-Q4", "security_incidents", 4))
    row = only(assess(frame, data, "2026-Q4", _incidents_registry()), "security_incidents", 2030)
    assert row["cagr_ratio"] == pytest.approx(0.5993, abs=1e-4)
    assert row["expected_now"] == pytest.approx(6.4)
    assert row["straight_line_share"] == pytest.approx(2.5)
    assert row["decided_by"] == "straight_line"
    assert row["status"] == "on_track"
    assert row["gap"] == pytest.approx(4.0)


def test_baseline_already_past_the_target():
    frame = targets(target("tthc_cross_boundary", 2030, value=80))
    fell = obs(("2025-Q4", "tthc_cross_boundary", 85), ("2026-Q3", "tthc_cross_boundary", 78))
    row = only(assess(frame, fell, "2026-Q3", REGISTRY), "tthc_cross_boundary", 2030)
    assert row["status"] == "deteriorating" and row["decided_by"] == "baseline_met"
    assert row["cagr_ratio"] < 0
    held = obs(("2025-Q4", "tthc_cross_boundary", 85), ("2026-Q3", "tthc_cross_boundary", 82))
    assert (
        only(assess(frame, held, "2026-Q3", REGISTRY), "tthc_cross_boundary", 2030)["status"]
        == "achieved"
    )


@pytest.mark.parametrize(
    ("current", "status", "note"),
    [
        (70, "on_track", "R = 8,61"),
        (85, "achieved", "đạt mục tiêu 80–90%"),
        (95, "achieved", "vượt cận trên"),
    ],
)
def test_range_target(current, status, note):
    frame = targets(target("adults_digital_services_regular_use", 2040, "range", 80, 90))
    data = obs(
        ("2025-Q4", "adults_digital_services_regular_use", 60),
        ("2026-Q4", "adults_digital_services_regular_use", current),
    )
    row = only(
        assess(frame, data, "2026-Q4", REGISTRY), "adults_digital_services_regular_use", 2040
    )
    assert row["status"] == status
    assert note in row["method_note"]
    assert row["target"] == 80 and row["value_max"] == 90


def test_strict_floor():
    frame = targets(target("budget_share_stid", 2040, ">", 3.0))
    on_floor = obs(("2025-Q4", "budget_share_stid", 3.0), ("2026-Q4", "budget_share_stid", 3.0))
    row = only(assess(frame, on_floor, "2026-Q4", REGISTRY), "budget_share_stid", 2040)
    assert row["status"] == "off_track" and row["decided_by"] == "trend"
    above = obs(("2025-Q4", "budget_share_stid", 3.0), ("2026-Q4", "budget_share_stid", 3.05))
    assert (
        only(assess(frame, above, "2026-Q4", REGISTRY), "budget_share_stid", 2040)["status"]
        == "achieved"
    )
    below = obs(("2025-Q4", "budget_share_stid", 2.5), ("2026-Q4", "budget_share_stid", 2.8))
    row = only(assess(frame, below, "2026-Q4", REGISTRY), "budget_share_stid", 2040)
    assert row["cagr_ratio"] == pytest.approx(9.813, abs=1e-3) and row["status"] == "on_track"


def test_revised_value_replaces_the_earlier_one_from_its_report_on():
    data = obs(
        ("2026-Q2", "vneid_residents", 70, None, "2026-Q2"),
        ("2026-Q2", "vneid_residents", 68, None, "2026-Q3"),  # restated in the Q3 report
        ("2026-Q3", "vneid_residents", 72, None, "2026-Q3"),
    )
    frame = targets(target("vneid_residents", 2030, value=85))
    row = only(assess(frame, data, "2026-Q3", REGISTRY), "vneid_residents", 2030)
    assert row["baseline"] == 68 and row["baseline_period"] == "2026-Q2"
    # expected 68 + 17·0.25/4.5 = 68.944; share 4/0.944 = 4.235
    assert row["expected_now"] == pytest.approx(68.944, abs=1e-3)
    assert row["straight_line_share"] == pytest.approx(4.235, abs=1e-3)
    history = status_history(frame, data, ["2026-Q2", "2026-Q3"], REGISTRY)
    q2 = history[history["period"] == "2026-Q2"].iloc[0]
    # as known at 2026-Q2 the value was 70 and a single point: the history is not rewritten
    assert q2["value"] == 70 and q2["status"] == "insufficient_data"


def test_revision_of_the_latest_value_is_noted():
    data = obs(
        ("2026-Q2", "vneid_residents", 70, None, "2026-Q2"),
        ("2026-Q2", "vneid_residents", 66, None, "2026-Q3"),
    )
    frame = targets(target("vneid_residents", 2030, value=85))
    row = only(assess(frame, data, "2026-Q3", REGISTRY), "vneid_residents", 2030)
    assert row["value"] == 66
    assert "điều chỉnh trong báo cáo kỳ 2026-Q3: 70% → 66%" in row["method_note"]


def test_conflicting_values_in_one_report_are_refused():
    data = obs(
        ("2026-Q3", "vneid_residents", 70, None, "2026-Q3"),
        ("2026-Q3", "vneid_residents", 71, None, "2026-Q3"),
    )
    with pytest.raises(ValidationError, match="vneid_residents kỳ 2026-Q3"):
        assess(VNEID, data, "2026-Q3", REGISTRY)
    same = obs(
        ("2026-Q3", "vneid_residents", 70, None, "2026-Q3"),
        ("2026-Q3", "vneid_residents", 70, None, "2026-Q3"),
    )
    assert only(assess(VNEID, same, "2026-Q3", REGISTRY), "vneid_residents", 2030)["value"] == 70


def test_bad_targets_are_reported_together():
    frame = targets(
        target("no_such_indicator", 2030, value=1), target("vneid_residents", 2030, "~", 5)
    )
    with pytest.raises(ValidationError) as error:
        assess(frame, obs(("2026-Q3", "vneid_residents", 1)), "2026-Q3", REGISTRY)
    assert len(error.value.problems) == 2


# ── flows ───────────────────────────────────────────────────────────────────

INITIATIVES = targets(
    target("public_sector_initiatives", 2025, value=10, line=1),
    target("public_sector_initiatives", 2030, value=10, per_year=True, line=2),
)
YEAR_2026 = [
    ("2025-Q4", "public_sector_initiatives", 4),
    ("2026-Q1", "public_sector_initiatives", 2),
    ("2026-Q2", "public_sector_initiatives", 3),
    ("2026-Q3", "public_sector_initiatives", 1),
]


def test_flow_pro_rata_year_to_date():
    status = assess(INITIATIVES, obs(*YEAR_2026), "2026-Q3", REGISTRY)
    row = only(status, "public_sector_initiatives", 2030)
    # 2 + 3 + 1 = 6 against 75% of 10 = 7.5 → 0.8
    assert row["value"] == 6 and row["expected_now"] == pytest.approx(7.5)
    assert row["progress_ratio"] == pytest.approx(0.8)
    assert row["status"] == "needs_acceleration" and row["decided_by"] == "pro_rata"
    # The 2025 milestone (10 within 2025): only Oct–Dec reported (4). The year has closed:
    # judged on what arrived (4 of 10, missed), the missing months named.
    earlier = only(status, "public_sector_initiatives", 2025)
    assert earlier["status"] == "overdue" and earlier["value"] == 4
    assert "năm đã kết thúc, thiếu số liệu tháng 1/2025" in earlier["method_note"]


def test_flow_months_and_quarters_are_not_double_counted():
    months = [
        ("2026-07", "public_sector_initiatives", 1),
        ("2026-08", "public_sector_initiatives", 0),
    ]
    status = assess(INITIATIVES, obs(*YEAR_2026, *months), "2026-Q3", REGISTRY)
    # the Q3 total (1) covers July–September; the monthly figures are not added again
    assert only(status, "public_sector_initiatives", 2030)["value"] == 6
    without_q3 = [r for r in YEAR_2026 if r[0] != "2026-Q3"]
    months.append(("2026-09", "public_sector_initiatives", 2))
    status = assess(INITIATIVES, obs(*without_q3, *months), "2026-Q3", REGISTRY)
    assert only(status, "public_sector_initiatives", 2030)["value"] == 8  # 2 + 3 + 1 + 0 + 2


def test_flow_year_end_verdict():
    short = obs(*YEAR_2026, ("2026-Q4", "public_sector_initiatives", 3))
    row = only(assess(INITIATIVES, short, "2026-Q4", REGISTRY), "public_sector_initiatives", 2030)
    assert row["value"] == 9 and row["status"] == "overdue"
    assert "Cả năm" not in row["method_note"] and "9/10" in row["method_note"]
    met = obs(*YEAR_2026, ("2026-Q4", "public_sector_initiatives", 4))
    assert (
        only(assess(INITIATIVES, met, "2026-Q4", REGISTRY), "public_sector_initiatives", 2030)[
            "status"
        ]
        == "achieved"
    )


def test_flow_met_early_in_the_year():
    data = obs(("2026-Q1", "public_sector_initiatives", 11))
    row = only(assess(INITIATIVES, data, "2026-Q1", REGISTRY), "public_sector_initiatives", 2030)
    assert row["status"] == "achieved"


def test_flow_with_a_missing_quarter_is_insufficient():
    data = obs(
        ("2026-Q1", "public_sector_initiatives", 2), ("2026-Q3", "public_sector_initiatives", 1)
    )
    row = only(assess(INITIATIVES, data, "2026-Q3", REGISTRY), "public_sector_initiatives", 2030)
    assert row["value"] == 3 and row["status"] == "insufficient_data"
    assert "4/2026" in row["method_note"]


def test_a_closed_year_is_judged_on_what_arrived_naming_the_missing_months():
    # docs/methodology.md §7: 2 initiatives due in 2025; only 2025-Q4 reported, with 1.
    frame = targets(
        target("st_initiatives_ward", 2025, value=2, line=1),
        target("st_initiatives_ward", 2030, value=2, per_year=True, line=2),
    )
    data = obs(("2025-Q4", "st_initiatives_ward", 1))
    row = only(assess(frame, data, "2026-Q3", REGISTRY), "st_initiatives_ward", 2025)
    assert row["status"] == "overdue" and row["value"] == 1
    assert "năm đã kết thúc, thiếu số liệu tháng" in row["method_note"]
    assert "1/2025" in row["method_note"] and "9/2025" in row["method_note"]
    # Before the year closes, a gap is still "not enough data".
    q3 = obs(("2025-Q3", "st_initiatives_ward", 1))
    early = only(assess(frame, q3, "2025-Q3", REGISTRY), "st_initiatives_ward", 2025)
    assert early["status"] == "insufficient_data"
    # A total that meets the figure is achieved whatever is missing.
    met = obs(("2025-Q4", "st_initiatives_ward", 2))
    assert (assess(frame, met, "2026-Q3", REGISTRY)["milestone_year"] == 2025).sum() == 0


def test_a_milestone_beyond_the_assessment_horizon_is_not_assessed_and_not_owed():
    # docs/methodology.md §3: milestones 2025, 2030, 2035; in 2026 the plan is judged
    # against 2030. 6G (2035) without a figure is not assessed; 5G (2035) with one is judged.
    frame = targets(
        target("coverage_5g", 2025, value=80, line=1),
        target("coverage_5g", 2030, value=100, line=2),
        target("coverage_6g", 2035, value=50, line=3),
    )
    status = assess(frame, obs(("2026-Q3", "coverage_5g", 88)), "2026-Q3", REGISTRY)
    six = only(status, "coverage_6g", 2035)
    assert six["status"] == "not_assessed" and six["status_vi"] == "chưa đến kỳ đánh giá"
    assert six["method_note"] == "Mốc 2035 chưa đến kỳ đánh giá (hiện đánh giá đến mốc 2030)."
    # In 2031 the horizon is 2035: the same milestone is owed.
    seen = obs(("2031-Q1", "coverage_5g", 95))
    later = only(assess(frame, seen, "2031-Q1", REGISTRY), "coverage_6g", 2035)
    assert later["status"] == "no_data"


def test_flow_2025_milestone_met_is_not_listed():
    data = obs(
        ("2025-Q4", "public_sector_initiatives", 10), ("2026-Q1", "public_sector_initiatives", 3)
    )
    status = assess(INITIATIVES, data, "2026-Q1", REGISTRY)
    assert list(status["milestone_year"]) == [2030]
    # 3 against 25% of 10 = 2.5 → 1.2
    assert only(status, "public_sector_initiatives", 2030)["progress_ratio"] == pytest.approx(1.2)


def test_flow_without_a_figure_reads_as_at_least_one():
    frame = targets(target("student_national_prizes", 2030, value=None, per_year=True))
    prize = obs(
        ("2026-Q1", "student_national_prizes", 0), ("2026-Q2", "student_national_prizes", 1)
    )
    row = only(assess(frame, prize, "2026-Q2", REGISTRY), "student_national_prizes", 2030)
    assert row["status"] == "achieved" and row["target"] == 1
    assert "ít nhất 1" in row["method_note"]
    none = obs(*[(q, "student_national_prizes", 0) for q in ("2026-Q1", "2026-Q2", "2026-Q3")])
    row = only(assess(frame, none, "2026-Q3", REGISTRY), "student_national_prizes", 2030)
    assert row["status"] == "off_track" and row["progress_ratio"] == 0


# ── qualitative milestones ──────────────────────────────────────────────────

CENTRE = targets(
    target("operations_centre", 2025, line=1), target("operations_centre", 2030, line=2)
)


def stage_rows(*pairs):
    return obs(*[(period, "operations_centre", None, stage) for period, stage in pairs])


@pytest.mark.parametrize(
    ("pairs", "period", "expected"),
    [
        ([("2026-Q3", "in_progress")], "2026-Q3", "on_track"),  # 4,25 years left
        ([("2026-Q3", "not_started")], "2026-Q3", "on_track"),  # 15% of the window gone
        ([("2029-Q1", "not_started")], "2029-Q1", "needs_acceleration"),  # 65% gone, 1,75 left
        ([("2030-Q1", "not_started")], "2030-Q1", "off_track"),  # 0,75 years left
        ([("2030-Q2", "in_progress")], "2030-Q2", "needs_acceleration"),  # 0,5 years left
        ([("2026-Q2", "in_progress"), ("2026-Q3", "not_started")], "2026-Q3", "deteriorating"),
        ([("2026-Q3", "done")], "2026-Q3", "achieved"),
        ([], "2026-Q3", "no_data"),
        ([("2030-Q4", "in_progress")], "2030-Q4", "overdue"),
    ],
)
def test_qualitative_stage_against_time_left(pairs, period, expected):
    data = stage_rows(*pairs) if pairs else obs(("2026-Q3", "vneid_residents", 1))
    status = assess(CENTRE, data, period, REGISTRY)
    assert only(status, "operations_centre", 2030)["status"] == expected


def test_qualitative_earlier_milestone_overdue_unless_done_later():
    status = assess(
        CENTRE,
        stage_rows(("2025-Q4", "in_progress"), ("2026-Q3", "in_progress")),
        "2026-Q3",
        REGISTRY,
    )
    assert list(status["status"]) == ["overdue", "on_track"]
    status = assess(
        CENTRE, stage_rows(("2025-Q4", "in_progress"), ("2026-Q3", "done")), "2026-Q3", REGISTRY
    )
    assert list(status["status"]) == ["achieved"]
    assert list(status["milestone_year"]) == [2030]


# ── history and files ───────────────────────────────────────────────────────


def test_history_shows_status_changes():
    data = obs(
        ("2025-Q4", "vneid_residents", 65),
        ("2026-Q1", "vneid_residents", 66),
        ("2026-Q2", "vneid_residents", 71),
    )
    history = status_history(VNEID, data, ["2025-Q4", "2026-Q1", "2026-Q2"], REGISTRY)
    row_2030 = history[history["milestone_year"] == 2030].set_index("period")
    assert list(row_2030["status"]) == ["insufficient_data", "on_track", "on_track"]
    assert row_2030.loc["2026-Q1", "previous_status"] == "insufficient_data"
    assert bool(row_2030.loc["2026-Q1", "changed"]) and not bool(row_2030.loc["2026-Q2", "changed"])
    row_2025 = history[history["milestone_year"] == 2025]
    # overdue at 2025-Q4 and 2026-Q1, then met (71 ≥ 70) and no longer listed
    assert list(row_2025["period"]) == ["2025-Q4", "2026-Q1"]


def _write_period(root: Path, code: str, rows: list[tuple]) -> None:
    folder = root / code
    folder.mkdir(parents=True)
    frame = pd.DataFrame(
        [
            {
                "period": period,
                "indicator_id": ind,
                "value": value,
                "unit": "%",
                "numerator": "",
                "denominator": "",
                "status": stage or "",
                "reported_by": "Công an phường",
                "source_file": "cong-an.xlsx",
                "source_sheet": "Sheet1",
                "source_cell": "D7",
                "note": ILLUSTRATIVE_MARKER,
            }
            for period, ind, value, stage in rows
        ]
    )
    frame.to_csv(folder / "observations.csv", index=False)


def test_compare_period_writes_status_history_and_appendix(tmp_path, monkeypatch):
    frame = pd.concat([VNEID, CENTRE], ignore_index=True)
    monkeypatch.setattr(compare_module, "_load_targets", lambda plan_path, registry: frame)
    _write_period(
        tmp_path,
        "2025-Q4",
        [
            ("2025-Q4", "vneid_residents", 65, None),
            ("2025-Q4", "operations_centre", None, "in_progress"),
        ],
    )
    _write_period(tmp_path, "2026-Q1", [("2026-Q1", "vneid_residents", 68, None)])
    _write_period(tmp_path, "2026-Q2", [("2026-Q2", "vneid_residents", 99, None)])  # later: ignored
    result = compare_period(EXAMPLE.with_paths(processed_dir=tmp_path), "2026-Q1")
    out = tmp_path / "2026-Q1"
    written = pd.read_csv(out / "status.csv")
    assert list(written.columns[: len(REQUIRED)]) == REQUIRED
    assert set(written["period"]) == {"2026-Q1"}
    assert only(written, "vneid_residents", 2030)["value"] == 68
    history = pd.read_csv(out / "status_history.csv")
    assert list(dict.fromkeys(history["period"])) == ["2025-Q4", "2026-Q1"]
    # One verdict per indicator: VNeID at its 2030 milestone (68 in 2026-Q1, 2025's 70
    # missed? no: 2025's deadline passed at 65 → overdue first), the centre's stage.
    verdict = pd.read_csv(out / "verdicts.csv", keep_default_na=False)
    assert list(verdict["indicator_id"]) == ["vneid_residents", "operations_centre"]
    assert list(verdict["status"]) == list(result.verdicts["status"])
    assert len(result.verdicts) == result.status["indicator_id"].nunique()
    assert "2 chỉ tiêu" in result.summary_text()
    assert result.illustrative
    text = result.summary_text()
    assert "Quý I năm 2026" in text and "Số liệu minh họa" in text and "status.xlsx" in text
    workbook = openpyxl.load_workbook(out / "status.xlsx")
    # The plan has tasks: their sheets follow the targets' (no register here, so every
    # task is unassigned, and still listed).
    assert workbook.sheetnames == [
        "Tình trạng",
        "Diễn biến",
        "Nhiệm vụ",
        "Nhiệm vụ theo đơn vị",
        "Khó khăn, kiến nghị",
        "Diễn biến nhiệm vụ",
        "Cách đọc",
    ]
    tasks = pd.read_csv(out / "task_status.csv", dtype=str, keep_default_na=False)
    assert set(tasks["status"]) == {"unassigned"} and len(tasks) == 51
    assert not list(tmp_path.glob("2026-Q1/.*.tmp"))


def test_illustrative_flag_read_from_the_quality_summary(tmp_path, monkeypatch):
    monkeypatch.setattr(compare_module, "_load_targets", lambda plan_path, registry: VNEID)
    _write_period(tmp_path, "2026-Q1", [("2026-Q1", "vneid_residents", 68, None)])
    observations = tmp_path / "2026-Q1" / "observations.csv"
    frame = pd.read_csv(observations)
    frame.assign(note="").to_csv(observations, index=False)
    assert not compare_period(EXAMPLE.with_paths(processed_dir=tmp_path), "2026-Q1").illustrative
    pd.DataFrame({"source_file": ["a.xlsx"], "illustrative": [True]}).to_csv(
        tmp_path / "2026-Q1" / "quality.csv", index=False
    )
    assert compare_period(EXAMPLE.with_paths(processed_dir=tmp_path), "2026-Q1").illustrative


def test_compare_period_without_clean_says_what_to_run(tmp_path):
    with pytest.raises(InputMissingError, match="nq57 clean --period 2026-Q2"):
        compare_period(EXAMPLE.with_paths(processed_dir=tmp_path), "2026-Q2")


def test_per_year_quota_applies_only_to_the_years_its_section_covers():
    # Worked example of docs/methodology.md, "When a per-year quota is in force".
    frame = targets(
        *[target("st_initiatives_ward", y, "=", 3, per_year=True) for y in (2025, 2030, 2035)],
        target("st_initiatives_ward", 2040, "=", 3, per_year=True),
        target("innovation_projects_funded", 2045, ">=", 2, per_year=True),
    )
    early = obs(
        *[(q, "innovation_projects_funded", n) for q, n in (("2026-Q1", 0), ("2026-Q2", 1))],
        ("2026-Q3", "innovation_projects_funded", 0),
    )
    row = only(assess(frame, early, "2026-Q3", REGISTRY), "innovation_projects_funded", 2045)
    assert row["status"] == "not_due"
    assert row["method_note"] == (
        "Chỉ tiêu hằng năm của mốc 2045 áp dụng từ năm 2041 đến năm 2045; "
        "kỳ 2026-Q3 chưa đến kỳ áp dụng."
    )
    assert pd.isna(row["progress_ratio"])
    due = obs(
        ("2041-Q1", "innovation_projects_funded", 1), ("2041-Q2", "innovation_projects_funded", 0)
    )
    row = only(assess(frame, due, "2041-Q2", REGISTRY), "innovation_projects_funded", 2045)
    assert row["status"] == "on_track"
    assert row["value"] == 1 and row["expected_now"] == 1 and row["progress_ratio"] == 1


def test_a_period_assessed_again_from_the_same_rows_is_the_same_copy_safe_frame():
    from nq57lib.assess.status import assess_periods

    rows = [("2025-Q4", "vneid_residents", 65), ("2026-Q3", "vneid_residents", 72)]
    first = assess_periods(VNEID, obs(*rows), ["2025-Q4", "2026-Q3"], REGISTRY)
    expected = {code: frame.copy() for code, frame in first.items()}
    first["2026-Q3"].loc[0, "status"] = "changed by a caller"
    again = assess_periods(VNEID, obs(*rows), ["2025-Q4", "2026-Q3"], REGISTRY)
    for code, frame in expected.items():
        pd.testing.assert_frame_equal(again[code], frame)
    assert only(again["2026-Q3"], "vneid_residents", 2030)["status"] == "on_track"
    # A new figure for 2026-Q3 changes that period's status, not the one known at 2025-Q4.
    lower = assess_periods(
        VNEID, obs(rows[0], ("2026-Q3", "vneid_residents", 66)), ["2025-Q4", "2026-Q3"], REGISTRY
    )
    pd.testing.assert_frame_equal(lower["2025-Q4"], expected["2025-Q4"])
    assert only(lower["2026-Q3"], "vneid_residents", 2025)["status"] == "overdue"
    # Another plan (a higher 2030 target) is assessed anew.
    other = targets(
        target("vneid_residents", 2025, value=70), target("vneid_residents", 2030, value=90)
    )
    moved = assess_periods(other, obs(*rows), ["2026-Q3"], REGISTRY)["2026-Q3"]
    assert only(moved, "vneid_residents", 2030)["target"] == 90
