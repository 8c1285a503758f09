"""The tasks written in the plan's body: the tasks section and the duties section.

The parser reads the structure, never line numbers, so an amended copy parses the same:

- a task section starts at a Roman-numeral heading that names "giải pháp" or starts with
  "nhiệm vụ" ("NHIỆM VỤ VÀ GIẢI PHÁP", "NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM", "GIẢI PHÁP",
  "NHIỆM VỤ TRỌNG TÂM"); the duties section at "TỔ CHỨC THỰC HIỆN". Each ends at the next
  Roman-numeral heading, at an appendix ("PHỤ LỤC"), at "Nơi nhận" or at the closing
  paragraph that ends with "./.". Headings may be bold ("**III. GIẢI PHÁP**");
- in a task section, "2. …" opens group 2 and "2.1. …" is numbered task 2.1 ("2.1.1. …" an
  activity 2.1.1 of it); a lettered item "b) …" (the plan's letters, "đ" included) is a
  task of the group (2.b) or, under a numbered task, an activity (2.1.b); a bullet ("-",
  "+", "•") is an item of the nearest item above it, lettered in order (2.1.a, 2.1.b; 4.a
  directly under a group), and a bullet of another marker under a bullet is that
  bullet's own item (a "+" under a "-"). Bullets or paragraphs under the section heading
  itself, before any group, are tasks of a group named by the section's numeral (III.a);
- in the duties section, "1. …" is duty IV.1 when the section is "IV. TỔ CHỨC THỰC HIỆN"
  (the plan's own numbers, so V.1, V.3, V.4 when the plan skips 2); a unit heading without
  a number ("Sở Tài chính:", "a) Phòng Văn hóa - Xã hội:") is a duty numbered in order; a
  bullet or lettered item under a duty is its activity (IV.1.a);
- a line that is none of these continues the item before it when that item has no final
  punctuation or the line starts in lower case (a page break), and is otherwise the body
  paragraph of the open numbered task or duty, or a task of its own under a group;
- footnote lines are skipped; nothing from the other sections becomes a task.

Forms of other documents (freeze 2 of issue #19):

- a long plan's lettered parts in capitals ("B. NỘI DUNG, NHIỆM VỤ, GIẢI PHÁP", "D. TỔ CHỨC
  THỰC HIỆN") are sections too, and "Mục I. …" sections inside a task part are its groups
  (their "1. …" items numbered tasks I.1); "NỘI DUNG THỰC HIỆN" / "NỘI DUNG HOẠT ĐỘNG"
  sections are task sections;
- a directive without section headings opens its tasks at the paragraph that announces
  them ("… thực hiện các nhiệm vụ, giải pháp sau:");
- in a task section, "1. Công an tỉnh" (a unit's name, or "Sở Tư pháp: …") is a duty, and
  in the duties section "1.1. Ủy ban nhân dân huyện:" under "1. Đối với …" makes the "1."
  a group of duties; the lines under a heading that is a unit's name alone are its items;
- a plain line after an item that ends with a colon is what the colon announced (the same
  item); a group's title wrapped onto a line starting in lower case stays the title; a
  paragraph lettered in order gives its letter to the plan's own "a)" ("1.a0").
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from nq57lib.core.textnorm import fold
from nq57lib.plan.text import (
    BULLET,
    FINAL_PUNCTUATION,
    FOOTNOTE_LINE,
    SPACES,
    clean_text,
)

# "IV. NHIỆM VỤ…", "III- NHIỆM VỤ, GIẢI PHÁP" (the dash of NQ 57 itself), "# TỔ CHỨC …",
# "Mục II. NHIỆM VỤ …".
_SECTION = re.compile(r"^(?:Mục\s+)?([IVXLC]+)\s*[.\-–]\s+(\S.*)$")
# "B. NỘI DUNG, NHIỆM VỤ, GIẢI PHÁP", "D. TỔ CHỨC THỰC HIỆN": the lettered parts of a long
# plan, their titles in capitals; Roman sections inside such a part are its groups.
_PART = re.compile(r"^([A-EĐ])\s*[.\-–]\s+(\S.*)$")
# A directive without section headings: "… thực hiện các nhiệm vụ, giải pháp sau:".
_LEAD_IN = re.compile(r"\b(?:nhiem vu|giai phap|phan cong)\b.*\bsau$")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(?:(\d{1,2})\.\s*)?(\S.*)$")
_ESCAPED = re.compile(r"\\([-.*+#()\[\]_&!])")  # Markdown escapes: "1\.", "\- "
_GROUP = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
_NUMBERED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?\s+(\S.*)$")
_SUBNUMBERED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{1,2})\.?\s+(\S.*)$")
_LETTERED = re.compile(r"^([a-nđ])\)\s+(\S.*)$")
_MARKER = re.compile(r"^([-–—+*•])")
_CLOSING = re.compile(r"^(?:nơi nhận|tm\.|kt\.)", re.IGNORECASE)
_APPENDIX = re.compile(r"^(?:\d{1,2} )?phu luc\b")
# A section without a numeral of its own (a Markdown heading): its duties are "TC.1", …
UNNUMBERED = "TC"
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


def _section(text: str) -> tuple[str, str] | None:
    """(numeral, title) of a section heading: Roman-numbered, or a Markdown heading whose
    title names a section (no numeral: :data:`UNNUMBERED`)."""
    found = _SECTION.match(text)
    if found:
        return found.group(1), found.group(2)
    found = _MARKDOWN_HEADING.match(text)
    if found and found.group(1) is None:
        title = _SECTION.match(found.group(2))
        if title:
            return title.group(1), title.group(2)
        if section_kind(found.group(2)) is not None:
            return UNNUMBERED, found.group(2)
    return None


def _part(text: str) -> tuple[str, str] | None:
    """(letter, title) of a lettered part heading in capitals ("D. TỔ CHỨC THỰC HIỆN")."""
    found = _PART.match(text)
    if (
        found
        and found.group(2).upper() == found.group(2)
        and any(c.isalpha() for c in found.group(2))
    ):
        return found.group(1), found.group(2)
    return None


# The first words of a unit's name ("Sở Tài chính", "Công an tỉnh", "Các phòng, ban …").
_UNIT_WORDS = re.compile(
    r"^(?:so|phong|van phong|cong an|uy ban|ubnd|ubmttq|ban|mat tran|hoi|doan|trung tam|"
    r"truong|tram|buu dien|bo|tong cuc|cuc|chi cuc|vu|dang uy|thu truong|chu tich|"
    r"cac (?:so|phong|bo|co quan|don vi|xa|phuong|huyen|quan|to chuc|doanh nghiep|ban|"
    r"hoi|doan|truong|tram|vu|cuc))\b"
)


def names_unit(title: str) -> bool:
    """A heading that is a unit's name ("Sở Y tế", "Thủ trưởng các sở, ban, ngành tỉnh;
    Chủ tịch UBND các xã, phường"), or a unit and its duty after a colon ("Sở Tư pháp: …")."""
    head = title.split(":", 1)[0].strip().rstrip(";.")
    return len(head.split()) <= _UNIT_HEADING_WORDS and bool(_UNIT_WORDS.match(fold(head)))


def _only_a_unit(title: str) -> bool:
    """The heading is the unit's name alone: the lines under it are its duties."""
    return ":" not in title.rstrip(":") and names_unit(title) and not title.endswith(".")


@dataclass
class _State:
    """Where the reader is: the section, its group and the items still open."""

    section: str | None = None
    numeral: str = ""  # the section's Roman numeral
    group: str = ""
    numbered: Item | None = None  # the open numbered task or duty
    lettered: Item | None = None  # the open lettered item under it (or under the group)
    bullets: list[Item] = field(default_factory=list)  # open bullets, outermost first
    last: Item | None = None  # the item the next plain line may continue
    group_letters: dict[str, int] = field(default_factory=dict)
    headed: bool = False  # a section or part heading has been read
    part: bool = False  # in a task section opened by a lettered part: Roman groups in it

    def enter(self, section: str | None, numeral: str = "", part: bool = False) -> None:
        self.section, self.numeral, self.group = section, numeral, ""
        self.numbered = self.lettered = self.last = None
        self.bullets = []
        self.headed = True
        self.part = part

    def structural(self) -> Item | None:
        return self.lettered or self.numbered


def parse_body(lines: list[str]) -> tuple[list[Item], dict[str, str]]:
    """(items in order, group id → title) of the plan's task and duties sections."""
    items: list[Item] = []
    groups: dict[str, str] = {}
    state = _State()

    def add(item: Item) -> Item:
        items.append(item)
        state.last = item
        return item

    def group_task(text: str, line: int, own: str | None = None) -> Item:
        """A task directly under the open group, lettered in order or by the plan (a
        paragraph lettered in order gives way to the plan's own "a)": it becomes "a0")."""
        group = state.group
        if own is None:
            taken = {i.task_id for i in items}
            while True:  # the next letter the plan's own "a)", "b)" have not taken
                own = letter(state.group_letters.get(group, 0))
                state.group_letters[group] = state.group_letters.get(group, 0) + 1
                if f"{group}.{own}" not in taken:
                    break
            return Item(f"{group}.{own}", group, "task", group, line, [text], auto=True)
        _make_room(items, f"{group}.{own}")
        return Item(f"{group}.{own}", group, "task", group, line, [text])

    def child(parent: Item, text: str, line: int, own: str | None = None, marker="") -> Item:
        if own is None:
            own = letter(parent.letters)
            parent.letters += 1
        kind = "activity"
        return Item(f"{parent.task_id}.{own}", parent.task_id, kind, state.group, line, [text],
                    marker=marker)  # fmt: skip

    def open_group(group: str, title: str) -> None:
        state.group = group
        groups.setdefault(group, title)
        state.numbered = state.lettered = state.last = None
        state.bullets = []

    paragraph: list[str] = []  # the lines of the paragraph so far (a lead-in may wrap)
    for number, raw in enumerate(lines, 1):
        line = SPACES.sub(" ", raw).strip()
        if not line:
            paragraph = []
        if not line or FOOTNOTE_LINE.match(line):
            continue
        text = clean_text(_ESCAPED.sub(r"\1", line))
        paragraph = [*paragraph[-4:], text]
        if not any(c.isalpha() for c in text):
            continue  # a page number, an ellipsis "[…]" marking a cut
        part = _part(text)
        if part:
            letter_, title = part
            kind = section_kind(title)
            state.enter(kind, letter_, part=kind == "tasks")
            if kind == "duties":
                state.group = letter_
                groups[state.group] = title
            continue
        heading = _section(text)
        if heading and state.part and section_kind(heading[1]) is None:
            open_group(heading[0], heading[1])  # "Mục I. CÔNG TÁC …" inside part B
            continue
        if heading:
            numeral, title = heading
            kind = section_kind(title)
            state.enter(kind, numeral)
            if kind == "duties":
                state.group = numeral
                groups[state.group] = title
            continue
        if (
            state.section is None
            and not state.headed
            and text.endswith(":")
            and _LEAD_IN.search(fold(" ".join(paragraph)))
        ):
            state.enter("tasks", UNNUMBERED)  # a directive's "… các nhiệm vụ sau:"
            continue
        if _APPENDIX.match(fold(text.lstrip("# "))):
            state.enter(None)
            continue
        if state.section is None:
            continue
        if state.section == "duties" and text.startswith("#"):
            # "## Sở Thông tin và Truyền thông": a unit named by a Markdown heading.
            unit = _MARKDOWN_HEADING.match(text)
            if unit is not None:
                state.numbered = add(_duty(state, items, unit.group(2), number))
                state.numbered.heading = True
                state.lettered, state.bullets = None, []
                continue
        if text.startswith("#"):
            text = _MARKDOWN_HEADING.sub(
                lambda m: f"{m.group(1)}. {m.group(2)}" if m.group(1) else m.group(2), text
            )
        if state.section == "duties" and (_CLOSING.match(text) or text.endswith("./.")):
            state.enter(None)
            continue
        if state.section == "tasks":
            found = _SUBNUMBERED.match(text)
            if found and state.numbered is not None:
                task_id = ".".join(found.group(1, 2, 3))
                parent = state.numbered
                state.lettered, state.bullets = None, []
                state.lettered = add(Item(task_id, parent.task_id, "activity", state.group,
                                          number, [found.group(4)]))  # fmt: skip
                continue
            found = _NUMBERED.match(text)
            if found:
                if found.group(1) != state.group:
                    state.group = found.group(1)
                    groups.setdefault(state.group, "")
                task_id = f"{found.group(1)}.{found.group(2)}"
                state.lettered, state.bullets = None, []
                state.numbered = add(Item(task_id, state.group, "task", state.group, number,
                                          [found.group(3)]))  # fmt: skip
                continue
            found = _GROUP.match(text)
            if found and state.part and state.group and not state.group.isdigit():
                # "1. Nội dung, biện pháp" under the Roman group "I" of a lettered part
                task_id = f"{state.group}.{found.group(1)}"
                state.lettered, state.bullets = None, []
                state.numbered = add(Item(task_id, state.group, "task", state.group, number,
                                          [found.group(2)]))  # fmt: skip
                continue
            if found and names_unit(found.group(2)):
                # "1. Công an tỉnh" in "III. PHÂN CÔNG NHIỆM VỤ": a unit and its duties
                state.group = state.numeral
                groups.setdefault(state.group, "")
                state.numbered = add(_numbered_duty(state, found.group(1), found.group(2),
                                                    number))  # fmt: skip
                state.lettered, state.bullets = None, []
                continue
            if found:
                open_group(found.group(1), found.group(2))
                continue
        else:
            found = _NUMBERED.match(text)
            if (
                found
                and state.numbered is not None
                and state.numbered.task_id == (f"{state.numeral}.{found.group(1)}")
            ):
                # "1.1. Ủy ban nhân dân Thành phố:" under "1. Đối với Ủy ban nhân dân các cấp":
                # the "1." heads a group of duties.
                head = state.numbered
                items.remove(head)
                groups[head.task_id] = " ".join(head.parts)
                state.group = head.task_id
            if found and state.group == f"{state.numeral}.{found.group(1)}":
                task_id = f"{state.group}.{found.group(2)}"
                state.lettered, state.bullets = None, []
                state.numbered = add(Item(task_id, state.group, "duty", state.group, number,
                                          [found.group(3)]))  # fmt: skip
                state.numbered.heading = _only_a_unit(found.group(3))
                continue
            found = _GROUP.match(text)
            if found:
                state.group = state.numeral
                state.numbered = add(_numbered_duty(state, found.group(1), found.group(2),
                                                    number))  # fmt: skip
                state.lettered, state.bullets = None, []
                continue
        found = _LETTERED.match(text)
        if found:
            own, body = found.group(1), found.group(2)
            state.bullets = []
            if state.section == "duties" and (state.numbered is None or _names_unit(body)):
                state.numbered = add(_duty(state, items, body, number))
                state.lettered = None
            elif state.numbered is not None:
                state.lettered = add(child(state.numbered, body, number, own))
            elif state.section == "duties":
                state.numbered = add(_duty(state, items, body, number))
                state.lettered = None
            else:
                state.group = state.group or state.numeral
                groups.setdefault(state.group, "")
                state.lettered = add(group_task(body, number, own))
            continue
        bullet = BULLET.match(text)
        if bullet:
            marker = _MARKER.match(text).group(1).replace("–", "-").replace("—", "-")
            while state.bullets and state.bullets[-1].marker != marker:
                if any(b.marker == marker for b in state.bullets):
                    state.bullets.pop()  # back to the level written with this marker
                else:
                    break
            if state.bullets and state.bullets[-1].marker == marker:
                state.bullets.pop()
            owner = state.bullets[-1] if state.bullets else state.structural()
            if owner is not None:
                item = add(child(owner, bullet.group(1), number, marker=marker))
            elif state.section == "tasks":
                state.group = state.group or state.numeral
                groups.setdefault(state.group, "")
                item = add(group_task(bullet.group(1), number))
                item.marker = marker
            else:
                continue  # a bullet of the duties section before any duty
            state.bullets.append(item)
            continue
        last = state.last
        if last is None and state.group in groups and text[0].islower() and groups[state.group]:
            groups[state.group] += " " + text  # a group's title wrapped onto the next line
            continue
        heading = state.numbered if state.numbered is not None and state.numbered.heading else None
        announced = last is not None and last.parts[-1].rstrip().endswith(":")
        if last is not None and (
            text[0].islower() or (last.ends_open() and not last.heading) or (
                announced and not last.heading and last.kind != "duty")
        ):  # fmt: skip
            # a sentence split by a page break, or what an item's colon announced
            last.parts.append(text)
        elif heading is not None and state.lettered is None and not state.bullets:
            add(child(heading, text, number))  # a paragraph under a unit heading: its duty
        elif state.section == "duties" and _is_unit_heading(text):
            state.numbered = add(_duty(state, items, text, number))
            state.numbered.heading = True
            state.lettered, state.bullets = None, []
        elif state.numbered is not None and not state.bullets and state.lettered is None:
            state.numbered.parts.append(text)  # the numbered item's body paragraph
            state.last = state.numbered
        elif state.structural() is not None and state.bullets:
            state.structural().parts.append(text)  # a paragraph after the item's bullets
            state.last = state.structural()
        elif state.group and state.section == "tasks" and state.numbered is None:
            state.lettered = None
            state.bullets = []
            add(group_task(text, number))
        elif state.structural() is not None:
            state.structural().parts.append(text)
            state.last = state.structural()
    return items, groups


def _numbered_duty(state: _State, own: str, text: str, line: int) -> Item:
    """Duty "1. Sở Y tế" of the section: a unit's name alone heads the lines under it."""
    item = Item(f"{state.numeral}.{own}", state.numeral, "duty", state.group, line, [text])
    item.heading = _only_a_unit(text)
    return item


def _make_room(items: list[Item], task_id: str) -> None:
    """The plan's own "a)" takes its id from a paragraph lettered in order before it."""
    for item in items:
        if item.task_id == task_id and item.auto:
            old, new = item.task_id, item.task_id + "0"
            for other in items:
                if other.task_id == old or other.task_id.startswith(old + "."):
                    other.task_id = new + other.task_id[len(old) :]
                if other.parent_id == old or other.parent_id.startswith(old + "."):
                    other.parent_id = new + other.parent_id[len(old) :]


def _duty(state: _State, items: list[Item], text: str, line: int) -> Item:
    """A duty named by a unit heading: numbered after the section's duties so far."""
    count = sum(1 for i in items if i.kind == "duty" and i.parent_id == state.numeral)
    taken = {i.task_id for i in items}
    n = count + 1
    while f"{state.numeral}.{n}" in taken:
        n += 1
    return Item(f"{state.numeral}.{n}", state.numeral, "duty", state.group, line, [text])


def _names_unit(text: str) -> bool:
    """A duty item that opens with a unit and a colon ("Công an phường: hướng dẫn …")."""
    head = text.split(":", 1)[0]
    return ":" in text and _is_unit_heading(head + ":")


def _is_unit_heading(text: str) -> bool:
    """A short line naming a unit and ending with ":" ("Sở Tài chính:")."""
    return (
        text.endswith(":")
        and len(text.split()) <= _UNIT_HEADING_WORDS
        and bool(_UNIT_HEADING.match(text))
    )
