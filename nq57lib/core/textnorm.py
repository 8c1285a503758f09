"""Text normalisation shared by the plan parser and the workbook matcher, and file names
made printable."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z%&]+")


def nfc(text: str) -> str:
    """Compose Vietnamese letters (NFC), the form every nq57 output uses."""
    return unicodedata.normalize("NFC", text)


def strip_diacritics(text: str) -> str:
    """'Hồng Bàng' -> 'Hong Bang'; đ/Đ are letters of their own, not accented d."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A comparison key: no diacritics, lower case, words separated by single spaces.

    Cached: headers, unit names and labels are folded again and again, in every workbook.
    """
    folded = strip_diacritics(nfc(text)).lower()
    return _SPACES.sub(" ", _NON_WORD.sub(" ", folded)).strip()


def utf8_safe(text: str) -> str:
    """``text`` as a UTF-8 file can hold it. A file name whose bytes are not UTF-8 reaches
    Python as lone surrogates, which no UTF-8 encoder accepts; its bytes are shown escaped
    instead (``kinh-te-\\xff.xlsx``), as ``ls -b`` would."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that no file name produced
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


COMMENT_OPEN, COMMENT_CLOSE = "<!--", "-->"


def strip_comments(text: str, keep_lines: bool = False) -> str:
    """``text`` without its ``<!-- … -->`` comments (each replaced by the line breaks it
    held when ``keep_lines``, so that line numbers stay right); an unclosed comment stays
    text. Found with ``str.find``, in one pass: the pattern ``<!--.*?-->`` scanned to the
    end of the text once for every unclosed ``<!--``, quadratic on a 200 kB plan."""
    parts, start = [], 0
    while (opened := text.find(COMMENT_OPEN, start)) >= 0:
        closed = text.find(COMMENT_CLOSE, opened + len(COMMENT_OPEN))
        if closed < 0:
            break
        parts.append(text[start:opened])
        if keep_lines:
            parts.append("\n" * text.count("\n", opened, closed))
        start = closed + len(COMMENT_CLOSE)
    parts.append(text[start:])
    return "".join(parts)
