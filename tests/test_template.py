"""Collection templates: layout, validation, protection, and a filled template read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from nq57lib.cli import main
from nq57lib.collect.ingest import read_period
from nq57lib.collect.template import write_templates
from nq57lib.core.errors import ValidationError


def test_one_workbook_per_unit(tmp_path: Path) -> None:
    paths = write_templates("2026-Q3", tmp_path)
    assert [p.name for p in paths] == [
        "cong-an-2026-Q3.xlsx",
        "mot-cua-2026-Q3.xlsx",
        "kinh-te-2026-Q3.xlsx",
        "van-hoa-xa-hoi-2026-Q3.xlsx",
        "van-phong-2026-Q3.xlsx",
    ]
    assert all(p.exists() for p in paths)
    assert not list(tmp_path.glob(".*"))


def test_layout_header_and_rows(tmp_path: Path) -> None:
    (path,) = write_templates("Quý III/2026", tmp_path, unit="Công an phường")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Số liệu", "Hướng dẫn"]
    ws = wb["Số liệu"]
    assert ws["A2"].value == "Đơn vị báo cáo: Công an phường"
    assert ws["A3"].value == "Kỳ báo cáo: Quý III năm 2026 (2026-Q3), từ 01/07/2026 đến 30/09/2026"
    assert [c.value for c in ws[6]] == [
        "STT",
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Đơn vị tính",
        "Cách báo cáo",
        "Giá trị",
        "Tử số",
        "Mẫu số",
        "Trạng thái",
        "Minh chứng",
        "Ghi chú",
    ]
    assert [c.value for c in ws[7]][:5] == [
        1,
        "vneid_residents",
        "Tỷ lệ người dân có tài khoản định danh điện tử (VNeID)",
        "%",
        "Tỷ lệ % (0–100) tại cuối kỳ, hoặc tử số/mẫu số",
    ]
    assert ws["B8"].value == "digital_signature_residents"
    assert ws["B10"].value == "Người lập biểu"


def test_flows_milestones_validation_and_protection(tmp_path: Path) -> None:
    (path,) = write_templates("2026-Q3", tmp_path, unit="van_hoa_xa_hoi")
    wb = load_workbook(path)
    ws = wb["Số liệu"]
    rows = {ws.cell(row=r, column=2).value: r for r in range(7, ws.max_row + 1)}
    flow = rows["st_initiatives_ward"]
    assert ws.cell(row=flow, column=5).value == "Số phát sinh trong kỳ (không cộng dồn từ đầu năm)"
    milestone = rows["grassroots_information_system"]
    assert ws.cell(row=milestone, column=5).value == "Chọn trạng thái; ghi minh chứng"
    percent = rows["schools_stem"]
    rules = {
        (dv.type, dv.formula1, dv.formula2): str(dv.sqref)
        for dv in ws.data_validations.dataValidation
    }
    assert f"F{percent}" in rules[("decimal", "0", "100")].split()
    assert f"F{flow}" in rules[("whole", "0", None)].split()
    assert (
        f"I{milestone}"
        in rules[("list", '"chưa triển khai,đang triển khai,hoàn thành"', None)].split()
    )
    # Locked structure: only the input cells of each row are open.
    assert ws.protection.sheet and wb.security.lockStructure
    assert not ws.cell(row=percent, column=6).protection.locked
    assert ws.cell(row=percent, column=9).protection.locked  # no status for a percent
    assert ws.cell(row=milestone, column=6).protection.locked  # no value for a milestone
    assert not ws.cell(row=milestone, column=9).protection.locked
    assert ws.cell(row=percent, column=3).protection.locked  # names are fixed
    guide = wb["Hướng dẫn"]
    assert "KHÔNG cộng dồn từ đầu năm" in guide["A4"].value


def test_unknown_unit(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        write_templates("2026-Q3", tmp_path, unit="Phòng Tài chính")
    assert "“Phòng Tài chính” không có trong reporting_units.yaml" in str(caught.value)
    assert "cong_an (Công an phường)" in str(caught.value)


def test_filled_template_is_read_back(tmp_path: Path) -> None:
    (path,) = write_templates("2026-Q3", tmp_path / "raw" / "2026-Q3", unit="van_phong")
    wb = load_workbook(path)
    ws = wb["Số liệu"]
    rows = {ws.cell(row=r, column=2).value: r for r in range(7, ws.max_row + 1)}
    ws.cell(row=rows["officials_digital_mastery"], column=6, value=70)
    ws.cell(row=rows["data_on_lgsp"], column=7, value=31)
    ws.cell(row=rows["data_on_lgsp"], column=8, value=50)
    ws.cell(row=rows["operations_centre"], column=9, value="hoàn thành")
    ws.cell(row=rows["operations_centre"], column=10, value="QĐ 12/QĐ-UBND ngày 01/09/2026")
    wb.save(path)
    result = read_period("2026-Q3", tmp_path / "raw")
    got = [
        tuple(r)
        for r in result.observations[
            ["indicator_id", "value", "numerator", "denominator", "status", "source_cell", "note"]
        ].itertuples(index=False)
    ]
    assert got == [
        (
            "officials_digital_mastery",
            "70",
            "",
            "",
            "",
            f"F{rows['officials_digital_mastery']}",
            "",
        ),
        (
            "data_on_lgsp",
            "62",
            "31",
            "50",
            "",
            f"G{rows['data_on_lgsp']}",
            "[nq57] tính từ tử số/mẫu số 31/50",
        ),
        (
            "operations_centre",
            "",
            "",
            "",
            "done",
            f"I{rows['operations_centre']}",
            "Minh chứng: QĐ 12/QĐ-UBND ngày 01/09/2026",
        ),
    ]
    q = result.quality.iloc[0]
    assert q.reported_by == "van_phong"
    assert (q.accepted, q.quarantined, q.blank) == (3, 0, 12)


def test_cli_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["template", "--period", "2026-Q4", "--unit", "cong_an", "--out", str(tmp_path)])
    assert code == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "cong-an-2026-Q4.xlsx")
