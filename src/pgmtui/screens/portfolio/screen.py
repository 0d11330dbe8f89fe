"""Portfolio (key 1): the programme headline and one row per project, live, sortable, filterable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Resize
from textual.widgets import Input

from pgmtui.actions import Act
from pgmtui.domain.rollup import ProjectRollup
from pgmtui.firstpaint import MAX_ROWS, CachedColumn, CachedRow, FirstPaint
from pgmtui.model import Model
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.forms import RecordForm, confirm_delete
from pgmtui.screens.portfolio.view import (
    ALL_CLOSED_HELP,
    COLUMNS,
    DEFAULT_SORT,
    EMPTY_HELP,
    PROJECT_FORM_FIELDS,
    closed_note,
    evidence_text,
    headline,
    project_rows,
    rag_history,
    stage_before_closing,
)
from pgmtui.widgets.header import header_parts
from pgmtui.widgets.quiet import QuietStatic
from pgmtui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from pgmtui.store import Store


class PortfolioScreen(PgmScreen):
    SCREEN_TITLE = "Portfolio"
    HELP = (
        "Every project of the programme with its evidence-based RAG (an override shows as A* with its "
        "reason below the table), schedule slip, % complete, CPI/SPI, EAC against budget, open "
        "high/critical risks, late incoming dependencies and next milestone. Filter with words or "
        "rag:R, stage:delivery, manager:NAME. enter opens the project under the cursor. c closes a "
        "finished project (stage Closed: kept read-only with its history, hidden here; / stage:closed "
        "lists closed projects, c on one re-opens it); d deletes one after you type its code. "
        "Programme end date (one definition, used by the slip below the table, the programme form "
        "and the report): the baseline is the programme's own end date when entered, else the latest "
        "project baseline end; the forecast is the latest project forecast end. Opportunities are "
        "rated apart from threats and never make a RAG worse; a project whose late milestone makes "
        "another project late is 'delaying others' (at least Amber)."
    )
    CSS_PATH = "portfolio.tcss"

    ACTIONS = (
        Act("portfolio.open", "enter", "open_project", "Open", "Open the project under the cursor"),
        Act(
            "portfolio.filter",
            "slash",
            "filter",
            "Filter",
            "Filter by text, rag:, stage:, manager:",
            title="Filter projects",
            key_display="/",
        ),
        Act(
            "portfolio.new",
            "n",
            "new_project",
            "New",
            "Add a project to the programme",
            title="New project",
            writes=True,
        ),
        Act(
            "portfolio.edit",
            "e",
            "edit_project",
            "Edit",
            "Edit the selected project",
            title="Edit project",
            writes=True,
        ),
        Act(
            "portfolio.delete",
            "d",
            "delete_project",
            "Delete",
            "Delete the selected project (asks first)",
            title="Delete project",
            writes=True,
        ),
        Act(
            "portfolio.close",
            "c",
            "close_project",
            "Close/reopen",
            "Close the selected project (read-only, hidden here) or re-open a closed one",
            title="Close / re-open project",
            footer=False,
            writes=True,
        ),
        Act(
            "portfolio.programme",
            "P",
            "edit_programme",
            "Programme",
            "Name, sponsor, dates, tolerances, programme RAG override",
            title="Edit programme",
            key_display="P",
            writes=True,
        ),
        Act(
            "portfolio.clear_filter",
            "escape",
            "clear_filter",
            "Clear filter",
            "Clear the filter",
            footer=False,
            palette=False,
        ),
    )

    FILTER_ID = "filter"

    def __init__(self) -> None:
        super().__init__()
        self.filter_text = ""
        self._by_id: dict[int, ProjectRollup] = {}
        self._history: dict[int, list[str | None]] = {}

    def compose_body(self) -> ComposeResult:
        # One Static per headline line: a live change repaints only the line whose figures moved.
        with Vertical(id="headline", classes="headline"):
            for i in range(3):
                yield QuietStatic(id=f"headline-{i}", classes="headline-line")
        yield Input(
            placeholder="filter: words, rag:R, stage:delivery (stage:closed: closed ones), manager:asha",
            id="filter",
        )
        yield RecordTable("project", COLUMNS, sort_key=DEFAULT_SORT, id="projects")
        yield QuietStatic(id="evidence")

    def on_mount(self) -> None:
        self.query_one("#filter").display = False
        self.table.focus()
        self.watch(self.app, "trend", lambda _trend: self._render_table(), init=False)

    @property
    def table(self) -> RecordTable:
        return self.query_one("#projects", RecordTable)

    # ------------------------------------------------------------------ rendering

    def show_model(self, model: Model) -> None:
        r = model.rollup
        lines = headline(r, self.size.width or self.app.size.width).split("\n")
        for i, line in enumerate(lines[:3]):
            self.query_one(f"#headline-{i}", QuietStatic).show(line)
        self._by_id = {p.project_id: p for p in r.projects}
        self._render_table()

    def _render_table(self) -> None:
        model = self.model
        if model is not None:
            trend = self.app.trend
            rows = project_rows(model.rollup, self.filter_text, trend)
            self._history = {row.id: rag_history(trend, row.id, None, model.today)[:-1] for row in rows}
            self.table.sync(rows)
        self._update_evidence()

    def _update_evidence(self) -> None:
        model = self.model
        p = self.selected()
        if not self._by_id:
            text = Text(EMPTY_HELP)
        elif not self.table.row_count and model is not None and not self.filter_text:
            text = Text(ALL_CLOSED_HELP)
        else:
            history = [*self._history.get(p.project_id, []), p.rag.final] if p is not None else None
            text = evidence_text(p, history)
            note = closed_note(model.rollup, self.filter_text) if model is not None else None
            if note is not None:
                text = Text.assemble(note, "\n", text)  # first: the evidence may run past the bottom
        self.query_one("#evidence", QuietStatic).show(text)  # only what changed (live refresh over SSH)

    def first_paint(self) -> FirstPaint:
        """What this screen shows now, as plain text, for the next start's first frame
        (pgmtui.firstpaint; the app saves it from live pictures only)."""
        model = self.model
        parts = header_parts(self.SCREEN_TITLE, "", model)
        columns, rows = self.table.shown(MAX_ROWS)
        lines = (
            headline(model.rollup, self.size.width or self.app.size.width).plain.split("\n") if model else []
        )
        cached_rows = []
        for record_id, cells in rows:
            p = self._by_id.get(record_id)
            rag = p.rag.final if p is not None else None
            cached_rows.append(
                CachedRow(record_id, tuple(cells), rag, bool(p is not None and p.rag.overridden))
            )
        return FirstPaint(
            title=parts.title,
            programme=parts.programme,
            rag=parts.rag,
            overridden=parts.overridden,
            today_long=parts.today_long,
            today_short=parts.today_short,
            headline=tuple(lines[:3]),
            columns=tuple(CachedColumn(c.key, label, width, c.numeric) for c, label, width in columns),
            rows=tuple(cached_rows),
            rag_column="rag",
            cursor=self.selected_id(),
        )

    def selected_id(self) -> int | None:
        return self.table.selected_id

    def selected(self) -> ProjectRollup | None:
        pid = self.selected_id()
        return self._by_id.get(pid) if pid is not None else None

    @on(RecordTable.RowHighlighted, "#projects")
    def _row_highlighted(self) -> None:
        self._update_evidence()

    @on(RecordTable.Opened, "#projects")
    def _opened(self) -> None:
        self.action_open_project()

    @on(RecordTable.Sorted, "#projects")
    def _sorted(self) -> None:
        self.notify(self.table.sort_label(), timeout=1.5)

    def on_resize(self, event: Resize) -> None:
        if self.model is not None:
            self.show_model(self.model)

    # ------------------------------------------------------------------ filtering

    def refilter(self) -> None:
        self._render_table()

    def focus_main(self) -> None:
        self.table.focus()

    def action_clear_filter(self) -> None:
        self.close_filter()

    # ------------------------------------------------------------------ drill-in and editing

    def action_open_project(self) -> None:
        pid = self.selected_id()
        if pid is not None:
            from pgmtui.screens.portfolio.project import ProjectDetailScreen

            self.app.push_screen(ProjectDetailScreen(pid))

    def open_record(self, kind: str, record_id: int) -> bool:
        """Palette / stand-up jumps: select the project (or the milestone's project) and open it."""
        model = self.model
        if model is None:
            return False
        if kind == "milestone":
            row = model.row("milestone", record_id)
            record_id = row["project_id"] if row else -1
        if record_id not in self.table.order and self.filter_text:
            self.action_clear_filter()
        if self.table.select(record_id):
            self.action_open_project()
            return True
        return False

    def action_new_project(self) -> None:
        self.app.push_screen(
            RecordForm("project", fields=PROJECT_FORM_FIELDS), self.table.select_when_present
        )

    def action_edit_project(self) -> None:
        pid = self.selected_id()
        model = self.model
        record = model.row("project", pid) if (model is not None and pid is not None) else None
        if record is not None:
            self.app.push_screen(
                RecordForm("project", record, fields=PROJECT_FORM_FIELDS), self.table.select_when_present
            )

    def action_edit_programme(self) -> None:
        """The programme's own record: name, sponsor, dates, tolerances, RAG override."""
        model = self.model
        record = model.programme if model is not None else None
        self.app.push_screen(
            RecordForm("programme", record, title=None if record else "Set up the programme")
        )

    def action_delete_project(self) -> None:
        pid = self.selected_id()
        model = self.model
        record = model.row("project", pid) if (model is not None and pid is not None) else None
        if model is None or record is None:
            return
        confirm_delete(self, "project", record, record["code"])  # lists what goes; asks for the code

    def action_close_project(self) -> None:
        """c: close the selected project (stage Closed) or re-open a closed one, to the stage it had
        before it was closed (from the audit trail; Delivery when the trail does not say)."""
        pid = self.selected_id()
        model = self.model
        record = model.row("project", pid) if (model is not None and pid is not None) else None
        if record is None or pid is None:
            return
        code, version = record["code"], record["version"]
        closing = (record.get("stage") or "").strip().lower() != "closed"

        def change(store: Store) -> str:
            if closing:
                store.update("project", pid, {"stage": "Closed"}, expected_version=version)
                return "Closed"
            stage = stage_before_closing(store.audit(table="project", row_id=pid))
            store.update("project", pid, {"stage": stage}, expected_version=version)
            return stage

        def done(stage: str) -> None:
            if closing:
                self.notify(
                    f"{code} closed: read-only and hidden here (/ stage:closed lists it; u undoes)", timeout=6
                )
            else:
                self.notify(f"{code} re-opened (stage {stage})", timeout=4)

        self.write_store(change, description=f"{'Close' if closing else 'Re-open'} {code}", done=done)
