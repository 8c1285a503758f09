"""Targets in tables: "Danh mục các chỉ tiêu cụ thể" as Markdown pipe rows (a .docx table
reaches the parser in that form, :mod:`nq57lib.plan.documents`).

A table holds targets when its header names the target ("Chỉ tiêu", "Nội dung", "Tên chỉ
tiêu") and a figure column — "Kết quả", "Mục tiêu", "Chỉ tiêu", "Giá trị", "Kế hoạch" —
or one column per milestone ("Năm 2025", "Đến năm 2030"). A unit column ("Đơn vị", "ĐVT")
sets the unit ("%", "% GDP", "doanh nghiệp", "thứ bậc"). Rows:

- a row whose only text is a milestone ("Đến năm 2030", "Tầm nhìn đến năm 2045") sets the
  year of the rows under it; a group row (a name, no figure cell) is skipped; sub-rows
  ("11.1") are rows like any other;
- a figure cell holding several targets ("≤ 3 Đông Nam Á; ≤ 50 Thế giới") gives one target
  each; a cell without a figure gives a qualitative target;
- a target's text is "<Chỉ tiêu> — <its figure cell part>".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nq57lib.core.textnorm import fold
from nq57lib.plan.figures import find_figures, target_fields, trim
from nq57lib.plan.structure import MILESTONE
from nq57lib.plan.text import clean_text

_NAME = re.compile(r"^(?:ten )?(?:chi tieu|noi dung|ten chi tieu|chi so)\b")
_UNIT = re.compile(r"^(?:don vi(?: tinh)?|dvt)$")
_VALUE = re.compile(r"^(?:ket qua|muc tieu|chi tieu|gia tri|ke hoach|chi tieu ke hoach)\b")
_YEAR_COLUMN = re.compile(r"^(?:(?:den|toi) (?:het )?)?(?:nam )?((?:19|20)\d\d)$")
_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_LEAD_COLUMN = re.compile(r"\bchu tri\b")
_DEADLINE_COLUMN = re.compile(r"^(?:thoi gian|thoi han|tien do)\b")
_TARGET_COLUMN = re.compile(r"^(?:ten )?chi (?:tieu|so)\b")
_RANK_UNITS = re.compile(r"\b(?:thu bac|xep hang|hang)\b")


@dataclass(frozen=True)
class Table:
    """A pipe table: its header cells and body rows (line number, cells)."""

    line: int  # 1-based line of the header
    header: list[str]
    rows: list[tuple[int, list[str]]]


def cells(line: str) -> list[str]:
    """The cells of one pipe row, cleaned ("**I**" → "I")."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    parts = re.split(r"(?<!\\)\|", body)
    return [clean_text(p.replace("\\|", "|")) for p in parts]


def _next_row(lines: list[str], m: int) -> int | None:
    """The line of the table's next body row from ``m``: blank lines between rows (a table
    rebuilt from one cell per line, :mod:`nq57lib.plan.exported`) do not end it, a new
    table's header does."""
    while m < len(lines) and not lines[m].strip():
        m += 1
    if m >= len(lines) or not lines[m].strip().startswith("|"):
        return None
    if m + 1 < len(lines) and _SEPARATOR.match(lines[m + 1].strip()):
        return None
    return m


def find_tables(lines: list[str]) -> list[Table]:
    """Every pipe table of the plan (a header row, a separator row, body rows)."""
    tables, n = [], 0
    while n < len(lines) - 1:
        line, following = lines[n].strip(), lines[n + 1].strip()
        if line.startswith("|") and _SEPARATOR.match(following):
            rows, m = [], n + 2
            while (row := _next_row(lines, m)) is not None:
                rows.append((row + 1, cells(lines[row])))
                m = row + 1
            tables.append(Table(n + 1, cells(line), rows))
            n = m
            continue
        n += 1
    return tables


@dataclass(frozen=True)
class _Columns:
    name: int
    unit: int | None
    value: int | None
    years: dict[int, int]  # column → milestone year


def is_task_table(folded: list[str]) -> bool:
    """Whether folded header cells are those of a table of tasks: a lead unit and a
    deadline column and no target column (a table of targets may name who leads each)."""
    return (
        any(_LEAD_COLUMN.search(h) for h in folded)
        and any(_DEADLINE_COLUMN.match(h) for h in folded)
        and not any(_TARGET_COLUMN.match(h) for h in folded)
    )


def _columns(header: list[str]) -> _Columns | None:
    folded = [fold(h) for h in header]
    if is_task_table(folded):
        return None  # an appendix table of tasks (who leads, by when): no targets in it
    name = next((i for i, h in enumerate(folded) if _NAME.match(h)), None)
    if name is None:
        return None
    unit = next((i for i, h in enumerate(folded) if _UNIT.match(h)), None)
    years = {}
    for i, h in enumerate(folded):
        found = _YEAR_COLUMN.match(h)
        if found and i != name:
            years[i] = int(found.group(1))
    value = next(
        (i for i, h in enumerate(folded) if i not in (name, unit) and _VALUE.match(h)), None
    )
    if value is None and not years:
        return None
    return _Columns(name, unit, None if years else value, years)


def _unit_of(label: str) -> tuple[str, str]:
    """(vocabulary unit, the plan's words) of a unit cell."""
    words = label.strip()
    if words.startswith("%"):
        return "%", words
    if _RANK_UNITS.search(fold(words)) or fold(words).startswith("chi so"):
        return "index", words.lower()
    return "count", words.lower()


def _row_milestone(row: list[str], figure_columns: list[int]) -> int | None:
    """The year of a row that only names a milestone ("Đến năm 2030", "Tầm nhìn …")."""
    if any(row[i].strip() for i in figure_columns if i < len(row)):
        return None
    found = MILESTONE.search(fold(" ".join(row)))
    return int(found.group(1)) if found else None


def table_targets(table: Table, year: int | None) -> list[dict]:
    """Target rows of one table (``year``: the milestone before any milestone row)."""
    columns = _columns(table.header)
    if columns is None:
        return []
    figure_columns = list(columns.years) or [columns.value]
    targets = []
    for line, row in table.rows:
        row = row + [""] * (len(table.header) - len(row))
        milestone = _row_milestone(row, figure_columns)
        if milestone is not None:
            year = milestone
            continue
        name = trim(row[columns.name])
        if not name:
            continue
        label = row[columns.unit].strip() if columns.unit is not None else ""
        for column in figure_columns:
            cell = row[column].strip()
            when = columns.years.get(column, year)
            if not cell:
                continue  # no year (None): kept, and the catalogue names its line
            targets.extend(_cell_targets(name, cell, label, when, line))
    return targets


def _cell_targets(name: str, cell: str, label: str, year: int, line: int) -> list[dict]:
    figures = find_figures(cell)
    parts = [p for p in re.split(r"\s*;\s*", cell) if p.strip()] if len(figures) > 1 else [cell]
    out = []
    for part in parts:
        figure = next(iter(find_figures(part)), None)
        fields = target_fields(f"{name} — {trim(part)}", figure, fold(name))
        if figure is not None and label:
            unit, words = _unit_of(label)
            if figure.unit == "%":
                unit = "%"  # the cell itself says "%"
            elif figure.unit == "index" and unit == "count":
                unit = "index"  # "> 0,7" is not a count
            fields["unit"], fields["unit_label"] = unit, words
        out.append({**fields, "milestone_year": year, "source_line": line})
    return out
