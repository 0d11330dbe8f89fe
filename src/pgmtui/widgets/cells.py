"""Columns and rows of a record list, free of textual: a screen's `view.py` turns the Model into
`Row`s with these, and `widgets.record_table.RecordTable` shows them. Keeping this half free of
textual lets the views be unit-tested without an app (import-linter holds that line)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.cells import cell_len
from rich.text import Text

from pgmtui.records.fields import kind_named

Cell = Text | str


@dataclass(frozen=True)
class Column:
    """One column of a record list.

    `width` fixes the width; otherwise the column is as wide as its widest value (capped at
    `max_width`). A `flex` column instead shares what the fixed columns leave of the table's width
    (at least `min_width`, at most `max_width`). `min_screen` hides the column on terminals narrower
    than that, so an 80-column terminal keeps the columns that matter.
    """

    key: str
    label: str
    width: int | None = None
    min_screen: int = 0
    flex: bool = False
    min_width: int = 6
    max_width: int | None = None
    numeric: bool = False
    sortable: bool = True

    @classmethod
    def of_field(cls, kind: str, name: str, **options: Any) -> Column:
        """A column labelled from the store's field spec (one label per field, everywhere)."""
        spec = kind_named(kind).field(name)
        return cls(key=name, label=options.pop("label", spec.title), **options)


@dataclass(frozen=True)
class Row:
    """One record in a list: its id, its rendered cells by column key, and optional sort values
    by column key (numbers as numbers; a column without one sorts by its cell's text).

    `group` puts the row in a labelled group (e.g. the supplier project of a dependency): the
    rows of a group stay together, in the order the groups first appear, whatever column the user
    sorts by, and the table shows the group's label beside the first row of each group.

    Rows are values: to change a cell, make a new Row rather than changing `cells` in place (the
    table skips, without comparing, a row whose cells mapping is the very one it shows, so a view
    may hand back unchanged rows cheaply)."""

    id: int
    cells: Mapping[str, Cell]
    sort: Mapping[str, Any] = field(default_factory=dict)
    group: Cell | None = None

    def sort_value(self, key: str) -> Any:
        if key in self.sort:
            return self.sort[key]
        return plain(self.cells.get(key)).lower()


def plain(value: Any) -> str:
    if isinstance(value, Text):
        return value.plain
    return "" if value is None else str(value)


def signature(value: Any) -> tuple[str, str, tuple[tuple[int, int, str], ...]]:
    """What a cell looks like: its text, its style and every styled span. Two cells with the same
    signature render identically, so an unchanged signature needs no repaint."""
    if isinstance(value, Text):
        spans = tuple((s.start, s.end, str(s.style)) for s in value.spans)
        return (value.plain, str(value.style), spans)
    return (plain(value), "", ())


def visible_columns(columns: Sequence[Column], screen_width: int) -> tuple[Column, ...]:
    return tuple(c for c in columns if screen_width >= c.min_screen)


SORT_MARK = 2  # " ▼" after the label of the sorted column


def column_widths(
    columns: Sequence[Column], rows: Sequence[Row], table_width: int, sort_key: str | None = None
) -> dict[str, int]:
    """Explicit widths for every column: fixed ones as given, content ones by their widest value,
    and what is left of `table_width` shared between the flex columns. Every cell is padded by one
    space on each side, which the arithmetic counts."""
    widths: dict[str, int] = {}
    for c in columns:
        if c.flex:
            continue
        label = cell_len(c.label) + (SORT_MARK if c.key == sort_key else 0)
        if c.width is not None:
            widths[c.key] = max(c.width, label)
            continue
        # Terminal cells, not characters: "東京" takes four columns.
        widest = max((cell_len(plain(r.cells.get(c.key))) for r in rows), default=0)
        if c.max_width is not None:
            widest = min(widest, c.max_width)
        widths[c.key] = max(label, widest, 1)
    flexible = [c for c in columns if c.flex]
    if flexible:
        used = sum(w + 2 for w in widths.values()) + 2 * len(flexible)
        share = max(0, table_width - used) // len(flexible)
        for c in flexible:
            label = cell_len(c.label) + (SORT_MARK if c.key == sort_key else 0)
            w = max(c.min_width, label, share)
            widths[c.key] = min(w, c.max_width) if c.max_width else w
    return widths


def sort_rows(rows: Sequence[Row], key: str, reverse: bool) -> list[Row]:
    """Rows ordered by one column, the given order breaking ties; empty values always last."""

    def rank(row: Row) -> tuple[int, Any]:
        value = row.sort_value(key)
        if value is None or value == "":
            return (1, 0)
        if isinstance(value, bool):
            return (0, (0, int(value)))
        if isinstance(value, (int, float)):
            return (0, (0, value))
        return (0, (1, str(value)))

    present = [r for r in rows if rank(r)[0] == 0]
    missing = [r for r in rows if rank(r)[0] == 1]
    present.sort(key=lambda r: rank(r)[1], reverse=reverse)
    return present + missing


def grouped(rows: Sequence[Row]) -> list[list[Row]]:
    """Rows split by `Row.group` (compared by text), groups in the order they first appear.
    Rows without a group form one group of their own."""
    groups: dict[str | None, list[Row]] = {}
    for r in rows:
        key = None if r.group is None else plain(r.group)
        groups.setdefault(key, []).append(r)
    return list(groups.values())


def sort_within_groups(rows: Sequence[Row], key: str, reverse: bool) -> list[Row]:
    """`sort_rows` applied inside each group; the groups keep their order."""
    return [r for group in grouped(rows) for r in sort_rows(group, key, reverse)]


def group_labels(rows: Sequence[Row]) -> list[Text | None]:
    """The row labels that show the groups: the group's label on the first row of each run of
    rows of one group, an empty label on the rest (None for all when no row has a group)."""
    if all(r.group is None for r in rows):
        return [None] * len(rows)
    labels: list[Text | None] = []
    previous: str | None = None
    for i, r in enumerate(rows):
        name = None if r.group is None else plain(r.group)
        if name is not None and (i == 0 or name != previous):
            labels.append(r.group.copy() if isinstance(r.group, Text) else Text(name, style="bold"))
        else:
            labels.append(Text(""))
        previous = name
    return labels
