"""A plan file of any supported format as lines of text: Markdown or text, Word .docx, PDF.

The parsers read lines, one paragraph a line, whatever the office sent:

- ``.md``, ``.markdown``, ``.txt``: UTF-8 text, split on newlines (an editor's numbering);
- ``.docx``: the body's paragraphs and tables in document order. A list paragraph (a
  "List …" style or Word numbering) becomes "- …", a heading its plain text, a line break
  inside a paragraph a new line, an empty paragraph an empty line; a table becomes
  Markdown pipe rows (first row, separator, other rows), a merged cell its text once and
  empty cells for the rest of its span, so every row has the table's column count;
- ``.pdf``: the text layer of every page, with the lines that the page width wrapped
  joined again (see :func:`unwrap_pdf_pages`) and page numbers dropped; pages are
  separated by an empty line. A PDF without text (a scan) is refused: nq57 does not OCR.

Every line is NFC. Every failure is a :class:`~nq57lib.core.errors.PlanParseError` that
says what to do; so is a plan too large to be one (:mod:`nq57lib.plan.limits`), refused
before it is parsed.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from nq57lib.core import config
from nq57lib.core.errors import InputFileError, PlanParseError
from nq57lib.core.files import read_regular
from nq57lib.core.textnorm import nfc
from nq57lib.plan import limits
from nq57lib.plan.pipes import pipe_row, pipe_separator

TEXT_SUFFIXES = (".md", ".markdown", ".txt")
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, ".docx", ".pdf")

NO_TEXT_LAYER = (
    "PDF has no text layer (a scan?) — cần bản có lớp văn bản: save the plan from Word "
    "as .docx, or as a PDF with text (File › Save As › PDF), not a scanned image"
)

# Bullet markers: typed dashes, and the glyphs a list draws ("•", Word's Symbol-font
# bullets extract as private-use letters).
_MARKERS = "•\uf000-\uf0ff▪◦●○■□♦◆►➢➤✓✔·"
_BULLET = re.compile(rf"^(?:[-–—+*]\s+|[{_MARKERS}]\s*)\S")

# ── reading the file ────────────────────────────────────────────────────────


def document_lines(path: Path) -> list[str]:
    """The plan's lines, NFC, whatever its supported format (see module docstring)."""
    raw = _read_bytes(path)
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        limits.check_text_bytes(path, len(raw))
        lines = _text_lines(raw, path)
    elif suffix == ".docx":
        lines = docx_lines(raw, path)
    elif suffix == ".pdf":
        lines = pdf_lines(raw, path)
    else:
        shown = f"'{path.suffix}'" if path.suffix else "without an extension"
        raise PlanParseError(
            path,
            f"cannot read a plan file {shown} (định dạng không hỗ trợ): nq57 reads "
            f"{', '.join(SUPPORTED_SUFFIXES)}; open a .doc, .odt or .rtf plan in Word or "
            "LibreOffice and save it as .docx",
        )
    limits.check_lines(path, lines)
    return [nfc(line) for line in lines]


def _read_bytes(path: Path) -> bytes:
    limits.check_file(path)
    try:
        # A FIFO, a device (/dev/zero) or a file over the cap is refused before a byte
        # is read; the file is opened once, without blocking.
        raw = read_regular(path, config.MAX_PLAN_FILE_BYTES)
    except InputFileError as error:
        limits.refused(path, error)
    if not raw.strip():
        raise PlanParseError(path, "the file is empty")
    return raw


def _text_lines(raw: bytes, path: Path) -> list[str]:
    # A Word or PDF file saved under a text name would otherwise be "not UTF-8".
    if raw.startswith(b"PK\x03\x04"):
        raise PlanParseError(path, "is a zip archive (a .docx renamed?), not a text file")
    if raw.startswith(b"%PDF-"):
        raise PlanParseError(path, "is a PDF file, not a text file: rename it to .pdf")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PlanParseError(
            path, f"not UTF-8 text (invalid byte at offset {error.start}); save it as UTF-8"
        ) from None
    if "\x00" in text:
        raise PlanParseError(path, "binary content, not a text (Markdown) file")
    return [line.rstrip("\r") for line in text.split("\n")]


# ── .docx ───────────────────────────────────────────────────────────────────

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _T = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}t"
_VAL = f"{_W}val"
# Elements that only wrap paragraphs, rows, cells or runs: their content counts as theirs.
_WRAPPERS = {f"{_W}{tag}" for tag in ("sdt", "sdtContent", "customXml", "smartTag")}
# Run-level elements whose text Word shows (not w:del, w:moveFrom or instruction text).
_RUN_CONTAINERS = {
    f"{_W}{tag}" for tag in ("r", "hyperlink", "ins", "fldSimple", "moveTo", "dir", "bdo")
} | _WRAPPERS
_RUN_TEXT = {
    f"{_W}tab": " ",
    f"{_W}ptab": " ",
    f"{_W}br": "\n",
    f"{_W}cr": "\n",
    f"{_W}noBreakHyphen": "-",
}


def docx_lines(raw: bytes, path: Path) -> list[str]:
    """The lines of a Word document's body: paragraphs and pipe-table rows in order."""
    import docx  # imported here: only .docx plans pay for loading python-docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    limits.check_docx(path, raw)
    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError):
        raise PlanParseError(
            path,
            "not a readable Word .docx file (damaged, or an old .doc renamed?): open it in "
            "Word or LibreOffice and save it again as .docx",
        ) from None
    try:
        return _body_lines(document, path)
    except limits.WideTable as wide:
        limits.check_columns(path, wide.columns)


def _body_lines(document, path: Path) -> list[str]:
    styles = _paragraph_styles(document.styles.element)
    lines: list[str] = []
    for block in _blocks(document.element.body):
        if block.tag == _P:
            lines.extend(_paragraph_lines(block, styles))
            continue
        if lines and lines[-1]:
            lines.append("")  # a pipe table starts a Markdown block of its own
        lines.extend(_pipe_rows(_table_rows(block)))
        lines.append("")
    if not any(line.strip() for line in lines):
        raise PlanParseError(path, "the document holds no text")
    return lines


def _blocks(parent) -> Iterator:
    """Paragraphs and tables of a body or cell, in order, through content controls."""
    for child in parent:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


def _paragraph_styles(styles_element) -> dict[str, str]:
    """Style id → "heading", "list" or "" for every paragraph style; key "" is the default."""
    names, based_on, numbered, default = {}, {}, set(), ""
    for style in styles_element.iterchildren(f"{_W}style"):
        if style.get(f"{_W}type") != "paragraph":
            continue
        style_id = style.get(f"{_W}styleId", "")
        name = style.find(f"{_W}name")
        names[style_id] = (name.get(_VAL, "") if name is not None else style_id).lower()
        parent = style.find(f"{_W}basedOn")
        if parent is not None:
            based_on[style_id] = parent.get(_VAL, "")
        num_id = style.find(f"{_W}pPr/{_W}numPr/{_W}numId")
        if num_id is not None and num_id.get(_VAL) != "0":
            numbered.add(style_id)
        if style.get(f"{_W}default") in ("1", "true"):
            default = style_id

    def kind(style_id: str) -> str:
        name = names.get(style_id, "")
        if name.startswith("heading") or name in ("title", "subtitle"):
            return "heading"
        # A custom bullet style inherits its numbering from the style it is based on.
        seen, current = set(), style_id
        while current and current not in seen:
            if current in numbered or names.get(current, "").startswith("list"):
                return "list"
            seen.add(current)
            current = based_on.get(current, "")
        return ""

    kinds = {style_id: kind(style_id) for style_id in names}
    kinds[""] = kinds.get(default, "")
    return kinds


def _run_text(element, out: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag == _T:
            out.append(child.text or "")
        elif tag in _RUN_TEXT:
            out.append(_RUN_TEXT[tag])
        elif tag in _RUN_CONTAINERS:
            _run_text(child, out)


def _paragraph_text(paragraph) -> str:
    out: list[str] = []
    _run_text(paragraph, out)
    return "".join(out)


def _paragraph_lines(paragraph, styles: dict[str, str]) -> list[str]:
    lines = [line.strip() for line in _paragraph_text(paragraph).split("\n")]
    properties = paragraph.find(f"{_W}pPr")
    style_id, num_id = "", None
    if properties is not None:
        style = properties.find(f"{_W}pStyle")
        style_id = style.get(_VAL, "") if style is not None else ""
        num_id = properties.find(f"{_W}numPr/{_W}numId")
    kind = styles.get(style_id, "")
    if num_id is not None and kind != "heading":
        # numId 0 switches off the numbering a style would give.
        kind = "list" if num_id.get(_VAL) != "0" else ""
    if kind == "list" and lines[0] and not _BULLET.match(lines[0]):
        lines[0] = f"- {lines[0]}"
    return lines


def _cell_text(cell) -> str:
    parts = []
    for block in _blocks(cell):
        if block.tag == _P:
            parts.append(_paragraph_text(block))
        else:  # a nested table: its text, row by row, in the cell
            parts.extend(text for row in _table_rows(block) for text in row)
    return " ".join(" ".join(parts).split())


def _table_rows(table) -> list[list[str]]:
    """Cell texts row by row, each merged cell's text once, padded to the grid's width."""
    grid = table.find(f"{_W}tblGrid")
    width = len(grid.findall(f"{_W}gridCol")) if grid is not None else 0
    rows = []
    for row in _children(table, _TR):
        cells: list[str] = [""] * limits.table_span(0, _grid_count(row, "gridBefore"))
        for cell in _children(row, _TC):
            properties = cell.find(f"{_W}tcPr")
            span, continued = 1, False
            if properties is not None:
                span = max(1, _number(properties.find(f"{_W}gridSpan"), 1))
                merge = properties.find(f"{_W}vMerge")
                # A vertical merge shows its text in its first row only.
                continued = merge is not None and merge.get(_VAL, "continue") == "continue"
            cells.append("" if continued else _cell_text(cell))
            cells.extend([""] * (limits.table_span(len(cells), span) - 1))
        cells.extend([""] * limits.table_span(len(cells), _grid_count(row, "gridAfter")))
        rows.append(cells)
    width = max([width, *(len(cells) for cells in rows)])
    return [cells + [""] * (width - len(cells)) for cells in rows]


def _children(parent, tag: str) -> Iterator:
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _grid_count(row, name: str) -> int:
    return _number(row.find(f"{_W}trPr/{_W}{name}"), 0)


def _number(element, default: int) -> int:
    """An element's w:val as a count; a damaged value counts as ``default``."""
    value = element.get(_VAL, "") if element is not None else ""
    return int(value) if value.isdigit() else default


def _pipe_rows(rows: list[list[str]]) -> list[str]:
    if not rows:
        return []
    lines = [pipe_row(row) for row in rows]
    lines.insert(1, pipe_separator(len(rows[0])))
    return lines


# ── PDF ─────────────────────────────────────────────────────────────────────


def pdf_lines(raw: bytes, path: Path) -> list[str]:
    """The lines of a PDF's text layer, wrapped lines joined (see :func:`unwrap_pdf_pages`)."""
    import pypdf  # imported here: only PDF plans pay for loading pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PlanParseError(path, "the PDF is password-protected: save it without one")
        limits.check_pages(path, len(reader.pages))
        pages = [page.extract_text() or "" for page in reader.pages]
    except PlanParseError:
        raise
    except Exception as error:  # pypdf raises many kinds of error on a damaged file
        raise PlanParseError(path, f"not a readable PDF ({error})") from None
    lines = unwrap_pdf_pages(pages)
    if not any(lines):
        raise PlanParseError(path, NO_TEXT_LAYER)
    return lines


# A line that is only a page number: "3", "- 3 -", "Trang 3", "Trang 3/12", "Page 3 of 12".
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?\d{1,3}(?:\s*[-–—])?$"
    r"|^(?:trang|page)\s*\d{1,3}(?:\s*(?:/|of|trên)\s*\d{1,3})?$"
    r"|^\d{1,3}\s*/\s*\d{1,3}$",
    re.IGNORECASE,
)
# Page numbers are looked for among this many lines at the top and at the bottom of a page.
_EDGE_LINES = 2
_GLYPH_BULLET = re.compile(rf"^[{_MARKERS}](?=\s|$)\s*")
_MARKER_ONLY = re.compile(rf"^[{_MARKERS}]$")
# A dash or plus at a line start is a bullet, or a hyphen wrapped from "kinh tế - xã hội".
_DASH_BULLET = re.compile(r"^[-–—+*]\s+(\S)")
_STRUCTURE = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]\s"  # 1.  2.1.  1)
    r"|\(\d{1,2}\)"  # (1)
    r"|\(?[a-zđ]\)\s"  # a)  (b)
    r"|[IVXLC]+\.\s"  # II. YÊU CẦU
    r"|(?:Điều|Chương|Mục|Phần|Phụ lục)\s+[0-9IVXLC]+\b"
    r"|#{1,6}\s"  # a Markdown heading
    r"|[¹²³⁴⁵⁶⁷⁸⁹⁰]|\[\^)"  # a footnote
)
_TABLE_LIKE = re.compile(r"^\||\t|\S {3,}\S")
# A compound broken after its hyphen or slash: "57-" / "NQ/TW", "57-NQ/" / "TW".
_BROKEN_COMPOUND = re.compile(r"\w[-‐/]$")
_CLOSERS = "\"'”’)]»"
_SENTENCE_END = tuple(".!?")
_CLAUSE_END = tuple(";:")
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "\xad": ""})
# A line is "full" when it is at least FULL_RATIO of the typical full line, the
# FULL_QUANTILE of the line lengths on its page; the page's CAPACITY_QUANTILE is the most
# a line holds. A page with fewer than OWN_REFERENCE_LINES lines (a last page) uses the
# whole document's lengths.
FULL_RATIO = 0.8
FULL_QUANTILE = 0.8
CAPACITY_QUANTILE = 0.95
OWN_REFERENCE_LINES = 12


def _quantile(lengths: Sequence[int], fraction: float) -> float:
    if not lengths:
        return 0.0
    ordered = sorted(lengths)
    return float(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))])


def _page_lines(text: str) -> list[str]:
    """A page's non-empty lines, spaces normalised, page numbers at its edges dropped."""
    lines = []
    for raw in text.split("\n"):
        line = _GLYPH_BULLET.sub("• ", raw.replace("\xa0", " ").translate(_LIGATURES).strip())
        lines.append(line.strip() if _TABLE_LIKE.search(line) else " ".join(line.split()))
    filled = [n for n, line in enumerate(lines) if line]
    edges = set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:])
    return [
        line
        for n, line in enumerate(lines)
        if line and not (n in edges and _PAGE_NUMBER.match(line))
    ]


def _is_heading_caps(line: str) -> bool:
    words = [w for w in line.split() if any(c.isalpha() for c in w)]
    return len(words) >= 2 and line == line.upper()


def _starts_lower(line: str) -> bool:
    first = next((c for c in line if c.isalnum()), "")
    return first.islower()


def starts_structure(line: str, previous: str = "") -> bool:
    """True when ``line`` opens an item of its own: bullet, numbered item, heading, footnote,
    table row. An upper-case line opens a heading unless it follows one (a wrapped title)."""
    if _BULLET.match(line) or _STRUCTURE.match(line) or _TABLE_LIKE.search(line):
        return True
    return _is_heading_caps(line) and not _is_heading_caps(previous)


def _joins(previous: str, line: str, full: float, capacity: float) -> str | None:
    """The separator that joins ``line`` to ``previous`` ("" or " "), or None: not joined.

    ``full``: the typical full line's length; ``capacity``: the most a line holds.
    """
    if _TABLE_LIKE.search(previous):
        return None
    is_full = len(previous) >= FULL_RATIO * full
    end = previous.rstrip(_CLOSERS)
    # "marketing, gọi vốn..." closes a list ("etc."), not the sentence.
    sentence_end = end.endswith(_SENTENCE_END) and not end.endswith(("...", "…"))
    clause_end = end.endswith(_CLAUSE_END)
    open_end = not (sentence_end or clause_end)
    dash = _DASH_BULLET.match(line)
    if dash and is_full and open_end and dash.group(1).islower():
        return " "  # "chính trị" / "- xã hội": a hyphen that the wrap put first
    if starts_structure(line, previous):
        return None
    if _BROKEN_COMPOUND.search(previous):
        return ""
    if open_end:
        return " " if is_full or _starts_lower(line) else None
    if not is_full:
        return None
    if clause_end and (_starts_lower(line) or line[0].isdigit()):
        return " "  # "…công nghệ;" / "01 sáng kiến…": the next clause, not a new paragraph
    # A sentence or clause ends at the line's end: the paragraph goes on only if the next
    # line's first word could not have fitted on this line (the page width broke it).
    first_word = len(line.split(maxsplit=1)[0])
    return " " if len(previous) + 1 + first_word > capacity else None


def unwrap_page(lines: Sequence[str], full: float, capacity: float) -> list[str]:
    """One page's lines with wrapped lines joined into their paragraph (see
    :func:`unwrap_pdf_pages`)."""
    out: list[str] = []
    previous = ""
    marker = False  # a bullet marker extracted on a line of its own precedes this line
    for n, line in enumerate(lines):
        if _MARKER_ONLY.match(line):
            following = lines[n + 1] if n + 1 < len(lines) else ""
            # Markers detached from their text (drawn after it) carry no words: dropped.
            marker = bool(following) and not (
                _MARKER_ONLY.match(following) or starts_structure(following)
            )
            continue
        separator = None if marker or not out else _joins(previous, line, full, capacity)
        if separator is None:
            out.append(f"• {line}" if marker else line)
        else:
            out[-1] = f"{out[-1]}{separator}{line}"
        previous, marker = line, False
    return out


def unwrap_pdf_pages(pages: Sequence[str]) -> list[str]:
    """Lines of a PDF's pages (each page's text as extracted), wrapped paragraphs re-joined.

    Line A goes on in line B (joined with a space) when B starts no structure (bullet,
    numbered item, Roman or upper-case heading, footnote, table-like line) and:

    - A does not end a sentence or clause (. ! ? ; :) and either A is full (at least
      FULL_RATIO of the page's typical full line) or B starts in lower case;
    - A is full, ends in ";" or ":" and B starts in lower case or with a figure;
    - A is full, ends in punctuation and B's first word would not have fitted on A (the
      page's CAPACITY_QUANTILE line length): the page width, not the author, broke it.

    A compound broken after "-" or "/" ("57-" / "NQ/TW") joins without a space; a full
    line followed by "- xã hội" (a hyphen the wrap put first) joins too. Page numbers at
    a page's top or bottom are dropped. Pages are separated by an empty line: a sentence
    cut by a page break is left to the parsers, as in the Markdown plan; only a compound
    cut after its hyphen or slash is joined across the break.
    """
    page_lines = [_page_lines(text) for text in pages]

    def lengths(lines: Sequence[str]) -> list[int]:
        return [len(line) for line in lines if not _TABLE_LIKE.search(line)]

    everything = [n for lines in page_lines for n in lengths(lines)]
    out: list[str] = []
    for lines in page_lines:
        own = lengths(lines)
        reference = own if len(own) >= OWN_REFERENCE_LINES else everything
        full = _quantile(reference, FULL_QUANTILE)
        capacity = _quantile(reference, CAPACITY_QUANTILE)
        unwrapped = unwrap_page(lines, full, capacity)
        if out and unwrapped and _BROKEN_COMPOUND.search(out[-1]):
            if not starts_structure(unwrapped[0]):
                # "238/KH-" / [page break] / "UBND": one word, whatever page it ends on.
                out[-1] += unwrapped.pop(0)
        if out and unwrapped:
            out.append("")
        out.extend(unwrapped)
    return out
