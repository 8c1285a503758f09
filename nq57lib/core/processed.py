"""Reading what earlier steps wrote under ``data/processed/<period>/``.

Comparison, the briefing and the pipeline all read the processed periods; the rules for
which folders count, how observations are typed and how the illustrative label is found
live here once. Every CSV nq57 wrote is read through :func:`read_csv`, which gives back the
text of the cells :func:`nq57lib.core.atomic.write_csv_atomic` guarded against formulas.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas loads on first use: a run's own process reads no table
    import pandas as pd

from nq57lib.core import config
from nq57lib.core.atomic import map_text, restore_text
from nq57lib.core.errors import PeriodError, ValidationError
from nq57lib.core.files import allow_long_csv_fields
from nq57lib.core.periods import Period
from nq57lib.core.schema import ANALYST_NOTE_PREFIX, NOTE_SEPARATOR, OBSERVATION_COLUMNS

# The note part cleaning adds to every row of a workbook that calls itself illustrative.
ILLUSTRATIVE_MARKER = f"{ANALYST_NOTE_PREFIX}{config.ILLUSTRATIVE_LABEL}"


def read_csv(path: Path | str, **options) -> pd.DataFrame:
    """``pandas.read_csv`` (UTF-8) of a CSV nq57 wrote, with the text of every cell that was
    guarded against spreadsheet formulas given back (``'=…`` → ``=…``; docs/reliability.md)."""
    import pandas as pd

    options.setdefault("encoding", "utf-8")
    return map_text(pd.read_csv(path, **options), restore_text)


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
    import pandas as pd

    frames, problems = [], []
    for p in periods:
        path = processed_dir / p.code / "observations.csv"
        frame = read_csv(
            path,
            dtype={
                c: str
                for c in OBSERVATION_COLUMNS
                if c not in ("value", "numerator", "denominator")
            },
            keep_default_na=False,
            na_values=[""],
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
        allow_long_csv_fields()
        with path.open(encoding="utf-8", newline="") as handle:
            flags = (row.get("illustrative") or "" for row in csv.DictReader(handle))
            if any(flag.strip().lower() in ("true", "1") for flag in flags):
                return True
    return False


def is_illustrative(observations: pd.DataFrame) -> bool:
    """True when cleaning marked any row as illustrative (:data:`ILLUSTRATIVE_MARKER`).

    Only nq57's own marker counts: a unit's note that happens to say "ảnh minh họa" does
    not brand real data as illustrative.
    """
    if "note" not in observations.columns:
        return False
    for note in observations["note"].dropna().astype(str):
        if ILLUSTRATIVE_MARKER in note.split(NOTE_SEPARATOR):
            return True
    return False


def read_table(path: Path, columns: Iterable[str]) -> pd.DataFrame:
    """One processed CSV as text columns (empty cells as ""); an absent file is an empty table."""
    import pandas as pd

    columns = list(columns)
    if not path.is_file():
        return pd.DataFrame(columns=columns)
    frame = read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValidationError(str(path), [f"thiếu cột {', '.join(missing)}"])
    return frame


def read_tables(
    processed_dir: Path, periods: Iterable[Period], name: str, columns: Iterable[str]
) -> pd.DataFrame:
    """``<processed>/<P>/<name>.csv`` of every period, one after the other."""
    import pandas as pd

    columns = list(columns)
    frames = [read_table(Path(processed_dir) / p.code / f"{name}.csv", columns) for p in periods]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)
