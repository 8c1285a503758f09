"""One run at a time per tree: ``nq57 run``, ``clean`` and ``compare`` hold exclusive locks.

The lock is a :class:`filelock.FileLock` (``flock`` on Unix, ``LockFileEx`` on Windows) on
``<processed>/.nq57.lock``; ``nq57 run`` also locks ``<reports>/.nq57.lock``, so two runs
that write one reports folder (two projects pointing at it, or one project run twice with
different ``--processed-dir``) are refused like two on one processed folder. A second
command fails at once ("đang có một lần chạy khác (PID …, bắt đầu lúc …)") rather than
waiting or writing beside the first. The system releases the lock when its holder's file
is closed, and a process killed with ``kill -9`` has all its files closed: a killed run
never leaves the tree locked. The lock file itself stays (removing it would let two
processes lock two different files of the same name).

Who holds a lock is written beside it, in ``.nq57.lock.info`` (PID, start time, command),
not in the lock file: filelock may open the lock file with ``O_TRUNC`` (3.x does), which
would erase the holder's name whenever a refused command tries it. The info file is
written whole (a rename) once the lock is held and removed before it is released; one
left by a killed holder is only read while someone holds the lock, after that holder has
replaced it.

Whoever takes the lock is then the only writer, so it puts right what killed runs left
behind (:func:`nq57lib.core.sets.recover`): staging and work folders whose owner is gone
are removed, and a report or processed set cut between the two renames of its swap is
restored.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from nq57lib.core import config
from nq57lib.core.atomic import refuse_file
from nq57lib.core.errors import RunLockedError
from nq57lib.core.sets import recover

INFO_SUFFIX = ".info"


@contextlib.contextmanager
def tree_lock(
    processed_dir: Path | str, reports_dir: Path | str | None = None, command: str = "nq57"
) -> Iterator[list[str]]:
    """Hold the lock of the tree whose processed folder is ``processed_dir`` (and, given
    ``reports_dir``, the lock of that reports folder too).

    Raises :class:`RunLockedError` when another process holds either. Yields the lines
    saying what was put right in ``processed_dir`` and ``reports_dir`` (and its ``_failed``).
    """
    processed_dir = Path(processed_dir)
    with contextlib.ExitStack() as held:
        held.enter_context(folder_lock(processed_dir, command))
        if reports_dir is not None:
            reports_dir = Path(reports_dir)
            held.enter_context(folder_lock(reports_dir, command))
        done = recover(processed_dir)
        if reports_dir is not None:
            done += recover(reports_dir) + recover(reports_dir / config.FAILED_DIR)
        yield done


@contextlib.contextmanager
def folder_lock(folder: Path, command: str) -> Iterator[Path]:
    """Hold ``<folder>/.nq57.lock`` (the folder made if missing, and removed again when
    nothing but the lock was written into it); yields the lock file's path."""
    from filelock import FileLock, Timeout

    refuse_file(folder)  # a file where the folder belongs: one line naming it, before mkdir
    made = _missing(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / config.LOCK_FILE
    info = path.with_name(path.name + INFO_SUFFIX)
    # thread_local=False: a batch of wards releases a ward's lock from another thread.
    lock = FileLock(path, thread_local=False)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:  # before OSError: filelock's Timeout is one
            raise RunLockedError(path, *_holder(info)) from None
        try:
            _stamp(info, command)
            yield path
        finally:
            # Gone before the lock is: whoever finds it locked next reads the next holder.
            with contextlib.suppress(OSError):
                info.unlink(missing_ok=True)
            lock.release()
    finally:
        _unmake(made, path)


def _missing(folder: Path) -> list[Path]:
    """The folders that making ``folder`` will create, innermost first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def _unmake(made: list[Path], lock: Path) -> None:
    """A refused request creates nothing: the folders this lock made are removed when
    nothing but the lock file was written into them."""
    with contextlib.suppress(OSError):
        if not made or [p.name for p in made[0].iterdir()] != [lock.name]:
            return
        lock.unlink()
        for folder in made:
            folder.rmdir()


def _stamp(info: Path, command: str) -> None:
    record = {
        "pid": os.getpid(),
        "started": datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": command,
    }
    temporary = info.with_name(f"{info.name}.{os.getpid()}")
    temporary.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temporary, info)


def _holder(info: Path) -> tuple[int | None, str | None, str | None]:
    """(PID, start time, command) of the holder, as far as its info file says."""
    try:
        record = json.loads(info.read_text(encoding="utf-8"))
        started = datetime.fromisoformat(record["started"])
        return int(record["pid"]), f"{started:%H:%M:%S} ngày {started:%d/%m/%Y}", record["command"]
    except (OSError, ValueError, KeyError, TypeError):
        # The holder has not written its name yet (it has just taken the lock).
        return None, None, None
