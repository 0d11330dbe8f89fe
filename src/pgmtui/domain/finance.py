"""Finance: the programme's and each project's money by month, change requests and what approving
one does. Pure: rows in, figures out (the store applies approvals with `approval_effect`, the
finance screen previews them with it: one rule for both).

The EVM figures themselves come from evm.project_evm (via the rollup); this module adds the
monthly view (planned, actual, forecast and their cumulative sums: the S-curve), the programme's
run-out month, reserves, and the change-request rules.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pendulum

from pgmtui.domain import costplan
from pgmtui.domain.evm import Evm, fmt_money
from pgmtui.domain.history import value_at
from pgmtui.domain.models import Snapshot, as_date

__all__ = [
    "DECIDED",
    "FIGURES",
    "Approval",
    "MonthLine",
    "ProgrammeFinance",
    "ProjectFinance",
    "approval_effect",
    "earned_by_month",
    "impact_text",
    "month_lines",
    "programme_finance",
]

# The figures of `pgmtui finance --json`, per project and for the programme, in this order.
FIGURES = (
    "bac",
    "pv",
    "ev",
    "ac",
    "cv",
    "sv",
    "cpi",
    "spi",
    "eac",
    "etc",
    "vac",
    "tcpi",
    "eac_bottom_up",
    "burn_rate",
    "run_out",
)
DECIDED = ("approved", "rejected", "withdrawn")


@dataclass(frozen=True, slots=True)
class MonthLine:
    """One month of the S-curve. ``cum_actual`` stops (None) after the last month with an actual:
    the months to come have no actuals, and a flat line would claim nothing was spent."""

    month: str
    planned: float
    actual: float | None
    forecast: float | None
    cum_planned: float
    cum_actual: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "planned": self.planned,
            "actual": self.actual,
            "forecast": self.forecast,
            "cum_planned": self.cum_planned,
            "cum_actual": self.cum_actual,
        }


def month_lines(months: Sequence[costplan.MonthCost]) -> list[MonthLine]:
    """The months with their cumulative plan and actuals (see MonthLine)."""
    last = costplan.data_month(months)
    out: list[MonthLine] = []
    cum_planned = cum_actual = 0.0
    for m in months:
        cum_planned += m.planned
        cum_actual += m.actual or 0.0
        reported = last is not None and m.index <= last
        out.append(
            MonthLine(m.month, m.planned, m.actual, m.forecast, cum_planned, cum_actual if reported else None)
        )
    return out


def _figures(e: Evm) -> dict[str, Any]:
    return {name: getattr(e, name) for name in FIGURES}


@dataclass(frozen=True)
class ProjectFinance:
    project_id: int
    code: str
    name: str
    evm: Evm
    months: list[MonthLine] = field(default_factory=list)
    contingency: float | None = None  # what is left of the project's contingency
    baseline_end: pendulum.Date | None = None
    raised: int = 0  # change requests waiting for a decision
    raised_cost: float = 0.0  # their cost impact, added up

    @property
    def plan_total(self) -> float | None:
        """Everything the cost plan plans to spend (None without a plan)."""
        return self.months[-1].cum_planned if self.months else None

    @property
    def unplanned(self) -> float | None:
        """BAC not (yet) spread over months, e.g. after an approved change: BAC − plan total."""
        total = self.plan_total
        if total is None or self.evm.bac is None:
            return None
        return self.evm.bac - total

    def to_json(self) -> dict[str, Any]:
        """Exactly the keys of `pgmtui finance --json` (issue 14)."""
        return {"code": self.code, **_figures(self.evm), "months": [m.to_json() for m in self.months]}


@dataclass(frozen=True)
class ProgrammeFinance:
    today: pendulum.Date
    currency: str
    projects: list[ProjectFinance]
    total: Evm
    months: list[MonthLine] = field(default_factory=list)
    management_reserve: float | None = None  # what is left of the programme's reserve

    def project(self, code: str) -> ProjectFinance | None:
        code = code.lower()
        return next((p for p in self.projects if p.code.lower() == code), None)

    def by_id(self, project_id: int | None) -> ProjectFinance | None:
        return next((p for p in self.projects if p.project_id == project_id), None)

    @property
    def contingency(self) -> float:
        """The projects' contingency left, added up."""
        return sum(p.contingency or 0.0 for p in self.projects)

    def to_json(self, codes: Iterable[str] | None = None) -> dict[str, Any]:
        """`pgmtui finance --json`: the projects (all, or those named) and the programme total."""
        wanted = None if codes is None else {c.lower() for c in codes}
        return {
            "today": self.today.isoformat(),
            "currency": self.currency,
            "projects": [p.to_json() for p in self.projects if wanted is None or p.code.lower() in wanted],
            "total": {**_figures(self.total), "months": [m.to_json() for m in self.months]},
        }


def programme_finance(
    snapshot: Snapshot,
    project_evms: Mapping[int, Evm],
    total: Evm,
    today: Any,
    management_reserve: Any = None,
) -> ProgrammeFinance:
    """The finance view of a snapshot. ``project_evms`` are the projects' EVM figures by id and
    ``total`` the programme's (both from the rollup, so every screen shows the same numbers)."""
    day = as_date(today) if not isinstance(today, int) else pendulum.Date.fromordinal(today)
    assert day is not None
    costs: dict[Any, list[Mapping[str, Any]]] = {}
    for row in snapshot.table("cost"):
        costs.setdefault(row.get("project_id"), []).append(row)
    raised: dict[Any, list[float]] = {}
    for cr in snapshot.table("change_request"):
        if cr.get("status") == "raised":
            raised.setdefault(cr.get("project_id"), []).append(float(cr.get("cost_impact") or 0.0))
    contingency = {p["id"]: p.get("contingency") for p in snapshot.table("project")}
    projects = []
    for pr in sorted(snapshot.projects, key=lambda p: p.code.lower()):
        pending = raised.get(pr.id, [])
        projects.append(
            ProjectFinance(
                project_id=pr.id,
                code=pr.code,
                name=pr.name,
                evm=project_evms.get(pr.id) or Evm(),
                months=month_lines(costplan.monthly(costs.get(pr.id, []))),
                contingency=_float(contingency.get(pr.id)),
                baseline_end=pr.baseline_end,
                raised=len(pending),
                raised_cost=sum(pending),
            )
        )
    all_months = costplan.monthly(snapshot.table("cost"))
    # The programme's run-out, over the projects that report by month (the others have no burn
    # rate): what they have spent, at their burn rates added up, from the last month reported.
    burning = [e for e in project_evms.values() if e.burn_rate is not None]
    run_out = costplan.run_out_after(
        costplan.data_month(all_months),
        sum(e.ac or 0.0 for e in burning),
        sum(e.bac or 0.0 for e in burning) if burning else None,
        total.burn_rate,
    )
    programme = snapshot.programme
    return ProgrammeFinance(
        today=day,
        currency=programme.currency if programme else "GBP",
        projects=projects,
        total=dataclasses.replace(total, run_out=run_out),
        months=month_lines(all_months),
        management_reserve=_float(management_reserve),
    )


def _float(value: Any) -> float | None:
    return None if value is None or value == "" else float(value)


# ---------------------------------------------------------------------------- change requests


@dataclass(frozen=True)
class Approval:
    """What approving a change request does: the project's budget and baseline end before and
    after, and the pot it is funded from (contingency or the management reserve) before and after.
    ``problems`` says why it cannot be approved (the store refuses it with the first one)."""

    code: str
    budget: tuple[float | None, float | None]
    baseline_end: tuple[str | None, str | None]
    pot: str | None = None  # "contingency" (the project's), "reserve" (the programme's), None
    pot_left: tuple[float | None, float | None] = (None, None)
    problems: list[str] = field(default_factory=list)

    @property
    def project_changes(self) -> dict[str, Any]:
        """The project's fields that change (for the store's update)."""
        out: dict[str, Any] = {}
        if self.budget[0] != self.budget[1]:
            out["budget"] = self.budget[1]
        if self.baseline_end[0] != self.baseline_end[1]:
            out["baseline_end"] = self.baseline_end[1]
        if self.pot == "contingency" and self.pot_left[0] != self.pot_left[1]:
            out["contingency"] = self.pot_left[1]
        return out

    @property
    def reserve_change(self) -> float | None:
        """The programme's new management reserve, when the request draws on it."""
        if self.pot == "reserve" and self.pot_left[0] != self.pot_left[1]:
            return self.pot_left[1]
        return None

    def lines(self) -> list[str]:
        """The effect in words, one line per thing that moves (for the preview)."""
        out = []
        before, after = self.budget
        if before != after:
            out.append(f"{self.code} budget (BAC) {fmt_money(before)} → {fmt_money(after)}")
        start, end = self.baseline_end
        if start != end:
            out.append(f"{self.code} baseline end {start or '–'} → {end or '–'}")
        if self.pot is not None and self.pot_left[0] != self.pot_left[1]:
            whose = f"{self.code} contingency" if self.pot == "contingency" else "management reserve"
            out.append(f"{whose} {fmt_money(self.pot_left[0])} → {fmt_money(self.pot_left[1])}")
        if not out:
            out.append("nothing else changes (no cost or schedule impact)")
        return out


def impact_text(request: Mapping[str, Any]) -> str:
    """'+50 000, +14 d, from contingency' — a change request's impact in a few words."""
    cost = float(request.get("cost_impact") or 0.0)
    days = int(request.get("schedule_impact_days") or 0)
    parts = [f"{'+' if cost > 0 else ''}{fmt_money(cost)}" if cost else "no cost"]
    parts.append(f"{days:+d} d" if days else "no delay")
    funding = request.get("funding") or "change"
    parts.append(
        {"change": "new funding", "contingency": "from contingency", "reserve": "from reserve"}.get(
            funding, funding
        )
    )
    return ", ".join(parts)


def approval_effect(
    request: Mapping[str, Any], project: Mapping[str, Any], programme: Mapping[str, Any] | None
) -> Approval:
    """What approving ``request`` (a change_request row) does to ``project`` (its project's row)
    and ``programme`` (the programme row, for the management reserve): budget += cost impact,
    baseline end += schedule impact, and a drawdown from contingency or the reserve reduces that
    pot (a negative impact returns money to it). Nothing is refused silently: `problems` lists
    every reason the approval cannot be made."""
    code = str(project.get("code") or f"#{project.get('id')}")
    cost = float(request.get("cost_impact") or 0.0)
    days = int(request.get("schedule_impact_days") or 0)
    funding = request.get("funding") or "change"
    problems: list[str] = []

    budget_before = _float(project.get("budget"))
    budget_after = budget_before
    if cost:
        budget_after = (budget_before or 0.0) + cost
        if budget_after < 0:
            problems.append(
                f"{code}'s budget {fmt_money(budget_before)} cannot fall by {fmt_money(-cost)} (below zero)"
            )

    end_before = project.get("baseline_end") or None
    end_after = end_before
    if days:
        end_date = as_date(end_before)
        if end_date is None:
            problems.append(f"{code} has no baseline end to move by {days:+d} d; set its baseline_end first")
        else:
            end_after = end_date.add(days=days).isoformat()
            start = project.get("start_date")
            if start and end_after < start:
                problems.append(f"{code}'s baseline end would move to {end_after}, before its start {start}")

    pot: str | None = None
    pot_left: tuple[float | None, float | None] = (None, None)
    if funding == "contingency":
        pot = "contingency"
        left = _float(project.get("contingency")) or 0.0
        pot_left = (left, left - cost)
        if left - cost < 0:
            problems.append(
                f"{code}'s contingency is {fmt_money(left)}; this request draws {fmt_money(cost)}, "
                f"{fmt_money(cost - left)} more than is left (fund it as a change, or from the reserve)"
            )
    elif funding == "reserve":
        pot = "reserve"
        if programme is None:
            problems.append("there is no programme record holding a management reserve to draw on")
        else:
            left = _float(programme.get("management_reserve")) or 0.0
            pot_left = (left, left - cost)
            if left - cost < 0:
                problems.append(
                    f"the management reserve is {fmt_money(left)}; this request draws {fmt_money(cost)}, "
                    f"{fmt_money(cost - left)} more than is left"
                )
    return Approval(code, (budget_before, budget_after), (end_before, end_after), pot, pot_left, problems)


# ---------------------------------------------------------------------------- earned value over time


def earned_by_month(
    project: Mapping[str, Any], audit_rows: Iterable[Mapping[str, Any]], months: Sequence[str], today: Any
) -> list[tuple[str, float | None]]:
    """Earned value at the end of each month (today for the current one), from the project's audit
    trail: BAC × % complete as they stood then. None for months before the project was recorded,
    and for months after today's (nothing is earned in the future)."""
    day = as_date(today)
    assert day is not None
    current = day.year * 12 + day.month - 1
    rows = sorted(audit_rows, key=lambda a: (str(a.get("ts") or ""), a.get("id") or 0))
    out: list[tuple[str, float | None]] = []
    for month in months:
        index = costplan.month_index(month)
        if index > current:
            out.append((month, None))
            continue
        if index == current:
            state: Mapping[str, Any] | None = project
        else:
            end = costplan.month_text(index + 1) + "-01"  # midnight after the month's last day
            state = value_at(project, [a for a in rows if str(a.get("ts") or "") >= end])
        budget, pct = (state or {}).get("budget"), (state or {}).get("percent_complete")
        ev = None if state is None or budget is None or pct is None else float(budget) * float(pct) / 100.0
        out.append((month, ev))
    return out
