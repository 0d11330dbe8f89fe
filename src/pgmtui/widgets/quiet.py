"""QuietStatic: a Static for live panels that repaints only the lines whose text changed.

Textual's `Static.update` marks the whole widget dirty and asks for a layout of the screen. On a
live dashboard that costs terminal output twice over: the panel is re-sent whole (its border
too), and the layout pass re-sends the scrollbars of every list on the screen (the portfolio's
table scrollbars alone were ~4 KB per refresh at 120×40, more than the cell that changed).

`show(content)` compares what the new content renders to, line by line, with what is on screen:
nothing changed → nothing is sent; the same number of lines → only the changed lines are marked
dirty and no layout is asked for; another number of lines (or another width) → a normal update;
hidden (in a view not shown now) → the text is kept without a layout (showing the view lays it out).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.dom import DOMNode
from textual.geometry import Region
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget
from textual.widgets import Static


class QuietStatic(Static):
    """A Static updated with `show(content)` (see the module docstring). `update` still works and
    repaints everything (use it for content that is not live)."""

    def __init__(self, content: Any = "", **kwargs: Any) -> None:
        super().__init__(content, **kwargs)
        self._key: str | None = None  # the content shown, as markup
        self._strips: list[Strip] | None = None  # what it rendered to, at `_width`
        self._width = -1
        self._narrow: list[Region] | None = None  # set only for the duration of a narrow update
        self.repaints = 0  # full repaints asked for (tests read it)
        self.lines_repainted = 0  # lines repainted by narrow updates (tests read it)

    def show(self, content: Text | str) -> bool:
        """Show `content`, repainting as little as possible; False when it was already shown."""
        text = content if isinstance(content, Text) else Text(content)
        key = text.markup
        if key == self._key:
            return False
        self._key = key
        width = self.size.width
        if not self.is_mounted or width <= 0:
            self._strips, self._width = None, -1
            if self.is_mounted and not self._displayed():
                # Hidden (a view not shown now): showing it later lays it out anyway; a layout now
                # would only re-send the scrollbars of what is on screen.
                self.update(text, layout=False)
            else:
                self._full(text)
            return True
        strips = self._render_strips(text, width)
        old, self._strips = self._strips, strips
        same_width, self._width = self._width == width, width
        if old is None or not same_width or len(old) != len(strips):  # its height may change: layout
            self._full(text)
            return True
        changed = [y for y, (a, b) in enumerate(zip(old, strips, strict=True)) if a != b]
        self._narrow = [Region(0, y, width, 1) for y in changed]
        self.lines_repainted += len(changed)
        try:
            self.update(text, layout=False)  # refresh() below narrows it to the changed lines
        finally:
            self._narrow = None
        return True

    def _displayed(self) -> bool:
        node: DOMNode | None = self
        while isinstance(node, Widget):
            if not node.display:
                return False
            node = node.parent
        return True

    def _full(self, text: Text) -> None:
        self.repaints += 1
        self.update(text)

    def _render_strips(self, text: Text, width: int) -> list[Strip]:
        visual = visualize(self, text, markup=False)
        height = visual.get_height(self.styles, width)  # type: ignore[arg-type]  # as Textual calls it
        return list(Visual.to_strips(self, visual, width, height, self.visual_style))

    def refresh(self, *regions: Region, **kwargs: Any) -> Any:
        narrow = self._narrow
        if narrow is not None and not regions and not kwargs.get("layout") and not kwargs.get("recompose"):
            self._narrow = None
            if not narrow:
                return self
            return super().refresh(*narrow)
        return super().refresh(*regions, **kwargs)
