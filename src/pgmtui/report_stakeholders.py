"""The highlight report's "Stakeholder engagement" section: who has not been engaged within their
cadence, the powerful stakeholders far from the attitude wanted, whose attitude moved this period
(from the audit trail) and the comms past due. One collect/layout pair, registered in
pgmtui.report.SECTIONS. Free of textual."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pgmtui.domain.models import as_date
from pgmtui.domain.stakeholders import (
    Thresholds,
    assess,
    attitude_moves,
    comms_plan,
    overdue_comms,
    overdue_contacts,
)
from pgmtui.reportdoc import Block, Fixed, Heading, Paragraph, Table

if TYPE_CHECKING:
    from pgmtui.report import ReportContext

__all__ = ["collect_stakeholder_engagement", "layout_stakeholder_engagement"]


def collect_stakeholder_engagement(c: ReportContext) -> dict[str, Any]:
    stakeholders = c.tables.get("stakeholder", [])
    engagements = c.tables.get("engagement", [])
    assessed = assess(stakeholders, engagements, c.today, Thresholds.of(c.programme))
    start, t = c.period_start.date().toordinal(), c.today.toordinal()
    in_period = [
        e for e in engagements if (d := as_date(e.get("date"))) is not None and start <= d.toordinal() <= t
    ]
    now = {int(s["id"]): s for s in stakeholders}
    late = overdue_contacts(assessed.values())
    return {
        "stakeholder_engagement": {
            "stakeholders": len(assessed),
            "engagements_in_period": len(in_period),
            "engaged_in_period": len({e.get("stakeholder_id") for e in in_period}),
            "overdue": [
                {
                    "id": s.id,
                    "name": s.name,
                    "quadrant": s.quadrant,
                    "last_engaged": s.contact.last.isoformat() if s.contact.last else None,
                    "days_since": s.contact.days_since,
                    "cadence_days": s.contact.cadence,
                    "overdue_days": s.contact.overdue_days,
                    "owner": s.owner,
                }
                for s in late
            ],
            "risks": [
                {
                    "id": s.id,
                    "name": s.name,
                    "power": s.power,
                    "attitude": s.attitude,
                    "target_attitude": s.target,
                    "gap": s.gap,
                    "owner": s.owner,
                }
                for s in sorted(assessed.values(), key=lambda s: (-(s.gap or 0), -s.power, s.name.lower()))
                if s.risk
            ],
            "attitude_moves": [
                {
                    "id": m.stakeholder_id,
                    "name": m.name,
                    "from": m.before,
                    "to": m.after,
                    "steps": m.steps,
                    "date": m.when[:10],
                    "users": list(m.users),
                }
                for m in attitude_moves(c.audit, now)
            ],
            "comms_overdue": [
                {
                    "id": i.id,
                    "message": i.message,
                    "audience": i.audience,
                    "next_due": i.next_due.isoformat() if i.next_due else None,
                    "days_late": i.days_late,
                    "owner": i.owner,
                }
                for i in overdue_comms(comms_plan(c.tables.get("communication", []), c.today))
            ],
        }
    }


def _move(m: Mapping[str, Any]) -> Fixed:
    arrow = "↑" if m["steps"] > 0 else "↓"
    return Fixed(f"{m['from']} → {m['to']} ({arrow}{abs(m['steps'])})")


def layout_stakeholder_engagement(d: Mapping[str, Any]) -> list[Block]:
    s = d.get("stakeholder_engagement")
    if not s or not s["stakeholders"]:
        return []
    blocks: list[Block] = [
        Heading("Stakeholder engagement", "stakeholders"),
        Paragraph(
            Fixed(
                f"{s['engagements_in_period']} engagements with {s['engaged_in_period']} of "
                f"{s['stakeholders']} stakeholders this period; {len(s['overdue'])} not engaged within "
                f"their cadence; {len(s['risks'])} powerful stakeholders two or more steps from the "
                "attitude wanted."
            )
        ),
    ]
    if s["overdue"]:
        rows = [
            [
                x["name"],
                Fixed(x["quadrant"]),
                Fixed(x["last_engaged"] or "never"),
                Fixed("–" if x["days_since"] is None else f"{x['days_since']} d"),
                Fixed(f"{x['cadence_days']} d"),
                x["owner"],
            ]
            for x in s["overdue"]
        ]
        headers: tuple[str, ...] = (
            "Not engaged within cadence",
            "Quadrant",
            "Last contact",
            "Since",
            "Cadence",
            "Owner",
        )
        blocks.append(Table("stakeholder-overdue-table", headers, rows, frozenset({3, 4})))
    if s["attitude_moves"]:
        rows = [
            [m["name"], _move(m), Fixed(m["date"]), Fixed(", ".join(m["users"]))] for m in s["attitude_moves"]
        ]
        headers = ("Attitude moved", "From → to", "On", "Recorded by")
        blocks.append(Table("stakeholder-moves-table", headers, rows))
    if s["risks"]:
        rows = [
            [
                x["name"],
                Fixed(str(x["power"])),
                Fixed(f"{x['attitude']} → {x['target_attitude']} ({x['gap']} steps)"),
                x["owner"],
            ]
            for x in s["risks"]
        ]
        headers = ("Stakeholder risk", "Power", "Attitude → wanted", "Owner")
        blocks.append(Table("stakeholder-risk-table", headers, rows, frozenset({1})))
    if s["comms_overdue"]:
        rows = [
            [x["message"], x["audience"], Fixed(f"{x['next_due']} ({x['days_late']} d late)"), x["owner"]]
            for x in s["comms_overdue"]
        ]
        headers = ("Communication past due", "Audience", "Was due", "Owner")
        blocks.append(Table("comms-overdue-table", headers, rows))
    return blocks
