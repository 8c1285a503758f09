"""A briefing's PDF in parts that can be laid out at the same time, then joined and numbered.

WeasyPrint lays out one page after another in one thread (about 60 ms a page: 1.5 s for a
25-page briefing). The body and the annexes of a briefing each start on a page of their
own — the annexes' first cell is tagged ``page-break`` — so they can be laid out
separately, on two cores (:mod:`nq57lib.run.renderers`), and joined without changing a
single line break:

- :func:`split_briefing` cuts the executed notebook before its first ``page-break`` cell;
- each part is laid out without page numbers (``UNNUMBERED_CSS``; a later part also takes
  ``CONTINUATION_CSS``) by :func:`nq57lib.report.render.layout_part`;
- :func:`join_parts` joins the parts (title, language and bookmarks kept; the annexes'
  bookmarks join the body's at the top level, where the briefing's sections are) and stamps
  "Trang n/N" on every page from a sheet of numbers (:func:`numbers_html`) laid out with
  the template's own ``@page`` rules, so each number sits where the rule puts it when the
  briefing is laid out whole.

The running header and the "số liệu minh họa" warning of later pages are ``string-set``
by elements of the briefing's header cell, tagged ``running-header`` in the notebook. An
annex part starts with a hidden copy of that cell, so its pages carry the same header as
the body's; a notebook without such a cell is laid out whole.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path

import nbformat

from nq57lib.core import config
from nq57lib.core.atomic import atomic_path
from nq57lib.core.errors import RenderError

PAGE_BREAK_TAG = "page-break"
RUNNING_HEADER_TAG = "running-header"
# The hidden copy of the header cell at the top of a later part.
CARRIED_TAG = "nq57-carried"
# Every part: no page numbers (join_parts stamps them once the total is known).
# WeasyPrint takes these as user stylesheets, which yield to the template's (author's)
# rules unless marked important.
UNNUMBERED_CSS = "@page { @bottom-center { content: none !important; } }"
# A later part: its first page is not the briefing's first, so it shows the running
# header and the warning like every other page; the header cell it carries sets them.
CONTINUATION_CSS = f"""
@page :first {{
  @top-left {{ content: string(nq57-running) !important; }}
  @top-right {{ content: string(nq57-banner) !important; }}
}}
.celltag_{CARRIED_TAG} {{
  height: 0 !important; margin: 0 !important; overflow: hidden !important;
  visibility: hidden !important;
}}
.celltag_{CARRIED_TAG} * {{ bookmark-level: none !important; }}
"""
# A landscape page of the numbers sheet takes the annex's page (its size and margins).
_LANDSCAPE_CLASS = "nq57-appendix"


def split_briefing(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """``nb`` as [body, annexes] cut before its first ``page-break`` cell, or [``nb``]
    when it has no such cell or no ``running-header`` cell to carry into the annexes."""
    cells = nb.cells
    carried = [c for c in cells if RUNNING_HEADER_TAG in _tags(c)]
    cut = next(
        (i for i, c in enumerate(cells) if i and PAGE_BREAK_TAG in _tags(c)),
        None,
    )
    if cut is None or not carried or any(cells.index(c) >= cut for c in carried):
        return [nb]
    body = copy.copy(nb)
    body.cells = cells[:cut]
    annexes = copy.copy(nb)
    # The part starts on a page of its own: its first cell's break would leave a blank page.
    opening = copy.deepcopy(cells[cut])
    opening.metadata["tags"] = [t for t in _tags(opening) if t != PAGE_BREAK_TAG]
    annexes.cells = [*(_carried(c) for c in carried), opening, *cells[cut + 1 :]]
    return [body, annexes]


def count_parts(nb_path: Path | str) -> int:
    """Into how many parts the executed notebook at ``nb_path`` is cut (1: laid out whole)."""
    return len(split_briefing(nbformat.read(nb_path, as_version=4)))


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _carried(cell):
    hidden = copy.deepcopy(cell)
    hidden.metadata["tags"] = [CARRIED_TAG]
    return hidden


def landscape_pages(parts: list[Path]) -> list[bool]:
    """For every page of the parts in order: is it landscape?"""
    from pypdf import PdfReader

    return [
        float(page.mediabox.width) > float(page.mediabox.height)
        for part in parts
        for page in PdfReader(part).pages
    ]


def numbers_html(landscape: list[bool]) -> str:
    """A document of blank pages in these orientations, each with the template's number."""
    css = (config.TEMPLATES_DIR / "nq57" / "static" / "nq57-briefing.css").read_text("utf-8")
    pages = "".join(
        f'<div class="nq57-pageno {_LANDSCAPE_CLASS if wide else ""}"></div>' for wide in landscape
    )
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"/>'
        f"<style>{css}\n.nq57-pageno + .nq57-pageno {{ break-before: page; }}</style>"
        f"</head><body>{pages}</body></html>"
    )


def join_parts(parts: list[Path], numbers: bytes, target: Path) -> Path:
    """One PDF at ``target`` (atomically): the part files in order, each page stamped
    with its page of ``numbers`` (the PDF of :func:`numbers_html`)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    readers = [PdfReader(p) for p in parts]
    writer = PdfWriter()
    for reader in readers:
        writer.append(reader, import_outline=True)
    stamps = PdfReader(io.BytesIO(numbers))
    if len(stamps.pages) != len(writer.pages):
        raise RenderError("pdf", f"{len(stamps.pages)} page numbers for {len(writer.pages)} pages")
    for page, number in zip(writer.pages, stamps.pages, strict=True):
        page.merge_page(number)
    first = readers[0]
    if first.metadata:
        writer.add_metadata(dict(first.metadata))
    lang = first.trailer["/Root"].get("/Lang")
    if lang is not None:
        writer.root_object[NameObject("/Lang")] = lang
    with atomic_path(target) as tmp, tmp.open("wb") as handle:
        writer.write(handle)
    return Path(target)
