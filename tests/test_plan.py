"""The plan parser against the shipped plan (expected rows written by hand) and edited copies."""

from __future__ import annotations

import math

import pytest
from example import EXAMPLE, example_registry

from nq57lib.core.errors import PlanParseError
from nq57lib.plan.catalogue import build_catalogue
from nq57lib.plan.parser import (
    PLAN_COLUMNS,
    clean_text,
    find_figures,
    parse_plan,
    read_plan_targets,
    split_targets,
)

PLAN = EXAMPLE.plan_path

# One row per target, read off the plan by hand. Columns: plan line, nth target of the
# bullet, milestone, area, comparator, value, value_max, unit, flags (y = per_year,
# a = aspirational, q = qualitative), scope, and how the target's text starts.
EXPECTED_TABLE = r"""
# LaTeX "$\geq 80\%$"
105  0  2025 a  >=    80    -   %     ---  ward     Tỷ lệ phủ sóng 5G trên
# bare "đạt 100%"; "5G" is not a figure
106  0  2025 a  =     100   -   %     ---  ward     Tỷ lệ phủ sóng 5G trong
# "tốc độ trên 01 Gbps/s" qualifies, the target is ≥ 80%
107  0  2025 a  >=    80    -   %     ---  ward     Có ≥ 80% người sử dụng
108  0  2025 a  -     -     -   other --q  ward     Có bộ phận an ninh
# "Phần đầu" (misspelt phấn đấu), "ít nhất", decimal comma "3,0%"
112  0  2025 b  >=    3     -   %     -a-  ward     Phần đầu có ít nhất 3,0%
113  0  2025 b  =     100   -   %     ---  ward     100% cán bộ, công chức
115  0  2025 b  =     80    -   %     ---  ward     80% dân số trưởng thành
# "mức 2 trở lên" qualifies
116  0  2025 b  >=    75    -   %     ---  ward     Có ≥ 75% cơ sở giáo dục
117  0  2025 b  >=    70    -   %     ---  ward     Có ≥ 70% đối với
# leading zero "01", "ít nhất"
123  0  2025 c  >=    1     -   count ---  ward     Phối hợp, kết nối
# one bullet, two targets ("02 …; 01 …"), both aspirational
124  0  2025 c  =     2     -   count -a-  ward     Phần đầu có 02 sáng kiến
124  1  2025 c  =     1     -   count -a-  ward     01 sáng kiến đề xuất
125  0  2025 c  -     -     -   other --q  ward     Ứng dụng AI, IoT
129  0  2025 d  >=    20    -   %     -a-  ward     Phối hợp vận động
# "Phân đầu", "≥ 10" outside LaTeX
131  0  2025 d  >=    10    -   count -a-  ward     Phân đầu có ≥ 10
137  0  2025 e  =     100   -   %     ---  ward     Có 100% thủ tục
145  0  2025 e  >=    70    -   %     ---  ward     Có ≥ 70% người dân
147  0  2025 e  -     -     -   other --q  ward     Xây dựng Trung tâm giám
151  0  2025 e  -     -     -   other --q  ward     Xây dựng hệ thống
# "01 Gb/s" qualifies
159  0  2030 a  =     100   -   %     ---  ward     100% người sử dụng
# "Phân đầu … hằng năm", "ít nhất 3%"
163  0  2030 b  >=    3     -   %     ya-  ward     Phân đầu bố trí ít nhất 3%
169  0  2030 b  =     90    -   %     ---  ward     90% dân số
# duplicated clause stays one target
175  0  2030 b  =     100   -   %     ---  ward     Có 100% cơ sở giáo dục
# sentence split by a page break; the circular's number and date qualify
177  0  2030 b  =     100   -   %     ---  ward     Có 100% cơ sở giáo dục phổ
183  0  2030 b  >=    85    -   %     ---  ward     Có ≥ 85% cơ sở giáo dục
# "trên 0,7": comparator >, an index, the city's
187  0  2030 b  >     0.7   -   index ---  city     Khoa học, công nghệ
191  0  2030 c  >=    5     -   count ---  ward     Phối hợp, kết nối với ít
193  0  2030 c  =     2     -   count ya-  ward     Phần đầu hằng năm có 02
193  1  2030 c  =     1     -   count ya-  ward     01 sáng kiến đề xuất
195  0  2030 c  -     -     -   other yaq  ward     Phần đầu hằng năm có học
# footnote marker "sáng tạo²." removed
201  0  2030 d  >=    40    -   %     -a-  ward     Phối hợp vận động
203  0  2030 d  >=    10    -   count ya-  ward     Phần đầu hằng năm có ≥ 10
# a bullet after the footnote line "² Đạt chỉ tiêu … nhiệm kỳ 2025 – 2030"
223  0  2030 e  =     70    -   %     ---  ward     70% hoạt động kiểm tra
# correctly spelt "phấn đấu"
225  0  2030 e  >=    60    -   %     -a-  ward     Phối hợp tuyên truyền
# VNeID ≥85% and digital signature ≥10% in one bullet
227  0  2030 e  >=    85    -   %     ---  ward     Có ≥ 85% người dân
227  1  2030 e  >=    10    -   %     ---  ward     tỷ lệ người dân có chữ ký
233  0  2030 e  -     -     -   other --q  ward     Hoàn thiện Trung tâm điều
243  0  2035 a  =     50    -   %     ---  ward     Tỷ lệ phủ sóng 6G
# "Đạt 3%" is a bare figure
249  0  2035 b  =     3     -   %     y--  ward     Đạt 3% tổng chi
265  0  2035 c  -     -     -   other --q  ward     Xây dựng được mạng lưới
267  1  2035 c  =     1     -   count ya-  ward     01 sáng kiến
# "Phấn đấu hàng năm"
269  0  2035 c  -     -     -   other yaq  ward     Phấn đấu hàng năm có học
277  0  2035 d  >=    15    -   count ya-  ward     Phấn đấu hàng năm có ≥ 15
293  0  2035 e  >=    95    -   %     ---  ward     Có ≥ 95% người dân
293  1  2035 e  =     20    -   %     ---  ward     tỷ lệ người dân trưởng
303  0  2040 a  =     80    -   %     ---  ward     Tỷ lệ phủ sóng 6G
# "Đạt trên 3% … hàng năm"
307  0  2040 b  >     3     -   %     y--  ward     Đạt trên 3% tổng chi
# "80% - 90%" is a range
311  0  2040 b  range 80    90  %     ---  ward     80% - 90% dân số
321  0  2040 c  -     -     -   other --q  ward     Duy trì hoạt động
331  0  2040 d  >=    70    -   %     -a-  ward     Phối hợp vận động
# scope drifts to the city, the province's departments
339  0  2040 e  =     100   -   %     ---  city     100% hệ thống thông tin
343  0  2040 e  =     100   -   %     ---  province 100% dữ liệu của
345  0  2040 e  >=    95    -   %     -a-  city     Phối hợp vận động
347  1  2040 e  =     30    -   %     ---  ward     tỷ lệ người dân có chữ ký
# "trên 3,5%"
361  0  2045 b  >     3.5   -   %     y--  ward     Đạt trên 3,5% tổng chi
367  0  2045 b  -     -     -   other --q  ward     Thu hút đội ngũ
# "≥ 02" with a leading zero
379  0  2045 d  >=    2     -   count ya-  ward     Phân đầu hằng năm có ≥ 02
389  0  2045 e  =     100   -   %     ---  province 100% hệ thống
395  0  2045 e  =     100   -   %     ---  city     100% doanh nghiệp
397  0  2045 e  =     100   -   %     ---  ward     100% người dân có tài
397  1  2045 e  =     40    -   %     ---  ward     tỷ lệ người dân có chữ ký
403  0  2045 e  -     -     -   other --q  ward     Dịch vụ y tế
"""
EXPECTED = [
    line.split(maxsplit=10)
    for line in EXPECTED_TABLE.strip().splitlines()
    if not line.startswith("#")
]


@pytest.fixture(scope="module")
def parsed():
    return parse_plan(PLAN)


def _row(frame, line, nth):
    rows = frame[frame["source_line"] == line]
    assert len(rows) > nth, f"line {line}: {len(rows)} target(s)"
    return rows.iloc[nth]


def _number(text: str) -> float:
    return math.nan if text == "-" else float(text)


@pytest.mark.parametrize("expected", EXPECTED, ids=[f"{e[0]}-{e[1]}" for e in EXPECTED])
def test_hand_written_rows(parsed, expected):
    line, nth, year, area, comparator, value, value_max, unit, flags, scope, start = expected
    row = _row(parsed, int(line), int(nth))
    got = (
        row["milestone_year"], row["area"], row["comparator"] or "-", row["unit"],
        "".join(f if row[c] else "-" for f, c in zip("yaq", FLAGS, strict=True)),
        row["scope"],
    )  # fmt: skip
    assert got == (int(year), area, comparator, unit, flags, scope)
    assert _same_number(row["value"], _number(value))
    assert _same_number(row["value_max"], _number(value_max))
    assert row["text"].startswith(start)


FLAGS = ("per_year", "aspirational", "qualitative")


def _same_number(actual: float, expected: float) -> bool:
    if math.isnan(expected):
        return math.isnan(actual)
    return actual == expected


def test_there_are_at_least_forty_hand_written_rows():
    assert len(EXPECTED) >= 40


def test_columns_and_types(parsed):
    assert tuple(parsed.columns) == PLAN_COLUMNS
    assert parsed["milestone_year"].dtype == "int64"
    assert parsed["source_line"].dtype == "int64"
    assert parsed["value"].dtype == "float64"
    assert parsed["target_id"].is_unique


def test_counts_per_milestone_counted_by_hand(parsed):
    assert parsed.groupby("milestone_year").size().to_dict() == {
        2025: 27,
        2030: 37,
        2035: 26,
        2040: 23,
        2045: 22,
    }
    assert len(parsed) == 135
    qualitative = parsed[parsed["qualitative"]].groupby("milestone_year").size().to_dict()
    assert qualitative == {2025: 5, 2030: 7, 2035: 4, 2040: 4, 2045: 5}
    assert int(parsed["qualitative"].sum()) == 25


def test_counts_per_area_of_2030(parsed):
    per_area = parsed[parsed["milestone_year"] == 2030].groupby("area").size().to_dict()
    assert per_area == {"a": 2, "b": 12, "c": 5, "d": 2, "e": 16}


def test_two_target_bullets_each_have_their_own_words(parsed):
    vneid, signature = (_row(parsed, 227, n)["text"] for n in (0, 1))
    assert vneid == "Có ≥ 85% người dân có tài khoản định danh điện tử (VNeID)"
    assert signature == "tỷ lệ người dân có chữ ký số ≥ 10%"
    ward, city = (_row(parsed, 124, n)["text"] for n in (0, 1))
    assert ward == "Phần đầu có 02 sáng kiến cấp cơ sở về khoa học, công nghệ"
    assert city == "01 sáng kiến đề xuất công nhận cấp thành phố"


def test_page_break_joins_the_sentence(parsed):
    assert _row(parsed, 177, 0)["text"] == (
        "Có 100% cơ sở giáo dục phổ thông triển khai các chương trình giảng dạy về kỹ năng số "
        "cho học sinh (học viên) phù hợp với quy định của Bộ Giáo dục và Đào tạo quy định tại "
        "thông tư số 02/2025/TT-BGDĐT ngày 24/01/2025 về Khung năng lực số cho người học"
    )
    assert 179 not in set(parsed["source_line"])


def test_footnotes_never_become_targets(parsed):
    assert 221 not in set(parsed["source_line"])
    assert not parsed["text"].str.contains("Đại hội Đảng bộ").any()
    assert _row(parsed, 201, 0)["text"].endswith("có hoạt động đổi mới, sáng tạo")
    assert not parsed["text"].str.contains("²").any()


def test_latex_is_rendered_as_symbols(parsed):
    assert _row(parsed, 105, 0)["text"] == "Tỷ lệ phủ sóng 5G trên địa bàn đạt ≥ 80%"
    assert not parsed["text"].str.contains(r"\$|\\geq", regex=True).any()


def test_nothing_outside_section_three_two(parsed):
    assert parsed["source_line"].min() == 105
    assert parsed["source_line"].max() == 403


def test_positional_ids(parsed):
    assert _row(parsed, 145, 0)["target_id"] == "2025-e-06"
    assert _row(parsed, 227, 1)["target_id"] == "2030-e-11"


@pytest.mark.parametrize(
    "text",
    [
        "với tốc độ trên 01 Gbps/s",
        "tốc độ trên 01 Gb/s",
        "đánh giá mức độ chuyển đổi số đạt mức 2 trở lên",
        "thông tư số 02/2025/TT-BGDĐT ngày 24/01/2025",
        "Đạt chỉ tiêu Đại hội Đảng bộ phường nhiệm kỳ 2025 – 2030 đề ra",
        "Tỷ lệ phủ sóng 5G trên địa bàn",
        "Nghị quyết số 57-NQ/TW, Kế hoạch số 238/KH-UBND",
        "người từ 15 tuổi trở lên",
    ],
)
def test_qualifying_numbers_are_not_figures(text):
    assert find_figures(text) == []


@pytest.mark.parametrize(
    ("text", "comparator", "value", "value_max", "unit"),
    [
        ("đạt $\\geq 80\\%$", ">=", 80, None, "%"),
        ("tối thiểu 3,0%", ">=", 3.0, None, "%"),
        ("từ 80% đến 90% người dân", "range", 80, 90, "%"),
        ("90% - 80% người dân", "range", 80, 90, "%"),
        ("1.000 doanh nghiệp", "=", 1000, None, "count"),
        ("tối đa 5% hồ sơ trễ hạn", "<=", 5, None, "%"),
        ("dưới 10% hồ sơ trễ hạn", "<", 10, None, "%"),
        ("90% trở lên", ">=", 90, None, "%"),
        ("duy trì trên 0,7", ">", 0.7, None, "index"),
        ("hơn 05 sáng kiến", ">", 5, None, "count"),
    ],
)
def test_figures(text, comparator, value, value_max, unit):
    (figure,) = find_figures(clean_text(text))
    assert (figure.comparator, figure.value, figure.value_max, figure.unit) == (
        comparator, value, value_max, unit
    )  # fmt: skip


def test_clause_with_two_figures_joined_by_va_splits_there():
    targets = split_targets("Có 50% hộ gia đình dùng ví điện tử và 30% hộ dùng chữ ký số")
    assert [t["text"] for t in targets] == [
        "Có 50% hộ gia đình dùng ví điện tử",
        "và 30% hộ dùng chữ ký số",
    ]
    assert [t["value"] for t in targets] == [50, 30]


# ── edited and reordered copies ─────────────────────────────────────────────


def _lines() -> list[str]:
    return PLAN.read_text(encoding="utf-8").split("\n")


def _write(tmp_path, lines, name="plan.md", newline="\n"):
    path = tmp_path / name
    path.write_bytes(newline.join(lines).encode("utf-8"))
    return path


def _block(lines, heading_start, area_start):
    """Index range of the bullets under ``area_start`` after milestone ``heading_start``."""
    top = next(i for i, line in enumerate(lines) if line.startswith(heading_start))
    first = next(i for i in range(top, len(lines)) if lines[i].startswith(area_start))
    last = next(
        i for i in range(first + 1, len(lines))
        if lines[i][:2] in {"a)", "b)", "c)", "d)", "e)", "2."} or lines[i].startswith("IV.")
    )  # fmt: skip
    return first + 1, last


def test_edited_figures_parse_to_the_new_values(tmp_path, parsed):
    text = PLAN.read_text(encoding="utf-8")
    edits = {
        r"Có $\geq 70\%$ người dân có tài khoản định danh điện tử (VNeID).":
            r"Có $\geq 72,5\%$ người dân có tài khoản định danh điện tử (VNeID).",
        "duy trì trên 0,7.": "duy trì trên 0,75.",
        "- 80% - 90% dân số trưởng thành": "- 85% – 95% dân số trưởng thành",
        "Phân đầu hằng năm có ≥ 02 dự án": "Phấn đấu hằng năm có tối thiểu 04 dự án",
        "tỷ lệ người dân có chữ ký số $\\geq 10\\%$": "tỷ lệ người dân có chữ ký số đạt 12%",
    }  # fmt: skip
    for old, new in edits.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "edited.md"
    path.write_text(text, encoding="utf-8")
    edited = parse_plan(path)
    assert len(edited) == len(parsed)
    assert _row(edited, 145, 0)[["comparator", "value"]].tolist() == [">=", 72.5]
    assert _row(edited, 187, 0)[["comparator", "value"]].tolist() == [">", 0.75]
    assert _row(edited, 311, 0)[["comparator", "value", "value_max"]].tolist() == ["range", 85, 95]
    assert _row(edited, 379, 0)[["comparator", "value", "aspirational"]].tolist() == [">=", 4, True]
    assert _row(edited, 227, 1)[["comparator", "value"]].tolist() == ["=", 12]


def test_shifted_lines_and_crlf_keep_every_target(tmp_path, parsed):
    preface = ["Bản sao có chỉnh sửa", "", "Ghi chú của chuyên viên.", ""]
    path = _write(tmp_path, preface + _lines(), newline="\r\n")
    shifted = parse_plan(path)
    assert (shifted["source_line"] == parsed["source_line"] + len(preface)).all()
    same = ["milestone_year", "area", "comparator", "unit", "text", "per_year", "aspirational"]
    assert shifted[same].equals(parsed[same])


def test_reordered_bullets_parse_the_same_targets(tmp_path, parsed):
    lines = _lines()
    first, last = _block(lines, "2.2.", "e)")
    bullets = [line for line in lines[first:last] if line.startswith("- ")]
    others = [line for line in lines[first:last] if line and not line.startswith("- ")]
    lines[first:last] = [*others, "", *("\n".join([b, ""]) for b in reversed(bullets))]
    reordered = parse_plan(_write(tmp_path, "\n".join(lines).split("\n")))
    key = ["milestone_year", "area", "comparator", "value", "text"]
    before = parsed[parsed["milestone_year"] == 2030][key]
    after = reordered[reordered["milestone_year"] == 2030][key]
    assert sorted(map(str, after.to_numpy().tolist())) == sorted(
        map(str, before.to_numpy().tolist())
    )
    last_bullet = reordered[(reordered["milestone_year"] == 2030) & (reordered["area"] == "e")]
    assert last_bullet.iloc[0]["text"].startswith("Hoàn thiện Trung tâm Dữ liệu")


def test_small_plan_in_another_style(tmp_path):
    plan = (
        "KẾ HOẠCH\n\nII. MỤC TIÊU\n\n2. Mục tiêu cụ thể\n\nCác mục tiêu như sau:\n\n"
        "2.1. Đến năm 2027\n\n"
        "a) Hạ tầng\n"
        "- Tỷ lệ hộ gia đình có cáp quang đạt tối thiểu 90%\n"
        "trên toàn phường;\n"
        "- Hoàn thiện\n\n"
        "nền tảng số của phường.\n"
        "Duy trì cổng thông tin điện tử.\n"
        "¹ Chú thích không phải chỉ tiêu 50%\n"
        "b) Nhân lực\n"
        "+ 100% công chức dùng chữ ký số cá nhân.\n\n"
        "III. NHIỆM VỤ\n\n- 100% việc khác không phải chỉ tiêu.\n"
    )
    path = tmp_path / "other.md"
    path.write_text(plan, encoding="utf-8")
    frame = parse_plan(path)
    assert frame["text"].tolist() == [
        "Tỷ lệ hộ gia đình có cáp quang đạt tối thiểu 90% trên toàn phường",
        "Hoàn thiện nền tảng số của phường",
        "Duy trì cổng thông tin điện tử",
        "100% công chức dùng chữ ký số cá nhân",
    ]
    assert frame["source_line"].tolist() == [12, 14, 17, 20]
    assert frame["milestone_year"].unique().tolist() == [2027]
    assert frame["area"].tolist() == ["a", "a", "a", "b"]
    assert frame["target_id"].tolist() == ["2027-a-01", "2027-a-02", "2027-a-03", "2027-b-01"]


# ── bad input ───────────────────────────────────────────────────────────────


def _error(path) -> str:
    with pytest.raises(PlanParseError) as caught:
        parse_plan(path)
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    return caught.value.problem


def test_missing_file(tmp_path):
    assert _error(tmp_path / "nope.md") == "file not found"


def test_empty_and_blank_files(tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.md"
    blank.write_bytes(b"\n  \n\t\n")
    assert _error(empty) == "the file is empty"
    assert _error(blank) == "the file is empty"


def test_non_utf8_file(tmp_path):
    path = tmp_path / "latin.md"
    path.write_bytes(b"2. M\xf4c ti\xeau c\xf5 th\xea\n\n- 100% h\xf4 s\xf5.\n")
    assert "not UTF-8" in _error(path)


def test_folder_instead_of_file(tmp_path):
    assert "folder" in _error(tmp_path)


def test_no_targets_section(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text("KẾ HOẠCH\n\nI. MỤC ĐÍCH\n\n- Quán triệt.\n", encoding="utf-8")
    parsed = read_plan_targets(path)
    assert parsed.targets.empty and parsed.found_in == ()
    assert parsed.notes[0].startswith("no targets found: no section such as 'Mục tiêu cụ thể'")


def test_section_without_milestones_or_a_year_in_the_title_gives_no_targets(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text("2. Mục tiêu cụ thể\n\nCác mục tiêu sau đây.\n\nIV. NHIỆM VỤ\n", "utf-8")
    parsed = read_plan_targets(path)
    assert parsed.targets.empty and parsed.notes[0].startswith("no targets found")


def test_targets_before_any_milestone_are_reported_with_their_line(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text(
        "2. Mục tiêu cụ thể\n\n- 100% hồ sơ trực tuyến.\n\n2.1. Đến hết năm 2030\n\n"
        "- 100% hồ sơ số hóa.\n",
        encoding="utf-8",
    )
    # The parser reads both targets and says it found no year for the first one ...
    targets = parse_plan(path)
    assert targets["milestone_year"].isna().tolist() == [True, False]
    assert targets["milestone_year"].iloc[1] == 2030
    # ... and the catalogue, which must assess them, refuses the plan naming its line.
    with pytest.raises(PlanParseError) as caught:
        build_catalogue(path, example_registry())
    assert caught.value.problem == (
        "line 3: a target with no milestone year (no heading such as 'Đến hết năm YYYY' above "
        "it, no year in its sentence or in the plan's title)"
    )


def test_section_with_headings_but_no_targets(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text("2. Mục tiêu cụ thể\n\n2.1. Đến hết năm 2030\n\na) Hạ tầng\n", "utf-8")
    assert parse_plan(path).empty
