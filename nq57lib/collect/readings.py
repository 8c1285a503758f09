"""Turn one table row into a candidate observation, or the reasons it cannot be one.

Readings follow the indicator's registry unit: percents end on the 0–100 scale
(a bare fraction such as 0,855 is read as 85,5% and the note says so), counts
must be whole, qualitative milestones need a status word. Text is never
evaluated: a cell holding ``=1+1`` is text, not a formula, and not a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from nq57lib.collect.checks import ROW_CHECKS, Candidate, check_has_reading, row_problems
from nq57lib.collect.frames import shorten
from nq57lib.collect.matching import IndicatorMatcher, describe_candidates
from nq57lib.collect.numbers import NumberTextError, ParsedNumber, parse_cell_number
from nq57lib.collect.strays import stray_figures
from nq57lib.collect.tables import RawRow, Table
from nq57lib.core.fmt import fmt_number, fmt_percent
from nq57lib.core.textnorm import fold
from nq57lib.core.vocab import STAGE_LABELS_VI
from nq57lib.plan.registry import Indicator

_STATUS = (
    (
        "not_started",
        re.compile(
            r"^(?:chua trien khai|chua thuc hien|chua bat dau|chua xay dung"
            r"|chua co|chua|not started)\b"
        ),
    ),
    (
        "in_progress",
        re.compile(
            r"^(?:dang trien khai|dang thuc hien|dang xay dung|dang hoan thien"
            r"|dang|in progress|trien khai mot phan)\b"
        ),
    ),
    (
        "done",
        re.compile(
            r"^(?:hoan thanh|da hoan thanh|da trien khai|da xay dung|da dua vao"
            r"|da van hanh|dat|done)\b"
        ),
    ),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A unit's note kept with an observation or a remark; a cell can hold 32,767 characters.
NOTE_CHARS = 2_000
# A label or a formula quoted back in a message.
QUOTED_CHARS = 200


def parse_status(text: object) -> str | None:
    """'Đang triển khai' -> 'in_progress'; None when the text is not a status."""
    if not isinstance(text, str):
        return None
    key = fold(text)
    for status, pattern in _STATUS:
        if pattern.search(key):
            return status
    return None


def inert_text(value: object) -> str:
    """Cell text kept verbatim for notes; control characters dropped, nothing evaluated."""
    if value is None:
        return ""
    return _CONTROL.sub(" ", str(value)).replace("\r", " ").replace("\n", " ").strip()


def quoted(text: str, limit: int = QUOTED_CHARS) -> str:
    """Text to quote back in a message, cut to ``limit`` characters ("…" marks the cut)."""
    return shorten(text, limit)


def uncached_formula(cell: str, formula: str) -> str:
    return (
        f"ô {cell} chứa công thức “{quoted(formula)}” nhưng tệp không lưu giá trị đã tính "
        "(tệp không được lưu bằng Excel); mở tệp bằng Excel, lưu lại rồi gửi, "
        "hoặc nhập trực tiếp giá trị"
    )


@dataclass
class RowOutcome:
    """``candidate`` when the row is usable, else ``problems``; ``blank`` when it holds no data."""

    blank: bool = False
    candidate: Candidate | None = None
    indicator: Indicator | None = None
    problems: list[str] = field(default_factory=list)
    cell: str = ""


@dataclass(frozen=True)
class FormulaCells:
    """Formulas of one sheet (``{(row, column): '=…'}``), read from the sheet's XML."""

    formulas: dict[tuple[int, int], str]
    rows: dict[int, dict[int, str]] = field(init=False)  # row → {column: formula}

    def __post_init__(self) -> None:
        rows: dict[int, dict[int, str]] = {}
        for (row, column), formula in self.formulas.items():
            rows.setdefault(row, {})[column] = formula
        object.__setattr__(self, "rows", rows)

    def at(self, row: int, column: int) -> str | None:
        return self.formulas.get((row, column))

    def uncached(self, raw: RawRow, columns: Iterable[int | None]) -> list[str]:
        """A problem for each formula of ``columns`` in this row whose result the file does
        not hold (openpyxl's data-only load found the cell empty)."""
        if raw.row not in self.rows:
            return []
        problems = []
        for column in sorted({c for c in columns if c}):
            formula = self.at(raw.row, column)
            if formula and column not in raw.cells:
                problems.append(uncached_formula(_cell(column, raw.row), formula))
        return problems


def unread_formulas(
    formulas: FormulaCells | None,
    raw: RawRow,
    data_cols: Iterable[int | None],
    label_cols: Iterable[int | None],
) -> list[str]:
    """Problems for the formulas without a result in a row's data and label cells; none for
    a row that reports nothing (no data cell filled, no data formula), which stays blank."""
    if formulas is None or raw.row not in formulas.rows:
        return []
    data_cols, label_cols = list(data_cols), list(label_cols)
    if not formulas.uncached(raw, data_cols) and not any(c in raw.cells for c in data_cols):
        return []
    return formulas.uncached(raw, [*data_cols, *label_cols])


def _cell(column: int, row: int) -> str:
    return f"{get_column_letter(column)}{row}"


def identify(
    raw: RawRow, table: Table, matcher: IndicatorMatcher
) -> tuple[Indicator | None, list[str], list[str]]:
    """(indicator, problems, notes) from the code and/or name cells."""
    code_col, name_col = table.col("code"), table.col("name")
    code = inert_text(raw.cells.get(code_col)) if code_col else ""
    name = inert_text(raw.cells.get(name_col)) if name_col else ""
    by_code = matcher.by_code(code) if code else None
    if code and by_code is None and matcher.looks_like_code(code):
        near = matcher.match(name) if name else None
        hint = (
            f"tên “{quoted(name)}” ứng với {near.indicator.id}"
            if near and near.indicator
            else describe_candidates(matcher.match(code.replace("_", " ")))
        )
        return (
            None,
            [
                f"mã chỉ tiêu “{quoted(code)}” không có trong danh mục ({hint}); sửa mã cho đúng "
                "danh mục trong biểu mẫu"
            ],
            [],
        )
    by_name = matcher.match(name) if name else None
    if by_code is not None:
        if by_name is not None and by_name.indicator is not None and by_name.indicator != by_code:
            return (
                None,
                [
                    f"mã “{quoted(code)}” ({by_code.name_vi}) và tên “{quoted(name)}” "
                    f"({by_name.indicator.id}) chỉ hai chỉ tiêu khác nhau; sửa mã hoặc tên cho khớp"
                ],
                [],
            )
        return by_code, [], []
    if by_name is not None and by_name.indicator is not None:
        notes = []
        if by_name.how == "near name":
            similarity = fmt_number(by_name.score * 100, 0)
            notes.append(f"nhận diện theo tên gần đúng “{quoted(name)}” (độ giống {similarity}%)")
        return by_name.indicator, [], notes
    if not name and not code:
        return (
            None,
            ["dòng có số liệu nhưng không có mã hoặc tên chỉ tiêu; ghi mã hoặc tên chỉ tiêu"],
            [],
        )
    label = name or code
    return (
        None,
        [
            f"không nhận ra chỉ tiêu “{quoted(label)}” — "
            f"{describe_candidates(by_name or matcher.match(label))}; "
            "ghi đúng mã hoặc tên chỉ tiêu theo danh mục (hoặc bổ sung tên này vào mục aliases của "
            "indicators.yaml nếu đúng là một chỉ tiêu đã có)"
        ],
        [],
    )


def _number(
    raw: RawRow,
    column: int | None,
    label: str,
    problems: list[str],
    c: Candidate | None = None,
    *,
    count: bool = False,
) -> tuple[ParsedNumber | None, str]:
    """The number in ``column`` of the row; notes and flags go to the candidate ``c``.
    ``count``: the cell counts items, so "1,000" is one thousand (else one, a decimal comma)."""
    if not column or column not in raw.cells:
        return None, ""
    where = _cell(column, raw.row)
    try:
        parsed = parse_cell_number(raw.cells[column], raw.formats.get(column, "General"))
    except NumberTextError as error:
        problems.append(f"ô {where} ({label}): {error}")
        return None, where
    if parsed is None or c is None:
        return parsed, where
    if parsed.written:
        shown = fmt_percent(parsed.value, 6) if parsed.percent else fmt_number(parsed.value, 6)
        c.notes.append(
            f"ô {where} ghi “{quoted(parsed.written, 60)}” bằng ký tự số không chuẩn, "
            f"đã đọc là {shown}"
        )
    if parsed.grouped is not None:
        written = quoted(inert_text(raw.cells[column]), 60)
        if count:
            parsed = ParsedNumber(parsed.grouped, parsed.percent, parsed.written)
            why = "chỉ tiêu tính bằng số lượng nên đọc là"
        else:
            why = "chỉ tiêu không tính bằng số lượng nên dấu phẩy là dấu thập phân, đọc là"
        shown = fmt_number(parsed.value, 6)
        c.notes.append(
            f"ô {where} ghi “{written}”: dấu phẩy có thể là dấu thập phân hoặc dấu phân cách "
            f"hàng nghìn; {why} {shown}"
        )
        c.flags.append(("thousands", f"ô {where} “{written}” → {shown}"))
    return parsed, where


def read_row(
    raw: RawRow, table: Table, matcher: IndicatorMatcher, formulas: FormulaCells | None = None
) -> RowOutcome:
    """Interpret one row; every problem found is listed, none is guessed around."""
    data_roles = ("value", "numerator", "denominator", "status")
    data_cols = {r: table.col(r) for r in data_roles if table.col(r)}
    label_cols = [c for c in (table.col("code"), table.col("name")) if c]
    uncached = unread_formulas(formulas, raw, data_cols.values(), label_cols)
    if not uncached and not any(c in raw.cells for c in data_cols.values()):
        strays = stray_figures(raw, table)
        if not strays:
            return RowOutcome(blank=True)
        # A figure outside the value column: set aside with its cell, never counted blank.
        indicator, problems, _notes = identify(raw, table, matcher)
        return RowOutcome(
            indicator=indicator, problems=[r for _c, r in strays] + problems, cell=strays[0][0]
        )
    indicator, problems, notes = identify(raw, table, matcher)
    if indicator is None and formulas and formulas.uncached(raw, label_cols):
        problems = []  # the label is the formula: "no name", "unknown name" would mislead
    problems = uncached + problems
    if indicator is None:
        return RowOutcome(problems=problems)
    candidate = Candidate(indicator=indicator, notes=notes)
    value_col = table.col("value")
    status_col = table.col("status")
    if indicator.qualitative:
        _read_status(raw, value_col, status_col, candidate, problems)
    else:
        _read_quantity(raw, table, value_col, status_col, candidate, problems)
    if formulas is not None and value_col and candidate.cell == _cell(value_col, raw.row):
        formula = formulas.at(raw.row, value_col)
        if formula:
            candidate.notes.append(f"giá trị đã lưu của công thức {quoted(formula)}")
    # A reading already rejected needs no second "missing value" message.
    checks = [c for c in ROW_CHECKS if not (problems and c is check_has_reading)]
    problems.extend(p for p in row_problems(candidate, checks) if p not in problems)
    if problems:
        return RowOutcome(indicator=indicator, problems=problems, cell=candidate.cell)
    return RowOutcome(candidate=candidate, indicator=indicator, cell=candidate.cell)


def _read_status(
    raw: RawRow, value_col: int | None, status_col: int | None, c: Candidate, problems: list[str]
) -> None:
    for column in (status_col, value_col):
        if not column or column not in raw.cells:
            continue
        text = raw.cells[column]
        status = parse_status(text)
        if status:
            c.status, c.cell = status, _cell(column, raw.row)
            return
        allowed = " / ".join(STAGE_LABELS_VI.values())
        problems.append(
            f"ô {_cell(column, raw.row)}: “{quoted(inert_text(text))}” không phải trạng thái "
            f"của chỉ tiêu định tính {c.indicator.id}; chọn một trong: {allowed}"
        )
        return


def _read_quantity(
    raw: RawRow,
    table: Table,
    value_col: int | None,
    status_col: int | None,
    c: Candidate,
    problems: list[str],
) -> None:
    typed = raw.cells.get(value_col) if value_col else None
    # A stage ("đang triển khai") typed where a figure belongs: said as such, not as a number
    # that does not parse.
    stage_typed = isinstance(typed, str) and parse_status(typed) is not None
    if stage_typed:
        parsed, where = None, _cell(value_col, raw.row)
    else:
        count = c.indicator.unit == "count"
        parsed, where = _number(raw, value_col, "giá trị", problems, c, count=count)
    # A numerator and a denominator count people, dossiers, schools.
    numerator, n_cell = _number(raw, table.col("numerator"), "tử số", problems, c, count=True)
    denominator, _ = _number(raw, table.col("denominator"), "mẫu số", problems, c, count=True)
    c.numerator = numerator.value if numerator else None
    c.denominator = denominator.value if denominator else None
    if parsed is not None:
        c.value, c.cell = parsed.value, where
        if c.indicator.unit == "%" and not parsed.percent and 0 < parsed.value < 1:
            c.value = parsed.value * 100
            shown = fmt_number(parsed.value, 4)
            c.notes.append(f"giá trị {shown} được hiểu là tỷ lệ {fmt_number(c.value, 2)}%")
        if c.indicator.unit != "%" and parsed.percent:
            problems.append(
                f"ô {where}: chỉ tiêu {c.indicator.id} tính bằng "
                f"{'số lượng' if c.indicator.unit == 'count' else 'chỉ số'}, không phải tỷ lệ %"
            )
    elif c.numerator is not None and c.denominator:
        if c.indicator.unit == "%" and c.numerator >= 0:
            c.value = c.numerator / c.denominator * 100
            c.cell = n_cell
            c.notes.append(
                f"tính từ tử số/mẫu số {fmt_number(c.numerator, 2)}/{fmt_number(c.denominator, 2)}"
            )
    if c.indicator.kind == "flow" and table.cumulative and c.value is not None:
        problems.append(
            f"cột “{quoted(table.headings.get(value_col or 0, ''))}” là số lũy kế; "
            f"chỉ tiêu {c.indicator.id} cần số phát sinh trong kỳ "
            "(không cộng dồn từ đầu năm) — nhập số trong kỳ"
        )
    if (
        status_col
        and status_col in raw.cells
        and c.value is None
        and not problems
        and not stage_typed
    ):
        problems.append(
            f"ô {_cell(status_col, raw.row)}: chỉ tiêu {c.indicator.id} là chỉ tiêu định lượng, "
            "cần giá trị số chứ không phải trạng thái"
        )
    if stage_typed:
        problems.append(
            f"ô {where}: “{quoted(inert_text(raw.cells[value_col]))}” là trạng thái, nhưng "
            f"chỉ tiêu {c.indicator.id} là chỉ tiêu định lượng; nhập giá trị số"
        )
