"""The scripts under scripts/ still import: `make bench` is not run by CI, so a library
function that moves would otherwise break it unseen (bench_compare once did)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"script_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", sorted(SCRIPTS.glob("*.py")), ids=lambda p: p.name)
def test_script_imports_and_has_a_main(path):
    assert callable(_load(path).main)


def test_make_bench_runs_every_topic_script():
    bench = _load(SCRIPTS / "bench.py")
    assert [t for t in bench.TOPICS if not (SCRIPTS / f"{t}.py").exists()] == []
    assert sorted(bench.TOPICS) == sorted(p.stem for p in SCRIPTS.glob("bench_*.py"))
