"""The plan's tasks: ids from its numbering, every item of sections IV and V, nothing else.

Expected rows are written by hand from ke-hoach-106-KH-UBND-2025-hong-bang.md.
"""

from __future__ import annotations

import csv

import pytest
from example import EXAMPLE

from nq57lib.cli import main
from nq57lib.core.errors import PlanParseError
from nq57lib.plan.tasks import CATALOGUE_COLUMNS, build_task_catalogue, parse_tasks

PLAN_TEXT = EXAMPLE.plan_path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tasks():
    return build_task_catalogue(EXAMPLE.plan_path).tasks.set_index("task_id")


# Every numbered task: its id and the words it starts with.
NUMBERED = {
    "1.1": "Thành lập, kiện toàn Ban Chỉ đạo",
    "1.2": "Ban hành kế hoạch, các văn bản chỉ đạo",
    "1.3": "Lồng ghép các nội dung trong Nghị quyết",
    "1.4": "Ban Chỉ đạo của phường chỉ đạo rà soát",
    "1.5": "Thiết lập cơ chế phối hợp liên ngành",
    "2.1": "Tổ chức học tập, quán triệt Nghị quyết",
    "2.2": "Xây dựng kế hoạch hành động cụ thể",
    "2.3": "Gắn trách nhiệm của người đứng đầu",
    "2.4": "Đẩy mạnh truyền thông về khoa học",
    "2.5": "Xây dựng văn hóa số, đạo đức nghề nghiệp",
    "3.1": "Kịp thời cụ thể hóa, triển khai các quy định",
    "3.2": "Tập trung đầu tư hạ tầng công nghệ thông tin",
    "3.3": "Phối hợp rà soát, đánh giá, tham gia ý kiến",
    "3.4": "Xây dựng quy hoạch, chiến lược, các kế hoạch",
    "3.5": "Triển khai thực hiện cơ chế chính sách đặc thù",
    "3.6": "Phối hợp triển khai các cơ chế hỗ trợ doanh nghiệp",
    "3.7": "Hỗ trợ các tổ chức, cá nhân tiếp cận Quỹ",
    "3.8": "Đơn giản hóa thủ tục hành chính",
    "3.9": "Tập trung thúc đẩy khai thác, triển khai",
    "3.10": "Bố trí đủ nguồn lực",
    "3.11": "Xây dựng các dự án đầu tư công",
    "6.1": "Xây dựng kế hoạch đào tạo, bồi dưỡng, thu hút",
    "6.2": "Xây dựng kế hoạch bồi dưỡng kỹ năng số",
    "6.3": "Xây dựng kế hoạch tăng cường hợp tác",
    "6.4": "Xây dựng cơ sở dữ liệu về nhân lực",
    "6.5": "Xây dựng kế hoạch thu hút nhân tài",
    "7.1": "Chiến lược từng giai đoạn 5 năm thực hiện Chương trình",
    "7.2": "Chiến lược từng giai đoạn 5 năm triển khai",
    "7.3": "Xây dựng chiến lược từng giai đoạn 5 năm, các chương trình",
    "8.1": "Thực hiện nghiêm các quy định về an toàn thông tin",
    "8.2": "Tăng cường an ninh mạng",
    "8.3": "Cụ thể hóa các biện pháp bảo đảm an toàn",
    "9.1": "Hợp tác với địa phương lân cận",
    "9.2": "Hội nhập quốc tế, thu hút đầu tư nước ngoài",
}
# Every bullet of a group without numbered tasks.
GROUP_TASKS = {
    "4.a": "Căn cứ chỉ đạo của thành phố xây dựng",
    "4.b": "Lồng ghép chiến lược tổng thể phát triển hạ tầng số",
    "4.c": "Đầu tư phát triển hạ tầng số, xây dựng Trung tâm dữ liệu",
    "4.d": "Mở rộng phủ sóng băng thông rộng",
    "4.e": "Phối hợp hoàn thiện cơ sở dữ liệu",
    "4.f": "Đưa các hoạt động của cơ quan đảng",
    "4.g": "Ứng dụng công nghệ giải quyết vấn đề môi trường",
    "5.a": "Thu hút đầu tư từ doanh nghiệp, trường đại học",
    "5.b": "Tạo điều kiện kết nối viện - trường - doanh nghiệp",
    "5.c": "Khuyến khích doanh nghiệp khởi nghiệp công nghệ cao",
    "5.d": "Ưu tiên triển khai thực hiện các nhiệm vụ khoa học",
    "5.e": "Tăng cường phối hợp với các trường đại học",
    "10.a": "Tăng cường kiểm tra, giám sát việc triển khai",
    "10.b": "Công khai, minh bạch thông tin",
}
# The activities of four numbered tasks.
ACTIVITIES = {
    "2.1.a": "Nội dung quán triệt cần tập trung",
    "2.1.b": "Hình thức quán triệt cần đa dạng",
    "2.1.c": "Xây dựng tài liệu, cẩm nang",
    "2.1.d": "Mời chuyên gia có kinh nghiệm thực tế",
    "2.4.a": "Phối hợp với Báo và Phát thanh, truyền hình Hải Phòng",
    "2.4.b": "Đa dạng hóa hình thức truyền thông",
    "2.4.c": "Xây dựng kênh truyền thông chuyên biệt",
    "2.4.d": "Triển khai sâu rộng phong trào “Bình dân học vụ số”",
    "2.4.e": "Vận động Mặt trận Tổ quốc Việt Nam",
    "2.4.f": "Khởi dậy các phong trào thi đua",
    "7.1.a": "Phối hợp cung cấp dữ liệu để phát triển",
    "7.1.b": "Khai thác hiệu quả hạ tầng dùng chung",
    "7.1.c": "Tăng cường kết nối, chia sẻ, sử dụng chung hạ tầng số",
    "7.1.d": "Ứng dụng trí tuệ nhân tạo trong tổng hợp",
    "7.1.e": "Khuyến khích xã hội hóa, hợp tác công - tư",
    "7.1.f": "Triển khai hiệu quả Quyết định số 749/QĐ-TTg",
    "8.2.a": "Xây dựng đội ngũ chuyên trách ứng cứu sự cố",
    "8.2.b": "Ban hành quy chế bảo vệ dữ liệu cá nhân",
    "8.2.c": "Tăng cường năng lực giám sát, cảnh báo sớm",
    "8.2.d": "Xây dựng kế hoạch ứng phó sự cố",
}


def test_counts_follow_the_plan(tasks):
    # 10 groups; 34 numbered tasks and 14 group-level bullets; 51 activities; 3 duties (V).
    assert tasks["kind"].value_counts().to_dict() == {"task": 48, "activity": 51, "duty": 3}
    assert sorted(tasks.index[tasks.index.str.fullmatch(r"\d+\.\d+")], key=_key) == sorted(
        NUMBERED, key=_key
    )


def _key(task_id: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in task_id.split("."))


@pytest.mark.parametrize("expected", [NUMBERED, GROUP_TASKS, ACTIVITIES], ids=["n", "g", "a"])
def test_hand_written_rows(tasks, expected):
    for task_id, start in expected.items():
        assert tasks.loc[task_id, "text"].startswith(start), task_id


def test_parents_kinds_and_groups(tasks):
    assert tuple(tasks.loc["3.10", ["parent_id", "kind", "group"]]) == (
        "3",
        "task",
        "Hoàn thiện thể chế, chính sách tạo đột phá, đảm bảo nguồn lực",
    )
    assert tuple(tasks.loc["2.1.c", ["parent_id", "kind"]]) == ("2.1", "activity")
    assert tuple(tasks.loc["4.a", ["parent_id", "kind"]]) == ("4", "task")
    assert tasks.loc["10.b", "group"] == "Giám sát, đánh giá"
    assert set(tasks.loc[tasks["kind"] == "activity", "parent_id"]) == {
        "2.1", "2.4", "2.5", "6.1", "6.2", "6.3", "6.5", "7.1", "7.2", "7.3",
        "8.2", "8.3", "9.1", "9.2",
    }  # fmt: skip


def test_page_break_continuations_belong_to_their_item(tasks):
    # "…doanh nghiệp, tổ chức, cá" | page break | "nhân có thành tích …"
    assert "tổ chức, cá nhân có thành tích phát triển khoa học" in tasks.loc["2.4.f", "text"]
    assert tasks.loc["2.4.f", "text"].endswith("trên địa bàn phường.")
    # "… IoT, blockchain trong nông" | page break | "nghiệp, chế biến… Triển khai các công cụ …"
    assert "blockchain trong nông nghiệp, chế biến" in tasks.loc["7.3.d", "text"]
    assert tasks.loc["7.3.e", "text"].startswith("Đặt hàng các doanh nghiệp công nghệ số")


def test_a_numbered_items_body_paragraph_belongs_to_it(tasks):
    assert tasks.loc["6.4", "text"] == (
        "Xây dựng cơ sở dữ liệu về nhân lực khoa học, công nghệ, đổi mới sáng tạo và chuyển "
        "đổi số, kết nối với cơ sở dữ liệu quốc gia, chuyên ngành Xây dựng cơ sở dữ liệu về "
        "nhân lực khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số của phường kết nối "
        "với cơ sở dữ liệu quốc gia, thống nhất toàn quốc về nhân lực khoa học công, nghệ, "
        "đổi mới sáng tạo và chuyển đổi số."
    )
    assert not any(t.startswith("Xây dựng cơ sở dữ liệu về nhân lực") for t in [
        tasks.loc[i, "text"] for i in tasks.index if i.startswith("6.4.")
    ])  # fmt: skip


def test_duties_of_section_five_keep_the_plans_numbers(tasks):
    duties = tasks[tasks["kind"] == "duty"]
    assert list(duties.index) == ["V.1", "V.3", "V.4"]
    assert set(duties["parent_id"]) == {"V"} and set(duties["group"]) == {"TỔ CHỨC THỰC HIỆN"}
    # The unnumbered yearly-report paragraph is V.1's body; emphasis marks are dropped.
    assert tasks.loc["V.1", "text"].endswith(
        "Định kỳ hằng năm trước ngày 30/11 các cơ quan, đơn vị rà soát, báo cáo Ủy ban nhân "
        "dân phường (qua Phòng Văn hóa - Xã hội) kết quả triển khai thực hiện Kế hoạch."
    )
    assert tasks.loc["V.4", "text"].startswith("Phòng Kinh tế, Hạ tầng và Đô thị căn cứ")
    # The closing paragraph ("…giải quyết./.") and the recipients are not duties.
    assert not tasks["text"].str.contains("yêu cầu các cơ quan, đơn vị chịu trách nhiệm").any()
    assert not tasks["text"].str.contains("Nơi nhận|UBND thành phố;").any()


def test_nothing_from_the_targets_or_the_preamble(tasks):
    assert not tasks["text"].str.contains("phủ sóng 5G trên địa bàn đạt").any()
    assert not tasks["text"].str.contains("Quán triệt, triển khai thực hiện đầy đủ").any()  # I.
    assert not tasks["text"].str.contains("phân công nhiệm vụ cụ thể cho các cơ quan").any()


def _write(tmp_path, text, name="plan.md"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_crlf_and_shifted_copies_give_the_same_ids_and_texts(tmp_path):
    original, _ = parse_tasks(EXAMPLE.plan_path)
    crlf, _ = parse_tasks(_write(tmp_path, PLAN_TEXT.replace("\n", "\r\n"), "crlf.md"))
    shifted, _ = parse_tasks(_write(tmp_path, "\n\n\n" + PLAN_TEXT, "shifted.md"))
    columns = ["task_id", "parent_id", "kind", "group", "text"]
    assert crlf[columns].equals(original[columns])
    assert shifted[columns].equals(original[columns])
    assert list(shifted["source_line"]) == [n + 3 for n in original["source_line"]]


def test_reordered_groups_and_edited_text_keep_the_ids(tmp_path):
    start = PLAN_TEXT.index("8. Bảo đảm an ninh mạng")
    middle = PLAN_TEXT.index("9. Đẩy mạnh hợp tác")
    end = PLAN_TEXT.index("10. Giám sát, đánh giá")
    swapped = PLAN_TEXT[:start] + PLAN_TEXT[middle:end] + PLAN_TEXT[start:middle] + PLAN_TEXT[end:]
    swapped = swapped.replace("Tăng cường an ninh mạng", "Tăng cường bảo đảm an ninh mạng")
    original, _ = parse_tasks(EXAMPLE.plan_path)
    edited, _ = parse_tasks(_write(tmp_path, swapped))
    assert sorted(edited["task_id"]) == sorted(original["task_id"])
    by_id = edited.set_index("task_id")
    assert by_id.loc["8.2", "text"] == "Tăng cường bảo đảm an ninh mạng"
    assert by_id.loc["9.2.e", "parent_id"] == "9.2"


def test_a_plan_without_the_section_says_what_it_looked_for(tmp_path):
    path = _write(tmp_path, "KẾ HOẠCH\n\nI. MỤC ĐÍCH\n\n- Quán triệt.\n")
    with pytest.raises(PlanParseError, match="NHIỆM VỤ VÀ GIẢI PHÁP"):
        parse_tasks(path)


def test_a_number_used_twice_is_an_error(tmp_path):
    path = _write(
        tmp_path,
        "IV. NHIỆM VỤ VÀ GIẢI PHÁP\n\n1. Nhóm một\n\n1.1. Việc thứ nhất.\n\n1.1. Việc lặp số.\n",
    )
    with pytest.raises(PlanParseError, match=r"number 1\.1 is used twice"):
        parse_tasks(path)


def test_cli_writes_the_catalogue(tmp_path, capsys):
    out = tmp_path / "tasks.csv"
    assert main(["tasks", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == (
        f"102 tasks written to {out} (48 tasks, 51 activities, 3 duties in 11 groups)"
    )
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CATALOGUE_COLUMNS
    assert rows[0]["task_id"] == "1.1" and rows[-1]["task_id"] == "V.4"


def _project_with_plan(tmp_path, text: str):
    """The example project, its plan replaced by ``text`` and its folders moved here."""
    plan = tmp_path / "plan.md"
    plan.write_text(text, encoding="utf-8")
    return EXAMPLE.with_paths(plan_path=plan, processed_dir=tmp_path / "processed")


def test_a_plan_with_a_number_used_twice_stops_cleaning_with_that_reason(tmp_path, capsys):
    from nq57lib.collect.ingest import clean_period
    from nq57lib.core.errors import NoTasksError

    shipped = EXAMPLE.plan_path.read_text(encoding="utf-8")
    twice = shipped.replace(
        "1.2. Ban hành kế hoạch", "1.1. Ban hành kế hoạch", 1
    )  # task 1.2 renumbered 1.1
    project = _project_with_plan(tmp_path, twice)
    # Not "the plan has no tasks" (which would quarantine every task row and go on).
    with pytest.raises(PlanParseError, match=r"number 1\.1 is used twice") as caught:
        clean_period(project, "2026-Q3")
    assert not isinstance(caught.value, NoTasksError)
    assert not (tmp_path / "processed" / "2026-Q3").exists()
    code = main(["clean", "--period", "2026-Q3", "--plan", str(project.plan_path),
                 "--processed-dir", str(tmp_path / "processed")])  # fmt: skip
    assert code == 2
    assert "number 1.1 is used twice" in capsys.readouterr().err


def test_a_plan_without_tasks_still_cleans_and_refuses_the_task_rows(tmp_path):
    from nq57lib.collect.ingest import clean_period

    shipped = EXAMPLE.plan_path.read_text(encoding="utf-8")
    targets_only = shipped[: shipped.index("IV. NHIỆM VỤ")]
    result = clean_period(_project_with_plan(tmp_path, targets_only), "2026-Q3")
    refused = result.quarantine[result.quarantine["reason"].str.contains("danh mục nhiệm vụ")]
    assert len(refused) > 0 and len(result.observations) > 0
