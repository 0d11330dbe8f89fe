"""The `pgmtui` entry point: the dashboard's fast path; everything else goes through the full CLI.

Opening the dashboard (`pgmtui --db PATH [--today DATE] [--shared] [--read-only]`) needs none of the
command modules, the full argument parser, pendulum's clock or a store opened on the main thread
first: the app opens the store on its refresh worker and turns a store error into one line
`pgmtui: error: …` and exit 2. So when the arguments are plainly valid (checked here with `datetime`
and `os` only) and the database is plainly an SQLite file, the app starts at once. In every other
case — a command, --help, --demo, --as-of, a doubtful date, a missing, empty or foreign file, no
--db — the full CLI runs and reports bad input exactly as before (tests/reliability guard it).
"""

from __future__ import annotations

import os
import stat
import sys
from datetime import date
from pathlib import Path

# Kept in step with pgmtui.clock (ENV_TODAY, EARLIEST, LATEST) and pgmtui.cli.base (ENV_DB); a test
# checks they agree.
ENV_TODAY = "PGMTUI_TODAY"
ENV_DB = "PGMTUI_DB"
EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)
SQLITE_HEADER = b"SQLite format 3\x00"
_FLAGS = {"--shared": "shared", "--read-only": "read_only"}
_VALUED = ("--db", "--today")


def dashboard_arguments(argv: list[str]) -> dict[str, str | bool | None] | None:
    """The dashboard's options when argv holds nothing else, else None (the full CLI decides)."""
    opts: dict[str, str | bool | None] = {"db": None, "today": None, "shared": False, "read_only": False}
    i = 0
    while i < len(argv):
        arg = argv[i]
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return None
        if arg in _FLAGS:
            opts[_FLAGS[arg]] = True
        elif arg in _VALUED:
            if i + 1 >= len(argv) or argv[i + 1].startswith("-"):
                return None
            opts[arg[2:]] = argv[i + 1]
            i += 1
        elif arg.startswith(("--db=", "--today=")):
            name, _, value = arg[2:].partition("=")
            opts[name] = value
        else:
            return None
        i += 1
    for given in (opts["db"], opts["today"]):
        if isinstance(given, str):
            try:
                given.encode("utf-8")
            except UnicodeEncodeError:
                return None
    return opts


def plain_today(value: str) -> bool:
    """A YYYY-MM-DD date inside the clock's range (or none: the local date)."""
    value = value.strip()
    if not value:
        return True
    parts = value.split("-")
    if len(parts) != 3 or [len(p) for p in parts] != [4, 2, 2] or not all(p.isdigit() for p in parts):
        return False
    try:
        day = date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return False
    return EARLIEST <= day <= LATEST


def plain_database(path: Path) -> bool:
    """A readable regular file (links followed) that starts as an SQLite database does."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size < 100 or not os.access(path, os.R_OK):
            return False
        with open(path, "rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except (OSError, ValueError):
        return False


def fast_dashboard(argv: list[str]) -> int | None:
    """Run the dashboard when argv plainly asks for it with valid input; None: not handled."""
    opts = dashboard_arguments(argv)
    if opts is None:
        return None
    today = opts["today"] if isinstance(opts["today"], str) and opts["today"] else None
    if not plain_today(today if today is not None else os.environ.get(ENV_TODAY, "")):
        return None
    db = opts["db"] if isinstance(opts["db"], str) else os.environ.get(ENV_DB) or None
    if db is None or not db.strip():
        return None
    path = Path(db).expanduser()
    if not plain_database(path):
        return None
    if today is not None:
        os.environ[ENV_TODAY] = today
    from pgmtui.app import PgmApp

    app = PgmApp(
        db_path=path, shared=bool(opts["shared"]), read_only=bool(opts["read_only"]), first_paint=True
    )
    try:
        app.run()
    except KeyboardInterrupt:
        return 130
    return app.return_code or 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    handled = fast_dashboard(argv)
    if handled is not None:
        return handled
    from pgmtui.cli import main as cli_main

    return cli_main(argv)
