"""Earned value: BAC, PV, EV, AC and the indices derived from them.

Every figure is ``float | None``: None means "cannot be computed from what we know" (a missing
date, a zero denominator). Screens print None as "–"; nothing here raises on thin data.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from pgmtui.domain.models import Project, to_ordinal

__all__ = ["Evm", "evm", "fmt", "fmt_money", "fmt_ratio", "planned_fraction", "project_evm", "total"]


@dataclass(frozen=True, slots=True)
class Evm:
    bac: float | None = None  # budget at completion
    pv: float | None = None  # planned value to date
    ev: float | None = None  # earned value
    ac: float | None = None  # actual cost
    cpi: float | None = None  # EV / AC
    spi: float | None = None  # EV / PV
    eac: float | None = None  # BAC / CPI
    vac: float | None = None  # BAC − EAC (negative = forecast overspend)
    cv: float | None = None  # EV − AC
    sv: float | None = None  # EV − PV
    planned_fraction: float | None = None  # share of the schedule elapsed, 0..1

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


def evm(
    bac: float | None,
    ac: float | None,
    percent_complete: float | None,
    start: int | None,
    baseline_end: int | None,
    today: int,
) -> Evm:
    """All EVM figures from raw inputs. Dates are ordinals (see models.to_ordinal); percent is 0–100."""
    frac = planned_fraction(start, baseline_end, today)
    pv = None if bac is None or frac is None else bac * frac
    ev = None if bac is None or percent_complete is None else bac * percent_complete / 100.0
    cpi = _div(ev, ac)
    spi = _div(ev, pv)
    eac = _div(bac, cpi)
    return Evm(
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        cpi=cpi,
        spi=spi,
        eac=eac,
        vac=None if bac is None or eac is None else bac - eac,
        cv=None if ev is None or ac is None else ev - ac,
        sv=None if ev is None or pv is None else ev - pv,
        planned_fraction=frac,
    )


def project_evm(project: Project, today: Any) -> Evm:
    """EVM for a project on ``today`` (a date, or an ordinal int)."""
    t = today if isinstance(today, int) else to_ordinal(today)
    if t is None:
        raise ValueError("project_evm needs today's date")
    start = project.start_date.toordinal() if project.start_date else None
    end = project.baseline_end.toordinal() if project.baseline_end else None
    return evm(project.budget, project.actual_cost, project.percent_complete, start, end, t)


def total(evms: Iterable[Evm]) -> Evm:
    """Programme figures from project figures: sums, and indices from the sums.

    - SPI compares EV with PV only over projects whose PV is known, so a project without dates
      does not inflate it.
    - EAC sums project EACs; where a project's EAC is undefined (nothing earned yet) it uses
      AC + (BAC − EV), the standard estimate when past performance says nothing (= BAC before
      any spend).
    """
    bac = ac = ev = pv = ev_with_pv = eac = 0.0
    have_bac = have_ac = have_ev = have_pv = have_eac = False
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
        if e.eac is not None:
            eac += e.eac
            have_eac = True
        elif e.bac is not None:
            eac += (e.ac or 0.0) + e.bac - (e.ev or 0.0)
            have_eac = True
    t_bac = bac if have_bac else None
    t_ac = ac if have_ac else None
    t_ev = ev if have_ev else None
    t_pv = pv if have_pv else None
    t_eac = eac if have_eac else None
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
    )


def fmt(value: float | None, spec: str = ",.0f", none: str = "–") -> str:
    """Format a figure, showing an undefined one (none, or not finite) as an en dash."""
    return none if value is None or not math.isfinite(value) else format(value, spec)


def fmt_money(value: float | None, none: str = "–") -> str:
    """Whole currency units with spaces between thousands (100 000), the house style."""
    return none if value is None or not math.isfinite(value) else format(round(value), ",d").replace(",", " ")


def fmt_ratio(value: float | None, none: str = "–") -> str:
    return fmt(value, ".2f", none)
