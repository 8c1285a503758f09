"""The quarterly briefing's content: what notebooks/30-briefing.ipynb shows, section by section.

Everything that decides what a reader sees lives here, so the notebook stays a list of
headings and one-line calls. :func:`load_briefing_data` is the only function that reads
files; the rest are pure: frames in, a new frame (``*_table``) or an ``IPython.display.HTML``
block out. Tables are built as HTML here rather than with ``DataFrame.to_html`` so that
numbers and dates are Vietnamese (``80,5%``, ``30/09/2026``), headers are Vietnamese and
each status carries a CSS class that the nq57 nbconvert template colours. Figures and
targets are formatted by :mod:`nq57lib.assess.compare`, so the briefing and the Excel appendix agree.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from nq57lib.assess.compare import (
    STATUS_LABELS_VI,
    fmt_target,
    fmt_value,
)
from nq57lib.core import config
from nq57lib.core.errors import InputMissingError, ValidationError
from nq57lib.core.fmt import fmt_date_long, fmt_number, fmt_percent, is_missing
from nq57lib.core.periods import Period
from nq57lib.core.processed import (
    is_illustrative,
    processed_periods,
    quality_says_illustrative,
    read_observations,
)
from nq57lib.core.schema import STAGE_LABELS_VI, STAGES
from nq57lib.core.textnorm import nfc
from nq57lib.plan.registry import AREAS, load_registry

ISSUER_LINES = ("ỦY BAN NHÂN DÂN", "PHƯỜNG HỒNG BÀNG")
MOTTO_LINES = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
NUMBER_LINE = "Số: …/BC-UBND"
PLACE = "Hồng Bàng"
TITLE_KIND = "BÁO CÁO"
TITLE = "Kết quả thực hiện Kế hoạch số 106/KH-UBND"

STATUS_COLUMNS = (
    "period", "indicator_id", "area", "milestone_year", "comparator", "target", "value_max",
    "value", "value_period", "baseline", "baseline_period", "expected_now", "gap",
    "progress_ratio", "status", "method_note",
)  # fmt: skip

# Most urgent first: the order of the summary table and of "needs direction".
STATUS_ORDER = (
    "overdue",
    "deteriorating",
    "off_track",
    "needs_acceleration",
    "insufficient_data",
    "no_data",
    "not_due",
    "on_track",
    "achieved",
)
NEEDS_DIRECTION = ("overdue", "deteriorating", "off_track", "needs_acceleration")
_STAGE_BY_NUMBER = {number: code for code, number in STAGES.items()}
_AREA_WIDTHS = {
    "Chỉ tiêu": 31, "Mốc": 6, "Mục tiêu": 10, "Kết quả": 8, "Kỳ số liệu": 12,
    "Cần đạt đến nay": 9, "Tỷ lệ tiến độ": 8, "Đánh giá": 16,
}  # fmt: skip
_APPENDIX_WIDTHS = {
    "Chỉ tiêu": 16, "Mốc": 4, "Mục tiêu": 6, "Kết quả (kỳ)": 8, "Gốc (kỳ)": 8,
    "Cần đạt đến nay": 5.5, "Còn thiếu": 6, "Tỷ lệ tiến độ": 5, "Đánh giá": 8,
    "Cách tính": 19.5, "Nguồn (tệp › trang › ô)": 14,
}  # fmt: skip
_QUALITY_COUNTS = {
    "rows_read": "Dòng đã đọc",
    "accepted": "Chấp nhận",
    "quarantined": "Cách ly",
    "blank": "Dòng trống",
}


@dataclass(frozen=True)
class BriefingData:
    """Every table the briefing of one period draws on.

    ``history`` is the comparison's ``status_history.csv`` (``previous_status`` and
    ``changed`` per indicator-milestone); ``submissions`` is optional (which unit sent what).
    """

    period: Period
    status: pd.DataFrame
    history: pd.DataFrame
    observations: pd.DataFrame
    quarantine: pd.DataFrame
    quality: pd.DataFrame
    submissions: pd.DataFrame
    illustrative: bool = True


# ── loading ─────────────────────────────────────────────────────────────────

_TEXT_COLUMNS = {"period": str, "value_period": str, "baseline_period": str, "previous_status": str}


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=_TEXT_COLUMNS, keep_default_na=False, na_values=[""])


def _optional_csv(path: Path) -> pd.DataFrame:
    return _read_csv(path) if path.exists() else pd.DataFrame()


def load_briefing_data(
    period: str | Period, processed_dir: Path | str | None = None, illustrative: bool = False
) -> BriefingData:
    """Read what cleaning and comparison wrote for ``period`` (and the observations before it).

    The data are marked illustrative when ``illustrative`` is set or when the observations
    say so themselves (:func:`nq57lib.processed.is_illustrative`): the label is never lost.
    """
    period = Period.parse(period)
    processed_dir = Path(processed_dir) if processed_dir else config.DATA_PROCESSED
    folder = processed_dir / period.code
    status_path = folder / "status.csv"
    if not status_path.exists():
        raise InputMissingError(status_path, f"run `nq57 compare --period {period.code}` first")
    status = _read_csv(status_path)
    missing = [c for c in STATUS_COLUMNS if c not in status.columns]
    if missing:
        raise ValidationError(str(status_path), [f"column '{c}' is missing" for c in missing])
    earlier = [p for p in processed_periods(processed_dir) if p <= period]
    observations = read_observations(processed_dir, earlier)
    quality = _optional_csv(folder / "quality.csv")
    return BriefingData(
        period=period,
        status=status,
        history=_optional_csv(folder / "status_history.csv"),
        observations=observations,
        quarantine=_optional_csv(folder / "quarantine.csv"),
        quality=quality,
        submissions=_optional_csv(folder / "submissions.csv"),
        illustrative=bool(illustrative)
        or is_illustrative(observations)
        or quality_says_illustrative(processed_dir, [period]),
    )


# ── formatting helpers ──────────────────────────────────────────────────────


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def status_label(code: str) -> str:
    """``off_track`` → ``Chậm tiến độ`` (capitalised for a table cell)."""
    return _capital(STATUS_LABELS_VI.get(code, code))


def _registry_field(indicator_id: str, name: str, fallback: str) -> str:
    registry = load_registry()
    return getattr(registry[indicator_id], name) if indicator_id in registry else fallback


def indicator_name(indicator_id: str) -> str:
    return _registry_field(indicator_id, "name_vi", indicator_id)


def _unit_of(indicator_id: str) -> str:
    return _registry_field(indicator_id, "unit", "other")


def _is_qualitative(indicator_id: str) -> bool:
    return _registry_field(indicator_id, "kind", "level") == "milestone"


def fmt_gap(gap: object, unit: str) -> str:
    """What is still missing: percentage points for percentages (``21,5 điểm %``)."""
    if is_missing(gap):
        return "—"
    if unit == "%":
        return f"{fmt_number(float(gap))} điểm %"
    return fmt_value(float(gap), unit)


def fmt_ratio(ratio: object) -> str:
    """The progress ratio as the comparison prints it in its notes: ``0,48``."""
    return "—" if is_missing(ratio) else fmt_number(float(ratio), 2)


def period_short(code: object) -> str:
    """``2026-Q3`` → ``Quý III/2026``; other kinds use their Vietnamese label."""
    if is_missing(code):
        return "—"
    period = Period.parse(str(code))
    if period.kind == "Q":
        return f"Quý {('I', 'II', 'III', 'IV')[period.index - 1]}/{period.year}"
    return period.label_vi


def _severity(code: str) -> int:
    return STATUS_ORDER.index(code) if code in STATUS_ORDER else len(STATUS_ORDER)


def _stage_label(value: object) -> str:
    if is_missing(value):
        return "—"
    return _capital(STAGE_LABELS_VI[_STAGE_BY_NUMBER.get(int(float(value)), "not_started")])


def _target_text(row: pd.Series) -> str:
    if _is_qualitative(row["indicator_id"]):
        return "Hoàn thành"
    return fmt_target(
        row["comparator"], row["target"], row["value_max"], _unit_of(row["indicator_id"])
    )


# ── pure tables ─────────────────────────────────────────────────────────────


def status_counts(status: pd.DataFrame) -> pd.DataFrame:
    """Rows per status, most urgent first: ``status, label, count``."""
    counts = status["status"].value_counts()
    codes = sorted(counts.index, key=_severity)
    return pd.DataFrame(
        {
            "status": codes,
            "label": [status_label(c) for c in codes],
            "count": [int(counts[c]) for c in codes],
        }
    )


def needs_direction(status: pd.DataFrame, limit: int = 5) -> pd.DataFrame:
    """The indicators that most need the chairman's direction, most urgent first.

    Urgency is the status order (overdue, deteriorating, off track, needs acceleration),
    then the smallest progress ratio, then the nearest milestone.
    """
    urgent = status[status["status"].isin(NEEDS_DIRECTION)].copy()
    urgent["_severity"] = urgent["status"].map(_severity)
    urgent["_ratio"] = pd.to_numeric(urgent["progress_ratio"], errors="coerce")
    urgent = urgent.sort_values(
        ["_severity", "_ratio", "milestone_year", "indicator_id"], na_position="last"
    )
    return urgent.drop(columns=["_severity", "_ratio"]).head(limit).reset_index(drop=True)


def status_changes(history: pd.DataFrame, period: Period | str) -> pd.DataFrame:
    """Indicator-milestones whose status changed in ``period``, worsened ones first.

    Columns ``indicator_id, milestone_year, before, after, better``; ``better`` is True
    when the status moved towards "achieved".
    """
    columns = ["indicator_id", "milestone_year", "before", "after", "better"]
    code = Period.parse(period).code
    if history.empty:
        return pd.DataFrame(columns=columns)
    mine = history[(history["period"].astype(str) == code)]
    mine = mine[mine["previous_status"].fillna("").astype(str) != ""]
    mine = mine[mine["previous_status"] != mine["status"]]
    frame = pd.DataFrame(
        {
            "indicator_id": mine["indicator_id"],
            "milestone_year": mine["milestone_year"].astype(int),
            "before": mine["previous_status"],
            "after": mine["status"],
            "better": [
                _severity(a) > _severity(b)
                for a, b in zip(mine["status"], mine["previous_status"], strict=True)
            ],
        }
    )
    return frame.sort_values(["better", "indicator_id"], kind="stable").reset_index(drop=True)


def previous_period(history: pd.DataFrame, period: Period | str) -> Period | None:
    """The period before ``period`` in the status history, if any."""
    period = Period.parse(period)
    if history.empty:
        return None
    earlier = sorted({Period.parse(str(p)) for p in history["period"]} - {period})
    earlier = [p for p in earlier if p < period]
    return earlier[-1] if earlier else None


def area_table(status: pd.DataFrame, area: str) -> pd.DataFrame:
    """The quantitative indicators of one area, formatted for reading."""
    rows = []
    for _, row in status[status["area"] == area].iterrows():
        if _is_qualitative(row["indicator_id"]):
            continue
        unit = _unit_of(row["indicator_id"])
        rows.append(
            {
                "status": row["status"],
                "Chỉ tiêu": indicator_name(row["indicator_id"]),
                "Mốc": str(int(row["milestone_year"])),
                "Mục tiêu": _target_text(row),
                "Kết quả": fmt_value(row["value"], unit),
                "Kỳ số liệu": period_short(row["value_period"]),
                "Cần đạt đến nay": fmt_value(row["expected_now"], unit),
                "Tỷ lệ tiến độ": fmt_ratio(row["progress_ratio"]),
                "Đánh giá": status_label(row["status"]),
            }
        )
    return pd.DataFrame(rows)


def _latest_note(observations: pd.DataFrame, indicator_id: str, period_code: object) -> str:
    if observations.empty or is_missing(period_code) or "note" not in observations.columns:
        return ""
    mine = observations[
        (observations["indicator_id"] == indicator_id)
        & (observations["period"].astype(str) == str(period_code))
    ]
    notes = [_unit_words(str(n)) for n in mine["note"] if not is_missing(n)]
    notes = [n for n in notes if n]
    return notes[-1] if notes else ""


def _unit_words(note: str) -> str:
    """The unit's own words: nq57's "[nq57] …" annotations are for analysts, not leaders."""
    return " · ".join(p for p in note.split(" · ") if p and not p.startswith("[nq57]"))


def qualitative_table(status: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """Qualitative milestones: the stage last reported against the milestone year."""
    rows = []
    for _, row in status.iterrows():
        if not _is_qualitative(row["indicator_id"]):
            continue
        rows.append(
            {
                "status": row["status"],
                "Nhiệm vụ": indicator_name(row["indicator_id"]),
                "Lĩnh vực": str(row["area"]),
                "Mốc": str(int(row["milestone_year"])),
                "Tình trạng báo cáo": _stage_label(row["value"]),
                "Kỳ báo cáo": period_short(row["value_period"]),
                "Ghi chú của đơn vị": _latest_note(
                    observations, row["indicator_id"], row["value_period"]
                ),
                "Đánh giá": status_label(row["status"]),
            }
        )
    return pd.DataFrame(rows)


def missing_data_table(status: pd.DataFrame, period: Period | str) -> pd.DataFrame:
    """Indicators with no figure or stage for ``period`` (none at all, or only an older one)."""
    code = Period.parse(period).code
    rows = []
    for _, row in status.drop_duplicates("indicator_id").iterrows():
        if str(row["value_period"]) == code and not is_missing(row["value"]):
            continue
        last = "chưa có" if is_missing(row["value_period"]) else period_short(row["value_period"])
        rows.append(
            {
                "indicator_id": row["indicator_id"],
                "Chỉ tiêu": indicator_name(row["indicator_id"]),
                "Lĩnh vực": str(row["area"]),
                "Số liệu gần nhất": last,
            }
        )
    return pd.DataFrame(rows, columns=["indicator_id", "Chỉ tiêu", "Lĩnh vực", "Số liệu gần nhất"])


def sources(observations: pd.DataFrame, indicator_id: str, value_period: object) -> str:
    """Where a figure came from: ``file › sheet › cell`` of every observation it rests on.

    A flow's figure is the year-to-date sum, so every period of that year up to
    ``value_period`` is cited; other kinds cite the ``value_period`` row.
    """
    if observations.empty or is_missing(value_period):
        return "—"
    mine = observations[observations["indicator_id"] == indicator_id]
    until = Period.parse(str(value_period))
    flow = _registry_field(indicator_id, "kind", "level") == "flow"
    keep = []
    for code in mine["period"].astype(str):
        seen = Period.parse(code)
        keep.append(seen.year == until.year and seen <= until if flow else seen == until)
    cited = mine[keep]
    if cited.empty:
        return "—"
    return "; ".join(
        f"{r.source_file} › {r.source_sheet} › {r.source_cell}" for r in cited.itertuples()
    )


def appendix_table(status: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """Every indicator-milestone with its inputs, arithmetic and sources."""
    rows = []
    for _, row in status.sort_values(["area", "indicator_id", "milestone_year"]).iterrows():
        ident = row["indicator_id"]
        unit = _unit_of(ident)
        qualitative = _is_qualitative(ident)
        value = _stage_label(row["value"]) if qualitative else fmt_value(row["value"], unit)
        if not is_missing(row["value"]):
            value = f"{value} ({period_short(row['value_period'])})"
        baseline = "—"
        if not is_missing(row["baseline"]):
            baseline = (
                f"{fmt_value(row['baseline'], unit)} ({period_short(row['baseline_period'])})"
            )
        rows.append(
            {
                "status": row["status"],
                "Chỉ tiêu": f"{indicator_name(ident)} [{ident}]",
                "Mốc": str(int(row["milestone_year"])),
                "Mục tiêu": _target_text(row),
                "Kết quả (kỳ)": value,
                "Gốc (kỳ)": baseline,
                "Cần đạt đến nay": fmt_value(row["expected_now"], unit),
                "Còn thiếu": fmt_gap(row["gap"], unit),
                "Tỷ lệ tiến độ": fmt_ratio(row["progress_ratio"]),
                "Đánh giá": status_label(row["status"]),
                "Cách tính": "" if is_missing(row["method_note"]) else str(row["method_note"]),
                "Nguồn (tệp › trang › ô)": sources(observations, ident, row["value_period"]),
            }
        )
    return pd.DataFrame(rows)


# ── HTML building blocks ────────────────────────────────────────────────────


def _e(text: object) -> str:
    return html.escape(nfc(str(text)), quote=True)


def html_table(
    frame: pd.DataFrame,
    widths: dict[str, float] | None = None,
    css_class: str = "nq57-table",
    status_column: str | None = "status",
    numeric: Iterable[str] = (),
) -> str:
    """An HTML table of the frame's columns.

    ``widths`` (percent per shown column) fixes the layout: the table is then laid out
    from its column widths instead of measuring every cell, which keeps PDF rendering fast
    and the columns steady from one period to the next. ``status_column`` (not shown)
    colours the "Đánh giá" cell; ``numeric`` columns are right-aligned.
    """
    numeric = set(numeric)
    shown = [c for c in frame.columns if c != status_column]
    cols = ""
    if widths:
        cols = "<colgroup>" + "".join(
            f'<col style="width: {widths[c]:g}%"/>' if c in widths else "<col/>" for c in shown
        )
        cols += "</colgroup>"
        css_class += " fixed"
    head = "".join(
        f'<th class="num">{_e(c)}</th>' if c in numeric else f"<th>{_e(c)}</th>" for c in shown
    )
    body = []
    for _, row in frame.iterrows():
        cells = []
        for column in shown:
            value = "" if is_missing(row[column]) else row[column]
            css = ' class="num"' if column in numeric else ""
            if column == "Đánh giá" and status_column in frame.columns:
                css = f' class="status st-{_e(row[status_column])}"'
            cells.append(f"<td{css}>{_e(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="{css_class}">{cols}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def figure_html(figure, alt: str, dpi: int = 120) -> str:
    """A chart as an embedded PNG (no file beside the report, no request anywhere)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    # Matplotlib's "Software" metadata would carry its web address into the report.
    # The charts use constrained layout, so no second "tight" drawing pass is needed.
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(figure)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<figure class="nq57-chart"><img src="data:image/png;base64,{encoded}" alt="{_e(alt)}"/>'
        "</figure>"
    )


def _note(text: str) -> str:
    return f'<p class="nq57-note">{_e(text)}</p>'


def _block(inner: str, css_class: str) -> HTML:
    return HTML(nfc(f'<div class="{css_class}">{inner}</div>'))


# ── sections (what the notebook calls) ──────────────────────────────────────


def report_title(period: Period | str) -> str:
    """``Báo cáo kết quả thực hiện Kế hoạch số 106/KH-UBND — Quý III năm 2026``."""
    return f"Báo cáo {TITLE[0].lower()}{TITLE[1:]} — {Period.parse(period).label_vi}"


def header(data: BriefingData, report_date: date | None = None) -> HTML:
    """Administrative header (Nghị định 30/2020/NĐ-CP), title and the illustrative banner."""
    report_date = report_date or date.today()
    banner = ""
    if data.illustrative:
        banner = (
            f'<div class="nq57-banner">{_e(config.ILLUSTRATIVE_LABEL.upper())} — '
            "không dùng để chỉ đạo, điều hành</div>"
        )
    issuer = "<br/>".join(_e(line) for line in ISSUER_LINES)
    nation, slogan = (_e(line) for line in MOTTO_LINES)
    running = f"Báo cáo KH 106/KH-UBND — {data.period.label_vi}"
    inner = (
        f"{banner}"
        '<table class="nq57-masthead"><tr>'
        f'<td class="nq57-issuer"><p class="nq57-org">{issuer}</p>'
        f'<p class="nq57-number">{_e(NUMBER_LINE)}</p></td>'
        f'<td class="nq57-motto"><p class="nq57-nation">{nation}</p>'
        f'<p class="nq57-slogan">{slogan}</p>'
        f'<p class="nq57-dateline">{_e(PLACE)}, {_e(fmt_date_long(report_date))}</p></td>'
        "</tr></table>"
        '<div class="nq57-titleblock">'
        f'<p class="nq57-title-kind">{_e(TITLE_KIND)}</p>'
        f'<p class="nq57-title">{_e(TITLE)}</p>'
        f'<p class="nq57-title-period">{_e(data.period.label_vi)}</p></div>'
        f'<p class="nq57-running">{_e(running)}</p>'
    )
    return _block(inner, "nq57-header")


def summary(data: BriefingData, limit: int = 5) -> HTML:
    """Counts by status, the indicators that most need direction, changes since last period."""
    counts = status_counts(data.status)
    total = int(counts["count"].sum())
    counts_frame = pd.DataFrame(
        {
            "status": counts["status"],
            "Đánh giá": counts["label"],
            "Số lượt chỉ tiêu – mốc": [fmt_number(c, 0) for c in counts["count"]],
            "Tỷ lệ": [fmt_percent(100 * c / total) for c in counts["count"]],
        }
    )
    indicators = data.status["indicator_id"].nunique()
    parts = [
        "<h3>1. Số chỉ tiêu theo đánh giá</h3>",
        _note(
            f"{fmt_number(indicators, 0)} chỉ tiêu, {fmt_number(total, 0)} lượt đánh giá theo mốc "
            f"(mốc tiếp theo và các mốc trước chưa đạt), số liệu đến hết "
            f"{data.period.label_vi[:1].lower()}{data.period.label_vi[1:]}."
        ),
        html_table(
            counts_frame,
            {"Đánh giá": 50, "Số lượt chỉ tiêu – mốc": 30, "Tỷ lệ": 20},
            numeric=("Số lượt chỉ tiêu – mốc", "Tỷ lệ"),
        ),
        "<h3>2. Chỉ tiêu cần tập trung chỉ đạo</h3>",
        _urgent_html(needs_direction(data.status, limit)),
        _changes_html(data),
    ]
    return _block("".join(parts), "nq57-summary")


def _urgent_html(urgent: pd.DataFrame) -> str:
    if urgent.empty:
        return _note("Không có chỉ tiêu quá hạn, đi xuống, chậm tiến độ hay cần đẩy nhanh.")
    items = []
    for _, row in urgent.iterrows():
        unit = _unit_of(row["indicator_id"])
        detail = f"mục tiêu {_target_text(row).lower()} vào năm {int(row['milestone_year'])}"
        if _is_qualitative(row["indicator_id"]):
            detail += f"; tình trạng: {_stage_label(row['value']).lower()}"
        elif not is_missing(row["value"]):
            detail += f"; kết quả {fmt_value(row['value'], unit)}"
            if not is_missing(row["expected_now"]) and row["status"] != "overdue":
                detail += f", cần đạt đến nay {fmt_value(row['expected_now'], unit)}"
        items.append(
            f'<li><span class="status st-{_e(row["status"])}">'
            f"{_e(status_label(row['status']))}</span> — "
            f"<strong>{_e(indicator_name(row['indicator_id']))}</strong>: {_e(detail)}.</li>"
        )
    return f'<ol class="nq57-urgent">{"".join(items)}</ol>'


def _changes_html(data: BriefingData, limit: int = 8) -> str:
    heading = "<h3>3. Thay đổi so với kỳ trước</h3>"
    before = previous_period(data.history, data.period)
    if before is None:
        return heading + _note("Chưa có kỳ trước để so sánh.")
    changes = status_changes(data.history, data.period)
    since = period_short(before.code)
    if changes.empty:
        return heading + _note(f"Không có chỉ tiêu nào thay đổi đánh giá so với {since}.")
    frame = pd.DataFrame(
        {
            "status": changes["after"],
            "Chỉ tiêu": [indicator_name(i) for i in changes["indicator_id"]],
            "Mốc": [str(y) for y in changes["milestone_year"]],
            since: [status_label(s) for s in changes["before"]],
            "Chiều": ["tốt lên ↑" if b else "xấu đi ↓" for b in changes["better"]],
            "Đánh giá": [status_label(s) for s in changes["after"]],
        }
    )
    better = int(changes["better"].sum())
    note = (
        f"So với {since}: {fmt_number(len(changes) - better, 0)} lượt xấu đi, "
        f"{fmt_number(better, 0)} lượt tốt lên."
    )
    if len(frame) > limit:
        # The summary must stay on one page; the appendix lists every indicator.
        note += f" Bảng dưới nêu {fmt_number(limit, 0)} lượt đầu, xấu đi trước."
        frame = frame.head(limit)
    widths = {"Chỉ tiêu": 46, "Mốc": 8, since: 15, "Chiều": 12, "Đánh giá": 19}
    return heading + _note(note) + html_table(frame, widths)


def status_overview_chart(data: BriefingData) -> HTML:
    """The area × status overview chart."""
    from nq57lib.report.charts import plot_area_status

    figure = plot_area_status(data.status, illustrative=data.illustrative)
    return _block(figure_html(figure, "Số chỉ tiêu theo lĩnh vực và đánh giá"), "nq57-figure")


def area_section(data: BriefingData, area: str) -> HTML:
    """One area (a–e): its quantitative indicators as a table and a chart of the gaps."""
    if area not in AREAS:
        raise ValueError(f"area must be one of {', '.join(AREAS)}, not {area!r}")
    table = area_table(data.status, area)
    if table.empty:
        return _block(_note("Lĩnh vực này chỉ có mốc định tính (xem mục III)."), "nq57-area")
    parts = [
        html_table(
            table,
            _AREA_WIDTHS,
            numeric=("Kết quả", "Cần đạt đến nay", "Tỷ lệ tiến độ"),
        )
    ]
    chart = _area_chart(data.status, area, data.illustrative)
    if chart:
        parts.append(chart)
    return _block("".join(parts), "nq57-area")


def _area_chart(status: pd.DataFrame, area: str, illustrative: bool) -> str:
    from nq57lib.report.charts import largest_gaps, plot_largest_gaps

    subset = status[status["area"] == area]
    if largest_gaps(subset).empty:
        return ""  # nothing behind its target: the table says it all
    figure = plot_largest_gaps(subset, illustrative=illustrative)
    return figure_html(figure, f"Khoảng cách tới mục tiêu — {area_heading(area)}")


def qualitative_section(data: BriefingData) -> HTML:
    table = qualitative_table(data.status, data.observations)
    if table.empty:
        return _block(_note("Không có mốc định tính nào đến hạn theo dõi trong kỳ."), "nq57-qual")
    widths = {
        "Nhiệm vụ": 30, "Lĩnh vực": 7, "Mốc": 6, "Tình trạng báo cáo": 13, "Kỳ báo cáo": 11,
        "Ghi chú của đơn vị": 17, "Đánh giá": 16,
    }  # fmt: skip
    return _block(html_table(table, widths), "nq57-qual")


def quality_table(quality: pd.DataFrame) -> pd.DataFrame:
    """Files received: unit, whether the file could be read, rows read/accepted/quarantined."""
    if quality.empty:
        return pd.DataFrame()
    status = {"ok": "Đọc được", "rejected": "Không đọc được"}
    unit = quality["unit_name"] if "unit_name" in quality.columns else quality["reported_by"]
    frame = pd.DataFrame(
        {
            "Đơn vị": unit,
            "Tệp": quality["source_file"],
            "Tình trạng tệp": [status.get(str(s), str(s)) for s in quality["file_status"]],
        }
    )
    for column, heading in _QUALITY_COUNTS.items():
        frame[heading] = [fmt_number(v, 0) for v in quality[column]]
    frame["Ghi chú"] = [
        "" if is_missing(m) else str(m) for m in quality.get("message", [""] * len(quality))
    ]
    return frame


def submissions_table(submissions: pd.DataFrame) -> pd.DataFrame:
    """Per unit: indicators it must report, those with a valid figure, those still missing."""
    if submissions.empty:
        return pd.DataFrame()

    def names(ids: object) -> str:
        if is_missing(ids):
            return ""
        return "; ".join(indicator_name(i.strip()) for i in str(ids).split(";") if i.strip())

    return pd.DataFrame(
        {
            "Đơn vị": submissions["unit_name"],
            "Phải báo cáo": [fmt_number(v, 0) for v in submissions["expected"]],
            "Đã có số liệu": [fmt_number(v, 0) for v in submissions["received"]],
            "Còn thiếu": [fmt_number(v, 0) for v in submissions["missing_count"]],
            "Chỉ tiêu còn thiếu": [names(m) for m in submissions["missing"]],
        }
    )


def data_quality_section(data: BriefingData) -> HTML:
    """Files received, missing submissions per unit, and rejected rows with their reasons."""
    parts = ["<h3>1. Tệp số liệu đã tiếp nhận</h3>"]
    quality = quality_table(data.quality)
    if quality.empty:
        parts.append(_note("Không có bảng tổng hợp tiếp nhận số liệu cho kỳ này."))
    else:
        parts.append(
            html_table(
                quality,
                {
                    "Đơn vị": 18,
                    "Tệp": 20,
                    "Tình trạng tệp": 10,
                    **dict.fromkeys(_QUALITY_COUNTS.values(), 7.5),
                    "Ghi chú": 22,
                },
                status_column=None,
                numeric=_QUALITY_COUNTS.values(),
            )
        )
    parts.append("<h3>2. Báo cáo còn thiếu</h3>")
    submissions = submissions_table(data.submissions)
    if not submissions.empty:
        late = submissions[submissions["Còn thiếu"] != "0"]
        parts.append(
            _note(
                f"{fmt_number(len(late), 0)}/{fmt_number(len(submissions), 0)} đơn vị còn thiếu "
                "số liệu hợp lệ của ít nhất một chỉ tiêu được giao."
            )
        )
        parts.append(
            html_table(
                submissions,
                {
                    "Đơn vị": 22,
                    "Phải báo cáo": 9,
                    "Đã có số liệu": 9,
                    "Còn thiếu": 9,
                    "Chỉ tiêu còn thiếu": 51,
                },
                status_column=None,
                numeric=("Phải báo cáo", "Đã có số liệu", "Còn thiếu"),
            )
        )
    else:
        missing = missing_data_table(data.status, data.period)
        if missing.empty:
            parts.append(_note("Mọi chỉ tiêu đều có số liệu trong kỳ."))
        else:
            parts.append(_note(f"Chỉ tiêu chưa có số liệu {period_short(data.period.code)}:"))
            widths = {"Chỉ tiêu": 60, "Lĩnh vực": 15, "Số liệu gần nhất": 25}
            parts.append(
                html_table(missing.drop(columns="indicator_id"), widths, status_column=None)
            )
    parts.append("<h3>3. Dòng số liệu bị cách ly</h3>")
    if data.quarantine.empty:
        parts.append(_note("Không có dòng nào bị cách ly."))
    else:
        quarantine = pd.DataFrame(
            {
                "Tệp": data.quarantine["source_file"],
                "Trang tính": data.quarantine["source_sheet"],
                "Dòng": [fmt_number(v, 0) for v in data.quarantine["source_row"]],
                "Lý do (đơn vị cần sửa và gửi lại)": data.quarantine["reason"],
            }
        )
        parts.append(_note(f"{fmt_number(len(quarantine), 0)} dòng cần đơn vị kiểm tra lại."))
        widths = {"Tệp": 18, "Trang tính": 10, "Dòng": 6, "Lý do (đơn vị cần sửa và gửi lại)": 66}
        parts.append(html_table(quarantine, widths, status_column=None, numeric=("Dòng",)))
    return _block("".join(parts), "nq57-quality")


def appendix(data: BriefingData) -> HTML:
    """Every indicator-milestone's inputs, arithmetic and sources."""
    intro = _note(
        "Tỷ lệ tiến độ: mức thay đổi đã đạt so với mức cần đạt đến nay (1 là đúng tiến độ; "
        "phương pháp xem docs/methodology.md). Cột “Cách tính” ghi phép tính quyết định đánh giá; "
        "cột “Nguồn” ghi tệp, trang tính và ô của từng số liệu."
    )
    table = html_table(
        appendix_table(data.status, data.observations),
        _APPENDIX_WIDTHS,
        css_class="nq57-table nq57-appendix",
    )
    return _block(intro + table, "nq57-appendix")


def closing(data: BriefingData) -> HTML:
    """Recipients (left) and the signing authority (right), as Nghị định 30/2020 lays out."""
    recipients = "".join(
        f"<li>{_e(r)}</li>"
        for r in (
            "Thường trực Đảng ủy phường;",
            "Thường trực HĐND phường;",
            "Chủ tịch, các Phó Chủ tịch UBND phường;",
            "Các phòng, ban, đơn vị thuộc UBND phường;",
            "Lưu: VT.",
        )
    )
    inner = (
        '<table class="nq57-signature"><tr>'
        f'<td class="nq57-recipients"><p><strong><em>Nơi nhận:</em></strong></p><ul>{recipients}'
        "</ul></td>"
        '<td class="nq57-signer"><p><strong>TM. ỦY BAN NHÂN DÂN</strong></p>'
        "<p><strong>CHỦ TỊCH</strong></p>"
        '<p class="nq57-sign-space"></p></td>'
        "</tr></table>"
    )
    return _block(inner, "nq57-closing")


def area_heading(area: str) -> str:
    """``a) Phát triển hạ tầng`` — the heading of each area in the notebook."""
    return f"{area}) {AREAS[area]}"
