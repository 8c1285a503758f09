"""Targets in running text, for plans (and notices of plans) with no targets section.

"Tỉnh đặt mục tiêu đến năm 2030, kinh tế số chiếm tối thiểu 35% GRDP; tỷ trọng … đạt tối
thiểu 20%." A sentence gives targets when it holds a figure and reads as a target: it
names one ("mục tiêu", "chỉ tiêu", "phấn đấu", "hướng đến", "dự kiến", "đạt", "chiếm",
"tối thiểu", "sẽ", …), starts with a figure ("100% hồ sơ …"), or continues a list that a
sentence ending in ":" introduced. A sentence that reports what already is ("ước tính",
"hiện đứng đầu", "đã đạt", "năm 2021 là 11,91%") gives none.

The year runs through the text: a clause naming a milestone ("đến năm 2030", "… 20% GDP
năm 2025", "Năm 2022: …") sets it for itself and what follows; before any, the plan's own
year (its title, :func:`nq57lib.plan.structure.plan_year`) applies, and without one a
figure gives no target. Qualitative aims in prose are left out: without a heading that
says "these are the targets", a sentence without a figure is not told apart from a wish.
A target repeated (a headline, then the body) is kept once.
"""

from __future__ import annotations

import re

from nq57lib.core.textnorm import fold
from nq57lib.plan.figures import split_targets
from nq57lib.plan.structure import MILESTONE, clause_year
from nq57lib.plan.text import BULLET, FOOTNOTE_LINE, clean_text

_CUE = re.compile(
    r"\b(?:muc tieu|chi tieu|phan dau|huong den|huong toi|du kien|khuyen khich|dat|chiem"
    r"|toi thieu|it nhat|tro len|hoan thanh|tang|giam|se|phai|can dat|pho cap|nang|duy tri)\b"
)
_ACTUAL = re.compile(
    r"\b(?:uoc tinh|hien nay|hien dang|hien dung|hien co|da dat|dat duoc|da co|da hoan thanh"
    r"|nam (?:19|20)\d\d la|so voi cung ky|luot xem|luot truy cap|thong ke cho thay)\b"
)
_STARTS_WITH_FIGURE = re.compile(r"^(?:[≥≤><]\s*)?\d")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=[A-ZĐÀ-Ỹ\d])")
_WORD = re.compile(r"[^\W\d_]+")
_MARKER = re.compile(r"^(?:\(\d+\)|\d+(?:\.\d+)*[.)]|[a-zđ]\))\s+")
_SAME_WORDS = 0.5


def _paragraphs(lines: list[str], skip: set[int]) -> list[tuple[int, str, bool]]:
    """(first line number, text, is a bullet) of each paragraph; wrapped lines are joined."""
    out: list[tuple[int, list[str], bool]] = []
    open_paragraph = False
    for n, raw in enumerate(lines):
        line = raw.strip()
        if n in skip or not line or FOOTNOTE_LINE.match(line) or line.startswith("|"):
            open_paragraph = False
            continue
        bullet = BULLET.match(line)
        if not bullet:
            # "1. Chuyển đổi số cấp huyện": the number orders the text, it is no figure.
            line = _MARKER.sub("", line)
        # A hard-wrapped sentence goes on in lower case (or with a number); a headline
        # without a full stop does not run into the next line.
        joins = (
            open_paragraph
            and not bullet
            and (line[0].islower() or line[0].isdigit())
            and not out[-1][1][-1].endswith(tuple(".!?:;…"))
        )
        if joins:
            out[-1][1].append(line)
        else:
            out.append((n + 1, [bullet.group(1) if bullet else line], bool(bullet)))
        open_paragraph = True
    return [(number, clean_text(" ".join(parts)), bullet) for number, parts, bullet in out]


# Words that say "target", "year" or "at least" rather than what is measured.
_GENERIC = frozenset(
    "muc tieu chi den toi nam dat ty le ti va cua cac nhung duoc se tu tro len it nhat "
    "thieu tren hon khoang phan dau huong".split()
)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text))) - _GENERIC


def _repeats(target: dict, kept: list[dict]) -> bool:
    key = (target["milestone_year"], target["comparator"], target["value"], target["value_max"])
    words = _words(target["text"])
    for other in kept:
        if key != (other["milestone_year"], other["comparator"], other["value"],
                   other["value_max"]):  # fmt: skip
            continue
        theirs = _words(other["text"])
        if len(words & theirs) / (len(words | theirs) or 1) >= _SAME_WORDS:
            return True
    return False


def prose_targets(lines: list[str], year: int | None, skip: set[int]) -> list[dict]:
    """Targets stated in running text (lines in ``skip`` are read elsewhere)."""
    kept: list[dict] = []
    listing = False
    for number, paragraph, bullet in _paragraphs(lines, skip):
        listing = listing and bullet  # an introduced list runs while its bullets do
        sentences = _SENTENCE.split(paragraph)
        for sentence in sentences:
            folded = fold(sentence)
            # "Đến năm 2030, 100% …": a milestone phrase before a figure states a target.
            cued = (
                listing
                or bool(_CUE.search(folded))
                or bool(_STARTS_WITH_FIGURE.match(sentence))
                or bool(MILESTONE.search(folded))
            )
            actual = bool(_ACTUAL.search(folded))
            for target in split_targets(sentence):
                own = clause_year(target["text"])
                if own is not None:
                    year = own
                if target["qualitative"] or not cued or actual or year is None:
                    continue
                row = {**target, "milestone_year": year, "source_line": number}
                if not _repeats(row, kept):
                    kept.append(row)
            milestone = [int(m.group(1)) for m in MILESTONE.finditer(folded)]
            if milestone and not actual:
                year = milestone[-1]
        last = sentences[-1].rstrip() if sentences else ""
        if last.endswith(":"):
            listing = bool(_CUE.search(fold(last))) or fold(last).endswith("nhu sau")
    return kept
