"""Governance rules by hand: alignment, gate readiness, gates due without a review, exceptions."""

from __future__ import annotations

from typing import Any

import pendulum
import pytest

from pgmtui.domain.business_case import CaseBook
from pgmtui.domain.exception import assess_exception
from pgmtui.domain.governance import (
    alignment,
    gate_calendar,
    gate_readiness,
    gates_due_without_review,
    strength_glyphs,
)
from pgmtui.domain.models import Snapshot
from pgmtui.domain.rollup import rollup

TODAY = pendulum.Date(2026, 11, 25)
T = TODAY.toordinal()


def _project(pid: int, code: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": pid,
        "code": code,
        "name": f"Project {code}",
        "start_date": "2026-01-01",
        "baseline_end": "2027-06-30",
        "forecast_end": "2027-06-30",
        "budget": 100_000,
        "actual_cost": 40_000,
        "percent_complete": 40,
        **extra,
    }


# ---------------------------------------------------------------------------- alignment


def _alignment_snapshot() -> Snapshot:
    return Snapshot.from_rows(
        {"id": 1, "name": "P"},
        {
            "project": [_project(1, "AAA"), _project(2, "BBB"), _project(3, "CCC")],
            "benefit": [{"id": 1, "name": "Savings"}],
            "objective": [
                {"id": 1, "code": "ONE", "name": "Cut cost", "weight": 3},
                {"id": 2, "code": "TWO", "name": "Grow", "weight": None},
            ],
            "contribution": [
                {"id": 1, "objective_id": 1, "project_id": 1, "strength": 3, "note": "main vehicle"},
                {"id": 2, "objective_id": 2, "project_id": 1, "strength": 1},
                {"id": 3, "objective_id": 2, "benefit_id": 1, "strength": 2},
            ],
        },
        {1: [1, 2]},  # the benefit is enabled by AAA and BBB
    )


def test_alignment_direct_through_a_benefit_and_unaligned() -> None:
    a = alignment(_alignment_snapshot())
    by_code = {p.code: p for p in a.projects}
    # AAA: ONE ●●● and TWO ● directly; the benefit's stronger ○○ to TWO does not replace a direct link.
    assert dict(by_code["AAA"].cells) == {1: (3, True), 2: (1, True)}
    assert by_code["AAA"].score == 3 * 3 + 1 * 1  # weight 3 × strength 3 + weight 1 (unset) × 1
    # BBB serves TWO only through the benefit it enables.
    assert dict(by_code["BBB"].cells) == {2: (2, False)}
    assert by_code["BBB"].score == 2
    assert a.unaligned == ["CCC"]
    data = a.to_json()
    assert data["unaligned_projects"] == ["CCC"]
    one = data["objectives"][0]
    assert one["code"] == "ONE" and one["projects"] == [
        {"code": "AAA", "strength": 3, "note": "main vehicle"}
    ]
    two = data["objectives"][1]
    assert two["benefits"] == [{"name": "Savings", "strength": 2, "note": None, "projects": ["AAA", "BBB"]}]


def test_strength_glyphs_read_without_colour() -> None:
    assert strength_glyphs(3) == "●●●"
    assert strength_glyphs(2, direct=False) == "○○"
    assert strength_glyphs(9) == "●●●"


# ---------------------------------------------------------------------------- gates


def _gate_snapshot(**tables: list[dict[str, Any]]) -> Snapshot:
    base: dict[str, list[dict[str, Any]]] = {
        "project": [_project(1, "AAA")],
        "milestone": [
            {
                "id": 1,
                "project_id": 1,
                "name": "Gate 1",
                "baseline_date": "2026-03-01",
                "forecast_date": "2026-03-01",
                "actual_date": "2026-03-01",
                "is_gate": 1,
            },
            {
                "id": 2,
                "project_id": 1,
                "name": "Gate 2",
                "baseline_date": "2026-12-05",
                "forecast_date": "2026-12-09",
                "is_gate": 1,
            },
            {"id": 3, "project_id": 1, "name": "Build done", "baseline_date": "2026-12-01", "is_gate": 0},
        ],  # fmt: skip
        "risk": [
            {
                "id": 1,
                "project_id": 1,
                "title": "Supplier fails",
                "probability": 4,
                "impact": 4,
                "status": "open",
            },
            {"id": 2, "project_id": 1, "title": "Minor", "probability": 2, "impact": 2, "status": "open"},
        ],
        "issue": [
            {"id": 1, "project_id": 1, "title": "Test rig down", "priority": "high", "status": "open"},
            {"id": 2, "project_id": 1, "title": "Old", "priority": "critical", "status": "closed"},
        ],
        "decision": [{"id": 7, "title": "Go with conditions", "status": "made"}],
        "gate_review": [
            {"id": 1, "milestone_id": 1, "review_date": "2026-03-01", "outcome": "go", "decision_id": 7},
        ],
        "action": [
            {
                "id": 1,
                "title": "Book the gate board",
                "status": "open",
                "due_date": "2026-11-20",
                "about": "milestone:2",
            },
            {"id": 2, "title": "Not late yet", "status": "open", "due_date": "2026-12-20", "project_id": 1},
            {"id": 3, "title": "Done", "status": "done", "due_date": "2026-11-01", "project_id": 1},
        ],  # fmt: skip
    }
    base.update(tables)
    return Snapshot.from_rows({"id": 1, "name": "P"}, base, {})


def test_gate_readiness_reads_every_line_of_evidence() -> None:
    snap = _gate_snapshot()
    g = gate_readiness(snap, rollup(snap, TODAY), 2, T)
    checks = {c.name: (c.rag, c.text) for c in g.checks}
    # Project: EV 40 000 / AC 40 000 → CPI 1, EAC = BAC; on baseline; risk 16 Critical → R.
    assert checks["project RAG"][0] == "R"
    assert checks["risks"] == ("R", "1 Critical, 0 High open; worst 'Supplier fails' residual 16")
    assert checks["issues"] == ("A", "open: 1 high")  # the closed critical one does not count
    assert checks["actions"] == ("A", "1 overdue")  # about this gate, due 5 days ago
    assert checks["last review"] == (None, "no review recorded")
    assert checks["benefits"] == (None, "enables no benefit")
    assert g.rag == "R" and g.verdict == "not ready"
    # Due 2026-12-09: 14 days from 2026-11-25 → "due soon".
    assert (g.days_to_go, g.state) == (14, "due soon")
    data = g.to_json()
    assert data["gate"]["milestone"] == "AAA:Gate 2"
    assert data["issues"]["by_priority"] == {"critical": 0, "high": 1, "medium": 0, "low": 0}
    assert data["actions_overdue"] == [
        {"id": 1, "title": "Book the gate board", "owner": None, "due_date": "2026-11-20"}
    ]
    assert data["viability"]["case_recorded"] is False


def test_a_passed_gate_shows_its_review_and_the_linked_decision() -> None:
    snap = _gate_snapshot(risk=[], issue=[], action=[])
    g = gate_readiness(snap, rollup(snap, TODAY), 1, T)
    assert g.state == "passed" and g.days_to_go is None
    assert g.last_review == {
        "id": 1,
        "review_date": "2026-03-01",
        "outcome": "go",
        "conditions": None,
        "attendees": None,
        "decision": {"id": 7, "title": "Go with conditions", "status": "made"},
    }
    checks = {c.name: c.rag for c in g.checks}
    assert checks["last review"] == "G" and checks["risks"] == "G" and checks["issues"] == "G"


@pytest.mark.parametrize(
    ("outcome", "rag"), [("go", "G"), ("conditional", "A"), ("pending", "A"), ("hold", "R"), ("stop", "R")]
)
def test_the_last_review_outcome_rates_readiness(outcome: str, rag: str) -> None:
    reviews = [
        {"id": 1, "milestone_id": 2, "review_date": "2026-11-01", "outcome": "stop"},
        {
            "id": 2,
            "milestone_id": 2,
            "review_date": "2026-11-20",
            "outcome": outcome,
            "conditions": "Fix\nit",
        },
    ]
    snap = _gate_snapshot(gate_review=reviews)
    g = gate_readiness(snap, rollup(snap, TODAY), 2, T)
    last = next(c for c in g.checks if c.name == "last review")
    assert last.rag == rag
    assert last.text == f"{outcome} on 2026-11-20: Fix it"


def test_the_calendar_lists_gates_ahead_by_date_then_those_passed() -> None:
    snap = _gate_snapshot()
    gates = gate_calendar(snap, rollup(snap, TODAY), T)
    assert [g.name for g in gates] == ["Gate 2", "Gate 1"]  # "Build done" is not a gate


def test_gates_due_within_14_days_without_any_review() -> None:
    milestones = [
        {"id": 1, "is_gate": 1, "forecast_date": "2026-12-09"},  # 14 d: flagged
        {"id": 2, "is_gate": 1, "forecast_date": "2026-12-10"},  # 15 d: not yet
        {"id": 3, "is_gate": 1, "baseline_date": "2026-11-20"},  # overdue, no forecast: flagged
        {"id": 4, "is_gate": 1, "forecast_date": "2026-11-30"},  # a pending review is booked
        {"id": 5, "is_gate": 1, "forecast_date": "2026-11-30", "actual_date": "2026-11-24"},  # passed
        {"id": 6, "is_gate": 0, "forecast_date": "2026-11-30"},  # not a gate
    ]
    reviews = [{"id": 1, "milestone_id": 4, "outcome": "pending"}]
    assert gates_due_without_review(milestones, reviews, T) == [
        (3, pendulum.Date(2026, 11, 20).toordinal(), -5),
        (1, pendulum.Date(2026, 12, 9).toordinal(), 14),
    ]


def test_the_standup_names_a_gate_due_without_a_review() -> None:
    from pgmtui.domain.attention import GATES_UNREVIEWED
    from pgmtui.domain.standup import standup_diff

    snap_tables = {
        "project": [_project(1, "AAA")],
        "milestone": [
            {"id": 2, "project_id": 1, "name": "Gate 2", "forecast_date": "2026-12-01", "is_gate": 1}
        ],
        "gate_review": [],
    }
    su = standup_diff(
        today=TODAY,
        since="2026-11-24T00:00:00.000000Z",
        window="since Tue 24 Nov",
        programme={"id": 1, "name": "P"},
        tables=snap_tables,
        benefit_links={},
        audit_rows=[],
    )
    section = next(s for s in su.attention if s.title == GATES_UNREVIEWED)
    assert [(line.text, line.kind, line.record_id, line.tone) for line in section.lines] == [
        ("AAA:Gate 2 is due in 6 d (2026-12-01) and has no gate review booked", "milestone", 2, "bad")
    ]


# ---------------------------------------------------------------------------- exceptions


def _worked(**project: Any) -> Snapshot:
    """The business-case worked example (see test_business_case.py), at 10 % over 3 years."""
    p = {"id": 1, "code": "NEW", "name": "New", "start_date": "2027-01-01", "baseline_end": "2027-12-31",
         "forecast_end": "2027-12-31", "budget": 1_000_000, "actual_cost": 0, "percent_complete": 0, **project}  # fmt: skip
    return Snapshot.from_rows(
        {"id": 1, "name": "P", "tolerance_cost_pct": 10, "tolerance_schedule_days": 10},
        {
            "project": [p],
            "benefit": [{"id": 1, "name": "Savings", "target_date": "2028-01-01", "annual_value": 600_000}],
            "business_case": [{"id": 1, "project_id": 1, "discount_rate_pct": 10, "horizon_years": 3}],
        },
        {1: [1]},
    )


def _assess(snap: Snapshot, contingency: float = 0.0):
    pr = rollup(snap, TODAY).projects[0]
    return assess_exception(pr, snap.projects[0], snap.tolerances, CaseBook(snap, T), contingency=contingency)


def test_an_overspend_beyond_tolerance_that_kills_the_case() -> None:
    # 50 % for 600 000: CPI 0.8333, EAC 1 200 000: 20 % over, 100 000 beyond the 1 100 000 limit.
    # NPV at the forecast 41 322.31 − 200 000 = −158 677.69.
    found = _assess(_worked(actual_cost=600_000, percent_complete=50), contingency=30_000)
    assert [b.dimension for b in found.breaches] == ["cost", "benefits"]
    cost = found.breaches[0]
    assert (cost.forecast, cost.tolerance, cost.beyond) == (
        pytest.approx(1_200_000),
        pytest.approx(1_100_000),
        pytest.approx(100_000),
    )
    options = {o.key: o for o in found.options}
    assert round(options["A"].npv, 2) == -158_677.69
    # B: back to 1 100 000 needs (BAC − EV) / (limit − AC) = 500 000 / 500 000 = CPI 1.00 → feasible;
    # it is worth the case at EAC 1.1m: −58 677.69.
    assert "CPI of 1.00 (now 0.83)" in options["B"].text and options["B"].feasible
    assert round(options["B"].npv, 2) == -58_677.69
    # C: a contingency of 30 000 covers 30 000 of the 100 000 beyond tolerance: not enough alone.
    assert not options["C"].feasible and "covers 30 000 of the 100 000" in options["C"].text
    # D: stop now — 600 000 spent, evenly over 2027, no benefits → −600 000.
    assert options["D"].npv == pytest.approx(-600_000)
    # Not viable even recovered; finishing (−158 678) still loses less than stopping (−600 000): B.
    assert found.recommendation == "B"
    assert "refer to the programme board" in found.recommendation_text
    assert round(found.case_at_budget.npv, 2) == 41_322.31


def test_a_late_project_whose_case_still_pays_is_re_baselined() -> None:
    # Forecast 30 d after the baseline end (tolerance 10 d); nothing spent, so the case is unchanged.
    found = _assess(_worked(forecast_end="2028-01-30"))
    assert [b.dimension for b in found.breaches] == ["time"]
    assert found.breaches[0].beyond == 20
    assert found.recommendation == "A"
    assert "still pays for itself" in found.recommendation_text


def test_stopping_is_recommended_when_finishing_loses_more() -> None:
    # 10 % complete for 500 000: CPI 0.2 → EAC 5 000 000; the case cannot recover (AC is already 45 %
    # of the 1 100 000 limit, needing CPI 900 000 / 600 000 = 1.5 > 1.2) and finishing loses more
    # than the 500 000 already spent.
    found = _assess(_worked(actual_cost=500_000, percent_complete=10))
    options = {o.key: o for o in found.options}
    assert not options["B"].feasible and "CPI of 1.50" in options["B"].text
    assert found.recommendation == "D"


def test_a_project_within_every_tolerance_is_not_in_exception() -> None:
    found = _assess(_worked())
    assert not found.in_exception
    assert found.within[0] == "time: slip 0 d within the 10 d tolerance"
