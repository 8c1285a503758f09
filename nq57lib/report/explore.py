"""The analyst's questions about one indicator, one unit or one task (40-explore.ipynb).

:func:`load_explore_data` reads what the briefing reads (:func:`load_briefing_data`, the
same verdicts) plus each period's task reports and the plan's milestones. The views are
pure: :func:`indicator_view`, :func:`unit_view`, :func:`task_view` and :func:`guide` take the
loaded data and return parts (a heading, then a Styler, a Figure or a line of text) that
:func:`explore` displays. A value that names nothing gives a Vietnamese message with the
nearest choices, never a traceback. In JupyterLab, :func:`explore` also shows three
dropdowns (ipywidgets, when installed) that open the same views.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure

from nq57lib.core.fuzzy import choose
from nq57lib.core.processed import processed_periods, read_tables
from nq57lib.core.project import Project, open_project
from nq57lib.core.schema import ASSIGNMENT_COLUMNS, TASK_HISTORY_COLUMNS, TASK_REPORT_COLUMNS
from nq57lib.core.textnorm import fold
from nq57lib.plan.catalogue import build_catalogue
from nq57lib.plan.tracked import reviewed_registry
from nq57lib.report.charts import plot_indicator
from nq57lib.report.data import BriefingData, load_briefing_data
from nq57lib.report.display import Names, card, styled
from nq57lib.report.leader import headlines, owing
from nq57lib.report.tables import unit_words

Part = tuple[str, object]  # (heading, a Styler / Figure / text); "" heading: none


@dataclass(frozen=True)
class ExploreData:
    """The briefing's data of one period, with what the explorer adds."""

    briefing: BriefingData
    targets: pd.DataFrame  # the plan's milestones (the catalogue's targets)
    task_reports: pd.DataFrame  # every period's task reports up to the period
    task_history: pd.DataFrame
    assignments: pd.DataFrame
    names: Names


def load_explore_data(project: Project, period: str) -> ExploreData:
    """Read period ``period`` of ``project`` (cleaned and compared)."""
    data = load_briefing_data(project, period)
    processed = project.processed_dir
    periods = [p for p in processed_periods(processed) if p <= data.period]
    folder = processed / data.period.code
    return ExploreData(
        briefing=data,
        targets=build_catalogue(project.plan_path, reviewed_registry(project)).targets,
        task_reports=read_tables(processed, periods, "task_reports", TASK_REPORT_COLUMNS),
        task_history=read_tables(
            processed, [data.period], "task_status_history", TASK_HISTORY_COLUMNS
        ),
        assignments=read_tables(processed, [data.period], "assignments", ASSIGNMENT_COLUMNS)
        if (folder / "assignments.csv").is_file()
        else pd.DataFrame(columns=list(ASSIGNMENT_COLUMNS)),
        names=Names(
            units=data.unit_names,
            indicators=data.indicator_names,
            areas=dict(data.profile.areas),
        ),
    )


# ── choices and the message for a value that names nothing ─────────────────


def indicator_choices(data: ExploreData) -> dict[str, str]:
    """Indicator id → its name, in the verdicts' (the plan's) order."""
    v = data.briefing.verdicts
    return dict(zip(v["indicator_id"], v["name"], strict=True))


def unit_choices(data: ExploreData) -> dict[str, str]:
    return dict(data.briefing.unit_names)


def task_choices(data: ExploreData) -> dict[str, str]:
    t = data.briefing.task_status
    return {str(i): str(x) for i, x in zip(t["task_id"], t["text"], strict=True)}


def _find(text: str, choices: dict[str, str]) -> str | None:
    """The key ``text`` names exactly (its key or its name, case and accents aside)."""
    wanted = fold(text.strip())
    for key, name in choices.items():
        if wanted in (fold(key), fold(name)):
            return key
    return None


def not_found(what: str, text: str, choices: dict[str, str]) -> str:
    """ "Không có chỉ số “x”. Có phải: a (…); b (…)?" — the nearest choices."""
    pairs = [(k, fold(k)) for k in choices] + [(k, fold(n)) for k, n in choices.items()]
    near = choose(fold(text), pairs).closest(5, at_least=0.3)
    listed = "; ".join(f"{k} ({_short(choices[k])})" for k in near)
    hint = f" Có phải: {listed}?" if listed else ""
    return f"Không có {what} “{text}” trong số liệu kỳ này.{hint}"


def _short(text: str, words: int = 12) -> str:
    parts = str(text).split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


# ── the views ───────────────────────────────────────────────────────────────


def _rows(frame: pd.DataFrame, **equal: object) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for column, value in equal.items():
        mask &= frame[column].astype(str) == str(value)
    return frame[mask].reset_index(drop=True)


def _pick(frame: pd.DataFrame | pd.Series, columns: Iterable[str]):
    have = frame.index if isinstance(frame, pd.Series) else frame.columns
    return frame[[c for c in columns if c in have]]


def indicator_view(data: ExploreData, indicator: str) -> list[Part]:
    """Milestones, the whole history's chart, every observation with its source cell and the
    unit's notes, the verdict with its reasons."""
    choices = indicator_choices(data)
    found = _find(indicator, choices)
    if found is None:
        return [("", not_found("chỉ số", indicator, choices))]
    b, n = data.briefing, data.names
    verdict = _rows(b.verdicts, indicator_id=found).iloc[0]
    head = headlines(b, b.verdicts[b.verdicts["indicator_id"] == found]).iloc[0]
    own_targets = _rows(data.targets, indicator_id=found)
    observed = _rows(b.observations, indicator_id=found)
    observed = observed.assign(note=[unit_words(str(x)) for x in observed["note"]])
    remarks = _rows(b.remarks, indicator_id=found)
    history = _rows(b.history, indicator_id=found) if len(b.history) else b.history
    return [
        (f"Chỉ số {found}: {choices[found]}", f"Đơn vị chủ trì: {verdict['lead_unit'] or '—'}"),
        (
            "Đánh giá kỳ này",
            card(
                _pick(
                    verdict,
                    (
                        "status",
                        "milestone_year",
                        "headline",
                        "value",
                        "unit",
                        "value_period",
                        "attention",
                        "attention_reason",
                        "milestones_met",
                        "milestones_missed",
                        "milestones_open",
                        "previous_status",
                        "change",
                        "reported_by",
                    ),
                ),
                n,
            ),
        ),
        (
            "Lý do: cách tính từng mốc",
            styled(
                _pick(
                    _rows(b.status, indicator_id=found),
                    (
                        "milestone_year",
                        "comparator",
                        "target",
                        "value",
                        "value_period",
                        "expected_now",
                        "gap",
                        "progress_ratio",
                        "status",
                        "method_note",
                        "unit",
                    ),
                ),
                n,
            ),
        ),
        (
            "Các mốc của kế hoạch",
            styled(
                _pick(
                    own_targets,
                    (
                        "milestone_year",
                        "comparator",
                        "value",
                        "value_max",
                        "unit",
                        "text",
                        "source_line",
                    ),
                ),
                n,
            ),
        ),
        (
            "Diễn biến qua các kỳ",
            plot_indicator(b.observations, data.targets, head, b.illustrative),
        ),
        ("Mọi số liệu đơn vị đã gửi (nguồn: tệp, trang, ô)", styled(observed, n)),
        ("Giải trình của đơn vị khi để trống", styled(remarks, n)),
        ("Tình trạng theo từng kỳ", styled(history, n)),
    ]


def unit_view(data: ExploreData, unit: str) -> list[Part]:
    """What the unit sent, what was rejected and why, what it still owes, its tasks."""
    choices = unit_choices(data)
    found = _find(unit, choices)
    if found is None:
        return [("", not_found("đơn vị", unit, choices))]
    b, n = data.briefing, data.names
    name = choices[found]
    files = _rows(b.quality, reported_by=found) if len(b.quality) else b.quality
    sent = set(files["source_file"]) if len(files) else set()
    rejected = (
        b.quarantine[b.quarantine["source_file"].isin(sent)] if len(b.quarantine) else b.quarantine
    )
    owed = owing(b)
    owed = owed[owed["unit_name"] == name]
    missing = [i for m in owed["missing"] for i in m]
    owes = pd.DataFrame(
        {"indicator_id": missing, "name": [n.indicators.get(i, i) for i in missing]}
    )
    tasks = _rows(b.task_status, lead_unit=found) if len(b.task_status) else b.task_status
    tasks = tasks[tasks["category"] != "completed_on_time"] if len(tasks) else tasks
    return [
        (f"Đơn vị: {name}", f"Kỳ {b.period.short_label}"),
        ("Tệp đã gửi", styled(files, n)),
        (
            "Số liệu đã nhận",
            styled(_rows(b.observations, reported_by=found, period=b.period.code), n),
        ),
        ("Dòng bị cách ly và lý do", styled(rejected.reset_index(drop=True), n)),
        ("Chỉ số còn nợ số liệu", styled(owes, n)),
        (
            "Nhiệm vụ chủ trì chưa hoàn thành đúng hạn",
            styled(_pick(tasks, ("task_id", "text", "deadline", "status", "category", "note")), n),
        ),
        (
            "Báo cáo nhiệm vụ kỳ này",
            styled(_rows(data.task_reports, reported_by=found, period=b.period.code), n),
        ),
    ]


def task_view(data: ExploreData, task: str) -> list[Part]:
    """The task's assignment, its status, and every period's report on it."""
    choices = task_choices(data)
    found = _find(task, choices)
    if found is None:
        return [("", not_found("nhiệm vụ", task, choices))]
    b, n = data.briefing, data.names
    row = _rows(b.task_status, task_id=found).iloc[0]
    assigned = _rows(data.assignments, task_id=found)
    return [
        (f"Nhiệm vụ {found}", str(row["text"])),
        (
            "Phân công và tình trạng",
            card(
                _pick(
                    row,
                    (
                        "group",
                        "kind",
                        "lead_unit",
                        "coordinators",
                        "deadline",
                        "deadline_text",
                        "recurring",
                        "status",
                        "category",
                        "report_period",
                        "note",
                    ),
                ),
                n,
            ),
        ),
        ("Dòng của bảng phân công (nguồn)", styled(assigned, n)),
        ("Báo cáo của các đơn vị qua các kỳ", styled(_rows(data.task_reports, task_id=found), n)),
        ("Tình trạng qua các kỳ", styled(_rows(data.task_history, task_id=found), n)),
    ]


def guide(data: ExploreData) -> list[Part]:
    """What to fill in, and the choices (no parameter given)."""

    def listing(choices: dict[str, str], key: str) -> pd.DataFrame:
        return pd.DataFrame({key: list(choices), "name": list(choices.values())})

    tasks = listing(task_choices(data), "task_id").rename(columns={"name": "text"})
    return [
        (
            "Cách dùng",
            "Điền một mã chỉ số (indicator), một đơn vị (unit: mã hoặc tên) hoặc một mã "
            "nhiệm vụ (task) vào ô tham số rồi chạy lại sổ tay; trong JupyterLab, chọn ở các "
            "danh sách thả xuống bên dưới.",
        ),
        ("Các chỉ số", styled(listing(indicator_choices(data), "indicator_id"), data.names)),
        ("Các đơn vị", styled(listing(unit_choices(data), "unit_name").iloc[:, ::-1], data.names)),
        ("Các nhiệm vụ", styled(tasks, data.names)),
    ]


def views(data: ExploreData, indicator: str = "", unit: str = "", task: str = "") -> list[Part]:
    """The views the parameters ask for (each one given), else the guide."""
    indicator, unit, task = (str(v) for v in (indicator, unit, task))  # papermill's -p 3.2
    parts: list[Part] = []
    if indicator.strip():
        parts += indicator_view(data, indicator)
    if unit.strip():
        parts += unit_view(data, unit)
    if task.strip():
        parts += task_view(data, task)
    return parts or guide(data)


# ── display ─────────────────────────────────────────────────────────────────


def show_parts(parts: list[Part]) -> None:
    """Display each part: a heading in Markdown, then its table, chart or text."""
    from IPython.display import Markdown, display

    for heading, body in parts:
        if heading:
            display(Markdown(f"### {heading}"))
        if isinstance(body, str):
            display(Markdown(body))
        else:
            display(body)
        if isinstance(body, Figure):
            import matplotlib.pyplot as plt

            plt.close(body)


def _widgets(data: ExploreData):
    """Three dropdowns opening the views, or None without ipywidgets."""
    try:
        import ipywidgets as widgets
    except ImportError:
        return None
    out = widgets.Output()

    def dropdown(label: str, choices: dict[str, str]):
        options = [("—", "")] + [(f"{k} — {_short(v, 8)}", k) for k, v in choices.items()]
        return widgets.Dropdown(description=label, options=options, value="")

    boxes = {
        "indicator": dropdown("Chỉ số", indicator_choices(data)),
        "unit": dropdown("Đơn vị", unit_choices(data)),
        "task": dropdown("Nhiệm vụ", task_choices(data)),
    }

    def changed(_change=None) -> None:
        out.clear_output()
        with out:
            show_parts(views(data, **{k: w.value for k, w in boxes.items()}))

    for box in boxes.values():
        box.layout = widgets.Layout(width="60em")
        box.observe(changed, names="value")
    return widgets.VBox([*boxes.values(), out])


def explore(
    project: str = "",
    period: str = "",
    indicator: str = "",
    unit: str = "",
    task: str = "",
    processed_dir: str = "",
) -> None:
    """The notebook's one call: the views of the parameters (the latest compared period
    when ``period`` is empty), then the dropdowns."""
    from IPython.display import Markdown, display

    work = open_project(project, processed_dir=processed_dir)
    done = processed_periods(work.processed_dir)
    if not period and not done:
        display(Markdown("Chưa có kỳ nào được làm sạch và so sánh: chạy `nq57 run` trước."))
        return
    data = load_explore_data(work, period or done[-1].code)
    show_parts(views(data, indicator, unit, task))
    panel = _widgets(data)
    if panel is not None:
        display(panel)
