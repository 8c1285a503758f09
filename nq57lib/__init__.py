"""nq57: tracking a ward's plan for Resolution 57-NQ/TW.

Flat modules with one job each, in the order data flows through them:

Plan → catalogue
    ``plan`` parses the plan text · ``registry`` loads the reviewed indicators
    (``data/indicators.yaml``) · ``catalogue`` links targets to indicators and exports them ·
    ``plancheck`` lists what to fix in the next plan

Unit workbooks → observations
    ``template`` writes collection workbooks · ``units`` says who reports what ·
    ``workbook`` opens files safely · ``tables`` finds the table in a sheet · ``matching``
    recognises indicator names · ``numbers`` reads Vietnamese numbers · ``readings`` turns a
    row into an observation · ``validate`` holds the named checks · ``ingest`` runs a period

Observations → status
    ``processed`` reads the processed tables · ``progress`` holds the arithmetic ·
    ``compare`` assigns statuses · ``appendix`` writes the Excel appendix · ``charts`` draws

Status → briefing
    ``briefing`` builds the report's sections · ``render`` exports HTML/PDF through nbconvert ·
    ``pipeline`` runs the notebooks with papermill

Shared: ``config`` (paths), ``errors``, ``periods``, ``schema`` (column contracts),
``atomic`` (safe writes), ``fmt`` (Vietnamese formats), ``fonts``, ``textnorm``, ``cli``.
"""

__version__ = "0.1.0"
