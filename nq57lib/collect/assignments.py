"""The assignment register ("Phụ lục phân công nhiệm vụ"): who leads each task, by when.

The ward office fills the register once and amends it; it lives in
``<raw-dir>/phan-cong/*.xlsx``. Columns as an office writes them — "Mã nhiệm vụ", "Nội
dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Sản phẩm" — under a
title block. Units are named by their code, name or an alias from ``reporting_units.yaml``.
A row whose task code is unknown, whose unit is unknown or whose deadline cannot be read
is quarantined with the reason; a code given twice with different contents quarantines
every copy. Nothing is guessed.

A row may instead name a target: the indicator's code (as in the units' templates) or its
exact name. Its "Đơn vị chủ trì" then leads that target on the leader's pages in place of
the reporting unit of ``reporting_units.yaml``; no deadline is needed (the plan's
milestones are the target's deadlines).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from nq57lib.collect.checks import check_register_duplicates
from nq57lib.collect.entries import Entry, register_entries
from nq57lib.collect.frames import FileReading
from nq57lib.collect.matching import IndicatorMatcher
from nq57lib.collect.plan_assignments import plan_reading
from nq57lib.collect.readings import FormulaCells, inert_text, unread_formulas
from nq57lib.collect.tables import find_header, iter_rows
from nq57lib.collect.task_matching import TaskMatcher
from nq57lib.collect.unit_names import NamedUnit, name_units, nearest_units
from nq57lib.collect.units import ReportingUnits
from nq57lib.collect.workbook import open_checked
from nq57lib.core import config
from nq57lib.core.deadlines import (
    DeadlineError,
    before_plan,
    parse_deadline,
)
from nq57lib.core.errors import NoTasksError, WorkbookError
from nq57lib.core.schema import ASSIGNMENT_COLUMNS
from nq57lib.core.textnorm import fold
from nq57lib.plan.tasks import TaskCatalogue, build_task_catalogue

REGISTER_LABEL = "Phụ lục phân công nhiệm vụ"
_RULES = (
    ("code", re.compile(r"^(?:ma|ma so|ma nhiem vu|ma nv|so hieu nhiem vu)\b")),
    ("lead", re.compile(r"\bchu tri\b")),
    ("coordinators", re.compile(r"\bphoi hop\b")),
    (
        "deadline",
        re.compile(r"\b(?:thoi han|han hoan thanh|thoi gian hoan thanh|thoi gian thuc hien)\b"),
    ),
    ("product", re.compile(r"\b(?:san pham|ket qua dau ra)\b")),
    ("text", re.compile(r"\b(?:noi dung|nhiem vu|ten nhiem vu)\b")),
    ("ignore", re.compile(r"^(?:stt|tt|ghi chu|nhom|loai|nguon)\b")),
)


def _is_register_header(roles: dict[str, list[int]], _texts: list[str]) -> bool:
    return ("code" in roles or "text" in roles) and "lead" in roles and "deadline" in roles


def register_files(raw_dir: Path) -> list[Entry]:
    """The register's workbooks (``*.xlsx`` of the register folder), and entries of that
    name that cannot be read (a link leading outside the raw folder, a FIFO …)."""
    return register_entries(raw_dir)


def _names(text: str, units: ReportingUnits) -> list[NamedUnit]:
    return name_units(text, units) if text else []


def read_register(
    path: Path,
    source_file: str,
    catalogue: TaskCatalogue | None,
    units: ReportingUnits,
    indicators: IndicatorMatcher | None = None,
    plan_date: date | None = None,
) -> FileReading:
    """Read one register workbook; a file that cannot be read is one quarantine entry.
    A deadline before ``plan_date`` (the plan's date) is refused."""
    reading = FileReading(source_file=source_file, label=REGISTER_LABEL)
    refuse = reading.quarantine

    try:
        checked = open_checked(path)
    except WorkbookError as error:
        reading.rejected = error.reason
        refuse("", "", f"Tệp {source_file} không đọc được: {error.reason}", "")
        return reading
    matcher = TaskMatcher(catalogue.tasks) if catalogue is not None else None
    for ws in checked.workbook.worksheets:
        found = find_header(ws, _RULES, _is_register_header)
        if found is None:
            continue
        table = found[0]
        reading.sheets.append(ws.title)
        reading.illustrative |= any(
            fold(config.ILLUSTRATIVE_LABEL) in fold(t) for t in table.title_texts
        )
        cells = checked.formulas.get(ws.title)
        formulas = FormulaCells(cells) if cells else None
        labels = [table.col("code"), table.col("text")]
        data = [c for role, c in table.columns.items() if role not in ("code", "text")]
        for raw in iter_rows(ws, table):
            if raw.hidden and raw.cells:
                reading.flag("hidden_row", f"trang “{ws.title}” dòng {raw.row}")
            uncached = unread_formulas(formulas, raw, data, labels)
            if uncached:
                refuse(ws.title, raw.row, f"Trang “{ws.title}”, dòng {raw.row}: "
                       + "; ".join(uncached) + ".", raw.raw)  # fmt: skip
                continue
            filled = {
                role: raw.cells.get(column)
                for role, column in table.columns.items()
                if raw.cells.get(column) not in (None, "")
            }
            if not set(filled) - {"code", "text"}:
                reading.blank += 1  # a task listed in the blank register, not yet assigned
                continue
            where = f"Trang “{ws.title}”, dòng {raw.row}: "
            indicator = _indicator_named(filled, indicators)
            if indicator is not None:
                outcome, kept = _target_lead(indicator, filled, units), reading.target_leads
            elif matcher is None:
                outcome, kept = "kế hoạch chưa có danh mục nhiệm vụ", reading.assignments
            else:
                outcome = _assignment(raw, table, filled, matcher, units, plan_date)
                kept = reading.assignments
            if isinstance(outcome, str):
                refuse(ws.title, raw.row, where + outcome + ".", raw.raw)
                continue
            outcome.update(
                {
                    "source_file": source_file,
                    "source_sheet": ws.title,
                    "source_cell": f"{_letter(table.col('lead'))}{raw.row}",
                    "_row": raw.row,
                    "_raw": raw.raw,
                }
            )
            for note in outcome.pop("_notes", []):
                reading.flag("unknown_partner", f"trang “{ws.title}” dòng {raw.row}: {note}")
            kept.append(outcome)
    if not reading.sheets:
        reading.rejected = (
            "không tìm thấy bảng phân công (cần các cột “Mã nhiệm vụ” hoặc “Nội dung nhiệm vụ”, "
            "“Đơn vị chủ trì” và “Thời hạn”)"
        )
        refuse("", "", f"Tệp {source_file}: {reading.rejected}", "")
    return reading


def _letter(column: int | None) -> str:
    return get_column_letter(column) if column else ""


def _indicator_named(filled: dict, indicators: IndicatorMatcher | None):
    """The indicator a register row names by its code or exact name, if it names one."""
    if indicators is None:
        return None
    code = filled.get("code")
    if isinstance(code, str) and code.strip():
        return indicators.by_code(code)
    text = inert_text(filled.get("text"))
    if not text or code not in (None, ""):
        return None
    match = indicators.match(text)
    return match.indicator if match.how in ("code", "name") else None


def _lead_of(filled: dict, units: ReportingUnits) -> tuple[str, str, list[str], list[str]]:
    """(lead unit code, coordinators, problems, notes) of a register row.

    Coordinators are unit codes, and groups ("Các phòng, ban") or names that are no unit
    as written; an unknown coordinator is a note for the analyst, never a lost row."""
    problems = []
    lead_text = inert_text(filled.get("lead"))
    named = _names(lead_text, units)
    lead = list(dict.fromkeys(n.unit.code for n in named if n.unit is not None))
    groups = [n.text for n in named if n.group]
    unknown = [n.text for n in named if not n.known]
    if not lead_text:
        problems.append("thiếu đơn vị chủ trì")
    elif groups:
        problems.append(
            f"đơn vị chủ trì là một đơn vị, không phải nhóm (“{'; '.join(groups)}”); ghi nhóm "
            "ở cột phối hợp"
        )
    elif unknown:
        problems.append(_unknown(unknown, units, "đơn vị chủ trì"))
    elif len(lead) > 1:
        problems.append(
            "mỗi nhiệm vụ, chỉ tiêu chỉ có một đơn vị chủ trì; ghi các đơn vị khác ở cột phối hợp"
        )
    first = lead[0] if lead else ""
    partners, notes = [], []
    for name in _names(inert_text(filled.get("coordinators")), units):
        shown = name.unit.code if name.unit is not None else name.text
        if shown != first and shown not in partners:
            partners.append(shown)
        if not name.known:
            notes.append(f"“{name.text}”{_hint(name.text, units)}")
    return first, "; ".join(partners), problems, notes


def _hint(name: str, units: ReportingUnits) -> str:
    near = nearest_units(name, units)
    return f" (gần nhất: {', '.join(near)})" if near else ""


def _unknown(names: list[str], units: ReportingUnits, what: str) -> str:
    hint = _hint(names[0], units)
    return f"{what} “{'; '.join(names)}” không có trong danh sách đơn vị{hint}"


def _target_lead(indicator, filled: dict, units: ReportingUnits) -> dict | str:
    lead, coordinators, problems, _notes = _lead_of(filled, units)
    if problems:
        return f"chỉ tiêu “{indicator.name_vi}”: " + "; ".join(problems)
    return {"indicator_id": indicator.id, "lead_unit": lead, "coordinators": coordinators}


def _assignment(
    raw, table, filled: dict, matcher: TaskMatcher, units: ReportingUnits, plan_date=None
):
    """One register row as an assignment dict, or the Vietnamese reason it cannot be one."""
    text = inert_text(filled.get("text"))
    match = matcher.resolve(filled.get("code"), text)
    problems = [match.problem] if match.problem else []
    lead, coordinators, unit_problems, notes = _lead_of(filled, units)
    problems += unit_problems
    try:
        deadline = parse_deadline(filled.get("deadline"))
    except DeadlineError as error:
        problems.append(str(error))
        deadline = None
    if deadline is not None:
        written = deadline.text or inert_text(filled.get("deadline"))
        early = before_plan(deadline.due, plan_date, "thời hạn", written)
        problems += [early] if early else []
    if problems:
        return "; ".join(problems)
    return {
        "task_id": match.task_id,
        "lead_unit": lead,
        "coordinators": coordinators,
        "deadline": deadline.iso,
        "recurring": deadline.recurring,
        "deadline_text": deadline.text,
        "product": inert_text(filled.get("product")),
        "_notes": notes,
    }


def read_registers(
    raw_dir: Path,
    catalogue: TaskCatalogue | None,
    units: ReportingUnits,
    indicators: IndicatorMatcher | None = None,
    *,
    plan_date: date | None,
) -> tuple[list[FileReading], list[dict]]:
    """(one reading per register file, the assignments that survive the duplicate check).
    The plan's own assignment tables come first, as one more reading
    (:mod:`nq57lib.collect.plan_assignments`); the register supersedes them task by task.
    ``plan_date`` is the plan's (``ward.yaml``'s ``plan.date``): no deadline is before it;
    None compares no date with it."""
    readings = [
        _refused(entry)
        if entry.problem
        else read_register(entry.path, entry.name, catalogue, units, indicators, plan_date)
        for entry in register_files(raw_dir)
    ]
    if catalogue is not None:
        registered = {a["task_id"] for reading in readings for a in reading.assignments}
        plan = plan_reading(catalogue, units, registered)
        readings = [plan, *readings] if plan is not None else readings
    rows = [a for reading in readings for a in reading.assignments]
    refused = check_register_duplicates(rows)
    return readings, [row for n, row in enumerate(rows) if n not in refused]


def _refused(entry: Entry) -> FileReading:
    reading = FileReading(source_file=entry.name, label=REGISTER_LABEL)
    reading.rejected = entry.problem
    reading.quarantine("", "", f"“{entry.name}” không được đọc: {entry.problem}.", "")
    return reading


def effective_leads(assignments: list[dict], catalogue: TaskCatalogue) -> dict[str, str]:
    """Lead unit of every task an assignment covers: assigned tasks and their activities."""
    own = {a["task_id"]: a["lead_unit"] for a in assignments}
    leads = {}
    for task_id in catalogue.tasks["task_id"]:
        through = catalogue.assigned_through(task_id, own.keys())
        if through is not None:
            leads[task_id] = own[through]
    return leads


def current_assignments(
    raw_dir: Path, units: ReportingUnits, plan_path: Path | str, plan_date: date | None
) -> tuple[TaskCatalogue | None, pd.DataFrame]:
    """(task catalogue, the register's accepted assignments) as cleaning would read them now.

    The catalogue is None when the plan has no tasks section; the frame is then empty.
    """
    try:
        catalogue = build_task_catalogue(plan_path)
    except NoTasksError:
        return None, pd.DataFrame(columns=list(ASSIGNMENT_COLUMNS))
    _readings, kept = read_registers(raw_dir, catalogue, units, plan_date=plan_date)
    return catalogue, pd.DataFrame(
        [{c: row.get(c, "") for c in ASSIGNMENT_COLUMNS} for row in kept],
        columns=list(ASSIGNMENT_COLUMNS),
    )
