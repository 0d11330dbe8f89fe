"""Pilot tests of the cached first paint: the last session's portfolio shows at once, marked
"refreshing…", until the live model replaces it (then "live", the live rows, the cursor kept)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable

from pgmtui import firstpaint, services
from pgmtui.app import PgmApp
from pgmtui.screens.firstpaint import CachedPortfolioScreen
from pgmtui.screens.portfolio import PortfolioScreen
from tests.ui.helpers import screen_text, wait_for_model, wait_until

TODAY = "2026-11-25"


def header(pilot: Any) -> str:
    return screen_text(pilot).splitlines()[0]


def shown_codes(text: str) -> list[str]:
    """The project codes down the table's first column, as read off the screen."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:2] == ["Code", "Name"])
    return [line.split()[0] for line in lines[start + 1 :] if line.strip() and line.split()[0].isupper()]


def codes(app: PgmApp) -> list[str]:
    table = app.screen.query_one("#projects", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def first_session(db: Path, *, down: int = 0) -> None:
    """A live session that ends with q (which saves what it shows), the cursor moved `down` rows."""
    app = PgmApp(db, first_paint=True)
    async with app.run_test(size=(130, 40)) as pilot:
        await wait_for_model(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, PortfolioScreen), what="the portfolio")
        for _ in range(down):
            await pilot.press("j")
        await pilot.press("q")


@pytest.fixture
def gated_build(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The real model build, held until the test lets it go (so the cached frame can be read)."""
    gate = threading.Event()
    real = services.build_model

    def held(*args: Any, **kwargs: Any) -> Any:
        gate.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "build_model", held)
    return gate


async def test_the_cached_rows_show_refreshing_until_the_live_model_takes_over(
    demo_db: Path, gated_build: threading.Event
) -> None:
    gated_build.set()
    await first_session(demo_db, down=2)
    assert firstpaint.load(demo_db, TODAY) is not None
    # Between the sessions another user renames a project: the cache still has the old name.
    with sqlite3.connect(demo_db) as conn:
        conn.execute("UPDATE project SET name = 'Cloud Renamed' WHERE code = 'CLD'")
    gated_build.clear()

    app = PgmApp(demo_db, first_paint=True)
    async with app.run_test(size=(130, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CachedPortfolioScreen), what="the cache")
        await pilot.pause()
        text = screen_text(pilot)
        assert app.model is None  # nothing live yet…
        assert "refreshing…" in header(pilot) and "live" not in header(pilot).replace("refreshing", "")
        assert "Digital Workplace" in header(pilot) and "Wed 25 Nov 2026" in header(pilot)
        # …the last session's rows (the name column is cut to its width at 130 columns, as live).
        assert "Cloud Migra" in text and "Cloud Rena" not in text
        cached_order = shown_codes(text)
        assert cached_order[:4] == ["CLD", "DAT", "ERP", "IAM"]  # by RAG (the sort), then code
        assert len(cached_order) == 9
        cursor_line = next(line for line in text.splitlines() if line.strip().startswith(cached_order[2]))
        cached_cursor = app.screen.cursor_id
        assert cached_cursor is not None and cursor_line  # the cursor's row (2 down) is the 3rd

        gated_build.set()
        await wait_for_model(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, PortfolioScreen), what="the live portfolio")
        await wait_until(pilot, lambda: "Cloud Rena" in screen_text(pilot), what="the live rows")
        assert "refreshing…" not in header(pilot) and header(pilot).rstrip().endswith("live")
        assert "Cloud Migra" not in screen_text(pilot)
        assert codes(app) == cached_order  # the same rows in the same order: no jump
        assert isinstance(app.screen, PortfolioScreen) and app.screen.selected_id() == cached_cursor
        every_screen = [s for stack in app._screen_stacks.values() for s in stack]
        assert not any(isinstance(s, CachedPortfolioScreen) for s in every_screen)  # gone for good
        await pilot.press("q")

    # The new session's live picture is the next start's cache (the rename included).
    again = firstpaint.load(demo_db, TODAY)
    assert again is not None and any("Cloud Renamed" in row.cells for row in again.rows)


async def test_no_cache_for_time_travel_another_day_or_an_app_without_it(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await first_session(demo_db)
    assert PgmApp(demo_db, first_paint=True).cached_paint is not None
    assert PgmApp(demo_db).cached_paint is None  # tests and embedders opt in

    monkeypatch.setenv("PGMTUI_TODAY", "2026-11-26")  # another day: yesterday's picture is not shown
    app = PgmApp(demo_db, first_paint=True)
    assert app.cached_paint is None
    async with app.run_test(size=(130, 40)) as pilot:
        await wait_for_model(pilot)
        assert not isinstance(app.screen, CachedPortfolioScreen)
        await pilot.press("q")


async def test_a_read_only_session_starts_from_the_cache_and_stays_read_only(demo_db: Path) -> None:
    await first_session(demo_db)
    app = PgmApp(demo_db, first_paint=True, read_only=True)
    assert app.cached_paint is not None
    async with app.run_test(size=(130, 40)) as pilot:
        await wait_for_model(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, PortfolioScreen), what="the live portfolio")
        assert "read-only" in header(pilot)
        await pilot.press("n")  # a write key: refused, no form
        await pilot.pause()
        assert isinstance(app.screen, PortfolioScreen)


async def test_the_cache_is_not_written_while_time_travelling(demo_db: Path) -> None:
    import pendulum

    from pgmtui.services.timetravel import end_of_day

    app = PgmApp(demo_db, first_paint=True, as_of=end_of_day(pendulum.Date(2026, 11, 13)))
    assert not app.first_paint_on and app.cached_paint is None
    async with app.run_test(size=(130, 40)) as pilot:
        await wait_for_model(pilot)
        await pilot.press("q")
    assert firstpaint.load(demo_db, TODAY) is None


async def test_keys_pressed_on_the_cached_screen_are_not_lost(
    demo_db: Path, gated_build: threading.Event
) -> None:
    gated_build.set()
    await first_session(demo_db)
    gated_build.clear()
    app = PgmApp(demo_db, first_paint=True)
    async with app.run_test(size=(130, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CachedPortfolioScreen), what="the cache")
        await pilot.press("question_mark")  # help waits for the live screen: it says so, no crash
        await wait_until(
            pilot, lambda: any("help opens" in n.message for n in app._notifications), what="the help note"
        )
        await pilot.press("2")  # the dependencies screen, before anything is live
        await wait_until(pilot, lambda: app.current_mode == "dependencies", what="screen 2")
        gated_build.set()
        await wait_for_model(pilot)
        await pilot.pause()
        assert app.current_mode == "dependencies"  # the live model did not pull the user back
        every_screen = [s for stack in app._screen_stacks.values() for s in stack]
        assert not any(isinstance(s, CachedPortfolioScreen) for s in every_screen)
        await pilot.press("1")
        await wait_until(pilot, lambda: isinstance(app.screen, PortfolioScreen), what="the portfolio")
        await wait_until(pilot, lambda: "CLD" in codes(app), what="the live rows")
        assert header(pilot).rstrip().endswith("live")
