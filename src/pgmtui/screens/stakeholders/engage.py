"""Logging an engagement in a few keys (`l` on the map, the register, the log or a profile): a small
form with the stakeholder, their preferred channel, today's date and who logs it filled in, the
cursor in the summary; ctrl+s saves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pgmtui.screens.base import PgmScreen
from pgmtui.screens.forms import RecordForm, confirm_delete
from pgmtui.screens.stakeholders.view import ENGAGEMENT_FORM_FIELDS, Picture, engagement_defaults
from pgmtui.services.stakeholders import acting_person


class EngagementForm(RecordForm):
    """The engagement form, opened with the focus in the summary."""

    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self._focus_summary)

    def _focus_summary(self) -> None:
        for widget in self.query("#field-summary"):
            widget.focus()


def log_title(pic: Picture, stakeholder_id: int) -> str:
    s = pic.by_id[stakeholder_id]
    c = s.contact
    if c.last is None:
        since = "never engaged"
    else:
        since = f"last contact {c.days_since} d ago"
    cadence = f", cadence {c.cadence} d" if c.cadence else ""
    return f"Log an engagement with {s.name} ({since}{cadence})"


def log_engagement(
    screen: PgmScreen, pic: Picture, stakeholder_id: int, done: Callable[[int | None], None] | None = None
) -> None:
    """Open the log form for a stakeholder; `done(engagement id)` once saved (None if cancelled)."""
    row = next((r for r in pic.rows if r["id"] == stakeholder_id), None)
    if row is None:
        screen.notify("That stakeholder is no longer in the register.", severity="warning")
        return
    by = acting_person(pic.model.rows("person"))
    form = EngagementForm(
        "engagement",
        fields=ENGAGEMENT_FORM_FIELDS,
        defaults=engagement_defaults(row, pic, by),
        title=log_title(pic, stakeholder_id),
    )
    screen.app.push_screen(form, done)


def edit_engagement(screen: PgmScreen, record: dict[str, Any], done: Callable[[int | None], None]) -> None:
    screen.app.push_screen(EngagementForm("engagement", record), done)


def delete_engagement(screen: PgmScreen, record: dict[str, Any], name: str) -> None:
    confirm_delete(
        screen,
        "engagement",
        record,
        f"of {record['date']} with {name}",
        detail="The last contact and what is overdue are worked out again without it. "
        "The deletion is kept in the audit trail.",
    )


def delete_stakeholder(
    screen: PgmScreen, record: dict[str, Any], engagements: int, after: Callable[[], None] | None = None
) -> None:
    confirm_delete(
        screen,
        "stakeholder",
        record,
        record["name"],
        detail=f"Their {engagements} engagement(s) go too. Every deletion is kept in the audit trail.",
        after=after,
    )
