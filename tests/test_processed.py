"""Reading processed tables: which folders count, and what marks data as illustrative."""

from __future__ import annotations

import pandas as pd

from nq57lib.core.processed import ILLUSTRATIVE_MARKER, is_illustrative, processed_periods


def _observations(*notes: str, source_file: str = "2026-Q3/van-phong.xlsx") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": ["operations_centre"] * len(notes),
            "source_file": [source_file] * len(notes),
            "reported_by": ["van_phong"] * len(notes),
            "note": list(notes),
        }
    )


def test_only_the_marker_cleaning_writes_brands_data_as_illustrative():
    assert ILLUSTRATIVE_MARKER == "[nq57] Số liệu minh họa"
    assert is_illustrative(_observations("Đã nghiệm thu", f"Đã ký · {ILLUSTRATIVE_MARKER}"))
    # A unit's own words that merely contain "minh họa" are real data.
    assert not is_illustrative(_observations("Kèm ảnh minh họa lễ khai trương"))
    assert not is_illustrative(_observations("Số liệu minh họa cho hội nghị"))
    assert not is_illustrative(_observations("x", source_file="2026-Q3/anh-minh-hoa.xlsx"))
    assert not is_illustrative(pd.DataFrame({"indicator_id": ["a"]}))


def test_processed_periods_are_the_folders_with_observations(tmp_path):
    for name in ("2026-Q2", "2026-Q3", "cache", "2026-Q4"):
        (tmp_path / name).mkdir()
    for name in ("2026-Q3", "2026-Q2", "cache"):
        (tmp_path / name / "observations.csv").write_text("period\n", encoding="utf-8")
    assert [p.code for p in processed_periods(tmp_path)] == ["2026-Q2", "2026-Q3"]
