"""The footer: the current view's keys, as many as fit on one line, never one cut in the middle.

Textual's footer lays every shown key out in a row and lets the terminal's edge (or the palette
key docked on the right) cut the last one mid-word ("c Critical pa▏"). This one measures the
entries first and leaves out whole entries until the rest fits: `q Quit` goes first (everybody
knows it), then the screen's entries from the last (screens list their most used keys first);
`? Help` always stays, because `?` lists everything the footer had no room for (and so does the
palette, `ctrl+p`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

KEEP = ("app.help",)  # binding ids the footer never leaves out
DROP_FIRST = ("app.quit",)  # and the ones it leaves out before any of the screen's


@dataclass(frozen=True)
class Entry:
    binding: Binding
    enabled: bool
    tooltip: str
    key_display: str
    app_level: bool

    @property
    def width(self) -> int:
        """Columns a FooterKey takes: " key " then "description " (Textual's default padding)."""
        if not self.binding.description:
            return len(self.key_display)
        return len(self.key_display) + 2 + len(self.binding.description) + 1


def fit(entries: Sequence[Entry], room: int) -> list[Entry]:
    """The entries to show in `room` columns, in their order (see the module docstring)."""
    shown = list(entries)
    while sum(e.width for e in shown) > room:
        droppable = [i for i, e in enumerate(shown) if e.binding.id not in KEEP]
        if not droppable:
            break
        first = [i for i in droppable if shown[i].binding.id in DROP_FIRST]
        screen_level = [i for i in droppable if not shown[i].app_level]
        del shown[(first or screen_level or droppable)[-1]]
    return shown


def palette_width(key_display: str, description: str) -> int:
    """The palette key docked on the right: a border column, " ^p " "palette ", padding 1."""
    return 1 + len(key_display) + 2 + len(description) + 1 + 1


class FittingFooter(Footer):
    """A Footer that shows only whole entries (see the module docstring). It is rebuilt only when
    what it shows changes: Textual asks every footer to recompose whenever its screen's bindings
    are refreshed (each time the screen is shown, each focus change), and rebuilding ten keys'
    widgets and their styles was a sixth of a top screen's first paint."""

    def __init__(self) -> None:
        super().__init__(id="footer")
        self._composed_width = 0
        self._composed: tuple[Any, ...] | None = None  # what compose() last showed
        self.rebuilds = 0  # compositions (tests read it)

    def on_resize(self) -> None:
        if self.size.width != self._composed_width and self._bindings_ready:
            self.call_after_refresh(self.recompose)

    def _layout(self) -> tuple[list[Entry], Binding | None, bool]:
        """The entries that fit, the palette key (if shown) and whether it is enabled."""
        width = self.size.width or self.app.size.width or 80
        active = self.screen.active_bindings
        entries: list[Entry] = []
        seen_actions: set[str] = set()
        for node, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in seen_actions:
                continue
            seen_actions.add(binding.action)
            entries.append(Entry(binding, enabled, tooltip, self.app.get_key_display(binding), _is_app(node)))
        room = width
        palette_binding, palette_enabled = None, False
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = active.get(self.app.COMMAND_PALETTE_BINDING)
            if palette is not None:
                palette_binding, palette_enabled = palette.binding, palette.enabled
                room -= palette_width(self.app.get_key_display(palette_binding), palette_binding.description)
        return fit(entries, room), palette_binding, palette_enabled

    def _key(self, layout: tuple[list[Entry], Binding | None, bool]) -> tuple[Any, ...]:
        entries, palette, enabled = layout
        return (
            self.size.width or self.app.size.width,
            self.compact,
            tuple(entries),
            palette,
            enabled,
            None if palette is None else self.app.get_key_display(palette),
        )

    async def recompose(self) -> None:
        if self._bindings_ready and self.is_attached and self._composed is not None:
            if self._key(self._layout()) == self._composed:
                return  # the same keys, the same width: nothing to rebuild
        await super().recompose()

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        layout = self._layout()
        self._composed_width = self.size.width or self.app.size.width or 80
        self._composed = self._key(layout)
        self.rebuilds += 1
        entries, palette, palette_enabled = layout
        for entry in entries:
            binding = entry.binding
            yield FooterKey(
                binding.key,
                entry.key_display,
                binding.description,
                binding.action,
                disabled=not entry.enabled,
                tooltip=entry.tooltip,
            ).data_bind(compact=Footer.compact)
        if palette is not None:
            yield FooterKey(
                palette.key,
                self.app.get_key_display(palette),
                palette.description,
                palette.action,
                classes="-command-palette",
                disabled=not palette_enabled,
                tooltip=palette.tooltip or palette.description,
            )


def _is_app(node: DOMNode) -> bool:
    return node.parent is None and node is node.app
