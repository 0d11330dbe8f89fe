"""Trends over time: the figures a board asks "is it getting better?" about, week by week.

A trend is a list of points, oldest first: one per past week at the end of its Friday, and a last
point for the current week taken now (so the last point is today's rollup). Each point holds the
programme's and every project's figures: RAG, slip days, CPI, SPI, risk exposure (the sum of the
open threats' residual scores), open high/critical risks and benefits realisation %.

Pure: the points' rollups are computed elsewhere (services.trend rewinds the database week by
week through pgmtui.domain.history); this module picks the weeks and reads the figures.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pendulum

from pgmtui.domain.risk import residual_score
from pgmtui.domain.rollup import ProgrammeRollup

__all__ = [
    "METRICS",
    "Figures",
    "Trend",
    "TrendPoint",
    "direction",
    "exposure_by_project",
    "figures_of",
    "week_days",
]

FRIDAY = 4
# What each figure means for "better": +1 higher is better, -1 lower is better, 0 a RAG.
METRICS: dict[str, int] = {
    "rag": 0,
    "slip_days": -1,
    "cpi": 1,
    "spi": 1,
    "exposure": -1,
    "open_high_critical": -1,
    "realisation_pct": 1,
}
_RAG_RANK = {"G": 0, "A": 1, "R": 2}


def week_days(today: pendulum.Date, weeks: int) -> list[pendulum.Date]:
    """The days of a `weeks`-long trend, oldest first: the Friday of each past week (weeks run
    Monday to Sunday), then today for the current week.

    Wed 25 Nov 2026, 3 weeks → Fri 13 Nov, Fri 20 Nov, Wed 25 Nov. On a Saturday the current
    week's point is still today (its Friday has passed, but the last point is always now)."""
    if weeks < 1:
        raise ValueError("a trend needs at least one week")
    monday = today.subtract(days=today.weekday())
    fridays = [monday.subtract(days=7 * k - FRIDAY) for k in range(weeks - 1, 0, -1)]
    return [*fridays, today]


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


@dataclass(frozen=True, slots=True)
class Figures:
    """One project's (or the programme's) figures at one point."""

    rag: str | None
    slip_days: int | None
    cpi: float | None
    spi: float | None
    exposure: int
    open_high_critical: int
    realisation_pct: float | None
    code: str = ""  # a project's code at that point ("" for the programme)

    def value(self, metric: str) -> Any:
        return getattr(self, metric)

    def to_json(self) -> dict[str, Any]:
        return {
            "rag": self.rag,
            "slip_days": self.slip_days,
            "cpi": _finite(self.cpi),
            "spi": _finite(self.spi),
            "risk_exposure": self.exposure,
            "open_high_critical": self.open_high_critical,
            "benefits_realisation_pct": _finite(self.realisation_pct),
        }


def exposure_by_project(risks: Iterable[Any]) -> tuple[int, dict[int | None, int]]:
    """Risk exposure: the sum of the residual scores (P × I after the response, each falling back
    to its inherent value) of the open threats — opportunities are not exposure. Returns the
    programme's total (programme-level risks included) and the total per project id."""
    total = 0
    per: dict[int | None, int] = {}
    for r in risks:
        if isinstance(r, Mapping):
            status, kind, pid, score = r.get("status"), r.get("kind"), r.get("project_id"), residual_score(r)
        else:  # a domain Risk (thousands per week: read its fields directly)
            status, kind, pid = r.status, r.kind, r.project_id
            p = r.residual_probability if r.residual_probability is not None else r.probability
            i = r.residual_impact if r.residual_impact is not None else r.impact
            score = p * i if p is not None and i is not None else None
        if status == "closed" or kind == "opportunity":
            continue
        total += score or 0
        per[pid] = per.get(pid, 0) + (score or 0)
    return total, per


def _mean(values: Iterable[float | None]) -> float | None:
    shown = [v for v in values if v is not None and math.isfinite(v)]
    return sum(shown) / len(shown) if shown else None


def figures_of(r: ProgrammeRollup, risks: Iterable[Any]) -> tuple[Figures, dict[int, Figures]]:
    """The programme's and each project's figures from a rollup and the risks it was made from.
    A project's benefits realisation is the mean over its linked benefits (dis-benefits apart),
    as the programme's is over all benefits."""
    total, per = exposure_by_project(risks)
    realisation = {b.benefit_id: b.realisation_pct for b in r.benefits if not b.is_dis_benefit}
    programme = Figures(
        r.rag.final,
        r.slip_days,
        r.evm.cpi,
        r.evm.spi,
        total,
        r.open_high_critical,
        r.realisation_pct,
    )
    projects = {
        p.project_id: Figures(
            p.rag.final,
            p.slip_days,
            p.evm.cpi,
            p.evm.spi,
            per.get(p.project_id, 0),
            p.open_high_critical,
            _mean(realisation.get(b) for b in p.benefit_ids),
            p.code,
        )
        for p in r.projects
    }
    return programme, projects


@dataclass(frozen=True)
class TrendPoint:
    day: pendulum.Date  # the week's Friday, or today for the current week
    at: str  # the instant (audit timestamp) the figures stand at
    programme: Figures | None  # None: no programme recorded yet
    projects: dict[int, Figures] = field(default_factory=dict)

    def to_json(self, project_id: int | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"date": self.day.isoformat(), "at": self.at}
        if project_id is None:
            out["programme"] = self.programme.to_json() if self.programme else None
            out["projects"] = {f.code: f.to_json() for f in self.projects.values()}
        else:
            fig = self.projects.get(project_id)
            out["project"] = fig.to_json() if fig else None
        return out


@dataclass(frozen=True)
class Trend:
    """Weekly points, oldest first; the last is now."""

    points: Sequence[TrendPoint]

    @property
    def days(self) -> list[pendulum.Date]:
        return [p.day for p in self.points]

    def figures(self, project_id: int | None = None) -> list[Figures | None]:
        """One project's (None: the programme's) figures at each point (None where it was not there)."""
        if project_id is None:
            return [p.programme for p in self.points]
        return [p.projects.get(project_id) for p in self.points]

    def series(self, metric: str, project_id: int | None = None) -> list[Any]:
        """One figure over the points (None where there was no figure)."""
        return [f.value(metric) if f is not None else None for f in self.figures(project_id)]

    def with_now(self, now: TrendPoint) -> Trend:
        """The past points with `now` as the last (the live model's figures for this week)."""
        past = [p for p in self.points if p.day < now.day]
        return Trend([*past, now])

    def to_json(self, project_id: int | None = None) -> dict[str, Any]:
        return {
            "weeks": len(self.points),
            "points": [p.to_json(project_id) for p in self.points],
        }


def direction(metric: str, first: Any, last: Any) -> str:
    """ "better", "worse", "same" or "" (unknown) from the first to the last value of a figure."""
    if first is None or last is None:
        return ""
    sense = METRICS[metric]
    if sense == 0:
        a, b = _RAG_RANK.get(first), _RAG_RANK.get(last)
        if a is None or b is None:
            return ""
        return "same" if a == b else "better" if b < a else "worse"
    if isinstance(first, float) or isinstance(last, float):
        if not (math.isfinite(first) and math.isfinite(last)):
            return ""
        if round(last, 2) == round(first, 2):  # as shown (two decimals): no visible move
            return "same"
    elif first == last:
        return "same"
    return "better" if (last - first) * sense > 0 else "worse"
