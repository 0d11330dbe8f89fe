"""The PRINCE2 exception report for a project whose forecast breaks a tolerance: cause,
consequences, options, recommendation and lessons, rendered as JSON, Markdown and HTML.

Built like the highlight report (pgmtui.report): :func:`build_exception_report` returns the JSON-able
dict (scripts read its keys), each section lays its keys out as neutral blocks (pgmtui.reportdoc)
once, and the renderers draw them; record text is escaped by the renderers. The figures come from
pgmtui.domain.exception (breaches, options, recommendation). Free of textual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pendulum

from pgmtui import jsonout
from pgmtui.domain.evm import fmt_money, fmt_ratio
from pgmtui.domain.exception import ExceptionCase
from pgmtui.domain.models import Programme, Tolerances
from pgmtui.domain.risk import DEFAULT_BANDS, residual_score
from pgmtui.domain.rollup import ProjectRollup
from pgmtui.report import _CSS as REPORT_CSS
from pgmtui.reportdoc import (
    Block,
    Bullets,
    Facts,
    Fixed,
    Heading,
    Inline,
    Paragraph,
    Quote,
    Rag,
    Strong,
    Table,
    to_html_blocks,
    to_markdown_blocks,
)
from pgmtui.reportdoc import h as _h

__all__ = ["FORMATS", "SECTIONS", "blocks", "build_exception_report", "render", "to_html", "to_markdown"]

FORMATS = ("md", "html", "json")
PRIORITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def _money(value: Any) -> str:
    return fmt_money(value) if isinstance(value, (int, float)) else "–"


def build_exception_report(
    *,
    today: pendulum.Date,
    programme: Programme | None,
    currency: str,
    project: Mapping[str, Any],
    project_rollup: ProjectRollup,
    tolerances: Tolerances,
    found: ExceptionCase,
    forecast_changes: Iterable[str] = (),
    issues: Iterable[Mapping[str, Any]] = (),
    risks: Iterable[Mapping[str, Any]] = (),
    lessons: Iterable[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """Everything the exception report says, as plain JSON-able data."""
    pr = project_rollup
    case = found.case
    option = next((o for o in found.options if o.key == found.recommendation), None)
    open_issues = sorted(
        (dict(i) for i in issues), key=lambda i: (PRIORITY_RANK.get(i.get("priority") or "", 9), i["id"])
    )
    key_risks = sorted(
        ({**dict(r), "score": residual_score(r)} for r in risks), key=lambda r: (-(r["score"] or 0), r["id"])
    )
    return {
        "report": "exception",
        "programme": programme.name if programme else "",
        "manager": programme.manager if programme else None,
        "currency": currency,
        "date": today.isoformat(),
        "project": {
            "code": pr.code,
            "name": pr.name,
            "manager": pr.manager,
            "stage": pr.stage,
            "rag": pr.rag.final,
            "rag_label": pr.rag.label,
            "percent_complete": pr.percent_complete,
            "bac": pr.evm.bac,
            "eac": pr.evm.eac,
            "cpi": pr.evm.cpi,
            "slip_days": pr.slip_days,
            "baseline_end": project.get("baseline_end"),
            "forecast_end": project.get("forecast_end"),
        },
        "tolerances": {"schedule_days": tolerances.schedule_days, "cost_pct": tolerances.cost_pct},
        "breaches": [b.to_json() for b in found.breaches],
        "within": list(found.within),
        "cause": {
            "breaches": [b.text for b in found.breaches],
            "evidence": [f"{e.dimension}: {e.text}" for e in pr.rag.evidence if e.rag in ("A", "R")],
            "status_note": project.get("status_note"),
            "forecast_changes": list(forecast_changes),
            "issues": [
                {
                    "id": i["id"],
                    "title": i.get("title"),
                    "priority": i.get("priority"),
                    "status": i.get("status"),
                    "owner": i.get("owner"),
                }
                for i in open_issues
            ],
            "risks": [
                {
                    "id": r["id"],
                    "title": r.get("title"),
                    "score": r["score"],
                    "band": DEFAULT_BANDS.band(r["score"]),
                    "owner": r.get("owner"),
                }
                for r in key_risks
            ],
        },
        "consequences": list(found.consequences),
        "business_case": None
        if case is None
        else {
            "npv": case.npv,
            "roi_pct": case.roi_pct,
            "payback_years": case.payback_years,
            "viability": case.viability.to_json(),
            "npv_at_budget": found.case_at_budget.npv if found.case_at_budget else None,
            "options_appraised": case.options,
            "chosen_option": case.chosen_option,
        },
        "options": [o.to_json() for o in found.options],
        "recommendation": {
            "option": found.recommendation,
            "title": option.title if option else None,
            "text": found.recommendation_text,
        },
        "lessons": [
            {
                "id": x["id"],
                "title": x.get("title"),
                "category": x.get("category"),
                "recommendation": x.get("recommendation"),
                "date": x.get("date"),
            }
            for x in sorted(lessons, key=lambda x: (str(x.get("date") or ""), x["id"]))
        ],
    }


# ---------------------------------------------------------------------------- sections


def _layout_header(d: Mapping[str, Any]) -> list[Block]:
    p = d["project"]
    return [
        Heading((Fixed("Exception report — "), p["code"], Fixed(" "), p["name"]), level=1),
        Facts(
            (
                ("Programme", d.get("programme")),
                ("Project manager", p.get("manager")),
                ("Stage", p.get("stage")),
                ("Date", Fixed(d["date"])),
                ("For", Fixed("the programme board")),
            )
        ),
        Paragraph(
            (
                Fixed("Project RAG "),
                Rag(p["rag"], p["rag_label"].endswith("*")),
                Fixed(
                    f" · {p['percent_complete'] or 0:.0f} % complete · BAC {_money(p['bac'])} · EAC "
                    f"{_money(p['eac'])} {d['currency']} · CPI {fmt_ratio(p['cpi'])} · forecast end "
                    f"{p['forecast_end'] or '–'} (baseline {p['baseline_end'] or '–'})"
                ),
            )
        ),
    ]


def _layout_breaches(d: Mapping[str, Any]) -> list[Block]:
    t = d["tolerances"]
    rows = [[Fixed(b["dimension"].capitalize()), b["text"]] for b in d["breaches"]]
    blocks: list[Block] = [
        Heading("Tolerances broken", "breaches"),
        Paragraph(
            Fixed(
                f"Tolerances set by the programme: time {t['schedule_days']} d, cost {t['cost_pct']:g} %, "
                "benefits: a business case that stays viable (NPV ≥ 0)."
            ),
            small=True,
        ),
        Table("breach-table", ("Tolerance", "Forecast"), rows),
    ]
    if d["within"]:
        blocks.append(Bullets(tuple(Fixed(f"Within tolerance — {w}") for w in d["within"])))
    return blocks


def _layout_cause(d: Mapping[str, Any]) -> list[Block]:
    c = d["cause"]
    blocks: list[Block] = [Heading("Cause", "cause")]
    blocks.append(Bullets(tuple([*c["breaches"], *(x for x in c["evidence"] if x not in c["breaches"])])))
    if c.get("status_note"):
        blocks.append(Quote(c["status_note"]))
    if c["forecast_changes"]:
        blocks += [Heading("Forecast changes (audit trail)", level=3), Bullets(tuple(c["forecast_changes"]))]
    if c["issues"]:
        rows = [
            [Fixed(str(i["id"])), i["title"], i["priority"], i["status"], i["owner"]] for i in c["issues"]
        ]
        blocks += [
            Heading("Open issues", level=3),
            Table("issue-table", ("#", "Issue", "Priority", "Status", "Owner"), rows, frozenset({0})),
        ]
    if c["risks"]:
        rows = [
            [Fixed(str(r["id"])), r["title"], Fixed(f"{r['score']} {r['band']}"), r["owner"]]
            for r in c["risks"]
        ]
        blocks += [
            Heading("Open High and Critical risks", level=3),
            Table("risk-table", ("#", "Risk", "Residual", "Owner"), rows, frozenset({0})),
        ]
    return blocks


def _layout_consequences(d: Mapping[str, Any]) -> list[Block]:
    blocks: list[Block] = [Heading("Consequences", "consequences"), Bullets(tuple(d["consequences"]))]
    bc = d.get("business_case")
    if bc is not None:
        payback = "–" if bc["payback_years"] is None else f"{bc['payback_years']:.2f} years"
        roi = "–" if bc["roi_pct"] is None else f"{bc['roi_pct']:.1f} %"
        blocks.append(
            Paragraph(
                (
                    Strong(Fixed("Business case at the forecast:")),
                    Fixed(f" NPV {_money(bc['npv'])} · ROI {roi} · payback {payback} · viability "),
                    Rag(bc["viability"]["rag"]),
                )
            )
        )
    return blocks


def _layout_options(d: Mapping[str, Any]) -> list[Block]:
    rows: list[list[Inline]] = [
        [
            Strong(Fixed(o["option"])),
            (Strong(Fixed(o["title"])), Fixed(": "), o["text"]),
            Fixed(_money(o["npv"])),
            Rag(o["viability"]),
            Fixed("yes" if o["feasible"] else "no"),
        ]
        for o in d["options"]
    ]
    blocks: list[Block] = [
        Heading("Options", "options"),
        Table("option-table", ("", "Option", "NPV", "Case", "Feasible"), rows, frozenset({2})),
    ]
    bc = d.get("business_case") or {}
    if bc.get("options_appraised"):
        blocks += [
            Paragraph(Strong(Fixed("Options appraised in the business case:"))),
            Quote(bc["options_appraised"]),
        ]
        if bc.get("chosen_option"):
            blocks.append(Paragraph((Fixed("Chosen option: "), bc["chosen_option"])))
    return blocks


def _layout_recommendation(d: Mapping[str, Any]) -> list[Block]:
    r = d["recommendation"]
    return [
        Heading("Recommendation", "recommendation"),
        Paragraph((Strong(Fixed(f"Option {r['option']} — {r['title']}:")), Fixed(" "), Fixed(r["text"]))),
        Paragraph(
            Fixed(
                "Derived from the figures above; the project manager confirms or replaces it before the "
                "report goes to the programme board."
            ),
            small=True,
        ),
    ]


def _layout_lessons(d: Mapping[str, Any]) -> list[Block]:
    rows = [[Fixed(x["date"] or "–"), x["title"], x["category"], x["recommendation"]] for x in d["lessons"]]
    blocks: list[Block] = [Heading("Lessons", "lessons")]
    if rows:
        blocks.append(Table("lesson-table", ("Date", "Lesson", "Category", "Recommendation"), rows))
    else:
        blocks.append(
            Paragraph(
                (
                    Fixed("No lessons recorded for "),
                    d["project"]["code"],
                    Fixed(" yet (`pgmtui add lesson project=CODE title=…`)."),
                )
            )
        )
    return blocks


def _layout_footer(d: Mapping[str, Any]) -> list[Block]:
    return [
        Paragraph(
            (Fixed("Currency: "), d["currency"], Fixed(f". Generated by pgmtui on {d['date']}.")), small=True
        )
    ]


# The report, in reading order (PRINCE2: cause, consequences, options, recommendation, lessons).
SECTIONS: list[tuple[str, Callable[[Mapping[str, Any]], list[Block]]]] = [
    ("header", _layout_header),
    ("breaches", _layout_breaches),
    ("cause", _layout_cause),
    ("consequences", _layout_consequences),
    ("options", _layout_options),
    ("recommendation", _layout_recommendation),
    ("lessons", _layout_lessons),
    ("footer", _layout_footer),
]


def blocks(data: Mapping[str, Any]) -> list[Block]:
    return [block for _, layout in SECTIONS for block in layout(data)]


def to_markdown(data: Mapping[str, Any]) -> str:
    return to_markdown_blocks(blocks(data))


def to_html(data: Mapping[str, Any]) -> str:
    """One self-contained page (inline CSS, no scripts, no external resources) that prints well."""
    p = data["project"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Exception report — {_h(p['code'])} — {_h(data['date'])}</title>",
        f"<style>{REPORT_CSS}</style></head><body>",
        *to_html_blocks(blocks(data)),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def render(data: Mapping[str, Any], fmt: str) -> str:
    if fmt == "json":
        return jsonout.dumps(data) + "\n"
    if fmt == "md":
        return to_markdown(data)
    if fmt == "html":
        return to_html(data)
    raise ValueError(f"unknown report format {fmt!r} (one of: {', '.join(FORMATS)})")
