"""Find the indicator table inside a loosely laid-out worksheet.

Units put titles, merged banners and signature blocks around their tables, so the
header row is searched for (any of the first rows), columns are recognised by
their Vietnamese headings (a value heading merged over period sub-columns gives one
value column per period), and reading stops at the signature block — recognised by
its shape and position (:func:`table_end`), never by a date in a row of the table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from openpyxl.worksheet.worksheet import Worksheet

from nq57lib.core.periods import Period, find_periods
from nq57lib.core.textnorm import fold, nfc

HEADER_SEARCH_ROWS = 40
# Columns of a sheet the reader looks at; cells further right are never part of a table.
READ_COLUMNS = 60

# Column roles, tried in order on the folded heading; the first rule that fits wins.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("numerator", re.compile(r"\btu so\b")),
    ("denominator", re.compile(r"\bmau so\b")),
    ("code", re.compile(r"^(?:ma|ma so|ma chi tieu|ma ct|code|indicator id|id)\b")),
    ("unit", re.compile(r"^(?:don vi tinh|dvt|don vi)$|^don vi tinh\b")),
    ("status", re.compile(r"\b(?:trang thai|tien do|tinh trang|muc do hoan thanh)\b")),
    ("evidence", re.compile(r"\b(?:minh chung|tai lieu kem theo)\b")),
    ("note", re.compile(r"\b(?:ghi chu|note)\b")),
    (
        "ignore",
        re.compile(
            r"\b(?:ke hoach|muc tieu|cung ky|ky truoc|nam truoc|so sanh|cach bao cao"
            r"|stt|tt|chi tieu giao|loai)\b"
        ),
    ),
    ("name", re.compile(r"^(?:ten chi tieu|chi tieu|noi dung|ten|indicator|noi dung chi tieu)\b")),
    (
        "value",
        re.compile(r"\b(?:gia tri|ket qua|so lieu|so luong|thuc hien|ty le|luy ke|value)\b"),
    ),
)
_CUMULATIVE = re.compile(r"\b(?:luy ke|cong don|tu dau nam)\b")
# Signature lines: "Người lập biểu", "Thủ trưởng đơn vị", "(Ký, ghi rõ họ tên)", "TM. UBND",
# matched on the folded text of a short cell.
_SIGNATURE = re.compile(
    r"^(?:nguoi lap|nguoi lap bieu|nguoi bao cao|nguoi tong hop|thu truong|ky ghi ro|ky ten"
    r"|ky va ghi ro|xac nhan|noi nhan|truong phong|pho truong phong|chu tich|pho chu tich"
    r"|kt chu tich|giam doc|tm ubnd|tm uy ban|chanh van phong|pho chanh van phong"
    r"|truong cong an|truong ban)\b"
)
# The dateline of a signature block: "Hồng Bàng, ngày 05 tháng 10 năm 2026", "…, ngày …
# tháng … năm …", "Ngày 05 tháng 10 năm 2026". A place needs its comma: "Đã ban hành ngày
# 15 tháng 9 năm 2026" is a unit's result, not a dateline. Every repetition is bounded or
# separated by a literal word, so matching stays linear.
_DATELINE = re.compile(
    r"^(?:[^,\d]{1,40},\s*)?ngày\s+(?:(?:\d{1,2}|[.…]+)\s+)?tháng\s+(?:(?:\d{1,2}|[.…]+)\s+)?"
    r"năm(?:\s+(?:\d{4}|[.…]+))?\.?$"
)
# Longer text is never a signature line (and is not matched at all).
_SIGNATURE_CHARS = 120


@dataclass
class Table:
    """Where the data sits in one worksheet (1-based row and column numbers)."""

    sheet: str
    header_row: int
    first_data_row: int
    columns: dict[str, int]
    headings: dict[int, str]
    cumulative: bool = False
    title_texts: list[str] = field(default_factory=list)
    # Value columns naming another period ("Quý II/2026" in a Quý III report): column → that
    # period's label. They are never read as this period's figure.
    other_periods: dict[int, str] = field(default_factory=dict)
    period_vi: str = ""  # the period being cleaned, as its label reads

    def col(self, role: str) -> int | None:
        return self.columns.get(role)


def _row_texts(ws: Worksheet, row: int, width: int) -> dict[int, str]:
    texts = {}
    for column in range(1, width + 1):
        value = ws.cell(row=row, column=column).value
        if isinstance(value, str) and value.strip():
            texts[column] = value.strip()
    return texts


def _pick_value_column(
    candidates: list[int], headings: dict[int, str], period: Period
) -> int | None:
    """Several result columns (e.g. 'Quý II', 'Quý III'): prefer the one naming this period;
    None when every one names another period (a figure of Quý II is no figure of Quý III)."""
    for column in candidates:
        if period in find_periods(headings[column]):
            return column
    plain = [c for c in candidates if not find_periods(headings[c])]
    if not plain:
        return None
    plain_current = [c for c in plain if not _CUMULATIVE.search(fold(headings[c]))]
    return (plain_current or plain or candidates)[0]


Rules = tuple[tuple[str, re.Pattern[str]], ...]


def classify_with(rules: Rules, text: object) -> str | None:
    """The role of a heading under ``rules`` (the first pattern that fits the folded text)."""
    if not isinstance(text, str):
        return None
    key = fold(text)
    if not key:
        return None
    return next((role for role, pattern in rules if pattern.search(key)), None)


def classify_heading(text: object) -> str | None:
    """The role of a column of an indicator table from its heading: 'Kết quả (%)' → 'value'."""
    return classify_with(_RULES, text)


def find_header(
    ws: Worksheet, rules: Rules, accept: Callable[[dict[str, list[int]], list[str]], bool]
) -> tuple[Table, dict[str, list[int]]] | None:
    """The first row (among the first rows) whose headings ``accept`` takes.

    Returns the Table (each role's first column) and every column of each role; ``accept``
    sees the roles found and the row's heading texts. Rows above the header are kept as
    ``title_texts`` (unit name, period, "Số liệu minh họa").
    """
    width = min(ws.max_column or 0, READ_COLUMNS)
    last = min(ws.max_row or 0, HEADER_SEARCH_ROWS)
    titles: list[str] = []
    for row in range(1, last + 1):
        texts = _row_texts(ws, row, width)
        roles: dict[str, list[int]] = {}
        for column, text in texts.items():
            role = classify_with(rules, text)
            if role:
                roles.setdefault(role, []).append(column)
        if not accept(roles, list(texts.values())):
            titles.extend(texts.values())
            continue
        table = Table(
            sheet=ws.title,
            header_row=row,
            first_data_row=row + 1,
            columns={role: cols[0] for role, cols in roles.items() if role != "ignore"},
            headings=dict(texts),
            title_texts=titles,
        )
        return table, roles
    return None


def _names_and_reads(roles: dict[str, list[int]], _texts: list[str]) -> bool:
    has_label = "code" in roles or "name" in roles
    return has_label and any(r in roles for r in ("value", "status", "numerator"))


def find_table(ws: Worksheet, period: Period) -> Table | None:
    """The first row whose headings name an indicator column and a reading column."""
    found = find_header(ws, _RULES, _names_and_reads)
    if found is None:
        return None
    table, roles = found
    row, headings = table.header_row, table.headings
    quarters = _period_sub_heading(ws, row, roles, headings)
    if quarters:
        # "Kết quả thực hiện" merged over "Quý II/2026 | Quý III/2026": each sub-column is a
        # value column named by its period, and the data start below the second row.
        roles["value"] = [c for c in roles["value"] if c not in quarters] + list(quarters)
        above = dict(headings)
        for column, (over, text) in quarters.items():
            headings[column] = f"{above.get(over, '')} {text}".strip()
        table.first_data_row = row + 2
    elif _is_sub_heading(ws, row, roles):
        # A two-row heading: "Tỷ lệ" merged above "Tử số | Mẫu số".
        below = _row_texts(ws, row + 1, min(ws.max_column or 0, READ_COLUMNS))
        for column, text in below.items():
            role = classify_heading(text)
            if role and role != "ignore":
                roles.setdefault(role, []).append(column)
                headings[column] = f"{headings.get(column, '')} {text}".strip()
        table.first_data_row = row + 2
    values = roles.get("value", [])
    table.columns = {r: cols[0] for r, cols in roles.items() if r not in ("ignore", "value")}
    chosen = _pick_value_column(values, headings, period) if values else None
    if chosen is not None:
        table.columns["value"] = chosen
    table.cumulative = bool(chosen and _CUMULATIVE.search(fold(headings[chosen])))
    if not table.cumulative:
        # The unit's own "Lũy kế từ đầu năm" beside the period's figure: read, and checked
        # against the sum of the periods by the comparison (never taken as the figure).
        totals = [c for c in values if c != chosen and _CUMULATIVE.search(fold(headings[c]))]
        if totals:
            table.columns["year_to_date"] = totals[0]
    table.period_vi = period.label_vi
    for column in values:
        named = find_periods(headings[column])
        if column != chosen and named and period not in named:
            table.other_periods[column] = named[0].label_vi
    return table


def _value_span(ws: Worksheet, row: int, column: int, headings: dict[int, str]) -> range:
    """The columns a value heading stands over: its merged range, else itself and the
    unheaded cells to its right."""
    for merged in ws.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= column <= merged.max_col:
            return range(merged.min_col, merged.max_col + 1)
    last = column
    while last + 1 <= READ_COLUMNS and last + 1 not in headings:
        last += 1
    return range(column, last + 1)


def _period_sub_heading(
    ws: Worksheet, row: int, roles: dict[str, list[int]], headings: dict[int, str]
) -> dict[int, tuple[int, str]]:
    """Sub-columns naming periods under a value heading ("Kết quả thực hiện" over "Quý
    II/2026 | Quý III/2026"): column → (the heading above, the sub-heading); empty when the
    row below is anything else."""
    if row >= (ws.max_row or 0) or "value" not in roles:
        return {}
    below = _row_texts(ws, row + 1, min(ws.max_column or 0, READ_COLUMNS))
    if not below or not all(find_periods(text) for text in below.values()):
        return {}
    found: dict[int, tuple[int, str]] = {}
    for value in roles["value"]:
        if find_periods(headings[value]):
            continue  # a heading that names its period already ("Kết quả Quý III/2026")
        span = _value_span(ws, row, value, headings)
        found.update({c: (value, text) for c, text in below.items() if c in span})
    return found if len(found) == len(below) else {}


_READING_ROLES = ("numerator", "denominator", "value", "status")


def _is_sub_heading(ws: Worksheet, row: int, roles: dict[str, list[int]]) -> bool:
    """Whether the row under the header continues it: every text a reading heading
    ("Tử số", "Mẫu số"), none under the code or name column, and no number under a
    reading column. A row with a figure, or a name, is data ("Tỷ lệ người dân … | 79")."""
    if row >= (ws.max_row or 0):
        return False
    width = min(ws.max_column or 0, READ_COLUMNS)
    below = _row_texts(ws, row + 1, width)
    if not below:
        return False
    kinds = {column: classify_heading(text) for column, text in below.items()}
    if not all(k in ("numerator", "denominator", "value", "ignore") for k in kinds.values()):
        return False
    labels = {c for r in ("code", "name") for c in roles.get(r, [])}
    if labels & set(below):
        return False
    reading = {c for r in _READING_ROLES for c in roles.get(r, [])}
    reading |= {c for c, k in kinds.items() if k in _READING_ROLES}
    return not any(_is_number(ws.cell(row=row + 1, column=c).value) for c in reading)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass
class RawRow:
    row: int
    cells: dict[int, object]  # column -> value, only non-empty cells
    formats: dict[int, str]  # column -> number format, for numeric cells
    raw: str
    hidden: bool = False  # the row is hidden in the sheet (it is read all the same)


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: object) -> str:
    text = str(value).replace("\r", " ").replace("\n", " ").strip()
    return text


def is_signature_line(text: str) -> bool:
    """Whether one cell's text is a line of a signature block ("Người lập biểu", "(Ký, ghi
    rõ họ tên)", "Hồng Bàng, ngày 05 tháng 10 năm 2026")."""
    text = text.strip()
    if not text or len(text) > _SIGNATURE_CHARS:
        return False
    return bool(_SIGNATURE.search(fold(text)) or _DATELINE.match(nfc(text).lower()))


_EMPTY, _CONTENT, _SIGNED = "empty", "content", "signature"


def _shape(present: dict[int, object], labels: set[int]) -> str:
    """A row's shape: empty; a signature row (text only, one cell at least a signature
    line, and nothing but signature lines in the table's code and name columns); content."""
    if not present:
        return _EMPTY
    if not all(isinstance(v, str) for v in present.values()):
        return _CONTENT  # a number, a date: the row carries data
    signed = {column for column, text in present.items() if is_signature_line(text)}
    if not signed or (labels & set(present)) - signed:
        return _CONTENT
    return _SIGNED


def table_end(shapes: list[str]) -> int:
    """Where a table ends: at the first signature row that sits after a gap, or is followed
    by another signature row, or by nothing. A row of the table whose note or result reads
    like a date or a signature ("Đã ban hành ngày …", "Xác nhận của Chủ tịch …") is read."""
    for n, shape in enumerate(shapes):
        if shape != _SIGNED:
            continue
        after_gap = n > 0 and shapes[n - 1] == _EMPTY
        following = next((s for s in shapes[n + 1 :] if s != _EMPTY), None)
        if after_gap or following in (None, _SIGNED):
            return n
    return len(shapes)


def hidden_rows(ws: Worksheet) -> set[int]:
    """Rows the sheet hides (read like the others, with a note)."""
    return {row for row, dim in ws.row_dimensions.items() if dim.hidden}


def hidden_columns(ws: Worksheet) -> set[int]:
    """Columns the sheet hides, within the columns read."""
    found: set[int] = set()
    for dim in ws.column_dimensions.values():
        if dim.hidden and dim.min:
            found.update(range(dim.min, min(dim.max or dim.min, READ_COLUMNS) + 1))
    return found


def iter_rows(ws: Worksheet, table: Table) -> Iterator[RawRow]:
    """Rows below the heading up to the signature block (which is not yielded)."""
    width = min(ws.max_column or 0, READ_COLUMNS)
    # A sheet is capped at MAX_SHEET_ROWS before openpyxl loads it, so its rows fit in a list;
    # the end of the table needs to look one signature row ahead.
    rows = []
    for cells in ws.iter_rows(min_row=table.first_data_row, max_row=ws.max_row, max_col=width):
        present = {c.column: c.value for c in cells if not _is_empty(c.value)}
        numeric = {c.column: c.number_format for c in cells if isinstance(c.value, int | float)}
        rows.append((cells[0].row if cells else table.first_data_row, present, numeric))
    labels = {c for c in (table.col("code"), table.col("name"), table.col("text")) if c}
    end = table_end([_shape(present, labels) for _row, present, _numeric in rows])
    hidden = hidden_rows(ws)
    for row, present, numeric in rows[:end]:
        yield RawRow(
            row=row,
            cells=present,
            formats=numeric,
            raw=" | ".join(_shown(v) for v in present.values()),
            hidden=row in hidden,
        )
