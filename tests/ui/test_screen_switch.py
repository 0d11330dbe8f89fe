"""Showing a top screen again is quick (issue 20: first paint after its key) and still right: its
CSS is not re-applied, its table's cells are not re-rendered and its footer is not rebuilt unless
something they show changed (a theme, the read-only state, the keys on offer)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import DataTable

from pgmtui.app import PgmApp
from pgmtui.widgets.footer import FittingFooter
from pgmtui.widgets.record_table import RecordTable
from tests.ui.helpers import screen_text, wait_for_model, wait_until


async def show(pilot: Any, key: str, title: str) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: title in screen_text(pilot).splitlines()[0], what=f"the {title} screen")
    await pilot.pause()


def count_cell_renders(table: RecordTable) -> list[int]:
    """Calls of DataTable's cell renderer on `table` (a spy; the count is in the list)."""
    calls = [0]
    original = table._render_cell

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(*args, **kwargs)

    table._render_cell = spy  # type: ignore[method-assign]
    return calls


async def test_showing_a_screen_again_rebuilds_nothing_that_did_not_change(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        await show(pilot, "7", "Finance")
        finance = app.screen
        footer = finance.query_one(FittingFooter)
        table = finance.query_one("#fin-projects", RecordTable)
        await show(pilot, "1", "Portfolio")
        rebuilt, renders = footer.rebuilds, count_cell_renders(table)
        restyled: list[Any] = []
        update_styles = app.update_styles

        def spy_styles(node: Any, animate: bool = True) -> None:
            restyled.append(node)
            update_styles(node, animate=animate)

        app.update_styles = spy_styles  # type: ignore[method-assign]
        await show(pilot, "7", "Finance")
        assert app.screen is finance
        assert finance not in restyled  # the whole screen's CSS was not re-applied
        assert renders[0] == 0  # the cells on screen came from the table's cache
        assert footer.rebuilds == rebuilt  # the same keys: the footer was kept as it was
        text = screen_text(pilot)
        assert "BAC" in text and "v View" in text.splitlines()[-1]  # …and all of it is on screen


async def test_a_theme_changed_while_away_restyles_the_screen_and_its_cells(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        await show(pilot, "7", "Finance")
        finance = app.screen
        table = finance.query_one("#fin-projects", DataTable)
        before = table.rich_style
        await show(pilot, "1", "Portfolio")
        renders = count_cell_renders(finance.query_one("#fin-projects", RecordTable))
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        await show(pilot, "7", "Finance")
        await pilot.pause()
        assert table.rich_style != before  # the new theme's colours reached the table
        assert renders[0] > 0  # and its cells were drawn again with them


async def test_the_footer_is_rebuilt_when_its_keys_change(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        footer = app.screen.query_one(FittingFooter)
        assert "New" in screen_text(pilot).splitlines()[-1]
        rebuilt = footer.rebuilds
        app.read_only = True  # the keys that would change something leave the footer
        await wait_until(pilot, lambda: "New" not in screen_text(pilot).splitlines()[-1], what="New to go")
        assert footer.rebuilds > rebuilt
        assert "Filter" in screen_text(pilot).splitlines()[-1]
