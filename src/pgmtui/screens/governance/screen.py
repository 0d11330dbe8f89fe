"""Governance (key 8): strategic alignment, live business cases and the stage-gate calendar, one
view at a time (`a`, `b`, `g`; `v` cycles). `enter` drills in: a project on the portfolio, a
business case's years and chart, a gate's readiness and reviews. `n` adds what the view is about
(a contribution, a business case, a gate review)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Resize
from textual.widgets import ContentSwitcher

from pgmtui.actions import Act
from pgmtui.model import Model
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.forms import RecordForm, confirm_delete
from pgmtui.screens.governance.detail import CaseDetailScreen, GateReadinessScreen
from pgmtui.screens.governance.view import (
    CASE_COLUMNS,
    CASE_FORM_FIELDS,
    GATE_COLUMNS,
    PROGRAMME_ROW,
    REVIEW_FORM_FIELDS,
    VIEWS,
    GovernanceData,
    alignment_columns,
    alignment_detail,
    alignment_rows,
    case_id,
    case_rows,
    case_summary,
    chart_series,
    gate_rows,
    headline,
    readiness_text,
    review_defaults,
)
from pgmtui.widgets.cashflow_plot import CashFlowPlot
from pgmtui.widgets.cells import Column
from pgmtui.widgets.quiet import QuietStatic
from pgmtui.widgets.record_table import RecordTable

TABLE_IDS = {"alignment": "alignment", "cases": "cases", "gates": "gates"}


class GovernanceScreen(PgmScreen):
    SCREEN_TITLE = "Governance"
    HELP = (
        "Is the programme still worth doing? a: alignment — objectives (columns) × projects (rows), "
        "●●● a direct contribution of strength 3, ○○ one through a benefit the project enables, "
        "⚠ a project serving no objective. b: business cases — NPV, ROI and payback recomputed live "
        "from each project's EAC and its benefits' forecast realisation; viability R when NPV < 0, A "
        "when a benefit it counts is at risk, off track or unmeasured past its date (it is also a RAG "
        "dimension of the project). g: gate calendar — the next stage gates with their readiness "
        "(worst of project RAG, business case, risks, issues, benefits, overdue actions, last review); "
        "enter shows the evidence and the reviews, n records a review."
    )
    CSS_PATH = "governance.tcss"

    ACTIONS = (
        Act("governance.alignment", "a", "show_view('alignment')", "Alignment", "Objectives × projects"),
        Act("governance.cases", "b", "show_view('cases')", "Cases", "Business cases: NPV, ROI, payback"),
        Act("governance.gates", "c", "show_view('gates')", "Gates", "Gate calendar and readiness"),
        Act(
            "governance.next_view",
            "v",
            "next_view",
            "Next view",
            "Alignment → business cases → gates",
            footer=False,
        ),
        Act(
            "governance.open",
            "enter",
            "open_selected",
            "Open",
            "Drill in: the project, the case's years and chart, the gate's readiness",
        ),
        Act(
            "governance.new",
            "n",
            "new_record",
            "New",
            "A contribution to an objective, a business case, or a review of the gate",
            title="New (contribution, business case or gate review)",
            writes=True,
        ),
        Act(
            "governance.edit",
            "e",
            "edit_record",
            "Edit",
            "Edit the business case, or the gate's last review",
            writes=True,
        ),
        Act(
            "governance.delete",
            "d",
            "delete_record",
            "Delete",
            "Delete the selected business case (asks first)",
            footer=False,
            writes=True,
        ),
        Act(
            "governance.objective",
            "O",
            "new_objective",
            "New objective",
            "Add a strategic objective",
            key_display="O",
            footer=False,
            writes=True,
        ),
    )

    def __init__(self) -> None:
        super().__init__()
        self.view = VIEWS[0]
        self._data: GovernanceData | None = None
        self._data_generation = -1
        self._columns: tuple[Column, ...] = ()
        self._shown: dict[str, str] = {}

    def compose_body(self) -> ComposeResult:
        yield QuietStatic(id="gov-headline", classes="headline")
        with ContentSwitcher(initial="alignment-view", id="views"):
            with Vertical(id="alignment-view"):
                yield RecordTable("project", sort_key=None, id="alignment")
                yield QuietStatic(id="alignment-detail", classes="detail-pane")
            with Vertical(id="cases-view"):
                yield RecordTable("business_case", CASE_COLUMNS, id="cases")
                yield QuietStatic(id="case-summary", classes="detail-pane")
                yield CashFlowPlot(id="case-chart")
            with Vertical(id="gates-view"):
                yield RecordTable("milestone", GATE_COLUMNS, id="gates")
                yield QuietStatic(id="gate-detail", classes="detail-pane")

    def on_mount(self) -> None:
        self.table.focus()

    # ------------------------------------------------------------------ state

    @property
    def table(self) -> RecordTable:
        return self.query_one(f"#{TABLE_IDS[self.view]}", RecordTable)

    def data(self, model: Model) -> GovernanceData:
        if self._data is None or self._data_generation != model.generation or self._data.model is not model:
            self._data = GovernanceData(model)
            self._data_generation = model.generation
        return self._data

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    # ------------------------------------------------------------------ rendering

    def show_model(self, model: Model) -> None:
        data = self.data(model)
        self._update(
            "gov-headline", headline(data, self.view, self._width())
        )  # the tabs and this view's figures
        if self.view == "alignment":
            columns = alignment_columns(data.alignment)
            table = self.query_one("#alignment", RecordTable)
            if columns != self._columns:
                self._columns = columns
                table.set_columns(columns)
            table.sync(alignment_rows(data))
        elif self.view == "cases":
            self.query_one("#cases", RecordTable).sync(case_rows(data))
        else:
            self.query_one("#gates", RecordTable).sync(gate_rows(data))
        self._update_detail()

    def _update(self, widget_id: str, text: Text) -> None:
        """Repaint a text only when it changed (a live refresh over SSH sends just the change)."""
        if text.markup != self._shown.get(widget_id):
            self._shown[widget_id] = text.markup
            self.query_one(f"#{widget_id}", QuietStatic).show(text)

    def _update_detail(self) -> None:
        model = self.model
        if model is None:
            return
        data = self.data(model)
        selected = self.table.selected_id
        if self.view == "alignment":
            self._update("alignment-detail", alignment_detail(data, selected))
        elif self.view == "cases":
            case = self.selected_case()
            self._update("case-summary", case_summary(case))
            self.query_one("#case-chart", CashFlowPlot).show(chart_series(case))
        else:
            gate = next((g for g in data.gates if g.milestone_id == selected), None)
            self._update("gate-detail", readiness_text(gate, brief=True))

    @on(RecordTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._update_detail()
        self.refresh_bindings()  # e and d depend on the row (a case recorded, a gate reviewed)

    @on(RecordTable.Opened)
    def _opened(self, event: RecordTable.Opened) -> None:
        event.stop()
        self.action_open_selected()

    @on(RecordTable.Sorted)
    def _sorted(self, event: RecordTable.Sorted) -> None:
        self.notify(event.table.sort_label(), timeout=1.5)

    def on_resize(self, event: Resize) -> None:
        if self.model is not None:
            self._shown.pop("gov-headline", None)
            self.show_model(self.model)

    # ------------------------------------------------------------------ views

    def action_show_view(self, view: str) -> None:
        if view not in VIEWS:
            return
        self.view = view
        self.query_one("#views", ContentSwitcher).current = f"{view}-view"
        if self.model is not None:
            self.show_model(self.model)
        self.table.focus()
        self.refresh_bindings()

    def action_next_view(self) -> None:
        self.action_show_view(VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)])

    def focus_main(self) -> None:
        self.table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit_record", "delete_record"):
            if self.view == "cases":
                case = self.selected_case()
                return case is not None and case.record_id is not None
            if self.view == "gates" and action == "edit_record":
                gate = self.selected_gate()
                return gate is not None and bool(gate.reviews)
            return False
        if action == "show_view":
            return parameters[0] != self.view if parameters else True
        return True

    # ------------------------------------------------------------------ selection

    def selected_case(self) -> Any:
        model = self.model
        if model is None or self.view != "cases":
            return None
        selected = self.query_one("#cases", RecordTable).selected_id
        return next((c for c in self.data(model).cases if case_id(c) == selected), None)

    def selected_gate(self) -> Any:
        model = self.model
        if model is None or self.view != "gates":
            return None
        selected = self.query_one("#gates", RecordTable).selected_id
        return next((g for g in self.data(model).gates if g.milestone_id == selected), None)

    def open_record(self, kind: str, record_id: int) -> bool:
        """Palette and stand-up jumps: an objective or contribution on the alignment, a business
        case's detail, a gate review's gate readiness."""
        model = self.model
        if model is None:
            return False
        row = model.row(kind, record_id)
        if row is None:
            return False
        if kind in ("objective", "contribution"):
            self.action_show_view("alignment")
            project_id = row.get("project_id")
            if project_id is None and kind == "contribution" and row.get("benefit_id") is not None:
                linked = model.benefit_links.get(row["benefit_id"], [])
                project_id = linked[0] if linked else None
            if project_id is not None:
                self.query_one("#alignment", RecordTable).select(project_id)
            return True
        if kind == "business_case":
            self.action_show_view("cases")
            target = row.get("project_id") or PROGRAMME_ROW
            if self.query_one("#cases", RecordTable).select(target):
                self.action_open_selected()
                return True
            return False
        if kind == "gate_review":
            self.action_show_view("gates")
            if self.query_one("#gates", RecordTable).select(row["milestone_id"]):
                self.action_open_selected()
                return True
        return False

    # ------------------------------------------------------------------ drill-in and editing

    def action_open_selected(self) -> None:
        selected = self.table.selected_id
        if selected is None:
            return
        if self.view == "alignment":
            self.app.open_record("project", selected)
        elif self.view == "cases":
            self.app.push_screen(CaseDetailScreen(None if selected == PROGRAMME_ROW else selected))
        else:
            self.app.push_screen(GateReadinessScreen(selected))

    def action_new_record(self) -> None:
        model = self.model
        if model is None:
            return
        selected = self.table.selected_id
        if self.view == "alignment":
            defaults = {"project": model.project_code(selected)} if selected is not None else {}
            self.app.push_screen(RecordForm("contribution", defaults=defaults))
        elif self.view == "cases":
            case = self.selected_case()
            if case is not None and case.record_id is not None:
                self.notify(f"{case.label} already has a business case: e edits it", timeout=4)
                return
            defaults = {"project": model.project_code(selected)} if selected else {}
            self.app.push_screen(
                RecordForm("business_case", fields=CASE_FORM_FIELDS, defaults=defaults),
                lambda _: self.query_one("#cases", RecordTable).select_when_present(selected),
            )
        else:
            gate = self.selected_gate()
            if gate is not None:
                self.app.push_screen(
                    RecordForm(
                        "gate_review",
                        fields=REVIEW_FORM_FIELDS,
                        defaults=review_defaults(model, gate),
                        title=f"Review of {gate.label}",
                    )
                )

    def action_edit_record(self) -> None:
        model = self.model
        if model is None:
            return
        if self.view == "cases":
            case = self.selected_case()
            record = model.row("business_case", case.record_id) if case and case.record_id else None
            if record is not None:
                self.app.push_screen(RecordForm("business_case", record, fields=CASE_FORM_FIELDS))
        elif self.view == "gates":
            gate = self.selected_gate()
            last = gate.last_review if gate is not None else None
            record = model.row("gate_review", last["id"]) if last else None
            if record is not None:
                self.app.push_screen(
                    RecordForm(
                        "gate_review", record, fields=REVIEW_FORM_FIELDS, title=f"Review of {gate.label}"
                    )
                )

    def action_delete_record(self) -> None:
        model = self.model
        case = self.selected_case()
        record = model.row("business_case", case.record_id) if model and case and case.record_id else None
        if record is not None:
            confirm_delete(
                self,
                "business_case",
                record,
                f"of {case.label}",
                detail="The project's figures stay; its case falls back to the defaults and its "
                "business-case RAG dimension goes. The audit trail keeps the deletion.",
            )

    def action_new_objective(self) -> None:
        self.app.push_screen(RecordForm("objective"))
