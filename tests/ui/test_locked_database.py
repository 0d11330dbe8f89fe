"""Another program holds the database for longer than the busy timeout, or a screen's read fails:
the dashboard stays up, says what happened, and carries on by itself once it can read again."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pgmtui.app import PgmApp
from pgmtui.records import BusyError
from tests.ui.helpers import screen_text, wait_for_model, wait_until

# A separate process, as a colleague's tool would be: `locking_mode=EXCLUSIVE` keeps every other
# connection out, readers included, until it closes. (In WAL mode it can only take that lock while
# nobody else has the file open, so it starts first; the dashboard is opened while it holds it.)
HOG = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA locking_mode = EXCLUSIVE")
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE project SET name = 'Renamed by the other tool' WHERE code = 'NET'")
conn.execute("COMMIT")
print("holding", flush=True)
sys.stdin.read()
"""


def notifications(app: PgmApp) -> str:
    return "\n".join(n.message for n in app._notifications)


async def test_dashboard_waits_for_a_database_another_program_holds_and_says_who(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pgmtui.store.opening as opening_module

    monkeypatch.setattr(opening_module, "BUSY_TIMEOUT_MS", 300)  # SQLite's wait; 5 s in real use
    hog = subprocess.Popen(
        [sys.executable, "-c", HOG, str(demo_db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert hog.stdout is not None and hog.stdin is not None
    try:
        assert hog.stdout.readline().strip() == "holding"
        app = PgmApp(demo_db, poll_seconds=0.05)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await wait_until(
                pilot,
                lambda: f"process {hog.pid}" in notifications(app),
                timeout=20,
                what="a message naming the process that holds the database",
            )
            assert app.is_running and app.model is None
            assert "not live" in screen_text(pilot).splitlines()[0]  # the header says so, at 80 columns
            assert "locked" not in notifications(app)  # plain words, not SQLite's
            await pilot.press("question_mark")  # the dashboard still answers keys
            await wait_until(pilot, lambda: "Keys —" in screen_text(pilot), what="the help")
            await pilot.press("escape")
            hog.stdin.close()
            hog.wait(timeout=30)
            await wait_for_model(pilot, timeout=20)  # it reads by itself once the lock is gone
            assert any(p["name"] == "Renamed by the other tool" for p in app.model.rows("project"))
            await wait_until(pilot, lambda: "not live" not in screen_text(pilot).splitlines()[0])
    finally:
        if not hog.stdin.closed:
            hog.stdin.close()
        hog.wait(timeout=30)


async def test_a_screen_read_that_fails_is_a_message_and_the_app_stays_up(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pgmtui.screens.portfolio.project as project_module

    def busy(*args: object, **kwargs: object) -> list:
        raise BusyError("the database is busy: process 4242 (sqlite3, user bob) holds it exclusively")

    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_model(pilot)
        monkeypatch.setattr(project_module, "audit_for", busy)
        await pilot.press("enter")  # the project detail reads its recent changes on a worker
        await wait_until(pilot, lambda: "process 4242" in notifications(app), what="the read's failure")
        assert app.is_running and "Project " in screen_text(pilot).splitlines()[0]
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Portfolio" in screen_text(pilot).splitlines()[0])
