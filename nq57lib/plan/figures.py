"""Target figures in a sentence of a plan, and a sentence split into one text per target.

A figure is a number that sets a target: "≥ 80%", "ít nhất 3,0%", "từ 80% đến 90%",
"thuộc nhóm 50 nước dẫn đầu" (a rank: at most 50), "tăng hai lần". Numbers that only
qualify a target are never figures: a year, a date, a document number ("Quyết định số
1132/QĐ-TTg"), a speed ("trên 01 Gbps"), a level ("mức 2 trở lên"), a generation ("5G"),
an age ("15 tuổi"), a rating ("OCOP từ 4 sao"), a duration ("03 năm"), a time ("04:09"), a
declared count ("(12 chỉ tiêu)"), a baseline year ("so với năm 2025"). Within an item,
what already is ("hiện có 150 trạm", then "trong đó có 20 trạm"), a breakdown in
parentheses ("Viettel: 40 trạm") and a count for each of a coverage target's subjects
("100% thôn …, mỗi thôn có tối thiểu 1 điểm") set no target either; a per-year phrase
("bình quân hằng năm") belongs to its own clause and to elliptical ones after it.

Each figure carries the vocabulary unit the assessment uses (``%``, ``count``, ``index``,
``other``) and the plan's own words for it (``unit_label``: "% GDP", "doanh nghiệp",
"xã, phường, thị trấn"), which a table's unit column may set instead.
"""

from __future__ import annotations

import itertools
import re
import sys
from dataclasses import dataclass

from nq57lib.core.textnorm import fold

# ── comparators ─────────────────────────────────────────────────────────────
COMPARATOR_WORDS = {
    "không thấp hơn": ">=",
    "không ít hơn": ">=",
    "không dưới": ">=",
    "ít nhất": ">=",
    "tối thiểu": ">=",
    "≥": ">=",
    ">=": ">=",
    "từ": ">=",
    "không vượt quá": "<=",
    "không quá": "<=",
    "tối đa": "<=",
    "≤": "<=",
    "<=": "<=",
    "ít hơn": "<",
    "dưới": "<",
    "<": "<",
    "trên": ">",
    "hơn": ">",
    "vượt": ">",
    ">": ">",
    "khoảng": "=",
    "=": "=",
}
_COMPARATOR_ALT = "|".join(
    (r"(?<!\w)" if word[0].isalpha() else "") + re.escape(word)
    for word in sorted(COMPARATOR_WORDS, key=len, reverse=True)
)
_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
# A unit may be glued to its number ("20,7m2/người", "596tỷđ"); any other letter after a
# number makes it a name ("5G", "2a").
_GLUED_UNIT = r"(?:m2|m²|km2?|ha|tỷ|trđ|kg|tấn)(?![^\W\d_])"
_MEASURE_AFTER = re.compile(r"^\s*(?:m2|m²|km2?|ha|tấn|kg|triệu|tỷ|nghìn|đồng|usd)(?!\w)", re.I)
_NUM_END = rf"(?:(?={_GLUED_UNIT})|(?![\w/]|[.,]\d|-[^\W\d]))"
_FIGURE = re.compile(
    rf"(?:(?P<comp>{_COMPARATOR_ALT})\s*(?:có\s+)?)?"
    rf"(?<![\w.,/-])(?P<num>{_NUM}){_NUM_END}\s*(?P<pct>%)?"
    rf"(?:\s*(?:-|–|—|đến|tới)\s*(?P<num2>{_NUM}){_NUM_END}\s*(?P<pct2>%)?)?",
    re.IGNORECASE,
)
# A number right after these words qualifies the target instead of setting it.
_QUALIFIER_BEFORE = re.compile(
    r"(?:\bmức|\bmức độ|\bcấp độ|\btốc độ|\bnhiệm kỳ|\bgiai đoạn|\bthông tư|\bnghị định"
    r"|\bnghị quyết|\bquyết định|\bchỉ thị|\bđề án|\bđiều|\bkhoản|\blớp|\bsố|\bngày|\btháng"
    r"|\bquý|\bcông văn|\btờ trình|\bthông báo)\s*$",
    re.IGNORECASE,
)
_QUALIFIER_AFTER = re.compile(
    r"^\s*(?:[GMKT]?b(?:it)?ps\b|[GMKT]?b/s|[GMKT]?B/s|[GMKT]?Hz\b|G\b|tuổi\b|tháng\b|sao\b|năm\b"
    # "(12 chỉ tiêu)", "6 nhiệm vụ trọng tâm": how many a plan declares, never a target.
    r"|chỉ tiêu\b|mục tiêu\b|nhiệm vụ trọng tâm\b|nhóm\b|giai đoạn\b)"
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_AT_LEAST_AFTER = re.compile(r"^\s*trở lên\b", re.IGNORECASE)
_AT_MOST_AFTER = re.compile(r"^\s*trở xuống\b", re.IGNORECASE)
_INDEX_WORDS = re.compile(r"\b(?:chi so|diem|xep hang)\b")  # folded
# "thuộc nhóm 50 nước dẫn đầu": a rank, so the target is a ceiling.
_RANK_BEFORE = re.compile(r"\b(?:nhóm|top|tốp)\s*$", re.IGNORECASE)
_RANK_AFTER = re.compile(r"^\s*(?:nước|quốc gia|tỉnh|địa phương)\b", re.IGNORECASE)
# "tăng hai lần", "gấp 3 lần": a multiple written as a word or a number.
_MULTIPLE = re.compile(
    r"(?<!\w)(?:tăng|gấp)\s+(?P<n>\d+|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s+lần\b",
    re.IGNORECASE,
)
_PAIR = re.compile(r"(?<=%/)(\d+(?:,\d+)?)\s*%")
_NUMBER_WORDS = {"hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8,
                 "chín": 9, "mười": 10}  # fmt: skip
# Words after a "%" that belong to its unit ("30% GDP").
_PERCENT_OF = re.compile(r"^\s*(GDP|GRDP|tổng chi ngân sách|tổng chi NSNN)\b")
# Units of count written after the figure, longest first; else the next word is taken.
_COUNT_UNITS = (
    "nghìn tỷ đồng", "triệu đồng", "tỷ đồng", "doanh nghiệp", "dự án", "sáng kiến",
    "hộ gia đình", "người", "lần", "xã, phường, thị trấn", "huyện, thị xã, thành phố",
    "sản phẩm", "nhiệm vụ", "đề tài", "mô hình", "cơ sở", "trường", "thôn", "tổ",
    "nền tảng", "ứng dụng", "hệ thống", "học sinh", "chuyên gia", "điểm", "giải",
)  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """A target figure found in a text: where it is and what it says."""

    start: int
    end: int
    comparator: str
    value: float
    value_max: float | None
    unit: str
    unit_label: str = ""


def number(text: str) -> float:
    """'1.000' → 1000, '3,5' → 3.5, '0.7' → 0.7; always finite.

    Digits beyond a float's range ("9" written 400 times) read as the largest float, never
    as infinity: such a figure is then outside every indicator's range, and the catalogue
    sets its target aside (:mod:`nq57lib.plan.plausible`).
    """
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        value = float(text.replace(".", "").replace(",", "."))
    else:
        value = float(text.replace(",", "."))
    return min(value, sys.float_info.max)


def _is_qualifier(text: str, match: re.Match[str]) -> bool:
    if match.group("pct") or match.group("pct2"):
        return False
    if _YEAR.match(match.group("num")):
        return True
    before, after = text[: match.start()], text[match.end() :]
    # "ở mức 1,6 m2/người" is a figure with its unit; "mức 3" (no unit) a level.
    level = _QUALIFIER_BEFORE.search(before)
    if level and level.group(0).strip().lower() == "mức" and _MEASURE_AFTER.match(after):
        level = None
    if level or _QUALIFIER_AFTER.match(after):
        return True
    if re.search(r"so với\s*$", before, re.IGNORECASE):
        return True
    if re.match(r"^:\d\d\b", after) or re.search(r"\d:$", before):
        return True  # a time of day, "04:09"
    # "mức độ 3, 4": a second level in a list of levels.
    if re.search(r"\b(?:mức|mức độ|cấp độ)\s*\d+\s*(?:,|và|hoặc)\s*$", before, re.IGNORECASE):
        return True
    # "Quế Xuân 2, Quế Phú": a number closing a proper name, with no unit after it.
    if re.search(r"(?<![.:;]\s)\b[A-ZĐ]\w*\s+$", before) and re.match(r"^\s*(?:[,;)]|$)", after):
        return True
    return before.endswith("(") and after.startswith(")")


def _count_label(after: str) -> str:
    head = after.lstrip()
    lowered = head.lower()
    for unit in _COUNT_UNITS:
        if lowered.startswith(unit) and not lowered[len(unit) : len(unit) + 1].isalpha():
            return unit
    word = re.match(r"[^\W\d_]+", head)
    return word.group(0).lower() if word else ""


def find_figures(text: str) -> list[Figure]:
    """Target figures in ``text``; qualifiers (years, speeds, levels, document numbers) skipped."""
    figures = []
    for match in _FIGURE.finditer(text):
        if _is_qualifier(text, match):
            continue
        before, after = text[: match.start()], text[match.end() :]
        word = (match.group("comp") or "").lower()
        comparator = COMPARATOR_WORDS.get(word, "=")
        value = number(match.group("num"))
        value_max = None
        if match.group("num2"):
            comparator = "range"
            value, value_max = sorted((value, number(match.group("num2"))))
        elif _AT_LEAST_AFTER.match(after) and comparator == "=":
            comparator = ">="
        elif _AT_MOST_AFTER.match(after) and comparator == "=":
            comparator = "<="
        if match.group("pct") or match.group("pct2"):
            unit = "%"
            of = _PERCENT_OF.match(after)
            label = f"% {of.group(1)}" if of else "%"
        else:
            if "," in match.group("num") or not value.is_integer():
                unit = "index"
            elif _INDEX_WORDS.search(fold(before)):
                unit = "index"
            else:
                unit = "count"
            label = _count_label(after)
            if _RANK_BEFORE.search(before) and _RANK_AFTER.match(after) and comparator == "=":
                comparator = "<="
        figures.append(
            Figure(match.start(), match.end(), comparator, value, value_max, unit, label)
        )
    # "tương ứng các cấp là 80%/60%": one figure each side of the slash.
    for match in _PAIR.finditer(text):
        value = number(match.group(1))
        if not any(f.start <= match.start(1) < f.end for f in figures):
            figures.append(Figure(match.start(1), match.end(), "=", value, None, "%", "%"))
    for match in _MULTIPLE.finditer(text):
        if any(f.start <= match.start("n") < f.end for f in figures):
            continue
        raw = match.group("n").lower()
        value = float(raw) if raw.isdigit() else float(_NUMBER_WORDS[raw])
        figures.append(Figure(match.start(), match.end(), "=", value, None, "count", "lần"))
    return sorted(figures, key=lambda f: f.start)


# ── one text per target ─────────────────────────────────────────────────────
# "phấn đấu" and the plan's own misspellings ("phần đầu", "phân đầu") fold alike.
_ASPIRATIONAL = re.compile(r"\bphan dau\b(?! tien)")
_PER_YEAR = re.compile(r"\b(?:hang|moi) nam\b")
# What already is, beside a target: "hiện có 150 trạm", "đã có 20 trạm", and after such a
# clause "trong đó có 20 trạm": a figure after these words in its clause sets no target.
# ("năm 2025 đạt 72 triệu đồng" is a target: a year alone does not say what already is.)
_BASELINE = re.compile(
    r"(?<!\w)(?:hiện (?:có|nay|đang|đạt)|đã (?:có|đạt)|ước (?:đạt|tính))(?!\w)",
    re.IGNORECASE,
)
_PART = re.compile(r"^\s*trong đó\b", re.IGNORECASE)
# "tăng từ X … lên Y": X is where the series starts, Y the target.
_FROM = re.compile(r"(?:tăng|giảm|nâng)\s+(?:từ\s*)?$", re.IGNORECASE)
_TO = re.compile(r"(?<!\w)lên(?:\s+(?:mức|đến))?\s+(?:[≥≤><]\s*)?\d", re.IGNORECASE)
# Words that make a parenthesis state targets rather than compare or break down.
_TARGET_CUE = re.compile(r"(?<!\w)(?:đạt|tối thiểu|ít nhất|phấn đấu)(?!\w)", re.IGNORECASE)
# "…100%, mỗi thôn có tối thiểu 1 điểm truy cập": a count for each unit of a coverage
# target's subject qualifies it.
_EACH = re.compile(r"^\s*(?:(?:bảo|đảm) bảo\s+|đảm bảo\s+)?(?:mỗi|mọi|từng)\s", re.IGNORECASE)
_SCOPE_CUT = re.compile(r"\b(?:với|tới|theo|giữa|có khả năng|kết nối|liên thông)\b", re.IGNORECASE)
_LEVEL_PHRASE = re.compile(r"\bcấp (?:thành phố|tỉnh|quốc gia|trung ương)\b", re.IGNORECASE)
_PROVINCE = re.compile(r"\b(?:của )?tỉnh\b|\b(?:các )?(?:sở, ban, ngành|ban, sở, ngành)")
_CITY = re.compile(r"\b(?:của )?thành phố\b")
# A clause this long without a figure, set apart by ";" or a full stop, is a target itself.
_OWN_CLAUSE_WORDS = 8
# A full stop that ends a sentence inside an item: ". " before a capital letter.
_SENTENCE_END = re.compile(r"\.\s+(?=[A-ZĐÀ-Ỹ])")


def _stating_parentheses(text: str) -> set[int]:
    """Positions of the "(" and ")" of top-level parentheses that state targets
    ("(đến năm 2030 đạt 20%)"): their content is read as clauses of the item."""
    marks, depth, start = set(), 0, 0
    for position, char in enumerate(text):
        if char == "(":
            start = position if depth == 0 else start
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0 and _TARGET_CUE.search(text[start:position]):
                marks.update((start, position))
    return marks


def _clauses(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, strong): clause spans; ``strong`` when the clause starts after a
    sentence end, ";" or a parenthesis that states targets (a clause of its own), not
    after ", " (a continuation)."""
    ends = {m.start() for m in _SENTENCE_END.finditer(text)}
    stating = _stating_parentheses(text)
    spans, depth, begin, strong = [], 0, 0, True
    for position, char in enumerate(text):
        if position in stating:
            spans.append((begin, position, strong))
            begin, strong = position + 1, True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and (
            char == ";"
            or position in ends
            or (char == "," and text[position + 1 : position + 2] == " ")
        ):
            spans.append((begin, position, strong))
            begin, strong = position + 1, char == ";" or position in ends
    spans.append((begin, len(text), strong))
    return [(a, b, c) for a, b, c in spans if text[a:b].strip()]


def _split_multi(text: str, span: tuple[int, int], figures: list[Figure]) -> list[tuple[int, int]]:
    """A clause with several figures splits before each later figure ('… và …' if present)."""
    inside = [f for f in figures if span[0] <= f.start < span[1]]
    cuts = []
    for previous, figure in itertools.pairwise(inside):
        between = text[previous.end : figure.start]
        joiner = max(between.rfind(" và "), between.rfind(" hoặc "))
        cuts.append(previous.end + joiner if joiner >= 0 else figure.start)
    bounds = [span[0], *cuts, span[1]]
    return list(itertools.pairwise(bounds))


def trim(text: str) -> str:
    return text.strip().strip(",;:").rstrip(".").strip()


def detect_scope(text: str) -> tuple[str, str]:
    """(scope, phrase): whose figure the target sets — the ward's, the city's or the province's.

    Only the subject counts: what follows "với", "tới", "liên thông"… names a partner, and
    "cấp thành phố" a level of recognition, not the scope.
    """
    subject = _LEVEL_PHRASE.sub(" ", text)
    cut = _SCOPE_CUT.search(subject)
    subject = subject[: cut.start()] if cut else subject
    for scope, pattern in (("province", _PROVINCE), ("city", _CITY)):
        found = pattern.search(subject.lower())
        if found:
            return scope, found.group(0)
    return "ward", ""


def _outside_parentheses(text: str, figures: list[Figure]) -> list[Figure]:
    """Figures not in parentheses: "(toàn quốc là 30%)" compares and "(Viettel: 40 trạm)"
    breaks a figure down; neither sets a target of its own. A parenthesis that states
    targets ("(đến năm 2030 đạt 20%)", "(Tỷ trọng KTS đạt 20% GDP; …)") keeps them."""
    inside = _parenthesised(text)
    stating = _stating_parentheses(text)
    opened = sorted(stating)[::2]
    kept = []
    for figure in figures:
        if figure.start in inside and not any(
            a < figure.start < b for a, b in zip(opened, sorted(stating)[1::2], strict=True)
        ):
            continue
        kept.append(figure)
    return kept


def _parenthesised(text: str) -> set[int]:
    depth, inside = 0, set()
    for position, char in enumerate(text):
        depth += char == "("
        depth -= char == ")" and depth > 0
        if depth:
            inside.add(position)
    return inside


def _not_targets(text: str, figures: list[Figure], clauses: list[tuple[int, int, bool]]):
    """(figures kept, clause starts that only state what already is)."""
    kept, baseline = [], set()
    for figure in figures:
        index = next((i for i, (a, b, _) in enumerate(clauses) if a <= figure.start < b), 0)
        start = clauses[index][0] if clauses else 0
        head = text[start : figure.start]
        # "hiện có 150 trạm, trong đó có 20 trạm …": a part of what already is, too.
        part_of_baseline = index > 0 and clauses[index - 1][0] in baseline and _PART.match(head)
        if _BASELINE.search(head) or part_of_baseline:
            baseline.add(start)
            continue
        end = clauses[index][1] if clauses else len(text)
        starts_from = head.rstrip().lower().endswith("từ") or text[
            figure.start :
        ].lower().startswith("từ")
        if starts_from and _FROM.search(head) and _TO.search(text[figure.end : end]):
            continue  # "tăng từ 52 nghìn người năm 2019 lên 140 nghìn người": the start

        earlier_share = any(f.unit == "%" and f.start < start for f in figures)
        if figure.unit == "count" and earlier_share and _EACH.match(head):
            continue
        kept.append(figure)
    return kept, baseline


def split_targets(text: str) -> list[dict]:
    """The targets one cleaned item holds, as dicts of the parser's per-target columns."""
    clauses = _clauses(text)
    figures, baseline = _not_targets(text, _outside_parentheses(text, find_figures(text)), clauses)
    spans, alone = [], set()
    for index, (start, end, strong) in enumerate(clauses):
        pieces = _split_multi(text, (start, end), figures)
        spans.extend(pieces)
        # Beside figures, a clause of its own ("; …" or a sentence), long and without a
        # figure, is a (qualitative) target of its own; an item without any figure stays
        # one target.
        after = index + 1 == len(clauses) or clauses[index + 1][2]
        own = strong and after and figures and not any(start <= f.start < end for f in figures)
        own = own and start not in baseline
        if own and len(text[start:end].split()) >= _OWN_CLAUSE_WORDS:
            alone.add(pieces[0])
    groups: list[list[tuple[int, int]]] = []
    pending: list[tuple[int, int]] = []
    for span in spans:
        has_figure = any(span[0] <= f.start < span[1] for f in figures)
        if span in alone:
            if pending:
                groups.append(pending)
                pending = []
            groups.append([span])
        elif has_figure:
            groups.append([*pending, span])
            pending = []
        elif groups:
            groups[-1].append(span)
        else:
            pending.append(span)
    if not groups:
        groups = [[(0, len(text))]]
    elif pending:
        groups[-1].extend(pending)
    lead_in = fold(text[: figures[0].start]) if figures else ""
    stating = sorted(_stating_parentheses(text))
    asides = list(zip(stating[::2], stating[1::2], strict=True))
    targets = []
    for index, group in enumerate(groups):
        start, end = group[0][0], group[-1][1]
        own = trim(text[start:end])
        figure = next((f for f in figures if start <= f.start < end), None)
        fields = target_fields(own, figure, lead_in)
        # "Phấn đấu hằng năm có 02 A; 01 B": the lead's "hằng năm" carries to an elliptical
        # "01 B", not to a clause with its own verb ("…; xây dựng 3 mô hình").
        elliptical = figure is not None and not text[start : figure.start].strip(" ,;:")
        if index and not elliptical and not _PER_YEAR.search(fold(own)):
            fields["per_year"] = False
        # Said in parentheses ("… 10% (đến năm 2030 đạt 20%)"): its year is its own only.
        fields["aside"] = any(a < start <= b for a, b in asides)
        targets.append(fields)
    return targets


def target_fields(own: str, figure: Figure | None, lead_in: str = "") -> dict:
    """The per-target columns of one target's own words and figure."""
    folded = fold(own)
    return {
        "comparator": figure.comparator if figure else None,
        "value": figure.value if figure else None,
        "value_max": figure.value_max if figure else None,
        "unit": figure.unit if figure else "other",
        "unit_label": figure.unit_label if figure else "",
        "per_year": bool(_PER_YEAR.search(folded) or _PER_YEAR.search(lead_in)),
        "aspirational": bool(_ASPIRATIONAL.search(folded) or _ASPIRATIONAL.search(lead_in)),
        "qualitative": figure is None,
        "scope": detect_scope(own)[0],
        "text": own,
    }
