"""Building unit workbooks in a test and checking what cleaning made of them."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from nq57lib.collect.frames import CleanResult

PERIOD = "2026-Q3"


def save(wb: Workbook, raw: Path, name: str, period: str = PERIOD) -> Path:
    """Save ``wb`` as ``<raw>/<period>/<name>``."""
    folder = raw / period
    folder.mkdir(parents=True, exist_ok=True)
    wb.save(folder / name)
    return folder / name


def put(ws, rows: dict[int, list]) -> None:
    """Write each row's values from column A; None leaves a cell empty."""
    for row, values in rows.items():
        for column, value in enumerate(values, 1):
            if value is not None:
                ws.cell(row=row, column=column, value=value)


def observed(result: CleanResult, *columns: str) -> list[tuple]:
    cols = list(columns or ("indicator_id", "value", "source_cell"))
    return [tuple(r) for r in result.observations[cols].itertuples(index=False)]


def check_identity(result: CleanResult) -> None:
    """Every row in one place: read = accepted + quarantined + blank, per file and in all."""
    q = result.quality
    assert (q["rows_read"] == q["accepted"] + q["quarantined"] + q["blank"]).all()
    rejected = int((q["file_status"] == "rejected").sum())
    assert int(q["quarantined"].sum()) + rejected == len(result.quarantine)
    accepted = (
        len(result.observations)
        + len(result.task_reports)
        + len(result.assignments)
        + len(result.target_leads)
    )
    assert int(q["accepted"].sum()) == accepted
