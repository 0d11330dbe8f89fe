"""DataTable for live screens: a cell update repaints its row, not the whole table."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable


class LiveDataTable(DataTable):
    """`DataTable.update_cell` ends in a full `refresh()`, so one changed figure resends the whole
    visible table to the terminal (about 20 KB over SSH for the large portfolio). Here an update
    without a width change repaints only its row (about 4 KB for the whole screen's change)."""

    _narrow_row: int | None = None

    def update_cell(self, row_key: Any, column_key: Any, value: Any, *, update_width: bool = False) -> None:
        self._narrow_row = None if update_width else self.get_row_index(row_key)
        try:
            super().update_cell(row_key, column_key, value, update_width=update_width)
        finally:
            self._narrow_row = None

    def refresh(self, *regions: Any, **kwargs: Any) -> Any:
        row = self._narrow_row
        if row is not None and not regions and not kwargs.get("layout") and not kwargs.get("recompose"):
            self._narrow_row = None
            self.refresh_row(row)
            return self
        return super().refresh(*regions, **kwargs)
