"""The indicators a ward tracks: what its own plan sets targets for, and nothing else.

The registry (``indicators.yaml``) is shared by every ward; a ward's plan names a few of
its indicators, often not all, and some targets no reviewed indicator describes. The ward
tracks exactly:

- the reviewed indicators one of its plan's targets links to;
- its plan's provisional indicators (``new:…``, :mod:`nq57lib.plan.provisional`);
- the reviewed indicators its profile opts in (``indicators: also_track:`` in
  ``ward.yaml``), for a figure the ward follows although its plan sets no target.

Templates, the units that owe figures, statuses and the report cover these only; the
registry's other indicators are ``untracked`` (a units file copied from another ward may
list them: nobody owes them here). Names speak the ward's words: "của xã" for a xã, "của
tỉnh" under a province (:data:`nq57lib.plan.registry.PLACEHOLDERS`). A plan without any
target tracks the whole registry: cleaning the units' workbooks does not wait for the
plan, and the comparison reports the plan's want of targets.
"""

from __future__ import annotations

from nq57lib.core.errors import NoTargetsError, ProfileError
from nq57lib.core.profile import Profile
from nq57lib.core.project import Project
from nq57lib.plan.catalogue import build_catalogue
from nq57lib.plan.registry import Registry, load_registry


def registry_words(profile: Profile) -> tuple[tuple[str, str], ...]:
    """The words a registry name's placeholders take for this ward."""
    return (("level", profile.level), ("above", profile.province_kind))


def reviewed_registry(project: Project) -> Registry:
    """The project's reviewed registry, every indicator, in the ward's words."""
    return load_registry(project.registry_path, project.areas, registry_words(project.profile))


def ward_registry(project: Project) -> Registry:
    """The indicators ``project`` tracks, in its words; its profile's opt-ins checked."""
    reviewed = reviewed_registry(project)
    unknown = [i for i in project.profile.also_track if i not in reviewed]
    if unknown:
        raise ProfileError(
            project.profile.path,
            [
                f"“indicators.also_track”: “{i}” không có trong danh mục chỉ số {reviewed.path}"
                for i in unknown
            ],
        )
    try:
        catalogue = build_catalogue(project.plan_path, reviewed)
    except NoTargetsError:
        return reviewed
    return catalogue.tracked(project.profile.also_track)
