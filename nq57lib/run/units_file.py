"""A new ward's first ``reporting_units.yaml``: nq57's example units, asked only for the
indicators the new ward's plan tracks.

``nq57 init`` starts a ward from the example's units (the usual offices of a phường or
xã), under the new ward's level ("Công an xã"), without aliases that name the example's
ward, and with each unit's list cut to the indicators the new plan sets targets for
(:mod:`nq57lib.plan.tracked`): a commune whose plan never mentions 6G is never asked for
it. A unit left with no indicator stays (it may report on tasks). When the plan cannot be
read for targets yet, every unit keeps its list and the file says so.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from nq57lib.core import config
from nq57lib.core.errors import Nq57Error
from nq57lib.plan.catalogue import build_catalogue
from nq57lib.plan.registry import load_registry, read_yaml

# "Công an phường Hồng Bàng": an alias naming a particular ward is the example's own.
_NAMED_WARD = re.compile(r"\b(?:phường|xã|đặc khu)\s+[A-ZĐÀ-Ỹ]")
_LEVEL_WORD = re.compile(r"\bphường\b")


def _tracked_ids(plan: Path, areas: dict[str, str], words: tuple) -> set[str] | None:
    try:
        registry = load_registry(config.SHIPPED_REGISTRY_PATH, areas, words)
        return {i.id for i in build_catalogue(plan, registry).indicators}
    except Nq57Error:
        return None  # no targets, or a plan that does not parse: check-plan will say


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def starting_units(plan: Path, level: str, areas: dict[str, str], above: str) -> str:
    """The text of the new ward's units file (see the module docstring)."""
    document = read_yaml(config.SHIPPED_UNITS_PATH)
    tracked = _tracked_ids(plan, areas, (("level", level or "phường"), ("above", above)))
    word = level or "phường"
    lines = [
        "# Written by `nq57 init` from nq57's example units: rename the units and their",
        "# aliases to this ward's, and move an indicator to the unit that reports it.",
    ]
    if tracked is None:
        lines.append("# The plan's targets could not be read yet (nq57 check-plan says why): every")
        lines.append("# indicator of the registry is listed; remove those the plan does not have.")
    else:
        lines.append(
            "# Only the indicators this ward's plan sets targets for are listed; the plan's"
        )
        lines.append("# targets that no registry indicator describes (new:…) go to `default_unit`.")
    lines += ["#", "# Fields: code, name_vi, aliases, indicators (ids of indicators.yaml).", ""]
    lines.append("units:")
    for unit in document["units"]:
        name = _LEVEL_WORD.sub(word, str(unit["name_vi"]))
        aliases = [
            _LEVEL_WORD.sub(word, str(a))
            for a in unit.get("aliases") or ()
            if not _NAMED_WARD.search(str(a))
        ]
        ids = [i for i in unit.get("indicators") or () if tracked is None or i in tracked]
        lines.append(f"  - code: {unit['code']}")
        lines.append(f"    name_vi: {_quoted(name)}")
        lines.append(f"    aliases: [{', '.join(_quoted(a) for a in aliases)}]")
        if ids:
            lines.append("    indicators:")
            lines += [f"      - {i}" for i in ids]
        else:
            lines.append("    indicators: []   # none of this unit's indicators is in the plan")
        lines.append("")
    if document.get("default_unit"):
        lines.append(f"default_unit: {document['default_unit']}")
    return "\n".join(lines).rstrip() + "\n"
