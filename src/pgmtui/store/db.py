"""The store: the only place that talks SQL.

One long-lived connection per Store (guarded by a lock so a worker thread can use it), WAL mode,
a busy timeout, short write transactions with bounded retries, optimistic versions, and an audit
row written in the same transaction as every change.
"""

from __future__ import annotations

import contextlib
import json
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from pgmtui import clock
from pgmtui.records.errors import (
    BusyError,
    ConflictError,
    NotFoundError,
    ReadOnlyError,
    StoreError,
    ValidationError,
)
from pgmtui.records.fields import (
    DEFAULTS,
    KINDS,
    Field,
    Kind,
    coerce_field,
    column_for,
    kind_named,
    split_link,
)
from pgmtui.store import finance, opening, rules
from pgmtui.store.access import os_user
from pgmtui.store.asof import AsOfMixin
from pgmtui.store.cascade import DeletePlan, plan_delete
from pgmtui.store.closed import refuse_delete
from pgmtui.store.external import ExternalRefsMixin, forget_record
from pgmtui.store.locks import busy_message
from pgmtui.store.opening import OpeningMixin
from pgmtui.store.reads import ReadsMixin
from pgmtui.store.refs import Unresolved
from pgmtui.store.refs import resolve as resolve_reference
from pgmtui.store.restore import RestoreMixin
from pgmtui.store.sqlerrors import integrity_error
from pgmtui.store.sqlerrors import is_busy as _is_busy
from pgmtui.store.sqlerrors import translate as _translate
from pgmtui.store.undo import UndoMixin

# A writer waits at most this long in all (SQLite's busy handler, then jittered retries) for the
# others to finish; then it gets a BusyError that says who holds the database where that can be
# known, never a raw "database is locked".
WRITE_WAIT_SECONDS = 10.0
ROW_META = ("id", "version", "created_at", "updated_at", "updated_by")


class _GuardedLock:
    """The store's re-entrant lock, which also turns any sqlite3 error escaping the guarded block
    into a StoreError (after the store's own handling inside the block: busy retries, rollback,
    integrity messages). Every public method takes this lock, so this is the one place where a
    raw SQLite exception is stopped on its way to a caller."""

    def __init__(self, store: Store) -> None:
        self._rlock = threading.RLock()
        self._store = store

    def __enter__(self) -> bool:
        return self._rlock.__enter__()

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        self._rlock.__exit__(exc_type, exc, tb)
        if isinstance(exc, sqlite3.Error):
            raise _translate(exc, self._store.path) from exc

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        return self._rlock.acquire(blocking, timeout)

    def release(self) -> None:
        self._rlock.release()


class Store(OpeningMixin, ReadsMixin, RestoreMixin, ExternalRefsMixin, AsOfMixin, UndoMixin):
    """A pgmtui database. Open with :meth:`Store.open` (opening, connecting and migrating live in
    store/opening.py). Reading lives in store/reads.py, reloading an export in store/restore.py,
    the database at an earlier instant in store/asof.py, undo in store/undo.py; everything else
    that writes is here."""

    def __init__(self, conn: sqlite3.Connection, path: Path, read_only: bool, warnings: list[str]):
        self._conn = conn
        self._lock = _GuardedLock(self)
        self.path = path
        self.read_only = read_only
        self.warnings = warnings
        self.user = os_user()
        self._clock: Callable[[], Any] = clock.now
        self._local_writes = 0  # data_version only counts other connections' commits
        self._in_batch = 0
        # This connection's committed changes, each as the audit stamps it wrote (`u` in the app
        # undoes this session's last one); the stamps of the transaction under way.
        self.session_changes: list[tuple[str, ...]] = []
        self._txn_stamps: list[str] = []

    # ------------------------------------------------------------------ change detection

    def change_token(self) -> tuple[int, int]:
        """Cheap "has anyone written since I last looked?" token.

        PRAGMA data_version changes when another connection commits; our own commits are
        counted locally. Compare tokens for equality.
        """
        with self._lock:
            version = self._conn.execute("PRAGMA data_version").fetchone()[0]
            return (version, self._local_writes)

    # ------------------------------------------------------------------ writing

    @contextlib.contextmanager
    def acting(self, user: str | None = None, at: Any = None) -> Iterator[Store]:
        """Write as another user and/or at a fixed instant (demo history, imports, tests)."""
        old_user, old_clock = self.user, self._clock
        if user:
            self.user = user
        if at is not None:
            self._clock = (lambda: at) if not callable(at) else at
        try:
            yield self
        finally:
            self.user, self._clock = old_user, old_clock

    @contextlib.contextmanager
    def batch(self) -> Iterator[Store]:
        """Group many writes in one transaction (demo generation, import: all or nothing)."""
        self._check_writable()
        with self._lock:
            if self._in_batch:
                self._in_batch += 1
                try:
                    yield self
                finally:
                    self._in_batch -= 1
                return
            self._begin()
            self._in_batch = 1
            try:
                yield self
            except BaseException:
                self._rollback()
                raise
            else:
                self._commit()
            finally:
                self._in_batch = 0

    def _begin(self) -> None:
        """BEGIN IMMEDIATE, waiting for other writers at most WRITE_WAIT_SECONDS in all: SQLite's
        busy handler (never past the deadline), with short jittered pauses between attempts. The
        common case, nobody else writing, costs one statement."""
        started = time.monotonic()
        deadline = started + WRITE_WAIT_SECONDS
        delay = 0.05
        busy_ms = opening.BUSY_TIMEOUT_MS  # looked up now: one setting for opening and writing
        wait_ms = busy_ms
        try:
            while True:
                budget_ms = max(1, int((deadline - time.monotonic()) * 1000))
                if budget_ms < wait_ms:  # the busy handler must not wait past the deadline
                    wait_ms = budget_ms
                    self._conn.execute(f"PRAGMA busy_timeout = {wait_ms}")
                try:
                    self._conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if not _is_busy(exc):
                        raise
                pause = delay * (1 + random.random())
                if time.monotonic() + pause >= deadline:
                    break
                time.sleep(pause)
                delay = min(delay * 2, 1.0)
        finally:
            if wait_ms != busy_ms:
                wait_ms = busy_ms
                self._conn.execute(f"PRAGMA busy_timeout = {wait_ms}")
        raise BusyError(busy_message(self.path, waited=time.monotonic() - started))

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        self._check_writable()
        with self._lock:
            if self._in_batch:
                yield self._conn
                return
            self._begin()
            try:
                yield self._conn
            except BaseException:
                self._rollback()
                raise
            else:
                self._commit()

    def _rollback(self) -> None:
        # SQLite may already have rolled back (disk full, I/O error): a second ROLLBACK would
        # raise "no transaction is active" and hide the real error.
        self._txn_stamps = []
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def _commit(self) -> None:
        try:
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            error = _translate(exc, self.path)
            raise type(error)(f"your change was not saved: {error}") from exc
        self._local_writes += 1
        if self._txn_stamps:
            self.session_changes.append(tuple(dict.fromkeys(self._txn_stamps)))
            self._txn_stamps = []

    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyError(f"{self.path} is read-only for you; changes cannot be saved")

    def _stamp(self) -> str:
        return clock.timestamp(self._clock())

    # ------------------------------------------------------------------ the write path
    # Every change to a record takes the same steps, whichever public method asked for it:
    #   1. prepare   coerce the raw values, fill defaults, require the required   (_prepare)
    #   2. resolve   references to ids, booleans to 0/1, link lists set apart      (_resolve)
    #   3. rules     cross-field and cross-row rules (rules.check)                 (_insert_records, update)
    #   4. write     the INSERT/UPDATE/DELETE and the link rows                    (_insert_records,
    #                                                                              _update_row, _delete_row)
    #   5. audit     one audit row per record, in the same transaction            (_write_audit)
    # insert, bulk_insert and restore differ only in how references are given (looked up, or ids),
    # whether the dependency cycle check runs per row or once at the end, and whose stamps a row
    # gets (fresh ones and an audit row, or the exported ones and no audit row).

    def validate(self, kind_name: str, fields: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
        """Coerce raw values; raise ValidationError for the first bad one. No database access."""
        kind = kind_named(kind_name)
        by_name = _FIELDS_BY_NAME[kind.name]
        out: dict[str, Any] = {}
        for name, raw in fields.items():
            f = by_name.get(name) or kind.field(name)  # kind.field names the known fields
            out[name] = coerce_field(f, raw)
        if not partial:
            _require(kind, out)
        return out

    def _prepare(self, kind: Kind, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Step 1 for a new record: the given values coerced, defaults for the others."""
        values = {**DEFAULTS.get(kind.name, {}), **self.validate(kind.name, fields, partial=True)}
        _require(kind, values)
        return values

    def _resolve(
        self,
        conn: sqlite3.Connection,
        kind: Kind,
        values: Mapping[str, Any],
        *,
        lookups: bool = True,
        deferred: bool = False,
    ) -> tuple[dict[str, Any], dict[str, list[int]]]:
        """Step 2: field values as column values, and the link lists apart. References are looked
        up (an id, a project code, `CODE:milestone`, a name) or, without `lookups`, taken as ids
        (bulk loads: a missing id then fails on the foreign key). A `link` (KIND:REF) becomes
        `kind:id`; with `deferred` or without `lookups` its ref must be an id and whether that
        record exists is checked once at the end (`rules.assert_links`): a restore may bring an
        action about a lesson before the lesson."""
        by_name = _FIELDS_BY_NAME[kind.name]
        row: dict[str, Any] = {}
        links: dict[str, list[int]] = {}
        for name, value in values.items():
            f = by_name[name]
            if f.type == "ref":
                if value is None:
                    row[column_for(f)] = None
                else:
                    row[column_for(f)] = self._lookup(conn, f, value) if lookups else _id(f, value)
            elif f.type == "link":
                row[name] = (
                    None if value is None else self._link(conn, f, value, look=lookups and not deferred)
                )
            elif f.type == "refs":
                links[name] = [self._lookup(conn, f, v) if lookups else _id(f, v) for v in value or []]
            elif f.type == "bool":
                row[name] = None if value is None else int(value)
            else:
                row[name] = value
        return row, links

    def _insert_records(
        self,
        conn: sqlite3.Connection,
        kind: Kind,
        records: Iterable[tuple[Mapping[str, Any], Mapping[str, Any] | None]],
        *,
        lookups: bool,
        deferred: bool,
    ) -> list[int]:
        """Steps 2–5 for new records, each given as (prepared values, stamps). Stamps None: version
        1, stamped now by the acting user, audited as an insert, values the store fills in itself
        added (rules.derived); else the given id, version and stamps are kept and no audit row is
        written (a restore brings its own trail). With `deferred`, checks across rows (dependency
        cycles, link targets) are left to one pass at the end."""
        programme_id = self._programme_id(conn) if kind.name == "project" else None
        ts = self._stamp()
        fresh = {"version": 1, "created_at": ts, "updated_at": ts, "updated_by": self.user}
        today = self._today()
        ids: list[int] = []
        audit: list[tuple[str, str, int, str, dict[str, Any]]] = []
        fresh_rows: list[tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]] = []
        for values, stamps in records:
            row, links = self._resolve(conn, kind, values, lookups=lookups, deferred=deferred)
            if kind.name == "project":
                row["programme_id"] = programme_id
            if stamps is None:
                row.update(rules.derived(kind.name, None, row, today))
            rules.check(self, conn, kind.name, None, row, deferred=deferred)
            row.update(stamps or fresh)
            columns = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            try:
                cur = conn.execute(
                    f"INSERT INTO {kind.table} ({columns}) VALUES ({marks})", tuple(row.values())
                )
            except sqlite3.IntegrityError as exc:
                raise self._integrity(kind, exc) from None
            row_id = int(cur.lastrowid or 0)
            ids.append(row_id)
            changes = {k: [None, v] for k, v in row.items() if k not in ROW_META and v is not None}
            for name, link_ids in links.items():
                self._write_links(conn, kind, name, row_id, link_ids)
                changes[name] = [None, sorted(link_ids)]
            if stamps is None:
                audit.append((ts, kind.table, row_id, "insert", changes))
                fresh_rows.append((None, {**row, "id": row_id}))
        self._write_audit(conn, audit)
        if fresh_rows:  # a restore brings rows back as they were: nothing follows from them
            finance.after_write(self, conn, kind.name, fresh_rows, ts)
        return ids

    def _update_row(
        self,
        conn: sqlite3.Connection,
        kind: Kind,
        current: Mapping[str, Any],
        columns: Mapping[str, Any],
        links: Mapping[str, list[int]],
        ts: str,
    ) -> dict[str, list[Any]]:
        """Step 4 of a change: write the columns and links that differ from `current`, bump the
        version and stamp the row. Returns the changes as {name: [old, new]} (empty: nothing
        differed and nothing was written)."""
        row_id = current["id"]
        changes = {k: [current.get(k), v] for k, v in columns.items() if current.get(k) != v}
        for name, ids in links.items():
            old_ids = sorted(self._read_links(conn, kind, name, row_id))
            if old_ids != sorted(ids):
                self._write_links(conn, kind, name, row_id, ids)
                changes[name] = [old_ids, sorted(ids)]
        if not changes:
            return changes
        column_changes = {k: v[1] for k, v in changes.items() if k not in kind.links}
        column_changes.update(updated_at=ts, updated_by=self.user)
        assignments = ", ".join(f"{k} = ?" for k in column_changes)
        try:
            cur = conn.execute(
                f"UPDATE {kind.table} SET {assignments}, version = version + 1 WHERE id = ? AND version = ?",
                (*column_changes.values(), row_id, current["version"]),
            )
        except sqlite3.IntegrityError as exc:
            raise self._integrity(kind, exc) from None
        if cur.rowcount != 1:  # cannot happen inside BEGIN IMMEDIATE, but never update blindly
            raise ConflictError(f"{kind.name} {row_id} changed while saving; reload and try again")
        return changes

    def _delete_row(self, conn: sqlite3.Connection, kind: Kind, row_id: int, ts: str) -> None:
        """Steps 4–5 of a delete, for one row (its links go with it)."""
        current = self._row(conn, kind, row_id)
        # Every value, the bookkeeping (version, stamps) included: undo puts the row back as it was.
        changes = {k: [v, None] for k, v in current.items() if k != "id" and v is not None}
        for name in kind.links:
            old_ids = self._read_links(conn, kind, name, row_id)
            if old_ids:
                changes[name] = [sorted(old_ids), None]
                self._write_links(conn, kind, name, row_id, [])
        conn.execute(f"DELETE FROM {kind.table} WHERE id = ?", (row_id,))
        forget_record(conn, kind.name, row_id)
        self._write_audit(conn, [(ts, kind.table, row_id, "delete", changes)])

    def _write_audit(
        self, conn: sqlite3.Connection, entries: list[tuple[str, str, int, str, dict[str, Any]]]
    ) -> None:
        """Step 5: audit rows (ts, table, row id, action, changes) for the acting user."""
        self._txn_stamps.extend(entry[0] for entry in entries)
        conn.executemany(
            "INSERT INTO audit (ts, user, tbl, row_id, action, changes) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    ts,
                    self.user,
                    table,
                    row_id,
                    action,
                    json.dumps(changes, ensure_ascii=False, sort_keys=True),
                )
                for ts, table, row_id, action, changes in entries
            ],
        )

    # ------------------------------------------------------------------ public writes

    def insert(self, kind_name: str, fields: Mapping[str, Any]) -> int:
        """Add one record; references may be given by id, code or name. Returns its id."""
        kind = kind_named(kind_name)
        values = self._prepare(kind, fields)
        with self._write() as conn:
            return self._insert_records(conn, kind, [(values, None)], lookups=True, deferred=False)[0]

    def bulk_insert(self, kind_name: str, rows: Iterable[Mapping[str, Any]]) -> list[int]:
        """Insert many records in one transaction (demo generation, import), each validated and audited.

        References must be ids (no code/name look-ups; links as KIND:ID) and the dependency cycle
        and link checks run once over the whole table at the end instead of once per row, so this
        stays fast at PMO scale.
        """
        kind = kind_named(kind_name)
        with self._write() as conn:
            records = ((self._prepare(kind, fields), None) for fields in rows)
            ids = self._insert_records(conn, kind, records, lookups=False, deferred=True)
            if kind.name == "dependency":
                rules.assert_acyclic(conn)
            rules.assert_links(conn, kind.name)
        return ids

    def update(
        self,
        kind_name: str,
        ref: int | str,
        fields: Mapping[str, Any],
        *,
        expected_version: int | None = None,
    ) -> dict[str, Any]:
        """Change fields of one record. With `expected_version`, refuse if the row moved on."""
        kind = kind_named(kind_name)
        values = self.validate(kind.name, fields, partial=True)
        defaults = DEFAULTS.get(kind.name, {})
        for name, value in values.items():
            if value is None and _FIELDS_BY_NAME[kind.name][name].required:
                raise ValidationError(name, f"{name} is required")
            if value is None and defaults.get(name) is not None:
                # Such a field always has a value (its default when not given on insert).
                raise ValidationError(
                    name, f"{name} cannot be empty (its default is {_shown_default(defaults[name])})"
                )
        with self._write() as conn:
            row_id = self._find_id(conn, kind, ref)
            current = self._row(conn, kind, row_id)
            if expected_version is not None and current["version"] != expected_version:
                raise ConflictError(
                    f"{kind.name} {self._label(kind, current)} was changed by {current['updated_by']} at "
                    f"{current['updated_at'][:19].replace('T', ' ')} (version {current['version']}, "
                    f"you had {expected_version}); reload and re-apply your change",
                    current=current,
                )
            columns, links = self._resolve(conn, kind, values)
            columns.update(rules.derived(kind.name, current, {**current, **columns}, self._today()))
            rules.check(self, conn, kind.name, current, {**current, **columns})
            ts = self._stamp()
            changes = self._update_row(conn, kind, current, columns, links, ts)
            if not changes:
                return current
            self._write_audit(conn, [(ts, kind.table, row_id, "update", changes)])
            after = self._row(conn, kind, row_id)
            finance.after_write(self, conn, kind.name, [(current, after)], ts)
            return after

    def deletion(self, kind_name: str, ref: int | str) -> DeletePlan:
        """What `delete` would take with it and unlink, without doing it (for a confirmation that
        says exactly what goes: `.counts()`). Raises as `delete` would for a closed project's record."""
        kind = kind_named(kind_name)
        with self._lock:
            row_id = self._find_id(self._conn, kind, ref)
            refuse_delete(self._conn, kind.name, self._row(self._conn, kind, row_id))
            return plan_delete(self._conn, kind.name, row_id)

    def delete(self, kind_name: str, ref: int | str, *, expected_version: int | None = None) -> None:
        """Delete a record and what hangs off it, and unlink the records that only refer to it
        (store/cascade.py): each change with its own audit row, all in one transaction."""
        kind = kind_named(kind_name)
        with self._write() as conn:
            row_id = self._find_id(conn, kind, ref)
            current = self._row(conn, kind, row_id)
            if expected_version is not None and current["version"] != expected_version:
                raise ConflictError(
                    f"{kind.name} {self._label(kind, current)} was changed by {current['updated_by']} "
                    "since you opened it; reload before deleting",
                    current=current,
                )
            finance.check_delete(conn, kind.name, current)
            refuse_delete(conn, kind.name, current)  # a record of a closed project stays
            ts = self._stamp()
            plan = plan_delete(conn, kind.name, row_id)
            # Unlinks first: a foreign key's ON DELETE SET NULL must find nothing left to empty.
            for (other, other_id), removed in plan.unlinks.items():
                self._unlink(conn, KINDS[other], other_id, removed, ts)
            for child_kind, child_id in plan.deletes:
                self._delete_row(conn, KINDS[child_kind], child_id, ts)
            finance.after_write(self, conn, kind.name, [(current, None)], ts)

    def _unlink(
        self, conn: sqlite3.Connection, kind: Kind, row_id: int, removed: Mapping[str, set[int]], ts: str
    ) -> None:
        """A record that only referred to a deleted one stays: its reference fields named in
        `removed` are emptied, its link lists lose the ids removed. A change like any other,
        versioned and audited (not a silent foreign-key cascade)."""
        current = self._row(conn, kind, row_id)
        by_name = _FIELDS_BY_NAME[kind.name]
        columns: dict[str, Any] = {}
        links: dict[str, list[int]] = {}
        for name, ids in removed.items():
            if by_name[name].type == "refs":
                links[name] = [i for i in self._read_links(conn, kind, name, row_id) if i not in ids]
            else:
                columns[column_for(by_name[name])] = None
        changes = self._update_row(conn, kind, current, columns, links, ts)
        if changes:
            self._write_audit(conn, [(ts, kind.table, row_id, "update", changes)])

    def apply_consequence(
        self,
        conn: sqlite3.Connection,
        kind_name: str,
        current: Mapping[str, Any],
        fields: Mapping[str, Any],
        ts: str,
    ) -> None:
        """Change fields of another record because of a write (a project's derived actual cost, the
        baseline an approved change request moves): in the same transaction, versioned, stamped and
        audited like any change. The caller has checked the cross-field rules of the change; each
        value is still checked against its field."""
        kind = kind_named(kind_name)
        by_name = _FIELDS_BY_NAME[kind.name]
        columns = {name: coerce_field(by_name[name], value) for name, value in fields.items()}
        changes = self._update_row(conn, kind, current, columns, {}, ts)
        if changes:
            self._write_audit(conn, [(ts, kind.table, current["id"], "update", changes)])

    # ------------------------------------------------------------------ helpers for writes

    def _integrity(self, kind: Kind, exc: sqlite3.IntegrityError) -> StoreError:
        return integrity_error(kind.name, exc)

    def _programme_id(self, conn: sqlite3.Connection) -> int | None:
        row = conn.execute("SELECT id FROM programme ORDER BY id LIMIT 1").fetchone()
        return row[0] if row else None

    def _lookup(self, conn: sqlite3.Connection, f: Field, value: Any) -> int:
        """Resolve a reference field's value (the rule: store/refs.py)."""
        try:
            return resolve_reference(conn, KINDS[f.ref], value)
        except Unresolved as exc:
            raise ValidationError(f.name, f"{f.name}: {exc}") from None

    def _link(self, conn: sqlite3.Connection, f: Field, value: str, *, look: bool) -> str:
        """A `link` field's `kind:ref` as `kind:id`: looked up like a reference (`project:IAM`,
        `milestone:CLD:Go-live`, `issue:3`), or with `look` off taken as an id."""
        kind_name, ref = split_link(value)
        if not look:
            if not ref.isdigit():
                raise ValidationError(f.name, f"{f.name}: give KIND:ID with the record's id, got {value!r}")
            return f"{kind_name}:{int(ref)}"
        try:
            return f"{kind_name}:{resolve_reference(conn, KINDS[kind_name], ref)}"
        except Unresolved as exc:
            raise ValidationError(f.name, f"{f.name}: {exc}") from None

    def _today(self) -> str:
        """The date values the store fills in (an action's done_date): the clock's today, or the
        date of the instant a backdated write is made at (`acting(at=...)`)."""
        if self._clock is clock.now:
            return clock.today().isoformat()
        return str(self._clock().date().isoformat())

    def _find_id(self, conn: sqlite3.Connection, kind: Kind, ref: int | str) -> int:
        """The id of the record a command names (`set project IAM`, `delete risk 66`)."""
        try:
            return resolve_reference(conn, kind, ref)
        except Unresolved as exc:
            raise NotFoundError(str(exc)) from None

    def _row(self, conn: sqlite3.Connection, kind: Kind, row_id: int) -> dict[str, Any]:
        row = conn.execute(f"SELECT * FROM {kind.table} WHERE id = ?", (row_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no {kind.name} with id {row_id}")
        return dict(row)

    def _label(self, kind: Kind, row: Mapping[str, Any]) -> str:
        label = row.get(kind.display)
        return f"{label!s}" if label and kind.display != "id" else f"#{row['id']}"

    def _read_links(self, conn: sqlite3.Connection, kind: Kind, name: str, row_id: int) -> list[int]:
        table, own, other = kind.links[name]
        return [r[0] for r in conn.execute(f"SELECT {other} FROM {table} WHERE {own} = ?", (row_id,))]

    def _write_links(
        self, conn: sqlite3.Connection, kind: Kind, name: str, row_id: int, ids: list[int]
    ) -> None:
        table, own, other = kind.links[name]
        conn.execute(f"DELETE FROM {table} WHERE {own} = ?", (row_id,))
        conn.executemany(
            f"INSERT OR IGNORE INTO {table} ({own}, {other}) VALUES (?, ?)", [(row_id, i) for i in ids]
        )

    def reset(self) -> None:
        """Empty every table, audit included (`pgmtui demo --force`). One transaction."""
        with self._write() as conn:
            for table in (*LINK_TABLES, "audit", "external_ref"):
                conn.execute(f"DELETE FROM {table}")
            for kind in reversed(list(KINDS.values())):
                conn.execute(f"DELETE FROM {kind.table}")


def _require(kind: Kind, values: Mapping[str, Any]) -> None:
    for f in kind.fields:
        if f.required and values.get(f.name) is None:
            raise ValidationError(f.name, f"{f.name} is required")


def _id(f: Field, value: Any) -> int:
    """A reference given as an id (bulk loads take ids only)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(f.name, f"{f.name}: give the {f.ref}'s id, got {value!r}") from None


# Every link table (benefit → projects, stakeholder → projects).
LINK_TABLES = tuple(table for kind in KINDS.values() for table, _, _ in kind.links.values())

# Each kind's fields by name (validation runs once per field of every row of a bulk load).
_FIELDS_BY_NAME: dict[str, dict[str, Field]] = {
    kind.name: {f.name: f for f in kind.fields} for kind in KINDS.values()
}


def _shown_default(value: Any) -> str:
    if isinstance(value, bool):
        return "no" if not value else "yes"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
