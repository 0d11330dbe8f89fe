"""Reloading an export into an empty database exactly as it was: same ids, versions, stamps and
audit trail, so export → import → export gives identical files (used by pgmtui.exchange). A mixin
of :class:`pgmtui.store.db.Store`; rows go through the store's one write path."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pgmtui.records.errors import ValidationError
from pgmtui.records.fields import KINDS, Field, coerce_field, kind_named
from pgmtui.store import rules

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pgmtui.records.fields import Kind
    from pgmtui.store.db import _GuardedLock


class RestoreMixin:
    _conn: sqlite3.Connection
    _lock: _GuardedLock

    if TYPE_CHECKING:  # what a restore uses from the store's write path (defined in db.py)

        def _write(self) -> contextlib.AbstractContextManager[sqlite3.Connection]: ...
        def _prepare(self, kind: Kind, fields: Mapping[str, Any]) -> dict[str, Any]: ...
        def _insert_records(
            self,
            conn: sqlite3.Connection,
            kind: Kind,
            records: Iterable[tuple[Mapping[str, Any], Mapping[str, Any] | None]],
            *,
            lookups: bool,
            deferred: bool,
        ) -> list[int]: ...

    def is_empty(self) -> bool:
        """No records and no audit rows at all."""
        with self._lock:
            for table in (*(k.table for k in KINDS.values()), "audit"):
                if self._conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
                    return False
            return True

    def restore(
        self,
        kind_name: str,
        fields: Mapping[str, Any],
        *,
        row_id: int,
        version: int,
        created_at: str,
        updated_at: str,
        updated_by: str,
    ) -> int:
        """Insert one record as exported (given id, version and stamps). Validated like `insert`
        (fields, references, cross-row rules; the dependency cycle check and whether link
        fields name existing records are left to `check_acyclic` after the last one), and NOT
        audited: `restore_audit` brings the exported
        trail back instead."""
        kind = kind_named(kind_name)
        values = self._prepare(kind, {k: v for k, v in fields.items() if v is not None and v != ""})
        for name, value in (("id", row_id), ("version", version)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValidationError(name, f"{name} must be a whole number ≥ 1, got {value!r}")
        for name, stamp in (("created_at", created_at), ("updated_at", updated_at)):
            if not isinstance(stamp, str) or not _TIMESTAMP.fullmatch(stamp):
                raise ValidationError(
                    name, f"{name} must be a timestamp like 2026-11-25T09:30:00.000000Z, got {stamp!r}"
                )
        if not isinstance(updated_by, str) or not updated_by.strip():
            raise ValidationError("updated_by", "updated_by is required")
        coerce_field(Field("updated_by", "text"), updated_by)
        stamps = {
            "id": row_id,
            "version": version,
            "created_at": created_at,
            "updated_at": updated_at,
            "updated_by": updated_by,
        }
        with self._write() as conn:
            if conn.execute(f"SELECT 1 FROM {kind.table} WHERE id = ?", (row_id,)).fetchone():
                raise ValidationError("id", f"{kind.name} id {row_id} is given twice")
            self._insert_records(conn, kind, [(values, stamps)], lookups=True, deferred=True)
            return row_id

    def restore_audit(self, rows: list[Mapping[str, Any]]) -> None:
        """Put exported audit rows back verbatim (id, ts, user, tbl, row_id, action, changes, and
        `undoes` when the row belongs to an undo)."""
        tables = {k.table for k in KINDS.values()}
        out = []
        for r in rows:
            action, tbl = r.get("action"), r.get("tbl")
            if action not in ("insert", "update", "delete"):
                raise ValidationError("action", f"action must be insert, update or delete, got {action!r}")
            if tbl not in tables:
                raise ValidationError(
                    "tbl", f"tbl must name a table ({', '.join(sorted(tables))}), got {tbl!r}"
                )
            for name in ("id", "row_id"):
                if not isinstance(r.get(name), int) or isinstance(r.get(name), bool):
                    raise ValidationError(name, f"{name} must be a whole number, got {r.get(name)!r}")
            if not isinstance(r.get("ts"), str) or not _TIMESTAMP.fullmatch(r["ts"]):
                raise ValidationError("ts", f"ts must be a timestamp, got {r.get('ts')!r}")
            changes = r.get("changes")
            if not isinstance(changes, str):
                changes = json.dumps(changes, ensure_ascii=False, sort_keys=True)
            try:
                if not isinstance(json.loads(changes), dict):
                    raise ValueError
            except ValueError:
                raise ValidationError("changes", "changes must be a JSON object") from None
            undoes = r.get("undoes") or None
            if undoes is not None and (not isinstance(undoes, str) or not _TIMESTAMP.fullmatch(undoes)):
                raise ValidationError("undoes", f"undoes must be empty or a timestamp, got {undoes!r}")
            out.append(
                (r["id"], r["ts"], str(r.get("user") or ""), tbl, r["row_id"], action, changes, undoes)
            )
        with self._write() as conn:
            try:
                conn.executemany(
                    "INSERT INTO audit (id, ts, user, tbl, row_id, action, changes, undoes) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    out,
                )
            except sqlite3.IntegrityError as exc:
                raise ValidationError("id", f"audit not restored: {exc}") from None

    def check_acyclic(self) -> None:
        """Raise ValidationError if the dependencies form a cycle, or a link field (an action's
        `about`, a lesson's `source`) names a record that is not there (after bulk restores)."""
        with self._lock:
            rules.assert_acyclic(self._conn)
            rules.assert_links(self._conn)


_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?")
