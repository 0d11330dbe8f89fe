"""The large demo's governance (issue 15): objectives every project serves, a business case for every
project, annual values on the cash-releasing benefits and a review of every gate already passed.

It draws from its own random stream so that the rest of the large demo is unchanged by it."""

from __future__ import annotations

import random
from typing import Any

from pgmtui.store import Store

GOVERNANCE_SEED = 15  # offset from the demo's seed: a stream of its own

_OBJECTIVES = (
    ("COST", "Reduce the cost of running IT", "Finance Director", 3.0),
    ("CUST", "Better digital services for customers", "Chief Customer Officer", 2.0),
    ("SAFE", "Secure and resilient services", "CISO", 2.0),
    ("DATA", "Decisions made on trusted data", "Chief Data Officer", 1.5),
    ("PEOPLE", "A productive, modern workplace", "HR Director", 1.0),
    ("COMPLY", "Meet regulatory obligations", "General Counsel", 1.0),
)
_OPTIONS = (
    "1. Do nothing. 2. Do the minimum (extend support). 3. Replace with a SaaS product.",
    "1. Do nothing. 2. Upgrade in place. 3. Re-platform to the cloud.",
    "1. Do nothing. 2. Outsource the service. 3. Build in-house on the common platform.",
)
_CHOSEN = {0: "Replace with a SaaS product", 1: "Re-platform to the cloud", 2: "Build in-house"}
_OUTCOMES = ("go", "go", "go", "go", "conditional", "conditional", "hold")
_CONDITIONS = (
    "Close the open high risks before the next gate.",
    "Re-baseline the plan and bring it to the board within a month.",
    "Confirm the benefits owner's sign-off of the revised target.",
)


def add_annual_values(benefits: list[dict[str, Any]], seed: int) -> None:
    """Cash-releasing benefits get a money value a year once fully realised (before their insert)."""
    rng = random.Random(seed + GOVERNANCE_SEED)
    for b in benefits:
        if b["kind"] == "cash-releasing":
            b["annual_value"] = float(rng.randrange(20, 800) * 1_000)


def add_governance(
    store: Store,
    seed: int,
    projects: list[dict[str, Any]],
    project_ids: list[int],
    milestones: list[dict[str, Any]],
    milestone_ids: list[int],
    benefit_ids: list[int],
) -> None:
    """Objectives, contributions, business cases and gate reviews for the generated projects."""
    rng = random.Random(seed + GOVERNANCE_SEED + 1)
    objective_ids = store.bulk_insert(
        "objective",
        [
            {"code": code, "name": name, "owner": owner, "weight": weight}
            for code, name, owner, weight in _OBJECTIVES
        ],
    )
    contributions: list[dict[str, Any]] = []
    for pid in project_ids:  # every project serves one or two objectives
        for oid in rng.sample(objective_ids, rng.choice((1, 1, 2))):
            contributions.append({"objective": oid, "project": pid, "strength": rng.choice((1, 2, 2, 3))})
    for bid in rng.sample(benefit_ids, len(benefit_ids) // 5):
        contributions.append(
            {"objective": rng.choice(objective_ids), "benefit": bid, "strength": rng.randint(1, 3)}
        )
    store.bulk_insert("contribution", contributions)

    cases: list[dict[str, Any]] = []
    for pid, project in zip(project_ids, projects, strict=True):
        option = rng.randrange(len(_OPTIONS))
        cases.append(
            {
                "project": pid,
                "horizon_years": rng.choice((5, 5, 5, 7, 10)),
                "annual_running_cost": round(project["budget"] * rng.uniform(0.02, 0.12), -3),
                "options": _OPTIONS[option],
                "chosen_option": _CHOSEN[rng.choice((option, 2))],
            }
        )
    cases.append({"project": None, "horizon_years": 10, "notes": "The portfolio's own case."})
    store.bulk_insert("business_case", cases)

    reviews: list[dict[str, Any]] = []
    for mid, m in zip(milestone_ids, milestones, strict=True):
        if m["is_gate"] and m["actual_date"] is not None:
            outcome = rng.choice(_OUTCOMES)
            reviews.append(
                {
                    "milestone": mid,
                    "review_date": m["actual_date"],
                    "outcome": outcome,
                    "conditions": rng.choice(_CONDITIONS) if outcome == "conditional" else None,
                    "attendees": "Programme board",
                }
            )
    store.bulk_insert("gate_review", reviews)
