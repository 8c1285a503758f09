"""What cleaning yields: per-file readings, cross-file checks, and the period's tables.

Every row a file holds ends in exactly one place: accepted (an observation, a task report
or an assignment), quarantined with its reason, or blank. ``quality.csv`` counts them per
file so that ``rows_read = accepted + quarantined + blank`` can be checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from nq57lib.collect.checks import (
    check_duplicates,
    check_register_duplicates,
    check_target_lead_duplicates,
    check_task_duplicates,
)
from nq57lib.collect.resent import resent_check, saved_day
from nq57lib.collect.units import ReportingUnit, ReportingUnits
from nq57lib.core import config
from nq57lib.core.periods import Period
from nq57lib.core.schema import (
    ASSIGNMENT_COLUMNS,
    OBSERVATION_COLUMNS,
    QUALITY_COLUMNS,
    QUARANTINE_COLUMNS,
    REMARK_COLUMNS,
    SUBMISSION_COLUMNS,
    TARGET_LEAD_COLUMNS,
    TASK_REPORT_COLUMNS,
    YEAR_TO_DATE_COLUMNS,
)

# What one quarantine line may carry: a cell can hold 32,767 characters, and one shared
# string can fill thousands of cells, so the text quoted back is cut, never the line.
REASON_CHARS = 1_200
RAW_CHARS = 1_000


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the cut marked with "…"."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# A message about many places (sheets, cells, rows) names this many and counts the rest, so
# that its length stays bounded however many a workbook holds.
LISTED_PLACES = 3


def listed(places: list[str], noun: str, separator: str = "; ") -> str:
    """The first places, then "và N <noun> khác" for the rest."""
    shown = separator.join(places[:LISTED_PLACES])
    rest = len(places) - LISTED_PLACES
    return f"{shown} và {rest} {noun} khác" if rest > 0 else shown


# What a file's quality line says about readings nq57 made but wants checked: kind →
# (sentence with the count and the places, the noun counted).
FLAGS = {
    "thousands": (
        "{n} ô ghi số có dấu phẩy trước ba chữ số (như “1,000”), đọc theo đơn vị tính của "
        "chỉ tiêu: số lượng thì dấu phẩy phân cách hàng nghìn, tỷ lệ và chỉ số thì là dấu thập "
        "phân ({places}); đề nghị đơn vị xác nhận nếu đọc sai",
        "ô",
    ),
    "hidden_row": ("{n} dòng đang ẩn trong tệp vẫn được đọc ({places})", "dòng"),
    "hidden_column": ("{n} cột đang ẩn trong tệp vẫn được đọc ({places})", "cột"),
    "unknown_partner": (
        "{n} đơn vị phối hợp không có trong danh sách đơn vị, được giữ nguyên như đã ghi "
        "({places}); thêm tên gọi khác (aliases) vào reporting_units.yaml nếu là một đơn vị",
        "chỗ",
    ),
}


@dataclass
class FileReading:
    """What one file yielded, before cross-file checks."""

    source_file: str
    unit: ReportingUnit | None = None
    accepted: list[dict] = field(default_factory=list)  # observations
    task_reports: list[dict] = field(default_factory=list)
    assignments: list[dict] = field(default_factory=list)
    target_leads: list[dict] = field(default_factory=list)  # register rows naming a target
    remarks: list[dict] = field(default_factory=list)  # reasons given for blank cells
    year_to_date: list[dict] = field(default_factory=list)  # the unit's own cumulative figures
    quarantined: list[dict] = field(default_factory=list)
    blank: int = 0
    sheets: list[str] = field(default_factory=list)
    illustrative: bool = False
    messages: list[str] = field(default_factory=list)
    rejected: str = ""
    label: str = ""  # who the file is from when it is not a unit's (the assignment register)
    saved_on: str = ""  # when the unit saved it, Vietnam time (nq57lib.collect.resent)
    flags: dict[str, list[str]] = field(default_factory=dict)  # FLAGS kind → places

    def flag(self, kind: str, place: str) -> None:
        """Note a reading to check (a kind of :data:`FLAGS`) at ``place``."""
        self.flags.setdefault(kind, []).append(place)

    def message(self) -> str:
        """The quality line's message: the refusal, or every message and flag, bounded."""
        if self.rejected:
            return self.rejected
        parts = list(self.messages)
        for kind, places in self.flags.items():
            sentence, noun = FLAGS[kind]
            parts.append(sentence.format(n=len(places), places=listed(places, noun)))
        return " ".join(m[0].upper() + m[1:] + "." for m in parts)

    def quarantine(
        self, sheet: str, row: int | str, reason: str, raw: str, indicator: str = "", task: str = ""
    ) -> None:
        self.quarantined.append(
            {
                "source_file": self.source_file,
                "source_sheet": sheet,
                "source_row": row,
                "reason": shorten(reason, REASON_CHARS),
                "raw": shorten(raw, RAW_CHARS),
                "_indicator": indicator,
                "_task": task,
            }
        )

    @property
    def row_quarantined(self) -> int:
        return sum(1 for q in self.quarantined if q["source_row"] != "")

    @property
    def row_accepted(self) -> int:
        return (
            len(self.accepted)
            + len(self.task_reports)
            + len(self.assignments)
            + len(self.target_leads)
        )


@dataclass
class CleanResult:
    period: Period
    observations: pd.DataFrame
    quarantine: pd.DataFrame
    quality: pd.DataFrame
    submissions: pd.DataFrame
    output_dir: Path | None
    assignments: pd.DataFrame = field(default_factory=lambda: _empty(ASSIGNMENT_COLUMNS))
    task_reports: pd.DataFrame = field(default_factory=lambda: _empty(TASK_REPORT_COLUMNS))
    remarks: pd.DataFrame = field(default_factory=lambda: _empty(REMARK_COLUMNS))
    year_to_date: pd.DataFrame = field(default_factory=lambda: _empty(YEAR_TO_DATE_COLUMNS))
    target_leads: pd.DataFrame = field(default_factory=lambda: _empty(TARGET_LEAD_COLUMNS))

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
            f" · Báo cáo nhiệm vụ: {len(self.task_reports)}"
            f" · Phân công: {len(self.assignments)}"
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


def _empty(columns) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    rounded = round(float(value), 6)
    return str(int(rounded)) if rounded.is_integer() else repr(rounded)


def _settle(
    readings: list[FileReading],
    kind: str,
    check: Callable[[list[dict]], dict[int, str]],
    key: str,
) -> None:
    """Move the rows ``check`` objects to (duplicates, conflicts) into the quarantine."""
    rows = [r for reading in readings for r in getattr(reading, kind)]
    by_file = {reading.source_file: reading for reading in readings}
    refused = check(rows)
    # Rows leave their lists by identity, in one pass: removing them one by one would cost
    # the square of the number of copies.
    leaving = {id(rows[position]) for position in refused}
    for reading in readings:
        setattr(reading, kind, [r for r in getattr(reading, kind) if id(r) not in leaving])
    for position, reason in refused.items():
        record = rows[position]
        reading = by_file[record["source_file"]]
        cell = record.get("source_cell", "")
        where = f"Trang “{record['source_sheet']}”, dòng {record['_row']}" + (
            f", ô {cell}: " if cell else ": "
        )
        reading.quarantine(
            record["source_sheet"],
            record["_row"],
            where + reason + ".",
            record["_raw"],
            indicator=record.get("indicator_id", "") if kind == "accepted" else "",
            task=record.get(key, "") if kind in ("assignments", "task_reports") else "",
        )


def build_frames(
    readings: list[FileReading], units: ReportingUnits, units_due: date | None = None
) -> dict[str, pd.DataFrame]:
    """The period's tables from every file's reading, after the cross-file checks: a unit's
    resent workbook first replaces its earlier one where they overlap, then repeats are
    duplicates or conflicts. ``units_due`` (the profile's day for the units' workbooks)
    marks the files saved after it as late."""
    unit_of = {r.source_file: r.unit.code for r in readings if r.unit and not r.label}
    saved_of = {r.source_file: r.saved_on for r in readings}
    for kind, key in (("accepted", "indicator_id"), ("task_reports", "task_id")):
        check = resent_check(unit_of, saved_of, lambda r, k=key: r[k])
        _settle(readings, kind, check, key)
    _settle(readings, "accepted", check_duplicates, "indicator_id")
    _settle(readings, "target_leads", check_target_lead_duplicates, "indicator_id")
    _settle(readings, "assignments", check_register_duplicates, "task_id")
    _settle(readings, "task_reports", check_task_duplicates, "task_id")
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
        columns=list(OBSERVATION_COLUMNS),
    )

    def table(kind: str, columns) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {c: r.get(c, "") for c in columns}
                for reading in readings
                for r in getattr(reading, kind)
            ],
            columns=list(columns),
        )

    quarantine_rows = [q for reading in readings for q in reading.quarantined]
    quality = pd.DataFrame(
        [
            {
                "source_file": reading.source_file,
                "reported_by": reading.unit.code if reading.unit else "",
                "unit_name": reading.unit.name_vi if reading.unit else reading.label,
                "file_status": "rejected" if reading.rejected else "ok",
                "sheets": "; ".join(reading.sheets),
                "rows_read": reading.row_accepted + reading.row_quarantined + reading.blank,
                "accepted": reading.row_accepted,
                "quarantined": reading.row_quarantined,
                "blank": reading.blank,
                "illustrative": reading.illustrative,
                "message": reading.message(),
                "saved_on": reading.saved_on,
                "late": _late(reading.saved_on, units_due),
            }
            for reading in readings
        ],
        columns=list(QUALITY_COLUMNS),
    )
    return {
        "observations": observations,
        "quarantine": pd.DataFrame(
            [{k: q[k] for k in QUARANTINE_COLUMNS} for q in quarantine_rows],
            columns=list(QUARANTINE_COLUMNS),
        ),
        "quality": quality,
        "submissions": _submissions(readings, units, observations, quarantine_rows, units_due),
        "assignments": table("assignments", ASSIGNMENT_COLUMNS),
        "target_leads": table("target_leads", TARGET_LEAD_COLUMNS),
        "task_reports": table("task_reports", TASK_REPORT_COLUMNS),
        "remarks": table("remarks", REMARK_COLUMNS),
        "year_to_date": table("year_to_date", YEAR_TO_DATE_COLUMNS),
    }


def _late(saved_on: str, units_due: date | None) -> bool:
    day = saved_day(saved_on)
    return units_due is not None and day is not None and day > units_due


def _first_saved(readings, unit) -> str:
    """When the unit first sent a readable workbook ("" when none says)."""
    times = [r.saved_on for r in readings if r.unit == unit and not r.rejected and r.saved_on]
    return min(times, default="")


def _submissions(readings, units, observations, quarantine_rows, units_due) -> pd.DataFrame:
    received = set(observations["indicator_id"])
    held = {q["_indicator"] for q in quarantine_rows if q["_indicator"]}
    return pd.DataFrame(
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
                "first_saved": first,
                "late": _late(first, units_due),
            }
            for unit in units
            for first in (_first_saved(readings, unit),)
        ],
        columns=list(SUBMISSION_COLUMNS),
    )
