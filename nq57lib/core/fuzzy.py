"""One fuzzy matcher for every name a unit may write: an indicator's, a task's, a unit's.

What a unit typed is compared, folded, with each name it could mean; the scores come from
rapidfuzz's normalised Indel similarity (twice the longest common subsequence over both
lengths: difflib's ratio, computed exactly and in C). A name is taken only when it is
close enough (:data:`ACCEPT`) and clearly ahead of every other candidate (:data:`MARGIN`);
otherwise nothing is guessed and the closest candidates (over :data:`SUGGEST`) are named
in the quarantine reason. The thresholds are one set for every kind of name, tuned on the
matching tests (tests/test_matching.py, tests/test_task_ingest.py,
tests/test_reporting_units.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz.distance import Indel

ACCEPT = 0.86  # similarity needed to accept a near name
MARGIN = 0.06  # … and how far ahead of the next candidate it must be
SUGGEST = 0.45  # candidates worth naming in a quarantine reason


def similarity(a: str, b: str) -> float:
    """How alike two folded texts are, 0–1 (1: the same)."""
    return Indel.normalized_similarity(a, b)


@dataclass(frozen=True)
class Choice:
    """The outcome of one comparison: the key taken (or None) and the ranked candidates."""

    key: str | None
    score: float
    ranked: tuple[tuple[str, float], ...]

    def closest(self, n: int = 3, at_least: float = SUGGEST) -> tuple[str, ...]:
        return tuple(key for key, score in self.ranked[:n] if score >= at_least)


def choose(
    text: str,
    candidates: Iterable[tuple[str, str]],
    score: Callable[[str, str], float] = similarity,
) -> Choice:
    """The key of the candidate ``(key, name)`` that ``text`` names, by :data:`ACCEPT` and
    :data:`MARGIN`; a key with several names counts by its closest one."""
    best: dict[str, float] = {}
    for key, name in candidates:
        value = score(text, name)
        if value > best.get(key, -1.0):
            best[key] = value
    ranked = tuple(sorted(best.items(), key=lambda item: (-item[1], item[0])))
    if not ranked:
        return Choice(None, 0.0, ())
    top_key, top = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    taken = top_key if top >= ACCEPT and top - runner_up >= MARGIN else None
    return Choice(taken, top, ranked)
