"""Recognise an indicator from what a unit wrote: its code or its name.

Names are compared after folding (no diacritics, lower case, single spaces),
expanding common administrative abbreviations and dropping filler words such as
"tỷ lệ", then scored by the one fuzzy matcher (:mod:`nq57lib.core.fuzzy`). A name
that is not close enough to exactly one registry name is *not* guessed: the caller
quarantines it with the closest candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nq57lib.core.fuzzy import choose, similarity
from nq57lib.core.textnorm import fold
from nq57lib.plan.registry import Indicator, Registry

# Abbreviations seen in ward workbooks, in folded form.
ABBREVIATIONS: dict[str, str] = {
    "tthc": "thu tuc hanh chinh",
    "dvc": "dich vu cong",
    "dvctt": "dich vu cong truc tuyen",
    "cbcc": "can bo cong chuc",
    "cbccvc": "can bo cong chuc vien chuc",
    "csgd": "co so giao duc",
    "csdl": "co so du lieu",
    "httt": "he thong thong tin",
    "cds": "chuyen doi so",
    "dmst": "doi moi sang tao",
    "khcn": "khoa hoc cong nghe",
    "kh&cn": "khoa hoc cong nghe",
    "kh cn": "khoa hoc cong nghe",
    "dn": "doanh nghiep",
    "dnnvv": "doanh nghiep nho va vua",
    "nsnn": "ngan sach",
    "cks": "chu ky so",
    "attt": "an toan thong tin",
    "ttdl": "trung tam du lieu",
    "tttm": "trung tam thuong mai",
    "clb": "cau lac bo",
    "sk": "sang kien",
    "hs": "ho so",
    "ubnd": "uy ban nhan dan",
}
# Words that carry no meaning for recognition ("Tỷ lệ ...", "Số ...").
_FILLER = {
    "ty",
    "le",
    "so",
    "luong",
    "cac",
    "nhung",
    "duoc",
    "co",
    "cua",
    "tren",
    "dia",
    "ban",
    "phuong",
    "va",
    "the",
    "dat",
    "muc",
    "tai",
    "cho",
    "trong",
    "ve",
    "%",
}
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Match:
    """The outcome of recognising one label. ``indicator`` is None when not recognised."""

    text: str
    indicator: Indicator | None
    how: str  # "code", "name", "near name" or "unknown"
    score: float = 0.0
    candidates: tuple[Indicator, ...] = ()


def _expand(folded: str) -> str:
    words = folded.replace("kh&cn", "khcn").split()
    out: list[str] = []
    for word in words:
        out.extend(ABBREVIATIONS.get(word, word).split())
    return " ".join(out)


def _key(text: str) -> str:
    """Folded, abbreviations expanded, filler words dropped."""
    words = _expand(fold(text)).split()
    kept = [w for w in words if w not in _FILLER]
    return " ".join(kept or words)


# Score of a shortened name: a label whose words (4 or more, at least half the name) all
# occur in one registry name.
SHORTENED = 0.9


def _similarity(a: str, b: str) -> float:
    """Similarity of a label key ``a`` to a registry name key ``b`` (0–1)."""
    if a == b:
        return 1.0
    words_a, words_b = set(a.split()), set(b.split())
    shortened = (
        SHORTENED
        if len(words_a) >= 4 and 2 * len(words_a) >= len(words_b) and words_a <= words_b
        else 0.0
    )
    sequence = similarity(a, b)
    overlap = len(words_a & words_b) / max(len(words_a | words_b), 1)
    return max(shortened, sequence, (sequence + overlap) / 2)


class IndicatorMatcher:
    """Recognise indicators of one registry; results are cached per label."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self._by_id = {i.id: i for i in registry}
        self._exact: dict[str, Indicator] = {}
        self._keys: list[tuple[str, Indicator]] = []
        ambiguous: set[str] = set()
        for indicator in registry:
            for name in indicator.names():
                for form in (fold(name), _key(name)):
                    known = self._exact.get(form)
                    if known is not None and known.id != indicator.id:
                        ambiguous.add(form)
                    self._exact[form] = indicator
                self._keys.append((_key(name), indicator))
        for form in ambiguous:
            del self._exact[form]
        # Word → the names holding it, for the words that tell names apart (in fewer than
        # a fifth of them): a label is compared only with names sharing such a word, so
        # an unknown label costs a few comparisons instead of one per name.
        holders: dict[str, set[int]] = {}
        for position, (name_key, _indicator) in enumerate(self._keys):
            for word in set(name_key.split()):
                holders.setdefault(word, set()).add(position)
        common = max(2, len(self._keys) // 5)
        self._by_word = {w: p for w, p in holders.items() if len(p) <= common}
        self.match = lru_cache(maxsize=4096)(self._match)

    def by_code(self, code: str) -> Indicator | None:
        text = code.strip()
        return self._by_id.get(text) or self._by_id.get(text.lower())

    def _match(self, text: str) -> Match:
        label = text.strip()
        indicator = self.by_code(label)
        if indicator is not None:
            return Match(label, indicator, "code", 1.0)
        folded = fold(label)
        if not folded:
            return Match(label, None, "unknown")
        key = _key(label)
        for form in (folded, key):
            if form in self._exact:
                return Match(label, self._exact[form], "name", 1.0)
        near = sorted({p for word in set(key.split()) for p in self._by_word.get(word, ())})
        choice = choose(
            key,
            ((candidate.id, name_key) for name_key, candidate in (self._keys[p] for p in near)),
            _similarity,
        )
        if choice.key is not None:
            return Match(label, self._by_id[choice.key], "near name", choice.score)
        candidates = tuple(self._by_id[i] for i in choice.closest())
        return Match(label, None, "unknown", choice.score, candidates)

    def looks_like_code(self, text: str) -> bool:
        return bool(_CODE.match(text.strip())) and "_" in text


def describe_candidates(match: Match) -> str:
    """'gần nhất: vneid_residents (Tỷ lệ người dân …), …' for quarantine reasons."""
    if not match.candidates:
        return "không có chỉ tiêu nào gần giống trong danh mục"
    shown = ", ".join(f"{c.id} ({c.name_vi})" for c in match.candidates)
    return f"các chỉ tiêu gần nhất: {shown}"
