"""Targets sections: where a plan lists its targets under a heading, item by item.

A section starts at a heading naming targets — "Mục tiêu cụ thể", "Chỉ tiêu cụ thể đến năm
2030:", "Các chỉ tiêu chủ yếu", "Mục tiêu đến năm 2030" — or, when a plan has none of those,
at a bare "MỤC TIÊU" part followed by milestone headings; or at a sentence that introduces
a list ("… đã đề ra các mục tiêu cơ bản đến năm 2025 như sau:"). It ends at the next part
("IV. …", "III- …"), at a heading of a part that holds no targets ("Nhiệm vụ, giải pháp"),
at a Markdown heading as high as its own, or — for an introduced list — where the list
stops. Inside:

- a milestone starts at a short heading holding "đến (hết) năm YYYY"; an item labelled
  "Năm 2022: …" carries its own year; prose before the first milestone is an introduction
  and skipped, but a bullet or a figure there takes the section's or the plan's own year
  (its title: "Kế hoạch chuyển đổi số năm 2025"), or none when there is none (the
  catalogue then names its line);
- an area starts at a short heading "a) …" without a figure;
- every bullet ("-", "–", "+", "•") and every numbered item with a figure ("(1)", "1.",
  "a) … 80%") is one item; a line that is neither bullet, heading nor footnote continues
  the open item when that item has no final punctuation or the line starts in lower case
  (page breaks split sentences), otherwise it is an item of its own;
- footnote lines ("² …", "[^2]: …") and table lines ("| … |", read by
  :mod:`nq57lib.plan.tables`) are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nq57lib.core.textnorm import fold
from nq57lib.plan.figures import find_figures
from nq57lib.plan.structure import (
    AREA_HEADING,
    BARE_SECTION,
    LEAD_IN,
    MARKDOWN_HEADING,
    NOT_TARGETS,
    NUMBERED,
    PART_HEADING,
    SECTION_NAMES,
    YEAR_LABEL,
    clause_year,
    milestone_heading,
    milestone_lead,
)
from nq57lib.plan.text import BULLET, FINAL_PUNCTUATION, FOOTNOTE_LINE, SPACES, clean_text

_MARKER = re.compile(r"^(?:\(\d+\)|\d+(?:\.\d+)*[.)]|[a-zđ]\))\s+")
_HEADING_WORDS = 14


@dataclass
class Item:
    """One bullet or paragraph of a targets section, with its milestone and area."""

    line: int
    year: int | None
    area: str
    parts: list[str] = field(default_factory=list)
    bulleted: bool = True
    assumed: bool = False  # no milestone above it: the year is the plan's own, or none


@dataclass(frozen=True)
class Region:
    """A targets section: lines ``start`` (its heading) up to ``end`` (exclusive)."""

    start: int
    end: int
    year: int | None
    listed: bool = False  # a list introduced by a sentence, not a section under a heading


def _heading_text(line: str) -> str:
    markdown = MARKDOWN_HEADING.match(line)
    return fold(markdown.group(2) if markdown else line)


def _is_section_heading(line: str) -> bool:
    if not line or len(line) > 160 or "%" in line or len(line.split()) > _HEADING_WORDS:
        return False
    return bool(SECTION_NAMES.match(_heading_text(line)))


def _is_lead_in(line: str) -> bool:
    return (
        line.rstrip().endswith(":")
        and bool(LEAD_IN.search(fold(line)))
        and not (find_figures(clean_text(line)))
    )


def _ends_section(line: str, level: int | None) -> bool:
    if PART_HEADING.match(line):
        return True
    markdown = MARKDOWN_HEADING.match(line)
    if markdown and level is not None and len(markdown.group(1)) <= level:
        return True
    heading = len(line.split()) <= _HEADING_WORDS and "%" not in line
    return heading and bool(NOT_TARGETS.match(_heading_text(line)))


def find_regions(lines: list[str]) -> list[Region]:
    """Every targets section of the plan, in order, none overlapping."""
    starts = [n for n, line in enumerate(lines) if _is_section_heading(line.strip())]
    bare = not starts
    if bare:
        starts = [
            n
            for n, line in enumerate(lines)
            if (PART_HEADING.match(line.strip()) or MARKDOWN_HEADING.match(line.strip()))
            and BARE_SECTION.match(_heading_text(line.strip()))
        ]
    regions = []
    for index, start in enumerate(starts):
        heading = lines[start].strip()
        markdown = MARKDOWN_HEADING.match(heading)
        level = len(markdown.group(1)) if markdown else None
        limit = starts[index + 1] if index + 1 < len(starts) else len(lines)
        end = next(
            (n for n in range(start + 1, limit) if _ends_section(lines[n].strip(), level)), limit
        )
        if bare and not any(milestone_heading(lines[n].strip()) for n in range(start + 1, end)):
            continue
        regions.append(Region(start, end, milestone_heading(heading) or clause_year(heading)))
    taken = {n for r in regions for n in range(r.start, r.end)}
    for n, line in enumerate(lines):
        if n in taken or not _is_lead_in(line.strip()):
            continue
        end = _list_end(lines, n + 1)
        if end > n + 1:
            regions.append(Region(n, end, clause_year(line), listed=True))
    return sorted(regions, key=lambda r: r.start)


def _list_end(lines: list[str], first: int) -> int:
    """Where the bullets after an introducing sentence stop."""
    seen = False
    for n in range(first, len(lines)):
        line = lines[n].strip()
        if not line:
            continue
        if BULLET.match(line) or NUMBERED.match(line):
            seen = True
            continue
        return n if seen else first
    return len(lines) if seen else first


def _continues(item: Item, line: str) -> bool:
    return line[0].islower() or not item.parts[-1].rstrip().endswith(FINAL_PUNCTUATION)


def _is_area_heading(line: str) -> bool:
    if not AREA_HEADING.match(line) or len(line.split()) > 12 or milestone_heading(line):
        return False
    return not line.rstrip().endswith((".", ";")) and not find_figures(clean_text(line))


def _new_item(number: int, year: int | None, area: str, text: str, bulleted: bool) -> Item:
    label = YEAR_LABEL.match(fold(text))
    own_year = int(label.group(1)) if label else year
    return Item(number, own_year, area, [text], bulleted=bulleted)


def scan_region(lines: list[str], region: Region, fallback: int | None) -> list[Item]:
    """The region's items with their year (None when nothing gives one) and area."""
    year = region.year
    area = ""
    items: list[Item] = []
    current: Item | None = None
    heading = False
    for number, raw in enumerate(lines[region.start + 1 : region.end], region.start + 2):
        line = SPACES.sub(" ", raw).strip()
        if not line or FOOTNOTE_LINE.match(line) or line.startswith("|"):
            current = None if line.startswith("|") else current
            continue
        lead = milestone_lead(line)
        if lead is not None:
            # "a) Đến hết năm 2025", "2.1. Đến năm 2030": a milestone, never an area; a
            # target after its colon ("b) Đến năm 2030: Tỷ lệ … 100%") is its first item.
            year, area, current, heading = lead[0], "", None, False
            if lead[1]:
                current = _new_item(number, year, area, lead[1], True)
                items.append(current)
            continue
        if _is_area_heading(line):
            area, current = line[0], None
            heading = True
            continue
        if heading and line[0].islower():
            continue  # a heading wrapped onto a second line ("a) Về … các cơ / quan …")
        heading = False
        bullet = BULLET.match(line)
        if bullet:
            current = _new_item(number, year, area, bullet.group(1), True)
            items.append(current)
            continue
        marker = _MARKER.match(line)
        if marker and find_figures(clean_text(line[marker.end() :])):
            current = _new_item(number, year, area, line[marker.end() :], True)
            items.append(current)
            continue
        if year is None and NUMBERED.match(line):
            current = None  # a sub-heading before the first milestone
            continue
        if current is not None and _continues(current, line):
            current.parts.append(line)
            continue
        current = _new_item(number, year, area, _MARKER.sub("", line), False)
        items.append(current)
    kept = []
    for item in items:
        if item.year is None and (item.bulleted or find_figures(clean_text(item.parts[0]))):
            # No milestone above it and none in the plan's title: kept without a year (the
            # catalogue names its line, :data:`NO_YEAR`), never dropped.
            item.year, item.assumed = fallback, True
            kept.append(item)
        elif item.year is not None:
            kept.append(item)
    return kept
