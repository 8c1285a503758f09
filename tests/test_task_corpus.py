"""The task parser on real plan texts: task sections and the plans' own assignment tables.

``tests/fixtures/tasks_corpus/corpus``: excerpts the parser was developed against (issue
#19): 01-05 for freeze 1 (NQ 03/NQ-CP's and NQ 12/NQ-CP's appendix tables, a provincial
Sở's duties and appendix, the National Assembly Party delegation's and NQ 57's own task
sections), 06-19 the first held-out wave, scored at freeze 1 and then used for freeze 2
(Government appendix tables as PDF text; body sections of a directive, a notice, national
and provincial plans; TỔ CHỨC THỰC HIỆN of national, provincial and commune plans), 20-31
the second held-out wave, scored at freeze 2 and then used for freeze 3, 32-36 the third
(scored at freeze 3, used for freeze 4: the PDF-text appendix tables), 37-43 the fourth
(scored at freeze 4, used for freeze 5: a task's field lines).
Annotated by hand (the README there cites each source and the measurements).
``tests/fixtures/tasks_corpus/heldout``:
excerpts collected after the parser was last changed, never used to tune it.

Run ``pytest tests/test_task_corpus.py -s`` to see the per-file table.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from task_corpus import score_folder

FIXTURES = Path(__file__).parent / "fixtures" / "tasks_corpus"
CORPUS = FIXTURES / "corpus"
HELDOUT = FIXTURES / "heldout"


def _report(title: str, folder: Path):
    total, per_file = score_folder(folder)
    print(f"\n{title}")
    for name, one in per_file.items():
        print("  " + one.line(name))
    print(
        f"  total: items with the right parent {total.right_parent}/{total.expected} "
        f"({total.recall:.3f}), precision {total.matched}/{total.found} "
        f"({total.precision:.3f}); table rows with lead and deadline right "
        f"{total.rows_right}/{total.rows} ({total.rows_accuracy:.3f})"
    )
    return total, per_file


def test_development_corpus():
    total, per_file = _report("development corpus", CORPUS)
    assert len(per_file) == 43 and total.expected == 714
    # 03 (Sở TT&TT Đắk Nông) is a PDF converter's Markdown: a heading broken over two
    # lines, a page number before a bullet, and an HTML appendix table whose header words
    # are run together ("Đơn vịchủ trì"); its three table rows are not read. 06-09 and
    # 20-21 are appendix tables as PDF text extraction leaves them (every cell wrapped over
    # several lines, no cell boundary left), read since freeze 4 by nq57lib.plan.pdf_table:
    # 53/59 rows with lead and deadline right. Still wrong: 07 row 3 (its lead "Ủy ban nhân
    # dân cấp tỉnh trình Hội đồng nhân dân cùng cấp" is cut before "Hội đồng", a unit's
    # name, which reads as the support cell's start), 08 row 1.4 (a lead
    # cut by a page break takes the support's remainder), 21 rows 5, 7, 10, 11 (a lead
    # taken from the task's last lines; "Tháng" / "3/2026" split; deadlines "Theo Kế hoạch
    # của …" and "Kỳ họp thứ nhất …" that do not read as one). 14 is a cropped photo's OCR
    # whose numbering is broken ("Z." for "7."): a number taken twice, refused. 39 (a table
    # of laws to amend with a lead column and no deadline: not a table of tasks to nq57)
    # and 41 (a resolution's "Điều 1." whose items are "2. Giao Bộ …:", no section nq57
    # knows) are refused. 29's third conference opens with an unlabelled paragraph, and
    # its "- Thành phần" bullet is read as a task of the group, so the field lines after
    # it have no task to belong to (2 rows too many).
    assert total.refused == 3
    assert (total.right_parent, total.matched, total.found) == (620, 628, 643)
    assert (total.rows_right, total.rows) == (108, 131)


@pytest.mark.skipif(not HELDOUT.is_dir(), reason="no held-out task corpus yet")
def test_heldout_corpus():
    # The measured figures, pinned: what nq57 does on text it was never tuned on (a change
    # of the parser shows here, better or worse, and the README says what it was at).
    total, _ = _report("held-out corpus", HELDOUT)
    assert total.expected == 15
    assert (total.right_parent, total.matched, total.found, total.refused) == (0, 0, 0, 5)


# History of the held-out task measurements (each wave then became development text):
# - wave 1 (06-19 now), at freeze 1: items with the right parent 44/276, 11 of 14 refused;
#   after freeze 2, 265/339 over the whole development corpus.
# - wave 2 (20-31 now), at freeze 2: 109/237 = 0,460, precision 142/147, table rows 0/19.
# - wave 3 (32-36 now), at freeze 3: 60/98 = 0,612, precision 61/61, table rows 0/24; body
#   sections alone 60/70 = 0,857. At freeze 4 (the PDF-text table reader, having seen its
#   two tables): 84/98 = 0,857, precision 85/89, table rows 24/24.
# - wave 4 (37-43 now), at freeze 4: 40/63 = 0,635, precision 40/65 = 0,615 (a task's
#   "- Đơn vị chủ trì:" / "- Thời gian thực hiện:" lines taken for activities), table rows
#   0/14, 2 of 7 refused. Freeze 5 reads those lines as the task's lead and deadline.
# - wave 5 (this folder), at freeze 5: 0/15, all 5 refused: chunks starting at "1." with
#   their lead-in cut off, decisions' "Điều 2. Giao …" articles, a letter's instructions —
#   no section nq57 recognises. Issue #19 asks 0,90 on held-out text: not met.
# The whole development corpus at freeze 5: 620/714 = 0,868 with the right parent,
# precision 628/643 = 0,977, table rows with lead and deadline right 108/131 = 0,824.
