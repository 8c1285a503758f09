"""What the briefing of one period reads, loaded once: :class:`BriefingData`.

:func:`load_briefing_data` is the report stage's only reader of files (the processed
tables of the period and the observations before it) and of the clock (the report's
date); every section builder works on the loaded data alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from nq57lib.assess.observations import as_bool
from nq57lib.collect.units import load_reporting_units
from nq57lib.core import config
from nq57lib.core.errors import InputMissingError, NoTargetsError, ValidationError
from nq57lib.core.periods import Period
from nq57lib.core.processed import (
    is_illustrative,
    processed_periods,
    quality_says_illustrative,
    read_csv,
    read_observations,
    read_table,
    read_tables,
)
from nq57lib.core.profile import STEERING, Profile
from nq57lib.core.project import Project
from nq57lib.core.schema import (
    REMARK_COLUMNS,
    SCORECARD_COLUMNS,
    TASK_REPORT_COLUMNS,
    TASK_STATUS_COLUMNS,
    VERDICT_COLUMNS,
    YEAR_TO_DATE_CHECK_COLUMNS,
)
from nq57lib.plan.catalogue import build_catalogue
from nq57lib.plan.registry import Registry
from nq57lib.plan.tracked import reviewed_registry, ward_registry
from nq57lib.report.narrative import Narrative, read_narrative

# The status columns the briefing cannot do without.
NEEDED_STATUS_COLUMNS = (
    "period", "indicator_id", "area", "milestone_year", "comparator", "target", "value_max",
    "value", "value_period", "baseline", "baseline_period", "expected_now", "gap",
    "progress_ratio", "status", "method_note", "name_vi", "kind", "unit",
)  # fmt: skip
_TEXT_COLUMNS = {
    "period": str, "value_period": str, "baseline_period": str, "previous_status": str,
    "milestones_met": str, "milestones_missed": str, "milestones_open": str,
    "attention_reason": str, "lead_unit": str, "reported_by": str, "change": str,
    "unit_total_agrees": str, "periods_used": str, "months_missing": str,
}  # fmt: skip
_BOOL_VERDICT_COLUMNS = ("attention", "value_current", "methods_disagree")
# The plan's targets set aside as implausible (plan.plausible), for annex 1.
SET_ASIDE_COLUMNS = ("indicator_id", "milestone_year", "text", "source_line", "reason")


@dataclass(frozen=True)
class BriefingData:
    """Every table the briefing of one period draws on.

    ``verdicts`` is the comparison's ``verdicts.csv``, one row per indicator: every count,
    list and judgement a leader reads selects from it (nq57lib.assess.verdicts).
    ``status`` is its ``status.csv``, a row per indicator and milestone (the area tables
    and annex 2 show each); ``history`` its ``status_history.csv``; ``submissions`` is
    optional (which unit sent what). ``indicator_names`` names every registry indicator,
    for the lists of what a unit still owes. ``report_date`` is printed in the date line.
    ``profile`` is the ward's (``ward.yaml``): every line of the report that names the
    ward, its plan or the plan's areas comes from it. ``set_aside`` lists the plan's
    targets that have no status because they lie outside their indicator's plausible
    range, with the reason.
    """

    period: Period
    verdicts: pd.DataFrame
    status: pd.DataFrame
    history: pd.DataFrame
    observations: pd.DataFrame
    quarantine: pd.DataFrame
    quality: pd.DataFrame
    submissions: pd.DataFrame
    profile: Profile
    illustrative: bool = True
    indicator_names: dict[str, str] = field(default_factory=dict)
    report_date: date = field(default_factory=date.today)
    task_status: pd.DataFrame = field(default_factory=lambda: _empty(TASK_STATUS_COLUMNS))
    scorecard: pd.DataFrame = field(default_factory=lambda: _empty(SCORECARD_COLUMNS))
    task_reports: pd.DataFrame = field(default_factory=lambda: _empty(TASK_REPORT_COLUMNS))
    unit_names: dict[str, str] = field(default_factory=dict)
    # Indicator id -> its number in NQ 03/NQ-CP Phụ lục I, where one maps (the export's key).
    national_codes: dict[str, str] = field(default_factory=dict)
    # The report a leader reads may span more than the data's period: "Báo cáo năm 2026"
    # drawn up on 30/11/2026 from data up to 2026-Q3 has report_period 2026, period
    # 2026-Q3 and as_of 30/11/2026.
    report_period: Period | None = None
    as_of: date | None = None
    narrative: Narrative = field(default_factory=Narrative)
    remarks: pd.DataFrame = field(default_factory=lambda: _empty(REMARK_COLUMNS))
    set_aside: pd.DataFrame = field(default_factory=lambda: _empty(SET_ASIDE_COLUMNS))
    # Each unit's own year-to-date figure against the sum of the periods (Phụ lục 1).
    year_to_date: pd.DataFrame = field(default_factory=lambda: _empty(YEAR_TO_DATE_CHECK_COLUMNS))
    # Where the analyst's words for the report are read from (named in annex 1).
    narrative_file: Path | None = None

    @property
    def lead_units(self) -> dict[str, str]:
        """Indicator → the name of the unit leading it (from the verdicts)."""
        named = self.verdicts[self.verdicts["lead_unit"] != ""]
        return dict(zip(named["indicator_id"], named["lead_unit"], strict=True))

    @property
    def reported(self) -> Period:
        """The period the report is titled for."""
        return self.report_period or self.period

    @property
    def cutoff(self) -> date:
        """The day the report's figures and tasks are counted to: the data period's cut-off
        (the ward's calendar: its last day, or the regime's 14th), or ``as_of`` if sooner."""
        return self.profile.calendar.cutoff(self.period, self.as_of)

    @property
    def window_start(self) -> date:
        """The first day the report's period counts, by the ward's calendar."""
        return self.profile.calendar.start(self.reported)

    @property
    def report_due(self) -> date:
        """The day the report is due (the calendar's working days after the cut-off)."""
        return self.profile.calendar.report_due(self.reported)

    @property
    def early(self) -> bool:
        """Drawn up before its period ended (a cut-off date inside it): page 1 says so.
        A cut-off after the period's end only dates the report."""
        return self.as_of is not None and self.as_of < self.reported.end


def _empty(columns) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))


def _read_csv(path: Path) -> pd.DataFrame:
    return read_csv(path, dtype=_TEXT_COLUMNS, keep_default_na=False, na_values=[""])


def _optional_csv(path: Path) -> pd.DataFrame:
    return _read_csv(path) if path.exists() else pd.DataFrame()


def load_briefing_data(
    project: Project,
    period: str | Period,
    illustrative: bool = False,
    report_date: date | None = None,
    *,
    report_period: str | Period | None = None,
    as_of: str | date | None = None,
    issuer: str = "",
) -> BriefingData:
    """Read what cleaning and comparison wrote for ``period`` of ``project`` (and the
    observations before it).

    The data are marked illustrative when ``illustrative`` is set or when the data say so
    themselves (:func:`nq57lib.core.processed.is_illustrative`): the label is never lost.
    ``report_date`` defaults to today (or ``as_of``). ``report_period`` (default: ``period``)
    titles the report; the analyst's text is read from ``<raw>/<report_period>/``. The
    project's plan is read for the targets set aside as implausible. ``issuer`` "bcd" makes
    the steering committee's report of the same data (the profile's ``steering``).
    """
    period = Period.parse(period)
    reported = Period.parse(report_period) if report_period else period
    if isinstance(as_of, str):
        as_of = date.fromisoformat(as_of) if as_of else None
    processed_dir = project.processed_dir
    folder = processed_dir / period.code
    status = _compared(folder / "status.csv", NEEDED_STATUS_COLUMNS, period)
    verdicts = _read_verdicts(folder / "verdicts.csv", period)
    earlier = [p for p in processed_periods(processed_dir) if p <= period]
    observations = read_observations(processed_dir, earlier)
    registry = ward_registry(project)
    units = load_reporting_units(project.units_path, registry)
    narrative_folder = project.raw_dir / reported.code
    return BriefingData(
        period=period,
        verdicts=verdicts,
        status=status,
        history=_optional_csv(folder / "status_history.csv"),
        observations=observations,
        quarantine=_optional_csv(folder / "quarantine.csv"),
        quality=_optional_csv(folder / "quality.csv"),
        submissions=_optional_csv(folder / "submissions.csv"),
        profile=project.profile.as_steering() if issuer == STEERING else project.profile,
        illustrative=bool(illustrative)
        or is_illustrative(observations)
        or quality_says_illustrative(processed_dir, [period]),
        # The plan's provisional indicators are named in status.csv (not in the registry).
        indicator_names={
            **{i.id: i.name_vi for i in registry},
            **dict(zip(status["indicator_id"], status["name_vi"], strict=True)),
        },
        report_date=report_date or as_of or date.today(),
        task_status=read_table(folder / "task_status.csv", TASK_STATUS_COLUMNS),
        scorecard=read_table(folder / "unit_scorecard.csv", SCORECARD_COLUMNS),
        task_reports=read_table(folder / "task_reports.csv", TASK_REPORT_COLUMNS),
        unit_names={u.code: u.name_vi for u in units},
        national_codes={i.id: i.national_code for i in registry if i.national_code},
        report_period=reported if reported != period else None,
        as_of=as_of,
        narrative=read_narrative(narrative_folder),
        remarks=read_tables(processed_dir, earlier, "remarks", REMARK_COLUMNS),
        set_aside=_set_aside(project.plan_path, reviewed_registry(project)),
        year_to_date=read_table(folder / "year_to_date_check.csv", YEAR_TO_DATE_CHECK_COLUMNS),
        narrative_file=narrative_folder / config.NARRATIVE_FILE,
    )


def _set_aside(plan_path: Path, registry: Registry) -> pd.DataFrame:
    """The plan's targets that were not assessed because they are implausible, and why.

    A plan without targets sets nothing aside (the comparison reported it); a plan that
    cannot be read at all stops the briefing, as it stopped the comparison.
    """
    try:
        targets = build_catalogue(plan_path, registry).targets
    except NoTargetsError:
        return _empty(SET_ASIDE_COLUMNS)
    aside = targets[targets["set_aside"] != ""]
    return pd.DataFrame(
        {
            "indicator_id": aside["indicator_id"],
            "milestone_year": aside["milestone_year"],
            "text": aside["text"],
            "source_line": aside["source_line"],
            "reason": aside["set_aside"],
        },
        columns=list(SET_ASIDE_COLUMNS),
    ).reset_index(drop=True)


def _compared(path: Path, columns, period: Period) -> pd.DataFrame:
    """A table the comparison writes, with the columns the briefing cannot do without."""
    if not path.is_file():
        raise InputMissingError(path, f"run `nq57 compare --period {period.code}` first")
    frame = _read_csv(path)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValidationError(str(path), [f"column '{c}' is missing" for c in missing])
    return frame


def _read_verdicts(path: Path, period: Period) -> pd.DataFrame:
    verdicts = _compared(path, VERDICT_COLUMNS, period)
    for column in VERDICT_COLUMNS:
        if column in _TEXT_COLUMNS:
            verdicts[column] = verdicts[column].fillna("")
    for column in _BOOL_VERDICT_COLUMNS:
        verdicts[column] = verdicts[column].map(as_bool)
    return verdicts
