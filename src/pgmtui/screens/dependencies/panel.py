"""The panel under the views: what the selection knocks on (lines from `whatif`, `critical` and
`matrix`). It shows as many lines as a third of the screen allows and says how many it left out."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from pgmtui.widgets.cells import signature

MIN_LINES = 5


class KnockOnPanel(Static):
    """Repaints only when its text changed (a live refresh elsewhere resends nothing here)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[object, ...] | None = None

    def max_lines(self) -> int:
        """A third of the screen below the header, summary and footer (at least MIN_LINES)."""
        height = self.screen.size.height or self.app.size.height or 24
        return max(MIN_LINES, (height - 6) // 3)

    def show(self, lines: Sequence[Text]) -> None:
        limit = self.max_lines()
        if len(lines) > limit:
            hidden = len(lines) - limit + 1
            lines = [
                *lines[: limit - 1],
                Text(f"  … and {hidden} more line(s) (a taller terminal shows them)", style="dim"),
            ]
        out = Text(no_wrap=True, overflow="ellipsis")
        for i, line in enumerate(lines):
            if i:
                out.append("\n")
            out.append_text(line)
        shown = signature(out)
        if shown != self._shown:
            self._shown = shown
            self.update(out)
