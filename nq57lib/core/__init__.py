"""Stage 0, core: what every stage shares, depending on no other stage.

In: nothing of nq57's own. Out: paths (``config``), the error classes (``errors``), the
shared vocabularies (``vocab``: comparators, measurement units, kinds, stages), column
contracts of the processed tables (``schema``), reporting periods (``periods``),
Vietnamese number and date formats (``fmt``), text folding (``textnorm``), atomic writes
(``atomic``) and the reader of processed tables (``processed``).
"""
