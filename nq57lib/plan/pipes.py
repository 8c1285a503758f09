"""Markdown pipe rows, as every table of a plan reaches the readers.

A .docx table (:mod:`nq57lib.plan.documents`), a legal database's cells one per line
(:mod:`nq57lib.plan.exported`) and a PDF's text layer (:mod:`nq57lib.plan.pdf_table`) are
all written back as pipe rows, which :func:`nq57lib.plan.tables.cells` reads; a "|"
inside a cell is escaped so it never splits the cell.
"""

from __future__ import annotations

from collections.abc import Iterable


def pipe_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cell.replace("|", r"\|") for cell in cells) + " |"


def pipe_separator(width: int) -> str:
    """The line under a pipe table's header."""
    return "|" + " --- |" * width
