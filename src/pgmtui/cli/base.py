"""What every CLI command shares: the command registry, bad-input errors, the database path, and
small argument parsers. Commands live in the modules beside this one, one module per area; each
registers itself with `@command(...)`, so adding a command never edits the parser by hand."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from pgmtui import clock
from pgmtui.records import StoreError
from pgmtui.safetext import visible_controls

if TYPE_CHECKING:
    import pendulum

    from pgmtui.store import Store

ENV_DB = "PGMTUI_DB"
EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


class BadInput(Exception):
    """Anything the user can fix: printed as one line, exit 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse prints usage + message; we want one line
        raise BadInput(f"{message} (see `pgmtui --help`)")


@dataclass(frozen=True)
class Command:
    """A subcommand: its name and help, how it adds its arguments, and what it runs.

    writes: it changes the database (refused where only reading is allowed, e.g. `--as-of`).
    creates: it may create the database file when it does not exist (`add`, `import`).
    """

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[Store, argparse.Namespace], int]
    writes: bool = False
    creates: bool = False


COMMANDS: dict[str, Command] = {}


def command(
    name: str,
    help: str,
    *,
    writes: bool = False,
    creates: bool = False,
    arguments: Callable[[argparse.ArgumentParser], None] | None = None,
) -> Callable[[Callable[[Store, argparse.Namespace], int]], Callable[[Store, argparse.Namespace], int]]:
    """Register `run(store, args) -> exit code` as `pgmtui NAME`."""

    def register(
        run: Callable[[Store, argparse.Namespace], int],
    ) -> Callable[[Store, argparse.Namespace], int]:
        if name in COMMANDS:
            raise RuntimeError(f"two commands named {name!r}")
        COMMANDS[name] = Command(name, help, arguments or (lambda p: None), run, writes, creates)
        return run

    return register


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


def open_store(path: Path, args: argparse.Namespace, *, create: bool) -> Store:
    from pgmtui.store import Store

    if not create and not path.exists() and not path.is_symlink():  # a dangling link: the store says so
        raise BadInput(f"{path} does not exist (create it with `pgmtui --db {path} demo` or `add programme`)")
    store = Store.open(
        path, create=create, shared=args.shared, read_only=getattr(args, "read_only_db", False)
    )
    for warning in store.warnings:
        print(f"pgmtui: {one_line(warning)}", file=sys.stderr)
    return store


def one_line(text: str) -> str:
    """A message on one line, with any control character from data or arguments made visible."""
    return visible_controls(" ".join(text.split()))


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


def date_arg(value: str | None, name: str) -> str | None:
    """A DATE option checked like a field date (YYYY-MM-DD, 1990–2100); None when not given."""
    if not value:
        return None
    from pgmtui.records.fields import parse_date

    try:
        return parse_date(value, name)
    except StoreError as exc:
        raise BadInput(str(exc)) from None


def since_arg(value: str | None) -> pendulum.DateTime | None:
    """--since DATE → 00:00 UTC of that date (None when not given)."""
    day = date_arg(value, "--since")
    if day is None:
        return None
    import pendulum

    if day > clock.today().isoformat():
        raise BadInput(f"--since {day} is after today ({clock.today().isoformat()})")
    parsed = pendulum.parse(day, tz="UTC")
    assert isinstance(parsed, pendulum.DateTime)
    return parsed


def json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable output")


def print_json(data: Any) -> None:
    from pgmtui import jsonout

    print(jsonout.dumps(data))
