"""What a run was asked to do (:class:`Settings`) and what it did (the result classes)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

from nq57lib.core.errors import Nq57Error
from nq57lib.core.fmt import fmt_number
from nq57lib.core.periods import Period


@dataclass
class StepResult:
    name: str
    seconds: float
    outcome: str  # "ok" or "failed"
    path: Path | None = None


@dataclass
class PeriodResult:
    period: Period
    steps: list[StepResult] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)
    report_dir: Path | None = None
    failed_dir: Path | None = None
    error: Nq57Error | None = None
    seconds: float = 0.0
    started: datetime = field(default_factory=lambda: datetime.now().astimezone())
    clock: float = field(default_factory=time.perf_counter, repr=False)

    @property
    def ok(self) -> bool:
        return self.error is None


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

    def summary_text(self) -> str:
        done = sum(p.ok for p in self.periods)
        lines = [
            f"nq57 run: {done}/{len(self.periods)} kỳ thành công "
            f"trong {fmt_number(self.seconds, 1)} giây."
        ]
        for result in self.periods:
            label = f"{result.period.label_vi} ({result.period.code})"
            if result.ok:
                lines.append(f"  ✓ {label}: {result.report_dir}")
                lines.extend(f"      {path.name}" for path in result.files.values())
            else:
                lines.append(f"  ✗ {label}: THẤT BẠI — {result.error}")
                if result.failed_dir:
                    lines.append(f"      Notebook đã chạy và run.json lưu tại {result.failed_dir}")
                lines.append("      Báo cáo trước đó của kỳ này (nếu có) được giữ nguyên.")
        lines.extend(f"  ! Không tạo {fmt.upper()}: {why}" for fmt, why in self.skipped.items())
        return "\n".join(lines)


@dataclass
class Settings:
    raw_dir: Path
    processed_dir: Path
    reports_dir: Path
    notebooks_dir: Path
    formats: list[str]
    engine: str
    illustrative: bool
    progress: TextIO | None
    versions: dict[str, str]
    backfilled: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


def say(settings: Settings, text: str) -> None:
    if settings.progress is not None:
        print(text, file=settings.progress, flush=True)
