"""Generate an illustrative city: many invented wards, each a full nq57 project with four
quarters of unit workbooks, and the city's roster (city.yaml) — Số liệu minh họa.

Every ward is phường Hồng Bàng's example remade under an invented name: its plan with the
ward's name and plan number changed, its profile likewise, and its units' workbooks written
by scripts/make_illustrative_data.py with every figure moved by a seeded amount (a ward's
own level, the same quarter-to-quarter course) and some tasks finished earlier. The figures
are labelled illustrative in every workbook, as the shipped ones are. The roster lists
three wards more than are generated: the wards that "have not sent".

    python scripts/make_illustrative_city.py --out /tmp/city --wards 100
    nq57 run --projects /tmp/city/wards/* --period 2026-Q3 --formats html
    nq57 rollup --period 2026-Q3 --city /tmp/city/city.yaml --out /tmp/city/tong-hop \\
        /tmp/city/wards/*/reports/2026-Q3
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import random
from datetime import date
from pathlib import Path
from unittest import mock

from nq57lib.core.project import Project
from nq57lib.report.export import code_of


def _example_generator():
    """scripts/make_illustrative_data.py, the example's own generator, as a module."""
    path = Path(__file__).resolve().parent / "make_illustrative_data.py"
    spec = importlib.util.spec_from_file_location("make_illustrative_data", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shipped = _example_generator()

# Words of Vietnamese place names; two make an invented ward's name ("An Hòa", "Tân Phú").
WORDS = (
    "An", "Bình", "Hòa", "Phú", "Tân", "Thạnh", "Đông", "Tây", "Lạc", "Thịnh", "Hưng",
    "Long", "Minh", "Phúc", "Thành", "Trung", "Vĩnh", "Xuân", "Quang", "Hải", "Sơn", "Lâm",
    "Nghĩa", "Thuận", "Khánh", "Mỹ", "Ninh", "Hợp", "Định", "Lợi",
)  # fmt: skip
# The plan's number and the ward's name as the example writes them.
EXAMPLE_NAME, EXAMPLE_NUMBER = "Hồng Bàng", "106"
NOT_SENT = 3
# Figures a ward's own level moves (percentage points, or a count's step).
SPREAD_POINTS = 7.0
_PERCENT_TABLES = ("POLICE", "ONE_STOP", "CULTURE_LEVELS", "OFFICE")


def ward_names(count: int, seed: int) -> list[str]:
    """``count`` different invented names, the same for the same seed."""
    pairs = [f"{a} {b}" for a, b in itertools.permutations(WORDS, 2)]
    random.Random(seed).shuffle(pairs)
    # Two names a ward code cannot tell apart ("Thạnh Long", "Thành Long") are one name.
    unique = list({code_of(name): name for name in reversed(pairs)}.values())[::-1]
    if count > len(unique):
        raise SystemExit(f"at most {len(unique)} wards")
    return unique[:count]


def _moved(series: tuple, shift: float, fraction: bool = False) -> tuple:
    top = 1.0 if fraction else 100.0
    out = []
    for value in series:
        if not isinstance(value, float):
            out.append(value)  # words ("Đang triển khai"), counts and gaps stay as they are
            continue
        moved = value + (shift / 100 if fraction else shift)
        # A typing error of the example (105 in a percentage) is kept as the unit wrote it.
        out.append(round(min(max(moved, 0.0), top) if value <= top else value, 2))
    return tuple(out)


def _counts(series: tuple, step: int) -> tuple:
    return tuple(max(v + step, 0) if isinstance(v, int) else v for v in series)


def figures(rng: random.Random) -> dict[str, object]:
    """The example's tables of figures, each moved by this ward's own amounts."""
    tables: dict[str, object] = {}
    for name in _PERCENT_TABLES:
        tables[name] = {k: _moved(v, rng.gauss(0, SPREAD_POINTS))
                        for k, v in getattr(shipped, name).items()}  # fmt: skip
    infra = dict(shipped.ECONOMY_INFRA)
    infra["coverage_5g"] = _moved(infra["coverage_5g"], rng.gauss(0, SPREAD_POINTS), True)
    infra = {k: v if k == "coverage_5g" else _moved(v, rng.gauss(0, SPREAD_POINTS))
             for k, v in infra.items()}  # fmt: skip
    tables["ECONOMY_INFRA"] = infra
    digital = {k: _counts(_moved(v, rng.gauss(0, SPREAD_POINTS)), rng.randint(-1, 2))
               for k, v in shipped.ECONOMY_DIGITAL.items()}  # fmt: skip
    tables["ECONOMY_DIGITAL"] = digital
    tables["CULTURE_FLOWS"] = {k: _counts(v, rng.randint(-1, 1))
                               for k, v in shipped.CULTURE_FLOWS.items()}  # fmt: skip
    step = rng.randint(-3, 2)
    tables["SCHOOLS_LEVEL2"] = tuple((min(max(n + step, 0), total), total)
                                     for n, total in shipped.SCHOOLS_LEVEL2)  # fmt: skip
    register, completed = dict(shipped.REGISTER), dict(shipped.COMPLETED)
    for task, (lead, support, deadline, product, story) in shipped.REGISTER.items():
        # Some wards finish in the last quarter what the example still has under way.
        if story.endswith("I") and rng.random() < 0.2:
            register[task] = (lead, support, deadline, product, story[:-1] + "D")
            completed[task] = date(2026, 9, rng.randint(1, 28))
    tables["REGISTER"], tables["COMPLETED"] = register, completed
    return tables


def _renamed(text: str, name: str, number: str) -> str:
    return (text.replace(EXAMPLE_NAME, name).replace(EXAMPLE_NAME.upper(), name.upper())
            .replace(f"{EXAMPLE_NUMBER}/KH-UBND", f"{number}/KH-UBND")
            .replace(f"{EXAMPLE_NUMBER} /KH-UBND", f"{number} /KH-UBND"))  # fmt: skip


def make_ward(root: Path, name: str, number: str, rng: random.Random) -> Path:
    """One invented ward's project folder under ``root``, with its raw workbooks."""
    example = shipped.EXAMPLE
    folder = root / code_of(f"phường {name}")
    plan_name = f"ke-hoach-{number}-KH-UBND-2025-{code_of(name)}.md"
    plan = folder / "data" / "raw" / "plan" / plan_name
    plan.parent.mkdir(parents=True, exist_ok=True)
    plan.write_text(_renamed(example.plan_path.read_text(encoding="utf-8"), name, number),
                    encoding="utf-8")  # fmt: skip
    profile = _renamed(example.profile.path.read_text(encoding="utf-8"), name, number)
    profile = profile.replace(example.plan_path.name, plan_name)
    (folder / "ward.yaml").write_text(profile, encoding="utf-8")
    project = Project.load(folder)
    with mock.patch.multiple(shipped, EXAMPLE=project, **figures(rng)):
        shipped.generate(project.raw_dir)
    return folder


def city_yaml(names: list[str]) -> str:
    wards = "\n".join(f"  - phường {n}" for n in names)
    return (
        "# Số liệu minh họa: an invented city's roster (scripts/make_illustrative_city.py)\n"
        "city: thành phố Hải Phòng\n"
        "letterhead:\n"
        "  issuer: [ỦY BAN NHÂN DÂN, THÀNH PHỐ HẢI PHÒNG]\n"
        "  place: Hải Phòng\n"
        '  number: "Số: …/BC-UBND"\n'
        f"wards:\n{wards}\n"
    )


def generate(out: Path, count: int, seed: int) -> list[Path]:
    names = ward_names(count + NOT_SENT, seed)
    folders = []
    for i, name in enumerate(names[:count]):
        folders.append(make_ward(out / "wards", name, str(110 + i), random.Random(seed + i)))
    (out / "city.yaml").write_text(city_yaml(names), encoding="utf-8")
    return folders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--wards", type=int, default=100)
    parser.add_argument("--seed", type=int, default=57)
    args = parser.parse_args()
    folders = generate(args.out, args.wards, args.seed)
    print(f"{len(folders)} wards under {args.out / 'wards'}; roster {args.out / 'city.yaml'}")


if __name__ == "__main__":
    main()
