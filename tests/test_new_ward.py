"""A second ward end to end: an invented commune, from `nq57 init` to its HTML briefing.

Xã Tân Lập, tỉnh Phú Thọ, and its Kế hoạch số 45/KH-UBND ngày 12/8/2025 are invented
(tests/fixtures/ward2/); so are the figures, labelled "Số liệu minh họa" in the workbooks'
title rows as scripts/make_illustrative_data.py labels the shipped ones. The project is
made once per session (tests/tan_lap.py, the ``tan_lap`` fixture); these tests read its
templates and its briefing: every line naming the
ward or its plan is Tân Lập's, and nothing of phường Hồng Bàng is left.
"""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
from tan_lap import PERIOD

from nq57lib.collect.template import DATA_SHEET


def _lines(html: str) -> list[str]:
    """The text of the page, a block per line (the spans that keep numbers whole removed)."""
    body = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", html, flags=re.S)
    text = re.sub(r"<[^>]+>", "\n", re.sub(r"</?span[^>]*>", "", body))
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def test_the_templates_carry_the_communes_plan(tan_lap):
    _folder, blanks, _html = tan_lap
    assert sorted(p.name for p in blanks.glob("*.xlsx")) == [
        f"{slug}-{PERIOD}.xlsx" for slug in ("cong-an", "kinh-te", "mot-cua", "van-hoa-xa-hoi",
                                             "van-phong")
    ]  # fmt: skip
    workbook = openpyxl.load_workbook(blanks / f"cong-an-{PERIOD}.xlsx")
    sheet = workbook[DATA_SHEET]
    assert sheet["A1"].value == (
        "BIỂU THU THẬP SỐ LIỆU THỰC HIỆN KẾ HOẠCH 45/KH-UBND (NGHỊ QUYẾT 57-NQ/TW)"
    )
    assert sheet["A2"].value == "Đơn vị báo cáo: Công an xã"
    assert workbook["Hướng dẫn"]["A7"].value == (
        "6. Lưu tệp dạng .xlsx, không đặt mật khẩu, gửi về Văn phòng HĐND và UBND xã đúng hạn."
    )


def test_the_briefing_is_the_communes(tan_lap):
    _folder, _blanks, html = tan_lap
    lines = _lines(html)
    for line in (
        "ỦY BAN NHÂN DÂN",
        "XÃ TÂN LẬP",
        "Số: …/BC-UBND",
        "Tân Lập, ngày 15 tháng 10 năm 2026",
        "Kết quả thực hiện Kế hoạch số 45/KH-UBND",
        "Báo cáo quý III năm 2026 — KH 45/KH-UBND",
        "Thực hiện Kế hoạch số 45/KH-UBND ngày 12/8/2025 của Ủy ban nhân dân xã về thực hiện "
        "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa "
        "học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia trên địa bàn xã, Ủy ban "
        "nhân dân xã báo cáo kết quả thực hiện quý III năm 2026 như sau:",
        "1.1. Phát triển hạ tầng",
        # The provisional indicator has no area: it is listed apart, marked not reviewed.
        "1.6. Chỉ tiêu khác của Kế hoạch",
        "hộ gia đình trên địa bàn xã sử dụng ví điện tử",
        "(†) Chỉ tiêu mới của Kế hoạch, chưa được rà soát để đưa vào danh mục chỉ số: tên "
        "và cách theo dõi do hệ thống đề xuất từ lời văn của Kế hoạch.",
        "Thường trực Đảng ủy xã;",
        "TM. ỦY BAN NHÂN DÂN",
    ):
        assert line in lines, line
    assert "<title>Báo cáo quý III năm 2026 — Kết quả thực hiện Kế hoạch số 45/KH-UBND</title>" in (
        html
    )
    assert "Công an xã" in html and "SỐ LIỆU MINH HỌA" in html
    assert 'ví điện tử<sup class="nq57-mark">†</sup>' in html
    # --as-of after the quarter's end only dates the report: no "data up to …" line.
    assert "Báo cáo sử dụng số liệu" not in html
    # No assignment register yet: the conclusion says so rather than "0 of 0 tasks".
    assert "Chưa có nhiệm vụ nào của Kế hoạch được phân công đơn vị chủ trì." in html
    for foreign in ("Hồng Bàng", "HỒNG BÀNG", "106/KH-UBND", "Hải Phòng"):
        assert foreign not in html, foreign


def test_nothing_in_the_report_folder_names_the_example_ward(tan_lap):
    folder, _blanks, _html = tan_lap
    written = sorted((folder / "reports" / PERIOD).iterdir())
    assert [p.name for p in written] == [
        "10-clean.ipynb", "20-compare.ipynb", "30-briefing.ipynb", f"bao-cao-{PERIOD}.html",
        "du-lieu", "run.json",
    ]  # fmt: skip
    export = folder / "reports" / PERIOD / "du-lieu"
    texts = [p for p in written if p.is_file()] + sorted(export.glob("*.[cj]s*"))
    assert {p.name for p in texts} >= {"chi-tieu.csv", "nhiem-vu.csv", "datapackage.json"}
    for path in texts:
        text = path.read_text(encoding="utf-8")
        for foreign in ("Hồng Bàng", "HỒNG BÀNG", "106/KH-UBND"):
            assert foreign not in text, (path.name, foreign)


def test_the_communes_figures_were_judged_against_its_own_plan(tan_lap):
    folder, _blanks, _html = tan_lap
    status = pd.read_csv(folder / "data" / "processed" / PERIOD / "status.csv")
    rows = status.set_index(["indicator_id", "milestone_year"])
    # Tân Lập's 2025 targets, not Hồng Bàng's: schools ≥ 60% (Hồng Bàng: ≥ 75%, which
    # 62,5 would miss), online dossiers ≥ 60% (Hồng Bàng: ≥ 90%).
    assert rows.loc[("schools_dx_level2", 2025), ["target", "value", "status"]].tolist() == [
        60.0, 62.5, "achieved",
    ]  # fmt: skip
    assert rows.loc[("dossiers_online", 2025), ["target", "value", "status"]].tolist() == [
        60.0, 55.0, "overdue",
    ]  # fmt: skip
    assert rows.loc[("vneid_residents", 2030), ["target", "value"]].tolist() == [90.0, 72.0]
    # Only the plan's indicators are judged, at its two milestones: 11 reviewed ones and
    # the provisional e-wallet indicator, judged like them: ≥ 30% in 2025 is achieved
    # with 35% (so not repeated, docs/methodology.md §2), ≥ 60% in 2030 is next.
    assert status["indicator_id"].nunique() == 12
    wallet = rows.loc[("new:ho_gia_dinh_tren_dia_ban_xa", 2030)]
    assert (wallet["target"], wallet["value"]) == (60.0, 35.0)
    assert ("new:ho_gia_dinh_tren_dia_ban_xa", 2025) not in rows.index
    assert sorted(status["milestone_year"].unique()) == [2025, 2030]
