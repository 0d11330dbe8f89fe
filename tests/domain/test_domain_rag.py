from __future__ import annotations

import pendulum
import pytest

from pgmtui.domain.deps import DepSlack
from pgmtui.domain.evm import Evm, evm
from pgmtui.domain.models import Programme, Project, Risk, Tolerances
from pgmtui.domain.rag import (
    RagResult,
    cost_evidence,
    dependency_evidence,
    normalise,
    programme_rag,
    project_rag,
    rag_glyph,
    rag_text,
    risk_evidence,
    schedule_evidence,
    worst,
)
from pgmtui.domain.risk import RiskBands

D = pendulum.Date
BASE = D(2027, 3, 15).toordinal()


@pytest.mark.parametrize(
    ("slip", "rag", "text"),
    [
        (-3, "G", "forecast 3 d before baseline"),
        (0, "G", "forecast on baseline"),
        (1, "A", "forecast 1 d after baseline (tolerance 10 d)"),
        (10, "A", "forecast 10 d after baseline (tolerance 10 d)"),
        (11, "R", "forecast 11 d after baseline (tolerance 10 d)"),
    ],
)
def test_schedule_boundaries(slip, rag, text):
    e = schedule_evidence(BASE, BASE + slip, 10)
    assert (e.dimension, e.rag, e.text) == ("schedule", rag, text)


def test_schedule_not_assessed_without_dates():
    assert schedule_evidence(None, BASE, 10).rag is None
    assert "no forecast end" in schedule_evidence(BASE, None, 10).text


@pytest.mark.parametrize(
    ("eac", "rag"),
    [(90_000, "G"), (100_000, "G"), (100_001, "A"), (110_000, "A"), (110_001, "R")],
)
def test_cost_boundaries_on_eac(eac, rag):
    e = cost_evidence(Evm(bac=100_000, ac=1, eac=eac), 10.0)
    assert e.rag == rag


@pytest.mark.parametrize(
    ("tolerance", "eac", "rag"),
    [
        # 15 %: BAC × 1.15 is 114 999.99999999999 in floats, so an EAC of exactly 115 000 (on the
        # tolerance, hence within it) is only Amber thanks to the float margin.
        (15.0, 115_000, "A"),
        (15.0, 115_001, "R"),
        # 0.1 %: BAC × 1.001 is 100 099.99999999999; 100 100 is on the tolerance.
        (0.1, 100_100, "A"),
        (0.1, 100_101, "R"),
        # 25 %: a wider tolerance keeps 120 000 Amber (it would be Red at 10 %).
        (25.0, 120_000, "A"),
        (25.0, 125_000, "A"),
        (25.0, 125_001, "R"),
        # 5 %: a narrower one turns 106 000 Red (it would be Amber at 10 %).
        (5.0, 105_000, "A"),
        (5.0, 106_000, "R"),
        # No tolerance: anything over BAC is Red; BAC itself is still Green.
        (0.0, 100_000, "G"),
        (0.0, 100_001, "R"),
    ],
)
def test_cost_boundaries_at_other_tolerances(tolerance, eac, rag):
    assert cost_evidence(Evm(bac=100_000, ac=1, eac=eac), tolerance).rag == rag
    # Without an EAC the actual cost is judged against the same limits.
    assert cost_evidence(Evm(bac=100_000, ac=eac, eac=None), tolerance).rag == rag


def test_cost_evidence_text():
    e = cost_evidence(Evm(bac=100_000, ac=50_000, eac=125_000), 10.0)
    assert e.text == "EAC 125 000 is 25.0 % over BAC 100 000 (tolerance 10 %)"
    assert (
        cost_evidence(Evm(bac=100_000, ac=50_000, eac=90_000), 10.0).text == "EAC 90 000 within BAC 100 000"
    )


def test_cost_without_eac_judges_actual_cost_and_says_so():
    # Spent 105 000 of 100 000 with nothing earned: CPI 0, no EAC → AC 5 % over → A.
    e = cost_evidence(evm(100_000.0, 105_000.0, 0.0, None, None, 0), 10.0)
    assert e.rag == "A"
    assert e.text.startswith("no EAC (nothing earned yet); actual cost 105 000 is 5.0 % over BAC 100 000")
    over = cost_evidence(evm(100_000.0, 120_000.0, 0.0, None, None, 0), 10.0)
    assert over.rag == "R"
    # Nothing spent yet: CPI undefined, so EAC = BAC (issue 14) and cost is within budget.
    fresh = cost_evidence(evm(100_000.0, 0.0, 0.0, None, None, 0), 10.0)
    assert fresh.rag == "G" and fresh.text == "EAC 100 000 within BAC 100 000"


def test_cost_not_assessed_without_budget():
    assert cost_evidence(Evm(bac=0.0, ac=10.0), 10.0).rag is None
    assert cost_evidence(Evm(), 10.0).rag is None


@pytest.mark.parametrize(("p", "i", "rag"), [(3, 3, "G"), (2, 5, "A"), (2, 7, "A"), (3, 5, "R"), (5, 5, "R")])
def test_risk_boundaries(p, i, rag):
    # Residual 9 G, 10 A, 14 A, 15 R, 25 R (2×7 stands in for 14: the rule is on the score).
    r = Risk(id=1, title="x", probability=5, impact=5, residual_probability=p, residual_impact=i)
    assert risk_evidence([r]).rag == rag


def test_risk_ignores_closed_and_names_the_worst():
    risks = [
        Risk(id=1, title="closed one", probability=5, impact=5, status="closed"),
        Risk(id=2, title="skills", probability=3, impact=4),
        Risk(id=3, title="vendor", probability=4, impact=4),
    ]
    e = risk_evidence(risks)
    assert e.rag == "R" and e.text == "1 open Critical, 1 open High risk(s); worst 'vendor' residual 16"
    assert risk_evidence([]).text == "no open risk with residual score ≥ 10"


def _dep(slack, status=None, sup=11, con=20):
    return DepSlack(1, sup, con, "FS", 0, slack, status or ("late" if slack < 0 else "on track"))


@pytest.mark.parametrize(("slack", "rag"), [(3, "G"), (0, "G"), (-1, "A"), (-10, "A"), (-11, "R")])
def test_dependency_boundaries(slack, rag):
    assert dependency_evidence([_dep(slack)], 10).rag == rag


def test_dependency_evidence_text_and_done():
    e = dependency_evidence([_dep(-5), _dep(-2)], 10, {11: "IAM 'SSO live'", 20: "CLD 'Landing zone'"})
    assert e.text == "IAM 'SSO live' → CLD 'Landing zone' is 5 d late (tolerance 10 d) (+1 more late)"
    # A delivered supplier is done, however the dates look.
    assert dependency_evidence([_dep(-30, "done")], 10).rag == "G"


def test_project_rag_is_worst_dimension_and_override_wins():
    p = Project(id=1, code="CRM", baseline_end=D(2027, 6, 30), forecast_end=D(2027, 7, 15), budget=0.0,
                rag_override="a", rag_reason="recovery plan agreed")  # fmt: skip
    res = project_rag(p, Evm(bac=0.0), [], [], Tolerances())
    assert res.computed == "R"  # 15 d late, beyond 10
    assert res.override == "A" and res.final == "A" and res.label == "A*"
    assert res.reason == "recovery plan agreed"
    assert [e.dimension for e in res.evidence] == ["schedule", "cost", "risk", "dependencies"]
    assert res.evidence[0].text == "forecast 15 d after baseline (tolerance 10 d)"
    plain = project_rag(Project(id=2, baseline_end=D(2027, 1, 1), forecast_end=D(2027, 1, 1)), Evm(bac=0.0))
    assert plain.computed == "G" and plain.label == "G" and not plain.overridden


def test_project_rag_uses_programme_tolerances():
    p = Project(id=1, baseline_end=D(2027, 1, 1), forecast_end=D(2027, 1, 5))  # 4 d late
    assert project_rag(p, Evm(), tolerances=Tolerances(schedule_days=3)).computed == "R"
    assert project_rag(p, Evm(), tolerances=Tolerances(schedule_days=4)).computed == "A"


def test_programme_rag():
    r, a, g = RagResult("R"), RagResult("G", override="A", reason="x"), RagResult("G")
    res = programme_rag(None, [("IAM", r), ("CRM", a), ("CLD", g)])
    assert res.computed == "R" and res.label == "R"
    assert [(e.rag, e.text) for e in res.evidence] == [
        ("R", "1 project Red: IAM"),
        ("A", "1 project Amber: CRM"),
    ]
    # Project overrides count as shown (A), the programme override wins over all.
    assert programme_rag(None, [("CRM", a), ("CLD", g)]).computed == "A"
    prog = Programme(id=1, rag_override="G", rag_reason="board accepts")
    over = programme_rag(prog, [("IAM", r)])
    assert (
        over.computed == "R" and over.final == "G" and over.label == "G*" and over.reason == "board accepts"
    )
    empty = programme_rag(None, [])
    assert empty.computed is None and empty.label == "–"
    assert programme_rag(None, [("A", g), ("B", g)]).evidence[0].text == "all 2 projects Green"


def test_rag_helpers():
    assert worst(["G", None, "A"]) == "A" and worst(["G", "R", "A"]) == "R" and worst([None]) is None
    assert (
        normalise("red") == "R"
        and normalise(" amber ") == "A"
        and normalise("") is None
        and normalise("x") is None
    )
    assert {rag_glyph(x) for x in "RAG"} == {"●", "▲", "■"}
    assert rag_text("A") == "▲ A" and rag_text(None) == "? –"


def test_risk_evidence_with_other_bands_and_ties():
    bands = RiskBands(low_max=2, medium_max=4, high_max=8)  # High 5–8, Critical 9+
    risks = [
        Risk(id=1, title="first nine", probability=3, impact=3),
        Risk(id=2, title="second nine", probability=3, impact=3),  # a tie: the first one is named
        Risk(id=3, title="six", probability=2, impact=3),
        Risk(id=4, title="four", probability=2, impact=2),  # Medium: not counted
        Risk(id=5, title="unscored"),
    ]
    e = risk_evidence(risks, bands)
    assert (e.rag, e.text) == ("R", "2 open Critical, 1 open High risk(s); worst 'first nine' residual 9")
    high_only = risk_evidence(risks[2:], bands)
    assert (high_only.rag, high_only.text) == ("A", "1 open High risk(s); worst 'six' residual 6")
    assert risk_evidence(risks[3:], bands).text == "no open risk with residual score ≥ 5"


def test_project_rag_passes_bands_names_and_cost_tolerance_through():
    p = Project(id=1, baseline_end=D(2027, 1, 1), forecast_end=D(2027, 1, 1))
    risky = [Risk(id=1, title="eight", probability=2, impact=4)]
    assert project_rag(p, Evm(), risky).computed == "G"  # 8 is Medium by default
    assert project_rag(p, Evm(), risky, bands=RiskBands(low_max=2, medium_max=5, high_max=7)).computed == "R"
    spent = Evm(bac=100_000, ac=1, eac=108_000)  # 8 % over
    assert project_rag(p, spent).computed == "A"
    assert project_rag(p, spent, tolerances=Tolerances(cost_pct=5)).computed == "R"
    late = project_rag(p, Evm(), incoming=[_dep(-2)], names={11: "S", 20: "C"})
    assert late.evidence[3].text == "S → C is 2 d late (tolerance 10 d)"


def test_risk_counts_skip_closed_and_unscored_wherever_they_are():
    risks = [
        Risk(id=1, title="closed", probability=5, impact=5, status="closed"),
        Risk(id=2, title="unscored"),
        Risk(id=3, title="high a", probability=3, impact=4),
        Risk(id=4, title="high b", probability=2, impact=5),
    ]
    assert risk_evidence(risks).text == "2 open High risk(s); worst 'high a' residual 12"


def test_a_project_without_dates_is_not_assessed_on_schedule():
    res = project_rag(Project(id=1), Evm())
    assert (res.evidence[0].rag, res.computed) == (None, "G")
