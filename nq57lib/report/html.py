"""HTML building blocks of the briefing: escaped text, tables with fixed columns, charts.

Tables are built here rather than with ``DataFrame.to_html`` so that headers and cells are
Vietnamese text escaped once, each status cell carries the CSS class the nq57 template
colours (:func:`nq57lib.assess.statuses.status_css`), and column widths are fixed.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable

import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure

from nq57lib.core.fmt import is_missing
from nq57lib.core.textnorm import nfc


def escape(text: object) -> str:
    """Any value as inert HTML text, NFC: a unit's "<b>" stays the four characters."""
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
        f'<th class="num">{escape(c)}</th>' if c in numeric else f"<th>{escape(c)}</th>"
        for c in shown
    )
    body = []
    for _, row in frame.iterrows():
        cells = []
        for column in shown:
            value = "" if is_missing(row[column]) else row[column]
            css = ' class="num"' if column in numeric else ""
            if column == "Đánh giá" and status_column in frame.columns:
                css = f' class="status st-{escape(row[status_column])}"'
            cells.append(f"<td{css}>{escape(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="{css_class}">{cols}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def figure_html(figure: Figure, alt: str, dpi: int = 120) -> str:
    """A chart as an embedded PNG (no file beside the report, no request anywhere)."""
    buffer = io.BytesIO()
    # Matplotlib's "Software" metadata would carry its web address into the report.
    # The charts use constrained layout, so no second "tight" drawing pass is needed.
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<figure class="nq57-chart"><img src="data:image/png;base64,{encoded}" '
        f'alt="{escape(alt)}"/></figure>'
    )


def note(text: str) -> str:
    """A muted explanatory paragraph."""
    return f'<p class="nq57-note">{escape(text)}</p>'


def block(inner: str, css_class: str) -> HTML:
    """A section's HTML as the notebook displays it."""
    return HTML(nfc(f'<div class="{css_class}">{inner}</div>'))
