"""The highlight report's "Trend since the last report" section: the programme's figures at the
last report (the period start), at the end of each Friday since, and now, with which way each went;
and every project's RAG over the same points. One collect/layout pair, registered in
pgmtui.report.SECTIONS. Free of textual.

The weekly points come from pgmtui.services.trend (the database rewound week by week); the last
report's figures from the report's own rollup at the period start, the current ones from its rollup
now — the same figures the rest of the report shows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pgmtui.domain.trend import METRICS, Figures, direction, figures_of
from pgmtui.reportdoc import Block, Fixed, Heading, Inline, Paragraph, Rag, Strong, Table

if TYPE_CHECKING:
    from pgmtui.report import ReportContext

__all__ = ["collect_trend", "layout_trend"]

LABELS = {
    "rag": "RAG",
    "slip_days": "Schedule slip (days)",
    "cpi": "CPI",
    "spi": "SPI",
    "exposure": "Risk exposure (open threats' residual scores)",
    "open_high_critical": "Open high / critical risks",
    "realisation_pct": "Benefits realised (%)",
}


def _clean(value: Any) -> Any:
    return None if isinstance(value, float) and not math.isfinite(value) else value


def collect_trend(c: ReportContext) -> dict[str, Any]:
    start = c.period_start.date() if hasattr(c.period_start, "date") else c.today
    risks_then = list(c.then.get("risk", {}).values())
    then_prog, then_projects = figures_of(c.rollup_then, risks_then)
    now_prog, now_projects = figures_of(c.rollup, c.tables.get("risk", []))
    weekly = [p for p in (c.trend.points if c.trend is not None else []) if start < p.day < c.today]
    columns = [
        {"label": "last report", "date": start.isoformat()},
        *({"label": "week", "date": p.day.isoformat()} for p in weekly),
        {"label": "now", "date": c.today.isoformat()},
    ]
    programme_points: list[Figures | None] = [then_prog, *(p.programme for p in weekly), now_prog]
    programme = {}
    for metric in METRICS:
        values = [_clean(f.value(metric)) if f is not None else None for f in programme_points]
        programme[metric] = {"values": values, "direction": direction(metric, values[0], values[-1])}
    projects = []
    codes = {pid: f.code for pid, f in {**then_projects, **now_projects}.items()}
    for pid, code in sorted(codes.items(), key=lambda kv: kv[1].lower()):
        points = [then_projects.get(pid), *(p.projects.get(pid) for p in weekly), now_projects.get(pid)]
        rags = [f.rag if f is not None else None for f in points]
        projects.append({"code": code, "rag": rags, "direction": direction("rag", rags[0], rags[-1])})
    return {"trend": {"points": columns, "programme": programme, "projects": projects}}


def _show(metric: str, value: Any) -> Inline:
    if value is None:
        return Fixed("–")
    if metric == "rag":
        return Rag(value)
    if metric in ("cpi", "spi"):
        return Fixed(f"{value:.2f}")
    if metric == "realisation_pct":
        return Fixed(f"{value:.0f}")
    if metric == "slip_days":
        return Fixed(f"{value:+d}" if value else "0")
    return Fixed(str(value))


def _way(word: str) -> Inline:
    return Strong(Fixed(word)) if word == "worse" else Fixed(word or "–")


def layout_trend(d: Mapping[str, Any]) -> list[Block]:
    trend = d.get("trend")
    if not trend:
        return []
    names = {"last report": "Last report", "now": "Now", "week": "Fri"}
    heads = tuple(f"{names[p['label']]} {p['date']}" for p in trend["points"])
    n = len(heads)
    rows = [
        [Fixed(LABELS[metric]), *(_show(metric, v) for v in row["values"]), _way(row["direction"])]
        for metric, row in trend["programme"].items()
    ]
    blocks: list[Block] = [
        Heading("Trend since the last report", "trend"),
        Paragraph(
            Fixed(
                "The programme at the last report, at the end of each week since, and now. "
                "Better or worse compares now with the last report."
            ),
            small=True,
        ),
        Table("trend-table", ("Figure", *heads, "Since the last report"), rows, frozenset(range(1, n + 1))),
    ]
    moved = [p for p in trend["projects"] if p["direction"] in ("better", "worse") or p["rag"][0] is None]
    if trend["projects"]:
        project_rows = [
            [p["code"], *(Rag(r) if r else Fixed("–") for r in p["rag"]), _way(p["direction"])]
            for p in trend["projects"]
        ]
        blocks.append(Table("trend-projects", ("Project RAG", *heads, "Since"), project_rows))
    if not moved:
        blocks.append(Paragraph(Fixed("No project's RAG changed since the last report."), small=True))
    return blocks
