"""Column contracts of the processed tables that several stages read and write."""

from __future__ import annotations

# data/processed/<period>/observations.csv, written by ingest, read by compare and briefing.
OBSERVATION_COLUMNS = (
    "period",
    "indicator_id",
    "value",
    "unit",
    "numerator",
    "denominator",
    "status",
    "reported_by",
    "source_file",
    "source_sheet",
    "source_cell",
    "note",
)

# data/processed/<period>/quarantine.csv: every rejected row and why.
QUARANTINE_COLUMNS = ("source_file", "source_sheet", "source_row", "reason", "raw")

# data/processed/<period>/quality.csv: one row per file found in the period's folder.
QUALITY_COLUMNS = (
    "source_file",
    "reported_by",
    "unit_name",
    "file_status",
    "sheets",
    "rows_read",
    "accepted",
    "quarantined",
    "blank",
    "illustrative",
    "message",
    "saved_on",  # when the unit saved the file (its "modified" property), Vietnam time
    "late",  # saved after the units' due day the profile sets
)

# data/processed/<period>/submissions.csv: per reporting unit, what it owed and sent.
SUBMISSION_COLUMNS = (
    "unit",
    "unit_name",
    "files",
    "expected",
    "received",
    "missing_count",
    "missing",
    "quarantined_only",
    "first_saved",  # when the unit's first readable workbook was saved
    "late",  # … after the units' due day the profile sets
)

# The ``note`` of an observation: the unit's own words, then nq57's annotations for
# analysts, each a part of its own. Readers split on the separator and keep or drop the
# parts that start with the prefix.
NOTE_SEPARATOR = " · "
ANALYST_NOTE_PREFIX = "[nq57] "

# data/processed/<period>/status.csv, written by the assessment, read by the briefing.
STATUS_COLUMNS = (
    "period",
    "indicator_id",
    "area",
    "milestone_year",
    "comparator",
    "target",
    "value_max",
    "value",
    "value_period",
    "baseline",
    "baseline_period",
    "expected_now",
    "gap",
    "progress_ratio",
    "status",
    "method_note",
    "status_vi",
    "name_vi",
    "kind",
    "unit",
    "direction",
    "per_year",
    "row_role",
    "decided_by",
    "cagr_ratio",
    "straight_line_share",
    "methods_disagree",
    "target_id",
    "target_text",
    "milestones_met",  # the indicator's earlier milestones already met ("2025"), "; "-joined
    "missing_months",  # a flow's months with no report in its window ("1/2025, …, 9/2025")
)

# data/processed/<period>/verdicts.csv: one row per indicator, the table every view of the
# briefing reads (nq57lib.assess.verdicts; docs/methodology.md §9).
VERDICT_COLUMNS = (
    "period",
    "indicator_id",
    "name",
    "area",
    "kind",
    "unit",
    "lead_unit",
    "reported_by",  # the unit whose workbook carries its figure (the units file)
    "milestone_year",  # the headline milestone
    "headline",  # why that one: missed, only, all_met, most_urgent
    "status",
    "status_vi",
    "attention",  # True: the leader's attention is needed
    "attention_reason",  # missed_milestone, falling, too_slow, slow_by_one_method, no_figure_due
    "attention_rank",  # 1, 2, … among those needing attention; blank otherwise
    "value",  # the latest value (a flow: the total of its headline window)
    "value_period",  # the period that value is from
    "value_current",  # True: reported this period; False: carried forward
    "milestones_met",
    "milestones_missed",
    "milestones_open",  # milestones judged now and not met yet (not those beyond the horizon)
    "figure_owed",  # True: a figure is due and none has come (status no_data)
    "progress_ratio",
    "methods_disagree",  # the two progress methods disagree on one of its milestones
    "previous_status",  # the headline status at the previous processed period
    "change",  # better, worse or "" against previous_status
    "unit_total",  # the unit's own year-to-date figure of a flow (year_to_date_check.csv)
    "unit_total_agrees",  # True/False: it equals the sum of the periods; "" without one
)

# data/processed/<period>/status_history.csv: the status at each period as known then.
HISTORY_COLUMNS = (
    "period",
    "indicator_id",
    "area",
    "milestone_year",
    "row_role",
    "value",
    "progress_ratio",
    "status",
    "status_vi",
    "previous_status",
    "changed",
)

# data/processed/<period>/assignments.csv: the assignment register as cleaned for the period.
# ``recurring`` is "regular" (Thường xuyên), "yearly" (Hằng năm) or empty; ``deadline`` an
# ISO date, empty for a recurring task.
ASSIGNMENT_COLUMNS = (
    "task_id",
    "lead_unit",
    "coordinators",
    "deadline",
    "recurring",
    "deadline_text",
    "product",
    "source_file",
    "source_sheet",
    "source_cell",
)

# data/processed/<period>/target_leads.csv: register rows that name a target's indicator
# (by its code or exact name) instead of a task: the unit that leads it, overriding the
# reporting unit of reporting_units.yaml on the leader's pages.
TARGET_LEAD_COLUMNS = (
    "indicator_id",
    "lead_unit",
    "coordinators",
    "source_file",
    "source_sheet",
    "source_cell",
)

# data/processed/<period>/task_reports.csv: every accepted row of the units' task sheets.
# ``role`` is "lead" (the unit leads the task: its report decides) or "contribution";
# ``state`` is a stage code (not_started, in_progress, done); ``completed_on`` an ISO date.
TASK_REPORT_COLUMNS = (
    "period",
    "task_id",
    "reported_by",
    "role",
    "state",
    "completed_on",
    "result",
    "difficulties",
    "proposals",
    "source_file",
    "source_sheet",
    "source_cell",
    "note",
)

# data/processed/<period>/task_status.csv: every tracked or unassigned task at the period.
TASK_STATUS_COLUMNS = (
    "period",
    "task_id",
    "parent_id",
    "kind",
    "group",
    "lead_unit",
    "coordinators",
    "deadline",
    "recurring",
    "deadline_text",
    "state",
    "completed_on",
    "status",
    "category",
    "stale",
    "report_period",
    "source_file",
    "source_sheet",
    "source_cell",
    "note",
    "text",
)

# data/processed/<period>/task_status_history.csv: each task's status at every period.
TASK_HISTORY_COLUMNS = (
    "period",
    "task_id",
    "lead_unit",
    "status",
    "stale",
    "previous_status",
    "changed",
)

# data/processed/<period>/unit_scorecard.csv: per lead unit, its tasks counted by status.
# ``overdue`` = in_progress_overdue + not_started_overdue; ``due`` = non-recurring tasks due
# by the period; ``on_time_rate`` = due tasks completed on time / due (empty when none due).
SCORECARD_COLUMNS = (
    "period",
    "unit",
    "unit_name",
    "assigned",
    "due",
    "done_on_time",
    "done_late",
    "in_progress",
    "overdue",
    "not_started",
    "no_report",
    "recurring",
    "on_time_rate",
    "completed_on_time",
    "completed_late",
    "open_in_time",
    "open_overdue",
    "no_deadline",
    "with_deadline",
    "completion_rate_due",
    "completion_rate_all",
)

# data/processed/<period>/year_to_date.csv: a unit's own cumulative figure ("Lũy kế từ đầu
# năm") beside its period figure of a flow indicator; the comparison checks it against the
# sum of the periods (nq57lib.assess.cumulative).
YEAR_TO_DATE_COLUMNS = (
    "period",
    "indicator_id",
    "reported_by",
    "value",
    "source_file",
    "source_sheet",
    "source_cell",
)

# data/processed/<period>/year_to_date_check.csv: each unit total against the sum of the
# periods (nq57lib.assess.cumulative.check_year_to_date).
YEAR_TO_DATE_CHECK_COLUMNS = (
    "period",
    "indicator_id",
    "reported_by",
    "unit_total",
    "periods_total",
    "periods_used",
    "months_missing",
    "agrees",
    "source_file",
    "source_sheet",
    "source_cell",
)

# data/processed/<period>/remarks.csv: what a unit wrote beside an indicator it left blank
# (the template asks for the reason in "Ghi chú"); the briefing shows it next to the gap.
REMARK_COLUMNS = (
    "period",
    "indicator_id",
    "reported_by",
    "note",
    "source_file",
    "source_sheet",
    "source_cell",
)
