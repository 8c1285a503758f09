"""Numbers as ward units write them: ``85,5%``, ``1.234``, ``85 %``, ``0,855``.

Vietnamese uses ``.`` to group thousands and ``,`` for decimals, but workbooks
also carry English-style text and real Excel numbers; :func:`parse_number`
accepts all of them and says which reading it chose, so nothing is guessed silently.
Digits other than 0–9 (Arabic-Indic ``٧٠``, full-width ``７０％``, pasted from other
keyboards) are read as 0–9, and the result says so (``written``) so that the caller can
note it: the figure is kept, the change is never silent.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

# Cells that mean "nothing reported" rather than zero.
_EMPTY_MARKERS = {"", "-", "--", "—", "–", "x", "n/a", "na", "không có số liệu", "chưa có số liệu"}

# re.ASCII: \d is 0–9 only; other digits are turned into 0–9 first, and noted.
_PLAIN = re.compile(r"^[+-]?\d+$", re.ASCII)
_GROUPED_DOT = re.compile(r"^[+-]?[1-9]\d{0,2}(?:\.\d{3})+$", re.ASCII)
_GROUPED_COMMA = re.compile(r"^[+-]?\d{1,3}(?:,\d{3}){2,}$", re.ASCII)
_GROUPED_SPACE = re.compile(r"^[+-]?\d{1,3}(?: \d{3})+(?:[.,]\d+)?$", re.ASCII)
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$", re.ASCII)
# "1,000": a Vietnamese decimal comma, or an English thousands separator.
_ONE_GROUP_COMMA = re.compile(r"^[+-]?[1-9]\d{0,2},\d{3}$", re.ASCII)
_DECIMAL_DOT = re.compile(r"^[+-]?\d*\.\d+$", re.ASCII)
_VI_FULL = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+,\d+$", re.ASCII)
_EN_FULL = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+\.\d+$", re.ASCII)
# Signs and separators of other scripts and of full-width forms. The Arabic decimal
# separator is a decimal comma, its thousands separator a grouping dot, as in Vietnamese.
_FOREIGN_MARKS = str.maketrans(
    {
        "\uff05": "%", "\u066a": "%", "\uff0c": ",", "\u066b": ",", "\uff0e": ".",
        "\u066c": ".", "\uff0b": "+", "\uff0d": "-", "\u2212": "-", "\u3000": " ",
    }
)  # fmt: skip
# Longest text read as a number: more digits than any figure has are a paste gone wrong.
_QUOTED = 60


class NumberTextError(ValueError):
    """Text that is not a number; ``str()`` is a Vietnamese explanation."""


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from a cell. ``percent`` is True when the cell said so (``%`` or format);
    ``written`` is the cell's text when digits other than 0–9 had to be read as 0–9."""

    value: float
    percent: bool = False
    written: str = ""
    # For "1,000", the reading with the comma as a thousands separator (``value`` takes it
    # as a decimal comma); which one holds depends on what is counted, so the caller decides.
    grouped: float | None = None


def _quoted(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _QUOTED else text[: _QUOTED - 1] + "…"


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit of any script as 0–9 and full-width or Arabic
    signs as their ASCII forms; other characters unchanged."""
    if text.isascii():
        return text
    out = []
    for ch in text.translate(_FOREIGN_MARKS):
        digit = unicodedata.decimal(ch, None) if not ch.isascii() else None
        out.append(str(digit) if digit is not None else ch)
    return "".join(out)


def _is_empty_text(text: str) -> bool:
    return text.strip().lower() in _EMPTY_MARKERS


def parse_text_number(text: str) -> ParsedNumber | None:
    """Read a number written as text; ``None`` for an empty marker such as ``-``."""
    if _is_empty_text(text):
        return None
    body = ascii_digits(text.strip().replace("\u00a0", " "))
    written = text.strip() if body != text.strip().replace("\u00a0", " ") else ""
    percent = body.endswith("%")
    if percent:
        body = body[:-1].strip()
    if _PLAIN.match(body):
        number = float(body)
    elif _VI_FULL.match(body):
        number = float(body.replace(".", "").replace(",", "."))
    elif _EN_FULL.match(body):
        number = float(body.replace(",", ""))
    elif _GROUPED_DOT.match(body) and not percent:
        # "1.234" is one thousand two hundred thirty-four in Vietnamese writing.
        number = float(body.replace(".", ""))
    elif _GROUPED_COMMA.match(body):
        number = float(body.replace(",", ""))
    elif _GROUPED_SPACE.match(body):
        number = float(body.replace(" ", "").replace(",", "."))
    elif _ONE_GROUP_COMMA.match(body):
        grouped = float(body.replace(",", ""))
        return ParsedNumber(float(body.replace(",", ".")), percent, written, grouped)
    elif _DECIMAL_COMMA.match(body):
        number = float(body.replace(",", "."))
    elif _DECIMAL_DOT.match(body):
        number = float(body)
    else:
        raise NumberTextError(f"“{_quoted(text)}” không phải là một số")
    if not math.isfinite(number):
        raise NumberTextError(f"“{_quoted(text)}” quá lớn, không phải một số hợp lệ")
    return ParsedNumber(number, percent, written)


def parse_cell_number(value: object, number_format: str = "General") -> ParsedNumber | None:
    """Read a cell value (already a number, or text); ``None`` when the cell is empty.

    A real number shown with a percent format (``0.0%``) is stored as a fraction
    by Excel, so it comes back multiplied by 100 and marked as a percent.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumberTextError(f"giá trị logic {value} không phải là một số")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise NumberTextError("ô chứa giá trị không hữu hạn")
        if "%" in (number_format or ""):
            return ParsedNumber(float(value) * 100, True)
        return ParsedNumber(float(value))
    if isinstance(value, str):
        return parse_text_number(value)
    raise NumberTextError(f"ô chứa kiểu dữ liệu {type(value).__name__}, không phải số")


def is_whole(value: float) -> bool:
    return math.isclose(value, round(value), abs_tol=1e-9)
