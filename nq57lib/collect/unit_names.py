"""Units as plans and registers name them: one unit, several, or a group of them.

A cell of "Đơn vị phối hợp" may name several units ("Hội Liên hiệp Phụ nữ xã, Đoàn Thanh
niên xã"), a unit whose own name has a comma ("Phòng Kinh tế, Hạ tầng và Đô thị"), or a
group that is no single unit ("Các phòng, ban", "Các đoàn thể", "UBND các xã, phường",
"các cơ quan, đơn vị liên quan"). The cell is split at ";" and line breaks; its comma
pieces are then joined back wherever the joined text is a unit of ``reporting_units.yaml``
(its name or an alias) or continues a group, so a name is never cut at its own comma.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nq57lib.collect.units import ReportingUnit, ReportingUnits
from nq57lib.core.fuzzy import choose
from nq57lib.core.textnorm import fold

# Unit names share many words ("phòng", "phường", "ban"): a name is suggested only when
# it is closer than the shared words alone make it.
SUGGEST_UNIT = 0.7
MAX_NAME_PIECES = 4
_PARTS = re.compile(r";|\n")
# Folded: a group of units rather than one ("các phòng", "toàn thể", "ubnd các xã").
_GROUP = re.compile(
    r"^(?:cac|toan the|tat ca|moi)\b|\bcac (?:xa|phuong|thon|to dan pho|khu pho|don vi|co quan)"
    r"\b|\b(?:co quan|don vi|to chuc)(?: [a-z]+)? (?:lien quan|co lien quan)\b"
)


@dataclass(frozen=True)
class NamedUnit:
    """One name of a cell: the unit it is (exactly or nearly), a group, or neither."""

    text: str
    unit: ReportingUnit | None = None
    group: bool = False
    near: bool = False  # the unit is only the nearest name, not its name or an alias

    @property
    def known(self) -> bool:
        return self.unit is not None or self.group


def is_group(text: str) -> bool:
    """Whether ``text`` names a group of units ("Các phòng, ban") rather than one."""
    return bool(_GROUP.search(fold(text)))


def exact_unit(text: str, units: ReportingUnits) -> ReportingUnit | None:
    """The unit whose code, name or alias ``text`` is (folded); no near names."""
    key = fold(text)
    if not key:
        return None
    return next((u for u in units if key == fold(u.code) or key in u.forms()), None)


def nearest_units(text: str, units: ReportingUnits, n: int = 2) -> tuple[str, ...]:
    """The names of the units closest to ``text``, for a message ("gần nhất: …")."""
    names = {u.code: u.name_vi for u in units}
    choice = choose(fold(text), ((u.code, form) for u in units for form in u.forms()))
    return tuple(names[code] for code in choice.closest(n, at_least=SUGGEST_UNIT))


def name_units(text: str, units: ReportingUnits, *, near: bool = True) -> list[NamedUnit]:
    """The names of one cell, in order. ``near`` lets a slip of the keyboard name the unit
    it nearly is (a register typed by hand); a plan's names are taken only exactly."""
    named: list[NamedUnit] = []
    for part in _PARTS.split(text or ""):
        pieces = [p.strip().strip(" .-–") for p in part.split(",")]
        pieces = [p for p in pieces if p]
        i = 0
        while i < len(pieces):
            taken = _longest_unit(pieces, i, units)
            if taken is not None:
                j, unit = taken
                named.append(NamedUnit(", ".join(pieces[i:j]), unit))
                i = j
                continue
            if is_group(pieces[i]):
                j = i + 1  # a group takes the pieces after it that are no unit ("…, ban")
                while j < len(pieces) and _longest_unit(pieces, j, units) is None:
                    j += 1
                named.append(NamedUnit(", ".join(pieces[i:j]), group=True))
                i = j
                continue
            unit = units.get(pieces[i]) if near else None
            named.append(NamedUnit(pieces[i], unit, near=unit is not None))
            i += 1
    return named


def _longest_unit(pieces: list[str], i: int, units: ReportingUnits):
    """(end, unit) of the longest run of pieces from ``i`` that is one unit's name (a name
    holds a few commas at most, so a cell of many pieces costs no more than a few)."""
    for j in range(min(len(pieces), i + MAX_NAME_PIECES), i, -1):
        unit = exact_unit(", ".join(pieces[i:j]), units)
        if unit is not None:
            return j, unit
    return None
