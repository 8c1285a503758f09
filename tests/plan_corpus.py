"""Scoring the parser against hand-annotated plan excerpts (tests/fixtures/plans/corpus*).

Each excerpt ``NN-slug.md`` has ``NN-slug.expected.csv`` (milestone_year, comparator, value,
value_max, unit, qualitative, text), annotated by hand from the source, not from nq57's
output. A found target with a figure matches an annotated one when the milestone year and
the value(s) agree (each annotated row is matched at most once); the comparator is scored
apart, since annotators and plans differ on hedges ("phấn đấu 50%"). A qualitative target
matches one of the same year sharing at least half of the shorter text's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from nq57lib.core.errors import Nq57Error
from nq57lib.core.textnorm import fold
from nq57lib.plan.parser import read_plan_targets


@dataclass
class Score:
    expected: int = 0
    found: int = 0
    matched: int = 0
    same_comparator: int = 0
    qualitative_expected: int = 0
    qualitative_found: int = 0
    qualitative_matched: int = 0
    refused: int = 0  # plans the parser refused outright (an error, not a catalogue)

    def __iadd__(self, other: Score) -> Score:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    def line(self, name: str) -> str:
        return (
            f"{name:42s} targets with a figure: {self.matched}/{self.expected} found, "
            f"{self.found - self.matched} extra; qualitative {self.qualitative_matched}/"
            f"{self.qualitative_expected} ({self.qualitative_found} found)"
            + ("; REFUSED" if self.refused else "")
        )


def _value(x: object) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def _same_year(found: object, annotated: float | None) -> bool:
    """An annotation without a year (the excerpt states none) matches any year; a target
    the parser gave no year matches only such an annotation."""
    return annotated is None or (_value(found) is not None and int(found) == int(annotated))


def _words(text: object) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", fold(str(text))))


def score(md: Path) -> Score:
    expected = pd.read_csv(md.with_name(md.stem + ".expected.csv"))
    result = Score()
    try:
        found = read_plan_targets(md).targets
    except Nq57Error:
        result.refused = 1
        result.expected = int((~expected["qualitative"].astype(bool)).sum())
        result.qualitative_expected = int(expected["qualitative"].astype(bool).sum())
        return result
    wanted = expected[~expected["qualitative"].astype(bool)]
    got = found[~found["qualitative"]]
    result.expected, result.found = len(wanted), len(got)
    free = list(got.itertuples())
    for row in wanted.itertuples():
        for candidate in free:
            # An annotation without a year (the excerpt states none) matches any year.
            if (
                _same_year(candidate.milestone_year, _value(row.milestone_year))
                and _value(candidate.value) == _value(row.value)
                and _value(candidate.value_max) == _value(row.value_max)
            ):
                free.remove(candidate)
                result.matched += 1
                written = row.comparator if isinstance(row.comparator, str) else "="
                result.same_comparator += (candidate.comparator or "=") == written
                break
    wanted_q = expected[expected["qualitative"].astype(bool)]
    got_q = list(found[found["qualitative"]].itertuples())
    result.qualitative_expected, result.qualitative_found = len(wanted_q), len(got_q)
    for row in wanted_q.itertuples():
        for candidate in got_q:
            mine, theirs = _words(candidate.text), _words(row.text)
            shorter = min(len(mine), len(theirs)) or 1
            if _same_year(candidate.milestone_year, _value(row.milestone_year)) and (
                len(mine & theirs) / shorter >= 0.5
            ):
                got_q.remove(candidate)
                result.qualitative_matched += 1
                break
    return result


def score_folder(folder: Path) -> tuple[Score, dict[str, Score]]:
    per_file = {md.stem: score(md) for md in sorted(folder.glob("*.md")) if md.stem != "README"}
    total = Score()
    for one in per_file.values():
        total += one
    return total, per_file
