"""A plan as lines of clean text: reading the file, the marks of its structure, cleaning.

Both parsers (targets: :mod:`nq57lib.plan.parser`; tasks: :mod:`nq57lib.plan.tasks`) read
the plan through :func:`read_plan_lines` and recognise bullets, Roman-numeral headings and
footnotes with the same patterns, so a plan that parses for one parses for the other.
"""

from __future__ import annotations

import re
from pathlib import Path

from nq57lib.core.errors import PlanParseError
from nq57lib.core.textnorm import nfc

SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"

# ── structure ───────────────────────────────────────────────────────────────
ROMAN_HEADING = re.compile(r"^([IVXLC]+)\.\s+(\S.*)$")
BULLET = re.compile(r"^(?:[-–—+*]\s+|•\s*)(\S.*)$")
FOOTNOTE_LINE = re.compile(rf"^(?:[{SUPERSCRIPTS}]+|\[\^[^\]]+\]:)\s*\S")
FINAL_PUNCTUATION = tuple(".;:!?")
SPACES = re.compile(r"\s+")

# ── cleaning ────────────────────────────────────────────────────────────────
_MATH = re.compile(r"\$([^$]*)\$")
_LATEX = (
    (r"\geq", "≥"),
    (r"\leq", "≤"),
    (r"\ge", "≥"),
    (r"\le", "≤"),
    (r"\gt", ">"),
    (r"\lt", "<"),
    (r"\%", "%"),
    (r"\,", " "),
    (r"\;", " "),
    ("~", " "),
    ("{", ""),
    ("}", ""),
)
_FOOTNOTE_MARK = re.compile(rf"(?<=\S)[{SUPERSCRIPTS}]+|\[\^[^\]]+\]")
_EMPHASIS = re.compile(r"\*\*|__|`")
# Markdown italics "*qua Phòng Văn hóa - Xã hội*": the stars go, the words stay.
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


def read_plan_lines(path: Path) -> list[str]:
    """The plan's lines, NFC, numbered as every editor numbers them (split on newlines)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PlanParseError(path, "file not found") from None
    except IsADirectoryError:
        raise PlanParseError(path, "is a folder, not a plan file") from None
    except PermissionError:
        raise PlanParseError(path, "cannot be read (permission denied)") from None
    if not raw.strip():
        raise PlanParseError(path, "the file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PlanParseError(
            path, f"not UTF-8 text (invalid byte at offset {error.start}); save it as UTF-8"
        ) from None
    if "\x00" in text:
        raise PlanParseError(path, "binary content, not a text (Markdown) file")
    return [nfc(line.rstrip("\r")) for line in text.split("\n")]


def _latex(match: re.Match[str]) -> str:
    body = match.group(1)
    for source, target in _LATEX:
        body = body.replace(source, target)
    return body


def clean_text(raw: str) -> str:
    """Plain NFC text: LaTeX math as symbols, no footnote markers or emphasis, single spaces."""
    text = _MATH.sub(_latex, raw).replace(r"\%", "%")
    text = _FOOTNOTE_MARK.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _ITALIC.sub(r"\1", text)
    return nfc(SPACES.sub(" ", text).strip())
