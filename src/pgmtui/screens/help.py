"""`?`: every key of the current screen, read from its live bindings (so it cannot go stale)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

GLOBAL_KEYS = [
    ("1 … 5", "Portfolio, Dependencies, Risks, Benefits, Stand-up"),
    ("ctrl+p", "Command palette: jump to any project, risk or benefit; run any action"),
    ("?", "This help"),
    ("r", "Refresh now (changes by anyone also appear by themselves within a second)"),
    ("j / k, ↑ / ↓", "Move the cursor"),
    ("escape", "Back / close"),
    ("q", "Quit"),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", key_display="?"),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def __init__(self, for_screen: Screen) -> None:
        super().__init__()
        self.for_screen = for_screen

    def compose(self) -> ComposeResult:
        screen = self.for_screen
        title = getattr(screen, "SCREEN_TITLE", screen.__class__.__name__)
        with VerticalScroll(id="help-body"):
            yield Static(Text(f"Keys — {title}", style="bold"), id="help-title")
            about = getattr(screen, "HELP", "")
            if about:
                yield Static(Text(about), classes="help-about")
            screen_keys, widget_keys = self._keys()
            yield Static(self._table("This screen", screen_keys), classes="help-table")
            yield Static(self._table("Everywhere", GLOBAL_KEYS), classes="help-table")
            if widget_keys:
                yield Static(self._table("In the focused list or field", widget_keys), classes="help-table")
            yield Static(Text("escape or ? to close", style="dim"))

    # Generic widget keys that every Textual list has; listing them would bury the screen's own.
    NOISE = {"Focus Next", "Focus Previous", "Copy selected text", "Page Left", "Page Right"}

    def _keys(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(the screen's own keys, keys of the focused widget), from the live bindings."""
        own: list[tuple[str, str]] = []
        widget: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()
        for active in self.for_screen.active_bindings.values():
            binding = active.binding
            if active.node is self.app or not binding.description or binding.description in self.NOISE:
                continue
            label = binding.key_display or self.app.get_key_display(binding)
            if (label, binding.description) in seen:
                continue
            seen.add((label, binding.description))
            text = binding.description + ("" if active.enabled else " (not available here)")
            (own if active.node is self.for_screen else widget).append((label, text))
        return own, widget

    @staticmethod
    def _table(heading: str, rows: list[tuple[str, str]]) -> Table:
        table = Table(title=heading, title_justify="left", show_header=False, box=None, title_style="bold")
        table.add_column("key", style="bold", no_wrap=True, min_width=12)
        table.add_column("action")
        for key, text in rows:
            table.add_row(Text(key), Text(text))
        return table

    def action_dismiss(self) -> None:
        self.dismiss()
