"""How a record is named: the one rule for command arguments (`set project IAM`) and reference
fields (`project=IAM`) alike, so that no token is read two ways.

  id:12 or #12   always the record with id 12;
  code:2         always the project (or objective) whose code is 2;
  IAM            a project or an objective by its code; CODE:name a milestone; a milestone, a
                 benefit, a person or a stakeholder by its name (any case);
  12             (all digits) the id, or the code/name when no record has that id; when it is the
                 id of one record and the code or name of another, it is refused as ambiguous and
                 the message says how to write either. Kinds without a code or name take ids only.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from pgmtui.records.fields import Kind

_EXPLICIT_ID = re.compile(r"(?:#|id:)\s*([0-9]+)", re.IGNORECASE)
_DIGITS = re.compile(r"[0-9]+")
# Kinds named by a column of their own (case-insensitive); the milestone is named by CODE:name.
_NAME_COLUMN = {
    "project": "code",
    "objective": "code",
    "benefit": "name",
    "person": "name",
    "stakeholder": "name",
}
_NAMED_KINDS = ("milestone", *_NAME_COLUMN)
_CODED_KINDS = tuple(k for k, column in _NAME_COLUMN.items() if column == "code")


class Unresolved(Exception):
    """A reference that names no record, or more than one (message fit for a user)."""


def resolve(conn: sqlite3.Connection, kind: Kind, value: Any) -> int:
    """The id of the one record of `kind` that `value` names (see the module docstring)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _by_id(conn, kind, value)
    text = str(value).strip()
    explicit = _EXPLICIT_ID.fullmatch(text)
    if explicit:
        return _by_id(conn, kind, int(explicit.group(1)))
    if kind.name in _CODED_KINDS and text[:5].lower() == "code:":
        named = _named(conn, kind, text[5:].strip())
        if not named:
            raise Unresolved(f"unknown {kind.name} code {text[5:].strip()!r}")
        return named[0]
    if kind.name not in _NAMED_KINDS:
        if _DIGITS.fullmatch(text):
            return _by_id(conn, kind, int(text))
        article = "an" if kind.name[0] in "aeiou" else "a"
        raise Unresolved(f"{article} {kind.name} is given by its id (e.g. 12 or id:12), got {text!r}")
    named = _named(conn, kind, text)
    if _DIGITS.fullmatch(text):
        row_id = int(text)
        has_id = conn.execute(f"SELECT 1 FROM {kind.table} WHERE id = ?", (row_id,)).fetchone() is not None
        if has_id and (not named or named == [row_id]):
            return row_id
        if has_id:
            what = "code" if kind.name in _CODED_KINDS else "name"
            others = ", ".join(f"id:{i} ({_label_of(conn, kind, i)})" for i in named)
            how = f"code:{text}" if kind.name in _CODED_KINDS else f"id:{named[0]}"
            if kind.name == "milestone":
                how = "CODE:name"
            raise Unresolved(
                f"{text!r} is ambiguous: it is the id of {kind.name} {_label_of(conn, kind, row_id)} and "
                f"the {what} of {kind.name} {others}; write id:{text} for the first or {how} for the other"
            )
    if len(named) == 1:
        return named[0]
    if not named:
        raise Unresolved(_unknown(kind, text))
    if kind.name == "milestone":
        raise Unresolved(f"{text!r} names several milestones; use CODE:name or an id")
    raise Unresolved(f"ambiguous {kind.name} {text!r} (use its id)")


def _by_id(conn: sqlite3.Connection, kind: Kind, row_id: int) -> int:
    if conn.execute(f"SELECT 1 FROM {kind.table} WHERE id = ?", (row_id,)).fetchone() is None:
        raise Unresolved(f"no {kind.name} with id {row_id}")
    return row_id


def _named(conn: sqlite3.Connection, kind: Kind, text: str) -> list[int]:
    """Ids of the records whose code or name (see _NAME_COLUMN; a milestone's name or `CODE:name`)
    is `text`, in any case."""
    if kind.name in _NAME_COLUMN:
        column = _NAME_COLUMN[kind.name]
        rows = conn.execute(
            f"SELECT id FROM {kind.table} WHERE {column} = ? COLLATE NOCASE", (text,)
        ).fetchall()
    elif kind.name == "milestone":
        code, sep, name = text.partition(":")
        if sep:
            rows = conn.execute(
                "SELECT m.id FROM milestone m JOIN project p ON p.id = m.project_id "
                "WHERE p.code = ? AND m.name = ? COLLATE NOCASE",
                (code.strip(), name.strip()),
            ).fetchall()
        else:
            rows = conn.execute("SELECT id FROM milestone WHERE name = ? COLLATE NOCASE", (text,)).fetchall()
    else:
        rows = []
    return sorted(r[0] for r in rows)


def _label_of(conn: sqlite3.Connection, kind: Kind, row_id: int) -> str:
    if kind.name in _NAME_COLUMN:
        column = _NAME_COLUMN[kind.name]
        row = conn.execute(f"SELECT {column} FROM {kind.table} WHERE id = ?", (row_id,)).fetchone()
    elif kind.name == "milestone":
        row = conn.execute(
            "SELECT p.code || ':' || m.name FROM milestone m JOIN project p ON p.id = m.project_id "
            "WHERE m.id = ?",
            (row_id,),
        ).fetchone()
    else:
        row = None
    return repr(row[0]) if row else f"#{row_id}"


def _unknown(kind: Kind, text: str) -> str:
    digits = _DIGITS.fullmatch(text) is not None
    if kind.name in _CODED_KINDS:
        return f"unknown {kind.name} code {text!r}" + (
            f" (and no {kind.name} has id {text})" if digits else ""
        )
    what = "name or id" if digits else "name"
    how = "CODE:name or an id" if kind.name == "milestone" else "its id"
    return f"unknown {kind.name} {text!r} (no {kind.name} has that {what}; use {how})"
