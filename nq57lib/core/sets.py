"""A period's processed tables as one set: readers see the old set or the new one, never a mix.

Cleaning writes eight tables of ``data/processed/<P>/`` and the comparison adds six; a full
disk half-way through must not leave new observations beside an old quarantine. Each step
therefore builds the period's next folder beside it and swaps it in whole::

    with processed_set(processed / "2026-Q3", replaces=["status.csv", …]) as staging:
        write every table into staging

On entry the staging folder (``.2026-Q3.staging-…``) receives a copy of the files of the
current set that the step does not replace: cleaning keeps the last comparison's files,
the comparison keeps the cleaning's. A file in ``replaces`` that the step does not write is
gone from the new set. On success every file and the folder are fsynced and the folder is
swapped in with two renames (:func:`nq57lib.core.atomic.swap_dir`); on any failure the
staging folder is removed and the previous set was never touched.

A process killed between the two renames leaves ``2026-Q3`` absent and the previous set
in ``.2026-Q3.previous``; one killed earlier leaves a staging folder. :func:`recover` puts
both right; the commands that write (``nq57 run``, ``clean``, ``compare``) call it for
``data/processed/`` and ``reports/`` once they hold the tree's lock
(:mod:`nq57lib.run.lock`), when no other writer can be at work. Writers must be one at a
time: that is what the lock is for.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from nq57lib.core.atomic import (
    BACKUP_SUFFIX,
    make_staging,
    refuse_file,
    settle_backup,
    swap_dir,
    utf8_safe,
)
from nq57lib.core.errors import PeriodError
from nq57lib.core.owner import maker_gone
from nq57lib.core.periods import Period

RESTORED = "Đã khôi phục bản trước (lần chạy trước bị ngắt giữa chừng)"
REMOVED_BACKUP = "Đã xóa bản cũ còn sót của lần chạy bị ngắt"
REMOVED_STAGING = "Đã xóa thư mục tạm còn sót của lần chạy bị ngắt"


@contextlib.contextmanager
def processed_set(folder: Path | str, replaces: Iterable[str] = ()) -> Iterator[Path]:
    """Yield a staging copy of ``folder`` without the files in ``replaces``; on success it
    becomes ``folder`` in one swap, on failure it is removed and ``folder`` is untouched."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    refuse_file(folder)  # before any work, not after it
    # A swap of this folder cut short: the set to carry over is the previous one.
    settle_backup(folder)
    staging = make_staging(folder)
    try:
        _carry(folder, staging, set(replaces))
        yield staging
        swap_dir(staging, folder, durable=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _carry(folder: Path, staging: Path, replaces: set[str]) -> None:
    """Copy the files the step keeps (copy2: their times are what staleness checks read).

    Copies, not hard links: a link would share its data with the live set, and any writer
    that opened it in place would change the old set before the swap.
    """
    if not folder.is_dir():
        return
    for item in sorted(folder.iterdir()):
        if item.name in replaces or item.name.startswith("."):
            continue  # hidden: a temporary file of a write that was cut short
        if item.is_dir():
            shutil.copytree(item, staging / item.name, symlinks=True)
        else:
            shutil.copy2(item, staging / item.name, follow_symlinks=False)


def _ours(name: str) -> tuple[str, str] | None:
    """(folder, kind) for ``.2026-Q3.previous`` or ``.2026-Q3.staging-x1y2``; else None.

    Only hidden folders named after a period are nq57's: anything else is left alone.
    Older versions named staging folders ``.2026-Q3.x1y2`` and work folders
    ``.2026-Q3.work.x1y2``; those match too.
    """
    if not name.startswith("."):
        return None
    base, dot, rest = name[1:].partition(".")
    if not dot or not rest:
        return None
    try:
        if Period.parse(base).code != base:
            return None
    except PeriodError:
        return None
    return base, ("previous" if f".{rest}" == BACKUP_SUFFIX else "staging")


def recover(parent: Path | str) -> list[str]:
    """Put right what killed runs left in ``parent``; one line per thing done.

    A backup whose folder is missing is put back (the swap was cut between its renames);
    a backup beside its folder is removed (the swap completed); staging and work folders
    are removed when their maker has provably ended (:func:`nq57lib.core.owner.maker_gone`),
    never while it runs. Call it only while holding the tree's lock.
    """
    parent = Path(parent)
    if not parent.is_dir():
        return []
    found = []
    for entry in sorted(parent.iterdir()):
        kind = _ours(entry.name)
        if kind is not None and entry.is_dir() and not entry.is_symlink():
            found.append((entry, *kind))
    done = []
    for entry, base, kind in found:  # backups first: a restored folder is never swept
        if kind == "previous":
            what = settle_backup(parent / base)
            if what == "restored":
                done.append(f"{RESTORED}: {utf8_safe(str(parent / base))}")
            elif what == "removed":
                done.append(f"{REMOVED_BACKUP}: {utf8_safe(str(entry))}")
    for entry, _base, kind in found:
        # Another run's folder (it shares this folder, under a lock of its own) is its own.
        if kind == "staging" and maker_gone(entry):
            shutil.rmtree(entry)
            done.append(f"{REMOVED_STAGING}: {utf8_safe(str(entry))}")
    return done
