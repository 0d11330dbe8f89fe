"""`pgmtui finance`: earned value from the cost plans, burn rate and run-out, per project and in total."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from pgmtui import clock
from pgmtui.cli.base import EXIT_OK, BadInput, command, json_flag, print_json

if TYPE_CHECKING:
    from pgmtui.store import Store


def _finance_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--project", metavar="CODE", help="one project: its figures and its months")
    json_flag(p)


@command(
    "finance",
    "EVM from the cost plans (BAC, PV, EV, AC, CPI, SPI, TCPI, EAC), burn rate and run-out",
    arguments=_finance_args,
)
def cmd_finance(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.services import finance_of, finance_text

    result = finance_of(store, clock.today())
    project = None
    if args.project is not None:
        project = result.project(args.project.strip())
        if project is None:
            known = ", ".join(p.code for p in result.projects) or "none"
            raise BadInput(f"--project: no project with code {args.project!r} (projects: {known})")
    if args.json:
        print_json(result.to_json(None if project is None else [project.code]))
    else:
        print(finance_text(result, project))
    return EXIT_OK
