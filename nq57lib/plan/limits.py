"""How large a plan nq57 reads: each cap is checked before the next step reads more of it.

Parsing a plan takes memory some fifty times its text (a 50 MB plan took 2.5 GB), and a
ward's plan is far smaller than any cap here (the shipped one: 60 kB, 645 lines). In order:
the file's size, before it is read; a text file's size, before it is decoded; a .docx's
parts (every one, whatever its name), from the sizes its zip directory declares (zipfile
never unpacks more than that), before Word's XML is parsed; a Word table's columns, before
a cell is made for them; a PDF's page count, before any text is extracted; and
the lines and text of every format, before the parsers see them. The caps are constants of
:mod:`nq57lib.core.config`; a plan over one is a :class:`PlanParseError` naming it.
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from nq57lib.core import config
from nq57lib.core.errors import InputFileError, PlanParseError
from nq57lib.core.files import file_kind
from nq57lib.core.fmt import fmt_number


def _refuse(path: Path, measured: str, cap: int) -> NoReturn:
    raise PlanParseError(
        path,
        f"too large for a plan: {measured}, more than the {fmt_number(cap, 0)} nq57 reads "
        "(kế hoạch quá lớn — is this the plan file?)",
    )


def refused(path: Path, error: InputFileError) -> NoReturn:
    """The plan file refused by :func:`nq57lib.core.files.read_regular`, in the plan's words."""
    if error.size is not None:
        _refuse(path, f"a file of {fmt_number(error.size, 0)} bytes", config.MAX_PLAN_FILE_BYTES)
    if error.mode is not None and stat.S_ISDIR(error.mode):
        raise PlanParseError(path, "is a folder, not a plan file")
    if error.mode is not None:
        raise PlanParseError(
            path,
            f"is not a regular file ({file_kind(error.mode)}): nq57 reads a plan only from "
            "a regular file (không phải tệp thông thường)",
        )
    if isinstance(error.error, FileNotFoundError):
        raise PlanParseError(path, "file not found")
    if isinstance(error.error, PermissionError):
        raise PlanParseError(path, "cannot be read (permission denied)")
    raise PlanParseError(path, f"cannot be read ({error.reason})")


class WideTable(Exception):
    """A Word table row that would span more columns than Word allows."""

    def __init__(self, columns: int):
        self.columns = columns


def table_span(filled: int, span: int) -> int:
    """``span`` more columns of a table row after ``filled``, checked before any cell is
    made for them: a w:gridSpan of 30,000,000 built that many empty cells (2.8 GB)."""
    if filled + span > config.MAX_PLAN_TABLE_COLUMNS:
        raise WideTable(filled + span)
    return span


def check_columns(path: Path, columns: int) -> NoReturn:
    """A Word table row spanning more columns than Word allows."""
    _refuse(path, f"a table row of {fmt_number(columns, 0)} columns", config.MAX_PLAN_TABLE_COLUMNS)


def check_file(path: Path) -> None:
    """The file as sent, before it is read (a missing file is reported by the reader)."""
    try:
        size = path.stat().st_size
    except OSError:
        return
    if path.is_file() and size > config.MAX_PLAN_FILE_BYTES:
        _refuse(path, f"a file of {fmt_number(size, 0)} bytes", config.MAX_PLAN_FILE_BYTES)


def check_text_bytes(path: Path, size: int) -> None:
    """A text (Markdown) plan's bytes, before they are decoded."""
    if size > config.MAX_PLAN_TEXT_BYTES:
        _refuse(path, f"{fmt_number(size, 0)} bytes of text", config.MAX_PLAN_TEXT_BYTES)


def check_docx(path: Path, raw: bytes) -> None:
    """A .docx's XML, unpacked, from the sizes its archive declares. A file that is no zip
    archive is left to the .docx reader, which says it is damaged."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    # Every part, whatever its name: the main part may be called "document.bin" and is
    # parsed all the same, as the package's content types say.
    size = sum(p.file_size for p in parts)
    if size > config.MAX_PLAN_DOCX_XML_BYTES:
        _refuse(
            path,
            f"the Word file unpacks to {fmt_number(size, 0)} bytes",
            config.MAX_PLAN_DOCX_XML_BYTES,
        )


def check_pages(path: Path, pages: int) -> None:
    """A PDF's pages, before their text is extracted."""
    if pages > config.MAX_PLAN_PDF_PAGES:
        _refuse(path, f"{fmt_number(pages, 0)} pages", config.MAX_PLAN_PDF_PAGES)


def check_lines(path: Path, lines: Sequence[str]) -> None:
    """The plan's lines and text, whatever its format, before the parsers read them."""
    if len(lines) > config.MAX_PLAN_LINES:
        _refuse(path, f"{fmt_number(len(lines), 0)} lines", config.MAX_PLAN_LINES)
    size = sum(len(line.encode("utf-8")) + 1 for line in lines)
    if size > config.MAX_PLAN_TEXT_BYTES:
        _refuse(path, f"{fmt_number(size, 0)} bytes of text", config.MAX_PLAN_TEXT_BYTES)
