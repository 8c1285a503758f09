"""The committed illustrative data: provenance read-back, trajectory, raw immutability, CLI."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pandas as pd
import pytest
from example import EXAMPLE
from openpyxl import load_workbook

from nq57lib.assess.compare import compare_period
from nq57lib.assess.statuses import TASK_STATUSES
from nq57lib.cli import main
from nq57lib.collect.ingest import PROCESSED_FILES, clean_period
from nq57lib.core.textnorm import fold

PERIODS = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")
RAW = EXAMPLE.raw_dir
STATUS_TEXT = {
    "not_started": "chua trien khai",
    "in_progress": "dang trien khai",
    "done": "hoan thanh",
}


def _tree_hash(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, pd.DataFrame]]:
    before = _tree_hash(RAW)
    out = tmp_path_factory.mktemp("processed")
    tables = {}
    for period in PERIODS:
        clean_period(EXAMPLE.with_paths(raw_dir=RAW, processed_dir=out), period)
        tables[period] = {
            name: pd.read_csv(out / period / f"{name}.csv", dtype=str, keep_default_na=False)
            for name in PROCESSED_FILES
        }
    assert _tree_hash(RAW) == before, "data/raw was modified by cleaning"
    tables["folder"] = out
    return tables


def _expected_from_cell(cell, unit: str) -> float:
    """Independent reading of a raw cell: Excel number, or Vietnamese text such as '79,0%'."""
    value = cell.value
    if isinstance(value, str):
        return float(value.replace("%", "").replace(" ", "").replace(",", "."))
    if "%" in cell.number_format:
        return value * 100
    if unit == "%" and 0 < value < 1:
        return value * 100
    return float(value)


@pytest.mark.parametrize("period", PERIODS)
def test_every_value_reads_back_at_its_cell(cleaned, period: str) -> None:
    observations = cleaned[period]["observations"]
    assert len(observations) >= 25
    books = {}
    for row in observations.itertuples():
        path = RAW / row.source_file
        if path not in books:
            books[path] = load_workbook(path, data_only=True)
        cell = books[path][row.source_sheet][row.source_cell]
        if row.status:
            assert row.value == ""
            assert fold(cell.value).startswith(STATUS_TEXT[row.status]), row
        elif "tính từ tử số/mẫu số" in row.note:
            assert float(cell.value) == float(row.numerator), row
            assert math.isclose(
                float(row.value), float(row.numerator) / float(row.denominator) * 100, abs_tol=1e-4
            )
        else:
            assert math.isclose(
                _expected_from_cell(cell, row.unit), float(row.value), abs_tol=1e-4
            ), row


@pytest.mark.parametrize("period", PERIODS)
def test_accounting_identity_and_label(cleaned, period: str) -> None:
    tables = cleaned[period]
    quality = tables["quality"]
    for column in ("rows_read", "accepted", "quarantined", "blank"):
        quality[column] = quality[column].astype(int)
    assert (
        quality["rows_read"] == quality["accepted"] + quality["quarantined"] + quality["blank"]
    ).all()
    accepted = sum(
        len(tables[name])
        for name in ("observations", "task_reports", "assignments", "target_leads")
    )
    assert quality["accepted"].sum() == accepted
    assert quality["quarantined"].sum() == len(tables["quarantine"])
    assert (quality["illustrative"] == "True").all()
    assert set(tables["observations"]["period"]) == {period}


def _series(cleaned, indicator_id: str, column: str = "value") -> list[str]:
    out = []
    for period in PERIODS:
        obs = cleaned[period]["observations"]
        hit = obs[obs["indicator_id"] == indicator_id]
        out.append(hit[column].iloc[0] if len(hit) == 1 else None)
    return out


def test_trajectory(cleaned) -> None:
    assert _series(cleaned, "vneid_residents") == ["66", "72", "76", "79"]
    assert _series(cleaned, "dossiers_online") == ["84", "86", "88", "89"]
    assert _series(cleaned, "coverage_5g") == ["78", "82", "85", "88"]
    # 2026-Q1: two different figures were sent, so none is kept; 2026-Q2 dips below 70%.
    assert _series(cleaned, "contactless_transactions") == ["71", "74.5", "68", "74"]
    assert _series(cleaned, "st_initiatives_ward") == ["1", "0", "1", "1"]
    assert _series(cleaned, "operations_centre", "status") == [
        "in_progress",
        "in_progress",
        "done",
        "done",
    ]
    assert _series(cleaned, "officials_basic_digital_training") == ["88", None, "94", "96"]
    budget = [float(v) for v in _series(cleaned, "budget_share_stid")]
    assert all(2.0 <= v <= 2.7 for v in budget) and budget == sorted(budget)
    assert _series(cleaned, "coverage_6g") == [None] * 4  # never reported


def test_register_rows_naming_a_target_give_it_a_lead_unit(cleaned) -> None:
    # The register's last two rows name targets, not tasks: cybersecurity_unit by its code
    # (reported by the ward office, led by the police), dossiers_online by its exact name
    # (reported by the one-stop centre, led by the ward office).
    for period in PERIODS:
        leads = cleaned[period]["target_leads"]
        assert leads[
            ["indicator_id", "lead_unit", "coordinators", "source_cell"]
        ].values.tolist() == [
            ["cybersecurity_unit", "cong_an", "van_phong", "D58"],
            ["dossiers_online", "van_phong", "mot_cua", "D59"],
        ]


def test_quarantine_holds_the_planted_problems(cleaned) -> None:
    # The register's three planted rows are quarantined in every period it is read with.
    for period in PERIODS:
        register = cleaned[period]["quarantine"]
        register = register[register["source_file"] == "phan-cong/phan-cong-nhiem-vu.xlsx"]
        assert list(register["source_row"]) == ["39", "50", "9"]
        assert register["reason"].str.contains("“Sớm nhất có thể” không đọc được").iloc[0]
        assert "“Ban Chỉ huy Quân sự phường” không có trong danh sách" in register["reason"].iloc[1]
        assert "trùng lặp: nhiệm vụ 1.3 đã được phân công giống hệt" in register["reason"].iloc[2]
    q1 = cleaned["2026-Q1"]["quarantine"]
    q1 = q1[q1["source_file"] != "phan-cong/phan-cong-nhiem-vu.xlsx"]
    assert sorted(q1["source_file"]) == ["2026-Q1/mot-cua.xlsx", "2026-Q1/van-phong.xlsx"]
    # The one-stop centre resent a corrected figure the next morning: it replaces the first.
    resent = q1[q1["reason"].str.contains("đã được thay bằng bản đơn vị gửi lại")]
    assert list(resent["source_file"]) == ["2026-Q1/mot-cua.xlsx"]
    assert (
        "tệp 2026-Q1/mot-cua-bo-sung.xlsx (lưu lúc 10:05 ngày 02/04/2026"
        in (resent["reason"].iloc[0])
    )
    assert q1["reason"].str.contains("tỷ lệ 105% nằm ngoài khoảng 0–100%").sum() == 1
    q2 = cleaned["2026-Q2"]["quarantine"]
    q2 = q2[q2["source_file"] != "phan-cong/phan-cong-nhiem-vu.xlsx"]
    # Last quarter's file re-sent: its indicator rows and its task rows alike.
    assert set(q2["source_file"]) == {"2026-Q2/van-hoa-xa-hoi-gui-lai.xlsx"}
    assert q2["reason"].str.contains("khác kỳ đang xử lý Quý II năm 2026").all()
    q3 = cleaned["2026-Q3"]["quarantine"]
    q3 = q3[q3["source_file"] != "phan-cong/phan-cong-nhiem-vu.xlsx"]
    by_file = q3.groupby("source_file")["reason"].apply(list).to_dict()
    assert sorted(by_file) == [
        "2026-Q3/cong-an.xlsx",
        "2026-Q3/kinh-te.xlsx",
        "2026-Q3/van-hoa-xa-hoi.xlsx",
    ]
    assert (
        "ngày hoàn thành 15/10/2026 sau ngày cuối kỳ báo cáo" in by_file["2026-Q3/cong-an.xlsx"][0]
    )
    economy = by_file["2026-Q3/kinh-te.xlsx"]
    assert "không nhận ra chỉ tiêu “Tỷ lệ hộ gia đình sử dụng cáp quang”" in economy[0]
    assert sum("mâu thuẫn: đơn vị báo cáo nhiệm vụ 3.6 2 lần" in r for r in economy) == 2
    assert "tình trạng “Tạm dừng” không hợp lệ" in by_file["2026-Q3/van-hoa-xa-hoi.xlsx"][0]


def test_submissions_say_who_sent_what(cleaned) -> None:
    subs = cleaned["2026-Q1"]["submissions"].set_index("unit")
    assert subs.loc["cong_an", "received"] == "2"
    assert subs.loc["cong_an", "missing"] == ""
    assert subs.loc["mot_cua", "quarantined_only"] == ""  # the resent figure is kept
    assert subs.loc["mot_cua", "files"] == "2026-Q1/mot-cua-bo-sung.xlsx; 2026-Q1/mot-cua.xlsx"
    assert "coverage_6g" in subs.loc["kinh_te", "missing"].split("; ")


def test_illustrative_data_is_small() -> None:
    total = sum(p.stat().st_size for period in PERIODS for p in (RAW / period).glob("*.xlsx"))
    assert 0 < total < 1_000_000


def test_cli_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["clean", "--period", "2026-Q3", "--processed-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    # Five unit workbooks and the assignment register.
    assert out.startswith("Kỳ Quý III năm 2026 (2026-Q3): 6 tệp")
    assert "Lưu ý: dữ liệu mang nhãn “Số liệu minh họa”." in out
    assert (tmp_path / "2026-Q3" / "observations.csv").exists()


def test_cli_clean_missing_period(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "clean",
            "--period",
            "2027-Q1",
            "--raw-dir",
            str(tmp_path),
            "--processed-dir",
            str(tmp_path / "out"),
        ]
    )
    assert code == 2
    assert "chưa có thư mục số liệu của kỳ 2027-Q1" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_label_travels_with_every_observation(cleaned) -> None:
    for period in PERIODS:
        notes = cleaned[period]["observations"]["note"]
        assert notes.str.endswith("[nq57] Số liệu minh họa").all(), period


def test_the_illustrative_quarters_show_every_task_status(cleaned) -> None:
    result = compare_period(EXAMPLE.with_paths(processed_dir=cleaned["folder"]), "2026-Q3")
    status = result.tasks.status.set_index("task_id")
    assert set(status["status"]) == set(TASK_STATUSES)
    expected = {
        "1.1": ("done_on_time", True),  # done 15/11/2025, deadline Quý IV/2025, said once
        "1.2": ("done_late", True),  # done 20/02/2026 against 31/12/2025
        "2.2": ("done_on_time", False),  # "Hoàn thành" without a date since 2025-Q4
        "2.5": ("in_progress_overdue", False),  # 6 tháng đầu năm 2026 passed
        "3.6": ("in_progress_overdue", True),  # Q3's two conflicting rows quarantined
        "3.10": ("recurring", False),  # its code arrived as the number 3.1
        "5.b": ("in_progress", False),  # reported by its words only
        "5.d": ("not_started", True),  # Q3's "Tạm dừng" quarantined: Q2's state holds
        "5.e": ("unassigned", False),  # the register's deadline "Sớm nhất có thể"
        "8.2": ("not_started_overdue", False),
        "8.3": ("unassigned", False),  # the register's unknown unit
        "9.2": ("no_report", False),
    }
    for task_id, (code, stale) in expected.items():
        assert (status.loc[task_id, "status"], status.loc[task_id, "stale"]) == (code, stale), (
            task_id
        )
    assert not any(t.count(".") == 2 for t in status.index)  # activities follow their task
