"""The briefing's tables as data frames: pure functions of the loaded tables.

Each function takes frames (the status rows carry each indicator's name, unit and kind)
and returns a new frame with Vietnamese headers and formatted cells; a hidden ``status``
column, where present, lets :func:`nq57lib.report.html.html_table` colour the verdict.
"""

from __future__ import annotations

import pandas as pd

from nq57lib.assess.statuses import LATER, label, urgency
from nq57lib.collect.resent import saved_text
from nq57lib.core.columns import COLUMN_LABELS_VI
from nq57lib.core.fmt import fmt_gap, fmt_number, fmt_ratio, fmt_target, fmt_value, is_missing
from nq57lib.core.periods import Period
from nq57lib.core.schema import ANALYST_NOTE_PREFIX, NOTE_SEPARATOR
from nq57lib.core.vocab import STAGE_BY_RANK, STAGE_LABELS_VI, capital
from nq57lib.report.html import Cell

QUALITY_COUNTS = {c: COLUMN_LABELS_VI[c] for c in ("rows_read", "accepted", "quarantined", "blank")}


# ── cell formatting ─────────────────────────────────────────────────────────


def period_short(code: object) -> str:
    """``2026-Q3`` → ``Quý III/2026``; a missing period is a dash."""
    if is_missing(code):
        return "—"
    return Period.parse(str(code)).short_label


def stage_label(value: object) -> str:
    """A stage rank (0, 1, 2 as in status.csv) as its Vietnamese words."""
    if is_missing(value):
        return "—"
    return capital(STAGE_LABELS_VI[STAGE_BY_RANK.get(int(float(value)), "not_started")])


def is_qualitative(row: pd.Series) -> bool:
    return row["kind"] == "milestone"


def target_text(row: pd.Series) -> str:
    """The milestone of a status row as a reader sees it ("≥ 80%", "Hoàn thành")."""
    if is_qualitative(row):
        return "Hoàn thành"
    return fmt_target(row["comparator"], row["target"], row["value_max"], row["unit"])


def unit_words(note: str) -> str:
    """The unit's own words: nq57's "[nq57] …" annotations are for analysts, not leaders."""
    parts = note.split(NOTE_SEPARATOR)
    return NOTE_SEPARATOR.join(p for p in parts if p and not p.startswith(ANALYST_NOTE_PREFIX))


# ── tables ──────────────────────────────────────────────────────────────────


def status_counts(status: pd.DataFrame) -> pd.DataFrame:
    """Rows per status, most urgent first: ``status, label, count``."""
    counts = status["status"].value_counts()
    codes = sorted(counts.index, key=urgency)
    return pd.DataFrame(
        {
            "status": codes,
            "label": [label(c) for c in codes],
            "count": [int(counts[c]) for c in codes],
        }
    )


def previous_period(history: pd.DataFrame, period: Period | str) -> Period | None:
    """The period before ``period`` in the status history, if any."""
    period = Period.parse(period)
    if history.empty:
        return None
    earlier = sorted({Period.parse(str(p)) for p in history["period"]} - {period})
    earlier = [p for p in earlier if p < period]
    return earlier[-1] if earlier else None


def unit_notes(observations: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(indicator, period) → the unit's own words on that observation (the last, if several),
    in one pass over the observations."""
    if observations.empty or "note" not in observations.columns:
        return {}
    notes = {}
    for ident, period, note in zip(
        observations["indicator_id"], observations["period"], observations["note"], strict=True
    ):
        words = "" if is_missing(note) else unit_words(str(note))
        if words:
            notes[(str(ident), str(period))] = words
    return notes


def missing_data_table(verdicts: pd.DataFrame) -> pd.DataFrame:
    """Indicators judged now with no figure or stage this period (none at all, or only an
    older one carried forward), from the verdicts."""
    later = verdicts["status"].isin(LATER)
    stale = verdicts[~later & ~verdicts["value_current"].astype(bool)]
    return pd.DataFrame(
        {
            "indicator_id": stale["indicator_id"],
            "Chỉ tiêu": stale["name"],
            "Lĩnh vực": stale["area"].astype(str),
            "Số liệu gần nhất": [
                period_short(p) if p else "chưa có" for p in stale["value_period"]
            ],
        },
        columns=["indicator_id", "Chỉ tiêu", "Lĩnh vực", "Số liệu gần nhất"],
    ).reset_index(drop=True)


def sources(observations: pd.DataFrame, indicator_id: str, value_period: object, kind: str) -> str:
    """Where a figure came from: ``file › sheet › cell`` of every observation it rests on.

    A flow's figure is the year-to-date sum, so every period of that year up to
    ``value_period`` is cited; other kinds cite the ``value_period`` row.
    """
    if observations.empty or is_missing(value_period):
        return "—"
    mine = observations[observations["indicator_id"] == indicator_id]
    until = Period.parse(str(value_period))
    keep = []
    for code in mine["period"].astype(str):
        seen = Period.parse(code)
        keep.append(seen.year == until.year and seen <= until if kind == "flow" else seen == until)
    cited = mine[keep]
    if cited.empty:
        return "—"
    return "; ".join(
        f"{r.source_file} › {r.source_sheet} › {r.source_cell}" for r in cited.itertuples()
    )


def appendix_table(status: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """Every indicator-milestone with its inputs, arithmetic and sources."""
    rows = []
    # One pass to group the observations: each row then cites from its own few.
    by_indicator = dict(tuple(observations.groupby("indicator_id", sort=False)))
    for _, row in status.sort_values(["area", "indicator_id", "milestone_year"]).iterrows():
        ident, unit = row["indicator_id"], row["unit"]
        qualitative = is_qualitative(row)
        # The period on a line of its own: a narrow column never overflows into the next.
        value = stage_label(row["value"]) if qualitative else fmt_value(row["value"], unit)
        if not is_missing(row["value"]):
            value = Cell(value, sub=period_short(row["value_period"]))
        baseline = "—"
        if not is_missing(row["baseline"]):
            baseline = Cell(
                fmt_value(row["baseline"], unit), sub=period_short(row["baseline_period"])
            )
        rows.append(
            {
                "status": row["status"],
                "Chỉ tiêu": f"{row['name_vi']} [{ident}]",
                "Mốc": str(int(row["milestone_year"])),
                "Mục tiêu": target_text(row),
                "Kết quả (kỳ)": value,
                "Gốc (kỳ)": baseline,
                "Cần đạt đến nay": fmt_value(row["expected_now"], unit),
                "Còn thiếu": fmt_gap(row["gap"], unit),
                "Tỷ lệ tiến độ": fmt_ratio(row["progress_ratio"]),
                "Đánh giá": label(row["status"]),
                "Cách tính": "" if is_missing(row["method_note"]) else str(row["method_note"]),
                "Nguồn (tệp › trang › ô)": sources(
                    by_indicator.get(ident, observations.iloc[0:0]),
                    ident,
                    row["value_period"],
                    row["kind"],
                ),
            }
        )
    return pd.DataFrame(rows)


def quality_table(quality: pd.DataFrame) -> pd.DataFrame:
    """Files received: unit, whether the file could be read, rows read/accepted/quarantined."""
    if quality.empty:
        return pd.DataFrame()
    status = {"ok": "Đọc được", "rejected": "Không đọc được"}
    unit = quality["unit_name"] if "unit_name" in quality.columns else quality["reported_by"]
    saved = quality["saved_on"] if "saved_on" in quality.columns else [""] * len(quality)
    late = quality["late"] if "late" in quality.columns else [False] * len(quality)
    frame = pd.DataFrame(
        {
            "Đơn vị": unit,
            "Tệp": quality["source_file"],
            "Lưu tệp": [
                (saved_text(str(t)) + (" (sau hạn)" if str(d) == "True" else ""))
                if not is_missing(t) and str(t)
                else ""
                for t, d in zip(saved, late, strict=True)
            ],
            "Tình trạng tệp": [status.get(str(s), str(s)) for s in quality["file_status"]],
        }
    )
    for column, heading in QUALITY_COUNTS.items():
        frame[heading] = [fmt_number(v, 0) for v in quality[column]]
    frame["Ghi chú"] = [
        "" if is_missing(m) else str(m) for m in quality.get("message", [""] * len(quality))
    ]
    return frame


def resent_units(quality: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """Units that sent more than one readable file, with the files from the first saved to
    the last (the last replaces the others where they overlap: nq57lib.collect.resent)."""
    if quality.empty or "saved_on" not in quality.columns:
        return []
    readable = quality[(quality["file_status"] == "ok") & (quality["reported_by"].fillna("") != "")]
    found = []
    for _, files in readable.groupby("reported_by", sort=False):
        if len(files) > 1:
            ordered = files.assign(_t=files["saved_on"].fillna("").astype(str)).sort_values("_t")
            found.append((str(ordered["unit_name"].iloc[0]), list(ordered["source_file"])))
    return found


def submissions_table(owing: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Per unit (:func:`nq57lib.report.leader.owing`): indicators judged now that it must
    report, those with a valid figure, those still missing."""
    if owing.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "Đơn vị": owing["unit_name"],
            "Phải báo cáo": [fmt_number(v, 0) for v in owing["expected"]],
            "Đã có số liệu": [fmt_number(v, 0) for v in owing["received"]],
            "Còn thiếu": [fmt_number(len(m), 0) for m in owing["missing"]],
            "Chỉ tiêu còn thiếu": ["; ".join(names.get(i, i) for i in m) for m in owing["missing"]],
        }
    )
