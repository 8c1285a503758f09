"""A unit's resent workbook, and when each workbook was saved.

A unit that corrects its workbook and sends it again leaves two files of one period in
the raw folder (raw data is never edited: ``kinh-te.xlsx``, then ``kinh-te-gui-lai.xlsx``).
The later one — by the time the unit saved it, the file's own "modified" property — takes
the place of the earlier one **where they overlap**: an indicator (or a task) the later file
reports again is taken from it, and the earlier file's row goes to the quarantine saying
which file replaced it; what only the earlier file reports is kept. Files of one unit that
do not say when they were saved, or were saved within :data:`SAME_SUBMISSION` of each other
(parts of one submission, not a correction sent after the first was read), are not ordered:
their repeats are duplicates or conflicts as before (:mod:`nq57lib.collect.checks`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, timezone

# Vietnam's time (UTC+7): the day a file was saved is the day in Vietnam.
VIETNAM = timezone(timedelta(hours=7), "ICT")
SAME_SUBMISSION = timedelta(minutes=5)


def _later(saved: str, than: str) -> bool:
    """``saved`` at least :data:`SAME_SUBMISSION` after ``than`` (both ISO, Vietnam time)."""
    return datetime.fromisoformat(saved) - datetime.fromisoformat(than) >= SAME_SUBMISSION


def local_saved(saved: datetime | None) -> str:
    """A saved time as quality.csv keeps it: ISO, Vietnam time, to the minute ("" if none)."""
    if saved is None:
        return ""
    return saved.astimezone(VIETNAM).replace(tzinfo=None).isoformat(timespec="minutes")


def saved_day(saved_on: str) -> date | None:
    return datetime.fromisoformat(saved_on).date() if saved_on else None


def saved_text(saved_on: str) -> str:
    """``2026-10-05T15:00`` → ``15:00 ngày 05/10/2026``."""
    moment = datetime.fromisoformat(saved_on)
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"


def resent_check(
    unit_of: dict[str, str], saved_of: dict[str, str], key: Callable[[dict], object]
) -> Callable[[Sequence[dict]], dict[int, str]]:
    """A check for :func:`nq57lib.collect.frames` (position → reason to quarantine): the rows
    of a unit's earlier file whose ``key`` its latest-saved file reports again.

    ``unit_of`` and ``saved_of`` give each source file's unit code and saved time ("" when
    unknown); ``key`` what makes two rows the same (the indicator, or the task and unit).
    """

    def check(rows: Sequence[dict]) -> dict[int, str]:
        latest: dict[tuple[str, object], str] = {}  # (unit, key) → the latest file giving it
        for row in rows:
            file = row["source_file"]
            unit, saved = unit_of.get(file, ""), saved_of.get(file, "")
            if not unit or not saved:
                continue
            mark = (unit, key(row))
            best = latest.get(mark)
            if best is None or saved > saved_of[best]:
                latest[mark] = file
        # Only the rows of files clearly earlier than the latest give way; rows of files
        # saved close to it stay, for the duplicate checks to settle.
        reasons: dict[int, str] = {}
        for position, row in enumerate(rows):
            file = row["source_file"]
            unit, saved = unit_of.get(file, ""), saved_of.get(file, "")
            newer = latest.get((unit, key(row))) if unit and saved else None
            if newer is not None and newer != file and _later(saved_of[newer], saved):
                reasons[position] = (
                    f"đã được thay bằng bản đơn vị gửi lại: tệp {newer} (lưu lúc "
                    f"{saved_text(saved_of[newer])}, sau tệp này lưu lúc {saved_text(saved)}); "
                    "dùng số liệu của bản gửi lại"
                )
        return reasons

    return check
