"""Stage 0, core: what every stage shares, depending on no other stage.

In: the project's ward profile (``ward.yaml``). Out: paths and the current project
(``config``), the ward profile (``profile``), the error classes (``errors``), the
shared vocabularies (``vocab``: comparators, measurement units, kinds, stages), column
contracts of the processed tables (``schema``), reporting periods (``periods``),
Vietnamese number and date formats (``fmt``), text folding (``textnorm``), atomic writes
(``atomic``) and the reader of processed tables (``processed``).
"""
