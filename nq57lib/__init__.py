"""nq57: tracking a ward's plan for Resolution 57-NQ/TW.

Flat modules with one job each:

- ``plan``        parses the plan text into a target catalogue
- ``registry``    the reviewed indicator registry (``data/indicators.yaml``)
- ``catalogue``   links targets to indicators; exports CSV / Excel
- ``plancheck``   findings for whoever drafts the next plan
- ``periods``     reporting periods (``2026-Q3`` …) and Vietnamese labels
- ``ingest``      reads unit workbooks; ``validate`` holds the named checks
- ``compare``     progress against milestones; ``charts`` draws it
- ``render``      nbconvert exporters (HTML, PDF); ``pipeline`` runs the notebooks
"""

__version__ = "0.1.0"
