"""What a run did: each step, each period, the whole run (what it was asked is
:class:`~nq57lib.run.request.RunRequest`)."""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from nq57lib.collect.resent import saved_text
from nq57lib.core.errors import Nq57Error, SystemRefusalError
from nq57lib.core.files import allow_long_csv_fields
from nq57lib.core.fmt import fmt_date, fmt_number
from nq57lib.core.periods import Period
from nq57lib.core.textnorm import utf8_safe


def reason(error: BaseException | None) -> str:
    """What went wrong, never empty: an error without a message (a bare bug) is named."""
    return str(error) or type(error).__name__


@dataclass
class StepResult:
    name: str
    seconds: float
    outcome: str  # "ok", "failed" or "reused" (inputs unchanged: see nq57lib.run.reuse)
    path: Path | None = None


@dataclass
class PeriodResult:
    period: Period  # the period the report is titled for
    data_period: Period | None = None  # the period whose data it uses (default: the same)
    steps: list[StepResult] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)
    report_dir: Path | None = None
    failed_dir: Path | None = None
    error: Nq57Error | None = None
    # Why even the failure's record could not be kept (one line for the summary).
    record_problem: str | None = None
    seconds: float = 0.0
    started: datetime = field(default_factory=lambda: datetime.now().astimezone())
    clock: float = field(default_factory=time.perf_counter, repr=False)
    intake: list[str] = field(default_factory=list)  # what the units sent, for the screen
    # Step → fingerprint of what it read (nq57lib.run.reuse), kept in run.json.
    fingerprints: dict[str, str] = field(default_factory=dict)
    title: str = ""  # the report's title (its HTML title and the PDF's metadata)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def data(self) -> Period:
        return self.data_period or self.period


@dataclass
class RunResult:
    periods: list[PeriodResult]
    seconds: float
    skipped: dict[str, str] = field(default_factory=dict)  # format -> why it was not made

    @property
    def ok(self) -> bool:
        return all(p.ok for p in self.periods)

    @property
    def errors(self) -> list[Nq57Error]:
        return [p.error for p in self.periods if p.error is not None]

    @property
    def exit_code(self) -> int:
        """0 every period done; 2 the system refused a read or write; 1 another failure."""
        if self.ok:
            return 0
        return 2 if any(isinstance(e, SystemRefusalError) for e in self.errors) else 1

    def summary_text(self) -> str:
        done = sum(p.ok for p in self.periods)
        lines = [
            f"nq57 run: {done}/{len(self.periods)} kỳ thành công "
            f"trong {fmt_number(self.seconds, 1)} giây."
        ]
        for result in self.periods:
            label = f"{result.period.label_vi} ({result.period.code})"
            if result.data != result.period:
                label += f", số liệu đến hết {result.data.report_label}"
            if result.ok:
                lines.append(f"  ✓ {label}: {result.report_dir}")
                lines.extend(f"      {line}" for line in result.intake)
                lines.extend(f"      {path.name}" for path in result.files.values())
            else:
                lines.append(f"  ✗ {label}: THẤT BẠI — {reason(result.error)}")
                if result.failed_dir:
                    lines.append(f"      Notebook đã chạy và run.json lưu tại {result.failed_dir}")
                if result.record_problem:
                    lines.append(f"      {result.record_problem}")
                lines.append("      Báo cáo trước đó của kỳ này (nếu có) được giữ nguyên.")
        lines.extend(f"  ! Không tạo {fmt.upper()}: {why}" for fmt, why in self.skipped.items())
        return utf8_safe("\n".join(lines))


def intake(processed_dir: Path, period: Period, units_due: date | None = None) -> list[str]:
    """What the units sent for ``period``, from its cleaned tables: who reported, who did
    not, who sent after ``units_due`` (the profile's day), how many rows were refused and
    where the reasons are."""
    folder = processed_dir / period.code
    lines = []
    submissions = _rows(folder / "submissions.csv")
    if submissions:
        sent = [r["unit_name"] for r in submissions if r.get("files")]
        silent = [r["unit_name"] for r in submissions if not r.get("files")]
        lines.append(f"Đơn vị đã gửi số liệu: {len(sent)}/{len(submissions)}.")
        if silent:
            lines.append("Chưa gửi: " + "; ".join(silent) + ".")
        late = [r for r in submissions if r.get("late") == "True"]
        if late:
            due = f" (hạn {fmt_date(units_due)})" if units_due else ""
            lines.append(
                f"Gửi tệp sau hạn{due}: "
                + "; ".join(f"{r['unit_name']} ({saved_text(r['first_saved'])})" for r in late)
                + "."
            )
    refused = len(_rows(folder / "quarantine.csv"))
    if refused:
        lines.append(
            f"{refused} dòng bị cách ly: lý do tại {folder / 'quarantine.csv'} "
            "(và Phụ lục 1 của báo cáo)."
        )
    return lines


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    allow_long_csv_fields()
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
