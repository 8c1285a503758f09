"""The collect stage under an adversarial review: no row lost, bounded cost, plausible values.

Each test builds its own workbooks (with openpyxl, or as raw XML when a file must declare
more than openpyxl would care to write) and states by hand what cleaning must yield.
"""

from __future__ import annotations

import math
import os
import threading
import zipfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from example import EXAMPLE, example_registry
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.worksheet.formula import ArrayFormula
from workbook_helpers import PERIOD, check_identity, observed, put, save

from nq57lib.collect import workbook as workbook_module
from nq57lib.collect.checks import Candidate, row_problems
from nq57lib.collect.frames import CleanResult
from nq57lib.collect.ingest import clean_period, read_period
from nq57lib.collect.numbers import ParsedNumber, parse_text_number
from nq57lib.core import config
from nq57lib.plan.registry import Registry

REGISTRY = example_registry()


def book(rows: dict[int, list], title: str = "Sheet") -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    put(ws, rows)
    return wb


def counts(result: CleanResult, source_file: str) -> tuple[int, int, int, int]:
    q = result.quality.set_index("source_file").loc[source_file]
    return int(q.rows_read), int(q.accepted), int(q.quarantined), int(q.blank)


# ── 1. silent row loss ──────────────────────────────────────────────────────


def test_a_tyle_row_with_a_number_under_the_header_is_data(tmp_path: Path) -> None:
    save(
        book(
            {
                1: ["Tên chỉ tiêu", "Kết quả"],
                2: ["Tỷ lệ người dân có tài khoản định danh điện tử (VNeID)", 79],
                3: ["Người dân có CKS", 7],
            }
        ),
        tmp_path,
        "cong-an.xlsx",
    )
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert observed(result) == [
        ("vneid_residents", "79", "B2"),
        ("digital_signature_residents", "7", "B3"),
    ]
    assert counts(result, f"{PERIOD}/cong-an.xlsx") == (2, 2, 0, 0)
    check_identity(result)


def test_a_tyle_name_left_blank_under_the_header_is_a_blank_row(tmp_path: Path) -> None:
    # A template's first pre-filled line, not reported on: a blank row, not a second heading.
    save(
        book(
            {
                1: ["Tên chỉ tiêu", "Kết quả"],
                2: ["Tỷ lệ người dân có chữ ký số", None],
                3: ["VNeID", 79],
            }
        ),
        tmp_path,
        "cong-an.xlsx",
    )
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert observed(result) == [("vneid_residents", "79", "B3")]
    assert counts(result, f"{PERIOD}/cong-an.xlsx") == (2, 1, 0, 1)
    check_identity(result)


def test_a_two_row_heading_is_still_read(tmp_path: Path) -> None:
    wb = book(
        {
            1: ["Nội dung chỉ tiêu", "Tỷ lệ (%)", None],
            2: [None, "Tử số", "Mẫu số"],
            3: ["Người dân có CKS", 30, 100],
        }
    )
    wb.active.merge_cells("B1:C1")
    save(wb, tmp_path, "cong-an.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert observed(result, "indicator_id", "value", "numerator", "denominator") == [
        ("digital_signature_residents", "30", "30", "100")
    ]
    assert counts(result, f"{PERIOD}/cong-an.xlsx") == (1, 1, 0, 0)


def test_a_so_luong_column_is_a_value_column(tmp_path: Path) -> None:
    wb = book({1: ["Tên chỉ tiêu", "Kết quả"], 2: ["Ký số học bạ số", 80]}, "Tỷ lệ")
    put(wb.create_sheet("Sáng kiến"), {1: ["Nội dung", "Số lượng"], 2: ["SK cấp cơ sở", 2]})
    save(wb, tmp_path, "van-hoa-xa-hoi.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert observed(result, "indicator_id", "value", "source_sheet", "source_cell") == [
        ("schools_digital_signing", "80", "Tỷ lệ", "B2"),
        ("st_initiatives_ward", "2", "Sáng kiến", "B2"),
    ]
    assert counts(result, f"{PERIOD}/van-hoa-xa-hoi.xlsx") == (2, 2, 0, 0)
    check_identity(result)


def test_rows_of_a_sheet_without_a_table_are_quarantined(tmp_path: Path) -> None:
    wb = book({1: ["Tên chỉ tiêu", "Kết quả"], 2: ["VNeID", 79]})
    put(
        wb.create_sheet("Tổng hợp"),
        {1: ["Bảng tổng hợp thiết bị"], 2: ["Hạng mục", "Đơn giá"], 3: ["Máy tính", 12], 5: [7]},
    )
    put(wb.create_sheet("Hướng dẫn"), {1: ["Nhập số liệu vào trang đầu."], 2: ["Xin cảm ơn."]})
    wb.create_sheet("Trống")
    save(wb, tmp_path, "cong-an.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert observed(result) == [("vneid_residents", "79", "B2")]
    q = result.quarantine
    assert list(zip(q["source_sheet"], q["source_row"], strict=True)) == [
        ("Tổng hợp", 1),
        ("Tổng hợp", 2),
        ("Tổng hợp", 3),
        ("Tổng hợp", 5),
    ]
    for row, reason in zip(q["source_row"], q["reason"], strict=True):
        assert reason.startswith(f"Trang “Tổng hợp”, dòng {row}: ")
        assert "không có bảng chỉ tiêu hay nhiệm vụ nhận ra được" in reason
    assert list(q["raw"]) == ["Bảng tổng hợp thiết bị", "Hạng mục | Đơn giá", "Máy tính | 12", "7"]
    assert counts(result, f"{PERIOD}/cong-an.xlsx") == (5, 1, 4, 0)
    quality = result.quality.iloc[0]
    assert quality.file_status == "ok"
    assert "Trang “Tổng hợp” không có bảng chỉ tiêu hay nhiệm vụ nhận ra được" in quality.message
    assert "4 dòng" in quality.message
    check_identity(result)


def test_uncached_formulas_quarantine_their_row(tmp_path: Path) -> None:
    """openpyxl saves formulas without results: just like a file no spreadsheet has saved."""
    wb = book(
        {
            1: ["Tên chỉ tiêu", "Kết quả"],
            2: ["VNeID", 79],
            3: ['="Người dân có CKS"', "=3+4"],  # every cell a formula: nothing else in the row
            4: ["Hồ sơ trực tuyến", None],
            5: ["=A2", 12],  # the name is a formula
        }
    )
    wb.active["B4"] = ArrayFormula("B4", "=SUM(C4:D4)")
    save(wb, tmp_path, "mot-cua.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert observed(result) == [("vneid_residents", "79", "B2")]
    got = dict(zip(result.quarantine["source_row"], result.quarantine["reason"], strict=True))
    assert sorted(got) == [3, 4, 5]
    hint = "nhưng tệp không lưu giá trị đã tính (tệp không được lưu bằng Excel); mở tệp bằng Excel"
    assert f'ô A3 chứa công thức “="Người dân có CKS"” {hint}' in got[3]
    assert f"ô B3 chứa công thức “=3+4” {hint}" in got[3]
    assert f"ô B4 chứa công thức “=SUM(C4:D4)” {hint}" in got[4]
    assert f"ô A5 chứa công thức “=A2” {hint}" in got[5]
    assert counts(result, f"{PERIOD}/mot-cua.xlsx") == (4, 1, 3, 0)
    check_identity(result)


def test_an_uncached_formula_in_a_task_row_quarantines_it(tmp_path: Path) -> None:
    wb = book(
        {
            1: ["PHÒNG KINH TẾ, HẠ TẦNG VÀ ĐÔ THỊ"],
            3: ["Mã NV", "Nội dung nhiệm vụ", "Tiến độ"],
            4: ["3.2", None, '=IF(1,"Hoàn thành","")'],
        },
        "Nhiệm vụ",
    )
    save(wb, tmp_path, "kinh-te.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    q = result.quarantine[result.quarantine["source_file"] == f"{PERIOD}/kinh-te.xlsx"]
    assert list(q["source_row"]) == [4]
    assert 'ô C4 chứa công thức “=IF(1,"Hoàn thành","")”' in q["reason"].iloc[0]
    assert counts(result, f"{PERIOD}/kinh-te.xlsx") == (1, 0, 1, 0)


def _read_within(seconds: float, *args, **kwargs) -> CleanResult:
    """read_period in a daemon thread: a FIFO or a device opened by mistake would block."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["result"] = read_period(*args, **kwargs)
        except BaseException as error:  # handed back to the test thread
            box["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "read_period blocked (did it open a FIFO or a device?)"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]  # type: ignore[return-value]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symlinks (POSIX)")
def test_entries_that_are_not_regular_files_are_listed_never_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    folder = raw / PERIOD
    save(book({1: ["Chỉ tiêu", "Kết quả"], 2: ["VNeID", 79]}), raw, "cong-an.xlsx")
    # A link to a file elsewhere in the raw folder is read.
    save(
        book({1: ["Chỉ tiêu", "Kết quả"], 2: ["Hồ sơ trực tuyến", 89]}), raw, "goc.xlsx", "2026-Q2"
    )
    (folder / "mot-cua.xlsx").symlink_to(raw / "2026-Q2" / "goc.xlsx")
    outside = tmp_path / "ngoai"
    outside.mkdir()
    save(book({1: ["Chỉ tiêu", "Kết quả"], 2: ["SK cấp cơ sở", 3]}), tmp_path, "b.xlsx", "ngoai")
    os.mkfifo(folder / "ong.xlsx")
    (folder / "khong.xlsx").symlink_to("/dev/zero")
    (folder / "mat.xlsx").symlink_to(folder / "khong-con.xlsx")
    (folder / "thu-muc.xlsx").mkdir()
    (folder / "ngoai.xlsx").symlink_to(outside / "b.xlsx")
    (folder / "thu-muc-ngoai").symlink_to(outside, target_is_directory=True)
    (folder / "khoa").mkdir()
    save(book({1: ["Chỉ tiêu", "Kết quả"], 2: ["VNeID", 1]}), raw, "k.xlsx", f"{PERIOD}/khoa")
    save(book({1: ["Chỉ tiêu", "Kết quả"], 2: ["VNeID", 2]}), raw, "cam.xlsx")
    real_open, real_scandir = os.open, os.scandir
    locked_file, locked_dir = folder / "cam.xlsx", folder / "khoa"

    def same(path, target: Path) -> bool:
        named = isinstance(path, str | bytes | os.PathLike)
        return named and os.path.realpath(os.fsdecode(path)) == os.path.realpath(target)

    def no_open(path, *args, **kwargs):
        if same(path, locked_file):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, *args, **kwargs)

    def no_listing(path="."):
        if same(path, locked_dir):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "open", no_open)
    monkeypatch.setattr(os, "scandir", no_listing)
    result = _read_within(30, EXAMPLE.with_paths(raw_dir=raw), PERIOD)
    assert observed(result, "indicator_id", "value", "source_file") == [
        ("vneid_residents", "79", f"{PERIOD}/cong-an.xlsx"),
        ("dossiers_online", "89", f"{PERIOD}/mot-cua.xlsx"),
    ]
    quality = result.quality.set_index("source_file")
    expected = {
        "cam.xlsx": "không đọc được tệp (Permission denied)",
        "khoa": "không đọc được thư mục (Permission denied)",
        "khong.xlsx": "liên kết trỏ ra ngoài thư mục số liệu",
        "mat.xlsx": "liên kết hỏng",
        "ngoai.xlsx": "liên kết trỏ ra ngoài thư mục số liệu",
        "ong.xlsx": "không phải tệp thông thường (ống dẫn FIFO)",
        "thu-muc-ngoai": "liên kết trỏ ra ngoài thư mục số liệu",
        "thu-muc.xlsx": "là một thư mục, không phải tệp",
    }
    assert sorted(quality.index) == sorted(
        f"{PERIOD}/{name}" for name in [*expected, "cong-an.xlsx", "mot-cua.xlsx"]
    )
    summary = result.summary_text()
    for name, message in expected.items():
        row = quality.loc[f"{PERIOD}/{name}"]
        assert row.file_status == "rejected", name
        assert message in row.message, (name, row.message)
        assert f"{PERIOD}/{name}: " in summary and message in summary
    assert int(quality.loc[f"{PERIOD}/cong-an.xlsx"].accepted) == 1
    check_identity(result)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_register_linked_from_outside_the_raw_folder_is_refused(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / PERIOD).mkdir(parents=True)
    (raw / "phan-cong").mkdir()
    wb = book({1: ["Mã nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"], 2: ["3.2", "Công an", "Năm 2026"]})
    wb.save(tmp_path / "phan-cong.xlsx")
    (raw / "phan-cong" / "phan-cong.xlsx").symlink_to(tmp_path / "phan-cong.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=raw), PERIOD)
    assert result.assignments.empty
    row = result.quality.set_index("source_file").loc["phan-cong/phan-cong.xlsx"]
    assert row.file_status == "rejected"
    assert "liên kết trỏ ra ngoài thư mục số liệu" in row.message


# ── 2. cost bounded by the input ────────────────────────────────────────────


def test_a_thousand_conflicting_copies_give_short_messages(tmp_path: Path) -> None:
    rows = {1: ["Tên chỉ tiêu", "Kết quả"]}
    rows.update({n: ["SK cấp cơ sở", n] for n in range(2, 1002)})
    save(book(rows), tmp_path, "van-hoa-xa-hoi.xlsx")
    result = clean_period(
        EXAMPLE.with_paths(raw_dir=tmp_path, processed_dir=tmp_path / "out"), PERIOD
    )
    assert result.observations.empty
    q = result.quarantine
    assert len(q) == 1000
    assert q["reason"].str.len().max() < 700
    first = q["reason"].iloc[0]
    assert first.startswith("Trang “Sheet”, dòng 2, ô B2: mâu thuẫn: chỉ tiêu st_initiatives_ward")
    assert "được báo cáo 1000 lần với giá trị khác nhau" in first
    assert "; … (tổng cộng 1000 bản)" in first
    assert first.count("2026-Q3/van-hoa-xa-hoi.xlsx") == 3  # three copies named, no more
    assert (tmp_path / "out" / PERIOD / "quarantine.csv").stat().st_size < 1_000_000
    assert counts(result, f"{PERIOD}/van-hoa-xa-hoi.xlsx") == (1000, 0, 1000, 0)


def test_a_thousand_identical_copies_name_the_one_kept(tmp_path: Path) -> None:
    rows = {1: ["Tên chỉ tiêu", "Kết quả"]}
    rows.update({n: ["SK cấp cơ sở", 4] for n in range(2, 1002)})
    save(book(rows), tmp_path, "van-hoa-xa-hoi.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert observed(result) == [("st_initiatives_ward", "4", "B2")]
    assert len(result.quarantine) == 999
    assert result.quarantine["reason"].str.len().max() < 400


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _cell_xml(ref: str, value: object) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def sheet_xml(rows: dict[int, dict[str, object]], dimension: str = "", after: str = "") -> str:
    """A worksheet part written by hand: {row: {column letter: value}}; ``after`` is XML
    placed after the cells (merged ranges, hyperlinks)."""
    body = "".join(
        f'<row r="{r}">' + "".join(_cell_xml(f"{c}{r}", v) for c, v in cells.items()) + "</row>"
        for r, cells in sorted(rows.items())
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{MAIN}">{dim}<sheetData>{body}</sheetData>{after}</worksheet>'
    )


def with_sheet_xml(path: Path, xml: str, part: str = "xl/worksheets/sheet1.xml") -> None:
    """Replace one worksheet part of a saved workbook."""
    edit_parts(path, lambda parts: parts.update({part: xml.encode()}))


def edit_parts(path: Path, edit) -> None:
    """Rewrite a saved workbook's archive after ``edit`` changed its {name: bytes}."""
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    edit(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.fixture()
def no_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a refused workbook reaches openpyxl."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("openpyxl was asked to load a workbook the caps should refuse")

    monkeypatch.setattr(workbook_module, "load_workbook", refuse)


def _rejected(result: CleanResult, name: str) -> str:
    row = result.quality.set_index("source_file").loc[f"{PERIOD}/{name}"]
    assert row.file_status == "rejected"
    assert (row.rows_read, row.accepted, row.quarantined, row.blank) == (0, 0, 0, 0)
    return row.message


def test_a_million_row_sheet_is_refused_before_openpyxl(tmp_path: Path, no_openpyxl) -> None:
    path = save(book({1: ["Chỉ tiêu"]}), tmp_path, "cong-an.xlsx")
    rows = {1: {"A": "Chỉ tiêu", "B": "Kết quả"}, 2: {"A": "VNeID", "B": 79}, 1_000_000: {"A": 1}}
    with_sheet_xml(path, sheet_xml(rows, "A1:B1000000"))
    assert path.stat().st_size < 10_000  # small in bytes, a million rows declared and held
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    message = _rejected(result, "cong-an.xlsx")
    limit = f"{config.MAX_SHEET_ROWS:,}".replace(",", ".")
    assert f"trang “Sheet” có dữ liệu ở dòng 1.000.000, vượt giới hạn {limit} dòng" in message
    assert result.observations.empty


@pytest.mark.parametrize(
    ("after", "what"),
    [
        ('<mergeCells count="1"><mergeCell ref="C1:C1000000"/></mergeCells>', "ô gộp"),
        ('<hyperlinks><hyperlink ref="C1:D1000000" location="Sheet!A1"/></hyperlinks>', "liên kết"),
        ('<mergeCells count="1"><mergeCell ref="C1:XFD100"/></mergeCells>', "ô"),
    ],
)
def test_merged_ranges_and_hyperlinks_count_the_cells_openpyxl_makes(
    tmp_path: Path, no_openpyxl, after: str, what: str
) -> None:
    """openpyxl creates a cell for every position of a merged range or a hyperlink range."""
    path = save(book({1: ["Chỉ tiêu"]}), tmp_path, "cong-an.xlsx")
    rows = {1: {"A": "Chỉ tiêu", "B": "Kết quả"}, 2: {"A": "VNeID", "B": 79}}
    with_sheet_xml(path, sheet_xml(rows, after=after))
    message = _rejected(read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD), "cong-an.xlsx")
    assert "vượt giới hạn" in message and what in message


def test_a_comment_far_below_counts_as_a_cell(tmp_path: Path, no_openpyxl) -> None:
    """openpyxl makes the cell a comment is attached to, wherever its reference points."""
    wb = book({1: ["Chỉ tiêu", "Kết quả"], 2: ["VNeID", 79]})
    wb.active["A1"].comment = Comment("Ghi chú", "Đơn vị")
    path = save(wb, tmp_path, "cong-an.xlsx")

    def move(parts: dict) -> None:
        name = next(n for n in parts if n.startswith("xl/comments/"))
        parts[name] = parts[name].replace(b'ref="A1"', b'ref="A1000000"')

    edit_parts(path, move)
    message = _rejected(read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD), "cong-an.xlsx")
    assert "ghi chú (comment) ở dòng 1.000.000, vượt giới hạn" in message


def test_a_sheet_stored_under_a_picture_name_is_still_measured(tmp_path: Path, no_openpyxl) -> None:
    """openpyxl finds a sheet through the workbook's relationships, whatever its name."""
    path = save(book({1: ["Chỉ tiêu"]}), tmp_path, "cong-an.xlsx")
    rows = {1: {"A": "Chỉ tiêu", "B": "Kết quả"}, 2: {"A": "VNeID", "B": 79}, 1_000_000: {"A": 1}}

    def disguise(parts: dict) -> None:
        parts["xl/media/image1.png"] = sheet_xml(rows).encode()
        del parts["xl/worksheets/sheet1.xml"]
        rels = "xl/_rels/workbook.xml.rels"
        parts[rels] = parts[rels].replace(b"/xl/worksheets/sheet1.xml", b"/xl/media/image1.png")

    edit_parts(path, disguise)
    message = _rejected(read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD), "cong-an.xlsx")
    assert "có dữ liệu ở dòng 1.000.000, vượt giới hạn" in message


def test_rows_per_sheet_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_openpyxl) -> None:
    monkeypatch.setattr(config, "MAX_SHEET_ROWS", 20)
    rows = {1: ["Chỉ tiêu", "Kết quả"]}
    rows.update({n: ["VNeID", 79] for n in range(2, 31)})
    save(book(rows, "Số liệu"), tmp_path, "cong-an.xlsx")
    message = _rejected(read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD), "cong-an.xlsx")
    assert "trang “Số liệu” có dữ liệu ở dòng 21, vượt giới hạn 20 dòng" in message
    assert "Xóa các dòng thừa" in message


def test_cells_per_workbook_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_openpyxl
) -> None:
    monkeypatch.setattr(config, "MAX_WORKBOOK_CELLS", 100)
    wb = book({1: ["Chỉ tiêu", "Kết quả"], 2: ["VNeID", 79]})
    put(wb.create_sheet("Phụ"), {r: list(range(10)) for r in range(1, 11)})  # 100 cells
    save(wb, tmp_path, "cong-an.xlsx")
    message = _rejected(read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD), "cong-an.xlsx")
    assert "sổ làm việc có ít nhất 104 ô, vượt giới hạn 100 ô" in message


def test_a_far_cell_counts_the_rows_and_columns_it_spans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_openpyxl
) -> None:
    """Two cells, but the reader walks every row up to the last one, 60 columns wide."""
    monkeypatch.setattr(config, "MAX_WORKBOOK_CELLS", 1000)
    path = save(book({1: ["Chỉ tiêu"]}), tmp_path, "cong-an.xlsx")
    with_sheet_xml(path, sheet_xml({1: {"A": "Chỉ tiêu"}, 100: {"ZZ": 1}}))
    message = _rejected(read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD), "cong-an.xlsx")
    assert "sổ làm việc có ít nhất 6.000 ô, vượt giới hạn 1.000 ô" in message


def test_unpacked_xml_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_openpyxl) -> None:
    monkeypatch.setattr(config, "MAX_UNPACKED_XML_BYTES", 20_000)
    wb = book({1: ["Chỉ tiêu", "Kết quả"], 2: ["VNeID", 79], 3: ["x" * 30_000]})
    save(wb, tmp_path, "cong-an.xlsx")
    message = _rejected(read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD), "cong-an.xlsx")
    assert "phần XML của tệp giải nén ra" in message
    assert "vượt giới hạn 0 MB" not in message


def test_sheets_per_workbook_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_openpyxl
) -> None:
    monkeypatch.setattr(config, "MAX_WORKBOOK_SHEETS", 2)
    wb = book({1: ["Chỉ tiêu", "Kết quả"], 2: ["VNeID", 79]})
    wb.create_sheet("Hai")
    wb.create_sheet("Ba")
    save(wb, tmp_path, "cong-an.xlsx")
    message = _rejected(read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD), "cong-an.xlsx")
    assert "sổ làm việc có 3 trang, vượt giới hạn 2 trang" in message


def test_a_workbook_within_the_caps_is_read(tmp_path: Path) -> None:
    path = save(book({1: ["Chỉ tiêu"]}), tmp_path, "cong-an.xlsx")
    rows = {1: {"A": "Chỉ tiêu", "B": "Kết quả"}, 2: {"A": "VNeID", "B": 79}}
    with_sheet_xml(path, sheet_xml(rows, "A1:B1000000"))  # a dimension that overstates
    assert observed(read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)) == [
        ("vneid_residents", "79", "B2")
    ]


def test_long_cell_text_is_shortened_in_the_quarantine(tmp_path: Path) -> None:
    long_name = "Chỉ tiêu lạ " * 2500
    save(book({1: ["Tên chỉ tiêu", "Kết quả"], 2: [long_name, 5]}), tmp_path, "cong-an.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert len(result.quarantine) == 1
    assert len(result.quarantine["reason"].iloc[0]) < 1500
    assert len(result.quarantine["raw"].iloc[0]) < 1100


# ── 3. plausibility of the values ───────────────────────────────────────────


def _registry_with_max(indicator_id: str, maximum: float) -> Registry:
    return Registry(
        REGISTRY.path,
        tuple(replace(i, maximum=maximum) if i.id == indicator_id else i for i in REGISTRY),
    )


def test_values_outside_the_indicators_bounds_are_quarantined(tmp_path: Path) -> None:
    save(
        book(
            {
                1: ["Mã chỉ tiêu", "Giá trị"],
                2: ["st_initiatives_ward", 1e308],
                3: ["st_initiatives_city", "1.000.000.000.000"],
                4: ["student_national_prizes", 10_000_000],  # the top of the count range
                5: ["city_hdi", 2_000_000],
                6: ["vneid_residents", 100],
                7: ["public_sector_initiatives", "1" + "0" * 400],  # text too long for a float
            }
        ),
        tmp_path,
        "van-hoa-xa-hoi.xlsx",
    )
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert observed(result) == [
        ("student_national_prizes", "10000000", "B4"),
        ("vneid_residents", "100", "B6"),
    ]
    got = dict(zip(result.quarantine["source_row"], result.quarantine["reason"], strict=True))
    assert sorted(got) == [2, 3, 5, 7]
    assert (
        "số lượng 1e+308 lớn hơn mức hợp lý 10.000.000 của chỉ tiêu st_initiatives_ward" in got[2]
    )
    assert (
        "số lượng 1.000.000.000.000 lớn hơn mức hợp lý 10.000.000 của chỉ tiêu "
        "st_initiatives_city" in got[3]
    )
    assert "chỉ số 2.000.000 lớn hơn mức hợp lý 1.000.000 của chỉ tiêu city_hdi" in got[5]
    assert "quá lớn, không phải một số hợp lệ" in got[7]
    assert all(len(reason) < 600 for reason in got.values())
    check_identity(result)


def test_a_registry_max_lowers_the_ceiling(tmp_path: Path) -> None:
    registry = _registry_with_max("st_initiatives_ward", 50)
    save(
        book({1: ["Mã chỉ tiêu", "Giá trị"], 2: ["st_initiatives_ward", 51]}),
        tmp_path,
        "van-hoa-xa-hoi.xlsx",
    )
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD, registry=registry)
    assert result.observations.empty
    assert (
        "số lượng 51 lớn hơn mức hợp lý 50 của chỉ tiêu st_initiatives_ward"
        in (result.quarantine["reason"].iloc[0])
    )
    save(
        book({1: ["Mã chỉ tiêu", "Giá trị"], 2: ["st_initiatives_ward", 50]}),
        tmp_path,
        "van-hoa-xa-hoi.xlsx",
    )
    assert observed(
        read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD, registry=registry)
    ) == [("st_initiatives_ward", "50", "B2")]


def test_a_percent_ceiling_from_the_registry(tmp_path: Path) -> None:
    registry = _registry_with_max("vneid_residents", 95)
    save(book({1: ["Chỉ tiêu", "Kết quả"], 2: ["VNeID", 96]}), tmp_path, "cong-an.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD, registry=registry)
    assert "tỷ lệ 96% nằm ngoài khoảng 0–95%" in result.quarantine["reason"].iloc[0]


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
@pytest.mark.parametrize(
    "indicator_id", ["st_initiatives_ward", "vneid_residents", "city_hdi", "expert_cluster"]
)
def test_non_finite_values_never_pass(indicator_id: str, bad: float) -> None:
    for field in ("value", "numerator", "denominator"):
        candidate = Candidate(REGISTRY[indicator_id], **{"value": 5.0, field: bad})
        if REGISTRY[indicator_id].qualitative:
            candidate.status = "done"
        problems = row_problems(candidate)
        assert any("không phải là số hữu hạn" in p for p in problems), (field, problems)


def test_an_infinite_cached_value_is_quarantined(tmp_path: Path) -> None:
    path = save(book({1: ["Chỉ tiêu"]}), tmp_path, "cong-an.xlsx")
    rows = {1: {"A": "Chỉ tiêu", "B": "Kết quả"}, 2: {"A": "VNeID", "B": "1E999"}}
    xml = sheet_xml(rows).replace(
        '<c r="B2" t="inlineStr"><is><t>1E999</t></is></c>', '<c r="B2"><v>1E999</v></c>'
    )
    with_sheet_xml(path, xml)
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert result.observations.empty
    assert "không hữu hạn" in result.quarantine["reason"].iloc[0]


@pytest.mark.parametrize(
    ("text", "value", "percent"),
    [
        ("٧٠", 70.0, False),
        ("٧٠٫٥", 70.5, False),
        ("７０％", 70.0, True),
        ("１.２３４", 1234.0, False),
        ("۸۵", 85.0, False),  # Persian digits
    ],
)
def test_non_ascii_digits_are_read_and_say_so(text: str, value: float, percent: bool) -> None:
    parsed = parse_text_number(text)
    assert (parsed.value, parsed.percent) == (value, percent)
    assert parsed.written == text
    assert parse_text_number("70") == ParsedNumber(70.0)  # ASCII: nothing to say
    assert parse_text_number("70").written == ""


def test_non_ascii_digits_leave_a_note_on_the_observation(tmp_path: Path) -> None:
    save(
        book(
            {
                1: ["Chỉ tiêu", "Kết quả", "Tử số", "Mẫu số"],
                2: ["VNeID", "٧٠"],
                3: ["Người dân có CKS", "７％"],
                4: ["Hồ sơ trực tuyến", None, "٥", "١٠"],
            }
        ),
        tmp_path,
        "cong-an.xlsx",
    )
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert observed(result, "indicator_id", "value", "note") == [
        ("vneid_residents", "70", "[nq57] ô B2 ghi “٧٠” bằng ký tự số không chuẩn, đã đọc là 70"),
        (
            "digital_signature_residents",
            "7",
            "[nq57] ô B3 ghi “７％” bằng ký tự số không chuẩn, đã đọc là 7%",
        ),
        (
            "dossiers_online",
            "50",
            "[nq57] ô C4 ghi “٥” bằng ký tự số không chuẩn, đã đọc là 5 · "
            "[nq57] ô D4 ghi “١٠” bằng ký tự số không chuẩn, đã đọc là 10 · "
            "[nq57] tính từ tử số/mẫu số 5/10",
        ),
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_period_folder_linked_from_outside_is_refused(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    save(book({1: ["Chỉ tiêu", "Kết quả"], 2: ["VNeID", 79]}), tmp_path, "cong-an.xlsx", "ngoai")
    (raw / PERIOD).symlink_to(tmp_path / "ngoai", target_is_directory=True)
    result = read_period(EXAMPLE.with_paths(raw_dir=raw), PERIOD)
    assert result.observations.empty
    row = result.quality.set_index("source_file").loc[PERIOD]
    assert row.file_status == "rejected"
    assert "liên kết trỏ ra ngoài thư mục số liệu" in row.message
    assert f"{PERIOD}: " in result.summary_text()


# ── issue #24: odd layouts that lost or misread rows ───────────────────────────


def by_row(result: CleanResult, source_file: str) -> dict[int, str]:
    q = result.quarantine[result.quarantine["source_file"] == source_file]
    return dict(zip(q["source_row"], q["reason"], strict=True))


def message(result: CleanResult, source_file: str) -> str:
    return str(result.quality.set_index("source_file").loc[source_file, "message"])


# ── 1. a date or signature word inside a table row does not end the table ──────


def test_a_dated_result_in_a_task_row_does_not_end_the_table(tmp_path: Path) -> None:
    header = [
        "STT",
        "Mã NV",
        "Nội dung nhiệm vụ",
        "Tiến độ",
        "Ngày hoàn thành",
        "Kết quả thực hiện",
    ]
    save(
        book(
            {
                1: ["PHÒNG KINH TẾ, HẠ TẦNG VÀ ĐÔ THỊ"],
                2: ["Kỳ báo cáo: Quý III/2026"],
                4: header,
                # No STT numbers: a row with a number was never taken for a signature.
                5: [None, "3.7", None, "Đang thực hiện"],
                6: [
                    None,
                    "3.8",
                    None,
                    "Hoàn thành",
                    datetime(2026, 9, 15),
                    "Đã ban hành ngày 15 tháng 9 năm 2026",
                ],
                7: [None, "3.9", None, "Đang thực hiện"],
                8: [None, "3.10", None, "Tạm dừng", None, "Xác nhận của Chủ tịch UBND phường"],
                10: [None, None, None, "Hồng Bàng, ngày 05 tháng 10 năm 2026"],
                11: [None, "Người lập biểu", None, "TRƯỞNG PHÒNG"],
                12: [None, "(Ký, ghi rõ họ tên)", None, "(Ký, ghi rõ họ tên)"],
            },
            "Nhiệm vụ",
        ),
        tmp_path,
        "kinh-te.xlsx",
    )
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    reports = result.task_reports
    assert list(zip(reports["task_id"], reports["state"], reports["source_cell"], strict=True)) == [
        ("3.7", "in_progress", "D5"),
        ("3.8", "done", "D6"),
        ("3.9", "in_progress", "D7"),
    ]
    assert reports.set_index("task_id").loc["3.8", "result"] == (
        "Đã ban hành ngày 15 tháng 9 năm 2026"
    )
    # 3.10 is read too, and quarantined for its state; the signature below is no row.
    reasons = by_row(result, f"{PERIOD}/kinh-te.xlsx")
    assert sorted(reasons) == [8]
    assert "tình trạng “Tạm dừng” không hợp lệ" in reasons[8]
    # Row 9, the gap above the signature, is a blank row.
    assert counts(result, f"{PERIOD}/kinh-te.xlsx") == (5, 3, 1, 1)
    check_identity(result)


def test_a_signature_like_note_in_a_figure_row_does_not_end_the_table(tmp_path: Path) -> None:
    save(
        book(
            {
                1: ["PHÒNG VĂN HÓA - XÃ HỘI"],
                3: ["Nội dung", "Kết quả", "Ghi chú"],
                4: ["SK cấp cơ sở", 2],
                5: ["Cụm chuyên gia", None, "Hoàn thành ngày 15 tháng 9 năm 2026"],
                6: ["Ký số học bạ số", 80],
                7: ["Dịch vụ xã hội chuẩn tiên tiến", None, "Xác nhận của Chủ tịch UBND phường"],
                8: ["Số sáng kiến trong khu vực công được công nhận", 4],
                9: ["SK cấp thành phố", 1],
                11: [None, "Hồng Bàng, ngày 05 tháng 10 năm 2026"],
                12: ["NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ"],
                13: ["(Ký, ghi rõ họ tên)", "(Ký, ghi rõ họ tên)"],
            }
        ),
        tmp_path,
        "van-hoa-xa-hoi.xlsx",
    )
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert observed(result) == [
        ("st_initiatives_ward", "2", "B4"),
        ("schools_digital_signing", "80", "B6"),
        ("public_sector_initiatives", "4", "B8"),
        ("st_initiatives_city", "1", "B9"),
    ]
    # The two rows with a note and no figure are blank rows whose note is kept as a remark.
    remarks = result.remarks
    assert list(zip(remarks["indicator_id"], remarks["source_cell"], strict=True)) == [
        ("expert_cluster", "C5"),
        ("advanced_social_services", "C7"),
    ]
    assert counts(result, f"{PERIOD}/van-hoa-xa-hoi.xlsx") == (7, 4, 0, 3)
    check_identity(result)


# ── 2. a merged header over period sub-columns ──────────────────────────────────


def test_a_merged_result_header_over_quarters_reads_the_report_quarter(tmp_path: Path) -> None:
    wb = book(
        {
            1: ["PHÒNG KINH TẾ, HẠ TẦNG VÀ ĐÔ THỊ"],
            3: ["Mã chỉ tiêu", "Tên chỉ tiêu", "Kết quả thực hiện", None, "Ghi chú"],
            4: [None, None, "Quý II/2026", "Quý III/2026"],
            5: ["coverage_5g", None, 84, 88],
            6: ["coverage_5g_hotspots", None, 95, 100, "đạt"],
            7: ["cloud_information_systems", None, 40, None],  # only last quarter's figure
            8: ["data_on_lgsp", None, None, None],
        }
    )
    wb.active.merge_cells("C3:D3")
    other = wb.create_sheet("Quý trước")
    put(
        other,
        {
            1: ["Mã chỉ tiêu", "Kết quả thực hiện", None],
            2: [None, "Quý I/2026", "Quý II/2026"],
            3: ["coverage_5g", 80, 84],
        },
    )
    other.merge_cells("B1:C1")
    save(wb, tmp_path, "kinh-te.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    # Quý III is read from column D; Quý II's figures are never taken for Quý III.
    assert observed(result, "indicator_id", "value", "source_sheet", "source_cell", "note") == [
        ("coverage_5g", "88", "Sheet", "D5", ""),
        ("coverage_5g_hotspots", "100", "Sheet", "D6", "đạt"),
    ]
    q = result.quarantine
    assert list(zip(q["source_sheet"], q["source_row"], strict=True)) == [
        ("Sheet", 7),
        ("Quý trước", 3),
    ]
    reason = q["reason"].iloc[0]
    assert reason.startswith("Trang “Sheet”, dòng 7, ô C7: ")
    assert (
        "ô C7 ghi “40” ở cột “Kết quả thực hiện Quý II/2026”, số liệu của Quý II năm 2026, "
        "không phải của kỳ đang xử lý (Quý III năm 2026)" in reason
    )
    # A sheet with no column for this quarter: every figure is set aside, none misread.
    assert "ô B3 ghi “80” ở cột “Kết quả thực hiện Quý I/2026”" in q["reason"].iloc[1]
    assert "ô C3 ghi “84” ở cột “Kết quả thực hiện Quý II/2026”" in q["reason"].iloc[1]
    assert counts(result, f"{PERIOD}/kinh-te.xlsx") == (5, 2, 2, 1)
    check_identity(result)


# ── 3. a figure outside the value column is never a blank row ───────────────────


def test_a_figure_in_a_plan_column_or_a_column_without_heading_is_quarantined(
    tmp_path: Path,
) -> None:
    save(
        book(
            {
                1: ["CÔNG AN PHƯỜNG HỒNG BÀNG"],
                3: ["STT", "Tên chỉ tiêu", "Kế hoạch", "Giá trị", None, "Ghi chú"],
                4: [1, "VNeID", 80, 79, None, "mức 2"],
                5: [2, "Người dân có CKS", 10, None],
                6: [3, "Hồ sơ trực tuyến", None, None, "89"],
                # The plan's figure beside a reason for the empty value: a blank row, a remark.
                7: [4, "Giao dịch phi tiếp xúc", 90, None, None, "chưa tổng hợp"],
            }
        ),
        tmp_path,
        "cong-an.xlsx",
    )
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert observed(result) == [("vneid_residents", "79", "D4")]
    got = by_row(result, f"{PERIOD}/cong-an.xlsx")
    assert sorted(got) == [5, 6]
    assert got[5].startswith("Trang “Sheet”, dòng 5, ô C5: ")
    assert (
        "ô C5 ghi “10” ở cột “Kế hoạch” nhưng cột “Giá trị” để trống; số ở cột này không được "
        "đọc thay cho giá trị" in got[5]
    )
    assert "ô E6 ghi “89” ở cột không có tiêu đề; không rõ là số liệu gì nên không đọc" in got[6]
    # The STT numbers are no figures; row 7 is blank and its note kept.
    assert counts(result, f"{PERIOD}/cong-an.xlsx") == (4, 1, 2, 1)
    assert list(result.remarks["indicator_id"]) == ["contactless_transactions"]
    check_identity(result)


# ── 4. "1,000" for a count ──────────────────────────────────────────────────────


def test_a_comma_before_three_digits_is_read_by_the_unit_and_noted(tmp_path: Path) -> None:
    save(
        book(
            {
                1: ["Chỉ tiêu", "Kết quả", "Tử số", "Mẫu số"],
                2: ["Số DN KH&CN kết nối", "1,000"],
                3: ["Số hóa hồ sơ TTHC", "85,500"],
                4: ["Hồ sơ TTHC xử lý trực tuyến", None, "1,691", "1,900"],
                5: ["SK cấp cơ sở", "3"],  # no comma: nothing to say
            }
        ),
        tmp_path,
        "mot-cua.xlsx",
    )
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    got = observed(result, "indicator_id", "value", "numerator", "denominator", "source_cell")
    assert got == [
        ("st_enterprises_connected", "1000", "", "", "B2"),  # a count: a thousands separator
        ("dossiers_digitised", "85.5", "", "", "B3"),  # a share: a decimal comma
        ("dossiers_online", "89", "1691", "1900", "C4"),  # numerator, denominator: counts
        ("st_initiatives_ward", "3", "", "", "B5"),
    ]
    notes = dict(zip(result.observations["indicator_id"], result.observations["note"], strict=True))
    assert notes["st_enterprises_connected"] == (
        "[nq57] ô B2 ghi “1,000”: dấu phẩy có thể là dấu thập phân hoặc dấu phân cách hàng "
        "nghìn; chỉ tiêu tính bằng số lượng nên đọc là 1.000"
    )
    assert notes["dossiers_digitised"] == (
        "[nq57] ô B3 ghi “85,500”: dấu phẩy có thể là dấu thập phân hoặc dấu phân cách hàng "
        "nghìn; chỉ tiêu không tính bằng số lượng nên dấu phẩy là dấu thập phân, đọc là 85,5"
    )
    assert "ô C4 ghi “1,691”" in notes["dossiers_online"]
    assert "ô D4 ghi “1,900”" in notes["dossiers_online"]
    assert notes["st_initiatives_ward"] == ""
    text = message(result, f"{PERIOD}/mot-cua.xlsx")
    assert "4 ô ghi số có dấu phẩy trước ba chữ số (như “1,000”)" in text
    assert "trang “Sheet” ô B2 “1,000” → 1.000; trang “Sheet” ô B3 “85,500” → 85,5;" in text
    assert "và 1 ô khác" in text
    check_identity(result)


# ── 5. hidden rows and columns ──────────────────────────────────────────────────


def test_hidden_rows_and_columns_are_read_with_a_note(tmp_path: Path) -> None:
    wb = book(
        {
            1: ["Chỉ tiêu", "Kết quả", "Ghi chú"],
            2: ["VNeID", 79],
            3: ["Người dân có CKS", 7, "ước tính"],
            4: ["Hồ sơ trực tuyến", "chưa có"],
        }
    )
    ws = wb.active
    ws.row_dimensions[3].hidden = True
    ws.row_dimensions[4].hidden = True
    ws.column_dimensions["C"].hidden = True
    save(wb, tmp_path, "cong-an.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert observed(result, "indicator_id", "value", "source_cell", "note") == [
        ("vneid_residents", "79", "B2", ""),
        (
            "digital_signature_residents",
            "7",
            "B3",
            "ước tính · [nq57] dòng 3 đang ẩn trong tệp, vẫn được đọc",
        ),
    ]
    assert list(result.quarantine["source_row"]) == [4]
    text = message(result, f"{PERIOD}/cong-an.xlsx")
    assert "2 dòng đang ẩn trong tệp vẫn được đọc (trang “Sheet” dòng 3; trang “Sheet” dòng 4)" in (
        text
    )
    assert "1 cột đang ẩn trong tệp vẫn được đọc (trang “Sheet” cột C)" in text
    assert counts(result, f"{PERIOD}/cong-an.xlsx") == (3, 2, 1, 0)
    check_identity(result)


# ── 8. a workbook of 199 sheets: a bounded message ──────────────────────────────


def test_a_workbook_of_199_sheets_without_tables_gets_a_short_message(tmp_path: Path) -> None:
    wb = book({1: ["Tên chỉ tiêu", "Kết quả"], 2: ["VNeID", 79]})
    for n in range(198):
        put(wb.create_sheet(f"Bảng phụ số {n:03d} của đơn vị"), {1: [f"Ghi chép {n}"]})
    save(wb, tmp_path, "cong-an.xlsx")
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert observed(result) == [("vneid_residents", "79", "B2")]
    assert len(result.quarantine) == 198
    text = message(result, f"{PERIOD}/cong-an.xlsx")
    assert len(text) < 600
    assert text.startswith(
        "198 trang không có bảng chỉ tiêu hay nhiệm vụ nhận ra được (“Bảng phụ số 000 của đơn "
        "vị”, “Bảng phụ số 001 của đơn vị”, “Bảng phụ số 002 của đơn vị” và 195 trang khác)"
    )
    assert "198 dòng của các trang này đã đưa vào danh sách cách ly" in text
    assert counts(result, f"{PERIOD}/cong-an.xlsx") == (199, 1, 198, 0)
    check_identity(result)


# ── 8. deadlines and completion dates before the plan ───────────────────────────


def test_deadlines_and_completion_dates_before_the_plan_are_quarantined(tmp_path: Path) -> None:
    # The shipped plan (106/KH-UBND) is dated 03/10/2025.
    register = book(
        {
            1: ["PHỤ LỤC PHÂN CÔNG NHIỆM VỤ"],
            3: ["Mã nhiệm vụ", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"],
            4: ["3.2", None, "Phòng Kinh tế", "30/6/2020"],
            5: ["3.10", None, "Phòng Kinh tế", datetime(2025, 1, 15)],
            6: ["8.2", None, "Công an", "Quý IV/2025"],
            7: ["3.9", None, "Công an", "Quý III/2025"],  # ends 30/09/2025, before the plan
        },
        "Phụ lục",
    )
    folder = tmp_path / "phan-cong"
    folder.mkdir()
    register.save(folder / "phan-cong.xlsx")
    save(
        book(
            {
                1: ["PHÒNG KINH TẾ, HẠ TẦNG VÀ ĐÔ THỊ"],
                3: ["Mã NV", "Nội dung nhiệm vụ", "Tiến độ", "Ngày hoàn thành"],
                4: ["3.7", None, "Hoàn thành", "01/01/0001"],
                5: ["3.8", None, "Hoàn thành", datetime(2025, 5, 1)],
                6: ["3.2", None, "Hoàn thành", datetime(2026, 9, 15)],
            },
            "Nhiệm vụ",
        ),
        tmp_path,
        "kinh-te.xlsx",
    )
    result = read_period(EXAMPLE.with_paths(raw_dir=tmp_path), PERIOD)
    assert list(
        zip(result.assignments["task_id"], result.assignments["deadline"], strict=True)
    ) == [("8.2", "2025-12-31")]
    got = by_row(result, "phan-cong/phan-cong.xlsx")
    assert sorted(got) == [4, 5, 7]
    assert (
        "thời hạn 30/06/2020 (“30/6/2020”) trước ngày ban hành kế hoạch 03/10/2025: không hợp lý"
        in got[4]
    )
    assert "thời hạn 15/01/2025 (“15/01/2025”) trước ngày ban hành kế hoạch" in got[5]
    assert "thời hạn 30/09/2025 (“Quý III/2025”) trước ngày ban hành kế hoạch" in got[7]
    assert list(zip(result.task_reports["task_id"], result.task_reports["completed_on"],
                    strict=True)) == [("3.2", "2026-09-15")]  # fmt: skip
    tasks = by_row(result, f"{PERIOD}/kinh-te.xlsx")
    assert sorted(tasks) == [4, 5]
    assert (
        "ngày hoàn thành 01/01/0001 trước ngày ban hành kế hoạch 03/10/2025: không hợp lý"
        in tasks[4]
    )
    assert "ngày hoàn thành 01/05/2025 trước ngày ban hành kế hoạch 03/10/2025" in tasks[5]
    check_identity(result)
