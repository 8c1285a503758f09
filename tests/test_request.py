"""One run request: made once, shared by a single run and a batch, never changed by the
run; progress through logging, to the screen and into each period's run.json."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
from datetime import date

import pytest
from example import EXAMPLE
from test_pipeline import _workspace

from nq57lib import cli
from nq57lib.core.errors import EngineUnavailableError, ValidationError
from nq57lib.core.periods import Period
from nq57lib.run.pipeline import run_pipeline
from nq57lib.run.request import RunRequest


def _request(argv: list[str]) -> RunRequest:
    return cli._run_request(cli.build_parser().parse_args(argv))


def test_a_single_run_and_a_batch_build_the_same_request(tmp_path):
    options = ["--period", "2026-Q3", "2026-Q2", "--formats", "html, PDF", "--as-of",
               "2026-09-14", "--fresh", "--render-processes", "1"]  # fmt: skip
    single = _request(["run", *options])
    batch = _request(["run", *options, "--projects", str(tmp_path / "a"), str(tmp_path / "b")])
    assert single == batch
    assert single.periods == (Period.parse("2026-Q2"), Period.parse("2026-Q3"))
    assert single.formats == ("html", "pdf")
    assert single.as_of == date(2026, 9, 14)
    assert single.reuse is False and single.render_processes == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        single.formats = ("html",)


def test_every_problem_of_a_request_is_named_at_once():
    with pytest.raises(ValidationError) as caught:
        RunRequest.make(["quý năm"], ["docx"], as_of="14/09/2026")
    text = str(caught.value)
    assert caught.value.subject == "the run request" and len(caught.value.problems) == 3
    assert "quý năm" in text and "'docx'" in text and "14/09/2026" in text


def test_a_pdf_left_out_is_a_result_the_request_stays_as_asked(tmp_path, monkeypatch, caplog):
    from nq57lib.report import render

    def no_pango(engine):
        raise EngineUnavailableError(engine, "the Pango library is missing")

    monkeypatch.setattr(render, "check_engine", no_pango)
    dirs = _workspace(tmp_path)
    project = EXAMPLE.with_paths(
        raw_dir=dirs["raw_dir"], processed_dir=dirs["processed_dir"],
        reports_dir=dirs["reports_dir"],
    )  # fmt: skip
    request = RunRequest.make(
        ["2026-Q3"], ["html", "pdf"], notebooks_dir=dirs["notebooks_dir"], render_processes=0
    )
    asked = dataclasses.replace(request)
    screen = io.StringIO()
    with caplog.at_level(logging.INFO, logger="nq57.run"):
        result = run_pipeline(project, request, progress=screen)
    assert result.ok and "pdf" in result.skipped
    assert request == asked and request.formats == ("html", "pdf")
    lines = screen.getvalue().splitlines()
    assert "[2026-Q3] 10-clean …" in lines and "[2026-Q3] render html (weasyprint) …" in lines
    assert any(line.startswith("WARNING: no PDF this run") for line in lines)
    # The same lines reach an application's logging, as records of the nq57.run logger.
    assert [r.getMessage() for r in caplog.records] == lines
    assert {r.levelname for r in caplog.records} == {"INFO", "WARNING"}
    # run.json keeps the period's own lines, in order (the last one is written after it).
    record = json.loads((dirs["reports_dir"] / "2026-Q3" / "run.json").read_text("utf-8"))
    assert record["log"] == [line for line in lines if line.startswith("[2026-Q3]")][:-1]
    assert record["log"][0] == "[2026-Q3] 10-clean …"
    assert record["formats"] == ["html"] and record["skipped"] == result.skipped
