"""Appendix tables of tasks as a PDF's text layer leaves them (the Official Gazette's, Công báo).

Text extracted from a PDF keeps no cell boundary: every cell is wrapped over several
physical lines, one fragment a line, the cells of a row one after the other in column
order. Page breaks add the page header ("CÔNG BÁO/Số 302/Ngày 02-06-2026" and the page
number), footnotes and, most often, the column header again; a row cut by a page break
goes on with each of its cells' remainders, in column order again. This module finds such
a table and rewrites it as a Markdown pipe table on the lines it took (as
:mod:`nq57lib.plan.exported` does for a legal database's "one cell per line" export), so
that :mod:`nq57lib.plan.task_table` reads it like any other:

- the header is the line "STT" (or "TT") and the lines after it up to the first row; the
  roles of its columns (task, lead unit, support units, deadline, product, approval…) are
  read from its words, in order;
- a row starts at a line that is the next row number ("1", "2." or "1.1"), the next Roman
  group numeral ("I", "II."), or either glued to the row's first words ("10.  Xây dựng…");
  a bare "-" starts a sub-row of the row above;
- each row's fragments are shared out among the columns by a small dynamic programme over
  the places a cell may start, scored by evidence (:func:`split_cells`): a fragment that
  starts lower-case, or follows one ending in "," or "và", continues its cell; a deadline
  cell must read as a deadline; unit cells start with a unit's name.

A row whose fragments cannot be shared out with confidence is kept with its whole text in
the task cell and no other cell, so the catalogue shows a task without a lead or a deadline
(:func:`nq57lib.plan.task_table.unread_deadlines` names it) rather than invented cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nq57lib.core.deadlines import DeadlineError, parse_deadline
from nq57lib.core.textnorm import fold
from nq57lib.plan.pipes import pipe_row, pipe_separator

# ── the header ──────────────────────────────────────────────────────────────
_HEADER_START = re.compile(r"^(?:stt|tt|so tt)$")
# Each column's key words (folded); "Cơ quan" before "chủ trì" belongs to the same cell.
_HEADER_WORDS = re.compile(
    r"(?P<text>nhiem vu|noi dung|giai phap)|(?P<lead>chu tri)|(?P<support>phoi hop)"
    r"|(?P<deadline>thoi gian|thoi han|tien do)|(?P<product>san pham|ket qua)"
    r"|(?P<approval>cap trinh|cap phe duyet)|(?P<other>can cu|ghi chu)"
)
# The cell names the pipe table is written with (:mod:`nq57lib.plan.task_table` reads them).
_HEADER_NAMES = {
    "text": "Nhiệm vụ",
    "lead": "Cơ quan chủ trì",
    "support": "Cơ quan phối hợp",
    "deadline": "Thời gian hoàn thành",
    "product": "Sản phẩm",
    "approval": "Cấp phê duyệt",
    "other": "Ghi chú",
}
_HEADER_LINES = 16

# ── page furniture ──────────────────────────────────────────────────────────
_PAGE_HEADER = re.compile(r"^c[oô]ng b[aá]o\s*/?\s*s[oố]\s*\d+", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^\d{1,4}$")
_FOOTNOTE = re.compile(r"^\d{1,2}\s+[A-ZĐÀ-Ỹ]")
_FOOTNOTE_REACH = 8  # lines a page's footnotes may take above its page header
# A line that ends the table: an omission mark, Markdown structure, a signature block.
_TABLE_END = re.compile(r"^(?:\[(?:…|\.\.\.)\]|#|\||<!--|PHỤ LỤC|Phụ lục|Nơi nhận)")

# ── row numbers ─────────────────────────────────────────────────────────────
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_NUMBER = re.compile(r"^([IVX]{1,5}|\d{1,2}(?:\.\d{1,2})?)\.?$")
_GLUED_NUMBER = re.compile(r"^([IVX]{1,5}|\d{1,2}(?:\.\d{1,2})?)(?:\.\s+|\s{2,})(\S.*)$")
_SUB_ROW = "-"

# ── cell evidence ───────────────────────────────────────────────────────────
# A unit's name opens a lead, support or approval cell ("1. Bộ Tài chính …" numbered too).
UNIT_START = re.compile(
    r"^(?:\d{1,2}\.\s*)?(?:(?:các|những)\s+)?(?:bộ(?! sung)|sở|ubnd|ủy ban|uỷ ban|hđnd"
    r"|hội đồng|văn phòng|ban(?! hành)|thủ tướng|ngân hàng|công an|tòa án|toà án|viện"
    r"|đài|trung tâm|hội(?! nghị| thảo)|mặt trận|đoàn|thanh tra|kiểm toán|tập đoàn"
    r"|tổng công ty|công ty|cơ quan|đơn vị|địa phương|chính phủ|quốc hội|cấp có thẩm quyền"
    r"|cục|tổng cục|liên đoàn|đảng ủy|tỉnh ủy|thành ủy|học viện|vtv|vov|ttxvn"
    r"|doanh nghiệp|cơ sở|phòng(?!,| chống| ngừa| thủ)|thôn|ấp|tổ dân phố|khu phố"
    r"|xã(?! hội)|phường|huyện|quận|tỉnh|thành phố|trạm|chi cục|chi nhánh|bệnh viện"
    r"|trường(?! hợp)|hợp tác xã)\b|^(?-i:[A-ZĐ]{2,})\b",
    re.IGNORECASE,
)
# How a deadline cell opens (folded): a period, a recurrence, a date or "before …".
_DEADLINE_START = re.compile(
    r"^(?:nhiem vu |thuc hien )?(?:thuong xuyen|hang|nam|quy|qui|thang|giai doan|truoc"
    r"|tu|den|trong|dinh ky|moi|lien tuc|cham nhat|han|ngay|sau|\d)"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# A fragment ending so continues on the next line, whatever case that line starts with.
_HANGS = re.compile(
    r"(?:[,\-–—:(/&]|\b(?:và|của|các|có|với|cho|về|trong|theo|tại|để|đến|từ|hoặc|bằng|là"
    r"|được|những|ở|trên|thuộc|ngày))$",  # not "số": "chuyển đổi số" ends many a cell
    re.IGNORECASE,
)
# A unit's noun still waiting for its name: "Bộ trưởng Bộ" / "Khoa học và …".
_HANGS_UNIT = re.compile(r"\b(?:Bộ|Ủy ban|Uỷ ban|Sở|Văn phòng|Ban|Phòng)$")
_GLUED_UNIT = re.compile(
    r"(?<=[a-zà-ỹđ])\s+"
    r"(?=(?:Bộ|UBND|Ủy ban|Sở)\s+[A-ZĐÀ-Ỹ]|Ủy ban nhân dân|Các (?:bộ|Bộ|sở|cơ quan)\b)"
)
_LATER_PART = re.compile(r"^(?:[2-9]|1\d)\.\s")  # "2. Bộ Tư pháp …": a numbered cell goes on
_GAP = re.compile(r"\S\s{2,}\S")

# Costs (lower is better): what speaks against a cell starting, or not starting, here.
_BREAK_LOWER = 6.0  # a cell starting lower-case
_BREAK_HANGING = 4.0  # a cell starting after a fragment that hangs ("…, ", "… và")
_BREAK_PAREN = 3.0  # a cell starting "(": the bracket goes on the cell above
_BREAK_GLUED = 2.5  # a cell starting inside a line, at a unit's name glued to the text
_BREAK_GAP = 0.3  # a cell starting inside a line, after a run of spaces
_GO_ON_UPPER = 1.0  # a cell going on to a fragment that could open a cell
_GO_ON_SENTENCE = 1.0  # … after a fragment that ends a sentence
_GO_ON_UNIT = 1.0  # … that opens with a unit's name
_EMPTY = {"text": 100.0, "lead": 5.0, "support": 3.0, "deadline": 4.0, "product": 1.0}
_EMPTY_MARKED = 1.5  # a blank fragment (" ") where the cell is: the cell is empty
_NOT_DEADLINE = 8.0
_NOT_UNIT = {"lead": 5.0, "support": 5.0, "approval": 4.0}
_PRODUCT_UNIT = 2.0  # a product cell reading as a unit: the support cell goes on
_REMAINDER = 0.3  # a remainder not for the task cell: uncertain, the task cell wins a tie
_MAX_CELL = 40  # fragments one cell other than the task's may take
_CONFIDENT = 9.0  # a split costing more is not trusted


@dataclass(frozen=True)
class Piece:
    """One fragment of a cell: its line (0-based), its text ("" for a blank line), and how
    it meets the fragment before it ("line", "gap": after spaces in the same line, "glued":
    a unit's name glued on in the same line)."""

    line: int
    text: str
    joint: str = "line"


@dataclass(frozen=True)
class PdfRow:
    """A row of the table before it is split: its number as written, its first line, its
    fragments (those after a page break apart: each cell's remainder, in column order)."""

    number: str
    line: int
    pieces: list[Piece]
    after_break: list[Piece]


def header_at(lines: list[str], n: int) -> tuple[list[str], int] | None:
    """(column roles, the first line after the header) of a PDF-text task table header
    starting at line ``n``, or None."""
    if not _HEADER_START.match(fold(lines[n].strip())):
        return None
    words: list[str] = []
    for m in range(n + 1, min(len(lines), n + 1 + _HEADER_LINES)):
        text = lines[m].strip()
        if _NUMBER.match(text) or _GLUED_NUMBER.match(text):
            roles = _roles(" ".join(words))
            if {"text", "lead", "deadline"} <= set(roles):
                return roles, m
            return None
        if not text or text.startswith("|"):
            return None
        words.append(fold(text))
    return None


def _roles(header: str) -> list[str]:
    roles: list[str] = []
    for found in _HEADER_WORDS.finditer(header):
        role = found.lastgroup or "other"
        if not roles or roles[-1] != role:
            roles.append(role)
    return roles if len(roles) == len(set(roles)) else []


def _is_furniture(text: str) -> bool:
    return bool(_PAGE_HEADER.match(text))


def _pieces(line: int, raw: str) -> list[Piece]:
    """A line's fragments: itself, or the parts a run of spaces or a glued unit name part."""
    text = raw.strip()
    if not text:
        return [Piece(line, "")]
    parts: list[Piece] = []
    joint = "line"
    for chunk in re.split(r"\s{2,}", text) if _GAP.search(text) else [text]:
        glued = _GLUED_UNIT.split(chunk)
        for k, part in enumerate(glued):
            parts.append(Piece(line, part.strip(), "glued" if k else joint))
        joint = "gap"
    return parts


def read_rows(lines: list[str], first: int, header: list[str]) -> tuple[list[PdfRow], int]:
    """The table's rows from line ``first``, and the line after its last one. ``header``
    is the header's lines (stripped), dropped where a page break repeats them."""
    rows: list[PdfRow] = []
    counter = _Counter()
    broken = False  # a page break since the row began
    m = first
    while m < len(lines):
        raw, text = lines[m], lines[m].strip()
        if _TABLE_END.match(text) or (not raw and not _page_follows(lines, m)):
            break
        if _is_furniture(text):
            if rows:
                _drop_footnotes(rows[-1], m)
            m = _after_page_break(lines, m + 1, header)
            broken = True
            continue
        if not raw:
            m += 1
            continue
        started = counter.starts(text)
        if started is not None:
            number, rest = started
            pieces = _pieces(m, rest) if rest else []
            rows.append(PdfRow(number, m, pieces, []))
            broken = False
        elif rows:
            target = rows[-1].after_break if broken else rows[-1].pieces
            target.extend(_pieces(m, raw))
        else:
            break
        m += 1
    return rows, m


def _page_follows(lines: list[str], m: int) -> bool:
    """Whether an empty line ``m`` is only the gap before a page header."""
    following = next((t.strip() for t in lines[m + 1 : m + 4] if t.strip()), "")
    return _is_furniture(following)


def _after_page_break(lines: list[str], m: int, header: list[str]) -> int:
    """The line after a page's number, blank lines and the column header repeated."""
    if m < len(lines) and _PAGE_NUMBER.match(lines[m].strip()):
        m += 1
    while m < len(lines) and not lines[m].strip() and lines[m]:
        m += 1
    if [t.strip() for t in lines[m : m + len(header)]] == header:
        m += len(header)
    return m


def _drop_footnotes(row: PdfRow, page_header: int) -> None:
    """Footnotes at a page's foot ("1 Nghị quyết số 66-NQ/TW …") leave the row above."""
    for target in (row.after_break, row.pieces):
        for k, piece in enumerate(target):
            above = target[k - 1].text if k else "x"
            if (
                page_header - piece.line <= _FOOTNOTE_REACH
                and _FOOTNOTE.match(piece.text)
                and not above
            ):
                del target[k - 1 :]
                return


class _Counter:
    """The row numbers a table may go on with: the next Roman group numeral, the next row
    number (restarting after a group), the next sub-number of the current number."""

    def __init__(self) -> None:
        self.roman = 0
        self.top = 0
        self.sub = 0
        self.restart = False  # a group began: its rows may number from 1 again

    def starts(self, text: str) -> tuple[str, str] | None:
        if text == _SUB_ROW and self.top:
            return _SUB_ROW, ""
        bare, glued = _NUMBER.match(text), _GLUED_NUMBER.match(text)
        found = bare or glued
        if found is None:
            return None
        number, rest = found.group(1), glued.group(2).strip() if glued else ""
        if rest and (UNIT_START.match(rest) or not rest[0].isupper()):
            return None  # "2. Bộ Tư pháp …": the numbered parts of a lead cell
        if number[0] in "IVX":
            if number not in _ROMAN or _ROMAN.index(number) != self.roman:
                return None
            self.roman, self.sub, self.restart = self.roman + 1, 0, True
            return number, rest
        if number.isdigit():
            if int(number) != self.top + 1 and not (self.restart and number == "1"):
                return None
            self.top, self.sub, self.restart = int(number), 0, False
            return number, rest
        top, sub = (int(p) for p in number.split("."))
        if top != self.top or sub != self.sub + 1:
            return None
        self.sub = sub
        return number, rest


# ── sharing a row's fragments out among its cells ───────────────────────────


def reads_as_deadline(text: str) -> bool:
    """Whether a cell reads as a deadline: it opens as one and parses, or names a year."""
    key = fold(text)
    if not _DEADLINE_START.match(key):
        return False
    try:
        parse_deadline(text)
    except DeadlineError:
        return bool(_YEAR.search(key)) and len(key.split()) <= 12
    return True


def _joined(pieces: list[Piece]) -> str:
    return " ".join(p.text for p in pieces if p.text)


def _cell_cost(role: str, pieces: list[Piece], before: str | None = None) -> float:
    """What speaks against ``pieces`` being the whole cell of ``role``; ``before``: the
    cell's text above a page break, when ``pieces`` are its remainder."""
    text = _joined(pieces)
    if before is not None:  # a remainder: one goes on where the part above hangs
        if not text:
            return 0.0
        if not before:
            return _EMPTY.get(role, 1.0)
        if _hangs(before):
            return -1.0
        if role == "deadline" and reads_as_deadline(before):
            return _NOT_DEADLINE / 2
        return 0.0 if role == "text" else _REMAINDER
    if not text:
        empty = _EMPTY.get(role, 1.0)
        return min(empty, _EMPTY_MARKED) if pieces else empty
    if role != "text" and len(pieces) > _MAX_CELL:
        return 100.0
    if role == "deadline":
        return 0.0 if reads_as_deadline(text) else _NOT_DEADLINE
    if role in _NOT_UNIT:
        if _LATER_PART.match(text):
            return _BREAK_LOWER
        return 0.0 if UNIT_START.match(text) else _NOT_UNIT[role]
    if role == "product" and UNIT_START.match(text):
        return _PRODUCT_UNIT
    return 0.0


def _hangs(text: str) -> bool:
    return bool(_HANGS.search(text) or _HANGS_UNIT.search(text))


def _boundary(
    before: Piece | None, piece: Piece, cut: bool, remainder: bool
) -> tuple[float, float, float]:
    """(cost of a cell starting at ``piece``, of its cell going on to it, and of a cell
    other than a unit's going on to it). ``cut``: the cells are cut by a page break, so
    that one may end hanging ("Bộ Khoa học và" / page break / "Công nghệ"); ``remainder``:
    they are the remainders after it, which start lower-case as often as not."""
    if not piece.text or before is None:
        return 0.0, 0.0, 0.0
    text, above = piece.text, before.text
    start, go_on, not_unit = 0.0, 0.0, 0.0
    if text[0].islower():
        start += 1.0 if remainder else _BREAK_LOWER
    elif _hangs(above):
        start += 1.0 if cut or remainder else _BREAK_HANGING
    elif text.startswith("("):
        start += _BREAK_PAREN
    elif piece.joint == "line":
        go_on += _GO_ON_UPPER
        go_on += _GO_ON_SENTENCE if above.endswith((".", ";", ")")) else 0.0
        not_unit += _GO_ON_UNIT if UNIT_START.match(text) else 0.0
    start += {"glued": _BREAK_GLUED, "gap": _BREAK_GAP}.get(piece.joint, 0.0)
    return start, go_on, not_unit


def split_cells(
    pieces: list[Piece], roles: list[str], above: list[str] | None = None, cut: bool = False
) -> tuple[list[str], float]:
    """The cells (one per role, in order) ``pieces`` are best shared out into, and what
    speaks against that split. ``above``: when ``pieces`` follow a page break, each cell's
    text before it (their remainders may all be empty); ``cut``: a page break follows."""
    texts = [p for p in pieces if p.text]
    n, k = len(texts), len(roles)
    marks = _blank_marks(pieces)
    remainder = above is not None
    costs = [_boundary(texts[i - 1] if i else None, texts[i], cut, remainder) for i in range(n)]
    go_on, go_on_other = [0.0], [0.0]
    for i in range(n):
        step = costs[i][1] if i else 0.0
        go_on.append(go_on[-1] + step)
        go_on_other.append(go_on_other[-1] + step + (costs[i][2] if i else 0.0))
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(k + 1)]
    back = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for c in range(k):
        role, before = roles[c], (above[c] if above is not None else None)
        sums = go_on if role in _NOT_UNIT else go_on_other
        for i in range(n + 1):
            if best[c][i] == inf:
                continue
            for j in range(i, n + 1):
                if j - i > _MAX_CELL and role != "text":
                    break
                cell = texts[i:j] or marks.get(i, [])
                cost = best[c][i] + _cell_cost(role, cell, before)
                if j > i:
                    cost += (costs[i][0] if i else 0.0) + sums[j] - sums[i + 1]
                if cost < best[c + 1][j]:
                    best[c + 1][j], back[c + 1][j] = cost, i
    cells, j = [""] * k, n
    for c in range(k, 0, -1):
        i = back[c][j]
        cells[c - 1] = _joined(texts[i:j])
        j = i
    return cells, best[k][n]


def _blank_marks(pieces: list[Piece]) -> dict[int, list[Piece]]:
    """Blank fragments by the index of the text fragment they stand before: a cell left
    empty there reads as one."""
    marks: dict[int, list[Piece]] = {}
    seen = 0
    for piece in pieces:
        if piece.text:
            seen += 1
        else:
            marks.setdefault(seen, []).append(piece)
    return marks


def _confident(cells: list[str], roles: list[str]) -> bool:
    """Whether a split can be trusted: the lead cell names a unit, the deadline cell (when
    filled) reads as one."""
    by_role = dict(zip(roles, cells, strict=True))
    lead, deadline = by_role.get("lead", ""), by_role.get("deadline", "")
    return bool(UNIT_START.match(lead)) and (not deadline or reads_as_deadline(deadline))


def row_cells(row: PdfRow, roles: list[str]) -> list[str]:
    """A row's cells (one per role): a group row's title alone; a row split with
    confidence, its cells; any other, its whole text in the task cell."""
    pieces, after = (row.pieces, row.after_break) if row.pieces else (row.after_break, [])
    alone = ["" for _ in roles]
    text_at = roles.index("text")
    if row.number in _ROMAN:
        alone[text_at] = _joined(pieces + after)
        return alone
    cells, _ = split_cells(pieces, roles, cut=bool(after))
    if after:
        rest, _ = split_cells(after, roles, cells)
        cells = [" ".join(p for p in pair if p) for pair in zip(cells, rest, strict=True)]
    if _confident(cells, roles):
        return cells
    alone[text_at] = _joined(pieces + after)
    return alone


def rebuild_pdf_tables(lines: list[str]) -> None:
    """Rewrite every PDF-text task table of ``lines`` as a pipe table on the lines it took:
    the header on its first line, the separator on its second, each row on its number's
    line, the other lines blank (every later line keeps its number)."""
    n = 0
    while n < len(lines):
        found = header_at(lines, n)
        if found is None:
            n += 1
            continue
        roles, first = found
        header = [lines[m].strip() for m in range(n, first)]
        rows, end = read_rows(lines, first, header)
        if not rows:
            n = first
            continue
        written = {row.line: [row.number, *row_cells(row, roles)] for row in rows}
        for m in range(n, end):
            lines[m] = ""
        lines[n] = pipe_row(["STT", *(_HEADER_NAMES[r] for r in roles)])
        lines[n + 1] = pipe_separator(len(roles) + 1)
        for line, cells in written.items():
            lines[line] = pipe_row(cells)
        n = end
