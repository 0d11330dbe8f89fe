"""A text input with a type-ahead pick-list of people: forms offer the people directory for every
field that names a person (owner, manager, raised_by, by, decided_by; an allocation's person).
Typing shows the matching people under the field; ↓/↑ choose, enter takes the name, escape closes
the list. Any other text may still be typed (an owner outside the directory)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from pgmtui.model import Model
from pgmtui.records.people import matching_people


def person_choices(model: Model) -> list[tuple[str, str]]:
    """The directory as the pick-list shows it: (name, "role · team"), by name."""
    out = []
    for p in model.tables.get("person", []):
        detail = " · ".join(str(x) for x in (p.get("role"), p.get("team")) if x)
        out.append((str(p.get("name") or ""), detail))
    return sorted(out, key=lambda c: c[0].casefold())


class PickInput(Input):
    """The input half of a PersonPicker."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "pick_move(1)", "Next name", show=False),
        Binding("up", "pick_move(-1)", "Previous name", show=False),
        Binding("enter", "pick_take", "Take the name", show=False),
        Binding("escape", "pick_close", "Close the names", show=False),
    ]

    def __init__(
        self, people: Sequence[tuple[str, str]], value: str = "", *, id: str, placeholder: str = ""
    ) -> None:
        super().__init__(value, id=id, placeholder=placeholder, compact=True)
        self.people = list(people)

    @property
    def pick_list(self) -> OptionList:
        parent = self.parent
        assert parent is not None
        return parent.query_one(OptionList)

    @property
    def list_open(self) -> bool:
        return self.is_mounted and bool(self.pick_list.display) and self.pick_list.option_count > 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pick_move", "pick_close"):
            return self.list_open  # otherwise the key goes on (escape closes the form)
        return True

    def offer(self, typed: str) -> None:
        """Show the people matching what is typed (or hide the list)."""
        found = matching_people(self.people, typed)
        names = self.pick_list
        names.clear_options()
        for name, detail in found:
            prompt = Text(name)
            if detail:
                prompt.append(f"  {detail}", style="dim")
            names.add_option(Option(prompt, id=name))
        names.display = bool(found) and self.has_focus
        if found:
            names.highlighted = 0

    def action_pick_move(self, step: int) -> None:
        names = self.pick_list
        if names.highlighted is None:
            names.highlighted = 0
        else:
            names.highlighted = (names.highlighted + step) % names.option_count

    async def action_pick_take(self) -> None:
        names = self.pick_list
        if self.list_open and names.highlighted is not None:
            self.take(names.get_option_at_index(names.highlighted).id or "")
            return
        await self.action_submit()

    def action_pick_close(self) -> None:
        self.pick_list.display = False

    def take(self, name: str) -> None:
        self.value = name
        self.cursor_position = len(name)
        self.pick_list.display = False

    def on_blur(self) -> None:
        self.pick_list.display = False


class PersonPicker(Vertical):
    """A PickInput (given the field's id, so a form reads it like any input) and its name list."""

    DEFAULT_CSS = """
    PersonPicker { height: auto; }
    PersonPicker > OptionList { height: auto; max-height: 6; display: none; border: none; padding: 0; }
    """

    def __init__(
        self, people: Sequence[tuple[str, str]], value: str = "", *, input_id: str, placeholder: str = ""
    ) -> None:
        super().__init__(classes="person-picker")
        self.input = PickInput(people, value, id=input_id, placeholder=placeholder)

    def compose(self) -> ComposeResult:
        yield self.input
        names = OptionList()
        names.can_focus = False  # the input keeps the focus: ↓/↑ and enter work from there
        yield names

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input is self.input:
            self.input.offer(event.value)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.input.take(event.option.id or "")
        self.input.focus()
