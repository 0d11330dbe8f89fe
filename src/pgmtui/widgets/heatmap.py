"""The 5×5 risk heatmap: probability up the side, impact along the bottom, one cell per P × I.

Each cell is coloured by its band AND shows the band letter and the number of risks in it, plus
↑n / ↓n / +n for risks that rose, fell or were logged since the last stand-up, so it reads without colour (NO_COLOR). The
cursor cell is marked with ▸ ◂ as well as reverse video. Arrow keys (and h j k l) move the cursor;
`enter` posts CellSelected.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from pgmtui.domain.risk import DEFAULT_BANDS, score
from pgmtui.domain.riskmap import IMPACT_LABELS, PROBABILITY_LABELS, Cell
from pgmtui.widgets.badges import BAND_LETTER, BAND_STYLE

MAX_CELL_WIDTH = 18
LONG_LABEL_WIDTH = 18  # "P5 Almost certain "
SHORT_LABEL_WIDTH = 4  # "P5  "


class RiskHeatmap(Widget, can_focus=True):
    """A focusable 5×5 grid of counts. Feed it with `set_data`; read `cursor` for the cell."""

    DEFAULT_CSS = """
    RiskHeatmap { height: auto; width: 1fr; }
    RiskHeatmap:focus { background-tint: $foreground 3%; }
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

    class CellHighlighted(Message):
        def __init__(self, heatmap: RiskHeatmap, cell: Cell) -> None:
            super().__init__()
            self.heatmap = heatmap
            self.cell = cell

    class CellSelected(Message):
        def __init__(self, heatmap: RiskHeatmap, cell: Cell) -> None:
            super().__init__()
            self.heatmap = heatmap
            self.cell = cell

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.counts: dict[Cell, int] = {}
        self.trends: dict[Cell, tuple[int, int, int]] = {}
        self.bands = DEFAULT_BANDS
        self.cell_height = 1

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
            self.refresh()
            self.post_message(self.CellHighlighted(self, new))

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

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self.cell_height = self._cell_height_for(self.app.size.height)
        return 5 * self.cell_height + 2

    def _geometry(self, width: int) -> tuple[int, int]:
        label = LONG_LABEL_WIDTH if width >= 70 else SHORT_LABEL_WIDTH
        cell = max(5, min(MAX_CELL_WIDTH, (width - label) // 5))
        return label, cell

    def render(self) -> Text:
        width = self.size.width or 80
        label_w, cell_w = self._geometry(width)
        inner = cell_w - 1  # one blank column between cells keeps same-band cells apart
        ch = self.cell_height
        out = Text(no_wrap=True, overflow="crop")
        for p in range(5, 0, -1):
            for line in range(ch):
                middle = line == (ch - 1) // 2 if ch != 2 else line == 0
                lab = ""
                if middle:
                    lab = f"P{p} {PROBABILITY_LABELS[p]}" if label_w == LONG_LABEL_WIDTH else f"P{p}"
                out.append(lab.ljust(label_w)[:label_w], style="bold" if middle else "")
                for i in range(1, 6):
                    out.append_text(self._cell_line((p, i), inner, middle, line, ch))
                    out.append(" ")
                out.append("\n")
        # Impact axis: numbers and names under the columns, then the axis title.
        axis = Text(" " * label_w)
        for i in range(1, 6):
            name = f"I{i} {IMPACT_LABELS[i]}"
            if len(name) > inner:
                name = IMPACT_LABELS[i] if len(IMPACT_LABELS[i]) <= inner else f"I{i}"
            axis.append(name.center(inner)[:inner], style="bold")
            axis.append(" ")
        out.append_text(axis)
        out.append("\n")
        axis_title = Text(" " * label_w)
        axis_title.append("Impact →", style="bold")
        axis_title.append("   Probability ↑", style="bold")
        legend = "   ↑ worse ↓ better +new since stand-up"
        if width >= label_w + 27 + len(legend):
            axis_title.append(legend, style="dim")
        out.append_text(axis_title)
        return out

    def _cell_line(self, cell: Cell, inner: int, middle: bool, line: int, ch: int) -> Text:
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
