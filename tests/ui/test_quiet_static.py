"""QuietStatic and RecordTable repaint only what a live change changed (terminal bytes over SSH)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region

from pgmtui.widgets.cells import Column, Row
from pgmtui.widgets.quiet import QuietStatic
from pgmtui.widgets.record_table import RecordTable
from tests.ui.helpers import screen_text

COLUMNS = (Column("code", "Code", width=5), Column("title", "Title", flex=True), Column("n", "N", width=4))


class PanelApp(App[None]):
    CSS = "#panel { height: auto; padding: 0 1; border-top: solid white; }"

    def compose(self) -> ComposeResult:
        yield RecordTable("risk", COLUMNS, id="t")
        yield QuietStatic(id="panel")


async def test_a_changed_line_repaints_that_line_only_and_asks_for_no_layout() -> None:
    app = PanelApp()
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one(QuietStatic)
        assert panel.show(Text("alpha 1\nbeta 2\ngamma 3"))
        await pilot.pause()
        assert panel.size.height == 3 and panel.repaints == 1  # the first show lays it out
        assert panel.show(Text("alpha 1\nbeta 2\ngamma 3")) is False  # the same text: nothing at all
        calls: list[tuple[tuple[Region, ...], dict[str, Any]]] = []
        original = QuietStatic.__mro__[1].refresh

        def spy(self: Any, *regions: Region, **kwargs: Any) -> Any:
            calls.append((regions, kwargs))
            return original(self, *regions, **kwargs)

        QuietStatic.__mro__[1].refresh = spy  # type: ignore[method-assign]
        try:
            assert panel.show(Text("alpha 1\nbeta 20\ngamma 3"))
        finally:
            QuietStatic.__mro__[1].refresh = original  # type: ignore[method-assign]
        # One refresh, of line 1 (0-based) only, the panel's content width wide; no layout.
        assert calls == [((Region(0, 1, panel.size.width, 1),), {})]
        assert panel.repaints == 1 and panel.lines_repainted == 1
        await pilot.pause()
        assert "beta 20" in screen_text(pilot) and "alpha 1" in screen_text(pilot)


async def test_a_taller_or_shorter_text_is_laid_out_again() -> None:
    app = PanelApp()
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one(QuietStatic)
        panel.show(Text("one line"))
        await pilot.pause()
        assert panel.size.height == 1
        panel.show(Text("one line\nand a second"))
        await pilot.pause()
        assert panel.size.height == 2 and panel.repaints == 2
        assert "and a second" in screen_text(pilot)
        panel.show(Text("x " * 40))  # 80 columns of text wrap to two lines at 58: same height
        await pilot.pause()
        assert panel.size.height == 2 and panel.repaints == 2 and panel.lines_repainted == 2
        panel.show(Text("short"))
        await pilot.pause()
        assert panel.size.height == 1 and panel.repaints == 3
        assert "and a second" not in screen_text(pilot)


async def test_a_changed_table_cell_repaints_that_cell_not_its_row() -> None:
    app = PanelApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(RecordTable)
        rows = [Row(i, {"code": f"R{i}", "title": Text(f"risk {i}"), "n": str(i)}) for i in (1, 2, 3)]
        table.sync(rows)
        await pilot.pause()
        cells, whole_rows = [], []
        table.refresh_coordinate = lambda c: cells.append(tuple(c)) or table  # type: ignore[method-assign]
        table.refresh_row = lambda r: whole_rows.append(r) or table  # type: ignore[method-assign]
        changed = list(rows)
        changed[1] = Row(2, {**rows[1].cells, "n": "20"})
        table.sync(changed)
        assert cells == [(1, 2)] and whole_rows == []  # row 2 (index 1), column N (index 2)
