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

# data/processed/<period>/quarantine.csv: every rejected row and why.
QUARANTINE_COLUMNS = ("source_file", "source_sheet", "source_row", "reason", "raw")
