"""Ctrl-C and SIGTERM: the command stops within seconds, cleanly, saying why in one line.

The command line (:func:`nq57lib.cli.main`) runs every command inside
:func:`stop_on_signals`. The first SIGINT or SIGTERM raises
:class:`~nq57lib.core.errors.Interrupted` in the main thread, wherever it is (a notebook,
waiting for a render, cleaning). On its way up it meets the code that undoes what is half
done: the run's work folders are removed, the kernel and the render processes are stopped
(:class:`nq57lib.run.workers.Workers`), a processed set being built is dropped, and the
locks are released; the previous report and processed tables were never touched. The
command then prints one line ("nq57 run: đã dừng theo yêu cầu (Ctrl-C)") and exits 130
(SIGINT) or 143 (SIGTERM).

Signals that come while it cleans up are ignored: a second Ctrl-C used to break the clean-up
itself. Should the clean-up not end within :data:`GRACE_S` (a library stuck in a system
call), a watchdog kills this process's children and ends it with the same line and code;
the next run sweeps what it left (:func:`nq57lib.core.sets.recover`).

The kernel runs in a session of its own (jupyter_client starts it so) and never sees a
terminal's Ctrl-C; render processes ignore SIGINT (:mod:`nq57lib.run.renderers`): only
this process decides what stops, and it stops them all.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

from nq57lib.core.errors import Interrupted

GRACE_S = 10.0
SIGNALS = (signal.SIGINT, signal.SIGTERM)


def descendants(pid: int | None = None) -> list[int]:
    """The processes below ``pid`` (default: this one), children first, from /proc;
    [] where there is no /proc."""
    pid = os.getpid() if pid is None else pid
    parents: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry}/stat").read_text(encoding="ascii", errors="replace")
            parent = int(text[text.rfind(")") + 2 :].split()[1])
        except (OSError, ValueError, IndexError):
            continue  # ended meanwhile
        parents.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(0), []):
            found.append(child)
            todo.append(child)
    return found


def kill_descendants() -> None:
    """SIGKILL every process below this one: the kernel, render processes and whatever
    they started. They only ever write into the run's work folder, which goes too."""
    for child in descendants():
        with contextlib.suppress(OSError):
            os.kill(child, signal.SIGKILL)


class _Guard:
    """The state of one :func:`stop_on_signals`: which signal came first, and whether the
    line saying so was printed."""

    def __init__(self, prefix: str, stream):
        self.prefix = prefix
        self.stream = stream
        self.signum: int | None = None
        self._said = threading.Lock()
        self._done = False

    def handle(self, signum: int, _frame) -> None:
        if self.signum is not None:
            return  # already stopping: let the clean-up finish
        self.signum = signum
        # What the libraries say while they are torn down mid-call (a coroutine never
        # awaited, a socket closed) is not for the analyst: the one line says it all.
        warnings.simplefilter("ignore")
        threading.Thread(target=self._watchdog, name="nq57-stop", daemon=True).start()
        raise Interrupted(signum)

    def announce(self, error: KeyboardInterrupt) -> int:
        """Print the one line (once) and give the exit code."""
        if not isinstance(error, Interrupted):  # Python's own Ctrl-C, before our handler
            error = Interrupted(signal.SIGINT)
        # A kernel shutdown cut short by the signal leaves jupyter_client's asyncio tasks
        # pending; asyncio would log each ("Task was destroyed but it is pending!") when it
        # is collected, after this line. The run is stopping on purpose: they are expected.
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        with self._said:
            if not self._done:
                self._done = True
                with contextlib.suppress(OSError, ValueError):
                    self.stream.write(f"{self.prefix}: {error}\n")
                    self.stream.flush()
        return error.exit_code

    def _watchdog(self) -> None:
        time.sleep(GRACE_S)
        kill_descendants()
        code = self.announce(Interrupted(self.signum or signal.SIGINT))
        os._exit(code)


@contextlib.contextmanager
def stop_on_signals(prefix: str = "nq57", stream=None) -> Iterator[_Guard]:
    """While the block runs (in the main thread), SIGINT and SIGTERM raise
    :class:`Interrupted` once; the guard's ``announce`` prints the line and gives the code.
    Elsewhere than in the main thread nothing is installed."""
    guard = _Guard(prefix, stream if stream is not None else sys.stderr)
    if threading.current_thread() is not threading.main_thread():
        yield guard
        return
    before = {signum: signal.signal(signum, guard.handle) for signum in SIGNALS}
    try:
        yield guard
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
