"""Rows a view builds once and reuses: every record's row for a layout, the columns fitted to all
of them (so filtering does not move the columns), and reuse of the rows of unchanged records on a
live refresh. Free of textual."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from rich.cells import cell_len
from rich.text import Text

from pgmtui.widgets.cells import Cell, Column, Row


@dataclass(frozen=True)
class Prepared:
    """Every record's row for one layout (`key`), in the view's order, and the columns fitted to
    them. Building the cells is the costly part (and, kept alive, what makes Python's garbage
    collector walk the heap), so a screen hands the last Prepared back: filtering reuses it as
    the user types, and a new model rebuilds only the rows whose record changed (`sources` holds
    what each row was made from)."""

    key: Hashable
    rows: dict[int, Row]
    columns: tuple[Column, ...]
    sources: dict[Hashable, Row]

    def reusable(self, key: Hashable) -> dict[Hashable, Row]:
        """Rows that can be reused for a layout: all of them for the same one, none otherwise."""
        return self.sources if key == self.key else {}


@dataclass(frozen=True)
class TableView:
    """What a view's RecordTable shows: its columns and the rows shown, in order (and what they
    were cut from, to hand back next time)."""

    columns: tuple[Column, ...]
    rows: list[Row]
    prepared: Prepared


def fit_columns(columns: Sequence[Column], cells: Iterable[Mapping[str, Cell]]) -> tuple[Column, ...]:
    """Each column fixed to its widest value among ALL records (`cells`), shown or not: filtering
    and grouping do not move the columns."""
    widest = {c.key: len(c.label) for c in columns}
    for row in cells:
        for key, value in row.items():
            if key in widest:
                width = value.cell_len if isinstance(value, Text) else cell_len(value)
                widest[key] = max(widest[key], width)
    return tuple(replace(c, width=widest[c.key]) for c in columns)


def prepare(
    key: Hashable,
    columns: Sequence[Column],
    sources: Iterable[tuple[Hashable, Callable[[], Row]]],
    previous: Prepared | None,
) -> Prepared:
    """Rows made by `(source, make)` pairs, in order, reusing the previous row of an equal source
    (same layout): a live refresh that changed one record makes one row."""
    reuse = previous.reusable(key) if previous is not None else {}
    made: dict[Hashable, Row] = {}
    for source, make in sources:
        made[source] = reuse.get(source) or make()
    if previous is not None and reuse and list(made) == list(reuse):
        return previous  # the very same rows in the same order
    rows = {row.id: row for row in made.values()}
    return Prepared(key, rows, fit_columns(columns, (row.cells for row in rows.values())), made)


SORT_MARK = 2  # the sorted column's " ▼" may widen it: the names give up that room
