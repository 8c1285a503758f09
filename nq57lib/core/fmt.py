"""Vietnamese number and date formats for reports: ``80,5%``, ``1.234``, ``03/10/2025``.

Also the one way a figure or a target is shown to ward users (``fmt_value``,
``fmt_target``), so the catalogue, the Excel appendix, the charts and the briefing agree.
"""

from __future__ import annotations

from datetime import date, datetime

from nq57lib.core.vocab import COMPARATOR_SYMBOLS


def is_missing(value: object) -> bool:
    """None, NaN, pandas' NA or an empty cell: shown as '—', never computed with."""
    if value is None or (isinstance(value, str) and value == ""):
        return True
    if isinstance(value, float):  # the common case, in the comparison's inner loops
        return value != value
    if isinstance(value, int | str | date):
        return False
    import pandas as pd  # pandas' NA and NaT; loaded by then wherever such values exist

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


def fmt_value(value: float | None, unit: str) -> str:
    """A figure in its indicator's unit: ``85,5%``, ``12``, ``0,72``."""
    if is_missing(value):
        return "—"
    if unit == "%":
        return fmt_percent(value, 1)
    if unit == "count":
        return fmt_number(value, 1)
    return fmt_number(value, 2)


def fmt_target(comparator: str, target: float, value_max: float | None, unit: str) -> str:
    """A milestone figure: ``≥ 80%``, ``> 3%``, ``80–90%``; a bare figure for ``=``."""
    if is_missing(target):
        return "—"
    if comparator == "range":
        low = fmt_value(target, unit).rstrip("%")
        return f"{low}–{fmt_value(value_max, unit)}"
    symbol = "" if comparator == "=" else COMPARATOR_SYMBOLS.get(comparator, "")
    return f"{symbol} {fmt_value(target, unit)}" if symbol else fmt_value(target, unit)


def fmt_gap(gap: object, unit: str) -> str:
    """What is still missing: percentage points for percentages (``21,5 điểm %``)."""
    if is_missing(gap):
        return "—"
    if unit == "%":
        return f"{fmt_number(float(gap))} điểm %"
    return fmt_value(float(gap), unit)


def fmt_ratio(ratio: object) -> str:
    """A progress ratio with two decimals: ``0,48``."""
    return "—" if is_missing(ratio) else fmt_number(float(ratio), 2)
