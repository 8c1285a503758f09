"""Stage 4, report: the assessment becomes the Vietnamese briefing a chairman signs.

In: the processed tables of period P (stages 2 and 3). Out: the briefing's sections as
HTML blocks for ``notebooks/30-briefing.ipynb`` (``briefing``), built from pure tables
(``tables``), HTML helpers (``html``) and charts (``charts``); the rendered HTML and A4 PDF
through nbconvert's template mechanism (``render`` and ``templates/nq57``). ``data`` is the
stage's only reader of files; ``fonts`` registers the bundled Vietnamese-complete fonts.
"""
