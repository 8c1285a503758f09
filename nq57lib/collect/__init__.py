"""Stage 2, collect: each period's unit workbooks become checked observations.

In: ``data/raw/<P>/*.xlsx`` (never written) and ``reporting_units.yaml``. Out:
``data/processed/<P>/observations.csv`` (every value with its file, sheet and cell),
``quarantine.csv`` (every rejected row and why), ``quality.csv`` and ``submissions.csv``,
written by ``ingest``; and the blank collection workbooks (``template``). ``workbook``
opens files safely, ``tables`` finds the table in a sheet, ``matching`` recognises
indicator names, ``numbers`` reads Vietnamese numbers, ``readings`` turns a row into a
candidate, ``checks`` holds the named validation checks, ``units`` says who reports what.
"""
