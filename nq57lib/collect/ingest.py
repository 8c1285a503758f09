"""Clean one period's unit workbooks into observations, task reports and their companions.

Every workbook under ``<raw_dir>/<period>/`` is read; each accepted number or task report
keeps its file, sheet and cell, each rejected row goes to the quarantine with a Vietnamese
reason, and a file that cannot be read is quarantined whole while the rest of the run goes
on. The assignment register (``<raw_dir>/phan-cong/``) is read with every period, so
that a task report can be attributed to the task's lead unit. ``raw_dir`` is only ever read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl.utils import get_column_letter

from nq57lib.collect.assignments import effective_leads, read_registers
from nq57lib.collect.checks import check_period_stated
from nq57lib.collect.entries import Entry, period_entries
from nq57lib.collect.frames import CleanResult, FileReading, build_frames, listed, shorten
from nq57lib.collect.matching import IndicatorMatcher
from nq57lib.collect.numbers import NumberTextError, parse_cell_number
from nq57lib.collect.readings import (
    NOTE_CHARS,
    FormulaCells,
    identify,
    inert_text,
    quoted,
    read_row,
    unread_formulas,
)
from nq57lib.collect.resent import local_saved
from nq57lib.collect.tables import (
    READ_COLUMNS,
    RawRow,
    Table,
    find_table,
    hidden_columns,
    iter_rows,
)
from nq57lib.collect.task_matching import TaskMatcher
from nq57lib.collect.task_reports import find_task_table, read_task_row
from nq57lib.collect.units import ReportingUnits, load_reporting_units, project_indicators
from nq57lib.collect.workbook import open_checked
from nq57lib.core import config
from nq57lib.core.atomic import utf8_safe_frame, write_csv_atomic
from nq57lib.core.errors import InputMissingError, NoTasksError, WorkbookError
from nq57lib.core.fmt import fmt_number
from nq57lib.core.periods import Period, find_periods
from nq57lib.core.processed import ILLUSTRATIVE_MARKER
from nq57lib.core.project import Project
from nq57lib.core.schema import ANALYST_NOTE_PREFIX, NOTE_SEPARATOR
from nq57lib.core.sets import processed_set
from nq57lib.core.textnorm import fold
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
    "year_to_date",
)


@dataclass(frozen=True)
class _Context:
    """What reading one period's files needs, built once per period."""

    period: Period
    matcher: IndicatorMatcher
    units: ReportingUnits
    tasks: TaskMatcher | None
    leads: dict[str, str]
    plan_date: date | None = None  # completion dates before it are implausible


def _submitted(folder: Path, raw_dir: Path) -> list[Entry]:
    """Every entry of the period folder, in a stable order: the files to read and those
    refused with their reason. The analyst's narrative file is the report's, not a unit's."""
    return period_entries(folder, raw_dir)


def _refused(entry: Entry, ctx: _Context) -> FileReading:
    """An entry that is not a readable file (a FIFO, a broken link …): one quarantine line."""
    reading = FileReading(source_file=entry.name)
    reading.unit = ctx.units.find_in_filename(Path(entry.name).name)
    reading.rejected = entry.problem
    reading.quarantine("", "", f"“{entry.name}” không được đọc: {entry.problem}.", "")
    return reading


_INDICATOR_TABLE = (
    "cần một dòng tiêu đề có cột “Mã/Tên chỉ tiêu” và cột “Giá trị/Kết quả/Số lượng” "
    "hoặc “Trạng thái”"
)
_TASK_TABLE = "cột “Mã/Nội dung nhiệm vụ” và “Tình trạng”"


def read_workbook(path: Path, source_file: str, ctx: _Context) -> FileReading:
    """Read one file; a file that cannot be opened becomes one quarantine entry."""
    reading = FileReading(source_file=source_file)
    reading.unit = ctx.units.find_in_filename(Path(source_file).name)
    try:
        checked = open_checked(path)
    except WorkbookError as error:
        reading.rejected = error.reason
        reading.quarantine("", "", f"Tệp {source_file} không đọc được: {error.reason}", "")
        return reading
    reading.saved_on = local_saved(checked.saved)
    formulas = {title: FormulaCells(cells) for title, cells in checked.formulas.items()}
    tables: list[tuple[object, Table, str]] = []
    skipped = []
    stated: list[Period] = []
    titled_unit = None
    for ws in checked.workbook.worksheets:
        table, kind = find_task_table(ws), "tasks"
        if table is None:
            table, kind = find_table(ws, ctx.period), "indicators"
        if table is None:
            if "huong dan" not in fold(ws.title):  # the template's guide: no data
                skipped.append(ws)
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
            f"không tìm thấy bảng chỉ tiêu ({_INDICATOR_TABLE}) hay bảng nhiệm vụ ({_TASK_TABLE}); "
            "đề nghị đơn vị dùng biểu mẫu của kỳ"
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
        sheet_formulas = formulas.get(ws.title)
        if kind == "tasks":
            _read_task_sheet(reading, ws, table, ctx, sheet_formulas, period_problems)
        else:
            _read_indicator_sheet(reading, ws, table, ctx, sheet_formulas, period_problems)
    refused = [(ws.title, _refuse_sheet(reading, ws, formulas.get(ws.title))) for ws in skipped]
    _say_refused_sheets(reading, [(title, n) for title, n in refused if n])
    if period_problems:
        reading.messages.append(period_problems[0])
    return reading


def _refuse_sheet(reading: FileReading, ws, formulas: FormulaCells | None) -> int:
    """A sheet with no table nq57 can read: every row holding something is quarantined,
    so that no figure on it goes unaccounted for."""
    width = min(ws.max_column or 0, READ_COLUMNS)
    refused = 0
    for cells in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=width):
        shown = [inert_text(c.value) for c in cells if inert_text(c.value)]
        row = cells[0].row if cells else 0
        if not shown and formulas is not None and row in formulas.rows:
            shown = [f for _column, f in sorted(formulas.rows[row].items())]
        if not shown:
            continue
        refused += 1
        reading.quarantine(
            ws.title,
            row,
            f"Trang “{ws.title}”, dòng {row}: trang không có bảng chỉ tiêu hay nhiệm vụ nhận ra "
            "được nên dòng này không được đọc; nếu đây là số liệu, chép vào biểu mẫu của kỳ.",
            " | ".join(shown),
        )
    return refused


def _say_refused_sheets(reading: FileReading, refused: list[tuple[str, int]]) -> None:
    """One message for every sheet without a table: a workbook of 199 such sheets gets a
    count and the first names, not 199 sentences."""
    if not refused:
        return
    rows = sum(n for _title, n in refused)
    why = f"({_INDICATOR_TABLE}; bảng nhiệm vụ: {_TASK_TABLE})"
    if len(refused) == 1:
        reading.messages.append(
            f"trang “{refused[0][0]}” không có bảng chỉ tiêu hay nhiệm vụ nhận ra được {why}; "
            f"{rows} dòng của trang đã đưa vào danh sách cách ly"
        )
        return
    names = listed([f"“{title}”" for title, _n in refused], "trang", ", ")
    reading.messages.append(
        f"{len(refused)} trang không có bảng chỉ tiêu hay nhiệm vụ nhận ra được ({names}) "
        f"{why}; {rows} dòng của các trang này đã đưa vào danh sách cách ly"
    )


def _notes(reading: FileReading, *parts: str) -> str:
    kept = [p for p in parts if p]
    if reading.illustrative:
        # The label travels with each row, so it survives any later merge of tables.
        kept.append(ILLUSTRATIVE_MARKER)
    return NOTE_SEPARATOR.join(kept)


def _has_formula(formulas: FormulaCells | None, row: int) -> bool:
    return formulas is not None and row in formulas.rows


def _note_hidden(reading: FileReading, ws, table: Table, raw: RawRow) -> None:
    if raw.hidden and raw.cells:
        reading.flag("hidden_row", f"trang “{ws.title}” dòng {raw.row}")


def _note_hidden_columns(reading: FileReading, ws, table: Table) -> None:
    """Hidden columns of the table (read like the others) go to the file's quality line."""
    columns = set(table.headings) | set(table.columns.values())
    for column in sorted(hidden_columns(ws) & columns):
        reading.flag("hidden_column", f"trang “{ws.title}” cột {get_column_letter(column)}")


def _read_indicator_sheet(reading, ws, table, ctx, sheet_formulas, period_problems) -> None:
    _note_hidden_columns(reading, ws, table)
    for raw in iter_rows(ws, table):
        _note_hidden(reading, ws, table, raw)
        if not raw.cells and not _has_formula(sheet_formulas, raw.row):
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
        for kind, place in c.flags:
            reading.flag(kind, f"trang “{ws.title}” {place}")
        if raw.hidden:
            c.notes.append(f"dòng {raw.row} đang ẩn trong tệp, vẫn được đọc")
        _keep_year_to_date(reading, ws, table, raw, c, ctx)
        evidence = shorten(inert_text(raw.cells.get(table.col("evidence") or 0)), NOTE_CHARS)
        note = _notes(
            reading,
            shorten(inert_text(raw.cells.get(table.col("note") or 0)), NOTE_CHARS),
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


def _keep_year_to_date(reading, ws, table, raw, c, ctx) -> None:
    """The unit's own year-to-date figure of the row, kept for the comparison's check of
    the sum of the periods; never read as the figure and never dropped without a word."""
    column = table.col("year_to_date")
    value = raw.cells.get(column or 0)
    if column is None or value is None or str(value).strip() == "":
        return
    cell = f"{get_column_letter(column)}{raw.row}"
    try:
        parsed = parse_cell_number(value)
    except NumberTextError:
        parsed = None
    total = parsed.value if parsed is not None else None
    if total is None:
        shown = quoted(str(value))
        c.notes.append(f"ô {cell}: số lũy kế “{shown}” không đọc được, không đối chiếu")
        return
    if c.indicator.kind != "flow":
        c.notes.append(
            f"ô {cell}: số lũy kế {fmt_number(total, 2)} không dùng (chỉ tiêu tính tại thời "
            "điểm báo cáo, không cộng dồn)"
        )
        return
    reading.year_to_date.append(
        {
            "period": ctx.period.code,
            "indicator_id": c.indicator.id,
            "reported_by": reading.unit.code if reading.unit else "",
            "value": total,
            "source_file": reading.source_file,
            "source_sheet": ws.title,
            "source_cell": cell,
        }
    )


def _keep_remark(reading, ws, table, raw, ctx) -> None:
    """A blank value with a note beside it: the unit's reason, kept for the briefing."""
    column = table.col("note")
    note = shorten(inert_text(raw.cells.get(column or 0)), NOTE_CHARS)
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


def _read_task_sheet(reading, ws, table, ctx, sheet_formulas, period_problems) -> None:
    unit = reading.unit.code if reading.unit else None
    labels = [table.col("code"), table.col("text")]
    data = [c for role, c in table.columns.items() if role not in ("code", "text")]
    _note_hidden_columns(reading, ws, table)
    for raw in iter_rows(ws, table):
        _note_hidden(reading, ws, table, raw)
        uncached = unread_formulas(sheet_formulas, raw, data, labels)
        if not raw.cells and not uncached:
            reading.blank += 1
            continue
        if uncached:
            # The row's words or state are a formula without its result: nothing to guess.
            outcome: dict | list[str] | None = uncached
        elif ctx.tasks is None:
            outcome = ["kế hoạch chưa có danh mục nhiệm vụ"]
        else:
            outcome = read_task_row(
                raw, table, ctx.period, ctx.tasks, unit, ctx.leads, ctx.plan_date
            )
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


def _task_catalogue(plan_path: Path) -> TaskCatalogue | None:
    try:
        return build_task_catalogue(plan_path)
    except NoTasksError:
        return None  # a plan without a tasks section: task sheets are refused, row by row


def read_period(
    project: Project,
    period: str | Period,
    registry: Registry | None = None,
    units: ReportingUnits | None = None,
) -> CleanResult:
    """Read and validate one period of ``project`` without writing anything (``output_dir``
    is None). ``registry`` and ``units`` default to the project's."""
    period = Period.parse(period)
    raw_dir = project.raw_dir
    plan_path = project.plan_path
    folder = raw_dir / period.code
    if not folder.is_dir():
        raise InputMissingError(
            folder,
            f"chưa có thư mục số liệu của kỳ {period.code}; tạo thư mục {folder} "
            "và đặt các tệp Excel của các đơn vị vào đó (hoặc kiểm tra --raw-dir/--period)",
        )
    # The plan's provisional indicators (new:…) are read from the workbooks too.
    if registry is None:
        registry, own_units = project_indicators(project)
        units = units or own_units
    units = units or load_reporting_units(project.units_path, registry)
    catalogue = _task_catalogue(plan_path)
    # Leads come from the rows that will be kept: a task assigned twice differently has none.
    matcher = IndicatorMatcher(registry)
    plan_date = project.profile.plan_date
    registers, assigned = read_registers(raw_dir, catalogue, units, matcher, plan_date=plan_date)
    ctx = _Context(
        plan_date=plan_date,
        period=period,
        matcher=matcher,
        units=units,
        tasks=TaskMatcher(catalogue.tasks) if catalogue is not None else None,
        leads=effective_leads(assigned, catalogue) if catalogue is not None else {},
    )
    readings = [
        _refused(entry, ctx) if entry.problem else read_workbook(entry.path, entry.name, ctx)
        for entry in _submitted(folder, raw_dir)
    ]
    frames = build_frames(registers + readings, units, project.profile.calendar.units_due(period))
    return CleanResult(period=period, output_dir=None, **frames)


def clean_period(
    project: Project, period: str | Period, registry: Registry | None = None
) -> CleanResult:
    """Read, validate and write the period's tables under ``<processed_dir>/<period>/``.

    Files: the :data:`PROCESSED_FILES` as CSV, written as one set: the period's folder is
    replaced whole, the last comparison's files carried over
    (:func:`nq57lib.core.sets.processed_set`), so a reader never finds new observations
    beside an old quarantine. The folders are ``project``'s.
    """
    result = read_period(project, period, registry)
    out = project.processed_dir / result.period.code
    with processed_set(out, replaces=[f"{name}.csv" for name in PROCESSED_FILES]) as staging:
        for name in PROCESSED_FILES:
            # A workbook named with bytes that are not UTF-8 gives text no UTF-8 file can
            # hold: its name is written (and shown) with those bytes escaped.
            setattr(result, name, utf8_safe_frame(getattr(result, name)))
            write_csv_atomic(getattr(result, name), staging / f"{name}.csv")
    result.output_dir = out
    return result
