"""Recording, correcting and deleting measurements (from the tracker and the profile), and deleting
a benefit: forms and confirmations shared by both screens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.widgets import Input

from pgmtui.model import Model
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.benefits.view import (
    CORRECTION_FIELDS,
    MEASUREMENT_FIELDS,
    measurement_count,
    measurement_hint,
)
from pgmtui.screens.forms import RecordForm, confirm_delete
from pgmtui.widgets.format import number


class MeasurementForm(RecordForm):
    """Record a measurement in a few keys: the value field has the focus and enter saves."""

    def on_mount(self) -> None:
        self.call_after_refresh(self._focus_value)

    def _focus_value(self) -> None:
        for widget in self.query("#field-value"):
            widget.focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()


def new_measurement_form(model: Model, benefit_id: int) -> MeasurementForm | None:
    """A form for today's measurement of a benefit, its title giving the latest value and target."""
    row = model.row("benefit", benefit_id)
    if row is None:
        return None
    bs = next((b for b in model.rollup.benefits if b.benefit_id == benefit_id), None)
    return MeasurementForm(
        "measurement",
        fields=MEASUREMENT_FIELDS,
        defaults={"benefit": row["name"], "date": model.today.isoformat()},
        title=f"Record a measurement of {row['name']}{measurement_hint(bs, row.get('unit') or '')}",
    )


def correction_form(record: dict[str, Any]) -> MeasurementForm:
    return MeasurementForm(
        "measurement",
        record,
        fields=CORRECTION_FIELDS,
        title=f"Correct the measurement of {record['date']}",
    )


def record_measurement(
    screen: PgmScreen, benefit_id: int, done: Callable[[int | None], None] | None = None
) -> None:
    """Open the measurement form; `done(measurement id)` once saved (None when cancelled)."""
    model = screen.model
    form = new_measurement_form(model, benefit_id) if model is not None else None
    if form is not None:
        screen.app.push_screen(form, done)


def delete_measurement(screen: PgmScreen, record: dict[str, Any]) -> None:
    confirm_delete(
        screen,
        "measurement",
        record,
        f"of {record['date']} ({number(record['value'])})",
        detail="The realisation %, trend and status are recalculated without it. "
        "The deletion is kept in the audit trail.",
    )


def delete_benefit(
    screen: PgmScreen, record: dict[str, Any], after: Callable[[], None] | None = None
) -> None:
    model = screen.model
    n = measurement_count(model, record["id"]) if model is not None else 0
    confirm_delete(
        screen,
        "benefit",
        record,
        record["name"],
        detail=f"Its {n} measurement(s) go too. Every deletion is kept in the audit trail.",
        after=after,
    )
