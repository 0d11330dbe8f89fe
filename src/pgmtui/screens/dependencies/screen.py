"""Dependencies (key 2): the dependency board, the knock-on of a slip, the critical path and the
supplier × consumer matrix, live.

Views share one screen (and one panel below that explains the selection):

- **board** — every dependency, late ones first: supplier → consumer, type and lag, the supplier's
  forecast, the date the consumer needs it by (consumer date − lag), slack, status, owner. Group by
  supplier or consumer project (`b`), filter by status (`f`), project (`p`) or text (`/`).
- **critical path** (`c`) — the chain of milestones that sets the programme end and every
  milestone's float, critical and near-critical marked: the same figures as
  `pgmtui critical-path --json`.
- **matrix** (`m`) — projects × projects, count and worst status per cell; `enter` lists them.
- **roadmap** (`v`) — every project's milestones on one time axis (roadmap.py lays it out,
  roadmap_widget.py draws it): baseline against forecast, today's line, critical milestones and
  late dependencies marked; `+` / `-` zoom (weeks, months, quarters), `h` / `l` scroll, `t` today,
  `b` groups by stage or objective, `enter` opens the milestone.

The panel shows the knock-on of the selected dependency (a late one: what moves if its consumer is
re-planned to honour it) or milestone, and `+` / `-` / `]` / `[` nudge the supplier (or milestone)
by ±1 / ±7 days to see what a slip would do before anyone commits to it. Nothing is written.

Adding a view (e.g. the roadmap, `v`): a Textual-free module beside `view.py` that turns the
Model into what the view shows, its widget in `compose_body` with id `deps-<name>`, a `DepsView`
in `VIEWS` (which record its cursor is on), its `ViewParts` in `__init__`, its title in
`view.VIEW_TITLES` and an `Act` in `keys.py` that runs `toggle_view('<name>')`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.events import Resize
from textual.widgets import ContentSwitcher, DataTable, Input, Static

from pgmtui.domain.deps import Network
from pgmtui.model import Model
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.dependencies.critical import CRITICAL_COLUMNS, critical_table, milestone_panel
from pgmtui.screens.dependencies.keys import DEPENDENCY_ACTIONS
from pgmtui.screens.dependencies.matrix import matrix_of, matrix_panel
from pgmtui.screens.dependencies.matrix_table import DependencyMatrix
from pgmtui.screens.dependencies.panel import KnockOnPanel
from pgmtui.screens.dependencies.prepared import Prepared, TableView
from pgmtui.screens.dependencies.roadmap import GROUPS, LEGEND, ZOOMS, objective_of_projects, roadmap_of
from pgmtui.screens.dependencies.roadmap_widget import RoadmapView
from pgmtui.screens.dependencies.view import (
    BOARD_COLUMNS,
    DEPENDENCY_FORM_FIELDS,
    GROUPINGS,
    STATUS_FILTERS,
    BoardFilter,
    DepRow,
    board_rows,
    board_table,
    project_cycle,
    summary_text,
)
from pgmtui.screens.dependencies.whatif import Target, WhatIf, dependency_panel
from pgmtui.screens.forms import RecordForm, confirm_delete
from pgmtui.widgets.header import ProgrammeHeader
from pgmtui.widgets.record_table import RecordTable


def critical_data(model: Model) -> dict[str, Any]:
    """The critical path as `pgmtui critical-path --json` gives it, from the model (no I/O): the
    one description the CLI and the critical view share."""
    from pgmtui.services import critical_path_data

    return critical_path_data(model.critical, model.rows("project"), model.rows("milestone"))


@dataclass(frozen=True)
class DepsView:
    """One view of the screen: its widget is `#deps-<name>` in the view switcher; `record` is the
    kind of record under its cursor (what `+` / `-` nudge), None when it has no record cursor."""

    name: str
    record: str | None

    @property
    def widget_id(self) -> str:
        return f"deps-{self.name}"


VIEWS = {
    v.name: v
    for v in (
        DepsView("board", "dependency"),
        DepsView("critical", "milestone"),
        DepsView("matrix", None),
        DepsView("roadmap", None),  # + / - zoom there: nothing to nudge
    )
}


@dataclass(frozen=True)
class ViewParts:
    """What the screen calls for its current view: render the model into the view's widget, the
    panel's lines for the selection, and the id of the record under the cursor."""

    render: Callable[[Model], None]
    panel: Callable[[Model], list[Text]]
    selected: Callable[[], int | None]


class DependenciesScreen(PgmScreen):
    SCREEN_TITLE = "Dependencies"
    HELP = (
        "Every dependency between milestones, late ones first: supplier → consumer, type and lag, the "
        "supplier's forecast, the date the consumer needs it by (its date − lag), slack and status "
        "(● late, ▲ at risk = slack within the near-critical threshold, ■ on track, ✓ done). The panel "
        "below shows the knock-on of the selection: every milestone and project it pushes and whether "
        "the programme end moves. + / - (] / [ for a week) nudge the supplier to see what a slip would "
        "do; nothing is saved; 0 resets. c shows the critical path with float for every milestone, m "
        "the project × project matrix. Filter with words or status:late, p:IAM, from:IAM, to:ERP, "
        "owner:NAME. v shows the roadmap: every project's milestones on one time axis (◆ gate, ● "
        "milestone, ✓ done, ◇ / ○ where the baseline had it, ! a late dependency into it, │ today, "
        "critical milestones red and underlined); + / - zoom between weeks, months and quarters, h / l "
        "scroll, t jumps to today, b groups by stage or objective, enter opens the milestone."
    )
    CSS_PATH = "dependencies.tcss"

    ACTIONS = DEPENDENCY_ACTIONS

    FILTER_ID = "deps-filter"

    def __init__(self) -> None:
        super().__init__()
        self.view = "board"
        self.grouping = "none"
        self.status_filter = "all"
        self.project_filter = ""
        self.filter_text = ""
        self.what_if = WhatIf()
        self.zoom = "months"
        self.roadmap_grouping = "none"
        self.deps: dict[int, DepRow] = {}
        self._network: Network | None = None
        self._network_generation = -1
        self._pending_open: tuple[str, int] | None = None
        self._summary_shown = ""
        self._prepared: dict[str, Prepared] = {}  # each table's rows, reused where nothing changed
        self._views: dict[str, ViewParts] = {
            "board": ViewParts(self._render_board, self._board_panel, self.selected_dependency_id),
            "critical": ViewParts(self._render_critical, self._critical_panel, self.selected_milestone_id),
            "matrix": ViewParts(self._render_matrix, self._matrix_panel, lambda: None),
            "roadmap": ViewParts(self._render_roadmap, self._roadmap_panel, self.selected_roadmap_milestone),
        }

    def compose_body(self) -> ComposeResult:
        yield Static(id="deps-summary", classes="headline")
        yield Input(
            placeholder="filter: words, status:late, p:IAM, from:IAM, to:ERP, owner:NAME", id="deps-filter"
        )
        with ContentSwitcher(initial="deps-board", id="deps-views"):
            yield RecordTable("dependency", BOARD_COLUMNS, id="deps-board")
            yield RecordTable("milestone", CRITICAL_COLUMNS, id="deps-critical")
            yield DependencyMatrix(id="deps-matrix")
            yield RoadmapView(id="deps-roadmap")
        yield KnockOnPanel(id="deps-panel")

    def on_mount(self) -> None:
        self.query_one("#deps-filter").display = False
        self.board.focus()

    @property
    def board(self) -> RecordTable:
        return self.query_one("#deps-board", RecordTable)

    @property
    def critical(self) -> RecordTable:
        return self.query_one("#deps-critical", RecordTable)

    @property
    def matrix(self) -> DependencyMatrix:
        return self.query_one("#deps-matrix", DependencyMatrix)

    @property
    def roadmap(self) -> RoadmapView:
        return self.query_one("#deps-roadmap", RoadmapView)

    @property
    def board_filter(self) -> BoardFilter:
        return BoardFilter(self.status_filter, self.project_filter, self.filter_text, self.grouping)

    @property
    def nudge(self) -> int:
        """Days of the what-if on the selection (0: none)."""
        return self.what_if.days

    # ------------------------------------------------------------------ model → screen

    def show_model(self, model: Model) -> None:
        self.deps = {r.id: r for r in board_rows(model)}
        self._refresh_all()
        pending, self._pending_open = self._pending_open, None
        if pending is not None and self.deps:
            self.open_record(*pending)

    def _refresh_all(self) -> None:
        model = self.model
        if model is None:
            return
        self._views[self.view].render(model)
        self._update_summary()
        self._update_panel()

    def network(self) -> Network | None:
        """The milestone network of the current model, built once per model."""
        model = self.model
        if model is None:
            return None
        if self._network is None or self._network_generation != model.generation:
            from pgmtui.services import network_of

            self._network = network_of(model.snapshot)
            self._network_generation = model.generation
        return self._network

    def _width(self) -> int:
        return self.size.width or self.app.size.width or 80

    def _project_order(self, model: Model) -> list[str]:
        return [p.code for p in model.snapshot.projects]

    def _render_board(self, model: Model) -> None:
        table = self.board
        view = board_table(
            self.deps.values(),
            self.board_filter,
            self._width(),
            self._project_order(model),
            sorted_by_column=table.sort_key is not None,
            prepared=self._prepared.get("board"),
        )
        self._show_table(table, view, "board")

    def _render_critical(self, model: Model) -> None:
        table = self.critical
        view = critical_table(
            model,
            self._width(),
            self.project_filter,
            self.filter_text,
            sorted_by_column=table.sort_key is not None,
            prepared=self._prepared.get("critical"),
        )
        self._show_table(table, view, "critical")

    def _show_table(self, table: RecordTable, view: TableView, name: str) -> None:
        self._prepared[name] = view.prepared
        table.set_columns(view.columns)
        table.sync(view.rows)

    def _render_matrix(self, model: Model) -> None:
        self.matrix.show(matrix_of(self.deps.values(), self._project_order(model)))

    def _render_roadmap(self, model: Model, *, keep_day: bool = False) -> None:
        late: dict[int, int] = {}
        for r in self.deps.values():
            if r.status == "late":
                late[r.consumer_id] = late.get(r.consumer_id, 0) + 1
        objectives = (
            objective_of_projects(model.rows("contribution"), model.rows("objective"))
            if self.roadmap_grouping == "objective"
            else None
        )
        layout = roadmap_of(
            model.snapshot.projects,
            model.snapshot.milestones,
            model.today,
            self.zoom,
            critical=model.critical.critical,
            late_in=late,
            grouping=self.roadmap_grouping,
            objectives=objectives,
        )
        self.roadmap.show(layout, keep_day=keep_day)

    def _update_summary(self) -> None:
        model = self.model
        if model is None:
            return
        text = summary_text(
            model,
            list(self.deps.values()),
            view=self.view,
            board=self.board_filter,
            shown=len(self.board.order),
            nudge=self.nudge,
        )
        if self.view == "roadmap":
            text.append(f" · {self.zoom}")
            if self.roadmap_grouping != "none":
                text.append(f" · by {self.roadmap_grouping}")
        if text.markup != self._summary_shown:  # repaint only what changed (live refresh over SSH)
            self._summary_shown = text.markup
            self.query_one("#deps-summary", Static).update(text)

    # ------------------------------------------------------------------ selection and the panel

    def _table(self, view: str) -> RecordTable | None:
        """A view's table, None before the screen is composed."""
        return next(self.query(f"#{VIEWS[view].widget_id}").results(RecordTable), None)

    def selected_dependency_id(self) -> int | None:
        table = self._table("board")
        return table.selected_id if table is not None else None

    def selected_dependency(self) -> DepRow | None:
        dep_id = self.selected_dependency_id()
        return self.deps.get(dep_id) if dep_id is not None else None

    def selected_milestone_id(self) -> int | None:
        table = self._table("critical")
        return table.selected_id if table is not None else None

    def selected_roadmap_milestone(self) -> int | None:
        widget = next(self.query("#deps-roadmap").results(RoadmapView), None)
        return widget.selected if widget is not None else None

    def selected_target(self) -> Target | None:
        """The record under the current view's cursor: what a nudge moves."""
        kind = VIEWS[self.view].record
        record_id = self._views[self.view].selected()
        return None if kind is None or record_id is None else (kind, record_id)

    def _update_panel(self) -> None:
        model = self.model
        if model is None:
            return
        self._follow_selection()
        self.query_one("#deps-panel", KnockOnPanel).show(self._views[self.view].panel(model))

    def _follow_selection(self) -> None:
        """A what-if belongs to the record it was made on: moving off it drops it."""
        followed = self.what_if.follow(self.selected_target())
        if followed != self.what_if:
            had = self.what_if.days
            self.what_if = followed
            if had:
                self._update_summary()

    def _board_panel(self, model: Model) -> list[Text]:
        r = self.selected_dependency()
        network = self.network()
        if r is None or network is None:
            return [Text("No dependency selected.", style="dim")]
        return dependency_panel(model, network, r, self.nudge)

    def _critical_panel(self, model: Model) -> list[Text]:
        mid = self.selected_milestone_id()
        network = self.network()
        if mid is None or network is None:
            return [Text("No milestone.", style="dim")]
        return milestone_panel(model, network, mid, self.deps.values(), self.nudge)

    def _matrix_panel(self, model: Model) -> list[Text]:
        return matrix_panel(self.matrix.matrix, self.matrix.selected_pair(), self.deps)

    def _roadmap_panel(self, model: Model) -> list[Text]:
        mid = self.selected_roadmap_milestone()
        network = self.network()
        legend = Text(LEGEND, style="dim")
        if mid is None or network is None:
            return [Text("No milestone selected.", style="dim"), legend]
        lines = milestone_panel(model, network, mid, self.deps.values())
        # + / - zoom here: the critical view's hint on testing a slip does not apply.
        return [*(t for t in lines if not t.plain.startswith("+ / -")), legend]

    # ------------------------------------------------------------------ events

    @on(RecordTable.RowHighlighted, "#deps-board")
    @on(RecordTable.RowHighlighted, "#deps-critical")
    @on(DataTable.CellHighlighted, "#deps-matrix")
    @on(RoadmapView.Highlighted)
    def _highlighted(self) -> None:
        self._update_panel()

    @on(RecordTable.Opened)
    @on(DataTable.CellSelected, "#deps-matrix")
    def _opened(self) -> None:
        self.action_open()

    @on(RoadmapView.Opened)
    def _milestone_opened(self, event: RoadmapView.Opened) -> None:
        self.open_milestone(event.milestone_id)

    @on(RecordTable.Sorted)
    def _sorted(self, event: RecordTable.Sorted) -> None:
        # The sort mark takes room from the names: cut them again for it.
        if self.model is not None:
            self._views[self.view].render(self.model)
        self.notify(event.table.sort_label(), timeout=1.5)

    def on_resize(self, event: Resize) -> None:
        if self.model is not None:
            self._views[self.view].render(self.model)
            self._update_panel()

    # ------------------------------------------------------------------ views, grouping, filters

    def show_main_view(self) -> None:
        if self.view != "board":
            self.set_view("board")

    def action_toggle_view(self, view: str) -> None:
        self.set_view("board" if self.view == view else view)

    def set_view(self, view: str) -> None:
        self.view = view
        self.what_if = WhatIf()
        self.query_one("#deps-views", ContentSwitcher).current = VIEWS[view].widget_id
        self.query_one(ProgrammeHeader).set_title("Roadmap" if view == "roadmap" else self.SCREEN_TITLE)
        self._refresh_all()
        self.focus_main()
        self.refresh_bindings()  # the footer's keys differ by view (+ / - zoom on the roadmap)

    # ------------------------------------------------------------------ the roadmap

    def action_zoom(self, step: int) -> None:
        at = max(0, min(len(ZOOMS) - 1, ZOOMS.index(self.zoom) + step))
        if ZOOMS[at] == self.zoom:
            self.notify(f"Already at {self.zoom}", timeout=1.5)
            return
        self.zoom = ZOOMS[at]
        if self.model is not None:
            self._render_roadmap(self.model, keep_day=True)
            self._update_summary()

    def action_scroll_time(self, fraction: float) -> None:
        self.roadmap.scroll_by_window(fraction)

    def action_roadmap_today(self) -> None:
        self.roadmap.scroll_to_today()

    def open_milestone(self, milestone_id: int) -> None:
        """The milestone in its project's detail, the cursor on it."""
        model = self.model
        row = model.row("milestone", milestone_id) if model is not None else None
        if row is None or row.get("project_id") is None:
            return
        from pgmtui.screens.portfolio import ProjectDetailScreen

        detail = ProjectDetailScreen(row["project_id"])
        self.app.push_screen(detail)
        detail.call_after_refresh(lambda: detail.milestones.select_when_present(milestone_id))

    def action_cycle_group(self) -> None:
        if self.view == "roadmap":
            self.roadmap_grouping = GROUPS[(GROUPS.index(self.roadmap_grouping) + 1) % len(GROUPS)]
            self._refresh_all()
            by = self.roadmap_grouping
            self.notify(f"Roadmap grouped by {by}" if by != "none" else "Roadmap not grouped", timeout=1.5)
            return
        self.grouping = GROUPINGS[(GROUPINGS.index(self.grouping) + 1) % len(GROUPINGS)]
        if self.view != "board":
            self.set_view("board")
        self.refilter()
        self.notify(
            f"Grouped by {self.grouping} project" if self.grouping != "none" else "Not grouped", timeout=1.5
        )

    def action_cycle_status(self) -> None:
        self.status_filter = STATUS_FILTERS[
            (STATUS_FILTERS.index(self.status_filter) + 1) % len(STATUS_FILTERS)
        ]
        if self.view == "matrix":
            self.set_view("board")
        self.refilter()

    def action_cycle_project(self) -> None:
        model = self.model
        order = self._project_order(model) if model is not None else []
        self.project_filter = project_cycle(self.deps.values(), order, self.project_filter)
        self.refilter()

    def refilter(self) -> None:
        self._refresh_all()

    def focus_main(self) -> None:
        self.query_one(f"#{VIEWS[self.view].widget_id}").focus()

    def action_back(self) -> None:
        """escape: close the filter box, else drop the what-if, else leave the critical/matrix view,
        else clear the filters."""
        if self.close_filter():
            pass
        elif self.nudge:
            self.action_reset_nudge()
        elif self.view != "board":
            self.set_view("board")
        elif self.board_filter.narrowed:
            self.status_filter, self.project_filter, self.filter_text = "all", "", ""
            self.refilter()

    def _clear_filters(self) -> None:
        box = self.query_one("#deps-filter", Input)
        box.value = ""
        box.display = False
        self.status_filter, self.project_filter, self.filter_text = "all", "", ""

    # ------------------------------------------------------------------ what-if

    def action_nudge(self, delta: int) -> None:
        if VIEWS[self.view].record is None:
            self.notify("Select a dependency (board) or a milestone (critical path) to nudge.", timeout=2)
            return
        target = self.selected_target()
        if target is None:
            return
        r = self.selected_dependency() if target[0] == "dependency" else None
        if r is not None and r.supplier_done:
            self.notify("The supplier has delivered: its date no longer moves.", timeout=2)
            return
        self.what_if = self.what_if.nudged(target, delta)
        self._update_summary()
        self._update_panel()

    def action_reset_nudge(self) -> None:
        self.what_if = self.what_if.reset()
        self._update_summary()
        self._update_panel()

    # ------------------------------------------------------------------ drill-in, jumps

    def action_open(self) -> None:
        if self.view == "matrix":
            pair = self.matrix.selected_pair()
            if pair is None:
                return
            self._clear_filters()
            self.filter_text = f"from:{pair[0]} to:{pair[1]}"
            box = self.query_one("#deps-filter", Input)
            box.value = self.filter_text
            box.display = True
            self.set_view("board")
            return
        model = self.model
        if model is None:
            return
        if self.view == "roadmap":
            mid = self.selected_roadmap_milestone()
            if mid is not None:
                self.open_milestone(mid)
            return
        if self.view == "board":
            r = self.selected_dependency()
            project_id = r.supplier_project if r else None
        else:
            m = model.row("milestone", self.selected_milestone_id())
            project_id = m["project_id"] if m else None
        if project_id is not None:
            from pgmtui.screens.portfolio import ProjectDetailScreen

            self.app.push_screen(ProjectDetailScreen(project_id))

    def open_record(self, kind: str, record_id: int) -> bool:
        """Palette / stand-up jumps: a dependency on the board, a milestone on the critical path."""
        if kind not in ("dependency", "milestone"):
            return False
        if not self.deps:  # not shown yet: do it once the model is on screen
            self._pending_open = (kind, record_id)
            return True
        view, table = ("board", self.board) if kind == "dependency" else ("critical", self.critical)
        if self.view != view:
            self.set_view(view)
        narrowed = (
            self.board_filter.narrowed
            if kind == "dependency"
            else bool(self.filter_text or self.project_filter)
        )
        if record_id not in table.order and narrowed:
            self._clear_filters()
            self.refilter()
        if table.select(record_id):
            self._update_panel()
            return True
        return False

    # ------------------------------------------------------------------ editing

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Editing and deleting act on the board's selected dependency: not offered elsewhere.
        if action in ("edit_dependency", "delete_dependency") and self.view != "board":
            return False
        # + / - zoom the roadmap and nudge elsewhere; h / l / t only mean something on the roadmap.
        if action in ("zoom", "scroll_time", "roadmap_today"):
            return self.view == "roadmap"
        # The what-if moves the record under the cursor: not on the roadmap, and the matrix has none.
        if action in ("nudge", "reset_nudge") and (self.view == "roadmap" or VIEWS[self.view].record is None):
            return False
        return super().check_action(action, parameters)

    def action_new_dependency(self) -> None:
        defaults: dict[str, Any] = {"type": "FS", "lag_days": 0}
        model = self.model
        if model is not None and self.view == "critical":
            mid = self.selected_milestone_id()
            if mid is not None:
                defaults["supplier"] = model.ref_label("milestone", mid)
        self.app.push_screen(
            RecordForm(
                "dependency", fields=DEPENDENCY_FORM_FIELDS, defaults=defaults, title="New dependency"
            ),
            self._after_save,
        )

    def action_edit_dependency(self) -> None:
        model = self.model
        r = self.selected_dependency()
        record = model.row("dependency", r.id) if (model and r) else None
        if r is not None and record is not None:
            self.app.push_screen(
                RecordForm(
                    "dependency",
                    record,
                    fields=DEPENDENCY_FORM_FIELDS,
                    title=f"Edit dependency #{r.id}: {r.supplier} → {r.consumer}",
                ),
                self._after_save,
            )

    def _after_save(self, dep_id: int | None) -> None:
        """Show the saved dependency on the board (selected as soon as the model has it)."""
        if dep_id is None:
            return
        if self.view != "board":
            self.set_view("board")
        self.board.select_when_present(dep_id)

    def action_delete_dependency(self) -> None:
        model = self.model
        r = self.selected_dependency()
        record = model.row("dependency", r.id) if (model and r) else None
        if r is None or record is None:
            return
        confirm_delete(
            self,
            "dependency",
            record,
            f"#{r.id}",
            detail=f"{r.supplier} → {r.consumer} ({r.type_lag}). The deletion is kept in the audit trail.",
        )

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield from super().palette_commands()
        # Two shortcuts without a key of their own.
        yield SystemCommand(
            "Dependency board", "Every dependency, late first", lambda: self.set_view("board")
        )
        yield SystemCommand(
            "Late dependencies only", "Filter the board to late dependencies", self._only_late
        )

    def _only_late(self) -> None:
        self.status_filter = "late"
        self.set_view("board")
        self.refilter()
