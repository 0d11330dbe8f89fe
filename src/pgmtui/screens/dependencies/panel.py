"""The panel under the views: what the selection knocks on (lines from `whatif`, `critical` and
`matrix`). It takes up to a third of the screen; longer knock-ons scroll (tab to the panel, then
j / k), and its top border says how many lines are below."""

from __future__ import annotations

from pgmtui.widgets.scroll import ScrollPanel

MIN_LINES = 5


class KnockOnPanel(ScrollPanel):
    """Repaints only when its text changed (a live refresh elsewhere resends nothing here)."""

    def max_lines(self) -> int:
        """A third of the screen below the header, summary and footer (at least MIN_LINES)."""
        height = self.screen.size.height or self.app.size.height or 24
        return max(MIN_LINES, (height - 6) // 3)

    def on_mount(self) -> None:
        self._limit_height()

    def on_resize(self) -> None:
        self._limit_height()

    def _limit_height(self) -> None:
        self.styles.max_height = self.max_lines() + 1  # and the border line above
