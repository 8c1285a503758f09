"""Reporting units and the indicators each one reports (``data/reporting_units.yaml``).

A plan's provisional indicators (``new:…``, targets no reviewed indicator describes yet)
are reported by the file's ``default_unit`` (else its first unit) until the analyst lists
them under a unit; every indicator the ward tracks must be listed under exactly one unit.
An indicator of the registry that the ward does not track (its plan sets it no target:
:mod:`nq57lib.plan.tracked`) may stay listed, as in a file copied from another ward;
nobody owes it here. A unit may list no indicator (it reports on tasks only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nq57lib.core.errors import RegistryError
from nq57lib.core.fuzzy import choose
from nq57lib.core.project import Project
from nq57lib.core.textnorm import fold, nfc
from nq57lib.plan.provisional import is_provisional
from nq57lib.plan.registry import Registry, file_stamp, read_yaml
from nq57lib.plan.tracked import ward_registry


@dataclass(frozen=True)
class ReportingUnit:
    code: str
    name_vi: str
    aliases: tuple[str, ...]
    indicators: tuple[str, ...]

    @property
    def slug(self) -> str:
        """File-name form of the code: ``cong_an`` -> ``cong-an``."""
        return self.code.replace("_", "-")

    def forms(self) -> tuple[str, ...]:
        """Folded names by which a title or a file name may refer to the unit."""
        return tuple(fold(t) for t in (self.code.replace("_", " "), self.name_vi, *self.aliases))


@dataclass(frozen=True)
class ReportingUnits:
    path: Path
    units: tuple[ReportingUnit, ...]

    def __iter__(self):
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)

    def unit_of(self, indicator_id: str) -> ReportingUnit | None:
        for unit in self.units:
            if indicator_id in unit.indicators:
                return unit
        return None

    def get(self, code_or_name: str) -> ReportingUnit | None:
        """The unit whose code, name or alias equals ``code_or_name`` (folded), else the
        one unit whose name it nearly is (a slip of the keyboard: the one fuzzy matcher)."""
        key = fold(code_or_name)
        if not key:
            return None
        for unit in self.units:
            if key == fold(unit.code) or key in unit.forms():
                return unit
        choice = choose(key, ((unit.code, form) for unit in self.units for form in unit.forms()))
        return next((u for u in self.units if u.code == choice.key), None)

    def find_in_text(self, text: str) -> ReportingUnit | None:
        """The unit named inside a longer text (a title row); the longest name wins."""
        folded = f" {fold(text)} "
        best: tuple[int, ReportingUnit] | None = None
        for unit in self.units:
            for form in unit.forms():
                if form and f" {form} " in folded and (best is None or len(form) > best[0]):
                    best = (len(form), unit)
        return best[1] if best else None

    def find_in_filename(self, name: str) -> ReportingUnit | None:
        """The unit named in a file name such as ``cong-an.xlsx`` or ``2026Q3_CongAn.xlsx``."""
        stem = fold(re.sub(r"\.[A-Za-z0-9]+$", "", name))
        compact = stem.replace(" ", "")
        best: tuple[int, ReportingUnit] | None = None
        for unit in self.units:
            for form in unit.forms():
                squeezed = form.replace(" ", "")
                if (
                    len(squeezed) >= 4
                    and squeezed in compact
                    and (best is None or len(form) > best[0])
                ):
                    best = (len(form), unit)
        return best[1] if best else None


def _check(document: object, registry: Registry) -> list[str]:
    units = document.get("units") if isinstance(document, dict) else None
    if not isinstance(units, list) or not units:
        return ["no 'units:' list"]
    problems: list[str] = []
    owner: dict[str, str] = {}
    codes: set[str] = set()
    for position, entry in enumerate(units, 1):
        if not isinstance(entry, dict):
            problems.append(f"unit #{position} is not a mapping")
            continue
        code = entry.get("code") or f"#{position}"
        for key in ("code", "name_vi"):
            if not entry.get(key):
                problems.append(f"unit {code!r}: '{key}' is missing")
        if not isinstance(entry.get("indicators", []) or [], list):
            problems.append(f"unit {code!r}: 'indicators' must be a list")
            continue
        if code in codes:
            problems.append(f"unit {code!r} is defined twice")
        codes.add(code)
        for indicator_id in entry.get("indicators") or []:
            if indicator_id in registry.untracked:
                continue
            if indicator_id not in registry:
                problems.append(f"unit {code!r}: unknown indicator {indicator_id!r}")
            elif indicator_id in owner:
                problems.append(
                    f"indicator {indicator_id!r} is assigned to both "
                    f"{owner[indicator_id]!r} and {code!r}"
                )
            else:
                owner[indicator_id] = code
    problems.extend(
        f"indicator {i.id!r} is not assigned to any unit"
        for i in registry
        if i.id not in owner and not is_provisional(i.id)
    )
    default = document.get("default_unit")
    if default is not None and default not in codes:
        problems.append(f"default_unit {default!r} is not one of the units")
    return problems


def load_reporting_units(path: Path | str, registry: Registry) -> ReportingUnits:
    """Read the unit assignment at ``path`` (a project's ``units_path``) and check it
    against ``registry``; all problems at once."""
    path = Path(path).resolve()
    return _load(path, file_stamp(path), registry)


@lru_cache(maxsize=8)
def _load(path: Path, _stamp: tuple[int, int] | None, registry: Registry) -> ReportingUnits:
    document = read_yaml(path)
    problems = _check(document, registry)
    if problems:
        raise RegistryError(path, problems)
    units = tuple(
        ReportingUnit(
            code=str(entry["code"]),
            name_vi=nfc(str(entry["name_vi"])),
            aliases=tuple(nfc(str(a)) for a in entry.get("aliases") or ()),
            indicators=tuple(
                i for i in entry.get("indicators") or () if i not in registry.untracked
            ),
        )
        for entry in document["units"]
    )
    # Provisional indicators nobody lists go to the default unit, which reports them.
    listed = {i for unit in units for i in unit.indicators}
    waiting = tuple(i.id for i in registry if is_provisional(i.id) and i.id not in listed)
    if waiting:
        default = document.get("default_unit") or units[0].code
        units = tuple(
            ReportingUnit(u.code, u.name_vi, u.aliases, u.indicators + waiting)
            if u.code == default
            else u
            for u in units
        )
    return ReportingUnits(path=path, units=units)


def project_indicators(project: Project) -> tuple[Registry, ReportingUnits]:
    """The indicators a project tracks (:mod:`nq57lib.plan.tracked`) and its reporting
    units, checked against them."""
    registry = ward_registry(project)
    return registry, load_reporting_units(project.units_path, registry)
