"""Vietnamese number text and cell values."""

from __future__ import annotations

import pytest

from nq57lib.collect.numbers import (
    NumberTextError,
    ParsedNumber,
    parse_cell_number,
    parse_text_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("85,5%", ParsedNumber(85.5, True)),
        ("85 %", ParsedNumber(85.0, True)),
        ("85%", ParsedNumber(85.0, True)),
        ("1.234", ParsedNumber(1234.0)),
        ("1.234.567", ParsedNumber(1234567.0)),
        ("1.234,5", ParsedNumber(1234.5)),
        ("1,234.5", ParsedNumber(1234.5)),
        ("0,855", ParsedNumber(0.855)),
        ("0.855", ParsedNumber(0.855)),
        ("12", ParsedNumber(12.0)),
        ("-3", ParsedNumber(-3.0)),
        ("2,6%", ParsedNumber(2.6, True)),
        ("1 234", ParsedNumber(1234.0)),
        ("12.5%", ParsedNumber(12.5, True)),
    ],
)
def test_text_numbers(text: str, expected: ParsedNumber) -> None:
    assert parse_text_number(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "-", "—", "x", "N/A", "Không có số liệu"])
def test_empty_markers(text: str) -> None:
    assert parse_text_number(text) is None


@pytest.mark.parametrize("text", ["khoảng 85%", "=1+1", "<b>85</b>", "85,5,5", "hoàn thành", "1/2"])
def test_not_numbers(text: str) -> None:
    with pytest.raises(NumberTextError) as caught:
        parse_text_number(text)
    assert "không phải là một số" in str(caught.value)


def test_cell_values() -> None:
    assert parse_cell_number(None) is None
    assert parse_cell_number(7) == ParsedNumber(7.0)
    assert parse_cell_number(0.855) == ParsedNumber(0.855)
    # Excel stores 85,5% as 0.855 with a percent format.
    assert parse_cell_number(0.855, "0.0%") == ParsedNumber(pytest.approx(85.5), True)
    assert parse_cell_number("79,2%") == ParsedNumber(79.2, True)
    with pytest.raises(NumberTextError):
        parse_cell_number(True)
    with pytest.raises(NumberTextError):
        parse_cell_number(float("nan"))
