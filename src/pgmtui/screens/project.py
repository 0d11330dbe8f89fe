"""Project detail (enter on the portfolio): milestones (editable), risks, dependencies in and out,
benefits, and the project's recent changes from the audit trail."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from pgmtui.domain.risk import DEFAULT_BANDS, inherent_score, residual_score
from pgmtui.model import Model
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.forms import RecordForm, confirm_delete
from pgmtui.screens.portfolio import PROJECT_FORM_FIELDS, evidence_text
from pgmtui.widgets.badges import band_badge, literal
from pgmtui.widgets.format import compact_money, date, pct, ratio

MILESTONE_FIELDS = ("name", "baseline_date", "forecast_date", "actual_date", "is_gate")


def describe_change(row: dict[str, Any], labels: dict[tuple[str, int], str]) -> Text:
    """One audit row in plain language: `ts user updated milestone X: forecast_date a → b`."""
    t = Text()
    t.append(row["ts"][:16].replace("T", " "), style="dim")
    t.append(f"  {row['user']}  ")
    target = labels.get((row["tbl"], row["row_id"]), f"{row['tbl']} #{row['row_id']}")
    t.append(f"{row['action']}d {row['tbl']} ")
    t.append(target, style="bold")
    if row["action"] == "update":
        parts = [f"{k} {_v(old)} → {_v(new)}" for k, (old, new) in row["changes"].items()]
        t.append(": " + "; ".join(parts))
    return t


def _v(value: Any) -> str:
    if value is None:
        return "–"
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


class ProjectDetailScreen(PgmScreen):
    SCREEN_TITLE = "Project"
    HELP = (
        "One project: its RAG evidence, milestones (n / e / d act on the milestone under the cursor), "
        "risks, dependencies in and out with slack, linked benefits and its recent changes."
    )
    CSS_PATH = "portfolio.tcss"

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("n", "new_milestone", "New milestone"),
        Binding("e", "edit_milestone", "Edit milestone"),
        Binding("E", "edit_project", "Edit project", key_display="E"),
        Binding("d", "delete_milestone", "Delete milestone"),
    ]

    def __init__(self, project_id: int) -> None:
        super().__init__()
        self.project_id = project_id
        self._milestone_ids: list[int] = []
        self._last_changes_generation = -1

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="detail"):
            yield Static(id="detail-summary", classes="headline")
            yield Static(Text("Milestones", style="bold"), classes="section-title")
            yield DataTable(id="milestones", cursor_type="row", zebra_stripes=True)
            yield Static(Text("Dependencies", style="bold"), classes="section-title")
            yield Static(id="detail-deps")
            yield Static(Text("Open risks", style="bold"), classes="section-title")
            yield Static(id="detail-risks")
            yield Static(Text("Benefits", style="bold"), classes="section-title")
            yield Static(id="detail-benefits")
            yield Static(Text("Recent changes", style="bold"), classes="section-title")
            yield Static(Text("loading…", style="dim"), id="detail-changes")

    def on_mount(self) -> None:
        table = self.query_one("#milestones", DataTable)
        for key, label in (
            ("name", "Milestone"),
            ("gate", "Gate"),
            ("baseline", "Baseline"),
            ("forecast", "Forecast"),
            ("actual", "Actual"),
            ("var", "Var"),
            ("float", "Float"),
        ):
            table.add_column(label, key=key)
        table.focus()

    def show_model(self, model: Model) -> None:
        project = model.row("project", self.project_id)
        if project is None:
            self.query_one("#detail-summary", Static).update(
                Text("This project was deleted.", style="bold red")
            )
            return
        self.query_one("#programme-header").set_title(f"Project {project['code']}")
        pr = next((p for p in model.rollup.projects if p.project_id == self.project_id), None)
        self._summary(project, pr)
        self._milestones(model)
        self._dependencies(model)
        self._risks(model)
        self._benefits(model, pr)
        if model.generation != self._last_changes_generation:
            self._last_changes_generation = model.generation
            self.load_changes(model)

    def _summary(self, project: dict[str, Any], pr: Any) -> None:
        t = Text()
        t.append_text(evidence_text(pr))
        t.append("\n")
        t.append(f"Manager {project.get('manager') or '–'}  Stage {project.get('stage') or '–'}  ")
        t.append(
            f"Start {date(project.get('start_date'))}  Baseline end {date(project.get('baseline_end'))}  "
        )
        t.append(f"Forecast end {date(project.get('forecast_end'))}")
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

    def _milestones(self, model: Model) -> None:
        table = self.query_one("#milestones", DataTable)
        rows = [m for m in model.rows("milestone") if m["project_id"] == self.project_id]
        rows.sort(key=lambda m: (m.get("forecast_date") or m.get("baseline_date") or "9999", m["id"]))
        selected = self.selected_milestone_id()
        ids = [m["id"] for m in rows]
        table.clear()
        for m in rows:
            fl = model.critical.floats.get(m["id"]) if model.critical else None
            cat = model.critical.category(m["id"]) if model.critical else ""
            variance = _variance(m)
            float_text = Text("–" if fl is None else f"{fl}d", style="bold red" if cat == "critical" else "")
            if cat:
                float_text.append(" crit" if cat == "critical" else " near", style="dim")
            table.add_row(
                literal(m["name"]),
                "◆" if m.get("is_gate") else "",
                date(m.get("baseline_date")),
                date(m.get("forecast_date")),
                date(m.get("actual_date")),
                variance,
                float_text,
                key=str(m["id"]),
            )
        self._milestone_ids = ids
        if selected in ids:
            table.move_cursor(row=ids.index(selected), animate=False)

    def _dependencies(self, model: Model) -> None:
        mine = {m["id"] for m in model.rows("milestone") if m["project_id"] == self.project_id}
        table = Table(box=None, expand=True, show_edge=False)
        for col in ("Dir", "Supplier", "Consumer", "Type", "Slack", "Status"):
            table.add_column(col)
        count = 0
        for d in model.rollup.dependencies:
            incoming, outgoing = d.consumer_id in mine, d.supplier_id in mine
            if not (incoming or outgoing):
                continue
            count += 1
            status_style = {"late": "bold red", "at risk": "yellow", "done": "dim"}.get(d.status, "")
            table.add_row(
                "in" if incoming else "out",
                literal(model.ref_label("milestone", d.supplier_id)),
                literal(model.ref_label("milestone", d.consumer_id)),
                f"{d.type}{d.lag_days:+d}" if d.lag_days else d.type,
                "–" if d.slack is None else f"{d.slack}d",
                Text(d.status, style=status_style),
            )
        self.query_one("#detail-deps", Static).update(
            table if count else Text("No dependencies.", style="dim")
        )

    def _risks(self, model: Model) -> None:
        risks = [
            r for r in model.rows("risk") if r["project_id"] == self.project_id and r["status"] == "open"
        ]
        risks.sort(key=lambda r: -(residual_score(r) or 0))
        table = Table(box=None, expand=True, show_edge=False)
        for col in ("#", "Risk", "Owner", "Score", "Band", "Trend"):
            table.add_column(col)
        for r in risks:
            res = residual_score(r)
            table.add_row(
                str(r["id"]),
                literal(r["title"]),
                literal(r.get("owner") or ""),
                f"{inherent_score(r)} → {res}",
                band_badge(DEFAULT_BANDS.band(res)),
                model.risk_trends.get(r["id"], ""),
            )
        self.query_one("#detail-risks", Static).update(
            table if risks else Text("No open risks.", style="dim")
        )

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

    @work(thread=True, exclusive=True, group="project-changes")
    def load_changes(self, model: Model) -> None:
        """The audit trail of this project and its milestones and risks (SQL off the UI thread)."""
        store = self.app.store
        if store is None:
            return
        targets = {
            "project": [self.project_id],
            "milestone": [m["id"] for m in model.rows("milestone") if m["project_id"] == self.project_id],
            "risk": [r["id"] for r in model.rows("risk") if r["project_id"] == self.project_id],
        }
        from pgmtui.services import audit_for  # user names and text made safe to show

        rows = audit_for(store, targets, limit=15)
        labels: dict[tuple[str, int], str] = {}
        for table, ids in targets.items():
            for i in ids:
                row = model.row(table, i)
                if row is not None:
                    labels[(table, i)] = row.get("code") or row.get("name") or row.get("title") or f"#{i}"
        self.app.from_worker(self._show_changes, rows, labels)

    def _show_changes(self, rows: list[dict[str, Any]], labels: dict[tuple[str, int], str]) -> None:
        if not self.is_attached:
            return
        t = Text()
        for i, row in enumerate(rows):
            if i:
                t.append("\n")
            t.append_text(describe_change(row, labels))
        self.query_one("#detail-changes", Static).update(
            t if rows else Text("No changes recorded.", style="dim")
        )

    # ------------------------------------------------------------------ actions

    def selected_milestone_id(self) -> int | None:
        table = self.query_one("#milestones", DataTable)
        if not self._milestone_ids or not 0 <= table.cursor_row < len(self._milestone_ids):
            return None
        return self._milestone_ids[table.cursor_row]

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
            )
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
        record = self.model.row("milestone", mid) if (self.model and mid is not None) else None
        if record is not None:
            n = sum(1 for d in self.model.rows("dependency") if mid in (d["supplier_id"], d["consumer_id"]))
            confirm_delete(
                self, "milestone", record, record["name"], detail=f"Its {n} dependency link(s) go too."
            )

    @on(DataTable.RowSelected, "#milestones")
    def _milestone_selected(self) -> None:
        self.action_edit_milestone()


def _variance(m: dict[str, Any]) -> Text:
    """Forecast (or actual) against baseline in days; late in bold."""
    import pendulum

    base = m.get("baseline_date")
    other = m.get("actual_date") or m.get("forecast_date")
    if not base or not other:
        return Text("–")
    delta = (pendulum.Date.fromisoformat(other) - pendulum.Date.fromisoformat(base)).days
    return Text(f"{delta:+d}d" if delta else "0d", style="bold" if delta > 0 else "")
