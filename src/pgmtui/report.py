"""The PRINCE2-style highlight report: sections defined once, rendered as JSON, Markdown and HTML.

Each section is a :class:`Section` in :data:`SECTIONS`: ``collect`` turns the period's rows and
rollups (a :class:`ReportContext`) into the section's JSON keys, ``layout`` turns those keys into
neutral blocks (pgmtui.reportdoc: headings, paragraphs, tables, lists, RAG cells) that the Markdown
and HTML renderers draw. :func:`build_report` returns the JSON-able dict (scripts read its keys);
:func:`to_json`, :func:`to_markdown` and :func:`to_html` render it. Adding a section (finance,
stakeholders, …) is one collect/layout pair and one line in SECTIONS (the trend's is in
pgmtui.reporttrend). Writing files is the
caller's job (CLI `pgmtui report`, the stand-up screen's `x`). Free of textual.

"This period" is the database now; "last period" is the database rewound through the audit trail to
the period start, run through the same rules. Record text is data: Markdown escapes every character
a forge would interpret, HTML escapes everything through ``html.escape``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pendulum

from pgmtui import jsonout
from pgmtui.domain.benefits import AT_RISK, OFF_TRACK, ON_TRACK, REALISED
from pgmtui.domain.deps import AT_RISK as DEP_AT_RISK
from pgmtui.domain.deps import LATE
from pgmtui.domain.evm import fmt_money, fmt_ratio
from pgmtui.domain.models import as_date
from pgmtui.domain.rag import RAG_WORDS, worst
from pgmtui.domain.risk import DEFAULT_BANDS, residual_score
from pgmtui.domain.rollup import ProgrammeRollup
from pgmtui.domain.standup import WHO, _rollup_of, rewind
from pgmtui.domain.trend import Trend
from pgmtui.report_finance import collect_finance, layout_finance
from pgmtui.report_period import (
    collect_changes_by_project,
    collect_opportunities,
    collect_tolerances,
    collect_work_next_period,
    layout_changes_by_project,
    layout_opportunities,
    layout_tolerances,
    layout_work_next_period,
    period_standup,
)
from pgmtui.report_stakeholders import collect_stakeholder_engagement, layout_stakeholder_engagement
from pgmtui.reportdoc import (
    Block,
    Bullets,
    Facts,
    Fixed,
    Flag,
    Heading,
    Inline,
    Lines,
    Paragraph,
    Quote,
    Rag,
    Strong,
    Table,
    md,
    to_html_blocks,
    to_markdown_blocks,
)
from pgmtui.reportdoc import h as _h
from pgmtui.reporttrend import collect_trend, layout_trend

__all__ = [
    "DIMENSIONS",
    "FORMATS",
    "SECTIONS",
    "ReportContext",
    "Section",
    "build_report",
    "dimensions",
    "md",
    "render",
    "to_html",
    "to_json",
    "to_markdown",
]

FORMATS = ("md", "html", "json")
DIMENSIONS = ("time", "cost", "scope/quality", "risk", "benefits")
PRIORITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}
KEY_RISK_MIN = DEFAULT_BANDS.high_min  # residual score from which a risk is "key"
MAX_KEY_RISKS = 12


# ---------------------------------------------------------------------------- the data


def dimensions(
    r: ProgrammeRollup, tables: Mapping[str, Iterable[Mapping[str, Any]]]
) -> dict[str, dict[str, Any]]:
    """Programme RAG per PRINCE2 tolerance area, each with the evidence in words.

    time: worst project schedule/dependency rating; cost: worst project cost rating; scope/quality:
    open issues (a critical one R, a high one A); risk: worst project risk rating and programme-level
    risks; benefits: any benefit Off track R, At risk A, else G (no benefits: not assessed).
    """

    def ev(dim: str) -> list[tuple[str, str | None, str]]:
        return [(p.code, e.rag, e.text) for p in r.projects for e in p.rag.evidence if e.dimension == dim]

    out: dict[str, dict[str, Any]] = {}
    sched = ev("schedule") + ev("dependencies")
    t_rag = worst(x[1] for x in sched)
    bad = sorted({c for c, g, _ in sched if g == t_rag and g in ("A", "R")})
    slip = f"programme end forecast {r.forecast_end.isoformat() if r.forecast_end else '–'}"
    if r.slip_days is not None and r.baseline_end is not None:
        # One definition of the programme end (rollup): its own end date when entered, else the
        # latest project baseline end.
        against = "the programme end date" if r.end_date_source == "programme" else "the baseline"
        slip += f" ({r.slip_days:+d} d against {against} {r.baseline_end.isoformat()})"
    out["time"] = {
        "rag": t_rag,
        "text": f"{slip}; {r.late_dependencies} late dependencies"
        + (f"; {RAG_WORDS[t_rag]}: {', '.join(bad)}" if bad and t_rag else ""),
    }
    cost = ev("cost")
    c_rag = worst(x[1] for x in cost)
    over = sorted({c for c, g, _ in cost if g == c_rag and g in ("A", "R")})
    out["cost"] = {
        "rag": c_rag,
        "text": f"EAC {fmt_money(r.evm.eac)} against BAC {fmt_money(r.evm.bac)} {r.currency}; CPI {fmt_ratio(r.evm.cpi)}"
        + (f"; {RAG_WORDS[c_rag]}: {', '.join(over)}" if over and c_rag else ""),
    }
    issues = [i for i in tables.get("issue", []) if i.get("status") != "closed"]
    n_crit = sum(1 for i in issues if i.get("priority") == "critical")
    n_high = sum(1 for i in issues if i.get("priority") == "high")
    out["scope/quality"] = {
        "rag": "R" if n_crit else "A" if n_high else "G",
        "text": f"{len(issues)} open issues ({n_crit} critical, {n_high} high)",
    }
    prog_risks = [
        x for x in tables.get("risk", []) if x.get("project_id") is None and x.get("status") != "closed"
    ]
    scores = [residual_score(x) or 0 for x in prog_risks]
    prog_rag = (
        "R"
        if any(s >= DEFAULT_BANDS.critical_min for s in scores)
        else "A"
        if any(s >= DEFAULT_BANDS.high_min for s in scores)
        else "G"
    )
    k_rag = worst([*(x[1] for x in ev("risk")), prog_rag])
    out["risk"] = {
        "rag": k_rag,
        "text": f"{r.risks_by_band.get('Critical', 0)} Critical and {r.risks_by_band.get('High', 0)} High open risks",
    }
    st = r.benefits_by_status
    b_total = sum(st.values())
    b_rag = None
    if b_total:
        b_rag = "R" if st.get(OFF_TRACK) else "A" if st.get(AT_RISK) else "G"
    real = f"; {r.realisation_pct:.0f} % realised on average" if _finite(r.realisation_pct) else ""
    out["benefits"] = {
        "rag": b_rag,
        "text": (
            f"{st.get(REALISED, 0) + st.get(ON_TRACK, 0)} realised or on track, {st.get(AT_RISK, 0)} at risk, "
            f"{st.get(OFF_TRACK, 0)} off track{real}"
        )
        if b_total
        else "no benefits recorded",
    }
    return out


# ---------------------------------------------------------------------------- sections


@dataclass
class ReportContext:
    """What every section's ``collect`` may read: the period, the rows now and at the period start
    (rewound through the audit trail), and both rollups."""

    today: pendulum.Date
    period_start: pendulum.DateTime
    since: str
    programme: Mapping[str, Any] | None
    tables: Mapping[str, list[Mapping[str, Any]]]
    benefit_links: Mapping[int, list[int]]
    rollup: ProgrammeRollup  # now
    rollup_then: ProgrammeRollup  # at the period start
    then: Mapping[str, Mapping[int, Mapping[str, Any]]]  # rows at the period start, by table and id
    audit: list[Mapping[str, Any]]
    note_updated: Mapping[int, str] | None
    next_period_days: int
    trend: Trend | None = None  # weekly points over the period (services.trend), if computed

    @property
    def codes(self) -> dict[Any, str]:  # project id → code (a row's project_id may be None)
        return {p["id"]: p["code"] for p in self.tables.get("project", [])}

    @property
    def horizon(self) -> int:
        """The last day of the next period, as an ordinal."""
        return self.today.toordinal() + self.next_period_days


@dataclass(frozen=True)
class Section:
    """One part of the report. ``collect`` returns the section's JSON keys (None: a section that
    only lays out keys others collected); ``layout`` turns the report's data into blocks."""

    name: str
    collect: Callable[[ReportContext], dict[str, Any]] | None
    layout: Callable[[Mapping[str, Any]], list[Block]]


def _collect_header(c: ReportContext) -> dict[str, Any]:
    prog = c.programme or {}
    start = c.period_start
    return {
        "report": "highlight",
        "programme": c.rollup.name or prog.get("name") or "",
        "sponsor": prog.get("sponsor"),
        "manager": prog.get("manager"),
        "currency": c.rollup.currency,
        "date": c.today.isoformat(),
        "period": {
            "start": start.date().isoformat() if hasattr(start, "date") else str(start)[:10],
            "end": c.today.isoformat(),
        },
        "next_period_end": pendulum.Date.fromordinal(c.horizon).isoformat(),
    }


def _layout_header(d: Mapping[str, Any]) -> list[Block]:
    return [
        Heading((Fixed("Highlight report — "), d["programme"]), level=1),
        Facts(
            (
                ("Period", Fixed(f"{d['period']['start']} to {d['period']['end']}")),
                ("Sponsor", d.get("sponsor")),
                ("Programme manager", d.get("manager")),
            )
        ),
    ]


def _collect_overall(c: ReportContext) -> dict[str, Any]:
    r = c.rollup
    return {
        "overall": {
            "rag": r.rag.final,
            "rag_label": r.rag.label,
            "rag_last": c.rollup_then.rag.final,
            "override_reason": r.rag.reason if r.rag.overridden else None,
            "evidence": [e.text for e in r.rag.evidence],
            "status_note": (c.programme or {}).get("status_note"),
        }
    }


def _layout_overall(d: Mapping[str, Any]) -> list[Block]:
    o = d["overall"]
    blocks: list[Block] = [
        Heading("Overall status", "overall"),
        Paragraph(
            (
                Fixed("This period "),
                Rag(o["rag"], bool(o["override_reason"])),
                Fixed(" (override)" if o["override_reason"] else ""),
                Fixed(" · last period "),
                Rag(o["rag_last"]),
            )
        ),
    ]
    if o["override_reason"]:
        blocks.append(Paragraph((Strong(Fixed("Override reason:")), Fixed(" "), o["override_reason"])))
    blocks.append(Bullets(tuple(o["evidence"])))
    if o.get("status_note"):
        blocks.append(Quote(o["status_note"]))
    return blocks


def _collect_dimensions(c: ReportContext) -> dict[str, Any]:
    then_tables = {t: list(rows.values()) for t, rows in c.then.items()}
    now, then = dimensions(c.rollup, c.tables), dimensions(c.rollup_then, then_tables)
    return {
        "dimensions": [
            {"name": n, "rag": now[n]["rag"], "rag_last": then[n]["rag"], "text": now[n]["text"]}
            for n in DIMENSIONS
        ]
    }


def _layout_dimensions(d: Mapping[str, Any]) -> list[Block]:
    rows = [
        [Fixed(x["name"].capitalize()), Rag(x["rag"]), Rag(x["rag_last"]), x["text"]] for x in d["dimensions"]
    ]
    return [
        Heading("Status by dimension", "dimensions"),
        Table("dimension-table", ("Dimension", "This period", "Last period", "Evidence"), rows),
    ]


def _collect_projects(c: ReportContext) -> dict[str, Any]:
    then_projects = {p.project_id: p for p in c.rollup_then.projects}
    notes = {p["id"]: p.get("status_note") for p in c.tables.get("project", [])}
    projects = []
    for p in c.rollup.projects:
        old = then_projects.get(p.project_id)
        worst_ev = [e.text for e in p.rag.evidence if e.rag == p.rag.computed and e.rag in ("A", "R")]
        projects.append(
            {
                "id": p.project_id,
                "code": p.code,
                "name": p.name,
                "manager": p.manager,
                "stage": p.stage,
                "rag": p.rag.final,
                "rag_label": p.rag.label,
                "rag_last": old.rag.final if old else None,
                "override_reason": p.rag.reason if p.rag.overridden else None,
                "evidence": worst_ev,
                "slip_days": p.slip_days,
                "percent_complete": p.percent_complete,
                "cpi": p.evm.cpi,
                "spi": p.evm.spi,
                "eac": p.evm.eac,
                "bac": p.evm.bac,
                "status_note": notes.get(p.project_id),
            }
        )
    return {"projects": projects}


def _layout_projects(d: Mapping[str, Any]) -> list[Block]:
    rows = [
        [
            (Strong(p["code"]), Fixed(" "), p["name"]),
            p["manager"],
            Rag(p["rag"], bool(p["override_reason"])),
            Rag(p["rag_last"]),
            Fixed(_days(p["slip_days"])),
            Fixed(_num(p["percent_complete"], ".0f", " %")),
            Fixed(_num(p["cpi"], ".2f")),
            Fixed(_num(p["spi"], ".2f")),
            Lines(
                tuple(
                    ([f"Override: {p['override_reason']}"] if p["override_reason"] else [])
                    + p["evidence"]
                    + ([p["status_note"]] if p["status_note"] else [])
                )
            ),
        ]
        for p in d["projects"]
    ]
    headers = ("Project", "Manager", "RAG", "Last", "Slip", "Done", "CPI", "SPI", "Summary")
    return [Heading("Projects", "projects"), Table("project-table", headers, rows, frozenset({4, 5, 6, 7}))]


def _collect_changes(c: ReportContext) -> dict[str, Any]:
    """ "changes": every change line of the period by stand-up section (for scripts); the report
    shows "changes_by_project": per project the few that matter, with a count of the rest."""
    su = period_standup(c)
    return {
        "changes": [
            {"title": s.title, "lines": [ln.text for ln in s.lines]}
            for s in su.changes
            if s.lines and s.title != WHO
        ],
        **collect_changes_by_project(c, su),
    }


def _collect_key_risks(c: ReportContext) -> dict[str, Any]:
    codes = c.codes
    then_risks = c.then.get("risk", {})
    risks = []
    for x in c.tables.get("risk", []):
        if x.get("status") == "closed" or x.get("kind") == "opportunity":
            continue  # opportunities have their own section: never under "Key risks"
        s = residual_score(x)
        if s is None or s < KEY_RISK_MIN:
            continue
        old = then_risks.get(x["id"])
        s_old = residual_score(old) if old else None
        risks.append(
            {
                "id": x["id"],
                "project": codes.get(x.get("project_id")) or "programme",
                "title": x.get("title"),
                "owner": x.get("owner"),
                "score": s,
                "band": DEFAULT_BANDS.band(s),
                "score_last": s_old,
                "trend": "new"
                if old is None
                else ("↑" if s > (s_old or 0) else "↓" if s < (s_old or 0) else "→"),
                "response": x.get("response"),
                "proximity": x.get("proximity"),
                "review_date": x.get("review_date"),
            }
        )
    risks.sort(key=lambda k: (-k["score"], k["id"]))
    return {"key_risks": risks[:MAX_KEY_RISKS]}


def _layout_key_risks(d: Mapping[str, Any]) -> list[Block]:
    rows = [
        [
            Fixed(str(x["id"])),
            x["project"],
            x["title"],
            x["owner"],
            Fixed(f"{x['score']} {x['band']}"),
            x["trend"],
            x["response"],
        ]
        for x in d["key_risks"]
    ]
    headers = ("#", "Project", "Risk", "Owner", "Score", "Trend", "Response")
    return [Heading("Key risks", "risks"), Table("risk-table", headers, rows, frozenset({0, 4}))]


def _collect_key_issues(c: ReportContext) -> dict[str, Any]:
    """Open issues that are high or critical, or past their due date (overdue ones of any priority)."""
    codes = c.codes
    t = c.today.toordinal()
    issues = []
    for i in c.tables.get("issue", []):
        if i.get("status") == "closed":
            continue
        due = as_date(i.get("due_date"))
        overdue = bool(due and due.toordinal() < t)
        if not overdue and i.get("priority") not in ("critical", "high"):
            continue
        issues.append(
            {
                "id": i["id"],
                "project": codes.get(i.get("project_id")) or "programme",
                "title": i.get("title"),
                "owner": i.get("owner"),
                "priority": i.get("priority"),
                "status": i.get("status"),
                "due_date": i.get("due_date"),
                "overdue": overdue,
            }
        )
    issues.sort(
        key=lambda i: (
            not i["overdue"],
            PRIORITY_RANK.get(i["priority"] or "", 9),
            i["due_date"] or "9999",
            i["id"],
        )
    )
    return {"key_issues": issues}


def _layout_key_issues(d: Mapping[str, Any]) -> list[Block]:
    rows = [
        [
            Fixed(str(i["id"])),
            i["project"],
            i["title"],
            i["owner"],
            i["priority"],
            i["status"],
            (Fixed(i["due_date"] or "–"), Flag("overdue") if i.get("overdue") else ()),
        ]
        for i in d["key_issues"]
    ]
    headers = ("#", "Project", "Issue", "Owner", "Priority", "Status", "Due")
    return [
        Heading("Key issues", "issues"),
        Paragraph((Fixed("Open high and critical issues, and every issue past its due date."),), small=True),
        Table("issue-table", headers, rows, frozenset({0})),
    ]


def _collect_dependency_exceptions(c: ReportContext) -> dict[str, Any]:
    codes = c.codes
    ms_by_id = {m["id"]: m for m in c.tables.get("milestone", [])}

    def label(mid: int) -> str:
        m = ms_by_id.get(mid)
        return f"{codes.get(m['project_id'], '?')}:{m['name']}" if m else f"#{mid}"

    deps = [
        {
            "id": d.dependency_id,
            "supplier": label(d.supplier_id),
            "consumer": label(d.consumer_id),
            "type": d.type,
            "slack_days": d.slack,
            "status": d.status,
        }
        for d in c.rollup.dependencies
        if d.status in (LATE, DEP_AT_RISK)
    ]
    deps.sort(key=lambda d: (d["slack_days"] if d["slack_days"] is not None else 0, d["id"]))
    return {"dependency_exceptions": deps}


def _layout_dependency_exceptions(d: Mapping[str, Any]) -> list[Block]:
    rows = [
        [x["supplier"], x["consumer"], x["type"], Fixed(_days(x["slack_days"])), x["status"]]
        for x in d["dependency_exceptions"]
    ]
    headers = ("Supplier", "Consumer", "Type", "Slack", "Status")
    return [
        Heading("Dependency exceptions", "dependencies"),
        Table("dependency-table", headers, rows, frozenset({3})),
    ]


def _collect_benefits(c: ReportContext) -> dict[str, Any]:
    return {
        "benefits": [
            {
                "id": b.benefit_id,
                "name": b.name,
                "kind": b.kind,
                "status": b.status,
                "realisation_pct": b.realisation_pct,
                "latest": b.latest,
                "target": b.target_value,
                "unit": b.unit,
                "target_date": b.target_date.isoformat() if b.target_date else None,
            }
            for b in c.rollup.benefits
        ]
    }


def _layout_benefits(d: Mapping[str, Any]) -> list[Block]:
    rows: list[list[Inline]] = [
        [
            b["name"],
            b["kind"],
            b["status"],
            Fixed(_num(b["realisation_pct"], ".0f", " %")),
            Fixed(_num(b["latest"], "g")),
            (Fixed(_num(b["target"], "g")), (Fixed(" "), b["unit"]) if b["unit"] else ()),
            Fixed(b["target_date"] or "–"),
        ]
        for b in d["benefits"]
    ]
    headers = ("Benefit", "Kind", "Status", "Realised", "Latest", "Target", "By")
    return [Heading("Benefits", "benefits"), Table("benefit-table", headers, rows, frozenset({3, 4, 5}))]


def _collect_decisions(c: ReportContext) -> dict[str, Any]:
    codes = c.codes
    t = c.today.toordinal()
    decisions = []
    for d in c.tables.get("decision", []):
        if d.get("status") != "needed":
            continue
        due = as_date(d.get("due_date"))
        decisions.append(
            {
                "id": d["id"],
                "project": codes.get(d.get("project_id")) or "programme",
                "title": d.get("title"),
                "owner": d.get("owner"),
                "priority": d.get("priority"),
                "due_date": d.get("due_date"),
                "overdue": bool(due and due.toordinal() < t),
            }
        )
    decisions.sort(key=lambda d: (d["due_date"] or "9999", d["id"]))
    return {"decisions_needed": decisions}


def _layout_decisions(d: Mapping[str, Any]) -> list[Block]:
    rows = [
        [
            Fixed(str(x["id"])),
            x["project"],
            x["title"],
            x["owner"],
            (Fixed(x["due_date"] or "–"), Flag("overdue") if x["overdue"] else ()),
        ]
        for x in d["decisions_needed"]
    ]
    headers = ("#", "Project", "Decision", "Owner", "Due")
    return [Heading("Decisions needed", "decisions"), Table("decision-table", headers, rows, frozenset({0}))]


def _collect_next_milestones(c: ReportContext) -> dict[str, Any]:
    codes = c.codes
    t, horizon = c.today.toordinal(), c.horizon
    upcoming = []
    for m in c.tables.get("milestone", []):
        if m.get("actual_date"):
            continue
        f = as_date(m.get("forecast_date")) or as_date(m.get("baseline_date"))
        if f is None or not (t <= f.toordinal() <= horizon):
            continue
        base = as_date(m.get("baseline_date"))
        upcoming.append(
            {
                "id": m["id"],
                "project": codes.get(m.get("project_id"), "?"),
                "name": m.get("name"),
                "date": f.isoformat(),
                "baseline_date": base.isoformat() if base else None,
                "variance_days": f.toordinal() - base.toordinal() if base else None,
                "is_gate": bool(m.get("is_gate")),
            }
        )
    upcoming.sort(key=lambda m: (m["date"], m["project"], m["id"]))
    return {"next_milestones": upcoming}


def _no_blocks(d: Mapping[str, Any]) -> list[Block]:
    return []


def _layout_footer(d: Mapping[str, Any]) -> list[Block]:
    return [
        Paragraph(
            (Fixed("Currency: "), d["currency"], Fixed(f". Generated by pgmtui on {d['date']}.")),
            small=True,
        )
    ]


# The report, in reading order. JSON keys come from `collect`, so each section owns its keys.
SECTIONS: list[Section] = [
    Section("header", _collect_header, _layout_header),
    Section("overall", _collect_overall, _layout_overall),
    Section("dimensions", _collect_dimensions, _layout_dimensions),
    Section("tolerances", collect_tolerances, layout_tolerances),
    Section("projects", _collect_projects, _layout_projects),
    Section("finance", collect_finance, layout_finance),
    Section("trend", collect_trend, layout_trend),
    Section("changes", _collect_changes, layout_changes_by_project),
    Section("key risks", _collect_key_risks, _layout_key_risks),
    Section("opportunities", collect_opportunities, layout_opportunities),
    Section("key issues", _collect_key_issues, _layout_key_issues),
    Section("dependency exceptions", _collect_dependency_exceptions, _layout_dependency_exceptions),
    Section("benefits", _collect_benefits, _layout_benefits),
    Section("stakeholder engagement", collect_stakeholder_engagement, layout_stakeholder_engagement),
    Section("decisions", _collect_decisions, _layout_decisions),
    Section("next milestones", _collect_next_milestones, _no_blocks),  # laid out with the actions:
    Section("work planned next period", collect_work_next_period, layout_work_next_period),
    Section("footer", None, _layout_footer),
]


def build_report(
    *,
    today: pendulum.Date,
    period_start: pendulum.DateTime,
    since: str,
    programme: Mapping[str, Any] | None,
    tables: Mapping[str, list[Mapping[str, Any]]],
    benefit_links: Mapping[int, list[int]],
    rollup_now: ProgrammeRollup,
    audit_rows: Iterable[Mapping[str, Any]],
    note_updated: Mapping[int, str] | None = None,
    next_period_days: int = 14,
    trend: Trend | None = None,
) -> dict[str, Any]:
    """Everything the highlight report says, as plain JSON-able data (dates ISO, None = unknown)."""
    audit = list(audit_rows)
    then, prog_then, links_then = rewind(tables, programme, benefit_links, audit)
    context = ReportContext(
        today=today,
        period_start=period_start,
        since=since,
        programme=programme,
        tables=tables,
        benefit_links=benefit_links,
        rollup=rollup_now,
        rollup_then=_rollup_of(then, prog_then, links_then, as_date(since) or today),
        then=then,
        audit=audit,
        note_updated=note_updated,
        next_period_days=next_period_days,
        trend=trend,
    )
    data: dict[str, Any] = {}
    for section in SECTIONS:
        if section.collect is not None:
            data.update(section.collect(context))
    return data


def blocks(data: Mapping[str, Any]) -> list[Block]:
    """The whole report as neutral blocks, section by section."""
    return [block for section in SECTIONS for block in section.layout(data)]


# ---------------------------------------------------------------------------- renderings


def render(data: Mapping[str, Any], fmt: str) -> str:
    if fmt == "json":
        return to_json(data)
    if fmt == "md":
        return to_markdown(data)
    if fmt == "html":
        return to_html(data)
    raise ValueError(f"unknown report format {fmt!r} (one of: {', '.join(FORMATS)})")


def to_json(data: Mapping[str, Any]) -> str:
    return jsonout.dumps(data) + "\n"  # strict: a non-finite figure is null, with its reason


def to_markdown(data: Mapping[str, Any]) -> str:
    return to_markdown_blocks(blocks(data))


def _finite(v: Any) -> bool:
    return v is not None and (not isinstance(v, float) or math.isfinite(v))


def _num(v: Any, spec: str = ".0f", suffix: str = "") -> str:
    """A figure, or "–" when there is none or it cannot be computed (never "nan %")."""
    return f"{format(v, spec)}{suffix}" if _finite(v) else "–"


def _days(v: Any) -> str:
    return "–" if v is None else (f"{v:+d} d" if v else "0 d")


_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b; margin: 2rem auto;
       max-width: 70rem; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; border-bottom: 2px solid #ddd;
     padding-bottom: .2rem; margin-top: 1.8rem; }
.meta { color: #555; margin: 0 0 1rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0 1rem 0; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num { text-align: right; white-space: nowrap; }
.rag { font-weight: bold; white-space: nowrap; padding: .1rem .4rem; border-radius: 3px; }
.rag-R { background: #c0392b; color: #fff; } .rag-A { background: #f39c12; color: #000; }
.rag-G { background: #1e8449; color: #fff; } .rag-none { background: #ddd; color: #333; }
.overdue { color: #c0392b; font-weight: bold; }
.none { color: #777; font-style: italic; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { page-break-after: avoid; break-after: avoid; }
  table, tr { page-break-inside: avoid; break-inside: avoid; }
  thead { display: table-header-group; }
  .rag { -webkit-print-color-adjust: exact; print-color-adjust: exact; border: 1px solid #000; }
  a { color: inherit; text-decoration: none; }
}
"""


def to_html(data: Mapping[str, Any]) -> str:
    """One self-contained page (inline CSS, no scripts, no external resources) that prints well."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Highlight report — {_h(data['programme'])} — {_h(data['period']['end'])}</title>",
        f"<style>{_CSS}</style></head><body>",
        *to_html_blocks(blocks(data)),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
