"""Reporting periods: ``2026-Q3``, ``2026-10``, ``2026-H1``, ``2026-9M``, ``2026``.

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
ROMAN_QUARTERS = ("I", "II", "III", "IV")
# N is the regime's "9 tháng đầu năm" (January to September), code 2026-9M.
_MONTHS_IN = {"Y": 12, "N": 9, "H": 6, "Q": 3, "M": 1}
# The years a reporting period may fall in. A four-digit label outside them is a typing
# slip ("0000-Q1", "2206"); Python's dates could not even hold year 0.
FIRST_YEAR, LAST_YEAR = 1900, 2100

# ── the one grammar of period labels ────────────────────────────────────────
# Canonical codes, matched on the text as written: 2026-Q3, 2026-H1, 2026-10, 2026.
_CODE = re.compile(
    r"(?<![\w-])(\d{4})-(?:(Q)([1-4])|(H)([12])|(0[1-9]|1[0-2])|(9M))(?![\w-])", re.I
)
_YEAR_CODE = re.compile(r"^(\d{4})$")
# Vietnamese labels, matched on folded text (no diacritics, lower case, punctuation as
# spaces): "Quý III/2026", "Q1/2026", "2026 Q3", "6 tháng đầu năm 2026", "Tháng 10/2025",
# "t10/2025", "Năm 2025", "Cả năm 2025". Each form says how its groups make a period.
_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("quarter", re.compile(r"\b(?:quy|q) ?(iv|i{1,3}|[1-4]) (?:nam )?(\d{4})\b")),
    ("year quarter", re.compile(r"\b(\d{4}) q([1-4])\b")),
    ("half", re.compile(r"\b6 thang (dau|cuoi) (?:nam )?(\d{4})\b")),
    ("nine", re.compile(r"\b(9) thang (?:dau )?(?:nam )?(\d{4})\b")),
    ("year half", re.compile(r"\b(\d{4}) h([12])\b")),
    ("month", re.compile(r"\b(?:thang|t) ?(\d{1,2}) (?:nam )?(\d{4})\b")),
    ("year", re.compile(r"\b(?:ca )?nam (\d{4})\b")),
)


def _from_code(found: re.Match[str]) -> Period:
    year = int(found.group(1))
    if found.group(2):
        return Period(year, "Q", int(found.group(3)))
    if found.group(4):
        return Period(year, "H", int(found.group(5)))
    if found.group(7):
        return Period(year, "N")
    return Period(year, "M", int(found.group(6)))


def _from_form(form: str, found: re.Match[str]) -> Period:
    first, second = found.group(1), found.group(2) if found.re.groups > 1 else None
    if form == "quarter":
        return Period(int(second), "Q", _ROMAN.get(first) or int(first))
    if form == "year quarter":
        return Period(int(first), "Q", int(second))
    if form == "half":
        return Period(int(second), "H", 1 if first == "dau" else 2)
    if form == "year half":
        return Period(int(first), "H", int(second))
    if form == "nine":
        return Period(int(second), "N")
    if form == "month":
        month = int(first)
        if not 1 <= month <= 12:
            raise PeriodError(found.group(0), f"month {month} does not exist")
        return Period(int(second), "M", month)
    return Period(int(first), "Y")


@dataclass(frozen=True)
class Period:
    """A reporting period. ``kind`` is Y, H, Q or M; ``index`` the half, quarter or month."""

    year: int
    kind: str
    index: int = 1

    def __post_init__(self) -> None:
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            label = f"{self.year:04d}" + ("" if self.kind == "Y" else f"-{self.kind}{self.index}")
            raise PeriodError(label, f"year {self.year:04d} is outside {FIRST_YEAR}–{LAST_YEAR}")
        if self.kind not in _MONTHS_IN:
            raise PeriodError(f"{self.year}-{self.kind}{self.index}", "unknown period kind")
        if not 1 <= self.index <= 12 // _MONTHS_IN[self.kind]:
            raise PeriodError(f"{self.year}-{self.kind}{self.index}", "index out of range")

    @classmethod
    def parse(cls, label: str | Period) -> Period:
        """A whole label as a period: a canonical code or any Vietnamese form of the grammar.

        :func:`find_periods` reads the same grammar inside running text; the one form only
        this function accepts is the bare year code ``2026`` (a bare year in a sentence is
        usually the plan's year, not a reporting period).
        """
        if isinstance(label, Period):
            return label
        text = str(label).strip()
        try:
            return cls._parse(text)
        except PeriodError as error:
            raise PeriodError(text, error.problem) from None  # name the label as typed

    @classmethod
    def _parse(cls, text: str) -> Period:
        code = _CODE.fullmatch(text)
        if code:
            return _from_code(code)
        if _YEAR_CODE.match(text):
            return cls(int(text), "Y")
        key = fold(text)
        for form, pattern in _FORMS:
            found = pattern.fullmatch(key)
            if found:
                return _from_form(form, found)
        raise PeriodError(text)

    @property
    def code(self) -> str:
        if self.kind == "Y":
            return f"{self.year}"
        if self.kind == "M":
            return f"{self.year}-{self.index:02d}"
        if self.kind == "N":
            return f"{self.year}-9M"
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
        if self.kind == "N":
            return f"9 tháng đầu năm {self.year}"
        if self.kind == "Q":
            return f"Quý {ROMAN_QUARTERS[self.index - 1]} năm {self.year}"
        return f"Tháng {self.index} năm {self.year}"

    @property
    def short_label(self) -> str:
        """The label in a table cell: ``Quý III/2026``; other kinds as :attr:`label_vi`."""
        if self.kind == "Q":
            return f"Quý {ROMAN_QUARTERS[self.index - 1]}/{self.year}"
        return self.label_vi

    @property
    def report_label(self) -> str:
        """The period as a report's title names it: "tháng 10/2026", "quý III năm 2026",
        "6 tháng đầu năm 2026", "năm 2026" ("Báo cáo tháng 10/2026")."""
        if self.kind == "M":
            return f"tháng {self.index}/{self.year}"
        return self.label_vi[:1].lower() + self.label_vi[1:]

    @property
    def following(self) -> Period:
        """The next period of the same kind: 2026-Q3 → 2026-Q4, 2026-Q4 → 2027-Q1."""
        count = 12 // self.months
        if self.index < count:
            return Period(self.year, self.kind, self.index + 1)
        return Period(self.year + 1, self.kind, 1)

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


def find_periods(text: str, include_years: bool = False) -> list[Period]:
    """Periods named anywhere in ``text`` ("Báo cáo Quý III/2026 …"), in order, unique.

    The grammar is :meth:`Period.parse`'s. A bare "năm 2025" is ignored unless
    ``include_years``: titles often cite the plan's own year ("Kế hoạch … năm 2025")
    without meaning the reporting period.
    """
    found: list[tuple[int, Period]] = []
    for hit in _CODE.finditer(str(text)):
        try:
            found.append((-1, _from_code(hit)))  # codes first: they are unambiguous
        except PeriodError:
            continue  # "0000-Q1" in a title is a slip, not a period
    key = fold(str(text))
    covered: list[range] = []
    for form, pattern in _FORMS:
        if form == "year" and not include_years:
            continue
        for hit in pattern.finditer(key):
            if any(hit.start() in span for span in covered):
                continue
            try:
                period = _from_form(form, hit)
            except PeriodError:
                continue
            covered.append(range(hit.start(), hit.end()))
            found.append((hit.start(), period))
    unique: list[Period] = []
    for _, period in sorted(found, key=lambda item: item[0]):
        if period not in unique:
            unique.append(period)
    return unique
