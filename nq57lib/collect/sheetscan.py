"""Measure a workbook's sheets from their XML, streamed, before openpyxl parses anything.

openpyxl builds every cell in memory, and the table reader walks each sheet's rows up to
the last one: a file of a few kilobytes can hold a cell on row 1,000,000. This pass reads
each worksheet part with expat, in chunks, keeping no tree, and stops at the first cap
passed (``config.MAX_WORKBOOK_SHEETS``, ``MAX_SHEET_ROWS``, ``MAX_WORKBOOK_CELLS``), so
refusing a file costs no more than reading up to the cap. On the way it collects each
sheet's formulas: openpyxl's data-only load sees only their cached results, and a formula
without one must be reported, not taken for an empty cell.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from openpyxl.formula.translate import Translator, TranslatorError
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.reader.workbook import WorkbookParser
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.xml.constants import (
    ARC_CONTENT_TYPES,
    ARC_WORKBOOK,
    COMMENTS_NS,
    XLSM,
    XLSX,
    XLTM,
    XLTX,
)
from openpyxl.xml.functions import fromstring

from nq57lib.collect.tables import READ_COLUMNS
from nq57lib.core import config
from nq57lib.core.errors import WorkbookError
from nq57lib.core.fmt import fmt_number

_CHUNK = 64 * 1024
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
# A range as merged cells and hyperlinks give it: "C1:C9", "A:B" (whole columns), "3:5".
_RANGE = re.compile(r"^\$?([A-Za-z]{0,3})\$?(\d*)(?::\$?([A-Za-z]{0,3})\$?(\d*))?$")
# Elements whose range openpyxl fills with a cell at every position.
_RANGE_TAGS = {
    "mergeCell": "vùng ô gộp",
    "hyperlink": "liên kết (hyperlink)",
    "comment": "ghi chú (comment)",
}
# A formula is kept for messages; a longer one is cut (it is never evaluated).
_FORMULA_CHARS = 2_000
ENTITY_BOMB = (
    "tệp chứa khai báo thực thể XML bị cấm (có thể là XML bomb), không mở. "
    "Đề nghị đơn vị lưu lại tệp bằng Excel rồi gửi lại."
)


@dataclass
class SheetScan:
    """What one worksheet part holds: its extent, its cell count, its formulas."""

    title: str
    part: str
    max_row: int = 0
    max_column: int = 0
    cells: int = 0
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def weight(self) -> int:
        """Cells this sheet costs: those it holds, at least the rows × columns read."""
        return max(self.cells, self.max_row * min(self.max_column, READ_COLUMNS))


@dataclass(frozen=True)
class WorkbookScan:
    sheets: tuple[SheetScan, ...]

    def formulas(self) -> dict[str, dict[tuple[int, int], str]]:
        """Sheet title → {(row, column): '=…'} for every sheet holding a formula."""
        return {s.title: s.formulas for s in self.sheets if s.formulas}


def _n(value: int) -> str:
    return fmt_number(value, 0)


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


def _parse(path: Path, part: str, source, start: Callable, end=None, text=None) -> None:
    """Stream one XML part through expat; a DTD (entity bomb) is refused."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*_args) -> None:
        raise WorkbookError(path, f"phần {part}: {ENTITY_BOMB}")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        while chunk := source.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise WorkbookError(
            path,
            f"phần {part} của tệp bị hỏng (XML không hợp lệ: {expat.ErrorString(error.code)}). "
            "Mở tệp bằng Excel, lưu lại rồi gửi lại.",
        ) from None


def _workbook_part(package: Manifest) -> str:
    """The workbook part as openpyxl finds it: by its content type, else the default name."""
    for content_type in (XLTM, XLTX, XLSM, XLSX):
        part = package.find(content_type)
        if part:
            return part.PartName[1:]
    return ARC_WORKBOOK


def _sheet_parts(archive: zipfile.ZipFile, path: Path) -> list[tuple[str, str, list[str]]]:
    """(title, part, comment parts) of every worksheet openpyxl will load, found the way
    openpyxl finds them (content types → workbook part → its relationships), so that no
    part it parses escapes the caps whatever its name."""
    names = set(archive.namelist())
    package = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
    parser = WorkbookParser(archive, _workbook_part(package), keep_links=False)
    parser.parse()
    if len(parser.sheets) > config.MAX_WORKBOOK_SHEETS:
        raise WorkbookError(
            path,
            f"sổ làm việc có {_n(len(parser.sheets))} trang, vượt giới hạn "
            f"{_n(config.MAX_WORKBOOK_SHEETS)} trang. Xóa các trang không cần thiết rồi gửi lại.",
        )
    found = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns of sheets it drops; so do we
        for sheet, rel in parser.find_sheets():
            if rel.target not in names or "chartsheet" in rel.Type:
                continue  # openpyxl skips these too; a chart sheet holds no cells
            rels_path = get_rels_path(rel.target)
            comments = []
            if rels_path in names:
                comments = [r.target for r in get_dependents(archive, rels_path).find(COMMENTS_NS)]
            found.append((sheet.name, rel.target, [c for c in comments if c in names]))
    return found


class _SheetReader:
    """expat handlers for one worksheet part; caps are checked cell by cell."""

    def __init__(self, path: Path, sheet: SheetScan, weight_before: int):
        self.path, self.sheet, self.before = path, sheet, weight_before
        self.row = 0
        self.column = 0
        self.cell: tuple[int, int] | None = None
        self.formula: list[str] | None = None  # text of the <f> being read
        self.formula_length = 0
        self.formula_attrs: dict = {}
        self.in_formula = False
        self.shared: dict[str, Translator] = {}

    def start(self, name: str, attrs: dict) -> None:
        tag = _local(name)
        if tag == "row":
            self.row = _row_number(attrs.get("r"), self.row + 1)
            self.column = 0
        elif tag == "c":
            self._cell(attrs.get("r"))
        elif tag in _RANGE_TAGS:
            self._range(attrs.get("ref", ""), _RANGE_TAGS[tag])
        elif tag == "f" and self.cell is not None:
            self.formula, self.formula_attrs, self.in_formula = [], attrs, True
            self.formula_length = 0

    def end(self, name: str) -> None:
        tag = _local(name)
        if tag == "f":
            self.in_formula = False
        elif tag == "c" and self.cell is not None:
            if self.formula is not None:
                self._keep_formula()
            self.cell, self.formula = None, None

    def text(self, data: str) -> None:
        if self.in_formula and self.formula is not None and self.formula_length < _FORMULA_CHARS:
            self.formula.append(data[:_FORMULA_CHARS])
            self.formula_length += len(data)

    def _cell(self, ref: str | None) -> None:
        found = _REF.match(ref) if ref else None
        if found:
            self.column = column_index_from_string(found.group(1).upper())
            row = int(found.group(2))
        else:
            self.column += 1
            row = self.row
        self.cell = (row, self.column)
        self._grow(row, self.column, 1, "dữ liệu")

    def _range(self, ref: str, what: str) -> None:
        """A merged range or a hyperlink range: openpyxl makes a cell at every position."""
        found = _RANGE.match(ref.strip())
        if not found or not any(found.groups()):
            return
        first_col, first_row, last_col, last_row = found.groups()
        c1 = column_index_from_string(first_col.upper()) if first_col else 1
        c2 = column_index_from_string(last_col.upper()) if last_col else c1
        r1 = int(first_row) if first_row else 1
        r2 = int(last_row) if last_row else r1
        if not first_col and not last_col:  # whole rows: as wide as the sheet
            c1, c2 = 1, max(self.sheet.max_column, 1)
        if not first_row and not last_row:  # whole columns: as long as the sheet
            r1, r2 = 1, max(self.sheet.max_row, 1)
        (r1, r2), (c1, c2) = sorted((r1, r2)), sorted((c1, c2))
        self._grow(r2, c2, (r2 - r1 + 1) * (c2 - c1 + 1), what)

    def _grow(self, row: int, column: int, cells: int, what: str) -> None:
        sheet = self.sheet
        sheet.cells += cells
        sheet.max_row = max(sheet.max_row, row)
        sheet.max_column = max(sheet.max_column, column)
        if row > config.MAX_SHEET_ROWS:
            raise WorkbookError(
                self.path,
                f"trang “{sheet.title}” có {what} ở dòng {_n(row)}, vượt giới hạn "
                f"{_n(config.MAX_SHEET_ROWS)} dòng mỗi trang. Xóa các dòng thừa ở cuối trang "
                "(kể cả ô chỉ có định dạng, ô gộp; Ctrl+End cho biết ô cuối cùng) hoặc tách "
                "bảng sang tệp khác rồi gửi lại.",
            )
        weight = self.before + sheet.weight
        if weight > config.MAX_WORKBOOK_CELLS:
            raise WorkbookError(
                self.path,
                f"sổ làm việc có ít nhất {_n(weight)} ô, vượt giới hạn "
                f"{_n(config.MAX_WORKBOOK_CELLS)} ô (mỗi trang tính ít nhất số dòng × "
                f"{READ_COLUMNS} cột đầu, ô gộp tính từng ô). Xóa các trang, dòng, cột thừa, "
                "các ô gộp lớn và các ô ở xa bảng (Ctrl+End cho biết ô cuối cùng) rồi gửi lại.",
            )

    def _keep_formula(self) -> None:
        text = "".join(self.formula or "")[:_FORMULA_CHARS]
        formula = "=" + text
        attrs, (row, column) = self.formula_attrs, self.cell  # type: ignore[misc]
        if attrs.get("t") == "shared":
            key = attrs.get("si", "")
            here = _coordinate(row, column)
            if key in self.shared and not text:
                try:
                    formula = self.shared[key].translate_formula(here)
                except TranslatorError:
                    formula = "=(công thức dùng chung)"
            elif text:
                self.shared[key] = Translator(formula, here)
        self.sheet.formulas[(row, column)] = formula


def _coordinate(row: int, column: int) -> str:
    return f"{get_column_letter(column)}{row}"


def _row_number(text: str | None, default: int) -> int:
    if not text:
        return default
    try:
        return int(float(text))
    except ValueError:
        return default


def scan_workbook(archive: zipfile.ZipFile, path: Path) -> WorkbookScan:
    """Every worksheet's extent and formulas; :class:`WorkbookError` at the first cap passed.

    A sheet's comments count too: openpyxl makes a cell for each one it attaches.
    """
    scans: list[SheetScan] = []
    weight = 0
    for title, part, comments in _sheet_parts(archive, path):
        sheet = SheetScan(title=title, part=part)
        reader = _SheetReader(path, sheet, weight)
        for name in (part, *comments):
            with archive.open(name) as source:
                _parse(path, name, source, reader.start, reader.end, reader.text)
        weight += sheet.weight
        scans.append(sheet)
    return WorkbookScan(tuple(scans))
