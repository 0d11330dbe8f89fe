"""Undo, the pure part: which changes an OS user can undo, whether a later change forbids it, and
how to say what an undo did. The store (store/undo.py) reads the audit trail and writes the undo.

A *change* is what one write of the store did: its audit rows share ``ts`` and ``user`` (a delete
writes one row per record it deleted or unlinked, all with the same stamp). An undo is itself a
change; each of its rows names in ``undoes`` the ts of the change it reverted, so walking a user's
changes newest first skips the undos and the changes they undid, and a second undo goes further
back (there is no redo).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Change", "UndoStep", "changes_of", "later_conflict", "undoable"]

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Change:
    """One change: its audit rows (oldest first, as written) and who made it when."""

    user: str
    ts: str
    rows: tuple[Row, ...]

    @property
    def first_id(self) -> int:
        return int(self.rows[0]["id"])

    @property
    def last_id(self) -> int:
        return int(self.rows[-1]["id"])

    @property
    def undoes(self) -> str | None:
        """The ts of the change this one reverted, when it is an undo."""
        return next((str(r["undoes"]) for r in self.rows if r.get("undoes")), None)

    def records(self) -> list[tuple[str, int]]:
        """The records it touched, (table, row id), in the order written."""
        return list(dict.fromkeys((str(r["tbl"]), int(r["row_id"])) for r in self.rows))

    @property
    def action(self) -> str:
        """ "delete" when it deleted anything (its unlinks are part of the delete), else "insert"
        or "update" (a change of several kinds of row: "update")."""
        actions = {r["action"] for r in self.rows}
        if "delete" in actions:
            return "delete"
        return "insert" if actions == {"insert"} else "update"

    def subject(self) -> tuple[str, int]:
        """The record the change was about: the last row a delete wrote (the record asked for; its
        dependants go first), else the first row."""
        row = self.rows[-1] if self.action == "delete" else self.rows[0]
        return str(row["tbl"]), int(row["row_id"])


def changes_of(rows_newest_first: Iterable[Row]) -> Iterator[Change]:
    """Group one user's audit rows (newest first) into changes (newest first): consecutive rows
    with the same user and ts."""
    batch: list[Row] = []
    for row in rows_newest_first:
        if batch and (row["ts"] != batch[0]["ts"] or row["user"] != batch[0]["user"]):
            yield _change(batch)
            batch = []
        batch.append(row)
    if batch:
        yield _change(batch)


def _change(rows_newest_first: list[Row]) -> Change:
    rows = tuple(sorted(rows_newest_first, key=lambda r: int(r["id"])))
    return Change(str(rows[0]["user"]), str(rows[0]["ts"]), rows)


def undoable(changes_newest_first: Iterable[Change]) -> Iterator[Change]:
    """The changes an undo may revert, newest first: not undos themselves, and not undone yet (an
    undo is always newer than the change it reverted, so its mark is seen first)."""
    undone: set[tuple[str, str]] = set()
    for change in changes_newest_first:
        mark = change.undoes
        if mark is not None:
            undone.add((change.user, mark))
            continue
        if (change.user, change.ts) not in undone:
            yield change


def later_conflict(
    change: Change, later_rows: Sequence[Row], label: Mapping[tuple[str, int], str] | None = None
) -> str | None:
    """Why `change` cannot be undone, or None: a later change touched one of its records. Later
    changes that were themselves undone, and the undos, do not count (the record is back as the
    change left it). `later_rows` are the audit rows of the change's records written after it."""
    undone = {(str(r["user"]), str(r["undoes"])) for r in later_rows if r.get("undoes")}
    for row in sorted(later_rows, key=lambda r: int(r["id"])):
        if row.get("undoes") or (str(row["user"]), str(row["ts"])) in undone:
            continue
        key = (str(row["tbl"]), int(row["row_id"]))
        when = _when(str(row["ts"]))
        if row["action"] == "insert":  # the record had gone, and SQLite gave its id to a new one
            by = "you" if row["user"] == change.user else str(row["user"])
            word = key[0].replace("_", " ")
            return f"the id of {word} #{key[1]} was taken since by a new {word} added by {by} at {when}"
        what = (label or {}).get(key) or f"{key[0].replace('_', ' ')} #{key[1]}"
        verb = "deleted" if row["action"] == "delete" else "changed"
        if row["user"] == change.user:
            return f"you {verb} {what} since, at {when} (undo that first)"
        return f"{what} was {verb} since by {row['user']} at {when}"
    return None


def _when(ts: str) -> str:
    return ts[:16].replace("T", " ")


@dataclass
class UndoStep:
    """What undoing one change did (or, in a dry run, would do)."""

    ts: str  # the change undone
    user: str
    action: str  # of the change undone: insert, update or delete
    subject: str  # the record it was about, as people name it ("project IAM", "risk #66 …")
    restored: dict[str, int] = field(default_factory=dict)  # deleted records brought back, per kind
    removed: dict[str, int] = field(default_factory=dict)  # added records taken away again
    relinked: dict[str, int] = field(default_factory=dict)  # records whose links came back
    reverted: list[str] = field(default_factory=list)  # "residual probability 4 → 3" (new → old)

    def text(self) -> str:
        """One line: what came back (for the toast and the CLI)."""
        when = _when(self.ts)
        if self.action == "delete":
            out = f"delete of {self.subject} ({when}) undone: brought back {_counted(self.restored)}"
            if self.relinked:
                out += f"; links put back on {_counted(self.relinked)}"
            return out
        if self.action == "insert":
            return f"addition of {self.subject} ({when}) undone: removed {_counted(self.removed)}"
        detail = "; ".join(self.reverted[:4]) + ("; …" if len(self.reverted) > 4 else "")
        return f"change of {self.subject} ({when}) undone: {detail or 'put back'}"

    def to_json(self) -> dict[str, Any]:
        return {
            "ts": self.ts,
            "user": self.user,
            "action": self.action,
            "subject": self.subject,
            "restored": self.restored,
            "removed": self.removed,
            "relinked": self.relinked,
            "reverted": self.reverted,
            "text": self.text(),
        }


def _counted(counts: Mapping[str, int]) -> str:
    parts = []
    for kind, n in counts.items():
        word = kind.replace("_", " ")
        if n != 1:
            word = "people" if word == "person" else (word[:-1] + "ies" if word.endswith("y") else word + "s")
        parts.append(f"{n} {word}")
    return ", ".join(parts) or "nothing"
