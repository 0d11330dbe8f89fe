"""Finance (key 7): the programme's money and each project's, in four views.

- Projects: the programme's figures in the headline and one row per project (BAC, EAC, VAC, CPI,
  SPI, TCPI, run-out, contingency left); on a tall terminal the selected project's S-curve below.
- S-curve: the selected project's cumulative planned, actual and earned value by month.
- Months: the selected project's cost rows, edited in place (enter: actual, p: planned,
  f: forecast; the value is typed in a box under the table and saved on enter).
- Change requests: every request, those waiting first; approve (a), reject (x) or withdraw (w)
  after seeing what it does to the baseline.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Resize
from textual.widgets import ContentSwitcher, Input, Static

from pgmtui.actions import Act
from pgmtui.domain.finance import ProgrammeFinance, ProjectFinance, earned_by_month
from pgmtui.model import Model
from pgmtui.records import ValidationError
from pgmtui.records.fields import coerce_field, kind_named
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.finance.decide import VERBS, DecisionScreen
from pgmtui.screens.finance.scurve import SCurve
from pgmtui.screens.finance.view import (
    CELL_FIELDS,
    COST_FORM_FIELDS,
    CURVE,
    MONTH_COLUMNS,
    MONTHS,
    PROJECT_COLUMNS,
    PROJECTS,
    REQUEST_COLUMNS,
    REQUEST_FORM_FIELDS,
    REQUESTS,
    TALL,
    VIEW_TITLES,
    VIEWS,
    decision_preview,
    headline,
    landing_month,
    month_rows,
    project_rows,
    project_summary,
    request_detail,
    request_rows,
    scurve_data,
)
from pgmtui.screens.forms import RecordForm, confirm_delete, format_value
from pgmtui.services import model_finance
from pgmtui.widgets.quiet import QuietStatic
from pgmtui.widgets.record_table import RecordTable

# Which view each action belongs to (None: every view); check_action hides the others' keys.
_VIEW_OF = {
    "open_months": PROJECTS,
    "show_curve": (PROJECTS, MONTHS, REQUESTS),
    "show_requests": (PROJECTS, CURVE, MONTHS),
    "edit_cell": MONTHS,
    "approve": REQUESTS,
    "reject": REQUESTS,
    "withdraw": REQUESTS,
    "back": (CURVE, MONTHS, REQUESTS),
    "new": (MONTHS, REQUESTS),
    "edit": (MONTHS, REQUESTS),
    "delete": (MONTHS, REQUESTS),
}


class FinanceScreen(PgmScreen):
    SCREEN_TITLE = "Finance"
    HELP = (
        "The programme's money. With a cost plan (cost rows: project × month × capex/opex with planned, "
        "actual and forecast), PV counts every month before this one and this month by the share of it "
        "elapsed, and AC is the sum of the actuals (the project's actual cost follows them); without one, "
        "PV is linear from start to baseline end. EAC = BAC / CPI (BAC while nothing is spent), "
        "TCPI = (BAC − EV) / (BAC − AC), burn rate = mean actual of the last 3 months with actuals, "
        "run-out = the month the money runs out at that rate (▲ when before the baseline end: cost turns "
        "Amber). Views: Projects (S-curve of the selected project: · planned, ● actual, ◆ earned), "
        "Months (enter edits the actual in place, p the plan, f the forecast) and Change requests "
        "(a approves after showing what moves: budget, baseline end, contingency or reserve; x rejects, "
        "w withdraws)."
    )
    CSS_PATH = "finance.tcss"

    ACTIONS = (
        Act(
            "finance.months",
            "enter",
            "open_months",
            "Months",
            "The selected project's months (edit in place)",
        ),
        Act(
            "finance.curve",
            "t",
            "show_curve",
            "S-curve",
            "The selected project's S-curve (planned, actual, EV)",
            footer=False,
        ),
        Act("finance.requests", "c", "show_requests", "CRs", "Change requests: approve, reject, raise"),
        Act(
            "finance.view", "v", "next_view", "View", "Next view: Projects, S-curve, Months, Change requests"
        ),
        Act("finance.back", "escape", "back", "Back", "Back to the projects", footer=False, palette=False),
        Act(
            "finance.edit_cell",
            "enter",
            "edit_cell('actual')",
            "Actual",
            "Type the month's actual in place",
            title="Edit the month's actual",
            writes=True,
        ),
        Act(
            "finance.edit_planned",
            "p",
            "edit_cell('planned')",
            "Plan",
            "Type the month's planned value in place",
            title="Edit the month's plan",
            writes=True,
        ),
        Act(
            "finance.edit_forecast",
            "f",
            "edit_cell('forecast')",
            "Forecast",
            "Type the month's forecast in place",
            title="Edit the month's forecast",
            footer=False,
            writes=True,
        ),
        Act(
            "finance.approve",
            "a",
            "approve",
            "Approve",
            "Approve the change request (shows what moves first)",
            title="Approve change request",
            writes=True,
        ),
        Act(
            "finance.reject",
            "x",
            "reject",
            "Reject",
            "Reject the change request (nothing else changes)",
            title="Reject change request",
            writes=True,
        ),
        Act(
            "finance.withdraw",
            "w",
            "withdraw",
            "Withdraw",
            "Withdraw the change request",
            title="Withdraw change request",
            footer=False,
            writes=True,
        ),
        Act("finance.new", "n", "new", "New", "A new month (Months) or change request", writes=True),
        Act(
            "finance.edit",
            "e",
            "edit",
            "Edit",
            "Edit the month or change request in a form",
            footer=False,
            writes=True,
        ),
        Act(
            "finance.delete",
            "d",
            "delete",
            "Delete",
            "Delete the month or change request (asks first)",
            footer=False,
            writes=True,
        ),
    )

    def __init__(self) -> None:
        super().__init__()
        self.view = PROJECTS
        self.project_id: int | None = None  # the project whose months are shown
        self._editing: tuple[int, str, int] | None = None  # (cost id, field, version) being typed
        self._shown: dict[str, str] = {}  # what each Static shows (repaint only what changed)
        self._earned: dict[int, tuple[int, list[tuple[str, float | None]]]] = {}  # pid → (version, EV)
        self._reading: set[int] = set()

    def compose_body(self) -> ComposeResult:
        yield QuietStatic(id="fin-headline-0", classes="fin-line")
        yield QuietStatic(id="fin-headline-1", classes="fin-line")
        yield QuietStatic(id="fin-views", classes="fin-line")
        with ContentSwitcher(initial=PROJECTS, id="fin-switcher"):
            with Vertical(id=PROJECTS):
                yield RecordTable("project", PROJECT_COLUMNS, id="fin-projects")
                yield QuietStatic(id="fin-summary")
                yield SCurve(id="fin-scurve")
            with Vertical(id=CURVE):
                yield QuietStatic(id="fin-curve-summary")
                yield SCurve(id="fin-curve")
            with Vertical(id=MONTHS):
                yield QuietStatic(id="fin-month-summary")
                yield RecordTable("cost", MONTH_COLUMNS, id="fin-months")
                yield Static(id="fin-cell-label")
                yield Input(id="fin-cell", compact=True)
            with Vertical(id=REQUESTS):
                yield RecordTable("change_request", REQUEST_COLUMNS, id="fin-requests")
                yield QuietStatic(id="fin-request-detail")

    def on_mount(self) -> None:
        self.set_class(self.app.size.height >= TALL, "-tall")
        self.query_one("#fin-cell").display = False
        self.query_one("#fin-cell-label").display = False
        self.projects.focus()
        self._show_views()

    # ------------------------------------------------------------------ widgets

    @property
    def projects(self) -> RecordTable:
        return self.query_one("#fin-projects", RecordTable)

    @property
    def months(self) -> RecordTable:
        return self.query_one("#fin-months", RecordTable)

    @property
    def requests(self) -> RecordTable:
        return self.query_one("#fin-requests", RecordTable)

    def _static(self, wid: str, text: Text) -> None:
        if self._shown.get(wid) != text.markup:
            self._shown[wid] = text.markup
            self.query_one(f"#{wid}", QuietStatic).show(text)

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def finance(self) -> ProgrammeFinance | None:
        model = self.model
        return model_finance(model) if model is not None else None

    # ------------------------------------------------------------------ rendering

    def show_model(self, model: Model) -> None:
        f = model_finance(model)
        one, two = headline(f, self._width())
        self._static("fin-headline-0", one)
        self._static("fin-headline-1", two)
        self.projects.sync(project_rows(f))
        if self.project_id is None or f.by_id(self.project_id) is None:
            self.project_id = self.projects.selected_id
        self.months.sync(month_rows(model, self.project_id))
        self.requests.sync(request_rows(model))
        self._update_details()
        self._show_views()  # the bar names the selected project: a live rename shows there too

    def _update_details(self) -> None:
        model, f = self.model, self.finance()
        if model is None or f is None:
            return
        selected = f.by_id(self.projects.selected_id)
        self._static("fin-summary", project_summary(selected, self._width()))
        self._static("fin-curve-summary", project_summary(selected, self._width()))
        self._show_curve(model, selected)
        shown = f.by_id(self.project_id)
        self._static("fin-month-summary", project_summary(shown, self._width()))
        request = model.row("change_request", self.requests.selected_id)
        self._static("fin-request-detail", request_detail(model, request))

    def _show_curve(self, model: Model, p: ProjectFinance | None) -> None:
        """The S-curve needs the project's history (EV by month): read once per project version."""
        curves = list(self.query(SCurve).results(SCurve))
        if p is None or not p.months:
            for curve in curves:
                curve.show(None)
            return
        row = model.row("project", p.project_id)
        version = row["version"] if row else 0
        cached = self._earned.get(p.project_id)
        data = scurve_data(p, cached[1] if cached else [], model.today.toordinal())
        for curve in curves:
            curve.show(data)
        if (cached is not None and cached[0] == version) or p.project_id in self._reading or row is None:
            return
        self._reading.add(p.project_id)
        months = [m.month for m in p.months]
        pid, today = p.project_id, model.today

        def read(store: Any) -> list[tuple[str, float | None]]:
            return earned_by_month(row, store.audit(table="project", row_id=pid), months, today)

        def done(earned: list[tuple[str, float | None]]) -> None:
            self._reading.discard(pid)
            self._earned[pid] = (version, earned)
            self._update_details()

        def failed(exc: Exception) -> None:
            self._reading.discard(pid)

        self.read_store(read, done, description="read the project's history", failed=failed)

    def _show_views(self) -> None:
        t = Text(no_wrap=True, overflow="ellipsis")
        for view in VIEWS:
            title = VIEW_TITLES[view]
            pid = self.project_id if self.view == MONTHS else self.projects.selected_id
            if view in (CURVE, MONTHS) and pid is not None and self.model is not None:
                title += f" {self.model.project_code(pid)}"
            if view == self.view:
                t.append(f"[{title}]", style="bold reverse")
            else:
                t.append(f" {title} ", style="dim")
            t.append(" ")
        t.append(" v next view", style="dim")
        self._static("fin-views", t)

    @on(RecordTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._update_details()
        self._show_views()

    @on(RecordTable.Opened, "#fin-projects")
    def _project_opened(self) -> None:
        self.action_open_months()

    @on(RecordTable.Opened, "#fin-months")
    async def _month_opened(self) -> None:
        await self.run_action("edit_cell('actual')")  # through the app: refused when read-only

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.height >= TALL, "-tall")
        if self.model is not None:
            self._shown.clear()
            self.show_model(self.model)

    # ------------------------------------------------------------------ views

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        where = _VIEW_OF.get(action)
        if where is None:
            return True
        views = where if isinstance(where, tuple) else (where,)
        if self.view not in views:
            return False
        if action in ("approve", "reject", "withdraw"):
            request = self._selected_request()
            return request is not None and request.get("status") == "raised"
        if action in ("edit_cell", "edit", "delete") and self.view == MONTHS:
            return self.months.selected_id is not None
        if action in ("edit", "delete") and self.view == REQUESTS:
            return self.requests.selected_id is not None
        return True

    def switch_view(self, view: str) -> None:
        self._close_editor()
        self.view = view
        self.query_one("#fin-switcher", ContentSwitcher).current = view
        if view != CURVE:  # the S-curve view has no list: j/k choose the project it draws
            {PROJECTS: self.projects, MONTHS: self.months, REQUESTS: self.requests}[view].focus()
        self._show_views()
        self._update_details()
        self.refresh_bindings()

    def action_open_months(self, project_id: int | None = None) -> None:
        pid = project_id if project_id is not None else self.projects.selected_id
        if pid is None or self.model is None:
            return
        if pid != self.project_id:
            self.project_id = pid
            self.months.sync(month_rows(self.model, pid))
        if self.view != MONTHS:  # opening the view: on last month, whose actuals come in next
            self.months.select(landing_month(self.model, pid))
        self.switch_view(MONTHS)

    def action_show_requests(self) -> None:
        self.switch_view(REQUESTS)

    def action_show_curve(self) -> None:
        self.switch_view(CURVE)

    def action_next_view(self) -> None:
        following = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        if following == MONTHS:
            self.action_open_months()
        else:
            self.switch_view(following)

    def action_cursor_down(self) -> None:
        if self.view == CURVE:
            self.projects.action_cursor_down()
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.view == CURVE:
            self.projects.action_cursor_up()
        else:
            super().action_cursor_up()

    def action_back(self) -> None:
        if self._editing is not None:
            self._close_editor()
            return
        self.switch_view(PROJECTS)

    def open_record(self, kind: str, record_id: int) -> bool:
        """Palette and stand-up jumps: a project, a month (cost row) or a change request."""
        model = self.model
        if model is None:
            return False
        if kind == "project":
            self.switch_view(PROJECTS)
            return self.projects.select(record_id)
        if kind == "cost":
            row = model.row("cost", record_id)
            if row is None:
                return False
            self.action_open_months(row["project_id"])
            return self.months.select(record_id)
        if kind == "change_request":
            self.switch_view(REQUESTS)
            return self.requests.select(record_id)
        return False

    # ------------------------------------------------------------------ months: edit in place

    def action_edit_cell(self, name: str) -> None:
        model = self.model
        cost_id = self.months.selected_id
        row = model.row("cost", cost_id) if (model is not None and cost_id is not None) else None
        if model is None or row is None:
            return
        self._editing = (row["id"], name, row["version"])
        label = Text(
            f"{model.project_code(row['project_id'])} {row['month']} {row.get('category')} ", style="bold"
        )
        label.append(f"{CELL_FIELDS[name].lower()} (enter saves, esc cancels, empty clears):")
        self.query_one("#fin-cell-label", Static).update(label)
        box = self.query_one("#fin-cell", Input)
        box.value = format_value(row.get(name))
        box.placeholder = CELL_FIELDS[name]
        for widget in (box, self.query_one("#fin-cell-label")):
            widget.display = True
        box.focus()

    def _close_editor(self) -> None:
        self._editing = None
        box = self.query_one("#fin-cell", Input)
        if box.display:
            box.display = False
            self.query_one("#fin-cell-label").display = False
            if self.view == MONTHS:
                self.months.focus()

    @on(Input.Submitted, "#fin-cell")
    def _cell_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._editing is None:
            return
        cost_id, name, version = self._editing
        f = kind_named("cost").field(name)
        try:
            value = coerce_field(f, event.value)
        except ValidationError as exc:
            self.notify(exc.message, severity="error", timeout=6)
            return
        self._close_editor()
        self.write_store(
            lambda store: store.update("cost", cost_id, {name: value}, expected_version=version),
            description=f"save the {name}",
            done=lambda _: self.notify(f"{CELL_FIELDS[name]} saved", timeout=2),
        )

    # ------------------------------------------------------------------ change requests

    def _selected_request(self) -> dict[str, Any] | None:
        model = self.model
        rid = self.requests.selected_id
        return model.row("change_request", rid) if (model is not None and rid is not None) else None

    def action_approve(self) -> None:
        self._decide("approved")

    def action_reject(self) -> None:
        self._decide("rejected")

    def action_withdraw(self) -> None:
        self._decide("withdrawn")

    def _decide(self, verdict: str) -> None:
        model, request = self.model, self._selected_request()
        if model is None or request is None or request.get("status") != "raised":
            return
        if verdict == "approved":
            lines, problems = decision_preview(model, request)
        else:
            lines, problems = ["nothing else changes: the baseline stays as it is"], []
        rid, version = request["id"], request["version"]

        def decided(by: str | None) -> None:
            if by is None:
                return
            fields: dict[str, Any] = {"status": verdict}
            if by:
                fields["decided_by"] = by
            self.write_store(
                lambda store: store.update("change_request", rid, fields, expected_version=version),
                description=f"{VERBS[verdict].lower()} change request #{rid}",
                done=lambda _: self.notify(f"Change request #{rid} {verdict}", timeout=3),
            )

        self.app.push_screen(DecisionScreen(request, verdict, lines, problems), decided)

    # ------------------------------------------------------------------ new, edit, delete

    def _project_code(self) -> str:
        model = self.model
        pid = self.project_id if self.view == MONTHS else None
        if pid is None and self.view == REQUESTS:
            request = self._selected_request()
            pid = request.get("project_id") if request else self.projects.selected_id
        return model.project_code(pid) if model is not None and pid is not None else ""

    def action_new(self) -> None:
        model = self.model
        if model is None:
            return
        code = self._project_code()
        if self.view == MONTHS:
            self.app.push_screen(
                RecordForm(
                    "cost",
                    fields=COST_FORM_FIELDS,
                    defaults={"project": code, "month": model.today.isoformat()[:7]},
                ),
                self.months.select_when_present,
            )
        elif self.view == REQUESTS:
            self.app.push_screen(
                RecordForm(
                    "change_request",
                    fields=REQUEST_FORM_FIELDS,
                    defaults={"project": code, "raised_date": model.today.isoformat()},
                    title="Raise a change request",
                ),
                self.requests.select_when_present,
            )

    def _selected_record(self) -> tuple[str, dict[str, Any] | None]:
        model = self.model
        if model is None:
            return "", None
        if self.view == MONTHS:
            return "cost", model.row("cost", self.months.selected_id)
        return "change_request", self._selected_request()

    def action_edit(self) -> None:
        kind, record = self._selected_record()
        if record is None:
            return
        if kind == "cost":
            self.app.push_screen(
                RecordForm("cost", record, fields=COST_FORM_FIELDS), self.months.select_when_present
            )
        else:
            fields = (
                REQUEST_FORM_FIELDS
                if record.get("status") == "raised"
                else ("title", "description", "decided_by")
            )
            self.app.push_screen(
                RecordForm("change_request", record, fields=fields), self.requests.select_when_present
            )

    def action_delete(self) -> None:
        kind, record = self._selected_record()
        if record is None:
            return
        if kind == "change_request" and record.get("status") == "approved":
            self.notify(
                "An approved change request has moved the baseline and is kept; raise a new one to reverse it.",
                severity="warning",
                timeout=6,
            )
            return
        label = record["month"] + f" {record.get('category')}" if kind == "cost" else f"#{record['id']}"
        confirm_delete(self, kind, record, label)
