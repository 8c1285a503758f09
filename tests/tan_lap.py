"""Xã Tân Lập, the invented second ward, after one illustrative quarter (2026-Q3).

Xã Tân Lập, tỉnh Phú Thọ, and its Kế hoạch số 45/KH-UBND ngày 12/8/2025 are invented
(tests/fixtures/ward2/); so are the figures, labelled "Số liệu minh họa" in the workbooks'
title rows as scripts/make_illustrative_data.py labels the shipped ones. Only what a new
ward must edit is edited (its units' names); a few cells of the templates nq57 writes are
filled; the pipeline runs with --project. The session fixture ``tan_lap`` (conftest) makes
it once for every test that needs a second ward.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import yaml

from nq57lib.cli import main
from nq57lib.collect.template import DATA_SHEET, HEADER_ROW, VALUE_COL
from nq57lib.core import config

PLAN = Path(__file__).parent / "fixtures" / "ward2" / "ke-hoach-45-KH-UBND-2025-tan-lap.md"
PERIOD = "2026-Q3"
# A commune's units: the same five offices as the shipped example, under a xã's names.
UNIT_NAMES = {
    "cong_an": "Công an xã",
    "mot_cua": "Trung tâm Phục vụ hành chính công xã",
    "kinh_te": "Phòng Kinh tế",
    "van_hoa_xa_hoi": "Phòng Văn hóa - Xã hội",
    "van_phong": "Văn phòng HĐND và UBND xã",
}
# Illustrative figures for 2026-Q3, one or two per unit.
FIGURES = {
    "vneid_residents": 72,
    "dossiers_online": 55,
    "coverage_5g": 70,
    "schools_dx_level2": 62.5,
    "officials_basic_digital_training": 100,
    # The e-wallet target no reviewed indicator describes: a provisional indicator, in the
    # template of the units file's first unit until the analyst assigns it.
    "new:ho_gia_dinh_tren_dia_ban_xa": 35,
}


def make_tan_lap(root: Path) -> tuple[Path, Path, str]:
    """Tân Lập's project under ``root`` after one illustrative quarter: the folder, its
    blank templates, and the text of its briefing."""
    folder = root / "tan-lap"
    assert main(["init", "--plan", str(PLAN), str(folder)]) == 0
    units_file = folder / "reporting_units.yaml"
    units = yaml.safe_load(units_file.read_text(encoding="utf-8"))
    for unit in units["units"]:
        unit["name_vi"] = UNIT_NAMES[unit["code"]]
        unit["aliases"] = []
    units_file.write_text(yaml.safe_dump(units, allow_unicode=True), encoding="utf-8")

    blanks = folder / "bieu-mau"
    argv = ["template", "--period", PERIOD, "--project", str(folder), "--out", str(blanks)]
    assert main(argv) == 0
    raw = folder / "data" / "raw" / PERIOD
    raw.mkdir()
    for blank in sorted(blanks.glob("*.xlsx")):
        workbook = openpyxl.load_workbook(blank)
        sheet = workbook[DATA_SHEET]
        sheet.cell(row=5, column=1, value=config.ILLUSTRATIVE_LABEL)
        for row in range(HEADER_ROW + 1, sheet.max_row + 1):
            figure = FIGURES.get(sheet.cell(row=row, column=2).value)
            if figure is not None:
                sheet.cell(row=row, column=VALUE_COL, value=figure)
        workbook.save(raw / blank.name)

    # --as-of fixes the report's date (the dateline) whatever day the test runs.
    argv = ["--project", str(folder), "run", "--period", PERIOD, "--formats", "html",
            "--as-of", "2026-10-15"]  # fmt: skip
    assert main(argv) == 0
    html = (folder / "reports" / PERIOD / f"bao-cao-{PERIOD}.html").read_text(encoding="utf-8")
    return folder, blanks, html
