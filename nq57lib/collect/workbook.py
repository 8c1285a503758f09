"""Open a submitted workbook safely, or say in Vietnamese why it cannot be read.

Checks happen before openpyxl sees the file: size limit, file signature (legacy
``.xls`` and password-protected workbooks are OLE containers, a renamed CSV is
plain text), archive size (zip bombs) and XML declarations (entity bombs).
openpyxl itself parses through defusedxml when it is installed, as a second guard.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from nq57lib.core import config
from nq57lib.core.errors import WorkbookError

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
_BOMB = (
    "tệp chứa khai báo thực thể XML bị cấm (có thể là XML bomb), không mở. "
    "Đề nghị đơn vị lưu lại tệp bằng Excel rồi gửi lại."
)
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


def check_file(path: Path, max_bytes: int | None = None) -> None:
    """Raise :class:`WorkbookError` unless ``path`` can safely be handed to openpyxl."""
    limit = config.MAX_WORKBOOK_BYTES if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as error:
        raise _reject(path, f"không đọc được tệp ({error.strerror}).") from None
    if size == 0:
        raise _reject(path, f"tệp rỗng (0 byte). Đơn vị cần gửi lại tệp có số liệu. {_FIX}")
    if size > limit:
        raise _reject(
            path,
            f"tệp quá lớn ({size / 1_048_576:.1f} MB, giới hạn {limit / 1_048_576:.0f} MB). "
            "Xóa các trang, hình ảnh không cần thiết rồi gửi lại.",
        )
    if head.startswith(_OLE):
        with path.open("rb") as handle:
            body = handle.read(min(size, 1_048_576))
        if _ENCRYPTED_MARK in body:
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
    _check_archive(path, limit)


def _check_archive(path: Path, limit: int) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "xl/workbook.xml" not in names:
                raise _reject(
                    path, f"tệp nén không chứa sổ làm việc Excel (thiếu xl/workbook.xml). {_FIX}"
                )
            unpacked = sum(m.file_size for m in members)
            if unpacked > limit * UNPACKED_FACTOR:
                raise _reject(
                    path,
                    f"tệp giải nén ra {unpacked / 1_048_576:.0f} MB — nghi là tệp độc hại "
                    "(zip bomb), không mở. Đề nghị đơn vị kiểm tra và gửi lại tệp bình thường.",
                )
            for member in members:
                if member.filename.endswith((".xml", ".rels", ".vml")):
                    with archive.open(member) as part:
                        if _DTD.search(part.read(2048)):
                            raise _reject(path, f"phần {member.filename}: {_BOMB}")
    except zipfile.BadZipFile:
        raise _reject(path, f"tệp bị hỏng (không giải nén được). {_FIX}") from None
    except (OSError, EOFError, zipfile.LargeZipFile, NotImplementedError) as error:
        raise _reject(path, f"tệp bị hỏng ({error}). {_FIX}") from None


def open_workbook(
    path: Path | str, *, data_only: bool = True, max_bytes: int | None = None
) -> Workbook:
    """Open ``path`` with openpyxl after :func:`check_file`; every failure is a WorkbookError."""
    path = Path(path)
    check_file(path, max_bytes)  # the precise reason first: legacy, encrypted, text …
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise _reject(path, f"đuôi tệp “{path.suffix}” không phải sổ làm việc Excel. {_FIX}")
    try:
        return load_workbook(path, data_only=data_only, read_only=False)
    except DefusedXmlException:
        raise _reject(path, _BOMB) from None
    except (
        zipfile.BadZipFile,
        KeyError,
        ParseError,
        ValueError,
        TypeError,
        IndexError,
        AttributeError,
        OSError,
        EOFError,
    ) as error:
        # openpyxl wraps parser errors (defusedxml's included) in a plain ValueError.
        if isinstance(error.__cause__ or error.__context__, DefusedXmlException):
            raise _reject(path, _BOMB) from None
        name = type(error).__name__
        raise _reject(path, f"tệp bị hỏng, openpyxl không đọc được ({name}). {_FIX}") from None


def has_formulas(path: Path | str) -> bool:
    """True when any worksheet holds a formula (``<f>`` element); cheap, no full parse."""
    with zipfile.ZipFile(path) as archive:
        for member in archive.infolist():
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                data = archive.read(member)
                if b"<f>" in data or b"<f " in data or b":f>" in data or b":f " in data:
                    return True
    return False
