"""The words of the assessment's audit trail (``method_note``), from the rules' facts.

The rules (:mod:`nq57lib.assess.rules`) decide a status and say *why* as findings: a
reason code and the numbers, periods and labels it used. This module is the one place
those findings become Vietnamese sentences, for ``status.csv``'s ``method_note`` and
annex 2 — so the rules hold no wording, and the thresholds a sentence quotes are read from
:mod:`nq57lib.assess.progress`, never copied. Adding a reason: a template here, a
finding in the rule, a worked example in docs/methodology.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from nq57lib.assess import progress
from nq57lib.assess.statuses import STATUS_LABELS_VI
from nq57lib.core.fmt import fmt_number, fmt_percent, fmt_ratio, fmt_value
from nq57lib.core.vocab import STAGE_LABELS_VI


@dataclass(frozen=True)
class Finding:
    """One reason a rule gives, with the facts it rests on."""

    reason: str
    facts: Mapping[str, object] = field(default_factory=dict)


def finding(reason: str, **facts: object) -> Finding:
    return Finding(reason, facts)


def fmt_deadline(time: float) -> str:
    """A deadline at a year's end (the rules' time scale: years), shown as 31/12/YYYY."""
    return f"31/12/{round(time) - 1}"


def _window(f: Mapping) -> str:
    """The span a flow is summed over: this year so far, a whole year, or several."""
    if f["window"] == "year_to_date":
        return f"Lũy kế năm {f['start']}"
    if f["window"] == "whole_year":
        return f"Cả năm {f['start']}"
    span = f"năm {f['start']}" if f["end"] == f["start"] else f"{f['start']}–{f['end']}"
    return f"Lũy kế {span}"


def _value(f: Mapping, key: str = "value") -> str:
    return fmt_value(f[key], f["unit"])


def _met(f: Mapping) -> str:
    text = f"{_value(f)} đạt mục tiêu {f['target']}"
    if f.get("beyond"):
        text += " (vượt cận trên của khoảng)"
    if f.get("early_year"):
        text += f"; đã đạt sớm mốc {f['early_year']} ({f['early_target']})"
    return text + "."


def _ratio_thresholds() -> str:
    # Both with two decimals, as thresholds are printed in docs/methodology.md: 0,95/0,60.
    shown = (
        f"{v:.2f}".replace(".", ",") for v in (progress.ON_TRACK_RATIO, progress.ACCELERATE_RATIO)
    )
    return "/".join(shown)


def _trend_thresholds() -> str:
    return f"{fmt_percent(progress.TREND_HIGH * 100, 1)}/{fmt_percent(progress.TREND_MED * 100, 1)}"


def _revised(f: Mapping) -> str:
    if "before_stage" in f:
        before = STAGE_LABELS_VI.get(str(f["before_stage"]), "—")
        after = STAGE_LABELS_VI.get(str(f["after_stage"]), "—")
    else:
        before, after = _value(f, "before"), _value(f, "after")
    return (
        f"Số liệu kỳ {f['period']} được điều chỉnh trong báo cáo kỳ {f['revised_in']}: "
        f"{before} → {after}."
    )


_TEMPLATES: dict[str, Callable[[Mapping], str]] = {
    # What the plan's figure means.
    "at_least_one": lambda f: "Chỉ tiêu không nêu số cụ thể: hiểu là ít nhất 1.",
    "no_figure": lambda f: "Chỉ tiêu không nêu số cụ thể để so sánh.",
    # The figures.
    "no_data": lambda f: "Chưa có số liệu." + (" Mốc đã qua hạn." if f["past"] else ""),
    "latest_period": lambda f: f"Số liệu mới nhất là kỳ {f['period']}.",
    "revised": _revised,
    "no_baseline": lambda f: f"Không có số liệu từ kỳ gốc {f['baseline']}.",
    "one_period": lambda f: f"Mới có một kỳ số liệu ({f['period']}): chưa tính được xu hướng.",
    # Levels and stocks.
    "met": _met,
    "missed_at_deadline": lambda f: (
        f"Hết hạn {fmt_deadline(f['deadline'])}: {_value(f)} chưa đạt {f['target']}."
    ),
    "fell_from_met_baseline": lambda f: (
        f"Kỳ gốc {f['baseline_period']} đã đạt ({_value(f, 'baseline')}), nay giảm còn "
        f"{_value(f)} dưới mục tiêu {f['target']}."
    ),
    "by_cagr": lambda f: (
        f"Tăng trưởng bình quân năm thực tế so với yêu cầu R = {fmt_ratio(f['ratio'])} "
        f"(ngưỡng {_ratio_thresholds()}); đường thẳng: {fmt_ratio(f['share'])}."
    ),
    "by_straight_line": lambda f: (
        f"Theo đường thẳng: đã đi được {fmt_ratio(f['share'])} quãng đường kỳ vọng đến nay "
        f"({'kỳ gốc bằng 0' if f['zero'] == 'baseline' else 'mục tiêu bằng 0'}: tỷ số CAGR "
        f"R = {fmt_ratio(f['ratio'])} chỉ để tham khảo)."
    ),
    "by_trend": lambda f: (
        f"Kỳ gốc nằm đúng ngưỡng mục tiêu {f['target']}: xét tốc độ tăng bình quân năm "
        f"{fmt_percent(f['growth'] * 100, 2)} (ngưỡng {_trend_thresholds()} điều chỉnh gần "
        "giới hạn)."
    ),
    "methods_disagree": lambda f: (
        f"Hai phương pháp khác nhau (CAGR: {STATUS_LABELS_VI[f['by_ratio']]}; "
        f"đường thẳng: {STATUS_LABELS_VI[f['by_share']]})."
    ),
    # Flows.
    "flow_no_data": lambda f: f"{_window(f)}: chưa có số liệu.",
    "flow_met": lambda f: f"{_window(f)}: {_value(f)}, đạt {f['target']}.",
    "flow_months_missing": lambda f: (
        f"{_window(f)}: {_value(f)}/{_value(f, 'annual')}. Thiếu số liệu tháng {f['months']}."
    ),
    "flow_missed": lambda f: (
        f"{_window(f)}: {_value(f)}/{_value(f, 'annual')}, không đạt {f['target']}."
    ),
    "flow_missed_partial": lambda f: (
        f"{_window(f)}: {_value(f)}/{_value(f, 'annual')}, không đạt {f['target']}; "
        f"năm đã kết thúc, thiếu số liệu tháng {f['months']}."
    ),
    "flow_pro_rata": lambda f: (
        f"{_window(f)}: {_value(f)} so với {_value(f, 'expected')} "
        f"({fmt_percent(f['fraction'] * 100, 1)} của {_value(f, 'annual')}); "
        f"tỷ lệ {fmt_ratio(f['share'])}."
    ),
    # Qualitative milestones.
    "done_at_later_milestone": lambda f: "Đã báo cáo hoàn thành ở mốc sau.",
    "no_stage_report": lambda f: (
        "Chưa có báo cáo tiến độ." + (" Mốc đã qua hạn." if f["past"] else "")
    ),
    "stage_done": lambda f: f"Kỳ {f['period']}: {STAGE_LABELS_VI[f['stage']]}.",
    "stage_at_deadline": lambda f: (
        f"Hết hạn {fmt_deadline(f['deadline'])}: {STAGE_LABELS_VI[f['stage']]}."
    ),
    "stage_time_left": lambda f: (
        f"Kỳ {f['period']}: {STAGE_LABELS_VI[f['stage']]}; còn {fmt_number(f['remaining'], 2)} "
        f"năm đến hạn {fmt_deadline(f['deadline'])}."
    ),
    "stage_went_back": lambda f: (
        f"Lùi từ '{STAGE_LABELS_VI[f['before']]}' về '{STAGE_LABELS_VI[f['stage']]}'."
    ),
    # Milestones beyond the one the plan is judged against now.
    "beyond_horizon": lambda f: (
        f"Mốc {f['year']} chưa đến kỳ đánh giá (hiện đánh giá đến mốc {f['horizon']})."
    ),
    # Annual quotas not yet in force.
    "quota_not_started": lambda f: (
        f"Chỉ tiêu hằng năm của mốc {f['year']} áp dụng từ năm {f['first']} đến năm "
        f"{f['year']}; kỳ {f['period']} chưa đến kỳ áp dụng."
    ),
}
REASONS = tuple(_TEMPLATES)


def sentence(item: Finding) -> str:
    """One finding as its sentence."""
    return _TEMPLATES[item.reason](item.facts)


def method_note(findings: list[Finding | None]) -> str:
    """The findings of one status row, in order, as ``method_note``."""
    return " ".join(sentence(f) for f in findings if f is not None)
