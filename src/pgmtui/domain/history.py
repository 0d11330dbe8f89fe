"""Rewinding rows through the audit log: "what was this value at the last stand-up?", "what did
the plan say at the last board?".

Audit rows (ts, user, tbl, row_id, action, changes) record, per write, each changed field as
``{"field": [old, new]}`` (old is null on insert, new is null on delete). Undoing the writes made
after a moment, newest first, gives the row as it was at that moment; no snapshots are needed.

This is the one implementation of the rewind: the stand-up and the highlight report rewind to the
start of their window (:func:`rewind`), time travel (`--as-of`, `T`) rewinds a whole database to
an instant (the store writes what :class:`Rewind` gives into a copy), and the weekly trend walks
back week by week with one :class:`Rewind` (each step undoes only that week's writes).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, cast

__all__ = [
    "LINKED",
    "Rewind",
    "parse_changes",
    "rewind",
    "stamps_at",
    "table_at",
    "value_at",
]

# Link lists travel in their owner's audit rows under the field's name: table → (link table, field).
LINKED: dict[str, tuple[str, str]] = {
    "benefit": ("benefit_project", "projects"),
    "stakeholder": ("stakeholder_project", "projects"),
}


def parse_changes(changes: Any) -> dict[str, tuple[Any, Any]]:
    """Parse an audit row's ``changes`` into {field: (old, new)}.

    Lenient on purpose: a stand-up view must not fail because one audit row is malformed, so text
    that is not a JSON object gives {}, and entries that are not [old, new] pairs are skipped.
    """
    if changes is None or changes == "":
        return {}
    if isinstance(changes, (str, bytes)):
        try:
            changes = json.loads(changes)
        except ValueError:
            return {}
    if not isinstance(changes, Mapping):
        return {}
    out: dict[str, tuple[Any, Any]] = {}
    for name, pair in changes.items():
        if isinstance(pair, (list, tuple)) and len(pair) == 2:
            out[str(name)] = (pair[0], pair[1])
    return out


def _order(audit_row: Mapping[str, Any]) -> tuple[str, int]:
    # ts is ISO text (sorts as time); id breaks ties between writes in the same instant.
    return (str(audit_row.get("ts") or ""), audit_row.get("id") or 0)


def _newest_first(audit_rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(audit_rows, key=_order, reverse=True)


def _rewind(state: dict[str, Any] | None, audit_row: Mapping[str, Any]) -> dict[str, Any] | None:
    """Undo one write. `state` is the row after it (None: absent) and may be changed in place."""
    action = audit_row.get("action")
    changes = parse_changes(audit_row.get("changes"))
    if action == "insert":
        return None  # before its insert the row did not exist
    if action == "delete":
        # The delete recorded every field's last value as "old": that is the row before it.
        restored = {name: old for name, (old, _new) in changes.items()}
        if "id" not in restored and audit_row.get("row_id") is not None:
            restored["id"] = audit_row["row_id"]
        return restored
    if action == "update":
        if state is None:  # inconsistent log (update of a row we think absent): keep what we learn
            state = {}
            if audit_row.get("row_id") is not None:
                state["id"] = audit_row["row_id"]
        for name, (old, _new) in changes.items():
            state[name] = old
    return state


def value_at(
    current: Mapping[str, Any] | None, audit_rows_after_ts: Iterable[Mapping[str, Any]]
) -> dict[str, Any] | None:
    """The row as it was at an earlier moment T.

    ``current`` is the row now (None if it has since been deleted); ``audit_rows_after_ts`` are
    this row's audit rows with ts > T, in any order. Returns a new dict (inputs are not touched),
    or None when the row did not exist at T (its insert is newer than T, or it is gone and the
    log shows no delete after T).
    """
    state = dict(current) if current is not None else None
    for audit_row in _newest_first(audit_rows_after_ts):
        state = _rewind(state, audit_row)
    return state


def table_at(
    current_rows: Iterable[Mapping[str, Any]],
    audit_rows_after_ts: Iterable[Mapping[str, Any]],
    tbl: str | None = None,
) -> dict[int, dict[str, Any]]:
    """Every row of one table as it was at T, by id: rewinds the lot in one pass.

    Audit rows for other tables are ignored when ``tbl`` is given. Rows deleted since T come back;
    rows inserted since T are absent.
    """
    now = {int(r["id"]): r for r in current_rows}
    by_row: dict[int, list[Mapping[str, Any]]] = {}
    for a in audit_rows_after_ts:
        if tbl is not None and a.get("tbl") != tbl:
            continue
        by_row.setdefault(int(a["row_id"]), []).append(a)
    out: dict[int, dict[str, Any]] = {rid: dict(r) for rid, r in now.items() if rid not in by_row}
    for rid, rows in by_row.items():
        before = value_at(now.get(rid), rows)
        if before is not None:
            out[rid] = before
    return out


class Rewind:
    """A whole database walked back through its audit trail, newest write first.

    Give it the tables as they are now (table → rows), the programme row, the link tables
    ({link table: {owner id: [ids]}}) and the audit rows to undo (any order). ``back_to(ts)``
    undoes every write newer than ``ts`` not undone yet, so a walk week by week undoes each write
    once. Rows are copied the first time a step changes them: the caller's rows are never touched
    (the live Model shares them). Rows of tables with link lists (``LINKED``) carry their list as a
    field (``rows("benefit")[5]["projects"]``), because it is rewound with its owner.
    """

    def __init__(
        self,
        tables: Mapping[str, Iterable[Mapping[str, Any]]],
        programme: Mapping[str, Any] | None,
        links: Mapping[str, Mapping[int, list[int]]] | None,
        audit_rows: Iterable[Mapping[str, Any]],
        *,
        linked: Mapping[str, tuple[str, str]] = LINKED,
    ) -> None:
        self._linked = dict(linked)
        now_links = links or {}
        # Rows are the caller's (shared, never changed) until a step changes them: then a copy, owned.
        self._rows: dict[str, dict[int, Mapping[str, Any]]] = {}
        self._owned: set[tuple[str, int]] = set()
        for table, rows in tables.items():
            if table in self._linked:
                link_table, name = self._linked[table]
                owned = now_links.get(link_table, {})
                by_id = {int(r["id"]): {**r, name: sorted(owned.get(r["id"], []))} for r in rows}
                self._owned.update((table, rid) for rid in by_id)
                self._rows[table] = dict(by_id)
            else:
                self._rows[table] = {int(r["id"]): r for r in rows}
        # Given as a row, the programme is the one with that id; given in `tables` (a whole copy of
        # the database), "programme" is a table like the others.
        self._programme_id = int(programme["id"]) if programme and programme.get("id") is not None else None
        if programme is not None and self._programme_id is not None:
            self._rows["programme"] = {self._programme_id: dict(programme)}
            self._owned.add(("programme", self._programme_id))
        self._audit = _newest_first(audit_rows)
        self._next = 0
        self._unsorted: set[str] = set()  # tables where a row came back out of id order
        self._lists: dict[str, list[Mapping[str, Any]]] = {}  # tables() per table, until it changes
        self.moment: str | None = None  # None: now (nothing undone yet)

    def back_to(self, ts: str | None = None) -> set[tuple[str, int]]:
        """Undo the writes newer than ``ts`` (None: every write given) that are not undone yet.

        Returns the (table, id) of every row this step changed. Moments must not go forwards."""
        if ts is not None and self.moment is not None and ts > self.moment:
            raise ValueError(f"a rewind only goes back: {ts} is after {self.moment}")
        audit = self._audit
        changed: set[tuple[str, int]] = set()
        i = self._next
        while i < len(audit):
            a = audit[i]
            if ts is not None and str(a.get("ts") or "") <= ts:
                break
            i += 1
            table_name = str(a.get("tbl"))
            if a.get("row_id") is None:
                continue
            rid = int(a["row_id"])
            if table_name == "programme" and self._programme_id is not None and rid != self._programme_id:
                continue  # one programme per database: another id is not ours
            table = self._rows.setdefault(table_name, {})
            key = (table_name, rid)
            current = table.get(rid)
            state: dict[str, Any] | None = None
            if current is not None:
                state = cast(dict[str, Any], current) if key in self._owned else dict(current)
            before = _rewind(state, a)
            if before is None:
                table.pop(rid, None)
            else:
                if current is None:
                    self._unsorted.add(table_name)
                table[rid] = before
                self._owned.add(key)
            changed.add(key)
            self._lists.pop(table_name, None)
        self._next = i
        self.moment = ts if ts is not None else self.moment
        return changed

    def table_names(self) -> list[str]:
        """Every table the rewind knows: those given, and those only its audit rows named."""
        return [t for t in self._rows if t != "programme"]

    def rows(self, table: str) -> dict[int, Mapping[str, Any]]:
        """One table's rows by id (in id order), link lists included as fields."""
        rows = self._rows.get(table, {})
        if table in self._unsorted:
            rows = self._rows[table] = dict(sorted(rows.items()))
            self._unsorted.discard(table)
        return rows

    def tables(self, names: Iterable[str] | None = None) -> dict[str, list[Mapping[str, Any]]]:
        """Every table (or those named) as lists of rows in id order, as the store reads them:
        without the link-list fields (see ``links``) and without the programme."""
        out: dict[str, list[Mapping[str, Any]]] = {}
        for table in self._rows if names is None else names:
            if table == "programme":
                continue
            listed = self._lists.get(table)
            if listed is None:
                rows = self.rows(table)
                if table in self._linked:
                    name = self._linked[table][1]
                    listed = [{k: v for k, v in r.items() if k != name} for r in rows.values()]
                else:
                    listed = list(rows.values())
                self._lists[table] = listed
            out[table] = listed
        return out

    def links(self) -> dict[str, dict[int, list[int]]]:
        """Every link table at the moment, {link table: {owner id: [ids]}}."""
        out: dict[str, dict[int, list[int]]] = {}
        for table, (link_table, name) in self._linked.items():
            out[link_table] = {
                rid: sorted(r.get(name) or []) for rid, r in self.rows(table).items() if r.get(name)
            }
        return out

    def programme(self) -> dict[str, Any] | None:
        """The programme row at the moment (None when it did not exist yet)."""
        if self._programme_id is None:
            return None
        row = self._rows.get("programme", {}).get(self._programme_id)
        return dict(row) if row is not None else None


def rewind(
    tables: Mapping[str, Iterable[Mapping[str, Any]]],
    programme: Mapping[str, Any] | None,
    benefit_links: Mapping[int, list[int]],
    audit_rows: Iterable[Mapping[str, Any]],
    *,
    links: Mapping[str, Mapping[int, list[int]]] | None = None,
    table_names: Iterable[str] = (),
) -> tuple[dict[str, dict[int, dict[str, Any]]], dict[str, Any] | None, dict[int, list[int]]]:
    """Every table, the programme row and the benefit→project links as they were before ``audit_rows``.

    Rows of tables with link lists (LINKED) carry them as a field: then["benefit"][id]["projects"],
    then["stakeholder"][id]["projects"] (from ``links["stakeholder_project"]`` now, rewound).
    ``table_names`` are tables to include even when empty."""
    r = Rewind(tables, programme, {**(links or {}), "benefit_project": benefit_links}, audit_rows)
    r.back_to(None)
    then: dict[str, dict[int, dict[str, Any]]] = {}
    for t in (*table_names, *(t for t in tables if t not in table_names)):
        then[t] = {rid: dict(row) for rid, row in r.rows(t).items()}
    for t in r.table_names():  # tables known only from the audit rows (rows deleted since)
        if t not in then:
            then[t] = {rid: dict(row) for rid, row in r.rows(t).items()}
    benefit_links_then = {
        bid: list(row.get("projects") or []) for bid, row in then.get("benefit", {}).items()
    }
    return then, r.programme(), benefit_links_then


def stamps_at(
    audit_rows_until_ts: Iterable[Mapping[str, Any]],
    current: Mapping[str, Any] | None = None,
    updates_after_ts: int = 0,
) -> dict[str, Any]:
    """A row's bookkeeping at T (version, created_at, updated_at, updated_by), from its audit rows
    up to T: every insert or update bumped the version by one, so counting them from the last
    insert gives the version then, and the newest of them says who wrote it last and when.

    When the log does not reach back to the row's insert (an older database), the version is the
    current one less the updates made since T (``updates_after_ts``), never below 1."""
    version = 0
    created_at: Any = None
    updated_at: Any = None
    updated_by: Any = None
    inserted = False
    for a in sorted(audit_rows_until_ts, key=_order):
        action = a.get("action")
        if action == "insert":
            version, created_at, inserted = 1, a.get("ts"), True
        elif action == "update":
            version += 1
        elif action == "delete":
            version, created_at, inserted = 0, None, False
            continue
        updated_at, updated_by = a.get("ts"), a.get("user")
    if not inserted and current is not None:
        version = max(1, int(current.get("version") or 1) - updates_after_ts)
        created_at = current.get("created_at")
    version = max(1, version)
    return {
        "version": version,
        "created_at": created_at or updated_at,
        "updated_at": updated_at or created_at,
        "updated_by": updated_by if updated_by is not None else (current or {}).get("updated_by"),
    }
