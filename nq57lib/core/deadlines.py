"""Deadlines as plans and ward offices write them (the plan's tables, the register).

A date cell, ``30/6/2026``, ``trước ngày 30/6/2026``, ``Năm 2026`` (31/12), ``Quý I/2026``,
``Quí IV-2025``, ``Quý III Năm 2026`` (the quarter's last day), ``6 tháng đầu năm 2026``
(30/06), ``Tháng 10/2026`` (31/10); a span ``Quý IV/2025 - Quý II/2026``, ``2026 - 2030``,
``Giai đoạn 2026-2030`` is due at its end; and the recurring ``Thường xuyên``, ``Hằng năm``
(also "Hàng năm", "trước ngày 30 tháng 11 hằng năm", "trước ngày 01/6 và 15/11 hằng năm",
"Năm 2026 và các năm tiếp theo")
and ``Hằng quý``. Anything else is refused with a Vietnamese reason: a deadline is never
guessed.
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
# "Năm 2026 và các năm tiếp theo": every year from 2026 on.
_YEARLY = re.compile(r"\b(?:hang|moi|dinh ky) nam\b|\b(?:cac|nhung) nam tiep theo\b")
_QUARTERLY = re.compile(r"\b(?:hang|moi|dinh ky) quy\b")
_SPAN_MARK = re.compile(r"\s*[-–—]\s*|\s+đến\s+", re.IGNORECASE)
_SPAN_LEAD = re.compile(r"^(?:giai doan|tu)\s+")
_YEARS = re.compile(r"^(?:nam )?(\d{4})$")
FORMS_HINT = (
    "ghi ngày (30/6/2026), “Quý I/2026”, “6 tháng đầu năm 2026”, “Năm 2026”, "
    "“Quý IV/2025 - Quý II/2026”, “Thường xuyên”, “Hằng quý” hoặc “Hằng năm”"
)


class DeadlineError(ValueError):
    """A deadline that cannot be read; ``str()`` is the Vietnamese reason."""


class _NoSuchDay(Exception):
    """A day written that the calendar has not ("31/2/2026")."""


@dataclass(frozen=True)
class Deadline:
    """``due`` for a dated deadline; ``recurring`` ("regular", "yearly" or "quarterly") for
    a standing task."""

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
    if _QUARTERLY.search(key):
        return Deadline(None, "quarterly", text)
    try:
        day = _span_end(text) or _end_of(_LEAD_WORDS.sub("", key))
    except _NoSuchDay:
        raise DeadlineError(f"thời hạn “{text}” không phải một ngày có thật") from None
    if day is None:
        raise DeadlineError(f"thời hạn “{text}” không đọc được; {FORMS_HINT}")
    return Deadline(day, "", text)


def _span_end(text: str) -> date | None:
    """The end of a span ("Quý IV/2025 - Quý II/2026", "2026 - 2030", "Giai đoạn 2026-2030"):
    the text split at a dash or "đến" into two ends that each read as a deadline."""
    for found in _SPAN_MARK.finditer(text):
        start = _LEAD_WORDS.sub("", _SPAN_LEAD.sub("", fold(text[: found.start()])))
        if start and _end_of(start) is not None:
            return _end_of(_LEAD_WORDS.sub("", fold(text[found.end() :])))
    return None


def _end_of(body: str) -> date | None:
    """The last day of a folded deadline: a day, a year, or a period; None when none."""
    try:
        day = read_day(body)
    except ValueError:
        raise _NoSuchDay from None
    if day is not None:
        return day
    year = _YEARS.match(body)
    if year:
        return date(int(year.group(1)), 12, 31)
    try:
        return Period.parse(re.sub(r"\bqui\b", "quy", body)).end
    except PeriodError:
        return None
