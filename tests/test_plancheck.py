"""Plan checks: the findings the shipped plan really has, and edited copies that add more."""

from __future__ import annotations

import pytest
from example import EXAMPLE, example_registry

from nq57lib.plan.catalogue import build_catalogue
from nq57lib.plan.checks import (
    FINDING_COLUMNS,
    check_duplicate_targets,
    check_lower_milestone,
    check_plan,
    format_findings,
)


@pytest.fixture(scope="module")
def findings():
    return check_plan(build_catalogue(EXAMPLE.plan_path, example_registry()))


def _lines(findings, check):
    return sorted(findings.loc[findings["check"] == check, "source_line"].tolist())


def test_columns(findings):
    assert tuple(findings.columns) == FINDING_COLUMNS


def test_scope_drift_in_2040_and_2045(findings):
    assert _lines(findings, "scope_drift") == [339, 341, 343, 345, 389, 391, 393, 395]
    drift = findings[findings["check"] == "scope_drift"].set_index("source_line")
    assert drift.loc[389, "indicator_id"] == "cloud_information_systems"
    assert drift.loc[389, "message"].startswith(
        "Mốc 2045 đặt chỉ tiêu cho tỉnh / sở, ban, ngành (“của tỉnh”) trong khi mốc 2030"
    )
    assert set(drift["severity"]) == {"warning"}


def test_duplicated_clause_on_line_175(findings):
    assert _lines(findings, "duplicated_clause") == [175]
    (message,) = findings.loc[findings["check"] == "duplicated_clause", "message"]
    assert message == (
        "Mệnh đề bị lặp lại: “cơ sở giáo dục triển khai ký số trên các hệ thống sổ sách, "
        "sổ điểm, học bạ số”"
    )


def test_misspelt_phan_dau(findings):
    assert _lines(findings, "phan_dau_spelling") == [
        112, 124, 129, 131, 163, 193, 195, 201, 203, 323, 325, 331, 333, 345, 371, 373, 377,
        379, 381,
    ]  # fmt: skip
    messages = set(findings.loc[findings["check"] == "phan_dau_spelling", "message"])
    assert "Viết “Phân đầu”, cần sửa thành “phấn đấu”" in messages
    assert "Viết “phần đầu”, cần sửa thành “phấn đấu”" in messages


def test_speed_unit(findings):
    assert _lines(findings, "speed_unit") == [107]
    (message,) = findings.loc[findings["check"] == "speed_unit", "message"]
    assert "“Gbps/s”" in message and "“Gbps”" in message and "“Gb/s”" in message


def test_repeated_word(findings):
    assert _lines(findings, "repeated_word") == [123]


def test_nothing_else_in_the_shipped_plan(findings):
    assert set(findings["check"]) == {
        "scope_drift", "duplicated_clause", "phan_dau_spelling", "speed_unit", "repeated_word"
    }  # fmt: skip
    assert len(findings) == 8 + 1 + 19 + 1 + 1


def test_ordered_by_severity_then_line(findings):
    severities = findings["severity"].tolist()
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert findings["source_line"].iloc[0] == 175


def _edited(tmp_path, replacements: dict[str, str]):
    text = EXAMPLE.plan_path.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "edited.md"
    path.write_text(text, encoding="utf-8")
    return build_catalogue(path, example_registry())


def test_lower_milestone_is_found(tmp_path):
    catalogue = _edited(
        tmp_path,
        {
            r"- Có $\geq 95\%$ người dân có tài khoản định danh điện tử,":
            r"- Có $\geq 60\%$ người dân có tài khoản định danh điện tử,",
            "- Tỷ lệ phủ sóng 6G trên địa bàn đạt 80%.":
            "- Tỷ lệ phủ sóng 6G trên địa bàn đạt 40%.",
        },
    )  # fmt: skip
    found = sorted(check_lower_milestone(catalogue), key=lambda f: f["source_line"])
    assert [(f["source_line"], f["indicator_id"], f["message"]) for f in found] == [
        (293, "vneid_residents", "Mốc 2035 (≥ 60%) thấp hơn mốc 2030 (≥ 85%)"),
        (303, "coverage_6g", "Mốc 2040 (40%) thấp hơn mốc 2035 (50%)"),
    ]


def test_unmatched_and_duplicate_targets_are_reported(tmp_path):
    catalogue = _edited(
        tmp_path,
        {
            "- Tiếp tục đẩy mạnh ứng dụng thương mại điện tử.":
            "- Tiếp tục đẩy mạnh ứng dụng thương mại điện tử.\n\n"
            "- Có 50% hộ gia đình sử dụng điện mặt trời áp mái.\n\n"
            "- 100% hồ sơ thủ tục hành chính xử lý trực tuyến (nhắc lại).",
        },
    )  # fmt: skip
    findings = check_plan(catalogue)
    errors = findings[findings["severity"] == "error"]
    assert errors[["check", "source_line"]].values.tolist() == [["unmatched", 231]]
    assert errors["message"].iloc[0] == (
        "Chỉ tiêu không khớp chỉ số nào trong danh mục: “Có 50% hộ gia đình sử dụng điện mặt "
        "trời áp mái”"
    )
    duplicates = check_duplicate_targets(catalogue)
    assert [(d["indicator_id"], d["message"]) for d in duplicates] == [
        ("dossiers_online", "Mốc 2030 có 2 chỉ tiêu cho cùng chỉ số (dòng 213, 233)")
    ]


def test_clean_plan_has_no_findings(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text(
        "2. Mục tiêu cụ thể\n\n2.1. Đến hết năm 2030\n\ne) Chuyển đổi số\n\n"
        "- Có $\\geq 80\\%$ người dân có tài khoản định danh điện tử (VNeID).\n\n"
        "2.2. Đến hết năm 2035\n\ne) Chuyển đổi số\n\n"
        "- Phấn đấu 100% người dân có tài khoản định danh điện tử.\n",
        encoding="utf-8",
    )
    findings = check_plan(build_catalogue(path, example_registry()))
    assert findings.empty
    assert tuple(findings.columns) == FINDING_COLUMNS
    assert format_findings(findings) == "Kiểm tra kế hoạch: không có phát hiện nào."


def test_format_findings(findings):
    text = format_findings(findings).splitlines()
    assert text[0] == "Kiểm tra kế hoạch: 30 phát hiện (9 cảnh báo, 21 lưu ý)"
    assert text[1].startswith("  [cảnh báo] dòng 175 [schools_digital_signing] duplicated_clause:")
    assert (
        "  [lưu ý] dòng 123 [st_enterprises_connected] repeated_word: Từ “với” bị lặp: “với với”"
        in text
    )
    assert len(text) == 31
