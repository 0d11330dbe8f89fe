"""The live business case: a project's (or the programme's) cash flow by year, NPV, ROI, payback and
whether it is still viable — recomputed from the EAC and the benefit forecasts on every refresh.

Year k of a case is [base_date + k years, base_date + k + 1 years), k = 0 … horizon − 1.

Costs: the project's EAC (``project_evm``: BAC / CPI, or BAC while CPI is undefined), placed in time
  - by the cost plan where the project has one: months with an actual keep it (money already spent),
    the rest of the EAC goes to the other months in proportion to their forecast (else planned)
    amounts; a month's amount is spread evenly over its days;
  - else evenly over the months from start_date to forecast_end (each month an equal share, spread
    over the days of the month that fall inside the project);
  plus annual_running_cost a year from the day after forecast_end.
Benefits: each linked benefit's annual_value × its realisation factor a year from its target_date
  (a dis-benefit's annual_value counts against the case). The factor is the forecast realisation
  (the trend projected to the target date; once the date has passed, what was realised), capped at
  100 % and never below 0; a benefit without measurements counts at 100 % and is flagged unmeasured.
Yearly rates are pro-rata by days inside each year (a leap year has 366 days). Money that falls
before the base date or after the horizon is outside the appraisal (reported, not counted).

NPV = Σ_k (benefits_k − costs_k) / (1 + r)^k; ROI % = (Σ benefits − Σ costs) / Σ costs × 100,
undiscounted; payback = years from base_date until the cumulative undiscounted net turns ≥ 0, linear
inside the year (None when it does not within the horizon).

Viability: R when NPV < 0; A when NPV ≥ 0 but a benefit it counts is at risk or off track, or
unmeasured past its target date; else G; None (not assessed) when the NPV cannot be computed.

Pure: no store, no UI. Dates are compared as ordinals.
"""

from __future__ import annotations

import calendar
from bisect import bisect_right
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pendulum

from pgmtui.domain.benefits import AT_RISK, NO_DATA, OFF_TRACK, BenefitStatus, benefit_statuses
from pgmtui.domain.evm import fmt_money, project_evm
from pgmtui.domain.models import Benefit, Project, Snapshot, as_date
from pgmtui.domain.rag import Evidence

__all__ = [
    "DEFAULT_DISCOUNT_RATE_PCT",
    "DEFAULT_HORIZON_YEARS",
    "DIMENSION",
    "BenefitLine",
    "CaseBook",
    "CaseResult",
    "CaseYear",
    "Span",
    "Stream",
    "Viability",
    "appraise",
    "business_case_evidence",
    "even_monthly_spans",
    "month_span",
    "place_spans",
    "place_streams",
    "plan_spans",
    "project_eac",
    "realisation_factor",
    "year_bounds",
]

DEFAULT_DISCOUNT_RATE_PCT = 3.5
DEFAULT_HORIZON_YEARS = 5
DIMENSION = "business case"  # the RAG evidence dimension
_EPS = 1e-9


# ---------------------------------------------------------------------------- placing money in years


@dataclass(frozen=True, slots=True)
class Span:
    """An amount spread evenly over the days [start, end) (ordinals)."""

    start: int
    end: int
    amount: float


@dataclass(frozen=True, slots=True)
class Stream:
    """A yearly rate from a day (ordinal) on, for ever (the horizon cuts it)."""

    start: int
    per_year: float


def _years_later(base: date, years: int) -> int:
    """The ordinal of ``base`` + ``years`` calendar years (29 February → the 28th in other years)."""
    year = base.year + years
    day = base.day
    if base.month == 2 and day == 29 and not calendar.isleap(year):
        day = 28
    return date(year, base.month, day).toordinal()


def _month_start(year: int, month: int) -> int:
    """The ordinal of the first day of ``month`` (13 → January of the next year)."""
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1).toordinal()


def year_bounds(base: date, horizon: int) -> list[tuple[int, int]]:
    """[start, end) ordinals of years 0 … horizon − 1 from ``base`` (calendar years, so a year holding
    29 February has 366 days; a base of 29 February moves to the 28th in other years)."""
    return [(_years_later(base, k), _years_later(base, k + 1)) for k in range(horizon)]


def place_spans(spans: Iterable[Span], bounds: Sequence[tuple[int, int]]) -> tuple[list[float], float, float]:
    """Each span's amount shared between the years by the days it has in each.

    Returns (per year, amount before the first year, amount after the last year)."""
    out = [0.0] * len(bounds)
    before = after = 0.0
    first, last = (bounds[0][0], bounds[-1][1]) if bounds else (0, 0)
    starts = [ys for ys, _ in bounds]  # contiguous years: a span's first year is found by bisection
    for s in spans:
        days = s.end - s.start
        if days <= 0 or not s.amount:
            continue
        per_day = s.amount / days
        for k in range(max(0, bisect_right(starts, s.start) - 1), len(bounds)):
            ys, ye = bounds[k]
            if ys >= s.end:
                break
            overlap = min(s.end, ye) - max(s.start, ys)
            if overlap > 0:
                out[k] += per_day * overlap
        if s.start < first:
            before += per_day * (min(s.end, first) - s.start)
        if s.end > last:
            after += per_day * (s.end - max(s.start, last))
    return out, before, after


def place_streams(streams: Iterable[Stream], bounds: Sequence[tuple[int, int]]) -> list[float]:
    """Each stream's yearly rate, pro-rata by the days of each year from its start."""
    out = [0.0] * len(bounds)
    for s in streams:
        if not s.per_year:
            continue
        for k, (ys, ye) in enumerate(bounds):
            days = ye - max(ys, s.start)
            if days > 0:
                out[k] += s.per_year * days / (ye - ys)
    return out


def month_span(month: str) -> tuple[int, int]:
    """'YYYY-MM' → [first day, first day of the next month) as ordinals."""
    year, mon = int(month[:4]), int(month[5:7])
    return _month_start(year, mon), _month_start(year, mon + 1)


def even_monthly_spans(start: date, end: date, amount: float) -> list[Span]:
    """``amount`` in equal shares over the calendar months from ``start`` to ``end`` (inclusive),
    each share spread over that month's days inside [start, end]."""
    if end < start:
        end = start
    months: list[tuple[int, int]] = []
    first, last = start.toordinal(), end.toordinal() + 1
    for k in range((end.year - start.year) * 12 + end.month - start.month + 1):
        a = _month_start(start.year, start.month + k)
        b = _month_start(start.year, start.month + k + 1)
        months.append((max(a, first), min(b, last)))
    share = amount / len(months)
    return [Span(a, b, share) for a, b in months]


def plan_spans(
    cost_rows: Iterable[Mapping[str, Any]], eac: float, today: int, fallback_end: pendulum.Date | None
) -> tuple[list[Span], str]:
    """The EAC placed by a project's cost plan (rows: month, planned, actual, forecast).

    Months with an actual keep it; what the EAC leaves (never below 0) goes to the other months in
    proportion to their forecast, else planned, amount. With nothing left to weigh it by, the rest
    is spread evenly from today's month to ``fallback_end`` (the forecast end). Returns the spans
    and how the costs were placed, in words."""
    spent: dict[str, float] = {}
    weight: dict[str, float] = {}
    for row in cost_rows:
        month = row.get("month")
        if not month:
            continue
        actual = row.get("actual")
        if actual is not None:
            spent[month] = spent.get(month, 0.0) + float(actual)
            continue
        value = row.get("forecast")
        if value is None:
            value = row.get("planned")
        weight[month] = weight.get(month, 0.0) + float(value or 0.0)
    spans = [Span(*month_span(m), amount) for m, amount in sorted(spent.items())]
    remaining = max(0.0, eac - sum(spent.values()))
    total_weight = sum(weight.values())
    if total_weight > 0:
        spans += [Span(*month_span(m), remaining * w / total_weight) for m, w in sorted(weight.items()) if w]
        return spans, "cost plan"
    if remaining > _EPS:
        start = pendulum.Date.fromordinal(today)
        end = fallback_end if fallback_end is not None and fallback_end >= start else start
        spans += even_monthly_spans(start, end, remaining)
        return spans, "cost plan actuals; the rest spread evenly to the forecast end"
    return spans, "cost plan actuals"


# ---------------------------------------------------------------------------- the appraisal


@dataclass(frozen=True, slots=True)
class CaseYear:
    k: int
    start: date  # plain dates: a programme case has hundreds of years to make
    end: date  # exclusive: the next year's start
    costs: float
    benefits: float
    net: float
    discounted: float
    cumulative: float  # undiscounted net to the end of this year

    def to_json(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "start": self.start.isoformat(),
            "end": date.fromordinal(self.end.toordinal() - 1).isoformat(),  # the last day inside the year
            "costs": self.costs,
            "benefits": self.benefits,
            "net": self.net,
            "discounted": self.discounted,
            "cumulative": self.cumulative,
        }


def appraise(
    bounds: Sequence[tuple[int, int]], costs: Sequence[float], benefits: Sequence[float], rate_pct: float
) -> tuple[list[CaseYear], float, float | None, float | None]:
    """Years, NPV, ROI % and payback (years) from costs and benefits per year."""
    years: list[CaseYear] = []
    npv = 0.0
    cumulative = 0.0
    payback: float | None = None
    factor = 1.0 + rate_pct / 100.0
    for k, ((ys, ye), cost, benefit) in enumerate(zip(bounds, costs, benefits, strict=True)):
        net = benefit - cost
        discounted = net / factor**k
        npv += discounted
        before = cumulative
        cumulative += net
        if payback is None and cumulative >= -_EPS:
            # Linear inside the year: the share of this year's net that covers what was still owed
            # (every earlier year ended below zero, so `before` < 0 and `net` > 0 unless k = 0).
            payback = k + (-before / net if before < -_EPS else 0.0)
        years.append(
            CaseYear(
                k,
                date.fromordinal(ys),
                date.fromordinal(ye),
                cost,
                benefit,
                net,
                discounted,
                cumulative,
            )
        )
    total_costs = sum(costs)
    roi = (sum(benefits) - total_costs) / total_costs * 100.0 if total_costs > _EPS else None
    if total_costs <= _EPS:
        payback = None  # nothing to pay back
    return years, npv, roi, payback


# ---------------------------------------------------------------------------- benefits and viability


def realisation_factor(status: BenefitStatus, today: int) -> tuple[float, bool]:
    """(factor 0..1, measured?) for a benefit: its forecast realisation capped at 100 %.

    Before the target date the forecast is the trend projected to it; after, what was realised.
    No measurements (or no realisation figure) → 1.0, unmeasured."""
    if status.status == NO_DATA:
        return 1.0, False
    past = status.target_date is not None and status.target_date.toordinal() < today
    pct = status.realisation_pct if past else status.projected_pct
    if pct is None:
        pct = status.realisation_pct
    if pct is None:
        return 1.0, False
    return max(0.0, min(pct, 100.0)) / 100.0, True


@dataclass(frozen=True, slots=True)
class BenefitLine:
    """One benefit as the case counts it."""

    benefit_id: int
    name: str
    kind: str
    annual_value: float | None  # as recorded (a dis-benefit's is a yearly cost)
    factor: float | None  # realisation factor counted (None: not counted)
    measured: bool
    status: str
    target_date: pendulum.Date | None
    counted: bool
    total: float = 0.0  # undiscounted value inside the horizon (negative for a dis-benefit)
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.benefit_id,
            "name": self.name,
            "kind": self.kind,
            "annual_value": self.annual_value,
            "factor": self.factor,
            "measured": self.measured,
            "status": self.status,
            "target_date": self.target_date.isoformat() if self.target_date else None,
            "counted": self.counted,
            "total": self.total,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Viability:
    rag: str | None
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"rag": self.rag, "reasons": list(self.reasons)}


def _viability(npv: float | None, lines: Sequence[BenefitLine], why_none: str, today: int) -> Viability:
    if npv is None:
        return Viability(None, (why_none,))
    if npv < 0:
        return Viability("R", (f"NPV {fmt_money(npv)} is below zero: the case no longer pays for itself",))
    reasons: list[str] = []
    for line in lines:
        if not line.counted:
            continue
        if line.status in (AT_RISK, OFF_TRACK):
            reasons.append(f"benefit '{line.name}' it counts is {line.status.lower()}")
        elif not line.measured and line.target_date is not None and line.target_date.toordinal() < today:
            reasons.append(
                f"benefit '{line.name}' it counts is unmeasured past its target date "
                f"{line.target_date.isoformat()}"
            )
    if reasons:
        return Viability("A", (f"NPV {fmt_money(npv)} ≥ 0, but " + reasons[0], *reasons[1:]))
    unmeasured = sum(1 for line in lines if line.counted and not line.measured)
    tail = f"; {unmeasured} benefit(s) unmeasured, counted at 100 %" if unmeasured else ""
    return Viability("G", (f"NPV {fmt_money(npv)} ≥ 0 and the benefits it counts are on course{tail}",))


# ---------------------------------------------------------------------------- one case


@dataclass(frozen=True, slots=True)
class CaseResult:
    project_id: int | None  # None: the programme's own case
    label: str  # project code, or "programme"
    record_id: int | None  # the business_case row (None: computed with the defaults)
    base_date: pendulum.Date | None
    horizon_years: int
    discount_rate_pct: float
    rate_source: str  # "case" or "programme"
    eac: float | None
    eac_basis: str
    cost_basis: str
    annual_running_cost: float
    years: tuple[CaseYear, ...]
    npv: float | None
    roi_pct: float | None
    payback_years: float | None
    total_costs: float | None
    total_benefits: float | None
    outside_horizon: float  # costs that fall before the base date or after the horizon
    benefits: tuple[BenefitLine, ...]
    viability: Viability
    options: str | None = None
    chosen_option: str | None = None
    notes: str | None = None
    problems: tuple[str, ...] = ()  # why figures are missing

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "project": None if self.project_id is None else self.label,
            "label": self.label,
            "id": self.record_id,
            "base_date": self.base_date.isoformat() if self.base_date else None,
            "horizon_years": self.horizon_years,
            "discount_rate_pct": self.discount_rate_pct,
            "discount_rate_from": self.rate_source,
            "eac": self.eac,
            "eac_basis": self.eac_basis,
            "cost_basis": self.cost_basis,
            "annual_running_cost": self.annual_running_cost,
            "npv": self.npv,
            "roi_pct": self.roi_pct,
            "payback_years": self.payback_years,
            "total_costs": self.total_costs,
            "total_benefits": self.total_benefits,
            "costs_outside_horizon": self.outside_horizon,
            "viability": self.viability.to_json(),
            "years": [y.to_json() for y in self.years],
            "benefits": [b.to_json() for b in self.benefits],
            "options": self.options,
            "chosen_option": self.chosen_option,
            "notes": self.notes,
        }
        reasons = {
            key: "; ".join(self.problems)
            for key in ("npv", "roi_pct", "payback_years")
            if out[key] is None and self.problems
        }
        if out["roi_pct"] is None and "roi_pct" not in reasons and self.years:
            reasons["roi_pct"] = "no costs inside the horizon"
        if out["payback_years"] is None and "payback_years" not in reasons and self.years:
            reasons["payback_years"] = (
                "no costs inside the horizon"
                if not self.total_costs
                else "the cumulative net stays below zero within the horizon"
            )
        if reasons:
            out["null_reasons"] = reasons
        return out


def project_eac(project: Project, today: int) -> tuple[float | None, str]:
    """The EAC the case counts, and in words where it comes from."""
    e = project_evm(project, today)  # EAC needs no plan: AC is the project's (derived) actual cost
    if e.eac is not None and e.cpi is not None:
        return e.eac, f"EAC = BAC / CPI ({e.cpi:.3f})"
    if project.budget is not None:
        return project.budget, "BAC (CPI undefined: nothing earned or spent yet)"
    return None, "no budget (BAC)"


def _num(value: Any) -> float | None:
    if value is None or value == "":
        return None
    return float(value)


def _case_indexes(snapshot: Snapshot) -> tuple[Any, ...]:
    """A CaseBook's lookups: cases by project (None: the programme's), cost rows by project,
    annual values by benefit, benefits by id and the benefits of each project."""
    cases: dict[int | None, Mapping[str, Any]] = {}
    for row in snapshot.table("business_case"):
        cases[row.get("project_id")] = row
    costs: dict[int, list[Mapping[str, Any]]] = {}
    for row in snapshot.table("cost"):
        costs.setdefault(row["project_id"], []).append(row)
    annual_values: dict[int, float] = {}
    for row in snapshot.table("benefit"):
        value = _num(row.get("annual_value"))
        if value:
            annual_values[row["id"]] = value
    benefits: dict[int, Benefit] = {b.id: b for b in snapshot.benefits}
    benefits_of: dict[int, list[int]] = {}
    for bid, pids in snapshot.benefit_projects.items():
        for pid in pids:
            benefits_of.setdefault(pid, []).append(bid)
    return cases, costs, annual_values, benefits, benefits_of


class CaseBook:
    """Every business case of a snapshot, computed on demand from indexes built once.

    ``CaseBook.of`` hands back the book last made for the very same snapshot and day, so the
    rollup's `business case` evidence and the Governance screen share one set of cases."""

    _last: CaseBook | None = None

    @classmethod
    def of(cls, snapshot: Snapshot, today: int) -> CaseBook:
        last = cls._last
        if last is not None and last.snapshot is snapshot and last.today == today:
            return last
        book = cls._last = cls(snapshot, today)
        return book

    def __init__(self, snapshot: Snapshot, today: int):
        self.snapshot = snapshot
        self.today = today
        self.projects: dict[int, Project] = {p.id: p for p in snapshot.projects}
        indexes = snapshot.memo.get(
            "casebook.indexes",
            (),
            (
                snapshot.table("business_case"),
                snapshot.table("cost"),
                snapshot.table("benefit"),
                snapshot.benefits,
                snapshot.benefit_projects,
            ),
            lambda: _case_indexes(snapshot),
        )
        self.cases, self.costs, self.annual_values, self.benefits, self.benefits_of = indexes
        self._statuses: dict[int, BenefitStatus] | None = None
        self._project_cases: dict[int, CaseResult] = {}
        self._costs: dict[int, tuple[list[Span], list[Stream], float | None, str, str, list[str]]] = {}
        programme = snapshot.programme
        self.programme_rate = programme.discount_rate_pct if programme else DEFAULT_DISCOUNT_RATE_PCT
        self.programme_start = programme.start_date if programme else None

    # -- benefits

    def status(self, benefit_id: int) -> BenefitStatus:
        if self._statuses is None:  # shared with the rollup of the same build (Snapshot.memo)
            self._statuses = benefit_statuses(self.snapshot, self.today)
        return self._statuses[benefit_id]

    def _benefit_lines(self, benefit_ids: Iterable[int]) -> tuple[list[BenefitLine], list[Stream]]:
        lines: list[BenefitLine] = []
        streams: list[Stream] = []
        for bid in sorted(set(benefit_ids)):
            b = self.benefits.get(bid)
            if b is None:
                continue
            value = self.annual_values.get(bid)
            st = self.status(bid)
            if value is None:
                lines.append(
                    BenefitLine(
                        bid,
                        b.name,
                        b.kind,
                        None,
                        None,
                        st.status != NO_DATA,
                        st.status,
                        b.target_date,
                        False,
                        note="no annual value",
                    )
                )
                continue
            factor, measured = realisation_factor(st, self.today)
            if b.target_date is None:
                lines.append(
                    BenefitLine(
                        bid,
                        b.name,
                        b.kind,
                        value,
                        None,
                        measured,
                        st.status,
                        None,
                        False,
                        note="no target date: not placed in time",
                    )
                )
                continue
            signed = -value if b.is_dis_benefit else value
            streams.append(Stream(b.target_date.toordinal(), signed * factor))
            note = "" if measured else "unmeasured: counted at 100 %"
            lines.append(
                BenefitLine(
                    bid, b.name, b.kind, value, factor, measured, st.status, b.target_date, True, note=note
                )
            )
        return lines, streams

    # -- costs

    def _project_costs(
        self, project: Project, case: Mapping[str, Any] | None, eac_given: float | None = None
    ) -> tuple[list[Span], list[Stream], float | None, str, str, list[str]]:
        problems: list[str] = []
        if eac_given is None:
            eac, eac_basis = project_eac(project, self.today)
        else:
            eac, eac_basis = eac_given, "assumed"
        spans: list[Span] = []
        cost_basis = ""
        if eac is None:
            problems.append(f"{project.code} has no budget (BAC), so its costs are unknown")
        else:
            rows = self.costs.get(project.id)
            if rows:
                spans, cost_basis = plan_spans(rows, eac, self.today, project.forecast_end)
            elif project.start_date is not None:
                end = project.forecast_end or project.baseline_end or project.start_date
                spans = even_monthly_spans(project.start_date, end, eac)
                cost_basis = "spread evenly over the months from start to forecast end"
            else:
                problems.append(f"{project.code} has no start date, so its costs cannot be placed in time")
        streams: list[Stream] = []
        running = _num(case.get("annual_running_cost")) if case else None
        if running:
            live_from = project.forecast_end or project.baseline_end
            if live_from is None:
                problems.append(f"{project.code} has no forecast end, so its running cost cannot start")
            else:
                streams.append(Stream(live_from.toordinal() + 1, -running))
        return spans, streams, eac, eac_basis, cost_basis, problems

    def _costs_of(
        self, project: Project
    ) -> tuple[list[Span], list[Stream], float | None, str, str, list[str]]:
        """A project's own costs, placed once (its case and the programme's both count them)."""
        found = self._costs.get(project.id)
        if found is None:
            found = self._costs[project.id] = self._project_costs(project, self.cases.get(project.id))
        return found

    # -- the cases

    def has_case(self, project_id: int | None) -> bool:
        return project_id in self.cases

    def project_case(self, project_id: int) -> CaseResult:
        """The project's case (its business_case row's settings, else the defaults)."""
        found = self._project_cases.get(project_id)
        if found is None:
            found = self._project_cases[project_id] = self._project_case(project_id)
        return found

    def what_if(
        self,
        project_id: int,
        *,
        eac: float | None = None,
        forecast_end: pendulum.Date | None = None,
        benefits: bool = True,
    ) -> CaseResult:
        """The project's case had its EAC been ``eac``, its forecast end ``forecast_end`` or its
        benefits never come (``benefits=False``): what an exception report's options are worth."""
        project = self.projects[project_id]
        if forecast_end is not None:
            project = replace(project, forecast_end=forecast_end)
        return self._project_case(project_id, project=project, eac=eac, benefits=benefits)

    def _project_case(
        self,
        project_id: int,
        *,
        project: Project | None = None,
        eac: float | None = None,
        benefits: bool = True,
    ) -> CaseResult:
        project = project or self.projects[project_id]
        case = self.cases.get(project_id)
        if project is self.projects[project_id] and eac is None:
            spans, cost_streams, eac, eac_basis, cost_basis, problems = self._costs_of(project)
            spans, cost_streams, problems = list(spans), list(cost_streams), list(problems)
        else:  # a what-if
            spans, cost_streams, eac, eac_basis, cost_basis, problems = self._project_costs(
                project, case, eac
            )
        lines, benefit_streams = self._benefit_lines(self.benefits_of.get(project_id, ()) if benefits else ())
        base = as_date(case.get("base_date")) if case else None
        base = base or project.start_date
        if base is None:
            problems.append(f"{project.code} has no start date and the case no base date")
        return self._finish(
            project_id,
            project.code,
            case,
            base,
            spans,
            cost_streams,
            benefit_streams,
            lines,
            eac,
            eac_basis,
            cost_basis,
            problems,
        )

    def programme_case(self) -> CaseResult:
        """The whole programme: every project's placed EAC and running cost, every valued benefit
        once, the programme case's own running cost; based on the programme's start date."""
        case = self.cases.get(None)
        spans: list[Span] = []
        cost_streams: list[Stream] = []
        problems: list[str] = []
        eac_total = 0.0
        have_eac = False
        for project in self.snapshot.projects:
            p_spans, p_streams, eac, _, _, p_problems = self._costs_of(project)
            spans += p_spans
            cost_streams += p_streams
            problems += p_problems
            if eac is not None:
                eac_total += eac
                have_eac = True
        running = _num(case.get("annual_running_cost")) if case else None
        base = (as_date(case.get("base_date")) if case else None) or self.programme_start
        if base is None:
            starts = [p.start_date for p in self.snapshot.projects if p.start_date is not None]
            base = min(starts) if starts else None
        if running and base is not None:
            ends = [p.forecast_end or p.baseline_end for p in self.snapshot.projects]
            last = max((e for e in ends if e is not None), default=base)
            cost_streams.append(Stream(last.toordinal() + 1, -running))
        lines, benefit_streams = self._benefit_lines(self.annual_values)
        if base is None:
            problems.append("the programme has no start date and no project has one")
        return self._finish(
            None,
            "programme",
            case,
            base,
            spans,
            cost_streams,
            benefit_streams,
            lines,
            eac_total if have_eac else None,
            "Σ project EACs",
            "each project's costs placed as in its own case",
            problems,
        )

    def _finish(
        self,
        project_id: int | None,
        label: str,
        case: Mapping[str, Any] | None,
        base: pendulum.Date | None,
        spans: list[Span],
        cost_streams: list[Stream],
        benefit_streams: list[Stream],
        lines: list[BenefitLine],
        eac: float | None,
        eac_basis: str,
        cost_basis: str,
        problems: list[str],
    ) -> CaseResult:
        rate = _num(case.get("discount_rate_pct")) if case else None
        rate_source = "case" if rate is not None else "programme"
        if rate is None:
            rate = self.programme_rate
        horizon = int(case.get("horizon_years") or DEFAULT_HORIZON_YEARS) if case else DEFAULT_HORIZON_YEARS
        running = (_num(case.get("annual_running_cost")) if case else None) or 0.0
        years: list[CaseYear] = []
        npv: float | None = None
        roi: float | None = None
        payback: float | None = None
        total_costs: float | None = None
        total_benefits: float | None = None
        outside = 0.0
        if base is not None and not problems:
            bounds = year_bounds(base, horizon)
            costs, before, after = place_spans(spans, bounds)
            outside = before + after
            # A running cost is a negative stream; a dis-benefit is a negative benefit.
            for k, value in enumerate(place_streams(cost_streams, bounds)):
                costs[k] -= value
            benefits = place_streams(benefit_streams, bounds)
            years, npv, roi, payback = appraise(bounds, costs, benefits, rate)
            total_costs, total_benefits = sum(costs), sum(benefits)
            lines = [self._with_total(line, bounds) for line in lines]
        why = "; ".join(problems) or "no base date"
        viability = _viability(npv, lines, f"not assessed: {why}", self.today)
        return CaseResult(
            project_id=project_id,
            label=label,
            record_id=case.get("id") if case else None,
            base_date=base,
            horizon_years=horizon,
            discount_rate_pct=rate,
            rate_source=rate_source,
            eac=eac,
            eac_basis=eac_basis,
            cost_basis=cost_basis,
            annual_running_cost=running,
            years=tuple(years),
            npv=npv,
            roi_pct=roi,
            payback_years=payback,
            total_costs=total_costs,
            total_benefits=total_benefits,
            outside_horizon=outside,
            benefits=tuple(lines),
            viability=viability,
            options=case.get("options") if case else None,
            chosen_option=case.get("chosen_option") if case else None,
            notes=case.get("notes") if case else None,
            problems=tuple(problems),
        )

    def _with_total(self, line: BenefitLine, bounds: Sequence[tuple[int, int]]) -> BenefitLine:
        if not line.counted or line.target_date is None or line.annual_value is None:
            return line
        signed = -line.annual_value if line.kind == "dis-benefit" else line.annual_value
        total = sum(
            place_streams([Stream(line.target_date.toordinal(), signed * (line.factor or 0.0))], bounds)
        )
        return BenefitLine(
            line.benefit_id,
            line.name,
            line.kind,
            line.annual_value,
            line.factor,
            line.measured,
            line.status,
            line.target_date,
            line.counted,
            total,
            line.note,
        )

    def recorded_cases(self) -> list[CaseResult]:
        """Every case with a business_case row: the programme's first, then projects in order."""
        out = [self.programme_case()] if None in self.cases else []
        out += [self.project_case(p.id) for p in self.snapshot.projects if p.id in self.cases]
        return out


# ---------------------------------------------------------------------------- RAG evidence


def _evidence(result: CaseResult) -> Evidence:
    v = result.viability
    if v.rag is None:
        return Evidence(DIMENSION, None, f"business case {v.reasons[0] if v.reasons else 'not assessed'}")
    over = f"over {result.horizon_years} y at {result.discount_rate_pct:g} %"
    if v.rag == "R":
        return Evidence(
            DIMENSION,
            "R",
            f"NPV {fmt_money(result.npv)} {over} (EAC {fmt_money(result.eac)}): the case no longer pays",
        )
    if v.rag == "A":
        return Evidence(DIMENSION, "A", v.reasons[0])
    roi = f", ROI {result.roi_pct:.0f} %" if result.roi_pct is not None else ""
    return Evidence(DIMENSION, "G", f"NPV {fmt_money(result.npv)} {over}{roi}")


def business_case_evidence(
    snapshot: Snapshot, today: int, *, only: Collection[int] | None = None
) -> dict[int, Evidence]:
    """The `business case` RAG dimension of every project that has a business case recorded
    (of the projects in ``only`` when given: a live build asks again for the changed ones)."""
    if not any(row.get("project_id") is not None for row in snapshot.table("business_case")):
        return {}
    book = CaseBook.of(snapshot, today)
    wanted = book.projects if only is None else [pid for pid in only if pid in book.projects]
    return {pid: _evidence(book.project_case(pid)) for pid in wanted if pid in book.cases}
