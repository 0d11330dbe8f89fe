"""The read-only dashboard (`pgmtui --read-only`, every `pgmtui serve --read-only` session): the
header says so, every key that would change the programme is refused with a message, no form opens,
the palette does not offer changes, and the database is exactly as it was."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

import pytest

from pgmtui.actions import Act, writing_action
from pgmtui.app import PgmApp
from pgmtui.records import ReadOnlyError
from pgmtui.screens.forms import ConfirmScreen, RecordForm, confirm_delete
from tests.ui.helpers import screen_text, wait_for_model, wait_until

REFUSAL = "opened read-only"  # the toast: "This dashboard was opened read-only; changes cannot…"


def toasts(pilot) -> str:
    parts = [line.split("▌", 1)[1] for line in screen_text(pilot).splitlines() if "▌" in line]
    return " ".join(" ".join(parts).split())


def fingerprint(db: Path) -> tuple[int, int, str]:
    """Audit rows, the highest record version, and a digest of every project: any write moves one."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        audit = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
        version = conn.execute("SELECT max(version) FROM project").fetchone()[0]
        rows = conn.execute("SELECT * FROM project ORDER BY id").fetchall()
    finally:
        conn.close()
    return audit, version, hashlib.sha256(repr(rows).encode()).hexdigest()


def modal_open(app: PgmApp) -> bool:
    return any(isinstance(s, (RecordForm, ConfirmScreen)) for s in app.screen_stack)


async def refused(pilot, key: str) -> None:
    """Press `key`; the refusal toast appears and no form or question opens."""
    app = pilot.app
    app.clear_notifications()
    await pilot.pause()
    await pilot.press(key)
    await wait_until(
        pilot, lambda: REFUSAL in toasts(pilot), what=f"the refusal of {key!r}: {screen_text(pilot)}"
    )
    assert not modal_open(app), f"{key!r} opened a form in a read-only dashboard"


async def test_every_write_key_of_the_portfolio_and_project_is_refused(demo_db: Path) -> None:
    before = fingerprint(demo_db)
    app = PgmApp(demo_db, poll_seconds=0.05, read_only=True)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_model(pilot)
        await wait_until(pilot, lambda: "Help" in screen_text(pilot).splitlines()[-1], what="the footer")
        lines = screen_text(pilot).splitlines()
        assert "read-only" in lines[0] and "Digital Workplace Programme" in lines[0]
        # The footer offers what can be done here: no New, Edit, Delete or Programme.
        assert "Filter" in lines[-1] and "Help" in lines[-1]
        for label in ("New", "Edit", "Delete", "Programme"):
            assert label not in lines[-1]
        for key in ("n", "e", "d", "P"):  # new, edit, delete project; edit programme
            await refused(pilot, key)
        await pilot.press("enter")  # reading is allowed: the project opens
        await wait_until(pilot, lambda: "Milestones" in screen_text(pilot), what="the project")
        for key in ("n", "e", "E", "d"):  # new / edit / delete milestone, edit project
            await refused(pilot, key)
        assert app.is_running
    assert fingerprint(demo_db) == before


async def test_a_refused_key_never_opens_the_form(demo_db: Path) -> None:
    """The key itself is refused (Act.writes): the form is not even pushed, so nothing flashes."""
    app = PgmApp(demo_db, poll_seconds=0.05, read_only=True)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_model(pilot)
        for action in ("new_project", "edit_project", "delete_project", "edit_programme"):
            assert await app.run_action(action, app.screen) is True  # handled: by the refusal
            assert not modal_open(app), action
        assert await app.run_action("open_project", app.screen) is True
        await wait_until(pilot, lambda: "Milestones" in screen_text(pilot), what="the project")


async def test_benefit_measurements_are_refused_and_navigation_still_works(demo_db: Path) -> None:
    before = fingerprint(demo_db)
    app = PgmApp(demo_db, poll_seconds=0.05, read_only=True)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_model(pilot)
        await pilot.press("4")
        await wait_until(pilot, lambda: "Benefits" in screen_text(pilot).splitlines()[0], what="benefits")
        for key in ("m", "n", "e", "d"):
            await refused(pilot, key)
        await pilot.press("slash")  # the filter is not a change
        await pilot.press(*"status:")
        await wait_until(pilot, lambda: "status:" in screen_text(pilot), what="the filter box")
    assert fingerprint(demo_db) == before


async def test_palette_offers_no_changes_but_still_offers_the_report(demo_db: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "New project" not in titles and "Edit programme" not in titles
        assert "Filter projects" in titles and "Go to Risks" in titles
        assert "Write highlight report (HTML)" in titles  # a report is a read


async def test_help_says_which_keys_are_refused(demo_db: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: "Keys — Portfolio" in screen_text(pilot), what="the help")
        lines = screen_text(pilot).splitlines()
        new = next(line for line in lines if "Add a project to the programme" in line)
        assert "(refused:" in new and "portfolio.new" in new  # "read-only)" wraps to the next line
        filter_line = next(line for line in lines if "Filter by text" in line)
        assert "refused" not in filter_line


async def test_forms_questions_and_writes_are_refused_even_when_opened_directly(demo_db: Path) -> None:
    """Screens not yet marked (or code that opens a form itself) meet the same refusal."""
    before = fingerprint(demo_db)
    app = PgmApp(demo_db, poll_seconds=0.05, read_only=True)
    failures: list[Exception] = []
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_model(pilot)
        app.push_screen(RecordForm("project"))
        await wait_until(pilot, lambda: REFUSAL in toasts(pilot), what="the form's refusal")
        assert not modal_open(app)

        app.clear_notifications()
        project = app.model.tables["project"][0]
        confirm_delete(app.screen, "project", project, project["code"])
        await wait_until(pilot, lambda: REFUSAL in toasts(pilot), what="the delete's refusal")
        assert not modal_open(app)

        app.write(lambda store: store.update("project", project["id"], {"name": "x"}), failed=failures.append)
        await wait_until(pilot, lambda: bool(failures), what="the write's refusal")
    assert isinstance(failures[0], ReadOnlyError) and "read-only" in str(failures[0])
    assert fingerprint(demo_db) == before


async def test_the_read_only_app_opens_the_file_read_only(demo_db: Path) -> None:
    """Not only refused in the UI: the store itself is opened read-only (a write would fail there)."""
    app = PgmApp(demo_db, poll_seconds=0.05, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        assert app.store is not None and app.store.read_only
        with pytest.raises(ReadOnlyError):
            app.store.update("project", app.model.tables["project"][0]["id"], {"name": "x"})


async def test_a_writable_dashboard_still_opens_forms(demo_db: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        assert "live" in screen_text(pilot).splitlines()[0]
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the new-project form")


def test_writing_action_finds_the_act_through_the_class_hierarchy() -> None:
    from pgmtui.screens.portfolio import PortfolioScreen

    screen = PortfolioScreen()
    act = writing_action(screen, "new_project")
    assert isinstance(act, Act) and act.id == "portfolio.new"
    assert writing_action(screen, "open_project") is None  # reading
    assert writing_action(screen, "filter") is None
    assert writing_action(screen, "no_such_action") is None


# An action whose name says it changes a record must say so with `writes=True`: this keeps screens
# added later from slipping past the read-only mode.
WRITING_NAMES = re.compile(
    r"^(new|edit|delete|record|correct|rescore|close|reopen|apply|approve|add|remove)(_|$)"
)


def test_every_action_that_changes_records_is_marked_writes() -> None:
    from pgmtui.screens import all_screen_actions

    unmarked = [
        a.id
        for a in all_screen_actions()
        if WRITING_NAMES.match(a.action_name) and not a.writes and not a.id.startswith(("form.", "confirm."))
    ]
    assert unmarked == []


async def test_an_80_column_terminal_without_colour_still_says_read_only(demo_db: Path, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = PgmApp(demo_db, poll_seconds=0.05, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_model(pilot)
        header = screen_text(pilot).splitlines()[0]
        assert header.startswith(" pgmtui  read-only  Portfolio"), header
