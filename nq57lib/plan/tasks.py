"""The plan's task catalogue: the tasks of its body and of its own assignment tables.

The body's tasks, activities and duties are read by :mod:`nq57lib.plan.task_body`, the
rows of its assignment tables ("PHỤ LỤC … DANH MỤC NHIỆM VỤ") by
:mod:`nq57lib.plan.task_table`. A table row that restates a task of the body (the same
text, or the body task's opening words, or one clearly closest, :mod:`nq57lib.core.fuzzy`)
gives that task its lead unit, support units, deadline and product and names itself in
``plan_ref``; a row that restates none is a task of its own (``PL1.3``), under its
table's group. Ids follow the plan's numbering, so they are what a ward office writes in
its assignment register ("Mã nhiệm vụ").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from nq57lib.core.atomic import write_csv_atomic
from nq57lib.core.errors import NoTasksError, Nq57Error, PlanParseError
from nq57lib.core.fuzzy import choose, similarity
from nq57lib.core.recent import Recent, content_digest
from nq57lib.core.textnorm import fold
from nq57lib.core.vocab import TASK_KIND_LABELS_VI
from nq57lib.core.workbooks import write_table_workbook
from nq57lib.plan.task_body import Item, parse_body
from nq57lib.plan.task_table import TableTask, read_deadline, table_tasks
from nq57lib.plan.text import clean_text, read_plan_lines

TASK_COLUMNS = ("task_id", "parent_id", "kind", "group", "text", "source_line")
# What the plan itself says of who does a task and by when (its assignment tables).
PLAN_ASSIGNMENT_COLUMNS = (
    "lead_text",
    "support_text",
    "deadline_text",
    "deadline",
    "recurring",
    "product",
    "plan_ref",
    "plan_line",  # the line of the table row (the assignment's provenance)
)
CATALOGUE_COLUMNS = (*TASK_COLUMNS, *PLAN_ASSIGNMENT_COLUMNS)
KINDS = ("task", "activity", "duty")
_LINK_PREFIX_WORDS = 5
_COMPARED_CHARS = 160


def parse_tasks(path: Path | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(tasks, groups) of the plan: one row per task, activity, duty and table task; one
    per group (``group_id, title``; the duties' group is the section's numeral)."""
    path = Path(path)
    # Each period's cleaning, comparison and export asks again: parsed once per content.
    key = (path.resolve(), content_digest(path))
    kept = _PARSED.get(key) if key[1] is not None else None
    if kept is None:
        kept = _parse_tasks(path)
        if key[1] is not None:
            _PARSED.put(key, kept)
    return kept[0].copy(), kept[1].copy()


_PARSED: Recent[tuple[pd.DataFrame, pd.DataFrame]] = Recent(4)


def _parse_tasks(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    lines = read_plan_lines(path)
    items, groups = parse_body(lines)
    rows = table_tasks(lines)
    if not items and not rows:
        raise NoTasksError(
            path,
            "no tasks found (a heading such as 'IV. NHIỆM VỤ VÀ GIẢI PHÁP', 'III. GIẢI PHÁP' "
            "followed by numbered tasks '1.1. …', lettered items 'a) …' or bullets; or a table "
            "of tasks with the columns 'Nhiệm vụ', 'Cơ quan chủ trì', 'Thời gian hoàn thành')",
        )
    _check_unique(items, path)
    tasks = _body_frame(items, groups)
    tasks = _with_tables(tasks, rows, groups)
    frame = pd.DataFrame(
        [{"group_id": g, "title": t} for g, t in groups.items()], columns=["group_id", "title"]
    )
    return tasks, frame


def _check_unique(items: list[Item], path: Path) -> None:
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


def _body_frame(items: list[Item], groups: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "task_id": item.task_id,
                "parent_id": item.parent_id,
                "kind": item.kind,
                "group": groups.get(item.group, ""),
                "text": clean_text(" ".join(item.parts)),
                "source_line": item.line,
                **_stated(item),
            }
            for item in items
        ],
        columns=list(CATALOGUE_COLUMNS),
    ).astype({"source_line": "int64"})


def _stated(item: Item) -> dict[str, str]:
    """What the plan's body states of a task on lines of its own ("- Đơn vị chủ trì: …",
    "- Thời gian thực hiện: …"), in the columns an assignment table fills; the deadline
    read as a day where it is one (kept as written when it is not)."""
    values = dict.fromkeys(PLAN_ASSIGNMENT_COLUMNS, "")
    if not item.fields:
        return values
    for role, column in (("lead", "lead_text"), ("support", "support_text"),
                         ("deadline", "deadline_text"), ("product", "product")):  # fmt: skip
        if role in item.fields:
            values[column] = clean_text(item.fields[role][0])
    if values["deadline_text"]:
        values["deadline"], values["recurring"], _ = read_deadline(values["deadline_text"])
    values["plan_line"] = str(min(line for _, line in item.fields.values()))
    return values


def restated_task(text: str, body: dict[str, str]) -> str | None:
    """The body task (id → folded text) a table row's text restates, or None."""
    key = fold(text)
    if not key:
        return None
    exact = [t for t, x in body.items() if x == key]
    if len(exact) == 1:
        return exact[0]
    if len(key.split()) >= _LINK_PREFIX_WORDS:
        starts = [t for t, x in body.items() if x.startswith(key) or key.startswith(x)]
        if len(starts) == 1:
            return starts[0]
    width = max(len(key), _COMPARED_CHARS)
    choice = choose(key[:_COMPARED_CHARS], ((t, x[:width]) for t, x in body.items()), similarity)
    return choice.key


def _with_tables(tasks: pd.DataFrame, rows: list[TableTask], groups: dict) -> pd.DataFrame:
    """The body's tasks with what the tables say of them, then the tables' own tasks."""
    if not rows:
        return tasks
    tasks = tasks.copy()
    body = {
        t: fold(x)
        for t, x, k in zip(tasks["task_id"], tasks["text"], tasks["kind"], strict=True)
        if k in ("task", "activity")
    }
    position = {t: i for i, t in enumerate(tasks["task_id"])}
    own = []
    placed: dict[str, str] = {}  # a table row's id → its task's id in the catalogue
    for row in rows:
        values = {
            "lead_text": row.lead,
            "support_text": row.support,
            "deadline_text": row.deadline_text,
            "deadline": row.deadline,
            "recurring": row.recurring,
            "product": row.product,
            "plan_ref": row.task_id,
            "plan_line": str(row.line),
        }
        linked = restated_task(row.text, body)
        if linked is not None and not tasks.at[position[linked], "plan_ref"]:
            for column, value in values.items():
                tasks.at[position[linked], column] = value
            placed[row.task_id] = linked
            continue
        groups.setdefault(row.group_id, row.group)
        placed[row.task_id] = row.task_id
        own.append(
            {
                "task_id": row.task_id,
                # a sub-row ("-" under a row) is an activity of its row's task
                "parent_id": placed.get(row.parent, row.parent) if row.parent else row.group_id,
                "kind": "activity" if row.parent else "task",
                "group": row.group,
                "text": clean_text(row.text),
                "source_line": row.line,
                **values,
            }
        )
    if not own:
        return tasks
    extra = pd.DataFrame(own, columns=list(CATALOGUE_COLUMNS)).astype({"source_line": "int64"})
    return pd.concat([tasks, extra], ignore_index=True) if len(tasks) else extra


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

_XLSX_HEADERS = (
    "Mã nhiệm vụ",
    "Mã cấp trên",
    "Loại",
    "Nhóm",
    "Nội dung",
    "Dòng trong kế hoạch",
    "Đơn vị chủ trì (kế hoạch ghi)",
    "Đơn vị phối hợp (kế hoạch ghi)",
    "Thời hạn (kế hoạch ghi)",
    "Hạn (ngày)",
    "Sản phẩm",
    "Mục trong phụ lục",
)
_XLSX_WIDTHS = [12, 10, 16, 40, 100, 10, 30, 30, 20, 12, 30, 12]


def _shown_day(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if iso else ""


def write_tasks(catalogue: TaskCatalogue, out: Path | str) -> Path:
    """Write the task catalogue as ``.csv`` (the columns of CATALOGUE_COLUMNS) or ``.xlsx``."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise Nq57Error(f"Cannot write {out}: choose a .csv or .xlsx file name")
    if suffix == ".csv":
        return write_csv_atomic(catalogue.tasks[list(CATALOGUE_COLUMNS)], out)
    rows = [
        [
            r.task_id,
            r.parent_id,
            TASK_KIND_LABELS_VI[r.kind],
            r.group,
            r.text,
            int(r.source_line),
            r.lead_text,
            r.support_text,
            r.deadline_text,
            _shown_day(r.deadline),
            r.product,
            r.plan_ref,
        ]
        for r in catalogue.tasks.itertuples(index=False)
    ]
    counts = catalogue.tasks.groupby(["group", "kind"], sort=False).size().unstack(fill_value=0)
    summary = [
        [group, *(int(counts.loc[group].get(kind, 0)) for kind in KINDS)] for group in counts.index
    ]
    sheets = {
        "Nhiệm vụ": (list(_XLSX_HEADERS), rows, _XLSX_WIDTHS),
        "Tổng hợp": (["Nhóm", *(TASK_KIND_LABELS_VI[k] for k in KINDS)], summary, [70, 12, 12, 18]),
    }
    return write_table_workbook(sheets, out)
