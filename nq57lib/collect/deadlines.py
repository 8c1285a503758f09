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


def parse_deadline(value: object) -> Deadline:
    """Read one "Thời hạn" cell (a date, a number, or text)."""
    if isinstance(value, datetime):
        return Deadline(value.date(), text=value.date().strftime("%d/%m/%Y"))
    if isinstance(value, date):
        return Deadline(value, text=value.strftime("%d/%m/%Y"))
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
    day = _DATE.match(body)
    if day:
        try:
            return Deadline(date(int(day.group(3)), int(day.group(2)), int(day.group(1))), "", text)
        except ValueError:
            raise DeadlineError(f"thời hạn “{text}” không phải một ngày có thật") from None
    try:
        return Deadline(Period.parse(body).end, "", text)
    except PeriodError:
        raise DeadlineError(f"thời hạn “{text}” không đọc được; {FORMS_HINT}") from None
