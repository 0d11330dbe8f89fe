"""Earned value: BAC, PV, EV, AC and the indices derived from them — one implementation for the
portfolio, the rollup, the finance screen, the reports and the stand-up.

Two sources for PV and AC:
- a project with cost rows (a time-phased plan, see costplan.py): PV from the plan by month (today's
  month counted by the share of it elapsed), AC the sum of the monthly actuals, plus the burn rate,
  the run-out month and a bottom-up EAC from the forecasts;
- a project without: PV = BAC × the share of start → baseline end elapsed (linear), AC the
  project's actual cost.

The rest is the same for both: EV = BAC × % complete; CV = EV − AC; SV = EV − PV; CPI = EV / AC;
SPI = EV / PV; EAC = BAC / CPI (BAC itself while CPI is undefined because nothing is spent yet);
ETC = EAC − AC; VAC = BAC − EAC; TCPI = (BAC − EV) / (BAC − AC).

Every figure is ``float | None``: None means "cannot be computed from what we know" (a missing
date, a zero denominator). Screens print None as "–"; nothing here raises on thin data.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from pgmtui.domain import costplan
from pgmtui.domain.models import Project, to_ordinal

__all__ = [
    "LINEAR",
    "PLAN",
    "Evm",
    "evm",
    "figures",
    "fmt",
    "fmt_money",
    "fmt_ratio",
    "plan_evm",
    "planned_fraction",
    "project_evm",
    "total",
]

PLAN, LINEAR = "plan", "linear"  # where PV and AC came from (Evm.basis)


@dataclass(frozen=True, slots=True)
class Evm:
    bac: float | None = None  # budget at completion
    pv: float | None = None  # planned value to date
    ev: float | None = None  # earned value
    ac: float | None = None  # actual cost
    cpi: float | None = None  # EV / AC
    spi: float | None = None  # EV / PV
    eac: float | None = None  # BAC / CPI (BAC while nothing is spent)
    vac: float | None = None  # BAC − EAC (negative = forecast overspend)
    cv: float | None = None  # EV − AC
    sv: float | None = None  # EV − PV
    planned_fraction: float | None = None  # share of the plan due by today, 0..1
    etc: float | None = None  # EAC − AC: what is still to be spent
    tcpi: float | None = None  # (BAC − EV) / (BAC − AC): the efficiency needed to finish on budget
    eac_bottom_up: float | None = None  # AC + the months still to come (forecast, else plan)
    burn_rate: float | None = None  # mean actual of the last 3 months with actuals, per month
    run_out: str | None = None  # YYYY-MM in which cumulative actuals reach BAC at that rate
    basis: str | None = None  # "plan" (cost rows) or "linear" (start → baseline end)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _div(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def planned_fraction(start: int | None, end: int | None, today: int) -> float | None:
    """Linear share of [start, end] elapsed at ``today`` (ordinals), clamped to 0..1.

    None without both dates. A zero-length (or back-to-front) plan is all-or-nothing at ``end``.
    """
    if start is None or end is None:
        return None
    if end <= start:
        return 1.0 if today >= end else 0.0
    return min(1.0, max(0.0, (today - start) / (end - start)))


def figures(
    bac: float | None,
    pv: float | None,
    ac: float | None,
    percent_complete: float | None,
    *,
    fraction: float | None = None,
    basis: str | None = None,
    eac_bottom_up: float | None = None,
    burn_rate: float | None = None,
    run_out: str | None = None,
) -> Evm:
    """Every EVM figure from BAC, PV, AC and % complete (0–100), whatever PV and AC came from."""
    ev = None if bac is None or percent_complete is None else bac * percent_complete / 100.0
    cpi = _div(ev, ac)
    if ac == 0:
        eac = bac  # nothing spent yet: CPI is undefined and the budget is the estimate
    else:
        eac = _div(bac, cpi)  # undefined when CPI is (AC or progress unknown) or 0 (nothing earned)
    tcpi = None
    if bac is not None and ac is not None and ev is not None and bac - ac > 0:
        # Budget spent (or overspent): no efficiency can finish within it, so no TCPI.
        tcpi = (bac - ev) / (bac - ac)
    return Evm(
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        cpi=cpi,
        spi=_div(ev, pv),
        eac=eac,
        vac=None if bac is None or eac is None else bac - eac,
        cv=None if ev is None or ac is None else ev - ac,
        sv=None if ev is None or pv is None else ev - pv,
        planned_fraction=fraction,
        etc=None if eac is None or ac is None else eac - ac,
        tcpi=tcpi,
        eac_bottom_up=eac_bottom_up,
        burn_rate=burn_rate,
        run_out=run_out,
        basis=basis,
    )


def evm(
    bac: float | None,
    ac: float | None,
    percent_complete: float | None,
    start: int | None,
    baseline_end: int | None,
    today: int,
) -> Evm:
    """EVM without a cost plan: PV linear from start to baseline end. Dates are ordinals (see
    models.to_ordinal); percent is 0–100."""
    frac = planned_fraction(start, baseline_end, today)
    pv = None if bac is None or frac is None else bac * frac
    return figures(bac, pv, ac, percent_complete, fraction=frac, basis=LINEAR)


def plan_evm(
    bac: float | None, months: Sequence[costplan.MonthCost], percent_complete: float | None, today: int
) -> Evm:
    """EVM from a cost plan by month (see the module docstring)."""
    pv = costplan.planned_to_date(months, today)
    plan_total = sum(m.planned for m in months)
    burn = costplan.burn_rate(months)
    return figures(
        bac,
        pv,
        costplan.actual_total(months),
        percent_complete,
        fraction=_div(pv, plan_total),
        basis=PLAN,
        eac_bottom_up=costplan.bottom_up_eac(months),
        burn_rate=burn,
        run_out=costplan.run_out(months, bac, burn),
    )


def project_evm(project: Project, today: Any, costs: Iterable[Mapping[str, Any]] | None = None) -> Evm:
    """EVM for a project on ``today`` (a date, or an ordinal int): from its cost rows when it has
    any (``costs``: the project's rows of the cost table), else from its dates and actual cost."""
    t = today if isinstance(today, int) else to_ordinal(today)
    if t is None:
        raise ValueError("project_evm needs today's date")
    months = costplan.monthly(costs) if costs else []
    if months:
        return plan_evm(project.budget, months, project.percent_complete, t)
    start = project.start_date.toordinal() if project.start_date else None
    end = project.baseline_end.toordinal() if project.baseline_end else None
    return evm(project.budget, project.actual_cost, project.percent_complete, start, end, t)


def total(evms: Iterable[Evm]) -> Evm:
    """Programme figures from project figures: sums, and indices from the sums.

    - SPI compares EV with PV only over projects whose PV is known, so a project without dates
      does not inflate it.
    - EAC sums project EACs; where a project's EAC is undefined (spent, nothing earned yet) it
      uses AC + (BAC − EV), the standard estimate when past performance says nothing.
    - The bottom-up EAC sums each project's bottom-up EAC, or its EAC where it has none (no
      forecasts); it is given only when at least one project has one.
    - The burn rate is the sum of the projects' burn rates (money per month across the programme);
      the programme's run-out month needs the months themselves (finance.programme_finance).
    """
    bac = ac = ev = pv = ev_with_pv = eac = bottom_up = burn = 0.0
    have_bac = have_ac = have_ev = have_pv = have_eac = have_bottom_up = have_burn = False
    for e in evms:
        if e.bac is not None:
            bac += e.bac
            have_bac = True
        if e.ac is not None:
            ac += e.ac
            have_ac = True
        if e.ev is not None:
            ev += e.ev
            have_ev = True
        if e.pv is not None:
            pv += e.pv
            have_pv = True
            if e.ev is not None:
                ev_with_pv += e.ev
        project_eac = e.eac
        if project_eac is None and e.bac is not None:
            project_eac = (e.ac or 0.0) + e.bac - (e.ev or 0.0)
        if project_eac is not None:
            eac += project_eac
            have_eac = True
        if e.eac_bottom_up is not None:
            bottom_up += e.eac_bottom_up
            have_bottom_up = True
        elif project_eac is not None:
            bottom_up += project_eac
        if e.burn_rate is not None:
            burn += e.burn_rate
            have_burn = True
    t_bac = bac if have_bac else None
    t_ac = ac if have_ac else None
    t_ev = ev if have_ev else None
    t_pv = pv if have_pv else None
    t_eac = eac if have_eac else None
    tcpi = None
    if t_bac is not None and t_ac is not None and t_ev is not None and t_bac - t_ac > 0:
        tcpi = (t_bac - t_ev) / (t_bac - t_ac)
    return Evm(
        bac=t_bac,
        pv=t_pv,
        ev=t_ev,
        ac=t_ac,
        cpi=_div(t_ev, t_ac),
        spi=_div(ev_with_pv if have_pv else None, t_pv),
        eac=t_eac,
        vac=None if t_bac is None or t_eac is None else t_bac - t_eac,
        cv=None if t_ev is None or t_ac is None else t_ev - t_ac,
        sv=None if not have_pv else ev_with_pv - pv,
        planned_fraction=_div(t_pv, t_bac),
        etc=None if t_eac is None or t_ac is None else t_eac - t_ac,
        tcpi=tcpi,
        eac_bottom_up=bottom_up if have_bottom_up else None,
        burn_rate=burn if have_burn else None,
    )


def fmt(value: float | None, spec: str = ",.0f", none: str = "–") -> str:
    """Format a figure, showing an undefined one (none, or not finite) as an en dash."""
    return none if value is None or not math.isfinite(value) else format(value, spec)


def fmt_money(value: float | None, none: str = "–") -> str:
    """Whole currency units with spaces between thousands (100 000), the house style."""
    return none if value is None or not math.isfinite(value) else format(round(value), ",d").replace(",", " ")


def fmt_ratio(value: float | None, none: str = "–") -> str:
    return fmt(value, ".2f", none)
