"""Stage 5, run: execute the notebooks with papermill, render, keep provenance.

In: the source notebooks, ``data/raw/<P>/``. Out: ``reports/<P>/`` (executed notebooks,
HTML, PDF, the Excel appendix, ``run.json``), swapped in whole, or ``reports/_failed/<P>/``.
``pipeline`` orchestrates; ``kernel`` holds the shared Jupyter kernel; ``params`` checks the
notebooks' parameters; ``provenance`` hashes what a run read and wrote; ``project`` makes
a new ward's project folder (``nq57 init``).
"""

import sys

# `make lab` installs jupyterlab, whose jupyter-events brings rfc3987-syntax; jsonschema
# (imported by nbformat) then builds that package's IRI grammar on import: +1.4 s measured
# for every process that touches nbformat, for a format no notebook schema uses.
# jsonschema treats the package as optional, so a run declines it before nbformat loads.
sys.modules.setdefault("rfc3987_syntax", None)
