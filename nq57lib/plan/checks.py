"""Findings for whoever drafts the next plan: each check is a small named function.

Every check takes the catalogue and returns a list of findings; :func:`check_plan` runs
them all. Messages are in Vietnamese, for the ward's analysts.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

import pandas as pd

from nq57lib.core.textnorm import fold
from nq57lib.core.vocab import capital
from nq57lib.plan.catalogue import Catalogue, format_target
from nq57lib.plan.parser import detect_scope

FINDING_COLUMNS = ("check", "severity", "source_line", "indicator_id", "message")
SEVERITIES = ("error", "warning", "info")
_SEVERITY_VI = {"error": "lỗi", "warning": "cảnh báo", "info": "lưu ý"}
_SCOPE_VI = {"ward": "phường, xã", "city": "thành phố", "province": "tỉnh / sở, ban, ngành"}

_PHAN_DAU = re.compile(r"\bph\w{1,3}n\s+đ\w{1,3}u\b", re.IGNORECASE)
_SPEED_UNIT = re.compile(r"\b[KMGT]bps/s\b", re.IGNORECASE)
_WORD = re.compile(r"\w+")

Finding = dict


def _finding(check: str, severity: str, line, indicator, message: str) -> Finding:
    return {
        "check": check,
        "severity": severity,
        "source_line": int(line) if line is not None else None,
        "indicator_id": indicator if isinstance(indicator, str) else None,
        "message": message,
    }


def check_unmatched(catalogue: Catalogue) -> list[Finding]:
    """A target that links to no indicator (or to several equally) cannot be tracked."""
    findings = []
    for row in catalogue.unmatched.itertuples():
        if row.reason.startswith("matches several"):
            tied = row.reason.split(": ", 1)[-1]
            message = f"Chỉ tiêu khớp ngang nhau với nhiều chỉ số ({tied}): “{row.text}”"
        else:
            message = f"Chỉ tiêu không khớp chỉ số nào trong danh mục: “{row.text}”"
        findings.append(_finding("unmatched", "error", row.source_line, None, message))
    return findings


def check_implausible_target(catalogue: Catalogue) -> list[Finding]:
    """A target outside its indicator's plausible range ("150%"): it is not assessed."""
    findings = []
    for row in catalogue.targets.itertuples():
        reason = getattr(row, "set_aside", "")
        if not reason:
            continue
        findings.append(
            _finding(
                "implausible_target",
                "error",
                row.source_line,
                row.indicator_id,
                f"{capital(reason)}: chỉ tiêu không được dùng để đánh giá, cần sửa lại kế "
                f"hoạch: “{row.text}”",
            )
        )
    return findings


def _series(catalogue: Catalogue) -> dict[str, list]:
    """Linked targets per indicator, in milestone then plan order (plain tuples: fast)."""
    linked = catalogue.targets[catalogue.targets["indicator_id"].notna()]
    series: dict[str, list] = {}
    for row in linked.sort_values(["milestone_year", "source_line"]).itertuples():
        series.setdefault(row.indicator_id, []).append(row)
    return series


def check_scope_drift(catalogue: Catalogue) -> list[Finding]:
    """A ward-level series whose later milestone sets a figure for the city or province."""
    findings = []
    for rows in _series(catalogue).values():
        ward_years = [r.milestone_year for r in rows if r.scope == "ward"]
        if not ward_years:
            continue
        first_ward = min(ward_years)
        for row in rows:
            if row.scope == "ward" or row.milestone_year <= first_ward:
                continue
            phrase = detect_scope(row.text)[1]
            findings.append(
                _finding(
                    "scope_drift",
                    "warning",
                    row.source_line,
                    row.indicator_id,
                    f"Mốc {row.milestone_year} đặt chỉ tiêu cho {_SCOPE_VI[row.scope]} "
                    f"(“{phrase}”) trong khi mốc {first_ward} đặt cho phường, xã: "
                    f"“{row.text}”",
                )
            )
    return findings


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in text.split(";") if c.strip()]


def _content_words(clause: str) -> str:
    words = [w for w in fold(clause).split() if not any(ch.isdigit() for ch in w)]
    while words and words[0] in {"co", "dat", "tren", "duoi"}:
        words = words[1:]
    return " ".join(words)


def check_duplicated_clauses(catalogue: Catalogue) -> list[Finding]:
    """A clause repeated inside one target (a copy-paste left in the plan)."""
    findings = []
    for row in catalogue.targets.itertuples():
        keys = [_content_words(c) for c in _clauses(row.text)]
        for later, key in enumerate(keys):
            if len(key.split()) < 5:
                continue
            if any(key in f" {earlier} " or key == earlier for earlier in keys[:later]):
                findings.append(
                    _finding(
                        "duplicated_clause",
                        "warning",
                        row.source_line,
                        row.indicator_id,
                        f"Mệnh đề bị lặp lại: “{_clauses(row.text)[later]}”",
                    )
                )
                break
    return findings


def check_duplicate_targets(catalogue: Catalogue) -> list[Finding]:
    """Two targets for the same indicator at the same milestone."""
    findings = []
    for indicator_id, rows in _series(catalogue).items():
        for year in sorted({r.milestone_year for r in rows}):
            same = [r for r in rows if r.milestone_year == year]
            if len(same) < 2:
                continue
            lines = ", ".join(str(r.source_line) for r in same)
            findings.append(
                _finding(
                    "duplicate_target",
                    "warning",
                    same[-1].source_line,
                    indicator_id,
                    f"Mốc {year} có {len(same)} chỉ tiêu cho cùng chỉ số (dòng {lines})",
                )
            )
    return findings


def check_lower_milestone(catalogue: Catalogue) -> list[Finding]:
    """A milestone that asks for less than the milestone before it for the same indicator."""
    findings = []
    for indicator_id, rows in _series(catalogue).items():
        decreasing = catalogue.indicators[indicator_id].direction == "decrease"
        # A target set aside (check_implausible_target) is no milestone to compare with.
        numeric = [r for r in rows if not r.qualitative and not getattr(r, "set_aside", "")]
        for before, after in itertools.pairwise(numeric):
            if before.unit != after.unit or before.milestone_year == after.milestone_year:
                continue
            lower = after.value > before.value if decreasing else after.value < before.value
            if lower:
                findings.append(
                    _finding(
                        "lower_milestone",
                        "warning",
                        after.source_line,
                        indicator_id,
                        f"Mốc {after.milestone_year} ({format_target(after)}) thấp hơn "
                        f"mốc {before.milestone_year} ({format_target(before)})",
                    )
                )
    return findings


def check_phan_dau_spelling(catalogue: Catalogue) -> list[Finding]:
    """'Phần đầu' / 'Phân đầu' written for 'phấn đấu' (one finding per plan line)."""
    findings, seen = [], set()
    for row in catalogue.targets.itertuples():
        for match in _PHAN_DAU.finditer(row.text):
            written = match.group(0)
            if fold(written) != "phan dau" or written.lower() == "phấn đấu":
                continue
            if (row.source_line, written) in seen:
                continue
            seen.add((row.source_line, written))
            findings.append(
                _finding(
                    "phan_dau_spelling",
                    "info",
                    row.source_line,
                    row.indicator_id,
                    f"Viết “{written}”, cần sửa thành “phấn đấu”",
                )
            )
    return findings


def check_speed_unit(catalogue: Catalogue) -> list[Finding]:
    """'Gbps/s' doubles the 'per second': write 'Gbps' or 'Gb/s'."""
    findings = []
    for row in catalogue.targets.itertuples():
        for match in _SPEED_UNIT.finditer(row.text):
            unit = match.group(0)
            findings.append(
                _finding(
                    "speed_unit",
                    "info",
                    row.source_line,
                    row.indicator_id,
                    f"Đơn vị “{unit}” sai (“ps” đã là “mỗi giây”): viết “{unit[:-2]}” "
                    f"hoặc “{unit[:-4]}/s”",
                )
            )
    return findings


def check_repeated_words(catalogue: Catalogue) -> list[Finding]:
    """The same word twice in a row ('kết nối với với …')."""
    findings, seen = [], set()
    for row in catalogue.targets.itertuples():
        words = _WORD.findall(row.text)
        for first, second in itertools.pairwise(words):
            if first.lower() == second.lower() and not first.isdigit():
                if (row.source_line, first.lower()) in seen:
                    continue
                seen.add((row.source_line, first.lower()))
                findings.append(
                    _finding(
                        "repeated_word",
                        "info",
                        row.source_line,
                        row.indicator_id,
                        f"Từ “{first}” bị lặp: “{first} {second}”",
                    )
                )
    return findings


CHECKS: tuple[Callable[[Catalogue], list[Finding]], ...] = (
    check_unmatched,
    check_implausible_target,
    check_scope_drift,
    check_duplicated_clauses,
    check_duplicate_targets,
    check_lower_milestone,
    check_phan_dau_spelling,
    check_speed_unit,
    check_repeated_words,
)


def check_plan(catalogue: Catalogue) -> pd.DataFrame:
    """Every finding of every check, ordered by severity then plan line."""
    findings = [f for check in CHECKS for f in check(catalogue)]
    frame = pd.DataFrame(findings, columns=list(FINDING_COLUMNS))
    if frame.empty:
        return frame.astype({"source_line": "Int64"})
    frame["source_line"] = frame["source_line"].astype("Int64")
    order = frame["severity"].map({s: n for n, s in enumerate(SEVERITIES)})
    return (
        frame.assign(_order=order)
        .sort_values(["_order", "source_line", "check"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def format_findings(findings: pd.DataFrame) -> str:
    """Plain-text report of the findings, in Vietnamese."""
    if findings.empty:
        return "Kiểm tra kế hoạch: không có phát hiện nào."
    counts = findings["severity"].value_counts()
    summary = ", ".join(
        f"{int(counts[s])} {_SEVERITY_VI[s]}" for s in SEVERITIES if s in counts.index
    )
    lines = [f"Kiểm tra kế hoạch: {len(findings)} phát hiện ({summary})"]
    for row in findings.itertuples():
        where = f"dòng {row.source_line}" if pd.notna(row.source_line) else "—"
        indicator = f" [{row.indicator_id}]" if isinstance(row.indicator_id, str) else ""
        lines.append(
            f"  [{_SEVERITY_VI[row.severity]}] {where}{indicator} {row.check}: {row.message}"
        )
    return "\n".join(lines)
