"""`nq57 targets`, `nq57 indicators`, `nq57 check-plan`: output, exit codes, plain errors."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from nq57lib.cli import main


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_targets_csv(tmp_path, capsys):
    out_file = tmp_path / "targets.csv"
    code, out, err = _run(capsys, "targets", "--out", str(out_file))
    assert code == 0
    assert out.strip() == f"135 targets written to {out_file}"
    assert err == ""
    with out_file.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 135
    assert rows[0]["target_id"] == "2025-coverage_5g"


def test_targets_xlsx(tmp_path, capsys):
    out_file = tmp_path / "targets.xlsx"
    code, _out, _ = _run(capsys, "targets", "--out", str(out_file))
    assert code == 0
    assert openpyxl.load_workbook(out_file).sheetnames[0] == "Tổng hợp"


def test_targets_unknown_suffix(tmp_path, capsys):
    code, _out, err = _run(capsys, "targets", "--out", str(tmp_path / "targets.txt"))
    assert code == 2
    assert "choose a .csv or .xlsx" in err
    assert not (tmp_path / "targets.txt").exists()


def test_targets_unwritable_destination(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _out, err = _run(capsys, "targets", "--out", str(blocker / "t.xlsx"))
    assert code == 2
    assert err.startswith(f"nq57 targets: Cannot write {blocker / 't.xlsx'}: ")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "file not found"),
        (b"", "the file is empty"),
        (b"2. M\xf4c ti\xeau c\xf5 th\xea\n", "not UTF-8 text"),
        ("KẾ HOẠCH\n\nI. MỤC ĐÍCH\n\n- Quán triệt.\n".encode(), "no targets found"),
    ],
    ids=["missing", "empty", "not-utf8", "no-section"],
)
@pytest.mark.parametrize("command", ["targets", "indicators", "check-plan"])
def test_bad_plan_is_a_plain_message(tmp_path, capsys, command, content, problem):
    plan = tmp_path / "plan.md"
    if content is not None:
        plan.write_bytes(content)
    extra = ["--out", str(tmp_path / "t.csv")] if command == "targets" else []
    code, _out, err = _run(capsys, command, "--plan", str(plan), *extra)
    assert code != 0
    assert err.startswith(f"nq57 {command}: Plan file {plan}: ")
    assert problem in err
    assert not (tmp_path / "t.csv").exists()


def test_targets_warns_about_unmatched(tmp_path, capsys):
    plan = tmp_path / "plan.md"
    plan.write_text(
        "2. Mục tiêu cụ thể\n\n2.1. Đến hết năm 2030\n\ne) Chuyển đổi số\n\n"
        "- 100% hồ sơ thủ tục hành chính xử lý trực tuyến.\n"
        "- Có 50% hộ gia đình dùng điện mặt trời.\n",
        encoding="utf-8",
    )
    code, out, err = _run(capsys, "targets", "--plan", str(plan), "--out", str(tmp_path / "t.csv"))
    assert code == 0
    assert out.startswith("2 targets written")
    assert err.splitlines() == [
        "warning: 1 target(s) match no indicator:",
        "  line 8 (no indicator of the registry matches): Có 50% hộ gia đình dùng điện mặt trời",
    ]


def test_indicators(capsys):
    code, out, _ = _run(capsys, "indicators")
    assert code == 0
    assert "  vneid_residents — Tỷ lệ người dân có tài khoản định danh điện tử (VNeID) [%]" in out
    assert "2025: ≥ 70%  →  2030: ≥ 85%  →  2035: ≥ 95%  →  2040: 100%  →  2045: 100%" in out


def test_check_plan(capsys):
    code, out, _ = _run(capsys, "check-plan")
    assert code == 0
    assert out.startswith("Kiểm tra kế hoạch: 30 phát hiện")
    assert "dòng 389 [cloud_information_systems] scope_drift" in out


def test_the_system_refusing_a_write_is_one_line_naming_the_path(tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    code, out, err = _run(
        capsys, "clean", "--period", "2026-Q3", "--processed-dir", str(blocker / "processed")
    )
    assert code == 2 and out == ""
    # The tree's lock is taken in the processed folder first: that is the refused path.
    assert err == f"nq57 clean: {blocker / 'processed'}: Not a directory\n"
    code, _out, err = _run(capsys, "template", "--period", "2026-Q4", "--out", str(blocker))
    assert code == 2 and err == f"nq57 template: {blocker}: File exists\n"


def test_run_offers_the_chromium_engine(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    assert "--pdf-engine {weasyprint,chromium}" in capsys.readouterr().out
