"""The package's shape: stages that import only downwards, no cycles, small modules.

Every ``import`` of an nq57lib module is read from the source, including imports inside
functions, so a lazy import cannot hide an upward dependency or a cycle.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "nq57lib"
STAGES = ("core", "plan", "collect", "assess", "report", "rollup", "run")
# Top-level modules: the command line sits above every stage.
TOP_LEVEL_RANK = {"nq57lib": -1, "nq57lib.cli": len(STAGES), "nq57lib.__main__": len(STAGES)}
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(name: str) -> str:
    """The module an import refers to: ``nq57lib.core.config`` for ``from nq57lib.core
    import config``; the package itself when the name is not a module of its own."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("nq57lib")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("nq57lib"):
            found |= {_resolve(f"{node.module}.{a.name}") for a in node.names}
    return {_resolve(name) for name in found}


GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


def _rank(module: str) -> int:
    if module in TOP_LEVEL_RANK:
        return TOP_LEVEL_RANK[module]
    return STAGES.index(module.split(".")[1])


def test_every_module_belongs_to_a_stage():
    loose = [m for m in MODULES if m not in TOP_LEVEL_RANK and m.split(".")[1] not in STAGES]
    assert loose == []


def test_dependencies_only_point_to_earlier_stages():
    upward = [
        f"{importer} imports {imported}"
        for importer, imported_set in GRAPH.items()
        for imported in imported_set
        if _rank(imported) > _rank(importer)
    ]
    assert upward == []


def test_no_import_cycles():
    cycles, state = [], {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for nxt in sorted(GRAPH.get(module, ())):
            if state.get(nxt) == "open":
                cycles.append(" → ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[module] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert cycles == []


@pytest.mark.parametrize("module", sorted(MODULES), ids=str)
def test_module_is_small(module):
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module}: {lines} lines"


@pytest.mark.parametrize("stage", STAGES)
def test_stage_docstring_says_what_comes_in_and_goes_out(stage):
    doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text("utf-8")))
    assert doc and "In:" in doc and "Out:" in doc, stage


def test_the_checker_sees_lazy_imports(tmp_path):
    # The rule is only as good as its reading of the source: an import inside a function
    # counts like one at the top.
    module = tmp_path / "lazy.py"
    module.write_text(
        "def f():\n    from nq57lib.report.briefing import header\n    return header\n",
        encoding="utf-8",
    )
    assert _imports(module) == {"nq57lib.report.briefing"}


def test_the_reliability_table_names_every_reliability_test_and_nothing_else():
    doc = (PACKAGE.parent / "docs" / "reliability.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(test_[a-z0-9_]+)`", doc))
    real = set()
    for name in ("collect", "run", "outputs", "bounds", "guard"):
        path = PACKAGE.parent / "tests" / f"test_reliability_{name}.py"
        text = path.read_text(encoding="utf-8")
        real |= set(re.findall(r"^def (test_[a-z0-9_]+)", text, re.M))
    assert named == real
