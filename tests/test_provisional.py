"""Provisional indicators: targets no reviewed indicator describes, kept and tracked."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from example import EXAMPLE, example_registry, example_units

from nq57lib.collect.units import load_reporting_units
from nq57lib.core.errors import RegistryError
from nq57lib.plan.catalogue import build_catalogue
from nq57lib.plan.provisional import (
    draft_entries,
    is_provisional,
    name_words,
    provisional_id,
    provisional_indicators,
    write_draft,
)

STYLES = Path(__file__).parent / "fixtures" / "plans" / "styles"


@pytest.mark.parametrize(
    ("text", "name", "ident"),
    [
        # a table row: the figure cell after " — " is not part of the name
        ("Tỷ lệ hồ sơ trực tuyến toàn trình — 60", "Tỷ lệ hồ sơ trực tuyến toàn trình",
         "new:ho_so_truc_tuyen_toan_trinh"),
        # the figure first: the words after it
        ("100% văn bản đi được ký số", "văn bản đi được ký số", "new:van_ban_di_duoc_ky_so"),
        # "đạt 100%" at the end goes, "trên địa bàn" stays
        ("Tỷ lệ phủ sóng 5G trên địa bàn đạt 100%", "Tỷ lệ phủ sóng 5G trên địa bàn",
         "new:phu_song_5g_tren_dia_ban"),
        # a lead-in clause goes; "tử" of "điện tử" is not the filler "từ"
        ("UBND phường đặt mục tiêu đến năm 2030, 100% hộ kinh doanh dùng hóa đơn điện tử",
         "hộ kinh doanh dùng hóa đơn điện tử", "new:ho_kinh_doanh_dung_hoa_don_dien"),
        ("tỷ trọng kinh tế số đạt tối thiểu 25% GRDP của phường", "tỷ trọng kinh tế số",
         "new:ty_trong_kinh_te_so"),
    ],
)  # fmt: skip
def test_names_and_ids_from_the_targets_own_words(text, name, ident):
    assert name_words(text) == name
    assert provisional_id(text) == ident
    assert is_provisional(ident) and not is_provisional("vneid_residents")


def test_a_rate_and_its_share_wording_are_one_indicator():
    # "Tỷ lệ hộ gia đình …" (a table row) and "Có 30% hộ gia đình …" (a bullet).
    assert provisional_id("Tỷ lệ hộ gia đình sử dụng ví điện tử — ≥ 60") == provisional_id(
        "Có ≥ 30% hộ gia đình sử dụng ví điện tử"
    )


def test_same_wording_at_two_milestones_is_one_series():
    catalogue = build_catalogue(STYLES / "table-year-columns.md", example_registry())
    targets = catalogue.targets.set_index("target_id")
    # Rows 1, 2 and 3.1 have a figure for 2026 and 2030: one provisional indicator each.
    assert targets.loc["2026-new:ho_so_truc_tuyen_toan_trinh", "value"] == 60
    assert targets.loc["2030-new:ho_so_truc_tuyen_toan_trinh", "value"] == 90
    # The row with two rankings in one cell: one indicator, the second target "-2".
    assert list(targets.filter(like="xep_hang", axis=0).index) == [
        "2026-new:xep_hang_chi_so_chuyen_doi_so",
        "2026-new:xep_hang_chi_so_chuyen_doi_so-2",
    ]
    # "Trung tâm điều hành thông minh" is a reviewed indicator: linked, not provisional.
    assert targets.loc["2030-operations_centre", "qualitative"]
    made = {i.id: i for i in provisional_indicators(catalogue.targets)}
    assert list(made) == [
        "new:chi_ngan_sach_xa_cho_khoa_hoc",
        "new:doanh_nghiep_doi_moi_sang_tao",
        "new:ho_so_truc_tuyen_toan_trinh",
        "new:xep_hang_chi_so_chuyen_doi_so",
    ]
    ranking = made["new:xep_hang_chi_so_chuyen_doi_so"]
    # "≤ 10": a ceiling, so lower is better; "Thứ bậc" is an index.
    assert (ranking.unit, ranking.kind, ranking.direction) == ("index", "level", "decrease")
    assert made["new:doanh_nghiep_doi_moi_sang_tao"].unit == "count"
    assert catalogue.indicators["new:ho_so_truc_tuyen_toan_trinh"].name_vi == (
        "Tỷ lệ hồ sơ trực tuyến toàn trình"
    )


def test_a_qualitative_provisional_target_is_a_milestone_indicator():
    catalogue = build_catalogue(STYLES / "numbered-plus-bullets.md", example_registry())
    made = {i.id: i for i in provisional_indicators(catalogue.targets)}
    deliverable = made["new:hoan_thanh_xay_dung_co_so_du"]
    assert (deliverable.unit, deliverable.kind) == ("other", "milestone")


def test_the_run_registry_has_the_plans_provisional_indicators_and_units_report_them(tmp_path):
    registry = build_catalogue(STYLES / "title-year-only.md", example_registry()).indicators
    assert "new:van_ban_di_duoc_ky_so" in registry and "vneid_residents" in registry
    units = example_units(registry)
    # Nobody lists it: the first unit of the file reports it until someone is assigned.
    first = next(iter(units))
    assert "new:van_ban_di_duoc_ky_so" in first.indicators
    assert units.unit_of("new:van_ban_di_duoc_ky_so") == first
    # A units file may name the unit that reports provisional indicators.
    document = yaml.safe_load(EXAMPLE.units_path.read_text(encoding="utf-8"))
    document["default_unit"] = "van_phong"
    path = tmp_path / "units.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    assert load_reporting_units(path, registry).unit_of("new:van_ban_di_duoc_ky_so").code == (
        "van_phong"
    )
    document["default_unit"] = "phong_khong_co"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RegistryError, match="default_unit 'phong_khong_co' is not one of"):
        load_reporting_units(path, registry)


def test_draft_entries_for_review(tmp_path):
    catalogue = build_catalogue(STYLES / "table-year-columns.md", example_registry())
    made = provisional_indicators(catalogue.targets)
    entries = draft_entries(made, catalogue.targets)
    first = entries[0]
    assert first == {
        "id": "chi_ngan_sach_xa_cho_khoa_hoc",
        "area": "?",  # a table has no area heading: the analyst sets it
        "name_vi": "Tỷ lệ chi ngân sách xã cho khoa học, công nghệ",
        "name_en": "TODO",
        "unit": "%",
        "kind": "level",
        "direction": "increase",
        "match": [["ty", "le", "chi", "ngan", "sach", "xa", "cho"]],
        "aliases": ["Tỷ lệ chi ngân sách xã cho khoa học, công nghệ"],
        "_plan_lines": [8, 8],
        "_plan_text": [
            "Tỷ lệ chi ngân sách xã cho khoa học, công nghệ — ≥ 2",
            "Tỷ lệ chi ngân sách xã cho khoa học, công nghệ — ≥ 3",
        ],
    }
    out = write_draft(entries, STYLES / "table-year-columns.md", tmp_path / "draft.yaml")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Draft registry entries for targets of table-year-columns.md")
    assert yaml.safe_load(text)["indicators"][3]["id"] == "xep_hang_chi_so_chuyen_doi_so"


def test_cli_writes_the_draft_once_and_says_when_there_is_nothing_to_draft(tmp_path, capsys):
    from nq57lib.cli import main

    out = tmp_path / "draft.yaml"
    plan = STYLES / "table-year-columns.md"
    assert main(["indicators", "--plan", str(plan), "--draft", str(out)]) == 0
    assert "4 draft indicator(s) for review written to" in capsys.readouterr().out
    assert [e["id"] for e in yaml.safe_load(out.read_text(encoding="utf-8"))["indicators"]] == [
        "chi_ngan_sach_xa_cho_khoa_hoc",
        "doanh_nghiep_doi_moi_sang_tao",
        "ho_so_truc_tuyen_toan_trinh",
        "xep_hang_chi_so_chuyen_doi_so",
    ]
    assert main(["indicators", "--plan", str(plan), "--draft", str(out)]) == 2
    assert "does not overwrite a draft" in capsys.readouterr().err
    # Every target of the shipped plan links to a reviewed indicator: nothing to draft.
    other = tmp_path / "none.yaml"
    assert main(["indicators", "--draft", str(other)]) == 0
    assert "links to a reviewed indicator" in capsys.readouterr().out and not other.exists()
