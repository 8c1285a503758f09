"""The ward profile (ward.yaml), the plan header reader, project folders and `nq57 init`.

Expected values are written by hand from the shipped ward.yaml, the Hồng Bàng plan
(data/raw/plan/) and the invented plan of xã Tân Lập (tests/fixtures/ward2/).
"""

from __future__ import annotations

import csv
import dataclasses
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from example import EXAMPLE, example_registry

from nq57lib.cli import main
from nq57lib.core import config
from nq57lib.core.errors import PlanParseError, ProfileError, RegistryError
from nq57lib.core.profile import citation_date, load_profile
from nq57lib.core.project import Project
from nq57lib.plan.header import parse_plan_header, read_plan_header
from nq57lib.plan.registry import load_registry
from nq57lib.run.project import init_project

REPO = Path(__file__).resolve().parent.parent
HONG_BANG_PLAN = REPO / "data" / "raw" / "plan" / "ke-hoach-106-KH-UBND-2025-hong-bang.md"
TAN_LAP_PLAN = Path(__file__).parent / "fixtures" / "ward2" / "ke-hoach-45-KH-UBND-2025-tan-lap.md"
SUBJECT_57 = (
    "thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển "
    "khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"
)
AREA_NAMES = {
    "a": "Phát triển hạ tầng",
    "b": "Phát triển nguồn lực",
    "c": "Phát triển khoa học, công nghệ",
    "d": "Phát triển hệ sinh thái đổi mới sáng tạo",
    "e": "Phát triển chuyển đổi số",
}


@pytest.fixture
def restore_project(monkeypatch):
    """No $NQ57_ROOT of the machine's reaches a test that finds its project."""
    monkeypatch.delenv(config.ROOT_ENV, raising=False)


def _profile_text(**changes: str) -> str:
    """A valid ward.yaml (plan file: plan.md beside it), with whole lines replaced."""
    lines = {
        "name": "  name: Tân Lập",
        "level": "  level: xã",
        "province": "  province: tỉnh Phú Thọ",
        "issuer": "  issuer: [ỦY BAN NHÂN DÂN, XÃ TÂN LẬP]",
        "place": "  place: Tân Lập",
        "number_line": '  number: "Số: …/BC-UBND"',
        "number": "  number: 45/KH-UBND",
        "date": "  date: 2025-08-12",
        "subject": "  subject: về thực hiện Nghị quyết số 57-NQ/TW",
        "plan_path": "  plan: plan.md",
    }
    lines.update(changes)
    return "\n".join(
        [
            "ward:", lines["name"], lines["level"], lines["province"],
            "letterhead:", lines["issuer"], lines["place"], lines["number_line"],
            "plan:", lines["number"], lines["date"], lines["subject"],
            "signer:", "  on_behalf: TM. ỦY BAN NHÂN DÂN", "  title: CHỦ TỊCH",
            "recipients:", "  - Thường trực Đảng ủy xã;", '  - "Lưu: VT."',
            "areas:", *(f"  {k}: {v}" for k, v in AREA_NAMES.items()),
            "paths:", lines["plan_path"], "",
        ]
    )  # fmt: skip


def _write_profile(folder: Path, **changes: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plan.md").write_text("KẾ HOẠCH\n", encoding="utf-8")
    path = folder / "ward.yaml"
    path.write_text(_profile_text(**changes), encoding="utf-8")
    return path


# ── the profile ─────────────────────────────────────────────────────────────


def test_the_shipped_profile_is_hong_bang():
    profile = load_profile(REPO / "ward.yaml")
    assert (profile.name, profile.level, profile.province) == (
        "Hồng Bàng", "phường", "thành phố Hải Phòng",
    )  # fmt: skip
    assert profile.issuer == ("ỦY BAN NHÂN DÂN", "PHƯỜNG HỒNG BÀNG")
    assert (profile.place, profile.number_line) == ("Hồng Bàng", "Số: …/BC-UBND")
    assert (profile.plan_number, profile.plan_date) == ("106/KH-UBND", date(2025, 10, 3))
    assert profile.plan_date_text == "03/10/2025"
    assert profile.plan_subject == SUBJECT_57.replace(" ngày 22/12/2024", "")
    assert (profile.on_behalf, profile.signer_title, profile.signer_name) == (
        "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "",
    )  # fmt: skip
    assert profile.recipients[0] == "Thường trực Đảng ủy phường;"
    assert profile.recipients[-1] == "Lưu: VT."
    assert dict(profile.areas) == AREA_NAMES
    assert profile.plan_path == HONG_BANG_PLAN
    # The shipped registry and units are the defaults: the example names no copy of them,
    # so a copy of the example folder outside the checkout still works.
    assert profile.registry_path is None and profile.units_path is None
    assert profile.raw_dir is None and profile.reports_dir is None
    project = Project.load(REPO)
    assert project.registry_path == REPO / "nq57lib" / "data" / "indicators.yaml"
    assert project.units_path == REPO / "nq57lib" / "data" / "reporting_units.yaml"


def test_a_valid_profile_reads_back(tmp_path):
    profile = load_profile(_write_profile(tmp_path))
    assert profile.ward == "xã Tân Lập"
    # The leading "về" is the report sentence's own word, not the subject's.
    assert profile.plan_subject == "thực hiện Nghị quyết số 57-NQ/TW"
    assert profile.plan_date_text == "12/8/2025"
    assert profile.units_path is None and profile.registry_path is None
    assert profile.root == tmp_path.resolve()


def test_the_reporting_calendar_is_read_and_checked(tmp_path):
    assert load_profile(_write_profile(tmp_path / "a")).calendar.cutoff_mode == "calendar"
    path = _write_profile(tmp_path / "b")
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "reporting:\n  cutoff: regime\n  units_due_days: 0\n", "utf-8")
    calendar = load_profile(path).calendar
    assert (calendar.cutoff_mode, calendar.report_due_days, calendar.units_due_days) == (
        "regime", 2, 0,
    )  # fmt: skip
    path.write_text(text + "reporting:\n  cutoff: quarterly\n  report_due_days: -1\n", "utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    said = str(caught.value)
    assert "“quarterly” không phải calendar hoặc regime" in said
    assert "“-1” không phải một số ngày từ 0 đến 60" in said


def test_a_steering_section_needs_its_signer_and_is_the_same_ward(tmp_path):
    path = _write_profile(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "steering:\n  name: Ban Chỉ đạo xã\n  party: có\n", "utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    said = str(caught.value)
    for key in ("issuer", "number", "on_behalf", "title", "recipients"):
        assert f"thiếu “steering.{key}”" in said
    assert "“steering.party”" in said and "ghi true hoặc false" in said
    path.write_text(
        text + "steering:\n  name: Ban Chỉ đạo xã\n  issuer: [ĐẢNG ỦY XÃ TÂN LẬP]\n"
        "  number: Số …-BC/BCĐ\n  on_behalf: T/M BAN CHỈ ĐẠO\n  title: TRƯỞNG BAN\n"
        "  recipients: [Lưu VT.]\n",
        "utf-8",
    )
    profile = load_profile(path)
    steering = profile.as_steering()
    assert (steering.reporter, steering.number_line, steering.signer_title) == (
        "Ban Chỉ đạo xã", "Số …-BC/BCĐ", "TRƯỞNG BAN",
    )  # fmt: skip
    assert (steering.name, steering.plan_number) == (profile.name, profile.plan_number)
    with pytest.raises(ProfileError):
        load_profile(_write_profile(tmp_path / "other")).as_steering()


def test_every_problem_is_reported_at_once(tmp_path):
    path = _write_profile(
        tmp_path,
        name="  nmae: Tân Lập",
        level="  level: huyện",
        province='  province: "<<điền tỉnh>>"',
        issuer="  issuer: ỦY BAN NHÂN DÂN",
        date="  date: 31/02/2025",
        number="  number: 45 KH UBND",
        plan_path="  plan: ke-hoach.md",
    )
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    problems = caught.value.problems
    assert caught.value.path == path.resolve()
    expected = [
        "mục “ward.nmae” không có trong hồ sơ",
        "“ward.level” (cấp: phường, xã, đặc khu): “huyện” không phải một trong",
        "“plan.number” (số hiệu kế hoạch, ví dụ 106/KH-UBND): “45 KH UBND” không có dạng",
        "“letterhead.issuer” (các dòng tên cơ quan ban hành, ví dụ [ỦY BAN NHÂN DÂN, PHƯỜNG "
        "HỒNG BÀNG]): phải là danh sách",
        "thiếu “ward.name” (tên phường, xã (không kèm cấp), ví dụ Hồng Bàng)",
        "“ward.province” (tỉnh, thành phố trực thuộc, ví dụ thành phố Hải Phòng): chưa điền "
        "(còn “<<điền tỉnh>>”)",
        "“plan.date” (ngày ban hành kế hoạch, ví dụ 2025-10-03): “31/02/2025” không phải ngày",
        f"“paths.plan” (tệp kế hoạch): không có tệp {tmp_path.resolve() / 'ke-hoach.md'}",
    ]
    assert len(problems) == len(expected), problems
    for part in expected:
        assert any(p.startswith(part) for p in problems), (part, problems)
    assert str(caught.value).startswith(f"Hồ sơ phường, xã {path.resolve()}: 8 mục cần sửa\n")


def test_a_missing_field_is_named(tmp_path):
    path = _write_profile(tmp_path, subject="  # subject left out")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert caught.value.problems == [
        "thiếu “plan.subject” (trích yếu kế hoạch: phần sau chữ “về” trong câu mở đầu báo cáo)"
    ]
    # One problem, one line.
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "không có tệp ward.yaml; tạo thư mục làm việc cho phường, xã bằng lệnh nq57 init"),
        ("ward: [\n", "không đọc được ở dòng 2: sai cú pháp YAML"),
        ("- a\n- b\n", "tệp trống hoặc không gồm các mục “tên: giá trị”"),
    ],
    ids=["missing", "bad-yaml", "a-list"],
)
def test_an_unreadable_profile_says_why(tmp_path, content, problem):
    path = tmp_path / "ward.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(tmp_path)  # a folder means its ward.yaml
    assert caught.value.problems[0].startswith(problem)


def test_citation_dates_follow_decree_30():
    assert citation_date(date(2025, 10, 3)) == "03/10/2025"
    assert citation_date(date(2025, 8, 12)) == "12/8/2025"
    assert citation_date(date(2026, 2, 5)) == "05/02/2026"


# ── the plan's header ───────────────────────────────────────────────────────


def test_header_of_the_hong_bang_plan():
    header = read_plan_header(HONG_BANG_PLAN)
    # This copy lost its letterhead: the ward comes from "Ủy ban nhân dân phường Hồng Bàng
    # xây dựng Kế hoạch …" (line 17); no line names the city.
    assert header.issuer == ("ỦY BAN NHÂN DÂN", "PHƯỜNG HỒNG BÀNG")
    assert (header.level, header.name, header.issuer_source) == ("phường", "Hồng Bàng", "preamble")
    assert header.number == "106/KH-UBND"  # written "Số: 106 /KH-UBND"
    assert (header.place, header.date) == ("Hồng Bàng", date(2025, 10, 3))
    assert header.subject == SUBJECT_57.replace(" ngày", ", ngày")
    assert header.areas == AREA_NAMES
    assert header.province == ""
    assert header.missing() == ["ward.province"]
    assert header.lines == {
        "letterhead.issuer": 17, "ward.name": 17, "ward.level": 17, "plan.number": 3,
        "letterhead.place": 5, "plan.date": 5, "plan.subject": 9, "areas": 103,
    }  # fmt: skip


def test_header_of_the_tan_lap_plan():
    header = read_plan_header(TAN_LAP_PLAN)
    assert header.issuer == ("ỦY BAN NHÂN DÂN", "XÃ TÂN LẬP")
    assert (header.level, header.name, header.issuer_source) == ("xã", "Tân Lập", "letterhead")
    assert header.province == "tỉnh Phú Thọ"
    assert header.number == "45/KH-UBND"
    assert (header.place, header.date) == ("Tân Lập", date(2025, 8, 12))
    # Two title lines joined; "Thực hiện" lower-cased to follow "về".
    assert header.subject == SUBJECT_57 + " trên địa bàn xã"
    # Its targets have no "a) …" headings: no areas read (init writes Resolution 57's).
    assert header.areas == {}
    assert header.missing() == ["areas"]


def test_header_in_a_markdown_table_and_on_one_line():
    lines = [
        "| ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |",
        "|---|---|",
        "| **ĐẶC KHU CÔN ĐẢO** | **Độc lập - Tự do - Hạnh phúc** |",
        "| Số: 12 / KH-UBND | *Côn Đảo, ngày 05 tháng 02 năm 2026* |",
        "",
        "# KẾ HOẠCH",
        "Về việc triển khai chuyển đổi số năm 2026",
        "",
        "I. MỤC ĐÍCH",
        "Ủy ban nhân dân tỉnh Bình Dương …",
    ]
    header = parse_plan_header(lines)
    assert header.issuer == ("ỦY BAN NHÂN DÂN", "ĐẶC KHU CÔN ĐẢO")
    assert (header.level, header.name) == ("đặc khu", "Côn Đảo")
    assert (header.number, header.place, header.date) == (
        "12/KH-UBND", "Côn Đảo", date(2026, 2, 5),
    )  # fmt: skip
    assert header.subject == "việc triển khai chuyển đổi số năm 2026"
    # The body (from "I.") is not the header: no province there counts.
    assert header.province == ""
    one_line = parse_plan_header(["ỦY BAN NHÂN DÂN XÃ AN BÌNH", "Số: 7/KH-UBND"])
    assert one_line.issuer == ("ỦY BAN NHÂN DÂN", "XÃ AN BÌNH")
    assert (one_line.level, one_line.name) == ("xã", "An Bình")
    assert one_line.missing() == [
        "ward.province", "letterhead.place", "plan.date", "plan.subject", "areas",
    ]  # fmt: skip


def test_header_of_an_unreadable_plan_is_a_plan_error(tmp_path):
    with pytest.raises(PlanParseError, match="file not found"):
        read_plan_header(tmp_path / "none.md")


# ── project folders ─────────────────────────────────────────────────────────


def test_a_project_resolves_every_path_from_its_profile(tmp_path):
    folder = tmp_path / "tan-lap"
    _write_profile(folder, plan_path="  plan: plan.md\n  raw: so-lieu/goc")
    project = Project.load(folder)
    assert project.profile.name == "Tân Lập"
    root = folder.resolve()
    assert project.root == root and project.profile_path == root / "ward.yaml"
    assert project.plan_path == root / "plan.md"
    assert project.raw_dir == root / "so-lieu" / "goc"
    assert project.processed_dir == root / "data" / "processed"
    assert project.reports_dir == root / "reports"
    # Left out of the profile: nq57's shipped registry and units.
    assert project.registry_path == REPO / "nq57lib" / "data" / "indicators.yaml"
    assert project.units_path == REPO / "nq57lib" / "data" / "reporting_units.yaml"
    # The notebooks are the package's, never the project's.
    assert config.NOTEBOOKS_DIR == REPO / "nq57lib" / "notebooks"
    assert project.profile.plan_number == "45/KH-UBND"
    assert project.areas["e"] == "Phát triển chuyển đổi số"
    # Its ward.yaml named instead of its folder: the same project.
    assert Project.load(folder / "ward.yaml") == project


def test_with_paths_replaces_only_what_is_given(tmp_path):
    folder = tmp_path / "tan-lap"
    _write_profile(folder)
    project = Project.load(folder)
    moved = project.with_paths(raw_dir=tmp_path / "raw", plan_path=None)
    assert moved.raw_dir == (tmp_path / "raw").resolve()
    assert (moved.processed_dir, moved.plan_path) == (project.processed_dir, project.plan_path)
    assert project.raw_dir == folder.resolve() / "data" / "raw"  # the original is unchanged
    assert project.with_paths() is project


def test_the_registry_is_checked_against_each_wards_areas(tmp_path):
    assert len(example_registry()) > 0  # checked (and kept) against this ward's areas a–e
    folder = tmp_path / "hai-linh-vuc"
    _write_profile(folder)
    text = (folder / "ward.yaml").read_text(encoding="utf-8")
    kept = [line for line in text.split("\n") if not line.startswith(("  c:", "  d:", "  e:"))]
    (folder / "ward.yaml").write_text("\n".join(kept), encoding="utf-8")
    two_areas = Project.load(folder)
    # The same registry file, unchanged: its areas c, d and e are not this ward's.
    with pytest.raises(RegistryError, match="area 'c' is not one of a, b"):
        load_registry(two_areas.registry_path, two_areas.areas)
    # … and the example's check is not disturbed by it.
    assert len(example_registry()) > 0


def test_a_profile_that_does_not_load_is_one_error(tmp_path):
    folder = tmp_path / "broken"
    _write_profile(folder, level="  level: huyện")
    with pytest.raises(ProfileError, match="huyện"):
        Project.load(folder)


def test_project_resolution_order(tmp_path, monkeypatch):
    monkeypatch.delenv(config.ROOT_ENV, raising=False)
    outer = tmp_path / "outer"
    inner = outer / "data" / "raw"
    inner.mkdir(parents=True)
    (outer / "ward.yaml").write_text("", encoding="utf-8")
    other = tmp_path / "other"
    # Nearest ward.yaml upward from the current folder …
    assert config.find_project(start=inner) == outer.resolve()
    # … else the checkout's example …
    assert config.find_project(start=tmp_path) == REPO
    # … but $NQ57_ROOT wins over both, and an explicit folder (or its ward.yaml) over all.
    monkeypatch.setenv(config.ROOT_ENV, str(other))
    assert config.find_project(start=inner) == other.resolve()
    assert config.find_project(outer / "ward.yaml", start=inner) == outer.resolve()


# ── nq57 init, --project ────────────────────────────────────────────────────


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_init_writes_a_project_and_refuses_to_overwrite_it(tmp_path, capsys, restore_project):
    folder = tmp_path / "tan-lap"
    code, out, _ = _cli(capsys, "init", "--plan", str(TAN_LAP_PLAN), str(folder))
    assert code == 0
    assert out.startswith(f"nq57 init: đã tạo thư mục làm việc {folder}\n")
    assert "  - plan.number: 45/KH-UBND (dòng 4)" in out
    assert "  - plan.date: 12/8/2025 (dòng 9)" in out
    assert "Chưa đọc được" not in out
    assert f"nq57 run --period <kỳ> --project {folder}" in out
    copy = folder / "data" / "raw" / "plan" / TAN_LAP_PLAN.name
    assert copy.read_bytes() == TAN_LAP_PLAN.read_bytes()
    for sub in ("data/raw", "data/processed", "reports"):
        assert (folder / sub).is_dir()
    # The example's units, under a xã's names, asked only for what Tân Lập's plan tracks
    # (its 11 reviewed indicators, read off its plan by hand).
    units = yaml.safe_load((folder / "reporting_units.yaml").read_text(encoding="utf-8"))
    assert {u["code"]: (u["name_vi"], u["indicators"]) for u in units["units"]} == {
        "cong_an": ("Công an xã", ["vneid_residents"]),
        "mot_cua": (
            "Trung tâm Phục vụ hành chính công xã",
            ["dossiers_digitised", "dossiers_online"],
        ),
        "kinh_te": (
            "Phòng Kinh tế, Hạ tầng và Đô thị",
            ["coverage_5g", "broadband_gigabit_users", "enterprises_innovating"],
        ),
        "van_hoa_xa_hoi": (
            "Phòng Văn hóa - Xã hội",
            ["adults_digital_services_access", "schools_dx_level2", "st_initiatives_ward"],
        ),
        "van_phong": (
            "Văn phòng HĐND và UBND",
            ["officials_basic_digital_training", "officials_digital_mastery"],
        ),
    }
    assert not any("Hồng Bàng" in a for u in units["units"] for a in u["aliases"])
    profile = load_profile(folder / "ward.yaml")
    assert (profile.name, profile.level, profile.province) == ("Tân Lập", "xã", "tỉnh Phú Thọ")
    assert profile.issuer == ("ỦY BAN NHÂN DÂN", "XÃ TÂN LẬP")
    assert (profile.plan_number, profile.plan_date) == ("45/KH-UBND", date(2025, 8, 12))
    assert profile.recipients[0] == "Thường trực Đảng ủy xã;"
    assert profile.plan_path == copy.resolve()
    assert profile.units_path == (folder / "reporting_units.yaml").resolve()
    assert profile.registry_path is None  # nq57's reviewed registry
    written = (folder / "ward.yaml").read_bytes()

    code, out, err = _cli(capsys, "init", "--plan", str(HONG_BANG_PLAN), str(folder))
    assert code == 2 and out == ""
    assert err == (
        f"nq57 init: Hồ sơ phường, xã {folder / 'ward.yaml'}: đã có; nq57 init không ghi đè "
        "hồ sơ đã có (xóa hoặc đổi tên tệp để tạo lại)\n"
    )
    assert (folder / "ward.yaml").read_bytes() == written


def test_init_marks_what_the_plan_does_not_say(tmp_path, restore_project):
    plan = tmp_path / "plan.md"
    plan.write_text("KẾ HOẠCH\n\nChuyển đổi số\n\nI. MỤC ĐÍCH\n", encoding="utf-8")
    made = init_project(plan, tmp_path / "x")
    assert made.to_fill == [
        "ward.name", "ward.level", "ward.province", "letterhead.issuer", "letterhead.place",
        "plan.number", "plan.date", "recipients",
    ]  # fmt: skip
    text = made.summary_text()
    # No "a) …" heading: the areas are Resolution 57's, to be checked.
    assert "Ghi theo mẫu chung, cần kiểm tra: letterhead.number, signer.on_behalf, " in text
    assert "  - areas: kế hoạch không chia mục tiêu theo lĩnh vực (“a) …”); đã ghi 5 lĩnh " in text
    assert "  - plan.subject: chuyển đổi số (dòng 3)" in text
    assert "  - plan.number: số hiệu kế hoạch, ví dụ 106/KH-UBND" in text
    # The profile refuses to load until the placeholders are filled in, naming each field.
    with pytest.raises(ProfileError) as caught:
        Project.load(made.folder)
    named = {re.match(r"“([a-z_.]+)”", p).group(1) for p in caught.value.problems}
    assert named == {
        "ward.name", "ward.level", "ward.province", "letterhead.issuer", "letterhead.place",
        "plan.number", "plan.date", "recipients",
    }  # fmt: skip


def test_init_errors_are_one_line(tmp_path, capsys):
    code, out, err = _cli(capsys, "init", "--plan", str(tmp_path / "none.md"), str(tmp_path))
    assert code == 2 and out == ""
    assert err == f"nq57 init: Plan file {tmp_path / 'none.md'}: file not found\n"
    assert not (tmp_path / "ward.yaml").exists()


def _targets(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("where", ["before", "after", "inside"])
def test_a_command_works_on_the_chosen_project(
    tmp_path, capsys, monkeypatch, restore_project, where
):
    folder = tmp_path / "tan-lap"
    init_project(TAN_LAP_PLAN, folder)
    out_file = tmp_path / "targets.csv"
    argv = ["targets", "--out", str(out_file)]
    if where == "before":
        argv = ["--project", str(folder), *argv]
    elif where == "after":
        argv = [*argv, "--project", str(folder)]
    else:
        monkeypatch.chdir(folder / "data" / "raw")  # anywhere inside the project
    code, out, _ = _cli(capsys, *argv)
    assert code == 0
    # Tân Lập's plan: 10 targets for 2025 and 8 for 2030.
    assert out.strip() == f"20 targets written to {out_file}"
    rows = _targets(out_file)
    assert [r["target_id"] for r in rows[:2]] == [
        "2025-coverage_5g", "2025-broadband_gigabit_users",
    ]  # fmt: skip


def test_a_broken_profile_is_a_plain_message(tmp_path, capsys, restore_project):
    folder = tmp_path / "broken"
    _write_profile(folder, level="  level: huyện")
    code, out, err = _cli(capsys, "--project", str(folder), "indicators")
    assert code == 2 and out == ""
    assert err.startswith(f"nq57 indicators: Hồ sơ phường, xã {folder.resolve() / 'ward.yaml'}: ")
    assert "“huyện” không phải một trong: phường, xã, đặc khu" in err
    code, _out, err = _cli(capsys, "--project", str(tmp_path / "none"), "indicators")
    assert code == 2 and "không có tệp ward.yaml" in err


def test_the_briefing_prints_the_profile(briefing_processed, tmp_path):
    from nq57lib.report import briefing

    data = briefing.load_briefing_data(
        EXAMPLE.with_paths(processed_dir=briefing_processed),
        "2026-Q3",
        report_date=date(2026, 10, 5),
    )
    profile = load_profile(_write_profile(tmp_path))
    profile = dataclasses.replace(profile, signer_name="Nguyễn Văn A")
    other = dataclasses.replace(data, profile=profile)
    html = "".join(
        part(other).data for part in (briefing.header, briefing.opening, briefing.closing)
    )
    text = re.sub(r"<[^>]+>", "\n", re.sub(r"</?span[^>]*>", "", html))
    lines = text.splitlines()
    for line in (
        "XÃ TÂN LẬP",
        "Tân Lập, ngày 05 tháng 10 năm 2026",
        "Kết quả thực hiện Kế hoạch số 45/KH-UBND",
        "Báo cáo quý III năm 2026 — KH 45/KH-UBND",
        "Thực hiện Kế hoạch số 45/KH-UBND ngày 12/8/2025 của Ủy ban nhân dân xã về thực hiện "
        "Nghị quyết số 57-NQ/TW, Ủy ban nhân dân xã báo cáo kết quả thực hiện quý III năm "
        "2026 như sau:",
        "Thường trực Đảng ủy xã;",
        "Nguyễn Văn A",
    ):
        assert line in lines, line
    assert "Hồng Bàng" not in html and "HỒNG BÀNG" not in html and "106/KH" not in html
    assert briefing.report_title("2026-Q3", profile) == (
        "Báo cáo quý III năm 2026 — Kết quả thực hiện Kế hoạch số 45/KH-UBND"
    )


def test_a_broken_profile_found_at_import_waits_for_the_command(tmp_path):
    """$NQ57_ROOT names a broken project: importing nq57lib still works (it loads no
    project); loading it raises the profile's error, and the command line prints it as one
    message."""
    folder = tmp_path / "broken"
    _write_profile(folder, date="  date: 31/02/2025")
    env = {**os.environ, config.ROOT_ENV: str(folder)}
    probe = (
        "import nq57lib.cli\n"
        "from nq57lib.core.project import open_project\n"
        "from nq57lib.core import config\n"
        "print(config.find_project().name)\n"
        "try:\n    open_project()\nexcept Exception as error:\n"
        "    print(type(error).__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines() == ["broken", "ProfileError"]
    done = subprocess.run(
        [sys.executable, "-m", "nq57lib", "indicators"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 2 and done.stdout == ""
    profile = folder.resolve() / "ward.yaml"
    assert done.stderr.startswith(f"nq57 indicators: Hồ sơ phường, xã {profile}:")
    assert "“31/02/2025” không phải ngày" in done.stderr and "Traceback" not in done.stderr
