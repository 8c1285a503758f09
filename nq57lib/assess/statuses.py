"""The statuses: codes, Vietnamese labels, urgency, groups and colours, defined once.

Two vocabularies: a target's progress against its milestone (``status.csv``) and a task's
progress against its deadline (``task_status.csv``). The codes are what the CSVs store;
every reader (the briefing, the charts, the Excel appendix, the HTML template's colours via
:func:`status_css`) takes its words, order and colours from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from nq57lib.core.vocab import capital


@dataclass(frozen=True)
class Status:
    code: str
    label_vi: str
    colour: str  # RGB hex without '#', shared by the charts, the appendix and the HTML
    dark: bool = False  # a fill dark enough to need white text


_ALL = (
    Status("achieved", "đạt", "1A7F37", dark=True),
    Status("on_track", "đúng tiến độ", "7BC67E"),
    Status("needs_acceleration", "cần đẩy nhanh", "F2C94C"),
    Status("off_track", "chậm tiến độ", "F2994A"),
    Status("deteriorating", "đi xuống", "D64545", dark=True),
    Status("overdue", "quá hạn chưa đạt", "8E1B1B", dark=True),
    Status("no_data", "chưa có số liệu", "BDBDBD"),
    Status("insufficient_data", "chưa đủ số liệu", "E0E0E0"),
    Status("not_due", "chưa đến kỳ áp dụng", "D6E4F0"),
    Status("not_assessed", "chưa đến kỳ đánh giá", "EEF3F8"),
)
# From best to worst for the charts' stacking and the appendix legend.
STATUSES = tuple(s.code for s in _ALL)
STATUS_LABELS_VI = {s.code: s.label_vi for s in _ALL}

# Behind the plan and needing the leadership's direction, the most urgent first.
BEHIND = ("overdue", "deteriorating", "off_track", "needs_acceleration")
# The two halves of BEHIND, as the report counts them: too slow, and going backwards or
# past its deadline.
SLOW = ("needs_acceleration", "off_track")
FAILING = ("deteriorating", "overdue")
# Met or on its way to the milestone; no figure to judge by.
ON_COURSE = ("achieved", "on_track")
NO_FIGURE = ("no_data", "insufficient_data")
# Every status, the most urgent first: the order of summary tables and lists.
URGENCY = (
    *BEHIND, "insufficient_data", "no_data", "not_due", "not_assessed", "on_track", "achieved",
)  # fmt: skip
# Not judged this period, by the plan's own calendar: a quota not in force yet, a milestone
# beyond the one the plan is judged against now. Nobody owes a figure for these.
LATER = ("not_due", "not_assessed")


# ── task statuses (the plan's tasks against their deadlines) ────────────────
# The counts Vietnamese task follow-up uses: completed on time / late, under way within or
# past the deadline, not started, standing tasks, no report, not assigned.
_TASKS = (
    Status("done_on_time", "hoàn thành đúng hạn", "1A7F37", dark=True),
    Status("done_late", "hoàn thành quá hạn", "A8D08D"),
    Status("in_progress", "đang thực hiện trong hạn", "D6E4F0"),
    Status("in_progress_overdue", "đang thực hiện, quá hạn", "D64545", dark=True),
    Status("not_started", "chưa triển khai, còn hạn", "E0E0E0"),
    Status("not_started_overdue", "chưa triển khai, quá hạn", "8E1B1B", dark=True),
    Status("recurring", "thường xuyên, đang thực hiện", "B4C7E7"),
    Status("no_report", "chưa báo cáo", "F2C94C"),
    Status("unassigned", "chưa phân công", "BDBDBD"),
)
TASK_STATUSES = tuple(s.code for s in _TASKS)
TASK_STATUS_LABELS_VI = {s.code: s.label_vi for s in _TASKS}
TASK_OVERDUE = ("not_started_overdue", "in_progress_overdue")
TASK_DONE = ("done_on_time", "done_late")
TASK_URGENCY = (
    *TASK_OVERDUE, "no_report", "unassigned", "not_started", "in_progress", "recurring",
    "done_late", "done_on_time",
)  # fmt: skip

# Both vocabularies together: the codes never collide, so one lookup serves every reader.
BY_CODE = {s.code: s for s in (*_ALL, *_TASKS)}
STATUS_COLOURS = {code: s.colour for code, s in BY_CODE.items()}
DARK_STATUSES = tuple(code for code, s in BY_CODE.items() if s.dark)


def label(code: str) -> str:
    """``off_track`` → ``Chậm tiến độ`` (capitalised, for a table cell); unknown codes as is."""
    return capital(BY_CODE[code].label_vi if code in BY_CODE else code)


def urgency(code: str) -> int:
    """Rank of a status in :data:`URGENCY` (0 is the most urgent); unknown codes last."""
    return URGENCY.index(code) if code in URGENCY else len(URGENCY)


def task_urgency(code: str) -> int:
    """Rank of a task status in :data:`TASK_URGENCY` (0 is the most urgent)."""
    return TASK_URGENCY.index(code) if code in TASK_URGENCY else len(TASK_URGENCY)


def status_css(prefix: str = "st-") -> str:
    """CSS rules ``.st-<code> { background; color }`` for every target and task status."""
    return "\n".join(
        f".{prefix}{s.code} {{ background: #{s.colour.lower()}; "
        f"color: {'#fff' if s.dark else '#000'}; }}"
        for s in BY_CODE.values()
    )
