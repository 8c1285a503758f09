"""House rules for every source notebook: thin, parameterised, committed without outputs."""

from __future__ import annotations

import ast
import json

import pandas as pd
import papermill
import pytest
from example import EXAMPLE

from nq57lib.core import config

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))


def test_the_pipeline_notebooks_and_the_explorer_are_there():
    assert [p.name for p in NOTEBOOKS] == [
        "00-targets.ipynb",
        "10-clean.ipynb",
        "20-compare.ipynb",
        "30-briefing.ipynb",
        "40-explore.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert [(c["execution_count"], c["outputs"]) for c in code] == [(None, [])] * len(code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_of_annotated_literals_with_help(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    tagged = [c for c in cells if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    lines = "".join(tagged[0]["source"]).splitlines()
    for line in lines:
        statement = ast.parse(line).body[0]
        assert isinstance(statement, ast.AnnAssign), line
        assert isinstance(statement.value, ast.Constant), line
        assert "  # " in line, f"no help comment: {line}"
    # Papermill must see every parameter (it skips lines whose comment holds '=').
    assert len(papermill.inspect_notebook(str(path))) == len(lines)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_function_definitions_or_path_hacks(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "def " not in source
    assert "sys.path" not in source


def _images(nb) -> int:
    return sum(
        "image/png" in output.get("data", {})
        for cell in nb.cells
        for output in cell.get("outputs", [])
    )


def test_targets_notebook_runs_and_draws_the_milestone_paths(tmp_path):
    out = tmp_path / "00-targets.ipynb"
    nb = papermill.execute_notebook(
        str(config.NOTEBOOKS_DIR / "00-targets.ipynb"), str(out), progress_bar=False
    )
    assert _images(nb) == 1  # the small multiples of every indicator's milestone path
    shown = json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)
    assert "vneid_residents" in shown and "Tổng" in shown


def test_compare_notebook_draws_its_charts_when_asked(tmp_path):
    from nq57lib.collect.ingest import clean_period

    for code in ("2026-Q2", "2026-Q3"):
        clean_period(EXAMPLE.with_paths(processed_dir=tmp_path), code)
    out = tmp_path / "20-compare.ipynb"
    nb = papermill.execute_notebook(
        str(config.NOTEBOOKS_DIR / "20-compare.ipynb"),
        str(out),
        parameters={"period": "2026-Q3", "processed_dir": str(tmp_path), "draw_charts": True},
        progress_bar=False,
    )
    # The area overview, the largest gaps, and one chart per indicator needing attention
    # (the verdicts' list: the briefing's II.1).
    verdicts = pd.read_csv(tmp_path / "2026-Q3" / "verdicts.csv", keep_default_na=False)
    needing = int((verdicts["attention"].astype(str) == "True").sum())
    assert needing > 6  # more than the six the notebook once cut the list to
    assert _images(nb) == 2 + needing
    assert (tmp_path / "2026-Q3" / "status.csv").is_file()
