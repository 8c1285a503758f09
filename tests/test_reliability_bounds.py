"""Issue #24, Why 3, 4 and 7: bounds decided before reading, inside the project only,
names drawn as text.

Every hostile input is built here at run time. A test that could block or exhaust memory
on a regression runs nq57 in a subprocess with a timeout (and, for memory, an address-space
limit), so that a regression fails instead of hanging the suite; no test asserts a time.
"""

from __future__ import annotations

import io
import os
import re
import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import docx
import pandas as pd
import pytest
from example import EXAMPLE, example_registry, example_units
from openpyxl import Workbook
from openpyxl.drawing.image import Image as SheetImage
from PIL import Image
from workbook_helpers import PERIOD, put, save

from nq57lib.collect.ingest import clean_period
from nq57lib.collect.unit_names import name_units
from nq57lib.collect.units import load_reporting_units
from nq57lib.collect.workbook import open_workbook
from nq57lib.core import config
from nq57lib.core.errors import PlanParseError, ProfileError, ValidationError, WorkbookError
from nq57lib.core.periods import Period
from nq57lib.core.profile import load_profile
from nq57lib.plan.documents import document_lines
from nq57lib.plan.header import read_plan_header
from nq57lib.plan.parser import parse_lines
from nq57lib.report import charts
from nq57lib.report.html import prose
from nq57lib.report.narrative import WORD_BREAK, parse_narrative, read_narrative
from nq57lib.run import provenance
from nq57lib.run.progress import Progress
from nq57lib.run.request import RunRequest, stale_history
from nq57lib.run.results import PeriodResult
from nq57lib.run.scope import has_workbooks
from nq57lib.run.ward import WardRun

GIB = 1024**3


def nq57(*args: str, cwd: Path, env: dict | None = None, memory: int | None = None):
    """The real command line in a subprocess, bounded in time (and memory, if given)."""
    environ = {k: v for k, v in os.environ.items() if k != config.ROOT_ENV}
    environ.update(env or {})

    def limit() -> None:
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "nq57lib", *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=180,
        preexec_fn=limit,
    )


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


# ── non-regular files and sizes, before anything is read ────────────────────


def test_a_plan_that_is_a_fifo_or_dev_zero_is_refused_unread(tmp_path):
    fifo = tmp_path / "ke-hoach.md"
    os.mkfifo(fifo)
    for plan, kind in ((fifo, "ống dẫn FIFO"), (Path("/dev/zero"), "thiết bị ký tự")):
        done = nq57("targets", "--plan", str(plan), "--out", "t.csv", cwd=tmp_path, memory=2 * GIB)
        assert done.returncode == 2
        assert one_line(done.stderr) == (
            f"nq57 targets: Plan file {plan}: is not a regular file ({kind}): nq57 reads a plan "
            "only from a regular file (không phải tệp thông thường)"
        )
    made = tmp_path / "phuong-moi"
    done = nq57("init", "--plan", "/dev/zero", str(made), cwd=tmp_path, memory=2 * GIB)
    assert done.returncode == 2 and "thiết bị ký tự" in one_line(done.stderr)
    assert not (made / "ward.yaml").exists()


def test_a_ward_yaml_that_is_a_fifo_or_a_link_to_dev_zero_never_blocks(tmp_path):
    fifo_project, zero_project = tmp_path / "fifo", tmp_path / "zero"
    fifo_project.mkdir()
    zero_project.mkdir()
    os.mkfifo(fifo_project / "ward.yaml")
    (zero_project / "ward.yaml").symlink_to("/dev/zero")
    for project, kind in ((fifo_project, "ống dẫn FIFO"), (zero_project, "thiết bị ký tự")):
        env = {config.ROOT_ENV: str(project)}
        shown = nq57("--help", cwd=project, env=env, memory=2 * GIB)
        assert shown.returncode == 0 and shown.stdout.startswith("usage: nq57")
        done = nq57("check-plan", cwd=project, env=env, memory=2 * GIB)
        assert done.returncode == 2
        # The profile is named by its real path (a link's target).
        real = os.path.realpath(project / "ward.yaml")
        assert one_line(done.stderr) == (
            f"nq57 check-plan: Hồ sơ phường, xã {real}: không phải tệp thông thường ({kind}); "
            "nq57 không mở loại này"
        )


FIFO_REFUSED = "không phải tệp thông thường (ống dẫn FIFO); nq57 không mở loại này"


def _printed_by(code: str, folder: Path) -> str:
    """What ``code`` prints in a Python of its own (a FIFO that blocks fails the timeout)."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=folder
    )
    return done.stdout.strip()


def test_the_registry_and_units_files_refuse_a_fifo_and_a_size_over_the_cap(tmp_path):
    fifo = tmp_path / "indicators.yaml"
    os.mkfifo(fifo)
    code = (
        "from nq57lib.plan.registry import load_registry\n"
        "from nq57lib.core.errors import RegistryError\n"
        f"try:\n    load_registry({str(fifo)!r}, {{'a': 'x'}})\n"
        "except RegistryError as error:\n    print(error.problems[0])\n"
    )
    assert _printed_by(code, tmp_path) == FIFO_REFUSED
    big = tmp_path / "reporting_units.yaml"
    big.write_bytes(b"#" * (config.MAX_DATA_FILE_BYTES + 1))
    with pytest.raises(Exception, match=r"tệp quá lớn \(5 MB, giới hạn 5 MB\)"):
        load_reporting_units(big, example_registry())


def test_narrative_fifo_size_items_and_long_words(tmp_path):
    folder = tmp_path / "raw" / PERIOD
    folder.mkdir(parents=True)
    os.mkfifo(folder / "nhan-dinh.md")
    code = (
        "from pathlib import Path\nfrom nq57lib.report.narrative import read_narrative\n"
        "from nq57lib.core.errors import ValidationError\n"
        f"try:\n    read_narrative(Path({str(folder)!r}))\n"
        "except ValidationError as error:\n    print(error.problems[0])\n"
    )
    assert _printed_by(code, tmp_path) == FIFO_REFUSED
    (folder / "nhan-dinh.md").unlink()
    # 5 MB: refused from its size, unread.
    (folder / "nhan-dinh.md").write_text("# Kết luận\n\n" + "a" * (5 * 1024 * 1024), "utf-8")
    with pytest.raises(ValidationError) as caught:
        read_narrative(folder)
    assert caught.value.problems == ["tệp quá lớn (5 MB, giới hạn 1 MB)"]
    # 100,000 items: refused once the cap is passed.
    (folder / "nhan-dinh.md").write_text("# Kết quả đạt được\n" + "- ý\n" * 100_000, "utf-8")
    with pytest.raises(ValidationError) as caught:
        read_narrative(folder)
    assert caught.value.problems == [
        "có hơn 2.000 đoạn và ý, nhiều hơn một báo cáo đưa vào; rút gọn phần nhận định "
        "(hoặc kiểm tra đây có đúng là tệp nhận định không)"
    ]
    # One 200 kB word: read, and broken every 60 characters for layout.
    word = "a" * 200_000
    (folder / "nhan-dinh.md").write_text(f"# Kết luận\n\n{word}\n", "utf-8")
    block = read_narrative(folder).blocks("conclusion")[0]
    pieces = block.text.split(WORD_BREAK)
    assert len(pieces) == 3334 and set(map(len, pieces[:-1])) == {60} and len(pieces[-1]) == 20
    assert prose(block.text).count("a") == 200_000


def _styled_workbook(path: Path, formats: int) -> Path:
    wb = Workbook()
    put(wb.active, {1: ["Chỉ tiêu", "Kết quả"], 2: ["VNeID", 79]})
    wb.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    styles = parts["xl/styles.xml"]
    start = styles.index(b"<cellXfs")
    end = styles.index(b"</cellXfs>") + len(b"</cellXfs>")
    parts["xl/styles.xml"] = (
        styles[:start] + b'<cellXfs count="%d">' % formats + xf * formats + b"</cellXfs>"
        + styles[end:]
    )  # fmt: skip
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_a_workbook_declaring_too_many_cell_formats_is_refused_before_openpyxl(tmp_path):
    assert open_workbook(_styled_workbook(tmp_path / "ok.xlsx", 100)).active["B2"].value == 79
    bomb = _styled_workbook(tmp_path / "bomb.xlsx", 100_000)
    assert bomb.stat().st_size < 100_000
    with pytest.raises(WorkbookError) as caught:
        open_workbook(bomb)
    assert caught.value.reason.startswith(
        # cellXfs' 100,000 and cellStyleXfs' one
        "tệp khai báo 100.001 định dạng ô, vượt giới hạn 64.000: nghi là tệp độc hại"
    )


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width``×``height`` pixels (its data is one empty row)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")
    )  # fmt: skip


def test_a_picture_claiming_30000_by_30000_pixels_does_not_stop_cleaning(tmp_path):
    wb = Workbook()
    put(wb.active, {1: ["Chỉ tiêu", "Kết quả"], 2: ["VNeID", 79]})
    small = io.BytesIO()
    Image.new("RGB", (4, 4)).save(small, format="PNG")
    wb.active.add_image(SheetImage(small), "D2")
    path = save(wb, tmp_path, "anh.xlsx")
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    media = [name for name in parts if name.startswith("xl/media/")]
    assert len(media) == 1
    parts[media[0]] = _png_header(30_000, 30_000)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    save(Workbook(), tmp_path, "trong.xlsx")
    wb = Workbook()
    put(wb.active, {1: ["Chỉ tiêu", "Kết quả"], 2: ["Hồ sơ trực tuyến", 89]})
    save(wb, tmp_path, "mot-cua.xlsx")
    result = clean_period(
        EXAMPLE.with_paths(raw_dir=tmp_path, processed_dir=tmp_path / "out"), PERIOD
    )
    assert [float(v) for v in result.observations["value"]] == [89.0]
    reasons = result.quarantine.set_index("source_file")["reason"]
    assert reasons[f"{PERIOD}/anh.xlsx"].startswith(
        f"Tệp {PERIOD}/anh.xlsx không đọc được: hình ảnh {media[0]} quá lớn (900.000.000 điểm "
        "ảnh, giới hạn 100.000.000)"
    )


def _plan_docx(path: Path, rename_main: bool = False, span: int | None = None) -> Path:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Chỉ tiêu", "Năm 2030"
    document.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    main = parts.pop("word/document.xml")
    if span:
        main = main.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="%d"/>' % span, 1)
    name = "word/document.bin" if rename_main else "word/document.xml"
    if rename_main:
        # Padding after the root element: 500 kB of a part no name says is XML.
        main += b" " * 500_000
        for part in ("[Content_Types].xml", "_rels/.rels"):
            parts[part] = parts[part].replace(b"document.xml", b"document.bin")
    parts[name] = main
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    return path


def test_every_part_of_a_docx_counts_whatever_its_name(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "MAX_PLAN_DOCX_XML_BYTES", 1_000_000)
    assert document_lines(_plan_docx(tmp_path / "ok.docx"))[0] == "KẾ HOẠCH"
    renamed = _plan_docx(tmp_path / "bin.docx", rename_main=True)
    with pytest.raises(PlanParseError) as caught:
        document_lines(renamed)
    assert re.fullmatch(
        r"too large for a plan: the Word file unpacks to [\d.]+ bytes, more than the 1\.000\.000 "
        r"nq57 reads \(kế hoạch quá lớn — is this the plan file\?\)",
        caught.value.problem,
    )


def test_a_grid_span_of_30_million_columns_is_refused_before_a_cell_is_made(tmp_path):
    plan = _plan_docx(tmp_path / "rong.docx", span=30_000_000)
    done = nq57("targets", "--plan", str(plan), "--out", "t.csv", cwd=tmp_path, memory=2 * GIB)
    assert done.returncode == 2
    assert one_line(done.stderr) == (
        f"nq57 targets: Plan file {plan}: too large for a plan: a table row of 30.000.001 "
        "columns, more than the 64 nq57 reads (kế hoạch quá lớn — is this the plan file?)"
    )


# ── what run.json hashes; folder chains ─────────────────────────────────────


def _ward_run(raw: Path, processed: Path) -> WardRun:
    return WardRun(
        project=_moved(raw, processed),
        request=RunRequest.make([PERIOD], ["html"]),
        progress=Progress("test"),
        versions={},
    )


def _moved(raw: Path, processed: Path):
    return EXAMPLE.with_paths(
        raw_dir=raw, processed_dir=processed, reports_dir=processed.parent / "reports"
    )


def test_run_json_hashes_only_what_cleaning_reads(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    save(Workbook(), raw, "cong-an.xlsx")
    folder = raw / PERIOD
    (folder / "passwd.xlsx").symlink_to("/etc/passwd")
    with open(folder / "lon.xlsx", "wb") as sparse:  # 60 GB, no block on the disk
        sparse.truncate(60 * GIB)
    (folder / "nhan-dinh.md").write_text("# Kết luận\n\nỔn.\n", "utf-8")
    (raw / config.REGISTER_DIR).mkdir()
    (raw / config.REGISTER_DIR / "phan-cong.xlsx").symlink_to("/etc/passwd")
    job = PeriodResult(period=Period.parse(PERIOD))
    inputs = provenance.input_hashes(job, _ward_run(raw, processed))
    assert sorted(Path(name).name for name in inputs["raw"]) == ["cong-an.xlsx", "nhan-dinh.md"]
    assert inputs["register"] == {}


def test_a_chain_of_1100_folders_is_listed_without_recursion(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    top = raw / PERIOD / "d"
    top.parent.mkdir(parents=True)
    deep = top
    os.mkdir(deep)
    for _ in range(1099):
        deep = deep / "d"
        os.mkdir(deep)
    try:
        save(Workbook(), deep.parent, "sau.xlsx", "d")
        save(Workbook(), raw, "cu.xlsx", "2026-Q2")
        assert has_workbooks(raw / PERIOD)
        assert stale_history([Period.parse(PERIOD)], _moved(raw, processed)) == [
            Period.parse("2026-Q2")
        ]
        job = PeriodResult(period=Period.parse(PERIOD))
        hashed = provenance.input_hashes(job, _ward_run(raw, processed))["raw"]
        assert [Path(name).name for name in hashed] == ["sau.xlsx"]
    finally:
        _remove_chain(top)


def _remove_chain(top: Path) -> None:
    """Remove the chain bottom-up: pytest's own clean-up (shutil.rmtree) would recurse."""
    chain = [top]
    while (chain[-1] / "d").is_dir():
        chain.append(chain[-1] / "d")
    for folder in reversed(chain):
        for item in folder.iterdir():
            if not item.is_dir():
                item.unlink()
        folder.rmdir()


# ── no super-linear pattern on untrusted text: 200 kB inputs on every text path ─────
# Each input is one that the old patterns took quadratic or exponential time on; the tests
# assert what comes out, never how long it took.

HOSTILE = {
    "long word": "a" * 200_000,
    "hyphens": "a-" * 100_000 + "!",
    "spaces then a letter": "# a" + " " * 200_000 + "b",
    "unclosed comments": "<!--" * 50_000,
    "digits": "1" * 200_000,
}


def test_prose_of_200_kb_inputs():
    assert prose(HOSTILE["long word"]) == HOSTILE["long word"]
    assert prose(HOSTILE["hyphens"]).startswith('<span class="nq57-nowrap">a-a-')
    assert prose("Kế hoạch 106/KH-UBND, năm 2030") == (
        'Kế hoạch <span class="nq57-nowrap">106/KH-UBND</span>, năm 2030'
    )


def test_the_narrative_of_200_kb_inputs():
    for name, text in HOSTILE.items():
        if name == "spaces then a letter":
            with pytest.raises(ValidationError, match="không thuộc báo cáo"):
                parse_narrative(text)
            continue
        with pytest.raises(ValidationError, match="nội dung nằm trước mọi đề mục"):
            parse_narrative(text)
        narrative = parse_narrative("# Kết luận\n\n" + text)
        assert len(narrative.blocks("conclusion")) == 1


def test_the_plan_of_200_kb_inputs(tmp_path):
    for name, text in HOSTILE.items():
        lines = ["KẾ HOẠCH", "II. MỤC TIÊU CỤ THỂ", "1. Đến hết năm 2030", text]
        lines.append("- 100% hồ sơ thủ tục hành chính được tiếp nhận trực tuyến.")
        targets = parse_lines(lines, tmp_path / f"{name}.md").targets
        # The hostile line may be read as a target without a figure; the real one follows.
        assert targets["value"].iloc[-1] == 100.0, name
        path = tmp_path / "plan.md"
        path.write_text("\n".join(["ỦY BAN NHÂN DÂN", "PHƯỜNG TÂN LẬP", text, *lines]), "utf-8")
        assert read_plan_header(path).name == "Tân Lập", name


def test_register_unit_lists_of_200_kb_inputs():
    units = example_units()
    for text in HOSTILE.values():
        named = name_units(text + "; Công an phường", units)
        assert [n.unit.code for n in named if n.unit] == ["cong_an"]
        assert [n.text for n in named if not n.known] == [text.strip(" .-–")]


def test_workbook_cells_of_hostile_text(tmp_path):
    wb = Workbook()
    rows = {1: ["Chỉ tiêu", "Kết quả", "Ghi chú"]}
    for n, text in enumerate(HOSTILE.values(), 2):
        rows[n] = ["VNeID", 79, text[:32_767]]  # Excel's longest cell
    put(wb.active, rows)
    save(wb, tmp_path, "cong-an.xlsx")
    result = clean_period(
        EXAMPLE.with_paths(raw_dir=tmp_path, processed_dir=tmp_path / "out"), PERIOD
    )
    assert len(result.quality) == 1 and int(result.quality["rows_read"].iloc[0]) == 5


# ── inside the project only ─────────────────────────────────────────────────


def test_a_narrative_linked_outside_the_raw_folder_is_refused_by_name(tmp_path):
    secret = tmp_path / "bi-mat.md"
    secret.write_text("# Kết luận\n\nMật khẩu: 1234\n", "utf-8")
    folder = tmp_path / "raw" / PERIOD
    folder.mkdir(parents=True)
    (folder / "nhan-dinh.md").symlink_to(secret)
    with pytest.raises(ValidationError) as caught:
        read_narrative(folder)
    assert caught.value.problems == [
        f"là liên kết trỏ ra ngoài thư mục số liệu (tới {secret}); nq57 chỉ đọc tệp nhận định "
        "nằm trong thư mục số liệu — chép tệp vào thư mục kỳ thay cho liên kết"
    ]
    inside = tmp_path / "raw" / "nhan-dinh-chung.md"
    inside.write_text("# Kết luận\n\nỔn định.\n", "utf-8")
    (folder / "nhan-dinh.md").unlink()
    (folder / "nhan-dinh.md").symlink_to(inside)
    assert read_narrative(folder).blocks("conclusion")[0].text == "Ổn định."


def _profile(folder: Path, paths: str) -> Path:
    text = (config.CHECKOUT_DIR / "ward.yaml").read_text("utf-8")
    head = text[: text.index("\npaths:")]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plan.md").write_text("KẾ HOẠCH\n", "utf-8")
    (folder / "ward.yaml").write_text(f"{head}\npaths:\n{paths}\n", "utf-8")
    return folder / "ward.yaml"


def test_profile_paths_leading_outside_the_project_are_refused_by_name(tmp_path):
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (outside / "units.yaml").write_text("units: []\n", "utf-8")
    project = tmp_path / "phuong"
    _profile(project, "  plan: plan.md")
    (project / "don-vi.yaml").symlink_to(outside / "units.yaml")
    (project / "kh.md").symlink_to("/etc/passwd")
    _profile(project, "  plan: kh.md\n  units: don-vi.yaml\n  raw: ../ngoai")
    with pytest.raises(ProfileError) as caught:
        load_profile(project)
    assert caught.value.problems == [
        f"“paths.plan” (tệp kế hoạch): “kh.md” dẫn ra ngoài thư mục làm việc (tới /etc/passwd); "
        f"nq57 chỉ đọc tệp và thư mục nằm trong {project} — chép vào thư mục làm việc thay cho "
        "liên kết",
        f"“paths.units” (tệp đơn vị báo cáo (reporting_units.yaml)): “don-vi.yaml” dẫn ra ngoài "
        f"thư mục làm việc (tới {outside / 'units.yaml'}); nq57 chỉ đọc tệp và thư mục nằm "
        f"trong {project} — chép vào thư mục làm việc thay cho liên kết",
        f"“paths.raw” (thư mục số liệu gốc): “../ngoai” dẫn ra ngoài thư mục làm việc (tới "
        f"{outside}); nq57 chỉ đọc tệp và thư mục nằm trong {project} — chép vào thư mục làm "
        "việc thay cho liên kết",
    ]
    # nq57's own registry and units, named by their absolute paths, stay allowed.
    _profile(
        project,
        f"  plan: plan.md\n  units: {config.SHIPPED_UNITS_PATH}\n"
        f"  registry: {config.SHIPPED_REGISTRY_PATH}",
    )
    assert load_profile(project).registry_path == config.SHIPPED_REGISTRY_PATH


# ── names drawn as text ─────────────────────────────────────────────────────


def test_a_name_holding_dollar_signs_is_drawn_as_text():
    status = pd.DataFrame(
        {"area": ["a", "b"], "status": ["on_track", "behind"], "indicator_id": ["x", "y"]}
    )
    areas = {"a": r"$\frac{a}$ hạ tầng", "b": "Chi $5 và $6"}
    figure = charts.plot_area_status(status, areas=areas)
    figure.savefig(io.BytesIO(), format="png")  # an invalid formula raised here before
    labels = figure.axes[0].get_yticklabels()
    shown = [label._preprocess_math(label.get_text()) for label in labels]
    assert shown == [(r"a) $\frac{a}$ hạ tầng", False), ("b) Chi $5 và $6", False)]
