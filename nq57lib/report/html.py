"""HTML building blocks of the briefing: escaped text, tables with fixed columns, charts.

Tables are built here rather than with ``DataFrame.to_html`` so that headers and cells are
Vietnamese text escaped once, each status cell carries the CSS class the nq57 template
colours (:func:`nq57lib.assess.statuses.status_css`), and column widths are fixed.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure

from nq57lib.core.fmt import fmt_number, is_missing
from nq57lib.core.textnorm import nfc


@dataclass(frozen=True)
class Cell:
    """A table cell with more than its text: a second line (the lead unit) or a footnote
    sign (a reading the system interpreted). Every part is escaped like plain text."""

    text: str
    sub: str = ""
    mark: str = ""

    def html(self) -> str:
        mark = f'<sup class="nq57-mark">{escape(self.mark)}</sup>' if self.mark else ""
        sub = f'<span class="nq57-sub">{prose(self.sub)}</span>' if self.sub else ""
        return f"{prose(self.text)}{mark}{sub}"

    def __str__(self) -> str:
        return " ".join(p for p in (self.text + self.mark, self.sub) if p)


def escape(text: object) -> str:
    """Any value as inert HTML text, NFC: a unit's "<b>" stays the four characters."""
    return html.escape(nfc(str(text)), quote=True)


# Columns whose figures are never broken across lines (a year, a target, a result, a date;
# a word such as "Đang triển khai" there wraps between words only), and columns of file
# paths, kept whole on screen (in print they may break at "/").
UNBROKEN = frozenset(("Mốc", "Mục tiêu", "Kết quả", "Thời hạn", "Kỳ", "Dòng", "Kỳ số liệu",
                      "Kết quả (kỳ)", "Gốc (kỳ)", "Tỷ lệ đúng hạn"))  # fmt: skip
PATHS = frozenset(("Tệp", "Nguồn (tệp › trang › ô)"))
# Columns of sentences: on a screen they keep a reading width (the table scrolls instead).
WIDE = frozenset(("Cách tính", "Nhận xét"))
# A table this short is kept on one printed page rather than split over two.
KEEP_ROWS = 12


def html_table(
    frame: pd.DataFrame,
    widths: dict[str, float] | None = None,
    css_class: str = "nq57-table",
    status_column: str | None = "status",
    numeric: Iterable[str] = (),
    keep: bool | None = None,
) -> str:
    """An HTML table of the frame's columns.

    ``widths`` (percent per shown column) fixes the layout: the table is then laid out
    from its column widths instead of measuring every cell, which keeps PDF rendering fast
    and the columns steady from one period to the next. ``status_column`` (not shown)
    colours the "Đánh giá" cell; ``numeric`` columns are right-aligned. ``keep`` holds the
    table on one printed page (default: when it has at most :data:`KEEP_ROWS` rows).
    """
    numeric = set(numeric)
    shown = [c for c in frame.columns if c != status_column]
    keep_whole = {c for c in shown if c in UNBROKEN}
    paths = {c for c in shown if c in PATHS}
    cols = ""
    if widths:
        cols = "<colgroup>" + "".join(
            f'<col style="width: {widths[c]:g}%"/>' if c in widths else "<col/>" for c in shown
        )
        cols += "</colgroup>"
        css_class += " fixed"
    head = "".join(
        f'<th class="num">{escape(c)}</th>' if c in numeric else f"<th>{escape(c)}</th>"
        for c in shown
    )
    body = []
    for _, row in frame.iterrows():
        cells = []
        for column in shown:
            value = "" if is_missing(row[column]) else row[column]
            css = ' class="num"' if column in numeric else ""
            if column in keep_whole:
                text = value.text if isinstance(value, Cell) else str(value)
                css = ' class="nw"' if any(ch.isdigit() for ch in text) else ' class="kw"'
            elif column in paths:
                css = ' class="path"'
            elif column in WIDE:
                css = ' class="wide"'
            if column == "Đánh giá" and status_column in frame.columns:
                css = f' class="status st-{escape(row[status_column])}"'
            if isinstance(value, Cell):
                content = value.html()
            else:
                # A path may break at "/" on paper; prose would hold its hyphens together.
                content = escape(value) if column in paths else prose(value)
            cells.append(f"<td{css}>{content}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    # On a screen the wrapper scrolls sideways; in print it is a plain block.
    keep = " keep" if (len(frame) <= KEEP_ROWS if keep is None else keep) else ""
    return (
        f'<div class="nq57-scroll{keep}"><table class="{css_class}">{cols}<thead><tr>{head}</tr>'
        f"</thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def figure_html(figure: Figure, alt: str, dpi: int = 120) -> str:
    """A chart as an embedded PNG (no file beside the report, no request anywhere)."""
    buffer = io.BytesIO()
    # Matplotlib's "Software" metadata would carry its web address into the report.
    # The charts use constrained layout, so no second "tight" drawing pass is needed.
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    # Printed at the figure's own size, so its text is the size it was drawn at.
    width = f"{figure.get_figwidth():.2f}in"
    return (
        f'<figure class="nq57-chart"><img src="data:image/png;base64,{encoded}" '
        f'style="width: {width}" alt="{escape(alt)}"/></figure>'
    )


def note(text: str) -> str:
    """A muted explanatory paragraph."""
    return f'<p class="nq57-note">{escape(text)}</p>'


# A list that grows with what the units send (rejected rows, notes, files, tasks, voices)
# shows this many rows in the briefing and its PDF; the rest are counted and pointed to.
ROWS_SHOWN = 25


def more_rows(total: int, what: str, where: str, shown: int = ROWS_SHOWN) -> str:
    """The line under a list cut at ``shown`` of ``total`` rows — "… và 4.975 dòng khác:
    xem <where>." — or nothing when the list was shown whole."""
    hidden = total - shown
    if hidden <= 0:
        return ""
    return note(f"… và {fmt_number(hidden, 0)} {what} khác: xem {where}.")


# A hyphenated word or document number ("KH-CN", "106/KH-UBND", "57-NQ/TW"): a browser
# may break a line after its hyphen, which a reader takes for two words. The pattern
# takes a whole run of word parts joined by "/" or "-" — each part's characters and the
# joiners are disjoint, so it never backtracks — and the run is kept whole when it holds a
# hyphen. (The old pattern, which demanded the hyphen inside the regular expression,
# retried every start of a long word: a 200 kB word took more than ten minutes.)
_CODE = re.compile(r"\w[\w.]*(?:[/-]\w[\w.]*)*")


def _nowrap(match: re.Match) -> str:
    code = match.group(0)
    return f'<span class="nq57-nowrap">{code}</span>' if "-" in code else code


def prose(text: object) -> str:
    """Running text, escaped, with document numbers and dates kept on one line, and a
    lone "%" ("4 điểm %") never carried to the next line by itself."""
    return _CODE.sub(_nowrap, escape(text)).replace(" %", "\u00a0%")


def paragraphs(texts: Iterable[str]) -> str:
    """Report prose: one justified paragraph per text, escaped."""
    return "".join(f"<p>{prose(t)}</p>" for t in texts if t)


def bullets(texts: Iterable[str]) -> str:
    items = "".join(f"<li>{prose(t)}</li>" for t in texts if t)
    return f"<ul>{items}</ul>" if items else ""


def block(inner: str, css_class: str) -> HTML:
    """A section's HTML as the notebook displays it."""
    return HTML(nfc(f'<div class="{css_class}">{inner}</div>'))
