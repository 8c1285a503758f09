"""Deadlines as a ward office writes them in its assignment register.

A date cell, ``30/6/2026``, ``trước ngày 30/6/2026``, ``Năm 2026`` (31/12), ``Quý I/2026``
(31/03), ``6 tháng đầu năm 2026`` (30/06), ``Tháng 10/2026`` (31/10), and the recurring
``Thường xuyên`` and ``Hằng năm`` (also "Hàng năm", "Định kỳ hằng năm trước 30/11"). Anything
else is refused with a Vietnamese reason: a deadline is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from nq57lib.core.errors import PeriodError
from nq57lib.core.fmt import fmt_date
from nq57lib.core.periods import Period
from nq57lib.core.textnorm import fold, nfc

_DATE = re.compile(r"^(\d{1,2}) (\d{1,2}) (\d{4})$")  # folded: "30/6/2026" → "30 6 2026"
_LEAD_WORDS = re.compile(r"^(?:truoc ngay|truoc|cham nhat ngay|cham nhat|han|ngay|den ngay)\s+")
_REGULAR = re.compile(r"\bthuong xuyen\b|\blien tuc\b")
_YEARLY = re.compile(r"\b(?:hang|moi) nam\b")
FORMS_HINT = (
    "ghi ngày (30/6/2026), “Quý I/2026”, “6 tháng đầu năm 2026”, “Năm 2026”, "
    "“Thường xuyên” hoặc “Hằng năm”"
)


class DeadlineError(ValueError):
    """A deadline that cannot be read; ``str()`` is the Vietnamese reason."""


@dataclass(frozen=True)
class Deadline:
    """``due`` for a dated deadline; ``recurring`` ("regular"/"yearly") for a standing task."""

    due: date | None
    recurring: str = ""
    text: str = ""

    @property
    def iso(self) -> str:
        return self.due.isoformat() if self.due else ""


def read_day(value: object) -> date | None:
    """A calendar day from a cell: a date, or text such as "30/6/2026"; None when it is
    neither. A day that does not exist ("31/2/2026") is a ValueError."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    found = _DATE.match(fold(str(value)))
    if found is None:
        return None
    return date(int(found.group(3)), int(found.group(2)), int(found.group(1)))


def shown_day(day: date) -> str:
    """A day in a message, the year always four digits ("01/01/0001", not "01/01/1")."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def before_plan(day: date | None, plan_date: date | None, what: str, written: str = "") -> str:
    """The Vietnamese reason a day before the plan's date is not plausible, or ""."""
    if day is None or plan_date is None or day >= plan_date:
        return ""
    quoted = f" (“{written}”)" if written else ""
    return (
        f"{what} {shown_day(day)}{quoted} trước ngày ban hành kế hoạch {shown_day(plan_date)}: "
        "không hợp lý; kiểm tra lại ngày, năm"
    )


def parse_deadline(value: object) -> Deadline:
    """Read one "Thời hạn" cell (a date, a number, or text)."""
    if isinstance(value, date):  # a datetime too
        day = read_day(value)
        return Deadline(day, text=fmt_date(day))
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 <= value <= 2100:
            return Deadline(date(int(value), 12, 31), text=str(int(value)))
        raise DeadlineError(f"thời hạn “{value}” là một số, không phải ngày; {FORMS_HINT}")
    text = nfc(str(value or "")).strip()
    if not text:
        raise DeadlineError(f"thiếu thời hạn; {FORMS_HINT}")
    key = fold(text)
    if _REGULAR.search(key):
        return Deadline(None, "regular", text)
    if _YEARLY.search(key):
        return Deadline(None, "yearly", text)
    body = _LEAD_WORDS.sub("", key)
    try:
        day = read_day(body)
    except ValueError:
        raise DeadlineError(f"thời hạn “{text}” không phải một ngày có thật") from None
    if day is not None:
        return Deadline(day, "", text)
    try:
        return Deadline(Period.parse(body).end, "", text)
    except PeriodError:
        raise DeadlineError(f"thời hạn “{text}” không đọc được; {FORMS_HINT}") from None
