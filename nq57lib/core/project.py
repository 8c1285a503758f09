"""The project a command works on: one ward's profile and every file and folder it names.

A :class:`Project` is made once per command (:func:`open_project`) and passed down to
every stage that reads or writes a project's files; nothing in nq57 remembers a "current"
project. It is immutable: a caller that wants another folder for one run (the command
line's ``--raw-dir``) makes a new one with :meth:`Project.with_paths`. Two wards in one
process are two values, so a batch cannot read one ward's files for another by
construction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from nq57lib.core import config
from nq57lib.core.profile import PROFILE_FILE, Profile, load_profile


@dataclass(frozen=True)
class Project:
    """A ward's project folder, its profile and the absolute paths it resolves to."""

    root: Path
    profile: Profile
    raw_dir: Path
    processed_dir: Path
    reports_dir: Path
    plan_path: Path
    registry_path: Path
    units_path: Path

    @classmethod
    def load(cls, folder: Path | str) -> Project:
        """The project in ``folder`` (or the folder of the ``ward.yaml`` named): its
        profile read and checked (:class:`~nq57lib.core.errors.ProfileError` otherwise)."""
        chosen = Path(folder).expanduser()
        if chosen.name == PROFILE_FILE:
            chosen = chosen.parent
        root = chosen.resolve()
        profile = load_profile(root / PROFILE_FILE)
        return cls(
            root=root,
            profile=profile,
            raw_dir=profile.raw_dir or root / config.DEFAULT_RAW,
            processed_dir=profile.processed_dir or root / config.DEFAULT_PROCESSED,
            reports_dir=profile.reports_dir or root / config.DEFAULT_REPORTS,
            plan_path=profile.plan_path,
            registry_path=profile.registry_path or config.SHIPPED_REGISTRY_PATH,
            units_path=profile.units_path or config.SHIPPED_UNITS_PATH,
        )

    def with_paths(
        self,
        *,
        raw_dir: Path | str | None = None,
        processed_dir: Path | str | None = None,
        reports_dir: Path | str | None = None,
        plan_path: Path | str | None = None,
    ) -> Project:
        """This project with some folders or the plan replaced (None keeps the project's)."""
        given = {
            "raw_dir": raw_dir,
            "processed_dir": processed_dir,
            "reports_dir": reports_dir,
            "plan_path": plan_path,
        }
        changes = {k: Path(v).expanduser().resolve() for k, v in given.items() if v}
        return replace(self, **changes) if changes else self

    @property
    def profile_path(self) -> Path:
        return self.profile.path

    @property
    def areas(self) -> Mapping[str, str]:
        """Letter → name of each area of the plan (``areas:`` of ``ward.yaml``)."""
        return self.profile.areas

    @property
    def register_dir(self) -> Path:
        """The assignment register's folder, beside the period folders."""
        return self.raw_dir / config.REGISTER_DIR


def open_project(
    folder: Path | str | None = None,
    *,
    raw_dir: Path | str | None = None,
    processed_dir: Path | str | None = None,
    reports_dir: Path | str | None = None,
    plan_path: Path | str | None = None,
) -> Project:
    """The project ``folder`` names, else the one :func:`~nq57lib.core.config.find_project`
    finds (``$NQ57_ROOT``, the nearest ``ward.yaml`` upward, the shipped example), with
    any path given in place of the project's own. The notebooks' first call."""
    project = Project.load(config.find_project(folder or None))
    return project.with_paths(
        raw_dir=raw_dir, processed_dir=processed_dir, reports_dir=reports_dir, plan_path=plan_path
    )
