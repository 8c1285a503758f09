"""One verdict per indicator (verdicts.csv): the headline milestone and why, attention and
why, the current value and its period, milestones met and missed — by hand-worked rows
(docs/methodology.md §9)."""

from __future__ import annotations

import math

import pandas as pd

from nq57lib.assess.statuses import BEHIND
from nq57lib.assess.verdicts import _BY_STATUS, attention_list, verdicts
from nq57lib.core.schema import VERDICT_COLUMNS

P = "2026-Q3"


def _row(ident, year, status, *, kind="level", value=math.nan, when="", ratio=math.nan,
         disagree=False, met="", role="next"):  # fmt: skip
    return {
        "period": P, "indicator_id": ident, "milestone_year": year, "status": status,
        "name_vi": f"Chỉ tiêu {ident}", "area": "a", "kind": kind, "unit": "%",
        "value": value, "value_period": when, "progress_ratio": ratio,
        "methods_disagree": disagree, "per_year": False, "row_role": role,
        "milestones_met": met,
    }  # fmt: skip


STATUS = pd.DataFrame(
    [
        # Missed 2025, on track for 2030: the headline is the missed milestone.
        _row("gigabit", 2025, "overdue", value=44, when=P, ratio=0.2, role="overdue"),
        _row("gigabit", 2030, "on_track", value=44, when=P, ratio=1.5, disagree=True),
        # A stage: 2025 missed at "not started" (its deadline), today "in progress".
        _row(
            "centre", 2025, "overdue", kind="milestone", value=0.0, when="2025-Q4", role="overdue"
        ),
        _row("centre", 2030, "on_track", kind="milestone", value=1.0, when=P),
        # 2025 met (no row of its own), on track for 2030 by one method only.
        _row("coverage", 2030, "on_track", value=88, when=P, ratio=3.4, disagree=True, met="2025"),
        # Slow, carried forward from 2026-Q2.
        _row("contactless", 2030, "needs_acceleration", value=74, when="2026-Q2", ratio=0.8),
        # No figure, deadline passed; no figure, deadline ahead; beyond the horizon.
        _row("security", 2025, "no_data", role="overdue"),
        _row("hdi", 2030, "no_data"),
        _row("six_g", 2035, "not_assessed"),
        # Every milestone met.
        _row("hotspots", 2025, "achieved", value=100, when=P, role="overdue"),
    ]
)
LEADS = {"gigabit": "Phòng Kinh tế", "centre": "Văn phòng"}


def test_one_verdict_per_indicator_with_its_documented_columns():
    got = verdicts(STATUS, P, LEADS)
    assert list(got.columns) == list(VERDICT_COLUMNS)
    assert list(got["indicator_id"]) == [
        "gigabit", "centre", "coverage", "contactless", "security", "hdi", "six_g", "hotspots",
    ]  # fmt: skip
    by = got.set_index("indicator_id")
    assert by.loc["gigabit", ["milestone_year", "headline", "status"]].tolist() == [
        2025, "missed", "overdue",
    ]  # fmt: skip
    assert by.loc["gigabit", "milestones_missed"] == "2025"
    assert by.loc["gigabit", "milestones_open"] == "2025; 2030"
    assert by.loc["gigabit", "lead_unit"] == "Phòng Kinh tế"
    assert by.loc["coverage", ["headline", "milestones_met"]].tolist() == ["only", "2025"]
    assert by.loc["hotspots", ["headline", "status", "milestones_met"]].tolist() == [
        "all_met", "achieved", "2025",
    ]  # fmt: skip
    assert by.loc["six_g", "milestones_open"] == ""  # beyond the horizon: nobody owes it


def test_the_current_value_is_the_latest_and_says_whether_it_is_this_periods():
    by = verdicts(STATUS, P).set_index("indicator_id")
    # The centre's 2025 row keeps its stage at the deadline; the verdict shows today's.
    assert (by.loc["centre", "value"], by.loc["centre", "value_period"]) == (1.0, P)
    assert bool(by.loc["centre", "value_current"]) is True
    assert by.loc["contactless", "value_period"] == "2026-Q2"
    assert bool(by.loc["contactless", "value_current"]) is False
    assert by.loc["security", "value_period"] == ""


def test_attention_and_its_reasons_ranked_the_most_pressing_first():
    got = verdicts(STATUS, P)
    listed = attention_list(got)
    assert list(zip(listed["indicator_id"], listed["attention_reason"], strict=True)) == [
        ("gigabit", "missed_milestone"),  # ratio 0.2 …
        ("centre", "missed_milestone"),  # … before no ratio
        ("contactless", "too_slow"),
        ("coverage", "slow_by_one_method"),
        ("security", "no_figure_due"),
    ]
    assert list(listed["attention_rank"]) == [1, 2, 3, 4, 5]
    calm = got[~got["attention"]]
    assert set(calm["indicator_id"]) == {"hdi", "six_g", "hotspots"}
    assert calm["attention_rank"].isna().all() and (calm["attention_reason"] == "").all()
    # Owed: a figure is due and none came (not the one beyond the horizon).
    owed = got[got["figure_owed"]]
    assert set(owed["indicator_id"]) == {"security", "hdi"}


def test_every_status_behind_the_plan_has_an_attention_reason_and_every_reason_words():
    from nq57lib.assess.verdicts import ATTENTION_REASONS
    from nq57lib.report.wording import ATTENTION_WORDS, attention_breakdown

    assert set(_BY_STATUS) == set(BEHIND)
    assert list(ATTENTION_WORDS) == list(ATTENTION_REASONS)
    listed = attention_list(verdicts(STATUS, P))
    assert attention_breakdown(listed["attention_reason"]) == (
        "5 chỉ tiêu: 2 quá hạn chưa đạt mốc, 1 chậm hoặc cần đẩy nhanh, 1 đúng tiến độ theo "
        "một cách tính nhưng chậm theo cách tính kia, 1 đã hết hạn nhưng chưa có số liệu để "
        "đánh giá."
    )


def test_the_change_since_the_previous_period_is_the_headlines():
    before = STATUS.copy()
    before.loc[before["indicator_id"] == "contactless", "status"] = "on_track"
    before.loc[before["indicator_id"] == "hdi", "status"] = "needs_acceleration"
    got = verdicts(STATUS, P, previous=before).set_index("indicator_id")
    assert got.loc["contactless", ["previous_status", "change"]].tolist() == [
        "on_track", "worse",
    ]  # fmt: skip
    # A figure lost is no judgement: neither better nor worse, and said as "no figure".
    assert got.loc["hdi", ["previous_status", "change"]].tolist() == ["needs_acceleration", ""]
    assert got.loc["gigabit", "change"] == ""
