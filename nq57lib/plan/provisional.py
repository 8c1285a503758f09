"""Provisional indicators: targets of a plan that no reviewed registry entry describes yet.

Another ward's plan names things the registry does not know. Such a target is not dropped:
it gets a provisional indicator id, ``new:`` followed by a slug of its own words without
figures, comparators and years (``new:ty_le_ho_so_truc_tuyen_toan_trinh``), so that the
same wording at two milestones ("… — 60" in 2026, "… — 90" in 2030) makes one series. The
pipeline runs with these indicators (templates, statuses, report rows), and the report
marks them as not yet reviewed. ``nq57 indicators --draft FILE.yaml`` writes registry
entries for them — names, unit, kind and direction guessed from the plan, aliases from
its words — for an analyst to review and merge into ``indicators.yaml``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from nq57lib.core.atomic import write_text_atomic
from nq57lib.core.textnorm import fold, nfc
from nq57lib.plan.figures import COMPARATOR_WORDS, find_figures
from nq57lib.plan.registry import Indicator, Registry

PREFIX = "new:"
_SLUG_WORDS = 7
# Words around a figure that say "reach", "at least", "every year" rather than what is
# measured (compared with diacritics: "tử" in "điện tử" is not "từ").
_FILLER = frozenset(
    (
        "đạt có được phấn đấu hằng hàng năm mỗi đến hết từ trở lên xuống và các những một "
        "mức khoảng duy trì ở tại của cho với trong đó là gdp grdp"
    ).split()
) | frozenset(word for phrase in COMPARATOR_WORDS for word in phrase.split())
# A clause that introduces targets ("UBND phường đặt mục tiêu đến năm 2030, …").
_LEAD_IN = re.compile(r"\b(?:muc tieu|chi tieu|phan dau|den nam|theo do|cu the)\b")
_NAME_WORDS = 3
_MONEY_WORDS = 16


def is_provisional(indicator_id: object) -> bool:
    return isinstance(indicator_id, str) and indicator_id.startswith(PREFIX)


def _trimmed(words: list[str]) -> list[str]:
    while words and words[-1].lower().strip(",;:") in _FILLER | {""}:
        words = words[:-1]
    while words and words[0].lower().strip(",;:") in _FILLER | {""}:
        words = words[1:]
    return words


def name_words(text: str) -> str:
    """What a target measures, in its own words, without figures and filler:
    "Tỷ lệ hồ sơ trực tuyến toàn trình — 60" → "Tỷ lệ hồ sơ trực tuyến toàn trình",
    "100% văn bản đi được ký số" → "văn bản đi được ký số",
    "Tỷ lệ phủ sóng 5G trên địa bàn đạt 100%" → "Tỷ lệ phủ sóng 5G trên địa bàn"."""
    head = nfc(text).split(" — ")[0]
    clauses = head.split(", ")
    while len(clauses) > 1 and _LEAD_IN.search(fold(clauses[0])):
        clauses = clauses[1:]
    head = ", ".join(clauses)
    figures = find_figures(head)
    if figures:
        before = _trimmed(head[: figures[0].start].split())
        after = _trimmed(head[figures[0].end :].split())
        words = before if len(before) >= _NAME_WORDS or not after else after
        if figures[0].unit_label.endswith("đồng"):
            # "Bố trí … 120 triệu đồng từ ngân sách xã cho khoa học, công nghệ": the sum is
            # named by what it is for, after the figure, as much as by the verb before it.
            words = [*before, *after[:_MONEY_WORDS]]
    else:
        words = _trimmed(head.split())
    name = " ".join(words).strip(" ,;:-–")
    return name or nfc(text).strip()


def provisional_id(text: str) -> str:
    """The stable provisional id of a target's wording (figures and years left out)."""
    words = re.findall(r"[a-z0-9]+", fold(name_words(text)))
    # "Tỷ lệ hộ gia đình …" and "Có 30% hộ gia đình …" measure the same thing.
    for measure in (["ty", "le"], ["ti", "le"], ["so", "luong"], ["so"]):
        if words[: len(measure)] == measure and len(words) > len(measure):
            words = words[len(measure) :]
            break
    return PREFIX + "_".join(words[:_SLUG_WORDS] or ["chi_tieu"])


def _kind(rows: pd.DataFrame) -> str:
    if bool(rows["qualitative"].all()):
        return "milestone"
    if bool(rows["per_year"].any()):
        return "flow"
    return "level"


def _unit(rows: pd.DataFrame) -> str:
    units = [u for u in rows["unit"] if u != "other"]
    return max(set(units), key=units.count) if units else "other"


def provisional_indicators(targets: pd.DataFrame) -> tuple[Indicator, ...]:
    """One indicator per provisional id among ``targets`` (in plan order)."""
    out = []
    for ident, rows in targets[targets["indicator_id"].map(is_provisional)].groupby(
        "indicator_id", sort=False
    ):
        first = rows.iloc[0]
        comparators = set(rows["comparator"].dropna())
        name = name_words(str(first["text"]))
        out.append(
            Indicator(
                id=ident,
                area=str(first["area"] or ""),
                name_vi=name,
                name_en="",
                unit=_unit(rows),
                kind=_kind(rows),
                direction="decrease" if comparators and comparators <= {"<", "<="} else "increase",
                match=(tuple(fold(name).split()[:_SLUG_WORDS]),),
                aliases=(name,),
            )
        )
    return tuple(out)


def with_provisional(registry: Registry, targets: pd.DataFrame) -> Registry:
    """``registry`` and the provisional indicators of ``targets``, as one registry."""
    extra = provisional_indicators(targets)
    if not extra:
        return registry
    return Registry(
        registry.path, (*registry.indicators, *extra), registry.area_names, registry.untracked
    )


def draft_entries(indicators: tuple[Indicator, ...], targets: pd.DataFrame) -> list[dict]:
    """Registry entries (``indicators.yaml`` form) for the provisional indicators."""
    entries = []
    for indicator in indicators:
        own = targets[targets["indicator_id"] == indicator.id]
        slug = indicator.id.removeprefix(PREFIX)
        entries.append(
            {
                "id": slug,
                "area": indicator.area or "?",
                "name_vi": indicator.name_vi,
                "name_en": "TODO",
                "unit": indicator.unit,
                "kind": indicator.kind,
                "direction": indicator.direction,
                "match": [list(indicator.match[0])],
                "aliases": list(indicator.aliases),
                "_plan_lines": sorted(int(n) for n in own["source_line"]),
                "_plan_text": [str(t) for t in own["text"]],
            }
        )
    return entries


DRAFT_HEADER = """\
# Draft registry entries for targets of {plan} that no reviewed indicator describes.
# Written by `nq57 indicators --draft`; nothing here is used until it is reviewed.
# For each entry: check name_vi and write name_en; set `area` (a letter of ward.yaml's
# areas); check unit (% · count · index · other), kind (level · flow · stock · milestone)
# and direction; narrow `match` to the phrases that identify the indicator; then move the
# entry (without the _plan_* lines) into indicators.yaml and assign it to a unit in
# reporting_units.yaml. Until then the pipeline tracks it as "new:<id>", marked
# "chưa rà soát" in the report.
"""


def write_draft(entries: list[dict], plan: Path, out: Path | str) -> Path:
    """Write the draft entries as YAML (never over an existing file: it may hold edits)."""
    out = Path(out)
    body = yaml.safe_dump({"indicators": entries}, allow_unicode=True, sort_keys=False, width=100)
    return write_text_atomic(DRAFT_HEADER.format(plan=plan.name) + "\n" + body, out)
