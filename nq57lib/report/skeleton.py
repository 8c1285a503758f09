"""The analyst's starter narrative file: every heading, nq57's draft shown as comments."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from nq57lib.core.atomic import write_text_atomic
from nq57lib.core.errors import Nq57Error
from nq57lib.core.project import Project
from nq57lib.report.data import load_briefing_data
from nq57lib.report.drafts import all_drafts
from nq57lib.report.narrative import skeleton


def write_narrative_skeleton(
    project: Project,
    period: str,
    out: Path | str,
    *,
    report_period: str | None = None,
    as_of: date | None = None,
) -> Path:
    """Write the skeleton to ``out`` (a file, or a folder to hold ``nhan-dinh.md``).

    ``period`` is the data period; ``report_period`` the report's own when it differs (a
    yearly report drawn from 2026-Q3). An existing file is never overwritten: it may hold
    the analyst's words.
    """
    out = Path(out)
    if out.is_dir():
        out = out / "nhan-dinh.md"
    if out.exists():
        raise Nq57Error(f"{out} already exists; nq57 does not overwrite an analyst's text")
    data = load_briefing_data(project, period, report_period=report_period, as_of=as_of)
    return write_text_atomic(skeleton(all_drafts(data)), out)
