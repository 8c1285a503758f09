"""The target catalogue: the plan's targets linked to the indicator registry, and its exports.

The parser proposes, the registry decides. A target links to the indicator whose ``match``
rule is most specific — the alternative whose phrases cover the most characters of the
target's words, then the one with the most phrases — among those not vetoed by an
``exclude`` phrase; when two indicators tie, the one of the
target's own area wins; a tie that remains is reported as ambiguous. A target that links
to nothing is kept with a provisional indicator (``new:…``, :mod:`nq57lib.plan.provisional`)
and listed in ``unmatched`` with the reason, never dropped.

Targets get the id ``{milestone_year}-{indicator_id}`` (``2030-vneid_residents``,
``2026-new:ty_le_ho_so_truc_tuyen_toan``), readable and unchanged when bullets are
reordered or figures edited; a second target for the same indicator and milestone gets
``-2``. A plan without any target is an error that says what was looked for.

A target outside its indicator's plausible range ("150%") stays in the catalogue with the
reason in its ``set_aside`` column (:mod:`nq57lib.plan.plausible`): ``check-plan`` reports
it and the assessment skips it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment

from nq57lib.core.atomic import atomic_path, write_csv_atomic
from nq57lib.core.errors import NoTargetsError, Nq57Error, PlanParseError
from nq57lib.core.fmt import fmt_target
from nq57lib.core.recent import Recent, content_digest
from nq57lib.core.textnorm import fold
from nq57lib.core.vocab import COMPARATOR_SYMBOLS, UNIT_NAMES_VI
from nq57lib.core.workbooks import fill_table, put
from nq57lib.plan.parser import PLAN_COLUMNS, read_plan_targets
from nq57lib.plan.plausible import set_aside_reasons
from nq57lib.plan.provisional import is_provisional, provisional_id, with_provisional
from nq57lib.plan.registry import Registry

# The parser's columns with the linked indicator after the id; the scope is a plan-check
# matter and stays out of the exported contract.
TARGET_COLUMNS = (
    PLAN_COLUMNS[0],
    "indicator_id",
    *(c for c in PLAN_COLUMNS[1:] if c != "scope"),
)
UNMATCHED_COLUMNS = (*TARGET_COLUMNS, "reason")

# A target no milestone heading, phrase or title year gives a year to cannot be assessed.
NO_YEAR = (
    "line {line}: a target with no milestone year (no heading such as 'Đến hết năm YYYY' "
    "above it, no year in its sentence or in the plan's title)"
)

_HEADERS_VI = {
    "target_id": "Mã mục tiêu",
    "indicator_id": "Mã chỉ số",
    "indicator_name": "Tên chỉ số",
    "milestone_year": "Mốc (năm)",
    "area": "Lĩnh vực",
    "target": "Chỉ tiêu",
    "comparator": "So sánh",
    "value": "Giá trị",
    "value_max": "Giá trị tối đa",
    "unit": "Đơn vị",
    "per_year": "Hằng năm",
    "aspirational": "Phấn đấu",
    "qualitative": "Định tính",
    "text": "Nội dung trong kế hoạch",
    "source_line": "Dòng trong kế hoạch",
}


@dataclass(frozen=True)
class Catalogue:
    """Targets of one plan, linked to the registry's indicators."""

    targets: pd.DataFrame
    unmatched: pd.DataFrame
    registry: Registry
    plan_path: Path

    @cached_property
    def indicators(self) -> Registry:
        """The indicators the plan tracks: the reviewed ones its targets link to and its
        provisional ones, as one registry (:mod:`nq57lib.plan.tracked`)."""
        return self.tracked()

    def tracked(self, also_track: tuple[str, ...] = ()) -> Registry:
        """:attr:`indicators` and the reviewed indicators ``also_track`` (a ward's opt-ins)."""
        linked = {i for i in self.targets["indicator_id"].dropna() if not is_provisional(i)}
        return with_provisional(self.registry.tracking(linked | set(also_track)), self.targets)

    def series(self) -> pd.DataFrame:
        """One row per indicator that has targets: its milestone path, one column per year."""
        linked = self.targets[self.targets["indicator_id"].notna()]
        years = sorted(linked["milestone_year"].unique())
        rows = []
        for indicator in self.indicators:
            own = linked[linked["indicator_id"] == indicator.id].sort_values("milestone_year")
            if own.empty:
                continue
            by_year = {
                str(year): "; ".join(
                    format_target(t) + (" (không đánh giá)" if getattr(t, "set_aside", "") else "")
                    for t in group.itertuples()
                )
                for year, group in own.groupby("milestone_year")
            }
            rows.append(
                {
                    "indicator_id": indicator.id,
                    "area": indicator.area,
                    "name_vi": indicator.name_vi,
                    "name_en": indicator.name_en,
                    "unit": indicator.unit,
                    "kind": indicator.kind,
                    "direction": indicator.direction,
                    "n_targets": len(own),
                    "path": " → ".join(f"{year}: {text}" for year, text in by_year.items()),
                    **{str(year): by_year.get(str(year), "") for year in years},
                }
            )
        columns = [
            "indicator_id", "area", "name_vi", "name_en", "unit", "kind", "direction",
            "n_targets", "path", *(str(y) for y in years),
        ]  # fmt: skip
        return pd.DataFrame(rows, columns=columns)


def build_catalogue(plan_path: Path | str, registry: Registry) -> Catalogue:
    """Parse the plan file ``plan_path`` and link every target to ``registry`` (a
    project's, :func:`~nq57lib.plan.registry.load_registry`)."""
    path = Path(plan_path)
    # A run cleans and compares each period in one kernel: the plan is parsed once, and
    # again only when its file's content changes. Callers get copies they may change.
    key = (path.resolve(), content_digest(path), id(registry))
    cached = _CATALOGUES.get(key)
    if cached is None or cached.registry is not registry:
        parsed = read_plan_targets(path)
        if parsed.targets.empty:
            raise NoTargetsError(path, "; ".join(parsed.notes))
        undated = parsed.targets[parsed.targets["milestone_year"].isna()]
        if not undated.empty:
            raise PlanParseError(
                path, "; ".join(NO_YEAR.format(line=n) for n in undated["source_line"])
            )
        targets, unmatched = link_targets(parsed.targets, registry)
        targets["set_aside"] = set_aside_reasons(targets, with_provisional(registry, targets))
        cached = Catalogue(targets=targets, unmatched=unmatched, registry=registry, plan_path=path)
        _CATALOGUES.put(key, cached)
    return Catalogue(
        targets=cached.targets.copy(),
        unmatched=cached.unmatched.copy(),
        registry=registry,
        plan_path=path,
    )


# A few plans: a batch parses the next ward's plan while this ward's reports are made.
_CATALOGUES: Recent[Catalogue] = Recent(4)


def _rank(folded: str, registry: Registry) -> list[tuple[tuple[int, int], str, str]]:
    padded = f" {folded} "
    ranked = []
    for indicator in registry:
        if any(f" {phrase} " in padded for phrase in indicator.exclude):
            continue
        keys = [
            (sum(len(p) for p in alternative), len(alternative))
            for alternative in indicator.match
            if all(f" {phrase} " in padded for phrase in alternative)
        ]
        if keys:
            ranked.append((max(keys), indicator.id, indicator.area))
    return sorted(ranked, reverse=True)


def match_indicator(text: str, area: str, registry: Registry) -> tuple[str | None, str]:
    """(indicator_id, reason): the most specific match, or None and why not."""
    ranked = _rank(fold(text), registry)
    if not ranked:
        return None, "no indicator of the registry matches"
    best = [r for r in ranked if r[0] == ranked[0][0]]
    if len(best) > 1:
        same_area = [r for r in best if r[2] == area]
        if len(same_area) == 1:
            return same_area[0][1], ""
        tied = ", ".join(sorted(r[1] for r in best))
        return None, f"matches several indicators equally: {tied}"
    return best[0][1], ""


def link_targets(parsed: pd.DataFrame, registry: Registry) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(targets with ``indicator_id``, unmatched targets with a ``reason``)."""
    targets = parsed.copy()
    found = [match_indicator(t.text, t.area, registry) for t in targets.itertuples()]
    missing = [f[0] is None for f in found]
    linked = [
        f[0] or provisional_id(t.text) for f, t in zip(found, targets.itertuples(), strict=True)
    ]
    targets["indicator_id"] = pd.Series(linked, index=targets.index, dtype=object)
    reasons = pd.Series([f[1] for f in found], index=targets.index)
    ids, seen = [], {}
    for row in targets.itertuples():
        key = f"{row.milestone_year}-{row.indicator_id}"
        seen[key] = seen.get(key, 0) + 1
        ids.append(key if seen[key] == 1 else f"{key}-{seen[key]}")
    targets["target_id"] = ids
    extra = [c for c in PLAN_COLUMNS if c not in TARGET_COLUMNS]
    targets = targets[[*TARGET_COLUMNS, *extra]].reset_index(drop=True)
    unmatched = targets.loc[missing, list(TARGET_COLUMNS)].copy()
    unmatched["reason"] = reasons.to_numpy()[missing]
    return targets, unmatched[list(UNMATCHED_COLUMNS)].reset_index(drop=True)


def format_target(row) -> str:
    """Vietnamese reading of one target: '≥ 70%', '> 0,7', '80–90%', '≥ 10/năm (phấn đấu)'."""
    if row.qualitative:
        text = "định tính"
    else:
        text = fmt_target(row.comparator, row.value, row.value_max, row.unit)
    if row.per_year:
        text += "/năm"
    if row.aspirational:
        text += " (phấn đấu)"
    return text


def format_series(catalogue: Catalogue) -> str:
    """Plain-text listing of each indicator's milestone path, by area (``nq57 indicators``)."""
    series = catalogue.series()
    lines = [
        f"Kế hoạch: {catalogue.plan_path.name} — {len(catalogue.targets)} chỉ tiêu, "
        f"{len(series)} chỉ số"
    ]
    for area, name in catalogue.registry.areas.items():
        own = series[series["area"] == area]
        if own.empty:
            continue
        lines.append("")
        lines.append(f"{area}) {name}")
        for row in own.itertuples():
            lines.append(f"  {row.indicator_id} — {row.name_vi} [{UNIT_NAMES_VI[row.unit]}]")
            lines.append(f"      {row.path.replace(' → ', '  →  ')}")
    if len(catalogue.unmatched):
        lines.append("")
        lines.append(f"Chưa gắn chỉ số ({len(catalogue.unmatched)}):")
        for row in catalogue.unmatched.itertuples():
            lines.append(f"  dòng {row.source_line}: {row.text} — {row.reason}")
    return "\n".join(lines)


def _area_label(area: str, areas: Mapping[str, str]) -> str:
    return f"{area}) {areas[area]}" if area in areas else (f"{area})" if area else "—")


def summary_by_area(targets: pd.DataFrame, areas: Mapping[str, str]) -> pd.DataFrame:
    """Number of targets per area (rows, named by the plan's ``areas``) and milestone
    (columns), with totals."""
    labelled = targets.assign(area_name=[_area_label(a, areas) for a in targets["area"]])
    table = labelled.pivot_table(
        index="area_name",
        columns="milestone_year",
        values="target_id",
        aggfunc="count",
        fill_value=0,
        margins=True,
        margins_name="Tổng",
    )
    table.index.name = "Lĩnh vực"
    table.columns.name = "Mốc"
    return table


# ── exports ─────────────────────────────────────────────────────────────────


def _csv_number(value: float) -> str:
    if pd.isna(value):
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _csv_frame(targets: pd.DataFrame) -> pd.DataFrame:
    out = targets[list(TARGET_COLUMNS)].copy()
    for column in ("value", "value_max"):
        out[column] = [_csv_number(v) for v in out[column]]
    for column in ("per_year", "aspirational", "qualitative"):
        out[column] = ["true" if v else "false" for v in out[column]]
    for column in ("indicator_id", "comparator"):
        out[column] = [v if isinstance(v, str) else "" for v in out[column]]
    return out


def write_targets(catalogue: Catalogue, out: Path | str) -> Path:
    """Write the catalogue as ``.csv`` (fixed columns) or ``.xlsx`` (formatted, Vietnamese)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise Nq57Error(f"Cannot write {out}: choose a .csv or .xlsx file name")
    try:
        if suffix == ".csv":
            return write_csv_atomic(_csv_frame(catalogue.targets), out)
        return _write_xlsx(catalogue, out)
    except OSError as error:
        raise Nq57Error(f"Cannot write {out}: {error.strerror or error}") from None


def _excel_rows(catalogue: Catalogue, targets: pd.DataFrame) -> list[list]:
    names = {i.id: i.name_vi for i in catalogue.indicators}
    areas = catalogue.registry.areas
    rows = []
    for t in targets.itertuples():
        rows.append(
            [
                t.target_id,
                t.indicator_id or "",
                names.get(t.indicator_id, ""),
                int(t.milestone_year),
                _area_label(t.area, areas),
                format_target(t),
                COMPARATOR_SYMBOLS.get(t.comparator, "") if isinstance(t.comparator, str) else "",
                None if pd.isna(t.value) else float(t.value),
                None if pd.isna(t.value_max) else float(t.value_max),
                UNIT_NAMES_VI[t.unit],
                "Có" if t.per_year else "Không",
                "Có" if t.aspirational else "Không",
                "Có" if t.qualitative else "Không",
                t.text,
                int(t.source_line),
            ]
        )
    return rows


_SHEET_COLUMNS = (
    "target_id", "indicator_id", "indicator_name", "milestone_year", "area", "target",
    "comparator", "value", "value_max", "unit", "per_year", "aspirational", "qualitative",
    "text", "source_line",
)  # fmt: skip
_WIDTHS = {"indicator_name": 45, "text": 80, "area": 30, "target": 22}


def _write_xlsx(catalogue: Catalogue, out: Path) -> Path:
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Tổng hợp"
    table = summary_by_area(catalogue.targets, catalogue.registry.areas)
    qualitative = catalogue.targets.groupby("milestone_year")["qualitative"].sum()
    rows = [[name, *(int(v) for v in values)] for name, values in zip(
        table.index, table.to_numpy(), strict=True)]  # fmt: skip
    rows.append(["Trong đó định tính", *(int(qualitative.get(y, 0)) for y in table.columns[:-1]),
                 int(catalogue.targets["qualitative"].sum())])  # fmt: skip
    rows.append(["Chưa gắn chỉ số", *([""] * (len(table.columns) - 1)), len(catalogue.unmatched)])
    header = ["Lĩnh vực", *(f"Năm {c}" if c != "Tổng" else c for c in table.columns)]
    # Every cell through put (fill_table uses it): the plan's words are never a formula.
    fill_table(summary, header, rows, [45, *([12] * len(table.columns))])
    put(summary, len(rows) + 3, 1, f"Nguồn: {catalogue.plan_path.name}")

    widths = [_WIDTHS.get(c, 14) for c in _SHEET_COLUMNS]
    header = [_HEADERS_VI[c] for c in _SHEET_COLUMNS]
    for year, group in catalogue.targets.groupby("milestone_year"):
        sheet = workbook.create_sheet(f"Năm {year}")
        fill_table(sheet, header, _excel_rows(catalogue, group), widths)
        for row in sheet.iter_rows(min_row=2, min_col=14, max_col=14):
            row[0].alignment = Alignment(wrap_text=True, vertical="top")
    with atomic_path(out) as tmp:
        workbook.save(tmp)
    return out
