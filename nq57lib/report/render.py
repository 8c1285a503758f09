"""Render an executed notebook as a Vietnamese briefing: self-contained HTML and an A4 PDF.

HTML comes from :class:`BriefingExporter`, an nbconvert ``HTMLExporter`` that uses the
template directory ``nq57lib/templates/nq57`` (based on nbconvert's ``lab`` template; its
``conf.json`` drops the Pygments CSS and adds :class:`DropStreamsPreprocessor`). The head
is the template's own, so nothing is loaded from a CDN and images are embedded.

The PDF is that HTML laid out by WeasyPrint (the default engine: a pip install plus the
Pango library most Linux systems ship), whole or in parts that are joined and numbered
(:mod:`nq57lib.report.parts`: the run lays the parts out side by side), or by a system
Chromium when one is installed. Either way the fonts are the bundled files of
:mod:`nq57lib.report.fonts`, declared with ``@font-face`` under nq57's own family names so
no system font is ever substituted. :func:`write_html`, :func:`write_part` and
:func:`join_numbered` are the pieces the run's render processes are asked for.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import nbformat
from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from traitlets import default
from traitlets.config import Config

from nq57lib.assess.statuses import status_css
from nq57lib.core import config
from nq57lib.core.atomic import atomic_path, write_text_atomic
from nq57lib.core.errors import EngineUnavailableError, RenderError
from nq57lib.core.vocab import PDF_ENGINES
from nq57lib.report.fonts import SANS, SERIF, font_faces
from nq57lib.report.parts import (
    CONTINUATION_CSS,
    UNNUMBERED_CSS,
    join_parts,
    landscape_pages,
    numbers_html,
    split_briefing,
)

FORMATS = ("html", "pdf")
ENGINES = PDF_ENGINES
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_TIMEOUT_S = 120
# Cells the reader never sees: the parameters papermill reads and the values it injected,
# and explanations written for whoever opens the notebook itself.
HIDDEN_CELL_TAGS = ("parameters", "injected-parameters", "notebook-only")
# Our own family names: a face that failed to load can never be replaced by a system font
# of the same name, and `pdffonts` shows "nq57-DejaVu…" for every face nq57 embedded.
_FAMILY_ALIASES = {SANS: "nq57 Sans", SERIF: "nq57 Serif"}


class DropStreamsPreprocessor(Preprocessor):
    """Drop printed text (stdout, stderr) from outputs: a briefing shows displayed results only.

    Warnings a library prints while the notebook runs stay in the executed notebook kept
    beside the report, where an analyst can read them; they are noise for a ward chairman.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.get("cell_type") == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if o.get("output_type") != "stream"]
        return cell, resources


class BriefingExporter(HTMLExporter):
    """HTML through the nq57 template: no code, no prompts, images embedded, ``lang="vi"``."""

    export_from_notebook = "nq57 briefing"

    @default("template_name")
    def _template_name_default(self):
        return "nq57"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        return [str(config.TEMPLATES_DIR)]

    @default("exclude_input")
    def _exclude_input_default(self):
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self):
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self):
        return True

    @default("embed_images")
    def _embed_images_default(self):
        return True

    @default("exclude_anchor_links")
    def _exclude_anchor_links_default(self):
        return True

    @default("language_code")
    def _language_code_default(self):
        return "vi"

    @property
    def default_config(self):
        c = Config(
            {
                "TagRemovePreprocessor": {
                    "enabled": True,
                    "remove_cell_tags": set(HIDDEN_CELL_TAGS),
                },
                # Charts arrive as PNG inside HTML; SVG would carry the W3C namespace URL.
                "NbConvertBase": {
                    "display_data_priority": [
                        "text/html",
                        "text/markdown",
                        "image/png",
                        "image/jpeg",
                        "text/plain",
                    ]
                },
            }
        )
        merged = super().default_config.copy()
        merged.merge(c)
        return merged


def chromium_page_css(warning: str | None) -> str:
    """Chromium lays out @page margin boxes but not ``string()``: the running header and
    the illustrative warning of every page after the first are literal strings instead."""
    if not warning:
        return "@page { @top-left { content: none; } @top-right { content: none; } }"
    text = warning.replace("\\", "").replace('"', "")
    return (
        f'@page {{ @top-left {{ content: none; }} @top-right {{ content: "{text}"; }} }}\n'
        "@page :first { @top-right { content: none; } }"
    )


def font_face_css() -> str:
    """``@font-face`` rules binding nq57's family names to the shipped font files."""
    rules = []
    for family, weight, style, path in font_faces():
        rules.append(
            "@font-face { "
            f'font-family: "{_FAMILY_ALIASES[family]}"; font-weight: {weight}; '
            f'font-style: {style}; src: url("{path.resolve().as_uri()}") format("truetype"); }}'
        )
    # PDF output names only nq57's faces: no fallback to whatever the system has installed.
    rules.append(
        ":root { "
        f'--nq57-serif: "{_FAMILY_ALIASES[SERIF]}" !important; '
        f'--nq57-sans: "{_FAMILY_ALIASES[SANS]}" !important; }}'
    )
    return "\n".join(rules)


@lru_cache(maxsize=1)
def _exporter() -> BriefingExporter:
    return BriefingExporter()


def notebook_html(nb: nbformat.NotebookNode, title: str | None = None, font_css: str = "") -> str:
    """The briefing HTML of an executed notebook (``font_css`` is added for PDF engines)."""
    resources = {
        "metadata": {"name": title or nb.metadata.get("title") or "Báo cáo"},
        "nq57": {
            "title": title or nb.metadata.get("title"),
            "font_css": font_css,
            "status_css": status_css(),
        },
    }
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return body


def warm_up() -> None:
    """Compile the exporter's templates (0.2 s and 11 MB on first use), so that a render
    process left waiting for its first briefing is not slower to lay it out."""
    notebook_html(nbformat.v4.new_notebook())


def check_engine(engine: str) -> None:
    """Raise :class:`EngineUnavailableError` with a hint when ``engine`` cannot run here."""
    if engine not in ENGINES:
        raise RenderError("pdf", f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "weasyprint":
        _weasyprint()
    else:
        _chromium_binary()


def _weasyprint():
    try:
        import weasyprint
    except OSError as error:
        # WeasyPrint loads Pango through cffi at import time; a missing library is an OSError.
        raise EngineUnavailableError(
            "weasyprint",
            "the Pango library is missing (Debian/Ubuntu: apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0; see https://doc.courtbouillon.org/weasyprint/stable/"
            f"first_steps.html), or render with engine='chromium'. Detail: {error}",
        ) from None
    except ImportError:
        raise EngineUnavailableError(
            "weasyprint", "the weasyprint package is not installed (pip install weasyprint)"
        ) from None
    return weasyprint


def _chromium_binary() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise EngineUnavailableError(
        "chromium",
        "no chromium binary on PATH (Debian: apt-get install chromium); "
        "the default engine 'weasyprint' needs no browser",
    )


def weasyprint_pdf(html: str, target: Path, extra_css: str = "") -> list[bool]:
    """Lay out ``html`` with WeasyPrint, the bundled fonts and ``extra_css`` into an A4 PDF
    at ``target`` (atomically); for each page, whether it is landscape."""
    document = _weasyprint_document(html, extra_css, base_url=str(Path(target).parent))
    with atomic_path(target) as tmp:
        document.write_pdf(tmp)
    return [page.width > page.height for page in document.pages]


def weasyprint_bytes(html: str) -> bytes:
    """:func:`weasyprint_pdf` into memory (small documents: the sheet of page numbers)."""
    return _weasyprint_document(html, "", base_url=None).write_pdf()


def _weasyprint_document(html: str, extra_css: str, base_url: str | None):
    weasyprint = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    sheets = [weasyprint.CSS(string=font_face_css() + extra_css, font_config=fonts)]
    return weasyprint.HTML(string=html, base_url=base_url).render(
        stylesheets=sheets, font_config=fonts
    )


def layout_part(
    part: nbformat.NotebookNode, target: Path, *, title: str | None, first: bool
) -> list[bool]:
    """Lay out one part of a split briefing (:func:`nq57lib.report.parts.split_briefing`)
    as a PDF without page numbers at ``target``; which of its pages are landscape.
    ``first``: the body."""
    css = UNNUMBERED_CSS if first else UNNUMBERED_CSS + CONTINUATION_CSS
    return weasyprint_pdf(notebook_html(part, title), Path(target), css)


def join_numbered(
    parts: list[Path | str], target: Path | str, landscape: list[bool] | None = None
) -> Path:
    """The laid-out parts joined at ``target``, every page numbered (atomically).
    ``landscape``: the pages' orientations as the parts' layouts returned them (read from
    the part files when not given)."""
    parts = [Path(p) for p in parts]
    if landscape is None:
        landscape = landscape_pages(parts)
    numbers = weasyprint_bytes(numbers_html(landscape))
    return join_parts(parts, numbers, Path(target))


def _chromium_pdf(html_with_fonts: str, target: Path) -> Path:
    binary = _chromium_binary()
    with tempfile.TemporaryDirectory(prefix="nq57-chromium-") as work:
        page = Path(work) / "briefing.html"
        page.write_text(html_with_fonts, encoding="utf-8")
        pdf = Path(work) / "briefing.pdf"
        command = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-extensions",
            "--disable-background-networking",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(work) / 'profile'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired:
            raise RenderError("pdf", f"chromium did not finish in {CHROMIUM_TIMEOUT_S} s") from None
        if done.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
            tail = "\n".join(done.stderr.strip().splitlines()[-5:])
            raise RenderError("pdf", f"chromium exited with {done.returncode}: {tail}")
        with atomic_path(target) as tmp:
            shutil.copyfile(pdf, tmp)
    return target


def render_notebook(
    nb_path: Path | str,
    out_dir: Path | str,
    formats: Iterable[str] = ("html", "pdf"),
    engine: str = "weasyprint",
    *,
    basename: str | None = None,
    title: str | None = None,
    warning: str | None = None,
) -> dict[str, Path]:
    """Write ``<basename>.html`` and/or ``.pdf`` for an executed notebook; return the paths.

    ``basename`` defaults to the notebook's file name, ``title`` (the HTML title and PDF
    metadata) to the notebook's ``metadata.title``. ``warning`` is repeated at the top of
    every page after the first by engines that cannot take it from the page's own banner
    (Chromium). Each file is written atomically.
    """
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise RenderError(", ".join(unknown), f"unknown format; choose from {', '.join(FORMATS)}")
    if "pdf" in formats:
        check_engine(engine)
    nb_path = Path(nb_path)
    nb = read_notebook(nb_path)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = basename or nb_path.stem
    written: dict[str, Path] = {}
    html = notebook_html(nb, title)
    if "html" in formats:
        written["html"] = write_text_atomic(html, out_dir / f"{stem}.html")
    if "pdf" in formats:
        target = out_dir / f"{stem}.pdf"
        if engine == "chromium":
            # Chromium reads the page from disk, so the font rules travel inside the HTML.
            page = notebook_html(nb, title, font_face_css() + chromium_page_css(warning))
            written["pdf"] = _chromium_pdf(page, target)
        else:
            weasyprint_pdf(html, target)
            written["pdf"] = target
    return written


def read_notebook(nb_path: Path | str) -> nbformat.NotebookNode:
    nb_path = Path(nb_path)
    try:
        return nbformat.read(nb_path, as_version=4)
    except FileNotFoundError:
        raise RenderError("html", f"notebook {nb_path} not found") from None
    except (ValueError, nbformat.ValidationError) as error:
        raise RenderError("html", f"{nb_path} is not a readable notebook: {error}") from None


# The pieces of a render that the run hands to its render processes (nq57lib.run.renderers):
# the HTML, each part of the PDF, then the parts joined. Paths in, paths out.


def write_html(nb_path: Path | str, target: Path | str, title: str | None = None) -> Path:
    """The briefing HTML of the executed notebook at ``nb_path``, written atomically."""
    return write_text_atomic(notebook_html(read_notebook(nb_path), title), Path(target))


def write_part(
    nb_path: Path | str, index: int, target: Path | str, title: str | None = None
) -> list[bool]:
    """Part ``index`` of the notebook's PDF at ``target``, without page numbers (see
    :mod:`nq57lib.report.parts`); which of its pages are landscape. Join the parts with
    :func:`join_numbered`."""
    parts = split_briefing(read_notebook(nb_path))
    return layout_part(parts[index], Path(target), title=title, first=index == 0)
