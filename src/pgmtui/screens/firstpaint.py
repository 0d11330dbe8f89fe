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
from textual.widgets import Static

from pgmtui.app import PgmApp
from pgmtui.firstpaint import FirstPaint
from pgmtui.safetext import one_line
from pgmtui.widgets.badges import rag_badge
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


def cached_table(paint: FirstPaint, cursor: int | None = None) -> Text:
    """The table as one block of text: the header row, then a line per record, each cell cut or
    padded to its column's width with a space either side (as the live table lays them out), the
    cursor's row highlighted. A picture, not a DataTable: drawing 30 rows × 14 cells as table
    cells costs more than the whole rest of the first frame."""
    lines = Text(no_wrap=True, overflow="crop", end="")
    for column in paint.columns:
        label = Text(one_line(column.label), style="bold")
        lines.append_text(_fitted(label, column.width, column.numeric))
    for row, cells in zip(paint.rows, cached_cells(paint), strict=True):
        line = Text()
        for column, cell in zip(paint.columns, cells, strict=True):
            line.append_text(_fitted(cell, column.width, column.numeric))
        if row.id == cursor:
            line.stylize("reverse")
        lines.append("\n")
        lines.append_text(line)
    return lines


def _fitted(cell: Text, width: int, numeric: bool) -> Text:
    fitted = cell.copy()
    fitted.truncate(width, overflow="crop")  # as the live table cuts a cell
    fitted.align("right" if numeric else "left", width)
    return Text.assemble(" ", fitted, " ")


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
    CachedPortfolioScreen #projects { height: 1fr; overflow: hidden; }
    CachedPortfolioScreen #cached-footer { height: 1; background: $panel; }
    """

    def __init__(self, paint: FirstPaint) -> None:
        super().__init__()
        self.paint = paint

    def compose(self) -> ComposeResult:
        yield CachedHeader(self.paint)
        with Vertical(id="headline", classes="headline"):
            for line in self.paint.headline:
                yield Static(Text(one_line(line), no_wrap=True, overflow="ellipsis"), classes="headline-line")
        yield Static(cached_table(self.paint, self.cursor_id), id="projects")
        # Not the real footer (its keys are the live screen's; building it delays the first frame).
        yield Static(Text(" ? Help  q Quit  1–9 screens", style="dim"), id="cached-footer")

    @property
    def cursor_id(self) -> int | None:
        """The record under the cursor (carried over to the live screen)."""
        ids = [row.id for row in self.paint.rows]
        return self.paint.cursor if self.paint.cursor in ids else (ids[0] if ids else None)
