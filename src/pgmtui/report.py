"""The PRINCE2-style highlight report: one data structure, three renderings (JSON, Markdown, HTML).

Pure functions: :func:`build_report` takes rows, the rollup and the audit rows of the period and
returns a JSON-able dict; :func:`to_json`, :func:`to_markdown` and :func:`to_html` render it. Writing
files is the caller's job (CLI `pgmtui report`, the stand-up screen's `x`). Free of textual.

"This period" is the database now; "last period" is the database rewound through the audit trail to
the period start, run through the same rules. Record text is data: Markdown escapes every character
a forge would interpret, HTML escapes everything through ``html.escape``.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import pendulum

from pgmtui import jsonout
from pgmtui.domain.benefits import AT_RISK, OFF_TRACK, ON_TRACK, REALISED
from pgmtui.domain.deps import AT_RISK as DEP_AT_RISK
from pgmtui.domain.deps import LATE
from pgmtui.domain.evm import fmt_money, fmt_ratio
from pgmtui.domain.models import as_date
from pgmtui.domain.rag import RAG_GLYPHS, RAG_WORDS, worst
from pgmtui.domain.risk import DEFAULT_BANDS, residual_score
from pgmtui.domain.rollup import ProgrammeRollup
from pgmtui.domain.standup import WHO, _rollup_of, rewind, standup_diff

__all__ = [
    "DIMENSIONS",
    "FORMATS",
    "build_report",
    "dimensions",
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
    slip = f"programme end {r.forecast_end.isoformat() if r.forecast_end else '–'}"
    if r.slip_days:
        slip += f" ({r.slip_days:+d} d against baseline)"
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
) -> dict[str, Any]:
    """Everything the highlight report says, as plain JSON-able data (dates ISO, None = unknown)."""
    audit = list(audit_rows)
    then, prog_then, links_then = rewind(tables, programme, benefit_links, audit)
    r_then = _rollup_of(then, prog_then, links_then, as_date(since) or today)
    r = rollup_now
    then_tables = {t: list(rows.values()) for t, rows in then.items()}
    dims_now = dimensions(r, tables)
    dims_then = dimensions(r_then, then_tables)
    codes = {p["id"]: p["code"] for p in tables.get("project", [])}
    ms_by_id = {m["id"]: m for m in tables.get("milestone", [])}

    def ms_label(mid: int) -> str:
        m = ms_by_id.get(mid)
        return f"{codes.get(m['project_id'], '?')}:{m['name']}" if m else f"#{mid}"

    then_projects = {p.project_id: p for p in r_then.projects}
    notes = {p["id"]: p.get("status_note") for p in tables.get("project", [])}
    projects = []
    for p in r.projects:
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

    then_risks = {rid: row for rid, row in then.get("risk", {}).items()}
    risks = []
    for x in tables.get("risk", []):
        if x.get("status") == "closed":
            continue
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
    risks = risks[:MAX_KEY_RISKS]

    issues = [
        {
            "id": i["id"],
            "project": codes.get(i.get("project_id")) or "programme",
            "title": i.get("title"),
            "owner": i.get("owner"),
            "priority": i.get("priority"),
            "status": i.get("status"),
            "due_date": i.get("due_date"),
        }
        for i in tables.get("issue", [])
        if i.get("status") != "closed" and i.get("priority") in ("critical", "high")
    ]
    issues.sort(key=lambda i: (PRIORITY_RANK.get(i["priority"] or "", 9), i["due_date"] or "9999", i["id"]))

    deps = []
    for d in r.dependencies:
        if d.status in (LATE, DEP_AT_RISK):
            deps.append(
                {
                    "id": d.dependency_id,
                    "supplier": ms_label(d.supplier_id),
                    "consumer": ms_label(d.consumer_id),
                    "type": d.type,
                    "slack_days": d.slack,
                    "status": d.status,
                }
            )
    deps.sort(key=lambda d: (d["slack_days"] if d["slack_days"] is not None else 0, d["id"]))

    benefits = [
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
        for b in r.benefits
    ]

    t = today.toordinal()
    decisions = []
    for d in tables.get("decision", []):
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

    horizon = t + next_period_days
    upcoming = []
    for m in tables.get("milestone", []):
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

    su = standup_diff(
        today=today,
        since=since,
        window="this period",
        programme=programme,
        tables=tables,
        benefit_links=benefit_links,
        audit_rows=audit,
        note_updated=note_updated,
        now_rollup=r,
    )
    changes = [
        {"title": s.title, "lines": [ln.text for ln in s.lines]}
        for s in su.changes
        if s.lines and s.title != WHO
    ]
    prog = programme or {}
    return {
        "report": "highlight",
        "programme": r.name or prog.get("name") or "",
        "sponsor": prog.get("sponsor"),
        "manager": prog.get("manager"),
        "currency": r.currency,
        "date": today.isoformat(),
        "period": {
            "start": period_start.date().isoformat()
            if hasattr(period_start, "date")
            else str(period_start)[:10],
            "end": today.isoformat(),
        },
        "next_period_end": pendulum.Date.fromordinal(horizon).isoformat(),
        "overall": {
            "rag": r.rag.final,
            "rag_label": r.rag.label,
            "rag_last": r_then.rag.final,
            "override_reason": r.rag.reason if r.rag.overridden else None,
            "evidence": [e.text for e in r.rag.evidence],
            "status_note": prog.get("status_note"),
        },
        "dimensions": [
            {
                "name": name,
                "rag": dims_now[name]["rag"],
                "rag_last": dims_then[name]["rag"],
                "text": dims_now[name]["text"],
            }
            for name in DIMENSIONS
        ],
        "projects": projects,
        "key_risks": risks,
        "key_issues": issues,
        "dependency_exceptions": deps,
        "benefits": benefits,
        "decisions_needed": decisions,
        "next_milestones": upcoming,
        "changes": changes,
    }


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


def _rag_word(rag: str | None) -> str:
    return f"{RAG_GLYPHS[rag]} {RAG_WORDS[rag]}" if rag in RAG_WORDS else "– not assessed"


def _finite(v: Any) -> bool:
    return v is not None and (not isinstance(v, float) or math.isfinite(v))


def _num(v: Any, spec: str = ".0f", suffix: str = "") -> str:
    """A figure, or "–" when there is none or it cannot be computed (never "nan %")."""
    return f"{format(v, spec)}{suffix}" if _finite(v) else "–"


def _days(v: Any) -> str:
    return "–" if v is None else (f"{v:+d} d" if v else "0 d")


_MD_SPECIAL = set("\\`*_[]<>|~")
_MD_LEADING = set("#+-=>!")


def md(text: Any) -> str:
    """Record text made inert for Markdown on common forges (GitHub, GitLab): characters that could
    start emphasis, code, a link, HTML, strike-through or a table cell are backslash-escaped
    everywhere, a leading heading/list/quote marker too; `&` becomes `&amp;`; newlines become spaces
    (a table row is one line)."""
    if text is None:
        return ""
    flat = " ".join(str(text).split())
    out = []
    for i, ch in enumerate(flat):
        if ch == "&":
            out.append("&amp;")
        elif ch in _MD_SPECIAL or (i == 0 and ch in _MD_LEADING):
            out.append("\\" + ch)
        else:
            out.append(ch)
    result = "".join(out)
    m = re.match(r"(\d+)([.)])", result)
    if m:  # "1. …" would start an ordered list
        result = m.group(1) + "\\" + m.group(2) + result[m.end() :]
    return result


def _md_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return ["_None._", ""]
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out.extend("| " + " | ".join(cell or " " for cell in row) + " |" for row in rows)
    out.append("")
    return out


def to_markdown(data: Mapping[str, Any]) -> str:
    d = data
    cur = md(d["currency"])
    lines = [
        f"# Highlight report — {md(d['programme'])}",
        "",
        f"**Period:** {d['period']['start']} to {d['period']['end']}  ",
        f"**Sponsor:** {md(d.get('sponsor')) or '–'}  ",
        f"**Programme manager:** {md(d.get('manager')) or '–'}",
        "",
        "## Overall status",
        "",
        f"**RAG:** {_rag_word(d['overall']['rag'])}{' (override)' if d['overall']['override_reason'] else ''}"
        f" — last period {_rag_word(d['overall']['rag_last'])}",
        "",
    ]
    if d["overall"]["override_reason"]:
        lines += [f"Override reason: {md(d['overall']['override_reason'])}", ""]
    lines += [f"- {md(e)}" for e in d["overall"]["evidence"]]
    if d["overall"].get("status_note"):
        lines += ["", f"> {md(d['overall']['status_note'])}"]
    lines += ["", "## Status by dimension", ""]
    lines += _md_table(
        ["Dimension", "This period", "Last period", "Evidence"],
        [
            [x["name"].capitalize(), _rag_word(x["rag"]), _rag_word(x["rag_last"]), md(x["text"])]
            for x in d["dimensions"]
        ],
    )
    lines += ["## Projects", ""]
    lines += _md_table(
        ["Project", "Manager", "RAG", "Last", "Slip", "Done", "CPI", "SPI", "Summary"],
        [
            [
                f"**{md(p['code'])}** {md(p['name'])}",
                md(p["manager"]),
                _rag_word(p["rag"]) + ("\\*" if p["override_reason"] else ""),
                _rag_word(p["rag_last"]),
                _days(p["slip_days"]),
                _num(p["percent_complete"], ".0f", " %"),
                _num(p["cpi"], ".2f"),
                _num(p["spi"], ".2f"),
                md(
                    "; ".join(
                        ([f"override: {p['override_reason']}"] if p["override_reason"] else [])
                        + p["evidence"]
                        + ([p["status_note"]] if p["status_note"] else [])
                    )
                ),
            ]
            for p in d["projects"]
        ],
    )
    if d.get("changes"):
        lines += ["## Changes this period", ""]
        for s in d["changes"]:
            lines += [f"**{md(s['title'])}**", ""]
            lines += [f"- {md(t)}" for t in s["lines"]]
            lines.append("")
    lines += ["## Key risks", ""]
    lines += _md_table(
        ["#", "Project", "Risk", "Owner", "Score", "Trend", "Response"],
        [
            [
                str(x["id"]),
                md(x["project"]),
                md(x["title"]),
                md(x["owner"]),
                f"{x['score']} {x['band']}",
                md(x["trend"]),
                md(x["response"]),
            ]
            for x in d["key_risks"]
        ],
    )
    lines += ["## Key issues", ""]
    lines += _md_table(
        ["#", "Project", "Issue", "Owner", "Priority", "Status", "Due"],
        [
            [
                str(i["id"]),
                md(i["project"]),
                md(i["title"]),
                md(i["owner"]),
                md(i["priority"]),
                md(i["status"]),
                i["due_date"] or "–",
            ]
            for i in d["key_issues"]
        ],
    )
    lines += ["## Dependency exceptions", ""]
    lines += _md_table(
        ["Supplier", "Consumer", "Type", "Slack", "Status"],
        [
            [md(x["supplier"]), md(x["consumer"]), md(x["type"]), _days(x["slack_days"]), md(x["status"])]
            for x in d["dependency_exceptions"]
        ],
    )
    lines += ["## Benefits", ""]
    lines += _md_table(
        ["Benefit", "Kind", "Status", "Realised", "Latest", "Target", "By"],
        [
            [
                md(b["name"]),
                md(b["kind"]),
                md(b["status"]),
                _num(b["realisation_pct"], ".0f", " %"),
                _num(b["latest"], "g"),
                f"{_num(b['target'], 'g')} {md(b['unit'])}".strip(),
                b["target_date"] or "–",
            ]
            for b in d["benefits"]
        ],
    )
    lines += ["## Decisions needed", ""]
    lines += _md_table(
        ["#", "Project", "Decision", "Owner", "Due"],
        [
            [
                str(x["id"]),
                md(x["project"]),
                md(x["title"]),
                md(x["owner"]),
                (x["due_date"] or "–") + (" **overdue**" if x["overdue"] else ""),
            ]
            for x in d["decisions_needed"]
        ],
    )
    lines += [f"## Milestones next period (to {d['next_period_end']})", ""]
    lines += _md_table(
        ["Date", "Project", "Milestone", "Against baseline"],
        [
            [
                m["date"],
                md(m["project"]),
                ("◆ " if m["is_gate"] else "") + md(m["name"]),
                _days(m["variance_days"]),
            ]
            for m in d["next_milestones"]
        ],
    )
    lines.append(f"_Currency: {cur}. Generated by pgmtui on {d['date']}._")
    return "\n".join(lines) + "\n"


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


def _h(text: Any) -> str:
    return "" if text is None else html.escape(str(text), quote=True)


def _rag_html(rag: str | None, star: bool = False) -> str:
    cls = f"rag-{rag}" if rag in RAG_WORDS else "rag-none"
    return f'<span class="rag {cls}">{_h(_rag_word(rag))}{"*" if star else ""}</span>'


def _html_table(
    caption_id: str, headers: list[str], rows: list[list[str]], numeric: Iterable[int] = ()
) -> str:
    if not rows:
        return '<p class="none">None.</p>'
    num = set(numeric)
    head = "".join(f"<th>{_h(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f'<td class="num">{c}</td>' if i in num else f"<td>{c}</td>" for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f'<table id="{caption_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def to_html(data: Mapping[str, Any]) -> str:
    """One self-contained page (inline CSS, no scripts, no external resources) that prints well."""
    d = data
    o = d["overall"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Highlight report — {_h(d['programme'])} — {_h(d['period']['end'])}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Highlight report — {_h(d['programme'])}</h1>",
        f'<p class="meta">Period {_h(d["period"]["start"])} to {_h(d["period"]["end"])} · Sponsor {_h(d.get("sponsor") or "–")}'
        f" · Programme manager {_h(d.get('manager') or '–')}</p>",
        '<h2 id="overall">Overall status</h2>',
        f"<p>This period {_rag_html(o['rag'], bool(o['override_reason']))} · last period {_rag_html(o['rag_last'])}</p>",
    ]
    if o["override_reason"]:
        parts.append(f"<p><strong>Override reason:</strong> {_h(o['override_reason'])}</p>")
    parts.append("<ul>" + "".join(f"<li>{_h(e)}</li>" for e in o["evidence"]) + "</ul>")
    if o.get("status_note"):
        parts.append(f"<blockquote>{_h(o['status_note'])}</blockquote>")
    parts.append('<h2 id="dimensions">Status by dimension</h2>')
    parts.append(
        _html_table(
            "dimension-table",
            ["Dimension", "This period", "Last period", "Evidence"],
            [
                [_h(x["name"].capitalize()), _rag_html(x["rag"]), _rag_html(x["rag_last"]), _h(x["text"])]
                for x in d["dimensions"]
            ],
        )
    )
    parts.append('<h2 id="projects">Projects</h2>')
    parts.append(
        _html_table(
            "project-table",
            ["Project", "Manager", "RAG", "Last", "Slip", "Done", "CPI", "SPI", "Summary"],
            [
                [
                    f"<strong>{_h(p['code'])}</strong> {_h(p['name'])}",
                    _h(p["manager"]),
                    _rag_html(p["rag"], bool(p["override_reason"])),
                    _rag_html(p["rag_last"]),
                    _h(_days(p["slip_days"])),
                    _h(_num(p["percent_complete"], ".0f", " %")),
                    _h(_num(p["cpi"], ".2f")),
                    _h(_num(p["spi"], ".2f")),
                    "<br>".join(
                        _h(t)
                        for t in ([f"Override: {p['override_reason']}"] if p["override_reason"] else [])
                        + p["evidence"]
                        + ([p["status_note"]] if p["status_note"] else [])
                    ),
                ]
                for p in d["projects"]
            ],
            numeric=(4, 5, 6, 7),
        )
    )
    if d.get("changes"):
        parts.append('<h2 id="changes">Changes this period</h2>')
        for s in d["changes"]:
            parts.append(
                f"<h3>{_h(s['title'])}</h3><ul>" + "".join(f"<li>{_h(t)}</li>" for t in s["lines"]) + "</ul>"
            )
    parts.append('<h2 id="risks">Key risks</h2>')
    parts.append(
        _html_table(
            "risk-table",
            ["#", "Project", "Risk", "Owner", "Score", "Trend", "Response"],
            [
                [
                    _h(x["id"]),
                    _h(x["project"]),
                    _h(x["title"]),
                    _h(x["owner"]),
                    _h(f"{x['score']} {x['band']}"),
                    _h(x["trend"]),
                    _h(x["response"]),
                ]
                for x in d["key_risks"]
            ],
            numeric=(0, 4),
        )
    )
    parts.append('<h2 id="issues">Key issues</h2>')
    parts.append(
        _html_table(
            "issue-table",
            ["#", "Project", "Issue", "Owner", "Priority", "Status", "Due"],
            [
                [
                    _h(i["id"]),
                    _h(i["project"]),
                    _h(i["title"]),
                    _h(i["owner"]),
                    _h(i["priority"]),
                    _h(i["status"]),
                    _h(i["due_date"] or "–"),
                ]
                for i in d["key_issues"]
            ],
            numeric=(0,),
        )
    )
    parts.append('<h2 id="dependencies">Dependency exceptions</h2>')
    parts.append(
        _html_table(
            "dependency-table",
            ["Supplier", "Consumer", "Type", "Slack", "Status"],
            [
                [
                    _h(x["supplier"]),
                    _h(x["consumer"]),
                    _h(x["type"]),
                    _h(_days(x["slack_days"])),
                    _h(x["status"]),
                ]
                for x in d["dependency_exceptions"]
            ],
            numeric=(3,),
        )
    )
    parts.append('<h2 id="benefits">Benefits</h2>')
    parts.append(
        _html_table(
            "benefit-table",
            ["Benefit", "Kind", "Status", "Realised", "Latest", "Target", "By"],
            [
                [
                    _h(b["name"]),
                    _h(b["kind"]),
                    _h(b["status"]),
                    _h(_num(b["realisation_pct"], ".0f", " %")),
                    _h(_num(b["latest"], "g")),
                    _h(f"{_num(b['target'], 'g')} {b['unit'] or ''}".strip()),
                    _h(b["target_date"] or "–"),
                ]
                for b in d["benefits"]
            ],
            numeric=(3, 4, 5),
        )
    )
    parts.append('<h2 id="decisions">Decisions needed</h2>')
    parts.append(
        _html_table(
            "decision-table",
            ["#", "Project", "Decision", "Owner", "Due"],
            [
                [
                    _h(x["id"]),
                    _h(x["project"]),
                    _h(x["title"]),
                    _h(x["owner"]),
                    _h(x["due_date"] or "–")
                    + (' <span class="overdue">overdue</span>' if x["overdue"] else ""),
                ]
                for x in d["decisions_needed"]
            ],
            numeric=(0,),
        )
    )
    parts.append(f'<h2 id="milestones">Milestones next period (to {_h(d["next_period_end"])})</h2>')
    parts.append(
        _html_table(
            "milestone-table",
            ["Date", "Project", "Milestone", "Against baseline"],
            [
                [
                    _h(m["date"]),
                    _h(m["project"]),
                    ("◆ " if m["is_gate"] else "") + _h(m["name"]),
                    _h(_days(m["variance_days"])),
                ]
                for m in d["next_milestones"]
            ],
            numeric=(3,),
        )
    )
    parts.append(f'<p class="meta">Currency {_h(d["currency"])}. Generated by pgmtui on {_h(d["date"])}.</p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
