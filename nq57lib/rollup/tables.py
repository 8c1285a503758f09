"""The city's consolidated tables: facts first (counts per ward, per shared indicator),
each computed once from the trusted exports; :mod:`nq57lib.rollup.render` only words them.

A ward's counts are its own page 1's: the groups of its indicators
(:func:`~nq57lib.assess.counts.indicator_counts` over its ``chi-tieu`` rows, which are its
``verdicts.csv``), and its tasks (:func:`~nq57lib.assess.counts.task_counts`, and the
Government's four categories: :func:`~nq57lib.assess.categories.category_counts`) over its
``nhiem-vu`` rows, which are its assigned tasks. Pure: data in, new DataFrames out.
"""

from __future__ import annotations

import pandas as pd

from nq57lib.assess.categories import category_counts
from nq57lib.assess.counts import INDICATOR_GROUPS, indicator_counts, task_counts
from nq57lib.assess.statuses import BEHIND, TASK_CATEGORIES, urgency
from nq57lib.report.export import INDICATOR_FIELDS, TASK_FIELDS, code_of
from nq57lib.rollup.city import City
from nq57lib.rollup.read import Received, Refused

# The columns of the per-ward facts, in order.
HEADLINE = ("total", *INDICATOR_GROUPS)
TASK_COUNTS = ("tracked", "done", "overdue", *TASK_CATEGORIES, "no_report")
WARD_COLUMNS = ("ward_code", "ward_name", "cutoff", *HEADLINE, *TASK_COUNTS)
# A shared indicator is reported by at least this many wards.
SHARED_MIN = 2
# The wards named as furthest behind, per shared indicator.
BEHIND_NAMED = 3


def ward_facts(received: Received) -> pd.DataFrame:
    """One row per ward that sent the period: page 1's counts of indicators and tasks."""
    rows = []
    for ward in sorted(received.wards, key=lambda w: w.name):
        rows.append({
            "ward_code": ward.code, "ward_name": ward.name, "cutoff": ward.cutoff,
            **_headline(ward.indicators), **task_counts(ward.tasks),
            **category_counts(ward.tasks),
            "no_report": int((ward.tasks["status"] == "no_report").sum()),
        })  # fmt: skip
    return pd.DataFrame(rows, columns=list(WARD_COLUMNS))


def _headline(indicators: pd.DataFrame) -> dict[str, int]:
    """Page 1's groups of a ward's indicators (its export's rows are its verdicts)."""
    counts = indicator_counts(indicators)
    return {k: counts[k] for k in HEADLINE}


def stacked(received: Received, which: str) -> pd.DataFrame:
    """Every ward's ``indicators`` or ``tasks`` rows, one tidy table (the export's columns)."""
    frames = [getattr(w, which) for w in sorted(received.wards, key=lambda w: w.name)]
    fields = INDICATOR_FIELDS if which == "indicators" else TASK_FIELDS
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(fields))


def _gap(row) -> float:
    """How far a value is from its target, in the direction the target asks, relative to
    the target (0.25: a quarter of the way still to go); NaN where it cannot be said."""
    if row.kind == "milestone" or pd.isna(row.value) or pd.isna(row.target):
        return float("nan")
    if row.comparator in (">=", ">"):
        gap = row.target - row.value
    elif row.comparator in ("<=", "<"):
        gap = row.value - row.target
    elif row.comparator == "=":
        gap = abs(row.value - row.target)
    else:
        return float("nan")
    return gap / abs(row.target) if row.target else gap


def shared_facts(received: Received) -> pd.DataFrame:
    """One row per indicator that at least :data:`SHARED_MIN` wards report: its national
    code, how many wards, the wards in each headline group, and the wards furthest behind.

    ``behind`` lists (ward name, value, comparator, target, milestone year, status) of the
    wards behind the plan, the most urgent status first, then the largest relative gap.
    """
    rows = stacked(received, "indicators")
    columns = ["indicator_id", "national_code", "name", "unit", "wards", *INDICATOR_GROUPS,
               "behind"]  # fmt: skip
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.assign(gap=[_gap(r) for r in rows.itertuples(index=False)])
    out = []
    for indicator_id, group in rows.groupby("indicator_id", sort=False):
        if group["ward_code"].nunique() < SHARED_MIN:
            continue
        late = group[group["status"].isin(BEHIND)].assign(
            rank=lambda g: g["status"].map(urgency), order=lambda g: -g["gap"].fillna(-1e9)
        )
        late = late.sort_values(["rank", "order", "ward_name"])
        behind = [
            (r.ward_name, r.value, r.comparator, r.target, r.milestone_year, r.status)
            for r in late.head(BEHIND_NAMED).itertuples(index=False)
        ]
        codes = [c for c in group["national_code"] if c]
        out.append({
            "indicator_id": indicator_id,
            "national_code": max(set(codes), key=codes.count) if codes else "",
            "name": group["name"].mode().iloc[0], "unit": group["unit"].mode().iloc[0],
            "wards": int(group["ward_code"].nunique()),
            **{k: v for k, v in _headline(group).items() if k != "total"},
            "behind": behind,
        })  # fmt: skip
    facts = pd.DataFrame(out, columns=columns)
    # The indicators of the central list first, in its order; then the most widely reported.
    key = facts["national_code"].map(_code_key)
    return (
        facts.assign(_k=key, _w=-facts["wards"])
        .sort_values(["_k", "_w", "name"])
        .drop(columns=["_k", "_w"])
        .reset_index(drop=True)
    )


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split(".")) if code else (10**6,)


def not_sent(received: Received, city: City) -> pd.DataFrame:
    """The roster's wards with no trusted export of the period, and why (nothing at all,
    another period, a malformed export)."""
    sent = {w.code for w in received.wards}
    why: dict[str, list[Refused]] = {}
    for refused in received.refused:
        if refused.kind != "superseded" and refused.ward:
            why.setdefault(code_of(refused.ward), []).append(refused)
    rows = []
    for code, name in city.codes.items():
        if code in sent:
            continue
        reasons = why.get(code, [])
        kind = reasons[0].kind if reasons else "none"
        rows.append({"ward_code": code, "ward_name": name, "kind": kind,
                     "reason": "; ".join(r for x in reasons for r in x.reasons)})  # fmt: skip
    return pd.DataFrame(rows, columns=["ward_code", "ward_name", "kind", "reason"])


def unexpected(received: Received, city: City) -> list[str]:
    """Wards that sent although the roster does not list them (their figures still count)."""
    if not city.wards:
        return []
    listed = set(city.codes)
    return sorted(w.name for w in received.wards if w.code not in listed)
