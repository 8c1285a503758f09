"""Targets in running text, for plans (and notices of plans) with no targets section.

"Tỉnh đặt mục tiêu đến năm 2030, kinh tế số chiếm tối thiểu 35% GRDP; tỷ trọng … đạt tối
thiểu 20%." A sentence gives targets when it holds a figure and reads as a target: it
names one ("mục tiêu", "chỉ tiêu", "phấn đấu", "hướng đến", "dự kiến", "đạt", "chiếm",
"tối thiểu", "sẽ", …), starts with a figure ("100% hồ sơ …"), pairs a name with its figure
("Tổng sản lượng lương thực: 25.000 tấn"), follows "… các chỉ tiêu cụ thể đến năm 2030:"
in its paragraph, or continues a list that a sentence ending in ":" introduced. A sentence
that reports what already is ("ước tính", "hiện đứng đầu", "đã đạt", "năm 2021 là
11,91%") gives none. A list flattened onto one line ("… 16%. 2. Thu nhập …") is read item
by item.

The year runs through the text: a clause naming a milestone ("đến năm 2030", "… 20% GDP
năm 2025", "Năm 2022: …") or a period ("trong nhiệm kỳ 2020-2025": its end) sets it for
itself and what follows; before any, the plan's own year (its title,
:func:`nq57lib.plan.structure.plan_year`) applies, and without one the target has no year
(the catalogue names its line). Qualitative aims in prose are left out: without a heading
that says "these are the targets", a sentence without a figure is not told apart from a
wish. A target repeated (a headline, then the body) is kept once; targets of one sentence
or of one list are never repeats of each other ("bến xe … 60%; nhà ga … 60%").
"""

from __future__ import annotations

import re

from nq57lib.core.textnorm import fold
from nq57lib.plan.figures import split_targets
from nq57lib.plan.structure import MILESTONE, PERIOD, clause_year
from nq57lib.plan.text import BULLET, FOOTNOTE_LINE, clean_text

_CUE = re.compile(
    r"\b(?:muc tieu|chi tieu|phan dau|huong den|huong toi|du kien|khuyen khich|chiem"
    r"|toi thieu|it nhat|tro len|hoan thanh|phai|pho cap|duy tri|giu on dinh)\b"
)
# Cues whose folded form is another word too, read on the raw text: "tăng" (and "tầng" of
# "hạ tầng"), "đạt" ("đất", "đặt"), "sẽ" ("chia sẻ"), "nâng" ("Đà Nẵng").
_CUE_RAW = re.compile(r"(?<!\w)(?:tăng|giảm|đạt|sẽ|nâng)(?!\w)", re.IGNORECASE)
_ACTUAL = re.compile(
    r"\b(?:uoc tinh|hien nay|hien dang|hien dung|hien co|da co|da hoan thanh"
    r"|nam (?:19|20)\d\d la|so voi cung ky|luot xem|luot truy cap|thong ke cho thay)\b"
)
# "đã đạt", "đạt được" on the raw text: folded, "đã đặt ra các mục tiêu" reads the same.
_ACTUAL_RAW = re.compile(r"(?<!\w)(?:đã đạt|đạt được)(?!\w)", re.IGNORECASE)
# "Đại hội xác định một số chỉ tiêu cụ thể đến năm 2030: …" (the words before a colon).
_INTRODUCES = re.compile(r"\b(?:muc tieu|chi tieu)\b")
_STARTS_WITH_FIGURE = re.compile(r"^(?:[≥≤><]\s*)?\d")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=[A-ZĐÀ-Ỹ\d])|\s+(?=(?:\d{1,2}|[IVX]{1,4})\.\s+[A-ZĐÀ-Ỹ])")
# "Tổng sản lượng lương thực bình quân hằng năm: 25.000 tấn": an indicator and its figure.
_NAMED_FIGURE = re.compile(
    r"(?:[^\W\d_]\)?\s*:|:\s)\s*(?:[≥≤><]\s*)?\d[\d.,]*\s*(?:%|[^\W\d_][\w ]{0,20})?\s*[.;]?$"
)
_WORD = re.compile(r"[^\W\d_]+")
_MARKER = re.compile(r"^(?:\(\d+\)|\d+(?:\.\d+)*[.)]|[a-zđ]\)|[IVX]{1,4}\.)\s+")
# A sentence that is only a list's number ("2.", "II."): a list flattened onto one line.
_ONLY_MARKER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,4})\.$")
_SAME_WORDS = 0.5
_PARENTHESES = re.compile(r"\([^()]*\)")
_CITES = re.compile(
    r"\b(?:quyet dinh|nghi quyet|chi thi|ke hoach|thong tu|nghi dinh|cong van) so\b"
)
# Two words the shorter text has and the other lacks name another subject.
_OWN_SUBJECT = 2
# A year-less headline announcing a dated target shares most of its words.
_HEADLINE_CONTAINED = 0.75


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
        numbered = False
        if not bullet:
            # "1. Chuyển đổi số cấp huyện": the number orders the text, it is no figure.
            numbered = bool(_NUMBERED_ITEM.match(line))
            line = _MARKER.sub("", line)
        # A hard-wrapped sentence goes on in lower case (or with a number); a headline
        # without a full stop does not run into the next line.
        joins = (
            open_paragraph
            and not bullet
            and (
                line[0] in ";,"  # "…; phủ sóng …": the list goes on after a stray line break
                or (
                    (line[0].islower() or line[0].isdigit())
                    and not out[-1][1][-1].endswith(tuple(".!?:;…"))
                )
            )
        )
        if joins:
            out[-1][1].append(line)
        else:
            # A numbered item ("5. Huy động …") is an item of its list, as a bullet is.
            out.append((n + 1, [bullet.group(1) if bullet else line], bool(bullet) or numbered))
        open_paragraph = True
    return [(number, clean_text(" ".join(parts)), bullet) for number, parts, bullet in out]


# Words that say "target", "year" or "at least" rather than what is measured.
_GENERIC = frozenset(
    "muc tieu chi den toi nam dat ty le ti trong va cua cac nhung duoc se tu tro len it nhat "
    "thieu tren hon khoang phan dau huong".split()
)


def _sentences(paragraph: str) -> list[str]:
    """The paragraph's sentences; in a list flattened onto one line ("… 16%. 2. Thu nhập
    …"), each item is a sentence of its own, without its number."""
    out: list[str] = []
    numbered = False
    for sentence in _SENTENCE.split(paragraph):
        if _ONLY_MARKER.match(sentence.strip()):
            numbered = True
            continue
        out.append(_MARKER.sub("", sentence) if numbered or not out else sentence)
        numbered = False
    return out


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text))) - _GENERIC


def _subject_words(text: str) -> set[str]:
    """:func:`_words` without the capitalised ones: "Đà Nẵng" names who, not what."""
    lowered = " ".join(w for w in text.split() if not w[:1].isupper())
    return _words(lowered)


def _repeats(target: dict, kept: list[dict], contained: float = 0.9) -> bool:
    """A headline or summary restating a target of the body ("phấn đấu 55% dân số …" and
    "… đạt 55% trở lên"): same year and figure, mostly the same words, another paragraph.
    Targets of one sentence or of one list ("bến xe … 60%; nhà ga … 60%") never repeat."""
    key = (target["milestone_year"], target["value"], target["value_max"])
    words = _words(target["text"])
    for other in kept:
        if key != (other["milestone_year"], other["value"], other["value_max"]):
            continue
        if other["source_line"] == target["source_line"] or (other["bullet"] and target["bullet"]):
            continue
        theirs = _words(other["text"])
        mine, their = _subject_words(target["text"]), _subject_words(other["text"])
        own = mine - their if len(mine) <= len(their) else their - mine
        if len(own) >= _OWN_SUBJECT:
            continue  # "nhà ga …" beside "bến xe …": words of its own, another target
        shorter = min(words, theirs, key=len)
        shared = len(words & theirs)
        if shared / (len(words | theirs) or 1) >= _SAME_WORDS:
            return True
        # A headline's words all in a longer sentence of the body.
        if shared / (len(shorter) or 1) >= contained:
            return True
    return False


_LEADING_PERIOD = re.compile(
    r"^(?:[^,]{0,80}, )?(?:trong |trong suot |qua )?(?:nhiem ky|giai doan|thoi ky)"
    r"(?: tu)?(?: nam)? (?:19|20)\d\d(?: den)?(?: nam)? ((?:19|20)\d\d)\b"
)


# Words that turn a report of results back to targets ("… đề ra các chỉ tiêu", "phấn đấu").
_SETS_TARGETS = re.compile(r"\b(?:muc tieu|phan dau|de ra|dat ra|huong toi|huong den)\b")


def _milestones(folded: str) -> list[int]:
    """The milestone years a sentence names, a vision's ("tầm nhìn đến năm 2030") after
    the targets' own ("… đến năm 2025 và tầm nhìn đến năm 2030": 2025)."""
    found = [(bool(_VISION.search(folded[: m.start()])), int(m.group(1)))
             for m in MILESTONE.finditer(folded)]  # fmt: skip
    own = [y for vision, y in found if not vision]
    return own or [y for _vision, y in found]


_AT_LEAST = re.compile(r"\b(?:tro len|toi thieu|it nhat|phan dau)\b")
_NUMBERED_ITEM = re.compile(r"^(?:\(\d+\)|\d{1,2}[.)])\s+\S")
_VISION = re.compile(r"\btam nhin\s*$")


def _period_end(text: str) -> int | None:
    """The latest end year of a term or period the text names ("nhiệm kỳ 2025-2030")."""
    ends = [int(m.group(1)) for m in PERIOD.finditer(fold(text))]
    return max(ends) if ends else None


def _leading_period(paragraph: str) -> int | None:
    """The end year of the term a paragraph opens with ("Nhiệm kỳ 2020-2025, …")."""
    found = _LEADING_PERIOD.match(fold(paragraph))
    return int(found.group(1)) if found else None


def prose_targets(lines: list[str], year: int | None, skip: set[int]) -> list[dict]:
    """Targets stated in running text (lines in ``skip`` are read elsewhere)."""
    kept: list[dict] = []
    listing = False
    paragraphs = list(_paragraphs(lines, skip))
    # A text naming two terms ("Nhiệm kỳ 2020-2025, … đạt …"; "Nhiệm kỳ 2025-2030, … đề ra
    # các chỉ tiêu …") reports the earlier one's results: from a paragraph led by an earlier
    # period to the next one led by the latest period or a target cue, figures are results.
    latest = max((_period_end(p) or 0 for _n, p, _b in paragraphs), default=0)
    past = False
    base = year  # the year a list's items start from: a bullet's own year is its own
    for number, paragraph, bullet in paragraphs:
        listing = listing and bullet  # an introduced list runs while its bullets do
        if bullet:
            year = base
        sentences = []
        for sentence in _sentences(paragraph):
            led = _leading_period(sentence)
            if led is not None:
                past = led < latest
                if not past:
                    year = led  # "Nhiệm kỳ 2025-2030, … phấn đấu …": the term's end
            elif past and _SETS_TARGETS.search(fold(sentence)):
                past = False
            if not past:
                sentences.append(sentence)
        introduced = False  # "… các chỉ tiêu cụ thể đến năm 2030: A; B. C." runs to its end
        for sentence in sentences:
            folded = fold(sentence)
            head = fold(sentence.partition(":")[0]) if ":" in sentence else ""
            introduced = introduced or bool(_INTRODUCES.search(head))
            # "Đến năm 2030, 100% …": a milestone phrase before a figure states a target.
            cued = (
                listing
                or introduced
                or bool(_CUE.search(folded))
                or bool(_CUE_RAW.search(sentence))
                or bool(_STARTS_WITH_FIGURE.match(sentence))
                or bool(MILESTONE.search(folded))
                or bool(_NAMED_FIGURE.search(sentence))
            )
            # "tăng 4% trở lên so với cùng kỳ": a comparison basis of a target, not a result.
            actual = bool(_ACTUAL.search(folded) or _ACTUAL_RAW.search(sentence)) and not (
                _AT_LEAST.search(folded)
            )
            period = PERIOD.search(folded)
            targets = split_targets(sentence)
            headline = all(t["qualitative"] for t in targets)
            if period and headline and not actual and not MILESTONE.search(folded):
                # "Các chỉ tiêu chủ yếu trong nhiệm kỳ 2020-2025": the period's end.
                year = int(period.group(1))
            outside = fold(_PARENTHESES.sub(" ", sentence))
            # "Thực hiện Quyết định số 411/QĐ-TTg … đến năm 2025, định hướng đến năm 2030":
            # the years of another document's title set no milestone of this plan.
            cites = headline and bool(_CITES.search(outside))
            for target in targets:
                own = None if cites else clause_year(target["text"])
                # "… 10% (đến năm 2030 đạt 20%); …": a year in parentheses is theirs only.
                inside = target["aside"]
                if own is not None and not inside:
                    year = own
                if target["qualitative"] or not cued or actual:
                    continue
                when = own if own is not None and inside else year
                row = {**target, "milestone_year": when, "source_line": number, "bullet": bullet}
                del row["aside"]
                if not _repeats(row, kept):
                    kept.append(row)
            milestone = [] if cites else _milestones(outside)
            if milestone and not actual:
                year = milestone[-1]
        if not bullet:
            base = year
        last = sentences[-1].rstrip() if sentences else ""
        if last.endswith(":"):
            listing = bool(_CUE.search(fold(last))) or fold(last).endswith("nhu sau")
    # A headline before the body's first milestone has no year of its own: when the body
    # states the same target with its year, the headline was only announcing it.
    dated = [row for row in kept if row["milestone_year"] is not None]
    kept = [
        row
        for row in kept
        if row["milestone_year"] is not None
        or not _repeats(
            {**row, "milestone_year": None},
            [{**other, "milestone_year": None} for other in dated],
            contained=_HEADLINE_CONTAINED,
        )
    ]
    for row in kept:
        del row["bullet"]
    return kept
