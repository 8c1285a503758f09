"""Plain Vietnamese for the leader's pages, and which data a report of each kind reads."""

from __future__ import annotations

import math
from datetime import date

import pytest

from nq57lib.core.errors import InputMissingError
from nq57lib.core.periods import Period
from nq57lib.report.wording import missed_now, plain_words


def _row(status, kind="level", unit="%", value=math.nan, **more):
    row = {
        "status": status, "kind": kind, "unit": unit, "value": value, "expected_now": math.nan,
        "baseline": math.nan, "baseline_period": "", "comparator": ">=", "target": 80.0,
        "value_max": math.nan, "milestone_year": 2030, "gap": math.nan, "period": "2026-Q1",
    }  # fmt: skip
    row.update(more)
    return row


@pytest.mark.parametrize(
    ("row", "remark", "words"),
    [
        (_row("no_data"), "", "Chưa có số liệu."),
        (
            _row("no_data"),
            "Hệ thống chưa thống kê",
            "Chưa có số liệu. Đơn vị ghi: “Hệ thống chưa thống kê”.",
        ),
        (
            _row("not_due", milestone_year=2045),
            "",
            "Chỉ tiêu hằng năm của mốc 2045, chưa đến năm áp dụng.",
        ),
        (
            _row("insufficient_data", value=50),
            "",
            "Mới có số liệu một kỳ, chưa đánh giá được xu hướng.",
        ),
        # 100 − 70 = 30 points short after the 2025 deadline.
        (
            _row("overdue", value=70, target=100, gap=30, milestone_year=2025),
            "",
            "Hết hạn 31/12/2025: mới đạt 70%, còn thiếu 30 điểm %.",
        ),
        # An annual figure of the 2030 milestone binds 2026 too: due at the end of 2026.
        (
            _row(
                "overdue",
                value=2.1,
                target=3,
                gap=0.9,
                per_year=True,
                row_role="next",
                period="2026-Q4",
            ),
            "",
            "Hết hạn 31/12/2026: mới đạt 2,1%, còn thiếu 0,9 điểm %.",
        ),
        (
            _row(
                "on_track",
                value=70,
                baseline=60,
                baseline_period="2025-Q4",
                per_year=True,
                row_role="next",
                period="2026-Q2",
            ),
            "",
            "Tăng từ 60% (quý IV năm 2025) lên 70%, đủ nhanh để đạt ≥ 80% vào 31/12/2026.",
        ),
        (
            _row("deteriorating", value=60, baseline=66, baseline_period="2025-Q4"),
            "",
            "Giảm từ 66% (quý IV năm 2025) xuống 60%, ngược chiều mục tiêu ≥ 80%.",
        ),
        (
            _row("needs_acceleration", value=2.6, expected_now=2.8, target=3),
            "",
            "Cần đạt khoảng 2,8% đến nay, mới 2,6%: cần đẩy nhanh.",
        ),
        (
            _row("off_track", kind="flow", unit="count", value=3, expected_now=9, target=12),
            "",
            "Chậm xa so với yêu cầu: lũy kế 3, cần khoảng 9 đến nay.",
        ),
        (
            _row("achieved", kind="flow", unit="count", value=5, target=4),
            "",
            "Đã đạt: 5 so với chỉ tiêu ≥ 4.",
        ),
        (
            _row(
                "overdue",
                kind="milestone",
                unit="other",
                value=1,
                target=math.nan,
                milestone_year=2025,
            ),
            "",
            "Hết hạn 31/12/2025, mới ở giai đoạn đang triển khai.",
        ),
    ],
)
def test_plain_words(row, remark, words):
    assert plain_words(row, remark) == words


def test_plain_words_never_show_a_ratio_or_a_code():
    row = _row("on_track", value=70, baseline=60, baseline_period="2026-Q1", progress_ratio=3.42)
    words = plain_words(row)
    assert words == "Tăng từ 60% (quý I năm 2026) lên 70%, đủ nhanh để đạt ≥ 80% vào 31/12/2030."
    assert "3,42" not in words and "2026-Q1" not in words


def test_a_later_milestone_on_track_is_never_fast_enough_alone_after_a_missed_one():
    row = _row("on_track", value=44, baseline=35, baseline_period="2025-Q4", target=100.0,
               comparator="=", milestone_year=2030)  # fmt: skip
    assert plain_words(row, missed="2025") == (
        "Tăng từ 35% (quý IV năm 2025) lên 44%, đủ nhanh để đạt 100% vào 31/12/2030; "
        "nhưng chưa đạt mốc 2025."
    )


def test_when_the_two_methods_disagree_the_words_say_so():
    row = _row("on_track", value=44, baseline=35, baseline_period="2025-Q4", target=100.0,
               comparator="=", methods_disagree=True, cagr_ratio=1.53,
               straight_line_share=0.92)  # fmt: skip
    assert plain_words(row).endswith(
        "Hai cách tính cho kết quả khác nhau: theo tốc độ tăng bình quân là đúng tiến độ, "
        "theo đường thẳng là cần đẩy nhanh."
    )


def test_a_met_milestone_is_stated_once_and_a_far_one_is_not_yet_assessed():
    row = _row("on_track", value=88, baseline=78, baseline_period="2025-Q4", target=100.0,
               comparator="=", milestones_met="2025")  # fmt: skip
    assert plain_words(row).startswith("Đã đạt mốc 2025. Tăng từ 78%")
    far = _row("not_assessed", milestone_year=2045)
    assert plain_words(far) == "Mốc 2045, chưa đến kỳ đánh giá."


def test_a_missed_deadline_is_stated_beside_the_current_state():
    stage = _row("overdue", kind="milestone", unit="other", value=0.0, milestone_year=2025,
                 value_period="2025-Q4", period="2026-Q3")  # fmt: skip
    assert missed_now(stage, 1.0, "2026-Q3") == (
        "Hết hạn 31/12/2025 chưa hoàn thành; nay: đang triển khai."
    )


# ── which data a report reads (nq57lib.run.scope) ─────────────────────────────


def _raw(tmp_path, *folders, narrative_only=()):
    for code in folders:
        (tmp_path / code).mkdir(parents=True)
        (tmp_path / code / "don-vi.xlsx").write_bytes(b"x")
    for code in narrative_only:
        (tmp_path / code).mkdir(parents=True)
        (tmp_path / code / "nhan-dinh.md").write_text("# Kết luận\n", encoding="utf-8")
    return tmp_path


def test_a_quarterly_report_reads_its_own_quarter(tmp_path):
    from nq57lib.run.scope import data_period

    raw = _raw(tmp_path, "2026-Q2", "2026-Q3")
    assert data_period(Period.parse("2026-Q3"), raw) == Period.parse("2026-Q3")


def test_a_yearly_report_with_a_cut_off_reads_the_last_quarter_ended_by_then(tmp_path):
    from nq57lib.run.scope import data_period

    # data/raw/2026 holds only the analyst's text: the units' files are in the quarters.
    raw = _raw(tmp_path, "2026-Q1", "2026-Q2", "2026-Q3", "2026-10", narrative_only=("2026",))
    year = Period.parse("2026")
    # 2026-10 ends 31/10/2026, before the cut-off: a monthly folder counts too.
    assert data_period(year, raw, date(2026, 11, 30)) == Period.parse("2026-10")
    assert data_period(year, raw, date(2026, 10, 30)) == Period.parse("2026-Q3")
    # Six months: the quarters within it.
    assert data_period(Period.parse("2026-H1"), raw) == Period.parse("2026-Q2")


def test_a_report_without_any_data_says_what_is_missing(tmp_path):
    from nq57lib.run.scope import data_period

    raw = _raw(tmp_path, "2025-Q4")
    with pytest.raises(InputMissingError) as error:
        data_period(Period.parse("2026"), raw, date(2026, 3, 1))
    assert "kết thúc trước ngày 01/03/2026" in str(error.value)
