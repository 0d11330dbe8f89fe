"""`pgmtui trend`: the programme's (or one project's) figures week by week."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from pgmtui import clock
from pgmtui.cli.base import EXIT_OK, BadInput, command, json_flag, print_json

if TYPE_CHECKING:
    from pgmtui.store import Store


def _weeks(text: str) -> int:
    from pgmtui.services.trend import MAX_WEEKS

    try:
        weeks = int(text)
    except ValueError:
        raise BadInput(f"--weeks needs a whole number of weeks, got {text!r}") from None
    if not 1 <= weeks <= MAX_WEEKS:
        raise BadInput(f"--weeks must be between 1 and {MAX_WEEKS}, got {weeks}")
    return weeks


def _trend_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--weeks", metavar="N", default="12", help="how many weeks, the current one included (12)")
    p.add_argument("--project", metavar="CODE", help="one project's figures instead of the programme's")
    json_flag(p)


@command(
    "trend",
    "weekly RAG, slip, CPI, SPI, risk exposure, high/critical risks and benefits realised",
    arguments=_trend_args,
)
def cmd_trend(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.services.trend import project_id_of, trend_of, trend_text

    weeks = _weeks(args.weeks)
    project_id, code = project_id_of(store, args.project) if args.project else (None, "")
    today = clock.today()
    trend = trend_of(store, today, weeks)
    programme = store.programme() or {}
    if args.json:
        data = {"programme": programme.get("name"), "today": today.isoformat(), **trend.to_json(project_id)}
        if project_id is not None:
            data["project"] = code
        print_json(data)
    else:
        print(
            trend_text(
                trend, name=str(programme.get("name") or "programme"), project_id=project_id, project=code
            )
        )
    return EXIT_OK
