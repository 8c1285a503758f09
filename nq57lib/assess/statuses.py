"""The progress statuses: codes, Vietnamese labels, urgency, groups and colours, defined once.

The codes are what ``status.csv`` stores; every reader (the briefing, the charts, the Excel
appendix, the HTML template's colours via :func:`status_css`) takes its words, order and
colours from here.
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
)
BY_CODE = {s.code: s for s in _ALL}

# From best to worst for the charts' stacking and the appendix legend.
STATUSES = tuple(s.code for s in _ALL)
STATUS_LABELS_VI = {s.code: s.label_vi for s in _ALL}
STATUS_COLOURS = {s.code: s.colour for s in _ALL}
DARK_STATUSES = tuple(s.code for s in _ALL if s.dark)

# Behind the plan and needing the leadership's direction, the most urgent first.
BEHIND = ("overdue", "deteriorating", "off_track", "needs_acceleration")
# Every status, the most urgent first: the order of summary tables and lists.
URGENCY = (*BEHIND, "insufficient_data", "no_data", "not_due", "on_track", "achieved")


def label(code: str) -> str:
    """``off_track`` → ``Chậm tiến độ`` (capitalised, for a table cell); unknown codes as is."""
    return capital(STATUS_LABELS_VI.get(code, code))


def urgency(code: str) -> int:
    """Rank of a status in :data:`URGENCY` (0 is the most urgent); unknown codes last."""
    return URGENCY.index(code) if code in URGENCY else len(URGENCY)


def status_css(prefix: str = "st-") -> str:
    """CSS rules ``.st-<code> { background; color }`` for the HTML briefing."""
    return "\n".join(
        f".{prefix}{s.code} {{ background: #{s.colour.lower()}; "
        f"color: {'#fff' if s.dark else '#000'}; }}"
        for s in _ALL
    )
