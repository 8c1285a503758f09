"""Figures a table row holds outside the columns nq57 reads them from.

A row whose value column is empty is a blank row only if it holds no figure anywhere: a
number typed under "Kế hoạch", in a column without a heading, or under another period's
column ("Quý II/2026" in a Quý III report) is a figure nq57 did not take, and the row is
quarantined with the cell and the reason rather than counted blank. The row number column
("STT") and the columns left of the row's label, where such numbering sits, hold no figure.
A plan's figure ("Kế hoạch", "Mục tiêu") beside an empty value and a note is the target of a
row the unit explains it could not report: that row stays blank and its note a remark.
"""

from __future__ import annotations

import re

from openpyxl.utils import get_column_letter

from nq57lib.collect.numbers import NumberTextError, parse_cell_number
from nq57lib.collect.tables import RawRow, Table
from nq57lib.core.textnorm import fold

_NUMBERING = re.compile(r"^(?:stt|tt|so tt|so thu tu)$")
_PLANNED = re.compile(r"\b(?:ke hoach|muc tieu|chi tieu giao)\b")
# Roles whose cells are read (or are words, never a figure).
_TAKEN = (
    "code", "name", "unit", "value", "numerator", "denominator", "status", "evidence", "note",
    "year_to_date",
)  # fmt: skip
_QUOTED = 40


def _is_figure(value: object) -> bool:
    """A number, or text that reads as one ("89", "1.234", "12,5%")."""
    try:
        return parse_cell_number(value) is not None
    except NumberTextError:
        return False


def stray_figures(raw: RawRow, table: Table) -> list[tuple[str, str]]:
    """(cell, Vietnamese reason) for each figure of ``raw`` outside the columns read."""
    taken = {table.col(role) for role in _TAKEN} - {None}
    labels = [c for c in (table.col("code"), table.col("name")) if c]
    first_label = min(labels) if labels else 1
    value_col = table.col("value")
    value = table.headings.get(value_col or 0, "")
    explained = bool(table.col("note") and table.col("note") in raw.cells)
    found = []
    for column, content in sorted(raw.cells.items()):
        if column in taken or not _is_figure(content):
            continue
        heading = table.headings.get(column, "")
        if _NUMBERING.match(fold(heading)) or (not heading and column < first_label):
            continue  # the row's number in the table, not a figure
        if explained and _PLANNED.search(fold(heading)) and column not in table.other_periods:
            continue  # the target beside a reason for the missing value
        cell = f"{get_column_letter(column)}{raw.row}"
        shown = str(content).strip()
        shown = shown if len(shown) <= _QUOTED else shown[: _QUOTED - 1] + "…"
        if column in table.other_periods:
            reason = (
                f"ô {cell} ghi “{shown}” ở cột “{heading}”, số liệu của "
                f"{table.other_periods[column]}, không phải của kỳ đang xử lý "
                f"({table.period_vi}); không dùng cho kỳ này"
                + (f" — số liệu của kỳ này ghi vào cột “{value}”" if value else "")
            )
        elif heading:
            where = f"cột “{value}” để trống" if value else "bảng không có cột giá trị của kỳ này"
            reason = (
                f"ô {cell} ghi “{shown}” ở cột “{heading}” nhưng {where}; số ở cột này không "
                "được đọc thay cho giá trị — ghi kết quả thực hiện vào cột giá trị"
            )
        else:
            reason = (
                f"ô {cell} ghi “{shown}” ở cột không có tiêu đề; không rõ là số liệu gì nên "
                "không đọc — ghi số vào cột giá trị, hoặc đặt tiêu đề cho cột"
            )
        found.append((cell, reason))
    return found
