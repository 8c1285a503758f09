"""The briefing's content, computed from the small hand-written period in tests/fixtures/briefing.

The fixture (2026-Q3, with 2026-Q2 history and observations) holds 14 indicator-milestones
across areas a–e; every expected value below was worked out by hand from those CSV files.
"""

from __future__ import annotations

import base64
import dataclasses
import re
import shutil
import unicodedata
from datetime import date
from pathlib import Path

import matplotlib
import nbformat
import pandas as pd
import pytest
from matplotlib.figure import Figure

from nq57lib.core.errors import InputMissingError, ValidationError
from nq57lib.plan.registry import AREAS
from nq57lib.report import briefing

matplotlib.use("Agg")

FIXTURE = Path(__file__).parent / "fixtures" / "briefing"
NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "30-briefing.ipynb"


@pytest.fixture(scope="module")
def data() -> briefing.BriefingData:
    return briefing.load_briefing_data("2026-Q3", FIXTURE)


def test_load_reads_every_table_and_notices_the_illustrative_flag(data):
    assert data.period.code == "2026-Q3"
    assert len(data.status) == 14
    assert set(data.history["period"]) == {"2026-Q2", "2026-Q3"}
    # Observations of every period up to 2026-Q3: 13 rows of Q3 and 2 of Q2.
    assert len(data.observations) == 15
    assert len(data.quarantine) == 2 and len(data.submissions) == 5
    # Not asked for, but quality.csv says the workbooks carry "số liệu minh họa".
    assert data.illustrative is True


def test_load_names_the_missing_step(tmp_path):
    with pytest.raises(InputMissingError, match="nq57 compare --period 2026-Q3"):
        briefing.load_briefing_data("2026-Q3", tmp_path)


def test_load_lists_every_missing_status_column(tmp_path):
    (tmp_path / "2026-Q3").mkdir()
    status = pd.read_csv(FIXTURE / "2026-Q3" / "status.csv")
    status.drop(columns=["gap", "method_note"]).to_csv(tmp_path / "2026-Q3" / "status.csv")
    with pytest.raises(ValidationError) as error:
        briefing.load_briefing_data("2026-Q3", tmp_path)
    assert error.value.problems == ["column 'gap' is missing", "column 'method_note' is missing"]


def test_status_counts_most_urgent_first(data):
    counts = briefing.status_counts(data.status)
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
    assert list(counts["count"]) == [1, 1, 1, 3, 1, 1, 3, 3]
    assert list(counts["label"])[:2] == ["Quá hạn chưa đạt", "Đi xuống"]


def test_needs_direction_orders_by_status_then_progress_ratio(data):
    urgent = briefing.needs_direction(data.status, limit=5)
    assert list(urgent["indicator_id"]) == [
        "coverage_5g_hotspots",  # overdue
        "enterprises_innovating",  # deteriorating
        "broadband_gigabit_users",  # off track
        "operations_centre",  # needs acceleration, ratio 0.375
        "st_initiatives_ward",  # needs acceleration, ratio 0.6 (schools_stem 0.667 is 6th)
    ]


def test_status_changes_since_previous_period(data):
    assert briefing.previous_period(data.history, "2026-Q3").code == "2026-Q2"
    changes = briefing.status_changes(data.history, "2026-Q3")
    assert list(changes["indicator_id"]) == [
        "broadband_gigabit_users",
        "enterprises_innovating",
        "schools_stem",
        "innovation_projects_funded",
    ]
    assert list(changes["before"]) == [
        "needs_acceleration",
        "needs_acceleration",
        "on_track",
        "needs_acceleration",
    ]
    assert list(changes["better"]) == [False, False, False, True]
    assert briefing.previous_period(data.history, "2026-Q2") is None


def test_area_table_formats_numbers_the_vietnamese_way(data):
    table = briefing.area_table(data.status, "a")
    # cybersecurity_unit is a qualitative milestone: it belongs to section III, not here.
    assert list(table["Chỉ tiêu"]) == [
        "Tỷ lệ phủ sóng 5G trên địa bàn",
        "Tỷ lệ phủ sóng 5G tại khu du lịch, trung tâm thương mại",
        "Tỷ lệ người sử dụng truy cập băng rộng cố định tốc độ trên 1 Gb/s",
    ]
    first = table.iloc[0]
    assert first["Mục tiêu"] == "≥ 100%"
    assert first["Kết quả"] == "78,5%"
    assert first["Kỳ số liệu"] == "Quý III/2026"
    assert first["Cần đạt đến nay"] == "66%"
    assert first["Tỷ lệ tiến độ"] == "3,08"
    assert first["Đánh giá"] == "Đúng tiến độ"
    assert table.iloc[1]["Tỷ lệ tiến độ"] == "—"


def test_range_target_and_count_values(data):
    e = briefing.area_table(data.status, "e")
    assert e.iloc[0]["Mục tiêu"] == "80–90%"
    c = briefing.area_table(data.status, "c")
    assert list(c["Kết quả"]) == ["9", "2"]
    assert list(c["Mục tiêu"]) == ["≥ 20", "≥ 10"]


def test_qualitative_table_shows_reported_stage_and_unit_note(data):
    table = briefing.qualitative_table(data.status, data.observations)
    assert list(table["Tình trạng báo cáo"]) == ["Đang triển khai", "Chưa triển khai"]
    assert list(table["Mốc"]) == ["2030", "2027"]
    assert table.iloc[0]["Ghi chú của đơn vị"] == "Đã có quyết định thành lập tổ"
    assert list(table["Đánh giá"]) == ["Đúng tiến độ", "Cần đẩy nhanh"]


def test_sources_cite_every_cell_a_flow_sums(data):
    flow = briefing.sources(data.observations, "innovation_projects_funded", "2026-Q3")
    assert flow == (
        "2026-Q2/kinh-te-ha-tang-2026-Q2.xlsx › DMST › C7; "
        "2026-Q3/kinh-te-ha-tang-2026-Q3.xlsx › DMST › C7"
    )
    level = briefing.sources(data.observations, "coverage_5g", "2026-Q3")
    assert level == "2026-Q3/kinh-te-ha-tang-2026-Q3.xlsx › Bieu_1 › E7"
    assert briefing.sources(data.observations, "city_hdi", None) == "—"


def test_appendix_shows_inputs_and_arithmetic(data):
    table = briefing.appendix_table(data.status, data.observations)
    assert len(table) == 14
    row = table[table["Chỉ tiêu"].str.endswith("[broadband_gigabit_users]")].iloc[0]
    assert row["Kết quả (kỳ)"] == "41% (Quý III/2026)"
    assert row["Gốc (kỳ)"] == "38% (Quý IV/2025)"
    assert row["Cần đạt đến nay"] == "44,3%"
    assert row["Còn thiếu"] == "39 điểm %"
    assert row["Tỷ lệ tiến độ"] == "0,48"
    assert row["Nguồn (tệp › trang › ô)"].endswith("› Bieu_1 › E9")
    centre = table[table["Chỉ tiêu"].str.endswith("[operations_centre]")].iloc[0]
    assert centre["Mục tiêu"] == "Hoàn thành"
    assert centre["Kết quả (kỳ)"] == "Chưa triển khai (Quý III/2026)"


def test_missing_data_and_submissions(data):
    missing = briefing.missing_data_table(data.status, "2026-Q3")
    assert list(missing["indicator_id"]) == ["city_hdi"]
    assert list(missing["Số liệu gần nhất"]) == ["chưa có"]
    submissions = briefing.submissions_table(data.submissions)
    culture = submissions[submissions["Đơn vị"] == "Phòng Văn hóa - Xã hội"].iloc[0]
    assert culture["Còn thiếu"] == "2"
    assert culture["Chỉ tiêu còn thiếu"] == (
        "Chỉ số phát triển con người (HDI) của thành phố; "
        "Tỷ lệ cơ sở giáo dục phổ thông dạy kỹ năng số cho học sinh"
    )
    quality = briefing.quality_table(data.quality)
    assert list(quality["Tình trạng tệp"]).count("Không đọc được") == 1
    assert list(quality["Dòng đã đọc"])[:2] == ["4", "8"]


def test_header_follows_decree_30(data):
    html = briefing.header(data, report_date=date(2026, 10, 5)).data
    assert unicodedata.is_normalized("NFC", html)
    text = re.sub(r"<[^>]+>", "\n", html)
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
    assert "nq57-banner" not in briefing.header(real, date(2026, 10, 5)).data
    assert "nq57-banner" in briefing.header(data, date(2026, 10, 5)).data


def test_report_title():
    assert briefing.report_title("Quý III/2026") == (
        "Báo cáo kết quả thực hiện Kế hoạch số 106/KH-UBND — Quý III năm 2026"
    )


def test_summary_mentions_changes_and_counts(data):
    html = briefing.summary(data).data
    assert "So với Quý II/2026: 3 lượt xấu đi, 1 lượt tốt lên." in html
    assert "14 lượt đánh giá" in html
    assert html.count("<li>") == 5


def test_html_table_escapes_and_fixes_column_widths():
    frame = pd.DataFrame({"status": ["off_track"], "Chỉ tiêu": ["<b>x</b>"], "Đánh giá": ["Chậm"]})
    html = briefing.html_table(frame, {"Chỉ tiêu": 70, "Đánh giá": 30})
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>" not in html
    assert '<col style="width: 70%"/>' in html and "fixed" in html
    assert '<td class="status st-off_track">Chậm</td>' in html


def test_figure_is_embedded_without_any_web_address():
    figure = Figure()
    figure.add_subplot().plot([1, 2], [3, 4])
    html = briefing.figure_html(figure, "thử")
    encoded = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
    png = base64.b64decode(encoded)
    assert png.startswith(b"\x89PNG") and b"matplotlib.org" not in png


def test_area_sections_cover_every_area(data):
    for area in AREAS:
        html = briefing.area_section(data, area).data
        assert "<table" in html
    with pytest.raises(ValueError, match="area must be one of"):
        briefing.area_section(data, "f")


def test_notebook_is_thin_and_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata.kernelspec.name == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert not any("def " in c.source or "sys.path" in c.source for c in code)
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert all(len(c.source.splitlines()) <= 3 for c in code)
    headings = [
        line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines()
    ]
    for area in AREAS:
        assert f"### {briefing.area_heading(area)}" in headings


def test_load_skips_folders_that_are_not_periods(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "processed")
    (tmp_path / "processed" / "cache").mkdir()
    data = briefing.load_briefing_data("2026-Q3", tmp_path / "processed")
    assert len(data.observations) == 15


def test_unit_note_column_shows_the_units_words_without_nq57_annotations():
    import pandas as pd

    from nq57lib.report.briefing import _latest_note

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
    assert _latest_note(observations, "operations_centre", "2026-Q3") == (
        "<b>Đã nghiệm thu</b> giai đoạn 1"
    )
    assert _latest_note(observations, "data_centre", "2026-Q3") == ""
