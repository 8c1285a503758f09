"""Every table a notebook shows, as an analyst reads it: one styling helper.

:func:`readable` turns any of nq57's frames into text cells: Vietnamese headings
(:data:`nq57lib.core.columns.COLUMN_LABELS_VI`), the words of each code (statuses from
:mod:`nq57lib.assess.statuses`, stages, kinds, roles), Vietnamese numbers and dates
(:mod:`nq57lib.core.fmt`: ``80,5%``, ``03/10/2025``), unit and indicator codes as their
names; a missing value is an empty cell, never ``NaN``. :func:`styled` makes it a pandas
``Styler``: every row rendered in a scrolling box (nothing cut), full text, status cells in
their colours. Pure: frames in, a new frame or Styler out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from pandas.io.formats.style import Styler

from nq57lib.assess.statuses import BY_CODE, label
from nq57lib.collect.resent import saved_text
from nq57lib.collect.units import load_reporting_units
from nq57lib.core.columns import CODE_LABELS_VI, column_label
from nq57lib.core.fmt import fmt_date, fmt_gap, fmt_number, fmt_percent, fmt_value, is_missing
from nq57lib.core.periods import Period
from nq57lib.core.project import Project
from nq57lib.core.vocab import (
    COMPARATOR_SYMBOLS,
    STAGE_LABELS_VI,
    TASK_STATE_LABELS_VI,
    UNIT_NAMES_VI,
    capital,
)
from nq57lib.plan.tracked import ward_registry
from nq57lib.report.wording import ATTENTION_WORDS

_STATUS = ("status", "previous_status", "category")
_DATES = ("deadline", "completed_on")
_MOMENTS = ("saved_on", "first_saved")
_PERIODS = ("period", "value_period", "baseline_period", "report_period", "vintage")
_FIGURES = (
    "value", "target", "value_max", "baseline", "expected_now", "numerator", "denominator",
    "unit_total", "periods_total",
)  # fmt: skip
_RATIOS = ("progress_ratio", "cagr_ratio", "straight_line_share")
_RATES = ("on_time_rate", "completion_rate_due", "completion_rate_all")  # shares 0–1
_WHOLE = ("milestone_year", "source_row", "source_line", "plan_line", "attention_rank")
_COUNTS = (
    "rows_read", "accepted", "quarantined", "blank", "expected", "received", "missing_count",
    "assigned", "due", "done_on_time", "done_late", "in_progress", "overdue", "not_started",
    "no_report", "completed_on_time", "completed_late", "open_in_time", "open_overdue",
    "no_deadline", "with_deadline",
)  # fmt: skip
_FLAGS = (
    "illustrative", "late", "attention", "value_current", "methods_disagree", "figure_owed",
    "changed", "stale", "unit_total_agrees", "agrees", "aspirational", "qualitative",
    "per_year",
)  # fmt: skip
_UNIT_CODES = ("lead_unit", "reported_by", "coordinators")
_NUMERIC = (*_FIGURES, *_RATIOS, *_RATES, *_COUNTS, "gap")
# A column of codes the scorecard's "recurring" count shares with the register's
# "recurring" kind of deadline: a count when every value is a number.
_MAYBE_COUNT = ("recurring",)
BOX_HEIGHT = "32em"  # a long table scrolls inside a box this high; every row is there
TEXT_WIDTH = "40em"  # a cell of running text wraps at this width, never cut


@dataclass(frozen=True)
class Names:
    """What codes stand for in one project: units, indicators, areas (letter → name)."""

    units: Mapping[str, str] = field(default_factory=dict)
    indicators: Mapping[str, str] = field(default_factory=dict)
    areas: Mapping[str, str] = field(default_factory=dict)


def _number(value: object) -> float | None:
    if is_missing(value):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _flag(value: object) -> str:
    if is_missing(value):
        return ""
    return {"true": "có", "false": "không", "1": "có", "0": "không"}.get(str(value).lower(), "")


def _day(value: object) -> str:
    if is_missing(value):
        return ""
    try:
        return fmt_date(date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value)


def _moment(value: object) -> str:
    if is_missing(value):
        return ""
    try:
        return saved_text(str(value))
    except ValueError:
        return str(value)


def _period(value: object) -> str:
    if is_missing(value):
        return ""
    try:
        return Period.parse(str(value)).short_label
    except Exception:  # any text a period column may hold is shown as written
        return str(value)


def _units(value: object, names: Mapping[str, str]) -> str:
    if is_missing(value):
        return ""
    parts = [p.strip() for p in str(value).replace(",", ";").split(";") if p.strip()]
    return "; ".join(names.get(p, p) for p in parts)


def _codes(value: object, words: Mapping[str, str]) -> str:
    return "" if is_missing(value) else words.get(str(value), str(value))


def _cell(column: str, value: object, row: Mapping, frame_kind: str, names: Names) -> str:
    """One cell's text (``row`` gives the measurement unit of a figure)."""
    if is_missing(value):
        return ""
    if column in _STATUS:
        if frame_kind == "observations":
            return capital(STAGE_LABELS_VI.get(str(value), str(value)))
        return label(str(value))
    if column == "state":
        return TASK_STATE_LABELS_VI.get(str(value), str(value))
    if column in _FLAGS:
        return _flag(value)
    if column in _DATES:
        return _day(value)
    if column in _MOMENTS:
        return _moment(value)
    if column in _PERIODS:
        return _period(value)
    if column in _WHOLE:
        number = _number(value)
        return str(int(number)) if number is not None else str(value)
    if column in _MAYBE_COUNT and str(value) in ("True", "False"):
        return _flag(value)  # a task's "recurring" flag; the register's holds a code
    if column in _COUNTS or (column in _MAYBE_COUNT and _number(value) is not None):
        number = _number(value)
        return fmt_number(number, 0) if number is not None else str(value)
    if column in _RATES:
        number = _number(value)
        return fmt_percent(100 * number) if number is not None else str(value)
    if column in _RATIOS:
        number = _number(value)
        return fmt_number(number, 2) if number is not None else str(value)
    if column in _FIGURES or column == "gap":
        number = _number(value)
        if number is None:
            return str(value)
        unit = row.get("unit", "")
        unit = unit if unit in UNIT_NAMES_VI else ""
        if column == "gap":
            return fmt_gap(number, unit)
        return fmt_value(number, unit) if unit else fmt_number(number, 2)
    if column == "unit" and str(value) in UNIT_NAMES_VI:
        return UNIT_NAMES_VI[str(value)]
    if column == "comparator":
        return COMPARATOR_SYMBOLS.get(str(value), str(value))
    if column == "attention_reason":
        return ATTENTION_WORDS.get(str(value), str(value))
    if column in CODE_LABELS_VI:
        return _codes(value, CODE_LABELS_VI[column])
    if column in _UNIT_CODES:
        return _units(value, names.units)
    if column == "missing":
        return "; ".join(names.indicators.get(i, i) for i in str(value).split("; ") if i)
    if column == "area":
        return names.areas.get(str(value), str(value))
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return fmt_number(value, 0)
    if isinstance(value, float):
        return fmt_number(value, 2)
    return str(value)


def _kind(frame: pd.DataFrame) -> str:
    """Observations hold a stage in ``status``; every other table a status code."""
    columns = set(frame.columns)
    if {"indicator_id", "source_cell", "value"} <= columns and "milestone_year" not in columns:
        return "observations"
    return ""


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame whose index carries data (a summary, an unstack) with it as columns."""
    if isinstance(frame.index, pd.RangeIndex) and frame.index.name is None:
        return frame
    named = [n for n in frame.index.names if n is not None]
    return frame.reset_index() if named else frame.reset_index(drop=True)


def _drop_duplicates(frame: pd.DataFrame) -> pd.DataFrame:
    """The code beside its own words (``status_vi``, a unit's code beside its name) is
    shown once, as the words."""
    drop = []
    if {"status", "status_vi"} <= set(frame.columns):
        drop.append("status_vi")
    if {"unit", "unit_name"} <= set(frame.columns):
        drop.append("unit")
    return frame.drop(columns=drop)


def readable(frame: pd.DataFrame, names: Names | None = None) -> pd.DataFrame:
    """``frame`` with Vietnamese headings and every cell as text (see the module)."""
    names = names or Names()
    frame = _drop_duplicates(_flat(frame))
    kind = _kind(frame)
    records = frame.to_dict("records")
    columns = [str(c) for c in frame.columns]
    cells: dict[str, list[str]] = {}
    for c, raw in zip(columns, frame.columns, strict=True):
        heading, n = column_label(c), 2
        while heading in cells:  # two columns of one heading ("name", "name_vi")
            heading, n = f"{column_label(c)} ({n})", n + 1
        cells[heading] = [_cell(c, r[raw], r, kind, names) for r in records]
    out = pd.DataFrame(cells, index=range(len(frame)), columns=list(cells))
    return out


# A status's words (as a cell shows them, and as in the vocabulary) → its code.
_BY_LABEL = {**{s.label_vi: c for c, s in BY_CODE.items()}, **{label(c): c for c in BY_CODE}}


def _status_css(code: object) -> str:
    status = BY_CODE.get(str(code))
    if status is None:
        return ""
    return f"background-color: #{status.colour.lower()}; color: {'#fff' if status.dark else '#000'}"


def styled(frame: pd.DataFrame, names: Names | None = None, caption: str | None = None) -> Styler:
    """The table ready to show: every row, in a scrolling box, status cells coloured; a
    column empty in every row is left out."""
    flat = _drop_duplicates(_flat(frame))
    shown = readable(flat, names)
    if len(shown):
        full = [i for i, h in enumerate(shown.columns) if (shown[h] != "").any()]
        flat, shown = flat.iloc[:, full], shown.iloc[:, full]
    colours = pd.DataFrame("", index=shown.index, columns=shown.columns)
    if _kind(flat) != "observations":
        for raw, heading in zip(flat.columns, shown.columns, strict=True):
            if str(raw) in _STATUS:
                colours[heading] = [_status_css(v) for v in flat[raw]]
            elif str(raw) == column_label("status"):  # a table already in words
                colours[heading] = [_status_css(_BY_LABEL.get(str(v), "")) for v in flat[raw]]
    numeric = [h for raw, h in zip(flat.columns, shown.columns, strict=True) if raw in _NUMERIC]
    count = f"{fmt_number(len(shown), 0)} dòng" if len(shown) else "Không có dòng nào"
    styler = (
        shown.style.hide(axis="index")
        .apply(lambda _: colours, axis=None)
        .set_caption(f"{caption} — {count}" if caption else count)
        .set_table_attributes('class="nq57-view"')
        .set_table_styles(
            [
                {
                    "selector": "",
                    "props": f"display: block; max-height: {BOX_HEIGHT}; overflow: auto; "
                    "border-collapse: collapse; font-size: 0.92em;",
                },
                {
                    "selector": "caption",
                    "props": "caption-side: top; text-align: left; color: #555; padding: 2px;",
                },
                {
                    "selector": "th",
                    "props": "position: sticky; top: 0; background: #eef3f8; text-align: left; "
                    "vertical-align: bottom; padding: 3px 6px; border-bottom: 1px solid #999;",
                },
                {
                    "selector": "td",
                    "props": f"text-align: left; vertical-align: top; padding: 3px 6px; "
                    f"white-space: normal; max-width: {TEXT_WIDTH}; "
                    "border-bottom: 1px solid #ddd;",
                },
            ]
        )
    )
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right"})
    return styler


def card(row: Mapping[str, object], names: Names | None = None, caption: str = "") -> Styler:
    """One record as a two-column table (heading, value): an indicator's verdict, a task.
    Empty values are left out."""
    shown = readable(pd.DataFrame([dict(row)]), names)
    pairs = pd.DataFrame({"Mục": list(shown.columns), "Nội dung": list(shown.iloc[0])})
    return styled(pairs[pairs["Nội dung"] != ""].reset_index(drop=True), caption=caption)


def names_of(project: Project) -> Names:
    """The names of ``project``'s units, tracked indicators and areas (read once per
    version of its files: a notebook shows many tables)."""
    files = (project.units_path, project.registry_path, project.plan_path)
    key = tuple((str(f), f.stat().st_mtime_ns if f.is_file() else 0) for f in files)
    if key not in _NAMES:
        _NAMES.clear()
        _NAMES[key] = _read_names(project)
    return _NAMES[key]


_NAMES: dict[tuple, Names] = {}


def _read_names(project: Project) -> Names:
    registry = ward_registry(project)
    units = load_reporting_units(project.units_path, registry)
    return Names(
        units={u.code: u.name_vi for u in units},
        indicators={i.id: i.name_vi for i in registry},
        areas=dict(project.areas),
    )


def show(frame: pd.DataFrame, project: Project | None = None, caption: str | None = None) -> Styler:
    """:func:`styled` with the names of ``project`` (a notebook's one-line call)."""
    return styled(frame, names_of(project) if project is not None else None, caption)
