"""nq57 built as a wheel and installed into a fresh environment runs without the checkout.

The wheel is built from the files git tracks (copied out, so the build leaves nothing in
the checkout), installed with pip into a new virtual environment, and used from a folder
outside the checkout: ``nq57 init`` on a commune's plan, then ``nq57 run`` on a copy of the
example project. The new environment reaches the libraries nq57 needs through a ``.pth``
line naming this environment's site-packages (no download), and their data files (the
nbconvert templates nq57's template extends) through ``JUPYTER_PATH``; a ``.pth`` file
inside that folder is not run, so this checkout's editable install is not visible there
— the test checks that ``nq57lib`` is imported from the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TAN_LAP_PLAN = REPO / "tests" / "fixtures" / "ward2" / "ke-hoach-45-KH-UBND-2025-tan-lap.md"
# Building the wheel asks pip for setuptools (an isolated build); the run itself has a
# generous bound only to turn a hang into a failure.
BUILD_TIMEOUT_S = 600
RUN_TIMEOUT_S = 300


def _tracked_copy(target: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        source = REPO / os.fsdecode(name)
        if source.is_file():
            (target / os.fsdecode(name)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / os.fsdecode(name))
    return target


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NQ57_", "PYTHON"))}
    env.pop("VIRTUAL_ENV", None)
    # What `pip install nq57lib` would put in the new environment's share/jupyter.
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs the git checkout to build the wheel from")
    root = tmp_path_factory.mktemp("wheel")
    source = _tracked_copy(root / "source")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(root / "dist"),
         str(source)],
        capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, env=_clean_env(),
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (root / "dist").glob("nq57lib-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    )  # fmt: skip
    (site / "nq57-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
         str(wheel)],
        capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, env=_clean_env(),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    work = root / "elsewhere"
    work.mkdir()
    return {"wheel": wheel, "venv": venv, "python": python, "work": work}


def test_the_wheel_carries_the_notebooks_templates_and_data(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    for step in ("00-targets", "10-clean", "20-compare", "30-briefing"):
        assert f"nq57lib/notebooks/{step}.ipynb" in names
    assert "nq57lib/report/templates/nq57/conf.json" in names
    assert "nq57lib/data/indicators.yaml" in names
    assert "nq57lib/data/reporting_units.yaml" in names
    assert not any(name.startswith(("tests/", "data/", "scripts/")) for name in names)


def test_the_installed_package_is_the_wheels(installed):
    where = subprocess.run(
        [str(installed["python"]), "-c", "import nq57lib; print(nq57lib.__file__)"],
        capture_output=True, text=True, check=True, cwd=installed["work"], env=_clean_env(),
    ).stdout.strip()  # fmt: skip
    assert Path(where).is_relative_to(installed["venv"]), where


def test_init_and_run_work_from_the_wheel(installed, tmp_path):
    nq57 = str(installed["venv"] / "bin" / "nq57")
    env = _clean_env()
    ward = tmp_path / "tan-lap"
    made = subprocess.run(
        [nq57, "init", "--plan", str(TAN_LAP_PLAN), str(ward)],
        capture_output=True, text=True, cwd=installed["work"], env=env, timeout=RUN_TIMEOUT_S,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert (ward / "ward.yaml").is_file() and (ward / "reporting_units.yaml").is_file()
    # The example project, copied out of the checkout: its profile, plan and workbooks.
    example = tmp_path / "hong-bang"
    example.mkdir()
    shutil.copy(REPO / "ward.yaml", example / "ward.yaml")
    shutil.copytree(REPO / "data" / "raw", example / "data" / "raw")
    ran = subprocess.run(
        [nq57, "--project", str(example), "run", "--period", "2026-Q3", "--formats", "html,xlsx"],
        capture_output=True, text=True, cwd=installed["work"], env=env, timeout=RUN_TIMEOUT_S,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr[-3000:]
    report = example / "reports" / "2026-Q3"
    html = (report / "bao-cao-2026-Q3.html").read_text(encoding="utf-8")
    assert "PHƯỜNG HỒNG BÀNG" in html and "Traceback" not in ran.stderr
    assert (report / "phu-luc-2026-Q3.xlsx").is_file()
