"""Highlight-report sections a PRINCE2 highlight report has beyond the basics: changes this period
summarised per project, opportunities (rated apart from threats), work planned next period and
tolerance status. One collect/layout pair per section, registered in pgmtui.report.SECTIONS.

Tolerances: the data model has no per-project tolerance fields, so every project is measured against
the programme's settings (tolerance_schedule_days, tolerance_cost_pct) — the same ones its RAG uses.
Free of textual."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pgmtui.domain.models import Programme, Tolerances, as_date
from pgmtui.domain.risk import DEFAULT_BANDS, residual_score
from pgmtui.domain.standup import (
    MEASUREMENTS,
    MILESTONES,
    PROJECTS,
    RAG,
    WHO,
    Line,
    Standup,
    standup_diff,
)
from pgmtui.reportdoc import Block, Bullets, Fixed, Flag, Heading, Paragraph, Strong, Table

if TYPE_CHECKING:
    from pgmtui.report import ReportContext

__all__ = [
    "collect_changes_by_project",
    "collect_opportunities",
    "collect_tolerances",
    "collect_work_next_period",
    "layout_changes_by_project",
    "layout_opportunities",
    "layout_tolerances",
    "layout_work_next_period",
]

# What matters in a highlight report's "changes": RAG, dates (project and milestone), status and
# budget; every other change (risks, issues, dependencies, measurements, …) is counted, not listed.
MATTERS = (RAG, PROJECTS, MILESTONES)
MAX_PER_PROJECT = 4
OTHER_NOUNS = {
    "risk": "risk",
    "issue": "issue",
    "decision": "decision",
    "assumption": "assumption",
    "dependency": "dependency",
    "benefit": "benefit",
    "milestone": "milestone",
    "project": "project",
    "measurement": "benefit measurement",
    "action": "action",
}


def period_standup(c: ReportContext) -> Standup:
    return standup_diff(
        today=c.today,
        since=c.since,
        window="this period",
        programme=c.programme,
        tables=c.tables,
        benefit_links=c.benefit_links,
        audit_rows=c.audit,
        note_updated=c.note_updated,
        now_rollup=c.rollup,
    )


def _project_of(line: Line, c: ReportContext, rows: Mapping[str, Mapping[int, Mapping[str, Any]]]) -> Any:
    """The project a stand-up line is about (None: the programme)."""
    if line.kind == "project":
        return line.record_id
    if line.kind is None or line.record_id is None or line.kind == "programme":
        return None
    row = rows.get(line.kind, {}).get(line.record_id)
    if row is None:
        return None
    if line.kind == "dependency":  # a late dependency is the consumer's problem
        consumer = rows.get("milestone", {}).get(int(row.get("consumer_id") or 0))
        return consumer.get("project_id") if consumer else None
    if line.kind == "benefit":
        return None
    return row.get("project_id")


def _noun(kind: str | None, n: int) -> str:
    word = OTHER_NOUNS.get(kind or "", "other")
    if n == 1:
        return f"1 {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") else f"{n} {word}s"


def collect_changes_by_project(c: ReportContext, su: Standup | None = None) -> dict[str, Any]:
    """Per project (programme first), the few changes that matter and a count of the rest."""
    su = su or period_standup(c)
    rows = {t: {int(r["id"]): r for r in c.tables.get(t, [])} for t in ("milestone", "dependency", *_RAID)}
    codes = c.codes
    by: dict[Any, dict[str, Any]] = {}
    for s in su.changes:
        if s.title == WHO:
            continue
        for line in s.lines:
            pid = _project_of(line, c, rows)
            entry = by.setdefault(pid, {"matters": [], "other": Counter()})
            if s.title in MATTERS and len(entry["matters"]) < MAX_PER_PROJECT:
                entry["matters"].append(line.text)
            else:  # counted: what kind of change it was
                entry["other"]["measurement" if s.title == MEASUREMENTS else line.kind or "other"] += 1
    order = [None, *[p.project_id for p in c.rollup.projects]]
    out = []
    for pid in [p for p in order if p in by] + [p for p in by if p not in order]:
        entry = by[pid]
        other: Counter = entry["other"]
        out.append(
            {
                "project": codes.get(pid, "Programme") if pid is not None else "Programme",
                "changes": entry["matters"],
                "other_changes": sum(other.values()),
                "other_by_kind": {str(k): n for k, n in sorted(other.items(), key=lambda kv: str(kv[0]))},
            }
        )
    return {"changes_by_project": out}


_RAID = ("risk", "issue", "decision", "assumption")


def layout_changes_by_project(d: Mapping[str, Any]) -> list[Block]:
    summary = d.get("changes_by_project") or []
    blocks: list[Block] = [Heading("Changes this period", "changes")]
    if not summary:
        return [*blocks, Paragraph((Fixed("No changes this period."),))]
    for p in summary:
        items: list[Any] = list(p["changes"])
        n = p["other_changes"]
        if n:
            kinds = ", ".join(_noun(k, k_n) for k, k_n in p["other_by_kind"].items())
            lead = "and " if p["changes"] else ""
            items.append(Fixed(f"{lead}{n} other change{'s' if n != 1 else ''} ({kinds})"))
        blocks += [Heading(p["project"], level=3), Bullets(tuple(items))]
    return blocks


def collect_opportunities(c: ReportContext) -> dict[str, Any]:
    codes = c.codes
    found = []
    for x in c.tables.get("risk", []):
        if x.get("kind") != "opportunity" or x.get("status") == "closed":
            continue
        s = residual_score(x)
        found.append(
            {
                "id": x["id"],
                "project": codes.get(x.get("project_id")) or "programme",
                "title": x.get("title"),
                "owner": x.get("owner"),
                "score": s,
                "band": DEFAULT_BANDS.band(s) if s is not None else None,
                "response": x.get("response"),
            }
        )
    found.sort(key=lambda o: (-(o["score"] or 0), o["id"]))
    return {"opportunities": found}


def layout_opportunities(d: Mapping[str, Any]) -> list[Block]:
    rows = [
        [
            Fixed(str(o["id"])),
            o["project"],
            o["title"],
            o["owner"],
            Fixed(f"{o['score'] if o['score'] is not None else '–'} {o['band'] or ''}".strip()),
            o["response"],
        ]
        for o in d.get("opportunities") or []
    ]
    headers = ("#", "Project", "Opportunity", "Owner", "Score", "Response")
    return [
        Heading("Opportunities", "opportunities"),
        Paragraph((Fixed("Rated apart from threats: they never make a RAG worse."),), small=True),
        Table("opportunity-table", headers, rows, frozenset({0, 4})),
    ]


def collect_work_next_period(c: ReportContext) -> dict[str, Any]:
    """Actions due in the next period (milestones are in next_milestones), overdue open ones first."""
    codes = c.codes
    t, horizon = c.today.toordinal(), c.horizon
    actions = []
    for a in c.tables.get("action", []):
        if a.get("status") in ("done", "cancelled"):
            continue
        due = as_date(a.get("due_date"))
        if due is None or due.toordinal() > horizon:
            continue
        actions.append(
            {
                "id": a["id"],
                "project": codes.get(a.get("project_id")) or "programme",
                "title": a.get("title"),
                "owner": a.get("owner"),
                "due_date": due.isoformat(),
                "overdue": due.toordinal() < t,
            }
        )
    actions.sort(key=lambda a: (a["due_date"], a["id"]))
    return {"next_actions": actions}


def layout_work_next_period(d: Mapping[str, Any]) -> list[Block]:
    """Work planned next period: the milestones due (next_milestones) and the actions due."""
    ms = [
        [
            Fixed(m["date"]),
            m["project"],
            (Fixed("◆ " if m["is_gate"] else ""), m["name"]),
            Fixed(_days(m["variance_days"])),
        ]
        for m in d.get("next_milestones") or []
    ]
    acts = [
        [
            (Fixed(a["due_date"]), Flag("overdue") if a["overdue"] else ()),
            a["project"],
            a["title"],
            a["owner"],
        ]
        for a in d.get("next_actions") or []
    ]
    blocks: list[Block] = [
        Heading(Fixed(f"Work planned next period (to {d['next_period_end']})"), "milestones"),
        Table("milestone-table", ("Date", "Project", "Milestone", "Against baseline"), ms, frozenset({3})),
    ]
    if acts:
        blocks.append(Table("action-table", ("Due", "Project", "Action", "Owner"), acts))
    else:
        blocks.append(Paragraph((Fixed("No open actions due in the next period."),), small=True))
    return blocks


def collect_tolerances(c: ReportContext) -> dict[str, Any]:
    """Time and cost against the tolerances, per project: within, or exceeded (an exception)."""
    tol = _tolerances(c)
    out = []
    for p in c.rollup.projects:
        slip = p.slip_days
        e = p.evm
        over_pct = None
        if e.eac is not None and e.bac:
            over_pct = (e.eac - e.bac) / e.bac * 100.0
        out.append(
            {
                "project": p.code,
                "time": {
                    "slip_days": slip,
                    "tolerance_days": tol.schedule_days,
                    "status": _status(slip, tol.schedule_days),
                },
                "cost": {
                    "eac_over_bac_pct": None if over_pct is None else round(over_pct, 1),
                    "tolerance_pct": tol.cost_pct,
                    "status": _status(over_pct, tol.cost_pct),
                },
            }
        )
    return {"tolerances": {"source": "programme settings", "projects": out}}


def _tolerances(c: ReportContext) -> Tolerances:
    prog = Programme.from_row(c.programme) if c.programme else None
    return Tolerances.of(prog)


def _status(value: float | None, tolerance: float) -> str:
    if value is None:
        return "not assessed"
    if value <= 0:
        return "within plan"
    return "within tolerance" if value <= tolerance else "exceeded"


def layout_tolerances(d: Mapping[str, Any]) -> list[Block]:
    t = d.get("tolerances") or {"projects": []}

    def cell(status: str) -> Any:
        return Strong(Fixed(status)) if status == "exceeded" else Fixed(status)

    rows = [
        [
            p["project"],
            Fixed(_days(p["time"]["slip_days"])),
            cell(p["time"]["status"]),
            Fixed(
                "–" if p["cost"]["eac_over_bac_pct"] is None else f"{p['cost']['eac_over_bac_pct']:+.1f} %"
            ),
            cell(p["cost"]["status"]),
        ]
        for p in t["projects"]
    ]
    first = t["projects"][0] if t["projects"] else None
    limits = (
        f"Tolerances from the programme settings (no project has its own): time +{first['time']['tolerance_days']} d, "
        f"cost +{first['cost']['tolerance_pct']:g} % of budget. Exceeded: an exception for the board."
        if first
        else "No projects."
    )
    return [
        Heading("Tolerance status", "tolerances"),
        Paragraph((Fixed(limits),), small=True),
        Table("tolerance-table", ("Project", "Slip", "Time", "EAC vs BAC", "Cost"), rows, frozenset({1, 3})),
    ]


def _days(v: Any) -> str:
    return "–" if v is None else (f"{v:+d} d" if v else "0 d")
