"""The counts page 1 of the briefing gives, computed once for the briefing and the notebooks.

Indicators are counted from the verdicts (``verdicts.csv``: one row per indicator, at its
headline milestone), never from the status rows (a row per milestone); tasks from the task
statuses, those with a lead unit. ``report/drafts.conclusion`` words these counts on page 1
and :meth:`nq57lib.assess.compare.ComparisonResult.summary_text` prints them in the
notebook, so the two cannot disagree. Pure: frames in, numbers out.
"""

from __future__ import annotations

import pandas as pd

from nq57lib.assess.observations import as_bool
from nq57lib.assess.statuses import COMPLETED_CATEGORIES, FAILING, LATER, NO_FIGURE, ON_COURSE, SLOW

# The groups page 1 names, in its order: key → the statuses it counts.
INDICATOR_GROUPS = {
    "good": ON_COURSE,
    "achieved": ("achieved",),
    "slow": SLOW,
    "bad": FAILING,
    "unknown": NO_FIGURE,
    "later": LATER,
}
# The words of each group, as page 1 says them after the number ("19 chỉ tiêu …").
GROUP_WORDS_VI = {
    "good": "đạt hoặc đúng tiến độ",
    "achieved": "đã đạt",
    "slow": "cần đẩy nhanh hoặc chậm tiến độ",
    "bad": "đi xuống hoặc quá hạn chưa đạt",
    "unknown": "chưa có hoặc chưa đủ số liệu để đánh giá",
    "later": "chưa đến kỳ đánh giá",
}


def overdue_tasks(status: pd.DataFrame) -> pd.DataFrame:
    """The tasks not completed past their deadline at the cut-off (the Government's "chưa
    hoàn thành, quá hạn", a task whose lead has not reported included)."""
    return status[status["category"] == "open_overdue"]


def indicator_counts(verdicts: pd.DataFrame) -> dict[str, int]:
    """Indicators per page-1 group, their total and how many need the leader's attention."""
    per_status = verdicts["status"].value_counts()
    counts = {
        key: sum(int(per_status.get(code, 0)) for code in codes)
        for key, codes in INDICATOR_GROUPS.items()
    }
    # A ward's export (nq57lib.report.export) carries the statuses, not the attention flag.
    flagged = len(verdicts) and "attention" in verdicts.columns
    attention = int(verdicts["attention"].map(as_bool).sum()) if flagged else 0
    return {"total": int(per_status.sum()), **counts, "attention": attention}


def task_counts(task_status: pd.DataFrame) -> dict[str, int]:
    """Tasks with a lead unit, those completed, those overdue and not completed."""
    if task_status is None or not len(task_status):
        return {"tracked": 0, "done": 0, "overdue": 0}
    tracked = task_status[task_status["status"] != "unassigned"]
    return {
        "tracked": len(tracked),
        "done": int(tracked["category"].isin(COMPLETED_CATEGORIES).sum()),
        "overdue": len(overdue_tasks(tracked)),
    }
