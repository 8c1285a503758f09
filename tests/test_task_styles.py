"""Task sections and assignment tables in the styles real plans use (issue #19).

Each fixture in tests/fixtures/tasks/ is a small plan written for one style; its
``.expected.csv`` lists, by hand, every task the catalogue must hold: id, parent, kind, the
opening words of its text and, for the plan's own assignment tables, what the table says.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from nq57lib.plan.task_table import table_tasks, unread_deadlines
from nq57lib.plan.tasks import PLAN_ASSIGNMENT_COLUMNS, build_task_catalogue
from nq57lib.plan.text import read_plan_lines

FIXTURES = Path(__file__).parent / "fixtures" / "tasks"
STYLES = sorted(p.stem for p in FIXTURES.glob("*.md"))


@pytest.mark.parametrize("style", STYLES)
def test_catalogue_holds_exactly_the_hand_listed_tasks(style):
    expected = pd.read_csv(FIXTURES / f"{style}.expected.csv", dtype=str, keep_default_na=False)
    tasks = build_task_catalogue(FIXTURES / f"{style}.md").tasks.fillna("")
    assert list(tasks["task_id"]) == list(expected["task_id"])
    for want, got in zip(expected.to_dict("records"), tasks.to_dict("records"), strict=True):
        assert (got["parent_id"], got["kind"]) == (want["parent_id"], want["kind"]), want
        assert got["text"].startswith(want["text"]), (got["text"], want["text"])
        for column in PLAN_ASSIGNMENT_COLUMNS:
            if column in want:
                assert str(got[column]) == want[column], (want["task_id"], column)


def test_the_section_keeps_its_own_numeral_and_groups_their_titles():
    catalogue = build_task_catalogue(FIXTURES / "giai-phap-lettered.md")
    groups = dict(zip(catalogue.groups["group_id"], catalogue.groups["title"], strict=True))
    assert groups == {
        "1": "Hoàn thiện thể chế và nâng cao nhận thức",
        "2": "Phát triển hạ tầng số",
        "III": "TỔ CHỨC THỰC HIỆN",
    }
    # b)'s text stops where c) begins: no lettered item swallows the next.
    assert catalogue.text_of("1.b").endswith("trong đó:")


def test_a_wrapped_line_continues_its_item():
    catalogue = build_task_catalogue(FIXTURES / "giai-phap-lettered.md")
    assert catalogue.text_of("2.a").endswith("băng rộng đến các thôn vùng sâu.")


def test_a_table_deadline_that_gives_no_day_is_kept_as_written_and_listed():
    rows = table_tasks(read_plan_lines(FIXTURES / "appendix-table.md"))
    assert [r.task_id for r in rows] == [f"PL1.{n}" for n in range(1, 8)]
    assert unread_deadlines(rows) == [
        "dòng 30: nhiệm vụ PL1.7 — thời hạn “Sớm nhất có thể” không đọc được; ghi ngày "
        "(30/6/2026), “Quý I/2026”, “6 tháng đầu năm 2026”, “Năm 2026”, “Quý IV/2025 - Quý "
        "II/2026”, “Thường xuyên”, “Hằng quý” hoặc “Hằng năm”"
    ]


def test_a_table_row_restating_a_body_task_gives_it_the_table_s_assignment():
    tasks = build_task_catalogue(FIXTURES / "appendix-table.md").tasks.set_index("task_id")
    assert "PL1.1" not in tasks.index  # not counted twice
    assert tasks.loc["1.1", "plan_ref"] == "PL1.1"
    assert tasks.loc["1.1", "product"] == "Kho dữ liệu số hóa"
    assert tasks.loc["1.2", "plan_ref"] == ""
