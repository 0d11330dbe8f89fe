"""Programme and project rollups: every headline figure of the portfolio view in one pass.

Runs on every live refresh, so it is linear in the number of rows: each table is grouped by its
parent id once, then each project and benefit reads its own group. Dates are compared as integer
ordinals; pendulum objects are only made for the handful of dates that are shown.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pendulum

from pgmtui.domain.benefits import STATUSES, BenefitStatus, benefit_statuses
from pgmtui.domain.business_case import business_case_evidence
from pgmtui.domain.capacity import resources_evidence
from pgmtui.domain.deps import DepSlack, dependency_slacks
from pgmtui.domain.evm import Evm, project_evm, total
from pgmtui.domain.models import Risk, Snapshot, Tolerances, to_ordinal
from pgmtui.domain.rag import (
    Evidence,
    RagResult,
    cost_evidence,
    dependency_evidence,
    programme_rag,
    rag_from_evidence,
    risk_counts_evidence,
    schedule_evidence,
)
from pgmtui.domain.risk import BANDS, DEFAULT_BANDS, RiskBands, band_table

__all__ = ["EVIDENCE_RULES", "NextMilestone", "ProgrammeRollup", "ProjectRollup", "rollup"]

# Further RAG evidence dimensions (the second wave: resources, cost run-out, business case, …).
# Each rule reads the snapshot once, with today as an ordinal, and returns {project id: Evidence}
# for the projects it has something to say about; its dimension joins the project's RAG.
EvidenceRule = Callable[[Snapshot, int], Mapping[int, Evidence]]
EVIDENCE_RULES: tuple[EvidenceRule, ...] = (
    resources_evidence,  # someone on the project over-allocated in the look-ahead (capacity.py)
    business_case_evidence,  # the project's recorded business case no longer pays (business_case.py)
)


@dataclass(frozen=True)
class RuleInputs:
    """What an evidence rule reads, so that a live build can reuse its findings (`_rule_evidence`):
    table names, with "project" when it reads project records and "programme" for the programme's
    settings. ``per_project``: the rule takes ``only=`` a set of project ids and each project's
    finding depends on that project's own record alone (among the projects)."""

    reads: tuple[str, ...]
    per_project: bool = False


# A rule not listed here runs on every build.
RULE_INPUTS: dict[EvidenceRule, RuleInputs] = {
    resources_evidence: RuleInputs(("programme", "allocation", "person")),
    business_case_evidence: RuleInputs(
        ("project", "programme", "business_case", "cost", "benefit", "measurement", "benefit_project"),
        per_project=True,
    ),
}


def _iso(d: pendulum.Date | None) -> str | None:
    return d.isoformat() if d is not None else None


@dataclass(frozen=True, slots=True)
class NextMilestone:
    id: int
    name: str
    date: pendulum.Date
    is_gate: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "date": self.date.isoformat(), "is_gate": self.is_gate}


@dataclass(frozen=True, slots=True)
class ProjectRollup:
    project_id: int
    code: str
    name: str
    manager: str | None
    stage: str
    rag: RagResult
    slip_days: int | None  # forecast_end − baseline_end
    percent_complete: float | None
    evm: Evm
    risks_by_band: dict[str, int]  # open risks by residual band
    open_risks: int
    open_high_critical: int
    late_dependencies: int  # incoming (this project is the consumer)
    next_milestone: NextMilestone | None
    benefit_ids: list[int] = field(default_factory=list)
    open_opportunities: int = 0  # rated apart: never in risks_by_band nor the risk evidence
    delaying_others: int = 0  # outgoing late dependencies (its milestone makes another project late)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.project_id,
            "code": self.code,
            "name": self.name,
            "manager": self.manager,
            "stage": self.stage,
            "rag": self.rag.to_json(),
            "slip_days": self.slip_days,
            "percent_complete": self.percent_complete,
            "evm": self.evm.to_json(),
            "risks": {
                "by_band": dict(self.risks_by_band),
                "open": self.open_risks,
                "open_high_critical": self.open_high_critical,
                "open_opportunities": self.open_opportunities,
            },
            "late_dependencies": self.late_dependencies,
            "delaying_others": self.delaying_others,
            "next_milestone": self.next_milestone.to_json() if self.next_milestone else None,
            "benefit_ids": list(self.benefit_ids),
        }


@dataclass(frozen=True, slots=True)
class ProgrammeRollup:
    name: str
    today: pendulum.Date
    currency: str
    rag: RagResult
    slip_days: int | None  # forecast end − baseline end (see the end-date definition in rollup())
    baseline_end: pendulum.Date | None
    forecast_end: pendulum.Date | None
    evm: Evm  # totals; CPI/SPI from the sums
    risks_by_band: dict[str, int]  # all open risks, programme-level ones included
    open_risks: int
    open_high_critical: int
    dependencies_by_status: dict[str, int]
    benefits_by_status: dict[str, int]  # benefits proper, dis-benefits counted apart
    dis_benefits_by_status: dict[str, int]
    realisation_pct: float | None  # mean of defined realisation % over benefits (not dis-benefits)
    cash_realised: float  # cash-releasing: Σ progress so far, signed towards the target
    cash_planned: float  # cash-releasing: Σ |target − baseline|
    projects: list[ProjectRollup] = field(default_factory=list)
    benefits: list[BenefitStatus] = field(default_factory=list)
    dependencies: list[DepSlack] = field(default_factory=list)
    open_opportunities: int = 0
    end_date_source: str = "projects"  # "programme": the programme's own end date is the baseline

    @property
    def late_dependencies(self) -> int:
        return self.dependencies_by_status.get("late", 0)

    def project(self, code: str) -> ProjectRollup | None:
        code = code.lower()
        return next((p for p in self.projects if p.code.lower() == code), None)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able dicts: dates ISO, undefined figures None (what `pgmtui rollup --json` prints)."""
        return {
            "today": self.today.isoformat(),
            "programme": {
                "name": self.name,
                "currency": self.currency,
                "rag": self.rag.to_json(),
                "slip_days": self.slip_days,
                "baseline_end": _iso(self.baseline_end),
                "forecast_end": _iso(self.forecast_end),
                "end_date_source": self.end_date_source,
                "evm": self.evm.to_json(),
                "risks": {
                    "by_band": dict(self.risks_by_band),
                    "open": self.open_risks,
                    "open_high_critical": self.open_high_critical,
                    "open_opportunities": self.open_opportunities,
                },
                "dependencies": {"by_status": dict(self.dependencies_by_status)},
                "benefits": {
                    "by_status": dict(self.benefits_by_status),
                    "dis_benefits_by_status": dict(self.dis_benefits_by_status),
                    "realisation_pct": self.realisation_pct,
                    "cash_realised": self.cash_realised,
                    "cash_planned": self.cash_planned,
                },
            },
            "projects": [p.to_json() for p in self.projects],
            "benefits": [b.to_json(points=False) for b in self.benefits],
        }


def rollup(snapshot: Snapshot, today: Any, bands: RiskBands = DEFAULT_BANDS) -> ProgrammeRollup:
    """Everything the portfolio view and `pgmtui rollup` show, from one snapshot, in O(rows)."""
    t = today if isinstance(today, int) else to_ordinal(today)
    if t is None:
        raise ValueError("rollup needs today's date")
    prog = snapshot.programme
    tol = Tolerances.of(prog)
    table = band_table(bands)

    memo = snapshot.memo
    ms_facts = memo.get(
        "rollup.milestones",
        (t, tol.near_critical_days),
        (snapshot.milestones, snapshot.dependencies),
        lambda: _milestone_facts(snapshot, t, tol.near_critical_days),
    )
    project_of, next_ms, dep_status, dep_counts, incoming, outgoing = ms_facts
    rk = memo.get("rollup.risks", (), (snapshot.risks, table), lambda: _risk_facts(snapshot.risks, table))
    band_counts, open_counts, worst_risk, prog_bands, prog_open, opportunities = rk
    benefits, benefits_of = memo.get(
        "rollup.benefits",
        t,
        (snapshot.benefits, snapshot.measurements, snapshot.benefit_projects),
        lambda: _benefit_facts(snapshot, t),
    )

    # Milestone names only for the late dependencies the evidence mentions.
    wanted_names = {
        x
        for side in (incoming, outgoing)
        for lst in side.values()
        for ds in lst
        for x in (ds.supplier_id, ds.consumer_id)
    }
    names: dict[int, str] = {}
    if wanted_names:
        code_of: dict[int | None, str] = {p.id: p.code for p in snapshot.projects}
        for m in snapshot.milestones:
            if m.id in wanted_names:
                names[m.id] = f"{code_of.get(m.project_id, '?')} '{m.name}'"

    extra_evidence = [_rule_evidence(rule, snapshot, t) for rule in EVIDENCE_RULES]

    # Cost plans: each project's cost rows (a project with any is measured against its plan).
    cost_rows = snapshot.table("cost")
    costs_of = memo.get("rollup.costs_of", (), (cost_rows,), lambda: _group_by_project(cost_rows))

    projects: list[ProjectRollup] = []
    evms: list[Evm] = []
    max_base = max_fore = None
    for pr in snapshot.projects:
        own_costs = costs_of.get(pr.id)
        e = memo.get(
            ("rollup.evm", pr.id),
            t,
            (pr, own_costs),
            functools.partial(project_evm, pr, t, own_costs),
        )
        evms.append(e)
        late = incoming.get(pr.id, [])
        be = pr.baseline_end.toordinal() if pr.baseline_end else None
        fe = pr.forecast_end.toordinal() if pr.forecast_end else None
        bc = band_counts.get(pr.id) or dict.fromkeys(BANDS, 0)
        w = worst_risk.get(pr.id)
        evidence = [
            schedule_evidence(be, fe, tol.schedule_days),
            cost_evidence(e, tol.cost_pct, be),
            risk_counts_evidence(
                bc["Critical"], bc["High"], w[1].title if w else "", w[0] if w else 0, bands
            ),
            dependency_evidence(late, tol.schedule_days, names, outgoing.get(pr.id, ())),
        ]
        evidence.extend(found[pr.id] for found in extra_evidence if pr.id in found)
        rag = rag_from_evidence(evidence, pr.rag_override, pr.rag_reason)
        if be is not None and (max_base is None or be > max_base):
            max_base = be
        fe_or_be = fe if fe is not None else be  # no forecast: assume the baseline holds
        if fe_or_be is not None and (max_fore is None or fe_or_be > max_fore):
            max_fore = fe_or_be
        nm = next_ms.get(pr.id)
        projects.append(
            ProjectRollup(
                project_id=pr.id,
                code=pr.code,
                name=pr.name,
                manager=pr.manager,
                stage=pr.stage,
                rag=rag,
                slip_days=None if be is None or fe is None else fe - be,
                percent_complete=pr.percent_complete,
                evm=e,
                risks_by_band=bc,
                open_risks=open_counts.get(pr.id, 0),
                open_high_critical=sum(n for band, n in bc.items() if band in ("High", "Critical")),
                late_dependencies=len(late),
                next_milestone=None
                if nm is None
                else NextMilestone(nm[1], nm[2].name, pendulum.Date.fromordinal(nm[0]), nm[2].is_gate),
                benefit_ids=benefits_of.get(pr.id, []),
                open_opportunities=opportunities.get(pr.id, 0),
                delaying_others=len(outgoing.get(pr.id, ())),
            )
        )

    # Benefits at programme level: dis-benefits counted apart and kept out of realisation %.
    by_status = dict.fromkeys(STATUSES, 0)
    dis_by_status = dict.fromkeys(STATUSES, 0)
    real_sum = 0.0
    real_n = 0
    cash_realised = cash_planned = 0.0
    bmodel = {b.id: b for b in snapshot.benefits}
    for bs in benefits:
        if bs.is_dis_benefit:
            dis_by_status[bs.status] += 1
            continue
        by_status[bs.status] += 1
        if bs.realisation_pct is not None:
            real_sum += bs.realisation_pct
            real_n += 1
        if bs.kind == "cash-releasing":
            b = bmodel[bs.benefit_id]
            if b.baseline_value is not None and b.target_value is not None:
                change = b.target_value - b.baseline_value
                # Signed towards the target so "cut cost" and "add savings" add up, not cancel.
                sign = 1.0 if change >= 0 else -1.0
                cash_planned += abs(change)
                if bs.latest is not None:
                    cash_realised += (bs.latest - b.baseline_value) * sign

    prog_rag = programme_rag(prog, [(p.code, p.rag) for p in projects])
    # The programme end date, one definition (the header's slip, the programme form and the report):
    # the baseline is the programme's own end date when entered (the end the board approved), else
    # the latest project baseline end; the forecast is the latest project forecast end.
    end_source = "projects"
    if prog is not None and prog.end_date is not None:
        max_base, end_source = prog.end_date.toordinal(), "programme"
    return ProgrammeRollup(
        name=prog.name if prog else "",
        today=pendulum.Date.fromordinal(t),
        currency=prog.currency if prog else "GBP",
        rag=prog_rag,
        slip_days=None if max_base is None or max_fore is None else max_fore - max_base,
        baseline_end=None if max_base is None else pendulum.Date.fromordinal(max_base),
        forecast_end=None if max_fore is None else pendulum.Date.fromordinal(max_fore),
        evm=total(evms),
        risks_by_band=prog_bands,
        open_risks=prog_open,
        open_high_critical=sum(n for band, n in prog_bands.items() if band in ("High", "Critical")),
        dependencies_by_status=dep_counts,
        benefits_by_status=by_status,
        dis_benefits_by_status=dis_by_status,
        realisation_pct=real_sum / real_n if real_n else None,
        cash_realised=cash_realised,
        cash_planned=cash_planned,
        projects=projects,
        benefits=benefits,
        dependencies=dep_status,
        open_opportunities=sum(opportunities.values()),
        end_date_source=end_source,
    )


# ------------------------------------------------------------------ the parts a live build reuses
# Each reads only the inputs it is memoised on (Snapshot.memo): see pgmtui.domain.memo.


def _milestone_facts(snapshot: Snapshot, t: int, near_critical_days: int) -> tuple[Any, ...]:
    """Milestones by id (for dependency ends), the next one due per project, each dependency's
    slack and status, and the late ones grouped by consumer (and by delayed other project)."""
    project_of: dict[int, int | None] = {}
    next_ms: dict[int | None, tuple[int, int, Any]] = {}
    for m in snapshot.milestones:
        project_of[m.id] = m.project_id
        if m.actual_date is None:
            d = m.forecast_date or m.baseline_date
            if d is not None:
                o = d.toordinal()
                if o >= t:
                    cur = next_ms.get(m.project_id)
                    if cur is None or (o, m.id) < (cur[0], cur[1]):
                        next_ms[m.project_id] = (o, m.id, m)

    dep_status = dependency_slacks(snapshot.milestones, snapshot.dependencies, near_critical_days)
    dep_counts = dict.fromkeys(("late", "at risk", "on track", "done", "no dates"), 0)
    incoming: dict[int | None, list[DepSlack]] = {}
    outgoing: dict[int | None, list[DepSlack]] = {}  # a late supplier delaying another project
    for ds in dep_status:
        dep_counts[ds.status] = dep_counts.get(ds.status, 0) + 1
        if ds.status == "late":
            consumer_project = project_of.get(ds.consumer_id)
            incoming.setdefault(consumer_project, []).append(ds)
            supplier_project = project_of.get(ds.supplier_id)
            if supplier_project != consumer_project:
                outgoing.setdefault(supplier_project, []).append(ds)
    return project_of, next_ms, dep_status, dep_counts, incoming, outgoing


def _risk_facts(risks: list[Risk], table: Any) -> tuple[Any, ...]:
    """Open threats counted per project by residual band, each project's worst, the programme's
    counts, and open opportunities per project (rated apart: never counted with threats)."""
    band_counts: dict[int | None, dict[str, int]] = {}
    open_counts: dict[int | None, int] = {}
    worst_risk: dict[int | None, tuple[int, Risk]] = {}
    prog_bands = dict.fromkeys(BANDS, 0)
    prog_open = 0
    opportunities: dict[int | None, int] = {}
    for r in risks:
        if r.status == "closed":
            continue
        pid = r.project_id
        if r.kind == "opportunity":  # never worsens a RAG
            opportunities[pid] = opportunities.get(pid, 0) + 1
            continue
        bc = band_counts.get(pid)
        if bc is None:
            band_counts[pid] = bc = dict.fromkeys(BANDS, 0)
            open_counts[pid] = 0
        open_counts[pid] += 1
        prog_open += 1
        p = r.residual_probability
        if p is None:
            p = r.probability
        i = r.residual_impact
        if i is None:
            i = r.impact
        if p is None or i is None:
            continue
        s = p * i
        band = table[s if 0 <= s <= 25 else (0 if s < 0 else 25)]
        bc[band] += 1
        prog_bands[band] += 1
        w = worst_risk.get(pid)
        if w is None or s > w[0]:
            worst_risk[pid] = (s, r)
    return band_counts, open_counts, worst_risk, prog_bands, prog_open, opportunities


def _benefit_facts(snapshot: Snapshot, t: int) -> tuple[list[BenefitStatus], dict[int, list[int]]]:
    """Every benefit's status (in the snapshot's order), and the benefits of each project."""
    statuses = benefit_statuses(snapshot, t)
    benefits = [statuses[b.id] for b in snapshot.benefits]
    benefits_of: dict[int, list[int]] = {}
    for bid, pids in snapshot.benefit_projects.items():
        for pid in pids:
            benefits_of.setdefault(pid, []).append(bid)
    return benefits, benefits_of


def _input(snapshot: Snapshot, table: str) -> Any:
    if table == "programme":
        return snapshot.programme
    if table in snapshot.rows:
        return snapshot.rows[table]
    return snapshot.links.get(table)


def _group_by_project(rows: Any) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row.get("project_id"), []).append(row)
    return grouped


def _rule_evidence(rule: EvidenceRule, snapshot: Snapshot, t: int) -> Mapping[int, Evidence]:
    """One evidence rule's findings, reusing the previous build's where its inputs (RULE_INPUTS)
    are the same objects. With only project records changed, a per-project rule is asked again
    for the projects whose record changed; the others keep their previous evidence."""
    inputs = RULE_INPUTS.get(rule)
    memo = snapshot.memo
    if inputs is None:
        return rule(snapshot, t)
    reads = inputs.reads
    name = ("rollup.rule", getattr(rule, "__qualname__", repr(rule)))
    others = tuple(_input(snapshot, table) for table in reads if table != "project")
    if "project" not in reads:
        return memo.get(name, t, others, lambda: rule(snapshot, t))
    projects = {p.id: p for p in snapshot.projects}
    found = memo.previous(name)
    result: Mapping[int, Evidence]
    if (
        inputs.per_project
        and found is not None
        and found[0] == t
        and len(found[1]) == len(others) + 1
        and all(a is b for a, b in zip(found[1][1:], others, strict=True))
    ):
        before: dict[int, Any] = found[1][0]
        changed = {pid for pid, p in projects.items() if before.get(pid) is not p}
        if changed:
            fresh = rule(snapshot, t, only=changed)  # type: ignore[call-arg]
            old: Mapping[int, Evidence] = found[2]
            result = {pid: ev for pid, ev in old.items() if pid in projects and pid not in changed}
            result.update(fresh)
        else:
            result = {pid: ev for pid, ev in found[2].items() if pid in projects}
    else:
        result = rule(snapshot, t)
    memo.put(name, t, (projects, *others), result)
    return result
