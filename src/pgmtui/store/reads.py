"""Reading the store: single records, whole tables, everything a rollup needs in one transaction,
the audit trail, full-text search and `pgmtui check`. A mixin of :class:`pgmtui.store.db.Store`
(every method takes the store's lock, as the writes do)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pgmtui.records.errors import ValidationError
from pgmtui.records.fields import KINDS, RECORD_TABLES, column_for, kind_named
from pgmtui.store import rules
from pgmtui.store.external import dangling_refs
from pgmtui.store.search import SearchHit, index_problems
from pgmtui.store.search import search as full_text_search

if TYPE_CHECKING:
    from pgmtui.records.fields import Kind
    from pgmtui.store.db import _GuardedLock


class ReadsMixin:
    _conn: sqlite3.Connection
    _lock: _GuardedLock

    if TYPE_CHECKING:  # what the reads use from the store (defined in db.py)

        def validate(
            self, kind_name: str, fields: Mapping[str, Any], *, partial: bool = False
        ) -> dict[str, Any]: ...
        def _find_id(self, conn: sqlite3.Connection, kind: Kind, ref: int | str) -> int: ...
        def _row(self, conn: sqlite3.Connection, kind: Kind, row_id: int) -> dict[str, Any]: ...
        def _read_links(self, conn: sqlite3.Connection, kind: Kind, name: str, row_id: int) -> list[int]: ...

    def get(self, kind_name: str, ref: int | str) -> dict[str, Any]:
        kind = kind_named(kind_name)
        with self._lock:
            row_id = self._find_id(self._conn, kind, ref)
            row = self._row(self._conn, kind, row_id)
            for name in kind.links:
                row[name] = self._read_links(self._conn, kind, name, row_id)
            return row

    def rows(self, kind_name: str) -> list[dict[str, Any]]:
        kind = kind_named(kind_name)
        with self._lock:
            return [dict(r) for r in self._conn.execute(f"SELECT * FROM {kind.table} ORDER BY id")]

    def read_all(
        self,
        *,
        as_tuples: bool = False,
        fields_only: bool = False,
        unchanged_since: Mapping[str, int] | None = None,
        convert: Callable[[str, tuple[str, ...], Iterable[tuple[Any, ...]]], Any] | None = None,
    ) -> dict[str, Any]:
        """Every table, read in one transaction so the figures agree: ``programme`` (its row),
        ``tables`` (every record table, KINDS order), ``links`` (every link table as {owner id:
        [linked ids]}, e.g. ``links["stakeholder_project"]``) and ``benefit_links`` (the same as
        ``links["benefit_project"]``).

        With ``as_tuples`` each table comes as ``(column names, [row tuples])`` instead of a list
        of dicts: the live refresh compares tuples to reuse what it built for unchanged rows.
        With ``fields_only`` the tables hold ``id`` and the columns of their KINDS fields only,
        not the bookkeeping (version, timestamps, user) nor internal columns: what a one-off
        rollup reads, without turning tens of thousands of timestamps into Python objects.

        ``counters`` holds each table's change counter (schema 7: bumped by triggers on every
        insert, update and delete, whoever writes) as read in the same transaction. Given the
        ``counters`` of an earlier call as ``unchanged_since``, the record and link tables whose
        counter has not moved since are left out of ``tables`` / ``links`` (the live refresh keeps
        what it built from them); a table without a counter is always read.

        With ``convert``, each table is handed to ``convert(table, column names, rows)`` as it is
        read (rows: an iterator of tuples, consumed before the next table is read) and ``tables``
        holds what it returns: the live refresh keeps one table's raw rows in memory at a time.

        ``audit_mark`` is the newest audit row's id at that moment (None: no audit rows)."""

        def read(conn: sqlite3.Connection, sql: str, table: str) -> Any:
            if convert is not None:
                cur = conn.cursor()
                cur.row_factory = None
                cur.execute(sql)
                return convert(table, tuple(d[0] for d in cur.description), cur)
            return _tuple_rows(conn, sql) if as_tuples else _dict_rows(conn, sql)

        def select(t: str) -> str:
            if not fields_only:
                return "*"
            kind = kind_named(t)
            return ", ".join(["id", *(column_for(f) for f in kind.fields if f.name not in kind.links)])

        with self._lock:
            self._conn.execute("BEGIN")
            try:
                counters = _change_counters(self._conn)

                def wanted(table: str) -> bool:
                    if unchanged_since is None or table not in counters:
                        return True
                    return unchanged_since.get(table) != counters[table]

                tables: dict[str, Any] = {}
                for t in RECORD_TABLES:
                    if wanted(t):
                        columns = select(t)
                        tables[t] = read(self._conn, f"SELECT {columns} FROM {t} ORDER BY id", t)
                programme = self._conn.execute("SELECT * FROM programme ORDER BY id LIMIT 1").fetchone()
                audit_mark = self._conn.execute("SELECT max(id) FROM audit").fetchone()[0]
                links: dict[str, dict[int, list[int]]] = {}
                for kind in KINDS.values():
                    for table, own, other in kind.links.values():
                        if not wanted(table):
                            continue
                        pairs = links.setdefault(table, {})
                        for a, b in self._conn.execute(f"SELECT {own}, {other} FROM {table}"):
                            pairs.setdefault(a, []).append(b)
            finally:
                self._conn.execute("COMMIT")
        return {
            "programme": dict(programme) if programme else None,
            "tables": tables,
            "links": links,
            "benefit_links": links.get("benefit_project", {}),
            "counters": counters,
            "audit_mark": audit_mark,
        }

    def change_counters(self) -> dict[str, int]:
        """Each table's change counter (see `read_all`); empty before schema 7."""
        with self._lock:
            return _change_counters(self._conn)

    def audit(
        self,
        *,
        since: str | None = None,
        table: str | None = None,
        row_id: int | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[dict[str, Any]]:
        """Audit rows (changes decoded from JSON), oldest first unless asked otherwise."""
        clauses: list[str] = []
        params: list[Any] = []
        if since is not None:
            clauses.append("ts >= ?")
            params.append(since)
        if table is not None:
            clauses.append("tbl = ?")
            params.append(table)
        if row_id is not None:
            clauses.append("row_id = ?")
            params.append(row_id)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        order = "DESC" if newest_first else "ASC"
        tail = " LIMIT ?" if limit else ""
        if limit:
            params.append(limit)
        with self._lock:
            rows = self._conn.execute(
                f"SELECT * FROM audit {where} ORDER BY ts {order}, id {order}{tail}", params
            )
            out = []
            for r in rows:
                d = dict(r)
                d["changes"] = json.loads(d["changes"])
                out.append(d)
            return out

    def audit_for(self, targets: Mapping[str, list[int]], *, limit: int = 50) -> list[dict[str, Any]]:
        """Newest audit rows about any of the given records ({table: [row ids]})."""
        clauses, params = [], []
        for table, ids in targets.items():
            if ids:
                clauses.append(f"(tbl = ? AND row_id IN ({', '.join('?' for _ in ids)}))")
                params.extend([table, *ids])
        if not clauses:
            return []
        params.append(limit)
        with self._lock:
            rows = self._conn.execute(
                f"SELECT * FROM audit WHERE {' OR '.join(clauses)} ORDER BY ts DESC, id DESC LIMIT ?", params
            ).fetchall()
        out = []
        for r in rows:
            d = dict(r)
            d["changes"] = json.loads(d["changes"])
            out.append(d)
        return out

    def count(self, kind_name: str) -> int:
        kind = kind_named(kind_name)
        with self._lock:
            return self._conn.execute(f"SELECT count(*) FROM {kind.table}").fetchone()[0]

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Records of every kind whose text holds each word of `query` (as a word prefix), best
        match first: kind, id, label and a snippet with the matched words marked. Any text is a
        valid query (words are quoted, never FTS syntax); nothing searchable gives []."""
        with self._lock:
            return full_text_search(self._conn, query, limit)

    def audit_count(self) -> int:
        """How many audit rows the database holds."""
        with self._lock:
            return self._conn.execute("SELECT count(*) FROM audit").fetchone()[0]

    def programme(self) -> dict[str, Any] | None:
        with self._lock:
            row = self._conn.execute("SELECT * FROM programme ORDER BY id LIMIT 1").fetchone()
            return dict(row) if row else None

    def integrity_problems(self) -> list[str]:
        """`pgmtui check`: SQLite's own integrity check, foreign keys, and the domain rules per row."""
        problems: list[str] = []
        with self._lock:
            for (line,) in self._conn.execute("PRAGMA integrity_check"):
                if line != "ok":
                    problems.append(f"sqlite: {line}")
            for table, rowid, parent, _ in self._conn.execute("PRAGMA foreign_key_check"):
                problems.append(f"{table} {rowid}: refers to a missing {parent}")
            for kind in KINDS.values():
                for row in self._conn.execute(f"SELECT * FROM {kind.table}"):
                    row = dict(row)
                    raw = {}
                    for f in kind.fields:
                        if f.type == "refs":
                            continue
                        value = row.get(column_for(f))
                        raw[f.name] = value if f.type != "ref" else value
                    try:
                        self.validate(kind.name, raw)
                    except ValidationError as exc:
                        problems.append(f"{kind.name} {row['id']}: {exc}")
            problems.extend(rules.whole_db_problems(self._conn))
            problems.extend(index_problems(self._conn))
            problems.extend(dangling_refs(self._conn))
        return problems


def _change_counters(conn: sqlite3.Connection) -> dict[str, int]:
    try:
        return dict(conn.execute("SELECT tbl, n FROM table_change").fetchall())
    except sqlite3.OperationalError:  # a database not yet at schema 7 (a read-only old file)
        return {}


def _dict_rows(conn: sqlite3.Connection, sql: str) -> list[dict[str, Any]]:
    """Rows as plain dicts, built from tuples (a third faster than dict(sqlite3.Row) per row: the
    live refresh reads every row of a large programme)."""
    cur = conn.cursor()
    cur.row_factory = None
    cur.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur]


def _tuple_rows(conn: sqlite3.Connection, sql: str) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    cur = conn.cursor()
    cur.row_factory = None
    cur.execute(sql)
    return tuple(d[0] for d in cur.description), cur.fetchall()
