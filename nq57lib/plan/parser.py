"""A plan's targets, one row each, wherever and however the plan states them.

The parser reads the structure, never a file's line numbers or figures, so an amended plan
or another ward's plan parses without code changes. Three readers, one row shape:

- **sections** (:mod:`nq57lib.plan.sections`): a heading such as "Mục tiêu cụ thể",
  "Chỉ tiêu cụ thể đến năm 2030", or a sentence introducing a list of targets; items are
  bullets, numbered items or paragraphs under milestone and area headings;
- **tables** (:mod:`nq57lib.plan.tables`): "Danh mục các chỉ tiêu" with milestone rows;
- **prose** (:mod:`nq57lib.plan.prose`): only when neither of the above finds anything,
  target sentences in running text.

An item holding several target figures separated by "," or ";" becomes several targets,
each with its own words (:func:`nq57lib.plan.figures.split_targets`). A plan with no
targets gives an empty catalogue and a note saying what was looked for — never targets
made of dates, document numbers or years. A target that no milestone year can be given to
(no heading, no phrase, no year in the plan's title) keeps an empty year: the catalogue
refuses the plan naming its lines, since no target can be assessed without its year.

``target_id`` here is positional — ``{year}-{area}-{ordinal:02d}`` within the milestone's
area list, e.g. ``2030-e-07`` (area ``x`` when the plan has no area heading). The
catalogue (:mod:`nq57lib.plan.catalogue`) replaces it by ``{year}-{indicator_id}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from nq57lib.core.textnorm import strip_comments
from nq57lib.plan.figures import detect_scope, find_figures, split_targets
from nq57lib.plan.prose import prose_targets
from nq57lib.plan.sections import find_regions, scan_region
from nq57lib.plan.structure import clause_year, milestone_heading, plan_year
from nq57lib.plan.tables import find_tables, table_targets
from nq57lib.plan.text import clean_text, read_plan_lines

__all__ = [
    "PLAN_COLUMNS", "ParsedPlan", "clean_text", "detect_scope", "find_figures", "parse_lines",
    "parse_plan", "read_plan_targets", "split_targets",
]  # fmt: skip

PLAN_COLUMNS = (
    "target_id",
    "milestone_year",
    "area",
    "comparator",
    "value",
    "value_max",
    "unit",
    "unit_label",
    "per_year",
    "aspirational",
    "qualitative",
    "scope",
    "text",
    "source_line",
)
NO_TARGETS = (
    "no targets found: no section such as 'Mục tiêu cụ thể' / 'Chỉ tiêu cụ thể', no table "
    "of targets and no sentence stating a target with a figure and a year"
)


@dataclass(frozen=True)
class ParsedPlan:
    """The plan's targets, where they were found, and what the parser wants a reader to know."""

    targets: pd.DataFrame
    found_in: tuple[str, ...]  # "section", "table", "prose"
    year: int | None  # the plan's own year, from its title
    notes: tuple[str, ...] = ()


def _without_comments(lines: list[str]) -> list[str]:
    """HTML comments (a source note atop a Markdown file) blanked, line numbers kept."""
    text = "\n".join(lines)
    return strip_comments(text, keep_lines=True).split("\n")


def _year_above(lines: list[str], line: int, default: int | None) -> int | None:
    """The milestone of the nearest heading or phrase above a table (1-based ``line``)."""
    for n in range(line - 2, max(-1, line - 12), -1):
        text = lines[n].strip()
        if text.startswith("|"):
            break
        found = milestone_heading(text) or (clause_year(text) if text.endswith(":") else None)
        if found:
            return found
    return default


def parse_lines(lines: list[str], path: Path) -> ParsedPlan:
    """Targets of a plan already read into lines (see the module docstring)."""
    lines = _without_comments(lines)
    own_year = plan_year(lines)
    rows: list[dict] = []
    found_in: list[str] = []
    covered: set[int] = set()
    for region in find_regions(lines):
        covered.update(range(region.start, region.end))
        for item in scan_region(lines, region, region.year or own_year):
            year = item.year
            for target in split_targets(clean_text(" ".join(item.parts))):
                # An item under no milestone names its own ("Về kinh tế: Đến năm 2030, …"),
                # and its later clauses keep it ("…; phấn đấu đạt 15 bác sỹ/1 vạn dân").
                own = clause_year(target["text"]) if item.assumed or target["aside"] else None
                # "… 90% (năm 2030 đạt 100%)": a year in parentheses is its target's alone.
                when = own if own is not None else year
                year = year if target["aside"] else when
                rows.append(
                    {**target, "milestone_year": when, "area": item.area,
                     "source_line": item.line}
                )  # fmt: skip
        found_in.append("section")
    for table in find_tables(lines):
        covered.update(range(table.line - 1, table.line + len(table.rows) + 1))
        found = table_targets(table, _year_above(lines, table.line, own_year))
        rows.extend({**t, "area": ""} for t in found)
        if found:
            found_in.append("table")
    if not rows:
        found = prose_targets(lines, own_year, covered)
        rows.extend({**t, "area": ""} for t in found)
        if found:
            found_in.append("prose")
    notes = () if rows else (NO_TARGETS,)
    return ParsedPlan(_frame(rows), tuple(dict.fromkeys(found_in)), own_year, notes)


def _frame(rows: list[dict]) -> pd.DataFrame:
    rows = sorted(rows, key=lambda r: r["source_line"])
    ordinals: dict[tuple[int, str], int] = {}
    for row in rows:
        key = (row["milestone_year"], row["area"])
        ordinals[key] = ordinals.get(key, 0) + 1
        year = row["milestone_year"] or "nam"
        row["target_id"] = f"{year}-{row['area'] or 'x'}-{ordinals[key]:02d}"
    frame = pd.DataFrame(rows, columns=list(PLAN_COLUMNS))
    frame["comparator"] = (
        frame["comparator"].astype(object).where(frame["comparator"].notna(), None)
    )
    # A target no heading, phrase or title gives a year keeps an empty one (Int64): the
    # parser reports what the plan says, the catalogue refuses it by line.
    years = "int64" if frame["milestone_year"].notna().all() else "Int64"
    return frame.astype(
        {
            "milestone_year": years,
            "value": "float64",
            "value_max": "float64",
            "per_year": "bool",
            "aspirational": "bool",
            "qualitative": "bool",
            "source_line": "int64",
        }
    )


def read_plan_targets(path: Path | str) -> ParsedPlan:
    """Read the plan file (.md, .txt, .docx, .pdf) and find its targets."""
    path = Path(path)
    return parse_lines(read_plan_lines(path), path)


def parse_plan(path: Path | str) -> pd.DataFrame:
    """One row per target of the plan (empty when it states none: see ``read_plan_targets``)."""
    return read_plan_targets(path).targets
