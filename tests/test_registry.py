import pytest
from example import EXAMPLE, example_registry

from nq57lib.core.errors import RegistryError
from nq57lib.plan.registry import load_registry


def test_shipped_registry_loads_with_readable_ids():
    registry = example_registry()
    vneid = registry["vneid_residents"]
    assert vneid.area == "e"
    assert vneid.unit == "%"
    assert vneid.kind == "level"
    assert "VNeID" in vneid.aliases
    assert registry["st_initiatives_ward"].kind == "flow"
    assert registry["operations_centre"].qualitative
    assert {i.area for i in registry} == {"a", "b", "c", "d", "e"}


def test_alias_with_commas_stays_one_alias():
    assert "Chi NSNN cho KH&CN, ĐMST, CĐS" in example_registry()["budget_share_stid"].aliases


def test_every_problem_is_reported_at_once(tmp_path):
    bad = tmp_path / "indicators.yaml"
    bad.write_text(
        "indicators:\n"
        "  - id: x\n    area: z\n    name_vi: X\n    name_en: X\n    unit: '%'\n"
        "    kind: level\n    direction: increase\n    match: [[x]]\n"
        "  - id: x\n    area: a\n    name_vi: X\n    name_en: X\n    unit: percent\n"
        "    kind: level\n    direction: up\n    match: [[x]]\n",
        encoding="utf-8",
    )
    with pytest.raises(RegistryError) as caught:
        load_registry(bad, EXAMPLE.areas)
    assert caught.value.problems == [
        "indicator 'x': area 'z' is not one of a, b, c, d, e",
        "indicator 'x': unit 'percent' is not one of %, count, index, other",
        "indicator 'x': direction 'up' is not one of increase, decrease",
        "indicator 'x' is defined twice",
    ]


def test_missing_registry_file_is_a_clear_error(tmp_path):
    with pytest.raises(RegistryError, match="file not found"):
        load_registry(tmp_path / "nope.yaml", EXAMPLE.areas)


def test_bounds_come_from_the_unit_and_the_registrys_max(tmp_path):
    from nq57lib.plan.registry import load_registry

    registry = example_registry()
    assert registry["vneid_residents"].bounds == (0.0, 100.0)
    assert registry["st_initiatives_ward"].bounds == (0.0, 10_000_000.0)
    assert registry["operations_centre"].bounds == (None, None)
    text = EXAMPLE.registry_path.read_text(encoding="utf-8").replace(
        "  - id: st_initiatives_ward\n", "  - id: st_initiatives_ward\n    max: 500\n", 1
    )
    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_registry(path, EXAMPLE.areas)["st_initiatives_ward"].bounds == (0.0, 500.0)
    path.write_text(text.replace("max: 500", "max: -3"), encoding="utf-8")
    with pytest.raises(RegistryError, match="'max' must be a positive number"):
        load_registry(path, EXAMPLE.areas)


def test_a_national_code_that_is_not_a_number_of_the_list_is_refused(tmp_path):
    bad = tmp_path / "indicators.yaml"
    bad.write_text(
        "indicators:\n"
        "  - id: x\n    area: a\n    name_vi: X\n    name_en: X\n    unit: '%'\n"
        "    kind: level\n    direction: increase\n    national_code: 'PL1-11'\n"
        "    match: [[x]]\n",
        encoding="utf-8",
    )
    with pytest.raises(RegistryError) as caught:
        load_registry(bad, EXAMPLE.areas)
    assert caught.value.problems == [
        "indicator 'x': 'national_code' 'PL1-11' is not a number of NQ 03/NQ-CP Phụ lục I "
        '(like "11.2" or "17", in quotes)'
    ]
