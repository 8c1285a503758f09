"""The one-command pipeline: parameter validation, end-to-end rendering, failures kept apart.

The runs use fixture notebooks for cleaning and comparison (tests/fixtures/notebooks) and
the real notebooks/30-briefing.ipynb over the hand-written period in tests/fixtures/briefing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import unicodedata
from pathlib import Path

import nbformat
import pytest
from conftest import PANGO, build_briefing_processed, requires_pango
from example import EXAMPLE, run_example
from openpyxl import Workbook
from pypdf import PdfReader

from nq57lib import cli
from nq57lib.core import config
from nq57lib.core.errors import (
    InputMissingError,
    NotebookExecutionError,
    ParameterError,
    ValidationError,
)
from nq57lib.run.params import check_parameters, notebook_parameters

HERE = Path(__file__).parent
NOTEBOOKS = HERE / "fixtures" / "notebooks"
BRIEFING_NOTEBOOK = config.NOTEBOOKS_DIR / "30-briefing.ipynb"
TITLE = "Kết quả thực hiện Kế hoạch số 106/KH-UBND"


def _workspace(tmp_path: Path, compare: str = "compare-ok.ipynb", briefing: Path | None = None):
    """Raw and processed folders for 2026-Q3 and a notebooks folder with the chosen steps."""
    (tmp_path / "raw" / "2026-Q3").mkdir(parents=True)
    (tmp_path / "raw" / "2026-Q3" / "don-vi.xlsx").write_bytes(b"stand-in workbook")
    build_briefing_processed(tmp_path / "processed")
    book = Workbook()
    book.active["A1"] = "Phụ lục"
    book.save(tmp_path / "processed" / "2026-Q3" / "status.xlsx")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(NOTEBOOKS / "clean-ok.ipynb", notebooks / "10-clean.ipynb")
    shutil.copy(NOTEBOOKS / compare, notebooks / "20-compare.ipynb")
    shutil.copy(briefing or BRIEFING_NOTEBOOK, notebooks / "30-briefing.ipynb")
    return {
        "raw_dir": tmp_path / "raw",
        "processed_dir": tmp_path / "processed",
        "reports_dir": tmp_path / "reports",
        "notebooks_dir": notebooks,
    }


def _sha(path: Path) -> str:
    """A file's hash; a folder's (the export, du-lieu/) is that of its files, in order."""
    if path.is_dir():
        return hashlib.sha256("".join(_sha(p) for p in sorted(path.iterdir())).encode()).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def good_run(tmp_path_factory):
    dirs = _workspace(tmp_path_factory.mktemp("good"))
    result = run_example(["2026-Q3"], formats=["html", "pdf", "xlsx"], progress=False, **dirs)
    return result, dirs


# ── parameters ──────────────────────────────────────────────────────────────


def test_missing_parameter_is_rejected():
    with pytest.raises(ParameterError) as error:
        check_parameters(NOTEBOOKS / "extra-param.ipynb", ["project", "period", "processed_dir"])
    assert error.value.missing == ["baseline"] and error.value.unknown == []
    assert str(error.value) == "extra-param.ipynb: missing parameter(s) baseline"


def test_unknown_parameter_is_rejected():
    with pytest.raises(ParameterError) as error:
        check_parameters(
            NOTEBOOKS / "clean-ok.ipynb",
            ["project", "period", "raw_dir", "processed_dir", "dry_run"],
        )
    assert error.value.unknown == ["dry_run"] and error.value.missing == []


def test_parameter_line_papermill_cannot_parse_still_counts(tmp_path):
    cell = nbformat.v4.new_code_cell('raw_dir: str = ""  # "" = data/raw\nperiod: str = "2026-Q3"')
    cell.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    assert set(notebook_parameters(path)) == {"raw_dir", "period"}


def test_notebook_without_kernel_is_a_validation_error(tmp_path):
    cell = nbformat.v4.new_code_cell('period: str = "2026-Q3"  # reporting period')
    cell.metadata["tags"] = ["parameters"]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    with pytest.raises(ValidationError, match=r"nb\.ipynb"):
        notebook_parameters(path)


def test_pipeline_validates_every_notebook_before_running_any(tmp_path):
    dirs = _workspace(tmp_path, compare="extra-param.ipynb")
    with pytest.raises(
        ParameterError,
        match=r"20-compare\.ipynb: unknown parameter\(s\) draw_charts; "
        r"missing parameter\(s\) baseline",
    ):
        run_example(["2026-Q3"], formats=["html"], progress=False, **dirs)
    assert not any(dirs["reports_dir"].glob("*/*.ipynb"))


def test_bad_request_fails_before_running(tmp_path):
    dirs = _workspace(tmp_path)
    with pytest.raises(ValidationError, match="--formats"):
        run_example(["2026-Q3"], formats=["html", "docx"], progress=False, **dirs)
    with pytest.raises(ValidationError, match="--period"):
        run_example(["2026-Q3", "quý năm"], formats=["html"], progress=False, **dirs)
    with pytest.raises(InputMissingError, match="2025-Q4"):
        run_example(["2025-Q4"], formats=["html"], progress=False, **dirs)


# ── a good run ──────────────────────────────────────────────────────────────


def test_good_run_writes_report_folder(good_run):
    result, dirs = good_run
    assert result.ok, result.summary_text()
    folder = dirs["reports_dir"] / "2026-Q3"
    assert result.periods[0].report_dir == folder
    expected = [
        "10-clean.ipynb",
        "20-compare.ipynb",
        "30-briefing.ipynb",
        "bao-cao-2026-Q3.html",
        "bao-cao-2026-Q3.pdf",
        "du-lieu",  # the ward's standard export (tests/test_export.py)
        "phu-luc-2026-Q3.xlsx",
        "run.json",
    ]
    if not PANGO:  # no PDF engine: the run still succeeds without the PDF, and says so
        expected.remove("bao-cao-2026-Q3.pdf")
        assert "pdf" in result.skipped
    assert sorted(p.name for p in folder.iterdir()) == expected
    # Readable as any folder made here is (the work folder it was built in was private).
    umask = os.umask(0)
    os.umask(umask)
    assert folder.stat().st_mode & 0o777 == 0o777 & ~umask
    # No staging or work folder is left beside the report (the lock file stays).
    assert sorted(p.name for p in dirs["reports_dir"].iterdir()) == [config.LOCK_FILE, "2026-Q3"]
    assert "1/1 kỳ thành công" in result.summary_text()


@requires_pango
def test_pdf_has_title_with_diacritics_and_every_area_heading(good_run):
    _, dirs = good_run
    reader = PdfReader(dirs["reports_dir"] / "2026-Q3" / "bao-cao-2026-Q3.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert unicodedata.is_normalized("NFC", text)
    assert TITLE in text and "BÁO CÁO" in text and "Quý III năm 2026" in text
    # Areas in full, numbered under "1. Kết quả thực hiện các chỉ tiêu", never as bare letters.
    for number, name in enumerate(EXAMPLE.areas.values(), start=1):
        assert f"1.{number}. {name}" in text
    for number in range(1, len(reader.pages) + 1):
        assert f"Trang {number}/{len(reader.pages)}" in text
    assert reader.metadata.title == f"Báo cáo quý III năm 2026 — {TITLE}"


def test_html_report_is_self_contained(good_run):
    _, dirs = good_run
    html = (dirs["reports_dir"] / "2026-Q3" / "bao-cao-2026-Q3.html").read_text(encoding="utf-8")
    assert TITLE in html and "<script" not in html
    without_images = html.split("data:image/png;base64,")
    assert "http" not in without_images[0]
    assert all("http" not in part.split('"', 1)[1] for part in without_images[1:])
    assert "briefing.summary(data)" not in html  # code is never shown


def test_run_json_records_inputs_versions_and_timings(good_run):
    _, dirs = good_run
    record = json.loads((dirs["reports_dir"] / "2026-Q3" / "run.json").read_text("utf-8"))
    assert record["outcome"] == "ok" and record["error"] is None
    assert [s["step"] for s in record["steps"]] == [
        "10-clean",
        "20-compare",
        "30-briefing",
        "render",
    ]
    assert all(s["seconds"] > 0 for s in record["steps"])
    raw = dirs["raw_dir"] / "2026-Q3" / "don-vi.xlsx"
    assert record["inputs"]["raw"] == {str(raw.resolve()): _sha(raw)}
    # The earlier periods' tables feed the comparison: each file is an input, with its hash.
    earlier = [
        table
        for period in ("2025-Q4", "2026-Q1", "2026-Q2")
        for table in sorted((dirs["processed_dir"] / period).iterdir())
    ]
    assert ("2025-Q4", "observations.csv") in [t.parts[-2:] for t in earlier]
    assert record["inputs"]["earlier_processed"] == {str(t.resolve()): _sha(t) for t in earlier}
    # The assignment register is read by cleaning (this workspace has none).
    assert record["inputs"]["register"] == {}
    assert record["parameters"]["30-briefing"] == {
        "project": str(EXAMPLE.root),
        "period": "2026-Q3",
        "report_period": "",  # a quarterly report reads its own quarter
        "issuer": "",  # the People's Committee's report
        "as_of": "",
        "raw_dir": str(dirs["raw_dir"].resolve()),
        "processed_dir": str(dirs["processed_dir"].resolve()),
        "illustrative": False,
    }
    assert record["versions"]["papermill"] and record["versions"]["weasyprint"]


# ── failures ────────────────────────────────────────────────────────────────


def test_failing_notebook_keeps_previous_report_and_names_the_cell(good_run, tmp_path):
    _, dirs = good_run
    folder = dirs["reports_dir"] / "2026-Q3"
    before = {p.name: _sha(p) for p in folder.iterdir()}
    shutil.copy(NOTEBOOKS / "raises.ipynb", dirs["notebooks_dir"] / "20-compare.ipynb")
    try:
        failed = run_example(["2026-Q3"], formats=["html", "pdf"], progress=False, **dirs)
    finally:
        shutil.copy(NOTEBOOKS / "compare-ok.ipynb", dirs["notebooks_dir"] / "20-compare.ipynb")
    assert not failed.ok
    error = failed.errors[0]
    assert isinstance(error, NotebookExecutionError)
    assert (error.notebook, error.cell_index, error.ename) == ("20-compare.ipynb", 3, "ValueError")
    assert "illustrative failure for 2026-Q3" in str(error)
    # The previous report is untouched, byte for byte.
    assert {p.name: _sha(p) for p in folder.iterdir()} == before
    kept = dirs["reports_dir"] / "_failed" / "2026-Q3"
    assert error.executed_path == kept / "20-compare.ipynb" and error.executed_path.exists()
    record = json.loads((kept / "run.json").read_text("utf-8"))
    assert record["outcome"] == "failed"
    assert record["error"]["notebook"] == "20-compare.ipynb" and record["error"]["cell_index"] == 3
    # Cleaning read what the good run read: its work was reused, not done again.
    assert [s["outcome"] for s in record["steps"]] == ["reused", "failed"]
    assert "THẤT BẠI" in failed.summary_text() and "được giữ nguyên" in failed.summary_text()
    assert sorted(p.name for p in dirs["reports_dir"].iterdir()) == [
        config.LOCK_FILE,
        "2026-Q3",
        "_failed",
    ]


def test_one_failed_period_does_not_stop_the_next(tmp_path):
    dirs = _workspace(tmp_path)
    (dirs["raw_dir"] / "2026-Q2").mkdir()
    (dirs["processed_dir"] / "2026-Q2" / "status.csv").unlink()
    # 2026-Q2 has no status.csv: the fixture comparison step fails there, 2026-Q3 still runs.
    result = run_example(["2026-Q3", "2026-Q2"], formats=["html"], progress=False, **dirs)
    assert [p.period.code for p in result.periods] == ["2026-Q2", "2026-Q3"]
    assert [p.ok for p in result.periods] == [False, True]
    error = result.periods[0].error
    assert error.notebook == "20-compare.ipynb" and error.ename == "AssertionError"
    assert (dirs["reports_dir"] / "2026-Q3" / "bao-cao-2026-Q3.html").exists()
    assert not (dirs["reports_dir"] / "2026-Q2").exists()


def test_notebooks_do_not_see_each_others_variables(tmp_path):
    dirs = _workspace(tmp_path, briefing=NOTEBOOKS / "no-leak.ipynb")
    result = run_example(["2026-Q3"], formats=["html"], progress=False, **dirs)
    assert result.ok, result.summary_text()


def test_cli_exit_code_and_message_for_a_failing_cell(tmp_path, monkeypatch, capsys):
    dirs = _workspace(tmp_path, compare="raises.ipynb")
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", dirs["notebooks_dir"])
    code = cli.main(
        [
            "run",
            "--period",
            "2026-Q3",
            "--raw-dir",
            str(dirs["raw_dir"]),
            "--processed-dir",
            str(dirs["processed_dir"]),
            "--reports-dir",
            str(dirs["reports_dir"]),
            "--formats",
            "html",
        ]
    )
    out = capsys.readouterr()
    assert code == 1
    assert "20-compare.ipynb failed in cell 3: ValueError" in out.out
    assert "[2026-Q3] 20-compare …" in out.err  # plain step lines for the log


def test_cli_missing_raw_folder_is_a_message_not_a_traceback(tmp_path, capsys):
    code = cli.main(["run", "--period", "2026-Q3", "--raw-dir", str(tmp_path), "--formats", "html"])
    err = capsys.readouterr().err
    assert code == 2
    assert "nq57 run:" in err and "2026-Q3 not found" in err and "Traceback" not in err


def _moved(raw: Path, processed: Path):
    return EXAMPLE.with_paths(raw_dir=raw, processed_dir=processed)


def test_history_missing_or_older_than_its_workbooks_is_cleaned_again(tmp_path):
    import os

    from nq57lib.core.periods import Period
    from nq57lib.run.request import stale_history as _stale_history

    raw, processed = tmp_path / "raw", tmp_path / "processed"
    for code in ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"):
        (raw / code).mkdir(parents=True)
        (raw / code / "unit.xlsx").write_bytes(b"x")
    (raw / "plan").mkdir()
    for code, age in (("2025-Q4", 0), ("2026-Q1", -100)):
        done = processed / code / "observations.csv"
        done.parent.mkdir(parents=True)
        done.write_text("period\n", encoding="utf-8")
        # 2026-Q1's table predates a resubmitted workbook.
        stamp = (raw / code / "unit.xlsx").stat().st_mtime + age
        os.utime(done, (stamp, stamp))
    stale = _stale_history(
        [Period.parse("2026-Q3")], EXAMPLE.with_paths(raw_dir=raw, processed_dir=processed)
    )
    # 2025-Q4 is fresh, 2026-Q1 stale, 2026-Q2 never cleaned; Q3 is the run's own, Q4 later.
    assert [p.code for p in stale] == ["2026-Q1", "2026-Q2"]


@pytest.mark.parametrize("edited", ["registry_path", "units_path", "plan_path"])
def test_editing_the_registry_units_or_plan_cleans_earlier_periods_again(
    tmp_path, monkeypatch, edited
):
    import os

    from nq57lib.core.periods import Period
    from nq57lib.run.request import stale_history as _stale_history

    raw, processed = tmp_path / "raw", tmp_path / "processed"
    for code in ("2026-Q2", "2026-Q3"):
        (raw / code).mkdir(parents=True)
        (raw / code / "unit.xlsx").write_bytes(b"x")
    done = processed / "2026-Q2" / "observations.csv"
    done.parent.mkdir(parents=True)
    done.write_text("period\n", encoding="utf-8")
    stamp = (raw / "2026-Q2" / "unit.xlsx").stat().st_mtime + 100
    os.utime(done, (stamp, stamp))
    shared = {}
    for name in ("registry_path", "units_path", "plan_path"):
        shared[name] = tmp_path / f"{name}.txt"
        shared[name].write_text("x", encoding="utf-8")
        os.utime(shared[name], (stamp - 50, stamp - 50))
    project = dataclasses.replace(EXAMPLE, raw_dir=raw, processed_dir=processed, **shared)
    assert _stale_history([Period.parse("2026-Q3")], project) == []
    os.utime(shared[edited], (stamp + 50, stamp + 50))  # edited after 2026-Q2 was cleaned
    assert _stale_history([Period.parse("2026-Q3")], project) == [Period.parse("2026-Q2")]


def test_missing_pdf_engine_still_gives_the_html_briefing_and_says_why(tmp_path, monkeypatch):
    from nq57lib.core.errors import EngineUnavailableError
    from nq57lib.report import render

    def no_pango(engine):
        raise EngineUnavailableError(engine, "the Pango library is missing")

    monkeypatch.setattr(render, "check_engine", no_pango)
    dirs = _workspace(tmp_path)
    # Rendering in this process: the patched check is the one the run consults.
    result = run_example(
        ["2026-Q3"], formats=["html", "pdf"], progress=False, render_processes=0, **dirs
    )
    assert result.ok
    report = dirs["reports_dir"] / "2026-Q3"
    assert sorted(p.suffix for p in report.glob("bao-cao-*")) == [".html"]
    record = json.loads((report / "run.json").read_text(encoding="utf-8"))
    assert record["skipped"] == {
        "pdf": "Cannot render pdf: engine 'weasyprint' is not available — "
        "the Pango library is missing"
    }
    assert "! Không tạo PDF: Cannot render pdf: engine 'weasyprint'" in result.summary_text()


def test_without_pango_the_render_processes_still_give_the_html_briefing(tmp_path, monkeypatch):
    # WeasyPrint on a system without Pango, in the render processes the run starts.
    fake = tmp_path / "site" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        "raise OSError(\"cannot load library 'libpango-1.0-0'\")\n", encoding="utf-8"
    )
    monkeypatch.setenv("PYTHONPATH", str(fake.parent))
    dirs = _workspace(tmp_path)
    result = run_example(["2026-Q3"], formats=["html", "pdf"], progress=False, **dirs)
    assert result.ok
    report = dirs["reports_dir"] / "2026-Q3"
    assert sorted(p.suffix for p in report.glob("bao-cao-*")) == [".html"]
    assert "libpango" in result.skipped["pdf"]
    record = json.loads((report / "run.json").read_text(encoding="utf-8"))
    assert record["skipped"] == result.skipped


def test_an_amended_register_cleans_the_history_again(tmp_path):
    import os

    from nq57lib.core.periods import Period
    from nq57lib.run.request import stale_history as _stale_history

    raw, processed = tmp_path / "raw", tmp_path / "processed"
    for code in ("2026-Q1", "2026-Q2", "2026-Q3"):
        (raw / code).mkdir(parents=True)
        (raw / code / "unit.xlsx").write_bytes(b"x")
        done = processed / code / "observations.csv"
        done.parent.mkdir(parents=True)
        done.write_text("period\n", encoding="utf-8")
    (raw / "phan-cong").mkdir()
    register = raw / "phan-cong" / "phan-cong.xlsx"
    register.write_bytes(b"x")
    later = (processed / "2026-Q1" / "observations.csv").stat().st_mtime + 100
    os.utime(register, (later - 200, later - 200))  # older than every processed table
    assert (
        _stale_history(
            [Period.parse("2026-Q3")], EXAMPLE.with_paths(raw_dir=raw, processed_dir=processed)
        )
        == []
    )
    os.utime(register, (later, later))  # the ward office amended the register since
    stale = _stale_history(
        [Period.parse("2026-Q3")], EXAMPLE.with_paths(raw_dir=raw, processed_dir=processed)
    )
    assert [p.code for p in stale] == ["2026-Q1", "2026-Q2"]
