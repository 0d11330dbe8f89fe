"""Follow-through: the post-programme review, actions ("my actions", what is due) and undo, glued
from the store to the domain for the CLI, the screens and the review document. Free of textual."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pendulum

from pgmtui.domain.candidates import Candidate, harvest, rag_history
from pgmtui.domain.followup import Me, action_state, me_for_user
from pgmtui.domain.review import review_data
from pgmtui.domain.rollup import rollup
from pgmtui.services.snapshot import audit_rows, load_snapshot
from pgmtui.store import Store

__all__ = ["action_listing", "candidates_of", "link_labeller", "me_of", "review_of"]


def link_labeller(tables: Mapping[str, list[dict[str, Any]]]) -> Any:
    """A function naming a stored link `kind:id` as people type it: project:IAM,
    milestone:CLD:Go-live, benefit:Speed, issue:3."""
    by_id = {t: {r["id"]: r for r in rows} for t, rows in tables.items()}

    def code(pid: Any) -> str:
        return str((by_id.get("project", {}).get(pid) or {}).get("code") or f"#{pid}")

    def label(link: str | None) -> str:
        kind, _, ref = str(link or "").partition(":")
        row = by_id.get(kind, {}).get(int(ref)) if ref.isdigit() else None
        if row is None:
            return str(link or "")
        if kind in ("project", "objective"):
            return f"{kind}:{row['code']}"
        if kind == "milestone":
            return f"milestone:{code(row['project_id'])}:{row['name']}"
        if kind in ("benefit", "person", "stakeholder"):
            return f"{kind}:{row['name']}"
        return link or ""

    return label


def review_of(store: Store, today: pendulum.Date) -> dict[str, Any]:
    """The post-programme review's data (pgmtui.domain.review.review_data), from the whole audit
    trail. Reads the store; call off the UI thread."""
    raw, snapshot = load_snapshot(store)
    audit = audit_rows(store)
    now = rollup(snapshot, today)
    points = rag_history(
        today=today,
        programme=raw["programme"],
        tables=raw["tables"],
        benefit_links=raw["benefit_links"],
        audit=audit,
        links=raw["links"],
    )
    return review_data(
        today=today,
        programme=raw["programme"],
        tables=raw["tables"],
        rollup_now=now,
        audit=audit,
        rag_points=points,
        label_of=link_labeller(raw["tables"]),
    )


def candidates_of(store: Store, today: pendulum.Date) -> list[Candidate]:
    """The lesson candidates alone (the Lessons view): the review's harvest. Reads the store."""
    raw, snapshot = load_snapshot(store)
    audit = audit_rows(store)
    now = rollup(snapshot, today)
    programme = raw["programme"] or {}
    return harvest(
        today=today,
        tables=raw["tables"],
        audit=audit,
        tolerance_days=int(programme.get("tolerance_schedule_days") or 10),
        benefit_statuses=now.benefits,
        rag_points=rag_history(
            today=today,
            programme=raw["programme"],
            tables=raw["tables"],
            benefit_links=raw["benefit_links"],
            audit=audit,
            links=raw["links"],
        ),
    )


def me_of(user: str, tables: Mapping[str, list[dict[str, Any]]]) -> Me:
    """This OS user as a person of the directory (for `owner:me` and `--mine`)."""
    return me_for_user(user, tables.get("person", []))


def action_listing(
    store: Store, today: pendulum.Date, *, mine: bool = False, everything: bool = False
) -> tuple[Me, list[dict[str, Any]]]:
    """Actions as `pgmtui actions` lists them: open ones (every status with `everything`), the most
    overdue first, then by due date; with `mine`, only this user's. Each row gains `state` (overdue,
    today, due, no date, done, cancelled), `days` and `about_label`."""
    raw, _ = load_snapshot(store)
    tables = raw["tables"]
    me = me_of(store.user, tables)
    label = link_labeller(tables)
    codes = {p["id"]: p["code"] for p in tables.get("project", [])}
    out = []
    for row in tables.get("action", []):
        if mine and not me.owns(row.get("owner")):
            continue
        state = action_state(row, today)
        if not everything and row.get("status") != "open":
            continue
        out.append(
            {
                "id": row["id"],
                "title": row.get("title"),
                "owner": row.get("owner"),
                "due_date": row.get("due_date"),
                "status": row.get("status"),
                "state": state.state,
                "days": state.days,
                "project": codes.get(row.get("project_id")),
                "about": label(row.get("about")) if row.get("about") else None,
                "done_date": row.get("done_date"),
            }
        )
    order = {"overdue": 0, "today": 1, "due": 2, "no date": 3, "done": 4, "cancelled": 5}
    out.sort(
        key=lambda r: (
            order[r["state"]],
            -r["days"] if r["state"] == "overdue" else 0,
            r["due_date"] or "9999",
            r["id"],
        )
    )
    return me, out
