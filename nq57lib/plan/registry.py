"""The reviewed indicator registry (``data/indicators.yaml``).

The registry says what each indicator measures and how plan wording and unit
workbooks refer to it. It never holds target figures: those come from the plan. It is
shared by every ward: a name that speaks of the ward or the level above it says so with
``{level}`` ("Trung tâm dữ liệu của {level}") and ``{above}`` ("HDI của {above}"), which
each ward's words replace (``words``: its profile's level and province kind).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from nq57lib.core import config, files
from nq57lib.core.errors import InputFileError, RegistryError
from nq57lib.core.textnorm import fold, nfc
from nq57lib.core.vocab import DIRECTIONS, KINDS, UNIT_BOUNDS, UNITS


@dataclass(frozen=True)
class Indicator:
    id: str
    area: str
    name_vi: str
    name_en: str
    unit: str
    kind: str
    direction: str
    match: tuple[tuple[str, ...], ...] = ()
    exclude: tuple[str, ...] = ()
    aliases: tuple[str, ...] = field(default=())
    maximum: float | None = None  # `max:` in indicators.yaml: a tighter ceiling
    # Its number in NQ 03/NQ-CP Phụ lục I ("11.2"), where one maps: the key a body above
    # the ward consolidates on (BriefingData.national_codes, nq57lib.report.export).
    national_code: str = ""

    @property
    def qualitative(self) -> bool:
        return self.kind == "milestone"

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """(low, high) a figure of this indicator can take: its unit's range, the high end
        lowered by the registry's ``max``."""
        low, high = UNIT_BOUNDS[self.unit]
        if self.maximum is not None:
            high = self.maximum if high is None else min(high, self.maximum)
        return low, high

    def names(self) -> tuple[str, ...]:
        """Every name a unit may use for this indicator: id, Vietnamese, English, aliases."""
        return (self.id, self.name_vi, self.name_en, *self.aliases)


@dataclass(frozen=True)
class Registry:
    path: Path
    indicators: tuple[Indicator, ...]
    # (letter, name) of each area of the ward's plan, which every indicator's area is one
    # of: the registry is shared by wards, and checked against each ward's areas. Pairs,
    # not a mapping, so that a registry can key a cache.
    area_names: tuple[tuple[str, str], ...] = ()
    # Reviewed indicators of the file that this ward does not track (its plan sets them no
    # target: nq57lib.plan.tracked): a units file may still list them, nobody owes them.
    untracked: tuple[str, ...] = ()

    def __getitem__(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    def __contains__(self, indicator_id: object) -> bool:
        return any(indicator.id == indicator_id for indicator in self.indicators)

    def __iter__(self):
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    @property
    def areas(self) -> Mapping[str, str]:
        """Letter → name of each area of the plan it was checked against."""
        return MappingProxyType(dict(self.area_names))

    def tracking(self, ids: Iterable[str]) -> Registry:
        """The registry of the indicators ``ids`` only (in the file's order); the others
        are ``untracked``."""
        keep = set(ids)
        kept = tuple(i for i in self.indicators if i.id in keep)
        dropped = tuple(i.id for i in self.indicators if i.id not in keep)
        return Registry(self.path, kept, self.area_names, self.untracked + dropped)


# Placeholders a registry name may hold, and the words for a registry read outside any
# ward (a ward's own are its profile's: nq57lib.plan.tracked.registry_words).
PLACEHOLDERS = ("level", "above")
NEUTRAL_WORDS = (("level", "phường, xã"), ("above", "tỉnh, thành phố"))
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# A number of the central list: "17", "11.2", "23.4" (kept a string: 11.10 is not 11.1).
_NATIONAL_CODE = re.compile(r"[1-9][0-9]?(?:\.[1-9][0-9]?)?")


def _check_entry(position: int, entry: object, areas: tuple[str, ...]) -> list[str]:
    if not isinstance(entry, dict):
        return [f"entry {position} is not a mapping"]
    where = f"indicator {entry.get('id', f'#{position}')!r}"
    problems = []
    for key in ("id", "area", "name_vi", "name_en", "unit", "kind", "direction", "match"):
        if not entry.get(key):
            problems.append(f"{where}: '{key}' is missing")
    for key, allowed in (
        ("area", areas),
        ("unit", UNITS),
        ("kind", KINDS),
        ("direction", DIRECTIONS),
    ):
        if entry.get(key) and entry[key] not in allowed:
            problems.append(f"{where}: {key} {entry[key]!r} is not one of {', '.join(allowed)}")
    for name in _PLACEHOLDER.findall(str(entry.get("name_vi") or "")):
        if name not in PLACEHOLDERS:
            problems.append(
                f"{where}: name_vi holds {{{name}}}; a name may hold only "
                + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
            )
    maximum = entry.get("max")
    if maximum is not None and (
        isinstance(maximum, bool) or not isinstance(maximum, int | float) or maximum <= 0
    ):
        problems.append(f"{where}: 'max' must be a positive number")
    code = entry.get("national_code")
    if code is not None and not _NATIONAL_CODE.fullmatch(str(code)):
        problems.append(
            f"{where}: 'national_code' {code!r} is not a number of NQ 03/NQ-CP Phụ lục I "
            '(like "11.2" or "17", in quotes)'
        )
    match = entry.get("match") or []
    if not isinstance(match, list) or not all(isinstance(m, list) and m for m in match):
        problems.append(f"{where}: 'match' must be a list of non-empty lists of phrases")
    return problems


def _worded(name: str, words: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: words.get(m.group(1), m.group(0)), nfc(name))


def _to_indicator(entry: dict, words: Mapping[str, str]) -> Indicator:
    return Indicator(
        id=entry["id"],
        area=entry["area"],
        name_vi=_worded(entry["name_vi"], words),
        name_en=entry["name_en"],
        unit=entry["unit"],
        kind=entry["kind"],
        direction=entry["direction"],
        match=tuple(tuple(fold(p) for p in alternative) for alternative in entry["match"]),
        exclude=tuple(fold(p) for p in entry.get("exclude") or ()),
        aliases=tuple(nfc(str(a)) for a in entry.get("aliases") or ()),
        maximum=float(entry["max"]) if entry.get("max") is not None else None,
        national_code=str(entry.get("national_code") or ""),
    )


def load_registry(
    path: Path | str,
    areas: Mapping[str, str],
    words: Iterable[tuple[str, str]] = NEUTRAL_WORDS,
) -> Registry:
    """Read the registry at ``path`` and check it against the ward's ``areas`` (letter →
    name, a project's ``areas``); every problem is reported at once. ``words`` fill the
    names' placeholders (the ward's level and the level above it)."""
    path = Path(path).resolve()
    return _load_registry(path, file_stamp(path), tuple(areas.items()), tuple(words))


def file_stamp(path: Path) -> tuple[int, int] | None:
    """(modification time, size) of a file: in a cache key, an edited file is read again."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def read_yaml(path: Path) -> object:
    """The parsed document of a reviewed data file, or a RegistryError saying why not: a
    FIFO, a device or a file over the cap is refused unread, and a key twice in a mapping
    or any loader failure is one problem (:func:`nq57lib.core.files.read_yaml`)."""
    try:
        return files.read_yaml(path, config.MAX_DATA_FILE_BYTES)
    except InputFileError as error:
        if isinstance(error.error, FileNotFoundError):
            raise RegistryError(path, ["file not found"]) from None
        raise RegistryError(path, [error.reason]) from None


@lru_cache(maxsize=8)
def _load_registry(
    path: Path,
    _stamp: tuple[int, int] | None,
    areas: tuple[tuple[str, str], ...],
    words: tuple[tuple[str, str], ...],
) -> Registry:
    document = read_yaml(path)
    entries = (document or {}).get("indicators") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise RegistryError(path, ["no 'indicators:' list"])
    letters = tuple(letter for letter, _ in areas)
    problems = [p for n, e in enumerate(entries, 1) for p in _check_entry(n, e, letters)]
    seen: set[str] = set()
    for entry in entries:
        ident = entry.get("id") if isinstance(entry, dict) else None
        if ident in seen:
            problems.append(f"indicator {ident!r} is defined twice")
        seen.add(ident)
    if problems:
        raise RegistryError(path, problems)
    return Registry(
        path=path,
        indicators=tuple(_to_indicator(e, dict(words)) for e in entries),
        area_names=areas,
    )
