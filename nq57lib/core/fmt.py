"""Vietnamese number and date formats for reports: ``80,5%``, ``1.234``, ``03/10/2025``."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd


def is_missing(value: object) -> bool:
    """None, NaN, pandas' NA or an empty cell: shown as '—', never computed with."""
    if value is None or (isinstance(value, str) and value == ""):
        return True
    if isinstance(value, float):  # the common case, in the comparison's inner loops
        return value != value
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array is a value, not a gap
        return False


def fmt_number(value: float | int | None, decimals: int = 1, missing: str = "—") -> str:
    """``1234.5 -> '1.234,5'``; trailing decimal zeros are dropped (``80.0 -> '80'``)."""
    if is_missing(value):
        return missing
    text = f"{float(value):,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_percent(value: float | int | None, decimals: int = 1, missing: str = "—") -> str:
    """``80.5 -> '80,5%'`` (values already on the 0–100 scale)."""
    text = fmt_number(value, decimals, missing)
    return text if text == missing else f"{text}%"


def fmt_date(value: date | datetime) -> str:
    """``date(2025, 10, 3) -> '03/10/2025'``."""
    return value.strftime("%d/%m/%Y")


def fmt_date_long(value: date | datetime) -> str:
    """Administrative date line: 'ngày 03 tháng 10 năm 2025'."""
    return f"ngày {value.day:02d} tháng {value.month:02d} năm {value.year}"
