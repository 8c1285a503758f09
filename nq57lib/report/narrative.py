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

import re
from dataclasses import dataclass, field
from pathlib import Path

from nq57lib.core import config
from nq57lib.core.errors import ValidationError
from nq57lib.core.textnorm import fold, nfc

NARRATIVE_FILE = config.NARRATIVE_FILE
SECTIONS = {
    "conclusion": "Kết luận",
    "results": "Kết quả đạt được",
    "shortcomings": "Tồn tại, hạn chế và nguyên nhân",
    "directions": "Phương hướng, nhiệm vụ kỳ tới",
    "proposals": "Đề xuất, kiến nghị",
}
_KEYS = {fold(title): key for key, title in SECTIONS.items()}
_HEADING = re.compile(r"^#{1,3}\s+(?:[IVX]+\.|\d+\.)?\s*(.+?)\s*#*$")
_ITEM = re.compile(r"^[-*•]\s+(.*)$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


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


def parse_narrative(text: str, source: str = NARRATIVE_FILE) -> Narrative:
    """Blocks per section; every heading that names no section is reported at once."""
    text = _COMMENT.sub("", nfc(text.replace("\r\n", "\n")))
    sections: dict[str, list[Block]] = {}
    problems: list[str] = []
    current: str | None = None
    under_unknown = False  # text under a heading already reported is not reported again
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph and current is not None:
            sections.setdefault(current, []).append(Block("p", " ".join(paragraph)))
        paragraph.clear()

    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        heading = _HEADING.match(line)
        if heading:
            flush()
            current = _KEYS.get(fold(heading.group(1)))
            under_unknown = current is None
            if current is None:
                allowed = "; ".join(f"“{t}”" for t in SECTIONS.values())
                problems.append(
                    f"dòng {number}: đề mục “{heading.group(1)}” không thuộc báo cáo; "
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
            sections.setdefault(current, []).append(Block("li", item.group(1).strip()))
        else:
            paragraph.append(line)
    flush()
    if problems:
        raise ValidationError(source, problems)
    return Narrative(sections=sections, source=source)


def read_narrative(folder: Path) -> Narrative:
    """The period's narrative file, or an empty Narrative when the analyst wrote none."""
    path = folder / NARRATIVE_FILE
    if not path.is_file():
        return Narrative()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        problem = "tệp không phải văn bản UTF-8; lưu lại dạng UTF-8"
        raise ValidationError(str(path), [problem]) from None
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
