"""A folder of bad inputs: each file gets its own clear message; the run goes on."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from example import EXAMPLE
from openpyxl import Workbook

from nq57lib.collect import workbook as workbook_module
from nq57lib.collect.ingest import read_period
from nq57lib.collect.workbook import open_workbook
from nq57lib.core import config
from nq57lib.core.errors import InputMissingError, WorkbookError

PERIOD = "2026-Q3"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _good(path: Path) -> None:
    wb = Workbook()
    wb.active.append(["Chỉ tiêu", "Kết quả"])
    wb.active.append(["VNeID", 79])
    wb.save(path)


def _bomb(path: Path) -> None:
    _good(path)
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    body = sheet.split("?>", 1)[1] if sheet.startswith("<?xml") else sheet
    doctype = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    parts["xl/worksheets/sheet1.xml"] = (
        doctype + body.replace("<v>79</v>", "<v>&lol2;</v>")
    ).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _not_a_workbook_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")


def _no_table(path: Path) -> None:
    wb = Workbook()
    wb.active["A1"] = "Kính gửi Văn phòng: đơn vị xin gửi báo cáo sau."
    wb.active["A2"] = 123
    wb.save(path)


BAD_FILES = {
    "rong.xlsx": (lambda p: p.write_bytes(b""), "tệp rỗng (0 byte)"),
    "doi-ten-tu-csv.xlsx": (
        lambda p: p.write_text("Chỉ tiêu;Kết quả\nVNeID;79\n", encoding="utf-8"),
        "tệp là văn bản (CSV/TXT), không phải sổ làm việc Excel",
    ),
    "so-lieu.csv": (
        lambda p: p.write_text("Chỉ tiêu,Kết quả\nVNeID,79\n", encoding="utf-8"),
        "tệp là văn bản (CSV/TXT), không phải sổ làm việc Excel",
    ),
    "excel-cu.xls": (
        lambda p: p.write_bytes(
            OLE + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 2000
        ),
        "tệp Excel định dạng cũ (.xls, Excel 97–2003) không được hỗ trợ",
    ),
    "co-mat-khau.xlsx": (
        lambda p: p.write_bytes(
            OLE + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 2000
        ),
        "tệp được đặt mật khẩu mở nên không đọc được",
    ),
    "hong.xlsx": (lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00\xff" * 300), "tệp bị hỏng"),
    "tai-lieu-word.xlsx": (_not_a_workbook_zip, "thiếu xl/workbook.xml"),
    "xml-bomb.xlsx": (_bomb, "XML bomb"),
    "anh-chup.png": (
        lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
        "tệp bị hỏng hoặc không phải tệp Excel",
    ),
    "khong-co-bang.xlsx": (_no_table, "không tìm thấy bảng chỉ tiêu"),
}


@pytest.fixture()
def bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / PERIOD
    folder.mkdir()
    for name, (make, _) in BAD_FILES.items():
        make(folder / name)
    _good(folder / "cong-an.xlsx")
    (folder / "~$cong-an.xlsx").write_bytes(b"lock")  # Excel lock file: ignored
    (folder / ".DS_Store").write_bytes(b"\x00")  # hidden: ignored
    return tmp_path


def test_each_bad_file_gets_its_message_and_the_run_goes_on(bad_folder: Path) -> None:
    result = read_period(EXAMPLE.with_paths(raw_dir=bad_folder), PERIOD)
    quality = result.quality.set_index("source_file")
    assert sorted(quality.index) == sorted(f"{PERIOD}/{n}" for n in [*BAD_FILES, "cong-an.xlsx"])
    for name, (_, message) in BAD_FILES.items():
        row = quality.loc[f"{PERIOD}/{name}"]
        assert row.file_status == "rejected", name
        assert message in row.message, (name, row.message)
        assert (row.rows_read, row.accepted, row.quarantined, row.blank) == (0, 0, 0, 0)
    reasons = dict(zip(result.quarantine["source_file"], result.quarantine["reason"], strict=True))
    for name, (_, message) in BAD_FILES.items():
        assert reasons[f"{PERIOD}/{name}"].startswith(f"Tệp {PERIOD}/{name}")
        assert message in reasons[f"{PERIOD}/{name}"]
    # The good workbook is still read.
    assert list(result.observations["indicator_id"]) == ["vneid_residents"]
    assert quality.loc[f"{PERIOD}/cong-an.xlsx"].file_status == "ok"
    assert len(result.quarantine) == len(BAD_FILES)


def test_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "lon.xlsx"
    _good(path)
    monkeypatch.setattr(config, "MAX_WORKBOOK_BYTES", 1024)
    with pytest.raises(WorkbookError) as caught:
        open_workbook(path)
    assert "tệp quá lớn" in caught.value.reason
    assert "giới hạn" in caught.value.reason


def test_zip_bomb_sizes_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "zip-bomb.xlsx"
    _good(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\x00" * 3_000_000)
    monkeypatch.setattr(config, "MAX_WORKBOOK_BYTES", 100_000)
    with pytest.raises(WorkbookError) as caught:
        open_workbook(path)
    assert "zip bomb" in caught.value.reason


def test_defusedxml_guards_openpyxl_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even with the DOCTYPE pre-scan switched off, openpyxl (via defusedxml) refuses the bomb."""
    path = tmp_path / "bomb.xlsx"
    _bomb(path)
    monkeypatch.setattr(workbook_module, "_DTD", workbook_module.re.compile(rb"(?!x)x"))
    with pytest.raises(WorkbookError) as caught:
        open_workbook(path)
    assert "XML bomb" in caught.value.reason


def test_missing_period_folder(tmp_path: Path) -> None:
    with pytest.raises(InputMissingError) as caught:
        read_period(EXAMPLE.with_paths(raw_dir=tmp_path), "2026-Q3")
    assert caught.value.path == tmp_path / "2026-Q3"
    assert "chưa có thư mục số liệu của kỳ 2026-Q3" in str(caught.value)
