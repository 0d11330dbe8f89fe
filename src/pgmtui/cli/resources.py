"""People and capacity: `pgmtui capacity` (the person × week load grid, as text or JSON)."""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING

from pgmtui import clock
from pgmtui.cli.base import EXIT_OK, BadInput, command, date_arg, json_flag, print_json

if TYPE_CHECKING:
    from pgmtui.store import Store


def _capacity_args(p: argparse.ArgumentParser) -> None:
    from pgmtui.services.resources import CAPACITY_WEEKS

    p.add_argument(
        "--from",
        dest="start",
        metavar="YYYY-MM-DD",
        help="the first week (any day of it: it starts on its Monday); default this week",
    )
    p.add_argument(
        "--weeks", metavar="N", default=str(CAPACITY_WEEKS), help=f"weeks shown (default {CAPACITY_WEEKS})"
    )
    p.add_argument(
        "--by",
        choices=("person", "role", "team"),
        default="person",
        help="one row per person (default), or summed per role or team",
    )
    json_flag(p)


def weeks_arg(value: str) -> int:
    """--weeks: a whole number of weeks, 1 to MAX_WEEKS."""
    from pgmtui.services.resources import MAX_WEEKS

    text = value.strip()
    if not re.fullmatch(r"[0-9]{1,4}", text) or not 1 <= int(text) <= MAX_WEEKS:
        raise BadInput(f"--weeks must be a whole number from 1 to {MAX_WEEKS}, got {value!r}")
    return int(text)


@command(
    "capacity",
    "people's weekly load (% of a full-time week) and who is over-allocated",
    arguments=_capacity_args,
)
def cmd_capacity(store: Store, args: argparse.Namespace) -> int:
    import pendulum

    from pgmtui.services.resources import capacity_of, capacity_text

    weeks = weeks_arg(args.weeks)
    start = date_arg(args.start, "--from")
    first = pendulum.Date.fromisoformat(start) if start else clock.today()
    data = capacity_of(store, first, weeks, args.by)
    if args.json:
        print_json(data)
    else:
        print(capacity_text(data))
    return EXIT_OK
