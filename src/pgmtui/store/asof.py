"""Time travel: the database as it stood at an earlier instant, rebuilt from its audit trail.

`Store.as_of(ts)` copies the database into memory (SQLite's backup: a page copy, tens of
milliseconds for the large demo) and, in the copy, undoes every write newer than `ts` — only the
rows those writes touched are rewritten, by the one rewind (pgmtui.domain.history.Rewind). The
copy's audit trail ends at `ts` too, so everything read from it (rollups, the stand-up, a risk's
score history, full-text search through the same triggers) answers as the database stood then.
The copy is read-only: nothing can be written into the past.

`history_since(ts)` reads the audit rows after an instant quickly (the weekly trend walks back
through them). A mixin of :class:`pgmtui.store.db.Store`.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pgmtui.domain.history import Rewind, stamps_at
from pgmtui.records.fields import KINDS

if TYPE_CHECKING:
    from pathlib import Path

    from pgmtui.store.db import Store, _GuardedLock

_CHUNK = 500  # ids per `IN (…)` (SQLite allows 32 766 variables; short statements stay fast)
_STAMPS = ("version", "created_at", "updated_at", "updated_by")
# Every record table, programme included, with its link tables: table → {field: (link table, own
# column, other column)}.
_TABLES: dict[str, dict[str, tuple[str, str, str]]] = {k.table: dict(k.links) for k in KINDS.values()}
# What history.Rewind needs to carry link lists on their owner rows: table → (link table, field).
_LINKED: dict[str, tuple[str, str]] = {
    table: (link_table, name)
    for table, links in _TABLES.items()
    for name, (link_table, _, _) in links.items()
}


class AsOfMixin:
    _conn: sqlite3.Connection
    _lock: _GuardedLock
    path: Path
    read_only: bool

    as_of_ts: str | None = None
    """The instant (audit timestamp text) a copy made by `as_of` stands at; None: the live database."""

    def history_since(self, ts: str, *, upto_id: int | None = None) -> list[dict[str, Any]]:
        """Audit rows newer than `ts` (id, ts, user, tbl, row_id, action, changes decoded),
        newest first. Faster than `audit()` for tens of thousands of rows (tuples, no Row objects).
        `upto_id`: only rows with an id up to it (the audit as it stood when a Model was read)."""
        with self._lock:
            cur = self._conn.cursor()
            cur.row_factory = None
            cur.execute(
                "SELECT id, ts, user, tbl, row_id, action, changes FROM audit WHERE ts > ? AND id <= ? "
                "ORDER BY ts DESC, id DESC",
                (ts, upto_id if upto_id is not None else 2**63 - 1),
            )
            return [_audit_dict(row) for row in cur]

    def history_start(self) -> str | None:
        """The timestamp of the oldest audit row (None: no history at all)."""
        with self._lock:
            row = self._conn.execute("SELECT min(ts) FROM audit").fetchone()
            return row[0] if row else None

    def as_of(self, ts: str) -> Store:
        """A read-only copy of the database as it stood at `ts` (audit timestamp text, e.g.
        ``2026-11-20T23:59:59.999999Z``): the rows then, the links then, the audit trail up to
        then. Close it when done (it lives in memory)."""
        from pgmtui.store.db import Store

        copy = sqlite3.connect(":memory:", check_same_thread=False)
        try:
            with self._lock:
                self._conn.backup(copy)
            copy.isolation_level = None
            _rewind_copy(copy, ts)
            copy.row_factory = sqlite3.Row
            copy.execute("PRAGMA foreign_keys = ON")
            copy.execute("PRAGMA query_only = ON")  # the past cannot be written
        except BaseException:
            copy.close()
            raise
        store = Store(copy, self.path, True, [])
        store.as_of_ts = ts
        return store


def _audit_dict(row: tuple[Any, ...], *, decode: bool = True) -> dict[str, Any]:
    audit_id, ts, user, tbl, row_id, action, changes = row
    decoded = changes
    if decode:
        try:
            decoded = json.loads(changes)
        except (TypeError, ValueError):
            decoded = {}  # a malformed row undoes nothing (history.parse_changes is as lenient)
    return {
        "id": audit_id,
        "ts": ts,
        "user": user,
        "tbl": tbl,
        "row_id": row_id,
        "action": action,
        "changes": decoded,
    }


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    batch: list[int] = []
    for i in ids:
        batch.append(i)
        if len(batch) == _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _marks(n: int) -> str:
    return ", ".join("?" for _ in range(n))


def _rewind_copy(conn: sqlite3.Connection, ts: str) -> None:
    """Undo, in `conn` (a private copy), every write newer than `ts`."""
    cur = conn.cursor()
    cur.row_factory = None
    cur.execute(
        "SELECT id, ts, user, tbl, row_id, action, changes FROM audit WHERE ts > ? ORDER BY ts DESC, id DESC",
        (ts,),
    )
    audit = [_audit_dict(row, decode=False) for row in cur]  # the rewind decodes each once
    if not audit:
        return
    touched: dict[str, set[int]] = defaultdict(set)
    updates_after: dict[tuple[str, int], int] = defaultdict(int)
    for a in audit:
        if a["tbl"] in _TABLES and a["row_id"] is not None:
            touched[a["tbl"]].add(int(a["row_id"]))
            if a["action"] == "update":
                updates_after[(a["tbl"], int(a["row_id"]))] += 1
    current: dict[str, list[dict[str, Any]]] = {}
    links: dict[str, dict[int, list[int]]] = {}
    columns: dict[str, dict[str, bool]] = {}
    for table, ids in touched.items():
        # name → whether it may be left to its default when the log has no value (NOT NULL ones)
        info = conn.execute(f"PRAGMA table_info({table})")
        columns[table] = {r[1]: bool(r[3] and r[4] is not None) for r in info}
        rows: list[dict[str, Any]] = []
        for batch in _chunks(sorted(ids)):
            cur.execute(f"SELECT * FROM {table} WHERE id IN ({_marks(len(batch))})", batch)
            names = [d[0] for d in cur.description]
            rows.extend(dict(zip(names, row, strict=True)) for row in cur)
            for link_table, own, other in _TABLES[table].values():
                pairs = links.setdefault(link_table, {})
                cur.execute(
                    f"SELECT {own}, {other} FROM {link_table} WHERE {own} IN ({_marks(len(batch))})", batch
                )
                for owner, linked in cur:
                    pairs.setdefault(owner, []).append(linked)
        current[table] = rows
    now: dict[str, dict[int, dict[str, Any]]] = {}
    for table, rows in current.items():
        lists = {name: links.get(link_table, {}) for name, (link_table, _, _) in _TABLES[table].items()}
        now[table] = {
            int(r["id"]): {**r, **{name: sorted(owned.get(r["id"], [])) for name, owned in lists.items()}}
            for r in rows
        }
    rewind = Rewind(current, None, links, [a for a in audit if a["tbl"] in _TABLES], linked=_LINKED)
    rewind.back_to(ts)
    stamps = _stamps_then(cur, touched, ts, now, updates_after)

    then = {
        table: _rows_then(rewind, table, ids, columns[table], stamps, ts) for table, ids in touched.items()
    }
    conn.execute("PRAGMA foreign_keys = OFF")  # rows come back in any order; the end state is whole
    for in_place in (True, False):
        conn.execute("BEGIN")
        try:
            for table, ids in touched.items():
                _write_table(conn, table, ids, now[table], then[table], in_place=in_place)
            conn.execute("DELETE FROM audit WHERE ts > ?", (ts,))
        except sqlite3.IntegrityError:
            conn.execute("ROLLBACK")
            if not in_place:
                raise
            continue  # e.g. two projects swapped codes since ts: rewrite the touched rows whole
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return


def _rows_then(
    rewind: Rewind,
    table: str,
    ids: set[int],
    columns: Mapping[str, bool],
    stamps: Mapping[tuple[str, int], Mapping[str, Any]],
    ts: str,
) -> dict[int, dict[str, Any]]:
    """The touched rows of `table` as they were at ts (link lists as fields), stamps included;
    rows that did not exist then are absent. Every column is given: one the log has no value for
    was empty (a delete records only the values that were set), except a NOT NULL column with a
    default, which a migration added after the row was deleted (it gets its default)."""
    rows = rewind.rows(table)
    links = set(_TABLES[table])
    out: dict[int, dict[str, Any]] = {}
    for rid in sorted(ids):
        row = rows.get(rid)
        if row is None:
            continue  # inserted after ts: not there then
        values = {k: row.get(k) for k, has_default in columns.items() if k in row or not has_default}
        values.update((k, row[k]) for k in links if k in row)
        values.update(stamps.get((table, rid), {}))
        for name, fallback in (("version", 1), ("updated_by", "?")):
            values.setdefault(name, fallback)  # a log that never saw the row's insert
        values.setdefault("created_at", values.get("updated_at") or ts)
        values.setdefault("updated_at", values["created_at"])
        values["id"] = rid
        out[rid] = values
    return out


def _write_table(
    conn: sqlite3.Connection,
    table: str,
    ids: set[int],
    now: Mapping[int, Mapping[str, Any]],
    then: Mapping[int, Mapping[str, Any]],
    *,
    in_place: bool,
) -> None:
    """Make the touched rows of `table` what they were then. In place: delete the rows that were
    not there, update only the columns that differ (so the full-text triggers re-index only rows
    whose text changed), insert the rows that came back. Else: delete every touched row and insert
    each as it was (never two rows with one unique code on the way)."""
    link_fields = _TABLES[table]
    keep = {rid for rid in ids if rid in now and rid in then} if in_place else set()
    removed = sorted(rid for rid in ids if rid in now and rid not in keep)
    for batch in _chunks(removed):
        conn.execute(f"DELETE FROM {table} WHERE id IN ({_marks(len(batch))})", batch)
    updates: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
    inserts: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
    relinked: list[int] = list(removed)
    link_rows: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for rid, row in then.items():
        columns = {k: v for k, v in row.items() if k not in link_fields}
        if rid in keep:
            current = now[rid]
            changed = {k: v for k, v in columns.items() if current.get(k) != v}
            if changed:
                updates[tuple(changed)].append((*changed.values(), rid))
            if all(row.get(name) == sorted(current.get(name) or []) for name in link_fields):
                continue
            relinked.append(rid)
        else:
            inserts[tuple(columns)].append(tuple(columns.values()))
        for name in link_fields:
            link_rows[name].extend((rid, i) for i in row.get(name) or [])
    for names, values in updates.items():
        sets = ", ".join(f"{n} = ?" for n in names)
        conn.executemany(f"UPDATE {table} SET {sets} WHERE id = ?", values)
    for names, values in inserts.items():
        conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({_marks(len(names))})", values)
    for name, (link_table, own, other) in link_fields.items():
        for batch in _chunks(relinked):
            conn.execute(f"DELETE FROM {link_table} WHERE {own} IN ({_marks(len(batch))})", batch)
        conn.executemany(
            f"INSERT OR IGNORE INTO {link_table} ({own}, {other}) VALUES (?, ?)", link_rows[name]
        )


def _stamps_then(
    cur: sqlite3.Cursor,
    touched: Mapping[str, set[int]],
    ts: str,
    now: Mapping[str, Mapping[int, Mapping[str, Any]]],
    updates_after: Mapping[tuple[str, int], int],
) -> dict[tuple[str, int], dict[str, Any]]:
    """Each touched row's version and stamps at `ts`, from its audit rows up to then."""
    before: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for table, ids in touched.items():
        for batch in _chunks(sorted(ids)):
            cur.execute(
                "SELECT id, ts, user, action, row_id FROM audit "
                f"WHERE tbl = ? AND row_id IN ({_marks(len(batch))}) AND ts <= ?",
                (table, *batch, ts),
            )
            for audit_id, when, user, action, row_id in cur:
                before[(table, row_id)].append({"id": audit_id, "ts": when, "user": user, "action": action})
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for table, ids in touched.items():
        for rid in ids:
            key = (table, rid)
            stamps = stamps_at(before.get(key, []), now.get(table, {}).get(rid), updates_after.get(key, 0))
            out[key] = {k: stamps[k] for k in _STAMPS if stamps[k] is not None}
    return out
