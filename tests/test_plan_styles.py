"""Plan styles other than the shipped plan's: each synthetic fixture in tests/fixtures/plans/
styles (written for these tests, labelled so in its first line) against rows written by hand.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from nq57lib.plan.figures import split_targets
from nq57lib.plan.header import plan_areas, read_plan_header
from nq57lib.plan.parser import read_plan_targets
from nq57lib.plan.structure import clause_year, plan_year

STYLES = Path(__file__).parent / "fixtures" / "plans" / "styles"


def _rows(name: str) -> list[tuple]:
    parsed = read_plan_targets(STYLES / name)
    return [
        (
            r.milestone_year,
            r.comparator,
            None if math.isnan(r.value) else r.value,
            None if math.isnan(r.value_max) else r.value_max,
            r.unit,
            r.text,
        )
        for r in parsed.targets.itertuples()
    ]


def test_chi_tieu_chu_yeu_with_plus_and_dash_bullets_and_numbered_items():
    parsed = read_plan_targets(STYLES / "numbered-plus-bullets.md")
    assert parsed.found_in == ("section",)
    assert _rows("numbered-plus-bullets.md") == [
        (2026, ">=", 80, None, "%", "Tỷ lệ hồ sơ thủ tục hành chính được số hóa đạt tối thiểu 80%"),
        (2026, "=", 100, None, "%", "100% cán bộ, công chức sử dụng chữ ký số cá nhân"),
        (
            2026,
            ">=",
            2,
            None,
            "count",
            "Có ít nhất 02 mô hình chuyển đổi số tiêu biểu ở tổ dân phố",
        ),
        # "(2)" has no figure: a qualitative item, its number dropped.
        (2026, None, None, None, "other", "Hoàn thành xây dựng cơ sở dữ liệu dân cư của phường"),
        # "a) …" with a figure is an item, not an area heading.
        (2030, "range", 90, 95, "%", "Tỷ lệ hộ gia đình có cáp quang từ 90% đến 95%"),
        (2030, ">", 70, None, "%", "Tỷ lệ giao dịch không dùng tiền mặt trên 70%"),
        (2030, "=", 100, None, "%", "doanh nghiệp sử dụng hóa đơn điện tử đạt 100%"),
    ]
    # "Mục tiêu chung" (line 12) and "II. NHIỆM VỤ, GIẢI PHÁP" (its "100%" on line 30) hold
    # no targets.
    assert parsed.targets["source_line"].tolist() == [18, 19, 20, 21, 25, 26, 26]


def test_targets_in_running_text_leave_reported_actuals_out():
    parsed = read_plan_targets(STYLES / "prose-dat-muc-tieu.md")
    assert parsed.found_in == ("prose",)
    assert _rows("prose-dat-muc-tieu.md") == [
        (
            2030, "=", 100, None, "%",
            "UBND phường đặt mục tiêu đến năm 2030, 100% hộ kinh doanh chấp nhận thanh toán "
            "không dùng tiền mặt",
        ),
        (2030, ">=", 25, None, "%", "tỷ trọng kinh tế số đạt tối thiểu 25% GRDP của phường"),
        (
            2026, ">=", 500, None, "count",
            "Trước đó, đến hết năm 2026, phường phấn đấu có ít nhất 500 hộ kinh doanh bán hàng "
            "trên sàn thương mại điện tử",
        ),
    ]  # fmt: skip
    # "ước tính đạt 45%, hiện đứng đầu" is what already is; the decision's number is no figure.
    assert 45 not in set(parsed.targets["value"])
    assert parsed.targets["unit_label"].tolist() == ["%", "% GRDP", "hộ"]
    assert parsed.targets["aspirational"].tolist() == [False, False, True]


def test_table_with_unit_and_year_columns_and_a_cell_holding_two_targets():
    parsed = read_plan_targets(STYLES / "table-year-columns.md")
    assert parsed.found_in == ("table",)
    assert _rows("table-year-columns.md") == [
        (2026, ">=", 2, None, "%", "Tỷ lệ chi ngân sách xã cho khoa học, công nghệ — ≥ 2"),
        (2030, ">=", 3, None, "%", "Tỷ lệ chi ngân sách xã cho khoa học, công nghệ — ≥ 3"),
        (2026, "=", 5, None, "count", "Số doanh nghiệp đổi mới sáng tạo — 5"),
        (2030, "=", 12, None, "count", "Số doanh nghiệp đổi mới sáng tạo — 12"),
        # Row 3 is a group row (no figure): skipped; its sub-row 3.1 is a row.
        (2026, "=", 60, None, "%", "Tỷ lệ hồ sơ trực tuyến toàn trình — 60"),
        (2030, "=", 90, None, "%", "Tỷ lệ hồ sơ trực tuyến toàn trình — 90"),
        (2026, "<=", 10, None, "index", "Xếp hạng chỉ số chuyển đổi số cấp xã — ≤ 10 trong tỉnh"),
        (2026, "<=", 100, None, "index", "Xếp hạng chỉ số chuyển đổi số cấp xã — ≤ 100 toàn quốc"),
        (
            2030, None, None, None, "other",
            "Trung tâm điều hành thông minh của xã — Hoàn thành, đưa vào vận hành",
        ),
    ]  # fmt: skip
    # The unit column's words are kept: "% tổng chi ngân sách", "doanh nghiệp", "thứ bậc".
    assert parsed.targets["unit_label"].tolist()[::2][:4] == [
        "% tổng chi ngân sách", "doanh nghiệp", "%", "thứ bậc",
    ]  # fmt: skip


def test_year_from_the_title_when_no_heading_gives_one():
    parsed = read_plan_targets(STYLES / "title-year-only.md")
    assert parsed.year == 2026
    assert _rows("title-year-only.md") == [
        (2026, "=", 100, None, "%", "100% văn bản đi được ký số"),
        (2026, ">", 85, None, "%", "Tỷ lệ người dân có tài khoản VNeID mức độ 2 đạt trên 85%"),
    ]


def test_a_preamble_of_dates_and_document_numbers_gives_no_target_and_says_why():
    parsed = read_plan_targets(STYLES / "preamble-only.md")
    assert parsed.targets.empty and parsed.found_in == ()
    assert parsed.notes == (
        "no targets found: no section such as 'Mục tiêu cụ thể' / 'Chỉ tiêu cụ thể', no table "
        "of targets and no sentence stating a target with a figure and a year",
    )
    # "Luật … năm 2015" in the citations is not the plan's year.
    assert parsed.year is None


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Mục tiêu đến năm 2030, 100% hồ sơ", 2030),
        ("phát triển kinh tế số đạt 20% GDP năm 2025", 2025),
        ("tăng hai lần so với năm 2025", None),  # a baseline
        ("ban hành ngày 03 tháng 10 năm 2025", None),  # a date
        ("Năm 2022: 94 xã, phường, thị trấn", 2022),
        ("Tầm nhìn đến hết năm 2045", 2045),
    ],
)
def test_clause_year(text, year):
    assert clause_year(text) == year


@pytest.mark.parametrize(
    ("lines", "year"),
    [
        (["KẾ HOẠCH", "Chuyển đổi số năm 2026 của xã Hòa Lạc"], 2026),
        (["UBND xã ban hành Kế hoạch chuyển đổi số năm 2025 trên địa bàn."], 2025),
        (["Giao chỉ tiêu chuyển đổi số giai đoạn 2022-2025."], 2025),
        (["Hồng Bàng, ngày 03 tháng 10 năm 2025", "KẾ HOẠCH", "Thực hiện Nghị quyết 57"], None),
    ],
)
def test_plan_year_from_the_title(lines, year):
    assert plan_year(lines) == year


@pytest.mark.parametrize(
    ("text", "values"),
    [
        # a comparison in parentheses sets no target of its own
        ("kinh tế số đạt tối thiểu 35% GRDP (toàn quốc là 30%)", [35]),
        # a number closing a proper name
        ("thí điểm tại Quế Xuân 2, Quế Phú", []),
        # a list of levels
        ("100% dịch vụ công trực tuyến mức độ 3, 4 được tích hợp", [100]),
        # a comparator, then "có"
        ("có tối thiểu có 1 doanh nghiệp công nghệ số", [1]),
        ("Tăng hai lần số chuyên gia tư vấn khởi nghiệp so với năm 2025", [2]),
        ("Việt Nam thuộc nhóm 50 nước dẫn đầu về công nghệ thông tin", [50]),
    ],
)
def test_figures_in_real_wording(text, values):
    assert [t["value"] for t in split_targets(text) if not t["qualitative"]] == values


def test_rank_and_multiple_comparators():
    (rank,) = split_targets("Việt Nam thuộc nhóm 50 nước dẫn đầu về công nghệ thông tin")
    assert (rank["comparator"], rank["unit_label"]) == ("<=", "nước")
    (twice,) = split_targets("Tăng hai lần số chuyên gia tư vấn khởi nghiệp")
    assert (twice["comparator"], twice["unit_label"]) == ("=", "lần")
    (floor,) = split_targets("có tối thiểu có 1 doanh nghiệp công nghệ số")
    assert floor["comparator"] == ">="


# ── the styles of commune plans and of legal-database exports (#18) ─────────────────────


def _labelled(name: str) -> list[tuple]:
    """(year, area, comparator, value, unit label, per-year, text) of each target."""
    parsed = read_plan_targets(STYLES / name)
    return [
        (
            r.milestone_year, r.area, r.comparator,
            None if math.isnan(r.value) else r.value, r.unit_label, r.per_year, r.text,
        )
        for r in parsed.targets.itertuples()
    ]  # fmt: skip


def test_lettered_and_numbered_milestone_headings():
    assert _labelled("lettered-milestones.md") == [
        # "a) Đến hết năm 2025" is a milestone, not an area ("a"): no area anywhere.
        (2025, "", ">=", 55, "%", False,
         "Tỷ lệ người dân có tài khoản định danh điện tử đạt tối thiểu 55%"),
        (2025, "", "=", 100, "%", False,
         "100% cán bộ, công chức được bồi dưỡng kỹ năng số căn bản"),
        # "b) Đến năm 2030: Có ≥ 30% …": the heading's own line holds its first target.
        (2030, "", ">=", 30, "%", False, "Có ≥ 30% hộ gia đình sử dụng ví điện tử"),
        # the figure wrapped onto the next line
        (2030, "", ">=", 90, "%", False,
         "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến đạt tối thiểu 90%"),
        # "3.1. Đến năm 2035", "3.2. Đến năm 2045" under "III. CHỈ TIÊU ĐẾN NĂM 2045"
        (2035, "", "=", 5, "mô hình", False, "Có 5 mô hình thôn thông minh"),
        (2045, "", "=", 100, "%", False, "100% thôn có điểm truy cập Internet công cộng"),
    ]  # fmt: skip
    lines = (STYLES / "lettered-milestones.md").read_text(encoding="utf-8").splitlines()
    assert plan_areas(lines) == ({}, 0)


def test_years_from_a_period_heading_a_lead_in_and_the_title():
    parsed = read_plan_targets(STYLES / "period-headings.md")
    # The title's "năm 2026", not the cited plan's "giai đoạn 2021 - 2025".
    assert parsed.year == 2026
    assert _labelled("period-headings.md") == [
        (2026, "", "=", 70, "%", False,
         "Tỷ lệ hộ kinh doanh thanh toán không dùng tiền mặt đạt 70%"),
        (2030, "", ">=", 3, "sản phẩm", False,
         "Có ít nhất 3 sản phẩm số của phường được đưa vào sử dụng"),
        (2028, "", "=", 80, "%", False, "80% tổ dân phố có nhóm công nghệ số cộng đồng"),
        (2028, "", "=", 40, "%", False, "Tỷ lệ người dân dùng chữ ký số đạt 40%"),
    ]  # fmt: skip


def test_a_legal_database_export_reads_as_clean_text():
    path = STYLES / "legal-export.md"
    assert _labelled("legal-export.md") == [
        (2025, "", "=", 80, "%", False, "Tỷ lệ hồ sơ thủ tục hành chính được số hóa đạt 80%"),
        # the appendix written one cell per line, its name cell wrapped over two lines and
        # its "04" a figure cell, not a row number
        (2030, "", ">=", 90, "%", False, "Tỷ lệ người dân có tài khoản định danh điện tử — ≥ 90"),
        (2030, "", "=", 4, "mô hình", False, "Số mô hình thôn thông minh — 04"),
    ]  # fmt: skip
    parsed = read_plan_targets(path)
    assert parsed.found_in == ("section", "table") and parsed.year == 2030
    # The rows keep the lines an editor shows: the appendix's rows start on lines 46, 51.
    assert parsed.targets["source_line"].tolist() == [32, 46, 51]
    header = read_plan_header(path)
    assert (header.issuer, header.number, header.date.isoformat(), header.level) == (
        ("ỦY BAN NHÂN DÂN", "XÃ HÒA PHÚ"),
        "12/KH-UBND",
        "2025-08-05",
        "xã",
    )
    assert header.subject == "thực hiện chuyển đổi số trên địa bàn xã đến năm 2030"


def test_numbers_that_are_not_targets():
    rows = _labelled("not-targets.md")
    assert [(r[2], r[3], r[4], r[5]) for r in rows] == [
        ("=", 100, "%", False),  # 4G; "hiện có 150 trạm", "trong đó có 20 trạm (chiếm 13%)"
        ("=", 180, "trạm", False),
        ("=", 40, "trạm", False),  # "(Viettel: 28 trạm, VNPT: 12 trạm)" breaks it down
        ("=", 100, "%", False),  # "mỗi thôn có tối thiểu 1 điểm" qualifies the coverage
        ("=", 2, "lần", False),  # "gấp 2 lần năm 2025"; "từ 4 sao" qualifies
        ("=", 60, "%", False),  # "từ 16 tuổi trở lên" qualifies
        ("=", 60, "%", False),  # bến xe …
        ("=", 60, "%", False),  # … and nhà ga: two targets, never one
        ("=", 120, "triệu đồng", True),  # "Bình quân hằng năm" is this clause's …
        ("=", 3, "dự án", False),  # … not this one's, which has a verb of its own
    ]
    assert {r[0] for r in rows} == {2030}
    assert rows[0][6].startswith("Phủ sóng 4G đến 100% thôn; hiện có 150 trạm BTS")
    assert rows[6][6].startswith("Tỷ lệ bến xe khách") and rows[7][6].startswith("tỷ lệ nhà ga")


def test_prose_keeps_targets_that_differ_only_in_their_subject(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text(
        "Đến năm 2030, tỷ lệ bến xe khách chấp nhận thanh toán không dùng tiền mặt đạt 60%.\n\n"
        "- Tỷ lệ bến xe chấp nhận thanh toán không dùng tiền mặt đạt 60%.\n"
        "- Tỷ lệ nhà ga chấp nhận thanh toán không dùng tiền mặt đạt 60%.\n",
        encoding="utf-8",
    )
    texts = read_plan_targets(path).targets["text"].tolist()
    # The first paragraph announces the bến xe target (kept once); nhà ga is its own.
    assert len(texts) == 2 and "nhà ga" in texts[1]


def test_a_flattened_list_and_a_headline_without_a_year(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text(
        "Mục tiêu đưa kinh tế số đạt 20% GRDP\n\n"
        "CÁC CHỈ TIÊU CHỦ YẾU TRONG NHIỆM KỲ 2025-2030 I. Về kinh tế (3 chỉ tiêu) 1. Tổng "
        "sản lượng lương thực bình quân hằng năm: 25.000 tấn. 2. Thu nhập bình quân đầu "
        "người/năm: 90 triệu đồng. 3. Kinh tế số chiếm 20% GRDP.\n",
        encoding="utf-8",
    )
    rows = [
        (r.milestone_year, r.value, r.unit_label)
        for r in read_plan_targets(path).targets.itertuples()
    ]
    # "(3 chỉ tiêu)" and the items' numbers are no figures; the headline without a year
    # announced the body's 20%, which the period gives its year.
    assert rows == [(2030, 25000, "tấn"), (2030, 90, "triệu đồng"), (2030, 20, "% GRDP")]
