"""A unit's own year-to-date figure against the sum of its period figures
(docs/methodology.md §7, "the unit's own cumulative column")."""

from __future__ import annotations

import pandas as pd

from nq57lib.assess.cumulative import check_year_to_date
from nq57lib.core.schema import YEAR_TO_DATE_CHECK_COLUMNS


def _obs(*rows):
    return pd.DataFrame(
        [{"period": p, "indicator_id": "public_sector_initiatives", "value": v} for p, v in rows]
    )


def _total(value, cell="E14"):
    return pd.DataFrame(
        [{"period": "2026-Q3", "indicator_id": "public_sector_initiatives",
          "reported_by": "van_hoa_xa_hoi", "value": value, "source_file": "2026-Q3/vhxh.xlsx",
          "source_sheet": "Tong hop", "source_cell": cell}]
    )  # fmt: skip


def test_the_units_year_to_date_is_set_beside_the_sum_of_its_quarters():
    # 2025-Q4 belongs to last year; 2026: 2 + 4 + 3 = 9; the unit wrote 4 (the illustrative
    # Phòng Văn hóa - Xã hội, 2026-Q3).
    obs = _obs(("2025-Q4", 3), ("2026-Q1", 2), ("2026-Q2", 4), ("2026-Q3", 3))
    (row,) = check_year_to_date(_total("4"), obs, "2026-Q3").to_dict("records")
    assert list(row) == list(YEAR_TO_DATE_CHECK_COLUMNS)
    assert (row["unit_total"], row["periods_total"], row["agrees"]) == (4.0, 9.0, False)
    assert row["periods_used"] == "2026-Q1; 2026-Q2; 2026-Q3" and row["months_missing"] == ""
    assert row["source_cell"] == "E14"
    (same,) = check_year_to_date(_total("9"), obs, "2026-Q3").to_dict("records")
    assert same["agrees"] is True


def test_a_quarter_never_reported_is_named_and_the_sum_is_of_what_arrived():
    obs = _obs(("2026-Q1", 2), ("2026-Q3", 3))
    (row,) = check_year_to_date(_total("9"), obs, "2026-Q3").to_dict("records")
    assert (row["periods_total"], row["agrees"]) == (5.0, False)
    assert row["months_missing"] == "4/2026, 5/2026, 6/2026"
    # Nothing reported at all: the sum is 0 and every month is missing.
    (none,) = check_year_to_date(_total("1"), obs.iloc[0:0], "2026-Q3").to_dict("records")
    assert none["periods_total"] == 0 and none["months_missing"].startswith("1/2026, 2/2026")
