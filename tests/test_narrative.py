"""The analyst's narrative file (data/raw/<P>/nhan-dinh.md): parsed, merged, never lost."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from example import EXAMPLE

from nq57lib import cli
from nq57lib.core.errors import ValidationError
from nq57lib.report import briefing
from nq57lib.report.narrative import SECTIONS, parse_narrative, read_narrative, skeleton

TEXT = """<!-- a comment the report never shows -->
# II. Tồn tại, hạn chế và nguyên nhân

Kinh phí chưa được bố trí;
một số đơn vị gửi <b>chậm</b>.

- Thiếu cán bộ chuyên trách.
- Lịch học trùng giờ tiếp dân.

## kết luận

Phường đạt phần lớn chỉ tiêu của quý.
"""


@pytest.fixture(scope="module")
def data(briefing_processed) -> briefing.BriefingData:
    return briefing.load_briefing_data(
        EXAMPLE.with_paths(processed_dir=briefing_processed),
        "2026-Q3",
        report_date=date(2026, 10, 5),
    )


def test_sections_paragraphs_and_items_whatever_the_heading_style():
    narrative = parse_narrative(TEXT)
    blocks = narrative.blocks("shortcomings")
    # Lines of one paragraph are joined; "- " lines are items; the comment is gone.
    assert [(b.kind, b.text) for b in blocks] == [
        ("p", "Kinh phí chưa được bố trí; một số đơn vị gửi <b>chậm</b>."),
        ("li", "Thiếu cán bộ chuyên trách."),
        ("li", "Lịch học trùng giờ tiếp dân."),
    ]
    # "## kết luận": level, numbering, case and diacritics as the analyst typed them.
    assert [b.text for b in narrative.blocks("conclusion")] == [
        "Phường đạt phần lớn chỉ tiêu của quý."
    ]
    assert narrative.missing() == [
        "Kết quả đạt được",
        "Phương hướng, nhiệm vụ kỳ tới",
        "Đề xuất, kiến nghị",
    ]


def test_every_problem_is_reported_at_once():
    with pytest.raises(ValidationError) as error:
        parse_narrative("Một câu trước đề mục.\n\n# Kiến nghị khác\n\nNội dung.\n", "nhan-dinh.md")
    assert error.value.problems == [
        "dòng 1: nội dung nằm trước mọi đề mục; thêm đề mục",
        "dòng 3: đề mục “Kiến nghị khác” không thuộc báo cáo; dùng một trong: "
        + "; ".join(f"“{t}”" for t in SECTIONS.values()),
    ]


def test_a_file_that_is_not_utf8_is_a_message(tmp_path):
    (tmp_path / "nhan-dinh.md").write_bytes(b"# K\xe9t lu\xe2n\n\n\xd0\xe3t.\n")  # Latin-1
    with pytest.raises(ValidationError, match="không phải văn bản UTF-8"):
        read_narrative(tmp_path)
    assert read_narrative(tmp_path / "nowhere").sections == {}


def test_analyst_text_follows_the_draft_escaped_and_replaces_the_conclusion(data):
    own = dataclasses.replace(data, narrative=parse_narrative(TEXT))
    html = briefing.shortcomings(own).data
    drafted = html.index("chỉ tiêu quá hạn chưa đạt")
    written = html.index("Kinh phí chưa được bố trí")
    assert drafted < written  # nq57's draft first, the analyst's words after
    assert "gửi &lt;b&gt;chậm&lt;/b&gt;." in html and "<b>chậm" not in html
    assert "<ul><li>Thiếu cán bộ chuyên trách.</li><li>Lịch học trùng giờ tiếp dân.</li></ul>" in (
        html
    )
    opening = briefing.opening(own).data
    assert "Phường đạt phần lớn chỉ tiêu của quý." in opening
    assert "trong 15 chỉ tiêu của Kế hoạch" not in opening  # the draft conclusion gave way


def test_skeleton_lists_every_heading_with_the_draft_in_comments():
    text = skeleton({"results": ["Đạt 4 chỉ tiêu."], "directions": ["Làm --> tiếp."]})
    narrative = parse_narrative(text)
    assert narrative.sections == {}  # nothing of the skeleton reaches the report by itself
    for title in SECTIONS.values():
        assert f"# {title}" in text
    assert "   Đạt 4 chỉ tiêu." in text
    assert "Làm —> tiếp." in text  # a "-->" in a draft cannot close the comment early


def test_cli_writes_the_skeleton_once_and_never_overwrites(tmp_path, briefing_processed, capsys):
    out = tmp_path / "nhan-dinh.md"
    raw = tmp_path / "raw"
    (raw / "2026-Q3").mkdir(parents=True)
    (raw / "2026-Q3" / "don-vi.xlsx").write_bytes(b"x")
    args = ["template", "--narrative", "--period", "2026-Q3", "--raw-dir", str(raw),
            "--processed-dir", str(briefing_processed), "--out", str(out)]  # fmt: skip
    assert cli.main(args) == 0
    first = out.read_text(encoding="utf-8")
    assert "# Tồn tại, hạn chế và nguyên nhân" in first
    out.write_text(first + "\nÝ của cán bộ tổng hợp.\n", encoding="utf-8")
    assert cli.main(args) == 2
    assert "does not overwrite" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8").endswith("Ý của cán bộ tổng hợp.\n")
