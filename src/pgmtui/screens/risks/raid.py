"""The rest of the RAID log on the risks screen: one pane per kind (issues, assumptions,
decisions), a RecordTable with the highlighted item's detail below it."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from pgmtui.domain.riskmap import RiskFilter
from pgmtui.model import Model
from pgmtui.screens.risks.followup_view import actions_line
from pgmtui.screens.risks.view import raid_columns, raid_detail, raid_rows
from pgmtui.widgets.record_table import RecordTable


class RaidPane(Vertical):
    """One RAID list (issues, assumptions or decisions) with the highlighted item's detail below
    (and the actions about it)."""

    def __init__(self, kind: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="raid-pane")
        self.kind = kind
        self._model: Model | None = None

    def compose(self) -> ComposeResult:
        yield RecordTable(self.kind, raid_columns(self.kind), id=f"{self.kind}-table", classes="raid-table")
        yield Static(id=f"{self.kind}-detail", classes="raid-detail")

    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    def show(self, model: Model, flt: RiskFilter) -> None:
        self._model = model
        self.table.sync(raid_rows(model, self.kind, flt))
        self._show_detail()

    def selected(self) -> dict[str, Any] | None:
        rid = self.table.selected_id
        return self._model.row(self.kind, rid) if (self._model and rid is not None) else None

    def _show_detail(self) -> None:
        if self._model is not None:
            row = self.selected()
            text = raid_detail(self.kind, row, self._model)
            if row is not None:
                text.append("\n")
                text.append_text(actions_line(self._model, self.kind, row["id"]))
            self.query_one(f"#{self.kind}-detail", Static).update(text)

    @on(RecordTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()
