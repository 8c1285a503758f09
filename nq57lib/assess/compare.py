"""Compare a processed period with the milestones and write what the briefing reads.

:func:`compare_period` is the file-reading wrapper around :func:`nq57lib.assess.status.assess`:
it reads ``<processed>/<code>/observations.csv`` for every period up to P, the plan and the
registry, and writes ``status.csv`` (a row per indicator and milestone), ``verdicts.csv``
(a row per indicator: the table every view of the briefing reads), ``status_history.csv``
and the Excel appendix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from nq57lib.assess.appendix import write_appendix
from nq57lib.assess.counts import GROUP_WORDS_VI, indicator_counts, task_counts
from nq57lib.assess.cumulative import check_year_to_date
from nq57lib.assess.status import assess_periods, status_history
from nq57lib.assess.statuses import (
    STATUS_LABELS_VI,
    STATUSES,
    TASK_STATUS_LABELS_VI,
    TASK_STATUSES,
)
from nq57lib.assess.task_compare import TaskResult, compare_tasks
from nq57lib.assess.verdicts import attention_list, headline_rows, lead_units, verdicts
from nq57lib.collect.units import load_reporting_units
from nq57lib.core import config
from nq57lib.core.atomic import write_csv_atomic
from nq57lib.core.errors import InputMissingError
from nq57lib.core.periods import Period
from nq57lib.core.processed import (
    is_illustrative,
    processed_periods,
    quality_says_illustrative,
    read_observations,
    read_table,
)
from nq57lib.core.project import Project
from nq57lib.core.schema import TARGET_LEAD_COLUMNS, YEAR_TO_DATE_COLUMNS
from nq57lib.core.sets import processed_set
from nq57lib.plan.catalogue import build_catalogue
from nq57lib.plan.registry import Registry
from nq57lib.plan.tracked import reviewed_registry, ward_registry


@dataclass
class ComparisonResult:
    period: Period
    status: pd.DataFrame
    history: pd.DataFrame
    output_dir: Path
    verdicts: pd.DataFrame
    observations: pd.DataFrame
    targets: pd.DataFrame
    illustrative: bool = False
    files: dict[str, Path] = field(default_factory=dict)
    tasks: TaskResult | None = None

    def counts(self) -> dict[str, int]:
        """Indicators per headline status (verdicts.csv), as the briefing counts them."""
        counts = self.verdicts["status"].value_counts()
        return {s: int(counts.get(s, 0)) for s in STATUSES}

    def attention(self, n: int | None = None) -> pd.DataFrame:
        """The indicators needing the leader's attention, in their rank order."""
        found = attention_list(self.verdicts)
        return found if n is None else found.head(n)

    def headline_rows(self, chosen: pd.DataFrame | None = None) -> pd.DataFrame:
        """The status row of each verdict's (or each of ``chosen``'s) headline milestone."""
        return headline_rows(self.verdicts if chosen is None else chosen, self.status)

    def summary_text(self) -> str:
        """What the comparison found, with page 1's counts of the briefing
        (:mod:`nq57lib.assess.counts`, from the verdicts: one row per indicator)."""
        c = indicator_counts(self.verdicts)
        groups = [
            f"{c[k]} {GROUP_WORDS_VI[k]}"
            + (f" (đã đạt {c['achieved']})" if k == "good" and c["achieved"] else "")
            for k in GROUP_WORDS_VI
            if c[k] and k != "achieved"
        ]
        parts = [f"{STATUS_LABELS_VI[s]} {n}" for s, n in self.counts().items() if n]
        lines = [
            f"So sánh với mốc kế hoạch — {self.period.label_vi} ({self.period.code}): "
            f"{c['total']} chỉ tiêu, mỗi chỉ tiêu tính một lần theo mốc cần chú ý nhất "
            f"({len(self.status)} dòng theo mốc).",
            "  Như trang 1 của báo cáo: " + "; ".join(groups) + ".",
            "  Theo tình trạng: " + " · ".join(parts),
            f"  Cần tập trung chỉ đạo: {c['attention']} chỉ tiêu.",
        ]
        if self.illustrative:
            lines.append(f"  ({config.ILLUSTRATIVE_LABEL})")
        changed = int(self.history["changed"].sum()) if len(self.history) else 0
        lines.append(
            f"  Diễn biến: {changed} lần đổi trạng thái qua {self.history['period'].nunique()} kỳ."
        )
        if self.tasks is not None:
            t = task_counts(self.tasks.status)
            lines.append(
                f"  Nhiệm vụ đã phân công: {t['tracked']}; đã hoàn thành: {t['done']}; "
                f"quá hạn chưa hoàn thành: {t['overdue']}."
            )
            counts = self.tasks.status["status"].value_counts()
            parts = [
                f"{TASK_STATUS_LABELS_VI[s]} {int(counts[s])}" for s in TASK_STATUSES if s in counts
            ]
            lines.append(f"  Nhiệm vụ ({len(self.tasks.status)}): " + " · ".join(parts))
        lines.extend(f"  Đã ghi: {path}" for path in self.files.values())
        return "\n".join(lines)


def _load_targets(plan_path: Path, registry: Registry) -> pd.DataFrame:
    return build_catalogue(plan_path, registry).targets


def compare_period(
    project: Project, period: Period | str, baseline: str = "first"
) -> ComparisonResult:
    """Compare period P of ``project`` with its plan's milestones and write status,
    history and the appendix beside P's cleaned tables."""
    period = Period.parse(period)
    processed_dir = project.processed_dir
    output_dir = processed_dir / period.code
    if not (output_dir / "observations.csv").is_file():
        raise InputMissingError(
            output_dir / "observations.csv",
            f"kỳ {period.code} chưa được làm sạch — "
            f"chạy `nq57 clean --period {period.code}` trước.",
        )
    periods = [p for p in processed_periods(processed_dir) if p <= period]
    observations = read_observations(processed_dir, periods)
    targets = _load_targets(project.plan_path, reviewed_registry(project))
    registry = ward_registry(project)
    assessed = assess_periods(targets, observations, [*periods, period], registry, baseline)
    status = assessed[period.code]
    history = status_history(targets, observations, periods, registry, baseline, known=assessed)
    illustrative = is_illustrative(observations) or quality_says_illustrative(
        processed_dir, periods
    )
    units = load_reporting_units(project.units_path, registry)
    register = read_table(output_dir / "target_leads.csv", TARGET_LEAD_COLUMNS)
    totals = read_table(output_dir / "year_to_date.csv", YEAR_TO_DATE_COLUMNS)
    year_to_date = check_year_to_date(totals, observations, period)
    earlier = [p for p in periods if p < period]
    verdict = verdicts(
        status,
        period,
        lead_units(units, register),
        reporters={i: u.name_vi for u in units for i in u.indicators},
        previous=assessed[earlier[-1].code] if earlier else None,
        year_to_date=year_to_date,
    )
    tasks = compare_tasks(
        period, processed_dir, periods, units, project.plan_path, project.profile.calendar
    )
    # The comparison's files join the period's cleaned tables as one set: all of them new,
    # or (on any failure) all of them as they were; a file it no longer writes is dropped.
    owned = {
        "status": "status.csv",
        "verdicts": "verdicts.csv",
        "year_to_date": "year_to_date_check.csv",
        "history": "status_history.csv",
        "task_status": "task_status.csv",
        "task_history": "task_status_history.csv",
        "scorecard": "unit_scorecard.csv",
        "appendix": "status.xlsx",
    }
    with processed_set(output_dir, replaces=owned.values()) as staging:
        write_csv_atomic(status, staging / owned["status"])
        write_csv_atomic(verdict, staging / owned["verdicts"])
        write_csv_atomic(year_to_date, staging / owned["year_to_date"])
        write_csv_atomic(history, staging / owned["history"])
        if tasks is not None:
            write_csv_atomic(tasks.status, staging / owned["task_status"])
            write_csv_atomic(tasks.history, staging / owned["task_history"])
            write_csv_atomic(tasks.scorecard, staging / owned["scorecard"])
        write_appendix(
            status,
            history,
            staging / owned["appendix"],
            period=period,
            illustrative=illustrative,
            made_on=date.today(),
            areas=project.areas,
            tasks=tasks,
        )
        written = {p.name for p in staging.iterdir()}
    files = {key: output_dir / name for key, name in owned.items() if name in written}
    return ComparisonResult(
        period=period,
        status=status,
        history=history,
        output_dir=output_dir,
        verdicts=verdict,
        observations=observations,
        targets=targets,
        illustrative=illustrative,
        files=files,
        tasks=tasks,
    )
