"""Finance rules by hand (issue 14): PV from a monthly plan (mid-month and last-day shares), AC from
actuals, every EVM formula, the undefined cases, burn rate, run-out, the bottom-up EAC, the cost RAG
turning amber on an early run-out, the S-curve months and what approving a change request does."""

from __future__ import annotations

import pendulum
import pytest

from pgmtui.domain import costplan
from pgmtui.domain.evm import Evm, evm, figures, fmt, plan_evm, project_evm, total
from pgmtui.domain.finance import (
    approval_effect,
    earned_by_month,
    impact_text,
    month_lines,
    programme_finance,
)
from pgmtui.domain.models import Project, Snapshot
from pgmtui.domain.rag import cost_evidence
from pgmtui.domain.rollup import rollup

D = pendulum.Date


def day(y: int, m: int, d: int) -> int:
    return D(y, m, d).toordinal()


def rows(*months: tuple) -> list[dict]:
    """(month, planned, actual, forecast[, category]) → cost rows."""
    out = []
    for m in months:
        month, planned, actual, forecast, *category = m
        out.append(
            {"month": month, "planned": planned, "actual": actual, "forecast": forecast,
             "category": category[0] if category else "opex"}
        )  # fmt: skip
    return out


# ---------------------------------------------------------------------------- months and PV


def test_month_arithmetic() -> None:
    assert costplan.month_index("2027-01") - costplan.month_index("2026-12") == 1
    assert costplan.month_text(costplan.month_index("2026-12") + 3) == "2027-03"
    assert costplan.month_of_ordinal(day(2027, 2, 28)) == costplan.month_index("2027-02")


def test_categories_of_a_month_add_up_and_missing_values_stay_missing() -> None:
    months = costplan.monthly(
        rows(("2027-02", 200, 150, None, "capex"), ("2027-01", 100, None, None), ("2027-02", 80, None, 90))
    )
    # Oldest first; February = capex 200 + opex 80 planned; actual only capex 150; forecast only opex 90;
    # the estimate takes the forecast where there is one (opex 90) and the plan elsewhere (capex 200).
    assert [m.month for m in months] == ["2027-01", "2027-02"]
    jan, feb = months
    assert (jan.planned, jan.actual, jan.forecast, jan.estimate) == (100, None, None, 100)
    assert (feb.planned, feb.actual, feb.forecast, feb.estimate) == (280, 150, 90, 290)


PLAN = costplan.monthly(
    rows(("2027-01", 100, None, None), ("2027-02", 280, None, None), ("2027-03", 310, None, None))
)


@pytest.mark.parametrize(
    ("today", "pv"),
    [
        (day(2026, 12, 31), 0.0),  # before the plan: nothing planned yet
        (day(2027, 1, 31), 100.0),  # last day of January: all of it
        (day(2027, 2, 14), 100 + 280 * 14 / 28),  # 14th of a 28-day month: half of February = 240
        (day(2027, 2, 28), 380.0),  # last day of February: all of it
        (day(2027, 3, 1), 380 + 310 / 31),  # 1st of a 31-day month: 1/31 of March = 390
        (day(2027, 4, 1), 690.0),  # after the plan: all of it
    ],
)
def test_planned_value_counts_the_current_month_by_the_share_elapsed(today: int, pv: float) -> None:
    assert costplan.planned_to_date(PLAN, today) == pytest.approx(pv)


def test_leap_february_has_29_days() -> None:
    leap = costplan.monthly(rows(("2028-02", 290, None, None)))
    assert costplan.planned_to_date(leap, day(2028, 2, 10)) == pytest.approx(100.0)  # 290 × 10/29


# ---------------------------------------------------------------------------- every formula


# BAC 1 000 planned over four months; actuals reported for September and October.
WORKED = rows(
    ("2026-09", 100, 90, None),
    ("2026-10", 200, 210, None),
    ("2026-11", 300, None, None),
    ("2026-12", 400, None, None),
)
TODAY = day(2026, 11, 25)  # 25 of November's 30 days elapsed


def test_worked_example_from_a_plan() -> None:
    e = plan_evm(1000.0, costplan.monthly(WORKED), 40.0, TODAY)
    # PV = 100 + 200 + 300 × 25/30 = 550; AC = 90 + 210 = 300; EV = 1 000 × 40 % = 400.
    assert e.basis == "plan"
    assert e.pv == pytest.approx(550.0) and e.ac == 300.0 and e.ev == 400.0
    assert e.planned_fraction == pytest.approx(0.55)  # 550 of the 1 000 planned
    # CV = 400 − 300 = 100; SV = 400 − 550 = −150; CPI = 400/300; SPI = 400/550.
    assert e.cv == pytest.approx(100.0) and e.sv == pytest.approx(-150.0)
    assert e.cpi == pytest.approx(4 / 3) and e.spi == pytest.approx(400 / 550)
    # EAC = BAC / CPI = 1 000 × 3/4 = 750; ETC = 750 − 300 = 450; VAC = 1 000 − 750 = 250.
    assert e.eac == pytest.approx(750.0) and e.etc == pytest.approx(450.0) and e.vac == pytest.approx(250.0)
    # TCPI = (BAC − EV) / (BAC − AC) = 600 / 700.
    assert e.tcpi == pytest.approx(600 / 700)
    # Burn rate: only two months have actuals: (90 + 210) / 2 = 150 a month.
    # Run-out: 700 left at 150 a month = 4.67 → 5 months after October = March 2027.
    assert e.burn_rate == pytest.approx(150.0) and e.run_out == "2027-03"
    assert e.eac_bottom_up is None  # no forecasts: it would only repeat the plan


def test_project_evm_uses_the_plan_when_the_project_has_cost_rows() -> None:
    # Without cost rows PV is linear: 2026-09-01 → 2027-01-19 is 140 days, today is day 85
    # (30 + 31 + 24), so PV = 1 000 × 85/140, and AC is the project's actual cost. With cost rows
    # the plan decides PV and AC is the sum of the actuals.
    p = Project(id=1, start_date=D(2026, 9, 1), baseline_end=D(2027, 1, 19), budget=1000.0,
                actual_cost=999.0, percent_complete=40.0)  # fmt: skip
    linear = project_evm(p, TODAY)
    assert linear.basis == "linear" and linear.ac == 999.0
    assert linear.pv == pytest.approx(1000 * 85 / 140)
    planned = project_evm(p, TODAY, WORKED)
    assert planned == plan_evm(1000.0, costplan.monthly(WORKED), 40.0, TODAY)
    assert project_evm(p, TODAY, []) == linear  # no rows: no plan


def test_bottom_up_eac_is_actuals_plus_the_months_to_come() -> None:
    # A forecast for December (500 instead of 400): remaining = November's plan 300 (no forecast)
    # + December's forecast 500 = 800 after the last reported month (October); + AC 300 = 1 100.
    with_forecast = rows(*[(m["month"], m["planned"], m["actual"], m["forecast"]) for m in WORKED[:3]],
                         ("2026-12", 400, None, 500))  # fmt: skip
    months = costplan.monthly(with_forecast)
    assert costplan.bottom_up_eac(months) == pytest.approx(1100.0)
    # Before any actual the whole plan is still to come: 100 + 200 + 300 + 500.
    fresh = costplan.monthly(rows(("2026-09", 100, None, None), ("2026-12", 400, None, 500)))
    assert costplan.bottom_up_eac(fresh) == pytest.approx(600.0)


def test_burn_rate_is_the_mean_of_the_last_three_months_with_actuals() -> None:
    # Actuals 10, (none), 20, 30, 40: the last three with actuals are 20, 30, 40 → 30 a month.
    months = costplan.monthly(
        rows(("2027-01", 0, 10, None), ("2027-02", 0, None, None), ("2027-03", 0, 20, None),
             ("2027-04", 0, 30, None), ("2027-05", 0, 40, None))
    )  # fmt: skip
    assert costplan.burn_rate(months) == pytest.approx(30.0)
    assert costplan.burn_rate(costplan.monthly(rows(("2027-01", 5, None, None)))) is None


def test_run_out_in_the_month_the_actuals_reached_bac() -> None:
    months = costplan.monthly(rows(("2027-01", 50, 60, None), ("2027-02", 50, 50, None)))
    # 60 then 110 ≥ BAC 100: the money ran out in February.
    assert costplan.run_out(months, 100.0, costplan.burn_rate(months)) == "2027-02"
    # Exactly reaching BAC counts: 40 + 60 = 100.
    exact = costplan.monthly(rows(("2027-01", 50, 40, None), ("2027-02", 50, 60, None)))
    assert costplan.run_out(exact, 100.0, 50.0) == "2027-02"
    # 900 left at 100 a month: 9 whole months after March → December.
    whole = costplan.monthly(rows(("2027-03", 0, 300, None)))
    assert costplan.run_out(whole, 1200.0, 100.0) == "2027-12"


@pytest.mark.parametrize(
    ("bac", "ac", "pct", "expected"),
    [
        # Nothing spent: CPI undefined → EAC = BAC, ETC = BAC, VAC 0.
        (1000.0, 0.0, 40.0, {"cpi": None, "eac": 1000.0, "etc": 1000.0, "vac": 0.0, "tcpi": 0.6}),
        # Spent, nothing earned: CPI 0 → EAC = BAC / 0 undefined, so ETC and VAC too.
        (1000.0, 300.0, 0.0, {"cpi": 0.0, "eac": None, "etc": None, "vac": None, "tcpi": 1000 / 700}),
        # Budget all spent: BAC − AC = 0 → TCPI undefined (no efficiency finishes within it).
        (1000.0, 1000.0, 80.0, {"cpi": 0.8, "eac": 1250.0, "tcpi": None}),
        # Overspent: BAC − AC < 0 → TCPI undefined, not a negative ratio.
        (1000.0, 1200.0, 90.0, {"cpi": 0.75, "tcpi": None}),
        # No budget: nothing can be earned or estimated.
        (None, 300.0, 40.0, {"ev": None, "cpi": None, "eac": None, "vac": None, "tcpi": None}),
        # Progress unknown: EV, CPI, EAC undefined (spent, but against what?).
        (1000.0, 300.0, None, {"ev": None, "cpi": None, "eac": None, "etc": None}),
        # Actual cost unknown: CPI and EAC undefined, not "within budget".
        (1000.0, None, 40.0, {"cpi": None, "eac": None, "cv": None, "tcpi": None}),
    ],
)
def test_undefined_cases_are_none(bac, ac, pct, expected) -> None:
    e = figures(bac, 500.0, ac, pct)
    for name, value in expected.items():
        got = getattr(e, name)
        assert got == (pytest.approx(value) if value is not None else None), name
        if value is None:
            assert fmt(got) == "–", name  # an undefined figure is shown as a dash


def test_no_actuals_means_no_burn_rate_and_no_run_out() -> None:
    e = plan_evm(1000.0, costplan.monthly(rows(("2026-11", 500, None, None))), 10.0, TODAY)
    # PV 500 × 25/30; AC 0 (no actuals): CPI undefined, EAC = BAC; no burn rate, no run-out.
    assert e.pv == pytest.approx(500 * 25 / 30) and e.ac == 0.0 and e.eac == 1000.0
    assert e.burn_rate is None and e.run_out is None


def test_programme_totals_add_burn_rates_and_bottom_up_estimates() -> None:
    a = Evm(bac=1000.0, ac=300.0, ev=400.0, eac=750.0, eac_bottom_up=1100.0, burn_rate=150.0)
    b = Evm(bac=500.0, ac=100.0, ev=50.0, eac=1000.0, burn_rate=50.0)  # no forecasts: its EAC counts
    t = total([a, b])
    # Burn 150 + 50 = 200; bottom-up 1 100 + 1 000 = 2 100; EAC 1 750; ETC 1 750 − 400 = 1 350.
    assert t.burn_rate == 200.0 and t.eac_bottom_up == 2100.0 and t.eac == 1750.0 and t.etc == 1350.0
    # TCPI = (1 500 − 450) / (1 500 − 400) = 1 050 / 1 100.
    assert t.tcpi == pytest.approx(1050 / 1100)
    assert total([Evm(bac=10.0, ac=0.0, ev=0.0, eac=10.0)]).eac_bottom_up is None


# ---------------------------------------------------------------------------- the cost RAG


def _run_out_evm(pct: float = 40.0) -> Evm:
    return plan_evm(1000.0, costplan.monthly(WORKED), pct, TODAY)  # burn 150, run-out 2027-03


def test_cost_turns_amber_when_the_money_runs_out_before_the_baseline_end() -> None:
    e = _run_out_evm()
    assert e.eac == pytest.approx(750.0)  # EAC alone says Green
    late = cost_evidence(e, 10.0, day(2027, 6, 30))
    assert late.rag == "A"
    assert late.text == (
        "at 150/month (last 3 months) the budget runs out in 2027-03, before the baseline end (2027-06); "
        "EAC 750 within BAC 1 000"
    )
    # Running out in the baseline end's own month is on plan: Green.
    assert cost_evidence(e, 10.0, day(2027, 3, 15)).rag == "G"
    # Work finished (EV = BAC): spending the budget is what was meant.
    assert cost_evidence(_run_out_evm(100.0), 10.0, day(2027, 6, 30)).rag == "G"
    # No baseline end, or no plan: the EAC rule alone.
    assert cost_evidence(e, 10.0, None).rag == "G"
    assert cost_evidence(evm(1000.0, 300.0, 40.0, None, None, TODAY), 10.0, day(2027, 6, 30)).rag == "G"


def test_an_early_run_out_never_softens_a_red_eac() -> None:
    e = plan_evm(1000.0, costplan.monthly(WORKED), 20.0, TODAY)  # EV 200, CPI 2/3, EAC 1 500: R
    red = cost_evidence(e, 10.0, day(2027, 6, 30))
    assert red.rag == "R" and red.text.startswith("at 150/month") and "50.0 % over BAC" in red.text


def test_rollup_measures_a_project_by_its_cost_rows() -> None:
    snapshot = Snapshot.from_rows(
        {"id": 1, "name": "P"},
        {
            "project": [
                {"id": 1, "code": "IAM", "name": "Identity", "start_date": "2026-09-01",
                 "baseline_end": "2027-06-30", "forecast_end": "2027-06-30", "budget": 1000.0,
                 "actual_cost": 300.0, "percent_complete": 40.0}
            ],
            "cost": [{**r, "id": i, "project_id": 1} for i, r in enumerate(WORKED, start=1)],
        },
    )  # fmt: skip
    r = rollup(snapshot, D(2026, 11, 25))
    iam = r.projects[0]
    assert iam.evm.pv == pytest.approx(550.0) and iam.evm.run_out == "2027-03"
    cost = next(e for e in iam.rag.evidence if e.dimension == "cost")
    assert cost.rag == "A" and iam.rag.computed == "A"  # one cost dimension, amber by run-out
    assert [e.dimension for e in iam.rag.evidence].count("cost") == 1


# ---------------------------------------------------------------------------- the S-curve


def test_month_lines_accumulate_and_stop_the_actual_line_at_the_last_report() -> None:
    lines = month_lines(costplan.monthly(WORKED))
    assert [(m.month, m.cum_planned, m.cum_actual) for m in lines] == [
        ("2026-09", 100, 90),
        ("2026-10", 300, 300),
        ("2026-11", 600, None),  # no actual reported for November yet
        ("2026-12", 1000, None),
    ]
    assert lines[0].to_json() == {
        "month": "2026-09", "planned": 100, "actual": 90, "forecast": None, "cum_planned": 100, "cum_actual": 90
    }  # fmt: skip


def test_earned_value_by_month_from_the_audit_trail() -> None:
    project = {"id": 1, "budget": 1200.0, "percent_complete": 40.0}
    audit = [
        {"id": 1, "ts": "2026-09-10T08:00:00Z", "action": "insert",
         "changes": {"budget": [None, 1000.0], "percent_complete": [None, 10.0]}},
        {"id": 2, "ts": "2026-10-20T08:00:00Z", "action": "update", "changes": {"percent_complete": [10.0, 25.0]}},
        {"id": 3, "ts": "2026-11-03T08:00:00Z", "action": "update", "changes": {"budget": [1000.0, 1200.0]}},
        {"id": 4, "ts": "2026-11-20T08:00:00Z", "action": "update", "changes": {"percent_complete": [25.0, 40.0]}},
    ]  # fmt: skip
    got = earned_by_month(
        project, audit, ["2026-08", "2026-09", "2026-10", "2026-11", "2026-12"], D(2026, 11, 25)
    )
    # August: not recorded yet. End of September: 1 000 × 10 %; end of October: 1 000 × 25 %;
    # November (today): 1 200 × 40 %; December: the future.
    assert got == [("2026-08", None), ("2026-09", 100.0), ("2026-10", 250.0), ("2026-11", 480.0),
                   ("2026-12", None)]  # fmt: skip


def test_programme_finance_months_reserve_and_run_out() -> None:
    snapshot = Snapshot.from_rows(
        {"id": 1, "name": "P", "currency": "EUR"},
        {
            "project": [
                {"id": 1, "code": "IAM", "name": "Identity", "budget": 1000.0, "percent_complete": 40.0,
                 "baseline_end": "2027-06-30", "contingency": 50.0},
                {"id": 2, "code": "CLD", "name": "Cloud", "budget": 500.0, "actual_cost": 100.0,
                 "percent_complete": 10.0, "contingency": 25.0},
            ],
            "cost": [{**r, "id": i, "project_id": 1} for i, r in enumerate(WORKED, start=1)],
            "change_request": [
                {"id": 1, "project_id": 1, "status": "raised", "cost_impact": 30.0},
                {"id": 2, "project_id": 1, "status": "approved", "cost_impact": 99.0},
            ],
        },
    )  # fmt: skip
    r = rollup(snapshot, D(2026, 11, 25))
    f = programme_finance(snapshot, {p.project_id: p.evm for p in r.projects}, r.evm, r.today, 200)
    assert [p.code for p in f.projects] == ["CLD", "IAM"] and f.currency == "EUR"
    iam = f.project("iam")
    assert iam is not None and iam.plan_total == 1000 and iam.unplanned == 0
    assert (iam.raised, iam.raised_cost, iam.contingency) == (1, 30.0, 50.0)
    assert f.management_reserve == 200.0 and f.contingency == 75.0
    assert [m.cum_planned for m in f.months] == [100, 300, 600, 1000]
    # Programme run-out over the projects that report by month (only IAM: CLD has no burn rate):
    # BAC 1 000, AC 300, burn 150 → 700 left → 4.67 → 5 months after October 2026 = March 2027.
    assert f.total.burn_rate == 150.0 and f.total.run_out == "2027-03"
    data = f.to_json(["IAM"])
    assert [p["code"] for p in data["projects"]] == ["IAM"] and data["total"]["run_out"] == "2027-03"
    assert list(data["projects"][0]) == [
        "code", "bac", "pv", "ev", "ac", "cv", "sv", "cpi", "spi", "eac", "etc", "vac", "tcpi",
        "eac_bottom_up", "burn_rate", "run_out", "months",
    ]  # fmt: skip


# ---------------------------------------------------------------------------- change requests


PROJECT = {"id": 1, "code": "IAM", "budget": 1000.0, "contingency": 100.0, "start_date": "2026-01-01",
           "baseline_end": "2027-06-30"}  # fmt: skip


def test_approving_moves_the_baseline_and_draws_on_contingency() -> None:
    cr = {"id": 7, "cost_impact": 80.0, "schedule_impact_days": 14, "funding": "contingency"}
    a = approval_effect(cr, PROJECT, {"management_reserve": 500.0})
    # Budget 1 000 + 80; baseline end 30 June + 14 days = 14 July; contingency 100 − 80 = 20.
    assert a.problems == []
    assert a.project_changes == {"budget": 1080.0, "baseline_end": "2027-07-14", "contingency": 20.0}
    assert a.reserve_change is None
    assert a.lines() == [
        "IAM budget (BAC) 1 000 → 1 080",
        "IAM baseline end 2027-06-30 → 2027-07-14",
        "IAM contingency 100 → 20",
    ]
    assert impact_text(cr) == "+80, +14 d, from contingency"


def test_a_drawdown_may_not_overdraw_its_pot() -> None:
    over = approval_effect({"cost_impact": 120.0, "funding": "contingency"}, PROJECT, None)
    assert over.problems == [
        "IAM's contingency is 100; this request draws 120, 20 more than is left "
        "(fund it as a change, or from the reserve)"
    ]
    reserve = approval_effect(
        {"cost_impact": 80.0, "funding": "reserve"}, PROJECT, {"management_reserve": 50.0}
    )
    assert reserve.problems == ["the management reserve is 50; this request draws 80, 30 more than is left"]
    none = approval_effect({"cost_impact": 80.0, "funding": "reserve"}, PROJECT, None)
    assert none.problems == ["there is no programme record holding a management reserve to draw on"]


def test_reserve_drawdown_new_funding_and_negative_impacts() -> None:
    a = approval_effect({"cost_impact": 80.0, "funding": "reserve"}, PROJECT, {"management_reserve": 500.0})
    assert a.project_changes == {"budget": 1080.0} and a.reserve_change == 420.0
    new_money = approval_effect({"cost_impact": 80.0, "funding": "change"}, PROJECT, None)
    assert new_money.project_changes == {"budget": 1080.0} and new_money.pot is None
    # A de-scope returned to contingency: budget 1 000 − 30, contingency 100 + 30, 5 days earlier.
    back = approval_effect(
        {"cost_impact": -30.0, "schedule_impact_days": -5, "funding": "contingency"}, PROJECT, None
    )
    assert back.project_changes == {"budget": 970.0, "baseline_end": "2027-06-25", "contingency": 130.0}
    assert impact_text({"cost_impact": -30.0, "schedule_impact_days": -5}) == "-30, -5 d, new funding"
    nothing = approval_effect({"cost_impact": 0, "schedule_impact_days": 0}, PROJECT, None)
    assert nothing.project_changes == {} and nothing.lines() == [
        "nothing else changes (no cost or schedule impact)"
    ]


def test_impossible_approvals_say_why() -> None:
    no_end = approval_effect({"schedule_impact_days": 10}, {**PROJECT, "baseline_end": None}, None)
    assert no_end.problems == ["IAM has no baseline end to move by +10 d; set its baseline_end first"]
    before_start = approval_effect({"schedule_impact_days": -600}, PROJECT, None)
    assert before_start.problems == [
        "IAM's baseline end would move to 2025-11-07, before its start 2026-01-01"
    ]
    below_zero = approval_effect({"cost_impact": -1500.0}, PROJECT, None)
    assert below_zero.problems == ["IAM's budget 1 000 cannot fall by 1 500 (below zero)"]
