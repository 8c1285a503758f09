"""Every constant path and limit nq57 uses, and how a command finds its project.

This module holds no state: it names the package's own files (the notebooks, the report
templates, the fonts, the shipped registry and units, all package data found through
:mod:`importlib.resources`, so an installed wheel has them as a checkout does), the
folders a project has unless its profile names others, and the size limits. The project
itself is a value, :class:`nq57lib.core.project.Project`, made once per command and passed
down; :func:`find_project` says which folder it is.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from nq57lib.core.profile import PROFILE_FILE

# ── the package's own ───────────────────────────────────────────────────────
# A folder on disk: nq57 is installed from a wheel or a checkout, never run from a zip, and
# papermill, nbconvert and the kernel need real paths.
PACKAGE_DIR = Path(str(resources.files("nq57lib"))).resolve()
# The checkout of an editable install, whose root is the shipped example project (phường
# Hồng Bàng); in an installed wheel it is site-packages, with no ward.yaml.
CHECKOUT_DIR = PACKAGE_DIR.parent
# The parameterised notebooks a run executes, shipped inside the package.
NOTEBOOKS_DIR = PACKAGE_DIR / "notebooks"

# Reviewed, analyst-editable data shipped inside the package; a project uses these unless
# its profile names its own.
PACKAGE_DATA = PACKAGE_DIR / "data"
SHIPPED_REGISTRY_PATH = PACKAGE_DATA / "indicators.yaml"
SHIPPED_UNITS_PATH = PACKAGE_DATA / "reporting_units.yaml"
TEMPLATES_DIR = PACKAGE_DIR / "report" / "templates"
FONTS_DIR = PACKAGE_DATA / "fonts"

# The environment variable naming the project (for scheduled runs and the lab).
ROOT_ENV = "NQ57_ROOT"

# ── inside a project ────────────────────────────────────────────────────────
# The folders a profile that does not name its own gets, relative to the project.
DEFAULT_RAW = Path("data") / "raw"
DEFAULT_PROCESSED = Path("data") / "processed"
DEFAULT_REPORTS = Path("reports")
# The plan's copy that `nq57 init` makes, inside the raw data.
PLAN_DIR = "plan"
# The assignment register lives in this folder of the raw data (beside the period folders).
REGISTER_DIR = "phan-cong"
# The analyst's words for a report, beside the period's workbooks (read, never written).
NARRATIVE_FILE = "nhan-dinh.md"

# The tree's lock, in the processed folder (and, for a run, the reports folder too): one
# nq57 run, clean or compare at a time.
LOCK_FILE = ".nq57.lock"
# Where a failed run keeps its notebooks and run.json, inside the reports folder.
FAILED_DIR = "_failed"

# A unit workbook larger than this is refused before it is opened.
MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
# What one workbook may hold, checked on the unpacked archive before openpyxl parses it,
# so that the time and memory a file costs are bounded whatever it declares. A ward's
# table has tens of rows; these leave a hundredfold margin.
MAX_UNPACKED_XML_BYTES = 50 * 1024 * 1024  # every part but images and other media
MAX_WORKBOOK_SHEETS = 200
MAX_SHEET_ROWS = 5_000  # the last row holding a cell, per sheet
# Cells of every sheet together; a sheet counts at least its rows × its first 60 columns,
# the area the reader walks.
MAX_WORKBOOK_CELLS = 100_000
# The styles part openpyxl parses whole: Excel itself keeps at most 64,000 cell formats
# (<xf>); a ward's workbook has tens. Every element of the part counts against the second.
MAX_WORKBOOK_CELL_FORMATS = 64_000
MAX_WORKBOOK_STYLE_ELEMENTS = 300_000
# A picture's pixels, from its header, before Pillow is asked to open it (Pillow itself
# refuses above about 179 million); a 48-megapixel phone photo passes.
MAX_WORKBOOK_IMAGE_PIXELS = 100_000_000

# A plan larger than these is refused before it is parsed (nq57lib.plan.limits): parsing
# takes memory some fifty times the text's size, and a ward's plan is far smaller (the
# shipped one: 60 kB, 645 lines). The file itself may be larger than its text (images).
MAX_PLAN_FILE_BYTES = 20 * 1024 * 1024
MAX_PLAN_TEXT_BYTES = 5 * 1024 * 1024  # UTF-8 text: the file, or what a .docx or PDF holds
MAX_PLAN_LINES = 50_000
# Every part of a .docx, unpacked, whatever its name (python-docx parses a main part by
# what the package says it is, not by a name ending in .xml).
MAX_PLAN_DOCX_XML_BYTES = 50 * 1024 * 1024
# Columns of a Word table: Word itself allows 63; a w:gridSpan beyond is refused.
MAX_PLAN_TABLE_COLUMNS = 64
MAX_PLAN_PDF_PAGES = 500

# The other files a person puts in a project, each read whole only when it is a regular
# file within its cap (nq57lib.core.files.read_regular); the shipped ones are far smaller
# (ward.yaml 3 kB, reporting_units.yaml 5 kB, indicators.yaml 60 kB). The profile's cap,
# MAX_PROFILE_BYTES (256 kB), is core.profile's, imported above.
MAX_DATA_FILE_BYTES = 5 * 1024 * 1024  # the registry and the units file
# The analyst's narrative (nhan-dinh.md): its size, its paragraphs and items together, and
# the longest unbroken word, beyond which a word is broken for layout (never refused).
MAX_NARRATIVE_BYTES = 1024 * 1024
MAX_NARRATIVE_BLOCKS = 2_000
MAX_NARRATIVE_WORD_CHARS = 60

# Shown wherever illustrative data appears.
ILLUSTRATIVE_LABEL = "Số liệu minh họa"
# The band on page 1 and the running header of every later page of such a report.
ILLUSTRATIVE_WARNING = f"{ILLUSTRATIVE_LABEL.upper()} — không dùng để chỉ đạo, điều hành"


def find_project(explicit: Path | str | None = None, start: Path | str | None = None) -> Path:
    """The project folder: ``explicit``, else ``$NQ57_ROOT``, else the nearest folder
    holding ``ward.yaml`` from ``start`` (default: the current directory) upward, else the
    checkout's example project, else the current directory (whose missing ``ward.yaml``
    the caller then reports). ``explicit`` may name the folder or its ``ward.yaml``."""
    if explicit:
        chosen = Path(explicit).expanduser()
        return (chosen.parent if chosen.name == PROFILE_FILE else chosen).resolve()
    if os.environ.get(ROOT_ENV):
        return Path(os.environ[ROOT_ENV]).expanduser().resolve()
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROFILE_FILE).is_file():
            return folder
    return CHECKOUT_DIR if (CHECKOUT_DIR / PROFILE_FILE).is_file() else here


# The current folder was deleted: no project can be found from it.
CWD_GONE = (
    "thư mục hiện tại không còn (đã bị xóa hoặc di chuyển); chuyển sang một thư mục có "
    "thật, hoặc chỉ rõ thư mục làm việc bằng --project với đường dẫn tuyệt đối"
)
