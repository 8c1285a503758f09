"""The marks of a plan's structure that say where targets are and which year they are for.

Shared by the three readers of targets (:mod:`~nq57lib.plan.sections` for a targets
section, :mod:`~nq57lib.plan.tables` for tables, :mod:`~nq57lib.plan.prose` for running
text). Patterns run on folded text (:func:`nq57lib.core.textnorm.fold`: no diacritics,
lower case, punctuation as spaces) unless their name says otherwise.
"""

from __future__ import annotations

import re

from nq57lib.core.textnorm import fold

# ── headings ────────────────────────────────────────────────────────────────
# "III. NHIỆM VỤ", "III- NHIỆM VỤ": a top-level part of the plan (on the raw line).
PART_HEADING = re.compile(r"^(?:#+\s*)?([IVXLC]+)\s*[.\-–]\s+(\S.*)$")
# "a) Hạ tầng", "đ) …" (on the raw line).
AREA_HEADING = re.compile(r"^([a-zđ])\)\s+\S")
# "1.", "2.1.", "(1)", "1)" at the start of a line (on the raw line).
NUMBERED = re.compile(r"^(?:\d+(?:\.\d+)*\.|\(\d+\)|\d+\))\s+\S")
MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(\S.*)$")

# The heading of a targets section, whatever the plan calls it (folded).
_NUMBERING = r"^(?:[0-9ivx]+ )*"
SECTION_NAMES = re.compile(
    _NUMBERING + r"(?:cac |nhung )?(?:muc tieu|chi tieu)"
    r"(?: cu the| chu yeu| co ban| den (?:het )?(?:nam )?(?:19|20)\d\d)"
)
# A bare "MỤC TIÊU" part: a targets section when milestone headings follow.
BARE_SECTION = re.compile(_NUMBERING + r"(?:muc tieu|cac muc tieu)$")
# A sentence that introduces a list of targets: "… các mục tiêu cơ bản đến năm 2025 như sau:".
LEAD_IN = re.compile(
    r"\b(?:muc tieu|chi tieu)\b.{0,80}\b(?:cu the|co ban|chu yeu|den (?:het )?nam (?:19|20)\d\d"
    r"|nhu sau|sau day)\b"
)
# Parts that never hold targets (a section ends there).
NOT_TARGETS = re.compile(
    _NUMBERING + r"(?:nhiem vu|giai phap|to chuc thuc hien|kinh phi|muc tieu chung"
    r"|quan diem|muc dich|yeu cau|can cu)\b"
)

# ── years ───────────────────────────────────────────────────────────────────
# A milestone in a heading or a phrase: "Đến hết năm 2025", "Tầm nhìn đến năm 2045" (folded).
MILESTONE = re.compile(r"\b(?:den|toi) (?:het |cuoi )?(?:nam )?((?:19|20)\d\d)\b")
# "Năm 2022: …" — an item labelled with its own year (folded).
YEAR_LABEL = re.compile(r"^(?:nam )((?:19|20)\d\d) ")
# A milestone phrase inside running text; "so với năm 2025", "giá so sánh năm 2010" and
# "từ năm 2025" are baselines.
_PHRASE_YEAR = re.compile(
    r"(?<!so voi )(?<!so sanh )(?<!tu )"
    r"(?:(?:den|toi|vao|trong) (?:het |cuoi )?nam |(?:den|toi) |nam )((?:19|20)\d\d)\b"
)
_DATE_BEFORE = re.compile(r"\bthang \d{1,2} $")
# The plan's own year in its title: "Kế hoạch chuyển đổi số năm 2025" (folded).
_TITLE_YEAR = re.compile(
    r"\b(?:ke hoach|chuong trinh|de an)\b.{0,240}?(?<!thang \d )(?<!thang \d\d )"
    r"\bnam ((?:19|20)\d\d)\b"
)
_TITLE_WORDS = frozenset(("ke hoach", "chuong trinh", "de an", "chuong trinh hanh dong"))
_PERIOD_END = re.compile(r"\bgiai doan (?:19|20)\d\d (?:19|20)?(\d\d)\b")
# "Giai đoạn 2026 - 2030", "Nhiệm kỳ 2025-2030", "giai đoạn từ năm 2026 đến năm 2030": a
# heading or lead-in naming a period means its end (folded).
PERIOD = re.compile(
    r"\b(?:giai doan|nhiem ky|thoi ky)(?: tu)?(?: nam)? (?:19|20)\d\d"
    r"(?: den)?(?: nam)? ((?:19|20)\d\d)\b"
)
# The number or letter that orders a heading: "a)", "đ)", "1.", "2.1.", "(1)", "1)", "I." (raw).
HEADING_MARKER = re.compile(r"^(?:#+\s*)?(?:\(\d+\)|\d+(?:\.\d+)*[.)]|[a-zđ]\)|[IVX]+\.)\s*")
# Lines that cite other documents ("Căn cứ Kế hoạch … giai đoạn 2021 - 2025") never give
# the plan its own year (folded).
_CITATION = re.compile(r"^can cu\b")


def _title_sentences(lines: list[str]) -> list[str]:
    """Sentences of the plan's first lines; a title split after "KẾ HOẠCH" is joined back."""
    texts, carry = [], ""
    for raw in (x.strip() for x in lines if x.strip()):
        if fold(raw) in _TITLE_WORDS:
            carry = raw
            continue
        texts.append(f"{carry} {raw}" if carry else raw)
        carry = ""
    return [s for text in texts for s in re.split(r";|\.\s", text) if s.strip()]


def _heading_year(text: str) -> int | None:
    folded = fold(text)
    found = MILESTONE.search(folded) or PERIOD.search(folded)
    return int(found.group(1)) if found else None


def milestone_heading(line: str) -> int | None:
    """The year of a short heading such as "Đến hết năm 2025", "1. Đến năm 2030",
    "a) Đến hết năm 2025" or "Giai đoạn 2026 - 2030" (a period: its end)."""
    head = HEADING_MARKER.sub("", line.strip().strip("*_ ")).strip("*_ ")
    if not head or head[0].islower() or "%" in head or len(head.split()) > 14:
        return None
    return _heading_year(head)


def milestone_lead(line: str) -> tuple[int, str] | None:
    """(year, the rest) of a line that opens a milestone: a heading (``rest`` empty) or a
    heading with its first target after a colon ("b) Đến năm 2030: Tỷ lệ … đạt 100%")."""
    year = milestone_heading(line)
    if year is not None:
        return year, ""
    head = HEADING_MARKER.sub("", line.strip())
    before, colon, rest = head.partition(":")
    if not colon or not rest.strip():
        return None
    year = milestone_heading(before)
    return (year, rest.strip()) if year is not None else None


def clause_year(text: str) -> int | None:
    """The last milestone year a clause names ("đến năm 2030", "… 20% GDP năm 2025"),
    ignoring baselines ("so với năm 2025") and dates ("ngày 3 tháng 4 năm 2025")."""
    folded = fold(text)
    found = None
    for match in _PHRASE_YEAR.finditer(folded):
        if _DATE_BEFORE.search(folded[: match.start()]):
            continue
        found = int(match.group(1))
    return found


def plan_year(lines: list[str], head: int = 60) -> int | None:
    """The year a plan is for when its title says so ("Kế hoạch chuyển đổi số năm 2025",
    "… giai đoạn 2022-2025"), read from its first lines; None when it does not."""
    top = [x for x in lines[:head] if not _CITATION.match(fold(x))]
    for sentence in _title_sentences(top):
        found = _TITLE_YEAR.search(fold(sentence))
        if found:
            return int(found.group(1))
    for line in (fold(x) for x in top if x.strip()):
        found = _PERIOD_END.search(line)
        if found:
            return 2000 + int(found.group(1)) if len(found.group(1)) == 2 else None
    return None
