"""The briefing's annexes: data quality (annex 1) and every input and calculation (annex 2).

Here, and only here, the report names files, indicator codes and the progress ratio: the
annexes are for whoever checks the figures, not for the leader's reading. Every list that
grows with what the units send shows at most ``ROWS_SHOWN`` rows, then how many more and
the file that holds them all.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from IPython.display import HTML

from nq57lib.collect.resent import saved_text
from nq57lib.core import config
from nq57lib.core.fmt import fmt_date, fmt_number
from nq57lib.core.vocab import capital
from nq57lib.report.data import BriefingData
from nq57lib.report.html import ROWS_SHOWN, block, html_table, more_rows, note
from nq57lib.report.leader import MARK, interpretations, owing, reading_notes, result_cell
from nq57lib.report.tables import (
    QUALITY_COUNTS,
    appendix_table,
    missing_data_table,
    period_short,
    quality_table,
    resent_units,
    submissions_table,
)

APPENDIX_WIDTHS = {
    "Chỉ tiêu": 16, "Mốc": 4, "Mục tiêu": 6, "Kết quả (kỳ)": 8, "Gốc (kỳ)": 8,
    "Cần đạt đến nay": 5.5, "Còn thiếu": 6, "Tỷ lệ tiến độ": 5, "Đánh giá": 8,
    "Cách tính": 19.5, "Nguồn (tệp › trang › ô)": 14,
}  # fmt: skip


def _excel(data: BriefingData) -> str:
    """The Excel appendix of the report, as its folder names it, and a sheet of it."""
    return f"phụ lục Excel (phu-luc-{data.reported.code}.xlsx), trang “Tình trạng”"


def _files(data: BriefingData) -> list[str]:
    quality = quality_table(data.quality.head(ROWS_SHOWN))
    if quality.empty:
        return [note("Không có bảng tổng hợp tiếp nhận số liệu cho kỳ này.")]
    widths = {"Đơn vị": 15, "Tệp": 17, "Lưu tệp": 10, "Tình trạng tệp": 8,
              **dict.fromkeys(QUALITY_COUNTS.values(), 6.5), "Ghi chú": 24}  # fmt: skip
    return [
        html_table(quality, widths, status_column=None, numeric=QUALITY_COUNTS.values()),
        more_rows(len(data.quality), "dòng", "tệp quality.csv của kỳ"),
        *_late_and_resent(data),
    ]


def _late_and_resent(data: BriefingData) -> list[str]:
    """Who sent after the units' due day, and whose resent file replaced an earlier one."""
    said = []
    due = data.profile.calendar.units_due(data.period)
    late = (
        data.submissions[data.submissions["late"].astype(str) == "True"]
        if ("late" in data.submissions.columns)
        else data.submissions.iloc[0:0]
    )
    if due is not None:
        if len(late):
            names = "; ".join(
                f"{r['unit_name']} (lưu tệp lúc {saved_text(str(r['first_saved']))})"
                for _, r in late.iterrows()
            )
            said.append(f"Đơn vị gửi tệp sau hạn {fmt_date(due)}: {names}.")
        else:
            said.append(f"Các đơn vị đã gửi đều gửi tệp đúng hạn ({fmt_date(due)}).")
    for unit, files in resent_units(data.quality):
        earlier = ", ".join(files[:-1])
        said.append(
            f"{unit} gửi lại tệp {files[-1]}: số liệu của tệp này thay cho {earlier} ở những "
            "chỉ tiêu, nhiệm vụ hai tệp cùng báo cáo (dòng bị thay xem mục 5)."
        )
    return [note(s) for s in said]


def _owing(data: BriefingData) -> list[str]:
    submissions = submissions_table(owing(data), data.indicator_names)
    if submissions.empty:
        missing = missing_data_table(data.verdicts)
        if missing.empty:
            return [note("Mọi chỉ tiêu đều có số liệu trong kỳ.")]
        widths = {"Chỉ tiêu": 60, "Lĩnh vực": 15, "Số liệu gần nhất": 25}
        shown = missing.drop(columns="indicator_id").head(ROWS_SHOWN)
        return [
            note(f"Chỉ tiêu chưa có số liệu {period_short(data.period.code)}:"),
            html_table(shown, widths, status_column=None),
            more_rows(len(missing), "dòng", _excel(data)),
        ]
    late = submissions[submissions["Còn thiếu"] != "0"]
    widths = {"Đơn vị": 22, "Phải báo cáo": 9, "Đã có số liệu": 9, "Còn thiếu": 9,
              "Chỉ tiêu còn thiếu": 51}  # fmt: skip
    return [
        note(
            f"{fmt_number(len(late), 0)}/{fmt_number(len(submissions), 0)} đơn vị còn thiếu số "
            "liệu hợp lệ của ít nhất một chỉ tiêu được giao."
        ),
        html_table(
            submissions.head(ROWS_SHOWN), widths, status_column=None,
            numeric=("Phải báo cáo", "Đã có số liệu", "Còn thiếu"),
        ),
        more_rows(len(submissions), "dòng", "tệp submissions.csv của kỳ"),
    ]  # fmt: skip


def _remarks(data: BriefingData) -> list[str]:
    if data.remarks.empty:
        return [note("Các đơn vị không ghi chú lý do để trống số liệu.")]
    shown = data.remarks.head(ROWS_SHOWN)
    frame = pd.DataFrame(
        {
            "Đơn vị": [data.unit_names.get(u, u) for u in shown["reported_by"]],
            "Chỉ tiêu": [data.indicator_names.get(i, i) for i in shown["indicator_id"]],
            "Kỳ": [period_short(p) for p in shown["period"]],
            "Đơn vị ghi": shown["note"],
        }
    )
    widths = {"Đơn vị": 20, "Chỉ tiêu": 35, "Kỳ": 12, "Đơn vị ghi": 33}
    return [
        html_table(frame, widths, status_column=None),
        more_rows(len(data.remarks), "dòng", "tệp remarks.csv của từng kỳ"),
    ]


def interpreted_rows(data: BriefingData) -> pd.DataFrame:
    """Every figure on the leader's pages that carries the footnote sign, and why."""
    read = interpretations(data)
    rows = []
    for _, row in data.status.iterrows():
        why = reading_notes(row, data, read)
        if why:
            shown = result_cell(row, data, read)
            rows.append(
                {
                    "Chỉ tiêu": f"{row['name_vi']} [{row['indicator_id']}]",
                    "Kết quả": f"{shown.text} ({period_short(row['value_period'])})",
                    "Cách hệ thống đọc số liệu": "; ".join(dict.fromkeys(why)),
                }
            )
    return pd.DataFrame(rows)


def _interpreted(data: BriefingData) -> list[str]:
    frame = interpreted_rows(data)
    if frame.empty:
        return [note("Không có số liệu nào phải diễn giải.")]
    widths = {"Chỉ tiêu": 40, "Kết quả": 18, "Cách hệ thống đọc số liệu": 42}
    return [
        note(
            f"Các kết quả có dấu {MARK} trong báo cáo: hệ thống đọc số liệu khác với cách ghi "
            "của đơn vị, hoặc dùng số liệu của kỳ trước."
        ),
        html_table(frame.head(ROWS_SHOWN), widths, status_column=None),
        more_rows(
            len(frame), "dòng", f"tệp observations.csv của các kỳ (cột note) và {_excel(data)}"
        ),
    ]


def _quarantine(data: BriefingData) -> list[str]:
    if data.quarantine.empty:
        return [note("Không có dòng nào bị cách ly.")]
    shown = data.quarantine.head(ROWS_SHOWN)
    frame = pd.DataFrame(
        {
            "Tệp": shown["source_file"],
            "Trang tính": shown["source_sheet"],
            "Dòng": [fmt_number(v, 0) for v in shown["source_row"]],
            "Lý do (đơn vị cần sửa và gửi lại)": shown["reason"],
        }
    )
    text = f"{fmt_number(len(data.quarantine), 0)} dòng cần đơn vị kiểm tra lại."
    widths = {"Tệp": 18, "Trang tính": 10, "Dòng": 6, "Lý do (đơn vị cần sửa và gửi lại)": 66}
    return [
        note(text),
        html_table(frame, widths, status_column=None, numeric=("Dòng",)),
        more_rows(len(data.quarantine), "dòng", "tệp quarantine.csv của kỳ"),
    ]


def _plain_words(text: str) -> str:
    """A plan's sentence for a table cell: a "word" too long to wrap (a run of hundreds of
    digits) is cut, so the printed table keeps its columns."""
    return " ".join(w if len(w) <= 30 else f"{w[:12]}…" for w in str(text).split())


def _set_aside(data: BriefingData) -> list[str]:
    """The plan's targets that have no status: outside their indicator's plausible range."""
    aside = data.set_aside
    frame = pd.DataFrame(
        {
            "Chỉ tiêu trong Kế hoạch": [_plain_words(t) for t in aside["text"]],
            "Mốc": [str(int(y)) for y in aside["milestone_year"]],
            "Lý do không đánh giá": [capital(r) for r in aside["reason"]],
            "Dòng": [fmt_number(v, 0) for v in aside["source_line"]],
        }
    )
    widths = {"Chỉ tiêu trong Kế hoạch": 48, "Mốc": 7, "Lý do không đánh giá": 37, "Dòng": 8}
    return [
        note(
            "Các chỉ tiêu sau đặt mục tiêu ngoài khoảng giá trị chỉ số có thể nhận, nên không "
            "được đánh giá; cần sửa Kế hoạch (lệnh nq57 check-plan nêu từng chỉ tiêu). Cột "
            "“Dòng” ghi số dòng trong tệp Kế hoạch."
        ),
        html_table(frame, widths, status_column=None, numeric=("Dòng",)),
    ]


def _year_to_date(data: BriefingData) -> list[str]:
    """Each unit's own "Lũy kế từ đầu năm" against the sum of the periods it reported."""
    checks = data.year_to_date
    if checks.empty:
        return []
    differ = checks[checks["agrees"].astype(str) != "True"]
    lead = note(
        f"{fmt_number(len(checks), 0)} số lũy kế đơn vị ghi trong biểu; "
        f"{fmt_number(len(differ), 0)} số khác tổng các kỳ đã báo cáo. Báo cáo dùng tổng các "
        "kỳ (mỗi kỳ có ô nguồn); đơn vị cần rà soát số lũy kế hoặc số từng kỳ."
        if len(differ)
        else f"{fmt_number(len(checks), 0)} số lũy kế đơn vị ghi trong biểu đều bằng tổng các "
        "kỳ đã báo cáo."
    )
    if differ.empty:
        return [lead]
    names = data.indicator_names
    frame = pd.DataFrame(
        {
            "Chỉ tiêu": [names.get(i, i) for i in differ["indicator_id"]],
            "Đơn vị ghi lũy kế": [fmt_number(float(v), 2) for v in differ["unit_total"]],
            "Tổng các kỳ": [fmt_number(float(v), 2) for v in differ["periods_total"]],
            "Các kỳ đã cộng": [
                "; ".join(period_short(c) for c in str(p).split("; ") if c) or "—"
                for p in differ["periods_used"]
            ],
            "Tháng chưa có số liệu": [m or "—" for m in differ["months_missing"]],
            "Nguồn (tệp › trang › ô)": [
                f"{r.source_file} › {r.source_sheet} › {r.source_cell}"
                for r in differ.itertuples(index=False)
            ],
        }
    )
    widths = {"Chỉ tiêu": 26, "Đơn vị ghi lũy kế": 11, "Tổng các kỳ": 10, "Các kỳ đã cộng": 17,
              "Tháng chưa có số liệu": 14, "Nguồn (tệp › trang › ô)": 22}  # fmt: skip
    return [lead, html_table(frame, widths, status_column=None,
                             numeric=("Đơn vị ghi lũy kế", "Tổng các kỳ"))]  # fmt: skip


def _narrative_state(data: BriefingData) -> list[str]:
    missing = data.narrative.missing()
    if not missing:
        return [note("Cán bộ tổng hợp đã bổ sung nhận định cho mọi phần của báo cáo.")]
    listed = "; ".join(f"“{m}”" for m in missing)
    # Named as the analyst finds it from the project folder (data/raw/… by default).
    text = data.narrative_file or Path(
        config.DEFAULT_RAW, data.reported.code, config.NARRATIVE_FILE
    )
    shown = text.relative_to(data.profile.root) if text.is_relative_to(data.profile.root) else text
    return [
        note(
            f"Các phần sau chỉ có bản nháp của hệ thống: {listed}. Cán bộ tổng hợp bổ sung "
            f"nhận định vào tệp {shown.as_posix()} rồi chạy lại báo cáo (lệnh nq57 template "
            "--narrative tạo sẵn tệp mẫu)."
        )
    ]


def data_quality_section(data: BriefingData) -> HTML:
    """Annex 1: files, missing reports, units' notes, interpreted figures, rejected rows,
    the analyst's part and, if any, the plan's targets set aside as implausible."""
    parts = [
        "<h3>1. Tệp số liệu đã tiếp nhận</h3>", *_files(data),
        "<h3>2. Báo cáo còn thiếu</h3>", *_owing(data),
        "<h3>3. Lý do đơn vị để trống số liệu</h3>", *_remarks(data),
        f"<h3>4. Số liệu được hệ thống diễn giải ({MARK})</h3>", *_interpreted(data),
        "<h3>5. Dòng số liệu bị cách ly</h3>", *_quarantine(data),
        "<h3>6. Nhận định của cán bộ tổng hợp</h3>", *_narrative_state(data),
    ]  # fmt: skip
    number = iter(range(7, 10))
    if len(data.year_to_date):
        parts += [f"<h3>{next(number)}. Số lũy kế của đơn vị so với tổng các kỳ</h3>",
                  *_year_to_date(data)]  # fmt: skip
    if len(data.set_aside):
        parts += [f"<h3>{next(number)}. Chỉ tiêu của Kế hoạch không dùng để đánh giá</h3>",
                  *_set_aside(data)]  # fmt: skip
    return block("".join(parts), "nq57-quality")


def appendix(data: BriefingData) -> HTML:
    """Annex 2: every indicator-milestone's inputs, arithmetic and sources."""
    intro = note(
        "Tỷ lệ tiến độ: tăng trưởng bình quân năm đã đạt so với mức cần để kịp mục tiêu (1 là "
        "đúng tiến độ; từ 0,95: đúng tiến độ; 0,60–0,95: cần đẩy nhanh; dưới 0,60: chậm; âm: đi "
        "xuống); chỉ tiêu đếm theo năm: lũy kế so với phần của chỉ tiêu năm tương ứng với thời "
        "gian đã qua. Phương pháp chi tiết: docs/methodology.md. Cột “Cách tính” ghi phép tính "
        "quyết định đánh giá; cột “Nguồn” ghi tệp, trang tính và ô của từng số liệu."
    )
    table = html_table(
        appendix_table(data.status, data.observations),
        APPENDIX_WIDTHS,
        css_class="nq57-table nq57-appendix",
    )
    return block(intro + table, "nq57-appendix")
