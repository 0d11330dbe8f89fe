"""A project's cost plan by month: planned value to date, actuals, burn rate, run-out month and the
bottom-up estimate at completion. Pure arithmetic on cost rows (project × month × category).

Months are handled as integers (``year * 12 + month - 1``) so that "the month after" and "three
months back" are plain addition; ``month_text`` turns one back into ``YYYY-MM``.

Every figure is ``float | None``: None means "cannot be computed from what we know" (no actuals yet,
a zero burn rate), shown as "–" by the screens; nothing here raises on thin data.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BURN_MONTHS",
    "MonthCost",
    "actual_total",
    "bottom_up_eac",
    "burn_rate",
    "data_month",
    "has_forecast",
    "month_index",
    "month_of_ordinal",
    "month_text",
    "monthly",
    "planned_to_date",
    "run_out",
    "run_out_after",
]

BURN_MONTHS = 3  # the burn rate is the mean actual of the last this-many months with actuals


def month_index(text: str) -> int:
    """'2027-03' → 2027 × 12 + 2 (consecutive months are consecutive integers)."""
    return int(text[:4]) * 12 + int(text[5:7]) - 1


def month_text(index: int) -> str:
    year, month0 = divmod(index, 12)
    return f"{year:04d}-{month0 + 1:02d}"


def month_of_ordinal(ordinal: int) -> int:
    """The month index of a day given as an ordinal (date.toordinal())."""
    d = _dt.date.fromordinal(ordinal)
    return d.year * 12 + d.month - 1


@dataclass(frozen=True, slots=True)
class MonthCost:
    """One month of a project's plan, every category added up.

    ``actual`` / ``forecast`` are None when no category of the month has one. ``estimate`` is what
    the month is expected to cost when its actual is not known yet: each category's forecast where
    it has one, its plan otherwise (so a re-forecast capex line does not drop the opex plan).
    """

    month: str
    planned: float = 0.0
    actual: float | None = None
    forecast: float | None = None
    estimate: float = 0.0

    @property
    def index(self) -> int:
        return month_index(self.month)


def _num(value: Any) -> float | None:
    return None if value is None or value == "" else float(value)


def monthly(rows: Iterable[Mapping[str, Any]]) -> list[MonthCost]:
    """Cost rows (``month``, ``planned``, ``actual``, ``forecast``; any category) as one MonthCost per
    month that has a row, oldest first. Months without a row are not invented."""
    planned: dict[str, float] = {}
    actual: dict[str, float] = {}
    forecast: dict[str, float] = {}
    estimate: dict[str, float] = {}
    for row in rows:
        month = str(row["month"])
        plan = _num(row.get("planned")) or 0.0
        act, fc = _num(row.get("actual")), _num(row.get("forecast"))
        planned[month] = planned.get(month, 0.0) + plan
        estimate[month] = estimate.get(month, 0.0) + (fc if fc is not None else plan)
        if act is not None:
            actual[month] = actual.get(month, 0.0) + act
        if fc is not None:
            forecast[month] = forecast.get(month, 0.0) + fc
    return [MonthCost(m, planned[m], actual.get(m), forecast.get(m), estimate[m]) for m in sorted(planned)]


def planned_to_date(months: Sequence[MonthCost], today: int) -> float:
    """Planned value on day ``today`` (an ordinal): the plan of every month before today's month,
    plus today's month's plan × (day of month / days in the month) — half of it on the 14th of a
    28-day month, all of it on its last day."""
    d = _dt.date.fromordinal(today)
    current = d.year * 12 + d.month - 1
    share = d.day / calendar.monthrange(d.year, d.month)[1]
    pv = 0.0
    for m in months:
        i = m.index
        if i < current:
            pv += m.planned
        elif i == current:
            pv += m.planned * share
    return pv


def actual_total(months: Sequence[MonthCost]) -> float:
    """Actual cost: every month's actual (a month without one adds nothing)."""
    return sum(m.actual for m in months if m.actual is not None)


def data_month(months: Sequence[MonthCost]) -> int | None:
    """The last month with an actual (the month actuals are reported up to), or None."""
    reported = [m.index for m in months if m.actual is not None]
    return max(reported) if reported else None


def burn_rate(months: Sequence[MonthCost], window: int = BURN_MONTHS) -> float | None:
    """Mean actual of the last ``window`` months that have one (fewer when fewer have); None
    before the first actual."""
    recent = [m.actual for m in months if m.actual is not None][-window:]
    return sum(recent) / len(recent) if recent else None


def run_out(months: Sequence[MonthCost], bac: float | None, burn: float | None) -> str | None:
    """The month in which cumulative actuals reach BAC: the month they did if they already have,
    else the reporting month plus as many months at ``burn`` as the rest of BAC lasts (rounded up:
    the money runs out during that month). None without BAC, actuals or a positive burn rate."""
    if bac is None or burn is None:
        return None
    cumulative = 0.0
    for m in months:
        if m.actual is not None:
            cumulative += m.actual
            if cumulative >= bac - 1e-9:
                return m.month
    return run_out_after(data_month(months), cumulative, bac, burn)


def run_out_after(last: int | None, spent: float, bac: float | None, burn: float | None) -> str | None:
    """The month the money runs out when ``spent`` has been spent up to month ``last`` (an index)
    and spending goes on at ``burn`` a month: ``last`` itself if BAC is already reached."""
    if last is None or bac is None or burn is None:
        return None
    if spent >= bac - 1e-9:
        return month_text(last)
    if burn <= 0:
        return None
    return month_text(last + max(1, math.ceil(round((bac - spent) / burn, 9))))


def has_forecast(months: Sequence[MonthCost]) -> bool:
    return any(m.forecast is not None for m in months)


def bottom_up_eac(months: Sequence[MonthCost]) -> float | None:
    """Actuals so far plus the estimate of every month after the reporting month (forecast where
    given, plan otherwise): the estimate at completion built from the months rather than from CPI.
    None when no month has a forecast (it would only repeat the plan)."""
    if not has_forecast(months):
        return None
    last = data_month(months)
    remaining = sum(m.estimate for m in months if last is None or m.index > last)
    return actual_total(months) + remaining
