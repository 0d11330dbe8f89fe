"""The allocations behind a cell of the Resources grid (enter on a week): what makes up a person's
load that week, editable — n adds an allocation, e edits, d deletes; w shows all their current
and future allocations instead."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Static

from pgmtui.actions import Act
from pgmtui.domain.capacity import iso, monday
from pgmtui.model import Model
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.forms import RecordForm, confirm_delete
from pgmtui.screens.resources.view import ALLOCATION_FORM_FIELDS, CELL_COLUMNS, cell_rows, cell_summary
from pgmtui.services.resources import Labels
from pgmtui.widgets.header import ProgrammeHeader
from pgmtui.widgets.record_table import RecordTable


class AllocationsScreen(PgmScreen):
    SCREEN_TITLE = "Allocations"
    HELP = (
        "The allocations behind one week of a person's load: Days are the allocation's working days "
        "in that week and Load what it adds (% × days / 5). n adds an allocation for this person "
        "(dated to this week), e or enter edits the selected one, d deletes it; w switches between "
        "this week and every current and future allocation."
    )
    CSS_PATH = "resources.tcss"

    ACTIONS = (
        Act("allocations.back", "escape", "back", "Back", "Back to the grid"),
        Act(
            "allocations.new", "n", "new_allocation", "New", "Allocate this person to a project", writes=True
        ),
        Act("allocations.edit", "e", "edit_allocation", "Edit", "Edit the selected allocation", writes=True),
        Act(
            "allocations.delete",
            "d",
            "delete_allocation",
            "Delete",
            "Delete the selected allocation (asks first)",
            writes=True,
        ),
        Act(
            "allocations.week",
            "w",
            "toggle_week",
            "Week/all",
            "This week only, or every current and future one",
        ),
    )

    def __init__(self, person_id: int, week_first: int | None, *, select: int | None = None) -> None:
        super().__init__()
        self.person_id = person_id
        self.week_first = week_first
        self._week = week_first  # the week to come back to after showing all
        self._select = select

    def compose_body(self) -> ComposeResult:
        yield Static(id="alloc-summary", classes="headline")
        yield RecordTable("allocation", CELL_COLUMNS, id="alloc-list")
        yield Static(id="alloc-empty", classes="detail-note")

    def on_mount(self) -> None:
        self.table.focus()

    @property
    def table(self) -> RecordTable:
        return self.query_one("#alloc-list", RecordTable)

    def show_model(self, model: Model) -> None:
        person = model.row("person", self.person_id)
        self.query_one(ProgrammeHeader).set_title(f"Allocations {person['name'] if person else ''}".strip())
        self.query_one("#alloc-summary", Static).update(cell_summary(model, self.person_id, self.week_first))
        rows = cell_rows(model, self.person_id, self.week_first)
        self.table.sync(rows)
        if self._select is not None:
            self.table.select_when_present(self._select)
            self._select = None
        empty = self.query_one("#alloc-empty", Static)
        empty.display = not rows
        if not rows:
            empty.update("No allocations here: n allocates this person to a project.")

    def _record(self) -> dict[str, Any] | None:
        aid, model = self.table.selected_id, self.model
        return model.row("allocation", aid) if (model is not None and aid is not None) else None

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_toggle_week(self) -> None:
        model = self.model
        if self.week_first is not None:
            self.week_first = None
        elif model is not None:
            self.week_first = self._week if self._week is not None else monday(model.today.toordinal())
        if model is not None:
            self.show_model(model)

    def action_new_allocation(self) -> None:
        model = self.model
        person = model.row("person", self.person_id) if model is not None else None
        if person is None or model is None:
            return
        first = self.week_first if self.week_first is not None else monday(model.today.toordinal())
        defaults = {"person": person["name"], "start_date": iso(first), "end_date": iso(first + 4)}
        self.app.push_screen(
            RecordForm("allocation", fields=ALLOCATION_FORM_FIELDS, defaults=defaults),
            self.table.select_when_present,
        )

    def action_edit_allocation(self) -> None:
        record = self._record()
        if record is not None:
            self.app.push_screen(RecordForm("allocation", record, fields=ALLOCATION_FORM_FIELDS))

    def action_delete_allocation(self) -> None:
        record, model = self._record(), self.model
        if record is None or model is None:
            return
        labels = Labels.of(model.tables)
        what = f"#{record['id']} ({labels.projects.get(record['project_id'], '?')} {record['percent']:g} %)"
        confirm_delete(self, "allocation", record, what)

    @on(RecordTable.Opened, "#alloc-list")
    def _opened(self) -> None:
        self.action_edit_allocation()
