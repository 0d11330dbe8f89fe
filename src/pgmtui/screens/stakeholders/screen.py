"""Stakeholders (key 9): the power/interest map, the register, the engagement log and the comms
plan, live.

Views (`v` cycles): Map · Register · Log · Comms. On the map the arrow keys move over cells (power
up, interest across); the highlighted cell's stakeholders are listed below it, `enter` goes into
that list and `enter` again opens a stakeholder's profile and engagement log. `l` logs an
engagement with the selected stakeholder in a few keys; `m` marks a comms item sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.containers import Vertical
from textual.events import Resize
from textual.widgets import ContentSwitcher, Input, Static

from pgmtui.actions import Act
from pgmtui.domain.stakeholders import next_due_after_sending
from pgmtui.model import Model
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.forms import RecordForm, confirm_delete
from pgmtui.screens.stakeholders.detail import StakeholderDetailScreen
from pgmtui.screens.stakeholders.engage import (
    delete_engagement,
    delete_stakeholder,
    edit_engagement,
    log_engagement,
)
from pgmtui.screens.stakeholders.view import (
    CELL_COLUMNS,
    COMMS_COLUMNS,
    LOG_COLUMNS,
    REGISTER_COLUMNS,
    VIEW_TITLES,
    VIEWS,
    EngagementRows,
    Picture,
    StakeholderFilter,
    StakeholderRows,
    cell_of,
    cell_rows,
    cell_title,
    comms_rows,
    comms_title,
    first_cell,
    in_cell,
    legend,
    log_rows,
    log_title,
    map_entries,
    matches,
    parse_filter,
    register_rows,
    summary,
    views_bar,
)
from pgmtui.widgets.cells import signature
from pgmtui.widgets.quiet import QuietStatic
from pgmtui.widgets.record_table import RecordTable
from pgmtui.widgets.stakeholder_map import StakeholderMap

if TYPE_CHECKING:
    from pgmtui.store import Store

TALL_ENOUGH_FOR_LEGEND = 34
VIEW_HELP = {
    "map": "The power/interest map",
    "register": "Every stakeholder: quadrant, attitude, last contact, next due",
    "log": "Every engagement, newest first",
    "comms": "The comms plan and what is due this week",
}


class StakeholdersScreen(PgmScreen):
    SCREEN_TITLE = "Stakeholders"
    CSS_PATH = "stakeholders.tcss"
    HELP = (
        "The power/interest map (Mendelow): power up the side, interest along the bottom, the programme's "
        "thresholds (power_threshold, interest_threshold) split it into Manage closely, Keep satisfied, "
        "Keep informed and Monitor. Each name shows the attitude as glyph and letter (×B blocker, −C "
        "critic, ○N neutral, +S supporter, ★C champion), ↑n the steps to the attitude wanted, ! a risk "
        "(high power, two or more steps short), * not engaged within the cadence (contacted exactly "
        "cadence days ago is due, not overdue). Arrows move over cells, enter lists the cell, enter "
        "again opens the stakeholder's profile and log. l logs an engagement (date today, by you). v "
        "cycles Map · Register · Log · Comms; on the comms plan m marks an item sent. Filter with / : "
        "words, owner:, quadrant:manage, attitude:blocker, project:IAM, is:overdue, is:risk."
    )

    ACTIONS = (
        Act(
            "stakeholders.log",
            "l",
            "log",
            "Log",
            "Log an engagement with the selected stakeholder (date today, by you)",
            title="Log an engagement",
            writes=True,
        ),
        Act(
            "stakeholders.new",
            "n",
            "new",
            "New",
            "Add a stakeholder in the highlighted cell (a comms item on the comms plan)",
            title="New stakeholder / comms item",
            writes=True,
        ),
        Act(
            "stakeholders.edit",
            "e",
            "edit",
            "Edit",
            "Edit the selected stakeholder, engagement or comms item",
            title="Edit stakeholder / engagement / comms item",
            writes=True,
        ),
        Act(
            "stakeholders.sent",
            "m",
            "sent",
            "Sent",
            "Mark the selected comms item sent: its next due date moves on by its frequency",
            title="Mark comms item sent",
            writes=True,
        ),
        Act("stakeholders.next_view", "v", "next_view", "View", "Next view", palette=False),
        Act(
            "stakeholders.prev_view",
            "V",
            "prev_view",
            "Previous view",
            footer=False,
            palette=False,
            key_display="V",
        ),
        Act(
            "stakeholders.filter",
            "slash",
            "filter",
            "Filter",
            "Filter by words, owner:, quadrant:, attitude:, project:, is:overdue, is:risk",
            title="Filter stakeholders",
            key_display="/",
        ),
        Act(
            "stakeholders.delete",
            "d",
            "delete",
            "Delete",
            "Delete the selected stakeholder, engagement or comms item (asks first)",
            title="Delete stakeholder / engagement / comms item",
            footer=False,
            writes=True,
        ),
        Act(
            "stakeholders.back",
            "escape",
            "back",
            "Back",
            "Clear the filter, leave the cell's list, back to the map",
            footer=False,
            palette=False,
        ),
    )

    FILTER_ID = "sh-filter"

    def __init__(self) -> None:
        super().__init__()
        self.view = "map"
        self.filter_text = ""
        self.flt = StakeholderFilter()
        self.pic: Picture | None = None
        self.shown: list[dict[str, Any]] = []
        self._stakeholder_rows = StakeholderRows()
        self._engagement_rows = EngagementRows()
        self._pending: int | None = None  # a stakeholder saved here, selected when the model holds it
        self._cursor_placed = False  # the map starts on the cell needing attention most
        self._filter_anchor: int | None = None  # selected when `/` was pressed
        self._shown: dict[str, Any] = {}  # what each line above the lists shows now

    # ------------------------------------------------------------------ layout

    def compose_body(self) -> ComposeResult:
        yield QuietStatic(id="sh-views")
        yield QuietStatic(id="sh-summary")
        yield Input(
            placeholder="filter: words owner:asha quadrant:manage attitude:blocker project:IAM is:overdue is:risk",
            id="sh-filter",
        )
        with ContentSwitcher(id="sh-switcher", initial="map-pane"):
            with Vertical(id="map-pane"):
                yield StakeholderMap(id="sh-map")
                yield QuietStatic(id="sh-legend")
                yield QuietStatic(id="sh-cell-title")
                yield RecordTable("stakeholder", CELL_COLUMNS, id="sh-cell")
            with Vertical(id="register-pane"):
                yield RecordTable("stakeholder", REGISTER_COLUMNS, id="sh-register")
            with Vertical(id="log-pane"):
                yield QuietStatic(id="sh-log-title")
                yield RecordTable("engagement", LOG_COLUMNS, id="sh-log")
            with Vertical(id="comms-pane"):
                yield QuietStatic(id="sh-comms-title")
                yield RecordTable("communication", COMMS_COLUMNS, id="sh-comms")

    def on_mount(self) -> None:  # PgmScreen.on_mount runs next and renders the model
        self.query_one("#sh-filter").display = False
        self.map.focus()

    @property
    def map(self) -> StakeholderMap:
        return self.query_one("#sh-map", StakeholderMap)

    def table(self, name: str) -> RecordTable:
        return self.query_one(f"#sh-{name}", RecordTable)

    # ------------------------------------------------------------------ rendering

    def picture(self, model: Model) -> Picture:
        self.pic = Picture.of(model)
        return self.pic

    def show_model(self, model: Model) -> None:
        pic = self.picture(model)
        self.flt = parse_filter(self.filter_text)
        self.shown = [r for r in pic.rows if matches(r, self.flt, pic)]
        self.map.set_data(map_entries(pic, self.shown), pic.thresholds)
        counts = {"register": len(self.shown), "log": len(model.rows("engagement")), "comms": len(pic.plan)}
        self._show("sh-views", views_bar(pic, self.view, counts))
        width = self.size.width or self.app.size.width
        self._show("sh-summary", summary(pic, self.flt, len(self.shown), width))
        if not self._cursor_placed:
            start = first_cell(pic)
            if start is not None:
                self._cursor_placed = True
                self.map.move_to(start)
        legend_box = self.query_one("#sh-legend", Static)
        legend_box.display = self.app.size.height >= TALL_ENOUGH_FOR_LEGEND
        self._show("sh-legend", legend(pic.thresholds))
        self._render_view(pic)
        if self._pending is not None and self._pending in pic.by_id:
            sid, self._pending = self._pending, None
            self.select_stakeholder(sid)

    def _render_view(self, pic: Picture) -> None:
        if self.view == "map":
            self._render_cell(pic)
        elif self.view == "register":
            self.table("register").sync(register_rows(self._stakeholder_rows, pic, self.shown))
        elif self.view == "log":
            kept = None if self.flt.is_empty or not self._filters_people() else {r["id"] for r in self.shown}
            rows, matched = log_rows(self._engagement_rows, pic, self.flt, kept)
            self._show("sh-log-title", log_title(len(rows), matched))
            self.table("log").sync(rows)
        else:
            self._show("sh-comms-title", comms_title(pic))
            self.table("comms").sync(comms_rows(pic, self.flt))

    def _show(self, static_id: str, text: Text) -> None:
        """Update a line only when what it shows changed (a live refresh repaints what moved)."""
        shown = signature(text)
        if self._shown.get(static_id) != shown:
            self._shown[static_id] = shown
            self.query_one(f"#{static_id}", QuietStatic).show(text)

    def _filters_people(self) -> bool:
        """Whether the filter names stakeholders by more than words (words also match log text)."""
        f = self.flt
        return bool(f.owner or f.quadrant or f.attitude or f.project or f.flags)

    def _render_cell(self, pic: Picture) -> None:
        cell = self.map.cursor
        people = in_cell(pic, self.shown, cell)
        self._show("sh-cell-title", cell_title(cell, len(people), pic.thresholds))
        self.table("cell").sync(cell_rows(self._stakeholder_rows, pic, people))

    def on_resize(self, event: Resize) -> None:
        if self.model is not None:
            self.show_model(self.model)

    # ------------------------------------------------------------------ map and list events

    @on(StakeholderMap.CellHighlighted)
    def _cell_highlighted(self) -> None:
        if self.pic is not None:
            self._render_cell(self.pic)

    @on(StakeholderMap.CellSelected)
    def _cell_selected(self, event: StakeholderMap.CellSelected) -> None:
        if self.table("cell").row_count:
            self.table("cell").focus()
        else:
            p, i = event.cell
            self.notify(f"No stakeholders with power {p} and interest {i}.", timeout=2)

    @on(RecordTable.Opened, "#sh-cell, #sh-register")
    def _stakeholder_opened(self, event: RecordTable.Opened) -> None:
        self.open_profile(event.record_id)

    @on(RecordTable.Opened, "#sh-log")
    def _engagement_opened(self, event: RecordTable.Opened) -> None:
        row = self.model.row("engagement", event.record_id) if self.model else None
        if row is not None:
            self.open_profile(row["stakeholder_id"])

    @on(RecordTable.Opened, "#sh-comms")
    def _comms_opened(self) -> None:
        self.action_edit()

    # ------------------------------------------------------------------ views

    def set_view(self, view: str) -> None:
        self.view = view
        self.query_one("#sh-switcher", ContentSwitcher).current = f"{view}-pane"
        if self.model is not None:
            self.show_model(self.model)
        self._focus_view()
        self.refresh_bindings()

    def _focus_view(self) -> None:
        if self.view == "map":
            self.map.focus()
        else:
            self.table(self.view).focus()

    def action_next_view(self) -> None:
        self.set_view(VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)])

    def action_prev_view(self) -> None:
        self.set_view(VIEWS[(VIEWS.index(self.view) - 1) % len(VIEWS)])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sent":
            return self.view == "comms"
        if action == "log":
            return self.view != "comms"
        return True

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield from super().palette_commands()
        for view in VIEWS:
            yield SystemCommand(
                f"Stakeholders: {VIEW_TITLES[view]}", VIEW_HELP[view], lambda view=view: self.set_view(view)
            )

    # ------------------------------------------------------------------ filter

    def action_filter(self) -> None:
        # The stakeholder selected when filtering starts stays selected whenever the filter keeps
        # them (typing passes through filters that hide them, e.g. "is:o" on the way to is:overdue).
        self._filter_anchor = self.selected_stakeholder()
        super().action_filter()

    def refilter(self) -> None:
        if self.model is None:
            return
        self.show_model(self.model)
        anchor = self._filter_anchor
        if anchor is not None and any(r["id"] == anchor for r in self.shown):
            if self.view == "register":
                self.table("register").select(anchor)
            elif self.view == "map":
                self.table("cell").select(anchor)

    def focus_main(self) -> None:
        self._focus_view()

    def action_back(self) -> None:
        box = self.query_one("#sh-filter", Input)
        if box.display and (box.has_focus or self.filter_text):
            self.close_filter(focus=False)
            self._focus_view()
        elif self.view == "map" and self.table("cell").has_focus:
            self.map.focus()
        elif self.view != "map":
            self.set_view("map")

    # ------------------------------------------------------------------ selection

    def selected_stakeholder(self) -> int | None:
        if self.view == "map":
            return self.table("cell").selected_id
        if self.view == "register":
            return self.table("register").selected_id
        if self.view == "log" and self.model is not None:
            row = self.model.row("engagement", self.table("log").selected_id)
            return row["stakeholder_id"] if row else None
        return None

    def select_stakeholder(self, sid: int) -> bool:
        """Put the cursor on a stakeholder: their cell on the map (and their row), or their row."""
        pic = self.pic
        if pic is None or sid not in pic.by_id:
            return False
        if not any(r["id"] == sid for r in self.shown):
            self.close_filter(focus=False)  # hidden by the filter
        if self.view == "register":
            return self.table("register").select(sid)
        if self.view != "map":
            self.set_view("map")
        self.map.move_to(cell_of(pic.by_id[sid]))
        self._render_cell(pic)
        return self.table("cell").select(sid)

    def open_profile(self, sid: int) -> None:
        self.app.push_screen(StakeholderDetailScreen(sid))

    def open_record(self, kind: str, record_id: int) -> bool:
        """Palette and stand-up jumps: a stakeholder opens on its cell (and its profile); an
        engagement is selected in the log, a comms item in the plan."""
        if kind not in ("stakeholder", "engagement", "communication"):
            return False
        model = self.model
        if model is None or model.row(kind, record_id) is None:
            self.notify(f"{kind} #{record_id} is not in the database (deleted?)", severity="warning")
            return True
        if self.filter_text:
            self.close_filter(focus=False)
        if kind == "stakeholder":
            self.select_stakeholder(record_id)
            self.open_profile(record_id)
        elif kind == "engagement":
            self.set_view("log")
            self.table("log").select_when_present(record_id)
        else:
            self.set_view("comms")
            self.table("comms").select_when_present(record_id)
        return True

    # ------------------------------------------------------------------ writing

    def action_log(self) -> None:
        sid = self.selected_stakeholder()
        if sid is None or self.pic is None:
            self.notify("Move to a stakeholder first (a cell with names, or a row).", timeout=3)
            return
        log_engagement(self, self.pic, sid)

    def _after_stakeholder_save(self, sid: int | None) -> None:
        if sid is None:
            return
        if self.pic is not None and sid in self.pic.by_id:
            self.select_stakeholder(sid)
        else:
            self._pending = sid

    def action_new(self) -> None:
        if self.view == "comms":
            self.app.push_screen(RecordForm("communication"), self.table("comms").select_when_present)
        elif self.view == "log":
            self.action_log()
        else:
            p, i = self.map.cursor
            defaults = {"power": p, "interest": i, "attitude": "neutral"}
            form = RecordForm(
                "stakeholder", defaults=defaults, title=f"New stakeholder (power {p}, interest {i})"
            )
            self.app.push_screen(form, self._after_stakeholder_save)

    def action_edit(self) -> None:
        model = self.model
        if model is None:
            return
        if self.view == "comms":
            row = model.row("communication", self.table("comms").selected_id)
            if row is not None:
                self.app.push_screen(
                    RecordForm("communication", row), self.table("comms").select_when_present
                )
            return
        if self.view == "log":
            row = model.row("engagement", self.table("log").selected_id)
            if row is not None:
                edit_engagement(self, row, self.table("log").select_when_present)
            return
        row = model.row("stakeholder", self.selected_stakeholder())
        if row is not None:
            self.app.push_screen(RecordForm("stakeholder", row), self._after_stakeholder_save)

    def action_delete(self) -> None:
        model, pic = self.model, self.pic
        if model is None or pic is None:
            return
        if self.view == "comms":
            row = model.row("communication", self.table("comms").selected_id)
            if row is not None:
                confirm_delete(self, "communication", row, f"“{row['message']}”")
        elif self.view == "log":
            row = model.row("engagement", self.table("log").selected_id)
            if row is not None:
                delete_engagement(self, row, pic.names.get(row["stakeholder_id"], "?"))
        else:
            row = model.row("stakeholder", self.selected_stakeholder())
            if row is not None:
                last = pic.by_id[row["id"]].last
                delete_stakeholder(self, row, last.count if last else 0)

    def action_sent(self) -> None:
        pic = self.pic
        item = next((i for i in pic.plan if i.id == self.table("comms").selected_id), None) if pic else None
        row = self.model.row("communication", item.id) if (item and self.model) else None
        if pic is None or item is None or row is None:
            return
        following = next_due_after_sending(item.next_due, item.frequency_days, pic.today)
        version, cid = row["version"], row["id"]

        def change(store: Store) -> None:
            store.update(
                "communication",
                cid,
                {"next_due": following.isoformat() if following else ""},
                expected_version=version,
            )

        said = f"next due {following.format('ddd D MMM')}" if following else "a one-off: nothing more due"
        self.write_store(
            change,
            description=f"Mark “{item.message}” sent",
            done=lambda _: self.notify(f"“{item.message}” sent; {said}", timeout=3),
        )
