"""The power/interest map: the 5×5 grid of the risk heatmap (pgmtui.widgets.heatmap.GridMap) with
power up the side and interest along the bottom, stakeholders' names in the cells (attitude as
glyph + letter, gap arrow, ! for a risk, * for an overdue contact), a line and a bar where the
programme's thresholds split the grid into Mendelow quadrants, and each quadrant's name (and how
many stakeholders it holds) above and below the grid, so the quadrants read without colour."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.binding import Binding

from pgmtui.domain.riskmap import Cell
from pgmtui.domain.stakeholders import KEEP_INFORMED, KEEP_SATISFIED, MANAGE_CLOSELY, MONITOR, Thresholds
from pgmtui.widgets.attitude import MapEntry, fit
from pgmtui.widgets.heatmap import GridMap

LEVELS = {1: "Very low", 2: "Low", 3: "Medium", 4: "High", 5: "Very high"}
LONG_LABEL = 13  # "P5 Very high "
SHORT_LABEL = 5  # "P5   "
QUADRANT_STYLE = "bold"


class StakeholderMap(GridMap, inherit_bindings=False):
    """Feed it with `set_data(entries by (power, interest), thresholds)`; `cursor` is (power, interest).

    Arrow keys move (j/k too, through the screen); not h/l as on the risk heatmap: `l` logs an
    engagement on the stakeholders screen."""

    DEFAULT_CSS = """
    StakeholderMap { height: auto; width: 1fr; }
    StakeholderMap:focus { background-tint: $foreground 3%; }
    """

    BINDINGS = [
        Binding("up", "move(1, 0)", "Up", show=False),
        Binding("down", "move(-1, 0)", "Down", show=False),
        Binding("left", "move(0, -1)", "Left", show=False),
        Binding("right", "move(0, 1)", "Right", show=False),
        Binding("enter", "select", "List cell", show=False),
    ]
    max_cell_width = 30

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.entries: dict[Cell, tuple[MapEntry, ...]] = {}
        self.thresholds = Thresholds()

    def set_data(self, entries: Mapping[Cell, Sequence[MapEntry]], thresholds: Thresholds) -> None:
        """New cell contents; repaints (and re-lays out, when the thresholds moved) only on a change."""
        new = {cell: tuple(e) for cell, e in entries.items() if e}
        if new == self.entries and thresholds == self.thresholds:
            return
        old_counts, old_thresholds = self.quadrant_counts(), self.thresholds
        changed = [c for c in set(new) | set(self.entries) if new.get(c) != self.entries.get(c)]
        self.entries, self.thresholds = new, thresholds
        if thresholds != old_thresholds:
            self.refresh(layout=True)
        elif self.quadrant_counts() != old_counts:
            self.refresh()  # the quadrant labels above and below the grid say how many
        else:
            self.refresh_cells(changed)

    def stakeholders(self, cell: Cell) -> tuple[MapEntry, ...]:
        return self.entries.get(cell, ())

    def quadrant_counts(self) -> dict[str, int]:
        t = self.thresholds
        counts = dict.fromkeys((MANAGE_CLOSELY, KEEP_SATISFIED, KEEP_INFORMED, MONITOR), 0)
        for (p, i), entries in self.entries.items():
            high_p, high_i = p >= t.power, i >= t.interest
            q = (
                (MANAGE_CLOSELY if high_i else KEEP_SATISFIED)
                if high_p
                else (KEEP_INFORMED if high_i else MONITOR)
            )
            counts[q] += len(entries)
        return counts

    # ------------------------------------------------------------------ layout

    def extra_lines(self) -> int:
        low_rows = self.thresholds.power > 1  # rows below the power threshold: a divider and their labels
        return 1 + (2 if low_rows else 0) + 1

    def label_width(self, width: int) -> int:
        return LONG_LABEL if width >= 110 else SHORT_LABEL

    def column_gap(self, column: int) -> str:
        return "│" if column == self.thresholds.interest - 1 else " "

    def row_label(self, row: int, middle: bool, label_w: int) -> Text:
        lab = ""
        if middle:
            lab = f"P{row} {LEVELS[row]}" if label_w == LONG_LABEL else f"P{row}"
        return Text(lab.ljust(label_w)[:label_w], style="bold" if middle else "")

    def _spans(self, inner: int) -> tuple[int, int]:
        """Widths of the low-interest and high-interest halves (cells and the gaps inside each)."""
        left_cols = self.thresholds.interest - 1
        right_cols = 5 - left_cols
        left = left_cols * (inner + 1) - 1 if left_cols else 0
        return left, right_cols * (inner + 1) - 1

    def _quadrant_line(self, corner: str, label_w: int, inner: int, left_name: str, right_name: str) -> Text:
        counts = self.quadrant_counts()
        left_w, right_w = self._spans(inner)
        out = Text(corner.ljust(label_w)[:label_w], style="bold")
        if left_w > 0:
            out.append(fit(f"{left_name} ({counts[left_name]})", left_w).center(left_w), style=QUADRANT_STYLE)
            out.append("│")
        out.append(fit(f"{right_name} ({counts[right_name]})", right_w).center(right_w), style=QUADRANT_STYLE)
        return out

    def lines_above(self, label_w: int, inner: int) -> list[Text]:
        corner = "Power ↑" if label_w == LONG_LABEL else "P↑ I→"
        return [self._quadrant_line(corner, label_w, inner, KEEP_SATISFIED, MANAGE_CLOSELY)]

    def lines_after_row(self, row: int, label_w: int, inner: int) -> list[Text]:
        if row != self.thresholds.power or row == 1:
            return []
        line = Text(" " * label_w)
        for i in range(1, 6):
            line.append("─" * inner)
            if i < 5:
                line.append("┼" if i == self.thresholds.interest - 1 else "─")
        return [line]

    def lines_below(self, label_w: int, inner: int, width: int) -> list[Text]:
        lines = []
        if self.thresholds.power > 1:
            lines.append(self._quadrant_line("", label_w, inner, MONITOR, KEEP_INFORMED))
        axis = Text(("Interest →" if label_w == LONG_LABEL else "").ljust(label_w), style="bold")
        for i in range(1, 6):
            name = f"I{i} {LEVELS[i]}"
            axis.append((name if len(name) <= inner else f"I{i}").center(inner)[:inner], style="bold")
            axis.append(" ")
        lines.append(axis)
        return lines

    # ------------------------------------------------------------------ cells

    def cell_line(self, cell: Cell, inner: int, middle: bool, line: int, ch: int) -> Text:
        """The cursor cell is marked ▸ ◂ (and reverse video); the others use the whole width."""
        selected = cell == self.cursor
        entries = self.entries.get(cell, ())
        width = inner - 2 if selected else inner
        body = Text()
        if not entries:
            if middle:
                body = Text("·".center(width), style="dim")
        elif line < len(entries):
            more = len(entries) - ch if line == ch - 1 and len(entries) > ch else 0
            if more:
                suffix = f" +{more}"
                body = entries[line].text(width - len(suffix))
                body.append(suffix, style="bold")
            else:
                body = entries[line].text(width)
        body.truncate(width, pad=True)
        if not selected:
            return body
        out = Text("▸")
        out.append_text(body)
        out.append("◂")
        out.stylize("reverse bold")
        return out
