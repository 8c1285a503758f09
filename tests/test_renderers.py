"""Render processes: jobs come back with their results or their own errors, a process that
dies fails only its job, and a missing PDF engine is reported, not crashed on."""

from __future__ import annotations

import ctypes.util
import errno
import shutil
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from nq57lib.core.errors import EngineUnavailableError, RenderError
from nq57lib.run import renderers
from nq57lib.run.renderers import RenderPool


def _notebook(path: Path) -> Path:
    cell = new_code_cell(
        "x", outputs=[new_output("display_data", data={"text/html": "<p>Xin chào phường</p>"})]
    )
    nbformat.write(new_notebook(cells=[cell]), path)
    return path


@pytest.fixture
def pool():
    pool = RenderPool("weasyprint")
    pool.add_process()
    yield pool
    pool.close()


def test_a_job_returns_what_the_render_function_returns(pool, tmp_path):
    notebook = _notebook(tmp_path / "nb.ipynb")
    written = pool.submit("write_html", notebook, tmp_path / "out" / "bao-cao.html", "Thử").result()
    assert written == tmp_path / "out" / "bao-cao.html"
    html = written.read_text(encoding="utf-8")
    assert "<title>Thử</title>" in html and "Xin chào phường" in html


def test_a_warmed_up_process_renders_the_page_this_process_renders(pool, tmp_path):
    from nq57lib.report import render

    notebook = _notebook(tmp_path / "nb.ipynb")
    assert pool.submit("warm_up").result() is None
    warm = pool.submit("write_html", notebook, tmp_path / "warm.html", "Thử").result()
    here = render.write_html(notebook, tmp_path / "here.html", "Thử")
    assert warm.read_text(encoding="utf-8") == here.read_text(encoding="utf-8")


def test_errors_cross_back_as_themselves(pool, tmp_path):
    notebook = _notebook(tmp_path / "nb.ipynb")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(OSError) as refused:
        pool.submit("write_html", notebook, blocker / "bao-cao.html").result()
    # errno and path intact: the run turns them into a SystemRefusalError naming the path.
    assert refused.value.errno in (errno.ENOTDIR, errno.EEXIST)
    assert refused.value.filename == str(blocker)
    with pytest.raises(RenderError, match="not found") as missing:
        pool.submit("write_html", tmp_path / "missing.ipynb", tmp_path / "x.html").result()
    assert missing.value.fmt == "html"
    with pytest.raises(ValueError, match="not a render job"):
        pool.submit("os.system", "true")


def test_a_process_that_dies_fails_its_job_and_the_next_job_gets_a_new_one(pool, tmp_path):
    notebook = _notebook(tmp_path / "nb.ipynb")
    assert pool.engine_problem() is None  # the first process is up
    (process,) = pool._processes
    process.kill()
    process.process.wait()
    with pytest.raises(RenderError, match="render process stopped unexpectedly"):
        pool.submit("write_html", notebook, tmp_path / "a.html").result()
    assert pool.submit("write_html", notebook, tmp_path / "b.html").result().is_file()


def test_close_fails_the_jobs_not_started_and_wakes_who_waits(tmp_path):
    pool = RenderPool("weasyprint")  # no process: nothing will take the job
    job = pool.submit("write_html", tmp_path / "nb.ipynb", tmp_path / "x.html")
    waiting = ThreadPoolExecutor(1).submit(wait, [job])  # as render_briefing waits
    pool.close()
    # A cancel() would leave wait() blocked for ever (the hang of a Ctrl-C while rendering).
    assert waiting.result(timeout=10).not_done == set()
    assert isinstance(job.exception(), RenderError)
    later = pool.submit("write_html", tmp_path / "nb.ipynb", tmp_path / "y.html")
    assert isinstance(later.exception(timeout=1), RenderError)  # no process will take it


def test_without_pango_the_render_process_says_so_and_still_makes_html(tmp_path, monkeypatch):
    # WeasyPrint on a system without Pango: importing it raises OSError.
    fake = tmp_path / "site" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        "raise OSError(\"cannot load library 'libpango-1.0-0': No such file\")\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PYTHONPATH", str(fake.parent))
    pool = RenderPool("weasyprint")
    pool.add_process()
    try:
        problem = pool.engine_problem()
        assert isinstance(problem, EngineUnavailableError)
        assert "libpango" in str(problem) and "apt-get install" in str(problem)
        notebook = _notebook(tmp_path / "nb.ipynb")
        assert pool.submit("write_html", notebook, tmp_path / "x.html").result().is_file()
    finally:
        pool.close()


@pytest.mark.skipif(shutil.which("ldconfig") is None, reason="no ldconfig on this system")
def test_one_ldconfig_listing_finds_the_libraries_the_standard_lookup_finds():
    names = ["c", "m", "pango-1.0", "gobject-2.0", "fontconfig", "libgobject-2.0-0"]
    names += ["fontconfig-1", "no-such-library-nq57"]
    expected = {name: ctypes.util.find_library(name) for name in names}
    with renderers._libraries_from_ldconfig():
        found = {name: ctypes.util.find_library(name) for name in names}
    assert found == expected
    assert found["c"] and found["no-such-library-nq57"] is None
