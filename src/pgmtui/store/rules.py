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
from pgmtui.records.fields import (
    KINDS,
    OPPORTUNITY_RESPONSES,
    SECOND_WAVE,
    THREAT_RESPONSES,
    split_link,
)
from pgmtui.store import finance
from pgmtui.store.closed import refuse_write

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
    deferred: bool = False,
) -> None:
    """Raise ValidationError if `row` (the full row after the change) breaks a rule.

    With `deferred` a dependency is not checked against the others here: a bulk load checks
    the whole graph once at the end (`assert_acyclic`), which is O(V+E) instead of O(E) per row;
    nor is the closed-project rule (a restore or bulk load brings records back as they were)."""
    if not deferred:
        refuse_write(conn, kind, current, row)  # a closed project and its records are read-only
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
        finance.check_project(conn, current, row)
    elif kind == "milestone":
        actual = row.get("actual_date")
        # Against the clock's today, not an `acting(at=...)` instant: backdated writes (demo
        # history, imports) may record actuals that were known by the clock's today.
        if actual and actual > clock.today().isoformat():
            raise ValidationError("actual_date", f"actual_date {actual} is in the future; use forecast_date")
        if current is not None and current.get("is_gate") and not row.get("is_gate"):
            reviews = conn.execute(
                "SELECT count(*) FROM gate_review WHERE milestone_id = ?", (current["id"],)
            )
            n = reviews.fetchone()[0]
            if n:
                raise ValidationError(
                    "is_gate",
                    f"{_milestone(conn, current['id'])} has {n} gate review(s): it stays a stage gate "
                    "while they exist (delete them first)",
                )
    elif kind == "dependency":
        supplier, consumer = row["supplier_id"], row["consumer_id"]
        if supplier == consumer:
            raise ValidationError("consumer", "a milestone cannot depend on itself")
        if deferred:
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
    elif kind in _SECOND_WAVE_RULES:
        _SECOND_WAVE_RULES[kind](conn, current["id"] if current else None, row)
        if kind == "change_request":
            finance.check_change_request(conn, current, row)


# ---------------------------------------------------------------------- the second wave's kinds
# Each rule gets the connection, the id of the row being changed (None for a new one, so that a
# uniqueness check does not find the row itself) and the full row after the change.


def _clash(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...], own_id: int | None) -> int | None:
    """The id of another row the query finds (uniqueness), or None."""
    for (other,) in conn.execute(sql, params):
        if other != own_id:
            return int(other)
    return None


def _code(conn: sqlite3.Connection, project_id: Any) -> str:
    row = conn.execute("SELECT code FROM project WHERE id = ?", (project_id,)).fetchone()
    return str(row[0]) if row else f"#{project_id}"


def _milestone(conn: sqlite3.Connection, milestone_id: int) -> str:
    return _names(conn, [milestone_id])


def _person(conn: sqlite3.Connection, own: int | None, row: Mapping[str, Any]) -> None:
    name = row["name"]
    other = _clash(conn, "SELECT id FROM person WHERE name = ? COLLATE NOCASE", (name,), own)
    if other:
        raise ValidationError("name", f"a person named {name!r} already exists (#{other})")
    email = row.get("email")
    if email and (
        email.count("@") != 1 or email.startswith("@") or email.endswith("@") or _SPACE.search(email)
    ):
        raise ValidationError(
            "email", f"email must be one address like name@example.org (one @, no spaces), got {email!r}"
        )


def _allocation(conn: sqlite3.Connection, own: int | None, row: Mapping[str, Any]) -> None:
    _ordered(row, "start_date", "end_date", "end_date {b} is before start_date {a}")
    milestone_id = row.get("milestone_id")
    if milestone_id is not None:
        found = conn.execute("SELECT project_id FROM milestone WHERE id = ?", (milestone_id,)).fetchone()
        if found and found[0] != row["project_id"]:
            raise ValidationError(
                "milestone",
                f"milestone {_milestone(conn, milestone_id)} is not in project {_code(conn, row['project_id'])} "
                "(an allocation's milestone must belong to its project)",
            )


def _cost(conn: sqlite3.Connection, own: int | None, row: Mapping[str, Any]) -> None:
    key = (row["project_id"], row["month"], row.get("category"))
    sql = "SELECT id FROM cost WHERE project_id = ? AND month = ? AND category = ?"
    other = _clash(conn, sql, key, own)
    if other:
        raise ValidationError(
            "month",
            f"{_code(conn, key[0])} {key[1]} {key[2]} already has a cost row (#{other}); edit it instead",
        )


def _change_request(conn: sqlite3.Connection, own: int | None, row: Mapping[str, Any]) -> None:
    _ordered(row, "raised_date", "decided_date", "decided_date {b} is before raised_date {a}")


def _objective(conn: sqlite3.Connection, own: int | None, row: Mapping[str, Any]) -> None:
    code = row.get("code") or ""
    if not PROJECT_CODE.fullmatch(code):
        raise ValidationError(
            "code", f"objective code {code!r} must be 1–16 letters, digits, '-' or '_' (e.g. GROW)"
        )
    other = _clash(conn, "SELECT id FROM objective WHERE code = ? COLLATE NOCASE", (code,), own)
    if other:
        raise ValidationError("code", f"an objective with code {code!r} already exists (#{other})")


def _contribution(conn: sqlite3.Connection, own: int | None, row: Mapping[str, Any]) -> None:
    project_id, benefit_id = row.get("project_id"), row.get("benefit_id")
    if (project_id is None) == (benefit_id is None):
        which = "both" if project_id is not None else "neither"
        raise ValidationError(
            "project",
            f"a contribution is from a project or from a benefit: give exactly one of the two (got {which})",
        )
    objective = conn.execute("SELECT code FROM objective WHERE id = ?", (row["objective_id"],)).fetchone()
    code = objective[0] if objective else f"#{row['objective_id']}"
    if project_id is not None:
        sql = "SELECT id FROM contribution WHERE objective_id = ? AND project_id = ?"
        other = _clash(conn, sql, (row["objective_id"], project_id), own)
        what = f"project {_code(conn, project_id)}"
    else:
        sql = "SELECT id FROM contribution WHERE objective_id = ? AND benefit_id = ?"
        other = _clash(conn, sql, (row["objective_id"], benefit_id), own)
        name = conn.execute("SELECT name FROM benefit WHERE id = ?", (benefit_id,)).fetchone()
        what = f"benefit {name[0]!r}" if name else f"benefit #{benefit_id}"
    if other:
        raise ValidationError(
            "objective",
            f"objective {code} already has a contribution from {what} (#{other}); edit it instead",
        )


def _business_case(conn: sqlite3.Connection, own: int | None, row: Mapping[str, Any]) -> None:
    project_id = row.get("project_id")
    sql = "SELECT id FROM business_case WHERE ifnull(project_id, 0) = ifnull(?, 0)"
    other = _clash(conn, sql, (project_id,), own)
    if other:
        whose = "the programme" if project_id is None else f"project {_code(conn, project_id)}"
        raise ValidationError("project", f"{whose} already has a business case (#{other}); edit it instead")


def _gate_review(conn: sqlite3.Connection, own: int | None, row: Mapping[str, Any]) -> None:
    milestone_id = row["milestone_id"]
    found = conn.execute("SELECT is_gate FROM milestone WHERE id = ?", (milestone_id,)).fetchone()
    if found and not found[0]:
        raise ValidationError(
            "milestone",
            f"{_milestone(conn, milestone_id)} is not a stage gate (set is_gate=yes on the milestone first)",
        )


def _stakeholder(conn: sqlite3.Connection, own: int | None, row: Mapping[str, Any]) -> None:
    name = row["name"]
    other = _clash(conn, "SELECT id FROM stakeholder WHERE name = ? COLLATE NOCASE", (name,), own)
    if other:
        raise ValidationError("name", f"a stakeholder named {name!r} already exists (#{other})")


def _engagement(conn: sqlite3.Connection, own: int | None, row: Mapping[str, Any]) -> None:
    _ordered(row, "date", "next_date", "next_date {b} is before date {a}")


def _action(conn: sqlite3.Connection, own: int | None, row: Mapping[str, Any]) -> None:
    if row.get("status") == "open" and row.get("done_date"):
        raise ValidationError(
            "done_date", "done_date is for a done action; this one is open (set status=done with it)"
        )


_SPACE = re.compile(r"\s")
_SECOND_WAVE_RULES = {
    "person": _person,
    "allocation": _allocation,
    "cost": _cost,
    "change_request": _change_request,
    "objective": _objective,
    "contribution": _contribution,
    "business_case": _business_case,
    "gate_review": _gate_review,
    "stakeholder": _stakeholder,
    "engagement": _engagement,
    "action": _action,
}


def derived(
    kind: str, current: Mapping[str, Any] | None, row: Mapping[str, Any], today: str
) -> dict[str, Any]:
    """Values the store fills in itself, given the full row after a change (`current`: before it;
    None for a new record): an action done without a done_date is done today, one re-opened loses
    its done_date; a new lesson without a date is dated today; a change request decided (approved,
    rejected, withdrawn) without a decided_date is decided today, one re-opened loses it."""
    if kind == "action":
        status = row.get("status")
        if status == "done" and not row.get("done_date"):
            return {"done_date": today}
        reopened = current is not None and current.get("status") != "open"
        if status == "open" and reopened and row.get("done_date"):
            return {"done_date": None}
    elif kind == "lesson" and current is None and not row.get("date"):
        return {"date": today}
    elif kind == "change_request":
        status = row.get("status")
        changed = current is None or current.get("status") != status
        if changed and status in ("approved", "rejected", "withdrawn") and not row.get("decided_date"):
            return {"decided_date": today}
        if changed and status == "raised" and current is not None and row.get("decided_date"):
            return {"decided_date": None}  # re-opened (a rejected or withdrawn request): undecided again
    return {}


# Fields that may name a record of any kind (`kind:id`): (kind, field name).
_LINK_FIELDS = tuple((k, f.name) for k in KINDS.values() for f in k.fields if f.type == "link")


def dangling_links(conn: sqlite3.Connection, kind_name: str | None = None) -> list[str]:
    """Link fields (an action's `about`, a lesson's `source`) naming a record that is not there."""
    problems = []
    for kind, column in _LINK_FIELDS:
        if kind_name is not None and kind.name != kind_name:
            continue
        for row_id, value in conn.execute(
            f"SELECT id, {column} FROM {kind.table} WHERE {column} IS NOT NULL"
        ):
            target_name, ref = split_link(str(value))
            target = KINDS.get(target_name)
            found = None
            if target is not None and ref.isdigit():
                found = conn.execute(f"SELECT 1 FROM {target.table} WHERE id = ?", (int(ref),)).fetchone()
            if found is None:
                problems.append(f"{kind.name} {row_id}: {column}: no {target_name} with id {ref}")
    return problems


def assert_links(conn: sqlite3.Connection, kind_name: str | None = None) -> None:
    """Raise ValidationError for the first link naming a missing record (after bulk loads)."""
    problems = dangling_links(conn, kind_name)
    if problems:
        raise ValidationError("", problems[0])


def _names(conn: sqlite3.Connection, milestone_ids: list[int]) -> str:
    labels = []
    for mid in milestone_ids:
        row = conn.execute(
            "SELECT p.code, m.name FROM milestone m JOIN project p ON p.id = m.project_id WHERE m.id = ?",
            (mid,),
        ).fetchone()
        labels.append(f"{row[0]}:{row[1]}" if row else f"#{mid}")
    return " → ".join(labels)


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
    # The second wave's rules, row by row (another program may have written around them).
    for kind in SECOND_WAVE:
        rule = _SECOND_WAVE_RULES.get(kind.name)
        if rule is None:
            continue
        for row in conn.execute(f"SELECT * FROM {kind.table} ORDER BY id").fetchall():
            try:
                rule(conn, row["id"], dict(row))
            except ValidationError as exc:
                problems.append(f"{kind.name} {row['id']}: {exc}")
    problems.extend(dangling_links(conn))
    problems.extend(finance.problems(conn))
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
