"""`T`: choose the moment every screen shows — a quick pick (the last stand-up, last Friday, a month
ago, each past gate review) or a typed date / date and time. The app then rebuilds the programme
as it stood then from the audit trail and shows it read-only; `T` again returns to live."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pendulum
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from pgmtui.actions import Act
from pgmtui.screens.base import PgmModal
from pgmtui.services.timetravel import AsOf, QuickPick, TimeTravelError, parse_as_of, quick_picks

if TYPE_CHECKING:
    from pgmtui.model import Model


def picks_for(model: Model | None, today: pendulum.Date) -> list[QuickPick]:
    """The quick picks for the programme on screen (gate reviews and gates passed from the model)."""
    if model is None:
        return quick_picks(today)
    return quick_picks(
        today,
        projects=model.rows("project"),
        milestones=model.rows("milestone"),
        gate_reviews=model.rows("gate_review"),
    )


TITLE_ROOM = 44  # the dialog is 66 cells wide inside at 80 columns: 18 for the moment, the rest


def pick_text(pick: QuickPick) -> Text:
    """ "20 Nov 2026 23:59  Last Friday": the moment (local time), then what it is. Titles hold
    record names (gate milestones): data, never markup."""
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append(f"{pick.when.local.format('D MMM YYYY HH:mm'):<18}", style="bold")
    title = pick.title if len(pick.title) <= TITLE_ROOM else pick.title[: TITLE_ROOM - 1] + "…"
    t.append(title)  # cut: an option list wraps long lines, and one line a pick reads best
    return t


class TimeTravelScreen(PgmModal):
    """The `T` dialog. Dismisses with the chosen AsOf, or None."""

    ACTIONS = (Act("travel.cancel", "escape", "cancel", "Cancel", "Stay where you are", palette=False),)

    def __init__(self, model: Model | None, today: pendulum.Date) -> None:
        super().__init__()
        self.today = today
        self.picks = picks_for(model, today)

    def compose(self) -> ComposeResult:
        with Vertical(id="travel"):
            yield Static(Text("Time travel", style="bold"), id="travel-title")
            yield Static(
                Text("Every screen as the programme stood then (read-only)."),
                id="travel-about",
            )
            yield OptionList(
                *(Option(pick_text(p), id=f"pick-{i}") for i, p in enumerate(self.picks)), id="travel-picks"
            )
            yield Input(placeholder="or type YYYY-MM-DD (end of day) or YYYY-MM-DD HH:MM", id="travel-date")
            yield Static("", id="travel-error")
            yield Static(
                Text("enter: go · tab: type a date · escape: cancel", style="dim"),
                id="travel-keys",
            )

    def on_mount(self) -> None:
        picks = self.query_one("#travel-picks", OptionList)
        picks.highlighted = 0
        picks.focus()

    @on(OptionList.OptionSelected, "#travel-picks")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.picks[event.option_index].when)

    @on(Input.Submitted, "#travel-date")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            when: AsOf = parse_as_of(event.value, self.today, option="the date")
        except TimeTravelError as exc:
            self.query_one("#travel-error", Static).update(Text(str(exc), style="bold red"))
            return
        self.dismiss(when)

    def action_cancel(self) -> None:
        self.dismiss(None)
