"""Recall and precision of the target parser on real public plan excerpts.

``tests/fixtures/plans/corpus``: 65 excerpts of national, ministry, provincial, city,
district, ward and commune plans (or their official summaries), annotated by hand (the
README there cites each source and the annotation conventions). The parser's rules were
developed against these, so they measure coverage, not generalisation: 01–14 from the
start, 15–22 (the first held-out set), 23–36 for issue #18, 37–43 (its first
held-out wave), 44–49 (its second) and 50–65 (its third, in part).
``tests/fixtures/plans/heldout``: excerpts collected and annotated after the parser was
last changed, never used to tune it (see the history at the end).

Run ``pytest tests/test_plan_corpus.py -s`` to see the per-file table.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from plan_corpus import score, score_folder

FIXTURES = Path(__file__).parent / "fixtures" / "plans"
CORPUS = FIXTURES / "corpus"
HELDOUT = FIXTURES / "heldout"


def _report(title: str, folder: Path):
    total, per_file = score_folder(folder)
    print(f"\n{title}")
    for name, one in per_file.items():
        print("  " + one.line(name))
    print(
        f"  total: recall {total.recall:.3f}, precision {total.precision:.3f}, comparator "
        f"agreement {total.same_comparator}/{total.matched}; qualitative recall "
        f"{total.qualitative_matched}/{total.qualitative_expected}"
    )
    return total, per_file


def test_development_corpus_recall_and_precision():
    total, per_file = _report("development corpus", CORPUS)
    assert len(per_file) == 65 and total.expected == 567 and total.refused == 0
    # Targets with a figure: 520 of 567 found, 37 extra. 17 (Xuân Trúc) states no year in
    # its text (its title, with the year, is only in the page's URL): its 12 targets come
    # without one, which the annotation's 2025 does not match (2 more are not cued);
    # 18 and 35 keep a headline that restates a body target in other words; 37-43 keep
    # misses the rules do not reach ("19/19 Sở, ngành", a year the annotator carried
    # over a paragraph).
    # 44-49 (the second held-out wave): a population rate per period "tương ứng là 6%, 11%
    # và 8%" (one year for all three), a headline restating a body range as one figure.
    assert (total.matched, total.found) == (520, 557)
    assert total.same_comparator >= 280  # hedges annotated differently: see README §7–8
    # Qualitative targets in prose are not read (prose.py says why); in sections they are.
    assert total.qualitative_matched >= 14 and total.qualitative_found <= 36


@pytest.mark.parametrize(
    "name",
    [
        "12-thachkim-xa-can-cu-no-targets",
        "13-nq03cp-preamble-no-targets",
        "26-phuong-hoa-hiep-nq57-tong-ket-2025-no-targets",
        "34-thi-xa-la-gi-ket-qua-3-nam-nq10-cds-no-targets",
        "38-huyen-dak-rlap-bcd-cds-2023",
    ],
)
def test_texts_without_targets_give_none(name):
    result = score(CORPUS / f"{name}.md")
    assert (result.expected, result.found, result.qualitative_found) == (0, 0, 0)


@pytest.mark.skipif(not HELDOUT.is_dir(), reason="no held-out corpus in tests/fixtures/plans")
def test_heldout_corpus_recall_and_precision():
    total, _ = _report("held-out corpus", HELDOUT)
    assert total.expected > 0
    assert total.recall >= HELDOUT_RECALL and total.precision >= HELDOUT_PRECISION


# History of the held-out measurements (each set then became development text, 15-22,
# 37-43, 44-49, and a new one was collected after the next change):
# - 15-22, before any change: recall 15/38 = 0,395, precision 15/19 = 0,789; after four
#   general rules 20/38 and 20/21.
# - 37-43 (#18, parser freeze 1, commit e3a62fd): recall 24/47 = 0,511, precision 24/34 =
#   0,706; after freeze 2 (5b0e129) 42/47 and 42/45 as development text.
# - 44-49 (#18, parser freeze 3, commit c3cc505): recall 34/49 = 0,694, precision 34/48 =
#   0,708; after freeze 4 (an item under no milestone names its own year, "giữ ổn định" a
#   cue, "tăng từ X … lên Y" starts at X, "2 giai đoạn" no target) 46/49 and 46/50.
# - 50-55 (wave 3, one helper) at freeze 4, unseen: recall 73/85 = 0,859, precision 73/85;
#   56-59 (wave 3, another helper) at freeze 4: 23/29, 23/38. Freeze 5 (a paragraph led
#   by an earlier term reports its results: figures are no targets until a later term or
#   "đề ra", "phấn đấu" …) reads 56-59 as 27/29, 27/29; 50-55 unchanged.
# - wave 3's other 12 (01-06 collected while freeze 4 was made, 07-12 after it), unseen:
#   recall 124/163 = 0,761, precision 124/155 = 0,800 at freeze 4 and 5. 07-12 then
#   tuned freeze 6 (60-65 now: a bullet's or numbered item's own year stays in it, a
#   vision's year is not the list's, "ở mức 1,6 m2", glued units "20,7m2", "tăng 4% trở
#   lên so với cùng kỳ" is a target, a year in parentheses in a section is its target's).
# - this folder, 01-06 of wave 3 (never looked at): 65/66 = 0,985 and 65/75 = 0,867 at
#   freeze 6; 07-12 (the province and city part of wave 3, never looked at): 77/79 and
#   77/78. Together 142/145 = 0,979 and 142/153 = 0,928.
# - 13-20 (wave 4: ward, commune, ministry and Sở, collected after freeze 6): 38/39 and
#   38/40. The folder: 180/184 = 0,978 and 180/193 = 0,933.
HELDOUT_RECALL = 0.9
HELDOUT_PRECISION = 0.9
