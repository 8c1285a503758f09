"""Recognise a plan task from what a ward office or a unit wrote: its code or its text.

Codes follow the plan's numbering ("3.10", "2.1.a", "4.a", "V.1"; an appendix row
"PL1.3"). A code typed into a number cell loses its trailing zero (3.10 arrives as 3.1), so
such a code names every task it could have been and the text (its words, clearly one
candidate's), or the unit's own assignments, decide; when they cannot, the row is
refused. A text is matched as indicator names are: exactly, as the start of one task's
text, or by close similarity — never to a task that is only one of several equally close.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from nq57lib.core.fuzzy import choose, similarity
from nq57lib.core.textnorm import fold

# A code, lower-cased without spaces: an appendix row "pl1.3" / "pl1.ii.3", a duty "iv.1"
# (also "v1"), a task "3.10", "2.1.1", lettered "2.1.a", "4.đ", "2.1a".
_CODE = re.compile(
    r"^(?:(pl\d{1,2})\.)?(?:([ivxlc]{1,5})\.?(?=\d))?(\d{1,3}(?:\.\d{1,3}){0,2})"
    r"((?:\.?[a-zđ]{1,2}(?![a-zđ]))(?:\.[a-zđ]{1,2}){0,2})?$"
)
_TABLE_GROUP = re.compile(r"^(pl\d{1,2})\.([ivxlc]{1,5}|[a-z])\.(\d{1,3}(?:\.\d{1,3})?)$")
MIN_PREFIX_WORDS = 5
# A number cell's code leaves two or three candidates (3.1 or 3.10): its text decides when
# most of its words are one candidate's and far fewer the others' — a lower bar than a
# text alone must clear against every task of the plan.
CLEAR_AT_LEAST = 0.6
CLEAR_MARGIN = 0.25
_COMPARED_CHARS = 160  # long task texts are compared on their opening words


@dataclass(frozen=True)
class TaskMatch:
    task_id: str | None
    how: str  # "code", "text", "near text", "number cell", or "" when not recognised
    candidates: tuple[str, ...] = ()
    problem: str = ""


def normalise_code(text: str) -> str | None:
    """``" 2.1.A) "`` → ``"2.1.a"``, ``"v1"`` → ``"V.1"``, ``"pl1.ii.3"`` → ``"PL1.II.3"``;
    None when it is not a task code."""
    key = text.strip().rstrip(").").strip().lower().replace(" ", "")
    grouped = _TABLE_GROUP.match(key)
    if grouped:
        table, group, number = grouped.groups()
        return f"{table.upper()}.{group.upper()}.{number}"
    found = _CODE.match(key)
    if not found:
        return None
    table, roman, numbers, letters = found.groups()
    parts = [table.upper()] if table else []
    parts += [roman.upper()] if roman else []
    parts.append(numbers)
    if letters:
        parts += [p for p in letters.lstrip(".").split(".") if p]
    return ".".join(parts)


def number_cell_codes(value: float | int) -> tuple[str, ...]:
    """Codes a number cell may stand for: 3.1 → ("3.1", "3.10"); 2.5 → ("2.5", "2.50")."""
    text = repr(float(value)) if isinstance(value, float) else str(value)
    if text.endswith(".0"):
        text = text[:-2]
    if "." in text and len(text.split(".")[1]) == 1:
        return (text, f"{text}0")
    return (text,)


class TaskMatcher:
    """Codes and texts of one task catalogue; results depend only on the arguments."""

    def __init__(self, tasks: pd.DataFrame):
        self.ids = tuple(tasks["task_id"])
        self.known = set(self.ids)
        self.texts = {t: fold(x) for t, x in zip(tasks["task_id"], tasks["text"], strict=True)}

    def by_code(self, code: str) -> str | None:
        normal = normalise_code(code)
        return normal if normal in self.known else None

    def by_text(self, text: str, among: tuple[str, ...] | None = None) -> TaskMatch:
        """The task whose text ``text`` is; ``among`` (the unit's tasks) is tried first."""
        key = fold(text)
        if not key:
            return TaskMatch(None, "")
        scopes = [among, self.ids] if among else [self.ids]
        for scope in scopes:
            exact = [t for t in scope if self.texts.get(t) == key]
            if len(exact) == 1:
                return TaskMatch(exact[0], "text")
            if len(key.split()) >= MIN_PREFIX_WORDS:
                starts = [t for t in scope if self.texts.get(t, "").startswith(key)]
                if len(starts) == 1:
                    return TaskMatch(starts[0], "text")
        # Long task texts are compared on as many opening characters as the key has.
        width = max(len(key), _COMPARED_CHARS)
        choice = choose(
            key[:_COMPARED_CHARS], ((t, self.texts[t][:width]) for t in self.ids), similarity
        )
        if choice.key is not None:
            return TaskMatch(choice.key, "near text")
        return TaskMatch(None, "", choice.closest())

    def resolve(self, code: object, text: str, among: tuple[str, ...] | None = None) -> TaskMatch:
        """The task a row names by its code cell (text or number) and/or its text cell."""
        if isinstance(code, bool):
            code = str(code)
        if isinstance(code, int | float):
            return self._number_cell(code, text, among)
        code_text = str(code or "").strip()
        if code_text:
            task_id = self.by_code(code_text)
            if task_id is None:
                problem = f"mã nhiệm vụ “{code_text}” không có trong kế hoạch"
                return TaskMatch(None, "", problem=problem)
            if text:
                named = self.by_text(text)
                if named.task_id and named.task_id != task_id and named.how == "text":
                    return TaskMatch(
                        None,
                        "",
                        (task_id, named.task_id),
                        f"mã “{code_text}” là nhiệm vụ {task_id} nhưng nội dung ghi là của "
                        f"nhiệm vụ {named.task_id}; sửa mã hoặc nội dung cho khớp",
                    )
            return TaskMatch(task_id, "code")
        if text:
            found = self.by_text(text, among)
            if found.task_id is None:
                shown = ", ".join(found.candidates) or "không có nhiệm vụ nào gần giống"
                problem = (
                    f"không nhận ra nhiệm vụ “{_short(text)}” (gần nhất: {shown}); ghi mã nhiệm vụ"
                )
                return TaskMatch(None, "", found.candidates, problem)
            return found
        return TaskMatch(None, "", problem="dòng có nội dung nhưng không có mã hay tên nhiệm vụ")

    def _clearest(self, text: str, codes: tuple[str, ...]) -> str | None:
        """Between the few tasks a number cell may be, the one its text is clearly about."""
        return _clear_choice(fold(text), {c: self.texts[c] for c in codes})

    def _number_cell(self, value, text: str, among) -> TaskMatch:
        codes = tuple(c for c in number_cell_codes(value) if c in self.known)
        if not codes:
            return TaskMatch(None, "", problem=f"mã nhiệm vụ “{value}” không có trong kế hoạch")
        if len(codes) == 1:
            return TaskMatch(codes[0], "number cell")
        if text:
            named = self.by_text(text, codes)
            if named.task_id in codes:
                return TaskMatch(named.task_id, "number cell")
            clear = self._clearest(text, codes)
            if clear is not None:
                return TaskMatch(clear, "number cell")
        mine = [c for c in codes if among and c in among]
        if not text and len(mine) == 1:
            return TaskMatch(mine[0], "number cell")
        listed = " hoặc ".join(codes)
        return TaskMatch(
            None,
            "",
            codes,
            f"mã “{value}” nằm trong ô kiểu số nên có thể là nhiệm vụ {listed}; "
            "ghi mã dạng văn bản (vd. '3.10) hoặc ghi nội dung nhiệm vụ",
        )


def _clear_choice(key: str, texts: dict[str, str]) -> str | None:
    """The one of a few candidates whose text ``key`` (folded) is clearly about: the share
    of its words the candidate's text holds is high, and well above the others'."""
    words = set(key.split())
    if not words:
        return None
    scores = sorted(
        ((len(words & set(x.split())) / len(words), t) for t, x in texts.items()), reverse=True
    )
    best, runner_up = scores[0][0], scores[1][0] if len(scores) > 1 else 0.0
    return scores[0][1] if best >= CLEAR_AT_LEAST and best - runner_up >= CLEAR_MARGIN else None


def _short(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")
