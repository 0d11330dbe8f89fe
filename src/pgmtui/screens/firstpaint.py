"""The portfolio as the last live session left it, painted from the first-paint cache at startup.

Shown only until the first live model is published (the app then switches to the real portfolio
screen, the cursor carried over); its header says "refreshing…" (the app's status), never "live".
It imports only textual, rich and light pgmtui modules: the store, the model, pendulum, the domain
and the real screens load behind it.
"""

from __future__ import annotations

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from pgmtui.app import PgmApp
from pgmtui.firstpaint import FirstPaint
from pgmtui.safetext import one_line
from pgmtui.widgets.badges import rag_badge
from pgmtui.widgets.footer import FittingFooter
from pgmtui.widgets.header import HeaderParts, header_line


def cached_cells(paint: FirstPaint) -> list[list[Text]]:
    """The rows' cells as the table shows them: literal text (never markup; control characters
    shown visibly), right-aligned numbers, and the RAG column redrawn as its coloured badge."""
    out = []
    for row in paint.rows:
        cells = []
        for column, value in zip(paint.columns, row.cells, strict=True):
            if column.key == paint.rag_column and row.rag in ("R", "A", "G"):
                cells.append(rag_badge(row.rag, overridden=row.overridden))
            else:
                cells.append(Text(one_line(value), justify="right" if column.numeric else "left"))
        out.append(cells)
    return out


class CachedHeader(Static):
    """The header line from the cache, with the app's status ("refreshing…" until live)."""

    DEFAULT_CSS = """
    CachedHeader { height: 1; width: 1fr; background: $panel; color: $text; }
    """

    app = getters.app(PgmApp)

    def __init__(self, paint: FirstPaint) -> None:
        super().__init__("", id="programme-header")
        self.paint = paint

    def on_mount(self) -> None:
        self.watch(self.app, "status", lambda _=None: self._update(), init=True)

    def on_resize(self) -> None:
        self._update()

    def _update(self) -> None:
        p = self.paint
        parts = HeaderParts(
            p.title, self.app.status, p.programme, p.rag, p.overridden, p.today_long, p.today_short
        )
        self.update(header_line(parts, self.size.width or self.app.size.width or 80))


class CachedPortfolioScreen(Screen[None]):
    """The cached first screen (read-only picture; the app's keys work, the screen's own wait)."""

    DEFAULT_CSS = """
    CachedPortfolioScreen #headline { height: auto; max-height: 4; }
    CachedPortfolioScreen .headline-line { height: 1; width: 1fr; }
    CachedPortfolioScreen #projects { height: 1fr; }
    """

    def __init__(self, paint: FirstPaint) -> None:
        super().__init__()
        self.paint = paint

    def compose(self) -> ComposeResult:
        yield CachedHeader(self.paint)
        with Vertical(id="headline", classes="headline"):
            for line in self.paint.headline:
                yield Static(Text(one_line(line), no_wrap=True, overflow="ellipsis"), classes="headline-line")
        yield DataTable(id="projects", cursor_type="row", zebra_stripes=True)
        yield FittingFooter()

    def on_mount(self) -> None:
        table = self.query_one("#projects", DataTable)
        for column in self.paint.columns:
            label = Text(one_line(column.label), justify="right" if column.numeric else "left")
            table.add_column(label, key=column.key, width=column.width or None)
        for row, cells in zip(self.paint.rows, cached_cells(self.paint), strict=True):
            table.add_row(*cells, key=str(row.id))
        ids = [row.id for row in self.paint.rows]
        if self.paint.cursor in ids:
            table.move_cursor(row=ids.index(self.paint.cursor), animate=False)
        table.focus()

    @property
    def cursor_id(self) -> int | None:
        """The record under the cursor (carried over to the live screen)."""
        table = self.query_one("#projects", DataTable)
        if 0 <= table.cursor_row < len(self.paint.rows):
            return self.paint.rows[table.cursor_row].id
        return None
