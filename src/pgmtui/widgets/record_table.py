"""RecordTable: the one list widget of pgmtui. Every list of records (projects, risks, milestones,
people, costs, …) is a RecordTable fed `Row`s built by a screen's view.

It owns what each screen used to write for itself:
- columns (fixed, content-sized or flex; hidden below a terminal width) and their widths;
- sorting by header click and `s` / `S`;
- a span-aware "did this cell change?" check, so a live refresh repaints only changed cells, and a
  changed cell repaints itself, not its row nor the whole table (a whole-table repaint is ~20 KB
  over SSH, a row ~600 B, a cell ~60 B);
- the cursor kept on its record across refreshes, re-sorts and filters;
- `select_when_present(id)`: select a record as soon as a sync contains it (after a save, the new
  record arrives with the next model; no timers);
- `RecordTable.Opened(kind, id)` when a row is chosen (enter or click);
- groups: rows with a `Row.group` stay together under any sort, and the group's label shows in a
  label column beside the first row of each group (e.g. dependencies grouped by project).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable

from pgmtui.actions import Act, bindings
from pgmtui.widgets.cells import (
    Column,
    Row,
    column_widths,
    group_labels,
    signature,
    sort_rows,
    sort_within_groups,
    visible_columns,
)
from pgmtui.widgets.references import summary


class RecordTable(DataTable[Any]):
    """A live list of records of one kind."""

    ACTIONS: ClassVar[tuple[Act, ...]] = (
        Act("table.sort", "s", "sort_next", "Sort", "Sort by the next column", footer=False),
        Act(
            "table.reverse",
            "S",
            "sort_reverse",
            "Reverse sort",
            "Reverse the sort order",
            footer=False,
            key_display="S",
        ),
        # vim / k9s habits, in every list.
        Act(
            "table.first",
            "g,home",
            "first",
            "First",
            "First row",
            footer=False,
            palette=False,
            key_display="g",
        ),
        Act("table.last", "G,end", "last", "Last", "Last row", footer=False, palette=False, key_display="G"),
        Act(
            "table.half_down",
            "ctrl+d",
            "half_page(1)",
            "Half page down",
            "Move half a page down",
            footer=False,
            palette=False,
        ),
        Act(
            "table.half_up",
            "ctrl+u",
            "half_page(-1)",
            "Half page up",
            "Move half a page up",
            footer=False,
            palette=False,
        ),
        Act(
            "table.yank",
            "y",
            "yank",
            "Copy",
            "Copy the selected record's reference and a one-line summary to the clipboard (OSC 52)",
            title="Copy the selected record",
            footer=False,
        ),
    )
    BINDINGS = bindings(ACTIONS)

    # Set only for the duration of an update_cell (DataTable.__init__ already calls refresh()):
    # the (row, column) index of the cell being changed.
    _narrow_cell: tuple[int, int] | None = None

    class Opened(Message):
        """A row was chosen (enter or click): open that record."""

        def __init__(self, table: RecordTable, kind: str, record_id: int) -> None:
            super().__init__()
            self.table = table
            self.kind = kind
            self.record_id = record_id

        @property
        def control(self) -> RecordTable:
            return self.table

    class Sorted(Message):
        """The user changed the sort (the screen may say so or remember it)."""

        def __init__(self, table: RecordTable, key: str | None, reverse: bool) -> None:
            super().__init__()
            self.table = table
            self.key = key
            self.reverse = reverse

        @property
        def control(self) -> RecordTable:
            return self.table

    def __init__(
        self,
        kind: str,
        columns: Sequence[Column] = (),
        *,
        sort_key: str | None = None,
        sort_reverse: bool = False,
        id: str | None = None,
        classes: str | None = None,
        zebra_stripes: bool = True,
    ) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=zebra_stripes)
        self.kind = kind
        self._all_columns: tuple[Column, ...] = tuple(columns)
        self.sort_key = sort_key
        self.sort_reverse = sort_reverse
        self._rows: list[Row] = []  # as given by the screen (its default order)
        self._shown_columns: tuple[Column, ...] = ()
        self._widths: dict[str, int] = {}
        self._header_sort: tuple[str | None, bool] = (None, False)
        self._order: list[int] = []
        self._labels: list[str | None] = []  # group labels as shown (plain text)
        self._cells: dict[int, Mapping[str, Any]] = {}
        self._pending_select: int | None = None

    # ------------------------------------------------------------------ feeding

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Change the column set (e.g. a view with other columns); takes effect at once."""
        if tuple(columns) == self._all_columns:
            return
        self._all_columns = tuple(columns)
        if self._rows or self._order:
            self.sync(self._rows)

    def sync(self, rows: Sequence[Row]) -> None:
        """Show exactly `rows` (in this order unless the user sorted by a column), changing as
        little on screen as possible. A view may pass the same cell objects again for records that
        did not change (they are then not compared), so it must never mutate a cell once given."""
        self._rows = list(rows)
        ordered = self._rows
        if self.sort_key:
            sort = sort_within_groups if any(r.group is not None for r in ordered) else sort_rows
            ordered = sort(self._rows, self.sort_key, self.sort_reverse)
        labels = group_labels(ordered)
        label_keys = [None if label is None else label.plain for label in labels]
        screen_width = self.app.size.width if self.is_attached else 200
        columns = visible_columns(self._all_columns, screen_width)
        table_width = (self.size.width or self.app.size.width) - 2  # scrollbar gutter
        if labels and labels[0] is not None:  # the label column (padded by a space each side)
            table_width -= max(label.cell_len for label in labels if label is not None) + 2
        widths = column_widths(columns, ordered, table_width, self.sort_key)
        order = [r.id for r in ordered]
        selected = self.selected_id
        row_index = self.cursor_row
        header_sort = (self.sort_key, self.sort_reverse)
        structure_changed = (
            columns != self._shown_columns or widths != self._widths or header_sort != self._header_sort
        )
        if structure_changed or order != self._order or label_keys != self._labels:
            self.clear(columns=structure_changed)
            if structure_changed:
                for c in columns:
                    self.add_column(self._label(c), key=c.key, width=widths[c.key])
                self._shown_columns, self._widths, self._header_sort = columns, widths, header_sort
            for row, label in zip(ordered, labels, strict=True):
                cells = (self._cell(c, row.cells.get(c.key)) for c in columns)
                self.add_row(*cells, key=str(row.id), label=label)
            self._order, self._labels = order, label_keys
            if selected in order:
                self.move_cursor(row=order.index(selected), animate=False)
            elif order:
                self.move_cursor(row=min(max(row_index, 0), len(order) - 1), animate=False)
        else:
            for row in ordered:
                old = self._cells.get(row.id, {})
                if old is row.cells:
                    continue  # the very cells shown (a view reusing unchanged rows): nothing to check
                for c in columns:
                    new, before = row.cells.get(c.key), old.get(c.key)
                    # A view that reuses the cells of an unchanged record passes the same objects:
                    # nothing to compare (5 000 risks × 12 columns of signatures cost ~0.1 s).
                    if new is not before and signature(new) != signature(before):
                        self.update_cell(str(row.id), c.key, self._cell(c, new))
        # The rows' own cell mappings (a Row's cells are never changed in place: a change is a new Row).
        self._cells = {r.id: r.cells for r in ordered}
        if self._pending_select is not None and self._pending_select in self._order:
            self.move_cursor(row=self._order.index(self._pending_select), animate=False)
            self._pending_select = None

    def _label(self, c: Column) -> Text:
        mark = ""
        if c.key == self.sort_key:
            mark = " ▲" if self.sort_reverse else " ▼"
        return Text(c.label + mark, justify="right" if c.numeric else "left")

    @staticmethod
    def _cell(c: Column, value: Any) -> Any:
        # A str cell becomes Text: DataTable would parse a str as Rich markup, and cells carry
        # record text ("[bold]x[/]" must show as typed).
        if value is None:
            return Text("")
        if isinstance(value, str):
            return Text(value, justify="right" if c.numeric else "left")
        return value

    def shown(self, limit: int) -> tuple[list[tuple[Column, str, int]], list[tuple[int, list[str]]]]:
        """What the table shows now, as plain text: its columns (with their header label and
        width) and the first `limit` rows' cells in the order shown (for pgmtui.firstpaint)."""
        columns = [(c, self._label(c).plain, self._widths.get(c.key, 0)) for c in self._shown_columns]
        rows = []
        for index, record_id in enumerate(self._order[:limit]):
            cells = self.get_row_at(index)
            rows.append((record_id, [c.plain if isinstance(c, Text) else str(c) for c in cells]))
        return columns, rows

    # ------------------------------------------------------------------ selection

    @property
    def order(self) -> list[int]:
        """Record ids in the order shown."""
        return list(self._order)

    @property
    def selected_id(self) -> int | None:
        if not self._order or not (0 <= self.cursor_row < len(self._order)):
            return None
        return self._order[self.cursor_row]

    def select(self, record_id: int | None) -> bool:
        """Move the cursor to a record shown now; False if it is not in the list."""
        if record_id is not None and record_id in self._order:
            self.move_cursor(row=self._order.index(record_id))
            return True
        return False

    def select_when_present(self, record_id: int | None) -> None:
        """Select a record now if shown, else at the first sync that shows it."""
        if record_id is None:
            return
        if not self.select(record_id):
            self._pending_select = record_id

    def row_for(self, record_id: int) -> Row | None:
        return next((r for r in self._rows if r.id == record_id), None)

    # ------------------------------------------------------------------ moving

    def action_first(self) -> None:
        if self.row_count:
            self.move_cursor(row=0, animate=False)

    def action_last(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1, animate=False)

    def half_page(self) -> int:
        """Rows in half of what the list shows (at least one)."""
        shown = self.scrollable_content_region.height - (self.header_height if self.show_header else 0)
        return max(1, shown // 2)

    def action_half_page(self, direction: int) -> None:
        if self.row_count:
            row = min(max(self.cursor_row + direction * self.half_page(), 0), self.row_count - 1)
            self.move_cursor(row=row, animate=False)

    def action_yank(self) -> None:
        """`y`: the record's reference as the CLI takes it and what it is, to the clipboard (the
        terminal's, by OSC 52: it works over SSH, and in tmux with `set -g set-clipboard on`)."""
        from pgmtui.app import PgmApp  # the app imports the screens that import this module

        app = self.app
        record_id = self.selected_id
        model = app.model if isinstance(app, PgmApp) else None
        if record_id is None or model is None or model.row(self.kind, record_id) is None:
            app.notify("Nothing selected to copy.", severity="warning")
            return
        text = summary(model, self.kind, record_id)
        app.copy_to_clipboard(text)
        app.notify(text, title="Copied to the clipboard", markup=False)

    # ------------------------------------------------------------------ sorting

    def sort_by(self, key: str | None, reverse: bool = False) -> None:
        self.sort_key, self.sort_reverse = key, reverse
        self.sync(self._rows)
        self.post_message(self.Sorted(self, key, reverse))

    def action_sort_next(self) -> None:
        keys = [c.key for c in self._shown_columns if c.sortable]
        if not keys:
            return
        i = keys.index(self.sort_key) if self.sort_key in keys else -1
        self.sort_by(keys[(i + 1) % len(keys)])

    def action_sort_reverse(self) -> None:
        self.sort_by(self.sort_key or next((c.key for c in self._shown_columns), None), not self.sort_reverse)

    def sort_label(self) -> str:
        label = next((c.label for c in self._all_columns if c.key == self.sort_key), "the given order")
        return f"Sorted by {label}{' (reversed)' if self.sort_reverse else ''}"

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        key = str(event.column_key.value)
        column = next((c for c in self._shown_columns if c.key == key), None)
        if column is None or not column.sortable:
            return
        self.sort_by(key, not self.sort_reverse if key == self.sort_key else False)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        rid = self.selected_id
        if rid is not None:
            self.post_message(self.Opened(self, self.kind, rid))

    def on_resize(self) -> None:
        if self._rows or self._order:
            self.sync(self._rows)

    # ------------------------------------------------------------------ repaint only what changed

    # What the rendered cells depend on, as of the last time DataTable dropped its caches.
    _style_key: tuple[Any, ...] | None = None

    def notify_style_update(self) -> None:
        # Textual re-applies the CSS of a whole screen each time it is shown (a top screen's key),
        # and DataTable then drops every rendered cell: re-rendering a screenful of them cost
        # ~200 ms of a screen's first paint. The cells depend on the table's own style and the
        # CSS (theme) generation; the cursor, hover and focus states are in DataTable's cache keys.
        key = (getattr(self.app, "_css_update_count", None), self.rich_style) if self.is_attached else None
        if key is not None and key == self._style_key:
            Widget.notify_style_update(self)  # the widget's own style caches, not the cells
            return
        self._style_key = key
        super().notify_style_update()

    def update_cell(self, row_key: Any, column_key: Any, value: Any, *, update_width: bool = False) -> None:
        # DataTable.update_cell ends in a full refresh(); repaint the changed cell only.
        self._narrow_cell = (
            None if update_width else (self.get_row_index(row_key), self.get_column_index(column_key))
        )
        try:
            super().update_cell(row_key, column_key, value, update_width=update_width)
        finally:
            self._narrow_cell = None

    def refresh(self, *regions: Any, **kwargs: Any) -> Any:
        cell = self._narrow_cell
        if cell is not None and not regions and not kwargs.get("layout") and not kwargs.get("recompose"):
            self._narrow_cell = None
            row, column = cell
            if column < self.fixed_columns and self.scroll_offset.x:
                self.refresh_row(row)  # a fixed column scrolled sideways: its region is not the cell's
            else:
                self.refresh_coordinate(Coordinate(row, column))
            return self
        return super().refresh(*regions, **kwargs)
