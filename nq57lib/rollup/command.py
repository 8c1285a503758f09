"""The ``nq57 rollup`` subcommand: its options and its call (kept here, beside the stage it
runs, so that the command line stays a list of thin calls)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path


def add_parser(sub, iso_date) -> None:
    """Add ``rollup`` to the subparsers ``sub`` (``iso_date``: the command line's date type)."""
    p = sub.add_parser(  # the city works on its wards' exports, never on a ward's project
        "rollup",
        help="the city's consolidated briefing from its wards' exports (du-lieu folders, zips)",
        description="Read the standard exports of many wards (each a reports/<P>/du-lieu "
        "folder, its datapackage.json or a zip of it) and write the consolidated briefing "
        "(HTML, PDF, XLSX) and the stacked tables into --out. A malformed export, or one of "
        "another period, is listed with its reason, never dropped. No ward's pipeline is run.",
    )
    p.add_argument("--period", required=True, help="the period to consolidate, e.g. 2026-Q3")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument(
        "--city",
        type=Path,
        metavar="FILE",
        help="city.yaml: the letterhead and the roster of wards (who has not sent is listed)",
    )
    p.add_argument("--formats", default="html,pdf,xlsx", help="comma-separated: html,pdf,xlsx")
    p.add_argument("--as-of", type=iso_date, help="the report's date YYYY-MM-DD (default today)")
    p.add_argument("exports", type=Path, nargs="+", metavar="EXPORT", help="a ward's export")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from nq57lib.core.periods import Period
    from nq57lib.rollup.city import NO_ROSTER, load_city
    from nq57lib.rollup.write import write_rollup

    period = Period.parse(args.period).code
    city = load_city(args.city) if args.city else NO_ROSTER
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    made_on: date | None = args.as_of
    result = write_rollup(args.exports, period, args.out, city, formats=formats, made_on=made_on)
    print(result.summary_text())
    return 0
