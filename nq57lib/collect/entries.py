"""The entries of a submissions folder: each one read, or refused with its reason.

Whatever sits in a period folder is accounted for. A regular file is read; a folder is
walked; a symbolic link is followed only when it leads to somewhere inside the raw folder
(a link to a file elsewhere on the machine is refused, not followed). Anything else — a
FIFO, a device, a socket, a broken link, a folder named like a workbook, a folder that
cannot be listed — becomes one entry carrying the reason, which cleaning lists in
``quality.csv`` and on screen rather than skipping it without a word. Hidden files and
Excel's lock files (``~$…``) are skipped, as before. Nothing here opens a file: it only
lists folders and reads file types (``lstat``/``stat``), which never blocks.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nq57lib.core import config
from nq57lib.core.errors import os_reason
from nq57lib.core.files import file_kind
from nq57lib.core.files import inside as _inside

# A folder with one of these names is a file that went wrong (an unzipped workbook, a copy
# gone astray); it is reported, not walked.
FILE_LIKE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


@dataclass(frozen=True)
class Entry:
    """One thing found in a folder: ``path`` to open (a link's target inside the raw
    folder), ``name`` as the outputs show it (relative to the raw folder), and ``problem``,
    the reason it cannot be read, empty for a regular file."""

    path: Path
    name: str
    problem: str = ""


def not_regular(mode: int) -> str:
    return (
        f"không phải tệp thông thường ({file_kind(mode)}); nq57 không mở loại này. "
        "Đặt vào thư mục bản sao tệp Excel của đơn vị."
    )


def link_problem(path: Path, root: str) -> tuple[str, os.stat_result | None, Path]:
    """For a symbolic link: (problem, the target's stat, the target). ``root`` is the raw
    folder's real path; a target outside it is refused without being looked at."""
    real = os.path.realpath(path)
    try:
        shown = os.readlink(path)
    except OSError:
        shown = real
    if not _inside(real, root):
        return (
            f"là liên kết trỏ ra ngoài thư mục số liệu (symlink tới {shown}); nq57 chỉ đọc "
            "tệp nằm trong thư mục số liệu — chép tệp vào thư mục kỳ thay cho liên kết",
            None,
            Path(real),
        )
    try:
        return "", os.stat(real), Path(real)
    except FileNotFoundError:
        return f"là liên kết hỏng (tới {shown}): tệp đích không còn", None, Path(real)
    except OSError as error:
        return f"là liên kết không đọc được (tới {shown}: {os_reason(error)})", None, Path(real)


def list_entries(
    folder: Path,
    root: Path,
    *,
    recursive: bool = True,
    keep: Callable[[str], bool] = lambda _name: True,
) -> list[Entry]:
    """Every entry under ``folder`` (named relative to ``root``, the raw folder), sorted by
    name. ``keep`` chooses the names that matter (a regular file it rejects is left out, and
    so is anything else it rejects); without ``recursive``, sub-folders are not walked."""
    real_root = os.path.realpath(root)
    found: list[Entry] = []

    def add(logical: Path, path: Path, problem: str = "") -> None:
        found.append(Entry(path, logical.relative_to(root).as_posix(), problem))

    start = os.path.realpath(folder)
    if not _inside(start, real_root):
        add(folder, folder, link_problem(folder, real_root)[0])
        return found
    visited = {start}
    pending = [(folder, Path(start))]  # (path as named, path on disk); no recursion limit
    while pending:
        logical, physical = pending.pop()
        try:
            with os.scandir(physical) as listing:
                names = sorted(item.name for item in listing)
        except OSError as error:
            add(logical, physical, f"không đọc được thư mục ({os_reason(error)})")
            continue
        for name in names:
            if name.startswith((".", "~$")):
                continue  # hidden files, Excel's lock files
            shown, path = logical / name, physical / name
            try:
                info = os.lstat(path)
            except OSError as error:
                add(shown, path, f"không đọc được ({os_reason(error)})")
                continue
            if stat.S_ISLNK(info.st_mode):
                problem, target_info, path = link_problem(path, real_root)
                if target_info is None:
                    if keep(name) or recursive:
                        add(shown, path, problem)
                    continue
                info = target_info
            if stat.S_ISDIR(info.st_mode):
                if name.lower().endswith(FILE_LIKE_SUFFIXES):
                    if keep(name) or recursive:
                        add(shown, path, "là một thư mục, không phải tệp (tệp đã bị giải nén?)")
                elif recursive:
                    real = os.path.realpath(path)
                    if real in visited:
                        add(
                            shown,
                            path,
                            "là thư mục đã đọc qua đường dẫn khác; bỏ qua để không đọc hai lần",
                        )
                    else:
                        visited.add(real)
                        pending.append((shown, Path(real)))
                continue
            if not keep(name):
                continue
            add(shown, path, "" if stat.S_ISREG(info.st_mode) else not_regular(info.st_mode))
    return sorted(found, key=lambda entry: entry.name)


def readable_files(entries: list[Entry], limit: int) -> list[Path]:
    """The files among ``entries`` that reading opens: no problem found while listing, and
    at most ``limit`` bytes (a larger one is refused unread). What a run fingerprints and
    hashes is this list, never a link cleaning refused or a 60 GB sparse file."""
    found = []
    for entry in entries:
        if entry.problem:
            continue
        try:
            size = os.stat(entry.path).st_size
        except OSError:
            continue
        if size <= limit:
            found.append(entry.path)
    return found


def period_entries(folder: Path, raw_dir: Path) -> list[Entry]:
    """Every entry of a period folder that cleaning reads or refuses with its reason. The
    analyst's narrative file is the report's, not a unit's."""
    return list_entries(folder, raw_dir, keep=lambda name: name != config.NARRATIVE_FILE)


def register_entries(raw_dir: Path) -> list[Entry]:
    """The register's workbooks (``*.xlsx`` of the register folder), and entries of that
    name that cannot be read (a link leading outside the raw folder, a FIFO …)."""
    folder = raw_dir / config.REGISTER_DIR
    if not folder.is_dir():
        return []
    return list_entries(
        folder, raw_dir, recursive=False, keep=lambda name: name.lower().endswith(".xlsx")
    )
