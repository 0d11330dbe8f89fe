"""Matrix view (`m`): the shape of the programme's dependencies at a glance, a supplier × consumer
project matrix. Free of textual (the grid widget is `matrix_table.DependencyMatrix`).

Rows are the projects that supply, columns the projects that consume (the same projects on both
axes, in the programme's order, so the diagonal holds dependencies inside one project). Each cell
shows how many dependencies run from the row's project to the column's and the worst status among
them, as a glyph AND a colour (●2 = two dependencies, at least one late), so it reads with NO_COLOR
and fits 80 columns for a dozen projects.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rich.text import Text

from pgmtui.screens.dependencies.view import (
    STATUS_GLYPH,
    STATUS_ORDER,
    STATUS_RANK,
    STATUS_STYLE,
    DepRow,
    default_order,
    status_badge,
)
from pgmtui.widgets.badges import literal
from pgmtui.widgets.format import days


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

    @property
    def total(self) -> int:
        return sum(c.count for c in self.cells.values())


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


def matrix_of(rows: Iterable[DepRow], project_order: Sequence[str]) -> Matrix:
    """The matrix of every dependency (the board's filters do not apply)."""
    return build_matrix(((r.id, r.supplier_code, r.consumer_code, r.status) for r in rows), project_order)


def cell_text(cell: Cell) -> Text:
    worst = cell.worst
    if worst is None:
        return Text("·", style="dim", justify="center")
    return Text(f"{STATUS_GLYPH[worst]}{cell.count}", style=STATUS_STYLE.get(worst, ""), justify="center")


def matrix_row(matrix: Matrix, supplier: str) -> list[Text]:
    """One supplier's row: its code, a cell per consumer, how many it supplies."""
    return [
        Text(supplier, style="bold"),
        *(cell_text(matrix.cell(supplier, con)) for con in matrix.codes),
        Text(str(matrix.supplied(supplier)), style="dim", justify="right"),
    ]


def matrix_totals(matrix: Matrix) -> list[Text]:
    """The last row: how many each project consumes, and the total."""
    return [
        Text("in", style="dim"),
        *(Text(str(matrix.consumed(c)), style="dim", justify="center") for c in matrix.codes),
        Text(str(matrix.total), style="dim", justify="right"),
    ]


def matrix_legend() -> Text:
    legend = Text("Rows supply, columns need. ", style="dim")
    for s in STATUS_ORDER:
        legend.append(f"{STATUS_GLYPH[s]} {s}  ", style="dim")
    legend.append("(worst shown) · enter lists them", style="dim")
    return legend


def matrix_panel(matrix: Matrix, pair: tuple[str, str] | None, rows: Mapping[int, DepRow]) -> list[Text]:
    """The legend, then the selected cell: how many dependencies, by status, and each of them."""
    legend = matrix_legend()
    if pair is None:
        return [legend]
    cell = matrix.cell(*pair)
    t = Text(f"{pair[0]} → {pair[1]}: ", style="bold")
    t.append(f"{cell.count} dependenc{'y' if cell.count == 1 else 'ies'}")
    if cell.count:
        t.append(f" ({cell.describe()})")
    lines = [legend, t]
    for r in sorted((rows[i] for i in cell.dependency_ids if i in rows), key=default_order):
        line = Text("  ")
        line.append_text(status_badge(r.status, short=True))
        line.append(f" {days(r.slack):>5}  ")
        line.append_text(literal(r.supplier_name))
        line.append(" → ")
        line.append_text(literal(r.consumer_name))
        lines.append(line)
    return lines
