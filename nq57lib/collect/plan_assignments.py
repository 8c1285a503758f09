"""The assignments the plan itself makes: its own tables of tasks, read as the register's rows.

A plan whose appendix says who leads each task and by when (:mod:`nq57lib.plan.task_table`)
has assigned those tasks the day it was signed: they are "assigned" before the ward office
edits its register, and the register starts from them (:mod:`nq57lib.collect.task_templates`).
The plan's unit names are matched to the ward's units exactly — by name or by an alias of
``reporting_units.yaml`` — never by a near name: a name that is no unit keeps the task
unassigned and says which unit is nearest, in the plan's own quality line. A register row for
the same task supersedes the plan's assignment (the office has checked it).
"""

from __future__ import annotations

from dataclasses import dataclass

from nq57lib.collect.frames import FileReading
from nq57lib.collect.unit_names import name_units, nearest_units
from nq57lib.collect.units import ReportingUnit, ReportingUnits
from nq57lib.plan.tasks import TaskCatalogue

PLAN_LABEL = "Kế hoạch (phân công nhiệm vụ ghi trong kế hoạch)"
PLAN_SHEET = "Phụ lục kế hoạch"


@dataclass(frozen=True)
class PlanLead:
    """What the plan says of one task (a row of its tables, or the task's own "Đơn vị chủ
    trì: …" line), resolved to the ward's units."""

    task_id: str
    lead: ReportingUnit | None
    partners: tuple[str, ...]  # unit names, groups and names that are no unit, as written
    problem: str  # why the task is not assigned by the plan ("" when it is)


def plan_leads(catalogue: TaskCatalogue, units: ReportingUnits) -> list[PlanLead]:
    """One entry per task the plan gives a lead unit (in a table or on its own lines)."""
    found = []
    for task in catalogue.tasks.itertuples(index=False):
        if not str(task.lead_text).strip():
            continue
        named = name_units(task.lead_text, units, near=False)
        leads = [n.unit for n in named if n.unit is not None]
        problem = ""
        if len(named) != 1 or not leads:
            unknown = [n.text for n in named if n.unit is None]
            near = nearest_units(unknown[0], units) if unknown else ()
            hint = f" (gần nhất: {', '.join(near)})" if near else ""
            problem = (
                f"kế hoạch ghi đơn vị chủ trì “{task.lead_text}”{hint}: không phải một đơn vị "
                "trong danh sách đơn vị; thêm tên này vào tên gọi khác (aliases) của đơn vị "
                "trong reporting_units.yaml hoặc ghi đơn vị chủ trì vào sổ phân công"
            )
        partners = tuple(
            n.unit.name_vi if n.unit is not None else n.text
            for n in name_units(task.support_text, units, near=False)
        )
        found.append(PlanLead(task.task_id, leads[0] if not problem else None, partners, problem))
    return found


def plan_reading(
    catalogue: TaskCatalogue, units: ReportingUnits, registered: set[str]
) -> FileReading | None:
    """The plan's assignments as one reading (None when its tables assign nothing).
    Tasks in ``registered`` (the register assigns them) are left to the register."""
    leads = plan_leads(catalogue, units)
    if not leads:
        return None
    reading = FileReading(source_file=catalogue.plan_path.name, label=PLAN_LABEL)
    reading.sheets.append(PLAN_SHEET)
    tasks = catalogue.tasks.set_index("task_id")
    superseded = 0
    for lead in leads:
        if lead.task_id in registered:
            superseded += 1
            continue
        task = tasks.loc[lead.task_id]
        line = int(task["plan_line"])  # the line that assigns it, not the task's own
        if lead.problem or not (task["deadline"] or task["recurring"]):
            reason = lead.problem or (
                f"kế hoạch ghi thời hạn “{task['deadline_text']}”, không đọc được thành một "
                "ngày; ghi thời hạn vào sổ phân công"
                if task["deadline_text"]
                else "kế hoạch không ghi thời hạn; ghi thời hạn vào sổ phân công"
            )
            said = f"Dòng {line} của kế hoạch, nhiệm vụ {lead.task_id}: {reason}."
            reading.quarantine(PLAN_SHEET, line, said, task["text"], task=lead.task_id)
            continue
        partners = [_code_or_text(p, units) for p in lead.partners]
        reading.assignments.append(
            {
                "task_id": lead.task_id,
                "lead_unit": lead.lead.code,
                "coordinators": "; ".join(p for p in partners if p != lead.lead.code),
                "deadline": task["deadline"],
                "recurring": task["recurring"],
                "deadline_text": task["deadline_text"],
                "product": task["product"],
                "source_file": reading.source_file,
                "source_sheet": PLAN_SHEET,
                "source_cell": f"dòng {line}",
                "_row": line,
                "_raw": task["text"],
            }
        )
    if superseded:
        reading.messages.append(
            f"{superseded} nhiệm vụ kế hoạch đã phân công được sổ phân công ghi lại: dùng sổ"
        )
    return reading


def _code_or_text(name: str, units: ReportingUnits) -> str:
    unit = next((u for u in units if u.name_vi == name), None)
    return unit.code if unit is not None else name
