"""The Vietnamese headings of every column nq57's tables carry, and the words of their codes.

One vocabulary for every table an analyst reads in a notebook (``report/display.py``) and
for the briefing's own headings where they show the same column: a column code of
``core/schema.py`` (or of a catalogue, a check, a scorecard) → its heading; a code a cell
holds (``headline``, ``change``, ``role`` …) → its words. Statuses keep their own
vocabulary (``assess/statuses.py``); stages, task kinds, comparators and measurement units
theirs (``core/vocab.py``).
"""

from __future__ import annotations

from nq57lib.core.vocab import TASK_KIND_LABELS_VI

# ── column code → heading ───────────────────────────────────────────────────
COLUMN_LABELS_VI: dict[str, str] = {
    # identities and periods
    "period": "Kỳ",
    "indicator_id": "Mã chỉ số",
    "target_id": "Mã chỉ tiêu",
    "task_id": "Mã nhiệm vụ",
    "parent_id": "Thuộc mục",
    "name": "Chỉ tiêu",
    "name_vi": "Chỉ tiêu",
    "text": "Nội dung",
    "target_text": "Lời văn của chỉ tiêu",
    "area": "Lĩnh vực",
    "group": "Nhóm nhiệm vụ",
    "kind": "Loại",
    "unit": "Đơn vị tính",
    "unit_label": "Đơn vị tính (theo kế hoạch)",
    "unit_name": "Đơn vị",
    "lead_unit": "Đơn vị chủ trì",
    "coordinators": "Đơn vị phối hợp",
    "reported_by": "Đơn vị báo cáo",
    "role": "Vai trò",
    "path": "Lộ trình các mốc",
    # milestones and figures
    "milestone_year": "Mốc",
    "comparator": "So sánh",
    "target": "Mục tiêu",
    "value": "Giá trị",
    "value_max": "Giá trị tối đa",
    "value_period": "Kỳ số liệu",
    "value_current": "Số liệu kỳ này",
    "numerator": "Tử số",
    "denominator": "Mẫu số",
    "baseline": "Giá trị gốc",
    "baseline_period": "Kỳ gốc",
    "expected_now": "Mức cần đạt hiện nay",
    "gap": "Còn thiếu",
    "progress_ratio": "Tỷ lệ tiến độ",
    "cagr_ratio": "Tỷ lệ tiến độ (tăng trưởng kép)",
    "straight_line_share": "Tỷ lệ tiến độ (tuyến tính)",
    "methods_disagree": "Hai cách tính khác nhau",
    "direction": "Chiều",
    "per_year": "Mỗi năm",
    "aspirational": "Phấn đấu",
    "qualitative": "Định tính",
    "row_role": "Vai trò của mốc",
    "decided_by": "Cách tính quyết định",
    "missing_months": "Tháng chưa báo cáo",
    "unit_total": "Lũy kế đơn vị báo cáo",
    "unit_total_agrees": "Lũy kế khớp",
    "periods_total": "Tổng các kỳ",
    "periods_used": "Các kỳ đã cộng",
    "months_missing": "Tháng còn thiếu",
    "agrees": "Khớp",
    # judgements
    "status": "Tình trạng",
    "status_vi": "Tình trạng",
    "previous_status": "Tình trạng kỳ trước",
    "changed": "Đổi tình trạng",
    "change": "Diễn biến",
    "headline": "Mốc được báo cáo",
    "attention": "Cần tập trung chỉ đạo",
    "attention_reason": "Lý do cần chỉ đạo",
    "attention_rank": "Thứ tự ưu tiên",
    "milestones_met": "Mốc đã đạt",
    "milestones_missed": "Mốc quá hạn chưa đạt",
    "milestones_open": "Mốc đang theo dõi",
    "figure_owed": "Còn nợ số liệu",
    "method_note": "Cách tính / ghi chú",
    "category": "Nhóm theo thời hạn",
    # tasks
    "deadline": "Thời hạn",
    "deadline_text": "Thời hạn (theo văn bản)",
    "recurring": "Định kỳ",
    "product": "Sản phẩm",
    "state": "Tình trạng đơn vị báo cáo",
    "completed_on": "Ngày hoàn thành",
    "result": "Kết quả",
    "difficulties": "Khó khăn, vướng mắc",
    "proposals": "Đề xuất, kiến nghị",
    "stale": "Báo cáo từ kỳ trước",
    "report_period": "Kỳ báo cáo",
    "vintage": "Kỳ gửi số liệu",
    "lead_text": "Chủ trì (theo kế hoạch)",
    "support_text": "Phối hợp (theo kế hoạch)",
    "plan_ref": "Số thứ tự trong phụ lục",
    "plan_line": "Dòng phụ lục",
    # files and provenance
    "source_file": "Tệp",
    "source_sheet": "Trang",
    "source_cell": "Ô",
    "source_row": "Dòng",
    "source_line": "Dòng kế hoạch",
    "sheets": "Các trang",
    "file_status": "Tình trạng tệp",
    "rows_read": "Dòng đã đọc",
    "accepted": "Chấp nhận",
    "quarantined": "Cách ly",
    "blank": "Dòng trống",
    "illustrative": "Số liệu minh họa",
    "message": "Thông báo",
    "saved_on": "Lưu tệp",
    "late": "Gửi sau hạn",
    "note": "Ghi chú",
    "reason": "Lý do",
    "raw": "Nội dung dòng",
    "files": "Các tệp",
    "expected": "Phải báo cáo",
    "received": "Đã có số liệu",
    "missing_count": "Còn thiếu",
    "missing": "Chỉ số còn thiếu",
    "quarantined_only": "Chỉ có dòng bị cách ly",
    "first_saved": "Lưu tệp lần đầu",
    # the scorecard of tasks per unit
    "assigned": "Nhiệm vụ chủ trì",
    "due": "Đã đến hạn",
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "in_progress": "Đang thực hiện",
    "overdue": "Quá hạn",
    "not_started": "Chưa triển khai",
    "no_report": "Chưa báo cáo",
    "on_time_rate": "Tỷ lệ đúng hạn",
    "completed_on_time": "HT trong hạn",
    "completed_late": "HT trễ hạn",
    "open_in_time": "Chưa HT trong hạn",
    "open_overdue": "Chưa HT trễ hạn",
    "no_deadline": "Thường xuyên, không thời hạn",
    "with_deadline": "Có thời hạn",
    "completion_rate_due": "Tỷ lệ hoàn thành (đã đến hạn)",
    "completion_rate_all": "Tỷ lệ hoàn thành (có thời hạn)",
    # the plan's checks
    "check": "Loại kiểm tra",
    "severity": "Mức độ",
}

# ── code a cell holds → its words, per column ───────────────────────────────
INDICATOR_KIND_LABELS_VI = {
    "level": "mức đạt",
    "flow": "phát sinh trong kỳ",
    "stock": "lũy kế",
    "milestone": "định tính",
}
CODE_LABELS_VI: dict[str, dict[str, str]] = {
    "kind": {**INDICATOR_KIND_LABELS_VI, **{k: v.lower() for k, v in TASK_KIND_LABELS_VI.items()}},
    "headline": {
        "missed": "mốc đã qua chưa đạt",
        "only": "mốc duy nhất",
        "all_met": "đã đạt mọi mốc",
        "most_urgent": "mốc cần chú ý nhất",
    },
    "change": {"better": "tốt lên", "worse": "xấu đi"},
    "file_status": {"ok": "đọc được", "rejected": "không đọc được"},
    "role": {"lead": "chủ trì", "contribution": "phối hợp", "support": "phối hợp"},
    "direction": {"increase": "tăng", "decrease": "giảm"},
    "row_role": {"next": "mốc kế tiếp", "last": "mốc cuối", "overdue": "mốc đã qua"},
    "decided_by": {"cagr": "tăng trưởng kép", "pro_rata": "tuyến tính"},
    "recurring": {"regular": "thường xuyên", "yearly": "hằng năm", "quarterly": "hằng quý"},
    "severity": {"error": "lỗi", "warning": "cảnh báo", "info": "lưu ý"},
    "check": {
        "unmatched": "chưa gắn chỉ số",
        "duplicate_target": "chỉ tiêu trùng",
        "duplicated_clause": "mệnh đề lặp lại",
        "implausible_target": "mục tiêu ngoài khoảng hợp lý",
        "lower_milestone": "mốc sau thấp hơn mốc trước",
        "phan_dau_spelling": "chính tả “phấn đấu”",
        "repeated_word": "từ lặp",
        "scope_drift": "chỉ tiêu của cấp khác",
        "speed_unit": "đơn vị tốc độ",
    },
}


def column_label(column: object) -> str:
    """A column's heading: its label, else a code's words (a column made of codes, such as
    ``task``/``duty`` after an unstack), else the column as written (a year, a heading)."""
    text = str(column)
    if text in COLUMN_LABELS_VI:
        return COLUMN_LABELS_VI[text]
    for words in CODE_LABELS_VI.values():
        if text in words:
            return words[text][:1].upper() + words[text][1:]
    return text
