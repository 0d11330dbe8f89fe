"""Full-text search over the records: one SQLite FTS5 index per record table, kept in step with
the table by triggers (so every write path, the CLI, imports and other programs' writes included,
updates it in the same transaction).

Indexes are made by migrations through sqlite-utils (`add_full_text_index`: one call per table,
also for the record kinds still to come). Searching is plain SQL here, so the dashboard never
imports sqlite-utils (a fifth of a second) to start or to search.

User text never reaches FTS5's query language: every word is quoted (`"foo` or `AND OR` are words
to look for, not syntax) and matched as a prefix, so typing "migr" finds "migration".
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pgmtui.records.errors import ValidationError
from pgmtui.records.fields import KINDS

FTS_SUFFIX = "_fts"
MAX_QUERY_CHARS = 500
MAX_TERMS = 16
MAX_LIMIT = 500
SNIPPET_TOKENS = 12  # words of context FTS5 keeps around a match
# Marks FTS5 puts around each matched word in a snippet. Control characters are refused in record
# text (fields.check_text), so they cannot be confused with what a user typed.
_OPEN, _CLOSE = "\x02", "\x03"


@dataclass(frozen=True)
class SearchHit:
    """One record that matches: what it is, how it is known, and the text around the match."""

    kind: str
    id: int
    label: str
    snippet: str  # plain text (render it as data, never as markup)
    marks: tuple[tuple[int, int], ...]  # [start, end) of each matched word within `snippet`
    rank: float  # FTS5 bm25: lower is a better match


def add_full_text_index(conn: sqlite3.Connection, table: str, columns: Sequence[str]) -> None:
    """Index `columns` of `table` for search, filled from the rows already there and kept in step
    by insert/update/delete triggers. For a migration (inside its transaction); calling it again
    with other columns replaces the table's index."""
    db = _database(conn)
    db.table(table).enable_fts(list(columns), fts_version="FTS5", create_triggers=True, replace=True)
    # sqlite-utils re-indexes a row on every update; most updates (a risk score, a milestone date,
    # a version bump) touch no indexed column, and re-indexing them made the large demo a third
    # slower. Same trigger, fired only when an indexed column is written.
    cols = ", ".join(f'"{c}"' for c in columns)
    old = ", ".join(f'old."{c}"' for c in columns)
    new = ", ".join(f'new."{c}"' for c in columns)
    fts = table + FTS_SUFFIX
    conn.execute(f'DROP TRIGGER "{table}_au"')
    conn.execute(
        f'CREATE TRIGGER "{table}_au" AFTER UPDATE OF {cols} ON "{table}" BEGIN '
        f'INSERT INTO "{fts}" ("{fts}", rowid, {cols}) VALUES (\'delete\', old.rowid, {old}); '
        f'INSERT INTO "{fts}" (rowid, {cols}) VALUES (new.rowid, {new}); END'
    )


def _database(conn: sqlite3.Connection) -> Any:
    """sqlite-utils over our connection, running its scripts statement by statement inside our
    transaction as it does, but finding the statements at each ';' instead of at each character:
    its splitter joins the growing statement once per character, which cost 0.3 s of every new
    database's migrations (tests create hundreds)."""
    return _database_class()(conn, recursive_triggers=False, execute_plugins=False)


@functools.cache
def _database_class() -> Any:
    import sqlite_utils  # only migrations need it

    class Database(sqlite_utils.Database):
        def executescript(self, sql: str) -> sqlite3.Cursor:
            if not self.conn.in_transaction:
                return super().executescript(sql)
            cursor = self.conn.cursor()
            for statement in _statements(sql):
                cursor.execute(statement)
            return cursor

    return Database


def _statements(sql: str) -> list[str]:
    """The complete SQL statements of a script (a ';' inside a string or a trigger body does not
    end one: sqlite3.complete_statement says when one is complete)."""
    out: list[str] = []
    pending = ""
    pieces = sql.split(";")
    for n, piece in enumerate(pieces):
        pending += piece + (";" if n < len(pieces) - 1 else "")
        text = pending.strip()
        if text and sqlite3.complete_statement(text):
            out.append(text)
            pending = ""
    if pending.strip():
        out.append(pending.strip())
    return out


def indexed_tables(conn: sqlite3.Connection) -> list[str]:
    """The record tables that have a full-text index, in KINDS order."""
    names = {
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'"
        )
    }
    return [k.table for k in KINDS.values() if k.table + FTS_SUFFIX in names]


def fts_query(text: str) -> str | None:
    """The user's words as an FTS5 query that cannot be a syntax error: each word quoted (a quote
    inside doubled) and matched as a prefix, all words required. None when nothing is searchable."""
    if not isinstance(text, str):
        raise ValidationError("query", "the search text must be text")
    if len(text) > MAX_QUERY_CHARS:
        raise ValidationError("query", f"the search text is too long (at most {MAX_QUERY_CHARS} characters)")
    # A word FTS5 would read as no token at all (only punctuation) would make an empty phrase.
    words = [w for w in text.split() if any(ch.isalnum() for ch in w)]
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words[:MAX_TERMS])


def search(conn: sqlite3.Connection, text: str, limit: int = 50) -> list[SearchHit]:
    """Records whose indexed text holds every word of `text` (as word prefixes), best first."""
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise ValidationError("limit", f"limit must be a whole number from 1 to {MAX_LIMIT}")
    query = fts_query(text)
    if query is None:
        return []
    by_table = {k.table: k for k in KINDS.values()}
    hits: list[SearchHit] = []
    for table in indexed_tables(conn):
        kind = by_table[table]
        fts = table + FTS_SUFFIX
        label = "NULL" if kind.display == "id" else f"t.{kind.display}"
        sql = (
            f"SELECT t.id, {label}, snippet({fts}, -1, ?, ?, '…', {SNIPPET_TOKENS}), {fts}.rank "
            f"FROM {fts} JOIN {table} t ON t.id = {fts}.rowid "
            f"WHERE {fts} MATCH ? ORDER BY {fts}.rank, t.id LIMIT ?"
        )
        try:
            rows = conn.execute(sql, (_OPEN, _CLOSE, query, limit)).fetchall()
        except sqlite3.OperationalError as exc:
            # Quoting leaves no syntax to get wrong; this is a safety net, not a path we expect.
            raise ValidationError("query", f"cannot search for {text!r} ({exc})") from None
        for row_id, name, raw, rank in rows:
            snippet, marks = _marks(raw or "")
            label_text = f"#{row_id}" if name is None or name == "" else str(name)
            hits.append(SearchHit(kind.name, row_id, label_text, snippet, marks, float(rank)))
    order = {k.name: i for i, k in enumerate(KINDS.values())}
    hits.sort(key=lambda h: (h.rank, order[h.kind], h.id))
    return hits[:limit]


def _marks(raw: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Strip FTS5's match marks from a snippet, keeping where they were."""
    out: list[str] = []
    marks: list[tuple[int, int]] = []
    start = -1
    length = 0
    for ch in raw:
        if ch == _OPEN:
            start = length
        elif ch == _CLOSE:
            if start >= 0:
                marks.append((start, length))
            start = -1
        else:
            out.append(ch)
            length += 1
    return "".join(out), tuple(marks)


def index_problems(conn: sqlite3.Connection) -> list[str]:
    """`pgmtui check`: each full-text index against its table (skipped on a read-only database,
    where FTS5 cannot run its check)."""
    problems: list[str] = []
    for table in indexed_tables(conn):
        fts = table + FTS_SUFFIX
        try:
            conn.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
        except sqlite3.OperationalError as exc:
            if "readonly" in str(exc) or "read-only" in str(exc):
                return problems
            problems.append(f"search index of {table}: {exc}")
        except sqlite3.DatabaseError:
            problems.append(f"search index of {table} is out of step with the table; search may miss records")
    return problems
