"""Feedback to the units: one workbook per unit saying what to fix, what it owes, what counted.

``nq57 feedback --period P --out DIR`` writes ``<unit>-phan-hoi-<P>.xlsx`` for every
reporting unit, from the period's cleaned and compared tables (the briefing's own
:class:`~nq57lib.report.data.BriefingData`, so the unit reads what the report counts):

- "Tóm tắt": the files received (and when they were saved), the counts, what to do;
- "Cần sửa": every row of the unit's files in ``quarantine.csv`` — file, sheet, row, what
  was written and the reason, which says how to fix it — and every figure nq57 read other
  than as written (to confirm);
- "Còn thiếu": the indicators the unit still owes a valid figure for, and the tasks it
  leads without a report this period;
- "Đã tiếp nhận": every figure and task report accepted, with its cell.

A quarantined row lands in exactly one workbook: its file's unit's. Rows of the assignment
register go to ``phan-cong-nhiem-vu-phan-hoi-<P>.xlsx`` (for whoever keeps the register),
rows of a file no unit could be recognised in to ``chua-ro-don-vi-phan-hoi-<P>.xlsx``.
Every workbook is made before any is written, and each is written atomically: a failure
leaves the folder's earlier feedback as it was, and nothing else in it is touched.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from nq57lib.collect.resent import saved_text
from nq57lib.core import config
from nq57lib.core.atomic import atomic_path
from nq57lib.core.fmt import fmt_date, fmt_value, is_missing
from nq57lib.core.schema import ANALYST_NOTE_PREFIX, NOTE_SEPARATOR
from nq57lib.core.vocab import TASK_STATE_LABELS_VI, capital
from nq57lib.core.workbooks import WRAP, fill_table, put
from nq57lib.report.data import BriefingData
from nq57lib.report.leader import owing

SUMMARY, FIX, OWED, ACCEPTED = "Tóm tắt", "Cần sửa", "Còn thiếu", "Đã tiếp nhận"
REGISTER = "phan-cong-nhiem-vu"
UNKNOWN = "chua-ro-don-vi"
FIX_HEADER = ("Tệp", "Trang", "Dòng", "Nội dung đã ghi", "Lý do và cách sửa")
_ILLUSTRATIVE_NOTE = ANALYST_NOTE_PREFIX + config.ILLUSTRATIVE_LABEL


@dataclass(frozen=True)
class Feedback:
    """One unit's feedback: its name, the file stem, and the rows of each sheet."""

    stem: str
    name: str
    files: list[tuple[str, str]]  # (file, saved time as printed)
    fix: list[list[object]]
    owed: list[list[object]]
    accepted: list[list[object]]
    unit: bool = True  # a reporting unit's (not the register's or the unknown files')


def _analyst_notes(note: object) -> str:
    """nq57's own words on how it read a figure (not the unit's note, not the label)."""
    if is_missing(note):
        return ""
    parts = [p for p in str(note).split(NOTE_SEPARATOR) if p.startswith(ANALYST_NOTE_PREFIX)]
    return "; ".join(p[len(ANALYST_NOTE_PREFIX) :] for p in parts if p != _ILLUSTRATIVE_NOTE)


def _quarantined(data: BriefingData, files: set[str]) -> list[list[object]]:
    rows = data.quarantine[data.quarantine["source_file"].isin(files)]
    return [
        [r.source_file, r.source_sheet, "" if is_missing(r.source_row) else str(r.source_row),
         "" if is_missing(r.raw) else str(r.raw), str(r.reason)]
        for r in rows.itertuples(index=False)
    ]  # fmt: skip


def _this_period(data: BriefingData, unit: str) -> pd.DataFrame:
    """The unit's figures of the period (the observations hold the earlier periods too)."""
    seen = data.observations
    return seen[(seen["reported_by"] == unit) & (seen["period"].astype(str) == data.period.code)]


def _shown(r) -> str:
    return fmt_value(float(r.value), str(r.unit)) if not is_missing(r.value) else str(r.status)


def _interpreted(data: BriefingData, unit: str) -> list[list[object]]:
    mine = _this_period(data, unit)
    rows = []
    for r in mine.itertuples(index=False):
        said = _analyst_notes(r.note)
        if said:
            name = data.indicator_names.get(r.indicator_id, r.indicator_id)
            rows.append([r.source_file, r.source_sheet, r.source_cell, f"{name}: {_shown(r)}",
                         f"Đã tiếp nhận, hệ thống hiểu là: {said}. Đề nghị kiểm tra lại; nếu "
                         "chưa đúng, sửa và gửi lại."])  # fmt: skip
    return rows


def _owed(data: BriefingData, owes: pd.DataFrame, unit: str, name: str) -> list[list[object]]:
    rows = []
    mine = owes[owes["unit_name"] == name]
    for ids in mine["missing"]:
        for indicator in ids:
            rows.append(["Chỉ tiêu", indicator, data.indicator_names.get(indicator, indicator),
                         "Chưa có số liệu hợp lệ trong kỳ."])  # fmt: skip
    tasks = data.task_status
    if len(tasks):
        silent = tasks[(tasks["lead_unit"] == unit) & ((tasks["status"] == "no_report") | (
            tasks["stale"].astype(str) == "True"))]  # fmt: skip
        for r in silent.itertuples(index=False):
            why = "Chưa báo cáo tình trạng." if r.status == "no_report" else (
                "Kỳ này chưa báo cáo; đang giữ tình trạng báo cáo kỳ trước.")  # fmt: skip
            rows.append(["Nhiệm vụ", r.task_id, str(r.text), why])
    return rows


def _accepted(data: BriefingData, unit: str) -> list[list[object]]:
    mine = _this_period(data, unit)
    rows = [
        ["Chỉ tiêu", data.indicator_names.get(r.indicator_id, r.indicator_id), _shown(r),
         r.source_file, r.source_sheet, r.source_cell]
        for r in mine.itertuples(index=False)
    ]  # fmt: skip
    reports = data.task_reports
    if len(reports):
        done = reports[(reports["reported_by"] == unit)
                       & (reports["period"].astype(str) == data.period.code)]  # fmt: skip
        for r in done.itertuples(index=False):
            state = TASK_STATE_LABELS_VI.get(r.state, r.state)
            if not is_missing(r.completed_on) and str(r.completed_on):
                state += f" ({fmt_date(pd.Timestamp(str(r.completed_on)).date())})"
            rows.append(["Nhiệm vụ", r.task_id, state, r.source_file, r.source_sheet,
                         r.source_cell])  # fmt: skip
    return rows


def feedback_sets(data: BriefingData, units: list[tuple[str, str]]) -> list[Feedback]:
    """Every unit's feedback, and the register's and the unknown files' when they have any.

    ``units`` gives (code, name) of each reporting unit, in the units file's order.
    """
    quality = data.quality
    by_unit = {code: set() for code, _ in units}
    saved: dict[str, str] = {}
    register, unknown = set(), set()
    for r in quality.itertuples(index=False):
        file, code = str(r.source_file), "" if is_missing(r.reported_by) else str(r.reported_by)
        stamp = "" if is_missing(getattr(r, "saved_on", "")) else str(r.saved_on)
        saved[file] = saved_text(stamp) if stamp else ""
        if code in by_unit:
            by_unit[code].add(file)
        elif file.startswith("phan-cong/"):
            register.add(file)
        else:
            unknown.add(file)
    # A quarantined file the quality table does not list (it never should) is not lost.
    listed = set().union(*by_unit.values(), register, unknown)
    unknown |= set(data.quarantine["source_file"]) - listed
    owes = owing(data)  # every unit's, once
    found = []
    for code, name in units:
        files = by_unit[code]
        found.append(Feedback(
            code.replace("_", "-"), name, [(f, saved.get(f, "")) for f in sorted(files)],
            _quarantined(data, files) + _interpreted(data, code), _owed(data, owes, code, name),
            _accepted(data, code)))  # fmt: skip
    for stem, name, files in ((REGISTER, "Bảng phân công nhiệm vụ", register),
                              (UNKNOWN, "Tệp chưa xác định được đơn vị gửi", unknown)):  # fmt: skip
        fix = _quarantined(data, files)
        if fix:
            found.append(Feedback(stem, name, [(f, saved.get(f, "")) for f in sorted(files)],
                                  fix, [], [], unit=False))  # fmt: skip
    return found


def _summary(ws, one: Feedback, data: BriefingData) -> None:
    period = data.period
    lines = [
        f"PHẢN HỒI SỐ LIỆU BÁO CÁO {period.label_vi.upper()}",
        f"Đơn vị: {one.name}" if one.unit else one.name,
        f"{capital(data.profile.ward)}, Kế hoạch số "
        f"{data.profile.plan_number}",
        "",
        "Tệp đã nhận: " + ("; ".join(f"{f} (lưu lúc {s})" if s else f for f, s in one.files)
                           or "chưa nhận được tệp nào"),
        *([f"Số liệu, báo cáo đã tiếp nhận: {len(one.accepted)} (trang “{ACCEPTED}”)."]
          if one.unit else []),
        f"Dòng cần sửa hoặc kiểm tra: {len(one.fix)} (trang “{FIX}”).",
        *([f"Chỉ tiêu, nhiệm vụ còn thiếu: {len(one.owed)} (trang “{OWED}”)."]
          if one.unit else []),
        "",
        "Đề nghị đơn vị sửa các dòng ở trang “Cần sửa”, bổ sung các mục ở trang “Còn thiếu” "
        "và gửi lại tệp với tên mới (ví dụ thêm “-gui-lai”); bản gửi lại được dùng thay bản "
        "trước ở những chỉ tiêu, nhiệm vụ hai bản cùng báo cáo.",
    ]  # fmt: skip
    if data.illustrative:
        lines.insert(0, config.ILLUSTRATIVE_WARNING)
    for row, text in enumerate(lines, 1):
        cell = put(ws, row, 1, text)
        cell.alignment = WRAP
        if row <= 2 + data.illustrative:
            cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 110


def _workbook(one: Feedback, data: BriefingData) -> bytes:
    workbook = Workbook()
    _summary(workbook.active, one, data)
    workbook.active.title = SUMMARY
    fill_table(workbook.create_sheet(FIX), FIX_HEADER, one.fix, [28, 16, 8, 40, 90])
    if one.unit:  # the register's and the unknown files' feedback hold only what to fix
        fill_table(workbook.create_sheet(OWED), ["Loại", "Mã", "Nội dung", "Ghi chú"],
                   one.owed, [10, 12, 70, 45])  # fmt: skip
        fill_table(workbook.create_sheet(ACCEPTED),
                   ["Loại", "Chỉ tiêu, nhiệm vụ", "Giá trị, tình trạng", "Tệp", "Trang", "Ô"],
                   one.accepted, [10, 60, 22, 28, 16, 8])  # fmt: skip
    for name, column in ((FIX, 5), (OWED, 3), (ACCEPTED, 2)):
        if name not in workbook.sheetnames:
            continue
        ws = workbook[name]
        for row in range(2, ws.max_row + 1):
            ws.cell(row=row, column=column).alignment = WRAP
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_feedback(data: BriefingData, units: list[tuple[str, str]], out: Path | str) -> list[Path]:
    """Write every unit's feedback workbook into the folder ``out``; their paths."""
    out = Path(out)
    made = {
        out / f"{one.stem}-phan-hoi-{data.period.code}.xlsx": _workbook(one, data)
        for one in feedback_sets(data, units)
    }
    out.mkdir(parents=True, exist_ok=True)
    for path, content in made.items():
        with atomic_path(path) as tmp:
            tmp.write_bytes(content)
    return list(made)
