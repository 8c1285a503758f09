"""What nq57 writes stays safe and bounded whatever the plan and the units send.

1. No formula injection: text from a plan or a unit is never a live formula in any XLSX
   nq57 writes, and a CSV text cell that Excel would run as a formula is neutralised (and
   read back whole by nq57).
2. A plan target outside its indicator's plausible range is a plan-check error, is never
   assessed, and the briefing says why it has no status.
3. The briefing's lists that grow with the input show at most ``ROWS_SHOWN`` rows, then
   say how many more and where they are.
4. A plan too large to be a plan is refused before it is parsed.

Every expected value is written by hand from the inputs built here.
"""

from __future__ import annotations

import dataclasses
import io
import math
import re
import shutil
import sys
import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pypdf
import pytest
import yaml
from example import EXAMPLE, example_registry

from nq57lib.assess.compare import compare_period
from nq57lib.assess.status import assess
from nq57lib.assess.verdicts import verdicts
from nq57lib.collect.ingest import clean_period
from nq57lib.collect.task_templates import write_register_template
from nq57lib.collect.template import write_templates
from nq57lib.collect.units import load_reporting_units
from nq57lib.core import config, processed
from nq57lib.core.atomic import write_csv_atomic
from nq57lib.core.errors import PlanParseError
from nq57lib.core.periods import Period
from nq57lib.core.processed import read_observations, read_table
from nq57lib.core.schema import OBSERVATION_COLUMNS, TASK_REPORT_COLUMNS
from nq57lib.core.workbooks import put
from nq57lib.plan.catalogue import build_catalogue, write_targets
from nq57lib.plan.checks import check_plan
from nq57lib.plan.figures import find_figures, number
from nq57lib.plan.tasks import build_task_catalogue, write_tasks
from nq57lib.plan.text import read_plan_lines
from nq57lib.report import annexes, briefing

PERIOD = "2026-Q3"
HYPERLINK = '=HYPERLINK("http://evil.example","Bấm vào đây")'
CALC = "=cmd|' /C calc'!A0"
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"
PLUS = "+1+cmd|' /C calc'!A0"


# ── a run built from hostile text ───────────────────────────────────────────


def _hostile_plan(folder: Path) -> Path:
    """The shipped plan with a target and a task whose words start like formulas."""
    text = EXAMPLE.plan_path.read_text(encoding="utf-8")
    edits = {
        "- Tiếp tục đẩy mạnh ứng dụng thương mại điện tử.":
        "- Tiếp tục đẩy mạnh ứng dụng thương mại điện tử.\n\n"
        f"- {HYPERLINK} có 50% hộ gia đình dùng điện mặt trời áp mái.",
        "1.1. Thành lập, kiện toàn": f"1.1. {CALC} Thành lập, kiện toàn",
    }  # fmt: skip
    for old, new in edits.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = folder / "ke-hoach.md"
    path.write_text(text, encoding="utf-8")
    return path


def _hostile_raw(folder: Path) -> Path:
    """The shipped 2026-Q3 workbooks and register; the office's notes start like formulas."""
    raw = folder / "raw"
    shutil.copytree(EXAMPLE.raw_dir / PERIOD, raw / PERIOD)
    shutil.copytree(EXAMPLE.raw_dir / config.REGISTER_DIR, raw / config.REGISTER_DIR)
    book = raw / PERIOD / "van-phong.xlsx"
    workbook = openpyxl.load_workbook(book)
    # "Chi tieu VP": the note (column E) of officials_digital_mastery, row 6.
    put(workbook["Chi tieu VP"], 6, 5, CALC)
    # "NV 106": task 1.3 (row 4): its result, difficulties and proposals (columns E, F, G).
    tasks = workbook["NV 106"]
    assert tasks.cell(row=4, column=1).value == "1.3"
    put(tasks, 4, 5, PLUS)
    put(tasks, 4, 6, HYPERLINK)
    put(tasks, 4, 7, DDE)
    workbook.save(book)
    return raw


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Every output of a quarter built from the hostile plan, workbooks and unit names."""
    root = tmp_path_factory.mktemp("hostile")
    plan = _hostile_plan(root)
    raw = _hostile_raw(root)
    processed = root / "processed"
    clean_period(EXAMPLE.with_paths(raw_dir=raw, processed_dir=processed, plan_path=plan), PERIOD)
    compare_period(EXAMPLE.with_paths(processed_dir=processed, plan_path=plan), PERIOD)

    out = root / "out"
    catalogue = build_catalogue(plan, example_registry())
    write_targets(catalogue, out / "targets.xlsx")
    write_targets(catalogue, out / "targets.csv")
    tasks = build_task_catalogue(plan)
    write_tasks(tasks, out / "tasks.xlsx")
    write_tasks(tasks, out / "tasks.csv")
    # A unit whose name starts like a formula (the units file is the analyst's to edit).
    units_file = root / "reporting_units.yaml"
    document = yaml.safe_load(EXAMPLE.units_path.read_text(encoding="utf-8"))
    document["units"][0]["name_vi"] = HYPERLINK
    units_file.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    registry = build_catalogue(plan, example_registry()).indicators
    units = load_reporting_units(units_file, registry)
    project = EXAMPLE.with_paths(raw_dir=raw, plan_path=plan)
    write_templates(project, PERIOD, out / "bieu-mau", registry=registry, units=units)
    write_register_template(tasks, units, out / "phan-cong")
    return {"root": root, "plan": plan, "processed": processed, "out": out}


def _xlsx_outputs(hostile) -> list[Path]:
    return sorted([*hostile["out"].rglob("*.xlsx"), *hostile["processed"].rglob("*.xlsx")])


def test_plan_text_that_looks_like_a_formula_stays_text_in_targets_xlsx(hostile):
    workbook = openpyxl.load_workbook(hostile["out"] / "targets.xlsx")
    cells = [c for ws in workbook for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]  # fmt: skip
    # The target's own words (column "Nội dung trong kế hoạch") and its provisional
    # indicator's name (column "Tên chỉ số").
    assert [(c.parent.title, c.column_letter, c.data_type) for c in cells] == [
        ("Năm 2030", "C", "s"),
        ("Năm 2030", "N", "s"),
    ]
    assert cells[1].value == f"{HYPERLINK} có 50% hộ gia đình dùng điện mặt trời áp mái"


def test_no_xlsx_that_nq57_writes_holds_a_formula(hostile):
    # nq57 writes no formula on purpose: its data validations (lists, number ranges,
    # DATE(…) bounds) are rules of a sheet, not cell contents.
    files = _xlsx_outputs(hostile)
    assert [p.relative_to(hostile["root"]).as_posix() for p in files] == [
        "out/bieu-mau/cong-an-2026-Q3.xlsx",
        "out/bieu-mau/kinh-te-2026-Q3.xlsx",
        "out/bieu-mau/mot-cua-2026-Q3.xlsx",
        "out/bieu-mau/van-hoa-xa-hoi-2026-Q3.xlsx",
        "out/bieu-mau/van-phong-2026-Q3.xlsx",
        "out/phan-cong/phan-cong-nhiem-vu.xlsx",
        "out/targets.xlsx",
        "out/tasks.xlsx",
        "processed/2026-Q3/status.xlsx",
    ]
    formulas, hostile_text = [], set()
    for path in files:
        for ws in openpyxl.load_workbook(path):
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        formulas.append(f"{path.name}!{ws.title}!{cell.coordinate}")
                    text = cell.value
                    if isinstance(text, str) and len(text) > 1 and text[0] in "=+@":
                        hostile_text.add((path.name, text[:10]))
    assert formulas == []
    # The hostile words did reach these files, as text.
    assert hostile_text == {
        ("cong-an-2026-Q3.xlsx", "=HYPERLINK"),  # the provisional indicator's name
        ("phan-cong-nhiem-vu.xlsx", "=cmd|' /C "),  # task 1.1's text
        ("phan-cong-nhiem-vu.xlsx", "=HYPERLINK"),  # the unit's name, "Đơn vị" sheet
        ("targets.xlsx", "=HYPERLINK"),
        ("tasks.xlsx", "=cmd|' /C "),
        # Task 1.1 in the "Nhiệm vụ" sheet of the unit that leads it and of the one helping.
        ("van-hoa-xa-hoi-2026-Q3.xlsx", "=cmd|' /C "),
        ("van-phong-2026-Q3.xlsx", "=cmd|' /C "),
        ("status.xlsx", "=HYPERLINK"),  # the indicator's name; the unit's difficulties
        ("status.xlsx", "=cmd|' /C "),  # task 1.1's text
        ("status.xlsx", "@SUM(1+1)*"),  # the unit's proposal
    }


# ── CSV: neutralised on write, whole on read ────────────────────────────────

CSV_TEXTS = [
    CALC,
    "+1+2",
    "-2+3",
    DDE,
    "\tTab",
    "\rCR",
    "-5",
    "=",
    "-",
    "'=already quoted",
    "'plain",
    "plain, with comma",
    "",
]


def test_csv_text_cells_that_start_a_formula_are_neutralised(tmp_path):
    frame = pd.DataFrame(
        {"note": CSV_TEXTS, "value": [-5.0, 1.5, -0.25, 3, 4, 5, 6, 7, 8, 9, 10, 11, None]}
    )
    out = write_csv_atomic(frame, tmp_path / "notes.csv")
    assert out.read_bytes().decode("utf-8") == (
        "note,value\n"
        "\"'=cmd|' /C calc'!A0\",-5.0\n"
        '"\'+1+2",1.5\n'
        '"\'-2+3",-0.25\n'
        "\"'@SUM(1+1)*cmd|' /C calc'!A0\",3.0\n"
        '"\'\tTab",4.0\n'
        '"\'\rCR",5.0\n'
        "-5,6.0\n"  # a plain number as text: Excel reads the number, not a formula
        "=,7.0\n"  # one sign alone (the comparator "=") can hold no formula
        "-,8.0\n"
        "\"''=already quoted\",9.0\n"  # one more quote, so that reading removes one
        "'plain,10.0\n"
        '"plain, with comma",11.0\n'
        ",\n"
    )


def test_csv_round_trip_gives_the_original_text(tmp_path):
    frame = pd.DataFrame({"note": CSV_TEXTS, "n": range(len(CSV_TEXTS))})
    path = write_csv_atomic(frame, tmp_path / "notes.csv")
    assert read_table(path, ["note", "n"])["note"].tolist() == CSV_TEXTS
    back = processed.read_csv(path, keep_default_na=False)
    assert back["note"].tolist() == CSV_TEXTS
    assert back["n"].tolist() == list(range(len(CSV_TEXTS)))


def test_numbers_are_never_touched(tmp_path):
    frame = pd.DataFrame({"value": [-5.0, 2.5], "count": [-3, 4], "flag": [True, False]})
    path = write_csv_atomic(frame, tmp_path / "numbers.csv")
    assert path.read_text(encoding="utf-8") == "value,count,flag\n-5.0,-3,True\n2.5,4,False\n"
    back = processed.read_csv(path)
    assert back["value"].tolist() == [-5.0, 2.5] and back["count"].tolist() == [-3, 4]


def test_unit_notes_are_neutralised_in_processed_csv_and_read_back_whole(hostile):
    folder = hostile["processed"] / PERIOD
    written = (folder / "observations.csv").read_text(encoding="utf-8")
    # Cleaning adds its own mark to the unit's note; the cell starts with the unit's words.
    assert "\"'=cmd|' /C calc'!A0 · [nq57] Số liệu minh họa\"" in written
    reports = (folder / "task_reports.csv").read_text(encoding="utf-8")
    assert f'"\'{HYPERLINK.replace(chr(34), chr(34) * 2)}"' in reports
    observations = read_observations(hostile["processed"], [Period.parse(PERIOD)])
    mine = observations[observations["indicator_id"] == "officials_digital_mastery"]
    assert mine["note"].str.startswith(CALC).tolist() == [True]
    task_reports = read_table(folder / "task_reports.csv", TASK_REPORT_COLUMNS)
    row = task_reports[(task_reports["task_id"] == "1.3")].iloc[0]
    assert (row["result"], row["difficulties"], row["proposals"]) == (PLUS, HYPERLINK, DDE)
    # The target catalogue's CSV: the plan's words, neutralised.
    targets = (hostile["out"] / "targets.csv").read_text(encoding="utf-8")
    assert '"\'=HYPERLINK(""http://evil.example"",""Bấm vào đây"") có 50%' in targets
    tasks = (hostile["out"] / "tasks.csv").read_text(encoding="utf-8")
    assert "\"'=cmd|' /C calc'!A0 Thành lập" in tasks


def test_the_briefing_shows_the_units_words_without_the_guard(hostile):
    project = EXAMPLE.with_paths(processed_dir=hostile["processed"], plan_path=hostile["plan"])
    data = briefing.load_briefing_data(project, PERIOD, report_date=date(2026, 10, 15))
    html = briefing.shortcomings(data).data + briefing.proposals(data).data
    assert "“=HYPERLINK(&quot;http://evil.example&quot;,&quot;Bấm vào đây&quot;)”" in html
    assert "“@SUM(1+1)*cmd|&#x27; /C calc&#x27;!A0”" in html
    assert "&#x27;=HYPERLINK" not in html and "&#x27;@SUM" not in html


def test_csv_rule_is_documented():
    text = (config.CHECKOUT_DIR / "docs" / "reliability.md").read_text(encoding="utf-8")
    assert text.startswith("# Reliability\n")
    assert "## No formula injection" in text


# ── plausibility of the plan's targets ──────────────────────────────────────

IMPLAUSIBLE_PLAN = (
    "2. Mục tiêu cụ thể\n\n"
    "2.1. Đến hết năm 2030\n\n"
    "e) Chuyển đổi số\n\n"
    "- Có $\\geq 150\\%$ người dân có tài khoản định danh điện tử (VNeID).\n\n"
    "- " + "9" * 400 + "% hồ sơ thủ tục hành chính xử lý trực tuyến.\n\n"
    "2.2. Đến hết năm 2035\n\n"
    "e) Chuyển đổi số\n\n"
    "- Phấn đấu 100% người dân có tài khoản định danh điện tử.\n"
)


def _implausible(tmp_path: Path):
    path = tmp_path / "plan.md"
    path.write_text(IMPLAUSIBLE_PLAN, encoding="utf-8")
    return path, build_catalogue(path, example_registry())


def test_a_400_digit_number_is_a_finite_figure():
    assert number("9" * 400) == sys.float_info.max
    assert number("1.000,5") == 1000.5 and number("3,5") == 3.5
    (figure,) = find_figures("đạt " + "1" * 400 + "%")
    assert math.isfinite(figure.value) and figure.unit == "%"


def test_implausible_targets_are_plan_check_errors(tmp_path):
    _, catalogue = _implausible(tmp_path)
    findings = check_plan(catalogue)
    found = findings[findings["check"] == "implausible_target"]
    assert found[["severity", "source_line", "indicator_id"]].values.tolist() == [
        ["error", 7, "vneid_residents"],
        ["error", 9, "dossiers_online"],
    ]
    assert found["message"].tolist() == [
        "Mục tiêu ≥ 150% nằm ngoài khoảng hợp lý của chỉ số (0–100%): chỉ tiêu không được "
        "dùng để đánh giá, cần sửa lại kế hoạch: “Có ≥ 150% người dân có tài khoản định danh "
        "điện tử (VNeID)”",
        "Mục tiêu là một số quá lớn, nằm ngoài khoảng hợp lý của chỉ số (0–100%): chỉ tiêu "
        "không được dùng để đánh giá, cần sửa lại kế hoạch: “" + "9" * 400 + "% hồ sơ thủ tục "
        "hành chính xử lý trực tuyến”",
    ]


def test_a_count_above_the_registrys_max_is_set_aside(tmp_path):
    registry_text = config.SHIPPED_REGISTRY_PATH.read_text(encoding="utf-8")
    old = "    match: [[sang kien cap co so]]\n"
    assert registry_text.count(old) == 1
    registry_path = tmp_path / "indicators.yaml"
    registry_path.write_text(registry_text.replace(old, old + "    max: 500\n"), encoding="utf-8")
    plan = tmp_path / "plan.md"
    plan.write_text(
        "2. Mục tiêu cụ thể\n\n2.1. Đến hết năm 2030\n\nc) Phát triển khoa học, công nghệ\n\n"
        "- Có 600 sáng kiến cấp cơ sở về khoa học, công nghệ.\n\n"
        "- Có 400 sáng kiến cấp cơ sở về khoa học, công nghệ được ứng dụng.\n",
        encoding="utf-8",
    )
    from nq57lib.plan.registry import load_registry

    catalogue = build_catalogue(plan, load_registry(registry_path, EXAMPLE.areas))
    assert catalogue.targets["set_aside"].tolist() == [
        "mục tiêu 600 nằm ngoài khoảng hợp lý của chỉ số (0–500)",
        "",
    ]


def test_implausible_targets_never_reach_the_assessment(tmp_path):
    _, catalogue = _implausible(tmp_path)
    assert catalogue.targets["set_aside"].tolist() == [
        "mục tiêu ≥ 150% nằm ngoài khoảng hợp lý của chỉ số (0–100%)",
        "mục tiêu là một số quá lớn, nằm ngoài khoảng hợp lý của chỉ số (0–100%)",
        "",
    ]
    # The ids stay those of the plan's targets: set aside is not dropped.
    assert catalogue.targets["target_id"].tolist() == [
        "2030-vneid_residents", "2030-dossiers_online", "2035-vneid_residents",
    ]  # fmt: skip
    # `nq57 indicators` shows the milestone path with the target marked.
    paths = catalogue.series().set_index("indicator_id")["path"]
    assert paths["vneid_residents"] == "2030: ≥ 150% (không đánh giá) → 2035: 100% (phấn đấu)"
    observations = pd.DataFrame(columns=list(OBSERVATION_COLUMNS))
    status = assess(catalogue.targets, observations, PERIOD, catalogue.indicators)
    # VNeID is judged against its 2035 milestone only; the online dossiers have no target left.
    assert status[["indicator_id", "milestone_year"]].values.tolist() == [["vneid_residents", 2035]]
    # Even a catalogue read back from its CSV (no set_aside column) is checked again.
    bare = catalogue.targets.drop(columns="set_aside")
    again = assess(bare, observations, PERIOD, catalogue.indicators)
    assert again[["indicator_id", "milestone_year"]].values.tolist() == [["vneid_residents", 2035]]


def test_the_briefing_says_why_a_target_has_no_status(tmp_path, briefing_processed):
    plan, _ = _implausible(tmp_path)
    project = EXAMPLE.with_paths(processed_dir=briefing_processed, plan_path=plan)
    data = briefing.load_briefing_data(project, PERIOD, report_date=date(2026, 10, 5))
    html = briefing.data_quality_section(data).data
    assert "<h3>7. Chỉ tiêu của Kế hoạch không dùng để đánh giá</h3>" in html
    assert (
        '<td>Có ≥ 150% người dân có tài khoản định danh điện tử (VNeID)</td><td class="nw">'
        "2030</td><td>Mục tiêu ≥ 150% nằm ngoài khoảng hợp lý của chỉ số (0–100%)</td>"
    ) in html
    # The plan's line, in the last column.
    assert '(0–100%)</td><td class="nw">7</td></tr>' in html


def test_the_shipped_plan_sets_nothing_aside():
    catalogue = build_catalogue(EXAMPLE.plan_path, example_registry())
    assert (catalogue.targets["set_aside"] == "").all()


# ── bounded report size ─────────────────────────────────────────────────────

FLOOD = 5000


def _flood(folder: Path) -> None:
    """5,000 rows in every list of 2026-Q3 that grows with what the units send."""
    q3 = folder / PERIOD
    n = range(1, FLOOD + 1)
    pd.DataFrame({
        "source_file": [f"2026-Q3/don-vi-{i}.xlsx" for i in n], "source_sheet": "Bieu",
        "source_row": list(n), "reason": "Giá trị không phải là số", "raw": "abc",
    }).to_csv(q3 / "quarantine.csv", index=False)  # fmt: skip
    pd.DataFrame({
        "period": PERIOD, "indicator_id": "vneid_residents", "reported_by": "cong_an",
        "note": [f"Chưa tổng hợp xong, lần {i}" for i in n], "source_file": "2026-Q3/ca.xlsx",
        "source_sheet": "VNeID", "source_cell": [f"E{i}" for i in n],
    }).to_csv(q3 / "remarks.csv", index=False)  # fmt: skip
    pd.DataFrame({
        "source_file": [f"2026-Q3/don-vi-{i}.xlsx" for i in n], "reported_by": "cong_an",
        "unit_name": "Công an phường", "file_status": "ok", "sheets": "VNeID", "rows_read": 1,
        "accepted": 1, "quarantined": 0, "blank": 0, "illustrative": True, "message": "",
    }).to_csv(q3 / "quality.csv", index=False)  # fmt: skip
    pd.DataFrame({
        "unit": [f"u{i}" for i in n], "unit_name": [f"Đơn vị {i}" for i in n], "files": "",
        "expected": 2, "received": 1, "missing_count": 1, "missing": "vneid_residents",
        "quarantined_only": "",
    }).to_csv(q3 / "submissions.csv", index=False)  # fmt: skip
    pd.DataFrame({
        "period": PERIOD, "task_id": "3.2", "reported_by": "kinh_te", "role": "lead",
        "state": "in_progress", "completed_on": "", "result": "",
        "difficulties": [f"Khó khăn số {i}" for i in n],
        "proposals": [f"Kiến nghị số {i}" for i in n], "source_file": "2026-Q3/kinh-te.xlsx",
        "source_sheet": "Nhiem vu", "source_cell": [f"D{i}" for i in n], "note": "",
    }).to_csv(q3 / "task_reports.csv", index=False)  # fmt: skip
    tasks = pd.read_csv(q3 / "task_status.csv", dtype=str, keep_default_na=False)
    model = tasks.iloc[0]
    late = pd.DataFrame([model] * FLOOD).assign(
        task_id=[f"L.{i}" for i in n], status="in_progress_overdue", category="open_overdue",
        deadline="2026-06-30", recurring="", lead_unit="kinh_te", text="Nhiệm vụ thêm",
    )  # fmt: skip
    due = late.assign(task_id=[f"D.{i}" for i in n], status="in_progress",
                      category="open_in_time", deadline="2026-11-30")  # fmt: skip
    pd.concat([tasks, late, due]).to_csv(q3 / "task_status.csv", index=False)


@pytest.fixture(scope="module")
def flooded(briefing_processed, tmp_path_factory):
    folder = tmp_path_factory.mktemp("flooded") / "processed"
    shutil.copytree(briefing_processed, folder)
    _flood(folder)
    return briefing.load_briefing_data(
        EXAMPLE.with_paths(processed_dir=folder), PERIOD, report_date=date(2026, 10, 5)
    )


def _sections(html: str) -> dict[str, str]:
    """Each <h3> title → the HTML up to the next one."""
    parts = re.split(r"<h3>(.*?)</h3>", html)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _rows(html: str) -> int:
    """Body rows of the tables in ``html`` (the header row is in <thead>)."""
    return html.count("<tr>") - html.count("<thead><tr>")


def test_flooded_annex_lists_show_25_rows_and_point_to_the_rest(flooded):
    assert len(flooded.quarantine) == FLOOD and len(flooded.remarks) == FLOOD
    html = briefing.data_quality_section(flooded).data
    sections = _sections(html)
    assert {title: _rows(body) for title, body in sections.items()} == {
        "1. Tệp số liệu đã tiếp nhận": 25,
        "2. Báo cáo còn thiếu": 25,
        "3. Lý do đơn vị để trống số liệu": 25,
        "4. Số liệu được hệ thống diễn giải (*)": 0,  # the fixture has none
        "5. Dòng số liệu bị cách ly": 25,
        "6. Nhận định của cán bộ tổng hợp": 0,
    }
    more = "… và 4.975 dòng khác: xem "
    assert more + "tệp quality.csv của kỳ." in sections["1. Tệp số liệu đã tiếp nhận"]
    assert more + "tệp submissions.csv của kỳ." in sections["2. Báo cáo còn thiếu"]
    assert more + "tệp remarks.csv của từng kỳ." in sections["3. Lý do đơn vị để trống số liệu"]
    assert more + "tệp quarantine.csv của kỳ." in sections["5. Dòng số liệu bị cách ly"]
    assert "5.000 dòng cần đơn vị kiểm tra lại." in sections["5. Dòng số liệu bị cách ly"]
    # 5,000 rows of each list would take megabytes; 125 rows take tens of kilobytes.
    assert len(html) < 80_000


def test_flooded_missing_data_and_interpreted_lists_show_25_rows(flooded):
    one = flooded.status.iloc[[0]]
    status = pd.concat([one] * FLOOD, ignore_index=True).assign(
        indicator_id=[f"chi_so_{i}" for i in range(FLOOD)],
        name_vi=[f"Chỉ tiêu {i}" for i in range(FLOOD)],
        value=50.0, value_period="2026-Q2", kind="level", unit="%",
    )  # fmt: skip
    data = dataclasses.replace(
        flooded, status=status, verdicts=verdicts(status, "2026-Q3"), submissions=pd.DataFrame()
    )
    sections = _sections(annexes.data_quality_section(data).data)
    owing = sections["2. Báo cáo còn thiếu"]
    assert _rows(owing) == 25
    assert (
        "… và 4.975 dòng khác: xem phụ lục Excel (phu-luc-2026-Q3.xlsx), trang “Tình trạng”."
        in owing
    )
    # Every row reads an older period's figure: each is an interpreted reading.
    read = sections["4. Số liệu được hệ thống diễn giải (*)"]
    assert _rows(read) == 25
    assert (
        "… và 4.975 dòng khác: xem tệp observations.csv của các kỳ (cột note) và phụ lục Excel "
        "(phu-luc-2026-Q3.xlsx), trang “Tình trạng”." in read
    )


def test_flooded_leader_lists_show_25_rows_without_file_names(flooded):
    shortcomings = _sections(briefing.shortcomings(flooded).data)
    late = shortcomings["2. Nhiệm vụ quá hạn"]
    assert _rows(late) == 25
    # 5,000 added and the fixture's 3.2 and 8.2.
    assert "… và 4.977 nhiệm vụ khác: xem phụ lục Excel kèm theo, trang “Nhiệm vụ”." in late
    voices = shortcomings["4. Khó khăn, vướng mắc các đơn vị nêu"]
    assert voices.count("<li>") == 25
    assert (
        "… và 4.975 ý kiến khác: xem phụ lục Excel kèm theo, trang “Khó khăn, kiến nghị”." in voices
    )
    proposals = briefing.proposals(flooded).data
    assert proposals.count("<li><strong>") == 25
    assert "… và 4.975 ý kiến khác: xem phụ lục Excel kèm theo" in proposals
    directions = briefing.directions(flooded).data
    assert _rows(directions) == 25
    # 5,000 added and the fixture's 9.2 (due 31/12/2026).
    assert "… và 4.976 nhiệm vụ khác: xem phụ lục Excel kèm theo, trang “Nhiệm vụ”." in directions
    leader = briefing.shortcomings(flooded).data + proposals + directions
    assert ".xlsx" not in leader and ".csv" not in leader
    without_charts = re.sub(r'src="data:image/png;base64,[^"]*"', "", leader)
    assert len(without_charts) < 60_000


# ── plan size caps ──────────────────────────────────────────────────────────


def _refusal(path: Path) -> str:
    with pytest.raises(PlanParseError) as caught:
        read_plan_lines(path)
    return caught.value.problem


def test_the_caps_are_constants_of_the_configuration():
    assert config.MAX_PLAN_FILE_BYTES == 20 * 1024 * 1024
    assert config.MAX_PLAN_TEXT_BYTES == 5 * 1024 * 1024
    assert config.MAX_PLAN_LINES == 50_000
    assert config.MAX_PLAN_DOCX_XML_BYTES == 50 * 1024 * 1024
    assert config.MAX_PLAN_PDF_PAGES == 500


def test_a_text_plan_over_5_mb_is_refused_before_parsing(tmp_path):
    path = tmp_path / "plan.md"
    path.write_bytes(b"a" * (5 * 1024 * 1024 + 1))
    assert _refusal(path) == (
        "too large for a plan: 5.242.881 bytes of text, more than the 5.242.880 nq57 reads "
        "(kế hoạch quá lớn — is this the plan file?)"
    )
    with pytest.raises(PlanParseError, match="too large for a plan"):
        build_catalogue(path, example_registry())


def test_a_plan_of_too_many_lines_is_refused(tmp_path, monkeypatch):
    # 644 line breaks, and a last line without one.
    monkeypatch.setattr(config, "MAX_PLAN_LINES", 600)
    assert _refusal(EXAMPLE.plan_path) == (
        "too large for a plan: 645 lines, more than the 600 nq57 reads "
        "(kế hoạch quá lớn — is this the plan file?)"
    )


def test_a_file_over_the_file_cap_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "MAX_PLAN_FILE_BYTES", 1000)
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"0" * 1000)
    assert _refusal(path) == (
        "too large for a plan: a file of 1.009 bytes, more than the 1.000 nq57 reads "
        "(kế hoạch quá lớn — is this the plan file?)"
    )


def _docx(path: Path, paragraphs: int) -> Path:
    document = docx.Document()
    for n in range(paragraphs):
        document.add_paragraph(f"Đoạn văn số {n} của kế hoạch.")
    document.save(path)
    return path


def _xml_bytes(path: Path) -> int:
    """Every part of the archive, unpacked: a part counts whatever its name."""
    with zipfile.ZipFile(path) as archive:
        return sum(i.file_size for i in archive.infolist())


def test_a_docx_whose_xml_unpacks_too_large_is_refused(tmp_path, monkeypatch):
    small = _docx(tmp_path / "small.docx", 10)
    large = _docx(tmp_path / "large.docx", 3000)
    cap = (_xml_bytes(small) + _xml_bytes(large)) // 2
    monkeypatch.setattr(config, "MAX_PLAN_DOCX_XML_BYTES", cap)
    assert read_plan_lines(small)[:1] == ["Đoạn văn số 0 của kế hoạch."]
    size, most = (f"{v:,}".replace(",", ".") for v in (_xml_bytes(large), cap))
    assert _refusal(large) == (
        f"too large for a plan: the Word file unpacks to {size} bytes, more than the "
        f"{most} nq57 reads "
        "(kế hoạch quá lớn — is this the plan file?)"
    )


def test_the_text_of_a_docx_counts_against_the_text_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "MAX_PLAN_TEXT_BYTES", 100)
    problem = _refusal(_docx(tmp_path / "plan.docx", 10))
    assert problem.startswith("too large for a plan: ")
    assert problem.endswith(
        " bytes of text, more than the 100 nq57 reads (kế hoạch quá lớn — is this the plan file?)"
    )


def test_a_zip_bomb_docx_is_refused_from_its_declared_sizes(tmp_path):
    # 60 MB of XML compress to a few dozen kilobytes; the cap is read from the archive's
    # directory, before anything is unpacked.
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", " " * (60 * 1024 * 1024))
    assert path.stat().st_size < 200_000
    assert _refusal(path) == (
        "too large for a plan: the Word file unpacks to 62.914.568 bytes, more than the "
        "52.428.800 nq57 reads (kế hoạch quá lớn — is this the plan file?)"
    )


def test_a_pdf_of_too_many_pages_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "MAX_PLAN_PDF_PAGES", 2)
    writer = pypdf.PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "plan.pdf"
    path.write_bytes(buffer.getvalue())
    assert _refusal(path) == (
        "too large for a plan: 3 pages, more than the 2 nq57 reads "
        "(kế hoạch quá lớn — is this the plan file?)"
    )
