"""Resources (key 6): who works on what, week by week — a person × week grid of load (% of a
full-time week), over-allocations in colour and with a glyph, filtered and grouped by role or
team; enter on a cell lists the allocations behind it; L opens the levelling suggestions."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Resize
from textual.widgets import DataTable, Input

from pgmtui.actions import Act
from pgmtui.domain.capacity import CapacityGrid, monday, people_of
from pgmtui.domain.levelling import MoveLimits, Suggestion
from pgmtui.model import Model
from pgmtui.records import ConflictError
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.forms import ConfirmScreen, RecordForm, confirm_delete
from pgmtui.screens.resources.cell import AllocationsScreen
from pgmtui.screens.resources.view import (
    ALLOCATION_FORM_FIELDS,
    FIXED,
    GRID_WEEKS,
    GROUP_NAMES,
    GROUPINGS,
    PERSON_FORM_FIELDS,
    SHIFT_WEEKS,
    SUGGESTION_COLUMNS,
    GridCache,
    Levelling,
    cell_text,
    columns,
    confirm_text,
    grid_for,
    grid_rows,
    headline,
    levelling_for,
    week_key,
    what_if_text,
)
from pgmtui.services.resources import Labels, levelling_limits
from pgmtui.widgets.quiet import QuietStatic
from pgmtui.widgets.record_table import RecordTable


class ResourcesScreen(PgmScreen):
    SCREEN_TITLE = "Resources"
    HELP = (
        "Each person's load, week by week, in % of a full-time week: an allocation of p % adds p × "
        "its working days in the week / 5 (50 % from Wednesday to Friday is 30 %). A load above "
        "the person's capacity is over-allocated: ▲ in amber, ● in red from 150 % of their capacity "
        "(as the resources RAG rates it, over the programme's look-ahead). h/l or ←/→ move through "
        "the weeks, [ and ] show earlier or later weeks. enter on a week lists the allocations "
        "behind it (n / e / d there). L opens levelling: ways to move or shorten one allocation so "
        "the week fits, never past what its milestone's float and dependency slack allow; enter "
        "applies one. Filter with words or role:, team:, project:CODE, over."
    )
    CSS_PATH = "resources.tcss"

    ACTIONS = (
        Act(
            "resources.open", "enter", "open_cell", "Allocations", "The allocations behind the selected week"
        ),
        Act(
            "resources.filter",
            "slash",
            "filter",
            "Filter",
            "Filter by name, role:, team:, project:CODE, over",
            title="Filter people",
            key_display="/",
        ),
        Act("resources.group", "b", "cycle_group", "Group", "Group by role, by team, or not at all"),
        Act(
            "resources.level",
            "L",
            "toggle_levelling",
            "Level",
            "Levelling suggestions for the selected person (what-if)",
            title="Levelling suggestions",
            key_display="L",
        ),
        Act(
            "resources.allocate",
            "a",
            "new_allocation",
            "Allocate",
            "Allocate the selected person to a project from the selected week",
            title="New allocation",
            writes=True,
        ),
        Act(
            "resources.new",
            "n",
            "new_person",
            "New",
            "Add a person to the directory",
            title="New person",
            writes=True,
        ),
        Act(
            "resources.edit",
            "e",
            "edit_person",
            "Edit",
            "Edit the selected person",
            title="Edit person",
            footer=False,
            writes=True,
        ),
        Act(
            "resources.delete",
            "d",
            "delete_person",
            "Delete",
            "Delete the selected person and their allocations (asks first)",
            title="Delete person",
            footer=False,
            writes=True,
        ),
        Act(
            "resources.apply",
            "enter",
            "apply_suggestion",
            "Apply",
            "Apply the selected levelling suggestion (asks first)",
            title="Apply levelling suggestion",
            writes=True,
        ),
        Act(
            "resources.left",
            "h",
            "week_left",
            "Earlier week",
            "Move to the week before (also ←)",
            footer=False,
            palette=False,
        ),
        Act(
            "resources.right",
            "l",
            "week_right",
            "Later week",
            "Move to the week after (also →)",
            footer=False,
            palette=False,
        ),
        Act(
            "resources.earlier",
            "left_square_bracket",
            "shift_weeks(-1)",
            "Earlier weeks",
            f"Show the grid from {SHIFT_WEEKS} weeks earlier",
            footer=False,
            key_display="[",
        ),
        Act(
            "resources.later",
            "right_square_bracket",
            "shift_weeks(1)",
            "Later weeks",
            f"Show the grid from {SHIFT_WEEKS} weeks later",
            footer=False,
            key_display="]",
        ),
        Act(
            "resources.this_week", "t", "this_week", "This week", "Show the grid from this week", footer=False
        ),
        Act(
            "resources.next_over",
            "o",
            "next_over",
            "Next over",
            "Go to the next over-allocated week",
            title="Next over-allocation",
            footer=False,
        ),
        Act(
            "resources.back",
            "escape",
            "back",
            "Back",
            "Close the filter or the levelling panel",
            footer=False,
            palette=False,
        ),
    )

    FILTER_ID = "filter"

    def __init__(self) -> None:
        super().__init__()
        self.filter_text = ""
        self.group = ""
        self.week_offset = 0  # weeks from today's week to the grid's first
        self.grid: CapacityGrid | None = None
        self._labels: Labels | None = None
        self._cache = GridCache()
        self._columns_first: int | None = None
        self._limits: tuple[int, MoveLimits] | None = None
        self._levelling: Levelling | None = None
        self._shown: dict[str, str] = {}

    def compose_body(self) -> ComposeResult:
        yield QuietStatic(id="res-headline", classes="headline")
        yield Input(
            placeholder="filter: words, role:architect, team:data, project:ERP, over — enter to apply",
            id="filter",
        )
        yield RecordTable("person", id="res-grid")
        yield QuietStatic(id="res-cell")
        with Vertical(id="res-level"):
            yield QuietStatic(id="res-level-title")
            yield RecordTable("allocation", SUGGESTION_COLUMNS, id="res-suggestions", zebra_stripes=False)
            yield QuietStatic(id="res-level-note")

    def on_mount(self) -> None:
        self.query_one("#filter").display = False
        self.query_one("#res-level").display = False
        grid = self.table
        grid.cursor_type = "cell"
        grid.fixed_columns = len(FIXED)
        grid.focus()

    @property
    def table(self) -> RecordTable:
        return self.query_one("#res-grid", RecordTable)

    @property
    def suggestions_table(self) -> RecordTable:
        return self.query_one("#res-suggestions", RecordTable)

    @property
    def levelling_open(self) -> bool:
        return bool(self.query_one("#res-level").display)

    # ------------------------------------------------------------------ rendering

    def first_day(self, model: Model) -> int:
        return monday(model.today.toordinal()) + 7 * self.week_offset

    def show_model(self, model: Model) -> None:
        first = self.first_day(model)
        self.grid = grid_for(model, first, GRID_WEEKS, self._cache)
        self._labels = Labels.of(model.tables)
        self._render_grid()

    def _render_grid(self) -> None:
        model, grid = self.model, self.grid
        if model is None or grid is None:
            return
        table = self.table
        if self._columns_first != grid.first:
            self._columns_first = grid.first
            self._cache.rows.clear()
            table.set_columns(columns(grid.first, grid.weeks))
        rows = grid_rows(grid, model, self.filter_text, self.group, self._cache)
        table.sync(rows)
        self._update(
            "#res-headline",
            headline(grid, model, len(rows), GROUP_NAMES[self.group] if self.group else "", self.filter_text),
        )
        self._update_cell()

    def _update(self, selector: str, text: Text) -> None:
        """Repaint a line only when it changed (a live refresh over SSH sends only what moved)."""
        if self._shown.get(selector) != text.markup:
            self._shown[selector] = text.markup
            self.query_one(selector, QuietStatic).show(text)

    def selected_person(self) -> int | None:
        return self.table.selected_id

    def selected_week(self) -> int | None:
        """The grid week under the cursor (0 = the first shown), or None on the name columns."""
        table = self.table
        if not table.order:
            return None
        column = table.cursor_column
        shown = [c.key for c in table._shown_columns]
        if not 0 <= column < len(shown):
            return None
        key = shown[column]
        return int(key[1:]) if key.startswith("w") and key[1:].isdigit() else None

    def _update_cell(self) -> None:
        grid, labels = self.grid, self._labels
        if grid is None or labels is None:
            return
        self._update(
            "#res-cell", cell_text(grid, self.selected_person(), self.selected_week(), labels, self.group)
        )
        if self.levelling_open:
            self._render_levelling()

    @on(DataTable.CellHighlighted, "#res-grid")
    def _cell_highlighted(self) -> None:
        self._update_cell()

    @on(DataTable.CellSelected, "#res-grid")
    def _cell_selected(self) -> None:
        self.action_open_cell()

    @on(RecordTable.Sorted, "#res-grid")
    def _sorted(self) -> None:
        self.notify(self.table.sort_label(), timeout=1.5)

    def on_resize(self, event: Resize) -> None:
        self._shown = {}
        if self.model is not None:
            self.show_model(self.model)

    # ------------------------------------------------------------------ weeks

    def action_week_left(self) -> None:
        self.table.action_cursor_left()

    def action_week_right(self) -> None:
        self.table.action_cursor_right()

    def action_shift_weeks(self, direction: int) -> None:
        self.week_offset += direction * SHIFT_WEEKS
        self._reshow()

    def action_this_week(self) -> None:
        self.week_offset = 0
        self._reshow()

    def _reshow(self) -> None:
        if self.model is not None:
            self.show_model(self.model)
            grid = self.grid
            if grid is not None:
                self.notify(f"Weeks from {_week(grid.first)}", timeout=1.5)

    def action_next_over(self) -> None:
        """The next over-allocated cell after the cursor, row by row."""
        grid, table = self.grid, self.table
        if grid is None or not table.order:
            return
        over = {r.person.id: r.over for r in grid.rows}
        order = table.order
        start_row, start_week = table.cursor_row, self.selected_week()
        start_week = -1 if start_week is None else start_week
        for step in range(len(order) + 1):
            i = (start_row + step) % len(order)
            flags = over.get(order[i], ())
            for w, flag in enumerate(flags):
                if flag and (step > 0 or w > start_week):
                    self._move_to(i, w)
                    return
        self.notify("Nobody shown is over-allocated in these weeks.", timeout=2)

    def _move_to(self, row: int, week: int) -> None:
        shown = [c.key for c in self.table._shown_columns]
        key = week_key(week)
        if key in shown:
            self.table.move_cursor(row=row, column=shown.index(key))

    # ------------------------------------------------------------------ filtering and grouping

    def refilter(self) -> None:
        self._render_grid()

    def focus_main(self) -> None:
        self.table.focus()

    def action_cycle_group(self) -> None:
        self.group = GROUPINGS[(GROUPINGS.index(self.group) + 1) % len(GROUPINGS)]
        self._render_grid()
        self.notify(f"Grouped by {GROUP_NAMES[self.group]}", timeout=1.5)

    def action_back(self) -> None:
        if self.levelling_open and self.focused is self.suggestions_table:
            self.action_toggle_levelling()
        elif not self.close_filter() and self.levelling_open:
            self.action_toggle_levelling()

    # ------------------------------------------------------------------ drill-in and editing

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        in_panel = self.focused is self.suggestions_table if self.is_mounted else False
        if action == "apply_suggestion":
            return in_panel
        if action == "open_cell":
            return not in_panel
        return True

    def action_open_cell(self) -> None:
        pid, model, grid = self.selected_person(), self.model, self.grid
        if pid is None or model is None or grid is None:
            return
        week = self.selected_week()
        first = None if week is None else grid.first + 7 * week
        self.app.push_screen(AllocationsScreen(pid, first))

    def open_record(self, kind: str, record_id: int) -> bool:
        """Palette / stand-up jumps: the person's row; an allocation opens its person's list."""
        model = self.model
        if model is None:
            return False
        allocation = None
        if kind == "allocation":
            allocation = model.row("allocation", record_id)
            if allocation is None:
                return False
            record_id = allocation["person_id"]
        elif kind != "person":
            return False
        if record_id not in self.table.order and self.filter_text:
            self.close_filter(focus=False)
        if not self.table.select(record_id):
            return False
        self.table.focus()
        if allocation is not None:
            self.app.push_screen(AllocationsScreen(record_id, None, select=allocation["id"]))
        return True

    def _person(self) -> dict[str, Any] | None:
        pid, model = self.selected_person(), self.model
        return model.row("person", pid) if (model is not None and pid is not None) else None

    def action_new_person(self) -> None:
        self.app.push_screen(RecordForm("person", fields=PERSON_FORM_FIELDS), self.table.select_when_present)

    def action_edit_person(self) -> None:
        record = self._person()
        if record is not None:
            self.app.push_screen(RecordForm("person", record, fields=PERSON_FORM_FIELDS))

    def action_delete_person(self) -> None:
        record, model = self._person(), self.model
        if record is None or model is None:
            return
        n = sum(1 for a in model.rows("allocation") if a["person_id"] == record["id"])
        confirm_delete(
            self,
            "person",
            record,
            record["name"],
            detail=f"Their {n} allocation(s) go too. Names typed as owners elsewhere stay as they are.",
        )

    def action_new_allocation(self) -> None:
        record, grid = self._person(), self.grid
        defaults: dict[str, Any] = {}
        if record is not None:
            defaults["person"] = record["name"]
        week = self.selected_week()
        if grid is not None:
            first = grid.first + 7 * (week or 0)
            defaults["start_date"] = _iso(first)
            defaults["end_date"] = _iso(first + 4)
        self.app.push_screen(RecordForm("allocation", fields=ALLOCATION_FORM_FIELDS, defaults=defaults))

    # ------------------------------------------------------------------ levelling

    def action_toggle_levelling(self) -> None:
        panel = self.query_one("#res-level")
        panel.display = not panel.display
        if panel.display:
            self._render_levelling()
            if self.suggestions_table.order:
                self.suggestions_table.focus()
        else:
            self.table.focus()

    def _move_limits(self, model: Model) -> MoveLimits:
        if self._limits is None or self._limits[0] != model.generation:
            self._limits = (model.generation, levelling_limits(model.snapshot, model.critical))
        return self._limits[1]

    def _render_levelling(self) -> None:
        model, grid, labels = self.model, self.grid, self._labels
        if model is None or grid is None or labels is None:
            return
        view = levelling_for(
            grid, self.selected_person(), self.selected_week(), self._move_limits(model), labels
        )
        self._levelling = view
        self._update("#res-level-title", view.title)
        table = self.suggestions_table
        table.sync(view.rows)
        table.display = bool(view.rows)
        self._update_what_if()

    def _update_what_if(self) -> None:
        view, grid = self._levelling, self.grid
        if view is None or grid is None:
            return
        chosen = self._chosen()
        person = next((r.person for r in grid.rows if r.person.id == self.selected_person()), None)
        t = what_if_text(chosen, grid, person, self._labels) if (chosen and self._labels) else Text("")
        if view.blocked:
            if t.plain:
                t.append("\n")
            t.append("Cannot move: ", style="bold")
            t.append("; ".join(view.blocked))
        self._update("#res-level-note", t)

    def _chosen(self) -> Suggestion | None:
        view = self._levelling
        index = self.suggestions_table.selected_id
        if view is None or index is None or not 0 <= index < len(view.suggestions):
            return None
        return view.suggestions[index]

    @on(DataTable.RowHighlighted, "#res-suggestions")
    def _suggestion_highlighted(self) -> None:
        self._update_what_if()

    @on(RecordTable.Opened, "#res-suggestions")
    def _suggestion_opened(self) -> None:
        self.action_apply_suggestion()

    def action_apply_suggestion(self) -> None:
        chosen, model = self._chosen(), self.model
        labels = self._labels
        if chosen is None or model is None or labels is None:
            return
        person_row = model.row("person", chosen.allocation.person_id)
        if person_row is None:
            return
        person = people_of([person_row])[0]
        question, detail = confirm_text(chosen, person, labels)
        allocation_id, version, changes = chosen.allocation.id, chosen.allocation.version, chosen.changes

        def answered(yes: bool | None) -> None:
            if yes:
                self.write_store(
                    lambda store: store.update(
                        "allocation", allocation_id, changes, expected_version=version
                    ),
                    description="apply the levelling suggestion",
                    done=lambda _: self.notify("Applied: one audited change to the allocation.", timeout=3),
                    failed=self._apply_failed,
                )

        self.app.push_screen(ConfirmScreen(question, detail), answered)

    def _apply_failed(self, exc: Exception) -> None:
        if isinstance(exc, ConflictError):
            self.notify(
                f"Not applied: {exc}. The suggestions are worked out again.", severity="warning", timeout=8
            )
        else:
            self.notify(f"Not applied: {exc}", severity="error", timeout=8)


def _iso(day: int) -> str:
    from pgmtui.domain.capacity import iso

    return iso(day)


def _week(day: int) -> str:
    from pgmtui.domain.capacity import week_label

    return week_label(day, year=True)
