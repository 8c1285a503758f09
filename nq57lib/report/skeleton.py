"""The analyst's starter narrative file: every heading, nq57's draft shown as comments."""

from __future__ import annotations

from pathlib import Path

from nq57lib.core.atomic import write_text_atomic
from nq57lib.core.errors import Nq57Error
from nq57lib.report.data import load_briefing_data
from nq57lib.report.drafts import all_drafts
from nq57lib.report.narrative import skeleton


def write_narrative_skeleton(
    period: str, out: Path | str, processed_dir: Path | str | None = None
) -> Path:
    """Write the skeleton to ``out`` (a file, or a folder to hold ``nhan-dinh.md``).

    An existing file is never overwritten: it may hold the analyst's words.
    """
    out = Path(out)
    if out.is_dir():
        out = out / "nhan-dinh.md"
    if out.exists():
        raise Nq57Error(f"{out} already exists; nq57 does not overwrite an analyst's text")
    data = load_briefing_data(period, processed_dir)
    return write_text_atomic(skeleton(all_drafts(data)), out)
