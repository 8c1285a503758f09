"""Register rows as a real office writes them, and the plan's own assignments (issue #19).

Groups of units are accepted as groups, names holding a comma are never split, an unknown
support unit is a note (never a lost assignment), a code typed into a number cell is read by
the row's text, and a plan's assignment table assigns its tasks before the register does.
The units are the example ward's (nq57lib/data/reporting_units.yaml).
"""

from __future__ import annotations

from pathlib import Path

from example import EXAMPLE, example_units
from test_task_ingest import CATALOGUE, REGISTER_HEADER, _book

from nq57lib.collect.assignments import read_register
from nq57lib.collect.plan_assignments import plan_reading
from nq57lib.collect.unit_names import name_units
from nq57lib.plan.tasks import build_task_catalogue

UNITS = example_units()
APPENDIX = Path(__file__).parent / "fixtures" / "tasks" / "appendix-table.md"


def _named(text):
    return [(n.text, n.unit.code if n.unit else None, n.group) for n in name_units(text, UNITS)]


def test_a_cell_of_units_is_split_where_the_names_end():
    assert _named("Phòng Kinh tế, Hạ tầng và Đô thị") == [
        ("Phòng Kinh tế, Hạ tầng và Đô thị", "kinh_te", False)
    ]
    assert _named("Các phòng, ban") == [("Các phòng, ban", None, True)]
    assert _named("UBND các xã, phường; Công an phường") == [
        ("UBND các xã, phường", None, True),
        ("Công an phường", "cong_an", False),
    ]
    assert _named("Công an phường, Phòng Văn hóa - Xã hội, các cơ quan, đơn vị liên quan") == [
        ("Công an phường", "cong_an", False),
        ("Phòng Văn hóa - Xã hội", "van_hoa_xa_hoi", False),
        ("các cơ quan, đơn vị liên quan", None, True),
    ]
    assert _named("Các đoàn thể, Viettel Hải Phòng") == [
        ("Các đoàn thể, Viettel Hải Phòng", None, True)  # a group runs to the next unit
    ]
    assert _named("Hội Liên hiệp Phụ nữ phường, Đoàn Thanh niên phường") == [
        ("Hội Liên hiệp Phụ nữ phường", None, False),
        ("Đoàn Thanh niên phường", None, False),
    ]


def _register(tmp_path, rows):
    path = tmp_path / "phan-cong.xlsx"
    _book(path, "Phụ lục", ["PHỤ LỤC PHÂN CÔNG NHIỆM VỤ"], REGISTER_HEADER, rows)
    return read_register(path, "phan-cong.xlsx", CATALOGUE, UNITS)


def test_register_rows_with_groups_commas_and_unknown_partners(tmp_path):
    reading = _register(
        tmp_path,
        [
            (
                1,
                "3.2",
                None,
                "Phòng Kinh tế, Hạ tầng và Đô thị",
                "Các phòng, ban",
                "Năm 2026",
                None,
            ),
            (2, "3.3", None, "Công an phường", "Viettel Hải Phòng; Văn phòng", "Quý IV/2026", None),
            (3, "3.4", None, "Các phòng, ban", None, "Năm 2026", None),
            # 3.10 typed as a number loses its zero; the text is plainly 3.10's, not 3.1's.
            (
                4,
                3.1,
                "Bố trí nguồn lực triển khai các nhiệm vụ của Kế hoạch hành động",
                "Văn phòng HĐND và UBND",
                None,
                "Thường xuyên",
                None,
            ),
        ],
    )
    kept = {a["task_id"]: (a["lead_unit"], a["coordinators"]) for a in reading.assignments}
    assert kept == {
        "3.2": ("kinh_te", "Các phòng, ban"),
        "3.3": ("cong_an", "Viettel Hải Phòng; van_phong"),
        "3.10": ("van_phong", ""),
    }
    assert [q["reason"] for q in reading.quarantined] == [
        "Trang “Phụ lục”, dòng 6: đơn vị chủ trì là một đơn vị, không phải nhóm (“Các phòng, "
        "ban”); ghi nhóm ở cột phối hợp."
    ]
    assert reading.flags == {"unknown_partner": ["trang “Phụ lục” dòng 5: “Viettel Hải Phòng”"]}


def test_a_number_cell_whose_text_fits_neither_candidate_is_still_refused(tmp_path):
    reading = _register(
        tmp_path, [(1, 3.1, "Tổ chức hội nghị", "Văn phòng", None, "Năm 2026", None)]
    )
    assert not reading.assignments
    assert "có thể là nhiệm vụ 3.1 hoặc 3.10" in reading.quarantined[0]["reason"]


def test_the_plan_s_table_assigns_its_tasks_and_names_what_it_cannot():
    catalogue = build_task_catalogue(APPENDIX)
    reading = plan_reading(catalogue, UNITS, registered={"PL1.3"})
    kept = {
        a["task_id"]: (a["lead_unit"], a["deadline"], a["recurring"]) for a in reading.assignments
    }
    # "Văn phòng HĐND và UBND xã" is no name or alias of the example ward's units (a phường):
    # never guessed, the nearest unit named instead. PL1.3 is the register's.
    assert kept == {
        "PL1.4": ("kinh_te", "2026-06-30", ""),
        "PL1.5": ("van_hoa_xa_hoi", "", "quarterly"),
        "PL1.6": ("van_hoa_xa_hoi", "", "yearly"),
    }
    reasons = {q["_task"]: q["reason"] for q in reading.quarantined}
    assert set(reasons) == {"1.1", "PL1.2", "PL1.7"}
    assert reasons["1.1"] == (
        "Dòng 23 của kế hoạch, nhiệm vụ 1.1: kế hoạch ghi đơn vị chủ trì “Văn phòng HĐND và UBND "
        "xã” (gần nhất: Văn phòng HĐND và UBND): không phải một đơn vị trong danh sách đơn vị; "
        "thêm tên này vào tên gọi khác (aliases) của đơn vị trong reporting_units.yaml hoặc ghi "
        "đơn vị chủ trì vào sổ phân công."
    )
    assert reasons["PL1.7"].endswith(
        "kế hoạch ghi thời hạn “Sớm nhất có thể”, không đọc được thành một ngày; ghi thời hạn "
        "vào sổ phân công."
    )
    assert reading.messages == [
        "1 nhiệm vụ kế hoạch đã phân công được sổ phân công ghi lại: dùng sổ"
    ]


def test_a_plan_without_an_assignment_table_adds_no_reading():
    assert plan_reading(build_task_catalogue(EXAMPLE.plan_path), UNITS, set()) is None


def test_a_task_s_own_lead_and_deadline_lines_reach_the_register_from_their_line():
    # tests/fixtures/tasks/field-lines.md is a xã's plan; the example ward's units are a
    # phường's. Each task's own "- Đơn vị chủ trì: …" / "- Thời gian …: …" lines are read
    # as its assignment, and what cannot be taken is said with the line that says it.
    catalogue = build_task_catalogue(APPENDIX.with_name("field-lines.md"))
    reading = plan_reading(catalogue, UNITS, registered=set())
    assert reading.assignments == []
    reasons = {q["_task"]: q["reason"] for q in reading.quarantined}
    assert set(reasons) == {"1.a", "1.b", "2.1"}
    assert reasons["2.1"].startswith(
        "Dòng 31 của kế hoạch, nhiệm vụ 2.1: kế hoạch ghi đơn vị chủ trì “Công an xã” "
        "(gần nhất: Công an phường)"
    )
    assert reasons["1.b"].startswith(
        "Dòng 19 của kế hoạch, nhiệm vụ 1.b: kế hoạch ghi thời hạn “Theo tiến độ của dự án, "
        "hoàn thành trước ngày 30/9/2026”, không đọc được thành một ngày"
    )
    assert reasons["1.a"].startswith("Dòng 9 của kế hoạch, nhiệm vụ 1.a:")
    # Registered in the ward's register, they are the register's.
    assert plan_reading(catalogue, UNITS, registered={"1.a", "1.b", "2.1"}).quarantined == []
