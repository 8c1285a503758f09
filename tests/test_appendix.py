"""Excel appendix: Vietnamese headers, status colours, number formats, frozen panes, filters."""

from __future__ import annotations

from datetime import date

import openpyxl
import pandas as pd
from example import EXAMPLE, example_registry

from nq57lib.assess.appendix import write_appendix
from nq57lib.assess.status import assess, status_history
from nq57lib.assess.statuses import STATUS_COLOURS

REGISTRY = example_registry()


def _target(target_id, indicator_id, year, value, per_year=False):
    return {
        "target_id": target_id,
        "indicator_id": indicator_id,
        "milestone_year": year,
        "comparator": ">=",
        "value": value,
        "value_max": None,
        "per_year": per_year,
        "qualitative": False,
        "source_line": len(target_id),
    }


TARGETS = pd.DataFrame(
    [
        _target("v25", "vneid_residents", 2025, 70.0),
        _target("v30", "vneid_residents", 2030, 85.0),
        _target("p30", "public_sector_initiatives", 2030, 10.0, per_year=True),
    ]
)
OBS = pd.DataFrame(
    [
        {"period": "2025-Q4", "indicator_id": "vneid_residents", "value": 65.0},
        {"period": "2026-Q1", "indicator_id": "vneid_residents", "value": 68.5},
        {"period": "2026-Q1", "indicator_id": "public_sector_initiatives", "value": 1.0},
    ]
)


def _write(tmp_path, illustrative=True):
    status = assess(TARGETS, OBS, "2026-Q1", REGISTRY)
    history = status_history(TARGETS, OBS, ["2025-Q4", "2026-Q1"], REGISTRY)
    path = write_appendix(
        status,
        history,
        tmp_path / "status.xlsx",
        "2026-Q1",
        illustrative=illustrative,
        made_on=date(2026, 4, 2),
        areas=EXAMPLE.areas,
    )
    return status, openpyxl.load_workbook(path)


def test_status_sheet_layout(tmp_path):
    status, workbook = _write(tmp_path)
    ws = workbook["Tình trạng"]
    assert ws["A1"].value == "Phụ lục: Tình trạng thực hiện chỉ tiêu so với các mốc kế hoạch"
    assert ws["A2"].value == "SỐ LIỆU MINH HỌA — Quý I năm 2026 · lập ngày 02/04/2026"
    headers = [c.value for c in ws[3]]
    assert headers[:6] == [
        "Lĩnh vực",
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Mốc (hết năm)",
        "Mục tiêu",
        "Giá trị",
    ]
    assert "Tình trạng" in headers and "Cách tính / ghi chú" in headers
    assert ws.freeze_panes == "D4"
    assert ws.auto_filter.ref == f"A3:O{3 + len(status)}"
    # rows: initiatives (area d) first, then VNeID 2025 (overdue) and 2030
    assert [ws.cell(row=r, column=2).value for r in range(4, 4 + len(status))] == [
        "public_sector_initiatives",
        "vneid_residents",
        "vneid_residents",
    ]
    status_col = headers.index("Tình trạng") + 1
    value_col = headers.index("Giá trị") + 1
    overdue = ws.cell(row=5, column=status_col)
    assert overdue.value == "quá hạn chưa đạt"
    assert overdue.fill.fgColor.rgb.endswith(STATUS_COLOURS["overdue"])
    assert overdue.font.color.rgb.endswith("FFFFFF")
    vneid_value = ws.cell(row=6, column=value_col)
    assert vneid_value.value == 68.5 and vneid_value.number_format == '0.0"%"'
    assert ws.cell(row=4, column=value_col).number_format == "#,##0"
    assert ws.cell(row=6, column=headers.index("Mục tiêu") + 1).value == "≥ 85%"
    assert ws.cell(row=4, column=1).value == "d) Phát triển hệ sinh thái đổi mới sáng tạo"


def test_history_sheet_one_column_per_period(tmp_path):
    _, workbook = _write(tmp_path)
    ws = workbook["Diễn biến"]
    assert [c.value for c in ws[3]] == ["Mã chỉ tiêu", "Tên chỉ tiêu", "Mốc", "2025-Q4", "2026-Q1"]
    rows = {
        (ws.cell(row=r, column=1).value, ws.cell(row=r, column=3).value): r
        for r in range(4, ws.max_row + 1)
    }
    r = rows[("vneid_residents", 2030)]
    assert ws.cell(row=r, column=4).value == "chưa đủ số liệu"
    assert ws.cell(row=r, column=5).value == "đúng tiến độ"
    assert ws.cell(row=r, column=5).fill.fgColor.rgb.endswith(STATUS_COLOURS["on_track"])
    assert ws.freeze_panes == "D4" and ws.auto_filter.ref.startswith("A3:E")


def test_method_sheet_and_no_label_when_real_data(tmp_path):
    _, workbook = _write(tmp_path, illustrative=False)
    assert "MINH HỌA" not in workbook["Tình trạng"]["A2"].value
    ws = workbook["Cách đọc"]
    labels = [ws.cell(row=r, column=1).value for r in range(4, 12)]
    assert labels == [
        "đạt",
        "đúng tiến độ",
        "cần đẩy nhanh",
        "chậm tiến độ",
        "đi xuống",
        "quá hạn chưa đạt",
        "chưa có số liệu",
        "chưa đủ số liệu",
    ]
    assert any("0,95" in (ws.cell(row=r, column=2).value or "") for r in range(1, ws.max_row + 1))


def test_write_is_atomic_and_replaces(tmp_path):
    _write(tmp_path)
    _write(tmp_path, illustrative=False)
    assert [p.name for p in tmp_path.iterdir()] == ["status.xlsx"]
