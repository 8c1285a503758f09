"""The rules give facts; assess/notes.py alone puts them into words."""

from __future__ import annotations

import re
from pathlib import Path

from nq57lib.assess import notes, progress
from nq57lib.assess.notes import finding, method_note

RULES = Path(notes.__file__).with_name("rules.py")
# A Vietnamese letter with a diacritic: words, which the rules must not hold.
VIETNAMESE = re.compile(
    r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I
)


def test_the_rules_hold_no_wording():
    code = "\n".join(
        line for line in RULES.read_text(encoding="utf-8").splitlines()
        if not line.lstrip().startswith("#")
    )  # fmt: skip
    assert VIETNAMESE.findall(code) == []


def test_every_reason_the_rules_give_has_its_words():
    given = set(re.findall(r'finding\(\s*"([a-z_]+)"', RULES.read_text(encoding="utf-8")))
    given |= {"at_least_one"}  # set by assess/milestones.py from the plan's wording
    assert given <= set(notes.REASONS)


def test_a_note_quotes_the_thresholds_in_force(monkeypatch):
    item = finding("by_cagr", ratio=0.7, share=0.5)
    assert method_note([item]) == (
        "Tăng trưởng bình quân năm thực tế so với yêu cầu R = 0,7 (ngưỡng 0,95/0,60); "
        "đường thẳng: 0,5."
    )
    monkeypatch.setattr(progress, "ON_TRACK_RATIO", 0.9)
    monkeypatch.setattr(progress, "TREND_HIGH", 0.02)
    assert "(ngưỡng 0,90/0,60)" in method_note([item])
    trend = finding("by_trend", target="≥ 100%", growth=0.01)
    assert "(ngưỡng 2%/0,5% điều chỉnh gần giới hạn)" in method_note([trend])


def test_findings_are_joined_in_order_and_absent_ones_skipped():
    text = method_note([finding("no_data", past=True), None, finding("at_least_one")])
    assert (
        text == "Chưa có số liệu. Mốc đã qua hạn. Chỉ tiêu không nêu số cụ thể: hiểu là ít nhất 1."
    )


def test_the_reports_groups_of_statuses_cover_every_status_once():
    from nq57lib.assess.statuses import (
        BEHIND,
        FAILING,
        LATER,
        NO_FIGURE,
        ON_COURSE,
        SLOW,
        STATUSES,
        URGENCY,
    )

    assert sorted(SLOW + FAILING) == sorted(BEHIND)
    assert sorted(URGENCY) == sorted(STATUSES)
    groups = (*ON_COURSE, *SLOW, *FAILING, *NO_FIGURE, *LATER)
    assert sorted(groups) == sorted(STATUSES)
