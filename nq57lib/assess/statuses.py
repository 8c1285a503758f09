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

# ── the Government's task categories at a cut-off date ─────────────────────
# The four groups of the Government Office's task reports ("đến hạn đã hoàn thành (đúng
# hạn / quá hạn); chưa hoàn thành (trong hạn / quá hạn)") and the tasks counted apart: a
# standing task ("thường xuyên", "hằng năm") or one without a deadline. A task's category
# is decided with its status (nq57lib.assess.tasks.task_category); an unassigned task has
# none (docs/methodology.md, "Bốn nhóm nhiệm vụ").
_CATEGORIES = (
    Status("completed_on_time", "đã hoàn thành đúng hạn", "1A7F37", dark=True),
    Status("completed_late", "đã hoàn thành quá hạn", "A8D08D"),
    Status("open_in_time", "chưa hoàn thành, trong hạn", "D6E4F0"),
    Status("open_overdue", "chưa hoàn thành, quá hạn", "8E1B1B", dark=True),
    Status("no_deadline", "thường xuyên, không thời hạn", "B4C7E7"),
)
TASK_CATEGORIES = tuple(s.code for s in _CATEGORIES)
# The four that have a deadline, in the order of the Government's table; the completed two.
DEADLINE_CATEGORIES = TASK_CATEGORIES[:4]
COMPLETED_CATEGORIES = ("completed_on_time", "completed_late")
# The base of the rate "over the tasks that have fallen due": completed (a task finished
# before its deadline has fallen due, and is done, at once) and overdue.
DUE_CATEGORIES = (*COMPLETED_CATEGORIES, "open_overdue")
# The short headings of the per-unit table (the Government Office's appendix layout).
CATEGORY_HEADINGS_VI = {
    "completed_on_time": "HT trong hạn",
    "completed_late": "HT trễ hạn",
    "open_in_time": "Chưa HT trong hạn",
    "open_overdue": "Chưa HT trễ hạn",
    "no_deadline": "Thường xuyên, không thời hạn",
}

# Every vocabulary together: the codes never collide, so one lookup serves every reader.
BY_CODE = {s.code: s for s in (*_ALL, *_TASKS, *_CATEGORIES)}
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
