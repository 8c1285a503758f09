"""The commune of tests/test_commune.py, its tasks half, end to end (issue #19).

Xã Đồng Tâm's plan (invented, tests/fixtures/commune/) writes its tasks as lettered items
under numbered groups ("III. NHIỆM VỤ, GIẢI PHÁP" → "1. …" → "a) …", "b) …"), its duties
under "IV. TỔ CHỨC THỰC HIỆN", and ends with its own assignment table: seven rows, four
restating a body task, one naming a lead unit the commune does not have ("Ban Chỉ huy Quân
sự xã"). The office opens the register `nq57 template --assignments` pre-fills, sets that
one lead, and files it; the units report on the tasks their workbooks list; the briefing
gives each task its status. Every expectation below was worked out by hand from the plan.
"""

from __future__ import annotations

import re
from datetime import datetime

import openpyxl
import pandas as pd
import pytest
from test_commune import PLAN

from nq57lib.cli import main
from nq57lib.collect.task_templates import FROM_PLAN, HEADER_ROW, REGISTER_SHEET, TASK_SHEET

PERIOD = "2026-Q3"
# Task → (lead unit, coordinators, deadline, recurring) as the plan's table gives them.
FROM_THE_PLAN = {
    "1.a": ("van_hoa_xa_hoi", "Các đoàn thể", "", "True"),  # "Thường xuyên"
    "1.b": ("van_phong", "van_hoa_xa_hoi", "2026-12-31", "False"),
    "2.a": ("kinh_te", "Viettel Tuyên Quang; VNPT Tuyên Quang", "2026-06-30", "False"),
    "2.b": ("mot_cua", "cong_an", "", "True"),  # "Hằng quý"
    "PL1.5": ("mot_cua", "van_phong", "2026-09-30", "False"),
    "PL1.6": ("kinh_te", "Các thôn, tổ dân phố", "2026-12-31", "False"),
}
# What each unit reports: task → (state, completion day).
REPORTS = {
    "kinh-te": {"2.a": ("Hoàn thành", datetime(2026, 6, 30)), "PL1.6": ("Đang thực hiện", None)},
    "mot-cua": {"2.b": ("Đang thực hiện", None), "PL1.5": ("Đang thực hiện", None)},
    "van-phong": {"1.b": ("Chưa triển khai", None)},
    "van-hoa-xa-hoi": {"1.a": ("Đang thực hiện", None)},
}  # the Công an xã sends nothing on PL1.7
STATUSES = {
    "1.a": "recurring",
    "1.b": "not_started",
    "2.a": "done_on_time",  # finished on its deadline day
    "2.b": "recurring",
    "PL1.5": "in_progress_overdue",  # due 30/9/2026, still under way at the cut-off
    "PL1.6": "in_progress",
    "PL1.7": "no_report",
    "IV.1": "unassigned",
    "IV.2": "unassigned",
}


@pytest.fixture(scope="module")
def commune(tmp_path_factory):
    folder = tmp_path_factory.mktemp("commune-tasks") / "dong-tam"
    assert main(["init", "--plan", str(PLAN), str(folder)]) == 0
    out = tmp_path_factory.mktemp("register")
    assert main(["--project", str(folder), "template", "--assignments", "--out", str(out)]) == 0
    register = openpyxl.load_workbook(out / "phan-cong-nhiem-vu.xlsx")
    sheet = register[REGISTER_SHEET]
    prefilled = {
        sheet.cell(row=r, column=1).value: [sheet.cell(row=r, column=c).value for c in range(4, 9)]
        for r in range(HEADER_ROW + 1, sheet.max_row + 1)
    }
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value == "PL1.7":
            sheet.cell(row=row, column=4, value="Công an xã")  # the office sets the lead
    (folder / "data" / "raw" / "phan-cong").mkdir(parents=True)
    register.save(folder / "data" / "raw" / "phan-cong" / "phan-cong-nhiem-vu.xlsx")
    blanks = tmp_path_factory.mktemp("blanks")
    argv = ["--project", str(folder), "template", "--period", PERIOD, "--out", str(blanks)]
    assert main(argv) == 0
    raw = folder / "data" / "raw" / PERIOD
    raw.mkdir()
    listed = {}
    for blank in sorted(blanks.glob("*.xlsx")):
        unit = blank.name.removesuffix(f"-{PERIOD}.xlsx")
        workbook = openpyxl.load_workbook(blank)
        if TASK_SHEET in workbook.sheetnames:
            tasks = workbook[TASK_SHEET]
            listed[unit] = {}
            for row in range(HEADER_ROW + 1, tasks.max_row + 1):
                task_id = tasks.cell(row=row, column=1).value
                listed[unit][task_id] = tasks.cell(row=row, column=3).value
                state, day = REPORTS.get(unit, {}).get(task_id, (None, None))
                tasks.cell(row=row, column=5, value=state)
                tasks.cell(row=row, column=6, value=day)
        workbook.save(raw / blank.name)
    argv = ["--project", str(folder), "run", "--period", PERIOD, "--formats", "html",
            "--as-of", "2026-10-15"]  # fmt: skip
    assert main(argv) == 0
    processed = folder / "data" / "processed" / PERIOD
    status = pd.read_csv(processed / "task_status.csv", dtype=str, keep_default_na=False)
    quarantine = pd.read_csv(processed / "quarantine.csv", dtype=str, keep_default_na=False)
    html = (folder / "reports" / PERIOD / f"bao-cao-{PERIOD}.html").read_text(encoding="utf-8")
    quality = pd.read_csv(processed / "quality.csv", dtype=str, keep_default_na=False)
    return prefilled, listed, status, quarantine, html, quality


def test_the_register_starts_from_the_plan_s_table(commune):
    prefilled = commune[0]
    assert prefilled["2.a"] == [
        "Phòng Kinh tế, Hạ tầng và Đô thị", "Viettel Tuyên Quang; VNPT Tuyên Quang",
        "Quý IV/2025 - Quý II/2026", "Trạm BTS được lắp đặt", FROM_PLAN,
    ]  # fmt: skip
    # A lead the commune has no unit of is written as the plan has it, for the office to fix.
    assert prefilled["PL1.7"][0] == "Ban Chỉ huy Quân sự xã"
    assert prefilled["IV.1"] == [None] * 5  # the plan assigns its duties to nobody by name
    assert len(prefilled) == 9


def test_units_get_the_tasks_the_plan_gives_them(commune):
    listed = commune[1]
    assert listed == {
        "cong-an": {"PL1.7": "Chủ trì", "2.b": "Phối hợp"},
        "kinh-te": {"2.a": "Chủ trì", "PL1.6": "Chủ trì"},
        "mot-cua": {"2.b": "Chủ trì", "PL1.5": "Chủ trì"},
        "van-hoa-xa-hoi": {"1.a": "Chủ trì", "1.b": "Phối hợp"},
        "van-phong": {"1.b": "Chủ trì", "PL1.5": "Phối hợp"},
    }


def test_every_task_has_its_status_and_its_plan_assignment(commune):
    status = commune[2].set_index("task_id")
    assert status["status"].to_dict() == STATUSES
    for task_id, (lead, partners, deadline, recurring) in FROM_THE_PLAN.items():
        row = status.loc[task_id]
        assert (row.lead_unit, row.coordinators, row.deadline, row.recurring) == (
            lead, partners, deadline, recurring,
        ), task_id  # fmt: skip
    assert status.loc["PL1.7", "lead_unit"] == "cong_an"  # the register's, not the plan's


def test_unknown_support_units_are_kept_and_noted_not_lost(commune):
    quarantine, quality = commune[3], commune[5].set_index("source_file")
    assert quarantine.empty  # nothing refused: PL1.7's lead was set in the register
    note = quality.loc["phan-cong/phan-cong-nhiem-vu.xlsx", "message"]
    assert note.startswith("2 đơn vị phối hợp không có trong danh sách đơn vị, được giữ nguyên")
    assert "“Viettel Tuyên Quang”" in note and "“VNPT Tuyên Quang”" in note
    # The plan's own assignments were all checked and filed by the office: the register's.
    plan = quality.loc["ke-hoach-27-KH-UBND-2025-dong-tam.md"]
    assert plan["message"] == "7 nhiệm vụ kế hoạch đã phân công được sổ phân công ghi lại: dùng sổ."


def test_the_briefing_gives_the_commune_s_tasks_their_statuses(commune):
    html = commune[4]
    assert "Hồng Bàng" not in html
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    # The one overdue task, with its lead and deadline from the plan's table.
    assert re.search(
        r"Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực "
        r"Trung tâm Phục vụ hành chính công xã 30/09/2026 Đang thực hiện, quá hạn",
        words,
    )
    # Due next quarter: three tasks, one of them the row the office gave a lead.
    assert "hoàn thành 3 nhiệm vụ đến hạn" in words
    assert "Lắp đặt hệ thống truyền thanh thông minh tại các thôn" in words
    assert "Phân công đơn vị chủ trì, thời hạn cho 2 nhiệm vụ chưa được phân công" in words


def test_tasks_the_plan_assigns_are_assigned_before_the_register_exists(tmp_path):
    from nq57lib.collect.assignments import current_assignments
    from nq57lib.collect.units import project_indicators
    from nq57lib.core.project import Project

    folder = tmp_path / "dong-tam"
    assert main(["init", "--plan", str(PLAN), str(folder)]) == 0
    project = Project.load(folder)
    _registry, units = project_indicators(project)
    _catalogue, assigned = current_assignments(
        project.raw_dir, units, project.plan_path, project.profile.plan_date
    )
    # Six rows of the plan's table name a unit of the commune; PL1.7's lead is no unit.
    assert dict(zip(assigned["task_id"], assigned["lead_unit"], strict=True)) == {
        task_id: lead for task_id, (lead, *_rest) in FROM_THE_PLAN.items()
    }
    # Each assignment's provenance is its row of the plan's table (lines 90-96).
    assert list(assigned["source_cell"]) == [
        "dòng 90", "dòng 91", "dòng 93", "dòng 94", "dòng 95", "dòng 96",
    ]  # fmt: skip
    assert set(assigned["source_file"]) == {PLAN.name}
