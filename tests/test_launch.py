"""The entry point's dashboard fast path (src/pgmtui/launch.py): it starts the app only for plainly
valid input and leaves everything else to the full CLI, which reports bad input as before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pgmtui import clock, launch
from pgmtui.cli import base
from pgmtui.store import Store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "programme.db"
    Store.open(path, create=True).close()
    return path


def test_its_constants_are_the_clocks_and_the_clis() -> None:
    assert launch.ENV_TODAY == clock.ENV_TODAY
    assert launch.ENV_DB == base.ENV_DB
    assert launch.EARLIEST.isoformat() == clock.EARLIEST.isoformat()
    assert launch.LATEST.isoformat() == clock.LATEST.isoformat()


def test_dashboard_arguments_only_for_the_dashboards_options() -> None:
    assert launch.dashboard_arguments(["--db", "x.db", "--today=2026-11-25", "--read-only"]) == {
        "db": "x.db",
        "today": "2026-11-25",
        "shared": False,
        "read_only": True,
    }
    assert launch.dashboard_arguments([]) == {"db": None, "today": None, "shared": False, "read_only": False}
    for argv in (
        ["--db", "x.db", "list", "project"],  # a command
        ["--help"],
        ["--version"],
        ["--demo"],
        ["--as-of", "2026-11-20"],
        ["--debug", "--db", "x.db"],
        ["--db"],  # no value: argparse words the error
        ["--db", "--today"],
        ["--re", "--db", "x.db"],  # an abbreviation: argparse decides
        ["--db", "x\udcff.db"],  # not UTF-8: the CLI names the byte
    ):
        assert launch.dashboard_arguments(argv) is None, argv


def test_plain_today() -> None:
    assert launch.plain_today("2026-11-25")
    assert launch.plain_today("")  # none given: the local date
    assert launch.plain_today("1990-01-01") and launch.plain_today("2100-12-31")
    for bad in ("1989-12-31", "2101-01-01", "2026-13-01", "2026-02-30", "20261125", "2026-W48-3", "tomorrow"):
        assert not launch.plain_today(bad), bad


def test_plain_database(db: Path, tmp_path: Path) -> None:
    assert launch.plain_database(db)
    empty = tmp_path / "empty.db"
    empty.touch()
    text = tmp_path / "notes.db"
    text.write_text("not a database\n" * 20)
    dangling = tmp_path / "dangling.db"
    dangling.symlink_to(tmp_path / "nowhere.db")
    for bad in (empty, text, dangling, tmp_path, tmp_path / "missing.db"):
        assert not launch.plain_database(bad), bad
    if os.geteuid() != 0:
        db.chmod(0)
        assert not launch.plain_database(db)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--read-only", "--db", "{missing}"], "does not exist"),
        (["--today", "2026-13-01", "--db", "{db}"], "PGMTUI_TODAY must be a date"),
        (["--today", "1900-01-01", "--db", "{db}"], "outside 1990–2100"),
    ],
)
def test_bad_input_still_goes_through_the_cli(
    argv: list[str], message: str, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.delenv("PGMTUI_DB", raising=False)
    (tmp_path / "empty.db").touch()
    names = {"missing": tmp_path / "missing.db", "empty": tmp_path / "empty.db", "db": db}
    argv = [a.format(**names) for a in argv]
    assert launch.fast_dashboard(argv) is None  # never reaches the app
    assert launch.main(argv) == base.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("pgmtui: error: ") and message in err, err
    assert not (tmp_path / "missing.db").exists()


def test_the_fast_path_starts_the_app_without_the_command_modules(db: Path) -> None:
    """In a fresh interpreter (sys.modules tells what was imported): the app gets the path, the
    options and the date, and neither the CLI package nor argparse's full parser was loaded."""
    probe = (
        "import sys, os\n"
        "import pgmtui.app as app\n"
        "seen = {}\n"
        "def run(self):\n"
        "    seen.update(path=str(self.db_path), read_only=self.read_only_requested,\n"
        "                today=os.environ.get('PGMTUI_TODAY'))\n"
        "app.PgmApp.run = run\n"
        "from pgmtui.launch import main\n"
        f"rc = main(['--db', {str(db)!r}, '--read-only', '--today', '2026-11-20'])\n"
        "print(rc, seen['path'], seen['read_only'], seen['today'], 'pgmtui.cli' in sys.modules)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    env.pop("PGMTUI_DB", None)
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["0", str(db), "True", "2026-11-20", "False"]
