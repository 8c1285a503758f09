"""What the analyst's notebooks show: every table in Vietnamese, whole, without NaN or
English column names; the compare notebook's counts are page 1's; 40-explore's views.

Each notebook is executed with papermill on the illustrative data (cleaned and compared
into a temporary folder), and its outputs are read back as HTML.
"""

from __future__ import annotations

import html
import json
import re

import papermill
import pytest
from example import EXAMPLE

from nq57lib.core import config, schema

PERIODS = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")
# Every column code of the processed tables: none may head a displayed table.
CODES = {c for k, v in vars(schema).items() if k.endswith("_COLUMNS") for c in v} | {"vintage"}
MISSING = {"nan", "NaN", "None", "NaT", "<NA>", "none"}


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    from nq57lib.assess.compare import compare_period
    from nq57lib.collect.ingest import clean_period

    folder = tmp_path_factory.mktemp("processed")
    work = EXAMPLE.with_paths(processed_dir=folder)
    for period in PERIODS:
        clean_period(work, period)
        compare_period(work, period)
    return folder


def _run(name: str, out, **parameters):
    return papermill.execute_notebook(
        str(config.NOTEBOOKS_DIR / name), str(out), parameters=parameters, progress_bar=False
    )


def _outputs(nb, kind: str) -> list[str]:
    return [
        "".join(o["data"][kind]) if kind != "text" else "".join(o.get("text", ""))
        for cell in nb.cells
        for o in cell.get("outputs", [])
        if (kind == "text" and o.get("name") == "stdout") or kind in o.get("data", {})
    ]


def _tables(nb) -> list[tuple[list[str], list[str], int]]:
    """(headings, cells, rows) of every HTML table the notebook displayed."""
    found = []
    for page in _outputs(nb, "text/html"):
        for table in re.findall(r"<table.*?</table>", page, re.S):
            heads = [html.unescape(h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", table)]
            cells = [
                html.unescape(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)
            ]
            found.append((heads, cells, table.count("<tr>") - 1))
    return found


def _check_readable(nb) -> list[tuple[list[str], list[str], int]]:
    tables = _tables(nb)
    assert tables, "the notebook shows no table"
    for page in _outputs(nb, "text/html"):
        assert 'class="dataframe' not in page, "a raw pandas table was displayed"
    for heads, cells, _ in tables:
        assert not [h for h in heads if h in CODES], heads
        assert not [c for c in cells if c in MISSING], heads
        assert not [c for c in cells if c.endswith("…")], heads  # no cut text
    for cell in nb.cells:
        assert not [o for o in cell.get("outputs", []) if o["output_type"] == "error"]
    return tables


def _headings(tables) -> set[str]:
    return {h for heads, _, _ in tables for h in heads}


def test_targets_notebook_shows_vietnamese_tables(tmp_path):
    nb = _run("00-targets.ipynb", tmp_path / "00.ipynb")
    tables = _check_readable(nb)
    assert {"Lĩnh vực", "Mã chỉ số", "Lộ trình các mốc", "Loại kiểm tra", "Nhóm nhiệm vụ"} <= (
        _headings(tables)
    )
    assert {"Nhiệm vụ", "Hoạt động", "Tổ chức thực hiện"} <= _headings(tables)  # task kinds


def test_clean_notebook_shows_every_row_in_vietnamese(tmp_path):
    import pandas as pd

    nb = _run(
        "10-clean.ipynb", tmp_path / "10.ipynb", period="2026-Q3", processed_dir=str(tmp_path)
    )
    tables = _check_readable(nb)
    heads = _headings(tables)
    assert {"Dòng đã đọc", "Chấp nhận", "Cách ly", "Lý do", "Tệp", "Trang", "Ô"} <= heads
    assert "rows_read" not in heads
    observations = pd.read_csv(tmp_path / "2026-Q3" / "observations.csv")
    # The last table is the observations: every row of them, none cut.
    assert tables[-1][2] == len(observations) == 34
    assert "79%" in tables[-1][1] and "Công an phường" in tables[-1][1]


def test_compare_notebook_shows_the_whole_status_table(tmp_path, processed):
    nb = _run(
        "20-compare.ipynb", tmp_path / "20.ipynb", period="2026-Q3",
        processed_dir=str(processed), draw_charts=False,
    )  # fmt: skip
    tables = _check_readable(nb)
    status = tables[0]
    assert status[2] == 68  # every status row, not the first ten
    assert {"Phát triển hạ tầng", "Quý III/2026", "Quá hạn chưa đạt"} <= set(status[1])
    assert "2026-Q3" not in status[1]
    assert "Tỷ lệ đúng hạn" in _headings(tables) and "on_time_rate" not in _headings(tables)
    # A rate as a Vietnamese percentage (0.428571 of Văn phòng's due tasks on time).
    assert "42,9%" in tables[1][1]
    assert "background-color: #8e1b1b" in _outputs(nb, "text/html")[0]  # status colours


_GROUPS = {
    "good": r"(\d+) (?:chỉ tiêu )?(?:đã )?đạt hoặc đúng tiến độ",
    "achieved": r"\(đã đạt (\d+)\)",
    "slow": r"(\d+) (?:chỉ tiêu )?cần đẩy nhanh hoặc chậm tiến độ",
    "bad": r"(\d+) (?:chỉ tiêu )?đi xuống hoặc quá hạn chưa đạt",
    "unknown": r"(\d+) (?:chỉ tiêu )?chưa có hoặc chưa đủ số liệu",
    "later": r"(\d+) (?:chỉ tiêu )?chưa đến kỳ đánh giá",
}


def _page_one(text: str) -> dict[str, int]:
    """The counts page 1's conclusion states."""
    found = {k: int(m.group(1)) if (m := re.search(p, text)) else 0 for k, p in _GROUPS.items()}
    found["total"] = int(re.search(r"Kế hoạch có (\d+) chỉ tiêu", text).group(1))
    listed = re.search(r"Cần tập trung chỉ đạo (?:(\d+) )?chỉ tiêu", text)
    found["attention"] = (int(listed.group(1) or 1)) if listed else 0
    tasks = re.search(r"Trong (\d+) nhiệm vụ đã phân công, (\d+) nhiệm vụ đã hoàn thành", text)
    late = re.search(r"(\d+) nhiệm vụ quá hạn chưa hoàn thành", text)
    found["tasks"] = (int(tasks.group(1)), int(tasks.group(2)), int(late.group(1)) if late else 0)
    return found


def _printed(text: str) -> dict[str, int]:
    """The counts the compare notebook's summary prints."""
    line = re.search(r"Như trang 1 của báo cáo: (.*)", text).group(1)
    found = {k: int(m.group(1)) if (m := re.search(p, line)) else 0 for k, p in _GROUPS.items()}
    found["total"] = int(re.search(r"\): (\d+) chỉ tiêu", text).group(1))
    found["attention"] = int(re.search(r"Cần tập trung chỉ đạo: (\d+)", text).group(1))
    tasks = re.search(
        r"phân công: (\d+); đã hoàn thành: (\d+); quá hạn chưa hoàn thành: (\d+)", text
    )
    found["tasks"] = tuple(int(g) for g in tasks.groups())
    return found


@pytest.mark.parametrize("period", PERIODS)
def test_compare_notebook_prints_the_briefings_page_one_counts(tmp_path, processed, period):
    from nq57lib.report import briefing

    nb = _run(
        "20-compare.ipynb", tmp_path / "20.ipynb", period=period,
        processed_dir=str(processed), draw_charts=False,
    )  # fmt: skip
    printed = _printed("".join(_outputs(nb, "text")))
    data = briefing.load_briefing_data(EXAMPLE.with_paths(processed_dir=processed), period)
    page = re.sub(r"<[^>]+>", "", briefing.opening(data).data)
    assert printed == _page_one(html.unescape(page))
    if period == "2026-Q3":  # as page 1 of the illustrative Q3 briefing says, by hand
        assert printed == {
            "total": 52, "good": 19, "achieved": 6, "slow": 1, "bad": 13, "unknown": 11,
            "later": 8, "attention": 19, "tasks": (49, 7, 5),
        }  # fmt: skip


# ── 40-explore ──────────────────────────────────────────────────────────────


def _texts(nb) -> str:
    return "\n".join(_outputs(nb, "text/markdown") + _outputs(nb, "text/html"))


def test_explore_one_indicator_unit_and_task(tmp_path, processed):
    nb = _run(
        "40-explore.ipynb", tmp_path / "40.ipynb", processed_dir=str(processed),
        indicator="coverage_5g", unit="kinh_te", task="3.2",
    )  # fmt: skip
    tables = _check_readable(nb)
    text = _texts(nb)
    assert "Chỉ số coverage_5g: Tỷ lệ phủ sóng 5G trên địa bàn" in text
    assert (
        sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", [])) == 1
    )
    # Every observation of the indicator, each period, with its file, sheet and cell.
    observed = next(t for t in tables if "Ô" in t[0] and "Giá trị" in t[0])
    assert observed[2] == 4  # 2025-Q4 … 2026-Q3
    assert {"78%", "82%", "85%", "88%", "2026-Q3/kinh-te.xlsx", "Hạ tầng số", "D6"} <= set(
        observed[1]
    )
    assert "Đúng tiến độ" in text and "Tăng trưởng bình quân năm" in text  # verdict, reasons
    # The unit: its file, its rejected rows with the reason, what it owes.
    assert "Đơn vị: Phòng Kinh tế, Hạ tầng và Đô thị" in text
    assert "Dòng bị cách ly và lý do" in text and "không nhận ra chỉ tiêu" in text
    assert "strategic_tech_applications" in text  # the indicator it still owes
    # The task: its assignment (register cell D18) and its five reports over four periods.
    assert "Nhiệm vụ 3.2" in text and "D18" in text
    reports = next(t for t in tables if "Khó khăn, vướng mắc" in t[0] and "Quý IV/2025" in t[1])
    assert reports[2] == 5
    # Headless, the dropdowns are still built (ipywidgets is installed for the tests).
    assert any(
        "application/vnd.jupyter.widget-view+json" in o.get("data", {})
        for c in nb.cells
        for o in c.get("outputs", [])
    )


def test_explore_by_a_units_vietnamese_name(tmp_path, processed):
    nb = _run(
        "40-explore.ipynb", tmp_path / "40.ipynb", processed_dir=str(processed),
        unit="công an phường",
    )  # fmt: skip
    _check_readable(nb)
    assert "Đơn vị: Công an phường" in _texts(nb)


def test_explore_without_parameters_lists_the_choices(tmp_path, processed):
    nb = _run("40-explore.ipynb", tmp_path / "40.ipynb", processed_dir=str(processed))
    tables = _check_readable(nb)
    assert "Cách dùng" in _texts(nb)
    assert [t[2] for t in tables] == [52, 5, 51]  # indicators, the five units, tasks (Q3)
    assert "coverage_5g" in tables[0][1] and "Công an phường" in tables[1][1]


def test_explore_with_bad_values_says_so_and_names_the_nearest(tmp_path, processed):
    nb = _run(
        "40-explore.ipynb", tmp_path / "40.ipynb", processed_dir=str(processed),
        indicator="coverage5g", unit="Phòng Kinh tế", task="99.9",
    )  # fmt: skip
    text = _texts(nb)
    assert "Không có chỉ số “coverage5g” trong số liệu kỳ này. Có phải: coverage_5g" in text
    assert "Không có đơn vị “Phòng Kinh tế”" in text and "kinh_te (Phòng Kinh tế" in text
    assert "Không có nhiệm vụ “99.9”" in text
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]


def test_explore_is_committed_thin_and_without_outputs():
    cells = json.loads((config.NOTEBOOKS_DIR / "40-explore.ipynb").read_text("utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert len(code) == 3 and all(c["outputs"] == [] for c in code)
    params = papermill.inspect_notebook(str(config.NOTEBOOKS_DIR / "40-explore.ipynb"))
    assert {"project", "period", "processed_dir", "indicator", "unit", "task"} == set(params)
