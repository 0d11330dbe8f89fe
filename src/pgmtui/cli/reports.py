"""Commands that read the programme and report on it: rollup, critical-path, standup, report."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pgmtui import clock
from pgmtui.cli.base import EXIT_OK, BadInput, command, json_flag, print_json, since_arg
from pgmtui.outfiles import write_file

if TYPE_CHECKING:
    from pgmtui.store import Store


@command("rollup", "programme and project rollups (RAG, EVM, risks, benefits)", arguments=json_flag)
def cmd_rollup(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.services import rollup_of, rollup_text, rollup_with_implied

    if args.json:  # with each project's implied forecast (an added key)
        print_json(rollup_with_implied(store, clock.today()))
    else:
        print(rollup_text(rollup_of(store, clock.today())))
    return EXIT_OK


@command("critical-path", "the programme critical path and float", arguments=json_flag)
def cmd_critical_path(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.services import critical_path_json, critical_path_text

    data = critical_path_json(store)
    if args.json:
        print_json(data)
    else:
        print(critical_path_text(data))
    return EXIT_OK


def _standup_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--since",
        metavar="YYYY-MM-DD",
        help="changes since 00:00 UTC of this date (default: previous working day)",
    )
    json_flag(p)


@command(
    "standup",
    "what changed since the last working day, and what needs attention",
    arguments=_standup_args,
)
def cmd_standup(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.services import standup_of

    result = standup_of(store, clock.today(), since_arg(args.since))
    if args.json:
        print_json(result.to_json())
    else:
        # Wrapped to the terminal (80 columns when not a terminal), continuation lines under the text.
        print(result.to_text(width=shutil.get_terminal_size((80, 24)).columns))
    return EXIT_OK


def _report_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("md", "html", "json"), default="md")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="period start (default: 7 days ago)")
    p.add_argument(
        "--kind",
        choices=("highlight", "exception"),
        default="highlight",
        help="highlight (the programme, default) or exception (one project beyond tolerance)",
    )
    p.add_argument("--project", metavar="CODE", help="the project of an exception report")


@command(
    "report", "PRINCE2-style highlight or exception report (stdout, or --out FILE)", arguments=_report_args
)
def cmd_report(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.report import render
    from pgmtui.services import report_of

    if args.kind == "exception":
        from pgmtui.cli.governance import exception_report

        return exception_report(store, args)
    if args.project:
        raise BadInput("--project is for an exception report (add --kind exception)")
    text = render(report_of(store, clock.today(), since_arg(args.since)), args.format)
    write_output(text, args, f"highlight report ({args.format})")
    return EXIT_OK


def write_output(text: str, args: argparse.Namespace, what: str) -> None:
    """To `--out FILE` (safely: temp file, then rename; private unless --shared) or stdout."""
    if args.out:
        out = write_file(Path(args.out).expanduser(), text, shared=args.shared)
        print(f"{what} written to {out}")
    else:
        sys.stdout.write(text)
