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
            yield Static(self._table("This screen", self._screen_keys()), classes="help-table")
            yield Static(self._table("Everywhere", GLOBAL_KEYS), classes="help-table")
            yield Static(Text("escape or ? to close", style="dim"))

    def _screen_keys(self) -> list[tuple[str, str]]:
        rows: list[tuple[str, str]] = []
        seen: set[str] = set()
        for _key, active in self.for_screen.active_bindings.items():
            binding = active.binding
            if active.node is self.app or not binding.description:
                continue
            label = binding.key_display or self.app.get_key_display(binding)
            if (label, binding.description) in seen:
                continue
            seen.add((label, binding.description))
            rows.append((label, binding.description + ("" if active.enabled else " (not available here)")))
        return rows

    @staticmethod
    def _table(heading: str, rows: list[tuple[str, str]]) -> Table:
        table = Table(title=heading, title_justify="left", show_header=False, box=None, expand=True)
        table.add_column("key", style="bold", no_wrap=True, width=14)
        table.add_column("action")
        for key, text in rows:
            table.add_row(Text(key), Text(text))
        return table

    def action_dismiss(self) -> None:
        self.dismiss()
