"""The notebooks a run executes and the parameters each must declare, checked before it runs."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

from nq57lib.core.errors import ParameterError, ValidationError
from nq57lib.run.kernel import quiet

STEPS = ("10-clean", "20-compare", "30-briefing")

# Exactly what each notebook's parameters cell must declare.
STEP_PARAMETERS = {
    "10-clean": ("project", "period", "raw_dir", "processed_dir"),
    "20-compare": ("project", "period", "processed_dir", "draw_charts"),
    "30-briefing": (
        "project",
        "period",
        "processed_dir",
        "illustrative",
        "report_period",
        "as_of",
        "raw_dir",
        "issuer",
    ),
}
# The steering committee's report (ward.yaml's steering): 30-briefing again, as "bcd".
STEERING_STEP = "30-briefing-bcd"


def notebook_parameters(path: Path) -> dict[str, dict]:
    """Parameters declared in the notebook's ``parameters`` cell, as papermill sees them.

    Papermill's line parser skips a line holding a second ``=`` (say, in the help comment)
    although it injects values into such a notebook just fine; names it missed are
    recovered from the cell's Python syntax so that validation matches what really runs.
    """
    import nbformat
    import papermill

    try:
        with quiet("papermill"):
            found = dict(papermill.inspect_notebook(str(path)))
    except ValueError as error:  # e.g. no kernel named in the notebook's metadata
        raise ValidationError(path.name, [str(error)]) from None
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" not in cell.metadata.get("tags", []):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError as error:
            raise ParameterError(f"{path.name} (parameters cell: {error.msg})") from None
        for node in tree.body:
            targets = (
                node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            )
            for target in targets:
                if isinstance(target, ast.Name) and target.id not in found:
                    found[target.id] = {"name": target.id, "inferred_type_name": "None"}
    return found


def check_parameters(path: Path, parameters: Iterable[str]) -> None:
    """Raise :class:`ParameterError` unless ``parameters`` are exactly the declared ones."""
    declared = set(notebook_parameters(path))
    given = set(parameters)
    unknown, missing = sorted(given - declared), sorted(declared - given)
    if unknown or missing:
        raise ParameterError(path.name, unknown=unknown, missing=missing)


def source_cell_index(executed: Path, failed_index: int) -> int:
    """Index of the failing cell in the source notebook.

    Papermill counts its own injected-parameters cell in ``failed_index``, then writes the
    executed notebook with two error-banner cells added; neither exists in the source.
    """
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    cells = [c for c in nb.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
    injected = sum(
        "injected-parameters" in c.metadata.get("tags", []) for c in cells[:failed_index]
    )
    return failed_index - injected
