"""What a rendered briefing states about its indicators, read back from its HTML, and the
checks that bind its views together (tests/test_one_truth.py).

Every count stated in a sentence must equal the list or table it refers to; the attention
list must be the same on page 1, in section II.1, in its chart and in section III; no
indicator may be listed twice. The reading is of the HTML a leader opens, not of nq57's
frames, so a view that selects for itself is caught.
"""

from __future__ import annotations

import re

import lxml.html

_LIST_AT = "(mục II.1)"
# "Cần tập trung chỉ đạo 19 chỉ tiêu (mục II.1), trước hết là A; B; C." and the forms
# for one ("… chỉ đạo chỉ tiêu A (mục II.1).") and a few ("… 3 chỉ tiêu (mục II.1): A; B; C.").
_MANY = re.compile(
    r"tập trung chỉ đạo (\d+) chỉ tiêu \(mục II\.1\)(?:, trước hết là |: )(.+?)\.(?: |$)"
)
_ONE = re.compile(r"tập trung chỉ đạo chỉ tiêu (.+?) \(mục II\.1\)\.")
_GROUPS = {
    "chỉ tiêu đã đạt hoặc đúng tiến độ": ("Đạt", "Đúng tiến độ"),
    "chỉ tiêu cần đẩy nhanh hoặc chậm tiến độ": ("Cần đẩy nhanh", "Chậm tiến độ"),
    "chỉ tiêu đi xuống hoặc quá hạn chưa đạt": ("Đi xuống", "Quá hạn chưa đạt"),
    "chỉ tiêu chưa có hoặc chưa đủ số liệu để đánh giá": ("Chưa có số liệu", "Chưa đủ số liệu"),
    "chỉ tiêu chưa đến kỳ đánh giá": ("Chưa đến kỳ áp dụng", "Chưa đến kỳ đánh giá"),
}


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _number(text: str) -> int:
    return int(text.replace(".", ""))


class Briefing:
    """The statements of one rendered briefing."""

    def __init__(self, html: str):
        self.root = lxml.html.fromstring(html)

    def section(self, css: str):
        found = self.root.find_class(css)
        return found[0] if found else None

    @property
    def attention(self) -> list[tuple[str, str]]:
        """II.1's items: (indicator id, "name (lead unit)") in order."""
        listed = self.root.find_class("nq57-urgent")
        if not listed:
            return []
        items = []
        for li in listed[0].iter("li"):
            name = _text(li.find("strong"))
            rest = _text(li).split(name, 1)[1]
            lead = re.match(r" \(([^)]*)\):", rest)
            items.append((li.get("data-indicator"), f"{name} ({lead.group(1)})" if lead else name))
        return items

    def named(self, css: str) -> tuple[int | None, list[str]]:
        """The attention count and names one section states (None: it states none)."""
        block = self.section(css)
        if block is None:
            return None, []
        for paragraph in block.iter("p"):
            text = _text(paragraph).replace("Tập trung", "tập trung")
            many = _MANY.search(text)
            if many:
                return _number(many.group(1)), many.group(2).split("; ")
            one = _ONE.search(text)
            if one:
                return 1, [one.group(1)]
        return None, []

    def chart_numbers(self) -> list[int]:
        caption = [_text(p) for p in self.section("nq57-shortcomings").iter("p")]
        for line in caption:
            if line.startswith("Biểu đồ: khoảng cách tới mục tiêu"):
                found = re.search(r"chỉ tiêu số ([\d, ]+) trong danh sách", line)
                return [int(n) for n in found.group(1).split(", ")]
        return []

    def tables(self, css: str) -> list[list[list[str]]]:
        block = self.section(css)
        out = []
        for table in block.iter("table") if block is not None else ():
            out.append([[_text(c) for c in row.iter("th", "td")] for row in table.iter("tr")])
        return out

    def status_counts(self) -> dict[str, int]:
        """The counts table of I.1: status label → number of indicators."""
        for table in self.tables("nq57-results"):
            if table and table[0][:2] == ["Đánh giá", "Số chỉ tiêu"]:
                return {row[0]: _number(row[1]) for row in table[1:]}
        return {}


def problems(html: str) -> list[str]:
    """Every disagreement between the briefing's views (empty: one truth)."""
    brief = Briefing(html)
    found: list[str] = []
    items = brief.attention
    ids = [i for i, _ in items]
    if len(set(ids)) != len(ids):
        found.append(f"II.1 lists an indicator twice: {ids}")
    names = [n for _, n in items]
    for css, where in (("nq57-opening", "page 1"), ("nq57-directions", "section III")):
        count, said = brief.named(css)
        if not items:
            if count is not None:
                found.append(f"{where} names {count} indicators for attention; II.1 lists none")
            continue
        if count != len(items):
            found.append(
                f"{where} counts {count} indicators for attention; II.1 lists {len(items)}"
            )
        if said != names[: len(said)]:
            found.append(f"{where} names {said}; II.1 begins {names[: len(said)]}")
    numbers = brief.chart_numbers()
    if numbers and (
        numbers != sorted(set(numbers)) or not set(numbers) <= set(range(1, len(items) + 1))
    ):
        found.append(f"the chart shows items {numbers} of a list of {len(items)}")
    counts = brief.status_counts()
    opening = _text(brief.section("nq57-opening"))
    total = re.search(r"Kế hoạch có (\d+) chỉ tiêu", opening)
    if total and _number(total.group(1)) != sum(counts.values()):
        found.append(
            f"page 1 says {total.group(1)} indicators; the table counts {sum(counts.values())}"
        )
    note = re.search(
        r"(\d+) chỉ tiêu; mỗi chỉ tiêu được tính một lần", _text(brief.section("nq57-results"))
    )
    if note and _number(note.group(1)) != sum(counts.values()):
        found.append(
            f"I.1 says {note.group(1)} indicators; its table counts {sum(counts.values())}"
        )
    for words, labels in _GROUPS.items():
        stated = re.search(rf"(\d+) {words}", opening)
        table = sum(counts.get(label, 0) for label in labels)
        if stated and _number(stated.group(1)) != table:
            found.append(f"page 1: {stated.group(0)!r}; the table counts {table}")
        if not stated and table and words in _GROUPS:
            found.append(f"page 1 does not state the {table} {words}")
    for table in brief.tables("nq57-results"):
        head = table[0] if table else []
        if "Hoàn thành đúng hạn" in head and "Tỷ lệ đúng hạn" in head:
            done, rate = head.index("Hoàn thành đúng hạn"), head.index("Tỷ lệ đúng hạn")
            for row in table[1:]:
                if _number(row[done]) > 0 and row[rate] == "0%":
                    found.append(f"{row[0]}: tasks done on time and 0% on time")
    prose = " ".join(_text(p) for p in brief.root.iter("p"))
    for zero in re.findall(r"(?<![\d,.])0 (?:chỉ tiêu|nhiệm vụ|đơn vị)\b[^.;,]*", prose):
        found.append(f"a sentence about nothing: {zero!r}")
    listed_before = re.findall(r"(\d+) (?:chỉ tiêu|nhiệm vụ)[^;]{0,40}?, trước hết là", prose)
    if prose.count("trước hết là") != len(listed_before) or any(
        _number(n) < 2 for n in listed_before
    ):
        found.append("'trước hết là' not after a count of several")
    return found
