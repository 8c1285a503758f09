"""Every nq57 error pickles with its message and its fields, so that one raised in a render
process (or any other process of a run) arrives as itself."""

from __future__ import annotations

import errno
import inspect
import pickle

import pytest

from nq57lib.core import errors

# One instance of every error nq57 defines, made with the arguments its callers give.
SAMPLES = [
    errors.Nq57Error("một lỗi"),
    errors.PlanParseError("kh.md", "file not found"),
    errors.NoTargetsError("kh.md", "no target found"),
    errors.NoTasksError("kh.md", "no tasks found"),
    errors.RegistryError("indicators.yaml", ["a", "b"]),
    errors.ProfileError("ward.yaml", ["“ward.level” sai"]),
    errors.ProfileError("ward.yaml", ["x", "y"]),
    errors.PeriodError("2026-Q9"),
    errors.InputFileError("/raw/ward.yaml", "không phải tệp thông thường", mode=0o10644),
    errors.WorkbookError("/raw/2026-Q3/a.xlsx", "không phải tệp Excel"),
    errors.ValidationError("--formats", ["docx"]),
    errors.InputMissingError("/p/2026-Q3", "chạy nq57 clean trước"),
    errors.RenderError("pdf", "hỏng"),
    errors.EngineUnavailableError("weasyprint", "cài Pango"),
    errors.ParameterError("10-clean.ipynb", unknown=["x"], missing=["period"]),
    errors.NotebookExecutionError("20-compare.ipynb", 3, "KeyError", "'a'", "/r/_failed/x.ipynb"),
    errors.SystemRefusalError(OSError(errno.ENOSPC, "No space left on device", "/r/a.csv")),
    errors.RunLockedError("/p/.nq57.lock", 42, "2026-12-06 10:00", "nq57 run 2026-Q3"),
]


def _every_error_class() -> set[type]:
    return {
        value
        for value in vars(errors).values()
        if inspect.isclass(value) and issubclass(value, errors.Nq57Error)
    }


def test_every_error_class_has_a_sample():
    assert {type(sample) for sample in SAMPLES} == _every_error_class()


@pytest.mark.parametrize("error", SAMPLES, ids=lambda e: type(e).__name__)
def test_an_error_pickles_with_its_message_and_fields(error):
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error)
    assert str(again) == str(error)
    assert vars(again) == vars(error)
    assert isinstance(again, errors.Nq57Error)
