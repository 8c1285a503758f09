"""The lines of a plan's task sections: headings, labels, units' names (for task_body).

What each kind of line looks like — section and part headings, group, numbered and lettered
labels, bullets, a unit's name — and the item they make; :mod:`nq57lib.plan.task_body`
reads the lines in order with these.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from nq57lib.core.textnorm import fold, nfc, strip_diacritics
from nq57lib.plan.text import FINAL_PUNCTUATION

# "IV. NHIỆM VỤ…", "III- NHIỆM VỤ, GIẢI PHÁP" (the dash of NQ 57 itself), "# TỔ CHỨC …",
# "Mục II. NHIỆM VỤ …".
_SECTION = re.compile(r"^(?:Mục\s+)?([IVXLC]+|Đ\d{1,2})\s*[.\-–]\s+(\S.*)$")
# "B. NỘI DUNG, NHIỆM VỤ, GIẢI PHÁP", "D. TỔ CHỨC THỰC HIỆN": the lettered parts of a long
# plan, their titles in capitals; Roman sections inside such a part are its groups.
_PART = re.compile(r"^([A-EĐ])\s*[.\-–]\s+(\S.*)$")
# A directive without section headings: "… thực hiện các nhiệm vụ, giải pháp sau:".
LEAD_IN = re.compile(r"\b(?:nhiem vu|giai phap|phan cong)\b.*\bsau$")
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(?:(\d{1,2})\.\s*)?(\S.*)$")
ESCAPED = re.compile(r"\\([-.*+#()\[\]_&!])")  # Markdown escapes: "1\.", "\- "
GROUP = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
NUMBERED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?\s+(\S.*)$")
SUBNUMBERED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{1,2})\.?\s+(\S.*)$")
LETTERED = re.compile(r"^([a-nđ])\)\s+(\S.*)$")
MARKER = re.compile(r"^([-–—+*•])")
CLOSING = re.compile(r"^(?:nơi nhận|tm\.|kt\.)", re.IGNORECASE)
# "Điều 8. Tổ chức thực hiện": an article of a decision as a section.
ARTICLE = re.compile(r"^Điều\s+(\d{1,2})\s*[.:]\s*(\S.*)$")
# The running header of the Official Gazette's pages ("CÔNG BÁO/Số 302/Ngày 02-06-2026").
PAGE_HEADER = re.compile(r"^CÔNG BÁO\s*/\s*Số\b", re.IGNORECASE)
# A crawler's joined line ending with a section heading: "… HÀNH ĐỘNG. II. NỘI DUNG …".
TRAILING_SECTION = re.compile(r"\.\s+([IVXLC]+)\s*\.\s+([^.]+)$")
# A label alone on its line ("1.4.", "a)"): its text is on the next line; a group's title
# carrying the first task's label at its end ("… tiến bộ 1.1.").
BARE_LABEL = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){0,2}\.|[a-zđ]\))$")  # "52": a page
TRAILING_LABEL = re.compile(r"^(\d{1,2}\.\s+\S.*?)\s+(\d{1,2}\.\d{1,2}\.)$")
APPENDIX_LINE = re.compile(r"^(?:\d{1,2} )?phu luc\b")
# A line that gives a field of the task above it rather than a task: "- Đơn vị chủ trì: Bộ
# Công an.", "- Thời gian thực hiện: Quý IV năm 2023.", "Sản phẩm: Kế hoạch …". Matched
# without diacritics; the value keeps the plan's words.
_FIELD = re.compile(
    r"^(?:[-+•]\s*)?(?P<name>(?:(?:don vi|co quan)\s+)?(?:chu tri|phoi hop)"
    r"|(?:don vi|co quan)\s+thuc hien"
    r"|thoi gian(?:\s+(?:thuc hien|hoan thanh))?|thoi han(?:\s+hoan thanh)?"
    r"|tien do(?:\s+thuc hien)?|san pham(?:\s+dau ra)?|ket qua(?:\s+dau ra)?)\s*:\s*\S"
)
_FIELD_ROLES = (("thoi", "deadline"), ("tien do", "deadline"), ("phoi hop", "support"),
                ("san pham", "product"), ("ket qua", "product"))  # fmt: skip


def task_field(text: str) -> tuple[str, str] | None:
    """(role, value) of a line that states a field of the task above — "lead", "support",
    "deadline" or "product" — or None. The value loses its closing "." or ";"."""
    found = _FIELD.match(strip_diacritics(text).lower())
    if found is None:
        return None
    name = found.group("name")
    role = next((r for key, r in _FIELD_ROLES if name.startswith(key) or key in name), "lead")
    value = text.split(":", 1)[1].strip().rstrip(".;").strip()
    return role, value


# A section without a numeral of its own (a Markdown heading): its duties are "TC.1", …
UNNUMBERED = "TC"
# An appendix of tasks written as prose, not as a table: its duties are "PL.1", …
APPENDIX = "PL"
# "Sở Tài chính:", "Phòng Văn hóa - Xã hội:" — a unit named as a heading of its duties.
_UNIT_HEADING = re.compile(
    r"^(?:các |ban |ủy ban |uỷ ban |ubnd |sở |phòng |văn phòng |trung tâm |công an |"
    r"đề nghị |mặt trận |hội |đoàn |trường |trạm |bưu điện |ban chỉ huy )",
    re.IGNORECASE,
)
_UNIT_HEADING_WORDS = 14


@dataclass
class Item:
    """One task, activity or duty as it is read, with the lines it took."""

    task_id: str
    parent_id: str
    kind: str
    group: str
    line: int
    parts: list[str] = field(default_factory=list)
    letters: int = 0  # items lettered so far under this one
    marker: str = ""  # the bullet marker it was written with, if a bullet
    heading: bool = False  # a unit named as a heading: the lines under it are its items
    auto: bool = False  # lettered in order by the reader, not by the plan
    # What the plan states of it on lines of their own ("- Đơn vị chủ trì: …"): role →
    # (value, line).
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)

    def ends_open(self) -> bool:
        return not self.parts[-1].rstrip().endswith(FINAL_PUNCTUATION)


def letter(n: int) -> str:
    """a, b, …, z, then aa, ab, … (a plan never needs them, but ids must stay unique)."""
    letters = string.ascii_lowercase
    return letters[n] if n < 26 else letters[n // 26 - 1] + letters[n % 26]


def section_kind(title: str) -> str | None:
    """The kind of a section heading's title: "tasks", "duties" or None. "PHÂN CÔNG NHIỆM
    VỤ" is a task section (a plan that only points to its appendix there gives no task)."""
    key = fold(title)
    if key.startswith(("muc tieu", "muc dich", "quan diem", "ket qua", "danh gia")):
        return None
    if "nhiem vu" in key or "giai phap" in key or key.startswith("noi dung"):
        return "tasks"  # "NỘI DUNG THỰC HIỆN", "NỘI DUNG HOẠT ĐỘNG": the work to be done
    if "to chuc thuc hien" in key:
        return "duties"
    return None


def section_heading(text: str) -> tuple[str, str] | None:
    """(numeral, title) of a section heading: Roman-numbered, or a Markdown heading whose
    title names a section (no numeral: :data:`UNNUMBERED`)."""
    found = _SECTION.match(text)
    if found:
        return found.group(1), found.group(2)
    found = MARKDOWN_HEADING.match(text)
    if found and found.group(1) is None:
        title = _SECTION.match(found.group(2))
        if title:
            return title.group(1), title.group(2)
        if section_kind(found.group(2)) is not None:
            return UNNUMBERED, found.group(2)
    return None


def part_heading(text: str) -> tuple[str, str] | None:
    """(letter, title) of a lettered part heading in capitals ("D. TỔ CHỨC THỰC HIỆN")."""
    found = _PART.match(text)
    if (
        found
        and found.group(2).upper() == found.group(2)
        and any(c.isalpha() for c in found.group(2))
    ):
        return found.group(1), found.group(2)
    return None


# The first words of a unit's name ("Sở Tài chính", "Công an tỉnh", "Các phòng, ban …"),
# matched with their diacritics: "Số hóa", "Bổ sung", "Ban hành", "Hội nghị" name no unit.
_UNIT_WORDS = re.compile(
    r"^(?:sở|phòng|văn phòng|công an|ủy ban|uỷ ban|ubnd|ubmttq|ban(?! hành)|mặt trận|"
    r"hội(?! nghị| thảo| thi| diễn)|đoàn(?! kiểm tra| công tác)|trung tâm|trường|trạm|"
    r"bưu điện|bộ|tổng cục|cục|chi cục|vụ|đảng ủy|đảng uỷ|thủ trưởng|chủ tịch|giám đốc|"
    r"các (?:sở|phòng|bộ|cơ quan|đơn vị|xã|phường|huyện|quận|tổ chức|doanh nghiệp|ban|hội|"
    r"đoàn|trường|trạm|vụ|cục|thôn|tổ dân phố))\b",
    re.IGNORECASE,
)


def names_unit(title: str) -> bool:
    """A heading that is a unit's name ("Sở Y tế", "Thủ trưởng các sở, ban, ngành tỉnh;
    Chủ tịch UBND các xã, phường"), or a unit and its duty after a colon ("Sở Tư pháp: …")."""
    head = title.split(":", 1)[0].strip().rstrip(";.")
    return len(head.split()) <= _UNIT_HEADING_WORDS and bool(_UNIT_WORDS.match(nfc(head)))


def only_a_unit(title: str) -> bool:
    """The heading is the unit's name alone: the lines under it are its duties."""
    return ":" not in title.rstrip(":") and names_unit(title) and not title.endswith(".")


def make_room(items: list[Item], task_id: str) -> bool:
    """The plan's own "a)" takes its id from a paragraph lettered in order before it, which
    becomes "a0" (with everything under it); True when an item was renamed."""
    for item in items:
        if item.task_id == task_id and item.auto:
            old, new = item.task_id, item.task_id + "0"
            for other in items:
                if other.task_id == old or other.task_id.startswith(old + "."):
                    other.task_id = new + other.task_id[len(old) :]
                if other.parent_id == old or other.parent_id.startswith(old + "."):
                    other.parent_id = new + other.parent_id[len(old) :]
            return True
    return False


def names_unit_colon(text: str) -> bool:
    """A duty item that opens with a unit and a colon ("Công an phường: hướng dẫn …")."""
    head = text.split(":", 1)[0]
    return ":" in text and is_unit_heading(head + ":")


def is_unit_heading(text: str) -> bool:
    """A short line naming a unit and ending with ":" ("Sở Tài chính:")."""
    return (
        text.endswith(":")
        and len(text.split()) <= _UNIT_HEADING_WORDS
        and bool(_UNIT_HEADING.match(text))
    )
