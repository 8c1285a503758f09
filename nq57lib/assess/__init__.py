"""Stage 3, assess: observations are compared with the plan's milestones.

In: the target catalogue (stage 1) and the processed observations of every period up to P
(stage 2). Out: ``data/processed/<P>/status.csv``, ``status_history.csv`` and the Excel
appendix ``status.xlsx`` (``compare``). ``statuses`` owns the status vocabulary (codes,
labels, urgency, colours); ``progress`` the arithmetic; ``observations`` revisions and flow
totals; ``milestones`` a plan's milestones per indicator; ``rules`` the status rules;
``status`` the pure :func:`assess` and the history; ``appendix`` the workbook.
"""
