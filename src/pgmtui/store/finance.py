"""Finance rules of the write path (issue 14): what a cost row or a change request does to its
project, inside the transaction of the write that caused it.

- A project with cost rows has its actual cost derived: the sum of their actuals. Every write to
  a cost row brings `project.actual_cost` up to date (an audited update of the project), and
  setting `actual_cost` by hand is refused while the project has cost rows.
- Approving a change request (status → approved) moves its project's baseline in the same
  transaction: budget += cost impact, baseline end += schedule impact, and a drawdown from the
  project's contingency or the programme's management reserve reduces that pot (overdrawing it is
  refused). The rule itself is domain.finance.approval_effect (the finance screen previews it).
  An approved request is final: re-opening it, changing what it moved (project, impacts,
  funding) or deleting it is refused. Rejecting or withdrawing changes nothing else.

A change request added as already approved (an import, a record of a decision taken elsewhere)
moves nothing: only the transition to approved does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pgmtui.domain.evm import fmt_money
from pgmtui.domain.finance import approval_effect
from pgmtui.records.errors import ValidationError

if TYPE_CHECKING:
    from pgmtui.store.db import Store

# What an approval moved: fixed once it is approved.
FIXED_WHEN_APPROVED = ("project_id", "cost_impact", "schedule_impact_days", "funding")
_FIXED_NAMES = {"project_id": "project", "cost_impact": "cost impact",
                "schedule_impact_days": "schedule impact", "funding": "funding"}  # fmt: skip


def cost_rows(conn: sqlite3.Connection, project_id: int) -> tuple[int, float]:
    """How many cost rows the project has, and the sum of their actuals."""
    n, actual = conn.execute(
        "SELECT count(*), total(actual) FROM cost WHERE project_id = ?", (project_id,)
    ).fetchone()
    return int(n), float(actual)


def check_project(
    conn: sqlite3.Connection, current: Mapping[str, Any] | None, row: Mapping[str, Any]
) -> None:
    """Refuse a hand-set actual cost on a project whose actual cost is its cost rows' actuals."""
    if current is None or row.get("actual_cost") == current.get("actual_cost"):
        return
    n, actual = cost_rows(conn, current["id"])
    if n:
        raise ValidationError(
            "actual_cost",
            f"{current.get('code')}'s actual cost is derived from its {n} cost row(s) (the sum of their "
            f"actuals, {fmt_money(actual)}): record spend on the cost rows instead "
            "(`pgmtui set cost ID actual=…` or the Finance screen, key 7)",
        )


def check_change_request(
    conn: sqlite3.Connection, current: Mapping[str, Any] | None, row: Mapping[str, Any]
) -> None:
    """An approved request stays approved, with the impacts it was approved with."""
    if current is None or current.get("status") != "approved":
        return
    if row.get("status") != "approved":
        raise ValidationError(
            "status",
            f"change request #{current['id']} is approved and has moved the baseline: it cannot be "
            f"set back to {row.get('status')}; raise a new change request to reverse it",
        )
    changed = [c for c in FIXED_WHEN_APPROVED if row.get(c) != current.get(c)]
    if changed:
        words = ", ".join(_FIXED_NAMES[c] for c in changed)
        raise ValidationError(
            changed[0].removesuffix("_id"),
            f"change request #{current['id']} is approved: its {words} moved the baseline and cannot "
            "change; raise a new change request for a further change",
        )


def check_delete(conn: sqlite3.Connection, kind: str, row: Mapping[str, Any]) -> None:
    """An approved change request is part of the baseline's history: it is not deleted on its own
    (it goes with its project)."""
    if kind == "change_request" and row.get("status") == "approved":
        raise ValidationError(
            "status",
            f"change request #{row['id']} is approved and has moved the baseline; it cannot be deleted "
            "(raise a new change request to reverse its effect)",
        )


def after_write(
    store: Store,
    conn: sqlite3.Connection,
    kind: str,
    changes: list[tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]],
    ts: str,
) -> None:
    """What the written rows do to others, in the same transaction. ``changes`` are the rows written
    as (before, after) pairs (before None: inserted; after None: deleted)."""
    if kind == "cost":
        projects = {r["project_id"] for pair in changes for r in pair if r is not None}
        for project_id in sorted(projects):
            derive_actual_cost(store, conn, project_id, ts)
    elif kind == "change_request":
        for before, after in changes:
            if before is not None and after is not None and before.get("status") != "approved":
                if after.get("status") == "approved":
                    approve(store, conn, after, ts)


def derive_actual_cost(store: Store, conn: sqlite3.Connection, project_id: int, ts: str) -> None:
    """Bring a project's actual cost up to the sum of its cost rows' actuals (an audited update;
    nothing when it already is, or when it has no cost rows left: then it keeps its last value)."""
    n, actual = cost_rows(conn, project_id)
    project = conn.execute("SELECT * FROM project WHERE id = ?", (project_id,)).fetchone()
    if not n or project is None or project["actual_cost"] == actual:
        return
    store.apply_consequence(conn, "project", dict(project), {"actual_cost": actual}, ts)


def approve(store: Store, conn: sqlite3.Connection, request: Mapping[str, Any], ts: str) -> None:
    """Move the baseline for an approved change request (see the module docstring); a problem
    raises ValidationError and the caller's transaction is rolled back, request update included."""
    project = conn.execute("SELECT * FROM project WHERE id = ?", (request["project_id"],)).fetchone()
    programme = conn.execute("SELECT * FROM programme ORDER BY id LIMIT 1").fetchone()
    if project is None:  # the foreign key makes this impossible; never move a baseline blindly
        raise ValidationError("project", f"change request #{request['id']}: its project is gone")
    effect = approval_effect(request, dict(project), dict(programme) if programme else None)
    if effect.problems:
        raise ValidationError(
            "status", f"change request #{request['id']} cannot be approved: {effect.problems[0]}"
        )
    if effect.project_changes:
        store.apply_consequence(conn, "project", dict(project), effect.project_changes, ts)
    reserve = effect.reserve_change
    if reserve is not None and programme is not None:
        store.apply_consequence(conn, "programme", dict(programme), {"management_reserve": reserve}, ts)


def problems(conn: sqlite3.Connection) -> list[str]:
    """`pgmtui check`: projects whose actual cost is not their cost rows' actuals (a database
    written around the store)."""
    out = []
    for code, stored, actual in conn.execute(
        "SELECT p.code, p.actual_cost, total(c.actual) FROM project p JOIN cost c ON c.project_id = p.id "
        "GROUP BY p.id HAVING abs(ifnull(p.actual_cost, 0) - total(c.actual)) > 0.005 ORDER BY p.code"
    ):
        out.append(
            f"project {code}: actual_cost {fmt_money(stored)} is not the sum of its cost rows' actuals "
            f"({fmt_money(actual)})"
        )
    return out
