"""HTML and PDF rendering through the nq57 nbconvert template and WeasyPrint."""

from __future__ import annotations

import base64
import importlib.abc
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import requires_pango, requires_poppler
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from pypdf import PdfReader

from nq57lib.assess.statuses import STATUS_COLOURS
from nq57lib.core import config
from nq57lib.core.errors import EngineUnavailableError, RenderError
from nq57lib.report import render

# A 1×1 PNG, enough to check that images stay embedded.
PIXEL = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
).decode()


def _notebook() -> nbformat.NotebookNode:
    params = new_code_cell('period: str = "2026-Q3"  # reporting period')
    params.metadata["tags"] = ["parameters"]
    notes = new_markdown_cell("Ghi chú cho người mở notebook")
    notes.metadata["tags"] = ["notebook-only"]
    shown = new_code_cell(
        "secret_function_call()",
        outputs=[
            new_output("display_data", data={"text/html": "<p>Xin chào phường Hồng Bàng</p>"}),
            new_output("stream", name="stderr", text="FutureWarning: noisy library\n"),
            new_output("display_data", data={"image/png": PIXEL, "text/plain": "<Figure>"}),
        ],
        execution_count=3,
    )
    heading = new_markdown_cell("## II. KẾT QUẢ THEO LĨNH VỰC")
    heading.metadata["tags"] = ["page-break"]
    nb = new_notebook(cells=[notes, params, new_markdown_cell("# Báo cáo thử"), heading, shown])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def _outside_data_uris(html: str) -> str:
    return re.sub(r"data:[a-z/+]+;base64,[A-Za-z0-9+/=]+", "", html)


def test_html_is_vietnamese_self_contained_and_without_code():
    html = render.notebook_html(_notebook(), title="Báo cáo thử — Quý III năm 2026")
    assert '<html lang="vi">' in html
    assert "<title>Báo cáo thử — Quý III năm 2026</title>" in html
    assert "Xin chào phường Hồng Bàng" in html
    assert "secret_function_call" not in html  # no code
    assert "In&nbsp;[" not in html and "Out[" not in html  # no prompts
    assert "noisy library" not in html  # printed warnings stay in the executed notebook
    assert "Ghi chú cho người mở notebook" not in html and "reporting period" not in html
    assert "<script" not in html
    assert "http" not in _outside_data_uris(html)  # no CDN, no link to fetch anything
    assert f'src="data:image/png;base64,{PIXEL}"' in html
    assert "celltag_page-break" in html  # the tag drives the printed page break


def test_font_rules_point_at_the_shipped_liberation_serif_and_dejavu_sans():
    css = render.font_face_css()
    urls = [Path(u) for u in re.findall(r'url\("file://([^"]+)"\)', css)]
    assert all(u.is_file() for u in urls)
    # Text and tables: Liberation Serif 2 (Times metrics, full Vietnamese), shipped with nq57.
    serif = sorted(u.name for u in urls if u.parent == config.FONTS_DIR)
    assert serif == [
        "LiberationSerif-Bold.ttf",
        "LiberationSerif-BoldItalic.ttf",
        "LiberationSerif-Italic.ttf",
        "LiberationSerif-Regular.ttf",
    ]
    # Labels (banner, status pills, running header): matplotlib's own DejaVu Sans.
    assert sorted(u.name for u in urls if u.parent != config.FONTS_DIR) == [
        "DejaVuSans-Bold.ttf",
        "DejaVuSans-BoldOblique.ttf",
        "DejaVuSans-Oblique.ttf",
        "DejaVuSans.ttf",
    ]
    assert '--nq57-serif: "nq57 Serif" !important' in css


def test_unknown_format_and_engine(tmp_path):
    path = tmp_path / "nb.ipynb"
    nbformat.write(_notebook(), path)
    with pytest.raises(RenderError, match="unknown format"):
        render.render_notebook(path, tmp_path, formats=("docx",))
    with pytest.raises(RenderError, match="unknown engine 'prince'"):
        render.render_notebook(path, tmp_path, formats=("pdf",), engine="prince")
    with pytest.raises(RenderError, match="not found"):
        render.render_notebook(tmp_path / "missing.ipynb", tmp_path, formats=("html",))


def test_missing_chromium_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    path = tmp_path / "nb.ipynb"
    nbformat.write(_notebook(), path)
    with pytest.raises(EngineUnavailableError) as error:
        render.render_notebook(path, tmp_path, formats=("html", "pdf"), engine="chromium")
    assert "apt-get install chromium" in str(error.value)
    assert not (tmp_path / "nb.html").exists()  # checked before anything is written


class _NoPango(importlib.abc.MetaPathFinder):
    """Imitates WeasyPrint on a system without Pango: importing it raises OSError."""

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0': No such file or directory")
        return None


def test_missing_pango_is_a_clear_error(monkeypatch):
    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_NoPango(), *sys.meta_path])
    with pytest.raises(EngineUnavailableError) as error:
        render.check_engine("weasyprint")
    assert "libpango" in str(error.value) and "engine='chromium'" in str(error.value)


@requires_pango
def test_pdf_is_a4_with_page_numbers_running_header_and_only_bundled_fonts(tmp_path):
    path = tmp_path / "thu.ipynb"
    nb = _notebook()
    nb.cells.insert(
        2,
        new_code_cell(
            "briefing.header(data)",
            outputs=[
                new_output(
                    "display_data",
                    data={
                        "text/html": '<div class="nq57-banner">SỐ LIỆU MINH HỌA</div>'
                        '<p class="nq57-running">Báo cáo KH 106/KH-UBND — Quý III năm 2026</p>'
                    },
                )
            ],
        ),
    )
    nbformat.write(nb, path)
    written = render.render_notebook(path, tmp_path / "out", basename="bao-cao", title="Thử")
    assert set(written) == {"html", "pdf"}
    reader = PdfReader(written["pdf"])
    assert len(reader.pages) == 2  # the page-break tag starts section II on page 2
    for number, page in enumerate(reader.pages, 1):
        assert (
            round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842
        )
        text = page.extract_text()
        assert f"Trang {number}/2" in text
        # Page 1 shows the banner, later pages the running header: once on every page.
        assert text.count("SỐ LIỆU MINH HỌA") == 1
    assert "Báo cáo KH 106/KH-UBND — Quý III năm 2026" in reader.pages[1].extract_text()
    fonts = [
        font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()
    ]
    names = {font["/BaseFont"] for font in fonts}
    # Subset names carry nq57's aliases: no face came from the system's fontconfig.
    assert names and all(name.split("+")[1].startswith(("nq57-Serif", "nq57-Sans"))
                         for name in names), names  # fmt: skip
    assert any("nq57-Serif" in name for name in names)
    # Every font is embedded: its descriptor carries the font program (a TrueType subset).
    for font in fonts:
        descendants = font.get("/DescendantFonts")
        described = descendants[0].get_object() if descendants else font
        descriptor = described["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile2", "/FontFile3", "/FontFile")), font
    assert reader.metadata.title == "Thử"


@requires_pango
@requires_poppler
def test_pdffonts_lists_only_embedded_nq57_faces(tmp_path):
    import subprocess

    path = tmp_path / "nb.ipynb"
    nbformat.write(_notebook(), path)
    pdf = render.render_notebook(path, tmp_path, formats=("pdf",))["pdf"]
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    rows = listing.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        name, *_rest = row.split()
        assert name.split("+")[1].startswith(("nq57-Serif", "nq57-Sans")), row
        assert " yes yes yes " in row, row


def test_status_colours_come_from_the_status_vocabulary(tmp_path):
    path = tmp_path / "nb.ipynb"
    nbformat.write(_notebook(), path)
    html = render.render_notebook(path, tmp_path, formats=("html",))["html"].read_text("utf-8")
    for code, colour in STATUS_COLOURS.items():
        assert re.search(rf"\.st-{code} {{ background: #{colour.lower()};", html), code
    # The static stylesheet defines no status colour of its own that could drift.
    css = config.TEMPLATES_DIR / "nq57" / "static" / "nq57-briefing.css"
    assert ".st-" not in css.read_text(encoding="utf-8")


@pytest.mark.skipif(
    render.CHROMIUM_NAMES and not any(shutil.which(n) for n in render.CHROMIUM_NAMES),
    reason="no Chromium installed (Debian: apt-get install chromium)",
)
def test_chromium_engine_prints_a4_with_the_bundled_fonts(tmp_path):
    path = tmp_path / "nb.ipynb"
    nbformat.write(_notebook(), path)
    pdf = render.render_notebook(path, tmp_path, formats=("pdf",), engine="chromium")["pdf"]
    reader = PdfReader(pdf)
    page = reader.pages[0]
    assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842
    assert "Xin chào phường Hồng Bàng" in "".join(p.extract_text() for p in reader.pages)
    fonts = {
        font.get_object()["/BaseFont"]
        for p in reader.pages
        for font in p["/Resources"]["/Font"].values()
    }
    faces = {name.split("+")[1].split("-")[0] for name in fonts}
    assert faces <= {"LiberationSerif", "DejaVuSans"} and "LiberationSerif" in faces, fonts
