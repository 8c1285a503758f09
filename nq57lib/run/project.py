"""A new ward's working folder: ``nq57 init --plan FILE DIR``.

:func:`init_project` writes ``DIR/ward.yaml`` pre-filled from the plan's header
(:mod:`nq57lib.plan.header`), copies the plan to ``DIR/data/raw/plan/``, writes a
``reporting_units.yaml`` for the ward to edit from nq57's example units, asked only for the
indicators its plan tracks (:mod:`nq57lib.run.units_file`), and creates the data and
report folders. The profile points at nq57's reviewed indicator registry rather than a copy: the
registry describes indicators, not a ward, and improves for every ward at once (a ward
that needs its own sets ``paths.registry``). A value the plan does not give is written as
a ``<<…>>`` placeholder that the profile loader refuses, so nothing prints with a blank.
An existing ``ward.yaml`` is never overwritten.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from nq57lib.core import config
from nq57lib.core.atomic import atomic_path, write_text_atomic
from nq57lib.core.errors import NoTasksError, Nq57Error, ProfileError
from nq57lib.core.profile import LEVELS, PROFILE_FILE, SCHEMA, citation_date
from nq57lib.plan.header import PlanHeader, read_plan_header
from nq57lib.plan.registry import read_yaml
from nq57lib.plan.tasks import build_task_catalogue
from nq57lib.run.units_file import starting_units

UNITS_FILE = "reporting_units.yaml"
NUMBER_LINE = "Số: …/BC-UBND"
ON_BEHALF = "TM. ỦY BAN NHÂN DÂN"
SIGNER_TITLE = "CHỦ TỊCH"
# The usual recipients of a ward's report; "{level}" becomes phường, xã or đặc khu.
RECIPIENTS = (
    "Thường trực Đảng ủy {level};",
    "Thường trực HĐND {level};",
    "Chủ tịch, các Phó Chủ tịch UBND {level};",
    "Các phòng, ban, đơn vị thuộc UBND {level};",
    "Lưu: VT.",
)
# The areas of a plan for Resolution 57 (the shipped registry's letters), for a plan that
# states its targets without area headings.
AREA_DEFAULTS = {
    "a": "Phát triển hạ tầng",
    "b": "Phát triển nguồn lực",
    "c": "Phát triển khoa học, công nghệ",
    "d": "Phát triển hệ sinh thái đổi mới sáng tạo",
    "e": "Phát triển chuyển đổi số",
}
# Fields init always writes from these defaults, for the analyst to check.
DEFAULTED = ("letterhead.number", "signer.on_behalf", "signer.title", "recipients")


@dataclass
class InitResult:
    """What ``nq57 init`` made, and what the analyst must still check or fill in."""

    folder: Path
    profile_path: Path
    plan_copy: Path
    units_path: Path
    header: PlanHeader
    to_fill: list[str] = field(default_factory=list)  # ward.yaml keys left as <<…>>
    kept_units: bool = False  # DIR/reporting_units.yaml was there already
    planned_tasks: int = 0  # tasks the plan's own table gives a lead unit

    def summary_text(self) -> str:
        """The screen report: what was written, what to check, the next steps (Vietnamese)."""
        h = self.header
        folder = self.folder
        lines = [f"nq57 init: đã tạo thư mục làm việc {folder}"]
        lines.append(f"  {self.profile_path.name} — hồ sơ phường, xã (đọc từ đầu kế hoạch)")
        lines.append(f"  {self.plan_copy.relative_to(folder)} — bản sao kế hoạch")
        kept = " (đã có, giữ nguyên)" if self.kept_units else ""
        lines.append(f"  {self.units_path.name} — các đơn vị báo cáo, cần sửa{kept}")
        lines.append("  data/raw/, data/processed/, reports/")
        read = [k for k in h.lines if k not in self.to_fill]
        if read:
            lines.append("Đọc được từ kế hoạch (kiểm tra lại):")
            lines += [f"  - {key}: {_shown(h, key)} (dòng {h.lines[key]})" for key in read]
            if h.issuer_source == "preamble":
                lines.append(
                    "  (kế hoạch không có dòng tên cơ quan ban hành ở đầu: tên phường, xã "
                    "lấy từ câu “Ủy ban nhân dân … xây dựng/ban hành Kế hoạch”)"
                )
        if self.to_fill:
            lines.append("Chưa đọc được, cần điền trong ward.yaml (các chỗ “<<…>>”):")
            lines += [f"  - {key}: {_what(key)}" for key in self.to_fill]
        defaulted = [key for key in DEFAULTED if key not in self.to_fill]
        lines.append("Ghi theo mẫu chung, cần kiểm tra: " + ", ".join(defaulted) + ".")
        if not self.header.areas and "areas" not in self.to_fill:
            # No "a) …" area heading (lettered milestones are years, not areas).
            lines.append(
                "  - areas: kế hoạch không chia mục tiêu theo lĩnh vực (“a) …”); đã ghi 5 lĩnh "
                "vực của Nghị quyết 57 — sửa nếu kế hoạch dùng cách chia khác."
            )
        project = f"--project {folder}"
        lines += [
            "Bước tiếp theo:",
            f"  1. Mở {self.profile_path}, điền và kiểm tra các mục trên.",
            f"  2. Sửa {self.units_path}: tên các đơn vị của "
            f"{h.level or 'phường, xã'} và chỉ tiêu mỗi đơn vị báo cáo.",
            f"  3. nq57 check-plan {project} — xem kế hoạch đọc ra những chỉ tiêu nào.",
            f"  4. nq57 template --period 2026-Q3 {project} --out {folder / 'bieu-mau'} — "
            "biểu mẫu gửi các đơn vị (thay 2026-Q3 bằng kỳ báo cáo).",
            f"  5. nq57 template --assignments {project} --out "
            f"{folder / 'data' / 'raw' / 'phan-cong'} — sổ phân công nhiệm vụ của kế hoạch: "
            + (
                f"{self.planned_tasks} nhiệm vụ đã điền sẵn theo bảng phân công của kế hoạch "
                "(kiểm tra lại), điền đơn vị chủ trì, thời hạn cho các nhiệm vụ còn lại."
                if self.planned_tasks
                else "điền đơn vị chủ trì, thời hạn cho từng nhiệm vụ."
            ),
            f"  6. Đặt các tệp đơn vị gửi về vào {folder / 'data' / 'raw'}/<kỳ>/ rồi chạy "
            f"nq57 run --period <kỳ> {project} (hoặc chạy lệnh nq57 ngay trong thư mục).",
        ]
        return "\n".join(lines)


def _what(key: str) -> str:
    section, _, name = key.partition(".")
    entry = SCHEMA[section]
    return entry[name] if isinstance(entry, dict) else entry


def _shown(header: PlanHeader, key: str) -> str:
    values = {
        "letterhead.issuer": " / ".join(header.issuer),
        "ward.name": header.name,
        "ward.level": header.level,
        "ward.province": header.province,
        "plan.number": header.number,
        "letterhead.place": header.place,
        "plan.date": citation_date(header.date) if header.date else "",
        "plan.subject": header.subject,
        "areas": "; ".join(f"{k}) {v}" for k, v in header.areas.items()),
    }
    return values[key]


def _quoted(text: str) -> str:
    """A YAML scalar that reads back as ``text`` whatever it holds (": ", "#", quotes)."""
    return json.dumps(text, ensure_ascii=False)


def _placeholder(key: str) -> str:
    return _quoted(f"<<điền {_what(key)}>>")


def registry_areas(path: Path) -> list[str]:
    """The area letters the indicators of the registry at ``path`` use."""
    document = read_yaml(path)
    entries = document.get("indicators") if isinstance(document, dict) else None
    return sorted({str(e["area"]) for e in entries or [] if isinstance(e, dict) and "area" in e})


def render_profile(header: PlanHeader, plan_copy: str, letters: list[str]) -> tuple[str, list]:
    """The text of a new ``ward.yaml`` and the keys left as placeholders."""
    missing: list[str] = []

    def value(key: str, text: str, note: str = "", shown: str = "") -> str:
        if text:
            return (shown or _quoted(text)) + (f"   # {note}" if note else "")
        missing.append(key)
        return (
            _placeholder(key)
            + "   # NOT FOUND in the plan: fill in"
            + (f"; {note}" if note else "")
        )

    level = header.level if header.level in LEVELS else ""
    issuer = (
        "\n".join(f"    - {_quoted(line)}" for line in header.issuer)
        if header.issuer
        else f"    - {_quoted('ỦY BAN NHÂN DÂN')}\n    - {value('letterhead.issuer', '')}"
    )
    areas = []
    # The registry's letters must all be named; a plan's extra area is kept too.
    for letter in sorted(set(letters) | set(header.areas)):
        name = header.areas.get(letter, "")
        if not name and letter in AREA_DEFAULTS:
            # No "a) …" heading names it: Resolution 57's area, marked for checking.
            areas.append(f"  {letter}: {_quoted(AREA_DEFAULTS[letter])}   # default: check")
            continue
        if not name and "areas" not in missing:
            missing.append("areas")
        areas.append(f"  {letter}: {_quoted(name) if name else _placeholder('areas')}")
    recipients = "\n".join(
        f"  - {_quoted(line.format(level=level or '<<cấp>>'))}" for line in RECIPIENTS
    )
    if not level:
        missing.append("recipients")
    date = header.date.isoformat() if header.date else ""
    text = f"""\
# Ward profile (hồ sơ phường, xã), written by `nq57 init` from the header of
# {plan_copy}.
#
# Check every value against the plan. A value still holding "<<…>>" could not be read:
# nq57 refuses to run until it is filled in. The fields are described in nq57's README
# ("A new ward") and in the example ward.yaml at the root of nq57's repository.

ward:
  name: {value("ward.name", header.name)}
  level: {value("ward.level", level, "phường | xã | đặc khu")}
  province: {value("ward.province", header.province)}

letterhead:
  issuer:
{issuer}
  place: {value("letterhead.place", header.place, 'the dateline: "<place>, ngày …"')}
  number: {_quoted(NUMBER_LINE)}   # the report's number line

plan:
  number: {value("plan.number", header.number)}
  date: {value("plan.date", date, "YYYY-MM-DD", shown=date)}
  # The words after "về" in the report's first sentence ("Thực hiện Kế hoạch số … ngày …
  # của Ủy ban nhân dân … về <subject>, …").
  subject: {value("plan.subject", header.subject)}

signer:
  on_behalf: {_quoted(ON_BEHALF)}
  title: {_quoted(SIGNER_TITLE)}
  name: ""   # optional: printed under the signature space

recipients:   # "Nơi nhận" of the report, as printed
{recipients}

# The plan's areas ("a) …" headings under "Mục tiêu cụ thể"); the registry's indicators
# use these letters.
areas:
{chr(10).join(areas)}

paths:   # relative to this folder
  plan: {_quoted(plan_copy)}
  units: {_quoted(UNITS_FILE)}   # which unit reports which indicator: edit it
  # registry: indicators.yaml   # optional: a registry of this ward's own (default: nq57's)
  # raw: data/raw
  # processed: data/processed
  # reports: reports
"""
    order: list[str] = []
    for section, entry in SCHEMA.items():
        order += [f"{section}.{k}" for k in entry] if isinstance(entry, dict) else [section]
    return text, sorted(set(missing), key=order.index)


def _copy_plan(plan: Path, folder: Path) -> Path:
    target = folder / config.DEFAULT_RAW / config.PLAN_DIR / plan.name
    if target.exists():
        if target.resolve() == plan.resolve() or target.read_bytes() == plan.read_bytes():
            return target
        raise Nq57Error(
            f"{target} đã có và khác {plan}; nq57 init không ghi đè (đổi tên một trong hai tệp)"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as tmp:
        shutil.copyfile(plan, tmp)
    return target


def init_project(plan: Path | str, folder: Path | str) -> InitResult:
    """Create the working folder ``folder`` of the ward whose plan is ``plan``."""
    plan = Path(plan).expanduser()
    folder = Path(folder).expanduser().resolve()
    profile_path = folder / PROFILE_FILE
    if profile_path.exists():
        raise ProfileError(
            profile_path,
            ["đã có; nq57 init không ghi đè hồ sơ đã có (xóa hoặc đổi tên tệp để tạo lại)"],
        )
    header = read_plan_header(plan)  # an unreadable plan stops here, before any write
    letters = registry_areas(config.SHIPPED_REGISTRY_PATH)
    for sub in (config.DEFAULT_RAW, config.DEFAULT_PROCESSED, config.DEFAULT_REPORTS):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    plan_copy = _copy_plan(plan, folder)
    units = folder / UNITS_FILE
    kept = units.exists()
    if not kept:
        above = "thành phố" if header.province.startswith("thành phố") else "tỉnh"
        areas = {**AREA_DEFAULTS, **header.areas}
        write_text_atomic(starting_units(plan_copy, header.level, areas, above), units)
    text, missing = render_profile(header, plan_copy.relative_to(folder).as_posix(), letters)
    write_text_atomic(text, profile_path)
    return InitResult(
        folder, profile_path, plan_copy, units, header, missing, kept, _planned_tasks(plan_copy)
    )


def _planned_tasks(plan: Path) -> int:
    """How many tasks the plan's own assignment table gives a lead unit (0 without tasks)."""
    try:
        tasks = build_task_catalogue(plan).tasks
    except NoTasksError:
        return 0
    return int((tasks["lead_text"] != "").sum())
