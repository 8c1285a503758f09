"""The analyst's own words for a period's report: ``data/raw/<P>/nhan-dinh.md``.

nq57 drafts every narrative section from the data; the analyst completes it in a plain
Markdown file beside the period's workbooks. Each section starts with a heading naming it
(``#`` or ``##``, numbering optional, case and diacritics as written):

    # Kết luận
    # Kết quả đạt được
    # Tồn tại, hạn chế và nguyên nhân
    # Phương hướng, nhiệm vụ kỳ tới
    # Đề xuất, kiến nghị

Under a heading, paragraphs are separated by a blank line and lines starting with "- " are
list items; the text is shown as written (escaped: no markup), after nq57's draft of the
section — except "Kết luận", which replaces nq57's one-paragraph conclusion. Lines inside
``<!-- … -->`` are comments. The file lives with the raw data: nq57 never writes it, so
nothing the analyst wrote is lost when a run is repeated.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from nq57lib.core import config, files
from nq57lib.core.errors import InputFileError, ValidationError
from nq57lib.core.fmt import fmt_number
from nq57lib.core.textnorm import fold, nfc, strip_comments

NARRATIVE_FILE = config.NARRATIVE_FILE
SECTIONS = {
    "conclusion": "Kết luận",
    "results": "Kết quả đạt được",
    "shortcomings": "Tồn tại, hạn chế và nguyên nhân",
    "directions": "Phương hướng, nhiệm vụ kỳ tới",
    "proposals": "Đề xuất, kiến nghị",
}
_KEYS = {fold(title): key for key, title in SECTIONS.items()}
# Every pattern here meets the analyst's text, so each is linear in it: a heading's words
# are what follows its marks and number (trailing "#" and spaces stripped in Python; the
# old "(.+?)\s*#*$" was quadratic on a long line of spaces), and comments are removed by
# core.textnorm.strip_comments, in one pass.
_HEADING_MARKS = re.compile(r"#{1,3}\s+")
_HEADING_NUMBER = re.compile(r"(?:[IVX]+\.|\d+\.)?\s*")
_ITEM = re.compile(r"^[-*•]\s+(.*)$")
# Where a word longer than the cap is broken for layout: a zero-width space, which a
# browser may break at and a reader does not see.
WORD_BREAK = "\u200b"


def _heading(line: str) -> str | None:
    """The words of a heading line ("## II. Kết quả đạt được ##" → "Kết quả đạt được")."""
    marks = _HEADING_MARKS.match(line)
    if marks is None:
        return None
    rest = line[marks.end() :]
    words = rest[_HEADING_NUMBER.match(rest).end() :].rstrip().rstrip("#").rstrip()
    # "# I." names a heading "I." (the number is its only word), as before.
    return words or rest.rstrip().rstrip("#").rstrip() or None


def _broken(text: str) -> str:
    """``text`` with every word over the cap broken every cap's length, for layout: a
    200 kB word is shown, never refused, and never widens the page."""
    width = config.MAX_NARRATIVE_WORD_CHARS

    def cut(match: re.Match) -> str:
        word = match.group(0)
        return WORD_BREAK.join(word[i : i + width] for i in range(0, len(word), width))

    return re.sub(rf"\S{{{width + 1},}}", cut, text)


@dataclass(frozen=True)
class Block:
    kind: str  # "p" (a paragraph) or "li" (a list item)
    text: str


@dataclass(frozen=True)
class Narrative:
    """The analyst's blocks per section key (see :data:`SECTIONS`); empty when no file."""

    sections: dict[str, list[Block]] = field(default_factory=dict)
    source: str = ""

    def blocks(self, key: str) -> list[Block]:
        return self.sections.get(key, [])

    def missing(self) -> list[str]:
        """Sections the analyst has not written (the data-quality annex lists them)."""
        return [title for key, title in SECTIONS.items() if not self.sections.get(key)]


class _TooMany(Exception):
    """More paragraphs and items than :data:`config.MAX_NARRATIVE_BLOCKS`."""


def parse_narrative(text: str, source: str = NARRATIVE_FILE) -> Narrative:
    """Blocks per section; every heading that names no section is reported at once."""
    try:
        return _parse(text, source)
    except _TooMany:
        cap = fmt_number(config.MAX_NARRATIVE_BLOCKS, 0)
        raise ValidationError(
            source,
            [
                f"có hơn {cap} đoạn và ý, nhiều hơn một báo cáo đưa vào; rút gọn phần nhận "
                "định (hoặc kiểm tra đây có đúng là tệp nhận định không)"
            ],
        ) from None


def _parse(text: str, source: str) -> Narrative:
    text = strip_comments(nfc(text.replace("\r\n", "\n")))
    sections: dict[str, list[Block]] = {}
    problems: list[str] = []
    current: str | None = None
    under_unknown = False  # text under a heading already reported is not reported again
    paragraph: list[str] = []
    blocks = 0

    def add(kind: str, words: str) -> None:
        nonlocal blocks
        blocks += 1
        if blocks > config.MAX_NARRATIVE_BLOCKS:
            raise _TooMany  # stop at once: 100,000 items took 314 s and 4 GB
        sections.setdefault(current, []).append(Block(kind, _broken(words)))

    def flush() -> None:
        if paragraph and current is not None:
            add("p", " ".join(paragraph))
        paragraph.clear()

    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        heading = _heading(line)
        if heading is not None:
            flush()
            current = _KEYS.get(fold(heading))
            under_unknown = current is None
            if current is None:
                allowed = "; ".join(f"“{t}”" for t in SECTIONS.values())
                problems.append(
                    f"dòng {number}: đề mục “{_short(heading)}” không thuộc báo cáo; "
                    f"dùng một trong: {allowed}"
                )
            continue
        if not line:
            flush()
            continue
        if current is None:
            if not under_unknown:
                problems.append(f"dòng {number}: nội dung nằm trước mọi đề mục; thêm đề mục")
                under_unknown = True  # once for the whole block before the first heading
            continue
        item = _ITEM.match(line)
        if item:
            flush()
            add("li", item.group(1).strip())
        else:
            paragraph.append(line)
    flush()
    if problems:
        raise ValidationError(source, problems[:_PROBLEMS_SHOWN])
    return Narrative(sections=sections, source=source)


# A message quotes at most this much of a heading, and lists at most this many problems.
_QUOTED_CHARS = 80
_PROBLEMS_SHOWN = 25


def _short(text: str) -> str:
    return text if len(text) <= _QUOTED_CHARS else text[: _QUOTED_CHARS - 1] + "…"


def read_narrative(folder: Path, root: Path | None = None) -> Narrative:
    """The period's narrative file, or an empty Narrative when the analyst wrote none.

    ``root`` is the raw folder (by default ``folder``'s parent): a link leading outside it
    is refused by name, never followed, and so is anything but a regular file within
    :data:`config.MAX_NARRATIVE_BYTES`.
    """
    path = folder / NARRATIVE_FILE
    if not os.path.lexists(path):
        return Narrative()
    root = folder.parent if root is None else root
    if files.outside(path, [root]):
        raise ValidationError(
            str(path),
            [
                f"là liên kết trỏ ra ngoài thư mục số liệu (tới {os.path.realpath(path)}); "
                "nq57 chỉ đọc tệp nhận định nằm trong thư mục số liệu — chép tệp vào thư mục "
                "kỳ thay cho liên kết"
            ],
        )
    try:
        text = files.read_text(path, config.MAX_NARRATIVE_BYTES)
    except InputFileError as error:
        raise ValidationError(str(path), [error.reason]) from None
    return parse_narrative(text, str(path))


def skeleton(drafts: dict[str, list[str]]) -> str:
    """A starter file: every heading, with nq57's draft shown in comments to build on."""
    parts = [
        "<!-- Nhận định của cán bộ tổng hợp. Viết dưới từng đề mục; dòng bắt đầu bằng "
        '"- " là một ý. Phần chú thích như dòng này không được đưa vào báo cáo. -->',
        "",
    ]
    for key, title in SECTIONS.items():
        parts.append(f"# {title}")
        parts.append("")
        draft = drafts.get(key, [])
        if draft:
            shown = "\n".join(f"   {line}" for line in draft).replace("-->", "—>")
            parts.append(f"<!-- Bản nháp của hệ thống:\n{shown}\n-->")
            parts.append("")
    return "\n".join(parts)
