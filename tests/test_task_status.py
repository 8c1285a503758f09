"""Task statuses: the worked examples of docs/methodology.md §10, by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from nq57lib.assess.tasks import assess_tasks, task_history, unit_scorecard
from nq57lib.core.schema import ASSIGNMENT_COLUMNS, TASK_REPORT_COLUMNS

P = "2026-Q3"
TASKS = pd.DataFrame(
    [
        ("1.1", "1", "task", "Lãnh đạo", "Thành lập Ban Chỉ đạo."),
        ("1.2", "1", "task", "Lãnh đạo", "Ban hành kế hoạch."),
        ("2.1", "2", "task", "Nhận thức", "Tổ chức quán triệt."),
        ("2.1.a", "2.1", "activity", "Nhận thức", "Nội dung quán triệt."),
        ("2.1.b", "2.1", "activity", "Nhận thức", "Hình thức quán triệt."),
        ("3.1", "3", "task", "Thể chế", "Cụ thể hóa quy định."),
        ("3.2", "3", "task", "Thể chế", "Đầu tư hạ tầng."),
        ("4.a", "4", "task", "Hạ tầng", "Xây dựng chiến lược."),
        ("4.b", "4", "task", "Hạ tầng", "Lồng ghép quy hoạch."),
        ("V.1", "V", "duty", "TỔ CHỨC THỰC HIỆN", "Báo cáo hằng năm."),
    ],
    columns=["task_id", "parent_id", "kind", "group", "text"],
)


def register(*rows) -> pd.DataFrame:
    """Rows (task, lead, deadline ISO or "", recurring "" / "regular" / "yearly")."""
    records = [
        {
            "task_id": task,
            "lead_unit": lead,
            "coordinators": "van_phong" if lead == "kinh_te" else "",
            "deadline": deadline,
            "recurring": recurring,
            "deadline_text": recurring
            and {"regular": "Thường xuyên", "yearly": "Hằng năm"}[recurring],
        }
        for task, lead, deadline, recurring in rows
    ]
    return pd.DataFrame(records).reindex(columns=list(ASSIGNMENT_COLUMNS), fill_value="")


def reports(*rows) -> pd.DataFrame:
    """Rows (period, task, unit, state, completed_on ISO or "")."""
    records = [
        {
            "period": period,
            "task_id": task,
            "reported_by": unit,
            "role": "lead",
            "state": state,
            "completed_on": done,
            "source_file": f"{period}/{unit}.xlsx",
            "source_sheet": "Nhiệm vụ",
            "source_cell": "E6",
        }
        for period, task, unit, state, done in rows
    ]
    return pd.DataFrame(records).reindex(columns=list(TASK_REPORT_COLUMNS), fill_value="")


def status_of(frame: pd.DataFrame, task: str) -> pd.Series:
    return frame.set_index("task_id").loc[task]


def one(task, deadline, recurring, *lines, period=P, lead="van_phong"):
    frame = assess_tasks(
        TASKS, register((task, lead, deadline, recurring)), reports(*lines), period
    )
    return status_of(frame, task)


def test_example_1_done_on_time_and_carried_forward():
    row = one("1.1", "2025-12-31", "", ("2025-Q4", "1.1", "van_phong", "done", "2025-11-15"))
    assert (row["status"], row["completed_on"], row["stale"]) == (
        "done_on_time",
        "2025-11-15",
        True,
    )
    assert row["report_period"] == "2025-Q4"
    assert row["note"] == (
        "Hoàn thành ngày 15/11/2025, hạn 31/12/2025. "
        "Kỳ này đơn vị chưa báo cáo; giữ tình trạng báo cáo Quý IV/2025."
    )


def test_example_2_done_late():
    row = one(
        "1.2",
        "2025-12-31",
        "",
        ("2025-Q4", "1.2", "van_phong", "in_progress", ""),
        ("2026-Q1", "1.2", "van_phong", "done", "2026-02-20"),
    )
    assert (row["status"], row["completed_on"]) == ("done_late", "2026-02-20")
    assert "Chậm 51 ngày." in row["note"]


@pytest.mark.parametrize(
    ("reported_in", "completed", "status"),
    [("2026-Q1", "2026-03-31", "done_late"), ("2025-Q4", "2025-12-31", "done_on_time")],
)
def test_example_3_done_without_a_date(reported_in, completed, status):
    row = one("1.2", "2025-12-31", "", (reported_in, "1.2", "van_phong", "done", ""))
    assert (row["status"], row["completed_on"]) == (status, completed)
    assert "không ghi ngày: tính ngày cuối kỳ báo cáo hoàn thành" in row["note"]


def test_example_4_under_way_past_the_deadline():
    row = one("3.2", "2026-06-30", "", (P, "3.2", "van_phong", "in_progress", ""))
    assert (row["status"], row["stale"]) == ("in_progress_overdue", False)
    assert row["note"] == "Đã quá hạn 30/06/2026 (92 ngày)."


def test_example_5_a_deadline_on_the_periods_last_day_is_due():
    row = one("3.2", "2026-09-30", "", (P, "3.2", "van_phong", "in_progress", ""))
    assert row["status"] == "in_progress_overdue"
    assert row["note"] == "Đến hạn 30/09/2026 (ngày cuối kỳ) nhưng chưa hoàn thành."
    earlier = one("3.2", "2026-09-30", "", ("2026-Q2", "3.2", "van_phong", "in_progress", ""),
                  period="2026-Q2")  # fmt: skip
    assert earlier["status"] == "in_progress"


def test_example_6_not_started_within_and_past_the_deadline():
    later = one("4.a", "2027-12-31", "", (P, "4.a", "van_phong", "not_started", ""))
    past = one("4.b", "2026-06-30", "", (P, "4.b", "van_phong", "not_started", ""))
    assert (later["status"], past["status"]) == ("not_started", "not_started_overdue")


def test_example_7_standing_tasks_are_never_overdue():
    going = one("V.1", "", "regular", (P, "V.1", "van_phong", "in_progress", ""))
    idle = one("V.1", "", "yearly", (P, "V.1", "van_phong", "not_started", ""))
    assert (going["status"], bool(going["recurring"])) == ("recurring", True)
    assert idle["status"] == "not_started"


def test_example_8_only_the_lead_units_report_decides():
    row = one(
        "3.1", "2026-12-31", "", (P, "3.1", "van_phong", "done", "2026-08-01"), lead="kinh_te"
    )
    assert (row["status"], row["state"]) == ("no_report", "")
    assert row["note"] == "Đơn vị chủ trì chưa báo cáo nhiệm vụ này."


def test_example_9_unassigned_tasks_and_activities_that_follow_their_task():
    frame = assess_tasks(TASKS, register(("2.1", "van_hoa_xa_hoi", "2026-03-31", "")),
                         reports(), P)  # fmt: skip
    listed = dict(zip(frame["task_id"], frame["status"], strict=True))
    # 2.1 is tracked (no report yet); its activities follow it; everything else is unassigned.
    assert listed == {
        "1.1": "unassigned", "1.2": "unassigned", "2.1": "no_report", "3.1": "unassigned",
        "3.2": "unassigned", "4.a": "unassigned", "4.b": "unassigned", "V.1": "unassigned",
    }  # fmt: skip


def test_an_activity_with_a_row_of_its_own_is_tracked():
    frame = assess_tasks(
        TASKS,
        register(
            ("2.1", "van_hoa_xa_hoi", "2026-03-31", ""), ("2.1.b", "cong_an", "2026-12-31", "")
        ),
        reports((P, "2.1.b", "cong_an", "in_progress", "")),
        P,
    )
    assert status_of(frame, "2.1.b")["status"] == "in_progress"
    assert "2.1.a" not in set(frame["task_id"])


def test_reports_after_the_period_are_not_seen():
    row = one("3.2", "2026-12-31", "", ("2026-Q4", "3.2", "van_phong", "done", "2026-11-01"))
    assert row["status"] == "no_report"


# The office's tasks of the scorecard's worked example (docs/methodology.md, examples 1, 2,
# 4, 6 and 7): register rows and reports.
OFFICE_REGISTER = (
    ("1.1", "van_phong", "2025-12-31", ""),
    ("1.2", "van_phong", "2025-12-31", ""),
    ("3.2", "van_phong", "2026-06-30", ""),
    ("4.a", "van_phong", "2027-12-31", ""),
    ("4.b", "van_phong", "2026-06-30", ""),
    ("V.1", "van_phong", "", "regular"),
)
OFFICE_REPORTS = (
    ("2025-Q4", "1.1", "van_phong", "done", "2025-11-15"),
    ("2026-Q1", "1.2", "van_phong", "done", "2026-02-20"),
    (P, "3.2", "van_phong", "in_progress", ""),
    (P, "4.a", "van_phong", "not_started", ""),
    (P, "4.b", "van_phong", "not_started", ""),
    (P, "V.1", "van_phong", "in_progress", ""),
)


def test_scorecard_worked_example():
    reg = register(*OFFICE_REGISTER, ("3.1", "kinh_te", "2026-12-31", ""))
    rep = reports(*OFFICE_REPORTS)
    card = unit_scorecard(
        assess_tasks(TASKS, reg, rep, P),
        [("cong_an", "Công an phường"), ("van_phong", "Văn phòng"), ("kinh_te", "Phòng Kinh tế")],
    )
    got = card.set_index("unit")
    office = got.loc["van_phong"]
    assert tuple(office[["assigned", "due", "done_on_time", "done_late", "in_progress",
                         "overdue", "not_started", "no_report", "recurring"]]) == (
        6, 4, 1, 1, 0, 2, 1, 0, 1,
    )  # fmt: skip
    assert office["on_time_rate"] == pytest.approx(0.25)
    assert tuple(got.loc["kinh_te", ["assigned", "due", "no_report"]]) == (1, 0, 1)
    assert pd.isna(got.loc["kinh_te", "on_time_rate"])
    # Most overdue first, then most without a report; a unit with nothing assigned last.
    assert list(card["unit"]) == ["van_phong", "kinh_te", "cong_an"]


def test_a_task_completed_before_its_deadline_counts_in_the_rate_at_once():
    # The worked example plus 3.1, due Năm 2027 and reported done on 10/09/2026.
    reg = register(*OFFICE_REGISTER, ("3.1", "van_phong", "2027-12-31", ""))
    rep = reports(*OFFICE_REPORTS, (P, "3.1", "van_phong", "done", "2026-09-10"))
    office = unit_scorecard(assess_tasks(TASKS, reg, rep, P), [("van_phong", "Văn phòng")])
    office = office.set_index("unit").loc["van_phong"]
    assert tuple(office[["assigned", "due", "done_on_time"]]) == (7, 5, 2)
    assert office["on_time_rate"] == pytest.approx(0.4)
    # Alone, the early task is a rate of 100%, never 0% beside one task done on time.
    alone = unit_scorecard(
        assess_tasks(TASKS, register(("3.1", "van_phong", "2027-12-31", "")),
                     reports((P, "3.1", "van_phong", "done", "2026-09-10")), P),
        [("van_phong", "Văn phòng")],
    ).iloc[0]  # fmt: skip
    assert (alone["due"], alone["done_on_time"], alone["on_time_rate"]) == (1, 1, 1.0)


def test_history_follows_the_register_and_reports_known_at_each_period():
    reg = register(("3.2", "kinh_te", "2026-06-30", ""))
    rep = reports(
        ("2026-Q1", "3.2", "kinh_te", "not_started", ""),
        ("2026-Q2", "3.2", "kinh_te", "in_progress", ""),
    )
    history = task_history(TASKS, {"2026-Q1": reg, "2026-Q2": reg, P: reg}, rep)
    mine = history[history["task_id"] == "3.2"]
    assert list(mine["status"]) == ["not_started", "in_progress_overdue", "in_progress_overdue"]
    assert list(mine["changed"]) == [False, True, False]
    assert list(mine["stale"]) == [False, False, True]
