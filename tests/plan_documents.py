"""Turn the shipped Markdown plan into the office files a ward really sends: .docx and PDF.

Not a test module: tests import it (``from plan_documents import markdown_to_docx``) the
way they import ``conftest``. The conversion writes what Word would hold, not Markdown
syntax: headings in heading styles, "- " bullets as "List Bullet" paragraphs without the
dash, ``**bold**`` and ``*italic*`` as formatted runs, LaTeX math (``$\\geq 80\\%$``) as
the symbols Word shows ("≥ 80%"). Footnote lines ("¹ Theo …") stay ordinary paragraphs
where they are in the .docx; in the PDF they are real footnotes at the bottom of the page
that cites them, as a word processor prints them. The PDF is laid out by WeasyPrint on A4
with the margins of an administrative document and 13 pt justified text, so long
paragraphs wrap over several lines and pages carry a page number.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.shared import Pt

from nq57lib.core import config

_HEADING = re.compile(r"^(#{1,6})\s+(\S.*)$")
_ROMAN = re.compile(r"^[IVXLC]+\.\s+\S")
_MILESTONE = re.compile(r"^\d+\.\d+\.\s+Đến hết năm \d{4}$")
_BULLET = re.compile(r"^[-*+]\s+(\S.*)$")
_FOOTNOTE = re.compile(r"^([¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*(\S.*)$")
_MATH = re.compile(r"\$([^$]*)\$")
_LATEX = (
    (r"\geq", "≥"),
    (r"\leq", "≤"),
    (r"\%", "%"),
    (r"\,", " "),
    ("{", ""),
    ("}", ""),
)
# Bold (**…**) and italic (*…*) spans; what is outside them is a plain run.
_SPANS = re.compile(r"\*\*(.+?)\*\*|(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")


@dataclass(frozen=True)
class Block:
    """One paragraph of the plan: its kind and its Markdown text (math already symbols)."""

    kind: str  # "title", "heading1", "heading2", "bullet", "footnote", "paragraph", "blank"
    text: str


def _symbols(text: str) -> str:
    def latex(match: re.Match[str]) -> str:
        body = match.group(1)
        for source, target in _LATEX:
            body = body.replace(source, target)
        return body.strip()

    return _MATH.sub(latex, text).replace(r"\%", "%")


def markdown_blocks(md_path: Path) -> list[Block]:
    """The plan's paragraphs in order; a blank Markdown line is an empty paragraph."""
    blocks: list[Block] = []
    # A bold span over two lines ("**TM. ỦY BAN…\nCHỦ TỊCH**") is closed and reopened per
    # line, since each line becomes a paragraph of its own.
    open_bold = False
    for raw in md_path.read_text(encoding="utf-8").split("\n"):
        line = raw.strip()
        if not line:
            blocks.append(Block("blank", ""))
            continue
        if open_bold:
            line = "**" + line
        open_bold = line.count("**") % 2 == 1
        if open_bold:
            line += "**"
        line = _symbols(line)
        heading = _HEADING.match(line)
        if heading:
            level = min(len(heading.group(1)), 2)
            blocks.append(Block(f"heading{level}", heading.group(2)))
        elif _ROMAN.match(line):
            blocks.append(Block("heading1", line))
        elif _MILESTONE.match(line):
            blocks.append(Block("heading2", line))
        elif line == "KẾ HOẠCH":
            blocks.append(Block("title", line))
        elif _BULLET.match(line):
            blocks.append(Block("bullet", _BULLET.match(line).group(1)))
        elif _FOOTNOTE.match(line):
            blocks.append(Block("footnote", line))
        else:
            blocks.append(Block("paragraph", line))
    return blocks


def _runs(text: str) -> list[tuple[str, str]]:
    """(style, text) runs: style is "", "b" or "i"."""
    runs, position = [], 0
    for match in _SPANS.finditer(text):
        if match.start() > position:
            runs.append(("", text[position : match.start()]))
        if match.group(1) is not None:
            runs.append(("b", match.group(1)))
        else:
            runs.append(("i", match.group(2)))
        position = match.end()
    if position < len(text):
        runs.append(("", text[position:]))
    return [(style, part.replace("**", "")) for style, part in runs if part]


# ── .docx ────────────────────────────────────────────────────────────────────

_DOCX_STYLES = {
    "title": "Title",
    "heading1": "Heading 1",
    "heading2": "Heading 2",
    "bullet": "List Bullet",
    "footnote": None,
    "paragraph": None,
}


def write_blocks_docx(blocks: list[Block], out_path: Path) -> Path:
    """A .docx whose body holds ``blocks`` as Word paragraphs in their styles."""
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(13)
    body = document.element.body
    # The template starts with an empty paragraph of its own; keep only ours.
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    for block in blocks:
        if block.kind == "blank":
            document.add_paragraph()
            continue
        paragraph = document.add_paragraph(style=_DOCX_STYLES[block.kind])
        for style, text in _runs(block.text):
            run = paragraph.add_run(text)
            run.bold = style == "b" or None
            run.italic = style == "i" or None
    document.save(out_path)
    return out_path


def markdown_to_docx(md_path: Path | str, out_path: Path | str) -> Path:
    """The Markdown plan as the .docx a ward office would have typed."""
    return write_blocks_docx(markdown_blocks(Path(md_path)), Path(out_path))


# ── PDF ──────────────────────────────────────────────────────────────────────

_CSS = """
@font-face {{ font-family: "Plan Serif"; src: url("{regular}"); }}
@font-face {{ font-family: "Plan Serif"; font-weight: bold; src: url("{bold}"); }}
@font-face {{ font-family: "Plan Serif"; font-style: italic; src: url("{italic}"); }}
@page {{
  size: A4;
  margin: 2cm 1.5cm 2cm 3cm;
  @{number_box} {{ content: {number}; font: 12pt "Plan Serif"; }}
}}
body {{ font: 13pt/1.3 "Plan Serif"; text-align: justify; }}
p, li {{ margin: 0 0 6pt 0; text-indent: 1cm; }}
h1, h2, .title {{ font-size: 13pt; font-weight: bold; margin: 8pt 0 6pt 0; }}
.title {{ text-align: center; }}
/* Markers inside the line, as Word draws them: drawn "outside", WeasyPrint paints every
   marker of the page after its text, so they would come out of the text layer last. */
ul {{ margin: 0 0 6pt 0; padding-left: 0; list-style: disc inside; }}
.footnote {{ float: footnote; font-size: 10pt; text-indent: 0; }}
::footnote-call {{ content: ""; }}
::footnote-marker {{ content: ""; }}
"""


def html_document(body: str, number_box: str = "top-center", number: str = "counter(page)") -> str:
    """A whole HTML page around ``body``: A4, the shipped serif font, 13 pt justified text
    and a running page number (``number``: CSS content, in the page's ``number_box``)."""
    fonts = config.FONTS_DIR
    css = _CSS.format(
        regular=(fonts / "LiberationSerif-Regular.ttf").as_uri(),
        bold=(fonts / "LiberationSerif-Bold.ttf").as_uri(),
        italic=(fonts / "LiberationSerif-Italic.ttf").as_uri(),
        number_box=number_box,
        number=number,
    )
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f"<style>{css}</style></head><body>{body}</body></html>"
    )


def _inline_html(text: str) -> str:
    parts = []
    for style, run in _runs(text):
        escaped = html.escape(run)
        parts.append(f"<{style}>{escaped}</{style}>" if style else escaped)
    return "".join(parts)


def blocks_html(blocks: list[Block]) -> str:
    """An HTML document of ``blocks``: bullets grouped into ``<ul>`` lists, each footnote a
    ``float: footnote`` span in the paragraph that cites it (its marker stays in the text)."""
    notes = {}
    for block in blocks:
        found = _FOOTNOTE.match(block.text) if block.kind == "footnote" else None
        if found:
            notes[found.group(1)] = block.text
    parts: list[str] = []
    in_list = False
    for block in blocks:
        if block.kind in ("blank", "footnote"):
            continue
        if block.kind != "bullet" and in_list:
            parts.append("</ul>")
            in_list = False
        body = _inline_html(block.text)
        for mark, note in notes.items():
            if re.search(rf"\S{mark}", block.text):
                body += f'<span class="footnote">{html.escape(note)}</span>'
        if block.kind == "bullet":
            if not in_list:
                parts.append("<ul>")
                in_list = True
            parts.append(f"<li>{body}</li>")
        elif block.kind == "title":
            parts.append(f'<p class="title">{body}</p>')
        elif block.kind in ("heading1", "heading2"):
            parts.append(f"<h{block.kind[-1]}>{body}</h{block.kind[-1]}>")
        else:
            parts.append(f"<p>{body}</p>")
    if in_list:
        parts.append("</ul>")
    return html_document("".join(parts))


def write_html_pdf(document_html: str, out_path: Path) -> Path:
    """Lay ``document_html`` out with WeasyPrint (needs Pango; see ``requires_pango``)."""
    import weasyprint

    weasyprint.HTML(string=document_html).write_pdf(out_path)
    return out_path


def markdown_to_pdf(md_path: Path | str, out_path: Path | str) -> Path:
    """The Markdown plan as a PDF with a text layer, as Word's "Save as PDF" would make."""
    return write_html_pdf(blocks_html(markdown_blocks(Path(md_path))), Path(out_path))
