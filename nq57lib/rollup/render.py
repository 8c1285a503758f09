"""The city's consolidated briefing, in the house style of the wards' own.

Every figure shown comes from :func:`~nq57lib.rollup.tables.ward_facts` and
:func:`~nq57lib.rollup.tables.shared_facts` (one table each); the sentences, the HTML tables
and the Excel sheets only word them. The page is an nbformat notebook of HTML outputs laid
out by the briefing's own exporter (:func:`nq57lib.report.render.notebook_html`), so the
fonts, the colours of the statuses and the print rules are the wards' briefing's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import nbformat
import pandas as pd

from nq57lib.assess.categories import RATE_NOTE, counts_row
from nq57lib.assess.statuses import TASK_CATEGORIES, label
from nq57lib.core import config
from nq57lib.core.fmt import fmt_date, fmt_number, fmt_target, fmt_value
from nq57lib.core.periods import Period
from nq57lib.core.vocab import capital
from nq57lib.report.briefing import masthead
from nq57lib.report.html import Cell, block, escape, html_table, note, paragraphs
from nq57lib.rollup.city import City
from nq57lib.rollup.read import Received
from nq57lib.rollup.tables import not_sent, shared_facts, unexpected, ward_facts

TITLE = "Tổng hợp kết quả thực hiện Nghị quyết số 57-NQ/TW của các phường, xã"
GROUP_HEADINGS = {
    "good": "Đạt, đúng tiến độ",
    "slow": "Chậm tiến độ",
    "bad": "Đi xuống, quá hạn",
    "unknown": "Chưa có số liệu",
    "later": "Chưa đến kỳ",
}
GROUPS_NOTE = (
    "“Chậm tiến độ”: cần đẩy nhanh hoặc chậm tiến độ; “Đi xuống, quá hạn”: đi xuống hoặc quá "
    "hạn chưa đạt; “Chưa có số liệu”: chưa có hoặc chưa đủ số liệu; “Chưa đến kỳ”: chưa đến "
    "kỳ đánh giá."
)
KIND_WORDS = {
    "none": "chưa gửi",
    "other_period": "gửi số liệu kỳ khác",
    "malformed": "bộ dữ liệu không đọc được",
}
_SHARED_WIDTHS = {"Chỉ tiêu": 28, "Số phường, xã": 8, **dict.fromkeys(GROUP_HEADINGS.values(), 8),
                  "Chậm nhất": 24}  # fmt: skip
_WARD_WIDTHS = {"TT": 5, "Phường, xã": 24, "Ngày chốt": 12, "Số chỉ tiêu": 9,
                **dict.fromkeys(GROUP_HEADINGS.values(), 10)}  # fmt: skip
STANDING, NO_REPORT = "Thường xuyên, không thời hạn", "Chưa báo cáo"
_TASK_WIDTHS = {"TT": 5, "Phường, xã": 21, "Tổng số": 7, "HT trong hạn": 8, "HT trễ hạn": 8,
                "Chưa HT trong hạn": 8, "Chưa HT trễ hạn": 8, "Tỷ lệ HT / số đến hạn": 9,
                "Tỷ lệ HT / tổng số": 9, STANDING: 9, NO_REPORT: 8}  # fmt: skip


@dataclass(frozen=True)
class Rollup:
    """The consolidated facts of a period and the words they are shown in."""

    period: Period
    city: City
    received: Received
    wards: pd.DataFrame  # ward_facts
    shared: pd.DataFrame  # shared_facts
    missing: pd.DataFrame  # not_sent
    made_on: date

    @property
    def title(self) -> str:
        where = f" trên địa bàn {self.city.name}" if self.city.name else ""
        return f"{TITLE}{where}"


def consolidate(received: Received, city: City, made_on: date) -> Rollup:
    """The facts of the roll-up, computed once."""
    return Rollup(
        period=Period.parse(received.period), city=city, received=received,
        wards=ward_facts(received), shared=shared_facts(received),
        missing=not_sent(received, city), made_on=made_on,
    )  # fmt: skip


def _n(value: int) -> str:
    return fmt_number(value, 0)


def opening(r: Rollup) -> str:
    """The paragraph that opens page 1: who sent, who did not, and the totals."""
    sent = len(r.wards)
    text = f"{capital(r.period.report_label)}, {_n(sent)} phường, xã đã gửi số liệu"
    if r.city.wards:
        text += f" trong tổng số {_n(len(r.city.wards))} phường, xã của danh sách"
        if len(r.missing):
            text += f"; {_n(len(r.missing))} phường, xã chưa có số liệu kỳ này (mục 4)"
    malformed = [x for x in r.received.refused if x.kind == "malformed"]
    if malformed:
        text += f"; {_n(len(malformed))} bộ dữ liệu không đọc được, không tính (mục 4)"
    text += "."
    w = r.wards
    if sent:
        text += (
            f" Cộng lại, các phường, xã theo dõi {_n(w['total'].sum())} lượt chỉ tiêu: "
            f"{_n(w['good'].sum())} đã đạt hoặc đúng tiến độ, {_n(w['slow'].sum())} cần "
            f"đẩy nhanh hoặc chậm tiến độ, {_n(w['bad'].sum())} đi xuống hoặc quá hạn chưa "
            f"đạt, {_n(w['unknown'].sum())} chưa có hoặc chưa đủ số liệu, "
            f"{_n(w['later'].sum())} chưa đến kỳ đánh giá."
        )
        if w["tracked"].sum():
            text += (
                f" Trong {_n(w['tracked'].sum())} nhiệm vụ đã phân công, "
                f"{_n(w['done'].sum())} nhiệm vụ đã hoàn thành, {_n(w['overdue'].sum())} "
                "nhiệm vụ quá hạn chưa hoàn thành."
            )
    return text


def _behind_text(behind: list, unit: str) -> str:
    parts = []
    for ward, value, comparator, target, year, status in behind:
        aim = fmt_target(comparator, target, None, unit) if comparator != "range" else ""
        goal = f"mục tiêu {year}: {aim}" if aim and year else label(status)
        parts.append(f"{ward}: {fmt_value(value, unit)} ({goal})")
    return "; ".join(parts)


def shared_table(r: Rollup) -> pd.DataFrame:
    """Section 1 as printed: each shared indicator, wards per group, the furthest behind."""
    rows = []
    for f in r.shared.itertuples(index=False):
        code = f"Mã NQ 03/NQ-CP: {f.national_code}" if f.national_code else ""
        rows.append({
            "Chỉ tiêu": Cell(f.name, sub=code), "Số phường, xã": _n(f.wards),
            **{h: _n(getattr(f, g)) for g, h in GROUP_HEADINGS.items()},
            "Chậm nhất": _behind_text(f.behind, f.unit),
        })  # fmt: skip
    return pd.DataFrame(rows, columns=list(_SHARED_WIDTHS))


def ward_table(r: Rollup) -> pd.DataFrame:
    """Section 2 as printed: each ward's page-1 counts of its indicators."""
    rows = []
    for n, f in enumerate(r.wards.itertuples(index=False), 1):
        good = _n(f.good) + (f" ({_n(f.achieved)} đạt)" if f.achieved else "")
        rows.append({
            "TT": str(n), "Phường, xã": f.ward_name, "Ngày chốt": fmt_date(f.cutoff),
            "Số chỉ tiêu": _n(f.total), GROUP_HEADINGS["good"]: good,
            **{h: _n(getattr(f, g)) for g, h in GROUP_HEADINGS.items() if g != "good"},
        })  # fmt: skip
    return pd.DataFrame(rows, columns=list(_WARD_WIDTHS))


def task_table(r: Rollup) -> pd.DataFrame:
    """Section 3 as printed: the Government's task table with one row per ward; what a
    ward's own table says in its notes (standing tasks, tasks not reported on) in two
    columns of figures, so that a hundred wards stay a table."""
    rows = []
    wards = [*r.wards.itertuples(index=False)]
    for n, f in enumerate(wards, 1):
        by = {c: int(getattr(f, c)) for c in TASK_CATEGORIES}
        rows.append(_task_row(counts_row(str(n), f.ward_name, by, 0), by, int(f.no_report)))
    if rows:
        total = {c: int(r.wards[c].sum()) for c in TASK_CATEGORIES}
        no_report = int(r.wards["no_report"].sum())
        rows.append(_task_row(counts_row("", "Tổng cộng", total, 0), total, no_report))
    return pd.DataFrame(rows, columns=list(_TASK_WIDTHS))


def _task_row(row: dict, by: dict[str, int], no_report: int) -> dict:
    shown = {("Phường, xã" if k == "Tên đơn vị" else k): v for k, v in row.items()}
    shown.pop("Ghi chú")
    return {**shown, STANDING: _n(by["no_deadline"]), NO_REPORT: _n(no_report)}


def missing_table(r: Rollup) -> pd.DataFrame:
    """Section 4: the roster's wards without figures, and every export not counted."""
    rows = [
        {"Phường, xã": m.ward_name, "Tình trạng": capital(KIND_WORDS[m.kind]),
         "Lý do": m.reason or "không nhận được bộ dữ liệu"}
        for m in r.missing.itertuples(index=False)
    ]  # fmt: skip
    listed = {m for m in r.missing["ward_name"]}
    for x in r.received.refused:
        if x.ward in listed:
            continue
        kind = "Bản cũ, không tính" if x.kind == "superseded" else capital(KIND_WORDS[x.kind])
        rows.append({"Phường, xã": x.ward or f"(tệp {x.source})", "Tình trạng": kind,
                     "Lý do": "; ".join(x.reasons)})  # fmt: skip
    return pd.DataFrame(rows, columns=["Phường, xã", "Tình trạng", "Lý do"])


def _h(text: str) -> str:
    return f"<h3>{escape(text)}</h3>"


def sections(r: Rollup) -> list[str]:
    """The HTML blocks of the consolidated briefing, in order."""
    header = masthead(
        issuer=r.city.issuer, number_line=r.city.number_line, place=r.city.place,
        day=r.made_on, title=r.title, period_label=r.period.report_label,
        running=f"Báo cáo tổng hợp {r.period.report_label}",
        illustrative=r.received.illustrative,
    ).data  # fmt: skip
    parts = [f'<div class="nq57-conclusion">{paragraphs([opening(r)])}</div>']
    parts.append(_h("1. Các chỉ tiêu chung của các phường, xã"))
    if len(r.shared):
        parts.append(note(
            "Chỉ tiêu có từ hai phường, xã trở lên cùng theo dõi; số phường, xã theo đánh giá "
            "trong báo cáo của từng phường, xã; “Chậm nhất”: các phường, xã chậm tiến độ "
            "nhiều nhất so với mục tiêu của mốc đánh giá. " + GROUPS_NOTE
        ))  # fmt: skip
        numeric = ("Số phường, xã", *GROUP_HEADINGS.values())
        parts.append(html_table(shared_table(r), _SHARED_WIDTHS, status_column=None,
                                numeric=numeric, keep=False))  # fmt: skip
    else:
        parts.append(note("Chưa có chỉ tiêu nào có từ hai phường, xã trở lên cùng báo cáo."))
    parts.append(_h("2. Kết quả thực hiện chỉ tiêu theo phường, xã"))
    parts.append(note("Số liệu như trang đầu báo cáo của từng phường, xã; không tính lại. "
                      + ("" if len(r.shared) else GROUPS_NOTE)))  # fmt: skip
    numeric = ("Số chỉ tiêu", *GROUP_HEADINGS.values())
    parts.append(html_table(ward_table(r), _WARD_WIDTHS, status_column=None, numeric=numeric,
                            keep=False))  # fmt: skip
    parts.append(_h("3. Nhiệm vụ theo phường, xã"))
    tasks = task_table(r)
    if len(tasks):
        counts = [c for c in tasks.columns if c not in ("TT", "Phường, xã")]
        parts.append(html_table(tasks, _TASK_WIDTHS, status_column=None, numeric=counts,
                                keep=False))  # fmt: skip
        parts.append(
            note(
                RATE_NOTE.replace(", được thống kê riêng ở cột Ghi chú", "")
                + f" “{NO_REPORT}”: nhiệm vụ đơn vị chủ trì chưa báo cáo kỳ này."
            )
        )
    parts.append(_h("4. Phường, xã chưa có số liệu kỳ này; bộ dữ liệu không tính"))
    missing = missing_table(r)
    if len(missing):
        parts.append(html_table(missing, {"Phường, xã": 25, "Tình trạng": 20, "Lý do": 55},
                                status_column=None, keep=False))  # fmt: skip
    elif r.city.wards:
        parts.append(note("Tất cả phường, xã trong danh sách đã gửi số liệu kỳ này."))
    else:
        parts.append(note("Không có danh sách phường, xã (--city): chưa xác định được phường, "
                          "xã chưa gửi."))  # fmt: skip
    extra = unexpected(r.received, r.city)
    if extra:
        parts.append(note("Ngoài danh sách, đã nhận số liệu của: " + ", ".join(extra) + "."))
    body = block("".join(parts), "nq57-opening").data
    return [header, body]


def notebook(r: Rollup) -> nbformat.NotebookNode:
    """The roll-up as a notebook of HTML outputs, for the briefing's exporter."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["title"] = f"Báo cáo tổng hợp {r.period.report_label}"
    for html in sections(r):
        cell = nbformat.v4.new_code_cell("")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html})]
        nb.cells.append(cell)
    return nb


def workbook_sheets(r: Rollup, indicators: pd.DataFrame, tasks: pd.DataFrame) -> dict:
    """The Excel companion: the printed tables, then the stacked tidy data of every ward."""
    shared = shared_table(r).assign(**{"Chỉ tiêu": lambda t: t["Chỉ tiêu"].map(str)})
    sheets = {}
    for name, frame in (
        ("Chỉ tiêu chung", shared), ("Theo phường, xã", ward_table(r)),
        ("Nhiệm vụ", task_table(r)), ("Chưa gửi, không tính", missing_table(r)),
        ("Dữ liệu chỉ tiêu", indicators), ("Dữ liệu nhiệm vụ", tasks),
    ):  # fmt: skip
        frame = frame.astype(object).where(frame.notna(), "")
        sheets[name] = (list(frame.columns), frame.values.tolist(), [18] * len(frame.columns))
    if r.received.illustrative:
        label_row = [config.ILLUSTRATIVE_LABEL]
        sheets = {k: (h, [label_row, *rows], w) for k, (h, rows, w) in sheets.items()}
    return sheets
