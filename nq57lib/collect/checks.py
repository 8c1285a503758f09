"""Small named checks on candidate observations; each returns every problem it finds.

Messages are Vietnamese sentences for the analyst: what is wrong and how to fix
it. The caller adds where (file, sheet, cell) and collects all problems of a row
before deciding, so a row with two faults is reported with both.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from nq57lib.collect.numbers import is_whole
from nq57lib.core.fmt import fmt_number
from nq57lib.core.periods import Period
from nq57lib.core.vocab import STAGE_LABELS_VI
from nq57lib.plan.registry import Indicator

# Allowed gap (percentage points) between a stated percent and numerator/denominator.
RATIO_TOLERANCE = 0.5


@dataclass
class Candidate:
    """One row's reading before validation. Values are on the output scale (percent 0–100)."""

    indicator: Indicator
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    status: str = ""
    cell: str = ""
    notes: list[str] = field(default_factory=list)
    # Readings to check, for the file's quality line: (kind of frames.FLAGS, place).
    flags: list[tuple[str, str]] = field(default_factory=list)


Check = Callable[[Candidate], list[str]]


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _shown(value: float, decimals: int = 2) -> str:
    """A figure for a message; a number too long to write out is given as 1e+308."""
    return fmt_number(value, decimals) if abs(value) < 1e15 else f"{value:.3g}"


def check_finite(c: Candidate) -> list[str]:
    """inf and nan are never a reading (a 400-digit text, a division by a tiny number)."""
    fields = (("giá trị", c.value), ("tử số", c.numerator), ("mẫu số", c.denominator))
    return [
        f"{label} {value} không phải là số hữu hạn; nhập số liệu thực tế"
        for label, value in fields
        if value is not None and not math.isfinite(value)
    ]


_UNIT_WORDS = {"count": "số lượng", "index": "chỉ số", "other": "giá trị"}


def check_bounds(c: Candidate) -> list[str]:
    """The value lies within the indicator's plausible range (:attr:`Indicator.bounds`:
    its unit's range, lowered by the registry's ``max``)."""
    if not _finite(c.value):
        return []
    value, (low, high), unit = c.value, c.indicator.bounds, c.indicator.unit
    if unit == "%":
        if (low is None or value >= low) and (high is None or value <= high):
            return []
        span = f"{_shown(low or 0, 2)}–{_shown(high if high is not None else 100, 2)}%"
        return [
            f"tỷ lệ {_shown(value)}% nằm ngoài khoảng {span}; kiểm tra lại số liệu "
            "(tỷ lệ phải từ 0 đến 100, tử số không lớn hơn mẫu số"
            + ("" if high == 100 else "; mức tối đa hợp lý ghi trong danh mục chỉ tiêu")
            + ")"
        ]
    word = _UNIT_WORDS.get(unit, "giá trị")
    if low is not None and value < low:
        if unit == "count":
            return [f"số lượng {_shown(value)} là số âm; nhập số lượng từ 0 trở lên"]
        return [f"{word} {_shown(value, 3)} là số âm; kiểm tra lại số liệu"]
    if high is not None and value > high:
        return [
            f"{word} {_shown(value, 3)} lớn hơn mức hợp lý {_shown(high, 3)} của chỉ tiêu "
            f"{c.indicator.id}; kiểm tra lại số liệu (đơn vị tính, số chữ số 0, dấu phân cách)"
        ]
    return []


def check_count(c: Candidate) -> list[str]:
    if c.indicator.unit != "count" or not _finite(c.value) or is_whole(c.value):
        return []
    return [f"số lượng {_shown(c.value, 3)} không phải số nguyên; nhập số đếm nguyên (0, 1, 2…)"]


def check_ratio(c: Candidate) -> list[str]:
    problems: list[str] = []
    n, d = c.numerator, c.denominator
    if n is None and d is None:
        return problems
    if any(v is not None and not math.isfinite(v) for v in (n, d, c.value)):
        return problems  # check_finite says so
    if n is None or d is None:
        if c.value is None:
            missing = "mẫu số" if d is None else "tử số"
            problems.append(
                f"có {'tử số' if d is None else 'mẫu số'} nhưng thiếu {missing}; nhập đủ cả hai"
            )
        return problems
    if d <= 0:
        problems.append(f"mẫu số {fmt_number(d, 2)} phải lớn hơn 0")
        return problems
    if n < 0:
        problems.append(f"tử số {fmt_number(n, 2)} là số âm")
    if c.indicator.unit == "%" and c.value is not None:
        ratio = n / d * 100
        if abs(ratio - c.value) > RATIO_TOLERANCE:
            problems.append(
                f"tỷ lệ ghi {fmt_number(c.value, 2)}% không khớp với tử số/mẫu số "
                f"{fmt_number(n, 2)}/{fmt_number(d, 2)} = {fmt_number(ratio, 2)}%; "
                "sửa một trong hai"
            )
    return problems


def check_has_reading(c: Candidate) -> list[str]:
    if c.indicator.qualitative:
        if c.status:
            return []
        return ["chỉ tiêu định tính cần trạng thái: " + " / ".join(STAGE_LABELS_VI.values())]
    if c.value is None:
        return ["không có giá trị số cho chỉ tiêu định lượng; nhập số vào cột giá trị"]
    return []


ROW_CHECKS: tuple[Check, ...] = (
    check_has_reading,
    check_finite,
    check_bounds,
    check_count,
    check_ratio,
)


def row_problems(candidate: Candidate, checks: Sequence[Check] = ROW_CHECKS) -> list[str]:
    """Every problem the named checks find in one candidate."""
    return [problem for check in checks for problem in check(candidate)]


def check_period_stated(stated: Sequence[Period], cleaning: Period) -> list[str]:
    """A file that names periods must name the one being cleaned."""
    if not stated or cleaning in stated:
        return []
    named = ", ".join(f"{p.label_vi} ({p.code})" for p in stated)
    return [
        f"tệp ghi kỳ báo cáo {named}, khác kỳ đang xử lý {cleaning.label_vi} ({cleaning.code}); "
        "nếu đơn vị gửi nhầm tệp, đề nghị gửi lại tệp đúng kỳ, hoặc chuyển tệp vào đúng thư mục kỳ"
    ]


def _reading(record: dict) -> tuple:
    value = record.get("value")
    return (None if value is None else round(float(value), 6), record.get("status") or "")


def _describe(record: dict) -> str:
    value = record.get("value")
    if value is None:
        shown = STAGE_LABELS_VI.get(record.get("status") or "", "")
    else:
        shown = fmt_number(value, 2)
    where = f"{record['source_file']}, trang “{record['source_sheet']}”"
    return f"{shown} ({where}, ô {record['source_cell']})"


# A conflict message names this many copies and counts the rest, so its length stays
# bounded however many copies a workbook holds.
LISTED_COPIES = 3


@dataclass(frozen=True)
class Repeat:
    """Records that share a key: their positions, whether their readings differ, where."""

    key: object
    positions: list[int]
    conflict: bool
    listed: str  # the first copies described, then "… (N bản)" for the rest


def repeats(
    records: Sequence[dict],
    key: Callable[[dict], object],
    reading: Callable[[dict], object],
    describe: Callable[[dict], str],
) -> Iterator[Repeat]:
    """Every key given by more than one record, with its positions in ``records``."""
    positions: dict[object, list[int]] = {}
    for n, record in enumerate(records):
        positions.setdefault(key(record), []).append(n)
    for found_key, found in positions.items():
        if len(found) < 2:
            continue
        listed = "; ".join(describe(records[p]) for p in found[:LISTED_COPIES])
        if len(found) > LISTED_COPIES:
            listed += f"; … (tổng cộng {len(found)} bản)"
        conflict = len({reading(records[p]) for p in found}) > 1
        yield Repeat(found_key, found, conflict, listed)


def settle(
    records: Sequence[dict],
    key: Callable[[dict], object],
    reading: Callable[[dict], object],
    describe: Callable[[dict], str],
    conflict: Callable[[Repeat], str],
    duplicate: Callable[[Repeat], str],
) -> dict[int, str]:
    """Reasons to quarantine repeated records: every copy of a conflict (choosing one would
    be a guess), every copy but the first of identical ones."""
    reasons: dict[int, str] = {}
    for repeat in repeats(records, key, reading, describe):
        refused = repeat.positions if repeat.conflict else repeat.positions[1:]
        message = conflict(repeat) if repeat.conflict else duplicate(repeat)
        reasons.update(dict.fromkeys(refused, message))
    return reasons


def check_duplicates(records: Sequence[dict]) -> dict[int, str]:
    """Indicators reported more than once: position in ``records`` -> reason to quarantine."""

    def first_place(repeat: Repeat) -> str:
        first = records[repeat.positions[0]]
        return f"{first['source_file']}, ô {first['source_cell']}"

    return settle(
        records,
        key=lambda r: r["indicator_id"],
        reading=_reading,
        describe=_describe,
        conflict=lambda r: (
            f"mâu thuẫn: chỉ tiêu {r.key} được báo cáo {len(r.positions)} lần với giá trị khác "
            f"nhau — {r.listed}. Không tự chọn giá trị nào; xác minh với đơn vị, xóa bản sai "
            "rồi chạy lại"
        ),
        duplicate=lambda r: (
            f"trùng lặp: chỉ tiêu {r.key} đã được báo cáo với cùng giá trị tại "
            f"{first_place(r)}; giữ bản đó, bỏ bản này"
        ),
    )


def check_target_lead_duplicates(records: Sequence[dict]) -> dict[int, str]:
    """Targets the register assigns more than once: position → reason to quarantine."""
    return settle(
        records,
        key=lambda r: r["indicator_id"],
        reading=lambda r: (r["lead_unit"], r["coordinators"]),
        describe=lambda r: f"{r['source_file']}, dòng {r['_row']}",
        conflict=lambda r: (
            f"mâu thuẫn: chỉ tiêu {r.key} được giao cho {len(r.positions)} đơn vị chủ trì khác "
            f"nhau ({r.listed}); giữ một dòng đúng rồi chạy lại"
        ),
        duplicate=lambda r: f"trùng lặp: chỉ tiêu {r.key} đã được phân công giống hệt ({r.listed})",
    )


def check_register_duplicates(rows: list[dict]) -> dict[int, str]:
    """Codes assigned more than once: position → reason (every copy when they differ)."""
    return settle(
        rows,
        key=lambda r: r["task_id"],
        reading=lambda r: (r["lead_unit"], r["coordinators"], r["deadline"], r["recurring"]),
        describe=lambda r: f"{r['source_file']}, dòng {r['_row']}",
        conflict=lambda r: (
            f"mâu thuẫn: nhiệm vụ {r.key} được phân công {len(r.positions)} lần với nội dung "
            f"khác nhau ({r.listed}); giữ một dòng đúng rồi chạy lại"
        ),
        duplicate=lambda r: f"trùng lặp: nhiệm vụ {r.key} đã được phân công giống hệt ({r.listed})",
    )


def check_task_duplicates(reports: list[dict]) -> dict[int, str]:
    """A unit reporting one task twice in a period: position → reason to quarantine."""
    return settle(
        reports,
        key=lambda r: (r["task_id"], r["reported_by"]),
        reading=lambda r: (r["state"], r["completed_on"]),
        describe=lambda r: f"{r['source_file']} ô {r['source_cell']}",
        conflict=lambda r: (
            f"mâu thuẫn: đơn vị báo cáo nhiệm vụ {r.key[0]} {len(r.positions)} lần với tình "
            f"trạng khác nhau ({r.listed}); không tự chọn, đề nghị đơn vị xác nhận"
        ),
        duplicate=lambda r: (
            f"trùng lặp: nhiệm vụ {r.key[0]} đã được báo cáo giống hệt ({r.listed})"
        ),
    )
