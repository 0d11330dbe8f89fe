"""Commands that move data in and out: export and import (all or nothing)."""

from __future__ import annotations

import argparse
import errno
import os
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pgmtui.cli.base import EXIT_OK, BadInput, command, one_line
from pgmtui.outfiles import describe_os_error

if TYPE_CHECKING:
    from pgmtui.exchange import ImportResult
    from pgmtui.store import Store


def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", metavar="DIR")
    p.add_argument(
        "--format",
        choices=("csv", "json", "xlsx"),
        default="csv",
        help="csv: one file per table; json: one document; xlsx: one workbook, a sheet per kind",
    )


@command(
    "export",
    "write every table to DIR (CSV files), one JSON document or an Excel workbook",
    arguments=_export_args,
)
def cmd_export(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.exchange import export

    target = Path(args.dir).expanduser()
    if args.format == "xlsx" and target.suffix.lower() not in ("", ".xlsx") and not target.is_dir():
        raise BadInput(
            f"{target}: an Excel export is a .xlsx file (or a folder to write pgmtui-export.xlsx in)"
        )
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


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "path", metavar="PATH", help="a pgmtui export, a register (.csv/.xlsx) or an MS Project .xml"
    )
    p.add_argument(
        "--project", metavar="CODE", help="the plan's project (created if new); a register's default"
    )
    p.add_argument(
        "--no-phases", action="store_true", help="plans: no phase-end milestones for summary tasks"
    )
    p.add_argument("--dry-run", action="store_true", help="say what would be imported; write nothing")
    p.add_argument(
        "--prune", action="store_true", help="delete what an earlier import made that the file lost"
    )
    p.add_argument(
        "--impact-bands",
        metavar="B1,B2,B3,B4",
        action="append",
        default=[],
        help="upper bounds of impact 1–4 for money/day impacts (money=…, days=… for one unit)",
    )
    p.add_argument("--source", metavar="NAME", help="registers: the register's name for in-place re-imports")


@command(
    "import",
    "read an export, a register or RAID log (.csv, .xlsx) or an MS Project plan (.xml)",
    writes=True,
    creates=True,
    arguments=_import_args,
)
def cmd_import(store: Store, args: argparse.Namespace) -> int:
    _print_import(_run_import(store, args))
    return EXIT_OK


def _run_import(store: Store, args: argparse.Namespace) -> ImportResult:
    from pgmtui.exchange import ImportFailed, ImportOptions, import_path

    options = ImportOptions(
        project=args.project,
        phases=not args.no_phases,
        dry_run=args.dry_run,
        prune=args.prune,
        impact_bands=tuple(args.impact_bands),
        source=args.source,
    )
    if args.project is not None and not args.project.strip():
        raise BadInput("--project needs a project code")
    try:
        return import_path(store, Path(args.path).expanduser(), options)
    except ImportFailed as exc:
        for problem in exc.problems:
            print(one_line(problem), file=sys.stderr)
        raise BadInput(
            f"import refused, nothing written: {len(exc.problems)} problem(s) listed above"
        ) from None
    except OSError as exc:
        raise BadInput(f"cannot read {args.path}: {describe_os_error(exc)}") from None


def _print_import(result: ImportResult) -> None:
    for note in result.notes:
        print(f"note: {one_line(note)}")  # notes quote file text (headers): shown, never obeyed
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
        from pgmtui.store import Store

        with Store.open(tmp, create=True, new=True, shared=args.shared) as store:
            for warning in store.warnings:
                print(f"pgmtui: {one_line(warning)}", file=sys.stderr)
            result = _run_import(store, args)
            store.seal()  # everything in the one file (no -wal) before it gets its real name
        if not args.dry_run:  # a dry run leaves no database behind
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
