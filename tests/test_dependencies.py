"""Every package nq57lib imports is declared, and the installed versions are the declared ones.

nq57 patches parts of jupyter_client, nbclient and papermill at run time (run/kernel.py),
so those carry an upper bound: a new major version must pass these tests before it is
allowed. This runs in CI with the environment `make test` installed.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
PATCHED = ("papermill", "nbclient", "jupyter-client", "jupyter-core")


def _declared() -> dict[str, Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [Requirement(text) for text in project["dependencies"]]
    return {canonicalize_name(r.name): r for r in requirements}


def _top_names(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Import):
        return {alias.name.split(".")[0] for alias in node.names}
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return {node.module.split(".")[0]}
    return set()


def _guarded(node: ast.Try) -> bool:
    """A ``try`` whose handler catches ImportError: what it imports is optional."""
    caught = [h.type for h in node.handlers if h.type is not None]
    names = {n.id for t in caught for n in ast.walk(t) if isinstance(n, ast.Name)}
    return bool(names & {"ImportError", "ModuleNotFoundError"})


def _imports(optional: bool) -> set[str]:
    """The packages nq57lib imports unconditionally, or (``optional``) only under a guard."""
    required, guarded = set(), set()
    for path in (REPO / "nq57lib").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        under_guard = {
            id(n) for t in ast.walk(tree) if isinstance(t, ast.Try) and _guarded(t)
            for stmt in t.body for n in ast.walk(stmt)
        }  # fmt: skip
        for node in ast.walk(tree):
            (guarded if id(node) in under_guard else required).update(_top_names(node))
    names = guarded - required if optional else required
    return names - set(sys.stdlib_module_names) - {"nq57lib", "__future__"}


def _imported_top_names() -> set[str]:
    return _imports(optional=False)


def test_optional_imports_are_declared_in_an_extra():
    """A package imported only under ``except ImportError`` is in an optional extra."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = {
        canonicalize_name(Requirement(text).name)
        for texts in project["optional-dependencies"].values()
        for text in texts
    }
    declared = extras | set(_declared())
    providers = metadata.packages_distributions()
    optional = _imports(optional=True)
    assert "ipywidgets" in optional  # the explorer's dropdowns
    undeclared = {
        n for n in optional
        if not any(canonicalize_name(d) in declared for d in providers.get(n, [n]))
    }  # fmt: skip
    assert undeclared == set()


def test_every_imported_package_is_declared():
    providers = metadata.packages_distributions()
    declared = _declared()
    undeclared = {
        name: providers.get(name, ["(not installed)"])
        for name in _imported_top_names()
        if not any(canonicalize_name(d) in declared for d in providers.get(name, []))
    }
    assert undeclared == {}


def test_the_installed_versions_satisfy_the_declared_ranges():
    wrong = {}
    for name, requirement in _declared().items():
        installed = metadata.version(name)
        if not requirement.specifier.contains(installed, prereleases=True):
            wrong[name] = f"{installed} not in {requirement.specifier}"
    assert wrong == {}


def test_the_libraries_nq57_patches_have_an_upper_bound():
    declared = _declared()
    for name in PATCHED:
        assert any(spec.operator in ("<", "<=", "~=", "==") for spec in declared[name].specifier), (
            name
        )
