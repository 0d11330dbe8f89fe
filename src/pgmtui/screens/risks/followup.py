"""The Actions and Lessons views of the Risks & RAID screen (panes like the RAID lists): actions with
the highlighted one's detail; lessons recorded, and below them the lesson candidates found in the
audit trail (read off the UI thread), `enter` on one records it as a lesson."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Static

from pgmtui.domain.candidates import Candidate
from pgmtui.domain.riskmap import RiskFilter
from pgmtui.model import Model
from pgmtui.screens.contract import StoreJob
from pgmtui.screens.risks.followup_view import (
    ACTION_COLUMNS,
    CANDIDATE_COLUMNS,
    LESSON_COLUMNS,
    action_detail,
    action_rows,
    candidate_detail,
    candidate_id,
    candidate_rows,
    lesson_detail,
    lesson_rows,
)
from pgmtui.screens.risks.raid import RaidPane
from pgmtui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from pgmtui.app import PgmApp


class ActionsPane(RaidPane):
    """Every action (open ones first, the most overdue first), the highlighted one below."""

    def compose(self) -> ComposeResult:
        yield RecordTable("action", ACTION_COLUMNS, id="action-table", classes="raid-table")
        yield Static(id="action-detail", classes="raid-detail")

    def show(self, model: Model, flt: RiskFilter) -> None:
        self._model = model
        self.table.sync(action_rows(model, flt))
        self._show_detail()

    def _show_detail(self) -> None:
        if self._model is not None:
            self.query_one("#action-detail", Static).update(action_detail(self.selected(), self._model))


class LessonsPane(RaidPane):
    """Lessons recorded, then the candidates the audit trail suggests (tab moves between them)."""

    def __init__(self, kind: str, *, id: str | None = None) -> None:
        super().__init__(kind, id=id)
        self.candidates: list[Candidate] = []
        self._flt = RiskFilter()
        self._asked_for = -1  # the model generation candidates were last asked for
        self._loading = False

    def compose(self) -> ComposeResult:
        yield RecordTable("lesson", LESSON_COLUMNS, id="lesson-table", classes="raid-table")
        yield Static(id="candidates-title", classes="section-title")
        yield RecordTable("candidate", CANDIDATE_COLUMNS, id="candidate-table", classes="raid-table")
        yield Static(id="lesson-detail", classes="raid-detail")

    @property
    def table(self) -> RecordTable:
        return self.query_one("#lesson-table", RecordTable)

    @property
    def candidate_table(self) -> RecordTable:
        return self.query_one("#candidate-table", RecordTable)

    def show(self, model: Model, flt: RiskFilter) -> None:
        self._model, self._flt = model, flt
        self.table.sync(lesson_rows(model, flt))
        self._show_candidates()
        self._show_detail()
        if model.generation != self._asked_for and not self._loading:
            self._load(model)

    def _load(self, model: Model) -> None:
        """The candidates come from the whole audit trail (a rollup per day it changed): off the UI
        thread, once per model generation, never two reads at a time."""
        from pgmtui.services import candidates_of

        self._asked_for, self._loading = model.generation, True
        today = model.today

        def done(found: list[Candidate]) -> None:
            self._loading = False
            self.candidates = found
            self._show_candidates()
            self._show_detail()
            if self._model is not None and self._model.generation != self._asked_for:
                self._load(self._model)

        def failed(exc: Exception) -> None:
            self._loading = False
            self.query_one("#candidates-title", Static).update(
                Text(f"Lesson candidates unavailable: {exc}", style="red")
            )

        app = cast("PgmApp", self.app)
        app.submit(
            StoreJob(
                lambda store: candidates_of(store, today), "Lesson candidates", False, done, failed, self
            )
        )

    def on_store_reply(self, message: Any) -> None:
        """Replies to this pane's own reads (a widget, not a screen: handled here, like a screen)."""
        message.stop()
        job = message.job
        if message.error is None:
            job.done(message.result)
        else:
            job.failed(message.error)

    def _show_candidates(self) -> None:
        if self._model is None:
            return
        rows = candidate_rows(self.candidates, self._flt, self._model)
        self.candidate_table.sync(rows)
        open_ones = sum(1 for c in self.candidates if not c.recorded)
        title = Text("Lesson candidates from the audit trail", style="bold")
        if self._loading and not self.candidates:
            title.append("  reading the trail…", style="dim")
        else:
            title.append(
                f"  {open_ones} to consider, {len(self.candidates) - open_ones} recorded", style="dim"
            )
            title.append(" · enter records one as a lesson", style="dim")
        self.query_one("#candidates-title", Static).update(title)

    def selected(self) -> dict[str, Any] | None:
        """The lesson under the cursor (none while the candidates have focus: `e`, `d` act on lessons)."""
        return None if self.candidate_table.has_focus else super().selected()

    def selected_candidate(self) -> Candidate | None:
        rid = self.candidate_table.selected_id
        return next((c for c in self.candidates if candidate_id(c) == rid), None)

    def _show_detail(self) -> None:
        if self._model is None:
            return
        box = self.query_one("#lesson-detail", Static)
        if self.candidate_table.has_focus:
            box.update(candidate_detail(self.selected_candidate()))
        else:
            box.update(lesson_detail(self.selected(), self._model))

    @on(RecordTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def on_descendant_focus(self) -> None:
        self._show_detail()
