"""The briefing's content, computed from the small hand-written period in tests/fixtures/briefing.

The fixture holds 15 hand-written targets across areas a–e and observations for 2025-Q4 …
2026-Q3; the status tables are the real assessment's output (``briefing_processed`` in
conftest.py). Every expected value below was worked out by hand from those CSV files; the
arithmetic is in the comments.
"""

from __future__ import annotations

import base64
import dataclasses
import re
import shutil
import unicodedata
from datetime import date

import matplotlib
import nbformat
import pandas as pd
import pytest
from example import EXAMPLE, example_units
from matplotlib.figure import Figure

from nq57lib.assess.verdicts import lead_units, verdicts
from nq57lib.core import config
from nq57lib.core.atomic import write_csv_atomic
from nq57lib.core.errors import InputMissingError, ValidationError
from nq57lib.core.processed import read_table
from nq57lib.core.schema import TARGET_LEAD_COLUMNS
from nq57lib.report import briefing, drafts, html, leader, tables
from nq57lib.report import tasks as tasks_report

matplotlib.use("Agg")

NOTEBOOK = config.NOTEBOOKS_DIR / "30-briefing.ipynb"


@pytest.fixture(scope="module")
def data(briefing_processed) -> briefing.BriefingData:
    return briefing.load_briefing_data(
        EXAMPLE.with_paths(processed_dir=briefing_processed),
        "2026-Q3",
        report_date=date(2026, 10, 5),
    )


def test_load_reads_every_table_and_notices_the_illustrative_flag(data):
    assert data.period.code == "2026-Q3"
    assert len(data.status) == 15
    assert set(data.history["period"]) == {"2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"}
    # Observations of every period up to 2026-Q3: 7 (Q4) + 3 (Q1) + 7 (Q2) + 14 (Q3).
    assert len(data.observations) == 31
    assert len(data.quarantine) == 2 and len(data.submissions) == 5
    # Not asked for, but quality.csv says the workbooks carry "số liệu minh họa".
    assert data.illustrative is True


def test_load_names_the_missing_step(tmp_path):
    with pytest.raises(InputMissingError, match="nq57 compare --period 2026-Q3"):
        briefing.load_briefing_data(EXAMPLE.with_paths(processed_dir=tmp_path), "2026-Q3")


def test_load_lists_every_missing_status_column(tmp_path, briefing_processed):
    (tmp_path / "2026-Q3").mkdir()
    status = pd.read_csv(briefing_processed / "2026-Q3" / "status.csv")
    status.drop(columns=["gap", "method_note"]).to_csv(tmp_path / "2026-Q3" / "status.csv")
    with pytest.raises(ValidationError) as error:
        briefing.load_briefing_data(EXAMPLE.with_paths(processed_dir=tmp_path), "2026-Q3")
    assert error.value.problems == ["column 'gap' is missing", "column 'method_note' is missing"]


def test_status_counts_most_urgent_first(data):
    counts = tables.status_counts(data.status)
    assert list(counts["status"]) == [
        "overdue",
        "deteriorating",
        "off_track",
        "needs_acceleration",
        "insufficient_data",
        "no_data",
        "on_track",
        "achieved",
    ]
    assert list(counts["count"]) == [1, 1, 1, 2, 1, 1, 4, 4]
    assert list(counts["label"])[:2] == ["Quá hạn chưa đạt", "Đi xuống"]


def test_the_attention_list_orders_by_reason_then_progress_ratio(data):
    listed = leader.attention(data)
    assert list(zip(listed["indicator_id"], listed["attention_reason"], strict=True)) == [
        ("coverage_5g_hotspots", "missed_milestone"),  # 2025 passed at 92% of 100%
        ("enterprises_innovating", "falling"),  # 25 → 22 while 40 is the target
        ("broadband_gigabit_users", "too_slow"),  # off track, R 0,50
        ("st_initiatives_ward", "too_slow"),  # needs acceleration: 6 of the 9 due by Q3 (0,67)
        ("schools_stem", "too_slow"),  # needs acceleration, R 0,674
    ]
    # city_hdi has no figure, but its 2030 milestone is not due: no attention yet.
    assert "city_hdi" not in set(listed["indicator_id"])


def test_changes_since_the_previous_period_compare_headline_verdicts(data):
    assert tables.previous_period(data.history, "2026-Q3").code == "2026-Q2"
    before, changes = leader.changes_by_indicator(data)
    assert before.code == "2026-Q2"
    # Worse first, then better, each in the plan's order; a change to or from "no figure"
    # (cybersecurity_unit, operations_centre …) is no judgement and is not listed.
    assert [(c.text, d) for c, d in zip(changes["Chỉ tiêu"], changes["Chiều"], strict=True)] == [
        ("Tỷ lệ người sử dụng truy cập băng rộng cố định tốc độ trên 1 Gb/s", "xấu đi ↓"),
        ("Tỷ lệ cơ sở giáo dục phổ thông triển khai giáo dục STEM", "xấu đi ↓"),
        ("Tỷ lệ doanh nghiệp trên địa bàn có hoạt động đổi mới sáng tạo", "xấu đi ↓"),
        ("Số học sinh đạt giải cấp quốc gia các cuộc thi khoa học kỹ thuật", "tốt lên ↑"),
        ("Số dự án đổi mới sáng tạo được hỗ trợ từ ngân sách phường", "tốt lên ↑"),
    ]
    assert list(changes["Quý II/2026"]) == [
        "Cần đẩy nhanh", "Đúng tiến độ", "Đúng tiến độ", "Chậm tiến độ", "Chậm tiến độ",
    ]  # fmt: skip
    assert tables.previous_period(data.history, "2025-Q4") is None


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A leader's table with each cell as the text a reader sees."""
    return frame.map(str)


def test_area_rows_name_the_lead_unit_and_say_it_in_words(data):
    rows = leader.area_rows(data, "a")
    names = [cell.text for cell in rows["Chỉ tiêu"]]
    # Quantitative targets and the qualitative milestone alike, in the area's order.
    assert names == [
        "Tỷ lệ phủ sóng 5G trên địa bàn",
        "Tỷ lệ phủ sóng 5G tại khu du lịch, trung tâm thương mại",
        "Tỷ lệ người sử dụng truy cập băng rộng cố định tốc độ trên 1 Gb/s",
        "Bộ phận an ninh mạng giám sát, ứng cứu sự cố toàn hệ thống",
    ]
    assert [cell.sub for cell in rows["Chỉ tiêu"]] == ["Phòng Kinh tế, Hạ tầng và Đô thị"] * 3 + [
        "Văn phòng HĐND và UBND"
    ]
    assert [str(c) for c in rows["Kết quả"]] == ["78,5%", "92%", "41%", "Đang triển khai"]
    words = [cell.text for cell in rows["Nhận xét"]]
    # 60 % in 2025-Q4 (the baseline) → 78,5 %; growth fast enough for ≥ 100 % by 2030.
    assert words[0] == (
        "Tăng từ 60% (quý IV năm 2025) lên 78,5%, đủ nhanh để đạt ≥ 100% vào 31/12/2030."
    )
    # 100 − 92 = 8 points short, after the 2025 deadline.
    assert words[1] == "Hết hạn 31/12/2025: mới đạt 92%, còn thiếu 8 điểm %."
    # 38 + 62 × 0,15 = 47,3 % needed by now.
    assert words[2] == "Cần đạt khoảng 47,3% đến nay, mới 41%: chậm xa so với yêu cầu."
    assert words[3] == "Đang triển khai, còn đủ thời gian đến hạn 31/12/2030."
    # The unit's own note sits next to its value.
    assert rows["Nhận xét"].iloc[3].sub == "Đơn vị ghi: “Đã có quyết định thành lập tổ”"
    assert list(rows["Đánh giá"]) == [
        "Đúng tiến độ", "Quá hạn chưa đạt", "Chậm tiến độ", "Đúng tiến độ",
    ]  # fmt: skip


def test_range_target_and_count_values(data):
    e = _plain(leader.area_rows(data, "e"))
    assert e.iloc[0]["Mục tiêu"] == "80–90%"
    c = _plain(leader.area_rows(data, "c"))
    # Year to date 2026: 2 + 3 + 1 initiatives; 0 + 0 + 2 prizes ("có học sinh đạt giải": ≥ 1).
    assert list(c["Kết quả"]) == ["6", "2"]
    assert list(c["Mục tiêu"]) == ["≥ 12", "≥ 1"]
    # 12 × 0,75 = 9 initiatives by the end of Q3.
    assert c.iloc[0]["Nhận xét"] == "Cần đẩy nhanh: lũy kế 6, cần khoảng 9 đến nay."


def test_appendix_keeps_the_arithmetic_the_leader_pages_leave_out(data):
    table = tables.appendix_table(data.status, data.observations)
    five_g = table[table["Chỉ tiêu"].str.endswith("[coverage_5g]")].iloc[0]
    # 60 + (100 − 60) × 0,75 / 5 years = 66
    assert five_g["Cần đạt đến nay"] == "66%"
    # R = ((78,5/60)^(1/0,75) − 1) / ((100/60)^(1/5) − 1) = 0,4310 / 0,1076 = 4,01
    assert five_g["Tỷ lệ tiến độ"] == "4,01"
    # Overdue 5G in tourist areas: (92 − 85) / (100 − 85) = 0,47 of the way.
    hotspots = table[table["Chỉ tiêu"].str.endswith("[coverage_5g_hotspots]")].iloc[0]
    assert hotspots["Tỷ lệ tiến độ"] == "0,47"
    counts = table[table["Chỉ tiêu"].str.contains("sáng kiến|học sinh đạt giải")]
    assert list(counts["Cần đạt đến nay"]) == ["9", "0,8"]


def test_unit_notes_in_area_rows_are_text(data):
    rows = leader.area_rows(data, "e")
    centre = rows[[c.text.startswith("Trung tâm giám sát") for c in rows["Chỉ tiêu"]]].iloc[0]
    assert centre["Kết quả"].text == "Chưa triển khai"
    # The unit's words as text; nq57's "[nq57] …" part is for analysts.
    assert centre["Nhận xét"].sub == "Đơn vị ghi: “<b>Chờ bố trí kinh phí</b>”"
    block = html.html_table(rows, leader.AREA_WIDTHS)
    assert "&lt;b&gt;Chờ bố trí kinh phí&lt;/b&gt;" in block and "<b>" not in block


def test_sources_cite_every_cell_a_flow_sums(data):
    flow = tables.sources(data.observations, "innovation_projects_funded", "2026-Q3", "flow")
    assert flow == (
        "2026-Q1/kinh-te-2026-Q1.xlsx › DMST › C7; "
        "2026-Q2/kinh-te-ha-tang-2026-Q2.xlsx › DMST › C7; "
        "2026-Q3/kinh-te-ha-tang-2026-Q3.xlsx › DMST › C7"
    )
    level = tables.sources(data.observations, "coverage_5g", "2026-Q3", "level")
    assert level == "2026-Q3/kinh-te-ha-tang-2026-Q3.xlsx › Bieu_1 › E7"
    assert tables.sources(data.observations, "city_hdi", None, "level") == "—"


def test_appendix_shows_inputs_and_arithmetic(data):
    table = tables.appendix_table(data.status, data.observations)
    assert len(table) == 15
    row = table[table["Chỉ tiêu"].str.endswith("[broadband_gigabit_users]")].iloc[0]
    # The period on its own line, so the narrow column never overflows (issue 17, layout).
    assert (row["Kết quả (kỳ)"].text, row["Kết quả (kỳ)"].sub) == ("41%", "Quý III/2026")
    assert (row["Gốc (kỳ)"].text, row["Gốc (kỳ)"].sub) == ("38%", "Quý IV/2025")
    # 38 + 62 × 0,15 = 47,3; R = 0,1066 / 0,2135 = 0,4994
    assert row["Cần đạt đến nay"] == "47,3%"
    assert row["Còn thiếu"] == "59 điểm %"
    assert row["Tỷ lệ tiến độ"] == "0,5"
    assert row["Nguồn (tệp › trang › ô)"].endswith("› Bieu_1 › E9")
    centre = table[table["Chỉ tiêu"].str.endswith("[operations_centre]")].iloc[0]
    assert centre["Mục tiêu"] == "Hoàn thành"
    assert str(centre["Kết quả (kỳ)"]) == "Chưa triển khai Quý III/2026"


def test_missing_data_and_submissions(data):
    missing = tables.missing_data_table(data.verdicts)
    assert list(missing["indicator_id"]) == ["city_hdi"]
    assert list(missing["Số liệu gần nhất"]) == ["chưa có"]
    submissions = tables.submissions_table(leader.owing(data), data.indicator_names)
    culture = submissions[submissions["Đơn vị"] == "Phòng Văn hóa - Xã hội"].iloc[0]
    assert culture["Còn thiếu"] == "2"
    assert culture["Chỉ tiêu còn thiếu"] == (
        "Chỉ số phát triển con người (HDI) của thành phố; "
        "Tỷ lệ cơ sở giáo dục phổ thông dạy kỹ năng số cho học sinh"
    )
    quality = tables.quality_table(data.quality)
    assert list(quality["Tình trạng tệp"]).count("Không đọc được") == 1
    assert list(quality["Dòng đã đọc"])[:2] == ["4", "8"]


def test_header_follows_decree_30(data):
    html = briefing.header(data).data
    assert unicodedata.is_normalized("NFC", html)
    # Block tags end a line; the spans that keep "106/KH-UBND" whole do not.
    text = re.sub(r"<[^>]+>", "\n", re.sub(r"</?span[^>]*>", "", html))
    for line in (
        "ỦY BAN NHÂN DÂN",
        "PHƯỜNG HỒNG BÀNG",
        "Số: …/BC-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hồng Bàng, ngày 05 tháng 10 năm 2026",
        "BÁO CÁO",
        "Kết quả thực hiện Kế hoạch số 106/KH-UBND",
        "Quý III năm 2026",
    ):
        assert line in text.splitlines(), line
    assert "SỐ LIỆU MINH HỌA" in html
    # The issuing body sits left of the national motto, in one row.
    assert html.index("ỦY BAN NHÂN DÂN") < html.index("CỘNG HÒA XÃ HỘI")


def test_banner_only_for_illustrative_data(data):
    real = dataclasses.replace(data, illustrative=False)
    assert "nq57-banner" not in briefing.header(real).data
    assert "nq57-banner" in briefing.header(data).data


def test_report_title_follows_the_report_kind():
    assert briefing.report_title("Quý III/2026", EXAMPLE.profile) == (
        "Báo cáo quý III năm 2026 — Kết quả thực hiện Kế hoạch số 106/KH-UBND"
    )
    assert briefing.report_title("2026-10", EXAMPLE.profile).startswith("Báo cáo tháng 10/2026 — ")
    assert briefing.report_title("2026-H1", EXAMPLE.profile).startswith(
        "Báo cáo 6 tháng đầu năm 2026 — "
    )
    assert briefing.report_title("2026", EXAMPLE.profile).startswith("Báo cáo năm 2026 — ")


def test_conclusion_counts_indicators_and_names_who_leads_what_is_behind(data):
    (text,) = drafts.conclusion(data)
    # 15 indicators, one milestone each (test_status_counts_most_urgent_first): achieved 4 +
    # on track 4 = 8; needs acceleration 2 + off track 1 = 3; overdue 1 + deteriorating 1 =
    # 2; no data 1 + insufficient data 1 = 2. Tasks: 5 register rows, 1.1 done, 3.2 and 8.2
    # overdue.
    # The attention list (test_the_attention_list_…) has 5: the first three are named.
    kt = "(Phòng Kinh tế, Hạ tầng và Đô thị)"
    assert text == (
        "Đến hết quý III năm 2026, Kế hoạch có 15 chỉ tiêu: 8 chỉ tiêu đã đạt hoặc "
        "đúng tiến độ (đã đạt 4), 3 chỉ tiêu cần đẩy nhanh hoặc chậm tiến độ, 2 chỉ tiêu đi "
        "xuống hoặc quá hạn chưa đạt, 2 chỉ tiêu chưa có hoặc chưa đủ số liệu để đánh giá. "
        "Trong 5 nhiệm vụ đã phân công, 1 nhiệm vụ đã hoàn thành, 2 nhiệm vụ quá hạn chưa "
        "hoàn thành. Cần tập trung chỉ đạo 5 chỉ tiêu (mục II.1), trước hết là Tỷ lệ phủ "
        f"sóng 5G tại khu du lịch, trung tâm thương mại {kt}; Tỷ lệ doanh nghiệp trên địa "
        f"bàn có hoạt động đổi mới sáng tạo {kt}; Tỷ lệ người sử dụng truy cập băng rộng cố "
        f"định tốc độ trên 1 Gb/s {kt}."
    )
    assert "lượt" not in text


def test_indicator_counts_count_each_indicator_once(data):
    counts = leader.indicator_counts(data)
    assert list(counts["Số chỉ tiêu"]) == ["1", "1", "1", "2", "1", "1", "4", "4"]
    # 4 of 15 = 26,7 % → "27%".
    assert list(counts["Tỷ lệ"])[-2:] == ["27%", "27%"]


def test_html_table_escapes_and_fixes_column_widths():
    frame = pd.DataFrame({"status": ["off_track"], "Chỉ tiêu": ["<b>x</b>"], "Đánh giá": ["Chậm"]})
    table = html.html_table(frame, {"Chỉ tiêu": 70, "Đánh giá": 30})
    assert "&lt;b&gt;x&lt;/b&gt;" in table and "<b>" not in table
    assert '<col style="width: 70%"/>' in table and "fixed" in table
    assert '<td class="status st-off_track">Chậm</td>' in table


def test_figure_is_embedded_without_any_web_address():
    figure = Figure()
    figure.add_subplot().plot([1, 2], [3, 4])
    block = html.figure_html(figure, "thử")
    encoded = re.search(r'src="data:image/png;base64,([^"]+)"', block).group(1)
    png = base64.b64decode(encoded)
    assert png.startswith(b"\x89PNG") and b"matplotlib.org" not in png


def test_results_show_every_area_in_full_with_its_heading(data):
    text = briefing.results(data).data
    for number, name in enumerate(EXAMPLE.areas.values(), start=1):
        assert f"<h4>1.{number}. {name}</h4>" in text
    assert "Tỷ lệ tiến độ" not in text and "lượt" not in text


def test_notebook_has_the_sections_of_a_ward_report_in_order():
    # The house rules (thin, stripped, one parameters cell) are checked for every notebook
    # in test_notebooks.py; the briefing's own structure is checked here.
    nb = nbformat.read(NOTEBOOK, as_version=4)
    headings = [
        c.source for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## ")
    ]
    assert headings == [
        "## I. KẾT QUẢ ĐẠT ĐƯỢC",
        "## II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
        "## III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
        "## IV. ĐỀ XUẤT, KIẾN NGHỊ",
        "## PHỤ LỤC 1. CHẤT LƯỢNG SỐ LIỆU VÀ BÁO CÁO CÒN THIẾU",
        "## PHỤ LỤC 2. SỐ LIỆU ĐẦU VÀO VÀ CÁCH TÍNH TỪNG CHỈ TIÊU",
        "## PHỤ LỤC 3. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ THEO ĐƠN VỊ",
    ]


def test_load_skips_folders_that_are_not_periods(tmp_path, briefing_processed):
    shutil.copytree(briefing_processed, tmp_path / "processed")
    (tmp_path / "processed" / "cache").mkdir()
    data = briefing.load_briefing_data(
        EXAMPLE.with_paths(processed_dir=tmp_path / "processed"), "2026-Q3"
    )
    assert len(data.observations) == 31


def test_unit_note_column_shows_the_units_words_without_nq57_annotations():
    observations = pd.DataFrame(
        {
            "period": ["2026-Q3", "2026-Q3"],
            "indicator_id": ["operations_centre", "data_centre"],
            "note": [
                "<b>Đã nghiệm thu</b> giai đoạn 1 · [nq57] Số liệu minh họa",
                "[nq57] giá trị 0,88 được hiểu là tỷ lệ 88% · [nq57] Số liệu minh họa",
            ],
        }
    )
    assert tables.unit_notes(observations) == {
        ("operations_centre", "2026-Q3"): "<b>Đã nghiệm thu</b> giai đoạn 1"
    }


# ── tasks (fixture: five register rows and four reports, the real task catalogue) ──


def test_task_counts_most_urgent_first(data):
    counts = tasks_report.task_status_counts(data.task_status)
    # 3.2 under way past 30/06/2026; 8.2 not started past 30/06/2026; 9.2 never reported;
    # the 46 other tasks and duties of the plan have no register row; 2.4 is standing;
    # 1.1 was done on 15/11/2025, before its deadline 31/12/2025 (carried forward from Q4).
    assert list(counts["Đánh giá"]) == [
        "Chưa triển khai, quá hạn",
        "Đang thực hiện, quá hạn",
        "Chưa báo cáo",
        "Chưa phân công",
        "Thường xuyên, đang thực hiện",
        "Hoàn thành đúng hạn",
    ]
    assert list(counts["Số nhiệm vụ"]) == ["1", "1", "1", "46", "1", "1"]


def test_overdue_tasks_name_their_lead_unit_and_deadline(data):
    late = tasks_report.overdue_table(data.task_status, data.unit_names)
    assert list(late["Đơn vị chủ trì"]) == ["Phòng Kinh tế, Hạ tầng và Đô thị", "Công an phường"]
    assert list(late["Thời hạn"]) == ["30/06/2026", "30/06/2026"]
    assert late["Nhiệm vụ"].iloc[1] == "8.2 — Tăng cường an ninh mạng"
    assert list(late["Đánh giá"]) == ["Đang thực hiện, quá hạn", "Chưa triển khai, quá hạn"]


def test_scorecard_lists_the_units_most_behind_first(data):
    card = tasks_report.scorecard_table(data.scorecard)
    assert list(card["Đơn vị chủ trì"]) == [
        "Phòng Kinh tế, Hạ tầng và Đô thị",  # 1 overdue, 1 without report
        "Công an phường",  # 1 overdue
        # Nothing behind: ties keep the order of reporting_units.yaml.
        "Phòng Văn hóa - Xã hội",  # a standing task only: nothing due
        "Văn phòng HĐND và UBND",  # 1 done on time: 100% of 1 due
    ]
    assert list(card["Tỷ lệ đúng hạn"]) == ["0%", "0%", "—", "100%"]
    assert list(card["Được giao"]) == ["2", "1", "1", "1"]


def test_units_difficulties_and_proposals_are_quoted_as_text(data):
    said = briefing.shortcomings(data).data
    assert "&lt;b&gt;Thiếu&lt;/b&gt; kinh phí nâng cấp máy chủ" in said and "<b>Thiếu" not in said
    assert (
        "<strong>Văn phòng HĐND và UBND</strong> (nhiệm vụ 3.2): “Chờ bàn giao thiết bị”"
    ) in said
    # Overdue tasks with their lead unit and deadline (test_overdue_tasks_name_…).
    assert "<h3>2. Nhiệm vụ quá hạn</h3>" in said
    # Assigning its tasks is the ward's own decision: a direction, never a proposal the
    # People's Committee addresses to itself.
    proposed = briefing.proposals(data).data
    assert "Ủy ban nhân dân phường" not in proposed and "phân công" not in proposed
    assert (
        "Phân công đơn vị chủ trì, thời hạn cho 46 nhiệm vụ chưa được phân công."
    ) in briefing.directions(data).data


def test_register_rows_naming_a_target_override_its_lead_unit(tmp_path, briefing_processed):
    shutil.copytree(briefing_processed, tmp_path / "processed")
    folder = tmp_path / "processed" / "2026-Q3"
    (folder / "target_leads.csv").write_text(
        "indicator_id,lead_unit,coordinators,source_file,source_sheet,source_cell\n"
        "coverage_5g,van_phong,,phan-cong/pc.xlsx,PC,D7\n",
        encoding="utf-8",
    )
    # The comparison reads the register into the verdicts (as compare_period does).
    register = read_table(folder / "target_leads.csv", TARGET_LEAD_COLUMNS)
    status = pd.read_csv(folder / "status.csv", keep_default_na=False, na_values=[""])
    leads = lead_units(example_units(), register)
    write_csv_atomic(verdicts(status, "2026-Q3", leads), folder / "verdicts.csv")
    data = briefing.load_briefing_data(
        EXAMPLE.with_paths(processed_dir=tmp_path / "processed"), "2026-Q3"
    )
    units = [cell.sub for cell in leader.area_rows(data, "a")["Chỉ tiêu"]]
    # coverage_5g: the register's lead; the two other kinh_te targets keep theirs.
    assert units[:3] == [
        "Văn phòng HĐND và UBND",
        "Phòng Kinh tế, Hạ tầng và Đô thị",
        "Phòng Kinh tế, Hạ tầng và Đô thị",
    ]
    summary = leader.unit_summary(data).set_index("Đơn vị")
    # kinh_te led 5 of the 15 indicators (test_conclusion_…); one moved to the office.
    assert summary.loc["Phòng Kinh tế, Hạ tầng và Đô thị", "Chỉ tiêu phụ trách"] == "4"
    assert summary.loc["Văn phòng HĐND và UBND", "Chỉ tiêu phụ trách"] == "4"
