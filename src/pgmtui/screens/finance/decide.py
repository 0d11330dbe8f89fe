"""Deciding a change request: the effect previewed before anything is saved (approve: the project's
budget, baseline end and the pot it draws on, before → after; reject or withdraw: nothing else
changes), who decided, then ctrl+s. An approval the store would refuse says why and offers no save."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from pgmtui.actions import Act
from pgmtui.screens.base import PgmModal

VERBS = {"approved": "Approve", "rejected": "Reject", "withdrawn": "Withdraw"}


class DecisionScreen(PgmModal):
    """Dismisses with the name typed as "decided by" ("" for none) when saved, None when cancelled."""

    DEFAULT_CSS = """
    DecisionScreen { align: center middle; }
    #decide { width: 76; max-width: 95%; height: auto; border: thick $primary; background: $surface;
              padding: 0 1; }
    #decide-effect { height: auto; padding: 1 0 0 0; }
    #decided-by { margin: 1 0 0 0; }
    """

    ACTIONS = (
        Act("decide.save", "ctrl+s", "save", "Save", "Save the decision", palette=False),
        Act("decide.cancel", "escape", "cancel", "Cancel", "Close without deciding", palette=False),
    )

    def __init__(self, request: dict[str, Any], verdict: str, lines: list[str], problems: list[str]) -> None:
        super().__init__()
        self.request = request
        self.verdict = verdict
        self.lines = lines
        self.problems = problems

    @property
    def can_save(self) -> bool:
        return not self.problems

    def compose(self) -> ComposeResult:
        verb = VERBS.get(self.verdict, self.verdict)
        with Vertical(id="decide"):
            title = Text(f"{verb} change request #{self.request['id']}: ", style="bold")
            title.append(str(self.request.get("title") or ""))
            yield Static(title, id="decide-title")
            if self.problems:
                why = Text("It cannot be approved: ", style="bold red")
                why.append(self.problems[0])
                yield Static(why, id="decide-effect")
            else:
                effect = Text("What happens when you save:\n", style="bold")
                for line in self.lines:
                    effect.append(f"  • {line}\n", style="")
                yield Static(effect, id="decide-effect")
                yield Input(
                    str(self.request.get("decided_by") or ""),
                    placeholder="decided by (e.g. Programme board); optional",
                    id="decided-by",
                    compact=True,
                )
            with Horizontal(id="form-buttons"):
                if self.can_save:
                    yield Button(f"{verb}  ctrl+s", id="save", variant="primary")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        for box in self.query("#decided-by"):
            box.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return self.can_save
        return True

    def action_save(self) -> None:
        if not self.can_save:
            return
        boxes = self.query("#decided-by").results(Input)
        by = next((box.value.strip() for box in boxes), "")
        self.dismiss(by)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#decided-by")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()
