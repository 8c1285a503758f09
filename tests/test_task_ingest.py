"""The assignment register and the units' task sheets, read from messy workbooks."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from example import EXAMPLE
from openpyxl import Workbook

from nq57lib.collect.ingest import read_period
from nq57lib.collect.task_matching import TaskMatcher, normalise_code, number_cell_codes
from nq57lib.core.deadlines import DeadlineError, parse_deadline
from nq57lib.plan.tasks import build_task_catalogue

CATALOGUE = build_task_catalogue(EXAMPLE.plan_path)
TEXT = dict(zip(CATALOGUE.tasks["task_id"], CATALOGUE.tasks["text"], strict=True))


@pytest.mark.parametrize(
    ("written", "due", "recurring"),
    [
        (datetime(2026, 6, 30), date(2026, 6, 30), ""),
        ("30/6/2026", date(2026, 6, 30), ""),
        ("Trước ngày 15/09/2026", date(2026, 9, 15), ""),
        ("Năm 2026", date(2026, 12, 31), ""),
        (2026, date(2026, 12, 31), ""),
        ("Quý I/2026", date(2026, 3, 31), ""),
        ("6 tháng đầu năm 2026", date(2026, 6, 30), ""),
        ("Tháng 10/2026", date(2026, 10, 31), ""),
        ("Thường xuyên", None, "regular"),
        ("Hằng năm", None, "yearly"),
        ("hàng năm", None, "yearly"),
        ("Định kỳ hằng năm trước 30/11", None, "yearly"),
        # The forms plans write in their own tables (issue #19).
        ("Quý IV/2025", date(2025, 12, 31), ""),
        ("Quí IV-2025", date(2025, 12, 31), ""),
        ("Quý III Năm 2026", date(2026, 9, 30), ""),
        ("Quý IV/2025 - Quý II/2026", date(2026, 6, 30), ""),  # a span is due at its end
        ("Tháng 12/2025", date(2025, 12, 31), ""),
        ("2026 - 2030", date(2030, 12, 31), ""),
        ("Giai đoạn 2026-2030", date(2030, 12, 31), ""),
        ("Từ năm 2026 đến năm 2030", date(2030, 12, 31), ""),
        ("Hằng quý", None, "quarterly"),
        ("trước ngày 30 tháng 11 hằng năm", None, "yearly"),
        ("trước ngày 01/6 và 15/11 hằng năm", None, "yearly"),
    ],
)
def test_every_deadline_form(written, due, recurring):
    deadline = parse_deadline(written)
    assert (deadline.due, deadline.recurring) == (due, recurring)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("31/2/2026", "không phải một ngày có thật"),
        ("Quý IV/2025 - 31/2/2026", "không phải một ngày có thật"),
        ("Quý V/2026", "không đọc được"),
        ("sớm nhất có thể", "không đọc được"),
        ("", "thiếu thời hạn"),
        (3.5, "là một số, không phải ngày"),
    ],
)
def test_unreadable_deadlines_say_why(written, reason):
    with pytest.raises(DeadlineError, match=reason):
        parse_deadline(written)


def test_codes_are_normalised_and_number_cells_name_every_candidate():
    assert normalise_code(" 2.1.A) ") == "2.1.a"
    assert normalise_code("v1") == "V.1" and normalise_code("V.3") == "V.3"
    assert normalise_code("4a") == "4.a" and normalise_code("Nhiệm vụ 3") is None
    assert number_cell_codes(3.1) == ("3.1", "3.10")
    assert number_cell_codes(3.11) == ("3.11",)


def test_a_code_typed_into_a_number_cell_is_decided_by_text_or_by_the_units_tasks():
    matcher = TaskMatcher(CATALOGUE.tasks)
    by_text = matcher.resolve(3.1, "Bố trí đủ nguồn lực (nhân lực, vật lực, tài lực)")
    assert (by_text.task_id, by_text.how) == ("3.10", "number cell")
    by_assignment = matcher.resolve(3.1, "", among=("3.10", "4.a"))
    assert by_assignment.task_id == "3.10"
    undecided = matcher.resolve(3.1, "")
    assert undecided.task_id is None
    assert "có thể là nhiệm vụ 3.1 hoặc 3.10" in undecided.problem


def test_text_without_a_code_and_a_code_that_contradicts_its_text():
    matcher = TaskMatcher(CATALOGUE.tasks)
    assert (
        matcher.resolve("", "Tạo điều kiện kết nối viện - trường - doanh nghiệp").task_id == "5.b"
    )
    clash = matcher.resolve("5.a", "Tạo điều kiện kết nối viện - trường - doanh nghiệp")
    assert clash.task_id is None and "nội dung ghi là của nhiệm vụ 5.b" in clash.problem
    unknown = matcher.resolve("12.4", "")
    assert unknown.problem == "mã nhiệm vụ “12.4” không có trong kế hoạch"


# ── whole periods built from messy workbooks ────────────────────────────────


def _book(path, sheet, titles, header, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for n, text in enumerate(titles, 1):
        ws.cell(row=n, column=1, value=text)
    first = len(titles) + 2
    for column, text in enumerate(header, 1):
        ws.cell(row=first, column=column, value=text)
    for offset, values in enumerate(rows, 1):
        for column, value in enumerate(values, 1):
            if value is not None:
                cell = ws.cell(row=first + offset, column=column, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return first


REGISTER_HEADER = ["STT", "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Đơn vị chủ trì",
                   "Đơn vị phối hợp", "Thời hạn", "Sản phẩm"]  # fmt: skip
TASK_HEADER = ["STT", "Mã NV", "Nội dung nhiệm vụ", "Tiến độ", "Ngày hoàn thành",
               "Kết quả thực hiện", "Khó khăn, vướng mắc", "Đề xuất, kiến nghị"]  # fmt: skip


@pytest.fixture(scope="module")
def period(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    _book(
        raw / "phan-cong" / "phan-cong.xlsx",
        "Phụ lục",
        ["UBND PHƯỜNG", "PHỤ LỤC PHÂN CÔNG NHIỆM VỤ"],
        REGISTER_HEADER,
        [
            (
                1,
                "3.2",
                None,
                "kinh_te",
                "Văn phòng HĐND và UBND",
                "6 tháng đầu năm 2026",
                "Hạ tầng",
            ),
            (2, "3.10", None, "Phòng Kinh tế", None, "Hằng năm", None),
            (3, "8.2", None, "Công an", "Phòng VH-XH; Văn phòng HĐND và UBND", "Quý II/2026", None),
            (4, "12.4", None, "Công an", None, "Năm 2026", None),  # no such task
            (5, "8.1", None, "Ban Chỉ huy Quân sự", None, "Năm 2026", None),  # no such unit
            (6, "9.1", None, "Phòng Kinh tế", None, "Khi có kinh phí", None),  # no deadline
            (7, "4.a", None, "Phòng Kinh tế", None, "Năm 2026", None),
            (8, "4.a", None, "Phòng Kinh tế", None, "Năm 2027", None),  # a conflicting copy
            (9, "2.2", None, None, None, None, None),  # listed, not assigned: blank
            # Rows naming a target (by its code, by its exact name) rather than a task.
            (10, "vneid_residents", None, "Công an", "Văn phòng HĐND và UBND", None, None),
            (
                11,
                None,
                "Tỷ lệ phủ sóng 5G trên địa bàn",
                "Văn phòng HĐND và UBND",
                None,
                None,
                None,
            ),
            (12, "dossiers_online", None, "Ban Chỉ huy Quân sự", None, None, None),
            (13, "officials_digital_mastery", None, "Văn phòng HĐND và UBND", None, None, None),
            (14, "officials_digital_mastery", None, "Phòng VH-XH", None, None, None),
        ],
    )
    _book(
        raw / "2026-Q3" / "kinh-te.xlsx",
        "Nhiem vu",
        ["PHÒNG KINH TẾ, HẠ TẦNG VÀ ĐÔ THỊ", "Kỳ báo cáo: Quý III/2026"],
        TASK_HEADER,
        [
            (1, "3.2", None, "Đang triển khai", None, None, "Thiếu <b>kinh phí</b>", "=1+1"),
            (
                2,
                3.1,
                "Bố trí đủ nguồn lực (nhân lực, vật lực, tài lực)",
                "Đang thực hiện",
                None,
                None,
                None,
                None,
            ),
            (3, "4.a", None, "Hoàn thành", datetime(2026, 9, 15), "Đã ban hành", None, None),
            (4, "4.a", None, "Hoàn thành", datetime(2026, 9, 15), "Đã ban hành", None, None),
            (5, "9.1", None, "Hoàn thành", "20/9/2026", None, None, None),
            (6, "9.1", None, "Đang thực hiện", None, None, None, None),
            (7, "3.11", None, "Hoàn thành", "15/10/2026", None, None, None),
            (8, "3.9", None, "Tạm dừng", None, None, None, None),
            (9, "3.5", None, "Đang thực hiện", "01/09/2026", None, None, None),
            (10, "3.3", "Phối hợp rà soát, đánh giá", None, None, "Đã góp ý", None, None),
            (11, "3.4", "Xây dựng quy hoạch", None, None, None, None, None),  # listed only
            (12, None, None, None, None, None, None, None),
        ],
    )
    _book(
        raw / "2026-Q3" / "van-phong.xlsx",
        "NV",
        ["VĂN PHÒNG HĐND VÀ UBND PHƯỜNG", "Kỳ báo cáo: Quý III năm 2026"],
        ["Mã", "Nhiệm vụ", "Tình trạng", "Ngày hoàn thành", "Khó khăn, vướng mắc"],
        [("3.2", None, "Đang thực hiện", None, "Chờ bàn giao thiết bị")],
    )
    return read_period(EXAMPLE.with_paths(raw_dir=raw), "2026-Q3")


def test_register_rows_accepted_and_refused_with_reasons(period):
    accepted = period.assignments.set_index("task_id")
    assert list(accepted.index) == ["3.2", "3.10", "8.2"]
    assert tuple(accepted.loc["3.2", ["lead_unit", "coordinators", "deadline", "recurring"]]) == (
        "kinh_te", "van_phong", "2026-06-30", "",
    )  # fmt: skip
    assert accepted.loc["3.10", "recurring"] == "yearly"
    assert accepted.loc["8.2", "coordinators"] == "van_hoa_xa_hoi; van_phong"
    refused = period.quarantine[period.quarantine["source_file"] == "phan-cong/phan-cong.xlsx"]
    reasons = dict(zip(refused["source_row"], refused["reason"], strict=True))
    assert "mã nhiệm vụ “12.4” không có trong kế hoạch" in reasons[8]
    assert "đơn vị chủ trì “Ban Chỉ huy Quân sự” không có trong danh sách đơn vị" in reasons[9]
    assert "thời hạn “Khi có kinh phí” không đọc được" in reasons[10]
    assert "mâu thuẫn: nhiệm vụ 4.a được phân công 2 lần" in reasons[11]
    assert "mâu thuẫn: nhiệm vụ 4.a được phân công 2 lần" in reasons[12]


def test_register_rows_naming_a_target_lead_it_or_say_why_not(period):
    leads = period.target_leads
    assert leads[["indicator_id", "lead_unit", "coordinators", "source_cell"]].values.tolist() == [
        ["vneid_residents", "cong_an", "van_phong", "D14"],
        ["coverage_5g", "van_phong", "", "D15"],
    ]
    refused = period.quarantine[period.quarantine["source_file"] == "phan-cong/phan-cong.xlsx"]
    reasons = dict(zip(refused["source_row"], refused["reason"], strict=True))
    assert reasons[16] == (
        "Trang “Phụ lục”, dòng 16: chỉ tiêu “Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến”: "
        "đơn vị chủ trì “Ban Chỉ huy Quân sự” không có trong danh sách đơn vị."
    )
    # Two different leads for one target: neither is guessed.
    for row in (17, 18):
        assert (
            "mâu thuẫn: chỉ tiêu officials_digital_mastery được giao cho 2 đơn vị" in reasons[row]
        )


def test_task_reports_accepted_with_role_and_provenance(period):
    got = [
        tuple(r)
        for r in period.task_reports[
            ["task_id", "reported_by", "role", "state", "completed_on", "source_file",
             "source_sheet", "source_cell"]
        ].itertuples(index=False)
    ]  # fmt: skip
    assert got == [
        ("3.2", "kinh_te", "lead", "in_progress", "", "2026-Q3/kinh-te.xlsx", "Nhiem vu", "D5"),
        ("3.10", "kinh_te", "lead", "in_progress", "", "2026-Q3/kinh-te.xlsx", "Nhiem vu", "D6"),
        ("4.a", "kinh_te", "contribution", "done", "2026-09-15", "2026-Q3/kinh-te.xlsx",
         "Nhiem vu", "D7"),
        ("3.2", "van_phong", "contribution", "in_progress", "", "2026-Q3/van-phong.xlsx", "NV",
         "C5"),
    ]  # fmt: skip
    first = period.task_reports.iloc[0]
    # The unit's words are kept as text: markup stays inert, a leading "=" is not a formula.
    assert (first["difficulties"], first["proposals"]) == ("Thiếu <b>kinh phí</b>", "=1+1")


def test_task_rows_refused_with_reasons(period):
    q = period.quarantine[period.quarantine["source_file"] == "2026-Q3/kinh-te.xlsx"]
    reasons = dict(zip(q["source_row"], q["reason"], strict=True))
    assert "trùng lặp: nhiệm vụ 4.a đã được báo cáo giống hệt" in reasons[8]
    assert "mâu thuẫn: đơn vị báo cáo nhiệm vụ 9.1 2 lần" in reasons[9]
    assert "mâu thuẫn: đơn vị báo cáo nhiệm vụ 9.1 2 lần" in reasons[10]
    assert "ngày hoàn thành 15/10/2026 sau ngày cuối kỳ báo cáo 30/09/2026" in reasons[11]
    assert "tình trạng “Tạm dừng” không hợp lệ" in reasons[12]
    assert "có ngày hoàn thành nhưng tình trạng là “Đang thực hiện”" in reasons[13]
    assert "thiếu tình trạng thực hiện" in reasons[14]


def test_every_row_is_accounted_for(period):
    quality = period.quality.set_index("source_file")
    for column in ("rows_read", "accepted", "quarantined", "blank"):
        quality[column] = quality[column].astype(int)
    assert tuple(quality.loc["phan-cong/phan-cong.xlsx", ["rows_read", "accepted",
                 "quarantined", "blank"]]) == (14, 5, 8, 1)  # fmt: skip
    assert tuple(quality.loc["2026-Q3/kinh-te.xlsx", ["rows_read", "accepted", "quarantined",
                 "blank"]]) == (12, 3, 7, 2)  # fmt: skip
    assert (
        quality["rows_read"] == quality["accepted"] + quality["quarantined"] + quality["blank"]
    ).all()
    total = (
        len(period.observations)
        + len(period.task_reports)
        + len(period.assignments)
        + len(period.target_leads)
    )
    assert quality["accepted"].sum() == total


def test_reports_read_back_at_their_cells(period, tmp_path):
    assert isinstance(period.task_reports, pd.DataFrame)
    for row in period.task_reports.itertuples(index=False):
        assert row.source_cell[0] in "CD"  # the state column of each sheet
