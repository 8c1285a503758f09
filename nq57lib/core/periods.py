"""Reporting periods: ``2026-Q3``, ``2026-10``, ``2026-H1``, ``2026``.

Units write periods in Vietnamese ("Quý III/2025", "6 tháng đầu năm 2026");
:func:`Period.parse` accepts both those labels and the canonical codes.
Time is measured in fractional years at a period's end: the end of 2025 is 2026.0,
the end of 2026-Q3 is 2026.75, so milestones "đến hết năm 2030" sit at 2031.0.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from nq57lib.core.errors import PeriodError
from nq57lib.core.textnorm import fold

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_MONTHS_IN = {"Y": 12, "H": 6, "Q": 3, "M": 1}

_CODE = re.compile(r"^(\d{4})(?:-(?:(Q)([1-4])|(H)([12])|(\d{2})))?$")
_YEAR = r"(?:nam\s*)?(\d{4})"
_SEP = r"\s*(?:/|-|nam|\s)\s*"
_LABELS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^(?:quy|q)\s*([1-4]|i{{1,3}}|iv){_SEP}{_YEAR}$"), "Q"),
    (re.compile(rf"^6 thang dau{_SEP}{_YEAR}$"), "H1"),
    (re.compile(rf"^6 thang cuoi{_SEP}{_YEAR}$"), "H2"),
    (re.compile(rf"^(?:thang|t)\s*(\d{{1,2}}){_SEP}{_YEAR}$"), "M"),
    (re.compile(r"^(?:ca\s*)?nam\s*(\d{4})$"), "Y"),
]


@dataclass(frozen=True)
class Period:
    """A reporting period. ``kind`` is Y, H, Q or M; ``index`` the half, quarter or month."""

    year: int
    kind: str
    index: int = 1

    def __post_init__(self) -> None:
        if self.kind not in _MONTHS_IN:
            raise PeriodError(f"{self.year}-{self.kind}{self.index}", "unknown period kind")
        if not 1 <= self.index <= 12 // _MONTHS_IN[self.kind]:
            raise PeriodError(f"{self.year}-{self.kind}{self.index}", "index out of range")

    @classmethod
    def parse(cls, label: str | Period) -> Period:
        if isinstance(label, Period):
            return label
        text = str(label).strip()
        code = _CODE.match(text)
        if code:
            year = int(code.group(1))
            if code.group(2):
                return cls(year, "Q", int(code.group(3)))
            if code.group(4):
                return cls(year, "H", int(code.group(5)))
            if code.group(6):
                month = int(code.group(6))
                if not 1 <= month <= 12:
                    raise PeriodError(text, f"month {month} does not exist")
                return cls(year, "M", month)
            return cls(year, "Y")
        key = fold(text).replace(" / ", "/")
        key = re.sub(r"\s*/\s*", "/", key)
        for pattern, kind in _LABELS:
            found = pattern.match(key)
            if not found:
                continue
            if kind == "Q":
                quarter = found.group(1)
                number = _ROMAN.get(quarter) or int(quarter)
                return cls(int(found.group(2)), "Q", number)
            if kind in ("H1", "H2"):
                return cls(int(found.group(1)), "H", int(kind[1]))
            if kind == "M":
                month = int(found.group(1))
                if not 1 <= month <= 12:
                    raise PeriodError(text, f"month {month} does not exist")
                return cls(int(found.group(2)), "M", month)
            return cls(int(found.group(1)), "Y")
        raise PeriodError(text)

    @property
    def code(self) -> str:
        if self.kind == "Y":
            return f"{self.year}"
        if self.kind == "M":
            return f"{self.year}-{self.index:02d}"
        return f"{self.year}-{self.kind}{self.index}"

    @property
    def months(self) -> int:
        return _MONTHS_IN[self.kind]

    @property
    def first_month(self) -> int:
        return (self.index - 1) * self.months + 1

    @property
    def last_month(self) -> int:
        return self.index * self.months

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        last = self.last_month
        return date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def year_fraction(self) -> float:
        """Share of the calendar year elapsed at the period's end (Q3 -> 0.75)."""
        return self.last_month / 12

    @property
    def end_time(self) -> float:
        """Fractional years at the period's end (end of 2026-Q3 -> 2026.75)."""
        return self.year + self.year_fraction

    @property
    def label_vi(self) -> str:
        if self.kind == "Y":
            return f"Năm {self.year}"
        if self.kind == "H":
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {self.year}"
        if self.kind == "Q":
            roman = {1: "I", 2: "II", 3: "III", 4: "IV"}[self.index]
            return f"Quý {roman} năm {self.year}"
        return f"Tháng {self.index} năm {self.year}"

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def __lt__(self, other: Period) -> bool:
        return (self.end, -self.months) < (other.end, -other.months)

    def __le__(self, other: Period) -> bool:
        return self == other or self < other

    def __str__(self) -> str:
        return self.code


def milestone_time(year: int) -> float:
    """Fractional-year time of a milestone "đến hết năm YEAR" (the year's end)."""
    return float(year + 1)


_ROMAN_OR_DIGIT = r"([1-4]|iv|i{1,3})"
_IN_TEXT: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b(?:quy|q)\s*{_ROMAN_OR_DIGIT}\s+(?:nam\s+)?(\d{{4}})\b"), "Q"),
    (re.compile(r"\b(\d{4})\s+q([1-4])\b"), "CQ"),
    (re.compile(r"\b6 thang (dau|cuoi)\s+(?:nam\s+)?(\d{4})\b"), "H"),
    (re.compile(r"\b(\d{4})\s+h([12])\b"), "CH"),
    (re.compile(r"\bthang\s+(\d{1,2})\s+(?:nam\s+)?(\d{4})\b"), "M"),
    (re.compile(r"\b(?:ca\s+)?nam\s+(\d{4})\b"), "Y"),
]


def find_periods(text: str, include_years: bool = False) -> list[Period]:
    """Periods named anywhere in ``text`` ("Báo cáo Quý III/2026 …"), in order, unique.

    A bare "năm 2025" is ignored unless ``include_years``: titles often cite the
    plan's own year ("Kế hoạch … năm 2025") without meaning the reporting period.
    """
    key = fold(str(text))
    found: list[tuple[int, Period]] = []
    covered: list[range] = []
    for pattern, kind in _IN_TEXT:
        if kind == "Y" and not include_years:
            continue
        for hit in pattern.finditer(key):
            if any(hit.start() in span for span in covered):
                continue
            try:
                if kind == "Q":
                    number = _ROMAN.get(hit.group(1)) or int(hit.group(1))
                    period = Period(int(hit.group(2)), "Q", number)
                elif kind == "CQ":
                    period = Period(int(hit.group(1)), "Q", int(hit.group(2)))
                elif kind == "H":
                    period = Period(int(hit.group(2)), "H", 1 if hit.group(1) == "dau" else 2)
                elif kind == "CH":
                    period = Period(int(hit.group(1)), "H", int(hit.group(2)))
                elif kind == "M":
                    period = Period(int(hit.group(2)), "M", int(hit.group(1)))
                else:
                    period = Period(int(hit.group(1)), "Y")
            except PeriodError:
                continue
            covered.append(range(hit.start(), hit.end()))
            found.append((hit.start(), period))
    unique: list[Period] = []
    for _, period in sorted(found, key=lambda item: item[0]):
        if period not in unique:
            unique.append(period)
    return unique
