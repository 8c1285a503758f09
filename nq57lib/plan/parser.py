"""Parse section III.2 ("Mục tiêu cụ thể") of a ward's plan into one row per target.

The parser reads the structure, never this file's line numbers or figures, so an amended
plan (or another ward's plan in the same style) parses without code changes:

- the targets section starts at the heading "Mục tiêu cụ thể" and ends at the next
  Roman-numeral heading ("IV. …");
- a milestone starts at a short heading holding "đến (hết) năm YYYY"; prose before the
  first milestone is an introduction and skipped, but a bullet or a figure there is an
  error (it would be a target without a year);
- an area starts at a heading "a) …";
- every bullet ("- …") is one item; a line that is neither bullet, heading nor footnote
  continues the open item when that item has no final punctuation or the line starts in
  lower case (page breaks split sentences), otherwise it is an item of its own;
- footnote lines ("² …", "[^2]: …") are skipped and footnote markers ("sáng tạo².")
  removed; a footnote never becomes a target, nor does a date, a document number, a year,
  a speed ("trên 01 Gbps"), a level ("mức 2 trở lên") or a generation ("5G");
- an item holding several target figures separated by "," or ";" becomes several
  targets, each with its own words; figure-less clauses stay with their neighbour.

``target_id`` here is positional — ``{year}-{area}-{ordinal:02d}`` within the milestone's
area list, e.g. ``2030-e-07`` (area ``x`` when the plan has no area heading). The
catalogue (:mod:`nq57lib.plan.catalogue`) replaces it by ``{year}-{indicator_id}`` once the
registry has linked the target, an id that survives reordered bullets and edited figures.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nq57lib.core.errors import PlanParseError
from nq57lib.core.textnorm import fold
from nq57lib.plan.text import (
    BULLET,
    FINAL_PUNCTUATION,
    FOOTNOTE_LINE,
    ROMAN_HEADING,
    SPACES,
    clean_text,
    read_plan_lines,
)

PLAN_COLUMNS = (
    "target_id",
    "milestone_year",
    "area",
    "comparator",
    "value",
    "value_max",
    "unit",
    "per_year",
    "aspirational",
    "qualitative",
    "scope",
    "text",
    "source_line",
)
SCOPES = ("ward", "city", "province")

# ── structure ───────────────────────────────────────────────────────────────
_NUMBERED = re.compile(r"^\d+(?:\.\d+)*\.\s+\S")
_AREA_HEADING = re.compile(r"^([a-zđ])\)\s+\S")
_SECTION = re.compile(r"^(?:[0-9ivx]+ )*muc tieu cu the\b")  # on folded text
_MILESTONE = re.compile(r"\bden (?:het |cuoi )?(?:nam )?((?:19|20)\d\d)\b")  # folded

# ── figures ─────────────────────────────────────────────────────────────────
_COMPARATOR_WORDS = {
    "không thấp hơn": ">=",
    "không ít hơn": ">=",
    "không dưới": ">=",
    "ít nhất": ">=",
    "tối thiểu": ">=",
    "≥": ">=",
    ">=": ">=",
    "từ": ">=",
    "không vượt quá": "<=",
    "không quá": "<=",
    "tối đa": "<=",
    "≤": "<=",
    "<=": "<=",
    "ít hơn": "<",
    "dưới": "<",
    "<": "<",
    "trên": ">",
    "hơn": ">",
    "vượt": ">",
    ">": ">",
    "khoảng": "=",
    "=": "=",
}
_COMPARATOR_ALT = "|".join(
    (r"(?<!\w)" if word[0].isalpha() else "") + re.escape(word)
    for word in sorted(_COMPARATOR_WORDS, key=len, reverse=True)
)
_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_NUM_END = r"(?![\w/]|[.,]\d|-[^\W\d])"
_FIGURE = re.compile(
    rf"(?:(?P<comp>{_COMPARATOR_ALT})\s*)?"
    rf"(?<![\w.,/-])(?P<num>{_NUM}){_NUM_END}\s*(?P<pct>%)?"
    rf"(?:\s*(?:-|–|—|đến|tới)\s*(?P<num2>{_NUM}){_NUM_END}\s*(?P<pct2>%)?)?",
    re.IGNORECASE,
)
# A number right after these words qualifies the target instead of setting it.
_QUALIFIER_BEFORE = re.compile(
    r"(?:\bmức|\bmức độ|\bcấp độ|\btốc độ|\bnhiệm kỳ|\bgiai đoạn|\bthông tư|\bnghị định"
    r"|\bnghị quyết|\bquyết định|\bchỉ thị|\bđề án|\bđiều|\bkhoản|\blớp|\bsố)\s*$",
    re.IGNORECASE,
)
_QUALIFIER_AFTER = re.compile(
    r"^\s*(?:[GMKT]?b(?:it)?ps\b|[GMKT]?b/s|[GMKT]?B/s|[GMKT]?Hz\b|G\b|tuổi\b)"
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_AT_LEAST_AFTER = re.compile(r"^\s*trở lên\b", re.IGNORECASE)
_AT_MOST_AFTER = re.compile(r"^\s*trở xuống\b", re.IGNORECASE)
_INDEX_WORDS = re.compile(r"\b(?:chi so|diem|xep hang)\b")  # folded

# ── flags and scope ─────────────────────────────────────────────────────────
# "phấn đấu" and the plan's own misspellings ("phần đầu", "phân đầu") fold alike.
_ASPIRATIONAL = re.compile(r"\bphan dau\b(?! tien)")
_PER_YEAR = re.compile(r"\b(?:hang|moi) nam\b")
_SCOPE_CUT = re.compile(r"\b(?:với|tới|theo|giữa|có khả năng|kết nối|liên thông)\b", re.IGNORECASE)
_LEVEL_PHRASE = re.compile(r"\bcấp (?:thành phố|tỉnh|quốc gia|trung ương)\b", re.IGNORECASE)
_PROVINCE = re.compile(r"\b(?:của )?tỉnh\b|\b(?:các )?(?:sở, ban, ngành|ban, sở, ngành)")
_CITY = re.compile(r"\b(?:của )?thành phố\b")


@dataclass
class _Item:
    line: int
    year: int | None
    area: str
    parts: list[str] = field(default_factory=list)
    bulleted: bool = True


@dataclass(frozen=True)
class Figure:
    """A target figure found in a text: where it is and what it says."""

    start: int
    end: int
    comparator: str
    value: float
    value_max: float | None
    unit: str


def parse_plan(path: Path | str) -> pd.DataFrame:
    """One row per target of the plan's "Mục tiêu cụ thể" section (see module docstring)."""
    path = Path(path)
    lines = read_plan_lines(path)
    items = _scan(lines, path)
    rows: list[dict] = []
    ordinals: dict[tuple[int, str], int] = {}
    for item in items:
        for target in split_targets(clean_text(" ".join(item.parts))):
            key = (item.year, item.area)
            ordinals[key] = ordinals.get(key, 0) + 1
            rows.append(
                {
                    "target_id": f"{item.year}-{item.area or 'x'}-{ordinals[key]:02d}",
                    "milestone_year": item.year,
                    "area": item.area,
                    **target,
                    "source_line": item.line,
                }
            )
    if not rows:
        raise PlanParseError(path, "the section 'Mục tiêu cụ thể' holds no targets")
    frame = pd.DataFrame(rows, columns=list(PLAN_COLUMNS))
    frame["comparator"] = (
        frame["comparator"].astype(object).where(frame["comparator"].notna(), None)
    )
    return frame.astype(
        {
            "milestone_year": "int64",
            "value": "float64",
            "value_max": "float64",
            "per_year": "bool",
            "aspirational": "bool",
            "qualitative": "bool",
            "source_line": "int64",
        }
    )


def _is_milestone_heading(line: str) -> int | None:
    if line[0].islower() or "%" in line or len(line.split()) > 14:
        return None
    found = _MILESTONE.search(fold(line))
    return int(found.group(1)) if found else None


def _continues(item: _Item, line: str) -> bool:
    return line[0].islower() or not item.parts[-1].rstrip().endswith(FINAL_PUNCTUATION)


def _scan(lines: list[str], path: Path) -> list[_Item]:
    start = next(
        (
            n
            for n, line in enumerate(lines)
            if line.strip() and len(line) <= 120 and _SECTION.match(fold(line))
        ),
        None,
    )
    if start is None:
        raise PlanParseError(path, "no targets section (heading 'Mục tiêu cụ thể' not found)")
    year = _is_milestone_heading(lines[start])
    area = ""
    items: list[_Item] = []
    current: _Item | None = None
    problems: list[str] = []
    for number, raw in enumerate(lines[start + 1 :], start + 2):
        line = SPACES.sub(" ", raw).strip()
        if not line or FOOTNOTE_LINE.match(line):
            continue
        if ROMAN_HEADING.match(line):
            break
        if _AREA_HEADING.match(line):
            area, current = line[0], None
            continue
        bullet = BULLET.match(line)
        if bullet:
            current = _Item(number, year, area, [bullet.group(1)])
            items.append(current)
            continue
        heading_year = _is_milestone_heading(line)
        if heading_year is not None:
            year, area, current = heading_year, "", None
            continue
        if year is None and _NUMBERED.match(line):
            current = None  # a sub-heading before the first milestone
            continue
        if current is not None and _continues(current, line):
            current.parts.append(line)
            continue
        current = _Item(number, year, area, [line], bulleted=False)
        items.append(current)
    kept = []
    for item in items:
        if item.year is not None:
            kept.append(item)
        elif item.bulleted or find_figures(clean_text(item.parts[0])):
            problems.append(
                f"line {item.line}: a target before any milestone heading ('Đến hết năm YYYY')"
            )
    if problems:
        raise PlanParseError(path, "; ".join(problems))
    if not kept and year is None:
        raise PlanParseError(
            path, "the section 'Mục tiêu cụ thể' has no milestone heading ('Đến hết năm YYYY')"
        )
    return kept


def _number(text: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        return float(text.replace(".", "").replace(",", "."))
    return float(text.replace(",", "."))


def _is_qualifier(text: str, match: re.Match[str]) -> bool:
    if match.group("pct") or match.group("pct2"):
        return False
    if _YEAR.match(match.group("num")):
        return True
    before, after = text[: match.start()], text[match.end() :]
    if _QUALIFIER_BEFORE.search(before) or _QUALIFIER_AFTER.match(after):
        return True
    return before.endswith("(") and after.startswith(")")


def find_figures(text: str) -> list[Figure]:
    """Target figures in ``text``; qualifiers (years, speeds, levels, document numbers) skipped."""
    figures = []
    for match in _FIGURE.finditer(text):
        if _is_qualifier(text, match):
            continue
        after = text[match.end() :]
        word = (match.group("comp") or "").lower()
        comparator = _COMPARATOR_WORDS.get(word, "=")
        value = _number(match.group("num"))
        value_max = None
        if match.group("num2"):
            comparator = "range"
            value, value_max = sorted((value, _number(match.group("num2"))))
        elif _AT_LEAST_AFTER.match(after) and comparator == "=":
            comparator = ">="
        elif _AT_MOST_AFTER.match(after) and comparator == "=":
            comparator = "<="
        if match.group("pct") or match.group("pct2"):
            unit = "%"
        elif "," in match.group("num") or not value.is_integer():
            unit = "index"
        elif _INDEX_WORDS.search(fold(text[: match.start()])):
            unit = "index"
        else:
            unit = "count"
        figures.append(Figure(match.start(), match.end(), comparator, value, value_max, unit))
    return figures


def _segments(text: str) -> list[tuple[int, int]]:
    """Clause spans split at ';' and ', ' outside parentheses."""
    spans, depth, begin = [], 0, 0
    for position, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and (
            char == ";" or (char == "," and text[position + 1 : position + 2] == " ")
        ):
            spans.append((begin, position))
            begin = position + 1
    spans.append((begin, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _split_multi(text: str, span: tuple[int, int], figures: list[Figure]) -> list[tuple[int, int]]:
    """A clause with several figures splits before each later figure ('… và …' if present)."""
    inside = [f for f in figures if span[0] <= f.start < span[1]]
    cuts = []
    for previous, figure in itertools.pairwise(inside):
        between = text[previous.end : figure.start]
        joiner = max(between.rfind(" và "), between.rfind(" hoặc "))
        cuts.append(previous.end + joiner if joiner >= 0 else figure.start)
    bounds = [span[0], *cuts, span[1]]
    return list(itertools.pairwise(bounds))


def _trim(text: str) -> str:
    return text.strip().strip(",;:").rstrip(".").strip()


def detect_scope(text: str) -> tuple[str, str]:
    """(scope, phrase): whose figure the target sets — the ward's, the city's or the province's.

    Only the subject counts: what follows "với", "tới", "liên thông"… names a partner, and
    "cấp thành phố" a level of recognition, not the scope.
    """
    subject = _LEVEL_PHRASE.sub(" ", text)
    cut = _SCOPE_CUT.search(subject)
    subject = subject[: cut.start()] if cut else subject
    for scope, pattern in (("province", _PROVINCE), ("city", _CITY)):
        found = pattern.search(subject.lower())
        if found:
            return scope, found.group(0)
    return "ward", ""


def split_targets(text: str) -> list[dict]:
    """The targets one cleaned item holds, as dicts of the parser's per-target columns."""
    figures = find_figures(text)
    spans = []
    for span in _segments(text):
        spans.extend(_split_multi(text, span, figures))
    groups: list[list[tuple[int, int]]] = []
    pending: list[tuple[int, int]] = []
    for span in spans:
        has_figure = any(span[0] <= f.start < span[1] for f in figures)
        if has_figure:
            groups.append([*pending, span])
            pending = []
        elif groups:
            groups[-1].append(span)
        else:
            pending.append(span)
    if not groups:
        groups = [[(0, len(text))]]
    elif pending:
        groups[-1].extend(pending)
    lead_in = fold(text[: figures[0].start]) if figures else ""
    targets = []
    for group in groups:
        start, end = group[0][0], group[-1][1]
        own = _trim(text[start:end])
        figure = next((f for f in figures if start <= f.start < end), None)
        folded = fold(own)
        targets.append(
            {
                "comparator": figure.comparator if figure else None,
                "value": figure.value if figure else None,
                "value_max": figure.value_max if figure else None,
                "unit": figure.unit if figure else "other",
                "per_year": bool(_PER_YEAR.search(folded) or _PER_YEAR.search(lead_in)),
                "aspirational": bool(_ASPIRATIONAL.search(folded) or _ASPIRATIONAL.search(lead_in)),
                "qualitative": figure is None,
                "scope": detect_scope(own)[0],
                "text": own,
            }
        )
    return targets
