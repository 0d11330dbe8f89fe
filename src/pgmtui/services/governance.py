"""Governance for the CLI, the screens and the reports: alignment, business cases, gate readiness
and the exception report's data, from the store (or from a Model the app already built). Free of
textual."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pendulum

from pgmtui.domain.business_case import CaseBook, CaseResult
from pgmtui.domain.deps import AT_RISK, LATE
from pgmtui.domain.exception import ExceptionCase, assess_exception
from pgmtui.domain.governance import Alignment, GateReadiness, alignment, gate_calendar, gate_readiness
from pgmtui.domain.history import parse_changes
from pgmtui.domain.models import Snapshot
from pgmtui.domain.risk import DEFAULT_BANDS, residual_score
from pgmtui.domain.rollup import ProgrammeRollup, rollup
from pgmtui.safetext import visible_controls
from pgmtui.services.snapshot import audit_for, audit_rows, load_snapshot
from pgmtui.store import Store

__all__ = [
    "GovernanceInputError",
    "Governance",
    "alignment_of",
    "business_case_of",
    "business_cases_of",
    "exception_data",
    "exception_report_of",
    "gate_of",
    "governance_of",
]


class GovernanceInputError(ValueError):
    """Something the user asked for that cannot be given (a project within tolerance, a milestone
    that is not a gate): one line for the CLI to print."""


@dataclass
class Governance:
    """One consistent picture: the snapshot, its rollup and every business case, computed lazily."""

    snapshot: Snapshot
    rollup: ProgrammeRollup
    today: pendulum.Date
    tables: Mapping[str, list[dict[str, Any]]]

    def __post_init__(self) -> None:
        self.book = CaseBook.of(self.snapshot, self.today.toordinal())

    def alignment(self) -> Alignment:
        return alignment(self.snapshot)

    def gates(self) -> list[GateReadiness]:
        return gate_calendar(self.snapshot, self.rollup, self.today.toordinal(), book=self.book)

    def gate(self, milestone_id: int) -> GateReadiness:
        return gate_readiness(
            self.snapshot, self.rollup, milestone_id, self.today.toordinal(), book=self.book
        )


def governance_of(store: Store, today: pendulum.Date) -> Governance:
    raw, snapshot = load_snapshot(store)
    return Governance(snapshot, rollup(snapshot, today), today, raw["tables"])


def alignment_of(store: Store) -> Alignment:
    _, snapshot = load_snapshot(store, fields_only=True)
    return alignment(snapshot)


def business_case_of(store: Store, today: pendulum.Date, code: str | None) -> CaseResult:
    """A project's case (by code; None: the programme's own case)."""
    _, snapshot = load_snapshot(store, fields_only=True)
    book = CaseBook.of(snapshot, today.toordinal())
    if code is None:
        return book.programme_case()
    project = store.get("project", code)
    return book.project_case(project["id"])


def business_cases_of(store: Store, today: pendulum.Date) -> list[CaseResult]:
    """The programme's case (if recorded) and every project's (recorded or not), in project order."""
    _, snapshot = load_snapshot(store, fields_only=True)
    book = CaseBook.of(snapshot, today.toordinal())
    out = [book.programme_case()] if book.has_case(None) else []
    return out + [book.project_case(p.id) for p in snapshot.projects]


def gate_of(store: Store, today: pendulum.Date, ref: str) -> GateReadiness:
    """Readiness of the gate milestone `ref` (CODE:name, or its id)."""
    milestone = store.get("milestone", ref)
    gov = governance_of(store, today)
    if not milestone.get("is_gate"):
        code = next((p.code for p in gov.snapshot.projects if p.id == milestone["project_id"]), "?")
        raise GovernanceInputError(
            f"{code}:{milestone['name']} is not a stage gate (set is_gate=yes on the milestone first)"
        )
    return gov.gate(milestone["id"])


# ---------------------------------------------------------------------------- exception report


def _downstream(gov: Governance, project_id: int) -> list[str]:
    """Other projects' milestones fed by this project's late or at-risk dependencies."""
    snap = gov.snapshot
    codes: dict[int | None, str] = {p.id: p.code for p in snap.projects}
    ms = {m.id: m for m in snap.milestones}
    out = []
    for d in gov.rollup.dependencies:
        sup, con = ms.get(d.supplier_id), ms.get(d.consumer_id)
        if sup is None or con is None or sup.project_id != project_id or con.project_id == project_id:
            continue
        if d.status in (LATE, AT_RISK):
            slack = f"slack {d.slack:+d} d" if d.slack is not None else "no slack figure"
            out.append(
                f"{codes.get(sup.project_id, '?')}:{sup.name} → {codes.get(con.project_id, '?')}:{con.name} "
                f"({d.status}, {slack})"
            )
    return out


def _forecast_changes(store: Store, project_id: int, names: Mapping[int, str], limit: int = 8) -> list[str]:
    """The latest changes to the project's forecast, budget and progress and its milestones'
    forecasts, from the audit trail, newest first."""
    watched = {
        "project": ("forecast_end", "budget", "actual_cost", "percent_complete", "baseline_end"),
        "milestone": ("forecast_date", "baseline_date"),
    }
    rows = audit_rows(store, table="project", row_id=project_id, newest_first=True, limit=200)
    if names:
        rows += audit_for(store, {"milestone": list(names)}, limit=200)
    out: list[tuple[str, str]] = []
    for r in rows:
        if r.get("action") != "update":
            continue
        fields = watched.get(str(r.get("tbl")), ())
        changes = parse_changes(r.get("changes"))
        for name in fields:
            if name in changes:
                old, new = changes[name]
                what = (
                    "project"
                    if r["tbl"] == "project"
                    else names.get(r["row_id"], f"milestone #{r['row_id']}")
                )
                out.append(
                    (
                        str(r.get("ts")),
                        f"{str(r.get('ts'))[:10]} {visible_controls(str(r.get('user')))}: {what} "
                        f"{name.replace('_', ' ')} {_shown(old)} → {_shown(new)}",
                    )
                )
    out.sort(reverse=True)
    return [text for _, text in out[:limit]]


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:,.0f}".replace(",", " ") if abs(value) >= 1000 else f"{value:g}"
    return str(value)


def exception_data(store: Store, today: pendulum.Date, code: str) -> dict[str, Any]:
    """The exception report's data for project `code` (GovernanceInputError when it is within
    every tolerance: an exception report is raised only when a forecast breaks one)."""
    from pgmtui.exception_report import build_exception_report

    project_row = store.get("project", code)
    gov = governance_of(store, today)
    pid = project_row["id"]
    pr = next(p for p in gov.rollup.projects if p.project_id == pid)
    project = next(p for p in gov.snapshot.projects if p.id == pid)
    tol = gov.snapshot.tolerances
    statuses = {b.benefit_id: b for b in gov.rollup.benefits}
    benefits = [(statuses[b].name, statuses[b].status) for b in pr.benefit_ids if b in statuses]
    found: ExceptionCase = assess_exception(
        pr,
        project,
        tol,
        gov.book,
        downstream=_downstream(gov, pid),
        benefits=benefits,
        contingency=float(project_row.get("contingency") or 0.0),
    )
    if not found.in_exception:
        raise GovernanceInputError(
            f"{project.code} is within tolerance ({'; '.join(found.within)}): an exception report is "
            "raised only when a forecast breaks a tolerance (`pgmtui report` is the highlight report)"
        )
    names = {m.id: f"{project.code}:{m.name}" for m in gov.snapshot.milestones if m.project_id == pid}
    changes = _forecast_changes(store, pid, names)
    issues = [
        i for i in gov.tables.get("issue", []) if i.get("project_id") == pid and i.get("status") != "closed"
    ]
    risks = [
        r
        for r in gov.tables.get("risk", [])
        if r.get("project_id") == pid
        and r.get("status") != "closed"
        and (residual_score(r) or 0) >= DEFAULT_BANDS.high_min
    ]
    lessons = [x for x in gov.tables.get("lesson", []) if x.get("project_id") == pid]
    return build_exception_report(
        today=today,
        programme=gov.snapshot.programme,
        currency=gov.rollup.currency,
        project=project_row,
        project_rollup=pr,
        tolerances=tol,
        found=found,
        forecast_changes=changes,
        issues=issues,
        risks=risks,
        lessons=lessons,
    )


def exception_report_of(store: Store, today: pendulum.Date, code: str, fmt: str) -> str:
    from pgmtui.exception_report import render

    return render(exception_data(store, today, code), fmt)
