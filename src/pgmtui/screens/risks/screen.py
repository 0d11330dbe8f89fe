"""Risks (key 3): the 5×5 heatmap, the risk register and the rest of the RAID log, live.

Views (`v` cycles, `t` flips heatmap ⇄ register): Heatmap · Register · Issues · Assumptions ·
Decisions · Actions · Lessons (with lesson candidates from the audit trail: screens/risks/followup.py). On the heatmap the arrow keys move over cells; the highlighted cell's risks are listed
below it and `enter` drills in (enter again opens a risk: cause / event / effect, response, actions
and its score history from the audit trail). `i` flips between inherent and residual positions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import ContentSwitcher, Input, Static

from pgmtui.actions import Act
from pgmtui.domain.followup import split_about
from pgmtui.domain.riskmap import (
    RiskFilter,
    cell_counts,
    cell_trends,
    cells_of,
    matches,
    parse_filter,
    position,
)
from pgmtui.model import Model
from pgmtui.screens.followup import review_document
from pgmtui.screens.forms import RecordForm, confirm_delete
from pgmtui.screens.risks.detail import RiskDetailScreen
from pgmtui.screens.risks.followup import ActionsPane, LessonsPane
from pgmtui.screens.risks.followup_view import (
    ACTION_EDIT_FIELDS,
    FOLLOW_VIEWS,
    lesson_defaults,
    me_of,
    toggle_done,
)
from pgmtui.screens.risks.form import RISK_FORM_FIELDS, RiskEditingScreen, RiskForm
from pgmtui.screens.risks.raid import RaidPane
from pgmtui.screens.risks.view import (
    CELL_COLUMNS,
    PANE_VIEWS,
    RAID_KINDS,
    RAID_TITLES,
    REGISTER_COLUMNS,
    REGISTER_SORT,
    VIEWS,
    RiskRows,
    cell_rows,
    cell_title,
    legend,
    register_rows,
    summary,
    toggle_status,
    views_bar,
)
from pgmtui.widgets.heatmap import RiskHeatmap
from pgmtui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from pgmtui.store import Store

# The palette's names for the views (the keys only step through them: v, V, t).
VIEW_COMMANDS = {
    "heatmap": ("Risk heatmap", "The 5×5 heatmap"),
    "register": ("Risk register", "Sortable list of all risks"),
    **{kind: (f"RAID: {RAID_TITLES[kind]}", f"The {kind} list of the RAID log") for kind in RAID_KINDS},
    "action": ("Actions", "Every action, the overdue ones first"),
    "lesson": ("Lessons learned", "Lessons, and lesson candidates from the audit trail"),
}


class RisksScreen(RiskEditingScreen):
    SCREEN_TITLE = "Risks & RAID"
    CSS_PATH = "risks.tcss"
    HELP = (
        "The risk heatmap: probability × impact, each cell coloured by band and showing its band letter, "
        "the number of risks in it and ↑/↓ for risks whose score rose/fell since the last stand-up. "
        "Arrows move over cells (the cell's risks are listed below), enter drills in, enter on a risk "
        "opens it. i flips inherent/residual positions, t the register, v cycles Heatmap · Register · "
        "Issues · Assumptions · Decisions · Actions · Lessons. Filter with / : words, project:IAM,CLD "
        "(project:programme for programme-level), category:, owner: (owner:me: yours), proximity:imminent "
        "(this-stage, 2026-12), status:closed|all. Actions: c marks one done (or re-opens it), m shows "
        "yours, o opens the record it is about; a on any record of any screen adds an action about it. "
        "Lessons: lessons recorded and, below, candidates found in the audit trail (slips beyond "
        "tolerance, Red spells, risks re-scored to Critical, benefits off track, gates stopped); enter on "
        "one records it as a lesson; w writes the post-programme review."
    )

    ACTIONS = (
        Act(
            "risks.basis",
            "i",
            "toggle_basis",
            "Inh/Res",
            "Position risks by inherent or residual scores",
            title="Toggle inherent / residual",
        ),
        Act(
            "risks.register",
            "t",
            "toggle_register",
            "Register",
            "Flip between the heatmap and the risk register",
            palette=False,  # the palette offers each view by name
        ),
        Act("risks.next_view", "v", "next_view", "View", "Next view", palette=False),
        Act(
            "risks.prev_view",
            "V",
            "prev_view",
            "Previous view",
            footer=False,
            palette=False,
            key_display="V",
        ),
        Act(
            "risks.filter",
            "slash",
            "filter",
            "Filter",
            "Filter by words, project:, category:, owner:, proximity:, status:",
            title="Filter risks",
            key_display="/",
        ),
        Act(
            "risks.rescore",
            "p",
            "rescore",
            "Re-score",
            "P / I of the selected risk by keyboard",
            title="Re-score risk",
            writes=True,
        ),
        Act(
            "risks.new",
            "n",
            "new",
            "New",
            "Log a risk in the highlighted cell (or add to the RAID list shown)",
            title="New risk / RAID item",
            writes=True,
        ),
        Act(
            "risks.edit",
            "e",
            "edit",
            "Edit",
            "Edit the selected risk or RAID item",
            title="Edit risk / RAID item",
            writes=True,
        ),
        Act(
            "risks.close",
            "c",
            "close_reopen",
            "Close",
            "Close the selected risk or RAID item, or reopen it",
            title="Close / reopen",
            writes=True,
        ),
        Act(
            "risks.delete",
            "d",
            "delete",
            "Delete",
            "Delete the selected risk or RAID item (asks first)",
            title="Delete risk / RAID item",
            footer=False,
            writes=True,
        ),
        Act(
            "risks.mine",
            "m",
            "my_actions",
            "Mine",
            "Only your actions (owner:me), or all again",
            footer=False,
        ),
        Act(
            "risks.go",
            "o",
            "go_about",
            "Go to",
            "Open the record the action or lesson is about",
            footer=False,
        ),
        Act(
            "risks.review",
            "w",
            "write_review",
            "Review",
            "The post-programme review (lessons, candidates, end and cost against plan)",
            title="Write the post-programme review (HTML)",
            footer=False,
        ),
        Act(
            "risks.export",
            "x",
            "export_register",
            "Excel",
            "Write the risks or RAID items shown (filter and order kept) to an Excel workbook",
            title="Export register to Excel",
            footer=False,
        ),
        Act(
            "risks.back",
            "escape",
            "back",
            "Back",
            "Clear the filter, leave the cell's list, back to the heatmap",
            footer=False,
            palette=False,
        ),
    )

    FILTER_ID = "risk-filter"

    def __init__(self) -> None:
        super().__init__()
        self.view = "heatmap"
        self.basis = "residual"
        self.filter_text = ""
        self.flt = RiskFilter()
        self.filtered: list[dict[str, Any]] = []
        self._shown_cells: dict[tuple[int, int], list[dict[str, Any]]] = {}
        self._rows = RiskRows()
        # A risk saved from here that the model does not hold yet: selected when it arrives.
        self._pending_risk: int | None = None

    # ------------------------------------------------------------------ layout

    def compose_body(self) -> ComposeResult:
        yield Static(id="risk-views")
        yield Static(id="risk-summary")
        yield Input(
            placeholder="filter: words project:IAM category:tech owner:asha proximity:imminent status:all",
            id="risk-filter",
        )
        with ContentSwitcher(id="risk-switcher", initial="heatmap-pane"):
            with Vertical(id="heatmap-pane"):
                with Horizontal(id="heatmap-row"):
                    yield RiskHeatmap(id="heatmap")
                    yield Static(id="heatmap-legend")
                yield Static(id="cell-title")
                yield RecordTable("risk", CELL_COLUMNS, id="cell-risks")
            with Vertical(id="register-pane"):
                yield RecordTable("risk", REGISTER_COLUMNS, sort_key=REGISTER_SORT, id="register")
            for kind in RAID_KINDS:
                yield RaidPane(kind, id=f"{kind}-pane")
            yield ActionsPane("action", id="action-pane")
            yield LessonsPane("lesson", id="lesson-pane")

    def on_mount(self) -> None:  # PgmScreen.on_mount runs next and renders the model
        self.query_one("#risk-filter").display = False
        self.heatmap.focus()

    @property
    def heatmap(self) -> RiskHeatmap:
        return self.query_one("#heatmap", RiskHeatmap)

    @property
    def cell_table(self) -> RecordTable:
        return self.query_one("#cell-risks", RecordTable)

    @property
    def register(self) -> RecordTable:
        return self.query_one("#register", RecordTable)

    def raid_pane(self, kind: str) -> RaidPane:
        return self.query_one(f"#{kind}-pane", RaidPane)

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    # ------------------------------------------------------------------ rendering

    def show_model(self, model: Model) -> None:
        self.flt = parse_filter(self.filter_text)
        self.filtered = [r for r in model.rows("risk") if matches(r, self.flt, model.project_code)]
        by_cell = cells_of(self.filtered, self.basis)
        self._shown_cells = by_cell
        self.heatmap.set_data(
            cell_counts(self.filtered, self.basis), cell_trends(by_cell, model.trends(self.basis))
        )
        self.query_one("#risk-views", Static).update(
            views_bar(model, self.view, len(self.filtered), self._width())
        )
        self.query_one("#risk-summary", Static).update(
            summary(model, self.view, self.basis, self.flt, self.filtered)
        )
        self._render_legend()
        self._render_view(model)
        if self._pending_risk is not None and model.row("risk", self._pending_risk) is not None:
            rid, self._pending_risk = self._pending_risk, None
            self.select_risk(rid)

    def _render_view(self, model: Model) -> None:
        if self.view == "heatmap":
            self._render_cell(model)
        elif self.view == "register":
            self.register.sync(register_rows(self._rows, model, self.filtered))
        else:
            self.raid_pane(self.view).show(model, self.flt)

    def _render_legend(self) -> None:
        box = self.query_one("#heatmap-legend", Static)
        wide = self._width() >= 130
        box.display = wide
        if wide:
            box.update(legend(self.basis))

    def _render_cell(self, model: Model) -> None:
        cell = self.heatmap.cursor
        risks = self._shown_cells.get(cell, [])
        self.query_one("#cell-title", Static).update(cell_title(cell, len(risks), self.basis))
        self.cell_table.sync(cell_rows(self._rows, model, risks, self.basis))

    def on_resize(self, event: Resize) -> None:
        if self.model is not None:
            self.show_model(self.model)

    # ------------------------------------------------------------------ heatmap and list events

    @on(RiskHeatmap.CellHighlighted)
    def _cell_highlighted(self) -> None:
        if self.model is not None:
            self._render_cell(self.model)

    @on(RiskHeatmap.CellSelected)
    def _cell_selected(self, event: RiskHeatmap.CellSelected) -> None:
        if self.cell_table.row_count:
            self.cell_table.focus()
        else:
            self.notify(
                f"No {self.flt.risk_status()} risks in P{event.cell[0]} × I{event.cell[1]}.", timeout=2
            )

    @on(RecordTable.Opened, "#cell-risks, #register")
    def _risk_opened(self, event: RecordTable.Opened) -> None:
        self.open_risk(event.record_id)

    @on(RecordTable.Opened, ".raid-table")
    def _raid_opened(self) -> None:
        self.action_edit()

    @on(RecordTable.Sorted, "#register")
    def _register_sorted(self, event: RecordTable.Sorted) -> None:
        label = next((c.label for c in REGISTER_COLUMNS if c.key == event.key), event.key) or "trend"
        self.notify(f"Sorted by {label}{' (reversed)' if event.reverse else ''}", timeout=1.5)

    # ------------------------------------------------------------------ views

    def set_view(self, view: str) -> None:
        self.view = view
        pane = {"heatmap": "heatmap-pane", "register": "register-pane"}.get(view, f"{view}-pane")
        self.query_one("#risk-switcher", ContentSwitcher).current = pane
        if self.model is not None:
            self.show_model(self.model)
        self._focus_view()
        self.refresh_bindings()

    def _focus_view(self) -> None:
        if self.view == "heatmap":
            self.heatmap.focus()
        elif self.view == "register":
            self.register.focus()
        else:
            self.raid_pane(self.view).table.focus()

    def show_main_view(self) -> None:
        if self.view != "heatmap":
            self.set_view("heatmap")

    def action_next_view(self) -> None:
        self.set_view(VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)])

    def action_prev_view(self) -> None:
        self.set_view(VIEWS[(VIEWS.index(self.view) - 1) % len(VIEWS)])

    def action_toggle_register(self) -> None:
        self.set_view("heatmap" if self.view == "register" else "register")

    def action_toggle_basis(self) -> None:
        self.basis = "inherent" if self.basis == "residual" else "residual"
        if self.model is not None:
            self.show_model(self.model)  # the summary line says which view is showing

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Issues, assumptions, decisions, actions and lessons have no scores: i and p do nothing there.
        if action in ("toggle_basis", "rescore") and self.view in PANE_VIEWS:
            return False
        if action == "my_actions":
            return self.view == "action"
        if action == "go_about":
            return self.view in FOLLOW_VIEWS
        if action == "write_review":
            return self.view == "lesson"
        if action == "close_reopen":
            return self.view != "lesson"
        return super().check_action(action, parameters)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield from super().palette_commands()
        toggle = next(a for a in self.ACTIONS if a.id == "risks.register")
        for view, (title, help) in VIEW_COMMANDS.items():
            if view == "register":
                help = f"{help} ({self.key_for(toggle)})"
            yield SystemCommand(title, help, lambda view=view: self.set_view(view))

    # ------------------------------------------------------------------ filter

    def refilter(self) -> None:
        if self.model is not None:
            self.show_model(self.model)

    def focus_main(self) -> None:
        self._focus_view()

    def clear_filter(self) -> None:
        self.close_filter(focus=False)

    def action_back(self) -> None:
        box = self.query_one("#risk-filter", Input)
        if box.display and (box.has_focus or self.filter_text):
            self.clear_filter()
            self._focus_view()
        elif self.view == "heatmap" and self.cell_table.has_focus:
            self.heatmap.focus()
        elif self.view != "heatmap":
            self.set_view("heatmap")

    # ------------------------------------------------------------------ selection

    def selected_risk_id(self) -> int | None:
        if self.view == "heatmap":
            return self.cell_table.selected_id
        if self.view == "register":
            return self.register.selected_id
        return None

    def select_risk(self, rid: int) -> bool:
        """Put the cursor on a risk: its cell on the heatmap (and its row), or its register row."""
        model = self.model
        risk = model.row("risk", rid) if model else None
        if model is None or risk is None:
            return False
        if not matches(risk, self.flt, model.project_code):
            # Hidden by the filter: widen to every status, or drop the filter altogether.
            if self.filter_text:
                self.clear_filter()
            if not matches(risk, self.flt, model.project_code):
                self.filter_text = "status:all"
                box = self.query_one("#risk-filter", Input)
                box.value = self.filter_text
                box.display = True
                self.show_model(model)
        if self.view == "register":
            return self.register.select(rid)
        if self.view != "heatmap":
            self.set_view("heatmap")
        cell = position(risk, self.basis)
        if cell is None:
            self.set_view("register")
            return self.register.select(rid)
        self.heatmap.move_to(cell)
        self._render_cell(model)
        return self.cell_table.select(rid)

    def selected_raid(self) -> tuple[str, dict[str, Any] | None]:
        if self.view not in PANE_VIEWS:
            return "", None
        return self.view, self.raid_pane(self.view).selected()

    # ------------------------------------------------------------------ opening and editing

    def open_risk(self, rid: int) -> None:
        self.app.push_screen(RiskDetailScreen(rid))

    def open_record(self, kind: str, record_id: int) -> bool:
        """Palette / stand-up jumps: a risk opens on its cell; other RAID items are selected in their list."""
        if kind != "risk" and kind not in PANE_VIEWS:
            return False
        model = self.model
        if model is None or model.row(kind, record_id) is None:
            self.notify(f"{kind} #{record_id} is not in the database (deleted?)", severity="warning")
            return True  # said why; nothing else to show
        if kind == "risk":
            self.select_risk(record_id)
            self.open_risk(record_id)
        else:
            if self.filter_text:
                self.clear_filter()
            self.set_view(kind)
            self.raid_pane(kind).table.select(record_id)
        return True

    def _new_defaults(self) -> dict[str, Any]:
        """A new record belongs to the project the filter names, if it names exactly one."""
        defaults: dict[str, Any] = {}
        projects = [p for p in self.flt.projects if p != "programme"]
        if len(projects) == 1 and self.model is not None:
            code = next(
                (r["code"] for r in self.model.rows("project") if r["code"].lower() == projects[0]), None
            )
            if code:
                defaults["project"] = code
        return defaults

    def action_new(self) -> None:
        defaults = self._new_defaults()
        if self.view in FOLLOW_VIEWS and self.model is not None:
            self._new_follow_up(defaults, self.model)
            return
        if self.view in RAID_KINDS:
            if self.model is not None:
                defaults["raised_date"] = self.model.today.isoformat()
            table = self.raid_pane(self.view).table
            self.app.push_screen(RecordForm(self.view, defaults=defaults), table.select_when_present)
            return
        p, i = self.heatmap.cursor
        defaults.update({"probability": p, "impact": i, "status": "open", "kind": "threat"})
        title = "New risk (empty project = programme-level)"
        self.app.push_screen(
            RiskForm("risk", fields=RISK_FORM_FIELDS, defaults=defaults, title=title), self._after_risk_save
        )

    def _after_risk_save(self, rid: int | None) -> None:
        """Select a saved risk on its cell (or row); a new one once the model holds it."""
        if rid is None:
            return
        if self.model is not None and self.model.row("risk", rid) is not None:
            self.select_risk(rid)
        else:
            self._pending_risk = rid

    def action_edit(self) -> None:
        if self.view == "lesson" and self._lessons.candidate_table.has_focus:
            self._accept_candidate()
            return
        kind, row = self.selected_raid()
        if row is not None:
            table = self.raid_pane(kind).table
            fields = ACTION_EDIT_FIELDS if kind == "action" else None
            self.app.push_screen(RecordForm(kind, row, fields=fields), table.select_when_present)
            return
        self.edit_risk(self.selected_risk_id(), self._after_risk_save)

    def action_rescore(self) -> None:
        self.rescore_risk(self.selected_risk_id(), self._after_risk_save)

    def action_close_reopen(self) -> None:
        kind, row = self.selected_raid()
        model = self.model
        if row is None or model is None:
            self.close_reopen_risk(self.selected_risk_id())
            return
        changes, verb = toggle_done(row) if kind == "action" else toggle_status(kind, row, model.today)
        rid, version = row["id"], row["version"]

        def change(store: Store) -> None:
            store.update(kind, rid, changes, expected_version=version)

        self.write_store(
            change,
            description=f"Close/reopen {kind} #{rid}",
            done=lambda _: self.notify(f"{kind.capitalize()} #{rid} {verb}", timeout=2),
        )

    def action_export_register(self) -> None:
        """The list shown (the cell's risks on the heatmap, else the register or RAID list), in
        its order, as an Excel workbook: a download in a browser, a file in the report folder
        ($PGMTUI_REPORT_DIR, else the current folder) in a terminal."""
        from pgmtui.screens.downloads import Document, hand_over

        model = self.model
        if model is None:
            return
        kind = self.view if self.view in PANE_VIEWS else "risk"
        table = {"heatmap": self.cell_table, "register": self.register}.get(self.view)
        ids = table.order if table is not None else self.raid_pane(kind).table.order
        rows = [row for rid in ids if (row := model.row(kind, rid)) is not None]
        tables, today = model.tables, model.today

        def build(_store: Store) -> Document:
            from pgmtui.exchange.xlsx import register_bytes, register_filename  # openpyxl when asked

            title = f"{kind.capitalize()} register ({len(rows)} rows)"
            return Document(register_filename(kind, today), register_bytes(kind, rows, tables), title)

        hand_over(self.app, build, description="Excel export", reply_to=self)

    def action_delete(self) -> None:
        kind, row = self.selected_raid()
        if row is not None:
            confirm_delete(self, kind, row, f"#{row['id']}", detail=f"“{row.get('title')}”")
            return
        self.delete_risk(self.selected_risk_id())

    # ------------------------------------------------------------------ actions and lessons

    @property
    def _lessons(self) -> LessonsPane:
        return self.query_one("#lesson-pane", LessonsPane)

    def _new_follow_up(self, defaults: dict[str, Any], model: Model) -> None:
        """n on the Actions view: an action due in a week, yours; on Lessons: a lesson by you, today."""
        me = me_of(model).label
        if self.view == "action":
            defaults.update(owner=me, due_date=model.today.add(days=7).isoformat())
        else:
            defaults.update(raised_by=me, date=model.today.isoformat())
        table = self.raid_pane(self.view).table
        self.app.push_screen(RecordForm(self.view, defaults=defaults), table.select_when_present)

    def _accept_candidate(self) -> None:
        """enter on a lesson candidate: the lesson form, filled in from the finding, to edit and save."""
        candidate = self._lessons.selected_candidate()
        if candidate is None or self.model is None:
            return
        if candidate.recorded:
            self.notify(f"Already recorded as lesson #{candidate.lesson_id}.", timeout=3)
            self._lessons.table.select(candidate.lesson_id)
            return
        form = RecordForm("lesson", defaults=lesson_defaults(candidate, self.model), title="Record a lesson")
        self.app.push_screen(form, self._lessons.table.select_when_present)

    def action_my_actions(self) -> None:
        """m: only your actions (owner:me), or every action again."""
        self.filter_text = "" if self.flt.owner in ("me", "mine", "@me") else "owner:me"
        box = self.query_one("#risk-filter", Input)
        box.value = self.filter_text
        box.display = bool(self.filter_text)
        self.refilter()

    def action_go_about(self) -> None:
        """g: open the record an action is about (a lesson: the record it comes from)."""
        kind, row = self.selected_raid()
        link = (row or {}).get("about" if kind == "action" else "source")
        target = split_about(link)
        if target is None:
            self.notify(f"This {kind} is not about a particular record.", timeout=3)
            return
        self.app.open_record(*target)

    def action_write_review(self) -> None:
        """w: the post-programme review as an HTML document (a download in a browser session)."""
        from pgmtui.screens.downloads import hand_over

        today = self.model.today if self.model is not None else None
        if today is not None:
            hand_over(self.app, review_document(today), description="Post-programme review", reply_to=self)
