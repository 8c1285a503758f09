"""Atomic writes: a failed run never leaves a half-written file or folder behind.

Files are written to a temporary sibling and moved into place with ``os.replace``;
folders are built beside their target (``.<name>.staging-…``) and swapped in with two
renames, so the previous version stays whole until the new one is complete. Between the
two renames the previous version sits in ``.<name>.previous``; a process killed there is
put right by :func:`settle_backup` (called by :func:`nq57lib.core.sets.recover` at the next
start, and by every later swap of the same folder).
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from nq57lib.core.files import allow_long_csv_fields
from nq57lib.core.owner import drop_owner, write_owner
from nq57lib.core.textnorm import utf8_safe

if TYPE_CHECKING:  # pandas loads on first use: a run's own process never needs it
    import pandas as pd


def _umask() -> int:
    """The process's umask. Linux tells it in /proc; setting it to learn it would, for that
    instant, let a file made by another thread of the run (a render) be world-writable."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0)
    os.umask(current)
    return current


# The suffix of the folder holding a previous version during a swap (see the module doc),
# and the infix of the folders built beside their target.
BACKUP_SUFFIX = ".previous"
STAGING_INFIX = ".staging-"


def map_text(
    frame: pd.DataFrame,
    change: Callable[[str], str],
    positions: set[tuple[int, int]] | None = None,
) -> pd.DataFrame:
    """``frame`` with ``change`` applied to every text cell; numbers, dates and dtypes are
    untouched, and ``frame`` itself is returned when ``change`` returned every cell as is.
    ``positions``, when given, receives the (row, column) of every cell changed."""
    import pandas as pd

    changed = frame
    for j in range(frame.shape[1]):
        values = frame.iloc[:, j]
        if values.dtype.kind in "biufcmM":  # numbers, booleans and dates are never text
            continue
        fixed = [change(v) if isinstance(v, str) else v for v in values]
        rows = [i for i, (new, old) in enumerate(zip(fixed, values, strict=True)) if new is not old]
        if rows:
            changed = frame.copy() if changed is frame else changed
            dtype = object if isinstance(values.dtype, pd.CategoricalDtype) else values.dtype
            changed.isetitem(j, pd.Series(fixed, index=frame.index, dtype=dtype))
            if positions is not None:
                positions.update((i, j) for i in rows)
    return changed


def utf8_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell :func:`utf8_safe` (other cells and dtypes untouched)."""
    # utf8_safe returns the very same object when nothing needed escaping.
    return map_text(frame, utf8_safe)


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; it replaces ``target`` only on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        # The temporary name means nothing to the analyst: name the file they asked for.
        raise OSError(error.errno, error.strerror, str(target)) from None
    os.close(fd)
    tmp = Path(tmp_name)
    # mkstemp creates 0600; a report must be as readable as any file the user writes.
    tmp.chmod(0o666 & ~_umask())
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def backup_of(target: Path) -> Path:
    return target.with_name(f".{target.name}{BACKUP_SUFFIX}")


def make_staging(target: Path, kind: str = STAGING_INFIX, lock: Path | None = None) -> Path:
    """A new folder beside ``target`` (``.<name>.staging-<pid>-…``) to build its next
    version, holding only its owner's record (:mod:`nq57lib.core.owner`; ``lock``: the lock
    its maker holds, recorded too) so that no other run sweeps it while its maker lives."""
    prefix = f".{target.name}{kind}{os.getpid()}-"
    try:
        staging = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(target)) from None
    try:
        staging.chmod(0o777 & ~_umask())
        write_owner(staging, **({"lock": str(lock)} if lock is not None else {}))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def settle_backup(target: Path) -> str | None:
    """Put right what a swap of ``target`` cut short: "restored" (the previous version
    back in place of a missing ``target``), "removed" (a backup left after a completed
    swap), or None (nothing to do)."""
    backup = backup_of(target)
    if not backup.is_dir() or backup.is_symlink():
        return None
    if target.exists():
        shutil.rmtree(backup)
        return "removed"
    os.rename(backup, target)
    return "restored"


def fsync_path(path: Path) -> None:
    """Ask the system to put ``path`` (a file's data, or a folder's entries) on disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def refuse_file(target: Path) -> None:
    """A file (or a link) where the folder ``target`` belongs is refused, never moved aside."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(target))


def swap_dir(staging: Path, target: Path, durable: bool = False) -> None:
    """Put the finished folder ``staging`` in the place of ``target`` with two renames.

    If the second rename is refused, the first is undone before the error goes on up. With
    ``durable``, every file of ``staging`` and the folder itself reach the disk before the
    swap, and the parent's entries after it, so a power cut leaves the old or the new set.
    """
    refuse_file(target)
    settle_backup(target)
    drop_owner(staging)  # a record of who builds it is no part of the set
    if durable:
        for item in sorted(staging.rglob("*")):
            if item.is_file() and not item.is_symlink():
                fsync_path(item)
        fsync_path(staging)
    backup = backup_of(target)
    moved = False
    if target.exists():
        os.rename(target, backup)
        moved = True
    try:
        os.rename(staging, target)
    except OSError:
        if moved:
            os.rename(backup, target)
        raise
    if durable:
        fsync_path(target.parent)
    shutil.rmtree(backup, ignore_errors=True)


@contextlib.contextmanager
def atomic_dir(target: Path | str) -> Iterator[Path]:
    """Yield an empty temporary folder beside ``target``; swap it in only on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = make_staging(target)
    try:
        yield staging
        swap_dir(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_text_atomic(text: str, target: Path | str) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def write_csv_atomic(frame: pd.DataFrame, target: Path | str) -> Path:
    """CSV in UTF-8 with '.' decimals, empty cells for missing values.

    A text cell that a spreadsheet would run as a formula is written guarded and quoted
    (:func:`neutralise_text`); nq57 reads it back whole (``core.processed.read_csv``).
    """
    safe, guarded = _guard_formulas(frame)
    with atomic_path(target) as tmp:
        tmp.write_text(_csv_text(safe, guarded), encoding="utf-8", newline="")
    return Path(target)


# ── CSV injection (docs/reliability.md, "No formula injection") ─────────────
# Excel and LibreOffice run a cell that starts with "=", "+", "-", "@", a tab or a carriage
# return as a formula (OWASP, "CSV Injection"): "=cmd|' /C calc'!A0" from a unit's note
# would run when an analyst opens the file. Such a cell gets FORMULA_GUARD in front and is
# quoted; a cell that already starts with guards before one of those characters gets one
# more, so that removing one guard on reading (restore_text) always gives the text back.
FORMULA_GUARD = "'"
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
_GUARDED_START = re.compile(r"'+[=+\-@\t\r]")
# Left alone, because no spreadsheet runs them: a plain number written as text ("-5",
# "+3,5": Excel reads the number) and one of the characters alone (the comparator "=").
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")
_CSV_SPECIAL = (",", '"', "\n", "\r")


def neutralise_text(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows and never runs (the same object when it
    needs no guard)."""
    if not _FORMULA_START.match(text) or len(text) == 1 or _PLAIN_NUMBER.fullmatch(text):
        return text
    return FORMULA_GUARD + text


def restore_text(text: str) -> str:
    """The text that :func:`neutralise_text` turned into ``text``."""
    return text[1:] if _GUARDED_START.match(text) else text


def _guard_formulas(frame: pd.DataFrame) -> tuple[pd.DataFrame, set[tuple[int, int]]]:
    """(the frame with its formula-like text cells guarded, their (row, column) positions)."""
    guarded: set[tuple[int, int]] = set()
    return map_text(frame, neutralise_text, guarded), guarded


def _csv_text(frame: pd.DataFrame, guarded: set[tuple[int, int]]) -> str:
    """The frame as CSV text: cells as pandas formats them, the ``guarded`` ones (row and
    column of the frame) quoted, every other one quoted only when it must be.

    pandas quotes a cell holding a comma, a quote or a newline, but not one holding a
    carriage return, which then splits its row on reading: every cell is quoted here
    first, then each written again with the quotes it needs.
    """
    text = frame.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_ALL)
    allow_long_csv_fields()
    lines = []
    for n, row in enumerate(csv.reader(io.StringIO(text, newline=""))):
        cells = [
            f'"{cell.replace(chr(34), chr(34) * 2)}"'
            if (n - 1, j) in guarded or any(c in cell for c in _CSV_SPECIAL)
            else cell
            for j, cell in enumerate(row)
        ]
        # A row of one empty cell is written "" (an empty line would be skipped on reading).
        lines.append('""' if cells == [""] else ",".join(cells))
    return "\n".join(lines) + "\n"
