"""Deleting with a prompt that says exactly what goes: the store works the cascade out first
(`Store.deletion(kind, id).counts()`: what is deleted with the record, what only loses its link to
it), the prompt lists it per kind, and a project asks for its code to be typed — the cheaper
mistake of `d` then `y` took a whole project with it. Undo (`u`, `pgmtui undo`) brings it all back;
closing a project (stage Closed) keeps it, read-only, instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from pgmtui.actions import Act
from pgmtui.screens.base import PgmModal
from pgmtui.screens.contract import StoreJob

__all__ = ["TypedDeleteScreen", "confirm_delete", "deletion_text"]


def _counted(counts: Mapping[str, int]) -> str:
    parts = []
    for kind, n in counts.items():
        word = kind.replace("_", " ")
        if n != 1:
            word = "people" if word == "person" else (word[:-1] + "ies" if word.endswith("y") else word + "s")
        parts.append(f"{n} {word}")
    return ", ".join(parts)


def deletion_text(kind: str, label: str, counts: Mapping[str, Mapping[str, int]]) -> str:
    """What a delete takes with it, in words: "Deletes project IAM and with it 5 milestones, … It
    unlinks 2 benefits (they stay, without the link)."""
    deleted = dict(counts.get("deleted", {}))
    deleted[kind] = deleted.get(kind, 1) - 1  # the record itself is named already
    others = {k: n for k, n in deleted.items() if n}
    text = f"Deletes {kind.replace('_', ' ')} {label}"
    text += f" and with it {_counted(others)}." if others else " and nothing else."
    unlinked = counts.get("unlinked", {})
    if unlinked:
        text += f" It unlinks {_counted(unlinked)} (they stay, without the link)."
    return text


class TypedDeleteScreen(PgmModal):
    """Delete a project only after its code is typed. Dismisses with True when it was."""

    ACTIONS = (Act("delete.cancel", "escape", "cancel", "Cancel", "Keep it", palette=False),)

    def __init__(self, kind: str, code: str, name: str, what: str) -> None:
        super().__init__()
        self.kind, self.code, self.project_name, self.what = kind, code, name, what

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="typed-delete"):
            yield Static(Text(f"Delete {self.kind} {self.code} – {self.project_name}?", style="bold"))
            yield Static(Text(self.what))
            yield Static(
                Text(
                    "To keep it, read-only with its history, close it instead (c on the portfolio). "
                    "After a delete, u (or `pgmtui undo`) brings everything back.",
                    style="dim",
                )
            )
            yield Static(Text(f"Type {self.code} and press enter to delete it:"))
            yield Input(placeholder="the project code", id="typed-code", compact=True)
            yield Static("", id="typed-error")
            with Horizontal(id="form-buttons"):
                yield Button("Delete", id="yes", variant="error")
                yield Button("Cancel  esc", id="no")

    def on_mount(self) -> None:
        self.query_one("#typed-code", Input).focus()

    def _try(self) -> None:
        typed = self.query_one("#typed-code", Input).value.strip()
        if typed.lower() == self.code.lower():
            self.dismiss(True)
            return
        error = self.query_one("#typed-error", Static)
        error.update(
            Text(
                f"That is not {self.code}: type the code exactly to delete, escape to keep it.",
                style="bold red",
            )
        )

    @on(Input.Submitted, "#typed-code")
    def _submitted(self) -> None:
        self._try()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "yes":
            self._try()
        else:
            self.dismiss(False)

    def action_cancel(self) -> None:
        self.dismiss(False)


def confirm_delete(
    screen: Any,
    kind: str,
    record: dict[str, Any],
    label: str,
    *,
    detail: str = "",
    after: Callable[[], None] | None = None,
) -> None:
    """Ask, listing exactly what goes, then delete through the store with the version the user
    saw (refused if stale). A project asks for its code to be typed; the rest for y."""
    from pgmtui.screens.forms import ConfirmScreen

    app = screen.app
    if app.read_only:
        app.refuse_write()
        return
    record_id, version = record["id"], record["version"]

    def answered(yes: bool | None) -> None:
        if not yes:
            return

        def done(_: Any) -> None:
            app.notify(f"Deleted {kind} {label} (u undoes it)", timeout=4)
            if after is not None:
                after()

        app.write(lambda store: store.delete(kind, record_id, expected_version=version), done=done)

    def ask(counts: Mapping[str, Mapping[str, int]]) -> None:
        what = deletion_text(kind, label, counts)
        if kind == "project":
            name = str(record.get("name") or "")
            app.push_screen(TypedDeleteScreen(kind, str(record.get("code") or label), name, what), answered)
            return
        words = " ".join(part for part in (detail, what, "u undoes it.") if part)
        app.push_screen(ConfirmScreen(f"Delete {kind.replace('_', ' ')} {label}?", words), answered)

    def refused(exc: Exception) -> None:
        app.notify(f"Cannot delete {kind} {label}: {exc}", severity="error", timeout=8)

    app.submit(
        StoreJob(
            lambda store: store.deletion(kind, record_id).counts(),
            f"What deleting {kind} {label} takes",
            False,
            ask,
            refused,
            reply_to=screen,
        )
    )
