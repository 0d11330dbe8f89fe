"""The large demo: a generated programme at benchmark scale (deterministic for a given `today`)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date as _date
from typing import Any

import pendulum

from pgmtui.demo.base import (
    SEED,
    _at,
)
from pgmtui.demo.finance import LARGE_MONTHS, large_costs
from pgmtui.demo.large_governance import add_annual_values, add_governance
from pgmtui.demo.people import build_people
from pgmtui.store import Store

# ---------------------------------------------------------------------------- large demo

LARGE = {
    "project": 200,
    "milestones_per_project": 10,
    "dependency": 1_500,
    "risk": 5_000,
    "benefit": 500,
    "measurements_per_benefit": 40,
    "cost_months_per_project": LARGE_MONTHS,
    "action": 5_000,
    "lesson": 200,
    "audit": 50_000,
    "stakeholder": 1_000,
    "engagement": 10_000,
    "communication": 100,
}
_AREAS = (
    "Finance",
    "HR",
    "Payroll",
    "Procurement",
    "Customer portal",
    "CRM",
    "Data warehouse",
    "Network",
    "Identity",
    "Endpoint",
    "Telephony",
    "Document management",
    "Case management",
    "Asset management",
    "Field service",
    "Analytics",
    "Integration",
    "Backup",
    "Security monitoring",
    "Web platform",
)
_ACTIONS = (
    "modernisation",
    "cloud migration",
    "replacement",
    "upgrade",
    "consolidation",
    "automation",
    "re-platforming",
    "roll-out",
)
_PEOPLE = (
    "Asha Patel",
    "Ben Carter",
    "Chloe Martin",
    "Daniel Kim",
    "Elena Rossi",
    "Farid Haddad",
    "Grace Liu",
    "Hannah Brooks",
    "Ian Murphy",
    "Jo Walsh",
    "Kofi Mensah",
    "Laura Stein",
    "Mo Hassan",
    "Nina Kowalski",
    "Oscar Reyes",
    "Priya Raman",
)
_USERS = ("asha", "ben", "chloe", "daniel", "elena", "farid", "grace", "hannah", "dev.ops", "priya")
_RISK_THEMES = (
    ("Technical", "Integration testing finds interface defects", "late interface specifications"),
    ("Supplier", "Supplier misses a delivery date", "supplier capacity shared with other clients"),
    ("Resource", "Key specialist leaves the project", "a tight market for specialists"),
    ("Financial", "Costs exceed the approved budget", "estimates based on an early design"),
    ("Stakeholder", "Business units do not release testers", "competing operational priorities"),
    ("Security", "Vulnerability found before go-live", "legacy components in the design"),
    ("Data protection", "Personal data handled without a DPIA", "new data flows between systems"),
    ("Schedule", "Go-live window is lost", "change freezes around year-end"),
    ("Operational", "Service desk cannot support the new service", "late knowledge transfer"),
    ("Commercial", "Licence costs rise at renewal", "vendor price changes"),
)
_OPPORTUNITY_THEMES = (
    ("Commercial", "Reuse an existing enterprise licence", "an enterprise agreement already in place"),
    ("Technical", "Retire a legacy system early", "overlapping functions in the new platform"),
)
_PROXIMITY = ("imminent", "this stage", "this project", "beyond")
_THREAT_RESPONSES = ("reduce", "reduce", "reduce", "avoid", "fallback", "transfer", "share", "accept")
_OPPORTUNITY_RESPONSES = ("exploit", "enhance", "share", "reject")
_BENEFIT_MEASURES = (
    ("cash-releasing", "Annual running cost", "£k/yr", -1),
    ("cash-releasing", "Annual licence spend", "£k/yr", -1),
    ("non-cash", "Tickets per month", "tickets", -1),
    ("non-cash", "Customer satisfaction score", "score /10", 1),
    ("non-cash", "Transactions processed automatically", "%", 1),
    ("non-cash", "Hours of manual work per month", "hours", -1),
    ("dis-benefit", "Additional operating cost", "£k/yr", 1),
)


def _weighted_score(rng: random.Random) -> int:
    return rng.choices((1, 2, 3, 4, 5), weights=(2, 4, 5, 3, 2))[0]


class _Days:
    """ISO dates by day offset from today, cached: the large demo formats some 60,000 dates."""

    def __init__(self, today: pendulum.Date):
        self.base = today.toordinal()
        self.cache: dict[int, str] = {}

    def __call__(self, offset: int) -> str:
        text = self.cache.get(offset)
        if text is None:
            text = self.cache[offset] = _date.fromordinal(self.base + offset).isoformat()
        return text

    def date(self, offset: int) -> pendulum.Date:
        d = _date.fromordinal(self.base + offset)
        return pendulum.Date(d.year, d.month, d.day)


def _instant(day: _date, seconds: int) -> pendulum.DateTime:
    """`seconds` after midnight UTC on `day` (the plain constructor: pendulum's helpers are slow)."""
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return pendulum.DateTime(day.year, day.month, day.day, hour, minute, second, tzinfo=pendulum.UTC)


def build_large(store: Store, today: pendulum.Date, scale: int) -> None:
    rng = random.Random(SEED)
    n_projects = LARGE["project"] * scale
    per_project = LARGE["milestones_per_project"]
    created_offset = -90
    created_at = _at(today.subtract(days=-created_offset), "08:00")
    iso = _Days(today)

    with store.acting(user="pmo", at=created_at):
        store.insert(
            "programme",
            {
                "name": "Enterprise Transformation Portfolio (generated)",
                "sponsor": "Margaret Hale (CIO)",
                "manager": "Priya Raman",
                "start_date": iso(-720),
                "end_date": iso(900),
                "tolerance_schedule_days": 10,
                "tolerance_cost_pct": 10.0,
                "currency": "GBP",
                "status_note": "Generated for benchmarks.",
            },
        )

        # Projects.
        projects: list[dict[str, Any]] = []
        spans: list[tuple[int, int]] = []
        for i in range(n_projects):
            start = rng.randint(-600, -30)
            base_end = start + rng.randint(240, 720)
            slip = rng.choice((0, 0, 0, -5, 3, 7, 12, 20, 35))
            elapsed = max(0.0, min(1.0, -start / (base_end - start)))
            pc = round(max(0.0, min(100.0, 100 * elapsed + rng.uniform(-15, 10))), 1)
            budget = float(rng.randrange(200, 5_000) * 1_000)
            cost = round(budget * pc / 100 * rng.uniform(0.8, 1.3), -2)
            stage = "Initiation" if pc < 10 else "Closure" if pc > 92 else "Delivery"
            fields: dict[str, Any] = {
                "code": f"P{i:03d}",
                "name": f"{rng.choice(_AREAS)} {rng.choice(_ACTIONS)} {i:03d}",
                "manager": rng.choice(_PEOPLE),
                "stage": stage,
                "start_date": iso(start),
                "baseline_end": iso(base_end),
                "forecast_end": iso(base_end + slip),
                "budget": budget,
                "actual_cost": cost,
                "percent_complete": pc,
            }
            if rng.random() < 0.03:
                fields["rag_override"] = rng.choice("RAG")
                fields["rag_reason"] = "Set by the project board pending the next highlight report."
            projects.append(fields)
            spans.append((start, base_end))
        project_ids = store.bulk_insert("project", projects)
        # Cost plans: their actuals add up to each project's actual cost, which is then derived.
        costs = large_costs(store, today, project_ids, projects)

        # Milestones: evenly spread over each project, slipping more towards the end.
        milestones: list[dict[str, Any]] = []
        offsets: list[tuple[int, int]] = []  # (baseline offset, forecast offset) per milestone
        gates = (0, 4, per_project - 1)
        for pid, (start, end) in zip(project_ids, spans, strict=True):
            drift = rng.choice((0, 0, 2, 5, 10, 20))
            for m in range(per_project):
                base_day = start + (end - start) * (m + 1) // per_project
                fc = base_day + drift * (m + 1) // per_project + rng.choice((0, 0, 0, -2, 3))
                milestones.append(
                    {
                        "project": pid,
                        "name": f"Gate {m + 1:02d}" if m in gates else f"Milestone {m + 1:02d}",
                        "baseline_date": iso(base_day),
                        "forecast_date": iso(fc),
                        "actual_date": iso(fc) if fc <= -60 else None,
                        "is_gate": m in gates,
                    }
                )
                offsets.append((base_day, fc))
        milestone_ids = store.bulk_insert("milestone", milestones)

        # Dependencies: only from earlier to later milestones in one global order (so no cycles).
        order = sorted(range(len(milestone_ids)), key=lambda k: (offsets[k][0], k))
        n_deps = LARGE["dependency"] * scale
        seen: set[tuple[int, int]] = set()
        deps: list[dict[str, Any]] = []
        while len(deps) < n_deps:
            a = rng.randrange(len(order) - 1)
            b = min(len(order) - 1, a + rng.randint(1, 300))
            s, c = order[a], order[b]
            if milestones[s]["project"] == milestones[c]["project"] or (s, c) in seen:
                continue
            seen.add((s, c))
            deps.append(
                {
                    "supplier": milestone_ids[s],
                    "consumer": milestone_ids[c],
                    "type": rng.choices(("FS", "SS", "FF", "SF"), weights=(85, 7, 7, 1))[0],
                    "lag_days": rng.choice((0, 0, 0, 0, 5, 10, -5, 14)),
                    "owner": rng.choice(_PEOPLE),
                }
            )
        store.bulk_insert("dependency", deps)

        # Risks.
        risks: list[dict[str, Any]] = []
        for _ in range(LARGE["risk"] * scale):
            opportunity = rng.random() < 0.05
            category, event, cause = rng.choice(_OPPORTUNITY_THEMES if opportunity else _RISK_THEMES)
            p, i = _weighted_score(rng), _weighted_score(rng)
            rp, ri = max(1, p - rng.choice((0, 1, 1, 2))), max(1, i - rng.choice((0, 0, 1)))
            risks.append(
                {
                    "project": None if rng.random() < 0.1 else rng.choice(project_ids),
                    "title": event,
                    "kind": "opportunity" if opportunity else "threat",
                    "cause": f"Because of {cause}.",
                    "event": f"{event}.",
                    "effect": "Delay to dependent milestones and extra cost.",
                    "category": category,
                    "owner": rng.choice(_PEOPLE),
                    "probability": p,
                    "impact": i,
                    "residual_probability": rp if rng.random() < 0.85 else None,
                    "residual_impact": ri if rng.random() < 0.85 else None,
                    "proximity": rng.choice(_PROXIMITY),
                    "response": rng.choice(_OPPORTUNITY_RESPONSES if opportunity else _THREAT_RESPONSES),
                    "status": "closed" if rng.random() < 0.15 else "open",
                    "review_date": iso(rng.randint(-30, 90)),
                }
            )
        risk_ids = store.bulk_insert("risk", risks)

        # Benefits, each with a monthly measurement history.
        benefits: list[dict[str, Any]] = []
        shapes: list[tuple[float, float, int]] = []
        n_points = LARGE["measurements_per_benefit"]
        for b in range(LARGE["benefit"] * scale):
            kind, measure, unit, direction = rng.choice(_BENEFIT_MEASURES)
            base = float(rng.randrange(100, 5_000))
            target = base + direction * base * rng.uniform(0.2, 0.6)
            first = -30 * n_points - rng.randint(0, 29)
            benefits.append(
                {
                    "name": f"{measure} – benefit {b:04d}",
                    "owner": rng.choice(_PEOPLE),
                    "kind": kind,
                    "measure": measure,
                    "unit": unit,
                    "baseline_value": base,
                    "baseline_date": iso(first - 30),
                    "target_value": round(target, 1),
                    "target_date": iso(rng.randint(60, 720)),
                    "projects": rng.sample(project_ids, rng.randint(1, 3)),
                }
            )
            shapes.append((base, target, first))
        add_annual_values(benefits, SEED)
        benefit_ids = store.bulk_insert("benefit", benefits)
        add_governance(store, SEED, projects, project_ids, milestones, milestone_ids, benefit_ids)
        _follow_up(store, project_ids, milestone_ids, milestones, risk_ids, risks, scale, iso)

    # Measurements: those taken before the load are loaded with it, later ones on the day they are taken.
    by_offset: dict[int, list[dict[str, Any]]] = {}
    for bid, (base, target, first) in zip(benefit_ids, shapes, strict=True):
        pace = rng.uniform(0.2, 1.3)  # share of the change reached by the last point
        for k in range(n_points):
            value = base + (target - base) * (pace * (k + 1) / n_points + rng.uniform(-0.05, 0.05))
            taken = first + 30 * (k + 1)
            by_offset.setdefault(max(taken, created_offset), []).append(
                {"benefit": bid, "date": iso(taken), "value": round(value, 2)}
            )
    for offset in sorted(by_offset):
        recorded = iso.date(offset)
        while recorded.weekday() >= 5:
            recorded = recorded.add(days=1)
        if offset == created_offset:
            at = created_at.add(minutes=5)
        else:
            at = _at(recorded, "09:30") if recorded < today else _at(today, "07:30")
        with store.acting(user="dev.ops", at=at):
            store.bulk_insert("measurement", by_offset[offset])

    # Real updates, spread over the past 60 days, until the audit trail holds its target size.
    remaining = LARGE["audit"] * scale - store.audit_count()
    state = _LargeState(milestone_ids, offsets, risk_ids, risks, project_ids, projects, costs)
    _large_updates(store, today, rng, remaining, state, iso)
    # The second wave's kinds come last, each from its own seeded generator, so adding one never
    # changes the records generated before it.
    _large_stakeholders(store, today, scale, project_ids, iso, created_at)

    # People and allocations, loaded with the programme (after the updates: their own random
    # stream, so the records above and the audit trail's updates stay as they were).
    build_people(
        store, today, created_at.add(minutes=10), _PEOPLE, project_ids, milestone_ids, per_project, scale
    )


_ACTION_VERBS = ("Chase", "Agree", "Confirm", "Escalate", "Review", "Draft", "Book", "Test")
_ACTION_OBJECTS = (
    "the supplier's revised plan",
    "the cut-over window with the business",
    "the test environment booking",
    "the design authority slot",
    "the licence true-up figures",
    "the data-migration rehearsal results",
    "the change request with finance",
    "the training schedule",
)
_LESSON_TITLES = (
    ("planning", "Plan contingency for supplier re-estimates"),
    ("governance", "Bring the DPIA forward to initiation"),
    ("supplier", "Order long-lead hardware at Gate 1"),
    ("technical", "Rehearse the data migration twice"),
    ("people", "Train super-users before go-live"),
    ("benefits", "Name a benefit owner before the business case"),
    ("risk", "Review the top risks at every highlight report"),
)


def _follow_up(
    store: Store,
    project_ids: list[int],
    milestone_ids: list[int],
    milestones: list[dict[str, Any]],
    risk_ids: list[int],
    risks: list[dict[str, Any]],
    scale: int,
    iso: _Days,
) -> None:
    """Actions about risks, milestones and projects (most open, some overdue, a quarter done) and
    lessons from earlier projects. A random stream of its own, so the rest of the demo is as before."""
    rng = random.Random(SEED + 17)
    actions: list[dict[str, Any]] = []
    for _ in range(LARGE["action"] * scale):
        roll = rng.random()
        if roll < 0.6:
            k = rng.randrange(len(risk_ids))
            about, project = f"risk:{risk_ids[k]}", risks[k]["project"]
        elif roll < 0.8:
            k = rng.randrange(len(milestone_ids))
            about, project = f"milestone:{milestone_ids[k]}", milestones[k]["project"]
        else:
            project = rng.choice(project_ids)
            about = f"project:{project}"
        due = rng.randint(-30, 60)
        status = rng.choices(("open", "done", "cancelled"), weights=(70, 25, 5))[0]
        actions.append(
            {
                "title": f"{rng.choice(_ACTION_VERBS)} {rng.choice(_ACTION_OBJECTS)}",
                "owner": rng.choice(_PEOPLE),
                "due_date": iso(due),
                "status": status,
                "done_date": iso(min(0, due - rng.randint(0, 5))) if status == "done" else None,
                "project": project,
                "about": about,
            }
        )
    store.bulk_insert("action", actions)
    lessons: list[dict[str, Any]] = []
    for _ in range(LARGE["lesson"] * scale):
        category, title = rng.choice(_LESSON_TITLES)
        k = rng.randrange(len(risk_ids))
        lessons.append(
            {
                "title": title,
                "category": category,
                "what_happened": "Recorded at the project's closure review.",
                "recommendation": "Apply to every project of this kind from initiation.",
                "project": None if rng.random() < 0.5 else rng.choice(project_ids),
                "source": f"risk:{risk_ids[k]}" if rng.random() < 0.3 else None,
                "raised_by": rng.choice(_PEOPLE),
                "date": iso(rng.randint(-700, -1)),
            }
        )
    store.bulk_insert("lesson", lessons)


@dataclass
class _LargeState:
    """What the generated updates need to know to make every update a real change."""

    milestone_ids: list[int]
    offsets: list[tuple[int, int]]
    risk_ids: list[int]
    risks: list[dict[str, Any]]
    project_ids: list[int]
    projects: list[dict[str, Any]]
    costs: dict[tuple[int, str], tuple[int, float | None]]  # (project index, month) → (row id, actual)


_RISK_SCORES = ("probability", "impact", "residual_probability", "residual_impact")


def _large_updates(
    store: Store, today: pendulum.Date, rng: random.Random, count: int, st: _LargeState, iso: _Days
) -> None:
    """`count` updates that each change something, at sorted instants on working days."""
    days = [today.subtract(days=n) for n in range(60, -1, -1)]
    days = [d for d in days if d.weekday() < 5 or d == today]
    t0 = today.toordinal()
    slots: list[tuple[int, int]] = []  # (day offset, seconds after midnight)
    for _ in range(count):
        d = rng.choice(days)
        if d == today:  # a few early this morning
            slots.append((0, 7 * 3_600 + rng.randrange(3_600)))
        else:
            slots.append((d.toordinal() - t0, 7 * 3_600 + 1_800 + rng.randrange(11 * 3_600)))
    slots.sort()
    forecast = [fc for _, fc in st.offsets]
    open_milestones = [k for k, (_, fc) in enumerate(st.offsets) if fc > -60]  # no actual date yet
    open_risks = [k for k, r in enumerate(st.risks) if r["status"] == "open"]
    scores = [{f: r[f] for f in _RISK_SCORES} for r in st.risks]
    pct = [p["percent_complete"] for p in st.projects]
    spent = {key: actual or 0.0 for key, (_, actual) in st.costs.items()}  # each month's actual so far
    written = 0
    for day_offset, seconds in slots:
        if written >= count:
            break
        user = rng.choice(_USERS)
        roll = rng.random()
        change: tuple[str, int, dict[str, Any]]
        if roll < 0.5 and open_milestones:
            k = rng.choice(open_milestones)
            if forecast[k] <= day_offset:  # due: completed on its forecast date
                change = ("milestone", st.milestone_ids[k], {"actual_date": iso(forecast[k])})
                open_milestones.remove(k)
            else:
                forecast[k] += rng.choice((-7, -3, 2, 5, 7, 10, 14, 21))
                change = ("milestone", st.milestone_ids[k], {"forecast_date": iso(forecast[k])})
        elif roll < 0.93 and open_risks:
            k = rng.choice(open_risks)
            if rng.random() < 0.03:
                change = ("risk", st.risk_ids[k], {"status": "closed"})
                open_risks.remove(k)
            else:
                name = rng.choice(_RISK_SCORES)
                score = scores[k]
                old = score[name] or score[name.removeprefix("residual_")]
                new = old + rng.choice((-1, 1))
                if not 1 <= new <= 5:
                    new = 2 * old - new
                score[name] = new
                change = ("risk", st.risk_ids[k], {name: new})
        else:
            k = rng.randrange(len(st.project_ids))
            if pct[k] >= 100:
                continue
            pct[k] = min(100.0, round(pct[k] + rng.uniform(0.5, 4), 1))
            change = ("project", st.project_ids[k], {"percent_complete": pct[k]})
            key = (k, iso(day_offset)[:7])
            if count - written >= 3 and key in st.costs:
                # Progress and spend: the month's actual grows (its project's actual cost follows,
                # an update of its own): three audit rows.
                spent[key] = round(spent[key] + st.projects[k]["budget"] * rng.uniform(0.005, 0.03), -2)
                with store.acting(user=user, at=_instant(iso.date(day_offset), seconds)):
                    store.update("cost", st.costs[key][0], {"actual": spent[key]})
                written += 2
        with store.acting(user=user, at=_instant(iso.date(day_offset), seconds)):
            store.update(*change)
        written += 1
    while written < count:  # only if the walk skipped some slots: top up at the last one
        day_offset, seconds = slots[-1]
        k = rng.randrange(len(st.project_ids))
        pct[k] = round(pct[k] - 0.1, 1) if pct[k] >= 100 else round(pct[k] + 0.1, 1)
        with store.acting(user="dev.ops", at=_instant(iso.date(day_offset), seconds)):
            store.update("project", st.project_ids[k], {"percent_complete": pct[k]})
        written += 1


# ---------------------------------------------------------------------------- stakeholders

_STAKEHOLDER_ROLES = (
    ("Director", 5, 3),
    ("Head of service", 4, 4),
    ("Business lead", 3, 4),
    ("Service owner", 3, 5),
    ("Supplier account manager", 2, 4),
    ("Team leader", 2, 3),
    ("Union representative", 4, 5),
    ("Auditor", 3, 2),
    ("Key user", 1, 4),
    ("Staff group", 1, 2),
)
_ATTITUDES = ("blocker", "critic", "neutral", "supporter", "champion")
_CHANNELS = ("meeting", "email", "call", "workshop", "report", "other")
_CADENCES = (7, 14, 14, 30, 30, 30, 60, 90, None)


def _large_stakeholders(
    store: Store, today: pendulum.Date, scale: int, project_ids: list[int], iso: _Days, created_at: Any
) -> None:
    """1,000 stakeholders with 10,000 engagements over the past 180 days and a 100-item comms plan
    (× scale). Engagements dated before the load come with it; later ones are logged on their day."""
    rng = random.Random(SEED + 16)
    n = LARGE["stakeholder"] * scale
    stakeholders: list[dict[str, Any]] = []
    for k in range(n):
        role, power, interest = rng.choice(_STAKEHOLDER_ROLES)
        power = max(1, min(5, power + rng.choice((-1, 0, 0, 1))))
        interest = max(1, min(5, interest + rng.choice((-1, 0, 0, 1))))
        attitude = rng.choices(_ATTITUDES, weights=(1, 3, 6, 5, 2))[0]
        target = _ATTITUDES[min(4, _ATTITUDES.index(attitude) + rng.choice((0, 1, 1, 2)))]
        stakeholders.append(
            {
                "name": f"{rng.choice(_AREAS)} {role.lower()} {k:04d}",
                "role": role,
                "organisation": rng.choice(_AREAS),
                "power": power,
                "interest": interest,
                "attitude": attitude,
                "target_attitude": target,
                "owner": rng.choice(_PEOPLE),
                "cadence_days": rng.choice(_CADENCES),
                "channel": rng.choice(_CHANNELS),
                "projects": rng.sample(project_ids, rng.randint(0, 3)),
            }
        )
    with store.acting(user="pmo", at=created_at.add(minutes=10)):
        stakeholder_ids = store.bulk_insert("stakeholder", stakeholders)
        store.bulk_insert(
            "communication",
            [
                {
                    "audience": rng.choice(("All staff", "Project boards", "Executive board", "Suppliers"))
                    if rng.random() < 0.5
                    else stakeholders[rng.randrange(n)]["name"],
                    "message": f"{rng.choice(_AREAS)} update {c:03d}",
                    "channel": rng.choice(_CHANNELS),
                    "frequency_days": rng.choice((7, 14, 30, None)),
                    "owner": rng.choice(_PEOPLE),
                    "next_due": iso(rng.randint(-10, 60)),
                }
                for c in range(LARGE["communication"] * scale)
            ],
        )
    created_offset = created_at.date().toordinal() - today.toordinal()
    by_offset: dict[int, list[dict[str, Any]]] = {}
    for _ in range(LARGE["engagement"] * scale):
        offset = -rng.randint(0, 180)
        engagement = {
            "stakeholder": rng.choice(stakeholder_ids),
            "date": iso(offset),
            "channel": rng.choice(_CHANNELS),
            "summary": "Progress, concerns and next steps discussed.",
            "by": rng.choice(_PEOPLE),
        }
        if rng.random() < 0.3:
            engagement["next_action"] = "Follow up on the open questions"
            engagement["next_date"] = iso(offset + rng.randint(3, 30))
        by_offset.setdefault(max(offset, created_offset), []).append(engagement)
    for offset in sorted(by_offset):
        if offset == created_offset:
            at = created_at.add(minutes=15)
        else:
            day = iso.date(offset)
            at = _at(day, "17:00") if day < today else _at(today, "07:45")
        with store.acting(user="dev.ops", at=at):
            store.bulk_insert("engagement", by_offset[offset])
