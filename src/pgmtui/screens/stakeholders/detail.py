"""One stakeholder (enter on a stakeholder): who they are, their quadrant, attitude → wanted, last
contact against their cadence, their engagement log (newest first) and how their attitude moved,
read back from the audit trail. `l` logs an engagement, `e` edits the stakeholder, enter on an
engagement edits it, `d` deletes it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Static

from pgmtui.actions import Act
from pgmtui.model import Model
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.forms import RecordForm
from pgmtui.screens.stakeholders.engage import delete_engagement, edit_engagement, log_engagement
from pgmtui.screens.stakeholders.view import (
    PROFILE_LOG_COLUMNS,
    EngagementRows,
    Picture,
    attitude_history,
    profile_log_rows,
    profile_text,
)
from pgmtui.services import audit_rows
from pgmtui.widgets.header import ProgrammeHeader
from pgmtui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from pgmtui.store import Store


class StakeholderDetailScreen(PgmScreen):
    SCREEN_TITLE = "Stakeholder"
    CSS_PATH = "stakeholders.tcss"
    HELP = (
        "One stakeholder: quadrant, attitude → wanted (↑n steps to go), last contact against the cadence, "
        "the next action agreed, the engagement log newest first and the attitude history from the audit "
        "trail. l logs an engagement, e edits the stakeholder, enter edits the selected engagement, d "
        "deletes it."
    )

    ACTIONS = (
        Act(
            "stakeholder.log",
            "l",
            "log",
            "Log",
            "Log an engagement with this stakeholder",
            title="Log an engagement",
            writes=True,
        ),
        Act(
            "stakeholder.edit",
            "e",
            "edit",
            "Edit",
            "Edit this stakeholder",
            title="Edit stakeholder",
            writes=True,
        ),
        Act(
            "stakeholder.delete_engagement",
            "d",
            "delete_engagement",
            "Delete entry",
            "Delete the selected engagement (asks first)",
            title="Delete engagement",
            writes=True,
        ),
        Act("stakeholder.back", "escape", "back", "Back", "Back to the stakeholders", palette=False),
    )

    def __init__(self, stakeholder_id: int) -> None:
        super().__init__()
        self.stakeholder_id = stakeholder_id
        self.pic: Picture | None = None
        self._rows = EngagementRows()
        self._history_for: tuple[int, int] = (-1, -1)

    def compose_body(self) -> ComposeResult:
        yield Static(id="sh-profile", classes="headline")
        yield Static(
            Text("Engagement log (newest first) · enter edits · d deletes", style="bold"),
            classes="section-title",
        )
        yield RecordTable("engagement", PROFILE_LOG_COLUMNS, id="sh-profile-log")
        yield Static(Text("Attitude history (audit trail)", style="bold"), classes="section-title")
        yield Static(Text("loading…", style="dim"), id="sh-attitudes")

    def on_mount(self) -> None:
        self.query_one("#sh-profile-log", RecordTable).focus()

    def show_model(self, model: Model) -> None:
        row = model.row("stakeholder", self.stakeholder_id)
        if row is None:
            self.query_one("#sh-profile", Static).update(
                Text(f"Stakeholder #{self.stakeholder_id} was deleted. escape to go back.", style="bold red")
            )
            return
        pic = self.pic = Picture.of(model)
        self.query_one(ProgrammeHeader).set_title(f"Stakeholder: {row['name']}")
        self.query_one("#sh-profile", Static).update(profile_text(row, pic.by_id[row["id"]], pic))
        self.query_one("#sh-profile-log", RecordTable).sync(profile_log_rows(self._rows, pic, row["id"]))
        key = (row["id"], row["version"])
        if key != self._history_for:
            self._history_for = key
            self._load_history(key)

    def _load_history(self, key: tuple[int, int]) -> None:
        def read(store: Store) -> list[dict[str, Any]]:
            return audit_rows(store, table="stakeholder", row_id=key[0])

        def show(text: Text) -> None:
            if key == self._history_for:
                self.query_one("#sh-attitudes", Static).update(text)

        self.read_store(
            read,
            lambda rows: show(attitude_history(rows)),
            description="Attitude history",
            failed=lambda exc: show(Text(f"The audit trail could not be read: {exc}", style="bold red")),
        )

    # ------------------------------------------------------------------ actions

    def _selected_engagement(self) -> dict[str, Any] | None:
        model = self.model
        table = self.query_one("#sh-profile-log", RecordTable)
        return model.row("engagement", table.selected_id) if model else None

    def action_log(self) -> None:
        if self.pic is not None and self.stakeholder_id in self.pic.by_id:
            log_engagement(
                self,
                self.pic,
                self.stakeholder_id,
                self.query_one("#sh-profile-log", RecordTable).select_when_present,
            )

    def action_edit(self) -> None:
        row = self.model.row("stakeholder", self.stakeholder_id) if self.model else None
        if row is not None:
            self.app.push_screen(RecordForm("stakeholder", row))

    @on(RecordTable.Opened, "#sh-profile-log")
    def _engagement_opened(self) -> None:
        row = self._selected_engagement()
        if row is not None:
            edit_engagement(self, row, self.query_one("#sh-profile-log", RecordTable).select_when_present)

    def action_delete_engagement(self) -> None:
        row = self._selected_engagement()
        if row is not None and self.pic is not None:
            delete_engagement(self, row, self.pic.names.get(self.stakeholder_id, "?"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete_engagement":
            table = self.query_one("#sh-profile-log", RecordTable)
            return table.row_count > 0
        return True

    def action_back(self) -> None:
        self.dismiss()

    def open_record(self, kind: str, record_id: int) -> bool:
        """A jump while a profile is open: back to the stakeholders screen, which opens the record."""
        return self.forward_to_parent(kind, record_id)
