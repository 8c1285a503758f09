"""Parse the plan's tasks (section "NHIỆM VỤ VÀ GIẢI PHÁP") and duties ("TỔ CHỨC THỰC HIỆN").

The parser reads the structure, never line numbers, so an amended copy parses the same:

- the tasks section starts at the Roman-numeral heading that names both "nhiệm vụ" and
  "giải pháp" and ends at the next Roman-numeral heading; the duties section starts at
  the Roman-numeral heading "TỔ CHỨC THỰC HIỆN" and ends at the next one, at "Nơi nhận"
  or at the closing paragraph that ends with "./.";
- in the tasks section, "2. …" opens group 2, "2.1. …" is numbered task 2.1; a bullet
  under a numbered task is an activity lettered in order (2.1.a, 2.1.b); a bullet of a
  group before any numbered task is a task lettered under the group (4.a);
- in the duties section, "1. …" is duty V.1 (the plan's own numbers: V.1, V.3, V.4 when
  the plan skips 2); a bullet under a duty is its activity (V.1.a);
- a line that is neither heading, numbered item nor bullet continues the item before it
  when that item has no final punctuation or the line starts in lower case (a page
  break), and is otherwise the body paragraph of the open numbered task or duty;
- footnote lines are skipped; nothing from sections I–III becomes a task.

Ids follow the plan's numbering, so they are what a ward office writes in its assignment
register ("Mã nhiệm vụ").
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nq57lib.core.atomic import write_csv_atomic
from nq57lib.core.errors import NoTasksError, Nq57Error, PlanParseError
from nq57lib.core.textnorm import fold
from nq57lib.core.vocab import TASK_KIND_LABELS_VI
from nq57lib.core.workbooks import write_table_workbook
from nq57lib.plan.text import (
    BULLET,
    FINAL_PUNCTUATION,
    FOOTNOTE_LINE,
    ROMAN_HEADING,
    SPACES,
    clean_text,
    read_plan_lines,
)

TASK_COLUMNS = ("task_id", "parent_id", "kind", "group", "text", "source_line")
KINDS = ("task", "activity", "duty")
DUTIES_GROUP = "V"

_GROUP = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
_NUMBERED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?\s+(\S.*)$")
_CLOSING = re.compile(r"^(?:nơi nhận|tm\.|kt\.)", re.IGNORECASE)


@dataclass
class _Item:
    task_id: str
    parent_id: str
    kind: str
    group: str
    line: int
    parts: list[str] = field(default_factory=list)
    letters: int = 0  # activities lettered so far under this item

    def ends_open(self) -> bool:
        return not self.parts[-1].rstrip().endswith(FINAL_PUNCTUATION)


def _letter(n: int) -> str:
    """a, b, …, z, then aa, ab, … (a plan never needs them, but ids must stay unique)."""
    letters = string.ascii_lowercase
    return letters[n] if n < 26 else letters[n // 26 - 1] + letters[n % 26]


def _section_kind(title: str) -> str | None:
    key = fold(title)
    if "nhiem vu" in key and "giai phap" in key:
        return "tasks"
    if "to chuc thuc hien" in key:
        return "duties"
    return None


def parse_tasks(path: Path | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(tasks, groups) of the plan: one row per task, activity and duty; one per group.

    ``groups`` has ``group_id, title``; the duties' group is ``V`` with the section title.
    """
    path = Path(path)
    lines = read_plan_lines(path)
    items: list[_Item] = []
    groups: dict[str, str] = {}
    section: str | None = None
    group = ""
    numbered: _Item | None = None  # the open numbered task or duty
    last: _Item | None = None  # the item the next plain line may continue
    group_letters: dict[str, int] = {}  # tasks lettered directly under a group (4.a, 4.b)

    def group_task(text: str, line: int) -> _Item:
        task_id = f"{group}.{_letter(group_letters.get(group, 0))}"
        group_letters[group] = group_letters.get(group, 0) + 1
        return _Item(task_id, group, "task", group, line, [text])

    for number, raw in enumerate(lines, 1):
        line = SPACES.sub(" ", raw).strip()
        if not line or FOOTNOTE_LINE.match(line):
            continue
        heading = ROMAN_HEADING.match(line)
        if heading:
            section = _section_kind(heading.group(2))
            numbered = last = None
            if section == "duties":
                group = DUTIES_GROUP
                groups[group] = clean_text(heading.group(2))
            continue
        if section is None:
            continue
        text = clean_text(line)
        if section == "duties" and (_CLOSING.match(text) or text.endswith("./.")):
            section, numbered, last = None, None, None
            continue
        if section == "tasks":
            found = _NUMBERED.match(text)
            if found:
                group = found.group(1)
                task_id = f"{found.group(1)}.{found.group(2)}"
                numbered = _Item(task_id, group, "task", group, number, [found.group(3)])
                items.append(numbered)
                last = numbered
                continue
            found = _GROUP.match(text)
            if found:
                group = found.group(1)
                groups[group] = found.group(2)
                numbered = last = None
                continue
        elif _GROUP.match(text):
            found = _GROUP.match(text)
            task_id = f"{DUTIES_GROUP}.{found.group(1)}"
            numbered = _Item(task_id, DUTIES_GROUP, "duty", group, number, [found.group(2)])
            items.append(numbered)
            last = numbered
            continue
        bullet = BULLET.match(text)
        if bullet and group:
            if numbered is None:
                # A bullet of a group without a numbered task: a task of the group.
                last = group_task(bullet.group(1), number)
            else:
                task_id = f"{numbered.task_id}.{_letter(numbered.letters)}"
                numbered.letters += 1
                last = _Item(
                    task_id, numbered.task_id, "activity", group, number, [bullet.group(1)]
                )
            items.append(last)
            continue
        if last is not None and (text[0].islower() or last.ends_open()):
            last.parts.append(text)  # a sentence split by a page break
        elif numbered is not None:
            numbered.parts.append(text)  # the numbered item's body paragraph
            last = numbered
        elif group and section == "tasks":
            last = group_task(text, number)
            items.append(last)
    if not items:
        raise NoTasksError(
            path,
            "no tasks found (a heading such as 'IV. NHIỆM VỤ VÀ GIẢI PHÁP' followed by "
            "numbered tasks '1.1. …' or bullets)",
        )
    return _frames(items, groups, path)


def _frames(items: list[_Item], groups: dict[str, str], path: Path):
    problems = []
    seen: dict[str, int] = {}
    for item in items:
        if item.task_id in seen:
            problems.append(
                f"line {item.line}: number {item.task_id} is used twice "
                f"(first on line {seen[item.task_id]})"
            )
        seen.setdefault(item.task_id, item.line)
    if problems:
        raise PlanParseError(path, "; ".join(problems))
    tasks = pd.DataFrame(
        [
            {
                "task_id": item.task_id,
                "parent_id": item.parent_id,
                "kind": item.kind,
                "group": groups.get(item.group, ""),
                "text": clean_text(" ".join(item.parts)),
                "source_line": item.line,
            }
            for item in items
        ],
        columns=list(TASK_COLUMNS),
    )
    frame = pd.DataFrame(
        [{"group_id": g, "title": t} for g, t in groups.items()], columns=["group_id", "title"]
    )
    return tasks.astype({"source_line": "int64"}), frame


@dataclass(frozen=True)
class TaskCatalogue:
    """The plan's tasks, activities and duties, and the groups they belong to."""

    tasks: pd.DataFrame
    groups: pd.DataFrame
    plan_path: Path

    def text_of(self, task_id: str) -> str:
        found = self.tasks.loc[self.tasks["task_id"] == task_id, "text"]
        return str(found.iloc[0]) if len(found) else ""

    def assigned_through(self, task_id: str, assigned: set[str] | frozenset[str]) -> str | None:
        """The task whose assignment covers ``task_id``: itself if assigned, else the nearest
        assigned parent (an activity without a register row of its own follows its task)."""
        if task_id in assigned:
            return task_id
        return next((a for a in self.ancestors(task_id) if a in assigned), None)

    def ancestors(self, task_id: str) -> list[str]:
        """Parents of a task from the nearest up, groups excluded (``2.1.a`` → ``[2.1]``)."""
        parents = dict(zip(self.tasks["task_id"], self.tasks["parent_id"], strict=True))
        found, current = [], parents.get(task_id, "")
        while current in parents:
            found.append(current)
            current = parents[current]
        return found


def build_task_catalogue(plan_path: Path | str) -> TaskCatalogue:
    """The task catalogue of the plan file ``plan_path`` (a project's ``plan_path``)."""
    path = Path(plan_path)
    tasks, groups = parse_tasks(path)
    return TaskCatalogue(tasks=tasks, groups=groups, plan_path=path)


# ── exports ─────────────────────────────────────────────────────────────────

_XLSX_HEADERS = ("Mã nhiệm vụ", "Mã cấp trên", "Loại", "Nhóm", "Nội dung", "Dòng trong kế hoạch")


def write_tasks(catalogue: TaskCatalogue, out: Path | str) -> Path:
    """Write the task catalogue as ``.csv`` (the columns of TASK_COLUMNS) or ``.xlsx``."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise Nq57Error(f"Cannot write {out}: choose a .csv or .xlsx file name")
    if suffix == ".csv":
        return write_csv_atomic(catalogue.tasks[list(TASK_COLUMNS)], out)
    rows = [
        [r.task_id, r.parent_id, TASK_KIND_LABELS_VI[r.kind], r.group, r.text, int(r.source_line)]
        for r in catalogue.tasks.itertuples(index=False)
    ]
    counts = catalogue.tasks.groupby(["group", "kind"], sort=False).size().unstack(fill_value=0)
    summary = [
        [group, *(int(counts.loc[group].get(kind, 0)) for kind in KINDS)] for group in counts.index
    ]
    sheets = {
        "Nhiệm vụ": (list(_XLSX_HEADERS), rows, [12, 10, 16, 40, 100, 10]),
        "Tổng hợp": (["Nhóm", *(TASK_KIND_LABELS_VI[k] for k in KINDS)], summary, [70, 12, 12, 18]),
    }
    return write_table_workbook(sheets, out)
