"""The ``nq57`` command line. Each subcommand is a thin call into the library.

Exit codes: 0 done (a run without a PDF engine still exits 0: it writes the HTML and says
why the PDF was skipped); for ``run --projects`` (several wards), the number of wards that
failed (at most 125), else: 1 a period of ``nq57 run`` failed while running; 2 the request
was refused (any ``Nq57Error``) or the operating system refused a read or a write
(``OSError``: permission, read-only or full disk, a file where a folder is expected),
also when that refusal failed a period of ``nq57 run`` (its record is in ``_failed``); 130
interrupted by Ctrl-C (SIGINT), 143 stopped by SIGTERM: the kernel and render processes
stopped, the previous report kept, the run's work folders removed and the locks released
(:mod:`nq57lib.run.interrupts`). Each of these is one plain message on standard error,
never a traceback.
``run``, ``clean`` and ``compare`` hold the tree's lock (:mod:`nq57lib.run.lock`): a second
one on the same tree stops at once with exit code 2, naming the first.

Every command but ``init`` works on one project, a folder holding a ward profile
(``ward.yaml``): ``--project DIR`` (before or after the command), else ``$NQ57_ROOT``, else
the nearest folder holding ``ward.yaml`` from the current directory upward, else the
repository's example (:func:`nq57lib.core.config.find_project`). Path options left out
(``--plan``, ``--raw-dir`` …) take the project's paths once the project is known.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from nq57lib.core import config
from nq57lib.core.errors import Nq57Error, os_error_text
from nq57lib.core.vocab import PDF_ENGINES as ENGINES


def _catalogue(project):
    from nq57lib.plan.catalogue import build_catalogue
    from nq57lib.plan.tracked import reviewed_registry

    return build_catalogue(project.plan_path, reviewed_registry(project))


def _cmd_targets(args: argparse.Namespace) -> int:
    from nq57lib.plan.catalogue import write_targets

    catalogue = _catalogue(args.work)
    written = write_targets(catalogue, args.out)
    print(f"{len(catalogue.targets)} targets written to {written}")
    if len(catalogue.unmatched):
        print(f"warning: {len(catalogue.unmatched)} target(s) match no indicator:", file=sys.stderr)
        for row in catalogue.unmatched.itertuples():
            print(f"  line {row.source_line} ({row.reason}): {row.text}", file=sys.stderr)
    return 0


def _cmd_tasks(args: argparse.Namespace) -> int:
    from nq57lib.plan.tasks import build_task_catalogue, write_tasks

    catalogue = build_task_catalogue(args.work.plan_path)
    written = write_tasks(catalogue, args.out)
    counts = catalogue.tasks["kind"].value_counts()
    print(
        f"{len(catalogue.tasks)} tasks written to {written} "
        f"({int(counts.get('task', 0))} tasks, {int(counts.get('activity', 0))} activities, "
        f"{int(counts.get('duty', 0))} duties in {len(catalogue.groups)} groups)"
    )
    tasks = catalogue.tasks
    planned = tasks[tasks["plan_ref"] != ""]
    if len(planned):
        print(f"{len(planned)} of them with a lead unit and deadline from the plan's own table")
    unread = planned[
        (planned["deadline_text"] != "")
        & (planned["deadline"] == "")
        & (planned["recurring"] == "")
    ]
    if len(unread):
        print(f"warning: {len(unread)} deadline(s) in the plan give no day:", file=sys.stderr)
        for row in unread.itertuples():
            print(
                f"  line {row.source_line} ({row.task_id}): “{row.deadline_text}”", file=sys.stderr
            )
    return 0


def _cmd_indicators(args: argparse.Namespace) -> int:
    from nq57lib.plan.catalogue import format_series
    from nq57lib.plan.provisional import draft_entries, provisional_indicators, write_draft

    catalogue = _catalogue(args.work)
    if args.draft is None:
        print(format_series(catalogue))
        return 0
    made = provisional_indicators(catalogue.targets)
    if not made:
        print(f"Every target of {catalogue.plan_path.name} links to a reviewed indicator.")
        return 0
    if args.draft.exists():
        raise Nq57Error(f"{args.draft} already exists; nq57 does not overwrite a draft")
    written = write_draft(draft_entries(made, catalogue.targets), catalogue.plan_path, args.draft)
    print(f"{len(made)} draft indicator(s) for review written to {written}")
    return 0


def _cmd_check_plan(args: argparse.Namespace) -> int:
    from nq57lib.plan.checks import check_plan, format_findings

    findings = check_plan(_catalogue(args.work))
    print(format_findings(findings))
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    if args.narrative:
        from nq57lib.core.periods import Period
        from nq57lib.report.skeleton import write_narrative_skeleton
        from nq57lib.run.scope import data_period

        if not args.period:
            raise Nq57Error("nq57 template --narrative needs --period")
        report = Period.parse(args.period)
        data = data_period(report, args.work.raw_dir, args.as_of)
        written = write_narrative_skeleton(
            args.work,
            data.code,
            args.out,
            report_period=report.code if report != data else None,
            as_of=args.as_of,
        )
        print(written)
        return 0
    if args.assignments:
        from nq57lib.collect.task_templates import write_register_template
        from nq57lib.collect.units import project_indicators
        from nq57lib.plan.tasks import build_task_catalogue

        catalogue = build_task_catalogue(args.work.plan_path)
        _registry, units = project_indicators(args.work)
        print(write_register_template(catalogue, units, args.out))
        return 0
    if not args.period:
        raise Nq57Error("nq57 template needs --period (unit workbooks) or --assignments")
    from nq57lib.collect.template import write_templates

    written = write_templates(args.work, args.period, args.out, unit=args.unit)
    for path in written:
        print(path)
    return 0


def _locked(args: argparse.Namespace):
    """The tree's lock for ``clean`` or ``compare``, taken once the period is understood
    (a mistyped period creates nothing); what a killed run left is reported on stderr."""
    from nq57lib.core.periods import Period
    from nq57lib.run.lock import tree_lock

    period = Period.parse(args.period)
    return tree_lock(args.work.processed_dir, command=f"nq57 {args.command} {period.code}")


def _cmd_clean(args: argparse.Namespace) -> int:
    from nq57lib.collect.ingest import clean_period

    with _locked(args) as done:
        _tell(done)
        result = clean_period(args.work, args.period)
    print(result.summary_text())
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from nq57lib.assess.compare import compare_period

    with _locked(args) as done:
        _tell(done)
        result = compare_period(args.work, args.period)
    print(result.summary_text())
    return 0


def _cmd_feedback(args: argparse.Namespace) -> int:
    from nq57lib.collect.units import project_indicators
    from nq57lib.report.data import load_briefing_data
    from nq57lib.report.feedback import write_feedback

    data = load_briefing_data(args.work, args.period)
    _, units = project_indicators(args.work)
    written = write_feedback(data, [(u.code, u.name_vi) for u in units], args.out)
    _tell([f"{len(written)} tệp phản hồi cho các đơn vị ({data.period.label_vi}):",
           *(f"  {path}" for path in written)])  # fmt: skip
    return 0


def _tell(lines: list[str]) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def _cmd_init(args: argparse.Namespace) -> int:
    from nq57lib.run.project import init_project

    created = init_project(args.plan, args.folder)
    print(created.summary_text())
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    if args.projects:
        return _run_batch(args)
    from nq57lib.run.pipeline import run_pipeline

    result = run_pipeline(args.work, _run_request(args))
    print(result.summary_text())
    return result.exit_code


def _run_request(args: argparse.Namespace):
    """The one request a single run and a batch of wards build alike from the command line."""
    from nq57lib.run.request import RunRequest

    return RunRequest.make(
        args.period,
        [f.strip() for f in args.formats.split(",") if f.strip()],
        engine=args.pdf_engine,
        as_of=args.as_of,
        reuse=not args.fresh,
        render_processes=args.render_processes,
    )


def _run_batch(args: argparse.Namespace) -> int:
    from nq57lib.core.errors import ValidationError
    from nq57lib.run.batch import run_batch

    mixed = [
        option
        for option in ("--project", "--raw-dir", "--processed-dir", "--reports-dir")
        if getattr(args, option[2:].replace("-", "_"), None) is not None
    ]
    if mixed:
        raise ValidationError(
            "--projects",
            [f"{option}: each ward's folders are those of its own ward.yaml" for option in mixed],
        )
    result = run_batch(args.projects, _run_request(args))
    print(result.summary_text())
    return result.exit_code


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


# Options that replace a path of the project for this command.
_PATH_OPTIONS = ("plan", "raw_dir", "processed_dir", "reports_dir")
_PROJECT_HELP = (
    "the project folder (holding ward.yaml); default: $NQ57_ROOT, else the nearest folder "
    "holding ward.yaml from here upward"
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nq57",
        description="Track a ward's or commune's plan for Resolution 57-NQ/TW (science, "
        "technology, innovation, digital transformation): targets, tasks, progress, and "
        "the briefing. The ward is described by ward.yaml in the project folder; "
        "`nq57 init` makes one from a new ward's plan.",
    )
    parser.add_argument("--project", type=Path, metavar="DIR", help=_PROJECT_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, **kwargs) -> argparse.ArgumentParser:
        """A subcommand working on a project: it accepts --project after its name too."""
        p = sub.add_parser(name, **kwargs)
        # SUPPRESS: left out here, the value given before the command is kept.
        p.add_argument(
            "--project", type=Path, metavar="DIR", default=argparse.SUPPRESS, help=_PROJECT_HELP
        )
        return p

    def plan_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--plan", type=Path, help="plan file (.md, .txt, .docx, .pdf); default: ward.yaml's"
        )

    p = command("targets", help="write the target catalogue (.csv or .xlsx)")
    plan_option(p)
    p.add_argument("--out", type=Path, required=True, help="output file, .csv or .xlsx")
    p.set_defaults(func=_cmd_targets)

    p = command("tasks", help="write the task catalogue (.csv or .xlsx)")
    plan_option(p)
    p.add_argument("--out", type=Path, required=True, help="output file, .csv or .xlsx")
    p.set_defaults(func=_cmd_tasks)

    p = command("indicators", help="list each indicator's milestone series")
    plan_option(p)
    p.add_argument(
        "--draft",
        type=Path,
        metavar="FILE.yaml",
        help="write registry entries for the plan's provisional (new:…) indicators instead",
    )
    p.set_defaults(func=_cmd_indicators)

    p = command("check-plan", help="findings to fix when drafting the next plan")
    plan_option(p)
    p.set_defaults(func=_cmd_check_plan)

    p = command(
        "template", help="write Excel collection templates for a period, or the blank register"
    )
    p.add_argument("--period", help="e.g. 2026-Q3, 2026-10, 2026-H1, 2026")
    p.add_argument("--unit", help="only this reporting unit (code or name)")
    p.add_argument(
        "--assignments",
        action="store_true",
        help="write the blank assignment register (every task of the plan) instead",
    )
    p.add_argument(
        "--narrative",
        action="store_true",
        help="write the analyst's narrative file of --period, drafts as comments, instead",
    )
    p.add_argument("--as-of", type=_iso_date, help="with --narrative: the report's cut-off date")
    p.add_argument("--raw-dir", type=Path)
    p.add_argument("--processed-dir", type=Path)
    plan_option(p)
    p.add_argument("--out", type=Path, required=True, help="output folder (or file)")
    p.set_defaults(func=_cmd_template)

    p = command("clean", help="ingest and validate one period's unit workbooks")
    p.add_argument("--period", required=True)
    p.add_argument("--raw-dir", type=Path)
    p.add_argument("--processed-dir", type=Path)
    plan_option(p)
    p.set_defaults(func=_cmd_clean)

    p = command("compare", help="compare processed observations with the milestones")
    p.add_argument("--period", required=True)
    p.add_argument("--processed-dir", type=Path)
    plan_option(p)
    p.set_defaults(func=_cmd_compare)

    p = command("feedback", help="one workbook per unit: what to fix, what it owes, what counted")
    p.add_argument("--period", required=True, help="a cleaned and compared period, e.g. 2026-Q3")
    p.add_argument("--processed-dir", type=Path)
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.set_defaults(func=_cmd_feedback)

    p = command("run", help="clean → compare → briefing for one or more periods")
    p.add_argument("--period", required=True, nargs="+", help="one or more periods")
    p.add_argument("--raw-dir", type=Path)
    p.add_argument("--processed-dir", type=Path)
    p.add_argument("--reports-dir", type=Path)
    p.add_argument(
        "--projects",
        type=Path,
        nargs="+",
        metavar="DIR",
        help="several wards in one run: their project folders (each with its ward.yaml); "
        "one line per ward and period, a table at the end, and the exit code is the number "
        "of wards that failed",
    )
    p.add_argument("--formats", default="html,pdf,xlsx", help="comma-separated: html,pdf,xlsx")
    p.add_argument(
        "--as-of",
        type=_iso_date,
        help="cut-off date YYYY-MM-DD: a report drawn up before its period ends uses only "
        "the periods that ended by then (e.g. --period 2026 --as-of 2026-11-30)",
    )
    p.add_argument(
        "--pdf-engine",
        choices=ENGINES,
        default=ENGINES[0],
        help="weasyprint (needs the Pango library) or chromium (a system Chromium)",
    )
    p.add_argument(
        "--render-processes",
        type=int,
        default=2,
        metavar="N",
        help="processes that lay out the reports beside the kernel (default 2; 1 uses less "
        "memory; 0 renders in nq57's own process, one period after another)",
    )
    p.add_argument(
        "--fresh",
        action="store_true",
        help="clean and compare again even when nothing they read has changed since the "
        "period's last report (by default that report's work is reused)",
    )
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser(  # init makes a project: it works on none
        "init",
        help="make the working folder of a new ward or commune from its plan",
        description="Create DIR with ward.yaml (filled in from the plan's header; check it), "
        "a copy of the plan under data/raw/plan/, reporting_units.yaml to edit, and the "
        "data/raw, data/processed and reports folders. An existing ward.yaml is never "
        "overwritten.",
    )
    p.add_argument("--plan", type=Path, required=True, help="the ward's plan (Markdown text)")
    p.add_argument("folder", type=Path, metavar="DIR", help="the new project folder")
    p.set_defaults(func=_cmd_init)
    from nq57lib.rollup.command import add_parser

    add_parser(sub, _iso_date)
    return parser


def _open_project(args: argparse.Namespace):
    """The command's project (``--project``, else found), with the path options given."""
    from nq57lib.core.project import open_project

    given = {option: getattr(args, option, None) for option in _PATH_OPTIONS}
    given["plan_path"] = given.pop("plan")
    # A deleted current folder was dealt with before (_settle_cwd).
    return open_project(getattr(args, "project", None), **given)


def _never_fail_to_print() -> None:
    """A message quoting a file name whose bytes are not UTF-8 must still print: such
    characters are shown escaped rather than stopping the command with a traceback."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def _settle_cwd(args: argparse.Namespace) -> None:
    """A deleted current folder makes every relative path, and os.getcwd() itself, fail:
    with an absolute --project the command runs from there; without one it is refused."""
    try:
        os.getcwd()
        return
    except FileNotFoundError:
        pass
    project = getattr(args, "project", None)
    if project is None or not Path(project).expanduser().is_absolute():
        raise Nq57Error(config.CWD_GONE)
    os.chdir(Path(project).expanduser())


def main(argv: Sequence[str] | None = None) -> int:
    from nq57lib.run.interrupts import kill_descendants, stop_on_signals

    _never_fail_to_print()
    args = build_parser().parse_args(argv)
    with stop_on_signals(f"nq57 {args.command}") as guard:
        try:
            _settle_cwd(args)
            # `run --projects` works on each ward's project in turn, `rollup` on exports.
            if args.command not in ("init", "rollup") and not getattr(args, "projects", None):
                args.work = _open_project(args)
            return args.func(args)
        except Nq57Error as error:
            print(f"nq57 {args.command}: {error}", file=sys.stderr)
            return 2
        except OSError as error:
            print(f"nq57 {args.command}: {os_error_text(error)}", file=sys.stderr)
            return 2
        except KeyboardInterrupt as error:  # Ctrl-C or SIGTERM (run.interrupts)
            kill_descendants()  # whatever the clean-up above could not stop
            return guard.announce(error)
        except Exception as error:  # the one guard for the unforeseen: no traceback, ever
            from nq57lib.run.crash import unforeseen

            print(unforeseen(args.command, error), file=sys.stderr)
            return 2


def entry() -> None:
    """The `nq57` command: ``main`` then an immediate exit.

    Every output is written (atomically) and closed by the time ``main`` returns; what is
    left is the interpreter tearing down WeasyPrint's and pandas' objects one by one, about
    half a second after a run that nobody waits for. Tests call ``main`` and keep the
    normal shutdown.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    entry()
