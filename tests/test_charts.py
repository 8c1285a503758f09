"""Charts: assert on what the figures really contain (titles, labels, lines, tick text)."""

from __future__ import annotations

import pandas as pd
import pytest
from example import EXAMPLE, example_registry
from matplotlib.figure import Figure

from nq57lib.assess.status import assess
from nq57lib.report import charts

REGISTRY = example_registry()


def _target(indicator_id, year, comparator=">=", value=None, value_max=None, per_year=False):
    return {
        "target_id": f"{indicator_id}-{year}",
        "indicator_id": indicator_id,
        "milestone_year": year,
        "area": REGISTRY[indicator_id].area,
        "comparator": comparator if value is not None else None,
        "value": value,
        "value_max": value_max,
        "unit": REGISTRY[indicator_id].unit,
        "per_year": per_year,
        "qualitative": value is None,
        "text": "",
        "source_line": year,
    }


TARGETS = pd.DataFrame(
    [
        _target("vneid_residents", 2025, value=70),
        _target("vneid_residents", 2030, value=85),
        _target("budget_share_stid", 2030, value=3.0, per_year=True),
        _target("adults_digital_services_regular_use", 2040, "range", 80, 90),
        _target("public_sector_initiatives", 2030, value=10, per_year=True),
        _target("operations_centre", 2030),
    ]
)
OBS = pd.DataFrame(
    [
        {"period": "2025-Q4", "indicator_id": "vneid_residents", "value": 65.0, "status": None},
        {"period": "2026-Q1", "indicator_id": "vneid_residents", "value": 66.5, "status": None},
        {"period": "2026-Q3", "indicator_id": "vneid_residents", "value": 68.0, "status": None},
        {"period": "2025-Q4", "indicator_id": "budget_share_stid", "value": 1.5, "status": None},
        {"period": "2026-Q3", "indicator_id": "budget_share_stid", "value": 2.5, "status": None},
        {
            "period": "2026-Q1",
            "indicator_id": "public_sector_initiatives",
            "value": 1.0,
            "status": None,
        },
        {
            "period": "2026-Q2",
            "indicator_id": "public_sector_initiatives",
            "value": 2.0,
            "status": None,
        },
        {
            "period": "2026-Q3",
            "indicator_id": "public_sector_initiatives",
            "value": 1.0,
            "status": None,
        },
        {
            "period": "2026-Q3",
            "indicator_id": "operations_centre",
            "value": None,
            "status": "in_progress",
        },
    ]
)
STATUS = assess(TARGETS, OBS, "2026-Q3", REGISTRY)


def _row(indicator_id: str, year: int) -> pd.Series:
    return STATUS[
        (STATUS["indicator_id"] == indicator_id) & (STATUS["milestone_year"] == year)
    ].iloc[0]


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(match=lambda a: hasattr(a, "get_text"))]


def test_plot_indicator_level_draws_observations_milestones_and_path():
    fig = charts.plot_indicator(OBS, TARGETS, _row("vneid_residents", 2030))
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "Tỷ lệ người dân có tài khoản định danh điện tử (VNeID)"
    assert ax.get_ylabel() == "Tỷ lệ (%)"
    assert ax.get_xlabel() == "Thời gian (năm)"
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["Số liệu báo cáo"].get_ydata()) == [65.0, 66.5, 68.0]
    assert list(lines["Số liệu báo cáo"].get_xdata()) == [2026.0, 2026.25, 2026.75]
    path = lines["Đường đúng tiến độ"]
    assert list(path.get_xdata()) == [2026.0, 2031.0] and list(path.get_ydata()) == [65.0, 85.0]
    assert "Tình trạng: đúng tiến độ (mốc 2030)" in _texts(fig)
    assert {"2025: ≥ 70%", "2030: ≥ 85%"} <= set(_texts(fig))
    # Vietnamese decimal comma on the value axis
    formatter = ax.yaxis.get_major_formatter()
    assert formatter(66.5, 0) == "66,5" and formatter(1234.0, 0) == "1.234"
    assert "Số liệu minh họa" not in _texts(fig)


def test_plot_indicator_flow_shows_yearly_totals_and_expected_so_far():
    fig = charts.plot_indicator(
        OBS, TARGETS, _row("public_sector_initiatives", 2030), illustrative=True
    )
    ax = fig.axes[0]
    bars = [p for p in ax.patches if p.get_height() > 0]
    assert [(round(b.get_x() + b.get_width() / 2), b.get_height()) for b in bars] == [(2026, 4.0)]
    assert ax.get_xlabel() == "Năm" and ax.get_ylabel() == "Số lượng"
    texts = _texts(fig)
    assert "Mốc 2030: 10/năm" in texts and "Số liệu minh họa" in texts
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Cần đạt đến nay (theo tỷ lệ thời gian)" in labels


def test_plot_indicator_qualitative_uses_stage_labels():
    fig = charts.plot_indicator(OBS, TARGETS, _row("operations_centre", 2030))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "chưa triển khai",
        "đang triển khai",
        "hoàn thành",
    ]
    assert "Mốc 2030" in _texts(fig)


def test_plot_area_status_counts_per_area():
    fig = charts.plot_area_status(STATUS, EXAMPLE.areas, illustrative=True)
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "Tình trạng theo lĩnh vực"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    # Only the statuses some row has (three on track, one each of the others; the 2040
    # range with no figure lies beyond the 2030 horizon), in the vocabulary's order from
    # best to worst: no legend entry for a count of zero.
    assert labels == ["đúng tiến độ", "chậm tiến độ", "quá hạn chưa đạt", "chưa đến kỳ đánh giá"]
    ticks = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    # Only the areas some row is in, in the plan's order: an area without a row gets no bar.
    expected = STATUS.groupby("area").size()
    assert ticks == [f"{a}) {EXAMPLE.areas[a]}" for a in sorted(expected.index)]
    # the total bar length per area equals the number of status rows in that area
    widths: dict[float, float] = {}
    for patch in ax.patches:
        widths[round(patch.get_y(), 3)] = widths.get(round(patch.get_y(), 3), 0) + patch.get_width()
    assert sorted(widths.values()) == sorted(expected.tolist())
    assert "Số liệu minh họa" in _texts(fig)


def test_plot_area_status_gives_the_plans_other_targets_a_bar_of_their_own():
    rows = pd.DataFrame(
        {"area": ["e", "e", None, None, None], "status": ["achieved", "overdue", *["no_data"] * 3]}
    )
    fig = charts.plot_area_status(rows, EXAMPLE.areas)
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == ["e) Phát triển chuyển đổi số", "Chỉ tiêu khác của Kế hoạch"]
    assert sum(patch.get_width() for patch in ax.patches) == 5


def test_plot_largest_gaps_orders_by_relative_shortfall():
    rows = charts.largest_gaps(STATUS)
    # initiatives 10 − 4 = 6 of 10 → 60%; VNeID 2025 overdue: 70 − 68 = 2 of 70 → 2.86%.
    # The budget share (R = 0.977, on track) and VNeID 2030 (on track) are left out.
    assert list(rows["indicator_id"]) == ["public_sector_initiatives", "vneid_residents"]
    assert rows["relative_gap"].tolist() == pytest.approx([60.0, 200 / 70])
    assert _row("budget_share_stid", 2030)["status"] == "on_track"
    fig = charts.plot_largest_gaps(STATUS, n=8)
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "2 chỉ tiêu còn cách xa mục tiêu nhất"
    assert [round(p.get_width(), 2) for p in ax.patches] == [60.0, 2.86]
    texts = _texts(fig)
    assert " còn thiếu 2 điểm %" in texts and " còn thiếu 6" in texts
    assert ax.xaxis.get_major_formatter()(12.6, 0) == "13%"
    assert ax.xaxis.get_major_formatter()(1500, 0) == "1.500%"


def test_plot_largest_gaps_with_nothing_behind():
    achieved = STATUS.assign(status="achieved")
    fig = charts.plot_largest_gaps(achieved)
    assert "Không có chỉ tiêu nào chậm so với mục tiêu" in _texts(fig)


def test_plot_milestone_paths_small_multiples():
    fig = charts.plot_milestone_paths(TARGETS, REGISTRY)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    # four quantitative indicators; the qualitative operations centre is left out
    assert len(visible) == 4
    titles = [ax.get_title(loc="left") for ax in visible]
    assert "Tỷ lệ người dân có tài khoản định danh\nđiện tử (VNeID)" in titles
    vneid = visible[titles.index("Tỷ lệ người dân có tài khoản định danh\nđiện tử (VNeID)")]
    line = vneid.get_lines()[0]
    assert list(line.get_xdata()) == [2025, 2030] and list(line.get_ydata()) == [70, 85]
    texts = _texts(fig)
    assert "80–90%" in texts and "≥ 3%" in texts
    assert fig._suptitle.get_text() == "Lộ trình mục tiêu theo các mốc của kế hoạch"


def test_charts_render_to_png(tmp_path):
    for name, fig in {
        "indicator": charts.plot_indicator(OBS, TARGETS, _row("vneid_residents", 2030)),
        "area": charts.plot_area_status(STATUS, EXAMPLE.areas),
        "gaps": charts.plot_largest_gaps(STATUS),
        "paths": charts.plot_milestone_paths(TARGETS, REGISTRY),
    }.items():
        path = tmp_path / f"{name}.png"
        fig.savefig(path)
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
