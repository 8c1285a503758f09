"""Reading what earlier steps wrote under ``data/processed/<period>/``.

Comparison, the briefing and the pipeline all read the processed periods; the rules for
which folders count, how observations are typed and how the illustrative label is found
live here once.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from nq57lib.core.errors import PeriodError, ValidationError
from nq57lib.core.periods import Period
from nq57lib.core.schema import OBSERVATION_COLUMNS
from nq57lib.core.textnorm import fold


def processed_periods(processed_dir: Path) -> list[Period]:
    """Periods with an ``observations.csv`` under ``processed_dir``, in time order."""
    found = []
    if not processed_dir.is_dir():
        return found
    for child in processed_dir.iterdir():
        if not child.is_dir() or not (child / "observations.csv").is_file():
            continue
        try:
            found.append(Period.parse(child.name))
        except PeriodError:
            continue
    return sorted(found)


def read_observations(processed_dir: Path, periods: Iterable[Period]) -> pd.DataFrame:
    """Concatenate the processed observations, each row tagged with its report (vintage)."""
    frames, problems = [], []
    for p in periods:
        path = processed_dir / p.code / "observations.csv"
        frame = pd.read_csv(
            path,
            dtype={
                c: str
                for c in OBSERVATION_COLUMNS
                if c not in ("value", "numerator", "denominator")
            },
            keep_default_na=False,
            na_values=[""],
            encoding="utf-8",
        )
        missing = [c for c in OBSERVATION_COLUMNS if c not in frame.columns]
        if missing:
            problems.append(f"{path}: thiếu cột {', '.join(missing)}")
            continue
        frame["vintage"] = p.code
        frames.append(frame)
    if problems:
        raise ValidationError("observations.csv", problems)
    if not frames:
        return pd.DataFrame(columns=[*OBSERVATION_COLUMNS, "vintage"])
    return pd.concat(frames, ignore_index=True)


def quality_says_illustrative(processed_dir: Path, periods: Iterable[Period]) -> bool:
    """True when cleaning flagged any file of these periods as illustrative (quality.csv)."""
    for p in periods:
        path = Path(processed_dir) / p.code / "quality.csv"
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            flags = (row.get("illustrative") or "" for row in csv.DictReader(handle))
            if any(flag.strip().lower() in ("true", "1") for flag in flags):
                return True
    return False


def is_illustrative(observations: pd.DataFrame) -> bool:
    """True when any row says it is "số liệu minh họa" (note, source file or reporter)."""
    for column in ("note", "source_file", "reported_by"):
        if column in observations.columns:
            text = observations[column].dropna().astype(str).map(fold)
            if text.str.contains("minh hoa", regex=False).any():
                return True
    return False
