"""`pgmtui stakeholders`: the power/interest map by quadrant, the risk indicators, who has not been
engaged within their cadence and the comms due this week (records themselves: add/set/list/delete
stakeholder, engagement, communication)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from pgmtui import clock
from pgmtui.cli.base import EXIT_OK, command, json_flag, print_json

if TYPE_CHECKING:
    from pgmtui.store import Store


@command(
    "stakeholders",
    "stakeholder map by quadrant, risks, overdue contacts and comms due this week",
    arguments=json_flag,
)
def cmd_stakeholders(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.services import stakeholder_overview, stakeholder_overview_text

    data = stakeholder_overview(store, clock.today())
    if args.json:
        print_json(data)
    else:
        print(stakeholder_overview_text(data))
    return EXIT_OK
