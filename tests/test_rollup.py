"""The city's roll-up (`nq57 rollup`): two real-looking wards' exports in, the consolidated
briefing out, each ward's figures equal to its own report's page 1; malformed exports and
wards that have not sent listed with their reason, never dropped."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from example import run_example

from nq57lib.cli import main
from nq57lib.core.errors import ValidationError
from nq57lib.rollup import write as rollup_write
from nq57lib.rollup.city import load_city
from nq57lib.rollup.read import Received, WardExport, read_export, read_exports
from nq57lib.rollup.tables import shared_facts

PERIOD = "2026-Q3"
CITY = """\
city: thành phố Hải Phòng
letterhead:
  issuer: [ỦY BAN NHÂN DÂN, THÀNH PHỐ HẢI PHÒNG]
  place: Hải Phòng
  number: "Số: …/BC-UBND"
wards:
  - phường Hồng Bàng
  - xã Tân Lập
  - phường Lê Chân
"""


@pytest.fixture(scope="module")
def wards(tmp_path_factory, tan_lap):
    """Hồng Bàng's and Tân Lập's report folders of 2026-Q3 (each with its du-lieu/)."""
    root = tmp_path_factory.mktemp("hong-bang")
    run_example([PERIOD], processed_dir=root / "processed", reports_dir=root / "reports",
                formats=("html",), as_of="2026-10-15")  # fmt: skip
    tan_lap_folder, _blanks, _html = tan_lap
    return {
        "phường Hồng Bàng": root / "reports" / PERIOD,
        "xã Tân Lập": tan_lap_folder / "reports" / PERIOD,
    }


@pytest.fixture(scope="module")
def rolled(wards, tmp_path_factory):
    """The roll-up of the two wards (Tân Lập's export zipped, as it arrives by e-mail)."""
    root = tmp_path_factory.mktemp("rollup")
    archive = root / "tan-lap.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in (wards["xã Tân Lập"] / "du-lieu").iterdir():
            z.write(f, f"du-lieu/{f.name}")
    city = root / "city.yaml"
    city.write_text(CITY, encoding="utf-8")
    out = root / "out"
    argv = ["rollup", "--period", PERIOD, "--out", str(out), "--city", str(city),
            "--formats", "html,xlsx", "--as-of", "2026-10-20",
            str(wards["phường Hồng Bàng"]), str(archive)]  # fmt: skip
    assert main(argv) == 0
    html = (out / f"bao-cao-tong-hop-{PERIOD}.html").read_text(encoding="utf-8")
    return out, html


def _text(html: str) -> str:
    body = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", html, flags=re.S)
    body = re.sub(r"</?span[^>]*>", "", body)  # the spans that keep a number whole
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def _page1(html: str) -> dict[str, int]:
    """A ward's own page 1: its conclusion's counts."""
    text = _text(html)
    found = {"total": int(re.search(r"Kế hoạch có (\d+) chỉ tiêu", text).group(1))}
    for key, words in (("good", "chỉ tiêu đã đạt hoặc đúng tiến độ"),
                       ("slow", "chỉ tiêu cần đẩy nhanh hoặc chậm tiến độ"),
                       ("bad", "chỉ tiêu đi xuống hoặc quá hạn chưa đạt"),
                       ("unknown", "chỉ tiêu chưa có hoặc chưa đủ số liệu"),
                       ("later", "chỉ tiêu chưa đến kỳ đánh giá")):  # fmt: skip
        said = re.search(rf"(\d+) {words}", text)
        found[key] = int(said.group(1)) if said else 0
    tasks = re.search(r"Trong (\d+) nhiệm vụ đã phân công, (\d+) nhiệm vụ đã hoàn thành", text)
    found["assigned"], found["done"] = (int(g) for g in tasks.groups()) if tasks else (0, 0)
    late = re.search(r"(\d+) nhiệm vụ quá hạn chưa hoàn thành", text)
    found["overdue"] = int(late.group(1)) if late else 0
    return found


def _table_rows(html: str, heading: str) -> list[list[str]]:
    """The body rows of the first table after ``heading``, as cell texts."""
    after = html[html.index(heading) :]
    table = after[after.index("<tbody>") : after.index("</tbody>")]
    return [[_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)]  # fmt: skip


def test_each_wards_figures_are_its_own_reports(wards, rolled):
    _out, html = rolled
    by_ward = {row[1]: row for row in _table_rows(html, "2. Kết quả thực hiện chỉ tiêu")}
    tasks = {row[1]: row for row in _table_rows(html, "3. Nhiệm vụ theo phường, xã")}
    for name, folder in wards.items():
        own = _page1((folder / f"bao-cao-{PERIOD}.html").read_text(encoding="utf-8"))
        _tt, _name, cutoff, total, good, slow, bad, unknown, later = by_ward[name]
        assert cutoff == "30/09/2026"
        assert int(total) == own["total"]
        assert int(good.split()[0]) == own["good"]
        assert [int(slow), int(bad), int(unknown), int(later)] == [
            own["slow"], own["bad"], own["unknown"], own["later"]]  # fmt: skip
        row = tasks[name]
        done, overdue = int(row[3]) + int(row[4]), int(row[6])
        assert (done, overdue) == (own["done"], own["overdue"])


def test_the_two_wards_figures_as_written_by_hand(rolled):
    _out, html = rolled
    by_ward = {row[1]: row[3:] for row in _table_rows(html, "2. Kết quả thực hiện chỉ tiêu")}
    # Hồng Bàng's page 1 of 2026-Q3: 52 indicators, 19 on course (6 achieved), 1 slow,
    # 13 failing, 11 without figures, 8 not yet judged.
    assert by_ward["phường Hồng Bàng"] == ["52", "19 (6 đạt)", "1", "13", "11", "8"]
    assert by_ward["xã Tân Lập"] == ["12", "2 (2 đạt)", "0", "1", "9", "0"]
    tasks = {row[1]: row[2:7] for row in _table_rows(html, "3. Nhiệm vụ theo phường, xã")}
    # 34 dated tasks: 5 on time, 2 late, 22 open in time, 5 overdue (and 15 standing ones)
    assert tasks["phường Hồng Bàng"] == ["34", "5", "2", "22", "5"]
    assert tasks["Tổng cộng"] == ["34", "5", "2", "22", "5"]


def test_the_opening_says_who_sent_and_who_did_not(rolled):
    out, html = rolled
    text = _text(html)
    assert "SỐ LIỆU MINH HỌA" in text
    assert "THÀNH PHỐ HẢI PHÒNG" in text and "Hải Phòng, ngày 20 tháng 10 năm 2026" in text
    assert ("Quý III năm 2026, 2 phường, xã đã gửi số liệu trong tổng số 3 phường, xã của "
            "danh sách; 1 phường, xã chưa có số liệu kỳ này (mục 4).") in text  # fmt: skip
    missing = _table_rows(html, "4. Phường, xã chưa có số liệu")
    assert missing == [["phường Lê Chân", "Chưa gửi", "không nhận được bộ dữ liệu"]]
    # The workbook's sheets say the same; the stacked tables hold every ward's rows.
    book = openpyxl.load_workbook(out / f"bao-cao-tong-hop-{PERIOD}.xlsx", read_only=True)
    assert book.sheetnames == [
        "Chỉ tiêu chung",
        "Theo phường, xã",
        "Nhiệm vụ",
        "Chưa gửi, không tính",
        "Dữ liệu chỉ tiêu",
        "Dữ liệu nhiệm vụ",
    ]
    stacked = pd.read_csv(out / f"chi-tieu-{PERIOD}.csv", dtype=str, keep_default_na=False)
    assert stacked.groupby("ward_name").size().to_dict() == {
        "phường Hồng Bàng": 52, "xã Tân Lập": 12}  # fmt: skip


def test_a_shared_indicator_names_the_wards_furthest_behind(rolled):
    _out, html = rolled
    rows = {r[0]: r for r in _table_rows(html, "1. Các chỉ tiêu chung")}
    online = next(r for k, r in rows.items() if k.startswith("Tỷ lệ hồ sơ thủ tục hành chính"))
    assert "Mã NQ 03/NQ-CP: 11.1" in online[0]
    assert online[1:7] == ["2", "0", "0", "2", "0", "0"]
    # both failing; Tân Lập is further from its target (55% of 60%) than Hồng Bàng (89% of 90%)
    assert online[7] == ("xã Tân Lập: 55% (mục tiêu 2025: ≥ 60%); "
                         "phường Hồng Bàng: 89% (mục tiêu 2025: ≥ 90%)")  # fmt: skip


# ── the checks on what arrives ───────────────────────────────────────────────


@pytest.fixture
def export(wards, tmp_path):
    """A copy of Hồng Bàng's export to spoil."""
    copy = tmp_path / "du-lieu"
    shutil.copytree(wards["phường Hồng Bàng"] / "du-lieu", copy)
    return copy


def _edit_csv(path, change):
    """Rewrite the CSV at ``path`` with ``change(frame)``'s frame."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    change(frame).to_csv(path, index=False)


def test_a_good_export_is_trusted_with_its_numbers(export):
    got = read_export(export, PERIOD)
    assert isinstance(got, WardExport)
    assert (got.code, got.name, got.cutoff, got.illustrative) == (
        "phuong-hong-bang", "phường Hồng Bàng", date(2026, 9, 30), True)  # fmt: skip
    assert got.indicators.set_index("indicator_id").loc["coverage_5g", "value"] == 88.0


def test_every_problem_of_an_export_is_named_with_its_rows(export):
    def spoil(frame):
        frame.loc[2, "value"] = "tám mươi"
        frame.loc[4, "status"] = "tot"
        frame.loc[6, "indicator_id"] = frame.loc[5, "indicator_id"]
        return frame

    def dates_as_written(frame):
        frame.loc[0:4, "deadline"] = "31/12/2025"
        return frame

    _edit_csv(export / "chi-tieu.csv", spoil)
    _edit_csv(export / "nhiem-vu.csv", dates_as_written)
    got = read_export(export, PERIOD)
    assert got.kind == "malformed" and got.ward == "phường Hồng Bàng"
    assert list(got.reasons) == [
        "chi-tieu.csv: cột value không phải số ở dòng 4",
        "chi-tieu.csv: cột status có mã đánh giá không có trong danh mục ở dòng 6",
        "nhiem-vu.csv: cột deadline không phải ngày YYYY-MM-DD ở dòng 2, 3, 4 (và 2 dòng khác)",
        "chi-tieu.csv: indicator_id trùng ở dòng 8",
    ]


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (lambda d: (d / "nhiem-vu.csv").unlink(), "thiếu tệp nhiem-vu.csv"),
        (
            lambda d: (d / "datapackage.json").write_text("{", encoding="utf-8"),
            "datapackage.json không đọc được (Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1))",
        ),
        (
            lambda d: (d / "datapackage.json").write_text('{"name": "x"}', encoding="utf-8"),
            "datapackage.json không mô tả bảng nào (thiếu “resources”)",
        ),
        (
            lambda d: _edit_csv(d / "chi-tieu.csv", lambda f: f.drop(columns=["status"])),
            "chi-tieu.csv: thiếu cột status",
        ),
        (
            lambda d: (d / "chi-tieu.csv").write_bytes(b"\xff\xfe\x00x"),
            "chi-tieu.csv: không đọc được như bảng CSV UTF-8 ('utf-8' codec can't decode byte "
            "0xff in position 0: invalid start byte)",
        ),
    ],
    ids=["missing-table", "bad-json", "no-resources", "missing-column", "not-utf8"],
)
def test_a_malformed_export_is_refused_with_its_reason(export, spoil, reason):
    spoil(export)
    got = read_export(export, PERIOD)
    assert got.kind == "malformed"
    assert list(got.reasons) == [reason]


def test_an_export_of_another_period_is_kept_apart(export):
    _edit_csv(export / "chi-tieu.csv", lambda f: f.assign(period="2026-Q2"))
    _edit_csv(export / "nhiem-vu.csv", lambda f: f.assign(period="2026-Q2"))
    got = read_export(export, PERIOD)
    assert (got.kind, got.period) == ("other_period", "2026-Q2")
    assert got.reasons == ("bộ dữ liệu của kỳ 2026-Q2, không phải kỳ 2026-Q3",)


def test_zips_a_city_receives(export, tmp_path):
    flat = tmp_path / "flat.zip"
    with zipfile.ZipFile(flat, "w") as z:
        for f in export.iterdir():
            z.write(f, f.name)
    assert isinstance(read_export(flat, PERIOD), WardExport)
    (tmp_path / "not.zip").write_bytes(b"PK\x03\x04 broken")
    assert read_export(tmp_path / "not.zip", PERIOD).reasons[0].startswith(
        "không phải tệp zip đọc được")  # fmt: skip
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("ghi-chu.txt", "gửi kèm")
    assert read_export(empty, PERIOD).reasons == ("tệp zip không có datapackage.json",)


def test_a_ward_that_sent_twice_keeps_its_newest(export, tmp_path):
    older = tmp_path / "older"
    shutil.copytree(export, older)
    descriptor = json.loads((older / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["created"] = "2026-10-01T00:00:00Z"
    (older / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    received = read_exports([export, older], PERIOD)
    assert [w.source for w in received.wards] == [str(export)]
    assert [(x.source, x.kind) for x in received.refused] == [(str(older), "superseded")]


def test_the_roster_is_checked_whole(tmp_path):
    bad = tmp_path / "city.yaml"
    bad.write_text("city: ''\nletterhead: {issuer: UBND, place: HP}\n"
                   "wards: [phường A, Hồng Bàng, phường a]\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        load_city(bad)
    assert caught.value.problems == [
        "“city”: thiếu tên thành phố, tỉnh (ví dụ “thành phố Hải Phòng”)",
        "“letterhead.issuer”: các dòng tên cơ quan ban hành, mỗi dòng một mục",
        "“letterhead.number”: thiếu",
        "“wards” mục 2: “Hồng Bàng” phải bắt đầu bằng phường, xã hoặc đặc khu",
        "“wards” mục 3: “phường a” đã có ở trên (“phường A”)",
    ]
    assert main(["rollup", "--period", PERIOD, "--out", str(tmp_path / "o"), "--city",
                 str(bad), str(tmp_path)]) == 2  # fmt: skip


def test_a_failed_rollup_leaves_the_last_one_whole(wards, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = rollup_write.write_rollup([wards["phường Hồng Bàng"]], PERIOD, out, formats=("html",))
    before = first.written["html"].read_bytes()

    def fail(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rollup_write, "write_table_workbook", fail)
    with pytest.raises(OSError):
        rollup_write.write_rollup(list(wards.values()), PERIOD, out, formats=("html", "xlsx"))
    assert first.written["html"].read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == sorted(
        p.name for p in first.written.values())  # fmt: skip


# ── the consolidated facts, on exports written by hand ──────────────────────


def _ward(code, name, rows):
    columns = ["ward_code", "ward_name", "indicator_id", "national_code", "name", "unit",
               "kind", "comparator", "target", "value", "milestone_year", "status"]  # fmt: skip
    indicators = pd.DataFrame([[code, name, *r] for r in rows], columns=columns)
    return WardExport(code, name, PERIOD, date(2026, 9, 30), "", name, False, indicators,
                      pd.DataFrame(columns=["category", "status"]))  # fmt: skip


def test_the_shared_indicators_count_wards_and_rank_the_furthest_behind():
    row = ("dossiers_online", "11.1", "Tỷ lệ hồ sơ trực tuyến", "%", "level", ">=", 80.0)
    received = Received(PERIOD, (
        _ward("phuong-a", "phường A", [(*row, 70.0, "2025", "off_track")]),
        _ward("phuong-b", "phường B", [(*row, 40.0, "2025", "off_track")]),
        _ward("xa-c", "xã C", [(*row, 79.0, "2025", "overdue")]),
        _ward("xa-d", "xã D", [(*row, 85.0, "2025", "achieved"),
                               ("own_only", "", "Chỉ tiêu riêng", "count", "level", ">=", 3.0,
                                1.0, "2025", "off_track")]),
    ), ())  # fmt: skip
    facts = shared_facts(received)
    assert list(facts["indicator_id"]) == ["dossiers_online"]  # one ward alone is not shared
    f = facts.iloc[0]
    assert (f.wards, f.good, f.slow, f.bad) == (4, 1, 2, 1)
    # past its deadline first (the most urgent), then the largest gap to the target
    assert [b[0] for b in f.behind] == ["xã C", "phường B", "phường A"]


def test_the_illustrative_city_generator_makes_wards_and_a_roster(tmp_path):
    import importlib.util

    from nq57lib.core.project import Project
    from nq57lib.report.export import code_of

    script = Path(__file__).resolve().parent.parent / "scripts" / "make_illustrative_city.py"
    spec = importlib.util.spec_from_file_location("make_illustrative_city", script)
    city_script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(city_script)
    folders = city_script.generate(tmp_path, 2, seed=57)
    city = load_city(tmp_path / "city.yaml")
    # two wards made, three more on the roster: the wards that "have not sent"
    assert len(city.wards) == 5
    profiles = [Project.load(f).profile for f in folders]
    assert [code_of(p.ward) for p in profiles] == [f.name for f in folders]
    assert [p.ward for p in profiles] == list(city.wards[:2])
    for folder, profile in zip(folders, profiles, strict=True):
        plan = profile.plan_path.read_text(encoding="utf-8")
        assert "Hồng Bàng" not in plan and profile.name in plan
        assert profile.plan_number != "106/KH-UBND"
        assert sorted(p.name for p in (folder / "data" / "raw").iterdir()) == [
            "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "phan-cong", "plan"]  # fmt: skip
        book = openpyxl.load_workbook(folder / "data" / "raw" / "2026-Q3" / "cong-an.xlsx")
        cells = [c for row in book.active.iter_rows(max_row=6, values_only=True) for c in row]
        assert any("minh họa" in str(c).lower() for c in cells if c)
        assert any(f"PHƯỜNG {profile.name.upper()}" in str(c) for c in cells if c)


def test_two_different_sets_of_one_day_count_neither_until_a_newer_one(export, tmp_path):
    def copy(name, created, value=None):
        folder = tmp_path / name
        shutil.copytree(export, folder)
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        descriptor["created"] = created
        (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
        if value is not None:
            _edit_csv(folder / "chi-tieu.csv", lambda f: f.assign(value=f["value"].where(
                f["indicator_id"] != "coverage_5g", value)))  # fmt: skip
        return folder

    day = "2026-10-06T00:00:00Z"
    first, second, again = copy("a", day), copy("b", day, "90.0"), copy("c", day, "91.0")
    received = read_exports([first, second, again], PERIOD)
    assert received.wards == ()
    same_day = "hai bộ dữ liệu cùng ngày tạo, số liệu khác nhau: cần phường, xã xác nhận"
    assert [(x.source, x.kind, x.reasons) for x in received.refused] == [
        (str(p), "malformed", (same_day,)) for p in (first, second, again)]  # fmt: skip
    newer = copy("d", "2026-10-07T00:00:00Z", "92.0")
    received = read_exports([first, second, newer], PERIOD)
    assert [w.source for w in received.wards] == [str(newer)]
    assert received.wards[0].indicators.set_index("indicator_id").loc["coverage_5g", "value"] == 92
