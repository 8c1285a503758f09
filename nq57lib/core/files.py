"""Reading an input file safely: one regular file of bounded size, never blocking.

Every loader of a file a person can put in a project — the plan, ``ward.yaml``, the units
and registry files, the narrative, the register and the units' workbooks — reads it
through :func:`read_regular`. The file is opened once with ``O_NONBLOCK`` (a FIFO without a
writer would otherwise block the open forever), ``fstat`` decides on the open descriptor
whether it is a regular file and within its cap, and only then is anything read: a FIFO,
a device or ``/dev/zero`` costs nothing. :func:`read_yaml` adds the YAML documents'
rules: no key twice in one mapping, and every loader failure (a date 2025-02-30, a
5,000-digit number, nesting 10,000 deep) an :class:`InputFileError`, never a traceback.
:func:`outside` says whether a path leads out of the folders a project may read.
"""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import yaml

from nq57lib.core.errors import InputFileError, os_reason
from nq57lib.core.fmt import fmt_number

# Opening never waits: a FIFO opened for reading without a writer would block forever.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_OPEN_FLAGS |= getattr(os, "O_BINARY", 0)


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in Vietnamese."""
    kinds = (
        (stat.S_ISDIR, "thư mục"),
        (stat.S_ISFIFO, "ống dẫn FIFO"),
        (stat.S_ISCHR, "thiết bị ký tự"),
        (stat.S_ISBLK, "thiết bị khối"),
        (stat.S_ISSOCK, "socket"),
    )
    return next((name for test, name in kinds if test(mode)), "tệp đặc biệt")


def size_text(n: int) -> str:
    """``3,2 MB``, ``12 KB``: a size as the messages show it."""
    if n >= 1_048_576:
        return f"{fmt_number(n / 1_048_576, 1)} MB"
    return f"{fmt_number(max(n / 1024, 1), 0)} KB"


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    A FIFO, a device, a folder or a file over ``limit`` bytes is refused before anything
    is read (:class:`InputFileError`, whose ``mode`` or ``size`` says which); so is a file
    that grows past ``limit`` while it is read.
    """
    path = Path(path)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        raise InputFileError(
            path, f"không đọc được tệp ({os_reason(error)})", error=error
        ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(
                path,
                f"không phải tệp thông thường ({file_kind(info.st_mode)}); nq57 không mở loại này",
                mode=info.st_mode,
            )
        if info.st_size > limit:
            raise _too_large(path, info.st_size, limit)
        chunks, size = [], 0
        while size <= limit and (chunk := os.read(fd, min(1_048_576, limit + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise InputFileError(
            path, f"không đọc được tệp ({os_reason(error)})", error=error
        ) from None
    finally:
        os.close(fd)
    if size > limit:  # the file grew after fstat
        raise _too_large(path, size, limit)
    return b"".join(chunks)


def _too_large(path: Path, size: int, limit: int) -> InputFileError:
    return InputFileError(
        path,
        f"tệp quá lớn ({size_text(size)}, giới hạn {size_text(limit)})",
        size=size,
        limit=limit,
    )


def read_text(path: Path | str, limit: int) -> str:
    """:func:`read_regular`, decoded as UTF-8 (a byte-order mark is dropped)."""
    raw = read_regular(path, limit)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError(path, "không phải văn bản UTF-8; lưu lại tệp dạng UTF-8") from None


# libyaml's parser when PyYAML has it (its wheels do): ten times faster, and it refuses
# nesting deeper than it can handle instead of exhausting Python's recursion.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """The safe loader, refusing a key written twice in one mapping (YAML 1.2 forbids it;
    PyYAML would keep the last one without a word)."""

    def construct_mapping(self, node, deep=False):
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"“{_short(key)}” được ghi hai lần (dòng {seen[key]} và dòng {line}); "
                    "chỉ giữ một",
                    key_node.start_mark,
                )
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def _short(value: object, width: int = 60) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def parse_yaml(text: str, path: Path | str) -> object:
    """The YAML document ``text``; every failure of the loader is an InputFileError."""
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" ở dòng {mark.line + 1}" if mark is not None else ""
        if isinstance(error, yaml.constructor.ConstructorError):  # our own words: a key twice
            raise InputFileError(path, f"không đọc được{where}: {error.problem}") from None
        problem = getattr(error, "problem", None) or error
        raise InputFileError(
            path, f"không đọc được{where}: sai cú pháp YAML ({_short(problem, 200)})"
        ) from None
    except (ValueError, OverflowError, TypeError) as error:
        # A date that does not exist (2025-02-30), an integer over Python's 4,300 digits.
        raise InputFileError(path, f"có giá trị không đọc được ({_short(error, 120)})") from None
    except RecursionError:
        raise InputFileError(path, "lồng nhau quá sâu, không đọc được") from None


def read_yaml(path: Path | str, limit: int) -> object:
    """The YAML document of the regular file ``path`` of at most ``limit`` bytes."""
    return parse_yaml(read_text(path, limit), path)


def inside(path: str | Path, root: str | Path) -> bool:
    """Whether the real path ``path`` is ``root`` or lies under it (both already real)."""
    path, root = os.fspath(path), os.fspath(root)
    try:
        return path == root or os.path.commonpath([path, root]) == root
    except ValueError:  # another drive (Windows)
        return False


def outside(path: Path | str, roots: list[Path | str]) -> bool:
    """Whether ``path``, its links followed, leads outside every one of ``roots``."""
    real = os.path.realpath(path)
    return not any(inside(real, os.path.realpath(root)) for root in roots)


# The csv module refuses a field over 131,072 characters by default (``_csv.Error``), and a
# field of nq57's own CSVs may be longer: a 154 kB target of the plan, a quality message
# naming 600 long file names. nq57 reads back only what it wrote, whose cells the inputs'
# caps already bound, so the limit is raised to the largest the C module takes everywhere.
MAX_CSV_FIELD_CHARS = 2**31 - 1


def allow_long_csv_fields() -> None:
    """Let the csv module read fields up to :data:`MAX_CSV_FIELD_CHARS` characters."""
    if csv.field_size_limit() < MAX_CSV_FIELD_CHARS:
        csv.field_size_limit(MAX_CSV_FIELD_CHARS)
