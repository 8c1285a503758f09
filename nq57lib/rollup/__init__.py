"""Stage 5, rollup: the city's consolidated briefing from its wards' standard exports.

In: the exports a city receives (each ward's ``reports/<P>/du-lieu/`` folder, or a zip of
it: :mod:`nq57lib.report.export`) and, optionally, the city's roster (``city.yaml``). Out:
``bao-cao-tong-hop-<P>.html/.pdf/.xlsx`` and the stacked tidy tables, written together.
``read`` checks each export and keeps the ones it can trust (never silently dropping the
others); ``city`` reads the roster; ``tables`` makes the pure consolidated tables;
``render`` lays them out in the house style. No ward's pipeline is ever re-run.
"""
