from datetime import date

import pytest

from nq57lib.core.fmt import fmt_date, fmt_date_long, fmt_number, fmt_percent


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (80.5, 1, "80,5"),
        (80.0, 1, "80"),
        (1234.5, 1, "1.234,5"),
        (1234567, 0, "1.234.567"),
        (0.7, 2, "0,7"),
        (-2.25, 2, "-2,25"),
        (-0.04, 1, "0"),
        (None, 1, "—"),
        (float("nan"), 1, "—"),
    ],
)
def test_fmt_number_uses_vietnamese_separators(value, decimals, expected):
    assert fmt_number(value, decimals) == expected


def test_fmt_percent():
    assert fmt_percent(80.5) == "80,5%"
    assert fmt_percent(100) == "100%"
    assert fmt_percent(None) == "—"


def test_dates_are_day_month_year():
    assert fmt_date(date(2025, 10, 3)) == "03/10/2025"
    assert fmt_date_long(date(2025, 10, 3)) == "ngày 03 tháng 10 năm 2025"
