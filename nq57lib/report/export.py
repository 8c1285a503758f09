"""A ward's standard export of a period: tidy tables a body above the ward can load.

Every ``nq57 run`` writes ``reports/<P>/du-lieu/``: ``chi-tieu.csv`` (one row per
indicator: its headline milestone, target, value, status, lead unit and the cell its value
came from), ``nhiem-vu.csv`` (one row per tracked task: lead unit, deadline, the
Government's category at the cut-off, completion date), the same two tables in
``du-lieu-<P>.xlsx``, and ``datapackage.json`` describing both as a Frictionless Data
Package (Table Schema: each field's type and meaning, the primary key). Every row carries
the ward, the period and the cut-off, so the tables of many wards can be stacked as they
are. The numbers are the briefing's own (:class:`~nq57lib.report.data.BriefingData`).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd

from nq57lib.core.atomic import write_csv_atomic, write_text_atomic
from nq57lib.core.fmt import is_missing
from nq57lib.core.textnorm import fold
from nq57lib.core.workbooks import write_table_workbook
from nq57lib.report.data import BriefingData

FOLDER = "du-lieu"
INDICATORS = "chi-tieu"
TASKS = "nhiem-vu"
# name: (Table Schema type, description)
_COMMON = {
    "ward_code": ("string", "mã phường, xã (tên không dấu, nối bằng gạch ngang)"),
    "ward_name": ("string", "tên phường, xã kèm cấp"),
    "period": ("string", "kỳ báo cáo (2026-Q3, 2026-9M, 2026)"),
    "cutoff": ("date", "ngày chốt số liệu"),
}
INDICATOR_FIELDS = {
    **_COMMON,
    "indicator_id": ("string", "mã chỉ tiêu trong danh mục của nq57"),
    "national_code": ("string", "mã chỉ tiêu quốc gia (NQ 03/NQ-CP, Phụ lục I) nếu có"),
    "name": ("string", "tên chỉ tiêu"),
    "unit": ("string", "đơn vị tính"),
    "kind": ("string", "loại: level (mức), stock (lũy kế), flow (trong kỳ), milestone"),
    "milestone_year": ("integer", "năm của mốc dùng để đánh giá"),
    "comparator": ("string", "so sánh với mục tiêu: =, >=, >, <=, <, range"),
    "target": ("number", "mục tiêu của mốc đó"),
    "value": ("number", "giá trị gần nhất"),
    "value_period": ("string", "kỳ của giá trị đó"),
    "status": ("string", "đánh giá (mã)"),
    "status_vi": ("string", "đánh giá"),
    "lead_unit": ("string", "đơn vị chủ trì"),
    "source_file": ("string", "tệp của giá trị"),
    "source_sheet": ("string", "trang tính"),
    "source_cell": ("string", "ô"),
}
TASK_FIELDS = {
    **_COMMON,
    "task_id": ("string", "mã nhiệm vụ theo Kế hoạch"),
    "text": ("string", "nội dung nhiệm vụ"),
    "lead_unit": ("string", "đơn vị chủ trì"),
    "deadline": ("date", "thời hạn"),
    "deadline_text": ("string", "thời hạn như Kế hoạch hoặc bảng phân công ghi"),
    "category": (
        "string",
        "nhóm tại ngày chốt: completed_on_time, completed_late, "
        "open_in_time, open_overdue, no_deadline",
    ),
    "status": ("string", "tình trạng (mã)"),
    "completed_on": ("date", "ngày hoàn thành"),
}


def code_of(ward: str) -> str:
    """``phường Hồng Bàng`` -> ``phuong-hong-bang``: level and name, without diacritics."""
    return "-".join(fold(ward).split())


def ward_code(data: BriefingData) -> str:
    """The code of the briefing's ward (:func:`code_of`)."""
    return code_of(data.profile.ward)


def _headline_target(data: BriefingData) -> dict[tuple[str, str], tuple[str, object]]:
    status = data.status
    found = {}
    for r in status.itertuples(index=False):
        found.setdefault((r.indicator_id, str(r.milestone_year)), (r.comparator, r.target))
    return found


def _source(data: BriefingData) -> dict[tuple[str, str], tuple[str, str, str]]:
    seen = data.observations
    return {
        (r.indicator_id, str(r.period)): (r.source_file, r.source_sheet, r.source_cell)
        for r in seen.itertuples(index=False)
    }


def _text(value: object) -> str:
    return "" if is_missing(value) else str(value)


def indicator_table(data: BriefingData) -> pd.DataFrame:
    """One row per indicator of the period, from the verdicts (what the briefing counts)."""
    targets, sources = _headline_target(data), _source(data)
    common = _common(data)
    rows = []
    for v in data.verdicts.itertuples(index=False):
        year = "" if is_missing(v.milestone_year) else str(int(float(v.milestone_year)))
        comparator, target = targets.get((v.indicator_id, year), ("", ""))
        source = sources.get((v.indicator_id, _text(v.value_period)), ("", "", ""))
        rows.append({
            **common, "indicator_id": v.indicator_id,
            "national_code": data.national_codes.get(v.indicator_id, ""), "name": v.name,
            "unit": v.unit,
            "kind": v.kind, "milestone_year": year, "comparator": _text(comparator),
            "target": _text(target), "value": _text(v.value),
            "value_period": _text(v.value_period), "status": v.status,
            "status_vi": v.status_vi, "lead_unit": _text(v.lead_unit),
            "source_file": source[0], "source_sheet": source[1], "source_cell": source[2],
        })  # fmt: skip
    return pd.DataFrame(rows, columns=list(INDICATOR_FIELDS))


def task_table(data: BriefingData) -> pd.DataFrame:
    """One row per tracked task at the cut-off (unassigned tasks have no lead to report)."""
    common = _common(data)
    tasks = data.task_status
    tracked = tasks[tasks["status"] != "unassigned"] if len(tasks) else tasks
    rows = [
        {**common, "task_id": r.task_id, "text": r.text,
         "lead_unit": data.unit_names.get(r.lead_unit, r.lead_unit),
         "deadline": _text(r.deadline), "deadline_text": _text(r.deadline_text),
         "category": _text(r.category), "status": r.status,
         "completed_on": _text(r.completed_on)}
        for r in tracked.itertuples(index=False)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=list(TASK_FIELDS))


def _common(data: BriefingData) -> dict[str, str]:
    return {
        "ward_code": ward_code(data),
        "ward_name": data.profile.ward,
        "period": data.reported.code,
        "cutoff": data.cutoff.isoformat(),
    }


def _schema(fields: dict[str, tuple[str, str]], key: list[str]) -> dict:
    return {
        "fields": [{"name": n, "type": t, "description": d} for n, (t, d) in fields.items()],
        "primaryKey": key,
        "missingValues": [""],
    }


def datapackage(data: BriefingData, made_on: date) -> dict:
    """The Frictionless Data Package descriptor of the two tables."""
    code = ward_code(data)
    resources = [
        (INDICATORS, "Chỉ tiêu", INDICATOR_FIELDS, ["ward_code", "period", "indicator_id"]),
        (TASKS, "Nhiệm vụ", TASK_FIELDS, ["ward_code", "period", "task_id"]),
    ]
    return {
        "name": f"nq57-{code}-{data.reported.code}".lower(),
        "title": f"Kết quả thực hiện Kế hoạch số {data.profile.plan_number} — "
        f"{data.profile.ward}, {data.reported.report_label}",
        "created": f"{made_on.isoformat()}T00:00:00Z",
        "keywords": ["nq57", "Nghị quyết 57-NQ/TW", code],
        "resources": [
            {
                "name": name,
                "title": title,
                "path": f"{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": _schema(fields, key),
            }
            for name, title, fields, key in resources
        ],
        **({"description": "Số liệu minh họa"} if data.illustrative else {}),
    }


def write_export(data: BriefingData, out: Path | str, made_on: date) -> list[Path]:
    """Write the export of ``data`` into the folder ``out``; the files written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    indicators, tasks = indicator_table(data), task_table(data)
    written = [
        write_csv_atomic(indicators, out / f"{INDICATORS}.csv"),
        write_csv_atomic(tasks, out / f"{TASKS}.csv"),
    ]
    sheets = {
        "Chỉ tiêu": (list(indicators.columns), indicators.values.tolist(), [16] * 20),
        "Nhiệm vụ": (list(tasks.columns), tasks.values.tolist(), [16] * 12),
    }
    written.append(write_table_workbook(sheets, out / f"du-lieu-{data.reported.code}.xlsx"))
    descriptor = json.dumps(datapackage(data, made_on), ensure_ascii=False, indent=2)
    written.append(write_text_atomic(descriptor + "\n", out / "datapackage.json"))
    return written
