"""The post-programme review on hand-made rows and audit trails: lesson candidates (slips beyond
tolerance, Red spells and how long they lasted, risks re-scored to Critical, benefits off track,
gates stopped), risks that became issues, and each project's end and cost against its plan.
Today is Wednesday 2026-11-25; the schedule tolerance is 10 d."""

from __future__ import annotations

import json
from typing import Any

import pendulum

from pgmtui.domain.candidates import gates_stopped, harvest, rag_history, reds, rescored_to_critical, slips
from pgmtui.domain.models import Snapshot
from pgmtui.domain.review import became_issues, review_data
from pgmtui.domain.rollup import rollup

TODAY = pendulum.Date(2026, 11, 25)
_ids = iter(range(1, 10_000))


def audit(ts: str, user: str, tbl: str, row_id: int, action: str, **changes: Any) -> dict[str, Any]:
    return {"id": next(_ids), "ts": ts, "user": user, "tbl": tbl, "row_id": row_id, "action": action,
            "changes": json.dumps({k: list(v) for k, v in changes.items()})}  # fmt: skip


MILESTONE = {
    "id": 5,
    "project_id": 1,
    "name": "Go-live",
    "baseline_date": "2026-12-01",
    "forecast_date": "2026-12-15",
}
PROJECT = {"id": 1, "code": "APP", "name": "App", "stage": "Delivery", "baseline_end": "2027-01-01",
           "forecast_end": "2027-01-06", "budget": 0, "actual_cost": 0, "percent_complete": 0}  # fmt: skip


def test_a_milestone_slipping_beyond_tolerance_is_one_candidate_with_every_move() -> None:
    trail = [
        audit("2026-11-02T09:00:00Z", "pmo", "milestone", 5, "insert", forecast_date=(None, "2026-12-01")),
        audit(
            "2026-11-10T10:00:00Z",
            "asha",
            "milestone",
            5,
            "update",
            forecast_date=("2026-12-01", "2026-12-03"),
        ),
        audit(
            "2026-11-12T10:00:00Z",
            "ben",
            "milestone",
            5,
            "update",
            forecast_date=("2026-12-03", "2026-11-30"),
        ),
        audit(
            "2026-11-20T16:30:00Z",
            "asha",
            "milestone",
            5,
            "update",
            forecast_date=("2026-11-30", "2026-12-15"),
        ),
    ]
    (c,) = slips({5: MILESTONE}, trail, {1: "APP"}, tolerance=10)
    # Later moves: +2 d (12-01 → 12-03) and +15 d (11-30 → 12-15) = 17 d; the earlier move is not a slip.
    # Worst variance: 12-15 − baseline 12-01 = 14 d > 10 d tolerance.
    assert c.title == "APP:Go-live slipped 17 d, 14 d past its baseline"
    assert (c.finding, c.category, c.source, c.project) == ("slip", "planning", "milestone:5", "APP")
    assert [e.line() for e in c.evidence] == [
        "2026-11-10 10:00 asha: forecast 2026-12-01 → 2026-12-03 (+2 d), +2 d against baseline 2026-12-01",
        "2026-11-20 16:30 asha: forecast 2026-11-30 → 2026-12-15 (+15 d), +14 d against baseline 2026-12-01",
    ]
    within = [
        audit(
            "2026-11-10T10:00:00Z",
            "asha",
            "milestone",
            5,
            "update",
            forecast_date=("2026-12-01", "2026-12-11"),
        )
    ]
    assert (
        slips({5: {**MILESTONE, "forecast_date": "2026-12-11"}}, within, {1: "APP"}, tolerance=10) == []
    )  # 10 d


def test_a_risk_re_scored_into_critical_is_a_candidate_once() -> None:
    risk = {"id": 7, "project_id": 1, "title": "Vendor late", "probability": 4, "impact": 5,
            "residual_probability": 4, "residual_impact": 5}  # fmt: skip
    trail = [
        audit("2026-11-02T09:00:00Z", "pmo", "risk", 7, "insert", probability=(None, 3), impact=(None, 4)),
        # residual falls back to inherent: 3 × 4 = 12 (High) → 4 × 4 = 16 (Critical)
        audit("2026-11-10T09:00:00Z", "ben", "risk", 7, "update", probability=(3, 4)),
        audit("2026-11-11T09:00:00Z", "ben", "risk", 7, "update", impact=(4, 5)),  # 16 → 20: already Critical
        audit(
            "2026-11-12T09:00:00Z",
            "ben",
            "risk",
            7,
            "update",
            residual_probability=(None, 4),
            residual_impact=(None, 5),
        ),
    ]
    (c,) = rescored_to_critical({7: risk}, trail, {1: "APP"})
    assert c.title == "Risk re-scored to Critical: Vendor late" and c.category == "risk"
    assert [e.line() for e in c.evidence] == ["2026-11-10 09:00 ben: residual score 12 → 16 (Critical)"]


def test_red_spells_and_how_long_they_lasted() -> None:
    trail = [
        audit("2026-11-10T09:00:00Z", "pmo", "project", 1, "insert", forecast_end=(None, "2027-01-01")),
        audit(
            "2026-11-16T09:00:00Z", "ben", "project", 1, "update", forecast_end=("2027-01-01", "2027-01-21")
        ),
        audit(
            "2026-11-20T09:00:00Z", "ben", "project", 1, "update", forecast_end=("2027-01-21", "2027-01-06")
        ),
    ]
    history = rag_history(
        today=TODAY, programme=None, tables={"project": [PROJECT]}, benefit_links={}, audit=trail
    )
    # End of 11-10: on baseline (G); 11-16: 20 d late (R); 11-20 and today: 5 d late (A).
    assert [(d.isoformat(), rag) for d, rag, _ in history[1]] == [
        ("2026-11-10", "G"),
        ("2026-11-16", "R"),
        ("2026-11-20", "A"),
        ("2026-11-25", "A"),
    ]
    (c,) = reds(history, {1: PROJECT}, TODAY)
    assert (
        c.title == "APP was Red for 4 d" and c.category == "planning" and c.source == "project:1"
    )  # 20 − 16
    assert c.evidence[0].line() == (
        "Red from 2026-11-16 until 2026-11-20 (4 d): schedule: forecast 20 d after baseline (tolerance 10 d)"
    )
    still = reds({1: [(pendulum.Date(2026, 11, 20), "R", "cost: over")]}, {1: PROJECT}, TODAY)
    assert still[0].title == "APP was Red for 5 d (still Red)"  # 25 − 20


def test_a_stopped_gate_names_who_stopped_it() -> None:
    gate = {
        "id": 2,
        "milestone_id": 5,
        "review_date": "2026-11-18",
        "outcome": "stop",
        "conditions": "No funding",
    }
    trail = [audit("2026-11-18T15:00:00Z", "priya", "gate_review", 2, "update", outcome=("pending", "stop"))]
    (c,) = gates_stopped({2: gate}, {5: MILESTONE}, trail, {1: "APP"})
    assert c.title == "Stage gate stopped: APP:Go-live" and c.category == "governance"
    assert c.what_happened == "The review of APP:Go-live on 2026-11-18 said stop. Conditions: No funding"
    assert [e.line() for e in c.evidence] == [
        "2026-11-18 15:00 priya: outcome set to stop (review of 2026-11-18)"
    ]


def test_a_candidate_is_recorded_once_a_lesson_names_its_source() -> None:
    trail = [
        audit(
            "2026-11-20T16:30:00Z",
            "asha",
            "milestone",
            5,
            "update",
            forecast_date=("2026-12-01", "2026-12-15"),
        )
    ]
    tables = {"milestone": [MILESTONE], "project": [PROJECT], "lesson": [{"id": 9, "source": "milestone:5"}]}
    (c,) = harvest(
        today=TODAY, tables=tables, audit=trail, tolerance_days=10, benefit_statuses=[], rag_points={}
    )
    assert c.recorded and c.lesson_id == 9
    assert c.lesson_fields()["source"] == "milestone:5" and c.lesson_fields()["project"] == "APP"


def test_risks_that_became_issues_share_title_words_in_the_same_project() -> None:
    risks = [
        {
            "id": 1,
            "project_id": 1,
            "title": "DPIA not approved by the Data Protection Officer",
            "created_at": "a",
        },
        {"id": 2, "project_id": 2, "title": "DPIA delayed by the Data Protection Officer", "created_at": "a"},
        {"id": 3, "project_id": 1, "title": "Data centre exit late", "created_at": "a"},
    ]
    issues = [
        {
            "id": 8,
            "project_id": 1,
            "title": "DPIA rejected by the Data Protection Officer",
            "created_at": "b",
        },
        {"id": 9, "project_id": 1, "title": "Data quality poor", "created_at": "b"},  # one shared word only
        {
            "id": 10,
            "project_id": 1,
            "title": "Data centre exit late again",
            "created_at": "0",
        },  # before the risk
    ]
    assert became_issues(risks, issues) == [
        {"project_id": 1, "risk_id": 1, "risk": risks[0]["title"], "issue_id": 8, "issue": issues[0]["title"],
         "shared_words": ["data", "dpia", "officer", "protection"]},
    ]  # fmt: skip


def test_the_review_per_project_end_and_cost_against_plan() -> None:
    closed = {"id": 1, "code": "APP", "name": "App", "stage": "Closed", "start_date": "2026-01-01",
              "baseline_end": "2026-10-01", "forecast_end": "2026-10-15", "budget": 100_000,
              "actual_cost": 112_000, "percent_complete": 100}  # fmt: skip
    tables: dict[str, list[dict[str, Any]]] = {
        "project": [closed],
        "milestone": [
            {
                "id": 5,
                "project_id": 1,
                "name": "Go-live",
                "baseline_date": "2026-09-01",
                "actual_date": "2026-09-11",
            },
            {
                "id": 6,
                "project_id": 1,
                "name": "Pilot",
                "baseline_date": "2026-06-01",
                "actual_date": "2026-05-30",
            },
        ],
        "change_request": [
            {
                "id": 1,
                "project_id": 1,
                "status": "approved",
                "cost_impact": 10_000,
                "schedule_impact_days": 14,
            },
            {
                "id": 2,
                "project_id": 1,
                "status": "rejected",
                "cost_impact": 50_000,
                "schedule_impact_days": 30,
            },
        ],
        "lesson": [
            {"id": 1, "project_id": 1, "title": "Start early", "category": "planning", "date": "2026-11-01"}
        ],
    }
    snap = Snapshot.from_rows({"id": 1, "name": "P"}, tables)
    data = review_data(
        today=TODAY,
        programme={"name": "P"},
        tables=tables,
        rollup_now=rollup(snap, TODAY),
        audit=[],
        rag_points={},
    )
    assert set(data) >= {"projects", "lessons", "candidates"}
    (p,) = data["projects"]
    assert (p["closed"], p["end"], p["end_variance_days"]) == (True, "2026-10-15", 14)  # Oct 15 − Oct 1
    # Closed: the cost is the actual, 112 000 against 100 000 = +12 000 (+12.0 %); CPI = 100 000 / 112 000.
    assert (p["cost"], p["cost_variance"], p["cost_variance_pct"], p["cpi"]) == (
        112_000.0,
        12_000.0,
        12.0,
        0.89,
    )
    assert p["milestones"] == {"total": 2, "achieved": 2, "on_time": 1, "late": 1, "worst_late_days": 10}
    assert p["change_requests"]["approved"] == 1 and p["change_requests"]["approved_cost_impact"] == 10_000.0
    assert p["change_requests"]["approved_schedule_days"] == 14 and p["lessons"] == 1
    assert data["lessons"][0]["title"] == "Start early" and data["candidates"] == []
