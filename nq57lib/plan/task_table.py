"""Tasks in the plan's own assignment tables ("PHỤ LỤC: DANH MỤC NHIỆM VỤ").

Most plans end with a table of tasks: STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp |
Thời gian hoàn thành | Sản phẩm. It reaches this module as Markdown pipe rows (a .docx
table through :mod:`nq57lib.plan.documents`, a legal-database export of one cell per line
rebuilt by :mod:`nq57lib.plan.exported`). A table is one of tasks when it names a lead unit
and a deadline and no target (:func:`nq57lib.plan.tables.is_task_table`).

- a row numbered "I", "II" (or "A", "B"), or a row with a text and no unit, deadline or
  product, is a group: its text titles the rows under it;
- a row with a text and nothing else whose number heads the rows under it ("1", then
  "1.1", "1.2") is a group too;
- a row numbered "-" (or "+") under a task row is a sub-row: an activity of that row, its
  id the row's and a letter (``PL1.4.a``);
- every other row with a text is a task of the table. Its id is ``PL<k>.<STT>`` (k: the
  task table's order in the plan) when the table numbers its rows once, ``PL<k>.<group>.<STT>``
  when the numbering restarts in each group, and ``PL<k>.<n>`` (its order) for a row without
  a number;
- a deadline is kept as written and, where it is a date or a period, as the day it falls
  on (:mod:`nq57lib.core.deadlines`); one that cannot be read is kept as written with no
  date, and listed by :func:`unread_deadlines` for the analyst, as is a task row with
  neither a lead unit nor a deadline in a table that has both columns (its cells may not
  have been told apart, :mod:`nq57lib.plan.pdf_table`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from nq57lib.core.deadlines import DeadlineError, parse_deadline
from nq57lib.core.textnorm import fold
from nq57lib.plan.tables import Table, cells, find_tables, is_task_table

_ROLES = (
    ("number", re.compile(r"^(?:stt|tt|so tt|so thu tu)$")),
    ("lead", re.compile(r"\bchu tri\b")),
    ("support", re.compile(r"\bphoi hop\b")),
    ("deadline", re.compile(r"^(?:thoi gian|thoi han|tien do|han)\b")),
    ("product", re.compile(r"^(?:san pham|ket qua)\b")),
    ("text", re.compile(r"\b(?:nhiem vu|noi dung|giai phap)\b")),
)
_GROUP_NUMBER = re.compile(r"^(?:[IVXLC]{1,5}|[A-Z])\.?$")
_ROW_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\.?$")
_SUB_ROW = re.compile(r"^[-+–]$")
_LETTERS = "abcdefghiklmnopqrstuvxy"
_NO_CELLS = (
    "dòng không có đơn vị chủ trì và thời hạn: các ô của dòng có thể chưa được tách "
    "(bảng chép từ PDF), kiểm tra lại với văn bản gốc"
)


@dataclass(frozen=True)
class TableTask:
    """One task row of a plan's assignment table, as written."""

    task_id: str
    table: int  # the table's order among the plan's task tables (1, 2, …)
    group: str  # the title of the group row above it, "" when none
    group_id: str  # PL<k>, PL<k>.<its number> or PL<k>.N<its order> when it has none
    number: str  # its STT as written
    text: str
    lead: str
    support: str
    deadline_text: str
    deadline: str  # ISO day, "" when recurring or unread
    recurring: str
    product: str
    line: int
    deadline_problem: str = ""
    parent: str = ""  # a sub-row's row (its task_id); "" for a row of the table


def _roles(header: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for i, cell in enumerate(fold(h) for h in header):
        for role, pattern in _ROLES:
            if role not in roles and pattern.search(cell):
                roles[role] = i
                break
    return roles


def _loose_tables(lines: list[str]) -> list[Table]:
    """Tables of tasks written as "a | b | c" lines without the Markdown separator row (a
    converter's output): the header is a line of cells naming a lead unit and a deadline;
    its rows follow, blank lines between them, up to the first line without a "|"."""
    tables, n = [], 0
    while n < len(lines):
        line = lines[n].strip()
        if "|" not in line or line.startswith("|") or line.count("|") < 2:
            n += 1
            continue
        header = cells(line)
        if not is_task_table([fold(h) for h in header]):
            n += 1
            continue
        rows, m = [], n + 1
        while m < len(lines):
            text = lines[m].strip()
            if text and "|" not in text:
                break
            if text:
                rows.append((m + 1, cells(text)))
            m += 1
        tables.append(Table(n + 1, header, rows))
        n = m
    return tables


def table_tasks(lines: list[str]) -> list[TableTask]:
    """Every task row of every task table of the plan, in order."""
    found: list[TableTask] = []
    tables = [t for t in find_tables(lines) if is_task_table([fold(h) for h in t.header])]
    tables = sorted([*tables, *_loose_tables(lines)], key=lambda t: t.line)
    k = 1
    for table in tables:
        rows = _rows(table, k)
        found.extend(rows)
        k += bool(rows)  # a "table" of no rows (a comment's "|") is not counted
    return found


def _rows(table: Table, k: int) -> list[TableTask]:
    roles = _roles(table.header)
    if "text" not in roles:
        return []

    def cell(row: list[str], role: str) -> str:
        i = roles.get(role)
        return row[i].strip() if i is not None and i < len(row) else ""

    numbers = [cell(row, "number").rstrip(".") for _, row in table.rows]
    drafts, group, group_code, groups = [], "", "", 0
    for n, (line, row) in enumerate(table.rows):
        number, text = numbers[n], cell(row, "text")
        if not text:
            continue
        others = [cell(row, r) for r in ("lead", "support", "deadline", "product")]
        filled = any(others)
        # A merged group row exported with its title in every cell is a group row too.
        merged = all(c == text for c in others if c)
        heads = bool(number) and any(m.startswith(number + ".") for m in numbers[n + 1 :])
        if (
            _GROUP_NUMBER.match(number)
            or (not filled and not _ROW_NUMBER.match(number) and not _SUB_ROW.match(number))
            or (filled and merged and not _ROW_NUMBER.match(number))
            or (not filled and heads)
        ):
            groups += 1
            group, group_code = text, number or f"N{groups}"
            continue
        # "-" under a task row of the same group is its sub-row; heading a group, a task.
        sub = bool(_SUB_ROW.match(number) and drafts and drafts[-1][3] == group)
        drafts.append((line, row, number, group, group_code, text, sub))
    ids = _ids(k, drafts)
    rows: list[TableTask] = []
    letters: dict[str, int] = {}
    for task_id, (line, row, number, group, code, text, sub) in zip(ids, drafts, strict=True):
        written = cell(row, "deadline")
        day, recurring, problem = read_deadline(written)
        parent = ""
        if sub:
            parent = rows[-1].parent or rows[-1].task_id
            letters[parent] = letters.get(parent, 0) + 1
            task_id = f"{parent}.{_LETTERS[(letters[parent] - 1) % len(_LETTERS)]}"
        rows.append(
            TableTask(
                task_id,
                k,
                group,
                f"PL{k}.{code}" if code else f"PL{k}",
                number,
                text,
                cell(row, "lead"),
                cell(row, "support"),
                written,
                day,
                recurring,
                cell(row, "product"),
                line,
                problem,
                parent,
            )
        )
    return _without_cells(rows, roles)


def _without_cells(rows: list[TableTask], roles: dict[str, int]) -> list[TableTask]:
    """The rows, a task row with neither a lead unit nor a deadline (where the table has
    both) and no sub-rows under it marked as a problem for the analyst."""
    if "lead" not in roles or "deadline" not in roles:
        return rows
    parents = {r.parent for r in rows}
    return [
        replace(r, deadline_problem=_NO_CELLS)
        if not (r.lead or r.deadline_text or r.deadline_problem or r.task_id in parents)
        else r
        for r in rows
    ]


def _ids(k: int, drafts: list[tuple]) -> list[str]:
    """Row ids: the STT when the table numbers its rows once, group and STT when each group
    numbers its own; the rows' order when neither is unique."""
    own = [d for d in drafts if not d[6]]  # a sub-row takes its row's id
    numbers = [d[2] for d in own]
    if all(_ROW_NUMBER.match(n) for n in numbers) and len(set(numbers)) == len(numbers):
        found = iter(f"PL{k}.{n}" for n in numbers)
    else:
        grouped = [f"{d[4]}.{d[2]}" for d in own]
        if all(d[4] and not d[4].startswith("N") and _ROW_NUMBER.match(d[2]) for d in own) and len(
            set(grouped)
        ) == len(grouped):
            found = iter(f"PL{k}.{g}" for g in grouped)
        else:
            found = iter(f"PL{k}.{n}" for n in range(1, len(own) + 1))
    return [("" if d[6] else next(found)) for d in drafts]


def read_deadline(written: str) -> tuple[str, str, str]:
    """(ISO day, recurrence, the reason it cannot be read) of a deadline cell."""
    if not written:
        return "", "", ""
    try:
        deadline = parse_deadline(written)
    except DeadlineError as error:
        return "", "", str(error)
    return deadline.iso, deadline.recurring, ""


def unread_deadlines(rows: list[TableTask]) -> list[str]:
    """The plan's deadlines that give no day, each as the analyst would look for it."""
    return [
        f"dòng {r.line}: nhiệm vụ {r.task_id} — {r.deadline_problem}"
        for r in rows
        if r.deadline_problem
    ]
