"""The quarterly briefing, section by section: what notebooks/30-briefing.ipynb displays.

Each public function takes the loaded :class:`~nq57lib.report.data.BriefingData` and
returns one ``IPython.display.HTML`` block, so the notebook stays a list of headings and
one-line calls. The tables come from :mod:`nq57lib.report.tables`, the charts from
:mod:`nq57lib.report.charts`; figures and targets are formatted by :mod:`nq57lib.core.fmt`,
so the briefing and the Excel appendix agree.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from nq57lib.assess.statuses import label
from nq57lib.core import config
from nq57lib.core.fmt import fmt_date_long, fmt_number, fmt_percent, fmt_value, is_missing
from nq57lib.core.periods import Period
from nq57lib.plan.registry import AREAS
from nq57lib.report.charts import largest_gaps, plot_area_status, plot_largest_gaps
from nq57lib.report.data import BriefingData, load_briefing_data
from nq57lib.report.html import block, escape, figure_html, html_table, note
from nq57lib.report.tables import (
    QUALITY_COUNTS,
    appendix_table,
    area_table,
    is_qualitative,
    missing_data_table,
    needs_direction,
    period_short,
    previous_period,
    qualitative_table,
    quality_table,
    stage_label,
    status_changes,
    status_counts,
    submissions_table,
    target_text,
)
from nq57lib.report.tasks import tasks_section

__all__ = ["BriefingData", "load_briefing_data", "tasks_section"]

ISSUER_LINES = ("ỦY BAN NHÂN DÂN", "PHƯỜNG HỒNG BÀNG")
MOTTO_LINES = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
NUMBER_LINE = "Số: …/BC-UBND"
PLACE = "Hồng Bàng"
TITLE_KIND = "BÁO CÁO"
TITLE = "Kết quả thực hiện Kế hoạch số 106/KH-UBND"
_AREA_WIDTHS = {
    "Chỉ tiêu": 31, "Mốc": 6, "Mục tiêu": 10, "Kết quả": 8, "Kỳ số liệu": 12,
    "Cần đạt đến nay": 9, "Tỷ lệ tiến độ": 8, "Đánh giá": 16,
}  # fmt: skip
_APPENDIX_WIDTHS = {
    "Chỉ tiêu": 16, "Mốc": 4, "Mục tiêu": 6, "Kết quả (kỳ)": 8, "Gốc (kỳ)": 8,
    "Cần đạt đến nay": 5.5, "Còn thiếu": 6, "Tỷ lệ tiến độ": 5, "Đánh giá": 8,
    "Cách tính": 19.5, "Nguồn (tệp › trang › ô)": 14,
}  # fmt: skip


def report_title(period: Period | str) -> str:
    """``Báo cáo kết quả thực hiện Kế hoạch số 106/KH-UBND — Quý III năm 2026``."""
    return f"Báo cáo {TITLE[0].lower()}{TITLE[1:]} — {Period.parse(period).label_vi}"


def header(data: BriefingData) -> HTML:
    """Administrative header (Nghị định 30/2020/NĐ-CP), title and the illustrative banner."""
    banner = ""
    if data.illustrative:
        banner = (
            f'<div class="nq57-banner">{escape(config.ILLUSTRATIVE_LABEL.upper())} — '
            "không dùng để chỉ đạo, điều hành</div>"
        )
    issuer = "<br/>".join(escape(line) for line in ISSUER_LINES)
    nation, slogan = (escape(line) for line in MOTTO_LINES)
    running = f"Báo cáo KH 106/KH-UBND — {data.period.label_vi}"
    inner = (
        f"{banner}"
        '<table class="nq57-masthead"><tr>'
        f'<td class="nq57-issuer"><p class="nq57-org">{issuer}</p>'
        f'<p class="nq57-number">{escape(NUMBER_LINE)}</p></td>'
        f'<td class="nq57-motto"><p class="nq57-nation">{nation}</p>'
        f'<p class="nq57-slogan">{slogan}</p>'
        f'<p class="nq57-dateline">{escape(PLACE)}, '
        f"{escape(fmt_date_long(data.report_date))}</p></td>"
        "</tr></table>"
        '<div class="nq57-titleblock">'
        f'<p class="nq57-title-kind">{escape(TITLE_KIND)}</p>'
        f'<p class="nq57-title">{escape(TITLE)}</p>'
        f'<p class="nq57-title-period">{escape(data.period.label_vi)}</p></div>'
        f'<p class="nq57-running">{escape(running)}</p>'
    )
    return block(inner, "nq57-header")


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
        note(
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
    return block("".join(parts), "nq57-summary")


def _urgent_html(urgent: pd.DataFrame) -> str:
    if urgent.empty:
        return note("Không có chỉ tiêu quá hạn, đi xuống, chậm tiến độ hay cần đẩy nhanh.")
    items = []
    for _, row in urgent.iterrows():
        unit = row["unit"]
        detail = f"mục tiêu {target_text(row).lower()} vào năm {int(row['milestone_year'])}"
        if is_qualitative(row):
            detail += f"; tình trạng: {stage_label(row['value']).lower()}"
        elif not is_missing(row["value"]):
            detail += f"; kết quả {fmt_value(row['value'], unit)}"
            if not is_missing(row["expected_now"]) and row["status"] != "overdue":
                detail += f", cần đạt đến nay {fmt_value(row['expected_now'], unit)}"
        items.append(
            f'<li><span class="status st-{escape(row["status"])}">'
            f"{escape(label(row['status']))}</span> — "
            f"<strong>{escape(row['name_vi'])}</strong>: {escape(detail)}.</li>"
        )
    return f'<ol class="nq57-urgent">{"".join(items)}</ol>'


def _changes_html(data: BriefingData, limit: int = 8) -> str:
    heading = "<h3>3. Thay đổi so với kỳ trước</h3>"
    before = previous_period(data.history, data.period)
    if before is None:
        return heading + note("Chưa có kỳ trước để so sánh.")
    changes = status_changes(data.history, data.period)
    since = period_short(before.code)
    if changes.empty:
        return heading + note(f"Không có chỉ tiêu nào thay đổi đánh giá so với {since}.")
    frame = pd.DataFrame(
        {
            "status": changes["after"],
            "Chỉ tiêu": [data.indicator_names.get(i, i) for i in changes["indicator_id"]],
            "Mốc": [str(y) for y in changes["milestone_year"]],
            since: [label(s) for s in changes["before"]],
            "Chiều": ["tốt lên ↑" if b else "xấu đi ↓" for b in changes["better"]],
            "Đánh giá": [label(s) for s in changes["after"]],
        }
    )
    better = int(changes["better"].sum())
    summary_line = (
        f"So với {since}: {fmt_number(len(changes) - better, 0)} lượt xấu đi, "
        f"{fmt_number(better, 0)} lượt tốt lên."
    )
    if len(frame) > limit:
        # The summary must stay on one page; the appendix lists every indicator.
        summary_line += f" Bảng dưới nêu {fmt_number(limit, 0)} lượt đầu, xấu đi trước."
        frame = frame.head(limit)
    widths = {"Chỉ tiêu": 46, "Mốc": 8, since: 15, "Chiều": 12, "Đánh giá": 19}
    return heading + note(summary_line) + html_table(frame, widths)


def status_overview_chart(data: BriefingData) -> HTML:
    """The area × status overview chart."""
    figure = plot_area_status(data.status, illustrative=data.illustrative)
    return block(figure_html(figure, "Số chỉ tiêu theo lĩnh vực và đánh giá"), "nq57-figure")


def area_section(data: BriefingData, area: str) -> HTML:
    """One area (a–e): its quantitative indicators as a table and a chart of the gaps."""
    if area not in AREAS:
        raise ValueError(f"area must be one of {', '.join(AREAS)}, not {area!r}")
    table = area_table(data.status, area)
    if table.empty:
        return block(note("Lĩnh vực này chỉ có mốc định tính (xem mục III)."), "nq57-area")
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
    return block("".join(parts), "nq57-area")


def _area_chart(status: pd.DataFrame, area: str, illustrative: bool) -> str:
    subset = status[status["area"] == area]
    if largest_gaps(subset).empty:
        return ""  # nothing behind its target: the table says it all
    figure = plot_largest_gaps(subset, illustrative=illustrative)
    return figure_html(figure, f"Khoảng cách tới mục tiêu — {area_heading(area)}")


def qualitative_section(data: BriefingData) -> HTML:
    table = qualitative_table(data.status, data.observations)
    if table.empty:
        return block(note("Không có mốc định tính nào đến hạn theo dõi trong kỳ."), "nq57-qual")
    widths = {
        "Nhiệm vụ": 30, "Lĩnh vực": 7, "Mốc": 6, "Tình trạng báo cáo": 13, "Kỳ báo cáo": 11,
        "Ghi chú của đơn vị": 17, "Đánh giá": 16,
    }  # fmt: skip
    return block(html_table(table, widths), "nq57-qual")


def data_quality_section(data: BriefingData) -> HTML:
    """Files received, missing submissions per unit, and rejected rows with their reasons."""
    parts = ["<h3>1. Tệp số liệu đã tiếp nhận</h3>"]
    quality = quality_table(data.quality)
    if quality.empty:
        parts.append(note("Không có bảng tổng hợp tiếp nhận số liệu cho kỳ này."))
    else:
        parts.append(
            html_table(
                quality,
                {
                    "Đơn vị": 18,
                    "Tệp": 20,
                    "Tình trạng tệp": 10,
                    **dict.fromkeys(QUALITY_COUNTS.values(), 7.5),
                    "Ghi chú": 22,
                },
                status_column=None,
                numeric=QUALITY_COUNTS.values(),
            )
        )
    parts.append("<h3>2. Báo cáo còn thiếu</h3>")
    submissions = submissions_table(data.submissions, data.indicator_names)
    if not submissions.empty:
        late = submissions[submissions["Còn thiếu"] != "0"]
        parts.append(
            note(
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
            parts.append(note("Mọi chỉ tiêu đều có số liệu trong kỳ."))
        else:
            parts.append(note(f"Chỉ tiêu chưa có số liệu {period_short(data.period.code)}:"))
            widths = {"Chỉ tiêu": 60, "Lĩnh vực": 15, "Số liệu gần nhất": 25}
            parts.append(
                html_table(missing.drop(columns="indicator_id"), widths, status_column=None)
            )
    parts.append("<h3>3. Dòng số liệu bị cách ly</h3>")
    if data.quarantine.empty:
        parts.append(note("Không có dòng nào bị cách ly."))
    else:
        quarantine = pd.DataFrame(
            {
                "Tệp": data.quarantine["source_file"],
                "Trang tính": data.quarantine["source_sheet"],
                "Dòng": [fmt_number(v, 0) for v in data.quarantine["source_row"]],
                "Lý do (đơn vị cần sửa và gửi lại)": data.quarantine["reason"],
            }
        )
        parts.append(note(f"{fmt_number(len(quarantine), 0)} dòng cần đơn vị kiểm tra lại."))
        widths = {"Tệp": 18, "Trang tính": 10, "Dòng": 6, "Lý do (đơn vị cần sửa và gửi lại)": 66}
        parts.append(html_table(quarantine, widths, status_column=None, numeric=("Dòng",)))
    return block("".join(parts), "nq57-quality")


def appendix(data: BriefingData) -> HTML:
    """Every indicator-milestone's inputs, arithmetic and sources."""
    intro = note(
        "Tỷ lệ tiến độ: mức thay đổi đã đạt so với mức cần đạt đến nay (1 là đúng tiến độ; "
        "phương pháp xem docs/methodology.md). Cột “Cách tính” ghi phép tính quyết định đánh giá; "
        "cột “Nguồn” ghi tệp, trang tính và ô của từng số liệu."
    )
    table = html_table(
        appendix_table(data.status, data.observations),
        _APPENDIX_WIDTHS,
        css_class="nq57-table nq57-appendix",
    )
    return block(intro + table, "nq57-appendix")


def closing(data: BriefingData) -> HTML:
    """Recipients (left) and the signing authority (right), as Nghị định 30/2020 lays out."""
    recipients = "".join(
        f"<li>{escape(r)}</li>"
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
    return block(inner, "nq57-closing")


def area_heading(area: str) -> str:
    """``a) Phát triển hạ tầng`` — the heading of each area in the notebook."""
    return f"{area}) {AREAS[area]}"
