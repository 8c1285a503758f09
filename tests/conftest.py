"""Shared fixtures and markers.

``requires_pango`` / ``requires_poppler``: tests that lay out a PDF with WeasyPrint (which
loads the Pango library) or read one with poppler's tools skip, with the reason, on a
machine without them; nq57 itself runs there (HTML and Excel only).

``briefing_processed``: the small hand-written period of ``tests/fixtures/briefing`` as
the pipeline would leave it. Targets, observations and the cleaning tables are written by
hand; ``status.csv`` and ``status_history.csv`` are produced by the real
:func:`~nq57lib.assess.status.assess` and :func:`~nq57lib.assess.status.status_history`,
so the briefing is only ever tested on what the assessment can produce.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from example import EXAMPLE, example_registry, example_units

from nq57lib.assess.status import assess, status_history
from nq57lib.assess.task_compare import compare_tasks
from nq57lib.assess.verdicts import lead_units, verdicts
from nq57lib.core.atomic import write_csv_atomic
from nq57lib.core.processed import processed_periods, read_observations

BRIEFING_FIXTURE = Path(__file__).parent / "fixtures" / "briefing"


def weasyprint_loads() -> bool:
    """True when WeasyPrint imports, i.e. the Pango library is installed."""
    try:
        import weasyprint  # noqa: F401
    except OSError:
        return False
    return True


PANGO = weasyprint_loads()
requires_pango = pytest.mark.skipif(
    not PANGO,
    reason="WeasyPrint cannot load the Pango library "
    "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)",
)
requires_poppler = pytest.mark.skipif(
    shutil.which("pdffonts") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils (pdffonts, pdftoppm) not installed",
)


def build_briefing_processed(target: Path) -> Path:
    """Copy the briefing fixture to ``target`` and add the assessment's tables to each period."""
    shutil.copytree(BRIEFING_FIXTURE, target, ignore=shutil.ignore_patterns("targets.csv"))
    targets = pd.read_csv(BRIEFING_FIXTURE / "targets.csv", keep_default_na=False, na_values=[""])
    targets["comparator"] = (
        targets["comparator"].astype(object).where(targets["comparator"].notna(), None)
    )
    registry = example_registry()
    periods = processed_periods(target)
    observations = read_observations(target, periods)
    units = example_units()
    leads = lead_units(units, pd.DataFrame(columns=["indicator_id", "lead_unit"]))
    previous = None
    for n, period in enumerate(periods):
        status = assess(targets, observations, period, registry)
        history = status_history(targets, observations, periods[: n + 1], registry)
        write_csv_atomic(status, target / period.code / "status.csv")
        verdict = verdicts(status, period, leads, reporters=leads, previous=previous)
        write_csv_atomic(verdict, target / period.code / "verdicts.csv")
        previous = status
        write_csv_atomic(history, target / period.code / "status_history.csv")
    # Tasks: the real task catalogue, the hand-written register and reports, the real rules.
    last = periods[-1]
    tasks = compare_tasks(last, target, periods, units, EXAMPLE.plan_path)
    write_csv_atomic(tasks.status, target / last.code / "task_status.csv")
    write_csv_atomic(tasks.scorecard, target / last.code / "unit_scorecard.csv")
    return target


@pytest.fixture(scope="session")
def briefing_processed(tmp_path_factory) -> Path:
    return build_briefing_processed(tmp_path_factory.mktemp("briefing") / "processed")


@pytest.fixture(scope="session")
def tan_lap(tmp_path_factory):
    """The invented second ward, xã Tân Lập, after one illustrative quarter
    (tests/tan_lap.py): its project folder, its blank templates, its briefing's HTML."""
    from tan_lap import make_tan_lap

    return make_tan_lap(tmp_path_factory.mktemp("ward2"))
