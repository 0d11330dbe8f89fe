"""The base of every pgmtui screen: header, footer, and the model it re-renders from."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from pgmtui.model import Model
from pgmtui.widgets.header import ProgrammeHeader


class PgmScreen(Screen):
    """Subclasses set SCREEN_TITLE, compose their body in `compose_body` and render in `show_model`.

    `show_model` runs on mount (once a model exists) and after every refresh; it must update
    widgets in place (keep cursors, scroll positions and open forms) rather than rebuild them.
    """

    SCREEN_TITLE = "pgmtui"
    HELP = ""  # one paragraph shown at the top of the `?` help for this screen

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield ProgrammeHeader(self.SCREEN_TITLE)
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.title = self.SCREEN_TITLE
        self.watch(self.app, "model", self._model_changed, init=True)

    def _model_changed(self, model: Model | None) -> None:
        if model is not None:
            self.show_model(model)

    @property
    def model(self) -> Model | None:
        return getattr(self.app, "model", None)

    def show_model(self, model: Model) -> None:
        """Render `model`. Called on mount and after every refresh."""

    # j/k move the cursor of whatever list has focus, like the arrow keys.
    def action_cursor_down(self) -> None:
        focused = self.focused
        if focused is not None and hasattr(focused, "action_cursor_down"):
            focused.action_cursor_down()

    def action_cursor_up(self) -> None:
        focused = self.focused
        if focused is not None and hasattr(focused, "action_cursor_up"):
            focused.action_cursor_up()
