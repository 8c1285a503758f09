"""nq57: tracking a ward's plan for Resolution 57-NQ/TW.

One subpackage per stage; each imports only from the stages before it:

``core`` ← ``plan`` ← ``collect`` ← ``assess`` ← ``report`` ← ``run`` (← ``cli``)

- ``core``: paths and the project, the ward profile (``ward.yaml``), errors, vocabularies,
  periods, formats, atomic writes.
- ``plan``: plan text → target catalogue (parser, registry, catalogue, plan checks).
- ``collect``: unit workbooks → observations, quarantine, quality (templates, cleaning).
- ``assess``: observations × milestones → statuses, history, Excel appendix.
- ``report``: statuses → briefing sections, charts, HTML and PDF.
- ``run``: papermill runs the notebooks, renders, keeps provenance; ``nq57 init``.

``docs/architecture.md`` says what each stage reads and writes and where to add things.
"""

__version__ = "0.1.0"
