"""The live business case: every formula against figures worked out by hand (in the comments).

The issue's worked example: start 2027-01-01, forecast end 2027-12-31, BAC 1 000 000, nothing spent;
one benefit of 600 000 a year from 2028-01-01; r = 10 %, 3 years →
  year 0 [2027-01-01, 2028-01-01): costs 1 000 000 (12 equal months), benefits 0, net −1 000 000
  year 1 [2028-01-01, 2029-01-01): benefits 600 000 (all 366 days of 2028), discounted 600 000 / 1.1
                                    = 545 454.545…
  year 2 [2029-01-01, 2030-01-01): benefits 600 000, discounted 600 000 / 1.21 = 495 867.768…
  NPV = −1 000 000 + 545 454.545 + 495 867.769 = 41 322.31
  ROI = (1 200 000 − 1 000 000) / 1 000 000 = 20 %
  payback: cumulative −1 000 000, −400 000, +200 000 → 2 + 400 000 / 600 000 = 2.67 years.
Then 50 % complete for 550 000 spent: EV 500 000, CPI 500 000 / 550 000 = 0.909, EAC 1 100 000 →
  NPV 41 322.31 − 100 000 = −58 677.69, viability R.
"""

from __future__ import annotations

from typing import Any

import pendulum
import pytest

from pgmtui.domain.benefits import benefit_status
from pgmtui.domain.business_case import (
    DIMENSION,
    CaseBook,
    Span,
    Stream,
    appraise,
    business_case_evidence,
    even_monthly_spans,
    month_span,
    place_spans,
    place_streams,
    plan_spans,
    realisation_factor,
    year_bounds,
)
from pgmtui.domain.models import Benefit, Measurement, Snapshot
from pgmtui.domain.rollup import rollup

TODAY = pendulum.Date(2026, 11, 25)
T = TODAY.toordinal()


def d(text: str) -> int:
    return pendulum.Date.fromisoformat(text).toordinal()


def snapshot(
    *,
    project: dict[str, Any] | None = None,
    benefits: list[dict[str, Any]] | None = None,
    links: dict[int, list[int]] | None = None,
    cases: list[dict[str, Any]] | None = None,
    costs: list[dict[str, Any]] | None = None,
    measurements: list[dict[str, Any]] | None = None,
    programme: dict[str, Any] | None = None,
    more_projects: list[dict[str, Any]] | None = None,
) -> Snapshot:
    """The worked example by default; any part can be replaced."""
    base_project = {
        "id": 1,
        "code": "NEW",
        "name": "New system",
        "start_date": "2027-01-01",
        "baseline_end": "2027-12-31",
        "forecast_end": "2027-12-31",
        "budget": 1_000_000,
        "actual_cost": 0,
        "percent_complete": 0,
    }
    return Snapshot.from_rows(
        programme or {"id": 1, "name": "P", "discount_rate_pct": 3.5, "start_date": "2027-01-01"},
        {
            "project": [{**base_project, **(project or {})}, *(more_projects or [])],
            "benefit": benefits
            if benefits is not None
            else [
                {
                    "id": 1,
                    "name": "Savings",
                    "kind": "cash-releasing",
                    "target_date": "2028-01-01",
                    "annual_value": 600_000,
                }
            ],
            "measurement": measurements or [],
            "business_case": cases
            if cases is not None
            else [{"id": 1, "project_id": 1, "discount_rate_pct": 10, "horizon_years": 3}],
            "cost": costs or [],
        },
        links if links is not None else {1: [1]},
    )


# ---------------------------------------------------------------------------- the worked example


def test_the_worked_example_to_the_cent() -> None:
    case = CaseBook(snapshot(), T).project_case(1)
    assert [round(y.costs, 2) for y in case.years] == [1_000_000.0, 0.0, 0.0]
    assert [round(y.benefits, 2) for y in case.years] == [0.0, 600_000.0, 600_000.0]
    assert [round(y.discounted, 2) for y in case.years] == [-1_000_000.0, 545_454.55, 495_867.77]
    assert round(case.npv, 2) == 41_322.31
    assert case.roi_pct == pytest.approx(20.0)
    assert round(case.payback_years, 2) == 2.67
    assert case.eac == 1_000_000  # BAC: nothing earned or spent, CPI undefined
    assert "CPI undefined" in case.eac_basis
    assert case.years[1].start == pendulum.Date(2028, 1, 1)
    assert case.years[2].to_json()["end"] == "2029-12-31"  # the last day inside year 2
    assert case.viability.rag == "G"
    # Unmeasured, but its target date is still ahead: counted at 100 % and said so, not amber.
    assert "1 benefit(s) unmeasured, counted at 100 %" in case.viability.reasons[0]


def test_the_worked_example_after_an_overspend_is_no_longer_viable() -> None:
    # 50 % complete for 550 000: CPI 0.909, EAC 1 100 000 (all of it placed in 2027).
    case = CaseBook(snapshot(project={"actual_cost": 550_000, "percent_complete": 50}), T).project_case(1)
    assert case.eac == pytest.approx(1_100_000)
    assert "0.909" in case.eac_basis
    assert round(case.years[0].costs, 2) == 1_100_000.0
    assert round(case.npv, 2) == -58_677.69
    # ROI (1 200 000 − 1 100 000) / 1 100 000 = 9.09 %; payback 2 + 500 000 / 600 000 = 2.83 y.
    assert case.roi_pct == pytest.approx(9.0909, abs=1e-4)
    assert case.payback_years == pytest.approx(2.8333, abs=1e-4)
    assert case.viability.rag == "R"
    assert "below zero" in case.viability.reasons[0]


def test_json_has_the_issues_keys() -> None:
    data = CaseBook(snapshot(), T).project_case(1).to_json()
    for key in ("npv", "roi_pct", "payback_years", "viability", "years"):
        assert key in data
    assert data["viability"] == {"rag": "G", "reasons": [data["viability"]["reasons"][0]]}
    assert set(data["years"][0]) >= {"k", "start", "costs", "benefits", "net", "discounted"}
    assert data["years"][0]["k"] == 0 and data["years"][0]["start"] == "2027-01-01"


# ---------------------------------------------------------------------------- formulas one by one


def test_appraise_npv_roi_payback_by_hand() -> None:
    bounds = year_bounds(pendulum.Date(2027, 1, 1), 4)
    # net −100, +30, +50, +60 at 0 %: cumulative −100, −70, −20, +40 → payback 3 + 20/60 = 3.33.
    years, npv, roi, payback = appraise(bounds, [100, 0, 0, 0], [0, 30, 50, 60], 0.0)
    assert npv == pytest.approx(40.0)
    assert roi == pytest.approx(40.0)  # (140 − 100) / 100
    assert payback == pytest.approx(3 + 20 / 60)
    assert [y.cumulative for y in years] == [-100, -70, -20, 40]


def test_payback_is_none_when_the_net_stays_negative_and_roi_needs_costs() -> None:
    bounds = year_bounds(pendulum.Date(2027, 1, 1), 2)
    _, npv, roi, payback = appraise(bounds, [100, 0], [0, 50], 0.0)
    assert npv == pytest.approx(-50) and roi == pytest.approx(-50) and payback is None
    _, npv, roi, payback = appraise(bounds, [0, 0], [10, 10], 0.0)
    assert (roi, payback) == (None, None)  # nothing spent: nothing to return on or pay back
    assert npv == pytest.approx(20)


def test_payback_is_zero_when_year_zero_already_pays() -> None:
    _, _, _, payback = appraise(year_bounds(pendulum.Date(2027, 1, 1), 2), [10, 0], [30, 0], 0.0)
    assert payback == 0.0


def test_year_bounds_are_calendar_years_from_the_base() -> None:
    bounds = year_bounds(pendulum.Date(2027, 3, 1), 2)
    # 2027-03-01 → 2028-03-01 holds 29 Feb 2028: 366 days; then 365.
    assert [b - a for a, b in bounds] == [366, 365]


def test_a_base_of_29_february_moves_to_the_28th_in_other_years() -> None:
    bounds = year_bounds(pendulum.Date(2028, 2, 29), 5)
    # 2028-02-29 → 2029-02-28 (365 days) → 2030-02-28 → 2031-02-28 → 2032-02-29 (366: holds 29 Feb 2032)
    # → 2033-02-28 (365).
    assert [pendulum.Date.fromordinal(a).isoformat() for a, _ in bounds][:2] == ["2028-02-29", "2029-02-28"]
    assert [b - a for a, b in bounds] == [365, 365, 365, 366, 365]


def test_month_spans_cross_the_year_end() -> None:
    assert month_span("2027-12") == (d("2027-12-01"), d("2028-01-01"))
    # 15 Nov 2027 → 10 Feb 2028: four months (Nov, Dec, Jan, Feb), 100 each.
    spans = even_monthly_spans(pendulum.Date(2027, 11, 15), pendulum.Date(2028, 2, 10), 400)
    assert [(s.start, s.end, s.amount) for s in spans] == [
        (d("2027-11-15"), d("2027-12-01"), 100),
        (d("2027-12-01"), d("2028-01-01"), 100),
        (d("2028-01-01"), d("2028-02-01"), 100),
        (d("2028-02-01"), d("2028-02-11"), 100),
    ]


def test_streams_are_pro_rata_by_days_inside_a_year() -> None:
    bounds = year_bounds(pendulum.Date(2027, 1, 1), 2)
    # 365 000 a year from 2027-07-02: Jul 2–31 (30) + Aug–Dec (31+30+31+30+31) = 183 days of 365.
    assert place_streams([Stream(d("2027-07-02"), 365_000)], bounds) == pytest.approx([183_000, 365_000])
    # 2028 is a leap year: 366 000 a year from 2028-12-31 is one day of 366 → 1 000.
    leap = year_bounds(pendulum.Date(2028, 1, 1), 1)
    assert place_streams([Stream(d("2028-12-31"), 366_000)], leap) == pytest.approx([1_000])
    # A stream that started before the base counts from the base only.
    assert place_streams([Stream(d("2020-01-01"), 100)], bounds) == pytest.approx([100, 100])


def test_spans_are_shared_by_days_and_what_falls_outside_is_reported() -> None:
    bounds = year_bounds(pendulum.Date(2027, 1, 15), 1)  # [2027-01-15, 2028-01-15)
    # 310 over January 2027 (31 days, 10 a day): 14 days before the base, 17 inside.
    # 310 over January 2028: 14 days inside (1–14 Jan), 17 after the horizon.
    jan27, jan28 = Span(d("2027-01-01"), d("2027-02-01"), 310), Span(d("2028-01-01"), d("2028-02-01"), 310)
    years, before, after = place_spans([jan27, jan28], bounds)
    assert years == pytest.approx([170 + 140])
    assert before == pytest.approx(140) and after == pytest.approx(170)


def test_even_spread_gives_each_month_an_equal_share_within_the_project() -> None:
    # 16 Jan → 31 Mar 2027: three months, 300 each; January's share over its last 16 days.
    spans = even_monthly_spans(pendulum.Date(2027, 1, 16), pendulum.Date(2027, 3, 31), 900)
    assert [(s.start, s.end, s.amount) for s in spans] == [
        (d("2027-01-16"), d("2027-02-01"), 300),
        (d("2027-02-01"), d("2027-03-01"), 300),
        (d("2027-03-01"), d("2027-04-01"), 300),
    ]


def test_the_cost_plan_places_the_eac_actuals_first_then_by_forecast_else_planned() -> None:
    rows = [
        {"month": "2027-01", "planned": 250, "actual": 300},  # spent: kept as it is
        {"month": "2027-02", "planned": 100, "forecast": 200},  # weight 200 (forecast wins)
        {"month": "2027-03", "planned": 300},  # weight 300
        {"month": "2027-03", "planned": 0, "category": "capex"},  # weight 0: nothing placed
    ]
    # EAC 1 000: 300 spent, 700 left → 700 × 200/500 = 280 in Feb, 700 × 300/500 = 420 in Mar.
    spans, basis = plan_spans(rows, 1_000, T, None)
    assert [(s.start, s.amount) for s in spans] == [
        (d("2027-01-01"), 300),
        (d("2027-02-01"), pytest.approx(280)),
        (d("2027-03-01"), pytest.approx(420)),
    ]
    assert basis == "cost plan"
    # Spent more than the EAC: the actuals stand, nothing more is placed.
    spans, _ = plan_spans(rows, 200, T, None)
    assert [s.amount for s in spans] == [300, 0, 0]


def test_a_case_uses_the_cost_plan_when_the_project_has_one() -> None:
    costs = [
        {"id": 1, "project_id": 1, "month": "2027-06", "planned": 100_000},
        {"id": 2, "project_id": 1, "month": "2028-06", "planned": 300_000},
    ]
    # EAC = BAC 1 000 000 in the plan's shape: 250 000 in year 0, 750 000 in year 1.
    case = CaseBook(snapshot(costs=costs), T).project_case(1)
    assert [round(y.costs) for y in case.years] == [250_000, 750_000, 0]
    assert case.cost_basis == "cost plan"


def test_running_cost_starts_the_day_after_the_forecast_end() -> None:
    cases = [
        {"id": 1, "project_id": 1, "discount_rate_pct": 0, "horizon_years": 2, "annual_running_cost": 36_600}
    ]
    case = CaseBook(snapshot(cases=cases), T).project_case(1)
    # Forecast end 2027-12-31: running from 2028-01-01, the whole of year 1 (366 days) = 36 600.
    assert [round(y.costs) for y in case.years] == [1_000_000, 36_600]


def test_the_programme_rate_applies_when_the_case_has_none() -> None:
    cases = [{"id": 1, "project_id": 1, "horizon_years": 3}]
    programme = {"id": 1, "name": "P", "discount_rate_pct": 0.0}
    case = CaseBook(snapshot(cases=cases, programme=programme), T).project_case(1)
    assert case.rate_source == "programme" and case.discount_rate_pct == 0
    assert case.npv == pytest.approx(200_000)  # undiscounted: −1 000 000 + 2 × 600 000


def test_a_dis_benefit_counts_against_the_case() -> None:
    benefits = [
        {
            "id": 1,
            "name": "Savings",
            "kind": "cash-releasing",
            "target_date": "2028-01-01",
            "annual_value": 600_000,
        },
        {
            "id": 2,
            "name": "Cloud bill",
            "kind": "dis-benefit",
            "target_date": "2028-01-01",
            "annual_value": 100_000,
        },
    ]
    case = CaseBook(snapshot(benefits=benefits, links={1: [1], 2: [1]}), T).project_case(1)
    assert [round(y.benefits) for y in case.years] == [0, 500_000, 500_000]


def test_benefits_without_a_value_or_a_date_are_listed_not_counted() -> None:
    benefits = [
        {
            "id": 1,
            "name": "Savings",
            "kind": "cash-releasing",
            "target_date": "2028-01-01",
            "annual_value": 600_000,
        },
        {"id": 2, "name": "Happier staff", "kind": "non-cash", "target_date": "2028-01-01"},
        {"id": 3, "name": "Undated", "kind": "cash-releasing", "annual_value": 5},
    ]
    case = CaseBook(snapshot(benefits=benefits, links={1: [1], 2: [1], 3: [1]}), T).project_case(1)
    notes = {b.name: (b.counted, b.note) for b in case.benefits}
    assert notes["Happier staff"] == (False, "no annual value")
    assert notes["Undated"] == (False, "no target date: not placed in time")
    assert round(case.npv, 2) == 41_322.31


# ---------------------------------------------------------------------------- realisation factor


def _status(measurements: list[tuple[str, float]], target_date: str = "2027-06-01"):
    benefit = Benefit(1, "B", baseline_value=0, baseline_date=pendulum.Date(2026, 1, 1), target_value=100,
                      target_date=pendulum.Date.fromisoformat(target_date))  # fmt: skip
    ms = [Measurement(i, 1, pendulum.Date.fromisoformat(day), v) for i, (day, v) in enumerate(measurements)]
    return benefit_status(benefit, ms, TODAY)


def test_the_factor_is_the_forecast_capped_at_100_percent() -> None:
    # 0 → 100 by 2027-06-01. 40 on 2026-06-01 and 60 on 2026-11-28 (180 d later): 1/9 a day; the
    # target date is 185 days after the last point → 60 + 185/9 = 80.56 → factor 0.8056.
    factor, measured = realisation_factor(_status([("2026-06-01", 40), ("2026-11-28", 60)]), T)
    assert measured and factor == pytest.approx((60 + 185 / 9) / 100)
    # 40 then 80: 2/9 a day → 80 + 370/9 = 121 → capped at 1.0.
    assert realisation_factor(_status([("2026-06-01", 40), ("2026-11-28", 80)]), T) == (1.0, True)
    # Moving the wrong way never counts below nothing.
    assert realisation_factor(_status([("2026-06-01", 40), ("2026-11-28", 10)]), T) == (0.0, True)


def test_past_the_target_date_the_factor_is_what_was_realised() -> None:
    factor, measured = realisation_factor(_status([("2026-01-01", 0), ("2026-05-01", 70)], "2026-06-01"), T)
    assert (factor, measured) == (pytest.approx(0.7), True)


def test_no_measurements_count_in_full_but_unmeasured() -> None:
    assert realisation_factor(_status([]), T) == (1.0, False)


# ---------------------------------------------------------------------------- viability


def test_viability_is_amber_when_a_counted_benefit_is_at_risk() -> None:
    # 0 → 100 by 2027-11-25; 0 on 2025-11-25 and 45 on 2026-11-25 (365 d): the trend reaches 90 on
    # the target date → 90 % of the change → At risk, factor 0.9.
    benefits = [{"id": 1, "name": "Savings", "kind": "cash-releasing", "baseline_value": 0,
                 "target_value": 100, "target_date": "2027-11-25", "annual_value": 700_000}]  # fmt: skip
    measurements = [
        {"id": 1, "benefit_id": 1, "date": "2025-11-25", "value": 0},
        {"id": 2, "benefit_id": 1, "date": "2026-11-25", "value": 45},
    ]
    case = CaseBook(snapshot(benefits=benefits, measurements=measurements), T).project_case(1)
    line = case.benefits[0]
    assert (line.status, line.factor, line.measured) == ("At risk", pytest.approx(0.9), True)
    # 630 000 a year from 2027-11-25: 37 days of 2027 (6 in Nov + 31 in Dec) → 63 863.01; then the
    # whole of 2028 and 2029. NPV = −1 000 000 + 63 863.01 + 630 000/1.1 + 630 000/1.21
    #                              = −1 000 000 + 63 863.01 + 572 727.27 + 520 661.16 = 157 251.44.
    assert round(case.years[0].benefits, 2) == 63_863.01
    assert round(case.npv, 2) == 157_251.44
    assert case.viability.rag == "A"
    assert case.viability.reasons[0] == "NPV 157 251 ≥ 0, but benefit 'Savings' it counts is at risk"


def test_viability_is_amber_for_an_unmeasured_benefit_past_its_target_date() -> None:
    benefits = [{"id": 1, "name": "Savings", "kind": "cash-releasing", "target_date": "2026-10-01",
                 "annual_value": 600_000}]  # fmt: skip
    case = CaseBook(snapshot(benefits=benefits), T).project_case(1)
    assert case.npv > 0  # 600 000 a year over the three years from the 2027 base
    assert case.viability.rag == "A"
    assert "unmeasured past its target date 2026-10-01" in case.viability.reasons[0]


def test_no_budget_means_not_assessed() -> None:
    case = CaseBook(snapshot(project={"budget": None}), T).project_case(1)
    assert case.npv is None and case.years == ()
    assert case.viability.rag is None
    assert "no budget" in case.viability.reasons[0]
    assert case.to_json()["null_reasons"]["npv"].startswith("NEW has no budget")


def test_no_start_date_and_no_base_date_means_not_assessed() -> None:
    case = CaseBook(snapshot(project={"start_date": None}), T).project_case(1)
    assert case.npv is None and case.viability.rag is None


def test_a_base_date_on_the_case_moves_the_years() -> None:
    cases = [
        {"id": 1, "project_id": 1, "discount_rate_pct": 10, "horizon_years": 3, "base_date": "2028-01-01"}
    ]
    case = CaseBook(snapshot(cases=cases), T).project_case(1)
    # The 2027 costs fall before the base: outside the appraisal, and reported.
    assert case.outside_horizon == pytest.approx(1_000_000)
    assert [round(y.costs) for y in case.years] == [0, 0, 0]


# ---------------------------------------------------------------------------- the programme and RAG


def test_the_programme_case_counts_a_shared_benefit_once() -> None:
    other = {"id": 2, "code": "TWO", "name": "Two", "start_date": "2027-01-01", "baseline_end": "2027-12-31",
             "forecast_end": "2027-12-31", "budget": 500_000, "actual_cost": 0, "percent_complete": 0}  # fmt: skip
    cases = [
        {"id": 1, "project_id": 1, "discount_rate_pct": 10, "horizon_years": 3},
        {"id": 2, "project_id": None, "discount_rate_pct": 0, "horizon_years": 3},
    ]
    book = CaseBook(snapshot(cases=cases, more_projects=[other], links={1: [1, 2]}), T)
    # Each project's case claims the whole benefit...
    assert round(book.project_case(2).years[1].benefits) == 600_000
    # ...the programme's counts it once: costs 1 500 000, benefits 2 × 600 000, at 0 %.
    prog = book.programme_case()
    assert prog.label == "programme"
    assert prog.npv == pytest.approx(-300_000)
    assert [c.label for c in book.recorded_cases()] == ["programme", "NEW"]


def test_the_evidence_rule_rates_projects_with_a_recorded_case_only() -> None:
    snap = snapshot(project={"actual_cost": 550_000, "percent_complete": 50})
    evidence = business_case_evidence(snap, T)
    assert list(evidence) == [1]
    assert evidence[1].dimension == DIMENSION and evidence[1].rag == "R"
    assert evidence[1].text.startswith("NPV -58 678 over 3 y at 10 %")
    assert business_case_evidence(snapshot(cases=[]), T) == {}


def test_an_overspend_that_kills_the_case_turns_the_project_red() -> None:
    healthy = rollup(snapshot(), TODAY).projects[0]
    assert [e.rag for e in healthy.rag.evidence if e.dimension == DIMENSION] == ["G"]
    # Only the cost dimension moves otherwise: EAC 1.1m is 10 % over BAC — within the 10 % tolerance.
    broken = rollup(snapshot(project={"actual_cost": 550_000, "percent_complete": 50}), TODAY).projects[0]
    by_dim = {e.dimension: e.rag for e in broken.rag.evidence}
    assert by_dim["cost"] == "A" and by_dim[DIMENSION] == "R"
    assert broken.rag.final == "R"


def test_the_rollup_and_the_screen_share_one_book_per_snapshot() -> None:
    snap = snapshot()
    book = CaseBook.of(snap, T)
    assert CaseBook.of(snap, T) is book  # the rollup's evidence, then the screen: computed once
    assert CaseBook.of(snap, T + 1) is not book  # a new day is a new book
    # A new snapshot (the next refresh) gets a new book, whose figures follow it.
    later = snapshot(project={"actual_cost": 550_000, "percent_complete": 50})
    assert CaseBook.of(later, T).project_case(1).npv == pytest.approx(-58_677.69, abs=0.005)
    # One slot: asking for the first snapshot again builds its book afresh, with the same figures.
    assert CaseBook.of(snap, T).project_case(1).npv == pytest.approx(41_322.31, abs=0.005)
