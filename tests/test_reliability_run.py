"""The run side under refusal: one plain line, never a traceback; whole processed sets; one
run at a time per tree, and what a killed run left behind is put right at the next start.

We run as root in CI, where ``chmod`` does not stop a write; a read-only folder or a full
disk is simulated by raising the operating system's own error (EROFS, EACCES, ENOSPC) at
the write, exactly where the system would raise it.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from example import EXAMPLE, run_example
from real_runs import PERIOD, Run, copy_example, snapshot
from test_pipeline import _workspace

from nq57lib import cli
from nq57lib.core import config
from nq57lib.core.errors import PeriodError, RunLockedError, SystemRefusalError
from nq57lib.core.owner import OWNER_FILE
from nq57lib.core.periods import Period, find_periods
from nq57lib.core.sets import processed_set, recover
from nq57lib.run.lock import tree_lock

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
BAD_NAME = os.fsdecode(b"kinh-te-\xff.xlsx")  # a name whose byte 0xff is not UTF-8
SHOWN_BAD_NAME = "kinh-te-\\xff.xlsx"  # how nq57 writes and prints it


def _os_error(code: int, path: Path | str) -> OSError:
    return OSError(code, os.strerror(code), str(path))


def _hidden(folder: Path) -> list[str]:
    """Hidden entries nq57 may leave: staging, work and backup folders, temporary files."""
    return sorted(p.name for p in folder.rglob(".*") if p.name != config.LOCK_FILE)


def _raw_copy(tmp_path: Path) -> Path:
    """The shipped 2026-Q3 workbooks and the assignment register, in a folder of our own."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW / "2026-Q3", raw / "2026-Q3")
    shutil.copytree(RAW / config.REGISTER_DIR, raw / config.REGISTER_DIR)
    return raw


def _clean_args(raw: Path, processed: Path) -> list[str]:
    return [
        "clean",
        "--period",
        "2026-Q3",
        "--raw-dir",
        str(raw),
        "--processed-dir",
        str(processed),
    ]


# ── 1. periods outside 1900–2100 ────────────────────────────────────────────


@pytest.mark.parametrize("label", ["0000-Q1", "1899-Q4", "2101", "9999-12", "Quý I/0000"])
def test_period_years_outside_1900_2100_are_refused(label):
    with pytest.raises(PeriodError) as error:
        Period.parse(label)
    assert "1900–2100" in str(error.value)


def test_period_years_1900_and_2100_are_accepted():
    assert Period.parse("1900-Q1").start.isoformat() == "1900-01-01"
    assert Period.parse("2100-Q4").end.isoformat() == "2100-12-31"


def test_a_title_naming_year_0000_is_no_period_rather_than_an_error():
    assert find_periods("Báo cáo 0000-Q1 và Quý III/2026") == [Period.parse("2026-Q3")]


@pytest.mark.parametrize("command", ["run", "clean", "compare"])
def test_period_0000_q1_is_one_line_on_the_command_line(command, tmp_path, capsys):
    code = cli.main([command, "--period", "0000-Q1", "--processed-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 3
    assert "0000-Q1" in err and "1900–2100" in err


# ── 1. file names that are not UTF-8 ────────────────────────────────────────


def test_clean_accepts_a_workbook_whose_name_is_not_utf8(tmp_path):
    raw, processed = _raw_copy(tmp_path), tmp_path / "processed"
    os.rename(raw / "2026-Q3" / "kinh-te.xlsx", raw / "2026-Q3" / BAD_NAME)
    # A real process: its standard output is a pipe with a strict UTF-8 encoder.
    done = subprocess.run(
        [sys.executable, "-m", "nq57lib", *_clean_args(raw, processed)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    with (processed / "2026-Q3" / "quality.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["source_file"]: row for row in csv.DictReader(handle)}
    row = rows[f"2026-Q3/{SHOWN_BAD_NAME}"]  # read like any other file, its name escaped
    assert (row["reported_by"], row["file_status"], row["accepted"]) == ("kinh_te", "ok", "24")
    observations = (processed / "2026-Q3" / "observations.csv").read_text(encoding="utf-8")
    assert f"2026-Q3/{SHOWN_BAD_NAME}" in observations


def test_failure_handler_survives_a_raw_file_name_that_is_not_utf8(tmp_path):
    dirs = _workspace(tmp_path, compare="raises.ipynb")
    (dirs["raw_dir"] / "2026-Q3" / BAD_NAME).write_bytes(b"stand-in workbook")
    result = run_example(["2026-Q3"], formats=["html"], progress=False, **dirs)
    assert not result.ok
    kept = dirs["reports_dir"] / "_failed" / "2026-Q3"
    record = json.loads((kept / "run.json").read_text(encoding="utf-8"))
    assert record["outcome"] == "failed" and record["error"]["notebook"] == "20-compare.ipynb"
    raw_keys = sorted(Path(k).name for k in record["inputs"]["raw"])
    assert raw_keys == ["don-vi.xlsx", SHOWN_BAD_NAME]
    assert _hidden(dirs["reports_dir"]) == []


# ── 1. the failure handler cannot fail ──────────────────────────────────────


def test_failure_record_is_written_even_when_building_it_raises(tmp_path, monkeypatch):
    from nq57lib.run import failures

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in run_record")

    monkeypatch.setattr(failures, "run_record", broken)
    dirs = _workspace(tmp_path, compare="raises.ipynb")
    result = run_example(["2026-Q3"], formats=["html"], progress=False, **dirs)
    kept = dirs["reports_dir"] / "_failed" / "2026-Q3"
    record = json.loads((kept / "run.json").read_text(encoding="utf-8"))
    assert record["outcome"] == "failed" and record["period"] == "2026-Q3"
    assert record["error"]["type"] == "NotebookExecutionError"
    assert record["record_error"] == "RuntimeError: a bug in run_record"
    assert sorted(p.name for p in kept.iterdir()) == [
        "10-clean.ipynb",
        "20-compare.ipynb",
        "run.json",
    ]
    assert result.periods[0].failed_dir == kept
    assert _hidden(dirs["reports_dir"]) == []


def test_a_failure_without_a_message_still_says_what_it_was(tmp_path, monkeypatch):
    from nq57lib.run import pipeline

    def bare(*args, **kwargs):
        raise RuntimeError()  # str() is "": the line used to read "FAILED — "

    monkeypatch.setattr(pipeline, "swap_dir", bare)
    dirs = _workspace(tmp_path)
    lines = io.StringIO()
    with pytest.raises(RuntimeError):  # a bug goes on up, once recorded
        run_example(["2026-Q3"], formats=["html"], progress=lines, **dirs)
    assert "[2026-Q3] FAILED — RuntimeError\n" in lines.getvalue()
    record = json.loads((dirs["reports_dir"] / "_failed" / "2026-Q3" / "run.json").read_text())
    assert record["error"]["type"] == "RuntimeError"


def test_when_no_record_can_be_written_one_line_says_why(tmp_path, monkeypatch, capsys):
    """A full disk under reports/: the render fails, then so does every write of the record."""
    from nq57lib.report import render
    from nq57lib.run import failures

    dirs = _workspace(tmp_path)

    def full(text, target):
        raise _os_error(errno.ENOSPC, target)

    monkeypatch.setattr(render, "write_text_atomic", full)
    monkeypatch.setattr(
        failures, "write_run_json", lambda folder, record: full("", folder / "run.json")
    )
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", dirs["notebooks_dir"])
    code = cli.main(
        ["run", "--period", "2026-Q3", "--formats", "html", "--render-processes", "0"]
        + [f"--{k.replace('_', '-')}={v}" for k, v in dirs.items() if k != "notebooks_dir"]
    )
    out = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in out.err + out.out
    why = [line for line in out.out.splitlines() if "run.json" in line]
    assert len(why) == 1 and "No space left on device" in why[0]
    assert str(dirs["reports_dir"] / "_failed" / "2026-Q3" / "run.json") in why[0]
    assert not (dirs["reports_dir"] / "_failed" / "2026-Q3").exists()
    assert _hidden(dirs["reports_dir"]) == []


def test_render_on_a_full_disk_fails_the_period_and_keeps_the_previous_report(
    tmp_path, monkeypatch
):
    from nq57lib.report import render

    dirs = _workspace(tmp_path)
    previous = dirs["reports_dir"] / "2026-Q3"
    previous.mkdir(parents=True)
    (previous / "bao-cao-2026-Q3.html").write_text("last quarter's good report", encoding="utf-8")

    def full(text, target):
        raise _os_error(errno.ENOSPC, target)

    monkeypatch.setattr(render, "write_text_atomic", full)
    # Rendering in this process, where the patched write is the one that runs.
    result = run_example(["2026-Q3"], formats=["html"], progress=False, render_processes=0, **dirs)
    error = result.periods[0].error
    assert isinstance(error, SystemRefusalError) and error.errno == errno.ENOSPC
    assert str(error).endswith("bao-cao-2026-Q3.html: No space left on device")
    assert result.exit_code == 2
    assert sorted(p.name for p in previous.iterdir()) == ["bao-cao-2026-Q3.html"]
    assert (previous / "bao-cao-2026-Q3.html").read_text("utf-8") == "last quarter's good report"
    record = json.loads((dirs["reports_dir"] / "_failed" / "2026-Q3" / "run.json").read_text())
    assert record["error"]["type"] == "SystemRefusalError"
    assert [s["outcome"] for s in record["steps"]] == ["ok", "ok", "ok", "failed"]
    assert _hidden(dirs["reports_dir"]) == []


def test_read_only_reports_folder_in_a_run_is_one_line(tmp_path, monkeypatch, capsys):
    import tempfile

    dirs = _workspace(tmp_path)
    reports = dirs["reports_dir"]
    reports.mkdir()
    real = tempfile.mkdtemp

    def read_only(*args, dir=None, **kwargs):
        if dir is not None and Path(dir).resolve().is_relative_to(reports.resolve()):
            raise _os_error(errno.EROFS, Path(dir) / kwargs.get("prefix", ""))
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", dirs["notebooks_dir"])
    code = cli.main(
        ["run", "--period", "2026-Q3", "--formats", "html", "--render-processes", "0"]
        + [f"--{k.replace('_', '-')}={v}" for k, v in dirs.items() if k != "notebooks_dir"]
    )
    out = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in out.err + out.out
    assert "Read-only file system" in out.out and str(reports) in out.out
    assert _hidden(reports) == [] and not (reports / "_failed" / "2026-Q3").exists()


def test_processed_or_reports_folder_that_is_a_file_is_one_line(tmp_path, capsys):
    dirs = _workspace(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    for option in ("--processed-dir", "--reports-dir"):
        args = {"--raw-dir": dirs["raw_dir"], "--processed-dir": dirs["processed_dir"]}
        args["--reports-dir"] = dirs["reports_dir"]
        args[option] = blocker
        code = cli.main(
            ["run", "--period", "2026-Q3", "--formats", "html"]
            + [f"{k}={v}" for k, v in args.items()]
        )
        err = capsys.readouterr().err
        assert code == 2, option
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1
        assert str(blocker) in err
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_clean_into_a_processed_folder_that_is_a_file_is_one_line(tmp_path, capsys):
    raw, blocker = _raw_copy(tmp_path), tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert cli.main(_clean_args(raw, blocker)) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1 and str(blocker) in err


@pytest.mark.parametrize("out", ["/proc", "/proc/nq57-test", "file"])
def test_template_into_proc_or_a_file_names_the_target_in_one_line(out, tmp_path, capsys):
    if out == "file":
        out = tmp_path / "a-file"
        out.write_text("x", encoding="utf-8")
    code = cli.main(["template", "--period", "2026-Q4", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert ".tmp" not in err and str(out) in err  # the file asked for, not a temporary one


def test_template_into_a_read_only_folder_is_one_line(tmp_path, monkeypatch, capsys):
    import tempfile

    real = tempfile.mkstemp

    def read_only(*args, dir=None, **kwargs):
        if dir is not None and Path(dir).resolve().is_relative_to(tmp_path.resolve()):
            raise _os_error(errno.EACCES, dir)
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    code = cli.main(["template", "--period", "2026-Q4", "--out", str(tmp_path / "t")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert f"{tmp_path / 't'}/" in err and "Permission denied" in err and ".tmp" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only (chmod) folder")
def test_clean_into_a_chmod_read_only_folder_is_one_line(tmp_path, capsys):
    raw, processed = _raw_copy(tmp_path), tmp_path / "processed"
    processed.mkdir()
    processed.chmod(0o555)
    try:
        assert cli.main(_clean_args(raw, processed)) == 2
    finally:
        processed.chmod(0o755)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Permission denied" in err


# ── 2. processed tables as one set ──────────────────────────────────────────


@pytest.fixture()
def cleaned(tmp_path):
    """2026-Q3 of the shipped example, cleaned into a processed folder of its own."""
    from nq57lib.collect.ingest import clean_period

    raw, processed = _raw_copy(tmp_path), tmp_path / "processed"
    clean_period(EXAMPLE.with_paths(raw_dir=raw, processed_dir=processed), "2026-Q3")
    return raw, processed


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_clean_on_a_full_disk_keeps_the_whole_previous_set(cleaned, monkeypatch, capsys):
    from nq57lib.collect import ingest

    raw, processed = cleaned
    folder = processed / "2026-Q3"
    for name in ("observations.csv", "quarantine.csv", "quality.csv"):
        (folder / name).write_text(f"previous {name}\n", encoding="utf-8")
    before = _snapshot(folder)
    real = ingest.write_csv_atomic

    def full_at_quality(frame, target):
        if Path(target).name == "quality.csv":
            raise _os_error(errno.ENOSPC, target)
        return real(frame, target)

    monkeypatch.setattr(ingest, "write_csv_atomic", full_at_quality)
    assert cli.main(_clean_args(raw, processed)) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Traceback" not in err
    assert _snapshot(folder) == before  # observations.csv did not move on without the rest
    assert _hidden(processed) == []


def test_compare_on_a_full_disk_keeps_the_whole_previous_set(cleaned, monkeypatch, capsys):
    from nq57lib.assess import compare

    _, processed = cleaned
    folder = processed / "2026-Q3"
    (folder / "status.csv").write_text("previous status\n", encoding="utf-8")
    (folder / "status.xlsx").write_bytes(b"previous appendix")
    before = _snapshot(folder)

    def full(*args, **kwargs):
        raise _os_error(errno.ENOSPC, "status.xlsx")

    monkeypatch.setattr(compare, "write_appendix", full)
    code = cli.main(["compare", "--period", "2026-Q3", "--processed-dir", str(processed)])
    err = capsys.readouterr().err
    assert code == 2 and "No space left on device" in err and "Traceback" not in err
    assert _snapshot(folder) == before
    assert _hidden(processed) == []


def test_compare_adds_its_files_and_keeps_cleanings(cleaned, capsys):
    _, processed = cleaned
    folder = processed / "2026-Q3"
    cleaning = _snapshot(folder)
    assert cli.main(["compare", "--period", "2026-Q3", "--processed-dir", str(processed)]) == 0
    after = _snapshot(folder)
    assert {k: after[k] for k in cleaning} == cleaning
    assert sorted(set(after) - set(cleaning)) == [
        "status.csv",
        "status.xlsx",
        "status_history.csv",
        "task_status.csv",
        "task_status_history.csv",
        "unit_scorecard.csv",
        "verdicts.csv",
        "year_to_date_check.csv",
    ]
    printed = capsys.readouterr().out
    assert f"Đã ghi: {folder / 'status.csv'}" in printed  # the real place, not a staging one
    assert _hidden(processed) == []


def test_processed_set_swaps_the_folder_as_one_unit(tmp_path):
    folder = tmp_path / "2026-Q3"
    folder.mkdir()
    (folder / "observations.csv").write_text("old observations\n", encoding="utf-8")
    (folder / "quality.csv").write_text("old quality\n", encoding="utf-8")
    (folder / "status.csv").write_text("comparison\n", encoding="utf-8")
    with processed_set(folder, replaces=["observations.csv", "quality.csv"]) as staging:
        # What the step replaces is not copied; what it does not touch comes along (and
        # the record of who builds the set, which the swap leaves out).
        assert sorted(p.name for p in staging.iterdir()) == [OWNER_FILE, "status.csv"]
        (staging / "observations.csv").write_text("new observations\n", encoding="utf-8")
        # Readers still see the whole old set.
        assert (folder / "observations.csv").read_text("utf-8") == "old observations\n"
        assert (folder / "quality.csv").read_text("utf-8") == "old quality\n"
    assert _snapshot(folder) == {
        "observations.csv": b"new observations\n",
        "status.csv": b"comparison\n",
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-Q3"]


def test_processed_set_of_a_new_period(tmp_path):
    with processed_set(tmp_path / "2026-Q3") as staging:
        (staging / "observations.csv").write_text("first\n", encoding="utf-8")
    assert _snapshot(tmp_path / "2026-Q3") == {"observations.csv": b"first\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-Q3"]


def test_a_failed_step_leaves_the_previous_set_untouched(tmp_path):
    folder = tmp_path / "2026-Q3"
    folder.mkdir()
    (folder / "observations.csv").write_text("old\n", encoding="utf-8")
    with pytest.raises(OSError), processed_set(folder, replaces=["observations.csv"]) as staging:
        (staging / "observations.csv").write_text("half", encoding="utf-8")
        raise _os_error(errno.ENOSPC, staging / "quality.csv")
    assert _snapshot(folder) == {"observations.csv": b"old\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-Q3"]


def test_a_refused_second_rename_puts_the_previous_set_back(tmp_path, monkeypatch):
    from nq57lib.core import atomic

    folder = tmp_path / "2026-Q3"
    folder.mkdir()
    (folder / "observations.csv").write_text("old\n", encoding="utf-8")
    real = os.rename

    def refuse_staging(src, dst):
        if ".staging-" in Path(src).name:
            raise _os_error(errno.EACCES, src)
        return real(src, dst)

    monkeypatch.setattr(atomic.os, "rename", refuse_staging)
    with pytest.raises(PermissionError), processed_set(folder) as staging:
        (staging / "observations.csv").write_text("new\n", encoding="utf-8")
    monkeypatch.undo()
    assert _snapshot(folder) == {"observations.csv": b"old\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-Q3"]


def test_processed_set_reaches_the_disk_before_the_swap(tmp_path, monkeypatch):
    from nq57lib.core import atomic

    synced: list[str] = []
    real = os.fsync

    def record(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        return real(fd)

    monkeypatch.setattr(atomic.os, "fsync", record)
    with processed_set(tmp_path / "2026-Q3") as staging:
        (staging / "observations.csv").write_text("x\n", encoding="utf-8")
        (staging / "quality.csv").write_text("y\n", encoding="utf-8")
    names = [Path(p).name for p in synced]
    assert names[:2] == ["observations.csv", "quality.csv"]  # each file's data
    assert names[2].startswith(".2026-Q3.staging-")  # the folder's entries
    assert synced[-1] == str(tmp_path)  # the swap itself


# ── 3. one run at a time, and what a killed run left behind ─────────────────


def test_a_second_clean_or_compare_fails_fast_naming_the_first(tmp_path, capsys):
    raw, processed = _raw_copy(tmp_path), tmp_path / "processed"
    with tree_lock(processed, command="nq57 run 2026-Q3"):
        for args in (
            _clean_args(raw, processed),
            ["compare", "--period", "2026-Q3", "--processed-dir", str(processed)],
        ):
            assert cli.main(args) == 2
            err = capsys.readouterr().err
            assert f"đang có một lần chạy khác (PID {os.getpid()}, bắt đầu lúc " in err
            assert "nq57 run 2026-Q3" in err and "Traceback" not in err
    assert not (processed / "2026-Q3").exists()  # nothing was written meanwhile
    assert cli.main(_clean_args(raw, processed)) == 0  # released at the end of the block


def test_a_second_run_fails_fast(tmp_path):
    dirs = _workspace(tmp_path)
    with tree_lock(dirs["processed_dir"], command="nq57 clean 2026-Q3"):
        with pytest.raises(RunLockedError) as error:
            run_example(["2026-Q3"], formats=["html"], progress=False, **dirs)
    assert error.value.pid == os.getpid() and error.value.command == "nq57 clean 2026-Q3"
    assert not dirs["reports_dir"].exists()


def test_kill_9_of_the_holder_releases_the_lock(tmp_path):
    processed = tmp_path / "processed"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from nq57lib.run.lock import tree_lock\n"
            "with tree_lock(Path(sys.argv[1]), command='nq57 run 2026-Q3'):\n"
            "    print('held', flush=True)\n"
            "    time.sleep(600)\n",
            str(processed),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        with pytest.raises(RunLockedError) as error, tree_lock(processed):
            pass
        assert error.value.pid == holder.pid
        assert "đang có một lần chạy khác (PID" in str(error.value)
        holder.kill()  # SIGKILL: no cleanup code of the holder runs
        holder.wait()
        with tree_lock(processed):
            pass
        # The holder's info, left by the killed holder, was replaced, then removed.
        assert sorted(p.name for p in processed.iterdir()) == [config.LOCK_FILE]
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
        holder.stdout.close()


def test_leftovers_of_a_killed_run_are_cleared_at_the_next_start(tmp_path):
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    # A run killed while building: its work, staging and processed-set folders.
    for leftover in (
        reports / ".2026-Q3.work-k1ll3d" / "10-clean.ipynb",
        reports / ".2026-Q3.staging-k1ll3d" / "bao-cao-2026-Q3.html",
        reports / "_failed" / ".2026-Q2.staging-k1ll3d" / "run.json",
        processed / ".2026-Q3.staging-k1ll3d" / "observations.csv",
        reports / ".2026-Q1.previous" / "bao-cao-2026-Q1.html",  # swapped, not yet deleted
    ):
        leftover.parent.mkdir(parents=True, exist_ok=True)
        leftover.write_text("partial", encoding="utf-8")
    (reports / "2026-Q1").mkdir()
    (reports / "2026-Q1" / "bao-cao-2026-Q1.html").write_text("new", encoding="utf-8")
    keep = reports / ".notes"  # not nq57's: left alone
    keep.mkdir()
    with tree_lock(processed, reports) as done:
        pass
    assert _hidden(reports) == [".notes"] and _hidden(processed) == []
    assert (reports / "2026-Q1" / "bao-cao-2026-Q1.html").read_text("utf-8") == "new"
    assert len(done) == 5 and all("còn sót" in line for line in done)


def test_a_report_swap_cut_between_its_renames_is_restored(tmp_path):
    dirs = _workspace(tmp_path)
    reports = dirs["reports_dir"]
    # Killed after reports/2026-Q3 was moved aside, before the new folder took its place.
    (reports / ".2026-Q3.previous").mkdir(parents=True)
    (reports / ".2026-Q3.previous" / "bao-cao-2026-Q3.html").write_text("good", encoding="utf-8")
    (reports / ".2026-Q3.staging-k1ll3d").mkdir()
    lines = []

    class Log:
        def write(self, text):
            lines.append(text)

        def flush(self):
            pass

        def isatty(self):
            return False

    with pytest.raises(Exception, match="2025-Q4"):  # refused after the lock: nothing runs
        run_example(["2025-Q4"], formats=["html"], progress=Log(), **dirs)
    assert sorted(p.name for p in reports.iterdir()) == [config.LOCK_FILE, "2026-Q3"]
    assert (reports / "2026-Q3" / "bao-cao-2026-Q3.html").read_text("utf-8") == "good"
    assert any("khôi phục" in line and "2026-Q3" in line for line in lines)


def test_a_processed_swap_cut_between_its_renames_is_restored(tmp_path):
    processed = tmp_path / "processed"
    (processed / ".2026-Q2.previous").mkdir(parents=True)
    (processed / ".2026-Q2.previous" / "observations.csv").write_text("q2\n", encoding="utf-8")
    (processed / ".2026-Q2.staging-k1ll3d").mkdir()
    (processed / ".2026-Q2.staging-k1ll3d" / "observations.csv").write_text("new", "utf-8")
    done = recover(processed)
    assert sorted(p.name for p in processed.iterdir()) == ["2026-Q2"]
    assert (processed / "2026-Q2" / "observations.csv").read_text("utf-8") == "q2\n"
    assert [line.split(":")[0] for line in done] == [
        "Đã khôi phục bản trước (lần chạy trước bị ngắt giữa chừng)",
        "Đã xóa thư mục tạm còn sót của lần chạy bị ngắt",
    ]


def test_the_lock_file_stays_empty_and_a_tree_it_made_for_nothing_goes(tmp_path):
    processed = tmp_path / "processed"
    processed.mkdir()
    with tree_lock(processed):
        pass
    assert sorted(p.name for p in processed.iterdir()) == [config.LOCK_FILE]
    assert (processed / config.LOCK_FILE).read_text(encoding="utf-8") == ""
    # A request refused under the lock (say, no raw folder) creates no processed folder.
    fresh = tmp_path / "new" / "processed"
    with tree_lock(fresh):
        assert fresh.is_dir()
    assert not (tmp_path / "new").exists()


def test_a_period_folder_that_is_a_file_is_refused_and_left_alone(tmp_path, capsys):
    raw, processed = _raw_copy(tmp_path), tmp_path / "processed"
    processed.mkdir()
    (processed / "2026-Q3").write_text("not a folder", encoding="utf-8")
    assert cli.main(_clean_args(raw, processed)) == 2
    err = capsys.readouterr().err
    assert err == f"nq57 clean: {processed / '2026-Q3'}: Not a directory\n"
    assert (processed / "2026-Q3").read_text(encoding="utf-8") == "not a folder"
    assert _hidden(processed) == []


def test_a_report_folder_that_is_a_file_fails_the_period_and_is_left_alone(tmp_path):
    dirs = _workspace(tmp_path)
    dirs["reports_dir"].mkdir()
    (dirs["reports_dir"] / "2026-Q3").write_text("not a folder", encoding="utf-8")
    result = run_example(["2026-Q3"], formats=["html"], progress=False, **dirs)
    error = result.periods[0].error
    assert isinstance(error, SystemRefusalError) and result.exit_code == 2
    assert str(error) == f"{dirs['reports_dir'] / '2026-Q3'}: Not a directory"
    assert (dirs["reports_dir"] / "2026-Q3").read_text(encoding="utf-8") == "not a folder"
    assert (dirs["reports_dir"] / "_failed" / "2026-Q3" / "run.json").is_file()
    assert _hidden(dirs["reports_dir"]) == []


# ── 4. Ctrl-C, SIGTERM and kill -9 of real runs; two runs sharing a reports folder ───


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    """A copy of the example project with its 2026-Q3 report made by a first real run."""
    project = copy_example(tmp_path_factory.mktemp("signalled") / "ward")
    code, err = Run(project).finish()
    assert code == 0, err
    return project


def _intact(project: Path, before: dict[str, bytes]) -> None:
    """The previous report is whole, nothing of the run is left, and the locks are free."""
    reports, processed = project / "reports", project / "data" / "processed"
    assert snapshot(reports / PERIOD) == before
    assert _hidden(reports) == [] and _hidden(processed) == []
    assert not (reports / config.FAILED_DIR / PERIOD).exists()
    with tree_lock(processed, reports) as done:  # free: another run can start at once
        assert done == []


MOMENTS = {
    "start-up": lambda run: run.wait_for_child(),  # the kernel or a render process exists
    "10-clean": lambda run: run.wait_for_line(f"[{PERIOD}] 10-clean …"),
    "rendering": lambda run: run.wait_for_line(f"[{PERIOD}] render html+pdf"),
}


@pytest.mark.parametrize("moment", list(MOMENTS))
@pytest.mark.parametrize(
    ("signum", "group", "code", "reason"),
    [
        (signal.SIGINT, True, 130, "Ctrl-C"),  # a terminal's Ctrl-C reaches the whole group
        (signal.SIGTERM, False, 143, "SIGTERM"),  # `kill PID`
    ],
    ids=["ctrl-c", "sigterm"],
)
def test_a_signalled_run_stops_at_once_keeps_the_report_and_says_why(
    reported, moment, signum, group, code, reason
):
    before = snapshot(reported / "reports" / PERIOD)
    run = Run(reported, "--fresh")  # fresh: the notebooks run, none is reused
    MOMENTS[moment](run)
    run.send(signum, group)
    exit_code, err = run.finish(timeout=30)  # a hang detector, not a measure
    assert run.leftovers() == []  # kernel and render processes gone too
    assert exit_code == code, err
    assert "Traceback" not in err and "FAILED" not in err
    assert err.splitlines()[-1] == f"nq57 run: đã dừng theo yêu cầu ({reason})"
    assert err.count("đã dừng") == 1 and run.stdout == ""
    _intact(reported, before)


def test_kill_9_while_rendering_leaves_no_traceback_and_no_process(reported):
    before = snapshot(reported / "reports" / PERIOD)
    run = Run(reported, "--fresh")
    run.wait_for_line(f"[{PERIOD}] render html+pdf")
    run.send(signal.SIGKILL, group=False)  # no clean-up code of the run can run
    exit_code, err = run.finish(timeout=30)
    assert exit_code == -signal.SIGKILL
    # The render processes and the kernel notice their parent has gone, and end quietly.
    assert run.leftovers() == []
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    reports = reported / "reports"
    assert snapshot(reports / PERIOD) == before
    work = [p.name for p in reports.iterdir() if ".work-" in p.name]
    assert len(work) == 1  # its maker is dead: the next start sweeps it
    with tree_lock(reported / "data" / "processed", reports) as done:
        assert any(work[0] in line and "còn sót" in line for line in done)
    _intact(reported, before)


def test_two_runs_sharing_a_reports_folder_cannot_break_each_other(reported, tmp_path):
    # One project run twice with different processed folders: before, the second swept
    # the first's work folder as "a leftover" and the first failed with FileNotFoundError.
    first = Run(reported)
    first.wait_for_line(f"[{PERIOD}] 30-briefing")  # the first holds a work folder now
    second = Run(reported, "--processed-dir", str(tmp_path / "other-processed"))
    code, err = second.finish(timeout=120)
    assert code == 2 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert f"{reported / 'reports'}: đang có một lần chạy khác (PID {first.pid}, " in err
    assert f"nq57 run {PERIOD}" in err
    code, err = first.finish()
    assert code == 0 and "FileNotFoundError" not in err, err
    assert (reported / "reports" / PERIOD / f"bao-cao-{PERIOD}.pdf").is_file()
    assert _hidden(reported / "reports") == []


def test_recovery_sweeps_only_folders_whose_maker_has_ended(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    maker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from nq57lib.core.atomic import make_staging\n"
            "print(make_staging(Path(sys.argv[1]) / '2026-Q3', kind='.work-'), flush=True)\n"
            "time.sleep(600)\n",
            str(reports),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        live = Path(maker.stdout.readline().strip())
        record = json.loads((live / OWNER_FILE).read_text(encoding="utf-8"))
        assert record["pid"] == maker.pid and live.name.startswith(f".2026-Q3.work-{maker.pid}-")
        # A record naming a live PID that started at another time: that PID was reused.
        reused = reports / f".2026-Q2.work-{os.getpid()}-r3us3d"
        reused.mkdir()
        (reused / OWNER_FILE).write_text(
            json.dumps({**record, "pid": os.getpid(), "start": 1}), encoding="utf-8"
        )
        elsewhere = reports / ".2026-Q1.staging-1-h0st"  # another machine's: not provable
        elsewhere.mkdir()
        (elsewhere / OWNER_FILE).write_text(
            json.dumps({**record, "host": "another-host"}), encoding="utf-8"
        )
        done = recover(reports)
        assert sorted(p.name for p in reports.iterdir()) == [elsewhere.name, live.name]
        assert len(done) == 1 and reused.name in done[0]
        maker.kill()
        maker.wait(10)
        assert [line.split(": ")[1] for line in recover(reports)] == [str(live)]
    finally:
        if maker.poll() is None:
            maker.kill()
            maker.wait()
        maker.stdout.close()
