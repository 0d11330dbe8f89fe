"""The post-programme (or end-of-stage) review: per project, how it ended against its plan — end
date against the baseline, final cost against the budget, CPI/SPI, benefits realised against those
planned, change requests, risks that became issues, gates and lessons recorded — then the lessons
and the lesson candidates harvested from the audit trail (pgmtui.domain.candidates).

`review_data` returns plain JSON-able data (the `pgmtui review --format json` contract: keys
`projects`, `lessons`, `candidates`); pgmtui.reviewdoc renders it. Pure.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pendulum

from pgmtui.domain.benefits import AT_RISK, NO_DATA, OFF_TRACK, ON_TRACK, REALISED, BenefitStatus
from pgmtui.domain.candidates import Candidate, harvest
from pgmtui.domain.models import as_date
from pgmtui.domain.rollup import ProgrammeRollup, ProjectRollup

__all__ = ["REVIEW", "became_issues", "review_data"]

REVIEW = "post-programme review"
CLOSED = "closed"
# Words too common in risk and issue titles to say two of them are about the same thing.
_STOP = frozenset(
    """with from that this into than have been will when what which their there about after before
    than over under more less some only also does done could would should cannot into onto upon
    project programme risk issue phase stage team work plan""".split()
)


def _finite(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return float(value)


def _round(value: Any, digits: int = 2) -> float | None:
    v = _finite(value)
    return None if v is None else round(v, digits)


def _words(text: Any) -> set[str]:
    out = set()
    for word in re.findall(r"[a-z0-9]+", str(text or "").lower()):
        if len(word) >= 4 and word not in _STOP:
            out.add(word[:-1] if word.endswith("s") and len(word) > 4 else word)
    return out


def became_issues(
    risks: Iterable[Mapping[str, Any]], issues: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Risks that became issues: an issue of the same project (or both programme-level), raised
    after the risk was logged, whose title shares at least two significant words with the risk's
    (a heuristic: the words are listed so a reader can judge). Each issue is matched to its closest
    risk."""
    risks = list(risks)
    out = []
    for issue in sorted(issues, key=lambda i: i["id"]):
        words = _words(issue.get("title"))
        best: tuple[int, int, Mapping[str, Any], list[str]] | None = None
        for risk in risks:
            if risk.get("project_id") != issue.get("project_id"):
                continue
            if str(risk.get("created_at") or "") > str(issue.get("created_at") or "~"):
                continue  # logged after the issue: not a risk that came true
            shared = sorted(words & _words(risk.get("title")))
            if len(shared) >= 2 and (best is None or (len(shared), -risk["id"]) > (best[0], best[1])):
                best = (len(shared), -risk["id"], risk, shared)
        if best is not None:
            risk = best[2]
            out.append(
                {
                    "project_id": issue.get("project_id"),
                    "risk_id": risk["id"],
                    "risk": risk.get("title"),
                    "issue_id": issue["id"],
                    "issue": issue.get("title"),
                    "shared_words": best[3],
                }
            )
    return out


def _milestones(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    achieved = [m for m in rows if m.get("actual_date")]
    late = []
    for m in achieved:
        base, actual = as_date(m.get("baseline_date")), as_date(m.get("actual_date"))
        if base is not None and actual is not None and actual > base:
            late.append(actual.toordinal() - base.toordinal())
    return {
        "total": len(rows),
        "achieved": len(achieved),
        "on_time": len(achieved) - len(late),
        "late": len(late),
        "worst_late_days": max(late) if late else None,
    }


def _benefits(statuses: Sequence[BenefitStatus]) -> dict[str, Any]:
    mine = [b for b in statuses if not b.is_dis_benefit]
    counts = Counter(b.status for b in mine)
    pcts = [v for b in mine if (v := _finite(b.realisation_pct)) is not None]
    return {
        "planned": len(mine),
        "realised": counts[REALISED],
        "on_track": counts[ON_TRACK],
        "at_risk": counts[AT_RISK],
        "off_track": counts[OFF_TRACK],
        "no_data": counts[NO_DATA],
        "realisation_pct": _round(sum(pcts) / len(pcts), 1) if pcts else None,
        "names": [b.name for b in mine],
    }


def _change_requests(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    counts = Counter(r.get("status") or "raised" for r in rows)
    approved = [r for r in rows if r.get("status") == "approved"]
    return {
        "total": len(rows),
        "raised": counts["raised"],
        "approved": counts["approved"],
        "rejected": counts["rejected"],
        "withdrawn": counts["withdrawn"],
        "approved_cost_impact": round(sum(float(r.get("cost_impact") or 0) for r in approved), 2),
        "approved_schedule_days": sum(int(r.get("schedule_impact_days") or 0) for r in approved),
    }


def _project(
    p: ProjectRollup,
    row: Mapping[str, Any],
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    benefits: Mapping[int, BenefitStatus],
    pairs: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    pid = p.project_id
    milestones = [m for m in tables.get("milestone", []) if m.get("project_id") == pid]
    gate_ids = {m["id"]: m for m in milestones if m.get("is_gate")}
    gates = [
        {
            "milestone": gate_ids[g["milestone_id"]].get("name"),
            "review_date": g.get("review_date"),
            "outcome": g.get("outcome"),
        }
        for g in sorted(tables.get("gate_review", []), key=lambda g: (str(g.get("review_date")), g["id"]))
        if g.get("milestone_id") in gate_ids
    ]
    budget = _finite(p.evm.bac)
    eac = _finite(p.evm.eac)
    closed = (p.stage or "").strip().lower() == CLOSED
    final_cost = _finite(p.evm.ac) if closed else eac
    variance = None if budget is None or final_cost is None else round(final_cost - budget, 2)
    return {
        "id": pid,
        "code": p.code,
        "name": p.name,
        "manager": p.manager,
        "stage": p.stage,
        "closed": closed,
        "rag": p.rag.final,
        "baseline_end": row.get("baseline_end"),
        "end": row.get("forecast_end"),  # the actual end for a closed project, else the forecast
        "end_is_actual": closed,
        "end_variance_days": p.slip_days,
        "budget": budget,
        "actual_cost": _finite(p.evm.ac),
        "eac": eac,
        "cost": final_cost,  # actual for a closed project, EAC otherwise
        "cost_variance": variance,
        "cost_variance_pct": None if variance is None or not budget else round(100 * variance / budget, 1),
        "cpi": _round(p.evm.cpi),
        "spi": _round(p.evm.spi),
        "percent_complete": _finite(p.percent_complete),
        "milestones": _milestones(milestones),
        "benefits": _benefits([benefits[b] for b in p.benefit_ids if b in benefits]),
        "change_requests": _change_requests(
            [r for r in tables.get("change_request", []) if r.get("project_id") == pid]
        ),
        "risks_became_issues": [x for x in pairs if x["project_id"] == pid],
        "gates": gates,
        "lessons": sum(1 for r in tables.get("lesson", []) if r.get("project_id") == pid),
    }


def _lesson(row: Mapping[str, Any], code_of: Mapping[Any, str], label_of: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "date": row.get("date"),
        "project": code_of.get(row.get("project_id")),
        "category": row.get("category"),
        "title": row.get("title"),
        "what_happened": row.get("what_happened"),
        "recommendation": row.get("recommendation"),
        "source": row.get("source"),
        "source_label": label_of(row.get("source")) if row.get("source") else None,
        "raised_by": row.get("raised_by"),
    }


def review_data(
    *,
    today: pendulum.Date,
    programme: Mapping[str, Any] | None,
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    rollup_now: ProgrammeRollup,
    audit: Sequence[Mapping[str, Any]],
    rag_points: Mapping[int, Sequence[tuple[pendulum.Date, str | None, str]]],
    label_of: Any = None,
) -> dict[str, Any]:
    """The whole review as JSON-able data. `rag_points` is candidates.rag_history's result;
    `label_of(kind:id)` names a lesson's source as people type it (project:IAM) — by default the
    stored `kind:id`."""
    label_of = label_of or (lambda link: link)
    rows_of = {p["id"]: p for p in tables.get("project", [])}
    code_of: dict[Any, str] = {pid: str(r.get("code")) for pid, r in rows_of.items()}
    pairs = became_issues(tables.get("risk", []), tables.get("issue", []))
    benefits = {b.benefit_id: b for b in rollup_now.benefits}
    projects = [
        _project(p, rows_of.get(p.project_id, {}), tables, benefits, pairs)
        for p in sorted(rollup_now.projects, key=lambda p: p.code.lower())
    ]
    tolerance = int((programme or {}).get("tolerance_schedule_days") or 10)
    candidates: list[Candidate] = harvest(
        today=today,
        tables=tables,
        audit=audit,
        tolerance_days=tolerance,
        benefit_statuses=rollup_now.benefits,
        rag_points=rag_points,
    )
    lessons = sorted(
        tables.get("lesson", []), key=lambda r: (str(r.get("date") or ""), r["id"]), reverse=True
    )
    trail = sorted(str(a.get("ts")) for a in audit) if audit else []
    return {
        "report": REVIEW,
        "programme": (programme or {}).get("name") or rollup_now.name or "",
        "date": today.isoformat(),
        "currency": rollup_now.currency,
        "schedule_tolerance_days": tolerance,
        "history": {"from": trail[0][:10] if trail else None, "to": trail[-1][:10] if trail else None},
        "summary": {
            "projects": len(projects),
            "closed": sum(1 for p in projects if p["closed"]),
            "lessons": len(lessons),
            "candidates": len(candidates),
            "candidates_recorded": sum(1 for c in candidates if c.recorded),
            "risks_became_issues": len(pairs),
        },
        "programme_risks_became_issues": [x for x in pairs if x["project_id"] is None],
        "projects": projects,
        "lessons": [_lesson(r, code_of, label_of) for r in lessons],
        "candidates": [c.to_json() for c in candidates],
    }
