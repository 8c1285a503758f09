"""Generate the illustrative unit workbooks under data/raw/<period>/ (số liệu minh họa).

The workbooks imitate what ward units really send: filled templates beside loose
tables with titles above the header, merged banners, extra columns, several
sheets, names without diacritics or abbreviated, Vietnamese number text, bare
fractions, numerator/denominator pairs, formula cells with cached values,
signature footers and empty rows — plus a few rows that must be quarantined
(a percent of 105, an unknown indicator, a conflict, a file for the wrong period).

The trajectory 2025-Q4 → 2026-Q3 is plausible against the plan's 2025 and 2030
milestones: VNeID 66 → 79% (2025 target ≥ 70% missed, then reached), dossiers
online 84 → 89%, 5G 78 → 88%, budget share 2,1–2,6%, initiatives counted within
each quarter, the IOC finished in 2026-Q2, contactless transactions dipping in
2026-Q2. All figures are invented for demonstration.

Run:  .venv/bin/python scripts/make_illustrative_data.py [--out data/raw]
"""

from __future__ import annotations

import argparse
import re
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from nq57lib.collect.task_templates import HEADER_ROW as TASK_HEADER_ROW
from nq57lib.collect.task_templates import TASK_SHEET, add_task_sheet
from nq57lib.collect.template import HEADER_ROW, NOTE_COL, VALUE_COL, build_template
from nq57lib.collect.units import load_reporting_units
from nq57lib.core import config
from nq57lib.core.calendar import add_working_days
from nq57lib.core.periods import Period
from nq57lib.core.project import Project
from nq57lib.plan.registry import load_registry
from nq57lib.plan.tasks import build_task_catalogue

# The shipped example project (phường Hồng Bàng): the repository's root.
EXAMPLE = Project.load(Path(__file__).resolve().parent.parent)
PERIODS = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")
LABEL = config.ILLUSTRATIVE_LABEL
FIXED_TIME = datetime(2026, 10, 5, 8, 0, 0)
# When each unit saved its workbook, Vietnam time, as working days after the period's last
# day and a time of day: the files' "modified" property, which nq57 reads to tell a resent
# workbook from the first and a late one from those on time (ward.yaml: units due three
# working days after the cut-off). Phòng Kinh tế sends 2026-Q3 late; Trung tâm Phục vụ
# hành chính công resends a corrected figure in 2026-Q1.
SAVED_AFTER = {
    "cong-an.xlsx": (1, 9, 15),
    "mot-cua.xlsx": (1, 16, 40),
    "mot-cua-bo-sung.xlsx": (2, 10, 5),
    "kinh-te.xlsx": (2, 10, 30),
    "van-hoa-xa-hoi.xlsx": (3, 8, 45),
    "van-hoa-xa-hoi-gui-lai.xlsx": (5, 14, 0),
    "van-phong.xlsx": (1, 15, 10),
}
LATE = {("2026-Q3", "kinh-te.xlsx"): (6, 14, 20)}
REGISTER_SAVED = datetime(2025, 10, 20, 9, 0)


def ward_caps() -> str:
    """The ward as its units' banners write it: "PHƯỜNG HỒNG BÀNG" (from its profile, so
    that scripts/make_illustrative_city.py can generate other wards' workbooks)."""
    return EXAMPLE.profile.ward.upper()


def saved_time(code: str, name: str) -> datetime:
    """The Vietnam time a unit saved ``name`` of period ``code`` (see SAVED_AFTER)."""
    days, hour, minute = LATE.get((code, name), SAVED_AFTER[name])
    day = add_working_days(Period.parse(code).end, days)
    return datetime(day.year, day.month, day.day, hour, minute)


SIGN_DATES = {
    "2025-Q4": "05 tháng 01 năm 2026",
    "2026-Q1": "06 tháng 04 năm 2026",
    "2026-Q2": "06 tháng 07 năm 2026",
    "2026-Q3": "05 tháng 10 năm 2026",
}

# ── figures by period index (0 = 2025-Q4 … 3 = 2026-Q3); None = not reported ──
POLICE = {
    "vneid_residents": (66.0, 72.0, 76.0, 79.0),
    "digital_signature_residents": (4.2, 5.1, 6.0, 7.3),
}
RESIDENTS = 54_700  # denominator used when the police report VNeID as a pair (2026-Q2)
ONE_STOP = {
    "tthc_cross_boundary": (None, 65.0, 70.0, 72.0),
    "tthc_business_online": (92.0, 95.0, 97.0, 100.0),
    "contactless_transactions": (71.0, 73.0, 68.0, 74.0),
    "dossiers_digitised": (80.0, 83.0, 85.0, 88.0),
    "dossiers_online": (84.0, 86.0, 88.0, 89.0),
    "full_online_public_services": (55.0, 58.0, 62.0, 65.0),
}
DOSSIERS_TOTAL = (1_650, 1_800, 1_750, 1_900)
ECONOMY_INFRA = {  # sheet "Hạ tầng số"
    "coverage_5g": (0.78, 0.82, 0.85, 0.88),  # sent as bare fractions
    "coverage_5g_hotspots": (90.0, 95.0, 100.0, 100.0),
    "broadband_gigabit_users": (35.0, 38.0, None, 44.0),
}
ECONOMY_DIGITAL = {  # sheet "Kinh tế số"
    "sme_digital_adoption": (40.0, 43.0, 47.0, 50.0),
    "enterprises_innovating": (12.0, 13.0, 15.0, 16.0),
    "st_enterprises_connected": (3, 4, 4, 5),
    "innovation_projects_funded": (0, 0, 1, 0),
    "ecommerce_promotion": ("Đang triển khai",) * 4,
}
UNIT_LABELS = {
    "st_enterprises_connected": "doanh nghiệp",
    "innovation_projects_funded": "dự án",
    "ecommerce_promotion": "",
}
BUDGET = ((1_090, 51_900), (1_180, 51_300), (1_250, 52_000), (1_380, 53_100))  # million VND
CULTURE_FLOWS = {  # counts within each quarter
    "st_initiatives_ward": (1, 0, 1, 1),
    "st_initiatives_city": (0, 0, 1, 0),
    "public_sector_initiatives": (3, 2, 4, 3),
    "student_national_prizes": (0, 0, 2, 0),
}
SCHOOLS_LEVEL2 = ((7, 12), (8, 12), (9, 12), (10, 12))
CULTURE_LEVELS = {
    "schools_digital_signing": (50.0, 60.0, 75.0, 80.0),
    "schools_stem": (40.0, 50.0, 55.0, 60.0),
    "adults_digital_services_regular_use": (45.0, 48.0, 50.0, 53.0),
}
OFFICE = {
    "officials_basic_digital_training": (88.0, 105.0, 94.0, 96.0),  # 105 is a typing error
    "officials_digital_mastery": (60.0, 63.0, 66.0, 70.0),
    "cloud_information_systems": (30.0, 35.0, 40.0, 45.0),
    "data_on_lgsp": (50.0, 55.0, 60.0, 62.0),
    "unified_management_software": (80.0, 90.0, 100.0, 100.0),
    "digital_inspections": (None, 25.0, 30.0, 35.0),
    "operations_centre": ("Đang triển khai", "Đang triển khai", "Hoàn thành", "Hoàn thành"),
    "data_centre": ("Chưa triển khai", "Chưa triển khai", "Đang triển khai", "Đang triển khai"),
    "cybersecurity_compliance": ("Đang triển khai",) * 4,
}


# ── the assignment register and the units' task reports (issue: tasks) ──────────────────
KT, VH, VP, CA, MC = "kinh_te", "van_hoa_xa_hoi", "van_phong", "cong_an", "mot_cua"
# How the ward office writes each unit in the register: names, aliases, a code.
UNIT_WRITTEN = {
    KT: "Phòng Kinh tế, Hạ tầng và Đô thị",
    VH: "Phòng VH-XH",
    VP: "Văn phòng HĐND và UBND",
    CA: "Công an",
    MC: "Trung tâm Phục vụ hành chính công phường",
}
# task: (lead, coordinators, deadline as written, product, story of states by period).
# Story letters per period 2025-Q4 … 2026-Q3: N not started, I in progress, D done, - silent.
REGISTER = {
    "1.1": (VP, [VH], "Quý IV/2025", "Quyết định thành lập Ban Chỉ đạo", "D---"),
    "1.2": (VP, [], datetime(2025, 12, 31), "Kế hoạch, văn bản chỉ đạo", "IDD-"),
    "1.3": (VP, [KT], "Năm 2026", "Nghị quyết, kế hoạch có lồng ghép", "NIII"),
    "1.4": (VP, [], "Thường xuyên", "Ý kiến tư vấn của chuyên gia", "IIII"),
    "1.5": (VP, [KT, VH], "30/6/2026", "Quy chế phối hợp", "NIID"),
    "2.1": (VH, [VP], "Quý I/2026", "Hội nghị quán triệt", "IDDD"),
    "2.2": (VP, [], "31/12/2025", "Kế hoạch hành động", "DDDD"),
    "2.3": (VP, [], "Hằng năm", "Tiêu chí thi đua", "IIII"),
    "2.4": (VH, [CA], "Thường xuyên", "Tin, bài, chuyên mục", "IIII"),
    "2.5": (VP, [VH], "6 tháng đầu năm 2026", "Quy tắc ứng xử trên môi trường số", "NNII"),
    "3.1": (VP, [], "Thường xuyên", "Văn bản triển khai", "-III"),
    "3.2": (KT, [VP], "6 tháng đầu năm 2026", "Hạ tầng CNTT được đầu tư", "NIII"),
    "3.3": (KT, [], "Năm 2026", "Ý kiến góp ý chính sách", "NNII"),
    "3.4": (KT, [VH], "Năm 2027", "Quy hoạch, chiến lược", "NNNN"),
    "3.5": (KT, [], "Năm 2027", "Đề xuất cơ chế đặc thù", "NNNI"),
    "3.6": (KT, [], "Quý III/2026", "Doanh nghiệp được hỗ trợ", "NIII"),
    "3.7": (KT, [], "Năm 2026", "Hồ sơ tiếp cận Quỹ", "NNII"),
    "3.8": (MC, [VP], "Thường xuyên", "Thủ tục được đơn giản hóa", "IIII"),
    "3.9": (KT, [], "Năm 2027", "Dự án thu hút", "----"),
    "3.10": (KT, [VP], "Hằng năm", "Dự toán ngân sách", "IIII"),
    "3.11": (KT, [], "Năm 2027", "Danh mục dự án đầu tư công", "NNII"),
    "4.a": (KT, [VP], "Năm 2026", "Chiến lược hạ tầng số", "NIID"),
    "4.b": (KT, [], "Năm 2026", "Quy hoạch có lồng ghép", "NNNN"),
    "4.c": (VP, [KT], "Năm 2027", "Trung tâm dữ liệu, IOC", "NNII"),
    "4.d": (KT, [], "Thường xuyên", "Vùng phủ sóng mở rộng", "IIII"),
    "4.e": (VP, [], "Quý IV/2026", "Dữ liệu mở được công bố", "NNNI"),
    "4.f": (VP, [], "Thường xuyên", "Văn bản xử lý trên môi trường mạng", "IIII"),
    "4.g": (KT, [VH], "Năm 2027", "Giải pháp giám sát môi trường", "----"),
    "5.a": (KT, [], "Năm 2027", "Nhà đầu tư được kết nối", "NNNN"),
    "5.b": (VH, [KT], "Năm 2026", "Chương trình kết nối", "NIII"),
    "5.c": (KT, [], "Thường xuyên", "Doanh nghiệp khởi nghiệp được hỗ trợ", "IIII"),
    "5.d": (VH, [], "Năm 2027", "Nhiệm vụ KH&CN được triển khai", "NNNN"),
    "5.e": (KT, [VH], "Sớm nhất có thể", "Hợp tác với trường đại học", "----"),
    "6.1": (VP, [], "Quý II/2026", "Kế hoạch đào tạo", "NIDD"),
    "6.2": (VP, [], "Quý I/2026", "Kế hoạch bồi dưỡng kỹ năng số", "NNII"),
    "6.3": (VH, [], "Năm 2026", "Thỏa thuận hợp tác đào tạo", "NNII"),
    "6.4": (VH, [VP], "Năm 2027", "Cơ sở dữ liệu nhân lực", "NNNN"),
    "6.5": (VP, [], "Năm 2027", "Chính sách thu hút nhân tài", "NNNN"),
    "7.1": (VP, [KT], "Năm 2026", "Dữ liệu được chia sẻ", "NIII"),
    "7.2": (VP, [CA], "Năm 2026", "Nền tảng số được triển khai", "NIII"),
    "7.3": ("kinh_te", [], "Năm 2026", "Doanh nghiệp được hỗ trợ chuyển đổi số", "NNII"),
    "8.1": (CA, [VP], "Thường xuyên", "Báo cáo an toàn thông tin", "IIII"),
    "8.2": (CA, [VP], "Quý II/2026", "Đội ứng cứu sự cố", "NNNN"),
    "8.3": ("Ban Chỉ huy Quân sự phường", [CA], "Năm 2026", "Quy chế phối hợp", "----"),
    "9.1": (KT, [], "Năm 2026", "Diễn đàn, hội thảo", "NNII"),
    "9.2": (KT, [VP], "Năm 2026", "Thỏa thuận hợp tác quốc tế", "----"),
    "10.a": (VP, [], "Hằng năm", "Báo cáo kiểm tra, giám sát", "IIII"),
    "10.b": (VP, [], "Thường xuyên", "Thông tin được công khai", "IIII"),
    "V.1": (VH, [], "Định kỳ hằng năm trước 30/11", "Báo cáo năm", "III-"),
    "V.3": (VH, [], "Thường xuyên", "Văn bản hướng dẫn, đôn đốc", "IIII"),
    "V.4": (KT, [], "Hằng năm", "Dự toán kinh phí", "IIII"),
}
# Register rows that name a target instead of a task (by its code, or by its exact name):
# the office gives the lead of the target to a unit other than the one that reports it.
TARGET_ROWS = (
    ("cybersecurity_unit", "", CA, [VP], "Bộ phận an ninh mạng của phường"),
    ("", "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến", VP, [MC], "Hồ sơ trực tuyến"),
)
# Completion dates as units write them (None: the unit ticks "Hoàn thành" without a date).
COMPLETED = {
    "1.1": date(2025, 11, 15),
    "1.2": date(2026, 2, 20),
    "1.5": date(2026, 8, 10),
    "2.1": date(2026, 3, 15),
    "2.2": None,
    "4.a": date(2026, 9, 15),
    "6.1": date(2026, 6, 20),
}
# What a unit writes about a task (result, difficulties, proposals), by period index.
TASK_NOTES = {
    ("3.2", 3): (
        "Đã lắp đặt mạng nội bộ tầng 2",
        "Chưa bố trí được kinh phí nâng cấp máy chủ",
        "Đề nghị UBND phường bổ sung kinh phí năm 2026",
    ),
    ("8.2", 3): (
        "",
        "Thiếu cán bộ chuyên trách về an ninh mạng",
        "Đề nghị Công an thành phố hỗ trợ tập huấn ứng cứu sự cố",
    ),
    ("2.5", 3): ("Đã có dự thảo", "Chưa có quy chế mẫu của thành phố", ""),
    ("6.2", 3): ("", "Lịch học trùng cao điểm giải quyết hồ sơ", ""),
}
# The analyst's words for the latest quarter (data/raw/2026-Q3/nhan-dinh.md). Markup and
# formula text are hostile cases: they live in the tests, not in the shipped example.
NARRATIVE_Q3 = """<!-- Số liệu minh họa: nhận định do nq57 sinh ra để minh họa,
không phải của phường. -->

# Kết quả đạt được

Ban Chỉ đạo của phường duy trì giao ban hằng tháng; các phòng, ban đã cập nhật tiến độ
nhiệm vụ vào phụ lục phân công đúng hạn.

# Tồn tại, hạn chế và nguyên nhân

Kinh phí nâng cấp hạ tầng công nghệ thông tin chưa được bố trí kịp thời; một số đơn vị
gửi số liệu chậm, ghi số liệu chưa đúng biểu mẫu (ví dụ ghi 0,88 thay cho 88%).

# Phương hướng, nhiệm vụ kỳ tới

- Hoàn thành bộ phận an ninh mạng giám sát, ứng cứu sự cố trước 31/12/2026.
- Tổ chức bồi dưỡng kỹ năng số cho cán bộ, công chức còn lại trong quý IV năm 2026.

# Đề xuất, kiến nghị

Đề nghị Ủy ban nhân dân thành phố hỗ trợ kinh phí nâng cấp máy chủ của phường.
"""
STATE_WORDS = {"N": "Chưa triển khai", "I": "Đang thực hiện", "D": "Hoàn thành"}


def vi_number(value: float, decimals: int = 1) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def _new_book() -> Workbook:
    wb = Workbook()
    wb.properties.creator = "nq57 make_illustrative_data.py"
    wb.properties.created = FIXED_TIME
    return wb


def _banner(ws, rows: list[str], width: int) -> None:
    for row, text in enumerate(rows, 1):
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _signature(ws, row: int, left: str, right: str, right_col: int, period: str) -> None:
    ws.cell(row=row, column=right_col, value=f"{EXAMPLE.profile.place}, ngày {SIGN_DATES[period]}")
    ws.cell(row=row + 1, column=2, value=left).font = Font(bold=True)
    ws.cell(row=row + 1, column=right_col, value=right).font = Font(bold=True)
    ws.cell(row=row + 2, column=2, value="(Ký, ghi rõ họ tên)")
    ws.cell(row=row + 2, column=right_col, value="(Ký, ghi rõ họ tên)")


def police(period: Period, k: int) -> tuple[Workbook, dict]:
    """Loose table, names without diacritics, '66,0%' text; 2026-Q2 as numerator/denominator."""
    wb = _new_book()
    ws = wb.active
    ws.title = "Bao cao"
    pair = period.code == "2026-Q2"
    width = 7 if pair else 5
    _banner(
        ws,
        [
            f"CÔNG AN {ward_caps()}",
            f"BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU CHUYỂN ĐỔI SỐ {period.label_vi.upper()}",
            f"({LABEL})",
        ],
        width,
    )
    head = ["STT", "Noi dung", "DVT", "Ket qua", "Ghi chu"]
    if pair:
        head = ["STT", "Noi dung", "DVT", "Ket qua", "Tu so", "Mau so", "Ghi chu"]
    for column, text in enumerate(head, 1):
        ws.cell(row=5, column=column, value=text).font = Font(bold=True)
    vneid = POLICE["vneid_residents"][k]
    rows = [
        (1, "Ty le nguoi dan co tai khoan dinh danh dien tu (VNeID)", "%"),
        (2, "Nguoi dan co CKS", "%"),
    ]
    for offset, (stt, name, unit) in enumerate(rows):
        row = 6 + offset
        ws.cell(row=row, column=1, value=stt)
        ws.cell(row=row, column=2, value=name)
        ws.cell(row=row, column=3, value=unit)
    signature = POLICE["digital_signature_residents"][k]
    if pair:
        ws.cell(row=6, column=5, value=round(RESIDENTS * vneid / 100))
        ws.cell(row=6, column=6, value=RESIDENTS)
        ws.cell(row=6, column=7, value="Số dân theo CSDL quốc gia về dân cư")
        ws.cell(row=7, column=4, value=f"{vi_number(signature)} %")
    else:
        ws.cell(row=6, column=4, value=f"{vi_number(vneid)}%")
        ws.cell(row=7, column=4, value=f"{vi_number(signature)} %")
        ws.cell(row=6, column=5, value="Đã kích hoạt mức 2")
    _signature(ws, 10, "Người lập biểu", "TRƯỞNG CÔNG AN PHƯỜNG", 4, period.code)
    return wb, {}


def one_stop(period: Period, k: int, registry, units) -> tuple[Workbook, dict]:
    """The filled collection template; 2026-Q1 gives dossiers as a pair, 2026-Q3 as a formula."""
    wb = build_template(period, units.get("mot_cua"), registry, EXAMPLE.profile)
    ws = wb["Số liệu"]
    ws.cell(row=5, column=1, value=LABEL).font = Font(bold=True, color="C00000")
    cached: dict = {}
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        indicator_id = ws.cell(row=row, column=2).value
        if indicator_id not in ONE_STOP:
            continue
        value = ONE_STOP[indicator_id][k]
        if value is None:
            ws.cell(row=row, column=NOTE_COL, value="Chưa có số liệu từ hệ thống một cửa điện tử")
            continue
        if indicator_id == "dossiers_online" and period.code in ("2026-Q1", "2026-Q3"):
            total = DOSSIERS_TOTAL[k]
            online = round(total * value / 100)
            ws.cell(row=row, column=VALUE_COL + 1, value=online)
            ws.cell(row=row, column=VALUE_COL + 2, value=total)
            if period.code == "2026-Q3":
                ws.cell(row=row, column=VALUE_COL, value=f"=ROUND(G{row}/H{row}*100,1)")
                cached[(ws.title, f"F{row}")] = round(online / total * 100, 1)
            continue
        ws.cell(row=row, column=VALUE_COL, value=value)
    return wb, cached


def one_stop_extra(period: Period) -> Workbook:
    """A second, loose file in 2026-Q1 repeating one indicator with another figure (a conflict)."""
    wb = _new_book()
    ws = wb.active
    ws.title = "Bo sung"
    _banner(
        ws,
        ["TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG", f"Số liệu bổ sung {period.label_vi}", LABEL],
        4,
    )
    for column, text in enumerate(["Chỉ tiêu", "Kết quả", "Ghi chú"], 1):
        ws.cell(row=4, column=column, value=text)
    ws.cell(row=5, column=1, value="Giao dich hanh chinh phi tiep xuc")
    ws.cell(row=5, column=2, value="74,5%")
    ws.cell(row=5, column=3, value="Số liệu cập nhật ngày 02/04/2026")
    return wb


def economy(period: Period, k: int) -> tuple[Workbook, dict]:
    """Two sheets, extra columns (plan, same period last year), fractions, a formula with a pair."""
    wb = _new_book()
    infra = wb.active
    infra.title = "Hạ tầng số"
    _banner(
        infra,
        [
            "PHÒNG KINH TẾ, HẠ TẦNG VÀ ĐÔ THỊ",
            f"KẾT QUẢ HẠ TẦNG SỐ - KỲ BÁO CÁO: {period.label_vi.upper()}",
            LABEL,
        ],
        6,
    )
    head = ["TT", "Tên chỉ tiêu", "Kế hoạch năm", "Thực hiện", "So sánh cùng kỳ", "Ghi chú"]
    for column, text in enumerate(head, 1):
        infra.cell(row=5, column=column, value=text).font = Font(bold=True)
    names = {
        "coverage_5g": "Ty le phu song 5G tren dia ban",
        "coverage_5g_hotspots": "Phủ sóng 5G khu du lịch",
        "broadband_gigabit_users": "Tỷ lệ người dùng băng rộng cố định > 1 Gb/s",
    }
    row = 6
    for number, (indicator_id, series) in enumerate(ECONOMY_INFRA.items(), 1):
        infra.cell(row=row, column=1, value=number)
        infra.cell(row=row, column=2, value=names[indicator_id])
        infra.cell(row=row, column=3, value="≥ 80%" if indicator_id == "coverage_5g" else "100%")
        if series[k] is not None:
            infra.cell(row=row, column=4, value=series[k])
        else:
            infra.cell(row=row, column=6, value="Doanh nghiệp viễn thông chưa cung cấp")
        row += 1
        if number == 2:
            row += 1  # an empty row left in the middle of the table
    if period.code == "2026-Q3":
        infra.cell(row=row, column=1, value=4)
        infra.cell(row=row, column=2, value="Tỷ lệ hộ gia đình sử dụng cáp quang")
        infra.cell(row=row, column=4, value="91%")
        row += 1
    _signature(infra, row + 2, "Người lập biểu", "TRƯỞNG PHÒNG", 4, period.code)

    digital = wb.create_sheet("Kinh tế số")
    _banner(digital, [f"KINH TẾ SỐ, ĐỔI MỚI SÁNG TẠO — {period.label_vi} ({LABEL})"], 7)
    head = ["STT", "Chỉ tiêu", "ĐVT", "Giá trị", "Tử số", "Mẫu số", "Ghi chú"]
    for column, text in enumerate(head, 1):
        digital.cell(row=3, column=column, value=text).font = Font(bold=True)
    names = {
        "sme_digital_adoption": "Tỷ lệ DNNVV ứng dụng công nghệ số",
        "enterprises_innovating": "Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo",
        "st_enterprises_connected": "Số DN KH&CN được kết nối (lũy kế)",
        "innovation_projects_funded": "Số dự án ĐMST được hỗ trợ từ ngân sách phường",
        "ecommerce_promotion": "Đẩy mạnh ứng dụng thương mại điện tử",
    }
    cached: dict = {}
    row = 4
    for number, (indicator_id, series) in enumerate(ECONOMY_DIGITAL.items(), 1):
        digital.cell(row=row, column=1, value=number)
        digital.cell(row=row, column=2, value=names[indicator_id])
        unit = UNIT_LABELS.get(indicator_id, "%")
        digital.cell(row=row, column=3, value=unit)
        value = series[k]
        digital.cell(row=row, column=4, value=f"{vi_number(value)}%" if unit == "%" else value)
        row += 1
    spent, total = BUDGET[k]
    digital.cell(row=row, column=1, value=number + 1)
    digital.cell(row=row, column=2, value="Tỷ lệ chi NSNN cho KH&CN, ĐMST, CĐS")
    digital.cell(row=row, column=3, value="%")
    if period.code in ("2026-Q2", "2026-Q3"):
        digital.cell(row=row, column=4, value=f"=E{row}/F{row}*100")
        digital.cell(row=row, column=5, value=spent)
        digital.cell(row=row, column=6, value=total)
        digital.cell(row=row, column=7, value="Tử số, mẫu số: triệu đồng, lũy kế chi đến cuối kỳ")
        cached[(digital.title, f"D{row}")] = spent / total * 100
    else:
        digital.cell(row=row, column=4, value=f"{vi_number(spent / total * 100)}%")
    _signature(digital, row + 2, "Người lập biểu", "TRƯỞNG PHÒNG", 5, period.code)
    return wb, cached


def culture(period: Period, k: int) -> tuple[Workbook, dict]:
    """Abbreviated names, flows per quarter beside a year-to-date column, schools as a pair."""
    wb = _new_book()
    guide = wb.active
    guide.title = "Huong dan"
    guide["A1"] = "Biểu tổng hợp của Phòng Văn hóa - Xã hội; số liệu ở trang “Tong hop”."
    ws = wb.create_sheet("Tong hop")
    _banner(
        ws,
        [
            f"UBND {ward_caps()}",
            "PHÒNG VĂN HÓA - XÃ HỘI",
            f"TỔNG HỢP KẾT QUẢ {period.label_vi.upper()} — {LABEL.upper()}",
        ],
        7,
    )
    head = [
        "STT",
        "Nội dung chỉ tiêu",
        "Đơn vị tính",
        "Kết quả trong quý",
        "Lũy kế từ đầu năm",
        "Tử số",
        "Mẫu số",
    ]
    for column, text in enumerate(head, 1):
        ws.cell(row=5, column=column, value=text).font = Font(bold=True)
    ws.cell(row=6, column=1, value="I")
    ws.cell(row=6, column=2, value="GIÁO DỤC")
    schools, total = SCHOOLS_LEVEL2[k]
    rows = [
        ("CSGD phổ thông đạt mức CĐS 2", "%", None, None, schools, total),
        (
            "Ký số học bạ số",
            "%",
            f"{vi_number(CULTURE_LEVELS['schools_digital_signing'][k])}%",
            None,
            None,
            None,
        ),
        ("CSGD triển khai STEM", "%", CULTURE_LEVELS["schools_stem"][k] / 100, None, None, None),
        (
            "Số HS đạt giải KHKT cấp quốc gia",
            "học sinh",
            CULTURE_FLOWS["student_national_prizes"][k],
            None,
            None,
            None,
        ),
    ]
    section_two = [
        ("SK cấp cơ sở", "sáng kiến", CULTURE_FLOWS["st_initiatives_ward"][k]),
        (
            "Sáng kiến đề xuất công nhận cấp thành phố",
            "sáng kiến",
            CULTURE_FLOWS["st_initiatives_city"][k],
        ),
        (
            "Số sáng kiến trong khu vực công được công nhận",
            "sáng kiến",
            CULTURE_FLOWS["public_sector_initiatives"][k],
        ),
    ]
    row = 7
    for number, (name, unit, value, ytd, num, den) in enumerate(rows, 1):
        ws.cell(row=row, column=1, value=number)
        ws.cell(row=row, column=2, value=name)
        ws.cell(row=row, column=3, value=unit)
        if value is not None:
            ws.cell(row=row, column=4, value=value)
        if ytd is not None:
            ws.cell(row=row, column=5, value=ytd)
        if num is not None:
            ws.cell(row=row, column=6, value=num)
            ws.cell(row=row, column=7, value=den)
        row += 1
    ws.cell(row=row, column=1, value="II")
    ws.cell(row=row, column=2, value="KHOA HỌC, SÁNG KIẾN, XÃ HỘI SỐ")
    row += 1
    first_quarter = period.code.endswith("Q1") or period.code.endswith("Q4")
    for number, (name, unit, value) in enumerate(section_two, 1):
        ws.cell(row=row, column=1, value=number)
        ws.cell(row=row, column=2, value=name)
        ws.cell(row=row, column=3, value=unit)
        ws.cell(row=row, column=4, value=value)
        # Year-to-date column: only filled where the office knows it; never the value read.
        if not first_quarter:
            ws.cell(row=row, column=5, value=value + 1)
        row += 1
    ws.cell(row=row, column=1, value=number + 1)
    ws.cell(row=row, column=2, value="Dân số trưởng thành thường xuyên sử dụng dịch vụ số")
    ws.cell(row=row, column=3, value="%")
    ws.cell(
        row=row, column=4, value=vi_number(CULTURE_LEVELS["adults_digital_services_regular_use"][k])
    )
    _signature(ws, row + 3, "Người tổng hợp", "TRƯỞNG PHÒNG", 5, period.code)
    return wb, {}


def office(period: Period, k: int) -> tuple[Workbook, dict]:
    """Codes in a 'Mã' column, statuses, notes holding HTML and '=…' text kept inert."""
    wb = _new_book()
    ws = wb.active
    ws.title = "Chi tieu VP"
    ws["A1"] = f"VĂN PHÒNG HĐND VÀ UBND PHƯỜNG — {LABEL}"
    ws["A2"] = f"Kỳ báo cáo: {period.label_vi}"
    head = ["Mã", "Tên chỉ tiêu", "Giá trị (%)", "Tình trạng", "Ghi chú", "Người cập nhật"]
    for column, text in enumerate(head, 1):
        ws.cell(row=4, column=column, value=text).font = Font(bold=True)
    registry = load_registry(EXAMPLE.registry_path, EXAMPLE.areas)
    row = 5
    for indicator_id, series in OFFICE.items():
        value = series[k]
        ws.cell(row=row, column=1, value=indicator_id)
        ws.cell(row=row, column=2, value=registry[indicator_id].name_vi)
        if isinstance(value, str):
            ws.cell(row=row, column=4, value=value)
        elif value is not None:
            ws.cell(row=row, column=3, value=value)
        ws.cell(row=row, column=6, value="Chuyên viên CNTT")
        row += 1
    ws.cell(row=row - 3, column=5, value="Đã nghiệm thu giai đoạn 1")
    row += 1
    ws.cell(row=row, column=1, value="Người lập biểu")
    ws.cell(row=row, column=4, value="CHÁNH VĂN PHÒNG")
    return wb, {}


def register_workbook(catalogue) -> Workbook:
    """The ward office's filled register: a title block, units by name, alias or code,
    every deadline form, a repeated row, an unknown unit, an unreadable deadline, and two
    rows that give the lead of a target (by its code, by its name) to another unit."""
    wb = _new_book()
    ws = wb.active
    ws.title = "Phan cong"
    _banner(
        ws,
        [
            f"ỦY BAN NHÂN DÂN {ward_caps()}",
            f"PHỤ LỤC PHÂN CÔNG NHIỆM VỤ THỰC HIỆN KẾ HOẠCH SỐ {EXAMPLE.profile.plan_number}",
            f"({LABEL})",
        ],
        7,
    )
    head = ["STT", "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
            "Thời hạn", "Sản phẩm"]  # fmt: skip
    for column, text in enumerate(head, 1):
        ws.cell(row=5, column=column, value=text).font = Font(bold=True)
    entries = list(REGISTER.items())
    entries.insert(3, entries[2])  # 1.3 entered twice, identically
    for n, (task_id, (lead, partners, deadline, product, _story)) in enumerate(entries, 1):
        row = 5 + n
        text = catalogue.text_of(task_id)
        values = [
            n,
            task_id,
            text if len(text) < 160 else text[:157] + "…",
            UNIT_WRITTEN.get(lead, lead),
            "; ".join(UNIT_WRITTEN[p] for p in partners),
            deadline,
            product,
        ]
        for column, value in enumerate(values, 1):
            cell = ws.cell(row=row, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            if isinstance(value, datetime):
                cell.number_format = "DD/MM/YYYY"
    for n, (code, name, lead, partners, product) in enumerate(TARGET_ROWS, len(entries) + 1):
        values = [n, code, name, UNIT_WRITTEN[lead], "; ".join(UNIT_WRITTEN[p] for p in partners),
                  "", product]  # fmt: skip
        for column, value in enumerate(values, 1):
            if value != "":
                cell = ws.cell(row=5 + n, column=column, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
    rows = len(entries) + len(TARGET_ROWS)
    _signature(ws, 6 + rows + 1, "Người lập", "CHỦ TỊCH", 5, "2025-Q4")
    return wb


def _reports(unit: str, k: int) -> list[tuple[str, str]]:
    """(task, state letter) the unit reports in period k: the tasks it leads, unless silent."""
    return [
        (task_id, entry[4][k])
        for task_id, entry in REGISTER.items()
        if entry[0] == unit and entry[4][k] != "-"
    ]


def _first_words(text: str, n: int = 9) -> str:
    return " ".join(text.split()[:n])


def _task_row(catalogue, task_id, letter, k, date_as_text, code_cell=None, text=True):
    done = letter == "D"
    when = COMPLETED.get(task_id) if done else None
    result, difficulty, proposal = TASK_NOTES.get((task_id, k), ("", "", ""))
    return {
        "code": task_id if code_cell is None else code_cell,
        "text": _first_words(catalogue.text_of(task_id)) if text else "",
        "state": STATE_WORDS[letter],
        "date": (when.strftime("%d/%m/%Y") if date_as_text else datetime(*when.timetuple()[:3]))
        if when
        else None,
        "result": result or ("Hoàn thành theo kế hoạch" if done else ""),
        "difficulty": difficulty,
        "proposal": proposal,
    }


def _write_task_sheet(wb, name, banner, headings, fields, rows, header_row) -> None:
    ws = wb.create_sheet(name)
    _banner(ws, banner, len(headings))
    for column, text in enumerate(headings, 1):
        ws.cell(row=header_row, column=column, value=text).font = Font(bold=True)
    for offset, values in enumerate(rows, 1):
        row = header_row + offset
        for column, field in enumerate(fields, 1):
            value = offset if field == "n" else values.get(field)
            if value in (None, ""):
                continue
            cell = ws.cell(row=row, column=column, value=value)
            if isinstance(value, datetime):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(value, str):
                cell.data_type = "s"


def add_unit_tasks(wb: Workbook, unit: str, period: Period, k: int, catalogue, units) -> None:
    """The unit's task report for period k, in the unit's own style."""
    label = period.label_vi
    if unit == VP:
        rows = [_task_row(catalogue, t, s, k, False) for t, s in _reports(VP, k)]
        for row in rows:
            row["state"] = row["state"].replace("Đang thực hiện", "Đang triển khai")
        if k == 3:  # the office also reports on a task it only helps with
            rows.append(
                {"code": "3.2", "state": "Đang thực hiện",
                 "difficulty": "Chờ Phòng Kinh tế bàn giao thiết bị"}
            )  # fmt: skip
        _write_task_sheet(
            wb, "NV 106", [f"VĂN PHÒNG HĐND VÀ UBND PHƯỜNG — {LABEL}", f"Kỳ báo cáo: {label}"],
            ["Mã", "Nhiệm vụ", "Tình trạng", "Ngày hoàn thành", "Kết quả thực hiện",
             "Khó khăn, vướng mắc", "Đề xuất, kiến nghị"],
            ["code", "text", "state", "date", "result", "difficulty", "proposal"], rows, 3,
        )  # fmt: skip
    elif unit == KT:
        rows = [_task_row(catalogue, t, s, k, True) for t, s in _reports(KT, k)]
        if k == 3:
            for row in rows:
                if row["code"] == "3.10":  # typed into a number cell: 3.10 arrives as 3.1
                    row["code"] = 3.1
            rows.append(_task_row(catalogue, "3.6", "D", k, True))  # and "I" above: a conflict
            rows[-1]["date"] = "20/9/2026"
        _write_task_sheet(
            wb, "Nhiem vu",
            ["PHÒNG KINH TẾ, HẠ TẦNG VÀ ĐÔ THỊ",
             f"BÁO CÁO TIẾN ĐỘ NHIỆM VỤ - KỲ BÁO CÁO: {label.upper()}", LABEL],
            ["TT", "Mã NV", "Nội dung nhiệm vụ", "Tiến độ", "Thời gian hoàn thành", "Kết quả",
             "Khó khăn, vướng mắc", "Kiến nghị"],
            ["n", "code", "text", "state", "date", "result", "difficulty", "proposal"], rows, 5,
        )  # fmt: skip
    elif unit == VH:
        rows = [_task_row(catalogue, t, s, k, False) for t, s in _reports(VH, k)]
        if k == 3:
            for row in rows:
                if row["code"] == "5.b":  # no code, only the task's words
                    row["code"] = None
                    row["text"] = _first_words(catalogue.text_of("5.b"), 8)
                if row["code"] == "5.d":
                    row["state"] = "Tạm dừng"  # not a state: quarantined
        _write_task_sheet(
            wb, "Nhiệm vụ", ["PHÒNG VĂN HÓA - XÃ HỘI", f"Báo cáo nhiệm vụ {label} — {LABEL}"],
            ["STT", "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Tình trạng", "Ngày hoàn thành",
             "Kết quả thực hiện", "Khó khăn, vướng mắc", "Đề xuất, kiến nghị"],
            ["n", "code", "text", "state", "date", "result", "difficulty", "proposal"], rows, 4,
        )  # fmt: skip
    elif unit == CA:
        rows = [_task_row(catalogue, t, s, k, True) for t, s in _reports(CA, k)]
        if k == 3:
            for row in rows:
                if row["code"] == "8.1":  # a completion date after the period ends
                    row.update(state="Hoàn thành", date="15/10/2026")
        _write_task_sheet(
            wb, "Nhiem vu",
            [f"CÔNG AN {ward_caps()}", f"KẾT QUẢ THỰC HIỆN NHIỆM VỤ {label.upper()}",
             f"({LABEL})"],
            ["STT", "Mã nhiệm vụ", "Nội dung", "Tình trạng", "Ngày hoàn thành",
             "Khó khăn, vướng mắc", "Đề xuất, kiến nghị"],
            ["n", "code", "text", "state", "date", "difficulty", "proposal"], rows, 5,
        )  # fmt: skip
    else:  # the one-stop centre fills the template's own "Nhiệm vụ" sheet
        import pandas as pd

        mine = pd.DataFrame(
            [{"task_id": t, "role": "Chủ trì", "deadline_text": str(REGISTER[t][2])}
             for t, _ in _reports(MC, k)]
        )  # fmt: skip
        if mine.empty:
            return
        add_task_sheet(wb, units.get(MC), period, mine, catalogue)
        ws = wb[TASK_SHEET]
        for offset, (_task, letter) in enumerate(_reports(MC, k), 1):
            ws.cell(row=TASK_HEADER_ROW + offset, column=5, value=STATE_WORDS[letter])
            ws.cell(row=TASK_HEADER_ROW + offset, column=7, value="Đã rà soát 12 thủ tục")


def finish_archive(path: Path, cached: dict, sheet_order: list[str], saved: datetime) -> None:
    """Write cached results of formula cells and fix timestamps so reruns give identical bytes.

    openpyxl cannot compute formulas and saves them with an empty ``<v/>``; a
    workbook saved by Excel holds the last computed value, which is what
    ingestion reads (data_only=True).
    """
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    for (sheet, cell), value in cached.items():
        name = f"xl/worksheets/sheet{sheet_order.index(sheet) + 1}.xml"
        xml = parts[name].decode("utf-8")
        # An empty value is "<v/>" or "<v></v>", as the openpyxl version writes it.
        pattern = re.compile(rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)<v\s*(?:/>|></v>)')
        xml, count = pattern.subn(lambda m, v=value: f"{m.group(1)}{m.group(2)}<v>{v!r}</v>", xml)
        if count != 1:
            raise RuntimeError(f"formula cell {sheet}!{cell} not found in {path}")
        parts[name] = xml.encode("utf-8")
    stamp = (saved - timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M:%SZ")  # Vietnam → UTC
    core = parts["docProps/core.xml"].decode("utf-8")
    core = re.sub(r"(<dcterms:modified[^>]*>)[^<]*", rf"\g<1>{stamp}", core)
    core = re.sub(r"(<dcterms:created[^>]*>)[^<]*", rf"\g<1>{stamp}", core)
    parts["docProps/core.xml"] = core.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


def save(wb: Workbook, path: Path, cached: dict, saved: datetime | None = None) -> Path:
    """Save ``wb`` as a unit would have, last saved at ``saved`` (Vietnam time; default: the
    unit's time for this period and file name, :func:`saved_time`)."""
    wb.properties.created = FIXED_TIME
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    finish_archive(path, cached, wb.sheetnames, saved or saved_time(path.parent.name, path.name))
    return path


def generate(out: Path) -> list[Path]:
    registry = load_registry(EXAMPLE.registry_path, EXAMPLE.areas)
    units = load_reporting_units(EXAMPLE.units_path, registry)
    catalogue = build_task_catalogue(EXAMPLE.plan_path)
    written = [
        save(
            register_workbook(catalogue),
            out / "phan-cong" / "phan-cong-nhiem-vu.xlsx",
            {},
            REGISTER_SAVED,
        )
    ]
    for k, code in enumerate(PERIODS):
        period = Period.parse(code)
        folder = out / code
        wb, cached = police(period, k)
        add_unit_tasks(wb, CA, period, k, catalogue, units)
        written.append(save(wb, folder / "cong-an.xlsx", cached))
        wb, cached = one_stop(period, k, registry, units)
        add_unit_tasks(wb, MC, period, k, catalogue, units)
        written.append(save(wb, folder / "mot-cua.xlsx", cached))
        wb, cached = economy(period, k)
        add_unit_tasks(wb, KT, period, k, catalogue, units)
        written.append(save(wb, folder / "kinh-te.xlsx", cached))
        wb, cached = culture(period, k)
        add_unit_tasks(wb, VH, period, k, catalogue, units)
        written.append(save(wb, folder / "van-hoa-xa-hoi.xlsx", cached))
        wb, cached = office(period, k)
        add_unit_tasks(wb, VP, period, k, catalogue, units)
        written.append(save(wb, folder / "van-phong.xlsx", cached))
        if code == "2026-Q1":
            written.append(save(one_stop_extra(period), folder / "mot-cua-bo-sung.xlsx", {}))
        if code == "2026-Q2":
            # The culture office re-sent last quarter's file into this period by mistake.
            wb, _ = culture(Period.parse(PERIODS[k - 1]), k - 1)
            add_unit_tasks(wb, VH, Period.parse(PERIODS[k - 1]), k - 1, catalogue, units)
            written.append(save(wb, folder / "van-hoa-xa-hoi-gui-lai.xlsx", {}))
        if code == "2026-Q3":
            narrative = folder / config.NARRATIVE_FILE
            narrative.write_text(NARRATIVE_Q3, encoding="utf-8")
            written.append(narrative)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=EXAMPLE.raw_dir)
    args = parser.parse_args()
    for path in generate(args.out):
        print(path)


if __name__ == "__main__":
    main()
