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
from nq57lib.assess.observations import as_bool
from nq57lib.assess.progress import classify_ratio
from nq57lib.assess.statuses import STATUS_LABELS_VI
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


# Why an indicator is on the attention list (assess.verdicts.ATTENTION_REASONS), as the
# breakdown under section II.1 says it.
ATTENTION_WORDS = {
    "missed_milestone": "quá hạn chưa đạt mốc",
    "falling": "đi xuống",
    "too_slow": "chậm hoặc cần đẩy nhanh",
    "slow_by_one_method": "đúng tiến độ theo một cách tính nhưng chậm theo cách tính kia",
    "no_figure_due": "đã hết hạn nhưng chưa có số liệu để đánh giá",
}


def attention_breakdown(reasons: pd.Series) -> str:
    """ "19 chỉ tiêu: 13 quá hạn chưa đạt mốc, 1 chậm hoặc cần đẩy nhanh, 5 đã hết hạn …"."""
    counts = reasons.value_counts()
    parts = [f"{int(counts[r])} {w}" for r, w in ATTENTION_WORDS.items() if r in counts]
    return f"{len(reasons)} chỉ tiêu: " + ", ".join(parts) + "."


def deadline(row) -> str:
    return fmt_deadline(row_due_time(row))


def plain_words(row: pd.Series | dict, remark: str = "", missed: str = "") -> str:
    """One or two sentences saying where the indicator stands against this milestone.

    ``remark`` is the unit's own reason for a missing figure, added to "no data" rows.
    ``missed`` names the indicator's earlier milestones missed ("2025"): a later one judged
    on track is then never stated without them. A milestone met earlier is stated once,
    before the words (``milestones_met`` of the row); when the two progress methods
    disagree the words say so.
    """
    row = pd.Series(row) if isinstance(row, dict) else row
    words = _plain_words(row, remark)
    met = "" if is_missing(row.get("milestones_met")) else str(row.get("milestones_met", ""))
    if met:
        words = f"Đã đạt mốc {_and(met)}. {words}"
    if missed and row["status"] == "on_track":  # "fast enough", but a milestone was missed
        words = f"{words[:-1]}; nhưng chưa đạt mốc {_and(missed)}."
    disagree = _methods_words(row)
    return f"{words} {disagree}" if disagree else words


def _and(years: str) -> str:
    """ "2025; 2030" → "2025 và 2030"."""
    parts = [y.strip() for y in str(years).split(";") if y.strip()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " và " + parts[-1]


def _methods_words(row: pd.Series) -> str:
    """When the growth-rate and straight-line methods disagree, both verdicts in words."""
    if not as_bool(row.get("methods_disagree", False)):
        return ""
    by_rate = classify_ratio(_num(row.get("cagr_ratio")))
    by_line = classify_ratio(_num(row.get("straight_line_share")))
    if not by_rate or not by_line or by_rate == by_line:
        return ""
    return (
        f"Hai cách tính cho kết quả khác nhau: theo tốc độ tăng bình quân là "
        f"{STATUS_LABELS_VI[by_rate]}, theo đường thẳng là {STATUS_LABELS_VI[by_line]}."
    )


def _plain_words(row: pd.Series, remark: str) -> str:
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
    if status == "not_assessed":
        return f"Mốc {int(row['milestone_year'])}, chưa đến kỳ đánh giá."
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
            said = f"Hết năm {int(row['milestone_year'])} chỉ đạt {shown} so với chỉ tiêu {target}."
            gaps = row.get("missing_months", "")
            return f"{said} Thiếu số liệu tháng {gaps}." if not is_missing(gaps) and gaps else said
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
    if status == "not_assessed":
        return f"Mốc {int(row['milestone_year'])}, chưa đến kỳ đánh giá."
    if status == "overdue":
        return f"Hết hạn {due}, mới ở giai đoạn {stage}."
    if status == "deteriorating":
        return f"Lùi lại giai đoạn {stage}; hạn {due}."
    if status == "on_track":
        return f"{capital(stage)}, còn đủ thời gian đến hạn {due}."
    return f"{capital(stage)}; hạn {due}: cần đẩy nhanh."


def missed_now(row: pd.Series, value: object, when: str) -> str:
    """A missed milestone beside the current state: "Hết hạn 31/12/2025 chưa hoàn thành;
    nay: đang triển khai." (``value`` reported in ``when``, after the row's own figure)."""
    if row["kind"] == "milestone":
        return f"Hết hạn {deadline(row)} chưa hoàn thành; nay: {_stage(value)}."
    unit = row["unit"]
    target = fmt_target(row["comparator"], row["target"], row["value_max"], unit)
    then = fmt_value(_num(row["value"]), unit)
    return (
        f"Hết hạn {deadline(row)}: {then}, chưa đạt {target}; nay: {fmt_value(_num(value), unit)}."
    )


def verdict_words(row: pd.Series) -> str:
    """What a leader's list says of an indicator (a row of
    :func:`nq57lib.report.leader.headlines`): its headline milestone in words, the current
    state beside a missed deadline, and the period a carried-forward figure is from."""
    if row["attention_reason"] == "no_figure_due":
        return f"Hết hạn {deadline(row)}, chưa có số liệu để đánh giá."
    current, when = row["current_value"], str(row["current_period"] or "")
    own = "" if is_missing(row["value_period"]) else str(row["value_period"])
    if row["status"] == "overdue" and row["kind"] != "flow" and when and when != own:
        words = missed_now(row, current, when)
    else:
        words = plain_words(row, missed=str(row.get("milestones_missed", "") or ""))
    if row["kind"] != "flow" and when and when != str(row["period"]):
        words = f"{words[:-1]} (số liệu {_period(when)})."
    return words
