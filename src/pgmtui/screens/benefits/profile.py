"""A benefit's profile (enter on the tracker): the full MSP profile, a chart of the measured values
against the plan and the trend, the measurement list (record, correct, delete) and, on wide
terminals, the enabling projects (enter opens one)."""

from __future__ import annotations

from typing import Any

import pendulum
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import Static

from pgmtui.actions import Act
from pgmtui.model import Model
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.benefits.measure import (
    correction_form,
    delete_benefit,
    delete_measurement,
    record_measurement,
)
from pgmtui.screens.benefits.view import (
    BENEFIT_FORM_FIELDS,
    LINKED_COLUMNS,
    MEASUREMENT_COLUMNS,
    WIDE,
    BenefitRow,
    benefit_rows,
    linked_project_rows,
    linked_title,
    measurement_rows,
    measurements_title,
    profile_text,
)
from pgmtui.screens.forms import RecordForm
from pgmtui.widgets.benefit_plot import BenefitPlot, PlotData
from pgmtui.widgets.header import ProgrammeHeader
from pgmtui.widgets.record_table import RecordTable


def plot_data(row: BenefitRow, today: pendulum.Date) -> PlotData:
    """What the chart draws for one benefit: its plan, its measurements and its trend."""
    bs, rec = row.status, row.record
    base_date = rec.get("baseline_date")
    return PlotData(
        baseline_value=bs.baseline_value,
        target_value=bs.target_value,
        baseline_date=pendulum.Date.fromisoformat(base_date) if base_date else None,
        target_date=bs.target_date,
        points=tuple(bs.points),
        slope_per_day=bs.slope_per_day,
        projected_value=bs.projected_value,
        today=today,
        unit=rec.get("unit") or "",
    )


class BenefitProfileScreen(PgmScreen):
    SCREEN_TITLE = "Benefit"
    HELP = (
        "One benefit's MSP profile, a chart of the measured values (●) against the plan from baseline "
        "to target (·) and the least-squares trend (╌) projected to the target date (◎ the target, "
        "│ today), and its measurements: m records one (date defaults to today), e corrects the "
        "one under the cursor, d deletes it; E edits the profile. From 110 columns the enabling "
        "projects are listed under the measurements with their RAG and slip: tab moves there, "
        "enter opens the project."
    )
    CSS_PATH = "benefits.tcss"

    ACTIONS = (
        Act("benefit.back", "escape", "back", "Back", "Back to the benefits tracker"),
        Act(
            "benefit.measure",
            "m",
            "record_measurement",
            "Measure",
            "Record a measurement of this benefit (the date defaults to today)",
            title="Record a measurement",
            writes=True,
        ),
        Act(
            "benefit.correct",
            "e",
            "edit_measurement",
            "Correct",
            "Correct the selected measurement",
            title="Correct measurement",
            writes=True,
        ),
        Act(
            "benefit.delete_measurement",
            "d",
            "delete_measurement",
            "Delete",
            "Delete the selected measurement (asks first)",
            title="Delete measurement",
            writes=True,
        ),
        Act(
            "benefit.edit",
            "E",
            "edit_benefit",
            "Benefit",
            "Edit this benefit's profile",
            title="Edit benefit",
            key_display="E",
            writes=True,
        ),
        Act(
            "benefit.delete",
            "D",
            "delete_benefit",
            "Delete benefit",
            "Delete this benefit and its measurements (asks first)",
            title="Delete benefit",
            footer=False,
            key_display="D",
            writes=True,
        ),
    )

    def __init__(self, benefit_id: int, *, measurement_id: int | None = None) -> None:
        super().__init__()
        self.benefit_id = benefit_id
        self._first_measurement = measurement_id
        self._profile_shown = ""

    def compose_body(self) -> ComposeResult:
        yield Static(id="profile", classes="headline")
        with Horizontal(id="profile-lower"):
            yield BenefitPlot(id="plot")
            with Vertical(id="measurements-box"):
                yield Static(id="measurements-title", classes="section-title")
                yield RecordTable("measurement", MEASUREMENT_COLUMNS, id="measurements")
                yield Static(id="linked-title", classes="section-title")
                yield RecordTable("project", LINKED_COLUMNS, id="linked-projects")

    def on_mount(self) -> None:
        self._apply_width(self.app.size.width)
        self.measurements.select_when_present(self._first_measurement)
        self.measurements.focus()

    @property
    def measurements(self) -> RecordTable:
        return self.query_one("#measurements", RecordTable)

    def on_resize(self, event: Resize) -> None:
        self._apply_width(event.size.width)
        if self.model is not None:
            self.show_model(self.model)

    @property
    def linked(self) -> RecordTable:
        return self.query_one("#linked-projects", RecordTable)

    def _apply_width(self, width: int) -> None:
        """Narrow terminals: the chart on top, the measurement list under it (and no project list:
        the profile's "Enabling projects" line names them)."""
        narrow = width < WIDE
        self.query_one("#profile-lower").set_class(narrow, "-narrow")
        if narrow and self.focused is self.linked:
            self.measurements.focus()

    def show_model(self, model: Model) -> None:
        row = next((r for r in benefit_rows(model) if r.id == self.benefit_id), None)
        if row is None:
            self._show_profile(Text("This benefit was deleted.", style="bold red"))
            self.query_one("#plot", BenefitPlot).show(None)
            return
        width = self.size.width or self.app.size.width
        self.query_one(ProgrammeHeader).set_title(f"Benefit — {row.status.name}")
        self._show_profile(profile_text(row, width))
        self.query_one("#plot", BenefitPlot).show(plot_data(row, model.today))
        self.query_one("#measurements-title", Static).update(measurements_title(row))
        self.measurements.sync(measurement_rows(row.status, width))
        self.query_one("#linked-title", Static).update(linked_title(row))
        self.linked.sync(linked_project_rows(model, row))
        self.linked.set_class(not row.projects, "-empty")

    def _show_profile(self, text: Text) -> None:
        if text.markup != self._profile_shown:  # repaint only what changed (live refresh over SSH)
            self._profile_shown = text.markup
            self.query_one("#profile", Static).update(text)

    def selected_measurement_id(self) -> int | None:
        return self.measurements.selected_id

    def _record(self, kind: str, record_id: int | None) -> dict[str, Any] | None:
        model = self.model
        return model.row(kind, record_id) if (model is not None and record_id is not None) else None

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_record_measurement(self) -> None:
        record_measurement(self, self.benefit_id, self.measurements.select_when_present)

    def action_edit_measurement(self) -> None:
        record = self._record("measurement", self.selected_measurement_id())
        if record is not None:
            self.app.push_screen(correction_form(record), self.measurements.select_when_present)

    def action_delete_measurement(self) -> None:
        record = self._record("measurement", self.selected_measurement_id())
        if record is not None:
            delete_measurement(self, record)

    def action_edit_benefit(self) -> None:
        record = self._record("benefit", self.benefit_id)
        if record is not None:
            self.app.push_screen(RecordForm("benefit", record, fields=BENEFIT_FORM_FIELDS))

    def action_delete_benefit(self) -> None:
        record = self._record("benefit", self.benefit_id)
        if record is not None:
            delete_benefit(self, record, after=self._deleted)

    def _deleted(self) -> None:
        if self.app.screen is self:
            self.app.pop_screen()

    def open_record(self, kind: str, record_id: int) -> bool:
        """A jump while the profile is open: back to the tracker, which shows the record."""
        self.app.pop_screen()
        self.app.open_record(kind, record_id)
        return True

    @on(RecordTable.Opened, "#measurements")
    def _measurement_opened(self) -> None:
        self.action_edit_measurement()

    @on(RecordTable.Opened, "#linked-projects")
    def _project_opened(self, event: RecordTable.Opened) -> None:
        self.app.open_record(event.kind, event.record_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """e and d act on a measurement: not offered while the project list has the focus."""
        focused = self.focused
        if action in ("edit_measurement", "delete_measurement") and focused is not None:
            if focused.id == "linked-projects":
                return False
        return super().check_action(action, parameters)
