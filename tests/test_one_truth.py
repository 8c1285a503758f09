"""One truth: every count, list and judgement of the rendered briefing agrees with the
others (tests/one_truth.py), on the four illustrative periods and on generated scenarios."""

from __future__ import annotations

import dataclasses
import math
import random
import re
import shutil
from datetime import date

import pandas as pd
import pytest
from conftest import requires_pango
from example import EXAMPLE, run_example
from one_truth import Briefing, problems

from nq57lib.assess.verdicts import verdicts
from nq57lib.core.schema import VERDICT_COLUMNS
from nq57lib.report import briefing

PERIODS = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")


@pytest.fixture(scope="module")
def illustrative(tmp_path_factory):
    """``make report`` on a copy: the four illustrative periods, HTML only."""
    root = tmp_path_factory.mktemp("one-truth")
    shutil.copytree(EXAMPLE.raw_dir, root / "raw")
    result = run_example(
        list(PERIODS), raw_dir=root / "raw", processed_dir=root / "processed",
        reports_dir=root / "reports", formats=["html"],
    )  # fmt: skip
    assert result.ok, result.summary_text()
    return root


@pytest.mark.parametrize("period", PERIODS)
def test_the_illustrative_briefings_state_one_truth(illustrative, period):
    html = (illustrative / "reports" / period / f"bao-cao-{period}.html").read_text("utf-8")
    assert problems(html) == []
    brief = Briefing(html)
    verdict = pd.read_csv(illustrative / "processed" / period / "verdicts.csv",
                          keep_default_na=False)  # fmt: skip
    # II.1 is the verdicts' attention list, whole and in rank order.
    needing = verdict[verdict["attention"].astype(str) == "True"]
    needing = needing.sort_values("attention_rank", key=lambda r: r.astype(int))
    assert [i for i, _ in brief.attention] == list(needing["indicator_id"])
    assert sum(brief.status_counts().values()) == len(verdict)


@pytest.mark.parametrize("period", PERIODS)
def test_verdicts_have_one_row_per_tracked_indicator(illustrative, period):
    folder = illustrative / "processed" / period
    verdict = pd.read_csv(folder / "verdicts.csv", keep_default_na=False)
    status = pd.read_csv(folder / "status.csv", keep_default_na=False)
    assert list(verdict.columns) == list(VERDICT_COLUMNS)
    assert list(verdict["indicator_id"]) == list(dict.fromkeys(status["indicator_id"]))
    # Each headline is one of the indicator's own milestone rows, with its status.
    pairs = set(zip(status["indicator_id"], status["milestone_year"], status["status"],
                    strict=True))  # fmt: skip
    assert all(
        (i, y, s) in pairs
        for i, y, s in zip(verdict["indicator_id"], verdict["milestone_year"],
                           verdict["status"], strict=True)
    )  # fmt: skip


def test_in_2026_q3_the_data_centre_is_shown_at_its_current_state(illustrative):
    html = (illustrative / "reports" / "2026-Q3" / "bao-cao-2026-Q3.html").read_text("utf-8")
    assert "Hết hạn 31/12/2025 chưa hoàn thành; nay: đang triển khai." in html
    # Its 2025-Q4 stage is never shown as the current one.
    brief = Briefing(html)
    rows = [r for t in brief.tables("nq57-results") for r in t if r and r[0].startswith(
        "Trung tâm dữ liệu của phường")]  # fmt: skip
    assert rows and all("Chưa triển khai" not in " ".join(r) for r in rows)
    # Targets due in 2045 are "not assessed yet" and owed by nobody.
    assert "chưa đến kỳ đánh giá" in html
    owing = [
        t for t in brief.tables("nq57-quality") if t and t[0][:2] == ["Đơn vị", "Phải báo cáo"]
    ]
    assert owing and all("6G" not in " ".join(r) for r in owing[0])
    # The unit's own year-to-date figure (4) beside nq57's sum of the quarters (2 + 4 + 3),
    # on the indicator's row and in Phụ lục 1, with its cell.
    assert "Đơn vị ghi lũy kế từ đầu năm 4, khác tổng các kỳ đã báo cáo 9 (Phụ lục 1)." in html
    assert "7. Số lũy kế của đơn vị so với tổng các kỳ" in html
    assert "2026-Q3/van-hoa-xa-hoi.xlsx › Tong hop › E14" in html


# ── generated scenarios ─────────────────────────────────────────────────────

_STATUSES = (
    "achieved", "on_track", "needs_acceleration", "off_track", "deteriorating", "overdue",
    "no_data", "insufficient_data", "not_assessed",
)  # fmt: skip


def _scenario(data, seed: int):
    """The hand-written period with every status drawn at random, some indicators given a
    missed 2025 milestone too, and the verdicts computed from it as the comparison does."""
    rng = random.Random(seed)
    rows = []
    for _, row in data.status.iterrows():
        row = row.copy()
        row["status"] = rng.choice(_STATUSES)
        if row["status"] in ("no_data", "not_assessed"):
            row["value"], row["value_period"] = math.nan, ""
        rows.append(row)
        if rng.random() < 0.3 and row["kind"] != "flow" and int(row["milestone_year"]) > 2025:
            missed = row.copy()
            missed["milestone_year"], missed["status"], missed["row_role"] = (
                2025,
                "overdue",
                "overdue",
            )
            rows.append(missed)
    status = pd.DataFrame(rows).reset_index(drop=True)
    leads = data.lead_units
    if rng.random() < 0.3:  # a scenario where nothing is behind
        calm = status["status"].isin(["overdue", "deteriorating", "off_track",
                                      "needs_acceleration", "no_data"])  # fmt: skip
        status.loc[calm, "status"] = "on_track"
        status = status[status["row_role"] != "overdue"].reset_index(drop=True)
    return dataclasses.replace(
        data, status=status, verdicts=verdicts(status, data.period, leads, reporters=leads)
    )


@pytest.fixture(scope="module")
def fixture_data(briefing_processed):
    return briefing.load_briefing_data(
        EXAMPLE.with_paths(processed_dir=briefing_processed), "2026-Q3",
        report_date=date(2026, 10, 5),
    )  # fmt: skip


@pytest.mark.parametrize("seed", range(25))
def test_generated_scenarios_state_one_truth(fixture_data, seed):
    data = _scenario(fixture_data, seed)
    html = "".join(
        part(data).data
        for part in (briefing.opening, briefing.results, briefing.shortcomings,
                     briefing.directions)
    )  # fmt: skip
    assert problems(html) == []
    assert len(Briefing(html).attention) == int(data.verdicts["attention"].sum())


# ── the printed pages ───────────────────────────────────────────────────────


@requires_pango
def test_no_printed_page_holds_only_a_heading_or_the_signature(illustrative, tmp_path):
    from pypdf import PdfReader

    from nq57lib.report import render

    notebook = illustrative / "reports" / "2026-Q3" / "30-briefing.ipynb"
    pdf = render.render_notebook(notebook, tmp_path, formats=("pdf",))["pdf"]
    running = ("Báo cáo quý", "Trang ", "SỐ LIỆU MINH HỌA")
    for number, page in enumerate(PdfReader(pdf).pages, 1):
        lines = [line.strip() for line in page.extract_text().splitlines()]
        body = [line for line in lines if line and not line.startswith(running)]
        if not body:
            continue  # a page holding a chart only (a picture, no text)
        headings = [line for line in body if re.match(r"^(?:[IVX]+\.|PHỤ LỤC|\d+\.\s)", line)]
        assert len(body) > len(headings), f"page {number} holds only {headings}"
        if any(line.startswith("TM. ỦY BAN") for line in body):
            # The signature keeps the report's last lines with it: more than the signature
            # block itself (recipients, "TM. …", the title) is on its page.
            signature = body.index(next(b for b in body if b.startswith("Nơi nhận")))
            assert signature > 0, f"page {number} starts with the signature block"
