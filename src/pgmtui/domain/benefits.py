"""Benefit realisation: how far along, where the trend is heading, and a status word.

Realisation is measured as a share of the change promised, ``(latest − baseline) / (target −
baseline)``, so "cut cost from 100 to 60" and "raise satisfaction from 3 to 4" read the same way.
Dis-benefits (accepted downsides) are computed identically and flagged, so screens can show them
apart rather than mixing them into "benefits realised".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import pendulum

from pgmtui.domain.models import Benefit, Measurement, Snapshot

__all__ = [
    "AT_RISK",
    "NO_DATA",
    "OFF_TRACK",
    "ON_TRACK",
    "REALISED",
    "STATUSES",
    "BenefitStatus",
    "benefit_status",
    "progress_pct",
    "trend_line",
]

REALISED, ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "Realised", "On track", "At risk", "Off track", "No data"
STATUSES = (REALISED, ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA)
AT_RISK_PCT = 80.0  # projection reaching at least this share of the change is "at risk", not "off"
_EPS = 1e-9  # so 79.99999999 from float arithmetic still counts as 80 %
_by_date = attrgetter("date", "id")


def progress_pct(value: float | None, baseline: float | None, target: float | None) -> float | None:
    """(value − baseline) / (target − baseline) × 100; None when undefined (target == baseline)."""
    if value is None or baseline is None or target is None or target == baseline:
        return None
    return (value - baseline) / (target - baseline) * 100.0


def trend_line(points: Iterable[tuple[int, float]]) -> tuple[float, float, float] | None:
    """Least-squares line through (day ordinal, value) points as (slope per day, mean x, mean y).

    Days are taken relative to the first point so sums of squares of ordinals (~7e5) lose no
    precision. None with fewer than two distinct days (no line can be fitted).
    """
    n = 0
    x0 = 0
    sx = sy = sxx = sxy = 0.0
    for x, y in points:
        if n == 0:
            x0 = x
        dx = x - x0
        n += 1
        sx += dx
        sy += y
        sxx += dx * dx
        sxy += dx * y
    if n < 2:
        return None
    den = n * sxx - sx * sx
    if den == 0:
        return None
    return (n * sxy - sx * sy) / den, x0 + sx / n, sy / n


def _dated(measurements: Iterable[Measurement]) -> list[tuple[pendulum.Date, float]]:
    """(date, value) of each measurement that has both, in the order given."""
    return [(m.date, m.value) for m in measurements if m.date is not None and m.value is not None]


@dataclass(frozen=True, slots=True)
class BenefitStatus:
    benefit_id: int
    name: str
    kind: str
    is_dis_benefit: bool
    unit: str | None
    baseline_value: float | None
    target_value: float | None
    target_date: pendulum.Date | None
    latest: float | None
    latest_date: pendulum.Date | None
    realisation_pct: float | None
    projected_value: float | None  # the trend's value on the target date
    projected_pct: float | None  # the projection as a share of the change promised
    status: str
    slope_per_day: float | None = None
    # The benefit's dated measurements, oldest first (ties by id).
    measurements: tuple[Measurement, ...] = ()

    @property
    def points(self) -> list[tuple[pendulum.Date, float]]:
        """(date, value) per measurement, oldest first: the realisation history."""
        return _dated(self.measurements)

    @property
    def values(self) -> list[float]:
        """Just the measured values, oldest first: what a sparkline draws."""
        return [v for _, v in _dated(self.measurements)]

    def to_json(self, points: bool = True) -> dict[str, Any]:
        out = {
            "benefit_id": self.benefit_id,
            "name": self.name,
            "kind": self.kind,
            "is_dis_benefit": self.is_dis_benefit,
            "unit": self.unit,
            "baseline_value": self.baseline_value,
            "target_value": self.target_value,
            "target_date": self.target_date.isoformat() if self.target_date else None,
            "latest": self.latest,
            "latest_date": self.latest_date.isoformat() if self.latest_date else None,
            "realisation_pct": self.realisation_pct,
            "projected_value": self.projected_value,
            "projected_pct": self.projected_pct,
            "status": self.status,
        }
        if points:
            out["points"] = [[d.isoformat(), v] for d, v in self.points]
        return out


def benefit_status(benefit: Benefit, measurements: Iterable[Measurement], today: Any = None) -> BenefitStatus:
    """Status of one benefit from its measurements (any order; other benefits' are not filtered).

    Status: Realised (realisation ≥ 100 %); else judged on the projection to the target date —
    On track (≥ 100 % of the change), At risk (≥ 80 %), Off track (below); with no projection
    (no target date, or a single measurement and no baseline date) the latest value is judged the
    same way, i.e. as if nothing more will change. No data: no measurements, or target == baseline.
    Once `today` is past the target date a projection no longer means anything: a benefit not
    realised by then is Off track (the date was missed), whatever its trend said.
    """
    ms = [m for m in measurements if m.date is not None and m.value is not None]
    ms.sort(key=_by_date)
    base, target = benefit.baseline_value, benefit.target_value
    last = ms[-1] if ms else None
    latest = last.value if last else None
    real = progress_pct(latest, base, target)

    xy = [(d.toordinal(), v) for d, v in _dated(ms)]
    if len(xy) < 2 and benefit.baseline_date is not None and base is not None:
        xy.insert(0, (benefit.baseline_date.toordinal(), base))
    line = trend_line(xy)
    slope = projected = None
    if line is not None:
        slope, mx, my = line
        if benefit.target_date is not None:
            projected = my + slope * (benefit.target_date.toordinal() - mx)
    proj_pct = progress_pct(projected, base, target)

    missed = today is not None and benefit.target_date is not None and benefit.target_date < today
    if not ms:
        status = NO_DATA
    elif real is not None and real >= 100.0 - _EPS:
        status = REALISED
    elif missed and real is not None:
        status = OFF_TRACK
    else:
        judge = proj_pct if proj_pct is not None else real
        if judge is None:
            status = NO_DATA
        elif judge >= 100.0 - _EPS:
            status = ON_TRACK
        elif judge >= AT_RISK_PCT - _EPS:
            status = AT_RISK
        else:
            status = OFF_TRACK
    return BenefitStatus(
        benefit_id=benefit.id,
        name=benefit.name,
        kind=benefit.kind,
        is_dis_benefit=benefit.kind == "dis-benefit",
        unit=benefit.unit,
        baseline_value=base,
        target_value=target,
        target_date=benefit.target_date,
        latest=latest,
        latest_date=last.date if last else None,
        realisation_pct=real,
        projected_value=projected,
        projected_pct=proj_pct,
        status=status,
        slope_per_day=slope,
        measurements=tuple(ms),
    )


def benefit_statuses(snapshot: Snapshot, today: int) -> dict[int, BenefitStatus]:
    """Every benefit's status by id, for today as an ordinal. Computed once per build (memoised on
    the benefit and measurement records): the rollup and the business cases both read it."""

    def compute() -> dict[int, BenefitStatus]:
        by_benefit: dict[int, list[Measurement]] = {}
        for m in snapshot.measurements:
            lst = by_benefit.get(m.benefit_id)
            if lst is None:
                by_benefit[m.benefit_id] = lst = []
            lst.append(m)
        day = pendulum.Date.fromordinal(today)
        return {b.id: benefit_status(b, by_benefit.get(b.id, ()), day) for b in snapshot.benefits}

    return snapshot.memo.get("benefit_statuses", today, (snapshot.benefits, snapshot.measurements), compute)
