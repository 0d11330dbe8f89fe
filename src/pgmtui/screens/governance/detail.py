"""Governance drill-ins: a gate's readiness (the evidence, and its reviews with the decisions they
link to) and a business case's years with its cash-flow chart."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from pgmtui.actions import Act
from pgmtui.domain.business_case import CaseBook, CaseResult
from pgmtui.domain.governance import GateReadiness, gate_readiness
from pgmtui.model import Model
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.forms import RecordForm, confirm_delete
from pgmtui.screens.governance.view import (
    CASE_FORM_FIELDS,
    REVIEW_COLUMNS,
    REVIEW_FORM_FIELDS,
    YEAR_COLUMNS,
    case_detail,
    chart_series,
    readiness_text,
    review_defaults,
    review_rows,
    year_rows,
)
from pgmtui.widgets.cashflow_plot import CashFlowPlot
from pgmtui.widgets.record_table import RecordTable


class GateReadinessScreen(PgmScreen):
    SCREEN_TITLE = "Gate readiness"
    HELP = (
        "One stage gate: its readiness is the worst of the checks listed (project RAG with its evidence, "
        "business-case viability, open High/Critical risks, open issues by priority, the benefits it "
        "enables, overdue actions, the last review's outcome). Below, every review of the gate: n "
        "records one (dated today, pending), e edits and d deletes the one under the cursor, enter "
        "opens the decision it links to."
    )
    CSS_PATH = "governance.tcss"

    ACTIONS = (
        Act("gate.back", "escape", "back", "Back", "Back to the gate calendar"),
        Act("gate.review", "n", "new_review", "New review", "Record a review of this gate", writes=True),
        Act("gate.edit", "e", "edit_review", "Edit", "Edit the review under the cursor", writes=True),
        Act(
            "gate.delete",
            "d",
            "delete_review",
            "Delete",
            "Delete the review under the cursor (asks first)",
            writes=True,
        ),
        Act("gate.decision", "enter", "open_decision", "Decision", "Open the decision the review links to"),
    )

    def __init__(self, milestone_id: int) -> None:
        super().__init__()
        self.milestone_id = milestone_id
        self.gate: GateReadiness | None = None
        self._shown = ""

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="readiness-box"):
            yield Static(id="readiness")
        yield Static(Text("Reviews", style="bold"), classes="section-title")
        yield RecordTable("gate_review", REVIEW_COLUMNS, id="reviews")

    def on_mount(self) -> None:
        self.query_one("#reviews", RecordTable).focus()

    def show_model(self, model: Model) -> None:
        exists = any(m.id == self.milestone_id for m in model.snapshot.milestones)
        self.gate = (
            gate_readiness(model.snapshot, model.rollup, self.milestone_id, model.today.toordinal())
            if exists
            else None
        )
        text = readiness_text(self.gate) if exists else Text("This gate was deleted.", style="bold red")
        if text.markup != self._shown:
            self._shown = text.markup
            self.query_one("#readiness", Static).update(text)
        self.query_one("#reviews", RecordTable).sync(review_rows(self.gate) if self.gate else [])
        self.refresh_bindings()

    def _selected_review(self) -> dict[str, Any] | None:
        rid = self.query_one("#reviews", RecordTable).selected_id
        model = self.model
        return model.row("gate_review", rid) if model is not None and rid is not None else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit_review", "delete_review"):
            return self._selected_review() is not None
        if action == "open_decision":
            review = self._selected_review()
            return review is not None and review.get("decision_id") is not None
        if action == "new_review":
            return self.gate is not None
        return True

    @on(RecordTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.refresh_bindings()

    @on(RecordTable.Opened)
    def _opened(self, event: RecordTable.Opened) -> None:
        event.stop()
        self.action_open_decision()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_new_review(self) -> None:
        model, gate = self.model, self.gate
        if model is None or gate is None:
            return
        self.app.push_screen(
            RecordForm(
                "gate_review",
                fields=REVIEW_FORM_FIELDS,
                defaults=review_defaults(model, gate),
                title=f"Review of {gate.label}",
            ),
            self.query_one("#reviews", RecordTable).select_when_present,
        )

    def action_edit_review(self) -> None:
        review = self._selected_review()
        if review is not None and self.gate is not None:
            self.app.push_screen(
                RecordForm(
                    "gate_review", review, fields=REVIEW_FORM_FIELDS, title=f"Review of {self.gate.label}"
                )
            )

    def action_delete_review(self) -> None:
        review = self._selected_review()
        if review is not None:
            confirm_delete(self, "gate_review", review, f"#{review['id']} ({review.get('outcome')})")

    def action_open_decision(self) -> None:
        review = self._selected_review()
        if review is not None and review.get("decision_id") is not None:
            self.app.open_record("decision", review["decision_id"])


class CaseDetailScreen(PgmScreen):
    SCREEN_TITLE = "Business case"
    HELP = (
        "One business case, live: costs are the project's EAC placed by its cost plan (or evenly from "
        "start to forecast end) plus the running cost after it; benefits are each linked benefit's "
        "annual value × its forecast realisation from its target date. NPV discounts each year's net "
        "to the base date; ROI and payback are undiscounted. e edits the case's settings."
    )
    CSS_PATH = "governance.tcss"

    ACTIONS = (
        Act("case.back", "escape", "back", "Back", "Back to the business cases"),
        Act("case.edit", "e", "edit_case", "Edit", "Edit this business case", writes=True),
        Act(
            "case.new",
            "n",
            "new_case",
            "Record case",
            "Record a business case for this project",
            writes=True,
        ),
    )

    def __init__(self, project_id: int | None) -> None:
        super().__init__()
        self.project_id = project_id  # None: the programme's own case
        self.case: CaseResult | None = None
        self._shown = ""

    def compose_body(self) -> ComposeResult:
        with Vertical(id="case-top"):
            yield Static(id="case-detail")
        yield RecordTable("business_case", YEAR_COLUMNS, id="years")
        yield CashFlowPlot(id="detail-chart")

    def on_mount(self) -> None:
        self.query_one("#years", RecordTable).focus()

    def show_model(self, model: Model) -> None:
        book = CaseBook.of(model.snapshot, model.today.toordinal())
        if self.project_id is None:
            self.case = book.programme_case()
        elif self.project_id in book.projects:
            self.case = book.project_case(self.project_id)
        else:
            self.case = None
        text = case_detail(self.case) if self.case else Text("This project was deleted.", style="bold red")
        if text.markup != self._shown:
            self._shown = text.markup
            self.query_one("#case-detail", Static).update(text)
        self.query_one("#years", RecordTable).sync(year_rows(self.case) if self.case else [])
        self.query_one("#detail-chart", CashFlowPlot).show(chart_series(self.case))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        recorded = self.case is not None and self.case.record_id is not None
        if action == "edit_case":
            return recorded
        if action == "new_case":
            return self.case is not None and not recorded
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_edit_case(self) -> None:
        model, case = self.model, self.case
        record = model.row("business_case", case.record_id) if model and case and case.record_id else None
        if record is not None:
            self.app.push_screen(RecordForm("business_case", record, fields=CASE_FORM_FIELDS))

    def action_new_case(self) -> None:
        model = self.model
        if model is None or self.case is None:
            return
        defaults = {"project": model.project_code(self.project_id)} if self.project_id is not None else {}
        self.app.push_screen(RecordForm("business_case", fields=CASE_FORM_FIELDS, defaults=defaults))
