"""Plans as Word and PDF files: the same targets and tasks as the Markdown, and the reader's
rules for each format (paragraphs, lists, tables, wrapped PDF lines, page numbers, errors).

Expected lines are written by hand. The shipped plan is converted by ``plan_documents``
into the .docx and the text PDF a ward office would send; PDF layout needs WeasyPrint and
its Pango library (``requires_pango``), the rest runs everywhere.
"""

from __future__ import annotations

import os
import unicodedata
from collections import Counter
from pathlib import Path

import docx
import pandas as pd
import pypdf
import pytest
from conftest import requires_pango
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from example import example_registry
from plan_documents import html_document, markdown_to_docx, markdown_to_pdf, write_html_pdf

from nq57lib.core.errors import PlanParseError
from nq57lib.plan.catalogue import build_catalogue
from nq57lib.plan.documents import SUPPORTED_SUFFIXES, unwrap_pdf_pages
from nq57lib.plan.tasks import build_task_catalogue
from nq57lib.plan.text import clean_text, read_plan_lines

SHIPPED_PLAN = (
    Path(__file__).resolve().parent.parent
    / "data"
    / "raw"
    / "plan"
    / "ke-hoach-106-KH-UBND-2025-hong-bang.md"
)


def _without_lines(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without its line numbers, which differ between formats by nature."""
    return frame.drop(columns=[c for c in frame.columns if "line" in c]).reset_index(drop=True)


def _error(path: Path) -> str:
    with pytest.raises(PlanParseError) as caught:
        read_plan_lines(path)
    assert caught.value.path == path
    return caught.value.problem


# ── the shipped plan as office files ────────────────────────────────────────


@pytest.fixture(scope="module")
def markdown_catalogues():
    return build_catalogue(SHIPPED_PLAN, example_registry()), build_task_catalogue(SHIPPED_PLAN)


@pytest.fixture(scope="module")
def plan_docx(tmp_path_factory) -> Path:
    return markdown_to_docx(SHIPPED_PLAN, tmp_path_factory.mktemp("docx") / "plan.docx")


@pytest.fixture(scope="module")
def plan_pdf(tmp_path_factory) -> Path:
    return markdown_to_pdf(SHIPPED_PLAN, tmp_path_factory.mktemp("pdf") / "plan.pdf")


def _assert_same_catalogues(path: Path, markdown_catalogues) -> None:
    targets, tasks = markdown_catalogues
    from_file = build_catalogue(path, example_registry())
    assert len(from_file.targets) == 135
    pd.testing.assert_frame_equal(
        _without_lines(from_file.targets), _without_lines(targets.targets)
    )
    pd.testing.assert_frame_equal(
        _without_lines(from_file.unmatched), _without_lines(targets.unmatched)
    )
    tasks_from_file = build_task_catalogue(path)
    pd.testing.assert_frame_equal(
        _without_lines(tasks_from_file.tasks), _without_lines(tasks.tasks)
    )
    pd.testing.assert_frame_equal(tasks_from_file.groups, tasks.groups)


def _words(lines: list[str]) -> Counter:
    return Counter(word for line in lines for word in clean_text(line.lstrip("-• ")).split())


def test_the_docx_helper_writes_word_styles_not_markdown(plan_docx):
    document = docx.Document(plan_docx)
    styles = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "Heading 2", "List Bullet", "Title"} <= styles
    texts = [p.text for p in document.paragraphs]
    assert not any(t.startswith("- ") or "**" in t or "$" in t for t in texts)
    assert "Tỷ lệ phủ sóng 5G trên địa bàn đạt ≥ 80%." in texts


def test_docx_plan_gives_the_markdown_targets_and_tasks(plan_docx, markdown_catalogues):
    _assert_same_catalogues(plan_docx, markdown_catalogues)


def test_docx_plan_keeps_every_word(plan_docx):
    assert _words(read_plan_lines(plan_docx)) == _words(read_plan_lines(SHIPPED_PLAN))


@requires_pango
def test_pdf_plan_really_wraps_and_numbers_its_pages(plan_pdf):
    reader = pypdf.PdfReader(plan_pdf)
    assert len(reader.pages) > 10
    raw = reader.pages[4].extract_text().split("\n")
    assert raw[-1] == "5"  # the page number the reader must drop
    assert max(len(line) for line in raw) < 100  # lines wrapped at the page width


@requires_pango
def test_pdf_plan_gives_the_markdown_targets_and_tasks(plan_pdf, markdown_catalogues):
    _assert_same_catalogues(plan_pdf, markdown_catalogues)


@requires_pango
def test_pdf_plan_keeps_every_word_and_drops_page_numbers(plan_pdf):
    assert _words(read_plan_lines(plan_pdf)) == _words(read_plan_lines(SHIPPED_PLAN))


@requires_pango
def test_pdf_plan_lines_are_whole_paragraphs(plan_pdf):
    lines = read_plan_lines(plan_pdf)
    assert "• Tỷ lệ phủ sóng 5G trên địa bàn đạt ≥ 80%." in lines
    assert (
        "• Có ≥ 75% cơ sở giáo dục phổ thông đánh giá mức độ chuyển đổi số đạt mức 2 trở lên;"
        in lines
    )
    assert "2.1. Đến hết năm 2025" in lines
    assert "a) Phát triển hạ tầng" in lines


# ── .docx: paragraphs, lists, tables ────────────────────────────────────────


def _numbered(paragraph, num_id: str = "1") -> None:
    """Give ``paragraph`` Word numbering of its own (w:numPr), as a list button does."""
    numbering = OxmlElement("w:numPr")
    level = OxmlElement("w:ilvl")
    level.set(qn("w:val"), "0")
    number = OxmlElement("w:numId")
    number.set(qn("w:val"), num_id)
    numbering.append(level)
    numbering.append(number)
    paragraph._p.get_or_add_pPr().append(numbering)


def test_docx_paragraphs_and_tables_keep_their_order(tmp_path):
    document = docx.Document()
    document.add_heading("III. MỤC TIÊU", level=1)
    document.add_paragraph("Bảng chỉ tiêu:")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Chỉ tiêu"
    table.cell(0, 1).text = "Năm 2030"
    table.cell(1, 0).text = "Phủ sóng 5G"
    table.cell(1, 1).text = "100%"
    document.add_paragraph()
    document.add_paragraph("Đoạn sau bảng.")
    path = tmp_path / "plan.docx"
    document.save(path)
    assert read_plan_lines(path) == [
        "III. MỤC TIÊU",
        "Bảng chỉ tiêu:",
        "",
        "| Chỉ tiêu | Năm 2030 |",
        "| --- | --- |",
        "| Phủ sóng 5G | 100% |",
        "",
        "",
        "Đoạn sau bảng.",
    ]


def test_docx_list_paragraphs_become_bullets(tmp_path):
    document = docx.Document()
    document.add_paragraph("a) Phát triển hạ tầng")
    document.add_paragraph("Tỷ lệ phủ sóng 5G đạt 100%.", style="List Bullet")
    document.add_paragraph("Có 100% hồ sơ số hóa.", style="List Number")
    _numbered(document.add_paragraph("Đánh số bằng nút danh sách."))
    document.add_paragraph("- Đã có gạch đầu dòng.", style="List Bullet")
    _numbered(document.add_paragraph("Đánh số đã tắt."), num_id="0")
    document.add_heading("2.2. Đến hết năm 2030", level=2)
    path = tmp_path / "plan.docx"
    document.save(path)
    assert read_plan_lines(path) == [
        "a) Phát triển hạ tầng",
        "- Tỷ lệ phủ sóng 5G đạt 100%.",
        "- Có 100% hồ sơ số hóa.",
        "- Đánh số bằng nút danh sách.",
        "- Đã có gạch đầu dòng.",
        "Đánh số đã tắt.",
        "2.2. Đến hết năm 2030",
    ]


def test_docx_line_breaks_and_formatting(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("TM. ỦY BAN NHÂN DÂN").bold = True
    paragraph.add_run().add_break()
    paragraph.add_run("CHỦ TỊCH").bold = True
    mixed = document.add_paragraph("Báo cáo ")
    mixed.add_run("trước ngày 30/11").bold = True
    mixed.add_run("\t(qua Phòng Văn hóa - Xã hội).")
    path = tmp_path / "plan.docx"
    document.save(path)
    assert read_plan_lines(path) == [
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Báo cáo trước ngày 30/11 (qua Phòng Văn hóa - Xã hội).",
    ]


def test_docx_merged_cells_give_their_text_once(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for column, title in enumerate(("Mã", "Nhiệm vụ", "Đơn vị")):
        table.cell(0, column).text = title
    table.cell(1, 0).merge(table.cell(1, 1)).text = "Chuyển đổi số"  # across two columns
    table.cell(1, 2).merge(table.cell(2, 2)).text = "Phòng VH-XH"  # down two rows
    table.cell(2, 0).text = "7.1"
    table.cell(2, 1).text = "Nền tảng số"
    path = tmp_path / "plan.docx"
    document.save(path)
    assert read_plan_lines(path) == [
        "| Mã | Nhiệm vụ | Đơn vị |",
        "| --- | --- | --- |",
        "| Chuyển đổi số |  | Phòng VH-XH |",
        "| 7.1 | Nền tảng số |  |",
        "",
    ]


def test_docx_cells_are_flattened_and_escaped(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).text = "Dòng 1\nDòng 2"
    table.cell(0, 1).paragraphs[0].text = "Trước"
    table.cell(0, 1).add_paragraph("Sau")
    table.cell(0, 2).text = "Có/Không | Ghi chú"
    inner = table.cell(0, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Bảng con"
    inner.cell(0, 1).text = "ô 2"
    path = tmp_path / "plan.docx"
    document.save(path)
    lines = read_plan_lines(path)
    assert lines == [
        r"| Dòng 1 Dòng 2 | Trước Sau | Có/Không \| Ghi chú Bảng con ô 2 |",
        "| --- | --- | --- |",
        "",
    ]


def test_docx_table_rows_have_the_column_count(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    table.cell(0, 0).text = "A"
    table.cell(1, 1).merge(table.cell(1, 3)).text = "B"
    table.cell(2, 3).text = "C"
    path = tmp_path / "plan.docx"
    document.save(path)
    rows = [line for line in read_plan_lines(path) if line.startswith("|")]
    assert rows == [
        "| A |  |  |  |",
        "| --- | --- | --- | --- |",
        "|  | B |  |  |",
        "|  |  |  | C |",
    ]
    assert {row.count(" | ") for row in rows} == {3}


def test_docx_without_text(tmp_path):
    path = tmp_path / "plan.docx"
    docx.Document().save(path)
    assert _error(path) == "the document holds no text"


def test_damaged_docx(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(b"not a zip archive at all")
    assert "not a readable Word .docx file" in _error(path)


# ── PDF: re-joining wrapped lines ───────────────────────────────────────────

# A page of 60-character lines, as a PDF's text layer gives it.
WRAPPED = [
    "Thiết lập chế độ báo cáo, sơ kết, tổng kết định kỳ; báo cáo",
    "Ban Thường vụ Đảng ủy, Ban Chỉ đạo thực hiện Nghị quyết số",
    "57-NQ/TW thường kịp thời đối với các hoạt động quan trọng và",
    "tổng hợp, đánh giá kết quả thực hiện.",
]
FILLER = ["Dòng đầy đủ của một đoạn văn khác, không có dấu chấm câu ở", "cuối."]


def test_unwrap_joins_a_wrapped_paragraph():
    assert unwrap_pdf_pages(["\n".join(WRAPPED)]) == [" ".join(WRAPPED)]


def test_unwrap_keeps_headings_bullets_and_numbered_items_apart():
    page = [
        "II. YÊU CẦU",
        *WRAPPED,
        "- Nội dung quán triệt cần tập trung vào các vấn đề cốt lõi",
        "– Hình thức quán triệt cần đa dạng, phong phú (hội nghị, hội",
        "+ Xây dựng tài liệu, cẩm nang về khoa học-công nghệ, đổi mới",
        "• Mời chuyên gia có kinh nghiệm thực tế về khoa học, công nghệ",
        "1. Bám sát các quan điểm, mục tiêu, nhiệm vụ, giải pháp của",
        "(1) Xác định đúng phương thức, không hình thức, không dàn trải",
        "a) Phát triển hạ tầng số và dữ liệu số của phường Hồng Bàng",
        "2.1. Đến hết năm 2025, phường hoàn thành các mục tiêu sau đây",
        "NƠI NHẬN VÀ LƯU TRỮ",
        "| Chỉ tiêu | 2025 |",
        "Đoạn văn viết hoa ngắn.",
    ]
    assert unwrap_pdf_pages(["\n".join(page)]) == [
        "II. YÊU CẦU",
        " ".join(WRAPPED),
        *page[5:],
    ]


def test_unwrap_lower_case_continues_a_short_line_without_punctuation():
    page = ["Kế hoạch cần bám sát kế hoạch của", "thành phố.", *WRAPPED]
    assert unwrap_pdf_pages(["\n".join(page)])[0] == "Kế hoạch cần bám sát kế hoạch của thành phố."


def test_unwrap_leaves_a_short_line_and_a_capital_apart():
    page = [*WRAPPED, "Phòng Văn hóa - Xã hội phường", "Ủy ban nhân dân phường yêu cầu."]
    assert unwrap_pdf_pages(["\n".join(page)])[1:] == page[4:]


def test_unwrap_compounds_broken_at_a_hyphen_or_slash():
    page = [
        "Thực hiện tốt Nghị quyết số 57-NQ/TW và Kế hoạch số 238/KH-",
        "UBND cùng các văn bản hướng dẫn của thành phố về số 57-NQ/",
        "TW, bảo đảm đồng bộ các mục tiêu, nhiệm vụ, giải pháp đã đề",
        "ra.",
    ]
    assert unwrap_pdf_pages(["\n".join(page)]) == [
        "Thực hiện tốt Nghị quyết số 57-NQ/TW và Kế hoạch số 238/KH-UBND cùng các văn bản "
        "hướng dẫn của thành phố về số 57-NQ/TW, bảo đảm đồng bộ các mục tiêu, nhiệm vụ, "
        "giải pháp đã đề ra."
    ]


def test_unwrap_a_hyphen_put_first_by_the_wrap_is_no_bullet():
    page = [
        "Thiết lập cơ chế phối hợp giữa các tổ chức chính trị",
        "- xã hội, doanh nghiệp và các đơn vị liên quan.",
        *WRAPPED,
    ]
    assert unwrap_pdf_pages(["\n".join(page)])[0] == " ".join(page[:2])


def test_unwrap_clause_lists_go_on_after_a_semicolon():
    page = [
        "• Phần đầu hằng năm có 02 sáng kiến cấp cơ sở về khoa học;",
        "01 sáng kiến đề xuất công nhận cấp thành phố, tỉnh, quốc gia;",
        "cơ quan, đơn vị báo cáo hằng quý.",
        *WRAPPED,
    ]
    assert unwrap_pdf_pages(["\n".join(page)])[0] == " ".join(page[:3])


def test_unwrap_a_sentence_end_splits_only_where_the_next_word_fitted():
    # The page's lines hold 60 characters: "Ban" would have fitted after the 51-character
    # line, so its author ended the paragraph there; "Thường" would not have fitted after
    # the 59-character one, so the page width broke it.
    short_end = "Huy động sự tham gia của cán bộ, công chức, viên c."
    long_end = "Huy động sự tham gia của cán bộ, công chức, viên chức, doa."
    assert (len(short_end), len(long_end)) == (51, 59)
    wide = [*[f"{'x' * 59}y"] * 10, "II. YÊU CẦU"]
    split = unwrap_pdf_pages(["\n".join([*wide, short_end, "Ban hành quy chế."])])
    joined = unwrap_pdf_pages(["\n".join([*wide, long_end, "Thường xuyên kiểm tra."])])
    assert split[-2:] == [short_end, "Ban hành quy chế."]
    assert joined[-1] == f"{long_end} Thường xuyên kiểm tra."
    # An ellipsis closes a list ("etc."), not the paragraph, even where "Kết" fitted.
    etc = "Hỗ trợ pháp lý, đào tạo kỹ năng quản trị, marketing..."
    assert len(etc) + len(" Kết") < 60
    assert unwrap_pdf_pages(["\n".join([*wide, etc, "Kết nối quỹ đầu tư."])])[-1] == (
        f"{etc} Kết nối quỹ đầu tư."
    )


def test_unwrap_drops_page_numbers_at_page_edges_only():
    pages = [
        "\n".join(["1", *WRAPPED]),
        "\n".join(["- 2 -", *FILLER, "Bảng có ô:", "2030"]),
        "\n".join([*WRAPPED, "17", *FILLER, "Trang 3/12"]),
    ]
    assert unwrap_pdf_pages(pages) == [
        " ".join(WRAPPED),
        "",
        " ".join(FILLER),
        "Bảng có ô:",
        "2030",  # four digits: a year, not a page number
        "",
        " ".join(WRAPPED),
        "17",  # inside the page: kept
        " ".join(FILLER),
    ]


def test_unwrap_keeps_pages_apart_and_drops_detached_markers():
    pages = ["\n".join([*WRAPPED[:2], "•", "•"]), "\n".join(["•", "Mục danh sách."])]
    assert unwrap_pdf_pages(pages) == [" ".join(WRAPPED[:2]), "", "• Mục danh sách."]


def test_unwrap_joins_a_compound_cut_by_a_page_break_only():
    pages = [
        "\n".join([*WRAPPED, "Kế hoạch số 238/KH-"]),
        "\n".join(["UBND ngày 13/9/2025 của thành phố.", *FILLER]),
        "\n".join(["- Xây dựng kế hoạch.", "Kế hoạch số 238/KH-"]),
        "\n".join(["- Tổ chức thực hiện."]),
    ]
    assert unwrap_pdf_pages(pages) == [
        " ".join(WRAPPED),
        "Kế hoạch số 238/KH-UBND ngày 13/9/2025 của thành phố.",
        "",
        " ".join(FILLER),
        "",
        "- Xây dựng kế hoạch.",
        "Kế hoạch số 238/KH-",
        "",
        "- Tổ chức thực hiện.",
    ]


@requires_pango
def test_pdf_long_paragraph_comes_back_as_one_line(tmp_path):
    long = (
        "Thiết lập chế độ báo cáo, sơ kết, tổng kết định kỳ, báo cáo Ban Thường vụ Đảng ủy, "
        "Ban Chỉ đạo thực hiện Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới "
        "sáng tạo và chuyển đổi số quốc gia thường kịp thời đối với các hoạt động quan trọng "
        "và tổng hợp, đánh giá kết quả thực hiện, phát hiện sớm những khó khăn, vướng mắc, "
        "kịp thời xử lý, tháo gỡ, can thiệp bằng các chính sách trong thẩm quyền để đưa ra "
        "các giải pháp hiệu quả, tháo gỡ các điểm nghẽn tạo chuyển biến, đạt được các mục "
        "tiêu, yêu cầu của kế hoạch đặt ra."
    )
    body = (
        "<h1>II. YÊU CẦU</h1>"
        "<ul><li>Bám sát các quan điểm của Nghị quyết.</li></ul>"
        "<p>Đoạn văn ngắn viết hoa.</p>"
        f"<p>{long}</p>"
    )
    path = write_html_pdf(
        html_document(
            body, number_box="bottom-center", number='"Trang " counter(page) "/" counter(pages)'
        ),
        tmp_path / "plan.pdf",
    )
    raw = pypdf.PdfReader(path).pages[0].extract_text().split("\n")
    assert len(raw) >= 8 and "Trang 1/1" in raw  # it wrapped, and it is numbered
    assert read_plan_lines(path) == [
        "II. YÊU CẦU",
        "• Bám sát các quan điểm của Nghị quyết.",
        "Đoạn văn ngắn viết hoa.",
        long,
    ]


def test_pdf_without_text_layer(tmp_path):
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as out:
        writer.write(out)
    assert "lớp văn bản" in _error(path)


def test_damaged_pdf(tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF-1.7\nthis is no PDF body\n")
    assert _error(path).startswith("not a readable PDF")


# ── formats and the text files' errors ──────────────────────────────────────


@pytest.mark.parametrize("name", ["plan.doc", "plan.odt", "plan.xlsx", "plan.rtf", "plan"])
def test_unsupported_format(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"III. MUC TIEU\n")
    problem = _error(path)
    assert "định dạng không hỗ trợ" in problem
    assert all(suffix in problem for suffix in SUPPORTED_SUFFIXES)


@pytest.mark.parametrize("name", ["plan.md", "plan.markdown", "plan.txt", "PLAN.MD"])
def test_text_formats_read_alike_and_nfc(tmp_path, name):
    path = tmp_path / name
    text = "2. Mục tiêu cụ thể\r\n\n- 100% hồ sơ số hóa.\n"
    path.write_bytes(unicodedata.normalize("NFD", text).encode("utf-8"))
    assert read_plan_lines(path) == ["2. Mục tiêu cụ thể", "", "- 100% hồ sơ số hóa.", ""]


def test_text_file_errors_still_hold(tmp_path, monkeypatch):
    assert _error(tmp_path / "nope.md") == "file not found"
    assert _error(tmp_path / "nope.docx") == "file not found"
    assert _error(tmp_path) == "is a folder, not a plan file"
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"  \n")
    assert _error(empty) == "the file is empty"
    latin = tmp_path / "latin.md"
    latin.write_bytes(b"2. M\xf4c ti\xeau c\xf5 th\xea\n")
    assert _error(latin) == "not UTF-8 text (invalid byte at offset 4); save it as UTF-8"
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"III. M\x00C TI\x00U\n")
    assert _error(binary) == "binary content, not a text (Markdown) file"
    renamed = tmp_path / "renamed.md"
    renamed.write_bytes(b"PK\x03\x04 a zip archive")
    assert "zip archive" in _error(renamed)
    locked = tmp_path / "locked.md"
    locked.write_text("III. MỤC TIÊU\n", encoding="utf-8")

    real_open = os.open

    def refuse(path, *args, **kwargs):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    # The plan is opened once, with os.open (never blocking): refuse that open.
    monkeypatch.setattr(os, "open", refuse)
    assert _error(locked) == "cannot be read (permission denied)"
