"""Every path nq57 uses by default, in one place.

The project root is the folder that holds ``nq57lib/`` (an editable install);
set ``NQ57_ROOT`` to point a run at another checkout or a copy of the data.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_ROOT = Path(os.environ.get("NQ57_ROOT", PACKAGE_DIR.parent)).resolve()

DATA_RAW = PROJECT_ROOT / "data" / "raw"
DATA_PROCESSED = PROJECT_ROOT / "data" / "processed"
REPORTS_DIR = PROJECT_ROOT / "reports"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"

PLAN_PATH = DATA_RAW / "plan" / "ke-hoach-106-KH-UBND-2025-hong-bang.md"
# The assignment register lives in this folder of the raw data (beside the period folders).
REGISTER_DIR = "phan-cong"
# The analyst's words for a report, beside the period's workbooks (read, never written).
NARRATIVE_FILE = "nhan-dinh.md"

# Reviewed, analyst-editable data shipped inside the package.
PACKAGE_DATA = PACKAGE_DIR / "data"
REGISTRY_PATH = PACKAGE_DATA / "indicators.yaml"
REPORTING_UNITS_PATH = PACKAGE_DATA / "reporting_units.yaml"
TEMPLATES_DIR = PACKAGE_DIR / "report" / "templates"
FONTS_DIR = PACKAGE_DATA / "fonts"

# A unit workbook larger than this is refused before it is opened.
MAX_WORKBOOK_BYTES = 20 * 1024 * 1024

# Shown wherever illustrative data appears.
ILLUSTRATIVE_LABEL = "Số liệu minh họa"
# The band on page 1 and the running header of every later page of such a report.
ILLUSTRATIVE_WARNING = f"{ILLUSTRATIVE_LABEL.upper()} — không dùng để chỉ đạo, điều hành"
