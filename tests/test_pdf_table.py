"""An appendix table of tasks as a PDF's text layer leaves it (nq57lib.plan.pdf_table).

The table below is made up, in the Official Gazette's form: the header wrapped over lines,
every cell wrapped, a group row, a page header and the column header repeated in the
middle of the table, a row cut by the page break, an empty support cell (" "), a row split
into "- " sub-rows, and body text after the table. The rows expected are written by hand.
"""

from __future__ import annotations

from pathlib import Path

from nq57lib.plan.pdf_table import Piece, reads_as_deadline, split_cells
from nq57lib.plan.task_table import table_tasks, unread_deadlines
from nq57lib.plan.tasks import parse_tasks
from nq57lib.plan.text import read_plan_lines

HEADER = ["STT", "Nội dung", "Cơ quan ", "chủ trì", "Cơ quan ", "phối hợp", "Tiến độ", "thực hiện"]
PAGE_BREAK = ["", "CÔNG BÁO/Số 401/Ngày 10-07-2026 ", "15", " ", " ", *HEADER]
LINES = [
    "PHỤ LỤC",
    "DANH MỤC NHIỆM VỤ",
    "",
    *HEADER,
    "I ",
    "Hoàn thiện thể chế ",
    "1 ",
    "Rà soát các văn bản quy định về ",
    "quản lý trật tự đô thị của ",
    "phường. ",
    "Văn phòng ",
    "HĐND và UBND ",
    "Phòng Kinh tế, ",
    "Công an phường ",
    "Quý III/2026 ",
    "2 ",
    "Xây dựng kế hoạch số hóa hồ ",
    "sơ địa chính và ",
    "Phòng Kinh tế ",
    "Văn phòng ",
    "Năm 2026 -",
    *PAGE_BREAK,
    "đăng ký đất đai. ",
    "HĐND và UBND ",
    "2027 ",
    "3 ",
    "Tổ chức tập huấn kỹ năng số ",
    "cho cán bộ, công chức. ",
    "Phòng Văn hóa - ",
    "Xã hội ",
    " ",
    "Hằng năm ",
    "II ",
    "Phát triển hạ tầng số ",
    "1 ",
    "Lắp đặt điểm phát sóng tại ",
    " ",
    " ",
    " ",
    "- ",
    "Nhà văn hóa khu phố. ",
    "Phòng Kinh tế ",
    "Các doanh nghiệp ",
    "viễn thông ",
    "Quý IV/2026 ",
    "- ",
    "Trường học. ",
    "Phòng Văn hóa - ",
    "Xã hội ",
    "",
    "Nơi nhận:",
    "- Như trên;",
]

# (id, group, text, lead, support, deadline as written, ISO day, recurrence, parent)
EXPECTED = [
    (
        "PL1.I.1",
        "Hoàn thiện thể chế",
        "Rà soát các văn bản quy định về quản lý trật tự đô thị của phường.",
        "Văn phòng HĐND và UBND",
        "Phòng Kinh tế, Công an phường",
        "Quý III/2026",
        "2026-09-30",
        "",
        "",
    ),
    (
        "PL1.I.2",
        "Hoàn thiện thể chế",
        "Xây dựng kế hoạch số hóa hồ sơ địa chính và đăng ký đất đai.",
        "Phòng Kinh tế",
        "Văn phòng HĐND và UBND",
        "Năm 2026 - 2027",
        "2027-12-31",
        "",
        "",
    ),
    (
        "PL1.I.3",
        "Hoàn thiện thể chế",
        "Tổ chức tập huấn kỹ năng số cho cán bộ, công chức.",
        "Phòng Văn hóa - Xã hội",
        "",
        "Hằng năm",
        "",
        "yearly",
        "",
    ),
    ("PL1.II.1", "Phát triển hạ tầng số", "Lắp đặt điểm phát sóng tại", "", "", "", "", "", ""),
    (
        "PL1.II.1.a",
        "Phát triển hạ tầng số",
        "Nhà văn hóa khu phố.",
        "Phòng Kinh tế",
        "Các doanh nghiệp viễn thông",
        "Quý IV/2026",
        "2026-12-31",
        "",
        "PL1.II.1",
    ),
    (
        "PL1.II.1.b",
        "Phát triển hạ tầng số",
        "Trường học.",
        "Phòng Văn hóa - Xã hội",
        "",
        "",
        "",
        "",
        "PL1.II.1",
    ),
]


def _plan(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "phu-luc.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_pdf_text_table_is_read_back_into_its_rows(tmp_path):
    rows = table_tasks(read_plan_lines(_plan(tmp_path, LINES)))
    got = [
        (
            r.task_id,
            r.group,
            r.text,
            r.lead,
            r.support,
            r.deadline_text,
            r.deadline,
            r.recurring,
            r.parent,
        )
        for r in rows
    ]
    assert got == EXPECTED
    assert unread_deadlines(rows) == []  # the row with sub-rows has its cells in them


def test_its_rows_are_tasks_and_its_sub_rows_activities_of_the_catalogue(tmp_path):
    tasks, groups = parse_tasks(_plan(tmp_path, LINES[:-3]))  # the table alone
    tasks = tasks.set_index("task_id")
    assert list(tasks.index) == [e[0] for e in EXPECTED]
    assert tasks.loc["PL1.II.1.b", "kind"] == "activity"
    assert tasks.loc["PL1.II.1.b", "parent_id"] == "PL1.II.1"
    assert tasks.loc["PL1.I.2", "parent_id"] == "PL1.I"
    titles = dict(zip(groups["group_id"], groups["title"], strict=True))
    assert titles["PL1.I"] == "Hoàn thiện thể chế"
    assert titles["PL1.II"] == "Phát triển hạ tầng số"


def test_the_table_keeps_every_line_number_and_leaves_the_text_after_it(tmp_path):
    lines = read_plan_lines(_plan(tmp_path, LINES))
    assert len(lines) == len(LINES)
    assert lines[-2:] == ["Nơi nhận:", "- Như trên;"]
    first = next(r for r in table_tasks(lines) if r.task_id == "PL1.I.1")
    assert first.line == LINES.index("1 ") + 1


def test_a_row_whose_cells_cannot_be_told_apart_keeps_its_text_and_says_so(tmp_path):
    lines = [*HEADER, "1 ", "Rà soát các văn bản quy định về ", "quản lý trật tự đô thị ", ""]
    rows = table_tasks(read_plan_lines(_plan(tmp_path, lines)))
    assert [(r.text, r.lead, r.deadline_text) for r in rows] == [
        ("Rà soát các văn bản quy định về quản lý trật tự đô thị", "", "")
    ]
    assert "không có đơn vị chủ trì và thời hạn" in unread_deadlines(rows)[0]


def test_cells_start_where_the_evidence_says():
    def pieces(*texts: str) -> list[Piece]:
        return [Piece(n, t) for n, t in enumerate(texts)]

    roles = ["text", "lead", "support", "deadline"]
    # "…, " and "… và" go on; a lower-case line goes on; the deadline reads as one.
    cells, _ = split_cells(
        pieces(
            "Rà soát quy hoạch",
            "Bộ Tài chính,",
            "Bộ Xây dựng",
            "Các bộ, cơ quan,",
            "địa phương",
            "Năm 2026",
        ),
        roles,
    )
    assert cells == [
        "Rà soát quy hoạch",
        "Bộ Tài chính, Bộ Xây dựng",
        "Các bộ, cơ quan, địa phương",
        "Năm 2026",
    ]
    assert reads_as_deadline("Năm 2026 và các năm tiếp theo")
    assert not reads_as_deadline("Kế hoạch/hoạt động hằng năm")  # a product naming a year
