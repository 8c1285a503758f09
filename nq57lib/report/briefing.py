"""The briefing a ward chairman signs, section by section (notebooks/30-briefing.ipynb).

The order a Vietnamese "báo cáo kết quả thực hiện kế hoạch" uses: the administrative
header and a one-paragraph conclusion; I. Kết quả đạt được; II. Tồn tại, hạn chế và
nguyên nhân; III. Phương hướng, nhiệm vụ kỳ tới; IV. Đề xuất, kiến nghị; the signature;
then the annexes (data quality, every input and calculation). Each narrative section opens
with nq57's draft (:mod:`nq57lib.report.drafts`) followed by the analyst's own paragraphs
(:mod:`nq57lib.report.narrative`). Every public function takes the loaded
:class:`~nq57lib.report.data.BriefingData` and returns one ``IPython.display.HTML`` block.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from IPython.display import HTML

from nq57lib.assess.categories import (
    RATE_ALL,
    RATE_DUE,
    RATE_NOTE,
    SUMMARY_NOTE,
    UNIT_TABLE_COUNTS,
    category_summary,
    unit_category_table,
)
from nq57lib.assess.statuses import label
from nq57lib.core import config
from nq57lib.core.fmt import fmt_date, fmt_date_long, fmt_number
from nq57lib.core.periods import Period
from nq57lib.core.profile import Profile
from nq57lib.core.vocab import OTHER_AREA_VI, capital
from nq57lib.report import drafts
from nq57lib.report.annexes import appendix, data_quality_section
from nq57lib.report.charts import plot_area_status, plot_gaps_in_units
from nq57lib.report.data import BriefingData, load_briefing_data
from nq57lib.report.html import (
    ROWS_SHOWN,
    Cell,
    block,
    bullets,
    escape,
    figure_html,
    html_table,
    more_rows,
    note,
    paragraphs,
    prose,
)
from nq57lib.report.leader import (
    AREA_WIDTHS,
    MARK,
    NEW_MARK,
    area_rows,
    attention,
    changes_by_indicator,
    gap_chart_rows,
    indicator_counts,
    overdue_tasks,
    unit_summary,
)
from nq57lib.report.narrative import Narrative
from nq57lib.report.tasks import (
    GROUP_COLUMNS,
    by_group,
    deadline_text,
    short_text,
    unit_voices,
)
from nq57lib.report.wording import attention_breakdown

__all__ = [
    "BriefingData", "appendix", "closing", "data_quality_section", "directions", "header",
    "load_briefing_data", "opening", "proposals", "results", "shortcomings",
]  # fmt: skip

# Whatever names the ward (letterhead, dateline, plan, signer, recipients, areas) comes
# from its profile, ward.yaml (data.profile); only the national motto is fixed.
MOTTO_LINES = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
# A Party body's documents (Hướng dẫn 36-HD/VPTW) carry the Party's name instead.
PARTY_MOTTO = "ĐẢNG CỘNG SẢN VIỆT NAM"
TITLE_KIND = "BÁO CÁO"
_COUNT_WIDTHS = {"Đánh giá": 55, "Số chỉ tiêu": 25, "Tỷ lệ": 20}
# Where a leader finds the rest of a cut list: the report's Excel appendix (the leader's
# pages name no file), by its sheet.
_TASKS_SHEET = "phụ lục Excel kèm theo, trang “Nhiệm vụ”"
_VOICES_SHEET = "phụ lục Excel kèm theo, trang “Khó khăn, kiến nghị”"


def report_title(period: Period | str, profile: Profile) -> str:
    """``Báo cáo quý III năm 2026 — Kết quả thực hiện Kế hoạch số 106/KH-UBND``
    (the plan of ``profile``)."""
    return profile.report_title(Period.parse(period).report_label)


def preamble(profile: Profile, label: str) -> str:
    """The report's first sentence: which plan it reports on, for which period."""
    council = f"Ủy ban nhân dân {profile.level}"
    reporter = profile.reporter or council
    return (
        f"Thực hiện Kế hoạch số {profile.plan_number} ngày {profile.plan_date_text} của "
        f"{council} về {profile.plan_subject}, {reporter} báo cáo kết quả thực hiện {label} "
        "như sau:"
    )


def _text(drafted: list[str], narrative: Narrative, key: str) -> str:
    """nq57's draft, then the analyst's paragraphs and list items (escaped)."""
    own = narrative.blocks(key)
    html = paragraphs(drafted)
    items: list[str] = []
    for b in own:
        if b.kind == "li":
            items.append(b.text)
            continue
        html += bullets(items)
        items = []
        html += paragraphs([b.text])
    html += bullets(items)
    return f'<div class="nq57-text">{html}</div>'


def header(data: BriefingData) -> HTML:
    """Administrative header (Nghị định 30/2020/NĐ-CP), title and the illustrative banner."""
    profile, reported = data.profile, data.reported
    return masthead(
        issuer=profile.issuer, number_line=profile.number_line, place=profile.place,
        day=data.report_date, title=profile.plan_title, period_label=reported.report_label,
        running=f"Báo cáo {reported.report_label} — KH {profile.plan_number}",
        party=profile.party, illustrative=data.illustrative,
    )  # fmt: skip


def masthead(
    *,
    issuer: tuple[str, ...],
    number_line: str,
    place: str,
    day: date,
    title: str,
    period_label: str,
    running: str,
    party: bool = False,
    illustrative: bool = False,
) -> HTML:
    """The header block of any nq57 report: issuer and number, motto and dateline, "BÁO
    CÁO", ``title`` and the period; ``running`` is the header of the pages after the first."""
    banner = ""
    if illustrative:
        # On screen and page 1; through string-set, the running header of later pages.
        banner = f'<div class="nq57-banner">{escape(config.ILLUSTRATIVE_WARNING)}</div>'
    org = "<br/>".join(escape(line) for line in issuer)
    nation, slogan = (escape(line) for line in MOTTO_LINES)
    motto = (
        f'<p class="nq57-slogan">{escape(PARTY_MOTTO)}</p>'
        if party
        else f'<p class="nq57-nation">{nation}</p><p class="nq57-slogan">{slogan}</p>'
    )
    dateline = f"{place}, {fmt_date_long(day)}" if place else capital(fmt_date_long(day))
    inner = (
        f"{banner}"
        '<table class="nq57-masthead"><tr>'
        f'<td class="nq57-issuer"><p class="nq57-org">{org}</p>'
        f'<p class="nq57-number">{escape(number_line)}</p></td>'
        f'<td class="nq57-motto">{motto}'
        f'<p class="nq57-dateline">{escape(dateline)}</p></td>'
        "</tr></table>"
        '<div class="nq57-titleblock">'
        f'<p class="nq57-title-kind">{escape(TITLE_KIND)}</p>'
        f'<p class="nq57-title">{prose(title)}</p>'
        f'<p class="nq57-title-period">{escape(capital(period_label))}</p></div>'
        f'<p class="nq57-running">{escape(running)}</p>'
    )
    return block(inner, "nq57-header")


def opening(data: BriefingData) -> HTML:
    """The preamble, what the data cover, and the one-paragraph conclusion."""
    first = preamble(data.profile, data.reported.report_label)
    parts = [f'<div class="nq57-text">{paragraphs([first])}</div>']
    if data.report_period is not None or data.early:
        scope = f"Báo cáo sử dụng số liệu các đơn vị gửi {drafts.when(data)}"
        if data.early:
            scope += f"; số liệu của các kỳ kết thúc sau ngày {fmt_date(data.as_of)} chưa được tính"
        parts.append(f'<p class="nq57-scope">{prose(scope)}.</p>')
    parts.append(f'<p class="nq57-scope">{prose(drafts.reporting_window(data))}</p>')
    own = [b.text for b in data.narrative.blocks("conclusion")]
    conclusion = own or drafts.conclusion(data)
    parts.append('<div class="nq57-conclusion">' + paragraphs(conclusion) + "</div>")
    return block("".join(parts), "nq57-opening")


def _areas(data: BriefingData) -> str:
    parts = []
    marked = new = False
    sections = [*data.profile.areas.items(), (None, OTHER_AREA_VI)]
    number = 0
    for area, name in sections:
        rows = area_rows(data, area)
        if rows.empty:
            continue  # an area the ward's plan sets no target in: no heading, no gap
        number += 1
        marked |= any(isinstance(c, Cell) and c.mark for c in rows["Kết quả"])
        new |= any(isinstance(c, Cell) and c.mark for c in rows["Chỉ tiêu"])
        parts.append(f"<h4>1.{number}. {escape(name)}</h4>")
        # Rows of several lines each: better split over pages than leave half a page empty.
        parts.append(html_table(rows, AREA_WIDTHS, keep=False))
    if marked:
        parts.append(
            note(f"({MARK}) Số liệu được hệ thống diễn giải hoặc lấy từ kỳ trước; xem Phụ lục 1.")
        )
    if new:
        parts.append(
            note(
                f"({NEW_MARK}) Chỉ tiêu mới của Kế hoạch, chưa được rà soát để đưa vào danh mục "
                "chỉ số: tên và cách theo dõi do hệ thống đề xuất từ lời văn của Kế hoạch."
            )
        )
    return "".join(parts)


def results(data: BriefingData) -> HTML:
    """I. Kết quả đạt được: targets by verdict and area, milestones, tasks, units."""
    overview = plot_area_status(
        data.verdicts, illustrative=data.illustrative, areas=data.profile.areas
    )
    parts = [
        _text(drafts.results(data), data.narrative, "results"),
        "<h3>1. Kết quả thực hiện các chỉ tiêu</h3>",
        note(
            f"{fmt_number(len(data.verdicts), 0)} chỉ tiêu; mỗi chỉ tiêu được tính một lần, "
            "theo mốc cần chú ý nhất (một mốc đã qua chưa đạt được tính trước mốc sau)."
        ),
        html_table(indicator_counts(data), _COUNT_WIDTHS, numeric=("Số chỉ tiêu", "Tỷ lệ")),
        figure_html(overview, "Số chỉ tiêu theo lĩnh vực và đánh giá"),
        _areas(data),
    ]
    number = iter(range(2, 10))
    if len(data.task_status):
        unassigned = int((data.task_status["status"] == "unassigned").sum())
        parts += [
            f"<h3>{next(number)}. Thực hiện nhiệm vụ, giải pháp</h3>",
            note(f"Tình hình thực hiện nhiệm vụ tính đến ngày {fmt_date(data.cutoff)}:"),
            html_table(category_summary(data.scorecard, unassigned),
                       {"Nội dung": 70, "Số nhiệm vụ": 15, "Tỷ lệ": 15},
                       numeric=("Số nhiệm vụ", "Tỷ lệ")),
            note("Theo nhóm nhiệm vụ của Kế hoạch (HT: hoàn thành):"),
            html_table(by_group(data.task_status), None, status_column=None,
                       numeric=("Tổng", *GROUP_COLUMNS)),
            note(SUMMARY_NOTE),
        ]  # fmt: skip
    before, changes = changes_by_indicator(data)
    if before is not None and len(changes):
        parts += [
            f"<h3>{next(number)}. Thay đổi so với {escape(before.short_label)}</h3>",
            html_table(
                changes, {"Chỉ tiêu": 46, before.short_label: 18, "Chiều": 12, "Đánh giá": 24}
            ),
        ]
    units = unit_summary(data)
    if len(units):
        numbers = [c for c in units.columns if c != "Đơn vị"]
        parts += [
            f"<h3>{next(number)}. Kết quả theo đơn vị chủ trì</h3>",
            html_table(units, {"Đơn vị": 28, **dict.fromkeys(numbers, 72 / len(numbers))},
                       status_column=None, numeric=numbers),
        ]  # fmt: skip
    return block("".join(parts), "nq57-results")


def task_annex(data: BriefingData) -> HTML:
    """Annex 3: the Government Office's per-unit task table at the cut-off date."""
    table = unit_category_table(data.scorecard)
    if table.empty:
        return block(note("Kế hoạch chưa có nhiệm vụ được phân công đơn vị chủ trì."),
                     "nq57-task-annex")  # fmt: skip
    widths = {"TT": 4, "Tên đơn vị": 24, **dict.fromkeys(UNIT_TABLE_COUNTS, 8),
              RATE_DUE: 9, RATE_ALL: 9, "Ghi chú": 18}  # fmt: skip
    intro = note(f"Tính đến ngày {fmt_date(data.cutoff)}; đơn vị có nhiều nhiệm vụ quá hạn "
                 "xếp trước.")  # fmt: skip
    shown = html_table(table, widths, status_column=None,
                       numeric=(*UNIT_TABLE_COUNTS, RATE_DUE, RATE_ALL))  # fmt: skip
    return block(intro + shown + note(RATE_NOTE), "nq57-task-annex")


def shortcomings(data: BriefingData) -> HTML:
    """II. Tồn tại, hạn chế và nguyên nhân: what is behind, who leads it, what units say."""
    parts = [_text(drafts.shortcomings(data), data.narrative, "shortcomings")]
    listed = attention(data)
    number = iter(range(1, 10))
    parts.append(f"<h3>{next(number)}. Chỉ tiêu cần tập trung chỉ đạo</h3>")
    if listed.empty:
        parts.append(note("Không có chỉ tiêu quá hạn, đi xuống, chậm tiến độ hay thiếu số liệu "
                          "đã đến hạn."))  # fmt: skip
    else:
        items = "".join(
            f'<li data-indicator="{escape(r["indicator_id"])}">'
            f'<span class="status st-{escape(r["status"])}">{escape(label(r["status"]))}'
            f"</span> <strong>{escape(r['name_vi'])}</strong>"
            + (f" ({escape(r['lead_unit'])})" if r["lead_unit"] else "")
            + f": {prose(r['words'])}</li>"
            for _, r in listed.iterrows()
        )
        parts.append(note(attention_breakdown(listed["attention_reason"])))
        parts.append(f'<ol class="nq57-urgent">{items}</ol>')
        shown = gap_chart_rows(listed)
        chart = plot_gaps_in_units(shown, data.lead_units, data.illustrative)
        if chart is not None:
            numbers = ", ".join(str(int(r)) for r in shown["attention_rank"])
            caption = (
                f"Biểu đồ: khoảng cách tới mục tiêu của các chỉ tiêu số {numbers} trong danh "
                "sách trên (các chỉ tiêu có số liệu định lượng)."
            )
            # The caption first: a note keeps with what follows, so it never ends a page.
            parts += [note(caption), figure_html(chart, caption)]
    late = overdue_tasks(data)
    if len(late):
        parts.append(f"<h3>{next(number)}. Nhiệm vụ quá hạn</h3>")
        widths = {"Nhiệm vụ": 50, "Đơn vị chủ trì": 20, "Thời hạn": 12, "Đánh giá": 18}
        parts.append(html_table(late.head(ROWS_SHOWN), widths))
        parts.append(more_rows(len(late), "nhiệm vụ", _TASKS_SHEET))
    before, changes = changes_by_indicator(data)
    if before is not None and len(changes):
        worse = changes[changes["Chiều"] == "xấu đi ↓"]
        if len(worse):
            parts.append(
                f"<h3>{next(number)}. Chỉ tiêu xấu đi so với {escape(before.short_label)}</h3>"
            )
            widths = {"Chỉ tiêu": 46, before.short_label: 18, "Chiều": 12, "Đánh giá": 24}
            parts.append(html_table(worse, widths))
    voices = [v for v in unit_voices(data.task_reports, data.period.code, data.unit_names)
              if v["difficulties"]]  # fmt: skip
    if voices:
        parts.append(f"<h3>{next(number)}. Khó khăn, vướng mắc các đơn vị nêu</h3>")
        items = "".join(
            f"<li><strong>{escape(v['unit'])}</strong> (nhiệm vụ {escape(v['task_id'])}): "
            f"“{escape(v['difficulties'])}”</li>"
            for v in voices[:ROWS_SHOWN]
        )
        parts.append(f'<ul class="nq57-voices">{items}</ul>')
        parts.append(more_rows(len(voices), "ý kiến", _VOICES_SHEET))
    return block("".join(parts), "nq57-shortcomings")


def directions(data: BriefingData) -> HTML:
    """III. Phương hướng, nhiệm vụ kỳ tới: what falls due next and who leads it."""
    parts = [_text(drafts.directions(data), data.narrative, "directions")]
    following, due = drafts.upcoming(data)
    if len(due):
        shown = due.head(ROWS_SHOWN)
        frame = pd.DataFrame(
            {
                "Nhiệm vụ": [
                    f"{r['task_id']} — {short_text(r['text'])}" for _, r in shown.iterrows()
                ],
                "Đơn vị chủ trì": [data.unit_names.get(u, u) for u in shown["lead_unit"]],
                "Thời hạn": [deadline_text(r) for _, r in shown.iterrows()],
            }
        )
        parts.append(f"<h3>Nhiệm vụ đến hạn trong {escape(following.report_label)}</h3>")
        parts.append(html_table(frame, {"Nhiệm vụ": 62, "Đơn vị chủ trì": 24, "Thời hạn": 14},
                                status_column=None))  # fmt: skip
        parts.append(more_rows(len(due), "nhiệm vụ", _TASKS_SHEET))
    return block("".join(parts), "nq57-directions")


def proposals(data: BriefingData) -> HTML:
    """IV. Đề xuất, kiến nghị: the units' own proposals, then nq57's and the analyst's."""
    parts = [_text(drafts.proposals(data), data.narrative, "proposals")]
    voices = [v for v in unit_voices(data.task_reports, data.period.code, data.unit_names)
              if v["proposals"]]  # fmt: skip
    if voices:
        items = "".join(
            f"<li><strong>{escape(v['unit'])}</strong> (nhiệm vụ {escape(v['task_id'])}): "
            f"“{escape(v['proposals'])}”</li>"
            for v in voices[:ROWS_SHOWN]
        )
        parts.append(
            f'<p>Đề xuất, kiến nghị của các đơn vị:</p><ul class="nq57-voices">{items}</ul>'
        )
        parts.append(more_rows(len(voices), "ý kiến", _VOICES_SHEET))
    return block("".join(parts), "nq57-proposals")


def closing(data: BriefingData) -> HTML:
    """Recipients (left) and the signing authority (right), as Nghị định 30/2020 lays out."""
    profile = data.profile
    recipients = "".join(f"<li>{escape(r)}</li>" for r in profile.recipients)
    name = f"<p><strong>{escape(profile.signer_name)}</strong></p>" if profile.signer_name else ""
    inner = (
        '<table class="nq57-signature"><tr>'
        f'<td class="nq57-recipients"><p><strong><em>Nơi nhận:</em></strong></p><ul>{recipients}'
        "</ul></td>"
        f'<td class="nq57-signer"><p><strong>{escape(profile.on_behalf)}</strong></p>'
        f"<p><strong>{escape(profile.signer_title)}</strong></p>"
        f'<p class="nq57-sign-space"></p>{name}</td>'
        "</tr></table>"
    )
    return block(inner, "nq57-closing")
