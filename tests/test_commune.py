"""A commune whose plan states its targets under lettered milestones, from `nq57 init` to
its briefing: it tracks its own plan and nothing of the registry beyond it.

Xã Đồng Tâm, tỉnh Tuyên Quang, its Kế hoạch số 27/KH-UBND ngày 15/9/2025 and every figure
are invented (tests/fixtures/commune/). Its plan writes "2. Mục tiêu cụ thể" → "a) Đến hết
năm 2025" → "- …", a target on the line of "b) Đến năm 2030: …", a figure wrapped onto the
next line, a baseline and a breakdown beside a target; its letters are years, not areas.
The expected indicators below were read off the plan by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from nq57lib.cli import main
from nq57lib.collect.template import DATA_SHEET, HEADER_ROW, VALUE_COL
from nq57lib.core import config

PLAN = Path(__file__).parent / "fixtures" / "commune" / "ke-hoach-27-KH-UBND-2025-dong-tam.md"
PERIOD = "2026-Q3"
# The reviewed indicators the plan's targets name, by the unit the example's units give
# them to; the six targets no reviewed indicator describes (4G, BTS stations, the budget,
# smart villages, markets, shops) are provisional.
REVIEWED = {
    "cong_an": ["vneid_residents", "digital_signature_residents"],
    "mot_cua": ["dossiers_online"],
    "kinh_te": ["coverage_5g", "ecommerce_promotion"],
    "van_phong": ["officials_basic_digital_training"],
}
PROVISIONAL = 6
FIGURES = {"vneid_residents": 61, "dossiers_online": 47, "coverage_5g": 80,
           "officials_basic_digital_training": 100, "digital_signature_residents": 20}  # fmt: skip


@pytest.fixture(scope="module")
def dong_tam(tmp_path_factory):
    folder = tmp_path_factory.mktemp("commune") / "dong-tam"
    assert main(["init", "--plan", str(PLAN), str(folder)]) == 0
    units = yaml.safe_load((folder / "reporting_units.yaml").read_text(encoding="utf-8"))
    blanks = folder / "bieu-mau"
    assert (
        main(["template", "--period", PERIOD, "--project", str(folder), "--out", str(blanks)]) == 0
    )
    raw = folder / "data" / "raw" / PERIOD
    raw.mkdir()
    asked: dict[str, list[str]] = {}
    for blank in sorted(blanks.glob("*.xlsx")):
        workbook = openpyxl.load_workbook(blank)
        if DATA_SHEET not in workbook.sheetnames:  # a unit the plan gives tasks only
            asked[blank.name.removesuffix(f"-{PERIOD}.xlsx")] = []
            workbook.save(raw / blank.name)
            continue
        sheet = workbook[DATA_SHEET]
        sheet.cell(row=5, column=1, value=config.ILLUSTRATIVE_LABEL)
        ids = []
        for row in range(HEADER_ROW + 1, sheet.max_row + 1):
            code = sheet.cell(row=row, column=2).value
            if isinstance(code, str) and re.fullmatch(r"(?:new:)?[a-z0-9_]+", code):
                ids.append(code)
                if code in FIGURES:
                    sheet.cell(row=row, column=VALUE_COL, value=FIGURES[code])
        asked[blank.name.removesuffix(f"-{PERIOD}.xlsx")] = ids
        workbook.save(raw / blank.name)
    argv = ["--project", str(folder), "run", "--period", PERIOD, "--formats", "html",
            "--as-of", "2026-10-15"]  # fmt: skip
    assert main(argv) == 0
    html = (folder / "reports" / PERIOD / f"bao-cao-{PERIOD}.html").read_text(encoding="utf-8")
    return folder, units, asked, html


def test_init_reads_the_letters_as_years_and_lists_only_the_plans_indicators(dong_tam):
    folder, units, _asked, _html = dong_tam
    profile = yaml.safe_load((folder / "ward.yaml").read_text(encoding="utf-8"))
    # No "a) …" area heading in the plan: Resolution 57's five areas, never "Đến hết năm 2025".
    assert list(profile["areas"]) == ["a", "b", "c", "d", "e"]
    assert not any("Đến" in str(name) for name in profile["areas"].values())
    listed = {u["code"]: u["indicators"] for u in units["units"]}
    assert {code: ids for code, ids in listed.items() if ids} == REVIEWED
    assert listed["van_hoa_xa_hoi"] == []


def test_the_templates_ask_for_exactly_the_plans_indicators(dong_tam):
    _folder, _units, asked, _html = dong_tam
    # The provisional six go to the first unit. The Phòng Văn hóa - Xã hội reports no
    # indicator, but the plan's own table gives it task 1.a: a workbook of tasks only.
    assert sorted(asked) == ["cong-an", "kinh-te", "mot-cua", "van-hoa-xa-hoi", "van-phong"]
    assert asked["van-hoa-xa-hoi"] == []
    every = [i for ids in asked.values() for i in ids]
    assert len(every) == len(set(every)) == 6 + PROVISIONAL
    assert {i for i in every if not i.startswith("new:")} == {
        i for ids in REVIEWED.values() for i in ids
    }
    assert sum(i.startswith("new:") for i in asked["cong-an"]) == PROVISIONAL
    for absent in ("coverage_6g", "operations_centre", "city_hdi", "data_centre"):
        assert absent not in every


def test_the_briefing_is_the_communes_and_names_nothing_of_the_example(dong_tam):
    _folder, _units, _asked, html = dong_tam
    # The page's words: no style, script or tag (an embedded image's base64 holds "6G").
    body = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body)
    assert "XÃ ĐỒNG TÂM" in html and "Đồng Tâm, ngày 15 tháng 10 năm 2026" in " ".join(text.split())
    assert "Kế hoạch số 27/KH-UBND" in html and "SỐ LIỆU MINH HỌA" in html
    # The annex of missing reports counts the units that owe something: 4, not 5.
    assert "2/4 đơn vị còn thiếu số liệu hợp lệ của ít nhất một chỉ tiêu được giao." in text
    annex = text[text.index("Báo cáo còn thiếu") :]
    assert "Phòng Văn hóa - Xã hội" not in annex[: annex.index("Lý do đơn vị để trống")]
    for foreign in ("Hồng Bàng", "HỒNG BÀNG", "106/KH-UBND", "Hải Phòng", "của phường", "6G",
                    "IOC", "HDI", "Đến hết năm 2025 (lĩnh vực)"):  # fmt: skip
        assert foreign not in text, foreign


def test_no_unit_owes_an_indicator_the_plan_does_not_have(dong_tam):
    folder, _units, _asked, _html = dong_tam
    processed = folder / "data" / "processed" / PERIOD
    submissions = pd.read_csv(processed / "submissions.csv").set_index("unit")
    # Each unit is asked for what its workbook holds, and every unit sent its workbook.
    expected = {"cong_an": 2 + PROVISIONAL, "mot_cua": 1, "kinh_te": 2, "van_phong": 1}
    owed = submissions["expected"].to_dict()
    assert {u: n for u, n in owed.items() if n} == expected
    assert owed.get("van_hoa_xa_hoi", 0) == 0
    status = pd.read_csv(processed / "status.csv")
    assert set(status["indicator_id"]) <= {i for ids in REVIEWED.values() for i in ids} | {
        i for i in status["indicator_id"] if i.startswith("new:")
    }
    rows = status.set_index(["indicator_id", "milestone_year"])
    # The commune's own milestones: VNeID ≥ 55% by 2025 (met with 61), ≥ 90% by 2030.
    assert rows.loc[("vneid_residents", 2030), ["target", "value"]].tolist() == [90.0, 61.0]
    assert rows.loc[("dossiers_online", 2025), ["target", "value"]].tolist() == [50.0, 47.0]


def _new_commune(tmp_path) -> Path:
    folder = tmp_path / "dong-tam"
    assert main(["init", "--plan", str(PLAN), str(folder)]) == 0
    return folder


def test_a_ward_opts_in_a_registry_indicator_and_an_unknown_one_is_named(tmp_path):
    from nq57lib.core.errors import ProfileError
    from nq57lib.core.project import Project
    from nq57lib.plan.tracked import ward_registry

    folder = _new_commune(tmp_path)
    tracked = ward_registry(Project.load(folder))
    assert "schools_stem" not in tracked and "schools_stem" in tracked.untracked
    profile = folder / "ward.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text + "\nindicators:\n  also_track: [schools_stem]\n", encoding="utf-8")
    tracked = ward_registry(Project.load(folder))
    assert "schools_stem" in tracked and "coverage_6g" not in tracked
    # In the ward's words: a xã under a province.
    assert tracked["schools_stem"].name_vi.startswith("Tỷ lệ cơ sở giáo dục phổ thông")
    profile.write_text(
        text + "\nindicators:\n  also_track: [schools_stem, phu_song_7g]\n", encoding="utf-8"
    )
    with pytest.raises(ProfileError) as caught:
        ward_registry(Project.load(folder))
    assert caught.value.problems == [
        f"“indicators.also_track”: “phu_song_7g” không có trong danh mục chỉ số "
        f"{config.SHIPPED_REGISTRY_PATH.resolve()}"
    ]


def test_registry_names_take_the_wards_words():
    from nq57lib.plan.registry import load_registry

    areas = {letter: letter for letter in "abcde"}
    commune = load_registry(
        config.SHIPPED_REGISTRY_PATH, areas, (("level", "xã"), ("above", "tỉnh"))
    )
    assert commune["operations_centre"].name_vi == (
        "Trung tâm giám sát, điều hành thông minh (IOC) của xã"
    )
    assert commune["city_hdi"].name_vi == "Chỉ số phát triển con người (HDI) của tỉnh"
    ward = load_registry(
        config.SHIPPED_REGISTRY_PATH, areas, (("level", "phường"), ("above", "thành phố"))
    )
    assert ward["data_centre"].name_vi == "Trung tâm dữ liệu của phường"


def test_a_registry_name_with_an_unknown_placeholder_is_refused(tmp_path):
    from nq57lib.core.errors import RegistryError
    from nq57lib.plan.registry import load_registry

    path = tmp_path / "indicators.yaml"
    path.write_text(
        "indicators:\n  - {id: x, area: a, name_vi: 'Trung tâm của {huyen}', name_en: X,\n"
        "     unit: '%', kind: level, direction: increase, match: [[trung tam]]}\n",
        encoding="utf-8",
    )
    with pytest.raises(RegistryError) as caught:
        load_registry(path, {"a": "A"})
    assert caught.value.problems == [
        "indicator 'x': name_vi holds {huyen}; a name may hold only {level}, {above}"
    ]


def test_a_units_file_may_list_untracked_indicators_but_not_unknown_ones(tmp_path):
    from nq57lib.collect.units import project_indicators
    from nq57lib.core.errors import RegistryError
    from nq57lib.core.project import Project

    folder = _new_commune(tmp_path)
    units_file = folder / "reporting_units.yaml"
    # The example's own units file, which lists all 52 reviewed indicators.
    units_file.write_text(config.SHIPPED_UNITS_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    _registry, units = project_indicators(Project.load(folder))
    owed = {i for unit in units for i in unit.indicators}
    assert "coverage_6g" not in owed and "vneid_residents" in owed
    units_file.write_text(
        units_file.read_text(encoding="utf-8").replace("- coverage_6g\n", "- coverage_7g\n"),
        encoding="utf-8",
    )
    with pytest.raises(RegistryError) as caught:
        project_indicators(Project.load(folder))
    assert "unit 'kinh_te': unknown indicator 'coverage_7g'" in caught.value.problems
