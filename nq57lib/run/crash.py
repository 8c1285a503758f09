"""The one line an unforeseen error prints, and the crash log it names (for ``nq57``)."""

from __future__ import annotations

import os
import sys


def crash_log(command: str) -> str:
    """Write the traceback being handled to a new file in the temporary folder (the
    project's own folders may be what failed) and return a line naming it."""
    import tempfile
    import traceback

    try:
        fd, name = tempfile.mkstemp(prefix="nq57-crash-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as log:
            log.write(f"nq57 {command}\n{' '.join(map(repr, sys.argv))}\n\n")
            log.write(traceback.format_exc())
    except Exception as error:  # the guard itself must not fail
        return f"không ghi được nhật ký lỗi ({type(error).__name__})"
    return f"chi tiết đã ghi vào {name}"


def unforeseen(command: str, error: BaseException) -> str:
    """The one line shown for an error nq57 did not foresee."""
    what = " ".join(str(error).split())
    what = what if len(what) <= 200 else what[:199] + "…"
    kind = type(error).__name__
    return (
        f"nq57 {command}: lỗi không lường trước ({kind}{': ' + what if what else ''}); "
        f"{crash_log(command)} — xin gửi tệp này cho người phụ trách nq57"
    )
