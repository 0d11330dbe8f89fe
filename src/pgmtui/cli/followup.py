"""Follow-through commands: `review` (the post-programme review), `actions` (what is due, mine or
everyone's) and `undo` (revert your last changes)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from pgmtui import clock
from pgmtui.cli.base import EXIT_OK, BadInput, command, json_flag, one_line, print_json
from pgmtui.cli.reports import write_output

if TYPE_CHECKING:
    from pgmtui.store import Store


def _review_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("md", "html", "json"), default="md")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")


@command(
    "review",
    "post-programme review: per project end and cost against plan, benefits, change, lessons and "
    "lesson candidates from the audit trail",
    arguments=_review_args,
)
def cmd_review(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.reviewdoc import render
    from pgmtui.services import review_of

    text = render(review_of(store, clock.today()), args.format)
    write_output(text, args, f"post-programme review ({args.format})")
    return EXIT_OK


def _actions_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--mine", action="store_true", help="only yours (your OS user as a person of the directory)"
    )
    p.add_argument("--all", dest="everything", action="store_true", help="done and cancelled ones too")
    json_flag(p)


@command("actions", "open actions, the most overdue first (--mine: yours)", arguments=_actions_args)
def cmd_actions(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.services import action_listing

    me, rows = action_listing(store, clock.today(), mine=args.mine, everything=args.everything)
    if args.json:
        print_json({"me": {"user": me.user, "person": me.person}, "actions": rows})
        return EXIT_OK
    if not rows:
        whose = f" for {me.label}" if args.mine else ""
        print(f"No {'' if args.everything else 'open '}actions{whose}.")
        return EXIT_OK
    for r in rows:
        state = {"overdue": f"{r['days']} d OVERDUE", "today": "due today"}.get(r["state"], r["state"])
        if r["state"] == "due":
            state = f"due {r['due_date']}"
        about = f"  [{one_line(r['about'])}]" if r["about"] else ""
        owner = one_line(r["owner"] or "–")
        print(f"#{r['id']:<4} {state:<16} {owner:<18} {one_line(r['title'] or '')}{about}")
    return EXIT_OK


def _undo_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--last", type=int, default=1, metavar="N", help="how many of your changes (default 1)")
    p.add_argument("--dry-run", action="store_true", help="say what would be undone; change nothing")
    json_flag(p)


@command(
    "undo",
    "revert your last change(s), each as a new audited change (--last N, --dry-run)",
    writes=True,
    arguments=_undo_args,
)
def cmd_undo(store: Store, args: argparse.Namespace) -> int:
    if args.last < 1:
        raise BadInput(f"--last must be at least 1, got {args.last}")
    steps = store.undo(last=args.last, dry_run=args.dry_run)
    if args.json:
        print_json({"user": store.user, "dry_run": args.dry_run, "undone": [s.to_json() for s in steps]})
        return EXIT_OK
    if not steps:
        print(f"Nothing to undo: no changes by {store.user} that are not undone already.")
        return EXIT_OK
    verb = "would undo" if args.dry_run else "undone"
    for step in steps:
        text = step.text()
        print(one_line(text.replace(" undone: ", " — would: ", 1) if args.dry_run else text))
    if len(steps) < args.last:
        print(f"(only {len(steps)} change{'s' if len(steps) != 1 else ''} of {store.user} to undo)")
    if args.dry_run:
        print(f"dry run: nothing changed ({len(steps)} change{'s' if len(steps) != 1 else ''} {verb})")
    return EXIT_OK
