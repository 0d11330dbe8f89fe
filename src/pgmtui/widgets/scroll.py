"""Panels that scroll instead of hiding lines, and say when there is more to see.

- `ScrollPanel`: a focusable panel of text lines (tab reaches it; j / k, arrows, g / G, ctrl+d /
  ctrl+u scroll it). Its top border says how many lines are below or above ("↓ 3 more lines"),
  so a panel taller than the terminal allows is never silently cut.
- `MoreBelow`: one line under a scrolling page (the project detail) naming the sections still
  below the fold ("↓ below: Open risks · Benefits — tab moves there"), hidden at the end.

Both read without colour: the indicator is a glyph and words, focus changes the border's shape.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import ScrollableContainer
from textual.widget import Widget
from textual.widgets import Static

from pgmtui.widgets.cells import signature


def more_lines_title(top: int, visible: int, total: int, focused: bool) -> str:
    """The border title of a panel showing lines [top, top + visible) of `total`."""
    if total <= visible:
        return ""
    above, below = top, max(total - top - visible, 0)
    parts = []
    if above:
        parts.append(f"↑ {above} more")
    if below:
        parts.append(f"↓ {below} more line{'s' if below != 1 else ''}")
    how = "j/k scroll" if focused else "tab, then j/k"
    return f" {' · '.join(parts)} ({how}) "


class ScrollPanel(ScrollableContainer, can_focus=True):
    """Lines of text that scroll; `show(lines)` repaints only when they changed."""

    DEFAULT_CSS = """
    ScrollPanel {
        height: auto;
        border-top: solid $primary 50%;
        border-title-align: right;
        border-title-color: $text;
        border-title-style: bold;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    ScrollPanel:focus {
        border-top: heavy $accent;
    }
    ScrollPanel > Static {
        width: 1fr;
        height: auto;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._shown: tuple[object, ...] | None = None
        self.line_count = 0

    def compose(self) -> ComposeResult:
        yield Static(classes="scroll-panel-body")

    @property
    def body(self) -> Static:
        return self.query_one(".scroll-panel-body", Static)

    def show(self, lines: Sequence[Text]) -> None:
        out = Text(no_wrap=True, overflow="ellipsis")
        for i, line in enumerate(lines):
            if i:
                out.append("\n")
            out.append_text(line)
        shown = signature(out)
        if shown != self._shown:
            self._shown = shown
            self.line_count = len(lines)
            self.body.update(out)
            self.call_after_refresh(self._update_title)

    def visible_lines(self) -> int:
        return self.scrollable_content_region.height

    def _update_title(self) -> None:
        self.border_title = more_lines_title(
            round(self.scroll_y), self.visible_lines(), self.line_count, self.has_focus
        )

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._update_title()

    def on_resize(self) -> None:
        self.call_after_refresh(self._update_title)

    def _on_focus(self, event: object) -> None:
        self._update_title()

    def _on_blur(self, event: object) -> None:
        self._update_title()


class MoreBelow(Static):
    """Names the sections of a scrolling page that are below what is shown (hidden at the end).

    `page` is the scrolling container; its section headings carry the class `section-title`."""

    DEFAULT_CSS = """
    MoreBelow {
        height: 1;
        padding: 0 1;
        text-style: bold;
        background: $boost;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, page: Widget, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.page = page
        self._shown = ""

    def on_mount(self) -> None:
        self.watch(self.page, "scroll_y", lambda _=None: self.recount(), init=False)
        self.watch(self.page, "virtual_size", lambda _=None: self.recount(), init=False)
        self.call_after_refresh(self.recount)

    def on_resize(self) -> None:
        self.call_after_refresh(self.recount)

    def recount(self) -> None:
        page = self.page
        if not page.is_attached:
            return
        bottom = page.content_region.bottom
        # Regions are in screen coordinates, also for what is scrolled out of sight.
        below = [
            _plain(title)
            for title in page.query(".section-title").results(Static)
            if title.display and title.region.y >= bottom
        ]
        lines_below = round(page.max_scroll_y - page.scroll_y)
        if lines_below <= 0:
            text = ""
        elif below:
            text = f"↓ below: {' · '.join(below)} — tab moves there, j/k or ctrl+d scroll"
        else:
            text = f"↓ {lines_below} more line{'s' if lines_below != 1 else ''} below — ctrl+d scrolls"
        if text != self._shown:
            self._shown = text
            self.update(Text(text))
        self.display = bool(text)


def _plain(widget: Static) -> str:
    content = widget.content
    return content.plain.strip() if isinstance(content, Text) else str(content).strip()


class Note(Static, can_focus=True):
    """A section of text on a scrolling page that tab can reach (so the page scrolls to it);
    focus shows as a thick bar on its left, which reads without colour."""

    DEFAULT_CSS = """
    Note {
        border-left: blank;
    }
    Note:focus {
        border-left: thick $accent;
    }
    """
