"""`?`: every key of the current screen, from the same action definitions as the footer and the
palette, with the keys as bound now (a user keymap shows here too)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from pgmtui.actions import Act
from pgmtui.app import PgmApp
from pgmtui.screens.contract import DashboardScreen

ACTIONS_HELP: tuple[Act, ...] = (
    Act("help.close", "escape", "dismiss", "Close", "Close the help", palette=False),
    Act("help.close_q", "question_mark", "dismiss", "Close", footer=False, palette=False, key_display="?"),
    Act("help.quit", "q", "dismiss", "Close", footer=False, palette=False),
    Act("help.down", "j", "scroll_down", "Down", footer=False, palette=False),
    Act("help.up", "k", "scroll_up", "Up", footer=False, palette=False),
)


class HelpScreen(ModalScreen[None]):
    app = getters.app(PgmApp)  # typed: the help lists PgmApp's ACTIONS
    BINDINGS = [a.binding() for a in ACTIONS_HELP]

    def __init__(self, for_screen: Screen) -> None:
        super().__init__()
        self.for_screen = for_screen

    def compose(self) -> ComposeResult:
        screen = self.for_screen
        title = getattr(screen, "SCREEN_TITLE", screen.__class__.__name__)
        with VerticalScroll(id="help-body"):
            yield Static(Text(f"Keys — {title}", style="bold"), id="help-title")
            if isinstance(screen, DashboardScreen) and screen.HELP:
                yield Static(Text(screen.HELP), classes="help-about")
            yield Static(self._table("This screen", self._screen_rows()), classes="help-table")
            yield Static(self._table("Everywhere", self._app_rows()), classes="help-table")
            widget_rows = self._widget_rows()
            if widget_rows:
                yield Static(self._table("In the focused field", widget_rows), classes="help-table")
            yield Static(
                Text(
                    "escape or ? to close · keys can be changed in ~/.config/pgmtui/keymap.toml "
                    '("id" = "key", ids in the right column)',
                    style="dim",
                )
            )

    def _key_of(self, act: Act) -> str:
        for active in self.for_screen.active_bindings.values():
            if active.binding.id == act.id:
                return self.app.get_key_display(active.binding)
        return act.key_display or act.key

    def _screen_rows(self) -> list[tuple[str, str, str]]:
        screen = self.for_screen
        if not isinstance(screen, DashboardScreen):
            return []
        rows = []
        read_only = getattr(self.app, "read_only", False)
        for act in screen.actions():
            available = screen.check_action(act.action_name, ()) is True
            text = act.description + ("" if available else " (not available here)")
            if available and act.writes and read_only:
                text += " (refused: read-only)"
            rows.append((self._key_of(act), text, act.id))
        listed = {act.id for act in screen.actions()}
        for active in screen.active_bindings.values():  # bindings not (yet) written as actions
            binding = active.binding
            if active.node is screen and binding.description and binding.id not in listed:
                label = binding.key_display or self.app.get_key_display(binding)
                rows.append((label, binding.description, binding.id or ""))
        return rows

    def _app_rows(self) -> list[tuple[str, str, str]]:
        rows = [(self._key_of(a), a.description, a.id) for a in self.app.ACTIONS]
        rows.append(("ctrl+p", "Command palette: jump to any record, run any action", ""))
        rows.append(("escape", "Back / close", ""))
        return rows

    # Generic widget keys every Textual field has; listing them would bury the screen's own.
    NOISE = {"Focus Next", "Focus Previous", "Copy selected text", "Page Left", "Page Right"}

    def _widget_rows(self) -> list[tuple[str, str, str]]:
        """Keys of the focused widget: a list's own actions (sort, yank…) and a text field's or
        select's keys."""
        rows: list[tuple[str, str, str]] = []
        seen: set[tuple[str, str]] = set()
        for active in self.for_screen.active_bindings.values():
            binding = active.binding
            if active.node is self.app or active.node is self.for_screen:
                continue
            if not binding.description or binding.description in self.NOISE:
                continue
            label = binding.key_display or self.app.get_key_display(binding)
            if (label, binding.description) not in seen:
                seen.add((label, binding.description))
                rows.append((label, binding.description, binding.id or ""))
        return rows

    @staticmethod
    def _table(heading: str, rows: list[tuple[str, str, str]]) -> Table:
        table = Table(title=heading, title_justify="left", show_header=False, box=None, title_style="bold")
        table.add_column("key", style="bold", no_wrap=True, min_width=12)
        table.add_column("action", ratio=1)
        table.add_column("id", style="dim", no_wrap=True)
        for key, text, action_id in rows:
            table.add_row(Text(key), Text(text), Text(action_id))
        return table

    def action_scroll_down(self) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_up(animate=False)
