"""Two wards in one process: each reads only its own files, whatever ran before it.

nq57 keeps no current project: every stage is handed the project it works on, and what it
caches is keyed by the files' content. Here two wards whose registries differ (one names
an indicator in its own words) are cleaned, compared and briefed in one process, in both
orders, and then in one batch run (one shared kernel) in both orders; each ward's tables
are the same byte for byte whichever went first, and each carries its own names only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from example import EXAMPLE

from nq57lib.assess.compare import compare_period
from nq57lib.collect.ingest import clean_period
from nq57lib.core.project import Project
from nq57lib.report.briefing import load_briefing_data, results
from nq57lib.run.batch import run_batch
from nq57lib.run.request import RunRequest

PERIOD = "2026-Q3"
RENAMED = "vneid_residents"
OWN_NAME = "Tỷ lệ người dân có tài khoản VNeID (cách gọi của phường Lê Chân)"
TABLES = ("observations.csv", "quarantine.csv", "status.csv", "status_history.csv")


def _ward(folder: Path, name: str, own_registry: bool) -> Project:
    """The example's profile, plan and workbooks under another name; with
    ``own_registry``, a copy of the registry in which one indicator has another name."""
    text = (EXAMPLE.root / "ward.yaml").read_text(encoding="utf-8")
    text = text.replace("  name: Hồng Bàng ", f"  name: {name} ")
    text = text.replace("    - PHƯỜNG HỒNG BÀNG", f"    - PHƯỜNG {name.upper()}")
    if own_registry:
        registry = EXAMPLE.registry_path.read_text(encoding="utf-8")
        start = registry.index(f"  - id: {RENAMED}\n")
        line_start = registry.index("    name_vi: ", start)
        line_end = registry.index("\n", line_start)
        registry = registry[:line_start] + f"    name_vi: {OWN_NAME}" + registry[line_end:]
        folder.mkdir(parents=True)
        (folder / "indicators.yaml").write_text(registry, encoding="utf-8")
        text = text.replace("paths:\n", "paths:\n  registry: indicators.yaml\n", 1)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ward.yaml").write_text(text, encoding="utf-8")
    shutil.copytree(EXAMPLE.raw_dir, folder / "data" / "raw")
    return Project.load(folder)


def _outputs(project: Project) -> dict[str, bytes]:
    folder = project.processed_dir / PERIOD
    return {name: (folder / name).read_bytes() for name in TABLES}


def _in_process(root: Path, order: tuple[str, ...]) -> dict[str, dict[str, bytes]]:
    wards = {
        "hong-bang": _ward(root / "hong-bang", "Hồng Bàng", own_registry=False),
        "le-chan": _ward(root / "le-chan", "Lê Chân", own_registry=True),
    }
    shown = {}
    for key in order:
        project = wards[key]
        for code in ("2025-Q4", "2026-Q1", "2026-Q2", PERIOD):
            clean_period(project, code)
        compare_period(project, PERIOD)
        shown[key] = results(load_briefing_data(project, PERIOD)).data
    return {key: {**_outputs(p), "results.html": shown[key].encode()} for key, p in wards.items()}


def test_two_wards_in_one_process_give_the_same_tables_in_either_order(tmp_path):
    first = _in_process(tmp_path / "a", ("hong-bang", "le-chan"))
    second = _in_process(tmp_path / "b", ("le-chan", "hong-bang"))
    for ward in ("hong-bang", "le-chan"):
        for name in (*TABLES, "results.html"):
            assert first[ward][name] == second[ward][name], (ward, name)
    # Each ward's registry reached its own tables only.
    assert OWN_NAME.encode() in first["le-chan"]["status.csv"]
    assert OWN_NAME.encode() not in first["hong-bang"]["status.csv"]
    assert OWN_NAME.encode() not in second["hong-bang"]["status.csv"]


def _batch(root: Path, order: tuple[str, ...]) -> dict[str, dict[str, bytes]]:
    wards = {
        "hong-bang": _ward(root / "hong-bang", "Hồng Bàng", own_registry=False),
        "le-chan": _ward(root / "le-chan", "Lê Chân", own_registry=True),
    }
    request = RunRequest.make([PERIOD], ["html"])
    done = run_batch([wards[key].root for key in order], request, progress=False)
    assert done.exit_code == 0, done.summary_text()
    out = {}
    for key, project in wards.items():
        html = project.reports_dir / PERIOD / f"bao-cao-{PERIOD}.html"
        out[key] = {**_outputs(project), "html": html.read_bytes()}
    return out


@pytest.mark.parametrize("order", [("hong-bang", "le-chan"), ("le-chan", "hong-bang")])
def test_a_batch_gives_each_ward_its_own_report_in_either_order(tmp_path, order):
    ran = _batch(tmp_path, order)
    alone = _in_process(tmp_path / "alone", ("hong-bang", "le-chan"))
    for ward in ("hong-bang", "le-chan"):
        for name in TABLES:
            assert ran[ward][name] == alone[ward][name], (ward, name)
    assert "PHƯỜNG LÊ CHÂN".encode() in ran["le-chan"]["html"]
    assert "PHƯỜNG LÊ CHÂN".encode() not in ran["hong-bang"]["html"]
    assert OWN_NAME.encode() in ran["le-chan"]["html"]
    assert OWN_NAME.encode() not in ran["hong-bang"]["html"]
