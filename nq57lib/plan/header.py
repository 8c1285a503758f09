"""What a plan's first lines say about who issued it: the header of a Vietnamese plan.

A plan drafted by the Nghị định 30/2020 layout opens with the issuing body ("ỦY BAN NHÂN
DÂN" over "PHƯỜNG HỒNG BÀNG" / "XÃ TÂN LẬP" / "ĐẶC KHU …"), its number ("Số: 106/KH-UBND"),
the dateline ("Hồng Bàng, ngày 03 tháng 10 năm 2025"), then the title "KẾ HOẠCH" and its
subject line(s). :func:`read_plan_header` reads these from the lines before the body's
first Roman-numeral heading ("I. MỤC ĐÍCH"), and the names of the plan's areas from the
first heading of each letter ("a) Phát triển hạ tầng") under "Mục tiêu cụ thể"; ``nq57
init`` pre-fills a new ward's ``ward.yaml`` from them. A plan exported from Word may lose
its letterhead (a table) or write it as a Markdown table: the cells of a table row are
read one by one, and when the issuing body is missing, the preamble's "Ủy ban nhân dân
phường/xã … xây dựng (ban hành) Kế hoạch" names the ward instead. What cannot be read
stays empty and is listed by :meth:`PlanHeader.missing`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from nq57lib.core.textnorm import fold, nfc
from nq57lib.plan.figures import find_figures
from nq57lib.plan.structure import milestone_lead
from nq57lib.plan.text import read_plan_lines

LEVELS_UPPER = {"PHƯỜNG": "phường", "XÃ": "xã", "ĐẶC KHU": "đặc khu"}
# The header ends where the body begins; a plan without Roman headings is read this far.
HEADER_LINES = 80

_BODY_START = re.compile(r"^[IVX]+\.\s+\S")
_MARKUP = re.compile(r"\*\*|__|`|(?<!\w)\*|\*(?!\w)|(?<!\w)_|_(?!\w)")
_RULE = re.compile(r"^[-–—_=*.\s]+$")  # a line drawn under a heading
_ISSUER = re.compile(r"^(?:ỦY|UỶ) BAN NHÂN DÂN(?:\s+(.+))?$")
_LOCALITY = re.compile(r"^(PHƯỜNG|XÃ|ĐẶC KHU)\s+(\S.*)$")
_NUMBER = re.compile(r"^Số\s*:\s*(\S.*)$", re.IGNORECASE)
_DATELINE = re.compile(
    r"^(?P<place>[^,]{2,60}?)\s*,\s*ngày\s+(?P<day>\d{1,2}|[.…\s]*)\s*tháng\s+"
    r"(?P<month>\d{1,2}|[.…\s]*)\s*năm\s+(?P<year>\d{4})",
    re.IGNORECASE,
)
_TITLE = re.compile(r"^KẾ HOẠCH(?:\s+(.*))?$")
_PREAMBLE_WARD = re.compile(r"\b(?:Ủy|Uỷ) ban nhân dân (phường|xã|đặc khu) ", re.IGNORECASE)
_PROVINCE = re.compile(r"\b(tỉnh|thành phố) ", re.IGNORECASE)
_SUBJECT_LEAD = re.compile(r"^về\s+", re.IGNORECASE)
_SUBJECT_LINES = 4
# On folded text. Possessive: "(?:[0-9ivx]+\.?\s*)*" split a run of digits every way
# before failing, exponential in the run ("1111…" of 30 digits never returned).
_TARGETS_SECTION = re.compile(r"^(?:[0-9ivx]++\.?+\s*+)*+muc tieu cu the\b")
_AREA = re.compile(r"^([a-zđ])\)\s+(\S.*)$")


@dataclass(frozen=True)
class PlanHeader:
    """The plan's header as read; an empty value (or ``None``) was not found.

    ``lines`` says where each value was read (1-based line numbers of the plan file);
    ``issuer_source`` is ``"letterhead"`` or ``"preamble"`` (the issuing body rebuilt from
    the sentence naming the ward) when the ward was found.
    """

    issuer: tuple[str, ...] = ()
    level: str = ""
    name: str = ""
    province: str = ""
    number: str = ""
    place: str = ""
    date: date | None = None
    subject: str = ""
    issuer_source: str = ""
    areas: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def missing(self) -> list[str]:
        """The fields that could not be read, by their ``ward.yaml`` names."""
        found = {
            "letterhead.issuer": self.issuer,
            "ward.name": self.name,
            "ward.level": self.level,
            "ward.province": self.province,
            "plan.number": self.number,
            "letterhead.place": self.place,
            "plan.date": self.date,
            "plan.subject": self.subject,
            "areas": self.areas,
        }
        return [key for key, value in found.items() if not value]


def _plain(text: str) -> str:
    """A header line without Markdown emphasis, heading marks or repeated spaces."""
    text = re.sub(r"^\s*(?:#+|>)\s*", "", text)
    return nfc(" ".join(_MARKUP.sub("", text).split()))


def _cells(lines: list[str]) -> list[list[tuple[int, str]]]:
    """Per column, the non-empty cells in order, each with its line number; a blank line
    is kept as an empty cell so that a title's subject stops at it."""
    columns: list[list[tuple[int, str]]] = []
    for number, line in enumerate(lines, 1):
        raw = line.strip()
        if raw.startswith("|") or raw.count("|") >= 2:
            parts = [p for p in raw.strip("|").split("|")]
            if all(_RULE.match(p) or not p.strip() for p in parts):
                continue  # the separator row of a Markdown table
        else:
            parts = [raw]
        for index, part in enumerate(parts):
            while len(columns) <= index:
                columns.append([])
            text = _plain(part)
            columns[index].append((number, "" if _RULE.match(text or "-") else text))
    return columns


def _header_lines(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines[:HEADER_LINES]):
        if _BODY_START.match(_plain(line)):
            return lines[:index]
    return lines[:HEADER_LINES]


def _proper(words: str) -> str:
    """``HỒNG BÀNG`` → ``Hồng Bàng``; a name already in mixed case is kept."""
    return words.title() if words.isupper() else words


def _capitalised_run(text: str) -> str:
    """The leading words of ``text`` that start with a capital letter or are numbers."""
    taken = []
    for word in text.split():
        bare = word.strip(",.;:()")
        if not bare or not (bare[0].isupper() or bare.isdigit()):
            break
        taken.append(bare)
        if bare != word:  # punctuation ends the name
            break
    return " ".join(taken)


def _issuer(column: list[tuple[int, str]]) -> tuple[tuple[str, ...], str, str, int]:
    texts = [(n, t) for n, t in column if t]
    for position, (number, text) in enumerate(texts):
        found = _ISSUER.match(text.upper())
        if not found or text != text.upper():
            continue
        if found.group(1):  # "ỦY BAN NHÂN DÂN XÃ TÂN LẬP" on one line
            locality = _LOCALITY.match(found.group(1))
            if locality:
                level, name = locality.groups()
                return ("ỦY BAN NHÂN DÂN", found.group(1)), LEVELS_UPPER[level], name, number
            continue
        for _, below in texts[position + 1 : position + 3]:
            locality = _LOCALITY.match(below)
            if locality and below == below.upper():
                level, name = locality.groups()
                return (text, below), LEVELS_UPPER[level], name, number
    return (), "", "", 0


def _dateline(cells: list[tuple[int, str]]) -> tuple[str, date | None, int]:
    for number, text in cells:
        found = _DATELINE.match(text)
        if not found:
            continue
        place = found.group("place").strip()
        try:
            day = date(int(found.group("year")), int(found.group("month")), int(found.group("day")))
        except ValueError:
            day = None  # "ngày … tháng … năm 2025": the date left blank in a draft
        return place, day, number
    return "", None, 0


def _subject(column: list[tuple[int, str]]) -> tuple[str, int]:
    for position, (number, text) in enumerate(column):
        found = _TITLE.match(text)
        if not found:
            continue
        taken = [found.group(1)] if found.group(1) else []
        start = number
        for line, below in column[position + 1 :]:
            if not below:
                if taken:
                    break
                continue
            start = start if taken else line
            taken.append(below)
            if len(taken) == _SUBJECT_LINES:
                break
        if not taken:
            return "", 0
        subject = _SUBJECT_LEAD.sub("", " ".join(taken)).rstrip(" .;:")
        first = subject.split(" ", 1)[0]
        if not first.isupper():  # "Thực hiện …" → "thực hiện …"; "CĐS …" stays
            subject = subject[0].lower() + subject[1:]
        return subject, start
    return "", 0


def _from_preamble(cells: list[tuple[int, str]]) -> tuple[str, str, int]:
    for number, text in cells:
        for found in _PREAMBLE_WARD.finditer(text):
            name = _capitalised_run(text[found.end() :])
            if name:
                return found.group(1).lower(), name, number
    return "", "", 0


def _province(cells: list[tuple[int, str]]) -> tuple[str, int]:
    for number, text in cells:
        for found in _PROVINCE.finditer(text):
            rest = text[found.end() :]
            name = _capitalised_run(rest)
            if name:
                kind = found.group(1).lower()
                return f"{kind} {_proper(name)}", number
    return "", 0


def plan_areas(lines: list[str]) -> tuple[dict[str, str], int]:
    """Letter → name of the plan's areas, from the first heading of each letter ("a) …")
    in the section "Mục tiêu cụ thể", and the line of the first one (0 if none). A
    lettered milestone ("a) Đến hết năm 2025") is a year and "a) … đạt 80%" a target, never
    an area."""
    areas: dict[str, str] = {}
    first = 0
    inside = False
    for number, line in enumerate(lines, 1):
        text = _plain(line)
        if not inside:
            inside = bool(_TARGETS_SECTION.match(fold(text)))
            continue
        if _BODY_START.match(text):
            break
        found = _AREA.match(text)
        if (
            found
            and found.group(1) not in areas
            and milestone_lead(text) is None
            and not find_figures(found.group(2))
        ):
            areas[found.group(1)] = found.group(2).rstrip(" .:;")
            first = first or number
    return areas, first


def parse_plan_header(lines: list[str]) -> PlanHeader:
    """Read the header from the plan's lines (as :func:`read_plan_lines` returns them)."""
    columns = _cells(_header_lines(lines))
    every = sorted((cell for column in columns for cell in column if cell[1]), key=lambda c: c[0])
    where: dict[str, int] = {}
    issuer, level, name, line = _issuer(columns[0] if columns else [])
    source = "letterhead" if issuer else ""
    if not issuer:
        level, name, line = _from_preamble(every)
        if name:
            issuer = ("ỦY BAN NHÂN DÂN", f"{level.upper()} {name.upper()}")
            source = "preamble"
    if line:
        where.update(dict.fromkeys(("letterhead.issuer", "ward.name", "ward.level"), line))
    number = ""
    for line_number, text in every:
        found = _NUMBER.match(text)
        if found:
            number = re.sub(r"\s*/\s*", "/", found.group(1)).replace(" ", "")
            where["plan.number"] = line_number
            break
    place, day, line = _dateline(every)
    if line:
        where["letterhead.place"] = line
        if day:
            where["plan.date"] = line
    subject, line = _subject(columns[0] if columns else [])
    if subject:
        where["plan.subject"] = line
    province, line = _province(every)
    if line:
        where["ward.province"] = line
    areas, line = plan_areas(lines)
    if line:
        where["areas"] = line
    name = _proper(name)
    if place and name and place.casefold() == name.casefold():
        name = place  # the dateline writes the name in its own case
    return PlanHeader(
        issuer=issuer,
        level=level,
        name=name,
        province=province,
        number=number,
        place=place,
        date=day,
        subject=subject,
        issuer_source=source,
        areas=areas,
        lines=where,
    )


def read_plan_header(path: Path | str) -> PlanHeader:
    """The header of the plan file ``path`` (:class:`PlanParseError` if it cannot be read)."""
    return parse_plan_header(read_plan_lines(Path(path)))
