"""Linking targets to the registry, the milestone series and the CSV / Excel exports."""

from __future__ import annotations

import csv
import math

import openpyxl
import pytest
from example import EXAMPLE, example_registry

from nq57lib.core.errors import Nq57Error
from nq57lib.plan.catalogue import (
    TARGET_COLUMNS,
    build_catalogue,
    format_series,
    format_target,
    match_indicator,
    summary_by_area,
    write_targets,
)
from nq57lib.plan.registry import load_registry


@pytest.fixture(scope="module")
def catalogue():
    return build_catalogue(EXAMPLE.plan_path, example_registry())


def _path(catalogue, indicator_id):
    """(year, comparator, value, per_year, aspirational) along an indicator's milestones."""
    rows = catalogue.targets[catalogue.targets["indicator_id"] == indicator_id]
    return [
        (r.milestone_year, r.comparator, r.value, r.per_year, r.aspirational)
        for r in rows.sort_values("milestone_year").itertuples()
    ]


def test_every_target_links_to_an_indicator(catalogue):
    assert catalogue.unmatched.empty
    assert catalogue.targets["indicator_id"].notna().all()
    assert len(catalogue.targets) == 135


def test_every_link_agrees_with_the_plan_area(catalogue):
    registry = catalogue.registry
    wrong = [
        (t.source_line, t.indicator_id)
        for t in catalogue.targets.itertuples()
        if registry[t.indicator_id].area != t.area
    ]
    assert wrong == []


def test_vneid_series(catalogue):
    assert _path(catalogue, "vneid_residents") == [
        (2025, ">=", 70, False, False),
        (2030, ">=", 85, False, False),
        (2035, ">=", 95, False, False),
        (2040, "=", 100, False, False),
        (2045, "=", 100, False, False),
    ]


def test_5g_coverage_series_excludes_hotspots(catalogue):
    assert _path(catalogue, "coverage_5g") == [
        (2025, ">=", 80, False, False),
        (2030, "=", 100, False, False),
    ]
    assert _path(catalogue, "coverage_5g_hotspots") == [(2025, "=", 100, False, False)]


def test_budget_share_series(catalogue):
    assert _path(catalogue, "budget_share_stid") == [
        (2025, ">=", 3, False, True),
        (2030, ">=", 3, True, True),
        (2035, "=", 3, True, False),
        (2040, ">", 3, True, False),
        (2045, ">", 3.5, True, False),
    ]


def test_digital_signature_series(catalogue):
    assert _path(catalogue, "digital_signature_residents") == [
        (2030, ">=", 10, False, False),
        (2035, "=", 20, False, False),
        (2040, "=", 30, False, False),
        (2045, "=", 40, False, False),
    ]


def test_public_sector_initiatives_series(catalogue):
    assert _path(catalogue, "public_sector_initiatives") == [
        (2025, ">=", 10, False, True),
        (2030, ">=", 10, True, True),
        (2035, ">=", 15, True, True),
        (2040, ">=", 20, True, True),
        (2045, ">=", 20, True, True),
    ]


def test_two_targets_of_one_bullet_go_to_two_series(catalogue):
    line_124 = catalogue.targets[catalogue.targets["source_line"] == 124]
    assert line_124["indicator_id"].tolist() == ["st_initiatives_ward", "st_initiatives_city"]
    line_227 = catalogue.targets[catalogue.targets["source_line"] == 227]
    assert line_227["indicator_id"].tolist() == ["vneid_residents", "digital_signature_residents"]


def test_target_ids_are_milestone_and_indicator(catalogue):
    ids = catalogue.targets["target_id"]
    assert ids.is_unique
    assert "2030-vneid_residents" in set(ids)
    assert "2040-adults_digital_services_regular_use" in set(ids)
    assert all(i == f"{y}-{n}" for i, y, n in catalogue.targets[
        ["target_id", "milestone_year", "indicator_id"]].itertuples(index=False))  # fmt: skip


def test_columns(catalogue):
    assert tuple(catalogue.targets.columns[: len(TARGET_COLUMNS)]) == TARGET_COLUMNS
    assert "scope" in catalogue.targets.columns
    assert TARGET_COLUMNS == tuple(
        "target_id,indicator_id,milestone_year,area,comparator,value,value_max,unit,unit_label,"
        "per_year,aspirational,qualitative,text,source_line".split(",")
    )


def test_series_one_row_per_indicator(catalogue):
    series = catalogue.series()
    assert series["indicator_id"].is_unique
    assert len(series) == 52
    vneid = series.set_index("indicator_id").loc["vneid_residents"]
    assert vneid["path"] == "2025: ≥ 70% → 2030: ≥ 85% → 2035: ≥ 95% → 2040: 100% → 2045: 100%"
    assert vneid["n_targets"] == 5
    assert vneid["2035"] == "≥ 95%"
    hdi = series.set_index("indicator_id").loc["city_hdi"]
    assert hdi["path"] == "2030: > 0,7"
    assert hdi["2025"] == ""


def test_format_target_in_vietnamese(catalogue):
    rows = catalogue.targets.set_index("target_id")
    assert format_target(_one(rows, "2040-adults_digital_services_regular_use")) == "80–90%"
    assert format_target(_one(rows, "2045-budget_share_stid")) == "> 3,5%/năm"
    assert format_target(_one(rows, "2030-public_sector_initiatives")) == "≥ 10/năm (phấn đấu)"
    assert format_target(_one(rows, "2030-operations_centre")) == "định tính"


def _one(rows, target_id):
    return next(rows.loc[[target_id]].reset_index().itertuples())


def test_format_series_lists_every_area(catalogue):
    text = format_series(catalogue)
    assert text.startswith("Kế hoạch: ke-hoach-106-KH-UBND-2025-hong-bang.md — 135 chỉ tiêu, 52")
    for heading in ("a) Phát triển hạ tầng", "e) Phát triển chuyển đổi số"):
        assert heading in text
    assert "vneid_residents — Tỷ lệ người dân có tài khoản định danh điện tử (VNeID) [%]" in text
    assert "2030: ≥ 10%  →  2035: 20%  →  2040: 30%  →  2045: 40%" in text
    assert "Chưa gắn chỉ số" not in text


def test_summary_by_area(catalogue):
    table = summary_by_area(catalogue.targets, EXAMPLE.areas)
    assert table.loc["e) Phát triển chuyển đổi số"].tolist() == [9, 16, 10, 9, 11, 55]
    assert table.loc["Tổng"].tolist() == [27, 37, 26, 23, 22, 135]


# ── linking rules, on a small registry ──────────────────────────────────────

REGISTRY = """
indicators:
  - {id: dossiers, area: e, name_vi: Hồ sơ, name_en: Files, unit: "%", kind: level,
     direction: increase, match: [[ho so]]}
  - {id: dossiers_online, area: e, name_vi: Hồ sơ trực tuyến, name_en: Online files,
     unit: "%", kind: level, direction: increase, match: [[ho so, truc tuyen]]}
  - {id: coverage, area: a, name_vi: Phủ sóng, name_en: Coverage, unit: "%", kind: level,
     direction: increase, match: [[phu song]], exclude: [khu du lich]}
  - {id: signature_a, area: a, name_vi: Ký số A, name_en: Signature A, unit: "%",
     kind: level, direction: increase, match: [[chu ky so]]}
  - {id: signature_b, area: b, name_vi: Ký số B, name_en: Signature B, unit: "%",
     kind: level, direction: increase, match: [[chu ky so]]}
  - {id: signature_c, area: b, name_vi: Ký số C, name_en: Signature C, unit: "%",
     kind: level, direction: increase, match: [[ky so, chu]]}
"""


@pytest.fixture()
def small_registry(tmp_path):
    path = tmp_path / "indicators.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    return load_registry(path, EXAMPLE.areas)


def test_most_specific_match_wins(small_registry):
    assert match_indicator("100% hồ sơ xử lý trực tuyến", "e", small_registry) == (
        "dossiers_online",
        "",
    )
    assert match_indicator("100% hồ sơ được số hóa", "e", small_registry) == ("dossiers", "")


def test_exclude_vetoes_a_match(small_registry):
    assert match_indicator("Phủ sóng 5G đạt 80%", "a", small_registry)[0] == "coverage"
    indicator, reason = match_indicator("Phủ sóng 5G khu du lịch 100%", "a", small_registry)
    assert indicator is None
    assert reason == "no indicator of the registry matches"


def test_words_match_whole(small_registry):
    assert match_indicator("100% hồ sơn trực tuyến", "e", small_registry)[0] is None


def test_a_tie_goes_to_the_target_area_else_is_reported(small_registry):
    assert match_indicator("Có 10% người dân có chữ ký số", "a", small_registry)[0] == "signature_a"
    indicator, reason = match_indicator("Có 10% người dân có chữ ký số", "e", small_registry)
    assert indicator is None
    assert reason == "matches several indicators equally: signature_a, signature_b"


def _plan(tmp_path, bullets: str, name="plan.md"):
    path = tmp_path / name
    path.write_text(
        "2. Mục tiêu cụ thể\n\n2.1. Đến hết năm 2030\n\ne) Chuyển đổi số\n\n" + bullets,
        encoding="utf-8",
    )
    return path


def test_unmatched_targets_are_kept_and_reported(tmp_path, small_registry):
    plan = _plan(
        tmp_path,
        "- 100% hồ sơ xử lý trực tuyến.\n\n- Có 50% hộ gia đình dùng điện mặt trời.\n\n"
        "- Có 10% người dân có chữ ký số.\n",
    )
    catalogue = build_catalogue(plan, small_registry)
    # Unlinked targets are tracked under a provisional id: "new:" and their words without
    # the figure and the leading "Có".
    assert catalogue.targets["indicator_id"].tolist() == [
        "dossiers_online",
        "new:ho_gia_dinh_dung_dien_mat_troi",
        "new:nguoi_dan_co_chu_ky_so",
    ]
    assert catalogue.targets["target_id"].tolist() == [
        "2030-dossiers_online",
        "2030-new:ho_gia_dinh_dung_dien_mat_troi",
        "2030-new:nguoi_dan_co_chu_ky_so",
    ]
    assert catalogue.unmatched["source_line"].tolist() == [9, 11]
    assert catalogue.unmatched["reason"].tolist() == [
        "no indicator of the registry matches",
        "matches several indicators equally: signature_a, signature_b",
    ]
    assert "Chưa gắn chỉ số (2):" in format_series(catalogue)


def test_second_target_for_the_same_indicator_and_milestone_gets_a_suffix(tmp_path, small_registry):
    plan = _plan(tmp_path, "- 90% hồ sơ số hóa.\n- 95% hồ sơ giấy được lưu trữ.\n")
    catalogue = build_catalogue(plan, small_registry)
    assert catalogue.targets["target_id"].tolist() == ["2030-dossiers", "2030-dossiers-2"]


def test_reordered_and_edited_plan_keeps_its_ids(tmp_path, catalogue):
    text = EXAMPLE.plan_path.read_text(encoding="utf-8")
    vneid = r"- Có $\geq 85\%$ người dân có tài khoản định danh điện tử (VNeID)"
    moved = "- Tiếp tục đẩy mạnh ứng dụng thương mại điện tử.\n\n"
    assert text.count(vneid) == 1 and text.count(moved) == 1
    text = text.replace(moved, "").replace(vneid, moved + vneid.replace("85", "88"))
    path = tmp_path / "edited.md"
    path.write_text(text, encoding="utf-8")
    edited = build_catalogue(path, example_registry())
    assert edited.unmatched.empty
    assert set(edited.targets["target_id"]) == set(catalogue.targets["target_id"])
    row = edited.targets.set_index("target_id").loc["2030-vneid_residents"]
    assert (row["value"], row["source_line"]) == (88, 229)


# ── exports ─────────────────────────────────────────────────────────────────


def test_csv_export(tmp_path, catalogue):
    out = write_targets(catalogue, tmp_path / "out" / "targets.csv")
    with out.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = {row[0]: dict(zip(header, row, strict=True)) for row in reader}
    assert header == list(TARGET_COLUMNS)
    assert len(rows) == 135
    assert rows["2030-city_hdi"] | {"text": ""} == {
        "target_id": "2030-city_hdi", "indicator_id": "city_hdi", "milestone_year": "2030",
        "area": "b", "comparator": ">", "value": "0.7", "value_max": "", "unit": "index",
        "unit_label": "", "per_year": "false", "aspirational": "false", "qualitative": "false",
        "text": "", "source_line": "187",
    }  # fmt: skip
    assert rows["2040-adults_digital_services_regular_use"]["value_max"] == "90"
    assert rows["2045-budget_share_stid"]["value"] == "3.5"
    assert rows["2030-student_national_prizes"]["comparator"] == ""
    assert rows["2030-student_national_prizes"]["value"] == ""
    assert rows["2030-student_national_prizes"]["per_year"] == "true"
    assert rows["2030-digital_signature_residents"]["text"] == "tỷ lệ người dân có chữ ký số ≥ 10%"
    assert [p.name for p in out.parent.iterdir()] == ["targets.csv"]


def test_csv_export_names_the_provisional_indicator_of_an_unmatched_target(
    tmp_path, small_registry
):
    catalogue = build_catalogue(
        _plan(tmp_path, "- Có 50% hộ dùng điện mặt trời.\n"), small_registry
    )
    out = write_targets(catalogue, tmp_path / "t.csv")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[1] == (
        "2030-new:ho_dung_dien_mat_troi,new:ho_dung_dien_mat_troi,2030,e,=,50,,%,%,false,false,"
        "false,Có 50% hộ dùng điện mặt trời,7"
    )


def test_xlsx_export(tmp_path, catalogue):
    out = write_targets(catalogue, tmp_path / "targets.xlsx")
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == [
        "Tổng hợp", "Năm 2025", "Năm 2030", "Năm 2035", "Năm 2040", "Năm 2045"
    ]  # fmt: skip
    sheet = workbook["Năm 2030"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Mã mục tiêu", "Mã chỉ số", "Tên chỉ số", "Mốc (năm)"]
    assert "Nội dung trong kế hoạch" in header and "Phấn đấu" in header
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:O{37 + 1}"
    assert sheet.max_row == 38
    vneid = next(r for r in sheet.iter_rows(min_row=2, values_only=True)
                 if r[0] == "2030-vneid_residents")  # fmt: skip
    assert vneid[5] == "≥ 85%" and vneid[7] == 85 and vneid[9] == "%"
    summary = workbook["Tổng hợp"]
    rows = list(summary.iter_rows(values_only=True))
    assert rows[0] == (
        "Lĩnh vực",
        "Năm 2025",
        "Năm 2030",
        "Năm 2035",
        "Năm 2040",
        "Năm 2045",
        "Tổng",
    )
    assert rows[6] == ("Tổng", 27, 37, 26, 23, 22, 135)
    assert rows[7] == ("Trong đó định tính", 5, 7, 4, 4, 5, 25)
    assert summary.freeze_panes == "A2"
    assert [p.name for p in tmp_path.iterdir()] == ["targets.xlsx"]


def test_unknown_suffix_is_a_clear_error(tmp_path, catalogue):
    with pytest.raises(Nq57Error, match=r"choose a \.csv or \.xlsx"):
        write_targets(catalogue, tmp_path / "targets.json")
    assert list(tmp_path.iterdir()) == []


def test_unwritable_destination_is_a_clear_error(tmp_path, catalogue):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    for name in ("targets.csv", "targets.xlsx"):
        with pytest.raises(Nq57Error, match=f"Cannot write {blocker / name}: "):
            write_targets(catalogue, blocker / name)


def test_values_are_numbers(catalogue):
    assert catalogue.targets["value"].dtype == "float64"
    qualitative = catalogue.targets[catalogue.targets["qualitative"]]
    assert all(math.isnan(v) for v in qualitative["value"])
    assert set(qualitative["unit"]) == {"other"}


def test_the_plan_is_read_once_until_its_file_changes(tmp_path):
    plan = tmp_path / "ke-hoach.md"
    plan.write_text(EXAMPLE.plan_path.read_text(encoding="utf-8"), encoding="utf-8")
    first = build_catalogue(plan, example_registry())
    assert first.targets.loc[0, "value"] == 80
    first.targets.loc[0, "value"] = -1  # a caller changing its copy changes nothing else
    assert build_catalogue(plan, example_registry()).targets.loc[0, "value"] == 80
    edited = plan.read_text(encoding="utf-8").replace(
        r"Tỷ lệ phủ sóng 5G trên địa bàn đạt $\geq 80\%$",
        r"Tỷ lệ phủ sóng 5G trên địa bàn đạt $\geq 85\%$",
    )
    plan.write_text(edited, encoding="utf-8")  # the same size, maybe the same mtime
    assert build_catalogue(plan, example_registry()).targets.loc[0, "value"] == 85
