"""Forms for every record kind, built from the store's field specs, and the delete confirmation.

A form validates each field as you type (the same `coerce_field` the store uses), saves through the
store on a worker, shows the store's error in the form, and is never silently overwritten: if the
record changes under it, it says so and offers a reload.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from pgmtui.actions import Act
from pgmtui.model import Model
from pgmtui.records import ConflictError, StoreError, ValidationError
from pgmtui.records.fields import PROXIMITY_WORDS, Field, coerce_field, column_for, kind_named
from pgmtui.records.people import PERSON_FIELDS
from pgmtui.screens.base import PgmModal
from pgmtui.screens.form_values import (
    best_field,
    currency_mark,
    format_money,
    grouped,
    jump_letters,
    parse_money,
    pick_choices,
)
from pgmtui.widgets.person_pick import PersonPicker, person_choices

if TYPE_CHECKING:
    from pgmtui.store import Store


def format_value(value: Any) -> str:
    """A stored value as the text a user would type for it (40.0 → "40")."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
    return str(value)


def initial_text(model: Model | None, f: Field, record: dict[str, Any] | None) -> Any:
    """What a field shows when the form opens: references as codes/names, not ids."""
    if record is None:
        return None
    if f.type == "ref":
        ref_id = record.get(column_for(f))
        return model.ref_label(f.ref, ref_id) if (model and ref_id is not None) else format_value(ref_id)
    if f.type == "refs":
        ids = record.get(f.name) or []
        return ", ".join(model.ref_label(f.ref, i) if model else str(i) for i in ids)
    if f.type == "link":  # `kind:id` as it is typed: project:IAM, milestone:CLD:Go-live, issue:3
        return model.link_label(record.get(f.name)) if model else format_value(record.get(f.name))
    if f.type == "bool":
        return bool(record.get(f.name))
    if f.type == "money":
        return format_money(record.get(f.name))
    return format_value(record.get(f.name))


# What to type, for fields without a help text of their own.
PLACEHOLDERS = {
    "date": "YYYY-MM-DD",
    "month": "YYYY-MM",
    "money": "3,100,000 or 3.1m",
    "link": "KIND:ID, e.g. issue:3",
}


class RecordForm(PgmModal):
    """Add (record=None) or edit one record. Dismisses with the record id when saved."""

    ACTIONS = (
        Act("form.save", "ctrl+s", "save", "Save", "Save the record", palette=False),
        Act("form.cancel", "escape", "cancel", "Cancel", "Close without saving", palette=False),
        Act(
            "form.reload",
            "ctrl+r",
            "reload",
            "Reload saved version",
            "Load the saved version (your unsaved edits are listed)",
            palette=False,
        ),
        Act(
            "form.goto",
            "ctrl+g",
            "goto",
            "Go to field",
            "Type part of a field's label, enter jumps to it (alt + the underlined letter does too)",
            palette=False,
        ),
    )

    def __init__(
        self,
        kind: str,
        record: dict[str, Any] | None = None,
        *,
        fields: Iterable[str] | None = None,
        defaults: dict[str, Any] | None = None,
        title: str | None = None,
    ) -> None:
        super().__init__()
        self.kind = kind_named(kind)
        self.record = record
        self.record_id: int | None = record["id"] if record else None
        self.version: int | None = record["version"] if record else None
        names = list(fields) if fields is not None else list(self.kind.names)
        # Grouped (Identity, People, Schedule, Money, …): the tab order follows the groups.
        self.groups = grouped([self.kind.field(n) for n in names])
        self.fields = [f for _, fs in self.groups for f in fs]
        letters = jump_letters([f.title for f in self.fields])
        self.jump = {f.name: i for f, i in zip(self.fields, letters, strict=True)}
        self.defaults = defaults or {}
        self.form_title = title or (
            f"Edit {self.kind.name} {self._label(record)}" if record else f"New {self.kind.name}"
        )
        self.saving = False
        self._initial: dict[str, Any] = {}

    def _label(self, record: dict[str, Any] | None) -> str:
        if not record:
            return ""
        value = record.get(self.kind.display)
        return f"#{record['id']}" if self.kind.display == "id" or value is None else str(value)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(Text(self.form_title, style="bold"), id="form-title")
            yield Static("", id="form-banner", classes="hidden")
            goto = Input(
                id="form-goto",
                placeholder="go to field: type part of its label, enter",
                suggester=SuggestFromList([f.title for f in self.fields], case_sensitive=False),
                compact=True,
            )
            goto.display = False
            yield goto
            with VerticalScroll(id="form-fields"):
                for group, group_fields in self.groups:
                    if len(self.groups) > 1:
                        yield Static(Text(f"── {group} ", style="bold"), classes="form-group")
                    for f in group_fields:
                        yield from self._row(f)
            with Horizontal(id="form-buttons"):
                yield Button("Save  ctrl+s", id="save", variant="primary")
                yield Button("Cancel  esc", id="cancel")

    def _row(self, f: Field) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(self._label_text(f), classes="form-label")
            with Vertical(classes="form-cell"):
                yield self._widget_for(f)
                yield Static("", id=f"err-{f.name}", classes="form-error")

    @property
    def currency(self) -> str:
        model = getattr(self.app, "model", None)
        programme = (model.programme if model is not None else None) or {}
        return str(programme.get("currency") or "")

    def _label_text(self, f: Field) -> Text:
        """The label, its jump letter underlined (alt + that letter focuses the field)."""
        mark = f" {currency_mark(self.currency)}" if f.type == "money" and self.currency else ""
        text = Text(f.title + mark + (" *" if f.required else ""))
        letter = self.jump.get(f.name)
        if letter is not None:
            text.stylize("underline bold", letter, letter + 1)
        return text

    def _bind_jump_letters(self) -> None:
        """alt + a label's underlined letter jumps to that field. Priority bindings: a terminal sends
        alt+r as a printable "r" too, which a focused Input would otherwise type."""
        for f in self.fields:
            index = self.jump.get(f.name)
            if index is not None:
                key = f"alt+{f.title[index].lower()}"
                self._bindings.bind(key, f"jump('{f.name}')", f"Go to {f.title}", show=False, priority=True)

    def action_jump(self, name: str) -> None:
        self._focus_field(next(f for f in self.fields if f.name == name))

    def _focus_field(self, f: Field) -> None:
        widget = self.query_one(f"#field-{f.name}")
        widget.focus()
        widget.scroll_visible()

    def action_goto(self) -> None:
        goto = self.query_one("#form-goto", Input)
        goto.value = ""
        goto.display = True
        goto.focus()

    @on(Input.Submitted, "#form-goto")
    def _goto_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        goto = self.query_one("#form-goto", Input)
        hit = best_field(event.value, [f.title for f in self.fields])
        if hit is None:
            self._banner(f"No field called {event.value!r}; ctrl+g to try again.", error=True)
            goto.display = False
            return
        goto.display = False
        self._focus_field(self.fields[hit])

    def _widget_for(self, f: Field) -> Widget:
        model = getattr(self.app, "model", None)
        value = initial_text(model, f, self.record)
        if value is None:
            value = self.defaults.get(f.name)
            if f.type == "bool":
                value = bool(value)
            elif value is not None:
                value = format_money(value) if f.type == "money" else format_value(value)
        self._initial[f.name] = value if value is not None else ("" if f.type != "bool" else False)
        wid = f"field-{f.name}"
        choices = pick_choices(f)
        if choices:  # a fixed set of values: a pick-list, never free text
            options = list(choices)
            if value and value not in {v for _, v in options}:  # e.g. an imported stage name
                options.append((str(value), str(value)))
            prompt = "computed (no override)" if f.type == "rag" else f"choose {f.title.lower()}"
            return Select(
                options,
                value=value if value in {v for _, v in options} else Select.NULL,
                allow_blank=not f.required,
                id=wid,
                prompt=prompt,
                compact=True,
            )
        if f.type == "bool":
            return Checkbox(f.title, value=bool(value), id=wid, compact=True)
        if f.type == "longtext":
            area = TextArea(
                value or "", id=wid, soft_wrap=True, tab_behavior="focus", classes="form-long", compact=True
            )
            return area
        if model is not None and (f.ref == "person" or (f.type == "text" and f.name in PERSON_FIELDS)):
            # A type-ahead list of the people directory; any other name may still be typed.
            return PersonPicker(
                person_choices(model), value or "", input_id=wid, placeholder=f.help or "a person's name"
            )
        suggester = None
        if f.type in ("ref", "refs") and model is not None:
            suggester = SuggestFromList(model.ref_choices(f.ref), case_sensitive=False)
        elif f.type == "proximity":
            suggester = SuggestFromList(PROXIMITY_WORDS, case_sensitive=False)
        placeholder = f.help or PLACEHOLDERS.get(f.type, "")
        # Compact widgets: one line per field, so a 13-field form fits a 24-line terminal.
        return Input(value or "", id=wid, placeholder=placeholder, suggester=suggester, compact=True)

    def on_mount(self) -> None:
        if self.app.read_only:  # a form that could never be saved is not opened at all
            self.app.refuse_write()
            self.dismiss(None)
            return
        self.watch(self.app, "model", self._model_changed, init=False)
        self._bind_jump_letters()
        first = self.query(
            "#form-fields Input, #form-fields Select, #form-fields Checkbox, #form-fields TextArea"
        )
        if first:
            first.first().focus()

    # ------------------------------------------------------------------ values

    def _raw(self, f: Field) -> Any:
        widget = self.query_one(f"#field-{f.name}")
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else widget.value
        if isinstance(widget, Checkbox):
            return widget.value
        if isinstance(widget, TextArea):
            return widget.text
        assert isinstance(widget, Input)
        return widget.value

    def _set_raw(self, f: Field, value: Any) -> None:
        widget = self.query_one(f"#field-{f.name}")
        if isinstance(widget, Select):
            known = {v for _, v in widget._options}  # noqa: SLF001 - Select keeps no public list
            widget.value = value if value in known else Select.NULL
        elif isinstance(widget, Checkbox):
            widget.value = bool(value)
        elif isinstance(widget, TextArea):
            widget.text = value or ""
        else:
            assert isinstance(widget, Input)
            widget.value = value or ""

    def _show_error(self, name: str, message: str) -> None:
        for err in self.query(".form-error").results(Static):
            if err.id == f"err-{name}":
                err.update(Text(message))
                err.display = bool(message)  # no empty line under every valid field
                return
        self._banner(message, error=True)

    def _value(self, f: Field) -> Any:
        """What the store is sent for a field: the raw text, a money amount as a plain number."""
        raw = self._raw(f)
        if f.type == "money" and isinstance(raw, str):
            return parse_money(f, raw, self.currency)
        return raw

    def _check_field(self, f: Field) -> bool:
        try:
            coerce_field(f, self._value(f))
        except ValidationError as exc:
            self._show_error(f.name, exc.message)
            return False
        self._show_error(f.name, "")
        return True

    def _field_for_widget(self, widget: Widget) -> Field | None:
        if widget.id and widget.id.startswith("field-"):
            name = widget.id.removeprefix("field-")
            return next((f for f in self.fields if f.name == name), None)
        return None

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(TextArea.Changed)
    def _validate_as_you_type(self, event: Any) -> None:
        widget = getattr(event, "control", None) or getattr(event, "text_area", None)
        f = self._field_for_widget(widget) if widget is not None else None
        if f is not None:
            self._check_field(f)

    def changes(self) -> dict[str, Any]:
        """Values to send: everything for a new record, only what was edited otherwise."""
        try:
            return self._changes()
        except ValidationError:  # a money field not yet valid (listed on reload as typed)
            return {f.name: self._raw(f) for f in self.fields if self._raw(f) != self._initial.get(f.name)}

    def _changes(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.fields:
            raw = self._raw(f)
            if self.record is None:
                if raw not in ("", None) or f.type == "bool":
                    out[f.name] = self._value(f)
            elif raw != self._initial.get(f.name):
                value = self._value(f)
                # "3100000" typed over "3,100,000" is the same amount: not a change.
                if f.type != "money" or value != parse_money(
                    f, self._initial.get(f.name) or "", self.currency
                ):
                    out[f.name] = value
        return out

    # ------------------------------------------------------------------ saving

    def action_save(self) -> None:
        if self.saving:
            return
        if self.app.read_only:
            self._banner(f"Not saved: {self.app.read_only_message()}", error=True)
            return
        if not all([self._check_field(f) for f in self.fields]):
            self._banner("Fix the fields marked in red, then save.", error=True)
            return
        values = self.changes()
        if self.record is not None and not values:
            self.dismiss(self.record_id)
            return
        self.saving = True
        self._banner("Saving…")
        kind, record_id, version = self.kind.name, self.record_id, self.version

        def change(store: Store) -> int:
            if record_id is None:
                return store.insert(kind, values)
            store.update(kind, record_id, values, expected_version=version)
            return record_id

        self.write_store(change, description="save", done=self._saved, failed=self._failed)

    def _saved(self, record_id: int) -> None:
        self.saving = False
        self.app.notify(f"{self.kind.name.capitalize()} saved", timeout=2)
        self.dismiss(record_id)

    def _failed(self, exc: Exception) -> None:
        self.saving = False
        if isinstance(exc, ConflictError):
            self._banner(
                f"Not saved: {exc}. Press ctrl+r to load their version (your edits are listed).", error=True
            )
        elif isinstance(exc, ValidationError):
            self._show_error(exc.field, exc.message)
            self._banner(f"Not saved: {exc.message}", error=True)
        elif isinstance(exc, StoreError):
            self._banner(f"Not saved: {exc}", error=True)
        else:  # pragma: no cover - the app only reports StoreErrors here
            self._banner(f"Not saved: {exc}", error=True)

    def _banner(self, message: str, *, error: bool = False) -> None:
        banner = self.query_one("#form-banner", Static)
        banner.update(Text(message))
        banner.set_class(not message, "hidden")
        banner.set_class(error, "error")

    # ------------------------------------------------------------------ live changes

    def _model_changed(self, model: Model | None) -> None:
        if model is None or self.record_id is None or self.saving:
            return
        current = model.row(self.kind.name, self.record_id)
        if current is None:
            self._banner(f"This {self.kind.name} was deleted by someone else. Escape to close.", error=True)
        elif current["version"] != self.version:
            self._banner(
                f"Changed by {current['updated_by']} at {current['updated_at'][11:16]} (version "
                f"{current['version']}). ctrl+r loads their version; saving now would be refused.",
                error=True,
            )

    def action_reload(self) -> None:
        model = getattr(self.app, "model", None)
        if model is None or self.record_id is None:
            return
        current = model.row(self.kind.name, self.record_id)
        if current is None:
            return
        mine = self.changes()
        self.record, self.version = current, current["version"]
        for f in self.fields:
            value = initial_text(model, f, current)
            self._initial[f.name] = value if value is not None else ("" if f.type != "bool" else False)
            self._set_raw(f, value)
        if mine:
            listed = "; ".join(f"{k} = {v}" for k, v in mine.items())
            self._banner(f"Loaded version {self.version}. Your unsaved edits were: {listed}")
        else:
            self._banner(f"Loaded version {self.version}.")

    def action_cancel(self) -> None:
        goto = self.query_one("#form-goto", Input)
        if goto.display:  # escape leaves the go-to line, not the form
            goto.display = False
            self._focus_field(self.fields[0])
            return
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


class ConfirmScreen(PgmModal):
    """A yes/no question; `y` confirms, `n`/escape declines."""

    ACTIONS = (
        Act("confirm.yes", "y", "answer(True)", "Yes", palette=False),
        Act("confirm.no", "n", "answer(False)", "No", palette=False),
        Act("confirm.cancel", "escape", "answer(False)", "Cancel", palette=False),
    )

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Text(self.question, style="bold"))
            if self.detail:
                yield Static(Text(self.detail))
            with Horizontal(id="form-buttons"):
                yield Button("Yes  y", id="yes", variant="error")
                yield Button("No  n", id="no")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


def confirm_delete(
    screen: Any,
    kind: str,
    record: dict[str, Any],
    label: str,
    *,
    detail: str = "",
    after: Callable[[], None] | None = None,
) -> None:
    """Ask, listing exactly what goes (a project: type its code), then delete through the store
    with the version the user saw (refused if stale). See pgmtui.screens.deletion."""
    from pgmtui.screens.deletion import confirm_delete as ask_then_delete

    ask_then_delete(screen, kind, record, label, detail=detail, after=after)
