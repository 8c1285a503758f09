"""Clean one period's unit workbooks into observations, task reports and their companions.

Every workbook under ``<raw_dir>/<period>/`` is read; each accepted number or task report
keeps its file, sheet and cell, each rejected row goes to the quarantine with a Vietnamese
reason, and a file that cannot be read is quarantined whole while the rest of the run goes
on. The assignment register (``<raw_dir>/phan-cong/``) is read with every period, so
that a task report can be attributed to the task's lead unit. ``raw_dir`` is only ever read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter

from nq57lib.collect.assignments import (
    check_register_duplicates,
    effective_leads,
    read_registers,
)
from nq57lib.collect.checks import check_period_stated
from nq57lib.collect.frames import CleanResult, FileReading, build_frames
from nq57lib.collect.matching import IndicatorMatcher
from nq57lib.collect.readings import FormulaCells, identify, inert_text, read_row
from nq57lib.collect.tables import Table, find_table, iter_rows
from nq57lib.collect.task_matching import TaskMatcher
from nq57lib.collect.task_reports import check_task_duplicates, find_task_table, read_task_row
from nq57lib.collect.units import ReportingUnits, load_reporting_units
from nq57lib.collect.workbook import has_formulas, open_workbook
from nq57lib.core import config
from nq57lib.core.atomic import write_csv_atomic
from nq57lib.core.errors import InputMissingError, PlanParseError, WorkbookError
from nq57lib.core.periods import Period, find_periods
from nq57lib.core.processed import ILLUSTRATIVE_MARKER
from nq57lib.core.schema import ANALYST_NOTE_PREFIX, NOTE_SEPARATOR
from nq57lib.core.textnorm import fold
from nq57lib.plan.catalogue import plan_registry
from nq57lib.plan.registry import Registry
from nq57lib.plan.tasks import TaskCatalogue, build_task_catalogue

_ILLUSTRATIVE = fold(config.ILLUSTRATIVE_LABEL)
PROCESSED_FILES = (
    "observations",
    "quarantine",
    "quality",
    "submissions",
    "assignments",
    "target_leads",
    "task_reports",
    "remarks",
)


@dataclass(frozen=True)
class _Context:
    """What reading one period's files needs, built once per period."""

    period: Period
    matcher: IndicatorMatcher
    units: ReportingUnits
    tasks: TaskMatcher | None
    leads: dict[str, str]


def _workbook_files(folder: Path) -> list[Path]:
    """Every submitted file, in a stable order; hidden files, Excel lock files and the
    analyst's narrative file are skipped."""
    return sorted(
        (
            p
            for p in folder.rglob("*")
            if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(folder).parts)
            and not p.name.startswith("~$")
            and p.name != config.NARRATIVE_FILE  # the analyst's text, read by the report
        ),
        key=lambda p: p.relative_to(folder).as_posix(),
    )


def _formula_cells(path: Path) -> dict[str, FormulaCells]:
    if not has_formulas(path):
        return {}
    workbook = open_workbook(path, data_only=False)
    found: dict[str, FormulaCells] = {}
    for ws in workbook.worksheets:
        cells = {
            (c.row, c.column): c.value
            for row in ws.iter_rows()
            for c in row
            if c.data_type == "f" and isinstance(c.value, str)
        }
        found[ws.title] = FormulaCells(cells)
    return found


def read_workbook(path: Path, source_file: str, ctx: _Context) -> FileReading:
    """Read one file; a file that cannot be opened becomes one quarantine entry."""
    reading = FileReading(source_file=source_file)
    reading.unit = ctx.units.find_in_filename(path.name)
    try:
        workbook = open_workbook(path)
        formulas = _formula_cells(path)
    except WorkbookError as error:
        reading.rejected = error.reason
        reading.quarantine("", "", f"Tệp {source_file} không đọc được: {error.reason}", "")
        return reading
    tables: list[tuple[object, Table, str]] = []
    stated: list[Period] = []
    titled_unit = None
    for ws in workbook.worksheets:
        table, kind = find_task_table(ws), "tasks"
        if table is None:
            table, kind = find_table(ws, ctx.period), "indicators"
        if table is None:
            if ws.max_row > 1 and "huong dan" not in fold(ws.title):
                reading.messages.append(
                    f"trang “{ws.title}” không có bảng chỉ tiêu hay nhiệm vụ nhận ra được — bỏ qua"
                )
            continue
        tables.append((ws, table, kind))
        for text in table.title_texts:
            key = fold(text)
            stated.extend(
                p for p in find_periods(text, include_years="ky bao cao" in key) if p not in stated
            )
            reading.illustrative |= _ILLUSTRATIVE in key
            titled_unit = titled_unit or ctx.units.find_in_text(text)
    reading.unit = titled_unit or reading.unit
    if not tables:
        reading.rejected = (
            "không tìm thấy bảng chỉ tiêu (cần một dòng tiêu đề có cột “Mã/Tên chỉ tiêu” và cột "
            "“Giá trị/Kết quả” hoặc “Trạng thái”) hay bảng nhiệm vụ (cột “Mã/Nội dung nhiệm vụ” "
            "và “Tình trạng”); đề nghị đơn vị dùng biểu mẫu của kỳ"
        )
        reading.quarantine("", "", f"Tệp {source_file}: {reading.rejected}", "")
        return reading
    period_problems = check_period_stated(stated, ctx.period)
    if reading.unit is None:
        reading.messages.append(
            "không xác định được đơn vị gửi; ghi tên đơn vị ở dòng tiêu đề "
            "hoặc đặt tên tệp theo mã đơn vị (vd. cong-an.xlsx)"
        )
    for ws, table, kind in tables:
        reading.sheets.append(ws.title)
        if kind == "tasks":
            _read_task_sheet(reading, ws, table, ctx, period_problems)
        else:
            sheet_formulas = formulas.get(ws.title) if formulas else None
            _read_indicator_sheet(reading, ws, table, ctx, sheet_formulas, period_problems)
    if period_problems:
        reading.messages.append(period_problems[0])
    return reading


def _notes(reading: FileReading, *parts: str) -> str:
    kept = [p for p in parts if p]
    if reading.illustrative:
        # The label travels with each row, so it survives any later merge of tables.
        kept.append(ILLUSTRATIVE_MARKER)
    return NOTE_SEPARATOR.join(kept)


def _read_indicator_sheet(reading, ws, table, ctx, sheet_formulas, period_problems) -> None:
    for raw in iter_rows(ws, table):
        if not raw.cells:
            reading.blank += 1
            continue
        outcome = read_row(raw, table, ctx.matcher, sheet_formulas)
        if outcome.blank:
            reading.blank += 1
            _keep_remark(reading, ws, table, raw, ctx)
            continue
        indicator_id = outcome.indicator.id if outcome.indicator else ""
        problems = period_problems + outcome.problems
        if problems:
            where = f"Trang “{ws.title}”, dòng {raw.row}"
            where += f", ô {outcome.cell}: " if outcome.cell else ": "
            reading.quarantine(
                ws.title, raw.row, where + "; ".join(problems) + ".", raw.raw, indicator_id
            )
            continue
        c = outcome.candidate
        evidence = inert_text(raw.cells.get(table.col("evidence") or 0))
        note = _notes(
            reading,
            inert_text(raw.cells.get(table.col("note") or 0)),
            f"Minh chứng: {evidence}" if evidence else "",
            *(f"{ANALYST_NOTE_PREFIX}{n}" for n in c.notes),
        )
        reading.accepted.append(
            {
                "period": ctx.period.code,
                "indicator_id": c.indicator.id,
                "value": c.value,
                "unit": c.indicator.unit,
                "numerator": c.numerator,
                "denominator": c.denominator,
                "status": c.status,
                "reported_by": reading.unit.code if reading.unit else "",
                "source_file": reading.source_file,
                "source_sheet": ws.title,
                "source_cell": c.cell,
                "note": note,
                "_row": raw.row,
                "_raw": raw.raw,
            }
        )


def _keep_remark(reading, ws, table, raw, ctx) -> None:
    """A blank value with a note beside it: the unit's reason, kept for the briefing."""
    column = table.col("note")
    note = inert_text(raw.cells.get(column or 0))
    if not note:
        return
    indicator, _problems, _notes = identify(raw, table, ctx.matcher)
    if indicator is None:
        return
    reading.remarks.append(
        {
            "period": ctx.period.code,
            "indicator_id": indicator.id,
            "reported_by": reading.unit.code if reading.unit else "",
            "note": note,
            "source_file": reading.source_file,
            "source_sheet": ws.title,
            "source_cell": f"{get_column_letter(column)}{raw.row}",
        }
    )


def _read_task_sheet(reading, ws, table, ctx, period_problems) -> None:
    unit = reading.unit.code if reading.unit else None
    for raw in iter_rows(ws, table):
        if not raw.cells:
            reading.blank += 1
            continue
        if ctx.tasks is None:
            outcome: dict | list[str] | None = ["kế hoạch chưa có danh mục nhiệm vụ"]
        else:
            outcome = read_task_row(raw, table, ctx.period, ctx.tasks, unit, ctx.leads)
        if outcome is None:
            reading.blank += 1
            continue
        if isinstance(outcome, list) or period_problems:
            problems = period_problems + (outcome if isinstance(outcome, list) else [])
            reading.quarantine(
                ws.title, raw.row, f"Trang “{ws.title}”, dòng {raw.row}: " + "; ".join(problems)
                + ".", raw.raw
            )  # fmt: skip
            continue
        outcome.update(
            source_file=reading.source_file, note=_notes(reading), _row=raw.row, _raw=raw.raw
        )
        reading.task_reports.append(outcome)


def _task_catalogue(plan_path: Path | str | None) -> TaskCatalogue | None:
    try:
        return build_task_catalogue(plan_path)
    except PlanParseError:
        return None  # a plan without a tasks section: task sheets are refused, row by row


def read_period(
    period: str | Period,
    raw_dir: Path | str | None = None,
    registry: Registry | None = None,
    units: ReportingUnits | None = None,
    plan_path: Path | str | None = None,
) -> CleanResult:
    """Read and validate one period without writing anything (``output_dir`` is None)."""
    period = Period.parse(period)
    raw_dir = Path(raw_dir) if raw_dir else config.DATA_RAW
    folder = raw_dir / period.code
    if not folder.is_dir():
        raise InputMissingError(
            folder,
            f"chưa có thư mục số liệu của kỳ {period.code}; tạo thư mục {folder} "
            "và đặt các tệp Excel của các đơn vị vào đó (hoặc kiểm tra --raw-dir/--period)",
        )
    # The plan's provisional indicators (new:…) are read from the workbooks too.
    registry = registry or plan_registry(plan_path)
    units = units or load_reporting_units(registry=registry)
    catalogue = _task_catalogue(plan_path)
    # Leads come from the rows that will be kept: a task assigned twice differently has none.
    matcher = IndicatorMatcher(registry)
    registers, assigned = read_registers(raw_dir, catalogue, units, matcher)
    ctx = _Context(
        period=period,
        matcher=matcher,
        units=units,
        tasks=TaskMatcher(catalogue.tasks) if catalogue is not None else None,
        leads=effective_leads(assigned, catalogue) if catalogue is not None else {},
    )
    readings = [
        read_workbook(path, path.relative_to(raw_dir).as_posix(), ctx)
        for path in _workbook_files(folder)
    ]
    frames = build_frames(
        registers + readings, units, (check_register_duplicates, check_task_duplicates)
    )
    return CleanResult(period=period, output_dir=None, **frames)


def clean_period(
    period: str | Period,
    raw_dir: Path | str | None = None,
    processed_dir: Path | str | None = None,
    registry: Registry | None = None,
    plan_path: Path | str | None = None,
) -> CleanResult:
    """Read, validate and write the period's tables under ``<processed_dir>/<period>/``.

    Files: observations.csv, quarantine.csv, quality.csv, submissions.csv, assignments.csv
    and task_reports.csv, each written atomically. Paths default to ``config``.
    """
    result = read_period(period, raw_dir, registry, plan_path=plan_path)
    processed_dir = Path(processed_dir) if processed_dir else config.DATA_PROCESSED
    out = processed_dir / result.period.code
    for name in PROCESSED_FILES:
        write_csv_atomic(getattr(result, name), out / f"{name}.csv")
    result.output_dir = out
    return result
