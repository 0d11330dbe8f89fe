"""The figures of a PRINCE2 exception report: which tolerance a project's forecast breaks, what that
does, what the options are worth and which one the figures point to.

A project is in exception when its forecast breaks a tolerance the programme set:
- time: the forecast end is later than the baseline end by more than the schedule tolerance, or an
  incoming dependency is late by more than it (the project's RAG evidence says R);
- cost: the EAC exceeds the BAC by more than the cost tolerance;
- benefits: the business case is no longer viable (NPV < 0).

Options, each with its effect on the business case (CaseBook.what_if):
- A  re-baseline to the forecast (new end date and budget; the board sets new tolerances);
- B  recover to tolerance (the cost performance the rest of the work needs — TCPI against
     BAC × (1 + tolerance) — and the days to win back);
- C  draw on the project's contingency (when it has one) for the overspend beyond tolerance;
- D  stop now (premature closure): no further cost, no benefits.
Recommendation: A when the case stays viable at the forecast; else B when recovering to tolerance
makes it viable and needs a CPI of at most 1.2; else D when stopping loses less than carrying on;
else B, referred to the programme board. Not assessable (no case figures): A, with a business case
asked for.

Pure: no store, no UI.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pgmtui.domain.business_case import CaseBook, CaseResult
from pgmtui.domain.evm import fmt_money
from pgmtui.domain.models import Project, Tolerances
from pgmtui.domain.rollup import ProjectRollup

__all__ = ["FEASIBLE_TCPI", "Breach", "ExceptionCase", "Option", "assess_exception"]

FEASIBLE_TCPI = 1.2  # a recovery needing better cost performance than this is not credible


@dataclass(frozen=True, slots=True)
class Breach:
    dimension: str  # time, cost, benefits
    text: str
    forecast: float | None = None
    tolerance: float | None = None
    beyond: float | None = None  # how far past the tolerance (days or money)

    def to_json(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "text": self.text,
            "forecast": self.forecast,
            "tolerance": self.tolerance,
            "beyond_tolerance": self.beyond,
        }


@dataclass(frozen=True, slots=True)
class Option:
    key: str  # A, B, C, D
    title: str
    text: str
    npv: float | None = None
    viability: str | None = None
    feasible: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "option": self.key,
            "title": self.title,
            "text": self.text,
            "npv": self.npv,
            "viability": self.viability,
            "feasible": self.feasible,
        }


@dataclass(frozen=True)
class ExceptionCase:
    project_id: int
    code: str
    breaches: list[Breach]
    consequences: list[str]
    options: list[Option]
    recommendation: str  # the option key
    recommendation_text: str
    case: CaseResult | None
    case_at_budget: CaseResult | None
    within: list[str] = field(default_factory=list)  # what holds, in words (tolerances not broken)

    @property
    def in_exception(self) -> bool:
        return bool(self.breaches)


def _npv_text(case: CaseResult | None) -> str:
    if case is None or case.npv is None:
        return "the business case cannot be valued"
    return f"NPV {fmt_money(case.npv)} ({case.viability.rag or '–'})"


def _breaches(pr: ProjectRollup, project: Project, tol: Tolerances, case: CaseResult | None) -> list[Breach]:
    out: list[Breach] = []
    slip = pr.slip_days
    if slip is not None and slip > tol.schedule_days:
        out.append(
            Breach(
                "time",
                f"forecast end {project.forecast_end.isoformat() if project.forecast_end else '–'} is "
                f"{slip} d after the baseline end "
                f"{project.baseline_end.isoformat() if project.baseline_end else '–'}: "
                f"{slip - tol.schedule_days} d beyond the {tol.schedule_days} d tolerance",
                slip,
                tol.schedule_days,
                slip - tol.schedule_days,
            )
        )
    for e in pr.rag.evidence:
        if e.dimension == "dependencies" and e.rag == "R":
            out.append(Breach("time", f"incoming dependency: {e.text}"))
    bac, eac = pr.evm.bac, pr.evm.eac
    if bac and eac is not None:
        limit = bac * (1 + tol.cost_pct / 100.0)
        if eac > limit + 1e-6:
            out.append(
                Breach(
                    "cost",
                    f"EAC {fmt_money(eac)} is {(eac - bac) / bac * 100:.1f} % over the BAC {fmt_money(bac)}: "
                    f"{fmt_money(eac - limit)} beyond the {tol.cost_pct:g} % tolerance",
                    eac,
                    limit,
                    eac - limit,
                )
            )
    if case is not None and case.viability.rag == "R":
        out.append(
            Breach(
                "benefits",
                f"the business case is no longer viable: NPV {fmt_money(case.npv)} over "
                f"{case.horizon_years} years at {case.discount_rate_pct:g} %",
                case.npv,
                0.0,
                case.npv,
            )
        )
    return out


def _within(pr: ProjectRollup, tol: Tolerances, case: CaseResult | None, broken: set[str]) -> list[str]:
    out = []
    if "time" not in broken:
        slip = pr.slip_days
        out.append(
            f"time: slip {slip if slip is not None else '–'} d within the {tol.schedule_days} d tolerance"
        )
    if "cost" not in broken:
        out.append(
            f"cost: EAC {fmt_money(pr.evm.eac)} against BAC {fmt_money(pr.evm.bac)} within the "
            f"{tol.cost_pct:g} % tolerance"
        )
    if "benefits" not in broken:
        out.append(f"benefits: {_npv_text(case)}")
    return out


def assess_exception(
    pr: ProjectRollup,
    project: Project,
    tol: Tolerances,
    book: CaseBook,
    *,
    downstream: Iterable[str] = (),
    benefits: Iterable[tuple[str, str]] = (),
    contingency: float = 0.0,
) -> ExceptionCase:
    """The exception analysis of one project (whether or not it is in exception: see
    ``in_exception``). ``downstream``: other projects' milestones its late or at-risk milestones
    feed, in words; ``benefits``: (name, status) of the benefits it enables; ``contingency``: the
    project's contingency (money)."""
    pid = project.id
    # Only a recorded case is a tolerance to break: the defaults are a what-if, not a commitment.
    case = book.project_case(pid) if book.has_case(pid) else None
    breaches = _breaches(pr, project, tol, case)
    broken = {b.dimension for b in breaches}
    e = pr.evm
    bac, eac, ac, ev = e.bac, e.eac, e.ac, e.ev
    valued = case is not None
    at_budget = book.what_if(pid, eac=bac) if bac and valued else None

    # ---- consequences
    consequences: list[str] = []
    if "time" in broken and pr.slip_days is not None:
        consequences.append(f"the project finishes {pr.slip_days} d later than baselined")
    for item in downstream:
        consequences.append(f"dependent work is pushed: {item}")
    if "cost" in broken and bac and eac is not None:
        consequences.append(
            f"the project needs {fmt_money(eac - bac)} more than its budget of {fmt_money(bac)}"
            + (f"; its contingency is {fmt_money(contingency)}" if contingency else "")
        )
    if case is not None and case.npv is not None:
        if (
            at_budget is not None
            and at_budget.npv is not None
            and bac
            and eac is not None
            and abs(eac - bac) > 0.5
        ):
            consequences.append(
                f"business case: {_npv_text(case)} at the forecast, against {_npv_text(at_budget)} at the budget "
                f"(a change of {fmt_money(case.npv - at_budget.npv)})"
            )
        else:
            consequences.append(f"business case: {_npv_text(case)}")
    for name, status in benefits:
        if status in ("At risk", "Off track"):
            consequences.append(f"benefit '{name}' is {status.lower()}")

    # ---- options
    options: list[Option] = []
    options.append(
        Option(
            "A",
            "Re-baseline to the forecast",
            "accept the deviation: new end date "
            f"{project.forecast_end.isoformat() if project.forecast_end else '–'} and budget {fmt_money(eac if eac is not None else bac)}; "
            "the programme board sets new tolerances",
            case.npv if case else None,
            case.viability.rag if case else None,
        )
    )
    # B: recover to tolerance.
    parts: list[str] = []
    feasible = True
    recover_eac = eac
    if "cost" in broken and bac and eac is not None and ac is not None and ev is not None:
        limit = bac * (1 + tol.cost_pct / 100.0)
        left = limit - ac
        if left <= 0:
            parts.append(f"cannot recover the cost: {fmt_money(ac)} is already spent, past the tolerance")
            feasible = False
        else:
            tcpi = (bac - ev) / left
            parts.append(
                f"the remaining work must run at a CPI of {tcpi:.2f} (now {e.cpi:.2f})"
                if e.cpi is not None
                else f"the remaining work must run at a CPI of {tcpi:.2f}"
            )
            feasible = tcpi <= FEASIBLE_TCPI
            recover_eac = limit
    recover_end = project.forecast_end
    if "time" in broken and pr.slip_days is not None and project.baseline_end is not None:
        days = pr.slip_days - tol.schedule_days
        if days > 0:
            parts.append(f"win back {days} d of schedule")
            recover_end = project.baseline_end.add(days=tol.schedule_days)
    recovered = (
        book.what_if(pid, eac=recover_eac, forecast_end=recover_end)
        if recover_eac is not None and valued
        else None
    )
    options.append(
        Option(
            "B",
            "Recover to tolerance",
            "; ".join(parts)
            or "bring the forecast back within tolerance (descope, re-sequence or add resources)",
            recovered.npv if recovered else None,
            recovered.viability.rag if recovered else None,
            feasible,
        )
    )
    if "cost" in broken and contingency and bac and eac is not None:
        over = eac - bac * (1 + tol.cost_pct / 100.0)
        covered = min(contingency, over)
        options.append(
            Option(
                "C",
                "Draw on contingency",
                f"the contingency of {fmt_money(contingency)} covers {fmt_money(covered)} of the "
                f"{fmt_money(over)} beyond tolerance"
                + ("" if covered >= over else "; the rest needs option A or B"),
                case.npv if case else None,
                case.viability.rag if case else None,
                covered >= over,
            )
        )
    stopped = book.what_if(pid, eac=ac or 0.0, benefits=False) if ac is not None and valued else None
    options.append(
        Option(
            "D",
            "Stop the project (premature closure)",
            f"no further cost beyond the {fmt_money(ac)} spent; the benefits it enables are forgone",
            stopped.npv if stopped else None,
            stopped.viability.rag if stopped else None,
        )
    )

    # ---- recommendation
    key, why = _recommend(case, recovered, stopped, feasible)
    return ExceptionCase(
        project_id=pid,
        code=project.code,
        breaches=breaches,
        consequences=consequences,
        options=options,
        recommendation=key,
        recommendation_text=why,
        case=case,
        case_at_budget=at_budget,
        within=_within(pr, tol, case, broken),
    )


def _recommend(
    case: CaseResult | None, recovered: CaseResult | None, stopped: CaseResult | None, feasible: bool
) -> tuple[str, str]:
    if case is None or case.npv is None:
        return "A", (
            "re-baseline to the forecast; the business case cannot be valued, so the board should ask "
            "for one before approving the new baseline"
        )
    if case.npv >= 0:
        return "A", f"re-baseline: the project still pays for itself at the forecast ({_npv_text(case)})"
    if feasible and recovered is not None and recovered.npv is not None and recovered.npv >= 0:
        return "B", f"recover to tolerance: that keeps the case viable ({_npv_text(recovered)})"
    if stopped is not None and stopped.npv is not None and stopped.npv > case.npv:
        return "D", (
            f"refer to the programme board to stop: stopping now loses less ({_npv_text(stopped)}) "
            f"than finishing ({_npv_text(case)})"
        )
    return "B", (
        "recover as far as possible and refer to the programme board: the case is not viable at the "
        f"forecast ({_npv_text(case)}), but finishing still loses less than stopping"
    )
