"""Clean one period's unit workbooks into observations, quarantine and quality tables.

Every workbook under ``<raw_dir>/<period>/`` is read; each accepted number keeps
its file, sheet and cell, each rejected row goes to the quarantine with a
Vietnamese reason, and a file that cannot be read is quarantined whole while the
rest of the run goes on. ``raw_dir`` is only ever read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nq57lib.collect.checks import check_duplicates, check_period_stated
from nq57lib.collect.matching import IndicatorMatcher
from nq57lib.collect.readings import FormulaCells, inert_text, read_row
from nq57lib.collect.tables import find_table, iter_rows
from nq57lib.collect.units import ReportingUnit, ReportingUnits, load_reporting_units
from nq57lib.collect.workbook import has_formulas, open_workbook
from nq57lib.core import config
from nq57lib.core.atomic import write_csv_atomic
from nq57lib.core.errors import InputMissingError, WorkbookError
from nq57lib.core.periods import Period, find_periods
from nq57lib.core.processed import ILLUSTRATIVE_MARKER
from nq57lib.core.schema import (
    ANALYST_NOTE_PREFIX,
    NOTE_SEPARATOR,
    OBSERVATION_COLUMNS,
    QUALITY_COLUMNS,
    QUARANTINE_COLUMNS,
    SUBMISSION_COLUMNS,
)
from nq57lib.core.textnorm import fold
from nq57lib.plan.registry import Registry, load_registry

_ILLUSTRATIVE = fold(config.ILLUSTRATIVE_LABEL)


@dataclass
class FileReading:
    """What one file yielded, before cross-file checks."""

    source_file: str
    unit: ReportingUnit | None = None
    accepted: list[dict] = field(default_factory=list)
    quarantined: list[dict] = field(default_factory=list)
    blank: int = 0
    sheets: list[str] = field(default_factory=list)
    illustrative: bool = False
    messages: list[str] = field(default_factory=list)
    rejected: str = ""


@dataclass
class CleanResult:
    period: Period
    observations: pd.DataFrame
    quarantine: pd.DataFrame
    quality: pd.DataFrame
    submissions: pd.DataFrame
    output_dir: Path | None

    @property
    def illustrative(self) -> bool:
        return bool(len(self.quality)) and bool(self.quality["illustrative"].any())

    def summary_text(self) -> str:
        q = self.quality
        rejected = int((q["file_status"] == "rejected").sum()) if len(q) else 0
        lines = [
            f"Kỳ {self.period.label_vi} ({self.period.code}): {len(q)} tệp"
            + (f", trong đó {rejected} tệp không đọc được" if rejected else ""),
            f"  Quan sát hợp lệ: {len(self.observations)}"
            f" · Dòng/tệp cách ly: {len(self.quarantine)}"
            f" · Dòng trống: {int(q['blank'].sum()) if len(q) else 0}",
        ]
        missing = self.submissions[self.submissions["received"] == 0]
        if len(missing):
            lines.append("  Đơn vị chưa có số liệu hợp lệ: " + ", ".join(missing["unit_name"]))
        for row in q[q["message"] != ""].itertuples():
            lines.append(f"  {row.source_file}: {row.message}")
        if self.illustrative:
            lines.append(f"  Lưu ý: dữ liệu mang nhãn “{config.ILLUSTRATIVE_LABEL}”.")
        if self.output_dir is not None:
            lines.append(f"  Kết quả: {self.output_dir}")
        return "\n".join(lines)


def _workbook_files(folder: Path) -> list[Path]:
    """Every submitted file, in a stable order; hidden files and Excel lock files are skipped."""
    return sorted(
        (
            p
            for p in folder.rglob("*")
            if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(folder).parts)
            and not p.name.startswith("~$")
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


def _quarantine(
    reading: FileReading, sheet: str, row: int | str, reason: str, raw: str, indicator_id: str = ""
) -> None:
    reading.quarantined.append(
        {
            "source_file": reading.source_file,
            "source_sheet": sheet,
            "source_row": row,
            "reason": reason,
            "raw": raw,
            "_indicator": indicator_id,
        }
    )


def read_workbook(
    path: Path, source_file: str, period: Period, matcher: IndicatorMatcher, units: ReportingUnits
) -> FileReading:
    """Read one file; a file that cannot be opened becomes one quarantine entry."""
    reading = FileReading(source_file=source_file)
    reading.unit = units.find_in_filename(path.name)
    try:
        workbook = open_workbook(path)
        formulas = _formula_cells(path)
    except WorkbookError as error:
        reading.rejected = error.reason
        _quarantine(reading, "", "", f"Tệp {source_file} không đọc được: {error.reason}", "")
        return reading
    tables = []
    stated: list[Period] = []
    titled_unit = None
    for ws in workbook.worksheets:
        table = find_table(ws, period)
        if table is None:
            if ws.max_row > 1 and "huong dan" not in fold(ws.title):
                reading.messages.append(
                    f"trang “{ws.title}” không có bảng chỉ tiêu nhận ra được — bỏ qua"
                )
            continue
        tables.append((ws, table))
        for text in table.title_texts:
            key = fold(text)
            stated.extend(
                p for p in find_periods(text, include_years="ky bao cao" in key) if p not in stated
            )
            reading.illustrative |= _ILLUSTRATIVE in key
            titled_unit = titled_unit or units.find_in_text(text)
    reading.unit = titled_unit or reading.unit
    if not tables:
        reading.rejected = (
            "không tìm thấy bảng chỉ tiêu (cần một dòng tiêu đề có cột “Mã/Tên chỉ tiêu” và cột "
            "“Giá trị/Kết quả” hoặc “Trạng thái”); đề nghị đơn vị dùng biểu mẫu của kỳ"
        )
        _quarantine(reading, "", "", f"Tệp {source_file}: {reading.rejected}", "")
        return reading
    period_problems = check_period_stated(stated, period)
    if reading.unit is None:
        reading.messages.append(
            "không xác định được đơn vị gửi; ghi tên đơn vị ở dòng tiêu đề "
            "hoặc đặt tên tệp theo mã đơn vị (vd. cong-an.xlsx)"
        )
    for ws, table in tables:
        reading.sheets.append(ws.title)
        sheet_formulas = formulas.get(ws.title) if formulas else None
        for raw in iter_rows(ws, table):
            if not raw.cells:
                reading.blank += 1
                continue
            outcome = read_row(raw, table, matcher, sheet_formulas)
            if outcome.blank:
                reading.blank += 1
                continue
            indicator_id = outcome.indicator.id if outcome.indicator else ""
            problems = period_problems + outcome.problems
            if problems:
                where = f"Trang “{ws.title}”, dòng {raw.row}"
                where += f", ô {outcome.cell}: " if outcome.cell else ": "
                _quarantine(
                    reading,
                    ws.title,
                    raw.row,
                    where + "; ".join(problems) + ".",
                    raw.raw,
                    indicator_id,
                )
                continue
            c = outcome.candidate
            note = inert_text(raw.cells.get(table.col("note") or 0))
            evidence = inert_text(raw.cells.get(table.col("evidence") or 0))
            parts = [note, f"Minh chứng: {evidence}" if evidence else ""]
            parts += [f"{ANALYST_NOTE_PREFIX}{n}" for n in c.notes]
            if reading.illustrative:
                # The label travels with each row, so it survives any later merge of tables.
                parts.append(ILLUSTRATIVE_MARKER)
            reading.accepted.append(
                {
                    "period": period.code,
                    "indicator_id": c.indicator.id,
                    "value": c.value,
                    "unit": c.indicator.unit,
                    "numerator": c.numerator,
                    "denominator": c.denominator,
                    "status": c.status,
                    "reported_by": reading.unit.code if reading.unit else "",
                    "source_file": source_file,
                    "source_sheet": ws.title,
                    "source_cell": c.cell,
                    "note": NOTE_SEPARATOR.join(t for t in parts if t),
                    "_row": raw.row,
                    "_raw": raw.raw,
                }
            )
    if period_problems:
        reading.messages.append(period_problems[0])
    return reading


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    rounded = round(float(value), 6)
    return str(int(rounded)) if rounded.is_integer() else repr(rounded)


def _frames(
    readings: list[FileReading], units: ReportingUnits
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    accepted = [r for reading in readings for r in reading.accepted]
    duplicates = check_duplicates(accepted)
    by_file = {reading.source_file: reading for reading in readings}
    for position, reason in duplicates.items():
        record = accepted[position]
        reading = by_file[record["source_file"]]
        reading.accepted.remove(record)
        where = (
            f"Trang “{record['source_sheet']}”, dòng {record['_row']}, ô {record['source_cell']}: "
        )
        _quarantine(
            reading,
            record["source_sheet"],
            record["_row"],
            where + reason + ".",
            record["_raw"],
            record["indicator_id"],
        )
    observations = pd.DataFrame(
        [
            {
                **{k: v for k, v in r.items() if not k.startswith("_")},
                "value": _number_text(r["value"]),
                "numerator": _number_text(r["numerator"]),
                "denominator": _number_text(r["denominator"]),
            }
            for reading in readings
            for r in reading.accepted
        ],
        columns=OBSERVATION_COLUMNS,
    )
    quarantine_rows = [q for reading in readings for q in reading.quarantined]
    quarantine = pd.DataFrame(
        [{k: q[k] for k in QUARANTINE_COLUMNS} for q in quarantine_rows], columns=QUARANTINE_COLUMNS
    )
    quality = pd.DataFrame(
        [
            {
                "source_file": reading.source_file,
                "reported_by": reading.unit.code if reading.unit else "",
                "unit_name": reading.unit.name_vi if reading.unit else "",
                "file_status": "rejected" if reading.rejected else "ok",
                "sheets": "; ".join(reading.sheets),
                "rows_read": len(reading.accepted) + _row_level(reading) + reading.blank,
                "accepted": len(reading.accepted),
                "quarantined": _row_level(reading),
                "blank": reading.blank,
                "illustrative": reading.illustrative,
                "message": reading.rejected
                or " ".join(m[0].upper() + m[1:] + "." for m in reading.messages),
            }
            for reading in readings
        ],
        columns=list(QUALITY_COLUMNS),
    )
    received = set(observations["indicator_id"])
    held = {q["_indicator"] for q in quarantine_rows if q["_indicator"]}
    submissions = pd.DataFrame(
        [
            {
                "unit": unit.code,
                "unit_name": unit.name_vi,
                "files": "; ".join(r.source_file for r in readings if r.unit == unit),
                "expected": len(unit.indicators),
                "received": sum(i in received for i in unit.indicators),
                "missing_count": sum(i not in received for i in unit.indicators),
                "missing": "; ".join(i for i in unit.indicators if i not in received),
                "quarantined_only": "; ".join(
                    i for i in unit.indicators if i not in received and i in held
                ),
            }
            for unit in units
        ],
        columns=list(SUBMISSION_COLUMNS),
    )
    return observations, quarantine, quality, submissions


def _row_level(reading: FileReading) -> int:
    return sum(1 for q in reading.quarantined if q["source_row"] != "")


def read_period(
    period: str | Period,
    raw_dir: Path | str | None = None,
    registry: Registry | None = None,
    units: ReportingUnits | None = None,
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
    registry = registry or load_registry()
    units = units or load_reporting_units(registry=registry)
    matcher = IndicatorMatcher(registry)
    readings = [
        read_workbook(path, path.relative_to(raw_dir).as_posix(), period, matcher, units)
        for path in _workbook_files(folder)
    ]
    observations, quarantine, quality, submissions = _frames(readings, units)
    return CleanResult(period, observations, quarantine, quality, submissions, None)


def clean_period(
    period: str | Period,
    raw_dir: Path | str | None = None,
    processed_dir: Path | str | None = None,
    registry: Registry | None = None,
) -> CleanResult:
    """Read, validate and write the period's tables under ``<processed_dir>/<period>/``.

    Files: observations.csv, quarantine.csv, quality.csv and submissions.csv, each
    written atomically. ``raw_dir`` and ``processed_dir`` default to config paths.
    """
    result = read_period(period, raw_dir, registry)
    processed_dir = Path(processed_dir) if processed_dir else config.DATA_PROCESSED
    out = processed_dir / result.period.code
    write_csv_atomic(result.observations, out / "observations.csv")
    write_csv_atomic(result.quarantine, out / "quarantine.csv")
    write_csv_atomic(result.quality, out / "quality.csv")
    write_csv_atomic(result.submissions, out / "submissions.csv")
    result.output_dir = out
    return result
