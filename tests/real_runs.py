"""Real ``nq57 run`` processes on a copy of the example project, watched from outside.

A run is started as a user starts it (``python -m nq57lib --project DIR run …``) in a
session of its own, so that a signal to its process group is what a terminal's Ctrl-C
sends. Its standard error is read line by line, so a test signals it at a moment it
recognises (a progress line, its first child process) rather than after a guessed sleep.
Every process it starts inherits a tag in its environment: after the run has ended, any
process still holding the tag is one it left behind, whoever its parent has become.
Every wait is bounded, so that a regression fails the test instead of hanging it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from nq57lib.core import config

TAG = "NQ57_TEST_RUN_TAG"
PERIOD = "2026-Q3"


def copy_example(folder: Path) -> Path:
    """The example project in ``folder``: its profile (the shipped registry and units, as
    tests/test_batch.py points them) and its raw data."""
    text = (config.CHECKOUT_DIR / "ward.yaml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith(("  units:", "  registry:"))]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ward.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copytree(config.CHECKOUT_DIR / "data" / "raw", folder / "data" / "raw")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def tagged(tag: str) -> list[int]:
    """Live processes whose environment holds ``tag`` (a zombie's environment is empty)."""
    needle = f"{TAG}={tag}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            environ = Path(f"/proc/{entry}/environ").read_bytes()
        except OSError:
            continue
        if needle in environ.split(b"\0"):
            found.append(int(entry))
    return found


class Run:
    """One ``nq57 run`` of ``project`` in its own session, its stderr read as it comes."""

    def __init__(self, project: Path, *options: str):
        self.tag = uuid.uuid4().hex
        command = [sys.executable, "-m", "nq57lib", "--project", str(project), "run"]
        command += ["--period", PERIOD, "--formats", "html,pdf", *options]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            env={**os.environ, TAG: self.tag},
            start_new_session=True,
        )
        self.pid = self.process.pid
        self.lines: list[str] = []
        self._seen = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.stdout = ""

    def _read(self) -> None:
        for line in self.process.stderr:
            with self._seen:
                self.lines.append(line)
                self._seen.notify_all()
        with self._seen:
            self._seen.notify_all()

    def wait_for_line(self, text: str, timeout: float = 120) -> None:
        """Until a line of stderr holds ``text``; fails (after stopping the run) if none."""
        with self._seen:
            found = self._seen.wait_for(
                lambda: any(text in line for line in self.lines) or not self._reader.is_alive(),
                timeout,
            )
        if not any(text in line for line in self.lines):
            self.kill()
            raise AssertionError(f"no line {text!r} (found={found}): {''.join(self.lines)}")

    def wait_for_child(self, timeout: float = 60) -> None:
        """Until the run has started a process of its own (the kernel, a render process)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if set(tagged(self.tag)) - {self.pid}:
                return
            time.sleep(0.02)
        self.kill()
        raise AssertionError(f"the run started no process: {''.join(self.lines)}")

    def send(self, signum: int, group: bool) -> None:
        """``group``: to the whole process group, as a terminal's Ctrl-C does."""
        if group:
            os.killpg(self.pid, signum)
        else:
            os.kill(self.pid, signum)

    def finish(self, timeout: float = 300) -> tuple[int, str]:
        """Its exit code and its whole stderr, once it has ended (a hang fails the test)."""
        try:
            # Not communicate(): it would read stderr too, taking lines from the reader.
            # The summary on stdout is a few lines: the pipe never fills.
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"no exit within {timeout} s: {''.join(self.lines)}") from None
        self.stdout = self.process.stdout.read()
        self.process.stdout.close()
        self._reader.join(10)
        return self.process.returncode, "".join(self.lines)

    def leftovers(self, timeout: float = 20) -> list[int]:
        """Processes of the run still alive ``timeout`` seconds after it ended (none, when
        they all went first)."""
        deadline = time.monotonic() + timeout
        while (alive := tagged(self.tag)) and time.monotonic() < deadline:
            time.sleep(0.1)
        return alive

    def kill(self) -> None:
        """Clean-up after a failed check: nothing of the run survives the test."""
        for pid in [self.pid, *tagged(self.tag)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            pass
