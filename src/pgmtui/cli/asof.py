"""`--as-of DATE|DATETIME`: every read command answers as the database stood then.

The command runs unchanged on a read-only copy of the database rewound to the instant
(`Store.as_of`, store/asof.py), with the clock's "today" set to the instant's date — so `rollup`,
`list`, `critical-path`, `standup`, `report`, `export`, `check` and every command another area
adds answer about the past without knowing it. A command registered with `writes=True` is refused
(exit 2): nothing can be written into the past.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from pgmtui import clock
from pgmtui.cli.base import BadInput, Command, open_store
from pgmtui.services.timetravel import AsOf, TimeTravelError, parse_as_of

if TYPE_CHECKING:
    from pgmtui.store import Store

# Commands that work on the live database whatever --as-of says (the web server starts live
# sessions: in a session, `T` looks at an earlier state).
LIVE_ONLY = {"serve": "`serve` shows the live database; press T in a session to look at an earlier state"}


def check_as_of(args: argparse.Namespace, *, writes: bool) -> AsOf:
    """Refuse what cannot be done in the past, and parse the instant (before opening anything)."""
    if writes:
        raise BadInput(
            f"`{args.command}` changes the database, and --as-of shows it as it stood: "
            "nothing can be written into the past"
        )
    if args.command in LIVE_ONLY:
        raise BadInput(f"--as-of: {LIVE_ONLY[args.command]}")
    try:
        return parse_as_of(args.as_of, clock.today())
    except TimeTravelError as exc:
        raise BadInput(str(exc)) from None


@contextlib.contextmanager
def clock_on(day: str) -> Iterator[None]:
    """The clock's today is `day` for the duration (restored after: tests run commands in-process)."""
    old = os.environ.get(clock.ENV_TODAY)
    os.environ[clock.ENV_TODAY] = day
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(clock.ENV_TODAY, None)
        else:
            os.environ[clock.ENV_TODAY] = old


def check_history(store: Store, when: AsOf) -> None:
    """Refuse a moment before the first recorded change: the database cannot say what it held."""
    start = store.history_start()
    if start is None or when.ts < start:
        begins = f"begins on {start[:10]}" if start else "is empty (no change was ever recorded)"
        raise BadInput(
            f"--as-of {when.label}: the database's history {begins}, so it cannot show that moment"
        )


def past_of(store: Store, when: AsOf) -> Store:
    """The read-only copy of `store` at `when`."""
    check_history(store, when)
    return store.as_of(when.ts)


def run_as_of(cmd: Command, path: Path, args: argparse.Namespace) -> int:
    when = check_as_of(args, writes=cmd.writes)
    with open_store(path, args, create=False) as store, past_of(store, when) as past:
        with clock_on(when.day.isoformat()):
            return cmd.run(past, args)


def dashboard_as_of(store: Store, args: argparse.Namespace) -> AsOf:
    """`pgmtui --as-of DATE`: the dashboard opens on that state (read-only; `T` returns to live)."""
    when = check_as_of(args, writes=False)
    check_history(store, when)  # here, with exit 2, rather than in the app
    return when
