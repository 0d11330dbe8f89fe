"""The shape of the programme's dependencies at a glance: a supplier × consumer project matrix.

Rows are the projects that supply, columns the projects that consume (the same projects on both
axes, in the programme's order, so the diagonal holds dependencies inside one project). Each cell
shows how many dependencies run from the row's project to the column's and the worst status among
them, as a glyph AND a colour (●2 = two dependencies, at least one late), so it reads with NO_COLOR
and fits 80 columns for a dozen projects.

Also here: the status glyphs and badges every dependency view shares.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rich.text import Text
from textual.widgets import DataTable

# Worst first: the rank decides the "worst status" of a cell and the board's default order.
STATUS_ORDER = ("late", "at risk", "no dates", "on track", "done")
STATUS_RANK = {s: i for i, s in enumerate(STATUS_ORDER)}
STATUS_GLYPH = {"late": "●", "at risk": "▲", "no dates": "?", "on track": "■", "done": "✓"}
STATUS_SHORT = {"late": "late", "at risk": "risk", "no dates": "n/d", "on track": "ok", "done": "done"}
STATUS_STYLE = {
    "late": "bold white on #c0392b",
    "at risk": "bold black on #f39c12",
    "no dates": "black on #bdc3c7",
    "on track": "bold white on #1e8449",
    "done": "dim",
}


def status_badge(status: str, *, short: bool = False) -> Text:
    """`● late`, `▲ at risk`, `■ on track`, `✓ done`, `? no dates`: glyph, word and colour."""
    word = STATUS_SHORT.get(status, status) if short else status
    return Text(f"{STATUS_GLYPH.get(status, '?')} {word}", style=STATUS_STYLE.get(status, ""))


@dataclass
class Cell:
    count: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    dependency_ids: list[int] = field(default_factory=list)

    @property
    def worst(self) -> str | None:
        if not self.by_status:
            return None
        return min(self.by_status, key=lambda s: STATUS_RANK.get(s, len(STATUS_ORDER)))

    def describe(self) -> str:
        return ", ".join(f"{self.by_status[s]} {s}" for s in STATUS_ORDER if self.by_status.get(s))


@dataclass
class Matrix:
    codes: list[str]  # both axes, in programme order
    cells: dict[tuple[str, str], Cell]

    def cell(self, supplier: str, consumer: str) -> Cell:
        return self.cells.get((supplier, consumer)) or Cell()

    def worst_pair(self) -> tuple[str, str] | None:
        """The cell to look at first: worst status, then most dependencies, then axis order."""
        if not self.cells:
            return None
        pos = {c: i for i, c in enumerate(self.codes)}
        return min(
            self.cells,
            key=lambda k: (
                STATUS_RANK.get(self.cells[k].worst or "", 9),
                -self.cells[k].count,
                pos.get(k[0], 0),
                pos.get(k[1], 0),
            ),
        )

    def supplied(self, code: str) -> int:
        return sum(c.count for (s, _), c in self.cells.items() if s == code)

    def consumed(self, code: str) -> int:
        return sum(c.count for (_, k), c in self.cells.items() if k == code)


def build_matrix(links: Iterable[tuple[int, str, str, str]], project_order: Sequence[str] = ()) -> Matrix:
    """`links` are (dependency id, supplier code, consumer code, status). Projects with no
    dependency are left off both axes; `project_order` orders the rest (unknown codes last)."""
    cells: dict[tuple[str, str], Cell] = {}
    seen: set[str] = set()
    for dep_id, sup, con, status in links:
        c = cells.setdefault((sup, con), Cell())
        c.count += 1
        c.by_status[status] = c.by_status.get(status, 0) + 1
        c.dependency_ids.append(dep_id)
        seen.update((sup, con))
    rank = {code: i for i, code in enumerate(project_order)}
    codes = sorted(seen, key=lambda code: (rank.get(code, len(rank)), code))
    return Matrix(codes, cells)


def cell_text(cell: Cell) -> Text:
    worst = cell.worst
    if worst is None:
        return Text("·", style="dim", justify="center")
    return Text(f"{STATUS_GLYPH[worst]}{cell.count}", style=STATUS_STYLE.get(worst, ""), justify="center")


class DependencyMatrix(DataTable):
    """The matrix as a table with a cell cursor: rows supply, columns consume."""

    DEFAULT_CSS = """
    DependencyMatrix { height: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=False, **kwargs)
        self.matrix = Matrix([], {})
        self._codes: list[str] = []

    def show(self, matrix: Matrix) -> None:
        """Render in place: same axes → only changed cells; new axes → rebuild, cursor kept."""
        old_pair = self.selected_pair()
        self.matrix = matrix
        if matrix.codes != self._codes:
            self.clear(columns=True)
            self.add_column(Text("from ↓ to →", style="bold"), key="_label")
            for code in matrix.codes:
                self.add_column(Text(code, style="bold"), key=code)
            self.add_column(Text("out", style="dim"), key="_out")
            for sup in matrix.codes:
                self.add_row(*self._row(sup), key=sup)
            self.add_row(*self._totals(), key="_in")
            self._codes = list(matrix.codes)
            if old_pair and old_pair[0] in matrix.codes and old_pair[1] in matrix.codes:
                self.move_cursor(
                    row=matrix.codes.index(old_pair[0]), column=matrix.codes.index(old_pair[1]) + 1
                )
            elif matrix.codes:
                worst = matrix.worst_pair()
                if worst:
                    self.select_pair(*worst)
                else:
                    self.move_cursor(row=0, column=1)
        else:
            keys = ["_label", *matrix.codes, "_out"]
            for sup in matrix.codes:
                for key, value in zip(keys, self._row(sup), strict=True):
                    self.update_cell(sup, key, value)
            for key, value in zip(keys, self._totals(), strict=True):
                self.update_cell("_in", key, value)

    def _row(self, sup: str) -> list[Text]:
        m = self.matrix
        return [
            Text(sup, style="bold"),
            *(cell_text(m.cell(sup, con)) for con in m.codes),
            Text(str(m.supplied(sup)), style="dim", justify="right"),
        ]

    def _totals(self) -> list[Text]:
        m = self.matrix
        return [
            Text("in", style="dim"),
            *(Text(str(m.consumed(c)), style="dim", justify="center") for c in m.codes),
            Text(str(sum(c.count for c in m.cells.values())), style="dim", justify="right"),
        ]

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
