"""One run, two reports: the People's Committee's and the steering committee's (BC-BCĐ)."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from example import EXAMPLE

from nq57lib.core.project import Project
from nq57lib.run.batch import run_batch
from nq57lib.run.request import RunRequest

PERIOD = "2026-Q3"
STEERING = """
steering:
  name: Ban Chỉ đạo phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số phường
  issuer:
    - ĐẢNG BỘ PHƯỜNG HỒNG BÀNG
    - BAN CHỈ ĐẠO
  number: "Số …-BC/BCĐ"
  party: true
  on_behalf: T/M BAN CHỈ ĐẠO
  title: TRƯỞNG BAN
  recipients:
    - Ban Thường vụ Đảng ủy phường;
    - Các thành viên Ban Chỉ đạo;
    - "Lưu: VT."
"""


def _text(path: Path) -> str:
    page = re.sub(r"<style.*?</style>|<script.*?</script>", "", path.read_text("utf-8"), flags=re.S)
    page = re.sub(r'src="data:[^"]*"', "", page)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_the_steering_committee_gets_the_same_report_under_its_own_name(tmp_path):
    folder = tmp_path / "hong-bang"
    folder.mkdir()
    text = (EXAMPLE.root / "ward.yaml").read_text(encoding="utf-8")
    (folder / "ward.yaml").write_text(text + STEERING, encoding="utf-8")
    shutil.copytree(EXAMPLE.raw_dir, folder / "data" / "raw")
    project = Project.load(folder)
    done = run_batch([folder], RunRequest.make([PERIOD], ["html"]), progress=False)
    assert done.exit_code == 0, done.summary_text()
    reports = project.reports_dir / PERIOD
    people = _text(reports / f"bao-cao-{PERIOD}.html")
    steering = _text(reports / f"bao-cao-bcd-{PERIOD}.html")
    for said in ("Số: …/BC-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TM. ỦY BAN NHÂN DÂN",
                 "Ủy ban nhân dân phường báo cáo kết quả"):  # fmt: skip
        assert said in people and said not in steering, said
    for said in ("Số …-BC/BCĐ", "ĐẢNG CỘNG SẢN VIỆT NAM", "T/M BAN CHỈ ĐẠO", "TRƯỞNG BAN",
                 "ĐẢNG BỘ PHƯỜNG HỒNG BÀNG", "Các thành viên Ban Chỉ đạo;",
                 "chuyển đổi số phường báo cáo kết quả thực hiện quý III năm 2026"):  # fmt: skip
        assert said in steering and said not in people, said

    # Same data: everything from section I to the signature reads the same.
    def body(page: str) -> str:
        return page[page.index("I. KẾT QUẢ ĐẠT ĐƯỢC") : page.index("Nơi nhận")]

    assert body(people) == body(steering)
    assert "Báo cáo quý III năm 2026 — KH 106/KH-UBND" in steering
