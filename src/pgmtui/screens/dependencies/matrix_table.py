"""The project × project matrix as a grid with a cell cursor (not a list of records, so not a
RecordTable): rows supply, columns consume."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from pgmtui.screens.dependencies.matrix import Matrix, matrix_row, matrix_totals
from pgmtui.widgets.cells import signature


class DependencyMatrix(DataTable[Any]):
    """Repaints in place: same axes → only the cells that changed; new axes → rebuilt, the cursor
    kept on its pair (or put on the worst cell the first time)."""

    DEFAULT_CSS = """
    DependencyMatrix { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="cell", zebra_stripes=False)
        self.matrix = Matrix([], {})
        self._codes: list[str] = []
        self._shown: dict[tuple[str, str], tuple[Any, ...]] = {}  # cell signatures on screen

    def show(self, matrix: Matrix) -> None:
        old_pair = self.selected_pair()
        self.matrix = matrix
        keys = ["_label", *matrix.codes, "_out"]
        grid = {sup: matrix_row(matrix, sup) for sup in matrix.codes} | {"_in": matrix_totals(matrix)}
        if matrix.codes != self._codes:
            self.clear(columns=True)
            self.add_column(Text("from ↓ to →", style="bold"), key="_label")
            for code in matrix.codes:
                self.add_column(Text(code, style="bold"), key=code)
            self.add_column(Text("out", style="dim"), key="_out")
            for row_key, cells in grid.items():
                self.add_row(*cells, key=row_key)
            self._codes = list(matrix.codes)
            if old_pair and old_pair[0] in matrix.codes and old_pair[1] in matrix.codes:
                self.select_pair(*old_pair)
            elif matrix.codes:
                worst = matrix.worst_pair()
                if worst:
                    self.select_pair(*worst)
                else:
                    self.move_cursor(row=0, column=1)
        else:
            for row_key, cells in grid.items():
                for key, value in zip(keys, cells, strict=True):
                    if self._shown.get((row_key, key)) != signature(value):
                        self.update_cell(row_key, key, value)
        self._shown = {
            (row_key, key): signature(value)
            for row_key, cells in grid.items()
            for key, value in zip(keys, cells, strict=True)
        }

    def selected_pair(self) -> tuple[str, str] | None:
        """(supplier code, consumer code) under the cursor, None on the label/total columns."""
        if not self._codes:
            return None
        row, col = self.cursor_coordinate.row, self.cursor_coordinate.column
        if not (0 <= row < len(self._codes)) or not (1 <= col <= len(self._codes)):
            return None
        return self._codes[row], self._codes[col - 1]

    def select_pair(self, supplier: str, consumer: str) -> None:
        if supplier in self._codes and consumer in self._codes:
            self.move_cursor(row=self._codes.index(supplier), column=self._codes.index(consumer) + 1)
