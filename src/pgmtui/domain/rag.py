"""Evidence-based RAG: each dimension rated from the data, with the reason in plain words.

A project's RAG is the worst of schedule, cost, risk and dependencies. A manager may override it
(with a reason); the override wins but the computed rating and its evidence are kept, so a board
can see both ("A*": amber by judgement, the data says red because ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pgmtui.domain import costplan
from pgmtui.domain.deps import LATE, DepSlack
from pgmtui.domain.evm import Evm, fmt_money
from pgmtui.domain.models import Programme, Project, Risk, Tolerances
from pgmtui.domain.risk import DEFAULT_BANDS, RiskBands, residual_score

__all__ = [
    "RAG_GLYPHS",
    "RAG_ORDER",
    "RAG_WORDS",
    "Evidence",
    "RagResult",
    "cost_evidence",
    "dependency_evidence",
    "normalise",
    "programme_rag",
    "project_rag",
    "rag_glyph",
    "rag_text",
    "rag_from_evidence",
    "risk_counts_evidence",
    "risk_evidence",
    "schedule_evidence",
    "worst",
]

RAG_ORDER = {"G": 0, "A": 1, "R": 2}
RAG_WORDS = {"R": "Red", "A": "Amber", "G": "Green"}
# Distinct shapes so the rating reads without colour (NO_COLOR, colour-blind users).
RAG_GLYPHS = {"R": "●", "A": "▲", "G": "■"}
_EPS = 1e-9


def normalise(value: Any) -> str | None:
    """'r', 'Red', 'AMBER' → 'R'/'A'; empty/unknown → None."""
    if not value:
        return None
    text = str(value).strip().upper()
    text = {"RED": "R", "AMBER": "A", "GREEN": "G"}.get(text, text)
    return text if text in RAG_ORDER else None


def worst(rags: Iterable[str | None]) -> str | None:
    """The worst rating present (R > A > G); None if none is known."""
    best = None
    rank = -1
    for r in rags:
        if r is not None and RAG_ORDER[r] > rank:
            best, rank = r, RAG_ORDER[r]
    return best


def rag_glyph(rag: str | None) -> str:
    return RAG_GLYPHS.get(rag or "", "?")


def rag_text(rag: str | None) -> str:
    """'● R' — glyph and letter, legible with no colour; '? –' when unknown."""
    return f"{rag_glyph(rag)} {rag or '–'}"


@dataclass(frozen=True, slots=True)
class Evidence:
    dimension: str  # schedule, cost, risk, dependencies (project); projects (programme)
    rag: str | None  # None = not assessed (missing data), said so in the text
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"dimension": self.dimension, "rag": self.rag, "text": self.text}


@dataclass(frozen=True, slots=True)
class RagResult:
    computed: str | None
    override: str | None = None
    reason: str | None = None
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def final(self) -> str | None:
        """What to show: the override if there is one, else the computed rating."""
        return self.override or self.computed

    @property
    def overridden(self) -> bool:
        return self.override is not None

    @property
    def label(self) -> str:
        """'A', or 'A*' when set by override; '–' when nothing is known."""
        if self.final is None:
            return "–"
        return f"{self.final}*" if self.overridden else self.final

    def to_json(self) -> dict[str, Any]:
        return {
            "computed": self.computed,
            "override": self.override,
            "reason": self.reason,
            "final": self.final,
            "label": self.label,
            "evidence": [e.to_json() for e in self.evidence],
        }


def _days(n: int) -> str:
    return f"{n} d"


def schedule_evidence(baseline_end: int | None, forecast_end: int | None, tolerance_days: int) -> Evidence:
    """Forecast end against baseline end (ordinals): ≤ 0 d G, ≤ tolerance A, beyond R."""
    if baseline_end is None:
        return Evidence("schedule", None, "no baseline end date: schedule not assessed")
    if forecast_end is None:
        return Evidence("schedule", None, "no forecast end date: schedule not assessed")
    slip = forecast_end - baseline_end
    tol = f"(tolerance {_days(tolerance_days)})"
    if slip < 0:
        return Evidence("schedule", "G", f"forecast {_days(-slip)} before baseline")
    if slip == 0:
        return Evidence("schedule", "G", "forecast on baseline")
    rag = "A" if slip <= tolerance_days else "R"
    return Evidence("schedule", rag, f"forecast {_days(slip)} after baseline {tol}")


def _cost_rag(amount: float, bac: float, tolerance_pct: float) -> str:
    if amount <= bac * (1 + _EPS):
        return "G"
    if amount <= bac * (1 + tolerance_pct / 100.0) * (1 + _EPS):
        return "A"
    return "R"


def cost_evidence(evm: Evm, tolerance_pct: float, baseline_end: int | None = None) -> Evidence:
    """EAC against BAC: ≤ BAC G, ≤ BAC × (1 + tolerance) A, beyond R.

    With no EAC (spent but nothing earned yet), actual cost is judged against BAC instead, and the
    evidence says so. No budget (BAC missing or 0) means cost is not assessed.

    With a cost plan (``evm.run_out``) and ``baseline_end`` (an ordinal) there is one more test in
    the same dimension: when the money runs out at the current burn rate in a month before the
    baseline end's, cost is at least A even while EAC is within tolerance (unless the work is done).
    """
    found = _eac_evidence(evm, tolerance_pct)
    short = _runs_out_early(evm, baseline_end)
    if short is None:
        return found
    rag = "R" if found.rag == "R" else "A"
    return Evidence("cost", rag, f"{short}; {found.text}")


def _runs_out_early(evm: Evm, baseline_end: int | None) -> str | None:
    """Why the money runs out before the baseline end, or None when it does not."""
    if evm.run_out is None or baseline_end is None or evm.burn_rate is None:
        return None
    if evm.ev is not None and evm.bac is not None and evm.ev >= evm.bac:
        return None  # the work is done: spending up to BAC is the plan
    end_month = costplan.month_of_ordinal(baseline_end)
    if costplan.month_index(evm.run_out) >= end_month:
        return None
    return (
        f"at {fmt_money(evm.burn_rate)}/month (last 3 months) the budget runs out in {evm.run_out}, "
        f"before the baseline end ({costplan.month_text(end_month)})"
    )


def _eac_evidence(evm: Evm, tolerance_pct: float) -> Evidence:
    bac = evm.bac
    if not bac:
        return Evidence("cost", None, "no budget (BAC): cost not assessed")
    tol = f"(tolerance {tolerance_pct:g} %)"
    if evm.eac is not None:
        over = (evm.eac - bac) / bac * 100.0
        rag = _cost_rag(evm.eac, bac, tolerance_pct)
        if rag == "G":
            return Evidence("cost", "G", f"EAC {fmt_money(evm.eac)} within BAC {fmt_money(bac)}")
        return Evidence(
            "cost", rag, f"EAC {fmt_money(evm.eac)} is {over:.1f} % over BAC {fmt_money(bac)} {tol}"
        )
    if evm.ac is None:
        return Evidence("cost", None, "no actual cost: cost not assessed")
    why = "no EAC (no spend yet)" if not evm.ac else "no EAC (nothing earned yet)"
    rag = _cost_rag(evm.ac, bac, tolerance_pct)
    if rag == "G":
        return Evidence("cost", "G", f"{why}; actual cost {fmt_money(evm.ac)} within BAC {fmt_money(bac)}")
    over = (evm.ac - bac) / bac * 100.0
    return Evidence(
        "cost",
        rag,
        f"{why}; actual cost {fmt_money(evm.ac)} is {over:.1f} % over BAC {fmt_money(bac)} {tol}",
    )


def risk_evidence(risks: Iterable[Risk], bands: RiskBands = DEFAULT_BANDS) -> Evidence:
    """Open threats by residual score: one at Critical (≥ 15 by default) R, at High (≥ 10) A.
    Opportunities are left out (a likely, valuable opportunity is good news, not a threat)."""
    n_crit = n_high = 0
    top: Risk | None = None
    top_score = -1
    for r in risks:
        if r.status == "closed" or r.kind == "opportunity":
            continue  # opportunities are rated apart: they never make a RAG worse
        s = residual_score(r)
        if s is None:
            continue
        if s >= bands.critical_min:
            n_crit += 1
        elif s >= bands.high_min:
            n_high += 1
        if s > top_score:
            top, top_score = r, s
    return risk_counts_evidence(n_crit, n_high, top.title if top else "", top_score, bands)


def risk_counts_evidence(
    n_critical: int, n_high: int, worst_title: str, worst_score: int, bands: RiskBands = DEFAULT_BANDS
) -> Evidence:
    """The risk dimension from counts already made (the rollup bands every risk once anyway)."""
    if not (n_critical or n_high):
        return Evidence("risk", "G", f"no open risk with residual score ≥ {bands.high_min}")
    parts = []
    if n_critical:
        parts.append(f"{n_critical} open Critical")
    if n_high:
        parts.append(f"{n_high} open High")
    rag = "R" if n_critical else "A"
    return Evidence("risk", rag, f"{', '.join(parts)} risk(s); worst '{worst_title}' residual {worst_score}")


def dependency_evidence(
    incoming: Iterable[DepSlack],
    tolerance_days: int,
    names: Mapping[int, str] | None = None,
    outgoing: Iterable[DepSlack] = (),
) -> Evidence:
    """Late dependencies, both ways: incoming ones (this project's milestone is the consumer) and
    outgoing ones (its milestone is the supplier and another project's milestone waits on it: this
    project is delaying others). Late by at most the schedule tolerance A, beyond R."""
    names = names or {}
    late = [(d.slack, d) for d in incoming if d.status == LATE and d.slack is not None]
    delaying = [(d.slack, d) for d in outgoing if d.status == LATE and d.slack is not None]
    if not late and not delaying:
        return Evidence("dependencies", "G", "no late incoming dependency")

    def rag_of(days: int) -> str:
        return "R" if days > tolerance_days else "A"

    def name(mid: int) -> str:
        return names.get(mid, f"milestone #{mid}")

    parts: list[str] = []
    rags: list[str] = []
    if late:
        worst_slack, w = min(late, key=lambda pair: (pair[0], pair[1].dependency_id))
        days = -worst_slack
        rags.append(rag_of(days))
        more = f" (+{len(late) - 1} more late)" if len(late) > 1 else ""
        parts.append(
            f"{name(w.supplier_id)} → {name(w.consumer_id)} is {_days(days)} late "
            f"(tolerance {_days(tolerance_days)}){more}"
        )
    if delaying:
        worst_slack, w = min(delaying, key=lambda pair: (pair[0], pair[1].dependency_id))
        days = -worst_slack
        rags.append(rag_of(days))
        more = f" (+{len(delaying) - 1} more)" if len(delaying) > 1 else ""
        parts.append(
            f"delaying others: {name(w.supplier_id)} makes {name(w.consumer_id)} {_days(days)} late{more}"
        )
    return Evidence("dependencies", worst(rags), "; ".join(parts))


def project_rag(
    project: Project,
    evm: Evm,
    risks: Iterable[Risk] = (),
    incoming: Iterable[DepSlack] = (),
    tolerances: Tolerances | None = None,
    bands: RiskBands = DEFAULT_BANDS,
    names: Mapping[int, str] | None = None,
) -> RagResult:
    """A project's RAG: worst of its four dimensions, then the override (if any) on top.

    ``risks`` are the project's risks (closed ones are skipped), ``incoming`` the statuses of
    dependencies whose consumer is one of its milestones, ``names`` milestone id → display name.
    """
    tol = tolerances or Tolerances()
    be = project.baseline_end.toordinal() if project.baseline_end else None
    fe = project.forecast_end.toordinal() if project.forecast_end else None
    evidence = [
        schedule_evidence(be, fe, tol.schedule_days),
        cost_evidence(evm, tol.cost_pct, be),
        risk_evidence(risks, bands),
        dependency_evidence(incoming, tol.schedule_days, names),
    ]
    return rag_from_evidence(evidence, project.rag_override, project.rag_reason)


def rag_from_evidence(evidence: list[Evidence], override: Any = None, reason: str | None = None) -> RagResult:
    """Computed = worst assessed dimension (G when none could be assessed); override on top."""
    return RagResult(
        computed=worst(e.rag for e in evidence) or "G",
        override=normalise(override),
        reason=reason,
        evidence=evidence,
    )


def programme_rag(programme: Programme | None, projects: Iterable[tuple[str, RagResult]]) -> RagResult:
    """Worst project RAG (as shown, i.e. after project overrides) unless the programme overrides.

    ``projects`` are (label, result) pairs, e.g. (project code, its RagResult); the evidence names
    the projects at each non-green rating.
    """
    by: dict[str, list[str]] = {"R": [], "A": [], "G": []}
    for label, res in projects:
        if res.final is not None:
            by[res.final].append(label)
    evidence = []
    for rag in ("R", "A"):
        if by[rag]:
            n = len(by[rag])
            evidence.append(
                Evidence(
                    "projects",
                    rag,
                    f"{n} project{'s' if n > 1 else ''} {RAG_WORDS[rag]}: {', '.join(by[rag])}",
                )
            )
    if not evidence:
        n = len(by["G"])
        text = f"all {n} project{'s' if n != 1 else ''} Green" if n else "no projects"
        evidence.append(Evidence("projects", "G" if n else None, text))
    computed = "R" if by["R"] else "A" if by["A"] else "G" if by["G"] else None
    return RagResult(
        computed=computed,
        override=normalise(programme.rag_override) if programme else None,
        reason=programme.rag_reason if programme else None,
        evidence=evidence,
    )
