"""The real notebooks on the shipped illustrative workbooks, as `make report` runs them.

Two quarters and the assignment register are copied to a temporary raw folder; only
2026-Q3 is asked for, so the run must clean 2026-Q2 first (its history) and then judge
trends on both. A yearly report of 2026 drawn up on 30/11/2026 then reads 2026-Q3.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from datetime import date

import openpyxl
import pandas as pd
import pytest
from example import EXAMPLE, example_registry, run_example
from layout_check import CHROMIUM, measure
from pypdf import PdfReader

from nq57lib.core import config
from nq57lib.report import render


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    for code in ("2026-Q2", "2026-Q3", config.REGISTER_DIR):
        shutil.copytree(EXAMPLE.raw_dir / code, root / "raw" / code)
    _plant_markup(root / "raw" / "2026-Q3")
    result = run_example(
        ["2026-Q3"],
        raw_dir=root / "raw",
        processed_dir=root / "processed",
        reports_dir=root / "reports",
        formats=["html", "xlsx"],
        progress=False,
    )
    return result, root


def _plant_markup(folder) -> None:
    """Markup a unit and the analyst might type, in this test's copy only: the shipped
    example holds none (its data look like real data)."""
    book = openpyxl.load_workbook(folder / "van-phong.xlsx")
    sheet = book["Chi tieu VP"]
    row = next(
        r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "operations_centre"
    )
    sheet.cell(row, 5).value = "<b>Đã nghiệm thu</b> giai đoạn 1"
    book.save(folder / "van-phong.xlsx")
    narrative = folder / config.NARRATIVE_FILE
    text = narrative.read_text(encoding="utf-8")
    narrative.write_text(text.replace("ví dụ ghi 0,88", "ví dụ ghi <b>88</b>"), encoding="utf-8")


def test_the_shipped_example_holds_no_markup_or_formula_text():
    import zipfile

    for path in sorted(EXAMPLE.raw_dir.rglob("*")):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                text = " ".join(
                    archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                )
            assert "&lt;b&gt;" not in text and "=SUM" not in text, path
        elif path.suffix == ".md":
            assert "<b>" not in path.read_text(encoding="utf-8"), path


def test_quarterly_run_on_illustrative_data_succeeds_after_cleaning_its_history(real_run):
    result, root = real_run
    assert result.ok, result.summary_text()
    record = json.loads((root / "reports" / "2026-Q3" / "run.json").read_text("utf-8"))
    assert record["backfilled"] == ["2026-Q2"]
    assert record["illustrative"] is True
    assert record["parameters"]["20-compare"]["draw_charts"] is False
    assert sorted(p.name for p in (root / "reports" / "2026-Q3").iterdir()) == [
        "10-clean.ipynb",
        "20-compare.ipynb",
        "30-briefing.ipynb",
        "bao-cao-2026-Q3.html",
        "du-lieu",
        "phu-luc-2026-Q3.xlsx",
        "run.json",
    ]


def test_statuses_follow_the_two_quarters_of_data(real_run):
    _, root = real_run
    status = pd.read_csv(root / "processed" / "2026-Q3" / "status.csv")
    by_key = status.set_index(["indicator_id", "milestone_year"])
    # VNeID 76 (Q2) → 79 (Q3) toward ≥ 85 by end 2030: observed growth 16,7 %/year against
    # 2,5 %/year required, ratio ≈ 6,65 → on track.
    vneid = by_key.loc[("vneid_residents", 2030)]
    assert (vneid["value"], vneid["baseline"], vneid["status"]) == (79, 76, "on_track")
    assert vneid["progress_ratio"] == pytest.approx(6.65, abs=0.01)
    # Dossiers online 89 % after 2025 against ≥ 90 % by end 2025: overdue.
    assert by_key.loc[("dossiers_online", 2025), "status"] == "overdue"
    # 2025's 100 % of 5G in tourist areas is met: achieved, and nothing later to reach.
    assert by_key.loc[("coverage_5g_hotspots", 2025), "status"] == "achieved"


def test_briefing_html_is_labelled_illustrative_and_titled(real_run):
    _, root = real_run
    html = (root / "reports" / "2026-Q3" / "bao-cao-2026-Q3.html").read_text("utf-8")
    assert "SỐ LIỆU MINH HỌA" in html.upper()
    assert "Quý III năm 2026" in html
    assert "Kết quả thực hiện Kế hoạch số 106/KH-UBND" in html


# ── what the chairman reads ─────────────────────────────────────────────────


def _text(html: str) -> str:
    """The words a reader sees: tags dropped, entities decoded."""
    import html as html_module

    body = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    return html_module.unescape(re.sub(r"<[^>]+>", " ", body))


def _leader_pages(root) -> str:
    """The report up to the annexes: what a leader reads."""
    html = (root / "reports" / "2026-Q3" / "bao-cao-2026-Q3.html").read_text("utf-8")
    text = _text(html)
    return text[: text.index("PHỤ LỤC 1")]


def test_leader_pages_carry_no_ids_formats_paths_or_raw_ratios(real_run):
    _, root = real_run
    leader = _leader_pages(root)
    for section in ("I. KẾT QUẢ ĐẠT ĐƯỢC", "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
                    "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", "IV. ĐỀ XUẤT, KIẾN NGHỊ"):  # fmt: skip
        assert section in leader
    forbidden = ["yaml", "methodology", ".md", ".csv", ".xlsx", "[nq57]", "Tỷ lệ tiến độ",
                 "lượt", "R =", "dòng tình trạng", "progress_ratio"]  # fmt: skip
    found = [token for token in forbidden if token in leader]
    ids = [i.id for i in example_registry() if re.search(rf"\b{re.escape(i.id)}\b", leader)]
    assert found == [] and ids == []
    # Areas in full, never as bare letters.
    assert "1.1. Phát triển hạ tầng" in leader and "a) Phát triển hạ tầng" not in leader


def test_unit_and_analyst_markup_comes_out_as_text(real_run):
    _, root = real_run
    html = (root / "reports" / "2026-Q3" / "bao-cao-2026-Q3.html").read_text("utf-8")
    # The ward office's note on its operations centre, next to its value.
    assert "Đơn vị ghi: “&lt;b&gt;Đã nghiệm thu&lt;/b&gt; giai đoạn 1”" in html
    # The analyst's paragraph from data/raw/2026-Q3/nhan-dinh.md, after nq57's draft.
    assert "(ví dụ ghi &lt;b&gt;88&lt;/b&gt; thay cho 88%)" in html
    assert "<b>" not in html


def test_a_target_the_register_assigns_shows_its_lead_unit(real_run):
    _, root = real_run
    leader = _leader_pages(root)
    # cybersecurity_unit is reported by the ward office; the register gives its lead to
    # the police (data/raw/phan-cong, row 58).
    assert "Bộ phận an ninh mạng giám sát, ứng cứu sự cố toàn hệ thống Công an phường" in (
        " ".join(leader.split())
    )


def test_the_run_leaves_raw_data_and_the_analysts_text_untouched(real_run):
    _, root = real_run
    copy = root / "raw" / "2026-Q3" / config.NARRATIVE_FILE
    digest = hashlib.sha256
    # As planted before the run (_plant_markup), byte for byte.
    planted = (EXAMPLE.raw_dir / "2026-Q3" / config.NARRATIVE_FILE).read_text(encoding="utf-8")
    planted = planted.replace("ví dụ ghi 0,88", "ví dụ ghi <b>88</b>").encode("utf-8")
    assert digest(copy.read_bytes()).digest() == digest(planted).digest()


def test_the_run_says_who_reported_and_where_the_refused_rows_are(real_run):
    result, root = real_run
    summary = result.summary_text()
    refused = (root / "processed" / "2026-Q3" / "quarantine.csv").read_text("utf-8")
    rows = len(pd.read_csv(root / "processed" / "2026-Q3" / "quarantine.csv"))
    assert refused and rows > 0
    assert "Đơn vị đã gửi số liệu: 5/5." in summary
    assert (
        f"{rows} dòng bị cách ly: lý do tại {root / 'processed' / '2026-Q3' / 'quarantine.csv'}"
        in (summary)
    )


@pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium installed (Debian: apt-get install chromium)"
)
@pytest.mark.parametrize("width", [390, 1280, 1400])
def test_no_table_cell_is_narrower_than_its_longest_word(real_run, width):
    _, root = real_run
    found = measure(root / "reports" / "2026-Q3" / "bao-cao-2026-Q3.html", width)
    assert found["tables"] > 10
    assert found["narrow"] == []
    assert found["overflow"] <= 0  # wide tables scroll inside their box, not the page


@pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium installed (Debian: apt-get install chromium)"
)
def test_chromium_print_keeps_the_warning_once_on_every_page(real_run, tmp_path):
    _, root = real_run
    notebook = root / "reports" / "2026-Q3" / "30-briefing.ipynb"
    pdf = render.render_notebook(notebook, tmp_path, formats=("pdf",), engine="chromium",
                                 warning=config.ILLUSTRATIVE_WARNING)["pdf"]  # fmt: skip
    pages = PdfReader(pdf).pages
    assert len(pages) > 5
    counts = [" ".join(p.extract_text().split()).count("SỐ LIỆU MINH HỌA") for p in pages]
    assert counts == [1] * len(pages)


# ── the yearly report, drawn up before the year ends ──────────────────────────


@pytest.fixture(scope="module")
def yearly_run(real_run):
    _, root = real_run
    result = run_example(
        ["2026"],
        raw_dir=root / "raw",
        processed_dir=root / "processed",
        reports_dir=root / "reports",
        formats=["html"],
        progress=False,
        as_of=date(2026, 11, 30),
    )
    return result, root


def test_yearly_report_with_a_cut_off_reads_the_last_quarter_and_says_so(yearly_run):
    result, root = yearly_run
    assert result.ok, result.summary_text()
    folder = root / "reports" / "2026"
    record = json.loads((folder / "run.json").read_text("utf-8"))
    assert (record["period"], record["data_period"], record["as_of"]) == (
        "2026", "2026-Q3", "2026-11-30",
    )  # fmt: skip
    text = " ".join(_text((folder / "bao-cao-2026.html").read_text("utf-8")).split())
    assert "Báo cáo năm 2026 — Kết quả thực hiện Kế hoạch số 106/KH-UBND" in text
    assert "BÁO CÁO Kết quả thực hiện Kế hoạch số 106/KH-UBND Năm 2026" in text
    assert (
        "Báo cáo sử dụng số liệu các đơn vị gửi đến hết quý III năm 2026 (tính đến ngày "
        "30/11/2026); số liệu của các kỳ kết thúc sau ngày 30/11/2026 chưa được tính."
    ) in text
    assert "Hồng Bàng, ngày 30 tháng 11 năm 2026" in text
