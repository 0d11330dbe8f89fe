"""One risk (enter on a risk): scores inherent → residual with band and trend, cause / event /
effect, response and actions, and its score history from the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from pgmtui.actions import Act
from pgmtui.domain.riskmap import ScorePoint, score_history
from pgmtui.model import Model
from pgmtui.screens.risks.followup_view import actions_text
from pgmtui.screens.risks.form import RiskEditingScreen
from pgmtui.screens.risks.view import (
    cause_event_effect,
    history_text,
    history_unavailable,
    response_text,
    risk_head,
)
from pgmtui.services import audit_rows
from pgmtui.widgets.header import ProgrammeHeader

if TYPE_CHECKING:
    from pgmtui.store import Store


class RiskDetailScreen(RiskEditingScreen):
    SCREEN_TITLE = "Risk"
    CSS_PATH = "risks.tcss"
    HELP = (
        "One risk: scores inherent → residual with band and trend, cause / event / effect, response and "
        "actions, the actions about it (a adds one), and its score history from the audit trail (every "
        "re-score, who and when)."
    )

    ACTIONS = (
        Act("risk.back", "escape", "back", "Back", "Back to the risks", palette=False),
        Act(
            "risk.edit", "e", "edit", "Edit", "Edit every field of this risk", title="Edit risk", writes=True
        ),
        Act(
            "risk.rescore",
            "p",
            "rescore",
            "Re-score",
            "P / I by keyboard",
            title="Re-score risk",
            writes=True,
        ),
        Act(
            "risk.close",
            "c",
            "close_reopen",
            "Close",
            "Close this risk, or reopen it",
            title="Close / reopen risk",
            writes=True,
        ),
        Act(
            "risk.delete",
            "d",
            "delete",
            "Delete",
            "Delete this risk (asks first)",
            title="Delete risk",
            writes=True,
        ),
    )

    def __init__(self, risk_id: int) -> None:
        super().__init__()
        self.risk_id = risk_id
        self._history_for: tuple[int, int] = (-1, -1)  # (id, version) whose history is shown or asked

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="risk-detail"):
            yield Static(id="risk-head", classes="headline")
            yield Static(Text("Cause · event · effect", style="bold"), classes="section-title")
            yield Static(id="risk-cee", classes="risk-block")
            yield Static(Text("Response and actions", style="bold"), classes="section-title")
            yield Static(id="risk-response", classes="risk-block")
            yield Static(Text("Actions about this risk (a adds one)", style="bold"), classes="section-title")
            yield Static(id="risk-actions", classes="risk-block")
            yield Static(Text("Score history (audit trail)", style="bold"), classes="section-title")
            yield Static(Text("loading…", style="dim"), id="risk-history", classes="risk-block")

    def on_mount(self) -> None:
        self.query_one("#risk-detail").focus()

    def show_model(self, model: Model) -> None:
        risk = model.row("risk", self.risk_id)
        if risk is None:
            self.query_one("#risk-head", Static).update(
                Text(f"Risk #{self.risk_id} was deleted. escape to go back.", style="bold red")
            )
            return
        self.query_one(ProgrammeHeader).set_title(f"Risk #{self.risk_id}")
        self.query_one("#risk-head", Static).update(risk_head(risk, model))
        self.query_one("#risk-cee", Static).update(cause_event_effect(risk))
        self.query_one("#risk-response", Static).update(response_text(risk))
        self.query_one("#risk-actions", Static).update(actions_text(model, "risk", self.risk_id))
        key = (risk["id"], risk["version"])
        if key != self._history_for:
            self._history_for = key
            self._load_history(risk, key)

    def _load_history(self, risk: dict[str, Any], key: tuple[int, int]) -> None:
        """The score history: the audit trail read (and replayed) off the UI thread. A reply for a
        version that is no longer the latest asked for is dropped (reads may finish out of order)."""

        def read(store: Store) -> list[ScorePoint]:
            # Through services: user names and text made safe to show.
            return score_history(risk, audit_rows(store, table="risk", row_id=risk["id"]))

        def show(result: Text) -> None:
            if key == self._history_for:
                self.query_one("#risk-history", Static).update(result)

        self.read_store(
            read,
            lambda points: show(history_text(points)),
            description="Score history",
            failed=lambda exc: show(history_unavailable(exc)),
        )

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        self.dismiss()

    def action_edit(self) -> None:
        self.edit_risk(self.risk_id)

    def action_rescore(self) -> None:
        self.rescore_risk(self.risk_id)

    def action_close_reopen(self) -> None:
        self.close_reopen_risk(self.risk_id)

    def action_delete(self) -> None:
        self.delete_risk(self.risk_id, after=self._deleted)

    def current_record(self) -> tuple[str, int] | None:
        return ("risk", self.risk_id)  # `a`: an action about this risk

    def _deleted(self) -> None:
        if self.app.screen is self:
            self.dismiss()

    def open_record(self, kind: str, record_id: int) -> bool:
        """A jump while a risk is open: back to the risks screen, which opens the record."""
        return self.forward_to_parent(kind, record_id)
