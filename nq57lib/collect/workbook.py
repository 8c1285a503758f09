"""Open a submitted workbook safely, or say in Vietnamese why it cannot be read.

The file is opened once, without blocking, and read into memory only if it is a regular
file within the size limit (a FIFO or a device is refused by ``fstat``, never read). Then,
before openpyxl sees a byte: file signature (legacy ``.xls`` and password-protected
workbooks are OLE containers, a renamed CSV is plain text), archive size (zip bombs), the
unpacked size of the parts openpyxl parses, XML declarations (entity bombs), the count of
cell formats and style elements, the pixels each picture's header claims, and the sheets'
extent, streamed (:mod:`nq57lib.collect.sheetscan`: sheets, rows, cells). openpyxl
itself parses through defusedxml when it is installed, as a second guard.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from struct import error as struct_error
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from nq57lib.collect.entries import not_regular
from nq57lib.collect.sheetscan import ENTITY_BOMB, scan_workbook
from nq57lib.core import config
from nq57lib.core.errors import InputFileError, WorkbookError
from nq57lib.core.files import read_regular
from nq57lib.core.files import size_text as _size
from nq57lib.core.fmt import fmt_number

try:  # defusedxml is a declared dependency; the guard keeps a clear message if it is absent.
    from defusedxml import DefusedXmlException
except ImportError:  # pragma: no cover - exercised only without defusedxml
    DefusedXmlException = ValueError  # type: ignore[misc,assignment]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# An unpacked workbook larger than this many times the file limit is treated as a zip bomb.
UNPACKED_FACTOR = 20
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_BOMB = ENTITY_BOMB
_FIX = "Mở tệp bằng Excel và lưu lại dưới dạng “Sổ làm việc Excel (.xlsx)” rồi gửi lại."


def _looks_like_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = head.decode("cp1258")
        except UnicodeDecodeError:
            return False
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return bool(text) and printable / len(text) > 0.95


def _reject(path: Path, reason: str) -> WorkbookError:
    return WorkbookError(path, reason)


def _too_large(path: Path, size: int, limit: int) -> WorkbookError:
    return _reject(
        path,
        f"tệp quá lớn ({size / 1_048_576:.1f} MB, giới hạn {limit / 1_048_576:.0f} MB). "
        "Xóa các trang, hình ảnh không cần thiết rồi gửi lại.",
    )


def read_submitted(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``; a FIFO, a device or a file over ``limit``
    bytes is refused before anything is read from it (:func:`core.files.read_regular`)."""
    try:
        return read_regular(path, limit)
    except InputFileError as error:
        if error.mode is not None:
            raise _reject(path, not_regular(error.mode)) from None
        if error.size is not None:
            raise _too_large(path, error.size, limit) from None
        raise _reject(path, f"{error.reason}.") from None


def check_file(path: Path, max_bytes: int | None = None) -> bytes:
    """The file's bytes, or :class:`WorkbookError` unless they can safely go to openpyxl."""
    limit = config.MAX_WORKBOOK_BYTES if max_bytes is None else max_bytes
    data = read_submitted(path, limit)
    head = data[:4096]
    if not data:
        raise _reject(path, f"tệp rỗng (0 byte). Đơn vị cần gửi lại tệp có số liệu. {_FIX}")
    if head.startswith(_OLE):
        if _ENCRYPTED_MARK in data[:1_048_576]:
            raise _reject(
                path,
                "tệp được đặt mật khẩu mở nên không đọc được. Đơn vị cần gỡ mật khẩu "
                "(Tệp → Thông tin → Bảo vệ sổ làm việc) rồi gửi lại.",
            )
        raise _reject(
            path, f"tệp Excel định dạng cũ (.xls, Excel 97–2003) không được hỗ trợ. {_FIX}"
        )
    if not head.startswith(_ZIP):
        if _looks_like_text(head):
            raise _reject(
                path,
                f"tệp là văn bản (CSV/TXT), không phải sổ làm việc Excel. {_FIX}",
            )
        raise _reject(path, f"tệp bị hỏng hoặc không phải tệp Excel. {_FIX}")
    return data


def _looks_like_xml(head: bytes) -> bool:
    """Whether a part could be XML to a parser: openpyxl parses a part by what its
    relationships say it is, not by its name, so an "image" is counted if it is XML."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16
        return True
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def _check_archive(path: Path, archive: zipfile.ZipFile, limit: int) -> None:
    members = archive.infolist()
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise _reject(path, f"tệp nén không chứa sổ làm việc Excel (thiếu xl/workbook.xml). {_FIX}")
    unpacked = sum(m.file_size for m in members)
    if unpacked > limit * UNPACKED_FACTOR:
        raise _reject(
            path,
            f"tệp giải nén ra {unpacked / 1_048_576:.0f} MB — nghi là tệp độc hại "
            "(zip bomb), không mở. Đề nghị đơn vị kiểm tra và gửi lại tệp bình thường.",
        )
    xml = 0
    for member in members:
        with archive.open(member) as part:
            head = part.read(2048)
        if not _looks_like_xml(head):
            _check_picture(path, archive, member)
            continue  # a picture, an embedded object: openpyxl never parses it
        # Only package parts: an SVG picture may well declare its DOCTYPE. A part parsed
        # under another name meets defusedxml (openpyxl) or sheetscan's parser, which both
        # refuse entities.
        if member.filename.endswith((".xml", ".rels", ".vml")) and _DTD.search(head):
            raise _reject(path, f"phần {member.filename}: {_BOMB}")
        xml += member.file_size
    _check_styles(path, archive)
    if xml > config.MAX_UNPACKED_XML_BYTES:
        raise _reject(
            path,
            f"phần XML của tệp giải nén ra {_size(xml)}, vượt giới hạn "
            f"{_size(config.MAX_UNPACKED_XML_BYTES)}: tệp chứa quá nhiều dữ liệu. Xóa các trang, "
            "dòng, cột không cần thiết (hoặc tách thành nhiều tệp) rồi gửi lại.",
        )


# The styles part openpyxl parses whole, building one object per element: a 56 KB file may
# declare 7,000,000 cell formats (106 s and 3.7 GB before this count).
_STYLES_PART = "xl/styles.xml"
_XF_TAG = re.compile(rb"<(?:\w{1,16}:)?xf[\s/>]")
_START_TAG = re.compile(rb"<[A-Za-z_]")
_TAG_OVERLAP = 32  # longer than any tag start matched above


def _count_styles(archive: zipfile.ZipFile) -> tuple[int, int]:
    """(cell formats ``<xf>``, elements) of the styles part, streamed in 1 MB pieces."""
    if _STYLES_PART not in archive.NameToInfo:
        return 0, 0
    formats = elements = 0
    tail = b""
    with archive.open(_STYLES_PART) as part:
        while True:
            chunk = part.read(1_048_576)
            buffer = tail + chunk
            # Count the tags that start before the overlap kept for the next piece (or all
            # of them at the end), so that none is counted twice or cut in two.
            end = len(buffer) if not chunk else max(len(buffer) - _TAG_OVERLAP, 0)
            formats += sum(1 for m in _XF_TAG.finditer(buffer) if m.start() < end)
            elements += sum(1 for m in _START_TAG.finditer(buffer) if m.start() < end)
            if not chunk:
                return formats, elements
            tail = buffer[end:]


def _check_styles(path: Path, archive: zipfile.ZipFile) -> None:
    formats, elements = _count_styles(archive)
    for count, cap, what in (
        (formats, config.MAX_WORKBOOK_CELL_FORMATS, "định dạng ô"),
        (elements, config.MAX_WORKBOOK_STYLE_ELEMENTS, "phần tử định dạng"),
    ):
        if count > cap:
            raise _reject(
                path,
                f"tệp khai báo {fmt_number(count, 0)} {what}, vượt giới hạn {fmt_number(cap, 0)}: "
                "nghi là tệp độc hại hoặc hỏng, không mở. Sao chép số liệu sang một sổ làm "
                "việc mới rồi gửi lại.",
            )


def _check_picture(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """A picture's pixels from its header, before openpyxl hands it to Pillow: a picture
    claiming 30000×30000 pixels made Pillow refuse it with an error that stopped the whole
    cleaning. Parts Pillow does not recognise are left alone (openpyxl drops them)."""
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:  # without Pillow, openpyxl reads no picture at all
        return
    with archive.open(member) as part:
        head = part.read(1_048_576)  # every header Pillow reads sits in the first megabyte
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(head)) as picture:
                width, height = picture.size
                pixels = width * height
    except Image.DecompressionBombError as error:
        # Pillow refused it from its header; its message carries the pixels it claims.
        found = re.search(r"\((\d+) pixels\)", str(error))
        pixels = int(found.group(1)) if found else config.MAX_WORKBOOK_IMAGE_PIXELS + 1
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, struct_error):
        return
    if pixels > config.MAX_WORKBOOK_IMAGE_PIXELS:
        raise _reject(
            path,
            f"hình ảnh {member.filename} quá lớn ({fmt_number(pixels, 0)} điểm ảnh, giới hạn "
            f"{fmt_number(config.MAX_WORKBOOK_IMAGE_PIXELS, 0)}). Xóa hoặc thu nhỏ hình rồi "
            "gửi lại.",
        )


@dataclass(frozen=True)
class CheckedWorkbook:
    """A workbook openpyxl loaded (cached values only) and its formulas, by sheet title."""

    workbook: Workbook
    formulas: dict[str, dict[tuple[int, int], str]]
    # When the unit last saved it (the file's own "modified" property, UTC), if it says.
    saved: datetime | None = None


_MODIFIED = re.compile(rb"<dcterms:modified[^>]*>\s*([0-9T:\-.Z+]{10,40})\s*</dcterms:modified>")


def saved_time(archive: zipfile.ZipFile) -> datetime | None:
    """The workbook's ``dcterms:modified`` (docProps/core.xml), as Excel writes it on every
    save; None when the file does not say (openpyxl would put the time of reading)."""
    try:
        core = archive.read("docProps/core.xml")[:65536]
    except KeyError:
        return None
    found = _MODIFIED.search(core)
    if not found:
        return None
    try:
        stamp = datetime.fromisoformat(found.group(1).decode("ascii").replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def open_checked(path: Path | str, *, max_bytes: int | None = None) -> CheckedWorkbook:
    """Check ``path`` (:func:`check_file`, the archive, the sheets' extent), then load it;
    every failure is a WorkbookError."""
    path = Path(path)
    limit = config.MAX_WORKBOOK_BYTES if max_bytes is None else max_bytes
    data = check_file(path, limit)  # the precise reason first: legacy, encrypted, text …
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise _reject(path, f"đuôi tệp “{path.suffix}” không phải sổ làm việc Excel. {_FIX}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_archive(path, archive, limit)
            scan = scan_workbook(archive, path)
            saved = saved_time(archive)
    except DefusedXmlException:
        raise _reject(path, _BOMB) from None
    except zipfile.BadZipFile:
        raise _reject(path, f"tệp bị hỏng (không giải nén được). {_FIX}") from None
    except _BROKEN as error:
        # openpyxl, reading the manifest and the workbook part, wraps parser errors
        # (defusedxml's included) in a plain ValueError.
        if isinstance(error.__cause__ or error.__context__, DefusedXmlException):
            raise _reject(path, _BOMB) from None
        raise _reject(path, f"tệp bị hỏng ({type(error).__name__}). {_FIX}") from None
    return CheckedWorkbook(_load(path, data), scan.formulas(), saved)


# What a damaged archive or XML part raises inside zipfile, expat, ElementTree or openpyxl.
_BROKEN = (
    zipfile.LargeZipFile, NotImplementedError, zlib.error, KeyError, ParseError, ValueError,
    TypeError, IndexError, AttributeError, OSError, EOFError,
)  # fmt: skip


try:
    from PIL.Image import DecompressionBombError as _PICTURE_REFUSED
except ImportError:  # pragma: no cover - Pillow is installed with matplotlib
    _PICTURE_REFUSED = ()  # type: ignore[assignment,misc]


def _load(path: Path, data: bytes) -> Workbook:
    try:
        # External links are caches of other workbooks: never needed, possibly huge.
        return load_workbook(io.BytesIO(data), data_only=True, read_only=False, keep_links=False)
    except DefusedXmlException:
        raise _reject(path, _BOMB) from None
    except _PICTURE_REFUSED:
        # The header check came first; this is the last guard for a picture it missed.
        raise _reject(
            path, "tệp chứa hình ảnh quá lớn. Xóa hoặc thu nhỏ hình rồi gửi lại."
        ) from None
    except (zipfile.BadZipFile, *_BROKEN) as error:
        # openpyxl wraps parser errors (defusedxml's included) in a plain ValueError.
        if isinstance(error.__cause__ or error.__context__, DefusedXmlException):
            raise _reject(path, _BOMB) from None
        name = type(error).__name__
        raise _reject(path, f"tệp bị hỏng, openpyxl không đọc được ({name}). {_FIX}") from None


def open_workbook(path: Path | str, *, max_bytes: int | None = None) -> Workbook:
    """Open ``path`` with openpyxl (cached values) after every check of :func:`open_checked`."""
    return open_checked(path, max_bytes=max_bytes).workbook
