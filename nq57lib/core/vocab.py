"""The words nq57 shares across stages, each defined once.

Codes are English identifiers stored in every CSV; the Vietnamese words are what ward users
read. A stage that needs one of these vocabularies imports it from here, so a new
comparator, measurement unit or stage is added in one place. (Progress statuses are the
assessment stage's own vocabulary: :mod:`nq57lib.assess.statuses`.)
"""

from __future__ import annotations

# ── comparators: how a target figure binds ─────────────────────────────────
COMPARATORS = (">=", ">", "=", "<=", "<", "range")
# Written before a figure ("≥ 80%"); "=" is written as the bare figure.
COMPARATOR_SYMBOLS = {">=": "≥", ">": ">", "=": "=", "<=": "≤", "<": "<", "range": "từ … đến"}

# ── measurement units of an indicator ───────────────────────────────────────
UNITS = ("%", "count", "index", "other")
# The unit's name in a table cell (lower case; capitalise at the start of a cell).
UNIT_NAMES_VI = {"%": "%", "count": "số lượng", "index": "chỉ số", "other": "định tính"}
# The range a figure of each unit can take (low, high; None: unbounded). A percentage is a
# share (0–100); counts and indices of a ward stay far below these ceilings, which an
# indicator may lower with `max:` in indicators.yaml.
UNIT_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "%": (0.0, 100.0),
    "count": (0.0, 10_000_000.0),
    "index": (0.0, 1_000_000.0),
    "other": (None, None),
}
# The unit as a chart axis title.
# The heading of the plan's targets that no area of the plan holds (provisional indicators).
OTHER_AREA_VI = "Chỉ tiêu khác của Kế hoạch"
UNIT_AXIS_VI = {"%": "Tỷ lệ (%)", "count": "Số lượng", "index": "Chỉ số", "other": "Giá trị"}

# ── indicator kinds and directions ──────────────────────────────────────────
KINDS = ("level", "flow", "stock", "milestone")
DIRECTIONS = ("increase", "decrease")

# ── stages of a qualitative milestone (the ``status`` column of observations) ─
# code → the words units write and read, in the order a deliverable goes through them.
STAGE_LABELS_VI = {
    "not_started": "chưa triển khai",
    "in_progress": "đang triển khai",
    "done": "hoàn thành",
}
STAGES = {code: rank for rank, code in enumerate(STAGE_LABELS_VI)}
STAGE_BY_RANK = {rank: code for code, rank in STAGES.items()}

# ── the plan's tasks ────────────────────────────────────────────────────────
# A task's state as its lead unit reports it: the same three codes as a milestone's stage,
# with the words of a task report (the "Tình trạng" dropdown of the "Nhiệm vụ" sheet).
TASK_STATE_LABELS_VI = {
    "not_started": "Chưa triển khai",
    "in_progress": "Đang thực hiện",
    "done": "Hoàn thành",
}
TASK_KIND_LABELS_VI = {"task": "Nhiệm vụ", "activity": "Hoạt động", "duty": "Tổ chức thực hiện"}


def capital(text: str) -> str:
    """First letter upper case: a label at the start of a table cell."""
    return text[:1].upper() + text[1:]


# ── renderers ───────────────────────────────────────────────────────────────
# The PDF engines, the default first: WeasyPrint in-process, or a system Chromium.
PDF_ENGINES = ("weasyprint", "chromium")
