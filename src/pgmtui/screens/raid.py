"""The rest of the RAID log (issues, assumptions, decisions) and the live table they share with the
risk register: rows updated in place, cursor kept on its record across refreshes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from pgmtui.domain.riskmap import RiskFilter, matches
from pgmtui.model import Model
from pgmtui.widgets.badges import literal
from pgmtui.widgets.format import date

RAID_KINDS = ("issue", "assumption", "decision")
RAID_TITLES = {"issue": "Issues", "assumption": "Assumptions", "decision": "Decisions"}
# Statuses in which an item still needs attention (its due date can be overdue).
ACTIVE_STATUSES = {
    "issue": ("open", "in progress"),
    "assumption": ("open",),
    "decision": ("needed", "deferred"),
}
PRIORITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    width: int | None = None  # fixed width (None = fit the content)
    min_screen: int = 0  # shown from this screen width up


class SyncTable(DataTable):
    """A DataTable fed whole lists of rows that updates itself with as little change as possible."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._sig: tuple[Any, ...] = ()
        self._order: list[int] = []
        self._cells: dict[int, dict[str, Any]] = {}
        self._columns_shown: tuple[Col, ...] = ()

    @property
    def order(self) -> list[int]:
        return list(self._order)

    def sync(
        self,
        columns: Sequence[Col],
        rows: Sequence[tuple[int, dict[str, Any]]],
        sort: tuple[str, bool] | None = None,
    ) -> None:
        columns = tuple(columns)
        sig = (tuple((c.key, c.label, c.width) for c in columns), sort)
        order = [rid for rid, _ in rows]
        selected = self.selected_key()
        row_index = self.cursor_row
        if sig != self._sig or order != self._order:
            rebuild_columns = sig != self._sig
            self.clear(columns=rebuild_columns)
            if rebuild_columns:
                for c in columns:
                    label = c.label
                    if sort and sort[0] == c.key:
                        label += " ▲" if sort[1] else " ▼"
                    self.add_column(label, key=c.key, width=c.width)
                self._sig = sig
                self._columns_shown = columns
            for rid, cells in rows:
                self.add_row(*(cells.get(c.key, "") for c in columns), key=str(rid))
            self._order = order
            if selected in order:
                self.move_cursor(row=order.index(selected), animate=False)
            elif order:
                self.move_cursor(row=min(max(row_index, 0), len(order) - 1), animate=False)
        else:
            for rid, cells in rows:
                old = self._cells.get(rid, {})
                for c in columns:
                    new = cells.get(c.key, "")
                    if _sig_of(new) != _sig_of(old.get(c.key, "")):
                        self.update_cell(str(rid), c.key, new)
        self._cells = {rid: cells for rid, cells in rows}

    def selected_key(self) -> int | None:
        if not self._order or not (0 <= self.cursor_row < len(self._order)):
            return None
        return self._order[self.cursor_row]

    def select_key(self, rid: int) -> bool:
        if rid in self._order:
            self.move_cursor(row=self._order.index(rid))
            return True
        return False


def _sig_of(value: Any) -> tuple[str, str]:
    if isinstance(value, Text):
        return (value.plain, str(value.style) + "".join(str(s.style) for s in value.spans))
    return ("" if value is None else str(value), "")


# ---------------------------------------------------------------------- issues / assumptions / decisions


def is_overdue(kind: str, row: dict[str, Any], today: Any) -> bool:
    due = row.get("due_date")
    return bool(due) and row.get("status") in ACTIVE_STATUSES[kind] and str(due) < today.isoformat()


def raid_columns(kind: str, width: int) -> tuple[Col, ...]:
    cols = [
        Col("id", "#", 3),
        Col("project", "Proj", 4),
        Col("title", "Title"),
        Col("owner", "Owner", 14, 90),
        Col("status", "Status", 11),
        Col("priority", "Priority", 8, 100),
        Col("raised", "Raised", 10, 120),
        Col("due", "Due", 12),
    ]
    if kind == "decision":
        cols.append(Col("decided", "Decided", 10, 110))
    shown = [c for c in cols if width >= c.min_screen]
    used = sum((c.width or 0) + 2 for c in shown if c.key != "title") + 2 + 4
    title_w = max(16, width - used)
    return tuple(Col(c.key, c.label, title_w, c.min_screen) if c.key == "title" else c for c in shown)


def raid_cells(kind: str, row: dict[str, Any], model: Model) -> dict[str, Any]:
    overdue = is_overdue(kind, row, model.today)
    due = Text(("! " if overdue else "") + date(row.get("due_date")), style="bold red" if overdue else "")
    status = row.get("status") or ""
    return {
        "id": str(row["id"]),
        "project": literal(model.project_code(row.get("project_id")) or "prog"),
        "title": literal(row.get("title")),
        "owner": literal(row.get("owner") or ""),
        "status": Text(status, style="" if status in ACTIVE_STATUSES[kind] else "dim"),
        "priority": Text(
            row.get("priority") or "", style="bold" if row.get("priority") in ("high", "critical") else ""
        ),
        "raised": date(row.get("raised_date")),
        "due": due,
        "decided": date(row.get("decided_date")),
    }


def raid_sort_key(kind: str, row: dict[str, Any]) -> tuple[Any, ...]:
    active = row.get("status") in ACTIVE_STATUSES[kind]
    return (
        0 if active else 1,
        PRIORITY_RANK.get(row.get("priority") or "", 4),
        row.get("due_date") or "9999-99-99",
        row["id"],
    )


def raid_detail(kind: str, row: dict[str, Any] | None, model: Model) -> Text:
    if row is None:
        return Text(f"No {kind} selected.", style="dim")
    t = Text()
    t.append(f"{kind.capitalize()} #{row['id']} ", style="bold")
    t.append(row.get("title") or "")
    t.append("\n")
    t.append(f"Project {model.project_code(row.get('project_id')) or 'programme-level'}")
    t.append(
        f" · owner {row.get('owner') or '–'} · {row.get('status') or '–'} · priority {row.get('priority') or '–'}"
    )
    t.append(f" · raised {date(row.get('raised_date'))} · due {date(row.get('due_date'))}")
    if is_overdue(kind, row, model.today):
        t.append(" OVERDUE", style="bold red")
    if kind == "decision" and row.get("decided_date"):
        t.append(f" · decided {date(row.get('decided_date'))}")
    t.append(f" · v{row.get('version')} by {row.get('updated_by') or '–'}", style="dim")
    if row.get("description"):
        t.append("\n")
        t.append(row["description"])
    return t


class RaidPane(Vertical):
    """One RAID list (issues, assumptions or decisions) with the highlighted item's detail below."""

    def __init__(self, kind: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="raid-pane")
        self.kind = kind
        self._model: Model | None = None

    def compose(self) -> ComposeResult:
        yield SyncTable(id=f"{self.kind}-table")
        yield Static(id=f"{self.kind}-detail", classes="raid-detail")

    @property
    def table(self) -> SyncTable:
        return self.query_one(SyncTable)

    def rows(self, model: Model, flt: RiskFilter) -> list[dict[str, Any]]:
        rows = [
            r
            for r in model.rows(self.kind)
            if matches(
                r, flt, model.project_code, default_status=None, text_fields=("title", "owner", "description")
            )
        ]
        rows.sort(key=lambda r: raid_sort_key(self.kind, r))
        return rows

    def show(self, model: Model, flt: RiskFilter, width: int) -> None:
        self._model = model
        rows = self.rows(model, flt)
        self.table.sync(
            raid_columns(self.kind, width), [(r["id"], raid_cells(self.kind, r, model)) for r in rows]
        )
        self._show_detail()

    def selected(self) -> dict[str, Any] | None:
        rid = self.table.selected_key()
        return self._model.row(self.kind, rid) if (self._model and rid is not None) else None

    def _show_detail(self) -> None:
        if self._model is not None:
            self.query_one(f"#{self.kind}-detail", Static).update(
                raid_detail(self.kind, self.selected(), self._model)
            )

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()


def toggle_status(kind: str, row: dict[str, Any], today: Any) -> tuple[dict[str, Any], str]:
    """`c` on a RAID item: close an active one, reopen a finished one. Returns (changes, verb)."""
    status = row.get("status")
    if kind == "risk":
        return ({"status": "open"}, "reopened") if status == "closed" else ({"status": "closed"}, "closed")
    if kind == "decision":
        if status in ACTIVE_STATUSES["decision"]:
            changes: dict[str, Any] = {"status": "made"}
            if not row.get("decided_date"):
                changes["decided_date"] = today.isoformat()
            return changes, "marked made"
        return {"status": "needed"}, "reopened"
    if status in ACTIVE_STATUSES[kind]:
        return {"status": "closed"}, "closed"
    return {"status": "open"}, "reopened"
