"""Portfolio view: the Model turned into the rows, headline and evidence the portfolio shows.
Free of textual (unit-tested without an app)."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from pgmtui.domain.rollup import ProgrammeRollup, ProjectRollup
from pgmtui.domain.text import shorten_at_word
from pgmtui.domain.trend import Trend
from pgmtui.model import Model
from pgmtui.widgets.badges import BAND_STYLE, band_badge, literal, rag_badge
from pgmtui.widgets.cells import Column, Row
from pgmtui.widgets.format import compact_money, date, days, pct, ratio
from pgmtui.widgets.trendline import rag_strip, spark

PROJECT_FORM_FIELDS = (
    "code",
    "name",
    "manager",
    "stage",
    "start_date",
    "baseline_end",
    "forecast_end",
    "budget",
    "actual_cost",
    "percent_complete",
    "rag_override",
    "rag_reason",
    "status_note",
)

# Columns drop as the terminal narrows: below 90 the due date, 100 the name, 110 EAC/BAC, 120 the
# RAG history (also in the panel below), 130 the stage, 150 the manager. Fixed widths fit their
# formats ("+25d", "0.94", "2.56m/2.40m", one glyph a week).
COLUMNS = (
    Column.of_field("project", "code", max_width=16),
    Column.of_field("project", "name", min_screen=100, flex=True, min_width=10, max_width=30),
    Column.of_field("project", "manager", min_screen=150, max_width=16),
    Column.of_field("project", "stage", min_screen=130, max_width=12),
    Column("rag", "RAG", width=5),
    Column("weeks", "RAG by week", width=12, min_screen=120),
    Column("slip", "Slip", width=5),
    Column("pct", "Done", width=4),
    Column("cpi", "CPI", width=4),
    Column("spi", "SPI", width=4),
    Column("eac", "EAC/BAC", width=11, min_screen=110),
    Column("risks", "H/C", width=5),
    Column("late", "Late", width=4),
    Column("next", "Next milestone", flex=True, min_width=10, max_width=30),
    Column("next_date", "Due", width=10, min_screen=90),
)
DEFAULT_SORT = "rag"


def rag_history(trend: Trend | None, project_id: int, now: str | None, today: Any) -> list[str | None]:
    """A project's RAG each week, oldest first: the trend's past weeks, then `now` (the live
    rollup's, so the strip moves with the table). Without a trend yet, just this week."""
    past = [] if trend is None else [p for p in trend.points if p.day < today]
    rags = [(pt.projects[project_id].rag if project_id in pt.projects else None) for pt in past]
    return [*rags, now]


def sort_values(p: ProjectRollup, history: list[str | None] | None = None) -> dict[str, Any]:
    """What each column sorts by: numbers as numbers, RAG worst first, worst slips first, the
    RAG history by its red and amber weeks (most first)."""
    rag_rank = {"R": 0, "A": 1, "G": 2}
    return {
        "weeks": -sum(2 if r == "R" else 1 if r == "A" else 0 for r in history or []),
        "code": p.code.lower(),
        "name": p.name.lower(),
        "manager": (p.manager or "").lower() or None,
        "stage": p.stage or None,
        "rag": rag_rank.get(p.rag.final or "", 3),
        "slip": -p.slip_days if p.slip_days is not None else None,
        "pct": p.percent_complete,
        "cpi": p.evm.cpi,
        "spi": p.evm.spi,
        "eac": -((p.evm.eac or 0) / p.evm.bac) if p.evm.bac else None,
        "risks": -p.open_high_critical,
        "late": -p.late_dependencies,
        "next": p.next_milestone.date.isoformat() if p.next_milestone else None,
        "next_date": p.next_milestone.date.isoformat() if p.next_milestone else None,
    }


def cells(p: ProjectRollup, history: list[str | None] | None = None) -> dict[str, Text | str]:
    """The rendered cells of one project row. User text goes through `literal` (never markup)."""
    evm = p.evm
    eac = "–"
    if evm.bac:
        eac = f"{compact_money(evm.eac)}/{compact_money(evm.bac)}"
    slip = Text(days(p.slip_days), style="bold" if (p.slip_days or 0) > 0 else "")
    hc = band_badge("Critical" if p.risks_by_band.get("Critical") else "High", p.open_high_critical)
    if not p.open_high_critical:
        hc = Text("0")
    late = Text(str(p.late_dependencies), style=BAND_STYLE["High"] if p.late_dependencies else "")
    nm = p.next_milestone
    next_text = literal(("◆ " if nm.is_gate else "") + nm.name) if nm else Text("–")
    return {
        "code": literal(p.code),
        "name": literal(p.name),
        "manager": literal(p.manager or ""),
        "stage": literal(p.stage or ""),
        "rag": rag_badge(p.rag.final, overridden=p.rag.overridden),
        "weeks": rag_strip(history or [p.rag.final]),
        "slip": slip,
        "pct": pct(p.percent_complete),
        "cpi": ratio(evm.cpi),
        "spi": ratio(evm.spi),
        "eac": eac,
        "risks": hc,
        "late": late,
        "next": next_text,
        "next_date": date(nm.date) if nm else "–",
    }


def matches(p: ProjectRollup, query: str) -> bool:
    """Filter: words must all match; `rag:R`, `stage:delivery`, `manager:asha` narrow by field."""
    for word in query.lower().split():
        field, sep, value = word.partition(":")
        if sep and field in ("rag", "stage", "manager", "code"):
            target = {
                "rag": (p.rag.final or "").lower(),
                "stage": (p.stage or "").lower(),
                "manager": (p.manager or "").lower(),
                "code": p.code.lower(),
            }[field]
            if not (target.startswith(value) if field != "rag" else target == value[:1]):
                return False
        elif word not in " ".join((p.code, p.name, p.manager or "", p.stage or "")).lower():
            return False
    return True


def is_closed(p: ProjectRollup) -> bool:
    return (p.stage or "").strip().lower() == "closed"


def shows_closed(query: str) -> bool:
    """Closed projects are left out of the live portfolio unless the filter names a stage
    (`stage:closed` lists them)."""
    return any(word.startswith("stage:") for word in query.lower().split())


def project_rows(r: ProgrammeRollup, query: str = "", trend: Trend | None = None) -> list[Row]:
    """The portfolio's rows, filtered, in code order (the table applies the user's sort), with
    each project's RAG week by week when the trend is known; closed projects only when the filter
    asks for a stage."""
    live = shows_closed(query)
    shown = sorted(
        (p for p in r.projects if (live or not is_closed(p)) and matches(p, query)),
        key=lambda p: p.code.lower(),
    )
    rows = []
    for p in shown:
        history = rag_history(trend, p.project_id, p.rag.final, r.today)
        rows.append(Row(p.project_id, cells(p, history), sort_values(p, history)))
    return rows


def stage_before_closing(project_audit: list[dict[str, Any]]) -> str:
    """The stage a closed project had before it was closed (its latest change to Closed), for
    re-opening it; Delivery when the audit trail does not say."""
    for row in reversed(project_audit):
        change = (row.get("changes") or {}).get("stage")
        if isinstance(change, list) and len(change) == 2 and str(change[1]).strip().lower() == "closed":
            if change[0] and str(change[0]).strip().lower() != "closed":
                return str(change[0])
    return "Delivery"


def closed_note(r: ProgrammeRollup, query: str = "") -> Text | None:
    """`2 closed projects hidden (/ stage:closed shows them)`, when the filter hides some."""
    if shows_closed(query):
        return None
    n = sum(1 for p in r.projects if is_closed(p))
    if not n:
        return None
    return Text(
        f"{n} closed project{'s' if n != 1 else ''} hidden (read-only; / stage:closed shows "
        f"{'them' if n != 1 else 'it'})",
        style="dim",
    )


def headline(r: ProgrammeRollup, width: int = 120) -> Text:
    """The programme in three lines: RAG and its evidence, time and money, risks / benefits / deps.

    Below 110 columns the labels shorten so that each line still fits on one row.
    """
    wide = width >= 110
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append_text(rag_badge(r.rag.final, overridden=r.rag.overridden, wide=True))
    t.append("  ")
    if r.rag.overridden and r.rag.reason:
        t.append("override: ", style="bold")
        t.append(r.rag.reason)
        t.append(f" (computed {r.rag.computed or '–'})", style="dim")
    else:
        worst = [e for e in r.rag.evidence if e.rag == r.rag.final]
        evidence = worst[0].text if worst else "no evidence yet"
        room = max(10, width - len(t.plain) - 2)
        t.append(shorten_at_word(evidence, room))  # never cut mid-word; the detail has it whole
    t.append("\n")
    t.append("Schedule " if wide else "Slip ", style="bold")
    t.append(days(r.slip_days))
    if wide:
        against = "programme end" if r.end_date_source == "programme" else "baseline"
        t.append(f" (forecast {date(r.forecast_end)} vs {against} {date(r.baseline_end)})")
    t.append("   Budget " if wide else "  BAC ", style="bold")
    t.append(f"{compact_money(r.evm.bac)} → EAC {compact_money(r.evm.eac)}")
    if wide:
        t.append(f" {r.currency}")
    t.append("   CPI " if wide else "  CPI ", style="bold")
    t.append(ratio(r.evm.cpi))
    t.append(" SPI ", style="bold")
    t.append(ratio(r.evm.spi))
    t.append("\n")
    t.append("Open risks " if wide else "Risks ", style="bold")
    for band in ("Critical", "High", "Medium", "Low"):
        t.append_text(band_badge(band, r.risks_by_band.get(band, 0)))
        t.append(" ")
    t.append("  Benefits " if wide else " Benefits ", style="bold")
    t.append(f"{pct(r.realisation_pct)} realised" if wide else pct(r.realisation_pct))
    on_track = r.benefits_by_status.get("On track", 0) + r.benefits_by_status.get("Realised", 0)
    at_risk = r.benefits_by_status.get("At risk", 0) + r.benefits_by_status.get("Off track", 0)
    t.append(f" ({on_track} on track, {at_risk} at risk/off)" if wide else f" ({on_track}✓ {at_risk}!)")
    late = r.dependencies_by_status.get("late", 0)
    t.append("   Late deps " if wide else "  Late deps ", style="bold")
    t.append(str(late), style="bold red" if late else "")
    return t


EMPTY_HELP = (
    "No projects yet. Press n to add one (P sets up the programme: name, tolerances, currency), "
    "or try the demo programme: pgmtui --demo."
)
ALL_CLOSED_HELP = (
    "Every project is closed (read-only, hidden here): / stage:closed lists them, n adds a new one."
)


def evidence_text(p: ProjectRollup | None, history: list[str | None] | None = None) -> Text:
    """The selected project's RAG with its evidence; with its history, the RAG week by week."""
    if p is None:
        return Text("No project selected.", style="dim")
    t = Text()
    t.append(f"{p.code} ", style="bold")
    t.append(p.name)
    t.append("  ")
    t.append_text(rag_badge(p.rag.final, overridden=p.rag.overridden))
    if history and len(history) > 1:
        t.append(f"  {len(history)} weeks ", style="dim")
        t.append_text(rag_strip(history))
    if p.rag.overridden:
        t.append("  override: ", style="bold")
        t.append(p.rag.reason or "")
        t.append(f" (evidence says {p.rag.computed or '–'})", style="dim")
    for e in p.rag.evidence:
        t.append("\n  ")
        t.append(f"{e.rag or '–'} ", style="bold")
        t.append(f"{e.dimension}: ")
        t.append(e.text)
    return t


# ---------------------------------------------------------------------------- the project detail

TREND_LINES = (
    ("cpi", "CPI", (1.0,), ratio),
    ("spi", "SPI", (1.0,), ratio),
    ("exposure", "Risk exposure", (), str),
)


def project_trend_text(trend: Trend, project_id: int) -> Text:
    """The project week by week (oldest first, the last is now): its RAG strip, and sparklines of
    CPI and SPI (scaled with 1.0, on budget / on schedule, in view) and of its risk exposure (the
    open threats' residual scores), each with its first and last value and which way it went."""
    from pgmtui.domain.trend import direction

    figures = trend.figures(project_id)
    label_width = 14
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append(f"{'RAG':<{label_width}}", style="bold")
    t.append_text(rag_strip([f.rag if f else None for f in figures]))
    days_shown = trend.days
    t.append(f"  {len(days_shown)} weeks to {days_shown[-1].format('ddd D MMM')}, oldest first", style="dim")
    for metric, label, include, show in TREND_LINES:
        values = [f.value(metric) if f else None for f in figures]
        known = [v for v in values if v is not None]
        t.append("\n")
        t.append(f"{label:<{label_width}}", style="bold")
        t.append(spark(values, include=include))
        if known:
            way = direction(metric, known[0], known[-1])
            t.append(f"  {show(known[0])} → {show(known[-1])}")
            if way in ("better", "worse"):
                t.append(f"  {way}", style="bold" if way == "worse" else "")
    return t


MILESTONE_FIELDS = ("name", "baseline_date", "forecast_date", "actual_date", "is_gate")

MILESTONE_COLUMNS = (
    Column.of_field("milestone", "name", label="Milestone", flex=True, min_width=16, max_width=40),
    Column("gate", "Gate", width=4),
    Column.of_field("milestone", "baseline_date", label="Baseline", width=10),
    Column.of_field("milestone", "forecast_date", label="Forecast", width=10),
    Column.of_field("milestone", "actual_date", label="Actual", width=10),
    Column("var", "Var", width=5),
    Column("float", "Float", width=9, min_screen=90),
)


def variance_days(m: dict[str, Any]) -> int | None:
    """Forecast (or actual) against baseline, in days."""
    base = m.get("baseline_date")
    other = m.get("actual_date") or m.get("forecast_date")
    if not base or not other:
        return None
    from datetime import date as _date

    return (_date.fromisoformat(other) - _date.fromisoformat(base)).days


def milestone_rows(model: Model, project_id: int) -> list[Row]:
    """The project's milestones by date, with variance and float (critical ones in bold red)."""
    rows = [m for m in model.rows("milestone") if m["project_id"] == project_id]
    rows.sort(key=lambda m: (m.get("forecast_date") or m.get("baseline_date") or "9999", m["id"]))
    out = []
    for m in rows:
        fl = model.critical.floats.get(m["id"]) if model.critical else None
        cat = model.critical.category(m["id"]) if model.critical else ""
        delta = variance_days(m)
        variance = Text("–") if delta is None else Text(f"{delta:+d}d" if delta else "0d")
        if delta and delta > 0:
            variance.stylize("bold")
        float_text = Text("–" if fl is None else f"{fl}d", style="bold red" if cat == "critical" else "")
        if cat:
            float_text.append(" crit" if cat == "critical" else " near", style="dim")
        cells = {
            "name": literal(m["name"]),
            "gate": "◆" if m.get("is_gate") else "",
            "baseline_date": date(m.get("baseline_date")),
            "forecast_date": date(m.get("forecast_date")),
            "actual_date": date(m.get("actual_date")),
            "var": variance,
            "float": float_text,
        }
        out.append(Row(m["id"], cells, {"var": delta, "float": fl, "gate": bool(m.get("is_gate"))}))
    return out


DEPENDENCY_COLUMNS = (
    Column("dir", "Dir", width=3),
    Column("supplier", "Supplier", flex=True, min_width=12),
    Column("consumer", "Consumer", flex=True, min_width=12),
    Column("type", "Type", width=5),
    Column("slack", "Slack", width=5),
    Column("status", "Status", width=8),
)


def dependency_rows(model: Model, project_id: int) -> list[Row]:
    """Dependencies into (in) and out of (out) the project's milestones, with slack and status."""
    mine = {m["id"] for m in model.rows("milestone") if m["project_id"] == project_id}
    out = []
    for d in model.rollup.dependencies:
        incoming, outgoing = d.consumer_id in mine, d.supplier_id in mine
        if not (incoming or outgoing):
            continue
        status_style = {"late": "bold red", "at risk": "yellow", "done": "dim"}.get(d.status, "")
        cells = {
            "dir": "in" if incoming else "out",
            "supplier": literal(model.ref_label("milestone", d.supplier_id)),
            "consumer": literal(model.ref_label("milestone", d.consumer_id)),
            "type": f"{d.type}{d.lag_days:+d}" if d.lag_days else d.type,
            "slack": "–" if d.slack is None else f"{d.slack}d",
            "status": Text(d.status, style=status_style),
        }
        out.append(Row(d.dependency_id, cells, {"slack": d.slack}))
    return out


RISK_COLUMNS = (
    Column("id", "#", width=4),
    Column.of_field("risk", "title", label="Risk", flex=True, min_width=16),
    Column.of_field("risk", "owner", max_width=16, min_screen=90),
    Column("score", "Score", width=7),
    Column("band", "Band", width=4),
    Column("trend", "Trend", width=5),
)


def open_risk_rows(model: Model, project_id: int) -> list[Row]:
    """The project's open risks, highest residual score first."""
    from pgmtui.domain.risk import DEFAULT_BANDS, inherent_score, residual_score

    risks = [r for r in model.rows("risk") if r["project_id"] == project_id and r["status"] == "open"]
    risks.sort(key=lambda r: (-(residual_score(r) or 0), r["id"]))
    out = []
    for r in risks:
        res = residual_score(r)
        cells: dict[str, Text | str] = {
            "id": str(r["id"]),
            "title": literal(r["title"]),
            "owner": literal(r.get("owner") or ""),
            "score": f"{inherent_score(r)} → {res}",
            "band": band_badge(DEFAULT_BANDS.band(res)),
            "trend": model.risk_trends.get(r["id"], ""),
        }
        out.append(Row(r["id"], cells, {"id": r["id"], "score": res, "band": res}))
    return out


def describe_change(row: dict[str, Any], labels: dict[tuple[str, int], str]) -> Text:
    """One audit row in plain language: `ts user updated milestone X: forecast_date a → b`."""
    t = Text()
    t.append(row["ts"][:16].replace("T", " "), style="dim")
    t.append(f"  {row['user']}  ")
    target = labels.get((row["tbl"], row["row_id"]), f"{row['tbl']} #{row['row_id']}")
    t.append(f"{row['action']}d {row['tbl']} ")
    t.append(target, style="bold")
    if row["action"] == "update":
        parts = [f"{k} {_short(old)} → {_short(new)}" for k, (old, new) in row["changes"].items()]
        t.append(": " + "; ".join(parts))
    return t


def _short(value: Any) -> str:
    if value is None:
        return "–"
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def change_targets(model: Model, project_id: int) -> dict[str, list[int]]:
    """The records whose audit trail is the project's "recent changes"."""
    return {
        "project": [project_id],
        "milestone": [m["id"] for m in model.rows("milestone") if m["project_id"] == project_id],
        "risk": [r["id"] for r in model.rows("risk") if r["project_id"] == project_id],
    }


def change_labels(model: Model, targets: dict[str, list[int]]) -> dict[tuple[str, int], str]:
    labels: dict[tuple[str, int], str] = {}
    for table, ids in targets.items():
        for i in ids:
            row = model.row(table, i)
            if row is not None:
                labels[(table, i)] = row.get("code") or row.get("name") or row.get("title") or f"#{i}"
    return labels
