"""Cross-field and cross-record rules checked inside the write transaction.

Single-field rules (types, ranges, enums) live in fields.py; these need the whole row or other rows.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pgmtui import clock
from pgmtui.domain.deps import find_cycle
from pgmtui.records.errors import ValidationError
from pgmtui.records.fields import OPPORTUNITY_RESPONSES, THREAT_RESPONSES

if TYPE_CHECKING:
    from pgmtui.store.db import Store

PROJECT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,15}")


def _ordered(row: Mapping[str, Any], first: str, second: str, message: str) -> None:
    a, b = row.get(first), row.get(second)
    if a and b and b < a:
        raise ValidationError(second, message.format(a=a, b=b))


def _override_needs_reason(row: Mapping[str, Any]) -> None:
    if row.get("rag_override") and not (row.get("rag_reason") or "").strip():
        raise ValidationError("rag_reason", "a RAG override needs a reason (rag_reason)")


def check(
    store: Store,
    conn: sqlite3.Connection,
    kind: str,
    current: Mapping[str, Any] | None,
    row: Mapping[str, Any],
    *,
    cycles_later: bool = False,
) -> None:
    """Raise ValidationError if `row` (the full row after the change) breaks a rule.

    With `cycles_later` a dependency is not checked against the others here: a bulk load checks
    the whole graph once at the end (`assert_acyclic`), which is O(V+E) instead of O(E) per row."""
    if kind == "programme":
        if current is None:
            existing = conn.execute("SELECT name FROM programme LIMIT 1").fetchone()
            if existing:
                raise ValidationError(
                    "name", f"this database already holds programme {existing[0]!r} (one per database)"
                )
        _ordered(row, "start_date", "end_date", "end_date {b} is before start_date {a}")
        _override_needs_reason(row)
    elif kind == "project":
        code = row.get("code") or ""
        if not PROJECT_CODE.fullmatch(code):
            raise ValidationError(
                "code", f"project code {code!r} must be 1–16 letters, digits, '-' or '_' (e.g. IAM)"
            )
        _ordered(row, "start_date", "baseline_end", "baseline_end {b} is before start_date {a}")
        _ordered(row, "start_date", "forecast_end", "forecast_end {b} is before start_date {a}")
        _override_needs_reason(row)
    elif kind == "milestone":
        actual = row.get("actual_date")
        # Against the clock's today, not an `acting(at=...)` instant: backdated writes (demo
        # history, imports) may record actuals that were known by the clock's today.
        if actual and actual > clock.today().isoformat():
            raise ValidationError("actual_date", f"actual_date {actual} is in the future; use forecast_date")
    elif kind == "dependency":
        supplier, consumer = row["supplier_id"], row["consumer_id"]
        if supplier == consumer:
            raise ValidationError("consumer", "a milestone cannot depend on itself")
        if cycles_later:
            return
        edges = [
            (s, c)
            for s, c, i in conn.execute("SELECT supplier_id, consumer_id, id FROM dependency")
            if current is None or i != current["id"]
        ]
        cycle = find_cycle(edges, (supplier, consumer))
        if cycle:
            raise ValidationError(
                "consumer", "refused: this dependency would close a cycle: " + _names(conn, cycle)
            )
    elif kind == "risk":
        response = row.get("response")
        allowed = OPPORTUNITY_RESPONSES if row.get("kind") == "opportunity" else THREAT_RESPONSES
        if response and response not in allowed:
            raise ValidationError(
                "response",
                f"response {response!r} is not for a {row.get('kind')}; use one of: {', '.join(allowed)}",
            )
    elif kind in ("issue", "assumption", "decision"):
        _ordered(row, "raised_date", "due_date", "due_date {b} is before raised_date {a}")
    elif kind == "benefit":
        if row.get("baseline_value") == row.get("target_value"):
            raise ValidationError("target_value", "target_value must differ from baseline_value")
        _ordered(row, "baseline_date", "target_date", "target_date {b} is before baseline_date {a}")


def _names(conn: sqlite3.Connection, milestone_ids: list[int]) -> str:
    labels = []
    for mid in milestone_ids:
        row = conn.execute(
            "SELECT p.code, m.name FROM milestone m JOIN project p ON p.id = m.project_id WHERE m.id = ?",
            (mid,),
        ).fetchone()
        labels.append(f"{row[0]}:{row[1]}" if row else f"#{mid}")
    return " → ".join(labels)


# What a delete takes with it, in the order to delete (children first).
_CHILDREN: dict[str, list[tuple[str, str]]] = {
    "project": [
        (
            "dependency",
            "SELECT d.id FROM dependency d JOIN milestone m ON m.id IN (d.supplier_id, d.consumer_id) "
            "WHERE m.project_id = ?",
        ),
        ("milestone", "SELECT id FROM milestone WHERE project_id = ?"),
        ("risk", "SELECT id FROM risk WHERE project_id = ?"),
        ("issue", "SELECT id FROM issue WHERE project_id = ?"),
        ("assumption", "SELECT id FROM assumption WHERE project_id = ?"),
        ("decision", "SELECT id FROM decision WHERE project_id = ?"),
    ],
    "milestone": [("dependency", "SELECT id FROM dependency WHERE supplier_id = ? OR consumer_id = ?")],
    "benefit": [("measurement", "SELECT id FROM measurement WHERE benefit_id = ?")],
}


def dependents(conn: sqlite3.Connection, kind: str, row_id: int) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    seen: set[tuple[str, int]] = set()
    for child, sql in _CHILDREN.get(kind, []):
        params = (row_id,) * sql.count("?")
        for (cid,) in conn.execute(sql, params):
            if (child, cid) not in seen:
                seen.add((child, cid))
                out.append((child, cid))
    return out


def whole_db_problems(conn: sqlite3.Connection) -> list[str]:
    problems = []
    edges = [(s, c) for s, c in conn.execute("SELECT supplier_id, consumer_id FROM dependency")]
    for i, edge in enumerate(edges):
        cycle = find_cycle(edges[:i] + edges[i + 1 :], edge)
        if cycle:
            problems.append("dependency cycle: " + _names(conn, cycle))
            break
    for (code,) in conn.execute(
        "SELECT code FROM project WHERE rag_override IS NOT NULL AND "
        "(rag_reason IS NULL OR trim(rag_reason) = '')"
    ):
        problems.append(f"project {code}: RAG override without a reason")
    return problems


def assert_acyclic(conn: sqlite3.Connection) -> None:
    """Kahn's algorithm over all dependencies: O(V+E), for bulk loads."""
    succ: dict[int, list[int]] = {}
    indegree: dict[int, int] = {}
    for s, c in conn.execute("SELECT supplier_id, consumer_id FROM dependency"):
        succ.setdefault(s, []).append(c)
        indegree[c] = indegree.get(c, 0) + 1
        indegree.setdefault(s, 0)
    ready = [n for n, d in indegree.items() if d == 0]
    seen = 0
    while ready:
        n = ready.pop()
        seen += 1
        for c in succ.get(n, ()):
            indegree[c] -= 1
            if indegree[c] == 0:
                ready.append(c)
    if seen != len(indegree):
        left = [n for n, d in indegree.items() if d > 0]
        edges = [(s, c) for s, c in conn.execute("SELECT supplier_id, consumer_id FROM dependency")]
        cycle = find_cycle([e for e in edges if e[0] != left[0]], next(e for e in edges if e[0] == left[0]))
        raise ValidationError("consumer", "dependencies form a cycle: " + _names(conn, cycle or left[:5]))
