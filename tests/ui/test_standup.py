"""Pilot tests of the stand-up screen (key 5): live changes from another connection, enter jumps."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest
from textual.widgets import OptionList

from pgmtui.app import PgmApp
from pgmtui.store import Store
from tests.ui.helpers import screen_text, wait_for_model, wait_until


@pytest.fixture(autouse=True)
def _private_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("PGMTUI_REPORT_DIR", str(tmp_path / "reports"))


def toasts(pilot) -> str:
    """The toasts on screen (right of their ▌ border) as one line of words."""
    parts = [line.split("▌", 1)[1] for line in screen_text(pilot).splitlines() if "▌" in line]
    return " ".join(" ".join(parts).split())


def _standup(app):
    from pgmtui.screens.standup import StandupScreen

    return app.screen if isinstance(app.screen, StandupScreen) else None


async def test_standup_lists_a_change_from_another_connection_and_enter_opens_it(demo_db: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        await pilot.press("5")
        await wait_until(
            pilot, lambda: _standup(app) is not None and _standup(app).standup is not None, what="stand-up"
        )
        await pilot.pause()
        text = screen_text(pilot)
        assert "Stand-up" in text
        entries = [e.plain for e in _standup(app).entries]  # what changed is below what needs attention
        assert any(e.startswith("RAG changes") for e in entries)
        assert any(e.startswith("Needs attention today") for e in entries)
        assert any("DAT Amber → Red*" in e for e in entries)  # yesterday's override, with its reason

        # Another user, another connection, a moment ago.
        with Store.open(demo_db) as other, other.acting(user="zoe"):
            other.update("project", "SEC", {"percent_complete": 15})
        wanted = "SEC: complete 8 % → 15 %"
        screen = _standup(app)
        # What changed comes below what needs attention: the new line is in the list (maybe below
        # the fold); moving the cursor onto it scrolls it into view.
        await wait_until(
            pilot, lambda: any(wanted in e.plain for e in screen.entries), what="the new change in the list"
        )
        ol = screen.query_one("#standup-lines", OptionList)
        index = next(i for i, e in enumerate(screen.entries) if e.line and e.line.text.startswith(wanted))
        ol.highlighted = index
        await wait_until(pilot, lambda: wanted in screen_text(pilot), what="the new change on screen")
        assert "zoe" in screen_text(pilot)
        await pilot.press("enter")
        from pgmtui.screens.portfolio import ProjectDetailScreen

        await wait_until(pilot, lambda: isinstance(app.screen, ProjectDetailScreen), what="project detail")
        assert "Security Operations Centre" in screen_text(pilot)


async def test_needs_attention_comes_first_on_the_first_screen_at_80x24(demo_db: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_model(pilot)
        await pilot.press("5")
        await wait_until(
            pilot, lambda: "Actions overdue or due today" in screen_text(pilot), what="the stand-up"
        )
        rows = screen_text(pilot).splitlines()
        assert len(rows) == 24
        at = next(i for i, row in enumerate(rows) if row.strip() == "Needs attention today")
        assert at <= 3  # right under the header and the window line
        # Actions come first (issue 17), the most overdue first; a long line wraps under its text
        # (column 5), not back at column 1.
        assert rows[at + 1].strip() == "Actions overdue or due today  (5)"
        assert rows[at + 2].startswith("   ✗ Asha Patel: Re-test the HR self-service app with group-claim")
        assert rows[at + 3].startswith("     5 d overdue (due 2026-11-20); about issue #1 Legacy HR app")
        assert "last working day (Tue 24 Nov)" in "\n".join(rows[:3])
        # Then the demo's two open issues past their due date, oldest first.
        entries = [e.plain.strip() for e in _standup(app).entries]
        issues = entries.index("Overdue issues  (2)")
        assert entries[issues + 1].startswith("✗ #6 Architect capacity shortfall for design reviews")
        # The cursor starts on the first thing that needs attention: enter opens that action.
        assert _standup(app).selected_line().kind == "action"


async def test_window_key_cycles_and_report_key_writes_html(demo_db: Path, tmp_path: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_model(pilot)
        await pilot.press("5")
        await wait_until(pilot, lambda: _standup(app) is not None and _standup(app).standup is not None)
        screen = _standup(app)
        day_changes = screen.standup.change_count
        assert "last working day" in screen_text(pilot)
        await pilot.press("w")
        await wait_until(pilot, lambda: "last 7 days" in screen.standup.window, what="week window")
        assert screen.standup.change_count > day_changes
        await pilot.press("x")
        report = tmp_path / "reports" / f"highlight-report-{pendulum.Date(2026, 11, 25).isoformat()}.html"
        await wait_until(pilot, report.exists, what="the report file")
        assert "<!DOCTYPE html>" in report.read_text(encoding="utf-8")


async def test_a_store_error_while_reading_the_stand_up_is_a_message_not_a_closed_app(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stand-up reads the audit trail on a worker: a busy database there must leave the app up
    and say so (before, the worker's exception closed the dashboard). The failure is injected into
    the one read the stand-up makes; the refresh loop keeps its real store."""
    import pgmtui.services
    from pgmtui.store import BusyError

    real = pgmtui.services.standup_of
    busy = {"on": True}

    def standup_of(*args, **kwargs):
        if busy["on"]:
            raise BusyError("the database is busy: another program has held its lock for over 5 s")
        return real(*args, **kwargs)

    monkeypatch.setattr(pgmtui.services, "standup_of", standup_of)
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_model(pilot)
        await pilot.press("5")
        await wait_until(
            pilot, lambda: "Stand-up failed: the database is busy" in toasts(pilot), what="toast"
        )
        assert app.is_running and _standup(app) is not None and _standup(app).standup is None
        busy["on"] = False
        await pilot.press("r")  # the next refresh reads again
        await wait_until(
            pilot,
            lambda: _standup(app).standup is not None and "Needs attention today" in screen_text(pilot),
            what="the stand-up after the error",
        )


async def test_a_report_folder_that_cannot_be_written_is_a_message(
    demo_db: Path, tmp_path: Path, monkeypatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the report folder should be", encoding="utf-8")
    monkeypatch.setenv("PGMTUI_REPORT_DIR", str(blocker / "reports"))
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_model(pilot)
        await pilot.press("5")
        await wait_until(pilot, lambda: _standup(app) is not None and _standup(app).standup is not None)
        await pilot.press("x")
        await wait_until(
            pilot,
            lambda: "Could not write the report" in toasts(pilot) and "is not a folder" in toasts(pilot),
            what="toast",
        )
        assert app.is_running
    assert not (blocker / "reports").exists()


async def test_palette_writes_the_report_as_markdown(demo_db: Path, tmp_path: Path) -> None:
    app = PgmApp(demo_db, poll_seconds=0.05)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_model(pilot)
        await pilot.press("5")
        await wait_until(pilot, lambda: _standup(app) is not None and _standup(app).standup is not None)
        await pilot.press("ctrl+p", *"report (markdown")
        await wait_until(
            pilot, lambda: "Write highlight report (Markdown)" in screen_text(pilot), what="command"
        )
        await pilot.press("enter")
        report = tmp_path / "reports" / "highlight-report-2026-11-25.md"
        await wait_until(pilot, report.exists, what="the Markdown report")
        assert report.read_text(encoding="utf-8").startswith("# ")
        await wait_until(pilot, lambda: "Highlight report written to" in toasts(pilot), what="toast")
        assert report.name in toasts(pilot).replace(" ", "")  # a long path wraps inside the toast
