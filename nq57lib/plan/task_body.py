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

Freeze 3: an article "Điều 8. Tổ chức thực hiện" is a section (duties Đ8.1 …); "a) Bộ Xây
dựng:" under "1. Trách nhiệm của các Bộ …" makes the "1." a group of duties; an appendix
in prose whose title names tasks ("NHIỆM VỤ CỤ THỂ GIAO CÁC BỘ …") is a task section PL
(one that turns out a table, "STT" …, is left to task_table); a gazette's page header
("CÔNG BÁO/Số …") is skipped; a label alone on its line ("1.4.") takes the next line as its
text; a crawler's line ending in a section heading (". II. NỘI DUNG HOẠT ĐỘNG") opens it.

Freeze 5: a line that states a field of the open task ("- Đơn vị chủ trì: …", "- Thời gian
thực hiện: …", "Sản phẩm: …", :func:`~nq57lib.plan.task_lines.task_field`) is that task's
lead, support units, deadline or product (``Item.fields``), not an item; its value may wrap
onto lines starting in lower case. Under a group's own bullets it has no task and stays one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nq57lib.core.textnorm import fold
from nq57lib.plan.task_lines import (
    APPENDIX,
    APPENDIX_LINE,
    ARTICLE,
    BARE_LABEL,
    CLOSING,
    ESCAPED,
    GROUP,
    LEAD_IN,
    LETTERED,
    MARKDOWN_HEADING,
    MARKER,
    NUMBERED,
    PAGE_HEADER,
    SUBNUMBERED,
    TRAILING_LABEL,
    TRAILING_SECTION,
    UNNUMBERED,
    Item,
    is_unit_heading,
    letter,
    make_room,
    names_unit,
    names_unit_colon,
    only_a_unit,
    part_heading,
    section_heading,
    section_kind,
    task_field,
)
from nq57lib.plan.text import (
    BULLET,
    FOOTNOTE_LINE,
    SPACES,
    clean_text,
)


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
    field: tuple[Item, str] | None = None  # the field line just read (its item, its role)

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

    ids: set[str] = set()  # the ids given so far (kept as items come and go)

    def add(item: Item) -> Item:
        items.append(item)
        ids.add(item.task_id)
        state.last = item
        return item

    def free(prefix: str, count: int) -> tuple[str, int]:
        """The next letter after ``count`` under ``prefix`` that the plan's own "a)", "b)"
        have not taken, and the count after it."""
        while f"{prefix}.{letter(count)}" in ids:
            count += 1
        return letter(count), count + 1

    def own_letter(task_id: str) -> None:
        """The plan's own letter takes its id from an item lettered in order before it."""
        if task_id in ids and make_room(items, task_id):
            ids.clear()
            ids.update(i.task_id for i in items)

    def group_task(text: str, line: int, own: str | None = None) -> Item:
        """A task directly under the open group, lettered in order or by the plan (a
        paragraph lettered in order gives way to the plan's own "a)": it becomes "a0")."""
        group = state.group
        if own is None:
            own, state.group_letters[group] = free(group, state.group_letters.get(group, 0))
            return Item(f"{group}.{own}", group, "task", group, line, [text], auto=True)
        own_letter(f"{group}.{own}")
        return Item(f"{group}.{own}", group, "task", group, line, [text])

    def child(parent: Item, text: str, line: int, own: str | None = None, marker="") -> Item:
        auto = own is None
        if auto:
            own, parent.letters = free(parent.task_id, parent.letters)
        else:
            own_letter(f"{parent.task_id}.{own}")
        return Item(f"{parent.task_id}.{own}", parent.task_id, "activity", state.group, line,
                    [text], marker=marker, auto=auto)  # fmt: skip

    def open_group(group: str, title: str) -> None:
        state.group = group
        groups.setdefault(group, title)
        state.numbered = state.lettered = state.last = None
        state.bullets = []

    paragraph: list[str] = []  # the lines of the paragraph so far (a lead-in may wrap)
    pending = ""  # a label whose text is on the next line
    appendix = False  # just past a "PHỤ LỤC" line
    for number, raw in enumerate(lines, 1):
        line = SPACES.sub(" ", raw).strip()
        if not line:
            paragraph = []
        if not line or FOOTNOTE_LINE.match(line):
            continue
        text = clean_text(ESCAPED.sub(r"\1", line))
        if pending:
            text, pending = f"{pending} {text}", ""
        if BARE_LABEL.match(text):
            pending = text  # "1.4." alone: its text is on the next line
            continue
        trailing = TRAILING_LABEL.match(text)
        if trailing and state.section == "tasks":
            text, pending = trailing.group(1), trailing.group(2)
        paragraph = [*paragraph[-4:], text]
        if not any(c.isalpha() for c in text) or PAGE_HEADER.match(text):
            continue  # a page number, an ellipsis "[…]" marking a cut, a gazette's header
        open_field, state.field = state.field, None
        if text.startswith(("|", "<")):
            continue  # a table: the plan's assignment tables are read by task_table
        if state.numeral == APPENDIX and fold(text) in ("stt", "tt"):
            state.enter(None)  # the appendix is a table after all (its cells one per line)
            continue
        article = ARTICLE.match(text)
        if article and section_kind(article.group(2)) is not None:
            text = f"Đ{article.group(1)}. {article.group(2).upper()}"
        joined = TRAILING_SECTION.search(text)
        if joined and joined.group(2).upper() == joined.group(2) and section_kind(joined.group(2)):
            text = f"{joined.group(1)}. {joined.group(2)}"
        part = part_heading(text)
        if part:
            letter_, title = part
            kind = section_kind(title)
            state.enter(kind, letter_, part=kind == "tasks")
            if kind == "duties":
                state.group = letter_
                groups[state.group] = title
            continue
        heading = section_heading(text)
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
            and LEAD_IN.search(fold(" ".join(paragraph)))
        ):
            state.enter("tasks", UNNUMBERED)  # a directive's "… các nhiệm vụ sau:"
            continue
        if APPENDIX_LINE.match(fold(text.lstrip("# "))):
            state.enter(None)
            appendix = True  # its title, on the next lines, may name tasks
            continue
        if appendix and state.section is None and text.upper() == text:
            if section_kind(text) == "tasks":
                state.enter("tasks", APPENDIX)  # "NHIỆM VỤ CỤ THỂ GIAO CÁC BỘ …" in prose
                groups[APPENDIX] = text
                appendix = False
            continue
        appendix = False
        if state.section is None:
            continue
        if state.section == "duties" and text.startswith("#"):
            # "## Sở Thông tin và Truyền thông": a unit named by a Markdown heading.
            unit = MARKDOWN_HEADING.match(text)
            if unit is not None:
                state.numbered = add(_duty(state, items, unit.group(2), number))
                state.numbered.heading = True
                state.lettered, state.bullets = None, []
                continue
        if text.startswith("#"):
            text = MARKDOWN_HEADING.sub(
                lambda m: f"{m.group(1)}. {m.group(2)}" if m.group(1) else m.group(2), text
            )
        if state.section == "duties" and (CLOSING.match(text) or text.endswith("./.")):
            state.enter(None)
            continue
        if state.section == "tasks":
            found = SUBNUMBERED.match(text)
            if found and state.numbered is not None:
                task_id = ".".join(found.group(1, 2, 3))
                parent = state.numbered
                state.lettered, state.bullets = None, []
                state.lettered = add(Item(task_id, parent.task_id, "activity", state.group,
                                          number, [found.group(4)]))  # fmt: skip
                continue
            found = NUMBERED.match(text)
            if found:
                if found.group(1) != state.group:
                    state.group = found.group(1)
                    groups.setdefault(state.group, "")
                task_id = f"{found.group(1)}.{found.group(2)}"
                state.lettered, state.bullets = None, []
                state.numbered = add(Item(task_id, state.group, "task", state.group, number,
                                          [found.group(3)]))  # fmt: skip
                continue
            found = GROUP.match(text)
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
            found = NUMBERED.match(text)
            if (
                found
                and state.numbered is not None
                and state.numbered.task_id == (f"{state.numeral}.{found.group(1)}")
            ):
                # "1.1. Ủy ban nhân dân Thành phố:" under "1. Đối với Ủy ban nhân dân các cấp":
                # the "1." heads a group of duties.
                head = state.numbered
                items.remove(head)
                ids.discard(head.task_id)
                groups[head.task_id] = " ".join(head.parts)
                state.group = head.task_id
            if found and state.group == f"{state.numeral}.{found.group(1)}":
                task_id = f"{state.group}.{found.group(2)}"
                state.lettered, state.bullets = None, []
                state.numbered = add(Item(task_id, state.group, "duty", state.group, number,
                                          [found.group(3)]))  # fmt: skip
                state.numbered.heading = only_a_unit(found.group(3))
                continue
            found = GROUP.match(text)
            if found:
                state.group = state.numeral
                state.numbered = add(_numbered_duty(state, found.group(1), found.group(2),
                                                    number))  # fmt: skip
                state.lettered, state.bullets = None, []
                continue
        stated = task_field(text)
        if stated is not None and _state_field(state, text, stated, number):
            continue
        found = LETTERED.match(text)
        if found:
            own, body = found.group(1), found.group(2)
            state.bullets = []
            head = state.numbered
            if (
                state.section == "duties"
                and head is not None
                and head.kind == "duty"
                and only_a_unit(body)
                and not names_unit(" ".join(head.parts))
                and not any(i.parent_id == head.task_id for i in items)
            ):
                # "a) Bộ Xây dựng:" under "1. Trách nhiệm của các Bộ, ngành Trung ương": the
                # "1." heads a group of duties, each unit a duty of it.
                items.remove(head)
                ids.discard(head.task_id)
                groups[head.task_id] = " ".join(head.parts)
                state.group = head.task_id
                state.numbered = add(Item(f"{head.task_id}.{own}", head.task_id, "duty",
                                          state.group, number, [body], heading=True))  # fmt: skip
                state.lettered = None
                continue
            if (
                head is not None
                and head.kind == "duty"
                and head.parent_id in groups
                and (head.parent_id != state.numeral and only_a_unit(body))
            ):
                # the next unit of that group
                state.numbered = add(Item(f"{head.parent_id}.{own}", head.parent_id, "duty",
                                          state.group, number, [body], heading=True))  # fmt: skip
                state.lettered = None
                continue
            if state.section == "duties" and (state.numbered is None or names_unit_colon(body)):
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
            marker = MARKER.match(text).group(1).replace("–", "-").replace("—", "-")
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
        if open_field is not None and text[0].islower():
            owner, role = open_field  # a field's value wrapped onto the next line
            value, at = owner.fields[role]
            owner.fields[role] = (f"{value} {text}".rstrip(".;").strip(), at)
            state.field = open_field
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
        elif state.section == "duties" and is_unit_heading(text):
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


def _state_field(state: _State, text: str, stated: tuple[str, str], line: int) -> bool:
    """Record a line that states a field of the open task ("- Đơn vị chủ trì: Bộ Công
    an."): the task's lead, support units, deadline or product, not an item of its own.
    False when no task or activity is open to take it."""
    marker = MARKER.match(text)
    sign = marker.group(1).replace("–", "-").replace("—", "-") if marker else ""
    siblings = False
    while sign and state.bullets and state.bullets[-1].marker == sign:
        # A bullet of the same marker as the open ones is their sibling: the field is of
        # the item those bullets belong to (none when they are the group's own tasks:
        # "- Địa điểm: …", "- Thời gian: …" under "1. Tổ chức tiếp công dân").
        state.bullets.pop()
        siblings = True
    owner = state.bullets[-1] if state.bullets else state.structural()
    if owner is None and not siblings and state.last is not None and state.last.marker != sign:
        owner = state.last  # a paragraph task under the group (no structural item)
    if owner is None or owner.kind not in ("task", "activity"):
        return False
    role, value = stated
    if role in owner.fields:  # stated twice ("Kết quả" and "Sản phẩm"): both kept
        value = f"{owner.fields[role][0]}; {value}"
        line = owner.fields[role][1]
    owner.fields[role] = (value, line)
    state.field = (owner, role)
    return True


def _numbered_duty(state: _State, own: str, text: str, line: int) -> Item:
    """Duty "1. Sở Y tế" of the section: a unit's name alone heads the lines under it."""
    item = Item(f"{state.numeral}.{own}", state.numeral, "duty", state.group, line, [text])
    item.heading = only_a_unit(text)
    return item


def _duty(state: _State, items: list[Item], text: str, line: int) -> Item:
    """A duty named by a unit heading: numbered after the section's duties so far."""
    count = sum(1 for i in items if i.kind == "duty" and i.parent_id == state.numeral)
    taken = {i.task_id for i in items}
    n = count + 1
    while f"{state.numeral}.{n}" in taken:
        n += 1
    return Item(f"{state.numeral}.{n}", state.numeral, "duty", state.group, line, [text])
