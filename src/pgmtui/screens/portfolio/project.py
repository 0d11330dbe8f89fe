"""Project detail (enter on the portfolio): milestones (editable), dependencies in and out, open
risks, benefits, and the project's recent changes from the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from pgmtui.actions import Act
from pgmtui.model import Model
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.forms import RecordForm, confirm_delete
from pgmtui.screens.portfolio.view import (
    DEPENDENCY_COLUMNS,
    MILESTONE_COLUMNS,
    MILESTONE_FIELDS,
    PROJECT_FORM_FIELDS,
    RISK_COLUMNS,
    change_labels,
    change_targets,
    dependency_rows,
    describe_change,
    evidence_text,
    milestone_rows,
    open_risk_rows,
    project_trend_text,
)
from pgmtui.screens.risks.followup_view import actions_text
from pgmtui.services import audit_for
from pgmtui.services.trend import live_trend
from pgmtui.widgets.format import compact_money, date, pct, ratio
from pgmtui.widgets.header import ProgrammeHeader
from pgmtui.widgets.record_table import RecordTable
from pgmtui.widgets.scroll import MoreBelow, Note

if TYPE_CHECKING:
    from pgmtui.store import Store


class ProjectDetailScreen(PgmScreen):
    SCREEN_TITLE = "Project"
    HELP = (
        "One project: its RAG evidence, its trend week by week (RAG, CPI, SPI, risk exposure), "
        "milestones (n / e / d act on the milestone under the cursor), dependencies in and out with "
        "slack, open risks (enter opens one), linked benefits, the actions about it or filed under it "
        "and its recent changes. tab moves from section to section (the page scrolls to it; the line "
        "at the bottom names the sections still below), h / l too. A closed project (stage Closed) is "
        "read-only: E and set its stage back to re-open it."
    )
    CSS_PATH = "portfolio.tcss"

    ACTIONS = (
        Act("project.back", "escape", "back", "Back", "Back to the portfolio"),
        Act(
            "project.new_milestone",
            "n",
            "new_milestone",
            "New",
            "Add a milestone to this project",
            writes=True,
        ),
        Act(
            "project.edit_milestone",
            "e",
            "edit_milestone",
            "Edit",
            "Edit the selected milestone",
            writes=True,
        ),
        Act(
            "project.edit",
            "E",
            "edit_project",
            "Project",
            "Edit this project's fields",
            key_display="E",
            writes=True,
        ),
        Act(
            "project.delete_milestone",
            "d",
            "delete_milestone",
            "Delete",
            "Delete the selected milestone (asks first)",
            writes=True,
        ),
    )

    def __init__(self, project_id: int) -> None:
        super().__init__()
        self.project_id = project_id
        self._last_changes_generation = -1

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="detail") as page:
            yield Static(id="detail-summary", classes="headline")
            yield Static(Text("Trend", style="bold"), classes="section-title")
            yield Static(Text("computing…", style="dim"), id="detail-trend", classes="detail-note")
            yield Static(Text("Milestones", style="bold"), classes="section-title")
            yield RecordTable("milestone", MILESTONE_COLUMNS, id="milestones", classes="detail-list")
            yield Static(Text("Dependencies", style="bold"), classes="section-title")
            yield RecordTable("dependency", DEPENDENCY_COLUMNS, id="detail-deps", classes="detail-list")
            yield Static(id="detail-deps-empty", classes="detail-note")
            yield Static(Text("Open risks", style="bold"), classes="section-title")
            yield RecordTable("risk", RISK_COLUMNS, id="detail-risks", classes="detail-list")
            yield Static(id="detail-risks-empty", classes="detail-note")
            yield Static(Text("Benefits", style="bold"), classes="section-title")
            yield Note(id="detail-benefits", classes="detail-note")
            yield Static(Text("Team", style="bold"), classes="section-title")
            yield Note(id="detail-team", classes="detail-note")
            yield Static(
                Text("Actions (a adds one about the selected record)", style="bold"), classes="section-title"
            )
            yield Note(id="detail-actions", classes="detail-note")
            yield Static(Text("Recent changes", style="bold"), classes="section-title")
            yield Note(Text("loading…", style="dim"), id="detail-changes", classes="detail-note")
        yield MoreBelow(page, id="detail-more")

    def on_mount(self) -> None:
        self.query_one("#detail", VerticalScroll).can_focus = False  # tab goes to its sections
        self.milestones.focus()
        self.watch(self.app, "trend", lambda _trend: self._trend(), init=False)

    @property
    def milestones(self) -> RecordTable:
        return self.query_one("#milestones", RecordTable)

    def show_model(self, model: Model) -> None:
        project = model.row("project", self.project_id)
        if project is None:
            self.query_one("#detail-summary", Static).update(
                Text("This project was deleted.", style="bold red")
            )
            return
        self.query_one(ProgrammeHeader).set_title(f"Project {project['code']}")
        pr = next((p for p in model.rollup.projects if p.project_id == self.project_id), None)
        self._summary(project, pr, model.implied.get(self.project_id))
        self._trend()
        self.milestones.sync(milestone_rows(model, self.project_id))
        self._list("#detail-deps", dependency_rows(model, self.project_id), "No dependencies.")
        self._list("#detail-risks", open_risk_rows(model, self.project_id), "No open risks.")
        self._benefits(model, pr)
        from pgmtui.screens.resources.view import team_text  # here: startup need not load it

        self.query_one("#detail-team", Static).update(team_text(model, self.project_id))
        actions = actions_text(model, "project", self.project_id, with_project=True)
        self.query_one("#detail-actions", Static).update(actions)
        if model.generation != self._last_changes_generation:
            self._last_changes_generation = model.generation
            self._load_changes(model)

    def _list(self, selector: str, rows: list[Any], empty: str) -> None:
        table = self.query_one(selector, RecordTable)
        table.sync(rows)
        table.display = bool(rows)
        note = self.query_one(f"{selector}-empty", Static)
        note.display = not rows
        if not rows:
            note.update(Text(empty, style="dim"))

    def _summary(self, project: dict[str, Any], pr: Any, implied: Any = None) -> None:
        t = Text()
        t.append_text(evidence_text(pr))
        t.append("\n")
        t.append(f"Manager {project.get('manager') or '–'}  Stage {project.get('stage') or '–'}  ")
        t.append(
            f"Start {date(project.get('start_date'))}  Baseline end {date(project.get('baseline_end'))}  "
        )
        t.append(f"Forecast end {date(project.get('forecast_end'))}")
        if implied is not None and implied.flagged:
            # What the dependency network says, beside the entered forecast: the gap is flagged.
            t.append(f"\n⚠ Implied end {date(implied.implied_end)}", style="bold")
            t.append(
                f" (+{implied.gap_days} d: late suppliers; the entered forecast does not allow for them)"
            )
        if pr is not None:
            e = pr.evm
            t.append(
                f"\nBAC {compact_money(e.bac)}  AC {compact_money(e.ac)}  EV {compact_money(e.ev)}  "
                f"PV {compact_money(e.pv)}  CPI {ratio(e.cpi)}  SPI {ratio(e.spi)}  EAC {compact_money(e.eac)}  "
                f"Done {pct(pr.percent_complete)}"
            )
        if project.get("status_note"):
            t.append("\nNote: ", style="bold")
            t.append(project["status_note"])
        self.query_one("#detail-summary", Static).update(t)

    def _trend(self) -> None:
        """RAG strip and CPI / SPI / risk exposure sparklines, week by week (the last is now)."""
        model, trend = self.model, self.app.trend
        if model is None or trend is None or model.row("project", self.project_id) is None:
            return
        text = project_trend_text(live_trend(trend, model), self.project_id)
        self.query_one("#detail-trend", Static).update(text)

    def _benefits(self, model: Model, pr: Any) -> None:
        ids = set(pr.benefit_ids) if pr is not None else set()
        statuses = [b for b in model.rollup.benefits if b.benefit_id in ids]
        if not statuses:
            self.query_one("#detail-benefits", Static).update(Text("No linked benefits.", style="dim"))
            return
        t = Text()
        for b in statuses:
            t.append(f"{b.status:<10} ", style="bold")
            t.append(b.name)
            t.append(f"  {pct(b.realisation_pct)} realised\n", style="dim")
        self.query_one("#detail-benefits", Static).update(t)

    def _load_changes(self, model: Model) -> None:
        """The audit trail of this project and its milestones and risks (SQL off the UI thread)."""
        targets = change_targets(model, self.project_id)
        labels = change_labels(model, targets)

        def read(store: Store) -> list[dict[str, Any]]:
            return audit_for(store, targets, limit=15)  # user names and text made safe to show

        self.read_store(read, lambda rows: self._show_changes(rows, labels), description="Recent changes")

    def _show_changes(self, rows: list[dict[str, Any]], labels: dict[tuple[str, int], str]) -> None:
        t = Text()
        for i, row in enumerate(rows):
            if i:
                t.append("\n")
            t.append_text(describe_change(row, labels))
        self.query_one("#detail-changes", Static).update(
            t if rows else Text("No changes recorded.", style="dim")
        )

    # ------------------------------------------------------------------ actions

    def current_record(self) -> tuple[str, int] | None:
        """`a`: about the selected milestone, dependency or risk; else about the project."""
        return super().current_record() or ("project", self.project_id)

    def selected_milestone_id(self) -> int | None:
        return self.milestones.selected_id

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_new_milestone(self) -> None:
        model = self.model
        code = model.project_code(self.project_id) if model else ""
        self.app.push_screen(
            RecordForm(
                "milestone",
                fields=("project", *MILESTONE_FIELDS),
                defaults={"project": code},
                title=f"New milestone for {code}",
            ),
            self.milestones.select_when_present,
        )

    def action_edit_milestone(self) -> None:
        mid = self.selected_milestone_id()
        record = self.model.row("milestone", mid) if (self.model and mid is not None) else None
        if record is not None:
            self.app.push_screen(RecordForm("milestone", record, fields=MILESTONE_FIELDS))

    def action_edit_project(self) -> None:
        record = self.model.row("project", self.project_id) if self.model else None
        if record is not None:
            self.app.push_screen(RecordForm("project", record, fields=PROJECT_FORM_FIELDS))

    def action_delete_milestone(self) -> None:
        mid = self.selected_milestone_id()
        model = self.model
        record = model.row("milestone", mid) if (model and mid is not None) else None
        if model is not None and record is not None:
            n = sum(1 for d in model.rows("dependency") if mid in (d["supplier_id"], d["consumer_id"]))
            confirm_delete(
                self, "milestone", record, record["name"], detail=f"Its {n} dependency link(s) go too."
            )

    @on(RecordTable.Opened, "#milestones")
    def _milestone_opened(self) -> None:
        self.action_edit_milestone()

    @on(RecordTable.Opened, "#detail-risks")
    @on(RecordTable.Opened, "#detail-deps")
    def _record_opened(self, event: RecordTable.Opened) -> None:
        self.app.open_record(event.kind, event.record_id)
