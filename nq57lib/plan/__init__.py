"""Stage 1, plan: the ward's plan text becomes a target catalogue.

In: the plan file (``data/raw/plan/*.md``) and the reviewed indicator registry
(``nq57lib/data/indicators.yaml``). Out: the target catalogue (``catalogue``: every target
linked to an indicator, with CSV/XLSX exports) and findings for the next plan's drafters
(``checks``). ``parser`` reads the text; ``registry`` loads the indicators.
"""
