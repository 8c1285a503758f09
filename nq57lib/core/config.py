"""Every path nq57 uses, in one place: the package's own, and the current project's.

A project is a folder holding a ward profile, ``ward.yaml`` (:mod:`nq57lib.core.profile`);
its plan, reporting units, registry and data folders are where the profile says. The
project is, in this order: the folder given to :func:`use_project` (the command line's
``--project DIR``); else ``$NQ57_ROOT``; else the nearest folder holding ``ward.yaml``
upward from the current directory; else the repository (whose ``ward.yaml`` is the shipped
example, phường Hồng Bàng). The notebooks, the report templates and the fonts are the
package's, whatever the project.

Code reads ``config.X`` at the moment it needs a path (never ``from config import X``), so
:func:`use_project` re-points every path at once. When the project found at import has a
profile that does not load, the project's paths are withheld: reading one raises the
:class:`~nq57lib.core.errors.ProfileError`, inside the command that needed it.
"""

from __future__ import annotations

import os
from pathlib import Path

from nq57lib.core.errors import ProfileError
from nq57lib.core.profile import PROFILE_FILE, Profile, load_profile

# ── the package's own ───────────────────────────────────────────────────────
PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The checkout the package is installed from (editable install): the notebooks and the
# shipped example project live there.
CHECKOUT_DIR = PACKAGE_DIR.parent
NOTEBOOKS_DIR = CHECKOUT_DIR / "notebooks"

# Reviewed, analyst-editable data shipped inside the package; a project uses these unless
# its profile names its own.
PACKAGE_DATA = PACKAGE_DIR / "data"
SHIPPED_REGISTRY_PATH = PACKAGE_DATA / "indicators.yaml"
SHIPPED_UNITS_PATH = PACKAGE_DATA / "reporting_units.yaml"
TEMPLATES_DIR = PACKAGE_DIR / "report" / "templates"
FONTS_DIR = PACKAGE_DATA / "fonts"

# The environment variable naming the project; a run also sets it for its notebook kernel.
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

# The tree's lock, in the processed folder: one nq57 run, clean or compare at a time.
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

# ── the current project (set by use_project) ────────────────────────────────
PROJECT_ROOT: Path
PROFILE_PATH: Path
DATA_RAW: Path
DATA_PROCESSED: Path
REPORTS_DIR: Path
PLAN_PATH: Path
REGISTRY_PATH: Path
REPORTING_UNITS_PATH: Path

_PROJECT_PATHS = (
    "DATA_RAW", "DATA_PROCESSED", "REPORTS_DIR", "PLAN_PATH", "REGISTRY_PATH",
    "REPORTING_UNITS_PATH",
)  # fmt: skip
_current: Profile | None = None
_withheld: ProfileError | None = None


def find_project(explicit: Path | str | None = None, start: Path | str | None = None) -> Path:
    """The project folder: ``explicit``, else ``$NQ57_ROOT``, else the nearest folder
    holding ``ward.yaml`` from ``start`` (default: the current directory) upward, else the
    checkout. ``explicit`` may name the folder or its ``ward.yaml``."""
    if explicit:
        chosen = Path(explicit).expanduser()
        return (chosen.parent if chosen.name == PROFILE_FILE else chosen).resolve()
    if os.environ.get(ROOT_ENV):
        return Path(os.environ[ROOT_ENV]).expanduser().resolve()
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROFILE_FILE).is_file():
            return folder
    return CHECKOUT_DIR


def use_project(folder: Path | str) -> Profile:
    """Load the profile of the project ``folder`` and point every project path at it.

    Nothing changes when the profile does not load (:class:`ProfileError`).
    """
    global _current, _withheld, PROJECT_ROOT, PROFILE_PATH
    root = Path(folder).expanduser().resolve()
    loaded = load_profile(root / PROFILE_FILE)
    paths = {
        "DATA_RAW": loaded.raw_dir or root / DEFAULT_RAW,
        "DATA_PROCESSED": loaded.processed_dir or root / DEFAULT_PROCESSED,
        "REPORTS_DIR": loaded.reports_dir or root / DEFAULT_REPORTS,
        "PLAN_PATH": loaded.plan_path,
        "REGISTRY_PATH": loaded.registry_path or SHIPPED_REGISTRY_PATH,
        "REPORTING_UNITS_PATH": loaded.units_path or SHIPPED_UNITS_PATH,
    }
    globals().update(paths)
    PROJECT_ROOT, PROFILE_PATH = root, loaded.path
    _current, _withheld = loaded, None
    return loaded


def profile() -> Profile:
    """The current project's ward profile."""
    if _current is None:
        raise _withheld or ProfileError(PROFILE_FILE, ["chưa chọn thư mục làm việc"])
    return _current


def _withhold(root: Path, error: ProfileError) -> None:
    """The project found at import has no usable profile: say so when a path is needed."""
    global _current, _withheld, PROJECT_ROOT, PROFILE_PATH
    PROJECT_ROOT, PROFILE_PATH = root, root / PROFILE_FILE
    _current, _withheld = None, error
    for name in _PROJECT_PATHS:
        globals().pop(name, None)


def __getattr__(name: str):
    # Only reached for a withheld project path (see _withhold).
    if name in _PROJECT_PATHS and _withheld is not None:
        raise _withheld
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# The current folder was deleted: no project can be found from it.
CWD_GONE = (
    "thư mục hiện tại không còn (đã bị xóa hoặc di chuyển); chuyển sang một thư mục có "
    "thật, hoặc chỉ rõ thư mục làm việc bằng --project với đường dẫn tuyệt đối"
)


def _start() -> None:
    try:
        root = find_project()
    except FileNotFoundError:  # os.getcwd() of a deleted folder: said when a path is needed
        _withhold(CHECKOUT_DIR, ProfileError(CHECKOUT_DIR / PROFILE_FILE, [CWD_GONE]))
        return
    try:
        use_project(root)
    except ProfileError as error:
        _withhold(root, error)


_start()
