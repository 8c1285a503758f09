"""The small store of recent parses (core/recent.py) that a batch's threads share."""

from __future__ import annotations

from nq57lib.core.recent import Recent, content_digest


def test_the_least_recently_used_value_is_let_go_first():
    recent: Recent[str] = Recent(2)
    recent.put("a", "plan A")
    recent.put("b", "plan B")
    assert recent.get("a") == "plan A"  # "a" is now the more recently used
    recent.put("c", "plan C")
    assert (recent.get("a"), recent.get("b"), recent.get("c")) == ("plan A", None, "plan C")


def test_the_key_follows_the_content_and_an_unreadable_file_has_none(tmp_path):
    plan = tmp_path / "ke-hoach.md"
    plan.write_text("I. NHIỆM VỤ\n", encoding="utf-8")
    before = content_digest(plan)
    plan.write_text("I. NHIỆM VỤ VÀ GIẢI PHÁP\n", encoding="utf-8")
    assert content_digest(plan) != before and before is not None
    assert content_digest(tmp_path / "missing.md") is None
    assert content_digest(tmp_path) is None  # a folder, not a file
