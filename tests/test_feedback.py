"""Feedback workbooks: every quarantined row in exactly one unit's workbook, read back."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from example import EXAMPLE
from openpyxl import load_workbook

from nq57lib.assess.compare import compare_period
from nq57lib.collect.ingest import clean_period
from nq57lib.collect.units import project_indicators
from nq57lib.report.data import load_briefing_data
from nq57lib.report.feedback import ACCEPTED, FIX, OWED, write_feedback

PERIODS = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")


@pytest.fixture(scope="module")
def feedback(tmp_path_factory) -> dict[str, tuple[Path, list[Path]]]:
    root = tmp_path_factory.mktemp("feedback")
    project = EXAMPLE.with_paths(processed_dir=root / "processed")
    _, units = project_indicators(project)
    made = {}
    for period in PERIODS:
        clean_period(project, period)
        compare_period(project, period)
        data = load_briefing_data(project, period)
        out = root / "out" / period
        made[period] = (root / "processed" / period, write_feedback(
            data, [(u.code, u.name_vi) for u in units], out))  # fmt: skip
    return made


def _rows(path: Path, sheet: str) -> list[tuple]:
    ws = load_workbook(path)[sheet]
    return [tuple("" if v is None else str(v) for v in r) for r in ws.iter_rows(min_row=2,
            values_only=True) if any(v is not None for v in r)]  # fmt: skip


@pytest.mark.parametrize("period", PERIODS)
def test_every_quarantined_row_is_in_exactly_one_workbook(feedback, period):
    processed, written = feedback[period]
    quarantine = pd.read_csv(processed / "quarantine.csv", dtype=str, keep_default_na=False)
    expected = Counter(
        (r.source_file, r.source_sheet, r.source_row, r.raw, r.reason)
        for r in quarantine.itertuples(index=False)
    )
    found = Counter()
    homes: dict[tuple, set[str]] = {}
    for path in written:
        for row in _rows(path, FIX):
            if row[4].startswith("Đã tiếp nhận, hệ thống hiểu là"):
                continue  # a figure read other than as written: accepted, to confirm
            found[row] += 1
            homes.setdefault(row, set()).add(path.name)
    assert found == expected and len(expected) > 0
    assert all(len(names) == 1 for names in homes.values())


def test_the_economy_office_reads_what_it_sent_and_what_it_owes(feedback):
    _, written = feedback["2026-Q3"]
    path = next(p for p in written if p.name == "kinh-te-phan-hoi-2026-Q3.xlsx")
    summary = [r[0] for r in _rows(path, "Tóm tắt")]
    assert "Đơn vị: Phòng Kinh tế, Hạ tầng và Đô thị" in summary
    assert "Tệp đã nhận: 2026-Q3/kinh-te.xlsx (lưu lúc 14:20 ngày 08/10/2026)" in summary
    accepted = {(r[1], r[2]) for r in _rows(path, ACCEPTED) if r[0] == "Chỉ tiêu"}
    # 2026-Q3's 5G coverage, as the illustrative series gives it (78, 82, 85, 88).
    assert ("Tỷ lệ phủ sóng 5G trên địa bàn", "88%") in accepted
    fix = _rows(path, FIX)
    assert any("không nhận ra chỉ tiêu “Tỷ lệ hộ gia đình sử dụng cáp quang”" in r[4] for r in fix)
    owed = _rows(path, OWED)
    # Task 3.6 was reported twice with different states (both quarantined): owed again.
    assert ("Nhiệm vụ", "3.6") in {(r[0], r[1]) for r in owed}


def test_the_register_keeper_gets_the_registers_rows_only(feedback):
    _, written = feedback["2026-Q3"]
    path = next(p for p in written if p.name.startswith("phan-cong-nhiem-vu"))
    assert load_workbook(path).sheetnames == ["Tóm tắt", FIX]
    assert [r[2] for r in _rows(path, FIX)] == ["39", "50", "9"]
