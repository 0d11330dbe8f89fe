"""Commands on records of any kind: add, set, delete, list, check."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from pgmtui.cli.base import EXIT_OK, BadInput, command, one_line, parse_assignments, print_json
from pgmtui.records import KINDS

if TYPE_CHECKING:
    from pgmtui.store import Store


def kind_arg(name: str) -> str:
    if name not in KINDS:
        raise BadInput(f"unknown kind {name!r} (one of: {', '.join(KINDS)})")
    return name


def _add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("kind", metavar="KIND")
    p.add_argument("fields", nargs="*", metavar="FIELD=VALUE")


@command("add", "add a record; prints its id", writes=True, creates=True, arguments=_add_args)
def cmd_add(store: Store, args: argparse.Namespace) -> int:
    row_id = store.insert(kind_arg(args.kind), parse_assignments(args.fields))
    print(row_id)
    return EXIT_OK


def _set_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("kind", metavar="KIND")
    p.add_argument("ref", metavar="REF")
    p.add_argument("fields", nargs="+", metavar="FIELD=VALUE")
    p.add_argument(
        "--expect-version", type=int, metavar="N", help="refuse if the record is no longer version N"
    )


@command(
    "set",
    "change fields of a record (REF: its id or id:N, a project code or code:X)",
    writes=True,
    arguments=_set_args,
)
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
    row = store.update(kind_arg(args.kind), args.ref, fields, expected_version=args.expect_version)
    print(f"{args.kind} {row['id']} version {row['version']}")
    return EXIT_OK


def _delete_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("kind", metavar="KIND")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--expect-version", type=int, metavar="N")


@command(
    "delete", "delete a record (and what hangs off it); REF as for set", writes=True, arguments=_delete_args
)
def cmd_delete(store: Store, args: argparse.Namespace) -> int:
    store.delete(kind_arg(args.kind), args.ref, expected_version=args.expect_version)
    print(f"{args.kind} {args.ref} deleted")
    return EXIT_OK


def _list_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("kind", metavar="KIND")
    p.add_argument("--json", action="store_true")


@command("list", "list records", arguments=_list_args)
def cmd_list(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.services import list_rows

    kind = kind_arg(args.kind)
    rows = list_rows(store, kind)
    if args.json:
        print_json(rows)
        return EXIT_OK
    print_table(kind, rows)
    return EXIT_OK


def print_table(kind: str, rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from pgmtui.services import summary_columns, visible_controls

    columns = summary_columns(kind)
    table = Table(box=None, pad_edge=False, show_edge=False)
    for c in columns:
        table.add_column(c.removesuffix("_label"), overflow="fold")  # about_label: the link, by name
    for row in rows:
        # Text, not markup: record text is data (a title like "[bold]x[/]" must print as typed).
        table.add_row(
            *(Text(visible_controls("" if row.get(c) is None else str(row.get(c)))) for c in columns)
        )
    Console(highlight=False, soft_wrap=False).print(table)
    print(f"{len(rows)} {kind} record(s)")


@command("check", "integrity and validation of the whole database")
def cmd_check(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.services import unmatched_owners

    problems = store.integrity_problems()
    for note in unmatched_owners(store):  # free text is allowed: noted, not an error
        print(one_line(f"note: {note}"))
    if not problems:
        print(f"{store.path}: ok (schema {store.schema_version()})")
        return EXIT_OK
    for problem in problems:
        print(one_line(problem))  # problems quote stored text: shown, never obeyed
    raise BadInput(f"{len(problems)} problem(s) found in {store.path}")
