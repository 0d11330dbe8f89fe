"""The base of every pgmtui screen: header, footer, actions, store calls, and the model it renders.

A screen declares its `ACTIONS` (pgmtui.actions.Act): they become its key bindings, footer, palette
commands and `?` help. It reads and writes the store only through `read_store` / `write_store`,
which run on a worker thread and call back on the UI thread (a store error becomes a message on
screen; the app stays up). It renders from the app's Model in `show_model`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, getters, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import ActiveBinding, BindingType
from textual.containers import ScrollableContainer
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList

from pgmtui.actions import Act, bindings
from pgmtui.app import PgmApp
from pgmtui.model import Model
from pgmtui.records import KINDS
from pgmtui.screens.contract import OpenRecord, StoreJob, StoreReply
from pgmtui.widgets.footer import FittingFooter
from pgmtui.widgets.header import ProgrammeHeader
from pgmtui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from pgmtui.store import Store

NAVIGATION: tuple[Act, ...] = (
    Act("nav.down", "j", "cursor_down", "Down", "Move down (also ↓)", footer=False, palette=False),
    Act("nav.up", "k", "cursor_up", "Up", "Move up (also ↑)", footer=False, palette=False),
    # A list's own g / G / ctrl+d / ctrl+u (RecordTable) come first; these serve the other
    # scrollable things (the stand-up's lines, a panel, a detail page).
    Act("nav.first", "g", "first", "First", "To the top", footer=False, palette=False),
    Act("nav.last", "G", "last", "Last", "To the bottom", footer=False, palette=False, key_display="G"),
    Act("nav.half_down", "ctrl+d", "half_page(1)", "Half page down", footer=False, palette=False),
    Act("nav.half_up", "ctrl+u", "half_page(-1)", "Half page up", footer=False, palette=False),
    Act(
        "nav.pane_left",
        "h",
        "pane(-1)",
        "Previous pane",
        "Focus the previous pane (also shift+tab)",
        footer=False,
        palette=False,
    ),
    Act(
        "nav.pane_right",
        "l",
        "pane(1)",
        "Next pane",
        "Focus the next pane (also tab)",
        footer=False,
        palette=False,
    ),
)
# `a` on any record of any list (or the record a detail screen shows): a new action about it.
RECORD_ACTION = Act(
    "record.action",
    "a",
    "new_action_about",
    "Action",
    "New action about the selected record (due in a week; type its title, ctrl+s)",
    title="New action about the selected record",
    footer=False,
    writes=True,
)


class DefinesActions:
    """Makes a class's `ACTIONS` its `BINDINGS`: written once, they also make its footer, palette
    commands and help. (Textual merges BINDINGS along the class hierarchy.)"""

    ACTIONS: ClassVar[tuple[Act, ...]] = ()
    BINDINGS: ClassVar[list[BindingType]]  # declared only: the value is Textual's (Screen's, Widget's)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Before Textual's own __init_subclass__, which merges BINDINGS as the class is made.
        if "ACTIONS" in cls.__dict__:
            cls.BINDINGS = bindings(cls.ACTIONS)
        super().__init_subclass__(**kwargs)


if TYPE_CHECKING:
    # StoreCaller is mixed into screens and modals only: message pumps, which the reply is posted to.
    _MixedIntoPump = MessagePump
else:
    _MixedIntoPump = object


class StoreCaller(_MixedIntoPump):
    """Store calls on a worker thread for screens and forms; replies handled on the UI thread."""

    if TYPE_CHECKING:
        app: PgmApp

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A toast. Text is shown literally unless asked otherwise: messages carry record text,
        file names and user names, which are data, never markup."""
        self.app.notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def read_store(
        self,
        call: Callable[[Store], Any],
        done: Callable[[Any], None],
        *,
        description: str,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        """Run `call(store)` off the UI thread; `done(result)` runs on the UI thread."""
        self.app.submit(StoreJob(call, description, False, done, failed, reply_to=self))

    def write_store(
        self,
        change: Callable[[Store], Any],
        *,
        description: str,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        """Run a write off the UI thread; the live refresh shows its effect."""
        self.app.submit(StoreJob(change, description, True, done, failed, reply_to=self))

    def on_store_reply(self, message: StoreReply) -> None:
        message.stop()
        job = message.job
        if message.error is None:
            if job.done is not None:
                job.done(message.result)
        elif job.failed is not None:
            job.failed(message.error)
        else:
            self.notify(f"{job.description} failed: {message.error}", severity="error", timeout=8)


class PgmScreen(DefinesActions, StoreCaller, Screen[None]):
    """Subclasses set SCREEN_TITLE and ACTIONS, compose their body in `compose_body` and render
    in `show_model`.

    `show_model` runs on mount (once a model exists) and after every refresh; it must update
    widgets in place (keep cursors, scroll positions and open forms) rather than rebuild them.
    """

    app = getters.app(PgmApp)  # typed: screens use PgmApp's model, submit, write, open_record
    SCREEN_TITLE: ClassVar[str] = "pgmtui"
    HELP: ClassVar[str] = ""  # one paragraph shown at the top of the `?` help for this screen
    ACTIONS = (RECORD_ACTION, *NAVIGATION)

    def compose(self) -> ComposeResult:
        yield ProgrammeHeader(self.SCREEN_TITLE)
        yield from self.compose_body()
        yield FittingFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.title = self.SCREEN_TITLE
        if self.FILTER_ID is not None:
            self._filter_box().add_class("line-input")  # its focus shows without colour (app.tcss)
        self._model_waiting = False
        self.watch(self.app, "model", self._model_changed, init=False)
        if self.app.model is not None:
            self.show_model(self.app.model)

    def _model_changed(self, model: Model | None) -> None:
        if model is None:
            return
        if self.is_current:  # shown, or visible behind a dialog
            self.show_model(model)
        else:
            # A screen of another mode is not seen: it renders the latest model when it is shown
            # again, so a live change costs one screen's render, not one per screen visited.
            self._model_waiting = True

    # What the app contributes to this screen's CSS, when its styles were last applied in full.
    _styled_for: tuple[Any, ...] | None = None

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Runs before Textual's own handler (one handler: Textual calls `_on_screen_resume` or
        `on_screen_resume` of a class, not both).

        The latest model, if one came while the screen was away. And a top screen's key (a mode
        switch) asks Textual to re-apply the CSS of every widget of the screen, in case the app's
        CSS or classes changed while it was away; that was a third of the screen's first paint
        (issue 20). Skipped when nothing it could pick up has changed: the CSS and theme
        generation, the app's classes and pseudo-classes. (Changes inside the screen restyle the
        widgets they touch as they are made.)"""
        app = self.app
        state = (
            getattr(app, "_css_update_count", None),
            frozenset(app.classes),
            frozenset(app.get_pseudo_classes()),
        )
        if event.refresh_styles and state == self._styled_for:
            event.refresh_styles = False
        self._styled_for = state
        if self._model_waiting and app.model is not None:
            self._model_waiting = False
            self.show_model(app.model)

    @property
    def model(self) -> Model | None:
        return self.app.model

    def show_model(self, model: Model) -> None:
        """Render `model`. Called on mount and after every refresh."""

    def show_main_view(self) -> None:
        """Its number key was pressed: screens with several views go back to their first."""

    # ------------------------------------------------------------------ actions, palette, help

    def actions(self) -> Iterator[Act]:
        """This screen's actions, then those of its focused list, then navigation."""
        seen: set[str] = set()
        chain: list[tuple[Act, ...]] = [
            acts for klass in type(self).__mro__ if (acts := klass.__dict__.get("ACTIONS"))
        ]
        focused = self.focused
        if isinstance(focused, RecordTable):
            chain.append(focused.ACTIONS)
        keys: set[str] = set()
        for acts in chain:
            for act in acts:
                if act.id not in seen:
                    seen.add(act.id)
                    keys.update(act.key.split(","))
                    yield act
        for act in NAVIGATION:  # unless the screen or its list gives the key a meaning of its own
            if act.id not in seen and not keys & set(act.key.split(",")):
                seen.add(act.id)
                yield act

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys the footer shows. In a read-only dashboard it leaves out the keys that would
        change something: they are refused with a message, and `?` lists them as refused."""
        active = super().active_bindings
        if not self.app.read_only:
            return active
        writing = {act.id for act in self.actions() if act.writes}
        return {key: binding for key, binding in active.items() if binding.binding.id not in writing}

    def key_for(self, act: Act) -> str:
        """The key that runs `act` now (after the user's keymap), as the footer shows it."""
        for active in self.active_bindings.values():
            if active.binding.id == act.id:
                return self.app.get_key_display(active.binding)
        return act.key_display or act.key

    def action_available(self, act: Act) -> bool:
        return self.check_action(act.action_name, ()) is True

    def palette_commands(self) -> Iterable[SystemCommand]:
        read_only = self.app.read_only
        for act in self.actions():
            if act.writes and read_only:
                continue  # nothing can be changed here: do not offer it
            if act.palette and self.action_available(act):
                yield SystemCommand(
                    act.title or act.help or act.label,
                    f"{act.help or act.label} ({self.key_for(act)})",
                    self._runner(act),
                )

    def _runner(self, act: Act) -> Callable[[], Any]:
        async def run() -> None:
            await self.run_action(act.action)

        return run

    # ------------------------------------------------------------------ the record under the cursor

    def current_record(self) -> tuple[str, int] | None:
        """The record `a` acts on: the selected row of the focused list (a detail screen may say
        its own record instead)."""
        focused = self.focused
        if isinstance(focused, RecordTable) and focused.kind in KINDS and focused.selected_id is not None:
            return focused.kind, focused.selected_id
        return None

    def action_new_action_about(self) -> None:
        from pgmtui.screens.followup import new_action_about

        new_action_about(self, self.current_record())

    # ------------------------------------------------------------------ opening records

    def open_record(self, kind: str, record_id: int) -> bool:
        """Show a record this screen owns (palette jumps, stand-up `enter`); False if it cannot."""
        return False

    def forward_to_parent(self, kind: str, record_id: int) -> bool:
        """For a drill-in screen: close it, then let the screen under it open the record (a
        palette jump made while a detail is open lands where the record lives)."""
        app = self.app
        self.dismiss()

        def forward() -> None:
            if app.screen is not self:
                app.screen.post_message(OpenRecord(kind, record_id))

        app.call_after_refresh(forward)
        return True

    @on(OpenRecord)
    def _open_record(self, message: OpenRecord) -> None:
        message.stop()
        if self.open_record(message.kind, message.record_id) is False:
            self.notify(f"{message.kind} #{message.record_id} is not shown here", severity="warning")

    # ------------------------------------------------------------------ the `/` filter box
    # A screen with a filter composes a hidden Input with id FILTER_ID and implements `refilter`
    # (re-render for the new `filter_text`) and `focus_main` (where focus goes when the box closes).

    FILTER_ID: ClassVar[str | None] = None
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

    # ------------------------------------------------------------------ moving (vim habits)
    # j/k move the cursor of whatever list has focus, like the arrow keys; in a panel without a
    # cursor they scroll it. g/G, ctrl+d/ctrl+u likewise; h/l move between panes.

    def action_cursor_down(self) -> None:
        focused = self.focused
        if focused is not None and hasattr(focused, "action_cursor_down"):
            focused.action_cursor_down()
        elif focused is not None and focused.allow_vertical_scroll:
            focused.scroll_down(animate=False)

    def action_cursor_up(self) -> None:
        focused = self.focused
        if focused is not None and hasattr(focused, "action_cursor_up"):
            focused.action_cursor_up()
        elif focused is not None and focused.allow_vertical_scroll:
            focused.scroll_up(animate=False)

    def action_first(self) -> None:
        focused = self.focused
        if focused is not None and hasattr(focused, "action_first"):
            focused.action_first()
        elif focused is not None:
            focused.scroll_home(animate=False)

    def action_last(self) -> None:
        focused = self.focused
        if focused is not None and hasattr(focused, "action_last"):
            focused.action_last()
        elif focused is not None:
            focused.scroll_end(animate=False)

    def action_half_page(self, direction: int) -> None:
        focused = self.focused
        if focused is None:
            return
        half = max(1, focused.scrollable_content_region.height // 2)
        if isinstance(focused, OptionList):
            if focused.option_count:
                current = focused.highlighted if focused.highlighted is not None else 0
                target = min(max(current + direction * half, 0), focused.option_count - 1)
                step = 1 if target >= current else -1
                # Headings are disabled options: land on the nearest enabled one.
                while 0 <= target < focused.option_count and focused.get_option_at_index(target).disabled:
                    target += step
                if 0 <= target < focused.option_count:
                    focused.highlighted = target
        else:
            focused.scroll_relative(y=direction * half, animate=False)

    @on(events.DescendantFocus)
    def _section_into_view(self, event: events.DescendantFocus) -> None:
        """On a scrolling page, a list or note that takes the focus comes into view with its
        section's title above it (the title says what it is)."""
        widget = event.widget
        page = widget.parent
        if not isinstance(page, ScrollableContainer) or isinstance(widget, Input):
            return
        shown = page.scrollable_content_region
        if shown.y <= widget.region.y < shown.bottom - 2:
            return  # its top is already in sight (the page's opening lines stay where they are)
        siblings = list(page.children)
        index = siblings.index(widget)
        title = next(
            (w for w in reversed(siblings[:index]) if w.has_class("section-title") and w.display), None
        )
        if title is not None:
            page.scroll_to_widget(title, animate=False, top=True)

    def panes(self) -> list[Widget]:
        """What h / l move between: the focusable lists and panels, in tab order (not text boxes)."""
        return [w for w in self.focus_chain if not isinstance(w, Input)]

    def action_pane(self, direction: int) -> None:
        panes = self.panes()
        if len(panes) < 2:
            return
        focused = self.focused
        index = panes.index(focused) if focused in panes else -direction
        panes[(index + direction) % len(panes)].focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pane":
            return len(self.panes()) > 1  # one pane: h / l mean nothing here
        return True


class PgmModal(DefinesActions, StoreCaller, ModalScreen[Any]):
    """A modal (form, confirmation, pop-up) that calls the store like a screen does."""

    app = getters.app(PgmApp)
