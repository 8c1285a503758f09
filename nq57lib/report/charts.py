"""Charts of progress against the milestones; every function returns a matplotlib Figure.

Figures are built with the object-oriented API (``matplotlib.figure.Figure``), never
pyplot, so nothing depends on a global state or an interactive backend. Text uses the
DejaVu family registered by :mod:`nq57lib.report.fonts` (full Vietnamese coverage) and numbers
on axes use Vietnamese formats (``2,5``, ``1.000``).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from nq57lib.assess.milestones import row_due_time
from nq57lib.assess.observations import flow_yearly, resolve_revisions, with_time_columns
from nq57lib.assess.statuses import (
    BEHIND,
    DARK_STATUSES,
    STATUS_COLOURS,
    STATUS_LABELS_VI,
    STATUSES,
)
from nq57lib.core import config
from nq57lib.core.fmt import fmt_gap, fmt_number, fmt_target, fmt_value
from nq57lib.core.periods import Period, milestone_time
from nq57lib.core.vocab import OTHER_AREA_VI, STAGE_LABELS_VI, STAGES, UNIT_AXIS_VI
from nq57lib.plan.plausible import usable_targets
from nq57lib.plan.registry import Registry
from nq57lib.report.fonts import register_matplotlib_fonts

PATH_COLOUR = "#1F4E79"
OBS_COLOUR = "#C0504D"


# The smallest text of a briefing chart: 11,3 px at its own width, as a phone shows it.
READABLE_PT = 8.5


def _colour(status: str) -> str:
    return "#" + STATUS_COLOURS[status]


def _figure(width: float, height: float) -> tuple[Figure, str]:
    family = register_matplotlib_fonts()
    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    return fig, family


def _number_axis(axis, decimals: int = 1) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_number(v, decimals)))


def _year_axis(axis) -> None:
    axis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{int(v)}"))


def _mark_illustrative(fig: Figure, family: str, illustrative: bool) -> None:
    if illustrative:
        fig.text(0.995, 0.995, config.ILLUSTRATIVE_LABEL, ha="right", va="top", fontsize=8,
                 color="#C00000", style="italic", family=family)  # fmt: skip


def _wrap(text: str, width: int) -> str:
    """A name from the plan, the profile or the units file, wrapped, as plain text: every
    such name reaches a chart through here. matplotlib draws text between two "$" as a
    formula, and an invalid one ("$\\frac{a}$" in an area's name) failed every briefing;
    an escaped "\\$" is drawn as the dollar sign itself."""
    wrapped = "\n".join(textwrap.wrap(str(text), width)) or str(text)
    return wrapped.replace("$", r"\$")


def _series(observations: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """One row per period for an indicator, the latest report winning, with end times ``t``.

    The revision rule is the assessment's (:func:`resolve_revisions`), so the chart shows
    the figures the status was computed from.
    """
    rows = observations[observations["indicator_id"] == indicator_id]
    if not len(rows):
        return rows.assign(t=pd.Series(dtype=float))
    latest = resolve_revisions(with_time_columns(rows))
    return latest.assign(t=latest["t_end"], months=latest["n_months"])


def plot_indicator(
    observations: pd.DataFrame, targets: pd.DataFrame, status_row, illustrative: bool = False
) -> Figure:
    """One indicator: its observations, its milestones (plausible ones) and the on-track path.

    Levels and stocks are drawn as a line; flows as yearly totals (the current year so far)
    against the annual figure; qualitative milestones as the reported stage over time.
    ``status_row`` is a row of :func:`nq57lib.compare.assess` (Series or namedtuple).
    """
    row = status_row if isinstance(status_row, pd.Series) else pd.Series(status_row._asdict())
    fig, family = _figure(7.5, 4.2)
    ax = fig.add_subplot()
    unit, kind = row["unit"], row["kind"]
    data = _series(observations, row["indicator_id"])
    own = usable_targets(targets[targets["indicator_id"] == row["indicator_id"]], ())
    milestones = own.sort_values("milestone_year")
    if kind == "milestone":
        stages = data[data["status"].isin(STAGES.keys())] if "status" in data else data.iloc[0:0]
        ax.step(
            stages["t"],
            stages["status"].map(STAGES),
            where="post",
            color=OBS_COLOUR,
            marker="o",
            label="Giai đoạn báo cáo",
        )
        ax.set_yticks(list(STAGES.values()), [STAGE_LABELS_VI[s] for s in STAGES])
        ax.set_ylim(-0.4, 2.4)
        for year in milestones["milestone_year"].unique():
            ax.axvline(milestone_time(int(year)), color=PATH_COLOUR, linestyle=":", linewidth=1)
            ax.annotate(
                f"Mốc {int(year)}",
                (milestone_time(int(year)), 2.25),
                fontsize=8,
                ha="right",
                family=family,
            )
        ax.set_xlabel("Thời gian (năm)", family=family)
    elif kind == "flow":
        totals = data[data["value"].notna()]
        # Yearly totals from the coarsest reports first, so a quarter never adds to its months.
        yearly = flow_yearly(totals)
        ax.bar(
            yearly.index,
            yearly.to_numpy(),
            color=OBS_COLOUR,
            width=0.6,
            label="Tổng trong năm (năm hiện tại: lũy kế)",
        )
        previous_year = None
        for m in milestones.itertuples(index=False):
            figure = 1.0 if pd.isna(m.value) else float(m.value)
            per_year = bool(getattr(m, "per_year", False))
            # An annual quota binds every year since the previous milestone.
            first = (
                previous_year + 1 if per_year and previous_year is not None else m.milestone_year
            )
            ax.hlines(
                figure,
                first - 0.4,
                m.milestone_year + 0.4,
                color=PATH_COLOUR,
                linestyle="--",
                linewidth=1.2,
            )
            suffix = "/năm" if per_year else ""
            ax.annotate(
                f"Mốc {m.milestone_year}: {fmt_value(figure, unit)}{suffix}",
                (m.milestone_year + 0.4, figure),
                textcoords="offset points",
                xytext=(0, 4),
                fontsize=8,
                ha="right",
                family=family,
            )
            previous_year = m.milestone_year
        if pd.notna(row.get("expected_now")) and row.get("value_period"):
            year = Period.parse(row["value_period"]).year
            ax.scatter(
                [year], [row["expected_now"]], marker="_", s=500, color="black", zorder=3,
                label="Cần đạt đến nay (theo tỷ lệ thời gian)",
            )  # fmt: skip
        ax.plot([], [], color=PATH_COLOUR, linestyle="--", label="Chỉ tiêu năm")
        _year_axis(ax.xaxis)
        ax.set_xlabel("Năm", family=family)
        _number_axis(ax.yaxis, 0)
    else:
        values = data[data["value"].notna()]
        ax.plot(values["t"], values["value"], color=OBS_COLOUR, marker="o", label="Số liệu báo cáo")
        numeric = milestones[milestones["value"].notna()]
        ax.scatter(
            [milestone_time(int(y)) for y in numeric["milestone_year"]],
            numeric["value"],
            marker="D",
            color=PATH_COLOUR,
            zorder=3,
            label="Mốc kế hoạch",
        )
        for m in numeric.itertuples(index=False):
            shown = fmt_target(m.comparator, m.value, getattr(m, "value_max", None), unit)
            ax.annotate(
                f"{m.milestone_year}: {shown}",
                (milestone_time(int(m.milestone_year)), m.value),
                textcoords="offset points",
                xytext=(-4, 6),
                fontsize=8,
                ha="right",
                family=family,
            )
        deadline = row_due_time(row)
        t0 = Period.parse(row["baseline_period"]).end_time if row.get("baseline_period") else None
        if (
            t0 is not None
            and deadline > t0
            and pd.notna(row.get("baseline"))
            and pd.notna(row.get("target"))
        ):
            path_target = row["value_max"] if _path_uses_upper(row) else row["target"]
            ax.plot(
                [t0, deadline],
                [row["baseline"], path_target],
                color=PATH_COLOUR,
                linestyle="--",
                linewidth=1.2,
                label="Đường đúng tiến độ",
            )
        ax.set_xlabel("Thời gian (năm)", family=family)
        _number_axis(ax.yaxis, 1)
    if kind != "flow":
        _year_axis(ax.xaxis)
    ax.set_ylabel(UNIT_AXIS_VI.get(unit, "Giá trị"), family=family)
    ax.set_title(_wrap(row["name_vi"], 70), fontsize=11, family=family, loc="left")
    status = row["status"]
    fig.suptitle(
        f"Tình trạng: {STATUS_LABELS_VI[status]} (mốc {int(row['milestone_year'])})",
        fontsize=9,
        color="white" if status in DARK_STATUSES else "black",
        family=family,
        x=0.01,
        ha="left",
        bbox={"boxstyle": "round,pad=0.3", "facecolor": _colour(status), "edgecolor": "none"},
    )
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="best", prop={"family": family, "size": 8})
    _mark_illustrative(fig, family, illustrative)
    return fig


def _path_uses_upper(row: pd.Series) -> bool:
    return row.get("comparator") == "range" and row.get("direction") == "decrease"


def plot_area_status(
    status: pd.DataFrame, areas: Mapping[str, str], illustrative: bool = False
) -> Figure:
    """Stacked bars: how many rows of each status in each area of the plan (``areas``:
    letter → name, those of the project's ``ward.yaml``).

    Pass one row per indicator (``verdicts.csv``, :mod:`nq57lib.assess.verdicts`) to count
    indicators. A status no row has gets no bar and no legend entry, nor does an area; the
    rows of no area (provisional indicators) get a bar: the bars add up to every row.
    """
    fig, family = _figure(6.5, 3.6)
    ax = fig.add_subplot()
    counts = status.fillna({"area": ""}).groupby(["area", "status"]).size().unstack(fill_value=0)
    # The ward's areas that hold an indicator, then its targets of no area (provisional).
    rows = [a for a in sorted(areas) if a in counts.index] or sorted(areas)
    rows += [a for a in counts.index if a not in areas]
    counts = counts.reindex(index=rows, columns=list(STATUSES), fill_value=0)
    labels = [_wrap(f"{a}) {areas[a]}" if a in areas else OTHER_AREA_VI, 34) for a in rows]
    left = pd.Series(0, index=counts.index)
    for state in (s for s in STATUSES if counts[s].sum()):
        widths = counts[state]
        bars = ax.barh(
            labels,
            widths,
            left=left,
            color=_colour(state),
            label=STATUS_LABELS_VI[state],
            edgecolor="white",
        )
        for bar, n in zip(bars, widths, strict=True):
            if n:
                ax.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + bar.get_height() / 2,
                    str(int(n)),
                    ha="center",
                    va="center",
                    fontsize=READABLE_PT,
                    color="white" if state in DARK_STATUSES else "black",
                    family=family,
                )
        left = left + widths
    ax.invert_yaxis()
    ax.set_xlabel("Số chỉ tiêu", family=family, fontsize=READABLE_PT)
    ax.set_title("Tình trạng theo lĩnh vực", family=family, loc="left", fontsize=11)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _number_axis(ax.xaxis, 0)
    ax.tick_params(labelsize=READABLE_PT)
    for label in ax.get_yticklabels():
        label.set_family(family)
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.18),
        ncol=3,
        prop={"family": family, "size": READABLE_PT},
        frameon=False,
    )
    _mark_illustrative(fig, family, illustrative)
    return fig


def largest_gaps(status: pd.DataFrame, n: int = 8) -> pd.DataFrame:
    """Rows not achieved with the largest shortfall relative to their target."""
    rows = status[
        status["status"].isin(BEHIND) & status["gap"].notna() & (status["gap"] > 0)
    ].copy()
    rows = rows[rows["target"].notna() & (rows["target"] != 0)]
    rows["relative_gap"] = rows["gap"] / rows["target"].abs() * 100
    return rows.sort_values("relative_gap", ascending=False, kind="stable").head(n)


def plot_largest_gaps(status: pd.DataFrame, n: int = 8, illustrative: bool = False) -> Figure:
    """Horizontal bars of the largest shortfalls (as % of the target), labelled in units."""
    rows = largest_gaps(status, n)
    fig, family = _figure(8.5, 0.5 * max(len(rows), 2) + 1.4)
    ax = fig.add_subplot()
    labels = [
        _wrap(f"{r.name_vi} (mốc {r.milestone_year})", 45) for r in rows.itertuples(index=False)
    ]
    bars = ax.barh(labels, rows["relative_gap"], color=[_colour(s) for s in rows["status"]])
    for bar, r in zip(bars, rows.itertuples(index=False), strict=True):
        gap = fmt_gap(r.gap, r.unit)
        ax.text(
            bar.get_width(),
            bar.get_y() + bar.get_height() / 2,
            f" còn thiếu {gap}",
            va="center",
            fontsize=8,
            family=family,
        )
    ax.invert_yaxis()
    ax.set_xlabel("Khoảng cách đến mục tiêu (% của mục tiêu)", family=family)
    ax.set_title(
        f"{len(rows)} chỉ tiêu còn cách xa mục tiêu nhất", family=family, loc="left", fontsize=11
    )
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_number(v, 0) + "%"))
    if len(rows):
        ax.set_xlim(0, float(rows["relative_gap"].max()) * 1.45)
    else:
        ax.text(
            0.5,
            0.5,
            "Không có chỉ tiêu nào chậm so với mục tiêu",
            transform=ax.transAxes,
            ha="center",
            family=family,
        )
    for label in ax.get_yticklabels():
        label.set_family(family)
        label.set_fontsize(8)
    handles = [
        Patch(color=_colour(s), label=STATUS_LABELS_VI[s])
        for s in BEHIND
        if s in set(rows["status"])
    ]
    if handles:
        ax.legend(handles=handles, prop={"family": family, "size": 8}, loc="lower right")
    _mark_illustrative(fig, family, illustrative)
    return fig


def plot_milestone_paths(
    targets: pd.DataFrame, registry: Registry, illustrative: bool = False, ncols: int = 4
) -> Figure:
    """Small multiples: each quantitative indicator's milestone figures by year."""
    names = {i.id: i.name_vi for i in registry}
    units = {i.id: i.unit for i in registry}
    numeric = usable_targets(targets.dropna(subset=["indicator_id", "value"]), registry)
    if "qualitative" in numeric.columns:
        numeric = numeric[~numeric["qualitative"].astype(bool)]
    indicators = list(dict.fromkeys(numeric.sort_values(["area", "indicator_id"])["indicator_id"]))
    nrows = max(math.ceil(len(indicators) / ncols), 1)
    fig, family = _figure(3.3 * ncols, 2.3 * nrows + 0.6)
    fig.suptitle(
        "Lộ trình mục tiêu theo các mốc của kế hoạch", family=family, fontsize=12, x=0.01, ha="left"
    )
    axes = fig.subplots(nrows, ncols, squeeze=False)
    years = sorted(numeric["milestone_year"].unique()) if len(numeric) else []
    for ax, indicator_id in zip(axes.flat, indicators, strict=False):
        rows = (
            numeric[numeric["indicator_id"] == indicator_id]
            .sort_values("milestone_year")
            .drop_duplicates("milestone_year")
        )
        unit = units.get(indicator_id, rows["unit"].iloc[0] if "unit" in rows else "other")
        ax.plot(rows["milestone_year"], rows["value"], marker="o", color=PATH_COLOUR, linewidth=1.2)
        for r in rows.itertuples(index=False):
            if r.comparator == "range" and pd.notna(r.value_max):
                ax.vlines(
                    r.milestone_year,
                    r.value,
                    r.value_max,
                    color=PATH_COLOUR,
                    linewidth=4,
                    alpha=0.4,
                )
            ax.annotate(
                fmt_target(r.comparator, r.value, r.value_max, unit),
                (r.milestone_year, r.value),
                textcoords="offset points",
                xytext=(0, 5),
                ha="center",
                fontsize=7,
                family=family,
            )
        ax.set_title(
            _wrap(names.get(indicator_id, indicator_id), 38),
            fontsize=7.5,
            family=family,
            loc="left",
        )
        ax.set_xticks(years)
        ax.tick_params(labelsize=7)
        if years:
            ax.set_xlim(min(years) - 2, max(years) + 2)
        _number_axis(ax.yaxis, 1)
        top = float(
            max(
                rows["value"].max(),
                rows["value_max"].max()
                if "value_max" in rows and rows["value_max"].notna().any()
                else 0,
            )
        )
        ax.set_ylim(0, top * 1.3 if top > 0 else 1)
        ax.grid(True, alpha=0.3)
    for ax in list(axes.flat)[len(indicators) :]:
        ax.set_visible(False)
    _mark_illustrative(fig, family, illustrative)
    return fig


def plot_gaps_in_units(rows: pd.DataFrame, units: dict[str, str], illustrative: bool = False):
    """One line per target behind its milestone, each on an axis of its own unit.

    The bar is the latest figure, the diamond the milestone's target and the tick what the
    on-track path asked for by now; the label says what is still missing, in the unit
    (percentage points, a count). ``rows`` are status rows; ``units`` names the lead unit
    of each indicator. Returns None for fewer than two rows: one bar is not a chart.
    """
    rows = rows[rows["value"].notna() & rows["target"].notna()]
    if len(rows) < 2:
        return None
    family = register_matplotlib_fonts()
    # 6.5 in is the text width of an A4 page: the chart prints at its own size.
    fig = Figure(figsize=(6.5, 0.7 * len(rows) + 0.7), dpi=110, layout="constrained")
    axes = fig.subplots(len(rows), 1, squeeze=False)[:, 0]
    for ax, r in zip(axes, rows.itertuples(index=False), strict=True):
        reach = max(float(r.value), float(r.target), float(r.expected_now or 0)) or 1.0
        # Room to the right of the furthest mark for the "còn thiếu" label.
        top = reach * 1.45
        ax.barh([0], [r.value], color=_colour(r.status), height=0.6)
        ax.plot([r.target], [0], marker="D", color=PATH_COLOUR, markersize=7)
        if pd.notna(r.expected_now) and r.status != "overdue":
            ax.plot([r.expected_now], [0], marker="|", color="black", markersize=16, mew=2)
        ax.set_xlim(0, top)
        ax.set_yticks([])
        ax.tick_params(labelsize=READABLE_PT)
        decimals = 0 if r.unit == "count" else 1
        if r.unit == "count":  # whole things: no tick at 0,5 reading "0" or "1"
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        suffix = "%" if r.unit == "%" else ""
        ax.xaxis.set_major_formatter(
            FuncFormatter(lambda v, _pos, d=decimals, u=suffix: fmt_number(v, d) + u)
        )
        missing = fmt_gap(r.gap, r.unit)
        who = units.get(r.indicator_id, "")
        ax.set_title(
            _wrap(f"{r.name_vi} — {who}", 90),
            fontsize=8.5, family=family, loc="left",
        )  # fmt: skip
        ax.text(reach + top * 0.03, 0, f"còn thiếu {missing}", ha="left", va="center",
                fontsize=READABLE_PT, family=family)  # fmt: skip
        for label in ax.get_xticklabels():
            label.set_family(family)
    handles = [
        Patch(color=_colour(s), label=STATUS_LABELS_VI[s])
        for s in STATUSES
        if s in set(rows["status"])
    ]
    handles.append(
        plt_line(PATH_COLOUR, "D", "mục tiêu của mốc"),
    )
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), frameon=False,
               prop={"family": family, "size": READABLE_PT})  # fmt: skip
    # A title row of its own keeps the illustrative mark clear of the first line's title.
    fig.suptitle("Kết quả so với mục tiêu của mốc", x=0.01, ha="left", fontsize=10,
                 family=family)  # fmt: skip
    _mark_illustrative(fig, family, illustrative)
    return fig


def plt_line(colour: str, marker: str, text: str):
    """A legend entry for a marker (no line)."""
    from matplotlib.lines import Line2D

    return Line2D([], [], color=colour, marker=marker, linestyle="none", label=text)
