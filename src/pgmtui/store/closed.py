"""Closed projects are read-only: the normal end of a project, kept with its history instead of
deleted.

A project whose stage is `Closed` (any case) cannot be edited except to re-open it (a change of
its stage to anything else), and the records that belong to it cannot be added, changed or deleted.
A record belongs to a project through its references that go with the project when it is deleted
(`on_delete="cascade"` in records/fields.py): a milestone, a risk, an action with `project=` it, a
dependency or gate review through one of its milestones, an allocation through its project. A
lesson's project is only a label (it is kept when the project goes): lessons are what closing a
project produces, so they can always be written. The project itself can still be deleted, with
everything that hangs off it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from pgmtui.records.errors import ValidationError
from pgmtui.records.fields import KINDS, Field, column_for

__all__ = ["CLOSED", "closed_project", "is_closed", "refuse_delete", "refuse_write"]

CLOSED = "Closed"

# The references through which a record belongs to what it hangs off, per kind.
_OWNERS: dict[str, tuple[Field, ...]] = {
    kind.name: tuple(f for f in kind.fields if f.type == "ref" and f.on_delete == "cascade")
    for kind in KINDS.values()
}


def is_closed(stage: Any) -> bool:
    return isinstance(stage, str) and stage.strip().lower() == CLOSED.lower()


def closed_project(conn: sqlite3.Connection, kind: str, row: Mapping[str, Any]) -> str | None:
    """The code of the closed project `row` (a record of `kind`, columns as stored) belongs to,
    directly or through the records it hangs off; None when it belongs to no closed project."""
    for f in _OWNERS.get(kind, ()):
        ref_id = row.get(column_for(f))
        if ref_id is None:
            continue
        if f.ref == "project":
            found = conn.execute("SELECT code, stage FROM project WHERE id = ?", (ref_id,)).fetchone()
            if found is not None and is_closed(found[1]):
                return str(found[0])
            continue
        target = KINDS[f.ref]
        parent = conn.execute(f"SELECT * FROM {target.table} WHERE id = ?", (ref_id,)).fetchone()
        if parent is not None:
            code = closed_project(conn, f.ref, dict(parent))
            if code is not None:
                return code
    return None


def _refused(code: str) -> ValidationError:
    return ValidationError(
        "project",
        f"project {code} is closed: it and its records are read-only; re-open it first "
        f"(set its stage back, e.g. `pgmtui set project {code} stage=Delivery`)",
    )


def refuse_write(
    conn: sqlite3.Connection, kind: str, current: Mapping[str, Any] | None, row: Mapping[str, Any]
) -> None:
    """Raise if a new record (`current` None) or a change (`row`: the full row after it) touches
    a closed project or one of its records. Re-opening a closed project is the one change allowed."""
    if kind == "project":
        if current is not None and is_closed(current.get("stage")) and is_closed(row.get("stage")):
            raise _refused(str(current.get("code")))
        return
    for state in (current, row):  # moving a record out of (or into) a closed project is a change to it
        if state is not None:
            code = closed_project(conn, kind, state)
            if code is not None:
                raise _refused(code)


def refuse_delete(conn: sqlite3.Connection, kind: str, row: Mapping[str, Any]) -> None:
    """Raise if `row` belongs to a closed project (the project itself may be deleted)."""
    if kind != "project":
        code = closed_project(conn, kind, row)
        if code is not None:
            raise _refused(code)
