"""Records of every second-wave kind with every field set, for tests that need each column to hold
a value somewhere (export/import round trips, rewinds, forms). Written through the store's public
API, so every row is validated and audited like a user's."""

from __future__ import annotations

from typing import Any

from pgmtui.store import Store


def add_wave_base(store: Store) -> None:
    """On the `small_programme` (IAM id 1, CLD id 2): milestones IAM:Design (id 1, not a gate),
    IAM:Gate 1 (id 2, a gate) and CLD:Landing zone (id 3, a gate), decision 1 (IAM), issue 1
    (CLD) and benefit 1 "Fewer tickets" enabled by IAM."""
    s = store
    s.insert("milestone", {"project": "IAM", "name": "Design", "forecast_date": "2026-12-10"})
    s.insert(
        "milestone", {"project": "IAM", "name": "Gate 1", "forecast_date": "2027-01-15", "is_gate": True}
    )
    s.insert(
        "milestone",
        {"project": "CLD", "name": "Landing zone", "forecast_date": "2027-02-01", "is_gate": True},
    )
    s.insert("decision", {"project": "IAM", "title": "Go with vendor A"})
    s.insert("issue", {"project": "CLD", "title": "Firewall rules late"})
    s.insert(
        "benefit", {"name": "Fewer tickets", "baseline_value": 100, "target_value": 60, "projects": "IAM"}
    )


def fill_every_field(store: Store) -> dict[str, Any]:
    """Add one record of each new kind (two contributions and two business cases: a contribution
    names a project or a benefit, a business case a project or the programme), every field set.
    Needs a programme with at least one project. Returns the ids and names it used."""
    s = store
    code = s.rows("project")[0]["code"]
    s.update("project", code, {"contingency": 25_000})
    gate = s.insert(
        "milestone",
        {"project": code, "name": "Wave-2 gate", "baseline_date": "2026-12-01", "forecast_date": "2026-12-03",
         "is_gate": True},
    )  # fmt: skip
    decision = s.insert("decision", {"project": code, "title": "Proceed to wave 2", "status": "made"})
    benefit = s.insert(
        "benefit",
        {"name": "Licence savings", "baseline_value": 0, "target_value": 120_000, "annual_value": 120_000,
         "projects": code},
    )  # fmt: skip
    person = s.insert(
        "person",
        {"name": "Asha Patel", "role": "Architect", "team": "Platform", "email": "asha.patel@example.org",
         "capacity_pct": 80, "note": "Mondays off"},
    )  # fmt: skip
    allocation = s.insert(
        "allocation",
        {"person": "asha patel", "project": code, "milestone": f"{code}:Wave-2 gate",
         "start_date": "2026-11-23", "end_date": "2026-12-18", "percent": 50, "note": "design authority"},
    )  # fmt: skip
    cost = s.insert(
        "cost",
        {"project": code, "month": "2028-11", "category": "capex", "planned": 40_000, "actual": 38_500,
         "forecast": 41_000, "note": "servers"},
    )  # fmt: skip
    change = s.insert(
        "change_request",
        {"project": code, "title": "Add MFA for contractors", "description": "Scope grows by one wave",
         "cost_impact": -12_000, "schedule_impact_days": 10, "funding": "contingency", "status": "approved",
         "raised_date": "2026-11-02", "decided_date": "2026-11-16", "decided_by": "Programme board"},
    )  # fmt: skip
    objective = s.insert(
        "objective",
        {"code": "SEC", "name": "Reduce security risk", "owner": "CISO", "description": "Fewer breaches",
         "weight": 2.5},
    )  # fmt: skip
    by_project = s.insert(
        "contribution", {"objective": "sec", "project": code, "strength": 3, "note": "core"}
    )
    by_benefit = s.insert(
        "contribution",
        {"objective": "SEC", "benefit": "Licence savings", "strength": 1, "note": "side effect"},
    )
    case = s.insert(
        "business_case",
        {"project": code, "discount_rate_pct": 4.5, "horizon_years": 7, "base_date": "2026-01-01",
         "annual_running_cost": 15_000, "options": "do nothing; buy; build", "chosen_option": "buy",
         "notes": "refreshed at gate 2"},
    )  # fmt: skip
    programme_case = s.insert("business_case", {"horizon_years": 10, "notes": "the programme's own case"})
    review = s.insert(
        "gate_review",
        {"milestone": f"{code}:Wave-2 gate", "review_date": "2026-11-20", "outcome": "conditional",
         "conditions": "DPIA signed", "attendees": "Sponsor, PMO", "decision": decision},
    )  # fmt: skip
    stakeholder = s.insert(
        "stakeholder",
        {"name": "Finance Director", "role": "Budget holder", "organisation": "Finance", "power": 5,
         "interest": 2, "attitude": "critic", "target_attitude": "supporter", "owner": "Asha Patel",
         "cadence_days": 14, "channel": "meeting", "projects": code, "note": "prefers numbers"},
    )  # fmt: skip
    engagement = s.insert(
        "engagement",
        {"stakeholder": "finance director", "date": "2026-11-18", "channel": "call",
         "summary": "Walked through the business case", "next_action": "Send the cost plan",
         "next_date": "2026-11-30", "by": "Asha Patel"},
    )  # fmt: skip
    communication = s.insert(
        "communication",
        {"audience": "Board", "message": "Monthly highlight report", "channel": "report", "frequency_days": 30,
         "owner": "PMO", "next_due": "2026-12-01"},
    )  # fmt: skip
    action = s.insert(
        "action",
        {"title": "Chase the DPIA", "owner": "Asha Patel", "due_date": "2026-11-27", "status": "done",
         "project": code, "about": f"gate_review:{review}", "done_date": "2026-11-24", "note": "done early"},
    )  # fmt: skip
    lesson = s.insert(
        "lesson",
        {"title": "Book gate reviews early", "category": "governance", "what_happened": "The board was full",
         "recommendation": "Book at baseline", "project": code, "source": f"action:{action}",
         "raised_by": "PMO", "date": "2026-11-24"},
    )  # fmt: skip
    return {
        "code": code,
        "gate": gate,
        "decision": decision,
        "benefit": benefit,
        "person": person,
        "allocation": allocation,
        "cost": cost,
        "change_request": change,
        "objective": objective,
        "contributions": (by_project, by_benefit),
        "business_cases": (case, programme_case),
        "gate_review": review,
        "stakeholder": stakeholder,
        "engagement": engagement,
        "communication": communication,
        "action": action,
        "lesson": lesson,
    }
