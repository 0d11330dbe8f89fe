"""The post-programme review as a document: Markdown, HTML (one self-contained page) or JSON, from
`pgmtui.domain.review.review_data` through the neutral blocks of pgmtui.reportdoc (record text is
escaped by the renderers). Free of textual."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pgmtui import jsonout
from pgmtui.domain.evm import fmt_money, fmt_ratio
from pgmtui.report import _CSS
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
    Rag,
    Strong,
    Table,
    h,
    to_html_blocks,
    to_markdown_blocks,
)

__all__ = ["FORMATS", "blocks", "render"]

FORMATS = ("md", "html", "json")


def _days(v: Any) -> str:
    return "–" if v is None else (f"{v:+d} d" if v else "0 d")


def _money(v: Any) -> str:
    return "–" if v is None else fmt_money(v)


def _pct(v: Any) -> str:
    return "–" if v is None else f"{v:+.1f} %"


def _header(d: Mapping[str, Any]) -> list[Block]:
    s = d["summary"]
    history = d["history"]
    span = f"{history['from']} to {history['to']}" if history["from"] else "no changes recorded"
    return [
        Heading((Fixed("Post-programme review — "), d["programme"]), level=1),
        Facts(
            (
                ("Date", Fixed(d["date"])),
                ("Projects", Fixed(f"{s['projects']} ({s['closed']} closed)")),
                ("Audit trail", Fixed(span)),
                ("Schedule tolerance", Fixed(f"{d['schedule_tolerance_days']} d")),
            )
        ),
        Paragraph(
            Fixed(
                f"{s['lessons']} lessons recorded; {s['candidates']} lesson candidates found in the audit "
                f"trail ({s['candidates_recorded']} already recorded as lessons); "
                f"{s['risks_became_issues']} risks became issues."
            )
        ),
    ]


def _schedule_and_cost(d: Mapping[str, Any]) -> list[Block]:
    rows: list[list[Inline]] = []
    for p in d["projects"]:
        end: Inline = Fixed(p["end"] or "–")
        if not p["end_is_actual"] and p["end"]:
            end = (Fixed(p["end"]), Fixed(" (forecast)"))
        late = p["end_variance_days"] is not None and p["end_variance_days"] > d["schedule_tolerance_days"]
        rows.append(
            [
                Strong(p["code"]),
                p["stage"],
                Rag(p["rag"]),
                Fixed(p["baseline_end"] or "–"),
                end,
                (Fixed(_days(p["end_variance_days"])), Flag("beyond tolerance") if late else None),
                Fixed(_money(p["budget"])),
                (Fixed(_money(p["cost"])), Fixed(" (EAC)" if not p["closed"] else "")),
                Fixed(_pct(p["cost_variance_pct"])),
                Fixed(fmt_ratio(p["cpi"])),
                Fixed(fmt_ratio(p["spi"])),
            ]
        )
    return [
        Heading("Schedule and cost", "schedule-cost"),
        Paragraph(
            Fixed(
                f"End date and cost against the baseline and budget ({d['currency']}): actuals for closed "
                "projects, forecasts (EAC) for the others."
            ),
            small=True,
        ),
        Table(
            "schedule-cost",
            (
                "Project",
                "Stage",
                "RAG",
                "Baseline end",
                "End",
                "Variance",
                "Budget",
                "Cost",
                "Cost var.",
                "CPI",
                "SPI",
            ),
            rows,
            numeric=frozenset({5, 6, 7, 8, 9, 10}),
        ),
    ]


def _delivery(d: Mapping[str, Any]) -> list[Block]:
    rows: list[list[Inline]] = []
    for p in d["projects"]:
        b, cr, ms = p["benefits"], p["change_requests"], p["milestones"]
        realised = f"{b['realised']} of {b['planned']}" if b["planned"] else "none linked"
        if b["realisation_pct"] is not None:
            realised += f" ({b['realisation_pct']:.0f} % on average)"
        rows.append(
            [
                Strong(p["code"]),
                Fixed(
                    f"{ms['on_time']} on time, {ms['late']} late of {ms['achieved']} achieved ({ms['total']})"
                ),
                Fixed(realised),
                Fixed(f"{b['off_track']} off track, {b['at_risk']} at risk" if b["planned"] else "–"),
                Fixed(
                    f"{cr['approved']} approved of {cr['total']} ({_money(cr['approved_cost_impact'])}, "
                    f"{_days(cr['approved_schedule_days'])})"
                    if cr["total"]
                    else "none"
                ),
                Fixed(str(len(p["risks_became_issues"]))),
                Lines(tuple(f"{g['milestone']}: {g['outcome']} ({g['review_date']})" for g in p["gates"])),
                Fixed(str(p["lessons"])),
            ]
        )
    return [
        Heading("Milestones, benefits and change", "delivery"),
        Table(
            "delivery",
            (
                "Project",
                "Milestones",
                "Benefits realised",
                "Benefit concerns",
                "Change requests",
                "Risks → issues",
                "Gates",
                "Lessons",
            ),
            rows,
            numeric=frozenset({5, 7}),
        ),
    ]


def _risks_to_issues(d: Mapping[str, Any]) -> list[Block]:
    pairs = [(p["code"], x) for p in d["projects"] for x in p["risks_became_issues"]]
    pairs += [("programme", x) for x in d["programme_risks_became_issues"]]
    items: list[Inline] = [
        (
            Strong(Fixed(code)),
            Fixed(f" risk #{x['risk_id']} "),
            x["risk"],
            Fixed(f" → issue #{x['issue_id']} "),
            x["issue"],
            Fixed(f" (shared words: {', '.join(x['shared_words'])})"),
        )
        for code, x in pairs
    ]
    blocks: list[Block] = [Heading("Risks that became issues", "risks-issues")]
    if items:
        blocks.append(Bullets(tuple(items)))
    else:
        blocks.append(Paragraph(Fixed("None found."), small=True))
    blocks.append(
        Paragraph(
            Fixed(
                "Matched when an issue of the same project shares two or more significant title words with a risk logged before it."
            ),
            small=True,
        )
    )
    return blocks


def _lessons(d: Mapping[str, Any]) -> list[Block]:
    rows: list[list[Inline]] = [
        [
            Fixed(x["date"] or "–"),
            x["project"] or "programme",
            x["category"],
            Strong(x["title"]),
            x["what_happened"],
            x["recommendation"],
            x["source_label"],
            x["raised_by"],
        ]
        for x in d["lessons"]
    ]
    return [
        Heading("Lessons learned", "lessons"),
        Table(
            "lessons",
            (
                "Date",
                "Project",
                "Category",
                "Lesson",
                "What happened",
                "Recommendation",
                "Source",
                "Raised by",
            ),
            rows,
        ),
    ]


def _candidates(d: Mapping[str, Any]) -> list[Block]:
    blocks: list[Block] = [
        Heading("Lesson candidates from the audit trail", "candidates"),
        Paragraph(
            Fixed(
                "Findings the trail shows, each with its evidence; accept one as a lesson with enter on the "
                "Lessons view of the Risks & RAID screen (3)."
            ),
            small=True,
        ),
    ]
    if not d["candidates"]:
        blocks.append(Paragraph(Fixed("None."), small=True))
    for c in d["candidates"]:
        mark = " — recorded as a lesson" if c["recorded"] else ""
        blocks.append(Heading((Strong(c["title"]), Fixed(mark)), level=3))
        blocks.append(
            Facts(
                (
                    ("Finding", Fixed(c["finding"])),
                    ("Category", Fixed(c["category"])),
                    ("Project", c["project"] or Fixed("programme")),
                    ("Source", Fixed(c["source"])),
                )
            )
        )
        blocks.append(Paragraph(c["what_happened"]))
        blocks.append(Bullets(tuple(_evidence(e) for e in c["evidence"])))
        blocks.append(
            Paragraph((Strong(Fixed("Suggested recommendation:")), Fixed(" "), c["recommendation"]))
        )
    return blocks


def _evidence(e: Mapping[str, Any]) -> Inline:
    if e["ts"] is None:
        return e["text"]
    return (Fixed(e["ts"][:16].replace("T", " ") + " "), e["user"] or "?", Fixed(": "), e["text"])


def blocks(data: Mapping[str, Any]) -> list[Block]:
    return [
        *_header(data),
        *_schedule_and_cost(data),
        *_delivery(data),
        *_risks_to_issues(data),
        *_lessons(data),
        *_candidates(data),
    ]


def render(data: Mapping[str, Any], fmt: str) -> str:
    if fmt == "json":
        return jsonout.dumps(data) + "\n"
    if fmt == "md":
        return to_markdown_blocks(blocks(data))
    if fmt == "html":
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>Post-programme review — {h(data['programme'])} — {h(data['date'])}</title>",
            f"<style>{_CSS}h3 {{ font-size: 1rem; margin: 1.2rem 0 .2rem 0; }}</style></head><body>",
            *to_html_blocks(blocks(data)),
            "</body></html>",
        ]
        return "\n".join(parts) + "\n"
    raise ValueError(f"unknown review format {fmt!r} (one of: {', '.join(FORMATS)})")
