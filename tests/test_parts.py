"""A briefing laid out in parts (side by side in the run) reads exactly like one laid out whole."""

from __future__ import annotations

import nbformat
import pytest
from conftest import requires_pango
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from pypdf import PdfReader

from nq57lib.core.errors import RenderError
from nq57lib.report import parts, render

BANNER = "SỐ LIỆU MINH HỌA — không dùng để chỉ đạo"
RUNNING = "Báo cáo quý III năm 2026 — KH 106/KH-UBND"


def _html_cell(source: str, html: str, tags: list[str] | None = None):
    cell = new_code_cell(source, outputs=[new_output("display_data", data={"text/html": html})])
    if tags:
        cell.metadata["tags"] = tags
    return cell


def _briefing(header_tag: str | None = "running-header") -> nbformat.NotebookNode:
    """A body of three pages (header, long text) and two annexes, the second landscape."""
    params = new_code_cell('period: str = "2026-Q3"')
    params.metadata["tags"] = ["parameters"]
    header = _html_cell(
        "briefing.header(data)",
        f'<div class="nq57-banner">{BANNER}</div><h1>BÁO CÁO THỬ</h1>'
        f'<p class="nq57-running">{RUNNING}</p>',
        [header_tag] if header_tag else None,
    )
    text = "".join(f"<p>Đoạn {n}: kết quả thực hiện chỉ tiêu của phường.</p>" for n in range(90))
    annex1 = new_markdown_cell("## PHỤ LỤC 1. CHẤT LƯỢNG SỐ LIỆU")
    annex1.metadata["tags"] = ["page-break"]
    annex2 = new_markdown_cell("## PHỤ LỤC 2. SỐ LIỆU ĐẦU VÀO")
    annex2.metadata["tags"] = ["page-break", "appendix"]
    rows = "".join(f"<tr><td>Chỉ tiêu {n}</td><td>80,5%</td></tr>" for n in range(30))
    return new_notebook(
        cells=[
            params,
            header,
            new_markdown_cell("## I. KẾT QUẢ ĐẠT ĐƯỢC"),
            _html_cell("briefing.results(data)", text),
            annex1,
            _html_cell("briefing.data_quality_section(data)", "<p>Tệp đã tiếp nhận: 5.</p>"),
            annex2,
            _html_cell(
                "briefing.appendix(data)",
                f'<div class="nq57-appendix"><table class="nq57-table">{rows}</table></div>',
            ),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )


def _tags(nb) -> list[list[str]]:
    return [list(c.metadata.get("tags", [])) for c in nb.cells]


def test_the_body_and_the_annexes_are_cut_before_the_first_page_break():
    body, annexes = parts.split_briefing(_briefing())
    assert [c.source for c in body.cells][2:] == [
        "## I. KẾT QUẢ ĐẠT ĐƯỢC",
        "briefing.results(data)",
    ]
    # The annexes open with a hidden copy of the header (their pages' running header), then
    # the first annex without its page break (a new document starts on a new page anyway).
    assert [c.source for c in annexes.cells][:2] == [
        "briefing.header(data)",
        "## PHỤ LỤC 1. CHẤT LƯỢNG SỐ LIỆU",
    ]
    assert _tags(annexes)[:4] == [["nq57-carried"], [], [], ["page-break", "appendix"]]
    # The notebook itself is left as it was.
    assert _tags(_briefing())[1] == ["running-header"]


def test_a_notebook_without_a_running_header_or_a_page_break_is_laid_out_whole():
    assert len(parts.split_briefing(_briefing(header_tag=None))) == 1
    nb = _briefing()
    for cell in nb.cells:
        cell.metadata.pop("tags", None)
    nb.cells[1].metadata["tags"] = ["running-header"]
    assert len(parts.split_briefing(nb)) == 1


def test_a_header_after_the_cut_cannot_be_carried_back():
    nb = _briefing(header_tag=None)
    nb.cells[-1].metadata["tags"] = ["running-header"]
    assert len(parts.split_briefing(nb)) == 1


def test_joining_refuses_a_sheet_of_numbers_that_does_not_fit(tmp_path):
    from pypdf import PdfWriter

    part = tmp_path / "part.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(part)
    numbers = tmp_path / "numbers.pdf"
    writer.add_blank_page(595, 842)
    writer.write(numbers)
    with pytest.raises(RenderError, match="2 page numbers for 1 pages"):
        parts.join_parts([part], numbers.read_bytes(), tmp_path / "joined.pdf")
    assert not (tmp_path / "joined.pdf").exists()


def _titles(outline) -> list[str]:
    return [
        t for item in outline for t in (_titles(item) if isinstance(item, list) else [item.title])
    ]


def _pages(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


@requires_pango
def test_parts_joined_read_exactly_like_the_briefing_laid_out_whole(tmp_path):
    path = tmp_path / "30-briefing.ipynb"
    nbformat.write(_briefing(), path)
    whole = render.render_notebook(path, tmp_path / "whole", ["pdf"], title="Thử")["pdf"]
    count = parts.count_parts(path)
    assert count == 2
    files = [tmp_path / f"part-{n}.pdf" for n in range(count)]
    landscape = [render.write_part(path, n, f, "Thử") for n, f in enumerate(files)]
    joined = render.join_numbered(files, tmp_path / "joined.pdf")

    expected, got = _pages(whole), _pages(joined)
    assert len(got) == len(expected) >= 5
    assert got == expected
    total = len(got)
    for number, text in enumerate(got, 1):
        assert f"Trang {number}/{total}" in text
        # The warning is on every page once: page 1's band, the running header after it.
        assert text.count(BANNER) == 1
        assert (RUNNING in text) == (number > 1)
    # The first annex page is a continuation: it carries the running header too.
    first_annex = next(n for n, t in enumerate(got) if "PHỤ LỤC 1" in t)
    assert first_annex > 0 and RUNNING in got[first_annex]
    reader, reference = PdfReader(joined), PdfReader(whole)
    sizes = [
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    ]
    assert sizes == [
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reference.pages
    ]
    assert sizes[-1] == (842, 595)  # the second annex is landscape
    # Each part told its pages' orientations: what the sheet of numbers is laid out with.
    assert [wide for part in landscape for wide in part] == [w > h for w, h in sizes]
    # The same bookmarks in the same order (the hidden header adds none); an annex heading
    # is a top-level bookmark (as the briefing's are: it has no h1 above its sections).
    assert _titles(reader.outline) == _titles(reference.outline)
    assert _titles(reader.outline) == [
        "BÁO CÁO THỬ", "I. KẾT QUẢ ĐẠT ĐƯỢC", "PHỤ LỤC 1. CHẤT LƯỢNG SỐ LIỆU",
        "PHỤ LỤC 2. SỐ LIỆU ĐẦU VÀO",
    ]  # fmt: skip
    assert reader.metadata.title == "Thử"
    assert reader.trailer["/Root"]["/Lang"] == "vi"
