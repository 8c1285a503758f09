"""A rerun does not clean or compare again what has not changed, and does when anything has."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from example import EXAMPLE, run_example
from test_pipeline import _workspace

from nq57lib.core import config
from nq57lib.run import reuse
from nq57lib.run.progress import Progress
from nq57lib.run.request import RunRequest
from nq57lib.run.results import PeriodResult
from nq57lib.run.ward import WardRun


def _run(dirs, **options):
    # Rendering in this process: these runs are about the steps before it.
    result = run_example(
        ["2026-Q3"], formats=["html", "xlsx"], progress=False, render_processes=0,
        **dirs, **options,
    )  # fmt: skip
    assert result.ok, result.errors
    return result


def _steps(dirs) -> list[tuple[str, str]]:
    record = json.loads((dirs["reports_dir"] / "2026-Q3" / "run.json").read_text("utf-8"))
    return [(s["step"], s["outcome"]) for s in record["steps"]]


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def ran(tmp_path):
    dirs = _workspace(tmp_path)
    _run(dirs)
    return dirs


def test_a_rerun_reuses_cleaning_and_comparison_and_makes_the_same_report(ran):
    report = ran["reports_dir"] / "2026-Q3"
    first_notebooks = {n: (report / n).read_bytes() for n in ("10-clean.ipynb", "20-compare.ipynb")}
    processed = _digest(ran["processed_dir"] / "2026-Q3")
    html = (report / "bao-cao-2026-Q3.html").read_text("utf-8")
    _run(ran)
    assert _steps(ran) == [
        ("10-clean", "reused"),
        ("20-compare", "reused"),
        ("30-briefing", "ok"),
        ("render", "ok"),
    ]
    # The executed notebooks are those of the run that did the work; tables untouched.
    assert {n: (report / n).read_bytes() for n in first_notebooks} == first_notebooks
    assert _digest(ran["processed_dir"] / "2026-Q3") == processed
    assert (report / "bao-cao-2026-Q3.html").read_text("utf-8") == html


def test_new_unit_data_is_cleaned_again(ran):
    (ran["raw_dir"] / "2026-Q3" / "don-vi.xlsx").write_bytes(b"a unit sent its workbook again")
    _run(ran)
    assert _steps(ran)[:2] == [("10-clean", "ok"), ("20-compare", "reused")]


def test_a_processed_table_changed_since_the_report_runs_both_again(ran):
    table = ran["processed_dir"] / "2026-Q3" / "observations.csv"
    table.write_text(table.read_text("utf-8") + "\n", encoding="utf-8")
    _run(ran)
    assert _steps(ran)[:2] == [("10-clean", "ok"), ("20-compare", "ok")]


def test_an_earlier_period_changed_is_compared_again_but_not_cleaned(ran):
    table = ran["processed_dir"] / "2026-Q2" / "observations.csv"
    table.write_text(table.read_text("utf-8") + "\n", encoding="utf-8")
    _run(ran)
    assert _steps(ran)[:2] == [("10-clean", "reused"), ("20-compare", "ok")]


def test_an_edited_notebook_runs_its_step_again(ran):
    notebook = ran["notebooks_dir"] / "20-compare.ipynb"
    notebook.write_text(notebook.read_text("utf-8").replace("passes", "passes."), "utf-8")
    _run(ran)
    assert _steps(ran)[:2] == [("10-clean", "reused"), ("20-compare", "ok")]


def test_fresh_runs_every_step(ran):
    _run(ran, reuse=False)
    assert [outcome for _, outcome in _steps(ran)] == ["ok", "ok", "ok", "ok"]


def _ward_run(dirs) -> WardRun:
    return WardRun(
        project=EXAMPLE.with_paths(
            raw_dir=dirs["raw_dir"],
            processed_dir=dirs["processed_dir"],
            reports_dir=dirs["reports_dir"],
        ),
        request=RunRequest.make(["2026-Q3"], ["html"], notebooks_dir=dirs["notebooks_dir"]),
        progress=Progress("test"),
        versions={"pandas": "2.2.0"},
    )


def test_the_comparison_is_done_again_on_another_day_cleaning_is_not(tmp_path, monkeypatch):
    dirs = _workspace(tmp_path)
    run, job = _ward_run(dirs), PeriodResult(period=_period())
    before = {step: reuse.fingerprint(step, job, run) for step in reuse.REUSABLE}

    class Tomorrow(date):
        @classmethod
        def today(cls):
            return date(2099, 1, 2)

    monkeypatch.setattr(reuse, "date", Tomorrow)
    after = {step: reuse.fingerprint(step, job, run) for step in reuse.REUSABLE}
    assert after["10-clean"] == before["10-clean"]
    assert after["20-compare"] != before["20-compare"]
    # Another library version changes both.
    run = dataclasses.replace(run, versions={"pandas": "3.0.0"})
    again = {step: reuse.fingerprint(step, job, run) for step in reuse.REUSABLE}
    assert again["10-clean"] != before["10-clean"] and again["20-compare"] != after["20-compare"]


def test_the_code_fingerprint_follows_source_files_but_not_fonts(tmp_path, monkeypatch):
    package = tmp_path / "nq57lib"
    (package / "data" / "fonts").mkdir(parents=True)
    (package / "rules.py").write_text("LIMIT = 1\n", encoding="utf-8")
    (package / "data" / "fonts" / "Font.ttf").write_bytes(b"glyphs")
    monkeypatch.setattr(config, "PACKAGE_DIR", package)
    reuse.code_fingerprint.cache_clear()
    try:
        first = reuse.code_fingerprint()
        reuse.code_fingerprint.cache_clear()
        (package / "data" / "fonts" / "Font.ttf").write_bytes(b"other glyphs")
        assert reuse.code_fingerprint() == first
        reuse.code_fingerprint.cache_clear()
        (package / "rules.py").write_text("LIMIT = 2\n", encoding="utf-8")
        assert reuse.code_fingerprint() != first
    finally:
        reuse.code_fingerprint.cache_clear()


def _period():
    from nq57lib.core.periods import Period

    return Period.parse("2026-Q3")


def test_the_assignment_register_is_an_input_of_cleaning_and_of_run_json(ran):
    register = ran["raw_dir"] / config.REGISTER_DIR / "phan-cong.xlsx"
    register.parent.mkdir()
    register.write_bytes(b"first register")
    _run(ran)
    # (The fixture's cleaning writes the same tables whatever the register says, so the
    # comparison, which reads only those, may be reused: only cleaning is asserted.)
    assert _steps(ran)[0] == ("10-clean", "ok")
    record = json.loads((ran["reports_dir"] / "2026-Q3" / "run.json").read_text("utf-8"))
    assert record["inputs"]["register"] == {
        str(register.resolve()): hashlib.sha256(b"first register").hexdigest()
    }
    _run(ran)
    assert _steps(ran)[0] == ("10-clean", "reused")
    register.write_bytes(b"amended register")
    _run(ran)
    assert _steps(ran)[0] == ("10-clean", "ok")
