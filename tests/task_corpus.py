"""Scoring the task parser against hand-annotated task sections (tests/fixtures/tasks_corpus*).

Each excerpt ``NN-slug.md`` has ``NN-slug.expected.csv`` (kind, label, parent, text, lead,
support, deadline), annotated by hand from the source: one row per group, task, activity,
duty and appendix-table row, ``text`` the item's first words, ``parent`` its parent's first
words. An annotated item (not a group) is found when a catalogue row's text starts with its
words; it is found with the right parent when that row's parent — the group's title, the
parent task's text — starts with the annotated parent's words (an item annotated without a
parent must be under a group of its own section). An appendix row is right when the
table's row for it gives the annotated lead unit and deadline, as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from nq57lib.core.errors import NoTasksError, PlanParseError
from nq57lib.core.textnorm import fold
from nq57lib.plan.task_table import table_tasks
from nq57lib.plan.tasks import parse_tasks
from nq57lib.plan.text import read_plan_lines

ITEMS = ("task", "activity", "duty", "row")


@dataclass
class TaskScore:
    expected: int = 0  # annotated items
    found: int = 0  # catalogue rows
    matched: int = 0  # annotated items found
    right_parent: int = 0  # … under the right parent
    rows: int = 0  # annotated appendix rows
    rows_right: int = 0  # … with the lead unit and deadline right
    refused: int = 0

    def __iadd__(self, other: TaskScore) -> TaskScore:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def recall(self) -> float:
        """Annotated items found under the right parent."""
        return self.right_parent / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def rows_accuracy(self) -> float:
        return self.rows_right / self.rows if self.rows else 1.0

    def line(self, name: str) -> str:
        mark = "  <--" if self.right_parent < self.expected or self.matched < self.found else ""
        return (
            f"{name:45} items {self.right_parent}/{self.expected} with parent "
            f"({self.matched} found, {self.found} rows); table rows {self.rows_right}/{self.rows}"
            f"{mark}"
        )


def _key(text: str, words: int = 8) -> str:
    return " ".join(fold(text).split()[:words])


def _starts(text: str, words: str) -> bool:
    key = fold(words)
    return bool(key) and fold(text).startswith(key)


def score(path: Path) -> TaskScore:
    expected = pd.read_csv(
        path.with_name(path.stem + ".expected.csv"), dtype=str, keep_default_na=False
    )
    items = expected[expected["kind"].isin(ITEMS)]
    result = TaskScore(expected=len(items), rows=int((items["kind"] == "row").sum()))
    try:
        tasks, groups = parse_tasks(path)
    except (NoTasksError, PlanParseError):  # no tasks, or a number used twice: refused
        result.refused = 1
        return result
    titles = dict(zip(groups["group_id"], groups["title"], strict=True))
    texts = dict(zip(tasks["task_id"], tasks["text"], strict=True))
    body = tasks[~tasks["task_id"].str.startswith("PL")]
    table = table_tasks(read_plan_lines(path))
    result.found = len(body) + len(table)
    used: set[int] = set()
    for want in items[items["kind"] != "row"].itertuples(index=False):
        candidates = [n for n in range(len(body)) if n not in used]
        position = next(
            (n for n in candidates if _key(body["text"].iloc[n]) == _key(want.text)), None
        )
        if position is None:
            position = next(
                (n for n in candidates if _starts(body["text"].iloc[n], want.text)), None
            )
        if position is None:
            continue
        used.add(position)
        result.matched += 1
        parent = body["parent_id"].iloc[position]
        above = titles.get(parent, texts.get(parent, ""))
        if (not want.parent and parent in titles) or (want.parent and _starts(above, want.parent)):
            result.right_parent += 1
    taken: set[str] = set()
    for want in items[items["kind"] == "row"].itertuples(index=False):
        row = next(
            (r for r in table if r.task_id not in taken and _starts(r.text, want.text)), None
        )
        if row is None:
            continue
        taken.add(row.task_id)
        result.matched += 1
        if (not want.parent and not row.group) or (want.parent and _starts(row.group, want.parent)):
            result.right_parent += 1
        if (fold(row.lead), fold(row.deadline_text)) == (fold(want.lead), fold(want.deadline)):
            result.rows_right += 1
    return result


def score_folder(folder: Path) -> tuple[TaskScore, dict[str, TaskScore]]:
    total, per_file = TaskScore(), {}
    for path in sorted(folder.glob("*.md")):
        if path.name == "README.md":
            continue
        per_file[path.stem] = one = score(path)
        total += one
    return total, per_file
