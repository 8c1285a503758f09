"""Collection templates: layout, validation, protection, and a filled template read back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from example import EXAMPLE
from openpyxl import load_workbook

from nq57lib.cli import main
from nq57lib.collect.ingest import read_period
from nq57lib.collect.template import write_templates
from nq57lib.core.errors import ValidationError


def test_one_workbook_per_unit(tmp_path: Path) -> None:
    paths = write_templates(EXAMPLE, "2026-Q3", tmp_path)
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
    (path,) = write_templates(EXAMPLE, "Quý III/2026", tmp_path, unit="Công an phường")
    wb = load_workbook(path)
    # The shipped register assigns the police tasks: a "Nhiệm vụ" sheet follows the figures.
    assert wb.sheetnames == ["Số liệu", "Nhiệm vụ", "Hướng dẫn"]
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
    (path,) = write_templates(EXAMPLE, "2026-Q3", tmp_path, unit="van_hoa_xa_hoi")
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


def test_a_figure_in_another_unit_gets_an_open_cell_and_no_range() -> None:
    from nq57lib.collect.template import DATA_SHEET, HEADER_ROW, VALUE_COL, build_template
    from nq57lib.collect.units import ReportingUnit
    from nq57lib.core.periods import Period
    from nq57lib.plan.registry import Indicator, Registry

    other = Indicator(
        id="km_fibre", area="a", name_vi="Số km cáp quang", name_en="Fibre (km)",
        unit="other", kind="level", direction="increase",
    )  # fmt: skip
    unit = ReportingUnit("kinh_te", "Phòng Kinh tế", (), ("km_fibre",))
    ws = build_template(
        Period.parse("2026-Q3"), unit, Registry(Path("x"), (other,)), EXAMPLE.profile
    )[DATA_SHEET]
    assert ws.cell(row=HEADER_ROW + 1, column=2).value == "km_fibre"
    value = ws.cell(row=HEADER_ROW + 1, column=VALUE_COL)
    assert not value.protection.locked
    covered = " ".join(str(dv.sqref) for dv in ws.data_validations.dataValidation)
    assert value.coordinate not in covered.split()


def test_unknown_unit(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        write_templates(EXAMPLE, "2026-Q3", tmp_path, unit="Phòng Tài chính")
    assert "“Phòng Tài chính” không có trong reporting_units.yaml" in str(caught.value)
    assert "cong_an (Công an phường)" in str(caught.value)


def test_filled_template_is_read_back(tmp_path: Path) -> None:
    # No register in this raw folder: the workbook holds the indicator sheet only.
    (path,) = write_templates(
        EXAMPLE.with_paths(raw_dir=tmp_path / "raw"),
        "2026-Q3",
        tmp_path / "raw" / "2026-Q3",
        unit="van_phong",
    )
    wb = load_workbook(path)
    ws = wb["Số liệu"]
    rows = {ws.cell(row=r, column=2).value: r for r in range(7, ws.max_row + 1)}
    ws.cell(row=rows["officials_digital_mastery"], column=6, value=70)
    ws.cell(row=rows["data_on_lgsp"], column=7, value=31)
    ws.cell(row=rows["data_on_lgsp"], column=8, value=50)
    ws.cell(row=rows["operations_centre"], column=9, value="hoàn thành")
    ws.cell(row=rows["operations_centre"], column=10, value="QĐ 12/QĐ-UBND ngày 01/09/2026")
    wb.save(path)
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path / "raw"), "2026-Q3")
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


def test_unit_workbook_lists_the_tasks_it_leads_then_those_it_helps_with(tmp_path: Path) -> None:
    (path,) = write_templates(EXAMPLE, "Quý III/2026", tmp_path, unit="Công an phường")
    ws = load_workbook(path)["Nhiệm vụ"]
    assert ws["A2"].value == "Đơn vị báo cáo: Công an phường"
    assert [c.value for c in ws[5]] == [
        "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Vai trò", "Thời hạn", "Tình trạng",
        "Ngày hoàn thành", "Kết quả thực hiện", "Khó khăn, vướng mắc", "Đề xuất, kiến nghị",
    ]  # fmt: skip
    # The shipped register: the police lead 8.1 and 8.2 and help with 2.4 and 7.2 (8.3's
    # row names a unit that is not in the list, so it is quarantined, not assigned).
    rows = [[c.value for c in ws[r]][:4] for r in range(6, ws.max_row + 1)]
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("8.1", "Chủ trì", "Thường xuyên"),
        ("8.2", "Chủ trì", "Quý II/2026"),
        ("2.4", "Phối hợp", "Thường xuyên"),
        ("7.2", "Phối hợp", "Năm 2026"),
    ]
    assert rows[1][1].startswith("Tăng cường an ninh mạng")
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in range(6, ws.max_row + 1))
    lists = [v for v in ws.data_validations.dataValidation if v.type == "list"]
    assert lists[0].formula1 == '"Chưa triển khai,Đang thực hiện,Hoàn thành"'


def test_filled_task_sheet_is_read_back(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(EXAMPLE.raw_dir / "phan-cong", raw / "phan-cong")
    (path,) = write_templates(
        EXAMPLE.with_paths(raw_dir=raw), "2026-Q3", raw / "2026-Q3", unit="cong_an"
    )
    wb = load_workbook(path)
    ws = wb["Nhiệm vụ"]
    ws["E7"] = "Chưa triển khai"
    ws["H7"] = "Thiếu cán bộ chuyên trách"
    ws["E8"] = "Đang thực hiện"  # a task the police only help with
    wb.save(path)
    result = read_period(EXAMPLE.with_paths(raw_dir=raw), "2026-Q3")
    got = result.task_reports[["task_id", "role", "state", "difficulties", "source_cell"]]
    assert [tuple(r) for r in got.itertuples(index=False)] == [
        ("8.2", "lead", "not_started", "Thiếu cán bộ chuyên trách", "E7"),
        ("2.4", "contribution", "in_progress", "", "E8"),
    ]


def test_blank_register_lists_every_task_with_a_unit_dropdown(tmp_path: Path, capsys) -> None:
    assert main(["template", "--assignments", "--out", str(tmp_path)]) == 0
    path = tmp_path / "phan-cong-nhiem-vu.xlsx"
    assert capsys.readouterr().out.strip() == str(path)
    wb = load_workbook(path)
    ws = wb["Phân công"]
    assert [c.value for c in ws[5]] == [
        "Mã nhiệm vụ", "Loại", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
        "Thời hạn", "Sản phẩm", "Nguồn",
    ]  # fmt: skip
    codes = [ws.cell(row=r, column=1).value for r in range(6, ws.max_row + 1)]
    assert len(codes) == 102 and codes[:2] == ["1.1", "1.2"] and codes[-1] == "V.4"
    assert ws["B6"].value == "Nhiệm vụ" and ws["B12"].value == "Hoạt động"
    (units,) = [v for v in ws.data_validations.dataValidation if v.type == "list"]
    assert units.formula1 == "'Đơn vị'!$A$2:$A$6"
    assert [c.value for c in wb["Đơn vị"]["A"]][1:3] == [
        "Công an phường",
        "Trung tâm Phục vụ hành chính công phường",
    ]
    # Read back as the register it is: nothing assigned yet, every row blank.
    raw = tmp_path / "raw"
    (raw / "phan-cong").mkdir(parents=True)
    (raw / "2026-Q3").mkdir()
    shutil.move(path, raw / "phan-cong" / path.name)
    quality = read_period(EXAMPLE.with_paths(raw_dir=raw), "2026-Q3").quality.set_index(
        "source_file"
    )
    assert tuple(quality.loc["phan-cong/phan-cong-nhiem-vu.xlsx", ["accepted", "blank"]]) == (
        0,
        102,
    )
