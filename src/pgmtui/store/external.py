"""External references: which record an item of an outside file became.

An MS Project task keeps its UID (under the plan's GUID), a register row its own ID ("R-014"), so
that importing the same file again finds the records it made and updates them in place instead of
adding them twice. A reference is (source, external_id, kind) → row id, unique per source, id and
kind; deleting a record removes its references (db.py, in the delete's transaction).

References are bookkeeping, not records: they carry no version and write no audit row (the
record they point at is audited when it is added, changed or deleted). A mixin of
:class:`pgmtui.store.db.Store`.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pgmtui.records.errors import ValidationError
from pgmtui.records.fields import KINDS

if TYPE_CHECKING:
    from pgmtui.store.db import _GuardedLock

MAX_REF_CHARS = 500


def _check(name: str, value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(name, f"{name} of an external reference must not be blank")
    if len(value) > MAX_REF_CHARS:
        raise ValidationError(name, f"{name} of an external reference is too long ({len(value)} characters)")
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value):
        raise ValidationError(name, f"{name} of an external reference contains control characters")
    return value


def _kind_table(kind: str) -> str:
    if kind not in KINDS:
        raise ValidationError("kind", f"unknown kind {kind!r} for an external reference")
    return KINDS[kind].table


class ExternalRefsMixin:
    _conn: sqlite3.Connection
    _lock: _GuardedLock

    if TYPE_CHECKING:  # the store's write path (db.py)

        def _write(self) -> contextlib.AbstractContextManager[sqlite3.Connection]: ...

    def external_refs(self, source: str) -> dict[tuple[str, str], int]:
        """Every reference of `source`: (kind, external id) → row id."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT kind, external_id, row_id FROM external_ref WHERE source = ?", (source,)
            ).fetchall()
        return {(kind, ext): row_id for kind, ext, row_id in rows}

    def external_refs_of(self, kind: str, row_id: int) -> list[tuple[str, str]]:
        """(source, external id) of every reference to one record."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT source, external_id FROM external_ref WHERE kind = ? AND row_id = ? "
                "ORDER BY source, external_id",
                (kind, row_id),
            ).fetchall()
        return [(s, e) for s, e in rows]

    def all_external_refs(self) -> list[dict[str, object]]:
        """Every reference, for an export (sorted, so exports compare byte for byte)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT source, external_id, kind, row_id FROM external_ref ORDER BY source, kind, external_id"
            ).fetchall()
        return [{"source": s, "external_id": e, "kind": k, "row_id": r} for s, e, k, r in rows]

    def set_external_ref(self, source: str, external_id: str, kind: str, row_id: int) -> None:
        """Record (or move) the reference `source`/`external_id`/`kind` → `row_id`."""
        self.set_external_refs([(source, external_id, kind, row_id)])

    def set_external_refs(self, refs: Iterable[tuple[str, str, str, int]]) -> None:
        checked = []
        for source, external_id, kind, row_id in refs:
            table = _kind_table(kind)
            if not isinstance(row_id, int) or isinstance(row_id, bool):
                raise ValidationError("row_id", f"row_id must be a whole number, got {row_id!r}")
            checked.append(
                (_check("source", source), _check("external_id", external_id), kind, row_id, table)
            )
        with self._write() as conn:
            for source, external_id, kind, row_id, table in checked:
                if conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone() is None:
                    raise ValidationError(
                        "row_id", f"no {kind} with id {row_id} (external reference {external_id!r})"
                    )
                conn.execute(
                    "INSERT INTO external_ref (source, external_id, kind, row_id) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (source, external_id, kind) DO UPDATE SET row_id = excluded.row_id",
                    (source, external_id, kind, row_id),
                )

    def drop_external_refs(self, source: str, keys: Iterable[tuple[str, str]]) -> None:
        """Forget the references (kind, external id) of `source` (the records stay)."""
        with self._write() as conn:
            conn.executemany(
                "DELETE FROM external_ref WHERE source = ? AND kind = ? AND external_id = ?",
                [(source, kind, ext) for kind, ext in keys],
            )


def forget_record(conn: sqlite3.Connection, kind: str, row_id: int) -> None:
    """A record is deleted: its references go with it (called inside the delete's transaction)."""
    conn.execute("DELETE FROM external_ref WHERE kind = ? AND row_id = ?", (kind, row_id))


def dangling_refs(conn: sqlite3.Connection) -> list[str]:
    """`pgmtui check`: references whose record no longer exists (another tool deleted it)."""
    problems = []
    for kind in sorted({k for (k,) in conn.execute("SELECT DISTINCT kind FROM external_ref")}):
        if kind not in KINDS:
            problems.append(f"external_ref: unknown kind {kind!r}")
            continue
        table = KINDS[kind].table
        for source, ext, row_id in conn.execute(
            f"SELECT source, external_id, row_id FROM external_ref WHERE kind = ? "
            f"AND row_id NOT IN (SELECT id FROM {table})",
            (kind,),
        ):
            problems.append(f"external_ref {source} {ext}: {kind} {row_id} does not exist")
    return problems
