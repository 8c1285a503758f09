"""A unit's resent workbook replaces its first one where they overlap; late files are named.

Workbooks are written here with the "modified" time a unit's Excel would leave, so the
order of the files is the test's, never the clock's.
"""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from example import EXAMPLE
from openpyxl import Workbook

from nq57lib.collect.ingest import read_period
from nq57lib.collect.resent import SAME_SUBMISSION, resent_check
from nq57lib.collect.workbook import open_checked
from nq57lib.core.periods import Period

PERIOD = "2026-Q3"


def _workbook(
    folder: Path,
    name: str,
    rows: list[tuple[str, object]],
    saved: datetime | None,
    title: str = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG",
) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(["Chỉ tiêu", "Kết quả"])
    for row in rows:
        ws.append(list(row))
    path = folder / PERIOD / name
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    core = parts["docProps/core.xml"].decode()
    if saved is None:
        core = re.sub(r"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", "", core)
    else:
        stamp = saved.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        core = re.sub(r"(<dcterms:modified[^>]*>)[^<]*", rf"\g<1>{stamp}", core)
    parts["docProps/core.xml"] = core.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name_, data in parts.items():
            archive.writestr(name_, data)
    return path


VN = timezone(timedelta(hours=7))
FIRST = datetime(2026, 10, 1, 16, 40, tzinfo=VN)


def _read(folder: Path):
    return read_period(EXAMPLE.with_paths(raw_dir=folder), PERIOD)


def test_the_saved_time_is_the_files_own_and_absent_when_it_does_not_say(tmp_path):
    with_time = _workbook(tmp_path, "mot-cua.xlsx", [("Hồ sơ trực tuyến", 89)], FIRST)
    assert open_checked(with_time).saved == FIRST
    without = _workbook(tmp_path, "mot-cua-2.xlsx", [("Hồ sơ trực tuyến", 89)], None)
    assert open_checked(without).saved is None


def test_a_resent_file_replaces_the_first_where_they_overlap(tmp_path):
    _workbook(tmp_path, "mot-cua.xlsx", [("Giao dịch phi tiếp xúc", 73), ("Hồ sơ trực tuyến", 89)],
              FIRST)  # fmt: skip
    _workbook(tmp_path, "mot-cua-gui-lai.xlsx", [("Giao dịch phi tiếp xúc", "74,5%")],
              FIRST + timedelta(hours=17, minutes=25))  # fmt: skip
    result = _read(tmp_path)
    kept = sorted(zip(result.observations["indicator_id"], result.observations["value"],
                      result.observations["source_file"], strict=True))  # fmt: skip
    # The resent figure is used; what only the first file gives is kept from it.
    assert kept == [
        ("contactless_transactions", "74.5", "2026-Q3/mot-cua-gui-lai.xlsx"),
        ("dossiers_online", "89", "2026-Q3/mot-cua.xlsx"),
    ]
    (reason,) = result.quarantine["reason"]
    assert result.quarantine["source_file"].iloc[0] == "2026-Q3/mot-cua.xlsx"
    assert reason == (
        "Trang “Sheet”, dòng 3, ô B3: đã được thay bằng bản đơn vị gửi lại: tệp "
        "2026-Q3/mot-cua-gui-lai.xlsx (lưu lúc 10:05 ngày 02/10/2026, sau tệp này lưu lúc "
        "16:40 ngày 01/10/2026); dùng số liệu của bản gửi lại."
    )
    saved = dict(zip(result.quality["source_file"], result.quality["saved_on"], strict=True))
    assert saved["2026-Q3/mot-cua.xlsx"] == "2026-10-01T16:40"


def test_files_saved_minutes_apart_or_without_a_time_are_not_ordered(tmp_path):
    for second, name in ((FIRST + SAME_SUBMISSION / 2, "a"), (None, "b")):
        folder = tmp_path / name
        _workbook(folder, "mot-cua.xlsx", [("Giao dịch phi tiếp xúc", 73)], FIRST)
        _workbook(folder, "mot-cua-bo-sung.xlsx", [("Giao dịch phi tiếp xúc", "74,5%")], second)
        result = _read(folder)
        # Two figures of one submission: a conflict, neither is guessed.
        assert result.observations.empty
        assert len(result.quarantine) == 2
        assert result.quarantine["reason"].str.contains("mâu thuẫn").all()


def test_the_resent_check_settles_each_key_by_the_latest_clearly_later_file():
    unit_of = {"a.xlsx": "u", "b.xlsx": "u", "c.xlsx": "u", "d.xlsx": "v"}
    saved_of = {"a.xlsx": "2026-10-01T10:00", "b.xlsx": "2026-10-01T10:03",
                "c.xlsx": "2026-10-02T08:00", "d.xlsx": "2026-10-03T08:00"}  # fmt: skip
    rows = [
        {"source_file": "a.xlsx", "k": 1},  # 0: replaced by c
        {"source_file": "b.xlsx", "k": 1},  # 1: replaced by c
        {"source_file": "c.xlsx", "k": 1},  # 2: the latest
        {"source_file": "a.xlsx", "k": 2},  # 3: only a and b give it, 3 minutes apart
        {"source_file": "b.xlsx", "k": 2},  # 4
        {"source_file": "d.xlsx", "k": 1},  # 5: another unit's, untouched
    ]
    reasons = resent_check(unit_of, saved_of, lambda r: r["k"])(rows)
    assert sorted(reasons) == [0, 1]
    assert "tệp c.xlsx" in reasons[0]


def test_a_file_saved_after_the_units_due_day_is_late(tmp_path):
    _workbook(tmp_path, "mot-cua.xlsx", [("Hồ sơ trực tuyến", 89)], FIRST)
    _workbook(tmp_path, "cong-an.xlsx", [("Tỷ lệ dân cư có tài khoản VNeID", "80%")],
              datetime(2026, 10, 8, 9, 0, tzinfo=VN), title="CÔNG AN PHƯỜNG")  # fmt: skip
    # The example ward's units are due three working days after 30/09/2026: 05/10/2026.
    assert EXAMPLE.profile.calendar.units_due(Period.parse(PERIOD)) == date(2026, 10, 5)
    result = _read(tmp_path)
    late = dict(zip(result.submissions["unit"], result.submissions["late"], strict=True))
    assert late["cong_an"] is True and late["mot_cua"] is False
    assert late["kinh_te"] is False  # sent nothing: not late, missing
