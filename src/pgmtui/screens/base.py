"""The base of every pgmtui screen: header, footer, and the model it re-renders from."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input

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

    # ------------------------------------------------------------------ the `/` filter box
    # A screen with a filter composes a hidden Input with id FILTER_ID and implements `refilter`
    # (re-render for the new `filter_text`) and `focus_main` (where focus goes when the box closes).

    FILTER_ID: str | None = None
    filter_text = ""

    def refilter(self) -> None:
        """Re-render after `filter_text` changed."""

    def focus_main(self) -> None:
        """Focus the screen's main list."""

    def _filter_box(self) -> Input:
        return self.query_one(f"#{self.FILTER_ID}", Input)

    def action_filter(self) -> None:
        box = self._filter_box()
        box.display = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.FILTER_ID is not None and event.input.id == self.FILTER_ID:
            self.filter_text = event.value
            self.refilter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.FILTER_ID is not None and event.input.id == self.FILTER_ID:
            if not self.filter_text:
                event.input.display = False
            self.focus_main()

    def close_filter(self, *, focus: bool = True) -> bool:
        """Empty and hide the filter box; False if it was not open."""
        box = self._filter_box()
        if not box.display and not self.filter_text:
            return False
        box.value = ""
        box.display = False
        self.filter_text = ""
        self.refilter()
        if focus:
            self.focus_main()
        return True

    # j/k move the cursor of whatever list has focus, like the arrow keys.
    def action_cursor_down(self) -> None:
        focused = self.focused
        if focused is not None and hasattr(focused, "action_cursor_down"):
            focused.action_cursor_down()

    def action_cursor_up(self) -> None:
        focused = self.focused
        if focused is not None and hasattr(focused, "action_cursor_up"):
            focused.action_cursor_up()
