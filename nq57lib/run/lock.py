"""One run at a time per tree: ``nq57 run``, ``clean`` and ``compare`` hold an exclusive lock.

The lock is ``fcntl.flock`` on ``<processed>/.nq57.lock``. A second command on the same tree
fails at once ("đang có một lần chạy khác (PID …, bắt đầu lúc …)") rather than waiting or
writing beside the first. The system releases a flock when its holder's file is closed,
and a process killed with ``kill -9`` has all its files closed: a killed run never leaves
the tree locked. The file itself stays (removing it would let two processes lock two
different files of the same name); while held it says who holds it, for that message.

Whoever takes the lock is then the only writer, so it puts right what killed runs left
behind (:func:`nq57lib.core.sets.recover`): staging and work folders are removed, and a
report or processed set cut between the two renames of its swap is restored.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from nq57lib.core import config
from nq57lib.core.errors import RunLockedError
from nq57lib.core.sets import recover


@contextlib.contextmanager
def tree_lock(
    processed_dir: Path | str, reports_dir: Path | str | None = None, command: str = "nq57"
) -> Iterator[list[str]]:
    """Hold the lock of the tree whose processed folder is ``processed_dir``.

    Raises :class:`RunLockedError` when another process holds it. Yields the lines saying
    what was put right in ``processed_dir`` and ``reports_dir`` (and its ``_failed``).
    """
    processed_dir = Path(processed_dir)
    made = _missing(processed_dir)
    processed_dir.mkdir(parents=True, exist_ok=True)
    path = processed_dir / config.LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunLockedError(path, *_holder(fd)) from None
        _stamp(fd, command)
        try:
            done = recover(processed_dir)
            if reports_dir is not None:
                reports_dir = Path(reports_dir)
                done += recover(reports_dir) + recover(reports_dir / config.FAILED_DIR)
            yield done
        finally:
            # An empty file: whoever finds it locked next reads the next holder, not us.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            _unmake(made, path)
    finally:
        os.close(fd)  # releases the lock


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
    if not made or [p.name for p in made[0].iterdir()] != [lock.name]:
        return
    with contextlib.suppress(OSError):
        lock.unlink()
        for folder in made:
            folder.rmdir()


def _stamp(fd: int, command: str) -> None:
    record = {
        "pid": os.getpid(),
        "started": datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": command,
    }
    os.ftruncate(fd, 0)
    os.pwrite(fd, (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"), 0)


def _holder(fd: int) -> tuple[int | None, str | None, str | None]:
    """(PID, start time, command) of the holder, as far as its file says."""
    try:
        record = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
        started = datetime.fromisoformat(record["started"])
        return int(record["pid"]), f"{started:%H:%M:%S} ngày {started:%d/%m/%Y}", record["command"]
    except (OSError, ValueError, KeyError, TypeError):
        # The holder has not written its name yet (it has just taken the lock).
        return None, None, None
