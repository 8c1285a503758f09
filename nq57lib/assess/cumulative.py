"""A unit's own year-to-date figure against the sum of its period figures (pure).

A flow indicator (a count within a period, ``kind: flow`` in the registry) is built into a
year by adding its periods; a level or stock is the value at the reporting date and is
never added. Units often send both "Kết quả trong quý" and "Lũy kế từ đầu năm": nq57 reads
the period figure and keeps the unit's cumulative one (``year_to_date.csv``).
:func:`check_year_to_date` sets that figure beside nq57's sum of the year's periods up to
P, so a disagreement is shown (Phụ lục 1, and the indicator's row on the leader's pages)
and never resolved silently: the verdict keeps nq57's sum, which each period's workbook
backs cell by cell. docs/methodology.md §7 has the worked example.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from nq57lib.assess.observations import (
    flow_total,
    missing_months_text,
    month_index,
    resolve_revisions,
    visible,
    with_time_columns,
)
from nq57lib.core.periods import Period
from nq57lib.core.schema import YEAR_TO_DATE_CHECK_COLUMNS

# Figures that differ by less than this are the same (a unit's rounding of a sum).
TOLERANCE = 1e-6


def check_year_to_date(
    totals: pd.DataFrame, observations: pd.DataFrame, period: Period | str
) -> pd.DataFrame:
    """One row per unit total of ``period`` (``year_to_date.csv``): the unit's figure, the
    sum of the indicator's reported periods of the year up to ``period``, the periods that
    sum rests on, the months with no report, and whether the two agree."""
    period = Period.parse(period)
    columns = list(YEAR_TO_DATE_CHECK_COLUMNS)
    if totals.empty:
        return pd.DataFrame(columns=columns)
    obs = with_time_columns(observations) if len(observations) else observations
    if len(obs):
        obs = resolve_revisions(visible(obs, period))
    first, last = month_index(period.year, 1), month_index(period.year, period.last_month)
    rows = []
    for total in totals.itertuples(index=False):
        sub = obs[obs["indicator_id"] == total.indicator_id] if len(obs) else obs
        if len(sub):
            summed, covered, used = flow_total(sub, first, last)
        else:
            summed, covered, used = 0.0, np.zeros(last - first + 1, dtype=bool), []
        unit_total = float(total.value)
        missing = "" if covered.all() else missing_months_text(covered, first)
        rows.append(
            {
                "period": period.code,
                "indicator_id": total.indicator_id,
                "reported_by": total.reported_by,
                "unit_total": unit_total,
                "periods_total": float(summed),
                "periods_used": "; ".join(sorted(used, key=lambda c: Period.parse(c))),
                "months_missing": missing,
                "agrees": math.isclose(unit_total, float(summed), abs_tol=TOLERANCE),
                "source_file": total.source_file,
                "source_sheet": total.source_sheet,
                "source_cell": total.source_cell,
            }
        )
    return pd.DataFrame(rows, columns=columns)
