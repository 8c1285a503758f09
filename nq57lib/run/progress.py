"""A run's progress, through the standard library's :mod:`logging`.

Each run (and each ward of a batch) has its own :class:`logging.Logger`, made for it and
never registered by name, so two runs in one process never share handlers and nothing in
:mod:`logging` changes when a run starts. Its parent is the ``nq57.run`` logger, so an
application that configures logging (a scheduler, a test's ``caplog``) sees every line.

Two handlers: :class:`ScreenHandler` writes one line per record to a stream (stderr for
``nq57 run``); :class:`RunJsonHandler` keeps each period's lines for its ``run.json``.
A record names its period with ``extra={"period": "2026-Q3"}`` (:func:`say` does it).
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from typing import TextIO

from nq57lib.core.textnorm import utf8_safe

# The parent of every run's logger (registered once, at import).
PARENT = logging.getLogger("nq57.run")


class ScreenHandler(logging.StreamHandler):
    """One line per record, written whole. A log that cannot take it (its disk full, its
    pipe closed) must not stop the run: the summary and run.json still say what happened."""

    def __init__(self, stream: TextIO):
        super().__init__(stream)
        self.setFormatter(logging.Formatter("%(message)s"))

    def format(self, record: logging.LogRecord) -> str:
        return utf8_safe(super().format(record))

    def handleError(self, record: logging.LogRecord) -> None:
        """Nothing is said about a line that could not be written (see the class)."""


class RunJsonHandler(logging.Handler):
    """Each period's progress lines, in order, for its ``run.json`` (``log``)."""

    def __init__(self) -> None:
        super().__init__()
        self._lines: dict[str, list[str]] = defaultdict(list)
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        period = getattr(record, "period", None)
        if period is None:
            return
        with self._guard:
            self._lines[period].append(utf8_safe(record.getMessage()))

    def lines(self, period: str) -> list[str]:
        with self._guard:
            return list(self._lines.get(period, ()))


class Progress:
    """The progress reporter of one run or of one ward of a batch."""

    def __init__(self, name: str, stream: TextIO | None = None):
        self.logger = logging.Logger(f"nq57.run.{name}", logging.INFO)
        self.logger.parent = PARENT
        self.stream = stream
        self.run_json = RunJsonHandler()
        self.logger.addHandler(self.run_json)
        if stream is not None:
            self.logger.addHandler(ScreenHandler(stream))

    @property
    def shows_bar(self) -> bool:
        """Papermill's cell progress bar is worth drawing only on a terminal."""
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty is not None and isatty())

    def say(self, text: str, period: str | None = None, level: int = logging.INFO) -> None:
        """One progress line, kept for ``period``'s run.json when a period is named."""
        self.logger.log(level, text, extra={"period": period} if period else None)

    def warn(self, text: str) -> None:
        self.say(text, level=logging.WARNING)
