"""Plain Vietnamese for a leader: what a status row means, without ratios or codes.

The assessment's own explanation (``method_note``: growth ratios, thresholds, period
codes) stays in the appendix; a leader's table shows these sentences instead. Every
function is pure: a status row (``status.csv``) in, a sentence out.
"""

from __future__ import annotations

import math

import pandas as pd

from nq57lib.assess.milestones import row_due_time
from nq57lib.assess.notes import fmt_deadline
from nq57lib.assess.statuses import urgency
from nq57lib.core.fmt import fmt_gap, fmt_target, fmt_value, is_missing
from nq57lib.core.periods import Period
from nq57lib.core.vocab import STAGE_BY_RANK, STAGE_LABELS_VI, capital


def _period(code: object) -> str:
    """A period in running text: "quý IV năm 2025" (a slash would let the line break)."""
    return "" if is_missing(code) or not str(code) else Period.parse(str(code)).report_label


def _num(value: object) -> float:
    return math.nan if is_missing(value) else float(value)


def _stage(value: object) -> str:
    if is_missing(value):
        return "chưa báo cáo"
    return STAGE_LABELS_VI[STAGE_BY_RANK.get(int(float(value)), "not_started")]


def deadline(row) -> str:
    return fmt_deadline(row_due_time(row))


def plain_words(row: pd.Series | dict, remark: str = "") -> str:
    """One or two sentences saying where the indicator stands against this milestone.

    ``remark`` is the unit's own reason for a missing figure, added to "no data" rows.
    """
    row = pd.Series(row) if isinstance(row, dict) else row
    status, unit, kind = row["status"], row["unit"], row["kind"]
    value, expected = _num(row["value"]), _num(row["expected_now"])
    base = _num(row["baseline"])
    shown = fmt_value(value, unit)
    target = fmt_target(row["comparator"], row["target"], row["value_max"], unit)
    if kind == "milestone":
        return _milestone_words(row, status)
    if status == "no_data":
        words = "Chưa có số liệu."
        return f"{words} Đơn vị ghi: “{remark}”." if remark else words
    if status == "not_due":
        return f"Chỉ tiêu hằng năm của mốc {int(row['milestone_year'])}, chưa đến năm áp dụng."
    if status == "insufficient_data":
        if kind == "flow":
            return "Chưa đủ số liệu các tháng trong năm để đánh giá."
        return "Mới có số liệu một kỳ, chưa đánh giá được xu hướng."
    if status == "achieved":
        if kind == "flow":
            return f"Đã đạt: {shown} so với chỉ tiêu {target}."
        return f"Đã đạt mục tiêu {target}."
    if status == "overdue":
        if kind == "flow":
            return f"Cả năm chỉ đạt {shown} so với chỉ tiêu {target}."
        gap = fmt_gap(row["gap"], unit)
        return f"Hết hạn {deadline(row)}: mới đạt {shown}, còn thiếu {gap}."
    if kind == "flow":
        need = fmt_value(expected, unit)
        words = {"on_track": "đủ tiến độ", "needs_acceleration": "cần đẩy nhanh",
                 "off_track": "chậm xa so với yêu cầu"}.get(status, "")  # fmt: skip
        return capital(f"{words}: lũy kế {shown}, cần khoảng {need} đến nay.")
    moved = _movement(base, value, row)
    if status == "on_track":
        return f"{moved}, đủ nhanh để đạt {target} vào {deadline(row)}."
    if status == "deteriorating":
        return f"{moved}, ngược chiều mục tiêu {target}."
    need = fmt_value(expected, unit)
    pace = "cần đẩy nhanh" if status == "needs_acceleration" else "chậm xa so với yêu cầu"
    return f"Cần đạt khoảng {need} đến nay, mới {shown}: {pace}."


def _movement(base: float, value: float, row) -> str:
    unit = row["unit"]
    since = _period(row["baseline_period"])
    if math.isnan(base) or base == value:
        return f"Giữ ở mức {fmt_value(value, unit)}"
    verb = "Tăng" if value > base else "Giảm"
    joiner = "lên" if value > base else "xuống"
    return f"{verb} từ {fmt_value(base, unit)} ({since}) {joiner} {fmt_value(value, unit)}"


def _milestone_words(row, status: str) -> str:
    stage = _stage(row["value"])
    due = deadline(row)
    if status == "achieved":
        return "Đã hoàn thành."
    if status == "no_data":
        return f"Chưa có báo cáo tiến độ; hạn {due}."
    if status == "overdue":
        return f"Hết hạn {due}, mới ở giai đoạn {stage}."
    if status == "deteriorating":
        return f"Lùi lại giai đoạn {stage}; hạn {due}."
    if status == "on_track":
        return f"{capital(stage)}, còn đủ thời gian đến hạn {due}."
    return f"{capital(stage)}; hạn {due}: cần đẩy nhanh."


def indicator_statuses(status: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator: its most urgent status row (a missed earlier milestone first).

    A leader counts indicators, not indicator-milestone rows.
    """
    ranked = status.assign(_urgency=status["status"].map(urgency))
    ranked = ranked.sort_values(["_urgency", "milestone_year"], kind="stable")
    first = ranked.drop_duplicates("indicator_id", keep="first").drop(columns="_urgency")
    order = {ident: n for n, ident in enumerate(dict.fromkeys(status["indicator_id"]))}
    return first.sort_values("indicator_id", key=lambda s: s.map(order)).reset_index(drop=True)
