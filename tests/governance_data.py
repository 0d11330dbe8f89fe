"""A governance programme small enough to check on paper, written through the store.

NEW is the issue's worked example: 2027-01-01 → 2027-12-31, BAC 1 000 000, nothing spent, enabling
"Savings" (600 000 a year from 2028-01-01, unmeasured); its business case is 3 years at 10 % →
NPV 41 322.31, ROI 20 %, payback 2.67 years, viability G. Reporting 50 % for 550 000 spent makes
EAC 1 100 000 and NPV −58 677.69 (R).

OLD: 2026-01-01 → 2026-12-31, forecast 2027-01-30 (30 d late: 20 d beyond the 10 d tolerance),
BAC 200 000, 50 % for 100 000 (CPI 1); no business case, no objective (unaligned).

Objective GROW (weight 2) ← NEW strength 3. Gates: NEW:Gate 1 forecast 2026-12-05 (10 days after
the suite's today, 2026-11-25), no review; OLD:Gate 2 passed 2026-06-01, reviewed "conditional"
with a decision linked. NEW:Build is not a gate.
"""

from __future__ import annotations

from pgmtui.store import Store


def add_governance_programme(store: Store) -> None:
    s = store
    s.insert(
        "programme",
        {
            "name": "Case Programme",
            "start_date": "2026-01-01",
            "end_date": "2029-12-31",
            "tolerance_schedule_days": 10,
            "tolerance_cost_pct": 10,
        },
    )
    s.insert(
        "project",
        {
            "code": "NEW",
            "name": "New system",
            "manager": "Asha",
            "start_date": "2027-01-01",
            "baseline_end": "2027-12-31",
            "forecast_end": "2027-12-31",
            "budget": 1_000_000,
            "actual_cost": 0,
            "percent_complete": 0,
        },
    )
    s.insert(
        "project",
        {
            "code": "OLD",
            "name": "Old system retired",
            "manager": "Ben",
            "start_date": "2026-01-01",
            "baseline_end": "2026-12-31",
            "forecast_end": "2027-01-30",
            "budget": 200_000,
            "actual_cost": 100_000,
            "percent_complete": 50,
        },
    )
    s.insert(
        "benefit",
        {
            "name": "Savings",
            "kind": "cash-releasing",
            "baseline_value": 0,
            "target_value": 600,
            "unit": "£k/yr",
            "target_date": "2028-01-01",
            "annual_value": 600_000,
            "projects": "NEW",
        },
    )
    s.insert("business_case", {"project": "NEW", "discount_rate_pct": 10, "horizon_years": 3})
    s.insert("objective", {"code": "GROW", "name": "Grow the business", "weight": 2})
    s.insert("contribution", {"objective": "GROW", "project": "NEW", "strength": 3, "note": "new channel"})
    s.insert(
        "milestone", {"project": "NEW", "name": "Gate 1", "forecast_date": "2026-12-05", "is_gate": True}
    )
    s.insert("milestone", {"project": "NEW", "name": "Build", "forecast_date": "2027-06-30"})
    s.insert(
        "milestone",
        {
            "project": "OLD",
            "name": "Gate 2",
            "forecast_date": "2026-06-01",
            "actual_date": "2026-06-01",
            "is_gate": True,
        },
    )
    s.insert("decision", {"project": "OLD", "title": "Proceed to build", "status": "made"})
    s.insert(
        "gate_review",
        {
            "milestone": "OLD:Gate 2",
            "review_date": "2026-06-01",
            "outcome": "conditional",
            "conditions": "Retire the old servers by March",
            "decision": 1,
        },
    )
