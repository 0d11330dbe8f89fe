"""Command line: parses arguments, opens the store, prints results. No business rules here.

Exit codes: 0 ok, 1 unexpected failure, 2 bad input (one line `pgmtui: error: …` on stderr).
"""

from __future__ import annotations

import argparse
import errno
import os
import secrets
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from pgmtui import __version__, clock, jsonout
from pgmtui.outfiles import OutputError, describe_os_error, write_file
from pgmtui.safetext import visible_controls
from pgmtui.store import KINDS, Store, StoreError

if TYPE_CHECKING:
    from pgmtui.exchange import ImportResult

ENV_DB = "PGMTUI_DB"
EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


class BadInput(Exception):
    """Anything the user can fix: printed as one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse prints usage + message; we want one line
        raise BadInput(f"{message} (see `pgmtui --help`)")


def data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("pgmtui", appauthor=False))


def resolve_db_path(args: argparse.Namespace) -> Path:
    if args.db is not None:
        if not args.db.strip():
            raise BadInput("--db needs a file path (got an empty one)")
        return Path(args.db).expanduser()
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB]).expanduser()
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / ("demo.db" if getattr(args, "demo", False) else "pgmtui.db")


def build_parser() -> argparse.ArgumentParser:
    kinds = ", ".join(KINDS)
    parser = _Parser(
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
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.add_argument("--version", action="version", version=f"pgmtui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("demo", help="write the demo programme into the database")
    p.add_argument("--size", choices=("small", "large"), default="small")
    p.add_argument("--scale", type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument("--force", action="store_true", help="replace whatever the database holds")

    p = sub.add_parser("add", help="add a record; prints its id")
    p.add_argument("kind", metavar="KIND")
    p.add_argument("fields", nargs="*", metavar="FIELD=VALUE")

    p = sub.add_parser(
        "set", help="change fields of a record (REF: its id or id:N, a project code or code:X)"
    )
    p.add_argument("kind", metavar="KIND")
    p.add_argument("ref", metavar="REF")
    p.add_argument("fields", nargs="+", metavar="FIELD=VALUE")
    p.add_argument(
        "--expect-version", type=int, metavar="N", help="refuse if the record is no longer version N"
    )

    p = sub.add_parser("delete", help="delete a record (and what hangs off it); REF as for set")
    p.add_argument("kind", metavar="KIND")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--expect-version", type=int, metavar="N")

    p = sub.add_parser("list", help="list records")
    p.add_argument("kind", metavar="KIND")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("rollup", help="programme and project rollups (RAG, EVM, risks, benefits)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("critical-path", help="the programme critical path and float")
    p.add_argument("--json", action="store_true")

    sub.add_parser("check", help="integrity and validation of the whole database")

    p = sub.add_parser("standup", help="what changed since the last working day, and what needs attention")
    p.add_argument(
        "--since",
        metavar="YYYY-MM-DD",
        help="changes since 00:00 UTC of this date (default: previous working day)",
    )
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("report", help="PRINCE2-style highlight report (stdout, or --out FILE)")
    p.add_argument("--format", choices=("md", "html", "json"), default="md")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="period start (default: 7 days ago)")

    p = sub.add_parser("export", help="write every table to DIR (CSV files) or one JSON document")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--format", choices=("csv", "json"), default="csv")

    p = sub.add_parser("import", help="read an export (folder or .json), a table CSV or a risk spreadsheet")
    p.add_argument("path", metavar="PATH")
    return parser


def parse_assignments(items: list[str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise BadInput(f"expected FIELD=VALUE, got {item!r}")
        name = name.strip()
        if name in fields:
            raise BadInput(f"field {name!r} given twice")
        fields[name] = value
    return fields


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    debug = "--debug" in argv
    try:
        _check_arguments_are_text(argv)
        return run(argv)
    except (BadInput, StoreError, clock.ClockError, OutputError) as exc:
        if debug:
            traceback.print_exc()
        print(f"pgmtui: error: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `pgmtui list risk | head`
        return EXIT_OK
    except Exception as exc:
        if debug:
            traceback.print_exc()
        print(
            f"pgmtui: error: unexpected failure: {type(exc).__name__}: {_one_line(str(exc))} "
            "(run with --debug for details)",
            file=sys.stderr,
        )
        return EXIT_FAILURE


def _one_line(text: str) -> str:
    """A message on one line, with any control character from data or arguments made visible."""
    return visible_controls(" ".join(text.split()))


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
    if args.command is None:
        return open_dashboard(args)
    if args.command == "demo":
        return cmd_demo(args)
    path = resolve_db_path(args)
    if args.command == "import" and not os.path.lexists(path):
        return import_into_new_database(path, args)
    with open_store(path, args, create=args.command in ("add", "import")) as store:
        return COMMANDS[args.command](store, args)


def open_store(path: Path, args: argparse.Namespace, *, create: bool) -> Store:
    if not create and not path.exists() and not path.is_symlink():  # a dangling link: the store says so
        raise BadInput(f"{path} does not exist (create it with `pgmtui --db {path} demo` or `add programme`)")
    store = Store.open(path, create=create, shared=args.shared)
    for warning in store.warnings:
        print(f"pgmtui: {_one_line(warning)}", file=sys.stderr)
    return store


def ensure_demo(path: Path, args: argparse.Namespace, size: str = "small") -> None:
    """`pgmtui --demo`: build the demo programme on first use."""
    from pgmtui.demo import build_demo

    with Store.open(path, shared=args.shared) as store:
        if store.programme() is None:
            build_demo(store, clock.today(), size=size)


def open_dashboard(args: argparse.Namespace) -> int:
    path = resolve_db_path(args)
    if args.demo:
        ensure_demo(path, args)
    store = open_store(path, args, create=True)
    store.close()  # the app opens its own connection on its worker
    from pgmtui.app import PgmApp

    PgmApp(db_path=path, shared=args.shared).run()
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


def _kind(name: str) -> str:
    if name not in KINDS:
        raise BadInput(f"unknown kind {name!r} (one of: {', '.join(KINDS)})")
    return name


def cmd_add(store: Store, args: argparse.Namespace) -> int:
    row_id = store.insert(_kind(args.kind), parse_assignments(args.fields))
    print(row_id)
    return EXIT_OK


def cmd_set(store: Store, args: argparse.Namespace) -> int:
    fields = parse_assignments(args.fields)
    if "version" in fields:  # `set … version=3` reads naturally; treat it as --expect-version
        try:
            expected = int(fields.pop("version"))
        except ValueError:
            raise BadInput("version must be a whole number") from None
        if args.expect_version is not None and args.expect_version != expected:
            raise BadInput("version= and --expect-version disagree")
        args.expect_version = expected
    if not fields:
        raise BadInput("nothing to change: give at least one FIELD=VALUE")
    row = store.update(_kind(args.kind), args.ref, fields, expected_version=args.expect_version)
    print(f"{args.kind} {row['id']} version {row['version']}")
    return EXIT_OK


def cmd_delete(store: Store, args: argparse.Namespace) -> int:
    store.delete(_kind(args.kind), args.ref, expected_version=args.expect_version)
    print(f"{args.kind} {args.ref} deleted")
    return EXIT_OK


def cmd_list(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.services import list_rows

    kind = _kind(args.kind)
    rows = list_rows(store, kind)
    if args.json:
        print(jsonout.dumps(rows))
        return EXIT_OK
    _print_table(kind, rows)
    return EXIT_OK


def _print_table(kind: str, rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from pgmtui.services import summary_columns, visible_controls

    columns = summary_columns(kind)
    table = Table(box=None, pad_edge=False, show_edge=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    for row in rows:
        # Text, not markup: record text is data (a title like "[bold]x[/]" must print as typed).
        table.add_row(
            *(Text(visible_controls("" if row.get(c) is None else str(row.get(c)))) for c in columns)
        )
    Console(highlight=False, soft_wrap=False).print(table)
    print(f"{len(rows)} {kind} record(s)")


def cmd_rollup(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.services import rollup_of, rollup_text

    result = rollup_of(store, clock.today())
    if args.json:
        print(jsonout.dumps(result.to_json()))
    else:
        print(rollup_text(result))
    return EXIT_OK


def cmd_critical_path(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.services import critical_path_json, critical_path_text

    data = critical_path_json(store)
    if args.json:
        print(jsonout.dumps(data))
    else:
        print(critical_path_text(data))
    return EXIT_OK


def cmd_check(store: Store, args: argparse.Namespace) -> int:
    problems = store.integrity_problems()
    if not problems:
        print(f"{store.path}: ok (schema {store.schema_version()})")
        return EXIT_OK
    for problem in problems:
        print(_one_line(problem))  # problems quote stored text: shown, never obeyed
    raise BadInput(f"{len(problems)} problem(s) found in {store.path}")


def _since_arg(value: str | None):
    """--since DATE → 00:00 UTC of that date (None when not given)."""
    if not value:
        return None
    import pendulum

    from pgmtui.store.fields import parse_date

    try:
        day = parse_date(value, "--since")
    except StoreError as exc:
        raise BadInput(str(exc)) from None
    if day > clock.today().isoformat():
        raise BadInput(f"--since {day} is after today ({clock.today().isoformat()})")
    return pendulum.parse(day, tz="UTC")


def cmd_standup(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.services import standup_of

    result = standup_of(store, clock.today(), _since_arg(args.since))
    if args.json:
        print(jsonout.dumps(result.to_json()))
    else:
        print(result.to_text())
    return EXIT_OK


def cmd_report(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.report import render
    from pgmtui.services import report_of

    since = _since_arg(args.since)
    text = render(report_of(store, clock.today(), since), args.format)
    if args.out:
        out = write_file(Path(args.out).expanduser(), text, shared=args.shared)
        print(f"highlight report ({args.format}) written to {out}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_export(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.exchange import export

    target = Path(args.dir).expanduser()
    if target.exists() and not target.is_dir() and args.format == "csv":
        raise BadInput(f"{target} is a file; export --format csv writes a folder")
    if not target.parent.is_dir():
        raise BadInput(f"folder {target.parent} does not exist")
    try:
        files = export(store, target, args.format, shared=args.shared)
    except OSError as exc:
        raise BadInput(f"cannot write to {target}: {describe_os_error(exc)}") from None
    print(f"exported {len(files)} file(s) to {files[0].parent if args.format == 'csv' else files[0]}")
    return EXIT_OK


def cmd_import(store: Store, args: argparse.Namespace) -> int:
    _print_import(_run_import(store, args))
    return EXIT_OK


def _run_import(store: Store, args: argparse.Namespace) -> ImportResult:
    from pgmtui.exchange import ImportFailed, import_path

    try:
        return import_path(store, Path(args.path).expanduser())
    except ImportFailed as exc:
        for problem in exc.problems:
            print(_one_line(problem), file=sys.stderr)
        raise BadInput(
            f"import refused, nothing written: {len(exc.problems)} problem(s) listed above"
        ) from None
    except OSError as exc:
        raise BadInput(f"cannot read {args.path}: {describe_os_error(exc)}") from None


def _print_import(result: ImportResult) -> None:
    for note in result.notes:
        print(f"note: {_one_line(note)}")  # notes quote file text (headers): shown, never obeyed
    print(result.summary())


def import_into_new_database(path: Path, args: argparse.Namespace) -> int:
    """`import` into a database that does not exist yet.

    The database is built under a temporary name next to `path` and put in place (a hard link,
    which never replaces an existing file) only once the whole import has succeeded. A failed
    import removes its own temporary file and nothing else: if another process created `path`
    meanwhile and wrote to it, that file and its writes are left alone."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise BadInput(f"folder {folder} does not exist (create it first)")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BadInput(f"cannot create {path}: folder {folder} is not writable")
    tmp = folder / f".{path.name}.import-{os.getpid()}-{secrets.token_hex(4)}.tmp"
    try:
        with Store.open(tmp, create=True, new=True, shared=args.shared) as store:
            for warning in store.warnings:
                print(f"pgmtui: {_one_line(warning)}", file=sys.stderr)
            result = _run_import(store, args)
            store.seal()  # everything in the one file (no -wal) before it gets its real name
        _publish_new_database(tmp, path)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)  # our temporary name only
    _print_import(result)
    return EXIT_OK


def _publish_new_database(tmp: Path, path: Path) -> None:
    taken = BadInput(
        f"{path} was created by another process while the import ran; nothing was imported "
        "(run the import again to add to that database)"
    )
    try:
        os.link(tmp, path)  # fails if path exists: never replaces anyone's file
    except FileExistsError:
        raise taken from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
            raise BadInput(f"cannot create {path}: {describe_os_error(exc)}") from None
        # A filesystem without hard links: check, then rename (a narrow window, but never a delete).
        if os.path.lexists(path):
            raise taken from None
        os.rename(tmp, path)


COMMANDS = {
    "add": cmd_add,
    "set": cmd_set,
    "delete": cmd_delete,
    "list": cmd_list,
    "rollup": cmd_rollup,
    "critical-path": cmd_critical_path,
    "check": cmd_check,
    "standup": cmd_standup,
    "report": cmd_report,
    "export": cmd_export,
    "import": cmd_import,
}
