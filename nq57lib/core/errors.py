"""One exception base, narrow subclasses that carry what went wrong.

The command line prints ``str(error)`` of any ``Nq57Error`` and exits non-zero
without a traceback, so every message must make sense to a ward analyst on its own.

Every error pickles with its fields (as papermill's ``PapermillExecutionError`` does), so
one raised in a render process or a notebook's kernel arrives in the run as itself: the
base class's ``__reduce__`` rebuilds the message and restores the fields without calling
the subclass's ``__init__`` again.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from nq57lib.core.textnorm import utf8_safe


class Nq57Error(Exception):
    """Base class of every error nq57 raises on purpose."""

    def __reduce__(self):
        return (_restore, (type(self), self.args, dict(self.__dict__)))


def _restore(cls: type[Nq57Error], args: tuple, fields: dict) -> Nq57Error:
    """An unpickled error: its message and fields as they were, ``__init__`` not run."""
    error = cls.__new__(cls, *args)
    Exception.__init__(error, *args)
    error.__dict__.update(fields)
    return error


class PlanParseError(Nq57Error):
    """The plan file cannot be read or holds no targets section."""

    def __init__(self, path: Path | str, problem: str):
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"Plan file {self.path}: {problem}")


class NoTargetsError(PlanParseError):
    """The plan was read, and holds no target nq57 can find."""


class NoTasksError(PlanParseError):
    """The plan was read, and holds no section of tasks: task reports cannot be matched.

    Only this is taken as "the plan has no tasks"; any other :class:`PlanParseError`
    (the file missing, a duplicated task number) stops the step that needed the plan."""


class RegistryError(Nq57Error):
    """The indicator registry or the unit assignment file is malformed."""

    def __init__(self, path: Path | str, problems: Sequence[str]):
        self.path = Path(path)
        self.problems = list(problems)
        listed = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"Registry {self.path} has {len(self.problems)} problem(s):\n{listed}")


class ProfileError(Nq57Error):
    """The ward profile (``ward.yaml``) is missing, unreadable, or has fields to fix.

    Its problems are in Vietnamese, one per field, for the analyst who edits the file.
    """

    def __init__(self, path: Path | str, problems: Sequence[str]):
        self.path = Path(path)
        self.problems = list(problems)
        if len(self.problems) == 1:
            super().__init__(f"Hồ sơ phường, xã {self.path}: {self.problems[0]}")
            return
        listed = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(
            f"Hồ sơ phường, xã {self.path}: {len(self.problems)} mục cần sửa\n{listed}"
        )


class PeriodError(Nq57Error):
    """A reporting period label that cannot be understood."""

    def __init__(self, label: str, problem: str = ""):
        self.label = label
        # A label is echoed, never a whole 10,000-character argument.
        shown = label if len(label) <= 40 else label[:39] + "…"
        self.problem = problem or (
            "expected YYYY-Qn, YYYY-MM, YYYY-H1/H2 or YYYY "
            "(or a label such as 'Quý III/2025', '6 tháng đầu năm 2026', 'Tháng 10/2025')"
        )
        super().__init__(f"Period {shown!r}: {self.problem}")


class WorkbookError(Nq57Error):
    """A submitted file that is not a readable workbook (corrupt, legacy .xls, too large…)."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


class InputFileError(Nq57Error):
    """An input file refused before or while it is read (:mod:`nq57lib.core.files`): not
    a regular file (``mode``), over its cap (``size`` of ``limit``), unreadable (``error``)
    or not a document nq57 can load. ``reason`` is in Vietnamese; each loader shows it under
    its own error type."""

    def __init__(
        self,
        path: Path | str,
        reason: str,
        *,
        mode: int | None = None,
        size: int | None = None,
        limit: int | None = None,
        error: OSError | None = None,
    ):
        self.path = Path(path)
        self.reason = reason
        self.mode = mode
        self.size = size
        self.limit = limit
        self.error = error
        super().__init__(f"{utf8_safe(str(self.path))}: {reason}")


class ValidationError(Nq57Error):
    """Several problems gathered by named checks, raised once."""

    def __init__(self, subject: str, problems: Sequence[str]):
        self.subject = subject
        self.problems = list(problems)
        listed = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{subject}: {len(self.problems)} problem(s)\n{listed}")


class InputMissingError(Nq57Error):
    """A folder or file the step needs does not exist yet (e.g. compare before clean)."""

    def __init__(self, path: Path | str, hint: str):
        self.path = Path(path)
        self.hint = hint
        super().__init__(f"{self.path} not found: {hint}")


class RenderError(Nq57Error):
    """A report could not be rendered in the requested format."""

    def __init__(self, fmt: str, problem: str):
        self.fmt = fmt
        self.problem = problem
        super().__init__(f"Cannot render {fmt}: {problem}")


class EngineUnavailableError(RenderError):
    """An optional rendering engine (a system library or program) is not installed."""

    def __init__(self, engine: str, hint: str):
        self.engine = engine
        self.hint = hint
        super().__init__("pdf", f"engine {engine!r} is not available — {hint}")


class ParameterError(Nq57Error):
    """Notebook parameters that do not match the notebook's parameters cell."""

    def __init__(self, notebook: str, unknown: Sequence[str] = (), missing: Sequence[str] = ()):
        self.notebook = notebook
        self.unknown = list(unknown)
        self.missing = list(missing)
        parts = []
        if self.unknown:
            parts.append("unknown parameter(s) " + ", ".join(self.unknown))
        if self.missing:
            parts.append("missing parameter(s) " + ", ".join(self.missing))
        super().__init__(f"{notebook}: " + "; ".join(parts))


class NotebookExecutionError(Nq57Error):
    """A notebook cell failed while the pipeline ran it."""

    def __init__(
        self,
        notebook: str,
        cell_index: int | None,
        ename: str,
        evalue: str,
        executed_path: Path | str | None = None,
    ):
        self.notebook = notebook
        self.cell_index = cell_index
        self.ename = ename
        self.evalue = evalue
        self.executed_path = Path(executed_path) if executed_path else None
        where = f"cell {cell_index}" if cell_index is not None else "an unknown cell"
        kept = f"; executed notebook kept at {self.executed_path}" if self.executed_path else ""
        super().__init__(f"{notebook} failed in {where}: {ename}: {evalue}{kept}")


class SystemRefusalError(Nq57Error):
    """The operating system refused a read or a write (permission, read-only or full disk, a
    file where a folder should be) while a step ran; carries what the system said."""

    def __init__(self, error: OSError):
        self.errno = error.errno
        self.path = error.filename
        self.reason = os_reason(error)
        super().__init__(os_error_text(error))


class RunLockedError(Nq57Error):
    """Another nq57 run, clean or compare holds the tree's lock."""

    def __init__(self, lock: Path | str, pid: int | None, started: str | None, command: str | None):
        self.lock = Path(lock)
        self.pid = pid
        self.started = started
        self.command = command
        who = f"PID {pid}" if pid else "PID không rõ"
        when = started or "không rõ"
        what = f" — {command}" if command else ""
        super().__init__(
            f"{self.lock.parent}: đang có một lần chạy khác ({who}, bắt đầu lúc {when}){what}; "
            "chờ lần chạy đó kết thúc rồi chạy lại"
        )


# Why a command stopped when a signal asked it to, as the one line it prints.
SIGNAL_NAMES = {2: "Ctrl-C", 15: "SIGTERM"}


class Interrupted(KeyboardInterrupt):
    """The command was asked to stop: Ctrl-C (SIGINT) or SIGTERM (``kill``, systemd).

    Deliberately not an :class:`Nq57Error`: a failed period is recorded and the run goes on
    to the next, but an interruption must pass every such handler (and every ``except
    Exception``) and end the command. Being a ``KeyboardInterrupt``, code that already
    lets Ctrl-C through lets SIGTERM through the same way. The exit code is the shell's
    128 + the signal's number: 130 for Ctrl-C, 143 for SIGTERM.
    """

    def __init__(self, signum: int):
        self.signum = int(signum)
        name = SIGNAL_NAMES.get(self.signum, f"tín hiệu {self.signum}")
        super().__init__(f"đã dừng theo yêu cầu ({name})")

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    def __reduce__(self):
        return (type(self), (self.signum,))


def os_reason(error: OSError) -> str:
    """What the system said (``Permission denied``), or the error's kind."""
    return error.strerror or type(error).__name__


def os_error_text(error: OSError) -> str:
    """One line naming the path and what the system said: ``/x/status.csv: Permission denied``."""
    reason = os_reason(error)
    path = error.filename
    if path is None:
        return reason
    # A file name with bytes that are not UTF-8 must still print.
    shown = utf8_safe(os.fsdecode(path))
    if error.filename2 is not None:
        shown += f" → {utf8_safe(os.fsdecode(error.filename2))}"
    return f"{shown}: {reason}"
