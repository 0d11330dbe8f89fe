"""Stakeholders and communications for the CLI, `pgmtui list` and the screens: the domain rules
(pgmtui.domain.stakeholders) applied to what the store holds. Free of textual."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pendulum

from pgmtui.domain.stakeholders import (
    QUADRANTS,
    CommsItem,
    Stakeholder,
    Thresholds,
    assess,
    comms_plan,
    overdue_comms,
    overdue_comms_text,
    overdue_contacts,
    overdue_text,
    person_for_user,
)
from pgmtui.services.snapshot import read_for_display
from pgmtui.store import Store, os_user

# ---------------------------------------------------------------------- `pgmtui list` columns


def stakeholder_columns(rows: list[dict[str, Any]], raw: Mapping[str, Any], today: pendulum.Date) -> None:
    """Adds quadrant, attitude_gap, risk, last_engaged, days_since_engaged, overdue, overdue_days
    and engagements to each listed stakeholder."""
    tables = raw["tables"]
    assessed = assess(tables["stakeholder"], tables["engagement"], today, Thresholds.of(raw["programme"]))
    for row in rows:
        row.update(assessed[row["id"]].to_json())


def communication_columns(rows: list[dict[str, Any]], raw: Mapping[str, Any], today: pendulum.Date) -> None:
    """Adds due_status (overdue, due today, this week, later, unscheduled) and days_late."""
    plan = {item.id: item for item in comms_plan(raw["tables"]["communication"], today)}
    for row in rows:
        item = plan[row["id"]]
        row["due_status"] = item.status
        row["days_late"] = item.days_late


# ---------------------------------------------------------------------- `pgmtui stakeholders`


def _stakeholder_json(s: Stakeholder) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "power": s.power,
        "interest": s.interest,
        "attitude": s.attitude,
        "target_attitude": s.target,
        "owner": s.owner,
        **s.to_json(),
    }


def _comms_json(item: CommsItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "audience": item.audience,
        "message": item.message,
        "channel": item.channel,
        "owner": item.owner,
        "next_due": item.next_due.isoformat() if item.next_due else None,
        "frequency_days": item.frequency_days,
        "due_status": item.status,
        "days_late": item.days_late,
    }


def stakeholder_overview(store: Store, today: pendulum.Date) -> dict[str, Any]:
    """The map by quadrant, the risk indicators, overdue contacts and the comms due this week."""
    raw = read_for_display(store)
    tables = raw["tables"]
    thresholds = Thresholds.of(raw["programme"])
    assessed = assess(tables["stakeholder"], tables["engagement"], today, thresholds)
    everyone = sorted(assessed.values(), key=lambda s: (-s.power, -s.interest, s.name.lower(), s.id))
    plan = comms_plan(tables["communication"], today)
    return {
        "today": today.isoformat(),
        "thresholds": {"power": thresholds.power, "interest": thresholds.interest},
        "quadrants": {q: [s.name for s in everyone if s.quadrant == q] for q in QUADRANTS},
        "stakeholders": [_stakeholder_json(s) for s in everyone],
        "risks": [_stakeholder_json(s) for s in everyone if s.risk],
        "overdue": [
            {**_stakeholder_json(s), "text": overdue_text(s)} for s in overdue_contacts(assessed.values())
        ],
        "comms_due": [_comms_json(i) for i in plan if i.due_this_week],
        "comms_overdue": [{**_comms_json(i), "text": overdue_comms_text(i)} for i in overdue_comms(plan)],
    }


def stakeholder_overview_text(data: Mapping[str, Any]) -> str:
    """`pgmtui stakeholders` for a terminal or a mail."""
    t = data["thresholds"]
    out = [f"Stakeholders on {data['today']} (high: power ≥ {t['power']}, interest ≥ {t['interest']})"]
    for q, names in data["quadrants"].items():
        out.append(f"  {q} ({len(names)}): {', '.join(names) if names else '–'}")
    out.append("")
    out.append(f"Risks: high power, ≥ 2 steps from the attitude wanted ({len(data['risks'])}):")
    out.extend(
        f"  - {s['name']}: {s['attitude']} → {s['target_attitude']} ({s['attitude_gap']} steps), "
        f"power {s['power']}" + (f", owner {s['owner']}" if s["owner"] else "")
        for s in data["risks"]
    )
    out.append(f"Not engaged within their cadence ({len(data['overdue'])}):")
    out.extend(f"  - {s['text']}" for s in data["overdue"])
    out.append(f"Comms due this week ({len(data['comms_due'])}):")
    for c in data["comms_due"]:
        late = f", {c['days_late']} d overdue" if c["days_late"] else ""
        channel = f" ({c['channel']})" if c["channel"] else ""
        owner = f", owner {c['owner']}" if c["owner"] else ""
        out.append(f"  - {c['next_due']}{late}: “{c['message']}” to {c['audience']}{channel}{owner}")
    return "\n".join(out)


# ---------------------------------------------------------------------- who is logging


def acting_person(people: list[dict[str, Any]]) -> str:
    """Who logs an engagement from this session: the directory's person for the OS account when
    one matches (see domain.stakeholders.person_for_user), else the account name itself."""
    user = os_user()
    return person_for_user(people, user) or user
