"""A plan as lines of clean text: reading the file, the marks of its structure, cleaning.

Both parsers (targets: :mod:`nq57lib.plan.parser`; tasks: :mod:`nq57lib.plan.tasks`) read
the plan through :func:`read_plan_lines` and recognise bullets, Roman-numeral headings and
footnotes with the same patterns, so a plan that parses for one parses for the other. The
plan may be Markdown, text, .docx or PDF: :mod:`nq57lib.plan.documents` turns each into
lines.
"""

from __future__ import annotations

import re
from pathlib import Path

from nq57lib.core.textnorm import nfc
from nq57lib.plan.documents import document_lines
from nq57lib.plan.exported import tidy_lines

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
    """The plan's lines, NFC: a text file's as every editor numbers them (split on
    newlines); a .docx's or PDF's one paragraph a line (:mod:`nq57lib.plan.documents`),
    with the forms legal databases export undone (:mod:`nq57lib.plan.exported`)."""
    return tidy_lines(document_lines(Path(path)))


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
