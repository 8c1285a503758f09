"""Several wards in one run: each with its own profile and folders, one failing ward never
stopping the others, one line per ward and period, a table, and the number failed."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from conftest import build_briefing_processed
from openpyxl import Workbook
from test_pipeline import BRIEFING_NOTEBOOK, NOTEBOOKS

from nq57lib import cli
from nq57lib.core import config
from nq57lib.run.batch import run_batch
from nq57lib.run.lock import tree_lock
from nq57lib.run.request import RunRequest

REPOSITORY_PROFILE = config.CHECKOUT_DIR / "ward.yaml"


def _ward(folder: Path, name: str, level: str = "phường") -> Path:
    """A project folder: the example's profile under another name, the fixture period."""
    text = REPOSITORY_PROFILE.read_text(encoding="utf-8")
    text = text.replace("  name: Hồng Bàng ", f"  name: {name} ")
    text = text.replace("    - PHƯỜNG HỒNG BÀNG", f"    - PHƯỜNG {name.upper()}")
    text = text.replace("  level: phường ", f"  level: {level} ")
    # The shipped registry and units (the example names them by its own relative paths).
    lines = [line for line in text.splitlines() if not line.startswith(("  units:", "  registry:"))]
    (folder / "data" / "raw" / "2026-Q3").mkdir(parents=True)
    (folder / "ward.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan = config.CHECKOUT_DIR / "data" / "raw" / "plan"
    shutil.copytree(plan, folder / "data" / "raw" / "plan")
    (folder / "data" / "raw" / "2026-Q3" / "don-vi.xlsx").write_bytes(b"stand-in workbook")
    build_briefing_processed(folder / "data" / "processed")
    book = Workbook()
    book.active["A1"] = "Phụ lục"
    book.save(folder / "data" / "processed" / "2026-Q3" / "status.xlsx")
    return folder


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("notebooks")
    shutil.copy(NOTEBOOKS / "clean-ok.ipynb", folder / "10-clean.ipynb")
    shutil.copy(NOTEBOOKS / "compare-ok.ipynb", folder / "20-compare.ipynb")
    shutil.copy(BRIEFING_NOTEBOOK, folder / "30-briefing.ipynb")
    return folder


def test_every_ward_gets_its_own_report_and_a_failing_ward_stops_none(tmp_path, notebooks):
    an_bien = _ward(tmp_path / "an-bien", "An Biên")
    wrong = _ward(tmp_path / "wrong-level", "Sai Cấp", level="quận")
    le_chan = _ward(tmp_path / "le-chan", "Lê Chân")
    missing = tmp_path / "no-such-ward"
    lines = io.StringIO()
    request = RunRequest.make(["2026-Q3"], ["html"], notebooks_dir=notebooks)
    result = run_batch([an_bien, wrong, le_chan, missing], request, progress=lines)
    assert result.exit_code == 2 and result.failed == 2
    for folder, issuer in ((an_bien, "PHƯỜNG AN BIÊN"), (le_chan, "PHƯỜNG LÊ CHÂN")):
        html = (folder / "reports" / "2026-Q3" / "bao-cao-2026-Q3.html").read_text("utf-8")
        # The kernel worked on each ward's own profile: its letterhead, not another's.
        assert issuer in html
        assert "HỒNG BÀNG" not in html
    assert not (wrong / "reports").exists()
    said = lines.getvalue().splitlines()
    assert len(said) == 4  # one line per ward and period, one per ward that could not run
    assert any(s.startswith("[phường An Biên · 2026-Q3] ✓ ") for s in said)
    assert any(s.startswith("[phường Lê Chân · 2026-Q3] ✓ ") for s in said)
    assert any(s.startswith("[wrong-level] ✗ ") and "“quận”" in s for s in said)
    assert any(s.startswith("[no-such-ward] ✗ ") and "nq57 init" in s for s in said)
    table = result.summary_text().splitlines()
    assert table[0] == "nq57 run: 2/4 phường/xã thành công trong " + table[0].split("trong ")[1]
    assert table[1].split() == [
        "Phường/xã",
        "Kỳ",
        "Kết",
        "quả",
        "Giây",
        "Báo",
        "cáo",
        "hoặc",
        "lý",
        "do",
    ]
    rows = [row for row in table[2:] if row.startswith(("phường", "wrong", "no-such"))]
    assert [row.split("  ")[0] for row in rows] == [
        "phường An Biên", "wrong-level", "phường Lê Chân", "no-such-ward",
    ]  # fmt: skip
    assert "✓ xong" in rows[0] and str(an_bien / "reports" / "2026-Q3") in rows[0]
    assert "✗ thất bại" in rows[1] and "“quận”" in rows[1]


def test_a_ward_whose_lock_is_held_fails_alone(tmp_path, notebooks):
    busy = _ward(tmp_path / "busy", "Bận")
    free = _ward(tmp_path / "free", "Rảnh")
    with tree_lock(busy / "data" / "processed", command="nq57 run 2026-Q3 (another analyst)"):
        request = RunRequest.make(["2026-Q3"], ["html"], notebooks_dir=notebooks)
        result = run_batch([busy, free], request, progress=False)
    assert result.exit_code == 1
    assert "another analyst" in result.wards[0].error
    assert result.wards[1].ok
    assert (free / "reports" / "2026-Q3" / "bao-cao-2026-Q3.html").is_file()


def test_wards_prepared_ahead_that_cannot_run_fail_alone_and_every_lock_is_let_go(
    tmp_path, notebooks
):
    # Every ward after the first is prepared (lock, checks, history) while the kernel
    # works on the one before: its failures are still its own, said once, in its order.
    first = _ward(tmp_path / "first", "Một")
    busy = _ward(tmp_path / "busy", "Bận")
    empty = _ward(tmp_path / "empty", "Trống")
    shutil.rmtree(empty / "data" / "raw" / "2026-Q3")
    last = _ward(tmp_path / "last", "Cuối")
    request = RunRequest.make(["2026-Q3"], ["html"], notebooks_dir=notebooks)
    with tree_lock(busy / "data" / "processed", command="nq57 run 2026-Q3 (another analyst)"):
        result = run_batch([first, busy, empty, last], request, progress=False)
    assert result.exit_code == 2
    assert [w.ok for w in result.wards] == [True, False, False, True]
    assert "another analyst" in result.wards[1].error
    assert "2026-Q3" in result.wards[2].error and not (empty / "reports").exists()
    for folder in (first, last):
        assert (folder / "reports" / "2026-Q3" / "bao-cao-2026-Q3.html").is_file()
    for folder in (first, busy, empty, last):  # no lock is left held by the batch
        with tree_lock(folder / "data" / "processed", command="the next run"):
            pass


def test_folders_of_one_project_cannot_be_given_to_several(capsys, tmp_path):
    code = cli.main(
        ["run", "--period", "2026-Q3", "--projects", str(tmp_path), "--raw-dir", str(tmp_path)]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "--raw-dir: each ward's folders are those of its own ward.yaml" in err


def test_without_a_pdf_engine_every_ward_still_gets_its_html(tmp_path, notebooks, monkeypatch):
    from nq57lib.core.errors import EngineUnavailableError
    from nq57lib.report import render

    def no_pango(engine):
        raise EngineUnavailableError(engine, "the Pango library is missing")

    monkeypatch.setattr(render, "check_engine", no_pango)
    wards = [_ward(tmp_path / "an-bien", "An Biên"), _ward(tmp_path / "le-chan", "Lê Chân")]
    # Rendering in this process: the patched check is the one the run consults.
    request = RunRequest.make(
        ["2026-Q3"], ["html", "pdf"], notebooks_dir=notebooks, render_processes=0
    )
    result = run_batch(wards, request, progress=False)
    assert result.exit_code == 0
    for folder in wards:
        report = folder / "reports" / "2026-Q3"
        assert sorted(p.suffix for p in report.glob("bao-cao-*")) == [".html"]


def test_a_long_batch_moves_to_a_fresh_kernel_and_every_ward_still_runs(
    tmp_path, notebooks, monkeypatch
):
    from nq57lib.run import batch
    from nq57lib.run.kernel import Kernel

    # One ward per kernel here (20 in real batches): three wards, three kernels.
    monkeypatch.setattr(batch, "KERNEL_WARDS", 1)
    started = []
    real_start = Kernel.start
    monkeypatch.setattr(Kernel, "start", lambda self: started.append(1) or real_start(self))
    names = (("a", "An Dương"), ("b", "Bạch Đằng"), ("c", "Cát Bi"))
    folders = [_ward(tmp_path / code, name) for code, name in names]
    request = RunRequest.make(["2026-Q3"], ["html"], notebooks_dir=notebooks)
    result = run_batch(folders, request, progress=False)
    assert result.exit_code == 0
    assert len(started) == 3
    for folder, issuer in zip(folders, ("AN DƯƠNG", "BẠCH ĐẰNG", "CÁT BI"), strict=True):
        html = (folder / "reports" / "2026-Q3" / "bao-cao-2026-Q3.html").read_text("utf-8")
        assert f"PHƯỜNG {issuer}" in html
