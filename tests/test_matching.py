"""Indicator recognition by code or name; unknown names are never guessed."""

from __future__ import annotations

import pytest
from example import example_registry, example_units

from nq57lib.collect.matching import IndicatorMatcher, describe_candidates


@pytest.fixture(scope="module")
def matcher() -> IndicatorMatcher:
    return IndicatorMatcher(example_registry())


@pytest.mark.parametrize(
    ("label", "indicator_id", "how"),
    [
        ("vneid_residents", "vneid_residents", "code"),
        (" VNEID_RESIDENTS ", "vneid_residents", "code"),
        ("Tỷ lệ người dân có tài khoản định danh điện tử (VNeID)", "vneid_residents", "name"),
        ("Ty le nguoi dan co tai khoan dinh danh dien tu (VNeID)", "vneid_residents", "name"),
        ("TỶ LỆ NGƯỜI DÂN CÓ   TÀI KHOẢN ĐỊNH DANH ĐIỆN TỬ (VNEID)", "vneid_residents", "name"),
        ("VNeID", "vneid_residents", "name"),
        ("Tỷ lệ hồ sơ TTHC xử lý trực tuyến", "dossiers_online", "name"),
        ("Ty le ho so thu tuc hanh chinh xu ly truc tuyen", "dossiers_online", "name"),
        ("Tỷ lệ chi NSNN cho KH&CN, ĐMST, CĐS", "budget_share_stid", "name"),
        ("CSGD phổ thông đạt mức CĐS 2", "schools_dx_level2", "name"),
        ("SK cấp cơ sở", "st_initiatives_ward", "name"),
        ("Tỷ lệ DN nhỏ và vừa ứng dụng công nghệ số", "sme_digital_adoption", "name"),
        ("Tỷ lệ hồ sơ, kết quả giải quyết TTHC được số hoá", "dossiers_digitised", "name"),
        # Small wording differences.
        ("Tỷ lệ người dân có chữ kí số", "digital_signature_residents", "near name"),
        ("Trung tâm điều hành thông minh IOC", "operations_centre", "near name"),
        ("Tỷ lệ người dùng băng rộng cố định > 1 Gb/s", "broadband_gigabit_users", "near name"),
    ],
)
def test_recognised(matcher: IndicatorMatcher, label: str, indicator_id: str, how: str) -> None:
    match = matcher.match(label)
    assert match.indicator is not None and match.indicator.id == indicator_id
    assert match.how == how


@pytest.mark.parametrize(
    ("label", "first_candidate"),
    [
        # 5G or 6G? One letter apart: not guessed.
        ("Phủ sóng 5G toàn phường", "coverage_5g"),
        ("Tỷ lệ người dân sử dụng ví điện tử", "vneid_residents"),
        ("Số sáng kiến", "st_initiatives_ward"),
    ],
)
def test_unknown_names_get_candidates(
    matcher: IndicatorMatcher, label: str, first_candidate: str
) -> None:
    match = matcher.match(label)
    assert match.indicator is None
    assert match.how == "unknown"
    assert match.candidates[0].id == first_candidate
    assert first_candidate in describe_candidates(match)


def test_nothing_close(matcher: IndicatorMatcher) -> None:
    match = matcher.match("Xyz qwerty")
    assert match.indicator is None
    assert match.candidates == ()
    assert describe_candidates(match) == "không có chỉ tiêu nào gần giống trong danh mục"


# ── the one fuzzy matcher (core/fuzzy.py) ────────────────────────────────


def _scores(table: dict[str, float]):
    return lambda text, name: table[name]


def test_a_near_name_is_taken_only_when_clearly_ahead():
    from nq57lib.core.fuzzy import ACCEPT, MARGIN, choose

    ahead = {"x": ACCEPT + 0.05, "y": ACCEPT + 0.05 - MARGIN - 0.01}
    assert choose("t", [("a", "x"), ("b", "y")], _scores(ahead)).key == "a"
    close = {"x": ACCEPT + 0.05, "y": ACCEPT + 0.05 - MARGIN + 0.01}
    refused = choose("t", [("a", "x"), ("b", "y")], _scores(close))
    assert refused.key is None and refused.closest() == ("a", "b")
    assert choose("t", [("a", "x")], _scores({"x": ACCEPT - 0.01})).key is None
    # A key with several names counts by its closest one.
    names = {"x": 0.5, "x2": ACCEPT + 0.02, "y": 0.4}
    assert choose("t", [("a", "x"), ("a", "x2"), ("b", "y")], _scores(names)).key == "a"


def test_a_unit_name_with_a_slip_is_recognised_and_an_unknown_one_is_not():
    units = example_units()
    assert units.get("Phòng Văn hóa - Xã hộii").code == "van_hoa_xa_hoi"
    assert units.get("Công an phườngg").code == "cong_an"
    assert units.get("Phòng Tài nguyên và Môi trường") is None
    assert units.get("") is None
