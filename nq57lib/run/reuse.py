"""Cleaning and comparison are not run again when nothing they read has changed.

A ward reruns a quarter many times — to add its own paragraphs, after a chart looked
wrong, to render again — while the unit workbooks stay as they were. Before ``10-clean``
or ``20-compare`` runs, :func:`fingerprint` hashes everything the step reads:

- ``10-clean``: the period's raw folder, the assignment register, the plan, the ward
  profile, the registry and the reporting units;
- ``20-compare``: the processed tables of every earlier period, the same plan, profile,
  registry and units, and today's date (the Excel appendix says when it was made);

and, for both, the step's notebook and parameters, nq57lib's own source files and the
versions of Python and the libraries (``run.json``'s ``versions``). The step is reused —
its executed notebook copied from the last report, its tables left as they are — when
that report's ``run.json`` holds the same fingerprint and the period's processed tables
are still, byte for byte, those it recorded at its end. Anything else runs the step.
``nq57 run --fresh`` runs every step whatever the fingerprints say.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from functools import lru_cache
from pathlib import Path

from nq57lib.core import config
from nq57lib.run.provenance import hashes, parameters, sha256, step_reads
from nq57lib.run.results import PeriodResult
from nq57lib.run.ward import WardRun

REUSABLE = ("10-clean", "20-compare")
# Package files that cannot change what cleaning or comparison computes.
_NOT_CODE = ("__pycache__", "fonts", "templates")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of nq57lib's source and data files (a new version, or an edited module)."""
    digest = hashlib.sha256()
    for path in sorted(config.PACKAGE_DIR.rglob("*")):
        relative = path.relative_to(config.PACKAGE_DIR)
        if path.is_file() and not set(relative.parts) & set(_NOT_CODE):
            digest.update(str(relative).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def fingerprint(step: str, job: PeriodResult, run: WardRun) -> str:
    """One hash of everything ``step`` reads and is (see the module's doc)."""
    described = {
        "step": step,
        "parameters": parameters(step, job, run),
        "notebook": sha256(run.request.notebooks_dir / f"{step}.ipynb"),
        "files": hashes(
            (p for paths in step_reads(step, job, run).values() for p in paths),
            run.project.root,
        ),
        "code": code_fingerprint(),
        "versions": run.versions,
        "today": date.today().isoformat() if step == "20-compare" else None,
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


def reusable(step: str, job: PeriodResult, run: WardRun, print_: str) -> Path | None:
    """The executed notebook of ``step`` in the last report of ``job``'s period, when that
    run had the fingerprint ``print_`` and left the processed tables as they are now."""
    report = run.reports_dir / job.period.code
    try:
        record = json.loads((report / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    kept = report / f"{step}.ipynb"
    if (
        not isinstance(record, dict)
        or record.get("outcome") != "ok"
        or (record.get("reuse") or {}).get(step) != print_
        or not kept.is_file()
    ):
        return None
    processed = run.processed_dir / job.data.code
    now = hashes(processed.glob("*"), run.project.root)
    return kept if (record.get("outputs") or {}).get("processed") == now else None
