"""5×5 grids with a cursor: the risk heatmap, and the base it shares with the stakeholder map.

`GridMap` is a focusable 5×5 grid (rows 5 → 1 up the side, columns 1 → 5 along the bottom) with a
cursor cell: arrow keys (and h j k l) move it, `enter` posts CellSelected, and the cursor cell is
marked with ▸ ◂ as well as reverse video. Subclasses say what a cell, a row label and the lines
around the grid show (`widgets/stakeholder_map.py` puts names in cells and quadrant labels around).

`RiskHeatmap`: probability up the side, impact along the bottom, one cell per P × I. Each cell is
coloured by its band AND shows the band letter and the number of risks in it, plus ↑n / ↓n / +n
for risks that rose, fell or were logged since the last stand-up, so it reads without colour
(NO_COLOR).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from pgmtui.domain.risk import DEFAULT_BANDS, score
from pgmtui.domain.riskmap import IMPACT_LABELS, PROBABILITY_LABELS, Cell
from pgmtui.widgets.badges import BAND_LETTER, BAND_STYLE

MAX_CELL_WIDTH = 18
LONG_LABEL_WIDTH = 18  # "P5 Almost certain "
SHORT_LABEL_WIDTH = 4  # "P5  "


class GridMap(Widget, can_focus=True):
    """A focusable 5×5 grid with a cursor cell. Subclasses implement `row_label`, `cell_line` and
    `lines_below` (and may add lines above the grid or between rows); read `cursor` for the cell,
    as (row, column): (probability, impact) on the risk heatmap, (power, interest) on the map."""

    DEFAULT_CSS = """
    GridMap { height: auto; width: 1fr; }
    GridMap:focus { background-tint: $foreground 3%; }
    """

    BINDINGS = [
        Binding("up", "move(1, 0)", "Up", show=False),
        Binding("down", "move(-1, 0)", "Down", show=False),
        Binding("left", "move(0, -1)", "Left", show=False),
        Binding("right", "move(0, 1)", "Right", show=False),
        Binding("h", "move(0, -1)", "Left", show=False),
        Binding("l", "move(0, 1)", "Right", show=False),
        Binding("enter", "select", "List cell", show=False),
    ]

    cursor: reactive[Cell] = reactive((3, 3))
    max_cell_width = MAX_CELL_WIDTH

    class CellHighlighted(Message):
        def __init__(self, heatmap: GridMap, cell: Cell) -> None:
            super().__init__()
            self.heatmap = heatmap
            self.cell = cell

    class CellSelected(Message):
        def __init__(self, heatmap: GridMap, cell: Cell) -> None:
            super().__init__()
            self.heatmap = heatmap
            self.cell = cell

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.cell_height = 1
        # Where the last render put each row (first line) and how wide the label and cells were:
        # lets a change repaint just the cells it touched (a whole grid is kilobytes over SSH).
        self._row_y: dict[int, int] = {}
        self._drawn: tuple[int, int, int] | None = None  # (width, label width, cell width)

    # ------------------------------------------------------------------ keys

    def action_move(self, dp: int, di: int) -> None:
        p, i = self.cursor
        self.cursor = (min(5, max(1, p + dp)), min(5, max(1, i + di)))

    def action_cursor_down(self) -> None:  # j (the screen routes j/k to the focused widget)
        self.action_move(-1, 0)

    def action_cursor_up(self) -> None:
        self.action_move(1, 0)

    def action_select(self) -> None:
        self.post_message(self.CellSelected(self, self.cursor))

    def watch_cursor(self, old: Cell, new: Cell) -> None:
        if old != new:
            self.refresh_cells((old, new))
            self.post_message(self.CellHighlighted(self, new))

    def cell_region(self, cell: Cell) -> Region | None:
        """Where a cell was drawn (in the widget's content), None before the first render."""
        if self._drawn is None or self._drawn[0] != (self.size.width or 80):
            return None
        _, label_w, cell_w = self._drawn
        p, i = cell
        y = self._row_y.get(p)
        if y is None:
            return None
        return Region(label_w + (i - 1) * cell_w, y, cell_w - 1, self.cell_height)

    def refresh_cells(self, cells: Iterable[Cell]) -> None:
        """Repaint only these cells (the whole grid when their places are not known yet)."""
        regions = [self.cell_region(c) for c in cells]
        if any(r is None for r in regions):
            self.refresh()
        else:
            self.refresh(*(r for r in regions if r is not None))

    def move_to(self, cell: Cell) -> None:
        p, i = cell
        self.cursor = (min(5, max(1, p)), min(5, max(1, i)))

    # ------------------------------------------------------------------ layout

    def _cell_height_for(self, screen_height: int) -> int:
        if screen_height >= 38:
            return 3
        if screen_height >= 30:
            return 2
        return 1

    def extra_lines(self) -> int:
        """Lines drawn besides the 5 rows of cells (labels, axes)."""
        return 2

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self.cell_height = self._cell_height_for(self.app.size.height)
        return 5 * self.cell_height + self.extra_lines()

    def label_width(self, width: int) -> int:
        return LONG_LABEL_WIDTH if width >= 70 else SHORT_LABEL_WIDTH

    def _geometry(self, width: int) -> tuple[int, int]:
        label = self.label_width(width)
        cell = max(5, min(self.max_cell_width, (width - label) // 5))
        return label, cell

    def render(self) -> Text:
        width = self.size.width or 80
        label_w, cell_w = self._geometry(width)
        inner = cell_w - 1  # one blank column between cells keeps same-band cells apart
        ch = self.cell_height
        out = Text(no_wrap=True, overflow="crop")
        y = 0
        for extra in self.lines_above(label_w, inner):
            out.append_text(extra)
            out.append("\n")
            y += 1
        self._drawn = (width, label_w, cell_w)
        for p in range(5, 0, -1):
            self._row_y[p] = y
            y += ch
            for line in range(ch):
                middle = line == (ch - 1) // 2 if ch != 2 else line == 0
                out.append_text(self.row_label(p, middle, label_w))
                for i in range(1, 6):
                    out.append_text(self.cell_line((p, i), inner, middle, line, ch))
                    out.append(self.column_gap(i))
                out.append("\n")
            for extra in self.lines_after_row(p, label_w, inner):
                out.append_text(extra)
                out.append("\n")
                y += 1
        out.append_text(Text("\n").join(self.lines_below(label_w, inner, width)))
        return out

    # ------------------------------------------------------------------ what subclasses draw

    def row_label(self, row: int, middle: bool, label_w: int) -> Text:
        """The label left of a row of cells, `label_w` wide (shown on the row's middle line)."""
        return Text(" " * label_w)

    def cell_line(self, cell: Cell, inner: int, middle: bool, line: int, ch: int) -> Text:
        """Line `line` (of `ch`) of a cell, `inner` wide."""
        return Text(" " * inner)

    def column_gap(self, column: int) -> str:
        """What separates column `column` from the next (a blank keeps neighbours apart)."""
        return " "

    def lines_above(self, label_w: int, inner: int) -> list[Text]:
        return []

    def lines_after_row(self, row: int, label_w: int, inner: int) -> list[Text]:
        return []

    def lines_below(self, label_w: int, inner: int, width: int) -> list[Text]:
        return []


class RiskHeatmap(GridMap):
    """A focusable 5×5 grid of risk counts. Feed it with `set_data`; read `cursor` for the cell."""

    DEFAULT_CSS = """
    RiskHeatmap { height: auto; width: 1fr; }
    RiskHeatmap:focus { background-tint: $foreground 3%; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.counts: dict[Cell, int] = {}
        self.trends: dict[Cell, tuple[int, int, int]] = {}
        self.bands = DEFAULT_BANDS

    # ------------------------------------------------------------------ data

    def set_data(self, counts: Mapping[Cell, int], trends: Mapping[Cell, tuple[int, int, int]]) -> None:
        """New counts and trend marks; repaints only when something shown changed."""
        counts, trends = dict(counts), dict(trends)
        if counts != self.counts or trends != self.trends:
            self.counts, self.trends = counts, trends
            self.refresh()

    def count(self, cell: Cell) -> int:
        return self.counts.get(cell, 0)

    def band(self, cell: Cell) -> str:
        return self.bands.band(score(*cell)) or "Low"

    # ------------------------------------------------------------------ drawing

    def row_label(self, row: int, middle: bool, label_w: int) -> Text:
        lab = ""
        if middle:
            lab = f"P{row} {PROBABILITY_LABELS[row]}" if label_w == LONG_LABEL_WIDTH else f"P{row}"
        return Text(lab.ljust(label_w)[:label_w], style="bold" if middle else "")

    def lines_below(self, label_w: int, inner: int, width: int) -> list[Text]:
        # Impact axis: numbers and names under the columns, then the axis title.
        axis = Text(" " * label_w)
        for i in range(1, 6):
            name = f"I{i} {IMPACT_LABELS[i]}"
            if len(name) > inner:
                name = IMPACT_LABELS[i] if len(IMPACT_LABELS[i]) <= inner else f"I{i}"
            axis.append(name.center(inner)[:inner], style="bold")
            axis.append(" ")
        axis_title = Text(" " * label_w)
        axis_title.append("Impact →", style="bold")
        axis_title.append("   Probability ↑", style="bold")
        legend = "   ↑ worse ↓ better +new since stand-up"
        if width >= label_w + 27 + len(legend):
            axis_title.append(legend, style="dim")
        return [axis, axis_title]

    def cell_line(self, cell: Cell, inner: int, middle: bool, line: int, ch: int) -> Text:
        band = self.band(cell)
        style = BAND_STYLE.get(band, "")
        selected = cell == self.cursor
        if selected:
            style = f"{style} reverse bold"
        if middle:
            n = self.count(cell)
            body = f"{BAND_LETTER.get(band, band[:1])} {n if n else '·'}"
            up, down, new = self.trends.get(cell, (0, 0, 0))
            marks = (f" ↑{up}" if up else "") + (f" ↓{down}" if down else "") + (f" +{new}" if new else "")
            if len(body) + len(marks) <= inner - 2:
                body += marks
            elif up or down or new:
                short = ("↑" if up else "") + ("↓" if down else "") + ("+" if new else "")
                body = (body + " " + short)[: inner - 2]
            text = body.center(inner - 2)[: inner - 2]
            content = ("▸" if selected else " ") + text + ("◂" if selected else " ")
        else:
            content = " " * inner
        return Text(content[:inner].ljust(inner), style=style)
