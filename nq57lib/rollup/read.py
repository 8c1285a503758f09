"""The exports a city receives, checked: the ones it can trust, and the others with why.

Each EXPORT is a ward's ``du-lieu`` folder (or the period's report folder holding one), its
``datapackage.json``, or a zip of the folder as it arrives by e-mail. Named checks run on
each and gather every problem of it (pandera's habit): the descriptor, the two tables and
their columns, one ward and one period, dates, numbers and codes, no key twice. An export
that fails is never dropped: it is listed with its reasons. An export of another period is
kept apart (the ward has not sent this one); a ward that sent twice keeps its newest.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

import pandas as pd

from nq57lib.assess.statuses import STATUSES, TASK_CATEGORIES, TASK_STATUSES
from nq57lib.core.processed import read_csv
from nq57lib.core.textnorm import nfc
from nq57lib.report.export import (
    FOLDER,
    INDICATOR_FIELDS,
    INDICATORS,
    TASK_FIELDS,
    TASKS,
)

DESCRIPTOR = "datapackage.json"
# A ward's two tables are a few hundred rows; anything near this is not an nq57 export
# (and a zip that inflates past it is refused before it is read).
MAX_MEMBER_BYTES = 32 * 1024 * 1024
# Rows named in a reason before "và N dòng khác".
ROWS_NAMED = 3


@dataclass(frozen=True)
class WardExport:
    """One ward's trusted export of the period: its two tables (numbers as floats)."""

    code: str
    name: str
    period: str
    cutoff: date
    created: str
    source: str
    illustrative: bool
    indicators: pd.DataFrame = field(repr=False)
    tasks: pd.DataFrame = field(repr=False)


@dataclass(frozen=True)
class Refused:
    """An export not counted: ``kind`` is ``malformed``, ``other_period`` or ``superseded``."""

    source: str
    kind: str
    reasons: tuple[str, ...]
    ward: str = ""  # the ward's name where the export told it
    period: str = ""


@dataclass(frozen=True)
class Received:
    """What the city holds for the period."""

    period: str
    wards: tuple[WardExport, ...]
    refused: tuple[Refused, ...]

    @property
    def illustrative(self) -> bool:
        return any(w.illustrative for w in self.wards)


# ── opening an export: folder or zip ────────────────────────────────────────
# An opened export is a reader: the bytes of a file by its name beside datapackage.json.
Reader = Callable[[str], bytes]


def _folder_source(path: Path) -> Reader:
    if path.is_file():  # the descriptor itself
        base = path.parent
    elif (path / DESCRIPTOR).is_file():
        base = path
    elif (path / FOLDER / DESCRIPTOR).is_file():  # the period's report folder
        base = path / FOLDER
    else:
        raise _Unreadable(f"không có tệp {DESCRIPTOR} trong thư mục")

    def read(name: str) -> bytes:
        target = base / name
        if not target.is_file():
            raise _Unreadable(f"thiếu tệp {name}")
        if target.stat().st_size > MAX_MEMBER_BYTES:
            raise _Unreadable(f"tệp {name} quá lớn cho một bộ dữ liệu của phường, xã")
        return target.read_bytes()

    return read


def _zip_source(path: Path) -> Reader:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise _Unreadable(f"không phải tệp zip đọc được ({error})") from None
    with archive:
        members = {i.filename: i for i in archive.infolist() if not i.is_dir()}
        # The descriptor at the top or one folder down (a zipped "du-lieu/" folder).
        found = [n for n in members if PurePosixPath(n).name == DESCRIPTOR
                 and len(PurePosixPath(n).parts) <= 2]  # fmt: skip
        if not found:
            raise _Unreadable(f"tệp zip không có {DESCRIPTOR}")
        if len(found) > 1:
            raise _Unreadable(f"tệp zip có {len(found)} bộ dữ liệu; mỗi tệp zip gửi một bộ")
        base = PurePosixPath(found[0]).parent
        wanted: dict[str, bytes] = {}
        for name, info in members.items():
            if PurePosixPath(name).parent != base:
                continue
            if info.file_size > MAX_MEMBER_BYTES:
                raise _Unreadable(f"tệp {PurePosixPath(name).name} trong zip quá lớn")
            try:
                wanted[PurePosixPath(name).name] = archive.read(info)
            except (zipfile.BadZipFile, OSError, RuntimeError) as error:
                raise _Unreadable(f"tệp zip hỏng ({error})") from None

    def read(name: str) -> bytes:
        if name not in wanted:
            raise _Unreadable(f"thiếu tệp {name} trong zip")
        return wanted[name]

    return read


class _Unreadable(Exception):
    """An export that cannot be opened at all (its one reason)."""


def _open(path: Path) -> Reader:
    if not path.exists():
        raise _Unreadable("không tìm thấy tệp hoặc thư mục")
    if path.is_file() and path.suffix.lower() == ".zip":
        return _zip_source(path)
    if path.is_file() and path.name != DESCRIPTOR:
        raise _Unreadable(f"không phải thư mục dữ liệu, tệp {DESCRIPTOR} hay tệp zip")
    return _folder_source(path)


# ── the named checks ─────────────────────────────────────────────────────────


def _descriptor(read: Reader) -> dict:
    try:
        descriptor = json.loads(read(DESCRIPTOR).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _Unreadable(f"{DESCRIPTOR} không đọc được ({error})") from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise _Unreadable(f"{DESCRIPTOR} không mô tả bảng nào (thiếu “resources”)")
    return descriptor


def _resource_path(descriptor: dict, name: str, problems: list[str]) -> str | None:
    for resource in descriptor["resources"]:
        if isinstance(resource, dict) and resource.get("name") == name:
            path = resource.get("path")
            pure = PurePosixPath(path) if isinstance(path, str) else None
            if pure is None or pure.is_absolute() or ".." in pure.parts or len(pure.parts) != 1:
                problems.append(f"bảng “{name}”: đường dẫn {path!r} không hợp lệ")
                return None
            return path
    problems.append(f"{DESCRIPTOR} không có bảng “{name}”")
    return None


def _table(read: Reader, path: str, fields: dict, problems: list[str]) -> pd.DataFrame | None:
    try:
        frame = read_csv(io.BytesIO(read(path)), dtype=str, keep_default_na=False)
    except _Unreadable as error:
        problems.append(str(error))
        return None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        problems.append(f"{path}: không đọc được như bảng CSV UTF-8 ({error})")
        return None
    missing = [c for c in fields if c not in frame.columns]
    if missing:
        problems.append(f"{path}: thiếu cột {', '.join(missing)}")
        return None
    return frame[list(fields)].map(nfc)


def _rows(mask: pd.Series) -> str:
    """``dòng 3, 7, 9 (và 2 dòng khác)``: CSV line numbers (the header is line 1)."""
    lines = [str(i + 2) for i in mask[mask].index]
    shown = ", ".join(lines[:ROWS_NAMED])
    more = f" (và {len(lines) - ROWS_NAMED} dòng khác)" if len(lines) > ROWS_NAMED else ""
    return f"dòng {shown}{more}"


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_cells(frame: pd.DataFrame, path: str, problems: list[str], checks: Iterable) -> None:
    for column, accepts, what in checks:
        filled = frame[column] != ""
        bad = filled & ~frame[column].map(accepts).astype(bool)
        if bad.any():
            problems.append(f"{path}: cột {column} {what} ở {_rows(bad)}")


def _check_key(frame: pd.DataFrame, path: str, key: str, problems: list[str]) -> None:
    blank = frame[key] == ""
    if blank.any():
        problems.append(f"{path}: cột {key} trống ở {_rows(blank)}")
    twice = frame[key].duplicated(keep="first") & ~blank
    if twice.any():
        problems.append(f"{path}: {key} trùng ở {_rows(twice)}")


def _one(frames: list[pd.DataFrame], column: str, problems: list[str]) -> str:
    values = sorted(set().union(*(set(f[column]) for f in frames)))
    if len(values) > 1:
        shown = ", ".join(values[:4])
        problems.append(f"cột {column} phải có một giá trị trong cả hai bảng, có {shown}")
    elif values == [""]:
        problems.append(f"cột {column} trống")
    return values[0] if len(values) == 1 else ""


def _codes(allowed: Iterable[str]) -> Callable[[str], bool]:
    allowed = frozenset(allowed)
    return allowed.__contains__


_INDICATOR_CELLS = (
    ("target", _is_number, "không phải số"),
    ("value", _is_number, "không phải số"),
    ("milestone_year", str.isdigit, "không phải năm"),
    ("status", _codes(STATUSES), "có mã đánh giá không có trong danh mục"),
    ("cutoff", _is_date, "không phải ngày YYYY-MM-DD"),
)
_TASK_CELLS = (
    ("deadline", _is_date, "không phải ngày YYYY-MM-DD"),
    ("completed_on", _is_date, "không phải ngày YYYY-MM-DD"),
    ("category", _codes(TASK_CATEGORIES), "có nhóm không có trong danh mục"),
    ("status", _codes(TASK_STATUSES), "có tình trạng không có trong danh mục"),
    ("cutoff", _is_date, "không phải ngày YYYY-MM-DD"),
)


def read_export(path: Path | str, period: str) -> WardExport | Refused:
    """One export checked against the period ``period``: trusted, or refused with reasons."""
    path = Path(path)
    try:
        read = _open(path)
        descriptor = _descriptor(read)
    except _Unreadable as error:
        return Refused(str(path), "malformed", (str(error),))
    problems: list[str] = []
    tables = {}
    for name, fields in ((INDICATORS, INDICATOR_FIELDS), (TASKS, TASK_FIELDS)):
        where = _resource_path(descriptor, name, problems)
        tables[name] = None if where is None else _table(read, where, fields, problems)
    indicators, tasks = tables[INDICATORS], tables[TASKS]
    if indicators is None or tasks is None:
        return Refused(str(path), "malformed", tuple(problems))
    both = [indicators, tasks]
    if not len(indicators) and not len(tasks):
        return Refused(str(path), "malformed", ("hai bảng không có dòng nào",))
    code, name = _one(both, "ward_code", problems), _one(both, "ward_name", problems)
    sent_period = _one(both, "period", problems)
    cutoff = _one(both, "cutoff", problems)
    _check_cells(indicators, f"{INDICATORS}.csv", problems, _INDICATOR_CELLS)
    _check_cells(tasks, f"{TASKS}.csv", problems, _TASK_CELLS)
    _check_key(indicators, f"{INDICATORS}.csv", "indicator_id", problems)
    _check_key(tasks, f"{TASKS}.csv", "task_id", problems)
    if problems:
        return Refused(str(path), "malformed", tuple(problems), name, sent_period)
    if sent_period != period:
        reason = f"bộ dữ liệu của kỳ {sent_period}, không phải kỳ {period}"
        return Refused(str(path), "other_period", (reason,), name, sent_period)
    for column in ("target", "value"):
        indicators[column] = pd.to_numeric(indicators[column].replace("", None))
    return WardExport(
        code=code, name=name, period=sent_period, cutoff=date.fromisoformat(cutoff),
        created=str(descriptor.get("created") or ""), source=str(path),
        illustrative="minh họa" in nfc(str(descriptor.get("description") or "")).lower(),
        indicators=indicators, tasks=tasks,
    )  # fmt: skip


def read_exports(paths: Iterable[Path | str], period: str) -> Received:
    """Every export given, checked; a ward sent twice keeps its newest (``created``)."""
    kept: dict[str, WardExport] = {}
    refused: list[Refused] = []
    # Wards that sent two different sets the same day -> that day: only a newer set counts.
    conflicted: dict[str, str] = {}
    same_day = "hai bộ dữ liệu cùng ngày tạo, số liệu khác nhau: cần phường, xã xác nhận"
    for path in paths:
        got = read_export(path, period)
        if isinstance(got, Refused):
            refused.append(got)
            continue
        if got.code in conflicted and got.created <= conflicted[got.code]:
            refused.append(Refused(got.source, "malformed", (same_day,), got.name, got.period))
            continue
        earlier = kept.get(got.code)
        if earlier is None:
            kept[got.code] = got
            continue
        newer, older = (got, earlier) if got.created > earlier.created else (earlier, got)
        if got.created == earlier.created and not _same(got, earlier):
            # Two different sets of the same day: nobody can tell which the ward meant.
            del kept[got.code]
            conflicted[got.code] = got.created
            refused += [Refused(x.source, "malformed", (same_day,), x.name, x.period)
                        for x in (earlier, got)]  # fmt: skip
            continue
        kept[got.code] = newer
        reason = f"đã có bộ dữ liệu mới hơn hoặc trùng ({newer.source})"
        refused.append(Refused(older.source, "superseded", (reason,), older.name, older.period))
    return Received(period, tuple(kept.values()), tuple(refused))


def _same(a: WardExport, b: WardExport) -> bool:
    return a.indicators.equals(b.indicators) and a.tasks.equals(b.tasks)
