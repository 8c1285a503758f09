"""Column contracts of the processed tables that several steps read and write."""

from __future__ import annotations

# data/processed/<period>/observations.csv, written by ingest, read by compare and briefing.
OBSERVATION_COLUMNS = (
    "period",
    "indicator_id",
    "value",
    "unit",
    "numerator",
    "denominator",
    "status",
    "reported_by",
    "source_file",
    "source_sheet",
    "source_cell",
    "note",
)

# The ``status`` column of a qualitative milestone: code → the words units write and read.
STAGE_LABELS_VI = {
    "not_started": "chưa triển khai",
    "in_progress": "đang triển khai",
    "done": "hoàn thành",
}
# Their order, for comparing and plotting stages.
STAGES = {"not_started": 0, "in_progress": 1, "done": 2}

# data/processed/<period>/quarantine.csv: every rejected row and why.
QUARANTINE_COLUMNS = ("source_file", "source_sheet", "source_row", "reason", "raw")
