"""Command line: parses arguments, opens the store, runs the command. No business rules here.

Exit codes: 0 ok, 1 unexpected failure, 2 bad input (one line `pgmtui: error: …` on stderr).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from pgmtui import __version__, clock
from pgmtui.cli.base import (
    COMMANDS,
    EXIT_BAD_INPUT,
    EXIT_FAILURE,
    EXIT_OK,
    BadInput,
    Parser,
    data_dir,
    one_line,
    open_store,
    resolve_db_path,
)
from pgmtui.outfiles import OutputError
from pgmtui.records import KINDS, StoreError


def build_parser() -> argparse.ArgumentParser:
    kinds = ", ".join(KINDS)
    parser = Parser(
        prog="pgmtui",
        description="Keyboard-driven terminal dashboard for IT programme managers. "
        "With no subcommand, opens the dashboard.",
        epilog=f"KIND is one of: {kinds}. Database: --db, else $PGMTUI_DB, else {data_dir() / 'pgmtui.db'}. "
        "Exit codes: 0 ok, 1 unexpected failure, 2 bad input.",
    )
    parser.add_argument(
        "--db", metavar="PATH", help="database file (default: $PGMTUI_DB or the user data dir)"
    )
    parser.add_argument("--today", metavar="YYYY-MM-DD", help="fix today's date (also $PGMTUI_TODAY)")
    parser.add_argument("--demo", action="store_true", help="open the demo programme (created on first use)")
    parser.add_argument(
        "--shared", action="store_true", help="create new database files group-writable (0660)"
    )
    parser.add_argument(
        "--read-only",
        dest="read_only_db",
        action="store_true",
        help="open the database read-only: the dashboard refuses every change, commands that write are refused",
    )
    parser.add_argument(
        "--as-of",
        metavar="DATE|DATETIME",
        help="answer as the database stood then (a date: the end of that day; a time is local unless "
        "a zone is given, e.g. 2026-11-20T17:00 or 2026-11-20T17:00Z); commands that write are refused",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.add_argument("--version", action="version", version=f"pgmtui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    p = sub.add_parser("demo", help="write the demo programme into the database")
    p.add_argument("--size", choices=("small", "large"), default="small")
    p.add_argument("--scale", type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument("--force", action="store_true", help="replace whatever the database holds")

    for cmd in COMMANDS.values():
        cmd.arguments(sub.add_parser(cmd.name, help=cmd.help))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    debug = "--debug" in argv
    try:
        _check_arguments_are_text(argv)
        return run(argv)
    except (BadInput, StoreError, clock.ClockError, OutputError) as exc:
        if debug:
            traceback.print_exc()
        print(f"pgmtui: error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `pgmtui list risk | head`
        return EXIT_OK
    except Exception as exc:
        if debug:
            traceback.print_exc()
        print(
            f"pgmtui: error: unexpected failure: {type(exc).__name__}: {one_line(str(exc))} "
            "(run with --debug for details)",
            file=sys.stderr,
        )
        return EXIT_FAILURE


def _check_arguments_are_text(argv: list[str]) -> None:
    """Bytes that are not UTF-8 arrive as lone surrogates (Python's surrogateescape): refuse them
    up front rather than fail later when they are printed or stored."""
    for n, arg in enumerate(argv, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError as exc:
            bad = arg[exc.start].encode("utf-8", "surrogateescape")
            raise BadInput(
                f"argument {n} is not valid UTF-8 text (byte 0x{bad.hex()} at position {exc.start})"
            ) from None


def run(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.today:
        os.environ[clock.ENV_TODAY] = args.today
    clock.today()  # validate the clock before touching anything
    writes = args.command == "demo" or (args.command is not None and COMMANDS[args.command].writes)
    if args.as_of is not None:
        from pgmtui.cli.asof import check_as_of

        check_as_of(args, writes=writes)
    if args.command is None:
        return open_dashboard(args)
    if args.read_only_db and writes:
        raise BadInput(f"`{args.command}` changes the database, and --read-only was given")
    if args.command == "demo":
        return cmd_demo(args)
    cmd = COMMANDS[args.command]
    path = resolve_db_path(args)
    if args.as_of is not None:
        from pgmtui.cli.asof import run_as_of

        return run_as_of(cmd, path, args)
    if args.command == "import" and not os.path.lexists(path):
        from pgmtui.cli.exchange import import_into_new_database

        return import_into_new_database(path, args)
    with open_store(path, args, create=cmd.creates) as store:
        return cmd.run(store, args)


def ensure_demo(path: Path, args: argparse.Namespace, size: str = "small") -> None:
    """`pgmtui --demo`: build the demo programme on first use."""
    from pgmtui.demo import build_demo
    from pgmtui.store import Store

    with Store.open(path, shared=args.shared) as store:
        if store.programme() is None:
            build_demo(store, clock.today(), size=size)


def open_dashboard(args: argparse.Namespace) -> int:
    path = resolve_db_path(args)
    read_only = args.read_only_db
    if args.demo and not read_only:
        ensure_demo(path, args)
    store = open_store(path, args, create=not read_only)
    as_of = None
    if args.as_of is not None:
        from pgmtui.cli.asof import dashboard_as_of

        as_of = dashboard_as_of(store, args)
    store.close()  # the app opens its own connection on its worker
    from pgmtui.app import PgmApp

    PgmApp(db_path=path, shared=args.shared, read_only=read_only, as_of=as_of, first_paint=True).run()
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from pgmtui.demo import build_demo

    path = resolve_db_path(args)
    with open_store(path, args, create=True) as store:
        if store.programme() is not None or store.count("project"):
            if not args.force:
                raise BadInput(f"{path} already holds a programme; use `demo --force` to replace it")
            store.reset()
        counts = build_demo(store, clock.today(), size=args.size, scale=max(1, args.scale))
    summary = ", ".join(f"{n} {k}" for k, n in counts.items())
    print(f"demo programme ({args.size}) written to {path}: {summary}")
    return EXIT_OK
