"""Dependency board view: the Model turned into the board's rows, its summary line and the status
badges every dependency view shares. Free of textual (unit-tested without an app)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pendulum
from rich.text import Text

from pgmtui.model import Model
from pgmtui.screens.dependencies.prepared import SORT_MARK, Prepared, TableView, prepare
from pgmtui.widgets.badges import RagStyles, literal
from pgmtui.widgets.cells import Column, Row
from pgmtui.widgets.format import days

DEPENDENCY_FORM_FIELDS = ("supplier", "consumer", "type", "lag_days", "owner", "note")

# Worst first: the rank decides a matrix cell's "worst status" and the board's default order.
STATUS_ORDER = ("late", "at risk", "no dates", "on track", "done")
STATUS_RANK = {s: i for i, s in enumerate(STATUS_ORDER)}
STATUS_GLYPH = {"late": "●", "at risk": "▲", "no dates": "?", "on track": "■", "done": "✓"}
STATUS_SHORT = {"late": "late", "at risk": "risk", "no dates": "n/d", "on track": "ok", "done": "done"}
STATUS_STYLE = RagStyles(
    {"late": "R", "at risk": "A", "on track": "G"}, {"no dates": "black on #bcbcbc", "done": "dim"}
)

GROUPINGS = ("none", "supplier", "consumer")
STATUS_FILTERS = ("all", *STATUS_ORDER)
# What people type after `status:` in the filter box.
STATUS_WORDS = {
    "late": "late",
    "risk": "at risk",
    "at-risk": "at risk",
    "atrisk": "at risk",
    "ok": "on track",
    "on-track": "on track",
    "ontrack": "on track",
    "track": "on track",
    "done": "done",
    "nd": "no dates",
    "n/d": "no dates",
    "nodates": "no dates",
    "no-dates": "no dates",
}
UNRANKED = 1 << 30  # sorts after every real rank or slack


def status_badge(status: str, *, short: bool = False) -> Text:
    """`● late`, `▲ at risk`, `■ on track`, `✓ done`, `? no dates`: glyph, word and colour."""
    word = STATUS_SHORT.get(status, status) if short else status
    return Text(f"{STATUS_GLYPH.get(status, '?')} {word}", style=STATUS_STYLE.get(status, ""))


# ---------------------------------------------------------------------------------- formatting


def fmt_date(value: Any, short: bool) -> str:
    """`21 Feb 27` (short) or `2027-02-21`; `–` when there is no date."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        value = pendulum.Date.fromisoformat(value[:10])
    return str(value.format("DD MMM YY")) if short else str(value.isoformat())


def clip(text: str, width: int) -> Text:
    """Record text as a literal, cut to `width` cells with an ellipsis."""
    t = literal(text)
    if width > 0 and t.cell_len > width:
        t.truncate(width - 1)
        t.append("…")
    return t


def slack_text(value: int | None) -> Text:
    if value is None:
        return Text("–", style="dim")
    return Text(days(value), style="bold" if value < 0 else "", justify="right")


# ---------------------------------------------------------------------------------- the rows


@dataclass(frozen=True)
class DepRow:
    """One dependency as the board shows it."""

    id: int
    supplier_id: int
    consumer_id: int
    supplier_project: int | None
    consumer_project: int | None
    supplier_code: str
    consumer_code: str
    supplier_name: str
    consumer_name: str
    type: str
    lag: int
    forecast: pendulum.Date | None  # supplier's date (its actual once delivered)
    need_by: pendulum.Date | None  # consumer's date − lag: the supplier must be there by then
    slack: int | None
    status: str
    owner: str
    note: str
    supplier_done: bool

    @property
    def supplier(self) -> str:
        return f"{self.supplier_code}:{self.supplier_name}"

    @property
    def consumer(self) -> str:
        return f"{self.consumer_code}:{self.consumer_name}"

    @property
    def type_lag(self) -> str:
        return f"{self.type}{self.lag:+d}" if self.lag else self.type

    def haystack(self) -> str:
        return " ".join((self.supplier, self.consumer, self.owner, self.note, self.type)).lower()


def board_rows(model: Model) -> list[DepRow]:
    """One row per dependency, from the model's slack (the rollup's, so the portfolio agrees)."""
    snap = model.snapshot
    ms = {m.id: m for m in snap.milestones}
    codes = {p.id: p.code for p in snap.projects}
    deps = {d.id: d for d in snap.dependencies}
    out = []
    for ds in model.rollup.dependencies:
        d = deps.get(ds.dependency_id)
        sup, con = ms.get(ds.supplier_id), ms.get(ds.consumer_id)
        if d is None or sup is None or con is None:
            continue
        con_date = con.finish
        out.append(
            DepRow(
                id=d.id,
                supplier_id=sup.id,
                consumer_id=con.id,
                supplier_project=sup.project_id,
                consumer_project=con.project_id,
                supplier_code=codes.get(sup.project_id, "?"),
                consumer_code=codes.get(con.project_id, "?"),
                supplier_name=sup.name,
                consumer_name=con.name,
                type=d.type,
                lag=d.lag_days or 0,
                forecast=sup.finish,
                need_by=None if con_date is None else con_date.add(days=-(d.lag_days or 0)),
                slack=ds.slack,
                status=ds.status,
                owner=d.owner or "",
                note=d.note or "",
                supplier_done=sup.done,
            )
        )
    return out


def default_order(r: DepRow) -> tuple[int, int, int]:
    """Late first, then at risk, …, done last; tightest slack first within a status."""
    return (STATUS_RANK.get(r.status, 9), r.slack if r.slack is not None else UNRANKED, r.id)


def matches(r: DepRow, query: str) -> bool:
    """Words must all match; `status:late`, `p:IAM` (either end), `from:IAM`, `to:ERP`, `owner:ben`."""
    for word in query.lower().split():
        key, sep, value = word.partition(":")
        if sep and key in ("status", "s"):
            wanted = STATUS_WORDS.get(value, value)
            if not r.status.startswith(wanted):
                return False
        elif sep and key in ("p", "project"):
            if value not in (r.supplier_code.lower(), r.consumer_code.lower()):
                return False
        elif sep and key in ("from", "supplier"):
            if r.supplier_code.lower() != value:
                return False
        elif sep and key in ("to", "consumer"):
            if r.consumer_code.lower() != value:
                return False
        elif sep and key == "owner":
            if value not in r.owner.lower():
                return False
        elif word not in r.haystack():
            return False
    return True


@dataclass(frozen=True)
class BoardFilter:
    """What the board shows: a status (`f`), a project at either end (`p`), the `/` text, and the
    grouping (`b`)."""

    status: str = "all"
    project: str = ""
    text: str = ""
    grouping: str = "none"

    @property
    def narrowed(self) -> bool:
        return self.status != "all" or bool(self.project) or bool(self.text)

    def group_of(self, r: DepRow) -> str | None:
        if self.grouping == "supplier":
            return r.supplier_code
        if self.grouping == "consumer":
            return r.consumer_code
        return None


def visible_rows(
    rows: Iterable[DepRow], board: BoardFilter, project_order: Sequence[str] = ()
) -> list[DepRow]:
    """The dependencies the board shows, in its order: late first (see `default_order`), or by
    group (projects in programme order, unknown codes last) and late first within a group."""
    shown = [
        r
        for r in rows
        if (board.status == "all" or r.status == board.status)
        and (not board.project or board.project in (r.supplier_code, r.consumer_code))
        and matches(r, board.text)
    ]
    if board.grouping == "none":
        shown.sort(key=default_order)
    else:
        rank = {code: i for i, code in enumerate(project_order)}

        def by_group(r: DepRow) -> tuple[int, str, tuple[int, int, int]]:
            code = board.group_of(r) or ""
            return (rank.get(code, UNRANKED), code, default_order(r))

        shown.sort(key=by_group)
    return shown


def project_cycle(rows: Iterable[DepRow], project_order: Sequence[str], current: str) -> str:
    """The next project filter for `p`: every project at either end of a dependency, in programme
    order, then back to none ("")."""
    rows = list(rows)
    codes = sorted({r.supplier_code for r in rows} | {r.consumer_code for r in rows})
    rank = {code: i for i, code in enumerate(project_order)}
    codes.sort(key=lambda c: (rank.get(c, UNRANKED), c))
    choices = ["", *codes]
    i = choices.index(current) if current in choices else 0
    return choices[(i + 1) % len(choices)]


# ---------------------------------------------------------------------------------- board table

# Columns drop as the terminal narrows: below 100 the type, below 130 the owner. Every column is
# as wide as its widest value: the view cuts supplier and consumer names to what the width leaves.
BOARD_COLUMNS = (
    Column("status", "Status"),
    Column("slack", "Slack"),
    Column.of_field("dependency", "supplier", label="Supplier"),
    Column.of_field("dependency", "consumer", label="Consumer"),
    Column.of_field("dependency", "type", label="Type", min_screen=100),
    Column("forecast", "Forecast"),
    Column("need", "Need by"),
    Column.of_field("dependency", "owner", label="Owner", min_screen=130),
)


@dataclass(frozen=True)
class BoardLayout:
    """Formats and clip widths for a terminal width."""

    short_dates: bool  # `21 Feb 27` rather than `2027-02-21` (below 110 columns)
    short_status: bool  # `▲ risk` rather than `▲ at risk` (below 120 columns)
    name_width: int  # supplier and consumer are cut to this many cells
    owner_width: int = 16


def board_layout(width: int, grouped: bool, sorted_by_column: bool = False) -> BoardLayout:
    """Share what the fixed columns leave between supplier and consumer (at least 12 each).

    Fixed widths: status 6 (10 from 120 columns), slack 5, type 5, dates 9 (10 from 110), owner 16;
    each column is padded by a space on both sides, 3 cells go to the scrollbar and edges, a
    grouped board gives 6 to the group label and a sorted one 2 to the sort mark."""
    short = width < 110
    status_w = 6 if width < 120 else 10
    date_w = 9 if short else 10
    fixed = [status_w, 5, date_w, date_w]
    if width >= 100:
        fixed.append(5)  # type
    if width >= 130:
        fixed.append(16)  # owner
    n_columns = len(fixed) + 2
    used = sum(fixed) + 2 * n_columns + 3 + (6 if grouped else 0) + (SORT_MARK if sorted_by_column else 0)
    return BoardLayout(short, status_w < 10, max(12, (width - used) // 2))


def board_cells(r: DepRow, layout: BoardLayout) -> dict[str, Text]:
    """The rendered cells of one dependency. Record text goes through `literal` (never markup)."""
    delivered = "✓" if r.supplier_done else ""
    return {
        "status": status_badge(r.status, short=layout.short_status),
        "slack": slack_text(r.slack),
        "supplier": clip(r.supplier, layout.name_width),
        "consumer": clip(r.consumer, layout.name_width),
        "type": Text(r.type_lag),
        "forecast": Text(
            fmt_date(r.forecast, layout.short_dates) + delivered, style="dim" if r.supplier_done else ""
        ),
        "need": Text(fmt_date(r.need_by, layout.short_dates)),
        "owner": clip(r.owner, layout.owner_width),
    }


def board_sort_values(r: DepRow) -> dict[str, Any]:
    """What each column sorts by: worst status first (ties keep the board's order, tightest slack
    first), slack as a number, dates as dates."""
    return {
        "status": STATUS_RANK.get(r.status, 9),
        "slack": r.slack,
        "supplier": r.supplier.lower(),
        "consumer": r.consumer.lower(),
        "type": r.type_lag,
        "forecast": r.forecast.isoformat() if r.forecast else None,
        "need": r.need_by.isoformat() if r.need_by else None,
        "owner": r.owner.lower() or None,
    }


def prepare_board(deps: Iterable[DepRow], layout: BoardLayout, previous: Prepared | None = None) -> Prepared:
    """Every dependency's row for a layout (a DepRow is a value: an equal one reuses its row)."""

    def maker(r: DepRow) -> Callable[[], Row]:
        return lambda: Row(r.id, board_cells(r, layout), board_sort_values(r))

    return prepare(layout, BOARD_COLUMNS, ((r, maker(r)) for r in deps), previous)


def board_table(
    deps: Iterable[DepRow],
    board: BoardFilter,
    width: int,
    project_order: Sequence[str] = (),
    *,
    sorted_by_column: bool = False,
    prepared: Prepared | None = None,
) -> TableView:
    """The board for a terminal width: columns fitted to every dependency, and the rows that
    pass the filter in the board's order (see `visible_rows`), labelled by group when grouped.
    `prepared` is the last result's: its rows are reused for unchanged dependencies."""
    deps = list(deps)
    layout = board_layout(width, board.grouping != "none", sorted_by_column)
    prepared = prepare_board(deps, layout, prepared)
    rows = []
    for r in visible_rows(deps, board, project_order):
        row, group = prepared.rows[r.id], board.group_of(r)
        rows.append(row if group is None else replace(row, group=Text(group, style="bold")))
    return TableView(prepared.columns, rows, prepared)


# ---------------------------------------------------------------------------------- summary line

VIEW_TITLES = {"board": "board", "critical": "critical path", "matrix": "matrix", "roadmap": "roadmap"}


def status_counts(rows: Iterable[DepRow]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    return counts


def summary_text(
    model: Model,
    rows: Sequence[DepRow],
    *,
    view: str,
    board: BoardFilter,
    shown: int,
    nudge: int = 0,
) -> Text:
    """Two lines above the view: counts by status and the programme end, then the view, what it
    is narrowed to and any what-if (`shown` is how many dependencies the board lists)."""
    counts = status_counts(rows)
    t = Text(no_wrap=False)
    t.append(f"{len(rows)} deps ", style="bold")
    for s in STATUS_ORDER:
        if counts.get(s) or s in ("late", "at risk"):
            t.append_text(Text(f" {STATUS_GLYPH[s]} {counts.get(s, 0)} {s} ", style=STATUS_STYLE[s]))
            t.append(" ")
    cp = model.critical
    t.append(" │ end ", style="bold")
    t.append(cp.end_date.isoformat() if cp.end_date else "–")
    t.append("\n")
    t.append("View ", style="bold")
    t.append(VIEW_TITLES.get(view, view))
    if view == "critical":
        t.append(f" · chain of {len(cp.chain)} · {len(cp.critical)} critical · ")
        t.append(f"{len(cp.near_critical)} near-critical (float ≤ {cp.near_critical_days}d)")
    if view == "board":
        if shown != len(rows):
            t.append(f" ({shown} of {len(rows)})")
        if board.grouping != "none":
            t.append(f" · by {board.grouping}")
    if board.status != "all":
        t.append(" · status ", style="bold")
        t.append(board.status)
    if board.project:
        t.append(" · project ", style="bold")
        t.append_text(literal(board.project))
    if board.text:
        t.append(" · filter ", style="bold")
        t.append_text(literal(board.text))
    if nudge:
        t.append("  ")
        t.append(f" WHAT-IF {nudge:+d}d, not saved ", style="bold black on #5dade2")
    return t
