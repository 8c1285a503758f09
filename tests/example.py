"""The shipped example project (phường Hồng Bàng, the repository's root) as tests use it:
its :class:`~nq57lib.core.project.Project`, its registry and its reporting units.

Tests name the project they work on, as nq57's own code does; nothing is found from the
current directory.
"""

from __future__ import annotations

from nq57lib.collect.units import load_reporting_units
from nq57lib.core import config
from nq57lib.core.project import Project
from nq57lib.plan.registry import Registry
from nq57lib.plan.tracked import reviewed_registry

EXAMPLE = Project.load(config.CHECKOUT_DIR)


def example_registry() -> Registry:
    """The reviewed registry, checked against the example ward's areas, in its words."""
    return reviewed_registry(EXAMPLE)


def example_units(registry: Registry | None = None):
    """The example's reporting units, checked against ``registry`` (default: the example's)."""
    return load_reporting_units(EXAMPLE.units_path, registry or example_registry())


def run_example(
    periods, *, raw_dir=None, processed_dir=None, reports_dir=None, progress=False, **options
):
    """``nq57 run`` on the example project with its folders moved (to a test's tmp_path);
    ``options`` are :meth:`RunRequest.make`'s."""
    from nq57lib.run.pipeline import run_pipeline
    from nq57lib.run.request import RunRequest

    project = EXAMPLE.with_paths(
        raw_dir=raw_dir, processed_dir=processed_dir, reports_dir=reports_dir
    )
    return run_pipeline(project, RunRequest.make(periods, **options), progress=progress)
