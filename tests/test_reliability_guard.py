"""Issue #24, Why 6 and 8: no traceback, ever.

Loader errors of ward.yaml (also from ``nq57 --help``), duplicate keys, long CSV fields,
control characters in xlsx cells, a deleted current folder, a 10,000-character period and
the one top-level guard for the unforeseen. Subprocesses have timeouts; nothing asserts a
time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from example import EXAMPLE
from openpyxl import load_workbook

from nq57lib import cli
from nq57lib.core import config
from nq57lib.core.atomic import write_csv_atomic
from nq57lib.core.errors import ProfileError
from nq57lib.core.processed import read_csv
from nq57lib.core.profile import load_profile


def nq57(*args: str, cwd: Path, env: dict | None = None, shell_prefix: str = ""):
    environ = {k: v for k, v in os.environ.items() if k != config.ROOT_ENV}
    environ.update(env or {})
    command = [sys.executable, "-m", "nq57lib", *args]
    if shell_prefix:  # e.g. leave and delete the folder first
        quoted = " ".join(f"'{part}'" for part in command)
        command = ["sh", "-c", f"{shell_prefix} exec {quoted}"]
    return subprocess.run(
        command, cwd=cwd, env=environ, capture_output=True, text=True, timeout=180
    )


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


PROFILE_START = "ward:\n  name: Tân Lập\n  level: phường\n  province: tỉnh Phú Thọ\n"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            "plan:\n  date: 2025-02-30\n",
            "có giá trị không đọc được (day is out of range for month)",
        ),
        (
            f"plan:\n  number: {'7' * 5000}\n",
            # The loader's words, shortened to 120 characters.
            "có giá trị không đọc được (Exceeds the limit (4300 digits) for integer string "
            "conversion: value has 5000 digits; use sys.set_int_max_str_digits() …)",
        ),
        (
            "recipients: " + "[" * 10_000 + "]" * 10_000 + "\n",
            "không đọc được ở dòng 5: sai cú pháp YAML (exceeded maximum nesting depth)",
        ),
        (
            "ward:\n  name: Hồng Bàng\n",
            "không đọc được ở dòng 5: “ward” được ghi hai lần (dòng 1 và dòng 5); chỉ giữ một",
        ),
    ],
    ids=["date-2025-02-30", "5000-digits", "10000-deep", "duplicate-section"],
)
def test_a_ward_yaml_the_loader_refuses_is_one_line_even_for_help(tmp_path, body, problem):
    (tmp_path / "ward.yaml").write_text(PROFILE_START + body, encoding="utf-8")
    shown = nq57("--help", cwd=tmp_path)
    assert shown.returncode == 0 and shown.stdout.startswith("usage: nq57")
    assert shown.stderr == ""
    done = nq57("check-plan", cwd=tmp_path)
    assert done.returncode == 2
    assert one_line(done.stderr) == (
        f"nq57 check-plan: Hồ sơ phường, xã {tmp_path.resolve() / 'ward.yaml'}: {problem}"
    )


def test_a_key_written_twice_inside_a_section_is_refused(tmp_path):
    (tmp_path / "ward.yaml").write_text(PROFILE_START + "  name: Tân Lập 2\n", encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(tmp_path)
    assert caught.value.problems == [
        "không đọc được ở dòng 5: “name” được ghi hai lần (dòng 2 và dòng 5); chỉ giữ một"
    ]


def test_a_csv_field_over_131072_characters_is_written_and_read_back(tmp_path):
    long_text = "Chỉ tiêu " * 20_000  # 180,000 characters
    frame = pd.DataFrame({"target": [long_text, "=1+2"], "value": [1.0, 2.0]})
    path = write_csv_atomic(frame, tmp_path / "targets.csv")
    back = read_csv(path)
    assert list(back["target"]) == [long_text, "=1+2"]


def _plan_with_control_characters(folder: Path) -> Path:
    text = EXAMPLE.plan_path.read_text("utf-8")
    # One target and one task of the shipped plan gain a BEL and an ESC.
    target = "100% cán bộ, công chức được bồi dưỡng kỹ năng số căn bản"
    assert target in text
    text = text.replace(target, "100% cán bộ\x07, công chức\x1b được bồi dưỡng kỹ năng số", 1)
    path = folder / "ke-hoach.md"
    path.write_text(text, encoding="utf-8")
    return path


def _cells(path: Path) -> list[str]:
    book = load_workbook(path)
    return [c for ws in book for row in ws.iter_rows(values_only=True) for c in row if c]


def test_control_characters_never_stop_an_xlsx(tmp_path, capsys):
    plan = _plan_with_control_characters(tmp_path)
    assert cli.main(["targets", "--plan", str(plan), "--out", str(tmp_path / "t.xlsx")]) == 0
    cells = _cells(tmp_path / "t.xlsx")
    shown = [c for c in cells if isinstance(c, str) and "cán bộ\ufffd" in c]
    assert shown and "cán bộ\ufffd, công chức\ufffd được bồi dưỡng" in shown[0]
    assert not any("\x07" in str(c) or "\x1b" in str(c) for c in _cells(tmp_path / "t.xlsx"))
    out = tmp_path / "mau"
    code = cli.main(["template", "--period", "2026-Q3", "--plan", str(plan), "--out", str(out)])
    assert code == 0
    assert sorted(out.glob("*.xlsx"))
    code = cli.main(["template", "--assignments", "--plan", str(plan), "--out", str(out)])
    assert code == 0
    capsys.readouterr()


def test_the_appendix_workbook_holds_no_control_character(tmp_path):
    from nq57lib.core.workbooks import put, write_table_workbook

    out = write_table_workbook(
        {"Chỉ tiêu": (["Tên", "Ghi chú"], [["Tỷ lệ\x07", "đơn vị\x1b[31m"]], [30, 30])},
        tmp_path / "status.xlsx",
    )
    assert _cells(out) == ["Tên", "Ghi chú", "Tỷ lệ\ufffd", "đơn vị\ufffd[31m"]
    assert put is not None


def test_a_deleted_current_folder_is_one_line_and_project_still_works(tmp_path):
    gone = tmp_path / "da-xoa"
    gone.mkdir()
    leave = f"cd '{gone}' && rmdir '{gone}' &&"
    done = nq57("check-plan", cwd=tmp_path, shell_prefix=leave)
    assert done.returncode == 2
    assert one_line(done.stderr) == f"nq57 check-plan: {config.CWD_GONE}"
    gone.mkdir()
    done = nq57(
        "--project", str(config.CHECKOUT_DIR), "check-plan", cwd=tmp_path, shell_prefix=leave
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_a_10000_character_period_is_not_echoed_whole(capsys):
    assert cli.main(["clean", "--period", "7" * 10_000]) == 2
    message = one_line(capsys.readouterr().err)
    assert message.startswith("nq57 clean: Period '777") and len(message) < 300


def test_the_unforeseen_is_one_line_and_a_crash_log(monkeypatch, capsys):
    def broken(_args):
        return {}["no such key"]

    monkeypatch.setattr(cli, "_cmd_check_plan", broken)
    assert cli.main(["check-plan"]) == 2
    message = one_line(capsys.readouterr().err)
    prefix = (
        "nq57 check-plan: lỗi không lường trước (KeyError: 'no such key'); chi tiết đã ghi vào "
    )
    assert message.startswith(prefix)
    log = Path(message[len(prefix) :].split(" — ")[0])
    try:
        text = log.read_text("utf-8")
        assert "Traceback" in text and "KeyError" in text and "broken" in text
    finally:
        log.unlink()
