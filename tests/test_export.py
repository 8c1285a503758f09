"""The ward's standard export (reports/<P>/du-lieu/): valid against its own Table Schema
(frictionless), and its counts are the briefing's."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest
from example import EXAMPLE

from nq57lib.assess.compare import compare_period
from nq57lib.collect.ingest import clean_period
from nq57lib.report.briefing import opening
from nq57lib.report.data import load_briefing_data
from nq57lib.report.export import write_export

frictionless = pytest.importorskip("frictionless")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("export")
    project = EXAMPLE.with_paths(processed_dir=root / "processed")
    for period in ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"):
        clean_period(project, period)
    compare_period(project, "2026-Q3")
    data = load_briefing_data(project, "2026-Q3")
    write_export(data, root / "du-lieu", date(2026, 10, 6))
    return data, root / "du-lieu"


def test_the_export_is_a_valid_data_package(exported):
    _, folder = exported
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])
    assert sorted(t.name for t in report.tasks) == ["chi-tieu", "nhiem-vu"]


def test_the_export_counts_what_the_briefing_counts(exported):
    data, folder = exported
    indicators = pd.read_csv(folder / "chi-tieu.csv", dtype=str, keep_default_na=False)
    tasks = pd.read_csv(folder / "nhiem-vu.csv", dtype=str, keep_default_na=False)
    page1 = re.sub(r"<[^>]+>", " ", opening(data).data)
    # "Kế hoạch có 52 chỉ tiêu: 19 … đã đạt hoặc đúng tiến độ (đã đạt 6) …"
    total = int(re.search(r"Kế hoạch có (\d+) chỉ tiêu", page1).group(1))
    achieved = int(re.search(r"đã đạt (\d+)\)", page1).group(1))
    assert len(indicators) == total
    assert (indicators["status"] == "achieved").sum() == achieved
    # "Trong 49 nhiệm vụ đã phân công, 7 nhiệm vụ đã hoàn thành, 5 … quá hạn chưa hoàn thành"
    said = re.search(r"Trong (\d+) nhiệm vụ đã phân công, (\d+) nhiệm vụ đã hoàn thành, (\d+)",
                     page1)  # fmt: skip
    assigned, done, late = (int(g) for g in said.groups())
    assert len(tasks) == assigned
    assert tasks["category"].isin(["completed_on_time", "completed_late"]).sum() == done
    assert (tasks["category"] == "open_overdue").sum() == late
    # every row says whose and when; a value carries the cell it came from
    assert set(indicators["ward_code"]) == {"phuong-hong-bang"}
    assert set(indicators["cutoff"]) == {"2026-09-30"}
    valued = indicators[indicators["value_period"] == "2026-Q3"]
    assert len(valued) > 0 and (valued["source_cell"] != "").all()
    fiveg = indicators.set_index("indicator_id").loc["coverage_5g"]
    assert (fiveg["value"], fiveg["source_file"], fiveg["source_cell"]) == (
        "88.0", "2026-Q3/kinh-te.xlsx", "D6",
    )  # fmt: skip


def test_the_shared_indicators_carry_their_national_code(exported):
    _, folder = exported
    indicators = pd.read_csv(folder / "chi-tieu.csv", dtype=str, keep_default_na=False)
    codes = indicators.set_index("indicator_id")["national_code"]
    # NQ 03/NQ-CP Phụ lục I: 23.4 the 5G coverage, 17 the budget share, 11.2 full-process
    # online services; kept as text ("11.10" is not "11.1")
    assert codes["coverage_5g"] == "23.4"
    assert codes["budget_share_stid"] == "17"
    assert codes["full_online_public_services"] == "11.2"
