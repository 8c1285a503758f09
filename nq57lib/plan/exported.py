"""Plan text as legal databases and converters export it, read as if it were clean text.

Copies of plans taken from legal databases (thuvienphapluat.vn, luatvietnam.vn) or turned
into Markdown by converters break a plan's structure in three ways, each undone here with
the line count kept (every later line keeps its number, so a target's ``source_line`` is
still the line an editor shows):

- a bold heading hard-wrapped across lines (``**III. NHIỆM`` / ``VỤ, GIẢI PHÁP**``), or a
  bold title (``**Thực hiện …`` / ``… đến năm 2030**``), is joined onto its first line;
  the lines it took are left blank;
- a letterhead table written one cell per line between lines holding only ``|`` loses
  the ``|`` lines (blank now), so its cells read as the lines they are;
- a table written one cell per line ("STT", "Chỉ tiêu", "Đơn vị", "Mục tiêu", then "1",
  "Tỷ lệ …", "%", "100", …) becomes a pipe table on the lines it took, which
  :mod:`nq57lib.plan.tables` then reads like any other;
- a table of tasks as a PDF's text layer leaves it (every cell wrapped over several lines,
  page headers between) becomes a pipe table the same way (:mod:`nq57lib.plan.pdf_table`).
"""

from __future__ import annotations

import re

from nq57lib.core.textnorm import fold
from nq57lib.plan.pdf_table import rebuild_pdf_tables
from nq57lib.plan.pipes import pipe_row, pipe_separator

# "**1. Công tác …", and "**2." whose title follows on the next line.
_BOLD_HEADING = re.compile(r"^\*\*\s*(?:[IVXLC]+\.|\d+(?:\.\d+)*\.|[a-zđ]\))(?:\s*\S|\s*$)")
# "*a) Thu gom và xử lý" / "rác thải*": an italic lettered item wrapped over lines.
_ITALIC_ITEM = re.compile(r"^\*(?!\*)\s*[a-zđ]\)\s")
_WRAP_LIMIT = 4  # lines a wrapped heading may take
_TITLE_LINES = 40  # a wrapped bold line this early is the title ("**Thực hiện …" / "… 2030**")
# Header cells of a cell-per-line table (folded): the row number column first.
_NUMBER_HEADER = re.compile(r"^(?:stt|tt|so tt|so thu tu)$")
_HEADER_CELL = re.compile(
    r"^(?:(?:ten )?chi tieu(?: cu the)?|noi dung|chi so|don vi(?: tinh)?|dvt|muc tieu"
    r"|ket qua|gia tri|ke hoach|giai thich|ghi chu|(?:(?:den|toi) (?:het )?)?(?:nam )?"
    r"(?:19|20)\d\d"
    # an appendix table of tasks: "Nhiệm vụ | Cơ quan chủ trì | … | Thời gian hoàn thành"
    r"|(?:ten |noi dung )?nhiem vu(?: giai phap)?|(?:co quan|don vi) (?:chu tri|phoi hop)"
    r"|thoi (?:gian|han)(?: hoan thanh| thuc hien)?|san pham(?: du kien)?(?: dau ra)?"
    r"|ket qua (?:du kien|dau ra))$"
)
_ROW_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,5}\.?)$")
_MAX_CELL_LINES = 12  # lines one row may take before the table is taken to have ended


def tidy_lines(lines: list[str]) -> list[str]:
    """The plan's lines with the export forms above undone (as many lines as given)."""
    out = [("" if line.strip() == "|" else line) for line in lines]
    _join_wrapped_headings(out)
    rebuild_pdf_tables(out)
    _rebuild_cell_tables(out)
    return out


def _join_wrapped_headings(lines: list[str]) -> None:
    for n, line in enumerate(lines):
        text = line.strip()
        heading = _BOLD_HEADING.match(text) or (n < _TITLE_LINES and text.startswith("**"))
        marker = "**"
        if not heading and _ITALIC_ITEM.match(text):
            heading, marker = True, "*"
        if not heading or _count(text, marker) % 2 == 0:
            continue
        parts, end = [text], n
        for m in range(n + 1, min(len(lines), n + _WRAP_LIMIT)):
            following = lines[m].strip()
            if not following:
                break
            parts.append(following)
            if _count(following, marker) % 2:
                end = m
                break
        if end == n:
            continue
        lines[n] = " ".join(parts)
        for m in range(n + 1, end + 1):
            lines[m] = ""


def _count(text: str, marker: str) -> int:
    """How many times ``marker`` opens or closes emphasis in ``text`` ("*" not in "**")."""
    if marker == "**":
        return text.count("**")
    return text.replace("**", "").count("*")


def _header_at(lines: list[str], n: int) -> list[int] | None:
    """The lines of a cell-per-line table header starting at ``n``, if one starts there."""
    if not _NUMBER_HEADER.match(fold(lines[n].strip())):
        return None
    cells = [n]
    for m in range(n + 1, min(len(lines), n + 10)):
        text = lines[m].strip()
        if not text:
            continue
        if not _HEADER_CELL.match(fold(text)):
            break
        cells.append(m)
    folded = [fold(lines[m].strip()) for m in cells[1:]]
    names = any(re.match(r"^(?:ten )?(?:chi tieu|noi dung|chi so|nhiem vu)", f) for f in folded)
    return cells if names and len(cells) >= 3 else None


def _rows(lines: list[str], first: int, width: int) -> list[list[int]]:
    """Line numbers of each body row's cells. A row starts at a group numeral ("I", "II"),
    a sub-number ("1.1") or the next row number ("1", then "2", …) once the row before has
    all its cells (or is a group row), so that a figure cell "3" or "04" stays a cell."""
    rows: list[list[int]] = []
    number = 0
    group = False
    for m in range(first, len(lines)):
        text = lines[m].strip()
        if not text:
            continue
        plain = text.rstrip(".")
        full = not rows or group or len(rows[-1]) >= width
        if _ROW_NUMBER.match(text) and (
            re.fullmatch(r"[IVX]+", plain)
            or "." in plain
            or (full and not plain.startswith("0") and int(plain) == number + 1)
            or (full and plain == "1")
        ):
            group = bool(re.fullmatch(r"[IVX]+", plain))
            number = int(plain) if plain.isdigit() else number
            rows.append([m])
            continue
        if not rows or len(rows[-1]) > _MAX_CELL_LINES or text.startswith(("#", "|")):
            break
        rows[-1].append(m)
    return rows


def _row_cells(texts: list[str], width: int) -> list[str]:
    """A row's cells: the number, the name (its lines joined) and the short cells after it,
    taken from the end, so that a name wrapped over several lines stays one cell."""
    number, rest = texts[0], texts[1:]
    if len(rest) < width - 1:
        return [number, " ".join(rest), *[""] * (width - 2)]
    tail = rest[len(rest) - (width - 2) :] if width > 2 else []
    name = " ".join(rest[: len(rest) - len(tail)])
    return [number, name, *tail]


def _rebuild_cell_tables(lines: list[str]) -> None:
    n = 0
    while n < len(lines):
        header = _header_at(lines, n)
        if header is None:
            n += 1
            continue
        width = len(header)
        rows = _rows(lines, header[-1] + 1, width)
        if not rows:
            n = header[-1] + 1
            continue
        head = [lines[m].strip() for m in header]
        for m in header:
            lines[m] = ""
        lines[header[0]] = pipe_row(head)
        # The separator row needs a line of its own: the header's second line.
        lines[header[1]] = pipe_separator(width)
        for row in rows:
            texts = [lines[m].strip() for m in row]
            for m in row:
                lines[m] = ""
            lines[row[0]] = pipe_row(_row_cells(texts, width))
        n = rows[-1][-1] + 1
