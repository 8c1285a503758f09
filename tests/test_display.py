"""The notebooks' styling helper (report/display.py) and its one vocabulary (core/columns.py)."""

from __future__ import annotations

import math

import pandas as pd

from nq57lib.core import schema
from nq57lib.core.columns import COLUMN_LABELS_VI, column_label
from nq57lib.report.display import Names, card, readable, styled


def test_every_column_of_every_processed_table_has_a_vietnamese_heading():
    contracts = [v for k, v in vars(schema).items() if k.endswith("_COLUMNS")]
    columns = {c for contract in contracts for c in contract}
    assert len(columns) > 100
    assert sorted(c for c in columns if c not in COLUMN_LABELS_VI) == []


def test_cells_in_vietnamese_formats_and_words():
    frame = pd.DataFrame(
        {
            "indicator_id": ["coverage_5g", "ai_governance"],
            "milestone_year": [2030, 2025],
            "value": [80.5, math.nan],
            "unit": ["%", "count"],
            "status": ["off_track", "no_data"],
            "on_time_rate": [0.428571, None],
            "deadline": ["2025-10-03", ""],
            "attention": [True, False],
            "lead_unit": ["kinh_te", ""],
            "headline": ["most_urgent", "missed"],
        }
    )
    shown = readable(frame, Names(units={"kinh_te": "Phòng Kinh tế"}))
    assert list(shown.columns) == [
        "Mã chỉ số", "Mốc", "Giá trị", "Đơn vị tính", "Tình trạng", "Tỷ lệ đúng hạn",
        "Thời hạn", "Cần tập trung chỉ đạo", "Đơn vị chủ trì", "Mốc được báo cáo",
    ]  # fmt: skip
    assert shown.iloc[0].tolist() == [
        "coverage_5g", "2030", "80,5%", "%", "Chậm tiến độ", "42,9%", "03/10/2025", "có",
        "Phòng Kinh tế", "mốc cần chú ý nhất",
    ]  # fmt: skip
    assert shown.iloc[1].tolist() == [
        "ai_governance", "2025", "", "số lượng", "Chưa có số liệu", "", "", "không", "",
        "mốc đã qua chưa đạt",
    ]  # fmt: skip


def test_observations_status_is_a_stage_not_a_task_status():
    frame = pd.DataFrame(
        {"indicator_id": ["x"], "value": [""], "status": ["in_progress"], "source_cell": ["D6"]}
    )
    assert readable(frame)["Tình trạng"].tolist() == ["Đang triển khai"]


def test_styler_shows_every_row_in_a_scrolling_box_with_status_colours():
    frame = pd.DataFrame(
        {"name": [f"Chỉ tiêu số {i} " + "rất dài " * 30 for i in range(70)], "status": "overdue"}
    )
    html = styled(frame).to_html()
    assert html.count("<tr>") == 71  # the heading and all 70 rows
    assert "max-height" in html and "overflow: auto" in html
    assert "background-color: #8e1b1b" in html  # overdue's colour, from assess/statuses
    assert ("rất dài " * 30).strip() in html  # the whole text, not cut
    assert "70 dòng" in html


def test_empty_columns_are_left_out_and_empty_tables_say_so():
    frame = pd.DataFrame({"task_id": ["1.1"], "product": [""], "note": [None]})
    html = styled(frame).to_html()
    assert "Mã nhiệm vụ" in html and "Sản phẩm" not in html and "Ghi chú" not in html
    empty = styled(frame.iloc[0:0]).to_html()
    assert "Không có dòng nào" in empty and "Mã nhiệm vụ" in empty


def test_a_record_as_a_card_and_headings_of_codes():
    html = card(pd.Series({"status": "achieved", "value": 3.0, "note": ""})).to_html()
    assert "Tình trạng" in html and "Đạt" in html and "Ghi chú" not in html
    assert column_label("duty") == "Tổ chức thực hiện"  # an unstacked column of task kinds
    assert column_label(2030) == "2030"
