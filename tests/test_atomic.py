import pandas as pd
import pytest

from nq57lib.core.atomic import atomic_dir, atomic_path, write_csv_atomic


def test_failed_file_write_keeps_previous_content(tmp_path):
    target = tmp_path / "status.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["status.csv"]


def test_failed_dir_build_keeps_previous_folder(tmp_path):
    target = tmp_path / "2026-Q3"
    target.mkdir()
    (target / "report.html").write_text("previous", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_dir(target) as staging:
        (staging / "report.html").write_text("partial", encoding="utf-8")
        raise RuntimeError("cell failed")
    assert (target / "report.html").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-Q3"]


def test_successful_dir_build_replaces_folder(tmp_path):
    target = tmp_path / "2026-Q3"
    target.mkdir()
    (target / "stale.txt").write_text("x", encoding="utf-8")
    with atomic_dir(target) as staging:
        (staging / "report.html").write_text("new", encoding="utf-8")
    assert sorted(p.name for p in target.iterdir()) == ["report.html"]


def test_csv_uses_dot_decimals_and_empty_missing(tmp_path):
    frame = pd.DataFrame({"value": [80.5, None], "flag": ["true", "false"]})
    path = write_csv_atomic(frame, tmp_path / "out.csv")
    assert path.read_text(encoding="utf-8") == "value,flag\n80.5,true\n,false\n"


def test_outputs_get_ordinary_permissions_not_private_temp_ones(tmp_path):
    import os

    old = os.umask(0o022)
    try:
        with atomic_dir(tmp_path / "report") as staging:
            (staging / "a.txt").write_text("x", encoding="utf-8")
        write_csv_atomic(pd.DataFrame({"a": [1]}), tmp_path / "report.csv")
    finally:
        os.umask(old)
    assert (tmp_path / "report").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "report.csv").stat().st_mode & 0o777 == 0o644


def test_a_system_refusal_names_undecodable_paths_as_every_other_message_does():
    import errno
    import os

    from nq57lib.core.errors import os_error_text

    bad = os.fsdecode(b"/du-lieu/kinh-te-\xff.xlsx")
    error = OSError(errno.EXDEV, "Invalid cross-device link", bad, None, bad + ".moi")
    text = os_error_text(error)
    assert text == (
        "/du-lieu/kinh-te-\\xff.xlsx → /du-lieu/kinh-te-\\xff.xlsx.moi: Invalid cross-device link"
    )
    text.encode("utf-8")  # prints and writes without an error
