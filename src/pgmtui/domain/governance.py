"""Governance rules: strategic alignment, stage-gate readiness and gates due without a review.

Alignment: an objective is served by projects (a contribution naming the project, strength 1–3) and
by benefits (a contribution naming the benefit). A project serves an objective directly, or through
a benefit it enables (linked to it) that serves the objective; a project serving none is unaligned.
Its alignment score is Σ over the objectives it serves of weight (1 when none is set) × strength
(the direct strength, else the strongest of its benefits').

Gate readiness (a milestone marked is_gate): one check per line of evidence a gate board reads —
the project's RAG, the business case's viability (A when none is recorded), open High/Critical
risks, open issues by priority, the enabling benefits' status (A when one is at risk or off track),
overdue actions and the last review's outcome — each R/A/G (or not assessed), and the readiness is
the worst of them: G ready, A ready with concerns, R not ready.

Pure: rows and records in, figures out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pendulum

from pgmtui.domain.benefits import AT_RISK, OFF_TRACK, BenefitStatus
from pgmtui.domain.business_case import CaseBook, CaseResult
from pgmtui.domain.evm import fmt_money
from pgmtui.domain.models import Milestone, Snapshot, as_date
from pgmtui.domain.rag import RagResult, worst
from pgmtui.domain.risk import DEFAULT_BANDS, RiskBands, residual_score
from pgmtui.domain.rollup import ProgrammeRollup

__all__ = [
    "DUE_SOON_DAYS",
    "OUTCOMES_RAG",
    "STRENGTH_GLYPH",
    "Alignment",
    "Check",
    "GateReadiness",
    "ObjectiveAlignment",
    "ProjectAlignment",
    "alignment",
    "gate_calendar",
    "gate_readiness",
    "gates_due_without_review",
    "strength_glyphs",
]

DUE_SOON_DAYS = 14  # a gate due within this many days needs a review booked
PRIORITY_ORDER = ("critical", "high", "medium", "low")
# What the last review says about readiness: hold and stop are red, conditions and a pending
# review amber (something is still open), go green.
OUTCOMES_RAG = {"go": "G", "conditional": "A", "pending": "A", "hold": "R", "stop": "R"}
STRENGTH_GLYPH = {"direct": "●", "benefit": "○"}
VERDICTS = {"G": "ready", "A": "ready with concerns", "R": "not ready", None: "not assessed"}


def strength_glyphs(strength: int, direct: bool = True) -> str:
    """●●● for a direct strength of 3; ○○ for a strength of 2 through a benefit."""
    return STRENGTH_GLYPH["direct" if direct else "benefit"] * max(0, min(3, strength))


# ---------------------------------------------------------------------------- alignment


@dataclass(frozen=True, slots=True)
class Link:
    """One way a project serves an objective."""

    objective_id: int
    strength: int
    via_benefit: str | None = None  # None: a contribution naming the project itself
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ProjectAlignment:
    project_id: int
    code: str
    name: str
    links: tuple[Link, ...]
    cells: Mapping[int, tuple[int, bool]]  # objective id → (strength, direct?)
    score: float

    @property
    def aligned(self) -> bool:
        return bool(self.cells)


@dataclass(frozen=True, slots=True)
class ObjectiveAlignment:
    objective_id: int
    code: str
    name: str
    owner: str | None
    weight: float | None
    description: str | None
    projects: tuple[tuple[int, str, int, str | None], ...]  # (project id, code, strength, note)
    benefits: tuple[
        tuple[int, str, int, str | None, tuple[str, ...]], ...
    ]  # (id, name, strength, note, project codes)


@dataclass(frozen=True)
class Alignment:
    objectives: list[ObjectiveAlignment] = field(default_factory=list)
    projects: list[ProjectAlignment] = field(default_factory=list)

    @property
    def unaligned(self) -> list[str]:
        return [p.code for p in self.projects if not p.aligned]

    def to_json(self) -> dict[str, Any]:
        codes = {o.objective_id: o.code for o in self.objectives}
        return {
            "objectives": [
                {
                    "id": o.objective_id,
                    "code": o.code,
                    "name": o.name,
                    "owner": o.owner,
                    "weight": o.weight,
                    "description": o.description,
                    "projects": [{"code": c, "strength": s, "note": n} for _, c, s, n in o.projects],
                    "benefits": [
                        {"name": name, "strength": s, "note": n, "projects": list(pcs)}
                        for _, name, s, n, pcs in o.benefits
                    ],
                }
                for o in self.objectives
            ],
            "projects": [
                {
                    "code": p.code,
                    "name": p.name,
                    "aligned": p.aligned,
                    "score": p.score,
                    "objectives": [
                        {"code": codes.get(oid, f"#{oid}"), "strength": s, "direct": d}
                        for oid, (s, d) in sorted(p.cells.items(), key=lambda kv: codes.get(kv[0], ""))
                    ],
                }
                for p in self.projects
            ],
            "unaligned_projects": self.unaligned,
        }


def alignment(snapshot: Snapshot) -> Alignment:
    """Objectives with the projects and benefits serving them, and each project's alignment."""
    objectives = sorted(
        snapshot.table("objective"), key=lambda o: (str(o.get("code") or "").lower(), o["id"])
    )
    weight = {o["id"]: (1.0 if o.get("weight") is None else float(o["weight"])) for o in objectives}
    codes = {p.id: p.code for p in snapshot.projects}
    benefit_names = {b.id: b.name for b in snapshot.benefits}
    by_objective_projects: dict[int, list[tuple[int, str, int, str | None]]] = {}
    by_objective_benefits: dict[int, list[tuple[int, str, int, str | None, tuple[str, ...]]]] = {}
    links: dict[int, list[Link]] = {}
    benefit_links: dict[int, list[tuple[int, int, str | None]]] = {}  # benefit → (objective, strength, note)
    for c in sorted(snapshot.table("contribution"), key=lambda r: r["id"]):
        oid, strength = c["objective_id"], int(c.get("strength") or 0)
        pid, bid = c.get("project_id"), c.get("benefit_id")
        if pid is not None and pid in codes:
            by_objective_projects.setdefault(oid, []).append((pid, codes[pid], strength, c.get("note")))
            links.setdefault(pid, []).append(Link(oid, strength, None, c.get("note")))
        elif bid is not None and bid in benefit_names:
            pcs = tuple(codes[p] for p in snapshot.benefit_projects.get(bid, []) if p in codes)
            by_objective_benefits.setdefault(oid, []).append(
                (bid, benefit_names[bid], strength, c.get("note"), pcs)
            )
            benefit_links.setdefault(bid, []).append((oid, strength, c.get("note")))
    for bid, pids in snapshot.benefit_projects.items():
        for oid, strength, note in benefit_links.get(bid, []):
            for pid in pids:
                if pid in codes:
                    links.setdefault(pid, []).append(Link(oid, strength, benefit_names[bid], note))
    projects = []
    for p in snapshot.projects:
        cells: dict[int, tuple[int, bool]] = {}
        for link in links.get(p.id, []):
            direct = link.via_benefit is None
            have = cells.get(link.objective_id)
            # A direct contribution wins over one through a benefit; the stronger within each.
            if have is None or (direct and not have[1]) or (direct == have[1] and link.strength > have[0]):
                cells[link.objective_id] = (link.strength, direct)
        score = sum(weight.get(oid, 1.0) * s for oid, (s, _) in cells.items())
        projects.append(ProjectAlignment(p.id, p.code, p.name, tuple(links.get(p.id, [])), cells, score))
    return Alignment(
        [
            ObjectiveAlignment(
                o["id"],
                str(o.get("code") or ""),
                str(o.get("name") or ""),
                o.get("owner"),
                None if o.get("weight") is None else float(o["weight"]),
                o.get("description"),
                tuple(by_objective_projects.get(o["id"], [])),
                tuple(by_objective_benefits.get(o["id"], [])),
            )
            for o in objectives
        ],
        projects,
    )


# ---------------------------------------------------------------------------- gates


def _iso(d: pendulum.Date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _gate_date(m: Milestone) -> pendulum.Date | None:
    return m.actual_date or m.forecast_date or m.baseline_date


def _reviews_of(snapshot: Snapshot) -> dict[int, list[Mapping[str, Any]]]:
    out: dict[int, list[Mapping[str, Any]]] = {}
    for r in snapshot.table("gate_review"):
        out.setdefault(r["milestone_id"], []).append(r)
    for rows in out.values():
        rows.sort(key=lambda r: (str(r.get("review_date") or ""), r["id"]))
    return out


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    rag: str | None  # None: not assessed
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "rag": self.rag, "text": self.text}


@dataclass(frozen=True)
class GateReadiness:
    milestone_id: int
    project_id: int | None
    project_code: str
    name: str
    baseline_date: pendulum.Date | None
    forecast_date: pendulum.Date | None
    actual_date: pendulum.Date | None
    days_to_go: int | None  # from today to the gate's date (negative: overdue); None when done or undated
    rag: str | None  # readiness: worst of the checks
    checks: list[Check]
    project_rag: RagResult | None
    case: CaseResult | None
    case_recorded: bool
    risks: list[dict[str, Any]]
    issues: list[dict[str, Any]]
    benefits: list[dict[str, Any]]
    actions_overdue: list[dict[str, Any]]
    reviews: list[dict[str, Any]]

    @property
    def label(self) -> str:
        return f"{self.project_code}:{self.name}"

    @property
    def date(self) -> pendulum.Date | None:
        return self.actual_date or self.forecast_date or self.baseline_date

    @property
    def state(self) -> str:
        if self.actual_date is not None:
            return "passed"
        if self.days_to_go is None:
            return "undated"
        if self.days_to_go < 0:
            return "overdue"
        return "due soon" if self.days_to_go <= DUE_SOON_DAYS else "upcoming"

    @property
    def verdict(self) -> str:
        return VERDICTS.get(self.rag, "not assessed")

    @property
    def last_review(self) -> dict[str, Any] | None:
        return self.reviews[-1] if self.reviews else None

    def issues_by_priority(self) -> dict[str, int]:
        counts = dict.fromkeys(PRIORITY_ORDER, 0)
        for i in self.issues:
            p = i.get("priority") or "medium"
            counts[p] = counts.get(p, 0) + 1
        return counts

    def to_json(self) -> dict[str, Any]:
        case = self.case
        return {
            "gate": {
                "id": self.milestone_id,
                "milestone": self.label,
                "project": self.project_code,
                "name": self.name,
                "baseline_date": _iso(self.baseline_date),
                "forecast_date": _iso(self.forecast_date),
                "actual_date": _iso(self.actual_date),
                "date": _iso(self.date),
                "days_to_go": self.days_to_go,
                "state": self.state,
            },
            "readiness": {
                "rag": self.rag,
                "verdict": self.verdict,
                "checks": [c.to_json() for c in self.checks],
            },
            "project_rag": self.project_rag.to_json() if self.project_rag else None,
            "viability": {
                **(case.viability.to_json() if case else {"rag": None, "reasons": ["no project"]}),
                "npv": case.npv if case else None,
                "roi_pct": case.roi_pct if case else None,
                "payback_years": case.payback_years if case else None,
                "case_recorded": self.case_recorded,
            },
            "risks": self.risks,
            "issues": {"by_priority": self.issues_by_priority(), "open": self.issues},
            "benefits": self.benefits,
            "actions_overdue": self.actions_overdue,
            "last_review": self.last_review,
            "reviews": self.reviews,
        }


def _review_json(r: Mapping[str, Any], decisions: Mapping[int, Mapping[str, Any]]) -> dict[str, Any]:
    did = r.get("decision_id")
    d = decisions.get(did) if did is not None else None
    return {
        "id": r["id"],
        "review_date": r.get("review_date"),
        "outcome": r.get("outcome"),
        "conditions": r.get("conditions"),
        "attendees": r.get("attendees"),
        "decision": None
        if did is None
        else {"id": did, "title": d.get("title") if d else None, "status": d.get("status") if d else None},
    }


class _GateIndex:
    """What every gate's readiness reads, grouped by project once."""

    def __init__(
        self, snapshot: Snapshot, rollup: ProgrammeRollup, book: CaseBook, today: int, bands: RiskBands
    ):
        self.snapshot, self.book, self.today, self.bands = snapshot, book, today, bands
        self.projects = {p.project_id: p for p in rollup.projects}
        self.benefit_status: dict[int, BenefitStatus] = {b.benefit_id: b for b in rollup.benefits}
        self.reviews = _reviews_of(snapshot)
        self.decisions = {d["id"]: d for d in snapshot.table("decision")}
        self.issues: dict[int | None, list[Mapping[str, Any]]] = {}
        for i in snapshot.table("issue"):
            if i.get("status") != "closed":
                self.issues.setdefault(i.get("project_id"), []).append(i)
        # Overdue open actions by project and by what they are about (one look-up per gate).
        self.actions_of_project: dict[int, list[Mapping[str, Any]]] = {}
        self.actions_about: dict[str, list[Mapping[str, Any]]] = {}
        for a in snapshot.table("action"):
            due = as_date(a.get("due_date")) if a.get("status") == "open" else None
            if due is None or due.toordinal() >= today:
                continue
            if a.get("project_id") is not None:
                self.actions_of_project.setdefault(a["project_id"], []).append(a)
            if isinstance(a.get("about"), str):
                self.actions_about.setdefault(a["about"], []).append(a)
        self.risks: dict[int | None, list[Any]] = {}
        for r in snapshot.risks:
            if r.is_open:
                s = residual_score(r)
                if s is not None and s >= bands.high_min:
                    self.risks.setdefault(r.project_id, []).append((s, r))
        self.codes = {p.id: p.code for p in snapshot.projects}

    def readiness(self, m: Milestone) -> GateReadiness:
        pid = m.project_id
        pr = self.projects.get(pid) if pid is not None else None
        checks: list[Check] = []
        # Project RAG, as shown (an override counts, with its reason).
        if pr is not None:
            rag = pr.rag
            worst_ev = [e.text for e in rag.evidence if e.rag == rag.computed and e.rag in ("A", "R")]
            if rag.overridden:
                text = f"{rag.label} by override: {rag.reason or 'no reason given'}"
            else:
                text = worst_ev[0] if worst_ev else "every dimension Green"
            checks.append(Check("project RAG", rag.final, text))
        # Business case.
        case = self.book.project_case(pid) if pid is not None and pid in self.book.projects else None
        recorded = pid is not None and self.book.has_case(pid)
        if case is not None:
            v = case.viability
            reason = v.reasons[0] if v.reasons else ""
            if recorded:
                checks.append(Check("business case", v.rag, reason))
            else:
                # No case to judge: a concern for any gate, whatever the defaults would say.
                npv = f"NPV {fmt_money(case.npv)} with the defaults" if case.npv is not None else reason
                checks.append(Check("business case", "A", f"no business case recorded ({npv})"))
        # Risks.
        risks = sorted(self.risks.get(pid, []), key=lambda sr: (-sr[0], sr[1].id))
        n_crit = sum(1 for s, _ in risks if s >= self.bands.critical_min)
        n_high = len(risks) - n_crit
        if risks:
            s, top = risks[0]
            checks.append(
                Check(
                    "risks",
                    "R" if n_crit else "A",
                    f"{n_crit} Critical, {n_high} High open; worst '{top.title}' residual {s}",
                )
            )
        else:
            checks.append(Check("risks", "G", "no open High or Critical risk"))
        # Issues.
        issues = sorted(
            self.issues.get(pid, []) if pid is not None else [],
            key=lambda i: (
                PRIORITY_ORDER.index(i.get("priority") or "medium")
                if (i.get("priority") or "medium") in PRIORITY_ORDER
                else 9,
                i["id"],
            ),
        )
        counts = {p: sum(1 for i in issues if (i.get("priority") or "medium") == p) for p in PRIORITY_ORDER}
        issue_rag = "R" if counts["critical"] else "A" if counts["high"] else "G"
        parts = [f"{n} {p}" for p, n in counts.items() if n]
        checks.append(Check("issues", issue_rag, f"open: {', '.join(parts)}" if parts else "no open issue"))
        # Benefits this project enables.
        statuses = [
            self.benefit_status[b] for b in (pr.benefit_ids if pr else []) if b in self.benefit_status
        ]
        off = [b.name for b in statuses if b.status == OFF_TRACK]
        at_risk = [b.name for b in statuses if b.status == AT_RISK]
        if not statuses:
            checks.append(Check("benefits", None, "enables no benefit"))
        elif off or at_risk:
            # A concern for the board, not a reason to stop at the gate on its own.
            parts = [f"{len(off)} off track: {', '.join(off)}"] if off else []
            if at_risk:
                parts.append(f"{len(at_risk)} at risk: {', '.join(at_risk)}")
            checks.append(Check("benefits", "A", "; ".join(parts)))
        else:
            checks.append(Check("benefits", "G", f"{len(statuses)} realised, on track or not yet measured"))
        # Actions overdue: on the project, or about the project, this gate or its reviews.
        reviews = self.reviews.get(m.id, [])
        targets = {f"milestone:{m.id}", *(f"gate_review:{r['id']}" for r in reviews)}
        if pid is not None:
            targets.add(f"project:{pid}")
        found = {id(a): a for a in (self.actions_of_project.get(pid, []) if pid is not None else [])}
        for target in targets:
            found.update((id(a), a) for a in self.actions_about.get(target, []))
        overdue = list(found.values())
        if overdue:
            checks.append(Check("actions", "A", f"{len(overdue)} overdue"))
        else:
            checks.append(Check("actions", "G", "none overdue"))
        # The last review.
        if reviews:
            last = reviews[-1]
            outcome = str(last.get("outcome") or "pending")
            cond = f": {' '.join(str(last['conditions']).split())}" if last.get("conditions") else ""
            checks.append(
                Check(
                    "last review", OUTCOMES_RAG.get(outcome), f"{outcome} on {last.get('review_date')}{cond}"
                )
            )
        else:
            checks.append(Check("last review", None, "no review recorded"))
        date = _gate_date(m)
        days = None if m.actual_date is not None or date is None else date.toordinal() - self.today
        return GateReadiness(
            milestone_id=m.id,
            project_id=pid,
            project_code=self.codes.get(pid, "?") if pid is not None else "?",
            name=m.name,
            baseline_date=m.baseline_date,
            forecast_date=m.forecast_date,
            actual_date=m.actual_date,
            days_to_go=days,
            rag=worst(c.rag for c in checks),
            checks=checks,
            project_rag=pr.rag if pr else None,
            case=case,
            case_recorded=recorded,
            risks=[
                {"id": r.id, "title": r.title, "score": s, "band": self.bands.band(s), "owner": r.owner}
                for s, r in risks
            ],
            issues=[
                {
                    "id": i["id"],
                    "title": i.get("title"),
                    "priority": i.get("priority"),
                    "status": i.get("status"),
                    "owner": i.get("owner"),
                    "due_date": i.get("due_date"),
                }
                for i in issues
            ],
            benefits=[
                {"id": b.benefit_id, "name": b.name, "status": b.status, "realisation_pct": b.realisation_pct}
                for b in statuses
            ],
            actions_overdue=[
                {
                    "id": a["id"],
                    "title": a.get("title"),
                    "owner": a.get("owner"),
                    "due_date": a.get("due_date"),
                }
                for a in overdue
            ],
            reviews=[_review_json(r, self.decisions) for r in reviews],
        )


def gate_readiness(
    snapshot: Snapshot,
    rollup: ProgrammeRollup,
    milestone_id: int,
    today: int,
    *,
    book: CaseBook | None = None,
    bands: RiskBands = DEFAULT_BANDS,
) -> GateReadiness:
    """Readiness of one gate milestone (KeyError when there is no such milestone)."""
    m = next(m for m in snapshot.milestones if m.id == milestone_id)
    return _GateIndex(snapshot, rollup, book or CaseBook.of(snapshot, today), today, bands).readiness(m)


def gate_calendar(
    snapshot: Snapshot,
    rollup: ProgrammeRollup,
    today: int,
    *,
    book: CaseBook | None = None,
    bands: RiskBands = DEFAULT_BANDS,
) -> list[GateReadiness]:
    """Every gate milestone with its readiness: those still to come by date (undated last), then
    those passed, latest first."""
    index = _GateIndex(snapshot, rollup, book or CaseBook.of(snapshot, today), today, bands)
    gates = [index.readiness(m) for m in snapshot.milestones if m.is_gate]
    ahead = [g for g in gates if g.actual_date is None]
    passed = [g for g in gates if g.actual_date is not None]
    ahead.sort(
        key=lambda g: (g.date is None, g.date.toordinal() if g.date else 0, g.project_code, g.milestone_id)
    )
    passed.sort(
        key=lambda g: (-(g.actual_date.toordinal() if g.actual_date else 0), g.project_code, g.milestone_id)
    )
    return ahead + passed


def gates_due_without_review(
    milestones: Iterable[Mapping[str, Any]],
    reviews: Iterable[Mapping[str, Any]],
    today: int,
    days: int = DUE_SOON_DAYS,
) -> list[tuple[int, int, int]]:
    """(milestone id, date ordinal, days to go) of every gate not yet passed, due within ``days``
    (or already overdue), that has no gate review at all — a pending review counts as booked.
    Sorted by date."""
    reviewed = {r.get("milestone_id") for r in reviews}
    out = []
    for m in milestones:
        if not m.get("is_gate") or m.get("actual_date") or m.get("id") in reviewed:
            continue
        d = as_date(m.get("forecast_date")) or as_date(m.get("baseline_date"))
        if d is None:
            continue
        o = d.toordinal()
        if o - today <= days:
            out.append((int(m["id"]), o, o - today))
    out.sort(key=lambda x: (x[1], x[0]))
    return out


def decisions_of(reviews: Sequence[Mapping[str, Any]]) -> list[int]:
    """The decision ids the reviews link to, once each, in review order."""
    return list(dict.fromkeys(r["decision_id"] for r in reviews if r.get("decision_id") is not None))
