"""The unit assignment file: complete, checked against the registry, all problems at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from example import example_registry, example_units

from nq57lib.collect.units import load_reporting_units
from nq57lib.core.errors import RegistryError


def test_every_indicator_has_exactly_one_unit() -> None:
    registry = example_registry()
    units = example_units(registry)
    assert [u.code for u in units] == [
        "cong_an",
        "mot_cua",
        "kinh_te",
        "van_hoa_xa_hoi",
        "van_phong",
    ]
    assigned = [i for u in units for i in u.indicators]
    assert sorted(assigned) == sorted(i.id for i in registry)
    assert units.unit_of("vneid_residents").code == "cong_an"
    assert units.unit_of("dossiers_online").code == "mot_cua"
    assert units.unit_of("coverage_5g").code == "kinh_te"
    assert units.unit_of("st_initiatives_ward").code == "van_hoa_xa_hoi"
    assert units.unit_of("operations_centre").code == "van_phong"


def test_finding_units_in_titles_and_file_names() -> None:
    units = example_units()
    assert units.find_in_text("CÔNG AN PHƯỜNG HỒNG BÀNG").code == "cong_an"
    assert units.find_in_text("Đơn vị báo cáo: Phòng Văn hóa - Xã hội").code == "van_hoa_xa_hoi"
    assert (
        units.find_in_text("VĂN PHÒNG HĐND VÀ UBND PHƯỜNG — Số liệu minh họa").code == "van_phong"
    )
    assert units.find_in_text("BÁO CÁO SÁNG KIẾN CẤP CƠ SỞ") is None
    assert units.find_in_filename("cong-an.xlsx").code == "cong_an"
    assert units.find_in_filename("2026Q3_VanHoaXaHoi.xlsx").code == "van_hoa_xa_hoi"
    assert units.find_in_filename("bao-cao.xlsx") is None
    assert units.get("Bộ phận một cửa").code == "mot_cua"


def test_bad_assignment_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "units.yaml"
    path.write_text(
        "units:\n"
        "  - code: a\n    name_vi: Đơn vị A\n    indicators: [vneid_residents, no_such_indicator]\n"
        "  - code: b\n    name_vi: Đơn vị B\n    indicators: [vneid_residents]\n"
        "  - code: c\n    indicators: [coverage_5g]\n",
        encoding="utf-8",
    )
    with pytest.raises(RegistryError) as caught:
        load_reporting_units(path, example_registry())
    problems = caught.value.problems
    assert "unit 'a': unknown indicator 'no_such_indicator'" in problems
    assert "indicator 'vneid_residents' is assigned to both 'a' and 'b'" in problems
    assert "unit 'c': 'name_vi' is missing" in problems
    assert "indicator 'dossiers_online' is not assigned to any unit" in problems
    # 52 indicators, 2 assigned: 50 unassigned + the three problems above.
    assert len(problems) == 53


def test_unreadable_assignment(tmp_path: Path) -> None:
    with pytest.raises(RegistryError) as caught:
        load_reporting_units(tmp_path / "missing.yaml", example_registry())
    assert caught.value.problems == ["file not found"]
