"""Ingestion of messy unit workbooks: hand-written expected observations per pattern.

Every workbook is built here with openpyxl into a temporary folder, so each test
shows the exact layout it feeds in and the exact rows it expects out.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from example import EXAMPLE
from openpyxl import Workbook
from workbook_helpers import PERIOD, check_identity, observed, put, save

from nq57lib.collect.frames import CleanResult
from nq57lib.collect.ingest import clean_period, read_period
from nq57lib.core.schema import OBSERVATION_COLUMNS


def reasons(result: CleanResult) -> list[str]:
    return list(result.quarantine["reason"])


def test_loose_table_titles_merged_rows_footer_and_empty_rows(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Bao cao"
    put(
        ws,
        {
            1: ["CÔNG AN PHƯỜNG HỒNG BÀNG"],
            2: ["BÁO CÁO QUÝ III/2026"],
            4: ["STT", "Noi dung", "DVT", "Ket qua", "Ghi chu"],
            5: [1, "Ty le nguoi dan co tai khoan dinh danh dien tu (VNeID)", "%", "79,5%", "mức 2"],
            6: [],
            7: [2, "NGƯỜI DÂN CÓ  CKS", "%", "7,3 %"],
            9: [None, None, None, "Hồng Bàng, ngày 05 tháng 10 năm 2026"],
            10: [None, "Người lập biểu", None, "TRƯỞNG CÔNG AN PHƯỜNG"],
            11: [None, "(Ký, ghi rõ họ tên)"],
            13: [None, "Nguyễn Văn A", None, 12345],  # below the footer: not part of the table
        },
    )
    ws.merge_cells("A1:E1")
    ws.merge_cells("A2:E2")
    save(wb, tmp_path, "cong-an.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert observed(
        result, "indicator_id", "value", "unit", "reported_by", "source_cell", "note"
    ) == [
        ("vneid_residents", "79.5", "%", "cong_an", "D5", "mức 2"),
        ("digital_signature_residents", "7.3", "%", "cong_an", "D7", ""),
    ]
    assert set(result.observations["source_sheet"]) == {"Bao cao"}
    assert set(result.observations["source_file"]) == {"2026-Q3/cong-an.xlsx"}
    q = result.quality.iloc[0]
    assert (q.rows_read, q.accepted, q.quarantined, q.blank) == (4, 2, 0, 2)
    assert result.quarantine.empty
    check_identity(result)


def test_extra_columns_several_sheets_codes_and_period_columns(tmp_path: Path) -> None:
    wb = Workbook()
    guide = wb.active
    guide.title = "Hướng dẫn"
    guide["A1"] = "Nhập số liệu ở các trang sau."
    infra = wb.create_sheet("Hạ tầng")
    put(
        infra,
        {
            1: ["PHÒNG KINH TẾ, HẠ TẦNG VÀ ĐÔ THỊ — Quý III/2026"],
            3: [
                "TT",
                "Mã chỉ tiêu",
                "Tên chỉ tiêu",
                "Kế hoạch năm",
                "Kết quả Quý II/2026",
                "Kết quả Quý III/2026",
                "So sánh cùng kỳ",
                "Ghi chú",
            ],
            4: [1, "coverage_5g", "Phủ sóng 5G", "80%", 84, 88, "+10", ""],
            5: [2, "COVERAGE_5G_HOTSPOTS", "", "100%", 95, 100, "", "đạt"],
        },
    )
    budget = wb.create_sheet("Ngân sách")
    put(
        budget,
        {
            2: ["Chỉ tiêu", "Giá trị", "Ghi chú"],
            3: ["Chi ngân sách KH-CN", "2,6%", "dự toán"],
        },
    )
    save(wb, tmp_path, "kinh-te.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    # The column naming this period is read, not the previous quarter or the plan.
    assert observed(result, "indicator_id", "value", "source_sheet", "source_cell", "note") == [
        ("coverage_5g", "88", "Hạ tầng", "F4", ""),
        ("coverage_5g_hotspots", "100", "Hạ tầng", "F5", "đạt"),
        ("budget_share_stid", "2.6", "Ngân sách", "B3", "dự toán"),
    ]
    q = result.quality.iloc[0]
    assert q.sheets == "Hạ tầng; Ngân sách"
    assert q.reported_by == "kinh_te"
    check_identity(result)


def test_numbers_as_text_fractions_percent_format_and_pairs(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    put(
        ws,
        {
            1: ["TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG", None, None, None],
            3: ["Nội dung chỉ tiêu", "Tỷ lệ (%)", "Tử số", "Mẫu số"],
            4: ["Giao dịch phi tiếp xúc", "85 %"],
            5: ["Hồ sơ TTHC xử lý trực tuyến", None, 1691, 1900],
            6: ["Số hóa hồ sơ TTHC", 0.855],
            7: ["DVCTT toàn trình", 0.62],
            8: ["TTHC phi địa giới", "72,5", 145, 200],
        },
    )
    ws["B7"].number_format = "0.0%"
    ws2 = wb.create_sheet("DN")
    put(
        ws2,
        {
            1: ["Chỉ tiêu", "Kết quả"],
            2: ["Số DN KH&CN kết nối", "1.234"],
        },
    )
    save(wb, tmp_path, "mot-cua.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert observed(
        result, "indicator_id", "value", "numerator", "denominator", "source_cell", "note"
    ) == [
        ("contactless_transactions", "85", "", "", "B4", ""),
        ("dossiers_online", "89", "1691", "1900", "C5", "[nq57] tính từ tử số/mẫu số 1.691/1.900"),
        (
            "dossiers_digitised",
            "85.5",
            "",
            "",
            "B6",
            "[nq57] giá trị 0,855 được hiểu là tỷ lệ 85,5%",
        ),
        ("full_online_public_services", "62", "", "", "B7", ""),
        ("tthc_cross_boundary", "72.5", "145", "200", "B8", ""),
        ("st_enterprises_connected", "1234", "", "", "B2", ""),
    ]
    assert result.quality.iloc[0].reported_by == "mot_cua"
    check_identity(result)


def _set_cached(path: Path, cell: str, value: float) -> None:
    """Give a formula cell the cached result Excel would have saved."""
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    name = "xl/worksheets/sheet1.xml"
    xml = parts[name].decode()
    # openpyxl writes an empty cached value as "<v/>" or "<v></v>", depending on its version.
    xml, count = re.subn(
        rf'(<c r="{cell}"[^>]*><f>[^<]*</f>)(?:<v\s*/>|<v></v>)', rf"\g<1><v>{value}</v>", xml
    )
    assert count == 1
    parts[name] = xml.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data)


def test_formula_cells_cached_or_not_and_inert_text(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    put(
        ws,
        {
            1: ["VĂN PHÒNG HĐND VÀ UBND PHƯỜNG", None, None, None, None],
            3: ["Mã", "Tên chỉ tiêu", "Giá trị", "Tử số", "Mẫu số", "Ghi chú"],
            4: ["data_on_lgsp", None, "=D4/E4*100", 62, 100, '=HYPERLINK("http://x")'],
            5: ["cloud_information_systems", None, "=0.45*100"],
            6: ["digital_inspections", None, "=1+1", None, None, "<script>alert(1)</script>"],
        },
    )
    ws["C6"].data_type = "s"  # typed text that merely starts with "="
    ws["F4"].data_type = "s"
    path = save(wb, tmp_path, "van-phong.xlsx")
    _set_cached(path, "C4", 62.0)
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert observed(result, "indicator_id", "value", "source_cell", "note") == [
        (
            "data_on_lgsp",
            "62",
            "C4",
            '=HYPERLINK("http://x") · [nq57] giá trị đã lưu của công thức =D4/E4*100',
        ),
    ]
    assert list(result.quarantine["source_row"]) == [5, 6]
    assert (
        "ô C5 chứa công thức “=0.45*100” nhưng tệp không lưu giá trị đã tính" in reasons(result)[0]
    )
    assert "ô C6 (giá trị): “=1+1” không phải là một số" in reasons(result)[1]
    assert "<script>alert(1)</script>" in result.quarantine["raw"].iloc[1]
    check_identity(result)


def test_milestones_flows_and_statuses(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    put(
        ws,
        {
            1: ["PHÒNG VĂN HÓA - XÃ HỘI", None, None, None],
            2: ["Kỳ báo cáo: Quý III năm 2026"],
            4: ["Nội dung", "Kết quả trong quý", "Lũy kế từ đầu năm", "Tình trạng"],
            5: ["SK cấp cơ sở", 1, 3],
            6: ["Số sáng kiến trong khu vực công được công nhận", 4, 9],
            7: ["Thông tin cơ sở", None, None, "Đang triển khai (60%)"],
            8: ["Dịch vụ xã hội chuẩn tiên tiến", None, None, "sắp xong"],
            9: ["Cụm chuyên gia", "Hoàn thành", None, None],
        },
    )
    save(wb, tmp_path, "van-hoa-xa-hoi.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert observed(result, "indicator_id", "value", "status", "unit", "source_cell") == [
        ("st_initiatives_ward", "1", "", "count", "B5"),
        ("public_sector_initiatives", "4", "", "count", "B6"),
        ("grassroots_information_system", "", "in_progress", "other", "D7"),
        ("expert_cluster", "", "done", "other", "B9"),
    ]
    assert list(result.quarantine["source_row"]) == [8]
    assert "“sắp xong” không phải trạng thái" in reasons(result)[0]
    assert "chưa triển khai / đang triển khai / hoàn thành" in reasons(result)[0]
    # The unit's own "Lũy kế từ đầu năm" of each flow is kept with its cell, for the
    # comparison's check against the sum of the periods; never read as the figure.
    totals = result.year_to_date
    assert list(zip(totals["indicator_id"], totals["value"], totals["source_cell"],
                    strict=True)) == [
        ("st_initiatives_ward", 3.0, "C5"), ("public_sector_initiatives", 9.0, "C6"),
    ]  # fmt: skip
    check_identity(result)


def test_a_year_to_date_figure_that_cannot_be_checked_is_noted_not_dropped(tmp_path):
    wb = Workbook()
    put(
        wb.active,
        {
            4: ["Nội dung", "Kết quả trong quý", "Lũy kế từ đầu năm"],
            5: ["SK cấp cơ sở", 1, "ba"],  # not a number
            6: ["Ký số học bạ số", 80, 80],  # a level: a year is not a sum of quarters
        },
    )
    save(wb, tmp_path, "van-hoa-xa-hoi.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert result.year_to_date.empty
    notes = dict(zip(result.observations["indicator_id"], result.observations["note"],
                     strict=True))  # fmt: skip
    assert "ô C5: số lũy kế “ba” không đọc được, không đối chiếu" in notes["st_initiatives_ward"]
    assert "ô C6: số lũy kế 80 không dùng" in notes["schools_digital_signing"]
    check_identity(result)


def test_year_to_date_only_flow_column_is_quarantined(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    put(
        ws,
        {1: ["Chỉ tiêu", "Lũy kế từ đầu năm"], 2: ["SK cấp cơ sở", 3], 3: ["Ký số học bạ số", 80]},
    )
    save(wb, tmp_path, "van-hoa-xa-hoi.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    # A level indicator is fine in a year-to-date column; a flow is not.
    assert observed(result) == [("schools_digital_signing", "80", "B3")]
    assert (
        "là số lũy kế; chỉ tiêu st_initiatives_ward cần số phát sinh trong kỳ" in reasons(result)[0]
    )


def test_validation_problems_are_all_gathered(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    put(
        ws,
        {
            1: ["Mã chỉ tiêu", "Tên chỉ tiêu", "Giá trị", "Tử số", "Mẫu số"],
            2: ["officials_basic_digital_training", None, 105],
            3: ["st_initiatives_city", None, -1],
            4: ["student_national_prizes", None, 2.5],
            5: [None, "Tỷ lệ người dân sử dụng ví điện tử", "40%"],
            6: ["vneid_resident", "VNeID", 70],
            7: ["coverage_5g", "Tỷ lệ phủ sóng 6G", 80],
            8: ["schools_stem", None, 90, 5, 10],
            9: ["schools_dx_level2", None, None, 5, 0],
            10: ["city_hdi", None, "85%"],
            11: ["dossiers_online", None, "hoàn thành"],
            12: [None, None, 55],
        },
    )
    save(wb, tmp_path, "van-phong.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert result.observations.empty
    got = dict(zip(result.quarantine["source_row"], result.quarantine["reason"], strict=True))
    expected = {
        2: "tỷ lệ 105% nằm ngoài khoảng 0–100%",
        3: "số lượng -1 là số âm",
        4: "số lượng 2,5 không phải số nguyên",
        5: "không nhận ra chỉ tiêu “Tỷ lệ người dân sử dụng ví điện tử” — các chỉ tiêu gần nhất: "
        "vneid_residents",
        6: "mã chỉ tiêu “vneid_resident” không có trong danh mục "
        "(tên “VNeID” ứng với vneid_residents)",
        7: "mã “coverage_5g” (Tỷ lệ phủ sóng 5G trên địa bàn) và tên “Tỷ lệ phủ sóng 6G” "
        "(coverage_6g)",
        8: "tỷ lệ ghi 90% không khớp với tử số/mẫu số 5/10 = 50%",
        9: "mẫu số 0 phải lớn hơn 0",
        10: "chỉ tiêu city_hdi tính bằng chỉ số, không phải tỷ lệ %",
        11: "“hoàn thành” là trạng thái, nhưng chỉ tiêu dossiers_online là chỉ tiêu định lượng",
        12: "dòng có số liệu nhưng không có mã hoặc tên chỉ tiêu",
    }
    assert sorted(got) == sorted(expected)
    for row, fragment in expected.items():
        assert fragment in got[row], (row, got[row])
        assert got[row].startswith(f"Trang “Sheet”, dòng {row}")
    assert "ô C2" in got[2]  # where: the cell
    check_identity(result)


def test_conflicts_quarantine_both_and_duplicates_keep_first(tmp_path: Path) -> None:
    for name, value, title in (
        ("mot-cua.xlsx", 73, "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG"),
        ("mot-cua-bo-sung.xlsx", "74,5%", "Một cửa - bổ sung"),
    ):
        wb = Workbook()
        put(
            wb.active,
            {
                1: [title],
                2: ["Chỉ tiêu", "Kết quả"],
                3: ["Giao dịch phi tiếp xúc", value],
                4: ["Hồ sơ trực tuyến", 89],
            },
        )
        save(wb, tmp_path, name)
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert observed(result, "indicator_id", "value", "source_file") == [
        ("dossiers_online", "89", "2026-Q3/mot-cua-bo-sung.xlsx"),
    ]
    q = result.quarantine.sort_values(["source_file", "source_row"])
    assert list(zip(q["source_file"], q["source_row"], strict=True)) == [
        ("2026-Q3/mot-cua-bo-sung.xlsx", 3),
        ("2026-Q3/mot-cua.xlsx", 3),
        ("2026-Q3/mot-cua.xlsx", 4),
    ]
    conflict = q["reason"].iloc[0]
    assert (
        "mâu thuẫn: chỉ tiêu contactless_transactions được báo cáo 2 lần với giá trị khác nhau"
        in (conflict)
    )
    assert (
        "74,5 (2026-Q3/mot-cua-bo-sung.xlsx" in conflict and "73 (2026-Q3/mot-cua.xlsx" in conflict
    )
    assert (
        "trùng lặp: chỉ tiêu dossiers_online đã được báo cáo với cùng giá trị"
        in q["reason"].iloc[2]
    )
    check_identity(result)


def test_period_stated_in_file_must_match(tmp_path: Path) -> None:
    wb = Workbook()
    put(
        wb.active,
        {
            1: ["CÔNG AN PHƯỜNG — BÁO CÁO QUÝ II/2026"],
            3: ["Nội dung", "Kết quả"],
            4: ["VNeID", 76],
            5: [],
            6: ["Người dân có CKS", 6],
        },
    )
    save(wb, tmp_path, "cong-an.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert result.observations.empty
    assert list(result.quarantine["source_row"]) == [4, 6]
    assert all(
        "tệp ghi kỳ báo cáo Quý II năm 2026 (2026-Q2), "
        "khác kỳ đang xử lý Quý III năm 2026 (2026-Q3)" in r
        for r in reasons(result)
    )
    q = result.quality.iloc[0]
    assert (q.rows_read, q.accepted, q.quarantined, q.blank) == (3, 0, 2, 1)
    assert "2026-Q2" in q.message


def test_outputs_written_with_exact_columns(tmp_path: Path) -> None:
    wb = Workbook()
    put(wb.active, {1: ["Chỉ tiêu", "Kết quả"], 2: ["VNeID", "79,0%"]})
    save(wb, tmp_path, "cong-an.xlsx")
    result = clean_period(
        EXAMPLE.with_paths(raw_dir=tmp_path, processed_dir=tmp_path / "out"), PERIOD
    )
    out = tmp_path / "out" / PERIOD
    assert result.output_dir == out
    header = (out / "observations.csv").read_text(encoding="utf-8").splitlines()[0]
    assert (
        header
        == ",".join(OBSERVATION_COLUMNS)
        == (
            "period,indicator_id,value,unit,numerator,denominator,status,reported_by,source_file,"
            "source_sheet,source_cell,note"
        )
    )
    assert (out / "quarantine.csv").read_text(encoding="utf-8").splitlines()[0] == (
        "source_file,source_sheet,source_row,reason,raw"
    )
    frame = pd.read_csv(out / "observations.csv", dtype=str, keep_default_na=False)
    assert frame.to_dict("records") == [
        {
            "period": "2026-Q3",
            "indicator_id": "vneid_residents",
            "value": "79",
            "unit": "%",
            "numerator": "",
            "denominator": "",
            "status": "",
            "reported_by": "cong_an",
            "source_file": "2026-Q3/cong-an.xlsx",
            "source_sheet": "Sheet",
            "source_cell": "B2",
            "note": "",
        }
    ]
    quality = pd.read_csv(out / "quality.csv")
    assert list(quality[["rows_read", "accepted", "quarantined", "blank"]].iloc[0]) == [1, 1, 0, 0]
    assert (out / "submissions.csv").exists()
    assert not list(out.glob(".*"))  # no temporary files left behind


@pytest.mark.parametrize("period_arg", ["2026-Q3", "Quý III/2026"])
def test_period_given_as_vietnamese_label(tmp_path: Path, period_arg: str) -> None:
    wb = Workbook()
    put(wb.active, {1: ["Chỉ tiêu", "Kết quả"], 2: ["VNeID", 79]})
    save(wb, tmp_path, "cong-an.xlsx")
    assert observed(
        read_period(EXAMPLE.with_paths(raw_dir=tmp_path), period_arg), "period", "indicator_id"
    ) == [("2026-Q3", "vneid_residents")]
