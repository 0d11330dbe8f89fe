from __future__ import annotations

import pendulum
import pytest

from pgmtui.domain.evm import Evm, evm, fmt, fmt_money, fmt_ratio, planned_fraction, project_evm, total
from pgmtui.domain.models import Project

D = pendulum.Date
TODAY = D(2026, 11, 25)
T = TODAY.toordinal()


def test_evm_worked_example():
    # 2026-08-27 → 2027-03-15 is 200 d, today is day 90 → 45 % planned.
    # BAC 100 000 → PV 45 000; 40 % complete → EV 40 000; AC 50 000 → CPI 0.8; SPI 40/45 = 0.8889;
    # EAC 100 000 / 0.8 = 125 000; VAC −25 000; CV −10 000; SV −5 000.
    p = Project(id=1, start_date=D(2026, 8, 27), baseline_end=D(2027, 3, 15), budget=100_000,
                actual_cost=50_000, percent_complete=40)  # fmt: skip
    e = project_evm(p, TODAY)
    assert e.planned_fraction == pytest.approx(0.45)
    assert e.bac == 100_000 and e.pv == pytest.approx(45_000) and e.ev == pytest.approx(40_000)
    assert e.ac == 50_000
    assert e.cpi == pytest.approx(0.8) and e.spi == pytest.approx(40 / 45)
    assert e.eac == pytest.approx(125_000) and e.vac == pytest.approx(-25_000)
    assert e.cv == pytest.approx(-10_000) and e.sv == pytest.approx(-5_000)
    assert project_evm(p, T) == e  # an ordinal works too
    with pytest.raises(ValueError, match="needs today's date"):
        project_evm(p, None)


def test_planned_fraction_is_clamped_and_linear():
    s, e = D(2026, 1, 1).toordinal(), D(2026, 1, 11).toordinal()  # 10 days
    assert planned_fraction(s, e, s - 5) == 0.0
    assert planned_fraction(s, e, s + 4) == pytest.approx(0.4)
    assert planned_fraction(s, e, e + 30) == 1.0
    assert planned_fraction(None, e, s) is None and planned_fraction(s, None, s) is None
    assert planned_fraction(e, e, e) == 1.0 and planned_fraction(e, e, e - 1) == 0.0  # zero-length plan


def test_missing_dates_make_pv_and_spi_undefined():
    e = evm(100.0, 50.0, 40.0, None, None, T)
    assert e.pv is None and e.spi is None and e.sv is None
    assert e.ev == pytest.approx(40.0) and e.cpi == pytest.approx(0.8)  # the rest still computes


def test_zero_actual_cost_makes_cpi_undefined_and_eac_the_budget():
    # Nothing spent: CPI = 40 / 0 is undefined, so EAC is BAC itself (issue 14), VAC 0, ETC 100.
    e = evm(100.0, 0.0, 40.0, T - 10, T + 10, T)
    assert e.cpi is None and e.eac == 100.0 and e.vac == 0.0 and e.etc == 100.0
    assert e.cv == pytest.approx(40.0) and e.spi == pytest.approx(0.8)  # EV 40 / PV 50
    # TCPI = (BAC − EV) / (BAC − AC) = 60 / 100.
    assert e.tcpi == pytest.approx(0.6)


def test_nothing_earned_makes_eac_undefined():
    # EV 0, AC 10 → CPI 0 → EAC = BAC / 0: undefined, not an error.
    e = evm(100.0, 10.0, 0.0, T - 10, T + 10, T)
    assert e.cpi == 0.0 and e.eac is None and e.vac is None


def test_plan_not_started_makes_spi_undefined():
    e = evm(100.0, 10.0, 5.0, T + 1, T + 10, T)  # PV 0
    assert e.pv == 0.0 and e.spi is None


def test_missing_budget_or_percent():
    e = evm(None, 10.0, 50.0, T - 10, T + 10, T)
    assert (e.bac, e.pv, e.ev, e.cpi, e.spi, e.eac, e.vac) == (None,) * 7
    e = evm(100.0, None, None, T - 10, T + 10, T)
    assert e.ev is None and e.cpi is None and e.spi is None and e.eac is None and e.ac is None
    assert e.pv == pytest.approx(50.0)
    assert project_evm(Project(id=1, budget=None, actual_cost=None, percent_complete=None), T) == Evm(
        basis="linear"
    )


def test_total_sums_and_recomputes_indices():
    a = evm(100_000.0, 50_000.0, 40.0, T - 90, T + 110, T)  # PV 45 000, EV 40 000, EAC 125 000
    b = evm(200_000.0, 20_000.0, 20.0, T - 100, T + 100, T)  # PV 100 000, EV 40 000, EAC 100 000
    c = evm(0.0, 0.0, 0.0, T - 10, T + 10, T)  # no budget: EAC undefined → AC + BAC − EV = 0
    t = total([a, b, c])
    # BAC 300 000; AC 70 000; EV 80 000; PV 145 000; CPI 80/70; SPI 80/145; EAC 225 000; VAC 75 000.
    assert t.bac == 300_000 and t.ac == 70_000
    assert t.ev == pytest.approx(80_000) and t.pv == pytest.approx(145_000)
    assert t.cpi == pytest.approx(8 / 7) and t.spi == pytest.approx(80 / 145)
    assert t.eac == pytest.approx(225_000) and t.vac == pytest.approx(75_000)


def test_total_spi_ignores_projects_without_a_plan():
    a = evm(100.0, 50.0, 50.0, T - 10, T + 10, T)  # PV 50, EV 50
    b = evm(100.0, 50.0, 90.0, None, None, T)  # no dates: EV 90 must not inflate SPI
    t = total([a, b])
    assert t.spi == pytest.approx(1.0) and t.ev == pytest.approx(140.0)
    assert total([]) == Evm()


def test_total_eac_fallback_when_spent_but_nothing_earned():
    # AC 30, EV 0 → no CPI; estimate AC + (BAC − EV) = 130.
    t = total([evm(100.0, 30.0, 0.0, None, None, T)])
    assert t.eac == pytest.approx(130.0) and t.vac == pytest.approx(-30.0)


def test_formatting_shows_undefined_as_dash():
    assert fmt(None) == "–" and fmt_ratio(None) == "–" and fmt_money(None) == "–"
    assert fmt_ratio(0.8) == "0.80"
    assert fmt_money(125_000) == "125 000" and fmt_money(-25_000.4) == "-25 000"
    assert fmt(1234.5, ",.1f") == "1,234.5"


def test_formats_with_their_defaults_and_placeholders():
    assert fmt(1234.5) == "1,234" and fmt(-0.4) == "-0"
    assert (
        fmt_ratio(None, none="n/a") == "n/a" and fmt_ratio(float("inf")) == "–"
    )  # not a figure: shown as a dash, never "inf"
    assert fmt_money(1234567.5) == "1 234 568" and fmt_money(None, none="") == ""
