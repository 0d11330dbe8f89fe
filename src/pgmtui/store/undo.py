"""Undo: revert an OS user's changes from the audit trail, each undo a new audited change. A mixin of
:class:`pgmtui.store.db.Store`.

- an update is reverted by putting the old values back (an ordinary versioned update);
- an insert by deleting the record again, refused when records added since hang off it;
- a delete by bringing back every record it deleted, with the same ids, values, links and
  bookkeeping (version, stamps: the delete's audit rows hold them), and putting back the references
  it emptied on the records it only unlinked. A record unlinked and not touched since also gets its
  version and stamps back, so a delete followed by its undo leaves every table as it was.

An undo is refused, and nothing is written, when a later change touched one of the records (a
change by someone else, or one of yours not undone first), when a record is no longer as the change
left it, or when the result would break a rule (a code taken since, a closed project). Which
changes are undoable and why a later change forbids it is pure logic: pgmtui.domain.undo.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from itertools import islice
from typing import TYPE_CHECKING, Any, cast

from pgmtui.domain.undo import Change, UndoStep, changes_of, later_conflict, undoable
from pgmtui.records.errors import ConflictError, NotFoundError, ValidationError
from pgmtui.records.fields import KINDS, Kind
from pgmtui.store import rules
from pgmtui.store.cascade import plan_delete
from pgmtui.store.closed import closed_project, refuse_delete
from pgmtui.store.sqlerrors import integrity_error

if TYPE_CHECKING:
    from pgmtui.store.db import _GuardedLock

__all__ = ["UndoMixin", "UndoRefused"]

META = ("version", "created_at", "updated_at", "updated_by")


def _stored_columns(conn: sqlite3.Connection, kind: Kind) -> set[str]:
    """The columns of a kind's table as the schema made them (the ones no form shows included)."""
    return {str(r[1]) for r in conn.execute(f"PRAGMA table_info({kind.table})")} - {"id"}


_KIND_OF_TABLE = {k.table: k for k in KINDS.values()}
PAGE = 500  # audit rows read at a time while looking for a user's changes


class UndoRefused(ConflictError):
    """An undo that cannot be done; the message says why. Nothing was written."""


class _DryRun(Exception):
    def __init__(self, steps: list[UndoStep]) -> None:
        super().__init__("dry run")
        self.steps = steps


class UndoMixin:
    _conn: sqlite3.Connection
    _lock: _GuardedLock
    user: str
    session_changes: list[tuple[str, ...]]
    _txn_stamps: list[str]

    if TYPE_CHECKING:  # the store's write path (db.py)

        def _write(self) -> contextlib.AbstractContextManager[sqlite3.Connection]: ...
        def _stamp(self) -> str: ...
        def _row(self, conn: sqlite3.Connection, kind: Kind, row_id: int) -> dict[str, Any]: ...
        def _read_links(self, conn: sqlite3.Connection, kind: Kind, name: str, row_id: int) -> list[int]: ...
        def _write_links(
            self, conn: sqlite3.Connection, kind: Kind, name: str, row_id: int, ids: list[int]
        ) -> None: ...
        def _update_row(
            self,
            conn: sqlite3.Connection,
            kind: Kind,
            current: Mapping[str, Any],
            columns: Mapping[str, Any],
            links: Mapping[str, list[int]],
            ts: str,
        ) -> dict[str, list[Any]]: ...
        def _delete_row(self, conn: sqlite3.Connection, kind: Kind, row_id: int, ts: str) -> None: ...
        def _write_audit(
            self, conn: sqlite3.Connection, entries: list[tuple[str, str, int, str, dict[str, Any]]]
        ) -> None: ...

    # ------------------------------------------------------------------ public

    def undo(self, *, last: int = 1, dry_run: bool = False) -> list[UndoStep]:
        """Revert this OS user's last `last` changes (fewer if there are not as many), newest first,
        each as a new audited change, all in one transaction: all of them or none. With `dry_run`
        nothing is written (the undo is done and rolled back, so every rule is checked)."""
        if isinstance(last, bool) or not isinstance(last, int) or last < 1:
            raise ValidationError("last", f"--last must be a whole number ≥ 1, got {last!r}")
        try:
            with self._write() as conn:
                targets = list(islice(undoable(changes_of(self._rows_of_user(conn))), last))
                steps = [self._undo_change(conn, change) for change in targets]
                if dry_run:
                    raise _DryRun(steps)
        except _DryRun as run:
            return run.steps
        return steps

    def undo_session_last(self) -> list[UndoStep]:
        """`u` in the app: undo the last change made through this connection that is not undone
        yet (a change undone elsewhere meanwhile is skipped). [] when there is none."""
        with self._lock:
            while self.session_changes:
                stamps = self.session_changes[-1]
                with self._write() as conn:
                    targets = [c for c in self._changes_at(conn, stamps) if not self._undone(conn, c.ts)]
                    steps = [self._undo_change(conn, c) for c in reversed(targets)]
                self.session_changes.pop()
                if steps:
                    return steps
        return []

    # ------------------------------------------------------------------ reading the trail

    def _decoded(self, rows: Sequence[sqlite3.Row]) -> list[dict[str, Any]]:
        out = []
        for r in rows:
            d = dict(r)
            d["changes"] = json.loads(d["changes"])
            out.append(d)
        return out

    def _rows_of_user(self, conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
        """This user's audit rows, newest first, a page at a time (no cursor is left open while
        the undo writes)."""
        below = -1  # no page read yet: every id is below the first page's
        while True:
            page = conn.execute(
                "SELECT * FROM audit WHERE user = ? AND (? < 0 OR id < ?) ORDER BY id DESC LIMIT ?",
                (self.user, below, below, PAGE),
            ).fetchall()
            if not page:
                return
            yield from self._decoded(page)
            below = int(page[-1]["id"])

    def _changes_at(self, conn: sqlite3.Connection, stamps: Sequence[str]) -> list[Change]:
        changes: list[Change] = []
        for ts in stamps:
            rows = conn.execute(
                "SELECT * FROM audit WHERE user = ? AND ts = ? ORDER BY id DESC", (self.user, ts)
            ).fetchall()
            changes.extend(changes_of(self._decoded(rows)))
        return sorted(changes, key=lambda c: c.first_id)

    def _undone(self, conn: sqlite3.Connection, ts: str) -> bool:
        found = conn.execute("SELECT 1 FROM audit WHERE user = ? AND undoes = ? LIMIT 1", (self.user, ts))
        return found.fetchone() is not None

    def _later_rows(
        self, conn: sqlite3.Connection, change: Change
    ) -> dict[tuple[str, int], list[dict[str, Any]]]:
        later = {}
        for table, row_id in change.records():
            rows = conn.execute(
                "SELECT * FROM audit WHERE tbl = ? AND row_id = ? AND id > ? ORDER BY id",
                (table, row_id, change.last_id),
            ).fetchall()
            later[(table, row_id)] = self._decoded(rows)
        return later

    # ------------------------------------------------------------------ undoing one change

    def _undo_change(self, conn: sqlite3.Connection, change: Change) -> UndoStep:
        later = self._later_rows(conn, change)
        kind_name, subject_id = change.subject()
        subject = self._name_of(conn, kind_name, subject_id, change)
        why = later_conflict(
            change, [r for rows in later.values() for r in rows], self._names_of(conn, change)
        )
        if why is not None:
            raise UndoRefused(f"cannot undo the {change.action} of {subject} ({_when(change.ts)}): {why}")
        step = UndoStep(change.ts, change.user, change.action, subject)
        ts = self._undo_stamp(conn)
        inserted = {(r["tbl"], int(r["row_id"])) for r in change.rows if r["action"] == "insert"}
        restored_projects: set[int] = set()
        try:
            for row in reversed(change.rows):
                action, table, row_id = row["action"], str(row["tbl"]), int(row["row_id"])
                kind = _KIND_OF_TABLE[table]
                if action == "delete":
                    self._bring_back(conn, kind, row, ts, restored_projects)
                    step.restored[kind.name] = step.restored.get(kind.name, 0) + 1
                elif action == "update":
                    unlink = change.action == "delete"
                    text = self._put_back(
                        conn, kind, row, ts, unlink=unlink, untouched=not later[(table, row_id)]
                    )
                    if unlink:
                        step.relinked[kind.name] = step.relinked.get(kind.name, 0) + 1
                    else:
                        step.reverted.extend(text)
                else:
                    for gone in self._take_away(conn, kind, row_id, ts, inserted, subject):
                        step.removed[gone] = step.removed.get(gone, 0) + 1
            if change.action == "delete":
                rules.assert_acyclic(conn)
                rules.assert_links(conn)
        except ValidationError as exc:
            raise UndoRefused(f"cannot undo the {change.action} of {subject}: {exc}") from None
        # The rows just written are an undo of `change`: mark them, and keep them out of this
        # session's own changes (a second `u` goes further back, it does not redo).
        conn.execute("UPDATE audit SET undoes = ? WHERE user = ? AND ts = ?", (change.ts, self.user, ts))
        self._txn_stamps[:] = [s for s in self._txn_stamps if s != ts]
        step.restored = _in_kind_order(step.restored)
        step.relinked = _in_kind_order(step.relinked)
        step.removed = _in_kind_order(step.removed)
        return step

    def _undo_stamp(self, conn: sqlite3.Connection) -> str:
        """A stamp no change of this user has: an undo is told apart from the change it reverts
        (and from the other undos of one run) by its stamp, even when the clock is fixed."""
        ts = self._stamp()
        while conn.execute(
            "SELECT 1 FROM audit WHERE user = ? AND ts = ? LIMIT 1", (self.user, ts)
        ).fetchone():
            moment = datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ") + timedelta(microseconds=1)
            ts = moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"
        return ts

    def _bring_back(
        self, conn: sqlite3.Connection, kind: Kind, audit_row: Mapping[str, Any], ts: str, projects: set[int]
    ) -> None:
        """Re-insert a deleted record exactly as its delete recorded it."""
        row_id = int(audit_row["row_id"])
        changes = audit_row["changes"]
        label = self._name_of(conn, kind.name, row_id, None, {k: v[0] for k, v in changes.items()})
        if conn.execute(f"SELECT 1 FROM {kind.table} WHERE id = ?", (row_id,)).fetchone():
            raise UndoRefused(f"cannot bring back {label}: id {row_id} belongs to a newer {kind.name}")
        meta = {k: changes[k][0] for k in META if k in changes} or self._meta_before(
            conn, kind, row_id, int(audit_row["id"])
        )
        values = {k: v[0] for k, v in changes.items() if k not in META and k not in kind.links}
        # The audit is data another program may have written: only the kind's own columns are
        # ever named in SQL.
        unknown = sorted(set(values) - _stored_columns(conn, kind))
        if unknown:
            raise UndoRefused(
                f"cannot bring back {label}: its delete names unknown fields {', '.join(unknown)}"
            )
        row = {"id": row_id, **values, **meta}
        rules.check(cast(Any, self), conn, kind.name, None, row, deferred=True)
        owner = closed_project(conn, kind.name, row)
        if owner is not None and not _restored_code(conn, owner, projects):
            raise UndoRefused(f"cannot bring back {label}: project {owner} has been closed since")
        columns, marks = ", ".join(row), ", ".join("?" for _ in row)
        try:
            conn.execute(
                f"INSERT INTO {kind.table} ({columns}) VALUES ({marks})",
                tuple(row.values()),
            )
        except sqlite3.IntegrityError as exc:
            raise UndoRefused(f"cannot bring back {label}: {integrity_error(kind.name, exc)}") from None
        audit = {k: [None, v] for k, v in values.items() if v is not None}
        for name in kind.links:
            ids = (changes.get(name) or [None])[0] or []
            if ids:
                try:
                    self._write_links(conn, kind, name, row_id, list(ids))
                except sqlite3.IntegrityError:
                    raise UndoRefused(
                        f"cannot bring back {label}: a record it was linked to ({name}) is gone"
                    ) from None
                audit[name] = [None, sorted(ids)]
        if kind.name == "project":
            projects.add(row_id)
        self._write_audit(conn, [(ts, kind.table, row_id, "insert", audit)])

    def _meta_before(
        self, conn: sqlite3.Connection, kind: Kind, row_id: int, delete_id: int
    ) -> dict[str, Any]:
        """A record's bookkeeping before a delete whose audit row did not record it (deletes made by
        older versions): from its own earlier audit rows."""
        rows = conn.execute(
            "SELECT ts, user, action FROM audit WHERE tbl = ? AND row_id = ? AND id < ? ORDER BY id DESC",
            (kind.table, row_id, delete_id),
        ).fetchall()
        since_insert = []
        for r in rows:
            if r["action"] == "delete":
                break
            since_insert.append(r)
            if r["action"] == "insert":
                break
        if not since_insert:
            now = self._stamp()
            return {"version": 1, "created_at": now, "updated_at": now, "updated_by": self.user}
        return {
            "version": len(since_insert),
            "created_at": since_insert[-1]["ts"],
            "updated_at": since_insert[0]["ts"],
            "updated_by": since_insert[0]["user"],
        }

    def _put_back(
        self,
        conn: sqlite3.Connection,
        kind: Kind,
        audit_row: Mapping[str, Any],
        ts: str,
        *,
        unlink: bool,
        untouched: bool,
    ) -> list[str]:
        """Put an update's old values back. An unlink (a delete emptied a reference) that nothing
        touched since also gets the record's version and stamps back."""
        row_id = int(audit_row["row_id"])
        label = self._name_of(conn, kind.name, row_id, None)
        try:
            current = self._row(conn, kind, row_id)
        except NotFoundError:
            raise UndoRefused(f"cannot put {label} back: it has been deleted") from None
        columns: dict[str, Any] = {}
        links: dict[str, list[int]] = {}
        said = []
        for name, (old, new) in audit_row["changes"].items():
            if name in kind.links:
                now: Any = sorted(self._read_links(conn, kind, name, row_id))
                new = sorted(new or [])
                links[name] = sorted(old or [])
            else:
                now = current.get(name)
                columns[name] = old
            if now != new:
                raise UndoRefused(
                    f"cannot put {label} back: its {_field(name)} is {_shown(now)}, not {_shown(new)} "
                    "as that change left it (changed outside pgmtui?)"
                )
            said.append(f"{_field(name)} {_shown(new)} → {_shown(old)}")
        full = {**current, **columns}
        rules.check(cast(Any, self), conn, kind.name, current, full, deferred=unlink)
        changes = self._update_row(conn, kind, current, columns, links, ts)
        if not changes:
            return said
        self._write_audit(conn, [(ts, kind.table, row_id, "update", changes)])
        if unlink and untouched:
            before = conn.execute(
                "SELECT ts, user FROM audit WHERE tbl = ? AND row_id = ? AND id < ? ORDER BY id DESC LIMIT 1",
                (kind.table, row_id, int(audit_row["id"])),
            ).fetchone()
            if before is not None:
                conn.execute(
                    f"UPDATE {kind.table} SET version = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                    (current["version"] - 1, before["ts"], before["user"], row_id),
                )
        return said

    def _take_away(
        self,
        conn: sqlite3.Connection,
        kind: Kind,
        row_id: int,
        ts: str,
        inserted: set[tuple[str, int]],
        subject: str,
    ) -> list[str]:
        """Delete a record the change added (with what the same change added under it)."""
        if conn.execute(f"SELECT 1 FROM {kind.table} WHERE id = ?", (row_id,)).fetchone() is None:
            return []  # already gone with a record the same change added
        current = self._row(conn, kind, row_id)
        refuse_delete(conn, kind.name, current)
        plan = plan_delete(conn, kind.name, row_id)
        others = [(k, i) for k, i in plan.deletes if (KINDS[k].table, i) not in inserted]
        others += [key for key in plan.unlinks if (KINDS[key[0]].table, key[1]) not in inserted]
        if others:
            counts: dict[str, int] = {}
            for k, _ in others:
                counts[k] = counts.get(k, 0) + 1
            what = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items())
            raise UndoRefused(
                f"cannot undo the addition of {subject}: records added since refer to it ({what}); "
                "delete it instead if that is what you want"
            )
        gone = []
        for child_kind, child_id in plan.deletes:
            self._delete_row(conn, KINDS[child_kind], child_id, ts)
            gone.append(child_kind)
        return gone

    # ------------------------------------------------------------------ naming records

    def _names_of(self, conn: sqlite3.Connection, change: Change) -> dict[tuple[str, int], str]:
        return {(t, i): self._name_of(conn, _KIND_OF_TABLE[t].name, i, change) for t, i in change.records()}

    def _name_of(
        self,
        conn: sqlite3.Connection,
        kind_name: str,
        row_id: int,
        change: Change | None,
        values: Mapping[str, Any] | None = None,
    ) -> str:
        """How people name a record in a message: project IAM, milestone CLD:Go-live, risk #66 "…"."""
        kind = KINDS[kind_name]
        row = values
        if row is None:
            found = conn.execute(f"SELECT * FROM {kind.table} WHERE id = ?", (row_id,)).fetchone()
            row = dict(found) if found is not None else None
        if row is None and change is not None:  # gone: its values are in the change's rows
            for r in change.rows:
                if r["tbl"] == kind.table and int(r["row_id"]) == row_id:
                    row = {k: (v[0] if v[0] is not None else v[1]) for k, v in r["changes"].items()}
        row = row or {}
        if kind_name == "project" and row.get("code"):
            return f"project {row['code']}"
        if kind_name == "milestone" and row.get("name"):
            code = conn.execute("SELECT code FROM project WHERE id = ?", (row.get("project_id"),)).fetchone()
            return f"milestone {code[0] + ':' if code else ''}{row['name']}"
        word = kind_name.replace("_", " ")
        shown = row.get(kind.display) if kind.display != "id" else None
        if shown:
            text = str(shown)
            return f'{word} #{row_id} "{text[:47] + "…" if len(text) > 48 else text}"'
        return f"{word} #{row_id}"


def _restored_code(conn: sqlite3.Connection, code: str, projects: set[int]) -> bool:
    found = conn.execute("SELECT id FROM project WHERE code = ?", (code,)).fetchone()
    return found is not None and int(found[0]) in projects


def _in_kind_order(counts: dict[str, int]) -> dict[str, int]:
    order = list(KINDS)
    return dict(sorted(counts.items(), key=lambda kv: order.index(kv[0])))


def _field(name: str) -> str:
    return name.removesuffix("_id").replace("_", " ")


def _shown(value: Any) -> str:
    if value is None or value == []:
        return "–"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _when(ts: str) -> str:
    return ts[:16].replace("T", " ")
