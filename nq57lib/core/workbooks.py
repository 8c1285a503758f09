"""Writing Excel workbooks for people: styled tables, text that stays text, atomic saves.

openpyxl turns any string that starts with "=" into a formula; text that came from a plan
or a unit must never become one, so every cell nq57 writes goes through :func:`put`, which
also drops the control characters no workbook can hold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from nq57lib.core.atomic import atomic_path

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
# A cell a unit fills in (the collection templates).
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_THIN = Side(style="thin", color="999999")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


# Control characters XML 1.0 cannot hold (all below U+0020 but tab, line feed and carriage
# return): openpyxl refuses a cell holding one (IllegalCharacterError), so a BEL or an ESC
# in a plan's target stopped `nq57 targets --out x.xlsx`, `nq57 template` and the
# comparison's status.xlsx. Each is shown as U+FFFD, the mark of a character that was lost.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
LOST_CHARACTER = "\ufffd"


def xml_text(text: str) -> str:
    """``text`` as an Excel cell can hold it (the same object when nothing changes)."""
    return _NOT_XML.sub(LOST_CHARACTER, text) if _NOT_XML.search(text) else text


def put(ws: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write ``value`` into a cell; a string is always stored as text, never as a formula,
    and without the control characters a workbook cannot hold (:func:`xml_text`)."""
    if isinstance(value, str):
        value = xml_text(value)
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def fill_table(
    ws: Worksheet,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    first_row: int = 1,
) -> None:
    """A header row (bold, tinted, frozen, with filters) and the rows below it."""
    for column, text in enumerate(header, 1):
        cell = put(ws, first_row, column, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for offset, values in enumerate(rows, 1):
        for column, value in enumerate(values, 1):
            put(ws, first_row + offset, column, value)
    ws.freeze_panes = ws.cell(row=first_row + 1, column=1)
    last = get_column_letter(max(len(header), 1))
    ws.auto_filter.ref = f"A{first_row}:{last}{first_row + max(len(rows), 1)}"
    for column, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(column)].width = width


def write_table_workbook(
    sheets: Mapping[str, tuple[Sequence[str], Sequence[Sequence[object]], Sequence[float]]],
    out: Path | str,
) -> Path:
    """One sheet per ``name: (header, rows, widths)``, saved atomically to ``out``."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, (header, rows, widths) in sheets.items():
        fill_table(workbook.create_sheet(name), header, rows, widths)
    with atomic_path(out) as tmp:
        workbook.save(tmp)
    return Path(out)
