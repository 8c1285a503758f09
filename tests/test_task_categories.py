"""The Government's four task categories at a cut-off, worked by hand for 20 tasks.

Cut-off 14/9/2026 (the reporting regime's 2026-Q3: 15/6 → 14/9); three lead units; one
task unassigned. Each task's expected category is written beside it, with why.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from nq57lib.assess.categories import category_summary, unit_category_table
from nq57lib.assess.tasks import assess_tasks, unit_scorecard
from nq57lib.core.calendar import ReportingCalendar
from nq57lib.core.periods import Period
from nq57lib.core.schema import ASSIGNMENT_COLUMNS, TASK_REPORT_COLUMNS

P = "2026-Q3"
CUTOFF = date(2026, 9, 14)
# task, lead, deadline, recurring, report (period, state, completed_on) or None,
# expected category at 14/9/2026, expected category at 30/9/2026 (calendar periods)
CASES = [
    ("1", "a", "2026-06-30", "", (P, "done", "2026-06-20"), "completed_on_time", None),
    ("2", "a", "2026-06-30", "", (P, "done", "2026-07-10"), "completed_late", None),
    # finished on its deadline day, which is the cut-off day: on time
    ("3", "a", "2026-09-14", "", (P, "done", "2026-09-14"), "completed_on_time", None),
    # due on the cut-off day and not finished: overdue at it
    ("4", "a", "2026-09-14", "", (P, "in_progress", ""), "open_overdue", None),
    # due after the regime's cut-off but before the quarter's end
    ("5", "a", "2026-09-20", "", (P, "in_progress", ""), "open_in_time", "open_overdue"),
    ("6", "a", "2026-12-31", "", (P, "not_started", ""), "open_in_time", None),
    ("7", "a", "2026-03-31", "", (P, "not_started", ""), "open_overdue", None),
    # finished early: fallen due and done at once
    ("8", "b", "2026-12-31", "", (P, "done", "2026-08-01"), "completed_on_time", None),
    ("9", "b", "", "regular", (P, "in_progress", ""), "no_deadline", None),
    ("10", "b", "", "yearly", (P, "done", "2026-09-01"), "no_deadline", None),
    # not recurring, but the register gives no deadline
    ("11", "b", "", "", (P, "in_progress", ""), "no_deadline", None),
    # the lead never reported: not completed, and past its deadline
    ("12", "b", "2026-06-30", None, None, "open_overdue", None),
    ("13", "b", "2026-12-31", None, None, "open_in_time", None),
    # completed after the cut-off: under way at it, its deadline still ahead
    ("14", "b", "2026-09-30", "", (P, "done", "2026-09-20"), "open_in_time", "completed_on_time"),
    ("15", "c", "2026-09-10", "", (P, "done", "2026-09-12"), "completed_late", None),
    # done in an earlier period without a date: the end of that period, on its deadline
    ("17", "c", "2025-12-31", "", ("2025-Q4", "done", ""), "completed_on_time", None),
    # finished the day after the cut-off, a day late: overdue at the cut-off
    ("18", "c", "2026-09-14", "", (P, "done", "2026-09-15"), "open_overdue", "completed_late"),
    ("19", "c", "2026-07-31", "", (P, "in_progress", ""), "open_overdue", None),
    ("20", "c", "2026-08-31", "", (P, "done", "2026-08-31"), "completed_on_time", None),
]
UNITS = [("a", "Phòng Kinh tế"), ("b", "Phòng Văn hóa - Xã hội"), ("c", "Công an phường")]
TASKS = pd.DataFrame(
    [(c[0], "G", "task", "Nhóm nhiệm vụ", f"Nhiệm vụ số {c[0]}.") for c in CASES]
    + [("16", "G", "task", "Nhóm nhiệm vụ", "Nhiệm vụ chưa phân công.")],
    columns=["task_id", "parent_id", "kind", "group", "text"],
)


def _register() -> pd.DataFrame:
    words = {"regular": "Thường xuyên", "yearly": "Hằng năm", "": "", None: ""}
    rows = [
        {"task_id": t, "lead_unit": lead, "deadline": deadline,
         "recurring": recurring or "", "deadline_text": words[recurring]}
        for t, lead, deadline, recurring, *_ in CASES
    ]  # fmt: skip
    return pd.DataFrame(rows).reindex(columns=list(ASSIGNMENT_COLUMNS), fill_value="")


def _reports() -> pd.DataFrame:
    rows = [
        {"period": report[0], "task_id": t, "reported_by": lead, "role": "lead",
         "state": report[1], "completed_on": report[2], "source_file": f"{lead}.xlsx",
         "source_sheet": "Nhiệm vụ", "source_cell": f"E{n + 6}"}
        for n, (t, lead, _, _, report, *_) in enumerate(CASES)
        if report
    ]  # fmt: skip
    return pd.DataFrame(rows).reindex(columns=list(TASK_REPORT_COLUMNS), fill_value="")


def _assess(cutoff: date | None) -> pd.DataFrame:
    return assess_tasks(TASKS, _register(), _reports(), P, cutoff)


def test_the_regime_cuts_2026_q3_off_on_the_14th_and_the_report_is_due_two_working_days_on():
    calendar = ReportingCalendar("regime")
    period = Period.parse(P)
    assert calendar.start(period) == date(2026, 6, 15)
    assert calendar.cutoff(period) == CUTOFF
    assert calendar.report_due(period) == date(2026, 9, 16)  # Monday 14 → Wednesday 16
    # the year runs 15/12 → 14/12; a Friday cut-off is due the next Tuesday
    year = Period.parse("2026")
    assert (calendar.start(year), calendar.cutoff(year)) == (date(2025, 12, 15), date(2026, 12, 14))
    assert calendar.report_due(Period.parse("2026-08")) == date(2026, 8, 18)  # Fri 14 → Tue 18


@pytest.mark.parametrize(("cutoff", "column"), [(CUTOFF, 5), (None, 6)])
def test_each_task_falls_in_its_category_at_the_cut_off(cutoff, column):
    status = _assess(cutoff).set_index("task_id")
    for case in CASES:
        expected = case[column] or case[5]
        assert status.loc[case[0], "category"] == expected, case[0]
    assert status.loc["16", "category"] == ""  # unassigned: in no category


def test_per_unit_and_total_counts_and_both_rates():
    card = unit_scorecard(_assess(CUTOFF), UNITS)
    table = unit_category_table(card).set_index("Tên đơn vị")
    columns = ["Tổng số", "HT trong hạn", "HT trễ hạn", "Chưa HT trong hạn", "Chưa HT trễ hạn",
               "Tỷ lệ HT / số đến hạn", "Tỷ lệ HT / tổng số"]  # fmt: skip
    # a: 1,3 on time; 2 late; 5,6 open in time; 4,7 overdue → due 5, done 3
    assert list(table.loc["Phòng Kinh tế", columns]) == ["7", "2", "1", "2", "2", "60%", "42,9%"]
    # b: 8 on time; 13 (no report), 14 in time; 12 overdue (no report); 9-11 apart
    assert list(table.loc["Phòng Văn hóa - Xã hội", columns]) == [
        "4", "1", "0", "2", "1", "50%", "25%"
    ]  # fmt: skip
    assert table.loc["Phòng Văn hóa - Xã hội", "Ghi chú"] == (
        "3 nhiệm vụ thường xuyên, không thời hạn; 2 nhiệm vụ chưa báo cáo"  # 12, 13
    )
    # c: 17,20 on time; 15 late; 18,19 overdue
    assert list(table.loc["Công an phường", columns]) == ["5", "2", "1", "0", "2", "60%", "60%"]
    # total: done 7 of 12 due and of 16 with a deadline
    assert list(table.loc["Tổng cộng", columns]) == ["16", "5", "2", "4", "5", "58,3%", "43,8%"]
    # most overdue first (a and c: 2 each, a more tasks), then the total
    assert list(table.index) == ["Phòng Kinh tế", "Công an phường", "Phòng Văn hóa - Xã hội",
                                 "Tổng cộng"]  # fmt: skip
    assert list(table["TT"]) == ["1", "2", "3", ""]


def test_the_briefing_summary_reads_the_same_sums():
    card = unit_scorecard(_assess(CUTOFF), UNITS)
    summary = category_summary(card, unassigned=1).set_index("Nội dung")
    assert summary.loc["Tổng số nhiệm vụ có thời hạn", "Số nhiệm vụ"] == "16"
    assert summary.loc["Chưa hoàn thành, đã quá hạn", "Số nhiệm vụ"] == "5"
    assert summary.loc["Tỷ lệ hoàn thành trên số nhiệm vụ đã đến hạn", "Tỷ lệ"] == "58,3%"
    assert summary.loc["Tỷ lệ hoàn thành trên tổng số nhiệm vụ có thời hạn", "Tỷ lệ"] == "43,8%"
    assert summary.loc["Nhiệm vụ thường xuyên, không thời hạn (tính riêng)", "Số nhiệm vụ"] == "3"
    assert summary.loc["Chưa phân công đơn vị chủ trì (tính riêng)", "Số nhiệm vụ"] == "1"


def test_a_lead_missing_from_the_units_file_keeps_its_row():
    card = unit_scorecard(_assess(CUTOFF), UNITS[:2])
    assert list(card["unit"]) == ["a", "c", "b"]  # c, not in the file, named by its code
    assert card.set_index("unit").loc["c", "unit_name"] == "c"
    assert int(card["with_deadline"].sum()) == 16
