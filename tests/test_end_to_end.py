"""The real notebooks on the shipped illustrative workbooks, as `make report` runs them.

Two quarters are copied to a temporary raw folder; only 2026-Q3 is asked for, so the run
must clean 2026-Q2 first (its history) and then judge trends on both.
"""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from nq57lib.core import config
from nq57lib.run.pipeline import run_pipeline


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    for code in ("2026-Q2", "2026-Q3"):
        shutil.copytree(config.DATA_RAW / code, root / "raw" / code)
    result = run_pipeline(
        ["2026-Q3"],
        raw_dir=root / "raw",
        processed_dir=root / "processed",
        reports_dir=root / "reports",
        formats=["html", "xlsx"],
        progress=False,
    )
    return result, root


def test_quarterly_run_on_illustrative_data_succeeds_after_cleaning_its_history(real_run):
    result, root = real_run
    assert result.ok, result.summary_text()
    record = json.loads((root / "reports" / "2026-Q3" / "run.json").read_text("utf-8"))
    assert record["backfilled"] == ["2026-Q2"]
    assert record["illustrative"] is True
    assert record["parameters"]["20-compare"]["draw_charts"] is False
    assert sorted(p.name for p in (root / "reports" / "2026-Q3").iterdir()) == [
        "10-clean.ipynb",
        "20-compare.ipynb",
        "30-briefing.ipynb",
        "bao-cao-2026-Q3.html",
        "phu-luc-2026-Q3.xlsx",
        "run.json",
    ]


def test_statuses_follow_the_two_quarters_of_data(real_run):
    _, root = real_run
    status = pd.read_csv(root / "processed" / "2026-Q3" / "status.csv")
    by_key = status.set_index(["indicator_id", "milestone_year"])
    # VNeID 76 (Q2) → 79 (Q3) toward ≥ 85 by end 2030: observed growth 16,7 %/year against
    # 2,5 %/year required, ratio ≈ 6,65 → on track.
    vneid = by_key.loc[("vneid_residents", 2030)]
    assert (vneid["value"], vneid["baseline"], vneid["status"]) == (79, 76, "on_track")
    assert vneid["progress_ratio"] == pytest.approx(6.65, abs=0.01)
    # Dossiers online 89 % after 2025 against ≥ 90 % by end 2025: overdue.
    assert by_key.loc[("dossiers_online", 2025), "status"] == "overdue"
    # 2025's 100 % of 5G in tourist areas is met: achieved, and nothing later to reach.
    assert by_key.loc[("coverage_5g_hotspots", 2025), "status"] == "achieved"


def test_briefing_html_is_labelled_illustrative_and_titled(real_run):
    _, root = real_run
    html = (root / "reports" / "2026-Q3" / "bao-cao-2026-Q3.html").read_text("utf-8")
    assert "SỐ LIỆU MINH HỌA" in html.upper()
    assert "Quý III năm 2026" in html
    assert "Kết quả thực hiện Kế hoạch số 106/KH-UBND" in html
