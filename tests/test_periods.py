"""Periods: every label form of the issue, ordering, start/end, year fraction."""

from __future__ import annotations

from datetime import date

import pytest

from nq57lib.core.errors import PeriodError
from nq57lib.core.periods import Period, find_periods, milestone_time


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("2026-Q3", "2026-Q3"),
        ("2026-10", "2026-10"),
        ("2026-H1", "2026-H1"),
        ("2026", "2026"),
        ("Quý III/2025", "2025-Q3"),
        ("Quý 3 năm 2025", "2025-Q3"),
        ("Quý IV năm 2025", "2025-Q4"),
        ("quy iv - 2025", "2025-Q4"),
        ("Q1/2026", "2026-Q1"),
        ("6 tháng đầu năm 2026", "2026-H1"),
        ("6 tháng cuối năm 2025", "2025-H2"),
        ("Tháng 10/2025", "2025-10"),
        ("Tháng 3 năm 2026", "2026-03"),
        ("Năm 2025", "2025"),
        ("Cả năm 2025", "2025"),
        ("  Quý  II / 2026 ", "2026-Q2"),
        ("9 tháng đầu năm 2026", "2026-9M"),
        ("9 tháng năm 2026", "2026-9M"),
        ("2026-9M", "2026-9M"),
    ],
)
def test_parse_labels(label: str, code: str) -> None:
    assert Period.parse(label).code == code


@pytest.mark.parametrize(
    "label", ["2026-Q5", "2026-13", "Quý V/2026", "Tháng 13/2025", "sometime", ""]
)
def test_bad_labels_raise(label: str) -> None:
    with pytest.raises(PeriodError):
        Period.parse(label)


def test_start_end_and_fraction() -> None:
    q3 = Period.parse("2026-Q3")
    assert (q3.start, q3.end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert q3.year_fraction == 0.75
    assert q3.end_time == 2026.75
    feb = Period.parse("2024-02")
    assert feb.end == date(2024, 2, 29)
    assert feb.year_fraction == pytest.approx(2 / 12)
    h1 = Period.parse("2026-H1")
    assert (h1.start, h1.end, h1.year_fraction) == (date(2026, 1, 1), date(2026, 6, 30), 0.5)
    year = Period.parse("2025")
    assert (year.start, year.end, year.end_time) == (date(2025, 1, 1), date(2025, 12, 31), 2026.0)
    assert milestone_time(2030) == 2031.0
    nine = Period.parse("2026-9M")
    assert (nine.start, nine.end, nine.months) == (date(2026, 1, 1), date(2026, 9, 30), 9)
    assert (nine.report_label, nine.following.code) == ("9 tháng đầu năm 2026", "2027-9M")
    assert nine.contains(Period.parse("2026-Q3")) and not nine.contains(Period.parse("2026-Q4"))


def test_ordering() -> None:
    labels = ["2026-Q3", "2025", "2026-Q1", "2025-Q4", "2026-H1", "2025-12", "2026-02"]
    ordered = [p.code for p in sorted(Period.parse(x) for x in labels)]
    # By end date; at the same end the longer period (earlier start) comes first.
    assert ordered == ["2025", "2025-Q4", "2025-12", "2026-02", "2026-Q1", "2026-H1", "2026-Q3"]
    assert Period.parse("2025-Q4") < Period.parse("2026-Q1")
    assert Period.parse("2026-Q2") <= Period.parse("Quý II/2026")
    assert Period.parse("2026").contains(Period.parse("2026-Q3"))
    assert not Period.parse("2026-H1").contains(Period.parse("2026-Q3"))


def test_label_vi() -> None:
    assert Period.parse("2026-Q3").label_vi == "Quý III năm 2026"
    assert Period.parse("2026-H1").label_vi == "6 tháng đầu năm 2026"
    assert Period.parse("2025-10").label_vi == "Tháng 10 năm 2025"
    assert Period.parse("2025").label_vi == "Năm 2025"


def test_find_periods_in_titles() -> None:
    q3 = Period.parse("2026-Q3")
    assert find_periods("BÁO CÁO KẾT QUẢ QUÝ III/2026 (Số liệu minh họa)") == [q3]
    assert find_periods("Kỳ báo cáo: 2026-Q3") == [q3]
    # The plan's year in a title is not a reporting period unless asked for.
    assert find_periods("Thực hiện Kế hoạch 106/KH-UBND năm 2025, Quý IV năm 2025") == [
        Period.parse("2025-Q4")
    ]
    assert find_periods("Kỳ báo cáo: Năm 2025", include_years=True) == [Period.parse("2025")]
    assert find_periods("Tổng hợp 6 tháng đầu năm 2026 và Tháng 7/2026") == [
        Period.parse("2026-H1"),
        Period.parse("2026-07"),
    ]
    assert find_periods("Phòng Văn hóa - Xã hội") == []


@pytest.mark.parametrize(
    "label",
    [
        "2026-Q3",
        "2026 Q3",
        "2026-H1",
        "2026 H2",
        "2026-10",
        "Quý III/2025",
        "quy iv - 2025",
        "Q1/2026",
        "6 tháng đầu năm 2026",
        "6 tháng cuối năm 2025",
        "Tháng 10/2025",
        "t10/2025",
        "Tháng 3 năm 2026",
        "Năm 2025",
        "Cả năm 2025",
    ],
)
def test_one_grammar_for_whole_labels_and_running_text(label: str) -> None:
    # A label that names a period on its own names the same period inside a sentence.
    period = Period.parse(label)
    assert find_periods(label, include_years=True) == [period]
    assert find_periods(f"Báo cáo {label} của phường", include_years=True) == [period]


def test_a_bare_year_is_a_period_only_as_a_whole_label() -> None:
    assert Period.parse("2026") == Period(2026, "Y")
    assert find_periods("Kế hoạch 106/KH-UBND 2026", include_years=True) == []


def test_short_label_in_table_cells() -> None:
    assert Period.parse("2026-Q3").short_label == "Quý III/2026"
    assert Period.parse("2026-H1").short_label == "6 tháng đầu năm 2026"
