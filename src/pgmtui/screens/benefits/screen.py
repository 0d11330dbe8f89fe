"""Benefits (key 4): the MSP benefits tracker. Benefits and, apart, dis-benefits, each a RecordTable
with the same columns; the selected benefit summarised below (and charted on tall terminals).
`enter` opens the profile (profile.py); `m` records a measurement."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import Input, Static

from pgmtui.actions import Act
from pgmtui.model import Model
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.benefits.measure import delete_benefit, record_measurement
from pgmtui.screens.benefits.profile import BenefitProfileScreen, plot_data
from pgmtui.screens.benefits.view import (
    BENEFIT_FORM_FIELDS,
    DEFAULT_SORT,
    SORT_NAMES,
    TALL,
    BenefitRow,
    CellCache,
    benefit_rows,
    cash_unit,
    headline,
    summary_text,
    tracker,
)
from pgmtui.screens.forms import RecordForm
from pgmtui.widgets.benefit_plot import BenefitPlot
from pgmtui.widgets.cells import Column
from pgmtui.widgets.record_table import RecordTable


class BenefitsScreen(PgmScreen):
    SCREEN_TITLE = "Benefits"
    HELP = (
        "The programme's benefits (MSP profiles) and, apart, its dis-benefits. Realisation % = (latest − "
        "baseline) / (target − baseline). Status: Realised (≥ 100 %), On track (the least-squares trend "
        "reaches the target by the target date), At risk (reaches ≥ 80 % of the change), Off track "
        "(below, or the target date has passed without it), No data. History is a sparkline of the "
        "measurements scaled between baseline and target; Projects shows each enabling project's RAG, "
        "⚠ when a red one threatens the benefit. Filter with words or status:risk, kind:cash, "
        "owner:NAME, project:CODE. Tab moves between the benefits and the dis-benefits."
    )
    CSS_PATH = "benefits.tcss"

    ACTIONS = (
        Act(
            "benefits.open",
            "enter",
            "open_profile",
            "Profile",
            "Open the benefit's profile, chart and measurements",
            title="Open benefit profile",
        ),
        Act(
            "benefits.measure",
            "m",
            "record_measurement",
            "Measure",
            "Measure the selected benefit (the date defaults to today)",
            title="Record a measurement",
            writes=True,
        ),
        Act(
            "benefits.filter",
            "slash",
            "filter",
            "Filter",
            "Filter by text, status:, kind:, owner:, project:",
            title="Filter benefits",
            key_display="/",
        ),
        Act(
            "benefits.new",
            "n",
            "new_benefit",
            "New",
            "Add a benefit profile",
            title="New benefit",
            writes=True,
        ),
        Act(
            "benefits.edit",
            "e",
            "edit_benefit",
            "Edit",
            "Edit the selected benefit",
            title="Edit benefit",
            writes=True,
        ),
        Act(
            "benefits.delete",
            "d",
            "delete_benefit",
            "Delete",
            "Delete the selected benefit and its measurements (asks first)",
            title="Delete benefit",
            writes=True,
        ),
        Act(
            "benefits.clear_filter",
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
        self._rows: dict[int, BenefitRow] = {}
        self._columns: tuple[Column, ...] = ()
        self._headline_shown = ""
        self._pending_select: int | None = None
        self._cells = CellCache()

    def compose_body(self) -> ComposeResult:
        yield Static(id="headline", classes="headline")
        yield Input(
            placeholder="filter: words, status:risk, kind:cash, owner:NAME, project:CODE", id="filter"
        )
        yield Static(id="benefits-title", classes="section-title")
        yield RecordTable("benefit", sort_key=DEFAULT_SORT, id="benefits")
        yield Static(id="dis-benefits-title", classes="section-title")
        yield RecordTable("benefit", sort_key=DEFAULT_SORT, id="dis-benefits")
        yield Static(id="benefit-summary")
        yield BenefitPlot(id="tracker-plot")

    def on_mount(self) -> None:
        self.query_one("#filter").display = False
        self._apply_height(self.app.size.height)
        self.benefits.focus()

    @property
    def benefits(self) -> RecordTable:
        return self.query_one("#benefits", RecordTable)

    @property
    def dis_benefits(self) -> RecordTable:
        return self.query_one("#dis-benefits", RecordTable)

    def _tables(self) -> tuple[RecordTable, RecordTable]:
        return self.benefits, self.dis_benefits

    def _apply_height(self, height: int) -> None:
        """Tall terminals show the selected benefit's chart under the tracker."""
        self.set_class(height >= TALL, "-tall")

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    # ------------------------------------------------------------------ rendering

    def show_model(self, model: Model) -> None:
        rows = benefit_rows(model)
        self._rows = {r.id: r for r in rows}
        line = headline(model.rollup, cash_unit(model), sum(1 for r in rows if r.threatened), self._width())
        if line.markup != self._headline_shown:  # repaint only what changed (live refresh over SSH)
            self._headline_shown = line.markup
            self.query_one("#headline", Static).update(line)
        self._render_tables()

    def _render_tables(self) -> None:
        view = tracker(
            list(self._rows.values()), self._width(), self.benefits.sort_key, self.filter_text, self._cells
        )
        for table, rows in zip(self._tables(), (view.benefits, view.dis_benefits), strict=True):
            if view.columns != self._columns:
                table.set_columns(view.columns)
            table.sync(rows)
        self._columns = view.columns
        self.query_one("#benefits-title", Static).update(
            Text(view.title(bool(self.filter_text)), style="bold")
        )
        dis_title = self.query_one("#dis-benefits-title", Static)
        dis_title.update(Text(view.dis_title(), style="bold"))
        has_dis = bool(view.dis_benefits)
        dis_title.display = has_dis
        self.dis_benefits.display = has_dis
        if not has_dis and self.focused is self.dis_benefits:  # its last one deleted or filtered out
            self.benefits.focus()
        pending = self._pending_select
        if pending is not None and pending in self._rows:
            self._pending_select = None
            self.select(pending)
        self._update_summary()

    def _active_table(self) -> RecordTable:
        dis = self.dis_benefits
        if self.focused is dis and dis.order:
            return dis
        return self.benefits

    def selected_id(self) -> int | None:
        return self._active_table().selected_id

    def selected(self) -> BenefitRow | None:
        bid = self.selected_id()
        return self._rows.get(bid) if bid is not None else None

    def _update_summary(self) -> None:
        model = self.model
        row = self.selected()
        self.query_one("#benefit-summary", Static).update(summary_text(row, self._width()))
        if self.has_class("-tall") and model is not None:
            self.query_one("#tracker-plot", BenefitPlot).show(plot_data(row, model.today) if row else None)

    @on(RecordTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._update_summary()

    @on(RecordTable.Opened)
    def _opened(self, event: RecordTable.Opened) -> None:
        self._open_profile(event.record_id)

    @on(RecordTable.Sorted)
    def _sorted(self, event: RecordTable.Sorted) -> None:
        """Both lists follow one sort (the toast names it as the tracker always has)."""
        for table in self._tables():
            table.sort_key, table.sort_reverse = event.key, event.reverse
        self._render_tables()
        name = SORT_NAMES.get(event.key or "", "the given order")
        self.notify(f"Sorted by {name}{' (reversed)' if event.reverse else ''}", timeout=1.5)

    def on_descendant_focus(self) -> None:
        if self._rows:
            self._update_summary()

    def on_resize(self, event: Resize) -> None:
        self._apply_height(event.size.height)
        if self.model is not None:
            self._headline_shown = ""
            self.show_model(self.model)

    # j/k at the end of one list move on to the other
    def action_cursor_down(self) -> None:
        benefits, dis = self._tables()
        if self.focused is benefits and dis.order and benefits.cursor_row >= len(benefits.order) - 1:
            dis.focus()
            dis.move_cursor(row=0)
            return
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        benefits, dis = self._tables()
        if self._active_table() is dis and dis.cursor_row <= 0 and benefits.order:
            benefits.focus()
            benefits.move_cursor(row=len(benefits.order) - 1)
            return
        super().action_cursor_up()

    # ------------------------------------------------------------------ filtering

    def refilter(self) -> None:
        self._render_tables()

    def focus_main(self) -> None:
        self.benefits.focus()

    def action_clear_filter(self) -> None:
        self.close_filter()

    # ------------------------------------------------------------------ drill-in and editing

    def select(self, benefit_id: int) -> bool:
        """Put the cursor on a benefit, in whichever list holds it (clearing a filter that hides it)."""
        if benefit_id not in self._rows:
            return False
        if not any(benefit_id in t.order for t in self._tables()) and self.filter_text:
            self.close_filter(focus=False)
        for table in self._tables():
            if table.select(benefit_id):
                table.focus()
                return True
        return False

    def select_when_present(self, benefit_id: int | None) -> None:
        """After a save: select the benefit now if shown, else when the refresh brings it."""
        if benefit_id is not None and not self.select(benefit_id):
            self._pending_select = benefit_id

    def action_open_profile(self, measurement_id: int | None = None) -> None:
        bid = self.selected_id()
        if bid is not None:
            self._open_profile(bid, measurement_id)

    def _open_profile(self, benefit_id: int, measurement_id: int | None = None) -> None:
        self.app.push_screen(BenefitProfileScreen(benefit_id, measurement_id=measurement_id))

    def open_record(self, kind: str, record_id: int) -> bool:
        """Palette / stand-up jumps: select the benefit (or the measurement's) and open its profile."""
        model = self.model
        if model is None:
            return False
        measurement_id = None
        if kind == "measurement":
            row = model.row("measurement", record_id)
            if row is None:
                return False
            measurement_id, record_id = record_id, row["benefit_id"]
        if self.select(record_id):
            self.action_open_profile(measurement_id)
            return True
        return False

    def action_record_measurement(self) -> None:
        bid = self.selected_id()
        if bid is not None:
            record_measurement(self, bid)

    def action_new_benefit(self) -> None:
        self.app.push_screen(RecordForm("benefit", fields=BENEFIT_FORM_FIELDS), self.select_when_present)

    def action_edit_benefit(self) -> None:
        bid = self.selected_id()
        model = self.model
        record = model.row("benefit", bid) if (model is not None and bid is not None) else None
        if record is not None:
            self.app.push_screen(
                RecordForm("benefit", record, fields=BENEFIT_FORM_FIELDS), self.select_when_present
            )

    def action_delete_benefit(self) -> None:
        bid = self.selected_id()
        model = self.model
        record = model.row("benefit", bid) if (model is not None and bid is not None) else None
        if record is not None:
            delete_benefit(self, record)
