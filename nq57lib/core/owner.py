"""Who made a staging or work folder, so that only a folder whose maker is gone is swept.

Every staging and work folder (``.2026-Q3.staging-4242-x1y2``, ``.2026-Q3.work-4242-x1y2``)
carries its maker's PID in its name and, from a moment later, ``.owner.json``: the PID,
the process's start time (``/proc/<pid>/stat``, in clock ticks since boot), the boot's id
and the host. :func:`nq57lib.core.sets.recover` removes such a folder only when
:func:`maker_gone` can prove its maker has ended: the same host and boot, and that PID
either no longer alive (or a zombie) or now a process that started at another time (the
PID was reused). A folder of another host, or of a live process, is left alone: a run that
shares a folder with another (two projects writing one reports folder) never loses its
work to the other's sweep. A folder with no record and no PID in its name comes from an
nq57 older than these records: it is swept, as it always was.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
from pathlib import Path

OWNER_FILE = ".owner.json"

# ".2026-Q3.work-4242-x1y2ab": the maker's PID, then mkdtemp's random letters (no "-").
_PID_IN_NAME = re.compile(r"-(\d+)-[a-z0-9_]+$")


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of ``/proc/<pid>/stat`` after the command name; None without /proc."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # The command name is in parentheses and may itself hold spaces or ")".
    return text[text.rfind(")") + 2 :].split()


def start_ticks(pid: int) -> int | None:
    """When process ``pid`` started, in clock ticks since boot; None when unknown."""
    fields = _stat_fields(pid)
    try:
        return int(fields[19]) if fields else None  # field 22 of proc(5)
    except (IndexError, ValueError):
        return None


def _boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return None


def this_process() -> dict:
    """This process as an owner record names it."""
    return {
        "pid": os.getpid(),
        "start": start_ticks(os.getpid()),
        "boot": _boot_id(),
        "host": socket.gethostname(),
    }


def write_owner(folder: Path, **extra) -> None:
    """Record this process as the maker of ``folder`` (whole, by a rename)."""
    record = {**this_process(), **extra}
    partial = folder / f"{OWNER_FILE}.partial"
    partial.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, folder / OWNER_FILE)


def drop_owner(folder: Path) -> None:
    """Remove the record before ``folder`` becomes a live set or report (it is no output);
    the PID in the folder's name still protects it until the swap."""
    with contextlib.suppress(FileNotFoundError):
        (folder / OWNER_FILE).unlink()


def read_owner(folder: Path) -> dict | None:
    try:
        record = json.loads((folder / OWNER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("pid"), int) else None


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    except OSError:
        return True  # cannot tell: not provably gone
    fields = _stat_fields(pid)
    return not (fields and fields[0] in ("Z", "X"))  # a zombie has ended its work


def maker_gone(folder: Path) -> bool:
    """True when the process that made ``folder`` has provably ended."""
    record = read_owner(folder)
    if record is None:
        named = _PID_IN_NAME.search(folder.name)
        if named is None:
            return True  # made by an nq57 before owner records
        return not _alive(int(named.group(1)))
    here = this_process()
    if record.get("host") != here["host"]:
        return False  # another machine's run: nothing here can prove it gone
    if record.get("boot") and here["boot"] and record["boot"] != here["boot"]:
        return True  # made before the machine restarted
    if not _alive(record["pid"]):
        return True
    started = record.get("start")
    now = start_ticks(record["pid"])
    return started is not None and now is not None and started != now  # a reused PID
